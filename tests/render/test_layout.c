/* Layout and resilience of the visualizer: the HUD at many frame sizes, 500
 * nodes and very long ids, an empty ring, flights retargeted by changes in
 * mid-air, window resize and minimise events. Offscreen GL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rt.h"

/* Every glyph quad of the HUD batch lies inside the frame. */
static void assert_text_inside(void)
{
    const app_t *a = app_get();
    const draw_t *d = &a->ui;
    size_t glyphs = 0;
    for (size_t i = 0; i < d->count; i++) {
        const draw_vertex_t *v = &d->verts[i];
        if (v->mode != 0)
            continue;
        glyphs++;
        if (v->x < -0.5f || v->y < -0.5f || v->x > a->fb_w + 0.5f || v->y > a->fb_h + 0.5f)
            fail_msg("glyph vertex at (%.1f, %.1f) outside the %dx%d frame", v->x, v->y, a->fb_w, a->fb_h);
    }
    assert_true(glyphs > 0);
    assert_false(d->overflow);
}

static int rect_inside(const app_rect_t *r, float w, float h)
{
    return r->x >= -0.5f && r->y >= -0.5f && r->x + r->w <= w + 0.5f && r->y + r->h <= h + 0.5f;
}

/* Bright pixels (any channel > 150) in a rectangle of the frame. */
static int bright(const uint8_t *px, int x0, int y0, int x1, int y1)
{
    int n = 0, w = app_get()->fb_w;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const uint8_t *p = px + ((size_t)y * w + x) * 4;
            n += p[0] > 150 || p[1] > 150 || p[2] > 150;
        }
    return n;
}

static void check_layout(int w, int h)
{
    assert_int_equal(rt_start(w, h, 0), 0);
    assert_null(app_run_command("add nodeF"));
    rt_settle();
    const uint8_t *px = rt_frame();
    app_t *a = app_get();
    float W = (float)a->fb_w, H = (float)a->fb_h;
    /* The bar: one row at the bottom, inside the frame; its buttons side by
     * side on that row, never overlapping. */
    assert_true(a->bar.h > 0 && rect_inside(&a->bar, W, H));
    assert_true(a->bar.y + a->bar.h >= H - 0.5f);
    float row_y = -1, right = 0;
    int shown = 0;
    for (int i = 0; i < APP_W_COUNT; i++) {
        const app_rect_t *r = &a->widgets[i];
        if (r->w <= 0)
            continue;
        if (i == APP_W_SESSION || i == APP_W_WEIGHT_MINUS || i == APP_W_WEIGHT_PLUS || i == APP_W_REPL_MINUS ||
            i == APP_W_REPL_PLUS || i == APP_W_CRASH || i == APP_W_HEAL) {
            /* Not on the bar: in the distribution panel, under the figures,
             * apart from each other. */
            assert_true(a->panel.w > 0 && r->x >= a->panel.x && r->x + r->w <= a->panel.x + a->panel.w &&
                        r->y >= a->panel.y && r->y + r->h <= a->panel.y + a->panel.h + 0.5f);
            for (int k = 0; k < i; k++) {
                const app_rect_t *o = &a->widgets[k];
                if (o->w > 0)
                    assert_false(r->x < o->x + o->w - 0.5f && o->x < r->x + r->w - 0.5f &&
                                 r->y < o->y + o->h - 0.5f && o->y < r->y + r->h - 0.5f);
            }
            continue;
        }
        if (i == APP_W_LEGEND) {
            /* The legend's link: in the hint row just above the bar. */
            assert_true(rect_inside(r, W, H) && r->y + r->h <= a->bar.y + 0.5f && r->y > a->bar.y - 40 * a->hud_u);
            continue;
        }
        shown++;
        assert_true(rect_inside(r, W, H));
        if (row_y < 0)
            row_y = r->y;
        assert_true(fabsf(r->y - row_y) < 0.5f);
        assert_true(r->x >= right - 0.5f);
        right = r->x + r->w;
    }
    /* At least add, remove and help are always on the bar. */
    assert_true(a->widgets[APP_W_ADD].w > 0 && a->widgets[APP_W_REMOVE].w > 0 && a->widgets[APP_W_HELP].w > 0);
    assert_true(shown >= 3);
    /* Title region and the ring area are not empty. */
    assert_true(a->title_box.w > 0 && a->title_box.h > 0);
    assert_true(bright(px, 0, 0, (int)fminf(a->title_box.w, W), (int)fminf(a->title_box.h, H)) > 20);
    assert_true(a->panes[0].view.area_w > 0 && a->panes[0].view.area_h > 0);
    if (a->panel.w > 0)
        assert_true(rect_inside(&a->panel, W, H) && a->panel.y + a->panel.h <= a->bar.y + 0.5f);
    assert_text_inside();
    /* The help overlay fits too. */
    rt_key(SDLK_h, 0);
    rt_frame();
    assert_text_inside();
    rt_key(SDLK_ESCAPE, 0);
    /* And the legend. */
    rt_key(SDLK_l, 0);
    rt_frame();
    assert_text_inside();
    int legend_cut = a->legend_cut;
    rt_key(SDLK_ESCAPE, 0);
    if (w == 1280 && h == 720) {
        assert_false(legend_cut);
        assert_int_equal(a->bar_level, 0); /* every button with its full label */
        assert_false(a->help_cut);         /* the help shows every key */
        assert_true(a->panel.w > 0 && !a->panel_compact);
    }
    if (w == 640 && h == 360)
        assert_true(a->panel.w > 0); /* narrow, but there */
    rt_stop();
}

