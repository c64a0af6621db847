/* Render tests: real pixels from a real GLES context (offscreen driver).
 * Positions come from the app's own double-precision view math, colours
 * from the palette: a pixel test fails if either the shaders or the math
 * disagree with the simulation. */
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
#include "rec.h"
#include "rt.h"
#include "shot.h"

static int near(const uint8_t *px, const uint8_t want[3], int tol)
{
    for (int c = 0; c < 3; c++)
        if (abs((int)px[c] - (int)want[c]) > tol)
            return 0;
    return 1;
}

/* Vnode points with no other point within 7 px: their centre pixel must be
 * exactly their node's colour. only = RING_NONE checks every node. */
static void check_points(const uint8_t *f, uint16_t only, int *checked, int *bad)
{
    app_t *a = app_get();
    const ring_t *r = &a->panes[0].sim.ring;
    *checked = *bad = 0;
    for (uint32_t i = 0; i < r->count; i++) {
        if (only != RING_NONE && r->node[i] != only)
            continue;
        double x, y;
        app_ring_px(r->pos[i], &x, &y);
        int isolated = 1;
        for (int k = -3; k <= 3 && isolated; k++) {
            if (!k)
                continue;
            uint32_t j = (uint32_t)(((int64_t)i + k + r->count) % r->count);
            double nx, ny;
            app_ring_px(r->pos[j], &nx, &ny);
            if (j != i && hypot(nx - x, ny - y) < 7)
                isolated = 0;
        }
        /* only where no HUD is drawn over the ring */
        int under_hud = (x > a->panel.x - 6 && a->panel.w > 0) || y > a->bar.y - 6 || y < 70 || rt_under_legend(x, y);
        if (!isolated || under_hud || x < 2 || y < 2 || x >= a->fb_w - 2 || y >= a->fb_h - 2)
            continue;
        uint8_t want[3];
        rt_node_rgb(r->node[i], want);
        const uint8_t *px = rt_pixel(f, (int)floor(x), (int)floor(y));
        (*checked)++;
        if (!near(px, want, 8)) {
            (*bad)++;
            print_message("point %u (%s) at %.1f,%.1f: got %u,%u,%u want %u,%u,%u\n", i,
                          r->nodes[r->node[i]].id, x, y, px[0], px[1], px[2], want[0], want[1], want[2]);
        }
    }
}

/* Points are ~2 px apart at the default zoom: look at them 4x closer, one
 * eighth of the ring at a time, and check each frame. */
/* Zooms 4x onto the k-th eighth of the ring (clockwise from 12 o'clock). */
static void look_at_eighth(int k)
{
    app_t *a = app_get();
    double th = k * 6.283185307179586 / 8;
    app_reset_view(app_get());
    a->panes[0].view.zoom = 4.0;
    a->panes[0].view.cx = sin(th);
    a->panes[0].view.cy = -cos(th);
    view_update(&a->panes[0].view);
    a->view_dirty = 1;
}

static void check_ring(uint16_t only, int *checked, int *bad)
{
    *checked = *bad = 0;
    for (int k = 0; k < 8; k++) {
        look_at_eighth(k);
        int c, b;
        check_points(rt_frame(), only, &c, &b);
        *checked += c;
        *bad += b;
    }
    app_reset_view(app_get());
}

static int bright_pixels(const uint8_t *f, int x0, int y0, int x1, int y1)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const uint8_t *p = rt_pixel(f, x, y);
            n += p[0] + p[1] + p[2] > 450;
        }
    return n;
}

static void points_have_their_node_colour(void **state)
{
    (void)state;
    int checked, bad;
    check_ring(RING_NONE, &checked, &bad);
    print_message("checked %d isolated points\n", checked);
    assert_true(checked >= 60);
    assert_int_equal(bad, 0);
}

static void hud_is_drawn(void **state)
{
    (void)state;
    const uint8_t *f = rt_frame();
    app_t *a = app_get();
    /* title line, distribution panel, control bar */
    assert_true(bright_pixels(f, 16, 10, 760, 42) > 400);
    assert_true(bright_pixels(f, (int)a->panel.x, (int)a->panel.y, (int)(a->panel.x + a->panel.w),
                              (int)(a->panel.y + 200)) > 300);
    assert_true(bright_pixels(f, 0, (int)a->bar.y, a->fb_w, a->fb_h) > 300);
}

