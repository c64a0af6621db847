/* strat_redis — the Redis Cluster preset (DESIGN §1c; reference/routing.md
 * §1, read from redis/src/cluster.h and src/redis-cli.c).
 *
 * Key -> slot: CRC16/XMODEM of the key's bytes, or of its hash tag (the
 * bytes between the first '{' and the next '}' when there are any), & 0x3FFF
 * (keyHashSlot; sysroute). The own key hash is the CRC16, the slot its low
 * 14 bits. 16384 slots; no parameters.
 *
 * Slots -> masters as redis-cli moves them (the server never moves a slot
 * by itself):
 *   start   `redis-cli --cluster create` over the nodes in rank order, in
 *           float32: slots_per_node = 16384 / (float)m, master i ends at
 *           lround(cursor + slots_per_node - 1), cursor += slots_per_node,
 *           the last at 16383 (redis-cli needs 3 masters; the same split is
 *           used for 1 or 2). Or a real cluster's map (--from-redis:
 *           strat_params_t.initial).
 *   add     `--cluster add-node` then `rebalance --cluster-use-empty-masters`
 *   remove  `rebalance --cluster-weight ID=0`, then `del-node`
 *   weight  `rebalance --cluster-weight ID=W --cluster-use-empty-masters`
 *   recover as add (a crashed node comes back empty, as a new master)
 *   rebalance, move SHARD ID  `rebalance --cluster-use-empty-masters`, one
 *           slot moved by hand
 *   fail, heal  the shard map's crash (a replica is promoted) and heal
 * The rebalance is redis-cli's arithmetic (clusterManagerCommandRebalance):
 * over the masters taking part (with slots, or all with
 * --cluster-use-empty-masters), in rank order, total_weight the float sum
 * of weights, expected = (int)((float)16384 / total_weight * w), balance =
 * slots - expected; nothing moves unless a master is past the 2% threshold
 * (|100 - 100·expected/slots| > 2, or no slots and expected > 1); while the
 * balances sum above 0, each master with balance <= 0, in order, takes one
 * more; then, sorted by balance (ties in order: glibc's qsort is stable
 * here), two pointers pair the most negative and the most positive and move
 * min(|dst|, |src|) slots, the source's lowest-numbered first. The removed
 * node takes part at its old rank with weight 0. Copies (replicas) of a
 * master's slots are the shard map's (the next ranks, zones first).
 */
#include "strat.h"

#include "place.h"
#include "shardstrat.h"
#include "syshash.h"
#include "sysroute.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const strat_ops_t strat_redis_ops;

#define REDIS_THRESHOLD 2.0f /* CLUSTER_MANAGER_REBALANCE_THRESHOLD, percent */

typedef struct redis {
    shardstrat_t base;
    uint16_t order[RS_MAX_NODES]; /* the live slots in rank order at the last build */
    uint32_t order_n;
} redis_t;

/* ---- key -> slot ------------------------------------------------------------ */

static uint64_t redis_crc(const char *key, size_t len)
{
    size_t off, part;
    sr_redis_hashed_part(key, len, &off, &part);
    return sh_crc16_xmodem(key + off, part);
}

static uint64_t redis_of_index(uint64_t index, const char *id, size_t len)
{
    (void)index;
    return redis_crc(id, len);
}

static void redis_of_indexes(uint64_t first, size_t n, uint64_t *out)
{
    strat_keyhash_fill(redis_of_index, first, n, out);
}

static int redis_of_id(const char *id, size_t len, uint64_t *out, char *why, size_t why_size)
{
    (void)why, (void)why_size;
    *out = redis_crc(id, len); /* keys are binary-safe: any bytes */
    return 0;
}

static uint32_t redis_shard_of(const void *route, const strat_key_t *key, const rmod_t *shards)
{
    (void)route, (void)shards;
    return (uint32_t)(key->own & (SR_REDIS_SLOTS - 1));
}

/* ---- slots -> masters --------------------------------------------------------- */

/* `redis-cli --cluster create`: the masters (node slots in order) split
 * the slots. */
static void redis_create_split(shardmap_t *m, const uint16_t *masters, uint32_t count)
{
    if (count == 0) {
        memset(m->held, 0, m->shards);
        return;
    }
    float per_node = (float)SR_REDIS_SLOTS / (float)count, cursor = 0.0f;
    long first = 0;
    for (uint32_t i = 0; i < count; i++) {
        float end = cursor + per_node - 1; /* float arithmetic, as redis-cli's expression */
        long last = lround(end);
        if (last > (long)SR_REDIS_SLOTS || i == count - 1)
            last = SR_REDIS_SLOTS - 1;
        if (last < first)
            last = first;
        for (long s = first; s <= last; s++)
            shardmap_set_primary(m, (uint32_t)s, masters[i]);
        first = last + 1;
        cursor += per_node;
    }
}

