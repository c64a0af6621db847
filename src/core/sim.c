#include "sim.h"

#include "par.h"
#include "scn_limits.h"

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

/* ---- re-placing keys under a strategy other than the ring -------------- */

/* Which keys a change asks to look up again. */
typedef enum sim_scope {
    SIM_ALL,        /* every key */
    SIM_ADDED,      /* after an add: the strategy's after_add, else all */
    SIM_REMOVED,    /* after a removal: keys of two nodes, else all */
} sim_scope_t;

typedef struct place_job {
    const sim_t *s;
    sim_scope_t scope;
    uint16_t a, b;  /* SIM_ADDED: a = the added node; SIM_REMOVED: the removed node and the one moved into its jump slot */
    /* Without a moves list (which keeps store order) each part also gives
     * its keys their new owners: */
    store_t *apply;           /* the store to change, or NULL: the caller does */
    uint64_t limit;           /* moved counts keys with index < limit */
    int64_t (*delta)[RS_MAX_NODES + 1]; /* per part: changes of the counts */
    uint64_t moved[PAR_MAX_THREADS];    /* per part */
} place_job_t;

/* The change a scope describes, as a strategy's build reads it. */
static strat_change_t change_of(sim_scope_t scope, uint16_t a)
{
    return strat_change_of(scope == SIM_ADDED ? a : RING_NONE, scope == SIM_REMOVED ? a : RING_NONE, RING_NONE);
}

/* The own key hashes in store order (a pass over all keys reads them
 * sequentially), while they are. */
static const uint32_t *own_by_pos(const sim_t *s)
{
    if (!s->own_sorted_valid)
        return NULL;
    return s->store.by_index ? s->own : s->own_sorted;
}

void sim_key_at(const sim_t *s, size_t pos, strat_key_t *key)
{
    strat_key_at(&s->store, own_by_pos(s), pos, key);
}

/* What replication reads of the placement (repl.h). */
static void view_of(const sim_t *s, repl_view_t *v)
{
    v->strat = &s->strat;
    v->nodes = &s->nodes;
    v->store = &s->store;
    v->own = own_by_pos(s);
}

static int sync_copies(sim_t *s, repl_mode_t mode, uint16_t node, size_t old_keys, char *err, size_t err_size)
{
    repl_view_t v;
    view_of(s, &v);
    return repl_sync(&s->repl, &v, mode, node, old_keys, err, err_size);
}

static void place_part(void *arg, unsigned part, unsigned parts)
{
    place_job_t *job = arg;
    const sim_t *s = job->s;
    const strat_ops_t *ops = s->strat.ops;
    size_t n = s->store.count, lo = n / parts * part, hi = part + 1 == parts ? n : n / parts * (part + 1);
    const size_t first = lo;
    /* Every key looked up again: the strategy's batch path, when it has one. */
    int all = job->scope == SIM_ALL || (job->scope == SIM_ADDED && !ops->after_add) ||
              (job->scope == SIM_REMOVED && !ops->remove_keeps_others);
    if (all && ops->owners && !ops->placed_owner) {
        const uint32_t *own = own_by_pos(s);
        ops->owners(s->strat.state, &s->nodes, s->store.hash ? s->store.hash + lo : NULL, own ? own + lo : NULL,
                    hi - lo, s->scratch + lo);
        lo = hi; /* all placed: skip the loop below */
    }
    for (size_t i = lo; i < hi; i++) {
        uint16_t old = s->store.owner[i];
        strat_key_t key;
        sim_key_at(s, i, &key);
        if (job->scope == SIM_ADDED && ops->after_add) {
            s->scratch[i] = ops->after_add(s->strat.state, &s->nodes, &key, old, job->a);
        } else if (job->scope == SIM_REMOVED && ops->remove_keeps_others && old != job->a && old != job->b) {
            s->scratch[i] = old;
        } else if (ops->placed_owner) {
            s->scratch[i] = ops->placed_owner(s->strat.state, &key);
        } else {
            strat_where_t w;
            strat_locate(&s->strat, &s->nodes, &key, &w);
            s->scratch[i] = w.owner;
        }
    }
    if (job->apply) {
        memset(job->delta[part], 0, sizeof job->delta[part]);
        job->moved[part] = store_set_owners_run(job->apply, first, hi, s->scratch, job->delta[part], job->limit);
    }
}

/* Own key hashes of embeddings first .. first+n-1 into out: copied from
 * the shared ones where they reach, computed beyond. */
