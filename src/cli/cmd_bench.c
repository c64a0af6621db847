/* ringscope bench: the performance figures of issue 6, each measured against
 * its naive baseline in the same run (DESIGN §5: performance is shown here,
 * never by a timed test).
 *
 *   1. hash64 per key id, for each SHA-256 engine (OpenSSL one-shot is the
 *      baseline: it is what hash64 did before the single-block fast path);
 *   2. ring lookup from a precomputed hash: top-bits index vs binary search;
 *   3. building the store (hash, sort, place every key): all cores vs one;
 *   4. rebalance on add and remove: incremental vs full remap (the
 *      reference's per-key lookup, and the merge walk);
 *   5. simulator state per embedding, from the resident set;
 *   6. renderer figures, when the executable provides bench_render_hook;
 *   7. building a ring of 1024..4096 nodes x 976 vnodes in one pass, against
 *      adding the nodes one by one (the old quadratic build) at 1024 nodes;
 *   8. every placement strategy, the ring as reference (bench_strat.h);
 *   9. strategies at 1000 nodes: rendezvous preference lists, weight
 *      changes (bench_scale.h);
 *  10. shards: lookup key -> shard -> node and a rebalance at 1M and 10M
 *      keys, against a search of the shard ranges and a per-key remap
 *      (bench_shards.h);
 *  11. the presets of real systems: key -> hash -> shard -> node at 1M
 *      keys, against the plain search each system's code does
 *      (bench_presets.h);
 *  12. whole processes against their baselines (bench_jobs.h);
 *  1b. ketama's MD5 per key id: one call, runs of ids in vector lanes and
 *      one at a time, against OpenSSL's EVP one-shot (the old path);
 *  2b. the remainder by a fixed divisor (rmod.h) against the hardware
 *      division, for modulo's n, a shard count and Maglev's M.
 *
 * Every time is the median of several repetitions. --quick shrinks sizes
 * and repetitions (the test suite runs it as a smoke test). */
#define _POSIX_C_SOURCE 200809L

#include "bench_jobs.h"
#include "bench_presets.h"
#include "bench_scale.h"
#include "bench_shards.h"
#include "bench_strat.h"
#include "bench_time.h"
#include "cmd.h"
#include "hash.h"
#include "hash_engine.h"
#include "keyid.h"
#include "md5.h"
#include "opts.h"
#include "par.h"
#include "report.h"
#include "rmod.h"
#include "sim.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bench_render_fn bench_render_hook = NULL;

#define BENCH_MAX_REPS 9

/* ---- timing ------------------------------------------------------------- */

/* Keeps a result alive so the compiler cannot drop the loop computing it. */
static volatile uint64_t bench_sink;

/* ---- the figures --------------------------------------------------------- */

#define BENCH_MEMORY_SIZES 3

typedef struct bench_plan {
    unsigned reps;
    size_t hash_keys_n;             /* keys per hash timing */
    size_t lookups;                 /* lookups per lookup timing */
    size_t build_sizes[2];
    size_t rebalance_sizes[2];
    size_t memory_vectors[BENCH_MEMORY_SIZES]; /* 0: none */
    int quick;
} bench_plan_t;

typedef struct hash_fig {
    hash_engine_t engine;
    int available;
    double ns_call;                 /* hash_key(i): format + hash64, one call per id */
    double ns_batch;                /* hash_keys(): the store's path */
} hash_fig_t;

typedef struct lookup_fig {
    uint32_t nodes, vnodes;
    double ns_index, ns_bsearch;
} lookup_fig_t;

typedef struct build_fig {
    size_t vectors;
    double ms_all, ms_one;
} build_fig_t;

typedef struct rebalance_fig {
    size_t vectors;
    const char *op;                 /* "add" or "remove" */
    double ms_incremental, ms_naive, ms_merge;
    uint64_t visited, moved, keys;
} rebalance_fig_t;

typedef struct memory_fig {
    size_t vectors;                 /* 0: not measured */
    double bytes_rss;               /* resident growth / embeddings, after the build */
    double bytes_peak;              /* peak resident growth / embeddings, during the seed job; <0 unknown */
    double bytes_layout;            /* sizeof of the per-embedding arrays */
} memory_fig_t;

typedef struct md5_fig {
    double ns_call;                 /* ketama_key_hash of an id's text, one call */
    double ns_batch;                /* md5_ketama_keys_lanes at the CPU's widest */
    double ns_scalar;               /* the same one id at a time */
    double ns_evp;                  /* OpenSSL's EVP one-shot per id (the old path); NaN: not in this build */
    unsigned lanes;
} md5_fig_t;

#define BENCH_DIVISORS 3

typedef struct rmod_fig {
    uint32_t divisor;
    double ns_rmod, ns_div;
} rmod_fig_t;

typedef struct ring_build_fig {
    uint32_t nodes, vnodes;
    double ms_bulk;                 /* ring_add_many: one sort */
    double ms_one_by_one;           /* ring_add per node; <0 not measured */
} ring_build_fig_t;

#define BENCH_RING_BUILDS 3

