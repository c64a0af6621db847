#include "ring.h"

#include "hash.h"
#include "par.h"
#include "rs_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tests narrow point hashes with this mask to force collisions and exercise
 * re-salting; it is all ones otherwise. */
static uint64_t ring_point_mask = ~(uint64_t)0;

void ring_debug_set_point_mask(uint64_t mask) { ring_point_mask = mask; }

/* "node:ID#vnode:" once per node; the vnode number and salt are appended
 * by hand: placement hashes every point of every node, and snprintf would
 * cost more than the hash. */
typedef struct point_text {
    char buf[NODEID_MAX + 64];
    size_t head;
} point_text_t;

static void point_text_init(point_text_t *t, const char *id, size_t id_len)
{
    memcpy(t->buf, "node:", 5);
    memcpy(t->buf + 5, id, id_len);
    memcpy(t->buf + 5 + id_len, "#vnode:", 7);
    t->head = 5 + id_len + 7;
}

static size_t put_uint(char *out, uint32_t v)
{
    char digits[10];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    for (size_t i = 0; i < n; i++)
        out[i] = digits[n - 1 - i];
    return n;
}

static uint64_t point_text_hash(point_text_t *t, uint32_t v, uint32_t salt)
{
    size_t n = t->head + put_uint(t->buf + t->head, v);
    if (salt) {
        memcpy(t->buf + n, "#salt:", 6);
        n += 6;
        n += put_uint(t->buf + n, salt);
    }
    return hash64(t->buf, n) & ring_point_mask;
}

uint64_t ring_point_hash(const char *id, size_t id_len, uint32_t v, uint32_t salt)
{
    point_text_t t;
    point_text_init(&t, id, id_len);
    return point_text_hash(&t, v, salt);
}

void ring_init(ring_t *r, uint32_t vnodes)
{
    memset(r, 0, sizeof *r);
    r->vnodes = vnodes;
    r->shift = 63;
}

void ring_free(ring_t *r)
{
    free(r->nodes);
    free(r->pos);
    free(r->node);
    free(r->vnode);
    free(r->index);
    memset(r, 0, sizeof *r);
}

uint16_t ring_find_node(const ring_t *r, const char *id, size_t id_len)
{
    for (uint32_t s = 0; s < r->slot_count; s++) {
        const ring_node_t *n = &r->nodes[s];
        if (n->live && n->id_len == id_len && memcmp(n->id, id, id_len) == 0)
            return (uint16_t)s;
    }
    return RING_NONE;
}

static int ring_reserve_points(ring_t *r, uint32_t need)
{
    if (need <= r->cap)
        return RING_OK;
    uint32_t cap = r->cap ? r->cap : 256;
    while (cap < need)
        cap *= 2;
    uint64_t *pos = realloc(r->pos, (size_t)cap * sizeof *pos);
    if (!pos)
        return RING_E_NOMEM;
    r->pos = pos;
    uint16_t *node = realloc(r->node, (size_t)cap * sizeof *node);
    if (!node)
        return RING_E_NOMEM;
    r->node = node;
    uint32_t *vnode = realloc(r->vnode, (size_t)cap * sizeof *vnode);
    if (!vnode)
        return RING_E_NOMEM;
    r->vnode = vnode;
    r->cap = cap;
    return RING_OK;
}

/* Rebuilds the top-bits table: about two entries per point keeps the scan in
 * ring_lookup to one or two steps on average. */
static int ring_reindex(ring_t *r)
{
    unsigned bits = 1;
    while (bits < 22 && (1u << bits) < 2u * r->count)
        bits++;
    size_t len = (size_t)1 << bits;
    if (len > r->index_cap) {
        uint32_t *grown = realloc(r->index, len * sizeof *grown);
        if (!grown)
            return RING_E_NOMEM;
        r->index = grown;
        r->index_cap = len;
    }
    uint32_t *index = r->index;
    r->shift = 64 - bits;
    uint32_t i = 0;
    for (size_t b = 0; b < len; b++) {
        while (i < r->count && (r->pos[i] >> r->shift) < b)
            i++;
        index[b] = i;
    }
    return RING_OK;
}

