/* strat_shards — generic shards (DESIGN §1c): key -> shard khash mod S
 * (`--shards S`, 1..65536, default 64), shard -> node by the shard map
 * (shardmap.h): shard s starts on the node of rank s mod n, and §1c's
 * balancer moves whole shards — the fewest, to the weighted targets — after
 * add, remove, weight and recover (this strategy rebalances by itself), and
 * on `rebalance`; `move SHARD ID` moves one by hand. Copies (R > 1) are the
 * shard's holders: its primary, then the nodes of the following ranks,
 * zones first; a crash promotes the first surviving copy, and heal makes
 * the missing ones on the nodes holding the fewest (shardmap.h).
 *
 * The structure is the map, copied from the previous one and changed, so a
 * build moves only what the change asks; a build from scratch (the first,
 * or a switch to this strategy) assigns and balances. After a build only
 * the keys of shards whose primary changed can change owner (touched). The
 * display draws the S shards as cells, cell s held by shard s's primary,
 * and each node's cloud as lumps, one per shard (STRAT_STRUCTURE_SHARDS).
 * Memory: the map (18 bytes a shard) and its key index (4 bytes a key).
 */
#include "strat.h"

#include "place.h"
#include "scn.h"
#include "shardmap.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const strat_ops_t strat_shards_ops;

typedef struct shards {
    shardmap_t map;
    int look_all;   /* made afresh, or the store changed: every key may have moved */
} shards_t;

/* The key -> shard level of generic shards. */
static uint32_t shards_of_key(const strat_key_t *key, uint32_t shards) { return (uint32_t)(key->hash % shards); }

static void shards_release(void *state)
{
    shards_t *x = state;
    if (x)
        shardmap_free(&x->map);
    free(x);
}

/* The change itself, on a copy of the previous map (rebalances: whether
 * the balancer runs by itself after node changes). */
static int shards_change(shardmap_t *m, const strat_change_t *c, const strat_nodes_t *nodes, int rebalances)
{
    switch (c->kind) {
    case STRAT_CHANGE_CRASH:
        return shardmap_crash(m, nodes, c->removed); /* no balancer, copies as they are */
    case STRAT_CHANGE_HEAL:
        return shardmap_heal(m, nodes);
    case STRAT_CHANGE_KEYS:
        return 0; /* shards and their copies stay where they are: new keys are written there */
    case STRAT_CHANGE_COPIES:
        break;
    case STRAT_CHANGE_COMMAND:
        if (c->cmd->op == SCN_MOVE)
            shardmap_set_primary(m, (uint32_t)c->cmd->value, ring_find_node(nodes->ring, c->cmd->node, c->cmd->node_len));
        else if (shardmap_balance(m, nodes, 1) != 0)
            return -1;
        break;
    case STRAT_CHANGE_NODES: {
        int nodes_changed = c->added != RING_NONE || c->removed != RING_NONE || c->reweighted != RING_NONE;
        if (shardmap_balance(m, nodes, nodes_changed && rebalances) != 0)
            return -1;
        break;
    }
    }
    /* Every graceful change re-lists each shard's copies (and so heals). */
    return shardmap_relist(m, nodes);
}

static int shards_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                        const strat_params_t *p, const struct store *st, char *err, size_t err_size)
{
    const shards_t *old = prev;
    shards_t *x = calloc(1, sizeof *x);
    int fresh = !old || old->map.shards != p->shards;
    int rc = !x ? -1 : fresh ? shardmap_init(&x->map, p->shards, shards_of_key) : shardmap_copy(&x->map, &old->map);
    if (rc == 0 && fresh) {
        shardmap_assign(&x->map, nodes);
        /* With weights (a switch to shards) the balancer meets them; at
         * equal weights rank s mod n already does. */
        rc = shardmap_balance(&x->map, nodes, 1) != 0 || shardmap_relist(&x->map, nodes) != 0 ? -1 : 0;
    } else if (rc == 0) {
        rc = shards_change(&x->map, change, nodes, strat_shards_ops.rebalances_itself);
    }
    size_t indexed = x && x->map.index ? x->map.index->keys : (size_t)-1;
    if (rc == 0)
        rc = shardmap_index(&x->map, st, NULL); /* khash: no own key hash */
    if (rc == 0)
        rc = shardmap_diff(&x->map, fresh ? NULL : &old->map, change->kind != STRAT_CHANGE_CRASH);
    if (rc != 0) {
        shards_release(x);
        snprintf(err, err_size, "out of memory for %u shards", p->shards);
        return -1;
    }
    x->look_all = fresh || indexed != st->count;
    *state = x;
    return 0;
}

static void shards_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)nodes;
    const shardmap_t *m = &((const shards_t *)state)->map;
    strat_where_none(w);
    uint32_t s = shardmap_shard_of(m, key);
    w->owner = shardmap_primary(m, s);
    if (w->owner != RING_NONE)
        w->at = s;
}

static const struct shardmap *shards_map(const void *state) { return &((const shards_t *)state)->map; }

static uint32_t shards_holders(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, uint16_t *out)
{
    (void)nodes;
    const shardmap_t *m = shards_map(state);
    uint32_t n;
    const uint16_t *h = shardmap_holders(m, shardmap_shard_of(m, key), &n);
    memcpy(out, h, n * sizeof *out);
    return n;
}

