/* strat_cassandra — the Cassandra preset (DESIGN §1c; reference/routing.md
 * §6, read from dht/Murmur3Partitioner.java, utils/MurmurHash.java and
 * locator/NetworkTopologyStrategy.java).
 *
 * A key's token is h1 of Murmur3 x64_128, seed 0, over its bytes with
 * Java's sign-extended tail bytes, as a signed long (Long.MIN becomes
 * Long.MAX; an empty key is Long.MIN) — the own key hash, ordered as signed
 * (strat_keyhash_t.signed_order). Each node owns num_tokens = 16 tokens,
 * the tokens of the texts "ID:k", k = 0..15 (Cassandra draws them at random
 * or with its allocator; these are reproducible). A key belongs to the node
 * of the first token >= its own, wrapping (ranges (previous, token]); equal
 * tokens: the lower rank keeps it.
 *
 * Bootstrap and decommission stream token ranges: a new node's tokens take
 * the ranges that end at them, a leaving node's ranges go to the next
 * tokens' owners, and no other key moves (remove_keeps_others). Copies
 * follow NetworkTopologyStrategy as the server places them, zones as racks
 * (strat_walk_list_racks): clockwise from the key's token, a node of a rack
 * not yet in the list always, one of a rack already in it only while
 * R - racks repeats remain.
 */
#include "strat.h"

#include "place.h"
#include "sysroute.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASSANDRA_NUM_TOKENS 16u /* cassandra.yaml num_tokens (4.0+) */
#define SIGN 0x8000000000000000ull

extern const strat_ops_t strat_cassandra_ops;

typedef struct cassandra {
    strat_points_t p;      /* ring positions: token bits with the sign flipped */
    uint32_t *k;           /* each point's token number k (of "ID:k") */
    uint16_t added;        /* the last build's added node, RING_NONE if none */
    uint16_t removed;
} cassandra_t;

static int64_t as_token(uint64_t bits)
{
    return bits <= (uint64_t)INT64_MAX ? (int64_t)bits : -(int64_t)(~bits) - 1;
}

static uint64_t cassandra_of_index(uint64_t index, const char *id, size_t len)
{
    (void)index;
    return (uint64_t)sr_cassandra_token(id, len);
}

static void cassandra_of_indexes(uint64_t first, size_t n, uint64_t *out)
{
    strat_keyhash_fill(cassandra_of_index, first, n, out);
}

static int cassandra_of_id(const char *id, size_t len, uint64_t *out, char *why, size_t why_size)
{
    (void)why, (void)why_size;
    *out = (uint64_t)sr_cassandra_token(id, len); /* a blob partition key: any bytes */
    return 0;
}

uint64_t strat_cassandra_node_token(const char *id, size_t id_len, uint32_t k)
{
    char buf[NODEID_MAX + 16];
    memcpy(buf, id, id_len);
    int n = snprintf(buf + id_len, sizeof buf - id_len, ":%u", k);
    return (uint64_t)sr_cassandra_token(buf, id_len + (size_t)n);
}

typedef struct tok {
    uint64_t pos;
    uint16_t rank, slot;
    uint32_t k;
} tok_t;

static int by_pos(const void *a, const void *b)
{
    const tok_t *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

static void cassandra_release(void *state)
{
    cassandra_t *c = state;
    if (!c)
        return;
    strat_points_free(&c->p);
    free(c->k);
    free(c);
}

static int cassandra_build(void **state, const void *prev_state, const strat_change_t *change,
                           const strat_nodes_t *nodes, const strat_params_t *p, const struct store *st,
                           const uint64_t *own, char *err, size_t err_size)
{
    (void)p, (void)st, (void)own;
    const cassandra_t *prev = prev_state;
    size_t n = (size_t)nodes->n * CASSANDRA_NUM_TOKENS;
    cassandra_t *c = calloc(1, sizeof *c);
    tok_t *t = malloc((n + 1) * sizeof *t);
    if (!c || !t || strat_points_alloc(&c->p, n) != 0 || !(c->k = malloc((n + 1) * sizeof *c->k))) {
        cassandra_release(c);
        free(t);
        snprintf(err, err_size, "out of memory for %zu tokens", n);
        return -1;
    }
    size_t m = 0;
    for (uint32_t r = 0; r < nodes->n; r++) {
        const ring_node_t *node = &nodes->ring->nodes[nodes->rank[r]];
        for (uint32_t k = 0; k < CASSANDRA_NUM_TOKENS; k++)
            t[m++] = (tok_t){strat_cassandra_node_token(node->id, node->id_len, k) ^ SIGN, (uint16_t)r,
                             nodes->rank[r], k};
    }
    qsort(t, m, sizeof *t, by_pos);
    for (size_t i = 0; i < m; i++) {
        c->p.pos[i] = t[i].pos;
        c->p.node[i] = t[i].slot;
        c->k[i] = t[i].k;
    }
    c->p.count = (uint32_t)m;
    strat_points_index(&c->p);
    free(t);
    c->added = prev && change->kind == STRAT_CHANGE_NODES ? change->added : RING_NONE;
    c->removed = prev && change->kind == STRAT_CHANGE_NODES ? change->removed : RING_NONE;
    *state = c;
    return 0;
}

static void cassandra_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)nodes;
    const cassandra_t *c = state;
    strat_where_none(w);
    if (!c || c->p.count == 0)
        return;
    uint32_t i = strat_points_successor(&c->p, key->own ^ SIGN);
    w->owner = c->p.node[i];
    w->at = i;
    w->point = c->p.pos[i] ^ SIGN; /* the token's bits */
}