/* One master of a rebalance. */
typedef struct master {
    uint16_t slot;
    float weight;
    int64_t slots, balance;
} master_t;

static int by_balance(const void *a, const void *b)
{
    const master_t *x = a, *y = b;
    return (x->balance > y->balance) - (x->balance < y->balance);
}

/* Stable by balance: ties keep list order (what glibc's merge sort does
 * for redis-cli's qsort). */
static void sort_by_balance(master_t *v, uint32_t n, master_t *tmp)
{
    for (uint32_t w = 1; w < n; w *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * w) {
            uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n, i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = by_balance(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
    }
}

/* A rebalance's participants: the live masters in rank order, and the
 * removed one (weight 0) at its old place in prev's order. */
static uint32_t participants(const redis_t *x, const strat_nodes_t *nodes, uint16_t removed, master_t *out)
{
    /* The live nodes keep their order; the removed one was at its place
     * in the order of the last build. */
    uint32_t at = nodes->n, n = 0;
    for (uint32_t i = 0; removed != RING_NONE && i < x->order_n; i++)
        if (x->order[i] == removed)
            at = i < nodes->n ? i : nodes->n;
    for (uint32_t i = 0; i <= nodes->n; i++) {
        if (removed != RING_NONE && i == at)
            out[n++] = (master_t){removed, 0.0f, 0, 0};
        if (i < nodes->n) {
            uint16_t slot = nodes->rank[i];
            out[n++] = (master_t){slot, (float)nodes->ring->nodes[slot].weight, 0, 0};
        }
    }
    return n;
}

/* redis-cli's plan over v (slots counted): the moves into plan (src, dst,
 * count) in order; returns how many, 0 when no master is past the
 * threshold, -1 when no master with weight takes part. */
typedef struct move {
    uint16_t src, dst;
    int64_t count;
} move_t;

static int redis_plan(master_t *v, uint32_t n, int use_empty, move_t *plan, master_t *tmp)
{
    float total_weight = 0.0f;
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!use_empty && v[i].slots == 0)
            continue; /* redis-cli leaves an empty master out */
        total_weight += v[i].weight;
        v[k++] = v[i];
    }
    n = k;
    if (n == 0 || total_weight == 0.0f)
        return -1;
    int reached = 0;
    int64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        float per = (float)SR_REDIS_SLOTS / total_weight;
        int expected = (int)(per * v[i].weight);
        v[i].balance = v[i].slots - expected;
        total += v[i].balance;
        if (v[i].slots > 0) {
            float err_perc = (float)fabs(100 - (100.0 * expected / (double)v[i].slots));
            reached |= err_perc > REDIS_THRESHOLD;
        } else {
            reached |= expected > 1;
        }
    }
    if (!reached)
        return 0;
    /* The rounding pass: receivers absorb the surplus, in list order. */
    while (total > 0)
        for (uint32_t i = 0; i < n && total > 0; i++)
            if (v[i].balance <= 0)
                v[i].balance--, total--;
    sort_by_balance(v, n, tmp);
    int moves = 0;
    uint32_t dst = 0, src = n - 1;
    while (dst < src) {
        int64_t db = v[dst].balance < 0 ? -v[dst].balance : v[dst].balance;
        int64_t sb = v[src].balance < 0 ? -v[src].balance : v[src].balance;
        int64_t num = db < sb ? db : sb;
        if (num > 0)
            plan[moves++] = (move_t){v[src].slot, v[dst].slot, num};
        v[dst].balance += num;
        v[src].balance -= num;
        if (v[dst].balance == 0)
            dst++;
        if (v[src].balance == 0)
            src--;
    }
    return moves;
}

static void count_slots(const shardmap_t *m, master_t *v, uint32_t n)
{
    uint32_t *count = calloc(RS_MAX_NODES, sizeof *count);
    if (!count)
        return;
    for (uint32_t s = 0; s < m->shards; s++)
        if (m->held[s])
            count[shardmap_primary(m, s)]++;
    for (uint32_t i = 0; i < n; i++)
        v[i].slots = count[v[i].slot];
    free(count);
}

/* The plan of a rebalance now (with `removed` at weight 0 when it is not
 * RING_NONE); as redis_plan. plan holds RS_MAX_NODES + 1 moves. */