static void own_fill(const sim_t *s, const strat_keyhash_t *kh, size_t first, size_t n, uint32_t *out)
{
    for (size_t k = 0; s->keys && k < s->keys->own_count; k++) {
        const sim_own_keys_t *o = &s->keys->own[k];
        if (o->hash != kh || o->count <= first)
            continue;
        size_t take = o->count - first < n ? o->count - first : n;
        memcpy(out, o->values + first, take * sizeof *out);
        first += take;
        out += take;
        n -= take;
        break;
    }
    if (n)
        kh->of_indexes(first, n, out);
}

/* A strategy with its own key hash (ketama: MD5 of the raw id) gets it
 * computed once per embedding (by index), only while it is in force, and
 * laid out in store order. */
static int ensure_own(sim_t *s)
{
    const strat_keyhash_t *kh = s->strat.ops->key_hash;
    size_t n = s->store.count;
    if (!kh)
        return 0;
    if (kh != s->own_hash) {
        s->own_hash = kh;
        s->own_count = 0;
        s->own_sorted_valid = 0;
    }
    if (s->own_sorted_valid && s->own_count >= n)
        return 0;
    if (s->own_count < n) {
        uint32_t *grown = realloc(s->own, (n + 1) * sizeof *grown);
        if (!grown)
            return -1;
        s->own = grown;
        own_fill(s, kh, s->own_count, n - s->own_count, s->own + s->own_count);
        s->own_count = n;
    }
    if (s->store.by_index) { /* store positions are indices */
        s->own_sorted_valid = 1;
        return 0;
    }
    uint32_t *sorted = realloc(s->own_sorted, (n + 1) * sizeof *sorted);
    if (!sorted)
        return -1;
    s->own_sorted = sorted;
    for (size_t i = 0; i < n; i++)
        sorted[i] = s->own[s->store.index[i]];
    s->own_sorted_valid = 1;
    return 0;
}

/* Rebuilds the strategy's structure for the current node set and keys and
 * gives every key in scope its new owner. Adds to step the keys moved among
 * those with embedding index < limit (new keys placed by a resize do not
 * count as moved). reweighted: the node whose weight changed, or
 * RING_NONE. */
static int replace_keys(sim_t *s, sim_step_t *step, sim_scope_t scope, uint16_t a, uint16_t b, uint16_t reweighted,
                        uint64_t limit, char *err, size_t err_size)
{
    if (ensure_own(s) != 0) {
        snprintf(err, err_size, "out of memory hashing keys for %s", s->strat.ops->name);
        return -1;
    }
    strat_change_t change = change_of(scope, a);
    change.reweighted = reweighted;
    if (strat_build(&s->strat, &s->nodes, &change, &s->store, err, err_size) != 0)
        return -1;
    size_t n = s->store.count;
    uint16_t *scratch = realloc(s->scratch, (n + 1) * sizeof *scratch);
    if (!scratch) {
        snprintf(err, err_size, "out of memory placing keys");
        return -1;
    }
    s->scratch = scratch;
    store_moves_t *moves = moves_of(s);
    unsigned parts = n < 20000 ? 1 : par_threads();
    place_job_t job = {.s = s, .scope = scope, .a = a, .b = b, .limit = limit};
    /* Without a moves list the parts give owners too, on every thread. */
    if (!moves && (job.delta = malloc(parts * sizeof *job.delta)))
        job.apply = &s->store;
    par_run(parts, place_part, &job);
    uint64_t moved = 0;
    if (job.apply) {
        for (unsigned p = 0; p < parts; p++) {
            store_add_counts(&s->store, job.delta[p]);
            moved += job.moved[p];
        }
        free(job.delta);
    } else {
        for (size_t i = 0; i < n; i++)
            if (store_set_owner(&s->store, i, scratch[i], moves) && s->store.index[i] < limit)
                moved++;
    }
    if (step) {
        step->moved += moved;
        step->visited += n;
    }
    return 0;
}

void sim_locate(const sim_t *s, const strat_key_t *key, strat_where_t *w)
{
    strat_locate(&s->strat, &s->nodes, key, w);
}

uint32_t sim_prefs_of_key(const sim_t *s, const strat_key_t *key, uint16_t *out)
{
    repl_view_t v;
    view_of(s, &v);
    return repl_prefs_of_key(&s->repl, &v, key, out);
}

