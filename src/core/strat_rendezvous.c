/* strat_rendezvous — highest random weight hashing (DESIGN §1b).
 *
 * Node ID scores a key s = mix64(khash ^ nhash(ID)). With all weights equal
 * the largest s wins; otherwise the largest -w / ln(u), u = ((s >> 11) + 0.5)
 * * 2^-53 in double with the C library's log, ties to the larger s. Equal
 * scores (never seen with 64-bit hashes) go to the earlier-ranked node.
 *
 * The structure is each live node's nhash and weight in rank order: a
 * lookup scores every node (O(n)). With weights, -ln u >= 1 - u bounds a
 * node's score by w / (1 - u), so the log is taken only for the few nodes
 * that could beat the best so far. Incremental: on add a key moves only if
 * the added node outscores its current owner (after_add: one score, not
 * n); on remove only the removed node's keys move; on a weight change only
 * the changed node can take keys (heavier) or give its own away (lighter)
 * (after_weight). Preference lists take the top R by one pass over the n
 * scores into a short sorted buffer (walk_rank), never a sort of all n.
 * `at` is the winner's rank.
 */
#include "strat.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct hrw {
    uint32_t n;
    int weighted;
    int order_changed;  /* weighted or not flipped at this build: after_weight looks every key up */
    uint64_t nh[RS_MAX_NODES];
    double w[RS_MAX_NODES];
    uint16_t rank_of[RS_MAX_NODES]; /* node slot -> rank */
} hrw_t;

