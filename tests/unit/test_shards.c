/* Generic shards (DESIGN §1c; shardmap.h, strat_shards.c): the worked value
 * and the laws that must hold after every step of random scenarios.
 *
 * - a key's shard never changes (khash mod S, whatever happens to nodes);
 * - a key's owner is its shard's primary;
 * - after a balancer run (add, remove, weight, recover, rebalance) every node
 *   leads its target (max - min <= 1 at equal weights), with the fewest
 *   moves: the shards of a node that left plus each node's surplus;
 * - the step's change list is exactly the shards whose holders changed,
 *   with their holders before and after; shards_moved is the holders they
 *   gained (0 at a crash), so at one copy the shards whose holder set
 *   changed;
 * - keys moved = the sizes of the shards whose primary moved (their keys
 *   with data); a crash moves none and promotes the led shards' keys;
 * - holders are distinct live nodes, min(R, n) after graceful steps;
 * - refused commands (unknown shard or node, a crashed node, the node that
 *   holds it, no shards) change nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shardmap.h"
#include "sim.h"
#include "test_cmd.h"
#include "test_rng.h"

static void start(sim_t *s, const char *const *nodes, size_t n, uint32_t shards, uint64_t vectors, uint32_t replicas)
{
    sim_config_t cfg = {.nodes = nodes, .node_count = n, .vnodes = 8, .vectors = vectors, .dim = 4, .seed = 1,
                        .strategy = STRAT_SHARDS, .repl_on = replicas > 1, .replicas = replicas};
    cfg.params.shards = shards;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(s, &cfg, &step, err, sizeof err), 0);
}

/* DESIGN §1c's worked value: S = 12 over a, b, c, then add d: three shards
 * move, one from each (the lowest each leads), and each node leads 3. */
static void worked_value(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c"};
    sim_t s;
    start(&s, nodes, 3, 12, 6000, 1);
    const shardmap_t *m = sim_shards(&s);
    assert_non_null(m);
    for (uint32_t sh = 0; sh < 12; sh++)
        assert_int_equal(shardmap_primary(m, sh), s.nodes.rank[sh % 3]);
    uint64_t sizes = 0;
    for (uint32_t sh = 0; sh < 3; sh++)
        sizes += shardmap_keys(m, sh);
    sim_step_t step;
    char err[256];
    scn_cmd_t add = cmd_of(SCN_ADD, "d", 0);
    assert_int_equal(sim_apply(&s, &add, &step, err, sizeof err), 0);
    m = sim_shards(&s);
    uint16_t d = ring_find_node(&s.ring, "d", 1);
    assert_int_equal(sim_shards_moved(&s), 3);
    assert_int_equal(sim_shard_primaries_moved(&s), 3);
    const shardmap_change_t *c;
    assert_int_equal(sim_shard_changes(&s, &c), 3);
    for (uint32_t i = 0; i < 3; i++) {
        assert_int_equal(c[i].shard, i); /* a gives 0, b gives 1, c gives 2 */
        assert_int_equal(c[i].from[0], s.nodes.rank[i]);
        assert_int_equal(c[i].to[0], d);
    }
    uint64_t led[RS_MAX_NODES];
    shardmap_primary_counts(m, led);
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(led[s.nodes.rank[i]], 3);
    assert_int_equal(step.moved, sizes);
    assert_int_equal(s.store.counts[d], sizes);
    sim_free(&s);
}

/* Quantisation: S = 6 on 4 nodes is 2/2/1/1 (targets by largest remainder,
 * ties to the lower rank); 64 on 5 is 13/13/13/13/12; weights 1:2:2 of 10
 * are 2/4/4. */
static void targets_by_largest_remainder(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c", "d", "e"};
    static const struct {
        uint32_t shards, n;
        uint32_t weights[5], want[5];
    } cases[] = {
        {6, 4, {1, 1, 1, 1}, {2, 2, 1, 1}},
        {64, 5, {1, 1, 1, 1, 1}, {13, 13, 13, 13, 12}},
        {10, 3, {1, 2, 2}, {2, 4, 4}},
        {7, 3, {1, 1, 1}, {3, 2, 2}},
        {3, 5, {1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}},
        {100, 3, {3, 1, 1}, {60, 20, 20}},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sim_t s;
        start(&s, nodes, cases[k].n, cases[k].shards, 500, 1);
        for (uint32_t i = 0; i < cases[k].n; i++) {
            if (cases[k].weights[i] == 1)
                continue;
            sim_step_t step;
            char err[256];
            scn_cmd_t w = cmd_of(SCN_WEIGHT, nodes[i], cases[k].weights[i]);
            assert_int_equal(sim_apply(&s, &w, &step, err, sizeof err), 0);
        }
        uint32_t target[8];
        assert_int_equal(shardmap_targets(sim_shards(&s), &s.nodes, target), 0);
        uint64_t led[RS_MAX_NODES];
        shardmap_primary_counts(sim_shards(&s), led);
        for (uint32_t i = 0; i < cases[k].n; i++) {
            assert_int_equal(target[i], cases[k].want[i]);
            assert_int_equal(led[s.nodes.rank[i]], cases[k].want[i]);
        }
        sim_free(&s);
    }
}

