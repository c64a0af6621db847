/* The HUD's words and numbers (hud_text.h) without a GL context: panes
 * over real simulations of the core, every strategy from one table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hud_text.h"
#include "num.h"

static pane_t pane;                 /* large (its scene's books): not on the stack */
static double share[RS_MAX_NODES];

/* pane = nodeA..nodeE, 3000 keys under kind; the drawn counts are the
 * simulation's (everything landed). */
static void pane_of(strat_kind_t kind, uint32_t vnodes)
{
    static const char *const ids[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};
    sim_config_t cfg = {.nodes = ids, .node_count = 5, .vnodes = vnodes, .vectors = 3000, .dim = 4, .seed = 42,
                        .strategy = kind};
    sim_step_t step;
    char err[256];
    sim_free(&pane.sim);
    memset(&pane, 0, sizeof pane);
    assert_int_equal(sim_init(&pane.sim, &cfg, &step, err, sizeof err), 0);
    for (uint32_t s = 0; s < pane.sim.ring.slot_count; s++) {
        pane.scene.shown[s] = pane.sim.store.counts[s];
        share[s] = 0.2;
    }
    pane.share = share;
    pane.action.ideal = NAN;
    pane.selected = pane.hover_node = SCENE_NONE;
}

static int teardown(void **state)
{
    (void)state;
    sim_free(&pane.sim);
    return 0;
}

