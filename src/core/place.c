#include "place.h"

#include <math.h>

uint64_t place_cells(const strat_t *s, const strat_nodes_t *nodes)
{
    if (!nodes->n)
        return 0;
    switch (s->kind) {
    case STRAT_MAGLEV:
    case STRAT_JUMP:
    case STRAT_MODULO:
        return s->ops->walk_len(s->state, nodes);
    default:
        return 0;
    }
}

uint16_t place_cell_owner(const strat_t *s, const strat_nodes_t *nodes, uint64_t c)
{
    /* The preference walk from cell 0 visits the cells in order (strat.h). */
    strat_where_t w;
    strat_where_none(&w);
    w.at = 0;
    return s->ops->walk_at(s->state, nodes, &w, c);
}

uint64_t place_cell_at(uint64_t pos, uint64_t cells)
{
    /* pos · cells in two 32-bit halves: cells < 2^32 keeps both in range. */
    uint64_t hi = (pos >> 32) * cells, lo = (pos & 0xFFFFFFFFu) * cells;
    return (hi + (lo >> 32)) >> 32;
}

uint64_t place_cell_mid(uint64_t c, uint64_t cells)
{
    /* Double is exact enough: a cell is at least 2^64 / 2^24 positions wide. */
    return (uint64_t)ldexp(((double)c + 0.5) / (double)cells, 64);
}

void place_of(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
              place_t *out)
{
    out->kind = PLACE_NONE;
    out->pos = out->cell = out->cells = 0;
    if (w->owner == RING_NONE)
        return;
    switch (s->kind) {
    case STRAT_RING:
    case STRAT_BOUNDED:
        out->kind = PLACE_RING;
        out->pos = key->hash;
        return;
    case STRAT_KETAMA:
        out->kind = PLACE_RING;
        out->pos = (uint64_t)key->hash32 << 32;
        return;
    case STRAT_MULTIPROBE:
        out->kind = PLACE_RING;
        out->pos = w->probe_hash;
        return;
    case STRAT_MAGLEV:
    case STRAT_JUMP:
    case STRAT_MODULO:
        out->kind = PLACE_CELL;
        out->cells = place_cells(s, nodes);
        out->cell = (uint64_t)w->at;
        out->pos = place_cell_mid(out->cell, out->cells);
        return;
    default:
        return;
    }
}

size_t place_overflow(const strat_t *s, const strat_nodes_t *nodes, const store_t *st, uint64_t *out, size_t cap)
{
    const ring_t *r = nodes->ring;
    if (s->kind != STRAT_BOUNDED || !r->count || !st->count)
        return 0;
    size_t n = 0;
    /* keys ascend, so do their successors, until every point is passed and
     * the rest wrap to point 0 */
    uint32_t j = ring_lookup(r, st->hash[0]);
    int wrapped = r->pos[j] < st->hash[0];
    for (size_t i = 0; i < st->count; i++) {
        uint64_t h = st->hash[i];
        while (!wrapped && r->pos[j] < h)
            if (++j == r->count)
                wrapped = 1;
        if (st->owner[i] != r->node[wrapped ? 0 : j]) {
            if (n < cap)
                out[n] = h;
            n++;
        }
    }
    return n;
}

const strat_points_t *place_points(const strat_t *s)
{
    return s->ops->points ? s->ops->points(s->state) : NULL;
}
