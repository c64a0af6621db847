/* What every ringscope command does first: report errors the same way, parse
 * its options, answer --help and load its scenario. */
#include "cmd.h"

#include <stdarg.h>
#include <stdio.h>

void cmd_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ringscope: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
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
        return CMD_OK;
    }
    if (opts_scenario(o, script, err, sizeof err) != 0) {
        cmd_error("%s", err);
        opts_free(o);
        return CMD_USAGE;
    }
    return CMD_GO;
}
