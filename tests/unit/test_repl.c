/* Replicas, zones, crashes (repl.h): laws that must hold under every
 * strategy, on random scenarios.
 *
 * - every preference list has min(R, n) distinct live nodes, the owner first;
 * - with zones, a list spans min(R, zones) distinct zones;
 * - a graceful removal never loses a key;
 * - R copies across >= R zones: crashing a whole zone loses nothing;
 * - R = 1: a crash loses exactly the crashed node's keys;
 * - bytes = copies x (dim x 4 + record bytes), and the transfer time is the
 *   busiest node's max(in, out) / bandwidth;
 * - heal leaves every surviving key with its full list of copies;
 * - new keys (vectors N) are written where they belong, not copied.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sim.h"
#include "simjson.h"
#include "test_cmd.h"
#include "test_table.h"

static uint64_t rng_state;
static uint64_t rng(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return rng_state >> 17;
}

/* Runs c; returns 1 if it changed anything. */
static int apply(sim_t *s, scn_cmd_t c)
{
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_apply(s, &c, &step, err, sizeof err), 0);
    return step.changed;
}

static const char *zone_of_slot(const sim_t *s, uint16_t slot)
{
    return repl_zone_of(&s->repl, s->ring.nodes[slot].id);
}

static uint32_t live_zones(const sim_t *s)
{
    const char *seen[RS_MAX_NODES];
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->nodes.n; i++) {
        const char *z = zone_of_slot(s, s->nodes.rank[i]);
        int found = 0;
        for (uint32_t j = 0; j < n && z; j++)
            found |= seen[j] && strcmp(seen[j], z) == 0;
        if (!found)
            seen[n++] = z; /* NULL: a node without a zone is a zone of its own */
    }
    return n;
}

/* What strategies promise where they differ, by name (test_table.h). */
static const struct promise {
    const char *name;
    int resize_keeps_keys;      /* new keys leave every old key where it was */
    int removal_moves_only_its; /* a removal (or crash) re-places only the removed node's keys */
    int resize_keeps_copies;    /* new keys leave copies where they are (so a resize heals nothing) */
    int zones_spread;           /* lists hold min(R, zones) distinct zones */
    int lists_kept;             /* copies move only when the system moves them: lists may run short of
                                   min(R, n) until heal (an added node gets none), and heal fills them */
} promises[] = {
    {"ring", 1, 1, 0, 1, 0},     {"modulo", 1, 0, 0, 1, 0},  {"jump", 1, 0, 0, 1, 0},
    {"rendezvous", 1, 1, 0, 1, 0}, {"maglev", 1, 0, 0, 1, 0}, {"bounded", 0, 0, 0, 1, 0},
    {"multiprobe", 1, 1, 0, 1, 0}, {"ketama", 1, 0, 0, 1, 0},
    /* a crash promotes copies of its shards only; no balancer runs; copies
     * are shards' holders, which keys do not move */
    {"shards", 1, 1, 1, 1, 0},
    {"redis-cluster", 1, 1, 1, 1, 0}, /* a master's slots' replicas: the next ranks, zones first */
    /* its balancer moves other nodes' copies after a removal; zones cap
     * copies per zone (ceil(R / zones)) rather than spread them */
    {"elasticsearch", 1, 0, 1, 0, 0},
    {"qdrant", 1, 1, 1, 0, 1},        /* nothing moves by itself */
    {"milvus", 1, 1, 1, 1, 0},
    {"cassandra", 1, 1, 0, 1, 0},     /* NetworkTopologyStrategy: one replica a rack while racks remain */
    {"kafka", 1, 1, 1, 0, 1},
    {"weaviate", 1, 1, 1, 0, 1},
};

#define TEST_ROW_OF(kind) ((const struct promise *)TEST_ROW(promises, (kind)))

static const struct promise *promise_of(strat_kind_t kind) { return TEST_ROW_OF(kind); }

/* Lists: min(R, n) distinct live nodes, owner first, distinct zones while
 * there are zones to spread over (where the strategy promises it). Holders
 * after a graceful change or heal: exactly the list. */