void sim_config_default(sim_config_t *cfg)
{
    static const char *const nodes[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};
    memset(cfg, 0, sizeof *cfg);
    cfg->nodes = nodes;
    cfg->node_count = sizeof nodes / sizeof nodes[0];
    cfg->vnodes = 80;
    cfg->vectors = 6000;
    cfg->dim = 256;
    cfg->seed = 42;
    cfg->strategy = strat_default();
    strat_params_default(&cfg->params);
}

int sim_init(sim_t *s, const sim_config_t *cfg, sim_step_t *step, char *err, size_t err_size)
{
    memset(s, 0, sizeof *s);
    ring_init(&s->ring, cfg->vnodes);
    store_init(&s->store);
    s->keys = cfg->keys;
    strat_params_t p = cfg->params;
    strat_params_complete(&p);
    strat_init(&s->strat, cfg->strategy, &p);
    s->collect_moves = cfg->collect_moves;
    s->dim = cfg->dim;
    s->seed = cfg->seed;
    repl_init(&s->repl, cfg->dim);
    if (cfg->replicas)
        s->repl.replicas = s->repl.stride = cfg->replicas;
    if (cfg->record_bytes_set)
        s->repl.record_bytes = cfg->record_bytes;
    if (cfg->bandwidth > 0.0)
        s->repl.bandwidth = cfg->bandwidth;
    for (size_t i = 0; i < cfg->zone_count; i++) {
        int z = repl_zone_intern(&s->repl, cfg->zone_names[i]);
        if (z < 0 || repl_set_zone(&s->repl, cfg->zone_nodes[i], (uint16_t)z) < 0) {
            snprintf(err, err_size, "out of memory (or more than %u zones) for zone %s", REPL_ZONES_MAX,
                     cfg->zone_names[i]);
            return -1;
        }
    }
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
    if (rc == RING_E_EXISTS) {
        free(slots);
        snprintf(err, err_size, "node \"%s\" is listed twice", cfg->nodes[bad]);
        return -1;
    }
    if (rc != RING_OK) {
        free(slots);
        return -1;
    }
    /* Jump's slots start in order of addition. */
    for (size_t i = 0; i < cfg->node_count; i++)
        s->nodes.jump[i] = slots[i];
    free(slots);
    strat_nodes_refresh(&s->nodes, &s->ring);
    const store_t *sorted = cfg->keys ? cfg->keys->sorted : NULL;
    if (cfg->khash_on_demand && s->strat.ops->key_hash)
        store_init_by_index(&s->store);
    int fill = sorted && !s->store.by_index && sorted->count == cfg->vectors
                   ? store_copy_keys(&s->store, sorted, &s->ring)
                   : store_resize(&s->store, (size_t)cfg->vectors, &s->ring);
    if (fill != 0) {
        snprintf(err, err_size, "out of memory for %llu embeddings", (unsigned long long)cfg->vectors);
        return -1;
    }
    if (!s->strat.ops->follows_arcs &&
        replace_keys(s, NULL, SIM_ALL, 0, 0, RING_NONE, UINT64_MAX, err, err_size) != 0)
        return -1;
    if (cfg->repl_on && sync_copies(s, REPL_START, RING_NONE, s->store.count, err, err_size) != 0)
        return -1;
    step->changed = 1;
    snprintf(step->message, sizeof step->message, "Initial ring");
    step_finish(s, step);
    return 0;
}

void sim_free(sim_t *s)
{
    repl_free(&s->repl);
    strat_free(&s->strat);
    free(s->own);
    free(s->own_sorted);
    free(s->scratch);
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
    s->nodes.jump[s->nodes.n] = slot; /* jump appends a slot */
    strat_nodes_refresh(&s->nodes, &s->ring);
    repl_unmark_crashed(&s->repl, cmd->node); /* back as a new node */
    if (s->strat.ops->follows_arcs)
        rebalance_added(s, slot, step);
    else if (replace_keys(s, step, SIM_ADDED, slot, slot, RING_NONE, UINT64_MAX, err, err_size) != 0)
        return -1;
    step->changed = 1;
    step->ideal_fraction = 1.0 / (double)s->ring.weight_sum; /* the new node's weight is 1 */
    snprintf(step->message, sizeof step->message, "%s %s", cmd->op == SCN_RECOVER ? "Recovered" : "Added",
             cmd->node);
    return 0;
}

/* Removing: each arc (predecessor, p] of the node's points goes to the owner
 * of the next remaining point. The arcs are taken before the points go.
 * A crash (`fail`) leaves the placement the same way; *gone receives the
 * node's slot (its copies are repl's business). */
