#define _DEFAULT_SOURCE /* madvise */

#include "store.h"

#include "hash.h"
#include "hash_engine.h"
#include "par.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

void store_set_threads(unsigned threads) { par_set_threads(threads); }

unsigned store_threads(void) { return par_threads(); }

static inline size_t count_slot(uint16_t owner) { return owner == RING_NONE ? RS_MAX_NODES : owner; }

void store_init(store_t *st) { memset(st, 0, sizeof *st); }

void store_free(store_t *st)
{
    free(st->hash);
    free(st->index);
    free(st->owner);
    memset(st, 0, sizeof *st);
}

void store_moves_free(store_moves_t *m)
{
    free(m->items);
    memset(m, 0, sizeof *m);
}

static void moves_push(store_moves_t *m, uint32_t pos, uint16_t from, uint16_t to)
{
    if (!m || m->failed)
        return;
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        store_move_t *items = realloc(m->items, cap * sizeof *items);
        if (!items) {
            m->failed = 1;
            return;
        }
        m->items = items;
        m->cap = cap;
    }
    m->items[m->count++] = (store_move_t){pos, from, to};
}

/* ---- hashing, sorting and placing new keys, on all cores ---------------- */

/* Below this many keys one thread is quicker than starting others. */
#define STORE_PAR_MIN 20000u

typedef struct hash_job {
    uint64_t first;
    size_t n;
    uint64_t *out;
} hash_job_t;

static void part_range(size_t n, unsigned part, unsigned parts, size_t *lo, size_t *hi)
{
    *lo = n / parts * part + (part < n % parts ? part : n % parts);
    *hi = *lo + n / parts + (part < n % parts ? 1 : 0);
}

static void hash_part(void *arg, unsigned part, unsigned parts)
{
    const hash_job_t *job = arg;
    size_t lo, hi;
    part_range(job->n, part, parts, &lo, &hi);
    hash_keys(job->first + lo, hi - lo, job->out + lo);
}

void store_hash_keys(uint64_t first, size_t n, uint64_t *hashes)
{
    (void)hash_engine_get(); /* settle the engine choice before threads read it */
    hash_job_t job = {first, n, hashes};
    par_run(n < STORE_PAR_MIN ? 1 : par_threads(), hash_part, &job);
}

/* New keys are sorted by an in-place MSD radix sort that hashes every key
 * once and needs no room beyond the store's own arrays:
 *   1. each thread hashes its share of the indices straight into its share
 *      of the hash array, with the index beside it: keys in the lower half
 *      of the ring from the left end, the others from the right; it counts
 *      them by their top 8 bits. One block swap then gathers every share's
 *      lower half in front;
 *   2. each half of the ring, on a thread of its own, is moved in place
 *      into its 128 buckets (an American-flag sort: each bucket's next free
 *      place takes the keys that belong there, swapping out the ones that
 *      do not; every key moves at most once; each bucket's next places are
 *      prefetched, as 128 streams are more than the hardware follows);
 *   3. each thread takes whole buckets and sorts each the same way, 8 bits
 *      at a time, down to runs of SORT_SMALL keys (a cache-sized scratch),
 *      which one counting pass and an insertion sort finish (by hash, then
 *      index); then it walks its run of keys along the ring to find their
 *      owners.
 * Hashing into an 8-byte scratch per key would lift the peak while building
 * from 14 to 22 bytes per embedding; hashing twice (once to count, once to
 * scatter) costs far more than the permutation. */
#define SORT_RADIX_BITS 8u
#define SORT_RADIX (1u << SORT_RADIX_BITS)
/* Runs this long or shorter are finished through the scratch; a test
 * build sets it small, so every path of the sort runs on small stores. */
#ifndef STORE_SORT_SMALL
#define STORE_SORT_SMALL 65536u
#endif
#define SORT_SMALL STORE_SORT_SMALL
#define SORT_AHEAD 32u     /* keys ahead to prefetch in a bucket's stream */

/* A thread's scratch for the runs of at most SORT_SMALL keys (1.3 MB, of
 * which a run touches only its own size). */