static void check_lists(const sim_t *s, int healed, int crashed)
{
    const repl_t *r = &s->repl;
    uint32_t want = r->replicas < s->nodes.n ? r->replicas : s->nodes.n;
    uint32_t zones = live_zones(s);
    int spread = promise_of(s->strat.kind)->zones_spread;
    /* A strategy that keeps its copies' places (a shard's holders) leaves
     * them short after a crash, until heal; the walk refills a list. */
    int short_lists = crashed && s->strat.ops->holders;
    for (size_t pos = 0; pos < s->store.count; pos++) {
        uint32_t k = s->store.index[pos];
        const uint16_t *p = r->pref + (size_t)k * r->stride;
        uint32_t pn = r->pref_len[k];
        if (short_lists) {
            assert_true(pn <= want && (pn > 0 || want == 0));
            for (uint32_t i = 0; i < pn; i++) {
                assert_true(s->ring.nodes[p[i]].live);
                for (uint32_t j = 0; j < i; j++)
                    assert_int_not_equal(p[i], p[j]);
            }
            if (pn)
                assert_int_equal(p[0], s->store.owner[pos]);
            continue;
        }
        assert_int_equal(pn, want);
        if (pn)
            assert_int_equal(p[0], s->store.owner[pos]);
        uint32_t distinct_zones = 0;
        for (uint32_t i = 0; i < pn; i++) {
            assert_true(s->ring.nodes[p[i]].live);
            int zone_seen = 0;
            for (uint32_t j = 0; j < i; j++) {
                assert_int_not_equal(p[i], p[j]);
                const char *a = zone_of_slot(s, p[i]), *b = zone_of_slot(s, p[j]);
                zone_seen |= a && b && strcmp(a, b) == 0;
            }
            distinct_zones += !zone_seen;
        }
        if (spread)
            assert_int_equal(distinct_zones, want < zones ? want : zones);
        if (healed && !(r->held[k] & REPL_LOST)) {
            assert_int_equal(r->held[k], pn);
            assert_memory_equal(r->hold + (size_t)k * r->stride, p, pn * sizeof *p);
        }
    }
}

static void check_cost(const sim_t *s)
{
    const repl_t *r = &s->repl;
    assert_true(r->bytes == r->copies * ((uint64_t)s->dim * 4 + r->record_bytes));
    uint64_t in = 0, out = 0, busiest = 0;
    for (uint32_t slot = 0; slot < RS_MAX_NODES; slot++) {
        in += r->bytes_in[slot];
        out += r->bytes_out[slot];
        uint64_t b = r->bytes_in[slot] > r->bytes_out[slot] ? r->bytes_in[slot] : r->bytes_out[slot];
        busiest = b > busiest ? b : busiest;
    }
    assert_true(in == r->bytes && out == r->bytes);
    assert_true(r->seconds == (double)busiest / r->bandwidth);
}

static const char *const ZONES[] = {"z0", "z1", "z2", "z3"};


