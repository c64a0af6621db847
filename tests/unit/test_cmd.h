/* test_cmd — a scenario command built in one call, for the unit tests
 * that drive a sim directly. Header-only. */
#ifndef RINGSCOPE_TEST_CMD_H
#define RINGSCOPE_TEST_CMD_H

#include <stdio.h>
#include <string.h>

#include "scn.h"

/* op on node (NULL: none) with value (a weight, a count, a shard). */
static inline scn_cmd_t cmd_of(scn_op_t op, const char *node, uint64_t value)
{
    scn_cmd_t c = {0};
    c.op = op;
    snprintf(c.node, sizeof c.node, "%s", node ? node : "");
    c.node_len = (uint32_t)strlen(c.node);
    c.value = value;
    return c;
}

#endif
