/* sst_shards — strategies whose keys go to S shards that move whole
 * (strat_ops_t.shards): the shards are the cell ring (sst_cells.c's strip
 * and labels: cell s is shard s, in its primary's colour, and flashes when
 * the shard changes hands), a flight passes through its shard's cell, and
 * the shard under the pointer — its cell on the ring, or its lump in a
 * node's cloud (scene_lumps.h) — gets a card: its number, its keys, the
 * nodes that hold it; its cell is marked, and a hovered lump is ringed and
 * tied to its cell, so the two pictures of a shard read as one.
 */
#include "sst_kind.h"

#include "nodeid.h"
#include "num.h"
#include "place.h"
#include "shardmap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define CARD_LINES 3

/* The card's lines for shard sh (at: the node whose lump is hovered, or
 * RING_NONE for its cell). */
static void card_text(const sim_t *s, uint32_t sh, uint16_t at, char line[CARD_LINES][NODEID_MAX + 160])
{
    const shardmap_t *m = sim_shards(s);
    uint32_t n;
    const uint16_t *h = shardmap_holders(m, sh, &n);
    const ring_t *r = &s->ring;
    int copy = at != RING_NONE && n && h[0] != at;
    snprintf(line[0], sizeof line[0], "shard %u of %u%s%s", sh, m->shards, copy ? "  \xC2\xB7  a copy at " : "",
             copy ? r->nodes[at].id : "");
    char keys[32];
    num_int(shardmap_keys(m, sh), keys, sizeof keys);
    if (!n)
        snprintf(line[1], sizeof line[1], "%s keys  \xC2\xB7  no node holds it", keys);
    else
        snprintf(line[1], sizeof line[1], "%s key%s  \xC2\xB7  primary %s%s", keys,
                 shardmap_keys(m, sh) == 1 ? "" : "s", r->nodes[h[0]].id,
                 shardmap_lost(m, sh) ? "  \xC2\xB7  re-made empty (lost)" : "");
    int at_len = snprintf(line[2], sizeof line[2], "%s", n > 1 ? "copies at" : "");
    for (uint32_t j = 1; j < n && at_len >= 0 && (size_t)at_len < sizeof line[2]; j++)
        at_len += snprintf(line[2] + at_len, sizeof line[2] - (size_t)at_len, "%s %s", j > 1 ? "," : "",
                           r->nodes[h[j]].id);
}

/* The shard's cell marked on the ring: a bracket just outside the cells
 * and a tick at its middle; returns the tick's outer end. */
static void mark_cell(draw_t *d, const view_t *v, const sst_overlay_t *o, uint32_t sh, uint32_t shards, float *tx,
                      float *ty)
{
    float cin, cout;
    sst_cell_band(o->u, &cin, &cout);
    double off = cin + 3 * o->u;
    uint64_t a = place_cell_mid(sh, shards) - (uint64_t)(UINT64_MAX / shards / 2), span = UINT64_MAX / shards;
    const int steps = 12;
    float px = 0, py = 0;
    for (int i = 0; i <= steps; i++) {
        float x, y;
        sst_ring_at(v, a + (uint64_t)((double)span * i / steps), off, &x, &y);
        if (i)
            draw_line(d, px, py, x, y, 2 * o->u, 0xFFFFFFE6u);
        px = x, py = y;
    }
    float x0, y0;
    sst_ring_at(v, place_cell_mid(sh, shards), off, &x0, &y0);
    sst_ring_at(v, place_cell_mid(sh, shards), off + 10 * o->u, tx, ty);
    draw_line(d, x0, y0, *tx, *ty, 2 * o->u, 0xFFFFFFE6u);
}

/* The card at the pointer, opaque (labels under it do not show through). */
static void card(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const sst_overlay_t *o,
                 uint32_t sh, uint16_t at)
{
    char line[CARD_LINES][NODEID_MAX + 160];
    card_text(s, sh, at, line);
    float u = o->u, h = (float)d->font->height[FONT_SMALL], w = 0;
    int lines = line[2][0] ? 3 : 2;
    for (int i = 0; i < lines; i++)
        w = fmaxf(w, font_width(d->font, FONT_SMALL, line[i], strlen(line[i])));
    w = fminf(w, 320 * u) + 24 * u;
    float ht = (float)lines * (h + 2 * u) + 16 * u;
    float x = o->mouse_x + 16 * u, y = o->mouse_y + 12 * u;
    if (x + w > o->clip[2])
        x = o->mouse_x - 16 * u - w;
    if (y + ht > o->clip[3])
        y = o->mouse_y - 12 * u - ht;
    x = fmaxf(x, o->clip[0] + 4 * u);
    y = fmaxf(y, o->clip[1] + 4 * u);
    draw_rect(d, x, y, w, ht, 6 * u, 0x121722FFu);
    draw_rect_stroke(d, x, y, w, ht, 6 * u, 1 * u, 0xFFFFFF14u);
    uint16_t primary = shardmap_primary(sim_shards(s), sh);
    if (primary != RING_NONE)
        draw_rect(d, x, y + 8 * u, 3 * u, ht - 16 * u, 1.5f * u, sst_node_rgba(nodes, primary, 1));
    for (int i = 0; i < lines; i++)
        draw_text_fit(d, FONT_SMALL, x + 12 * u, y + 8 * u + (float)i * (h + 2 * u), w - 18 * u,
                      i ? SST_C_LEGEND : 0xFFFFFFFFu, line[i]);
    t->card[0] = x, t->card[1] = y, t->card[2] = w, t->card[3] = ht;
    t->hover_owner = primary;
    t->hover_shard = sh;
}

/* Near the ring line: the shard whose cell is under the pointer. */
static void shard_of_cell(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                          const sst_overlay_t *o, uint64_t pos)
{
    const shardmap_t *m = sim_shards(s);
    if (!m || !m->shards)
        return;
    uint32_t sh = (uint32_t)place_cell_at(pos, m->shards);
    float tx, ty;
    mark_cell(d, v, o, sh, m->shards, &tx, &ty);
    card(t, nodes, d, s, o, sh, RING_NONE);
}

/* In a cloud: the lump under the pointer, ringed and tied to its cell. */
static void shard_of_lump(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                          const sst_overlay_t *o)
{
    const shardmap_t *m = sim_shards(s);
    if (!m || o->lump_shard >= m->shards)
        return;
    float tx, ty;
    mark_cell(d, v, o, o->lump_shard, m->shards, &tx, &ty);
    float dx = tx - o->lump_x, dy = ty - o->lump_y, len = hypotf(dx, dy);
    if (len > o->lump_r * 1.5f)
        draw_line(d, o->lump_x + dx / len * o->lump_r * 1.5f, o->lump_y + dy / len * o->lump_r * 1.5f, tx, ty,
                  1 * o->u, 0xFFFFFF80u);
    draw_ring(d, o->lump_x, o->lump_y, o->lump_r * 1.5f + 2 * o->u, 1.5f * o->u, 0xFFFFFFE6u);
    card(t, nodes, d, s, o, o->lump_shard, o->lump_node);
}

const sst_kind_t sst_shards = {
    .name = "shards",
    .strip = sst_cells_strip,
    .way_of = sst_way_place,
    .overlay = sst_cells_overlay,
    .hover = shard_of_cell,
    .hover_lump = shard_of_lump,
};