static int plan_now(const redis_t *x, const strat_nodes_t *nodes, uint16_t removed, int use_empty, move_t *plan)
{
    master_t *v = malloc((RS_MAX_NODES + 2) * sizeof *v), *tmp = malloc((RS_MAX_NODES + 2) * sizeof *tmp);
    int moves = -2;
    if (v && tmp) {
        uint32_t n = participants(x, nodes, removed, v);
        count_slots(&x->base.map, v, n);
        moves = redis_plan(v, n, use_empty, plan, tmp);
    }
    free(v);
    free(tmp);
    return moves;
}

static uint32_t uncovered(const shardmap_t *m, const strat_nodes_t *nodes, uint16_t removed)
{
    uint8_t *live = calloc(RS_MAX_NODES, 1);
    uint32_t k = 0;
    if (!live)
        return 0;
    for (uint32_t i = 0; i < nodes->n; i++)
        live[nodes->rank[i]] = 1;
    for (uint32_t s = 0; s < m->shards; s++) {
        uint16_t p = shardmap_primary(m, s);
        k += p == RING_NONE || (!live[p] && p != removed);
    }
    free(live);
    return k;
}

static int redis_balance(shardstrat_t *base, const strat_change_t *c, const strat_nodes_t *nodes, int surplus)
{
    redis_t *x = (redis_t *)base;
    shardmap_t *m = &base->map;
    uint16_t removed = c->removed;
    uint32_t gaps = uncovered(m, nodes, removed);
    if (gaps == m->shards) {
        /* No master serves a slot (none were there): create the cluster. */
        redis_create_split(m, nodes->rank, nodes->n);
        if (nodes->n)
            shardstrat_say(base, "redis-cli --cluster create over %u master%s", nodes->n, nodes->n == 1 ? "" : "s");
        return 0;
    }
    if (!surplus)
        return 0;
    if (gaps && removed == RING_NONE) {
        shardstrat_say(base, "%u slots are served by no master: redis-cli refuses to rebalance until they are", gaps);
        return 0;
    }
    int is_add = c->kind == STRAT_CHANGE_NODES && c->added != RING_NONE;
    int use_empty = removed == RING_NONE; /* a removal's rebalance is `--cluster-weight ID=0` alone */
    move_t *plan = malloc((RS_MAX_NODES + 2) * sizeof *plan);
    if (!plan)
        return -1;
    int moves = plan_now(x, nodes, removed, use_empty, plan);
    if (moves == -2) {
        free(plan);
        return -1;
    }
    if (moves <= 0 && removed != RING_NONE && nodes->n == 0) {
        free(plan);
        return 0; /* the last master left: its slots are nobody's */
    }
    if (moves == 0) {
        shardstrat_say(base, "redis-cli rebalance: No rebalancing needed! (every master within %.0f%% of its share)",
                       (double)REDIS_THRESHOLD);
        free(plan);
        return 0;
    }
    uint64_t moved = 0;
    for (int i = 0; i < moves; i++) {
        /* The source's lowest-numbered slots, as they are now. */
        int64_t left = plan[i].count;
        for (uint32_t s = 0; s < m->shards && left > 0; s++) {
            if (m->held[s] && shardmap_primary(m, s) == plan[i].src) {
                shardmap_set_primary(m, s, plan[i].dst);
                left--;
                moved++;
            }
        }
    }
    free(plan);
    if (is_add)
        shardstrat_say(base, "add-node, then rebalance --cluster-use-empty-masters: %llu slots moved",
                       (unsigned long long)moved);
    else if (removed != RING_NONE)
        shardstrat_say(base, "rebalance --cluster-weight ID=0 (%llu slots moved), then del-node",
                       (unsigned long long)moved);
    else
        shardstrat_say(base, "rebalance: %llu slots moved", (unsigned long long)moved);
    return 0;
}

static void remember_order(redis_t *x, const strat_nodes_t *nodes)
{
    memcpy(x->order, nodes->rank, nodes->n * sizeof *x->order);
    x->order_n = nodes->n;
}

static int redis_create(shardstrat_t *base, const strat_nodes_t *nodes, const strat_params_t *p, char *err,
                        size_t err_size)
{
    redis_t *x = (redis_t *)base;
    shardmap_t *m = &base->map;
    if (shardmap_init(m, SR_REDIS_SLOTS, redis_shard_of, NULL) != 0) {
        snprintf(err, err_size, "out of memory for %u slots", SR_REDIS_SLOTS);
        return -1;
    }
    if (p->initial && p->initial->shards == SR_REDIS_SLOTS) {
        /* A real cluster's map (--from-redis): slot s on the master of rank
         * initial->rank[s]. */
        uint32_t gaps = 0;
        for (uint32_t s = 0; s < SR_REDIS_SLOTS; s++) {
            uint16_t r = p->initial->rank[s];
            if (r < nodes->n)
                shardmap_set_primary(m, s, nodes->rank[r]);
            else
                m->held[s] = 0, gaps++;
        }
        shardstrat_say(base, "slots as CLUSTER NODES gave them");
        if (gaps)
            shardstrat_say(base, "%u slots are served by no master", gaps);
    } else {
        redis_create_split(m, nodes->rank, nodes->n);
    }
    remember_order(x, nodes);
    if (shardmap_relist(m, nodes) != 0) {
        snprintf(err, err_size, "out of memory for %u slots", SR_REDIS_SLOTS);
        return -1;
    }
    return 0;
}

