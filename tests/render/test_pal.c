/* Node colours (pal.h): a function of the id alone, and apart in a
 * perceptual colour space as nodes grow. No GL: pal.c alone.
 *
 * Distances are OKLab ΔE (Euclidean in OKLab, Ottosson 2020), whose just
 * noticeable difference is about 0.02 (the threshold colour.js uses for
 * deltaEOK). The thresholds ask for more than seeing a difference side by
 * side: two particle clouds or labels must be told apart at a glance, so
 * the worst pair of n colours stays at 2.5 JND and more:
 *   n <= 5 (the default start):  0.20 for the app's names, 0.10 for any run
 *   n <= 11:                     0.12 and 0.075 (today's palette: 0.044)
 *   n <= 32:                     0.065 and 0.05
 * "any run": n consecutive counters of any stem (a1, a2, ...; cache-7,
 * cache-8, ...), whatever its shift in the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "oklab.h"
#include "pal.h"

/* The least ΔE between any two of the n colours. */
static double min_pair(uint8_t (*c)[3], int n)
{
    double m = INFINITY;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            m = fmin(m, oklab_delta(c[i], c[j]));
    return m;
}

/* The app's auto names: nodeA .. nodeZ, nodeAA, ... (app_cmd.c). */
static void app_name(int i, char *out, size_t n)
{
    char tail[8];
    int k = 0;
    for (int v = i + 1; v > 0; v = (v - 1) / 26)
        tail[k++] = (char)('A' + (v - 1) % 26);
    snprintf(out, n, "node");
    for (int j = k - 1; j >= 0; j--)
        snprintf(out + strlen(out), n - strlen(out), "%c", tail[j]);
}

static double want_names(int n)
{
    return n <= 5 ? 0.20 : n <= 11 ? 0.12 : 0.065;
}

static double want_runs(int n)
{
    return n <= 5 ? 0.10 : n <= 11 ? 0.075 : 0.05;
}

static void colour_is_a_function_of_the_id(void **state)
{
    (void)state;
    uint8_t x[3], y[3];
    pal_node8("nodeC", 5, x);
    pal_node8("nodeC", 5, y);
    assert_memory_equal(x, y, 3);
    /* the app's names start the table, in order */
    for (int i = 0; i < 40; i++) {
        char id[16];
        app_name(i, id, sizeof id);
        assert_int_equal(pal_index(id, strlen(id)), (uint32_t)i % PAL_SIZE);
    }
    /* a run of counters takes consecutive entries, whatever the stem */
    uint32_t a1 = pal_index("cache-1", 7), a2 = pal_index("cache-2", 7), a10 = pal_index("cache-10", 8);
    assert_int_equal(a2, (a1 + 1) % PAL_SIZE);
    assert_int_equal(a10, (a1 + 9) % PAL_SIZE);
    /* ids without a counter still get a colour of the table; any bytes */
    assert_true(pal_index("nodeC-replacement", 17) < PAL_SIZE);
    assert_true(pal_index("", 0) < PAL_SIZE);
    assert_true(pal_index("\xFF\x00z", 3) < PAL_SIZE);
    assert_true(pal_index("99999999999999999999999999", 26) < PAL_SIZE);
}

static void app_names_stay_apart_as_nodes_grow(void **state)
{
    (void)state;
    uint8_t c[32][3];
    for (int n = 1; n <= 32; n++) {
        char id[16];
        app_name(n - 1, id, sizeof id);
        pal_node8(id, strlen(id), c[n - 1]);
        if (n < 2)
            continue;
        double m = min_pair(c, n);
        print_message("n=%2d  nodeA..%-6s  min dE %.3f (want %.3f)\n", n, id, m, want_names(n));
        assert_true(m >= want_names(n));
    }
}

static void every_run_of_counters_stays_apart(void **state)
{
    (void)state;
    for (int n = 2; n <= 32; n++) {
        double worst = INFINITY;
        for (uint32_t shift = 0; shift < PAL_SIZE; shift++) {
            uint8_t c[32][3];
            for (int i = 0; i < n; i++)
                pal_entry8(shift + (uint32_t)i, c[i]);
            worst = fmin(worst, min_pair(c, n));
        }
        print_message("n=%2d  any run  min dE %.3f (want %.3f)\n", n, worst, want_runs(n));
        assert_true(worst >= want_runs(n));
    }
}

/* The palette before colours came from ids: 12 hand-picked colours by
 * order of addition; at 11 nodes nodeA/nodeK (azure, periwinkle) and
 * nodeD/nodeI (rose, pink) were hard to tell apart. */
static void beats_the_old_palette_at_eleven(void **state)
{
    (void)state;
    static uint8_t old[11][3] = {{0x4d, 0xa3, 0xff}, {0xff, 0x8a, 0x3d}, {0x3d, 0xdc, 0x97}, {0xff, 0x5c, 0x8a},
                                 {0xb3, 0x88, 0xff}, {0xf5, 0xd0, 0x3b}, {0x2e, 0xd3, 0xe6}, {0xa4, 0xe0, 0x4a},
                                 {0xff, 0x7a, 0xe0}, {0xe0, 0x6b, 0x4a}, {0x7a, 0x9c, 0xff}};
    uint8_t now[11][3];
    for (int i = 0; i < 11; i++) {
        char id[16];
        app_name(i, id, sizeof id);
        pal_node8(id, strlen(id), now[i]);
    }
    double before = min_pair(old, 11), after = min_pair(now, 11);
    print_message("n=11: old palette %.3f, now %.3f\n", before, after);
    assert_true(before < 0.05);
    assert_true(after > 2 * before);
}

/* The zone clip's nine nodes (a1 .. c3: three stems, three counters) get
 * nine different entries. */
static void the_zone_clips_nodes_differ(void **state)
{
    (void)state;
    static const char *const ids[] = {"a1", "b1", "c1", "a2", "b2", "c2", "a3", "b3", "c3"};
    uint8_t c[9][3];
    for (int i = 0; i < 9; i++)
        pal_node8(ids[i], 2, c[i]);
    double m = min_pair(c, 9);
    print_message("a1..c3: min dE %.3f\n", m);
    assert_true(m >= 0.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(colour_is_a_function_of_the_id),
        cmocka_unit_test(app_names_stay_apart_as_nodes_grow),
        cmocka_unit_test(every_run_of_counters_stays_apart),
        cmocka_unit_test(beats_the_old_palette_at_eleven),
        cmocka_unit_test(the_zone_clips_nodes_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
