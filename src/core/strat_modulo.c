/* strat_modulo — naive modulo hashing: the owner of a key is the node of
 * rank khash mod n (DESIGN §1b). It is what consistent hashing replaces:
 * almost every key moves when n changes, so every change is a full
 * recompute (each key looked up again). No weights. `at` is the bucket
 * khash mod n. The structure is n's reciprocal (rmod.h): a lookup is four
 * multiplications, not a 64-bit division. */
#include "strat.h"

#include "place.h"
#include "rmod.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int modulo_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                        const strat_params_t *p, const struct store *st, const uint64_t *own, char *err,
                        size_t err_size)
{
    (void)prev, (void)change, (void)p, (void)st, (void)own;
    rmod_t *r = malloc(sizeof *r);
    if (!r) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    *r = rmod_init(nodes->n ? nodes->n : 1);
    *state = r;
    return 0;
}

static void modulo_release(void *state) { free(state); }

static void modulo_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    strat_where_none(w);
    if (nodes->n == 0)
        return;
    uint32_t b = rmod_of(state, key->hash);
    w->owner = nodes->rank[b];
    w->at = b;
}

static void modulo_owners(const void *state, const strat_nodes_t *nodes, const uint64_t *khash, const uint64_t *own,
                          size_t n, uint16_t *out)
{
    (void)own;
    const rmod_t r = *(const rmod_t *)state;
    if (nodes->n == 0) {
        for (size_t i = 0; i < n; i++)
            out[i] = RING_NONE;
        return;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = nodes->rank[rmod_of(&r, khash[i])];
}

static size_t modulo_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    return sizeof(rmod_t) + (size_t)nodes->n * sizeof nodes->rank[0];
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
    .build = modulo_build, .release = modulo_release,
    .locate = modulo_locate, .owners = modulo_owners, .memory = modulo_memory, .describe = strat_bucket_describe,
    .landed = "modulo bucket",
    .place = place_at_cell, .cells = place_walk_cells, .cell_owner = place_walk_cell_owner,
    .walk_len = modulo_walk_len, .walk_at = modulo_walk_at,
    .structure = {.kind = STRAT_STRUCTURE_CELLS, .flags = STRAT_DRAW_NUMBERED | STRAT_DRAW_RESIDUE,
                  .size_name = "buckets"},
    .legend = modulo_legend,
};