/* The laws above, on random scenarios, for one strategy. */
static void laws(void **state)
{
    strat_kind_t kind = test_kind(state);
    for (unsigned seq = 0; seq < 25; seq++) {
        rng_state = 0x51ED2701ull ^ (seq * 0x100000001B3ull + (uint64_t)kind * 7919 + 1);
        char names[10][8];
        const char *ptrs[10], *znodes[10], *znames[10];
        for (unsigned i = 0; i < 10; i++) {
            snprintf(names[i], sizeof names[i], "n%u", i);
            ptrs[i] = names[i];
        }
        unsigned initial = 3 + (unsigned)(rng() % 5), zone_count = (unsigned)(rng() % 5);
        size_t zoned = 0;
        for (unsigned i = 0; i < initial && zone_count; i++) {
            if (rng() % 5 == 0)
                continue; /* some nodes without a zone */
            znodes[zoned] = ptrs[i];
            znames[zoned++] = ZONES[i % zone_count];
        }
        sim_config_t cfg = {.nodes = ptrs, .node_count = initial, .vnodes = 1 + (uint32_t)(rng() % 20),
                            .vectors = 200 + rng() % 2000, .dim = 1 + (uint32_t)(rng() % 64), .seed = 1,
                            .strategy = kind, .repl_on = 1, .replicas = 1 + (uint32_t)(rng() % 4),
                            .record_bytes = (uint32_t)(rng() % 100), .record_bytes_set = 1,
                            .bandwidth = 1e3 + (double)(rng() % 1000000), .zone_nodes = znodes,
                            .zone_names = znames, .zone_count = zoned};
        cfg.params.table = 251;
        sim_t s;
        sim_step_t step;
        char err[256];
        assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
        check_lists(&s, 1, 0);
        int unhealed = 0; /* a crash left holders short of their lists */
        for (unsigned op = 0; op < 20; op++) {
            unsigned r = (unsigned)(rng() % 13);
            const char *who = names[rng() % 10];
            uint64_t lost_before = s.repl.lost_total;
            int changed;
            if (r < 3) {
                changed = apply(&s, cmd_of(SCN_ADD, who, 0));
            } else if (r < 5) {
                changed = apply(&s, cmd_of(SCN_REMOVE, who, 0));
                assert_true(s.repl.lost == 0 || s.nodes.n == 0); /* graceful: nothing lost */
            } else if (r < 7) {
                if (apply(&s, cmd_of(SCN_FAIL, who, 0)))
                    unhealed = 1; /* holders differ from the lists until healed */
                assert_int_equal(s.repl.copies, 0);
                check_cost(&s);
                check_lists(&s, 0, unhealed);
                continue;
            } else if (r == 7) {
                changed = apply(&s, cmd_of(SCN_RECOVER, who, 0));
            } else if (r == 8) {
                changed = apply(&s, cmd_of(SCN_REPLICAS, NULL, 1 + rng() % REPL_MAX));
            } else if (r == 9) {
                scn_cmd_t c = cmd_of(SCN_ZONE, who, 0);
                snprintf(c.zone, sizeof c.zone, "%s", ZONES[rng() % 4]);
                changed = apply(&s, c);
            } else if (r == 12) {
                /* Heavy nodes leave light ones without ketama points. */
                if (!strat_ops(kind)->weighted)
                    continue;
                changed = apply(&s, cmd_of(SCN_WEIGHT, who, rng() % 2 ? 1 : 100 + rng() % 900));
            } else if (r == 10) {
                changed = apply(&s, cmd_of(SCN_HEAL, NULL, 0));
                assert_int_equal(s.repl.under, 0);
            } else {
                /* New keys are written, not copied; dropped ones take their
                 * losses with them. */
                changed = apply(&s, cmd_of(SCN_VECTORS, NULL, rng() % 3000));
                lost_before = 0;
                /* Nothing else moves (but bounded re-places every key: its
                 * capacities follow the key count). */
                if ((!unhealed && TEST_ROW_OF(kind)->resize_keeps_keys) || TEST_ROW_OF(kind)->resize_keeps_copies)
                    assert_int_equal(s.repl.copies, 0);
                if (TEST_ROW_OF(kind)->resize_keeps_copies)
                    changed = 0; /* nothing streamed: what a crash left short stays short */
            }
            /* Every change streams keys to their lists; a system that keeps
             * its copies where they are fills them on heal only. */
            if (changed && (!TEST_ROW_OF(kind)->lists_kept || r == 10))
                unhealed = 0;
            if (TEST_ROW_OF(kind)->lists_kept && r != 10)
                unhealed = 1; /* an add, or one more replica, leaves lists short */
            assert_true(s.repl.lost_total >= lost_before);
            check_cost(&s);
            check_lists(&s, !unhealed, unhealed);
        }
        sim_free(&s);
    }
}

/* 9 nodes in 3 zones, R = 3: every key has one copy per zone, so losing a
 * whole zone loses nothing, and heal brings every key back to 3 copies
 * (in the 2 zones left). Under every strategy. */
static void zone_outage(void **state)
{
    strat_kind_t kind = test_kind(state);
    const char *nodes[] = {"a1", "b1", "c1", "a2", "b2", "c2", "a3", "b3", "c3"};
    const char *zones[] = {"za", "zb", "zc", "za", "zb", "zc", "za", "zb", "zc"};
    {
        sim_config_t cfg = {.nodes = nodes, .node_count = 9, .vnodes = 40, .vectors = 3000, .dim = 16, .seed = 1,
                            .strategy = kind, .repl_on = 1, .replicas = 3, .zone_nodes = nodes,
                            .zone_names = zones, .zone_count = 9};
        sim_t s;
        sim_step_t step;
        char err[256];
        assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
        apply(&s, cmd_of(SCN_FAIL, "b1", 0));
        apply(&s, cmd_of(SCN_FAIL, "b2", 0));
        apply(&s, cmd_of(SCN_FAIL, "b3", 0));
        assert_int_equal(s.repl.lost_total, 0);
        assert_true(s.repl.under > 0);
        apply(&s, cmd_of(SCN_HEAL, NULL, 0));
        assert_int_equal(s.repl.under, 0);
        assert_true(s.repl.copies > 0);
        check_lists(&s, 1, 0);
        for (size_t k = 0; k < s.store.count; k++)
            assert_int_equal(s.repl.held[k], 3);
        sim_free(&s);
    }
}

