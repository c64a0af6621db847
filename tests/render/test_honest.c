/* Render tests of what a crash and a heal report on screen (issue 22: one
 * vocabulary — moved, promoted, copied, lost, under-replicated — each
 * figure only when it is not zero, none contradicting another): the
 * headline and the replication line as drawn (app_t.headline, .repl_line),
 * the bars and labels (the scene's counts as drawn), the panel's shares
 * and state(). The steps first: defaults, Tab ×3 (nodeC), X; X
 * again; E. Each test starts its own app (nodeA..nodeE, 6,000 embeddings).
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

#include "hud_repl.h"
#include "hud_text.h"
#include "num.h"
#include "rt.h"

#define DOT "  \xC2\xB7  "

static pane_t *pane0(void)
{
    return &app_get()->panes[0];
}

/* The lines as drawn now. */
static const char *headline(void)
{
    app_render();
    return app_get()->headline;
}

static const char *repl_line(void)
{
    app_render();
    return app_get()->repl_line;
}

/* No figure of the lines is a zero ("moved 0", "lost 0", "nothing copied"). */
static void assert_no_zero_figure(const char *t)
{
    static const char *const zeros[] = {"moved 0 ", "promoted 0", "copied 0", "lost 0", "under-replicated 0",
                                        "nothing copied", "0 copied"};
    for (size_t i = 0; i < sizeof zeros / sizeof zeros[0]; i++)
        if (strstr(t, zeros[i]))
            fail_msg("\"%s\" shows a zero: %s", t, zeros[i]);
}

/* The counts as drawn never count a lost key as held: each live node's is
 * at most what it holds data for, and at rest exactly that; all of them
 * and the lost ones are at most the store. */
static void assert_counts_honest(const pane_t *p, int at_rest)
{
    const uint64_t *held = sim_counts(&p->sim);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < p->sorted_count; i++) {
        uint16_t s = p->sorted[i];
        if (at_rest)
            assert_int_equal(p->scene.shown[s], held[s]);
        sum += p->scene.shown[s];
    }
    uint64_t lost = p->sim.repl.on ? p->sim.repl.lost_total : 0;
    assert_true(sum + lost <= p->sim.store.count);
    if (at_rest)
        assert_int_equal(sum + lost, p->sim.store.count);
}

/* The sum of the nodes' "keys" in state(). */
static uint64_t state_keys(void)
{
    const char *j = app_state_json(), *end = strstr(j, "],\"vectors\"");
    assert_non_null(end);
    uint64_t sum = 0;
    for (const char *k = strstr(j, "\"keys\":"); k && k < end; k = strstr(k + 1, "\"keys\":"))
        sum += strtoull(k + 7, NULL, 10);
    return sum;
}

static uint64_t state_figure(const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "\"%s\":", name);
    const char *k = strstr(app_state_json(), key);
    assert_non_null(k);
    return strtoull(k + strlen(key), NULL, 10);
}

/* Bright pixels sampled over a node's cloud. */
static int cloud_lit(const pane_t *p, uint16_t slot)
{
    double x, y;
    app_node_px(slot, &x, &y);
    const uint8_t *f = rt_frame();
    double cloud = p->params.cloud_r * p->view.scale;
    int lit = 0;
    for (int i = 0; i < 200; i++) {
        double ang = i * 2.39996, rr = cloud * 0.9 * sqrt((i + 0.5) / 200.0);
        const uint8_t *px = rt_pixel(f, (int)lround(x + rr * cos(ang)), (int)lround(y + rr * sin(ang)));
        lit += px[0] + px[1] + px[2] > 160;
    }
    return lit;
}

/* Defaults, Tab ×3 selects nodeC, X crashes it: one copy, so its keys are
 * lost, not moved; the bars and labels do not count them. */
