/* strat_ketama — libketama / memcached-compatible consistent hashing,
 * DESIGN §1b.
 *
 * Key hash: the first 4 bytes of MD5(id), little-endian (the raw id, no
 * "key:" prefix; the strategy's own key hash, strat_key_t.own). Node ID of weight w gets
 * ks = floor(f32(f32(w)/f32(W) · 40.0 · n)) MD5 digests of "ID-k", k = 0..ks-1,
 * each giving 4 points (bytes d[3+4h] d[2+4h] d[1+4h] d[4h], big-endian
 * first) on a 32-bit ring. Owner: the first point >= the hash, wrapping;
 * on equal points the earlier-ranked node keeps it.
 *
 * Incremental points: every node's digest count depends on n and on the
 * total weight, so one change can move points of every node (a weight
 * change at 1000 nodes takes a digest from nearly all of them); but a
 * node's digests k = 0..ks-1 are the same whatever ks is. Their points are
 * kept in a cache shared by the structures built one after another, and a
 * build starts from the previous one: it drops the points of digests past
 * each node's new count (and of nodes that left), sorts only the points
 * that are new and merges the two sorted runs — O(points), no MD5 of an
 * old digest, no sort of them all. Every key is then looked up again (a
 * top-bits table read and a short scan, strat_points_t). `at` is the point
 * index, `point` its 32-bit position.
 */
#include "strat.h"

#include "place.h"

#include "md5.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t strat_ketama_digests(uint32_t w, uint64_t weight_sum, uint32_t n)
{
    float pct = (float)w / (float)weight_sum;
    double ks = (double)pct * 40.0 * (double)(float)n;
    return (uint32_t)floorf((float)ks);
}

typedef struct kpoint {
    uint32_t pos;
    uint16_t rank;
    uint16_t slot;
    uint32_t digest;
} kpoint_t;

/* A point as one sortable key: its 32-bit position above its place in the
 * run of new points, which is in rank order; so ascending keys are points
 * in ring order, equal points in rank order (the earlier-ranked node
 * first, which keeps it). */
#define KPOINT(pos, at) ((uint64_t)(pos) << 32 | (uint64_t)(at))

/* Sorts n point keys ascending through tmp (n entries): LSD radix, 8 bits a
 * pass, skipping a pass whose digit every key shares (the high bytes of
 * the run index). A few passes over some 16,000 points where qsort's
 * comparisons took most of a rebuild. */
static void kpoints_sort(uint64_t *v, uint64_t *tmp, size_t n)
{
    static const unsigned shifts[] = {0, 8, 16, 24, 32, 40, 48, 56};
    for (size_t s = 0; s < sizeof shifts / sizeof shifts[0]; s++) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((v[i] >> shifts[s]) & 0xFF) + 1]++;
        int shared = 0;
        for (size_t d = 1; d <= 256; d++)
            shared |= count[d] == n;
        if (shared)
            continue;
        for (size_t d = 0; d < 256; d++)
            count[d + 1] += count[d];
        for (size_t i = 0; i < n; i++)
            tmp[count[(v[i] >> shifts[s]) & 0xFF]++] = v[i];
        memcpy(v, tmp, n * sizeof *v);
    }
}

/* Digest points by node slot, shared by successive structures (refs) and
 * only ever extended: k's 4 points at pos[4k..4k+3]. */
typedef struct ketama_cached {
    uint64_t seq;      /* the node the slot held when cached */
    uint32_t digests;  /* cached */
    uint32_t cap;
    uint32_t *pos;
} ketama_cached_t;

/* A structure's arrays: its sorted points and the digest of each. */
typedef struct ketama_arrays {
    strat_points_t p;
    uint32_t *digest;
    size_t cap;                /* points the arrays hold */
} ketama_arrays_t;

typedef struct ketama_cache {
    unsigned refs;
    ketama_cached_t slot[RS_MAX_NODES];
    /* The arrays of the last structure released: the next build fills
     * them instead of fresh memory (the page faults of a few MB a change
     * cost more than the merge). */
    ketama_arrays_t spare;
} ketama_cache_t;