static void idle_frames_upload_nothing(void **state)
{
    (void)state;
    rt_settle();
    for (int i = 0; i < 3; i++) {
        app_advance(1.0 / 60.0);
        rt_frame();
    }
    assert_int_equal(app_get()->bytes_last_frame, 0);
}

/* Pixels around a node's centre glowing in its hue (its particle cloud). */
static int cloud_pixels(const uint8_t *f, uint16_t slot)
{
    double nx, ny;
    app_node_px(slot, &nx, &ny);
    uint8_t want[3];
    rt_node_rgb(slot, want);
    int hits = 0;
    for (int dy = -20; dy <= 20; dy++)
        for (int dx = -20; dx <= 20; dx++) {
            const uint8_t *p = rt_pixel(f, (int)nx + dx, (int)ny + dy);
            /* additive glow keeps the hue: dominant channel order matches */
            hits += p[0] + p[1] + p[2] > 120 && (p[0] >= p[2]) == (want[0] >= want[2]) &&
                    (p[1] >= p[2]) == (want[1] >= want[2]);
        }
    return hits;
}

/* Switching strategy re-places every key like the core does (an oracle sim
 * with rt_start's configuration), the moved ones fly into the right clouds,
 * and switching back moves exactly the same keys home. */
static void strategy_switch_and_back(void **state)
{
    (void)state;
    app_t *a = app_get();
    static const char *const ids[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};
    sim_config_t cfg = {.nodes = ids, .node_count = 5, .vnodes = 80, .vectors = 6000, .dim = 256, .seed = 42};
    sim_t ref;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(&ref, &cfg, &step, err, sizeof err), 0);
    assert_int_equal(a->panes[0].sim.ring.live_count, 5);
    assert_int_equal(a->panes[0].sim.store.count, ref.store.count);
    scn_cmd_t to_modulo = {.op = SCN_STRATEGY, .value = STRAT_MODULO};
    assert_int_equal(sim_apply(&ref, &to_modulo, &step, err, sizeof err), 0);

    assert_null(app_run_command("strategy modulo"));
    assert_int_equal(a->panes[0].sim.strat.kind, STRAT_MODULO);
    uint64_t there = a->panes[0].action.moved;
    assert_int_equal(there, step.moved);
    assert_true(there > a->panes[0].sim.store.count / 2); /* modulo keeps few keys where the ring had them */
    rt_settle();
    assert_int_equal(app_moved_landed(), there);
    const uint8_t *f = rt_frame();
    for (uint32_t i = 0; i < a->panes[0].sorted_count; i++) {
        uint16_t slot = a->panes[0].sorted[i];
        assert_int_equal(a->panes[0].scene.shown[slot], ref.store.counts[slot]);
        assert_true(cloud_pixels(f, slot) > 100);
    }
    assert_true(strstr(app_state_json(), "\"strategy\":\"modulo\"") != NULL);

    assert_null(app_run_command("strategy ring"));
    assert_int_equal(a->panes[0].action.moved, there);
    rt_settle();
    assert_int_equal(app_moved_landed(), there);
    int checked, bad;
    check_ring(RING_NONE, &checked, &bad);
    assert_true(checked >= 60);
    assert_int_equal(bad, 0);
    sim_free(&ref);
}

static uint16_t owner_at(uint64_t pos)
{
    strat_where_t w;
    strat_key_t key;
    place_key_at(&app_get()->panes[0].sim.strat, pos, &key);
    sim_locate(&app_get()->panes[0].sim, &key, &w);
    return w.owner;
}

/* The band inside the ring shows, at each angle, the node that owns a key
 * hashing there under the active strategy: under ketama its own 32-bit
 * ring's arcs, not the vnode ring's (whose points are then not drawn). Each
 * band pixel, away from arc ends, is nearest in hue to that owner. */
