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
/* The box of the strategy's legend line in pane p (hud_legend_text):
 * bottom left, beside the "H: help" hint; in a clip, in the captions' band
 * left of the caption. w = 0: not drawn (no room). */
void hud_legend_box(app_t *a, const pane_t *p, app_rect_t *box);
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
