/* sst_probes — one point per node and k probes per key, the nearest
 * successor winning (multiprobe): the points are the scene's (the
 * strategy's own); for the key under the pointer its probe fan, the
 * winning probe and the point it reached. Flights turn at the winning
 * probe. */
#include "sst_kind.h"

#include "place.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void probe_fan(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                      const sst_overlay_t *o, uint64_t pos)
{
    strat_key_t key;
    place_key_at(&s->strat, pos, &key);
    strat_where_t w;
    sim_locate(s, &key, &w);
    if (w.owner == RING_NONE)
        return;
    float kx, ky;
    sst_ring_at(v, pos, 0, &kx, &ky);
    uint32_t win = sst_node_rgba(nodes, w.owner, 1.0f);
    for (uint32_t j = 0; j < s->strat.params.probes; j++) {
        float x, y;
        sst_ring_at(v, strat_probe(pos, j), 0, &x, &y);
        if ((int32_t)j == w.probe)
            continue;
        draw_line(d, kx, ky, x, y, 1.0f * o->u, 0xFFFFFF40u);
        draw_circle(d, x, y, 3 * o->u, 0xDDE3EEC0u);
    }
    float x, y, px, py;
    sst_ring_at(v, w.probe_hash, 0, &x, &y);
    sst_ring_at(v, w.point, 0, &px, &py);
    draw_line(d, kx, ky, x, y, 2.5f * o->u, win);
    draw_circle(d, x, y, 5 * o->u, win);
    draw_ring(d, px, py, 8 * o->u, 2 * o->u, win);
    draw_circle(d, kx, ky, 5 * o->u, 0xFFFFFFFFu);
    t->hover_owner = w.owner;
    char text[NODEID_MAX + 96];
    snprintf(text, sizeof text, "probe %d of %u reaches a point first \xE2\x86\x92 %s", w.probe,
             s->strat.params.probes, s->ring.nodes[w.owner].id);
    float tw = font_width(d->font, FONT_SMALL, text, strlen(text)), tx = o->mouse_x + 14 * o->u;
    if (tx + tw > o->clip[2])
        tx = fmaxf(o->clip[0], o->mouse_x - 14 * o->u - tw);
    float ty = o->mouse_y + 10 * o->u, h = (float)d->font->height[FONT_SMALL];
    tw = fminf(tw, o->clip[2] - tx);
    t->card[0] = tx - 6 * o->u, t->card[1] = ty - 3 * o->u, t->card[2] = tw + 12 * o->u, t->card[3] = h + 6 * o->u;
    draw_rect(d, t->card[0], t->card[1], t->card[2], t->card[3], 5 * o->u, 0x121722FFu);
    draw_text_fit(d, FONT_SMALL, tx, ty, tw + 1, SST_C_LABEL, text);
}

const sst_kind_t sst_probes = {
    .name = "probes",
    .way_of = sst_way_place,
    .hover = probe_fan,
};
