/* strat — placement strategies behind one interface (DESIGN §1b).
 *
 * A strategy decides which node owns a key. Every strategy places on the same
 * node set (strat_nodes_t), which the simulator keeps whatever strategy is
 * active: node slots with ids and weights (the ring_t registry, whose
 * `vnodes x weight` points `ring` and `bounded` use), ranks (live nodes in
 * order of addition) and jump's slots. A strategy builds its own structure
 * from that set (a Maglev table, ketama's 32-bit ring, multiprobe's points)
 * and answers, for a key, its owner and where it landed on the structure
 * (strat_where_t) — what a display draws and what `locate` prints.
 *
 * A strategy is a row of one table (strat.c), and everything it knows is in
 * its own module strat_NAME.c, behind strat_ops_t: its name, whether it
 * honours weights, its parameters (flag, default, limits, help, config
 * field: the command line parses them from here), its own key hash if it
 * has one (sim computes it only while the strategy is in force), how
 * `locate` describes where a key landed, where a key's flight passes and
 * its cells (place.h), its incremental paths, and the build of its
 * structure — which sees the previous structure and the change, so a
 * structure that keeps state across changes (a shard map that moves only
 * what it must) fits the same interface. Nothing outside the strategy
 * files branches on which strategy is in force; callers read the ops.
 *   ring, modulo, jump, rendezvous, maglev, bounded, multiprobe, ketama,
 *   shards (keys -> a fixed number of shards -> nodes, whole shards moving;
 *   shardmap.h), and the presets of real systems (DESIGN §1c: each routes
 *   with the system's own hash over its own key bytes and places and moves
 *   shards as the system does): redis-cluster, elasticsearch, qdrant,
 *   milvus, cassandra, kafka, weaviate; memcached is another name of ketama
 *   (an alias row, strat_parse).
 * Check-value hooks (jump's bucket function, Maglev's table filler, ketama's
 * point hashes) are declared here so tests can reach the exact arithmetic.
 *
 * Memory: a strat_t owns its structure; strat_free releases it. Nothing is
 * global: several simulations can run strategies side by side.
 * Errors: functions return 0, or -1 with a message in the caller's buffer
 * (out of memory; a limit such as a table too small).
 */
#ifndef RINGSCOPE_STRAT_H
#define RINGSCOPE_STRAT_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "ring.h"
#include "rs_limits.h"

typedef enum strat_kind {
    STRAT_RING,
    STRAT_MODULO,
    STRAT_JUMP,
    STRAT_RENDEZVOUS,
    STRAT_MAGLEV,
    STRAT_BOUNDED,
    STRAT_MULTIPROBE,
    STRAT_KETAMA,
    STRAT_SHARDS,
    STRAT_REDIS,      /* the presets of real systems (DESIGN §1c) */
    STRAT_ES,
    STRAT_QDRANT,
    STRAT_MILVUS,
    STRAT_CASSANDRA,
    STRAT_KAFKA,
    STRAT_WEAVIATE,
    STRAT_COUNT
} strat_kind_t;

#define STRAT_TABLE_DEFAULT 65537u
#define STRAT_TABLE_MIN 7u
#define STRAT_TABLE_MAX 16777213u  /* largest prime below 2^24: a 32 MiB table */
#define STRAT_BALANCE_DEFAULT 125u
#define STRAT_BALANCE_MIN 100u
#define STRAT_BALANCE_MAX 100000u
#define STRAT_PROBES_DEFAULT 21u
#define STRAT_PROBES_MAX 64u
#define STRAT_WEIGHT_MAX 1000u
#define STRAT_SHARDS_DEFAULT 64u
#define STRAT_SHARDS_MAX 65536u

/* A shard map to start from instead of the strategy's own first placement
 * (--from-redis: a real cluster's slots): shard s's primary is the node of
 * rank rank[s] among the nodes at the start, or STRAT_INITIAL_NONE. */
#define STRAT_INITIAL_NONE 0xFFFFu
typedef struct strat_initial {
    uint32_t shards;
    const uint16_t *rank;   /* [shards] */
} strat_initial_t;

/* Parameters of every strategy; each uses its own and ignores the rest.
 * A value of 0 means "not given": the strategy's default (strat_param_t),
 * which strat_init fills in for the strategy it starts. Several strategies
 * may take the same flag (--shards) with defaults of their own, so the
 * values as given are kept apart from the values in force. */
typedef struct strat_params {
    uint32_t table;    /* maglev: table size M, a prime */
    uint32_t balance;  /* bounded: capacity in percent of the mean, >= 100 */
    uint32_t probes;   /* multiprobe: probes per key, 1..64 */
    uint32_t shards;   /* shards and the presets with a shard count: S */
    uint32_t routing_shards; /* elasticsearch: index.number_of_routing_shards R */
    /* Not options of their own: */
    uint64_t seed;     /* --seed: what a preset draws at random in its system
                          (Weaviate's virtual shards) is drawn from it */
    const strat_initial_t *initial; /* the map to start from (the first build only), or NULL */
} strat_params_t;

