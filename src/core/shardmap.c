#include "shardmap.h"

#include "par.h"

#include <stdlib.h>
#include <string.h>

#define NO_RANK 0xFFFFu

static uint16_t *holders_of(shardmap_t *m, uint32_t s) { return m->hold + (size_t)s * SHARDMAP_STRIDE; }

int shardmap_init(shardmap_t *m, uint32_t shards, shardmap_shard_fn shard_of, const void *route)
{
    memset(m, 0, sizeof *m);
    m->shards = shards;
    m->mod = rmod_init(shards ? shards : 1);
    m->shard_of = shard_of;
    m->route = route;
    m->hold = malloc((size_t)shards * SHARDMAP_STRIDE * sizeof *m->hold);
    m->held = calloc(shards, 1);
    m->lost = calloc(shards, 1);
    if (!m->hold || !m->held || !m->lost) {
        shardmap_free(m);
        return -1;
    }
    return 0;
}

int shardmap_copy(shardmap_t *dst, const shardmap_t *src)
{
    if (shardmap_init(dst, src->shards, src->shard_of, src->route) != 0)
        return -1;
    memcpy(dst->hold, src->hold, (size_t)src->shards * SHARDMAP_STRIDE * sizeof *dst->hold);
    memcpy(dst->held, src->held, src->shards);
    memcpy(dst->lost, src->lost, src->shards);
    dst->index = src->index;
    if (dst->index)
        dst->index->refs++;
    return 0;
}

static void index_release(shardmap_index_t *x)
{
    if (x && --x->refs == 0) {
        free(x->start);
        free(x->pos);
        free(x);
    }
}

void shardmap_free(shardmap_t *m)
{
    free(m->hold);
    free(m->held);
    free(m->lost);
    free(m->changes);
    index_release(m->index);
    memset(m, 0, sizeof *m);
}

/* ---- the key index -------------------------------------------------------- */

typedef struct index_job {
    const shardmap_t *m;
    const store_t *st;
    const uint64_t *own;
    uint16_t *shard; /* by store position (S <= 65536: shard numbers fit) */
} index_job_t;

static void index_part(void *arg, unsigned part, unsigned parts)
{
    const index_job_t *j = arg;
    size_t n = j->st->count, lo = n / parts * part, hi = part + 1 == parts ? n : n / parts * (part + 1);
    for (size_t pos = lo; pos < hi; pos++) {
        strat_key_t key;
        strat_key_at(j->st, j->own, pos, &key);
        j->shard[pos] = (uint16_t)shardmap_shard_of(j->m, &key);
    }
}

int shardmap_index(shardmap_t *m, const store_t *st, const uint64_t *own)
{
    if (m->index && m->index->keys == st->count)
        return 0;
    size_t n = st->count;
    shardmap_index_t *x = calloc(1, sizeof *x);
    uint16_t *shard = malloc((n + 1) * sizeof *shard);
    if (x) {
        x->start = calloc((size_t)m->shards + 1, sizeof *x->start);
        x->pos = malloc((n + 1) * sizeof *x->pos);
    }
    if (!x || !shard || !x->start || !x->pos) {
        free(shard);
        if (x)
            free(x->start), free(x->pos);
        free(x);
        return -1;
    }
    index_job_t job = {m, st, own, shard};
    par_run(n < 20000 ? 1 : par_threads(), index_part, &job);
    /* A counting sort: counts, then each shard's first slot, then the
     * positions in store order (so ascending within a shard). */
    for (size_t pos = 0; pos < n; pos++)
        x->start[shard[pos] + 1]++;
    for (uint32_t s = 0; s < m->shards; s++)
        x->start[s + 1] += x->start[s];
    for (size_t pos = 0; pos < n; pos++)
        x->pos[x->start[shard[pos]]++] = (uint32_t)pos;
    for (uint32_t s = m->shards; s > 0; s--)
        x->start[s] = x->start[s - 1];
    x->start[0] = 0;
    free(shard);
    x->keys = n;
    x->refs = 1;
    index_release(m->index);
    m->index = x;
    return 0;
}

