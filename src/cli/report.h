/* report — how simulation steps are printed: JSON (DESIGN §4) and tables.
 *
 * Writes to a caller's FILE; owns nothing. Functions return 0, or -1 when a
 * write failed (the caller reports it: a full disk must not look like success).
 */
#ifndef RINGSCOPE_REPORT_H
#define RINGSCOPE_REPORT_H

#include <stdio.h>

#include "sim.h"

/* A JSON string literal of the NUL-terminated UTF-8 text s. */
void report_json_string(FILE *f, const char *s);

/* One step object: op, node, changed, message, moved, moved_fraction,
 * ideal_fraction, nodes, vectors, vnodes, dist, arc_share and load stats. */
int report_step_json(FILE *f, const sim_t *s, const sim_step_t *step);

/* A readable block for one step; index counts steps from 0. */
/* Display width of UTF-8 text in terminal columns (CJK and emoji 2,
 * combining marks 0). */
size_t report_text_width(const char *s, size_t len);
/* Writes s cut to at most width columns (never inside a character) and
 * padded with spaces to exactly width. */
void report_put_cell(FILE *f, const char *s, size_t len, size_t width);
int report_step_table(FILE *f, const sim_t *s, const sim_step_t *step, unsigned index);

/* "strategy":NAME (left out for the default ring) and its parameters:
 * "vnodes" (always: the ring's points are kept for every strategy), and
 * "table", "balance" or "probes" where the strategy uses one; members of an
 * object being written. */
void report_strategy_params_json(FILE *f, strat_kind_t kind, uint32_t vnodes, const strat_params_t *p);

/* Number formatting shared by JSON writers: finite doubles with enough digits
 * to round-trip, NaN as null. */
void report_json_number(FILE *f, double v);

#endif
