/* bench_scale — `ringscope bench` figure 9: what strategies cost at 1000
 * nodes, each against its naive baseline in the same run, one thread:
 *   lists    rendezvous preference lists of every key (a `heal`, which
 *            recomputes them all) at R = 1 and R = 3, against R = 3 by
 *            the full insertion sort of all n scores a key that lists
 *            took before (lists only, no accounting: the baseline's part);
 *   weights  ms per weight change (sim_apply of `weight ID W`, the keys
 *            re-placed included) under ring, rendezvous and ketama, against
 *            rebuilding rendezvous' and ketama's structure from nothing and
 *            looking every key up again, as every change did before.
 * 1000 nodes; 10,000 keys for the lists (the baseline sorts n^2/4 a key;
 * one run of it) and 100,000 for the weight changes (--quick: 2,000 and
 * 20,000 keys, 100 changes instead of 1000).
 * Owns nothing; returns 0, or -1 with a message printed (out of memory). */
#ifndef RINGSCOPE_BENCH_SCALE_H
#define RINGSCOPE_BENCH_SCALE_H

#include <stddef.h>
#include <stdio.h>

typedef struct bench_scale {
    unsigned nodes;
    size_t keys;                                        /* for the weight changes */
    size_t list_keys;                                   /* for the lists */
    double ms_lists_r1, ms_lists_r3, ms_lists_r3_sort; /* every key's list */
    unsigned changes;                                   /* weight changes timed */
    double ms_weight_ring, ms_weight_rendezvous, ms_weight_ketama;        /* per change */
    double ms_weight_rendezvous_full, ms_weight_ketama_full;              /* per change, baseline */
} bench_scale_t;

int bench_scale(int quick, unsigned reps, bench_scale_t *out);
void bench_scale_table(FILE *f, const bench_scale_t *b);
void bench_scale_json(FILE *f, const bench_scale_t *b);

#endif
