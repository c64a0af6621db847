/* ringscope sim: run a scenario headless, print each step as a table or JSON. */
#include "cmd.h"
#include "cmd_compare.h"
#include "hash.h"
#include "opts.h"
#include "report.h"
#include "sim.h"
#include "simjson.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void sim_usage(void)
{
    fputs("usage: ringscope sim [options]\n"
          "\n"
          "Runs a scenario headless and prints every step: the init step, then one\n"
          "step per command (moved keys, moved fraction, ideal fraction, per-node\n"
          "keys and arc share, max/mean and std/mean).\n"
          "\n",
          stdout);
    opts_help_setup(stdout);
    char cmds[512], text[sizeof cmds + 32];
    opts_command_list(cmds, sizeof cmds, 0);
    snprintf(text, sizeof text, "scenario to run (%s)", cmds);
    opts_help_option(stdout, "--script FILE", text, 85);
    fputs("  --do \"CMD\"         one more command, after the script (repeatable)\n", stdout);
    opts_help_strategy(stdout, "placement: ", " or ", " (see README, Strategies)", 81);
    opts_help_params(stdout);
    fputs("  --replicas R       copies of every key, 1..8 (default 1); more than the nodes: as many\n"
          "                     copies as nodes, with a notice, until more join\n"
          "  --zones a=z1,b=z2  zones of nodes from --nodes (split at the last '='): copies go\n"
          "                     to distinct zones first (see README, Replicas)\n"
          "  --record-bytes B   bytes per copy besides the dim x 4 of the vector (default 64)\n"
          "  --bandwidth BW     per node and direction, e.g. 10Gbit (default), 400MB, 1GiB\n"
          "                     (bit kbit Mbit Gbit Tbit, B kB MB GB TB, KiB MiB GiB TiB; /s optional)\n"
          "  --compare S1,S2,…  run the scenario under each strategy: per step, one row each\n"
          "  --json             one JSON object {\"config\":…,\"steps\":[…]}\n"
          "\n"
          "Exit status: 0 ok, 2 bad arguments or script, 1 other failure.\n",
          stdout);
}

/* {"version":…,"config":{"nodes":[…],<strategy and parameters>,"vectors":…,
 * "dim":…,"seed":…,"hash":…<replication>},"steps":[ */
static void config_json(json_t *j, const opts_t *o, const sim_t *s)
{
    json_printf(j, "{\"version\":\"%s\",\"config\":{\"nodes\":[", RS_VERSION);
    for (size_t i = 0; i < o->node_count; i++) {
        json_raw(j, i ? "," : "");
        json_str(j, o->nodes[i]);
    }
    json_raw(j, "],");
    simjson_strategy_params(j, &s->strat, o->vnodes);
    json_printf(j, ",\"vectors\":%llu,\"dim\":%u,\"seed\":%llu,\"hash\":\"%s\"", (unsigned long long)o->vectors,
                o->dim, (unsigned long long)o->seed, hash_backend());
    simjson_repl_config(j, &s->repl);
    json_raw(j, "},\"steps\":[");
}

static int print_step(void *ctx, const sim_t *s, const sim_step_t *step, size_t index)
{
    const opts_t *o = ctx;
    if (!o->json)
        return report_step_table(stdout, s, step, (unsigned)index) != 0;
    json_t j = {0};
    if (index == 0)
        config_json(&j, o, s);
    else
        json_raw(&j, ",");
    json_raw(&j, "\n");
    simjson_step(&j, s, step);
    int bad = j.oom;
    if (!bad)
        fputs(json_text(&j), stdout);
    json_free(&j);
    return bad || ferror(stdout);
}

int cmd_sim(int argc, char **argv)
{
    opts_t o;
    scn_script_t script;
    char err[1024];
    int begin = cmd_begin(argc, argv, 2, OPTS_SIM, sim_usage, &o, &script);
    if (begin != CMD_GO)
        return begin;
    if (o.compare_count) {
        int rc = CMD_OK;
        if (cmd_compare(&o, &script, err, sizeof err) != 0) {
            cmd_error("%s", err);
            rc = CMD_FAIL;
        } else if (fflush(stdout) != 0 || ferror(stdout)) {
            cmd_error("could not write the output: %s", strerror(errno));
            rc = CMD_FAIL;
        }
        scn_free(&script);
        opts_free(&o);
        return rc;
    }
    sim_t s;
    int rc = CMD_OK;
    /* On failure the JSON stays unclosed on purpose: a reader must not take
     * a failed run for a complete one. */
    int run = cmd_run(&o, &script, o.strategy, 1, &s, print_step, &o, err, sizeof err);
    if (run < 0) {
        cmd_error("%s", err);
        rc = CMD_FAIL;
        goto done;
    }
    int write_failed = run > 0;
    if (o.json)
        fputs("\n]}\n", stdout);
    if (write_failed || fflush(stdout) != 0 || ferror(stdout)) {
        cmd_error("could not write the output: %s", strerror(errno));
        rc = CMD_FAIL;
    }
done:
    sim_free(&s);
    scn_free(&script);
    opts_free(&o);
    return rc;
}
