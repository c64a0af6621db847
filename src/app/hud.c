#include "hud.h"
#include "hud_repl.h"

#include "live.h"

#include "pal.h"
#include "place.h"
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Palette of the interface (0xRRGGBBAA). */
#define C_TEXT 0xE6EAF2FFu
#define C_DIM 0x8A93A6FFu
#define C_FAINT 0x5A6376FFu
#define C_PANEL 0x121722D9u
#define C_EDGE 0xFFFFFF14u
#define C_BUTTON 0x1B2130FFu
#define C_BUTTON_HOT 0x263046FFu
#define C_BUTTON_DOWN 0x313C58FFu
#define C_ADD 0x2FBF71FFu
#define C_REMOVE 0xE5484DFFu
#define C_REBUILD 0xF5A524FFu
#define C_ACCENT 0x4DA3FFFFu

#define LABEL_MARGIN 46.0f  /* layout px kept around the node circle for labels */
#define WORLD_R 1.70        /* node orbit + cloud, world units */

static uint32_t with_alpha(uint32_t c, float a)
{
    uint32_t al = (uint32_t)((float)(c & 0xFF) * (a < 0 ? 0 : a > 1 ? 1 : a) + 0.5f);
    return (c & 0xFFFFFF00u) | al;
}

static uint32_t node_rgba(const pane_t *p, uint16_t slot, float alpha)
{
    pal_rgb_t c = pal_color(p->sim.ring.nodes[slot].seq);
    return draw_rgba(c.r, c.g, c.b, alpha);
}

/* The pane the chrome (bar, title, panel) speaks for: the focused one. */
static const pane_t *focused(const app_t *a)
{
    return &a->panes[a->focus];
}

/* ---- layout ------------------------------------------------------------- */

/* Height of the band a caption sits in at the bottom of a clip. */
static float caption_band(const app_t *a)
{
    return (float)a->font.height[FONT_LARGE] + 22 * a->hud_u + 20 * a->hud_u;
}

typedef struct item {
    int widget;        /* app_widget_t */
    const char *label; /* button text */
    float w;
    float pre;         /* space before (labels drawn there) */
} item_t;

/* Bar levels, from roomiest to tightest: full labels; short labels; the
 * occasional buttons (reset, screenshot, record) left to their keys; only
 * the node controls; symbols. Every action stays on the keyboard (help). */
#define BAR_LEVELS 5

/* The strategy picker's label: the name and a sign that a click moves on. */
static void strategy_text(strat_kind_t k, char *out, size_t n)
{
    snprintf(out, n, "%s \xE2\x96\xB8", strat_name(k));
}

static int weight_on_bar(const app_t *a);

static const char *button_text(const app_t *a, int w)
{
    int short_ = a->bar_level >= 1, tiny = a->bar_level >= 4;
    switch (w) {
    case APP_W_ADD: return tiny ? "+" : short_ ? "Add" : "Add node";
    case APP_W_REMOVE: return tiny ? "\xE2\x88\x92" : short_ ? "Remove" : "Remove node";
    case APP_W_WEIGHT_MINUS: return weight_on_bar(a) ? "Weight \xE2\x88\x92" : "\xE2\x88\x92";
    case APP_W_WEIGHT_PLUS: return weight_on_bar(a) ? "Weight +" : "+";
    case APP_W_STRATEGY: {
        /* The active strategy; a click picks the next one. */
        static char t[64];
        strategy_text(focused(a)->sim.strat.kind, t, sizeof t);
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
    case APP_W_HELP: return "?";
    case APP_W_REPL_MINUS: return hud_touch_layout(a) ? "Replicas \xE2\x88\x92" : "\xE2\x88\x92";
    case APP_W_REPL_PLUS: return hud_touch_layout(a) ? "Replicas +" : "+";
    case APP_W_CRASH: return hud_repl_crash_text(a);
    case APP_W_HEAL: return "Heal";
    default: return "";
    }
}

/* A phone or small tablet (a small high-density screen, either way up):
 * the bar wraps into rows of finger-sized targets and shows every control,
 * since there are no keys to fall back on. Desktop windows keep one row. */
int hud_touch_layout(const app_t *a)
{
    float cw = (float)a->fb_w / a->dpi, ch = (float)a->fb_h / a->dpi;
    return a->dpi >= 1.5f && fminf(cw, ch) < 600 && a->look == APP_LOOK_FULL;
}

/* The distribution panel's width (0: folded away, the ring needs the room). */
static float panel_width(const app_t *a, int *compact)
{
    float u = a->hud_u, W = (float)a->fb_w, H = (float)a->fb_h;
    *compact = 0;
    if (W >= 860 * u && H >= 360 * u)
        return 292 * u;
    if (W >= 560 * u && H >= 280 * u) {
        *compact = 1;
        return 196 * u;
    }
    return 0;
}

/* Touch, and the panel folded away: its own buttons go on the bar. */
static int weight_on_bar(const app_t *a)
{
    int compact;
    return hud_touch_layout(a) && panel_width(a, &compact) <= 0;
}

static int widget_shown(const app_t *a, int level, int w)
{
    /* On a touch screen the replication buttons are always on the wrapped
     * bar (no keys to fall back on when the panel is short). */
    if (hud_touch_layout(a))
        return !(w == APP_W_SESSION || w == APP_W_WEIGHT_MINUS || w == APP_W_WEIGHT_PLUS) || weight_on_bar(a);
    if (w == APP_W_SESSION || w == APP_W_WEIGHT_MINUS || w == APP_W_WEIGHT_PLUS || w == APP_W_REPL_MINUS ||
        w == APP_W_REPL_PLUS || w == APP_W_CRASH || w == APP_W_HEAL)
        return 0; /* in the distribution panel, under the figures */
    switch (w) {
    case APP_W_RESET:
    case APP_W_SHOT: return level < 2;
    case APP_W_RECORD: return level < 3;
    case APP_W_STRATEGY:
    case APP_W_COMPARE: return level < 4;
    case APP_W_SLIDER:
    case APP_W_REBUILD:
    case APP_W_VEC_MINUS:
    case APP_W_VEC_PLUS:
    case APP_W_PAUSE: return level < 3;
    default: return 1;
    }
}

static const char *slider_label(const app_t *a)
{
    return a->bar_level <= 1 ? "VNodes" : "";
}

float hud_scale(float w, float h)
{
    double k = fmin(w / 1280.0, h / 720.0);
    double s = k > 0 ? pow(k, 0.75) : 0.8;
    s = s < 0.8 ? 0.8 : s > 1.5 ? 1.5 : s;
    return (float)(floor(s * 20.0 + 0.5) / 20.0); /* steps: the font is not re-made on every pixel */
}

/* The items of one bar level and their total width. */
static int bar_items(app_t *a, item_t *items, float *total)
{
    float u = a->hud_u;
    font_t *f = &a->font;
    int n = 0, level = a->bar_level;
    float pad = 14 * u, gap = (level >= 2 ? 4 : 6) * u;
    items[n++] = (item_t){APP_W_FIELD, NULL, (level >= 4 ? 84 : 100) * u, 0};
    for (int w = APP_W_ADD; w < APP_W_COUNT; w++) {
        if (!widget_shown(a, level, w))
            continue;
        if (w == APP_W_SLIDER) {
            const char *l = slider_label(a);
            float pre = *l ? font_width(f, FONT_SMALL, l, strlen(l)) + 12 * u : 0;
            items[n++] = (item_t){w, NULL, (level >= 2 ? 64 : 80) * u, (level >= 2 ? 8 : 14) * u + pre};
            continue;
        }
        const char *t = button_text(a, w);
        float tw = font_width(f, FONT_BODY, t, strlen(t));
        if (w == APP_W_STRATEGY) /* as wide as the longest name: switching never reflows the bar */
            for (int k = 0; k < STRAT_COUNT; k++) {
                char s[64];
                strategy_text((strat_kind_t)k, s, sizeof s);
                tw = fmaxf(tw, font_width(f, FONT_BODY, s, strlen(s)));
            }
        if (w == APP_W_PAUSE && level < 2)
            tw = fmaxf(tw, font_width(f, FONT_BODY, level ? "Resume" : "Resume", 6));
        float pre = gap;
        if (w == APP_W_REBUILD)
            pre = (level >= 2 ? 34 : 40) * u; /* the slider's value is shown there */
        if ((w == APP_W_VEC_MINUS || w == APP_W_PAUSE) && level < 2)
            pre = 10 * u;
        int accent = w == APP_W_ADD || w == APP_W_REMOVE || w == APP_W_REBUILD;
        items[n++] = (item_t){w, t, tw + pad + (accent ? 10 * u : 0), pre};
    }
    float x = 0;
    for (int i = 0; i < n; i++)
        x += (i ? items[i].pre : 0) + items[i].w;
    *total = x;
    return n;
}

void hud_layout(app_t *a)
{
    float u = a->hud_u, W = (float)a->fb_w, H = (float)a->fb_h;
    item_t items[APP_W_COUNT];
    float margin = (W < 700 * u ? 8 : 12) * u, total = 0;
    int n = 0;
    int touch = hud_touch_layout(a);
    /* The roomiest bar that fits on one row (touch: short labels, wrapped). */
    for (a->bar_level = touch ? 1 : 0; a->bar_level < BAR_LEVELS; a->bar_level++) {
        n = bar_items(a, items, &total);
        if (touch || total <= W - 2 * margin)
            break;
    }
    if (a->bar_level >= BAR_LEVELS)
        a->bar_level = BAR_LEVELS - 1;
    /* Tightest level still too wide (a sliver of a window): the field takes
     * what is left, never below nothing. */
    if (!touch && total > W - 2 * margin) {
        items[0].w = fmaxf(0, items[0].w - (total - (W - 2 * margin)));
        total = W - 2 * margin;
    }
    float bh = (a->bar_level >= 2 ? 28 : 32) * u, vpad = (a->bar_level >= 2 ? 6 : 10) * u;
    float row_gap = 6 * u;
    if (touch)
        bh = fmaxf(bh, 44 * a->dpi); /* a fingertip, in CSS pixels */
    /* Place the items left to right, starting a new row where one would
     * run past the edge (touch only; the desktop bar is one row). */
    float ix[APP_W_COUNT];
    int irow[APP_W_COUNT], rows = 1;
    float x = margin;
    for (int i = 0; i < n; i++) {
        if (touch) /* a fingertip wide too */
            items[i].w = fmaxf(items[i].w, 44 * a->dpi);
        float pre = i ? items[i].pre : 0;
        /* The slider's value is drawn right of it: keep the room on its row. */
        float tail = items[i].widget == APP_W_SLIDER ? 40 * u : 0;
        if (touch && x > margin && x + pre + items[i].w + tail > W - margin) {
            rows++;
            x = margin;
            pre = 0;
        }
        if (touch && x == margin && items[i].w > W - 2 * margin)
            items[i].w = fmaxf(0, W - 2 * margin - tail);
        x += pre;
        ix[i] = x;
        irow[i] = rows - 1;
        x += items[i].w;
    }
    float bar_h = rows * bh + (rows - 1) * row_gap + 2 * vpad;
    if (a->look == APP_LOOK_CLEAN)
        n = 0, bar_h = 0; /* no controls in a clip: the ring gets the room */
    a->bar = (app_rect_t){0, H - bar_h, W, bar_h};
    for (int w = 0; w < APP_W_COUNT; w++)
        a->widgets[w] = (app_rect_t){0, 0, 0, 0};
    for (int i = 0; i < n; i++)
        if (items[i].w > 0)
            a->widgets[items[i].widget] =
                (app_rect_t){ix[i], a->bar.y + vpad + irow[i] * (bh + row_gap), items[i].w, bh};

    /* Title block: title line and last-action line. */
    float title_h = 14 * u + a->font.height[FONT_TITLE] + 4 * u + a->font.height[FONT_LARGE];
    float top = title_h + 10 * u;

    /* Distribution panel on the right: full, narrow, or folded away when the
     * ring would be left too little room. */
    float pw = panel_width(a, &a->panel_compact);
    if (pw > 0)
        a->panel = (app_rect_t){W - pw - 12 * u, 12 * u, pw, a->bar.y - 24 * u};
    else
        a->panel = (app_rect_t){0, 0, 0, 0};
    float title_r = a->panel.w > 0 ? a->panel.x - 8 * u : W;
    /* The replication line under them (when on) is kept clear of labels
     * but leaves the ring its room. */
    float repl_h = focused(a)->sim.repl.on ? 4 * u + a->font.height[FONT_BODY] : 0;
    a->title_box = (app_rect_t){0, 0, title_r, title_h + repl_h};
    if (a->pane_count > 1)
        top += repl_h; /* the panes' headers go under it */
    float area_r = a->panel.w > 0 ? a->panel.x - 8 * u : W;
    /* A clip's captions take the control bar's place under the ring. */
    float bottom = a->look == APP_LOOK_CLEAN ? H - caption_band(a) : a->bar.y;
    float avail_h = (bottom - 8 * u - top) / (a->pane_count > 2 ? 2 : 1);
    /* Room for node labels around the node circle; less when space is short
     * (labels then fall back to one line or step aside). */
    float lm = (avail_h < 420 * u ? 26.0f : LABEL_MARGIN) * u;
    /* Compare mode: one cell per pane, side by side (two) or 2 x 2, each
     * with a header (strategy, counter line) over its ring. */
    int np = a->pane_count, cols = np > 1 ? 2 : 1, crows = np > 2 ? 2 : 1;
    float head = np > 1 ? (float)(a->font.height[FONT_BODY] + a->font.height[FONT_SMALL]) + 10 * u : 0;
    if (np > 1)
        lm = 26.0f * u;
    float cw = area_r / (float)cols, ch = (bottom - top) / (float)crows;
    for (int i = 0; i < np; i++) {
        pane_t *p = &a->panes[i];
        float cx = cw * (float)(i % cols), cy = top + ch * (float)(i / cols);
        p->cell[0] = cx;
        p->cell[1] = cy;
        p->cell[2] = cw;
        p->cell[3] = ch;
        float aw = cw - 2 * lm, ah = ch - head - 8 * u - 2 * lm;
        view_set_area(&p->view, cx + lm, cy + head + lm, aw > 16 ? aw : 16, ah > 16 ? ah : 16, WORLD_R);
        view_update(&p->view);
        scene_set_lod_max(&p->scene, SCENE_LOD_MAX / (uint32_t)np);
    }
}

/* ---- pieces ------------------------------------------------------------- */

static void panel_box(draw_t *d, float x, float y, float w, float h, float u)
{
    draw_rect(d, x, y, w, h, 10 * u, C_PANEL);
    draw_rect_stroke(d, x, y, w, h, 10 * u, 1 * u, C_EDGE);
}

static void button(app_t *a, draw_t *d, int w, uint32_t accent)
{
    const app_rect_t *r = &a->widgets[w];
    float u = a->hud_u;
    if (r->w <= 0)
        return; /* not on the bar at this size (its key still works) */
    uint32_t bg = a->pressed_widget == w ? C_BUTTON_DOWN : a->hot_widget == w ? C_BUTTON_HOT : C_BUTTON;
    draw_rect(d, r->x, r->y, r->w, r->h, 7 * u, bg);
    draw_rect_stroke(d, r->x, r->y, r->w, r->h, 7 * u, 1 * u, accent ? with_alpha(accent, 0.55f) : C_EDGE);
    if (accent)
        draw_rect(d, r->x + (a->bar_level >= 2 ? 6 : 9) * u, r->y + r->h * 0.5f - 3 * u, 6 * u, 6 * u, 3 * u, accent);
    const char *t = button_text(a, w);
    float tw = font_width(&a->font, FONT_BODY, t, strlen(t));
    float tx = r->x + (r->w - tw) * 0.5f + (accent ? 5 * u : 0);
    draw_text_fit(d, FONT_BODY, tx, r->y + (r->h - a->font.height[FONT_BODY]) * 0.5f, r->x + r->w - tx, C_TEXT, t);
}

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
        draw_text_fit(d, FONT_BODY, r->x + 10 * u, ty, inner, C_FAINT, font_width(&a->font, FONT_BODY, "Node id (Enter)", 15) <= inner ? "Node id (Enter)" : "Node id");
        return;
    }
    /* The typed id, then what an input method is composing (accent colour,
     * underlined). Show the end of a long one: that is where typing happens. */
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

