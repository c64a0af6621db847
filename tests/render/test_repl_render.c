/* Render tests of replication on screen (scene_repl.h, hud_repl.h): what
 * the scene draws lost, under-replicated and copied agrees with the core's
 * repl figures, and a crashed node is drawn where it stood. Each test
 * starts its own app (nodeA..nodeE, 6,000 embeddings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hud_repl.h"
#include "oklab.h"
#include "rt.h"
#include "session.h"

static void run(const char *line)
{
    const char *m = app_run_command(line);
    if (m)
        fail_msg("%s: %s", line, m);
}

/* Particles the scene marks in kind (its state mirror, as uploaded). */
static uint64_t drawn_as(scene_repl_kind_t kind)
{
    const app_t *a = app_get();
    uint64_t n = 0;
    for (size_t pos = 0; pos < a->panes[0].scene.p_count; pos++)
        n += a->panes[0].scene.repl.state[2 * pos] == (float)kind;
    return n;
}

/* Copies the core holds that are not a key's primary: one dot each. */
static uint64_t copies_expected(void)
{
    const app_t *a = app_get();
    const repl_t *r = &a->panes[0].sim.repl;
    uint64_t n = 0;
    for (size_t pos = 0; pos < a->panes[0].sim.store.count; pos++) {
        uint32_t k = a->panes[0].sim.store.index[pos];
        if (r->held[k] & REPL_LOST)
            continue;
        for (uint32_t j = 0; j < (r->held[k] & REPL_COUNT); j++)
            n += r->hold[(size_t)k * r->stride + j] != a->panes[0].sim.store.owner[pos];
    }
    return n;
}

/* Copy dots resting or flying in (not the falling or fading ones). */
static uint64_t copies_held(void)
{
    const scene_repl_t *rp = &app_get()->panes[0].scene.repl;
    uint64_t n = 0;
    for (size_t i = 0; i < rp->copy_count; i++)
        n += rp->copies[i].kind == SCENE_COPY_HELD;
    return n;
}

static int reddish(const uint8_t *p)
{
    return p[0] > 150 && p[1] < 110 && p[2] < 120;
}

/* A red pixel within a box of half-size h around (x, y). */
static int red_near(const uint8_t *f, double x, double y, int h)
{
    for (int dy = -h; dy <= h; dy++)
        for (int dx = -h; dx <= h; dx++)
            if (reddish(rt_pixel(f, (int)lround(x) + dx, (int)lround(y) + dy)))
                return 1;
    return 0;
}

static void replication_off_draws_plain_particles(void **state)
{
    (void)state;
    app_t *a = app_get();
    run("add nodeF");
    rt_settle();
    assert_int_equal(a->panes[0].sim.repl.on, 0);
    assert_int_equal(a->panes[0].scene.repl.state_on, 0);
    assert_int_equal(a->panes[0].scene.repl.copy_count, 0);
}