typedef struct bench_result {
    unsigned cores, threads, reps;
    double load[2];                 /* 1-minute load average at the start and the end; <0 unknown */
    hash_fig_t hash[HASH_ENGINE_COUNT - 1];
    lookup_fig_t lookup[3];
    build_fig_t build[2];
    rebalance_fig_t rebalance[4];
    memory_fig_t memory[BENCH_MEMORY_SIZES];
    ring_build_fig_t ring_build[BENCH_RING_BUILDS];
    int have_render;
    bench_render_t render;
    bench_strat_t strat;            /* 8. every placement strategy */
    bench_scale_t scale;            /* 9. strategies at 1000 nodes */
    bench_shards_t shards;          /* 10. shards */
    bench_presets_t presets;        /* 11. presets of real systems */
    bench_jobs_t jobs;              /* 12. whole processes */
    md5_fig_t md5;                  /* 1b */
    rmod_fig_t rmod[BENCH_DIVISORS];/* 2b */
} bench_result_t;

static void bench_hash(const bench_plan_t *p, bench_result_t *res, uint64_t *scratch)
{
    hash_engine_t keep = hash_engine_get();
    for (int e = HASH_ENGINE_PORTABLE; e < HASH_ENGINE_COUNT; e++) {
        hash_fig_t *f = &res->hash[e - 1];
        f->engine = (hash_engine_t)e;
        f->available = hash_engine_set((hash_engine_t)e) == 0;
        if (!f->available)
            continue;
        /* Large first indices: 7-digit ids, like most keys of a big store. */
        size_t n = p->hash_keys_n;
        uint64_t first = 1000000;
        double call[BENCH_MAX_REPS], batch[BENCH_MAX_REPS];
        for (unsigned r = 0; r < p->reps; r++) {
            double t0 = bench_now_ms();
            uint64_t x = 0;
            for (size_t i = 0; i < n; i++)
                x += hash_key(first + i);
            double t1 = bench_now_ms();
            hash_keys(first, n, scratch);
            double t2 = bench_now_ms();
            bench_sink = x + scratch[n - 1];
            call[r] = (t1 - t0) * 1e6 / (double)n;
            batch[r] = (t2 - t1) * 1e6 / (double)n;
        }
        f->ns_call = bench_median(call, p->reps);
        f->ns_batch = bench_median(batch, p->reps);
    }
    hash_engine_set(keep);
}

static void bench_md5(const bench_plan_t *p, bench_result_t *res, uint64_t *scratch)
{
    md5_fig_t *f = &res->md5;
    size_t n = p->hash_keys_n;
    uint64_t first = 1000000; /* 7-digit ids */
    uint32_t *out = (uint32_t *)(void *)scratch; /* holds 2n: it has room for n uint64_t */
    double call[BENCH_MAX_REPS], batch[BENCH_MAX_REPS], scalar[BENCH_MAX_REPS], evp[BENCH_MAX_REPS];
    f->lanes = md5_keys_lanes();
    for (unsigned r = 0; r < p->reps; r++) {
        char text[32];
        uint32_t x = 0;
        double t0 = bench_now_ms();
        for (size_t i = 0; i < n; i++) {
            size_t len = keyid_text(first + i, text);
            x += ketama_key_hash(text + KEYID_PREFIX_LEN, len - KEYID_PREFIX_LEN);
        }
        double t1 = bench_now_ms();
        md5_ketama_keys_lanes(first, n, out, f->lanes);
        double t2 = bench_now_ms();
        md5_ketama_keys_lanes(first, n, out + n, 1);
        double t3 = bench_now_ms();
        for (size_t i = 0; i < n && md5_evp_available(); i++) {
            size_t len = keyid_text(first + i, text);
            x += ketama_key_hash_evp(text + KEYID_PREFIX_LEN, len - KEYID_PREFIX_LEN);
        }
        double t4 = bench_now_ms();
        bench_sink = x + out[n - 1] + out[2 * n - 1];
        call[r] = (t1 - t0) * 1e6 / (double)n;
        batch[r] = (t2 - t1) * 1e6 / (double)n;
        scalar[r] = (t3 - t2) * 1e6 / (double)n;
        evp[r] = (t4 - t3) * 1e6 / (double)n;
    }
    f->ns_call = bench_median(call, p->reps);
    f->ns_batch = bench_median(batch, p->reps);
    f->ns_scalar = bench_median(scalar, p->reps);
    f->ns_evp = md5_evp_available() ? bench_median(evp, p->reps) : NAN;
}

/* The divisor comes through a volatile, so the baseline is a real division
 * (a constant divisor would be turned into multiplications). The dividends
 * are a window of the query hashes small enough for L1, passed over again
 * and again: the figure is the arithmetic, not the memory it streams. */
static volatile uint32_t bench_divisor;
#define BENCH_RMOD_WINDOW 2048u

