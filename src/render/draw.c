#include "draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int draw_init(draw_t *d, font_t *font, char *err, size_t err_size)
{
    memset(d, 0, sizeof *d);
    d->font = font;
    if (gfx_program_build(&d->prog, "ui", rs_shader_ui_vert, rs_shader_ui_frag, err, err_size) != 0)
        return -1;
    static const gfx_attrib_t attribs[] = {
        {0, 2, GL_FLOAT, GFX_ATTR_FLOAT, offsetof(draw_vertex_t, x)},
        {1, 2, GL_FLOAT, GFX_ATTR_FLOAT, offsetof(draw_vertex_t, u)},
        {2, 4, GL_UNSIGNED_BYTE, GFX_ATTR_NORMALIZED, offsetof(draw_vertex_t, color)},
        {3, 4, GL_FLOAT, GFX_ATTR_FLOAT, offsetof(draw_vertex_t, hw)},
        {4, 1, GL_FLOAT, GFX_ATTR_FLOAT, offsetof(draw_vertex_t, mode)},
    };
    gfx_vertex_array(&d->vao, &d->vbo, attribs, sizeof attribs / sizeof attribs[0], sizeof(draw_vertex_t));
    glBindVertexArray(0);
    return 0;
}

void draw_shutdown(draw_t *d)
{
    gfx_program_free(&d->prog);
    if (d->vbo)
        glDeleteBuffers(1, &d->vbo);
    if (d->vao)
        glDeleteVertexArrays(1, &d->vao);
    free(d->verts);
    free(d->uploaded);
    memset(d, 0, sizeof *d);
}

uint32_t draw_rgba(float r, float g, float b, float a)
{
    uint32_t R = (uint32_t)(r * 255.0f + 0.5f), G = (uint32_t)(g * 255.0f + 0.5f);
    uint32_t B = (uint32_t)(b * 255.0f + 0.5f), A = (uint32_t)(a * 255.0f + 0.5f);
    return R << 24 | G << 16 | B << 8 | A;
}

static uint32_t to_bytes(uint32_t rgba)
{
    uint8_t b[4] = {(uint8_t)(rgba >> 24), (uint8_t)(rgba >> 16), (uint8_t)(rgba >> 8), (uint8_t)rgba};
    uint32_t out;
    memcpy(&out, b, 4);
    return out;
}

void draw_begin(draw_t *d, float width, float height)
{
    d->count = 0;
    d->overflow = 0;
    d->clip[0] = 0;
    d->clip[1] = 0;
    d->clip[2] = width;
    d->clip[3] = height;
}

static draw_vertex_t *reserve(draw_t *d, size_t n)
{
    if (d->count + n > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16384;
        while (cap < d->count + n)
            cap *= 2;
        draw_vertex_t *v = realloc(d->verts, cap * sizeof *v);
        if (!v) {
            d->overflow = 1;
            return NULL;
        }
        d->verts = v;
        d->cap = cap;
    }
    draw_vertex_t *out = d->verts + d->count;
    d->count += n;
    return out;
}

/* Two triangles; (u0,v0)-(u1,v1) are atlas coordinates or local pixels. */
static void quad(draw_t *d, float x0, float y0, float x1, float y1, float u0, float v0, float u1, float v1,
                 uint32_t color, float hw, float hh, float radius, float stroke, float mode)
{
    if (x1 < d->clip[0] || y1 < d->clip[1] || x0 > d->clip[2] || y0 > d->clip[3])
        return;
    draw_vertex_t *v = reserve(d, 6);
    if (!v)
        return;
    uint32_t c = to_bytes(color);
    const float xs[6] = {x0, x1, x1, x0, x1, x0}, ys[6] = {y0, y0, y1, y0, y1, y1};
    const float us[6] = {u0, u1, u1, u0, u1, u0}, vs[6] = {v0, v0, v1, v0, v1, v1};
    for (int i = 0; i < 6; i++)
        v[i] = (draw_vertex_t){xs[i], ys[i], us[i], vs[i], c, hw, hh, radius, stroke, mode};
}

void draw_rect(draw_t *d, float x, float y, float w, float h, float radius, uint32_t color)
{
    float hw = 0.5f * w, hh = 0.5f * h, m = 1.0f;
    quad(d, x - m, y - m, x + w + m, y + h + m, -hw - m, -hh - m, hw + m, hh + m, color, hw, hh, radius, 0, 1);
}

void draw_rect_stroke(draw_t *d, float x, float y, float w, float h, float radius, float stroke, uint32_t color)
{
    float hw = 0.5f * w, hh = 0.5f * h, m = 1.0f;
    quad(d, x - m, y - m, x + w + m, y + h + m, -hw - m, -hh - m, hw + m, hh + m, color, hw, hh, radius, stroke, 1);
}

void draw_circle(draw_t *d, float cx, float cy, float r, uint32_t color)
{
    draw_rect(d, cx - r, cy - r, 2 * r, 2 * r, r, color);
}

void draw_ring(draw_t *d, float cx, float cy, float r, float stroke, uint32_t color)
{
    draw_rect_stroke(d, cx - r, cy - r, 2 * r, 2 * r, r, stroke, color);
}

