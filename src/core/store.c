#include "store.h"

#include "hash.h"
#include "hash_engine.h"
#include "par.h"

#include <stdlib.h>
#include <string.h>

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

/* New keys are sorted by an MSD radix sort that needs no comparison sort:
 * key hashes are uniform, so
 *   1. each thread hashes its share of the indices and counts them into
 *      2^bits buckets by their top bits;
 *   2. each thread hashes its share again and scatters it to the bucket
 *      offsets the counts give (thread order = index order, so equal hashes
 *      keep index order);
 *   3. each thread takes whole buckets (a few thousand keys: cache-sized),
 *      sorts each by one more counting pass over ~2 keys per sub-bucket plus
 *      an insertion sort, then walks its run of keys along the ring to find
 *      their owners.
 * Every phase is linear and runs on all cores; only the bucket counts are
 * combined in between. */
typedef struct sort_part {
    uint32_t *hist;          /* bucket counts of this part's keys, then its offsets */
    size_t bucket_lo, bucket_hi;  /* phase 3: the buckets this part sorts */
    uint64_t counts[RS_MAX_NODES + 1];  /* keys per owner slot in those buckets */
} sort_part_t;

typedef struct sort_job {
    uint64_t first;          /* index of the first new key */
    size_t m;                /* new keys */
    uint64_t *hash_out;      /* sorted hashes */
    uint32_t *index_out;     /* their indices */
    uint16_t *owner_out;     /* their owners on ring */
    const ring_t *ring;
    unsigned bits, shift;    /* buckets = 2^bits by hash >> shift */
    size_t *bucket_start;    /* 2^bits + 1 offsets into the sorted arrays */
    size_t max_bucket;       /* largest bucket: phase 3 scratch size */
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

/* Phase 0, 1 or 2 of sort_keys (count, scatter: both hash every key;
 * buckets: cheaper) has done `done` of its `total`; part 0 runs on the
 * calling thread and speaks for all. */
static void progress(const sort_job_t *job, unsigned part, int phase, size_t done, size_t total)
{
    static const double base[3] = {0.0, 0.45, 0.9}, span[3] = {0.45, 0.45, 0.1};
    if (progress_fn && part == 0 && job->m >= STORE_PROGRESS_MIN && total > 0)
        progress_fn(progress_ctx, base[phase] + span[phase] * (double)done / (double)total);
}
#define PROGRESS_EVERY 64u /* blocks (or buckets) between reports */

/* Keys are hashed in blocks this size into a small per-thread buffer, in
 * both phases: hashing twice costs less than an 8-byte scratch per key,
 * which would lift the peak while building from 14 to 22 bytes per
 * embedding. */
#define SORT_BLOCK 4096u

static void sort_phase_count(void *arg, unsigned part, unsigned parts)
{
    sort_job_t *job = arg;
    size_t lo, hi;
    part_range(job->m, part, parts, &lo, &hi);
    uint32_t *hist = job->parts[part].hist;
    uint64_t block[SORT_BLOCK];
    for (size_t b = lo; b < hi; b += SORT_BLOCK) {
        size_t n = hi - b < SORT_BLOCK ? hi - b : SORT_BLOCK;
        if ((b - lo) / SORT_BLOCK % PROGRESS_EVERY == 0)
            progress(job, part, 0, b - lo, hi - lo);
        hash_keys(job->first + b, n, block);
        for (size_t i = 0; i < n; i++)
            hist[block[i] >> job->shift]++;
    }
}

static void sort_phase_scatter(void *arg, unsigned part, unsigned parts)
{
    sort_job_t *job = arg;
    size_t lo, hi;
    part_range(job->m, part, parts, &lo, &hi);
    /* Locals, so the compiler need not reload them after every store. */
    uint64_t *hash_out = job->hash_out;
    uint32_t *index_out = job->index_out, *next = job->parts[part].hist;
    const unsigned shift = job->shift;
    const uint32_t first = (uint32_t)job->first;
    uint64_t block[SORT_BLOCK];
    for (size_t b = lo; b < hi; b += SORT_BLOCK) {
        size_t n = hi - b < SORT_BLOCK ? hi - b : SORT_BLOCK;
        if ((b - lo) / SORT_BLOCK % PROGRESS_EVERY == 0)
            progress(job, part, 1, b - lo, hi - lo);
        hash_keys(job->first + b, n, block);
        for (size_t i = 0; i < n; i++) {
            uint64_t h = block[i];
            uint32_t o = next[h >> shift]++;
            hash_out[o] = h;
            index_out[o] = first + (uint32_t)(b + i);
        }
    }
}

/* Sorts one bucket [lo, hi) of the output in place, through scratch. Its
 * keys share their top bits; the next ones spread them over ~n sub-buckets,
 * so the insertion sort mostly finds keys already in place (about one key
 * in four has to move, by a step or two). */
static void sort_bucket(sort_job_t *job, size_t lo, size_t hi, uint64_t *sh, uint32_t *si, uint32_t *sub)
{
    size_t n = hi - lo;
    if (n < 2)
        return;
    unsigned bits = 1;
    while (((size_t)1 << bits) < n)
        bits++;
    unsigned shift = job->shift - bits;
    uint64_t mask = ((uint64_t)1 << bits) - 1;
    size_t subs = (size_t)1 << bits;
    memset(sub, 0, (subs + 1) * sizeof *sub);
    uint64_t *hash = job->hash_out + lo;
    uint32_t *index = job->index_out + lo;
    for (size_t i = 0; i < n; i++)
        sub[((hash[i] >> shift) & mask) + 1]++;
    for (size_t b = 0; b < subs; b++)
        sub[b + 1] += sub[b];
    for (size_t i = 0; i < n; i++) {
        uint32_t o = sub[(hash[i] >> shift) & mask]++;
        sh[o] = hash[i];
        si[o] = index[i];
    }
    /* sub[b] is now the end of sub-bucket b. The insertion sort runs on the
     * whole scratch: items are already in sub-bucket order, so each one only
     * moves within its own short run (and equal hashes never pass). */
    for (size_t i = 1; i < n; i++) {
        uint64_t h = sh[i];
        uint32_t x = si[i];
        size_t j = i;
        while (j > 0 && sh[j - 1] > h) {
            sh[j] = sh[j - 1];
            si[j] = si[j - 1];
            j--;
        }
        sh[j] = h;
        si[j] = x;
    }
    memcpy(hash, sh, n * sizeof *hash);
    memcpy(index, si, n * sizeof *index);
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
    size_t cap = job->max_bucket;
    uint64_t *sh = malloc((cap + 1) * sizeof *sh);
    uint32_t *si = malloc((cap + 1) * sizeof *si);
    uint32_t *sub = malloc((2 * cap + 2) * sizeof *sub); /* sub-buckets: < 2n, plus one */
    if (!sh || !si || !sub) {
        job->failed = 1; /* each part writes only 1: no lost update matters */
    } else {
        for (size_t b = p->bucket_lo; b < p->bucket_hi; b++) {
            if ((b - p->bucket_lo) % PROGRESS_EVERY == 0)
                progress(job, part, 2, b - p->bucket_lo, p->bucket_hi - p->bucket_lo);
            sort_bucket(job, job->bucket_start[b], job->bucket_start[b + 1], sh, si, sub);
        }
        size_t lo = job->bucket_start[p->bucket_lo], hi = job->bucket_start[p->bucket_hi];
        memset(p->counts, 0, sizeof p->counts);
        walk_owners(job->hash_out + lo, job->owner_out + lo, hi - lo, job->ring, p->counts);
    }
    free(sh);
    free(si);
    free(sub);
}

/* Hashes keys first..first+m-1 and sorts them into hash_out/index_out with
 * their owners on r in owner_out; adds them to counts. Returns 0, or -1
 * when out of memory. */
static int sort_keys(uint64_t first, size_t m, uint64_t *hash_out, uint32_t *index_out, uint16_t *owner_out,
                     const ring_t *r, uint64_t *counts)
{
    unsigned parts = m < STORE_PAR_MIN ? 1 : par_threads();
    /* About 2^10 keys per bucket (so a bucket's sort stays in L1/L2), but at
     * most 2^11 buckets so the scatter's write streams stay in cache. */
    unsigned bits = 1;
    while (bits < 11 && ((size_t)1 << (bits + 10)) < m)
        bits++;
    size_t buckets = (size_t)1 << bits;
    sort_job_t job = {.first = first, .m = m, .hash_out = hash_out, .index_out = index_out,
                      .owner_out = owner_out, .ring = r, .bits = bits, .shift = 64 - bits};
    job.parts = calloc(parts, sizeof *job.parts);
    job.bucket_start = malloc((buckets + 1) * sizeof *job.bucket_start);
    int rc = -1;
    if (!job.parts || !job.bucket_start)
        goto done;
    for (unsigned p = 0; p < parts; p++)
        if (!(job.parts[p].hist = calloc(buckets, sizeof *job.parts[p].hist)))
            goto done;
    (void)hash_engine_get(); /* settle the engine choice before threads read it */
    par_run(parts, sort_phase_count, &job);
    /* Offsets: bucket by bucket, and within a bucket part by part. */
    size_t o = 0;
    for (size_t b = 0; b < buckets; b++) {
        job.bucket_start[b] = o;
        for (unsigned p = 0; p < parts; p++) {
            uint32_t c = job.parts[p].hist[b];
            job.parts[p].hist[b] = (uint32_t)o;
            o += c;
        }
        if (o - job.bucket_start[b] > job.max_bucket)
            job.max_bucket = o - job.bucket_start[b];
    }
    job.bucket_start[buckets] = o;
    par_run(parts, sort_phase_scatter, &job);
    /* Phase 3 shares: whole buckets, about m/parts keys each. */
    size_t b = 0;
    for (unsigned p = 0; p < parts; p++) {
        job.parts[p].bucket_lo = b;
        size_t goal = m / parts * (p + 1);
        while (b < buckets && (p + 1 == parts || job.bucket_start[b + 1] <= goal))
            b++;
        job.parts[p].bucket_hi = b;
    }
    par_run(parts, sort_phase_buckets, &job);
    if (job.failed)
        goto done;
    for (unsigned p = 0; p < parts; p++)
        for (size_t s = 0; s <= RS_MAX_NODES; s++)
            counts[s] += job.parts[p].counts[s];
    if (progress_fn && m >= STORE_PROGRESS_MIN)
        progress_fn(progress_ctx, 1.0);
    rc = 0;
done:
    if (job.parts)
        for (unsigned p = 0; p < parts; p++)
            free(job.parts[p].hist);
    free(job.parts);
    free(job.bucket_start);
    return rc;
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
    uint64_t *hash_new = NULL;
    uint32_t *index_new = NULL;
    uint16_t *owner_new = NULL;
    int rc = -1;
    if (store_reserve(st, n) != 0)
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

uint64_t store_set_owner(store_t *st, size_t pos, uint16_t to, store_moves_t *moves)
{
    return set_owner(st, pos, to, moves);
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