static int hrw_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                     const strat_params_t *p, const struct store *st, const uint64_t *own, char *err, size_t err_size)
{
    (void)own;
    (void)change;
    (void)p, (void)st;
    hrw_t *h = malloc(sizeof *h);
    if (!h) {
        snprintf(err, err_size, "out of memory building rendezvous scores");
        return -1;
    }
    h->n = nodes->n;
    h->weighted = !nodes->weights_equal;
    h->order_changed = !prev || ((const hrw_t *)prev)->weighted != h->weighted;
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

/* 0 when a node of weight w with raw score s certainly scores below t (a
 * weighted score as hrw_weighted computes it): -ln u >= 1 - u, so its score
 * is at most w / (1 - u); the margin, far above the few ulps of rounding in
 * either computation, keeps the answer exact. 1: it may reach t (take the
 * log). No log, no division. */
static int hrw_may_reach(uint64_t s, double w, double t)
{
    double rest = 1.0 - hrw_u(s);
    if (!(t > 0.0) || isinf(t) || !(rest > 0.0))
        return 1;
    return w * (1.0 + 0x1p-40) >= t * rest;
}

/* 0 when a node of weight wi with raw score si certainly scores below one
 * of weight wj with raw score sj: its upper bound w / (1 - u) below the
 * other's lower bound w·u / (1 - u) (ln(1/u) <= 1/u - 1), with margins. */
static int hrw_may_beat(uint64_t si, double wi, uint64_t sj, double wj)
{
    double ui = hrw_u(si), uj = hrw_u(sj), ri = 1.0 - ui, rj = 1.0 - uj;
    if (!(ri > 0.0) || !(rj > 0.0))
        return 1;
    return wi * rj * (1.0 + 0x1p-40) >= wj * uj * ri;
}

/* 1 if node i (raw score si, weighted score ei) beats node j; the weighted
 * scores are read only when weighted. */
static int hrw_order(int weighted, uint32_t i, uint64_t si, double ei, uint32_t j, uint64_t sj, double ej)
{
    if (weighted && ei != ej)
        return ei > ej;
    return si > sj || (si == sj && i < j);
}

/* 1 if node i (score si) beats node j (score sj). */
static int hrw_beats(const hrw_t *h, uint32_t i, uint64_t si, uint32_t j, uint64_t sj)
{
    if (!h->weighted)
        return hrw_order(0, i, si, 0.0, j, sj, 0.0);
    if (!hrw_may_beat(si, h->w[i], sj, h->w[j]))
        return 0;
    return hrw_order(1, i, si, hrw_weighted(si, h->w[i]), j, sj, hrw_weighted(sj, h->w[j]));
}

/* The winner's rank (and raw score) among every node. */
static uint32_t hrw_best(const hrw_t *h, uint64_t khash, uint64_t *score)
{
    uint32_t best = 0;
    uint64_t best_s = strat_mix64(khash ^ h->nh[0]);
    if (!h->weighted) {
        for (uint32_t i = 1; i < h->n; i++) {
            uint64_t s = strat_mix64(khash ^ h->nh[i]);
            if (s > best_s)
                best = i, best_s = s;
        }
    } else {
        double best_e = hrw_weighted(best_s, h->w[0]);
        for (uint32_t i = 1; i < h->n; i++) {
            uint64_t s = strat_mix64(khash ^ h->nh[i]);
            if (!hrw_may_reach(s, h->w[i], best_e))
                continue;
            double e = hrw_weighted(s, h->w[i]);
            if (hrw_order(1, i, s, e, best, best_s, best_e))
                best = i, best_s = s, best_e = e;
        }
    }
    *score = best_s;
    return best;
}

static void hrw_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    const hrw_t *h = state;
    strat_where_none(w);
    if (h->n == 0)
        return;
    uint64_t s;
    uint32_t best = hrw_best(h, key->hash, &s);
    w->owner = nodes->rank[best];
    w->at = best;
    w->point = s;
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

/* Only the changed node's score moved, and the others keep their order: a
 * heavier node takes a key when it now beats the owner, a lighter one can
 * lose only its own keys. When weighting itself switched on or off at this
 * build, every key is looked up. */
static uint16_t hrw_after_weight(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, uint16_t old,
                                 uint16_t changed, int heavier)
{
    const hrw_t *h = state;
    uint64_t s;
    if (h->order_changed || old == RING_NONE || (!heavier && old == changed))
        return nodes->rank[hrw_best(h, key->hash, &s)];
    if (!heavier || old == changed)
        return old;
    return hrw_after_add(state, nodes, key, old, changed);
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

/* One key's scores across a walk: each node's raw score once, its
 * weighted score once if ever needed. */
typedef struct hrw_scratch {
    uint64_t s[RS_MAX_NODES];
    double e[RS_MAX_NODES];       /* NAN until computed */
    uint8_t taken[RS_MAX_NODES];  /* already handed out */
    uint16_t heap[RS_MAX_NODES];
} hrw_scratch_t;

static double hrw_e(const hrw_t *h, hrw_scratch_t *c, uint32_t i)
{
    if (isnan(c->e[i]))
        c->e[i] = hrw_weighted(c->s[i], h->w[i]);
    return c->e[i];
}

/* 1 if node i beats node j for the scratch's key. */
static int hrw_scratch_beats(const hrw_t *h, hrw_scratch_t *c, uint32_t i, uint32_t j)
{
    if (!h->weighted)
        return hrw_order(0, i, c->s[i], 0.0, j, c->s[j], 0.0);
    double ej = hrw_e(h, c, j);
    if (!hrw_may_reach(c->s[i], h->w[i], ej))
        return 0;
    return hrw_order(1, i, c->s[i], hrw_e(h, c, i), j, c->s[j], ej);
}

/* Sift node at heap position p down (best on top). */
static void hrw_sift(const hrw_t *h, hrw_scratch_t *c, uint32_t len, uint32_t p)
{
    for (;;) {
        uint32_t b = p, l = 2 * p + 1, r = l + 1;
        if (l < len && hrw_scratch_beats(h, c, c->heap[l], c->heap[b]))
            b = l;
        if (r < len && hrw_scratch_beats(h, c, c->heap[r], c->heap[b]))
            b = r;
        if (b == p)
            return;
        uint16_t t = c->heap[p];
        c->heap[p] = c->heap[b];
        c->heap[b] = t;
        p = b;
    }
}

/* Candidates from..k-1 by descending score (hrw_beats' order). A short
 * stretch (R copies, the usual call) goes through a sorted buffer of k -
 * from nodes in one pass, most nodes rejected by one comparison with its
 * last; a long one (zones asking for more) through a heap of the nodes
 * left: O(n + (k - from) log n). */
static void hrw_walk_rank(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, void *scratch,
                          uint16_t *out, uint32_t from, uint32_t k)
{
    const hrw_t *h = state;
    hrw_scratch_t *c = scratch;
    if (from == 0) {
        for (uint32_t i = 0; i < h->n; i++) {
            c->s[i] = strat_mix64(key->hash ^ h->nh[i]);
            c->e[i] = NAN;
            c->taken[i] = 0;
        }
    }
    if (k > h->n)
        k = h->n;
    if (k <= from)
        return;
    uint32_t m = k - from;
    uint16_t *buf = out + from; /* ranks while selecting, node slots after */
    if (m <= 16) {
        uint32_t got = 0;
        for (uint32_t i = 0; i < h->n; i++) {
            if (c->taken[i] || (got == m && !hrw_scratch_beats(h, c, i, buf[m - 1])))
                continue;
            uint32_t at = got < m ? got++ : m - 1;
            while (at > 0 && hrw_scratch_beats(h, c, i, buf[at - 1])) {
                buf[at] = buf[at - 1];
                at--;
            }
            buf[at] = (uint16_t)i;
        }
    } else {
        uint32_t len = 0;
        for (uint32_t i = 0; i < h->n; i++)
            if (!c->taken[i])
                c->heap[len++] = (uint16_t)i;
        for (uint32_t p = len / 2; p-- > 0;)
            hrw_sift(h, c, len, p);
        for (uint32_t j = 0; j < m; j++) {
            buf[j] = c->heap[0];
            c->heap[0] = c->heap[--len];
            hrw_sift(h, c, len, 0);
        }
    }
    for (uint32_t j = 0; j < m; j++) {
        c->taken[buf[j]] = 1;
        buf[j] = nodes->rank[buf[j]];
    }
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
    .walk_len = hrw_walk_len, .walk_rank = hrw_walk_rank,
    .walk_scratch = sizeof(hrw_scratch_t), .after_weight = hrw_after_weight,
    .structure = {.kind = STRAT_STRUCTURE_SCORES, .size_name = "scores/key"},
    .legend = hrw_legend,
};
