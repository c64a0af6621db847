#define _POSIX_C_SOURCE 200809L

#include "bench_scale.h"

#include "bench_time.h"
#include "cmd.h"
#include "par.h"
#include "sim.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCALE_NODES 1000u
#define SCALE_MAX_REPS 9

static volatile uint64_t scale_sink;

/* CPU time of the calling thread in ms: everything here runs on it (one
 * thread), and a machine shared with other work inflates wall time by
 * whatever else runs, not this. */
static double scale_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

typedef struct scale_nodes {
    char (*names)[16];
    const char **ids;
} scale_nodes_t;

static int scale_names(scale_nodes_t *n)
{
    n->names = malloc(SCALE_NODES * sizeof *n->names);
    n->ids = malloc(SCALE_NODES * sizeof *n->ids);
    if (!n->names || !n->ids)
        return -1;
    for (unsigned i = 0; i < SCALE_NODES; i++) {
        snprintf(n->names[i], sizeof n->names[i], "n%04u", i);
        n->ids[i] = n->names[i];
    }
    return 0;
}

static int scale_sim(sim_t *s, const scale_nodes_t *n, size_t keys, strat_kind_t kind, uint32_t replicas)
{
    sim_config_t cfg;
    sim_config_default(&cfg);
    cfg.nodes = n->ids;
    cfg.node_count = SCALE_NODES;
    cfg.vectors = keys;
    cfg.dim = 4;
    cfg.strategy = kind;
    cfg.repl_on = replicas > 0;
    cfg.replicas = replicas;
    return bench_sim(s, &cfg);
}

static int scale_apply(sim_t *s, const scn_cmd_t *c)
{
    sim_step_t step;
    char err[256];
    if (sim_apply(s, c, &step, err, sizeof err) == 0)
        return 0;
    cmd_error("bench: %s", err);
    return -1;
}

/* Median ms of a heal (every list recomputed) at R copies. */
static int scale_heal(const scale_nodes_t *n, size_t keys, uint32_t replicas, unsigned reps, double *ms)
{
    sim_t s;
    if (scale_sim(&s, n, keys, STRAT_RENDEZVOUS, replicas) != 0)
        return -1;
    double t[SCALE_MAX_REPS];
    scn_cmd_t heal = {.op = SCN_HEAL};
    for (unsigned r = 0; r < reps; r++) {
        double t0 = scale_now_ms();
        if (scale_apply(&s, &heal) != 0) {
            sim_free(&s);
            return -1;
        }
        t[r] = scale_now_ms() - t0;
    }
    *ms = bench_median(t, reps);
    sim_free(&s);
    return 0;
}

/* The baseline: every key's top 3 by an insertion sort of all n scores,
 * each comparison taking the scores afresh (as lists were made before). */
