/* hud_text — the HUD's words and numbers: every line it shows that is
 * more than a constant (counts, percentages, the counter, the title, the
 * structure's size, a node's label, the hover card, a compare row), made
 * from the panes' figures alone.
 *
 * No GL, no SDL, no app state: pure functions over pane_t's plain fields
 * (pane.h) and the core, so tests check them without a context
 * (tests/render/test_hud_text.c). Output goes to the caller's buffer,
 * always terminated and cut to its size; nothing is allocated, nothing
 * fails.
 */
#ifndef RINGSCOPE_HUD_TEXT_H
#define RINGSCOPE_HUD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "pane.h"

/* Whole numbers elsewhere: num.h's num_int ("1,000,000").
 * A count for a narrow panel cell: "9,999", "40,000", "400k", "4.00M". */
void hud_count_text(uint64_t n, char *out, size_t out_size);
/* A range of counts, the one way the HUD shows one: "min 1,063  ·  max 1,379". */
void hud_minmax_text(uint64_t min, uint64_t max, char *out, size_t n);
/* A fraction as a percentage with one decimal: "12.5%". */
void hud_pct_text(double f, char *out, size_t n);

/* A pane's counter line: "moved k of N (x%)  ·  ideal y%" (k: the moved
 * embeddings landed so far), "N new" ("N new, flying in" until settled),
 * "N removed", a note on why the pane did not follow, or "no change yet". */
void hud_counter_text(const pane_action_t *ac, uint64_t landed, int settled, char *out, size_t n);

/* The title line of pane p among panes[0..count) in one of HUD_TITLE_FORMS
 * forms, longest (0) to shortest: strategies (in the shortest compare form
 * only their number: each pane's header names its own), nodes, vectors,
 * and vnodes/node where some pane places vnodes. */
#define HUD_TITLE_FORMS 4
void hud_title_text(const pane_t *panes, int count, const pane_t *p, int form, char *t, size_t n);

/* The panel's size line: returns what is counted ("ring points", "table
 * cells", "buckets", "scores/key") and sets *size (strat_ops_t.structure). */
const char *hud_structure_size(const pane_t *p, uint64_t *size);
/* The strategy's one-line legend ("" if it has none). */
void hud_legend_text(const pane_t *p, char *out, size_t n);
/* The vnodes slider's value: slider (the vnodes/node it is set to) while
 * some pane's strategy places vnodes (returns 1: in use), else what the
 * focused pane p places instead ("160/node": ketama's own points a node;
 * "unused") and 0: the slider and Rebuild are off. */
int hud_vnodes_text(const pane_t *panes, int count, const pane_t *p, uint32_t slider, char *out, size_t n);
/* Why the vnodes controls do nothing under p's strategy (a toast). */
void hud_vnodes_why(const pane_t *p, char *out, size_t n);
/* The strategy picker's label: the name and a sign that a click moves on. */
void hud_strategy_text(strat_kind_t k, char *out, size_t n);

/* A node's share of the embeddings drawn now (the panel's percentage):
 * its drawn count over all drawn, so shares add up to 1 mid-flight too. */
double hud_drawn_share(const pane_t *p, uint16_t slot);

/* A node label's second and third lines: keys and weight or vnodes; the
 * node's share, named for what it is of ("ring share 20.8%": of the ring's
 * arcs, for strategies with vnodes; "key share 17.7%": of the keys, the
 * panel's column), and its zone. */
void hud_node_text(const pane_t *p, uint16_t slot, char *keys, size_t keys_size, char *share, size_t share_size);
/* A label's keys alone where the full line does not fit: "keys=1,257";
 * with_zone: and its zone where it has one ("keys=1,257  ·  zone z1"). */
void hud_node_short_text(const pane_t *p, uint16_t slot, int with_zone, char *out, size_t n);
/* The share a label shows and its name ("ring share" or "key share"). */
const char *hud_share_text(const pane_t *p, uint16_t slot, double *f);

/* The hover card's three lines for the ring point under the pointer. */
void hud_hover_text(const pane_t *p, char l1[], size_t n1, char l2[], size_t n2, char l3[], size_t n3);

/* Compare mode: a pane's row of the last-change table: name, moved %,
 * ideal %, max/mean, std/mean ("—" where there is no figure). */
#define HUD_ROW_CELLS 5
#define HUD_ROW_CELL 48
void hud_compare_row_text(const pane_t *p, uint64_t landed, char cells[HUD_ROW_CELLS][HUD_ROW_CELL]);

#endif
