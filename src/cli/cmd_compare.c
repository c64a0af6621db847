/* sim --compare S1,S2,...: one scenario under several strategies.
 *
 * The keys are hashed once for all of them: the sorted khash store if any
 * strategy reads khash, and each own key hash (ketama's MD5, a preset's
 * system hash) that one
 * uses, nothing else (sim_keys_t). Then each strategy runs the whole
 * scenario in its own sim over those hashes, one after another (so memory
 * is one sim's at a time, plus the hashes); per step we keep the figures a
 * row needs and, for --json, the step object as the state writer made it
 * (simjson.h). Then the steps are printed with one row per strategy. */
#define _POSIX_C_SOURCE 200809L

#include "cmd_compare.h"

#include "report.h"
#include "sim.h"
#include "simjson.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct row {
    strat_kind_t in_force; /* a `strategy` command can switch the run's strategy */
    uint64_t moved;
    double moved_fraction, ideal_fraction, max_over_mean, std_over_mean;
    int changed;
    int repl_on;       /* replication figures below are set */
    uint64_t promoted, copies, bytes, lost, under;
    double transfer_seconds;
    json_t json;       /* --json: this strategy's step object */
    json_t config;     /* --json, the first row: its strategy and parameters in force */
} row_t;

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef struct run_ctx {
    const opts_t *o;
    row_t *rows;
    sim_step_t *heads;   /* filled by the first strategy */
    int first;
} run_ctx_t;

static int record_step(void *ctx, const sim_t *s, const sim_step_t *step, size_t i)
{
    run_ctx_t *c = ctx;
    if (c->first)
        c->heads[i] = *step;
    sim_stats_t st;
    sim_stats(s, &st);
    row_t *r = &c->rows[i];
    r->in_force = s->strat.kind;
    r->moved = step->moved;
    r->moved_fraction = step->moved_fraction;
    r->ideal_fraction = step->ideal_fraction;
    r->max_over_mean = st.max_over_mean;
    r->std_over_mean = st.std_over_mean;
    r->changed = step->changed;
    r->repl_on = s->repl.on;
    r->promoted = s->repl.promoted;
    r->copies = s->repl.copies;
    r->bytes = s->repl.bytes;
    r->lost = s->repl.lost;
    r->under = s->repl.under;
    r->transfer_seconds = s->repl.seconds;
    if (c->o->json) {
        simjson_step(&r->json, s, step);
        if (i == 0)
            simjson_strategy_params(&r->config, &s->strat, c->o->vnodes);
        return r->json.oom || r->config.oom;
    }
    return 0;
}

/* Runs the scenario under one strategy into rows[0..steps-1]. */
static int run_one(const opts_t *o, const scn_script_t *script, strat_kind_t kind, const sim_keys_t *keys, row_t *rows,
                   sim_step_t *heads, int first, char *err, size_t err_size)
{
    run_ctx_t ctx = {o, rows, heads, first};
    sim_t s;
    char msg[1024];
    int rc = cmd_run_keys(o, script, kind, keys, first, &s, record_step, &ctx, msg, sizeof msg);
    sim_free(&s);
    if (rc < 0)
        snprintf(err, err_size, "under %s: %s", strat_name(kind), msg);
    else if (rc > 0)
        snprintf(err, err_size, "out of memory writing the JSON");
    return rc ? -1 : 0;
}

