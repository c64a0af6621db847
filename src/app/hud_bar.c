/* hud_bar — the control bar's widgets: buttons (shorter labels at tighter
 * bar levels), the node-id field with the text being composed, the vnodes
 * slider; the panel's own buttons use hud_button too. */
#include "hud_priv.h"

#include "hud_repl.h"
#include "live.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *hud_button_text(const app_t *a, int w)
{
    int short_ = a->bar_level >= 1, tiny = a->bar_level >= 4;
    switch (w) {
    case APP_W_ADD: return tiny ? "+" : short_ ? "Add" : "Add node";
    case APP_W_REMOVE: return tiny ? "\xE2\x88\x92" : short_ ? "Remove" : "Remove node";
    case APP_W_WEIGHT_MINUS: return hud_weight_on_bar(a) ? "Weight \xE2\x88\x92" : "\xE2\x88\x92";
    case APP_W_WEIGHT_PLUS: return hud_weight_on_bar(a) ? "Weight +" : "+";
    case APP_W_STRATEGY: {
        /* The active strategy; a click picks the next one. */
        static char t[64];
        hud_strategy_text(hud_focused(a)->sim.strat.kind, t, sizeof t);
        return t;
    }
    case APP_W_COMPARE: return "vs"; /* strategies side by side; lit while on */
    case APP_W_REBUILD: return "Rebuild";
    case APP_W_VEC_MINUS: return short_ ? "\xE2\x88\x92" "1k" : "\xE2\x88\x92" "1000";
    case APP_W_VEC_PLUS: return short_ ? "+1k" : "+1000 vec";
    case APP_W_PAUSE:
        if (a->bar_level >= 2)
            return a->paused ? "\xE2\x96\xB6" : "\xE2\x9D\x9A\xE2\x9D\x9A";
        return a->paused ? "Resume" : "Pause";
    case APP_W_RESET: return "Reset";
    case APP_W_SHOT: return short_ ? "Shot" : "Screenshot";
    case APP_W_RECORD: return live_active() ? (short_ ? "Stop" : "Stop rec") : (short_ ? "Rec" : "Record");
    case APP_W_SESSION: return a->panel_compact || hud_touch_layout(a) ? "Save session" : "Save session  (Ctrl+S)";
    case APP_W_LEGEND: return a->bar_level >= 2 ? "L" : "Legend";
    case APP_W_HELP: return "?";
    case APP_W_REPL_MINUS: return hud_touch_layout(a) ? "Replicas \xE2\x88\x92" : "\xE2\x88\x92";
    case APP_W_REPL_PLUS: return hud_touch_layout(a) ? "Replicas +" : "+";
    case APP_W_CRASH: return hud_repl_crash_text(a);
    case APP_W_HEAL: return "Heal";
    default: return "";
    }
}

const char *hud_slider_label(const app_t *a)
{
    return a->bar_level <= 1 ? "VNodes" : "";
}

float hud_slider_frac(const app_t *a)
{
    /* Signed: a script's `vnodes 2` is below the track and must not wrap. */
    float t = ((float)a->slider - APP_VNODES_MIN) / (APP_VNODES_MAX - APP_VNODES_MIN);
    return t < 0 ? 0 : t > 1 ? 1 : t;
}

void hud_button(app_t *a, draw_t *d, int w, uint32_t accent)
{
    const app_rect_t *r = &a->widgets[w];
    float u = a->hud_u;
    a->widget_cut &= ~(1u << w);
    if (r->w <= 0)
        return; /* not on the bar at this size (its key still works) */
    uint32_t bg = a->pressed_widget == w ? C_BUTTON_DOWN : a->hot_widget == w ? C_BUTTON_HOT : C_BUTTON;
    draw_rect(d, r->x, r->y, r->w, r->h, 7 * u, bg);
    draw_rect_stroke(d, r->x, r->y, r->w, r->h, 7 * u, 1 * u, accent ? hud_alpha(accent, 0.55f) : C_EDGE);
    if (accent)
        draw_rect(d, r->x + (a->bar_level >= 2 ? 6 : 9) * u, r->y + r->h * 0.5f - 3 * u, 6 * u, 6 * u, 3 * u, accent);
    const char *t = hud_button_text(a, w);
    float tw = font_width(&a->font, FONT_BODY, t, strlen(t));
    float tx = r->x + (r->w - tw) * 0.5f + (accent ? 5 * u : 0);
    if (tw > r->x + r->w - tx + 0.5f)
        a->widget_cut |= 1u << w;
    draw_text_fit(d, FONT_BODY, tx, r->y + (r->h - a->font.height[FONT_BODY]) * 0.5f, r->x + r->w - tx, C_TEXT, t);
}

