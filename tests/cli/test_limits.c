/* test_limits — opts_scenario refuses a scenario that would pass a size limit
 * at some command, before anything runs, naming that command.
 *
 * Random --do add/remove sequences run near the point budget (400 nodes x
 * 10,000 vnodes = RS_MAX_POINTS): an add of a new node while 400 are live
 * must be refused, and a naive list of live ids says which command that is
 * (or that none is). Many ids share hash buckets in opts.c's live
 * set, which exercises its deletions. A second case holds the node limit
 * (RS_MAX_NODES) the same way, and a third a `vnodes` rebuild.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_limits.h"
#include "opts.h"

#define STEPS 1500u

typedef struct argv_buf {
    char **argv;
    int argc, cap;
} argv_buf_t;

static void push(argv_buf_t *a, const char *s)
{
    if (a->argc == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        a->argv = realloc(a->argv, (size_t)a->cap * sizeof *a->argv);
        assert_non_null(a->argv);
    }
    size_t n = strlen(s) + 1;
    a->argv[a->argc] = malloc(n);
    assert_non_null(a->argv[a->argc]);
    memcpy(a->argv[a->argc], s, n);
    a->argc++;
}

static void argv_free(argv_buf_t *a)
{
    for (int i = 0; i < a->argc; i++)
        free(a->argv[i]);
    free(a->argv);
    memset(a, 0, sizeof *a);
}

static uint64_t rng_state = 0x12345678u;
static unsigned rng_below(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

/* Runs opts_parse + opts_scenario; returns 0 or -1 and the message. */
static int scenario(argv_buf_t *a, char *err, size_t n)
{
    opts_t o;
    assert_int_equal(opts_parse(a->argc, a->argv, 0, OPTS_SIM, &o, err, n), 0);
    scn_script_t s;
    int rc = opts_scenario(&o, &s, err, n);
    if (rc == 0)
        scn_free(&s);
    opts_free(&o);
    return rc;
}

/* Live-set model: a plain array, searched linearly. */
static int model_find(char (*live)[16], unsigned count, const char *id)
{
    for (unsigned i = 0; i < count; i++)
        if (strcmp(live[i], id) == 0)
            return (int)i;
    return -1;
}

static void random_sequences(unsigned initial, unsigned vnodes, unsigned max_live)
{
    static char live[RS_MAX_NODES + 1][16];
    char buf[64], err[1024];
    unsigned refused = 0, accepted = 0;
    for (unsigned round = 0; round < 40; round++) {
        /* A pool barely larger than the limit makes removes win and the
         * scenario stay within it; a large pool drives it over. */
        unsigned pool = max_live + 1 + rng_below(2 * max_live);
        argv_buf_t a = {0};
        unsigned count = 0;
        push(&a, "--vnodes");
        snprintf(buf, sizeof buf, "%u", vnodes);
        push(&a, buf);
        char *nodes = malloc(initial * 8 + 1);
        assert_non_null(nodes);
        nodes[0] = '\0';
        for (unsigned i = 0; i < initial; i++) {
            snprintf(live[count++], sizeof live[0], "n%u", i);
            strcat(nodes, live[count - 1]);
            if (i + 1 < initial)
                strcat(nodes, ",");
        }
        push(&a, "--nodes");
        push(&a, nodes);
        free(nodes);
        /* The model says at which --do (if any) the limit is first passed. */
        int expect_fail = -1;
        char fail_cmd[96] = "";
        for (unsigned k = 0; k < STEPS; k++) {
            int add = rng_below(2) == 0;
            char id[16];
            snprintf(id, sizeof id, "n%u", rng_below(pool));
            snprintf(buf, sizeof buf, "%s %s", add ? "add" : "remove", id);
            push(&a, "--do");
            push(&a, buf);
            if (expect_fail >= 0)
                continue;
            int at = model_find(live, count, id);
            if (add && at < 0) {
                if (count >= max_live) {
                    expect_fail = (int)k;
                    snprintf(fail_cmd, sizeof fail_cmd, "--do \"%s\": ", buf);
                    continue;
                }
                snprintf(live[count++], sizeof live[0], "%s", id);
            } else if (!add && at >= 0) {
                memcpy(live[at], live[--count], sizeof live[0]);
            }
        }
        int rc = scenario(&a, err, sizeof err);
        if (expect_fail < 0) {
            if (rc != 0)
                fail_msg("round %u: refused a scenario within limits: %s", round, err);
            accepted++;
        } else {
            if (rc == 0)
                fail_msg("round %u: accepted a scenario that passes a limit at --do %d", round, expect_fail);
            if (strncmp(err, fail_cmd, strlen(fail_cmd)) != 0)
                fail_msg("round %u: expected \"%s...\", got \"%s\"", round, fail_cmd, err);
            assert_non_null(strstr(err, "the limit is"));
            refused++;
        }
        argv_free(&a);
    }
    /* Both outcomes must have been tested. */
    assert_true(refused > 0);
    assert_true(accepted > 0);
}

static void points_limit_is_checked_per_command(void **state)
{
    (void)state;
    random_sequences(350, 10000, 400); /* 400 x 10,000 = RS_MAX_POINTS */
}

static void node_limit_is_checked_per_command(void **state)
{
    (void)state;
    random_sequences(RS_MAX_NODES - 50, 1, RS_MAX_NODES);
}

static void rebuild_limit_names_the_command(void **state)
{
    (void)state;
    argv_buf_t a = {0};
    char err[1024];
    const char *args[] = {"--nodes", "a,b,c,d,e", "--do", "vnodes 10000", "--do", "remove a", "--do", "add f"};
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++)
        push(&a, args[i]);
    assert_int_equal(scenario(&a, err, sizeof err), 0); /* 5 x 10,000: fine */
    argv_free(&a);

    char *nodes = malloc(401 * 6);
    assert_non_null(nodes);
    nodes[0] = '\0';
    for (unsigned i = 0; i < 401; i++)
        sprintf(nodes + strlen(nodes), "%sn%u", i ? "," : "", i);
    const char *big[] = {"--vnodes", "1", "--nodes", nodes, "--do", "vnodes 9975", "--do", "remove n1",
                         "--do", "vnodes 10000", "--do", "add n1"};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
        push(&a, big[i]);
    assert_int_equal(scenario(&a, err, sizeof err), -1);
    assert_string_equal(err, "--do \"add n1\": 401 nodes x 10000 vnodes would be 4010000 ring points; the limit is "
                             "4000000");
    argv_free(&a);
    free(nodes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_limit_is_checked_per_command),
        cmocka_unit_test(node_limit_is_checked_per_command),
        cmocka_unit_test(rebuild_limit_names_the_command),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
