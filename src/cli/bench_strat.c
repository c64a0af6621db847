#include "bench_strat.h"

#include "bench_time.h"
#include "cmd.h"
#include "hash.h"
#include "keyid.h"
#include "report.h"
#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BS_MAX_REPS 9

static volatile uint64_t bs_sink;

/* Random key hashes (both widths), the same for every strategy. */
static void bs_queries(strat_key_t *q, size_t n)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < n; i++) {
        x = strat_mix64(x + i);
        q[i] = (strat_key_t){x, (uint32_t)(x >> 17), -1};
    }
}

/* The key of embedding-like id `vec_%06d` of index i as `locate` makes
 * it from the text: the strategy's own key hash where it has one, else
 * khash. */
static void bs_key_of_id(const strat_ops_t *ops, uint64_t i, strat_key_t *key)
{
    char text[32];
    size_t len = keyid_text(i, text);
    char why[160];
    key->hash = 0;
    key->own = 0;
    if (ops->key_hash)
        (void)ops->key_hash->of_id(text + KEYID_PREFIX_LEN, len - KEYID_PREFIX_LEN, &key->own, why, sizeof why);
    else
        key->hash = hash64(text, len);
    key->index = -1;
}

static int bs_one(strat_kind_t kind, unsigned n, size_t keys, unsigned reps, const strat_key_t *q, size_t nq,
                  bench_strat_fig_t *f)
{
    char (*names)[16] = malloc((size_t)(n + 1) * sizeof *names);
    const char **ids = malloc((size_t)(n + 1) * sizeof *ids);
    if (!names || !ids) {
        free(names);
        free(ids);
        return -1;
    }
    for (unsigned i = 0; i <= n; i++) {
        snprintf(names[i], sizeof names[i], "node%03u", i);
        ids[i] = names[i];
    }
    sim_config_t cfg = {.nodes = ids, .node_count = n, .vnodes = 160, .vectors = keys, .dim = 4, .seed = 42,
                        .strategy = kind};
    cfg.params.shards = BENCH_STRAT_SHARDS; /* the default 64 would leave most of 100 nodes without a shard */
    sim_t s;
    sim_step_t step;
    char err[512];
    int rc = -1;
    if (sim_init(&s, &cfg, &step, err, sizeof err) != 0)
        goto done;
    f->kind = kind;
    sim_stats_t st;
    sim_stats(&s, &st);
    f->max_over_mean = st.max_over_mean;
    f->std_over_mean = st.std_over_mean;
    f->bytes = s.strat.ops->memory(s.strat.state, &s.nodes);

    double t[BS_MAX_REPS];
    for (unsigned r = 0; r < reps; r++) {
        double t0 = bench_now_ms();
        if (s.strat.ops->follows_arcs) {
            /* The ring's structure is its points: build them afresh. */
            ring_t ring;
            ring_init(&ring, 160);
            size_t *lens = malloc(n * sizeof *lens);
            uint16_t *slots = malloc(n * sizeof *slots);
            size_t bad;
            int ok = lens && slots;
            for (unsigned i = 0; ok && i < n; i++)
                lens[i] = strlen(ids[i]);
            ok = ok && ring_add_many(&ring, ids, lens, n, slots, &bad, err, sizeof err) == RING_OK;
            free(lens);
            free(slots);
            ring_free(&ring);
            if (!ok)
                goto done;
        } else {
            strat_t fresh;
            strat_change_t all = strat_change_of(RING_NONE, RING_NONE, RING_NONE);
            strat_init(&fresh, kind, &s.strat.params);
            int ok = strat_build(&fresh, &s.nodes, &all, &s.store, s.own_sorted_valid ? s.own_sorted : NULL, err,
                                 sizeof err) == 0;
            strat_free(&fresh);
            if (!ok)
                goto done;
        }
        t[r] = bench_now_ms() - t0;
    }
    f->ms_build = bench_median(t, reps);

    for (unsigned r = 0; r < reps; r++) {
        uint64_t sum = 0;
        strat_where_t w;
        double t0 = bench_now_ms();
        for (size_t i = 0; i < nq; i++) {
            sim_locate(&s, &q[i], &w);
            sum += w.owner;
        }
        t[r] = (bench_now_ms() - t0) * 1e6 / (double)nq;
        bs_sink += sum;
    }
    f->ns_lookup = bench_median(t, reps);

    /* Many keys in one call, where the strategy has that path. */
    f->ns_owners = NAN;
    if (s.strat.ops->owners) {
        uint64_t *kh = malloc(nq * sizeof *kh);
        uint64_t *own = malloc(nq * sizeof *own);
        uint16_t *out = malloc(nq * sizeof *out);
        int ok = kh && own && out;
        for (size_t i = 0; ok && i < nq; i++) {
            kh[i] = q[i].hash;
            own[i] = q[i].own;
        }
        for (unsigned r = 0; ok && r < reps; r++) {
            double t0 = bench_now_ms();
            s.strat.ops->owners(s.strat.state, &s.nodes, kh, own, nq, out);
            t[r] = (bench_now_ms() - t0) * 1e6 / (double)nq;
            bs_sink += out[nq / 2];
        }
        free(kh);
        free(own);
        free(out);
        if (!ok)
            goto done;
        f->ns_owners = bench_median(t, reps);
    }

    /* One call per id, as `locate` answers: hash the id's text, then look
     * it up (1,000,000 + i: 7-digit ids). */
    size_t calls = nq / 4;
    for (unsigned r = 0; r < reps; r++) {
        uint64_t sum = 0;
        strat_where_t w;
        double t0 = bench_now_ms();
        for (size_t i = 0; i < calls; i++) {
            strat_key_t key;
            bs_key_of_id(s.strat.ops, 1000000 + i, &key);
            sim_locate(&s, &key, &w);
            sum += w.owner;
        }
        t[r] = (bench_now_ms() - t0) * 1e6 / (double)calls;
        bs_sink += sum;
    }
    f->ns_call = bench_median(t, reps);

    scn_cmd_t add = {.op = SCN_ADD}, rem = {.op = SCN_REMOVE};
    snprintf(add.node, sizeof add.node, "%s", names[n]);
    snprintf(rem.node, sizeof rem.node, "%s", names[n]);
    add.node_len = rem.node_len = (uint32_t)strlen(names[n]);
    double ta[BS_MAX_REPS], tr[BS_MAX_REPS];
    for (unsigned r = 0; r < reps; r++) {
        double t0 = bench_now_ms();
        if (sim_apply(&s, &add, &step, err, sizeof err) != 0)
            goto done;
        ta[r] = bench_now_ms() - t0;
        f->moved_add = step.moved_fraction;
        t0 = bench_now_ms();
        if (sim_apply(&s, &rem, &step, err, sizeof err) != 0)
            goto done;
        tr[r] = bench_now_ms() - t0;
        f->moved_remove = step.moved_fraction;
    }
    f->ms_add = bench_median(ta, reps);
    f->ms_remove = bench_median(tr, reps);
    rc = 0;
done:
    if (rc != 0)
        cmd_error("bench: strategy %s: %s", strat_name(kind), err[0] ? err : "out of memory");
    sim_free(&s);
    free(names);
    free(ids);
    return rc;
}

