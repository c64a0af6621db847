/* hud_labels — node labels: id, keys and weight or vnodes, share and zone.
 * Placed greedily by priority (selected, hovered, then more keys first,
 * then id order). Every node gets a label: its three lines where they fit
 * beside its cloud (straight out from the ring first, then turned round the
 * cloud), else the id over one line of figures, else the id alone, kept
 * clear of the labels already placed, the clouds, the ring, the title, the
 * panel and the bar; where even the id finds no clear place it is drawn
 * straight out on a dark backing. Kept inside the frame, in compare mode
 * inside the pane's cell. Past LABEL_MANY nodes only the biggest few are
 * labelled. */
#include "hud_priv.h"

#include "hud_repl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_MANY 64  /* beyond this many nodes only the biggest few get labels */
#define LABEL_FEW 8
#define LABEL_TURNS 7  /* places tried round a cloud: straight out, then 40, 80, 120 degrees either way */

/* What the labels of one pane keep within and clear of. */
typedef struct label_frame {
    float u, W, top, bottom, lo_x, lo_y;  /* frame (or cell) edges, pixels */
    float lh1, lh2;                       /* line heights: id, figures */
    double cx, cy, cloud_px, ring_px;     /* the ring's centre, a cloud's radius, the ring's reach */
    double gap;                           /* from a cloud's edge to its label (clear of a zone ring) */
    uint32_t n;                           /* nodes */
    app_rect_t placed[APP_LABELS_MAX + 4];/* obstacles, then the labels placed */
    uint32_t m;
} label_frame_t;

/* The forms a label takes, most figures first: three lines (keys and
 * vnodes or weight; share and zone), three narrow ones (keys alone on the
 * second), two (keys, zone), the id alone. */
enum { FORM_WIDE, FORM_NARROW, FORM_TWO, FORM_ID, FORMS };

/* One node's label: its lines and their widths, where it leans from. */
typedef struct label_text {
    const char *id;
    char l2[96], keys[48], l3[64 + RS_MAX_ZONE_NAME], ls[64 + RS_MAX_ZONE_NAME];
    const char *line[FORMS][3];          /* each form's lines; NULL past its last */
    float w1, lw[FORMS][3], w[FORMS];    /* widths: the id, each line, each form's widest */
    double nx, ny, dx, dy;               /* the node's centre; the way out from the ring */
} label_text_t;

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

/* 1 if the box comes within r pixels of (x, y). */
static int near_disc(const app_rect_t *b, double x, double y, double r)
{
    double qx = fmax(b->x, fmin(x, b->x + b->w)), qy = fmax(b->y, fmin(y, b->y + b->h));
    return hypot(qx - x, qy - y) < r;
}

/* The boxes labels keep clear of before any is placed: the hint row above
 * the bar, the caption, the strategy's legend line, the PAUSED box. */
static void label_obstacles(app_t *a, const pane_t *p, label_frame_t *f)
{
    float u = f->u;
    app_rect_t *o = f->placed;
    f->m = 0;
    app_rect_t help, link;
    if (hud_hint_row(a, &help, &link))
        o[f->m++] = (app_rect_t){0, link.y - 2 * u, link.x + link.w + 4 * u, link.h + 4 * u};
    const char *cap_text;
    float cap_alpha;
    if (hud_caption_now(a, &cap_text, &cap_alpha, &o[f->m]))
        f->m++;
    hud_legend_box(a, p, &o[f->m]);
    if (o[f->m].w > 0)
        f->m++;
    if (a->pause_box.w > 0)
        o[f->m++] = a->pause_box;
}

/* 1 if box is clear: of what is placed, the panel, the title, the ring
 * and the other nodes' clouds. */
static int label_clear(const app_t *a, const pane_t *p, const label_frame_t *f, const app_rect_t *box, uint16_t self)
{
    float u = f->u;
    app_rect_t pad = {box->x - 4 * u, box->y - 2 * u, box->w + 8 * u, box->h + 4 * u};
    for (uint32_t k = 0; k < f->m; k++)
        if (overlaps(&pad, &f->placed[k]))
            return 0;
    if (overlaps(&pad, &a->panel) || (pad.y < f->top && overlaps(&pad, &a->title_box)))
        return 0;
    if (near_disc(box, f->cx, f->cy, f->ring_px))
        return 0;
    if (f->n > LABEL_MANY)
        return 1; /* clouds too small to matter, and too many to look at */
    for (uint32_t i = 0; i < p->sorted_count; i++) {
        uint16_t s = p->sorted[i];
        double x, y;
        pane_node_px(p, s, (float)a->clock, &x, &y);
        if (near_disc(box, x, y, f->cloud_px * (s == self ? 0.9 : 1.0)))
            return 0;
    }
    return 1;
}

/* The box of a label of size bw x bh leaning out at turn k round the
 * node's cloud, slid inside the frame; 0 if that took it away from its
 * node. */
