#include "sim.h"

#include "par.h"
#include "scn_limits.h"
#include "shardmap.h"

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

static void note_idle_nodes(const sim_t *s, sim_step_t *step);
static int copies_changed(sim_t *s, sim_step_t *step, strat_change_kind_t kind, char *err, size_t err_size);

/* What the strategy's last build wants said (strat_ops_t.note), after the
 * step's message. */
static void append_note(const sim_t *s, sim_step_t *step)
{
    char note[256] = "";
    if (!s->built || !s->strat.ops->note || !s->strat.state)
        return;
    s->strat.ops->note(s->strat.state, note, sizeof note);
    size_t at = strlen(step->message);
    if (note[0] && at + 2 < sizeof step->message)
        snprintf(step->message + at, sizeof step->message - at, "; %s", note);
}

/* ---- re-placing keys under a strategy other than the ring -------------- */

/* Which keys a change asks to look up again. */
typedef enum sim_scope {
    SIM_ALL,        /* every key */
    SIM_ADDED,      /* after an add: the strategy's after_add, else all */
    SIM_REMOVED,    /* after a removal: keys of two nodes, else all */
    SIM_REWEIGHTED, /* after a weight change: the strategy's after_weight, else all */
} sim_scope_t;

typedef struct place_job {
    const sim_t *s;
    sim_scope_t scope;
    uint16_t a, b;  /* SIM_ADDED: a = the added node; SIM_REMOVED: the removed node and the one moved into its
                       jump slot; SIM_REWEIGHTED: a = the node, b = 1 if it got heavier */
    /* Without a moves list (which keeps store order) the parts also give
     * keys their new owners, each its own run of store positions: */
    store_t *apply;           /* the store to change, or NULL: the caller does */
    const uint32_t *order;    /* positions in the order keys are looked up, or NULL: store order */
    uint64_t limit;           /* moved counts keys with index < limit */
    int64_t (*delta)[RS_MAX_NODES + 1]; /* per part: changes of the counts */
    uint64_t moved[PAR_MAX_THREADS];    /* per part */
} place_job_t;

/* A change of kind with no node slots (a rebuild, new keys, a copy-level
 * change, a command). */
static strat_change_t change_kind(strat_change_kind_t kind, const scn_cmd_t *cmd)
{
    strat_change_t c = strat_change_of(RING_NONE, RING_NONE, RING_NONE);
    c.kind = kind;
    c.cmd = cmd;
    return c;
}

/* The own key hashes in store order (a pass over all keys reads them
 * sequentially), while they are. */
static const uint64_t *own_by_pos(const sim_t *s)
{
    if (!s->own_sorted_valid)
        return NULL;
    return s->store.by_index ? s->own : s->own_sorted;
}

void sim_key_at(const sim_t *s, size_t pos, strat_key_t *key)
{
    strat_key_at(&s->store, own_by_pos(s), pos, key);
}

/* The node set strategies and copies read: ranks and weights from the
 * ring, copies and zones from the replication state. */
static void nodes_refresh(sim_t *s)
{
    strat_nodes_refresh(&s->nodes, &s->ring);
    repl_zones_fill(&s->repl, &s->nodes);
}

/* What replication reads of the placement (repl.h). */
static void view_of(const sim_t *s, repl_view_t *v)
{
    v->strat = &s->strat;
    v->nodes = &s->nodes;
    v->store = &s->store;
    v->own = own_by_pos(s);
    v->unplaced = s->unplaced;
    v->unplaced_count = s->unplaced_count;
}

static int sync_copies(sim_t *s, repl_mode_t mode, uint16_t node, size_t old_keys, char *err, size_t err_size)
{
    repl_view_t v;
    view_of(s, &v);
    return repl_sync(&s->repl, &v, mode, node, old_keys, err, err_size);
}

/* Part p's run of store positions takes the new owners in scratch. */
static void apply_part(void *arg, unsigned part, unsigned parts)
{
    place_job_t *job = arg;
    size_t n = job->s->store.count, lo = n / parts * part, hi = part + 1 == parts ? n : n / parts * (part + 1);
    memset(job->delta[part], 0, sizeof job->delta[part]);
    job->moved[part] = store_set_owners_run(job->apply, lo, hi, job->s->scratch, job->delta[part], job->limit);
}

