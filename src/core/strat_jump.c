/* strat_jump — Lamping-Veach jump consistent hash (DESIGN §1b).
 *
 * bucket b = jump(khash, n) with the paper's loop (64-bit key with
 * wraparound, the division in double); the owner is the node in jump slot
 * b. Slots are kept by sim from the start: an add appends a slot, a removal
 * moves the last slot's node into the freed one (jump can only drop its last
 * bucket). No structure to build; no weights.
 *
 * Incremental on add: a key moves only if its new bucket is the added last
 * one (after_add). On remove only keys of the removed node and of the node
 * that changed slots can move (the others keep their bucket). `at` is the
 * bucket. */
#include "strat.h"

#include <stdio.h>
#include "place.h"

int32_t strat_jump_bucket(uint64_t key, int32_t n)
{
    int64_t b = -1, j = 0;
    while (j < n) {
        b = j;
        key = key * 2862933555777941757ull + 1;
        j = (int64_t)((double)(b + 1) * ((double)(1LL << 31) / (double)((key >> 33) + 1)));
    }
    return (int32_t)b;
}

static void jump_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)state;
    strat_where_none(w);
    if (nodes->n == 0)
        return;
    int32_t b = strat_jump_bucket(key->hash, (int32_t)nodes->n);
    w->owner = nodes->jump[b];
    w->at = b;
}

static uint16_t jump_after_add(const void *state, const strat_nodes_t *nodes, const strat_key_t *key,
                               uint16_t old, uint16_t added)
{
    (void)state;
    int32_t n = (int32_t)nodes->n;
    /* Growing n moves a key only into the new last bucket (the paper's
     * monotonicity): a bucket below n-1 is the one it had. */
    if (old == RING_NONE || strat_jump_bucket(key->hash, n) == n - 1)
        return added;
    return old;
}

static size_t jump_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    return (size_t)nodes->n * sizeof nodes->jump[0];
}

static uint64_t jump_walk_len(const void *state, const strat_nodes_t *nodes)
{
    (void)state;
    return nodes->n;
}

static uint16_t jump_walk_at(const void *state, const strat_nodes_t *nodes, const strat_where_t *w, uint64_t i)
{
    (void)state;
    return nodes->jump[((uint64_t)w->at + i) % nodes->n];
}

static void jump_legend(const strat_params_t *p, const strat_nodes_t *nodes, char *out, size_t n)
{
    (void)p;
    snprintf(out, n, "jump \xC2\xB7 %u buckets in slot order, outer ring; key \xE2\x86\x92 bucket "
             "jump(h, %u)", nodes->n, nodes->n);
}

const strat_ops_t strat_jump_ops = {
    .name = "jump", .weighted = 0, .uses_vnodes = 0,
    .build = strat_no_structure_build, .release = strat_no_structure_release,
    .locate = jump_locate, .memory = jump_memory, .describe = strat_bucket_describe, .landed = "jump bucket",
    .place = place_at_cell, .cells = place_walk_cells, .cell_owner = place_walk_cell_owner,
    .after_add = jump_after_add, .remove_keeps_others = 1,
    .walk_len = jump_walk_len, .walk_at = jump_walk_at,
    .structure = {.kind = STRAT_STRUCTURE_CELLS, .flags = STRAT_DRAW_NUMBERED | STRAT_DRAW_SWAP,
                  .size_name = "buckets"},
    .legend = jump_legend,
};
