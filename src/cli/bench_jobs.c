#define _GNU_SOURCE /* pipe2, wait4 */

#include "bench_jobs.h"

#include "bench_time.h"
#include "cmd.h"
#include "json.h"
#include "strat.h"

#include <stdlib.h>
#include <string.h>

#if defined(__linux__) && !defined(__EMSCRIPTEN__)

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define JOB_WORDS 48
#define JOB_OUT_MAX (1u << 20)

/* A command line being put together: words point into text or elsewhere. */
typedef struct job_argv {
    char *word[JOB_WORDS + 1];
    int n;
    char text[4096];
    size_t used;
} job_argv_t;

static void argv_add(job_argv_t *a, const char *w)
{
    size_t len = strlen(w) + 1;
    if (a->n >= JOB_WORDS || a->used + len > sizeof a->text)
        return; /* argv_ok reports it */
    a->word[a->n++] = memcpy(a->text + a->used, w, len);
    a->used += len;
    a->word[a->n] = NULL;
}

static void argv_addf(job_argv_t *a, const char *fmt, unsigned long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, fmt, v);
    argv_add(a, buf);
}

/* The words of cmd, split at spaces (no quoting: a baseline is a program
 * and plain arguments). */
static void argv_split(job_argv_t *a, const char *cmd)
{
    while (*cmd) {
        size_t skip = strspn(cmd, " "), len = strcspn(cmd + skip, " ");
        if (!len)
            break;
        char w[1024];
        snprintf(w, sizeof w, "%.*s", (int)len, cmd + skip);
        argv_add(a, w);
        cmd += skip + len;
    }
}

static int argv_ok(const job_argv_t *a) { return a->n > 0 && a->n < JOB_WORDS && a->used < sizeof a->text; }

/* Runs argv to its end with its stdout in out (NUL-terminated, cut at
 * JOB_OUT_MAX); adds its wall and CPU ms. 0, or -1 with a message. */
