/* hud_layout — where everything goes for a frame size: the control bar's
 * level and widgets, the distribution panel, the title block and each
 * pane's cell and ring area (hud.h). */
#include "hud_priv.h"

#include <math.h>
#include <string.h>

#define LABEL_MARGIN 46.0f  /* layout px kept around the node circle for labels */
#define WORLD_R 1.70        /* node orbit + cloud, world units */

/* Bar levels, from roomiest to tightest: full labels; short labels; the
 * occasional buttons (reset, screenshot, record) left to their keys; only
 * the node controls; symbols. Every action stays on the keyboard (help). */
#define BAR_LEVELS 5

typedef struct item {
    int widget;        /* app_widget_t */
    const char *label; /* button text */
    float w;
    float pre;         /* space before (labels drawn there) */
} item_t;

size_t hud_wrap_len(font_t *f, font_size_t fs, const char *t, float max_w)
{
    size_t n = strlen(t);
    if (font_width(f, fs, t, n) <= max_w)
        return n;
    size_t fit = 0, word = 0;
    for (size_t i = 1; i <= n; i++) {
        if (i < n && ((unsigned char)t[i] & 0xC0) == 0x80)
            continue;
        if (font_width(f, fs, t, i) > max_w)
            break;
        fit = i;
        if (i < n && t[i] == ' ')
            word = i;
    }
    return word ? word + 1 : fit ? fit : 1;
}

float hud_scale(float w, float h)
{
    double k = fmin(w / 1280.0, h / 720.0);
    double s = k > 0 ? pow(k, 0.75) : 0.8;
    s = s < 0.8 ? 0.8 : s > 1.5 ? 1.5 : s;
    return (float)(floor(s * 20.0 + 0.5) / 20.0); /* steps: the font is not re-made on every pixel */
}

/* A phone or small tablet (a small high-density screen, either way up):
 * the bar wraps into rows of finger-sized targets and shows every control,
 * since there are no keys to fall back on. Desktop windows keep one row. */
int hud_touch_layout(const app_t *a)
{
    float cw = (float)a->fb_w / a->dpi, ch = (float)a->fb_h / a->dpi;
    return a->dpi >= 1.5f && fminf(cw, ch) < 600 && a->look == APP_LOOK_FULL;
}

float hud_panel_width(const app_t *a, int *compact)
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

int hud_weight_on_bar(const app_t *a)
{
    int compact;
    return hud_touch_layout(a) && hud_panel_width(a, &compact) <= 0;
}

float hud_caption_band(const app_t *a)
{
    return (float)a->font.height[FONT_LARGE] + 22 * a->hud_u + 20 * a->hud_u;
}

/* The hint row above the bar: "H: help" and the legend's link, "L:
 * legend" (a button: on the desktop the legend opens from here; a touch
 * screen has it on the bar). 0: no hint row (a clip, a touch screen, a
 * bar too tight to keep it). */
int hud_hint_row(app_t *a, app_rect_t *help, app_rect_t *legend)
{
    float u = a->hud_u, h = (float)a->font.height[FONT_SMALL];
    if (a->look != APP_LOOK_FULL || a->bar_level >= 3 || hud_touch_layout(a))
        return 0;
    float y = a->bar.y - h - 10 * u;
    float hw = font_width(&a->font, FONT_SMALL, HUD_HINT_HELP, strlen(HUD_HINT_HELP));
    float lw = font_width(&a->font, FONT_SMALL, HUD_HINT_LEGEND, strlen(HUD_HINT_LEGEND));
    *help = (app_rect_t){20 * u, y, hw, h};
    *legend = (app_rect_t){help->x + hw + 14 * u, y - 3 * u, lw + 12 * u, h + 6 * u};
    return 1;
}

