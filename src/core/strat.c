/* strat — the strategy table and what every strategy shares. */
#include "strat.h"

#include "hash.h"
#include "store.h"

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

strat_kind_t strat_default(void) { return (strat_kind_t)0; }

int strat_names_join(char *out, size_t size, const char *sep, const char *last, const char *default_mark)
{
    size_t at = 0;
    for (int k = 0; k < STRAT_COUNT; k++) {
        const char *before = k == 0 ? "" : k + 1 == STRAT_COUNT ? last : sep;
        const char *mark = default_mark && (strat_kind_t)k == strat_default() ? default_mark : "";
        int n = snprintf(out + (at < size ? at : size), at < size ? size - at : 0, "%s%s%s", before,
                         strat_table[k]->name, mark);
        if (n < 0)
            return n;
        at += (size_t)n;
    }
    if (at == 0 && size)
        out[0] = '\0';
    return (int)at;
}

const char *strat_names_list(void)
{
    static char list[STRAT_COUNT * 16];
    if (!list[0])
        strat_names_join(list, sizeof list, ", ", ", ", NULL);
    return list;
}

static uint32_t *param_slot(strat_params_t *p, const strat_param_t *d)
{
    return (uint32_t *)(void *)((char *)p + d->offset);
}

uint32_t strat_param_get(const strat_params_t *p, const strat_param_t *d)
{
    uint32_t v = *param_slot((strat_params_t *)p, d);
    return v ? v : d->def;
}

void strat_param_set(strat_params_t *p, const strat_param_t *d, uint32_t v) { *param_slot(p, d) = v; }

void strat_params_default(strat_params_t *p)
{
    memset(p, 0, sizeof *p);
    strat_params_complete(p);
}

void strat_params_complete(strat_params_t *p)
{
    for (int k = 0; k < STRAT_COUNT; k++)
        for (size_t i = 0; i < strat_table[k]->param_count; i++) {
            const strat_param_t *d = &strat_table[k]->params[i];
            *param_slot(p, d) = strat_param_get(p, d);
        }
}

const strat_param_t *strat_param_find(const char *s, size_t len, strat_kind_t *kind)
{
    for (int k = 0; k < STRAT_COUNT; k++)
        for (size_t i = 0; i < strat_table[k]->param_count; i++) {
            const strat_param_t *d = &strat_table[k]->params[i];
            if (strlen(d->flag) == len && memcmp(d->flag, s, len) == 0) {
                if (kind)
                    *kind = (strat_kind_t)k;
                return d;
            }
        }
    return NULL;
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

int strat_no_structure_build(void **state, const void *prev, const strat_change_t *change, const strat_nodes_t *nodes,
                             const strat_params_t *p, const struct store *st, char *err, size_t err_size)
{
    (void)prev, (void)change, (void)nodes, (void)p, (void)st, (void)err, (void)err_size;
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

int strat_build(strat_t *s, const strat_nodes_t *nodes, const strat_change_t *change, const struct store *st,
                char *err, size_t err_size)
{
    /* Build aside and swap: a failed build keeps the old structure, so
     * lookups never meet a missing one. */
    void *fresh = NULL;
    if (s->ops->build(&fresh, s->state, change, nodes, &s->params, st, err, err_size) != 0)
        return -1;
    if (s->state)
        s->ops->release(s->state);
    s->state = fresh;
    return 0;
}

void strat_key_at(const store_t *st, const uint32_t *own, size_t pos, strat_key_t *key)
{
    key->hash = st->hash ? st->hash[pos] : 0; /* a store by index has no khash */
    key->hash32 = own ? own[pos] : 0;
    key->index = st->index[pos];
}

void strat_free(strat_t *s)
{
    if (s->state)
        s->ops->release(s->state);
    s->state = NULL;
}
