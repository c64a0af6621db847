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

/* A pane's counter line: what the change did in the one vocabulary, each
 * figure only when it is not zero: "moved k of N (x%)  ·  ideal y%" (k: the
 * moved embeddings landed so far; under shards "moved s shards, k of N
 * keys"), "promoted P", "copied C", "lost L of N (z%)" — a crash moves
 * nothing, a heal copies; "N new" ("N new, flying in" until settled), "N
 * removed", a note on why the pane did not follow, or "no change yet".
 * hud_counter_form: form 0 (the counter line) or shorter ones for where it
 * does not fit whole: 1 (" · ", no "of N"), 2 (and no ideal), 3 (and no
 * shard count). */
#define HUD_COUNTER_FORMS 4
void hud_counter_text(const pane_action_t *ac, uint64_t landed, int settled, char *out, size_t n);
void hud_counter_form(const pane_action_t *ac, uint64_t landed, int settled, int form, char *out, size_t n);

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
 * its drawn count over all drawn and the lost keys (held by no node), so
 * at rest it is sim's keys%, and shares add up mid-flight too. */
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

/* Under shards, what whole shards do to balance, whatever the map is now:
 * "S/n = 12.8: max/mean ≥ 1.016" (no node can lead part of a shard; the
 * best is the largest target, S·w/W by largest remainder as shardmap.h
 * sets them, over the mean), "S/n = 16: max/mean can be 1", or "3 shards
 * for 5 nodes: 2 lead none". Returns 0 (out "") without shards or nodes. */
int hud_shard_quantum_text(const pane_t *p, char *out, size_t n);

/* Compare mode: a pane's row of the last-change table: name, moved %,
 * ideal %, max/mean, std/mean ("—" where there is no figure). */
#define HUD_ROW_CELLS 5
#define HUD_ROW_CELL 48
void hud_compare_row_text(const pane_t *p, uint64_t landed, char cells[HUD_ROW_CELLS][HUD_ROW_CELL]);

#endif
