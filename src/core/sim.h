/* sim — the simulator: a ring, a store, and the commands that change them.
 *
 * sim_apply runs one scenario command and reports the step: what changed,
 * how many embeddings moved, and the ideal fraction for that change.
 * Placement follows the active strategy (strat.h; `ring` by default). The
 * node set is kept the same way whatever the strategy (ring points with
 * weights, ranks, jump slots), so `strategy NAME` can switch at any step.
 * Under `ring`, rebalancing is incremental: adding a node visits only the
 * keys in its new arcs, removing one only the keys in the arcs it held; a
 * rebuild or a weight change remaps all by one merge walk. Other strategies
 * rebuild their structure and re-place keys as their module says (only the
 * keys that can move where the scheme allows it).
 * When moves are wanted (the renderer), sim.moves lists every changed owner
 * of the last step.
 * Replicas, zones, crashes (`fail`), `recover` and `heal` are repl.h's: once
 * replication is on, every change also re-places every key's copies and
 * s->repl holds the step's copies, bytes, transfer time and losses.
 * One vocabulary for what a step did (repl.h): step.moved counts keys whose
 * primary holder changed (their data streamed to it; a crash moves none),
 * repl.promoted those a crash left to a surviving copy, repl.copies the
 * copies made, repl.lost the keys whose last copy went, repl.under the
 * keys short of their copies; a node's key count (sim_counts) is the keys
 * it holds data for, so lost keys count for no node.
 * Strategies with shards (strat_ops_t.shards: keys -> shards -> nodes,
 * shardmap.h) also take `move SHARD ID` and `rebalance`, and the presets
 * of real systems their systems' operations (`split F`, `reshard up|down`,
 * `partitions P`); sim_shards and sim_shard_changes tell what the map is
 * and what the step changed. What a strategy's build wants said (Qdrant
 * moving nothing on an add, Kafka's keys read from the wrong partition)
 * ends the step's message (strat_ops_t.note).
 *
 * Memory: the sim owns ring, store and moves; sim_free releases them.
 * Errors: 0 on success; -1 with a message in err for failures (limits,
 * out of memory). A no-op (adding an existing node, removing an unknown one)
 * is not an error: step.changed is 0 and step.message says why.
 */
#ifndef RINGSCOPE_SIM_H
#define RINGSCOPE_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "repl.h"
#include "ring.h"
#include "scn.h"
#include "store.h"
#include "strat.h"

/* Key hashes computed once for several simulations over the same keys
 * (sim --compare runs one per strategy): the sorted khash store of the
 * first `vectors` embeddings, and strategies' own key hashes by embedding
 * index. The caller owns them and keeps them alive while the sims live. */
typedef struct sim_own_keys {
    const strat_keyhash_t *hash;  /* whose key hashes these are */
    const uint64_t *values;       /* of embeddings 0 .. count-1 */
    size_t count;
} sim_own_keys_t;

typedef struct sim_keys {
    const store_t *sorted;        /* khash store (its owners unused), or NULL */
    const sim_own_keys_t *own;    /* own key hashes, own_count kinds */
    size_t own_count;
} sim_keys_t;

typedef struct sim_config {
    const char *const *nodes; /* normalized ids, in order of addition */
    size_t node_count;
    uint32_t vnodes;
    uint64_t vectors;
    uint32_t dim;
    uint64_t seed;
    int collect_moves;        /* fill sim.moves on every step */
    /* Hash keys by khash only when a strategy that reads it is in force: a
     * run under a strategy with its own key hash (ketama, the presets) skips SHA-256
     * until a `strategy` command needs it. Displays that draw keys by
     * khash leave it 0. */
    int khash_on_demand;
    const sim_keys_t *keys;   /* key hashes made already, or NULL */
    strat_kind_t strategy;    /* STRAT_RING (0) by default */
    strat_params_t params;    /* zero fields take their defaults */
    /* Replication (repl.h): on from the start when repl_on; else it turns
     * on at the first replicas/zone/fail/recover/heal command. */
    int repl_on;
    uint32_t replicas;        /* 0: 1 */
    uint32_t record_bytes;    /* bytes per copy besides the vector */
    int record_bytes_set;     /* record_bytes given (0 is a value) */
    double bandwidth;         /* bytes per second; 0: the default */
    const char *const *zone_nodes; /* zone_nodes[i] is in zone zone_names[i] */
    const char *const *zone_names;
    size_t zone_count;
} sim_config_t;

