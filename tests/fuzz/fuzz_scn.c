/* fuzz_scn — libFuzzer target for scenario scripts and node ids.
 *
 * The input is a script. scn_parse must either fail with a clean
 * "fuzz:LINE: message" or give commands; those then run on a small
 * simulation (vnodes and vectors folded into small ranges so runs stay fast)
 * and after every step the simulation must be consistent: counts add up,
 * owners are live, moves match, keys held add up to the keys with data,
 * and every owner is what a fresh lookup under the strategy in force says
 * (incremental == full). The input is also fed to nodeid_normalize, whose
 * result must be a fixed point.
 */
#include "fuzz_check.h"
#include "rs_limits.h"
#include "nodeid.h"
#include "scn.h"
#include "sim.h"
#include "store.h"

#define FUZZ_MAX_VNODES 24u
#define FUZZ_MAX_VECTORS 700u
#define FUZZ_MAX_STEPS 3000u

/* nodeid_quote must stay inside any buffer and give clean text. */
static void check_quote(const uint8_t *data, size_t size)
{
    static const size_t sizes[] = {1, 2, 3, 4, 5, 6, 7, 9, 13, 64, 300};
    char *buf = malloc(300);
    FUZZ_CHECK(buf != NULL, "malloc");
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        /* An exact-size heap copy lets ASan see any write past the end. */
        char *out = malloc(sizes[k]);
        FUZZ_CHECK(out != NULL, "malloc");
        nodeid_quote((const char *)data, size, out, sizes[k]);
        size_t n = 0;
        while (n < sizes[k] && out[n])
            n++;
        FUZZ_CHECK(n < sizes[k], "no NUL within %zu bytes", sizes[k]);
        memcpy(buf, out, n + 1);
        FUZZ_CHECK(n == 0 || fuzz_message_ok(buf), "quote \"%s\"", buf);
        free(out);
    }
    free(buf);
}

static void check_nodeid(const uint8_t *data, size_t size)
{
    check_quote(data, size);
    char id[NODEID_MAX + 1], again[NODEID_MAX + 1], err[512];
    size_t n, m;
    if (nodeid_normalize((const char *)data, size, id, &n, err, sizeof err) != 0) {
        FUZZ_CHECK(fuzz_message_ok(err), "nodeid message \"%s\"", err);
        return;
    }
    FUZZ_CHECK(n >= 1 && n <= NODEID_MAX && strlen(id) == n, "length %zu", n);
    FUZZ_CHECK(nodeid_normalize(id, n, again, &m, err, sizeof err) == 0, "normalized id refused: %s", err);
    FUZZ_CHECK(m == n && memcmp(id, again, n) == 0, "normalize is not idempotent");
}

/* applied: the step ran; its moves are then its moved keys, except that a
 * resize's list also holds the new keys a strategy placed off the ring
 * (they are not moved: they had no data anywhere). */
