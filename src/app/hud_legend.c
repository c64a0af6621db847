/* hud_legend — "what am I looking at" (L, the Legend button): every mark
 * of the current view with a sample and a line on what it means.
 *
 * Driven from data, never a list per strategy: each row of the mark table
 * below says when it is on screen in terms of the strategy table's
 * structure (strat_ops_t.structure: its kind and drawing flags, vnodes,
 * own points, a capacity) or of the replication state, and names the key
 * that acts on it through the key table (app_keys_of). Each strategy
 * shown gets its one-line rule (strat_ops_t.legend) over its structure's
 * rows; the zones are listed by name in their colours. A new mark is one
 * row here (and its sample); a new strategy of a known kind needs nothing.
 */
#include "hud_priv.h"

#include "app_keys.h"
#include "hud_repl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* When a mark is on screen, for one pane. */
typedef enum legend_when {
    WHEN_ALWAYS,
    WHEN_KIND,       /* structure.kind == arg */
    WHEN_NOT_KIND,   /* structure.kind != arg */
    WHEN_FLAG,       /* structure.flags & arg */
    WHEN_VNODES,     /* the strategy places vnodes x weight points */
    WHEN_NO_VNODES,
    WHEN_OWN_POINTS, /* the strategy draws points of its own (strat_ops_t.points) */
    WHEN_TOTAL,      /* cells too many to see one by one (structure.cells_total) */
    WHEN_CAPACITY,   /* a bound per node (structure.capacity) */
    WHEN_SELECTED,   /* a node is selected */
    WHEN_REPL,       /* replication on */
    WHEN_CRASHED,    /* a crashed node is drawn where it stood */
    WHEN_ZONES,      /* some node has a zone */
    WHEN_COMPARE,    /* more than one pane */
    WHEN_SHARDS,     /* keys go to shards that move whole (strat_ops_t.shards): lumps */
    WHEN_SHARD_COPIES, /* shards with replication on: copies are lumps too */
} legend_when_t;

/* How a mark's sample is drawn. */
typedef enum legend_sample {
    SAMPLE_CLOUD, SAMPLE_KEY, SAMPLE_FLIGHT, SAMPLE_ARCS, SAMPLE_FINE, SAMPLE_POINTS, SAMPLE_CELLS, SAMPLE_RULE,
    SAMPLE_ARROW,
    SAMPLE_TICK, SAMPLE_CARD, SAMPLE_FAN, SAMPLE_BAR_MEAN, SAMPLE_BAR_CAP, SAMPLE_TEXT, SAMPLE_SELECTED,
    SAMPLE_COPY, SAMPLE_HEAL, SAMPLE_PULSE, SAMPLE_LOST, SAMPLE_CRASHED, SAMPLE_ZONE, SAMPLE_PANE,
    SAMPLE_LUMPS, SAMPLE_CONVOY, SAMPLE_COPY_LUMP,
} legend_sample_t;

/* Where a row belongs: the strategy's own structure (under its rule), or
 * one of the sections after it. */
enum { GROUP_STRUCTURE, GROUP_NODES, GROUP_PANEL, GROUP_REPLICAS, GROUPS };

typedef struct legend_row {
    hud_mark_t mark;
    int group;
    legend_when_t when;
    unsigned arg;
    legend_sample_t sample;
    const char *name, *text;
    int key;                     /* keys_action_t whose key the line names, or -1 */
} legend_row_t;

