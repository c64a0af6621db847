/* strat_qdrant — the Qdrant preset (DESIGN §1c; reference/routing.md §2,
 * read from lib/collection/src/hash_ring.rs, lib/segment/src/types.rs and
 * lib/storage/src/content_manager/shard_distribution.rs).
 *
 * Key -> shard: SipHash-2-4 with key 0 of the point id's bytes (numeric id
 * i: le64(0) ‖ le64(i), vector i's id is i; a UUID: le64(1) ‖ le64(16) ‖
 * its 16 bytes); the shard of the first ring point >= that hash, wrapping,
 * on a ring of 100 points per shard at SipHash(le32(shard) ‖ le32(k))
 * (sysroute). The ring is the route, shared by the maps that keep the same
 * shards.
 *
 * Shards -> peers: S is `--shards`, by default one per node when the
 * collection is made (TableOfContent::suggest_shard_distribution); each
 * shard, in order, goes with its replicas to the least-loaded peers (ties:
 * lower rank; Qdrant breaks them at random). Qdrant has no rebalancer: an
 * added node stays empty until `move` or `rebalance` (§1c's balancer on
 * the primaries), and the step says so (shardstrat_change_sticky).
 * `reshard up` adds shard S — its 100 points take about 1/(S+1) of the
 * keys — on the least-loaded peer; `reshard down` removes the last shard,
 * whose keys go to the points after its own.
 * The display draws the ring's points, each in its shard's primary's colour.
 */
#include "strat.h"

#include "place.h"
#include "shardstrat.h"
#include "sysroute.h"
#include "uuid.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QDRANT_SHARDS_MAX 4096u

extern const strat_ops_t strat_qdrant_ops;

/* The state: the ring (Qdrant's HashRing, node[] holding each point's
 * shard) and its points as drawn (shardstrat_ringed_t). */
typedef shardstrat_ringed_t qdrant_t;

/* ---- key -> shard ----------------------------------------------------------- */

static uint64_t qdrant_of_index(uint64_t index, const char *id, size_t len)
{
    (void)id, (void)len;
    return sr_qdrant_hash_num(index);
}

static void qdrant_of_indexes(uint64_t first, size_t n, uint64_t *out)
{
    strat_keyhash_fill(qdrant_of_index, first, n, out);
}

static int qdrant_of_id(const char *id, size_t len, uint64_t *out, char *why, size_t why_size)
{
    uint64_t num;
    uint8_t u[16];
    if (strat_native_number(id, len, 0, &num) == 0) {
        *out = sr_qdrant_hash_num(num);
        return 0;
    }
    if (uuid_parse(id, len, u) == 0) {
        *out = sr_qdrant_hash_uuid(u);
        return 0;
    }
    snprintf(why, why_size, "a Qdrant point id is an unsigned number or a UUID (vec_N is N)");
    return -1;
}

static int qdrant_native(const char *id, size_t len, char *out, size_t out_size)
{
    uint64_t num;
    if (strat_native_number(id, len, 0, &num) == 0 && id[0] == 'v') {
        snprintf(out, out_size, "point id %llu", (unsigned long long)num);
        return 1;
    }
    return 0;
}

/* The ring of shards 0..shards-1, 100 points each (sysroute's order). */
static shardstrat_ring_t *ring_new(uint32_t shards)
{
    size_t n = (size_t)shards * SR_QDRANT_SCALE;
    shardstrat_ring_t *r = shardstrat_ring_new(n);
    sr_qdrant_point_t *pts = malloc((n + 1) * sizeof *pts);
    if (!r || !pts) {
        shardstrat_ring_release(r);
        free(pts);
        return NULL;
    }
    sr_qdrant_ring_build(pts, shards);
    for (size_t i = 0; i < n; i++) {
        r->p.pos[i] = pts[i].hash;
        r->p.node[i] = (uint16_t)pts[i].shard;
    }
    r->p.count = (uint32_t)n;
    strat_points_index(&r->p);
    free(pts);
    return r;
}

/* ---- the policy --------------------------------------------------------------- */

static int qdrant_create(shardstrat_t *base, const strat_nodes_t *nodes, const strat_params_t *p, char *err,
                         size_t err_size)
{
    qdrant_t *x = (qdrant_t *)base;
    uint32_t shards = p->shards ? p->shards : nodes->n ? nodes->n : 1;
    x->ring = ring_new(shards);
    if (!x->ring || shardmap_init(&base->map, shards, shardstrat_ring_shard_of, x->ring) != 0 ||
        shardmap_assign_least_loaded(&base->map, nodes, 0) != 0 || shardstrat_ringed_refresh(x) != 0) {
        snprintf(err, err_size, "out of memory for %u shards", shards);
        return -1;
    }
    return 0;
}

/* reshard up|down: a map of S ± 1 shards on its own ring; the shards that
 * stay keep their holders. */
