/* Unit tests of the core modules and the command-line parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "nodeid.h"
#include "opts.h"
#include "ring.h"
#include "scn.h"
#include "sim.h"
#include "store.h"

/* ---- node ids ------------------------------------------------------------ */

static int norm(const char *in, char *out)
{
    char err[256];
    size_t n;
    return nodeid_normalize(in, strlen(in), out, &n, err, sizeof err);
}

static void nodeid_trims_and_validates(void **state)
{
    (void)state;
    char out[NODEID_MAX + 1], err[256];
    size_t n;
    assert_int_equal(norm("  nodeA\t", out), 0);
    assert_string_equal(out, "nodeA");
    assert_int_equal(norm("\xC2\xA0node B\xE3\x80\x80", out), 0); /* NBSP and ideographic space trimmed */
    assert_string_equal(out, "node B");
    assert_int_equal(norm("ノード1", out), 0);
    assert_string_equal(out, "ノード1");
    assert_int_equal(norm("", out), -1);
    assert_int_equal(norm("   ", out), -1);
    assert_int_equal(norm("a\x01" "b", out), -1);
    assert_int_equal(norm("a\x7F", out), -1);
    assert_int_equal(norm("\xC2\x85x\xC2\x80y", out), -1); /* U+0085 trimmed; U+0080 is a control */
    assert_int_equal(norm("bad\xFF", out), -1);
    assert_int_equal(norm("\xC0\xAF", out), -1);       /* overlong */
    assert_int_equal(norm("\xED\xA0\x80", out), -1);   /* surrogate */
    assert_int_equal(norm("\xF4\x90\x80\x80", out), -1); /* > U+10FFFF */
    char big[300];
    memset(big, 'x', 255);
    big[255] = '\0';
    assert_int_equal(norm(big, out), 0);
    big[255] = 'x';
    big[256] = '\0';
    assert_int_equal(nodeid_normalize(big, 256, out, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "255"));
}

/* ---- ring ---------------------------------------------------------------- */

static void ring_add_remove_lookup(void **state)
{
    (void)state;
    ring_t r;
    char err[128];
    uint16_t a, b, removed;
    ring_init(&r, 80);
    assert_int_equal(ring_owner(&r, 123), RING_NONE);
    assert_int_equal(ring_add(&r, "nodeA", 5, &a, err, sizeof err), RING_OK);
    assert_int_equal(ring_add(&r, "nodeA", 5, &a, err, sizeof err), RING_E_EXISTS);
    assert_int_equal(ring_add(&r, "nodeB", 5, &b, err, sizeof err), RING_OK);
    assert_int_equal(r.count, 160);
    assert_true(r.pos[0] < r.pos[1]);
    /* The first point of nodeA is the check value of DESIGN §1. */
    int found = 0;
    for (uint32_t i = 0; i < r.count; i++)
        found |= r.pos[i] == 6804487152355121759ull && r.node[i] == a && r.vnode[i] == 0;
    assert_true(found);
    /* Lookup agrees with binary search everywhere, including wrap-around. */
    for (uint64_t k = 0; k < 100000; k++) {
        uint64_t h = k * 0x9E3779B97F4A7C15ull;
        assert_int_equal(ring_lookup(&r, h), ring_lookup_bsearch(&r, h));
    }
    assert_int_equal(ring_lookup(&r, UINT64_MAX), 0);
    assert_int_equal(ring_lookup(&r, r.pos[5]), 5);
    double share[2];
    ring_arc_share(&r, share);
    assert_true(fabs(share[0] + share[1] - 1.0) < 1e-12);
    assert_int_equal(ring_remove(&r, "nodeZ", 5, &removed), RING_E_UNKNOWN);
    assert_int_equal(ring_remove(&r, "nodeA", 5, &removed), RING_OK);
    assert_int_equal(removed, a);
    assert_int_equal(r.count, 80);
    for (uint32_t i = 0; i < r.count; i++)
        assert_int_equal(r.node[i], b);
    /* The freed slot is reused. */
    uint16_t c;
    assert_int_equal(ring_add(&r, "nodeC", 5, &c, err, sizeof err), RING_OK);
    assert_int_equal(c, a);
    uint16_t sorted[2];
    assert_int_equal(ring_sorted_slots(&r, sorted), 2);
    assert_string_equal(r.nodes[sorted[0]].id, "nodeB");
    ring_free(&r);
}

