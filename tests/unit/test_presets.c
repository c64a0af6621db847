/* The presets of real systems (DESIGN §1c; strat_redis.c, strat_es.c, …):
 * what each system does to its shards, step by step, through a sim.
 *
 * - redis-cluster: DESIGN's and routing.md's worked values of redis-cli
 *   (create over 3 and 4 masters, 3 -> 4 and 4 -> 5 with
 *   --cluster-use-empty-masters, a removal as weight 0 + del-node), slots
 *   moved whole;
 * - elasticsearch: the copy-count balancer (max - min <= 1, never two
 *   copies on a node, the zone cap), split keeps every key on its node and
 *   sends shard s's keys to s·F .. s·F + F - 1;
 * - qdrant, kafka, weaviate: add moves nothing and says so; rebalance and
 *   move do; Qdrant's reshard up moves keys only into the new shard and
 *   reshard down restores the ring before it; Kafka's partitions keeps
 *   every record where it was and counts the keys now read from the wrong
 *   partition; Weaviate's 128 virtual shards a shard, drawn from the seed;
 * - milvus: Hash32Int64 mod S, balanced by count;
 * - cassandra: 16 tokens a node, a bootstrap moves keys only to the new
 *   node, replicas by NetworkTopologyStrategy's rack rule (against the
 *   rule written out here as the server's loop);
 * - memcached places as ketama does.
 * The published key -> shard vectors run through `locate` in
 * tests/cli/test_presets.py; the hashes alone in test_syshash.c.
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
#include "sysroute.h"
#include "test_cmd.h"
#include "test_rng.h"

static void start(sim_t *s, strat_kind_t kind, const char *const *nodes, size_t n, uint32_t shards, uint64_t vectors,
                  uint32_t replicas)
{
    sim_config_t cfg = {.nodes = nodes, .node_count = n, .vnodes = 8, .vectors = vectors, .dim = 4, .seed = 42,
                        .strategy = kind, .repl_on = replicas > 1, .replicas = replicas};
    cfg.params.shards = shards;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(s, &cfg, &step, err, sizeof err), 0);
}

static sim_step_t run(sim_t *s, scn_cmd_t c)
{
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_apply(s, &c, &step, err, sizeof err), 0);
    return step;
}

static uint16_t slot_of(const sim_t *s, const char *id) { return ring_find_node(&s->ring, id, strlen(id)); }

/* Node id's shards as ascending runs, "0-1364,5461-6826". */
static void ranges(const sim_t *s, const char *id, char *out, size_t size)
{
    const shardmap_t *m = sim_shards(s);
    uint16_t slot = slot_of(s, id);
    size_t at = 0;
    out[0] = '\0';
    for (uint32_t a = 0; a < m->shards; a++) {
        if (shardmap_primary(m, a) != slot)
            continue;
        uint32_t b = a;
        while (b + 1 < m->shards && shardmap_primary(m, b + 1) == slot)
            b++;
        at += (size_t)snprintf(out + at, size - at, "%s%u-%u", at ? "," : "", a, b);
        a = b;
    }
}

static void assert_ranges(const sim_t *s, const char *id, const char *want)
{
    char got[256];
    ranges(s, id, got, sizeof got);
    assert_string_equal(got, want);
}

/* ---- redis-cluster ---------------------------------------------------------- */

