/* store — the embeddings: key hashes sorted around the ring, and owners.
 *
 * Embedding i has id vec_%06d and key hash hash_key(i), computed once. The
 * store keeps them sorted by key hash (ties by index) as three parallel
 * arrays, 14 bytes per embedding: hash (8), index (4), owner slot (2). Sorted
 * order is what makes rebalancing incremental: the keys of one ring arc are
 * one contiguous run, found by binary search.
 *
 * A store for a placement that never reads khash (a strategy with its own
 * key hash: ketama's MD5, a preset's system hash) can skip SHA-256
 * altogether: made with store_init_by_index, it keeps keys in index order
 * (index[i] = i) with no hashes (hash NULL) and new keys unassigned, until
 * store_sort_by_hash hashes and sorts them, each keeping its owner. The functions that find
 * keys by hash (assign_all, assign_naive, assign_range, lower_bound) need
 * a sorted store.
 *
 * The vectors themselves are never stored: embed_vector() derives vector i
 * from (seed, i) on demand.
 *
 * Memory: the store owns its arrays; store_free releases them. Functions
 * return 0 or -1 (out of memory) and never leave the store inconsistent.
 */
#ifndef RINGSCOPE_STORE_H
#define RINGSCOPE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "rs_limits.h"
#include "ring.h"

typedef struct store {
    uint64_t *hash;     /* sorted key hashes; NULL while by_index */
    uint32_t *index;    /* embedding index at each sorted position */
    uint16_t *owner;    /* owning ring slot, or RING_NONE */
    size_t count, cap;
    int by_index;       /* keys in index order, not hashed (store_init_by_index) */
    uint64_t counts[RS_MAX_NODES + 1]; /* keys per slot; [RS_MAX_NODES] = unassigned */
} store_t;

/* One embedding that changed owner in a rebalance. */
typedef struct store_move {
    uint32_t pos;       /* sorted position in the store */
    uint16_t from, to;  /* old and new owner slots (RING_NONE: none) */
} store_move_t;

/* Collects moves when a caller (the renderer) wants them; NULL skips. */
typedef struct store_moves {
    store_move_t *items;
    size_t count, cap;
    int failed;         /* set if growing the list ran out of memory */
} store_moves_t;

void store_init(store_t *st);
void store_free(store_t *st);
void store_moves_free(store_moves_t *m);

/* Threads used to hash keys (1 = single-threaded; 0 = all cores). */
void store_set_threads(unsigned threads);
unsigned store_threads(void);

/* An empty store that keeps keys in index order, without key hashes. */
void store_init_by_index(store_t *st);
/* Hashes and sorts a by_index store's keys, each keeping its owner (a
 * sorted store is left as it is). Returns 0, or -1 when out of memory (the
 * store is then unchanged). */
int store_sort_by_hash(store_t *st);

/* Grows or shrinks to n embeddings; new keys are hashed and placed on r
 * (by_index: appended unassigned). Shrinking drops the embeddings with the
 * highest indices. */
int store_resize(store_t *st, size_t n, const ring_t *r);

/* Fills an empty store with the keys of a sorted store (hashes, indices:
 * copied, not hashed again) placed on r: several simulations over the same
 * keys hash them once. Returns 0, or -1 when out of memory. */
int store_copy_keys(store_t *st, const store_t *from, const ring_t *r);

/* A store_resize that adds at least STORE_PROGRESS_MIN keys calls fn(ctx,
 * fraction) now and then (every few hundred thousand keys, fraction 0..1
 * of its work, ending with 1) on the calling thread, so a page whose only
 * thread is building can show how far it got. NULL (the default): none. */
#define STORE_PROGRESS_MIN (1u << 20)
void store_set_progress(void (*fn)(void *ctx, double fraction), void *ctx);

/* Recomputes every owner from r (a merge walk of keys and points). Returns
 * the number of keys whose owner changed. */
uint64_t store_assign_all(store_t *st, const ring_t *r, store_moves_t *moves);

/* Naive full remap: one ring lookup per key, as the reference does; the
 * baseline for benchmarks and the oracle for tests. Returns keys changed. */
uint64_t store_assign_naive(store_t *st, const ring_t *r, store_moves_t *moves);

/* Gives the keys in cyclic hash range [lo, hi] (lo == hi + 1: whole ring) to
 * owner `to`. Returns keys visited via *visited and keys changed. */
uint64_t store_assign_range(store_t *st, uint64_t lo, uint64_t hi, uint16_t to, store_moves_t *moves,
                            uint64_t *visited);

/* Gives the key at sorted position pos owner `to`, keeping counts (and
 * moves) up to date. Returns 1 if the owner changed, else 0. */
uint64_t store_set_owner(store_t *st, size_t pos, uint16_t to, store_moves_t *moves);

/* Gives keys lo..hi-1 the owners owner[lo..hi-1] (no moves list) and
 * records the change of every slot's count in delta (RS_MAX_NODES + 1
 * entries) instead of counts: threads may so re-place disjoint runs of one
 * store at once, then store_add_counts sums their deltas in. Returns the
 * keys that changed owner among those with embedding index < limit. */
uint64_t store_set_owners_run(store_t *st, size_t lo, size_t hi, const uint16_t *owner, int64_t *delta,
                              uint64_t limit);
void store_add_counts(store_t *st, const int64_t *delta);

/* Sorted position of the first key hash >= h (count if none). */
size_t store_lower_bound(const store_t *st, uint64_t h);

/* Fills hashes[i] = hash_key(first + i) for i < n, on all configured threads. */
void store_hash_keys(uint64_t first, size_t n, uint64_t *hashes);

#endif
