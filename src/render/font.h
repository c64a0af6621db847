/* font — text for the HUD: DejaVu Sans through SDL2_ttf, glyphs rasterised
 * once into a single-channel GL atlas on first use. A code point DejaVu
 * lacks comes from the fallback font (Droid Sans Fallback: CJK) when one is
 * loaded, at the same pixel size on the same baseline; one neither font has
 * (emoji, for one) is drawn as the replacement mark U+FFFD (the same in the
 * browser: the first frame's font subset has it). Every glyph's face is fixed per code
 * point, so widths (font_width, draw_fit_len) and drawing always agree.
 *
 * Sizes are layout pixels times the HiDPI factor given at load. UTF-8 in,
 * invalid bytes shown as U+FFFD.
 *
 * Memory: font_t owns the TTF fonts (both faces), the glyph table and the
 * atlas texture; font_unload frees them. Errors: font_load returns 0, or -1 with a message
 * ("FONT: ...") in err. A full atlas is cleared and refilled (font.generation
 * changes so cached geometry is rebuilt).
 */
#ifndef RINGSCOPE_FONT_H
#define RINGSCOPE_FONT_H

#include <GLES3/gl3.h>
#include <stddef.h>
#include <stdint.h>

typedef enum font_size {
    FONT_SMALL,   /* 12 px: labels, help */
    FONT_BODY,    /* 14 px: panels, buttons */
    FONT_LARGE,   /* 17 px: last action */
    FONT_TITLE,   /* 21 px: title line */
    FONT_HUGE,    /* 30 px: "Ring is empty" */
    FONT_SIZE_COUNT
} font_size_t;

typedef struct font_glyph {
    uint32_t key;          /* code point << 3 | size; 0 = empty slot */
    uint16_t x, y, w, h;   /* atlas rectangle */
    int16_t advance;
    int8_t top;            /* bitmap top below the line top (fallback baseline) */
    uint8_t fallback;      /* 1: from the fallback face */
} font_glyph_t;

#define FONT_TABLE 4096    /* glyph slots (power of two) */
#define FONT_ATLAS 1024

typedef struct font {
    void *ttf[FONT_SIZE_COUNT];   /* TTF_Font * */
    void *fb[FONT_SIZE_COUNT];    /* TTF_Font * of the fallback face, or NULL */
    int px[FONT_SIZE_COUNT];      /* pixel size */
    int ascent[FONT_SIZE_COUNT];
    int height[FONT_SIZE_COUNT];
    font_glyph_t table[FONT_TABLE];
    uint32_t glyphs;
    GLuint atlas;
    int atlas_size;
    int shelf_x, shelf_y, shelf_h;
    uint32_t generation;
} font_t;

/* Finds the font file: $RINGSCOPE_ASSETS, next to the executable
 * (SDL_GetBasePath()/assets, ../assets, ../share/ringscope/assets), the
 * source tree, then /assets (the web build's preload). Writes the path. */
int font_find(const char *file, char *path, size_t path_size);

int font_load(font_t *f, const char *path, float dpi, char *err, size_t err_size);
void font_unload(font_t *f);

/* Opens the fallback face at the loaded font's sizes (after font_load). On
 * failure returns -1 with a message and leaves the font without fallback:
 * missing glyphs stay the replacement mark. */
int font_load_fallback(font_t *f, const char *path, char *err, size_t err_size);

/* Swaps the primary face for another cut of it at the same sizes (the
 * browser starts with a subset of DejaVu Sans and swaps in the whole font
 * once it has arrived). On failure returns -1 with a message and keeps the
 * face it had. */
int font_replace_main(font_t *f, const char *path, char *err, size_t err_size);

/* The glyph for code point cp at size s, rasterised on first use. */
const font_glyph_t *font_glyph(font_t *f, font_size_t s, uint32_t cp);

/* Decodes one UTF-8 code point at s[*i] (advancing *i); U+FFFD for bad bytes. */
uint32_t font_utf8_next(const char *s, size_t len, size_t *i);

/* Kerning in pixels between prev and cp (glyphs from the faces given by
 * prev_fb and fb); 0 when prev is 0 or the faces differ. */
int font_kern(font_t *f, font_size_t s, uint32_t prev, int prev_fb, uint32_t cp, int fb);

/* Width in pixels of len bytes of UTF-8 text. */
float font_width(font_t *f, font_size_t s, const char *text, size_t len);

#endif