float hud_slider_frac(const app_t *a)
{
    /* Signed: a script's `vnodes 2` is below the track and must not wrap. */
    float t = ((float)a->slider - APP_VNODES_MIN) / (APP_VNODES_MAX - APP_VNODES_MIN);
    return t < 0 ? 0 : t > 1 ? 1 : t;
}

static void slider(app_t *a, draw_t *d)
{
    const app_rect_t *r = &a->widgets[APP_W_SLIDER];
    float u = a->hud_u;
    if (r->w <= 0)
        return;
    float ty = r->y + (r->h - a->font.height[FONT_SMALL]) * 0.5f;
    const char *label = slider_label(a);
    float lw = font_width(&a->font, FONT_SMALL, label, strlen(label));
    draw_text(d, FONT_SMALL, r->x - lw - 12 * u, ty, C_DIM, label);
    float t = hud_slider_frac(a);
    float cy = r->y + r->h * 0.5f;
    draw_rect(d, r->x, cy - 2 * u, r->w, 4 * u, 2 * u, 0x2A3244FFu);
    draw_rect(d, r->x, cy - 2 * u, r->w * t, 4 * u, 2 * u, C_ACCENT);
    int steps = (APP_VNODES_MAX - APP_VNODES_MIN) / APP_VNODES_STEP;
    for (int i = 0; i <= steps; i++)
        draw_rect(d, r->x + r->w * i / steps - 0.5f * u, cy + 5 * u, 1 * u, 3 * u, 0, 0xFFFFFF22u);
    float kx = r->x + r->w * t;
    int hot = a->hot_widget == APP_W_SLIDER || a->slider_drag;
    draw_circle(d, kx, cy, (hot ? 8.0f : 7.0f) * u, C_TEXT);
    draw_circle(d, kx, cy, 3 * u, C_ACCENT);
    char v[16];
    snprintf(v, sizeof v, "%u", a->slider);
    uint32_t vc = a->slider != focused(a)->sim.ring.vnodes ? C_REBUILD : C_TEXT;
    draw_text(d, FONT_BODY, r->x + r->w + (a->bar_level >= 2 ? 8 : 12) * u, r->y + (r->h - a->font.height[FONT_BODY]) * 0.5f,
              vc, v);
}

static void bar(app_t *a, draw_t *d)
{
    float u = a->hud_u;
    draw_rect(d, 0, a->bar.y, a->bar.w, a->bar.h, 0, 0x0C1019F2u);
    draw_rect(d, 0, a->bar.y, a->bar.w, 1 * u, 0, C_EDGE);
    text_field(a, d);
    slider(a, d);
    for (int w = APP_W_ADD; w < APP_W_COUNT; w++) {
        if (w == APP_W_SLIDER || (w == APP_W_SESSION && a->panel.w > 0))
            continue; /* the panel draws its own "Save session" */
        uint32_t accent = w == APP_W_ADD ? C_ADD : w == APP_W_REMOVE ? C_REMOVE : 0;
        if (w == APP_W_REBUILD)
            accent = a->slider != focused(a)->sim.ring.vnodes ? C_REBUILD : with_alpha(C_REBUILD, 0.5f);
        button(a, d, w, accent);
    }
}

double hud_drawn_share(const pane_t *p, uint16_t slot)
{
    /* While added embeddings fly in (or a removed node's fly out) the counts
     * are the drawn ones: so is the total. */
    uint64_t total = 0;
    for (uint32_t s = 0; s < p->sim.ring.slot_count && s < RS_MAX_NODES; s++)
        total += p->scene.shown[s];
    return slot < RS_MAX_NODES && total ? (double)p->scene.shown[slot] / (double)total : 0.0;
}

static void format_pct(char *out, size_t n, double f)
{
    snprintf(out, n, "%.1f%%", f * 100.0);
}

/* Text cut to max_w, keeping its start: a helper for composed lines. */
static float fit(app_t *a, draw_t *d, font_size_t fs, float x, float y, float max_w, uint32_t c, const char *t)
{
    (void)a;
    if (max_w <= 0)
        return 0;
    return draw_text_fit(d, fs, x, y, max_w, c, t);
}

