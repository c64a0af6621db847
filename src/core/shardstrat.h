/* shardstrat — what every strategy with a shard map shares (DESIGN §1c).
 *
 * Generic shards and the presets of real systems that keep shards
 * (redis-cluster, elasticsearch, qdrant, milvus, kafka, weaviate) differ in
 * their key -> shard level (hash, bytes, reduction: the map's shard_of and
 * route) and in what they do to the shards' holders on each change; the
 * rest is the same and lives here, as strat_ops_t hooks each such strategy
 * points at: the build (a copy of the previous map, changed), locate (the
 * key's shard's primary), holders, touched (only the keys of shards whose
 * primary changed move), memory, cells, the panel's size, the step note,
 * locate's description and the own commands' common checks.
 *
 * A strategy is a policy (shardstrat_policy_t: what it calls a shard, the
 * size of its state, how it creates its first map, what a change does, its
 * own commands) and a state that starts with a shardstrat_t. Two policies
 * of what a change does to the holders are here for the strategies to
 * call: shardstrat_change_generic (the system moves shards by itself: a
 * balancer after add, remove, weight and recover, then every shard's copies
 * re-listed by rank, as generic shards do; the balancer is the strategy's:
 * §1c's, or redis-cli's arithmetic) and shardstrat_change_sticky (the
 * system does not move shards by itself: add moves nothing and says so, a
 * removal hands the node's shards to the largest deficit, copies stay where
 * they are until moved; Qdrant, Kafka, Weaviate).
 *
 * Memory: a state owns its map (and the key index it shares with the maps
 * before and after it, counted); the policy's release frees what it adds.
 * Errors: -1 with a message (out of memory), as strat.h.
 */
#ifndef RINGSCOPE_SHARDSTRAT_H
#define RINGSCOPE_SHARDSTRAT_H

#include <stddef.h>
#include <stdint.h>

#include "scn.h"
#include "shardmap.h"
#include "strat.h"

typedef struct shardstrat shardstrat_t;

#define SHARDSTRAT_GENERIC 2 /* a policy's command hook: "as generic shards check it" */

/* A balancer: brings x's primaries to the strategy's targets after change
 * c (surplus 0: only place the shards without a live primary). */
typedef int (*shardstrat_balance_fn)(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes,
                                     int surplus);

typedef struct shardstrat_policy {
    const char *unit;   /* what the system calls a shard: "shard", "slot", "partition", "channel" */
    size_t size;        /* bytes of the strategy's state, a shardstrat_t first */
    /* The first map, at the strategy's start (x->map not yet made): its
     * size, shard_of and route, and every shard's holders. */
    int (*create)(shardstrat_t *x, const strat_nodes_t *nodes, const strat_params_t *p, char *err, size_t err_size);
    /* x is a byte copy of prev: take references to what it shares with
     * prev (a route), or NULL when it shares nothing. */
    void (*adopt)(shardstrat_t *x);
    /* The route x's map reads (shardmap_t.route), or NULL: none. */
    const void *(*route)(const shardstrat_t *x);
    /* The change on x, a copy of prev with its map copied. A change of the
     * key -> shard level (split, reshard, partitions) replaces x->map and
     * sets x->remapped (and x->split for a split). */
    int (*change)(shardstrat_t *x, const shardstrat_t *prev, const strat_change_t *c, const strat_nodes_t *nodes,
                  const strat_params_t *p, const store_t *st, const uint64_t *own);
    /* Own commands (scn_verb_t.own), as strat_ops_t.command, or
     * SHARDSTRAT_GENERIC: check it as generic shards do (move: a shard
     * that exists and a live node that is not its primary; rebalance:
     * "already balanced" by §1c's targets). NULL: all generic. */
    int (*command)(const shardstrat_t *x, const strat_nodes_t *nodes, const scn_cmd_t *cmd, char *msg,
                   size_t msg_size);
    void (*release)(shardstrat_t *x); /* what the strategy's part owns, or NULL */
} shardstrat_policy_t;

struct shardstrat {
    const shardstrat_policy_t *policy;
    shardmap_t map;
    int look_all;       /* made afresh, remapped, or the store changed: every key may have moved */
    int remapped;       /* the last change made a new key -> shard level */
    uint32_t split;     /* the last change split each shard in this many (shardmap_diff), else 1 */
    char note[256];     /* what the last build says in the step message, or "" */
};

/* The build of every shard-map strategy (its strat_ops_t.build calls it
 * with its policy). */
int shardstrat_build(const shardstrat_policy_t *policy, void **state, const void *prev, const strat_change_t *change,
                     const strat_nodes_t *nodes, const strat_params_t *p, const store_t *st, const uint64_t *own,
                     char *err, size_t err_size);

