#include "store.h"

#include "hash.h"

#include <stdlib.h>
#include <string.h>

#if defined(RINGSCOPE_THREADS) && !defined(__EMSCRIPTEN__)
#include <pthread.h>
#include <unistd.h>
#define STORE_HAVE_THREADS 1
#endif

static unsigned store_thread_setting = 0;

void store_set_threads(unsigned threads) { store_thread_setting = threads; }

unsigned store_threads(void)
{
#ifdef STORE_HAVE_THREADS
    if (store_thread_setting)
        return store_thread_setting;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)(n > 64 ? 64 : n) : 1;
#else
    return 1;
#endif
}

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

/* ---- hashing keys, on all cores where there are threads ---------------- */

typedef struct hash_job {
    uint64_t first;
    size_t n;
    uint64_t *out;
} hash_job_t;

static void hash_range(const hash_job_t *job)
{
    for (size_t i = 0; i < job->n; i++)
        job->out[i] = hash_key(job->first + i);
}

#ifdef STORE_HAVE_THREADS
static void *hash_thread(void *arg)
{
    hash_range(arg);
    return NULL;
}
#endif

void store_hash_keys(uint64_t first, size_t n, uint64_t *hashes)
{
    unsigned threads = store_threads();
    if (n < 20000)
        threads = 1;
#ifdef STORE_HAVE_THREADS
    if (threads > 1) {
        pthread_t tid[64];
        hash_job_t jobs[64];
        unsigned started = 0;
        size_t per = (n + threads - 1) / threads;
        for (unsigned t = 0; t < threads; t++) {
            size_t lo = (size_t)t * per, hi = lo + per < n ? lo + per : n;
            jobs[t] = (hash_job_t){first + lo, lo < hi ? hi - lo : 0, hashes + lo};
        }
        /* Thread 0's share runs on this thread; a failed spawn runs inline. */
        for (unsigned t = 1; t < threads; t++) {
            if (pthread_create(&tid[t], NULL, hash_thread, &jobs[t]) == 0)
                started |= 1u << t;
            else
                hash_range(&jobs[t]);
        }
        hash_range(&jobs[0]);
        for (unsigned t = 1; t < threads; t++)
            if (started & (1u << t))
                pthread_join(tid[t], NULL);
        return;
    }
#endif
    hash_job_t job = {first, n, hashes};
    hash_range(&job);
}

/* ---- sorting new keys --------------------------------------------------- */

/* Sorts m keys (hashes of indices first..first+m-1) into hash_out/index_out.
 * Key hashes are uniform, so one scatter by top bits into ~m/2 buckets plus
 * an insertion sort of each tiny bucket is a linear-time sort. Ties keep
 * index order (the scatter visits indices in order, the insertion is stable). */
static int sort_keys(const uint64_t *hashes, uint64_t first, size_t m, uint64_t *hash_out,
                     uint32_t *index_out)
{
    unsigned bits = 1;
    while (bits < 27 && ((size_t)1 << bits) < m / 2)
        bits++;
    size_t buckets = (size_t)1 << bits;
    unsigned shift = 64 - bits;
    uint32_t *start = calloc(buckets + 1, sizeof *start);
    if (!start)
        return -1;
    for (size_t i = 0; i < m; i++)
        start[(hashes[i] >> shift) + 1]++;
    for (size_t b = 0; b < buckets; b++)
        start[b + 1] += start[b];
    for (size_t i = 0; i < m; i++) {
        uint32_t o = start[hashes[i] >> shift]++;
        hash_out[o] = hashes[i];
        index_out[o] = (uint32_t)(first + i);
    }
    /* start[b] now holds the end of bucket b, i.e. the start of bucket b+1. */
    size_t lo = 0;
    for (size_t b = 0; b < buckets; b++) {
        size_t hi = start[b];
        for (size_t i = lo + 1; i < hi; i++) {
            uint64_t h = hash_out[i];
            uint32_t x = index_out[i];
            size_t j = i;
            while (j > lo && hash_out[j - 1] > h) {
                hash_out[j] = hash_out[j - 1];
                index_out[j] = index_out[j - 1];
                j--;
            }
            hash_out[j] = h;
            index_out[j] = x;
        }
        lo = hi;
    }
    free(start);
    return 0;
}

/* Owners of n sorted key hashes by one walk along the sorted ring points. */
static void walk_owners(const uint64_t *hash, uint16_t *owner, size_t n, const ring_t *r)
{
    if (r->count == 0) {
        for (size_t i = 0; i < n; i++)
            owner[i] = RING_NONE;
        return;
    }
    uint32_t j = n ? ring_lookup(r, hash[0]) : 0;
    if (n && r->pos[j] < hash[0])
        j = r->count; /* hash[0] lies past the last point: it wrapped */
    for (size_t i = 0; i < n; i++) {
        while (j < r->count && r->pos[j] < hash[i])
            j++;
        owner[i] = r->node[j == r->count ? 0 : j];
    }
}

static int store_reserve(store_t *st, size_t n)
{
    if (n <= st->cap)
        return 0;
    uint64_t *hash = realloc(st->hash, n * sizeof *hash);
    if (!hash)
        return -1;
    st->hash = hash;
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
    uint64_t *hashes = malloc(m * sizeof *hashes);
    uint64_t *hash_new = NULL;
    uint32_t *index_new = NULL;
    uint16_t *owner_new = NULL;
    int rc = -1;
    if (!hashes || store_reserve(st, n) != 0)
        goto done;
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
    store_hash_keys(old, m, hashes);
    if (sort_keys(hashes, old, m, hash_new, index_new) != 0)
        goto done;
    walk_owners(hash_new, owner_new, m, r);
    for (size_t i = 0; i < m; i++)
        st->counts[count_slot(owner_new[i])]++;
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
    free(hashes);
    if (old > 0) {
        free(hash_new);
        free(index_new);
        free(owner_new);
    }
    return rc;
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

uint64_t store_assign_all(store_t *st, const ring_t *r, store_moves_t *moves)
{
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
    uint64_t changed = 0;
    for (size_t i = 0; i < st->count; i++) {
        uint16_t to = r->count ? r->node[ring_lookup_bsearch(r, st->hash[i])] : (uint16_t)RING_NONE;
        changed += set_owner(st, i, to, moves);
    }
    return changed;
}

size_t store_lower_bound(const store_t *st, uint64_t h)
{
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
