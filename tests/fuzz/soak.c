/* soak — one long-lived simulation under many random operations.
 *
 * Unlike the short sequences of tests/unit/test_property.c, this keeps ONE
 * sim alive through RS_SOAK_OPS operations (default 5,000; the long run is
 * 100,000: `RS_SOAK_OPS=100000 ctest -R soak` or `build/tests/fuzz/soak
 * 100000`), so slot reuse, repeated growth and shrinking, rebuilds and
 * no-ops pile up the way an interactive session does. After every operation:
 *   - every embedding is owned by a live node (RING_NONE on an empty ring);
 *   - counts per slot match a recount and sum to N;
 *   - the store is sorted by (hash, index) and holds indices 0..N-1 once;
 *   - moved == moves.count == owners changed against a snapshot, and every
 *     move names the right old and new owner; growing and shrinking keep
 *     the surviving keys' owners;
 *   - ring points are sorted and unique, nodes x vnodes of them;
 *   - a naive full remap (store_assign_naive) on a copy changes nothing.
 * Every 100 operations the sim is also compared with a fresh one built from
 * the same live nodes (in order of addition), vnodes and vectors.
 * A second soak narrows point hashes (ring_debug_set_point_mask) so points
 * collide and re-salting runs all the time; there the fresh comparison holds
 * only right after a rebuild (a removed node's salted-around points do not
 * come back), and two runs of the same operations must agree exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define SOAK_MAX_VECTORS 2500u
#define SOAK_NAMES 48u

static unsigned soak_ops = 5000;

typedef struct rng {
    uint64_t s;
} rng_t;

static uint64_t rng_next(rng_t *r)
{
    /* splitmix64: any seed is fine. */
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned rng_below(rng_t *r, unsigned n) { return (unsigned)(rng_next(r) % n); }

/* Node names: ASCII, inner spaces, Japanese, long ones. */
static void node_name(unsigned k, char *out, size_t size)
{
    switch (k % 4) {
    case 0: snprintf(out, size, "node%u", k); break;
    case 1: snprintf(out, size, "rack %u / shelf", k); break;
    case 2: snprintf(out, size, "\xE3\x83\x8E\xE3\x83\xBC\xE3\x83\x89%u", k); break; /* ノードk */
    default: snprintf(out, size, "%0200u", k); break;
    }
}

typedef struct soak {
    sim_t s;
    uint32_t max_points;      /* keep live x vnodes under this (collision runs) */
    uint16_t before[SOAK_MAX_VECTORS];
    size_t before_count;
    int before_valid;
} soak_t;

static void snapshot(soak_t *k)
{
    const store_t *st = &k->s.store;
    for (size_t p = 0; p < st->count; p++)
        k->before[st->index[p]] = st->owner[p];
    k->before_count = st->count;
}

static void check_store(const sim_t *s)
{
    const store_t *st = &s->store;
    const ring_t *r = &s->ring;
    static uint64_t counts[RS_MAX_NODES + 1];
    static unsigned char seen[SOAK_MAX_VECTORS];
    memset(counts, 0, sizeof counts);
    memset(seen, 0, sizeof seen);
    for (size_t p = 0; p < st->count; p++) {
        if (p > 0)
            assert_true(st->hash[p - 1] < st->hash[p] ||
                        (st->hash[p - 1] == st->hash[p] && st->index[p - 1] < st->index[p]));
        assert_true(st->index[p] < st->count);
        assert_false(seen[st->index[p]]);
        seen[st->index[p]] = 1;
        uint16_t o = st->owner[p];
        if (r->live_count == 0) {
            assert_int_equal(o, RING_NONE);
        } else {
            assert_true(o < r->slot_count);
            assert_true(r->nodes[o].live);
        }
        counts[o == RING_NONE ? RS_MAX_NODES : o]++;
    }
    uint64_t sum = 0;
    for (uint32_t i = 0; i <= RS_MAX_NODES; i++) {
        assert_int_equal(counts[i], st->counts[i]);
        sum += st->counts[i];
    }
    assert_int_equal(sum, st->count);

    assert_int_equal(r->count, r->live_count * r->vnodes);
    uint32_t live = 0;
    for (uint32_t i = 0; i < r->slot_count; i++)
        live += r->nodes[i].live;
    assert_int_equal(live, r->live_count);
    for (uint32_t i = 0; i < r->count; i++) {
        if (i > 0)
            assert_true(r->pos[i - 1] < r->pos[i]);
        assert_true(r->node[i] < r->slot_count && r->nodes[r->node[i]].live);
        assert_true(r->vnode[i] < r->vnodes);
    }

    /* Incremental equals full: a naive remap on a copy changes nothing. */
    store_t copy = *st;
    copy.owner = malloc((st->count + 1) * sizeof *copy.owner);
    assert_non_null(copy.owner);
    memcpy(copy.owner, st->owner, st->count * sizeof *copy.owner);
    assert_int_equal(store_assign_naive(&copy, r, NULL), 0);
    assert_memory_equal(copy.counts, st->counts, sizeof st->counts);
    free(copy.owner);
}