/* ---- random scenarios ------------------------------------------------------ */

typedef struct snapshot {
    uint32_t shards;
    uint16_t hold[1024 * SHARDMAP_STRIDE];
    uint8_t held[1024];
    uint8_t lost[1024];
    uint64_t led[RS_MAX_NODES];
} snapshot_t;

static void take(const sim_t *s, snapshot_t *x)
{
    const shardmap_t *m = sim_shards(s);
    x->shards = m->shards;
    memcpy(x->hold, m->hold, (size_t)m->shards * SHARDMAP_STRIDE * sizeof *m->hold);
    memcpy(x->held, m->held, m->shards);
    memcpy(x->lost, m->lost, m->shards);
    shardmap_primary_counts(m, x->led);
}

/* Keys of shard sh that still have data (a lost shard's have none). */
static uint64_t size_with_data(const sim_t *s, uint32_t sh)
{
    const shardmap_t *m = sim_shards(s);
    size_t n;
    const uint32_t *pos = shardmap_positions(m, sh, &n);
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !s->repl.on || !(s->repl.held[s->store.index[pos[i]]] & REPL_LOST);
    return k;
}

static void check_step(const sim_t *s, const sim_step_t *step, scn_op_t op, const snapshot_t *before,
                       const uint32_t *shard_of_index)
{
    const shardmap_t *m = sim_shards(s);
    uint32_t S = m->shards, want = strat_copies_wanted(&s->nodes);
    /* Every key: same shard as ever, owned by its shard's primary. */
    uint64_t counts[RS_MAX_NODES + 1] = {0};
    for (size_t p = 0; p < s->store.count; p++) {
        strat_key_t key;
        sim_key_at(s, p, &key);
        uint32_t sh = shardmap_shard_of(m, &key);
        assert_int_equal(sh, shard_of_index[s->store.index[p]]);
        uint16_t owner = shardmap_primary(m, sh);
        assert_int_equal(s->store.owner[p], owner);
        counts[owner == RING_NONE ? RS_MAX_NODES : owner]++;
    }
    for (uint32_t slot = 0; slot < RS_MAX_NODES; slot++)
        if (slot < s->ring.slot_count && s->ring.nodes[slot].live)
            assert_int_equal(counts[slot], s->store.counts[slot]);
    /* Holders: distinct live nodes; full lists after graceful steps. */
    for (uint32_t sh = 0; sh < S; sh++) {
        uint32_t hn;
        const uint16_t *h = shardmap_holders(m, sh, &hn);
        assert_true(hn <= want);
        if (step->changed && op != SCN_FAIL) /* graceful steps and heal fill every list */
            assert_int_equal(hn, want);
        for (uint32_t j = 0; j < hn; j++) {
            assert_true(s->ring.nodes[h[j]].live);
            for (uint32_t i = 0; i < j; i++)
                assert_int_not_equal(h[i], h[j]);
        }
    }
    /* The change list: exactly the shards whose holders changed. */
    const shardmap_change_t *c;
    uint32_t changes = sim_shard_changes(s, &c), listed = 0, set_changed = 0, primaries = 0;
    uint64_t gained = 0, moved_keys = 0;
    for (uint32_t sh = 0; sh < S; sh++) {
        uint32_t hn, bn = before->held[sh];
        const uint16_t *h = shardmap_holders(m, sh, &hn), *b = before->hold + (size_t)sh * SHARDMAP_STRIDE;
        int same = hn == bn && memcmp(h, b, hn * sizeof *h) == 0;
        if (same)
            continue;
        assert_true(listed < changes);
        assert_int_equal(c[listed].shard, sh);
        assert_int_equal(c[listed].from_n, bn);
        assert_int_equal(c[listed].to_n, hn);
        assert_memory_equal(c[listed].from, b, bn * sizeof *b);
        assert_memory_equal(c[listed].to, h, hn * sizeof *h);
        listed++;
        int set_same = hn == bn;
        for (uint32_t j = 0; j < hn && set_same; j++)
            set_same = strat_list_has(b, bn, h[j]);
        set_changed += !set_same && hn > 0; /* the last node leaving: lost, not moved */
        for (uint32_t j = 0; j < hn; j++)
            gained += !strat_list_has(b, bn, h[j]);
        if ((bn ? b[0] : RING_NONE) != (hn ? h[0] : RING_NONE)) {
            primaries++;
            moved_keys += size_with_data(s, sh);
        }
    }
    assert_int_equal(listed, changes);
    assert_int_equal(sim_shard_primaries_moved(s), primaries);
    if (op == SCN_FAIL) {
        assert_int_equal(sim_shards_moved(s), 0); /* a crash copies nothing */
        assert_int_equal(step->moved, 0);
        assert_int_equal(s->repl.promoted, moved_keys); /* lost shards' keys have no data */
    } else {
        assert_int_equal(sim_shards_moved(s), gained);
        if (s->nodes.replicas == 1) /* one copy: a shard moved is a shard whose holder changed */
            assert_int_equal(sim_shards_moved(s), set_changed);
        assert_int_equal(step->moved, moved_keys);
        assert_int_equal(s->repl.promoted, 0);
    }
    /* After a balancer run: targets met, with the fewest moves. */
    int balanced = op == SCN_ADD || op == SCN_REMOVE || op == SCN_WEIGHT || op == SCN_RECOVER || op == SCN_REBALANCE;
    if (balanced && step->changed && s->nodes.n) {
        uint32_t target[RS_MAX_NODES];
        assert_int_equal(shardmap_targets(m, &s->nodes, target), 0);
        uint64_t led[RS_MAX_NODES], lo = UINT64_MAX, hi = 0, fewest = 0;
        shardmap_primary_counts(m, led);
        for (uint32_t i = 0; i < s->nodes.n; i++) {
            uint16_t slot = s->nodes.rank[i];
            assert_int_equal(led[slot], target[i]);
            lo = led[slot] < lo ? led[slot] : lo;
            hi = led[slot] > hi ? led[slot] : hi;
            fewest += before->led[slot] > target[i] ? before->led[slot] - target[i] : 0;
        }
        if (s->nodes.weights_equal)
            assert_true(hi - lo <= 1);
        /* Shards led by a node that is gone (removed, or crashed earlier
         * and so re-created already) move too. */
        uint64_t orphans = 0;
        for (uint32_t sh = 0; sh < S; sh++) {
            uint16_t p = before->held[sh] ? before->hold[(size_t)sh * SHARDMAP_STRIDE] : RING_NONE;
            orphans += p == RING_NONE || !s->ring.nodes[p].live;
        }
        assert_int_equal(primaries, orphans + fewest);
    }
}