static void redis_worked_values(void **state)
{
    (void)state;
    const char *abc[] = {"a", "b", "c", "d", "e"};
    sim_t s;
    start(&s, STRAT_REDIS, abc, 3, 0, 3000, 1);
    assert_int_equal(sim_shards(&s)->shards, 16384);
    assert_ranges(&s, "a", "0-5460");
    assert_ranges(&s, "b", "5461-10922");
    assert_ranges(&s, "c", "10923-16383");
    /* 3 -> 4 with --cluster-use-empty-masters (DESIGN §1c). */
    sim_step_t step = run(&s, cmd_of(SCN_ADD, "d", 0));
    assert_ranges(&s, "d", "0-1364,5461-6826,10923-12287");
    assert_ranges(&s, "a", "1365-5460");
    assert_ranges(&s, "b", "6827-10922");
    assert_ranges(&s, "c", "12288-16383");
    assert_int_equal(sim_shard_primaries_moved(&s), 4096);
    assert_non_null(strstr(step.message, "rebalance --cluster-use-empty-masters"));
    /* A removal: weight 0, then del-node; a, c, d take b's 4096 slots, a
     * (first in order) the rounding slot. */
    step = run(&s, cmd_of(SCN_REMOVE, "b", 0));
    uint64_t counts[RS_MAX_NODES];
    shardmap_primary_counts(sim_shards(&s), counts);
    assert_int_equal(counts[slot_of(&s, "a")], 5462);
    assert_int_equal(counts[slot_of(&s, "c")], 5461);
    assert_int_equal(counts[slot_of(&s, "d")], 5461);
    assert_int_equal(sim_shard_primaries_moved(&s), 4096); /* b's slots, no other */
    /* Balanced within 2%: rebalance has nothing to do. */
    char err[256];
    scn_cmd_t rebalance = cmd_of(SCN_REBALANCE, NULL, 0);
    assert_int_equal(sim_apply(&s, &rebalance, &step, err, sizeof err), 0);
    assert_int_equal(step.changed, 0);
    assert_non_null(strstr(step.message, "No rebalancing needed"));
    sim_free(&s);

    /* 4 -> 5 (routing.md §1.3): four blocks of 4096, then E gets 820 from
     * each, 3280 in all after the rounding pass. */
    start(&s, STRAT_REDIS, abc, 4, 0, 3000, 1);
    assert_ranges(&s, "b", "4096-8191");
    run(&s, cmd_of(SCN_ADD, "e", 0));
    assert_ranges(&s, "e", "0-819,4096-4915,8192-9011,12288-13107");
    shardmap_primary_counts(sim_shards(&s), counts);
    assert_int_equal(counts[slot_of(&s, "e")], 3280);
    assert_int_equal(counts[slot_of(&s, "a")], 3276);
    sim_free(&s);
}

/* Keys follow their slot: CRC16 of the id & 0x3FFF, and a move carries a
 * slot's keys whole. */
static void redis_keys_follow_slots(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c", "d"};
    sim_t s;
    start(&s, STRAT_REDIS, nodes, 3, 0, 5000, 1);
    run(&s, cmd_of(SCN_ADD, "d", 0));
    const shardmap_t *m = sim_shards(&s);
    for (size_t p = 0; p < s.store.count; p++) {
        char id[32];
        int len = snprintf(id, sizeof id, "vec_%06u", (unsigned)s.store.index[p]);
        uint32_t slot = sr_redis_slot(id, (size_t)len);
        assert_int_equal(s.store.owner[p], shardmap_primary(m, slot));
    }
    sim_free(&s);
}

/* ---- elasticsearch ----------------------------------------------------------- */