/* The counter line of p's last change: "moved k of N (x%)  ·  ideal y%"
 * (k counts up as flights land), "k removed", "k new", or why the pane did
 * not follow. */
void hud_counter_text(const pane_t *p, char *out, size_t n)
{
    const pane_action_t *ac = &p->action;
    if (ac->note[0]) {
        snprintf(out, n, "%s", ac->note);
        return;
    }
    if (!ac->total && !ac->moved) { /* the start: nothing has moved, nothing is new */
        snprintf(out, n, "no change yet");
        return;
    }
    char pct[32], ideal[48] = "";
    uint64_t landed = pane_moved_landed(p);
    format_pct(pct, sizeof pct, (double)landed / (double)(ac->total ? ac->total : 1));
    if (!isnan(ac->ideal)) {
        char ip[32];
        format_pct(ip, sizeof ip, ac->ideal);
        snprintf(ideal, sizeof ideal, "  \xC2\xB7  ideal %s", ip);
    }
    if (ac->counts_up)
        snprintf(out, n, "moved %llu of %llu (%s)%s", (unsigned long long)landed, (unsigned long long)ac->total, pct,
                 ideal);
    else if (ac->shrank)
        snprintf(out, n, "%llu removed", (unsigned long long)ac->moved);
    else
        snprintf(out, n, "%llu new%s", (unsigned long long)ac->moved, app_settled() ? "" : ", flying in");
}

void hud_title_text(const app_t *a, const pane_t *p, int form, char *t, size_t n)
{
    char st[96] = "";
    /* Compare mode: every pane's strategy ("ring vs modulo"). */
    for (int i = 0; i < a->pane_count; i++)
        snprintf(st + strlen(st), sizeof st - strlen(st), "%s%s", i ? " vs " : "",
                 strat_name(a->panes[i].sim.strat.kind));
    /* vnodes/node only where some pane places vnodes: jump, maglev and the
     * others have none, and the figure would claim a structure not there. */
    int vn = 0;
    for (int i = 0; i < a->pane_count; i++)
        vn |= a->panes[i].sim.strat.ops->uses_vnodes;
    unsigned nodes = p->sim.ring.live_count, vnodes = p->sim.ring.vnodes;
    unsigned long long vectors = (unsigned long long)p->sim.store.count;
    int k;
    if (form == 0)
        k = snprintf(t, n, "%s %s  |  nodes=%u  |  vectors=%llu", a->pane_count > 1 ? "Compare" : "Strategy", st,
                     nodes, vectors);
    else if (form == 1)
        k = snprintf(t, n, "%s  \xC2\xB7  nodes=%u  \xC2\xB7  vectors=%llu", st, nodes, vectors);
    else
        k = snprintf(t, n, "%s \xC2\xB7 %u nodes \xC2\xB7 %llu vec", st, nodes, vectors);
    if (vn && k > 0 && (size_t)k < n)
        snprintf(t + k, n - (size_t)k, form == 0 ? "  |  vnodes/node=%u" : form == 1 ? "  \xC2\xB7  vnodes/node=%u" : " \xC2\xB7 %u vn",
                 vnodes);
}

static void title(app_t *a, const pane_t *p, draw_t *d)
{
    float u = a->hud_u, x = (a->bar_level >= 2 ? 12 : 20) * u, y = 14 * u;
    float right = a->panel.w > 0 ? a->panel.x - 8 * u : (float)a->fb_w;
    float maxw = right - x - 12 * u;
    a->title_box.w = right;
    char t[256];
    for (int form = 0; form < 3; form++) {
        hud_title_text(a, p, form, t, sizeof t);
        if (font_width(&a->font, FONT_TITLE, t, strlen(t)) <= maxw)
            break;
    }
    float title_w = fit(a, d, FONT_TITLE, x, y, maxw, C_TEXT, t);
    y += a->font.height[FONT_TITLE] + 4 * u;

    /* Last action: "<what>  |  moved k of N (x%)  ·  ideal y%". A long node
     * id in <what> is elided, the movement figures are kept. */
    const pane_action_t *ac = &p->action;
    char tail[sizeof ac->note + 8] = "";
    if ((ac->total || ac->moved) && a->pane_count == 1) { /* compare mode: each pane's header says it */
        snprintf(tail, sizeof tail, "  |  ");
        hud_counter_text(p, tail + 5, sizeof tail - 5);
    }
    int flying = !app_settled();
    uint32_t c = flying ? 0xFFFFFFFFu : 0xC8D0DEFFu;
    float tw = font_width(&a->font, FONT_LARGE, tail, strlen(tail));
    float hw = font_width(&a->font, FONT_LARGE, ac->text, strlen(ac->text));
    float head_w = fminf(hw, fmaxf(maxw - tw, maxw * 0.35f));
    float used = fit(a, d, FONT_LARGE, x, y, head_w, c, ac->text);
    used += fit(a, d, FONT_LARGE, x + used, y, maxw - used, c, tail);
    /* Node labels keep clear of what was drawn, not of the whole strip. */
    a->title_box.w = fminf(a->title_box.w, x + fmaxf(used, title_w) + 8 * u);
    if (ac->repl) {
        /* Replicas: what the change copied, how long that takes, what a
         * crash lost and what waits for `heal` (red: data lost; amber:
         * under-replicated). */
        char line[256];
        uint32_t rc = hud_repl_line(a, p, line, sizeof line);
        y += a->font.height[FONT_LARGE] + 4 * u;
        float lw = fit(a, d, FONT_BODY, x, y, maxw, rc, line);
        a->title_box.w = fmaxf(a->title_box.w, fminf(right, x + lw + 8 * u));
    }
    a->pause_box = (app_rect_t){0, 0, 0, 0};
    if (a->paused) {
        y += a->font.height[FONT_LARGE] + 8 * u;
        float w = font_width(&a->font, FONT_SMALL, "PAUSED", 6) + 20 * u;
        if (y + a->font.height[FONT_SMALL] + 8 * u < a->bar.y) {
            a->pause_box = (app_rect_t){x, y, w, a->font.height[FONT_SMALL] + 8 * u};
            draw_rect(d, x, y, w, a->font.height[FONT_SMALL] + 8 * u, 5 * u, 0xF5A52433u);
            draw_text(d, FONT_SMALL, x + 10 * u, y + 4 * u, C_REBUILD, "PAUSED");
        }
    }
}

/* "weight 2 · nodeA  [−] [+]": the selected node's weight and its controls
 * (W / Shift+W on the keyboard). */
static void weight_row(app_t *a, const pane_t *p, draw_t *d, float x, float y, float w, float h)
{
    float u = a->hud_u, bw = h + 4 * u;
    a->widgets[APP_W_WEIGHT_PLUS] = (app_rect_t){x + w - bw, y, bw, h};
    a->widgets[APP_W_WEIGHT_MINUS] = (app_rect_t){x + w - 2 * bw - 4 * u, y, bw, h};
    button(a, d, APP_W_WEIGHT_MINUS, 0);
    button(a, d, APP_W_WEIGHT_PLUS, 0);
    /* The selected node's crash (or, none selected, the last crashed
     * node's recovery) next to its weight. */
    if (!hud_touch_layout(a)) {
        const char *ct = hud_repl_crash_text(a);
        float cw = font_width(&a->font, FONT_BODY, ct, strlen(ct)) + 16 * u;
        a->widgets[APP_W_CRASH] = (app_rect_t){x + w - 2 * bw - 8 * u - cw, y, cw, h};
        button(a, d, APP_W_CRASH, 0);
        bw += (cw + 4 * u) * 0.5f; /* the label keeps clear of it */
    }
    char t[NODEID_MAX + 32];
    int sel = p->selected != SCENE_NONE;
    if (sel)
        snprintf(t, sizeof t, "weight %u  \xC2\xB7  %s", p->sim.ring.nodes[p->selected].weight,
                 p->sim.ring.nodes[p->selected].id);
    float room = w - 2 * bw - 12 * u;
    if (!sel) {
        /* Crash and the weight buttons both wait for a selection: say that
         * whole, not cut to "weight: select a n…". */
        static const char *const hint[] = {"weight: select a node", "select a node", "select one"};
        for (size_t i = 0; i < sizeof hint / sizeof hint[0]; i++) {
            snprintf(t, sizeof t, "%s", hint[i]);
            if (font_width(&a->font, FONT_SMALL, t, strlen(t)) <= room)
                break;
        }
    }
    fit(a, d, FONT_SMALL, x, y + (h - a->font.height[FONT_SMALL]) * 0.5f, room, sel ? C_TEXT : C_DIM, t);
}

/* Under `bounded`, the keys node `slot` may hold; 0 under other strategies. */
static uint64_t bounded_cap(const pane_t *p, uint16_t slot)
{
    if (p->sim.strat.kind != STRAT_BOUNDED)
        return 0;
    return strat_bounded_capacity(p->sim.strat.params.balance, p->sim.store.count, p->sim.ring.nodes[slot].weight,
                                  p->sim.ring.weight_sum);
}

/* Replicas -/+ at the left, Heal at the right. */
static void repl_row(app_t *a, const pane_t *p, draw_t *d, float x, float y, float w, float h)
{
    float u = a->hud_u, bw = h + 4 * u;
    float heal_w = font_width(&a->font, FONT_BODY, "Heal", 4) + 30 * u; /* text, padding and the accent dot */
    a->widgets[APP_W_HEAL] = (app_rect_t){x + w - heal_w, y, heal_w, h};
    uint32_t r = p->sim.repl.on ? p->sim.repl.replicas : 1u;
    char t[32];
    snprintf(t, sizeof t, "replicas %u", r);
    float tw = font_width(&a->font, FONT_SMALL, t, strlen(t));
    if (tw + 2 * bw + 24 * u > w - heal_w) { /* a narrow panel */
        snprintf(t, sizeof t, "R %u", r);
        tw = font_width(&a->font, FONT_SMALL, t, strlen(t));
    }
    float bx = x + tw + 8 * u;
    a->widgets[APP_W_REPL_MINUS] = (app_rect_t){bx, y, bw, h};
    a->widgets[APP_W_REPL_PLUS] = (app_rect_t){bx + bw + 4 * u, y, bw, h};
    fit(a, d, FONT_SMALL, x, y + (h - a->font.height[FONT_SMALL]) * 0.5f, tw + 1, C_TEXT, t);
    button(a, d, APP_W_REPL_MINUS, 0);
    button(a, d, APP_W_REPL_PLUS, 0);
    button(a, d, APP_W_HEAL, C_ADD);
}

