/* strat_maglev — Maglev hashing (Eisenbud et al., NSDI 2016), DESIGN §1b.
 *
 * A lookup table of M slots (M prime, default 65537): node ID prefers the
 * slots offset, offset+skip, offset+2·skip, … (mod M), with offset =
 * hash64("node:ID#maglev:offset") mod M and skip = hash64("node:ID#maglev:skip")
 * mod (M-1) + 1. Nodes take turns in rank order, each filling its next
 * preferred empty slot, until the table is full (the paper's Pseudocode 1).
 * owner = table[khash mod M]; `at` is that slot.
 *
 * Full recompute: the table is rebuilt from scratch on every change (the
 * paper's own procedure; a node's slots depend on every other node's turns),
 * then every key is looked up again (one table read each). No weights.
 * Memory: the table (2 bytes a slot).
 */
#include "strat.h"

#include "place.h"

#include "hash.h"
#include "rmod.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct maglev {
    uint32_t m;
    uint32_t n;
    rmod_t mod_m;      /* khash mod M without a division */
    uint16_t *table;   /* node slot per table slot; NULL with no nodes */
} maglev_t;

void strat_maglev_fill(const uint32_t *offset, const uint32_t *skip, uint32_t n, uint32_t m, uint32_t *next,
                       uint16_t *table)
{
    /* Empty slots hold UINT16_MAX while filling (n < UINT16_MAX). */
    for (uint32_t j = 0; j < m; j++)
        table[j] = UINT16_MAX;
    /* next[i]: backend i's next preference, offset + j·skip mod M, kept
     * by adding skip (< M) and subtracting M once it passes: no division. */
    for (uint32_t i = 0; i < n; i++)
        next[i] = offset[i];
    if (n == 0)
        return;
    uint32_t filled = 0;
    for (;;) {
        for (uint32_t i = 0; i < n; i++) {
            uint32_t c;
            do {
                c = next[i];
                next[i] = c >= m - skip[i] ? c - (m - skip[i]) : c + skip[i];
            } while (table[c] != UINT16_MAX);
            table[c] = (uint16_t)i;
            if (++filled == m)
                return;
        }
    }
}

static uint64_t maglev_hash(const ring_node_t *node, const char *what)
{
    char buf[NODEID_MAX + 32];
    int len = snprintf(buf, sizeof buf, "node:%s#maglev:%s", node->id, what);
    return hash64(buf, (size_t)len);
}

static void maglev_release(void *state)
{
    maglev_t *g = state;
    if (g)
        free(g->table);
    free(g);
}

static int maglev_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                        const strat_params_t *p, const struct store *st, const uint64_t *own, char *err, size_t err_size)
{
    (void)own;
    (void)prev, (void)change;
    (void)st;
    uint32_t m = p->table, n = nodes->n;
    maglev_t *g = calloc(1, sizeof *g);
    uint32_t *offset = malloc((n + 1) * sizeof *offset), *skip = malloc((n + 1) * sizeof *skip);
    uint32_t *next = malloc((n + 1) * sizeof *next);
    if (g) {
        g->m = m;
        g->n = n;
        g->mod_m = rmod_init(m);
        g->table = n ? malloc((size_t)m * sizeof *g->table) : NULL;
    }
    if (!g || !offset || !skip || !next || (n && !g->table)) {
        free(offset), free(skip), free(next);
        maglev_release(g);
        snprintf(err, err_size, "out of memory for a Maglev table of %u slots", m);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        const ring_node_t *node = &nodes->ring->nodes[nodes->rank[i]];
        offset[i] = (uint32_t)(maglev_hash(node, "offset") % m);
        skip[i] = (uint32_t)(maglev_hash(node, "skip") % (m - 1) + 1);
    }
    if (n) {
        strat_maglev_fill(offset, skip, n, m, next, g->table);
        for (uint32_t j = 0; j < m; j++)
            g->table[j] = nodes->rank[g->table[j]];
    }
    free(offset), free(skip), free(next);
    *state = g;
    return 0;
}

static void maglev_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)nodes;
    const maglev_t *g = state;
    strat_where_none(w);
    if (!g->table)
        return;
    uint32_t c = rmod_of(&g->mod_m, key->hash);
    w->owner = g->table[c];
    w->at = c;
}

