/* strat_es — the Elasticsearch preset (DESIGN §1c; reference/routing.md §4,
 * read from Murmur3HashFunction.java, IndexRouting.java,
 * MetadataCreateIndexService.java and the allocation deciders).
 *
 * Key -> shard: h = Murmur3 x86_32, seed 0, over the _id's UTF-16 code
 * units little-endian, a signed int; shard = floorMod(h, R) / (R / S), R =
 * index.number_of_routing_shards (`--routing-shards`, by default
 * S·2^max(1, 10 - ceil(log2 S)): 1024 for one shard, 640 for five). S is
 * `--shards` (index.number_of_shards), default 1, at most 1024.
 *
 * Shard copies -> nodes, by count, one index (§1c):
 *   start   shard s's primary on the node of rank s mod n, its replicas on
 *           the next ranks (zones first), then the balancer;
 *   balance while max - min > 1 shard copies per live node: the node with
 *           the most (ties: lower rank) gives its lowest-numbered copy that
 *           the node with the fewest (ties: lower rank) lacks — never two
 *           copies of a shard on one node, and with zones at most
 *           ceil(copies / zones) copies of a shard in a zone
 *           (AwarenessAllocationDecider); nothing to give: it stops;
 *   add, recover, zone  the balancer; copies that break the zone cap
 *           after zones change relocate first (canRemain);
 *   remove  each copy on the node (lowest shard first) relocates to the
 *           node with the fewest copies that may take it, keeping its role;
 *           then the balancer;
 *   replicas  copies dropped from the end, or made where heal puts them;
 *           then the balancer;
 *   fail, heal  the shard map's crash (a replica is promoted) and heal;
 *   split F  the _split API: S -> S·F shards, shard s's keys into s·F ..
 *           s·F + F - 1 on the same nodes (needs R divisible by S·F and
 *           S·F <= 1024); then the balancer;
 *   move, rebalance  a primary copy moved by hand; the balancer.
 */
#include "strat.h"

#include "place.h"
#include "shardstrat.h"
#include "sysroute.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ES_SHARDS_MAX 1024u     /* es.index.max_number_of_shards */
#define ES_ROUTING_MAX (1u << 20)

extern const strat_ops_t strat_es_ops;

typedef struct es_route {
    uint32_t routing_shards; /* R */
    rmod_t routing;          /* R's reciprocal: lookups divide by none */
} es_route_t;

typedef struct es {
    shardstrat_t base;
    es_route_t route;
} es_t;

/* ---- key -> shard ----------------------------------------------------------- */

static int32_t as_int32(uint64_t bits)
{
    uint32_t u = (uint32_t)bits;
    return u <= (uint32_t)INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1;
}

static uint64_t es_of_index(uint64_t index, const char *id, size_t len)
{
    (void)index;
    int32_t h = 0;
    sr_es_hash(id, len, &h); /* an embedding id is ASCII */
    return (uint32_t)h;
}

static void es_of_indexes(uint64_t first, size_t n, uint64_t *out) { strat_keyhash_fill(es_of_index, first, n, out); }

static int es_of_id(const char *id, size_t len, uint64_t *out, char *why, size_t why_size)
{
    int32_t h;
    if (sr_es_hash(id, len, &h) != 0) {
        snprintf(why, why_size, "an Elasticsearch _id is text: these bytes are not UTF-8");
        return -1;
    }
    *out = (uint32_t)h;
    return 0;
}

static uint32_t es_shard_of(const void *route, const strat_key_t *key, const rmod_t *shards)
{
    return sr_es_shard_by(as_int32(key->own), shards->d, &((const es_route_t *)route)->routing);
}

static const void *es_route(const shardstrat_t *x) { return &((const es_t *)x)->route; }

/* ---- the balancer --------------------------------------------------------- */

/* Whether node x may take a copy of shard s (it holds none) under the
 * zone rule, leaving: the node giving it up (RING_NONE: none). */
static int zone_allows(const shardmap_t *m, const strat_nodes_t *nodes, uint32_t s, uint16_t x, uint16_t leaving)
{
    uint32_t n;
    const uint16_t *h = shardmap_holders(m, s, &n);
    if (strat_list_has(h, n, x))
        return 0;
    if (!nodes->zoned)
        return 1;
    uint32_t copies = n + (leaving == RING_NONE), zones = nodes->zones_live ? nodes->zones_live : 1;
    uint32_t cap = (copies + zones - 1) / zones, in_zone = 0;
    for (uint32_t j = 0; j < n; j++)
        in_zone += h[j] != leaving && nodes->zone[h[j]] == nodes->zone[x];
    return in_zone + 1 <= cap;
}

