/* strat_multiprobe — multi-probe consistent hashing (Appleton & O'Reilly,
 * 2015), DESIGN §1b.
 *
 * One point per node at nhash(ID). A key sends k probes (--probes, default
 * 21) p_j = mix64(khash + j·0x9e3779b97f4a7c15), j = 0..k-1; each probe's
 * successor point is at distance point - p_j (mod 2^64), and the key goes to
 * the node of the nearest one, ties to the smaller j. Two nodes on one point
 * (never seen with 64-bit hashes): the earlier-ranked one keeps it.
 *
 * The structure is the sorted points with a top-bits index, as the ring
 * has: a lookup is k index reads. Incremental: on remove only the removed
 * node's keys can move (every other key's winning point stays and the other
 * distances only grow); on add only keys with a probe in the arc the new
 * point took over are looked up again (after_add: k hashes, no lookups, for
 * the others). `at` is the winning point's index, `probe` j.
 */
#include "strat.h"

#include "place.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct mprobe {
    uint32_t k;
    strat_points_t pts;  /* one point per node at nhash(ID) */
    uint32_t point_of[RS_MAX_NODES]; /* node slot -> its point's index */
} mprobe_t;

static void mprobe_release(void *state)
{
    mprobe_t *m = state;
    if (m)
        strat_points_free(&m->pts);
    free(m);
}

static int mprobe_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                        const strat_params_t *p, const struct store *st, const uint64_t *own, char *err, size_t err_size)
{
    (void)own;
    (void)prev, (void)change;
    (void)st;
    uint32_t n = nodes->n;
    mprobe_t *m = calloc(1, sizeof *m);
    if (!m || strat_points_alloc(&m->pts, n) != 0) {
        mprobe_release(m);
        snprintf(err, err_size, "out of memory building multiprobe points");
        return -1;
    }
    m->k = p->probes;
    strat_points_t *pts = &m->pts;
    /* Insertion in rank order keeps equal points in rank order. */
    for (uint32_t i = 0; i < n; i++) {
        const ring_node_t *node = &nodes->ring->nodes[nodes->rank[i]];
        uint64_t h = strat_node_hash(node->id, node->id_len);
        uint32_t j = pts->count;
        while (j > 0 && pts->pos[j - 1] > h) {
            pts->pos[j] = pts->pos[j - 1];
            pts->node[j] = pts->node[j - 1];
            j--;
        }
        pts->pos[j] = h;
        pts->node[j] = nodes->rank[i];
        pts->count++;
    }
    strat_points_index(pts);
    for (uint32_t i = 0; i < pts->count; i++)
        m->point_of[pts->node[i]] = i;
    *state = m;
    return 0;
}

static void mprobe_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)nodes;
    const mprobe_t *m = state;
    const strat_points_t *pts = &m->pts;
    strat_where_none(w);
    if (pts->count == 0)
        return;
    uint64_t best_d = UINT64_MAX, best_p = 0;
    uint32_t best_i = 0;
    int32_t best_j = -1;
    for (uint32_t j = 0; j < m->k; j++) {
        uint64_t p = strat_probe(key->hash, j);
        uint32_t i = strat_points_successor(pts, p);
        uint64_t d = pts->pos[i] - p; /* wraps past 2^64 like the ring */
        if (best_j < 0 || d < best_d)
            best_d = d, best_i = i, best_j = (int32_t)j, best_p = p;
    }
    w->owner = pts->node[best_i];
    w->at = best_i;
    w->point = pts->pos[best_i];
    w->probe = best_j;
    w->probe_hash = best_p;
}

/* After an add, a probe's successor changes only if the probe lies in the
 * arc (pred, P] the new point P took over; a key none of whose probes lies
 * there keeps its owner without a lookup. */
static uint16_t mprobe_after_add(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, uint16_t old,
                                 uint16_t added)
{
    const mprobe_t *m = state;
    const strat_points_t *pts = &m->pts;
    if (old == RING_NONE || pts->count == 1)
        return added;
    uint32_t i = m->point_of[added];
    uint64_t at = pts->pos[i], pred = pts->pos[i == 0 ? pts->count - 1 : i - 1], arc = at - pred;
    for (uint32_t j = 0; j < m->k; j++) {
        uint64_t p = strat_probe(key->hash, j);
        if (p - pred - 1 < arc) {
            strat_where_t w;
            mprobe_locate(state, nodes, key, &w);
            return w.owner;
        }
    }
    return old;
}

static size_t mprobe_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    const mprobe_t *m = state;
    return sizeof *m + strat_points_memory(&m->pts);
}

static uint64_t mprobe_walk_len(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return ((const mprobe_t *)state)->pts.count;
}

static uint16_t mprobe_walk_at(const void *state, const strat_nodes_t *nodes, const strat_where_t *w, uint64_t i)
{
    (void)nodes;
    const mprobe_t *m = state;
    return m->pts.node[((uint64_t)w->at + i) % m->pts.count];
}

static const strat_points_t *mprobe_points(const void *state)
{
    return state ? &((const mprobe_t *)state)->pts : NULL;
}

static uint64_t mprobe_size(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return state ? ((const mprobe_t *)state)->pts.count : 0;
}

static void mprobe_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)nodes;
    snprintf(out, n, "multiprobe \xC2\xB7 one point per node; %u probes, the nearest successor wins "
             "\xC2\xB7 hover the ring", p->probes);
}

/* The winning probe, then the point it reached. */
static void mprobe_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key,
                            const strat_where_t *w, json_t *json, char *text, size_t text_size)
{
    (void)s, (void)nodes, (void)key;
    if (json)
        json_printf(json,
                    ",\"probe\":%d,\"probe_hash\":\"0x%016" PRIx64 "\",\"point_index\":%" PRId64 ",\"point\":\"0x%016" PRIx64
                    "\"",
                    w->probe, w->probe_hash, w->at, w->point);
    if (text)
        snprintf(text, text_size, "probe %d (0x%016" PRIx64 ") -> point %" PRId64 " at 0x%016" PRIx64 "\n", w->probe,
                 w->probe_hash, w->at, w->point);
}

/* A key's place is its winning probe: the flight passes where the probe
 * that found its node lies. */
static void mprobe_place(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
                         place_t *out)
{
    (void)s, (void)nodes, (void)key;
    out->kind = PLACE_RING;
    out->pos = w->probe_hash;
}

static const strat_param_t mprobe_params[] = {
    {.flag = "--probes", .metavar = "K", .field = "probes", .help = "probes per key, 1..64",
     .def = STRAT_PROBES_DEFAULT, .min = 1, .max = STRAT_PROBES_MAX, .offset = offsetof(strat_params_t, probes)},
};

const strat_ops_t strat_multiprobe_ops = {
    .name = "multiprobe", .weighted = 0, .uses_vnodes = 0, .params = mprobe_params, .param_count = 1,
    .build = mprobe_build, .release = mprobe_release, .locate = mprobe_locate, .memory = mprobe_memory,
    .describe = mprobe_describe, .landed = "multiprobe's winning probe", .place = mprobe_place,
    .after_add = mprobe_after_add, .remove_keeps_others = 1,
    .walk_len = mprobe_walk_len, .walk_at = mprobe_walk_at, .points = mprobe_points,
    .structure = {.kind = STRAT_STRUCTURE_PROBES, .size_name = "ring points", .size = mprobe_size},
    .legend = mprobe_legend,
};