/* One parameter of a strategy, as a row of its table: what the command line
 * parses (cli/opts.c), the help line, the JSON config member (the config
 * lists the parameters in force), and where its value lives. */
typedef struct strat_param {
    const char *flag;      /* "--table"; several strategies may share one (--shards) */
    const char *metavar;   /* "M", in help */
    const char *field;     /* "table": the config member */
    const char *help;      /* "lookup table size, a prime" */
    uint32_t def, min, max;/* def 0: the strategy works it out (def_text says how) */
    const char *def_text;  /* the default in words for help when def is 0 ("one per node") */
    size_t offset;         /* of its uint32_t in strat_params_t */
    /* A rule beyond the range (Maglev: a prime), or NULL: 0, or -1 with
     * the reason (the caller names the flag). */
    int (*check)(uint32_t v, char *err, size_t err_size);
} strat_param_t;

/* Nothing given: every parameter at its default (all zero). */
void strat_params_default(strat_params_t *p);
/* Zero (not given) values of kind's parameters take kind's defaults. */
void strat_params_complete(strat_params_t *p, strat_kind_t kind);
/* The value of d in p: as given, or d's default. */
uint32_t strat_param_get(const strat_params_t *p, const strat_param_t *d);
void strat_param_set(strat_params_t *p, const strat_param_t *d, uint32_t v);
/* The first parameter row whose flag is s (len bytes) in any strategy, or
 * NULL; *kind (if not NULL) receives the strategy that declares it. */
const strat_param_t *strat_param_find(const char *s, size_t len, strat_kind_t *kind);
/* 1 if d is the first row with its flag (lists of flags name each once). */
int strat_param_first(const strat_param_t *d);
/* Whether the values given in p suit kind: each of kind's parameters that
 * was given within its own limits and rule, then the strategy's own check
 * across them (strat_ops_t.check_params). 0, or -1 with the reason. */
int strat_params_check(strat_kind_t kind, const strat_params_t *p, char *err, size_t err_size);

/* A node without a zone is a zone of its own: STRAT_ZONE_OWN | its slot. */
#define STRAT_ZONE_OWN 0x8000u

/* The node set all strategies place on (kept by sim). */
typedef struct strat_nodes {
    const ring_t *ring;             /* slots: ids, weights, live; ring points */
    uint16_t rank[RS_MAX_NODES];    /* live slots in order of addition */
    uint32_t n;                     /* live nodes */
    uint16_t jump[RS_MAX_NODES];    /* jump slot b -> node slot, b < n */
    uint64_t weight_sum;
    int weights_equal;              /* every live node has the same weight */
    /* Copies (repl.h), as the replication state has them (sim fills them):
     * what every list of copies reads, and what a strategy that places
     * copies itself (a shard map) needs. */
    uint32_t replicas;              /* copies asked per key (1 while replication is off) */
    uint16_t zone[RS_MAX_NODES];    /* by live slot: a zone index, or STRAT_ZONE_OWN | slot */
    int zoned;                      /* some live node has a zone */
    uint32_t zones_live;            /* distinct zones among live nodes */
} strat_nodes_t;

/* Recomputes rank, n, weight_sum and weights_equal from ring (jump slots are
 * the caller's: they depend on the order of removals; copies and zones are
 * the replication state's, set by the caller). */
void strat_nodes_refresh(strat_nodes_t *nodes, const ring_t *ring);

/* min(R, n): how many copies a key's list holds. */
static inline uint32_t strat_copies_wanted(const strat_nodes_t *nodes)
{
    uint32_t r = nodes->replicas ? nodes->replicas : 1;
    return r < nodes->n ? r : nodes->n;
}

static inline int strat_list_has(const uint16_t *list, uint32_t n, uint16_t x)
{
    for (uint32_t i = 0; i < n; i++)
        if (list[i] == x)
            return 1;
    return 0;
}

/* A walk of candidate nodes for one key's (or shard's) list of copies: len
 * candidates, at(ctx, i) the node slot of candidate i, then the live nodes
 * the walk never meets (unplaced[slot] set: a node with no ketama point,
 * say) in rank order, as one sequence. placed: live nodes the walk meets;
 * zones_placed: distinct zones among them; with unplaced NULL they are n
 * and nodes->zones_live. */
typedef struct strat_walk {
    uint64_t len;
    uint16_t (*at)(void *ctx, uint64_t i);
    void *ctx;
    const uint8_t *unplaced;        /* by slot, or NULL */
    uint32_t placed;
    uint32_t zones_placed;
} strat_walk_t;

/* The rule every list of copies follows (DESIGN §1b, §1c; repl.h): up to
 * target distinct nodes taken from the walk, first only nodes whose zone is
 * not yet in the list while zones remain, then any node not yet in it. Each
 * part stops once it has nothing left to give, so a walk of many points is
 * read only as far as its distinct nodes. out holds target (at most
 * RS_MAX_REPLICAS) slots; returns how many it got. Inline: a caller's small
 * `at` folds in. */
