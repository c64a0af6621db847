#include "font.h"

#include "gfx.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int base_px[FONT_SIZE_COUNT] = {12, 14, 17, 21, 30};

static void atlas_clear(font_t *f);

static int readable(const char *path)
{
    SDL_RWops *rw = SDL_RWFromFile(path, "rb");
    if (!rw)
        return 0;
    SDL_RWclose(rw);
    return 1;
}

int font_find(const char *file, char *path, size_t path_size)
{
    const char *env = getenv("RINGSCOPE_ASSETS");
    if (env && *env) {
        snprintf(path, path_size, "%s/%s", env, file);
        if (readable(path))
            return 0;
    }
    char *base = SDL_GetBasePath();
    if (base) {
        static const char *const rel[] = {"assets/", "../assets/", "../share/ringscope/assets/"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            snprintf(path, path_size, "%s%s%s", base, rel[i], file);
            if (readable(path)) {
                SDL_free(base);
                return 0;
            }
        }
        SDL_free(base);
    }
#ifdef RINGSCOPE_SOURCE_ASSETS
    snprintf(path, path_size, "%s/%s", RINGSCOPE_SOURCE_ASSETS, file);
    if (readable(path))
        return 0;
#endif
    snprintf(path, path_size, "/assets/%s", file);
    if (readable(path))
        return 0;
    return -1;
}

/* Opens path at every size in px (light hinting, kerning on); all or none:
 * -1 with a message naming what ("fallback ") and the file. */
static int open_sizes(const char *path, const int px[FONT_SIZE_COUNT], TTF_Font *out[FONT_SIZE_COUNT],
                      const char *what, char *err, size_t err_size)
{
    for (int s = 0; s < FONT_SIZE_COUNT; s++) {
        out[s] = px[s] ? TTF_OpenFont(path, px[s]) : NULL;
        if (!out[s]) {
            snprintf(err, err_size, "FONT: cannot open %s%s: %s", what, path, TTF_GetError());
            for (int k = 0; k < s; k++) {
                TTF_CloseFont(out[k]);
                out[k] = NULL;
            }
            return -1;
        }
        TTF_SetFontHinting(out[s], TTF_HINTING_LIGHT);
        TTF_SetFontKerning(out[s], 1);
    }
    return 0;
}

int font_load(font_t *f, const char *path, float dpi, char *err, size_t err_size)
{
    memset(f, 0, sizeof *f);
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, err_size, "FONT: cannot start SDL_ttf: %s", TTF_GetError());
        return -1;
    }
    for (int s = 0; s < FONT_SIZE_COUNT; s++)
        f->px[s] = (int)(base_px[s] * dpi + 0.5f);
    TTF_Font *t[FONT_SIZE_COUNT];
    if (open_sizes(path, f->px, t, "", err, err_size) != 0) {
        memset(f, 0, sizeof *f);
        return -1;
    }
    for (int s = 0; s < FONT_SIZE_COUNT; s++) {
        f->ttf[s] = t[s];
        f->ascent[s] = TTF_FontAscent(t[s]);
        f->height[s] = TTF_FontHeight(t[s]);
    }
    f->atlas_size = dpi > 1.5f ? 2 * FONT_ATLAS : FONT_ATLAS;
    glGenTextures(1, &f->atlas);
    glBindTexture(GL_TEXTURE_2D, f->atlas);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, f->atlas_size, f->atlas_size, 0, GL_RED, GL_UNSIGNED_BYTE, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    f->shelf_x = f->shelf_y = 1;
    return 0;
}

int font_load_fallback(font_t *f, const char *path, char *err, size_t err_size)
{
    TTF_Font *t[FONT_SIZE_COUNT];
    if (open_sizes(path, f->px, t, "fallback ", err, err_size) != 0)
        return -1;
    for (int s = 0; s < FONT_SIZE_COUNT; s++) {
        if (f->fb[s])
            TTF_CloseFont(f->fb[s]);
        f->fb[s] = t[s];
    }
    /* Glyphs already cached as '?' may now have a real one. */
    atlas_clear(f);
    return 0;
}

int font_replace_main(font_t *f, const char *path, char *err, size_t err_size)
{
    TTF_Font *t[FONT_SIZE_COUNT];
    if (open_sizes(path, f->px, t, "", err, err_size) != 0)
        return -1;
    for (int s = 0; s < FONT_SIZE_COUNT; s++) {
        TTF_CloseFont(f->ttf[s]);
        f->ttf[s] = t[s];
        f->ascent[s] = TTF_FontAscent(t[s]);
        f->height[s] = TTF_FontHeight(t[s]);
    }
    /* Glyphs the first face lacked came from the fallback, or were '?'. */
    atlas_clear(f);
    return 0;
}

void font_unload(font_t *f)
{
    for (int s = 0; s < FONT_SIZE_COUNT; s++) {
        if (f->ttf[s])
            TTF_CloseFont(f->ttf[s]);
        if (f->fb[s])
            TTF_CloseFont(f->fb[s]);
    }
    if (f->atlas)
        glDeleteTextures(1, &f->atlas);
    memset(f, 0, sizeof *f);
}

static void atlas_clear(font_t *f)
{
    memset(f->table, 0, sizeof f->table);
    f->glyphs = 0;
    f->shelf_x = f->shelf_y = 1;
    f->shelf_h = 0;
    f->generation++;
}

/* Shelf packing: rows of glyphs, a new row when one is full. */
static int atlas_place(font_t *f, int w, int h, int *x, int *y)
{
    if (f->shelf_x + w + 1 > f->atlas_size) {
        f->shelf_y += f->shelf_h + 1;
        f->shelf_x = 1;
        f->shelf_h = 0;
    }
    if (f->shelf_y + h + 1 > f->atlas_size || w + 2 > f->atlas_size)
        return -1;
    *x = f->shelf_x;
    *y = f->shelf_y;
    f->shelf_x += w + 1;
    if (h > f->shelf_h)
        f->shelf_h = h;
    return 0;
}

