/* strat_kafka — the Kafka preset (DESIGN §1c; reference/routing.md §7, read
 * from clients/.../utils/Utils.java and BuiltInPartitioner.java).
 *
 * Key -> partition: toPositive(murmur2(key)) % P, murmur2 with seed
 * 0x9747b28c over the serialized key (the id's bytes), toPositive(x) = x &
 * 0x7fffffff. P is `--shards` (the topic's partitions), default 1.
 * Partition p's leader is the broker of rank p mod n, its followers the
 * next ranks (zones first). Kafka moves nothing by itself: an added broker
 * stays empty until `move` or `rebalance` (kafka-reassign-partitions), and
 * the step says so (shardstrat_change_sticky).
 *
 * `partitions P2` raises the count (Kafka refuses to lower it). Keys then
 * route by % P2, but records already written stay in the partition they
 * were written to: the map keeps, per key, the partition its records are in
 * — the partition count when the key was written (the route's epochs: keys
 * vec_first.. were written under P) — so a partition's keys are its
 * records, and a move carries them. Keys whose records sit in another
 * partition than the one they now route to are read from the wrong
 * partition: the step reports how many (its message and `misrouted`).
 * New partitions p >= P go to the broker of rank p mod n.
 */
#include "strat.h"

#include "place.h"
#include "shardstrat.h"
#include "syshash.h"
#include "sysroute.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const strat_ops_t strat_kafka_ops;

/* Keys of index >= first (up to the next epoch's) were written when the
 * topic had partitions partitions (mod: its reciprocal, rmod.h). */
typedef struct epoch {
    uint64_t first;
    uint32_t partitions;
    rmod_t mod;
} epoch_t;

static epoch_t epoch_of(uint64_t first, uint32_t partitions)
{
    return (epoch_t){first, partitions, rmod_init(partitions)};
}

typedef struct kroute {
    unsigned refs;
    uint32_t count;
    epoch_t epoch[];
} kroute_t;

typedef struct kafka {
    shardstrat_t base;
    kroute_t *route;
    uint64_t keys;      /* the store's size at the last build */
    uint64_t misrouted; /* keys whose records are not in the partition they route to */
} kafka_t;

/* ---- key -> partition --------------------------------------------------------- */

static uint64_t kafka_of_index(uint64_t index, const char *id, size_t len)
{
    (void)index;
    return sh_murmur2(id, len, SH_KAFKA_MURMUR2_SEED);
}

static void kafka_of_indexes(uint64_t first, size_t n, uint64_t *out)
{
    strat_keyhash_fill(kafka_of_index, first, n, out);
}

static int kafka_of_id(const char *id, size_t len, uint64_t *out, char *why, size_t why_size)
{
    (void)why, (void)why_size;
    *out = sh_murmur2(id, len, SH_KAFKA_MURMUR2_SEED);
    return 0;
}

/* The partition count key's records were written under, as a reciprocal
 * (a key of no embedding: today's, shards). */
static const rmod_t *written_under(const kroute_t *r, const strat_key_t *key, const rmod_t *shards)
{
    if (key->index < 0)
        return shards;
    for (uint32_t i = r->count; i-- > 0;)
        if ((uint64_t)key->index >= r->epoch[i].first)
            return &r->epoch[i].mod;
    return shards;
}

static uint32_t partition(uint64_t own, const rmod_t *partitions)
{
    return rmod_of(partitions, own & 0x7fffffffu); /* toPositive(murmur2) % P */
}

static uint32_t kafka_shard_of(const void *route, const strat_key_t *key, const rmod_t *shards)
{
    return partition(key->own, written_under(route, key, shards));
}

static kroute_t *route_new(const kroute_t *from, uint32_t extra)
{
    uint32_t count = from ? from->count : 0;
    kroute_t *r = malloc(sizeof *r + (count + extra + 1) * sizeof r->epoch[0]);
    if (!r)
        return NULL;
    r->refs = 1;
    r->count = count;
    if (from)
        memcpy(r->epoch, from->epoch, count * sizeof r->epoch[0]);
    return r;
}

static void route_release(kroute_t *r)
{
    if (r && --r->refs == 0)
        free(r);
}

/* Keys whose records are not where they now route. */
static uint64_t count_misrouted(const kafka_t *x, const store_t *st, const uint64_t *own)
{
    uint64_t k = 0;
    for (size_t pos = 0; own && pos < st->count; pos++) {
        strat_key_t key;
        strat_key_at(st, own, pos, &key);
        k += kafka_shard_of(x->route, &key, &x->base.map.mod) != partition(key.own, &x->base.map.mod);
    }
    return k;
}

