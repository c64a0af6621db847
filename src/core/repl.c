#include "repl.h"

#include "par.h"

#include <math.h>
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
    free(r->zone_refs);
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
    uint32_t free_slot = UINT32_MAX;
    for (uint32_t z = 0; z < r->zone_count; z++) {
        if (strcmp(r->zone_names[z], name) == 0)
            return (int)z;
        if (r->zone_refs[z] == 0 && free_slot == UINT32_MAX)
            free_slot = z;
    }
    if (free_slot != UINT32_MAX) {
        snprintf(r->zone_names[free_slot], sizeof r->zone_names[0], "%s", name);
        return (int)free_slot;
    }
    if (r->zone_count >= REPL_ZONES_MAX)
        return -1;
    void *grown = realloc(r->zone_names, (r->zone_count + 1) * sizeof *r->zone_names);
    if (!grown)
        return -1;
    r->zone_names = grown;
    uint32_t *refs = realloc(r->zone_refs, (r->zone_count + 1) * sizeof *refs);
    if (!refs)
        return -1;
    r->zone_refs = refs;
    r->zone_refs[r->zone_count] = 0;
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
        r->zone_refs[e->zone]--;
        r->zone_refs[zone]++;
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
    r->zone_refs[zone]++;
    return 1;
}

void repl_forget_zone(repl_t *r, const char *id)
{
    repl_zone_of_t *e = zone_entry(r, id);
    if (!e)
        return;
    r->zone_refs[e->zone]--;
    size_t at = (size_t)(e - r->zone_of);
    memmove(e, e + 1, (r->zone_of_count - at - 1) * sizeof *e);
    r->zone_of_count--;
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
    r->holders_changed = 0;
    r->seconds = 0.0;
    if (r->bytes_in) {
        memset(r->bytes_in, 0, RS_MAX_NODES * sizeof *r->bytes_in);
        memset(r->bytes_out, 0, RS_MAX_NODES * sizeof *r->bytes_out);
    }
}

/* Case-insensitive equality of n bytes with a lowercase word. */
static int word_is(const char *s, size_t n, const char *word)
{
    if (strlen(word) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]) != word[i])
            return 0;
    return 1;
}

int repl_parse_bandwidth(const char *s, size_t len, const char *what, double *out, char *err, size_t err_size)
{
    char quoted[80], num[32];
    nodeid_quote(s, len, quoted, sizeof quoted);
    size_t i = 0, digits = 0, dots = 0;
    while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) {
        digits += s[i] != '.';
        dots += s[i] == '.';
        i++;
    }
    size_t num_len = i;
    while (i < len && s[i] == ' ')
        i++; /* "10 Gbit" */
    const char *u = s + i;
    size_t n = len - i;
    if (n >= 2 && u[n - 2] == '/' && (u[n - 1] == 's' || u[n - 1] == 'S'))
        n -= 2; /* "/s" */
    /* Prefix: k M G T in any case, then i for powers of 1024. */
    double scale = 1.0, base = 1000.0;
    size_t p = 0;
    if (n > 1) {
        char c = (char)(u[0] >= 'a' ? u[0] - 32 : u[0]);
        double e = c == 'K' ? 1 : c == 'M' ? 2 : c == 'G' ? 3 : c == 'T' ? 4 : 0;
        if (e > 0) {
            p = 1;
            if (n > 2 && (u[1] == 'i' || u[1] == 'I'))
                base = 1024.0, p = 2;
            scale = pow(base, e);
        }
    }
    /* The unit: the words in any case; a lone b is bits, B bytes (Mb / MB),
     * so is the b of bps / Bps. */
    const char *w = u + p;
    size_t wn = n - p;
    double unit = 0.0;
    if (word_is(w, wn, "bit") || word_is(w, wn, "bits") || (wn == 1 && w[0] == 'b') ||
        (wn == 3 && w[0] == 'b' && word_is(w, wn, "bps")))
        unit = 0.125;
    else if (word_is(w, wn, "byte") || word_is(w, wn, "bytes") || (wn == 1 && w[0] == 'B') ||
             (wn == 3 && w[0] == 'B' && word_is(w, wn, "bps")))
        unit = 1.0;
    if (digits == 0 || dots > 1 || num_len >= sizeof num || unit == 0.0) {
        snprintf(err, err_size,
                 "%s: \"%s\" is not a bandwidth: a number and a unit per second, e.g. 10Gbit, 10 Gbps, 400MB, "
                 "1GiB (bit, bps or b for bits, byte or B for bytes, after k M G T or Ki Mi Gi Ti; any case "
                 "but b/B; /s optional)",
                 what, quoted);
        return -1;
    }
    memcpy(num, s, num_len);
    num[num_len] = '\0';
    double v = strtod(num, NULL) * scale * unit;
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