static void print_text(FILE *f, const opts_t *o, const scn_script_t *script, row_t *const *rows,
                       const sim_step_t *heads, const double *secs, double hash_secs)
{
    /* A row is labelled by the run's strategy, and by the one in force
     * when a `strategy` command switched it: "ring → jump". */
    char (*label)[48] = malloc((script->count + 1) * o->compare_count * sizeof *label);
    if (!label)
        return;
    size_t name_w = strlen("strategy");
    for (size_t k = 0; k < o->compare_count; k++) {
        for (size_t i = 0; i <= script->count; i++) {
            char *l = label[i * o->compare_count + k];
            if (rows[k][i].in_force == o->compare[k])
                snprintf(l, sizeof label[0], "%s", strat_name(o->compare[k]));
            else
                snprintf(l, sizeof label[0], "%s \xE2\x86\x92 %s", strat_name(o->compare[k]),
                         strat_name(rows[k][i].in_force));
            size_t w = report_text_width(l, strlen(l));
            name_w = w > name_w ? w : name_w;
        }
    }
    for (size_t i = 0; i <= script->count; i++) {
        /* The command, not a strategy's message: the rows say what happened. */
        fprintf(f, "step %zu: %s", i, sim_step_name(&heads[i]));
        if (heads[i].node[0])
            fprintf(f, " %s", heads[i].node);
        else if (heads[i].op == SCN_STRATEGY || heads[i].op == SCN_VNODES || heads[i].op == SCN_VECTORS ||
                 heads[i].op == SCN_WAIT)
            fprintf(f, " (%s)", heads[i].message);
        fputc('\n', f);
        int repl = 0;
        for (size_t k = 0; k < o->compare_count; k++)
            repl |= rows[k][i].repl_on;
        fprintf(f, "  %-*s %10s %9s %9s %9s %9s", (int)name_w, "strategy", "moved", "moved %", "ideal %",
                "max/mean", "std/mean");
        if (repl)
            fprintf(f, " %9s %9s %10s %10s %8s %9s", "promoted", "copied", "bytes", "transfer s", "lost", "under-rep");
        fputc('\n', f);
        for (size_t k = 0; k < o->compare_count; k++) {
            const row_t *r = &rows[k][i];
            char ideal[32];
            if (isnan(r->ideal_fraction))
                snprintf(ideal, sizeof ideal, "-");
            else
                snprintf(ideal, sizeof ideal, "%.2f", 100.0 * r->ideal_fraction);
            const char *l = label[i * o->compare_count + k];
            fputs("  ", f);
            report_put_cell(f, l, strlen(l), name_w);
            fprintf(f, " %10llu %9.2f %9s %9.3f %9.3f", (unsigned long long)r->moved, 100.0 * r->moved_fraction, ideal, r->max_over_mean,
                    r->std_over_mean);
            if (repl) {
                char bytes[32];
                report_human_bytes(bytes, sizeof bytes, r->bytes);
                fprintf(f, " %9llu %9llu %10s %10.3f %8llu %9llu", (unsigned long long)r->promoted,
                        (unsigned long long)r->copies, bytes, r->transfer_seconds, (unsigned long long)r->lost,
                        (unsigned long long)r->under);
            }
            fputc('\n', f);
        }
        fputc('\n', f);
    }
    fprintf(f, "keys hashed once for every strategy: %.2f s\n", hash_secs);
    free(label);
    fputs("run time (whole scenario):", f);
    for (size_t k = 0; k < o->compare_count; k++)
        fprintf(f, "%s %s %.2f s", k ? "," : "", strat_name(o->compare[k]), secs[k]);
    fputc('\n', f);
}

static int print_json(FILE *f, const opts_t *o, const scn_script_t *script, row_t *const *rows,
                      const sim_step_t *heads)
{
    json_t j = {0};
    json_printf(&j, "{\"version\":\"%s\",\"config\":{\"nodes\":[", RS_VERSION);
    for (size_t i = 0; i < o->node_count; i++) {
        json_raw(&j, i ? "," : "");
        json_str(&j, o->nodes[i]);
    }
    json_printf(&j, "],\"vnodes\":%u,\"vectors\":%llu,\"dim\":%u,\"seed\":%llu,\"compare\":[", o->vnodes,
                (unsigned long long)o->vectors, o->dim, (unsigned long long)o->seed);
    for (size_t k = 0; k < o->compare_count; k++) {
        json_raw(&j, k ? ",{" : "{");
        json_raw(&j, json_text(&rows[k][0].config));
        if (o->compare[k] == strat_default()) /* inside compare every entry names its strategy */
            json_printf(&j, ",\"strategy\":\"%s\"", strat_name(o->compare[k]));
        json_raw(&j, "}");
    }
    json_raw(&j, "]},\"steps\":[");
    for (size_t i = 0; i <= script->count; i++) {
        json_printf(&j, "%s\n{\"op\":\"%s\"", i ? "," : "", sim_step_name(&heads[i]));
        if (heads[i].node[0]) {
            json_raw(&j, ",\"node\":");
            json_str(&j, heads[i].node);
        }
        json_raw(&j, ",\"compare\":{");
        for (size_t k = 0; k < o->compare_count; k++)
            json_printf(&j, "%s\"%s\":%s", k ? "," : "", strat_name(o->compare[k]), json_text(&rows[k][i].json));
        json_raw(&j, "}}");
    }
    json_raw(&j, "\n]}\n");
    int bad = j.oom;
    if (!bad)
        fputs(json_text(&j), f);
    json_free(&j);
    return bad ? -1 : 0;
}

