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

/* One step object, as the core's state writer makes it (simjson.h). */
int report_step_json(FILE *f, const sim_t *s, const sim_step_t *step);

/* "12.3 MB": bytes in SI units, for tables. */
void report_human_bytes(char *out, size_t size, uint64_t b);
/* "782 µs", "2.47 ms", "1.20 s": a duration, three figures. */
void report_human_seconds(char *out, size_t size, double s);

/* Display width of UTF-8 text in terminal columns (CJK and emoji 2,
 * combining marks 0). */
size_t report_text_width(const char *s, size_t len);
/* Writes s cut to at most width columns (never inside a character) and
 * padded with spaces to exactly width. */
void report_put_cell(FILE *f, const char *s, size_t len, size_t width);

/* A readable block for one step; index counts steps from 0. */
int report_step_table(FILE *f, const sim_t *s, const sim_step_t *step, unsigned index);

#endif
