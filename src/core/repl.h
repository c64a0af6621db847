/* repl — replicas, zones, crashes and the cost of moving copies.
 *
 * Each key has a *preference list* of min(R, n) distinct live nodes (R =
 * `replicas`, 1..REPL_MAX; n live nodes); the first is the primary, the
 * owner the strategy gives. The list follows the strategy's preference walk
 * (strat_ops_t.walk_at / walk_order): clockwise points from the key's point
 * for ring, ketama, multiprobe (from the winning point) and bounded (from
 * the point the key was placed at); slots b, b+1, ... for jump; ranks b,
 * b+1, ... for modulo; table slots c, c+1, ... for maglev; the highest
 * scores for rendezvous. The walk takes each node not already in the list.
 * A walk can meet fewer nodes than the list needs: ketama gives no point to
 * a node whose weight is small beside the others' (floor(40·n·w/W) = 0),
 * and a Maglev table of M < n cells has no cell for the last n - M nodes.
 * Those nodes ("unplaced", strat_ops_t.unplaced) follow the walk in rank
 * order, so a list always holds min(R, n) nodes: every key keeps R copies
 * while R nodes are live, and a crash of the nodes the walk does meet
 * loses nothing that R copies would have kept (sim's step message names
 * the nodes the structure leaves out when it starts to).
 *
 * Zones (Cassandra's rack awareness, one data centre): with zones, a first
 * pass (over the walk, then the unplaced nodes) takes only nodes whose zone
 * is not yet in the list; if the list is still short after a full pass, a
 * second pass takes any node not yet in it. A node without a zone counts as a zone of its own, so without zones
 * the rule is the plain walk.
 *
 * Cassandra's preset takes nodes from its walk by NetworkTopologyStrategy's
 * rule instead (strat_ops_t.list_rule, strat_walk_list_racks): a node of a
 * zone not yet in the list always, one of a zone already in it only while
 * R - zones repeats remain, in ring order.
 *
 * Strategies that place copies themselves (strat_ops_t.holders: a shard
 * map keeps each shard's holders) give every key's list instead of the
 * walk; the accounting below is the same.
 *
 * Copies. The module remembers, per key, which nodes hold a copy ("holders",
 * in the order of the key's preference list when they got it). The first
 * holder is the key's *primary holder*: the node that serves it. Changes:
 * - graceful (add, remove, recover, weight, vnodes, strategy, zone,
 *   replicas, vectors, a strategy's own commands): every key with a copy is
 *   streamed to its new list; each new holder copies from the leaving node
 *   on a removal when it held the key, else from the first holder. So a
 *   graceful change also heals. Removing the last node leaves nowhere to
 *   stream: its keys are lost.
 * - crash (`fail ID`): the node's copies vanish; nothing is copied. A key
 *   with no copy left is *lost* for good (no later step brings it back);
 *   the first surviving copy of any other key it led becomes its primary.
 * - `heal` (explicit, so the under-replicated window stays visible): each
 *   missing copy is made from the first surviving holder, in the key's old
 *   preference order; copies on nodes no longer in the list are dropped.
 * New keys (vectors N) and keys that never had a node are written, not
 * transferred: they cost nothing.
 *
 * What a step reports, one vocabulary everywhere (DESIGN §1c; issue 22):
 * - moved: keys whose primary holder changed in a step that streams data
 *   (every step but a crash; a key that had no node and gets one counts
 *   too): their data goes to the new primary, which may have held a copy;
 * - promoted: keys whose primary crashed and whose first surviving copy
 *   now serves them (no bytes); only a crash promotes;
 * - copies: copies made, with bytes and the transfer time;
 * - lost: keys whose last copy went in this step (lost_total: so far);
 * - under-replicated: keys with data holding fewer than min(R, n) copies
 *   or missing a node of their list.
 * dist[slot] counts the keys each node holds data for as primary holder,
 * so the sum over live nodes is keys - lost_total (- keys with no node).
 *
 * Cost: a copy is dim x 4 bytes of float32 plus record_bytes. A change's
 * transfer time is the busiest node's max(bytes in, bytes out) / bandwidth
 * (bytes per second, each direction, every node alike).
 *
 * Work: every change recomputes all preference lists (one strategy lookup
 * plus a short walk per key, on all threads; rendezvous picks its top R in
 * O(n + R log R) a key) — a full recompute, O(keys x R)
 * — then one pass accounts copies. Memory: 2 x 2 bytes x stride + 2 bytes a
 * key (holders, the new lists, counts), stride = R: 14 bytes a key at R = 3.
 *
 * The module is off (repl_t.on == 0: no arrays, no figures) until sim turns
 * it on: a replication option or command. Nothing is global. It reads the
 * placement through a repl_view_t (the strategy in force, its node set with
 * the zones repl_zones_fill put there, and the keys), never the simulator:
 * sim fills one from itself.
 * Memory: repl_t owns its arrays; repl_free releases them.
 * Errors: -1 with a message (out of memory, too many zones).
 */
