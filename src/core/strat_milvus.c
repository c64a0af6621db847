/* strat_milvus — the Milvus preset (DESIGN §1c; reference/routing.md §5).
 *
 * Key -> shard as pkg/util/typeutil/hash.go routes an int64 primary key:
 * Hash32Int64(pk) = Murmur3 x86_32, seed 0, over le64(pk), & 0x7fffffff;
 * shard = hash % S (HashRoutingTable.LocateKey). Vector i's primary key is
 * i. S is `--shards` (shards_num), default 1 (common.DefaultShardsNum).
 * Shards (vchannels) are balanced by count among the query nodes: §1c's
 * generic balancer, weights included (Milvus weighs by memory capacity),
 * after add, remove, weight and recover (shardstrat_change_generic).
 * A varchar primary key (CRC-32 of its first 100 bytes) is sysroute's
 * sr_milvus_hash_varchar; the preset's keys are numbers.
 */
#include "strat.h"

#include "place.h"
#include "shardstrat.h"
#include "sysroute.h"

#include <inttypes.h>
#include <stdio.h>

extern const strat_ops_t strat_milvus_ops;

static uint64_t milvus_of_index(uint64_t index, const char *id, size_t len)
{
    (void)id, (void)len;
    return sr_milvus_hash_int64((int64_t)index);
}

static void milvus_of_indexes(uint64_t first, size_t n, uint64_t *out)
{
    strat_keyhash_fill(milvus_of_index, first, n, out);
}

static int milvus_of_id(const char *id, size_t len, uint64_t *out, char *why, size_t why_size)
{
    uint64_t pk;
    if (strat_native_number(id, len, 1, &pk) != 0) {
        snprintf(why, why_size, "milvus keys are int64 primary keys: a decimal number (or vec_N, which is N)");
        return -1;
    }
    *out = sr_milvus_hash_int64((int64_t)pk);
    return 0;
}

static uint32_t milvus_shard_of(const void *route, const strat_key_t *key, const rmod_t *shards)
{
    (void)route;
    return rmod_of(shards, key->own); /* hash % S */
}

static int milvus_create(shardstrat_t *x, const strat_nodes_t *nodes, const strat_params_t *p, char *err,
                         size_t err_size)
{
    if (shardmap_init(&x->map, p->shards, milvus_shard_of, NULL) != 0 || shardstrat_create_by_rank(x, nodes) != 0) {
        snprintf(err, err_size, "out of memory for %u shards", p->shards);
        return -1;
    }
    return 0;
}

static int milvus_change(shardstrat_t *x, const shardstrat_t *prev, const strat_change_t *c,
                         const strat_nodes_t *nodes, const strat_params_t *p, const store_t *st, const uint64_t *own)
{
    (void)prev, (void)p, (void)st, (void)own;
    return shardstrat_change_generic(x, c, nodes, 1, shardstrat_balance);
}

static const shardstrat_policy_t milvus_policy = {
    .unit = "shard", .size = sizeof(shardstrat_t), .create = milvus_create, .change = milvus_change,
};

static int milvus_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                        const strat_params_t *p, const struct store *st, const uint64_t *own, char *err,
                        size_t err_size)
{
    return shardstrat_build(&milvus_policy, state, prev, change, nodes, p, st, own, err, err_size);
}

static void milvus_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)nodes;
    snprintf(out, n, "milvus \xC2\xB7 shard = (Murmur3(le64 pk) & 0x7fffffff) mod %u \xC2\xB7 shards balanced "
             "by count", p->shards);
}

static void milvus_cells_total(uint64_t cells, char *out, size_t n)
{
    snprintf(out, n, "%llu shards (vchannels)", (unsigned long long)cells);
}

static const strat_param_t milvus_params[] = {
    {.flag = "--shards", .metavar = "S", .field = "shards", .help = "shards_num, the collection's shards (vchannels)",
     .def = 1, .min = 1, .max = STRAT_SHARDS_MAX, .offset = offsetof(strat_params_t, shards)},
};

static const strat_keyhash_t milvus_key_hash = {
    .bits = 32, .help = "Murmur3 x86_32 of le64(id) & 0x7fffffff", .native = "an int64 id (decimal)",
    .of_id = milvus_of_id, .of_indexes = milvus_of_indexes,
};

const strat_ops_t strat_milvus_ops = {
    .name = "milvus", .system = "Milvus", .weighted = 1, .params = milvus_params, .param_count = 1,
    .key_hash = &milvus_key_hash,
    .build = milvus_build, .release = shardstrat_release, .locate = shardstrat_locate, .memory = shardstrat_memory,
    .describe = shardstrat_describe, .landed = NULL,
    .locate_note = "milvus: KEY is an int64 primary key (decimal; vec_N is N); hash =\n"
                   "Hash32Int64, shard = hash mod S.\n",
    .place = place_at_cell, .key_cells = shardstrat_key_cells, .cells = shardstrat_cells,
    .cell_owner = shardstrat_cell_owner,
    .structure = {.kind = STRAT_STRUCTURE_SHARDS, .flags = STRAT_DRAW_NUMBERED, .cells_total = milvus_cells_total,
                  .size_name = "shards", .size = shardstrat_size},
    .legend = milvus_legend,
    .shards = shardstrat_map, .unit = shardstrat_unit, .rebalances_itself = 1, .holders = shardstrat_holders,
    .touched = shardstrat_touched,
    .command = shardstrat_command, .note = shardstrat_note,
};