/* One new point while placing: position and which (node, vnode) it is, as
 * i * vnodes + v for the i-th node being placed. */
typedef struct place_point {
    uint64_t pos;
    uint32_t at;
} place_point_t;

static int cmp_place_point(const void *a, const void *b)
{
    uint64_t x = ((const place_point_t *)a)->pos, y = ((const place_point_t *)b)->pos;
    return (x > y) - (x < y);
}

/* Merges m sorted new points of nodes slots[at / k] into the ring, from the
 * back so the arrays can grow in place. */
static int ring_merge(ring_t *r, const place_point_t *np, uint32_t m, const uint16_t *slots, uint32_t k)
{
    int rc = ring_reserve_points(r, r->count + m);
    if (rc != RING_OK)
        return rc;
    int64_t i = (int64_t)r->count - 1, j = (int64_t)m - 1, o = (int64_t)r->count + m - 1;
    while (j >= 0) {
        if (i >= 0 && r->pos[i] > np[j].pos) {
            r->pos[o] = r->pos[i];
            r->node[o] = r->node[i];
            r->vnode[o] = r->vnode[i];
            i--;
        } else {
            r->pos[o] = np[j].pos;
            r->node[o] = slots[np[j].at / k];
            r->vnode[o] = np[j].at % k;
            j--;
        }
        o--;
    }
    r->count += m;
    return RING_OK;
}