/* The configuration every front end starts from (DESIGN §4): nodes
 * nodeA..nodeE, 80 vnodes, 6000 vectors of dimension 256, seed 42, the
 * default strategy at its default parameters, replication off. The node
 * list is static. */
void sim_config_default(sim_config_t *cfg);

typedef enum sim_step_op {
    SIM_STEP_INIT = -1,       /* otherwise an scn_op_t */
} sim_step_op_t;

typedef struct sim_step {
    int op;                   /* SIM_STEP_INIT or scn_op_t */
    char node[NODEID_MAX + 1];/* the node the command named, or "" */
    int changed;              /* 0: nothing happened (see message) */
    uint64_t moved;           /* keys whose owner changed; with replication on, whose
                                 primary holder changed and got their data (0 at a crash) */
    uint64_t visited;         /* keys the rebalance looked at */
    double moved_fraction;    /* moved / max(1, keys) */
    double ideal_fraction;    /* NAN when the change has no ideal */
    char message[NODEID_MAX + 128];
    int down;                 /* crashed nodes: +1 one crashed, -1 one came back or was forgotten */
} sim_step_t;

typedef struct sim {
    ring_t ring;              /* node registry and the ring's points */
    store_t store;
    strat_t strat;            /* active strategy and its structure */
    strat_params_t given;     /* the strategy parameters as given: a switch completes them anew */
    strat_nodes_t nodes;      /* ranks, jump slots, weights: what strategies read */
    /* The active strategy's own key hashes (strat_keyhash_t: ketama's MD5,
     * a preset's system hash), made while it is in force: */
    const strat_keyhash_t *own_hash; /* the hash they are (NULL: none yet) */
    uint64_t *own;            /* by embedding index (own_count of them) */
    size_t own_count;
    uint64_t *own_sorted;     /* the same by sorted store position, while valid
                                 (a store by index reads own itself) */
    uint32_t *own_order;      /* store positions by ascending own hash, while own_order_valid: re-placing
                                 every key in this order reads the strategy's points in order, not at
                                 random (not made for a strategy with a batch path, owners) */
    int own_order_valid;
    const sim_keys_t *keys;   /* shared key hashes (sim_config.keys), or NULL */
    int own_sorted_valid;     /* cleared whenever the store's order changes */
    uint16_t *scratch;        /* new owners by sorted position, while re-placing */
    int built;                /* the strategy's structure was built in the last step */
    store_moves_t moves;
    repl_t repl;              /* copies, zones, crashes (off until used) */
    /* Live nodes the strategy's structure leaves out (strat_ops_t.unplaced:
     * no ketama point, no Maglev cell), by slot; preference lists take
     * them after the walk, in rank order (repl.h). */
    uint8_t unplaced[RS_MAX_NODES];
    uint32_t unplaced_count;
    int collect_moves;
    uint32_t dim;
    uint64_t seed;
} sim_t;

/* Builds the ring and store of cfg (sizes must already be within limits).
 * step receives the "init" step. */
int sim_init(sim_t *s, const sim_config_t *cfg, sim_step_t *step, char *err, size_t err_size);
void sim_free(sim_t *s);

/* Runs one command. */
int sim_apply(sim_t *s, const scn_cmd_t *cmd, sim_step_t *step, char *err, size_t err_size);

/* Whether cmd, run now, would pass a size limit (scn_limits.h) with the
 * live nodes, their weights, vnodes and the strategy in force: 0, or -1
 * with the reason in why (NULL: not wanted). Nothing changes. */
int sim_check_limits(const sim_t *s, const scn_cmd_t *cmd, char *why, size_t why_size);