static void replace_holder(shardmap_t *m, uint32_t s, uint16_t from, uint16_t to)
{
    uint16_t *h = m->hold + (size_t)s * SHARDMAP_STRIDE;
    for (uint32_t j = 0; j < m->held[s]; j++)
        if (h[j] == from)
            h[j] = to;
}

/* One step of the balancer, if max - min > 1: 1 moved, 0 balanced or
 * stuck. counts by slot. */
static int balance_step(shardmap_t *m, const strat_nodes_t *nodes, uint64_t *counts)
{
    uint32_t hi = 0, lo = 0;
    for (uint32_t i = 1; i < nodes->n; i++) {
        if (counts[nodes->rank[i]] > counts[nodes->rank[hi]])
            hi = i;
        if (counts[nodes->rank[i]] < counts[nodes->rank[lo]])
            lo = i;
    }
    uint16_t from = nodes->rank[hi], to = nodes->rank[lo];
    if (counts[from] <= counts[to] + 1)
        return 0;
    for (uint32_t s = 0; s < m->shards; s++) {
        uint32_t n;
        const uint16_t *h = shardmap_holders(m, s, &n);
        if (!strat_list_has(h, n, from) || !zone_allows(m, nodes, s, to, from))
            continue;
        replace_holder(m, s, from, to);
        counts[from]--;
        counts[to]++;
        return 1;
    }
    return 0;
}

static int es_balance(shardmap_t *m, const strat_nodes_t *nodes)
{
    if (nodes->n < 2)
        return 0;
    uint64_t *counts = malloc(RS_MAX_NODES * sizeof *counts);
    if (!counts)
        return -1;
    shardmap_copy_counts(m, counts);
    while (balance_step(m, nodes, counts))
        ;
    free(counts);
    return 0;
}

/* The node with the fewest copies that may take a copy of shard s from
 * leaving (ties: lower rank), or RING_NONE. */
static uint16_t fewest_taker(const shardmap_t *m, const strat_nodes_t *nodes, const uint64_t *counts, uint32_t s,
                             uint16_t leaving)
{
    uint32_t best = nodes->n;
    for (uint32_t i = 0; i < nodes->n; i++) {
        uint16_t x = nodes->rank[i];
        if (zone_allows(m, nodes, s, x, leaving) && (best == nodes->n || counts[x] < counts[nodes->rank[best]]))
            best = i;
    }
    return best < nodes->n ? nodes->rank[best] : (uint16_t)RING_NONE;
}

/* Copies that break the zone cap (zones changed under them) cannot stay
 * (AwarenessAllocationDecider.canRemain): the last such copy of a shard
 * relocates to the node with the fewest copies that may take it. */
static int fix_zones(shardmap_t *m, const strat_nodes_t *nodes)
{
    if (!nodes->zoned)
        return 0;
    uint64_t *counts = malloc(RS_MAX_NODES * sizeof *counts);
    if (!counts)
        return -1;
    shardmap_copy_counts(m, counts);
    uint32_t zones = nodes->zones_live ? nodes->zones_live : 1;
    for (uint32_t s = 0; s < m->shards; s++) {
        uint16_t *h = m->hold + (size_t)s * SHARDMAP_STRIDE;
        uint32_t n = m->held[s], cap = (n + zones - 1) / zones;
        for (uint32_t j = n; j-- > 0;) {
            uint32_t in_zone = 0;
            for (uint32_t k = 0; k < n; k++)
                in_zone += nodes->zone[h[k]] == nodes->zone[h[j]];
            if (in_zone <= cap)
                continue;
            uint16_t to = fewest_taker(m, nodes, counts, s, h[j]);
            if (to == RING_NONE)
                continue;
            counts[h[j]]--;
            counts[to]++;
            h[j] = to;
        }
    }
    free(counts);
    return 0;
}

/* A graceful removal: each copy the node held goes, in its role, to the
 * node with the fewest copies that may take it (ties: lower rank). */
static int relocate_from(shardmap_t *m, const strat_nodes_t *nodes, uint16_t gone)
{
    uint64_t *counts = malloc(RS_MAX_NODES * sizeof *counts);
    if (!counts)
        return -1;
    shardmap_copy_counts(m, counts);
    for (uint32_t s = 0; s < m->shards; s++) {
        uint32_t n;
        const uint16_t *h = shardmap_holders(m, s, &n);
        if (!strat_list_has(h, n, gone))
            continue;
        uint16_t to = fewest_taker(m, nodes, counts, s, gone);
        if (to != RING_NONE) {
            replace_holder(m, s, gone, to);
            counts[to]++;
        } else {
            /* Every live node holds it already: the copy goes. */
            uint16_t *hold = m->hold + (size_t)s * SHARDMAP_STRIDE;
            uint32_t k = 0;
            for (uint32_t j = 0; j < m->held[s]; j++)
                if (hold[j] != gone)
                    hold[k++] = hold[j];
            m->held[s] = (uint8_t)k;
        }
    }
    free(counts);
    return 0;
}

