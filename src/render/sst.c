/* sst — the table of drawing modules and what they share (sst.h). */
#include "sst_kind.h"

#include "place.h"
#include "strip.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOVER_REACH 18.0     /* px from the ring line where a hovered key is read */

/* One drawing module per structure kind. */
static const sst_kind_t *const kinds[STRAT_STRUCTURE_COUNT] = {
    [STRAT_STRUCTURE_POINTS] = &sst_points,
    [STRAT_STRUCTURE_CELLS] = &sst_cells,
    [STRAT_STRUCTURE_SCORES] = &sst_scores,
    [STRAT_STRUCTURE_PROBES] = &sst_probes,
    [STRAT_STRUCTURE_SHARDS] = &sst_shards,
};

static const sst_kind_t *kind_of(const strat_ops_t *ops)
{
    return ops && (size_t)ops->structure.kind < sizeof kinds / sizeof kinds[0] ? kinds[ops->structure.kind] : NULL;
}

int sst_kinds_complete(void)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!kinds[i])
            return 0;
    return 1;
}

void sst_init(sst_t *t)
{
    memset(t, 0, sizeof *t);
    t->hover_owner = RING_NONE;
    t->hover_shard = -1;
    t->strip_tex = strip_texture(SST_STRIP);
}

void sst_shutdown(sst_t *t)
{
    if (t->strip_tex)
        glDeleteTextures(1, &t->strip_tex);
    free(t->over);
    memset(t, 0, sizeof *t);
}

void sst_cell_band(float dpi, float *in, float *out)
{
    *in = 13.0f * dpi;
    *out = 5.0f * dpi;
}

void sst_rule_band(float dpi, float *in, float *out)
{
    *in = -19.0f * dpi;
    *out = -23.0f * dpi;
}

void sst_update(sst_t *t, const sim_t *s, const view_t *v, const scene_node_t *nodes, double a0, double a1,
                uint16_t selected, float now, int changed)
{
    const sst_kind_t *k = kind_of(s->strat.ops);
    int same = t->ops == s->strat.ops;
    if (!same) {
        /* another strategy: nothing of the last one's stays on screen */
        t->swap = 0;
        t->over_count = 0;
        t->over_valid = 1;
    }
    if ((changed || !same) && k && k->changed)
        k->changed(t, s, now, same);
    t->rule = 0;
    if (k && k->strip)
        k->strip(t, s, v, nodes, a0, a1, selected, now, changed, same);
    else
        t->cells = 0;
    t->ops = s->strat.ops;
}

/* ---- helpers of the modules ---------------------------------------------- */

uint32_t sst_node_rgba(const scene_node_t *nodes, uint16_t slot, float a)
{
    const scene_node_t *nd = &nodes[slot < RS_MAX_NODES ? slot : 0];
    return draw_rgba(nd->r, nd->g, nd->b, a);
}

uint32_t sst_faded(uint32_t c, float a)
{
    a = a < 0 ? 0 : a > 1 ? 1 : a;
    return (c & 0xFFFFFF00u) | (uint32_t)((float)(c & 0xFF) * a + 0.5f);
}

void sst_ring_at(const view_t *v, uint64_t p, double off, float *x, float *y)
{
    double px, py;
    view_ring_px(v, p, 1.0 + off / v->scale, &px, &py);
    *x = (float)px;
    *y = (float)py;
}

int sst_inside(const sst_overlay_t *o, float x, float y)
{
    return x >= o->clip[0] && x <= o->clip[2] && y >= o->clip[1] && y <= o->clip[3];
}

void sst_way_place(const sim_t *s, size_t pos, float out[3])
{
    strat_key_t key;
    sim_key_at(s, pos, &key);
    strat_where_t w;
    sim_locate(s, &key, &w);
    place_t pl;
    place_of(&s->strat, &s->nodes, &key, &w, &pl);
    if (pl.kind == PLACE_NONE)
        return;
    view_split(pl.pos, out);
    out[2] = pl.kind == PLACE_CELL ? 2.0f : 1.0f;
}

/* ---- flights and the overlay ---------------------------------------------- */

void sst_way_of(const sim_t *s, size_t pos, float out[3])
{
    out[0] = out[1] = out[2] = 0.0f;
    const sst_kind_t *k = kind_of(s->strat.ops);
    if (k && k->way_of)
        k->way_of(s, pos, out);
}

/* The key under the cursor, if it is within reach of the ring line. */
static int hovered_key(const view_t *v, const sst_overlay_t *o, uint64_t *pos)
{
    if (o->mouse_x < 0 || !sst_inside(o, o->mouse_x, o->mouse_y))
        return 0;
    double dist;
    *pos = view_px_to_ring(v, o->mouse_x, o->mouse_y, &dist);
    return fabs(dist) <= HOVER_REACH * o->u;
}

void sst_draw_overlay(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                      const sst_overlay_t *o)
{
    if (!s->nodes.n)
        return;
    /* what was drawn at the last update: the strip and the books agree */
    const sst_kind_t *k = kind_of(t->ops);
    t->over_drawn = 0;
    if (k && k->overlay)
        k->overlay(t, nodes, d, s, v, o);
}

void sst_draw_hover(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                    const sst_overlay_t *o)
{
    const sst_kind_t *k = kind_of(t->ops);
    t->hover_owner = RING_NONE;
    t->hover_shard = -1;
    t->card[2] = 0;
    if (!s->nodes.n)
        return;
    uint64_t pos;
    if (k && k->hover_lump && o->lump && o->mouse_x >= 0)
        k->hover_lump(t, nodes, d, s, v, o);
    else if (k && k->hover && hovered_key(v, o, &pos))
        k->hover(t, nodes, d, s, v, o, pos);
}