/* The panel's size line names the strategy's own structure: ring points
 * (vnodes, or ketama's and multiprobe's own), maglev's table cells, jump's
 * and modulo's buckets; rendezvous keeps none (one score per node a key). */
const char *hud_structure_size(const pane_t *p, uint64_t *size)
{
    const strat_t *s = &p->sim.strat;
    if (s->ops->uses_vnodes) {
        *size = p->sim.ring.count;
        return "ring points";
    }
    const strat_points_t *pts = place_points(s);
    if (pts) {
        *size = pts->count;
        return "ring points";
    }
    *size = place_cells(s, &p->sim.nodes);
    if (s->kind == STRAT_MAGLEV)
        return "table cells";
    if (*size)
        return "buckets";
    *size = p->sim.ring.live_count;
    return "scores/key";
}

static void panel(app_t *a, const pane_t *p, draw_t *d, app_rect_t box)
{
    if (box.w <= 0)
        return;
    int compact = a->panel_compact;
    float u = a->hud_u, x = box.x, y = box.y, w = box.w;
    float row_h = (compact ? 19 : 22) * u, pad = (compact ? 12 : 16) * u;
    float lh = (float)a->font.height[FONT_SMALL];
    int stat_lines = compact ? 3 : 5;
    float btn_h = a->look == APP_LOOK_FULL ? (compact ? 24 : 28) * u : 0; /* "Save session" */
    /* Under the figures: the selected node's weight row, the replication
     * row (replicas, crash or recover, heal), then "Save session". */
    int repl_here = !hud_touch_layout(a); /* touch: on the bar */
    float stats_h = stat_lines * (lh + 6 * u) + 12 * u + (btn_h > 0 ? (2 + repl_here) * btn_h + (20 + 8 * repl_here) * u : 0);
    a->widgets[APP_W_SESSION] = a->widgets[APP_W_WEIGHT_MINUS] = a->widgets[APP_W_WEIGHT_PLUS] =
        (app_rect_t){0, 0, 0, 0};
    if (repl_here)
        a->widgets[APP_W_REPL_MINUS] = a->widgets[APP_W_REPL_PLUS] = a->widgets[APP_W_CRASH] =
            a->widgets[APP_W_HEAL] = (app_rect_t){0, 0, 0, 0};
    float head_h = lh + (compact ? 10 : 14) * u;
    uint32_t n = p->sorted_count;
    /* Too short for even one row and the figures: keep the bars, drop the
     * figures; too short for that: fold the panel away. */
    if (box.h < pad * 2 + head_h + 2 * row_h + stats_h)
        stat_lines = 0, stats_h = 0;
    if (box.h < pad * 2 + head_h + 2 * row_h)
        return;
    float avail = box.h - pad * 2 - head_h - stats_h;
    uint32_t max_rows = avail > row_h ? (uint32_t)(avail / row_h) : 0;
    /* Rows shown: a window of the id-sorted list (the wheel scrolls it) and
     * a summary line for the rest. The selected node is kept in view. */
    uint32_t rows = n <= max_rows ? n : (max_rows > 1 ? max_rows - 1 : 0);
    uint32_t first = n > rows ? a->panel_scroll : 0;
    if (first > n - rows)
        first = n - rows;
    if (n > rows && p->selected != SCENE_NONE) {
        for (uint32_t i = 0; i < n; i++)
            if (p->sorted[i] == p->selected && (i < first || i >= first + rows) && rows)
                first = i + 1 >= rows ? i + 1 - rows : 0;
    }
    a->panel_scroll = first;
    float h = pad * 2 + head_h + (float)(rows + (rows < n) + (n == 0)) * row_h + stats_h;
    if (h > box.h)
        h = box.h;
    panel_box(d, x, y, w, h, u);
    if (stat_lines && btn_h > 0) {
        a->widgets[APP_W_SESSION] = (app_rect_t){x + pad, y + h - pad - btn_h, w - 2 * pad, btn_h};
        button(a, d, APP_W_SESSION, 0);
        if (repl_here)
            repl_row(a, p, d, x + pad, y + h - pad - 2 * btn_h - 8 * u, w - 2 * pad, btn_h);
        weight_row(a, p, d, x + pad, y + h - pad - (2 + repl_here) * btn_h - (8 + 8 * repl_here) * u, w - 2 * pad,
                   btn_h);
    }
    float cy = y + pad;
    char headline[64];
    snprintf(headline, sizeof headline, "%s%s%s", compact ? "SHARDS" : "SHARD DISTRIBUTION",
             a->pane_count > 1 ? "  \xC2\xB7  " : "", a->pane_count > 1 ? strat_name(p->sim.strat.kind) : "");
    fit(a, d, FONT_SMALL, x + pad, cy, w - 2 * pad, C_DIM, headline);
    cy += head_h;
    uint64_t maxc = 1;
    for (uint32_t i = 0; i < n; i++) {
        if (p->scene.shown[p->sorted[i]] > maxc)
            maxc = p->scene.shown[p->sorted[i]];
        if (bounded_cap(p, p->sorted[i]) > maxc) /* the capacity lines fit on the bars */
            maxc = bounded_cap(p, p->sorted[i]);
    }

    float id_w = (compact ? 58 : 70) * u, num_w = (compact ? 44 : 112) * u;
    float bar_x = x + pad + 14 * u + id_w + 6 * u, bar_w = w - (bar_x - x) - num_w - pad;
    if (bar_w < 10 * u)
        bar_w = 10 * u;
    for (uint32_t r = 0; r < rows; r++) {
        uint16_t s = p->sorted[first + r];
        uint64_t c = p->scene.shown[s]; /* as drawn: agrees with the flights */
        int sel = s == p->selected;
        if (sel)
            draw_rect(d, x + 6 * u, cy - 3 * u, w - 12 * u, row_h - 2 * u, 5 * u, 0xFFFFFF10u);
        float ty = cy + (row_h - 4 * u - lh) * 0.5f;
        draw_circle(d, x + pad + 4 * u, ty + lh * 0.5f, 4 * u, node_rgba(p, s, 1));
        draw_text_fit(d, FONT_SMALL, x + pad + 14 * u, ty, id_w, sel ? 0xFFFFFFFFu : C_TEXT, p->sim.ring.nodes[s].id);
        float by = ty + lh * 0.5f - 4 * u;
        draw_rect(d, bar_x, by, bar_w, 8 * u, 3 * u, 0x1E2536FFu);
        draw_rect(d, bar_x, by, bar_w * (float)c / (float)maxc, 8 * u, 3 * u, node_rgba(p, s, sel ? 1.0f : 0.85f));
        if (p->stats.mean > 0) {
            float mx = bar_x + bar_w * (float)(p->stats.mean / (double)maxc);
            if (mx <= bar_x + bar_w)
                draw_rect(d, mx - 0.5f * u, by - 2 * u, 1 * u, 12 * u, 0, 0xFFFFFF66u);
        }
        if (p->sim.strat.kind == STRAT_BOUNDED) {
            /* The node's capacity: no bar passes it (amber, past the mean's white). */
            float cx = bar_x + bar_w * (float)((double)bounded_cap(p, s) / (double)maxc);
            if (cx <= bar_x + bar_w + 0.5f)
                draw_rect(d, cx - 1 * u, by - 3 * u, 2 * u, 14 * u, 0, C_REBUILD);
        }
        char num[48], pct[16];
        format_pct(pct, sizeof pct, hud_drawn_share(p, s));
        float pw = font_width(&a->font, FONT_SMALL, pct, strlen(pct));
        if (!compact) {
            snprintf(num, sizeof num, "%llu", (unsigned long long)c);
            float nw = font_width(&a->font, FONT_SMALL, num, strlen(num));
            draw_text(d, FONT_SMALL, bar_x + bar_w + 8 * u + 52 * u - nw, ty, C_TEXT, num);
        }
        draw_text(d, FONT_SMALL, x + w - pad - pw, ty, C_DIM, pct);
        cy += row_h;
    }
    if (rows < n) {
        char more[96];
        if (first)
            snprintf(more, sizeof more, "%u above, +%u more (wheel)", first, n - rows - first);
        else
            snprintf(more, sizeof more, "+%u more nodes%s", n - rows, compact ? "" : " (wheel scrolls)");
        fit(a, d, FONT_SMALL, x + pad + 14 * u, cy + 2 * u, w - 2 * pad - 14 * u, C_DIM, more);
        cy += row_h;
    }
    if (!n) {
        fit(a, d, FONT_SMALL, x + pad, cy, w - 2 * pad, C_DIM,
            compact ? "No nodes" : "No nodes: every key is unassigned");
        cy += row_h;
    }
    if (!stat_lines)
        return;
    cy += 6 * u;
    draw_rect(d, x + pad, cy, w - 2 * pad, 1 * u, 0, C_EDGE);
    cy += 10 * u;
    char l[128];
    /* The statistics of the counts as drawn, so they move with the bars
     * while flights land and equal the simulation's at rest. */
    sim_stats_t shown;
    sim_stats_of(&p->sim.ring, p->scene.shown, p->stats.keys, p->stats.unassigned, &shown);
    const sim_stats_t *st = &shown;
    float cw = w - 2 * pad;
    if (compact) {
        snprintf(l, sizeof l, "max/mean  %.3f", st->max_over_mean);
        fit(a, d, FONT_SMALL, x + pad, cy, cw, C_TEXT, l);
        cy += lh + 6 * u;
        snprintf(l, sizeof l, "std/mean  %.3f", st->std_over_mean);
        fit(a, d, FONT_SMALL, x + pad, cy, cw, C_TEXT, l);
        cy += lh + 6 * u;
        snprintf(l, sizeof l, "min %llu  max %llu", (unsigned long long)st->min, (unsigned long long)st->max);
        fit(a, d, FONT_SMALL, x + pad, cy, cw, C_DIM, l);
        return;
    }
    float col2 = x + w * 0.5f + 4 * u, c1w = col2 - x - pad - 6 * u, c2w = x + w - pad - col2;
    snprintf(l, sizeof l, "max/mean  %.3f", st->max_over_mean);
    fit(a, d, FONT_SMALL, x + pad, cy, c1w, C_TEXT, l);
    snprintf(l, sizeof l, "std/mean  %.3f", st->std_over_mean);
    fit(a, d, FONT_SMALL, col2, cy, c2w, C_TEXT, l);
    cy += lh + 6 * u;
    snprintf(l, sizeof l, "mean  %.1f", st->mean);
    fit(a, d, FONT_SMALL, x + pad, cy, c1w, C_DIM, l);
    snprintf(l, sizeof l, "min %llu  max %llu", (unsigned long long)st->min, (unsigned long long)st->max);
    if (font_width(&a->font, FONT_SMALL, l, strlen(l)) > c2w)
        snprintf(l, sizeof l, "%llu\xE2\x80\xA6%llu", (unsigned long long)st->min, (unsigned long long)st->max);
    fit(a, d, FONT_SMALL, col2, cy, c2w, C_DIM, l);
    cy += lh + 6 * u;
    char count[32];
    uint64_t size;
    const char *what = hud_structure_size(p, &size);
    hud_count_text(size, count, sizeof count);
    snprintf(l, sizeof l, "%s  %s", what, count);
    fit(a, d, FONT_SMALL, x + pad, cy, c1w, C_DIM, l);
    snprintf(l, sizeof l, "unassigned  %llu", (unsigned long long)st->unassigned);
    fit(a, d, FONT_SMALL, col2, cy, c2w, C_DIM, l);
    cy += lh + 6 * u;
    snprintf(l, sizeof l, "zoom  %.3g\xC3\x97", p->view.zoom);
    fit(a, d, FONT_SMALL, x + pad, cy, c1w, C_DIM, l);
    fit(a, d, FONT_SMALL, col2, cy, c2w, C_DIM, a->fps_text);
}

