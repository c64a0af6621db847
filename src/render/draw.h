/* draw — the 2D overlay batch: rounded rectangles, soft glows and text in
 * pixels, collected into one vertex array per frame and drawn in one call.
 *
 * The batch is uploaded only when it differs from the previous frame's, so
 * a still HUD costs no GPU traffic. Colours are 0xRRGGBBAA.
 *
 * Memory: draw_t owns its vertex arrays (grown on demand, kept between
 * frames: no per-frame allocation once warm) and GL objects; draw_shutdown
 * frees them. Errors: draw_init returns 0 or -1 with a message; a batch that
 * cannot grow drops the rest of the frame's shapes.
 */
#ifndef RINGSCOPE_DRAW_H
#define RINGSCOPE_DRAW_H

#include <GLES3/gl3.h>
#include <stddef.h>
#include <stdint.h>

#include "font.h"
#include "gfx.h"

typedef struct draw_vertex {
    float x, y, u, v;
    uint32_t color;     /* bytes R, G, B, A in memory */
    float hw, hh, radius, stroke;
    float mode;
} draw_vertex_t;

typedef struct draw {
    font_t *font;
    gfx_program_t prog;
    GLuint vao, vbo;
    draw_vertex_t *verts, *uploaded;
    size_t count, cap, uploaded_count, gpu_cap;
    int overflow;
    float clip[4];      /* x0, y0, x1, y1: shapes fully outside are skipped */
} draw_t;

int draw_init(draw_t *d, font_t *font, char *err, size_t err_size);
void draw_shutdown(draw_t *d);

void draw_begin(draw_t *d, float width, float height);
/* Uploads if changed and draws the batch. */
void draw_end(draw_t *d, const gfx_frame_t *f);

void draw_rect(draw_t *d, float x, float y, float w, float h, float radius, uint32_t color);
void draw_rect_stroke(draw_t *d, float x, float y, float w, float h, float radius, float stroke, uint32_t color);
void draw_circle(draw_t *d, float cx, float cy, float r, uint32_t color);
void draw_ring(draw_t *d, float cx, float cy, float r, float stroke, uint32_t color);
/* A straight line of the given width with round ends, any direction. */
void draw_line(draw_t *d, float x0, float y0, float x1, float y1, float width, uint32_t color);
/* A soft gaussian spot of radius r. */
void draw_glow(draw_t *d, float cx, float cy, float r, uint32_t color);

/* Text with its top-left at (x, y); returns the advance width. */
float draw_text(draw_t *d, font_size_t s, float x, float y, uint32_t color, const char *text);
float draw_text_n(draw_t *d, font_size_t s, float x, float y, uint32_t color, const char *text, size_t len);
/* Text cut to max_w with a trailing ellipsis when it does not fit. */
float draw_text_fit(draw_t *d, font_size_t s, float x, float y, float max_w, uint32_t color, const char *text);
/* Length in bytes of the longest prefix of text that fits max_w with "…". */
size_t draw_fit_len(draw_t *d, font_size_t s, const char *text, size_t len, float max_w, int *elided);

uint32_t draw_rgba(float r, float g, float b, float a);

#endif