static void crash_with_one_copy_loses_the_nodes_keys(void **state)
{
    (void)state;
    app_t *a = app_get();
    uint16_t c = rt_slot("nodeC");
    assert_int_not_equal(c, RING_NONE);
    uint64_t held = a->panes[0].sim.store.counts[c];
    double x0, y0;
    app_node_px(c, &x0, &y0);
    run("fail nodeC");
    const repl_t *r = &a->panes[0].sim.repl;
    assert_int_equal(r->lost, held);
    assert_int_equal(a->panes[0].scene.repl.lost_drawn, r->lost_total);
    assert_int_equal(drawn_as(SCENE_REPL_LOST), r->lost);
    assert_int_equal(a->panes[0].scene.repl.under_drawn, 0);
    assert_int_equal(a->panes[0].scene.repl.copy_count, 0); /* R = 1: no copies besides the primaries */

    /* A moment later the lost embeddings are red where nodeC stood. */
    app_advance(0.25);
    const uint8_t *f = rt_frame();
    double cloud = a->panes[0].params.cloud_r * a->panes[0].view.scale;
    int red = 0, seen = 0;
    for (int i = 0; i < 64; i++) {
        double ang = i * 0.618 * 6.2832, rr = cloud * 0.6 * sqrt((i + 0.5) / 64.0);
        const uint8_t *p = rt_pixel(f, (int)lround(x0 + rr * cos(ang)), (int)lround(y0 + rr * sin(ang)));
        if (p[0] + p[1] + p[2] > 90) {
            seen++;
            red += p[0] > 2 * p[1] && p[0] > 2 * p[2];
        }
    }
    assert_true(seen > 8);
    assert_true(red * 10 >= seen * 9);

    /* Settled: they have fallen away; nodeC is drawn crashed where it stood. */
    rt_settle();
    assert_true(app_settled());
    assert_int_equal(a->panes[0].scene.repl.ghost_count, 1);
    const scene_ghost_t *g = &a->panes[0].scene.repl.ghosts[0];
    assert_string_equal(g->id, "nodeC");
    double gx, gy;
    view_world_to_px(&a->panes[0].view, g->x, g->y, &gx, &gy);
    assert_true(fabs(gx - x0) < 1.0 && fabs(gy - y0) < 1.0);
    f = rt_frame();
    assert_true(red_near(f, gx, gy, 10)); /* the cross */
    int left = 0;
    for (int i = 0; i < 64; i++) {
        double ang = i * 0.618 * 6.2832, rr = cloud * (0.35 + 0.5 * (i % 8) / 8.0);
        left += reddish(rt_pixel(f, (int)lround(gx + rr * cos(ang)), (int)lround(gy + rr * sin(ang))));
    }
    assert_true(left <= 3); /* no red cloud left, only the thin cross */

    /* Healing has nothing to copy from; recovering brings nodeC back empty. */
    run("heal");
    assert_int_equal(a->panes[0].scene.repl.lost_drawn, a->panes[0].sim.repl.lost_total);
    run("recover nodeC");
    rt_settle();
    assert_int_equal(a->panes[0].scene.repl.ghost_count, 0);
    assert_int_equal(a->panes[0].scene.repl.lost_drawn, a->panes[0].sim.repl.lost_total);
}

static void heal_stops_every_pulse(void **state)
{
    (void)state;
    app_t *a = app_get();
    run("replicas 3");
    rt_settle();
    assert_int_equal(copies_held(), copies_expected());
    assert_int_equal(copies_held(), 2 * a->panes[0].sim.store.count);
    run("fail nodeB");
    const repl_t *r = &a->panes[0].sim.repl;
    assert_true(r->under > 0);
    assert_int_equal(r->lost, 0);
    assert_int_equal(a->panes[0].scene.repl.under_drawn, r->under);
    assert_int_equal(drawn_as(SCENE_REPL_UNDER), r->under);
    assert_int_equal(drawn_as(SCENE_REPL_LOST), 0);
    rt_settle();
    assert_true(a->panes[0].scene.repl.pulse_end > (float)a->clock); /* pulsing until healed */
    assert_true(app_wake_in() == 0);                       /* and so the frames keep coming */
    assert_int_equal(copies_held(), copies_expected());

    /* Settled, the counts drawn are the core's: the crashed node's keys
     * count for their new owners (the flights only look as if they left
     * from a surviving copy). */
    for (uint32_t slot = 0; slot < RS_MAX_NODES; slot++)
        assert_int_equal(a->panes[0].scene.shown[slot], slot < a->panes[0].sim.ring.slot_count && a->panes[0].sim.ring.nodes[slot].live
                                                   ? a->panes[0].sim.store.counts[slot]
                                                   : 0);

    run("heal");
    assert_int_equal(a->panes[0].sim.repl.under, 0);
    assert_int_equal(a->panes[0].scene.repl.under_drawn, 0);
    assert_true(a->panes[0].scene.repl.copies_end > (float)a->clock); /* healing flights in the air */
    rt_settle();
    assert_true(a->panes[0].scene.repl.pulse_end < (float)a->clock);
    assert_true(a->panes[0].scene.repl.copies_end < (float)a->clock);
    assert_int_equal(copies_held(), copies_expected());
    assert_int_equal(copies_held(), 2 * a->panes[0].sim.store.count);
}

