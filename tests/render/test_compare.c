/* Compare mode: several strategies side by side, every change in each.
 * Each pane's figures are checked against a sim of its own run through the
 * same commands (what `ringscope sim --compare` does), and its pixels
 * against its strategy's node colours at the positions the app computes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hud.h"
#include "rt.h"

static const char *const ids[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};

/* The oracle: rt_start's configuration under kind, then the commands. */
static void oracle(strat_kind_t kind, const char *const *lines, size_t n, sim_t *s, sim_step_t *last)
{
    sim_config_t c = {.nodes = ids, .node_count = 5, .vnodes = 80, .vectors = 6000, .dim = 256, .seed = 42};
    c.strategy = kind;
    char err[512];
    assert_int_equal(sim_init(s, &c, last, err, sizeof err), 0);
    for (size_t i = 0; i < n; i++) {
        scn_cmd_t cmd;
        assert_int_equal(scn_parse_line(lines[i], strlen(lines[i]), &cmd, err, sizeof err), 0);
        if (sim_apply(s, &cmd, last, err, sizeof err) != 0)
            last->changed = 0; /* refused: the pane says why */
    }
}

static void assert_pane_matches(const pane_t *p, const char *const *lines, size_t n)
{
    sim_t s;
    sim_step_t last;
    oracle(p->sim.strat.kind, lines, n, &s, &last);
    sim_stats_t st;
    sim_stats(&s, &st);
    assert_int_equal(p->sim.store.count, s.store.count);
    if (!p->action.note[0])
        assert_int_equal(p->action.moved, last.moved);
    assert_true(fabs(p->stats.max_over_mean - st.max_over_mean) < 1e-12);
    assert_true(fabs(p->stats.std_over_mean - st.std_over_mean) < 1e-12);
    for (uint32_t i = 0; i < p->sorted_count; i++)
        assert_int_equal(p->sim.store.counts[p->sorted[i]], s.store.counts[p->sorted[i]]);
    sim_free(&s);
}

/* In every pane, the coloured pixels of every node's cloud (around the
 * place the app computes for it, inside the pane's cell) are mostly that
 * node's hue. Saturated (near-white) and dark pixels say nothing. */
static void assert_node_colours(void)
{
    app_t *a = app_get();
    const uint8_t *f = rt_frame();
    for (int i = 0; i < a->pane_count; i++) {
        const pane_t *p = &a->panes[i];
        int r = (int)fmax(3, 0.6 * p->params.cloud_r * p->view.scale);
        for (uint32_t k = 0; k < p->sorted_count; k++) {
            uint16_t s = p->sorted[k];
            double x, y;
            pane_node_px(p, s, (float)a->clock, &x, &y);
            assert_true(x >= p->cell[0] && x < p->cell[0] + p->cell[2]);
            assert_true(y >= p->cell[1] && y < p->cell[1] + p->cell[3]);
            int mine = 0, other = 0;
            for (int dy = -r; dy <= r; dy++)
                for (int dx = -r; dx <= r; dx++) {
                    const uint8_t *px = rt_pixel(f, (int)lround(x) + dx, (int)lround(y) + dy);
                    int hi = px[0] > px[1] ? (px[0] > px[2] ? px[0] : px[2]) : (px[1] > px[2] ? px[1] : px[2]);
                    int lo = px[0] < px[1] ? (px[0] < px[2] ? px[0] : px[2]) : (px[1] < px[2] ? px[1] : px[2]);
                    if (hi < 90 || hi - lo < 50)
                        continue;
                    if (rt_hue(px) == s)
                        mine++;
                    else
                        other++;
                }
            if (mine < 10 || mine < 3 * other)
                print_message("pane %d (%s) node %u at %.1f,%.1f: %d in its hue, %d not\n", i,
                              strat_name(p->sim.strat.kind), s, x, y, mine, other);
            assert_true(mine >= 10 && mine >= 3 * other);
        }
    }
}

