/* Render tests of each strategy's own structure (sst.h): maglev's cells and
 * jump's buckets in their owners' colours at the angles the core computes,
 * jump's swap on a removal, multiprobe's probe fan for a hovered key,
 * bounded's overflow ticks, ketama's own points; idle frames stay free.
 * Set RINGSCOPE_TEST_SHOTS=DIR to keep the frames looked at as PNGs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hud.h"
#include "pal.h"
#include "place.h"
#include "rt.h"

#define TAU 6.283185307179586

static void run(const char *cmd)
{
    const char *msg = app_run_command(cmd);
    if (msg)
        print_message("%s: %s\n", cmd, msg);
    assert_null(msg);
    rt_settle();
}

static int usable(double x, double y)
{
    app_t *a = app_get();
    return !((x > a->panel.x - 6 && a->panel.w > 0) || y > a->bar.y - 6 || y < 70 || rt_under_legend(x, y) || x < 2 || y < 2 ||
             x >= a->fb_w - 2 || y >= a->fb_h - 2);
}

/* Centre of the cell ring, in pixels from the ring line. */
static double cells_mid(void)
{
    float in, out;
    sst_cell_band(app_get()->dpi, &in, &out);
    return 0.5 * (in + out);
}

/* Cells whose centre is on screen: each pixel there has its owner's hue.
 * Returns cells checked; *bad the mismatches. */
static int check_cells(const uint8_t *f, int *bad)
{
    app_t *a = app_get();
    const sim_t *s = &a->panes[0].sim;
    uint64_t cells = place_cells(&s->strat, &s->nodes);
    double r = 1.0 + cells_mid() / a->panes[0].view.scale;
    int checked = 0;
    *bad = 0;
    /* the cells around the view's reference, both ways */
    uint64_t c0 = place_cell_at(a->panes[0].view.ref, cells), span = cells < 801 ? cells : 801;
    for (uint64_t k = 0; k < span; k++) {
        uint64_t c = (c0 + cells - span / 2 + k) % cells;
        double x, y;
        view_ring_px(&a->panes[0].view, place_cell_mid(c, cells), r, &x, &y);
        if (!usable(x, y))
            continue;
        uint16_t want = place_cell_owner(&s->strat, &s->nodes, c);
        uint16_t got = rt_hue(rt_pixel(f, (int)floor(x), (int)floor(y)));
        checked++;
        if (got != want) {
            (*bad)++;
            const uint8_t *p = rt_pixel(f, (int)floor(x), (int)floor(y));
            print_message("cell %llu at %.1f,%.1f: %u,%u,%u looks like %s, owner %s\n", (unsigned long long)c, x, y,
                          p[0], p[1], p[2], s->ring.nodes[got].id, s->ring.nodes[want].id);
        }
    }
    return checked;
}

/* Zooms so that cells are px wide, centred on the ring at turn t. */
static void zoom_cells(double t, double px)
{
    app_t *a = app_get();
    uint64_t cells = place_cells(&a->panes[0].sim.strat, &a->panes[0].sim.nodes);
    app_reset_view(app_get());
    a->panes[0].view.zoom = px * (double)cells / (TAU * a->panes[0].view.fit);
    a->panes[0].view.cx = sin(TAU * t);
    a->panes[0].view.cy = -cos(TAU * t);
    view_update(&a->panes[0].view);
    a->view_dirty = 1;
}

static void maglev_cells_in_owner_colours(void **state)
{
    (void)state;
    app_t *a = app_get();
    run("strategy maglev");
    assert_int_equal(a->panes[0].scene.sst.cells, STRAT_TABLE_DEFAULT);
    int checked = 0, bad = 0;
    static const double turns[] = {0.1, 0.37, 0.62, 0.9};
    for (int i = 0; i < 4; i++) {
        zoom_cells(turns[i], 14.0);
        int b;
        checked += check_cells(rt_frame(), &b);
        bad += b;
        if (i == 0)
            rt_shot("maglev-cells");
    }
    app_reset_view(app_get());
    print_message("maglev: %d cells checked, %d off\n", checked, bad);
    assert_true(checked >= 200);
    assert_true(bad * 50 <= checked);
    /* Still frames upload nothing, cell ring and all. */
    rt_frame();
    for (int i = 0; i < 3; i++) {
        app_advance(1.0 / 60.0);
        rt_frame();
    }
    rt_shot("maglev");
    assert_int_equal(a->bytes_last_frame, 0);
}