static int bench_rmod(const bench_plan_t *p, bench_result_t *res, const uint64_t *queries)
{
    /* modulo's n at 100 nodes, a shard count, Maglev's default M. */
    static const uint32_t divisors[BENCH_DIVISORS] = {100, 16384, 65537};
    size_t n = p->lookups;
    for (int k = 0; k < BENCH_DIVISORS; k++) {
        rmod_fig_t *f = &res->rmod[k];
        f->divisor = divisors[k];
        bench_divisor = divisors[k];
        const uint32_t d = bench_divisor;
        const rmod_t r = rmod_init(d);
        for (size_t i = 0; i < n; i++)
            if (rmod_of(&r, queries[i]) != queries[i] % d) {
                cmd_error("bench: rmod disagrees with %% for %llu mod %u", (unsigned long long)queries[i], d);
                return -1;
            }
        double fast[BENCH_MAX_REPS], slow[BENCH_MAX_REPS];
        for (unsigned rep = 0; rep < p->reps; rep++) {
            uint64_t a = 0, b = 0;
            double t0 = bench_now_ms();
            for (size_t i = 0; i < n; i++)
                a += rmod_of(&r, queries[i % BENCH_RMOD_WINDOW]);
            double t1 = bench_now_ms();
            for (size_t i = 0; i < n; i++)
                b += queries[i % BENCH_RMOD_WINDOW] % d;
            double t2 = bench_now_ms();
            bench_sink = a + b;
            fast[rep] = (t1 - t0) * 1e6 / (double)n;
            slow[rep] = (t2 - t1) * 1e6 / (double)n;
        }
        f->ns_rmod = bench_median(fast, p->reps);
        f->ns_div = bench_median(slow, p->reps);
    }
    return 0;
}

static int bench_lookup(const bench_plan_t *p, bench_result_t *res, uint64_t *queries)
{
    static const uint32_t shapes[3][2] = {{10, 80}, {100, 300}, {1000, 300}};
    char err[256];
    hash_keys(0, p->lookups, queries);
    for (int k = 0; k < 3; k++) {
        lookup_fig_t *f = &res->lookup[k];
        f->nodes = shapes[k][0];
        f->vnodes = shapes[k][1];
        ring_t ring;
        ring_init(&ring, f->vnodes);
        for (uint32_t i = 0; i < f->nodes; i++) {
            char id[16];
            uint16_t slot;
            int len = snprintf(id, sizeof id, "node%04u", (unsigned)i);
            if (ring_add(&ring, id, (size_t)len, &slot, err, sizeof err) != RING_OK) {
                cmd_error("bench: %s", err);
                ring_free(&ring);
                return -1;
            }
        }
        double ix[BENCH_MAX_REPS], bs[BENCH_MAX_REPS];
        for (unsigned r = 0; r < p->reps; r++) {
            uint64_t x = 0;
            double t0 = bench_now_ms();
            for (size_t i = 0; i < p->lookups; i++)
                x += ring.node[ring_lookup(&ring, queries[i])];
            double t1 = bench_now_ms();
            for (size_t i = 0; i < p->lookups; i++)
                x += ring.node[ring_lookup_bsearch(&ring, queries[i])];
            double t2 = bench_now_ms();
            bench_sink = x;
            ix[r] = (t1 - t0) * 1e6 / (double)p->lookups;
            bs[r] = (t2 - t1) * 1e6 / (double)p->lookups;
        }
        f->ns_index = bench_median(ix, p->reps);
        f->ns_bsearch = bench_median(bs, p->reps);
        ring_free(&ring);
    }
    return 0;
}

/* The default scene (nodeA..nodeE, 80 vnodes) with n embeddings. */
static int scene_init(sim_t *s, size_t n)
{
    sim_config_t cfg;
    sim_config_default(&cfg);
    cfg.vectors = n;
    return bench_sim(s, &cfg);
}

static int bench_build(const bench_plan_t *p, bench_result_t *res)
{
    for (int k = 0; k < 2; k++) {
        build_fig_t *f = &res->build[k];
        f->vectors = p->build_sizes[k];
        double all[BENCH_MAX_REPS], one[BENCH_MAX_REPS];
        for (unsigned r = 0; r < p->reps; r++) {
            for (int single = 0; single < 2; single++) {
                sim_t s;
                par_set_threads(single ? 1 : 0);
                double t0 = bench_now_ms();
                int rc = scene_init(&s, f->vectors);
                double t1 = bench_now_ms();
                par_set_threads(0);
                if (rc != 0)
                    return -1;
                (single ? one : all)[r] = t1 - t0;
                sim_free(&s);
            }
        }
        f->ms_all = bench_median(all, p->reps);
        f->ms_one = bench_median(one, p->reps);
    }
    return 0;
}

/* Times one topology change three ways on the same sim, restoring the
 * topology after each: incremental (sim_apply), then the ring change followed
 * by a naive per-key remap, then by the merge-walk remap. */