static inline uint32_t strat_walk_list(const strat_nodes_t *nodes, uint32_t target, const strat_walk_t *wk,
                                       uint16_t *out)
{
    const uint8_t *unplaced = wk->unplaced;
    uint32_t got = 0, placed_in = 0;
    if (nodes->n == 0)
        return 0;
    if (nodes->zoned) {
        uint16_t zones[RS_MAX_REPLICAS];
        uint32_t want = target < nodes->zones_live ? target : nodes->zones_live;
        for (uint64_t i = 0; i < wk->len && got < want && got < wk->zones_placed; i++) {
            uint16_t node = wk->at(wk->ctx, i);
            if (strat_list_has(out, got, node) || strat_list_has(zones, got, nodes->zone[node]))
                continue;
            zones[got] = nodes->zone[node];
            out[got++] = node;
        }
        placed_in = got;
        for (uint32_t r = 0; unplaced && r < nodes->n && got < want; r++) {
            uint16_t node = nodes->rank[r];
            if (!unplaced[node] || strat_list_has(zones, got, nodes->zone[node]))
                continue;
            zones[got] = nodes->zone[node];
            out[got++] = node;
        }
    }
    for (uint64_t i = 0; i < wk->len && got < target && placed_in < wk->placed; i++) {
        uint16_t node = wk->at(wk->ctx, i);
        if (!strat_list_has(out, got, node))
            out[got++] = node, placed_in++;
    }
    for (uint32_t r = 0; unplaced && r < nodes->n && got < target; r++) {
        uint16_t node = nodes->rank[r];
        if (unplaced[node] && !strat_list_has(out, got, node))
            out[got++] = node;
    }
    return got;
}

/* Cassandra's NetworkTopologyStrategy for one data centre, zones as racks
 * (DatacenterEndpoints.addEndpointAndCheckIfDone; reference/routing.md
 * §6.2): one pass over the walk, then the live nodes it never meets in
 * rank order; a node not yet in the list is taken when its zone is not yet
 * in it, or else while repeats = R - (zones among live nodes) remain (each
 * taken so uses one), until target nodes are in. A node without a zone is
 * a rack of its own. Without zones: the plain walk. */
static inline uint32_t strat_walk_list_racks(const strat_nodes_t *nodes, uint32_t target, const strat_walk_t *wk,
                                             uint16_t *out)
{
    uint16_t zones[RS_MAX_REPLICAS];
    uint32_t got = 0, zn = 0;
    int64_t repeats = (int64_t)(nodes->replicas ? nodes->replicas : 1) - (int64_t)nodes->zones_live;
    if (nodes->n == 0)
        return 0;
    for (uint64_t i = 0; got < target && i < wk->len + (wk->unplaced ? nodes->n : 0); i++) {
        uint16_t node;
        if (i < wk->len) {
            node = wk->at(wk->ctx, i);
        } else {
            node = nodes->rank[i - wk->len];
            if (!wk->unplaced[node])
                continue;
        }
        if (strat_list_has(out, got, node))
            continue;
        uint16_t z = nodes->zone[node];
        if (!strat_list_has(zones, zn, z)) {
            zones[zn++] = z;
        } else if (repeats > 0) {
            repeats--;
        } else {
            continue;
        }
        out[got++] = node;
    }
    return got;
}

/* A key as strategies see it. */
typedef struct strat_key {
    uint64_t hash;     /* khash = hash64("key:" + id) */
    uint64_t own;      /* the active strategy's own key hash (strat_keyhash_t;
                          ketama: first 4 bytes of MD5(id), little-endian;
                          Cassandra: the token's bits), else 0 */
    int64_t index;     /* embedding index, or -1 for any other id */
} strat_key_t;

/* A strategy's own key hash, for strategies that do not place keys by
 * khash: ketama's MD5 of the raw id, as memcached clients do, and every
 * preset's system hash over the key in the system's native form (the id's
 * text, vector i's number i, or the UUID derived from the id; DESIGN §1c).
 * sim computes it for every embedding (of_indexes, once each) only while
 * such a strategy is in force; `locate` hashes any key with of_id, which
 * reads the key in the system's native form and refuses what the system
 * cannot take (a number system given text). Displays that make a key from
 * a ring position use place_key_at (place.h). */
typedef struct strat_keyhash {
    unsigned bits;     /* its width, 1..64: values are below 2^bits */
    int signed_order;  /* 1: values order as signed integers (Cassandra's tokens) */
    const char *help;  /* how it is taken, for --help: "MD5 of KEY" */
    const char *native;/* the key forms of_id reads, for --help: "text", "a decimal id or a UUID" */
    /* The own hash of key id (len bytes, any bytes): 0, or -1 with why the
     * system cannot take it ("\"abc\" is not a point id: ..."). */
    int (*of_id)(const char *id, size_t len, uint64_t *out, char *why, size_t why_size);
    void (*of_indexes)(uint64_t first, size_t n, uint64_t *out); /* embeddings first .. first+n-1 */
    /* Optional: what key id is in the system's native form, for locate's
     * line ("id 42", a UUID); 0 if it is the id itself. */
    int (*native_of)(const char *id, size_t len, char *out, size_t out_size);
} strat_keyhash_t;