static void band_shows_the_strategy(void **state)
{
    (void)state;
    app_t *a = app_get();
    assert_null(app_run_command("strategy ketama"));
    rt_settle();
    assert_true(a->panes[0].params.points_off);
    int checked = 0, bad = 0, differs = 0;
    for (int k = 0; k < 8; k++) {
        look_at_eighth(k);
        const uint8_t *f = rt_frame();
        double mid = 0.5 * (a->panes[0].params.band_in + a->panes[0].params.band_out) / a->panes[0].view.scale;
        /* one pixel of arc, in ring positions: only pixels 6 px from an arc's ends count */
        uint64_t px1 = (uint64_t)ldexp(1.0 / (6.283185307179586 * a->panes[0].view.scale), 64);
        for (int i = 0; i < 160; i++) {
            uint64_t pos = ((uint64_t)k << 61) + (uint64_t)(int64_t)(i - 80) * (1ull << 53);
            uint16_t o = owner_at(pos);
            int inside = o != RING_NONE;
            for (int j = -6; j <= 6 && inside; j++)
                inside = owner_at(pos + (uint64_t)(int64_t)j * px1) == o;
            if (!inside)
                continue;
            double x, y;
            view_ring_px(&a->panes[0].view, pos, 1.0 + mid, &x, &y);
            if ((x > a->panel.x - 6 && a->panel.w > 0) || y > a->bar.y - 6 || y < 70 || rt_under_legend(x, y) || x < 2 || y < 2 ||
                x >= a->fb_w - 2 || y >= a->fb_h - 2)
                continue;
            const uint8_t *px = rt_pixel(f, (int)floor(x), (int)floor(y));
            uint16_t hue = rt_hue(px);
            checked++;
            differs += ring_owner(&a->panes[0].sim.ring, pos) != o;
            if (hue != o) {
                bad++;
                print_message("band at %.1f,%.1f: %u,%u,%u looks like %s, owner %s\n", x, y, px[0], px[1], px[2],
                              a->panes[0].sim.ring.nodes[hue].id, a->panes[0].sim.ring.nodes[o].id);
            }
        }
    }
    app_reset_view(app_get());
    print_message("checked %d band pixels, %d where the vnode ring disagrees\n", checked, differs);
    assert_true(checked >= 100);
    assert_true(differs >= 20);
    /* A node label may lie over the band here and there (1 of 129 at the
     * time of writing); a band drawn from the vnode ring misses most. */
    assert_true(bad * 20 <= checked);
    assert_null(app_run_command("strategy ring"));
    rt_settle();
    assert_false(a->panes[0].params.points_off);
}

static void added_node_colour_appears(void **state)
{
    (void)state;
    assert_null(app_run_command("add nodeF"));
    uint16_t slot = rt_slot("nodeF");
    assert_int_not_equal(slot, RING_NONE);
    rt_settle();
    int checked, bad;
    check_ring(slot, &checked, &bad);
    assert_true(checked >= 10);
    assert_int_equal(bad, 0);
    /* its particle cloud glows in its colour at the node's place */
    assert_true(cloud_pixels(rt_frame(), slot) > 100);
}

/* Above SCENE_LOD_MAX the clouds are drawn thinned; WebGL refuses vertex
 * strides over 255 bytes, so the thinned view must not use k-times strides.
 * Every node's cloud is there and GL reports no error. */
static void big_clouds_draw(void **state)
{
    (void)state;
    const char *sizes[] = {"vectors 2000000", "vectors 10000000"};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_null(app_run_command(sizes[i]));
        rt_settle();
        const uint8_t *f = rt_frame();
        assert_int_equal(glGetError(), GL_NO_ERROR);
        app_t *a = app_get();
        for (uint32_t n = 0; n < a->panes[0].sorted_count; n++) {
            int hits = cloud_pixels(f, a->panes[0].sorted[n]);
            print_message("%s: node %u cloud %d px\n", sizes[i], (unsigned)n, hits);
            assert_true(hits > 100);
        }
    }
    assert_null(app_run_command("vectors 6000"));
    rt_settle();
}

/* Runs cmd, which must move some keys; how many. */
static uint64_t run_moving(const char *cmd)
{
    assert_null(app_run_command(cmd));
    uint64_t moved = app_get()->panes[0].action.moved;
    assert_true(moved > 0);
    return moved;
}

static void moved_counter_counts_up(void **state)
{
    (void)state;
    uint64_t moved = run_moving("add nodeG");
    assert_int_equal(app_moved_landed(), 0);
    for (int i = 0; i < 66; i++) /* 1.1 s: some landed, not all */
        app_advance(1.0 / 60.0);
    uint64_t mid = app_moved_landed();
    assert_true(mid > 0 && mid < moved);
    rt_frame(); /* a frame mid-flight draws fine */
    rt_settle();
    assert_int_equal(app_moved_landed(), moved);
}

