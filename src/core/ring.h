/* ring — the consistent-hash ring: nodes and their virtual-node points.
 *
 * Node N owns points hash64("node:N#vnode:v") for v in 0..vnodes*w-1 (w: its
 * weight, 1..1000, default 1; DESIGN §1b); a point
 * already taken is re-salted deterministically with "#salt:k", k = 1, 2, ...
 * (DESIGN §1). Points are kept sorted (structure of arrays) with a table from
 * the top bits of a hash to the first point at or after it, so a lookup is a
 * table read plus a short scan.
 *
 * Nodes live in slots (0..RS_MAX_NODES-1); a removed node's slot is reused.
 * Slot numbers are what the store keeps as owners; RING_NONE means no node.
 *
 * Memory: the ring owns all its arrays and node id copies; ring_free releases
 * them. Errors: functions return RING_OK or a negative RING_E* code and, where
 * a message helps the user, write it into the caller's err buffer.
 */
#ifndef RINGSCOPE_RING_H
#define RINGSCOPE_RING_H

#include <stddef.h>
#include <stdint.h>

#include "nodeid.h"

#define RING_NONE 0xFFFFu

enum {
    RING_OK = 0,
    RING_E_EXISTS = -1,    /* add: the node is already on the ring */
    RING_E_UNKNOWN = -2,   /* remove: no such node */
    RING_E_LIMIT = -3,     /* a size limit would be exceeded */
    RING_E_NOMEM = -4,     /* allocation failed */
};

typedef struct ring_node {
    char id[NODEID_MAX + 1];
    uint32_t id_len;
    uint32_t live;        /* 1 while on the ring */
    uint64_t seq;         /* order of addition: rebuilds re-add in this order */
    uint32_t weight;      /* points = vnodes x weight */
} ring_node_t;

typedef struct ring {
    ring_node_t *nodes;   /* slots; nodes[s].live tells which are in use */
    uint32_t slot_count;  /* slots ever used (highest + 1) */
    uint32_t live_count;  /* nodes on the ring */
    uint32_t vnodes;      /* virtual nodes per node (per unit of weight) */
    uint64_t weight_sum;  /* sum of live nodes' weights */
    uint64_t next_seq;

    uint64_t *pos;        /* sorted point positions */
    uint16_t *node;       /* owning slot of each point */
    uint32_t *vnode;      /* vnode index v of each point */
    uint32_t count, cap;

    uint32_t *index;      /* index[b]: first point with pos >> shift >= b */
    size_t index_cap;
    unsigned shift;
} ring_t;

void ring_init(ring_t *r, uint32_t vnodes);
void ring_free(ring_t *r);

/* Adds node id (already normalized by nodeid_normalize). *slot receives its
 * slot. RING_E_EXISTS leaves the ring unchanged. */
int ring_add(ring_t *r, const char *id, size_t id_len, uint16_t *slot, char *err, size_t err_size);
/* Adds n nodes (normalized ids) as n ring_adds in this order would, but in
 * one pass: building a ring of many nodes costs one sort, not one merge per
 * node. slots[i] receives node i's slot. If ids[*bad] is already on the ring
 * or listed twice, returns RING_E_EXISTS and the ring is unchanged. */
int ring_add_many(ring_t *r, const char *const *ids, const size_t *lens, size_t n, uint16_t *slots, size_t *bad,
                  char *err, size_t err_size);
/* Removes the node with this id; *slot receives the slot it had. */
int ring_remove(ring_t *r, const char *id, size_t id_len, uint16_t *slot);
/* Re-places every node's points with a new vnodes-per-node count. */
int ring_rebuild(ring_t *r, uint32_t vnodes, char *err, size_t err_size);

/* Gives live node `slot` weight w (1..1000): its points become vnodes x w,
 * re-placed after the others' (re-salting, if any, follows that order). */
int ring_set_weight(ring_t *r, uint16_t slot, uint32_t w, char *err, size_t err_size);

/* Slot of the live node with this id, or RING_NONE. */
uint16_t ring_find_node(const ring_t *r, const char *id, size_t id_len);

/* The successor scan shared by every sorted point set with a top-bits
 * table (the ring, multiprobe's and ketama's points): index[h >> shift] is
 * the first point whose top bits are >= h's, so a short scan finds the first
 * point >= h; wraps to 0. count must be > 0. */
static inline uint32_t ring_successor(const uint64_t *pos, uint32_t count, const uint32_t *index, unsigned shift,
                                      uint64_t h)
{
    uint32_t i = index[h >> shift];
    while (i < count && pos[i] < h)
        i++;
    return i == count ? 0 : i;
}

/* Index of the first point >= h, wrapping to 0; the ring must not be empty. */
static inline uint32_t ring_lookup(const ring_t *r, uint64_t h)
{
    return ring_successor(r->pos, r->count, r->index, r->shift, h);
}

/* Owner slot of key hash h, or RING_NONE on an empty ring. */
static inline uint16_t ring_owner(const ring_t *r, uint64_t h)
{
    return r->count ? r->node[ring_lookup(r, h)] : (uint16_t)RING_NONE;
}

/* Plain binary search: the baseline ring_lookup is measured against. */
uint32_t ring_lookup_bsearch(const ring_t *r, uint64_t h);

/* Fraction of the ring's circumference owned by each slot (arcs ending at its
 * points). share must hold slot_count doubles. */
void ring_arc_share(const ring_t *r, double *share);

/* Live node slots sorted by id (byte order = code point order, as the
 * reference's sorted()). out must hold live_count entries; returns the count. */
uint32_t ring_sorted_slots(const ring_t *r, uint16_t *out);

/* Point position for node id, vnode v, salt k (k = 0: unsalted). */
uint64_t ring_point_hash(const char *id, size_t id_len, uint32_t v, uint32_t salt);

/* Test hook: narrows point hashes with mask to force collisions. */
void ring_debug_set_point_mask(uint64_t mask);

#endif
