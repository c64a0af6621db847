#include "bench_shards.h"

#include "bench_time.h"
#include "cmd.h"
#include "json.h"
#include "shardmap.h"
#include "sim.h"

#include <stdlib.h>
#include <string.h>

#define BSH_NODES 10u
#define BSH_SHARDS 1024u
#define BSH_MAX_REPS 9

static volatile uint64_t bsh_sink;

static int by_first(const void *a, const void *b)
{
    const range_t *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

range_t *bench_shard_ranges(const shardmap_t *m, size_t *count)
{
    uint32_t *start = malloc((RS_MAX_NODES + 1) * sizeof *start), *led = malloc((m->shards + 1) * sizeof *led);
    range_t *r = malloc(((size_t)m->shards + 1) * sizeof *r);
    size_t n = 0;
    if (start && led && r) {
        shardmap_by_primary(m, start, led);
        for (uint32_t slot = 0; slot < RS_MAX_NODES; slot++)
            for (uint32_t a = start[slot]; a < start[slot + 1];) {
                uint32_t b = a;
                while (b + 1 < start[slot + 1] && led[b + 1] == led[b] + 1)
                    b++;
                r[n++] = (range_t){led[a], led[b], (uint16_t)slot};
                a = b + 1;
            }
        qsort(r, n, sizeof *r, by_first);
    } else {
        free(r);
        r = NULL;
    }
    free(start);
    free(led);
    *count = n;
    return r;
}

uint16_t bench_shard_owner(const range_t *r, size_t n, uint32_t s)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].first <= s)
            lo = mid;
        else
            hi = mid;
    }
    return r[lo].slot;
}

static int bsh_one(size_t keys, unsigned reps, bench_shards_fig_t *f, char *err, size_t err_size)
{
    char names[BSH_NODES + 1][8];
    const char *ids[BSH_NODES + 1];
    for (unsigned i = 0; i <= BSH_NODES; i++) {
        snprintf(names[i], sizeof names[i], "n%02u", i);
        ids[i] = names[i];
    }
    sim_config_t cfg = {.nodes = ids, .node_count = BSH_NODES, .vnodes = 1, .vectors = keys, .dim = 4, .seed = 42,
                        .strategy = STRAT_SHARDS};
    cfg.params.shards = BSH_SHARDS;
    sim_t s;
    sim_step_t step;
    uint16_t *before = malloc((keys + 1) * sizeof *before), *scratch = malloc((keys + 1) * sizeof *scratch);
    range_t *r = NULL;
    int rc = -1;
    if (sim_init(&s, &cfg, &step, err, err_size) != 0)
        goto done;
    if (!before || !scratch) {
        snprintf(err, err_size, "out of memory");
        goto done;
    }
    f->keys = keys;
    size_t nr;
    r = bench_shard_ranges(sim_shards(&s), &nr);
    if (!r) {
        snprintf(err, err_size, "out of memory");
        goto done;
    }
    double a[BSH_MAX_REPS], b[BSH_MAX_REPS], c[BSH_MAX_REPS];
    const strat_ops_t *ops = s.strat.ops;
    for (unsigned k = 0; k < reps; k++) {
        uint64_t sum = 0, sum_naive = 0;
        double t0 = bench_now_ms();
        for (size_t p = 0; p < s.store.count; p++) {
            strat_key_t key = {s.store.hash[p], 0, -1};
            strat_where_t w;
            sim_locate(&s, &key, &w);
            sum += w.owner;
        }
        double t1 = bench_now_ms();
        for (size_t p = 0; p < s.store.count; p++)
            sum_naive += bench_shard_owner(r, nr, (uint32_t)(s.store.hash[p] % BSH_SHARDS));
        double t2 = bench_now_ms();
        ops->owners(s.strat.state, &s.nodes, s.store.hash, NULL, s.store.count, scratch);
        double t3 = bench_now_ms();
        uint64_t sum_batch = 0;
        for (size_t p = 0; p < s.store.count; p++)
            sum_batch += scratch[p];
        if (sum != sum_naive || sum != sum_batch) {
            snprintf(err, err_size, "the shard ranges or the batch path disagree with the map");
            goto done;
        }
        a[k] = (t1 - t0) * 1e6 / (double)(keys ? keys : 1);
        b[k] = (t2 - t1) * 1e6 / (double)(keys ? keys : 1);
        c[k] = (t3 - t2) * 1e6 / (double)(keys ? keys : 1);
        bsh_sink += sum;
    }
    f->ns_lookup = bench_median(a, reps);
    f->ns_lookup_bsearch = bench_median(b, reps);
    f->ns_batch = bench_median(c, reps);

    scn_cmd_t add = {.op = SCN_ADD}, rem = {.op = SCN_REMOVE};
    snprintf(add.node, sizeof add.node, "%s", names[BSH_NODES]);
    snprintf(rem.node, sizeof rem.node, "%s", names[BSH_NODES]);
    add.node_len = rem.node_len = (uint32_t)strlen(add.node);
    for (unsigned k = 0; k < reps; k++) {
        memcpy(before, s.store.owner, keys * sizeof *before);
        double t0 = bench_now_ms();
        if (sim_apply(&s, &add, &step, err, err_size) != 0)
            goto done;
        a[k] = bench_now_ms() - t0;
        f->keys_moved = step.moved;
        f->visited = step.visited;
        f->shards_moved = sim_shards_moved(&s);
        /* The naive way to the same placement: every key looked up again
         * (its shard, then the shard's node) and compared with its owner
         * before the add, one thread, as the reference remaps a ring. */
        uint64_t moved = 0;
        t0 = bench_now_ms();
        for (size_t p = 0; p < s.store.count; p++) {
            strat_key_t key = {s.store.hash[p], 0, -1};
            strat_where_t w;
            sim_locate(&s, &key, &w);
            moved += w.owner != before[p];
            scratch[p] = w.owner;
        }
        b[k] = bench_now_ms() - t0;
        bsh_sink += scratch[keys / 2];
        if (sim_apply(&s, &rem, &step, err, err_size) != 0)
            goto done;
        if (moved != f->keys_moved) {
            snprintf(err, err_size, "the per-key remap moved %llu keys, the map %llu", (unsigned long long)moved,
                     (unsigned long long)f->keys_moved);
            goto done;
        }
    }
    f->ms_add = bench_median(a, reps);
    f->ms_add_naive = bench_median(b, reps);
    rc = 0;
done:
    free(r);
    free(before);
    free(scratch);
    sim_free(&s);
    return rc;
}