static int ring_taken(const ring_t *r, uint64_t p)
{
    uint32_t lo = 0, hi = r->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (r->pos[mid] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->count && r->pos[lo] == p;
}

/* Places slot s's points one at a time, re-salting in vnode order against
 * the ring as it stands plus this node's earlier points, exactly as the
 * reference's insertion loop does. Only runs when a collision is present
 * (64-bit collisions are that rare), so its cost does not matter. */
static int ring_place_salted(ring_t *r, uint16_t s)
{
    const ring_node_t *n = &r->nodes[s];
    uint32_t k = r->vnodes * n->weight;
    place_point_t *np = malloc((size_t)k * sizeof *np);
    if (!np)
        return RING_E_NOMEM;
    point_text_t t;
    point_text_init(&t, n->id, n->id_len);
    for (uint32_t v = 0; v < k; v++) {
        uint32_t salt = 0;
        uint64_t p = point_text_hash(&t, v, 0);
        for (;;) {
            int taken = ring_taken(r, p);
            for (uint32_t u = 0; u < v && !taken; u++)
                taken = np[u].pos == p;
            if (!taken)
                break;
            p = point_text_hash(&t, v, ++salt);
        }
        np[v].pos = p;
        np[v].at = v;
    }
    qsort(np, k, sizeof *np, cmp_place_point);
    int rc = ring_merge(r, np, k, &s, k);
    free(np);
    return rc;
}

typedef struct place_job {
    const ring_t *r;
    const uint16_t *slots;
    uint32_t n, k;
    uint64_t *pos; /* n * k: node i's points at [i*k, i*k + k) */
} place_job_t;

static void place_hash_part(void *arg, unsigned part, unsigned parts)
{
    place_job_t *j = arg;
    uint32_t lo = (uint32_t)((uint64_t)j->n * part / parts), hi = (uint32_t)((uint64_t)j->n * (part + 1) / parts);
    point_text_t t;
    for (uint32_t i = lo; i < hi; i++) {
        const ring_node_t *n = &j->r->nodes[j->slots[i]];
        point_text_init(&t, n->id, n->id_len);
        for (uint32_t v = 0; v < j->k; v++)
            j->pos[(size_t)i * j->k + v] = point_text_hash(&t, v, 0);
    }
}

/* Sorts m points by position: one counting pass on the top bits (hashes
 * are uniform, so buckets hold a few points each), then each bucket on its
 * own. Returns the sorted points (caller frees) or NULL. */
static place_point_t *sort_points(const uint64_t *pos, uint32_t m)
{
    unsigned bits = 1;
    while (bits < 22 && ((uint64_t)1 << bits) < (uint64_t)m / 2)
        bits++;
    unsigned shift = 64 - bits;
    size_t buckets = (size_t)1 << bits;
    uint32_t *start = calloc(buckets + 1, sizeof *start);
    place_point_t *out = malloc((size_t)(m ? m : 1) * sizeof *out);
    if (!start || !out) {
        free(start);
        free(out);
        return NULL;
    }
    for (uint32_t i = 0; i < m; i++)
        start[(pos[i] >> shift) + 1]++;
    for (size_t b = 0; b < buckets; b++)
        start[b + 1] += start[b];
    for (uint32_t i = 0; i < m; i++)
        out[start[pos[i] >> shift]++] = (place_point_t){pos[i], i};
    /* start[b] is now the end of bucket b. */
    uint32_t lo = 0;
    for (size_t b = 0; b < buckets; b++) {
        uint32_t hi = start[b];
        if (hi - lo > 32) {
            qsort(out + lo, hi - lo, sizeof *out, cmp_place_point);
        } else {
            for (uint32_t i = lo + 1; i < hi; i++) {
                place_point_t x = out[i];
                uint32_t j = i;
                for (; j > lo && out[j - 1].pos > x.pos; j--)
                    out[j] = out[j - 1];
                out[j] = x;
            }
        }
        lo = hi;
    }
    free(start);
    return out;
}

/* Places the points of n nodes of equal weight (slots, in order of addition) and merges
 * them into the sorted arrays in one pass: hashing on all cores, one sort,
 * one merge, so building a ring of N nodes costs O(P log P) for P points,
 * not N merges of the whole ring. If any new point collides (with the ring
 * or another new point), the nodes are placed one by one with re-salting
 * instead, which gives exactly the points a sequence of single adds gives. */
static int ring_place_many(ring_t *r, const uint16_t *slots, uint32_t n)
{
    uint32_t k = n ? r->vnodes * r->nodes[slots[0]].weight : 0;
    uint64_t m64 = (uint64_t)n * k;
    if (m64 == 0)
        return RING_OK;
    if (m64 > UINT32_MAX - r->count)
        return RING_E_LIMIT;
    uint32_t m = (uint32_t)m64;
    place_job_t job = {r, slots, n, k, malloc((size_t)m * sizeof(uint64_t))};
    if (!job.pos)
        return RING_E_NOMEM;
    /* Threads pay off only for a bulk build (one node hashes in microseconds). */
    par_run(m >= 65536 ? par_threads() : 1, place_hash_part, &job);
    place_point_t *sorted = sort_points(job.pos, m);
    free(job.pos);
    if (!sorted)
        return RING_E_NOMEM;
    int collision = 0;
    for (uint32_t i = 1; i < m && !collision; i++)
        collision = sorted[i].pos == sorted[i - 1].pos;
    for (uint32_t i = 0; i < m && !collision && r->count; i++)
        collision = ring_taken(r, sorted[i].pos);
    if (collision) {
        free(sorted);
        for (uint32_t i = 0; i < n; i++) {
            int rc = ring_place_salted(r, slots[i]);
            if (rc != RING_OK)
                return rc;
        }
        return RING_OK;
    }
    int rc = ring_merge(r, sorted, m, slots, k);
    free(sorted);
    return rc;
}

/* A free slot for a new node (reusing a removed node's), or -1. */
static int32_t ring_take_slot(ring_t *r, const char *id, size_t id_len)
{
    uint32_t s = 0;
    while (s < r->slot_count && r->nodes[s].live)
        s++;
    if (s == r->slot_count) {
        ring_node_t *nodes = realloc(r->nodes, (size_t)(s + 1) * sizeof *nodes);
        if (!nodes)
            return -1;
        r->nodes = nodes;
        r->slot_count++;
    }
    ring_node_t *n = &r->nodes[s];
    memcpy(n->id, id, id_len);
    n->id[id_len] = '\0';
    n->id_len = (uint32_t)id_len;
    n->live = 1;
    n->seq = r->next_seq++;
    n->weight = 1;
    return (int32_t)s;
}

static int ring_check_room(const ring_t *r, uint64_t nodes, char *err, size_t err_size)
{
    if (r->live_count + nodes > RS_MAX_NODES) {
        snprintf(err, err_size, "cannot add another node: the limit is %u nodes", RS_MAX_NODES);
        return RING_E_LIMIT;
    }
    if ((uint64_t)r->count + nodes * r->vnodes > RS_MAX_POINTS) {
        snprintf(err, err_size, "cannot add %s: %llu more points would pass the limit of %u ring points",
                 nodes == 1 ? "a node" : "the nodes", (unsigned long long)(nodes * r->vnodes), RS_MAX_POINTS);
        return RING_E_LIMIT;
    }
    return RING_OK;
}

int ring_add(ring_t *r, const char *id, size_t id_len, uint16_t *slot, char *err, size_t err_size)
{
    if (ring_find_node(r, id, id_len) != RING_NONE)
        return RING_E_EXISTS;
    int rc = ring_check_room(r, 1, err, err_size);
    if (rc != RING_OK)
        return rc;
    int32_t s = ring_take_slot(r, id, id_len);
    if (s < 0)
        goto nomem;
    uint16_t s16 = (uint16_t)s;
    if (ring_place_many(r, &s16, 1) != RING_OK || ring_reindex(r) != RING_OK) {
        r->nodes[s].live = 0;
        goto nomem;
    }
    r->live_count++;
    r->weight_sum++;
    *slot = s16;
    return RING_OK;
nomem:
    snprintf(err, err_size, "out of memory adding node");
    return RING_E_NOMEM;
}

typedef struct id_ref {
    const char *id;
    size_t len, at;
} id_ref_t;

/* By id, then by position in the list. */
static int cmp_id_ref(const void *a, const void *b)
{
    const id_ref_t *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->id, y->id, n);
    if (c != 0)
        return c;
    if (x->len != y->len)
        return (x->len > y->len) - (x->len < y->len);
    return (x->at > y->at) - (x->at < y->at);
}