static int bench_change(sim_t *s, const char *op, unsigned reps, rebalance_fig_t *f)
{
    static const char node[] = "nodeF";
    int adding = strcmp(op, "add") == 0;
    scn_cmd_t change = {.op = adding ? SCN_ADD : SCN_REMOVE}, undo = {.op = adding ? SCN_REMOVE : SCN_ADD};
    memcpy(change.node, node, sizeof node);
    memcpy(undo.node, node, sizeof node);
    change.node_len = undo.node_len = sizeof node - 1;
    double inc[BENCH_MAX_REPS], naive[BENCH_MAX_REPS], merge[BENCH_MAX_REPS];
    char err[256] = "";
    sim_step_t step;
    f->op = op;
    f->keys = s->store.count;
    for (unsigned r = 0; r < reps; r++) {
        for (int way = 0; way < 3; way++) {
            double t0 = bench_now_ms();
            uint64_t moved;
            if (way == 0) {
                if (sim_apply(s, &change, &step, err, sizeof err) != 0 || !step.changed)
                    goto fail;
                moved = step.moved;
                f->visited = step.visited;
            } else {
                uint16_t slot;
                int rc = adding ? ring_add(&s->ring, node, sizeof node - 1, &slot, err, sizeof err)
                                : ring_remove(&s->ring, node, sizeof node - 1, &slot);
                if (rc != RING_OK)
                    goto fail;
                moved = way == 1 ? store_assign_naive(&s->store, &s->ring, NULL)
                                 : store_assign_all(&s->store, &s->ring, NULL);
            }
            double t1 = bench_now_ms();
            (way == 0 ? inc : way == 1 ? naive : merge)[r] = t1 - t0;
            if (way > 0 && moved != f->moved)
                goto fail; /* every way must agree on what moved */
            f->moved = moved;
            if (sim_apply(s, &undo, &step, err, sizeof err) != 0 || !step.changed)
                goto fail;
        }
    }
    f->ms_incremental = bench_median(inc, reps);
    f->ms_naive = bench_median(naive, reps);
    f->ms_merge = bench_median(merge, reps);
    return 0;
fail:
    cmd_error("bench: rebalance %s %s failed%s%s", op, node, err[0] ? ": " : "", err);
    return -1;
}