/* ring_add_many gives exactly the ring that adding the nodes one by one
 * gives: same points, owners and vnodes, with and without forced collisions
 * (a narrowed point hash makes the one-pass build fall back to re-salting). */
static void ring_add_many_matches_adds(void **state)
{
    (void)state;
    static const uint64_t masks[] = {~(uint64_t)0, 0xFFF0000000000000ull};
    char text[300][8], err[128];
    const char *ids[300];
    size_t lens[300], bad = 99;
    uint16_t slots[300], slot;
    for (int i = 0; i < 300; i++) {
        lens[i] = (size_t)snprintf(text[i], sizeof text[i], "n%d", i);
        ids[i] = text[i];
    }
    for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
        ring_debug_set_point_mask(masks[m]);
        uint32_t vnodes = m ? 10 : 40;
        ring_t one, many;
        ring_init(&one, vnodes);
        ring_init(&many, vnodes);
        /* A node already on the ring, then the rest in one pass. */
        assert_int_equal(ring_add(&many, ids[0], lens[0], &slot, err, sizeof err), RING_OK);
        for (int i = 0; i < 300; i++)
            assert_int_equal(ring_add(&one, ids[i], lens[i], &slot, err, sizeof err), RING_OK);
        assert_int_equal(ring_add_many(&many, ids + 1, lens + 1, 299, slots, &bad, err, sizeof err), RING_OK);
        assert_int_equal(many.count, one.count);
        assert_int_equal(many.live_count, 300);
        for (uint32_t i = 0; i < one.count; i++) {
            assert_true(many.pos[i] == one.pos[i]);
            assert_string_equal(many.nodes[many.node[i]].id, one.nodes[one.node[i]].id);
            assert_int_equal(many.vnode[i], one.vnode[i]);
        }
        for (uint64_t k = 0; k < 20000; k++) {
            uint64_t h = k * 0x9E3779B97F4A7C15ull;
            assert_int_equal(ring_lookup(&many, h), ring_lookup_bsearch(&many, h));
        }
        /* A rebuild with another vnode count matches a fresh build too. */
        ring_t fresh;
        ring_init(&fresh, vnodes + 3);
        assert_int_equal(ring_add_many(&fresh, ids, lens, 300, slots, &bad, err, sizeof err), RING_OK);
        assert_int_equal(ring_rebuild(&one, vnodes + 3, err, sizeof err), RING_OK);
        assert_int_equal(fresh.count, one.count);
        for (uint32_t i = 0; i < one.count; i++)
            assert_true(fresh.pos[i] == one.pos[i] && fresh.vnode[i] == one.vnode[i]);
        ring_free(&fresh);
        ring_free(&one);
        ring_free(&many);
    }
    ring_debug_set_point_mask(~(uint64_t)0);
    /* Listed twice, or already on the ring: refused, the ring unchanged. */
    ring_t r;
    ring_init(&r, 5);
    const char *dup_ids[] = {"a", "b", "c", "b", "a"};
    size_t dup_lens[] = {1, 1, 1, 1, 1};
    assert_int_equal(ring_add_many(&r, dup_ids, dup_lens, 5, slots, &bad, err, sizeof err), RING_E_EXISTS);
    assert_int_equal(bad, 3);
    assert_int_equal(r.count, 0);
    assert_int_equal(r.live_count, 0);
    assert_int_equal(ring_add(&r, "c", 1, &slot, err, sizeof err), RING_OK);
    assert_int_equal(ring_add_many(&r, dup_ids, dup_lens, 3, slots, &bad, err, sizeof err), RING_E_EXISTS);
    assert_int_equal(bad, 2);
    assert_int_equal(r.count, 5);
    ring_free(&r);
}