static const legend_row_t rows[] = {
    {HUD_MARK_BAND_ARCS, GROUP_STRUCTURE, WHEN_KIND, STRAT_STRUCTURE_POINTS, SAMPLE_ARCS, "band",
     "inside the ring: the node that owns the keys hashing at each angle, arc by arc", -1},
    {HUD_MARK_BAND_FINE, GROUP_STRUCTURE, WHEN_NOT_KIND, STRAT_STRUCTURE_POINTS, SAMPLE_FINE, "band",
     "inside the ring: each angle's owner; a fine pattern, as owners do not follow the hash round the circle", -1},
    {HUD_MARK_VNODES, GROUP_STRUCTURE, WHEN_VNODES, 0, SAMPLE_POINTS, "ring points",
     "vnodes \xC3\x97 weight per node, in its colour; hover one for its hash and arc", -1},
    {HUD_MARK_OWN_POINTS, GROUP_STRUCTURE, WHEN_OWN_POINTS, 0, SAMPLE_POINTS, "ring points",
     "the strategy's own points on the ring, in their node's colour", -1},
    {HUD_MARK_CELLS, GROUP_STRUCTURE, WHEN_KIND, STRAT_STRUCTURE_CELLS, SAMPLE_CELLS, "cell ring",
     "outside the ring: cell c of C covers [c, c+1)/C of the circle, in its node's colour; a changed cell flashes",
     -1},
    {HUD_MARK_CELLS_THIN, GROUP_STRUCTURE, WHEN_TOTAL, 0, SAMPLE_TEXT, "M = \xE2\x80\xA6 cells",
     "too many cells to see one by one: zoom in on the cell ring", KEYS_VIEW},
    {HUD_MARK_SWAP, GROUP_STRUCTURE, WHEN_FLAG, STRAT_DRAW_SWAP, SAMPLE_ARROW, "arrow",
     "a removed bucket: the last bucket's node slides into the freed one", -1},
    {HUD_MARK_TICKS, GROUP_STRUCTURE, WHEN_FLAG, STRAT_DRAW_OVERFLOW, SAMPLE_TICK, "amber tick",
     "a key placed past its first choice: that node was at capacity", -1},
    {HUD_MARK_RULE, GROUP_STRUCTURE, WHEN_FLAG, STRAT_DRAW_OVERFLOW, SAMPLE_RULE, "inner ring",
     "where a new key hashing there would go now: nodes at capacity are passed by (the band shows where keys are)",
     -1},
    {HUD_MARK_SHARD_CELLS, GROUP_STRUCTURE, WHEN_KIND, STRAT_STRUCTURE_SHARDS, SAMPLE_CELLS, "shard cells",
     "outside the ring: cell s is shard s, in its primary's colour; a shard that changed hands flashes; hover one "
     "for its card", -1},
    {HUD_MARK_LUMPS, GROUP_STRUCTURE, WHEN_SHARDS, 0, SAMPLE_LUMPS, "lump",
     "one shard: its keys together in the cloud of the node that leads it (a node of 13 shards shows 13); hover "
     "one for its number, keys and holders", -1},
    {HUD_MARK_CONVOY, GROUP_STRUCTURE, WHEN_SHARDS, 0, SAMPLE_CONVOY, "convoy",
     "a shard moving whole: all its keys leave and land together, through its cell, keeping their places", -1},
    {HUD_MARK_SCORES, GROUP_STRUCTURE, WHEN_KIND, STRAT_STRUCTURE_SCORES, SAMPLE_CARD, "score card",
     "hover near the ring: every node's score for the key there; the highest, framed, wins", -1},
    {HUD_MARK_PROBES, GROUP_STRUCTURE, WHEN_KIND, STRAT_STRUCTURE_PROBES, SAMPLE_FAN, "probe fan",
     "hover near the ring: the key's probes; the one nearest a point clockwise wins", -1},

    {HUD_MARK_NODE, GROUP_NODES, WHEN_ALWAYS, 0, SAMPLE_CLOUD, "node",
     "a cloud of its keys; its colour comes from its id; label: keys, vnodes or weight, share, zone", -1},
    {HUD_MARK_KEY, GROUP_NODES, WHEN_ALWAYS, 0, SAMPLE_KEY, "dot", "one embedding (key) in its owner's cloud", -1},
    {HUD_MARK_FLIGHT, GROUP_NODES, WHEN_ALWAYS, 0, SAMPLE_FLIGHT, "white blob",
     "a key in flight after a change: old node, its place on the structure, new node", -1},
    {HUD_MARK_RING_SHARE, GROUP_NODES, WHEN_VNODES, 0, SAMPLE_TEXT, "ring share",
     "a label's share of the ring's arcs: where keys would land, not where they are", -1},
    {HUD_MARK_SELECTED, GROUP_NODES, WHEN_SELECTED, 0, SAMPLE_SELECTED, "white ring",
     "the selected node (weight and crash act on it)", KEYS_SELECT},

    {HUD_MARK_BARS, GROUP_PANEL, WHEN_ALWAYS, 0, SAMPLE_BAR_MEAN, "bar, white mark",
     "keys per node as drawn; the mark is the mean", -1},
    {HUD_MARK_KEY_SHARE, GROUP_PANEL, WHEN_ALWAYS, 0, SAMPLE_TEXT, "key share",
     "a node's share of the keys (the panel's column; labels too where there are no arcs)", -1},
    {HUD_MARK_CAPACITY, GROUP_PANEL, WHEN_CAPACITY, 0, SAMPLE_BAR_CAP, "amber mark",
     "the node's capacity, ceil(balance \xC2\xB7 m \xC2\xB7 w / (100 \xC2\xB7 W)) keys: no bar passes it", -1},
    {HUD_MARK_SHARDS_LED, GROUP_PANEL, WHEN_SHARDS, 0, SAMPLE_TEXT, "shards, S/n",
     "shards each node leads (the column before its keys); whole shards cannot split, so with S/n not whole "
     "max/mean can be no better than the line under the figures says", -1},
    {HUD_MARK_PANES, GROUP_PANEL, WHEN_COMPARE, 0, SAMPLE_PANE, "pane header",
     "each strategy's own counter line; underlined: the pane the panel and keys act on", -1},

    {HUD_MARK_COPIES, GROUP_REPLICAS, WHEN_REPL, 0, SAMPLE_COPY, "dim dot",
     "a replica copy, in its primary's colour, in the cloud of the node that holds it", -1},
    {HUD_MARK_SHARD_COPIES, GROUP_REPLICAS, WHEN_SHARD_COPIES, 0, SAMPLE_COPY_LUMP, "dim lump",
     "a copy of a shard: its keys' copies together, in its primary's colour, at the node that holds it", -1},
    {HUD_MARK_HEALING, GROUP_REPLICAS, WHEN_REPL, 0, SAMPLE_HEAL, "green flight", "a copy being made", -1},
    {HUD_MARK_UNDER, GROUP_REPLICAS, WHEN_REPL, 0, SAMPLE_PULSE, "amber pulse",
     "under-replicated: a key missing copies; it pulses until healed", KEYS_HEAL},
    {HUD_MARK_LOST, GROUP_REPLICAS, WHEN_REPL, 0, SAMPLE_LOST, "red, falling",
     "lost: a key whose every copy was on crashed nodes", -1},
    {HUD_MARK_CRASHED, GROUP_REPLICAS, WHEN_CRASHED, 0, SAMPLE_CRASHED, "grey ring, \xE2\x9C\x95",
     "a crashed node, drawn where it stood until it recovers", KEYS_CRASH},
    {HUD_MARK_ZONES, GROUP_REPLICAS, WHEN_ZONES, 0, SAMPLE_ZONE, "zone ring",
     "dashed, in the colour of the node's zone (below); copies go to distinct zones first", -1},
};