/* ---- node arithmetic ------------------------------------------------------- */

/* Scratch of one operation: each live slot's rank, targets and counts by
 * rank. */
typedef struct work {
    uint16_t rank_of[RS_MAX_NODES];
    uint32_t target[RS_MAX_NODES];
    int64_t count[RS_MAX_NODES];     /* shards led */
} work_t;

static void rank_index(const strat_nodes_t *nodes, uint16_t *rank_of)
{
    for (uint32_t slot = 0; slot < RS_MAX_NODES; slot++)
        rank_of[slot] = NO_RANK;
    for (uint32_t i = 0; i < nodes->n; i++)
        rank_of[nodes->rank[i]] = (uint16_t)i;
}

typedef struct remainder {
    uint64_t rem;
    uint32_t rank;
} remainder_t;

static int by_remainder(const void *a, const void *b)
{
    const remainder_t *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem < y->rem ? 1 : -1; /* largest first */
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

int shardmap_targets(const shardmap_t *m, const strat_nodes_t *nodes, uint32_t *target)
{
    uint32_t n = nodes->n;
    if (n == 0)
        return 0;
    remainder_t *r = malloc(n * sizeof *r);
    if (!r)
        return -1;
    uint64_t w_sum = 0, left = m->shards;
    for (uint32_t i = 0; i < n; i++)
        w_sum += nodes->ring->nodes[nodes->rank[i]].weight;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t share = (uint64_t)m->shards * nodes->ring->nodes[nodes->rank[i]].weight;
        target[i] = (uint32_t)(share / w_sum);
        left -= target[i];
        r[i] = (remainder_t){share % w_sum, i};
    }
    qsort(r, n, sizeof *r, by_remainder);
    for (uint64_t k = 0; k < left; k++)
        target[r[k].rank]++;
    free(r);
    return 0;
}

/* Counts shards led by each rank (orphans: no holder, or a primary that is
 * not live, count for no one). */
static void count_led(const shardmap_t *m, const strat_nodes_t *nodes, work_t *w)
{
    memset(w->count, 0, nodes->n * sizeof *w->count);
    for (uint32_t s = 0; s < m->shards; s++) {
        uint16_t p = shardmap_primary(m, s);
        if (p != RING_NONE && w->rank_of[p] != NO_RANK)
            w->count[w->rank_of[p]]++;
    }
}

/* The rank with the largest deficit (target - count), ties to the lower. */
static uint32_t most_deficit(const work_t *w, uint32_t n)
{
    uint32_t best = 0;
    for (uint32_t i = 1; i < n; i++)
        if ((int64_t)w->target[i] - w->count[i] > (int64_t)w->target[best] - w->count[best])
            best = i;
    return best;
}

static work_t *work_new(const shardmap_t *m, const strat_nodes_t *nodes)
{
    work_t *w = malloc(sizeof *w);
    if (!w)
        return NULL;
    rank_index(nodes, w->rank_of);
    if (shardmap_targets(m, nodes, w->target) != 0) {
        free(w);
        return NULL;
    }
    count_led(m, nodes, w);
    return w;
}

void shardmap_set_primary(shardmap_t *m, uint32_t shard, uint16_t slot)
{
    holders_of(m, shard)[0] = slot;
    m->held[shard] = 1;
}

void shardmap_assign(shardmap_t *m, const strat_nodes_t *nodes)
{
    for (uint32_t s = 0; s < m->shards; s++) {
        if (nodes->n)
            shardmap_set_primary(m, s, nodes->rank[s % nodes->n]);
        else
            m->held[s] = 0;
    }
}

