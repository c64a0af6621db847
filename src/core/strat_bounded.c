/* strat_bounded — consistent hashing with bounded loads (Mirrokni, Thorup,
 * Zadimoghaddam, SODA 2018), DESIGN §1b.
 *
 * On exactly the ring's points (vnodes x weight per node). With m keys,
 * balance P percent (>= 100) and W the sum of weights, node i may hold
 * ceil(P·m·w_i / (100·W)) keys. Keys are placed in id order (vec_000000
 * first), each at the first point clockwise from its successor whose node is
 * still under capacity. Full recompute, always: where a key lands depends on
 * every key placed before it, so any change (and any new key) re-places all
 * of them. Total capacity is at least m, so every key finds a place.
 *
 * Skipping full nodes is a union-find "next open point" over the points: a
 * node that fills up links its points to their clockwise neighbours, so each
 * placement costs near-constant time whatever the balance.
 *
 * Lookups answer from the placement for the store's ids; any other id (or
 * --hash) gets the first open point from its successor after all m keys,
 * or the successor's node when every node is full. `at` is the point index,
 * `probe` the number of points passed over because their node was full.
 * Memory: placement (6 bytes a key), the union-find (4 bytes a point) and
 * per-node loads.
 */
#include "strat.h"

#include "place.h"

#include "store.h"

#include <string.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

uint64_t strat_bounded_capacity(uint32_t balance, uint64_t m, uint32_t w, uint64_t weight_sum)
{
    /* P <= 1e5, m <= 2e8, w <= 1e3: the product stays below 2^64. */
    uint64_t num = (uint64_t)balance * m * w, den = 100 * weight_sum;
    return den ? (num + den - 1) / den : 0;
}

typedef struct bounded {
    uint64_t m;
    uint32_t count;              /* ring points */
    uint32_t *open;              /* union-find: a point at or after i whose node is open */
    uint16_t *owner;             /* by embedding index */
    uint32_t *at;                /* by embedding index: point index */
    uint64_t cap[RS_MAX_NODES];
    uint64_t load[RS_MAX_NODES];
    int any_open;
} bounded_t;

static void bounded_release(void *state)
{
    bounded_t *b = state;
    if (b) {
        free(b->open);
        free(b->owner);
        free(b->at);
    }
    free(b);
}

static uint32_t open_find(uint32_t *open, uint32_t i)
{
    uint32_t root = i;
    while (open[root] != root)
        root = open[root];
    while (open[i] != root) {
        uint32_t next = open[i];
        open[i] = root;
        i = next;
    }
    return root;
}

static int bounded_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                         const strat_params_t *p, const struct store *st, const uint64_t *own, char *err, size_t err_size)
{
    (void)own;
    (void)prev, (void)change;
    const ring_t *r = nodes->ring;
    uint64_t m = st ? st->count : 0;
    bounded_t *b = calloc(1, sizeof *b);
    uint32_t *inv = malloc((m + 1) * sizeof *inv);
    uint32_t *by_node = malloc(((size_t)r->count + 1) * sizeof *by_node);
    uint32_t *first = calloc((size_t)r->slot_count + 1, sizeof *first);
    if (b) {
        b->m = m;
        b->count = r->count;
        b->open = malloc(((size_t)r->count + 1) * sizeof *b->open);
        b->owner = malloc((m + 1) * sizeof *b->owner);
        b->at = malloc((m + 1) * sizeof *b->at);
    }
    if (!b || !inv || !by_node || !first || !b->open || !b->owner || !b->at) {
        free(inv), free(by_node), free(first);
        bounded_release(b);
        snprintf(err, err_size, "out of memory placing keys with bounded loads");
        return -1;
    }
    for (uint32_t i = 0; i < r->count; i++)
        b->open[i] = i;
    /* Points grouped by node (counting sort), to close a node's points when
     * it fills up. */
    for (uint32_t i = 0; i < r->count; i++)
        first[r->node[i] + 1]++;
    for (uint32_t s = 0; s < r->slot_count; s++)
        first[s + 1] += first[s];
    for (uint32_t i = 0; i < r->count; i++)
        by_node[first[r->node[i]]++] = i;
    for (uint32_t s = r->slot_count; s > 0; s--)
        first[s] = first[s - 1];
    first[0] = 0;
    for (uint32_t i = 0; i < nodes->n; i++) {
        uint16_t s = nodes->rank[i];
        b->cap[s] = strat_bounded_capacity(p->balance, m, r->nodes[s].weight, nodes->weight_sum);
    }
    for (size_t pos = 0; pos < m; pos++)
        inv[st->index[pos]] = (uint32_t)pos;
    for (uint64_t k = 0; k < m; k++) {
        if (r->count == 0) {
            b->owner[k] = RING_NONE;
            b->at[k] = 0;
            continue;
        }
        uint32_t j = open_find(b->open, ring_lookup(r, st->hash[inv[k]]));
        uint16_t s = r->node[j];
        b->owner[k] = s;
        b->at[k] = j;
        if (++b->load[s] == b->cap[s]) {
            for (uint32_t q = first[s]; q < first[s + 1]; q++) {
                uint32_t i = by_node[q];
                b->open[i] = i + 1 == r->count ? 0 : i + 1;
            }
        }
    }
    b->any_open = 0;
    for (uint32_t i = 0; i < nodes->n; i++)
        b->any_open |= b->load[nodes->rank[i]] < b->cap[nodes->rank[i]];
    free(inv), free(by_node), free(first);
    *state = b;
    return 0;
}

