/* hud_overlay — what lies over the ring and the panes: the strategy's
 * legend and structure (sst.h), the hover card, toasts, the script's
 * caption and title card, the help overlay (made from the key table,
 * app_keys.h) and the REC badge kept out of live recordings. */
#include "hud_priv.h"

#include "app_keys.h"
#include "live.h"
#include "num.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the strategy's legend and structure ---------------------------------- */

/* Where the strategy's legend line goes in pane p: its left end, the room
 * it has and the baseline row of its last line. */
static void legend_place(app_t *a, const pane_t *p, float *x, float *room, float *y)
{
    float u = a->hud_u, small = (float)a->font.height[FONT_SMALL];
    *x = fmaxf((float)p->view.area_x, 0.0f) + 20 * u;
    *room = (float)(p->view.area_x + p->view.area_w) - *x - 20 * u;
    if (a->look == APP_LOOK_CLEAN) {
        *y = (float)a->fb_h - 0.5f * (hud_caption_band(a) + small);
        const char *ct;
        float ca;
        app_rect_t cap;
        if (hud_caption_now(a, &ct, &ca, &cap) && cap.x + cap.w > *x && cap.x < *x + *room)
            *room = cap.x - 16 * u - *x;
        return;
    }
    /* on the hint row, after it; a pane that ends higher up (another below
     * it) at the foot of its cell, under its clouds */
    float row = a->bar.y - small - 10 * u, end = p->cell[1] + p->cell[3];
    *y = end < row - 2 * small - 30 * u ? end - small - 6 * u : row;
    app_rect_t help, link;
    float after = hud_hint_row(a, &help, &link) ? link.x + link.w + 14 * u : 0;
    if (*y == row && *x < after) {
        *room -= after - *x;
        *x = after;
    }
}

/* The legend's text broken into at most two lines that fit room; their
 * count, and where the second starts. 1 in *cut when the second does not
 * fit whole either. */
static int legend_lines(app_t *a, const char *text, float room, size_t *second, int *cut)
{
    *second = hud_wrap_len(&a->font, FONT_SMALL, text, room);
    *cut = text[*second] && font_width(&a->font, FONT_SMALL, text + *second, strlen(text + *second)) > room;
    return text[*second] ? 2 : 1;
}

/* The legend line of pane p as it will be drawn: its text, where (x, the
 * baseline row of its last line, the room it has), its lines. Beside the
 * hint row first; where two lines there would cut it, on the row above at
 * the pane's full width. */
typedef struct legend_set {
    char text[256];
    float x, y, room;
    int lines, cut;
    size_t second;
} legend_set_t;

static void legend_set(app_t *a, const pane_t *p, legend_set_t *l)
{
    hud_legend_text(p, l->text, sizeof l->text);
    legend_place(a, p, &l->x, &l->room, &l->y);
    l->lines = legend_lines(a, l->text, l->room, &l->second, &l->cut);
    float u = a->hud_u, x0 = fmaxf((float)p->view.area_x, 0.0f) + 20 * u;
    if (l->cut && l->x > x0 + 1 && a->look == APP_LOOK_FULL) {
        l->room += l->x - x0;
        l->x = x0;
        l->y -= (float)a->font.height[FONT_SMALL] + 6 * u;
        l->lines = legend_lines(a, l->text, l->room, &l->second, &l->cut);
    }
}

void hud_legend_box(app_t *a, const pane_t *p, app_rect_t *box)
{
    float u = a->hud_u, small = (float)a->font.height[FONT_SMALL];
    legend_set_t l;
    legend_set(a, p, &l);
    const char *t = l.text;
    float w = fminf(font_width(&a->font, FONT_SMALL, t, l.lines > 1 ? l.second : strlen(t)), l.room);
    if (l.lines > 1)
        w = fmaxf(w, fminf(font_width(&a->font, FONT_SMALL, t + l.second, strlen(t + l.second)), l.room));
    /* A small frame keeps its room for the node labels; a clip leaves out
     * a legend its caption would cut (the caption says what happens). */
    int fits = t[0] && l.room >= 120 * u && p->view.area_h >= 150 * u && !(a->look == APP_LOOK_CLEAN && l.cut);
    *box = (app_rect_t){l.x, l.y - (float)(l.lines - 1) * small, fits ? w : 0, (float)l.lines * small};
}