int bench_shards(int quick, unsigned reps, bench_shards_t *out)
{
    memset(out, 0, sizeof *out);
    out->nodes = BSH_NODES;
    out->shards = BSH_SHARDS;
    if (reps > BSH_MAX_REPS)
        reps = BSH_MAX_REPS;
    static const size_t sizes[2][2] = {{1000000, 10000000}, {100000, 1000000}};
    for (int k = 0; k < 2; k++) {
        char err[512] = "";
        if (bsh_one(sizes[quick != 0][k], reps, &out->fig[k], err, sizeof err) != 0) {
            cmd_error("bench: shards: %s", err[0] ? err : "out of memory");
            return -1;
        }
    }
    return 0;
}

void bench_shards_table(FILE *f, const bench_shards_t *b)
{
    fprintf(f, "\n10. shards (strategy shards), %u nodes, S = %u; baselines: ranges searched, every key remapped\n",
            b->nodes, b->shards);
    fprintf(f, "   %10s %10s %9s %11s %8s %10s %12s %8s %13s %9s\n", "keys", "lookup ns", "batch ns", "ranges ns",
            "speedup", "add ms", "per-key ms", "speedup", "shards moved", "keys moved");
    for (int k = 0; k < 2; k++) {
        const bench_shards_fig_t *x = &b->fig[k];
        fprintf(f, "   %10zu %10.1f %9.2f %11.1f %7.1fx %10.2f %12.2f %7.1fx %13llu %9llu\n", x->keys, x->ns_lookup,
                x->ns_batch, x->ns_lookup_bsearch, x->ns_lookup > 0 ? x->ns_lookup_bsearch / x->ns_lookup : 0.0,
                x->ms_add, x->ms_add_naive, x->ms_add > 0 ? x->ms_add_naive / x->ms_add : 0.0,
                (unsigned long long)x->shards_moved, (unsigned long long)x->keys_moved);
    }
}

void bench_shards_json(FILE *f, const bench_shards_t *b)
{
    fprintf(f, "{\"nodes\":%u,\"shards\":%u,\"rows\":[", b->nodes, b->shards);
    for (int k = 0; k < 2; k++) {
        const bench_shards_fig_t *x = &b->fig[k];
        fprintf(f, "%s{\"keys\":%zu,\"ns_lookup\":", k ? "," : "", x->keys);
        json_fnum(f, x->ns_lookup);
        fputs(",\"ns_batch\":", f);
        json_fnum(f, x->ns_batch);
        fputs(",\"ns_lookup_ranges\":", f);
        json_fnum(f, x->ns_lookup_bsearch);
        fputs(",\"ms_add\":", f);
        json_fnum(f, x->ms_add);
        fputs(",\"ms_add_per_key\":", f);
        json_fnum(f, x->ms_add_naive);
        fprintf(f, ",\"shards_moved\":%llu,\"keys_moved\":%llu,\"visited\":%llu}", (unsigned long long)x->shards_moved,
                (unsigned long long)x->keys_moved, (unsigned long long)x->visited);
    }
    fputs("]}", f);
}