static void counts_read_at_a_glance(void **state)
{
    (void)state;
    static const struct { uint64_t n; const char *text; } want[] = {
        {0, "0"}, {999, "999"}, {1000, "1,000"}, {40000, "40,000"}, {99999, "99,999"},
        {100000, "100k"}, {400000, "400k"}, {999499, "999k"}, {4000000, "4.00M"}, {12345678, "12.35M"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char t[32];
        hud_count_text(want[i].n, t, sizeof t);
        assert_string_equal(t, want[i].text);
    }
    char t[16];
    hud_pct_text(0.125, t, sizeof t);
    assert_string_equal(t, "12.5%");
}

/* One form for every whole number on screen: thousands separators, also
 * in text the core makes (a strategy's legend), never inside ids, hashes
 * or decimals; one form for a range. */
static void numbers_have_thousands_separators(void **state)
{
    (void)state;
    static const struct { uint64_t n; const char *text; } ints[] = {
        {0, "0"}, {999, "999"}, {1000, "1,000"}, {65537, "65,537"}, {1000000, "1,000,000"},
        {UINT64_MAX, "18,446,744,073,709,551,615"},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        char t[32];
        num_int(ints[i].n, t, sizeof t);
        assert_string_equal(t, ints[i].text);
    }
    static const struct { const char *in, *out; } texts[] = {
        {"maglev \xC2\xB7 table of 65537 cells; key \xE2\x86\x92 cell h mod 65537",
         "maglev \xC2\xB7 table of 65,537 cells; key \xE2\x86\x92 cell h mod 65,537"},
        {"M = 1000000 cells", "M = 1,000,000 cells"},
        {"6000.", "6,000."},
        {"\xC3\x97" "1000 (clamped)", "\xC3\x97" "1,000 (clamped)"},
        {"vec_000042 node12345 0x1f2e3d4c 3.14159 12.34567%", "vec_000042 node12345 0x1f2e3d4c 3.14159 12.34567%"},
        {"999 and 1,234 and 1234", "999 and 1,234 and 1,234"},
        {"Saved screenshot ringscope-20240101-120000.png", "Saved screenshot ringscope-20240101-120000.png"},
        {"127.0.0.1:11211 /tmp/x12345/2048", "127.0.0.1:11211 /tmp/x12345/2048"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char t[128];
        snprintf(t, sizeof t, "%s", texts[i].in);
        num_group(t, sizeof t);
        assert_string_equal(t, texts[i].out);
    }
    char small[6] = "12345";
    num_group(small, sizeof small);
    assert_string_equal(small, "12,34"); /* cut to the buffer, terminated */
    char t[64];
    hud_minmax_text(1063, 1379, t, sizeof t);
    assert_string_equal(t, "min 1,063  \xC2\xB7  max 1,379");
}

static void counter_line_says_what_moved(void **state)
{
    (void)state;
    static const struct {
        uint64_t moved, total, landed;
        double ideal;
        int counts_up, shrank, settled;
        const char *note, *text;
    } want[] = {
        {0, 0, 0, NAN, 0, 0, 1, "", "no change yet"},
        {1075, 6000, 500, 1.0 / 6, 1, 0, 0, "", "moved 500 of 6,000 (8.3%)  \xC2\xB7  ideal 16.7%"},
        {1075, 6000, 1075, NAN, 1, 0, 1, "", "moved 1,075 of 6,000 (17.9%)"},
        {4971, 1000000, 4971, NAN, 1, 0, 1, "", "moved 4,971 of 1,000,000 (0.497%)"},
        /* 4096 nodes: enough digits to tell moved from ideal (issue 24). */
        {236, 1000000, 236, 1.0 / 4096, 1, 0, 1, "",
         "moved 236 of 1,000,000 (0.0236%)  \xC2\xB7  ideal 0.0244%"},
        {1000, 7000, 0, NAN, 0, 0, 0, "", "1,000 new, flying in"},
        {1000, 7000, 0, NAN, 0, 0, 1, "", "1,000 new"},
        {1000, 5000, 0, NAN, 0, 1, 1, "", "1,000 removed"},
        {0, 0, 0, NAN, 0, 0, 1, "weights: not honoured; unchanged", "weights: not honoured; unchanged"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        pane_action_t ac = {.moved = want[i].moved, .total = want[i].total, .ideal = want[i].ideal,
                            .counts_up = want[i].counts_up, .shrank = want[i].shrank};
        snprintf(ac.note, sizeof ac.note, "%s", want[i].note);
        char t[256];
        hud_counter_text(&ac, want[i].landed, want[i].settled, t, sizeof t);
        assert_string_equal(t, want[i].text);
    }
}

/* What a change did, in the one vocabulary: each figure only when it is
 * not zero; a crash moves nothing (promoted, lost), a heal copies; shards
 * moved whole; the short form for narrow places. */
static void counter_line_uses_the_vocabulary(void **state)
{
    (void)state;
    static const struct {
        int op;
        uint64_t moved, landed, promoted, copies, lost;
        double ideal;
        int shards;
        uint32_t shards_moved;
        int form;
        const char *text;
    } want[] = {
        {SCN_FAIL, 0, 0, 0, 0, 1071, NAN, 0, 0, 0, "lost 1,071 of 6,000 (17.9%)"},
        {SCN_FAIL, 0, 0, 1379, 0, 0, NAN, 0, 0, 0, "promoted 1,379"},
        {SCN_FAIL, 0, 0, 988, 0, 60, NAN, 1, 11, 0, "promoted 988  \xC2\xB7  lost 60 of 6,000 (1.0%)"},
        {SCN_HEAL, 0, 0, 0, 3566, 0, NAN, 0, 0, 0, "copied 3,566"},
        {SCN_HEAL, 254, 254, 0, 2840, 0, NAN, 0, 0, 0, "moved 254 of 6,000 (4.23%)  \xC2\xB7  copied 2,840"},
        {SCN_RECOVER, 0, 0, 0, 0, 0, 0.2, 0, 0, 0, "moved 0 of 6,000 (0.0%)  \xC2\xB7  ideal 20.0%"},
        {SCN_REPLICAS, 0, 0, 0, 0, 0, NAN, 0, 0, 0, "nothing moved or copied"},
        {SCN_ADD, 960, 960, 0, 2430, 0, 1.0 / 6, 1, 10, 0,
         "moved 10 shards, 960 of 6,000 keys (16.0%)  \xC2\xB7  ideal 16.7%  \xC2\xB7  copied 2,430"},
        {SCN_ADD, 960, 480, 0, 0, 0, 1.0 / 6, 1, 10, 1, "moved 10 shards, 480 keys (8.0%) \xC2\xB7 ideal 16.7%"},
        {SCN_STRATEGY, 4803, 4803, 0, 0, 0, NAN, 1, 0, 0, "moved 4,803 of 6,000 (80.0%)"},
        {SCN_FAIL, 0, 0, 0, 0, 1071, NAN, 0, 0, 1, "lost 1,071 (17.9%)"},
        {SCN_ADD, 960, 960, 0, 2430, 0, 1.0 / 6, 1, 10, 2, "moved 10 shards, 960 keys (16.0%) \xC2\xB7 copied 2,430"},
        {SCN_ADD, 960, 960, 0, 2430, 0, 1.0 / 6, 1, 10, 3, "moved 960 (16.0%) \xC2\xB7 copied 2,430"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        pane_action_t ac = {.op = want[i].op, .moved = want[i].moved, .total = 6000, .ideal = want[i].ideal,
                            .counts_up = 1, .promoted = want[i].promoted, .copies = want[i].copies,
                            .lost = want[i].lost, .shards = want[i].shards, .shards_moved = want[i].shards_moved};
        char t[256];
        hud_counter_form(&ac, want[i].landed, 1, want[i].form, t, sizeof t);
        assert_string_equal(t, want[i].text);
    }
}

/* Per strategy: the panel's size line names its own structure, the title
 * claims vnodes/node only where there are vnodes, the legend states the
 * rule with its parameters, the picker shows the name. */
static void every_strategy_names_its_structure(void **state)
{
    (void)state;
    static const struct {
        strat_kind_t kind;
        const char *what;
        uint64_t size;          /* 0: ring points of the shared ring */
        const char *legend;     /* a part of the legend */
    } want[] = {
        {STRAT_RING, "ring points", 0, "ring \xC2\xB7 vnodes \xC3\x97 weight points per node"},
        {STRAT_BOUNDED, "ring points", 0, "skips nodes at capacity (125%)"},
        {STRAT_KETAMA, "ring points", 160 * 5, "MD5 points on a 32-bit ring"},
        {STRAT_MULTIPROBE, "ring points", 5, "21 probes, the nearest successor wins"},
        {STRAT_MAGLEV, "table cells", 65537, "table of 65,537 cells, outer ring; key \xE2\x86\x92 cell h mod 65,537"},
        {STRAT_JUMP, "buckets", 5, "5 buckets in slot order, outer ring; key \xE2\x86\x92 bucket jump(h, 5)"},
        {STRAT_MODULO, "buckets", 5, "5 segments in rank order, outer ring; key \xE2\x86\x92 segment h mod 5"},
        {STRAT_RENDEZVOUS, "scores/key", 5, "every node scores each key, the highest wins"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        pane_of(want[i].kind, 40);
        const char *name = strat_name(want[i].kind);
        uint64_t size;
        assert_string_equal(hud_structure_size(&pane, &size), want[i].what);
        assert_int_equal(size, want[i].size ? want[i].size : pane.sim.ring.count);
        char t[256];
        int vn = pane.sim.strat.ops->uses_vnodes;
        for (int form = 0; form < HUD_TITLE_FORMS; form++) {
            hud_title_text(&pane, 1, &pane, form, t, sizeof t);
            assert_non_null(strstr(t, name));
            assert_int_equal(strstr(t, "vn") != NULL, vn);
        }
        hud_legend_text(&pane, t, sizeof t);
        assert_true(strncmp(t, name, strlen(name)) == 0);
        assert_non_null(strstr(t, want[i].legend));
        hud_strategy_text(want[i].kind, t, sizeof t);
        assert_true(strncmp(t, name, strlen(name)) == 0 && strstr(t, "\xE2\x96\xB8"));
    }
}

static void title_forms_and_compare_names(void **state)
{
    (void)state;
    pane_of(STRAT_RING, 80);
    char t[256];
    hud_title_text(&pane, 1, &pane, 0, t, sizeof t);
    assert_string_equal(t, "Strategy ring  |  nodes=5  |  vectors=3,000  |  vnodes/node=80");
    hud_title_text(&pane, 1, &pane, 2, t, sizeof t);
    assert_string_equal(t, "ring \xC2\xB7 5 nodes \xC2\xB7 3,000 vec \xC2\xB7 80 vnodes");
    /* compare mode: every pane's name; a short buffer is cut, not overrun */
    static pane_t two[2];
    two[0].sim.strat.kind = STRAT_JUMP;
    two[0].sim.strat.ops = strat_ops(STRAT_JUMP);
    two[1].sim.strat.kind = STRAT_MAGLEV;
    two[1].sim.strat.ops = strat_ops(STRAT_MAGLEV);
    hud_title_text(two, 2, &pane, 1, t, sizeof t);
    assert_string_equal(t, "jump vs maglev  \xC2\xB7  nodes=5  \xC2\xB7  vectors=3,000");
    hud_title_text(two, 2, &pane, 3, t, sizeof t);
    assert_string_equal(t, "2 strategies \xC2\xB7 5 nodes \xC2\xB7 3,000 vec");
    char small[12];
    hud_title_text(two, 2, &pane, 0, small, sizeof small);
    assert_string_equal(small, "Compare jum");
}

static void node_lines_and_shares(void **state)
{
    (void)state;
    pane_of(STRAT_RING, 80);
    double sum = 0;
    for (uint32_t s = 0; s < pane.sim.ring.slot_count; s++)
        sum += hud_drawn_share(&pane, (uint16_t)s);
    assert_true(fabs(sum - 1.0) < 1e-12);
    char keys[96], sh[96];
    hud_node_text(&pane, 0, keys, sizeof keys, sh, sizeof sh);
    char want[96];
    snprintf(want, sizeof want, "keys=%llu  vnodes=80", (unsigned long long)pane.sim.store.counts[0]);
    assert_string_equal(keys, want);
    /* the share says what it is of: the ring's arcs here */
    assert_string_equal(sh, "ring share 20.0%");
    hud_node_short_text(&pane, 0, 1, sh, sizeof sh);
    snprintf(want, sizeof want, "keys=%llu", (unsigned long long)pane.sim.store.counts[0]);
    assert_string_equal(sh, want);
    /* without vnodes the share is of the keys, as in the panel */
    pane_of(STRAT_JUMP, 80);
    hud_node_text(&pane, 1, keys, sizeof keys, sh, sizeof sh);
    snprintf(want, sizeof want, "keys=%llu", (unsigned long long)pane.sim.store.counts[1]);
    assert_string_equal(keys, want);
    snprintf(want, sizeof want, "key share %.1f%%", 100.0 * (double)pane.sim.store.counts[1] / 3000.0);
    assert_string_equal(sh, want);
    /* counts in thousands get separators */
    pane.scene.shown[1] = 1257;
    hud_node_text(&pane, 1, keys, sizeof keys, sh, sizeof sh);
    assert_string_equal(keys, "keys=1,257");
}

/* The vnodes slider shows what the strategy uses and is off where it is
 * ignored: ketama's own 160 points a node, nothing for the others. */
static void vnodes_slider_shows_what_is_used(void **state)
{
    (void)state;
    char t[64];
    pane_of(STRAT_RING, 80);
    assert_true(hud_vnodes_text(&pane, 1, &pane, 120, t, sizeof t));
    assert_string_equal(t, "120");
    pane_of(STRAT_BOUNDED, 80);
    assert_true(hud_vnodes_text(&pane, 1, &pane, 80, t, sizeof t));
    pane_of(STRAT_KETAMA, 80);
    assert_false(hud_vnodes_text(&pane, 1, &pane, 80, t, sizeof t));
    assert_string_equal(t, "160/node");
    pane_of(STRAT_MULTIPROBE, 80);
    assert_false(hud_vnodes_text(&pane, 1, &pane, 80, t, sizeof t));
    assert_string_equal(t, "1/node");
    static const strat_kind_t none[] = {STRAT_MODULO, STRAT_JUMP, STRAT_RENDEZVOUS, STRAT_MAGLEV};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        pane_of(none[i], 80);
        assert_false(hud_vnodes_text(&pane, 1, &pane, 80, t, sizeof t));
        assert_string_equal(t, "unused");
    }
    /* compare: in use while some pane places vnodes */
    static pane_t two[2];
    two[0].sim.strat.ops = strat_ops(STRAT_JUMP);
    two[1].sim.strat.ops = strat_ops(STRAT_RING);
    pane_of(STRAT_JUMP, 80);
    assert_true(hud_vnodes_text(two, 2, &pane, 100, t, sizeof t));
    assert_string_equal(t, "100");
}

static void compare_row_marks_missing_figures(void **state)
{
    (void)state;
    pane_of(STRAT_MODULO, 80);
    char t[HUD_ROW_CELLS][HUD_ROW_CELL];
    hud_compare_row_text(&pane, 0, t);
    assert_string_equal(t[0], "modulo");
    assert_string_equal(t[1], "\xE2\x80\x94");
    assert_string_equal(t[2], "\xE2\x80\x94");
    pane.action = (pane_action_t){.moved = 4800, .total = 6000, .ideal = 1.0 / 6, .counts_up = 1};
    pane.stats.max_over_mean = 1.25;
    hud_compare_row_text(&pane, 3000, t);
    assert_string_equal(t[1], "50.0%");
    assert_string_equal(t[2], "16.7%");
    assert_string_equal(t[3], "1.250");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_read_at_a_glance),
        cmocka_unit_test(numbers_have_thousands_separators),
        cmocka_unit_test(counter_line_says_what_moved),
        cmocka_unit_test(counter_line_uses_the_vocabulary),
        cmocka_unit_test(every_strategy_names_its_structure),
        cmocka_unit_test(title_forms_and_compare_names),
        cmocka_unit_test(node_lines_and_shares),
        cmocka_unit_test(vnodes_slider_shows_what_is_used),
        cmocka_unit_test(compare_row_marks_missing_figures),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
