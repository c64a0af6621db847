#include "sst.h"

#include "place.h"
#include "scene.h"
#include "sim.h"
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAU 6.283185307179586
#define C_LEGEND 0x8A93A6FFu
#define C_LABEL 0xC8D0DEFFu
#define C_TICK 0xF5A524FFu   /* bounded's overflow ticks: the panel's capacity colour */
#define HOVER_REACH 18.0     /* px from the ring line where a hovered key is read */

void sst_init(sst_t *t)
{
    memset(t, 0, sizeof *t);
    t->kind = STRAT_COUNT;
    t->hover_owner = RING_NONE;
    t->strip_tex = scene_strip_texture(SST_STRIP);
}

void sst_shutdown(sst_t *t)
{
    if (t->strip_tex)
        glDeleteTextures(1, &t->strip_tex);
    free(t->over);
    memset(t, 0, sizeof *t);
}

void sst_cell_band(float dpi, float *in, float *out)
{
    *in = 13.0f * dpi;
    *out = 5.0f * dpi;
}

/* ---- on a change: jump's swap, bounded's overflowed keys ------------------ */

static void find_swap(sst_t *t, const sim_t *s, float now)
{
    uint32_t n = s->nodes.n;
    if (t->kind == STRAT_JUMP && s->strat.kind == STRAT_JUMP && t->jump_prev_n == n + 1) {
        /* One bucket lost: the last one's node moved into the freed slot
         * (none moved when the last bucket's node was the one removed). */
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

static void find_overflow(sst_t *t, const sim_t *s)
{
    t->over_valid = 1;
    size_t n = place_overflow(&s->strat, &s->nodes, &s->store, t->over, t->over_cap);
    if (n > t->over_cap) {
        uint64_t *o = realloc(t->over, n * sizeof *o);
        if (!o) {
            t->over_valid = 0;
            t->over_count = 0;
            return;
        }
        t->over = o;
        t->over_cap = n;
        place_overflow(&s->strat, &s->nodes, &s->store, t->over, t->over_cap);
    }
    t->over_count = n;
}

/* ---- the cell ring -------------------------------------------------------- */

void sst_update(scene_t *sc, const sim_t *s, const view_t *v, uint16_t selected, float now, int changed)
{
    sst_t *t = &sc->sst;
    uint64_t cells = place_cells(&s->strat, &s->nodes);
    int same = t->kind == s->strat.kind;
    if (changed || !same) {
        find_swap(t, s, now);
        find_overflow(t, s);
    }
    if (!same)
        t->swap = 0;
    int fade = changed && same && t->cells && cells;
    t->kind = s->strat.kind;
    t->cells = cells;
    if (!cells)
        return;
    /* The fraction of a cell at the reference: the shader adds turns · C. */
    t->cell_phase = ldexp((double)(uint64_t)(v->ref * cells), -64);
    memcpy(t->strip[0], t->strip[1], sizeof t->strip[1]);
    memcpy(t->owner[0], t->owner[1], sizeof t->owner[1]);
    double a0 = sc->strip_a0, a1 = sc->strip_a1;
    for (int k = 0; k < SST_STRIP; k++) {
        uint64_t pos = scene_strip_pos(v, a0, a1, k, SST_STRIP);
        uint16_t slot = place_cell_owner(&s->strat, &s->nodes, place_cell_at(pos, cells));
        uint8_t *px = t->strip[1] + 4 * k;
        t->owner[1][k] = slot;
        if (scene_texel(sc, slot, px) != 0)
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

void sst_draw_cells(scene_t *sc, const gfx_frame_t *f, float ring_in, float ring_out)
{
    sst_t *t = &sc->sst;
    if (!t->cells || !sc->strip_valid)
        return;
    const gfx_program_t *p = &sc->prog_band;
    gfx_program_use(p, f);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, t->strip_tex);
    glUniform1i(p->u[GFX_U_STRIP], 0);
    glUniform2f(p->u[GFX_U_STRIP_RANGE], (float)sc->strip_a0, (float)sc->strip_a1);
    float mix = (f->time - t->t0) / SST_FLASH_SECONDS;
    glUniform1f(p->u[GFX_U_STRIP_MIX], mix < 0 ? 0 : mix > 1 ? 1 : mix);
    glUniform1f(p->u[GFX_U_BAND_IN], ring_in);
    glUniform1f(p->u[GFX_U_BAND_OUT], ring_out);
    glUniform1f(p->u[GFX_U_CELLS], (float)t->cells);
    glUniform1f(p->u[GFX_U_CELL_PHASE], (float)t->cell_phase);
    glBindVertexArray(sc->band_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glUniform1f(p->u[GFX_U_CELLS], 0.0f);
}

/* ---- flights' waypoints -------------------------------------------------- */

void sst_way_of(const sim_t *s, size_t pos, float out[3])
{
    out[0] = out[1] = out[2] = 0.0f;
    strat_kind_t kind = s->strat.kind;
    if (kind == STRAT_RING || kind == STRAT_BOUNDED)
        return;
    if (kind == STRAT_RENDEZVOUS) {
        out[2] = 3.0f;
        return;
    }
    strat_key_t key;
    sim_key_at(s, pos, &key);
    strat_where_t w;
    sim_locate(s, &key, &w);
    place_t pl;
    place_of(&s->strat, &s->nodes, &key, &w, &pl);
    if (pl.kind == PLACE_NONE)
        return;
    view_split(pl.pos, out);
    out[2] = pl.kind == PLACE_CELL ? 2.0f : 1.0f;
}

void sst_way_moved(scene_t *sc, const sim_t *s, const store_moves_t *m, float now)
{
    if (!m->count || !sc->way_cpu)
        return;
    glBindBuffer(GL_ARRAY_BUFFER, sc->p_way);
    size_t lo = 0, hi = 0;
    int open = 0;
    for (size_t k = 0; k <= m->count; k++) {
        int end = k == m->count;
        size_t pos = end ? 0 : m->items[k].pos;
        if (!end && pos >= sc->p_count)
            continue;
        /* A flight already in the air keeps its turning point: it goes on
         * along the same line (scene_particles_move). */
        if (!end && sc->owners[pos].start < now)
            continue;
        if (!end)
            sst_way_of(s, pos, sc->way_cpu + 3 * pos);
        /* Moves come in sorted order: nearby ones share one upload. */
        if (!end && open && pos >= lo && pos <= hi + 64) {
            if (pos > hi)
                hi = pos;
            continue;
        }
        if (open)
            gfx_buffer_sub(GL_ARRAY_BUFFER, lo * 12, (hi - lo + 1) * 12, sc->way_cpu + 3 * lo);
        lo = hi = pos;
        open = !end;
    }
}

/* ---- overlay -------------------------------------------------------------- */

void sst_legend(const sim_t *s, char *out, size_t n)
{
    const strat_nodes_t *nd = &s->nodes;
    switch (s->strat.kind) {
    case STRAT_RING:
        snprintf(out, n, "ring \xC2\xB7 vnodes \xC3\x97 weight points per node; a key goes to the next point clockwise");
        break;
    case STRAT_BOUNDED:
        snprintf(out, n, "bounded \xC2\xB7 the ring's points; a key skips nodes at capacity (%u%%)%s",
                 s->strat.params.balance, " \xC2\xB7 ticks: keys placed past their first choice");
        break;
    case STRAT_KETAMA:
        snprintf(out, n, "ketama \xC2\xB7 MD5 points on a 32-bit ring; a key goes to the first point \xE2\x89\xA5 its hash");
        break;
    case STRAT_MAGLEV:
        snprintf(out, n, "maglev \xC2\xB7 table of %llu cells, outer ring; key \xE2\x86\x92 cell h mod %llu",
                 (unsigned long long)s->strat.params.table, (unsigned long long)s->strat.params.table);
        break;
    case STRAT_JUMP:
        snprintf(out, n, "jump \xC2\xB7 %u buckets in slot order, outer ring; key \xE2\x86\x92 bucket jump(h, %u)", nd->n,
                 nd->n);
        break;
    case STRAT_MODULO:
        snprintf(out, n, "modulo \xC2\xB7 %u segments in rank order, outer ring; key \xE2\x86\x92 segment h mod %u", nd->n,
                 nd->n);
        break;
    case STRAT_RENDEZVOUS:
        snprintf(out, n, "rendezvous \xC2\xB7 every node scores each key, the highest wins \xC2\xB7 hover the ring");
        break;
    case STRAT_MULTIPROBE:
        snprintf(out, n, "multiprobe \xC2\xB7 one point per node; %u probes, the nearest successor wins \xC2\xB7 hover the ring",
                 s->strat.params.probes);
        break;
    default:
        out[0] = '\0';
    }
}

static uint32_t node_rgba(const scene_t *sc, uint16_t slot, float a)
{
    const scene_node_t *nd = &sc->nodes[slot < RS_MAX_NODES ? slot : 0];
    return draw_rgba(nd->r, nd->g, nd->b, a);
}

static uint32_t faded(uint32_t c, float a)
{
    a = a < 0 ? 0 : a > 1 ? 1 : a;
    return (c & 0xFFFFFF00u) | (uint32_t)((float)(c & 0xFF) * a + 0.5f);
}

/* Pixel of ring position p, off px pixels outside the ring line. */
static void ring_at(const view_t *v, uint64_t p, double off, float *x, float *y)
{
    double px, py;
    view_ring_px(v, p, 1.0 + off / v->scale, &px, &py);
    *x = (float)px;
    *y = (float)py;
}

static int inside(const sst_overlay_t *o, float x, float y)
{
    return x >= o->clip[0] && x <= o->clip[2] && y >= o->clip[1] && y <= o->clip[3];
}

/* Jump's and modulo's segment numbers, maglev's cell count. */
static void cell_labels(const sst_t *t, draw_t *d, const view_t *v, const sst_overlay_t *o)
{
    float cin, cout;
    sst_cell_band(o->u, &cin, &cout);
    float h = (float)d->font->height[FONT_SMALL];
    double cell_px = TAU * v->scale / (double)t->cells;
    if (t->kind == STRAT_MAGLEV) {
        if (cell_px >= 3.0)
            return;
        char text[64];
        snprintf(text, sizeof text, "M = %llu cells", (unsigned long long)t->cells);
        /* In the ring's empty middle: at 12 o'clock it sat on the first
         * node's label. */
        float w = font_width(d->font, FONT_SMALL, text, strlen(text));
        double cx, cy;
        view_world_to_px(v, 0, 0, &cx, &cy);
        if (inside(o, (float)cx, (float)cy) && w < 1.6 * v->scale)
            draw_text(d, FONT_SMALL, (float)cx - 0.5f * w, (float)cy - 0.5f * h, C_LABEL, text);
        return;
    }
    char num[64];
    for (uint64_t c = 0; c < t->cells; c++) {
        if (t->kind == STRAT_MODULO)
            snprintf(num, sizeof num, "h mod %llu = %llu", (unsigned long long)t->cells, (unsigned long long)c);
        else
            snprintf(num, sizeof num, "%llu", (unsigned long long)c);
        float w = font_width(d->font, FONT_SMALL, num, strlen(num));
        if (w + 8 * o->u > cell_px && t->kind == STRAT_MODULO) {
            snprintf(num, sizeof num, "%llu", (unsigned long long)c);
            w = font_width(d->font, FONT_SMALL, num, strlen(num));
        }
        if (w + 4 * o->u > cell_px)
            return; /* too many to read: the legend says the rule */
        float x, y;
        ring_at(v, place_cell_mid(c, t->cells), cin + 3 * o->u + 0.5f * h, &x, &y);
        if (!inside(o, x, y))
            continue;
        draw_rect(d, x - 0.5f * w - 3 * o->u, y - 0.5f * h - 1 * o->u, w + 6 * o->u, h + 2 * o->u, 3 * o->u,
                  0x0B0E15C0u);
        draw_text(d, FONT_SMALL, x - 0.5f * w, y - 0.5f * h, C_LABEL, num);
    }
}

/* Jump's swap: the last bucket's node slides along an arc into the freed
 * bucket. */
static void swap_arrow(const scene_t *sc, draw_t *d, const view_t *v, const sst_overlay_t *o)
{
    const sst_t *t = &sc->sst;
    float age = o->time - t->swap_t0;
    if (!t->swap || t->kind != STRAT_JUMP || age < 0 || age > SST_SWAP_SECONDS)
        return;
    float cin, cout;
    sst_cell_band(o->u, &cin, &cout);
    uint64_t a = place_cell_mid(t->swap_from, t->swap_from_n), b = place_cell_mid(t->swap_to, t->swap_n);
    int64_t span = (int64_t)(b - a); /* the shorter way round */
    float alpha = age > SST_SWAP_SECONDS - 0.4f ? (SST_SWAP_SECONDS - age) / 0.4f : 1.0f;
    uint32_t col = node_rgba(sc, t->swap_node, alpha);
    double off = cin + 14 * o->u;
    const int steps = 40;
    float px = 0, py = 0;
    for (int i = 0; i <= steps; i++) {
        uint64_t p = a + (uint64_t)(int64_t)((double)span * i / steps);
        float x, y;
        ring_at(v, p, off, &x, &y);
        if (i)
            draw_line(d, px, py, x, y, 2.0f * o->u, faded(col, 0.8f));
        px = x, py = y;
    }
    /* arrowhead: two strokes back from the end, across the arc */
    float ex, ey, bx, by;
    ring_at(v, b, off, &ex, &ey);
    ring_at(v, b - (uint64_t)(int64_t)((double)span * 0.08), off, &bx, &by);
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
    ring_at(v, a + (uint64_t)(int64_t)((double)span * e), off, &cx, &cy);
    draw_circle(d, cx, cy, 5 * o->u, col);
}

/* The key under the cursor, if it is within reach of the ring line. */
static int hovered_key(const view_t *v, const sst_overlay_t *o, uint64_t *pos)
{
    if (o->mouse_x < 0 || !inside(o, o->mouse_x, o->mouse_y))
        return 0;
    double dist;
    *pos = view_px_to_ring(v, o->mouse_x, o->mouse_y, &dist);
    return fabs(dist) <= HOVER_REACH * o->u;
}

/* multiprobe: the key, its k probes and the winner (its probe, then the
 * point that probe reached). */
static void probe_fan(scene_t *sc, draw_t *d, const sim_t *s, const view_t *v, const sst_overlay_t *o,
                      uint64_t pos)
{
    strat_key_t key = {.hash = pos, .hash32 = (uint32_t)(pos >> 32), .index = -1};
    strat_where_t w;
    sim_locate(s, &key, &w);
    if (w.owner == RING_NONE)
        return;
    float kx, ky;
    ring_at(v, pos, 0, &kx, &ky);
    uint32_t win = node_rgba(sc, w.owner, 1.0f);
    for (uint32_t j = 0; j < s->strat.params.probes; j++) {
        float x, y;
        ring_at(v, strat_probe(pos, j), 0, &x, &y);
        if ((int32_t)j == w.probe)
            continue;
        draw_line(d, kx, ky, x, y, 1.0f * o->u, 0xFFFFFF40u);
        draw_circle(d, x, y, 3 * o->u, 0xDDE3EEC0u);
    }
    float x, y, px, py;
    ring_at(v, w.probe_hash, 0, &x, &y);
    ring_at(v, w.point, 0, &px, &py);
    draw_line(d, kx, ky, x, y, 2.5f * o->u, win);
    draw_circle(d, x, y, 5 * o->u, win);
    draw_ring(d, px, py, 8 * o->u, 2 * o->u, win);
    draw_circle(d, kx, ky, 5 * o->u, 0xFFFFFFFFu);
    sc->sst.hover_owner = w.owner;
    char text[NODEID_MAX + 96];
    snprintf(text, sizeof text, "probe %d of %u reaches a point first \xE2\x86\x92 %s", w.probe,
             s->strat.params.probes, s->ring.nodes[w.owner].id);
    float tw = font_width(d->font, FONT_SMALL, text, strlen(text)), tx = o->mouse_x + 14 * o->u;
    if (tx + tw > o->clip[2])
        tx = fmaxf(o->clip[0], o->mouse_x - 14 * o->u - tw);
    draw_text_fit(d, FONT_SMALL, tx, o->mouse_y + 10 * o->u, o->clip[2] - tx, C_LABEL, text);
}

/* rendezvous: every node's score for the key, the highest marked. */
static void score_card(scene_t *sc, draw_t *d, const sim_t *s, const sst_overlay_t *o, uint64_t pos)
{
    const strat_nodes_t *nd = &s->nodes;
    if (!nd->n)
        return;
    enum { ROWS = 12 };
    double score[RS_MAX_NODES], best = 0;
    uint32_t win = 0;
    for (uint32_t r = 0; r < nd->n; r++) {
        const ring_node_t *node = &s->ring.nodes[nd->rank[r]];
        score[r] = strat_rendezvous_score(pos, strat_node_hash(node->id, node->id_len), node->weight,
                                          !nd->weights_equal);
        if (score[r] > best)
            best = score[r], win = r;
    }
    uint32_t rows = nd->n < ROWS ? nd->n : ROWS;
    /* Past ROWS nodes: the first ROWS - 1 by rank, then the winner. */
    float u = o->u, h = (float)d->font->height[FONT_SMALL], row = h + 4 * u;
    float name_w = 70 * u, bar_w = 110 * u, w = name_w + bar_w + 20 * u, ht = row * (float)rows + 30 * u;
    float x = o->mouse_x + 16 * u, y = o->mouse_y + 12 * u;
    if (x + w > o->clip[2])
        x = o->mouse_x - 16 * u - w;
    if (y + ht > o->clip[3])
        y = o->clip[3] - ht;
    draw_rect(d, x, y, w, ht, 6 * u, 0x121722EEu);
    draw_text(d, FONT_SMALL, x + 8 * u, y + 6 * u, C_LABEL,
              nd->weights_equal ? "rendezvous scores (u)" : "rendezvous scores (\xE2\x88\x92w / ln u)");
    for (uint32_t i = 0; i < rows; i++) {
        uint32_t r = (i == rows - 1 && win >= rows) ? win : i;
        uint16_t slot = nd->rank[r];
        float ry = y + 24 * u + row * (float)i;
        draw_text_fit(d, FONT_SMALL, x + 8 * u, ry, name_w - 6 * u, r == win ? 0xFFFFFFFFu : C_LEGEND,
                      s->ring.nodes[slot].id);
        float bw = (float)(score[r] / best) * bar_w;
        draw_rect(d, x + 8 * u + name_w, ry + 2 * u, bw, h - 4 * u, 2 * u, node_rgba(sc, slot, r == win ? 1.0f : 0.45f));
        if (r == win)
            draw_rect_stroke(d, x + 6 * u + name_w, ry, bw + 4 * u, h, 3 * u, 1.5f * u, 0xFFFFFFFFu);
    }
    draw_circle(d, o->mouse_x, o->mouse_y, 4 * u, node_rgba(sc, nd->rank[win], 1.0f));
    sc->sst.hover_owner = nd->rank[win];
}

/* bounded: a tick outside the ring at each key placed past its first choice
 * (every k-th beyond a few thousand on screen: they would merge anyway). */
static void overflow_ticks(sst_t *t, draw_t *d, const view_t *v, const sst_overlay_t *o)
{
    t->over_drawn = 0;
    if (t->kind != STRAT_BOUNDED || !t->over_count)
        return;
    enum { MAX_TICKS = 6000 };
    size_t k = (t->over_count + MAX_TICKS - 1) / MAX_TICKS;
    for (size_t i = 0; i < t->over_count; i += k) {
        float x0, y0, x1, y1;
        ring_at(v, t->over[i], 2 * o->u, &x0, &y0);
        ring_at(v, t->over[i], 9 * o->u, &x1, &y1);
        if (!inside(o, x1, y1))
            continue;
        draw_line(d, x0, y0, x1, y1, 1.5f * o->u, C_TICK);
        t->over_drawn++;
    }
}

void sst_draw_overlay(scene_t *sc, draw_t *d, const sim_t *s, const view_t *v, const sst_overlay_t *o)
{
    sst_t *t = &sc->sst;
    char legend[256];
    sst_legend(s, legend, sizeof legend);
    if (legend[0] && o->legend_w > 0)
        draw_text_fit(d, FONT_SMALL, o->legend_x, o->legend_y, o->legend_w, C_LEGEND, legend);
    if (!s->nodes.n)
        return;
    overflow_ticks(t, d, v, o);
    if (t->cells)
        cell_labels(t, d, v, o);
    swap_arrow(sc, d, v, o);
    t->hover_owner = RING_NONE;
    uint64_t pos;
    if (!hovered_key(v, o, &pos))
        return;
    if (t->kind == STRAT_MULTIPROBE)
        probe_fan(sc, d, s, v, o, pos);
    else if (t->kind == STRAT_RENDEZVOUS)
        score_card(sc, d, s, o, pos);
}