static int label_box(const label_frame_t *f, const label_text_t *t, int k, float bw, float bh, app_rect_t *box)
{
    static const double turn[LABEL_TURNS] = {0, 0.698, -0.698, 1.396, -1.396, 2.094, -2.094};
    double c = cos(turn[k]), s = sin(turn[k]);
    double dx = t->dx * c - t->dy * s, dy = t->dx * s + t->dy * c;
    float u = f->u;
    double ax = t->nx + dx * (f->cloud_px + f->gap), ay = t->ny + dy * (f->cloud_px + f->gap);
    float hx = dx > 0.35 ? 0.0f : dx < -0.35 ? 1.0f : 0.5f, hy = dy > 0.35 ? 0.0f : dy < -0.35 ? 1.0f : 0.5f;
    *box = (app_rect_t){(float)ax - bw * hx, (float)ay - bh * hy, bw, bh};
    if (box->x < f->lo_x + 4 * u) box->x = f->lo_x + 4 * u;
    if (box->x + box->w > f->W - 4 * u) box->x = f->W - 4 * u - box->w;
    if (box->y + box->h > f->bottom) box->y = f->bottom - box->h;
    if (box->y < f->lo_y + 4 * u) box->y = f->lo_y + 4 * u;
    /* Slid along an edge it may be, but not away from its node. */
    return box->y + box->h <= f->bottom + 0.5f && near_disc(box, t->nx, t->ny, f->cloud_px + 2.5 * f->lh1);
}

/* Finds the label's form and place: the form with the most figures that
 * fits somewhere round the cloud, from first_form on. The selected and
 * hovered nodes keep their first form straight out whatever they cover. 0:
 * no clear place for any. */
static int label_place(const app_t *a, const pane_t *p, const label_frame_t *f, const label_text_t *t, uint16_t s,
                       int first_form, int *form, app_rect_t *box)
{
    int sel_or_hot = s == p->selected || s == p->hover_node;
    for (int k = first_form; k < FORMS; k++) {
        int lines = t->line[k][2] ? 3 : t->line[k][1] ? 2 : 1;
        float bh = f->lh1 + (float)(lines - 1) * f->lh2;
        for (int turn = 0; turn < LABEL_TURNS; turn++) {
            int near_node = label_box(f, t, turn, t->w[k], bh, box);
            if ((near_node && label_clear(a, p, f, box, s)) || (sel_or_hot && turn == 0)) {
                *form = k;
                return 1;
            }
        }
    }
    return 0;
}

/* The node's lines, their widths and where it stands; 0 if off screen. */
static int label_text(app_t *a, const pane_t *p, const label_frame_t *f, uint16_t s, label_text_t *t)
{
    float u = f->u, W = f->W;
    pane_node_px(p, s, (float)a->clock, &t->nx, &t->ny);
    double cloud_px = f->cloud_px;
    if (t->nx < -cloud_px || t->nx > a->fb_w + cloud_px || t->ny < -cloud_px || t->ny > a->fb_h + cloud_px)
        return 0; /* off screen (zoomed in) */
    t->dx = t->nx - f->cx, t->dy = t->ny - f->cy;
    double len = hypot(t->dx, t->dy);
    if (len < 1e-9)
        t->dx = 0, t->dy = 1;
    else
        t->dx /= len, t->dy /= len;
    const ring_node_t *nd = &p->sim.ring.nodes[s];
    t->id = nd->id;
    hud_node_text(p, s, t->l2, sizeof t->l2, t->l3, sizeof t->l3);
    hud_node_short_text(p, s, 0, t->keys, sizeof t->keys);
    hud_node_short_text(p, s, 1, t->ls, sizeof t->ls);
    const char *const lines[FORMS][3] = {
        {nd->id, t->l2, t->l3}, {nd->id, t->keys, t->l3}, {nd->id, t->ls, NULL}, {nd->id, NULL, NULL}};
    float room = W - f->lo_x - 8 * u;
    t->w1 = fminf(font_width(&a->font, FONT_BODY, nd->id, nd->id_len), fminf(170 * u, room));
    for (int k = 0; k < FORMS; k++) {
        t->w[k] = t->w1;
        for (int i = 0; i < 3; i++) {
            t->line[k][i] = lines[k][i];
            t->lw[k][i] = i == 0 ? t->w1 : lines[k][i] ? fminf(font_width(&a->font, FONT_SMALL, lines[k][i],
                                                                             strlen(lines[k][i])), room) : 0;
            t->w[k] = fmaxf(t->w[k], t->lw[k][i]);
        }
    }
    return 1;
}

/* Draws a placed label: a box round the selected and hovered ones (and a
 * dark backing under one that found no clear place), lines aligned on the
 * side that faces the node. */
