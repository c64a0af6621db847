/* Property test: thousands of random add/remove/rebuild/grow/shrink
 * sequences; after every step the incremental owners must equal a full
 * recomputation, the moves list must name exactly the changed owners, and
 * the per-node counts must match a recount. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#include "test_rng.h"

static void check_invariants(const sim_t *s, const uint16_t *before_by_index, size_t before_count,
                             const sim_step_t *step)
{
    const store_t *st = &s->store;
    uint64_t counts[RS_MAX_NODES + 1] = {0};
    for (size_t p = 0; p < st->count; p++) {
        if (p > 0)
            assert_true(st->hash[p - 1] < st->hash[p] ||
                        (st->hash[p - 1] == st->hash[p] && st->index[p - 1] < st->index[p]));
        uint16_t o = st->owner[p];
        uint16_t want = ring_owner(&s->ring, st->hash[p]);
        assert_int_equal(o, want);
        if (o != RING_NONE)
            assert_true(s->ring.nodes[o].live);
        counts[o == RING_NONE ? RS_MAX_NODES : o]++;
    }
    for (uint32_t slot = 0; slot < s->ring.slot_count; slot++)
        assert_int_equal(counts[slot], st->counts[slot]);
    assert_int_equal(counts[RS_MAX_NODES], st->counts[RS_MAX_NODES]);
    for (uint32_t i = 1; i < s->ring.count; i++)
        assert_true(s->ring.pos[i - 1] < s->ring.pos[i]);

    /* Moves: exactly the keys whose owner differs from before the step
     * (only comparable when the set of keys did not change). */
    if (before_by_index && before_count == st->count) {
        uint64_t changed = 0;
        for (size_t p = 0; p < st->count; p++)
            changed += before_by_index[st->index[p]] != st->owner[p];
        assert_int_equal(changed, step->moved);
        assert_int_equal(s->moves.count, step->moved);
        for (size_t m = 0; m < s->moves.count; m++) {
            const store_move_t *mv = &s->moves.items[m];
            assert_int_equal(mv->from, before_by_index[st->index[mv->pos]]);
            assert_int_equal(mv->to, st->owner[mv->pos]);
        }
    }
}

static void snapshot(const sim_t *s, uint16_t *by_index)
{
    for (size_t p = 0; p < s->store.count; p++)
        by_index[s->store.index[p]] = s->store.owner[p];
}

static void run_sequences(unsigned sequences, unsigned ops, uint64_t point_mask)
{
    ring_debug_set_point_mask(point_mask);
    uint16_t *before = malloc(5000 * sizeof *before);
    assert_non_null(before);
    for (unsigned seq = 0; seq < sequences; seq++) {
        rng_state = 0x9E3779B97F4A7C15ull ^ (seq * 0x100000001B3ull + 1);
        char names[6][8];
        const char *ptrs[6];
        unsigned initial = (unsigned)(rng() % 4);
        for (unsigned i = 0; i < 6; i++) {
            snprintf(names[i], sizeof names[i], "n%u", i);
            ptrs[i] = names[i];
        }
        sim_config_t cfg = {ptrs, initial, (uint32_t)(1 + rng() % 12), rng() % 400, 4, 1, 1};
        sim_t s;
        sim_step_t step;
        char err[256];
        assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
        check_invariants(&s, NULL, 0, &step);
        for (unsigned k = 0; k < ops; k++) {
            scn_cmd_t cmd = {0};
            unsigned r = (unsigned)(rng() % 10);
            if (r < 4) {
                cmd.op = SCN_ADD;
            } else if (r < 8) {
                cmd.op = SCN_REMOVE;
            } else if (r < 9) {
                cmd.op = SCN_VNODES;
                cmd.value = 1 + rng() % 12;
            } else {
                cmd.op = SCN_VECTORS;
                cmd.value = rng() % 500;
            }
            if (cmd.op == SCN_ADD || cmd.op == SCN_REMOVE)
                cmd.node_len = (uint32_t)snprintf(cmd.node, sizeof cmd.node, "n%u", (unsigned)(rng() % 6));
            size_t count = s.store.count;
            snapshot(&s, before);
            assert_int_equal(sim_apply(&s, &cmd, &step, err, sizeof err), 0);
            check_invariants(&s, before, count, &step);
        }
        sim_free(&s);
    }
    free(before);
    ring_debug_set_point_mask(~(uint64_t)0);
}

static void incremental_equals_full(void **state)
{
    (void)state;
    run_sequences(3000, 30, ~(uint64_t)0);
}

/* With point hashes narrowed to 10 bits many points collide: re-salting
 * runs constantly, and everything above must still hold. */
static void incremental_equals_full_with_collisions(void **state)
{
    (void)state;
    run_sequences(300, 30, 0xFFC0000000000000ull);
}

static void resalting_is_deterministic(void **state)
{
    (void)state;
    ring_debug_set_point_mask(0xF000000000000000ull); /* 16 distinct positions */
    ring_t a, b;
    char err[128];
    uint16_t slot;
    ring_init(&a, 5);
    ring_init(&b, 5);
    assert_int_equal(ring_add(&a, "x", 1, &slot, err, sizeof err), RING_OK);
    assert_int_equal(ring_add(&a, "y", 1, &slot, err, sizeof err), RING_OK);
    assert_int_equal(ring_add(&b, "x", 1, &slot, err, sizeof err), RING_OK);
    assert_int_equal(ring_add(&b, "y", 1, &slot, err, sizeof err), RING_OK);
    assert_int_equal(a.count, 10);
    assert_memory_equal(a.pos, b.pos, a.count * sizeof *a.pos);
    assert_memory_equal(a.node, b.node, a.count * sizeof *a.node);
    for (uint32_t i = 1; i < a.count; i++)
        assert_true(a.pos[i - 1] < a.pos[i]);
    /* A rebuild with the same vnodes re-creates the same points. */
    uint64_t saved[10];
    memcpy(saved, a.pos, sizeof saved);
    assert_int_equal(ring_rebuild(&a, 5, err, sizeof err), RING_OK);
    assert_memory_equal(saved, a.pos, sizeof saved);
    ring_free(&a);
    ring_free(&b);
    ring_debug_set_point_mask(~(uint64_t)0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(incremental_equals_full),
        cmocka_unit_test(incremental_equals_full_with_collisions),
        cmocka_unit_test(resalting_is_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
