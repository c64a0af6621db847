#include "gfx.h"

#include <stdio.h>
#include <string.h>

gfx_stats_t gfx_stats;

static const char *const uniform_names[GFX_U_COUNT] = {
    "u_viewport", "u_center_px", "u_view_hi", "u_view_lo", "u_scale", "u_ref", "u_ref_theta",
    "u_ref_px", "u_time", "u_dpi", "u_nodes", "u_layout_t0", "u_layout_dur",
    "u_flight_dur", "u_cloud_r", "u_size", "u_intensity", "u_selected",
    "u_strip", "u_strip_range", "u_strip_mix", "u_band_in", "u_band_out", "u_atlas", "u_hide_flying",
    "u_cells", "u_cell_phase", "u_way_r", "u_pulse", "u_lumps",
};

static GLuint compile(GLenum type, const char *name, const char *body, char *err, size_t err_size)
{
    const char *src[3] = {"#version 300 es\n", rs_shader_common, body};
    GLuint s = glCreateShader(type);
    glShaderSource(s, 3, src, NULL);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        glGetShaderInfoLog(s, sizeof log, NULL, log);
        snprintf(err, err_size, "SHADER: %s (%s) failed to compile: %s", name,
                 type == GL_VERTEX_SHADER ? "vertex" : "fragment", log);
        glDeleteShader(s);
        return 0;
    }
    return s;
}

int gfx_program_build(gfx_program_t *p, const char *name, const char *vs, const char *fs, char *err,
                      size_t err_size)
{
    memset(p, 0, sizeof *p);
    GLuint v = compile(GL_VERTEX_SHADER, name, vs, err, err_size);
    if (!v)
        return -1;
    GLuint f = compile(GL_FRAGMENT_SHADER, name, fs, err, err_size);
    if (!f) {
        glDeleteShader(v);
        return -1;
    }
    p->id = glCreateProgram();
    glAttachShader(p->id, v);
    glAttachShader(p->id, f);
    glLinkProgram(p->id);
    glDeleteShader(v);
    glDeleteShader(f);
    GLint ok = 0;
    glGetProgramiv(p->id, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        glGetProgramInfoLog(p->id, sizeof log, NULL, log);
        snprintf(err, err_size, "SHADER: %s failed to link: %s", name, log);
        glDeleteProgram(p->id);
        p->id = 0;
        return -1;
    }
    for (int i = 0; i < GFX_U_COUNT; i++)
        p->u[i] = glGetUniformLocation(p->id, uniform_names[i]);
    return 0;
}

void gfx_program_free(gfx_program_t *p)
{
    if (p->id)
        glDeleteProgram(p->id);
    p->id = 0;
}

void gfx_program_use(const gfx_program_t *p, const gfx_frame_t *f)
{
    const view_t *v = f->view;
    glUseProgram(p->id);
    glUniform2f(p->u[GFX_U_VIEWPORT], f->viewport[0], f->viewport[1]);
    glUniform1f(p->u[GFX_U_TIME], f->time);
    glUniform1f(p->u[GFX_U_DPI], f->dpi);
    if (!v)
        return;
    float hi[2], lo[2], ref[2];
    view_split_double(v->cx, &hi[0], &lo[0]);
    view_split_double(v->cy, &hi[1], &lo[1]);
    view_split(v->ref, ref);
    glUniform2f(p->u[GFX_U_CENTER_PX], (float)(v->area_x + 0.5 * v->area_w), (float)(v->area_y + 0.5 * v->area_h));
    glUniform2f(p->u[GFX_U_VIEW_HI], hi[0], hi[1]);
    glUniform2f(p->u[GFX_U_VIEW_LO], lo[0], lo[1]);
    glUniform1f(p->u[GFX_U_SCALE], (float)v->scale);
    glUniform2f(p->u[GFX_U_REF], ref[0], ref[1]);
    glUniform1f(p->u[GFX_U_REF_THETA], (float)v->ref_theta);
    glUniform2f(p->u[GFX_U_REF_PX], (float)v->ref_px[0], (float)v->ref_px[1]);
}

void gfx_frame_begin(void)
{
    gfx_stats.bytes_frame = 0;
    gfx_stats.uploads_frame = 0;
}

static void count(size_t bytes)
{
    gfx_stats.bytes_frame += bytes;
    gfx_stats.bytes_total += bytes;
    gfx_stats.uploads_frame++;
}

void gfx_buffer_data(GLenum target, size_t bytes, const void *data, GLenum usage)
{
    glBufferData(target, (GLsizeiptr)bytes, data, usage);
    if (data)
        count(bytes);
}

void gfx_buffer_sub(GLenum target, size_t offset, size_t bytes, const void *data)
{
    if (!bytes)
        return;
    glBufferSubData(target, (GLintptr)offset, (GLsizeiptr)bytes, data);
    count(bytes);
}

void gfx_tex_sub(GLint x, GLint y, GLsizei w, GLsizei h, GLenum format, GLenum type, const void *data,
                 size_t bytes)
{
    glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, w, h, format, type, data);
    count(bytes);
}

void gfx_attribs(const gfx_attrib_t *a, size_t n, GLsizei stride)
{
    for (size_t i = 0; i < n; i++) {
        glEnableVertexAttribArray(a[i].index);
        if (a[i].mode == GFX_ATTR_INT)
            glVertexAttribIPointer(a[i].index, a[i].size, a[i].type, stride, (void *)a[i].offset);
        else
            glVertexAttribPointer(a[i].index, a[i].size, a[i].type,
                                  a[i].mode == GFX_ATTR_NORMALIZED ? GL_TRUE : GL_FALSE, stride, (void *)a[i].offset);
    }
}

void gfx_vertex_array(GLuint *vao, GLuint *vbo, const gfx_attrib_t *a, size_t n, GLsizei stride)
{
    glGenVertexArrays(1, vao);
    glGenBuffers(1, vbo);
    glBindVertexArray(*vao);
    glBindBuffer(GL_ARRAY_BUFFER, *vbo);
    gfx_attribs(a, n, stride);
}

/* ---- frame-wide state ------------------------------------------------------ */

void gfx_clear(int w, int h, float r, float g, float b)
{
    glViewport(0, 0, w, h);
    glClearColor(r, g, b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
}

void gfx_blend_over(void)
{
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
}

void gfx_blend_off(void)
{
    glDisable(GL_BLEND);
}

void gfx_clip(float x, float y, float w, float h, int fb_h)
{
    glEnable(GL_SCISSOR_TEST);
    glScissor((GLint)x, (GLint)((float)fb_h - y - h), (GLsizei)w, (GLsizei)h);
}

void gfx_clip_off(void)
{
    glDisable(GL_SCISSOR_TEST);
}

void gfx_read_rgba(int w, int h, uint8_t *out)
{
    size_t row = (size_t)w * 4;
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, out);
    /* GL rows are bottom-up; flip in place. */
    uint8_t tmp[4 * 4096];
    for (int y = 0; y < h / 2; y++) {
        uint8_t *a = out + (size_t)y * row, *b = out + (size_t)(h - 1 - y) * row;
        for (size_t off = 0; off < row; off += sizeof tmp) {
            size_t n = row - off < sizeof tmp ? row - off : sizeof tmp;
            memcpy(tmp, a + off, n);
            memcpy(a + off, b + off, n);
            memcpy(b + off, tmp, n);
        }
    }
}

void gfx_drain_errors(void)
{
    for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; i++) {
    }
}