#define ROWS (sizeof rows / sizeof rows[0])
#define LEGEND_LINES 96

static const char *const group_title[GROUPS] = {"", "Nodes and keys", "The panel", "Replicas"};

static int when_true(const app_t *a, const pane_t *p, legend_when_t w, unsigned arg)
{
    const strat_ops_t *ops = p->sim.strat.ops;
    switch (w) {
    case WHEN_ALWAYS: return 1;
    case WHEN_KIND: return ops->structure.kind == (strat_structure_kind_t)arg;
    case WHEN_NOT_KIND: return ops->structure.kind != (strat_structure_kind_t)arg;
    case WHEN_FLAG: return (ops->structure.flags & arg) != 0;
    case WHEN_VNODES: return ops->uses_vnodes;
    case WHEN_NO_VNODES: return !ops->uses_vnodes;
    case WHEN_OWN_POINTS: return ops->points != NULL;
    case WHEN_TOTAL: return ops->structure.cells_total != NULL;
    case WHEN_CAPACITY: return ops->structure.capacity != NULL;
    case WHEN_SELECTED: return p->selected != SCENE_NONE;
    case WHEN_REPL: return p->sim.repl.on;
    case WHEN_CRASHED: return p->scene.repl.ghost_count > 0;
    case WHEN_ZONES: return p->sim.repl.zone_count > 0;
    case WHEN_COMPARE: return a->pane_count > 1;
    case WHEN_SHARDS: return ops->shards != NULL;
    case WHEN_SHARD_COPIES: return ops->shards != NULL && p->sim.repl.on;
    }
    return 0;
}