static void bounded_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    const bounded_t *b = state;
    const ring_t *r = nodes->ring;
    strat_where_none(w);
    if (r->count == 0)
        return;
    uint32_t succ = ring_lookup(r, key->hash), j;
    if (key->index >= 0 && (uint64_t)key->index < b->m) {
        j = b->at[key->index];
    } else if (b->any_open) {
        j = succ; /* read-only find: lookups never change the structure */
        while (b->open[j] != j)
            j = b->open[j];
    } else {
        j = succ;
    }
    w->owner = r->node[j];
    w->at = j;
    w->point = r->pos[j];
    w->probe = (int32_t)(j >= succ ? j - succ : j + r->count - succ);
}

static size_t bounded_memory(const void *state, const strat_nodes_t *nodes)
{
    const bounded_t *b = state;
    return sizeof *b + (size_t)b->count * sizeof *b->open + (size_t)b->m * (sizeof *b->owner + sizeof *b->at) +
           strat_ops(STRAT_RING)->memory(NULL, nodes);
}

/* Owner of an embedding in the placement (RING_NONE past it): what sim
 * reads instead of a lookup. */
static uint16_t bounded_placed_owner(const void *state, const strat_key_t *key)
{
    const bounded_t *b = state;
    int64_t k = key->index;
    return k >= 0 && (uint64_t)k < b->m ? b->owner[k] : RING_NONE;
}


static uint64_t bounded_size(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    return nodes->ring->count;
}

static uint64_t bounded_capacity(const strat_params_t *p, uint64_t m, uint32_t w, uint64_t weight_sum)
{
    return strat_bounded_capacity(p->balance, m, w, weight_sum);
}

static void bounded_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)nodes;
    snprintf(out, n, "bounded \xC2\xB7 the ring's points; a key skips nodes at capacity (%u%%)%s", p->balance,
             " \xC2\xB7 ticks: keys placed past their first choice");
}
/* The keys placed past their first choice, in store order (place.h). A
 * skipped point's node is full for good, so a key overflowed exactly when
 * its owner is not its successor point's node: one merge walk of the
 * sorted keys and points, no lookups. */
static size_t bounded_overflow(const void *state, const strat_nodes_t *nodes, const store_t *st, uint64_t *out,
                               size_t cap)
{
    (void)state;
    const ring_t *r = nodes->ring;
    if (!r->count || !st->count)
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

/* The ring's point and vnode, then the full nodes' points passed over. */
static void bounded_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key,
                             const strat_where_t *w, json_t *json, char *text, size_t text_size)
{
    int placed = key->index >= 0;
    strat_ring_describe(s, nodes, key, w, json, text, text_size);
    if (json)
        json_printf(json, ",\"skipped\":%d,\"placed\":%s", w->probe, placed ? "true" : "false");
    if (text) {
        size_t n = strlen(text) - 1; /* over the ring's newline */
        snprintf(text + n, text_size - n, ", %d points of full nodes passed%s\n", w->probe,
                 placed ? "" : " (not one of the placed ids: where the next key would go)");
    }
}

static const strat_param_t bounded_params[] = {
    {.flag = "--balance", .metavar = "P", .field = "balance", .help = "capacity in percent of the mean load, >= 100",
     .def = STRAT_BALANCE_DEFAULT, .min = STRAT_BALANCE_MIN, .max = STRAT_BALANCE_MAX,
     .offset = offsetof(strat_params_t, balance)},
};

const strat_ops_t strat_bounded_ops = {
    .name = "bounded", .weighted = 1, .uses_vnodes = 1, .params = bounded_params, .param_count = 1,
    .build = bounded_build, .release = bounded_release, .locate = bounded_locate, .memory = bounded_memory,
    /* From the primary's point: where the key was placed. */
    .walk_len = strat_ring_walk_len, .walk_at = strat_ring_walk_at,
    .structure = {.kind = STRAT_STRUCTURE_POINTS, .flags = STRAT_DRAW_OVERFLOW, .size_name = "ring points",
                  .size = bounded_size, .capacity = bounded_capacity},
    .legend = bounded_legend,
    .describe = bounded_describe, .landed = "how many full nodes bounded loads passed over", .place = place_at_key, .overflow = bounded_overflow,
    .placed_owner = bounded_placed_owner,
    .locate_note = "bounded answers the ids vec_000000.. of --vectors from their placement; any\n"
                   "other key lands where the next key would: the first point from its successor\n"
                   "whose node is under capacity (\"placed\": false).\n",
};