int shardmap_balance(shardmap_t *m, const strat_nodes_t *nodes, int surplus)
{
    uint32_t n = nodes->n, S = m->shards;
    if (n == 0) {
        memset(m->held, 0, S);
        return 0;
    }
    work_t *w = work_new(m, nodes);
    uint32_t *first = malloc(((size_t)n + 1) * sizeof *first), *next = malloc(((size_t)n + 1) * sizeof *next);
    uint32_t *list = malloc(((size_t)S + 1) * sizeof *list);
    if (!w || !first || !next || !list) {
        free(w), free(first), free(next), free(list);
        return -1;
    }
    /* Shards whose primary left, lowest first, each to the largest deficit. */
    for (uint32_t s = 0; s < S; s++) {
        uint16_t p = shardmap_primary(m, s);
        if (p != RING_NONE && w->rank_of[p] != NO_RANK)
            continue;
        uint32_t r = most_deficit(w, n);
        shardmap_set_primary(m, s, nodes->rank[r]);
        w->count[r]++;
    }
    if (!surplus) {
        free(w), free(first), free(next), free(list);
        return 0;
    }
    /* Every node above target gives its lowest shards: list each giver's
     * shards in order once (a giver never takes, a taker never gives). */
    for (uint32_t i = 0; i <= n; i++)
        first[i] = 0;
    for (uint32_t s = 0; s < S; s++) {
        uint32_t r = w->rank_of[shardmap_primary(m, s)];
        if (w->count[r] > w->target[r])
            first[r + 1]++;
    }
    for (uint32_t i = 0; i < n; i++)
        first[i + 1] += first[i];
    memcpy(next, first, ((size_t)n + 1) * sizeof *next);
    for (uint32_t s = 0; s < S; s++) {
        uint32_t r = w->rank_of[shardmap_primary(m, s)];
        if (w->count[r] > w->target[r])
            list[next[r]++] = s;
    }
    memcpy(next, first, ((size_t)n + 1) * sizeof *next);
    for (;;) {
        uint32_t g = 0;
        for (uint32_t i = 1; i < n; i++)
            if (w->count[i] - (int64_t)w->target[i] > w->count[g] - (int64_t)w->target[g])
                g = i;
        if (w->count[g] <= (int64_t)w->target[g])
            break;
        uint32_t s = list[next[g]++];
        uint32_t t = most_deficit(w, n);
        shardmap_set_primary(m, s, nodes->rank[t]);
        w->count[g]--;
        w->count[t]++;
    }
    free(w), free(first), free(next), free(list);
    return 0;
}

int shardmap_balanced(const shardmap_t *m, const strat_nodes_t *nodes)
{
    if (nodes->n == 0)
        return 1;
    work_t *w = work_new(m, nodes);
    if (!w)
        return 0; /* out of memory: let the balancer run (and report it) */
    int ok = 1;
    int64_t led = 0;
    for (uint32_t i = 0; i < nodes->n; i++) {
        ok &= w->count[i] == (int64_t)w->target[i];
        led += w->count[i];
    }
    free(w);
    return ok && led == (int64_t)m->shards;
}

/* The walk of a shard's copies: ranks from its primary's, wrapping. */
typedef struct rank_walk {
    const strat_nodes_t *nodes;
    uint32_t from;
} rank_walk_t;

static uint16_t rank_at(void *ctx, uint64_t i)
{
    const rank_walk_t *r = ctx;
    return r->nodes->rank[(r->from + i) % r->nodes->n];
}

int shardmap_relist(shardmap_t *m, const strat_nodes_t *nodes) { return shardmap_relist_from(m, nodes, 0); }

int shardmap_relist_from(shardmap_t *m, const strat_nodes_t *nodes, uint32_t from)
{
    uint16_t *rank_of = malloc(RS_MAX_NODES * sizeof *rank_of);
    if (!rank_of)
        return -1;
    rank_index(nodes, rank_of);
    uint32_t want = strat_copies_wanted(nodes);
    for (uint32_t s = from; s < m->shards; s++) {
        uint16_t p = shardmap_primary(m, s);
        if (p == RING_NONE || rank_of[p] == NO_RANK) {
            m->held[s] = 0;
            continue;
        }
        rank_walk_t walk = {nodes, rank_of[p]};
        strat_walk_t wk = {nodes->n, rank_at, &walk, NULL, nodes->n, nodes->zones_live};
        m->held[s] = (uint8_t)strat_walk_list(nodes, want, &wk, holders_of(m, s));
    }
    free(rank_of);
    return 0;
}

