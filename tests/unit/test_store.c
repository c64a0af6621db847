/* store: the sorted store against its definition, through every path of
 * its sort. This binary compiles store.c with STORE_SORT_SMALL = 64, so
 * stores of a few thousand keys already take the in-place radix passes at
 * every depth, and the threaded phases run with 1 and 2 threads. After
 * each build, growth and shrink: hashes ascend (ties by index), the indices
 * are exactly 0..n-1, each hash is hash_key of its index, owners are the
 * ring's lookups and the counts add up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "par.h"
#include "store.h"

static void check_store(const store_t *st, const ring_t *r, size_t n)
{
    assert_int_equal(st->count, n);
    uint8_t *seen = calloc(n + 1, 1);
    assert_non_null(seen);
    uint64_t counts[RS_MAX_NODES + 1] = {0};
    for (size_t i = 0; i < n; i++) {
        uint32_t x = st->index[i];
        assert_true(x < n);
        assert_false(seen[x]);
        seen[x] = 1;
        assert_true(st->hash[i] == hash_key(x));
        if (i)
            assert_true(st->hash[i - 1] < st->hash[i] || (st->hash[i - 1] == st->hash[i] && st->index[i - 1] < x));
        uint16_t want = r->count ? r->node[ring_lookup_bsearch(r, st->hash[i])] : (uint16_t)RING_NONE;
        assert_int_equal(st->owner[i], want);
        counts[want == RING_NONE ? RS_MAX_NODES : want]++;
    }
    assert_memory_equal(counts, st->counts, sizeof counts);
    free(seen);
}

static void sorts_at_every_depth(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, 20000, 20001, 150000};
    for (unsigned threads = 1; threads <= 2; threads++) {
        par_set_threads(threads);
        for (int nodes = 0; nodes <= 3; nodes += 3) {
            ring_t r;
            ring_init(&r, 7);
            char err[128];
            uint16_t slot;
            static const char *const ids[] = {"a", "b", "c"};
            for (int k = 0; k < nodes; k++)
                assert_int_equal(ring_add(&r, ids[k], 1, &slot, err, sizeof err), RING_OK);
            for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
                store_t st;
                store_init(&st);
                assert_int_equal(store_resize(&st, sizes[k], &r), 0);
                check_store(&st, &r, sizes[k]);
                store_free(&st);
            }
            /* Growth merges sorted new keys into the old; a shrink drops the
             * highest indices. */
            store_t st;
            store_init(&st);
            static const size_t steps[] = {500, 30000, 30001, 90000, 12345, 0, 4000};
            for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
                assert_int_equal(store_resize(&st, steps[k], &r), 0);
                check_store(&st, &r, steps[k]);
            }
            store_free(&st);
            ring_free(&r);
        }
    }
    par_set_threads(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sorts_at_every_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
