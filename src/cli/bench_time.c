#define _POSIX_C_SOURCE 200809L

#include "bench_time.h"

#include "cmd.h"
#include "sim.h"

#include <stdlib.h>
#include <time.h>

double bench_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, unsigned n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int bench_sim(sim_t *s, const sim_config_t *cfg)
{
    sim_step_t step;
    char err[256];
    if (sim_init(s, cfg, &step, err, sizeof err) == 0)
        return 0;
    cmd_error("bench: %s", err);
    sim_free(s);
    return -1;
}