static const char *const NAMES[] = {"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7"};

/* Runs c on s and checks the laws; returns 1 if it changed something. */
static int step_checked(sim_t *s, scn_cmd_t c, const uint32_t *shard_of_index)
{
    snapshot_t *before = malloc(sizeof *before);
    assert_non_null(before);
    take(s, before);
    sim_step_t step;
    char err[256];
    if (sim_apply(s, &c, &step, err, sizeof err) != 0) {
        /* Refused: nothing changed. */
        snapshot_t *after = malloc(sizeof *after);
        assert_non_null(after);
        take(s, after);
        assert_memory_equal(after->hold, before->hold, (size_t)before->shards * SHARDMAP_STRIDE * 2);
        assert_memory_equal(after->held, before->held, before->shards);
        free(after);
        free(before);
        return 0;
    }
    check_step(s, &step, c.op, before, shard_of_index);
    free(before);
    return step.changed;
}

static void random_scenarios(void **state)
{
    (void)state;
    unsigned taken[SCN_REBALANCE + 1] = {0};
    for (unsigned seq = 0; seq < 60; seq++) {
        rng_state = 0x5EED0000ull + seq * 0x9E3779B97F4A7C15ull;
        static const uint32_t sizes[] = {1, 3, 7, 12, 64, 100, 1000};
        uint32_t S = sizes[rng() % 7], R = 1 + (uint32_t)(rng() % 3);
        size_t n = 1 + rng() % 5;
        sim_t s;
        start(&s, NAMES, n, S, rng() % 3000, R);
        uint32_t *shard_of_index = malloc((s.store.count + 1) * sizeof *shard_of_index);
        assert_non_null(shard_of_index);
        for (size_t p = 0; p < s.store.count; p++)
            shard_of_index[s.store.index[p]] = (uint32_t)(s.store.hash[p] % S);
        for (unsigned op = 0; op < 30; op++) {
            const char *who = NAMES[rng() % 8];
            scn_cmd_t c;
            switch (rng() % 10) {
            case 0: c = cmd_of(SCN_ADD, who, 0); break;
            case 1: c = cmd_of(SCN_REMOVE, who, 0); break;
            case 2: c = cmd_of(SCN_WEIGHT, who, 1 + rng() % 4); break;
            case 3: c = cmd_of(SCN_FAIL, who, 0); break;
            case 4: /* mostly a node that did crash */
                c = cmd_of(SCN_RECOVER, s.repl.crashed_count ? s.repl.crashed[rng() % s.repl.crashed_count] : who, 0);
                break;
            case 5: c = cmd_of(SCN_HEAL, NULL, 0); break;
            case 6:
            case 7: c = cmd_of(SCN_MOVE, who, rng() % (S + 1)); break; /* sometimes no such shard */
            case 8: c = cmd_of(SCN_REBALANCE, NULL, 0); break;
            default:
                c = cmd_of(SCN_ZONE, who, 0);
                snprintf(c.zone, sizeof c.zone, "z%u", (unsigned)(rng() % 3));
                break;
            }
            int changed = step_checked(&s, c, shard_of_index);
            taken[c.op] += (unsigned)changed;
            /* Any later change heals as it streams (repl.h): a heal has
             * copies to make mostly right after a crash. */
            if (c.op == SCN_FAIL && changed && rng() % 4) {
                op++;
                taken[SCN_HEAL] += (unsigned)step_checked(&s, cmd_of(SCN_HEAL, NULL, 0), shard_of_index);
            }
        }
        free(shard_of_index);
        sim_free(&s);
    }
    static const scn_op_t ops[] = {SCN_ADD, SCN_REMOVE, SCN_WEIGHT, SCN_FAIL, SCN_RECOVER, SCN_HEAL, SCN_MOVE,
                                   SCN_REBALANCE, SCN_ZONE};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        printf("%s: %u steps that changed something\n", scn_op_name(ops[i]), taken[ops[i]]);
        assert_true(taken[ops[i]] >= 20);
    }
}