/* strat_ops_t hooks, for every shard-map strategy. */
void shardstrat_release(void *state);
void shardstrat_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w);
const shardmap_t *shardstrat_map(const void *state);
uint32_t shardstrat_holders(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, uint16_t *out);
int shardstrat_touched(const void *state, uint32_t i, const uint32_t **pos, size_t *len, uint16_t *owner);
size_t shardstrat_memory(const void *state, const strat_nodes_t *nodes);
uint64_t shardstrat_cells(const strat_t *s, const strat_nodes_t *nodes);
uint16_t shardstrat_cell_owner(const strat_t *s, const strat_nodes_t *nodes, uint64_t c);
uint64_t shardstrat_size(const void *state, const strat_nodes_t *nodes);
/* The policy's unit (strat_ops_t.unit). */
const char *shardstrat_unit(const void *state);
/* S: own key hashes 0 .. S-1 are the shards in order (strat_ops_t.key_cells:
 * Milvus, Kafka reduce their hash mod S). */
uint64_t shardstrat_key_cells(const void *state);
void shardstrat_note(const void *state, char *out, size_t n);
int shardstrat_command(const void *state, const strat_nodes_t *nodes, const scn_cmd_t *cmd, char *msg, size_t msg_size);
/* "shard 4 of 64, holders nodeF, nodeA" (the policy's unit), JSON
 * ,"shard":4,"holders":[…]. */
void shardstrat_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
                         json_t *json, char *text, size_t text_size);

/* ---- what a change does to the holders (policies call these) ------------ */

/* The changes every policy handles alike, copies-level ones: a crash
 * promotes (shardmap_crash), heal fills (shardmap_heal), new keys move no
 * shard. 1 when c is one of them (its result in *rc), else 0. */
int shardstrat_settled(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes, int *rc);
/* §1c's first placement on x->map (made): shard s on the node of rank s
 * mod n, the balancer (weights), copies listed by rank. */
int shardstrat_create_by_rank(shardstrat_t *x, const strat_nodes_t *nodes);
/* §1c's balancer (shardmap_balance). */
int shardstrat_balance(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes, int surplus);
/* The system moves shards by itself: a crash promotes, heal fills, `move`
 * sets the primary, `rebalance` and (when rebalances) add, remove, weight
 * and recover run balance; then every shard's copies are re-listed by rank
 * (shardmap_relist). */
int shardstrat_change_generic(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes, int rebalances,
                              shardstrat_balance_fn balance);
/* The system does not move shards by itself: add moves nothing (the note
 * says so, naming system); a removal drops the node from every list and
 * places the shards it alone held on the largest deficit, then fills the
 * copies it held elsewhere; a crash promotes; heal fills; replicas trim or
 * fill; `move` moves the primary copy; `rebalance` runs §1c's balancer on
 * the primaries, each moved primary taking its copy with it. */
int shardstrat_change_sticky(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes,
                             const char *system);
/* A system's `move` (the primary copy moves: shardmap_move_primary) or
 * `rebalance` (shardstrat_balance_keeping with §1c's balancer), then the
 * lists made whole again (heal). */
int shardstrat_command_keeping(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes);
/* balance on the primaries, the lists kept: a shard whose primary changed
 * keeps its other holders (shardmap_move_primary). */
int shardstrat_balance_keeping(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes, int surplus,
                               shardstrat_balance_fn balance);

/* ---- a route of points (Qdrant's ring, Weaviate's virtual shards) -------- */

/* Sorted points whose node[] holds shard numbers: a key goes to the shard
 * of the first point >= its own hash, wrapping. Shared by the maps that
 * keep the same shards (counted references). */
typedef struct shardstrat_ring {
    unsigned refs;
    strat_points_t p;
} shardstrat_ring_t;

/* Room for count points (refs 1; fill p, then strat_points_index), or NULL. */
shardstrat_ring_t *shardstrat_ring_new(size_t count);
void shardstrat_ring_release(shardstrat_ring_t *r);
/* A shardmap_shard_fn over a shardstrat_ring_t route. */
uint32_t shardstrat_ring_shard_of(const void *route, const strat_key_t *key, const rmod_t *shards);

/* The state of a strategy routed by such a ring, and the hooks it shares:
 * the ring as its route, and the ring's points for the display, each in
 * its shard's primary's slot (refreshed after every change). */
typedef struct shardstrat_ringed {
    shardstrat_t base;
    shardstrat_ring_t *ring;
    strat_points_t shown;
} shardstrat_ringed_t;

void shardstrat_ringed_adopt(shardstrat_t *x);
const void *shardstrat_ringed_route(const shardstrat_t *x);
void shardstrat_ringed_release(shardstrat_t *x);
/* Sets x's ring (x takes the reference) and its map's route to it. */
void shardstrat_ringed_set(shardstrat_ringed_t *x, shardstrat_ring_t *ring);
int shardstrat_ringed_refresh(shardstrat_ringed_t *x);
const strat_points_t *shardstrat_ringed_points(const void *state);
uint64_t shardstrat_ringed_size(const void *state, const strat_nodes_t *nodes);
size_t shardstrat_ringed_memory(const void *state, const strat_nodes_t *nodes);

/* Appends to x->note ("; " between parts). */
void shardstrat_say(shardstrat_t *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