/* The ring position of an own hash: its bits at the top of 64, the sign
 * bit flipped for signed values (so Long.MIN is at 0 and the order holds). */
static inline uint64_t strat_own_pos(const strat_keyhash_t *kh, uint64_t own)
{
    uint64_t pos = kh->bits >= 64 ? own : own << (64 - kh->bits);
    return kh->signed_order ? pos ^ 0x8000000000000000ull : pos;
}

/* A numeric key as number systems take it (Qdrant's and Milvus's ids): a
 * decimal (with is_signed, a leading '-' too, as int64 two's complement),
 * or an embedding's id vec_N, which is N. 0, or -1. */
int strat_native_number(const char *id, size_t len, int is_signed, uint64_t *out);
/* A UUID key: its text (uuid.h's forms), or an embedding's id, whose UUID
 * is derived from it (DESIGN §1c). 0, or -1. */
int strat_native_uuid(const char *id, size_t len, uint8_t out[16]);

/* The own hash of every id vec_(first + i), i < n, into out[i]: of_index
 * of each id's text (and its index), on all threads. For the presets'
 * of_indexes. */
void strat_keyhash_fill(uint64_t (*of_index)(uint64_t index, const char *id, size_t len), uint64_t first, size_t n,
                        uint64_t *out);

/* Where a key landed. `at` is the structure index: ring, ketama and bounded:
 * point index in sorted order; modulo and jump: bucket; maglev: table slot;
 * multiprobe: index of the winning point; rendezvous: rank of the winner. */
typedef struct strat_where {
    uint16_t owner;    /* node slot, or RING_NONE with no nodes */
    int64_t at;        /* -1 with no nodes */
    uint64_t point;    /* ring/ketama/bounded/multiprobe: the point's position */
    int32_t probe;     /* multiprobe: winning probe j; bounded: points skipped
                          because their node was full; else -1 */
    uint64_t probe_hash; /* multiprobe: p_j */
} strat_where_t;

struct store;
struct strat;
struct place;
struct scn_cmd;
struct shardmap;

/* What kind of change a build follows. Strategies that keep no state
 * across changes read none of it; sim tells the copy-level kinds (crash,
 * heal, copies) only to strategies that place copies themselves
 * (strat_ops_t.holders). */
typedef enum strat_change_kind {
    STRAT_CHANGE_NODES,   /* nodes joined, left or were reweighted (the slots
                             below), or anything else with all RING_NONE */
    STRAT_CHANGE_CRASH,   /* `removed` crashed (fail): its copies vanished with it */
    STRAT_CHANGE_HEAL,    /* heal: make the copies crashes left missing */
    STRAT_CHANGE_COPIES,  /* replicas or zones changed */
    STRAT_CHANGE_COMMAND, /* the strategy's own command (cmd: move, rebalance) */
    STRAT_CHANGE_KEYS,    /* keys were added or dropped (vectors N); nodes as they were */
} strat_change_kind_t;

/* What changed since the structure was last built. A strategy whose
 * structure keeps state across changes (a shard map that moves only what it
 * must on add, remove and weight) reads it with the previous structure;
 * the others build from scratch. All RING_NONE with kind NODES: anything
 * else (the first build, a strategy switch, a rebuild, new keys). */
typedef struct strat_change {
    uint16_t added;      /* the node slot that joined */
    uint16_t removed;    /* the node slot that left (removed or crashed) */
    uint16_t reweighted; /* the node slot whose weight changed */
    int heavier;         /* reweighted: its weight went up */
    strat_change_kind_t kind;
    const struct scn_cmd *cmd; /* STRAT_CHANGE_COMMAND: the command */
} strat_change_t;

static inline strat_change_t strat_change_of(uint16_t added, uint16_t removed, uint16_t reweighted)
{
    strat_change_t c = {added, removed, reweighted, 0, STRAT_CHANGE_NODES, NULL};
    return c;
}

/* ---- what a display draws (render/sst.c, the app's HUD) -------------------- */

/* The kind of structure a display draws for a strategy: render/sst.c picks
 * its drawing module from a table indexed by it, so a new strategy of a
 * known kind needs no render code, and a new kind one render file. */