/* The wheel aimed at maglev's cell ring (issue 22: at 750x the cells had
 * left the pointer): zooming keeps the ring under the pointer at the same
 * pixel offset, so the cells stay there, and at the end the pixel under
 * the pointer has its cell's owner's colour. */
static void wheel_on_the_cells_keeps_them_under_the_pointer(void **state)
{
    (void)state;
    app_t *a = app_get();
    const pane_t *p = &a->panes[0];
    run("strategy maglev");
    app_reset_view(a);
    rt_frame();
    float cin, cout;
    sst_cell_band(a->dpi, &cin, &cout);
    double off = 0.5 * (cin + cout), mx, my; /* the middle of the cell ring, px outside the ring line */
    view_ring_px(&p->view, view_angle_to_pos(0.3 * TAU), 1.0 + off / p->view.scale, &mx, &my);
    mx = floor(mx), my = floor(my); /* events carry whole pixels */
    rt_move((float)mx, (float)my);
    double off0;
    uint64_t at = view_px_to_ring(&p->view, mx, my, &off0);
    off = off0;
    for (int i = 0; i < 42; i++) {
        rt_wheel((float)mx, (float)my, 1.0f);
        double dist;
        uint64_t pos = view_px_to_ring(&p->view, mx, my, &dist);
        if (fabs(dist - off) > 1.0)
            print_message("zoom %.0fx: the pointer is %.1f px off the ring line, want %.1f\n", p->view.zoom, dist, off);
        assert_true(fabs(dist - off) <= 1.0);
        assert_true(fabs(view_ring_delta(&p->view, pos) - view_ring_delta(&p->view, at)) < 1e-6);
    }
    assert_true(p->view.zoom > 700);
    const uint8_t *f = rt_frame();
    rt_shot("maglev-wheel");
    uint64_t pos = view_px_to_ring(&p->view, mx, my, NULL);
    uint64_t cells = place_cells(&p->sim.strat, &p->sim.nodes);
    uint16_t want = place_cell_owner(&p->sim.strat, &p->sim.nodes, place_cell_at(pos, cells));
    assert_int_equal(rt_hue(rt_pixel(f, (int)mx, (int)my)), want);
    app_reset_view(a);
    rt_move(-100, -100);
    run("strategy ring");
}

static void jump_swap_recolours_the_freed_bucket(void **state)
{
    (void)state;
    app_t *a = app_get();
    run("strategy jump");
    const strat_nodes_t *nd = &a->panes[0].sim.nodes;
    uint32_t n = nd->n;
    assert_true(n >= 3);
    uint16_t last = nd->jump[n - 1], gone = nd->jump[1];
    int checked = 0, bad = 0;
    checked = check_cells(rt_frame(), &bad);
    assert_int_equal(checked, (int)n);
    assert_int_equal(bad, 0);
    char cmd[NODEID_MAX + 16];
    snprintf(cmd, sizeof cmd, "remove %s", a->panes[0].sim.ring.nodes[gone].id);
    assert_null(app_run_command(cmd));
    /* mid-swap: the arrow is up */
    app_advance(0.5);
    rt_frame();
    rt_shot("jump-swap");
    assert_true(a->panes[0].scene.sst.swap);
    assert_int_equal(a->panes[0].scene.sst.swap_to, 1);
    assert_int_equal(a->panes[0].scene.sst.swap_from, n - 1);
    assert_int_equal(a->panes[0].scene.sst.swap_node, last);
    rt_settle();
    /* bucket 1 now has the last bucket's node, in its colour */
    assert_int_equal(nd->jump[1], last);
    double x, y;
    view_ring_px(&a->panes[0].view, place_cell_mid(1, n - 1), 1.0 + cells_mid() / a->panes[0].view.scale, &x, &y);
    const uint8_t *f = rt_frame();
    assert_int_equal(rt_hue(rt_pixel(f, (int)floor(x), (int)floor(y))), last);
    checked = check_cells(f, &bad);
    assert_int_equal(checked, (int)n - 1);
    assert_int_equal(bad, 0);
    snprintf(cmd, sizeof cmd, "add %s", a->panes[0].sim.ring.nodes[gone].id);
    run(cmd);
}