/* ---- the policy ------------------------------------------------------------------ */

static const void *kafka_route(const shardstrat_t *base) { return ((const kafka_t *)base)->route; }

static void kafka_adopt(shardstrat_t *base) { ((kafka_t *)base)->route->refs++; }

static void kafka_release_part(shardstrat_t *base) { route_release(((kafka_t *)base)->route); }

static int kafka_create(shardstrat_t *base, const strat_nodes_t *nodes, const strat_params_t *p, char *err,
                        size_t err_size)
{
    kafka_t *x = (kafka_t *)base;
    x->route = route_new(NULL, 1);
    if (x->route) {
        x->route->epoch[0] = epoch_of(0, p->shards);
        x->route->count = 1;
    }
    if (!x->route || shardmap_init(&base->map, p->shards, kafka_shard_of, x->route) != 0) {
        snprintf(err, err_size, "out of memory for %u partitions", p->shards);
        return -1;
    }
    shardmap_assign(&base->map, nodes);
    if (shardmap_relist(&base->map, nodes) != 0) {
        snprintf(err, err_size, "out of memory for %u partitions", p->shards);
        return -1;
    }
    return 0;
}

static int set_route(kafka_t *x, kroute_t *r)
{
    if (!r)
        return -1;
    route_release(x->route);
    x->route = r;
    x->base.map.route = r;
    return 0;
}

/* vectors N: dropped keys take their epochs with them; new keys are written
 * under today's partition count. */
static int keys_changed(kafka_t *x, uint64_t before, uint64_t now)
{
    uint32_t today = x->base.map.shards;
    kroute_t *r = route_new(x->route, 1);
    if (!r)
        return -1;
    while (r->count > 1 && r->epoch[r->count - 1].first >= now)
        r->count--;
    if (now > before && r->epoch[r->count - 1].partitions != today)
        r->epoch[r->count++] = epoch_of(before, today);
    return set_route(x, r);
}

static int kafka_partitions(kafka_t *x, const strat_nodes_t *nodes, uint32_t to, const store_t *st,
                            const uint64_t *own)
{
    shardmap_t *old = &x->base.map, fresh;
    uint32_t from = old->shards;
    kroute_t *r = route_new(x->route, 1);
    if (!r)
        return -1;
    r->epoch[r->count++] = epoch_of(st->count, to); /* keys written from now on */
    if (shardmap_init(&fresh, to, kafka_shard_of, r) != 0) {
        route_release(r);
        return -1;
    }
    memcpy(fresh.hold, old->hold, (size_t)from * SHARDMAP_STRIDE * sizeof *old->hold);
    memcpy(fresh.held, old->held, from);
    memcpy(fresh.lost, old->lost, from);
    for (uint32_t p = from; p < to; p++) {
        if (nodes->n)
            shardmap_set_primary(&fresh, p, nodes->rank[p % nodes->n]);
        else
            fresh.held[p] = 0;
    }
    if (shardmap_relist_from(&fresh, nodes, from) != 0) {
        shardmap_free(&fresh);
        route_release(r);
        return -1;
    }
    shardmap_free(old);
    x->base.map = fresh;
    set_route(x, r);
    x->base.remapped = 1;
    x->misrouted = count_misrouted(x, st, own);
    shardstrat_say(&x->base, "%llu of %zu keys now route to another partition; their records stay where they were "
                   "written (a read by key looks in the wrong partition)",
                   (unsigned long long)x->misrouted, st->count);
    return 0;
}

static int kafka_change(shardstrat_t *base, const shardstrat_t *prev, const strat_change_t *c,
                        const strat_nodes_t *nodes, const strat_params_t *p, const store_t *st, const uint64_t *own)
{
    (void)prev, (void)p;
    kafka_t *x = (kafka_t *)base;
    int rc = 0;
    if (c->kind == STRAT_CHANGE_COMMAND && c->cmd->op == SCN_PARTITIONS) {
        rc = kafka_partitions(x, nodes, (uint32_t)c->cmd->value, st, own);
    } else {
        if (c->kind == STRAT_CHANGE_KEYS && st->count != x->keys) {
            rc = keys_changed(x, x->keys, st->count);
            x->misrouted = rc == 0 ? count_misrouted(x, st, own) : 0;
        }
        if (rc == 0)
            rc = shardstrat_change_sticky(base, c, nodes, "Kafka");
    }
    x->keys = st->count;
    return rc;
}

