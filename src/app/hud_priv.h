/* hud_priv — what the HUD's rooms share: the interface palette, small
 * helpers and each room's entry points. Only hud*.c include it.
 *
 *   hud_layout.c   where everything goes for a frame size (bar, panel, panes)
 *   hud_bar.c      the control bar's widgets (buttons, id field, slider)
 *   hud_text.c     the words and numbers (no GL; hud_text.h)
 *   hud_panel.c    the distribution panel and compare mode's table
 *   hud_labels.c   node labels, placed so they do not collide
 *   hud_overlay.c  legend line and structure, hover card, toast, caption,
 *                  title card, help, the REC badge
 *   hud_legend.c   "what am I looking at": every mark on screen (L)
 *   hud.c          the frame: background, scene passes, then the rooms in order
 *
 * Every room reads the app state and writes only layout fields and its
 * draw batch; nothing here allocates or fails.
 */
#ifndef RINGSCOPE_HUD_PRIV_H
#define RINGSCOPE_HUD_PRIV_H

#include "hud.h"
#include "hud_text.h"

#include "pal.h"

/* Palette of the interface (0xRRGGBBAA). */
#define C_TEXT 0xE6EAF2FFu
#define C_DIM 0x8A93A6FFu
#define C_FAINT 0x5A6376FFu
#define C_PANEL 0x121722D9u
#define C_CARD 0x121722FFu  /* cards over labels: opaque, nothing shows through */
#define C_EDGE 0xFFFFFF14u
#define C_BUTTON 0x1B2130FFu
#define C_BUTTON_HOT 0x263046FFu
#define C_BUTTON_DOWN 0x313C58FFu
#define C_ADD 0x2FBF71FFu
#define C_REMOVE 0xE5484DFFu
#define C_REBUILD 0xF5A524FFu
#define C_ACCENT 0x4DA3FFFFu

static inline uint32_t hud_alpha(uint32_t c, float a)
{
    uint32_t al = (uint32_t)((float)(c & 0xFF) * (a < 0 ? 0 : a > 1 ? 1 : a) + 0.5f);
    return (c & 0xFFFFFF00u) | al;
}

static inline uint32_t hud_node_rgba(const pane_t *p, uint16_t slot, float alpha)
{
    const ring_node_t *nd = &p->sim.ring.nodes[slot];
    pal_rgb_t c = pal_node(nd->id, nd->id_len);
    return draw_rgba(c.r, c.g, c.b, alpha);
}

/* The pane the chrome (bar, title, panel) speaks for: the focused one. */
static inline const pane_t *hud_focused(const app_t *a)
{
    return &a->panes[a->focus];
}

/* Text cut to max_w (nothing when there is no room); its width. */
static inline float hud_fit(draw_t *d, font_size_t fs, float x, float y, float max_w, uint32_t c, const char *t)
{
    if (max_w <= 0)
        return 0;
    return draw_text_fit(d, fs, x, y, max_w, c, t);
}

/* The hint row above the bar (hud_hint_row). */
#define HUD_HINT_HELP "H: help"
#define HUD_HINT_LEGEND "L: legend"

/* hud_layout.c */
/* How many bytes of text t fit in max_w, broken after a word where it can
 * (at least one byte, whole UTF-8 sequences). */
size_t hud_wrap_len(font_t *f, font_size_t fs, const char *t, float max_w);
int hud_hint_row(app_t *a, app_rect_t *help, app_rect_t *legend);
float hud_panel_width(const app_t *a, float w, int *compact); /* beside a stage w wide; 0: folded away */
int hud_rail_layout(const app_t *a);                 /* a phone sideways: the controls in a rail */
float hud_stage_right(const app_t *a);               /* the right edge of the panes and the title */
int hud_panes_stacked(const app_t *a);               /* two panes, one above the other */
float hud_caption_band(const app_t *a);             /* a clip's band for captions, under the ring */
int hud_weight_on_bar(const app_t *a);               /* touch: weight and Save session among the controls */

/* hud_bar.c */
const char *hud_button_text(const app_t *a, int w);
const char *hud_slider_label(const app_t *a);
void hud_button(app_t *a, draw_t *d, int w, uint32_t accent);
void hud_bar(app_t *a, draw_t *d);

/* hud_panel.c */
void hud_panel_box(draw_t *d, float x, float y, float w, float h, float u);
void hud_card_box(draw_t *d, float x, float y, float w, float h, float u);
void hud_panel(app_t *a, const pane_t *p, draw_t *d, app_rect_t box);
float hud_compare_table(app_t *a, draw_t *d); /* its height, and the gap under it */
float hud_compare_table_h(const app_t *a);    /* its box's height, before drawing (layout) */
float hud_panel_height(const app_t *a, uint32_t rows); /* the panel with rows node rows, no figures */

/* hud_labels.c */
void hud_node_labels(app_t *a, const pane_t *p, draw_t *d);

/* hud_legend.c */
void hud_legend(app_t *a, draw_t *d);

/* hud_overlay.c */
int hud_caption_now(app_t *a, const char **text, float *alpha, app_rect_t *box);
void hud_structure(app_t *a, pane_t *p, draw_t *d);
void hud_hover_key(app_t *a, pane_t *p, draw_t *d);
void hud_hover_card(app_t *a, const pane_t *p, draw_t *d);
void hud_toast(app_t *a, draw_t *d);
void hud_caption(app_t *a, draw_t *d);
void hud_title_card(app_t *a, draw_t *d);
void hud_help(app_t *a, draw_t *d);
void hud_rec_badge(app_t *a, draw_t *d);

#endif
