/* strat_ketama — libketama / memcached-compatible consistent hashing,
 * DESIGN §1b.
 *
 * Key hash: the first 4 bytes of MD5(id), little-endian (the raw id, no
 * "key:" prefix; the strategy's own key hash, strat_key_t.hash32). Node ID of weight w gets
 * ks = floor(f32(f32(w)/f32(W) · 40.0 · n)) MD5 digests of "ID-k", k = 0..ks-1,
 * each giving 4 points (bytes d[3+4h] d[2+4h] d[1+4h] d[4h], big-endian
 * first) on a 32-bit ring. Owner: the first point >= the hash, wrapping;
 * on equal points the earlier-ranked node keeps it.
 *
 * Full recompute: every node's point count depends on n and on the total
 * weight, so any change can re-place points of every node; the points are
 * rebuilt and every key looked up again (a top-bits table read and a short
 * scan, strat_points_t). `at` is the point index, `point` its 32-bit
 * position.
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

/* A point as one sortable key: its 32-bit position above its node's rank,
 * so ascending keys are points in ring order, equal points in rank order
 * (the earlier-ranked node first, which keeps it). */
#define KPOINT(pos, rank) ((uint64_t)(pos) << 32 | (uint64_t)(rank))

/* Sorts n point keys ascending through tmp (n entries): LSD radix, 8 bits a
 * pass over the bits a key uses (rank: 0..15, position: 32..63), skipping
 * a pass whose digit every key shares. A few passes over some 16,000
 * points where qsort's comparisons took most of a rebuild. */
static void kpoints_sort(uint64_t *v, uint64_t *tmp, size_t n)
{
    static const unsigned shifts[] = {0, 8, 32, 40, 48, 56};
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

static void ketama_release(void *state)
{
    strat_points_t *k = state;
    if (k)
        strat_points_free(k);
    free(k);
}

static int ketama_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                        const strat_params_t *p, const struct store *st, char *err, size_t err_size)
{
    (void)prev, (void)change;
    (void)p, (void)st;
    size_t total = 0;
    for (uint32_t i = 0; i < nodes->n; i++)
        total += 4 * (size_t)strat_ketama_digests(nodes->ring->nodes[nodes->rank[i]].weight, nodes->weight_sum,
                                                  nodes->n);
    strat_points_t *k = calloc(1, sizeof *k);
    uint64_t *tmp = malloc((total + 1) * sizeof *tmp);
    if (!k || !tmp || strat_points_alloc(k, total) != 0) {
        free(tmp);
        ketama_release(k);
        snprintf(err, err_size, "out of memory building ketama points");
        return -1;
    }
    size_t c = 0;
    for (uint32_t i = 0; i < nodes->n; i++) {
        const ring_node_t *node = &nodes->ring->nodes[nodes->rank[i]];
        uint32_t ks = strat_ketama_digests(node->weight, nodes->weight_sum, nodes->n);
        for (uint32_t d = 0; d < ks; d++) {
            char buf[NODEID_MAX + 16];
            int len = snprintf(buf, sizeof buf, "%s-%u", node->id, d);
            uint8_t dg[MD5_DIGEST_LEN];
            md5(buf, (size_t)len, dg);
            for (int h = 0; h < 4; h++) {
                uint32_t v = (uint32_t)dg[3 + 4 * h] << 24 | (uint32_t)dg[2 + 4 * h] << 16 |
                             (uint32_t)dg[1 + 4 * h] << 8 | dg[4 * h];
                k->pos[c++] = KPOINT(v, i);
            }
        }
    }
    kpoints_sort(k->pos, tmp, c);
    /* 32-bit positions in the top half of the shared 64-bit points: the
     * order, and so the successor of (hash32 << 32), are unchanged. */
    for (size_t i = 0; i < c; i++) {
        k->node[i] = nodes->rank[k->pos[i] & 0xFFFF];
        k->pos[i] &= ~(uint64_t)0xFFFFFFFF;
    }
    k->count = (uint32_t)c;
    free(tmp);
    strat_points_index(k);
    *state = k;
    return 0;
}

static void ketama_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)nodes;
    const strat_points_t *k = state;
    strat_where_none(w);
    if (k->count == 0)
        return;
    uint32_t i = strat_points_successor(k, (uint64_t)key->hash32 << 32);
    w->owner = k->node[i];
    w->at = i;
    w->point = k->pos[i] >> 32;
}

static void ketama_owners(const void *state, const strat_nodes_t *nodes, const uint64_t *khash, const uint32_t *own,
                          size_t n, uint16_t *out)
{
    (void)nodes, (void)khash;
    const strat_points_t *k = state;
    for (size_t i = 0; i < n; i++)
        out[i] = k->count ? k->node[strat_points_successor(k, (uint64_t)own[i] << 32)] : (uint16_t)RING_NONE;
}

static size_t ketama_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return sizeof(strat_points_t) + strat_points_memory(state);
}

static uint64_t ketama_walk_len(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return ((const strat_points_t *)state)->count;
}

static uint16_t ketama_walk_at(const void *state, const strat_nodes_t *nodes, const strat_where_t *w, uint64_t i)
{
    (void)nodes;
    const strat_points_t *k = state;
    return k->node[((uint64_t)w->at + i) % k->count];
}

static const strat_points_t *ketama_points(const void *state)
{
    return state;
}

static uint64_t ketama_size(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return state ? ((const strat_points_t *)state)->count : 0;
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

static uint32_t ketama_of_id(const char *id, size_t len) { return ketama_key_hash(id, len); }

/* libketama's key hash: MD5 of the raw id, no "key:" prefix. */
static const strat_keyhash_t ketama_key_hash32 = {
    .bits = 32, .help = "MD5 of KEY", .of_id = ketama_of_id, .of_indexes = md5_ketama_keys,
};

const strat_ops_t strat_ketama_ops = {
    .name = "ketama", .weighted = 1, .uses_vnodes = 0, .key_hash = &ketama_key_hash32,
    .build = ketama_build, .release = ketama_release, .locate = ketama_locate, .owners = ketama_owners,
    .memory = ketama_memory,
    .describe = ketama_describe, .place = place_at_key,
    .walk_len = ketama_walk_len, .walk_at = ketama_walk_at, .points = ketama_points,
    .structure = {.kind = STRAT_STRUCTURE_POINTS, .size_name = "ring points", .size = ketama_size},
    .legend = ketama_legend,
};