static void label_draw(const pane_t *p, draw_t *d, const label_frame_t *f, const label_text_t *t, uint16_t s,
                       int form, int backed, const app_rect_t *b)
{
    float u = f->u;
    int sel = s == p->selected, hot = s == p->hover_node;
    float hx = t->nx > b->x + b->w ? 1.0f : t->nx < b->x ? 0.0f : 0.5f;
    if (sel || hot || backed)
        draw_rect(d, b->x - 8 * u, b->y - 5 * u, b->w + 16 * u, b->h + 10 * u, 7 * u,
                  sel ? 0x1A2233E6u : 0x141A27E0u);
    if (sel)
        draw_rect_stroke(d, b->x - 8 * u, b->y - 5 * u, b->w + 16 * u, b->h + 10 * u, 7 * u, 1 * u,
                         hud_node_rgba(p, s, 0.7f));
    draw_text_fit(d, FONT_BODY, b->x + (b->w - t->w1) * hx, b->y, t->w1 + 1, hud_node_rgba(p, s, 1), t->id);
    int zone = hud_repl_zone_index(p, s);
    for (int i = 1; i < 3 && t->line[form][i]; i++) {
        float w = t->lw[form][i], x = b->x + (b->w - w) * hx, y = b->y + f->lh1 + (float)(i - 1) * f->lh2;
        const char *line = t->line[form][i], *z = zone >= 0 ? strstr(line, "zone ") : NULL;
        /* the zone's name in its colour, as its ring */
        uint32_t c = i == 1 ? C_TEXT : C_DIM;
        float head = z ? draw_text_n(d, FONT_SMALL, x, y, c, line, (size_t)(z - line)) : 0;
        draw_text_fit(d, FONT_SMALL, x + head, y, w + 1 - head, z ? hud_repl_zone_rgba((uint32_t)zone, 1) : c,
                      z ? z : line);
    }
}

/* One node's label: placed, drawn and recorded (app_t.labels). */
static void label_one(app_t *a, const pane_t *p, draw_t *d, label_frame_t *f, uint16_t s, int first_form)
{
    static label_text_t t;
    if (!label_text(a, p, f, s, &t))
        return;
    int form = FORM_ID, backed = 0;
    app_rect_t box;
    if (!label_place(a, p, f, &t, s, first_form, &form, &box)) {
        /* Nowhere clear: the id straight out, on a backing, over the rest. */
        label_box(f, &t, 0, t.w1, f->lh1, &box);
        backed = 1;
    }
    if (f->m < sizeof f->placed / sizeof f->placed[0])
        f->placed[f->m++] = box;
    size_t from = d->count;
    label_draw(p, d, f, &t, s, form, backed, &box);
    int pi = (int)(p - a->panes);
    int lines = t.line[form][2] ? 3 : t.line[form][1] ? 2 : 1;
    if (a->label_count[pi] < APP_LABELS_MAX)
        a->labels[pi][a->label_count[pi]++] = (app_label_t){s, (uint8_t)lines, box, t.w[form], from, d->count};
}

/* The frame one pane's labels keep to. */
static void label_frame(app_t *a, const pane_t *p, label_frame_t *f)
{
    memset(f, 0, sizeof *f);
    f->u = a->hud_u;
    f->W = a->rail.w > 0 ? a->rail.x : (float)a->fb_w; /* a phone sideways: left of the controls' rail */
    f->n = p->sorted_count;
    view_world_to_px(&p->view, 0, 0, &f->cx, &f->cy);
    f->cloud_px = p->params.cloud_r * p->view.scale;
    f->ring_px = p->view.scale + 16 * a->dpi; /* the ring, its points and cell ring */
    f->gap = (p->sim.repl.zone_count ? 10 : 6) * f->u;
    f->lh1 = (float)a->font.height[FONT_BODY];
    f->lh2 = (float)a->font.height[FONT_SMALL];
    f->top = a->title_box.h;
    f->bottom = a->bar.y - 2 * f->u;
    if (a->pane_count > 1) {
        f->lo_x = p->cell[0];
        f->lo_y = p->view.area_y - 20 * f->u; /* under the pane's header */
        f->W = p->cell[0] + p->cell[2];
        f->bottom = fminf(f->bottom, p->cell[1] + p->cell[3] - 2 * f->u);
    }
}

void hud_node_labels(app_t *a, const pane_t *p, draw_t *d)
{
    static label_key_t order[RS_MAX_NODES];
    static label_frame_t f;
    uint32_t n = p->sorted_count;
    a->label_count[p - a->panes] = 0;
    if (!n)
        return;
    for (uint32_t i = 0; i < n; i++) {
        uint16_t s = p->sorted[i];
        order[i] = (label_key_t){(s == p->selected) * 2 + (s == p->hover_node), p->scene.shown[s], s};
    }
    qsort(order, n, sizeof *order, label_cmp);
    label_frame(a, p, &f);
    label_obstacles(a, p, &f);
    /* Figures only where the ring is big enough to read them by. */
    double thr = (a->pane_count > 2 ? 110 : 50) * f.u;
    int first = f.n > 24 ? FORM_ID : p->view.scale >= thr ? FORM_WIDE : p->view.scale >= 0.5 * thr ? FORM_TWO : FORM_ID;
    uint32_t limit = n > LABEL_MANY ? LABEL_FEW : n;
    for (uint32_t i = 0; i < n; i++) {
        uint16_t s = order[i].slot;
        if (i >= limit && s != p->selected && s != p->hover_node)
            break;
        label_one(a, p, d, &f, s, s == p->selected || s == p->hover_node ? FORM_WIDE : first);
    }
}