static int redis_change(shardstrat_t *base, const shardstrat_t *prev, const strat_change_t *c,
                        const strat_nodes_t *nodes, const strat_params_t *p, const store_t *st, const uint64_t *own)
{
    (void)prev, (void)p, (void)st, (void)own;
    int rc = shardstrat_change_generic(base, c, nodes, 1, redis_balance);
    remember_order((redis_t *)base, nodes);
    return rc;
}

static int redis_command(const shardstrat_t *base, const strat_nodes_t *nodes, const scn_cmd_t *cmd, char *msg,
                         size_t msg_size)
{
    if (cmd->op != SCN_REBALANCE)
        return SHARDSTRAT_GENERIC; /* move */
    if (uncovered(&base->map, nodes, RING_NONE)) {
        snprintf(msg, msg_size, "Some slots are served by no master: redis-cli refuses to rebalance; nothing changed");
        return 1;
    }
    move_t *plan = malloc((RS_MAX_NODES + 2) * sizeof *plan);
    int moves = plan ? plan_now((const redis_t *)base, nodes, RING_NONE, 1, plan) : -2;
    free(plan);
    if (moves == -2) {
        snprintf(msg, msg_size, "out of memory");
        return -1;
    }
    if (moves > 0)
        return 0;
    snprintf(msg, msg_size, "No rebalancing needed! (redis-cli: every master within %.0f%% of its share); nothing "
             "changed", (double)REDIS_THRESHOLD);
    return 1;
}

static const shardstrat_policy_t redis_policy = {
    .unit = "slot", .size = sizeof(redis_t), .create = redis_create, .change = redis_change,
    .command = redis_command,
};

static int redis_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                       const strat_params_t *p, const struct store *st, const uint64_t *own, char *err,
                       size_t err_size)
{
    return shardstrat_build(&redis_policy, state, prev, change, nodes, p, st, own, err, err_size);
}

static void redis_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)p, (void)nodes;
    snprintf(out, n, "redis-cluster \xC2\xB7 slot = CRC16(key) mod 16384 \xC2\xB7 redis-cli rebalance moves the "
             "lowest slots");
}

static void redis_cells_total(uint64_t cells, char *out, size_t n)
{
    snprintf(out, n, "%llu hash slots", (unsigned long long)cells);
}

/* The CRC16 values 0..16383 are the slots in order (a slot is the CRC's
 * low 14 bits). */
static uint64_t redis_key_cells(const void *state)
{
    (void)state;
    return SR_REDIS_SLOTS;
}

static void redis_config(const void *state, const strat_params_t *p, json_t *j)
{
    (void)state, (void)p;
    json_printf(j, ",\"slots\":%u", SR_REDIS_SLOTS);
}

static const strat_keyhash_t redis_key_hash = {
    .bits = 16, .help = "CRC16/XMODEM of KEY or its {hash tag}", .native = "text (any bytes: --key-hex)",
    .of_id = redis_of_id, .of_indexes = redis_of_indexes,
};

const strat_ops_t strat_redis_ops = {
    .name = "redis-cluster", .system = "Redis Cluster", .weighted = 1, .key_hash = &redis_key_hash,
    .build = redis_build, .release = shardstrat_release, .locate = shardstrat_locate, .memory = shardstrat_memory,
    .describe = shardstrat_describe, .landed = "slot",
    .locate_note = "redis-cluster: hash = CRC16/XMODEM of KEY (or of its {hash tag}), slot =\n"
                   "hash & 0x3FFF, and the master serving the slot (then its replicas).\n",
    .place = place_at_cell, .key_cells = redis_key_cells, .cells = shardstrat_cells,
    .cell_owner = shardstrat_cell_owner,
    .structure = {.kind = STRAT_STRUCTURE_SHARDS, .cells_total = redis_cells_total, .size_name = "slots",
                  .size = shardstrat_size},
    .legend = redis_legend,
    .shards = shardstrat_map, .unit = shardstrat_unit, .rebalances_itself = 1, .holders = shardstrat_holders,
    .touched = shardstrat_touched,
    .command = shardstrat_command, .note = shardstrat_note, .config_json = redis_config,
};
