/* sst_cells — structures of C equal cells around the ring (maglev's table,
 * jump's buckets, modulo's residues): a thin ring of cells just outside the
 * ring line, each in its node's colour, refilled as a strip texture when
 * the placement or the view changes; the cells' numbers where they fit
 * (STRAT_DRAW_NUMBERED, "h mod C = c" first with STRAT_DRAW_RESIDUE), the
 * strategy's note on the whole table where they are too thin to see
 * (structure.cells_total), and the swap of a removal on an arrow
 * (STRAT_DRAW_SWAP: the last cell's node moves into the freed cell).
 */
#include "sst_kind.h"

#include "num.h"
#include "place.h"
#include "strip.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TAU 6.283185307179586

/* STRAT_DRAW_SWAP: with one cell fewer than before, the cell whose node
 * changed took the last one's node (none moved when the last cell's node
 * was the one removed). */
static void find_swap(sst_t *t, const sim_t *s, float now, int same)
{
    uint32_t n = s->nodes.n;
    if (same && t->jump_prev_n == n + 1) {
        for (uint32_t b = 0; b < n; b++)
            if (s->nodes.jump[b] != t->jump_prev[b]) {
                t->swap = 1;
                t->swap_from = n;
                t->swap_from_n = n + 1;
                t->swap_to = b;
                t->swap_n = n;
                t->swap_node = s->nodes.jump[b];
                t->swap_t0 = now;
                break;
            }
    }
    memcpy(t->jump_prev, s->nodes.jump, n * sizeof t->jump_prev[0]);
    t->jump_prev_n = n;
}

static void cells_changed(sst_t *t, const sim_t *s, float now, int same)
{
    if (s->strat.ops->structure.flags & STRAT_DRAW_SWAP)
        find_swap(t, s, now, same);
}