static void ring_limits(void **state)
{
    (void)state;
    ring_t r;
    char err[256];
    uint16_t s;
    ring_init(&r, RS_MAX_POINTS / 2 + 1);
    assert_int_equal(ring_add(&r, "a", 1, &s, err, sizeof err), RING_OK);
    assert_int_equal(ring_add(&r, "b", 1, &s, err, sizeof err), RING_E_LIMIT);
    assert_non_null(strstr(err, "4000000"));
    ring_free(&r);
}

/* ---- scenario scripts ---------------------------------------------------- */

static void scn_parses_scripts(void **state)
{
    (void)state;
    const char *text = "# demo\r\n\r\nadd  nodeF \r\nremove nœud 3\nvnodes 120\nvectors 9000\nwait 1.5\n   # indented comment\n";
    scn_script_t s;
    char err[256];
    assert_int_equal(scn_parse(text, strlen(text), "demo.txt", &s, err, sizeof err), 0);
    assert_int_equal(s.count, 5);
    assert_int_equal(s.cmds[0].op, SCN_ADD);
    assert_string_equal(s.cmds[0].node, "nodeF");
    assert_int_equal(s.cmds[0].line, 3);
    assert_string_equal(s.cmds[1].node, "nœud 3");
    assert_int_equal(s.cmds[2].value, 120);
    assert_int_equal(s.cmds[3].value, 9000);
    assert_true(s.cmds[4].seconds == 1.5);
    scn_free(&s);
}

/* scn_format writes the line that parses back to the same command, for
 * every command the parser knows (sessions are saved through it). */
static void scn_format_round_trips(void **state)
{
    (void)state;
    const char *text = "add nœud 3\nremove nodeC\nvnodes 120\nvectors 9000\nwait 1.25\nstrategy jump\n"
                       "weight node A 7\ntitle A talk: hashing\ncaption Only 1/n moves\ncaption\nreplicas 3\n"
                       "zone node A z-east\nfail nodeB\nrecover nodeB\nheal\n";
    scn_script_t s;
    char err[256], line[512];
    assert_int_equal(scn_parse(text, strlen(text), "t", &s, err, sizeof err), 0);
    int seen[SCN_HEAL + 1] = {0};
    for (size_t i = 0; i < s.count; i++) {
        scn_cmd_t back;
        assert_true(scn_format(&s.cmds[i], line, sizeof line) < (int)sizeof line);
        assert_int_equal(scn_parse_line(line, strlen(line), &back, err, sizeof err), 0);
        assert_int_equal(back.op, s.cmds[i].op);
        assert_string_equal(back.node, s.cmds[i].node);
        assert_string_equal(back.zone, s.cmds[i].zone);
        assert_true(back.value == s.cmds[i].value && back.seconds == s.cmds[i].seconds);
        seen[s.cmds[i].op] = 1;
    }
    for (int op = 0; op <= SCN_HEAL; op++)
        assert_true(seen[op]);
    scn_free(&s);
}

