/* strat_ring — the reference ring (DESIGN §1), the default strategy.
 *
 * The structure is the shared ring_t itself (vnodes x weight points per
 * node), so there is nothing to build. sim rebalances the ring
 * incrementally (only keys in arcs that changed hands); this module answers
 * lookups: `at` is the point index, `point` its position. */
#include "strat.h"

#include "place.h"

#include <inttypes.h>
#include <stdio.h>

static void ring_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)state;
    const ring_t *r = nodes->ring;
    strat_where_none(w);
    if (r->count == 0)
        return;
    uint32_t i = ring_lookup(r, key->hash);
    w->owner = r->node[i];
    w->at = i;
    w->point = r->pos[i];
}

static size_t ring_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    const ring_t *r = nodes->ring;
    return (size_t)r->count * (sizeof *r->pos + sizeof *r->node + sizeof *r->vnode) + r->index_cap * sizeof *r->index;
}

uint64_t strat_ring_walk_len(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    return nodes->ring->count;
}

uint16_t strat_ring_walk_at(const void *state, const strat_nodes_t *nodes, const strat_where_t *w, uint64_t i)
{
    (void)state;
    const ring_t *r = nodes->ring;
    return r->node[((uint64_t)w->at + i) % r->count];
}

static uint64_t ring_size(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    return nodes->ring->count;
}

static void ring_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)p, (void)nodes;
    snprintf(out, n, "ring \xC2\xB7 vnodes \xC3\x97 weight points per node; a key goes to the next point clockwise");
}

/* The point a key landed on, with its vnode (ring and bounded share it). */
void strat_ring_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
                         json_t *json, char *text, size_t text_size)
{
    (void)s, (void)key;
    uint32_t vnode = nodes->ring->vnode[w->at];
    if (json)
        json_printf(json, ",\"point_index\":%" PRId64 ",\"point\":\"0x%016" PRIx64 "\",\"vnode\":%u", w->at, w->point,
                    vnode);
    if (text)
        snprintf(text, text_size, "point %" PRId64 " (vnode %u) at 0x%016" PRIx64 "\n", w->at, vnode, w->point);
}

const strat_ops_t strat_ring_ops = {
    .name = "ring", .weighted = 1, .uses_vnodes = 1, .follows_arcs = 1,
    .build = strat_no_structure_build, .release = strat_no_structure_release,
    .locate = ring_locate, .memory = ring_memory, .describe = strat_ring_describe, .landed = "ring point (index and position)", .place = place_at_key,
    .walk_len = strat_ring_walk_len, .walk_at = strat_ring_walk_at,
    .structure = {.kind = STRAT_STRUCTURE_POINTS, .size_name = "ring points", .size = ring_size},
    .legend = ring_legend,
};