void sst_cells_strip(sst_t *t, const sim_t *s, const view_t *v, const scene_node_t *nodes, double a0, double a1,
                     uint16_t selected, float now, int changed, int same)
{
    uint64_t cells = place_cells(&s->strat, &s->nodes);
    int fade = changed && same && t->cells && cells;
    t->cells = cells;
    if (!cells)
        return;
    /* The fraction of a cell at the reference: the shader adds turns · C. */
    t->cell_phase = ldexp((double)(uint64_t)(v->ref * cells), -64);
    memcpy(t->strip[0], t->strip[1], sizeof t->strip[1]);
    memcpy(t->owner[0], t->owner[1], sizeof t->owner[1]);
    for (int k = 0; k < SST_STRIP; k++) {
        uint64_t pos = strip_pos(v, a0, a1, k, SST_STRIP);
        uint16_t slot = place_cell_owner(&s->strat, &s->nodes, place_cell_at(pos, cells));
        uint8_t *px = t->strip[1] + 4 * k;
        t->owner[1][k] = slot;
        if (strip_texel(nodes, slot, px) != 0)
            continue;
        /* alpha: 1/3 selected node, 2/3 changed owner (flashes), 1 both */
        int flash = fade && t->owner[0][k] != slot;
        px[3] = (uint8_t)(85 * ((slot == selected) + 2 * flash));
    }
    if (!fade) {
        memcpy(t->strip[0], t->strip[1], sizeof t->strip[1]);
        memcpy(t->owner[0], t->owner[1], sizeof t->owner[1]);
    }
    if (changed)
        t->t0 = now;
    glBindTexture(GL_TEXTURE_2D, t->strip_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    gfx_tex_sub(0, 0, SST_STRIP, 2, GL_RGBA, GL_UNSIGNED_BYTE, t->strip, sizeof t->strip);
}

/* The strategy's note on the whole table, in the ring's empty middle (at 12
 * o'clock it sat on the first node's label), where it fits, and the zoom
 * at which each cell shows. */
static void total_label(const sst_t *t, draw_t *d, const view_t *v, const sst_overlay_t *o, double cell_px)
{
    char text[2][96], zoom[32];
    t->ops->structure.cells_total(t->cells, text[0], sizeof text[0]);
    num_group(text[0], sizeof text[0]);
    num_int((uint64_t)ceil(v->zoom * SST_CELL_SEEN_PX / cell_px), zoom, sizeof zoom);
    snprintf(text[1], sizeof text[1], "zoom %s\xC3\x97 shows each cell", zoom);
    float h = (float)d->font->height[FONT_SMALL];
    double cx, cy;
    view_world_to_px(v, 0, 0, &cx, &cy);
    for (int i = 0; i < 2; i++) {
        float w = font_width(d->font, FONT_SMALL, text[i], strlen(text[i]));
        float y = (float)cy - (i ? -0.1f * h : 1.1f * h);
        if (sst_inside(o, (float)cx, y) && w < 1.6 * v->scale)
            draw_text(d, FONT_SMALL, (float)cx - 0.5f * w, y, i ? SST_C_LEGEND : SST_C_LABEL, text[i]);
    }
}

/* Cell c's number in form 0 ("h mod C = c") or 1 ("c"), and its box
 * inside the ring, clear of the band whichever way it faces (outside are
 * the nodes' clouds). */
static void number_box(const sst_t *t, draw_t *d, const view_t *v, const sst_overlay_t *o, uint64_t c, int form,
                       char *num, size_t n, float box[4])
{
    if (form == 0)
        snprintf(num, n, "h mod %llu = %llu", (unsigned long long)t->cells, (unsigned long long)c);
    else
        snprintf(num, n, "%llu", (unsigned long long)c);
    num_group(num, n);
    float w = font_width(d->font, FONT_SMALL, num, strlen(num)) + 6 * o->u;
    float h = (float)d->font->height[FONT_SMALL] + 2 * o->u;
    double cx, cy;
    view_world_to_px(v, 0, 0, &cx, &cy);
    float ex, ey, x, y;
    sst_ring_at(v, place_cell_mid(c, t->cells), 0, &ex, &ey);
    float len = hypotf(ex - (float)cx, ey - (float)cy) + 1e-6f;
    float reach = (fabsf(ex - (float)cx) * w + fabsf(ey - (float)cy) * h) / (2 * len);
    sst_ring_at(v, place_cell_mid(c, t->cells), -(20 * o->u + reach), &x, &y);
    box[0] = x - 0.5f * w, box[1] = y - 0.5f * h, box[2] = w, box[3] = h;
}

static int boxes_overlap(const float *p, const float *q)
{
    return p[0] < q[0] + q[2] && q[0] < p[0] + p[2] && p[1] < q[1] + q[3] && q[1] < p[1] + p[3];
}

/* Each cell's number, "h mod C = c" first where neighbours keep clear of
 * each other, else the number alone, else none (the legend says the rule). */
static void cell_labels(sst_t *t, draw_t *d, const view_t *v, const sst_overlay_t *o)
{
    unsigned flags = t->ops->structure.flags;
    double cell_px = TAU * v->scale / (double)t->cells;
    if (t->ops->structure.cells_total && cell_px < SST_CELL_SEEN_PX) {
        total_label(t, d, v, o, cell_px);
        return;
    }
    if (!(flags & STRAT_DRAW_NUMBERED) || cell_px < 8 * o->u || t->cells > RS_MAX_NODES)
        return;
    static float box[RS_MAX_NODES][4];
    char num[64];
    int form = flags & STRAT_DRAW_RESIDUE ? 0 : 1, clear = 0;
    for (; form < 2 && !clear; form++) {
        clear = 1;
        for (uint64_t c = 0; c < t->cells; c++)
            number_box(t, d, v, o, c, form, num, sizeof num, box[c]);
        for (uint64_t c = 0; c < t->cells && clear && t->cells > 1; c++)
            clear = !boxes_overlap(box[c], box[(c + 1) % t->cells]);
    }
    if (!clear)
        return;
    form--;
    double cx, cy;
    view_world_to_px(v, 0, 0, &cx, &cy);
    for (uint64_t c = 0; c < t->cells; c++) {
        const float *b = box[c];
        if (!sst_inside(o, b[0] + 0.5f * b[2], b[1] + 0.5f * b[3]))
            continue;
        number_box(t, d, v, o, c, form, num, sizeof num, box[c]);
        draw_rect(d, b[0], b[1], b[2], b[3], 3 * o->u, 0x0B0E15C0u);
        draw_text(d, FONT_SMALL, b[0] + 3 * o->u, b[1] + 1 * o->u, SST_C_LABEL, num);
        t->numbers_drawn++;
        for (int k = 0; k < 4; k++) /* the box's corners */
            t->numbers_reach = fmaxf(t->numbers_reach, hypotf(b[0] + (k & 1) * b[2] - (float)cx,
                                                             b[1] + (k >> 1) * b[3] - (float)cy));
    }
}

/* The swap: the last cell's node slides along an arc into the freed cell. */
static void swap_arrow(const sst_t *t, const scene_node_t *nodes, draw_t *d, const view_t *v, const sst_overlay_t *o)
{
    float age = o->time - t->swap_t0;
    if (!t->swap || age < 0 || age > SST_SWAP_SECONDS)
        return;
    float cin, cout;
    sst_cell_band(o->u, &cin, &cout);
    uint64_t a = place_cell_mid(t->swap_from, t->swap_from_n), b = place_cell_mid(t->swap_to, t->swap_n);
    int64_t span = (int64_t)(b - a); /* the shorter way round */
    float alpha = age > SST_SWAP_SECONDS - 0.4f ? (SST_SWAP_SECONDS - age) / 0.4f : 1.0f;
    uint32_t col = sst_node_rgba(nodes, t->swap_node, alpha);
    double off = cin + 14 * o->u;
    const int steps = 40;
    float px = 0, py = 0;
    for (int i = 0; i <= steps; i++) {
        uint64_t p = a + (uint64_t)(int64_t)((double)span * i / steps);
        float x, y;
        sst_ring_at(v, p, off, &x, &y);
        if (i)
            draw_line(d, px, py, x, y, 2.0f * o->u, sst_faded(col, 0.8f));
        px = x, py = y;
    }
    /* arrowhead: two strokes back from the end, across the arc */
    float ex, ey, bx, by;
    sst_ring_at(v, b, off, &ex, &ey);
    sst_ring_at(v, b - (uint64_t)(int64_t)((double)span * 0.08), off, &bx, &by);
    float dx = ex - bx, dy = ey - by, len = sqrtf(dx * dx + dy * dy);
    if (len > 0.5f) {
        dx /= len, dy /= len;
        float k = 8 * o->u;
        draw_line(d, ex, ey, ex - k * (dx + 0.6f * dy), ey - k * (dy - 0.6f * dx), 2.0f * o->u, col);
        draw_line(d, ex, ey, ex - k * (dx - 0.6f * dy), ey - k * (dy + 0.6f * dx), 2.0f * o->u, col);
    }
    /* the node's chip travelling along it */
    float e = scene_ease(age / (SST_SWAP_SECONDS - 0.4f));
    float cx, cy;
    sst_ring_at(v, a + (uint64_t)(int64_t)((double)span * e), off, &cx, &cy);
    draw_circle(d, cx, cy, 5 * o->u, col);
}

void sst_cells_overlay(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                       const sst_overlay_t *o)
{
    (void)s;
    t->numbers_drawn = 0;
    t->numbers_reach = 0;
    if (t->cells)
        cell_labels(t, d, v, o);
    if (t->ops->structure.flags & STRAT_DRAW_SWAP)
        swap_arrow(t, nodes, d, v, o);
}

const sst_kind_t sst_cells = {
    .name = "cells",
    .changed = cells_changed,
    .strip = sst_cells_strip,
    .way_of = sst_way_place,
    .overlay = sst_cells_overlay,
};