int shardmap_crash(shardmap_t *m, const strat_nodes_t *nodes, uint16_t slot)
{
    uint8_t *dead = calloc(m->shards, 1);
    if (!dead)
        return -1;
    for (uint32_t s = 0; s < m->shards; s++) {
        uint16_t *h = holders_of(m, s);
        uint32_t k = 0, n = m->held[s];
        for (uint32_t j = 0; j < n; j++)
            if (h[j] != slot)
                h[k++] = h[j];
        m->held[s] = (uint8_t)k;
        dead[s] = n > 0 && k == 0;
    }
    work_t *w = nodes->n ? work_new(m, nodes) : NULL;
    if (nodes->n && !w) {
        free(dead);
        return -1;
    }
    /* No copy left: lost for good, re-created empty where it is most
     * wanted (counted with the promotions already made). */
    for (uint32_t s = 0; s < m->shards; s++) {
        if (!dead[s])
            continue;
        m->lost[s] = 1;
        if (!w)
            continue;
        uint32_t r = most_deficit(w, nodes->n);
        shardmap_set_primary(m, s, nodes->rank[r]);
        w->count[r]++;
    }
    free(w);
    free(dead);
    return 0;
}

void shardmap_copy_counts(const shardmap_t *m, uint64_t *counts)
{
    memset(counts, 0, RS_MAX_NODES * sizeof *counts);
    for (uint32_t s = 0; s < m->shards; s++)
        for (uint32_t j = 0; j < m->held[s]; j++)
            counts[m->hold[(size_t)s * SHARDMAP_STRIDE + j]]++;
}

/* Fills shard s's list up to want holders (from whatever it has, none
 * included): each time the best live node it lacks by (its zone already
 * held, copies held, rank), counted in copies as it is made. */
static void fill_least_loaded(shardmap_t *m, const strat_nodes_t *nodes, uint32_t s, uint32_t want, uint64_t *copies)
{
    uint16_t *h = holders_of(m, s);
    while (m->held[s] < want) {
        uint16_t zones[SHARDMAP_STRIDE];
        uint32_t hn = m->held[s];
        for (uint32_t j = 0; j < hn; j++)
            zones[j] = nodes->zone[h[j]];
        uint32_t best = NO_RANK;
        int best_zone = 0;
        for (uint32_t i = 0; i < nodes->n; i++) {
            uint16_t x = nodes->rank[i];
            if (strat_list_has(h, hn, x))
                continue;
            int zone_held = strat_list_has(zones, hn, nodes->zone[x]);
            uint16_t b = best == NO_RANK ? 0 : nodes->rank[best];
            if (best == NO_RANK || zone_held < best_zone || (zone_held == best_zone && copies[x] < copies[b])) {
                best = i;
                best_zone = zone_held;
            }
        }
        if (best == NO_RANK)
            break; /* (cannot happen: want <= n live nodes) */
        uint16_t x = nodes->rank[best];
        h[m->held[s]++] = x;
        copies[x]++;
    }
}

int shardmap_heal(shardmap_t *m, const strat_nodes_t *nodes)
{
    uint32_t want = strat_copies_wanted(nodes);
    uint64_t *copies = malloc(RS_MAX_NODES * sizeof *copies);
    if (!copies)
        return -1;
    shardmap_copy_counts(m, copies);
    for (uint32_t s = 0; s < m->shards; s++)
        if (m->held[s] > 0)
            fill_least_loaded(m, nodes, s, want, copies);
    free(copies);
    return 0;
}

int shardmap_assign_least_loaded(shardmap_t *m, const strat_nodes_t *nodes, uint32_t from)
{
    uint32_t want = strat_copies_wanted(nodes);
    uint64_t *copies = malloc(RS_MAX_NODES * sizeof *copies);
    if (!copies)
        return -1;
    for (uint32_t s = from; s < m->shards; s++)
        m->held[s] = 0;
    shardmap_copy_counts(m, copies);
    for (uint32_t s = from; s < m->shards; s++)
        fill_least_loaded(m, nodes, s, want, copies);
    free(copies);
    return 0;
}

