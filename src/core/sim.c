#include "sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void step_begin(sim_step_t *step, int op, const char *node)
{
    memset(step, 0, sizeof *step);
    step->op = op;
    if (node)
        snprintf(step->node, sizeof step->node, "%s", node);
    step->ideal_fraction = NAN;
}

static void step_finish(const sim_t *s, sim_step_t *step)
{
    double keys = (double)s->store.count;
    step->moved_fraction = (double)step->moved / (keys > 1.0 ? keys : 1.0);
}

const char *sim_step_name(const sim_step_t *step)
{
    return step->op == SIM_STEP_INIT ? "init" : scn_op_name((scn_op_t)step->op);
}

static store_moves_t *moves_of(sim_t *s)
{
    if (!s->collect_moves)
        return NULL;
    s->moves.count = 0;
    s->moves.failed = 0;
    return &s->moves;
}

int sim_init(sim_t *s, const sim_config_t *cfg, sim_step_t *step, char *err, size_t err_size)
{
    memset(s, 0, sizeof *s);
    ring_init(&s->ring, cfg->vnodes);
    store_init(&s->store);
    s->collect_moves = cfg->collect_moves;
    s->dim = cfg->dim;
    s->seed = cfg->seed;
    step_begin(step, SIM_STEP_INIT, NULL);
    /* One bulk build: adding thousands of nodes one by one would merge the
     * whole ring once per node. */
    size_t *lens = malloc((cfg->node_count + 1) * sizeof *lens);
    uint16_t *slots = malloc((cfg->node_count + 1) * sizeof *slots);
    if (!lens || !slots) {
        free(lens);
        free(slots);
        snprintf(err, err_size, "out of memory for %zu nodes", cfg->node_count);
        return -1;
    }
    for (size_t i = 0; i < cfg->node_count; i++)
        lens[i] = strlen(cfg->nodes[i]);
    size_t bad = 0;
    int rc = ring_add_many(&s->ring, cfg->nodes, lens, cfg->node_count, slots, &bad, err,
                           err_size);
    free(lens);
    free(slots);
    if (rc == RING_E_EXISTS) {
        snprintf(err, err_size, "node \"%s\" is listed twice", cfg->nodes[bad]);
        return -1;
    }
    if (rc != RING_OK)
        return -1;
    if (store_resize(&s->store, (size_t)cfg->vectors, &s->ring) != 0) {
        snprintf(err, err_size, "out of memory for %llu embeddings", (unsigned long long)cfg->vectors);
        return -1;
    }
    step->changed = 1;
    snprintf(step->message, sizeof step->message, "Initial ring");
    step_finish(s, step);
    return 0;
}

void sim_free(sim_t *s)
{
    ring_free(&s->ring);
    store_free(&s->store);
    store_moves_free(&s->moves);
}

/* Adding: the new node takes over, for each of its points p, the keys in
 * (predecessor of p, p]. Nothing else changes owner. */
static void rebalance_added(sim_t *s, uint16_t slot, sim_step_t *step)
{
    const ring_t *r = &s->ring;
    store_moves_t *moves = moves_of(s);
    for (uint32_t j = 0; j < r->count; j++) {
        if (r->node[j] != slot)
            continue;
        uint64_t prev = r->pos[j == 0 ? r->count - 1 : j - 1];
        /* Single point: prev == pos, and [pos+1, pos] is the whole ring. */
        step->moved += store_assign_range(&s->store, prev + 1, r->pos[j], slot, moves, &step->visited);
    }
}

typedef struct arc {
    uint64_t lo, hi;
} arc_t;

static int do_add(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    uint16_t slot;
    int rc = ring_add(&s->ring, cmd->node, cmd->node_len, &slot, err, err_size);
    if (rc == RING_E_EXISTS) {
        snprintf(step->message, sizeof step->message, "%s is already on the ring; nothing changed", cmd->node);
        return 0;
    }
    if (rc != RING_OK)
        return -1;
    rebalance_added(s, slot, step);
    step->changed = 1;
    step->ideal_fraction = 1.0 / s->ring.live_count;
    snprintf(step->message, sizeof step->message, "Added %s", cmd->node);
    return 0;
}

/* Removing: each arc (predecessor, p] of the node's points goes to the owner
 * of the next remaining point. The arcs are taken before the points go. */