/* A crash at R = 2 promotes the second copy of each shard the node led;
 * at R = 1 those shards are lost (their keys counted) and re-created empty
 * where the deficit is largest; recover brings the node back empty, then
 * the balancer runs. */
static void crash_promote_lose_recover(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c"};
    for (uint32_t R = 1; R <= 2; R++) {
        sim_t s;
        start(&s, nodes, 3, 8, 2000, R);
        const shardmap_t *m = sim_shards(&s);
        uint16_t a = ring_find_node(&s.ring, "a", 1);
        uint16_t second[8];
        uint64_t led_keys = 0;
        for (uint32_t sh = 0; sh < 8; sh++) {
            uint32_t hn;
            const uint16_t *h = shardmap_holders(m, sh, &hn);
            second[sh] = hn > 1 ? h[1] : RING_NONE;
            if (h[0] == a)
                led_keys += shardmap_keys(m, sh);
        }
        sim_step_t step;
        char err[256];
        scn_cmd_t fail = cmd_of(SCN_FAIL, "a", 0);
        assert_int_equal(sim_apply(&s, &fail, &step, err, sizeof err), 0);
        m = sim_shards(&s);
        assert_int_equal(step.moved, 0);
        assert_int_equal(s.repl.copies, 0);
        for (uint32_t sh = 0; sh < 8; sh += 3) { /* a led 0, 3, 6 */
            if (R == 2) {
                assert_int_equal(shardmap_primary(m, sh), second[sh]);
                assert_false(shardmap_lost(m, sh));
            } else {
                assert_true(shardmap_lost(m, sh));
            }
        }
        assert_int_equal(R == 2 ? s.repl.promoted : s.repl.lost, led_keys);
        assert_int_equal(R == 2 ? s.repl.lost : s.repl.promoted, 0);
        /* dist: the keys each node holds data for. */
        uint64_t held = 0;
        for (uint32_t i = 0; i < s.nodes.n; i++)
            held += sim_counts(&s)[s.nodes.rank[i]];
        assert_int_equal(held, s.store.count - s.repl.lost_total);
        scn_cmd_t rec = cmd_of(SCN_RECOVER, "a", 0);
        assert_int_equal(sim_apply(&s, &rec, &step, err, sizeof err), 0);
        a = ring_find_node(&s.ring, "a", 1);
        uint64_t led[RS_MAX_NODES];
        shardmap_primary_counts(sim_shards(&s), led);
        assert_true(led[a] >= 2); /* back, empty, and balanced: 8 over 3 is 3/3/2 */
        /* It holds the keys of the shards it leads, lost ones' excepted
         * (at one copy the shards a's crash lost have no data). */
        m = sim_shards(&s);
        uint64_t want = 0;
        for (uint32_t sh = 0; sh < 8; sh++)
            if (shardmap_primary(m, sh) == a && !shardmap_lost(m, sh))
                want += shardmap_keys(m, sh);
        assert_int_equal(sim_counts(&s)[a], want);
        sim_free(&s);
    }
}

