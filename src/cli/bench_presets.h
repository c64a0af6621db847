/* bench_presets — `ringscope bench` figure 11: every preset of a real
 * system (DESIGN §1c) on 10 nodes at 1,000,000 keys (--quick: 100,000),
 * the whole lookup of a key, key -> hash -> shard -> node, per key over the
 * store's keys, split in its two halves and set against a naive baseline
 * in the same run:
 *   hash      ns per key of the system's own hash of the key's native form
 *             (strat_keyhash_t.of_id over the ids' text), the same for both;
 *   lookup    ns per key from that hash to the node, as Ringscope does it
 *             (sim_locate: the shard map's table, or a top-bits index into
 *             sorted points);
 *   baseline  ns per key for the same answer done plainly, as the systems'
 *             own code or a plain search does it: a binary search of the
 *             shard ranges (Redis, Elasticsearch, Milvus, Kafka: each
 *             node's [first, last] runs), a binary search of the sorted
 *             points (Qdrant's hashring crate, Cassandra's
 *             TokenMetadata.firstTokenIndex, libketama), Weaviate's linear
 *             scan of its virtual shards (virtualByToken);
 * both finding the same owner for every key (checked). Units: the shards,
 * or the points the baseline searches. Shards: 64 where
 * the system takes --shards, Redis's 16384 slots, Cassandra's 16 tokens a
 * node. Owns nothing; returns 0, or -1 with a message printed. */
#ifndef RINGSCOPE_BENCH_PRESETS_H
#define RINGSCOPE_BENCH_PRESETS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "strat.h"

#define BENCH_PRESETS_MAX 8

typedef struct bench_preset_fig {
    strat_kind_t kind;
    const char *name;     /* the preset's name (memcached: the alias) */
    const char *baseline; /* what the baseline does, for the tables */
    uint32_t units;       /* shards, slots, or points searched */
    double ns_hash, ns_lookup, ns_baseline;
} bench_preset_fig_t;

typedef struct bench_presets {
    unsigned nodes;
    size_t keys;
    unsigned count;
    bench_preset_fig_t fig[BENCH_PRESETS_MAX];
} bench_presets_t;

int bench_presets(int quick, unsigned reps, bench_presets_t *out);
void bench_presets_table(FILE *f, const bench_presets_t *b);
void bench_presets_json(FILE *f, const bench_presets_t *b);

#endif