typedef enum strat_structure_kind {
    STRAT_STRUCTURE_POINTS,  /* points on the ring; a key goes to the next one clockwise */
    STRAT_STRUCTURE_CELLS,   /* C equal cells around the ring, cell c at [c, c+1)·2^64/C (place.h) */
    STRAT_STRUCTURE_SCORES,  /* nothing on the ring: every node scores each key */
    STRAT_STRUCTURE_PROBES,  /* one point per node; k probes per key, the nearest successor wins */
    STRAT_STRUCTURE_SHARDS,  /* S shards as equal cells (as CELLS), each a lump of its keys that moves whole */
    STRAT_STRUCTURE_COUNT
} strat_structure_kind_t;

/* Facts of a strategy the drawing of its kind needs (strat_structure_t.flags). */
enum {
    STRAT_DRAW_NUMBERED = 1u << 0, /* cells: each labelled with its number where cells are wide enough */
    STRAT_DRAW_RESIDUE = 1u << 1,  /* cells: labelled "h mod C = c" first, where that fits */
    STRAT_DRAW_SWAP = 1u << 2,     /* cells: a removal moves the last cell's node into the freed cell (an arrow) */
    STRAT_DRAW_OVERFLOW = 1u << 3, /* points: a tick at each key placed past its first choice (place_overflow) */
};

typedef struct strat_structure {
    strat_structure_kind_t kind;
    unsigned flags;            /* STRAT_DRAW_* */
    /* cells: what the ring's middle says once the cells are too thin to
     * see one by one (maglev: "M = 65537 cells"); NULL: nothing. */
    void (*cells_total)(uint64_t cells, char *out, size_t n);
    /* The panel's size line: what it counts ("ring points", "table cells",
     * "buckets", "scores/key") and how many there are now (NULL: one per
     * live node). */
    const char *size_name;
    uint64_t (*size)(const void *state, const strat_nodes_t *nodes);
    /* The most keys a node of weight w may hold among m keys (weight_sum W),
     * marked on the panel's bars; NULL: no bound. */
    uint64_t (*capacity)(const strat_params_t *p, uint64_t m, uint32_t w, uint64_t weight_sum);
} strat_structure_t;

/* How a key's list of copies takes nodes from its walk (repl.h). */
typedef enum strat_list_rule {
    /* Zones first: a first pass takes only nodes of zones not yet in the
     * list while zones remain, a second any node (strat_walk_list). */
    STRAT_LIST_ZONES_FIRST,
    /* Cassandra's NetworkTopologyStrategy (one data centre, zones = racks):
     * in one pass, a node of a zone not yet in the list always, one of a
     * zone already in it only while R - zones repeats remain
     * (strat_walk_list_racks). */
    STRAT_LIST_RACKS,
} strat_list_rule_t;