static int do_remove(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, uint16_t *gone, char *err, size_t err_size)
{
    ring_t *r = &s->ring;
    uint16_t slot = ring_find_node(r, cmd->node, cmd->node_len);
    if (slot == RING_NONE) {
        snprintf(step->message, sizeof step->message, "%s is not on the ring; nothing changed", cmd->node);
        return 0;
    }
    double keys = (double)s->store.count;
    step->ideal_fraction = (double)s->store.counts[slot] / (keys > 1.0 ? keys : 1.0);
    /* Jump: the last slot's node moves into the removed node's slot. */
    uint32_t js = 0;
    while (js < s->nodes.n && s->nodes.jump[js] != slot)
        js++;
    *gone = slot;
    uint16_t relocated = s->nodes.jump[s->nodes.n - 1];
    s->nodes.jump[js] = relocated;
    if (relocated == slot)
        relocated = RING_NONE;
    int arcs_move = s->strat.ops->follows_arcs;
    arc_t *arcs = arcs_move ? malloc((size_t)r->vnodes * r->nodes[slot].weight * sizeof *arcs + sizeof *arcs) : NULL;
    if (arcs_move && !arcs) {
        snprintf(err, err_size, "out of memory removing %s", cmd->node);
        return -1;
    }
    size_t n = 0;
    for (uint32_t j = 0; arcs && j < r->count; j++)
        if (r->node[j] == slot)
            arcs[n++] = (arc_t){r->pos[j == 0 ? r->count - 1 : j - 1] + 1, r->pos[j]};
    uint16_t removed;
    ring_remove(r, cmd->node, cmd->node_len, &removed);
    strat_nodes_refresh(&s->nodes, r);
    store_moves_t *moves = arcs_move ? moves_of(s) : NULL;
    for (size_t i = 0; i < n; i++)
        step->moved += store_assign_range(&s->store, arcs[i].lo, arcs[i].hi, ring_owner(r, arcs[i].hi), moves,
                                          &step->visited);
    free(arcs);
    if (!arcs_move && replace_keys(s, step, SIM_REMOVED, slot, relocated, RING_NONE, UINT64_MAX, err, err_size) != 0)
        return -1;
    step->changed = 1;
    snprintf(step->message, sizeof step->message, "%s %s", cmd->op == SCN_FAIL ? "Crashed" : "Removed", cmd->node);
    return 0;
}

static int do_vnodes(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    if (ring_rebuild(&s->ring, (uint32_t)cmd->value, err, err_size) != RING_OK)
        return -1;
    if (s->strat.ops->follows_arcs)
        step->moved = store_assign_all(&s->store, &s->ring, moves_of(s));
    else if (s->strat.ops->uses_vnodes &&
             replace_keys(s, step, SIM_ALL, 0, 0, RING_NONE, UINT64_MAX, err, err_size) != 0)
        return -1;
    step->visited = s->store.count;
    step->changed = 1;
    snprintf(step->message, sizeof step->message, "Rebuilt ring with vnodes_per_node=%u", (unsigned)cmd->value);
    return 0;
}

static int do_vectors(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    uint64_t before = s->store.count;
    if (store_resize(&s->store, (size_t)cmd->value, &s->ring) != 0) {
        snprintf(err, err_size, "out of memory for %llu embeddings", (unsigned long long)cmd->value);
        return -1;
    }
    if (s->own_count > s->store.count)
        s->own_count = s->store.count;
    s->own_sorted_valid = 0; /* new keys merged in: positions moved */
    /* New keys were placed on the ring; other strategies place them (and
     * bounded re-places all: capacities grow with the key count). */
    if (!s->strat.ops->follows_arcs && replace_keys(s, step, SIM_ALL, 0, 0, RING_NONE, before, err, err_size) != 0)
        return -1;
    step->visited = 0;
    step->changed = 1;
    step->ideal_fraction = 0.0;
    snprintf(step->message, sizeof step->message, "Resized to %llu vectors", (unsigned long long)cmd->value);
    return 0;
}