static void crash_at_one_copy_reports_the_loss(void **state)
{
    (void)state;
    app_t *a = app_get();
    pane_t *p = pane0();
    for (int i = 0; i < 3; i++)
        rt_key(SDLK_TAB, 0);
    assert_int_equal(p->selected, rt_slot("nodeC"));
    uint64_t held = sim_counts(&p->sim)[p->selected];
    assert_int_equal(held, 1071);
    rt_key(SDLK_x, 0);
    assert_int_equal(p->sim.repl.lost, held);
    /* all the way through the animation, not only at rest */
    for (int i = 0; i < 150; i++) {
        app_advance(1.0 / 30.0);
        if (i == 8) {
            rt_frame();
            rt_shot("crash-r1-falling");
        }
        assert_counts_honest(p, 1); /* nothing held moved: every frame is at rest */
    }
    rt_settle();
    assert_string_equal(headline(), "Crashed nodeC  |  lost 1,071 of 6,000 (17.9%)");
    assert_string_equal(repl_line(), "replicas 1" DOT "lost 1,071 in all");
    assert_counts_honest(p, 1);
    /* the panel's share is of all keys, as sim's keys% */
    uint16_t nd = rt_slot("nodeD");
    assert_float_equal(hud_drawn_share(p, nd), 1379.0 / 6000.0, 1e-12);
    char keys[64], share[64];
    hud_node_text(p, nd, keys, sizeof keys, share, sizeof share);
    assert_string_equal(keys, "keys=1,379  vnodes=80");
    /* state(): the same numbers */
    assert_int_equal(state_keys(), 6000 - 1071);
    assert_int_equal(state_figure("lost"), 1071);
    assert_int_equal(state_figure("lost_total"), 1071);
    assert_int_equal(state_figure("moved"), 0);
    assert_int_equal(state_figure("promoted"), 0);
    rt_frame();
    rt_shot("crash-r1");

    /* X again, nothing selected: nodeC recovers, empty. */
    assert_int_equal(p->selected, SCENE_NONE);
    rt_key(SDLK_x, 0);
    rt_settle();
    uint16_t c = rt_slot("nodeC");
    assert_int_not_equal(c, RING_NONE);
    assert_int_equal(p->scene.shown[c], 0);
    hud_node_text(p, c, keys, sizeof keys, share, sizeof share);
    assert_string_equal(keys, "keys=0  vnodes=80");
    assert_counts_honest(p, 1);
    assert_int_equal(state_keys(), 6000 - 1071);
    assert_null(strstr(headline(), "1,071")); /* nothing moved to it: no "moved 1,071" */
    assert_string_equal(headline(), "Recovered nodeC  |  moved 0 of 6,000 (0.0%)" DOT "ideal 20.0%");
    assert_string_equal(repl_line(), "replicas 1" DOT "lost 1,071 in all");
    assert_true(cloud_lit(p, c) <= 2); /* an empty cloud */
    assert_true(cloud_lit(p, rt_slot("nodeA")) > 40);
    rt_shot("crash-r1-recovered");

    /* E: nothing to heal; nothing says "lost 0" beside the lost keys. */
    rt_key(SDLK_e, 0);
    rt_settle();
    assert_non_null(strstr(a->toast, "Healed: nothing to copy"));
    assert_string_equal(repl_line(), "replicas 1" DOT "lost 1,071 in all");
    assert_no_zero_figure(repl_line());
    assert_int_equal(state_figure("lost"), 0);
    assert_int_equal(state_figure("lost_total"), 1071);
}

/* With three copies a crash promotes and a heal copies: no "moved 0"
 * while copies fly, no "nothing copied" beside the figures. */
static void heal_with_replicas_reports_copies(void **state)
{
    (void)state;
    pane_t *p = pane0();
    rt_run("replicas 3");
    rt_run_now("fail nodeD");
    const repl_t *r = &p->sim.repl;
    char want[256], n1[32], n2[32];
    num_int(r->promoted, n1, sizeof n1);
    snprintf(want, sizeof want, "Crashed nodeD  |  promoted %s", n1);
    assert_string_equal(headline(), want);
    num_int(r->under, n2, sizeof n2);
    snprintf(want, sizeof want, "replicas 3" DOT "under-replicated %s", n2);
    assert_string_equal(repl_line(), want);
    assert_int_equal(r->promoted, 1379);
    rt_settle();
    assert_counts_honest(p, 1);
    rt_run_now("heal");
    num_int(r->copies, n1, sizeof n1);
    assert_int_equal(r->copies, 3566);
    snprintf(want, sizeof want, "Healed  |  copied %s", n1);
    assert_string_equal(headline(), want); /* not "moved 0 of 6,000" */
    char secs[32];
    hud_repl_seconds(secs, sizeof secs, r->seconds);
    snprintf(want, sizeof want, "replicas 3" DOT "copied 3.9 MB in %s", secs);
    assert_string_equal(repl_line(), want);
    app_advance(0.6);
    rt_frame();
    rt_shot("heal-r3");
    rt_settle();
    assert_counts_honest(p, 1);
    assert_int_equal(state_figure("copied"), 3566);
    assert_int_equal(state_figure("moved"), 0);
    assert_no_zero_figure(headline());
    assert_no_zero_figure(repl_line());
}