/* ---- the policy --------------------------------------------------------------- */

static uint32_t routing_of(const strat_params_t *p)
{
    return p->routing_shards ? p->routing_shards : sr_es_routing_shards(p->shards);
}

static int es_create(shardstrat_t *base, const strat_nodes_t *nodes, const strat_params_t *p, char *err,
                     size_t err_size)
{
    es_t *x = (es_t *)base;
    x->route.routing_shards = routing_of(p);
    x->route.routing = rmod_init(x->route.routing_shards);
    if (shardmap_init(&base->map, p->shards, es_shard_of, &x->route) != 0) {
        snprintf(err, err_size, "out of memory for %u shards", p->shards);
        return -1;
    }
    shardmap_assign(&base->map, nodes);
    if (shardmap_relist(&base->map, nodes) != 0 || es_balance(&base->map, nodes) != 0) {
        snprintf(err, err_size, "out of memory for %u shards", p->shards);
        return -1;
    }
    return 0;
}

static int es_split(es_t *x, const strat_nodes_t *nodes, uint32_t factor)
{
    shardmap_t *old = &x->base.map, fresh;
    uint32_t s0 = old->shards;
    if (shardmap_init(&fresh, s0 * factor, es_shard_of, &x->route) != 0)
        return -1;
    for (uint32_t s = 0; s < fresh.shards; s++) {
        uint32_t n;
        const uint16_t *h = shardmap_holders(old, s / factor, &n);
        memcpy(fresh.hold + (size_t)s * SHARDMAP_STRIDE, h, n * sizeof *h);
        fresh.held[s] = (uint8_t)n;
        fresh.lost[s] = old->lost[s / factor];
    }
    shardmap_free(old);
    x->base.map = fresh;
    x->base.remapped = 1;
    x->base.split = factor;
    shardstrat_say(&x->base, "%u shards split into %u in place (no key changes node), then balanced", s0,
                   s0 * factor);
    return es_balance(&x->base.map, nodes);
}

static int es_change(shardstrat_t *base, const shardstrat_t *prev, const strat_change_t *c, const strat_nodes_t *nodes,
                     const strat_params_t *p, const store_t *st, const uint64_t *own)
{
    (void)prev, (void)p, (void)st, (void)own;
    es_t *x = (es_t *)base;
    shardmap_t *m = &base->map;
    int rc;
    if (shardstrat_settled(base, c, nodes, &rc))
        return rc;
    if (c->kind == STRAT_CHANGE_COPIES) {
        shardmap_trim(m, nodes);
        if (shardmap_heal(m, nodes) != 0 || fix_zones(m, nodes) != 0)
            return -1;
        return es_balance(m, nodes);
    }
    if (c->kind == STRAT_CHANGE_COMMAND) {
        if (c->cmd->op == SCN_SPLIT)
            return es_split(x, nodes, (uint32_t)c->cmd->value);
        if (c->cmd->op == SCN_MOVE)
            return shardstrat_command_keeping(base, c, nodes);
        return es_balance(m, nodes);
    }
    if (c->removed != RING_NONE && relocate_from(m, nodes, c->removed) != 0)
        return -1;
    /* Shards with no live holder (a start from no nodes) go where the
     * fewest copies are; then copies are made and balanced. */
    if (shardmap_balance(m, nodes, 0) != 0 || shardmap_heal(m, nodes) != 0 || fix_zones(m, nodes) != 0)
        return -1;
    if (c->added == RING_NONE && c->removed == RING_NONE && c->reweighted == RING_NONE)
        return 0;
    return es_balance(m, nodes);
}

static int es_command(const shardstrat_t *base, const strat_nodes_t *nodes, const scn_cmd_t *cmd, char *msg,
                      size_t msg_size)
{
    const es_t *x = (const es_t *)base;
    const shardmap_t *m = &base->map;
    if (cmd->op == SCN_SPLIT) {
        uint64_t target = (uint64_t)m->shards * cmd->value;
        uint32_t r = x->route.routing_shards;
        if (target > ES_SHARDS_MAX) {
            snprintf(msg, msg_size, "split %llu: %u shards x %llu = %llu shards; an index has at most %u",
                     (unsigned long long)cmd->value, m->shards, (unsigned long long)cmd->value,
                     (unsigned long long)target, ES_SHARDS_MAX);
            return -1;
        }
        if (r % target != 0) {
            snprintf(msg, msg_size, "split %llu: %llu shards do not divide the index's %u routing shards "
                     "(index.number_of_routing_shards; split factors of %u shards: divisors of %u)",
                     (unsigned long long)cmd->value, (unsigned long long)target, r, m->shards, r / m->shards);
            return -1;
        }
        return 0;
    }
    if (cmd->op == SCN_REBALANCE) {
        uint64_t *counts = malloc(RS_MAX_NODES * sizeof *counts);
        if (!counts) {
            snprintf(msg, msg_size, "out of memory");
            return -1;
        }
        shardmap_copy_counts(m, counts);
        uint64_t hi = 0, lo = UINT64_MAX;
        for (uint32_t i = 0; i < nodes->n; i++) {
            uint64_t c = counts[nodes->rank[i]];
            hi = c > hi ? c : hi;
            lo = c < lo ? c : lo;
        }
        free(counts);
        if (nodes->n < 2 || hi <= lo + 1) {
            snprintf(msg, msg_size, "Already balanced (shard copies per node differ by at most 1); nothing changed");
            return 1;
        }
        return 0;
    }
    return SHARDSTRAT_GENERIC; /* move */
}