static void multiprobe_fan_for_a_hovered_key(void **state)
{
    (void)state;
    app_t *a = app_get();
    run("strategy multiprobe");
    /* the ring point at 100 degrees, a few pixels outside the line */
    double mx, my;
    view_ring_px(&a->panes[0].view, view_angle_to_pos(100.0 / 360.0 * TAU), 1.0 + 4.0 / a->panes[0].view.scale, &mx, &my);
    rt_move(-100, -100);
    const uint8_t *f = rt_frame();
    size_t bytes = (size_t)a->fb_w * a->fb_h * 4;
    uint8_t *before = malloc(bytes);
    assert_non_null(before);
    memcpy(before, f, bytes);
    rt_move((float)mx, (float)my);
    f = rt_frame();
    rt_shot("multiprobe-fan");
    uint64_t key = view_px_to_ring(&a->panes[0].view, a->mouse_x, a->mouse_y, NULL);
    int checked = 0, lit = 0;
    for (uint32_t j = 0; j < a->panes[0].sim.strat.params.probes; j++) {
        double x, y;
        view_ring_px(&a->panes[0].view, strat_probe(key, j), 1.0, &x, &y);
        if (!usable(x, y))
            continue;
        const uint8_t *p = rt_pixel(f, (int)floor(x), (int)floor(y));
        const uint8_t *q = before + ((size_t)floor(y) * a->fb_w + (size_t)floor(x)) * 4;
        checked++;
        lit += p[0] + p[1] + p[2] >= q[0] + q[1] + q[2] + 90;
    }
    free(before);
    print_message("multiprobe: %d of %d probes drawn\n", lit, checked);
    assert_true(checked >= 10);
    assert_true(lit * 10 >= checked * 9);
    rt_move(-100, -100);
}

/* rendezvous: the hovered key's scores, its owner marked. */
static void rendezvous_scores_for_a_hovered_key(void **state)
{
    (void)state;
    app_t *a = app_get();
    run("strategy rendezvous");
    double mx, my;
    view_ring_px(&a->panes[0].view, view_angle_to_pos(250.0 / 360.0 * TAU), 1.0 - 6.0 / a->panes[0].view.scale, &mx, &my);
    rt_move(-100, -100);
    const uint8_t *f = rt_frame();
    assert_int_equal(a->panes[0].scene.sst.hover_owner, RING_NONE);
    const uint8_t *q = rt_pixel(f, (int)mx + 60, (int)my + 40);
    int before = q[0] + q[1] + q[2];
    rt_move((float)mx, (float)my);
    f = rt_frame();
    rt_shot("rendezvous-scores");
    uint64_t key = view_px_to_ring(&a->panes[0].view, a->mouse_x, a->mouse_y, NULL);
    strat_key_t k;
    place_key_at(&a->panes[0].sim.strat, key, &k);
    strat_where_t w;
    sim_locate(&a->panes[0].sim, &k, &w);
    assert_int_equal(a->panes[0].scene.sst.hover_owner, w.owner);
    /* the card is drawn beside the cursor (a panel over the dark disc) */
    q = rt_pixel(f, (int)mx + 60, (int)my + 40);
    assert_true(q[0] + q[1] + q[2] != before);
    rt_move(-100, -100);
    run("strategy ring");
}

static int boxes_meet(const app_rect_t *r, const app_rect_t *o)
{
    return r->x < o->x + o->w && o->x < r->x + r->w && r->y < o->y + o->h && o->y < r->y + r->h;
}

/* The index in the HUD batch of the first shape whose quad is the box
 * (draw_rect's 1 px margin), and its colour; -1 if none. */
static long shape_of(const app_rect_t *b, uint32_t *color)
{
    const draw_t *d = &app_get()->ui;
    for (size_t i = 0; i < d->count; i++) {
        const draw_vertex_t *v = &d->verts[i];
        if (v->mode != 0 && fabsf(v->x - (b->x - 1)) < 0.01f && fabsf(v->y - (b->y - 1)) < 0.01f &&
            fabsf(v->hw - 0.5f * b->w) < 0.01f && fabsf(v->hh - 0.5f * b->h) < 0.01f) {
            *color = v->color;
            return (long)i;
        }
    }
    return -1;
}

/* A card over a label (issue 22: after 4, hover at 600,260 the
 * rendezvous card was drawn under node labels, and the hover card let
 * labels show through): the card is drawn after every glyph of the labels
 * it covers, in an opaque colour. Tried round the ring until a card and a
 * label meet. */
