/* shardmap — the second placement level (DESIGN §1c): keys go to one of a
 * fixed number S of shards, shards go to nodes, and when nodes come and go
 * whole shards move.
 *
 * A map holds S (1..SHARDMAP_MAX) shards; for each, its holders (up to
 * RS_MAX_REPLICAS node slots, the primary first) and whether its data was
 * ever lost (a shard whose every copy crashed is re-created empty); and an
 * index of the store's keys by shard. Two levels, kept apart:
 *   key -> shard  the owning strategy's function (m->shard_of over its
 *                 route, m->route: what else it reads, e.g. a preset's
 *                 ring of points; generic shards: khash mod S), fixed for
 *                 the life of the data (a preset's split or reshard makes
 *                 a new map);
 *   shard -> node what the operations below do to the holders, each a
 *                 step of one policy; the strategy decides which run when
 *                 (strat_shards.c: §1c's generic rules; presets of real
 *                 systems: theirs).
 *
 *   shardmap_assign      initial: shard s -> the node of rank s mod n
 *   shardmap_balance     §1c's balancer: targets S·w_i/W by largest
 *                        remainder (ties: lower rank); shards whose primary
 *                        left go first, lowest first, each to the largest
 *                        deficit; then the largest surplus gives its lowest
 *                        shard to the largest deficit until none is above
 *                        target (ties: lower rank) — the fewest moves
 *   shardmap_set_primary `move SHARD ID`: the shard's primary is ID
 *   shardmap_relist      every shard's holders: its primary, then the live
 *                        nodes of the following ranks, wrapping, zones
 *                        first (strat_walk_list), min(R, n) of them
 *   shardmap_crash       a node vanished: its copies go; each shard it led
 *                        promotes its first surviving holder; a shard with
 *                        none is lost and re-created empty on the live node
 *                        with the largest deficit (lowest shard first)
 *   shardmap_heal        each shard short of min(R, n) holders, lowest
 *                        first, gets copies on live nodes it lacks: nodes
 *                        of zones it does not have first, then the fewest
 *                        shard copies held (counted as they are made), then
 *                        the lower rank
 *   shardmap_assign_least_loaded
 *                        initial, for systems that place each new shard on
 *                        the least-loaded nodes (Qdrant): shard by shard,
 *                        min(R, n) holders picked as heal picks them
 *   shardmap_drop        a node left (systems that keep their copies where
 *                        they are): it leaves every list, primaries passing
 *                        to the next holder; shards with no holder left
 *                        keep none (then balance places them, heal fills)
 *   shardmap_move_primary
 *                        a system's move of a shard's primary copy: ID
 *                        leads, the old primary's copy goes, the other
 *                        holders stay
 *   shardmap_trim        lists longer than min(R, n) lose their last holders
 *   shardmap_diff        what changed against the map before: the shards
 *                        whose holders changed (from, to), primaries moved,
 *                        shard copies made (a map of another size: the
 *                        shards beyond the old count are new)
 * Ranks, weights, zones and R are the node set's (strat_nodes_t).
 *
 * What displays and reports read (the renderer's API): shardmap_shard_of
 * (a key's shard), shardmap_holders / shardmap_primary (a shard's nodes),
 * shardmap_keys / shardmap_positions (its keys: how many, and their store
 * positions), shardmap_lost, the last operation's changes (m->changes,
 * m->change_count: shard, from[], to[]), shardmap_primary_counts (shards
 * led per node) and shardmap_by_primary (each node's shards in order, for
 * ranges). sim.h says which changes belong to the step just run
 * (sim_shard_changes).
 *
 * Memory: a map owns its arrays; the key index is shared between a map and
 * its copies (counted references) and rebuilt when the store changes size.
 * shardmap_free releases them. Errors: -1 when out of memory (the map is
 * then as before, except that shardmap_copy's destination is empty).
 */
#ifndef RINGSCOPE_SHARDMAP_H
#define RINGSCOPE_SHARDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "rmod.h"
#include "rs_limits.h"
#include "store.h"
#include "strat.h"

#define SHARDMAP_MAX 65536u
#define SHARDMAP_STRIDE RS_MAX_REPLICAS

/* A shard whose holders changed in the last operation. */
typedef struct shardmap_change {
    uint32_t shard;
    uint8_t from_n, to_n;
    uint16_t from[SHARDMAP_STRIDE]; /* holders before, primary first */
    uint16_t to[SHARDMAP_STRIDE];   /* holders after */
} shardmap_change_t;

/* The store's keys by shard: shard s's keys are at store positions
 * pos[start[s] .. start[s+1]), ascending. */
typedef struct shardmap_index {
    unsigned refs;
    size_t keys;         /* the store's size it indexes */
    uint32_t *start;     /* [S + 1] */
    uint32_t *pos;       /* [keys] */
} shardmap_index_t;

/* A key's shard among shards->d: the strategy's key -> shard level, reading
 * its route (m->route: the strategy's, or NULL). A reduction `mod S` takes
 * S's reciprocal (rmod.h), which the map keeps: no division per key. */
typedef uint32_t (*shardmap_shard_fn)(const void *route, const strat_key_t *key, const rmod_t *shards);

typedef struct shardmap {
    uint32_t shards;           /* S */
    rmod_t mod;                /* S's reciprocal, what shard_of reduces by */
    shardmap_shard_fn shard_of;
    const void *route;         /* what shard_of reads besides the key; the strategy owns it */
    uint16_t *hold;            /* [s * SHARDMAP_STRIDE + j]: holders, primary first */
    uint8_t *held;             /* [s]: how many (0: no live node to hold it) */
    uint8_t *lost;             /* [s]: 1 once every copy crashed (re-created empty) */
    shardmap_index_t *index;   /* NULL until shardmap_index */
    /* What the last operation changed (shardmap_diff). */
    shardmap_change_t *changes;
    uint32_t change_count, change_cap;
    uint32_t moved;            /* shards whose primary changed */
    uint64_t copies;           /* shard copies made: holders the shards gained */
    int fresh;                 /* made afresh (no map before): every shard is new */
} shardmap_t;