/* What the strategy's overlay needs to know of the frame and pointer. */
static sst_overlay_t overlay_of(app_t *a, const pane_t *p)
{
    sst_overlay_t o = {0};
    /* The hovered key is drawn in the pane under the pointer only. */
    int over_ui = a->hot_widget >= 0 || a->dragging || a->help || a->legend || p != hud_focused(a);
    o.mouse_x = over_ui ? -1 : a->mouse_x;
    o.mouse_y = a->mouse_y;
    o.u = a->hud_u;
    o.time = (float)a->clock;
    o.clip[0] = (float)p->view.area_x;
    o.clip[1] = (float)p->view.area_y;
    o.clip[2] = (float)(p->view.area_x + p->view.area_w);
    o.clip[3] = (float)(p->view.area_y + p->view.area_h);
    return o;
}

/* The legend line, then the strategy's own structure over the scene
 * (sst.h): labels, ticks, arrows; under the node labels. */
void hud_structure(app_t *a, pane_t *p, draw_t *d)
{
    app_rect_t lg;
    hud_legend_box(a, p, &lg);
    a->legend_line_cut[p - a->panes] = 0;
    if (lg.w > 0) {
        legend_set_t l;
        legend_set(a, p, &l);
        draw_text_n(d, FONT_SMALL, lg.x, lg.y, C_DIM, l.text, l.lines > 1 ? l.second : strlen(l.text));
        if (l.lines > 1)
            draw_text_fit(d, FONT_SMALL, lg.x, lg.y + a->font.height[FONT_SMALL], l.room, C_DIM, l.text + l.second);
        a->legend_line_cut[p - a->panes] = (uint8_t)l.cut;
    }
    sst_overlay_t o = overlay_of(a, p);
    sst_draw_overlay(&p->scene.sst, p->scene.nodes, d, &p->sim, &p->view, &o);
}

/* The hovered key's picture (score card, probe fan), over the labels. */
void hud_hover_key(app_t *a, pane_t *p, draw_t *d)
{
    sst_overlay_t o = overlay_of(a, p);
    /* A lump under the pointer (shards): its shard's card. */
    if (o.mouse_x >= 0)
        scene_lump_at(&p->scene, &p->sim, &p->view, p->params.cloud_r, (float)a->clock, o.mouse_x, o.mouse_y, &o);
    sst_draw_hover(&p->scene.sst, p->scene.nodes, d, &p->sim, &p->view, &o);
    const float *c = p->scene.sst.card;
    if (c[2] > 0)
        a->hover_box = (app_rect_t){c[0], c[1], c[2], c[3]};
}

/* ---- cards and messages ---------------------------------------------------- */

/* The ring point under the pointer: its node, vnode, hash and arc. */
void hud_hover_card(app_t *a, const pane_t *p, draw_t *d)
{
    if (!p->hover.active || p->hover.slot >= p->sim.ring.slot_count || !p->sim.ring.nodes[p->hover.slot].live)
        return;
    float u = a->hud_u;
    const pane_hover_t *h = &p->hover;
    draw_ring(d, h->px, h->py, 7 * u, 1.5f * u, 0xFFFFFFDDu);
    char l1[NODEID_MAX + 32], l2[64], l3[96];
    hud_hover_text(p, l1, sizeof l1, l2, sizeof l2, l3, sizeof l3);
    float lh = (float)a->font.height[FONT_SMALL];
    float w2 = font_width(&a->font, FONT_SMALL, l2, strlen(l2)), w3 = font_width(&a->font, FONT_SMALL, l3, strlen(l3));
    float w = fmaxf(fminf(font_width(&a->font, FONT_SMALL, l1, strlen(l1)), 260 * u), fmaxf(w2, w3));
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
    hud_card_box(d, x, y, bw, bh, u);
    a->hover_box = (app_rect_t){x, y, bw, bh};
    draw_rect(d, x, y + 10 * u, 3 * u, bh - 20 * u, 1.5f * u, hud_node_rgba(p, h->slot, 1));
    draw_text_fit(d, FONT_SMALL, x + 12 * u, y + 9 * u, w + 1, C_TEXT, l1);
    draw_text_fit(d, FONT_SMALL, x + 12 * u, y + 9 * u + lh + 2 * u, w + 1, C_DIM, l2);
    draw_text_fit(d, FONT_SMALL, x + 12 * u, y + 9 * u + 2 * lh + 4 * u, w + 1, C_DIM, l3);
}