#ifndef RINGSCOPE_REPL_H
#define RINGSCOPE_REPL_H

#include <stddef.h>
#include <stdint.h>

#include "nodeid.h"
#include "rs_limits.h"
#include "store.h"
#include "strat.h"

#define REPL_MAX RS_MAX_REPLICAS     /* replicas per key */
#define REPL_ZONE_MAX RS_MAX_ZONE_NAME
#define REPL_ZONES_MAX RS_MAX_NODES /* distinct zone names */
#define REPL_RECORD_DEFAULT 64u     /* bytes of id and metadata per copy */
#define REPL_RECORD_MAX (1u << 30)
#define REPL_BANDWIDTH_DEFAULT 1.25e9 /* 10 Gbit/s in bytes per second */

/* A key's count byte: copies held, and whether it was lost. */
#define REPL_LOST 0x80u
#define REPL_COUNT 0x0Fu

typedef enum repl_mode {
    REPL_START,     /* turning on: holders = lists, nothing moves */
    REPL_GRACEFUL,  /* stream every key to its new list */
    REPL_CRASH,     /* a node vanished with its copies */
    REPL_HEAL,      /* make the missing copies */
} repl_mode_t;

typedef struct repl_zone_of {
    char id[NODEID_MAX + 1];       /* node id */
    uint16_t zone;                 /* index into zone names */
} repl_zone_of_t;

typedef struct repl {
    int on;
    uint32_t replicas;             /* R asked (lists hold min(R, n)) */
    uint32_t stride;               /* entries per key in hold/pref, >= replicas */
    uint32_t record_bytes;
    uint32_t dim;
    double bandwidth;              /* bytes per second, each direction */

    char (*zone_names)[REPL_ZONE_MAX + 1];
    uint32_t *zone_refs;           /* nodes in each zone: a name no node uses is free for the next new one */
    uint32_t zone_count;           /* names in the table (used or free) */
    repl_zone_of_t *zone_of;       /* node id -> zone, in order of assignment */
    uint32_t zone_of_count;

    char (*crashed)[NODEID_MAX + 1]; /* ids of crashed nodes, in order of failure */
    uint32_t crashed_count;

    uint16_t *hold;                /* [key * stride + j]: holders, by embedding index */
    uint8_t *held;                 /* [key]: holder count | REPL_LOST */
    uint16_t *pref;                /* [key * stride + j]: preference lists (last change) */
    uint8_t *pref_len;             /* [key] */
    size_t keys;                   /* keys the arrays hold (capacity) */

    /* Figures of the last change (zeroed at every step). */
    uint64_t moved;                /* keys whose primary holder changed (not at a crash) */
    uint64_t promoted;             /* keys a crash left to their first surviving copy */
    uint64_t copies;               /* copies transferred */
    uint64_t bytes;                /* copies x copy size */
    double seconds;                /* busiest node's max(in, out) / bandwidth */
    uint64_t lost;                 /* keys lost by this step */
    int holders_changed;           /* some key's holders changed (a copy made, dropped or lost) */
    uint32_t *lost_ids;            /* their embedding indexes, ascending */
    size_t lost_cap;
    uint64_t *bytes_in, *bytes_out;/* [slot] (RS_MAX_NODES each) */
    /* State after the last step. */
    uint64_t lost_total;           /* keys lost so far (and still in the store) */
    uint64_t under;                /* keys with a copy, short of min(R, n) or missing some of their list */
    uint64_t *dist;                /* [slot]: keys it holds data for as primary holder */
} repl_t;