int ring_add_many(ring_t *r, const char *const *ids, const size_t *lens, size_t n, uint16_t *slots, size_t *bad,
                  char *err, size_t err_size)
{
    int rc = ring_check_room(r, n, err, err_size);
    if (rc != RING_OK)
        return rc;
    if (n == 0)
        return RING_OK;
    /* Duplicates: sorted by id (ties by position), the later of two equal
     * neighbours is the one listed twice. */
    id_ref_t *refs = malloc(n * sizeof *refs);
    if (!refs)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        refs[i] = (id_ref_t){ids[i], lens[i], i};
    qsort(refs, n, sizeof *refs, cmp_id_ref);
    size_t dup = n;
    for (size_t i = 1; i < n; i++)
        if (refs[i].len == refs[i - 1].len && memcmp(refs[i].id, refs[i - 1].id, refs[i].len) == 0 &&
            refs[i].at < dup)
            dup = refs[i].at;
    free(refs);
    for (size_t i = 0; i < dup && r->live_count; i++)
        if (ring_find_node(r, ids[i], lens[i]) != RING_NONE)
            dup = i;
    if (dup < n) {
        *bad = dup;
        return RING_E_EXISTS;
    }
    size_t taken = 0;
    for (; taken < n; taken++) {
        int32_t s = ring_take_slot(r, ids[taken], lens[taken]);
        if (s < 0)
            break;
        slots[taken] = (uint16_t)s;
    }
    uint32_t before = r->count;
    if (taken == n && ring_place_many(r, slots, (uint32_t)n) == RING_OK && ring_reindex(r) == RING_OK) {
        r->live_count += (uint32_t)n;
        r->weight_sum += n;
        return RING_OK;
    }
    /* Undo: the new nodes leave, and with them any points they got. */
    for (size_t i = 0; i < taken; i++)
        r->nodes[slots[i]].live = 0;
    if (r->count != before) {
        uint32_t o = 0;
        for (uint32_t i = 0; i < r->count; i++)
            if (r->nodes[r->node[i]].live) {
                r->pos[o] = r->pos[i];
                r->node[o] = r->node[i];
                r->vnode[o] = r->vnode[i];
                o++;
            }
        r->count = o;
        (void)ring_reindex(r);
    }
nomem:
    snprintf(err, err_size, "out of memory adding %zu nodes", n);
    return RING_E_NOMEM;
}