typedef struct strat_ops {
    const char *name;
    /* A preset of a real system (DESIGN §1c): the system's name as people
     * write it ("Redis Cluster"); NULL for the schemes of §1b. */
    const char *system;
    int weighted;      /* honours weights */
    int uses_vnodes;   /* places vnodes x weight points per node */
    const strat_param_t *params; /* its parameters (param_count rows), or NULL */
    size_t param_count;
    const strat_keyhash_t *key_hash; /* its own key hash, or NULL: khash */
    /* How `locate` tells where a key landed (w has an owner): the members
     * of the key's JSON object (each after a comma) into json, and the rest
     * of its text line after "owner ID  ", newline included, into text.
     * Either output may be NULL. */
    void (*describe)(const struct strat *s, const strat_nodes_t *nodes, const strat_key_t *key,
                     const strat_where_t *w, json_t *json, char *text, size_t text_size);
    const char *locate_note; /* a paragraph for `locate --help`, or NULL */
    const char *landed;      /* `locate --help`: what describe names, e.g. "ring point (index and position)" */
    /* Builds the structure for nodes (and, for bounded and the shard maps,
     * the store's keys; own: their own key hashes by store position, for a
     * strategy with key_hash, else NULL) into *state. prev is the structure
     * in force before change (NULL at first), still owned by the caller,
     * who releases it after a success. */
    int (*build)(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                 const strat_params_t *p, const struct store *st, const uint64_t *own, char *err, size_t err_size);
    void (*release)(void *state);
    void (*locate)(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w);
    /* The owners of n keys at once, or NULL: locate each. khash[i] and (for
     * a strategy with its own key hash) own[i] are key i's hashes; out[i]
     * receives its owner, as locate would give it. One tight loop with no
     * call per key: what re-placing every key costs (modulo, maglev, ketama,
     * shards). */
    void (*owners)(const void *state, const strat_nodes_t *nodes, const uint64_t *khash, const uint64_t *own,
                   size_t n, uint16_t *out);
    /* Bytes of the structure (not counting the shared node set). */
    size_t (*memory)(const void *state, const strat_nodes_t *nodes);
    /* Incremental add, or NULL (every key is looked up again): the owner of
     * key after `added` joined, from its owner `old` before, without a full
     * lookup. The structure is already rebuilt for the new node set. */
    uint16_t (*after_add)(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, uint16_t old,
                          uint16_t added);
    /* 1: on a removal only keys of the removed node (and, for jump, of the
     * node moved into its slot) can change owner; 0: all are looked up. */
    int remove_keeps_others;
    /* 1: keys belong to the arcs of the ring_t's points as the store places
     * them (ring): sim moves them arc by arc (store_assign_range), the
     * incremental path, and builds nothing. */
    int follows_arcs;
    /* The owner of an embedding from a placement kept by index, without a
     * lookup (bounded), or NULL: locate. */
    uint16_t (*placed_owner)(const void *state, const strat_key_t *key);
    /* Preference walk (replicas, repl.h): the order in which a key's copies
     * look for nodes. walk_len: candidates in one full pass; walk_at: the
     * node slot of candidate i (i < walk_len) counted from where the key
     * landed (candidate 0 is the owner): clockwise points for ring, ketama,
     * bounded and multiprobe, slots b, b+1, ... for jump, ranks for modulo,
     * table slots for maglev. Strategies that rank nodes per key instead
     * (rendezvous) have walk_at NULL and walk_rank: the key's candidates
     * from..k-1 (k <= nodes->n), best first, into out[from..k). A walk
     * starts with from = 0 and may go on, for the same key and scratch
     * (walk_scratch bytes, the caller's), with from = the k of the call
     * before: the scratch keeps the key's scores, so each node is scored
     * once per key, and a call costs O(n + (k - from) log(k - from)),
     * never a sort of all n. */
    uint64_t (*walk_len)(const void *state, const strat_nodes_t *nodes);
    uint16_t (*walk_at)(const void *state, const strat_nodes_t *nodes, const strat_where_t *w, uint64_t i);
    void (*walk_rank)(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, void *scratch,
                      uint16_t *out, uint32_t from, uint32_t k);
    size_t walk_scratch;
    /* Live nodes the structure gives no place, so that its walk never
     * meets them (ketama: no points at a small weight; maglev: no table
     * cell when M < n), or NULL: every live node has one. Marks
     * unplaced[slot] = 1 for them (the caller zeroes it), returns how many,
     * and, when node slot `about` is one of them, writes into why what left
     * it out, to follow its id: "has no ketama points at weight 1 of 202". */
    uint32_t (*unplaced)(const void *state, const strat_nodes_t *nodes, uint8_t *unplaced, uint16_t about,
                         char *why, size_t why_size);
    /* Incremental weight change, or NULL (every key is looked up again):
     * the owner of key after node `changed`'s weight went up (heavier) or
     * down, from its owner `old` before. The structure is already rebuilt
     * (its build saw change.reweighted). */
    uint16_t (*after_weight)(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, uint16_t old,
                             uint16_t changed, int heavier);
    /* Points of the strategy's own (ketama's 32-bit ring, multiprobe's one
     * per node), or NULL: ring and bounded use the ring_t's, the others have
     * none. For displays. */
    const struct strat_points *(*points)(const void *state);
    /* What a display draws for this strategy and how the HUD names it. */
    strat_structure_t structure;
    /* The one-line legend of the rule under the ring, e.g. "jump · 5
     * buckets in slot order, outer ring; key → bucket jump(h, 5)". */
    void (*legend)(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n);
    /* Where a key that landed at w (with an owner) sits on the structure,
     * the place its flight goes through (place.h: place_at_key,
     * place_at_cell, or the strategy's own); NULL: nowhere (rendezvous
     * ranks every node per key). */
    void (*place)(const struct strat *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
                  struct place *out);
    /* Strategies whose own key hashes 0 .. U-1 go, in order, to their
     * cells, U/C a cell (a preset's slots or shards: Redis's CRC16 values
     * 0..16383 are the slots in order; Elasticsearch's floorMod(h, R) /
     * (R/S) makes R routing values S shards): U now. The key a display
     * makes for a ring position is then one of the cell under it
     * (place_key_at), so the band, the cells and a hovered key agree with
     * where keys fly. NULL: the position is the key's hash. */
    uint64_t (*key_cells)(const void *state);
    /* The structure's cells in order (maglev's table, jump's and modulo's
     * buckets: place_walk_cells / place_walk_cell_owner), or NULL: none. */
    uint64_t (*cells)(const struct strat *s, const strat_nodes_t *nodes);
    uint16_t (*cell_owner)(const struct strat *s, const strat_nodes_t *nodes, uint64_t c);
    /* Keys placed past their first choice (bounded: place_overflow), or
     * NULL: none ever are. */
    size_t (*overflow)(const void *state, const strat_nodes_t *nodes, const struct store *st, uint64_t *out,
                       size_t cap);

    /* ---- strategies with shards (shardmap.h) ---- */
    /* The shard map in force (keys -> S shards -> nodes), or NULL: the
     * strategy has no shards (the hook itself is NULL). */
    const struct shardmap *(*shards)(const void *state);
    /* What the system calls a shard, singular ("slot", "partition"), for
     * every word about shards on screen and in reports; NULL: "shard". */
    const char *(*unit)(const void *state);
    /* Whether the balancer runs by itself after add, remove, weight and
     * recover (presets of systems that do not: only on `rebalance`). */
    int rebalances_itself;
    /* Strategies that place copies themselves (a shard's holders): the
     * nodes that keep key's copies, primary first, into
     * out[RS_MAX_REPLICAS]; returns how many. Such a strategy is built on
     * the copy-level changes too (STRAT_CHANGE_CRASH, _HEAL, _COPIES).
     * NULL: copies follow the preference walk (repl.h). */
    uint32_t (*holders)(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, uint16_t *out);
    /* After a build: the keys whose owner changed, as runs of store
     * positions with their new owner. 1: run i (0, 1, ...) is pos[0 ..
     * len), now owned by *owner; 0: there is no run i (the runs are over);
     * -1: every key may have changed (a build from scratch, or the store
     * changed). NULL: every key is looked up. */
    int (*touched)(const void *state, uint32_t i, const uint32_t **pos, size_t *len, uint16_t *owner);
    /* The strategy's own commands (scn_verb_t.own: move, rebalance), run
     * now on nodes: 0 it takes cmd (a STRAT_CHANGE_COMMAND build follows),
     * 1 nothing to do (why in msg: "already balanced"), -1 refused (why in
     * msg). NULL: the strategy has no commands of its own. */
    int (*command)(const void *state, const strat_nodes_t *nodes, const struct scn_cmd *cmd, char *msg,
                   size_t msg_size);

    /* ---- presets of real systems ---- */
    /* What the last build did that the step's message should say, after
     * it ("Qdrant does not move shards by itself: use rebalance or move"),
     * into out; "" for nothing. NULL: never anything. */
    void (*note)(const void *state, char *out, size_t n);
    /* Members the strategy adds to every step object of `sim --json`
     * (each after a comma: ",\"misrouted\":12"), or NULL. */
    void (*step_json)(const void *state, json_t *j);
    /* The parameters in force as config members (each after a comma), or
     * NULL: the parameter rows' values. Sees the built structure: values a
     * preset works out (Qdrant's shards, one per node) are its own. */
    void (*config_json)(const void *state, const strat_params_t *p, json_t *j);
    /* A check across parameters given (Elasticsearch: R a multiple of S),
     * or NULL: 0, or -1 with the reason. */
    int (*check_params)(const strat_params_t *p, char *err, size_t err_size);
    /* How lists of copies take nodes from the walk. */
    strat_list_rule_t list_rule;
} strat_ops_t;