static void two_panes_follow_every_change(void **state)
{
    (void)state;
    app_t *a = app_get();
    strat_kind_t kinds[2] = {STRAT_RING, STRAT_MODULO};
    assert_int_equal(app_compare(app_get(), kinds, 2), 0);
    assert_int_equal(a->pane_count, 2);
    assert_int_equal(a->panes[0].sim.strat.kind, STRAT_RING);
    assert_int_equal(a->panes[1].sim.strat.kind, STRAT_MODULO);
    /* side by side, apart */
    assert_true(a->panes[0].cell[0] + a->panes[0].cell[2] <= a->panes[1].cell[0] + 0.5f);
    /* before any change a pane's header says so (not "0 new") */
    char line[256];
    hud_counter_text(&a->panes[1].action, pane_moved_landed(&a->panes[1]), app_settled(), line, sizeof line);
    assert_string_equal(line, "no change yet");
    static const char *const lines[] = {"add nodeF"};
    assert_null(app_run_command(lines[0]));
    rt_settle();
    for (int i = 0; i < 2; i++)
        assert_pane_matches(&a->panes[i], lines, 1);
    /* modulo re-deals nearly everything; the ring moves about 1/6 */
    assert_true(a->panes[1].action.moved > a->panes[0].action.moved);
    assert_int_equal(pane_moved_landed(&a->panes[1]), a->panes[1].action.moved);
    assert_node_colours();
    /* the state JSON has one object per pane, the top level is the first */
    const char *j = app_state_json();
    assert_non_null(strstr(j, "\"compare\":true"));
    assert_non_null(strstr(j, "\"panes\":[{\"strategy\":\"ring\""));
    assert_non_null(strstr(j, "{\"strategy\":\"modulo\""));
    /* idle frames upload nothing, in every pane */
    for (int i = 0; i < 3; i++) {
        app_advance(1.0 / 60.0);
        rt_frame();
    }
    assert_int_equal(a->bytes_last_frame, 0);
}

static void a_pane_that_cannot_follow_says_why(void **state)
{
    (void)state;
    app_t *a = app_get();
    /* ring takes weights, modulo does not: ring changes, modulo notes it */
    static const char *const lines[] = {"add nodeF", "weight nodeA 3"};
    assert_null(app_run_command(lines[1]));
    rt_settle();
    assert_string_equal(a->panes[0].action.note, "");
    assert_non_null(strstr(a->panes[1].action.note, "weights are not supported by modulo"));
    assert_int_equal(a->panes[1].action.moved, 0);
    assert_pane_matches(&a->panes[0], lines, 2);
    assert_pane_matches(&a->panes[1], lines, 2);
    /* vnodes: the ring rebuilds, modulo has none to rebuild */
    assert_null(app_run_command("vnodes 100"));
    rt_settle();
    assert_string_equal(a->panes[0].action.note, "");
    assert_non_null(strstr(a->panes[1].action.note, "no vnodes"));
}

static void four_panes_in_a_grid(void **state)
{
    (void)state;
    app_t *a = app_get();
    assert_null(app_run_command("weight nodeA 1"));
    strat_kind_t kinds[4] = {STRAT_RING, STRAT_MODULO, STRAT_JUMP, STRAT_MAGLEV};
    assert_int_equal(app_compare(app_get(), kinds, 4), 0);
    assert_int_equal(a->pane_count, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(a->panes[i].sim.strat.kind, kinds[i]);
    rt_settle();
    static const char *const lines[] = {"add nodeF", "weight nodeA 3", "vnodes 100", "weight nodeA 1", "add nodeG"};
    assert_null(app_run_command(lines[4]));
    rt_settle();
    /* panes built on the way (jump, maglev) replayed the history */
    for (int i = 0; i < 4; i++)
        assert_pane_matches(&a->panes[i], lines, 5);
    /* 2 x 2, inside the ring's area, no overlap */
    for (int i = 0; i < 4; i++)
        for (int k = i + 1; k < 4; k++) {
            const float *p = a->panes[i].cell, *q = a->panes[k].cell;
            int apart = p[0] + p[2] <= q[0] + 0.5f || q[0] + q[2] <= p[0] + 0.5f || p[1] + p[3] <= q[1] + 0.5f ||
                        q[1] + q[3] <= p[1] + 0.5f;
            assert_true(apart);
        }
    assert_node_colours();
    /* four quarter-size clouds share one pane's particle budget */
    for (int i = 0; i < 4; i++)
        assert_int_equal(a->panes[i].scene.lod_max, SCENE_LOD_MAX / 4);
    /* back to one pane: the focused one stays */
    a->focus = 2;
    assert_int_equal(app_compare(app_get(), NULL, 1), 0);
    assert_int_equal(a->pane_count, 1);
    assert_int_equal(a->panes[0].sim.strat.kind, STRAT_JUMP);
    rt_settle();
    assert_pane_matches(&a->panes[0], lines, 5);
    assert_int_equal(a->panes[0].scene.lod_max, SCENE_LOD_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_panes_follow_every_change),
        cmocka_unit_test(a_pane_that_cannot_follow_says_why),
        cmocka_unit_test(four_panes_in_a_grid),
    };
    return cmocka_run_group_tests(tests, rt_setup, rt_teardown);
}