/* One line of the legend as laid out: a heading, a strategy's rule, a
 * mark (its row) or a zone. */
typedef struct legend_line {
    int kind;                    /* 0 heading, 1 rule, 2 mark, 3 zone */
    const legend_row_t *row;
    const pane_t *pane;          /* whose colours the sample takes */
    uint32_t zone;
    char text[320];
} legend_line_t;

static size_t add_line(legend_line_t *out, size_t n, int kind, const legend_row_t *row, const pane_t *p,
                       const char *text)
{
    if (n >= LEGEND_LINES)
        return n;
    out[n] = (legend_line_t){.kind = kind, .row = row, .pane = p};
    snprintf(out[n].text, sizeof out[n].text, "%s", text);
    return n + 1;
}

/* The structure rows of each strategy on screen (once per strategy),
 * under its rule. */
static size_t structure_lines(app_t *a, legend_line_t *out, size_t n)
{
    for (int i = 0; i < a->pane_count; i++) {
        const pane_t *p = &a->panes[i];
        int seen = 0;
        for (int k = 0; k < i; k++)
            seen |= a->panes[k].sim.strat.kind == p->sim.strat.kind;
        if (seen)
            continue;
        char rule[256];
        hud_legend_text(p, rule, sizeof rule);
        n = add_line(out, n, 1, NULL, p, rule);
        for (size_t r = 0; r < ROWS; r++)
            if (rows[r].group == GROUP_STRUCTURE && when_true(a, p, rows[r].when, rows[r].arg)) {
                n = add_line(out, n, 2, &rows[r], p, rows[r].text);
                a->legend_marks |= 1ull << rows[r].mark;
            }
    }
    return n;
}

/* Every line of the legend, in order; records the marks named. */
static size_t legend_lines(app_t *a, legend_line_t *out)
{
    a->legend_marks = 0;
    size_t n = structure_lines(a, out, 0);
    const pane_t *fp = hud_focused(a);
    for (int g = GROUP_NODES; g < GROUPS; g++) {
        int titled = 0;
        for (size_t r = 0; r < ROWS; r++) {
            if (rows[r].group != g)
                continue;
            const pane_t *on = NULL;
            for (int i = 0; i < a->pane_count && !on; i++)
                if (when_true(a, &a->panes[i], rows[r].when, rows[r].arg))
                    on = &a->panes[i];
            if (!on)
                continue;
            if (!titled++)
                n = add_line(out, n, 0, NULL, fp, group_title[g]);
            char text[320];
            const char *key = rows[r].key >= 0 ? app_keys_of((keys_action_t)rows[r].key) : "";
            snprintf(text, sizeof text, "%s%s%s%s", rows[r].text, key[0] ? " (" : "", key, key[0] ? ")" : "");
            n = add_line(out, n, 2, &rows[r], on, text);
            a->legend_marks |= 1ull << rows[r].mark;
            if (rows[r].mark == HUD_MARK_ZONES)
                for (uint32_t z = 0; z < on->sim.repl.zone_count && n < LEGEND_LINES; z++) {
                    n = add_line(out, n, 3, NULL, on, on->sim.repl.zone_names[z]);
                    out[n - 1].zone = z;
                }
        }
    }
    return n;
}

