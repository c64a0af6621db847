#include "bench_presets.h"

#include "bench_shards.h"
#include "bench_time.h"
#include "cmd.h"
#include "json.h"
#include "keyid.h"
#include "shardmap.h"
#include "sim.h"

#include <stdlib.h>
#include <string.h>

#define BP_NODES 10u
#define BP_SHARDS 64u
#define BP_MAX_REPS 9

static volatile uint64_t bp_sink;

static uint16_t by_bsearch(const strat_points_t *p, uint64_t pos)
{
    size_t lo = 0, hi = p->count; /* the first point >= pos, wrapping */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->pos[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return p->node[lo == p->count ? 0 : lo];
}

static uint16_t by_scan(const strat_points_t *p, uint64_t pos)
{
    for (uint32_t i = 0; i < p->count; i++)
        if (p->pos[i] >= pos)
            return p->node[i];
    return p->node[0];
}

typedef enum baseline { BY_RUNS, BY_BSEARCH, BY_SCAN } baseline_t;

static int bp_one(strat_kind_t kind, const char *name, baseline_t how, size_t keys, unsigned reps,
                  bench_preset_fig_t *f, char *err, size_t err_size)
{
    char names[BP_NODES][8];
    const char *ids[BP_NODES];
    for (unsigned i = 0; i < BP_NODES; i++) {
        snprintf(names[i], sizeof names[i], "n%02u", i);
        ids[i] = names[i];
    }
    sim_config_t cfg = {.nodes = ids, .node_count = BP_NODES, .vnodes = 1, .vectors = keys, .dim = 4, .seed = 42,
                        .strategy = kind};
    cfg.params.shards = strat_ops(kind)->params ? BP_SHARDS : 0;
    sim_t s;
    sim_step_t step;
    range_t *runs = NULL;
    char *text = malloc(keys * 16 + 1);
    uint32_t *off = malloc((keys + 1) * sizeof *off);
    uint16_t *want = malloc((keys + 1) * sizeof *want);
    int rc = -1;
    if (sim_init(&s, &cfg, &step, err, err_size) != 0) {
        free(text), free(off), free(want);
        return -1;
    }
    if (!text || !off || !want) {
        snprintf(err, err_size, "out of memory");
        goto done;
    }
    const strat_ops_t *ops = s.strat.ops;
    const strat_keyhash_t *kh = ops->key_hash;
    const shardmap_t *m = sim_shards(&s);
    const strat_points_t *pts = ops->points ? ops->points(s.strat.state) : NULL;
    size_t nruns = 0;
    if (how == BY_RUNS && !(runs = bench_shard_ranges(m, &nruns))) {
        snprintf(err, err_size, "out of memory");
        goto done;
    }
    f->kind = kind;
    f->name = name;
    f->units = how == BY_RUNS ? m->shards : pts->count; /* what the baseline searches */
    f->baseline = how == BY_RUNS ? "binary search of the shard ranges"
                  : how == BY_SCAN ? "linear scan of the virtual shards (Weaviate's virtualByToken)"
                                   : "binary search of the sorted points";
    /* The ids' text in store order, laid out once. */
    size_t at = 0;
    for (size_t p = 0; p < s.store.count; p++) {
        char buf[32];
        size_t len = keyid_text((uint64_t)s.store.index[p], buf) - KEYID_PREFIX_LEN;
        off[p] = (uint32_t)at;
        memcpy(text + at, buf + KEYID_PREFIX_LEN, len);
        at += len;
    }
    off[s.store.count] = (uint32_t)at;
    double th[BP_MAX_REPS], tl[BP_MAX_REPS], tb[BP_MAX_REPS];
    for (unsigned k = 0; k < reps; k++) {
        uint64_t sum = 0;
        char why[128];
        double t0 = bench_now_ms();
        for (size_t p = 0; p < s.store.count; p++) {
            uint64_t own;
            kh->of_id(text + off[p], off[p + 1] - off[p], &own, why, sizeof why);
            sum += own;
        }
        double t1 = bench_now_ms();
        for (size_t p = 0; p < s.store.count; p++) {
            strat_key_t key;
            sim_key_at(&s, p, &key);
            strat_where_t w;
            sim_locate(&s, &key, &w);
            want[p] = w.owner;
        }
        double t2 = bench_now_ms();
        for (size_t p = 0; p < s.store.count; p++) {
            strat_key_t key;
            sim_key_at(&s, p, &key);
            uint16_t o = how == BY_RUNS    ? bench_shard_owner(runs, nruns, shardmap_shard_of(m, &key))
                         : how == BY_SCAN ? by_scan(pts, strat_own_pos(kh, key.own))
                                          : by_bsearch(pts, strat_own_pos(kh, key.own));
            if (o != want[p]) {
                snprintf(err, err_size, "%s: the baseline found another owner for key %zu", name, p);
                goto done;
            }
        }
        double t3 = bench_now_ms();
        double per = 1e6 / (double)(keys ? keys : 1);
        th[k] = (t1 - t0) * per;
        tl[k] = (t2 - t1) * per;
        tb[k] = (t3 - t2) * per;
        bp_sink += sum;
    }
    f->ns_hash = bench_median(th, reps);
    f->ns_lookup = bench_median(tl, reps);
    f->ns_baseline = bench_median(tb, reps);
    rc = 0;
done:
    free(runs);
    free(text);
    free(off);
    free(want);
    sim_free(&s);
    return rc;
}

int bench_presets(int quick, unsigned reps, bench_presets_t *out)
{
    static const struct {
        strat_kind_t kind;
        const char *name;
        baseline_t how;
    } rows[] = {
        {STRAT_REDIS, "redis-cluster", BY_RUNS}, {STRAT_ES, "elasticsearch", BY_RUNS},
        {STRAT_QDRANT, "qdrant", BY_BSEARCH},    {STRAT_MILVUS, "milvus", BY_RUNS},
        {STRAT_CASSANDRA, "cassandra", BY_BSEARCH}, {STRAT_KAFKA, "kafka", BY_RUNS},
        {STRAT_WEAVIATE, "weaviate", BY_SCAN},   {STRAT_KETAMA, "memcached", BY_BSEARCH},
    };
    memset(out, 0, sizeof *out);
    out->nodes = BP_NODES;
    out->keys = quick ? 100000 : 1000000;
    if (reps > BP_MAX_REPS)
        reps = BP_MAX_REPS;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char err[512] = "";
        if (bp_one(rows[i].kind, rows[i].name, rows[i].how, out->keys, reps, &out->fig[out->count++], err,
                   sizeof err) != 0) {
            cmd_error("bench: presets: %s", err[0] ? err : "out of memory");
            return -1;
        }
    }
    return 0;
}

