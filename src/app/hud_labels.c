/* hud_labels — node labels: id, keys and weight or vnodes, share and zone.
 * Placed greedily by priority (selected, hovered, then more keys first,
 * then id order); a label that would overlap one already placed, the
 * title, the panel or the bar drops to its id alone, and then is left out
 * (selected and hovered nodes are placed first, so theirs always shows).
 * Kept inside the frame, in compare mode inside the pane's cell. */
#include "hud_priv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_MANY 64  /* beyond this many nodes only the biggest few get labels */
#define LABEL_FEW 8

/* What the labels of one pane keep within and clear of. */
typedef struct label_frame {
    float u, W, top, bottom, lo_x, lo_y;  /* frame (or cell) edges, pixels */
    float lh1, lh2;                       /* line heights: id, figures */
    double cx, cy, cloud_px;              /* the ring's centre, a cloud's radius */
    uint32_t n;                           /* nodes */
} label_frame_t;

typedef struct label_key {
    int prio;          /* 2: selected, 1: hovered */
    uint64_t shown;    /* keys drawn */
    uint16_t slot;
} label_key_t;

/* Priority: selected, hovered, then more keys first, then id order. */
static int label_cmp(const void *pa, const void *pb)
{
    const label_key_t *x = pa, *y = pb;
    if (x->prio != y->prio)
        return y->prio - x->prio;
    if (x->shown != y->shown)
        return x->shown > y->shown ? -1 : 1;
    return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static int overlaps(const app_rect_t *r, const app_rect_t *o)
{
    return o->w > 0 && r->x < o->x + o->w && o->x < r->x + r->w && r->y < o->y + o->h && o->y < r->y + r->h;
}

/* The boxes labels keep clear of before any is placed: the "H: help" hint
 * above the bar, the caption, the strategy's legend, the PAUSED box. */
static uint32_t label_obstacles(app_t *a, const pane_t *p, const label_frame_t *f, app_rect_t *placed)
{
    uint32_t m = 0;
    float u = f->u;
    if (a->bar_level < 3 && a->look == APP_LOOK_FULL)
        placed[m++] = (app_rect_t){0, a->bar.y - f->lh2 - 14 * u, 80 * u, f->lh2 + 8 * u};
    const char *cap_text;
    float cap_alpha;
    if (hud_caption_now(a, &cap_text, &cap_alpha, &placed[m]))
        m++;
    hud_legend_box(a, p, &placed[m]);
    if (placed[m].w > 0)
        m++;
    if (a->pause_box.w > 0)
        placed[m++] = a->pause_box;
    return m;
}

/* Finds a place for a label of widths w1 (id) and w2 (figures) anchored at
 * (ax, ay), leaning by (hx, hy): full (three lines) first where allowed,
 * then the id alone. 0: no place; else *box and *full. */
static int label_place(const app_t *a, const label_frame_t *f, const app_rect_t *placed, uint32_t m, int sel_or_hot,
                       double ax, double ay, float hx, float hy, float w1, float w2, int *full, app_rect_t *box)
{
    float u = f->u;
    int ok = 0;
    for (int tries = *full ? 0 : 1; tries < 2 && !ok; tries++) {
        int compact = tries == 1;
        float bw = compact ? w1 : fmaxf(w1, w2), bh = compact ? f->lh1 : f->lh1 + 2 * f->lh2;
        *box = (app_rect_t){(float)ax - bw * hx, (float)ay - bh * hy, bw, bh};
        /* Slide inside the frame (between the title and the bar). */
        if (box->x < f->lo_x + 4 * u) box->x = f->lo_x + 4 * u;
        if (box->x + box->w > f->W - 4 * u) box->x = f->W - 4 * u - box->w;
        if (box->y + box->h > f->bottom) box->y = f->bottom - box->h;
        if (box->y < f->lo_y + 4 * u) box->y = f->lo_y + 4 * u;
        float slid = fabsf(box->x - ((float)ax - bw * hx)) + fabsf(box->y - ((float)ay - bh * hy));
        app_rect_t pad = {box->x - 4 * u, box->y - 2 * u, box->w + 8 * u, box->h + 4 * u};
        /* Pushed far from its node (over the cloud): not this form. */
        ok = box->y + box->h <= f->bottom + 0.5f && slid <= 0.6f * f->lh1;
        for (uint32_t k = 0; ok && k < m; k++)
            ok = !overlaps(&pad, &placed[k]);
        if (ok && !sel_or_hot)
            ok = !overlaps(&pad, &a->panel) && !(pad.y < f->top && overlaps(&pad, &a->title_box));
        if (ok || sel_or_hot) {
            ok = 1;
            *full = !compact;
        }
    }
    return ok;
}

/* One node's label, if it finds a place; adds its box to placed. */
static void label_one(app_t *a, const pane_t *p, draw_t *d, const label_frame_t *f, uint16_t s, app_rect_t *placed,
                      uint32_t *m)
{
    float u = f->u, W = f->W;
    int sel = s == p->selected, hot = s == p->hover_node;
    double nx, ny;
    pane_node_px(p, s, (float)a->clock, &nx, &ny);
    double cloud_px = f->cloud_px;
    if (nx < -cloud_px || nx > W + cloud_px || ny < -cloud_px || ny > a->fb_h + cloud_px)
        return; /* off screen (zoomed in) */
    double dx = nx - f->cx, dy = ny - f->cy, len = hypot(dx, dy);
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
    hud_node_text(p, s, l2, sizeof l2, l3, sizeof l3);
    float maxw = (float)fmin(170 * u, fmax(60 * u, 2 * cloud_px + 40 * u));
    maxw = fminf(maxw, W - 8 * u);
    float w1 = fminf(font_width(&a->font, FONT_BODY, nd->id, nd->id_len), maxw);
    float w2 = fminf(font_width(&a->font, FONT_SMALL, l2, strlen(l2)), W - 8 * u);
    float hx = dx > 0.35 ? 0.0f : dx < -0.35 ? 1.0f : 0.5f, hy = dy > 0.35 ? 0.0f : dy < -0.35 ? 1.0f : 0.5f;
    /* Full (three lines), then the id alone. */
    int full = (f->n <= 24 && p->view.scale >= (a->pane_count > 2 ? 110 : 50) * u) || sel || hot;
    app_rect_t box;
    if (!label_place(a, f, placed, *m, sel || hot, ax, ay, hx, hy, w1, w2, &full, &box))
        return;
    placed[(*m)++] = box;
    float bx = box.x, by = box.y, bw = box.w, bh = box.h;
    if (sel || hot)
        draw_rect(d, bx - 8 * u, by - 5 * u, bw + 16 * u, bh + 10 * u, 7 * u, sel ? 0x1A2233E6u : 0x141A27CCu);
    if (sel)
        draw_rect_stroke(d, bx - 8 * u, by - 5 * u, bw + 16 * u, bh + 10 * u, 7 * u, 1 * u, hud_node_rgba(p, s, 0.7f));
    draw_text_fit(d, FONT_BODY, bx + (bw - w1) * hx, by, maxw, hud_node_rgba(p, s, 1), nd->id);
    if (!full)
        return;
    draw_text_fit(d, FONT_SMALL, bx + (bw - w2) * hx, by + f->lh1, w2 + 1, C_TEXT, l2);
    float w3 = font_width(&a->font, FONT_SMALL, l3, strlen(l3));
    draw_text(d, FONT_SMALL, bx + (bw - w3) * hx, by + f->lh1 + f->lh2, C_DIM, l3);
}

void hud_node_labels(app_t *a, const pane_t *p, draw_t *d)
{
    static label_key_t order[RS_MAX_NODES];
    static app_rect_t placed[LABEL_MANY + 4];
    uint32_t n = p->sorted_count;
    if (!n)
        return;
    for (uint32_t i = 0; i < n; i++) {
        uint16_t s = p->sorted[i];
        order[i] = (label_key_t){(s == p->selected) * 2 + (s == p->hover_node), p->scene.shown[s], s};
    }
    qsort(order, n, sizeof *order, label_cmp);
    label_frame_t f = {.u = a->hud_u, .W = (float)a->fb_w, .n = n};
    view_world_to_px(&p->view, 0, 0, &f.cx, &f.cy);
    f.cloud_px = p->params.cloud_r * p->view.scale;
    f.lh1 = (float)a->font.height[FONT_BODY];
    f.lh2 = (float)a->font.height[FONT_SMALL];
    f.top = a->title_box.h;
    f.bottom = a->bar.y - 2 * f.u;
    if (a->pane_count > 1) {
        f.lo_x = p->cell[0];
        f.lo_y = p->view.area_y - 20 * f.u; /* under the pane's header */
        f.W = p->cell[0] + p->cell[2];
        f.bottom = fminf(f.bottom, p->cell[1] + p->cell[3] - 2 * f.u);
    }
    uint32_t m = label_obstacles(a, p, &f, placed);
    uint32_t limit = n > LABEL_MANY ? LABEL_FEW : n;
    for (uint32_t i = 0; i < n && m < limit + 3; i++) {
        uint16_t s = order[i].slot;
        if (i >= limit && s != p->selected && s != p->hover_node)
            break;
        label_one(a, p, d, &f, s, placed, &m);
    }
}