/* Refused commands leave everything as it was; rebalance with nothing to
 * do changes nothing and says so. */
static void refusals(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c"};
    sim_t s;
    start(&s, nodes, 3, 12, 1000, 1);
    sim_step_t step;
    char err[256];
    scn_cmd_t bad[] = {cmd_of(SCN_MOVE, "a", 12), cmd_of(SCN_MOVE, "zz", 1), cmd_of(SCN_MOVE, "a", 0)};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(sim_apply(&s, &bad[i], &step, err, sizeof err), -1);
    assert_non_null(strstr(err, "a already holds shard 0"));
    scn_cmd_t fail = cmd_of(SCN_FAIL, "b", 0), to_b = cmd_of(SCN_MOVE, "b", 0);
    assert_int_equal(sim_apply(&s, &fail, &step, err, sizeof err), 0);
    assert_int_equal(sim_apply(&s, &to_b, &step, err, sizeof err), -1);
    assert_non_null(strstr(err, "b has crashed"));
    scn_cmd_t rebalance = cmd_of(SCN_REBALANCE, NULL, 0);
    assert_int_equal(sim_apply(&s, &rebalance, &step, err, sizeof err), 0);
    assert_int_equal(step.changed, 0);
    assert_non_null(strstr(step.message, "Already balanced"));
    /* After a move by hand the balancer has work again. */
    scn_cmd_t move = cmd_of(SCN_MOVE, "a", 2); /* c's */
    assert_int_equal(sim_apply(&s, &move, &step, err, sizeof err), 0);
    assert_int_equal(step.changed, 1);
    assert_int_equal(sim_shards_moved(&s), 1);
    assert_int_equal(sim_apply(&s, &rebalance, &step, err, sizeof err), 0);
    assert_int_equal(step.changed, 1);
    assert_int_equal(sim_shard_primaries_moved(&s), 1);
    /* Under a strategy without shards: refused, nothing changes. */
    scn_cmd_t ring = {.op = SCN_STRATEGY, .value = STRAT_RING};
    assert_int_equal(sim_apply(&s, &ring, &step, err, sizeof err), 0);
    assert_null(sim_shards(&s));
    assert_int_equal(sim_apply(&s, &move, &step, err, sizeof err), -1);
    assert_non_null(strstr(err, "ring has no shards"));
    sim_free(&s);
}

/* S < n: the nodes left without shards are said in the message. */
static void idle_nodes_are_told(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c", "d", "e"};
    sim_t s;
    sim_config_t cfg = {.nodes = nodes, .node_count = 5, .vnodes = 8, .vectors = 100, .dim = 4, .seed = 1,
                        .strategy = STRAT_SHARDS};
    cfg.params.shards = 3;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
    assert_string_equal(step.message, "Initial ring; 3 shards over 5 nodes: d, e hold none");
    scn_cmd_t add = cmd_of(SCN_ADD, "f", 0);
    assert_int_equal(sim_apply(&s, &add, &step, err, sizeof err), 0);
    assert_int_equal(step.moved, 0);
    assert_string_equal(step.message, "Added f; 3 shards over 6 nodes: d, e, f hold none");
    sim_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_value),
        cmocka_unit_test(targets_by_largest_remainder),
        cmocka_unit_test(crash_promote_lose_recover),
        cmocka_unit_test(refusals),
        cmocka_unit_test(idle_nodes_are_told),
        cmocka_unit_test(random_scenarios),
    };
    return cmocka_run_group_tests_name("test_shards", tests, NULL, NULL);
}