/* The typed id, then what an input method is composing (accent colour,
 * underlined), and the caret. */
static void text_field(app_t *a, draw_t *d)
{
    const app_rect_t *r = &a->widgets[APP_W_FIELD];
    float u = a->hud_u;
    if (r->w < 24 * u)
        return;
    draw_rect(d, r->x, r->y, r->w, r->h, 7 * u, 0x0B0F18FFu);
    draw_rect_stroke(d, r->x, r->y, r->w, r->h, 7 * u, (a->field_focus ? 1.5f : 1.0f) * u,
                     a->field_focus ? C_ACCENT : a->hot_widget == APP_W_FIELD ? 0xFFFFFF30u : C_EDGE);
    float ty = r->y + (r->h - a->font.height[FONT_BODY]) * 0.5f;
    float inner = r->w - 20 * u;
    if (a->field_len == 0 && !a->field_focus) {
        int whole = font_width(&a->font, FONT_BODY, "Node id (Enter)", 15) <= inner;
        const char *hint = whole ? "Node id (Enter)" : "Node id";
        draw_text_fit(d, FONT_BODY, r->x + 10 * u, ty, inner, C_FAINT, hint);
        return;
    }
    /* Show the end of a long one: that is where typing happens. */
    char buf[sizeof a->field + sizeof a->composing];
    size_t flen = a->field_len, n = flen;
    memcpy(buf, a->field, flen);
    if (a->field_focus) {
        size_t clen = strlen(a->composing);
        memcpy(buf + flen, a->composing, clen);
        n += clen;
    }
    size_t start = 0;
    while (start < n && font_width(&a->font, FONT_BODY, buf + start, n - start) > inner) {
        start++;
        while (start < n && ((unsigned char)buf[start] & 0xC0) == 0x80)
            start++;
    }
    float x = r->x + 10 * u;
    if (start < flen)
        x += draw_text_n(d, FONT_BODY, x, ty, C_TEXT, buf + start, flen - start);
    size_t cs = start > flen ? start : flen;
    if (n > cs) {
        float cw = draw_text_n(d, FONT_BODY, x, ty, C_ACCENT, buf + cs, n - cs);
        draw_rect(d, x, ty + a->font.height[FONT_BODY] - 1 * u, cw, 1 * u, 0, C_ACCENT);
        x += cw;
    }
    if (a->field_focus && fmod(a->clock, 1.0) < APP_CARET_ON)
        draw_rect(d, x + 1 * u, ty + 2 * u, 1.5f * u, a->font.height[FONT_BODY] - 4 * u, 0, C_TEXT);
}