typedef struct sort_scratch {
    uint64_t hash[SORT_SMALL];
    uint32_t index[SORT_SMALL];
    uint32_t sub[2 * SORT_SMALL + 2]; /* sub-buckets: < 2n, plus one */
} sort_scratch_t;

typedef struct sort_part {
    uint32_t hist[SORT_RADIX];   /* this part's keys by their top bits */
    size_t bucket_lo, bucket_hi; /* phase 3: the buckets this part sorts */
    uint64_t counts[RS_MAX_NODES + 1]; /* keys per owner slot in those buckets */
} sort_part_t;

typedef struct sort_job {
    uint64_t first;          /* index of the first new key */
    size_t m;                /* new keys */
    uint64_t *hash_out;      /* sorted hashes */
    uint32_t *index_out;     /* their indices */
    uint16_t *owner_out;     /* their owners on ring */
    const ring_t *ring;
    size_t bucket_start[SORT_RADIX + 1]; /* phase 2's buckets in the sorted arrays */
    sort_part_t *parts;
    int failed;              /* phase 3 could not allocate its scratch */
} sort_job_t;

static void (*progress_fn)(void *ctx, double fraction);
static void *progress_ctx;

void store_set_progress(void (*fn)(void *ctx, double fraction), void *ctx)
{
    progress_fn = fn;
    progress_ctx = ctx;
}

/* Phase 0, 1 or 2 of sort_keys (hash: most of the work; halves; buckets)
 * has done `done` of its `total`; part 0 runs on the calling thread and
 * speaks for all. */
static void progress(const sort_job_t *job, unsigned part, int phase, size_t done, size_t total)
{
    static const double base[3] = {0.0, 0.7, 0.8}, span[3] = {0.7, 0.1, 0.2};
    if (progress_fn && part == 0 && job->m >= STORE_PROGRESS_MIN && total > 0)
        progress_fn(progress_ctx, base[phase] + span[phase] * (double)done / (double)total);
}
#define PROGRESS_EVERY 256u /* hash blocks (or buckets: every 1) between reports */

/* Phase 1: part p hashes its share of the indices, a block at a time, and
 * puts each key into its own share of the arrays: keys whose top bit is 0
 * from the left end, the others from the right, so the share comes out
 * split in two halves of the ring at no cost. */
#define SORT_HASH_BLOCK 512u

/* Faults in the pages of [p, p + bytes) in one call (Linux 5.14+), which
 * costs far less than a trap per page on first touch; advice only. */
static void prefault(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    const uintptr_t page = 4096;
    uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1), hi = ((uintptr_t)p + bytes) & ~(page - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#else
    (void)p, (void)bytes;
#endif
}

static void sort_phase_hash(void *arg, unsigned part, unsigned parts)
{
    sort_job_t *job = arg;
    size_t lo, hi;
    part_range(job->m, part, parts, &lo, &hi);
    prefault(job->hash_out + lo, (hi - lo) * sizeof *job->hash_out);
    prefault(job->index_out + lo, (hi - lo) * sizeof *job->index_out);
    uint32_t *hist = job->parts[part].hist;
    uint64_t *hash = job->hash_out;
    uint32_t *index = job->index_out;
    size_t left = lo, right = hi;
    uint64_t block[SORT_HASH_BLOCK];
    for (size_t b = lo; b < hi; b += SORT_HASH_BLOCK) {
        size_t n = hi - b < SORT_HASH_BLOCK ? hi - b : SORT_HASH_BLOCK;
        if ((b - lo) / SORT_HASH_BLOCK % PROGRESS_EVERY == 0)
            progress(job, part, 0, b - lo, hi - lo);
        hash_keys(job->first + b, n, block);
        for (size_t i = 0; i < n; i++) {
            /* Without a branch: the top bit is a coin toss. */
            uint64_t h = block[i];
            size_t up = (size_t)(h >> 63), mask = (size_t)0 - up;
            right -= up;
            size_t at = (right & mask) | (left & ~mask);
            left += up ^ 1;
            hash[at] = h;
            index[at] = (uint32_t)(job->first + b + i);
            hist[h >> (64 - SORT_RADIX_BITS)]++;
        }
    }
}

