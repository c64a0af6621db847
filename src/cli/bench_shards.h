/* bench_shards — `ringscope bench` figures for generic shards (strategy
 * `shards`): 10 nodes, S = 1024, at 1,000,000 and 10,000,000 keys
 * (--quick: 100,000 and 1,000,000), each against a naive baseline in the
 * same run:
 *   lookup     ns per key, key -> shard -> node over the store's keys: the
 *              map's shard -> holders table, one sim_locate call a key, and
 *              (batch) the strategy's loop over all of them (owners: khash
 *              mod S by S's reciprocal, then the shard's primary), against a
 *              binary search of the shard ranges (each node's [first, last]
 *              runs, as shard_ranges lists them);
 *   rebalance  ms for sim_apply of an 11th node joining (the balancer, then
 *              only the keys of the shards that moved, found through the
 *              map's key index, given their shard's new node), against a
 *              per-key remap of every key (each looked up again: its shard,
 *              then that shard's node), both finding the same keys moved.
 * Owns nothing; returns 0, or -1 with a message printed. */
#ifndef RINGSCOPE_BENCH_SHARDS_H
#define RINGSCOPE_BENCH_SHARDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct bench_shards_fig {
    size_t keys;
    double ns_lookup, ns_batch, ns_lookup_bsearch;
    double ms_add, ms_add_naive;
    uint64_t shards_moved, keys_moved, visited;
} bench_shards_fig_t;

typedef struct bench_shards {
    unsigned nodes, shards;
    bench_shards_fig_t fig[2];
} bench_shards_t;

int bench_shards(int quick, unsigned reps, bench_shards_t *out);

/* The baseline's map of a shard map (bench_presets uses it too): every
 * node's runs of shards as shard_ranges lists them, [first, last] led by
 * slot, sorted by first shard (the caller frees it; NULL when out of
 * memory); and the owner of shard s through them, by binary search. */
typedef struct range {
    uint32_t first, last;
    uint16_t slot;
} range_t;
struct shardmap;
range_t *bench_shard_ranges(const struct shardmap *m, size_t *count);
uint16_t bench_shard_owner(const range_t *r, size_t n, uint32_t s);
void bench_shards_table(FILE *f, const bench_shards_t *b);
void bench_shards_json(FILE *f, const bench_shards_t *b);

#endif