static void check_sim(sim_t *s, const sim_step_t *step, int applied)
{
    const ring_t *r = &s->ring;
    const store_t *st = &s->store;
    uint64_t recount[RS_MAX_NODES + 1];
    memset(recount, 0, sizeof recount);
    for (size_t i = 0; i < st->count; i++) {
        uint16_t o = st->owner[i];
        if (r->live_count == 0)
            FUZZ_CHECK(o == RING_NONE, "owner %u on an empty ring", o);
        else
            FUZZ_CHECK(o < r->slot_count && r->nodes[o].live, "key %zu owned by dead slot %u", i, o);
        recount[o == RING_NONE ? RS_MAX_NODES : o]++;
        if (i)
            FUZZ_CHECK(st->hash[i - 1] <= st->hash[i], "store not sorted at %zu", i);
    }
    for (uint32_t k = 0; k <= RS_MAX_NODES; k++)
        FUZZ_CHECK(recount[k] == st->counts[k], "slot %u counts %llu, recount %llu", k,
                   (unsigned long long)st->counts[k], (unsigned long long)recount[k]);
    FUZZ_CHECK(r->count == r->live_count * r->vnodes, "points %u != %u x %u", r->count, r->live_count, r->vnodes);
    for (uint32_t j = 1; j < r->count; j++)
        FUZZ_CHECK(r->pos[j - 1] < r->pos[j], "ring points not sorted/unique at %u", j);
    /* Without copies moved keys are owner changes; with copies they are
     * primary-holder changes (a crash moves none), and the keys held add
     * up to the keys with data. */
    if (applied && !s->repl.on && step->op != SCN_VECTORS)
        FUZZ_CHECK(s->moves.count == step->moved, "moves %zu != moved %llu", s->moves.count,
                   (unsigned long long)step->moved);
    if (s->repl.on && r->live_count) {
        uint64_t held = 0;
        for (uint32_t slot = 0; slot < r->slot_count; slot++)
            held += r->nodes[slot].live ? sim_counts(s)[slot] : 0;
        FUZZ_CHECK(held == st->count - s->repl.lost_total, "held %llu != %zu keys - %llu lost",
                   (unsigned long long)held, st->count, (unsigned long long)s->repl.lost_total);
    }
    /* Incremental must equal full: every owner is a fresh lookup's, under
     * whatever strategy is in force. */
    for (size_t i = 0; i < st->count; i++) {
        strat_key_t key;
        strat_where_t w;
        sim_key_at(s, i, &key);
        sim_locate(s, &key, &w);
        FUZZ_CHECK(w.owner == st->owner[i], "key %zu: owner %u, a fresh lookup says %u", i, st->owner[i], w.owner);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_nodeid(data, size);

    scn_script_t script;
    char err[1024];
    if (scn_parse((const char *)data, size, "fuzz", &script, err, sizeof err) != 0) {
        FUZZ_CHECK(strncmp(err, "fuzz:", 5) == 0, "no location in \"%s\"", err);
        FUZZ_CHECK(fuzz_message_ok(err), "message \"%s\"", err);
        return 0;
    }
    for (size_t i = 0; i < script.count; i++) {
        const scn_cmd_t *c = &script.cmds[i];
        FUZZ_CHECK(c->line >= 1, "command without a line");
        if (c->op == SCN_ADD || c->op == SCN_REMOVE) {
            char again[NODEID_MAX + 1];
            size_t m;
            FUZZ_CHECK(c->node_len >= 1 && c->node_len <= NODEID_MAX && strlen(c->node) == c->node_len, "id");
            FUZZ_CHECK(nodeid_normalize(c->node, c->node_len, again, &m, err, sizeof err) == 0, "id %s", err);
        }
        if (c->op == SCN_VNODES)
            FUZZ_CHECK(c->value >= 1 && c->value <= RS_MAX_VNODES, "vnodes %llu", (unsigned long long)c->value);
        if (c->op == SCN_VECTORS)
            FUZZ_CHECK(c->value <= RS_MAX_VECTORS, "vectors %llu", (unsigned long long)c->value);
        if (c->op == SCN_WAIT)
            FUZZ_CHECK(c->seconds >= 0.0 && c->seconds <= RS_MAX_WAIT_SECONDS, "wait %g", c->seconds);
    }

    static const char *const nodes[] = {"nodeA", "nodeB", "nodeC"};
    sim_config_t cfg = {.nodes = nodes, .node_count = 3, .vnodes = 8, .vectors = 200, .dim = 8, .seed = 1,
                        .collect_moves = 1};
    sim_t s;
    sim_step_t step;
    FUZZ_CHECK(sim_init(&s, &cfg, &step, err, sizeof err) == 0, "init: %s", err);
    check_sim(&s, &step, 0);
    for (size_t i = 0; i < script.count && i < FUZZ_MAX_STEPS; i++) {
        scn_cmd_t c = script.cmds[i];
        if (c.op == SCN_VNODES)
            c.value = 1 + (c.value - 1) % FUZZ_MAX_VNODES;
        if (c.op == SCN_VECTORS)
            c.value %= FUZZ_MAX_VECTORS + 1;
        int rc = sim_apply(&s, &c, &step, err, sizeof err);
        if (rc != 0) {
            FUZZ_CHECK(fuzz_message_ok(err), "sim message \"%s\"", err);
            check_sim(&s, &step, 0);
            continue;
        }
        FUZZ_CHECK(fuzz_message_ok(step.message), "step message \"%s\"", step.message);
        FUZZ_CHECK(step.moved <= s.store.count, "moved %llu of %zu", (unsigned long long)step.moved,
                   s.store.count);
        check_sim(&s, &step, 1);
    }
    sim_free(&s);
    scn_free(&script);
    return 0;
}
