/* hud — everything drawn in 2D around the ring: node labels, title and last
 * action, distribution panel, control bar, hover card, toasts, help overlay;
 * and the layout that places them (and the ring's area) for a window size.
 *
 * In rooms (hud_priv.h): layout, bar widgets, words and numbers (hud_text.h,
 * no GL), the panel and compare table, node labels, overlays and help, and
 * the frame that composes them (hud.c). GL state goes through render/gfx.h.
 *
 * Reads the app state, writes only layout fields (widgets, panel, bar, view
 * area) and the cached fps text. No allocation beyond the draw batches.
 */
#ifndef RINGSCOPE_HUD_H
#define RINGSCOPE_HUD_H

#include "app.h"
#include "hud_text.h"

/* The HUD's scale for a frame of w x h layout pixels: 1 at 1280x720,
 * smaller and larger frames scale text and spacing within [0.8, 1.5]. */
float hud_scale(float w, float h);
void hud_layout(app_t *a);
/* 1 on a phone-sized screen (small, high density): the wrapped bar of
 * finger-sized controls, and help that describes touch. */
int hud_touch_layout(const app_t *a);
/* The box of the strategy's legend line in pane p (hud_legend_text), on
 * up to two lines: bottom left, beside the hint row; in a clip, in the
 * captions' band left of the caption. w = 0: not drawn (no room). */
void hud_legend_box(app_t *a, const pane_t *p, app_rect_t *box);
/* Where the vnodes slider's knob sits, 0..1 along its track (a value
 * outside the slider's range pins it to that end). */
float hud_slider_frac(const app_t *a);
/* The marks of the view the legend names (app_t.legend_marks has bit 1 <<
 * mark for each it showed). */
typedef enum hud_mark {
    HUD_MARK_BAND_ARCS, HUD_MARK_BAND_FINE, HUD_MARK_VNODES, HUD_MARK_OWN_POINTS, HUD_MARK_CELLS,
    HUD_MARK_CELLS_THIN, HUD_MARK_SWAP, HUD_MARK_TICKS, HUD_MARK_RULE, HUD_MARK_SCORES, HUD_MARK_PROBES,
    HUD_MARK_NODE, HUD_MARK_KEY, HUD_MARK_FLIGHT, HUD_MARK_RING_SHARE, HUD_MARK_SELECTED,
    HUD_MARK_BARS, HUD_MARK_KEY_SHARE, HUD_MARK_CAPACITY, HUD_MARK_PANES,
    HUD_MARK_COPIES, HUD_MARK_HEALING, HUD_MARK_UNDER, HUD_MARK_LOST, HUD_MARK_CRASHED, HUD_MARK_ZONES,
    HUD_MARK_SHARD_CELLS, HUD_MARK_LUMPS, HUD_MARK_CONVOY, HUD_MARK_SHARDS_LED, HUD_MARK_SHARD_COPIES,
    HUD_MARK_COUNT
} hud_mark_t;

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