/* The key hashes the compared strategies read, made once. */
typedef struct shared_keys {
    sim_keys_t keys;
    store_t sorted;
    sim_own_keys_t own[STRAT_COUNT];
    uint64_t *values[STRAT_COUNT];
} shared_keys_t;

static int shared_keys_make(shared_keys_t *k, const opts_t *o)
{
    memset(k, 0, sizeof *k);
    store_init(&k->sorted);
    k->keys.own = k->own;
    size_t n = (size_t)o->vectors;
    for (size_t c = 0; c < o->compare_count; c++) {
        const strat_keyhash_t *kh = strat_ops(o->compare[c])->key_hash;
        if (!kh) {
            if (!k->keys.sorted) {
                /* Sorted on an empty ring: owners are each sim's to place. */
                ring_t none;
                ring_init(&none, 1);
                int rc = store_resize(&k->sorted, n, &none);
                ring_free(&none);
                if (rc != 0)
                    return -1;
                k->keys.sorted = &k->sorted;
            }
            continue;
        }
        size_t have = 0;
        while (have < k->keys.own_count && k->own[have].hash != kh)
            have++;
        if (have < k->keys.own_count)
            continue;
        uint64_t *v = malloc((n + 1) * sizeof *v);
        if (!v)
            return -1;
        kh->of_indexes(0, n, v);
        k->values[have] = v;
        k->own[have] = (sim_own_keys_t){kh, v, n};
        k->keys.own_count++;
    }
    return 0;
}

static void shared_keys_free(shared_keys_t *k)
{
    store_free(&k->sorted);
    for (size_t i = 0; i < STRAT_COUNT; i++)
        free(k->values[i]);
}

int cmd_compare(const opts_t *o, const scn_script_t *script, char *err, size_t err_size)
{
    size_t steps = script->count + 1, n = o->compare_count;
    row_t **rows = calloc(n, sizeof *rows);
    sim_step_t *heads = calloc(steps, sizeof *heads);
    double secs[STRAT_COUNT] = {0};
    shared_keys_t *shared = malloc(sizeof *shared);
    int rc = -1;
    if (!rows || !heads || !shared) {
        snprintf(err, err_size, "out of memory");
        free(shared);
        shared = NULL;
        goto done;
    }
    double t_hash = seconds_now();
    if (shared_keys_make(shared, o) != 0) {
        snprintf(err, err_size, "out of memory for %llu embeddings", (unsigned long long)o->vectors);
        goto done;
    }
    t_hash = seconds_now() - t_hash;
    for (size_t k = 0; k < n; k++) {
        rows[k] = calloc(steps, sizeof *rows[k]);
        if (!rows[k]) {
            snprintf(err, err_size, "out of memory");
            goto done;
        }
        double t0 = seconds_now();
        if (run_one(o, script, o->compare[k], &shared->keys, rows[k], heads, k == 0, err, err_size) != 0)
            goto done;
        secs[k] = seconds_now() - t0;
    }
    if (o->json && print_json(stdout, o, script, rows, heads) != 0) {
        snprintf(err, err_size, "out of memory writing the JSON");
        goto done;
    }
    if (!o->json)
        print_text(stdout, o, script, rows, heads, secs, t_hash);
    rc = 0;
done:
    for (size_t k = 0; rows && k < n; k++) {
        for (size_t i = 0; rows[k] && i < steps; i++)
            json_free(&rows[k][i].json), json_free(&rows[k][i].config);
        free(rows[k]);
    }
    free(rows);
    free(heads);
    if (shared)
        shared_keys_free(shared);
    free(shared);
    return rc;
}
