/* sst_points — structures of points on the ring (ring, bounded, ketama).
 *
 * The points themselves are drawn by the scene (scene_points_sync: the
 * strategy's own, or else the ring's); this module adds a tick at each key
 * placed past its first choice where the strategy overflows
 * (STRAT_DRAW_OVERFLOW), and the flights' turning points.
 */
#include "sst_kind.h"

#include "place.h"

#include <stdlib.h>

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
    if (!(t->ops->structure.flags & STRAT_DRAW_OVERFLOW) || !t->over_count)
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
    .way_of = points_way_of,
    .overlay = points_overlay,
};