/* While 6,000 added embeddings fly in, the panel's percentages are of what
 * is drawn: they add up to 100%, not to the old count over the new total. */
static void panel_shares_add_up_mid_flight(void **state)
{
    (void)state;
    app_t *a = app_get();
    uint64_t before = a->panes[0].sim.store.count;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "vectors %llu", (unsigned long long)(2 * before));
    assert_null(app_run_command(cmd));
    for (int i = 0; i < 30; i++) /* 0.5 s: few have landed */
        app_advance(1.0 / 60.0);
    double sum = 0;
    for (uint32_t i = 0; i < a->panes[0].sorted_count; i++)
        sum += hud_drawn_share(&a->panes[0], a->panes[0].sorted[i]);
    assert_true(fabs(sum - 1.0) < 1e-9);
    rt_settle();
    snprintf(cmd, sizeof cmd, "vectors %llu", (unsigned long long)before);
    assert_null(app_run_command(cmd));
    rt_settle();
}

/* A lost GL context (WebGL) comes back mid-flight: every flight lands at
 * once, and the counter shows the whole change, not 0. */
static void context_reset_completes_the_count(void **state)
{
    (void)state;
    uint64_t moved = run_moving("add nodeR");
    char err[256];
    assert_int_equal(app_gl_reset(err, sizeof err), 0);
    rt_settle();
    assert_int_equal(app_moved_landed(), moved);
    assert_true(cloud_pixels(rt_frame(), rt_slot("nodeR")) > 100);
    assert_null(app_run_command("remove nodeR"));
    rt_settle();
    assert_int_equal(app_moved_landed(), app_get()->panes[0].action.moved);
}

static void deep_zoom_keeps_points_apart(void **state)
{
    (void)state;
    app_t *a = app_get();
    const ring_t *r = &a->panes[0].sim.ring;
    /* The closest pair of neighbouring points owned by different nodes. */
    uint32_t best = 0;
    uint64_t gap = UINT64_MAX;
    for (uint32_t i = 0; i + 1 < r->count; i++)
        if (r->node[i] != r->node[i + 1] && r->pos[i + 1] - r->pos[i] < gap) {
            gap = r->pos[i + 1] - r->pos[i];
            best = i;
        }
    double x0, y0, x1, y1;
    app_ring_px(r->pos[best], &x0, &y0);
    /* Zoom around the pair until it is 60 px apart. */
    double target = 60.0 / (ldexp((double)gap, -64) * 6.283185307179586 * a->panes[0].view.scale);
    view_zoom_at(&a->panes[0].view, target, x0, y0);
    a->view_dirty = 1;
    rt_frame();
    print_message("gap %.3g turns, zoom %.3g\n", ldexp((double)gap, -64), a->panes[0].view.zoom);
    app_ring_px(r->pos[best], &x0, &y0);
    app_ring_px(r->pos[best + 1], &x1, &y1);
    assert_true(fabs(hypot(x1 - x0, y1 - y0) - 60.0) < 1.0);
    const uint8_t *f = rt_frame();
    uint8_t w0[3], w1[3];
    rt_node_rgb(r->node[best], w0);
    rt_node_rgb(r->node[best + 1], w1);
    assert_true(near(rt_pixel(f, (int)floor(x0), (int)floor(y0)), w0, 8));
    assert_true(near(rt_pixel(f, (int)floor(x1), (int)floor(y1)), w1, 8));
    app_reset_view(app_get());
    rt_frame();
}

static void empty_ring_says_so(void **state)
{
    (void)state;
    app_t *a = app_get();
    while (a->panes[0].sim.ring.live_count) {
        char line[300];
        snprintf(line, sizeof line, "remove %s", a->panes[0].sim.ring.nodes[a->panes[0].sorted[0]].id);
        assert_null(app_run_command(line));
    }
    rt_settle();
    const uint8_t *f = rt_frame();
    int cx = (int)(a->panes[0].view.area_x + a->panes[0].view.area_w / 2), cy = (int)(a->panes[0].view.area_y + a->panes[0].view.area_h / 2);
    assert_true(bright_pixels(f, cx - 120, cy - 24, cx + 120, cy + 24) > 300);
    assert_non_null(strstr(app_state_json(), "\"nodes\":[]"));
    assert_null(app_run_command("add nodeA"));
    rt_settle();
}