void hud_toast(app_t *a, draw_t *d)
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
    char toast[sizeof a->toast];
    snprintf(toast, sizeof toast, "%s", a->toast);
    num_group(toast, sizeof toast); /* counts in messages from anywhere: "1,075" */
    float w = fminf(font_width(&a->font, FONT_BODY, toast, strlen(toast)), maxw) + 28 * u;
    float h = a->font.height[FONT_BODY] + 14 * u;
    float x = ((float)a->fb_w - w) * 0.5f, y = a->bar.y - h - 14 * u;
    draw_rect(d, x, y, w, h, h * 0.5f, hud_alpha(a->toast_error ? 0x3A1A20F0u : 0x1A2A22F0u, alpha));
    draw_rect_stroke(d, x, y, w, h, h * 0.5f, 1 * u, hud_alpha(a->toast_error ? C_REMOVE : C_ADD, 0.6f * alpha));
    draw_text_fit(d, FONT_BODY, x + 14 * u, y + 7 * u, maxw, hud_alpha(C_TEXT, alpha), toast);
}

/* The script's lower-third caption now: its text, alpha and box (fading
 * in; the one it replaced fades out first). 0 when none shows. */
int hud_caption_now(app_t *a, const char **text, float *alpha, app_rect_t *box)
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

void hud_caption(app_t *a, draw_t *d)
{
    const char *text;
    float alpha, u = a->hud_u;
    app_rect_t r;
    if (!hud_caption_now(a, &text, &alpha, &r))
        return;
    draw_rect(d, r.x, r.y, r.w, r.h, 8 * u, hud_alpha(0x0B1020E6u, alpha * 0.9f));
    draw_rect_stroke(d, r.x, r.y, r.w, r.h, 8 * u, 1 * u, hud_alpha(C_EDGE, alpha));
    draw_rect(d, r.x + 10 * u, r.y + 9 * u, 3 * u, r.h - 18 * u, 1.5f * u, hud_alpha(C_ACCENT, alpha));
    draw_text_fit(d, FONT_LARGE, r.x + 26 * u, r.y + 11 * u, r.w - 36 * u, hud_alpha(C_TEXT, alpha), text);
}

/* The script's title card: the frame dims, the title sits in the middle,
 * then both fade away over SCN_TITLE_SECONDS. */
void hud_title_card(app_t *a, draw_t *d)
{
    float age = (float)a->clock - a->title_t, total = (float)SCN_TITLE_SECONDS;
    if (!a->title_card[0] || age < 0 || age >= total)
        return;
    float alpha = fminf(1.0f, fminf(age / 0.3f, (total - age) / 0.6f));
    float u = a->hud_u, W = (float)a->fb_w, H = (float)a->fb_h;
    draw_rect(d, 0, 0, W, H, 0, hud_alpha(0x05070BFFu, 0.78f * alpha));
    font_size_t fs = FONT_HUGE;
    const char *t = a->title_card;
    float room = W - 48 * u;
    if (font_width(&a->font, fs, t, strlen(t)) > room)
        fs = FONT_TITLE;
    float tw = fminf(font_width(&a->font, fs, t, strlen(t)), room);
    float y = H * 0.5f - a->font.height[fs] * 0.5f - 8 * u;
    draw_text_fit(d, fs, (W - tw) * 0.5f, y, room, hud_alpha(C_TEXT, alpha), t);
    float lw = fminf(tw, 160 * u);
    draw_rect(d, (W - lw) * 0.5f, y + a->font.height[fs] + 14 * u, lw, 3 * u, 1.5f * u, hud_alpha(C_ACCENT, alpha));
}

