/* sst_points — structures of points on the ring (ring, bounded, ketama).
 *
 * The points themselves are drawn by the scene (scene_points_sync: the
 * strategy's own, or else the ring's); this module adds the flights'
 * turning points and, where the strategy overflows (STRAT_DRAW_OVERFLOW),
 * a tick at each key placed past its first choice and the rule on a thin
 * ring inside the band: where a new key hashing there would go now (the
 * band itself shows where the keys are).
 */
#include "sst_kind.h"

#include "place.h"
#include "strip.h"

#include <stdlib.h>
#include <string.h>

#define C_TICK 0xF5A524FFu   /* overflow ticks: the panel's capacity colour */

static void find_overflow(sst_t *t, const sim_t *s)
{
    t->over_valid = 1;
    size_t n = place_overflow(&s->strat, &s->nodes, &s->store, t->over, t->over_cap);
    if (n > t->over_cap) {
        uint64_t *o = realloc(t->over, n * sizeof *o);
        if (!o) {
            t->over_valid = 0;
            t->over_count = 0;
            return;
        }
        t->over = o;
        t->over_cap = n;
        place_overflow(&s->strat, &s->nodes, &s->store, t->over, t->over_cap);
    }
    t->over_count = n;
}

static void points_changed(sst_t *t, const sim_t *s, float now, int same)
{
    (void)now, (void)same;
    if (s->strat.ops->structure.flags & STRAT_DRAW_OVERFLOW)
        find_overflow(t, s);
}

/* STRAT_DRAW_OVERFLOW: the rule's ring, the owner of a new key at each
 * texel (alpha 1/3 for the selected node, as the band's). */
static void points_strip(sst_t *t, const sim_t *s, const view_t *v, const scene_node_t *nodes, double a0, double a1,
                         uint16_t selected, float now, int changed, int same)
{
    (void)same;
    t->cells = 0;
    if (!(s->strat.ops->structure.flags & STRAT_DRAW_OVERFLOW))
        return;
    t->rule = 1;
    memcpy(t->strip[0], t->strip[1], sizeof t->strip[1]);
    for (int k = 0; k < SST_STRIP; k++) {
        uint64_t pos = strip_pos(v, a0, a1, k, SST_STRIP);
        strat_key_t key;
        place_key_at(&s->strat, pos, &key);
        strat_where_t w;
        sim_locate(s, &key, &w);
        uint8_t *px = t->strip[1] + 4 * k;
        if (strip_texel(nodes, w.owner, px) == 0)
            px[3] = w.owner == selected ? 255 : 0;
    }
    if (!changed)
        memcpy(t->strip[0], t->strip[1], sizeof t->strip[1]);
    else
        t->t0 = now;
    glBindTexture(GL_TEXTURE_2D, t->strip_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    gfx_tex_sub(0, 0, SST_STRIP, 2, GL_RGBA, GL_UNSIGNED_BYTE, t->strip, sizeof t->strip);
}

/* Points shared with the ring: a flight turns where the key hashes (kind 0,
 * nothing to look up); points of the strategy's own (ketama's 32-bit ring):
 * where it lands on them. */
static void points_way_of(const sim_t *s, size_t pos, float out[3])
{
    if (s->strat.ops->points)
        sst_way_place(s, pos, out);
}

/* A tick outside the ring at each key placed past its first choice (every
 * k-th beyond a few thousand on screen: they would merge anyway). */
static void points_overlay(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                           const sst_overlay_t *o)
{
    (void)nodes, (void)s;
    if (!(t->ops->structure.flags & STRAT_DRAW_OVERFLOW))
        return;
    /* The rule's ring says what it is, in the ring's middle. */
    static const char *const say[2] = {"band: where the keys are", "inner ring: where a new key goes"};
    double cx, cy;
    view_world_to_px(v, 0, 0, &cx, &cy);
    float h = (float)d->font->height[FONT_SMALL];
    for (int i = 0; i < 2; i++) {
        float w = font_width(d->font, FONT_SMALL, say[i], strlen(say[i])), y = (float)cy + (i ? 0.1f : -1.1f) * h;
        if (sst_inside(o, (float)cx, y) && w < 1.6 * v->scale)
            draw_text(d, FONT_SMALL, (float)cx - 0.5f * w, y, i ? SST_C_LEGEND : SST_C_LABEL, say[i]);
    }
    if (!t->over_count)
        return;
    enum { MAX_TICKS = 6000 };
    size_t k = (t->over_count + MAX_TICKS - 1) / MAX_TICKS;
    for (size_t i = 0; i < t->over_count; i += k) {
        float x0, y0, x1, y1;
        sst_ring_at(v, t->over[i], 2 * o->u, &x0, &y0);
        sst_ring_at(v, t->over[i], 9 * o->u, &x1, &y1);
        if (!sst_inside(o, x1, y1))
            continue;
        draw_line(d, x0, y0, x1, y1, 1.5f * o->u, C_TICK);
        t->over_drawn++;
    }
}

const sst_kind_t sst_points = {
    .name = "points",
    .changed = points_changed,
    .strip = points_strip,
    .way_of = points_way_of,
    .overlay = points_overlay,
};
