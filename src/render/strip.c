#include "strip.h"

#include "rs_limits.h"

#include <math.h>
#include <stddef.h>

GLuint strip_texture(int width)
{
    GLuint tex;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, 2, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return tex;
}

void strip_visible(const view_t *v, double *a0, double *a1)
{
    /* The ring's centre inside the view (or close): every angle is visible. */
    double ox, oy;
    view_world_to_px(v, 0, 0, &ox, &oy);
    double m = 0.15 * (v->area_w + v->area_h);
    if (ox > v->area_x - m && ox < v->area_x + v->area_w + m && oy > v->area_y - m &&
        oy < v->area_y + v->area_h + m) {
        *a0 = -0.5;
        *a1 = 0.5;
        return;
    }
    /* Otherwise the angular extent of a convex region not containing the
     * centre is reached at its corners; measure them from the reference. */
    double lo = 0.5, hi = -0.5;
    double pad = 0.25 * (v->area_w + v->area_h);
    for (int c = 0; c < 4; c++) {
        double px = (c & 1) ? v->area_x + v->area_w + pad : v->area_x - pad;
        double py = (c & 2) ? v->area_y + v->area_h + pad : v->area_y - pad;
        /* Offset from the reference point, in its local frame: exact when
         * zoomed deep, unlike the corner's absolute angle. */
        double qx = (px - v->ref_px[0]) / v->scale, qy = (py - v->ref_px[1]) / v->scale;
        double t = qx * cos(v->ref_theta) + qy * sin(v->ref_theta);
        double n = 1.0 + qx * sin(v->ref_theta) - qy * cos(v->ref_theta);
        double a = atan2(t, n) / 6.283185307179586;
        if (a < lo) lo = a;
        if (a > hi) hi = a;
    }
    if (hi - lo > 0.45 || hi <= lo) {
        *a0 = -0.5;
        *a1 = 0.5;
        return;
    }
    *a0 = lo;
    *a1 = hi;
}

uint64_t strip_pos(const view_t *v, double a0, double a1, int k, int n)
{
    double turns = a0 + (k + 0.5) / n * (a1 - a0);
    return v->ref + (uint64_t)(int64_t)ldexp(turns, 64 - 1) * 2u;
}

int strip_texel(const scene_node_t *nodes, uint16_t slot, uint8_t *t)
{
    if (slot >= RS_MAX_NODES) {
        t[0] = t[1] = t[2] = 40;
        t[3] = 0;
        return -1;
    }
    const scene_node_t *nd = &nodes[slot];
    t[0] = (uint8_t)(nd->r * 255.0f + 0.5f);
    t[1] = (uint8_t)(nd->g * 255.0f + 0.5f);
    t[2] = (uint8_t)(nd->b * 255.0f + 0.5f);
    t[3] = 0;
    return 0;
}