const strat_ops_t *strat_ops(strat_kind_t kind);
const char *strat_name(strat_kind_t kind);
/* Kind named s (len bytes), an alias row's too ("memcached" is ketama); -1
 * if none. */
int strat_parse(const char *s, size_t len, strat_kind_t *out);
/* 1 if s (len bytes) names a preset of a real system (a row with a system,
 * or an alias row): what --preset takes. */
int strat_is_preset_name(const char *s, size_t len);
/* "redis-cluster, elasticsearch, ..., memcached": every preset name (alias
 * rows too), for messages and help. */
const char *strat_preset_names(void);
/* The alias rows: name i (i < strat_alias_count()), the kind it names and
 * its system's name. */
size_t strat_alias_count(void);
const char *strat_alias(size_t i, strat_kind_t *kind, const char **system);
/* The default strategy (the table's first row, `ring`). */
strat_kind_t strat_default(void);
/* "ring, modulo, ..., weaviate, memcached" for messages (alias rows last). */
const char *strat_names_list(void);
/* The names in table order, then the alias rows', into out (as snprintf):
 * sep between them, last before the final one, and default_mark (or
 * nothing, if NULL) after the default's name: "ring (default), modulo, ...
 * or memcached". */
int strat_names_join(char *out, size_t size, const char *sep, const char *last, const char *default_mark);

/* A strategy in use: kind, parameters and built structure. */
typedef struct strat {
    strat_kind_t kind;
    const strat_ops_t *ops;
    strat_params_t params;
    void *state;
} strat_t;

/* What s calls a shard ("shard" where it does not say: strat_ops_t.unit). */
static inline const char *strat_unit(const strat_t *s)
{
    return s->ops->unit && s->state ? s->ops->unit(s->state) : "shard";
}

/* Where a key lands with no nodes at all. */
static inline void strat_where_none(strat_where_t *w)
{
    w->owner = RING_NONE;
    w->at = -1;
    w->point = 0;
    w->probe = -1;
    w->probe_hash = 0;
}

/* For strategies without a structure of their own (ring, modulo, jump):
 * build sets *state to NULL, release does nothing. */
int strat_no_structure_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                             const strat_params_t *p, const struct store *st, const uint64_t *own, char *err,
                             size_t err_size);
void strat_no_structure_release(void *state);

/* Sorted points with their node slots and a top-bits table from a hash to
 * the first point at or after it (the ring's lookup), for strategies with
 * points of their own (multiprobe, ketama: 32-bit positions in the top
 * half). Fill pos/node in sorted order, set count, then strat_points_index. */