/* Swaps the n pairs at a with the n pairs at b (disjoint). */
static void swap_runs(uint64_t *hash, uint32_t *index, size_t a, size_t b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t h = hash[a + i];
        uint32_t x = index[a + i];
        hash[a + i] = hash[b + i];
        index[a + i] = index[b + i];
        hash[b + i] = h;
        index[b + i] = x;
    }
}

/* Turns the adjacent runs [lo, mid) [mid, hi) into [mid, hi) [lo, mid) by
 * block swaps (Gries and Mills): each swap puts the shorter run in its
 * place; the two runs of a split are about as long, so this is little
 * more than one swap of each pair. */
static void sort_rotate(uint64_t *hash, uint32_t *index, size_t lo, size_t mid, size_t hi)
{
    while (lo < mid && mid < hi) {
        size_t a = mid - lo, b = hi - mid;
        if (a <= b) { /* X Y1 Y2 with |Y2| = |X|: -> Y2 Y1 X, then rotate Y2 Y1 */
            swap_runs(hash, index, lo, hi - a, a);
            hi -= a;
        } else { /* X1 X2 Y with |X1| = |Y|: -> Y X2 X1, then rotate X2 X1 */
            swap_runs(hash, index, lo, mid, b);
            lo += b;
        }
    }
}

/* Moves the (hash, index) pairs of buckets [b_lo, b_hi) in place into
 * those buckets by the bits [shift, shift + 8) of their hash; start[]
 * holds the bounds of every bucket (from the counts), and the pairs in
 * [start[b_lo], start[b_hi]) belong to those buckets only. */
static void sort_flag(uint64_t *hash, uint32_t *index, unsigned shift, const size_t *start, size_t b_lo,
                      size_t b_hi)
{
    size_t next[SORT_RADIX];
    memcpy(next, start, sizeof next);
    for (size_t b = b_lo; b < b_hi; b++) {
        const size_t end = start[b + 1];
        /* Places before next[b] hold keys of bucket b; fill the rest. */
        while (next[b] < end) {
            uint64_t h = hash[next[b]];
            uint32_t x = index[next[b]];
            size_t hb = (h >> shift) & (SORT_RADIX - 1);
            /* Carry the key to its bucket, taking out whatever sits in
             * that bucket's next place, until one belongs here. */
            while (hb != b) {
                size_t at = next[hb]++;
                /* Fetch a few lines ahead in this bucket's stream. */
                if (at + SORT_AHEAD < start[hb + 1]) {
                    __builtin_prefetch(hash + at + SORT_AHEAD, 1);
                    __builtin_prefetch(index + at + SORT_AHEAD, 1);
                }
                uint64_t h2 = hash[at];
                uint32_t x2 = index[at];
                hash[at] = h;
                index[at] = x;
                h = h2;
                x = x2;
                hb = (h >> shift) & (SORT_RADIX - 1);
            }
            hash[next[b]] = h;
            index[next[b]] = x;
            next[b]++;
        }
    }
}

/* Phase 2, on two threads: the half of the ring each took. */
static void sort_phase_halves(void *arg, unsigned part, unsigned parts)
{
    sort_job_t *job = arg;
    progress(job, part, 1, 0, 1);
    for (unsigned half = part; half < 2; half += parts)
        sort_flag(job->hash_out, job->index_out, 64 - SORT_RADIX_BITS, job->bucket_start, half * SORT_RADIX / 2,
                  (half + 1) * SORT_RADIX / 2);
}

/* Orders a run by hash, then index: insertion sort, for runs that are
 * nearly sorted already (and for the rare run whose hashes share every
 * bit the radix passes look at). */
static void sort_insertion(uint64_t *hash, uint32_t *index, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t h = hash[i];
        uint32_t x = index[i];
        size_t j = i;
        while (j > 0 && (hash[j - 1] > h || (hash[j - 1] == h && index[j - 1] > x))) {
            hash[j] = hash[j - 1];
            index[j] = index[j - 1];
            j--;
        }
        hash[j] = h;
        index[j] = x;
    }
}