static void ring_drop_points(ring_t *r, uint16_t s)
{
    uint32_t o = 0;
    for (uint32_t i = 0; i < r->count; i++) {
        if (r->node[i] == s)
            continue;
        r->pos[o] = r->pos[i];
        r->node[o] = r->node[i];
        r->vnode[o] = r->vnode[i];
        o++;
    }
    r->count = o;
}

int ring_remove(ring_t *r, const char *id, size_t id_len, uint16_t *slot)
{
    uint16_t s = ring_find_node(r, id, id_len);
    if (s == RING_NONE)
        return RING_E_UNKNOWN;
    ring_drop_points(r, s);
    r->nodes[s].live = 0;
    r->live_count--;
    r->weight_sum -= r->nodes[s].weight;
    *slot = s;
    (void)ring_reindex(r); /* fewer points: reuses the table, cannot fail */
    return RING_OK;
}

static int cmp_node_seq(const void *a, const void *b)
{
    uint64_t x = (*(const ring_node_t *const *)a)->seq, y = (*(const ring_node_t *const *)b)->seq;
    return (x > y) - (x < y);
}

int ring_set_weight(ring_t *r, uint16_t slot, uint32_t w, char *err, size_t err_size)
{
    ring_node_t *n = &r->nodes[slot];
    if ((uint64_t)r->count - (uint64_t)r->vnodes * n->weight + (uint64_t)r->vnodes * w > RS_MAX_POINTS) {
        snprintf(err, err_size, "weight %u would give %s %llu points, past the limit of %u ring points", w, n->id,
                 (unsigned long long)r->vnodes * w, RS_MAX_POINTS);
        return RING_E_LIMIT;
    }
    ring_drop_points(r, slot);
    r->weight_sum = r->weight_sum - n->weight + w;
    n->weight = w;
    if (ring_place_many(r, &slot, 1) != RING_OK || ring_reindex(r) != RING_OK) {
        snprintf(err, err_size, "out of memory changing a weight");
        return RING_E_NOMEM;
    }
    return RING_OK;
}