/* An empty map of shards shards (no holders); -1 out of memory. */
int shardmap_init(shardmap_t *m, uint32_t shards, shardmap_shard_fn shard_of, const void *route);
/* dst = src's shards, holders, lost marks and route (sharing the key
 * index); the change list starts empty. */
int shardmap_copy(shardmap_t *dst, const shardmap_t *src);
void shardmap_free(shardmap_t *m);

/* Indexes st's keys by shard (unless the index is already for a store of
 * st's size: the store holds the keys vec_0 .. count-1, so the same size is
 * the same keys). own: the strategy's own key hashes by store position
 * (strat_key_t.own, for a key -> shard level that reads them), or NULL. */
int shardmap_index(shardmap_t *m, const store_t *st, const uint64_t *own);

/* ---- shard -> node: the operations ---------------------------------------- */

/* Shard s -> the live node of rank s mod n (one holder each). */
void shardmap_assign(shardmap_t *m, const strat_nodes_t *nodes);
/* Target count of shards led per rank: S·w_i/W by largest remainder, ties
 * to the lower rank; target[nodes->n]. */
int shardmap_targets(const shardmap_t *m, const strat_nodes_t *nodes, uint32_t *target);
/* The balancer (see above): shards without a live primary placed, then
 * (surplus: 1) every node brought to its target. Only primaries move;
 * relist after. A policy that does not rebalance by itself still places
 * the shards of a node that left (surplus: 0). */
int shardmap_balance(shardmap_t *m, const strat_nodes_t *nodes, int surplus);
/* 1 if every shard has a live primary and every node leads its target. */
int shardmap_balanced(const shardmap_t *m, const strat_nodes_t *nodes);
void shardmap_set_primary(shardmap_t *m, uint32_t shard, uint16_t slot);
int shardmap_relist(shardmap_t *m, const strat_nodes_t *nodes);
/* The same for shards from..S-1 only (new shards of a system that keeps
 * the old ones' copies where they are). */
int shardmap_relist_from(shardmap_t *m, const strat_nodes_t *nodes, uint32_t from);
/* slot crashed; nodes is the set without it. */
int shardmap_crash(shardmap_t *m, const strat_nodes_t *nodes, uint16_t slot);
int shardmap_heal(shardmap_t *m, const strat_nodes_t *nodes);
/* Shards from..S-1 (the others as they are) get min(R, n) holders each,
 * in order, picked as heal picks them (zones it lacks, then the fewest
 * shard copies, then the lower rank). */
int shardmap_assign_least_loaded(shardmap_t *m, const strat_nodes_t *nodes, uint32_t from);
void shardmap_drop(shardmap_t *m, uint16_t slot);
void shardmap_move_primary(shardmap_t *m, uint32_t shard, uint16_t slot);
void shardmap_trim(shardmap_t *m, const strat_nodes_t *nodes);
/* Shard copies (any role) each node slot holds, into counts[RS_MAX_NODES]. */
void shardmap_copy_counts(const shardmap_t *m, uint64_t *counts);
/* Fills the change list, moved and copies against prev (NULL: made afresh,
 * nothing listed). copying: 0 for a crash (it copies nothing). split: each
 * shard s was prev's shard s / split (1: the same shards; an Elasticsearch
 * split by F: F); shards past prev's count are new. */
int shardmap_diff(shardmap_t *m, const shardmap_t *prev, int copying, uint32_t split);

/* ---- what displays and reports read ----------------------------------------- */

static inline uint32_t shardmap_shard_of(const shardmap_t *m, const strat_key_t *key)
{
    return m->shard_of(m->route, key, &m->mod);
}

static inline const uint16_t *shardmap_holders(const shardmap_t *m, uint32_t s, uint32_t *n)
{
    *n = m->held[s];
    return m->hold + (size_t)s * SHARDMAP_STRIDE;
}

/* Shard s's primary, or RING_NONE with no live node. */
static inline uint16_t shardmap_primary(const shardmap_t *m, uint32_t s)
{
    return m->held[s] ? m->hold[(size_t)s * SHARDMAP_STRIDE] : (uint16_t)RING_NONE;
}

/* Keys routed to shard s (0 before shardmap_index). */
static inline uint64_t shardmap_keys(const shardmap_t *m, uint32_t s)
{
    return m->index ? (uint64_t)(m->index->start[s + 1] - m->index->start[s]) : 0;
}

/* Store positions of shard s's keys, ascending; *n of them. */
static inline const uint32_t *shardmap_positions(const shardmap_t *m, uint32_t s, size_t *n)
{
    *n = (size_t)shardmap_keys(m, s);
    return m->index ? m->index->pos + m->index->start[s] : NULL;
}

static inline int shardmap_lost(const shardmap_t *m, uint32_t s) { return m->lost[s]; }

/* Shards led per node slot, into counts[RS_MAX_NODES]. */
void shardmap_primary_counts(const shardmap_t *m, uint64_t *counts);
/* The shards grouped by primary: slot x leads shards[start[x] ..
 * start[x+1]), ascending; start holds RS_MAX_NODES + 1, shards S. */
void shardmap_by_primary(const shardmap_t *m, uint32_t *start, uint32_t *shards);

/* Bytes the map and its index take. */
size_t shardmap_memory(const shardmap_t *m);

#endif