static int do_weight(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    ring_t *r = &s->ring;
    uint16_t slot = ring_find_node(r, cmd->node, cmd->node_len);
    uint32_t w = (uint32_t)cmd->value;
    if (slot == RING_NONE) {
        snprintf(step->message, sizeof step->message, "%s is not on the ring; nothing changed", cmd->node);
        return 0;
    }
    if (!s->strat.ops->weighted) {
        snprintf(err, err_size, "weights are not supported by %s", s->strat.ops->name);
        return -1;
    }
    uint32_t old = r->nodes[slot].weight;
    if (old == w) {
        snprintf(step->message, sizeof step->message, "%s already has weight %u; nothing changed", cmd->node, w);
        return 0;
    }
    double before = (double)old / (double)r->weight_sum;
    if (ring_set_weight(r, slot, w, err, err_size) != RING_OK)
        return -1;
    strat_nodes_refresh(&s->nodes, r);
    /* The least that must move: the change in this node's share. */
    step->ideal_fraction = fabs((double)w / (double)r->weight_sum - before);
    if (s->strat.ops->follows_arcs) {
        step->moved = store_assign_all(&s->store, r, moves_of(s));
        step->visited = s->store.count;
    } else if (replace_keys(s, step, SIM_ALL, 0, 0, slot, UINT64_MAX, err, err_size) != 0) {
        return -1;
    }
    step->changed = 1;
    snprintf(step->message, sizeof step->message, "Set weight of %s to %u", cmd->node, w);
    return 0;
}

static int do_strategy(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    strat_kind_t kind = (strat_kind_t)cmd->value;
    const strat_ops_t *ops = strat_ops(kind);
    if (kind == s->strat.kind) {
        snprintf(step->message, sizeof step->message, "The strategy is already %s; nothing changed", ops->name);
        return 0;
    }
    if (!ops->weighted && s->nodes.weight_sum != s->nodes.n) {
        snprintf(err, err_size, "weights are not supported by %s (set every weight back to 1 first)", ops->name);
        return -1;
    }
    /* A store kept by index (no khash yet) is hashed and sorted first. */
    if (!ops->key_hash && store_sort_by_hash(&s->store) != 0) {
        snprintf(err, err_size, "out of memory hashing keys for %s", ops->name);
        return -1;
    }
    s->own_sorted_valid = 0; /* store order may have changed */
    strat_t old = s->strat;
    strat_init(&s->strat, kind, &old.params);
    if (ops->follows_arcs) {
        step->moved = store_assign_all(&s->store, &s->ring, moves_of(s));
        step->visited = s->store.count;
    } else if (replace_keys(s, step, SIM_ALL, 0, 0, RING_NONE, UINT64_MAX, err, err_size) != 0) {
        /* Nothing was re-placed yet: the old strategy stays in force. */
        strat_free(&s->strat);
        s->strat = old;
        return -1;
    }
    strat_free(&old);
    step->changed = 1;
    snprintf(step->message, sizeof step->message, "Switched to strategy %s", ops->name);
    return 0;
}

static int do_replicas(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    uint32_t r = (uint32_t)cmd->value;
    if (s->repl.on && s->repl.replicas == r) {
        snprintf(step->message, sizeof step->message, "Replicas are already %u; nothing changed", r);
        return 0;
    }
    repl_view_t v;
    view_of(s, &v);
    if (repl_set_replicas(&s->repl, &v, r, err, err_size) != 0)
        return -1;
    step->changed = 1;
    if (r > s->nodes.n)
        snprintf(step->message, sizeof step->message, "Replicas %u (with %u nodes: %u copies a key until more join)",
                 r, s->nodes.n, s->nodes.n);
    else
        snprintf(step->message, sizeof step->message, "Replicas %u", r);
    return 0;
}

static int do_zone(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    int live = ring_find_node(&s->ring, cmd->node, cmd->node_len) != RING_NONE;
    if (!live && !repl_is_crashed(&s->repl, cmd->node)) {
        snprintf(step->message, sizeof step->message, "%s is not on the ring; nothing changed", cmd->node);
        return 0;
    }
    int z = repl_zone_intern(&s->repl, cmd->zone);
    int rc = z < 0 ? -1 : repl_set_zone(&s->repl, cmd->node, (uint16_t)z);
    if (rc < 0) {
        snprintf(err, err_size, "out of memory (or more than %u zones)", REPL_ZONES_MAX);
        return -1;
    }
    if (rc == 0) {
        snprintf(step->message, sizeof step->message, "%s is already in zone %s; nothing changed", cmd->node,
                 cmd->zone);
        return 0;
    }
    step->changed = 1;
    snprintf(step->message, sizeof step->message, "Put %s in zone %s", cmd->node, cmd->zone);
    return 0;
}

static int do_recover(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    if (!repl_is_crashed(&s->repl, cmd->node)) {
        snprintf(step->message, sizeof step->message, "%s has not crashed; nothing changed", cmd->node);
        return 0;
    }
    return do_add(s, cmd, step, err, err_size);
}

