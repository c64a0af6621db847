/* Golden test: placement, movement and distribution against values that
 * tests/unit/golden_gen.py computed with Python's hashlib from the reference
 * notebook's algorithm (data/golden.txt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "sim.h"

static size_t unhex(const char *hex, char *out, size_t cap)
{
    if (strcmp(hex, "-") == 0) {
        out[0] = '\0';
        return 0;
    }
    size_t n = strlen(hex) / 2;
    assert_true(n < cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (char)v;
    }
    out[n] = '\0';
    return n;
}

/* Splits line into space-separated words in place. */
static int split(char *line, char **words, int max)
{
    int n = 0;
    for (char *tok = strtok(line, " \n"); tok && n < max; tok = strtok(NULL, " \n"))
        words[n++] = tok;
    return n;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void check_dist(const sim_t *s, char **w, int n)
{
    /* Every listed node has that count; no other live node has keys. */
    uint64_t listed = 0;
    for (int i = 1; i < n; i++) {
        char *eq = strchr(w[i], '=');
        assert_non_null(eq);
        *eq = '\0';
        char id[300];
        size_t len = unhex(w[i], id, sizeof id);
        uint16_t slot = ring_find_node(&s->ring, id, len);
        assert_int_not_equal(slot, RING_NONE);
        uint64_t want = strtoull(eq + 1, NULL, 10);
        if (s->store.counts[slot] != want)
            fail_msg("node %s: %llu keys, expected %llu", id, (unsigned long long)s->store.counts[slot],
                     (unsigned long long)want);
        listed++;
    }
    assert_int_equal(listed, s->ring.live_count);
}

static void check_owners(const sim_t *s, char **w, int n)
{
    uint64_t first = strtoull(w[1], NULL, 10);
    for (size_t p = 0; p < s->store.count; p++) {
        uint64_t i = s->store.index[p];
        if (i < first || i >= first + (uint64_t)(n - 2))
            continue;
        char id[300];
        size_t len = unhex(w[2 + (i - first)], id, sizeof id);
        uint16_t owner = s->store.owner[p];
        if (len == 0) {
            assert_int_equal(owner, RING_NONE);
        } else {
            assert_int_not_equal(owner, RING_NONE);
            const ring_node_t *node = &s->ring.nodes[owner];
            if (node->id_len != len || memcmp(node->id, id, len) != 0)
                fail_msg("vec %llu owned by %s, expected %s", (unsigned long long)i, node->id, id);
        }
    }
}

static void golden(void **state)
{
    (void)state;
    char *text = read_all(RS_TEST_DATA "/golden.txt");
    sim_t sim;
    int have_sim = 0, cases = 0, steps = 0, hashes = 0;
    sim_config_t cfg = {0};
    static char ids[256][300];
    const char *id_ptrs[256];
    char *w[4096];
    char err[512];
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        int n = split(line, w, 4096);
        if (n == 0)
            continue;
        if (strcmp(w[0], "hash") == 0) {
            static char bytes[400];
            size_t len = unhex(w[1], bytes, sizeof bytes);
            assert_true(hash64(bytes, len) == strtoull(w[2], NULL, 10));
            assert_true(hash64_portable(bytes, len) == strtoull(w[2], NULL, 10));
            hashes++;
        } else if (strcmp(w[0], "case") == 0) {
            print_message("case %s\n", w[1]);
            cases++;
        } else if (strcmp(w[0], "config") == 0) {
            memset(&cfg, 0, sizeof cfg);
            cfg.vnodes = (uint32_t)strtoul(w[1], NULL, 10);
            cfg.vectors = strtoull(w[2], NULL, 10);
            cfg.dim = 8;
            cfg.seed = 42;
            cfg.collect_moves = 1;
            assert_true(n - 3 <= 256);
            for (int i = 3; i < n; i++) {
                unhex(w[i], ids[i - 3], sizeof ids[0]);
                id_ptrs[i - 3] = ids[i - 3];
            }
            cfg.nodes = id_ptrs;
            cfg.node_count = (size_t)(n - 3);
        } else if (strcmp(w[0], "step") == 0) {
            sim_step_t step;
            uint64_t want = strtoull(w[3], NULL, 10);
            if (strcmp(w[1], "init") == 0) {
                assert_int_equal(sim_init(&sim, &cfg, &step, err, sizeof err), 0);
                have_sim = 1;
            } else {
                scn_cmd_t cmd = {0};
                if (strcmp(w[1], "add") == 0 || strcmp(w[1], "remove") == 0) {
                    cmd.op = strcmp(w[1], "add") == 0 ? SCN_ADD : SCN_REMOVE;
                    cmd.node_len = (uint32_t)unhex(w[2], cmd.node, sizeof cmd.node);
                } else {
                    cmd.op = strcmp(w[1], "vnodes") == 0 ? SCN_VNODES : SCN_VECTORS;
                    cmd.value = strtoull(w[2], NULL, 10);
                }
                steps++;
                assert_int_equal(sim_apply(&sim, &cmd, &step, err, sizeof err), 0);
            }
            if (step.moved != want)
                fail_msg("%s: moved %llu, expected %llu", w[1], (unsigned long long)step.moved,
                         (unsigned long long)want);
            assert_int_equal(sim.moves.count, step.moved);
        } else if (strcmp(w[0], "dist") == 0) {
            check_dist(&sim, w, n);
        } else if (strcmp(w[0], "owners") == 0) {
            check_owners(&sim, w, n);
        } else if (strcmp(w[0], "end") == 0) {
            assert_true(have_sim);
            sim_free(&sim);
            have_sim = 0;
        } else {
            fail_msg("unknown golden record \"%s\"", w[0]);
        }
    }
    free(text);
    print_message("%d hashes, %d cases, %d steps\n", hashes, cases, steps);
    assert_true(hashes >= 300);
    assert_true(cases >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