static pane_t *pane0(void)
{
    return &app_get()->panes[0];
}

/* The widget is laid out with a size (drawn in the panel). */
static void assert_shown(app_widget_t w)
{
    app_render();
    const app_rect_t *r = &app_get()->widgets[w];
    assert_true(r->w > 0 && r->h > 0);
}

static void crash_key_and_button(void **state)
{
    (void)state;
    pane_t *p = pane0();
    rt_key(SDLK_TAB, 0); /* selects a node */
    assert_int_not_equal(p->selected, SCENE_NONE);
    char id[NODEID_MAX + 1];
    snprintf(id, sizeof id, "%s", p->sim.ring.nodes[p->selected].id);
    assert_shown(APP_W_CRASH);
    assert_string_equal(hud_repl_crash_text(app_get()), "Crash");
    rt_key(SDLK_x, 0);
    assert_int_equal(p->sim.repl.crashed_count, 1);
    assert_string_equal(p->sim.repl.crashed[0], id);
    assert_int_equal(rt_slot(id), RING_NONE);
    rt_settle();
    assert_int_equal(p->scene.repl.ghost_count, 1);
    /* Nothing selected now: the button recovers the node that crashed. */
    assert_int_equal(p->selected, SCENE_NONE);
    assert_string_equal(hud_repl_crash_text(app_get()), "Recover");
    rt_click_widget(APP_W_CRASH);
    assert_int_equal(p->sim.repl.crashed_count, 0);
    assert_int_not_equal(rt_slot(id), RING_NONE);
    rt_settle();
    assert_int_equal(p->scene.repl.ghost_count, 0);
    /* The button crashes the selected node too; Heal heals. */
    rt_key(SDLK_TAB, 0);
    assert_int_not_equal(p->selected, SCENE_NONE);
    rt_key(SDLK_r, 0); /* two copies, or the crash below loses data */
    rt_click_widget(APP_W_CRASH);
    assert_int_equal(p->sim.repl.crashed_count, 1);
    assert_true(p->sim.repl.under > 0);
    assert_int_equal(p->sim.repl.lost, 0); /* (the first crash, at one copy, lost its keys) */
    rt_click_widget(APP_W_HEAL);
    assert_int_equal(p->sim.repl.under, 0);
    assert_true(p->sim.repl.copies > 0);
    rt_key(SDLK_x, 0); /* X with nothing selected: recover */
    assert_int_equal(p->sim.repl.crashed_count, 0);
    rt_key(SDLK_e, 0); /* nothing missing: healing copies nothing */
    assert_int_equal(p->sim.repl.copies, 0);
}

static void replicas_control(void **state)
{
    (void)state;
    pane_t *p = pane0();
    assert_shown(APP_W_REPL_PLUS);
    rt_click_widget(APP_W_REPL_PLUS);
    assert_int_equal(p->sim.repl.replicas, 2);
    rt_key(SDLK_r, 0);
    assert_int_equal(p->sim.repl.replicas, 3);
    rt_key(SDLK_r, KMOD_SHIFT);
    assert_int_equal(p->sim.repl.replicas, 2);
    rt_click_widget(APP_W_REPL_MINUS);
    assert_int_equal(p->sim.repl.replicas, 1);
    rt_click_widget(APP_W_REPL_MINUS); /* below 1: refused, said */
    assert_int_equal(p->sim.repl.replicas, 1);
    assert_true(strstr(app_get()->toast, "Replicas are 1 to 8") != NULL);
    /* Every step went through app_apply: the session replays them. */
    size_t len;
    char *text = session_text(&app_get()->session, &len);
    assert_non_null(text);
    const char *want[] = {"replicas 2\n", "replicas 3\n", "replicas 2\n", "replicas 1\n"};
    const char *at = text;
    for (size_t i = 0; i < 4; i++) {
        at = strstr(at, want[i]);
        assert_non_null(at);
        at += strlen(want[i]);
    }
    free(text);
    assert_int_equal(copies_held(), 0);
}

