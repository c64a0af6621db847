/* bench_time — the clock and the median every bench figure uses.
 * No state, no errors. */
#ifndef RINGSCOPE_BENCH_TIME_H
#define RINGSCOPE_BENCH_TIME_H

/* Monotonic time in milliseconds. */
double bench_now_ms(void);
/* Median of v[0..n-1] (n >= 1); sorts v. */
double bench_median(double *v, unsigned n);

#endif
