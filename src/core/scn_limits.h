/* scn_limits — a scenario's sizes, checked before any command runs.
 *
 * Which nodes are live after each command depends only on the ids, so a
 * scenario can be replayed on a model of the node set (ids and weights, no
 * hashing, no keys): a command that would pass RS_MAX_NODES (live and
 * crashed nodes: a crashed node stays a member until removed) or
 * RS_MAX_POINTS (nodes x weights x vnodes), or set a weight the strategy in
 * force cannot honour, is found with its index before anything runs —
 * instead of failing half-way through a run's output. The command line
 * checks whole scenarios (scn_limits_check); the app checks one command
 * against its live state (sim_check_limits, sim.h).
 *
 *   l = scn_limits_new(ids, weights, n, vnodes, kind)   the starting set
 *   scn_limits_step(l, &cmd, why, size)                  one command on it
 *   scn_limits_free(l)
 *
 * Memory: the model keeps pointers to the ids it was given and to the ids
 * of the commands stepped (never copies): they must outlive it.
 * Errors: scn_limits_step returns 0, or -1 with the reason in why (the
 * caller says where the command came from); out of memory is NULL from
 * scn_limits_new, and -2 from scn_limits_check.
 */
#ifndef RINGSCOPE_SCN_LIMITS_H
#define RINGSCOPE_SCN_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#include "scn.h"
#include "strat.h"

typedef struct scn_limits scn_limits_t;

/* A model of n live nodes (weights[i], or 1 each when weights is NULL) at
 * vnodes points per unit of weight, under strategy kind; NULL when out of
 * memory. */
scn_limits_t *scn_limits_new(const char *const *ids, const uint32_t *weights, size_t n, uint32_t vnodes,
                             strat_kind_t kind);
/* Applies c to the model (a no-op, such as adding a node that is there,
 * changes nothing and passes). 0, or -1 with why c would pass a limit (the
 * model is then as before c). */
int scn_limits_step(scn_limits_t *l, const scn_cmd_t *c, char *why, size_t why_size);
void scn_limits_free(scn_limits_t *l);
/* Adds n crashed nodes to the model: they hold no points, count toward the
 * node limit until removed (`remove` forgets a crashed node), and come
 * back with `recover` or `add`. */
void scn_limits_crashed(scn_limits_t *l, const char *const *ids, size_t n);

/* The whole scenario sc from n nodes (weight 1) at vnodes under kind: 0;
 * -1 with *bad the index of the first command that passes a limit and the
 * reason in why; -2 out of memory (said in why). */
int scn_limits_check(const char *const *ids, size_t n, uint32_t vnodes, strat_kind_t kind, const scn_script_t *sc,
                     size_t *bad, char *why, size_t why_size);

#endif