static int scale_sorted_lists(const scale_nodes_t *n, size_t keys, unsigned reps, double *ms)
{
    sim_t s;
    if (scale_sim(&s, n, keys, STRAT_RENDEZVOUS, 0) != 0)
        return -1;
    uint32_t count = s.nodes.n;
    uint64_t *nh = malloc(count * sizeof *nh), *score = malloc(count * sizeof *score);
    uint16_t *idx = malloc(count * sizeof *idx);
    if (!nh || !score || !idx) {
        free(nh), free(score), free(idx);
        sim_free(&s);
        cmd_error("bench: out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < count; i++) {
        const ring_node_t *node = &s.ring.nodes[s.nodes.rank[i]];
        nh[i] = strat_node_hash(node->id, node->id_len);
    }
    double t[SCALE_MAX_REPS];
    for (unsigned r = 0; r < reps; r++) {
        uint64_t sum = 0;
        double t0 = scale_now_ms();
        for (size_t p = 0; p < s.store.count; p++) {
            uint64_t kh = s.store.hash[p];
            for (uint32_t i = 0; i < count; i++) {
                uint64_t v = strat_mix64(kh ^ nh[i]);
                uint32_t j = i;
                while (j > 0 && (v > score[j - 1] || (v == score[j - 1] && i < idx[j - 1]))) {
                    score[j] = score[j - 1];
                    idx[j] = idx[j - 1];
                    j--;
                }
                score[j] = v;
                idx[j] = (uint16_t)i;
            }
            sum += (uint64_t)idx[0] + idx[1] + idx[2];
        }
        t[r] = scale_now_ms() - t0;
        scale_sink += sum;
    }
    *ms = bench_median(t, reps);
    free(nh), free(score), free(idx);
    sim_free(&s);
    return 0;
}

/* ms per weight change over `changes` changes: node c·7919 mod n to 2 + c
 * mod 3 (the first also turns weighting on). */
static int scale_weights(const scale_nodes_t *n, size_t keys, strat_kind_t kind, unsigned changes, double *ms,
                         sim_t *keep)
{
    if (scale_sim(keep, n, keys, kind, 0) != 0)
        return -1;
    double t0 = scale_now_ms();
    for (unsigned c = 0; c < changes; c++) {
        scn_cmd_t w = {.op = SCN_WEIGHT, .value = 2 + c % 3};
        w.node_len = (uint32_t)strlen(n->names[(c * 7919u) % SCALE_NODES]);
        memcpy(w.node, n->names[(c * 7919u) % SCALE_NODES], w.node_len + 1);
        if (scale_apply(keep, &w) != 0)
            return -1;
    }
    *ms = (scale_now_ms() - t0) / changes;
    return 0;
}

/* The baseline of one change: the structure built from nothing for the
 * node set s has, then every key looked up. */
static int scale_full_change(const sim_t *s, unsigned reps, double *ms)
{
    double t[SCALE_MAX_REPS];
    char err[256];
    for (unsigned r = 0; r < reps; r++) {
        uint64_t sum = 0;
        double t0 = scale_now_ms();
        strat_t fresh;
        strat_change_t all = strat_change_of(RING_NONE, RING_NONE, RING_NONE);
        strat_init(&fresh, s->strat.kind, &s->strat.params);
        if (strat_build(&fresh, &s->nodes, &all, &s->store, s->own_sorted_valid ? s->own_sorted : NULL, err,
                        sizeof err) != 0) {
            cmd_error("bench: %s", err);
            return -1;
        }
        for (size_t p = 0; p < s->store.count; p++) {
            strat_key_t key;
            strat_where_t w;
            sim_key_at(s, p, &key);
            strat_locate(&fresh, &s->nodes, &key, &w);
            sum += w.owner;
        }
        strat_free(&fresh);
        t[r] = scale_now_ms() - t0;
        scale_sink += sum;
    }
    *ms = bench_median(t, reps);
    return 0;
}

int bench_scale(int quick, unsigned reps, bench_scale_t *out)
{
    memset(out, 0, sizeof *out);
    out->nodes = SCALE_NODES;
    out->keys = quick ? 20000 : 100000;
    out->list_keys = quick ? 2000 : 10000;
    out->changes = quick ? 100 : 1000;
    if (reps > SCALE_MAX_REPS)
        reps = SCALE_MAX_REPS;
    scale_nodes_t n = {0};
    unsigned threads = par_threads();
    int rc = -1;
    if (scale_names(&n) != 0) {
        cmd_error("bench: out of memory");
        goto done;
    }
    par_set_threads(1); /* the baselines run on one thread: so do these */
    /* The sort costs n^2/4 steps a key: fewer keys, and one run of it. */
    if (scale_heal(&n, out->list_keys, 1, reps, &out->ms_lists_r1) != 0 ||
        scale_heal(&n, out->list_keys, 3, reps, &out->ms_lists_r3) != 0 ||
        scale_sorted_lists(&n, out->list_keys, 1, &out->ms_lists_r3_sort) != 0)
        goto done;
    double *const per[3] = {&out->ms_weight_ring, &out->ms_weight_rendezvous, &out->ms_weight_ketama};
    double *const full[3] = {NULL, &out->ms_weight_rendezvous_full, &out->ms_weight_ketama_full};
    const strat_kind_t kinds[3] = {STRAT_RING, STRAT_RENDEZVOUS, STRAT_KETAMA};
    for (int k = 0; k < 3; k++) {
        sim_t s;
        int bad = scale_weights(&n, out->keys, kinds[k], out->changes, per[k], &s) != 0 ||
                  (full[k] && scale_full_change(&s, reps, full[k]) != 0);
        sim_free(&s);
        if (bad)
            goto done;
    }
    rc = 0;
done:
    par_set_threads(threads);
    free(n.names);
    free(n.ids);
    return rc;
}

static double scale_ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

void bench_scale_table(FILE *f, const bench_scale_t *b)
{
    fprintf(f, "\n9. at %u nodes, one thread\n", b->nodes);
    fprintf(f, "   rendezvous lists of %zu keys   R = 1 %8.1f ms   R = 3 %8.1f ms (%.2fx R = 1)   "
               "R = 3 by full sort %8.1f ms (%.1fx slower)\n",
            b->list_keys, b->ms_lists_r1, b->ms_lists_r3, scale_ratio(b->ms_lists_r3, b->ms_lists_r1), b->ms_lists_r3_sort,
            scale_ratio(b->ms_lists_r3_sort, b->ms_lists_r3));
    fprintf(f, "   %u weight changes at %zu keys, ms each: ring %7.2f   rendezvous %7.2f (%.2fx ring; rebuild and look "
               "up all: %.1f)   ketama %7.2f (%.2fx ring; rebuild and look up all: %.1f)\n",
            b->changes, b->keys, b->ms_weight_ring, b->ms_weight_rendezvous,
            scale_ratio(b->ms_weight_rendezvous, b->ms_weight_ring), b->ms_weight_rendezvous_full,
            b->ms_weight_ketama, scale_ratio(b->ms_weight_ketama, b->ms_weight_ring), b->ms_weight_ketama_full);
}

void bench_scale_json(FILE *f, const bench_scale_t *b)
{
    fprintf(f, "{\"nodes\":%u,\"keys\":%zu,\"threads\":1,\"lists_rendezvous\":{\"keys\":%zu,\"ms_r1\":", b->nodes,
            b->keys, b->list_keys);
    json_fnum(f, b->ms_lists_r1);
    fputs(",\"ms_r3\":", f);
    json_fnum(f, b->ms_lists_r3);
    fputs(",\"ms_r3_full_sort\":", f);
    json_fnum(f, b->ms_lists_r3_sort);
    fprintf(f, "},\"weight_changes\":{\"changes\":%u,\"ms_ring\":", b->changes);
    json_fnum(f, b->ms_weight_ring);
    fputs(",\"ms_rendezvous\":", f);
    json_fnum(f, b->ms_weight_rendezvous);
    fputs(",\"ms_rendezvous_full\":", f);
    json_fnum(f, b->ms_weight_rendezvous_full);
    fputs(",\"ms_ketama\":", f);
    json_fnum(f, b->ms_weight_ketama);
    fputs(",\"ms_ketama_full\":", f);
    json_fnum(f, b->ms_weight_ketama_full);
    fputs("}}", f);
}