static int bench_rebalance(const bench_plan_t *p, bench_result_t *res)
{
    for (int k = 0; k < 2; k++) {
        sim_t s;
        if (scene_init(&s, p->rebalance_sizes[k]) != 0)
            return -1;
        rebalance_fig_t *add = &res->rebalance[2 * k], *rem = &res->rebalance[2 * k + 1];
        add->vectors = rem->vectors = p->rebalance_sizes[k];
        /* Removing needs nodeF on the ring first. */
        scn_cmd_t add_f = {.op = SCN_ADD, .node = "nodeF", .node_len = 5};
        sim_step_t step;
        char err[256] = "";
        int rc = bench_change(&s, "add", p->reps, add);
        if (rc == 0)
            rc = sim_apply(&s, &add_f, &step, err, sizeof err);
        if (rc == 0)
            rc = bench_change(&s, "remove", p->reps, rem);
        sim_free(&s);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* Node ids node0000..; ids and lens hold n entries. */
static int bench_node_ids(uint32_t n, char **text, const char **ids, size_t *lens)
{
    *text = malloc((size_t)n * 16);
    if (!*text)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        ids[i] = *text + (size_t)i * 16;
        lens[i] = (size_t)snprintf(*text + (size_t)i * 16, 16, "node%04u", (unsigned)i);
    }
    return 0;
}

static int bench_ring_build(const bench_plan_t *p, bench_result_t *res)
{
    static const uint32_t sizes[BENCH_RING_BUILDS] = {1024, 2048, 4096};
    const char *ids[4096];
    size_t lens[4096];
    uint16_t slots[4096];
    char *text = NULL, err[256];
    if (bench_node_ids(4096, &text, ids, lens) != 0) {
        cmd_error("bench: out of memory");
        return -1;
    }
    int rc = 0;
    for (int k = 0; k < BENCH_RING_BUILDS && rc == 0; k++) {
        ring_build_fig_t *f = &res->ring_build[k];
        f->nodes = sizes[k];
        f->vnodes = 976;
        f->ms_one_by_one = -1.0;
        double bulk[BENCH_MAX_REPS];
        unsigned reps = p->quick ? 1 : p->reps; /* --quick: a smoke test, keep it short */
        for (unsigned r = 0; r < reps && rc == 0; r++) {
            ring_t ring;
            size_t bad;
            ring_init(&ring, f->vnodes);
            double t0 = bench_now_ms();
            if (ring_add_many(&ring, ids, lens, f->nodes, slots, &bad, err, sizeof err) != RING_OK)
                rc = -1;
            bulk[r] = bench_now_ms() - t0;
            ring_free(&ring);
        }
        f->ms_bulk = bench_median(bulk, reps);
        if (k == 0 && rc == 0 && !p->quick) {
            /* The baseline, once and not in --quick: it is quadratic. */
            ring_t ring;
            ring_init(&ring, f->vnodes);
            double t0 = bench_now_ms();
            for (uint32_t i = 0; i < f->nodes && rc == 0; i++)
                if (ring_add(&ring, ids[i], lens[i], &slots[0], err, sizeof err) != RING_OK)
                    rc = -1;
            f->ms_one_by_one = bench_now_ms() - t0;
            ring_free(&ring);
        }
    }
    if (rc != 0)
        cmd_error("bench: %s", err);
    free(text);
    return rc;
}

/* The 1-minute load average (/proc/loadavg), or -1 if unknown: other work
 * on the machine inflates every time, so the output says how busy it was. */
static double load_average(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double v = -1.0;
    if (!f)
        return -1.0;
    if (fscanf(f, "%lf", &v) != 1)
        v = -1.0;
    fclose(f);
    return v;
}

/* Resident set in bytes, from /proc/self/statm (0 if unknown). */
static double rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long size = 0, resident = 0;
    if (!f)
        return 0.0;
    if (fscanf(f, "%llu %llu", &size, &resident) != 2)
        resident = 0;
    fclose(f);
    return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

/* Peak resident set (VmHWM) in bytes, or -1 if unknown. */
static double peak_rss_bytes(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = -1.0;
    if (!f)
        return -1.0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtod(line + 6, NULL);
    fclose(f);
    return kb < 0 ? -1.0 : kb * 1024.0;
}

/* Resets VmHWM to the current resident set; 0 on success. */
static int reset_peak_rss(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return -1;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* Memory of the seed job (the default scene with n embeddings, add nodeF,
 * remove nodeC): resident growth per embedding after the build, and the
 * peak growth over the whole job, from a peak reset just before it. */
static int bench_memory_one(size_t n, memory_fig_t *f)
{
    sim_t s;
    f->vectors = n;
    int peak_ok = reset_peak_rss() == 0;
    double before = rss_bytes();
    if (scene_init(&s, n) != 0)
        return -1;
    double after = rss_bytes();
    scn_cmd_t steps[2] = {{.op = SCN_ADD, .node = "nodeF", .node_len = 5},
                          {.op = SCN_REMOVE, .node = "nodeC", .node_len = 5}};
    for (int k = 0; k < 2; k++) {
        sim_step_t step;
        char err[256];
        if (sim_apply(&s, &steps[k], &step, err, sizeof err) != 0) {
            cmd_error("bench: %s", err);
            sim_free(&s);
            return -1;
        }
    }
    double peak = peak_rss_bytes();
    const store_t *st = &s.store;
    f->bytes_layout = (double)(sizeof *st->hash + sizeof *st->index + sizeof *st->owner);
    f->bytes_rss = (after - before) / (double)n;
    f->bytes_peak = peak_ok && peak > 0 ? (peak - before) / (double)n : -1.0;
    sim_free(&s);
    return 0;
}

static int bench_memory(const bench_plan_t *p, bench_result_t *res)
{
    for (int k = 0; k < BENCH_MEMORY_SIZES; k++)
        if (p->memory_vectors[k] && bench_memory_one(p->memory_vectors[k], &res->memory[k]) != 0)
            return -1;
    return 0;
}

/* ---- output ------------------------------------------------------------- */

static double ratio(double baseline, double x) { return x > 0.0 ? baseline / x : 0.0; }

static void num_member(FILE *f, const char *key, double v, int comma)
{
    fprintf(f, "\"%s\":", key);
    json_fnum(f, v);
    if (comma)
        fputc(',', f);
}

static void print_json(FILE *f, const bench_result_t *r, int quick)
{
    fprintf(f, "{\"version\":\"%s\",\"quick\":%s,\"cores\":%u,\"threads\":%u,\"repetitions\":%u,", RS_VERSION,
            quick ? "true" : "false", r->cores, r->threads, r->reps);
    num_member(f, "load_average_start", r->load[0] < 0 ? NAN : r->load[0], 1);
    num_member(f, "load_average_end", r->load[1] < 0 ? NAN : r->load[1], 1);
    fprintf(f, "\"hash_engine\":\"%s\",\n\"hash\":[", hash_engine_name(hash_engine_get()));
    int first = 1;
    for (int e = 0; e < HASH_ENGINE_COUNT - 1; e++) {
        const hash_fig_t *h = &r->hash[e];
        if (!h->available)
            continue;
        fprintf(f, "%s{\"engine\":\"%s\",", first ? "" : ",", hash_engine_name(h->engine));
        num_member(f, "ns_per_key_call", h->ns_call, 1);
        num_member(f, "ns_per_key_batch", h->ns_batch, 0);
        fputc('}', f);
        first = 0;
    }
    fputs("],\n\"lookup\":[", f);
    for (int k = 0; k < 3; k++) {
        const lookup_fig_t *l = &r->lookup[k];
        fprintf(f, "%s{\"nodes\":%u,\"vnodes\":%u,", k ? "," : "", l->nodes, l->vnodes);
        num_member(f, "ns_index", l->ns_index, 1);
        num_member(f, "ns_bsearch", l->ns_bsearch, 1);
        num_member(f, "speedup", ratio(l->ns_bsearch, l->ns_index), 0);
        fputc('}', f);
    }
    fputs("],\n\"build\":[", f);
    for (int k = 0; k < 2; k++) {
        const build_fig_t *b = &r->build[k];
        fprintf(f, "%s{\"vectors\":%zu,", k ? "," : "", b->vectors);
        num_member(f, "ms_all_cores", b->ms_all, 1);
        num_member(f, "ms_one_thread", b->ms_one, 1);
        num_member(f, "speedup", ratio(b->ms_one, b->ms_all), 0);
        fputc('}', f);
    }
    fputs("],\n\"rebalance\":[", f);
    for (int k = 0; k < 4; k++) {
        const rebalance_fig_t *b = &r->rebalance[k];
        fprintf(f, "%s{\"vectors\":%zu,\"op\":\"%s\",\"node\":\"nodeF\",\"moved\":%llu,", k ? "," : "",
                b->vectors, b->op, (unsigned long long)b->moved);
        fprintf(f, "\"keys_touched_incremental\":%llu,\"keys_touched_full\":%llu,",
                (unsigned long long)b->visited, (unsigned long long)b->keys);
        num_member(f, "ms_incremental", b->ms_incremental, 1);
        num_member(f, "ms_full_naive", b->ms_naive, 1);
        num_member(f, "ms_full_merge", b->ms_merge, 1);
        num_member(f, "speedup_vs_naive", ratio(b->ms_naive, b->ms_incremental), 1);
        num_member(f, "speedup_vs_merge", ratio(b->ms_merge, b->ms_incremental), 0);
        fputc('}', f);
    }
    fputs("],\n\"memory\":[", f);
    for (int k = 0; k < BENCH_MEMORY_SIZES && r->memory[k].vectors; k++) {
        const memory_fig_t *m = &r->memory[k];
        fprintf(f, "%s{\"vectors\":%zu,\"job\":\"add nodeF, remove nodeC\",", k ? "," : "", m->vectors);
        num_member(f, "bytes_per_embedding_rss", m->bytes_rss, 1);
        num_member(f, "bytes_per_embedding_peak", m->bytes_peak < 0 ? NAN : m->bytes_peak, 1);
        num_member(f, "bytes_per_embedding_layout", m->bytes_layout, 0);
        fputc('}', f);
    }
    fputs("],\n\"md5\":{", f);
    fprintf(f, "\"lanes\":%u,", r->md5.lanes);
    num_member(f, "ns_per_key_call", r->md5.ns_call, 1);
    num_member(f, "ns_per_key_batch", r->md5.ns_batch, 1);
    num_member(f, "ns_per_key_scalar", r->md5.ns_scalar, 1);
    num_member(f, "ns_per_key_openssl_evp", r->md5.ns_evp, 0);
    fputs("},\n\"remainder\":[", f);
    for (int k = 0; k < BENCH_DIVISORS; k++) {
        fprintf(f, "%s{\"divisor\":%u,", k ? "," : "", r->rmod[k].divisor);
        num_member(f, "ns_rmod", r->rmod[k].ns_rmod, 1);
        num_member(f, "ns_hardware_division", r->rmod[k].ns_div, 0);
        fputc('}', f);
    }
    fputs("],\n\"ring_build\":[", f);
    for (int k = 0; k < BENCH_RING_BUILDS; k++) {
        const ring_build_fig_t *b = &r->ring_build[k];
        fprintf(f, "%s{\"nodes\":%u,\"vnodes\":%u,", k ? "," : "", b->nodes, b->vnodes);
        num_member(f, "ms_bulk", b->ms_bulk, 1);
        num_member(f, "ms_one_by_one", b->ms_one_by_one < 0 ? NAN : b->ms_one_by_one, 0);
        fputc('}', f);
    }
    fputs("],\n\"render\":", f);
    if (!r->have_render) {
        fputs("null", f);
    } else {
        const bench_render_t *g = &r->render;
        fprintf(f, "{\"particles\":%llu,", (unsigned long long)g->particles);
        num_member(f, "ms_per_frame_idle", g->ms_idle, 1);
        num_member(f, "ms_per_frame_flight", g->ms_flight, 1);
        num_member(f, "ms_per_frame_400x10000_thinned", g->ms_dense_thinned, 1);
        num_member(f, "ms_per_frame_400x10000_every_point", g->ms_dense_all, 1);
        num_member(f, "ms_per_frame_4_panes_idle", g->ms_four_panes_idle, 1);
        num_member(f, "ms_per_frame_4_panes_flight", g->ms_four_panes_flight, 1);
        num_member(f, "ms_per_frame_1_pane_idle", g->ms_one_pane, 1);
        fprintf(f, "\"bytes_uploaded_idle_frame_4_panes\":%llu,", (unsigned long long)g->four_panes_idle_upload_bytes);
        fprintf(f, "\"bytes_uploaded_idle_frame\":%llu,\"idle_cpu\":[", (unsigned long long)g->idle_upload_bytes);
        for (int k = 0; k < 2; k++) {
            fprintf(f, "%s{\"vectors\":%llu,", k ? "," : "", (unsigned long long)g->idle_vectors[k]);
            num_member(f, "seconds", g->idle_seconds, 1);
            num_member(f, "core_pct_idle", g->idle_cpu_pct[k], 1);
            num_member(f, "core_pct_every_frame", g->busy_cpu_pct[k], 0);
            fputc('}', f);
        }
        fputs("],\"backend\":", f);
        json_fstr(f, g->backend);
        fputc('}', f);
    }
    fputs(",\n\"strategies\":", f);
    bench_strat_json(f, &r->strat);
    fputs(",\n\"scale\":", f);
    bench_scale_json(f, &r->scale);
    fputs(",\n\"shards\":", f);
    bench_shards_json(f, &r->shards);
    fputs(",\n\"presets\":", f);
    bench_presets_json(f, &r->presets);
    fputs(",\n\"jobs\":", f);
    bench_jobs_json(f, &r->jobs);
    fputs("}\n", f);
}

static void print_table(FILE *f, const bench_result_t *r, int quick)
{
    fprintf(f, "ringscope bench%s: %u cores, %u threads, median of %u runs, hash engine %s", quick ? " --quick" : "",
            r->cores, r->threads, r->reps, hash_engine_name(hash_engine_get()));
    if (r->load[0] >= 0 && r->load[1] >= 0)
        fprintf(f, ", load average %.2f at the start, %.2f at the end", r->load[0], r->load[1]);
    fputs("\n\n", f);
    const hash_fig_t *base = &r->hash[HASH_ENGINE_OPENSSL - 1];
    fputs("1. hash64 per key id             ns/key (one call)  ns/key (batch)  vs openssl\n", f);
    for (int e = 0; e < HASH_ENGINE_COUNT - 1; e++) {
        const hash_fig_t *h = &r->hash[e];
        if (!h->available)
            continue;
        fprintf(f, "   %-29s %17.1f %15.1f", hash_engine_name(h->engine), h->ns_call, h->ns_batch);
        if (base->available)
            fprintf(f, "  %8.1fx", ratio(base->ns_call, h->ns_batch));
        fputc('\n', f);
    }
    const md5_fig_t *md = &r->md5;
    fprintf(f, "\n1b. MD5 per key id (ketama)       ns/key (one call)  ns/key (%u lanes)  ns/key (one at a time)",
            md->lanes);
    if (!isnan(md->ns_evp))
        fputs("  openssl EVP (the old path)", f);
    fprintf(f, "\n   %-29s %17.1f %17.1f %23.1f", "ours", md->ns_call, md->ns_batch, md->ns_scalar);
    if (!isnan(md->ns_evp))
        fprintf(f, " %12.1f (%.1fx one call, %.0fx lanes)", md->ns_evp, ratio(md->ns_evp, md->ns_call),
                ratio(md->ns_evp, md->ns_batch));
    fputc('\n', f);
    fputs("\n2. ring lookup, precomputed hash  ns (index)  ns (binary search)  speedup\n", f);
    for (int k = 0; k < 3; k++) {
        const lookup_fig_t *l = &r->lookup[k];
        fprintf(f, "   %4u nodes x %3u vnodes %18.2f %19.2f %8.1fx\n", l->nodes, l->vnodes, l->ns_index,
                l->ns_bsearch, ratio(l->ns_bsearch, l->ns_index));
    }
    fputs("\n2b. khash mod d, exact          ns (reciprocal, rmod)  ns (hardware division)  speedup\n", f);
    for (int k = 0; k < BENCH_DIVISORS; k++)
        fprintf(f, "   d = %-10u %33.2f %23.2f %8.2fx\n", r->rmod[k].divisor, r->rmod[k].ns_rmod,
                r->rmod[k].ns_div, ratio(r->rmod[k].ns_div, r->rmod[k].ns_rmod));
    fputs("\n3. build store (hash+sort+place)  ms (all cores)  ms (1 thread)  speedup\n", f);
    for (int k = 0; k < 2; k++) {
        const build_fig_t *b = &r->build[k];
        fprintf(f, "   %10zu embeddings %21.1f %14.1f %8.2fx\n", b->vectors, b->ms_all, b->ms_one,
                ratio(b->ms_one, b->ms_all));
    }
    fputs("\n4. rebalance             moved   touched  ms incremental  ms full (naive)  ms full (merge)  "
          "speedup naive / merge\n",
          f);
    for (int k = 0; k < 4; k++) {
        const rebalance_fig_t *b = &r->rebalance[k];
        fprintf(f, "   %9zu %-6s %9llu %9llu %15.2f %16.1f %16.1f %12.0fx / %.0fx\n", b->vectors, b->op,
                (unsigned long long)b->moved, (unsigned long long)b->visited, b->ms_incremental, b->ms_naive,
                b->ms_merge, ratio(b->ms_naive, b->ms_incremental), ratio(b->ms_merge, b->ms_incremental));
    }
    fputs("\n5. memory of the job (build, add nodeF, remove nodeC), bytes per embedding\n", f);
    for (int k = 0; k < BENCH_MEMORY_SIZES && r->memory[k].vectors; k++) {
        const memory_fig_t *m = &r->memory[k];
        fprintf(f, "   %11zu embeddings: %.1f resident after the build (layout %.0f)", m->vectors, m->bytes_rss,
                m->bytes_layout);
        if (m->bytes_peak >= 0)
            fprintf(f, ", peak %.1f", m->bytes_peak);
        fputc('\n', f);
    }
    fputs("\n6. renderer: ", f);
    if (!r->have_render) {
        fputs("not in this build (no bench_render_hook)\n", f);
    } else {
        const bench_render_t *g = &r->render;
        fprintf(f, "%llu particles (%s): %.2f ms/frame idle, %.2f ms/frame in flight, %llu bytes uploaded "
                   "per idle frame\n",
                (unsigned long long)g->particles, g->backend, g->ms_idle, g->ms_flight,
                (unsigned long long)g->idle_upload_bytes);
        for (int k = 0; k < 2; k++)
            fprintf(f, "   settled app at %llu embeddings: %.1f%% of a core idle, %.1f%% drawing every frame "
                       "(%.0f s each)\n",
                    (unsigned long long)g->idle_vectors[k], g->idle_cpu_pct[k], g->busy_cpu_pct[k], g->idle_seconds);
        fprintf(f, "   400 nodes x 10,000 vnodes, 1280x720: %.1f ms/frame (ring points thinned to what shows)",
                g->ms_dense_thinned);
        if (!isnan(g->ms_dense_all))
            fprintf(f, ", %.1f ms/frame drawing every point", g->ms_dense_all);
        fputc('\n', f);
        fprintf(f, "   compare, 4 panes x 100,000 embeddings, 1280x720: %.1f ms/frame at rest, %.1f in flight "
                   "(one pane: %.1f); %llu bytes uploaded per idle frame\n",
                g->ms_four_panes_idle, g->ms_four_panes_flight, g->ms_one_pane,
                (unsigned long long)g->four_panes_idle_upload_bytes);
    }
    fputs("\n7. ring build, 976 vnodes  ms (one pass)  ms (node by node)\n", f);
    for (int k = 0; k < BENCH_RING_BUILDS; k++) {
        const ring_build_fig_t *b = &r->ring_build[k];
        fprintf(f, "   %4u nodes %25.1f", b->nodes, b->ms_bulk);
        if (b->ms_one_by_one >= 0)
            fprintf(f, " %19.1f", b->ms_one_by_one);
        fputc('\n', f);
    }
    bench_strat_table(f, &r->strat);
    bench_scale_table(f, &r->scale);
    bench_shards_table(f, &r->shards);
    bench_presets_table(f, &r->presets);
    bench_jobs_table(f, &r->jobs);
}

static void bench_usage(FILE *f)
{
    fputs("usage: ringscope bench [--json] [--quick] [--reference CMD] [--libmemcached CMD]\n"
          "\n"
          "Measures hashing, ring lookup, building the store, incremental rebalance,\n"
          "memory per embedding, every strategy and whole processes, each against its\n"
          "naive baseline in the same run (median of several runs), and the renderer\n"
          "when it is built in.\n"
          "\n",
          f);
    fputs(opts_help(OPTS_BENCH), f);
}

int cmd_bench(int argc, char **argv)
{
    opts_t o;
    char err[1024];
    if (opts_parse(argc, argv, 2, OPTS_BENCH, &o, err, sizeof err) != 0) {
        cmd_error("%s", err);
        return CMD_USAGE;
    }
    int quick = o.quick, json = o.json, help = o.help;
    const char *reference = o.reference, *libmemcached = o.libmemcached; /* argv's own strings */
    opts_free(&o);
    if (help) {
        bench_usage(stdout);
        return cmd_flush_stdout();
    }
    const bench_plan_t plan = quick ? (bench_plan_t){3, 100000, 1000000, {100000, 1000000}, {100000, 1000000},
                                                     {1000000, 0, 0}, 1}
                                    : (bench_plan_t){5, 1000000, 10000000, {1000000, 10000000},
                                                     {1000000, 10000000}, {1000000, 10000000, 100000000}, 0};
    bench_result_t *res = calloc(1, sizeof *res);
    size_t scratch_n = plan.lookups > plan.hash_keys_n ? plan.lookups : plan.hash_keys_n;
    uint64_t *scratch = malloc(scratch_n * sizeof *scratch);
    int rc = CMD_FAIL;
    if (!res || !scratch) {
        cmd_error("bench: out of memory");
        goto done;
    }
    res->cores = par_cores();
    res->threads = par_threads();
    res->reps = plan.reps;
    res->load[0] = load_average();
    /* Memory first, while the heap is still small and the measure clean. */
    if (bench_memory(&plan, res) != 0)
        goto done;
    bench_hash(&plan, res, scratch);
    bench_md5(&plan, res, scratch);
    if (bench_lookup(&plan, res, scratch) != 0 || bench_rmod(&plan, res, scratch) != 0 ||
        bench_build(&plan, res) != 0 || bench_rebalance(&plan, res) != 0 || bench_ring_build(&plan, res) != 0 ||
        bench_strategies(quick, plan.reps, &res->strat) != 0 || bench_scale(quick, plan.reps, &res->scale) != 0 ||
        bench_shards(quick, plan.reps, &res->shards) != 0 || bench_presets(quick, plan.reps, &res->presets) != 0 ||
        bench_jobs_run(quick, plan.reps, reference, libmemcached, &res->jobs) != 0)
        goto done;
    if (bench_render_hook) {
        res->have_render = bench_render_hook(quick ? 100000 : 1000000, quick, &res->render) == 0;
        if (!res->have_render)
            cmd_error("bench: renderer figures unavailable: %s", res->render.backend);
    }
    res->load[1] = load_average();
    if (json)
        print_json(stdout, res, quick);
    else
        print_table(stdout, res, quick);
    rc = CMD_OK;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_error("could not write the output: %s", strerror(errno));
        rc = CMD_FAIL;
    }
done:
    free(scratch);
    free(res);
    return rc;
}