/* Sorts a run of n <= SORT_SMALL keys whose hashes agree above bit shift:
 * one counting pass over ~2 keys per sub-bucket into the scratch, where
 * the insertion sort mostly finds keys already in place. */
static void sort_small(uint64_t *hash, uint32_t *index, size_t n, unsigned shift, sort_scratch_t *sc)
{
    if (n < 2)
        return;
    unsigned bits = 1;
    while (((size_t)1 << bits) < n)
        bits++;
    if (bits > shift)
        bits = shift;
    if (bits == 0) {
        sort_insertion(hash, index, n);
        return;
    }
    unsigned low = shift - bits;
    uint64_t mask = ((uint64_t)1 << bits) - 1;
    size_t subs = (size_t)1 << bits;
    uint32_t *sub = sc->sub;
    memset(sub, 0, (subs + 1) * sizeof *sub);
    for (size_t i = 0; i < n; i++)
        sub[((hash[i] >> low) & mask) + 1]++;
    for (size_t b = 0; b < subs; b++)
        sub[b + 1] += sub[b];
    for (size_t i = 0; i < n; i++) {
        uint32_t o = sub[(hash[i] >> low) & mask]++;
        sc->hash[o] = hash[i];
        sc->index[o] = index[i];
    }
    sort_insertion(sc->hash, sc->index, n);
    memcpy(hash, sc->hash, n * sizeof *hash);
    memcpy(index, sc->index, n * sizeof *index);
}

/* Sorts a run of n keys whose hashes agree above bit shift, 8 bits at a
 * time, in place. */
static void sort_run(uint64_t *hash, uint32_t *index, size_t n, unsigned shift, sort_scratch_t *sc)
{
    if (n <= SORT_SMALL) {
        sort_small(hash, index, n, shift, sc);
        return;
    }
    if (shift < SORT_RADIX_BITS) {
        sort_insertion(hash, index, n); /* thousands of keys sharing 56+ bits: not from SHA-256 */
        return;
    }
    shift -= SORT_RADIX_BITS;
    size_t start[SORT_RADIX + 1] = {0};
    for (size_t i = 0; i < n; i++)
        start[((hash[i] >> shift) & (SORT_RADIX - 1)) + 1]++;
    for (size_t b = 0; b < SORT_RADIX; b++)
        start[b + 1] += start[b];
    sort_flag(hash, index, shift, start, 0, SORT_RADIX);
    for (size_t b = 0; b < SORT_RADIX; b++)
        sort_run(hash + start[b], index + start[b], start[b + 1] - start[b], shift, sc);
}

/* Owners of n sorted key hashes by one walk along the sorted ring points:
 * each point ends a run of keys with one owner, so owners are written and
 * counted (into counts) a run at a time. */
static void walk_owners(const uint64_t *hash, uint16_t *owner, size_t n, const ring_t *r, uint64_t *counts)
{
    if (r->count == 0) {
        for (size_t i = 0; i < n; i++)
            owner[i] = RING_NONE;
        counts[count_slot(RING_NONE)] += n;
        return;
    }
    uint32_t j = n ? ring_lookup(r, hash[0]) : 0;
    if (n && r->pos[j] < hash[0])
        j = r->count; /* hash[0] lies past the last point: it wrapped */
    size_t i = 0;
    while (i < n) {
        while (j < r->count && r->pos[j] < hash[i])
            j++;
        /* Keys up to pos[j] belong to node[j]; past the last point they wrap
         * to the first point's node. */
        uint16_t o = r->node[j == r->count ? 0 : j];
        uint64_t end = j == r->count ? UINT64_MAX : r->pos[j];
        size_t start = i;
        while (i < n && hash[i] <= end)
            owner[i++] = o;
        counts[count_slot(o)] += i - start;
    }
}