int ring_rebuild(ring_t *r, uint32_t vnodes, char *err, size_t err_size)
{
    if (r->weight_sum * vnodes > RS_MAX_POINTS) {
        if (r->weight_sum == r->live_count)
            snprintf(err, err_size, "%u nodes x %u vnodes would pass the limit of %u ring points", r->live_count,
                     vnodes, RS_MAX_POINTS);
        else
            snprintf(err, err_size, "%u nodes of total weight %llu x %u vnodes would pass the limit of %u ring points",
                     r->live_count, (unsigned long long)r->weight_sum, vnodes, RS_MAX_POINTS);
        return RING_E_LIMIT;
    }
    const ring_node_t **order = malloc((size_t)(r->live_count + 1) * sizeof *order);
    if (!order)
        goto nomem;
    uint32_t n = 0;
    for (uint32_t s = 0; s < r->slot_count; s++)
        if (r->nodes[s].live)
            order[n++] = &r->nodes[s];
    /* Re-add in order of addition so any re-salting matches a fresh ring
     * built by the same sequence of adds. */
    qsort(order, n, sizeof *order, cmp_node_seq);
    uint16_t *slots = malloc((size_t)(n + 1) * sizeof *slots);
    if (!slots) {
        free(order);
        goto nomem;
    }
    for (uint32_t i = 0; i < n; i++)
        slots[i] = (uint16_t)(order[i] - r->nodes);
    free(order);
    r->vnodes = vnodes;
    r->count = 0;
    /* One batch while every weight is equal (a batch gives each node the
     * same number of points); otherwise node by node, in the same order. */
    int rc = RING_OK;
    if (r->weight_sum == (uint64_t)n * (n ? r->nodes[slots[0]].weight : 1))
        rc = ring_place_many(r, slots, n);
    else
        for (uint32_t i = 0; i < n && rc == RING_OK; i++)
            rc = ring_place_many(r, &slots[i], 1);
    free(slots);
    if (rc != RING_OK)
        goto nomem;
    if (ring_reindex(r) != RING_OK)
        goto nomem;
    return RING_OK;
nomem:
    snprintf(err, err_size, "out of memory rebuilding the ring");
    return RING_E_NOMEM;
}

uint32_t ring_lookup_bsearch(const ring_t *r, uint64_t h)
{
    uint32_t lo = 0, hi = r->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (r->pos[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == r->count ? 0 : lo;
}

void ring_arc_share(const ring_t *r, double *share)
{
    for (uint32_t s = 0; s < r->slot_count; s++)
        share[s] = 0.0;
    if (r->count == 0)
        return;
    if (r->live_count == 1) {
        share[r->node[0]] = 1.0; /* its arcs add up to exactly 2^64 */
        return;
    }
    /* Arc (pos[i-1], pos[i]] belongs to node[i]; unsigned subtraction wraps
     * the first arc around zero. Sums stay exact in 64-bit integers (each
     * node owns less than the whole ring), rounded to double once. */
    uint64_t sum[RS_MAX_NODES] = {0};
    for (uint32_t i = 0; i < r->count; i++) {
        uint64_t prev = r->pos[i == 0 ? r->count - 1 : i - 1];
        sum[r->node[i]] += r->pos[i] - prev;
    }
    for (uint32_t s = 0; s < r->slot_count; s++)
        share[s] = (double)sum[s] * (1.0 / 18446744073709551616.0);
}

static int cmp_node_id(const void *a, const void *b)
{
    const ring_node_t *x = *(const ring_node_t *const *)a, *y = *(const ring_node_t *const *)b;
    size_t n = x->id_len < y->id_len ? x->id_len : y->id_len;
    int c = memcmp(x->id, y->id, n);
    if (c != 0)
        return c;
    return (x->id_len > y->id_len) - (x->id_len < y->id_len);
}

uint32_t ring_sorted_slots(const ring_t *r, uint16_t *out)
{
    const ring_node_t **tmp = malloc((size_t)(r->live_count + 1) * sizeof *tmp);
    uint32_t n = 0;
    if (tmp) {
        for (uint32_t s = 0; s < r->slot_count; s++)
            if (r->nodes[s].live)
                tmp[n++] = &r->nodes[s];
        qsort(tmp, n, sizeof *tmp, cmp_node_id);
        for (uint32_t i = 0; i < n; i++)
            out[i] = (uint16_t)(tmp[i] - r->nodes);
        free(tmp);
    } else {
        /* Without memory for the sort, slot order is still a full answer. */
        for (uint32_t s = 0; s < r->slot_count; s++)
            if (r->nodes[s].live)
                out[n++] = (uint16_t)s;
    }
    return n;
}