typedef struct ketama {
    ketama_arrays_t a;         /* a.p: sorted points; lookups read these */
    uint32_t ks[RS_MAX_NODES]; /* digests in force by node slot */
    uint64_t seq[RS_MAX_NODES];/* the node each slot held */
    ketama_cache_t *cache;
} ketama_t;

static void arrays_free(ketama_arrays_t *a)
{
    strat_points_free(&a->p);
    free(a->digest);
    memset(a, 0, sizeof *a);
}

/* Room for count points, from the spare arrays when they fit. */
static int arrays_get(ketama_cache_t *c, ketama_arrays_t *a, size_t count)
{
    if (c->spare.digest && c->spare.cap >= count && c->spare.p.index_len == strat_points_index_len(count)) {
        *a = c->spare;
        memset(&c->spare, 0, sizeof c->spare);
        a->p.count = 0;
        return 0;
    }
    arrays_free(&c->spare);
    /* Some room: the count moves by a few points a change. */
    memset(a, 0, sizeof *a);
    a->cap = count + count / 16;
    if (strat_points_index_len(a->cap) != strat_points_index_len(count))
        a->cap = count;
    a->digest = malloc((a->cap + 1) * sizeof *a->digest);
    return a->digest && strat_points_alloc(&a->p, a->cap) == 0 ? 0 : -1;
}

static void ketama_release(void *state)
{
    ketama_t *k = state;
    if (!k)
        return;
    ketama_cache_t *c = k->cache;
    if (c && c->refs > 1 && !c->spare.digest && k->a.digest) {
        c->spare = k->a;
        memset(&k->a, 0, sizeof k->a);
    }
    if (c && --c->refs == 0) {
        for (uint32_t i = 0; i < RS_MAX_NODES; i++)
            free(c->slot[i].pos);
        arrays_free(&c->spare);
        free(c);
    }
    arrays_free(&k->a);
    free(k);
}

/* The points of node's digests 0..ks-1 from the cache, hashing the ones it
 * lacks; NULL when out of memory. */
static const uint32_t *ketama_digests(ketama_cache_t *c, uint16_t slot, const ring_node_t *node, uint32_t ks)
{
    ketama_cached_t *e = &c->slot[slot];
    static const uint32_t none[1];
    if (e->seq != node->seq)
        e->digests = 0, e->seq = node->seq;
    if (ks == 0)
        return e->pos ? e->pos : none;
    if (ks > e->cap) {
        uint32_t cap = e->cap ? e->cap : 40;
        while (cap < ks)
            cap *= 2;
        uint32_t *pos = realloc(e->pos, (size_t)cap * 4 * sizeof *pos);
        if (!pos)
            return NULL;
        e->pos = pos;
        e->cap = cap;
    }
    for (uint32_t d = e->digests; d < ks; d++) {
        char buf[NODEID_MAX + 16];
        int len = snprintf(buf, sizeof buf, "%s-%u", node->id, d);
        uint8_t dg[MD5_DIGEST_LEN];
        md5(buf, (size_t)len, dg);
        for (int h = 0; h < 4; h++)
            e->pos[4 * d + (uint32_t)h] = (uint32_t)dg[3 + 4 * h] << 24 | (uint32_t)dg[2 + 4 * h] << 16 |
                                          (uint32_t)dg[1 + 4 * h] << 8 | dg[4 * h];
    }
    if (ks > e->digests)
        e->digests = ks;
    return e->pos;
}