static void sort_phase_buckets(void *arg, unsigned part, unsigned parts)
{
    (void)parts;
    sort_job_t *job = arg;
    sort_part_t *p = &job->parts[part];
    sort_scratch_t *sc = malloc(sizeof *sc);
    if (!sc) {
        job->failed = 1; /* each part writes only 1: no lost update matters */
        return;
    }
    for (size_t b = p->bucket_lo; b < p->bucket_hi; b++) {
        progress(job, part, 2, b - p->bucket_lo, p->bucket_hi - p->bucket_lo);
        size_t lo = job->bucket_start[b], hi = job->bucket_start[b + 1];
        sort_run(job->hash_out + lo, job->index_out + lo, hi - lo, 64 - SORT_RADIX_BITS, sc);
    }
    size_t lo = job->bucket_start[p->bucket_lo], hi = job->bucket_start[p->bucket_hi];
    memset(p->counts, 0, sizeof p->counts);
    if (job->owner_out)
        walk_owners(job->hash_out + lo, job->owner_out + lo, hi - lo, job->ring, p->counts);
    free(sc);
}

/* Hashes keys first..first+m-1 and sorts them into hash_out/index_out with
 * their owners on r in owner_out, added to counts (owner_out NULL: no
 * owners, counts untouched). Returns 0, or -1 when out of memory. */
static int sort_keys(uint64_t first, size_t m, uint64_t *hash_out, uint32_t *index_out, uint16_t *owner_out,
                     const ring_t *r, uint64_t *counts)
{
    unsigned parts = m < STORE_PAR_MIN ? 1 : par_threads();
    sort_job_t *job = calloc(1, sizeof *job);
    if (!job)
        return -1;
    *job = (sort_job_t){.first = first, .m = m, .hash_out = hash_out, .index_out = index_out,
                        .owner_out = owner_out, .ring = r};
    job->parts = calloc(parts, sizeof *job->parts);
    int rc = -1;
    if (!job->parts)
        goto done;
    (void)hash_engine_get(); /* settle the engine choice before threads read it */
    par_run(parts, sort_phase_hash, job);
    for (size_t b = 0; b < SORT_RADIX; b++) {
        job->bucket_start[b + 1] = job->bucket_start[b];
        for (unsigned p = 0; p < parts; p++)
            job->bucket_start[b + 1] += job->parts[p].hist[b];
    }
    /* Each part's share is [its lower-half keys | its upper-half keys]:
     * gather the lower halves in front, one part after another. */
    size_t zeros = 0; /* lower-half keys gathered so far, at the front */
    for (unsigned p = 0; p < parts; p++) {
        size_t lo, hi, z = 0;
        part_range(m, p, parts, &lo, &hi);
        for (size_t b = 0; b < SORT_RADIX / 2; b++)
            z += job->parts[p].hist[b];
        sort_rotate(hash_out, index_out, zeros, lo, lo + z);
        zeros += z;
    }
    par_run(parts < 2 ? 1 : 2, sort_phase_halves, job);
    /* Phase 3 shares: whole buckets, about m/parts keys each. */
    size_t b = 0;
    for (unsigned p = 0; p < parts; p++) {
        job->parts[p].bucket_lo = b;
        size_t goal = m / parts * (p + 1);
        while (b < SORT_RADIX && (p + 1 == parts || job->bucket_start[b + 1] <= goal))
            b++;
        job->parts[p].bucket_hi = b;
    }
    par_run(parts, sort_phase_buckets, job);
    if (job->failed)
        goto done;
    for (unsigned p = 0; p < parts && owner_out; p++)
        for (size_t slot = 0; slot <= RS_MAX_NODES; slot++)
            counts[slot] += job->parts[p].counts[slot];
    if (progress_fn && m >= STORE_PROGRESS_MIN)
        progress_fn(progress_ctx, 1.0);
    rc = 0;
done:
    free(job->parts);
    free(job);
    return rc;
}

static int store_reserve(store_t *st, size_t n)
{
    if (n <= st->cap)
        return 0;
    if (!st->by_index) {
        uint64_t *hash = realloc(st->hash, n * sizeof *hash);
        if (!hash)
            return -1;
        st->hash = hash;
    }
    uint32_t *index = realloc(st->index, n * sizeof *index);
    if (!index)
        return -1;
    st->index = index;
    uint16_t *owner = realloc(st->owner, n * sizeof *owner);
    if (!owner)
        return -1;
    st->owner = owner;
    st->cap = n;
    return 0;
}