static void check_moves(const soak_t *k, const scn_cmd_t *cmd, const sim_step_t *step)
{
    const sim_t *s = &k->s;
    const store_t *st = &s->store;
    assert_true(step->moved <= st->count);
    assert_int_equal(s->moves.count, step->moved);
    if (cmd->op == SCN_VECTORS) {
        /* Growing places only new keys; shrinking drops the highest indices.
         * Either way the keys that stay keep their owners. */
        assert_int_equal(st->count, cmd->value);
        for (size_t p = 0; p < st->count; p++)
            if (st->index[p] < k->before_count)
                assert_int_equal(st->owner[p], k->before[st->index[p]]);
        assert_int_equal(step->moved, 0);
        return;
    }
    assert_int_equal(st->count, k->before_count);
    uint64_t changed = 0;
    for (size_t p = 0; p < st->count; p++)
        changed += k->before[st->index[p]] != st->owner[p];
    assert_int_equal(changed, step->moved);
    for (size_t m = 0; m < s->moves.count; m++) {
        const store_move_t *mv = &s->moves.items[m];
        assert_true(mv->pos < st->count);
        assert_int_equal(mv->from, k->before[st->index[mv->pos]]);
        assert_int_equal(mv->to, st->owner[mv->pos]);
        assert_true(mv->from != mv->to);
    }
    if (!step->changed)
        assert_int_equal(step->moved, 0);
}

static int cmp_seq(const void *a, const void *b)
{
    uint64_t x = (*(const ring_node_t *const *)a)->seq, y = (*(const ring_node_t *const *)b)->seq;
    return (x > y) - (x < y);
}

/* The sim must equal one built from scratch with its live nodes, in order of
 * addition: the same points (by node id) and the same owner for every key. */
static void check_fresh(const sim_t *s)
{
    const ring_t *r = &s->ring;
    const ring_node_t **live = malloc((r->live_count + 1) * sizeof *live);
    const char **ids = malloc((r->live_count + 1) * sizeof *ids);
    assert_non_null(live);
    assert_non_null(ids);
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->slot_count; i++)
        if (r->nodes[i].live)
            live[n++] = &r->nodes[i];
    qsort(live, n, sizeof *live, cmp_seq);
    for (uint32_t i = 0; i < n; i++)
        ids[i] = live[i]->id;
    sim_config_t cfg = {ids, n, r->vnodes, s->store.count, 4, 1, 0};
    sim_t f;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(&f, &cfg, &step, err, sizeof err), 0);
    assert_int_equal(f.ring.count, r->count);
    for (uint32_t i = 0; i < r->count; i++) {
        assert_true(f.ring.pos[i] == r->pos[i]);
        assert_string_equal(f.ring.nodes[f.ring.node[i]].id, r->nodes[r->node[i]].id);
        assert_int_equal(f.ring.vnode[i], r->vnode[i]);
    }
    assert_int_equal(f.store.count, s->store.count);
    for (size_t p = 0; p < s->store.count; p++) {
        assert_int_equal(f.store.index[p], s->store.index[p]);
        uint16_t a = f.store.owner[p], b = s->store.owner[p];
        if (a == RING_NONE || b == RING_NONE)
            assert_int_equal(a, b);
        else
            assert_string_equal(f.ring.nodes[a].id, r->nodes[b].id);
    }
    sim_free(&f);
    free(live);
    free(ids);
}

/* A random command; no-ops (adding a live node, removing an unknown one,
 * waiting) are part of the mix. */
static scn_cmd_t random_cmd(rng_t *g, const soak_t *k)
{
    const sim_t *s = &k->s;
    scn_cmd_t c;
    memset(&c, 0, sizeof c);
    unsigned r = rng_below(g, 100);
    if (r < 35) {
        c.op = SCN_ADD;
        node_name(rng_below(g, SOAK_NAMES), c.node, sizeof c.node);
        if ((uint64_t)(s->ring.live_count + 1) * s->ring.vnodes > k->max_points)
            c.op = SCN_REMOVE; /* stay under the collision runs' point budget */
    } else if (r < 68) {
        c.op = SCN_REMOVE;
        node_name(rng_below(g, SOAK_NAMES), c.node, sizeof c.node);
    } else if (r < 78) {
        c.op = SCN_VNODES;
        c.value = 1 + rng_below(g, 24);
        while (c.value > 1 && (uint64_t)s->ring.live_count * c.value > k->max_points)
            c.value /= 2;
    } else if (r < 88) {
        c.op = SCN_VECTORS; /* grow */
        size_t room = SOAK_MAX_VECTORS - s->store.count;
        c.value = s->store.count + (room ? rng_below(g, (unsigned)(room < 400 ? room : 400) + 1) : 0);
    } else if (r < 97) {
        c.op = SCN_VECTORS; /* shrink, sometimes to nothing */
        c.value = rng_below(g, 20) == 0 ? 0 : s->store.count - rng_below(g, (unsigned)(s->store.count / 2) + 1);
    } else {
        c.op = SCN_WAIT;
        c.seconds = 0.25;
    }
    c.node_len = (uint32_t)strlen(c.node);
    return c;
}