/* A mark's sample in a box of w x h at (x, y). */
static void sample(app_t *a, draw_t *d, const legend_line_t *l, float x, float y, float w, float h)
{
    const pane_t *p = l->pane;
    float u = a->hud_u, cx = x + 0.5f * w, cy = y + 0.5f * h;
    uint32_t c[4];
    for (int i = 0; i < 4; i++)
        c[i] = p->sorted_count ? hud_node_rgba(p, p->sorted[(uint32_t)i % p->sorted_count], 1) : C_ACCENT;
    if (l->kind == 3) {
        hud_repl_zone_ring(d, cx, cy, 0.4f * h, 0.7f * u, hud_repl_zone_rgba(l->zone, 0.95f));
        return;
    }
    switch (l->row->sample) {
    case SAMPLE_CLOUD:
        for (int i = 0; i < 9; i++)
            draw_circle(d, cx + 0.3f * h * cosf((float)i * 2.4f), cy + 0.3f * h * sinf((float)i * 1.7f), 1.5f * u,
                        c[0]);
        break;
    case SAMPLE_KEY: draw_circle(d, cx, cy, 2 * u, c[1]); break;
    case SAMPLE_FLIGHT:
        draw_line(d, x + 2 * u, cy + 3 * u, cx, cy, 1.5f * u, 0xFFFFFF50u);
        draw_circle(d, cx, cy, 3.5f * u, 0xFFFFFFFFu);
        break;
    case SAMPLE_ARCS:
    case SAMPLE_FINE:
    case SAMPLE_CELLS:
    case SAMPLE_RULE: {
        int parts = l->row->sample == SAMPLE_FINE ? 12 : 4;
        int thin = l->row->sample == SAMPLE_CELLS || l->row->sample == SAMPLE_RULE;
        float bw = w / (float)parts, bh = thin ? 3 * u : 7 * u;
        for (int i = 0; i < parts; i++)
            draw_rect(d, x + bw * (float)i, cy - 0.5f * bh, bw - (l->row->sample == SAMPLE_CELLS ? 1.5f * u : 0), bh,
                      0, c[(i * 7 + i / 3) % 4]);
        break;
    }
    case SAMPLE_POINTS:
        draw_rect(d, x, cy - 0.5f * u, w, 1 * u, 0, 0xFFFFFF30u);
        for (int i = 0; i < 4; i++)
            draw_circle(d, x + w * (0.12f + 0.25f * (float)i), cy, 2.5f * u, c[i]);
        break;
    case SAMPLE_ARROW:
        draw_line(d, x + 2 * u, cy, x + w - 4 * u, cy, 2 * u, c[2]);
        draw_line(d, x + w - 4 * u, cy, x + w - 10 * u, cy - 5 * u, 2 * u, c[2]);
        draw_line(d, x + w - 4 * u, cy, x + w - 10 * u, cy + 5 * u, 2 * u, c[2]);
        break;
    case SAMPLE_TICK: draw_rect(d, cx - 1 * u, cy - 5 * u, 2 * u, 10 * u, 0, C_REBUILD); break;
    case SAMPLE_CARD:
        draw_rect(d, x + 2 * u, y + 1 * u, w - 4 * u, h - 2 * u, 3 * u, 0x121722FFu);
        draw_rect(d, x + 5 * u, cy - 3 * u, w * 0.6f, 2.5f * u, 1 * u, c[0]);
        draw_rect_stroke(d, x + 4 * u, cy + 1 * u, w * 0.75f, 4 * u, 1 * u, 1 * u, 0xFFFFFFFFu);
        break;
    case SAMPLE_FAN:
        for (int i = 0; i < 3; i++)
            draw_line(d, x + 3 * u, cy + 4 * u, x + w - 3 * u, cy - 6 * u + 5 * u * (float)i, 1 * u, 0xFFFFFF80u);
        draw_circle(d, x + w - 3 * u, cy - 6 * u, 2.5f * u, c[1]);
        break;
    case SAMPLE_BAR_MEAN:
    case SAMPLE_BAR_CAP:
        draw_rect(d, x, cy - 4 * u, w, 8 * u, 3 * u, 0x1E2536FFu);
        draw_rect(d, x, cy - 4 * u, w * 0.7f, 8 * u, 3 * u, c[0]);
        if (l->row->sample == SAMPLE_BAR_MEAN)
            draw_rect(d, x + w * 0.55f, cy - 6 * u, 1 * u, 12 * u, 0, 0xFFFFFF99u);
        else
            draw_rect(d, x + w * 0.8f - 1 * u, cy - 7 * u, 2 * u, 14 * u, 0, C_REBUILD);
        break;
    case SAMPLE_TEXT: draw_text_fit(d, FONT_SMALL, x, cy - 0.5f * a->font.height[FONT_SMALL], w, C_DIM, "%"); break;
    case SAMPLE_SELECTED: draw_ring(d, cx, cy, 0.38f * h, 1.5f * u, 0xFFFFFFC0u); break;
    case SAMPLE_COPY: draw_circle(d, cx, cy, 2 * u, hud_alpha(c[0], 0.45f)); break;
    case SAMPLE_HEAL: draw_circle(d, cx, cy, 3 * u, 0x73FFB3FFu); break;
    case SAMPLE_PULSE: draw_ring(d, cx, cy, 4 * u, 1.5f * u, C_REBUILD); break;
    case SAMPLE_LOST: draw_circle(d, cx, cy + 3 * u, 2.5f * u, 0xFF291FFFu); break;
    case SAMPLE_CRASHED:
        draw_ring(d, cx, cy, 0.38f * h, 1.5f * u, 0x8A93A6CCu);
        draw_line(d, cx - 4 * u, cy - 4 * u, cx + 4 * u, cy + 4 * u, 2 * u, C_REMOVE);
        draw_line(d, cx - 4 * u, cy + 4 * u, cx + 4 * u, cy - 4 * u, 2 * u, C_REMOVE);
        break;
    case SAMPLE_ZONE: hud_repl_zone_ring(d, cx, cy, 0.4f * h, 0.7f * u, hud_repl_zone_rgba(0, 0.95f)); break;
    case SAMPLE_PANE: draw_rect(d, x + 2 * u, cy + 4 * u, w - 8 * u, 1.5f * u, 0, C_ACCENT); break;
    case SAMPLE_LUMPS:
    case SAMPLE_COPY_LUMP:
    case SAMPLE_CONVOY: {
        /* clusters of dots: three lumps, a dim one, or one in white on its way */
        int lumps = l->row->sample == SAMPLE_LUMPS ? 3 : 1;
        for (int k = 0; k < lumps; k++) {
            float lx = lumps > 1 ? x + w * (0.2f + 0.3f * (float)k) : cx, r = 0.17f * h;
            uint32_t col = l->row->sample == SAMPLE_CONVOY ? 0xFFFFFFFFu
                           : l->row->sample == SAMPLE_COPY_LUMP ? hud_alpha(c[k], 0.45f) : c[0];
            for (int i = 0; i < 7; i++)
                draw_circle(d, lx + r * cosf((float)i * 2.4f) * (i ? 1.0f : 0.0f),
                            cy + r * sinf((float)i * 2.4f) * (i ? 1.0f : 0.0f), 1.2f * u, col);
        }
        if (l->row->sample == SAMPLE_CONVOY)
            draw_line(d, x + 2 * u, cy + 4 * u, cx - 0.25f * h, cy + 1 * u, 1.5f * u, 0xFFFFFF50u);
        break;
    }
    }
}