static void store_shrink(store_t *st, size_t n)
{
    if (st->by_index) {
        for (size_t i = n; i < st->count; i++)
            st->counts[count_slot(st->owner[i])]--;
        st->count = n;
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < st->count; i++) {
        if (st->index[i] >= n) {
            st->counts[count_slot(st->owner[i])]--;
            continue;
        }
        st->hash[o] = st->hash[i];
        st->index[o] = st->index[i];
        st->owner[o] = st->owner[i];
        o++;
    }
    st->count = o;
}

int store_resize(store_t *st, size_t n, const ring_t *r)
{
    if (n <= st->count) {
        store_shrink(st, n);
        return 0;
    }
    size_t old = st->count, m = n - old;
    uint64_t *hash_new = NULL;
    uint32_t *index_new = NULL;
    uint16_t *owner_new = NULL;
    int rc = -1;
    if (store_reserve(st, n) != 0)
        goto done;
    if (st->by_index) {
        for (size_t i = old; i < n; i++) {
            st->index[i] = (uint32_t)i;
            st->owner[i] = RING_NONE;
        }
        st->counts[count_slot(RING_NONE)] += m;
        st->count = n;
        return 0;
    }
    if (old == 0) {
        /* First fill: sort straight into the store's own arrays. */
        hash_new = st->hash;
        index_new = st->index;
        owner_new = st->owner;
    } else {
        hash_new = malloc(m * sizeof *hash_new);
        index_new = malloc(m * sizeof *index_new);
        owner_new = malloc(m * sizeof *owner_new);
        if (!hash_new || !index_new || !owner_new)
            goto done;
    }
    if (sort_keys(old, m, hash_new, index_new, owner_new, r, st->counts) != 0)
        goto done;
    if (old > 0) {
        /* Merge from the back; equal hashes keep the lower index first. */
        size_t i = old, j = m, o = n;
        while (j > 0) {
            if (i > 0 && st->hash[i - 1] > hash_new[j - 1]) {
                i--, o--;
                st->hash[o] = st->hash[i];
                st->index[o] = st->index[i];
                st->owner[o] = st->owner[i];
            } else {
                j--, o--;
                st->hash[o] = hash_new[j];
                st->index[o] = index_new[j];
                st->owner[o] = owner_new[j];
            }
        }
    }
    st->count = n;
    rc = 0;
done:
    if (old > 0) {
        free(hash_new);
        free(index_new);
        free(owner_new);
    }
    return rc;
}

void store_init_by_index(store_t *st)
{
    store_init(st);
    st->by_index = 1;
}

int store_sort_by_hash(store_t *st)
{
    if (!st->by_index)
        return 0;
    size_t n = st->count, cap = st->cap ? st->cap : 1;
    uint64_t *hash = malloc(cap * sizeof *hash);
    uint16_t *owner = malloc(cap * sizeof *owner);
    if (!hash || !owner || sort_keys(0, n, hash, st->index, NULL, NULL, NULL) != 0) {
        for (size_t i = 0; i < n; i++) /* a failed sort may have moved some */
            st->index[i] = (uint32_t)i;
        free(hash);
        free(owner);
        return -1;
    }
    /* Owners were by index: each key keeps its own. */
    for (size_t i = 0; i < n; i++)
        owner[i] = st->owner[st->index[i]];
    free(st->owner);
    st->owner = owner;
    st->hash = hash;
    st->by_index = 0;
    return 0;
}

typedef struct walk_job {
    store_t *st;
    const ring_t *ring;
    uint64_t (*counts)[RS_MAX_NODES + 1]; /* per part */
} walk_job_t;

static void walk_part(void *arg, unsigned part, unsigned parts)
{
    walk_job_t *job = arg;
    size_t lo, hi;
    part_range(job->st->count, part, parts, &lo, &hi);
    memset(job->counts[part], 0, sizeof job->counts[part]);
    walk_owners(job->st->hash + lo, job->st->owner + lo, hi - lo, job->ring, job->counts[part]);
}