int bench_strategies(int quick, unsigned reps, bench_strat_t *out)
{
    memset(out, 0, sizeof *out);
    out->nodes = 100;
    out->vnodes = 160;
    out->keys = quick ? 100000 : 1000000;
    if (reps > BS_MAX_REPS)
        reps = BS_MAX_REPS;
    size_t nq = out->keys;
    strat_key_t *q = malloc(nq * sizeof *q);
    if (!q) {
        cmd_error("bench: out of memory");
        return -1;
    }
    bs_queries(q, nq);
    int rc = 0;
    /* The schemes of §1b and generic shards; the presets of real systems
     * have their own figure (bench_presets). */
    for (int k = 0; k < STRAT_COUNT && rc == 0; k++)
        if (!strat_ops((strat_kind_t)k)->system)
            rc = bs_one((strat_kind_t)k, out->nodes, out->keys, reps, q, nq, &out->fig[k]);
    free(q);
    return rc;
}

void bench_strat_table(FILE *f, const bench_strat_t *b)
{
    const bench_strat_fig_t *ring = &b->fig[strat_default()];
    fprintf(f, "\n8. strategies, %u nodes (x %u points where the scheme has points; %u shards), %zu keys; "
               "ring = reference\n",
            b->nodes, b->vnodes, BENCH_STRAT_SHARDS, b->keys);
    fprintf(f, "   %-10s %9s %8s %9s %9s %9s %9s %9s %10s %8s %8s\n", "strategy", "lookup ns", "vs ring",
            "batch ns", "call ns", "build ms", "add ms", "remove ms", "memory KB", "max/mean", "std/mean");
    for (int k = 0; k < STRAT_COUNT; k++) {
        const bench_strat_fig_t *x = &b->fig[k];
        if (strat_ops((strat_kind_t)k)->system)
            continue;
        char batch[16];
        if (isnan(x->ns_owners))
            snprintf(batch, sizeof batch, "-");
        else
            snprintf(batch, sizeof batch, "%.2f", x->ns_owners);
        fprintf(f, "   %-10s %9.1f %7.2fx %9s %9.1f %9.2f %9.1f %9.1f %10.1f %8.3f %8.3f\n", strat_name(x->kind),
                x->ns_lookup, x->ns_lookup > 0 ? x->ns_lookup / ring->ns_lookup : 0.0, batch, x->ns_call,
                x->ms_build, x->ms_add, x->ms_remove, (double)x->bytes / 1024.0, x->max_over_mean, x->std_over_mean);
    }
    fputs("   lookup: sim_locate per key from its hash; batch: the strategy's loop over many keys (owners);\n"
          "   call: hashing an id's text (its own key hash, else khash) and locating it, as `locate` does\n",
          f);
}