/* Compare mode: the last change per strategy, one row each (moved %,
 * ideal %, max/mean, std/mean), at the top of the panel; its height. */
static float compare_table(app_t *a, draw_t *d)
{
    if (a->panel.w <= 0)
        return 0;
    int compact = a->panel_compact;
    float u = a->hud_u, pad = (compact ? 12 : 16) * u, x = a->panel.x, y = a->panel.y, w = a->panel.w;
    float lh = (float)a->font.height[FONT_SMALL], row = lh + 7 * u;
    float h = pad * 2 + row * (float)(a->pane_count + 2) + 4 * u;
    panel_box(d, x, y, w, h, u);
    /* Columns: the name, then the figures (a narrow panel keeps moved and
     * max/mean) in equal widths. */
    static const int wide[] = {1, 2, 3, 4}, narrow[] = {1, 3};
    const int *shown = compact ? narrow : wide;
    int nf = compact ? 2 : 4;
    float fw = (w - 2 * pad) * (compact ? 0.3f : 0.19f), c0 = x + w - pad - (float)nf * fw;
    static const char *const head[5] = {"", "moved", "ideal", "max/m", "std/m"};
    float cy = y + pad;
    /* The longer heading only where it fits whole (never "std/m…"). */
    const char *heading = "LAST CHANGE  \xC2\xB7  load: max/mean, std/mean";
    if (compact || font_width(&a->font, FONT_SMALL, heading, strlen(heading)) > w - 2 * pad)
        heading = "LAST CHANGE";
    fit(a, d, FONT_SMALL, x + pad, cy, w - 2 * pad, C_DIM, heading);
    cy += row;
    for (int c = 0; c < nf; c++)
        fit(a, d, FONT_SMALL, c0 + (float)c * fw, cy, fw - 4 * u, C_DIM, head[shown[c]]);
    cy += row + 4 * u;
    for (int i = 0; i < a->pane_count; i++) {
        const pane_t *p = &a->panes[i];
        const pane_action_t *ac = &p->action;
        char t[5][48];
        snprintf(t[0], sizeof t[0], "%s", strat_name(p->sim.strat.kind));
        if (ac->note[0] || !(ac->total || ac->moved) || !ac->counts_up)
            snprintf(t[1], sizeof t[1], "\xE2\x80\x94");
        else
            format_pct(t[1], sizeof t[1], (double)pane_moved_landed(p) / (double)(ac->total ? ac->total : 1));
        if (isnan(ac->ideal))
            snprintf(t[2], sizeof t[2], "\xE2\x80\x94");
        else
            format_pct(t[2], sizeof t[2], ac->ideal);
        snprintf(t[3], sizeof t[3], "%.3f", p->stats.max_over_mean);
        snprintf(t[4], sizeof t[4], "%.3f", p->stats.std_over_mean);
        int focus = p == focused(a) && a->look == APP_LOOK_FULL;
        if (focus)
            draw_rect(d, x + 6 * u, cy - 3 * u, w - 12 * u, row, 5 * u, 0xFFFFFF10u);
        fit(a, d, FONT_SMALL, x + pad, cy, c0 - x - pad - 4 * u, focus ? C_ACCENT : C_TEXT, t[0]);
        for (int c = 0; c < nf; c++)
            fit(a, d, FONT_SMALL, c0 + (float)c * fw, cy, fw - 4 * u,
                ac->note[0] && shown[c] == 1 ? C_REBUILD : C_TEXT, t[shown[c]]);
        cy += row;
    }
    return h + 8 * u;
}

void hud_count_text(uint64_t n, char *out, size_t out_size)
{
    if (n >= 1000000) {
        snprintf(out, out_size, "%.2fM", (double)n / 1e6);
    } else if (n >= 100000) {
        snprintf(out, out_size, "%.0fk", (double)n / 1e3);
    } else if (n >= 1000) {
        snprintf(out, out_size, "%llu,%03llu", (unsigned long long)(n / 1000), (unsigned long long)(n % 1000));
    } else {
        snprintf(out, out_size, "%llu", (unsigned long long)n);
    }
}

static const pane_t *label_pane;