/* ---- help ------------------------------------------------------------------ */

#define HELP_LINES 64

static const char *const mouse_lines[][2] = {
    {"Click a node", "Select it (again, or empty space: clear)"},
    {"Hover a ring point", "Its node, vnode index, hash and arc"},
    {"Hover near the ring", "multiprobe: the key's probe fan; rendezvous: its scores"},
    {"Wheel  /  drag", "Zoom around the cursor / pan"},
    {"Double-click", "Reset the view"},
    {"Buttons below", "Every action above, by mouse"},
};

static const char *const touch_lines[][2] = {
    {"Tap a node", "Select it (again, or empty space: clear)"},
    {"Tap a button", "Every action above, by finger"},
    {"Pinch", "Zoom around the fingers"},
    {"Drag (one or two fingers)", "Pan the view"},
    {"Double-tap", "Reset the view"},
    {"Drag the panel", "Scroll its node rows"},
};

static size_t add_lines(const char *out[][2], size_t n, const char *const lines[][2], size_t count)
{
    for (size_t i = 0; i < count && n < HELP_LINES; i++, n++)
        out[n][0] = lines[i][0], out[n][1] = lines[i][1];
    return n;
}

/* The help's lines: the key table's, a gap, then the mouse's. On a touch
 * screen the touch lines come first (a short screen cuts the list's end)
 * and replace the mouse ones; the keys follow, for an attached keyboard. */
static size_t help_lines(const app_t *a, const char *out[HELP_LINES][2])
{
    static const char *const gap[1][2] = {{"", ""}};
    size_t n = 0;
    int touch = hud_touch_layout(a);
    if (touch) {
        n = add_lines(out, n, touch_lines, sizeof touch_lines / sizeof touch_lines[0]);
        n = add_lines(out, n, gap, 1);
    }
    for (size_t i = 0; i < app_keys_help_count() && n < HELP_LINES; i++, n++)
        app_keys_help(i, &out[n][0], &out[n][1]);
    n = add_lines(out, n, gap, 1);
    if (!touch)
        n = add_lines(out, n, mouse_lines, sizeof mouse_lines / sizeof mouse_lines[0]);
    return n;
}

const char *const *hud_help_line(int touch, size_t i)
{
    /* The lines as a desktop shows them, or (touch) the touch gestures. */
    static const char *lines[HELP_LINES][2];
    static size_t n;
    if (touch)
        return i < sizeof touch_lines / sizeof touch_lines[0] ? touch_lines[i] : NULL;
    if (!n) {
        static const char *const gap[1][2] = {{"", ""}};
        for (; n < app_keys_help_count() && n < HELP_LINES; n++)
            app_keys_help(n, &lines[n][0], &lines[n][1]);
        n = add_lines(lines, n, gap, 1);
        n = add_lines(lines, n, mouse_lines, sizeof mouse_lines / sizeof mouse_lines[0]);
    }
    return i < n ? lines[i] : NULL;
}

/* How the help is set for this frame. */
typedef struct help_plan {
    font_size_t fs;
    float lh, kw, vw, eh;   /* line height, widths of keys and texts, height of an entry */
    int stack;              /* text under its key (too narrow side by side) */
    size_t fits;            /* entries the frame has room for */
} help_plan_t;

/* The body size where every line fits, else the small one; a frame too
 * short even for that shows the lines that fit (and says so). */