void bench_strat_json(FILE *f, const bench_strat_t *b)
{
    fprintf(f, "{\"nodes\":%u,\"vnodes\":%u,\"shards\":%u,\"keys\":%zu,\"reference\":\"ring\",\"rows\":[", b->nodes,
            b->vnodes, BENCH_STRAT_SHARDS, b->keys);
    for (int k = 0; k < STRAT_COUNT; k++) {
        const bench_strat_fig_t *x = &b->fig[k];
        if (strat_ops((strat_kind_t)k)->system)
            continue;
        fprintf(f, "%s{\"strategy\":\"%s\",\"ns_lookup\":", k ? "," : "", strat_name(x->kind));
        json_fnum(f, x->ns_lookup);
        fputs(",\"ns_batch\":", f);
        json_fnum(f, x->ns_owners);
        fputs(",\"ns_call\":", f);
        json_fnum(f, x->ns_call);
        fputs(",\"ms_build\":", f);
        json_fnum(f, x->ms_build);
        fputs(",\"ms_add\":", f);
        json_fnum(f, x->ms_add);
        fputs(",\"moved_fraction_add\":", f);
        json_fnum(f, x->moved_add);
        fputs(",\"ms_remove\":", f);
        json_fnum(f, x->ms_remove);
        fputs(",\"moved_fraction_remove\":", f);
        json_fnum(f, x->moved_remove);
        fprintf(f, ",\"bytes\":%zu,\"max_over_mean\":", x->bytes);
        json_fnum(f, x->max_over_mean);
        fputs(",\"std_over_mean\":", f);
        json_fnum(f, x->std_over_mean);
        fputc('}', f);
    }
    fputs("]}", f);
}