static void maglev_owners(const void *state, const strat_nodes_t *nodes, const uint64_t *khash, const uint64_t *own,
                          size_t n, uint16_t *out)
{
    (void)nodes, (void)own;
    const maglev_t *g = state;
    if (!g->table) {
        for (size_t i = 0; i < n; i++)
            out[i] = RING_NONE;
        return;
    }
    const rmod_t r = g->mod_m;
    const uint16_t *table = g->table;
    for (size_t i = 0; i < n; i++)
        out[i] = table[rmod_of(&r, khash[i])];
}

static size_t maglev_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    const maglev_t *g = state;
    return sizeof *g + (g->table ? (size_t)g->m * sizeof *g->table : 0);
}

static uint64_t maglev_walk_len(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    const maglev_t *g = state;
    return g->table ? g->m : 0;
}

static uint16_t maglev_walk_at(const void *state, const strat_nodes_t *nodes, const strat_where_t *w, uint64_t i)
{
    (void)nodes;
    const maglev_t *g = state;
    return g->table[((uint64_t)w->at + i) % g->m];
}

/* With fewer cells than nodes (M < n) the last nodes in rank order get no
 * turn before the table is full. */
static uint32_t maglev_unplaced(const void *state, const strat_nodes_t *nodes, uint8_t *unplaced, uint16_t about,
                                char *why, size_t why_size)
{
    const maglev_t *g = state;
    if (!g->table || g->m >= nodes->n)
        return 0;
    uint8_t seen[RS_MAX_NODES] = {0};
    for (uint32_t j = 0; j < g->m; j++)
        seen[g->table[j]] = 1;
    uint32_t count = 0;
    for (uint32_t i = 0; i < nodes->n; i++) {
        uint16_t slot = nodes->rank[i];
        if (seen[slot])
            continue;
        count++;
        if (slot == about && why)
            snprintf(why, why_size, "owns no table cell (M = %u cells for %u nodes)", g->m, nodes->n);
        unplaced[slot] = 1;
    }
    return count;
}

static uint64_t maglev_size(const void *state, const strat_nodes_t *nodes)
{
    return nodes->n ? maglev_walk_len(state, nodes) : 0;
}

static void maglev_cells_total(uint64_t cells, char *out, size_t n)
{
    snprintf(out, n, "M = %llu cells", (unsigned long long)cells);
}

static void maglev_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)nodes;
    snprintf(out, n, "maglev \xC2\xB7 table of %llu cells, outer ring; key \xE2\x86\x92 cell h mod %llu",
             (unsigned long long)p->table, (unsigned long long)p->table);
}
static void maglev_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key,
                            const strat_where_t *w, json_t *json, char *text, size_t text_size)
{
    (void)nodes, (void)key;
    if (json)
        json_printf(json, ",\"slot\":%" PRId64, w->at);
    if (text)
        snprintf(text, text_size, "table slot %" PRId64 " of %u\n", w->at, s->params.table);
}

static int maglev_check_table(uint32_t m, char *err, size_t err_size)
{
    if (strat_is_prime(m))
        return 0;
    snprintf(err, err_size, "%u is not a prime (Maglev needs a prime table size, e.g. %u)", m, STRAT_TABLE_DEFAULT);
    return -1;
}

static const strat_param_t maglev_params[] = {
    {.flag = "--table", .metavar = "M", .field = "table", .help = "lookup table size, a prime",
     .def = STRAT_TABLE_DEFAULT, .min = STRAT_TABLE_MIN, .max = STRAT_TABLE_MAX,
     .offset = offsetof(strat_params_t, table), .check = maglev_check_table},
};

const strat_ops_t strat_maglev_ops = {
    .name = "maglev", .weighted = 0, .uses_vnodes = 0, .params = maglev_params, .param_count = 1,
    .build = maglev_build, .release = maglev_release, .locate = maglev_locate, .owners = maglev_owners,
    .memory = maglev_memory, .describe = maglev_describe, .landed = "Maglev table slot",
    .place = place_at_cell, .cells = place_walk_cells, .cell_owner = place_walk_cell_owner,
    .walk_len = maglev_walk_len, .walk_at = maglev_walk_at, .unplaced = maglev_unplaced,
    .structure = {.kind = STRAT_STRUCTURE_CELLS, .cells_total = maglev_cells_total, .size_name = "table cells",
                  .size = maglev_size},
    .legend = maglev_legend,
};