int sim_apply(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    step_begin(step, (int)cmd->op, scn_names_node(cmd->op) ? cmd->node : NULL);
    if (s->collect_moves)
        s->moves.count = 0;
    repl_step_reset(&s->repl);
    size_t keys_before = s->store.count;
    uint16_t gone = RING_NONE;
    /* Replication commands turn replication on (as it was: one copy each). */
    const scn_verb_t *verb = scn_verb(cmd->op);
    if (verb && verb->replication && !s->repl.on && sync_copies(s, REPL_START, RING_NONE, keys_before, err, err_size) != 0)
        return -1;
    repl_mode_t mode = REPL_GRACEFUL;
    int rc = 0;
    switch (cmd->op) {
    case SCN_ADD:
        rc = do_add(s, cmd, step, err, err_size);
        break;
    case SCN_REMOVE:
        rc = do_remove(s, cmd, step, &gone, err, err_size);
        break;
    case SCN_FAIL:
        rc = do_remove(s, cmd, step, &gone, err, err_size);
        if (rc == 0 && step->changed && repl_mark_crashed(&s->repl, cmd->node) != 0) {
            snprintf(err, err_size, "out of memory");
            rc = -1;
        }
        mode = REPL_CRASH;
        break;
    case SCN_RECOVER:
        rc = do_recover(s, cmd, step, err, err_size);
        break;
    case SCN_VNODES:
        rc = do_vnodes(s, cmd, step, err, err_size);
        break;
    case SCN_VECTORS:
        rc = do_vectors(s, cmd, step, err, err_size);
        break;
    case SCN_WAIT:
        snprintf(step->message, sizeof step->message, "Waited %g s", cmd->seconds);
        break;
    case SCN_TITLE:
        snprintf(step->message, sizeof step->message, "Title: %s", cmd->text);
        break;
    case SCN_CAPTION:
        snprintf(step->message, sizeof step->message, cmd->text_len ? "Caption: %s" : "Caption cleared%s",
                 cmd->text);
        break;
    case SCN_STRATEGY:
        rc = do_strategy(s, cmd, step, err, err_size);
        break;
    case SCN_WEIGHT:
        rc = do_weight(s, cmd, step, err, err_size);
        break;
    case SCN_REPLICAS:
        rc = do_replicas(s, cmd, step, err, err_size);
        break;
    case SCN_ZONE:
        rc = do_zone(s, cmd, step, err, err_size);
        break;
    case SCN_HEAL:
        step->changed = 1;
        mode = REPL_HEAL;
        snprintf(step->message, sizeof step->message, "Healed");
        break;
    }
    if (rc != 0)
        return -1;
    /* Copies follow every change (replicas did its own). */
    if (s->repl.on && step->changed && cmd->op != SCN_REPLICAS &&
        sync_copies(s, mode, gone, keys_before < s->store.count ? keys_before : s->store.count, err, err_size) != 0)
        return -1;
    if (cmd->op == SCN_HEAL && s->repl.copies == 0)
        snprintf(step->message, sizeof step->message, "Healed: nothing was missing");
    if (s->collect_moves && s->moves.failed) {
        snprintf(err, err_size, "out of memory recording moves");
        return -1;
    }
    if (!step->changed && isnan(step->ideal_fraction))
        step->ideal_fraction = 0.0;
    step_finish(s, step);
    return 0;
}

int sim_check_limits(const sim_t *s, const scn_cmd_t *cmd, char *why, size_t why_size)
{
    char buf[256];
    if (!why) {
        why = buf;
        why_size = sizeof buf;
    }
    uint32_t n = s->nodes.n;
    const char **ids = malloc((n + 1) * sizeof *ids);
    uint32_t *weights = malloc((n + 1) * sizeof *weights);
    scn_limits_t *l = NULL;
    if (ids && weights) {
        for (uint32_t i = 0; i < n; i++) {
            ids[i] = s->ring.nodes[s->nodes.rank[i]].id;
            weights[i] = s->ring.nodes[s->nodes.rank[i]].weight;
        }
        l = scn_limits_new(ids, weights, n, s->ring.vnodes, s->strat.kind);
    }
    int rc = -1;
    if (l)
        rc = scn_limits_step(l, cmd, why, why_size);
    else
        snprintf(why, why_size, "out of memory checking the command");
    scn_limits_free(l);
    free(ids);
    free(weights);
    return rc;
}
