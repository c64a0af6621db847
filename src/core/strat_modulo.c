/* strat_modulo — naive modulo hashing: the owner of a key is the node of
 * rank khash mod n (DESIGN §1b). It is what consistent hashing replaces:
 * almost every key moves when n changes, so every change is a full
 * recompute (each key looked up again; a lookup is one division). No
 * weights. `at` is the bucket khash mod n. */
#include "strat.h"

#include "place.h"

#include <inttypes.h>
#include <stdio.h>

static void modulo_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)state;
    strat_where_none(w);
    if (nodes->n == 0)
        return;
    uint32_t b = (uint32_t)(key->hash % nodes->n);
    w->owner = nodes->rank[b];
    w->at = b;
}

static size_t modulo_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    return (size_t)nodes->n * sizeof nodes->rank[0];
}

static uint64_t modulo_walk_len(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    return nodes->n;
}

static uint16_t modulo_walk_at(const void *state, const strat_nodes_t *nodes, const strat_where_t *w, uint64_t i)
{
    (void)state;
    return nodes->rank[((uint64_t)w->at + i) % nodes->n];
}

static void modulo_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)p;
    snprintf(out, n, "modulo \xC2\xB7 %u segments in rank order, outer ring; key \xE2\x86\x92 "
             "segment h mod %u", nodes->n, nodes->n);
}

/* The bucket (modulo and jump share it). */
void strat_bucket_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key,
                           const strat_where_t *w, json_t *json, char *text, size_t text_size)
{
    (void)s, (void)nodes, (void)key;
    if (json)
        json_printf(json, ",\"bucket\":%" PRId64, w->at);
    if (text)
        snprintf(text, text_size, "bucket %" PRId64 "\n", w->at);
}

const strat_ops_t strat_modulo_ops = {
    .name = "modulo", .weighted = 0, .uses_vnodes = 0,
    .build = strat_no_structure_build, .release = strat_no_structure_release,
    .locate = modulo_locate, .memory = modulo_memory, .describe = strat_bucket_describe, .landed = "modulo bucket",
    .place = place_at_cell, .cells = place_walk_cells, .cell_owner = place_walk_cell_owner,
    .walk_len = modulo_walk_len, .walk_at = modulo_walk_at,
    .structure = {.kind = STRAT_STRUCTURE_CELLS, .flags = STRAT_DRAW_NUMBERED | STRAT_DRAW_RESIDUE,
                  .size_name = "buckets"},
    .legend = modulo_legend,
};