static void cards_lie_over_labels(strat_kind_t kind)
{
    app_t *a = app_get();
    const pane_t *p = &a->panes[0];
    char cmd[64];
    snprintf(cmd, sizeof cmd, "strategy %s", strat_name(kind));
    run(cmd);
    rt_settle();
    int met = 0;
    for (int deg = 0; deg < 360 && !met; deg += 3) {
        for (int k = 0; k < 2 && !met; k++) {
            uint64_t pos = view_angle_to_pos(deg / 360.0 * TAU);
            double mx, my;
            view_ring_px(&p->view, pos, 1.0 - (k ? 0.0 : 6.0 / p->view.scale), &mx, &my);
            rt_move((float)mx, (float)my);
            rt_frame();
            const app_rect_t *c = &a->hover_box;
            if (c->w <= 0)
                continue;
            for (uint32_t j = 0; j < a->label_count[0]; j++) {
                const app_rect_t *l = &a->labels[0][j].box;
                if (!boxes_meet(c, l))
                    continue;
                met = 1;
                uint32_t color = 0;
                long card = shape_of(c, &color);
                assert_true(card >= 0);
                assert_int_equal(color >> 24, 0xFF); /* alpha: bytes R, G, B, A in memory */
                assert_true(a->labels[0][j].batch_to > a->labels[0][j].batch_from);
                assert_true((size_t)card >= a->labels[0][j].batch_to);
                print_message("%s: card at %.0f,%.0f %.0fx%.0f over %s's label (mouse %d deg)\n", strat_name(kind),
                              c->x, c->y, c->w, c->h, p->sim.ring.nodes[a->labels[0][j].slot].id, deg);
                rt_shot(kind == STRAT_RENDEZVOUS ? "card-over-label-rendezvous" : "card-over-label-ring");
                break;
            }
        }
    }
    assert_true(met);
    rt_move(-100, -100);
    run("strategy ring");
}

static void score_and_hover_cards_lie_over_labels(void **state)
{
    (void)state;
    cards_lie_over_labels(STRAT_RENDEZVOUS);
    cards_lie_over_labels(STRAT_RING);
}

static void bounded_ticks_its_overflowed_keys(void **state)
{
    (void)state;
    app_t *a = app_get();
    /* few points per node: uneven arcs, so some nodes fill up */
    run("vnodes 2");
    run("strategy bounded");
    const sim_t *s = &a->panes[0].sim;
    size_t over = 0;
    for (size_t i = 0; i < s->store.count; i++) {
        strat_key_t key;
        sim_key_at(s, i, &key);
        strat_where_t w;
        sim_locate(s, &key, &w);
        over += w.probe > 0;
    }
    const uint8_t *f = rt_frame();
    rt_shot("bounded");
    print_message("bounded: %zu keys overflowed, %zu ticks\n", over, a->panes[0].scene.sst.over_drawn);
    assert_true(over > 0);
    assert_int_equal(a->panes[0].scene.sst.over_count, over);
    assert_int_equal(a->panes[0].scene.sst.over_drawn, over);
    /* each tick is amber 6 px outside the ring */
    int checked = 0, amber = 0;
    for (size_t i = 0; i < a->panes[0].scene.sst.over_count; i++) {
        double x, y;
        view_ring_px(&a->panes[0].view, a->panes[0].scene.sst.over[i], 1.0 + 6.0 * a->dpi / a->panes[0].view.scale, &x, &y);
        if (!usable(x, y))
            continue;
        const uint8_t *p = rt_pixel(f, (int)lround(x - 0.5), (int)lround(y - 0.5));
        checked++;
        amber += p[0] > 150 && p[0] > p[1] && p[1] > p[2] + 30;
    }
    print_message("bounded: %d of %d ticks amber\n", amber, checked);
    assert_true(checked >= 20);
    assert_true(amber * 10 >= checked * 8);
    run("strategy ring");
    assert_int_equal(a->panes[0].scene.sst.over_count, 0);
    run("vnodes 80");
}

/* ketama draws its own 32-bit ring: each point at (hash << 32). */
/* bounded (issue 22: with full nodes the band showed only the nodes not
 * full, though the full ones held most keys): the band shows where keys
 * are — at each key's angle its owner's colour — and the rule, where a new
 * key hashing there would go now, is its own thin ring inside the band,
 * where full nodes never appear. */
