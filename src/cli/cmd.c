/* What every ringscope command shares: report errors the same way, parse
 * its options, answer --help, load its scenario and run it on a sim. */
#include "cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cmd_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ringscope: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cmd_flush_stdout(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return CMD_OK;
    cmd_error("could not write the output: %s", strerror(errno ? errno : EIO));
    return CMD_FAIL;
}

void cmd_step_where(const opts_t *o, const scn_cmd_t *c, char *buf, size_t size)
{
    if (c->line && o->script) {
        snprintf(buf, size, "%s:%u", o->script, c->line);
    } else {
        char line[NODEID_MAX + RS_MAX_ZONE_NAME + 32];
        scn_format(c, line, sizeof line);
        snprintf(buf, size, "--do \"%s\"", line);
    }
}

int cmd_run(const opts_t *o, const scn_script_t *script, strat_kind_t kind, int tell_noops, sim_t *s,
            cmd_step_fn on_step, void *ctx, char *err, size_t err_size)
{
    return cmd_run_keys(o, script, kind, NULL, tell_noops, s, on_step, ctx, err, err_size);
}

int cmd_run_keys(const opts_t *o, const scn_script_t *script, strat_kind_t kind, const sim_keys_t *keys,
                 int tell_noops, sim_t *s, cmd_step_fn on_step, void *ctx, char *err, size_t err_size)
{
    sim_config_t cfg;
    opts_sim_config(o, &cfg);
    cfg.strategy = kind;
    /* Nothing headless draws keys by khash: strategies with their own key
     * hash skip SHA-256 until one that reads khash comes into force. */
    cfg.khash_on_demand = 1;
    cfg.keys = keys;
    sim_step_t step;
    if (sim_init(s, &cfg, &step, err, err_size) != 0)
        return -1;
    if (tell_noops && o->replicas > o->node_count)
        fprintf(stderr, "ringscope: --replicas %u with %zu nodes: each key has %zu copies until more nodes join\n",
                o->replicas, o->node_count, o->node_count);
    int stop = on_step ? on_step(ctx, s, &step, 0) : 0;
    for (size_t i = 0; i < script->count && !stop; i++) {
        if (sim_apply(s, &script->cmds[i], &step, err, err_size) != 0) {
            char msg[1024], where[NODEID_MAX + RS_MAX_ZONE_NAME + 48];
            snprintf(msg, sizeof msg, "%s", err);
            cmd_step_where(o, &script->cmds[i], where, sizeof where);
            snprintf(err, err_size, "%s: %s", where, msg);
            return -1;
        }
        /* A wait, title or caption changes nothing by design; other no-ops
         * are worth a word. */
        if (tell_noops && !step.changed && !scn_verb(script->cmds[i].op)->inert)
            fprintf(stderr, "ringscope: %s\n", step.message);
        stop = on_step ? on_step(ctx, s, &step, i + 1) : 0;
    }
    return stop;
}

int cmd_begin(int argc, char **argv, int first, opts_cmd_t cmd, void (*usage)(void), opts_t *o,
              scn_script_t *script)
{
    char err[1024];
    if (opts_parse(argc, argv, first, cmd, o, err, sizeof err) != 0) {
        cmd_error("%s", err);
        return CMD_USAGE;
    }
    if (o->help) {
        usage();
        opts_free(o);
        return cmd_flush_stdout();
    }
    if (opts_scenario(o, script, err, sizeof err) != 0) {
        cmd_error("%s", err);
        opts_free(o);
        return CMD_USAGE;
    }
    if (o->notice[0])
        cmd_error("%s", o->notice);
    return CMD_GO;
}