static int ketama_build(void **state, const void *prev_state, const strat_change_t *change,
                        const strat_nodes_t *nodes, const strat_params_t *p, const struct store *st, const uint64_t *own, char *err,
                        size_t err_size)
{
    (void)own;
    (void)change, (void)p, (void)st;
    const ketama_t *prev = prev_state;
    uint16_t rank_of[RS_MAX_NODES];
    ketama_t *k = calloc(1, sizeof *k);
    if (!k)
        goto oom;
    k->cache = prev ? prev->cache : calloc(1, sizeof *k->cache);
    if (!k->cache)
        goto oom;
    k->cache->refs++;
    size_t total = 0, fresh = 0;
    for (uint32_t i = 0; i < nodes->n; i++) {
        uint16_t slot = nodes->rank[i];
        const ring_node_t *node = &nodes->ring->nodes[slot];
        rank_of[slot] = (uint16_t)i;
        k->ks[slot] = strat_ketama_digests(node->weight, nodes->weight_sum, nodes->n);
        k->seq[slot] = node->seq;
        total += 4 * (size_t)k->ks[slot];
    }
    /* Keep the previous points whose node is still there with that digest. */
    kpoint_t *run = malloc((total + 1) * sizeof *run);
    if (!run || arrays_get(k->cache, &k->a, total) != 0) {
        free(run);
        goto oom;
    }
    strat_points_t *kp = &k->a.p;
    uint32_t *kd = k->a.digest;
    uint32_t have[RS_MAX_NODES] = {0}; /* digests kept, by slot */
    const ring_t *ring = nodes->ring;
    if (prev) {
        for (uint32_t i = 0; i < nodes->n; i++) {
            uint16_t slot = nodes->rank[i];
            if (slot < ring->slot_count && prev->seq[slot] == k->seq[slot])
                have[slot] = prev->ks[slot] < k->ks[slot] ? prev->ks[slot] : k->ks[slot];
        }
    }
    /* The new points, sorted among themselves. */
    for (uint32_t i = 0; i < nodes->n; i++) {
        uint16_t slot = nodes->rank[i];
        const uint32_t *pos = ketama_digests(k->cache, slot, &ring->nodes[slot], k->ks[slot]);
        if (!pos) {
            free(run);
            goto oom;
        }
        for (uint32_t d = have[slot]; d < k->ks[slot]; d++)
            for (uint32_t h = 0; h < 4; h++)
                run[fresh++] = (kpoint_t){pos[4 * d + h], (uint16_t)i, slot, d};
    }
    /* Every point is new at the first build (some 16,000 of them): a radix
     * sort of their keys, where qsort's comparisons took most of it. */
    uint64_t *key = malloc((2 * fresh + 1) * sizeof *key);
    if (!key) {
        free(run);
        goto oom;
    }
    for (size_t i = 0; i < fresh; i++)
        key[i] = KPOINT(run[i].pos, i);
    kpoints_sort(key, key + fresh, fresh);
    /* Merge them with the kept ones (already in (position, rank) order:
     * ranks keep their order when nodes leave or join). 32-bit positions
     * go in the top half of the shared 64-bit points: the order, and so
     * the successor of (own << 32), are unchanged. */
    size_t a = 0, b = 0, out = 0;
    uint32_t prev_count = prev ? prev->a.p.count : 0;
    const strat_points_t *pp = prev ? &prev->a.p : NULL;
    for (;;) {
        while (a < prev_count) {
            uint16_t slot = pp->node[a];
            if (slot < RS_MAX_NODES && ring->nodes[slot].live && prev->seq[slot] == k->seq[slot] &&
                prev->a.digest[a] < have[slot])
                break;
            a++;
        }
        int take_prev;
        const kpoint_t *rb = b < fresh ? &run[key[b] & 0xFFFFFFFFu] : NULL;
        if (a < prev_count && b < fresh) {
            uint32_t pa = (uint32_t)(pp->pos[a] >> 32), ra = rank_of[pp->node[a]];
            take_prev = pa < rb->pos || (pa == rb->pos && ra < rb->rank);
        } else if (a < prev_count) {
            take_prev = 1;
        } else if (b < fresh) {
            take_prev = 0;
        } else {
            break;
        }
        if (take_prev) {
            kp->pos[out] = pp->pos[a];
            kp->node[out] = pp->node[a];
            kd[out++] = prev->a.digest[a++];
        } else {
            kp->pos[out] = (uint64_t)rb->pos << 32;
            kp->node[out] = rb->slot;
            kd[out++] = rb->digest;
            b++;
        }
    }
    free(key);
    free(run);
    kp->count = (uint32_t)out;
    strat_points_index(kp);
    *state = k;
    return 0;
oom:
    ketama_release(k);
    snprintf(err, err_size, "out of memory building ketama points");
    return -1;
}