/* Where key (hash and embedding index, -1 for other ids; own, for a
 * strategy with its own key hash) lands under the active strategy. */
void sim_locate(const sim_t *s, const strat_key_t *key, strat_where_t *w);

/* The preference list of any key (repl.h): up to REPL_MAX node slots that
 * keep its copies, primary first; returns how many. */
uint32_t sim_prefs_of_key(const sim_t *s, const strat_key_t *key, uint16_t *out);

/* The key at sorted position pos as strategies see it. */
void sim_key_at(const sim_t *s, size_t pos, strat_key_t *key);

/* Keys each node slot holds data for ([RS_MAX_NODES]; the live slots'
 * entries are meaningful): its owned keys, or with replication on the keys
 * it holds as primary holder, lost keys counting for no node. */
const uint64_t *sim_counts(const sim_t *s);

/* ---- shards (strategies with a shard map; the renderer's API) ---------------
 * sim_shards: the map in force, or NULL (no shards). A key's shard is
 * shardmap_shard_of(map, key) (with sim_key_at for a stored key), a shard's
 * nodes shardmap_holders / shardmap_primary, its keys shardmap_keys /
 * shardmap_positions (shardmap.h).
 * sim_shard_changes: the shards whose holders the last step changed, each
 * with its holders before and after (from[], to[], primary first), into
 * *out; how many (0 when the step built no map: nothing changed, or a
 * fresh map from a strategy switch or the init).
 * sim_shards_moved: shard copies the last step made (its holders gained; 0
 * at a crash, which copies nothing). sim_shard_primaries_moved: shards
 * whose primary it changed. */
struct shardmap;
struct shardmap_change;
const struct shardmap *sim_shards(const sim_t *s);
uint32_t sim_shard_changes(const sim_t *s, const struct shardmap_change **out);
uint64_t sim_shards_moved(const sim_t *s);
uint32_t sim_shard_primaries_moved(const sim_t *s);

/* Name of a step's op for JSON and tables. */
const char *sim_step_name(const sim_step_t *step);

/* ---- figures (sim_stats.c) ----------------------------------------------- */

/* Load statistics over the live nodes. */
typedef struct sim_stats {
    uint32_t nodes;
    uint64_t keys;
    uint64_t unassigned;
    uint64_t max, min;
    double mean;
    double max_over_mean;     /* 0 with no nodes */
    double std_over_mean;     /* population standard deviation / mean */
} sim_stats_t;

void sim_stats(const sim_t *s, sim_stats_t *out);

/* Decimals to print two fractions as percentages side by side (moved and
 * ideal) so they can be told apart at any cluster size: three significant
 * digits of the smaller nonzero one, at least 1, at most 9 ("17.9% · ideal
 * 16.7%", "0.0236% · ideal 0.0244%"). A NaN or zero counts as absent. */
int sim_pct_decimals(double a, double b);

/* The same statistics over any per-slot counts of r's live nodes (e.g. the
 * counts a display shows while flights are landing). */
void sim_stats_of(const ring_t *r, const uint64_t *counts, uint64_t keys, uint64_t unassigned, sim_stats_t *out);

/* What a report of the current state lists (tables, JSON): the live slots
 * sorted by id (as the reference prints its distribution), each slot's
 * arc share and the load statistics. sim_listing returns 0, or -1 when out
 * of memory (nothing to free); sim_listing_free releases the arrays. */
typedef struct sim_listing {
    uint16_t *sorted;
    uint32_t n;
    double *share;            /* by slot */
    sim_stats_t stats;
} sim_listing_t;

int sim_listing(const sim_t *s, sim_listing_t *out);
void sim_listing_free(sim_listing_t *l);

/* The nodes a step's copy traffic lists: the live slots sorted (as given,
 * n of them), then any node that left during the step (it streamed its
 * copies). out holds RS_MAX_NODES; returns how many. */
uint32_t sim_traffic_slots(const sim_t *s, const uint16_t *sorted, uint32_t n, uint16_t *out);

#endif