static void scn_reports_file_and_line(void **state)
{
    (void)state;
    scn_script_t s;
    char err[256];
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"add a\nfrobnicate x\n", "demo:2: unknown command \"frobnicate\""},
        {"add\n", "demo:1: add: a node id is missing"},
        {"\n\nvnodes 0\n", "demo:3: vnodes: 0 is out of range"},
        {"vnodes 10001\n", "demo:1: vnodes: 10001 is out of range; it must be 1..10000"},
        {"vectors -5\n", "demo:1: vectors: \"-5\" is not a whole number"},
        {"vectors 99999999999999999999999\n", "demo:1: vectors: 99999999999999999999999 is out of range"},
        {"wait soon\n", "demo:1: wait: \"soon\" is not a number"},
        {"wait 1e3\n", "demo:1: wait: \"1e3\" is not a number"},
        {"wait 4000\n", "demo:1: wait: 4000 seconds is out of range"},
        {"add a\x01" "b\n", "demo:1: add: node id \"a\\x01b\" contains a control character"},
        {"remove \xFF\n", "demo:1: remove: node id \"\\xFF\" is not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(scn_parse(bad[i].text, strlen(bad[i].text), "demo", &s, err, sizeof err), -1);
        if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
            fail_msg("got \"%s\", want prefix \"%s\"", err, bad[i].want);
    }
    /* A NUL byte in the middle of a line. */
    const char nul[] = "add a\0b\n";
    assert_int_equal(scn_parse(nul, sizeof nul - 1, "demo", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "demo:1:"));
    /* Missing file and directory. */
    assert_int_equal(scn_load("/nonexistent/script.txt", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/script.txt: cannot open script"));
    assert_int_equal(scn_load("/tmp", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "is a directory"));
}

/* The command table is in op order, names every command in the parser's
 * message, and its check refuses what the parser refuses, with the same
 * words, for commands built directly (as the app's controls do). */
static void scn_table_and_check(void **state)
{
    (void)state;
    char err[256], want[256];
    scn_cmd_t c;
    assert_int_equal(scn_parse_line("frobnicate", 10, &c, err, sizeof err), -1);
    for (size_t i = 0; i < scn_verb_count(); i++) {
        const scn_verb_t *v = scn_verb_at(i);
        assert_int_equal(v->op, (int)i);
        assert_ptr_equal(scn_verb(v->op), v);
        assert_string_equal(scn_op_name(v->op), v->name);
        assert_non_null(strstr(err, v->name));
        /* the usage line starts with the name */
        assert_int_equal(strncmp(v->usage, v->name, strlen(v->name)), 0);
    }
    assert_null(scn_verb((scn_op_t)scn_verb_count()));
    static const struct {
        const char *line; /* what the parser refuses */
        scn_cmd_t built;  /* the same mistake, built */
    } same[] = {
        {"vnodes 0", {.op = SCN_VNODES, .value = 0}},
        {"replicas 9", {.op = SCN_REPLICAS, .value = 9}},
        {"weight a 1001", {.op = SCN_WEIGHT, .node = "a", .node_len = 1, .value = 1001}},
        {"weight a 0", {.op = SCN_WEIGHT, .node = "a", .node_len = 1, .value = 0}},
        {"vectors 200000001", {.op = SCN_VECTORS, .value = 200000001}},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(scn_parse_line(same[i].line, strlen(same[i].line), &c, want, sizeof want), -1);
        assert_int_equal(scn_cmd_check(&same[i].built, err, sizeof err), -1);
        assert_string_equal(err, want);
    }
    static const scn_cmd_t refused[] = {
        {.op = SCN_ADD},                                          /* no id */
        {.op = SCN_REMOVE, .node = " a", .node_len = 2},          /* not trimmed */
        {.op = SCN_FAIL, .node = "a\x01", .node_len = 2},          /* a control character */
        {.op = SCN_ADD, .node = "ab", .node_len = 1},             /* length and text disagree */
        {.op = SCN_STRATEGY, .value = STRAT_COUNT},
        {.op = SCN_TITLE},                                        /* no text */
        {.op = SCN_TITLE, .text = " x", .text_len = 2},           /* not trimmed */
        {.op = SCN_CAPTION, .text = "a\x01", .text_len = 2},       /* a control character */
        {.op = SCN_ZONE, .node = "a", .node_len = 1, .zone = "z 1"},
        {.op = SCN_ZONE, .node = "a", .node_len = 1},             /* no zone */
        {.op = SCN_WAIT, .seconds = -1.0},
        {.op = (scn_op_t)99},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        if (scn_cmd_check(&refused[i], err, sizeof err) != -1)
            fail_msg("command %zu was accepted", i);
        assert_true(err[0] != '\0');
        assert_int_equal(scn_cmd_check(&refused[i], NULL, 0), -1);
    }
    static const scn_cmd_t fine[] = {
        {.op = SCN_HEAL},
        {.op = SCN_CAPTION},
        {.op = SCN_TITLE, .text = "A talk: hashing", .text_len = 15},
        {.op = SCN_ADD, .node = "nœud 3", .node_len = 7},
        {.op = SCN_ZONE, .node = "a", .node_len = 1, .zone = "z1"},
        {.op = SCN_REPLICAS, .value = RS_MAX_REPLICAS},
    };
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
        if (scn_cmd_check(&fine[i], err, sizeof err) != 0)
            fail_msg("command %zu refused: %s", i, err);
}

/* ---- sim ----------------------------------------------------------------- */

static void sim_reference_numbers(void **state)
{
    (void)state;
    const char *nodes[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};
    sim_config_t cfg = {nodes, 5, 80, 6000, 256, 42, 1};
    sim_t s;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
    const uint64_t want[] = {1257, 1230, 1071, 1379, 1063};
    for (int i = 0; i < 5; i++)
        assert_int_equal(s.store.counts[ring_find_node(&s.ring, nodes[i], 5)], want[i]);
    scn_cmd_t add = {.op = SCN_ADD, .node = "nodeF", .node_len = 5};
    assert_int_equal(sim_apply(&s, &add, &step, err, sizeof err), 0);
    assert_int_equal(step.moved, 1075);
    assert_int_equal(s.moves.count, 1075);
    assert_true(fabs(step.ideal_fraction - 1.0 / 6.0) < 1e-12);
    assert_true(fabs(step.moved_fraction - 1075.0 / 6000.0) < 1e-12);
    /* Incremental: adding touches only the new node's arcs. */
    assert_true(step.visited == 1075);
    assert_int_equal(sim_apply(&s, &add, &step, err, sizeof err), 0);
    assert_int_equal(step.changed, 0);
    assert_int_equal(step.moved, 0);
    assert_non_null(strstr(step.message, "already on the ring"));
    scn_cmd_t rm = {.op = SCN_REMOVE, .node = "nodeC", .node_len = 5};
    uint64_t c_keys = s.store.counts[ring_find_node(&s.ring, "nodeC", 5)];
    assert_int_equal(sim_apply(&s, &rm, &step, err, sizeof err), 0);
    assert_int_equal(step.moved, 880);
    assert_true(fabs(step.ideal_fraction - (double)c_keys / 6000.0) < 1e-12);
    sim_stats_t st;
    sim_stats(&s, &st);
    assert_int_equal(st.nodes, 5);
    assert_true(st.max_over_mean >= 1.0);
    assert_true(st.std_over_mean > 0.0);
    sim_free(&s);
}

/* The limit replay the command line runs on whole scenarios, asked by the
 * app about one command on its live state (weights count). */
static void sim_checks_limits_on_live_state(void **state)
{
    (void)state;
    sim_config_t cfg;
    sim_config_default(&cfg);
    cfg.vectors = 100;
    sim_t s;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
    scn_cmd_t big = {.op = SCN_VNODES, .value = RS_MAX_VNODES};
    assert_int_equal(sim_check_limits(&s, &big, err, sizeof err), 0);
    scn_cmd_t w = {.op = SCN_WEIGHT, .node = "nodeA", .node_len = 5, .value = 1000};
    assert_int_equal(sim_check_limits(&s, &w, err, sizeof err), 0);
    assert_int_equal(sim_apply(&s, &w, &step, err, sizeof err), 0);
    assert_int_equal(sim_check_limits(&s, &big, err, sizeof err), -1);
    assert_string_equal(err, "5 nodes of total weight 1004 x 10000 vnodes would be 10040000 ring points; the limit is "
                             "4000000");
    strat_kind_t jk;
    assert_int_equal(strat_parse("jump", 4, &jk), 0);
    scn_cmd_t jump = {.op = SCN_STRATEGY, .value = (uint64_t)jk};
    assert_int_equal(sim_check_limits(&s, &jump, NULL, 0), -1);
    /* nothing changed */
    assert_int_equal(s.ring.vnodes, cfg.vnodes);
    assert_int_equal(s.strat.kind, strat_default());
    sim_free(&s);
}

static void sim_empty_ring(void **state)
{
    (void)state;
    sim_config_t cfg = {NULL, 0, 10, 100, 4, 1, 0};
    sim_t s;
    sim_step_t step;
    char err[256];
    assert_int_equal(sim_init(&s, &cfg, &step, err, sizeof err), 0);
    assert_int_equal(s.store.counts[RS_MAX_NODES], 100);
    scn_cmd_t add = {.op = SCN_ADD, .node = "only", .node_len = 4};
    assert_int_equal(sim_apply(&s, &add, &step, err, sizeof err), 0);
    assert_int_equal(step.moved, 100);
    assert_true(step.ideal_fraction == 1.0);
    scn_cmd_t rm = {.op = SCN_REMOVE, .node = "only", .node_len = 4};
    assert_int_equal(sim_apply(&s, &rm, &step, err, sizeof err), 0);
    assert_int_equal(step.moved, 100);
    assert_int_equal(s.store.counts[RS_MAX_NODES], 100);
    sim_free(&s);
}

/* ---- embeddings ---------------------------------------------------------- */

/* ---- store --------------------------------------------------------------- */

typedef struct progress_log {
    double seen[4096];
    size_t n;
} progress_log_t;

static void log_progress(void *ctx, double fraction)
{
    progress_log_t *log = ctx;
    if (log->n < sizeof log->seen / sizeof log->seen[0])
        log->seen[log->n++] = fraction;
}

/* A big build says how far it got (the browser shows it while its only
 * thread builds): rising fractions in [0, 1] ending with 1; a small one
 * says nothing. */
static void store_reports_progress_of_big_builds(void **state)
{
    (void)state;
    ring_t r;
    store_t st;
    char err[128];
    uint16_t slot;
    ring_init(&r, 40);
    assert_int_equal(ring_add(&r, "nodeA", 5, &slot, err, sizeof err), RING_OK);
    assert_int_equal(ring_add(&r, "nodeB", 5, &slot, err, sizeof err), RING_OK);
    store_init(&st);
    static progress_log_t log;
    store_set_progress(log_progress, &log);
    assert_int_equal(store_resize(&st, 1000, &r), 0);
    assert_int_equal(log.n, 0);
    assert_int_equal(store_resize(&st, 1000 + STORE_PROGRESS_MIN + 4321, &r), 0);
    assert_true(log.n >= 6);
    for (size_t i = 0; i < log.n; i++) {
        assert_true(log.seen[i] >= 0.0 && log.seen[i] <= 1.0);
        if (i)
            assert_true(log.seen[i] >= log.seen[i - 1]);
    }
    assert_true(log.seen[log.n - 1] == 1.0);
    assert_true(log.seen[log.n / 2] > 0.1 && log.seen[log.n / 2] < 0.95);
    store_set_progress(NULL, NULL);
    size_t before = log.n;
    assert_int_equal(store_resize(&st, 2000 + 2 * STORE_PROGRESS_MIN, &r), 0);
    assert_int_equal(log.n, before);
    store_free(&st);
    ring_free(&r);
}

static void embed_is_normalised_and_reproducible(void **state)
{
    (void)state;
    float a[257], b[257], two[2];
    embed_vector(42, 7, 257, a);
    embed_vector(42, 7, 257, b);
    assert_memory_equal(a, b, sizeof a);
    double n2 = 0;
    for (int i = 0; i < 257; i++)
        n2 += (double)a[i] * a[i];
    assert_true(fabs(n2 - 1.0) < 1e-5);
    embed_vector2(42, 7, 257, two);
    assert_true(two[0] == a[0] && two[1] == a[1]);
    embed_vector(43, 7, 257, b);
    assert_true(memcmp(a, b, sizeof a) != 0);
    /* Roughly Gaussian: mean near 0, unit-norm rows. */
    double mean = 0;
    for (int i = 0; i < 1000; i++) {
        embed_vector(1, (uint64_t)i, 16, a);
        mean += a[0];
    }
    assert_true(fabs(mean / 1000) < 0.05);
}

/* ---- command line -------------------------------------------------------- */

static int parse(opts_t *o, char *err, int argc, char **argv)
{
    return opts_parse(argc, argv, 2, OPTS_SIM, o, err, 512);
}

static void opts_defaults_and_values(void **state)
{
    (void)state;
    opts_t o;
    char err[512];
    char *a1[] = {"ringscope", "sim"};
    assert_int_equal(parse(&o, err, 2, a1), 0);
    assert_int_equal(o.node_count, 5);
    assert_string_equal(o.nodes[4], "nodeE");
    assert_int_equal(o.vnodes, 80);
    assert_int_equal(o.vectors, 6000);
    assert_int_equal(o.dim, 256);
    assert_int_equal(o.seed, 42);
    opts_free(&o);
    char *a2[] = {"ringscope", "sim", "--nodes", " x , y ", "--vnodes=300", "--vectors", "0", "--do", "add z", "--json"};
    assert_int_equal(parse(&o, err, 10, a2), 0);
    assert_int_equal(o.node_count, 2);
    assert_string_equal(o.nodes[1], "y");
    assert_int_equal(o.vnodes, 300);
    assert_int_equal(o.vectors, 0);
    assert_int_equal(o.dos.count, 1);
    assert_true(o.json);
    opts_free(&o);
    char *a3[] = {"ringscope", "sim", "--nodes", ""};
    assert_int_equal(parse(&o, err, 4, a3), 0);
    assert_int_equal(o.node_count, 0);
    opts_free(&o);
}

static void opts_errors(void **state)
{
    (void)state;
    opts_t o;
    char err[512];
    static const struct {
        const char *flag, *value, *want;
    } bad[] = {
        {"--vnodes", "0", "--vnodes: 0 is out of range; it must be 1..10000"},
        {"--vectors", "200000001", "--vectors: 200000001 is out of range; it must be 0..200000000"},
        {"--vectors", "lots", "--vectors: \"lots\" is not a whole number"},
        {"--dim", "-1", "--dim: \"-1\" is not a whole number"},
        {"--nodes", "a,,b", "--nodes: item 2: node id is empty"},
        {"--nodes", "a, a", "--nodes: node \"a\" is listed twice"},
        {"--do", "explode", "--do \"explode\": unknown command"},
        {"--frobnicate", "1", "unknown option \"--frobnicate\""},
        {"--out", "x.png", "ringscope sim does not take --out"},
        /* each strategy's parameters, from its table */
        {"--table", "65536", "--table: 65536 is not a prime (Maglev needs a prime table size, e.g. 65537)"},
        {"--table", "5", "--table: 5 is out of range; it must be 7..16777213"},
        {"--balance", "99", "--balance: 99 is out of range; it must be 100..100000"},
        {"--probes", "65", "--probes: 65 is out of range; it must be 1..64"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[] = {"ringscope", "sim", (char *)bad[i].flag, (char *)bad[i].value};
        assert_int_equal(parse(&o, err, 4, argv), -1);
        if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
            fail_msg("got \"%s\", want prefix \"%s\"", err, bad[i].want);
    }
    char *missing[] = {"ringscope", "sim", "--vnodes"};
    assert_int_equal(parse(&o, err, 3, missing), -1);
    assert_string_equal(err, "--vnodes needs a value");
    char *points[] = {"ringscope", "sim", "--nodes", "a,b,c,d,e", "--vnodes", "10000", "--vectors", "1"};
    assert_int_equal(parse(&o, err, 8, points), 0);
    opts_free(&o);
    /* A strategy parameter a command does not take is named as such. */
    char *bench[] = {"ringscope", "bench", "--probes", "3"};
    assert_int_equal(opts_parse(4, bench, 2, OPTS_BENCH, &o, err, sizeof err), -1);
    assert_string_equal(err, "ringscope bench does not take --probes (see ringscope bench --help)");
}

/* Parameters parse into their strategy's field and read back through the
 * table; the defaults are sim_config_default's. */
static void opts_strategy_params(void **state)
{
    (void)state;
    opts_t o;
    char err[512];
    char *a[] = {"ringscope", "sim", "--table=251", "--probes", "7"};
    assert_int_equal(parse(&o, err, 5, a), 0);
    assert_int_equal(o.params.table, 251);
    assert_int_equal(o.params.probes, 7);
    sim_config_t d;
    sim_config_default(&d);
    assert_int_equal(o.params.balance, d.params.balance);
    assert_int_equal(o.vnodes, d.vnodes);
    assert_int_equal(o.vectors, d.vectors);
    assert_int_equal(o.seed, d.seed);
    assert_int_equal(o.strategy, strat_default());
    size_t params = 0;
    for (int k = 0; k < STRAT_COUNT; k++) {
        const strat_ops_t *ops = strat_ops((strat_kind_t)k);
        for (size_t i = 0; i < ops->param_count; i++, params++) {
            const strat_param_t *p = &ops->params[i];
            strat_kind_t owner = STRAT_COUNT;
            /* A flag several strategies take (--shards) is found at its
             * first row; each row keeps its own default and limits. */
            const strat_param_t *first = strat_param_find(p->flag, strlen(p->flag), &owner);
            assert_non_null(first);
            assert_int_equal(first == p, strat_param_first(p));
            assert_int_equal(first->offset, p->offset);
            if (first == p)
                assert_int_equal(owner, k);
            assert_true(p->min >= 1 && p->def <= p->max); /* 0 means "not given" */
            assert_true(p->def == 0 ? p->def_text != NULL : p->min <= p->def); /* 0: worked out, said how */
            assert_int_equal(strat_param_get(&d.params, p), p->def);
        }
    }
    assert_int_equal(params, 10);
    strat_params_t none = {0};
    assert_int_equal(strat_param_get(&none, strat_param_find("--table", 7, NULL)), STRAT_TABLE_DEFAULT);
    /* In force: each strategy's own default for the shared --shards. */
    strat_t es, shards;
    strat_init(&es, STRAT_ES, &none);
    strat_init(&shards, STRAT_SHARDS, &none);
    assert_int_equal(es.params.shards, 1);
    assert_int_equal(shards.params.shards, STRAT_SHARDS_DEFAULT);
    opts_free(&o);
    char list[256];
    opts_param_flags(list, sizeof list);
    assert_string_equal(list, "--table M, --balance P, --probes K, --shards S, --routing-shards R");
    assert_string_equal(strat_names_list(),
                        "ring, modulo, jump, rendezvous, maglev, bounded, multiprobe, ketama, shards, redis-cluster, "
                        "elasticsearch, qdrant, milvus, cassandra, kafka, weaviate, memcached");
    assert_string_equal(strat_preset_names(),
                        "redis-cluster, elasticsearch, qdrant, milvus, cassandra, kafka, weaviate, memcached");
    strat_kind_t k;
    assert_int_equal(strat_parse("memcached", 9, &k), 0); /* an alias row */
    assert_int_equal(k, STRAT_KETAMA);
    assert_true(strat_is_preset_name("memcached", 9) && strat_is_preset_name("qdrant", 6));
    assert_false(strat_is_preset_name("ketama", 6) || strat_is_preset_name("shards", 6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nodeid_trims_and_validates),
        cmocka_unit_test(ring_add_remove_lookup),
        cmocka_unit_test(ring_add_many_matches_adds),
        cmocka_unit_test(ring_limits),
        cmocka_unit_test(scn_parses_scripts),
        cmocka_unit_test(scn_format_round_trips),
        cmocka_unit_test(scn_reports_file_and_line),
        cmocka_unit_test(scn_table_and_check),
        cmocka_unit_test(sim_reference_numbers),
        cmocka_unit_test(sim_empty_ring),
        cmocka_unit_test(sim_checks_limits_on_live_state),
        cmocka_unit_test(store_reports_progress_of_big_builds),
        cmocka_unit_test(embed_is_normalised_and_reproducible),
        cmocka_unit_test(opts_defaults_and_values),
        cmocka_unit_test(opts_errors),
        cmocka_unit_test(opts_strategy_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