static void bounded_band_shows_where_keys_are(void **state)
{
    (void)state;
    app_t *a = app_get();
    run("vnodes 2");
    run("strategy bounded");
    rt_settle();
    const pane_t *p = &a->panes[0];
    const sim_t *s = &p->sim;
    const uint8_t *f = rt_frame();
    rt_shot("bounded-band");
    double band_r = 1.0 - 10.5 * a->dpi / p->view.scale, rule_r = 1.0 - 21.0 * a->dpi / p->view.scale;
    int checked = 0, agree = 0, seen[RS_MAX_NODES] = {0};
    for (size_t i = 1; i + 1 < s->store.count; i += 5) {
        uint16_t o = s->store.owner[i];
        if (s->store.owner[i - 1] != o || s->store.owner[i + 1] != o)
            continue; /* at an edge between owners: a texel may show either */
        double x, y;
        view_ring_px(&p->view, s->store.hash[i], band_r, &x, &y);
        if (!usable(x, y))
            continue;
        uint16_t got = rt_hue(rt_pixel(f, (int)floor(x), (int)floor(y)));
        checked++;
        agree += got == o;
        seen[got]++;
    }
    print_message("bounded band: %d of %d keys' angles in their owner's colour\n", agree, checked);
    assert_true(checked >= 300);
    assert_true(agree * 10 >= checked * 9);
    int full = 0;
    for (uint32_t k = 0; k < p->sorted_count; k++) {
        uint16_t slot = p->sorted[k];
        uint64_t cap = s->strat.ops->structure.capacity(&s->strat.params, s->store.count, s->ring.nodes[slot].weight,
                                                         s->ring.weight_sum);
        int is_full = s->store.counts[slot] >= cap;
        full += is_full;
        /* every node's keys are on the band, full or not */
        assert_true(seen[slot] > 0);
        /* the rule's ring: a new key never goes to a full node */
        int rule_hits = 0, rule_checked = 0, rule_agree = 0;
        for (int d = 0; d < 720; d++) {
            uint64_t pos = view_angle_to_pos(d / 720.0 * TAU);
            double x, y;
            view_ring_px(&p->view, pos, rule_r, &x, &y);
            if (!usable(x, y))
                continue;
            strat_key_t key;
            place_key_at(&s->strat, pos, &key);
            strat_where_t w;
            sim_locate(s, &key, &w);
            uint16_t got = rt_hue(rt_pixel(f, (int)floor(x), (int)floor(y)));
            rule_checked++;
            rule_agree += got == w.owner;
            rule_hits += got == slot;
        }
        assert_true(rule_agree * 10 >= rule_checked * 8);
        if (is_full)
            assert_true(rule_hits * 50 <= rule_checked);
    }
    print_message("bounded: %d full nodes\n", full);
    assert_true(full >= 1);
    run("strategy ring");
    run("vnodes 80");
}

static void ketama_draws_its_points(void **state)
{
    (void)state;
    app_t *a = app_get();
    run("strategy ketama");
    const strat_points_t *pts = place_points(&a->panes[0].sim.strat);
    assert_non_null(pts);
    assert_true(a->panes[0].scene.pts_own);
    int checked = 0, good = 0;
    for (int e = 0; e < 8; e++) {
    app_reset_view(app_get());
    a->panes[0].view.zoom = 6.0;
    a->panes[0].view.cx = sin(TAU * e / 8);
    a->panes[0].view.cy = -cos(TAU * e / 8);
    view_update(&a->panes[0].view);
    a->view_dirty = 1;
    const uint8_t *f = rt_frame();
    if (e == 0)
        rt_shot("ketama");
    for (uint32_t i = 0; i < pts->count; i++) {
        double x, y, nx, ny, px, py;
        view_ring_px(&a->panes[0].view, pts->pos[i], 1.0, &x, &y);
        view_ring_px(&a->panes[0].view, pts->pos[(i + 1) % pts->count], 1.0, &nx, &ny);
        view_ring_px(&a->panes[0].view, pts->pos[(i + pts->count - 1) % pts->count], 1.0, &px, &py);
        if (hypot(nx - x, ny - y) < 7 || hypot(px - x, py - y) < 7 || !usable(x, y))
            continue;
        checked++;
        good += rt_hue(rt_pixel(f, (int)floor(x), (int)floor(y))) == pts->node[i];
    }
    }
    app_reset_view(app_get());
    print_message("ketama: %d of %d isolated points in their colour\n", good, checked);
    assert_true(checked >= 10);
    assert_true(good * 10 >= checked * 9);
    run("strategy ring");
}

/* Flights turn at the key's place: under maglev each moved key's waypoint is
 * its table cell, and at half its flight the particle is there, on the cell
 * ring (brighter than once all have landed). */
