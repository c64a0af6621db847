/* Fork/join over pthreads; see par.h. */
#include "par.h"

#if defined(RINGSCOPE_THREADS) && !defined(__EMSCRIPTEN__)
#include <pthread.h>
#include <unistd.h>
#define PAR_HAVE_THREADS 1
#endif

static unsigned par_thread_setting = 0;

void par_set_threads(unsigned threads) { par_thread_setting = threads; }

unsigned par_cores(void)
{
#ifdef PAR_HAVE_THREADS
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)(n > (long)PAR_MAX_THREADS ? PAR_MAX_THREADS : n) : 1;
#else
    return 1;
#endif
}

unsigned par_threads(void)
{
    unsigned t = par_thread_setting ? par_thread_setting : par_cores();
    return t > PAR_MAX_THREADS ? PAR_MAX_THREADS : t;
}

typedef struct par_part {
    void (*fn)(void *arg, unsigned part, unsigned parts);
    void *arg;
    unsigned part, parts;
} par_part_t;

#ifdef PAR_HAVE_THREADS
static void *par_thread(void *p)
{
    const par_part_t *job = p;
    job->fn(job->arg, job->part, job->parts);
    return NULL;
}
#endif

void par_run(unsigned parts, void (*fn)(void *arg, unsigned part, unsigned parts), void *arg)
{
    if (parts < 1)
        parts = 1;
    if (parts > PAR_MAX_THREADS)
        parts = PAR_MAX_THREADS;
#ifdef PAR_HAVE_THREADS
    pthread_t tid[PAR_MAX_THREADS];
    par_part_t jobs[PAR_MAX_THREADS];
    unsigned char started[PAR_MAX_THREADS] = {0};
    for (unsigned p = 0; p < parts; p++)
        jobs[p] = (par_part_t){fn, arg, p, parts};
    for (unsigned p = 1; p < parts; p++) {
        if (pthread_create(&tid[p], NULL, par_thread, &jobs[p]) == 0)
            started[p] = 1;
        else
            fn(arg, p, parts); /* no thread: still done, just not in parallel */
    }
    fn(arg, 0, parts);
    for (unsigned p = 1; p < parts; p++)
        if (started[p])
            pthread_join(tid[p], NULL);
#else
    for (unsigned p = 0; p < parts; p++)
        fn(arg, p, parts);
#endif
}