static void layout_at_many_sizes(void **state)
{
    (void)state;
    static const int sizes[][2] = {{320, 180}, {640, 360}, {960, 540}, {1280, 720}, {1920, 1080}, {2560, 1440}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_layout(sizes[i][0], sizes[i][1]);
}

static void five_hundred_nodes_and_long_ids(void **state)
{
    (void)state;
    assert_int_equal(rt_start(960, 540, 0), 0);
    char line[600], id[300];
    memset(id, 'x', 255);
    memcpy(id, "long", 4);
    id[255] = 0;
    snprintf(line, sizeof line, "add %s", id);
    assert_null(app_run_command(line));
    /* CJK and emoji: three and four bytes per character. */
    char cjk[300] = "", emoji[300] = "";
    for (int i = 0; i < 80; i++)
        strcat(cjk, "\xE8\x8A\x82");
    for (int i = 0; i < 60; i++)
        strcat(emoji, "\xF0\x9F\x9A\x80");
    snprintf(line, sizeof line, "add %s", cjk);
    assert_null(app_run_command(line));
    snprintf(line, sizeof line, "add %s", emoji);
    assert_null(app_run_command(line));
    rt_settle();
    rt_frame();
    assert_text_inside();
    /* Select the long one and hover a ring point: label, panel row, hover
     * card and the last-action line all stay inside. */
    uint16_t slot = rt_slot(id);
    assert_int_not_equal(slot, RING_NONE);
    app_select(app_get(), slot);
    double x, y;
    app_ring_px(app_get()->panes[0].sim.ring.pos[0], &x, &y);
    rt_move((float)x, (float)y);
    rt_frame();
    assert_text_inside();

    for (int i = 0; i < 497; i++) {
        snprintf(line, sizeof line, "add n%03d", i);
        assert_null(app_run_command(line));
    }
    assert_int_equal(app_get()->panes[0].sim.ring.live_count, 505);
    rt_settle();
    const draw_t *d = &app_get()->ui;
    rt_frame();
    assert_text_inside();
    /* Not a blob: a handful of labels, not 500 (a glyph is 6 vertices). */
    size_t glyph_verts = 0;
    for (size_t i = 0; i < d->count; i++)
        glyph_verts += d->verts[i].mode == 0;
    assert_true(glyph_verts / 6 < 2500);
    /* Panel summarises and scrolls (with no selection to keep in view). */
    app_t *a = app_get();
    app_select(app_get(), SCENE_NONE);
    assert_true(a->panel.w > 0);
    uint32_t before = a->panel_scroll;
    rt_wheel(a->panel.x + a->panel.w * 0.5f, a->panel.y + a->panel.h * 0.5f, -3);
    rt_frame();
    assert_true(a->panel_scroll > before);
    assert_text_inside();
    rt_stop();
}

static void removing_every_node_shows_the_empty_ring(void **state)
{
    (void)state;
    assert_int_equal(rt_start(640, 360, 0), 0);
    static const char *const ids[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};
    for (int i = 0; i < 5; i++) {
        char line[32];
        snprintf(line, sizeof line, "remove %s", ids[i]);
        assert_null(app_run_command(line));
    }
    rt_settle();
    const uint8_t *px = rt_frame();
    const app_t *a = app_get();
    assert_int_equal(a->panes[0].sim.ring.live_count, 0);
    int cx = (int)(a->panes[0].view.area_x + a->panes[0].view.area_w * 0.5), cy = (int)(a->panes[0].view.area_y + a->panes[0].view.area_h * 0.5);
    /* "Ring is empty" in large letters across the middle of the ring area. */
    assert_true(bright(px, cx - 80, cy - 14, cx + 80, cy + 14) > 150);
    assert_text_inside();
    /* And back: a node added to the empty ring takes every embedding. */
    assert_null(app_run_command("add nodeZ"));
    rt_settle();
    assert_int_equal(a->panes[0].scene.shown[rt_slot("nodeZ")], a->panes[0].sim.store.count);
    rt_stop();
}

/* Every particle accounted for: the shown counts sum to N mid-flight, and
 * at rest equal the simulation's counts and the particles' owners. */
static void assert_books(int at_rest)
{
    const app_t *a = app_get();
    const scene_t *sc = &a->panes[0].scene;
    uint64_t sum = 0;
    for (uint32_t s = 0; s < a->panes[0].sim.ring.slot_count; s++) {
        sum += sc->shown[s];
        if (at_rest)
            assert_int_equal(sc->shown[s], a->panes[0].sim.ring.nodes[s].live ? a->panes[0].sim.store.counts[s] : 0);
    }
    assert_int_equal(sum, a->panes[0].sim.store.count);
    if (!at_rest)
        return;
    assert_int_equal(sc->land_next, sc->land_count);
    for (size_t i = 0; i < sc->p_count; i++) {
        uint16_t want = a->panes[0].sim.store.owner[i] == RING_NONE ? SCENE_NONE : a->panes[0].sim.store.owner[i];
        assert_int_equal(sc->owners[i].to, want);
    }
    assert_int_equal(app_moved_landed(), a->panes[0].action.moved);
}

static void retarget(uint32_t vectors)
{
    assert_int_equal(rt_start(1280, 720, vectors), 0);
    assert_books(1);
    assert_null(app_run_command("add nodeF"));
    for (int i = 0; i < 30; i++) { /* 0.5 s: some landed, some in the air, some waiting */
        app_advance(1.0 / 60.0);
        assert_books(0);
    }
    rt_frame();
    assert_null(app_run_command("add nodeG"));
    assert_books(0);
    for (int i = 0; i < 40; i++)
        app_advance(1.0 / 60.0);
    assert_books(0);
    /* Back where some came from: those fly home, nothing teleports away. */
    assert_null(app_run_command("remove nodeF"));
    assert_books(0);
    const scene_t *sc = &app_get()->panes[0].scene;
    if (sc->p_count > SCENE_LOD_MAX) /* the thinned view draws every flight */
        assert_int_equal(sc->moved_count, sc->land_count - sc->land_next);
    for (int i = 0; i < 20; i++)
        app_advance(1.0 / 60.0);
    assert_null(app_run_command("remove nodeA"));
    rt_frame();
    rt_settle();
    rt_frame();
    assert_books(1);
    rt_stop();
}

static void adding_during_a_flight_retargets(void **state)
{
    (void)state;
    retarget(0);
}

static void retarget_in_the_thinned_view(void **state)
{
    (void)state;
    retarget(SCENE_LOD_MAX + 10000);
}

/* Every live node's resting place. */
static void places(float *x, float *y)
{
    app_t *a = app_get();
    for (uint32_t s = 0; s < a->panes[0].sim.ring.slot_count; s++) {
        x[s] = a->panes[0].scene.nodes[s].new_x;
        y[s] = a->panes[0].scene.nodes[s].new_y;
    }
}

/* The live nodes of the first pane in their order round the circle,
 * clockwise from 12 o'clock, by their resting places. */
static void circle_order(const float *x, const float *y, uint16_t *out)
{
    const pane_t *p = &app_get()->panes[0];
    uint32_t n = p->sorted_count;
    static double ang[RS_MAX_NODES];
    for (uint32_t i = 0; i < n; i++) {
        uint16_t s = p->sorted[i];
        ang[s] = fmod(atan2(x[s], -y[s]) + 2 * 3.14159265358979, 2 * 3.14159265358979);
        uint32_t k = i;
        while (k > 0 && ang[out[k - 1]] > ang[s]) {
            out[k] = out[k - 1];
            k--;
        }
        out[k] = s;
    }
}

/* Adding and removing nodes keeps the others where they are (the eye can
 * follow the flights); when a newcomer would crowd its neighbours, the
 * nodes re-spread first and the flights wait until they stand still. */
static void calm_topology_changes(void **state)
{
    (void)state;
    assert_int_equal(rt_start(1280, 720, 0), 0);
    app_t *a = app_get();
    static float x0[RS_MAX_NODES], y0[RS_MAX_NODES], x1[RS_MAX_NODES], y1[RS_MAX_NODES];
    places(x0, y0);
    assert_null(app_run_command("add nodeF"));
    places(x1, y1);
    for (uint32_t i = 0; i < a->panes[0].sorted_count; i++) {
        uint16_t s = a->panes[0].sorted[i];
        if (s == rt_slot("nodeF"))
            continue;
        assert_float_equal(x1[s], x0[s], 1e-6);
        assert_float_equal(y1[s], y0[s], 1e-6);
    }
    /* The newcomer sits in the middle of a gap: 36 degrees from both
     * neighbours of five evenly spread nodes. */
    uint16_t f = rt_slot("nodeF");
    double best = 1e9;
    for (uint32_t i = 0; i < a->panes[0].sorted_count; i++)
        if (a->panes[0].sorted[i] != f)
            best = fmin(best, hypot(x1[f] - x1[a->panes[0].sorted[i]], y1[f] - y1[a->panes[0].sorted[i]]));
    assert_float_equal(best, 2 * 1.44 * sin(3.14159265358979 / 10), 1e-3);
    /* No slide: the flights leave at once. */
    float now = (float)a->clock, first = 1e9f;
    for (size_t i = 0; i < a->panes[0].scene.p_count; i++)
        if (a->panes[0].scene.owners[i].to == f)
            first = fminf(first, a->panes[0].scene.owners[i].start);
    assert_float_equal(first, now, 1e-4);
    rt_settle();

    places(x0, y0);
    assert_null(app_run_command("remove nodeC"));
    places(x1, y1);
    for (uint32_t i = 0; i < a->panes[0].sorted_count; i++) {
        uint16_t s = a->panes[0].sorted[i];
        assert_float_equal(x1[s], x0[s], 1e-6);
        assert_float_equal(y1[s], y0[s], 1e-6);
    }
    rt_settle();

    /* Keep adding: sooner or later the gaps get too narrow and the nodes
     * re-spread evenly; then the flights start after the slide. */
    int respread = 0;
    char cmd[32];
    for (int k = 0; k < 12 && !respread; k++) {
        snprintf(cmd, sizeof cmd, "add extra%02d", k);
        places(x0, y0);
        now = (float)a->clock;
        assert_null(app_run_command(cmd));
        uint16_t nw = rt_slot(cmd + 4);
        int moved = 0;
        places(x1, y1);
        for (uint32_t i = 0; i < a->panes[0].sorted_count; i++) {
            uint16_t s = a->panes[0].sorted[i];
            if (s != nw && hypotf(x1[s] - x0[s], y1[s] - y0[s]) > 1e-5f)
                moved = 1;
        }
        if (moved) {
            respread = 1;
            first = 1e9f;
            for (size_t i = 0; i < a->panes[0].scene.p_count; i++)
                if (a->panes[0].scene.owners[i].to == nw)
                    first = fminf(first, a->panes[0].scene.owners[i].start);
            assert_true(first >= now + APP_LAYOUT - 1e-4f);
            /* Evenly spread: every neighbour round the circle the same
             * distance apart. */
            uint32_t n = a->panes[0].sorted_count;
            static uint16_t round_[RS_MAX_NODES];
            circle_order(x1, y1, round_);
            for (uint32_t i = 0; i < n; i++) {
                uint16_t s = round_[i], t = round_[(i + 1) % n];
                assert_float_equal(hypot(x1[s] - x1[t], y1[s] - y1[t]), 2 * 1.44 * sin(3.14159265358979 / n), 1e-3);
            }
        }
        rt_settle();
    }
    assert_true(respread);
    rt_frame();
    assert_books(1);
    rt_stop();
}

/* A at the eleventh node (issue 22): the nodes re-spread evenly but keep
 * their order round the circle, the newcomer where it rose (the middle of
 * the widest gap); none flies across the ring. */
static void respread_keeps_the_order(void **state)
{
    (void)state;
    assert_int_equal(rt_start(1280, 720, 0), 0);
    app_t *a = app_get();
    const pane_t *p = &a->panes[0];
    static float x0[RS_MAX_NODES], y0[RS_MAX_NODES], x1[RS_MAX_NODES], y1[RS_MAX_NODES];
    static uint16_t before[RS_MAX_NODES], after[RS_MAX_NODES];
    for (int k = 0; k < 5; k++) {
        rt_key(SDLK_a, 0);
        rt_settle();
    }
    assert_int_equal(p->sorted_count, 10);
    places(x0, y0);
    rt_key(SDLK_a, 0);
    uint16_t k = rt_slot("nodeK");
    assert_int_not_equal(k, RING_NONE);
    /* Where nodeK rose, among the others as they stood. */
    x0[k] = p->scene.nodes[k].new_x;
    y0[k] = p->scene.nodes[k].new_y;
    places(x1, y1);
    circle_order(x1, y1, after);
    uint32_t n = p->sorted_count;
    assert_int_equal(n, 11);
    /* They did re-spread: every gap is 2 pi / 11 now. */
    for (uint32_t i = 0; i < n; i++)
        assert_float_equal(hypot(x1[after[i]] - x1[after[(i + 1) % n]], y1[after[i]] - y1[after[(i + 1) % n]]),
                           2 * 1.44 * sin(3.14159265358979 / n), 1e-3);
    /* The newcomer's rise point is where the slide starts from; its place
     * in the old order: between the two nodes whose gap it took. */
    double kx = p->scene.nodes[k].old_x, ky = p->scene.nodes[k].old_y;
    x0[k] = (float)(kx * 1.44 / hypot(kx, ky));
    y0[k] = (float)(ky * 1.44 / hypot(kx, ky));
    circle_order(x0, y0, before);
    uint32_t shift = 0;
    while (shift < n && after[shift] != before[0])
        shift++;
    assert_true(shift < n);
    for (uint32_t i = 0; i < n; i++) {
        if (before[i] != after[(i + shift) % n])
            print_message("place %u: %s before, %s after\n", i, p->sim.ring.nodes[before[i]].id,
                          p->sim.ring.nodes[after[(i + shift) % n]].id);
        assert_int_equal(before[i], after[(i + shift) % n]);
    }
    /* And nobody travels far: less than one gap each. */
    for (uint32_t i = 0; i < n; i++) {
        uint16_t s = after[i];
        if (s == k)
            continue;
        double turn = fabs(atan2(x0[s] * y1[s] - y0[s] * x1[s], x0[s] * x1[s] + y0[s] * y1[s]));
        assert_true(turn < 2 * 3.14159265358979 / n);
    }
    rt_stop();
}

static void push_window_event(Uint8 ev, int w, int h)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_WINDOWEVENT;
    e.window.event = ev;
    e.window.data1 = w;
    e.window.data2 = h;
    app_event(&e);
}