static void es_balance_and_zones(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c", "d", "e", "f"};
    const char *zones[] = {"z1", "z2", "z3", "z1", "z2", "z3"};
    sim_config_t cfg = {.nodes = nodes, .node_count = 5, .vnodes = 8, .vectors = 2000, .dim = 4, .seed = 42,
                        .strategy = STRAT_ES, .repl_on = 1, .replicas = 2, .zone_nodes = nodes, .zone_names = zones,
                        .zone_count = 5};
    cfg.params.shards = 12;
    sim_t s;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
    for (int round = 0; round < 3; round++) {
        const shardmap_t *m = sim_shards(&s);
        uint64_t copies[RS_MAX_NODES];
        shardmap_copy_counts(m, copies);
        uint64_t hi = 0, lo = UINT64_MAX;
        for (uint32_t i = 0; i < s.nodes.n; i++) {
            uint64_t c = copies[s.nodes.rank[i]];
            hi = c > hi ? c : hi;
            lo = c < lo ? c : lo;
        }
        assert_true(hi - lo <= 1); /* 24 copies over 5 or 6 nodes */
        for (uint32_t sh = 0; sh < m->shards; sh++) {
            uint32_t n;
            const uint16_t *h = shardmap_holders(m, sh, &n);
            assert_int_equal(n, 2);
            assert_int_not_equal(h[0], h[1]);
            /* 3 zones, 2 copies: at most ceil(2/3) = 1 in a zone */
            assert_int_not_equal(s.nodes.zone[h[0]], s.nodes.zone[h[1]]);
        }
        if (round == 0)
            run(&s, cmd_of(SCN_ADD, "f", 0));
        else if (round == 1)
            run(&s, cmd_of(SCN_REMOVE, "b", 0));
        if (round == 0) {
            scn_cmd_t z = cmd_of(SCN_ZONE, "f", 0);
            snprintf(z.zone, sizeof z.zone, "z3");
            run(&s, z);
        }
    }
    sim_free(&s);
}

static void es_split(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c", "d", "e"};
    sim_t s;
    start(&s, STRAT_ES, nodes, 5, 5, 4000, 1);
    const shardmap_t *m = sim_shards(&s);
    uint32_t *before = malloc(s.store.count * sizeof *before);
    uint16_t *owner = malloc(s.store.count * sizeof *owner);
    for (size_t p = 0; p < s.store.count; p++) {
        strat_key_t key;
        sim_key_at(&s, p, &key);
        before[p] = shardmap_shard_of(m, &key);
        owner[p] = s.store.owner[p];
    }
    sim_step_t step = run(&s, cmd_of(SCN_SPLIT, NULL, 2));
    m = sim_shards(&s);
    assert_int_equal(m->shards, 10);
    assert_int_equal(step.moved, 0); /* 2 shards a node: already balanced */
    for (size_t p = 0; p < s.store.count; p++) {
        strat_key_t key;
        sim_key_at(&s, p, &key);
        assert_int_equal(shardmap_shard_of(m, &key) / 2, before[p]);
        assert_int_equal(s.store.owner[p], owner[p]);
    }
    /* 640 routing shards: 10 x 3 does not divide them. */
    char err[256];
    scn_cmd_t three = cmd_of(SCN_SPLIT, NULL, 3);
    assert_int_equal(sim_apply(&s, &three, &step, err, sizeof err), -1);
    assert_non_null(strstr(err, "do not divide"));
    free(before);
    free(owner);
    sim_free(&s);
}

/* ---- systems that do not rebalance ---------------------------------------- */

static void nothing_moves_by_itself(void **state)
{
    (void)state;
    static const struct {
        strat_kind_t kind;
        const char *says;
    } t[] = {
        {STRAT_QDRANT, "Qdrant does not move shards by itself: use rebalance or move"},
        {STRAT_KAFKA, "Kafka does not move shards by itself"},
        {STRAT_WEAVIATE, "Weaviate does not move shards by itself"},
    };
    const char *nodes[] = {"a", "b", "c", "d", "e", "f"};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        sim_t s;
        start(&s, t[i].kind, nodes, 5, 10, 3000, 2); /* 10 shards: a sixth node is owed some */
        sim_step_t step = run(&s, cmd_of(SCN_ADD, "f", 0));
        assert_int_equal(step.moved, 0);
        assert_int_equal(s.repl.copies, 0);
        assert_int_equal(sim_counts(&s)[slot_of(&s, "f")], 0);
        assert_non_null(strstr(step.message, t[i].says));
        /* rebalance moves whole shards to it */
        step = run(&s, cmd_of(SCN_REBALANCE, NULL, 0));
        assert_true(step.moved > 0);
        assert_true(sim_counts(&s)[slot_of(&s, "f")] > 0);
        assert_true(shardmap_balanced(sim_shards(&s), &s.nodes));
        sim_free(&s);
    }
}