typedef struct strat_points {
    uint64_t *pos;
    uint16_t *node;
    uint32_t count;
    uint32_t *index;   /* index[b]: first point with pos >> shift >= b */
    size_t index_len;
    unsigned shift;
} strat_points_t;

/* Room for count points; 0, or -1 when out of memory (then free it). */
int strat_points_alloc(strat_points_t *p, size_t count);
/* The index length strat_points_alloc gives count points (a structure that
 * reuses its arrays can tell whether they fit). */
size_t strat_points_index_len(size_t count);
void strat_points_index(strat_points_t *p);
void strat_points_free(strat_points_t *p);
size_t strat_points_memory(const strat_points_t *p);

/* Index of the first point >= h, wrapping to 0; count must be > 0. */
static inline uint32_t strat_points_successor(const strat_points_t *p, uint64_t h)
{
    return ring_successor(p->pos, p->count, p->index, p->shift, h);
}

/* s starts kind with the parameters p as given (NULL: none given): kind's
 * defaults fill in what was not. */
void strat_init(strat_t *s, strat_kind_t kind, const strat_params_t *p);
/* (Re)builds the structure from nodes after change (st: the keys, for
 * bounded and shard maps; own: their own key hashes by store position, or
 * NULL). On failure the previous structure stays in place. */
int strat_build(strat_t *s, const strat_nodes_t *nodes, const strat_change_t *change, const struct store *st,
                const uint64_t *own, char *err, size_t err_size);
void strat_free(strat_t *s);
static inline void strat_locate(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key,
                                strat_where_t *w)
{
    s->ops->locate(s->state, nodes, key, w);
}

/* The key at sorted position pos of st; own: the strategy's own key hashes
 * by sorted position, or NULL (own = 0). */
void strat_key_at(const struct store *st, const uint64_t *own, size_t pos, strat_key_t *key);

/* ---- the exact arithmetic, for check values ------------------------------ */

/* The splitmix64 finaliser. */
static inline uint64_t strat_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* multiprobe: probe j of a key, p_j = mix64(khash + j·0x9e3779b97f4a7c15). */
static inline uint64_t strat_probe(uint64_t khash, uint32_t j)
{
    return strat_mix64(khash + (uint64_t)j * 0x9e3779b97f4a7c15ull);
}

/* rendezvous: the score node (nhash, weight) gives a key, as the ranking
 * compares it: u = ((s >> 11) + 0.5) · 2^-53 in (0, 1) at equal weights (the
 * same order as s), -w / ln(u) otherwise. */
double strat_rendezvous_score(uint64_t khash, uint64_t nhash, uint32_t weight, int weighted);

/* nhash(ID) = hash64("node:" + ID). */
uint64_t strat_node_hash(const char *id, size_t id_len);

/* Lamping-Veach jump hash: bucket of key among n >= 1 buckets. */
int32_t strat_jump_bucket(uint64_t key, int32_t n);

/* Maglev's population (Pseudocode 1) for n backends with the given offsets
 * and skips into table[m] (backend index per slot). Scratch: next[n]. */
void strat_maglev_fill(const uint32_t *offset, const uint32_t *skip, uint32_t n, uint32_t m, uint32_t *next,
                       uint16_t *table);

/* bounded: keys a node of weight w may hold, ceil(P·m·w / (100·W)), with
 * balance P percent, m keys and weight_sum W (0 when W is 0). */
uint64_t strat_bounded_capacity(uint32_t balance, uint64_t m, uint32_t w, uint64_t weight_sum);

/* locate's description of a ring point and its vnode (ring and bounded
 * share it); of a bucket (modulo and jump). */
void strat_ring_describe(const struct strat *s, const strat_nodes_t *nodes, const strat_key_t *key,
                         const strat_where_t *w, json_t *json, char *text, size_t text_size);
void strat_bucket_describe(const struct strat *s, const strat_nodes_t *nodes, const strat_key_t *key,
                           const strat_where_t *w, json_t *json, char *text, size_t text_size);

/* The ring's preference walk (ring and bounded share it): its points
 * clockwise from where the key landed. */
uint64_t strat_ring_walk_len(const void *state, const strat_nodes_t *nodes);
uint16_t strat_ring_walk_at(const void *state, const strat_nodes_t *nodes, const strat_where_t *w, uint64_t i);

/* 1 if m is prime. */
int strat_is_prime(uint32_t m);

/* cassandra: the token of node ID's k-th vnode, the token of the text
 * "ID:k" (a signed long's bits). */
uint64_t strat_cassandra_node_token(const char *id, size_t id_len, uint32_t k);

/* ketama: points per node, ks = floor(f32(f32(w)/f32(W) * 40.0 * n)) MD5
 * digests of 4 points each. */
uint32_t strat_ketama_digests(uint32_t w, uint64_t weight_sum, uint32_t n);

#endif
