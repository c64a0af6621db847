/* The legend (issue 22): "what am I looking at", on L and a button, names
 * every mark of the view — each strategy's structure, the band, flights,
 * the bars' marks, the shares, replicas, crashes and zones — and fits the
 * frame. Expectations per strategy are written out here from what each
 * draws (README, "The visualizer"), not read from the legend's table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "hud.h"
#include "rt.h"

#define M(x) (1ull << HUD_MARK_##x)

static void run(const char *line)
{
    const char *m = app_run_command(line);
    if (m)
        print_message("%s: %s\n", line, m);
    assert_null(m);
}

/* The marks the legend showed in the frame just drawn. */
static uint64_t shown(void)
{
    rt_settle();
    rt_frame();
    return app_get()->legend_marks;
}

static void l_and_the_button_open_it_esc_closes_it(void **state)
{
    (void)state;
    app_t *a = app_get();
    assert_false(a->legend);
    rt_key(SDLK_l, 0);
    assert_true(a->legend);
    rt_key(SDLK_l, 0);
    assert_false(a->legend);
    rt_click_widget(APP_W_LEGEND);
    assert_true(a->legend);
    rt_frame();
    assert_true(a->widgets[APP_W_LEGEND].w > 0);
    rt_key(SDLK_ESCAPE, 0);
    assert_false(a->legend);
    assert_false(a->quit);
}

static void every_strategy_names_its_marks(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint64_t want, not;
    } want[] = {
        {"ring", M(BAND_ARCS) | M(VNODES) | M(RING_SHARE), M(CELLS) | M(TICKS) | M(RULE) | M(CAPACITY) | M(BAND_FINE)},
        {"modulo", M(BAND_FINE) | M(CELLS), M(VNODES) | M(RING_SHARE) | M(SWAP) | M(CELLS_THIN)},
        {"jump", M(BAND_FINE) | M(CELLS) | M(SWAP), M(VNODES) | M(CELLS_THIN)},
        {"rendezvous", M(BAND_FINE) | M(SCORES), M(CELLS) | M(VNODES) | M(PROBES)},
        {"maglev", M(BAND_FINE) | M(CELLS) | M(CELLS_THIN), M(SWAP) | M(VNODES)},
        {"bounded", M(BAND_ARCS) | M(VNODES) | M(TICKS) | M(RULE) | M(CAPACITY) | M(RING_SHARE), M(CELLS)},
        {"multiprobe", M(BAND_FINE) | M(OWN_POINTS) | M(PROBES), M(VNODES) | M(SCORES)},
        {"ketama", M(BAND_ARCS) | M(OWN_POINTS), M(VNODES) | M(RING_SHARE) | M(CELLS)},
    };
    const uint64_t every = M(NODE) | M(KEY) | M(FLIGHT) | M(BARS) | M(KEY_SHARE);
    app_t *a = app_get();
    a->legend = 1;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char cmd[64];
        snprintf(cmd, sizeof cmd, "strategy %s", want[i].name);
        run(cmd);
        uint64_t m = shown();
        char name[64];
        snprintf(name, sizeof name, "legend-%s", want[i].name);
        rt_shot(name);
        if ((m & (want[i].want | every)) != (want[i].want | every) || (m & want[i].not))
            print_message("%s: marks %llx, want %llx, not %llx\n", want[i].name, (unsigned long long)m,
                          (unsigned long long)(want[i].want | every), (unsigned long long)want[i].not);
        assert_int_equal(m & (want[i].want | every), want[i].want | every);
        assert_int_equal(m & want[i].not, 0);
        assert_int_equal(m & (M(COPIES) | M(CRASHED) | M(ZONES) | M(PANES) | M(SELECTED)), 0);
        assert_false(a->legend_cut);
    }
    run("strategy ring");
    a->legend = 0;
}

/* Replicas, a zone per node, a crash: the legend adds copies, healing,
 * the amber pulse, lost keys, the crashed node and the zones. */
static void replicas_crashes_and_zones(void **state)
{
    (void)state;
    app_t *a = app_get();
    a->legend = 1;
    run("replicas 2");
    run("zone nodeA east");
    run("zone nodeB west");
    run("fail nodeC");
    app_select(a, rt_slot("nodeD"));
    uint64_t m = shown();
    rt_shot("legend-replicas");
    uint64_t want = M(COPIES) | M(HEALING) | M(UNDER) | M(LOST) | M(CRASHED) | M(ZONES) | M(SELECTED);
    assert_int_equal(m & want, want);
    assert_false(a->legend_cut);
    run("recover nodeC");
    app_select(a, SCENE_NONE);
    a->legend = 0;
}

/* Compare: both strategies' structures, and the pane headers. At 800 x
 * 600 every mark still shows (two columns where one is too short). */
static void compare_and_a_small_frame(void **state)
{
    (void)state;
    static const int sizes[][2] = {{1280, 720}, {800, 600}};
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(rt_start(sizes[k][0], sizes[k][1], 0), 0);
        app_t *a = app_get();
        strat_kind_t kinds[2] = {STRAT_BOUNDED, STRAT_JUMP};
        assert_int_equal(app_compare(a, kinds, 2), 0);
        run("replicas 3");
        run("zone nodeA z1");
        run("fail nodeB");
        rt_key(SDLK_l, 0);
        uint64_t m = shown();
        rt_shot(k ? "legend-compare-800" : "legend-compare");
        uint64_t want = M(PANES) | M(TICKS) | M(CAPACITY) | M(CELLS) | M(SWAP) | M(CRASHED) | M(ZONES) | M(UNDER);
        assert_int_equal(m & want, want);
        assert_false(a->legend_cut);
        rt_stop();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(l_and_the_button_open_it_esc_closes_it),
        cmocka_unit_test(every_strategy_names_its_marks),
        cmocka_unit_test(replicas_crashes_and_zones),
    };
    const struct CMUnitTest own[] = {
        cmocka_unit_test(compare_and_a_small_frame),
    };
    int failed = cmocka_run_group_tests(tests, rt_setup, rt_teardown);
    return failed + cmocka_run_group_tests(own, NULL, NULL);
}
