/* strat_weaviate — the Weaviate preset (DESIGN §1c; reference/routing.md §3,
 * read from usecases/sharding/state.go and config.go).
 *
 * Key -> shard: token = h1 of the reference Murmur3 x64_128, seed 0, over
 * the object's UUID bytes (vector i's UUID is derived from its id: the
 * first 16 bytes of SHA-256, version 4 and variant bits set; uuid.h); the
 * virtual shard is the first whose upper bound is >= the token, wrapping,
 * and the key's shard is that virtual shard's physical shard. There are 128
 * virtual shards per physical one.
 *
 * In Weaviate both the virtual bounds and the virtual -> physical map are
 * random per collection (initVirtual: Upper = Murmur3 Sum64 of a random
 * 12-character name; distributeVirtualAmongPhysical: a shuffle, then round
 * robin), so no two collections route alike; Ringscope draws them the same
 * way from `--seed` (splitmix64), so a run is reproducible. Physical shards:
 * `--shards`, by default one per node at the start (desiredCount); shard i
 * on the node of rank i mod n, replicas the next ranks (initPhysical's node
 * iterator). The shard count is immutable and nothing moves by itself: an
 * added node stays empty (shardstrat_change_sticky).
 * The display draws the virtual shards' bounds as ring points, each in its
 * physical shard's primary's colour.
 */
#include "strat.h"

#include "keyid.h"
#include "place.h"
#include "shardstrat.h"
#include "syshash.h"
#include "sysroute.h"
#include "uuid.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEAVIATE_VIRTUAL_PER_PHYSICAL 128u /* DefaultVirtualPerPhysical */
#define WEAVIATE_SHARDS_MAX 4096u

extern const strat_ops_t strat_weaviate_ops;

/* The state: the virtual shards (upper bounds in order, node[] holding each
 * one's physical shard) and their bounds as drawn (shardstrat_ringed_t). */
typedef shardstrat_ringed_t weaviate_t;

/* ---- key -> shard ------------------------------------------------------------- */

static uint64_t weaviate_of_index(uint64_t index, const char *id, size_t len)
{
    (void)index;
    uint8_t u[16];
    uuid_from_id(id, len, u);
    return sr_weaviate_token(u);
}

static void weaviate_of_indexes(uint64_t first, size_t n, uint64_t *out)
{
    strat_keyhash_fill(weaviate_of_index, first, n, out);
}

static int weaviate_of_id(const char *id, size_t len, uint64_t *out, char *why, size_t why_size)
{
    uint8_t u[16];
    if (strat_native_uuid(id, len, u) != 0) {
        snprintf(why, why_size, "a Weaviate object id is a UUID (vec_N: the UUID derived from it)");
        return -1;
    }
    *out = sr_weaviate_token(u);
    return 0;
}

static int weaviate_native(const char *id, size_t len, char *out, size_t out_size)
{
    uint8_t u[16];
    uint64_t index;
    char text[UUID_TEXT_LEN + 1];
    if (keyid_number(id, len, &index) != 0 || strat_native_uuid(id, len, u) != 0)
        return 0;
    uuid_format(u, text);
    snprintf(out, out_size, "uuid %s", text);
    return 1;
}

/* ---- the virtual shards, drawn from the seed -------------------------------------- */

typedef struct virt {
    uint64_t upper;
    uint32_t index; /* order drawn: ties keep it */
} virt_t;

static int by_upper(const void *a, const void *b)
{
    const virt_t *x = a, *y = b;
    if (x->upper != y->upper)
        return x->upper < y->upper ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static uint64_t next_random(uint64_t *state)
{
    *state += 0x9e3779b97f4a7c15ull;
    return strat_mix64(*state);
}

/* initVirtual and distributeVirtualAmongPhysical for shards physical
 * shards, their randomness drawn from seed. */
static shardstrat_ring_t *ring_new(uint32_t shards, uint64_t seed)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t n = (size_t)shards * WEAVIATE_VIRTUAL_PER_PHYSICAL;
    shardstrat_ring_t *r = shardstrat_ring_new(n);
    virt_t *v = malloc((n + 1) * sizeof *v);
    uint32_t *order = malloc((n + 1) * sizeof *order), *physical = malloc((n + 1) * sizeof *physical);
    if (!r || !v || !order || !physical) {
        shardstrat_ring_release(r);
        free(v), free(order), free(physical);
        return NULL;
    }
    uint64_t state = seed ^ 0x5765617669617465ull; /* "Weaviate": this preset's stream of the seed */
    for (size_t i = 0; i < n; i++) {
        char name[12];
        for (size_t c = 0; c < sizeof name; c++)
            name[c] = alphabet[next_random(&state) % (sizeof alphabet - 1)];
        uint64_t h[2];
        sh_murmur3_x64_128(name, sizeof name, 0, h);
        v[i] = (virt_t){h[0], (uint32_t)i};
    }
    /* A shuffle of the virtual shards (Fisher-Yates), then round robin over
     * the physical ones: each gets 128. */
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(next_random(&state) % i);
        uint32_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (size_t k = 0; k < n; k++)
        physical[order[k]] = (uint32_t)(k % shards);
    qsort(v, n, sizeof *v, by_upper);
    for (size_t i = 0; i < n; i++) {
        r->p.pos[i] = v[i].upper;
        r->p.node[i] = (uint16_t)physical[v[i].index];
    }
    r->p.count = (uint32_t)n;
    strat_points_index(&r->p);
    free(v), free(order), free(physical);
    return r;
}