/* How the legend is set for this frame. */
typedef struct legend_plan {
    float x, y, w, h, u, pad, lh, sample_w, col_w;
    int cols;
    size_t fits;                 /* lines shown */
} legend_plan_t;

/* A line's text: "name — text" for a mark, else its own. */
static void line_text(const legend_line_t *l, char *out, size_t n)
{
    if (l->kind == 2)
        snprintf(out, n, "%s  \xE2\x80\x94  %s", l->row->name, l->text);
    else
        snprintf(out, n, "%s", l->text);
}

/* A line's height in a column of width w (wrapped text), and its text. */
static float line_height(app_t *a, const legend_plan_t *g, const legend_line_t *l, float w, char *t, size_t n)
{
    line_text(l, t, n);
    float room = w - (l->kind >= 2 ? g->sample_w : 0), h = 0;
    font_size_t fs = l->kind == 0 ? FONT_BODY : FONT_SMALL;
    for (const char *s = t; *s; s += hud_wrap_len(&a->font, fs, s, room))
        h += (float)a->font.height[fs] + 2 * g->u;
    return h + (l->kind == 0 ? 6 : l->kind == 1 ? 3 : 2) * g->u;
}

/* Columns and size: one column where the lines fit, else two side by side,
 * else the lines that fit (legend_cut says so). */
