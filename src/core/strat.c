/* strat — the strategy table and what every strategy shares. */
#include "strat.h"

#include "hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const strat_ops_t strat_ring_ops, strat_modulo_ops, strat_jump_ops, strat_rendezvous_ops, strat_maglev_ops,
    strat_bounded_ops, strat_multiprobe_ops, strat_ketama_ops;

static const strat_ops_t *const strat_table[STRAT_COUNT] = {
    [STRAT_RING] = &strat_ring_ops,         [STRAT_MODULO] = &strat_modulo_ops,
    [STRAT_JUMP] = &strat_jump_ops,         [STRAT_RENDEZVOUS] = &strat_rendezvous_ops,
    [STRAT_MAGLEV] = &strat_maglev_ops,     [STRAT_BOUNDED] = &strat_bounded_ops,
    [STRAT_MULTIPROBE] = &strat_multiprobe_ops, [STRAT_KETAMA] = &strat_ketama_ops,
};

const strat_ops_t *strat_ops(strat_kind_t kind) { return strat_table[kind]; }

const char *strat_name(strat_kind_t kind) { return strat_table[kind]->name; }

int strat_parse(const char *s, size_t len, strat_kind_t *out)
{
    for (int k = 0; k < STRAT_COUNT; k++) {
        const char *name = strat_table[k]->name;
        if (strlen(name) == len && memcmp(name, s, len) == 0) {
            *out = (strat_kind_t)k;
            return 0;
        }
    }
    return -1;
}

const char *strat_names_list(void)
{
    return "ring, modulo, jump, rendezvous, maglev, bounded, multiprobe, ketama";
}

void strat_params_default(strat_params_t *p)
{
    p->table = STRAT_TABLE_DEFAULT;
    p->balance = STRAT_BALANCE_DEFAULT;
    p->probes = STRAT_PROBES_DEFAULT;
}

void strat_nodes_refresh(strat_nodes_t *nodes, const ring_t *ring)
{
    nodes->ring = ring;
    nodes->n = 0;
    nodes->weight_sum = 0;
    nodes->weights_equal = 1;
    for (uint32_t s = 0; s < ring->slot_count; s++) {
        if (!ring->nodes[s].live)
            continue;
        if (nodes->n && ring->nodes[s].weight != ring->nodes[nodes->rank[0]].weight)
            nodes->weights_equal = 0;
        nodes->rank[nodes->n++] = (uint16_t)s;
        nodes->weight_sum += ring->nodes[s].weight;
    }
    /* Insertion sort by order of addition (qsort would need the ring as
     * hidden global state); slots come nearly sorted, reused only after
     * removals. */
    for (uint32_t i = 1; i < nodes->n; i++) {
        uint16_t x = nodes->rank[i];
        uint32_t j = i;
        while (j > 0 && ring->nodes[nodes->rank[j - 1]].seq > ring->nodes[x].seq) {
            nodes->rank[j] = nodes->rank[j - 1];
            j--;
        }
        nodes->rank[j] = x;
    }
}

uint64_t strat_node_hash(const char *id, size_t id_len)
{
    char buf[NODEID_MAX + 8];
    memcpy(buf, "node:", 5);
    memcpy(buf + 5, id, id_len);
    return hash64(buf, id_len + 5);
}

int strat_is_prime(uint32_t m)
{
    if (m < 2)
        return 0;
    for (uint32_t d = 2; (uint64_t)d * d <= m; d++)
        if (m % d == 0)
            return 0;
    return 1;
}

int strat_no_structure_build(void **state, const strat_nodes_t *nodes, const strat_params_t *p,
                             const struct store *st, char *err, size_t err_size)
{
    (void)nodes, (void)p, (void)st, (void)err, (void)err_size;
    *state = NULL;
    return 0;
}

void strat_no_structure_release(void *state) { (void)state; }

int strat_points_alloc(strat_points_t *p, size_t count)
{
    memset(p, 0, sizeof *p);
    /* About two table entries per point keep the scan to a step or two. */
    unsigned bits = 1;
    while (bits < 22 && ((size_t)1 << bits) < 2 * count)
        bits++;
    p->index_len = (size_t)1 << bits;
    p->shift = 64 - bits;
    p->pos = malloc((count + 1) * sizeof *p->pos);
    p->node = malloc((count + 1) * sizeof *p->node);
    p->index = malloc(p->index_len * sizeof *p->index);
    return p->pos && p->node && p->index ? 0 : -1;
}

void strat_points_index(strat_points_t *p)
{
    uint32_t i = 0;
    for (size_t b = 0; b < p->index_len; b++) {
        while (i < p->count && (p->pos[i] >> p->shift) < b)
            i++;
        p->index[b] = i;
    }
}

void strat_points_free(strat_points_t *p)
{
    free(p->pos);
    free(p->node);
    free(p->index);
    memset(p, 0, sizeof *p);
}

size_t strat_points_memory(const strat_points_t *p)
{
    return (size_t)p->count * (sizeof *p->pos + sizeof *p->node) + p->index_len * sizeof *p->index;
}

void strat_init(strat_t *s, strat_kind_t kind, const strat_params_t *p)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->ops = strat_table[kind];
    if (p)
        s->params = *p;
    else
        strat_params_default(&s->params);
}

int strat_build(strat_t *s, const strat_nodes_t *nodes, const struct store *st, char *err, size_t err_size)
{
    /* Build aside and swap: a failed build keeps the old structure, so
     * lookups never meet a missing one. */
    void *fresh = NULL;
    if (s->ops->build(&fresh, nodes, &s->params, st, err, err_size) != 0)
        return -1;
    if (s->state)
        s->ops->release(s->state);
    s->state = fresh;
    return 0;
}

void strat_free(strat_t *s)
{
    if (s->state)
        s->ops->release(s->state);
    s->state = NULL;
}
