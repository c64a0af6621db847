/* strat_rendezvous — highest random weight hashing (DESIGN §1b).
 *
 * Node ID scores a key s = mix64(khash ^ nhash(ID)). With all weights equal
 * the largest s wins; otherwise the largest -w / ln(u), u = ((s >> 11) + 0.5)
 * * 2^-53 in double with the C library's log, ties to the larger s. Equal
 * scores (never seen with 64-bit hashes) go to the earlier-ranked node.
 *
 * The structure is each live node's nhash and weight in rank order: a
 * lookup scores every node (O(n)). Incremental: on add a key moves only if
 * the added node outscores its current owner (after_add: one score, not n);
 * on remove only the removed node's keys move. `at` is the winner's rank.
 */
#include "strat.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct hrw {
    uint32_t n;
    int weighted;
    uint64_t nh[RS_MAX_NODES];
    double w[RS_MAX_NODES];
    uint16_t rank_of[RS_MAX_NODES]; /* node slot -> rank */
} hrw_t;

static int hrw_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                     const strat_params_t *p, const struct store *st, char *err, size_t err_size)
{
    (void)prev, (void)change;
    (void)p, (void)st;
    hrw_t *h = malloc(sizeof *h);
    if (!h) {
        snprintf(err, err_size, "out of memory building rendezvous scores");
        return -1;
    }
    h->n = nodes->n;
    h->weighted = !nodes->weights_equal;
    for (uint32_t i = 0; i < nodes->n; i++) {
        const ring_node_t *node = &nodes->ring->nodes[nodes->rank[i]];
        h->nh[i] = strat_node_hash(node->id, node->id_len);
        h->w[i] = (double)node->weight;
        h->rank_of[nodes->rank[i]] = (uint16_t)i;
    }
    *state = h;
    return 0;
}

static void hrw_release(void *state) { free(state); }

static double hrw_u(uint64_t s)
{
    return ((double)(s >> 11) + 0.5) * 0x1p-53;
}

static double hrw_weighted(uint64_t s, double w)
{
    return -w / log(hrw_u(s));
}

double strat_rendezvous_score(uint64_t khash, uint64_t nhash, uint32_t weight, int weighted)
{
    uint64_t s = strat_mix64(khash ^ nhash);
    return weighted ? hrw_weighted(s, (double)weight) : hrw_u(s);
}

/* 1 if node i (score si) beats node j (score sj). */
static int hrw_beats(const hrw_t *h, uint32_t i, uint64_t si, uint32_t j, uint64_t sj)
{
    if (!h->weighted)
        return si > sj || (si == sj && i < j);
    double a = hrw_weighted(si, h->w[i]), b = hrw_weighted(sj, h->w[j]);
    if (a != b)
        return a > b;
    return si > sj || (si == sj && i < j);
}

static void hrw_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    const hrw_t *h = state;
    strat_where_none(w);
    if (h->n == 0)
        return;
    uint32_t best = 0;
    uint64_t best_s = strat_mix64(key->hash ^ h->nh[0]);
    if (!h->weighted) {
        for (uint32_t i = 1; i < h->n; i++) {
            uint64_t s = strat_mix64(key->hash ^ h->nh[i]);
            if (s > best_s)
                best = i, best_s = s;
        }
    } else {
        for (uint32_t i = 1; i < h->n; i++) {
            uint64_t s = strat_mix64(key->hash ^ h->nh[i]);
            if (hrw_beats(h, i, s, best, best_s))
                best = i, best_s = s;
        }
    }
    w->owner = nodes->rank[best];
    w->at = best;
    w->point = best_s;
}

static uint16_t hrw_after_add(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, uint16_t old,
                              uint16_t added)
{
    const hrw_t *h = state;
    if (old == RING_NONE)
        return added;
    uint32_t a = h->rank_of[added], o = h->rank_of[old];
    (void)nodes;
    return hrw_beats(h, a, strat_mix64(key->hash ^ h->nh[a]), o, strat_mix64(key->hash ^ h->nh[o])) ? added : old;
}

static size_t hrw_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    return (size_t)nodes->n * (sizeof(uint64_t) + sizeof(double) + sizeof(uint16_t));
}

static uint64_t hrw_walk_len(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    return nodes->n;
}

/* Every live node by descending score (hrw_beats' order): insertion sort,
 * as lists are short next to the n scores computed anyway. */
static void hrw_walk_order(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, uint16_t *out)
{
    const hrw_t *h = state;
    uint64_t score[RS_MAX_NODES];
    uint16_t idx[RS_MAX_NODES];
    for (uint32_t i = 0; i < h->n; i++) {
        uint64_t s = strat_mix64(key->hash ^ h->nh[i]);
        uint32_t j = i;
        while (j > 0 && hrw_beats(h, i, s, idx[j - 1], score[j - 1])) {
            score[j] = score[j - 1];
            idx[j] = idx[j - 1];
            j--;
        }
        score[j] = s;
        idx[j] = (uint16_t)i;
    }
    for (uint32_t i = 0; i < h->n; i++)
        out[i] = nodes->rank[idx[i]];
}

static void hrw_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)p, (void)nodes;
    snprintf(out, n, "rendezvous \xC2\xB7 every node scores each key, the highest wins \xC2\xB7 hover the ring");
}

/* The winner's rank and its score. */
static void hrw_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
                         json_t *json, char *text, size_t text_size)
{
    (void)s, (void)nodes, (void)key;
    if (json)
        json_printf(json, ",\"rank\":%" PRId64 ",\"score\":\"0x%016" PRIx64 "\"", w->at, w->point);
    if (text)
        snprintf(text, text_size, "rank %" PRId64 ", score 0x%016" PRIx64 "\n", w->at, w->point);
}

const strat_ops_t strat_rendezvous_ops = {
    .name = "rendezvous", .weighted = 1, .uses_vnodes = 0,
    .build = hrw_build, .release = hrw_release, .locate = hrw_locate, .memory = hrw_memory,
    .describe = hrw_describe, .landed = "rendezvous winner",
    .after_add = hrw_after_add, .remove_keeps_others = 1,
    .walk_len = hrw_walk_len, .walk_order = hrw_walk_order,
    .structure = {.kind = STRAT_STRUCTURE_SCORES, .size_name = "scores/key"},
    .legend = hrw_legend,
};