static void tiny_and_huge_windows_draw(void **state)
{
    (void)state;
    app_t *a = app_get();
    int sizes[][2] = {{24, 16}, {200, 120}, {1, 1}, {2400, 1400}, {1280, 720}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        SDL_SetWindowSize(a->win, sizes[i][0], sizes[i][1]);
        app_render();
        assert_true(a->fb_w >= 1 && a->fb_h >= 1);
    }
}

/* Mean brightness (0..765) of a rectangle. */
static double mean_level(const uint8_t *f, int x0, int y0, int x1, int y1)
{
    double sum = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const uint8_t *p = rt_pixel(f, x, y);
            sum += p[0] + p[1] + p[2];
        }
    return sum / ((double)(x1 - x0) * (y1 - y0));
}

/* The clips' look: no control bar, buttons or hints; a script's captions
 * show as a lower third (in the app too) and a title card dims the frame
 * while the script waits for it. */
static void clean_look_captions_and_title(void **state)
{
    (void)state;
    app_t *a = app_get();
    rt_settle();
    a->look = APP_LOOK_CLEAN;
    a->view_dirty = 1;
    const uint8_t *f = rt_frame();
    assert_true(a->bar.h == 0 && a->bar.y == (float)a->fb_h);
    for (int w = 0; w < APP_W_COUNT; w++)
        assert_true(a->widgets[w].w == 0);
    int W = a->fb_w, H = a->fb_h;
    int before = bright_pixels(f, W / 2 - 250, H - 120, W / 2 + 250, H - 20);

    scn_script_t script = {0};
    char err[256];
    const char *text = "caption Adding a node moves about 1/n of the keys\nadd nodeP\n";
    assert_int_equal(scn_parse(text, strlen(text), "t.scn", &script, err, sizeof err), 0);
    app_play(&script);
    for (int i = 0; i < 600 && strcmp(a->caption, "Adding a node moves about 1/n of the keys") != 0; i++)
        app_advance(1.0 / 60.0);
    assert_string_equal(a->caption, "Adding a node moves about 1/n of the keys");
    for (int i = 0; i < 30; i++)
        app_advance(1.0 / 60.0);
    f = rt_frame();
    int shown = bright_pixels(f, W / 2 - 250, H - 120, W / 2 + 250, H - 20);
    assert_true(shown > before + 200);
    rt_settle();
    assert_int_not_equal(rt_slot("nodeP"), RING_NONE);

    double lit = mean_level(rt_frame(), 0, 0, W, H);
    assert_null(app_run_command("title Consistent hashing"));
    assert_false(app_settled()); /* a playing script waits for the card */
    for (int i = 0; i < 40; i++)
        app_advance(1.0 / 60.0);
    f = rt_frame();
    double dim = mean_level(f, 0, 0, W, H);
    assert_true(dim < 0.6 * lit); /* the card dims the frame... */
    assert_true(bright_pixels(f, W / 2 - 200, H / 2 - 40, W / 2 + 200, H / 2 + 20) > 300); /* ...around its text */
    rt_settle();
    assert_true(mean_level(rt_frame(), 0, 0, W, H) > 0.9 * lit); /* and is gone once settled */
    assert_null(app_run_command("caption"));
    for (int i = 0; i < 30; i++) /* past its fade */
        app_advance(1.0 / 60.0);
    int cleared = bright_pixels(rt_frame(), W / 2 - 250, H - 120, W / 2 + 250, H - 20);
    print_message("caption area: %d bright pixels before, %d with the caption, %d cleared\n", before, shown, cleared);
    assert_true(cleared < shown - 200);
    assert_null(app_run_command("remove nodeP"));
    rt_settle();
    scn_free(&script);
    a->look = APP_LOOK_FULL;
    a->view_dirty = 1;
    rt_frame();
}

typedef struct sink_log {
    int frames, finals;
    char path[64];
} sink_log_t;

static int sink(void *user, const rec_frame_t *f, char *err, size_t err_size)
{
    sink_log_t *log = user;
    log->frames++;
    if (!f->final)
        return 0;
    log->finals++;
    return shot_write_png(log->path, f->width, f->height, f->rgba, err, err_size);
}