static int kafka_command(const shardstrat_t *base, const strat_nodes_t *nodes, const scn_cmd_t *cmd, char *msg,
                          size_t msg_size)
{
    (void)nodes;
    uint32_t s = base->map.shards;
    if (cmd->op == SCN_PARTITIONS) {
        if (cmd->value < s) {
            snprintf(msg, msg_size, "partitions %llu: the topic has %u partitions and Kafka cannot lower the count",
                     (unsigned long long)cmd->value, s);
            return -1;
        }
        if (cmd->value == s) {
            snprintf(msg, msg_size, "The topic already has %u partitions; nothing changed", s);
            return 1;
        }
        return 0;
    }
    return SHARDSTRAT_GENERIC; /* move, rebalance */
}

static const shardstrat_policy_t kafka_policy = {
    .unit = "partition", .size = sizeof(kafka_t), .create = kafka_create, .adopt = kafka_adopt,
    .route = kafka_route, .change = kafka_change, .command = kafka_command, .release = kafka_release_part,
};

static int kafka_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                       const strat_params_t *p, const struct store *st, const uint64_t *own, char *err,
                       size_t err_size)
{
    int rc = shardstrat_build(&kafka_policy, state, prev, change, nodes, p, st, own, err, err_size);
    if (rc == 0 && !prev)
        ((kafka_t *)*state)->keys = st->count;
    return rc;
}

static void kafka_step_json(const void *state, json_t *j)
{
    const kafka_t *x = state;
    json_printf(j, ",\"partitions\":%u,\"misrouted\":%llu", x->base.map.shards, (unsigned long long)x->misrouted);
}

static void kafka_config(const void *state, const strat_params_t *p, json_t *j)
{
    (void)p;
    json_printf(j, ",\"partitions\":%u", shardstrat_map(state)->shards);
}

/* Where the key's records are, and where it routes when that differs. */
static void kafka_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key,
                           const strat_where_t *w, json_t *json, char *text, size_t text_size)
{
    const kafka_t *x = s->state;
    uint32_t routed = partition(key->own, &x->base.map.mod);
    shardstrat_describe(s, nodes, key, w, json, text, text_size);
    if (json)
        json_printf(json, ",\"routes_to\":%u", routed);
    if (text && routed != (uint32_t)w->at) {
        size_t at = strlen(text);
        if (at && text[at - 1] == '\n')
            at--;
        snprintf(text + at, text_size - at, "; its records are there, but it now routes to partition %u\n", routed);
    }
}

static void kafka_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)p, (void)nodes;
    snprintf(out, n, "kafka \xC2\xB7 partition = (murmur2(key) & 0x7fffffff) mod P \xC2\xB7 partition p on broker "
             "p mod n; adding brokers moves nothing");
}

static void kafka_cells_total(uint64_t cells, char *out, size_t n)
{
    snprintf(out, n, "%llu partitions", (unsigned long long)cells);
}

static const strat_param_t kafka_params[] = {
    {.flag = "--shards", .metavar = "S", .field = "partitions", .help = "the topic's partitions",
     .def = 1, .min = 1, .max = STRAT_SHARDS_MAX, .offset = offsetof(strat_params_t, shards)},
};

static const strat_keyhash_t kafka_key_hash = {
    .bits = 32, .help = "murmur2 (seed 0x9747b28c) of KEY", .native = "text (any bytes: --key-hex)",
    .of_id = kafka_of_id, .of_indexes = kafka_of_indexes,
};

const strat_ops_t strat_kafka_ops = {
    .name = "kafka", .system = "Kafka", .weighted = 0, .params = kafka_params, .param_count = 1,
    .key_hash = &kafka_key_hash,
    .build = kafka_build, .release = shardstrat_release, .locate = shardstrat_locate, .memory = shardstrat_memory,
    .describe = kafka_describe, .landed = "partition",
    .locate_note = "kafka: hash = murmur2 of KEY (a signed int), partition = (hash & 0x7fffffff)\n"
                   "mod P; after `partitions`, an embedding's records stay in the partition they\n"
                   "were written to.\n",
    .place = place_at_cell, .key_cells = shardstrat_key_cells, .cells = shardstrat_cells,
    .cell_owner = shardstrat_cell_owner,
    .structure = {.kind = STRAT_STRUCTURE_SHARDS, .flags = STRAT_DRAW_NUMBERED, .cells_total = kafka_cells_total,
                  .size_name = "partitions", .size = shardstrat_size},
    .legend = kafka_legend,
    .shards = shardstrat_map, .unit = shardstrat_unit, .rebalances_itself = 0, .holders = shardstrat_holders,
    .touched = shardstrat_touched,
    .command = shardstrat_command, .note = shardstrat_note, .step_json = kafka_step_json,
    .config_json = kafka_config,
};