/* Runs ops random operations on one sim; returns it for comparisons. */
static void soak_run(soak_t *k, uint64_t seed, unsigned ops, uint32_t max_points, int fresh_every)
{
    static const char *const start[] = {"nodeA", "nodeB", "nodeC"};
    sim_config_t cfg = {start, 3, 8, 600, 4, 1, 1};
    sim_step_t step;
    char err[256];
    rng_t g = {seed};
    k->max_points = max_points;
    assert_int_equal(sim_init(&k->s, &cfg, &step, err, sizeof err), 0);
    check_store(&k->s);
    for (unsigned i = 0; i < ops; i++) {
        scn_cmd_t c = random_cmd(&g, k);
        snapshot(k);
        if (sim_apply(&k->s, &c, &step, err, sizeof err) != 0)
            fail_msg("op %u (%s %s): %s", i, scn_op_name(c.op), c.node, err);
        check_moves(k, &c, &step);
        check_store(&k->s);
        if (c.op == SCN_VNODES || (fresh_every && i % 100 == 99))
            check_fresh(&k->s);
    }
}

static void soak_random_ops(void **state)
{
    (void)state;
    soak_t *k = calloc(1, sizeof *k);
    assert_non_null(k);
    soak_run(k, 0x5EED, soak_ops, RS_MAX_POINTS, 1);
    check_fresh(&k->s);
    sim_free(&k->s);
    free(k);
}

/* 256 distinct point positions for at most 128 points: most placements
 * collide and re-salt. Two runs of the same operations must agree exactly,
 * and every rebuild must equal a fresh build. */
static void soak_with_collisions(void **state)
{
    (void)state;
    ring_debug_set_point_mask(0xFF00000000000000ull);
    soak_t *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    unsigned ops = soak_ops / 4 + 1;
    soak_run(a, 0xC011, ops, 128, 0);
    soak_run(b, 0xC011, ops, 128, 0);
    assert_int_equal(a->s.ring.count, b->s.ring.count);
    assert_memory_equal(a->s.ring.pos, b->s.ring.pos, a->s.ring.count * sizeof *a->s.ring.pos);
    assert_memory_equal(a->s.ring.node, b->s.ring.node, a->s.ring.count * sizeof *a->s.ring.node);
    assert_memory_equal(a->s.ring.vnode, b->s.ring.vnode, a->s.ring.count * sizeof *a->s.ring.vnode);
    assert_int_equal(a->s.store.count, b->s.store.count);
    assert_memory_equal(a->s.store.owner, b->s.store.owner, a->s.store.count * sizeof *a->s.store.owner);

    /* Salting really happened: with 256 positions, some point is salted
     * (its position differs from the unsalted hash of its node and vnode). */
    const ring_t *r = &a->s.ring;
    int salted = 0;
    for (uint32_t i = 0; i < r->count && !salted; i++) {
        const ring_node_t *n = &r->nodes[r->node[i]];
        salted = ring_point_hash(n->id, n->id_len, r->vnode[i], 0) != r->pos[i];
    }
    char err[128];
    if (!salted && r->live_count >= 2) {
        /* Force a crowded ring to be sure the re-salt path ran at least once. */
        assert_int_equal(ring_rebuild(&a->s.ring, 128 / r->live_count, err, sizeof err), RING_OK);
        store_assign_all(&a->s.store, &a->s.ring, NULL);
        for (uint32_t i = 0; i < r->count && !salted; i++) {
            const ring_node_t *n = &r->nodes[r->node[i]];
            salted = ring_point_hash(n->id, n->id_len, r->vnode[i], 0) != r->pos[i];
        }
    }
    assert_true(salted);
    sim_free(&a->s);
    sim_free(&b->s);
    free(a);
    free(b);
    ring_debug_set_point_mask(~(uint64_t)0);
}

int main(int argc, char **argv)
{
    const char *ops = argc > 1 ? argv[1] : getenv("RS_SOAK_OPS");
    if (ops && *ops) {
        char *end;
        unsigned long v = strtoul(ops, &end, 10);
        if (*end || v == 0 || v > 100000000ul) {
            fprintf(stderr, "soak: operations must be 1..100000000, not \"%s\"\n", ops);
            return 2;
        }
        soak_ops = (unsigned)v;
    }
    printf("soak: %u operations\n", soak_ops);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(soak_random_ops),
        cmocka_unit_test(soak_with_collisions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