static void maglev_flights_turn_at_their_cells(void **state)
{
    (void)state;
    app_t *a = app_get();
    run("strategy maglev");
    assert_null(app_run_command("remove nodeC"));
    const scene_t *sc = &a->panes[0].scene;
    const sim_t *s = &a->panes[0].sim;
    uint64_t cells = place_cells(&s->strat, &s->nodes);
    enum { PICKS = 24 };
    size_t pick[PICKS];
    int picks = 0;
    size_t checked = 0;
    double r = 1.0 + cells_mid() / a->panes[0].view.scale;
    for (size_t k = 0; k < s->moves.count; k++) {
        size_t pos = s->moves.items[k].pos;
        if (sc->owners[pos].start < (float)a->clock)
            continue;
        float want[2];
        view_split(place_cell_mid(s->store.hash[pos] % cells, cells), want);
        const float *w = sc->way_cpu + 3 * pos;
        assert_true(w[0] == want[0] && w[1] == want[1] && w[2] == 2.0f);
        checked++;
        double x, y;
        view_ring_px(&a->panes[0].view, place_cell_mid(s->store.hash[pos] % cells, cells), r, &x, &y);
        if (picks < PICKS && k % 17 == 0 && usable(x, y))
            pick[picks++] = pos;
    }
    assert_true(checked > 500);
    assert_true(picks >= 10);
    /* by start time: the clock only goes forward */
    for (int i = 1; i < picks; i++)
        for (int j = i; j > 0 && sc->owners[pick[j]].start < sc->owners[pick[j - 1]].start; j--) {
            size_t t = pick[j];
            pick[j] = pick[j - 1];
            pick[j - 1] = t;
        }
    int mid_sum[PICKS];
    double px[PICKS], py[PICKS];
    for (int i = 0; i < picks; i++) {
        double t = sc->owners[pick[i]].start + 0.5 * sc->flight;
        if (t > a->clock)
            app_advance(t - a->clock);
        view_ring_px(&a->panes[0].view, place_cell_mid(s->store.hash[pick[i]] % cells, cells), r, &px[i], &py[i]);
        const uint8_t *p = rt_pixel(rt_frame(), (int)floor(px[i]), (int)floor(py[i]));
        mid_sum[i] = p[0] + p[1] + p[2];
        if (i == picks / 2)
            rt_shot("maglev-flights");
    }
    rt_settle();
    const uint8_t *f = rt_frame();
    int brighter = 0;
    for (int i = 0; i < picks; i++) {
        const uint8_t *p = rt_pixel(f, (int)floor(px[i]), (int)floor(py[i]));
        brighter += mid_sum[i] >= p[0] + p[1] + p[2] + 60;
    }
    print_message("maglev: %zu waypoints checked, %d of %d particles seen at their cell\n", checked, brighter, picks);
    assert_true(brighter * 10 >= picks * 8);
    run("add nodeC");
    run("strategy ring");
}

/* Every strategy's structure, with a hovered key, costs nothing at rest. */
static void still_frames_upload_nothing(void **state)
{
    (void)state;
    app_t *a = app_get();
    double mx, my;
    view_ring_px(&a->panes[0].view, view_angle_to_pos(0.3 * TAU), 1.0, &mx, &my);
    for (int k = 0; k < STRAT_COUNT; k++) {
        char cmd[64];
        snprintf(cmd, sizeof cmd, "strategy %s", strat_name((strat_kind_t)k));
        run(cmd);
        rt_move((float)mx, (float)my);
        for (int i = 0; i < 3; i++) {
            app_advance(1.0 / 60.0);
            rt_frame();
        }
        if (a->bytes_last_frame)
            print_message("%s: %llu bytes\n", cmd, (unsigned long long)a->bytes_last_frame);
        assert_int_equal(a->bytes_last_frame, 0);
    }
    rt_move(-100, -100);
    run("strategy ring");
}

static int setup(void **state)
{
    (void)state;
    return rt_start(1280, 720, 6000);
}

static int teardown(void **state)
{
    (void)state;
    rt_stop();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maglev_cells_in_owner_colours),
        cmocka_unit_test(wheel_on_the_cells_keeps_them_under_the_pointer),
        cmocka_unit_test(jump_swap_recolours_the_freed_bucket),
        cmocka_unit_test(multiprobe_fan_for_a_hovered_key),
        cmocka_unit_test(rendezvous_scores_for_a_hovered_key),
        cmocka_unit_test(score_and_hover_cards_lie_over_labels),
        cmocka_unit_test(bounded_ticks_its_overflowed_keys),
        cmocka_unit_test(bounded_band_shows_where_keys_are),
        cmocka_unit_test(ketama_draws_its_points),
        cmocka_unit_test(maglev_flights_turn_at_their_cells),
        cmocka_unit_test(still_frames_upload_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