static int shards_touched(const void *state, uint32_t i, const uint32_t **pos, size_t *len, uint16_t *owner)
{
    const shards_t *x = state;
    if (x->look_all)
        return -1;
    /* A shard's keys follow its primary, all together; the others listed
     * changed copies only (an empty run). */
    const shardmap_t *m = &x->map;
    if (i >= m->change_count)
        return 0;
    const shardmap_change_t *c = &m->changes[i];
    uint16_t from = c->from_n ? c->from[0] : (uint16_t)RING_NONE;
    *owner = c->to_n ? c->to[0] : (uint16_t)RING_NONE;
    *pos = shardmap_positions(m, c->shard, len);
    if (from == *owner)
        *len = 0;
    return 1;
}

static int shards_command(const void *state, const strat_nodes_t *nodes, const struct scn_cmd *cmd, char *msg,
                          size_t msg_size)
{
    const shardmap_t *m = shards_map(state);
    if (cmd->op == SCN_REBALANCE) {
        if (!shardmap_balanced(m, nodes))
            return 0;
        snprintf(msg, msg_size, "Already balanced; nothing changed");
        return 1;
    }
    if (cmd->value >= m->shards) {
        snprintf(msg, msg_size, "there is no shard %llu (shards are 0..%u)", (unsigned long long)cmd->value,
                 m->shards - 1);
        return -1;
    }
    uint16_t slot = ring_find_node(nodes->ring, cmd->node, cmd->node_len);
    if (slot == RING_NONE) {
        snprintf(msg, msg_size, "%s is not on the ring", cmd->node);
        return -1;
    }
    if (shardmap_primary(m, (uint32_t)cmd->value) == slot) {
        snprintf(msg, msg_size, "%s already holds shard %llu", cmd->node, (unsigned long long)cmd->value);
        return -1;
    }
    return 0;
}

static size_t shards_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return sizeof(shards_t) - sizeof(shardmap_t) + shardmap_memory(shards_map(state));
}

static uint64_t shards_cells(const strat_t *s, const strat_nodes_t *nodes)
{
    (void)nodes;
    return s->params.shards;
}

static uint16_t shards_cell_owner(const strat_t *s, const strat_nodes_t *nodes, uint64_t c)
{
    (void)nodes;
    return shardmap_primary(shards_map(s->state), (uint32_t)c);
}

static uint64_t shards_size(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return shards_map(state)->shards;
}

static void shards_cells_total(uint64_t cells, char *out, size_t n)
{
    snprintf(out, n, "S = %llu shards", (unsigned long long)cells);
}

static void shards_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)nodes;
    snprintf(out, n, "shards \xC2\xB7 key \xE2\x86\x92 shard h mod %u \xE2\x86\x92 node; a cell, a lump each; "
             "shards move whole", p->shards);
}

static void shards_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key,
                            const strat_where_t *w, json_t *json, char *text, size_t text_size)
{
    (void)key;
    const shardmap_t *m = shards_map(s->state);
    uint32_t n;
    const uint16_t *h = shardmap_holders(m, (uint32_t)w->at, &n);
    if (json) {
        json_printf(json, ",\"shard\":%" PRId64 ",\"holders\":[", w->at);
        for (uint32_t i = 0; i < n; i++) {
            json_raw(json, i ? "," : "");
            json_str(json, nodes->ring->nodes[h[i]].id);
        }
        json_raw(json, "]");
    }
    if (text) {
        int at = snprintf(text, text_size, "shard %" PRId64 " of %u, holders", w->at, m->shards);
        for (uint32_t i = 0; i < n && at >= 0 && (size_t)at < text_size; i++)
            at += snprintf(text + at, text_size - (size_t)at, "%s %s", i ? "," : "", nodes->ring->nodes[h[i]].id);
        if (at >= 0 && (size_t)at < text_size)
            snprintf(text + at, text_size - (size_t)at, "\n");
    }
}

static const strat_param_t shards_params[] = {
    {.flag = "--shards", .metavar = "S", .field = "shards", .help = "number of shards, 1..65536 (key -> shard: khash mod S)",
     .def = STRAT_SHARDS_DEFAULT, .min = 1, .max = STRAT_SHARDS_MAX, .offset = offsetof(strat_params_t, shards)},
};

const strat_ops_t strat_shards_ops = {
    .name = "shards", .weighted = 1, .uses_vnodes = 0, .params = shards_params, .param_count = 1,
    .build = shards_build, .release = shards_release, .locate = shards_locate, .memory = shards_memory,
    .describe = shards_describe,
    .locate_note = "shards: the key's shard (khash mod S) and the nodes that hold it, primary first.\n",
    .place = place_at_cell, .cells = shards_cells, .cell_owner = shards_cell_owner,
    .structure = {.kind = STRAT_STRUCTURE_SHARDS, .flags = STRAT_DRAW_NUMBERED, .cells_total = shards_cells_total,
                  .size_name = "shards", .size = shards_size},
    .legend = shards_legend,
    .shards = shards_map, .rebalances_itself = 1, .holders = shards_holders, .touched = shards_touched,
    .command = shards_command,
};