/* What every list of one change shares (zones: v->nodes). */
typedef struct walk_ctx {
    const repl_view_t *v;
    uint32_t target;               /* min(R, n) */
    uint32_t placed;               /* live nodes the walk meets */
    uint32_t zones_placed;         /* distinct zones among them */
    uint16_t *out;                 /* lists, [k * stride] by embedding index */
    uint8_t *out_len;
    uint32_t stride;
    uint64_t len;                  /* candidates in one pass of the walk */
    void *scratch;                 /* per part: walk_bytes each */
    size_t walk_bytes;
} walk_ctx_t;

/* One key's walk: candidates by index, the ranking ones computed as far as
 * asked (walk_rank) and kept. */
typedef struct walk {
    const walk_ctx_t *c;
    const strat_key_t *key;
    strat_where_t w;
    uint16_t *order;               /* ranked candidates so far (RS_MAX_NODES) */
    uint32_t ranked;
    void *scores;                  /* the strategy's scratch */
} walk_t;

/* Bytes of one part's scratch: the ranked order and the strategy's. */
static size_t walk_bytes(const strat_ops_t *ops)
{
    size_t order = RS_MAX_NODES * sizeof(uint16_t);
    return order + (ops->walk_scratch + 15) / 16 * 16;
}

static void walk_begin(walk_t *wk, const walk_ctx_t *c, const strat_key_t *key, void *scratch)
{
    wk->c = c;
    wk->key = key;
    wk->order = scratch;
    wk->scores = (char *)scratch + RS_MAX_NODES * sizeof(uint16_t);
    wk->ranked = 0;
    strat_locate(c->v->strat, c->v->nodes, key, &wk->w);
}

/* Candidate i (< c->len) of the walk. */
static uint16_t walk_get(void *ctx, uint64_t i)
{
    walk_t *wk = ctx;
    const strat_t *st = wk->c->v->strat;
    const strat_nodes_t *nodes = wk->c->v->nodes;
    if (st->ops->walk_at)
        return st->ops->walk_at(st->state, nodes, &wk->w, i);
    if (i >= wk->ranked) {
        /* R at first; more (doubling) only when zones skip candidates. */
        uint64_t k = wk->ranked ? 2 * (uint64_t)wk->ranked : wk->c->target;
        k = k > i + 1 ? k : i + 1;
        k = k < nodes->n ? k : nodes->n;
        st->ops->walk_rank(st->state, nodes, wk->key, wk->scores, wk->order, wk->ranked, (uint32_t)k);
        wk->ranked = (uint32_t)k;
    }
    return wk->order[i];
}

/* The list of key into out (target entries at most): the walk, then the
 * nodes it never meets, by strat_walk_list's rule. A strategy that places
 * copies itself (a shard map) gives them. */