static void legend_measure(app_t *a, const legend_line_t *lines, size_t n, legend_plan_t *g)
{
    float u = a->hud_u, W = (float)a->fb_w;
    g->u = u;
    g->pad = 16 * u;
    g->sample_w = 40 * u;
    float top = 12 * u, bottom = a->bar.y - 4 * u, avail = bottom - top - 2 * g->pad - 34 * u;
    char t[400];
    for (g->cols = 1; g->cols <= 2; g->cols++) {
        g->w = fminf(W - 24 * u, g->cols == 1 ? 640 * u : 1100 * u);
        g->col_w = (g->w - 2 * g->pad - (float)(g->cols - 1) * 20 * u) / (float)g->cols;
        float col_h = 0, tallest = 0;
        int col = 0;
        g->fits = n;
        for (size_t i = 0; i < n; i++) {
            float h = line_height(a, g, &lines[i], g->col_w, t, sizeof t);
            if (col_h + h > avail && col + 1 < g->cols)
                col++, col_h = 0;
            if (col_h + h > avail) {
                g->fits = i;
                break;
            }
            col_h += h;
            tallest = fmaxf(tallest, col_h);
        }
        g->h = tallest + 2 * g->pad + 34 * u;
        if (g->fits == n || g->col_w < 300 * u || g->cols == 2)
            break;
    }
    if (g->fits < n)
        g->h = bottom - top;
    g->x = 12 * u;
    g->y = fmaxf(top, bottom - g->h);
}

/* One line at (x, y) in a column of width w; returns its height. */
static float legend_line(app_t *a, draw_t *d, const legend_plan_t *g, const legend_line_t *l, float x, float y,
                         float w)
{
    char t[400];
    float h = line_height(a, g, l, w, t, sizeof t), u = g->u;
    font_size_t fs = l->kind == 0 ? FONT_BODY : FONT_SMALL;
    float lh = (float)a->font.height[fs] + 2 * u, tx = x + (l->kind >= 2 ? g->sample_w : 0);
    uint32_t colour = l->kind == 0 ? C_TEXT : l->kind == 1 ? C_ACCENT : l->kind == 3 ? hud_repl_zone_rgba(l->zone, 1)
                                                                                       : C_DIM;
    if (l->kind >= 2)
        sample(a, d, l, x, y, g->sample_w - 10 * u, lh);
    size_t name = l->kind == 2 ? strlen(l->row->name) : 0;
    const char *s = t;
    for (float ly = y; *s; ly += lh) {
        size_t k = hud_wrap_len(&a->font, fs, s, w - (tx - x));
        if (s == t && name && name <= k) { /* the mark's name stands out */
            float nw = draw_text_n(d, fs, tx, ly, C_TEXT, s, name);
            draw_text_n(d, fs, tx + nw, ly, colour, s + name, k - name);
        } else {
            draw_text_n(d, fs, tx, ly, colour, s, k);
        }
        s += k;
    }
    return h;
}

void hud_legend(app_t *a, draw_t *d)
{
    static legend_line_t lines[LEGEND_LINES];
    size_t n = legend_lines(a, lines);
    legend_plan_t g;
    legend_measure(a, lines, n, &g);
    float u = g.u;
    a->legend_cut = g.fits < n;
    hud_panel_box(d, g.x, g.y, g.w, g.h, u);
    draw_rect(d, g.x, g.y, g.w, g.h, 10 * u, 0x0B0F18F0u); /* opaque: nothing shows through */
    draw_text(d, FONT_TITLE, g.x + g.pad, g.y + g.pad - 4 * u, C_TEXT, "What am I looking at");
    const char *close = hud_touch_layout(a) ? "Legend closes it" : "L or Esc closes it";
    float cw = font_width(&a->font, FONT_SMALL, close, strlen(close));
    draw_text(d, FONT_SMALL, g.x + g.w - g.pad - cw, g.y + g.pad, C_FAINT, close);
    float top = g.y + g.pad + 34 * u, x = g.x + g.pad, y = top, bottom = g.y + g.h - g.pad;
    char t[400];
    for (size_t i = 0; i < g.fits; i++) {
        float h = line_height(a, &g, &lines[i], g.col_w, t, sizeof t);
        if (y + h > bottom + 0.5f && x + g.col_w < g.x + g.w - g.pad - 1) {
            x += g.col_w + 20 * u;
            y = top;
        }
        y += legend_line(a, d, &g, &lines[i], x, y, g.col_w);
    }
    if (a->legend_cut)
        draw_text_fit(d, FONT_SMALL, x, fminf(y, bottom - a->font.height[FONT_SMALL]), g.col_w, C_DIM,
                      "\xE2\x80\xA6 a larger window shows every mark");
}