/* R = 1: a crash loses exactly the keys the node owned, by id. */
static void r1_crash_loses_the_node(void **state)
{
    strat_kind_t kind = test_kind(state);
    const char *nodes[] = {"nodeA", "nodeB", "nodeC", "nodeD"};
    {
        sim_config_t cfg = {.nodes = nodes, .node_count = 4, .vnodes = 30, .vectors = 4000, .dim = 8, .seed = 1,
                            .strategy = kind, .repl_on = 1};
        sim_t s;
        sim_step_t step;
        char err[256];
        assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
        uint16_t b = ring_find_node(&s.ring, "nodeB", 5);
        uint8_t owned[4000] = {0};
        uint64_t count = 0;
        for (size_t pos = 0; pos < s.store.count; pos++)
            if (s.store.owner[pos] == b)
                owned[s.store.index[pos]] = 1, count++;
        apply(&s, cmd_of(SCN_FAIL, "nodeB", 0));
        assert_int_equal(s.repl.lost, count);
        for (size_t i = 0; i < s.repl.lost; i++)
            assert_true(owned[s.repl.lost_ids[i]]);
        for (size_t i = 1; i < s.repl.lost; i++)
            assert_true(s.repl.lost_ids[i - 1] < s.repl.lost_ids[i]);
        /* Keys other strategies re-place (modulo's ranks, jump's moved
         * slot, ...) have their copy off their list: one copy each heals
         * them. Strategies that move only the removed node's keys move no
         * other key. */
        uint64_t under = s.repl.under;
        if (TEST_ROW_OF(kind)->removal_moves_only_its)
            assert_int_equal(under, 0);
        /* Healing cannot bring the lost keys back. */
        apply(&s, cmd_of(SCN_HEAL, NULL, 0));
        assert_int_equal(s.repl.copies, under);
        assert_int_equal(s.repl.lost_total, count);
        sim_free(&s);
    }
}

/* A walk that meets fewer nodes than R copies need: ketama gives no point
 * to a node of weight 1 beside two of weight 100, and a Maglev table of 7
 * cells has none for 3 of 10 nodes. The lists still hold min(R, n) nodes
 * (the left-out ones after the walk, in rank order), so crashing the two
 * heavy nodes loses nothing, and the step that leaves nodes out says so. */