static int do_remove(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    ring_t *r = &s->ring;
    uint16_t slot = ring_find_node(r, cmd->node, cmd->node_len);
    if (slot == RING_NONE) {
        snprintf(step->message, sizeof step->message, "%s is not on the ring; nothing changed", cmd->node);
        return 0;
    }
    double keys = (double)s->store.count;
    step->ideal_fraction = (double)s->store.counts[slot] / (keys > 1.0 ? keys : 1.0);
    arc_t *arcs = malloc((size_t)r->vnodes * sizeof *arcs + sizeof *arcs);
    if (!arcs) {
        snprintf(err, err_size, "out of memory removing %s", cmd->node);
        return -1;
    }
    size_t n = 0;
    for (uint32_t j = 0; j < r->count; j++)
        if (r->node[j] == slot)
            arcs[n++] = (arc_t){r->pos[j == 0 ? r->count - 1 : j - 1] + 1, r->pos[j]};
    uint16_t removed;
    ring_remove(r, cmd->node, cmd->node_len, &removed);
    store_moves_t *moves = moves_of(s);
    for (size_t i = 0; i < n; i++)
        step->moved += store_assign_range(&s->store, arcs[i].lo, arcs[i].hi, ring_owner(r, arcs[i].hi), moves,
                                          &step->visited);
    free(arcs);
    step->changed = 1;
    snprintf(step->message, sizeof step->message, "Removed %s", cmd->node);
    return 0;
}

int sim_apply(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    step_begin(step, (int)cmd->op, (cmd->op == SCN_ADD || cmd->op == SCN_REMOVE) ? cmd->node : NULL);
    if (s->collect_moves)
        s->moves.count = 0;
    int rc = 0;
    switch (cmd->op) {
    case SCN_ADD:
        rc = do_add(s, cmd, step, err, err_size);
        break;
    case SCN_REMOVE:
        rc = do_remove(s, cmd, step, err, err_size);
        break;
    case SCN_VNODES:
        rc = ring_rebuild(&s->ring, (uint32_t)cmd->value, err, err_size);
        if (rc != RING_OK)
            return -1;
        step->moved = store_assign_all(&s->store, &s->ring, moves_of(s));
        step->visited = s->store.count;
        step->changed = 1;
        snprintf(step->message, sizeof step->message, "Rebuilt ring with vnodes_per_node=%u",
                 (unsigned)cmd->value);
        break;
    case SCN_VECTORS:
        if (store_resize(&s->store, (size_t)cmd->value, &s->ring) != 0) {
            snprintf(err, err_size, "out of memory for %llu embeddings", (unsigned long long)cmd->value);
            return -1;
        }
        step->changed = 1;
        step->ideal_fraction = 0.0;
        snprintf(step->message, sizeof step->message, "Resized to %llu vectors", (unsigned long long)cmd->value);
        break;
    case SCN_WAIT:
        snprintf(step->message, sizeof step->message, "Waited %g s", cmd->seconds);
        break;
    }
    if (rc != 0)
        return -1;
    if (s->collect_moves && s->moves.failed) {
        snprintf(err, err_size, "out of memory recording moves");
        return -1;
    }
    if (!step->changed && isnan(step->ideal_fraction))
        step->ideal_fraction = 0.0;
    step_finish(s, step);
    return 0;
}

void sim_stats(const sim_t *s, sim_stats_t *out)
{
    sim_stats_of(&s->ring, s->store.counts, s->store.count, s->store.counts[RS_MAX_NODES], out);
}

void sim_stats_of(const ring_t *r, const uint64_t *counts, uint64_t keys, uint64_t unassigned, sim_stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->keys = keys;
    out->unassigned = unassigned;
    out->nodes = r->live_count;
    if (r->live_count == 0)
        return;
    out->min = UINT64_MAX;
    double sum = 0.0, sum2 = 0.0;
    for (uint32_t slot = 0; slot < r->slot_count; slot++) {
        if (!r->nodes[slot].live)
            continue;
        uint64_t c = counts[slot];
        sum += (double)c;
        sum2 += (double)c * (double)c;
        if (c > out->max)
            out->max = c;
        if (c < out->min)
            out->min = c;
    }
    out->mean = sum / r->live_count;
    if (out->mean > 0.0) {
        double var = sum2 / r->live_count - out->mean * out->mean;
        out->max_over_mean = (double)out->max / out->mean;
        out->std_over_mean = sqrt(var > 0.0 ? var : 0.0) / out->mean;
    }
}
