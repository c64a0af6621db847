/* place (place.h): a key's place on each strategy's structure and the cells
 * of maglev, jump and modulo, held against the strategies' own lookups; the
 * rendezvous score and the strategies' own points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "place.h"
#include "sim.h"

#include "test_rng.h"
#include "test_table.h"

static const char *const NAMES[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"};

static void start(sim_t *s, strat_kind_t kind, unsigned n, uint64_t vectors)
{
    sim_config_t cfg = {.nodes = NAMES, .node_count = n, .vnodes = 40, .vectors = vectors, .dim = 4, .seed = 1,
                        .strategy = kind, .collect_moves = 1};
    strat_params_default(&cfg.params);
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(s, &cfg, &step, err, sizeof err), 0);
}

static void run(sim_t *s, scn_op_t op, const char *id)
{
    scn_cmd_t cmd = {.op = op};
    snprintf(cmd.node, sizeof cmd.node, "%s", id);
    cmd.node_len = (uint32_t)strlen(cmd.node);
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_apply(s, &cmd, &step, err, sizeof err), 0);
}

/* The key a display means by a ring position lands where a key placed at
 * that position would: its place is the position itself. */
static void key_at_a_position(void **state)
{
    strat_kind_t kind = test_kind(state);
    sim_t s;
    start(&s, kind, 5, 100);
    for (int i = 0; i < 2000; i++) {
        uint64_t pos = rng();
        strat_key_t key;
        place_key_at(&s.strat, pos, &key);
        assert_int_equal(key.index, -1);
        strat_where_t w;
        sim_locate(&s, &key, &w);
        place_t pl;
        place_of(&s.strat, &s.nodes, &key, &w, &pl);
        if (pl.kind == PLACE_RING && !s.strat.ops->key_hash && s.strat.ops->place == place_at_key)
            assert_true(pl.pos == pos);
        if (s.strat.ops->key_hash && s.strat.ops->place == place_at_key) /* the own hash keeps its top bits */
            assert_true(pl.pos >> (64 - s.strat.ops->key_hash->bits) == pos >> (64 - s.strat.ops->key_hash->bits));
    }
    sim_free(&s);
}

/* floor(pos · cells / 2^64) against 128-bit arithmetic. */
static void cell_arithmetic(void **state)
{
    (void)state;
    __extension__ typedef unsigned __int128 u128;
    static const uint64_t sizes[] = {1, 2, 3, 7, 100, 65537, 16777213};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        uint64_t c = sizes[k];
        assert_int_equal(place_cell_at(0, c), 0);
        assert_int_equal(place_cell_at(UINT64_MAX, c), c - 1);
        for (int i = 0; i < 20000; i++) {
            uint64_t p = rng();
            assert_int_equal(place_cell_at(p, c), (uint64_t)(((u128)p * c) >> 64));
            uint64_t cell = rng() % c;
            assert_int_equal(place_cell_at(place_cell_mid(cell, c), c), cell);
        }
    }
}

/* Each strategy's structure over 5 nodes, by name (test_table.h): where
 * its keys are placed, how many cells, how many points of its own. */
static const struct structure {
    const char *name;
    place_kind_t place;
    uint64_t cells;
    uint32_t points;
} structures[] = {
    {"ring", PLACE_RING, 0, 0},       {"modulo", PLACE_CELL, 5, 0},
    {"jump", PLACE_CELL, 5, 0},       {"rendezvous", PLACE_NONE, 0, 0},
    {"maglev", PLACE_CELL, STRAT_TABLE_DEFAULT, 0}, {"bounded", PLACE_RING, 0, 0},
    {"multiprobe", PLACE_RING, 0, 5}, {"ketama", PLACE_RING, 0, 5 * 160}, /* 160 a node at equal weights */
    {"shards", PLACE_CELL, STRAT_SHARDS_DEFAULT, 0},  /* a cell per shard, its primary's */
    {"redis-cluster", PLACE_CELL, 16384, 0},          /* a cell per slot */
    {"elasticsearch", PLACE_CELL, 1, 0},              /* one shard by default */
    {"qdrant", PLACE_RING, 0, 5 * 100},               /* a shard a node, 100 ring points a shard */
    {"milvus", PLACE_CELL, 1, 0},
    {"cassandra", PLACE_RING, 0, 5 * 16},             /* num_tokens 16 */
    {"kafka", PLACE_CELL, 1, 0},
    {"weaviate", PLACE_RING, 0, 5 * 128},             /* 128 virtual shards a shard, a shard a node */
};

/* Every key's place agrees with its owner: a cell's owner, or the owner of
 * the first point at or after the ring place. */
