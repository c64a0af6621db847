/* strat_ring — the reference ring (DESIGN §1), the default strategy.
 *
 * The structure is the shared ring_t itself (vnodes x weight points per
 * node), so there is nothing to build. sim rebalances the ring
 * incrementally (only keys in arcs that changed hands); this module answers
 * lookups: `at` is the point index, `point` its position. */
#include "strat.h"

static int ring_build(void **state, const strat_nodes_t *nodes, const strat_params_t *p, const struct store *st,
                      char *err, size_t err_size)
{
    (void)nodes, (void)p, (void)st, (void)err, (void)err_size;
    *state = NULL;
    return 0;
}

static void ring_release(void *state) { (void)state; }

static void ring_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)state;
    const ring_t *r = nodes->ring;
    w->probe = -1;
    w->probe_hash = 0;
    if (r->count == 0) {
        w->owner = RING_NONE;
        w->at = -1;
        w->point = 0;
        return;
    }
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

const strat_ops_t strat_ring_ops = {
    .name = "ring", .weighted = 1, .uses_vnodes = 1,
    .build = ring_build, .release = ring_release, .locate = ring_locate, .memory = ring_memory,
};