static uint32_t list_of_key(const walk_ctx_t *c, const strat_key_t *key, uint16_t *out, void *scratch)
{
    const repl_view_t *v = c->v;
    const strat_nodes_t *nodes = v->nodes;
    const strat_ops_t *ops = v->strat->ops;
    if (nodes->n == 0 || c->target == 0)
        return 0;
    if (ops->holders) {
        uint16_t got[RS_MAX_REPLICAS];
        uint32_t n = ops->holders(v->strat->state, nodes, key, got);
        n = n < c->target ? n : c->target;
        memcpy(out, got, n * sizeof *out);
        return n;
    }
    walk_t wk;
    walk_begin(&wk, c, key, scratch);
    strat_walk_t src = {c->len, walk_get, &wk, v->unplaced_count ? v->unplaced : NULL, c->placed, c->zones_placed};
    if (ops->list_rule == STRAT_LIST_RACKS)
        return strat_walk_list_racks(nodes, c->target, &src, out);
    return strat_walk_list(nodes, c->target, &src, out);
}

/* The list of the key at sorted position pos. */
static uint32_t list_of(const walk_ctx_t *c, size_t pos, uint16_t *out, void *scratch)
{
    strat_key_t key;
    strat_key_at(c->v->store, c->v->own, pos, &key);
    return list_of_key(c, &key, out, scratch);
}

static void lists_part(void *arg, unsigned part, unsigned parts)
{
    const walk_ctx_t *c = arg;
    const store_t *st = c->v->store;
    size_t n = st->count, lo = n / parts * part, hi = part + 1 == parts ? n : n / parts * (part + 1);
    void *scratch = (char *)c->scratch + (size_t)part * c->walk_bytes;
    for (size_t pos = lo; pos < hi; pos++) {
        uint32_t k = st->index[pos];
        c->out_len[k] = (uint8_t)list_of(c, pos, c->out + (size_t)k * c->stride, scratch);
    }
}

/* The list length, the walk's, and how much of the live nodes and zones
 * (v->nodes) the walk meets, once per change. */
static void ctx_setup(walk_ctx_t *c, const repl_t *r, const repl_view_t *v)
{
    const strat_nodes_t *nodes = v->nodes;
    const strat_ops_t *ops = v->strat->ops;
    c->v = v;
    c->target = r->replicas < nodes->n ? r->replicas : nodes->n;
    c->len = nodes->n && !ops->holders ? ops->walk_len(v->strat->state, nodes) : 0;
    c->walk_bytes = walk_bytes(ops);
    c->placed = c->zones_placed = 0;
    uint8_t seen[REPL_ZONES_MAX] = {0};
    for (uint32_t i = 0; i < nodes->n; i++) {
        uint16_t slot = nodes->rank[i];
        if (v->unplaced_count && v->unplaced && v->unplaced[slot])
            continue;
        c->placed++;
        uint16_t z = nodes->zone[slot];
        if (z & STRAT_ZONE_OWN)
            c->zones_placed++;
        else if (!seen[z])
            seen[z] = 1, c->zones_placed++;
    }
}

/* One list, for a store position (key NULL) or any key. */
static uint32_t prefs_one(const repl_t *r, const repl_view_t *v, size_t pos, const strat_key_t *key, uint16_t *out)
{
    walk_ctx_t *c = malloc(sizeof *c);
    void *scratch = malloc(walk_bytes(v->strat->ops));
    uint32_t n = 0;
    if (c && scratch) {
        ctx_setup(c, r, v);
        n = key ? list_of_key(c, key, out, scratch) : list_of(c, pos, out, scratch);
    }
    free(c);
    free(scratch);
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
    r->holders_changed = 1;
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
    unsigned parts = keys < 20000 ? 1 : par_threads();
    c->scratch = malloc((size_t)parts * c->walk_bytes);
    if (!c->scratch) {
        free(c);
        snprintf(err, err_size, "out of memory placing copies");
        return -1;
    }
    par_run(parts, lists_part, c);
    free(c->scratch);
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
            if (hn != pn || memcmp(h, p, pn * sizeof *h) != 0)
                r->holders_changed = 1;
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