static int run_child(char *const *argv, char *out, double *ms_wall, double *ms_cpu)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        cmd_error("bench: pipe: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    pid_t pid;
    double t0 = bench_now_ms();
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        cmd_error("bench: cannot run %s: %s", argv[0], strerror(rc));
        return -1;
    }
    size_t len = 0;
    for (;;) {
        char buf[8192];
        ssize_t got = read(fds[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        size_t take = (size_t)got < JOB_OUT_MAX - 1 - len ? (size_t)got : JOB_OUT_MAX - 1 - len;
        memcpy(out + len, buf, take);
        len += take;
    }
    close(fds[0]);
    out[len] = '\0';
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    *ms_wall += bench_now_ms() - t0;
    *ms_cpu += (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-3;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        cmd_error("bench: %s %s%s failed (%s %d)", argv[0], argv[1] ? argv[1] : "", argv[1] ? " …" : "",
                  WIFEXITED(status) ? "exit status" : "signal",
                  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -1;
    }
    return 0;
}

/* Every "moved K of N" in out, in order: the steps' moved counts. */
static unsigned moved_counts(const char *out, uint64_t *moved, unsigned cap)
{
    unsigned n = 0;
    for (const char *p = strstr(out, "moved "); p && n < cap; p = strstr(p + 1, "moved ")) {
        char *end;
        unsigned long long k = strtoull(p + 6, &end, 10);
        if (end != p + 6 && strncmp(end, " of ", 4) == 0)
            moved[n++] = k;
    }
    return n;
}

typedef struct job_spec {
    job_argv_t ours;
    job_argv_t theirs[STRAT_COUNT]; /* run one after another: one baseline run */
    int parts;                      /* of theirs; 0: no baseline */
    unsigned runs_ours, runs_theirs;
    int check_moved;                /* theirs must print our moved counts */
} job_spec_t;

static double median_of(double *v, unsigned n) { return n ? bench_median(v, n) : 0.0; }

/* Alternates ours and theirs; fills job's medians and our moved counts. */
static int run_job(job_spec_t *spec, bench_job_t *job, char *out)
{
    double w[2][64], c[2][64];
    unsigned done[2] = {0, 0};
    for (unsigned r = 0; r < spec->runs_ours || r < spec->runs_theirs; r++) {
        if (r < spec->runs_ours) {
            w[0][done[0]] = c[0][done[0]] = 0.0;
            if (!argv_ok(&spec->ours) || run_child(spec->ours.word, out, &w[0][done[0]], &c[0][done[0]]) != 0)
                return -1;
            done[0]++;
            job->steps = moved_counts(out, job->moved, 4);
        }
        if (r < spec->runs_theirs && spec->parts) {
            w[1][done[1]] = c[1][done[1]] = 0.0;
            for (int p = 0; p < spec->parts; p++)
                if (!argv_ok(&spec->theirs[p]) ||
                    run_child(spec->theirs[p].word, out, &w[1][done[1]], &c[1][done[1]]) != 0)
                    return -1;
            done[1]++;
            uint64_t moved[4] = {0};
            unsigned steps = moved_counts(out, moved, 4);
            if (spec->check_moved &&
                (steps != job->steps || memcmp(moved, job->moved, steps * sizeof *moved) != 0)) {
                cmd_error("bench: %s: the baseline moved other keys than ringscope (%u steps: %llu, %llu, %llu "
                          "against %u steps: %llu, %llu, %llu)",
                          job->name, steps, (unsigned long long)moved[0], (unsigned long long)moved[1],
                          (unsigned long long)moved[2], job->steps, (unsigned long long)job->moved[0],
                          (unsigned long long)job->moved[1], (unsigned long long)job->moved[2]);
                return -1;
            }
        }
    }
    job->ours = (bench_proc_t){median_of(w[0], done[0]), median_of(c[0], done[0]), done[0]};
    job->theirs = (bench_proc_t){median_of(w[1], done[1]), median_of(c[1], done[1]), done[1]};
    return 0;
}

/* `ringscope sim --vectors n` and the seed job's two changes. */
static void seed_job(job_argv_t *a, uint64_t n)
{
    argv_add(a, "/proc/self/exe");
    argv_add(a, "sim");
    argv_add(a, "--vectors");
    argv_addf(a, "%llu", n);
    argv_add(a, "--do");
    argv_add(a, "add nodeF");
    argv_add(a, "--do");
    argv_add(a, "remove nodeC");
}

int bench_jobs_run(int quick, unsigned reps, const char *reference, const char *libmemcached, bench_jobs_t *out)
{
    memset(out, 0, sizeof *out);
    out->available = 1;
    uint64_t n = quick ? 100000 : 1000000;
    if (reps > 64)
        reps = 64;
    job_spec_t *spec = malloc(sizeof *spec);
    char *text = malloc(JOB_OUT_MAX);
    int rc = -1;
    if (!spec || !text) {
        cmd_error("bench: out of memory");
        goto done;
    }

    /* Start-up: many short runs, against the smallest program there is. */
    bench_job_t *job = &out->job[0];
    *job = (bench_job_t){.name = "startup", .what = "sim --vectors 0", .baseline = "/bin/true", .by_difference = 1};
    memset(spec, 0, sizeof *spec);
    argv_add(&spec->ours, "/proc/self/exe");
    argv_add(&spec->ours, "sim");
    argv_add(&spec->ours, "--vectors");
    argv_add(&spec->ours, "0");
    argv_add(&spec->theirs[0], "/bin/true");
    spec->parts = 1;
    spec->runs_ours = spec->runs_theirs = quick ? 20 : 64;
    if (run_job(spec, job, text) != 0)
        goto done;

    /* The seed job, against the reference notebook's algorithm. */
    job = &out->job[1];
    *job = (bench_job_t){.name = "seed", .what = "sim: add nodeF, remove nodeC",
                         .baseline = reference ? "the reference notebook's algorithm" : NULL, .keys = n};
    memset(spec, 0, sizeof *spec);
    seed_job(&spec->ours, n);
    if (reference) {
        argv_split(&spec->theirs[0], reference);
        argv_add(&spec->theirs[0], "--vectors");
        argv_addf(&spec->theirs[0], "%llu", n);
        spec->parts = 1;
        spec->runs_theirs = reps < 3 ? reps : 3; /* seconds a run in Python */
        spec->check_moved = 1;
    }
    spec->runs_ours = reps;
    if (run_job(spec, job, text) != 0)
        goto done;

    /* The same at 10 and 100 times the keys, alone (what a big run costs;
     * 100x only without --quick). */
    for (int big = 0; big < 2; big++) {
        job = &out->job[2 + big];
        *job = (bench_job_t){.name = big ? "seed_100x" : "seed_10x", .what = "sim: add nodeF, remove nodeC",
                             .keys = (big ? 100 : 10) * n};
        if (big && quick)
            continue; /* runs 0: left out of the output */
        memset(spec, 0, sizeof *spec);
        seed_job(&spec->ours, job->keys);
        spec->runs_ours = quick || big ? 1 : 3;
        if (run_job(spec, job, text) != 0)
            goto done;
    }

    /* ketama, 99 nodes x 160 points: libmemcached gives 156 points a server
     * at 100 (its all-float arithmetic) and refuses more than 100, so the
     * job removes first and never passes 99. */
    job = &out->job[4];
    *job = (bench_job_t){.name = "ketama", .what = "ketama, 99 nodes: remove one, add one",
                         .baseline = libmemcached ? "libmemcached (its whole process)" : NULL, .keys = n};
    memset(spec, 0, sizeof *spec);
    char nodes[99 * 8];
    size_t at = 0;
    for (unsigned i = 0; i < 99; i++)
        at += (size_t)snprintf(nodes + at, sizeof nodes - at, "%snode%03u", i ? "," : "", i);
    job_argv_t *a = &spec->ours;
    argv_add(a, "/proc/self/exe");
    argv_add(a, "sim");
    argv_add(a, "--strategy");
    argv_add(a, "ketama");
    argv_add(a, "--nodes");
    argv_add(a, nodes);
    argv_add(a, "--vectors");
    argv_addf(a, "%llu", n);
    argv_add(a, "--do");
    argv_add(a, "remove node000");
    argv_add(a, "--do");
    argv_add(a, "add node099");
    if (libmemcached) {
        a = &spec->theirs[0];
        argv_split(a, libmemcached);
        argv_add(a, "--nodes");
        argv_add(a, "99");
        argv_add(a, "--keys");
        argv_addf(a, "%llu", n);
        argv_add(a, "--remove-first");
        spec->parts = 1;
        spec->runs_theirs = reps;
        spec->check_moved = 1;
    }
    spec->runs_ours = reps;
    if (run_job(spec, job, text) != 0)
        goto done;

    /* The schemes of DESIGN §1b side by side (no shard map, no system:
     * key-by-key placement), against each run on its own. */
    job = &out->job[5];
    *job = (bench_job_t){.name = "compare", .what = "sim --compare, every strategy of DESIGN 1b",
                         .baseline = "each strategy in its own run", .keys = n};
    memset(spec, 0, sizeof *spec);
    char all[STRAT_COUNT * 16] = "";
    int parts = 0;
    for (int k = 0; k < STRAT_COUNT; k++) {
        const strat_ops_t *ops = strat_ops((strat_kind_t)k);
        if (ops->system || ops->shards)
            continue;
        size_t end = strlen(all);
        snprintf(all + end, sizeof all - end, "%s%s", parts ? "," : "", ops->name);
        a = &spec->theirs[parts++];
        argv_add(a, "/proc/self/exe");
        argv_add(a, "sim");
        argv_add(a, "--vectors");
        argv_addf(a, "%llu", n);
        argv_add(a, "--strategy");
        argv_add(a, ops->name);
    }
    a = &spec->ours;
    argv_add(a, "/proc/self/exe");
    argv_add(a, "sim");
    argv_add(a, "--vectors");
    argv_addf(a, "%llu", n);
    argv_add(a, "--compare");
    argv_add(a, all);
    spec->parts = parts;
    spec->runs_ours = spec->runs_theirs = reps;
    if (run_job(spec, job, text) != 0)
        goto done;
    rc = 0;
done:
    free(spec);
    free(text);
    return rc;
}

#else

int bench_jobs_run(int quick, unsigned reps, const char *reference, const char *libmemcached, bench_jobs_t *out)
{
    (void)quick, (void)reps, (void)reference, (void)libmemcached;
    memset(out, 0, sizeof *out);
    return 0;
}

#endif

void bench_jobs_table(FILE *f, const bench_jobs_t *b)
{
    fputs("\n12. whole processes (children of this executable, paired with the baseline; medians)\n", f);
    if (!b->available) {
        fputs("   not in this build\n", f);
        return;
    }
    fprintf(f, "   %-50s %9s %9s   %-34s %9s %9s\n", "job", "ms wall", "ms CPU", "baseline", "ms wall", "ms CPU");
    for (int k = 0; k < BENCH_JOBS; k++) {
        const bench_job_t *j = &b->job[k];
        char what[128];
        if (!j->ours.runs)
            continue;
        if (j->keys)
            snprintf(what, sizeof what, "%s, %llu keys", j->what, (unsigned long long)j->keys);
        else
            snprintf(what, sizeof what, "%s", j->what);
        fprintf(f, "   %-50s %9.1f %9.1f", what, j->ours.ms_wall, j->ours.ms_cpu);
        if (j->theirs.runs && j->by_difference)
            fprintf(f, "   %-34s %9.1f %9.1f  (%+.2f ms wall)", j->baseline, j->theirs.ms_wall, j->theirs.ms_cpu,
                    j->ours.ms_wall - j->theirs.ms_wall);
        else if (j->theirs.runs)
            fprintf(f, "   %-34s %9.1f %9.1f  (%.1fx wall)", j->baseline, j->theirs.ms_wall, j->theirs.ms_cpu,
                    j->ours.ms_wall > 0 ? j->theirs.ms_wall / j->ours.ms_wall : 0.0);
        else if (j->baseline)
            fprintf(f, "   %-34s %9s", j->baseline, "not run");
        fputc('\n', f);
    }
}

static void proc_json(FILE *f, const bench_proc_t *p)
{
    fputs("\"ms_wall\":", f);
    json_fnum(f, p->ms_wall);
    fputs(",\"ms_cpu\":", f);
    json_fnum(f, p->ms_cpu);
    fprintf(f, ",\"runs\":%u", p->runs);
}

void bench_jobs_json(FILE *f, const bench_jobs_t *b)
{
    if (!b->available) {
        fputs("null", f);
        return;
    }
    fputc('[', f);
    int first = 1;
    for (int k = 0; k < BENCH_JOBS; k++) {
        const bench_job_t *j = &b->job[k];
        if (!j->ours.runs)
            continue;
        fprintf(f, "%s{\"job\":\"%s\",\"what\":", first ? "" : ",\n", j->name);
        first = 0;
        json_fstr(f, j->what);
        fprintf(f, ",\"keys\":%llu,", (unsigned long long)j->keys);
        proc_json(f, &j->ours);
        fputs(",\"moved\":[", f);
        for (unsigned s = 0; s < j->steps; s++)
            fprintf(f, "%s%llu", s ? "," : "", (unsigned long long)j->moved[s]);
        fputs("],\"baseline\":", f);
        if (!j->theirs.runs) {
            fputs("null", f);
        } else {
            fputs("{\"what\":", f);
            json_fstr(f, j->baseline);
            fputc(',', f);
            proc_json(f, &j->theirs);
            fputc('}', f);
        }
        fputc('}', f);
    }
    fputc(']', f);
}
