#include "repl.h"

#include "par.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void repl_init(repl_t *r, uint32_t dim)
{
    memset(r, 0, sizeof *r);
    r->replicas = 1;
    r->stride = 1;
    r->record_bytes = REPL_RECORD_DEFAULT;
    r->bandwidth = REPL_BANDWIDTH_DEFAULT;
    r->dim = dim;
}

void repl_free(repl_t *r)
{
    free(r->zone_names);
    free(r->zone_of);
    free(r->crashed);
    free(r->hold);
    free(r->held);
    free(r->pref);
    free(r->pref_len);
    free(r->lost_ids);
    free(r->bytes_in);
    free(r->bytes_out);
    free(r->dist);
    memset(r, 0, sizeof *r);
}

uint64_t repl_copy_bytes(const repl_t *r) { return (uint64_t)r->dim * 4u + r->record_bytes; }

int repl_zone_intern(repl_t *r, const char *name)
{
    for (uint32_t z = 0; z < r->zone_count; z++)
        if (strcmp(r->zone_names[z], name) == 0)
            return (int)z;
    if (r->zone_count >= REPL_ZONES_MAX)
        return -1;
    void *grown = realloc(r->zone_names, (r->zone_count + 1) * sizeof *r->zone_names);
    if (!grown)
        return -1;
    r->zone_names = grown;
    snprintf(r->zone_names[r->zone_count], sizeof r->zone_names[0], "%s", name);
    return (int)r->zone_count++;
}

static repl_zone_of_t *zone_entry(const repl_t *r, const char *id)
{
    for (uint32_t i = 0; i < r->zone_of_count; i++)
        if (strcmp(r->zone_of[i].id, id) == 0)
            return &r->zone_of[i];
    return NULL;
}