static void qdrant_reshard(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c"};
    sim_t s;
    start(&s, STRAT_QDRANT, nodes, 3, 0, 6000, 1);
    assert_int_equal(sim_shards(&s)->shards, 3); /* one per node */
    size_t n = s.store.count;
    uint32_t *shard0 = malloc(n * sizeof *shard0);
    uint16_t *owner0 = malloc(n * sizeof *owner0);
    for (size_t p = 0; p < n; p++) {
        strat_key_t key;
        sim_key_at(&s, p, &key);
        shard0[p] = shardmap_shard_of(sim_shards(&s), &key);
        owner0[p] = s.store.owner[p];
    }
    sim_step_t step = run(&s, cmd_of(SCN_RESHARD, NULL, SCN_RESHARD_UP));
    const shardmap_t *m = sim_shards(&s);
    assert_int_equal(m->shards, 4);
    size_t into_new = 0, moved = 0;
    for (size_t p = 0; p < n; p++) {
        strat_key_t key;
        sim_key_at(&s, p, &key);
        uint32_t now = shardmap_shard_of(m, &key);
        assert_true(now == shard0[p] || now == 3); /* keys move only into the new shard */
        into_new += now == 3;
        moved += now == 3 && owner0[p] != shardmap_primary(m, 3);
    }
    assert_true(into_new > n / 8 && into_new < n / 3); /* about 1/4 */
    assert_int_equal(shardmap_keys(m, 3), into_new);
    assert_int_equal(step.moved, moved); /* keys of the new shard from another node */
    step = run(&s, cmd_of(SCN_RESHARD, NULL, SCN_RESHARD_DOWN));
    m = sim_shards(&s);
    for (size_t p = 0; p < n; p++) {
        strat_key_t key;
        sim_key_at(&s, p, &key);
        assert_int_equal(shardmap_shard_of(m, &key), shard0[p]);
    }
    run(&s, cmd_of(SCN_RESHARD, NULL, SCN_RESHARD_DOWN));
    run(&s, cmd_of(SCN_RESHARD, NULL, SCN_RESHARD_DOWN));
    char err[256];
    scn_cmd_t down = cmd_of(SCN_RESHARD, NULL, SCN_RESHARD_DOWN);
    assert_int_equal(sim_apply(&s, &down, &step, err, sizeof err), -1); /* one shard: no lower */
    free(shard0);
    free(owner0);
    sim_free(&s);
}

static uint32_t kafka_partition(const char *id, size_t len, uint32_t partitions)
{
    return sr_kafka_partition(id, len, partitions);
}

static void kafka_partitions(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c"};
    sim_t s;
    start(&s, STRAT_KAFKA, nodes, 3, 4, 3000, 1);
    uint16_t *owner = malloc(s.store.count * sizeof *owner);
    memcpy(owner, s.store.owner, s.store.count * sizeof *owner);
    sim_step_t step = run(&s, cmd_of(SCN_PARTITIONS, NULL, 6));
    assert_int_equal(sim_shards(&s)->shards, 6);
    assert_int_equal(step.moved, 0);
    assert_memory_equal(owner, s.store.owner, s.store.count * sizeof *owner); /* records stay */
    uint64_t wrong = 0;
    for (uint64_t i = 0; i < 3000; i++) {
        char id[32];
        int len = snprintf(id, sizeof id, "vec_%06u", (unsigned)i);
        wrong += kafka_partition(id, (size_t)len, 4) != kafka_partition(id, (size_t)len, 6);
    }
    char says[64];
    snprintf(says, sizeof says, "%llu of 3000 keys now route to another partition", (unsigned long long)wrong);
    assert_non_null(strstr(step.message, says));
    /* New keys are written where they route now; old ones stay readable
     * only where they were written. */
    run(&s, cmd_of(SCN_VECTORS, NULL, 4000));
    const shardmap_t *m = sim_shards(&s);
    for (size_t p = 0; p < s.store.count; p++) {
        char id[32];
        uint64_t i = (uint64_t)s.store.index[p];
        int len = snprintf(id, sizeof id, "vec_%06u", (unsigned)i);
        strat_key_t key;
        sim_key_at(&s, p, &key);
        assert_int_equal(shardmap_shard_of(m, &key), kafka_partition(id, (size_t)len, i < 3000 ? 4 : 6));
    }
    /* Partitions 4 and 5 went to the brokers of ranks 4 mod 3 and 5 mod 3. */
    assert_int_equal(shardmap_primary(m, 4), slot_of(&s, "b"));
    assert_int_equal(shardmap_primary(m, 5), slot_of(&s, "c"));
    char err[256];
    scn_cmd_t fewer = cmd_of(SCN_PARTITIONS, NULL, 5);
    assert_int_equal(sim_apply(&s, &fewer, &step, err, sizeof err), -1);
    free(owner);
    sim_free(&s);
}