static void short_walks_fall_back(void **state)
{
    (void)state;
    const char *five[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};
    sim_config_t cfg = {.nodes = five, .node_count = 5, .vnodes = 80, .vectors = 1000, .dim = 8, .seed = 42,
                        .strategy = STRAT_KETAMA, .repl_on = 1, .replicas = 3};
    sim_t s;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
    scn_cmd_t a = cmd_of(SCN_WEIGHT, "nodeA", 100), b = cmd_of(SCN_WEIGHT, "nodeB", 100);
    assert_int_equal(sim_apply(&s, &a, &step, err, sizeof err), 0);
    assert_int_equal(sim_apply(&s, &b, &step, err, sizeof err), 0);
    assert_non_null(strstr(step.message, "nodeC has no ketama points at weight 1 of 203"));
    assert_int_equal(s.unplaced_count, 3);
    check_lists(&s, 1, 0);
    uint16_t c = ring_find_node(&s.ring, "nodeC", 5);
    for (size_t k = 0; k < s.store.count; k++)
        assert_int_equal(s.repl.pref[k * s.repl.stride + 2], c); /* the first left out, by rank */
    apply(&s, cmd_of(SCN_FAIL, "nodeA", 0));
    apply(&s, cmd_of(SCN_FAIL, "nodeB", 0));
    assert_int_equal(s.repl.lost_total, 0);
    sim_free(&s);

    const char *ten[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    sim_config_t m = {.nodes = ten, .node_count = 10, .vnodes = 1, .vectors = 500, .dim = 8, .seed = 42,
                      .strategy = STRAT_MAGLEV, .repl_on = 1, .replicas = 8};
    m.params.table = 7;
    assert_int_equal(sim_init(&s, &m, &step, err, sizeof err), 0);
    assert_non_null(strstr(step.message, "h owns no table cell (M = 7 cells for 10 nodes), nor do 2 more nodes"));
    check_lists(&s, 1, 0);
    for (int i = 0; i < 7; i++)
        apply(&s, cmd_of(SCN_FAIL, ten[i], 0));
    assert_int_equal(s.repl.lost_total, 0);
    sim_free(&s);
}

/* R = 1 without crashes: copies are exactly the keys that moved. */
static void r1_copies_are_moves(void **state)
{
    (void)state;
    const char *nodes[] = {"nodeA", "nodeB", "nodeC"};
    sim_config_t cfg = {.nodes = nodes, .node_count = 3, .vnodes = 50, .vectors = 5000, .dim = 256, .seed = 1,
                        .repl_on = 1};
    sim_t s;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
    scn_cmd_t add = cmd_of(SCN_ADD, "nodeD", 0);
    assert_int_equal(sim_apply(&s, &add, &step, err, sizeof err), 0);
    assert_true(step.moved > 0);
    assert_int_equal(s.repl.copies, step.moved);
    assert_int_equal(s.repl.bytes, step.moved * (256 * 4 + REPL_RECORD_DEFAULT));
    assert_int_equal(s.repl.bytes_in[ring_find_node(&s.ring, "nodeD", 5)], s.repl.bytes);
    scn_cmd_t rm = cmd_of(SCN_REMOVE, "nodeA", 0);
    assert_int_equal(sim_apply(&s, &rm, &step, err, sizeof err), 0);
    assert_int_equal(s.repl.copies, step.moved);
    sim_free(&s);
}

/* The state writer (simjson.h) says what the simulation says: "lost" is
 * the keys this step lost, "lost_total" all so far, in a step object and
 * in the figures the app's state() shows (which leave out lost_ids and the
 * per-node traffic). */
static void json_lost_is_this_step(void **state)
{
    (void)state;
    const char *nodes[] = {"nodeA", "nodeB", "nodeC", "nodeD"};
    sim_config_t cfg = {.nodes = nodes, .node_count = 4, .vnodes = 30, .vectors = 3000, .dim = 8, .seed = 1,
                        .repl_on = 1};
    sim_t s;
    sim_step_t step;
    char err[256], want[128];
    assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
    scn_cmd_t b = cmd_of(SCN_FAIL, "nodeB", 0), c = cmd_of(SCN_FAIL, "nodeC", 0);
    assert_int_equal(sim_apply(&s, &b, &step, err, sizeof err), 0);
    uint64_t first = s.repl.lost;
    assert_int_equal(sim_apply(&s, &c, &step, err, sizeof err), 0);
    uint64_t second = s.repl.lost;
    assert_true(first > 0 && second > 0);
    json_t j = {0};
    simjson_step(&j, &s, &step);
    assert_false(j.oom);
    snprintf(want, sizeof want, "\"lost\":%llu,\"lost_ids\":[", (unsigned long long)second);
    assert_non_null(strstr(json_text(&j), want));
    snprintf(want, sizeof want, "\"lost_total\":%llu,", (unsigned long long)(first + second));
    assert_non_null(strstr(json_text(&j), want));
    assert_non_null(strstr(json_text(&j), "\"bytes_in\":{"));
    json_reset(&j);
    simjson_repl(&j, &s, 0);
    snprintf(want, sizeof want, ",\"lost\":%llu,\"lost_total\":%llu,", (unsigned long long)second,
             (unsigned long long)(first + second));
    assert_non_null(strstr(json_text(&j), want));
    assert_null(strstr(json_text(&j), "lost_ids"));
    assert_null(strstr(json_text(&j), "bytes_in"));
    assert_non_null(strstr(json_text(&j), "\"crashed\":[\"nodeB\",\"nodeC\"]"));
    json_free(&j);
    sim_free(&s);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(r1_copies_are_moves),
        cmocka_unit_test(short_walks_fall_back),
        cmocka_unit_test(json_lost_is_this_step),
    };
    static const test_each_t each[] = {
        {"laws", laws},
        {"zone outage", zone_outage},
        {"one copy: a crash loses the node", r1_crash_loses_the_node},
    };
    return TEST_RUN_TABLES("test_repl", fixed, each);
}
