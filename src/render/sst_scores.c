/* sst_scores — strategies where every node scores each key and the highest
 * wins (rendezvous): nothing on the ring; for the key under the pointer a
 * card of every node's score, the winner marked. Flights go straight. */
#include "sst_kind.h"

#include <math.h>

static void scores_way_of(const sim_t *s, size_t pos, float out[3])
{
    (void)s, (void)pos;
    out[2] = 3.0f;
}

static void score_card(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                       const sst_overlay_t *o, uint64_t pos)
{
    (void)v;
    const strat_nodes_t *nd = &s->nodes;
    if (!nd->n)
        return;
    enum { ROWS = 12 };
    double score[RS_MAX_NODES], best = 0;
    uint32_t win = 0;
    for (uint32_t r = 0; r < nd->n; r++) {
        const ring_node_t *node = &s->ring.nodes[nd->rank[r]];
        score[r] = strat_rendezvous_score(pos, strat_node_hash(node->id, node->id_len), node->weight,
                                          !nd->weights_equal);
        if (score[r] > best)
            best = score[r], win = r;
    }
    uint32_t rows = nd->n < ROWS ? nd->n : ROWS;
    /* Past ROWS nodes: the first ROWS - 1 by rank, then the winner. */
    float u = o->u, h = (float)d->font->height[FONT_SMALL], row = h + 4 * u;
    float name_w = 70 * u, bar_w = 110 * u, w = name_w + bar_w + 20 * u, ht = row * (float)rows + 30 * u;
    float x = o->mouse_x + 16 * u, y = o->mouse_y + 12 * u;
    if (x + w > o->clip[2])
        x = o->mouse_x - 16 * u - w;
    if (y + ht > o->clip[3])
        y = o->clip[3] - ht;
    draw_rect(d, x, y, w, ht, 6 * u, 0x121722FFu); /* opaque: labels under it do not show through */
    draw_rect_stroke(d, x, y, w, ht, 6 * u, 1 * u, 0xFFFFFF14u);
    t->card[0] = x, t->card[1] = y, t->card[2] = w, t->card[3] = ht;
    draw_text(d, FONT_SMALL, x + 8 * u, y + 6 * u, SST_C_LABEL,
              nd->weights_equal ? "rendezvous scores (u)" : "rendezvous scores (\xE2\x88\x92w / ln u)");
    for (uint32_t i = 0; i < rows; i++) {
        uint32_t r = (i == rows - 1 && win >= rows) ? win : i;
        uint16_t slot = nd->rank[r];
        float ry = y + 24 * u + row * (float)i;
        draw_text_fit(d, FONT_SMALL, x + 8 * u, ry, name_w - 6 * u, r == win ? 0xFFFFFFFFu : SST_C_LEGEND,
                      s->ring.nodes[slot].id);
        float bw = (float)(score[r] / best) * bar_w;
        draw_rect(d, x + 8 * u + name_w, ry + 2 * u, bw, h - 4 * u, 2 * u,
                  sst_node_rgba(nodes, slot, r == win ? 1.0f : 0.45f));
        if (r == win)
            draw_rect_stroke(d, x + 6 * u + name_w, ry, bw + 4 * u, h, 3 * u, 1.5f * u, 0xFFFFFFFFu);
    }
    draw_circle(d, o->mouse_x, o->mouse_y, 4 * u, sst_node_rgba(nodes, nd->rank[win], 1.0f));
    t->hover_owner = nd->rank[win];
}

const sst_kind_t sst_scores = {
    .name = "scores",
    .way_of = scores_way_of,
    .hover = score_card,
};
