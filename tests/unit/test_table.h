/* test_table — per-strategy tests as tables, not one wrapper per strategy.
 *
 * test_per_strategy() adds one cmocka test per row of the strategy table,
 * named "WHAT NAME" (e.g. "laws maglev"), whose state is that strategy's
 * kind (test_kind reads it back). A new strategy is tested by every such
 * test without a line here. What a test expects of a strategy, where
 * strategies differ, is a row of the test's own table looked up by name
 * (test_row): a strategy without a row fails loudly.
 *
 * Header-only; the names live in static storage for the whole run.
 */
#ifndef RINGSCOPE_TEST_TABLE_H
#define RINGSCOPE_TEST_TABLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strat.h"

#define TEST_TABLE_GROUPS 8 /* per_strategy calls per test program */

static inline size_t test_per_strategy(struct CMUnitTest *tests, size_t at, const char *what, CMUnitTestFunction fn)
{
    static strat_kind_t kinds[STRAT_COUNT];
    static char names[TEST_TABLE_GROUPS][STRAT_COUNT][64];
    static unsigned groups;
    assert_true(groups < TEST_TABLE_GROUPS);
    for (int k = 0; k < STRAT_COUNT; k++) {
        kinds[k] = (strat_kind_t)k;
        snprintf(names[groups][k], sizeof names[groups][k], "%s %s", what, strat_name((strat_kind_t)k));
        tests[at++] = (struct CMUnitTest){names[groups][k], fn, NULL, NULL, &kinds[k]};
    }
    groups++;
    return at;
}

static inline strat_kind_t test_kind(void **state) { return *(const strat_kind_t *)*state; }

/* The row of rows[count] (each starting with its `const char *name`, of
 * size `size`) for strategy kind. */
static inline const void *test_row(const void *rows, size_t count, size_t size, strat_kind_t kind)
{
    for (size_t i = 0; i < count; i++) {
        const char *const *name = (const char *const *)(const void *)((const char *)rows + i * size);
        if (strcmp(*name, strat_name(kind)) == 0)
            return name;
    }
    fail_msg("no row for strategy %s in the test's table", strat_name(kind));
    return NULL;
}

#define TEST_ROW(table, kind) test_row((table), sizeof(table) / sizeof((table)[0]), sizeof((table)[0]), (kind))

/* A test run once per strategy. */
typedef struct test_each {
    const char *what;
    CMUnitTestFunction fn;
} test_each_t;

/* Runs the tests of fixed[nfixed], then each of each[neach] once per
 * strategy: main()'s whole job. */
static inline int test_run_tables(const char *group, const struct CMUnitTest *fixed, size_t nfixed,
                                  const test_each_t *each, size_t neach)
{
    struct CMUnitTest *tests = malloc((nfixed + neach * STRAT_COUNT) * sizeof *tests);
    if (!tests)
        return 1;
    memcpy(tests, fixed, nfixed * sizeof *tests);
    size_t n = nfixed;
    for (size_t i = 0; i < neach; i++)
        n = test_per_strategy(tests, n, each[i].what, each[i].fn);
    int failed = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
    free(tests);
    return failed;
}

#define TEST_RUN_TABLES(group, fixed, each)                                                                      \
    test_run_tables((group), (fixed), sizeof(fixed) / sizeof((fixed)[0]), (each), sizeof(each) / sizeof((each)[0]))

#endif
