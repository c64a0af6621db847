/* hud_layout — where everything goes for a frame size: the control bar's
 * level and widgets, the distribution panel, the title block and each
 * pane's cell and ring area (hud.h). Three forms: a desktop window (one
 * row of controls under the ring, the panel at the right); a phone upright
 * (rows of finger-sized controls at the bottom, the panes stacked, the
 * panel under them); a phone sideways (the controls in a rail at the right
 * edge, the panel beside it, the ring taking the height). */
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
    float lead;        /* of it, what stays at the start of a row (the slider's label) */
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

float hud_panel_width(const app_t *a, float W, int *compact)
{
    float u = a->hud_u, H = (float)a->fb_h;
    *compact = 0;
    if (W >= 860 * u && H >= 360 * u)
        return 292 * u;
    if (W >= 560 * u && H >= 280 * u) {
        *compact = 1;
        return 196 * u;
    }
    return 0;
}

/* A phone held sideways: the controls go to a rail at the right edge. */
int hud_rail_layout(const app_t *a)
{
    return hud_touch_layout(a) && a->fb_w > a->fb_h;
}

/* The right edge of the picture's stage (the title's too): left of the
 * panel at the right, or of the rail; an upright phone's panel is under it. */
float hud_stage_right(const app_t *a)
{
    float u = a->hud_u;
    int upright = hud_touch_layout(a) && a->rail.w <= 0;
    if (a->panel.w > 0 && !upright)
        return a->panel.x - 8 * u;
    return a->rail.w > 0 ? a->rail.x - 8 * u : (float)a->fb_w;
}

/* Two panes one above the other (an upright phone): each header is one line. */
int hud_panes_stacked(const app_t *a)
{
    return a->pane_shown == 2 && a->panes[1].cell[1] > a->panes[0].cell[1] && a->panes[1].cell[0] == a->panes[0].cell[0];
}

/* Touch: the selected node's weight and "Save session" are finger-sized
 * buttons among the others; the panel keeps to its figures and rows. */
