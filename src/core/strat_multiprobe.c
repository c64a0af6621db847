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
 * has: a lookup is k index reads. Incremental on remove (only the removed
 * node's keys can move: every other key's winning point stays and the other
 * distances only grow); an add is a full recompute (any key's probes may
 * land nearer the new point). `at` is the winning point's index, `probe` j.
 */
#include "strat.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct mprobe {
    uint32_t count;
    uint32_t k;
    unsigned shift;
    uint64_t *pos;     /* sorted points */
    uint16_t *node;    /* their node slots */
    uint32_t *index;   /* index[b]: first point with pos >> shift >= b */
    size_t index_len;
} mprobe_t;

static void mprobe_release(void *state)
{
    mprobe_t *m = state;
    if (m) {
        free(m->pos);
        free(m->node);
        free(m->index);
    }
    free(m);
}

static int mprobe_build(void **state, const strat_nodes_t *nodes, const strat_params_t *p, const struct store *st,
                        char *err, size_t err_size)
{
    (void)st;
    uint32_t n = nodes->n;
    unsigned bits = 1;
    while (bits < 16 && (1u << bits) < 2u * n)
        bits++;
    mprobe_t *m = calloc(1, sizeof *m);
    if (m) {
        m->k = p->probes;
        m->shift = 64 - bits;
        m->index_len = (size_t)1 << bits;
        m->pos = malloc((n + 1) * sizeof *m->pos);
        m->node = malloc((n + 1) * sizeof *m->node);
        m->index = malloc(m->index_len * sizeof *m->index);
    }
    if (!m || !m->pos || !m->node || !m->index) {
        mprobe_release(m);
        snprintf(err, err_size, "out of memory building multiprobe points");
        return -1;
    }
    /* Insertion in rank order keeps equal points in rank order. */
    for (uint32_t i = 0; i < n; i++) {
        const ring_node_t *node = &nodes->ring->nodes[nodes->rank[i]];
        uint64_t h = strat_node_hash(node->id, node->id_len);
        uint32_t j = m->count;
        while (j > 0 && m->pos[j - 1] > h) {
            m->pos[j] = m->pos[j - 1];
            m->node[j] = m->node[j - 1];
            j--;
        }
        m->pos[j] = h;
        m->node[j] = nodes->rank[i];
        m->count++;
    }
    uint32_t i = 0;
    for (size_t b = 0; b < m->index_len; b++) {
        while (i < m->count && (m->pos[i] >> m->shift) < b)
            i++;
        m->index[b] = i;
    }
    *state = m;
    return 0;
}

static void mprobe_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)nodes;
    const mprobe_t *m = state;
    if (m->count == 0) {
        w->owner = RING_NONE;
        w->at = -1;
        w->point = 0;
        w->probe = -1;
        w->probe_hash = 0;
        return;
    }
    uint64_t best_d = UINT64_MAX, best_p = 0;
    uint32_t best_i = 0;
    int32_t best_j = -1;
    for (uint32_t j = 0; j < m->k; j++) {
        uint64_t p = strat_mix64(key->hash + (uint64_t)j * 0x9e3779b97f4a7c15ull);
        uint32_t i = m->index[p >> m->shift];
        while (i < m->count && m->pos[i] < p)
            i++;
        if (i == m->count)
            i = 0;
        uint64_t d = m->pos[i] - p;
        if (best_j < 0 || d < best_d)
            best_d = d, best_i = i, best_j = (int32_t)j, best_p = p;
    }
    w->owner = m->node[best_i];
    w->at = best_i;
    w->point = m->pos[best_i];
    w->probe = best_j;
    w->probe_hash = best_p;
}

static size_t mprobe_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    const mprobe_t *m = state;
    return sizeof *m + (size_t)m->count * (sizeof *m->pos + sizeof *m->node) + m->index_len * sizeof *m->index;
}

const strat_ops_t strat_multiprobe_ops = {
    .name = "multiprobe", .weighted = 0, .uses_vnodes = 0,
    .build = mprobe_build, .release = mprobe_release, .locate = mprobe_locate, .memory = mprobe_memory,
    .remove_keeps_others = 1,
};