/* Nodes crashing together (a zone outage): the headline tells the whole
 * outage, its figures summed, not the last node alone. */
static void an_outage_reads_whole(void **state)
{
    (void)state;
    pane_t *p = pane0();
    static const char *const zones[] = {"zone nodeA z1", "zone nodeB z2", "zone nodeC z3", "zone nodeD z1",
                                        "zone nodeE z2", "replicas 3"};
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        rt_run(zones[i]);
    rt_run_now("fail nodeB");
    uint64_t promoted = p->sim.repl.promoted;
    rt_run_now("fail nodeE");
    promoted += p->sim.repl.promoted;
    assert_int_equal(p->sim.repl.lost_total, 0);
    char want[256], n[32], u[32];
    num_int(promoted, n, sizeof n);
    snprintf(want, sizeof want, "Crashed nodeB, nodeE  |  promoted %s", n);
    assert_string_equal(headline(), want);
    num_int(p->sim.repl.under, u, sizeof u);
    snprintf(want, sizeof want, "replicas 3" DOT "under-replicated %s", u);
    assert_string_equal(repl_line(), want);
    assert_int_equal(p->action.crashes, 2);
    rt_settle();
    rt_frame();
    rt_shot("outage");
    /* a crash after the outage has settled is a change of its own */
    rt_run_now("fail nodeA");
    assert_int_equal(strncmp(headline(), "Crashed nodeA  |", 16), 0);
    rt_settle();
    assert_counts_honest(p, 1);
}

/* Shards at one copy: a crash loses whole shards; the bars, the lumps and
 * the headline agree. */
static void a_crash_under_shards_loses_whole_shards(void **state)
{
    (void)state;
    pane_t *p = pane0();
    rt_run("strategy shards");
    uint64_t held = sim_counts(&p->sim)[rt_slot("nodeB")];
    rt_run_now("fail nodeB");
    char want[128], n[32];
    num_int(held, n, sizeof n);
    snprintf(want, sizeof want, "Crashed nodeB  |  lost %s of 6,000 (%.1f%%)", n, 100.0 * (double)held / 6000);
    assert_string_equal(headline(), want);
    rt_settle();
    assert_counts_honest(p, 1);
    rt_frame();
    rt_shot("shards-crash-r1");
}

/* Compare mode: each pane's tag shows only figures that are not zero. */
static void pane_tags_show_no_zeros(void **state)
{
    (void)state;
    app_t *a = app_get();
    strat_kind_t kinds[2] = {STRAT_RING, STRAT_SHARDS};
    assert_int_equal(app_compare(a, kinds, 2), 0);
    rt_run("replicas 2");
    char tag[160];
    for (int i = 0; i < 2; i++) {
        hud_repl_pane_tag(&a->panes[i], tag, sizeof tag);
        assert_no_zero_figure(tag);
        assert_non_null(strstr(tag, "copied"));
    }
    rt_run("fail nodeC");
    for (int i = 0; i < 2; i++) {
        hud_repl_pane_tag(&a->panes[i], tag, sizeof tag);
        assert_no_zero_figure(tag);
        assert_counts_honest(&a->panes[i], 1);
        char line[256];
        hud_counter_text(&a->panes[i].action, pane_moved_landed(&a->panes[i]), 1, line, sizeof line);
        assert_no_zero_figure(line);
        assert_null(strstr(line, "moved"));
        assert_non_null(strstr(line, "promoted"));
    }
    rt_frame();
    rt_shot("compare-crash");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(crash_at_one_copy_reports_the_loss, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(heal_with_replicas_reports_copies, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(an_outage_reads_whole, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(a_crash_under_shards_loses_whole_shards, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(pane_tags_show_no_zeros, rt_setup, rt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