static void help_measure(app_t *a, const char *lines[][2], size_t n, help_plan_t *g)
{
    float u = a->hud_u;
    for (int pass = 0; pass < 2; pass++) {
        g->fs = pass ? FONT_SMALL : FONT_BODY;
        g->lh = a->font.height[g->fs] + 6 * u;
        g->kw = g->vw = 0;
        for (size_t i = 0; i < n; i++) {
            g->kw = fmaxf(g->kw, font_width(&a->font, g->fs, lines[i][0], strlen(lines[i][0])));
            g->vw = fmaxf(g->vw, font_width(&a->font, g->fs, lines[i][1], strlen(lines[i][1])));
        }
        /* Too narrow for key and text side by side (a phone upright): the
         * text goes under its key. */
        g->stack = g->kw + g->vw + 88 * u > (float)a->fb_w - 16 * u;
        g->eh = g->stack ? 2 * g->lh : g->lh;
        g->fits = (size_t)fmaxf(0, ((float)a->fb_h - 16 * u - 90 * u) / g->eh);
        if (g->fits >= n)
            break;
    }
}

void hud_help(app_t *a, draw_t *d)
{
    const char *lines[HELP_LINES][2];
    size_t n = help_lines(a, lines);
    help_plan_t g;
    help_measure(a, lines, n, &g);
    float u = a->hud_u, lh = g.lh, kw = g.kw, eh = g.eh;
    font_size_t fs = g.fs;
    int cut = g.fits < n;
    a->help_cut = cut;
    if (cut)
        n = g.fits > 1 ? g.fits - 1 : 0;
    float inner = g.stack ? fmaxf(kw, g.vw) : kw + g.vw + 32 * u;
    float w = fminf(inner + 56 * u, (float)a->fb_w - 16 * u);
    float h = fminf(n * eh + 90 * u + (cut ? lh : 0), (float)a->fb_h - 16 * u);
    float x = ((float)a->fb_w - w) * 0.5f, y = fmaxf(8 * u, ((float)a->fb_h - h) * 0.5f);
    float pad = w < 300 * u ? 14 * u : 28 * u;
    draw_rect(d, 0, 0, (float)a->fb_w, (float)a->fb_h, 0, 0x05070BA6u);
    hud_panel_box(d, x, y, w, h, u);
    draw_text(d, FONT_TITLE, x + pad, y + 20 * u, C_TEXT, "Controls");
    float ty = y + 30 * u + a->font.height[FONT_TITLE];
    for (size_t i = 0; i < n; i++) {
        if (g.stack) {
            draw_text_fit(d, fs, x + pad, ty, w - 2 * pad, C_ACCENT, lines[i][0]);
            draw_text_fit(d, fs, x + pad + 12 * u, ty + lh, w - 2 * pad - 12 * u, C_TEXT, lines[i][1]);
        } else {
            draw_text_fit(d, fs, x + pad, ty, kw + 4 * u, C_ACCENT, lines[i][0]);
            draw_text_fit(d, fs, x + pad + kw + 32 * u, ty, w - kw - 2 * pad - 14 * u, C_TEXT, lines[i][1]);
        }
        ty += eh;
    }
    if (cut)
        draw_text_fit(d, fs, x + pad, ty, w - 2 * pad, C_DIM, "\xE2\x80\xA6 a larger window shows every key");
    draw_text_fit(d, FONT_SMALL, x + pad, y + h - 26 * u, w - 2 * pad, C_DIM,
                  hud_touch_layout(a) ? "A tap closes this overlay" : "Esc, H or a click closes this overlay");
}

/* ---- over live recordings --------------------------------------------------- */

/* A red badge at the top centre while recording: dot, "REC mm:ss". */
void hud_rec_badge(app_t *a, draw_t *d)
{
    const char *rec = live_indicator();
    if (!rec)
        return;
    float u = a->dpi, h = a->font.height[FONT_BODY] + 10 * u;
    float tw = font_width(&a->font, FONT_BODY, rec, strlen(rec));
    float w = tw + h + 18 * u, x = 0.5f * ((float)a->fb_w - w), y = 10 * u;
    draw_rect(d, x, y, w, h, h * 0.5f, 0x2A080CE6u);
    draw_rect_stroke(d, x, y, w, h, h * 0.5f, 1 * u, 0xFF4D5ACCu);
    draw_circle(d, x + 0.5f * h + 4 * u, y + 0.5f * h, 5 * u, 0xFF4D5AFFu);
    draw_text(d, FONT_BODY, x + h + 6 * u, y + 5 * u, 0xFFD6DAFFu, rec);
}