static const shardstrat_policy_t es_policy = {
    .unit = "shard", .size = sizeof(es_t), .create = es_create, .route = es_route, .change = es_change,
    .command = es_command,
};

static int es_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                    const strat_params_t *p, const struct store *st, const uint64_t *own, char *err, size_t err_size)
{
    return shardstrat_build(&es_policy, state, prev, change, nodes, p, st, own, err, err_size);
}

static int es_check_params(const strat_params_t *p, char *err, size_t err_size)
{
    uint32_t s = p->shards ? p->shards : 1;
    if (p->routing_shards && (p->routing_shards < s || p->routing_shards % s != 0)) {
        snprintf(err, err_size, "--routing-shards: %u is not a multiple of the %u shard%s (elasticsearch's "
                 "index.number_of_routing_shards must be)", p->routing_shards, s, s == 1 ? "" : "s");
        return -1;
    }
    return 0;
}

static void es_config(const void *state, const strat_params_t *p, json_t *j)
{
    const es_t *x = state;
    (void)p;
    json_printf(j, ",\"shards\":%u,\"routing_shards\":%u", x->base.map.shards, x->route.routing_shards);
}

/* floorMod(h, R) is 0 .. R-1, R/S of them a shard, in order. */
static uint64_t es_key_cells(const void *state)
{
    return ((const es_t *)state)->route.routing_shards;
}

static void es_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)nodes;
    snprintf(out, n, "elasticsearch \xC2\xB7 shard = floorMod(Murmur3(UTF-16 _id), %u) / %u \xC2\xB7 shard copies "
             "balanced by count", routing_of(p), routing_of(p) / p->shards);
}

static void es_cells_total(uint64_t cells, char *out, size_t n)
{
    snprintf(out, n, "%llu shards", (unsigned long long)cells);
}

static const strat_param_t es_params[] = {
    {.flag = "--shards", .metavar = "S", .field = "shards", .help = "index.number_of_shards",
     .def = 1, .min = 1, .max = ES_SHARDS_MAX, .offset = offsetof(strat_params_t, shards)},
    {.flag = "--routing-shards", .metavar = "R", .field = "routing_shards",
     .help = "index.number_of_routing_shards, a multiple of S", .def = 0,
     .def_text = "S x 2^max(1, 10 - ceil(log2 S))", .min = 1, .max = ES_ROUTING_MAX,
     .offset = offsetof(strat_params_t, routing_shards)},
};

static const strat_keyhash_t es_key_hash = {
    .bits = 32, .help = "Murmur3 x86_32 of KEY's UTF-16 code units", .native = "text (a UTF-8 _id)",
    .of_id = es_of_id, .of_indexes = es_of_indexes,
};

const strat_ops_t strat_es_ops = {
    .name = "elasticsearch", .system = "Elasticsearch", .weighted = 0, .params = es_params, .param_count = 2,
    .key_hash = &es_key_hash,
    .build = es_build, .release = shardstrat_release, .locate = shardstrat_locate, .memory = shardstrat_memory,
    .describe = shardstrat_describe,
    .locate_note = "elasticsearch: hash = Murmur3 x86_32 of the _id's UTF-16 code units (a\n"
                   "signed int), shard = floorMod(hash, R) / (R / S); give --routing-shards as\n"
                   "an index's settings do.\n",
    .place = place_at_cell, .key_cells = es_key_cells, .cells = shardstrat_cells,
    .cell_owner = shardstrat_cell_owner,
    .structure = {.kind = STRAT_STRUCTURE_SHARDS, .flags = STRAT_DRAW_NUMBERED, .cells_total = es_cells_total,
                  .size_name = "shards", .size = shardstrat_size},
    .legend = es_legend,
    .shards = shardstrat_map, .unit = shardstrat_unit, .rebalances_itself = 1, .holders = shardstrat_holders,
    .touched = shardstrat_touched,
    .command = shardstrat_command, .note = shardstrat_note, .config_json = es_config,
    .check_params = es_check_params,
};
