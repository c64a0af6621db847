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
 * Everything but the key -> shard level and the first placement is
 * shardstrat's, which the presets of real systems share: the structure is
 * the map, copied from the previous one and changed, so a build moves only
 * what the change asks; after a build only the keys of shards whose primary
 * changed can change owner (touched). The display draws the S shards as
 * cells, cell s held by shard s's primary, and each node's cloud as lumps,
 * one per shard (STRAT_STRUCTURE_SHARDS).
 * A key's shard is khash mod S through S's reciprocal (rmod.h), which the
 * map keeps; re-placing every key is one loop of that and a table read
 * (owners).
 * Memory: the map (18 bytes a shard) and its key index (4 bytes a key).
 */
#include "strat.h"

#include "place.h"
#include "shardstrat.h"

#include <stdio.h>

extern const strat_ops_t strat_shards_ops;

/* The key -> shard level of generic shards. */
static uint32_t shards_of_key(const void *route, const strat_key_t *key, const rmod_t *shards)
{
    (void)route;
    return rmod_of(shards, key->hash);
}

/* The owners of n keys: each key's shard by S's reciprocal, then the
 * shard's primary; one loop with no call per key. */
static void shards_owners(const void *state, const strat_nodes_t *nodes, const uint64_t *khash, const uint64_t *own,
                          size_t n, uint16_t *out)
{
    (void)nodes, (void)own;
    const shardmap_t *m = shardstrat_map(state);
    const rmod_t mod = m->mod;
    for (size_t i = 0; i < n; i++)
        out[i] = shardmap_primary(m, rmod_of(&mod, khash[i]));
}

static int shards_create(shardstrat_t *x, const strat_nodes_t *nodes, const strat_params_t *p, char *err,
                         size_t err_size)
{
    if (shardmap_init(&x->map, p->shards, shards_of_key, NULL) != 0 || shardstrat_create_by_rank(x, nodes) != 0) {
        snprintf(err, err_size, "out of memory for %u shards", p->shards);
        return -1;
    }
    return 0;
}

static int shards_change(shardstrat_t *x, const shardstrat_t *prev, const strat_change_t *c,
                         const strat_nodes_t *nodes, const strat_params_t *p, const store_t *st, const uint64_t *own)
{
    (void)prev, (void)p, (void)st, (void)own;
    return shardstrat_change_generic(x, c, nodes, strat_shards_ops.rebalances_itself, shardstrat_balance);
}

static const shardstrat_policy_t shards_policy = {
    .unit = "shard", .size = sizeof(shardstrat_t), .create = shards_create, .change = shards_change,
};

static int shards_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                        const strat_params_t *p, const struct store *st, const uint64_t *own, char *err,
                        size_t err_size)
{
    return shardstrat_build(&shards_policy, state, prev, change, nodes, p, st, own, err, err_size);
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

static const strat_param_t shards_params[] = {
    {.flag = "--shards", .metavar = "S", .field = "shards", .help = "number of shards, 1..65536 (key -> shard: khash mod S)",
     .def = STRAT_SHARDS_DEFAULT, .min = 1, .max = STRAT_SHARDS_MAX, .offset = offsetof(strat_params_t, shards)},
};

const strat_ops_t strat_shards_ops = {
    .name = "shards", .weighted = 1, .uses_vnodes = 0, .params = shards_params, .param_count = 1,
    .build = shards_build, .release = shardstrat_release, .locate = shardstrat_locate, .owners = shards_owners,
    .memory = shardstrat_memory,
    .describe = shardstrat_describe,
    .locate_note = "shards: the key's shard (khash mod S) and the nodes that hold it, primary\n"
                   "first.\n",
    .place = place_at_cell, .cells = shardstrat_cells, .cell_owner = shardstrat_cell_owner,
    .structure = {.kind = STRAT_STRUCTURE_SHARDS, .flags = STRAT_DRAW_NUMBERED, .cells_total = shards_cells_total,
                  .size_name = "shards", .size = shardstrat_size},
    .legend = shards_legend,
    .shards = shardstrat_map, .unit = shardstrat_unit, .rebalances_itself = 1, .holders = shardstrat_holders,
    .touched = shardstrat_touched,
    .command = shardstrat_command, .note = shardstrat_note,
};
