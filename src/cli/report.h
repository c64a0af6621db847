/* report — how simulation steps are printed: JSON (DESIGN §4) and tables.
 *
 * Writes to a caller's FILE; owns nothing. Functions return 0, or -1 when a
 * write failed (the caller reports it: a full disk must not look like success).
 */
#ifndef RINGSCOPE_REPORT_H
#define RINGSCOPE_REPORT_H

#include <stdio.h>

#include "json.h"
#include "sim.h"

/* One step object: op, node, changed, message, moved, moved_fraction,
 * ideal_fraction, nodes, vectors, vnodes, dist, arc_share and load stats;
 * with replication on, also replicas, copies_moved, bytes_moved,
 * transfer_seconds, lost, lost_ids, lost_total, under_replicated, crashed,
 * bytes_in and bytes_out (node id -> bytes) and zones. */
int report_step_json(FILE *f, const sim_t *s, const sim_step_t *step);

/* With replication on: "replicas", "record_bytes", "copy_bytes" and
 * "bandwidth_bytes_per_second", members of the config object being written
 * (each after a comma). */
void report_repl_config_json(FILE *f, const repl_t *r);

/* "12.3 MB": bytes in SI units, for tables. */
void report_human_bytes(char *out, size_t size, uint64_t b);

/* Display width of UTF-8 text in terminal columns (CJK and emoji 2,
 * combining marks 0). */
size_t report_text_width(const char *s, size_t len);
/* Writes s cut to at most width columns (never inside a character) and
 * padded with spaces to exactly width. */
void report_put_cell(FILE *f, const char *s, size_t len, size_t width);

/* A readable block for one step; index counts steps from 0. */
int report_step_table(FILE *f, const sim_t *s, const sim_step_t *step, unsigned index);

/* "strategy":NAME (left out for the default ring) and its parameters:
 * "vnodes" (always: the ring's points are kept for every strategy), and
 * "table", "balance" or "probes" where the strategy uses one; members of an
 * object being written. */
void report_strategy_params_json(FILE *f, strat_kind_t kind, uint32_t vnodes, const strat_params_t *p);

#endif
