/* bench_jobs — `ringscope bench` figures of whole processes: ringscope's
 * own commands run as children of this executable, the way a user runs
 * them, each paired with its baseline in the same run (ours, theirs, ours,
 * theirs, …; medians): wall time around spawn and wait, CPU (user +
 * system) from wait4.
 *   start-up   `sim --vectors 0` against /bin/true;
 *   seed job   `sim --vectors N --do "add nodeF" --do "remove nodeC"`
 *              against the reference notebook's algorithm (--reference CMD;
 *              not run without it), and the same job at 10x and (without
 *              --quick) 100x the keys alone;
 *   ketama job 99 nodes x 160 points, N keys, remove node000 then add
 *              node099, against libmemcached (--libmemcached CMD);
 *   compare    `sim --vectors N --compare` of the 8 strategies of DESIGN
 *              §1b (key by key: no shard map, no system) against the
 *              strategies run one by one (each hashing the keys again).
 * A baseline's moved counts ("moved K of N" in its output, step by step)
 * must equal ours, or the figure fails. N is 1,000,000 (--quick: 100,000).
 * Peak memory is not measured here: a child inherits the bench's own peak
 * resident set at fork; figure 5 measures it in this process instead.
 *
 * Returns 0, or -1 with a message printed (a child failed or disagreed).
 * Desktop only: where processes cannot be spawned the figures are absent. */
#ifndef RINGSCOPE_BENCH_JOBS_H
#define RINGSCOPE_BENCH_JOBS_H

#include <stdint.h>
#include <stdio.h>

/* One process, median over its runs. */
typedef struct bench_proc {
    double ms_wall, ms_cpu;
    unsigned runs;               /* 0: not run */
} bench_proc_t;

typedef struct bench_job {
    const char *name;            /* "startup", "seed", … */
    const char *what;            /* ours, in words */
    const char *baseline;        /* the baseline, in words, or NULL */
    int by_difference;           /* the figure is ours - theirs (start-up), not a ratio */
    uint64_t keys;
    bench_proc_t ours, theirs;   /* theirs.runs 0: no baseline this run */
    uint64_t moved[4];           /* ours, step by step (after init) */
    unsigned steps;
} bench_job_t;

#define BENCH_JOBS 6

typedef struct bench_jobs {
    int available;               /* 0: this build cannot spawn processes */
    bench_job_t job[BENCH_JOBS];
} bench_jobs_t;

int bench_jobs_run(int quick, unsigned reps, const char *reference, const char *libmemcached, bench_jobs_t *out);
void bench_jobs_table(FILE *f, const bench_jobs_t *b);
void bench_jobs_json(FILE *f, const bench_jobs_t *b);

#endif