int hud_weight_on_bar(const app_t *a)
{
    return hud_touch_layout(a);
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
        return 1;
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
    /* Crash turns into Recover (hud_repl_crash_text) without a new layout. */
    if (w == APP_W_CRASH)
        tw = fmaxf(tw, font_width(f, FONT_BODY, "Recover", 7));
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
    items[n++] = (item_t){APP_W_FIELD, NULL, (level >= 4 ? 84 : 88) * u, 0, 0};
    for (int w = APP_W_ADD; w < APP_W_COUNT; w++) {
        if (!widget_shown(a, level, w))
            continue;
        if (w == APP_W_SLIDER) {
            const char *l = hud_slider_label(a);
            float pre = *l ? font_width(f, FONT_SMALL, l, strlen(l)) + 12 * u : 0;
            items[n++] = (item_t){w, NULL, (level >= 2 ? 64 : 80) * u, (level >= 2 ? 8 : 14) * u + pre, pre};
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
        items[n++] = (item_t){w, t, tw + pad + (accent ? 10 * u : 0), pre, 0};
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

/* Where flow put the items: each one's x and row. */
typedef struct flowed {
    float x[APP_W_COUNT];
    int row[APP_W_COUNT];
    int rows;
} flowed_t;

/* The room the slider's value takes right of it (the next item's space
 * before it holds it). */
static float item_tail(const app_t *a, const item_t *it)
{
    return it->widget == APP_W_SLIDER ? 40 * a->hud_u : 0;
}

/* Touch: each row spread to the width, so the controls line up as a grid
 * of larger targets. */
static void justify(const app_t *a, item_t *items, int n, float end, flowed_t *f)
{
    for (int r = 0; r < f->rows; r++) {
        int first = -1, last = -1;
        for (int i = 0; i < n; i++)
            if (f->row[i] == r) {
                first = first < 0 ? i : first;
                last = i;
            }
        if (first < 0)
            continue;
        float extra = end - (f->x[last] + items[last].w + item_tail(a, &items[last]));
        if (extra <= 0)
            continue;
        float each = extra / (float)(last - first + 1), shift = 0;
        for (int i = first; i <= last; i++) {
            f->x[i] += shift;
            items[i].w += each;
            shift += each;
        }
    }
}

/* Places the items left to right from x0 in rows width wide, starting a
 * new row where one would run past the end (touch only; the desktop bar is
 * one row); touch: every item a fingertip wide and tall, rows justified. */
static void flow(app_t *a, item_t *items, int n, float x0, float width, int touch, flowed_t *f)
{
    float x = x0, end = x0 + width;
    f->rows = 1;
    for (int i = 0; i < n; i++) {
        if (touch) /* a fingertip wide too */
            items[i].w = fmaxf(items[i].w, 44 * a->dpi);
        float pre = i ? items[i].pre : 0, tail = item_tail(a, &items[i]);
        if (touch && x > x0 && x + pre + items[i].w + tail > end) {
            f->rows++;
            x = x0;
            pre = items[i].lead; /* the slider's label stays left of it */
        }
        if (touch && x == x0 && pre + items[i].w + tail > width)
            items[i].w = fmaxf(0, width - pre - tail);
        x += pre;
        f->x[i] = x;
        f->row[i] = f->rows - 1;
        x += items[i].w;
    }
    if (touch)
        justify(a, items, n, end, f);
}

/* The widgets' rectangles: rows of height bh from y0, gap apart. */
static void widgets_set(app_t *a, const item_t *items, int n, const flowed_t *f, float y0, float bh, float gap)
{
    for (int w = 0; w < APP_W_COUNT; w++)
        a->widgets[w] = (app_rect_t){0, 0, 0, 0};
    for (int i = 0; i < n; i++)
        if (items[i].w > 0)
            a->widgets[items[i].widget] = (app_rect_t){f->x[i], y0 + (float)f->row[i] * (bh + gap), items[i].w, bh};
}

/* The bar under the ring: one row on the desktop, rows of finger-sized
 * targets on a phone held upright. */
static void bar_place(app_t *a, item_t *items, int n, float margin, int touch)
{
    float u = a->hud_u, W = (float)a->fb_w, H = (float)a->fb_h;
    float bh = (a->bar_level >= 2 ? 28 : 32) * u, vpad = (a->bar_level >= 2 ? 6 : 10) * u;
    float row_gap = 6 * u;
    if (touch) { /* a fingertip, in CSS pixels; rows close together */
        bh = fmaxf(bh, 44 * a->dpi);
        vpad = row_gap = 5 * u;
    }
    flowed_t f;
    flow(a, items, n, margin, W - 2 * margin, touch, &f);
    float bar_h = (float)f.rows * bh + (float)(f.rows - 1) * row_gap + 2 * vpad;
    if (a->look == APP_LOOK_CLEAN)
        n = 0, bar_h = 0; /* no controls in a clip: the ring gets the room */
    a->bar = (app_rect_t){0, H - bar_h, W, bar_h};
    a->rail = (app_rect_t){0, 0, 0, 0};
    widgets_set(a, items, n, &f, a->bar.y + vpad, bh, row_gap);
}

/* A phone held sideways: the controls in a rail at the right edge, the
 * narrowest (in steps of 4 CSS px) whose rows fit the height, centred on
 * it. The bar is then an empty strip at the bottom. */
static void rail_place(app_t *a, item_t *items, int n, float margin)
{
    float u = a->hud_u, W = (float)a->fb_w, H = (float)a->fb_h;
    float bh = 44 * a->dpi, gap = 5 * u, rows_h = 0, rw;
    item_t base[APP_W_COUNT];
    memcpy(base, items, (size_t)n * sizeof *items);
    flowed_t f;
    for (rw = 150 * a->dpi;; rw += 4 * a->dpi) {
        memcpy(items, base, (size_t)n * sizeof *items);
        flow(a, items, n, W - rw + margin, rw - 2 * margin, 1, &f);
        rows_h = (float)f.rows * bh + (float)(f.rows - 1) * gap;
        if (rows_h + 2 * margin <= H || rw >= 0.5f * W)
            break;
    }
    a->rail = (app_rect_t){W - rw, 0, rw, H};
    a->bar = (app_rect_t){0, H, W, 0};
    widgets_set(a, items, n, &f, fmaxf(margin, 0.5f * (H - rows_h)), bh, gap);
}

/* An upright phone: the panel goes under the panes, the width of the
 * frame: compare mode's table; with one pane, node rows (at least three
 * and the line for the rest) where the ring, a square, leaves room.
 * Returns where the panes end. */
static float upright_panel(app_t *a, float top, float bottom)
{
    float u = a->hud_u, W = (float)a->fb_w, m = 8 * u;
    a->panel_compact = 0;
    float want = a->pane_shown > 1 ? hud_compare_table_h(a) + m : fmaxf(hud_panel_height(a, 4) + m, bottom - top - W);
    if (a->pane_shown == 1 && bottom - top - want < 0.6f * W) {
        a->panel = (app_rect_t){0, 0, 0, 0}; /* a short frame: the ring keeps it all */
        return bottom;
    }
    a->panel = (app_rect_t){m, bottom - want, W - 2 * m, want - m};
    return bottom - want;
}

/* The panes' grid: columns and rows, each cell's header and the margins
 * kept round its ring for the node labels. */
typedef struct grid {
    int cols, rows;
    float head, lm, top_m, bottom_m;
} grid_t;

/* np panes in a stage h high: one; two side by side, or stacked; three or
 * four 2 x 2. On an upright phone one pane or two stacked have cells wider
 * than their rings: a header of one line, the labels step aside and the
 * ring takes the height, above the legend's two lines. */
static grid_t grid_of(const app_t *a, int np, int stacked, int upright, float h)
{
    float u = a->hud_u;
    grid_t g = {np > 1 && !stacked ? 2 : 1, np > 2 || stacked ? 2 : 1, 0, 0, 0, 0};
    float avail_h = (h - 8 * u) / (float)g.rows;
    /* Room for node labels around the node circle; less when space is short
     * (labels then fall back to one line or step aside). */
    g.lm = g.top_m = g.bottom_m = (avail_h < 420 * u || np > 1 || upright ? 26.0f : LABEL_MARGIN) * u;
    g.head = np > 1 ? (float)(a->font.height[FONT_BODY] + a->font.height[FONT_SMALL]) + 10 * u : 0;
    if (stacked || (upright && np == 1)) {
        g.head = np > 1 ? (float)a->font.height[FONT_BODY] + 10 * u : 0;
        g.top_m = 10 * u;
        g.bottom_m = 2.0f * (float)a->font.height[FONT_SMALL] + 8 * u;
    }
    return g;
}

/* The ring area's shorter side in a cell of grid g over a stage w x h. */
static float grid_fit(const app_t *a, const grid_t *g, float w, float h)
{
    float cw = w / (float)g->cols, ch = h / (float)g->rows;
    return fminf(cw - 2 * g->lm, ch - g->head - 8 * a->hud_u - (g->top_m + g->bottom_m));
}

/* Each pane's cell and ring area in the stage (0, top) - (right, bottom);
 * panes past pane_shown get none. Two panes on an upright phone stack
 * unless that leaves their rings much smaller (a short phone). */
static void cells_place(app_t *a, float top, float right, float bottom, int upright)
{
    float u = a->hud_u;
    int np = a->pane_shown;
    grid_t g = grid_of(a, np, 0, upright, bottom - top);
    if (upright && np == 2) {
        grid_t st = grid_of(a, np, 1, upright, bottom - top);
        if (1.5f * grid_fit(a, &st, right, bottom - top) >= grid_fit(a, &g, right, bottom - top))
            g = st;
    }
    float cw = right / (float)g.cols, ch = (bottom - top) / (float)g.rows;
    for (int i = 0; i < a->pane_count; i++) {
        pane_t *p = &a->panes[i];
        float cx = cw * (float)(i % g.cols), cy = top + ch * (float)(i / g.cols);
        int shown = i < np;
        p->cell[0] = shown ? cx : 0;
        p->cell[1] = shown ? cy : 0;
        p->cell[2] = shown ? cw : 0;
        p->cell[3] = shown ? ch : 0;
        float aw = cw - 2 * g.lm, ah = ch - g.head - 8 * u - (g.top_m + g.bottom_m);
        view_set_area(&p->view, cx + g.lm, cy + g.head + g.top_m, aw > 16 ? aw : 16, ah > 16 ? ah : 16, WORLD_R);
        view_update(&p->view);
        scene_set_lod_max(&p->scene, SCENE_LOD_MAX / (uint32_t)np);
    }
}

/* The title block, the distribution panel (at the right, full or narrow,
 * or folded away when the ring would be left too little room; under the
 * panes on an upright phone), and the panes' cells under the title. A
 * phone held sideways draws two panes at most. */
static void panes_place(app_t *a)
{
    float u = a->hud_u, W = (float)a->fb_w, H = (float)a->fb_h;
    float title_h = 14 * u + a->font.height[FONT_TITLE] + 4 * u + a->font.height[FONT_LARGE];
    float top = title_h + 10 * u;
    int rail = a->rail.w > 0, upright = hud_touch_layout(a) && !rail;
    a->pane_shown = rail && a->pane_count > 2 ? 2 : a->pane_count;
    if (a->focus >= a->pane_shown)
        a->focus = 0;
    float right = rail ? a->rail.x : W;
    float pw = upright ? 0 : hud_panel_width(a, right, &a->panel_compact);
    if (pw > 0)
        a->panel = (app_rect_t){right - pw - 12 * u, 12 * u, pw, (rail ? H : a->bar.y) - 24 * u};
    else
        a->panel = (app_rect_t){0, 0, 0, 0};
    float stage_r = hud_stage_right(a);
    /* The replication line under them (when on) is kept clear of labels
     * but leaves the ring its room. */
    float repl_h = hud_focused(a)->sim.repl.on ? 4 * u + a->font.height[FONT_BODY] : 0;
    a->title_box = (app_rect_t){0, 0, stage_r, title_h + repl_h};
    if (a->pane_shown > 1)
        top += repl_h; /* the panes' headers go under it */
    /* A clip's captions take the control bar's place under the ring. */
    float bottom = a->look == APP_LOOK_CLEAN ? H - hud_caption_band(a) : a->bar.y;
    if (upright)
        bottom = upright_panel(a, top, bottom);
    cells_place(a, top, stage_r, bottom, upright);
}

void hud_layout(app_t *a)
{
    float u = a->hud_u, W = (float)a->fb_w;
    item_t items[APP_W_COUNT];
    float margin = (W < 700 * u ? 8 : 12) * u;
    int touch = hud_touch_layout(a);
    int n = bar_fit(a, items, margin, touch);
    if (hud_rail_layout(a))
        rail_place(a, items, n, margin);
    else
        bar_place(a, items, n, margin, touch);
    app_rect_t help, link;
    if (hud_hint_row(a, &help, &link))
        a->widgets[APP_W_LEGEND] = link; /* the legend's link, under the ring */
    panes_place(a);
}