static void cassandra_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key,
                               const strat_where_t *w, json_t *json, char *text, size_t text_size)
{
    const cassandra_t *c = s->state;
    uint32_t prev = (uint32_t)((w->at + c->p.count - 1) % c->p.count);
    int64_t token = as_token(key->own), end = as_token(w->point), start = as_token(c->p.pos[prev] ^ SIGN);
    const char *id = nodes->ring->nodes[w->owner].id;
    if (json)
        json_printf(json, ",\"token\":%" PRId64 ",\"range\":[%" PRId64 ",%" PRId64 "],\"vnode\":%u", token, start,
                    end, c->k[w->at]);
    if (text)
        snprintf(text, text_size, "token %" PRId64 "  range (%" PRId64 ", %" PRId64 "] of %s's token %u\n", token,
                 start, end, id, c->k[w->at]);
}

static size_t cassandra_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    const cassandra_t *c = state;
    return sizeof *c + strat_points_memory(&c->p) + c->p.count * sizeof *c->k;
}

static uint64_t cassandra_walk_len(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return ((const cassandra_t *)state)->p.count;
}

static uint16_t cassandra_walk_at(const void *state, const strat_nodes_t *nodes, const strat_where_t *w, uint64_t i)
{
    (void)nodes;
    const strat_points_t *p = &((const cassandra_t *)state)->p;
    return p->node[((uint64_t)w->at + i) % p->count];
}

static const strat_points_t *cassandra_points(const void *state) { return &((const cassandra_t *)state)->p; }

static uint64_t cassandra_size(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return state ? ((const cassandra_t *)state)->p.count : 0;
}

static void cassandra_note(const void *state, char *out, size_t n)
{
    const cassandra_t *c = state;
    /* Each of the node's tokens ends one range, (previous token, token]. */
    if (c->added != RING_NONE)
        snprintf(out, n, "bootstrap streams the %u token ranges its tokens now end", CASSANDRA_NUM_TOKENS);
    else if (c->removed != RING_NONE)
        snprintf(out, n, "decommission streams its %u token ranges to the next tokens' owners",
                 CASSANDRA_NUM_TOKENS);
    else
        out[0] = '\0';
}

static void cassandra_config(const void *state, const strat_params_t *p, json_t *j)
{
    (void)state, (void)p;
    json_printf(j, ",\"num_tokens\":%u", CASSANDRA_NUM_TOKENS);
}

static void cassandra_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)p, (void)nodes;
    snprintf(out, n, "cassandra \xC2\xB7 token = Murmur3 h1 of the key (Java's tail); 16 tokens a node \xC2\xB7 "
             "a key goes to the first token \xE2\x89\xA5 its own");
}

static const strat_keyhash_t cassandra_key_hash = {
    .bits = 64, .signed_order = 1, .help = "Murmur3 x64_128 h1 of KEY, Java's sign-extended tail (the token)",
    .native = "text (any bytes: --key-hex)", .of_id = cassandra_of_id, .of_indexes = cassandra_of_indexes,
};

const strat_ops_t strat_cassandra_ops = {
    .name = "cassandra", .system = "Cassandra", .weighted = 0, .key_hash = &cassandra_key_hash,
    .build = cassandra_build, .release = cassandra_release, .locate = cassandra_locate,
    .memory = cassandra_memory, .describe = cassandra_describe, .landed = "token range",
    .locate_note = "cassandra: the key's token (Murmur3Partitioner, signed) and the token range\n"
                   "it falls in; --replicas R lists NetworkTopologyStrategy's replicas (zones =\n"
                   "racks).\n",
    .remove_keeps_others = 1, .place = place_at_key,
    .walk_len = cassandra_walk_len, .walk_at = cassandra_walk_at, .points = cassandra_points,
    .structure = {.kind = STRAT_STRUCTURE_POINTS, .size_name = "tokens", .size = cassandra_size},
    .legend = cassandra_legend, .note = cassandra_note, .config_json = cassandra_config,
    .list_rule = STRAT_LIST_RACKS,
};
