#include "ring.h"

#include "hash.h"
#include "rs_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tests narrow point hashes with this mask to force collisions and exercise
 * re-salting; it is all ones otherwise. */
static uint64_t ring_point_mask = ~(uint64_t)0;

void ring_debug_set_point_mask(uint64_t mask) { ring_point_mask = mask; }

uint64_t ring_point_hash(const char *id, size_t id_len, uint32_t v, uint32_t salt)
{
    char buf[NODEID_MAX + 64];
    size_t n = 0;
    memcpy(buf, "node:", 5);
    n = 5;
    memcpy(buf + n, id, id_len);
    n += id_len;
    if (salt == 0)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "#vnode:%u", v);
    else
        n += (size_t)snprintf(buf + n, sizeof buf - n, "#vnode:%u#salt:%u", v, salt);
    return hash64(buf, n) & ring_point_mask;
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

typedef struct new_point {
    uint64_t pos;
    uint32_t vnode;
} new_point_t;

static int cmp_new_point(const void *a, const void *b)
{
    uint64_t x = ((const new_point_t *)a)->pos, y = ((const new_point_t *)b)->pos;
    return (x > y) - (x < y);
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

/* Places `vnodes` points for slot s and merges them into the sorted arrays. */
static int ring_place(ring_t *r, uint16_t s)
{
    const ring_node_t *n = &r->nodes[s];
    uint32_t k = r->vnodes;
    new_point_t *np = malloc((size_t)k * sizeof *np);
    if (!np)
        return RING_E_NOMEM;
    for (uint32_t v = 0; v < k; v++) {
        np[v].pos = ring_point_hash(n->id, n->id_len, v, 0);
        np[v].vnode = v;
    }
    /* Fast check for any collision; 64-bit collisions are so rare that the
     * slow, strictly ordered path below only runs when one is present. */
    int collision = 0;
    for (uint32_t v = 0; v < k && !collision; v++)
        collision = ring_taken(r, np[v].pos);
    qsort(np, k, sizeof *np, cmp_new_point);
    for (uint32_t v = 1; v < k && !collision; v++)
        collision = np[v].pos == np[v - 1].pos;
    if (collision) {
        /* Re-salt in vnode order against the ring as it stands plus this
         * node's earlier points, as the reference's insertion loop does. */
        for (uint32_t v = 0; v < k; v++) {
            uint32_t salt = 0;
            uint64_t p = ring_point_hash(n->id, n->id_len, v, 0);
            for (;;) {
                int taken = ring_taken(r, p);
                for (uint32_t u = 0; u < v && !taken; u++)
                    taken = np[u].pos == p;
                if (!taken)
                    break;
                p = ring_point_hash(n->id, n->id_len, v, ++salt);
            }
            np[v].pos = p;
            np[v].vnode = v;
        }
        qsort(np, k, sizeof *np, cmp_new_point);
    }
    int rc = ring_reserve_points(r, r->count + k);
    if (rc != RING_OK) {
        free(np);
        return rc;
    }
    /* Merge from the back so the arrays can grow in place. */
    int64_t i = (int64_t)r->count - 1, j = (int64_t)k - 1, o = (int64_t)r->count + k - 1;
    while (j >= 0) {
        if (i >= 0 && r->pos[i] > np[j].pos) {
            r->pos[o] = r->pos[i];
            r->node[o] = r->node[i];
            r->vnode[o] = r->vnode[i];
            i--;
        } else {
            r->pos[o] = np[j].pos;
            r->node[o] = s;
            r->vnode[o] = np[j].vnode;
            j--;
        }
        o--;
    }
    r->count += k;
    free(np);
    return RING_OK;
}

int ring_add(ring_t *r, const char *id, size_t id_len, uint16_t *slot, char *err, size_t err_size)
{
    if (ring_find_node(r, id, id_len) != RING_NONE)
        return RING_E_EXISTS;
    if (r->live_count >= RS_MAX_NODES) {
        snprintf(err, err_size, "cannot add another node: the limit is %u nodes", RS_MAX_NODES);
        return RING_E_LIMIT;
    }
    if ((uint64_t)r->count + r->vnodes > RS_MAX_POINTS) {
        snprintf(err, err_size, "cannot add a node: %u more points would pass the limit of %u ring points",
                 r->vnodes, RS_MAX_POINTS);
        return RING_E_LIMIT;
    }
    uint32_t s = 0;
    while (s < r->slot_count && r->nodes[s].live)
        s++;
    if (s == r->slot_count) {
        ring_node_t *nodes = realloc(r->nodes, (size_t)(s + 1) * sizeof *nodes);
        if (!nodes)
            goto nomem;
        r->nodes = nodes;
        r->slot_count++;
    }
    ring_node_t *n = &r->nodes[s];
    memcpy(n->id, id, id_len);
    n->id[id_len] = '\0';
    n->id_len = (uint32_t)id_len;
    n->live = 1;
    n->seq = r->next_seq++;
    if (ring_place(r, (uint16_t)s) != RING_OK || ring_reindex(r) != RING_OK) {
        n->live = 0;
        goto nomem;
    }
    r->live_count++;
    *slot = (uint16_t)s;
    return RING_OK;
nomem:
    snprintf(err, err_size, "out of memory adding node");
    return RING_E_NOMEM;
}

int ring_remove(ring_t *r, const char *id, size_t id_len, uint16_t *slot)
{
    uint16_t s = ring_find_node(r, id, id_len);
    if (s == RING_NONE)
        return RING_E_UNKNOWN;
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
    r->nodes[s].live = 0;
    r->live_count--;
    *slot = s;
    (void)ring_reindex(r); /* fewer points: reuses the table, cannot fail */
    return RING_OK;
}

static int cmp_node_seq(const void *a, const void *b)
{
    uint64_t x = (*(const ring_node_t *const *)a)->seq, y = (*(const ring_node_t *const *)b)->seq;
    return (x > y) - (x < y);
}

int ring_rebuild(ring_t *r, uint32_t vnodes, char *err, size_t err_size)
{
    if ((uint64_t)r->live_count * vnodes > RS_MAX_POINTS) {
        snprintf(err, err_size, "%u nodes x %u vnodes would pass the limit of %u ring points", r->live_count,
                 vnodes, RS_MAX_POINTS);
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
    r->vnodes = vnodes;
    r->count = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (ring_place(r, (uint16_t)(order[i] - r->nodes)) != RING_OK) {
            free(order);
            goto nomem;
        }
    }
    free(order);
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