/* What the preference walk reads: the strategy in force on its node set
 * (ranks, weights, the ring_t's ids for zones) and the keys in store order,
 * with the strategy's own key hashes by store position where it has them. */
typedef struct repl_view {
    const strat_t *strat;
    const strat_nodes_t *nodes;
    const store_t *store;
    const uint64_t *own;           /* or NULL */
    const uint8_t *unplaced;       /* [slot]: 1 for a live node the walk never meets (or NULL: none) */
    uint32_t unplaced_count;
} repl_view_t;

/* Parses a bandwidth such as "10Gbit", "10 Gbps", "2.5GB" or "800MiB"
 * (optionally followed by "/s") into bytes per second: a number, spaces,
 * a prefix k M G T (10^3k) or Ki Mi Gi Ti (2^10k) in any case, and a unit:
 * bit, bits, bps or b for bits, byte, bytes, Bps or B for bytes, the words
 * in any case; a lone b and B keep their case, as Mb and MB differ.
 * Returns 0, or -1 with a message naming the flag or command in what. */
int repl_parse_bandwidth(const char *s, size_t len, const char *what, double *out, char *err, size_t err_size);

/* Zeroes r and records settings (R = 1, default cost); stays off. */
void repl_init(repl_t *r, uint32_t dim);
void repl_free(repl_t *r);

/* Bytes one copy costs. */
uint64_t repl_copy_bytes(const repl_t *r);

/* Zone index of name (added if new, in the slot of a name no node uses any
 * more if there is one); -1 when REPL_ZONES_MAX names are in use. A new
 * name holds no node until repl_set_zone gives it one. */
int repl_zone_intern(repl_t *r, const char *name);
/* Gives node id zone z; returns 1 if it changed, 0 if it had it, -1 out of memory. */
int repl_set_zone(repl_t *r, const char *id, uint16_t zone);
/* Forgets node id's zone (a node removed for good); its zone's name is
 * free once no node uses it. */
void repl_forget_zone(repl_t *r, const char *id);
/* Zone name of node id, or NULL. */
const char *repl_zone_of(const repl_t *r, const char *id);

/* Fills nodes' copies and zones (strat_nodes_t.replicas, zone, zoned,
 * zones_live) from r, for the live nodes nodes has: what every list reads.
 * The caller refreshes them whenever nodes, zones or R change. */
void repl_zones_fill(const repl_t *r, strat_nodes_t *nodes);

/* Crashed-node list, in order of failure (ids stay until the node
 * recovers or is removed: `remove` of a crashed node forgets it): 1 if id
 * is in it. */
int repl_is_crashed(const repl_t *r, const char *id);
int repl_mark_crashed(repl_t *r, const char *id);
void repl_unmark_crashed(repl_t *r, const char *id);

/* Clears the last change's figures. */
void repl_step_reset(repl_t *r);

/* Recomputes every key's preference list on v's current placement and
 * applies mode (see above). old_keys: keys that existed before the change
 * (the rest are new); node: the leaving node's slot (graceful removal) or
 * the crashed one (REPL_CRASH), else RING_NONE. Turns the module on. */
int repl_sync(repl_t *r, const repl_view_t *v, repl_mode_t mode, uint16_t node, size_t old_keys, char *err,
              size_t err_size);

/* Changes R (1..REPL_MAX) as a graceful change. */
int repl_set_replicas(repl_t *r, const repl_view_t *v, uint32_t replicas, char *err, size_t err_size);

/* Preference list of the key at store position pos (for tests and
 * displays): writes up to REPL_MAX slots, returns their number. */
uint32_t repl_prefs_of(const repl_t *r, const repl_view_t *v, size_t pos, uint16_t *out);
/* The same for any key (`ringscope locate`): where it would be kept. */
uint32_t repl_prefs_of_key(const repl_t *r, const repl_view_t *v, const strat_key_t *key, uint16_t *out);

#endif