static void slider(app_t *a, draw_t *d)
{
    const app_rect_t *r = &a->widgets[APP_W_SLIDER];
    float u = a->hud_u;
    if (r->w <= 0)
        return;
    float ty = r->y + (r->h - a->font.height[FONT_SMALL]) * 0.5f;
    const char *label = hud_slider_label(a);
    float lw = font_width(&a->font, FONT_SMALL, label, strlen(label));
    draw_text(d, FONT_SMALL, r->x - lw - 12 * u, ty, C_DIM, label);
    float t = hud_slider_frac(a);
    float cy = r->y + r->h * 0.5f;
    /* What the strategy uses: vnodes, its own points a node, or nothing
     * (the slider then is off: dim, no knob). */
    char v[32];
    int on = hud_vnodes_text(a->panes, a->pane_count, hud_focused(a), a->slider, v, sizeof v);
    draw_rect(d, r->x, cy - 2 * u, r->w, 4 * u, 2 * u, on ? 0x2A3244FFu : 0x1C2230FFu);
    if (on)
        draw_rect(d, r->x, cy - 2 * u, r->w * t, 4 * u, 2 * u, C_ACCENT);
    int steps = (APP_VNODES_MAX - APP_VNODES_MIN) / APP_VNODES_STEP;
    for (int i = 0; i <= steps; i++)
        draw_rect(d, r->x + r->w * i / steps - 0.5f * u, cy + 5 * u, 1 * u, 3 * u, 0, 0xFFFFFF22u);
    float kx = r->x + r->w * t;
    int hot = on && (a->hot_widget == APP_W_SLIDER || a->slider_drag);
    if (on) {
        draw_circle(d, kx, cy, (hot ? 8.0f : 7.0f) * u, C_TEXT);
        draw_circle(d, kx, cy, 3 * u, C_ACCENT);
    }
    if (!on) { /* what the strategy places instead, on the idle track; no figure beside it */
        float tw = fminf(font_width(&a->font, FONT_SMALL, v, strlen(v)), r->w);
        draw_rect(d, r->x + 0.5f * (r->w - tw) - 4 * u, cy - 0.5f * a->font.height[FONT_SMALL] - 1 * u, tw + 8 * u,
                  a->font.height[FONT_SMALL] + 2 * u, 4 * u, 0x0C1019FFu);
        draw_text_fit(d, FONT_SMALL, r->x + 0.5f * (r->w - tw), cy - 0.5f * a->font.height[FONT_SMALL], tw + 1, C_DIM,
                      v);
        snprintf(v, sizeof v, "\xE2\x80\x94");
    }
    uint32_t vc = !on ? C_FAINT : a->slider != hud_focused(a)->sim.ring.vnodes ? C_REBUILD : C_TEXT;
    draw_text(d, FONT_BODY, r->x + r->w + (a->bar_level >= 2 ? 8 : 12) * u,
              r->y + (r->h - a->font.height[FONT_BODY]) * 0.5f, vc, v);
}

void hud_bar(app_t *a, draw_t *d)
{
    float u = a->hud_u;
    if (a->rail.w > 0) { /* a phone sideways: the controls' rail at the right edge */
        draw_rect(d, a->rail.x, 0, a->rail.w, a->rail.h, 0, 0x0C1019F2u);
        draw_rect(d, a->rail.x, 0, 1 * u, a->rail.h, 0, C_EDGE);
    } else {
        draw_rect(d, 0, a->bar.y, a->bar.w, a->bar.h, 0, 0x0C1019F2u);
        draw_rect(d, 0, a->bar.y, a->bar.w, 1 * u, 0, C_EDGE);
    }
    text_field(a, d);
    slider(a, d);
    for (int w = APP_W_ADD; w < APP_W_COUNT; w++) {
        if (w == APP_W_SLIDER || (w == APP_W_SESSION && a->panel.w > 0 && !hud_weight_on_bar(a)) ||
            (w == APP_W_LEGEND && !hud_touch_layout(a)))
            continue; /* the panel draws its own "Save session", the hint row the legend's link */
        uint32_t accent = w == APP_W_ADD ? C_ADD : w == APP_W_REMOVE ? C_REMOVE : 0;
        if (w == APP_W_REBUILD)
            accent = a->slider != hud_focused(a)->sim.ring.vnodes ? C_REBUILD : hud_alpha(C_REBUILD, 0.5f);
        char v[32];
        if (w == APP_W_REBUILD && !hud_vnodes_text(a->panes, a->pane_count, hud_focused(a), a->slider, v, sizeof v))
            accent = 0x5A637680u; /* off: nothing to rebuild under this strategy */
        hud_button(a, d, w, accent);
    }
}
