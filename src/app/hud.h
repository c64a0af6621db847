/* hud — everything drawn in 2D around the ring: node labels, title and last
 * action, distribution panel, control bar, hover card, toasts, help overlay;
 * and the layout that places them (and the ring's area) for a window size.
 *
 * Reads the app state, writes only layout fields (widgets, panel, bar, view
 * area) and the cached fps text. No allocation beyond the draw batches.
 */
#ifndef RINGSCOPE_HUD_H
#define RINGSCOPE_HUD_H

#include "app.h"

/* The HUD's scale for a frame of w x h layout pixels: 1 at 1280x720,
 * smaller and larger frames scale text and spacing within [0.8, 1.5]. */
float hud_scale(float w, float h);
void hud_layout(app_t *a);
/* 1 on a phone-sized screen (small, high density): the wrapped bar of
 * finger-sized controls, and help that describes touch. */
int hud_touch_layout(const app_t *a);
/* A count for a narrow panel cell: "9,999", "40,000", "400k", "4.00M". */
void hud_count_text(uint64_t n, char *out, size_t out_size);
/* A node's share of the embeddings drawn now (the panel's percentage):
 * its drawn count over all drawn, so shares add up to 1 mid-flight too. */
double hud_drawn_share(const pane_t *p, uint16_t slot);
/* The box of the strategy's legend line in pane p (sst_legend): bottom
 * left, beside the "H: help" hint; in a clip, in the captions' band left of
 * the caption. w = 0: not drawn (no room). */
void hud_legend_box(app_t *a, const pane_t *p, app_rect_t *box);
/* The title line in one of three forms, longest (0) to shortest (2):
 * strategies, nodes, vectors, and vnodes/node where some pane has vnodes. */
void hud_title_text(const app_t *a, const pane_t *p, int form, char *t, size_t n);
/* The panel's size of the pane's structure: returns what is counted ("ring
 * points", "table cells", "buckets", "scores/key") and sets *size. */
const char *hud_structure_size(const pane_t *p, uint64_t *size);
/* A pane's counter line: "moved k of N (x%)  ·  ideal y%", "N new", "N
 * removed", a note on why the pane did not follow, or "no change yet". */
void hud_counter_text(const pane_t *p, char *out, size_t n);
/* Where the vnodes slider's knob sits, 0..1 along its track (a value
 * outside the slider's range pins it to that end). */
float hud_slider_frac(const app_t *a);
/* Draws the whole frame: background, scene, overlay. */
void hud_draw(app_t *a);
/* Draws what must stay out of live recordings (the REC badge), after the
 * capture. Uploads nothing when there is nothing to draw. */
void hud_draw_over(app_t *a);

/* Line i of the help overlay (touch 1: its touch gestures) as {key, what
 * it does}, for another view of the same help (the browser's HTML help);
 * {"", ""} separates the keys from the mouse lines; NULL past the end. */
const char *const *hud_help_line(int touch, size_t i);

#endif