static void ketama_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)nodes;
    const strat_points_t *k = &((const ketama_t *)state)->a.p;
    strat_where_none(w);
    if (k->count == 0)
        return;
    uint32_t i = strat_points_successor(k, key->own << 32);
    w->owner = k->node[i];
    w->at = i;
    w->point = k->pos[i] >> 32;
}

static void ketama_owners(const void *state, const strat_nodes_t *nodes, const uint64_t *khash, const uint64_t *own,
                          size_t n, uint16_t *out)
{
    (void)nodes, (void)khash;
    const strat_points_t *k = &((const ketama_t *)state)->a.p;
    for (size_t i = 0; i < n; i++)
        out[i] = k->count ? k->node[strat_points_successor(k, own[i] << 32)] : (uint16_t)RING_NONE;
}

static size_t ketama_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    const ketama_t *k = state;
    return sizeof *k + strat_points_memory(&k->a.p) + (size_t)k->a.p.count * sizeof *k->a.digest;
}

static uint64_t ketama_walk_len(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return ((const ketama_t *)state)->a.p.count;
}

static uint16_t ketama_walk_at(const void *state, const strat_nodes_t *nodes, const strat_where_t *w, uint64_t i)
{
    (void)nodes;
    const strat_points_t *k = &((const ketama_t *)state)->a.p;
    return k->node[((uint64_t)w->at + i) % k->count];
}

static const strat_points_t *ketama_points(const void *state)
{
    return &((const ketama_t *)state)->a.p;
}

static uint64_t ketama_size(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return state ? ((const ketama_t *)state)->a.p.count : 0;
}

/* A node of small weight beside heavy ones gets floor(40·n·w/W) = 0
 * digests: no point at all. */
static uint32_t ketama_unplaced(const void *state, const strat_nodes_t *nodes, uint8_t *unplaced, uint16_t about,
                                char *why, size_t why_size)
{
    const ketama_t *k = state;
    uint32_t count = 0;
    for (uint32_t i = 0; i < nodes->n; i++) {
        uint16_t slot = nodes->rank[i];
        if (k->ks[slot])
            continue;
        count++;
        if (slot == about && why)
            snprintf(why, why_size, "has no ketama points at weight %u of %llu", nodes->ring->nodes[slot].weight,
                     (unsigned long long)nodes->weight_sum);
        unplaced[slot] = 1;
    }
    return count;
}

static void ketama_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)p, (void)nodes;
    snprintf(out, n, "ketama \xC2\xB7 MD5 points on a 32-bit ring; a key goes to the first point "
             "\xE2\x89\xA5 its hash");
}
/* The point on ketama's 32-bit ring. */
static void ketama_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key,
                            const strat_where_t *w, json_t *json, char *text, size_t text_size)
{
    (void)s, (void)nodes, (void)key;
    if (json)
        json_printf(json, ",\"point_index\":%" PRId64 ",\"point\":\"0x%08" PRIx64 "\"", w->at, w->point);
    if (text)
        snprintf(text, text_size, "point %" PRId64 " at 0x%08" PRIx64 "\n", w->at, w->point);
}

static int ketama_of_id(const char *id, size_t len, uint64_t *out, char *why, size_t why_size)
{
    (void)why, (void)why_size;
    *out = ketama_key_hash(id, len);
    return 0;
}

/* libketama's key hash: MD5 of the raw id, no "key:" prefix. */
static const strat_keyhash_t ketama_key_hash32 = {
    .bits = 32, .help = "MD5 of KEY", .native = "text", .of_id = ketama_of_id, .of_indexes = md5_ketama_keys,
};

const strat_ops_t strat_ketama_ops = {
    .name = "ketama", .weighted = 1, .uses_vnodes = 0, .key_hash = &ketama_key_hash32,
    .build = ketama_build, .release = ketama_release, .locate = ketama_locate, .owners = ketama_owners,
    .memory = ketama_memory, .describe = ketama_describe, .landed = "ketama point", .place = place_at_key,
    .walk_len = ketama_walk_len, .walk_at = ketama_walk_at, .points = ketama_points,
    .unplaced = ketama_unplaced,
    .structure = {.kind = STRAT_STRUCTURE_POINTS, .size_name = "ring points", .size = ketama_size},
    .legend = ketama_legend,
};