void shardmap_drop(shardmap_t *m, uint16_t slot)
{
    for (uint32_t s = 0; s < m->shards; s++) {
        uint16_t *h = holders_of(m, s);
        uint32_t k = 0;
        for (uint32_t j = 0; j < m->held[s]; j++)
            if (h[j] != slot)
                h[k++] = h[j];
        m->held[s] = (uint8_t)k;
    }
}

void shardmap_move_primary(shardmap_t *m, uint32_t shard, uint16_t slot)
{
    uint16_t *h = holders_of(m, shard);
    uint16_t was[SHARDMAP_STRIDE];
    uint32_t n = m->held[shard], k = 0;
    memcpy(was, h, n * sizeof *h);
    h[k++] = slot;
    for (uint32_t j = 1; j < n; j++)
        if (was[j] != slot)
            h[k++] = was[j];
    m->held[shard] = (uint8_t)k;
}

void shardmap_trim(shardmap_t *m, const strat_nodes_t *nodes)
{
    uint32_t want = strat_copies_wanted(nodes);
    for (uint32_t s = 0; s < m->shards; s++)
        if (m->held[s] > want)
            m->held[s] = (uint8_t)want;
}

int shardmap_diff(shardmap_t *m, const shardmap_t *prev, int copying, uint32_t split)
{
    m->change_count = 0;
    m->moved = 0;
    m->copies = 0;
    m->fresh = prev == NULL;
    if (!prev)
        return 0;
    static const uint16_t none[1] = {0};
    for (uint32_t s = 0; s < m->shards; s++) {
        uint32_t fn = 0, tn, was = s / split;
        const uint16_t *from = was < prev->shards ? shardmap_holders(prev, was, &fn) : none;
        const uint16_t *to = shardmap_holders(m, s, &tn);
        if (fn == tn && memcmp(from, to, fn * sizeof *from) == 0)
            continue;
        if (m->change_count == m->change_cap) {
            uint32_t cap = m->change_cap ? m->change_cap * 2 : 64;
            shardmap_change_t *grown = realloc(m->changes, cap * sizeof *grown);
            if (!grown)
                return -1;
            m->changes = grown;
            m->change_cap = cap;
        }
        shardmap_change_t *c = &m->changes[m->change_count++];
        c->shard = s;
        c->from_n = (uint8_t)fn;
        c->to_n = (uint8_t)tn;
        memcpy(c->from, from, fn * sizeof *from);
        memcpy(c->to, to, tn * sizeof *to);
        m->moved += (fn ? from[0] : (uint16_t)RING_NONE) != shardmap_primary(m, s);
        for (uint32_t j = 0; copying && j < tn; j++)
            m->copies += !strat_list_has(from, fn, to[j]);
    }
    return 0;
}

void shardmap_primary_counts(const shardmap_t *m, uint64_t *counts)
{
    memset(counts, 0, RS_MAX_NODES * sizeof *counts);
    for (uint32_t s = 0; s < m->shards; s++)
        if (m->held[s])
            counts[shardmap_primary(m, s)]++;
}

void shardmap_by_primary(const shardmap_t *m, uint32_t *start, uint32_t *shards)
{
    memset(start, 0, (RS_MAX_NODES + 1) * sizeof *start);
    for (uint32_t s = 0; s < m->shards; s++)
        if (m->held[s])
            start[shardmap_primary(m, s) + 1]++;
    for (uint32_t x = 0; x < RS_MAX_NODES; x++)
        start[x + 1] += start[x];
    for (uint32_t s = 0; s < m->shards; s++)
        if (m->held[s])
            shards[start[shardmap_primary(m, s)]++] = s;
    for (uint32_t x = RS_MAX_NODES; x > 0; x--)
        start[x] = start[x - 1];
    start[0] = 0;
}

size_t shardmap_memory(const shardmap_t *m)
{
    size_t b = sizeof *m + (size_t)m->shards * (SHARDMAP_STRIDE * sizeof *m->hold + 2);
    if (m->index)
        b += ((size_t)m->shards + 1) * sizeof *m->index->start + m->index->keys * sizeof *m->index->pos;
    return b;
}