/* SDL_ttf draws a glyph with its baseline ascent rows below the bitmap top;
 * a fallback glyph moves up or down by the difference of the two ascents so
 * both faces share the primary face's baseline. */
static int rasterise(font_t *f, font_size_t s, int fallback, uint32_t cp, font_glyph_t *g)
{
    TTF_Font *t = fallback ? f->fb[s] : f->ttf[s];
    int minx, maxx, miny, maxy, adv;
    if (TTF_GlyphMetrics32(t, cp, &minx, &maxx, &miny, &maxy, &adv) != 0)
        return -1;
    g->advance = (int16_t)adv;
    g->top = (int8_t)(fallback ? f->ascent[s] - TTF_FontAscent(t) : 0);
    g->fallback = (uint8_t)fallback;
    g->w = g->h = 0;
    if (cp == ' ')
        return 0;
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *src = TTF_RenderGlyph32_Blended(t, cp, white);
    if (!src)
        return -1;
    SDL_Surface *s32 = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(src);
    if (!s32)
        return -1;
    int w = s32->w, h = s32->h, x, y;
    if (w > 255 || h > 255 || atlas_place(f, w, h, &x, &y) != 0) {
        SDL_FreeSurface(s32);
        return -2;
    }
    uint8_t cov[255 * 255];
    SDL_LockSurface(s32);
    for (int r = 0; r < h; r++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)s32->pixels + r * s32->pitch);
        for (int c = 0; c < w; c++)
            cov[r * w + c] = (uint8_t)(row[c] >> 24);
    }
    SDL_UnlockSurface(s32);
    SDL_FreeSurface(s32);
    glBindTexture(GL_TEXTURE_2D, f->atlas);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    gfx_tex_sub(x, y, w, h, GL_RED, GL_UNSIGNED_BYTE, cov, (size_t)w * h);
    g->x = (uint16_t)x;
    g->y = (uint16_t)y;
    g->w = (uint16_t)w;
    g->h = (uint16_t)h;
    return 0;
}

static font_glyph_t *slot(font_t *f, uint32_t key)
{
    uint32_t h = (key * 2654435761u) & (FONT_TABLE - 1);
    while (f->table[h].key && f->table[h].key != key)
        h = (h + 1) & (FONT_TABLE - 1);
    return &f->table[h];
}

/* Cached glyphs cost one table probe, no FreeType call. A miss decides the
 * face once (primary, else fallback, else a copy of the replacement mark
 * U+FFFD under this code point's key) and caches the result. */
const font_glyph_t *font_glyph(font_t *f, font_size_t s, uint32_t cp)
{
    if (cp > 0x10FFFF)
        cp = 0xFFFD;
    uint32_t key = (cp << 3 | (uint32_t)s) + 1;
    font_glyph_t *e = slot(f, key);
    if (e->key == key)
        return e;
    if (f->glyphs >= FONT_TABLE * 3 / 4)
        atlas_clear(f);
    int fallback = -1; /* neither face */
    if (TTF_GlyphIsProvided32(f->ttf[s], cp))
        fallback = 0;
    else if (f->fb[s] && TTF_GlyphIsProvided32(f->fb[s], cp))
        fallback = 1;
    font_glyph_t g = {0};
    int rc = -1;
    for (int attempt = 0; fallback >= 0 && attempt < 2; attempt++) {
        rc = rasterise(f, s, fallback, cp, &g);
        if (rc != -2)
            break;
        atlas_clear(f);
    }
    if (rc != 0) {
        /* No face has it (emoji, for one): the replacement mark, U+FFFD,
         * which the UI font and its first-frame subset both carry, so the
         * desktop and the browser draw the same; '?' if even that fails. */
        if (cp == '?')
            return NULL;
        const font_glyph_t *q = font_glyph(f, s, cp == 0xFFFD ? '?' : 0xFFFD);
        if (!q)
            return NULL;
        g = *q;
    }
    g.key = key;
    e = slot(f, key);
    *e = g;
    f->glyphs++;
    return e;
}

uint32_t font_utf8_next(const char *str, size_t len, size_t *i)
{
    const unsigned char *s = (const unsigned char *)str + *i;
    size_t left = len - *i;
    unsigned char c = s[0];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    int n = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0 || (size_t)n >= left) {
        (*i)++;
        return 0xFFFD;
    }
    uint32_t cp = c & (0x3Fu >> n);
    for (int k = 1; k <= n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = cp << 6 | (s[k] & 0x3Fu);
    }
    *i += (size_t)n + 1;
    return cp;
}

int font_kern(font_t *f, font_size_t s, uint32_t prev, int prev_fb, uint32_t cp, int fb)
{
    if (!prev || prev_fb != fb)
        return 0;
    return TTF_GetFontKerningSizeGlyphs32(fb ? f->fb[s] : f->ttf[s], prev, cp);
}

float font_width(font_t *f, font_size_t s, const char *text, size_t len)
{
    float w = 0;
    size_t i = 0;
    uint32_t prev = 0;
    int prev_fb = 0;
    while (i < len) {
        uint32_t cp = font_utf8_next(text, len, &i);
        const font_glyph_t *g = font_glyph(f, s, cp);
        if (!g)
            continue;
        w += (float)font_kern(f, s, prev, prev_fb, cp, g->fallback);
        w += g->advance;
        prev = cp;
        prev_fb = g->fallback;
    }
    return w;
}