int repl_set_zone(repl_t *r, const char *id, uint16_t zone)
{
    repl_zone_of_t *e = zone_entry(r, id);
    if (e) {
        if (e->zone == zone)
            return 0;
        e->zone = zone;
        return 1;
    }
    repl_zone_of_t *grown = realloc(r->zone_of, (r->zone_of_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    r->zone_of = grown;
    e = &r->zone_of[r->zone_of_count++];
    snprintf(e->id, sizeof e->id, "%s", id);
    e->zone = zone;
    return 1;
}

const char *repl_zone_of(const repl_t *r, const char *id)
{
    const repl_zone_of_t *e = zone_entry(r, id);
    return e ? r->zone_names[e->zone] : NULL;
}

int repl_is_crashed(const repl_t *r, const char *id)
{
    for (uint32_t i = 0; i < r->crashed_count; i++)
        if (strcmp(r->crashed[i], id) == 0)
            return 1;
    return 0;
}

int repl_mark_crashed(repl_t *r, const char *id)
{
    if (repl_is_crashed(r, id))
        return 0;
    void *grown = realloc(r->crashed, (r->crashed_count + 1) * sizeof *r->crashed);
    if (!grown)
        return -1;
    r->crashed = grown;
    snprintf(r->crashed[r->crashed_count++], sizeof r->crashed[0], "%s", id);
    return 0;
}

void repl_unmark_crashed(repl_t *r, const char *id)
{
    for (uint32_t i = 0; i < r->crashed_count; i++) {
        if (strcmp(r->crashed[i], id) == 0) {
            memmove(r->crashed[i], r->crashed[i + 1], (r->crashed_count - i - 1) * sizeof r->crashed[0]);
            r->crashed_count--;
            return;
        }
    }
}

void repl_step_reset(repl_t *r)
{
    r->copies = r->bytes = r->lost = r->moved = r->promoted = 0;
    r->seconds = 0.0;
    if (r->bytes_in) {
        memset(r->bytes_in, 0, RS_MAX_NODES * sizeof *r->bytes_in);
        memset(r->bytes_out, 0, RS_MAX_NODES * sizeof *r->bytes_out);
    }
}

int repl_parse_bandwidth(const char *s, size_t len, const char *what, double *out, char *err, size_t err_size)
{
    static const struct {
        const char *name;
        double bytes;
    } units[] = {{"bit", 0.125}, {"kbit", 125.0}, {"Mbit", 125e3}, {"Gbit", 125e6}, {"Tbit", 125e9},
                 {"B", 1.0}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
                 {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}};
    char quoted[80], num[32];
    nodeid_quote(s, len, quoted, sizeof quoted);
    size_t i = 0, digits = 0, dots = 0;
    while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) {
        digits += s[i] != '.';
        dots += s[i] == '.';
        i++;
    }
    size_t unit_end = len;
    if (len - i >= 2 && s[len - 2] == '/' && s[len - 1] == 's')
        unit_end = len - 2;
    double scale = 0.0;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
        if (strlen(units[u].name) == unit_end - i && memcmp(units[u].name, s + i, unit_end - i) == 0)
            scale = units[u].bytes;
    if (digits == 0 || dots > 1 || i >= sizeof num || scale == 0.0) {
        snprintf(err, err_size,
                 "%s: \"%s\" is not a bandwidth: a number and a unit per second, e.g. 10Gbit, 400MB, 1GiB "
                 "(units bit kbit Mbit Gbit Tbit, B kB MB GB TB, KiB MiB GiB TiB)",
                 what, quoted);
        return -1;
    }
    memcpy(num, s, i);
    num[i] = '\0';
    double v = strtod(num, NULL) * scale;
    /* At least one byte a second, at most 1 PB/s: anything else is a typo. */
    if (!(v >= 1.0 && v <= 1e15)) {
        snprintf(err, err_size, "%s: %s is out of range; it must be 1 B/s .. 1000 TB/s", what, quoted);
        return -1;
    }
    *out = v;
    return 0;
}

/* ---- preference lists ---------------------------------------------------- */

void repl_zones_fill(const repl_t *r, strat_nodes_t *nodes)
{
    uint8_t seen[REPL_ZONES_MAX] = {0};
    nodes->replicas = r->replicas;
    nodes->zoned = 0;
    nodes->zones_live = 0;
    for (uint32_t i = 0; i < nodes->n; i++) {
        uint16_t slot = nodes->rank[i];
        const repl_zone_of_t *e = zone_entry(r, nodes->ring->nodes[slot].id);
        if (e) {
            nodes->zone[slot] = e->zone;
            nodes->zoned = 1;
            nodes->zones_live += !seen[e->zone];
            seen[e->zone] = 1;
        } else {
            nodes->zone[slot] = (uint16_t)(STRAT_ZONE_OWN | slot);
            nodes->zones_live++;
        }
    }
}

/* What every list of one change shares. */
typedef struct walk_ctx {
    const repl_view_t *v;
    uint32_t target;               /* min(R, n) */
    uint16_t *out;                 /* lists, [k * stride] by embedding index */
    uint8_t *out_len;
    uint32_t stride;
    uint64_t len;                  /* candidates in one pass of the walk */
} walk_ctx_t;

/* One key's walk, as strat_walk_list reads it. */
typedef struct key_walk {
    const strat_t *st;
    const strat_nodes_t *nodes;
    const strat_where_t *w;
    const uint16_t *order;         /* walk_order's ranking, or NULL */
} key_walk_t;

static uint16_t walk_point(const void *ctx, uint64_t i)
{
    const key_walk_t *k = ctx;
    return k->st->ops->walk_at(k->st->state, k->nodes, k->w, i);
}

static uint16_t walk_ranked(const void *ctx, uint64_t i) { return ((const key_walk_t *)ctx)->order[i]; }

/* The list of key into out (target entries at most); order: rendezvous'
 * scratch of n slots. A strategy that places copies itself gives them. */
static uint32_t list_of_key(const walk_ctx_t *c, const strat_key_t *key, uint16_t *out, uint16_t *order)
{
    const strat_t *st = c->v->strat;
    const strat_nodes_t *nodes = c->v->nodes;
    const strat_ops_t *ops = st->ops;
    if (c->target == 0)
        return 0;
    if (ops->holders) {
        uint16_t got[RS_MAX_REPLICAS];
        uint32_t n = ops->holders(st->state, nodes, key, got);
        n = n < c->target ? n : c->target;
        memcpy(out, got, n * sizeof *out);
        return n;
    }
    if (c->len == 0)
        return 0;
    strat_where_t w;
    strat_locate(st, nodes, key, &w);
    key_walk_t k = {st, nodes, &w, order};
    if (!ops->walk_at) {
        ops->walk_order(st->state, nodes, key, order);
        return strat_walk_list(nodes, c->target, c->len, walk_ranked, &k, out);
    }
    return strat_walk_list(nodes, c->target, c->len, walk_point, &k, out);
}

/* The list of the key at sorted position pos. */
static uint32_t list_of(const walk_ctx_t *c, size_t pos, uint16_t *out, uint16_t *order)
{
    strat_key_t key;
    strat_key_at(c->v->store, c->v->own, pos, &key);
    return list_of_key(c, &key, out, order);
}

static void lists_part(void *arg, unsigned part, unsigned parts)
{
    const walk_ctx_t *c = arg;
    const store_t *st = c->v->store;
    size_t n = st->count, lo = n / parts * part, hi = part + 1 == parts ? n : n / parts * (part + 1);
    uint16_t order[RS_MAX_NODES];
    for (size_t pos = lo; pos < hi; pos++) {
        uint32_t k = st->index[pos];
        c->out_len[k] = (uint8_t)list_of(c, pos, c->out + (size_t)k * c->stride, order);
    }
}

/* The list length and the walk's, once per change (zones: v->nodes). */
static void ctx_setup(walk_ctx_t *c, const repl_t *r, const repl_view_t *v)
{
    const strat_nodes_t *nodes = v->nodes;
    const strat_ops_t *ops = v->strat->ops;
    c->v = v;
    c->target = r->replicas < nodes->n ? r->replicas : nodes->n;
    c->len = nodes->n && !ops->holders ? ops->walk_len(v->strat->state, nodes) : 0;
}

/* One list, for a store position (key NULL) or any key. */
static uint32_t prefs_one(const repl_t *r, const repl_view_t *v, size_t pos, const strat_key_t *key, uint16_t *out)
{
    walk_ctx_t *c = malloc(sizeof *c);
    uint16_t *order = malloc(RS_MAX_NODES * sizeof *order);
    uint32_t n = 0;
    if (c && order) {
        ctx_setup(c, r, v);
        n = key ? list_of_key(c, key, out, order) : list_of(c, pos, out, order);
    }
    free(c);
    free(order);
    return n;
}

uint32_t repl_prefs_of(const repl_t *r, const repl_view_t *v, size_t pos, uint16_t *out)
{
    return prefs_one(r, v, pos, NULL, out);
}

uint32_t repl_prefs_of_key(const repl_t *r, const repl_view_t *v, const strat_key_t *key, uint16_t *out)
{
    return prefs_one(r, v, 0, key, out);
}

/* ---- accounting ---------------------------------------------------------- */

static int grow(repl_t *r, size_t keys, uint32_t stride)
{
    if (keys <= r->keys && stride == r->stride && r->hold)
        return 0; /* r->keys is the capacity: shrinking keeps the arrays */
    size_t n = keys + 1;
    uint16_t *hold = calloc(n * stride, sizeof *hold);
    uint16_t *pref = malloc(n * stride * sizeof *pref);
    uint8_t *held = calloc(n, 1), *pref_len = malloc(n);
    if (!r->bytes_in)
        r->bytes_in = calloc(RS_MAX_NODES, sizeof *r->bytes_in);
    if (!r->bytes_out)
        r->bytes_out = calloc(RS_MAX_NODES, sizeof *r->bytes_out);
    if (!r->dist)
        r->dist = calloc(RS_MAX_NODES, sizeof *r->dist);
    if (!hold || !pref || !held || !pref_len || !r->bytes_in || !r->bytes_out || !r->dist) {
        free(hold), free(pref), free(held), free(pref_len);
        return -1;
    }
    size_t keep = keys < r->keys ? keys : r->keys;
    for (size_t k = 0; r->hold && k < keep; k++) {
        uint32_t h = r->held[k] & REPL_COUNT, p = r->pref_len[k];
        h = h < stride ? h : stride;
        p = p < stride ? p : stride;
        memcpy(hold + k * stride, r->hold + k * r->stride, h * sizeof *hold);
        memcpy(pref + k * stride, r->pref + k * r->stride, p * sizeof *pref);
        held[k] = (uint8_t)((r->held[k] & REPL_LOST) | h);
        pref_len[k] = (uint8_t)p;
    }
    free(r->hold), free(r->pref), free(r->held), free(r->pref_len);
    r->hold = hold;
    r->pref = pref;
    r->held = held;
    r->pref_len = pref_len;
    r->stride = stride;
    r->keys = keys;
    return 0;
}

/* Key k has no copy left: lost for good, and listed for this step. */
static int mark_lost(repl_t *r, uint32_t k, char *err, size_t err_size)
{
    r->held[k] = REPL_LOST;
    if (r->lost == r->lost_cap) {
        size_t cap = r->lost_cap ? r->lost_cap * 2 : 256;
        uint32_t *ids = realloc(r->lost_ids, cap * sizeof *ids);
        if (!ids) {
            snprintf(err, err_size, "out of memory listing lost keys");
            return -1;
        }
        r->lost_ids = ids;
        r->lost_cap = cap;
    }
    r->lost_ids[r->lost++] = k;
    return 0;
}

/* Copies every node of list p missing from holders h, from src. */
static void copy_missing(repl_t *r, const uint16_t *h, uint32_t hn, const uint16_t *p, uint32_t pn, uint16_t src,
                         uint64_t size)
{
    for (uint32_t j = 0; j < pn; j++) {
        if (strat_list_has(h, hn, p[j]))
            continue;
        r->copies++;
        r->bytes_out[src] += size;
        r->bytes_in[p[j]] += size;
    }
}

int repl_sync(repl_t *r, const repl_view_t *v, repl_mode_t mode, uint16_t node, size_t old_keys, char *err,
              size_t err_size)
{
    size_t keys = v->store->count;
    uint32_t stride = r->stride > r->replicas ? r->stride : r->replicas;
    if (grow(r, keys, stride) != 0) {
        snprintf(err, err_size, "out of memory for the copies of %zu keys", keys);
        return -1;
    }
    walk_ctx_t *c = malloc(sizeof *c);
    if (!c) {
        snprintf(err, err_size, "out of memory placing copies");
        return -1;
    }
    ctx_setup(c, r, v);
    c->out = r->pref;
    c->out_len = r->pref_len;
    c->stride = r->stride;
    uint32_t target = c->target;
    par_run(keys < 20000 ? 1 : par_threads(), lists_part, c);
    free(c);

    if (mode == REPL_START && !r->on)
        old_keys = 0; /* turning on: everything is as it should be */
    r->on = 1;
    uint64_t size = repl_copy_bytes(r);
    /* One pass: apply mode to each key, then tally the state after the
     * step — losses, what is short of its list, and what each node holds
     * data for as the first holder. */
    r->lost_total = 0;
    r->under = 0;
    memset(r->dist, 0, RS_MAX_NODES * sizeof *r->dist);
    for (size_t k = 0; k < keys; k++) {
        uint16_t *h = r->hold + k * r->stride;
        const uint16_t *p = r->pref + k * r->stride;
        uint32_t hn = r->held[k] & REPL_COUNT, pn = r->pref_len[k];
        int lost = (r->held[k] & REPL_LOST) != 0;
        if (k < old_keys && lost) {
            r->lost_total++;
            continue;
        }
        if (k >= old_keys || hn == 0) {
            /* New (whatever an earlier, larger store left in its slot), or
             * never had a node: written where it belongs. A key that had
             * no node at all and gets one counts as moved, as the
             * placement counts it (DESIGN §1: its owner changed). */
            r->moved += k < old_keys && pn > 0;
            memcpy(h, p, pn * sizeof *h);
            r->held[k] = (uint8_t)pn;
        } else if (mode == REPL_CRASH) {
            uint16_t primary = h[0];
            uint32_t m = 0;
            for (uint32_t j = 0; j < hn; j++)
                if (h[j] != node)
                    h[m++] = h[j];
            if (m == 0) {
                if (mark_lost(r, (uint32_t)k, err, err_size) != 0)
                    return -1;
                r->lost_total++;
                continue;
            }
            r->held[k] = (uint8_t)m;
            r->promoted += h[0] != primary; /* the first surviving copy serves it */
        } else if (pn == 0) {
            /* The last node left: nowhere to stream to. */
            if (mark_lost(r, (uint32_t)k, err, err_size) != 0)
                return -1;
            r->lost_total++;
            continue;
        } else {
            uint16_t src = h[0];
            if (mode == REPL_GRACEFUL && node != RING_NONE && strat_list_has(h, hn, node))
                src = node; /* the leaving node streams what it holds */
            copy_missing(r, h, hn, p, pn, src, size);
            r->moved += p[0] != h[0];
            memcpy(h, p, pn * sizeof *h);
            r->held[k] = (uint8_t)pn;
        }
        hn = r->held[k];
        if (hn == 0)
            continue;
        r->dist[h[0]]++;
        /* Holders equal to the list are short only of copies it lacks
         * itself; a crash's survivors may miss nodes of it. */
        int short_of = hn < target;
        for (uint32_t j = 0; mode == REPL_CRASH && j < pn && !short_of; j++)
            short_of = !strat_list_has(h, hn, p[j]);
        r->under += short_of;
    }
    r->bytes = r->copies * size;
    uint64_t busiest = 0;
    for (uint32_t slot = 0; slot < RS_MAX_NODES; slot++) {
        uint64_t b = r->bytes_in[slot] > r->bytes_out[slot] ? r->bytes_in[slot] : r->bytes_out[slot];
        if (b > busiest)
            busiest = b;
    }
    r->seconds = (double)busiest / r->bandwidth;
    if (r->stride > r->replicas && grow(r, keys, r->replicas) != 0) {
        snprintf(err, err_size, "out of memory for the copies of %zu keys", keys);
        return -1;
    }
    return 0;
}

int repl_set_replicas(repl_t *r, const repl_view_t *v, uint32_t replicas, char *err, size_t err_size)
{
    size_t keys = v->store->count;
    if (!r->on && repl_sync(r, v, REPL_START, RING_NONE, keys, err, err_size) != 0)
        return -1;
    /* Lists grow first (wider stride), shrink after the copies are counted. */
    if (replicas > r->stride && grow(r, keys, replicas) != 0) {
        snprintf(err, err_size, "out of memory for %u copies of %zu keys", replicas, keys);
        return -1;
    }
    r->replicas = replicas;
    return repl_sync(r, v, REPL_GRACEFUL, RING_NONE, keys, err, err_size);
}