static void places_agree_with_owners(void **state)
{
    strat_kind_t kind = test_kind(state);
    const struct structure *want = TEST_ROW(structures, kind);
    {
        sim_t s;
        start(&s, kind, 5, 3000);
        uint64_t cells = place_cells(&s.strat, &s.nodes);
        const strat_points_t *pts = place_points(&s.strat);
        size_t ring_kind = 0, cell_kind = 0, none = 0;
        for (size_t i = 0; i < s.store.count; i++) {
            strat_key_t key;
            sim_key_at(&s, i, &key);
            strat_where_t w;
            sim_locate(&s, &key, &w);
            assert_int_equal(w.owner, s.store.owner[i]);
            place_t pl;
            place_of(&s.strat, &s.nodes, &key, &w, &pl);
            if (pl.kind == PLACE_CELL) {
                cell_kind++;
                assert_int_equal(pl.cells, cells);
                assert_int_equal(place_cell_owner(&s.strat, &s.nodes, pl.cell), w.owner);
                assert_int_equal(place_cell_at(pl.pos, cells), pl.cell);
            } else if (pl.kind == PLACE_RING) {
                ring_kind++;
                if (pts)
                    assert_int_equal(pts->node[strat_points_successor(pts, pl.pos)], w.owner);
                else
                    assert_int_equal(ring_owner(&s.ring, pl.pos), w.owner);
            } else {
                none++;
            }
        }
        assert_int_equal(cells, want->cells);
        size_t placed = want->place == PLACE_CELL ? cell_kind : want->place == PLACE_RING ? ring_kind : none;
        assert_int_equal(placed, s.store.count);
        if (want->points)
            assert_int_equal(pts->count, want->points);
        else
            assert_null(pts);
        sim_free(&s);
    }
}

/* jump: removing the node of bucket b moves the last bucket's node into b. */
static void jump_cells_swap_on_removal(void **state)
{
    (void)state;
    sim_t s;
    start(&s, STRAT_JUMP, 6, 100);
    uint16_t before[6];
    for (uint64_t c = 0; c < 6; c++)
        before[c] = place_cell_owner(&s.strat, &s.nodes, c);
    run(&s, SCN_REMOVE, s.ring.nodes[before[2]].id);
    assert_int_equal(place_cells(&s.strat, &s.nodes), 5);
    assert_int_equal(place_cell_owner(&s.strat, &s.nodes, 2), before[5]);
    for (uint64_t c = 0; c < 5; c++)
        if (c != 2)
            assert_int_equal(place_cell_owner(&s.strat, &s.nodes, c), before[c]);
    sim_free(&s);
}

/* rendezvous: the highest score is the owner, weighted or not. */
static void rendezvous_scores_pick_the_owner(void **state)
{
    (void)state;
    for (int weighted = 0; weighted < 2; weighted++) {
        sim_t s;
        start(&s, STRAT_RENDEZVOUS, 6, 2000);
        if (weighted) {
            scn_cmd_t cmd = {.op = SCN_WEIGHT, .value = 4};
            snprintf(cmd.node, sizeof cmd.node, "%s", "charlie");
            cmd.node_len = (uint32_t)strlen(cmd.node);
            sim_step_t step;
            char err[256];
            assert_int_equal(sim_apply(&s, &cmd, &step, err, sizeof err), 0);
        }
        for (size_t i = 0; i < s.store.count; i++) {
            strat_key_t key;
            sim_key_at(&s, i, &key);
            double best = -1;
            uint16_t who = RING_NONE;
            for (uint32_t r = 0; r < s.nodes.n; r++) {
                const ring_node_t *nd = &s.ring.nodes[s.nodes.rank[r]];
                double sc = strat_rendezvous_score(key.hash, strat_node_hash(nd->id, nd->id_len), nd->weight,
                                                   !s.nodes.weights_equal);
                assert_true(sc > 0);
                if (sc > best)
                    best = sc, who = s.nodes.rank[r];
            }
            assert_int_equal(who, s.store.owner[i]);
        }
        sim_free(&s);
    }
}

/* bounded: the overflowed keys found by the merge walk are exactly those a
 * lookup places past their successor point. */
static void bounded_overflow_walk(void **state)
{
    (void)state;
    for (uint32_t vnodes = 1; vnodes <= 9; vnodes += 4) {
        sim_config_t cfg = {.nodes = NAMES, .node_count = 6, .vnodes = vnodes, .vectors = 5000, .dim = 4,
                            .seed = 1, .strategy = STRAT_BOUNDED};
        strat_params_default(&cfg.params);
        sim_t s;
        sim_step_t step;
        char err[256];
        assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
        static uint64_t out[5000];
        size_t n = place_overflow(&s.strat, &s.nodes, &s.store, out, 5000), k = 0;
        for (size_t i = 0; i < s.store.count; i++) {
            strat_key_t key;
            sim_key_at(&s, i, &key);
            strat_where_t w;
            sim_locate(&s, &key, &w);
            if (w.probe > 0) {
                assert_true(k < n);
                assert_int_equal(out[k++], key.hash);
            }
        }
        assert_int_equal(k, n);
        assert_true(n > 0);
        assert_int_equal(place_overflow(&s.strat, &s.nodes, &s.store, NULL, 0), n);
        sim_free(&s);
    }
    sim_t s;
    start(&s, STRAT_RING, 3, 100);
    assert_int_equal(place_overflow(&s.strat, &s.nodes, &s.store, NULL, 0), 0);
    sim_free(&s);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(cell_arithmetic),
        cmocka_unit_test(jump_cells_swap_on_removal),
        cmocka_unit_test(rendezvous_scores_pick_the_owner),
        cmocka_unit_test(bounded_overflow_walk),
    };
    static const test_each_t each[] = {
        {"places agree with owners", places_agree_with_owners},
        {"the key at a ring position", key_at_a_position},
    };
    return TEST_RUN_TABLES("test_place", fixed, each);
}