static void place_part(void *arg, unsigned part, unsigned parts)
{
    place_job_t *job = arg;
    const sim_t *s = job->s;
    const strat_ops_t *ops = s->strat.ops;
    size_t n = s->store.count, lo = n / parts * part, hi = part + 1 == parts ? n : n / parts * (part + 1);
    /* Every key looked up again: the strategy's batch path, when it has one. */
    int all = job->scope == SIM_ALL || (job->scope == SIM_ADDED && !ops->after_add) ||
              (job->scope == SIM_REMOVED && !ops->remove_keeps_others) ||
              (job->scope == SIM_REWEIGHTED && !ops->after_weight);
    size_t j0 = lo;
    if (all && ops->owners && !ops->placed_owner) {
        const uint64_t *own = own_by_pos(s);
        ops->owners(s->strat.state, &s->nodes, s->store.hash ? s->store.hash + lo : NULL, own ? own + lo : NULL,
                    hi - lo, s->scratch + lo);
        j0 = hi; /* all placed: skip the loop below */
    }
    const uint32_t *order = job->order;
    for (size_t j = j0; j < hi; j++) {
        size_t i = order ? order[j] : j;
        uint16_t old = s->store.owner[i];
        strat_key_t key;
        sim_key_at(s, i, &key);
        if (job->scope == SIM_ADDED && ops->after_add) {
            s->scratch[i] = ops->after_add(s->strat.state, &s->nodes, &key, old, job->a);
        } else if (job->scope == SIM_REWEIGHTED && ops->after_weight) {
            s->scratch[i] = ops->after_weight(s->strat.state, &s->nodes, &key, old, job->a, job->b);
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
    if (job->apply && !order)
        apply_part(job, part, parts);
}

/* Own key hashes of embeddings first .. first+n-1 into out: copied from
 * the shared ones where they reach, computed beyond. */
static void own_fill(const sim_t *s, const strat_keyhash_t *kh, size_t first, size_t n, uint64_t *out)
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

/* Store positions by ascending own hash (sorted: the own hashes by store
 * position), for a strategy that looks keys up one at a time: two stable
 * counting passes of 16 bits. A strategy with a batch path (owners) reads
 * its points its own way and needs no order, nor its 4 bytes a key. */
static int own_order_make(sim_t *s, const strat_keyhash_t *kh, const uint64_t *sorted)
{
    size_t n = s->store.count;
    s->own_order_valid = 0;
    if (s->strat.ops->owners)
        return 0;
    uint32_t *order = realloc(s->own_order, (n + 1) * sizeof *order), *tmp = malloc((n + 1) * sizeof *tmp);
    size_t *count = calloc(65537, sizeof *count);
    if (order)
        s->own_order = order;
    if (!order || !tmp || !count) {
        free(tmp);
        free(count);
        return -1;
    }
    for (unsigned pass = 0; pass < 2; pass++) {
        unsigned shift = 32 + 16 * pass;
        const uint32_t *from = pass ? tmp : NULL;
        uint32_t *to = pass ? order : tmp;
        memset(count, 0, 65537 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[((strat_own_pos(kh, sorted[from ? from[i] : i]) >> shift) & 0xFFFF) + 1]++;
        for (size_t b = 1; b <= 65536; b++)
            count[b] += count[b - 1];
        for (size_t i = 0; i < n; i++) {
            uint32_t pos = from ? from[i] : (uint32_t)i;
            to[count[(strat_own_pos(kh, sorted[pos]) >> shift) & 0xFFFF]++] = pos;
        }
    }
    free(tmp);
    free(count);
    s->own_order_valid = 1;
    return 0;
}

/* A strategy with its own key hash (ketama: MD5 of the raw id; a preset:
 * its system's hash of the key's native form) gets it computed once per
 * embedding (by index), only while it is in force, and laid out in store
 * order. The hashes are 64-bit (a Cassandra token, Qdrant's SipHash); the
 * order of re-placement sorts by the top 32 bits of their ring positions,
 * which is all the locality of reading the strategy's points needs. */
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
    if (s->own_sorted_valid && s->own_count >= n && (s->own_order_valid || s->strat.ops->owners))
        return 0;
    if (s->own_count < n) {
        uint64_t *grown = realloc(s->own, (n + 1) * sizeof *grown);
        if (!grown)
            return -1;
        s->own = grown;
        own_fill(s, kh, s->own_count, n - s->own_count, s->own + s->own_count);
        s->own_count = n;
    }
    if (s->store.by_index) { /* store positions are indices: own is in store order */
        s->own_sorted_valid = 1;
        return own_order_make(s, kh, s->own);
    }
    uint64_t *sorted = realloc(s->own_sorted, (n + 1) * sizeof *sorted);
    if (!sorted)
        return -1;
    s->own_sorted = sorted;
    for (size_t i = 0; i < n; i++)
        sorted[i] = s->own[s->store.index[i]];
    s->own_sorted_valid = 1;
    return own_order_make(s, kh, sorted);
}

/* Rebuilds the strategy's structure after change and gives every key in
 * scope (or, when the strategy can tell, only the keys it touched) its new
 * owner. Adds to step the keys moved among those with embedding index <
 * limit (new keys placed by a resize do not count as moved). */
static int replace_keys(sim_t *s, sim_step_t *step, sim_scope_t scope, uint16_t a, uint16_t b,
                        const strat_change_t *change_in, uint64_t limit, char *err, size_t err_size)
{
    if (ensure_own(s) != 0) {
        snprintf(err, err_size, "out of memory hashing keys for %s", s->strat.ops->name);
        return -1;
    }
    strat_change_t change = *change_in;
    change.heavier = scope == SIM_REWEIGHTED && b;
    const uint64_t *own = s->strat.ops->key_hash ? own_by_pos(s) : NULL;
    if (strat_build(&s->strat, &s->nodes, &change, &s->store, own, err, err_size) != 0)
        return -1;
    s->built = 1;
    const strat_ops_t *ops = s->strat.ops;
    const uint32_t *pos;
    size_t len;
    uint16_t owner;
    store_moves_t *moves = moves_of(s);
    uint64_t moved = 0, visited = 0;
    if (ops->touched && ops->touched(s->strat.state, 0, &pos, &len, &owner) >= 0) {
        /* Only the keys the change moved, with their new owner (a shard
         * map: the keys of each shard whose primary changed). */
        for (uint32_t i = 0; ops->touched(s->strat.state, i, &pos, &len, &owner) == 1; i++) {
            for (size_t j = 0; j < len; j++)
                if (store_set_owner(&s->store, pos[j], owner, moves) &&
                    (limit == UINT64_MAX || s->store.index[pos[j]] < limit))
                    moved++;
            visited += len;
        }
    } else {
        size_t n = s->store.count;
        uint16_t *scratch = realloc(s->scratch, (n + 1) * sizeof *scratch);
        if (!scratch) {
            snprintf(err, err_size, "out of memory placing keys");
            return -1;
        }
        s->scratch = scratch;
        unsigned parts = n < 20000 ? 1 : par_threads();
        place_job_t job = {.s = s, .scope = scope, .a = a, .b = b, .limit = limit};
        /* In order of the own hashes, a look-up reads the strategy's points
         * in order, not at random; a batch path reads them its own way. */
        if (ops->key_hash && !ops->owners && s->own_order_valid)
            job.order = s->own_order;
        /* Without a moves list the parts give owners too, on every thread. */
        if (!moves && (job.delta = malloc(parts * sizeof *job.delta)))
            job.apply = &s->store;
        par_run(parts, place_part, &job);
        if (job.apply) {
            if (job.order) /* a part's keys were not its own run of positions */
                par_run(parts, apply_part, &job);
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
        visited = n;
    }
    if (step) {
        step->moved += moved;
        step->visited += visited;
    }
    return 0;
}

/* The live nodes the structure now leaves out (strat_ops_t.unplaced). When
 * the step leaves out nodes that had a place, its message says which and
 * why: they own no keys, and copies reach them only after the walk. */
static void refresh_unplaced(sim_t *s, sim_step_t *step, int copies)
{
    uint8_t was[RS_MAX_NODES];
    memcpy(was, s->unplaced, sizeof was);
    memset(s->unplaced, 0, sizeof s->unplaced);
    s->unplaced_count = 0;
    const strat_ops_t *ops = s->strat.ops;
    if (!ops->unplaced || !s->strat.state)
        return;
    s->unplaced_count = ops->unplaced(s->strat.state, &s->nodes, s->unplaced, RING_NONE, NULL, 0);
    uint16_t first = RING_NONE;
    uint32_t fresh = 0;
    for (uint32_t i = 0; i < s->nodes.n; i++) {
        uint16_t slot = s->nodes.rank[i];
        if (s->unplaced[slot] && !was[slot] && fresh++ == 0)
            first = slot;
    }
    if (!fresh || !step)
        return;
    char why[160] = "", more[64] = "";
    uint8_t scratch[RS_MAX_NODES] = {0};
    ops->unplaced(s->strat.state, &s->nodes, scratch, first, why, sizeof why);
    if (fresh > 1)
        snprintf(more, sizeof more, ", nor do %u more nodes", fresh - 1);
    size_t at = strlen(step->message);
    snprintf(step->message + at, sizeof step->message - at, "; %s %s%s: %s no keys%s", s->ring.nodes[first].id, why,
             more, fresh > 1 ? "they own" : "it owns",
             copies ? " and copies reach " : "");
    at = strlen(step->message);
    if (copies)
        snprintf(step->message + at, sizeof step->message - at, "%s after the others, in rank order",
                 fresh > 1 ? "them" : "it");
}

const uint64_t *sim_counts(const sim_t *s) { return s->repl.on ? s->repl.dist : s->store.counts; }

const shardmap_t *sim_shards(const sim_t *s)
{
    return s->strat.ops->shards && s->strat.state ? s->strat.ops->shards(s->strat.state) : NULL;
}

uint32_t sim_shard_changes(const sim_t *s, const shardmap_change_t **out)
{
    const shardmap_t *m = sim_shards(s);
    *out = m ? m->changes : NULL;
    return m && s->built ? m->change_count : 0;
}

uint64_t sim_shards_moved(const sim_t *s)
{
    const shardmap_t *m = sim_shards(s);
    return m && s->built ? m->copies : 0;
}

uint32_t sim_shard_primaries_moved(const sim_t *s)
{
    const shardmap_t *m = sim_shards(s);
    return m && s->built ? m->moved : 0;
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
    /* The parameters as given: strat_init completes them for the strategy
     * it starts, now and at every switch. */
    s->given = cfg->params;
    s->given.seed = cfg->seed;
    strat_init(&s->strat, cfg->strategy, &s->given);
    s->given.initial = NULL; /* a map to start from is for the first build only */
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
    nodes_refresh(s);
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
    strat_change_t all = change_kind(STRAT_CHANGE_NODES, NULL);
    if (!s->strat.ops->follows_arcs && replace_keys(s, NULL, SIM_ALL, 0, 0, &all, UINT64_MAX, err, err_size) != 0)
        return -1;
    snprintf(step->message, sizeof step->message, "Initial ring");
    append_note(s, step);
    refresh_unplaced(s, step, cfg->repl_on);
    if (cfg->repl_on && sync_copies(s, REPL_START, RING_NONE, s->store.count, err, err_size) != 0)
        return -1;
    step->changed = 1;
    note_idle_nodes(s, step);
    step_finish(s, step);
    return 0;
}

void sim_free(sim_t *s)
{
    repl_free(&s->repl);
    strat_free(&s->strat);
    free(s->own);
    free(s->own_sorted);
    free(s->own_order);
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
    nodes_refresh(s);
    int was_down = repl_is_crashed(&s->repl, cmd->node);
    repl_unmark_crashed(&s->repl, cmd->node); /* back as a new node */
    step->down = was_down ? -1 : 0;
    strat_change_t added = strat_change_of(slot, RING_NONE, RING_NONE);
    if (s->strat.ops->follows_arcs)
        rebalance_added(s, slot, step);
    else if (replace_keys(s, step, SIM_ADDED, slot, slot, &added, UINT64_MAX, err, err_size) != 0)
        return -1;
    step->changed = 1;
    step->ideal_fraction = 1.0 / (double)s->ring.weight_sum; /* the new node's weight is 1 */
    if (cmd->op == SCN_ADD && was_down)
        snprintf(step->message, sizeof step->message, "Recovered %s (it had crashed: add brings it back)",
                 cmd->node);
    else
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
    if (slot == RING_NONE && repl_is_crashed(&s->repl, cmd->node)) {
        if (cmd->op == SCN_FAIL) {
            snprintf(step->message, sizeof step->message, "%s has already crashed (recover brings it back); "
                     "nothing changed", cmd->node);
            return 0;
        }
        /* Removing a crashed node forgets it (Cassandra's removenode): it
         * held nothing, so nothing moves, and it can no longer recover. */
        repl_unmark_crashed(&s->repl, cmd->node);
        repl_forget_zone(&s->repl, cmd->node);
        /* Graceful, as removenode is: copies the crash left missing are
         * made again (a strategy that keeps copies itself re-lists them;
         * the others' lists are their walks). */
        if (copies_changed(s, step, STRAT_CHANGE_COPIES, err, err_size) != 0)
            return -1;
        step->down = -1;
        step->changed = 1;
        step->ideal_fraction = 0.0;
        snprintf(step->message, sizeof step->message, "Removed crashed %s for good (it held no copies)", cmd->node);
        return 0;
    }
    if (slot == RING_NONE) {
        snprintf(step->message, sizeof step->message, "%s is not on the ring; nothing changed", cmd->node);
        return 0;
    }
    /* A removal streams the node's keys away: its share is the least that
     * must move. A crash streams nothing: no ideal. */
    double keys = (double)s->store.count;
    if (cmd->op == SCN_REMOVE)
        step->ideal_fraction = (double)sim_counts(s)[slot] / (keys > 1.0 ? keys : 1.0);
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
    nodes_refresh(s);
    store_moves_t *moves = arcs_move ? moves_of(s) : NULL;
    for (size_t i = 0; i < n; i++)
        step->moved += store_assign_range(&s->store, arcs[i].lo, arcs[i].hi, ring_owner(r, arcs[i].hi), moves,
                                          &step->visited);
    free(arcs);
    strat_change_t removed_change = strat_change_of(RING_NONE, slot, RING_NONE);
    if (cmd->op == SCN_FAIL)
        removed_change.kind = STRAT_CHANGE_CRASH;
    if (!arcs_move &&
        replace_keys(s, step, SIM_REMOVED, slot, relocated, &removed_change, UINT64_MAX, err, err_size) != 0)
        return -1;
    step->changed = 1;
    if (cmd->op == SCN_REMOVE)
        repl_forget_zone(&s->repl, cmd->node); /* a removed node is forgotten: weight and zone */
    snprintf(step->message, sizeof step->message, "%s %s", cmd->op == SCN_FAIL ? "Crashed" : "Removed", cmd->node);
    return 0;
}

static int do_vnodes(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    strat_change_t all = change_kind(STRAT_CHANGE_NODES, NULL);
    if (ring_rebuild(&s->ring, (uint32_t)cmd->value, err, err_size) != RING_OK)
        return -1;
    if (s->strat.ops->follows_arcs)
        step->moved = store_assign_all(&s->store, &s->ring, moves_of(s));
    else if (s->strat.ops->uses_vnodes && replace_keys(s, step, SIM_ALL, 0, 0, &all, UINT64_MAX, err, err_size) != 0)
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
    strat_change_t all = change_kind(STRAT_CHANGE_KEYS, NULL);
    if (!s->strat.ops->follows_arcs && replace_keys(s, step, SIM_ALL, 0, 0, &all, before, err, err_size) != 0)
        return -1;
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
    nodes_refresh(s);
    /* The least that must move: the change in this node's share. */
    step->ideal_fraction = fabs((double)w / (double)r->weight_sum - before);
    if (s->strat.ops->follows_arcs) {
        step->moved = store_assign_all(&s->store, r, moves_of(s));
        step->visited = s->store.count;
    } else {
        strat_change_t reweighted = strat_change_of(RING_NONE, RING_NONE, slot);
        if (replace_keys(s, step, SIM_REWEIGHTED, slot, w > old, &reweighted, UINT64_MAX, err, err_size) != 0)
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
    strat_init(&s->strat, kind, &s->given);
    strat_change_t all = change_kind(STRAT_CHANGE_NODES, NULL);
    if (ops->follows_arcs) {
        step->moved = store_assign_all(&s->store, &s->ring, moves_of(s));
        step->visited = s->store.count;
    } else if (replace_keys(s, step, SIM_ALL, 0, 0, &all, UINT64_MAX, err, err_size) != 0) {
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

/* For a strategy that places copies itself (a shard map keeps its shards'
 * holders): the copy-level change, before replication accounts for it. */
static int copies_changed(sim_t *s, sim_step_t *step, strat_change_kind_t kind, char *err, size_t err_size)
{
    if (!s->strat.ops->holders)
        return 0;
    strat_change_t c = change_kind(kind, NULL);
    return replace_keys(s, step, SIM_ALL, 0, 0, &c, UINT64_MAX, err, err_size);
}

static int do_replicas(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    uint32_t r = (uint32_t)cmd->value;
    if (s->repl.on && s->repl.replicas == r) {
        snprintf(step->message, sizeof step->message, "Replicas are already %u; nothing changed", r);
        return 0;
    }
    /* On (with the copies as they are) before the lists change. */
    if (!s->repl.on && sync_copies(s, REPL_START, RING_NONE, s->store.count, err, err_size) != 0)
        return -1;
    s->nodes.replicas = r;
    if (copies_changed(s, step, STRAT_CHANGE_COPIES, err, err_size) != 0)
        return -1;
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
    nodes_refresh(s);
    if (copies_changed(s, step, STRAT_CHANGE_COPIES, err, err_size) != 0)
        return -1;
    step->changed = 1;
    snprintf(step->message, sizeof step->message, "Put %s in zone %s", cmd->node, cmd->zone);
    return 0;
}

/* A strategy's own command (move, rebalance): the strategy in force takes
 * it, has nothing to do, or refuses it — and then nothing changes. */
static int do_own(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size)
{
    const strat_ops_t *ops = s->strat.ops;
    const char *name = scn_op_name(cmd->op);
    const scn_verb_t *verb = scn_verb(cmd->op);
    strat_kind_t system;
    /* A system's own operation (split: Elasticsearch's) under any other
     * strategy is refused by name. */
    if (verb->system && (strat_parse(verb->system, strlen(verb->system), &system) != 0 || system != s->strat.kind)) {
        snprintf(err, err_size, "%s is %s's operation (--preset %s); the strategy in force is %s", name,
                 strat_ops(system)->system, verb->system, ops->name);
        return -1;
    }
    if (!ops->command) {
        snprintf(err, err_size, "%s has no shards to %s (use a strategy with shards, e.g. --strategy shards)",
                 ops->name, name);
        return -1;
    }
    if (scn_names_node(cmd->op) && repl_is_crashed(&s->repl, cmd->node)) {
        snprintf(err, err_size, "%s has crashed; %s it first", cmd->node, scn_op_name(SCN_RECOVER));
        return -1;
    }
    char msg[NODEID_MAX + 128];
    int rc = ops->command(s->strat.state, &s->nodes, cmd, msg, sizeof msg);
    if (rc < 0) {
        snprintf(err, err_size, "%s", msg);
        return -1;
    }
    if (rc > 0) {
        snprintf(step->message, sizeof step->message, "%s", msg);
        return 0;
    }
    strat_change_t c = change_kind(STRAT_CHANGE_COMMAND, cmd);
    if (replace_keys(s, step, SIM_ALL, 0, 0, &c, UINT64_MAX, err, err_size) != 0)
        return -1;
    step->changed = 1;
    if (cmd->op == SCN_MOVE) {
        snprintf(step->message, sizeof step->message, "Moved shard %llu to %s", (unsigned long long)cmd->value,
                 cmd->node);
    } else if (cmd->op == SCN_REBALANCE) {
        snprintf(step->message, sizeof step->message, "Rebalanced");
    } else {
        /* A system's operation: its line ("Split 2"); the strategy's note
         * says what it did. */
        scn_format(cmd, step->message, sizeof step->message);
        if (step->message[0] >= 'a' && step->message[0] <= 'z')
            step->message[0] = (char)(step->message[0] - 'a' + 'A');
    }
    return 0;
}

/* Under a shard map, the live nodes that hold no shard at all (fewer
 * shards than nodes, or weights) are said in the step's message. */
static void note_idle_nodes(const sim_t *s, sim_step_t *step)
{
    const shardmap_t *m = sim_shards(s);
    if (!m || s->nodes.n == 0)
        return;
    uint8_t *holds = calloc(RS_MAX_NODES, 1);
    if (!holds)
        return;
    for (uint32_t sh = 0; sh < m->shards; sh++) {
        uint32_t hn;
        const uint16_t *h = shardmap_holders(m, sh, &hn);
        for (uint32_t j = 0; j < hn; j++)
            holds[h[j]] = 1;
    }
    char names[3 * NODEID_MAX + 16] = "";
    uint32_t idle = 0;
    size_t at = 0;
    for (uint32_t i = 0; i < s->nodes.n; i++) {
        uint16_t slot = s->nodes.rank[i];
        if (holds[slot])
            continue;
        if (idle < 3 && at < sizeof names)
            at += (size_t)snprintf(names + at, sizeof names - at, "%s%s", idle ? ", " : "", s->ring.nodes[slot].id);
        idle++;
    }
    free(holds);
    if (!idle)
        return;
    char note[sizeof names + 96];
    const char *unit = strat_unit(&s->strat), *plural = m->shards == 1 ? "" : "s";
    if (idle > 3)
        snprintf(note, sizeof note, "; %u %s%s over %u nodes: %s and %u more hold none", m->shards, unit, plural,
                 s->nodes.n, names, idle - 3);
    else
        snprintf(note, sizeof note, "; %u %s%s over %u nodes: %s hold%s none", m->shards, unit, plural, s->nodes.n,
                 names, idle == 1 ? "s" : "");
    size_t len = strlen(step->message);
    if (len + strlen(note) >= sizeof step->message)
        snprintf(note, sizeof note, "; %u %s%s over %u nodes: %u hold none", m->shards, unit, plural, s->nodes.n,
                 idle);
    if (len + strlen(note) < sizeof step->message)
        memcpy(step->message + len, note, strlen(note) + 1);
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
    s->built = 0;
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
        if (rc == 0 && step->changed)
            step->down = 1;
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
        rc = copies_changed(s, step, STRAT_CHANGE_HEAL, err, err_size);
        step->changed = 1;
        mode = REPL_HEAL;
        snprintf(step->message, sizeof step->message, "Healed");
        break;
    case SCN_MOVE:
    case SCN_REBALANCE:
    case SCN_SPLIT:
    case SCN_RESHARD:
    case SCN_PARTITIONS:
        rc = do_own(s, cmd, step, err, err_size);
        break;
    }
    if (rc != 0)
        return -1;
    if (step->changed)
        refresh_unplaced(s, step, s->repl.on);
    /* Copies follow every change (replicas did its own). */
    if (s->repl.on && step->changed && cmd->op != SCN_REPLICAS &&
        sync_copies(s, mode, gone, keys_before < s->store.count ? keys_before : s->store.count, err, err_size) != 0)
        return -1;
    if (cmd->op == SCN_HEAL && !s->repl.holders_changed && sim_shards_moved(s) == 0) {
        /* Nothing copied, nothing dropped (keys or shard copies): the step
         * changed nothing. */
        step->changed = 0;
        if (s->repl.lost_total)
            snprintf(step->message, sizeof step->message,
                     "Healed: nothing to copy (%llu lost keys have no copy left); nothing changed",
                     (unsigned long long)s->repl.lost_total);
        else
            snprintf(step->message, sizeof step->message, "Healed: nothing was missing; nothing changed");
    }
    /* With copies kept, moved keys are those whose primary holder changed
     * and got their data (a crash moves none: it promotes, repl.h). */
    if (s->repl.on)
        step->moved = s->repl.moved;
    if (step->changed) {
        append_note(s, step);
        note_idle_nodes(s, step);
    }
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
    const char **down = l ? malloc((s->repl.crashed_count + 1) * sizeof *down) : NULL;
    if (down) {
        for (uint32_t i = 0; i < s->repl.crashed_count; i++)
            down[i] = s->repl.crashed[i];
        scn_limits_crashed(l, down, s->repl.crashed_count);
    }
    free(down);
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