static void real_time_flights_last_the_transfer(void **state)
{
    (void)state;
    app_t *a = app_get();
    pane_t *p = pane0();
    rt_key(SDLK_t, 0);
    assert_int_equal(a->realtime, 1);
    assert_int_equal(a->realtime_scale, APP_REALTIME_SCALE);
    run("replicas 3");
    double d = p->sim.repl.seconds * APP_REALTIME_SCALE;
    assert_true(p->sim.repl.seconds > 0);
    float want = (float)fmin(fmax(d, APP_REALTIME_MIN), APP_REALTIME_MAX);
    assert_float_equal(p->action.stagger + p->action.flight, want, 1e-4);
    assert_int_equal(p->action.realtime_clamped, d < APP_REALTIME_MIN || d > APP_REALTIME_MAX);
    char line[256];
    hud_repl_line(a, p, line, sizeof line);
    assert_non_null(strstr(line, "real time \xC3\x97" "1,000"));
    /* The copies land when the transfer, slowed, is over. */
    assert_true(fabsf(p->scene.repl.copies_end - ((float)a->clock + want)) < 0.05f + APP_LAYOUT);
    rt_key(SDLK_t, KMOD_SHIFT);
    assert_int_equal(a->realtime_scale, 10 * APP_REALTIME_SCALE);
    rt_key(SDLK_t, 0);
    assert_int_equal(a->realtime, 0);
    rt_settle();
    run("replicas 2");
    assert_float_equal(p->action.stagger + p->action.flight, APP_STAGGER + APP_FLIGHT, 1e-6);
}

/* --replicas at the start: copies drawn and the replication line shown
 * before any change. */
static void replicas_from_the_start(void **state)
{
    (void)state;
    static const char *const nodes[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};
    app_desc_t d = {.width = 1280, .height = 720, .headless = 1};
    d.sim.nodes = nodes;
    d.sim.node_count = 5;
    d.sim.vnodes = 80;
    d.sim.vectors = 6000;
    d.sim.dim = 256;
    d.sim.seed = 42;
    d.sim.repl_on = 1;
    d.sim.replicas = 3;
    char err[512];
    assert_int_equal(app_init(&d, err, sizeof err), 0);
    pane_t *p = pane0();
    assert_int_equal(copies_held(), 2 * p->sim.store.count);
    char line[256];
    hud_repl_line(app_get(), p, line, sizeof line);
    assert_non_null(strstr(line, "replicas 3"));
    assert_true(p->action.repl);
    app_shutdown();
}

/* A crashed node is drawn where it stood: a node added next takes another
 * gap, not the crashed one's place (the two would be drawn on each other). */
static void a_newcomer_keeps_clear_of_a_crashed_node(void **state)
{
    (void)state;
    app_t *a = app_get();
    pane_t *p = pane0();
    run("fail nodeB");
    rt_settle();
    assert_int_equal(p->scene.repl.ghost_count, 1);
    const scene_ghost_t *g = &p->scene.repl.ghosts[0];
    double ghost = atan2(g->x, -g->y);
    run("add nodeX");
    rt_settle();
    uint16_t x = rt_slot("nodeX");
    assert_int_not_equal(x, RING_NONE);
    double d = fabs(remainder(p->node_angle[x] - ghost, 6.283185307179586));
    /* 4 live nodes and one ghost on the circle: a fifth of a turn apart,
     * so the newcomer sits at least a tenth of a turn from the ghost */
    if (d < 0.1 * 6.283185307179586)
        print_message("nodeX at %.3f rad, crashed nodeB at %.3f rad\n", p->node_angle[x], ghost);
    assert_true(d >= 0.1 * 6.283185307179586);
    /* recovered, nodeB may stand where it stood */
    run("recover nodeB");
    rt_settle();
    assert_int_equal(p->scene.repl.ghost_count, 0);
    (void)a;
}