void draw_line(draw_t *d, float x0, float y0, float x1, float y1, float width, uint32_t color)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (!(len > 1e-3f))
        return;
    /* A capsule: the rounded-rect shape in local pixels (u along the line,
     * v across), its quad turned onto the line; 1 px margin for the edge. */
    float ax = dx / len, ay = dy / len, hw = 0.5f * len + 0.5f * width, hh = 0.5f * width, m = 1.0f;
    float cx = 0.5f * (x0 + x1), cy = 0.5f * (y0 + y1);
    float ex = hw + m, ey = hh + m;
    if (fminf(x0, x1) - ex > d->clip[2] || fmaxf(x0, x1) + ex < d->clip[0] || fminf(y0, y1) - ex > d->clip[3] ||
        fmaxf(y0, y1) + ex < d->clip[1])
        return;
    draw_vertex_t *v = reserve(d, 6);
    if (!v)
        return;
    uint32_t c = to_bytes(color);
    static const float su[6] = {-1, 1, 1, -1, 1, -1}, sv[6] = {-1, -1, 1, -1, 1, 1};
    for (int i = 0; i < 6; i++) {
        float u = su[i] * ex, w = sv[i] * ey;
        v[i] = (draw_vertex_t){cx + u * ax - w * ay, cy + u * ay + w * ax, u, w, c, hw, hh, hh, 0, 1};
    }
}

void draw_glow(draw_t *d, float cx, float cy, float r, uint32_t color)
{
    quad(d, cx - r, cy - r, cx + r, cy + r, -r, -r, r, r, color, r, r, 0, 0, 2);
}

float draw_text_n(draw_t *d, font_size_t s, float x, float y, uint32_t color, const char *text, size_t len)
{
    font_t *f = d->font;
    float pen = x, inv = 1.0f / (float)f->atlas_size;
    x = (float)(int)(x + 0.5f);
    y = (float)(int)(y + 0.5f);
    pen = x;
    size_t i = 0;
    uint32_t prev = 0;
    int prev_fb = 0;
    while (i < len) {
        uint32_t cp = font_utf8_next(text, len, &i);
        if (cp == '\n' || cp == '\r' || cp == '\t')
            cp = ' ';
        const font_glyph_t *g = font_glyph(f, s, cp);
        if (!g)
            continue;
        pen += (float)font_kern(f, s, prev, prev_fb, cp, g->fallback);
        if (g->w) {
            float px = (float)(int)pen, py = y + g->top;
            quad(d, px, py, px + g->w, py + g->h, g->x * inv, g->y * inv, (g->x + g->w) * inv, (g->y + g->h) * inv,
                 color, 0, 0, 0, 0, 0);
        }
        pen += g->advance;
        prev = cp;
        prev_fb = g->fallback;
    }
    return pen - x;
}

float draw_text(draw_t *d, font_size_t s, float x, float y, uint32_t color, const char *text)
{
    return draw_text_n(d, s, x, y, color, text, strlen(text));
}

size_t draw_fit_len(draw_t *d, font_size_t s, const char *text, size_t len, float max_w, int *elided)
{
    *elided = 0;
    if (font_width(d->font, s, text, len) <= max_w)
        return len;
    *elided = 1;
    float ell = font_width(d->font, s, "\xE2\x80\xA6", 3);
    size_t i = 0, fit = 0;
    float w = 0;
    uint32_t prev = 0;
    int prev_fb = 0;
    while (i < len) {
        size_t before = i;
        uint32_t cp = font_utf8_next(text, len, &i);
        const font_glyph_t *g = font_glyph(d->font, s, cp);
        /* same per-glyph face and kerning as draw_text_n: the kept text is
         * exactly w wide */
        if (g) {
            w += (float)font_kern(d->font, s, prev, prev_fb, cp, g->fallback) + g->advance;
            prev = cp;
            prev_fb = g->fallback;
        }
        if (w + ell > max_w)
            return before;
        fit = i;
    }
    return fit;
}

float draw_text_fit(draw_t *d, font_size_t s, float x, float y, float max_w, uint32_t color, const char *text)
{
    size_t len = strlen(text);
    int elided;
    size_t n = draw_fit_len(d, s, text, len, max_w, &elided);
    float w = draw_text_n(d, s, x, y, color, text, n);
    if (elided)
        w += draw_text_n(d, s, x + w, y, color, "\xE2\x80\xA6", 3);
    return w;
}

void draw_end(draw_t *d, const gfx_frame_t *f)
{
    glBindBuffer(GL_ARRAY_BUFFER, d->vbo);
    size_t bytes = d->count * sizeof(draw_vertex_t);
    int same = d->count == d->uploaded_count && d->uploaded &&
               memcmp(d->verts, d->uploaded, bytes) == 0;
    if (!same && d->count) {
        if (d->count > d->gpu_cap) {
            size_t cap = d->cap;
            gfx_buffer_data(GL_ARRAY_BUFFER, cap * sizeof(draw_vertex_t), NULL, GL_DYNAMIC_DRAW);
            d->gpu_cap = cap;
            draw_vertex_t *u = realloc(d->uploaded, cap * sizeof *u);
            if (!u)
                return;
            d->uploaded = u;
        }
        gfx_buffer_sub(GL_ARRAY_BUFFER, 0, bytes, d->verts);
        memcpy(d->uploaded, d->verts, bytes);
        d->uploaded_count = d->count;
    }
    if (!d->count)
        return;
    gfx_program_use(&d->prog, f);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, d->font->atlas);
    glUniform1i(d->prog.u[GFX_U_ATLAS], 0);
    glBindVertexArray(d->vao);
    glDrawArrays(GL_TRIANGLES, 0, (GLsizei)d->count);
    glBindVertexArray(0);
}