/* ---- the policy --------------------------------------------------------------- */

static int weaviate_create(shardstrat_t *base, const strat_nodes_t *nodes, const strat_params_t *p, char *err,
                           size_t err_size)
{
    weaviate_t *x = (weaviate_t *)base;
    uint32_t shards = p->shards ? p->shards : nodes->n ? nodes->n : 1;
    x->ring = ring_new(shards, p->seed);
    if (!x->ring || shardmap_init(&base->map, shards, shardstrat_ring_shard_of, x->ring) != 0) {
        snprintf(err, err_size, "out of memory for %u shards", shards);
        return -1;
    }
    shardmap_assign(&base->map, nodes);
    if (shardmap_relist(&base->map, nodes) != 0 || shardstrat_ringed_refresh(x) != 0) {
        snprintf(err, err_size, "out of memory for %u shards", shards);
        return -1;
    }
    return 0;
}

static int weaviate_change(shardstrat_t *base, const shardstrat_t *prev, const strat_change_t *c,
                           const strat_nodes_t *nodes, const strat_params_t *p, const store_t *st,
                           const uint64_t *own)
{
    (void)prev, (void)p, (void)st, (void)own;
    int rc = shardstrat_change_sticky(base, c, nodes, "Weaviate");
    return rc == 0 ? shardstrat_ringed_refresh((weaviate_t *)base) : rc;
}

static const shardstrat_policy_t weaviate_policy = {
    .unit = "shard", .size = sizeof(weaviate_t), .create = weaviate_create, .adopt = shardstrat_ringed_adopt,
    .route = shardstrat_ringed_route, .change = weaviate_change, .release = shardstrat_ringed_release,
};

static int weaviate_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                          const strat_params_t *p, const struct store *st, const uint64_t *own, char *err,
                          size_t err_size)
{
    return shardstrat_build(&weaviate_policy, state, prev, change, nodes, p, st, own, err, err_size);
}

static void weaviate_config(const void *state, const strat_params_t *p, json_t *j)
{
    (void)p;
    json_printf(j, ",\"shards\":%u,\"virtual_per_physical\":%u", shardstrat_map(state)->shards,
                WEAVIATE_VIRTUAL_PER_PHYSICAL);
}

static void weaviate_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)p, (void)nodes;
    snprintf(out, n, "weaviate \xC2\xB7 token = Murmur3 h1 of the UUID; 128 virtual shards per shard \xC2\xB7 the "
             "shard count is fixed, nothing moves by itself");
}

static const strat_param_t weaviate_params[] = {
    {.flag = "--shards", .metavar = "S", .field = "shards", .help = "desiredCount, the physical shards", .def = 0,
     .def_text = "one per node at the start", .min = 1, .max = WEAVIATE_SHARDS_MAX,
     .offset = offsetof(strat_params_t, shards)},
};

static const strat_keyhash_t weaviate_key_hash = {
    .bits = 64, .help = "Murmur3 x64_128 h1 of the UUID's bytes", .native = "a UUID",
    .of_id = weaviate_of_id, .of_indexes = weaviate_of_indexes, .native_of = weaviate_native,
};

const strat_ops_t strat_weaviate_ops = {
    .name = "weaviate", .system = "Weaviate", .weighted = 0, .params = weaviate_params, .param_count = 1,
    .key_hash = &weaviate_key_hash,
    .build = weaviate_build, .release = shardstrat_release, .locate = shardstrat_locate,
    .memory = shardstrat_ringed_memory,
    .describe = shardstrat_describe,
    .locate_note = "weaviate: KEY is a UUID (vec_N: the UUID derived from the id); hash = its\n"
                   "token; the first virtual shard bound at or after it names the shard.\n",
    .place = place_at_key, .points = shardstrat_ringed_points,
    .structure = {.kind = STRAT_STRUCTURE_POINTS, .size_name = "virtual shards", .size = shardstrat_ringed_size},
    .legend = weaviate_legend,
    .shards = shardstrat_map, .rebalances_itself = 0, .holders = shardstrat_holders, .touched = shardstrat_touched,
    .command = shardstrat_command, .note = shardstrat_note, .config_json = weaviate_config,
};