int store_copy_keys(store_t *st, const store_t *from, const ring_t *r)
{
    assert(st->count == 0 && !st->by_index && !from->by_index);
    size_t n = from->count;
    unsigned parts = n < STORE_PAR_MIN ? 1 : par_threads();
    walk_job_t job = {st, r, calloc(parts, sizeof *job.counts)};
    if (!job.counts || store_reserve(st, n ? n : 1) != 0) {
        free(job.counts);
        return -1;
    }
    memcpy(st->hash, from->hash, n * sizeof *st->hash);
    memcpy(st->index, from->index, n * sizeof *st->index);
    st->count = n;
    par_run(parts, walk_part, &job);
    for (unsigned p = 0; p < parts; p++)
        for (size_t slot = 0; slot <= RS_MAX_NODES; slot++)
            st->counts[slot] += job.counts[p][slot];
    free(job.counts);
    return 0;
}

static inline uint64_t set_owner(store_t *st, size_t i, uint16_t to, store_moves_t *moves)
{
    uint16_t from = st->owner[i];
    if (from == to)
        return 0;
    st->owner[i] = to;
    st->counts[count_slot(from)]--;
    st->counts[count_slot(to)]++;
    moves_push(moves, (uint32_t)i, from, to);
    return 1;
}

uint64_t store_set_owners_run(store_t *st, size_t lo, size_t hi, const uint16_t *owner, int64_t *delta,
                              uint64_t limit)
{
    uint64_t moved = 0;
    for (size_t i = lo; i < hi; i++) {
        uint16_t from = st->owner[i], to = owner[i];
        if (from == to)
            continue;
        st->owner[i] = to;
        delta[count_slot(from)]--;
        delta[count_slot(to)]++;
        moved += st->index[i] < limit;
    }
    return moved;
}

void store_add_counts(store_t *st, const int64_t *delta)
{
    for (size_t slot = 0; slot <= RS_MAX_NODES; slot++)
        st->counts[slot] += (uint64_t)delta[slot];
}

uint64_t store_set_owner(store_t *st, size_t pos, uint16_t to, store_moves_t *moves)
{
    return set_owner(st, pos, to, moves);
}

uint64_t store_assign_all(store_t *st, const ring_t *r, store_moves_t *moves)
{
    assert(!st->by_index);
    uint64_t changed = 0;
    if (r->count == 0) {
        for (size_t i = 0; i < st->count; i++)
            changed += set_owner(st, i, RING_NONE, moves);
        return changed;
    }
    uint32_t j = 0;
    for (size_t i = 0; i < st->count; i++) {
        while (j < r->count && r->pos[j] < st->hash[i])
            j++;
        changed += set_owner(st, i, r->node[j == r->count ? 0 : j], moves);
    }
    return changed;
}

uint64_t store_assign_naive(store_t *st, const ring_t *r, store_moves_t *moves)
{
    assert(!st->by_index);
    uint64_t changed = 0;
    for (size_t i = 0; i < st->count; i++) {
        uint16_t to = r->count ? r->node[ring_lookup_bsearch(r, st->hash[i])] : (uint16_t)RING_NONE;
        changed += set_owner(st, i, to, moves);
    }
    return changed;
}

size_t store_lower_bound(const store_t *st, uint64_t h)
{
    assert(!st->by_index);
    size_t lo = 0, hi = st->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->hash[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static uint64_t assign_run(store_t *st, size_t from, size_t to_pos, uint16_t owner, store_moves_t *moves)
{
    uint64_t changed = 0;
    for (size_t i = from; i < to_pos; i++)
        changed += set_owner(st, i, owner, moves);
    return changed;
}

uint64_t store_assign_range(store_t *st, uint64_t lo, uint64_t hi, uint16_t to, store_moves_t *moves,
                            uint64_t *visited)
{
    size_t a = store_lower_bound(st, lo);
    size_t b = hi == UINT64_MAX ? st->count : store_lower_bound(st, hi + 1);
    if (lo <= hi) {
        if (visited)
            *visited += b - a;
        return assign_run(st, a, b, to, moves);
    }
    /* Wraps past the top: [lo, max] and [0, hi]. */
    if (visited)
        *visited += (st->count - a) + b;
    return assign_run(st, a, st->count, to, moves) + assign_run(st, 0, b, to, moves);
}