/* Label priority: selected, hovered, then more keys first, then id order. */
static int label_cmp(const void *pa, const void *pb)
{
    uint16_t x = *(const uint16_t *)pa, y = *(const uint16_t *)pb;
    const pane_t *p = label_pane;
    int px = (x == p->selected) * 2 + (x == p->hover_node), py = (y == p->selected) * 2 + (y == p->hover_node);
    if (px != py)
        return py - px;
    uint64_t cx = p->scene.shown[x], cy = p->scene.shown[y];
    if (cx != cy)
        return cx > cy ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int overlaps(const app_rect_t *r, const app_rect_t *o)
{
    return o->w > 0 && r->x < o->x + o->w && o->x < r->x + r->w && r->y < o->y + o->h && o->y < r->y + r->h;
}

static int caption_now(app_t *a, const char **text, float *alpha, app_rect_t *box);

#define LABEL_MANY 64  /* beyond this many nodes only the biggest few get labels */
#define LABEL_FEW 8

/* Node labels: id, keys/vnodes, share. Placed greedily by priority; a label
 * that would overlap one already placed, the title, the panel or the bar
 * drops to its id alone, and then is left out (selected and hovered nodes
 * are placed first, so theirs always shows). Kept inside the frame. */
static void node_labels(app_t *a, const pane_t *p, draw_t *d)
{
    static uint16_t order[RS_MAX_NODES];
    static app_rect_t placed[LABEL_MANY + 4];
    float u = a->hud_u, W = (float)a->fb_w;
    uint32_t n = p->sorted_count, m = 0;
    if (!n)
        return;
    memcpy(order, p->sorted, n * sizeof *order);
    label_pane = p;
    qsort(order, n, sizeof *order, label_cmp);
    uint32_t limit = n > LABEL_MANY ? LABEL_FEW : n;
    double cx, cy;
    view_world_to_px(&p->view, 0, 0, &cx, &cy);
    double cloud_px = p->params.cloud_r * p->view.scale;
    float lh1 = (float)a->font.height[FONT_BODY], lh2 = (float)a->font.height[FONT_SMALL];
    float top = a->title_box.h, bottom = a->bar.y - 2 * u;
    /* Labels stay in the frame; in compare mode in their pane's cell. */
    float lo_x = 0, lo_y = 0;
    if (a->pane_count > 1) {
        lo_x = p->cell[0];
        lo_y = p->view.area_y - 20 * u; /* under the pane's header */
        W = p->cell[0] + p->cell[2];
        bottom = fminf(bottom, p->cell[1] + p->cell[3] - 2 * u);
    }
    if (a->bar_level < 3 && a->look == APP_LOOK_FULL) /* the "H: help" hint above the bar */
        placed[m++] = (app_rect_t){0, a->bar.y - lh2 - 14 * u, 80 * u, lh2 + 8 * u};
    const char *cap_text;
    float cap_alpha;
    if (caption_now(a, &cap_text, &cap_alpha, &placed[m])) /* labels keep clear of the caption */
        m++;
    hud_legend_box(a, p, &placed[m]); /* and of the strategy's legend */
    if (placed[m].w > 0)
        m++;
    if (a->pause_box.w > 0) /* and of the PAUSED box */
        placed[m++] = a->pause_box;
    for (uint32_t i = 0; i < n && m < limit + 3; i++) {
        uint16_t s = order[i];
        int sel = s == p->selected, hot = s == p->hover_node;
        if (i >= limit && !sel && !hot)
            break;
        double nx, ny;
        pane_node_px(p, s, (float)a->clock, &nx, &ny);
        if (nx < -cloud_px || nx > W + cloud_px || ny < -cloud_px || ny > a->fb_h + cloud_px)
            continue; /* off screen (zoomed in) */
        double dx = nx - cx, dy = ny - cy, len = hypot(dx, dy);
        if (len < 1e-9) {
            dx = 0;
            dy = 1;
        } else {
            dx /= len;
            dy /= len;
        }
        double ax = nx + dx * (cloud_px + 6 * u), ay = ny + dy * (cloud_px + 6 * u);
        const ring_node_t *nd = &p->sim.ring.nodes[s];
        char l2[96], l3[64 + RS_MAX_ZONE_NAME];
        if (nd->weight != 1)
            snprintf(l2, sizeof l2, "keys=%llu  weight=%u", (unsigned long long)p->scene.shown[s], nd->weight);
        else if (p->sim.strat.ops->uses_vnodes)
            snprintf(l2, sizeof l2, "keys=%llu  vnodes=%u", (unsigned long long)p->scene.shown[s], p->sim.ring.vnodes);
        else
            snprintf(l2, sizeof l2, "keys=%llu", (unsigned long long)p->scene.shown[s]);
        /* Ring strategies: the node's share of the ring; the others have no
         * arcs, so their share is of the keys. */
        double share = p->sim.strat.ops->uses_vnodes
                           ? p->share[s]
                           : (double)p->scene.shown[s] / (double)(p->sim.store.count ? p->sim.store.count : 1);
        const char *zone = repl_zone_of(&p->sim.repl, nd->id);
        if (zone)
            snprintf(l3, sizeof l3, "share=%.1f%%  zone %s", share * 100.0, zone);
        else
            snprintf(l3, sizeof l3, "share=%.1f%%", share * 100.0);
        float maxw = (float)fmin(170 * u, fmax(60 * u, 2 * cloud_px + 40 * u));
        maxw = fminf(maxw, W - 8 * u);
        float w1 = fminf(font_width(&a->font, FONT_BODY, nd->id, nd->id_len), maxw);
        float w2 = fminf(font_width(&a->font, FONT_SMALL, l2, strlen(l2)), W - 8 * u);
        float hx = dx > 0.35 ? 0.0f : dx < -0.35 ? 1.0f : 0.5f, hy = dy > 0.35 ? 0.0f : dy < -0.35 ? 1.0f : 0.5f;
        /* Full (three lines), then the id alone. */
        int full = (n <= 24 && p->view.scale >= (a->pane_count > 2 ? 110 : 50) * u) || sel || hot;
        app_rect_t box = {0, 0, 0, 0};
        int ok = 0;
        for (int tries = full ? 0 : 1; tries < 2 && !ok; tries++) {
            int compact = tries == 1;
            float bw = compact ? w1 : fmaxf(w1, w2), bh = compact ? lh1 : lh1 + 2 * lh2;
            box = (app_rect_t){(float)ax - bw * hx, (float)ay - bh * hy, bw, bh};
            /* Slide inside the frame (between the title and the bar). */
            if (box.x < lo_x + 4 * u) box.x = lo_x + 4 * u;
            if (box.x + box.w > W - 4 * u) box.x = W - 4 * u - box.w;
            if (box.y + box.h > bottom) box.y = bottom - box.h;
            if (box.y < lo_y + 4 * u) box.y = lo_y + 4 * u;
            float slid = fabsf(box.x - ((float)ax - bw * hx)) + fabsf(box.y - ((float)ay - bh * hy));
            app_rect_t pad = {box.x - 4 * u, box.y - 2 * u, box.w + 8 * u, box.h + 4 * u};
            /* Pushed far from its node (over the cloud): not this form. */
            ok = box.y + box.h <= bottom + 0.5f && slid <= 0.6f * lh1;
            for (uint32_t k = 0; ok && k < m; k++)
                ok = !overlaps(&pad, &placed[k]);
            if (ok && !sel && !hot)
                ok = !overlaps(&pad, &a->panel) && !(pad.y < top && overlaps(&pad, &a->title_box));
            if (ok || sel || hot) {
                ok = 1;
                full = !compact;
            }
        }
        if (!ok)
            continue;
        placed[m++] = box;
        float bx = box.x, by = box.y, bw = box.w, bh = box.h;
        if (sel || hot)
            draw_rect(d, bx - 8 * u, by - 5 * u, bw + 16 * u, bh + 10 * u, 7 * u, sel ? 0x1A2233E6u : 0x141A27CCu);
        if (sel)
            draw_rect_stroke(d, bx - 8 * u, by - 5 * u, bw + 16 * u, bh + 10 * u, 7 * u, 1 * u, node_rgba(p, s, 0.7f));
        draw_text_fit(d, FONT_BODY, bx + (bw - w1) * hx, by, maxw, node_rgba(p, s, 1), nd->id);
        if (!full)
            continue;
        draw_text_fit(d, FONT_SMALL, bx + (bw - w2) * hx, by + lh1, w2 + 1, C_TEXT, l2);
        float w3 = font_width(&a->font, FONT_SMALL, l3, strlen(l3));
        draw_text(d, FONT_SMALL, bx + (bw - w3) * hx, by + lh1 + lh2, C_DIM, l3);
    }
}

static void hover_card(app_t *a, const pane_t *p, draw_t *d)
{
    if (!p->hover.active || p->hover.slot >= p->sim.ring.slot_count || !p->sim.ring.nodes[p->hover.slot].live)
        return;
    float u = a->hud_u;
    const pane_hover_t *h = &p->hover;
    draw_ring(d, h->px, h->py, 7 * u, 1.5f * u, 0xFFFFFFDDu);
    char l1[NODEID_MAX + 32], l2[64], l3[96];
    snprintf(l1, sizeof l1, "%s  \xC2\xB7  vnode %u", p->sim.ring.nodes[h->slot].id, h->vnode);
    snprintf(l2, sizeof l2, "hash  0x%016llx", (unsigned long long)h->pos);
    snprintf(l3, sizeof l3, "arc  %.4f%% of ring  \xC2\xB7  node share %.1f%%", h->arc * 100.0, p->share[h->slot] * 100.0);
    float lh = (float)a->font.height[FONT_SMALL];
    float w = fmaxf(fminf(font_width(&a->font, FONT_SMALL, l1, strlen(l1)), 260 * u),
                    fmaxf(font_width(&a->font, FONT_SMALL, l2, strlen(l2)), font_width(&a->font, FONT_SMALL, l3, strlen(l3))));
    w = fminf(w, (float)a->fb_w - 40 * u);
    float bw = w + 24 * u, bh = 3 * lh + 22 * u;
    float x = h->px + 16 * u, y = h->py + 12 * u;
    if (x + bw > a->fb_w - 8 * u)
        x = h->px - 16 * u - bw;
    if (y + bh > a->bar.y - 8 * u)
        y = h->py - 12 * u - bh;
    /* Never off the frame, however small. */
    x = fmaxf(4 * u, fminf(x, (float)a->fb_w - 4 * u - bw));
    y = fmaxf(4 * u, y);
    panel_box(d, x, y, bw, bh, u);
    draw_rect(d, x, y + 10 * u, 3 * u, bh - 20 * u, 1.5f * u, node_rgba(p, h->slot, 1));
    draw_text_fit(d, FONT_SMALL, x + 12 * u, y + 9 * u, w + 1, C_TEXT, l1);
    draw_text_fit(d, FONT_SMALL, x + 12 * u, y + 9 * u + lh + 2 * u, w + 1, C_DIM, l2);
    draw_text_fit(d, FONT_SMALL, x + 12 * u, y + 9 * u + 2 * lh + 4 * u, w + 1, C_DIM, l3);
}

static void toast_line(app_t *a, draw_t *d)
{
    if (!a->toast[0])
        return;
    float age = (float)a->clock - a->toast_t;
    if (a->paused)
        age = 0.5f;
    float alpha = age < APP_TOAST_HOLD ? 1.0f : 1.0f - (age - APP_TOAST_HOLD) / APP_TOAST_FADE;
    if (alpha <= 0 || age < -1)
        return;
    float u = a->hud_u;
    float maxw = (float)a->fb_w - 80 * u;
    float w = fminf(font_width(&a->font, FONT_BODY, a->toast, strlen(a->toast)), maxw) + 28 * u;
    float h = a->font.height[FONT_BODY] + 14 * u;
    float x = ((float)a->fb_w - w) * 0.5f, y = a->bar.y - h - 14 * u;
    draw_rect(d, x, y, w, h, h * 0.5f, with_alpha(a->toast_error ? 0x3A1A20F0u : 0x1A2A22F0u, alpha));
    draw_rect_stroke(d, x, y, w, h, h * 0.5f, 1 * u, with_alpha(a->toast_error ? C_REMOVE : C_ADD, 0.6f * alpha));
    draw_text_fit(d, FONT_BODY, x + 14 * u, y + 7 * u, maxw, with_alpha(C_TEXT, alpha), a->toast);
}

/* The browser records WebM (MediaRecorder) and a page cannot close itself. */
#ifdef __EMSCRIPTEN__
#define HUD_VIDEO_EXT ".webm"
#define HUD_ESC_DOES "Close the help, or leave the node-id field"
#else
#define HUD_VIDEO_EXT ".mp4"
#define HUD_ESC_DOES "Close the help, or quit"
#endif

/* The help overlay's lines: key (or gesture) and what it does; {"", ""}
 * separates the keys from the mouse lines. */
static const char *const help_keys[][2] = {
    {"A", "Add node: the typed id, or the next free nodeF, nodeG, \xE2\x80\xA6"},
    {"Delete / Backspace", "Remove the selected node (or the typed id)"},
    {"Enter", "Type a node id (Enter again adds it, Esc leaves the field)"},
    {"[  /  ]", "VNodes/node \xE2\x88\x92" "20 / +20 and rebuild the ring"},
    {"V  /  Shift+V", "Add / remove 1000 vectors"},
    {"1 \xE2\x80\xA6 8", "Strategy: ring, modulo, jump, rendezvous, maglev, bounded, multiprobe, ketama"},
    {"C  /  Shift+C", "Compare strategies side by side / one more (1 \xE2\x80\xA6 8: the pane under the pointer)"},
    {"W  /  Shift+W", "Weight of the selected node +1 / \xE2\x88\x92" "1"},
    {"R  /  Shift+R", "Replicas +1 / \xE2\x88\x92" "1 (copies of every key, 1 \xE2\x80\xA6 8)"},
    {"X", "Crash the selected node (none selected: recover the last crashed)"},
    {"E", "Heal: copy each missing replica from a surviving one"},
    {"T  /  Shift+T", "Real time: flights last the transfer time, slowed (Shift+T: next scale)"},
    {"Tab  /  Shift+Tab", "Select the next / previous node"},
    {"Space", "Pause / resume the animation"},
    {"S", "Save a PNG screenshot (timestamped)"},
    {"Ctrl+S", "Save the session as a replayable script (ringscope-session-\xE2\x80\xA6.txt)"},
    {"F9", "Record the screen to a video / stop (ringscope-\xE2\x80\xA6" HUD_VIDEO_EXT ")"},
    {"+  \xE2\x88\x92  arrows  0", "Zoom, pan, reset the view"},
    {"H  /  F1", "This help"},
    {"Esc", HUD_ESC_DOES},
    {"", ""},
    {"Click a node", "Select it (again, or empty space: clear)"},
    {"Hover a ring point", "Its node, vnode index, hash and arc"},
    {"Hover near the ring", "multiprobe: the key's probe fan; rendezvous: its scores"},
    {"Wheel  /  drag", "Zoom around the cursor / pan"},
    {"Double-click", "Reset the view"},
    {"Buttons below", "Every action above, by mouse"},
};
static const char *const help_touch[][2] = {
    {"Tap a node", "Select it (again, or empty space: clear)"},
    {"Tap a button", "Every action above, by finger"},
    {"Pinch", "Zoom around the fingers"},
    {"Drag (one or two fingers)", "Pan the view"},
    {"Double-tap", "Reset the view"},
};

const char *const *hud_help_line(int touch, size_t i)
{
    if (touch)
        return i < sizeof help_touch / sizeof help_touch[0] ? help_touch[i] : NULL;
    return i < sizeof help_keys / sizeof help_keys[0] ? help_keys[i] : NULL;
}

static void help(app_t *a, draw_t *d)
{
    /* On a touch screen the touch lines come first (a short screen cuts
     * the list's end) and replace the mouse ones; the keys follow, for an
     * attached keyboard. */
    const char *const(*all)[2] = help_keys;
    size_t n = sizeof help_keys / sizeof help_keys[0];
    const char *shown[sizeof help_keys / sizeof help_keys[0] + 8][2];
    if (hud_touch_layout(a)) {
        size_t keys = n - 6, t = sizeof help_touch / sizeof help_touch[0];
        for (size_t i = 0; i < t; i++)
            shown[i][0] = help_touch[i][0], shown[i][1] = help_touch[i][1];
        shown[t][0] = shown[t][1] = "";
        for (size_t i = 0; i < keys; i++)
            shown[t + 1 + i][0] = help_keys[i][0], shown[t + 1 + i][1] = help_keys[i][1];
        n = t + 1 + keys;
        all = (const char *const(*)[2])shown;
    }
    float u = a->hud_u;
    /* The body size where every line fits, else the small one; a frame too
     * short even for that shows the lines that fit and says so. */
    font_size_t fs = FONT_BODY;
    float lh = 0, kw = 0, vw = 0, eh = 0;
    int stack = 0;
    size_t fits = 0;
    for (int pass = 0; pass < 2; pass++) {
        fs = pass ? FONT_SMALL : FONT_BODY;
        lh = a->font.height[fs] + 6 * u;
        kw = vw = 0;
        for (size_t i = 0; i < n; i++) {
            kw = fmaxf(kw, font_width(&a->font, fs, all[i][0], strlen(all[i][0])));
            vw = fmaxf(vw, font_width(&a->font, fs, all[i][1], strlen(all[i][1])));
        }
        /* Too narrow for key and text side by side (a phone upright): the
         * text goes under its key. */
        stack = kw + vw + 88 * u > (float)a->fb_w - 16 * u;
        eh = stack ? 2 * lh : lh;
        fits = (size_t)fmaxf(0, ((float)a->fb_h - 16 * u - 90 * u) / eh);
        if (fits >= n)
            break;
    }
    int cut = fits < n;
    a->help_cut = cut;
    if (cut)
        n = fits > 1 ? fits - 1 : 0;
    float inner = stack ? fmaxf(kw, vw) : kw + vw + 32 * u;
    float w = fminf(inner + 56 * u, (float)a->fb_w - 16 * u), h = fminf(n * eh + 90 * u + (cut ? lh : 0), (float)a->fb_h - 16 * u);
    float x = ((float)a->fb_w - w) * 0.5f, y = fmaxf(8 * u, ((float)a->fb_h - h) * 0.5f);
    float pad = w < 300 * u ? 14 * u : 28 * u;
    draw_rect(d, 0, 0, (float)a->fb_w, (float)a->fb_h, 0, 0x05070BA6u);
    panel_box(d, x, y, w, h, u);
    draw_text(d, FONT_TITLE, x + pad, y + 20 * u, C_TEXT, "Controls");
    float ty = y + 30 * u + a->font.height[FONT_TITLE];
    for (size_t i = 0; i < n; i++) {
        if (stack) {
            draw_text_fit(d, fs, x + pad, ty, w - 2 * pad, C_ACCENT, all[i][0]);
            draw_text_fit(d, fs, x + pad + 12 * u, ty + lh, w - 2 * pad - 12 * u, C_TEXT, all[i][1]);
        } else {
            draw_text_fit(d, fs, x + pad, ty, kw + 4 * u, C_ACCENT, all[i][0]);
            draw_text_fit(d, fs, x + pad + kw + 32 * u, ty, w - kw - 2 * pad - 14 * u, C_TEXT, all[i][1]);
        }
        ty += eh;
    }
    if (cut)
        draw_text_fit(d, fs, x + pad, ty, w - 2 * pad, C_DIM, "\xE2\x80\xA6 a larger window shows every key");
    draw_text_fit(d, FONT_SMALL, x + pad, y + h - 26 * u, w - 2 * pad, C_DIM,
                  hud_touch_layout(a) ? "A tap closes this overlay" : "Esc, H or a click closes this overlay");
}

/* The script's lower-third caption now: its text, alpha and box (fading
 * in; the one it replaced fades out first). 0 when none shows. */
static int caption_now(app_t *a, const char **text, float *alpha, app_rect_t *box)
{
    float k = fminf(1.0f, fmaxf(0.0f, ((float)a->clock - a->caption_t) / APP_CAPTION_FADE));
    *text = a->caption;
    *alpha = 1.0f;
    if (k < 1.0f) {
        int had = a->caption_gone[0] != 0, has = a->caption[0] != 0;
        if (had && (!has || k < 0.5f)) {
            *text = a->caption_gone;
            *alpha = has ? 1.0f - 2.0f * k : 1.0f - k;
        } else {
            *alpha = had ? 2.0f * k - 1.0f : k;
        }
    }
    if (!(*text)[0] || *alpha <= 0)
        return 0;
    float u = a->hud_u, W = (float)a->fb_w;
    float maxw = fminf(W - 64 * u, 1000 * u);
    float tw = fminf(font_width(&a->font, FONT_LARGE, *text, strlen(*text)), maxw);
    float h = a->font.height[FONT_LARGE] + 22 * u, w = tw + 44 * u;
    float y = a->look == APP_LOOK_CLEAN ? (float)a->fb_h - h - 12 * u : a->bar.y - h - 52 * u;
    *box = (app_rect_t){(W - w) * 0.5f, y, w, h};
    return 1;
}

static void caption(app_t *a, draw_t *d)
{
    const char *text;
    float alpha, u = a->hud_u;
    app_rect_t r;
    if (!caption_now(a, &text, &alpha, &r))
        return;
    draw_rect(d, r.x, r.y, r.w, r.h, 8 * u, with_alpha(0x0B1020E6u, alpha * 0.9f));
    draw_rect_stroke(d, r.x, r.y, r.w, r.h, 8 * u, 1 * u, with_alpha(C_EDGE, alpha));
    draw_rect(d, r.x + 10 * u, r.y + 9 * u, 3 * u, r.h - 18 * u, 1.5f * u, with_alpha(C_ACCENT, alpha));
    draw_text_fit(d, FONT_LARGE, r.x + 26 * u, r.y + 11 * u, r.w - 36 * u, with_alpha(C_TEXT, alpha), text);
}

/* The script's title card: the frame dims, the title sits in the middle,
 * then both fade away over SCN_TITLE_SECONDS. */
static void title_card(app_t *a, draw_t *d)
{
    float age = (float)a->clock - a->title_t, total = (float)SCN_TITLE_SECONDS;
    if (!a->title_card[0] || age < 0 || age >= total)
        return;
    float alpha = fminf(1.0f, fminf(age / 0.3f, (total - age) / 0.6f));
    float u = a->hud_u, W = (float)a->fb_w, H = (float)a->fb_h;
    draw_rect(d, 0, 0, W, H, 0, with_alpha(0x05070BFFu, 0.78f * alpha));
    font_size_t fs = FONT_HUGE;
    const char *t = a->title_card;
    float room = W - 48 * u;
    if (font_width(&a->font, fs, t, strlen(t)) > room)
        fs = FONT_TITLE;
    float tw = fminf(font_width(&a->font, fs, t, strlen(t)), room);
    float y = H * 0.5f - a->font.height[fs] * 0.5f - 8 * u;
    draw_text_fit(d, fs, (W - tw) * 0.5f, y, room, with_alpha(C_TEXT, alpha), t);
    float lw = fminf(tw, 160 * u);
    draw_rect(d, (W - lw) * 0.5f, y + a->font.height[fs] + 14 * u, lw, 3 * u, 1.5f * u, with_alpha(C_ACCENT, alpha));
}

static void background(app_t *a, const pane_t *p, draw_t *d)
{
    double cx, cy;
    view_world_to_px(&p->view, 0, 0, &cx, &cy);
    float r = (float)(p->view.scale * 2.6);
    if (r < 4096 * a->dpi)
        draw_glow(d, (float)cx, (float)cy, r, 0x1A2A4A55u);
    double cloud = p->params.cloud_r * p->view.scale;
    for (uint32_t i = 0; i < p->sorted_count; i++) {
        uint16_t s = p->sorted[i];
        double nx, ny;
        pane_node_px(p, s, (float)a->clock, &nx, &ny);
        if (cloud < 3000)
            draw_glow(d, (float)nx, (float)ny, (float)(cloud * 1.9), node_rgba(p, s, 0.16f));
        if (s == p->selected || s == p->hover_node)
            draw_ring(d, (float)nx, (float)ny, (float)(cloud * 1.12 + 4 * a->dpi), 1.5f * a->dpi,
                      s == p->selected ? 0xFFFFFFC0u : 0xFFFFFF50u);
    }
}

void hud_legend_box(app_t *a, const pane_t *p, app_rect_t *box)
{
    float u = a->hud_u, small = (float)a->font.height[FONT_SMALL];
    char text[256];
    sst_legend(&p->sim, text, sizeof text);
    float x = fmaxf((float)p->view.area_x, 0.0f) + 20 * u, y, room = (float)(p->view.area_x + p->view.area_w) - x - 20 * u;
    if (a->look == APP_LOOK_CLEAN) {
        y = (float)a->fb_h - 0.5f * (caption_band(a) + small);
        const char *ct;
        float ca;
        app_rect_t cap;
        if (caption_now(a, &ct, &ca, &cap) && cap.x + cap.w > x && cap.x < x + room)
            room = cap.x - 16 * u - x;
    } else {
        /* on the "H: help" hint's row, after it; a pane that ends higher
         * up (another below it) at its own bottom */
        float row = a->bar.y - small - 10 * u, end = (float)(p->view.area_y + p->view.area_h);
        y = end < row - 2 * small - 30 * u ? end - small - 4 * u : row;
        float after = 20 * u + font_width(&a->font, FONT_SMALL, "H: help", 7) + 16 * u;
        if (y == row && a->bar_level < 3 && !hud_touch_layout(a) && x < after) {
            room -= after - x;
            x = after;
        }
    }
    float w = fminf(font_width(&a->font, FONT_SMALL, text, strlen(text)), room);
    /* A small frame keeps its room for the node labels. */
    int fits = text[0] && w >= 60 * u && p->view.area_h >= 360 * u;
    *box = (app_rect_t){x, y, fits ? w : 0, small};
}

/* The strategy's own structure over the scene (sst.h): legend, labels,
 * the hovered key's picture. */
static void structure(app_t *a, pane_t *p, draw_t *d)
{
    float u = a->hud_u;
    sst_overlay_t o = {0};
    app_rect_t lg;
    hud_legend_box(a, p, &lg);
    o.legend_x = lg.x;
    o.legend_y = lg.y;
    o.legend_w = lg.w;
    /* The hovered key is drawn in the pane under the pointer only. */
    int over_ui = a->hot_widget >= 0 || a->dragging || a->help || p != focused(a);
    o.mouse_x = over_ui ? -1 : a->mouse_x;
    o.mouse_y = a->mouse_y;
    o.u = u;
    o.time = (float)a->clock;
    o.clip[0] = (float)p->view.area_x;
    o.clip[1] = (float)p->view.area_y;
    o.clip[2] = (float)(p->view.area_x + p->view.area_w);
    o.clip[3] = (float)(p->view.area_y + p->view.area_h);
    sst_draw_overlay(&p->scene, d, &p->sim, &p->view, &o);
}

/* Compare mode: a pane's header over its ring (strategy, counter line; the
 * focused pane's name in the accent colour) and a hairline between cells. */
static void pane_header(app_t *a, const pane_t *p, draw_t *d)
{
    float u = a->hud_u, x = p->cell[0] + 14 * u, y = p->cell[1] + 4 * u, w = p->cell[2] - 28 * u;
    int focus = p == focused(a) && a->look == APP_LOOK_FULL; /* a clip has no pointer */
    const char *name = strat_name(p->sim.strat.kind);
    float nw = fit(a, d, FONT_BODY, x, y, w, focus ? C_ACCENT : C_TEXT, name);
    if (focus)
        draw_rect(d, x, y + a->font.height[FONT_BODY], nw, 1.5f * u, 0, C_ACCENT);
    char tag[160];
    uint32_t tc = hud_repl_pane_tag(p, tag, sizeof tag);
    if (tag[0] && w > nw + 20 * u)
        fit(a, d, FONT_SMALL, x + nw + 12 * u, y + (a->font.height[FONT_BODY] - a->font.height[FONT_SMALL]) * 0.5f,
            w - nw - 12 * u, tc, tag);
    char line[sizeof p->action.note + 8];
    hud_counter_text(p, line, sizeof line);
    fit(a, d, FONT_SMALL, x, y + a->font.height[FONT_BODY] + 3 * u, w,
        p->action.note[0] ? C_REBUILD : (app_settled() ? 0xC8D0DEFFu : 0xFFFFFFFFu), line);
    if (p->cell[0] > 0)
        draw_rect(d, p->cell[0], p->cell[1] + 6 * u, 1 * u, p->cell[3] - 12 * u, 0, C_EDGE);
    if (p->cell[1] > a->panes[0].cell[1])
        draw_rect(d, p->cell[0] + 6 * u, p->cell[1], p->cell[2] - 12 * u, 1 * u, 0, C_EDGE);
}

/* "Ring is empty" in a pane's area, and how to fill it. */
static void empty_note(app_t *a, const pane_t *p, draw_t *d)
{
    const char *t = "Ring is empty";
    float room = (float)a->fb_w - 16 * a->hud_u;
    float w = fminf(font_width(&a->font, FONT_HUGE, t, strlen(t)), room);
    float mid = (float)(p->view.area_x + p->view.area_w * 0.5);
    float x = fmaxf(8 * a->hud_u, fminf(mid - w * 0.5f, (float)a->fb_w - 8 * a->hud_u - w));
    float y = (float)(p->view.area_y + p->view.area_h * 0.5) - a->font.height[FONT_HUGE] * 0.5f;
    draw_text_fit(d, FONT_HUGE, x, y, room, 0xC8D0DEFFu, t);
    const char *t2 = "Press A or click Add node";
    float w2 = fminf(font_width(&a->font, FONT_BODY, t2, strlen(t2)), room);
    float x2 = fmaxf(8 * a->hud_u, fminf(mid - w2 * 0.5f, (float)a->fb_w - 8 * a->hud_u - w2));
    if (y + a->font.height[FONT_HUGE] + 6 * a->hud_u + a->font.height[FONT_BODY] < a->bar.y &&
        a->look == APP_LOOK_FULL)
        draw_text_fit(d, FONT_BODY, x2, y + a->font.height[FONT_HUGE] + 6 * a->hud_u, room, C_DIM, t2);
}

void hud_draw(app_t *a)
{
    const pane_t *fp = focused(a);
    gfx_frame_t f = {{(float)a->fb_w, (float)a->fb_h}, (float)a->clock, a->dpi, &fp->view};
    if (!a->headless) {
        Uint64 now = SDL_GetTicks64();
        if (a->idle) {
            /* Frames come only on input: a rate would be stale. */
            snprintf(a->fps_text, sizeof a->fps_text, "idle");
            a->fps_text_t = 0;
        } else if (now - (Uint64)a->fps_text_t >= 500 || !a->fps_text[0] || !strcmp(a->fps_text, "idle")) {
            snprintf(a->fps_text, sizeof a->fps_text, "%.0f fps  \xC2\xB7  %.1f ms", a->fps, a->frame_ms);
            a->fps_text_t = (double)now;
        }
    }
    /* Headless frames show no frame rate: recordings must not depend on the
     * speed of the machine that made them. */
    draw_begin(&a->under, (float)a->fb_w, (float)a->fb_h);
    for (int i = 0; i < a->pane_count; i++)
        background(a, &a->panes[i], &a->under);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    draw_end(&a->under, &f);

    for (int i = 0; i < a->pane_count; i++) {
        pane_t *p = &a->panes[i];
        gfx_frame_t pf = {{(float)a->fb_w, (float)a->fb_h}, (float)a->clock, a->dpi, &p->view};
        p->params.selected = p->selected;
        p->params.point_size = 5.0f * a->dpi;
        p->params.band_in = -5.0f * a->dpi;
        p->params.band_out = -16.0f * a->dpi;
        if (a->pane_count > 1) { /* a zoomed pane stays in its cell */
            glEnable(GL_SCISSOR_TEST);
            glScissor((GLint)p->cell[0], (GLint)((float)a->fb_h - p->cell[1] - p->cell[3]), (GLsizei)p->cell[2],
                      (GLsizei)p->cell[3]);
        }
        scene_draw(&p->scene, &pf, &p->params);
    }
    glDisable(GL_SCISSOR_TEST);

    draw_t *d = &a->ui;
    draw_begin(d, (float)a->fb_w, (float)a->fb_h);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    for (int i = 0; i < a->pane_count; i++) {
        if (a->panes[i].sim.ring.live_count == 0)
            empty_note(a, &a->panes[i], d);
        structure(a, &a->panes[i], d);
        if (a->pane_count > 1)
            pane_header(a, &a->panes[i], d);
    }
    title(a, fp, d);
    for (int i = 0; i < a->pane_count; i++) {
        hud_repl_nodes(a, &a->panes[i], d);
        node_labels(a, &a->panes[i], d);
    }
    app_rect_t box = a->panel;
    if (a->pane_count > 1) {
        float th = compare_table(a, d);
        box.y += th;
        box.h -= th;
    }
    panel(a, fp, d, box);
    caption(a, d);
    if (a->look == APP_LOOK_FULL) {
        bar(a, d);
        hover_card(a, fp, d);
        toast_line(a, d);
    }
    title_card(a, d);
    if (a->look == APP_LOOK_CLEAN)
        ;
    else if (a->help)
        help(a, d);
    else if (a->bar_level < 3 && !hud_touch_layout(a)) /* a phone has "?" on the bar and no H key */
        draw_text(d, FONT_SMALL, 20 * a->hud_u, a->bar.y - a->font.height[FONT_SMALL] - 10 * a->hud_u, C_DIM,
                  "H: help");
    draw_end(d, &f);
    glDisable(GL_BLEND);
}

void hud_draw_over(app_t *a)
{
    gfx_frame_t f = {{(float)a->fb_w, (float)a->fb_h}, (float)a->clock, a->dpi, &focused(a)->view};
    draw_t *d = &a->over;
    draw_begin(d, (float)a->fb_w, (float)a->fb_h);
    const char *rec = live_indicator();
    if (rec) {
        /* A red badge at the top centre: dot, "REC mm:ss". */
        float u = a->dpi, h = a->font.height[FONT_BODY] + 10 * u;
        float tw = font_width(&a->font, FONT_BODY, rec, strlen(rec));
        float w = tw + h + 18 * u, x = 0.5f * ((float)a->fb_w - w), y = 10 * u;
        draw_rect(d, x, y, w, h, h * 0.5f, 0x2A080CE6u);
        draw_rect_stroke(d, x, y, w, h, h * 0.5f, 1 * u, 0xFF4D5ACCu);
        draw_circle(d, x + 0.5f * h + 4 * u, y + 0.5f * h, 5 * u, 0xFF4D5AFFu);
        draw_text(d, FONT_BODY, x + h + 6 * u, y + 5 * u, 0xFFD6DAFFu, rec);
    }
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    draw_end(d, &f);
}
