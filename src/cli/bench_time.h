/* bench_time — the clock, the median and the simulation setup every bench
 * figure uses. No state; bench_sim prints its own error. */
#ifndef RINGSCOPE_BENCH_TIME_H
#define RINGSCOPE_BENCH_TIME_H

/* Monotonic time in milliseconds. */
double bench_now_ms(void);
/* Median of v[0..n-1] (n >= 1); sorts v. */
double bench_median(double *v, unsigned n);

/* sim_init of cfg: 0, or -1 with "ringscope: bench: ..." printed (nothing
 * left to free). */
struct sim;
struct sim_config;
int bench_sim(struct sim *s, const struct sim_config *cfg);

#endif
