/* cmd_compare — `ringscope sim --compare S1,S2,...`: runs the scenario under
 * each strategy and prints, per step, one row per strategy (moved, moved %,
 * ideal %, max/mean, std/mean), or with --json the full step objects of
 * every strategy under each step's "compare".
 * Returns 0, or -1 with a message in err (exit 1: a run failed). Output
 * errors are left on stdout for the caller to check. */
#ifndef RINGSCOPE_CMD_COMPARE_H
#define RINGSCOPE_CMD_COMPARE_H

#include <stddef.h>

#include "cmd.h"

int cmd_compare(const opts_t *o, const scn_script_t *script, char *err, size_t err_size);

#endif