static int qdrant_reshard(qdrant_t *x, const strat_nodes_t *nodes, int up)
{
    shardmap_t *old = &x->base.map, fresh;
    uint32_t s0 = old->shards, s1 = up ? s0 + 1 : s0 - 1;
    shardstrat_ring_t *ring = ring_new(s1);
    if (!ring || shardmap_init(&fresh, s1, shardstrat_ring_shard_of, ring) != 0) {
        shardstrat_ring_release(ring);
        return -1;
    }
    uint32_t keep = s0 < s1 ? s0 : s1;
    memcpy(fresh.hold, old->hold, (size_t)keep * SHARDMAP_STRIDE * sizeof *old->hold);
    memcpy(fresh.held, old->held, keep);
    memcpy(fresh.lost, old->lost, keep);
    if (shardmap_assign_least_loaded(&fresh, nodes, keep) != 0) {
        shardmap_free(&fresh);
        shardstrat_ring_release(ring);
        return -1;
    }
    shardmap_free(old);
    x->base.map = fresh;
    shardstrat_ringed_set(x, ring);
    x->base.remapped = 1;
    if (up)
        shardstrat_say(&x->base, "shard %u added on %s: its 100 ring points take about 1/%u of the keys", s0,
                       fresh.held[s0] ? nodes->ring->nodes[shardmap_primary(&fresh, s0)].id : "no node", s1);
    else
        shardstrat_say(&x->base, "shard %u removed: its keys go to the shards of the ring points after its own",
                       s1);
    return 0;
}

static int qdrant_change(shardstrat_t *base, const shardstrat_t *prev, const strat_change_t *c,
                         const strat_nodes_t *nodes, const strat_params_t *p, const store_t *st, const uint64_t *own)
{
    (void)prev, (void)p, (void)st, (void)own;
    qdrant_t *x = (qdrant_t *)base;
    int rc;
    if (c->kind == STRAT_CHANGE_COMMAND && c->cmd->op == SCN_RESHARD)
        rc = qdrant_reshard(x, nodes, c->cmd->value == SCN_RESHARD_UP);
    else
        rc = shardstrat_change_sticky(base, c, nodes, "Qdrant");
    return rc == 0 ? shardstrat_ringed_refresh(x) : rc;
}

static int qdrant_command(const shardstrat_t *base, const strat_nodes_t *nodes, const scn_cmd_t *cmd, char *msg,
                          size_t msg_size)
{
    (void)nodes;
    uint32_t s = base->map.shards;
    if (cmd->op == SCN_RESHARD) {
        if (cmd->value == SCN_RESHARD_DOWN && s <= 1) {
            snprintf(msg, msg_size, "reshard down: the collection has 1 shard; it cannot have fewer");
            return -1;
        }
        if (cmd->value == SCN_RESHARD_UP && s >= QDRANT_SHARDS_MAX) {
            snprintf(msg, msg_size, "reshard up: the collection has %u shards, the most Ringscope keeps", s);
            return -1;
        }
        return 0;
    }
    return SHARDSTRAT_GENERIC; /* move, rebalance */
}

static const shardstrat_policy_t qdrant_policy = {
    .unit = "shard", .size = sizeof(qdrant_t), .create = qdrant_create, .adopt = shardstrat_ringed_adopt,
    .route = shardstrat_ringed_route, .change = qdrant_change, .command = qdrant_command,
    .release = shardstrat_ringed_release,
};

static int qdrant_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                        const strat_params_t *p, const struct store *st, const uint64_t *own, char *err,
                        size_t err_size)
{
    return shardstrat_build(&qdrant_policy, state, prev, change, nodes, p, st, own, err, err_size);
}

static void qdrant_config(const void *state, const strat_params_t *p, json_t *j)
{
    (void)p;
    json_printf(j, ",\"shards\":%u,\"ring_points_per_shard\":%u", shardstrat_map(state)->shards, SR_QDRANT_SCALE);
}

static void qdrant_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)p, (void)nodes;
    snprintf(out, n, "qdrant \xC2\xB7 SipHash(point id) on a ring of 100 points per shard \xC2\xB7 shards never "
             "move by themselves");
}

static const strat_param_t qdrant_params[] = {
    {.flag = "--shards", .metavar = "S", .field = "shards", .help = "shard_number", .def = 0,
     .def_text = "one per node at the start", .min = 1, .max = QDRANT_SHARDS_MAX,
     .offset = offsetof(strat_params_t, shards)},
};

static const strat_keyhash_t qdrant_key_hash = {
    .bits = 64, .help = "SipHash-2-4 of the point id's bytes", .native = "a point id: an unsigned number or a UUID",
    .of_id = qdrant_of_id, .of_indexes = qdrant_of_indexes, .native_of = qdrant_native,
};

const strat_ops_t strat_qdrant_ops = {
    .name = "qdrant", .system = "Qdrant", .weighted = 0, .params = qdrant_params, .param_count = 1,
    .key_hash = &qdrant_key_hash,
    .build = qdrant_build, .release = shardstrat_release, .locate = shardstrat_locate,
    .memory = shardstrat_ringed_memory,
    .describe = shardstrat_describe,
    .locate_note = "qdrant: KEY is a point id (a number, vec_N being N, or a UUID); hash =\n"
                   "SipHash-2-4 of its bytes; the shard of the first of the ring's points (100 a\n"
                   "shard) at or after it.\n",
    .place = place_at_key, .points = shardstrat_ringed_points,
    .structure = {.kind = STRAT_STRUCTURE_POINTS, .size_name = "ring points", .size = shardstrat_ringed_size},
    .legend = qdrant_legend,
    .shards = shardstrat_map, .rebalances_itself = 0, .holders = shardstrat_holders, .touched = shardstrat_touched,
    .command = shardstrat_command, .note = shardstrat_note, .config_json = qdrant_config,
};
