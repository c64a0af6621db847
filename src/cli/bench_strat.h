/* bench_strat — `ringscope bench` figures for every placement strategy,
 * measured the same way in one harness (100 nodes, 160 points per node
 * where the scheme has points, 1024 shards for shards, 1,000,000 keys;
 * --quick: 100,000), with the
 * reference ring as the first row to compare against:
 *   lookup    ns per key from a precomputed key hash, one thread
 *             (sim_locate: one call per key);
 *   batch     the same through the strategy's owners loop, where it has
 *             one (NaN otherwise): what re-placing every key costs;
 *   call      ns to hash an id's text and locate it, as `locate` does;
 *   build     ms to build the structure from the node set (bounded: the
 *             placement of every key, which is its structure);
 *   add, remove  ms for sim_apply of one node joining / leaving, with the
 *             fraction of keys moved;
 *   memory    bytes of the structure;
 *   max/mean  load balance after the build.
 * Owns nothing; returns 0, or -1 with a message printed (out of memory). */
#ifndef RINGSCOPE_BENCH_STRAT_H
#define RINGSCOPE_BENCH_STRAT_H

#include <stdio.h>

#include "strat.h"

#define BENCH_STRAT_SHARDS 1024u

typedef struct bench_strat_fig {
    strat_kind_t kind;
    double ns_lookup, ns_owners, ns_call, ms_build, ms_add, ms_remove;
    double moved_add, moved_remove;  /* fractions of keys */
    size_t bytes;
    double max_over_mean, std_over_mean;
} bench_strat_fig_t;

typedef struct bench_strat {
    unsigned nodes, vnodes;
    size_t keys;
    bench_strat_fig_t fig[STRAT_COUNT];
} bench_strat_t;

int bench_strategies(int quick, unsigned reps, bench_strat_t *out);
void bench_strat_table(FILE *f, const bench_strat_t *b);
void bench_strat_json(FILE *f, const bench_strat_t *b);

#endif