static void weaviate_virtual_shards(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c", "d"};
    uint64_t differ = 0;
    uint16_t first[2000];
    for (uint64_t seed = 1; seed <= 2; seed++) {
        sim_config_t cfg = {.nodes = nodes, .node_count = 4, .vnodes = 8, .vectors = 2000, .dim = 4, .seed = seed,
                            .strategy = STRAT_WEAVIATE};
        sim_t s;
        sim_step_t step;
        char err[256];
        assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
        const strat_points_t *v = s.strat.ops->points(s.strat.state);
        assert_int_equal(v->count, 4 * 128);
        uint32_t per[RS_MAX_NODES] = {0};
        for (uint32_t i = 0; i < v->count; i++)
            per[v->node[i]]++;
        for (uint32_t i = 0; i < 4; i++)
            assert_int_equal(per[s.nodes.rank[i]], 128); /* 128 virtual shards a shard, a shard a node */
        for (size_t p = 0; p < s.store.count; p++) {
            if (seed == 1)
                first[s.store.index[p]] = s.store.owner[p];
            else
                differ += first[s.store.index[p]] != s.store.owner[p];
        }
        sim_free(&s);
    }
    assert_true(differ > 500); /* another seed, another collection */
}

/* ---- milvus ------------------------------------------------------------------ */

static void milvus_routes_by_number(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c", "d"};
    sim_t s;
    start(&s, STRAT_MILVUS, nodes, 3, 8, 3000, 1);
    const shardmap_t *m = sim_shards(&s);
    for (size_t p = 0; p < s.store.count; p++) {
        uint32_t shard = sr_milvus_hash_int64(s.store.index[p]) % 8;
        assert_int_equal(s.store.owner[p], shardmap_primary(m, shard));
    }
    run(&s, cmd_of(SCN_ADD, "d", 0));
    assert_int_equal(sim_shard_primaries_moved(&s), 2); /* 8 over 4: 2 each, by count */
    assert_true(shardmap_balanced(sim_shards(&s), &s.nodes));
    sim_free(&s);
}

/* ---- cassandra --------------------------------------------------------------- */

/* NetworkTopologyStrategy's loop, written out as the server has it
 * (DatacenterEndpoints): rfLeft = min(R, nodes), repeats = R - racks. */
static uint32_t nts_list(const sim_t *s, uint32_t at, uint32_t R, uint16_t *out)
{
    const strat_points_t *p = s->strat.ops->points(s->strat.state);
    uint32_t racks = s->nodes.zones_live, left = R < s->nodes.n ? R : s->nodes.n, got = 0;
    int64_t repeats = (int64_t)R - racks;
    uint16_t seen[64];
    uint32_t nseen = 0;
    for (uint32_t i = 0; i < p->count && left > 0; i++) {
        uint16_t node = p->node[(at + i) % p->count], rack = s->nodes.zone[node];
        int dup = 0, known = 0;
        for (uint32_t j = 0; j < got; j++)
            dup |= out[j] == node;
        for (uint32_t j = 0; j < nseen; j++)
            known |= seen[j] == rack;
        if (dup)
            continue;
        if (!known) {
            seen[nseen++] = rack;
        } else if (repeats > 0) {
            repeats--;
        } else {
            continue;
        }
        out[got++] = node;
        left--;
    }
    return got;
}