/* Zones read at a glance (issue 22: muted, similar zone rings): round
 * each zoned node its zone's colour, full strength, on most of the ring;
 * the zones' colours far apart. Under-replicated keys read as amber marks,
 * not a cream speckle, while they wait for heal. */
static void zones_and_missing_copies_read_at_a_glance(void **state)
{
    (void)state;
    app_t *a = app_get();
    pane_t *p = pane0();
    run("replicas 2");
    run("zone nodeA east");
    run("zone nodeB west");
    run("zone nodeC north");
    run("zone nodeD east");
    run("zone nodeE west");
    rt_settle();
    const uint8_t *f = rt_frame();
    rt_shot("zones");
    for (uint32_t i = 0; i < p->sorted_count; i++) {
        uint16_t s = p->sorted[i];
        uint32_t want = hud_repl_zone_rgba((uint32_t)hud_repl_zone_index(p, s), 1) >> 8;
        double x, y, r = p->params.cloud_r * p->view.scale + 5 * a->hud_u;
        pane_node_px(p, s, (float)a->clock, &x, &y);
        int hits = 0;
        for (int k = 0; k < 96; k++) {
            double t = 6.283185307179586 * k / 96;
            const uint8_t *q = rt_pixel(f, (int)lround(x + r * sin(t)), (int)lround(y - r * cos(t)));
            int dr = q[0] - (int)(want >> 16 & 0xFF), dg = q[1] - (int)(want >> 8 & 0xFF);
            int db = q[2] - (int)(want & 0xFF);
            hits += dr * dr + dg * dg + db * db < 60 * 60;
        }
        print_message("%s: %d of 96 round its cloud in its zone's colour\n", p->sim.ring.nodes[s].id, hits);
        assert_true(hits >= 30);
    }
    for (uint32_t z = 0; z < 6; z++)
        for (uint32_t w = z + 1; w < 6; w++) {
            uint32_t c = hud_repl_zone_rgba(z, 1), e = hud_repl_zone_rgba(w, 1);
            uint8_t x[3] = {(uint8_t)(c >> 24), (uint8_t)(c >> 16), (uint8_t)(c >> 8)};
            uint8_t y[3] = {(uint8_t)(e >> 24), (uint8_t)(e >> 16), (uint8_t)(e >> 8)};
            assert_true(oklab_delta(x, y) >= 0.13); /* 6.5 just noticeable differences */
        }
    run("fail nodeB");
    assert_true(p->sim.repl.under > 1000);
    rt_settle(); /* past the crash's flights: the marks are what is left */
    long bright = 0, amber = 0;
    f = rt_frame();
    rt_shot("under-replicated");
    for (uint32_t i = 0; i < p->sorted_count; i++) {
        double x, y, r = 0.8 * p->params.cloud_r * p->view.scale;
        pane_node_px(p, p->sorted[i], (float)a->clock, &x, &y);
        for (int dy = -(int)r; dy <= (int)r; dy++)
            for (int dx = -(int)r; dx <= (int)r; dx++) {
                if (dx * dx + dy * dy > r * r)
                    continue;
                const uint8_t *q = rt_pixel(f, (int)x + dx, (int)y + dy);
                if (q[0] < 120 && q[1] < 120 && q[2] < 120)
                    continue;
                bright++;
                amber += q[0] > 150 && q[0] > q[1] + 30 && q[1] > q[2] + 50;
            }
    }
    /* About 2 in 5 keys lost a copy with nodeB: a quarter of the bright
     * pixels at least are their amber (the cream mix drew none). */
    print_message("under-replicated: %ld of %ld bright cloud pixels amber\n", amber, bright);
    assert_true(amber * 4 >= bright);
    run("heal");
    rt_settle();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(replication_off_draws_plain_particles, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(crash_with_one_copy_loses_the_nodes_keys, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(heal_stops_every_pulse, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(crash_key_and_button, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(replicas_control, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(real_time_flights_last_the_transfer, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(a_newcomer_keeps_clear_of_a_crashed_node, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(zones_and_missing_copies_read_at_a_glance, rt_setup, rt_teardown),
        cmocka_unit_test(replicas_from_the_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
