#include "place.h"

#include <math.h>

uint64_t place_cells(const strat_t *s, const strat_nodes_t *nodes)
{
    return nodes->n && s->ops->cells ? s->ops->cells(s, nodes) : 0;
}

uint16_t place_cell_owner(const strat_t *s, const strat_nodes_t *nodes, uint64_t c)
{
    return s->ops->cell_owner ? s->ops->cell_owner(s, nodes, c) : RING_NONE;
}

uint64_t place_walk_cells(const strat_t *s, const strat_nodes_t *nodes)
{
    return s->ops->walk_len(s->state, nodes);
}

uint16_t place_walk_cell_owner(const strat_t *s, const strat_nodes_t *nodes, uint64_t c)
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
    if (w->owner != RING_NONE && s->ops->place)
        s->ops->place(s, nodes, key, w, out);
}

void place_at_key(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
                  place_t *out)
{
    (void)nodes, (void)w;
    const strat_keyhash_t *kh = s->ops->key_hash;
    out->kind = PLACE_RING;
    out->pos = kh ? strat_own_pos(kh, key->own) : key->hash;
}

void place_at_cell(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
                   place_t *out)
{
    (void)key;
    out->kind = PLACE_CELL;
    out->cells = place_cells(s, nodes);
    out->cell = (uint64_t)w->at;
    out->pos = place_cell_mid(out->cell, out->cells);
}

void place_key_at(const strat_t *s, uint64_t pos, strat_key_t *key)
{
    const strat_keyhash_t *kh = s->ops->key_hash;
    key->hash = pos;
    key->own = 0;
    if (kh) {
        /* The inverse of strat_own_pos: the own hash placed at pos. */
        uint64_t bits = kh->signed_order ? pos ^ 0x8000000000000000ull : pos;
        key->own = kh->bits >= 64 ? bits : bits >> (64 - kh->bits);
    }
    key->index = -1;
}

size_t place_overflow(const strat_t *s, const strat_nodes_t *nodes, const store_t *st, uint64_t *out, size_t cap)
{
    return s->ops->overflow ? s->ops->overflow(s->state, nodes, st, out, cap) : 0;
}

const strat_points_t *place_points(const strat_t *s)
{
    return s->ops->points ? s->ops->points(s->state) : NULL;
}