static void recording_timeline(void **state)
{
    (void)state;
    scn_script_t script = {0};
    char err[256];
    assert_int_equal(scn_parse("add nodeQ\nwait 0.5\nremove nodeQ\n", 31, "t.scn", &script, err, sizeof err), 0);
    sink_log_t still = {0, 0, "rt_still.png"};
    rec_desc_t d = {.fps = 30, .sink = sink, .user = &still};
    assert_int_equal(rec_run(&script, &d, err, sizeof err), 0);
    assert_int_equal(still.frames, 1); /* a still image draws only the final frame */
    assert_int_equal(still.finals, 1);
    assert_true(app_settled());
    assert_int_equal(remove(still.path), 0);

    sink_log_t every = {0, 0, "rt_every.png"};
    d.every_frame = 1;
    d.duration = 1.0;
    d.user = &every;
    assert_int_equal(rec_run(&script, &d, err, sizeof err), 0);
    assert_int_equal(every.frames, 30); /* frame k shows k/30 s: 1 s is 30 frames */
    assert_int_equal(every.finals, 1);  /* the last of them says so */
    remove(every.path);

    scn_free(&script);
    assert_null(app_run_command("remove nodeQ"));
    rt_settle();
}

/* A dense ring (5 nodes x 10,000 vnodes) draws a thinned set of its
 * 50,000 points; zoomed in, every point on screen is drawn. Restores 80
 * vnodes. */
static void dense_rings_draw_a_thinned_set_of_points(void **state)
{
    (void)state;
    assert_null(app_run_command("vnodes 10000"));
    rt_settle();
    rt_frame();
    app_t *a = app_get();
    scene_t *sc = &a->panes[0].scene;
    assert_int_equal(a->panes[0].sim.ring.count, 50000);
    assert_false(sc->v_idx_all);
    print_message("%zu of %zu points drawn\n", sc->v_idx_count, sc->v_count);
    assert_true(sc->v_idx_count >= SCENE_POINT_MAX / 2 && sc->v_idx_count <= SCENE_POINT_MAX + 2);
    /* Deep zoom at the top of the ring: few points in view, all drawn. */
    double x, y;
    app_ring_px(a->panes[0].view.ref, &x, &y);
    for (int i = 0; i < 12; i++)
        view_zoom_at(&a->panes[0].view, 2.0, x, y);
    a->view_dirty = 1;
    rt_frame();
    print_message("zoomed: %zu of %zu points drawn\n", sc->v_idx_count, sc->v_count);
    assert_false(sc->v_idx_all);
    assert_true(sc->v_idx_count > 0 && sc->v_idx_count < SCENE_POINT_MAX);
    view_reset(&a->panes[0].view);
    a->view_dirty = 1;
    assert_null(app_run_command("vnodes 80"));
    rt_settle();
}

/* The panel's "ring points" for 4,000,000 read as forty thousand when cut
 * to fit ("40000..."): counts use separators or k/M. */
static void panel_counts_read_at_a_glance(void **state)
{
    (void)state;
    char t[32];
    static const struct {
        uint64_t n;
        const char *text;
    } cases[] = {{0, "0"}, {400, "400"}, {6000, "6,000"}, {40000, "40,000"}, {400000, "400k"},
                 {4000000, "4.00M"}, {3997696, "4.00M"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hud_count_text(cases[i].n, t, sizeof t);
        assert_string_equal(t, cases[i].text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_have_their_node_colour),
        cmocka_unit_test(panel_counts_read_at_a_glance),
        cmocka_unit_test(dense_rings_draw_a_thinned_set_of_points),
        cmocka_unit_test(hud_is_drawn),
        cmocka_unit_test(idle_frames_upload_nothing),
        cmocka_unit_test(strategy_switch_and_back), /* before nodes are added: nodeA..nodeE */
        cmocka_unit_test(band_shows_the_strategy),
        cmocka_unit_test(added_node_colour_appears),
        cmocka_unit_test(moved_counter_counts_up),
        cmocka_unit_test(big_clouds_draw),
        cmocka_unit_test(context_reset_completes_the_count),
        cmocka_unit_test(panel_shares_add_up_mid_flight),
        cmocka_unit_test(deep_zoom_keeps_points_apart),
        cmocka_unit_test(empty_ring_says_so),
        cmocka_unit_test(tiny_and_huge_windows_draw),
        cmocka_unit_test(recording_timeline),
        cmocka_unit_test(clean_look_captions_and_title),
    };
    return cmocka_run_group_tests(tests, rt_setup, rt_teardown);
}