static void cassandra_tokens_and_racks(void **state)
{
    (void)state;
    const char *nodes[] = {"a", "b", "c", "d", "e", "f", "g"};
    const char *racks[] = {"r1", "r1", "r2", "r1", "r2", "r3", "r1"};
    for (uint32_t R = 1; R <= 5; R++) {
        for (size_t zoned = 0; zoned <= 7; zoned += 7) {
            sim_config_t cfg = {.nodes = nodes, .node_count = 6, .vnodes = 8, .vectors = 1500, .dim = 4, .seed = 1,
                                .strategy = STRAT_CASSANDRA, .repl_on = 1, .replicas = R, .zone_nodes = nodes,
                                .zone_names = racks, .zone_count = zoned ? 6 : 0};
            sim_t s;
            sim_step_t step;
            char err[256];
            assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
            const strat_points_t *p = s.strat.ops->points(s.strat.state);
            assert_int_equal(p->count, 6 * 16);
            uint16_t *owner = malloc(s.store.count * sizeof *owner);
            memcpy(owner, s.store.owner, s.store.count * sizeof *owner);
            for (size_t pos = 0; pos < s.store.count; pos++) {
                strat_key_t key;
                sim_key_at(&s, pos, &key);
                strat_where_t w;
                sim_locate(&s, &key, &w);
                uint16_t want[RS_MAX_REPLICAS], got[RS_MAX_REPLICAS];
                uint32_t n = nts_list(&s, (uint32_t)w.at, R, want);
                assert_int_equal(sim_prefs_of_key(&s, &key, got), n);
                assert_memory_equal(got, want, n * sizeof *got);
            }
            /* Bootstrap: keys move only to the new node. */
            step = run(&s, cmd_of(SCN_ADD, "g", 0));
            assert_non_null(strstr(step.message, "bootstrap streams the 16 token ranges"));
            uint16_t g = slot_of(&s, "g");
            uint64_t moved = 0;
            for (size_t pos = 0; pos < s.store.count; pos++)
                if (s.store.owner[pos] != owner[pos]) {
                    assert_int_equal(s.store.owner[pos], g);
                    moved++;
                }
            assert_true(moved > 0);
            free(owner);
            sim_free(&s);
        }
    }
    /* A node's tokens are those of "ID:k". */
    assert_true(strat_cassandra_node_token("a", 1, 0) == (uint64_t)sr_cassandra_token("a:0", 3));
}

/* ---- memcached ---------------------------------------------------------------- */

static void memcached_is_ketama(void **state)
{
    (void)state;
    strat_kind_t k;
    assert_int_equal(strat_parse("memcached", 9, &k), 0);
    assert_int_equal(k, STRAT_KETAMA);
    uint64_t own;
    char why[64];
    assert_int_equal(strat_ops(k)->key_hash->of_id("test", 4, &own, why, sizeof why), 0);
    assert_true(own == 3446378249u); /* DESIGN §1b's check value */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(redis_worked_values),
        cmocka_unit_test(redis_keys_follow_slots),
        cmocka_unit_test(es_balance_and_zones),
        cmocka_unit_test(es_split),
        cmocka_unit_test(nothing_moves_by_itself),
        cmocka_unit_test(qdrant_reshard),
        cmocka_unit_test(kafka_partitions),
        cmocka_unit_test(weaviate_virtual_shards),
        cmocka_unit_test(milvus_routes_by_number),
        cmocka_unit_test(cassandra_tokens_and_racks),
        cmocka_unit_test(memcached_is_ketama),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