static void resize_and_minimise(void **state)
{
    (void)state;
    assert_int_equal(rt_start(1280, 720, 0), 0);
    app_t *a = app_get();
    assert_null(app_run_command("add nodeF"));
    static const int sizes[][2] = {{320, 180}, {64, 36}, {1, 1}, {2000, 90}, {90, 1000}, {1280, 720}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        SDL_SetWindowSize(a->win, sizes[i][0], sizes[i][1]);
        push_window_event(SDL_WINDOWEVENT_SIZE_CHANGED, sizes[i][0], sizes[i][1]);
        app_advance(1.0 / 60.0);
        app_render();
        assert_true(a->bar.y >= 0 || a->fb_h < 40);
        assert_false(a->ui.overflow);
    }
    /* Minimised: frames advance the clock but draw nothing. */
    push_window_event(SDL_WINDOWEVENT_MINIMIZED, 0, 0);
    assert_true(a->minimized);
    uint64_t frames = a->frames;
    double clock = a->clock;
    for (int i = 0; i < 5; i++)
        app_frame(1.0 / 60.0);
    assert_int_equal(a->frames, frames);
    assert_true(a->clock > clock);
    push_window_event(SDL_WINDOWEVENT_RESTORED, 0, 0);
    assert_false(a->minimized);
    app_frame(1.0 / 60.0);
    assert_int_equal(a->frames, frames + 1);
    rt_settle();
    rt_frame();
    assert_text_inside();
    rt_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_at_many_sizes),
        cmocka_unit_test(five_hundred_nodes_and_long_ids),
        cmocka_unit_test(removing_every_node_shows_the_empty_ring),
        cmocka_unit_test(adding_during_a_flight_retargets),
        cmocka_unit_test(retarget_in_the_thinned_view),
        cmocka_unit_test(resize_and_minimise),
        cmocka_unit_test(calm_topology_changes),
        cmocka_unit_test(respread_keeps_the_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
