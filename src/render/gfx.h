/* gfx — the thin layer over OpenGL ES 3: shader programs built from the
 * embedded shaders/NAME.glsl, the uniforms every pass shares, a counter of
 * bytes sent to the GPU (buffers and textures) that tests and the bench read,
 * and the frame-wide GL state the app and HUD need (clear, blending, a clip
 * rectangle, reading pixels back), so no file outside render/ calls GL for
 * drawing.
 *
 * Works on GLES 3.0 and WebGL2 alike: no desktop-only GL, no buffer mapping.
 * Memory: programs are GL objects freed by gfx_program_free. Errors: build
 * functions return 0, or -1 after writing "SHADER: ..." into err.
 */
#ifndef RINGSCOPE_GFX_H
#define RINGSCOPE_GFX_H

#include <GLES3/gl3.h>
#include <stddef.h>
#include <stdint.h>

#include "view.h"

/* Every uniform any program uses; a program that lacks one gets -1. */
typedef enum gfx_uniform {
    GFX_U_VIEWPORT, GFX_U_CENTER_PX, GFX_U_VIEW_HI, GFX_U_VIEW_LO, GFX_U_SCALE, GFX_U_REF, GFX_U_REF_THETA,
    GFX_U_REF_PX, GFX_U_TIME, GFX_U_DPI, GFX_U_NODES, GFX_U_LAYOUT_T0, GFX_U_LAYOUT_DUR,
    GFX_U_FLIGHT_DUR, GFX_U_CLOUD_R, GFX_U_SIZE, GFX_U_INTENSITY, GFX_U_SELECTED,
    GFX_U_STRIP, GFX_U_STRIP_RANGE, GFX_U_STRIP_MIX, GFX_U_BAND_IN, GFX_U_BAND_OUT, GFX_U_ATLAS, GFX_U_HIDE_FLYING,
    GFX_U_CELLS, GFX_U_CELL_PHASE, GFX_U_WAY_R, GFX_U_PULSE, GFX_U_LUMPS,
    GFX_U_COUNT
} gfx_uniform_t;

typedef struct gfx_program {
    GLuint id;
    GLint u[GFX_U_COUNT];
} gfx_program_t;

/* Uniform values shared by all passes of one frame. */
typedef struct gfx_frame {
    float viewport[2];
    float time;
    float dpi;
    const view_t *view;
} gfx_frame_t;

typedef struct gfx_stats {
    uint64_t bytes_frame;   /* bytes uploaded since gfx_frame_begin */
    uint64_t bytes_total;
    uint64_t uploads_frame; /* upload calls since gfx_frame_begin */
} gfx_stats_t;

extern gfx_stats_t gfx_stats;

/* Compiles "#version 300 es" + common.glsl + vertex/fragment bodies. */
int gfx_program_build(gfx_program_t *p, const char *name, const char *vs, const char *fs, char *err,
                      size_t err_size);
void gfx_program_free(gfx_program_t *p);

/* Binds p and sets the shared uniforms from f. */
void gfx_program_use(const gfx_program_t *p, const gfx_frame_t *f);

void gfx_frame_begin(void);

/* Upload wrappers: the only way bytes reach the GPU, so they are counted. */
void gfx_buffer_data(GLenum target, size_t bytes, const void *data, GLenum usage);
void gfx_buffer_sub(GLenum target, size_t offset, size_t bytes, const void *data);
void gfx_tex_sub(GLint x, GLint y, GLsizei w, GLsizei h, GLenum format, GLenum type, const void *data,
                 size_t bytes);

/* One attribute of an interleaved vertex buffer (gfx_attribs). */
typedef enum gfx_attrib_mode {
    GFX_ATTR_FLOAT,      /* floats, or integers converted as they are */
    GFX_ATTR_NORMALIZED, /* unsigned bytes read as 0..1 */
    GFX_ATTR_INT,        /* integers read as integers (uint/uvec in the shader) */
} gfx_attrib_mode_t;

typedef struct gfx_attrib {
    GLuint index;
    GLint size;          /* components */
    GLenum type;
    gfx_attrib_mode_t mode;
    size_t offset;       /* bytes into a vertex */
} gfx_attrib_t;

/* Enables the n attributes in the bound vertex array and points them at
 * the buffer bound to GL_ARRAY_BUFFER, stride bytes per vertex. */
void gfx_attribs(const gfx_attrib_t *a, size_t n, GLsizei stride);
/* A new vertex array with a new vertex buffer holding those attributes;
 * leaves both bound (delete them with glDeleteVertexArrays/Buffers). */
void gfx_vertex_array(GLuint *vao, GLuint *vbo, const gfx_attrib_t *a, size_t n, GLsizei stride);

/* Frame-wide state. Rectangles are in drawable pixels, y down (as the HUD
 * lays out); fb_h is the drawable's height. */
void gfx_clear(int w, int h, float r, float g, float b); /* viewport to w x h, cleared to the colour */
void gfx_blend_over(void);                               /* premultiplied "over" blending on */
void gfx_blend_off(void);
void gfx_clip(float x, float y, float w, float h, int fb_h); /* draw only inside the rectangle */
void gfx_clip_off(void);
/* Reads the w x h drawable into out[w * h * 4] (RGBA, top row first). */
void gfx_read_rgba(int w, int h, uint8_t *out);
/* Forgets pending GL errors (after a lost context came back). */
void gfx_drain_errors(void);

/* Embedded shader sources (generated from shaders/). */
extern const char rs_shader_common[];
extern const char rs_shader_particle_vert[], rs_shader_particle_frag[];
extern const char rs_shader_copy_vert[];
extern const char rs_shader_point_vert[], rs_shader_point_frag[];
extern const char rs_shader_band_vert[], rs_shader_band_frag[];
extern const char rs_shader_ui_vert[], rs_shader_ui_frag[];

#endif
