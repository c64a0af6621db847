/* hud_panel — the distribution panel (a bar per node as drawn, the load
 * figures, the selected node's weight and crash controls, replicas, "Save
 * session") and, in compare mode, the last-change table above it. */
#include "hud_priv.h"

#include "hud_repl.h"
#include "num.h"
#include "shardmap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void hud_panel_box(draw_t *d, float x, float y, float w, float h, float u)
{
    draw_rect(d, x, y, w, h, 10 * u, C_PANEL);
    draw_rect_stroke(d, x, y, w, h, 10 * u, 1 * u, C_EDGE);
}

void hud_card_box(draw_t *d, float x, float y, float w, float h, float u)
{
    draw_rect(d, x, y, w, h, 10 * u, C_CARD);
    draw_rect_stroke(d, x, y, w, h, 10 * u, 1 * u, C_EDGE);
}

/* "weight 2 · nodeA  [−] [+]": the selected node's weight and its controls
 * (W / Shift+W on the keyboard). */
static void weight_row(app_t *a, const pane_t *p, draw_t *d, float x, float y, float w, float h)
{
    float u = a->hud_u, bw = h + 4 * u;
    a->widgets[APP_W_WEIGHT_PLUS] = (app_rect_t){x + w - bw, y, bw, h};
    a->widgets[APP_W_WEIGHT_MINUS] = (app_rect_t){x + w - 2 * bw - 4 * u, y, bw, h};
    hud_button(a, d, APP_W_WEIGHT_MINUS, 0);
    hud_button(a, d, APP_W_WEIGHT_PLUS, 0);
    /* The selected node's crash (or, none selected, the last crashed
     * node's recovery) next to its weight. */
    if (!hud_touch_layout(a)) {
        const char *ct = hud_repl_crash_text(a);
        float cw = font_width(&a->font, FONT_BODY, ct, strlen(ct)) + 16 * u;
        a->widgets[APP_W_CRASH] = (app_rect_t){x + w - 2 * bw - 8 * u - cw, y, cw, h};
        hud_button(a, d, APP_W_CRASH, 0);
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
    hud_fit(d, FONT_SMALL, x, y + (h - a->font.height[FONT_SMALL]) * 0.5f, room, sel ? C_TEXT : C_DIM, t);
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
    hud_fit(d, FONT_SMALL, x, y + (h - a->font.height[FONT_SMALL]) * 0.5f, tw + 1, C_TEXT, t);
    hud_button(a, d, APP_W_REPL_MINUS, 0);
    hud_button(a, d, APP_W_REPL_PLUS, 0);
    hud_button(a, d, APP_W_HEAL, C_ADD);
}

/* The most keys node slot may hold under a strategy with a bound (amber
 * marks on the bars); 0 without one. */
static uint64_t capacity(const pane_t *p, uint16_t slot)
{
    const strat_t *s = &p->sim.strat;
    if (!s->ops->structure.capacity)
        return 0;
    return s->ops->structure.capacity(&s->params, p->sim.store.count, p->sim.ring.nodes[slot].weight,
                                      p->sim.ring.weight_sum);
}

/* The panel's plan for this frame: its size, what shows, which rows. */
typedef struct panel_plan {
    float x, y, w, h, u;
    float pad, row_h, lh, head_h, btn_h;
    int compact, stat_lines, repl_here;
    uint32_t n, rows, first;       /* nodes, rows shown, the first shown */
    const uint64_t *led;           /* under shards: shards each node leads (a column); else NULL */
} panel_plan_t;

/* Shards each node leads, for the panel's column (NULL without shards). */
static const uint64_t *shards_led(const pane_t *p)
{
    static uint64_t led[RS_MAX_NODES];
    const shardmap_t *m = sim_shards(&p->sim);
    if (!m)
        return NULL;
    shardmap_primary_counts(m, led);
    return led;
}

/* 0: too short even for the bars (the panel folds away). Clears the
 * panel's widgets and keeps the selected node's row in view. */
static int panel_plan(app_t *a, const pane_t *p, app_rect_t box, panel_plan_t *g)
{
    int compact = a->panel_compact;
    float u = a->hud_u;
    *g = (panel_plan_t){.x = box.x, .y = box.y, .w = box.w, .u = u, .compact = compact};
    g->row_h = (compact ? 19 : 22) * u;
    g->pad = (compact ? 12 : 16) * u;
    g->lh = (float)a->font.height[FONT_SMALL];
    g->led = shards_led(p);
    g->stat_lines = (compact ? 3 : 5) + (g->led != NULL); /* shards: what S/n does to balance */
    /* Under the figures: the selected node's weight row, the replication
     * row (replicas, crash or recover, heal), then "Save session"; a touch
     * screen has them among its finger-sized controls instead. */
    int buttons = a->look == APP_LOOK_FULL && !hud_weight_on_bar(a);
    g->btn_h = buttons ? (compact ? 24 : 28) * u : 0;
    g->repl_here = buttons;
    float stats_h = g->stat_lines * (g->lh + 6 * u) + 12 * u +
                    (g->btn_h > 0 ? (2 + g->repl_here) * g->btn_h + (20 + 8 * g->repl_here) * u : 0);
    if (buttons)
        a->widgets[APP_W_SESSION] = a->widgets[APP_W_WEIGHT_MINUS] = a->widgets[APP_W_WEIGHT_PLUS] =
            a->widgets[APP_W_REPL_MINUS] = a->widgets[APP_W_REPL_PLUS] = a->widgets[APP_W_CRASH] =
                a->widgets[APP_W_HEAL] = (app_rect_t){0, 0, 0, 0};
    g->head_h = g->lh + (compact ? 10 : 14) * u;
    uint32_t n = g->n = p->sorted_count;
    /* Too short for even one row and the figures: keep the bars, drop the
     * figures; too short for that: fold the panel away. */
    if (box.h < g->pad * 2 + g->head_h + 2 * g->row_h + stats_h)
        g->stat_lines = 0, stats_h = 0;
    if (box.h < g->pad * 2 + g->head_h + 2 * g->row_h)
        return 0;
    float avail = box.h - g->pad * 2 - g->head_h - stats_h;
    uint32_t max_rows = avail > g->row_h ? (uint32_t)(avail / g->row_h) : 0;
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
    a->panel_rows = rows;
    a->panel_row_h = g->row_h;
    g->rows = rows;
    g->first = first;
    g->h = g->pad * 2 + g->head_h + (float)(rows + (rows < n) + (n == 0)) * g->row_h + stats_h;
    if (g->h > box.h)
        g->h = box.h;
    return 1;
}

/* "Save session", the replication row and the weight row, at the bottom. */
static void panel_buttons(app_t *a, const pane_t *p, draw_t *d, const panel_plan_t *g)
{
    float u = g->u, x = g->x + g->pad, w = g->w - 2 * g->pad, bottom = g->y + g->h - g->pad;
    a->widgets[APP_W_SESSION] = (app_rect_t){x, bottom - g->btn_h, w, g->btn_h};
    hud_button(a, d, APP_W_SESSION, 0);
    if (g->repl_here)
        repl_row(a, p, d, x, bottom - 2 * g->btn_h - 8 * u, w, g->btn_h);
    weight_row(a, p, d, x, bottom - (2 + g->repl_here) * g->btn_h - (8 + 8 * g->repl_here) * u, w, g->btn_h);
}

/* One node's row: dot, id, its bar as drawn (the mean and, under a bound,
 * the node's capacity marked on it), count and share. */
static void panel_row(app_t *a, const pane_t *p, draw_t *d, const panel_plan_t *g, uint16_t s, float cy,
                      uint64_t maxc)
{
    float u = g->u, x = g->x, w = g->w, pad = g->pad, lh = g->lh;
    float sh_w = g->led ? (g->compact ? 22 : 36) * u : 0; /* the shards column */
    float id_w = (g->compact ? 58 : 70) * u, num_w = (g->compact ? 44 : 112) * u + sh_w;
    float bar_x = x + pad + 14 * u + id_w + 6 * u, bar_w = w - (bar_x - x) - num_w - pad;
    if (bar_w < 10 * u)
        bar_w = 10 * u;
    uint64_t c = p->scene.shown[s]; /* as drawn: agrees with the flights */
    int sel = s == p->selected;
    if (sel)
        draw_rect(d, x + 6 * u, cy - 3 * u, w - 12 * u, g->row_h - 2 * u, 5 * u, 0xFFFFFF10u);
    float ty = cy + (g->row_h - 4 * u - lh) * 0.5f;
    draw_circle(d, x + pad + 4 * u, ty + lh * 0.5f, 4 * u, hud_node_rgba(p, s, 1));
    draw_text_fit(d, FONT_SMALL, x + pad + 14 * u, ty, id_w, sel ? 0xFFFFFFFFu : C_TEXT, p->sim.ring.nodes[s].id);
    float by = ty + lh * 0.5f - 4 * u;
    draw_rect(d, bar_x, by, bar_w, 8 * u, 3 * u, 0x1E2536FFu);
    draw_rect(d, bar_x, by, bar_w * (float)c / (float)maxc, 8 * u, 3 * u, hud_node_rgba(p, s, sel ? 1.0f : 0.85f));
    if (p->stats.mean > 0) {
        float mx = bar_x + bar_w * (float)(p->stats.mean / (double)maxc);
        if (mx <= bar_x + bar_w)
            draw_rect(d, mx - 0.5f * u, by - 2 * u, 1 * u, 12 * u, 0, 0xFFFFFF66u);
    }
    if (p->sim.strat.ops->structure.capacity) {
        /* No bar passes it (amber, past the mean's white). */
        float cx = bar_x + bar_w * (float)((double)capacity(p, s) / (double)maxc);
        if (cx <= bar_x + bar_w + 0.5f)
            draw_rect(d, cx - 1 * u, by - 3 * u, 2 * u, 14 * u, 0, C_REBUILD);
    }
    char num[48], pct[16];
    hud_pct_text(hud_drawn_share(p, s), pct, sizeof pct);
    float pw = font_width(&a->font, FONT_SMALL, pct, strlen(pct));
    if (g->led) {
        num_int(g->led[s], num, sizeof num);
        float nw = font_width(&a->font, FONT_SMALL, num, strlen(num));
        draw_text(d, FONT_SMALL, bar_x + bar_w + 4 * u + sh_w - nw, ty, C_DIM, num);
        bar_w += sh_w; /* the keys column follows it */
    }
    if (!g->compact) {
        num_int(c, num, sizeof num);
        if (font_width(&a->font, FONT_SMALL, num, strlen(num)) > 60 * u)
            hud_count_text(c, num, sizeof num); /* 1.20M where 1,200,000 would not fit */
        float nw = font_width(&a->font, FONT_SMALL, num, strlen(num));
        draw_text(d, FONT_SMALL, bar_x + bar_w + 8 * u + 52 * u - nw, ty, C_TEXT, num);
    }
    draw_text(d, FONT_SMALL, x + w - pad - pw, ty, C_DIM, pct);
}

/* The headline, one row per node shown, the line for the rest or for no
 * nodes; returns where the figures start. */
static float panel_bars(app_t *a, const pane_t *p, draw_t *d, const panel_plan_t *g)
{
    float u = g->u, x = g->x, w = g->w, pad = g->pad, cy = g->y + pad;
    uint32_t n = g->n, rows = g->rows, first = g->first;
    /* The headline, and over the percentages what they are: each node's
     * share of the keys (a label's share may be of the ring). */
    char headline[64];
    const char *cap = g->compact ? "key %" : "key share";
    float capw = font_width(&a->font, FONT_SMALL, cap, strlen(cap));
    float room = w - 2 * pad - capw - 8 * u;
    for (int form = g->compact; form < 2; form++) {
        /* under shards the rows count shards and keys */
        const char *what = g->led ? (form ? "SHARDS, KEYS" : "SHARDS AND KEYS") : form ? "SHARDS" : "SHARD DISTRIBUTION";
        snprintf(headline, sizeof headline, "%s%s%s", what, a->pane_count > 1 ? "  \xC2\xB7  " : "",
                 a->pane_count > 1 ? strat_name(p->sim.strat.kind) : "");
        if (font_width(&a->font, FONT_SMALL, headline, strlen(headline)) <= room)
            break;
    }
    hud_fit(d, FONT_SMALL, x + pad, cy, room, C_DIM, headline);
    draw_text(d, FONT_SMALL, x + w - pad - capw, cy, C_FAINT, cap);
    cy += g->head_h;
    uint64_t maxc = 1;
    for (uint32_t i = 0; i < n; i++) {
        if (p->scene.shown[p->sorted[i]] > maxc)
            maxc = p->scene.shown[p->sorted[i]];
        if (capacity(p, p->sorted[i]) > maxc) /* the capacity lines fit on the bars */
            maxc = capacity(p, p->sorted[i]);
    }
    for (uint32_t r = 0; r < rows; r++) {
        panel_row(a, p, d, g, p->sorted[first + r], cy, maxc);
        cy += g->row_h;
    }
    if (rows < n) {
        char more[96];
        const char *how = hud_touch_layout(a) ? "drag" : "wheel";
        if (first)
            snprintf(more, sizeof more, "%u above, +%u more (%s)", first, n - rows - first, how);
        else
            snprintf(more, sizeof more, "+%u more nodes%s%s%s", n - rows, g->compact ? "" : " (", g->compact ? "" : how,
                     g->compact ? "" : " scrolls)");
        hud_fit(d, FONT_SMALL, x + pad + 14 * u, cy + 2 * u, w - 2 * pad - 14 * u, C_DIM, more);
        cy += g->row_h;
    }
    if (!n) {
        hud_fit(d, FONT_SMALL, x + pad, cy, w - 2 * pad, C_DIM,
                g->compact ? "No nodes" : "No nodes: every key is unassigned");
        cy += g->row_h;
    }
    return cy;
}

/* "mean 1,200.0": the mean of the counts with separators. */
static void mean_text(double mean, char *out, size_t n)
{
    long long tenths = llround(mean * 10.0);
    char whole[32];
    num_int((uint64_t)(tenths / 10), whole, sizeof whole);
    snprintf(out, n, "mean  %s.%lld", whole, tenths % 10);
}

/* "zoom 1×", "zoom 2.5×", "zoom 1,000×". */
static void zoom_text(double zoom, char *out, size_t n)
{
    char z[32];
    if (zoom < 100)
        snprintf(z, sizeof z, "%.3g", zoom);
    else
        num_int((uint64_t)llround(zoom), z, sizeof z);
    snprintf(out, n, "zoom  %s\xC3\x97", z);
}

/* The statistics of the counts as drawn, so they move with the bars while
 * flights land and equal the simulation's at rest: one column when
 * narrow, else two with the structure's size, zoom and frame rate; the
 * range on a line of its own, in its one form (hud_minmax_text). */
static void panel_stats(app_t *a, const pane_t *p, draw_t *d, const panel_plan_t *g, float cy)
{
    float u = g->u, x = g->x, w = g->w, pad = g->pad, lh = g->lh;
    cy += 6 * u;
    draw_rect(d, x + pad, cy, w - 2 * pad, 1 * u, 0, C_EDGE);
    cy += 10 * u;
    char l[128];
    sim_stats_t shown;
    sim_stats_of(&p->sim.ring, p->scene.shown, p->stats.keys, p->stats.unassigned, &shown);
    const sim_stats_t *st = &shown;
    float cw = w - 2 * pad, step = lh + 6 * u;
    float col2 = g->compact ? x + pad : x + w * 0.5f + 4 * u, c1w = g->compact ? cw : col2 - x - pad - 6 * u;
    float c2w = g->compact ? cw : x + w - pad - col2;
    snprintf(l, sizeof l, "max/mean  %.3f", st->max_over_mean);
    hud_fit(d, FONT_SMALL, x + pad, cy, c1w, C_TEXT, l);
    cy += g->compact ? step : 0;
    snprintf(l, sizeof l, "std/mean  %.3f", st->std_over_mean);
    hud_fit(d, FONT_SMALL, col2, cy, c2w, C_TEXT, l);
    cy += step;
    hud_minmax_text(st->min, st->max, l, sizeof l);
    hud_fit(d, FONT_SMALL, x + pad, cy, cw, C_DIM, l);
    cy += step;
    if (g->compact) {
        if (g->led && hud_shard_quantum_text(p, l, sizeof l))
            hud_fit(d, FONT_SMALL, x + pad, cy, cw, C_TEXT, l);
        return;
    }
    mean_text(st->mean, l, sizeof l);
    hud_fit(d, FONT_SMALL, x + pad, cy, c1w, C_DIM, l);
    /* Keys no node holds data for, each only when there are some: lost
     * (red: no copy left), unassigned (no node at all). */
    char count[32];
    uint64_t lost = p->sim.repl.on ? p->sim.repl.lost_total : 0;
    if (lost || st->unassigned) {
        num_int(lost ? lost : st->unassigned, count, sizeof count);
        snprintf(l, sizeof l, "%s  %s", lost ? "lost" : "unassigned", count);
        hud_fit(d, FONT_SMALL, col2, cy, c2w, lost ? C_REMOVE : C_DIM, l);
    }
    cy += step;
    uint64_t size;
    const char *what = hud_structure_size(p, &size);
    num_int(size, count, sizeof count);
    snprintf(l, sizeof l, "%s  %s", what, count);
    if (font_width(&a->font, FONT_SMALL, l, strlen(l)) > c1w) {
        hud_count_text(size, count, sizeof count);
        snprintf(l, sizeof l, "%s  %s", what, count);
    }
    hud_fit(d, FONT_SMALL, x + pad, cy, c1w, C_DIM, l);
    zoom_text(p->view.zoom, l, sizeof l);
    hud_fit(d, FONT_SMALL, col2, cy, c2w, C_DIM, l);
    cy += step;
    if (g->led && hud_shard_quantum_text(p, l, sizeof l)) {
        hud_fit(d, FONT_SMALL, x + pad, cy, cw, C_TEXT, l);
        cy += step;
    }
    hud_fit(d, FONT_SMALL, x + pad, cy, cw, C_DIM, a->fps_text);
}

float hud_panel_height(const app_t *a, uint32_t rows)
{
    float u = a->hud_u, lh = (float)a->font.height[FONT_SMALL];
    int compact = a->panel_compact;
    return 2 * (compact ? 12 : 16) * u + lh + (compact ? 10 : 14) * u + (float)rows * (compact ? 19 : 22) * u;
}

void hud_panel(app_t *a, const pane_t *p, draw_t *d, app_rect_t box)
{
    a->panel_rows = 0;
    if (box.w <= 0)
        return;
    panel_plan_t g;
    if (!panel_plan(a, p, box, &g))
        return;
    hud_panel_box(d, g.x, g.y, g.w, g.h, g.u);
    if (g.stat_lines && g.btn_h > 0)
        panel_buttons(a, p, d, &g);
    float cy = panel_bars(a, p, d, &g);
    if (g.stat_lines)
        panel_stats(a, p, d, &g, cy);
}

float hud_compare_table_h(const app_t *a)
{
    float u = a->hud_u, pad = (a->panel_compact ? 12 : 16) * u, row = (float)a->font.height[FONT_SMALL] + 7 * u;
    return pad * 2 + row * (float)(a->pane_count + 2) + 4 * u;
}

float hud_compare_table(app_t *a, draw_t *d)
{
    if (a->panel.w <= 0)
        return 0;
    int compact = a->panel_compact;
    float u = a->hud_u, pad = (compact ? 12 : 16) * u, x = a->panel.x, y = a->panel.y, w = a->panel.w;
    float lh = (float)a->font.height[FONT_SMALL], row = lh + 7 * u;
    float h = hud_compare_table_h(a);
    hud_panel_box(d, x, y, w, h, u);
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
    /* A small sideways screen draws two panes: how many, at the heading's
     * right or in its place (the others' rows are dim). */
    if (a->pane_shown < a->pane_count) {
        char drawn[48];
        snprintf(drawn, sizeof drawn, "%d of %d drawn", a->pane_shown, a->pane_count);
        float dw = font_width(&a->font, FONT_SMALL, drawn, strlen(drawn));
        if (font_width(&a->font, FONT_SMALL, heading, strlen(heading)) + 12 * u + dw > w - 2 * pad)
            heading = "";
        hud_fit(d, FONT_SMALL, heading[0] ? x + w - pad - dw : x + pad, cy, w - 2 * pad, C_REBUILD, drawn);
    }
    hud_fit(d, FONT_SMALL, x + pad, cy, w - 2 * pad, C_DIM, heading);
    cy += row;
    for (int c = 0; c < nf; c++)
        hud_fit(d, FONT_SMALL, c0 + (float)c * fw, cy, fw - 4 * u, C_DIM, head[shown[c]]);
    cy += row + 4 * u;
    for (int i = 0; i < a->pane_count; i++) {
        const pane_t *p = &a->panes[i];
        char t[HUD_ROW_CELLS][HUD_ROW_CELL];
        hud_compare_row_text(p, pane_moved_landed(p), t);
        int focus = p == hud_focused(a) && a->look == APP_LOOK_FULL;
        if (focus)
            draw_rect(d, x + 6 * u, cy - 3 * u, w - 12 * u, row, 5 * u, 0xFFFFFF10u);
        hud_fit(d, FONT_SMALL, x + pad, cy, c0 - x - pad - 4 * u, focus ? C_ACCENT : i < a->pane_shown ? C_TEXT : C_DIM,
                t[0]);
        for (int c = 0; c < nf; c++)
            hud_fit(d, FONT_SMALL, c0 + (float)c * fw, cy, fw - 4 * u,
                    p->action.note[0] && shown[c] == 1 ? C_REBUILD : C_TEXT, t[shown[c]]);
        cy += row;
    }
    return h + 8 * u;
}