void bench_presets_table(FILE *f, const bench_presets_t *b)
{
    fprintf(f, "\n11. presets of real systems, %u nodes, %zu keys: key -> hash -> shard -> node per key; "
               "baseline: the plain search\n",
            b->nodes, b->keys);
    fprintf(f, "   %-14s %7s %8s %10s %12s %8s %10s  %s\n", "preset", "units", "hash ns", "lookup ns", "baseline ns",
            "speedup", "total x", "baseline");
    for (unsigned k = 0; k < b->count; k++) {
        const bench_preset_fig_t *x = &b->fig[k];
        fprintf(f, "   %-14s %7u %8.1f %10.1f %12.1f %7.1fx %9.2fx  %s\n", x->name, x->units, x->ns_hash,
                x->ns_lookup, x->ns_baseline, x->ns_lookup > 0 ? x->ns_baseline / x->ns_lookup : 0.0,
                x->ns_hash + x->ns_lookup > 0 ? (x->ns_hash + x->ns_baseline) / (x->ns_hash + x->ns_lookup) : 0.0,
                x->baseline);
    }
}

void bench_presets_json(FILE *f, const bench_presets_t *b)
{
    fprintf(f, "{\"nodes\":%u,\"keys\":%zu,\"rows\":[", b->nodes, b->keys);
    for (unsigned k = 0; k < b->count; k++) {
        const bench_preset_fig_t *x = &b->fig[k];
        fprintf(f, "%s{\"preset\":\"%s\",\"units\":%u,\"baseline\":\"%s\",\"ns_hash\":", k ? "," : "", x->name,
                x->units, x->baseline);
        json_fnum(f, x->ns_hash);
        fputs(",\"ns_lookup\":", f);
        json_fnum(f, x->ns_lookup);
        fputs(",\"ns_baseline\":", f);
        json_fnum(f, x->ns_baseline);
        fputs("}", f);
    }
    fputs("]}", f);
}