static int widget_shown(const app_t *a, int level, int w)
{
    if (w == APP_W_LEGEND)
        return hud_touch_layout(a); /* the desktop's is in the hint row */
    /* On a touch screen the replication buttons are always on the wrapped
     * bar (no keys to fall back on when the panel is short). */
    if (hud_touch_layout(a))
        return !(w == APP_W_SESSION || w == APP_W_WEIGHT_MINUS || w == APP_W_WEIGHT_PLUS) || hud_weight_on_bar(a);
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

/* The width of a button's text; the strategy picker is as wide as the
 * longest name, so switching never reflows the bar. */
static float button_width(app_t *a, int w, int level, const char *t)
{
    font_t *f = &a->font;
    float tw = font_width(f, FONT_BODY, t, strlen(t));
    if (w == APP_W_STRATEGY)
        for (int k = 0; k < STRAT_COUNT; k++) {
            char s[64];
            hud_strategy_text((strat_kind_t)k, s, sizeof s);
            tw = fmaxf(tw, font_width(f, FONT_BODY, s, strlen(s)));
        }
    if (w == APP_W_PAUSE && level < 2)
        tw = fmaxf(tw, font_width(f, FONT_BODY, level ? "Resume" : "Resume", 6));
    return tw;
}

/* The items of one bar level and their total width. */
static int bar_items(app_t *a, item_t *items, float *total)
{
    float u = a->hud_u;
    font_t *f = &a->font;
    int n = 0, level = a->bar_level;
    float pad = 14 * u, gap = (level >= 2 ? 4 : 6) * u;
    /* The id field: 88 units keep every button's full label on one row at
     * 1280 px with the longest strategy names (elasticsearch, redis-cluster). */
    items[n++] = (item_t){APP_W_FIELD, NULL, (level >= 4 ? 84 : 88) * u, 0};
    for (int w = APP_W_ADD; w < APP_W_COUNT; w++) {
        if (!widget_shown(a, level, w))
            continue;
        if (w == APP_W_SLIDER) {
            const char *l = hud_slider_label(a);
            float pre = *l ? font_width(f, FONT_SMALL, l, strlen(l)) + 12 * u : 0;
            items[n++] = (item_t){w, NULL, (level >= 2 ? 64 : 80) * u, (level >= 2 ? 8 : 14) * u + pre};
            continue;
        }
        const char *t = hud_button_text(a, w);
        float tw = button_width(a, w, level, t);
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

/* The roomiest bar level that fits on one row (touch: short labels,
 * wrapped); its items. */
static int bar_fit(app_t *a, item_t *items, float margin, int touch)
{
    float W = (float)a->fb_w, total = 0;
    int n = 0;
    for (a->bar_level = touch ? 1 : 0; a->bar_level < BAR_LEVELS; a->bar_level++) {
        n = bar_items(a, items, &total);
        if (touch || total <= W - 2 * margin)
            break;
    }
    if (a->bar_level >= BAR_LEVELS)
        a->bar_level = BAR_LEVELS - 1;
    /* Tightest level still too wide (a sliver of a window): the field takes
     * what is left, never below nothing. */
    if (!touch && total > W - 2 * margin)
        items[0].w = fmaxf(0, items[0].w - (total - (W - 2 * margin)));
    return n;
}

/* Places the items left to right, starting a new row where one would run
 * past the edge (touch only; the desktop bar is one row); sets the bar and
 * the widgets' rectangles. */
static void bar_place(app_t *a, item_t *items, int n, float margin, int touch)
{
    float u = a->hud_u, W = (float)a->fb_w, H = (float)a->fb_h;
    float bh = (a->bar_level >= 2 ? 28 : 32) * u, vpad = (a->bar_level >= 2 ? 6 : 10) * u;
    float row_gap = 6 * u;
    if (touch)
        bh = fmaxf(bh, 44 * a->dpi); /* a fingertip, in CSS pixels */
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
}

/* The title block, the distribution panel on the right (full, narrow, or
 * folded away when the ring would be left too little room), and each
 * pane's cell and ring area: one, side by side (two) or 2 x 2, each with a
 * header (strategy, counter line) over its ring in compare mode. */
static void panes_place(app_t *a)
{
    float u = a->hud_u, W = (float)a->fb_w, H = (float)a->fb_h;
    float title_h = 14 * u + a->font.height[FONT_TITLE] + 4 * u + a->font.height[FONT_LARGE];
    float top = title_h + 10 * u;
    float pw = hud_panel_width(a, &a->panel_compact);
    if (pw > 0)
        a->panel = (app_rect_t){W - pw - 12 * u, 12 * u, pw, a->bar.y - 24 * u};
    else
        a->panel = (app_rect_t){0, 0, 0, 0};
    float title_r = a->panel.w > 0 ? a->panel.x - 8 * u : W;
    /* The replication line under them (when on) is kept clear of labels
     * but leaves the ring its room. */
    float repl_h = hud_focused(a)->sim.repl.on ? 4 * u + a->font.height[FONT_BODY] : 0;
    a->title_box = (app_rect_t){0, 0, title_r, title_h + repl_h};
    if (a->pane_count > 1)
        top += repl_h; /* the panes' headers go under it */
    float area_r = a->panel.w > 0 ? a->panel.x - 8 * u : W;
    /* A clip's captions take the control bar's place under the ring. */
    float bottom = a->look == APP_LOOK_CLEAN ? H - hud_caption_band(a) : a->bar.y;
    float avail_h = (bottom - 8 * u - top) / (a->pane_count > 2 ? 2 : 1);
    /* Room for node labels around the node circle; less when space is short
     * (labels then fall back to one line or step aside). */
    float lm = (avail_h < 420 * u ? 26.0f : LABEL_MARGIN) * u;
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

void hud_layout(app_t *a)
{
    float u = a->hud_u, W = (float)a->fb_w;
    item_t items[APP_W_COUNT];
    float margin = (W < 700 * u ? 8 : 12) * u;
    int touch = hud_touch_layout(a);
    int n = bar_fit(a, items, margin, touch);
    bar_place(a, items, n, margin, touch);
    app_rect_t help, link;
    if (hud_hint_row(a, &help, &link))
        a->widgets[APP_W_LEGEND] = link; /* the legend's link, under the ring */
    panes_place(a);
}
