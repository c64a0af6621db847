/* fuzz_opts — libFuzzer target for the command line (opts_parse).
 *
 * The input is split at NUL bytes into argv (at most 64 arguments) and parsed
 * for every command kind. A failure must come with a clean message; a success
 * must give options within core/rs_limits.h, normalized and distinct node ids,
 * and --do commands that build a scenario. Parsing never touches files: a
 * --script path is only named, so the target skips loading it.
 */
#include "fuzz_check.h"
#include "rs_limits.h"
#include "nodeid.h"
#include "opts.h"
#include "sim.h"

#define FUZZ_MAX_ARGS 64

static void check_ok(const opts_t *o, opts_cmd_t cmd)
{
    FUZZ_CHECK(o->cmd == cmd, "cmd");
    FUZZ_CHECK(opts_help(cmd) != NULL, "help");
    if (o->help)
        return;
    FUZZ_CHECK(o->node_count <= RS_MAX_NODES, "%zu nodes", o->node_count);
    FUZZ_CHECK(o->vnodes >= 1 && o->vnodes <= RS_MAX_VNODES, "vnodes %u", o->vnodes);
    FUZZ_CHECK(o->vectors <= RS_MAX_VECTORS, "vectors");
    FUZZ_CHECK(o->dim >= 1 && o->dim <= RS_MAX_DIM, "dim %u", o->dim);
    FUZZ_CHECK((uint64_t)o->node_count * o->vnodes <= RS_MAX_POINTS, "points");
    FUZZ_CHECK(o->fps >= 1 && o->fps <= 240, "fps %u", o->fps);
    FUZZ_CHECK(o->width >= 16 && o->width <= 8192 && o->height >= 16 && o->height <= 8192, "size");
    FUZZ_CHECK(o->duration >= 0.0 && o->duration <= RS_MAX_WAIT_SECONDS, "duration %g", o->duration);
    FUZZ_CHECK((unsigned)o->strategy < STRAT_COUNT, "strategy %d", (int)o->strategy);
    /* Parameters are as given (0: not given, the strategy's default); what
     * was given suits the strategies the run starts with. */
    FUZZ_CHECK(!o->params.table || (strat_is_prime(o->params.table) && o->params.table >= STRAT_TABLE_MIN), "table %u",
               o->params.table);
    FUZZ_CHECK(!o->params.balance || (o->params.balance >= STRAT_BALANCE_MIN && o->params.balance <= STRAT_BALANCE_MAX),
               "balance");
    FUZZ_CHECK(o->params.probes <= STRAT_PROBES_MAX, "probes %u", o->params.probes);
    FUZZ_CHECK(o->params.shards <= STRAT_SHARDS_MAX, "shards %u", o->params.shards);
    for (size_t i = 0; i < (o->compare_count ? o->compare_count : 1); i++)
        FUZZ_CHECK(strat_params_check(o->compare_count ? o->compare[i] : o->strategy, &o->params, NULL, 0) == 0,
                   "parameters a strategy of the run refuses");
    FUZZ_CHECK(!o->cluster || o->strategy == STRAT_REDIS, "--from-redis under %d", (int)o->strategy);
    FUZZ_CHECK(o->compare_count <= STRAT_COUNT, "compare");
    FUZZ_CHECK(o->replicas <= RS_MAX_REPLICAS, "replicas %u", o->replicas);
    FUZZ_CHECK(o->bandwidth == 0.0 || (o->bandwidth >= 1.0 && o->bandwidth <= 1e15), "bandwidth %g", o->bandwidth);
    FUZZ_CHECK(o->zone_count <= o->node_count, "%zu zones for %zu nodes", o->zone_count, o->node_count);
    for (size_t i = 0; i < o->zone_count; i++) {
        size_t j = 0;
        while (j < o->node_count && strcmp(o->nodes[j], o->zone_nodes[i]) != 0)
            j++;
        FUZZ_CHECK(j < o->node_count, "zone of unknown node %s", o->zone_nodes[i]);
    }
    FUZZ_CHECK(cmd != OPTS_LOCATE || o->key_count >= 1, "locate without keys");
    for (size_t i = 0; i < o->node_count; i++) {
        char again[NODEID_MAX + 1], err[512];
        size_t n = strlen(o->nodes[i]), m;
        FUZZ_CHECK(n >= 1 && n <= NODEID_MAX, "id length %zu", n);
        FUZZ_CHECK(nodeid_normalize(o->nodes[i], n, again, &m, err, sizeof err) == 0, "id refused: %s", err);
        FUZZ_CHECK(m == n && memcmp(again, o->nodes[i], n) == 0, "id not normalized");
        if (o->node_count <= 256)
            for (size_t j = 0; j < i; j++)
                FUZZ_CHECK(strcmp(o->nodes[i], o->nodes[j]) != 0, "duplicate id %s", o->nodes[i]);
    }
    if (!o->script) {
        scn_script_t s;
        char err[1024];
        if (opts_scenario(o, &s, err, sizeof err) == 0) {
            FUZZ_CHECK(s.count == o->dos.count, "scenario has %zu of %zu commands", s.count, o->dos.count);
            scn_free(&s);
        } else {
            FUZZ_CHECK(fuzz_message_ok(err), "scenario message \"%s\"", err);
        }
    }
    sim_config_t cfg;
    opts_sim_config(o, &cfg);
    FUZZ_CHECK(cfg.node_count == o->node_count && cfg.vnodes == o->vnodes, "config");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private NUL-terminated copy: arguments are the NUL-separated pieces. */
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[FUZZ_MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)"ringscope";
    for (size_t i = 0; i < size && argc <= FUZZ_MAX_ARGS;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;

    static const opts_cmd_t kinds[] = {OPTS_APP, OPTS_SIM, OPTS_RECORD, OPTS_BENCH, OPTS_LOCATE};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        opts_t o;
        char err[1024];
        err[0] = '\0';
        if (opts_parse(argc, argv, 1, kinds[k], &o, err, sizeof err) != 0) {
            FUZZ_CHECK(fuzz_message_ok(err), "message \"%s\"", err);
            FUZZ_CHECK(o.nodes == NULL && o.node_count == 0, "a failed parse kept nodes");
            opts_free(&o); /* must stay safe after a failed parse */
            continue;
        }
        check_ok(&o, kinds[k]);
        opts_free(&o);
    }
    free(buf);
    return 0;
}
