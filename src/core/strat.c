/* strat — the strategy table and what every strategy shares. */
#include "strat.h"

#include "hash.h"
#include "keyid.h"
#include "par.h"
#include "store.h"
#include "uuid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const strat_ops_t strat_ring_ops, strat_modulo_ops, strat_jump_ops, strat_rendezvous_ops, strat_maglev_ops,
    strat_bounded_ops, strat_multiprobe_ops, strat_ketama_ops, strat_shards_ops, strat_redis_ops, strat_es_ops,
    strat_qdrant_ops, strat_milvus_ops, strat_cassandra_ops, strat_kafka_ops, strat_weaviate_ops;

static const strat_ops_t *const strat_table[STRAT_COUNT] = {
    [STRAT_RING] = &strat_ring_ops,         [STRAT_MODULO] = &strat_modulo_ops,
    [STRAT_JUMP] = &strat_jump_ops,         [STRAT_RENDEZVOUS] = &strat_rendezvous_ops,
    [STRAT_MAGLEV] = &strat_maglev_ops,     [STRAT_BOUNDED] = &strat_bounded_ops,
    [STRAT_MULTIPROBE] = &strat_multiprobe_ops, [STRAT_KETAMA] = &strat_ketama_ops,
    [STRAT_SHARDS] = &strat_shards_ops,     [STRAT_REDIS] = &strat_redis_ops,
    [STRAT_ES] = &strat_es_ops,             [STRAT_QDRANT] = &strat_qdrant_ops,
    [STRAT_MILVUS] = &strat_milvus_ops,     [STRAT_CASSANDRA] = &strat_cassandra_ops,
    [STRAT_KAFKA] = &strat_kafka_ops,       [STRAT_WEAVIATE] = &strat_weaviate_ops,
};

/* Other names of a row: a preset that is a strategy already. */
static const struct strat_alias {
    const char *name;
    strat_kind_t kind;
    const char *system;
} strat_aliases[] = {
    {"memcached", STRAT_KETAMA, "memcached (libketama)"},
};

#define ALIAS_COUNT (sizeof strat_aliases / sizeof strat_aliases[0])

const strat_ops_t *strat_ops(strat_kind_t kind) { return strat_table[kind]; }

const char *strat_name(strat_kind_t kind) { return strat_table[kind]->name; }

size_t strat_alias_count(void) { return ALIAS_COUNT; }

const char *strat_alias(size_t i, strat_kind_t *kind, const char **system)
{
    if (kind)
        *kind = strat_aliases[i].kind;
    if (system)
        *system = strat_aliases[i].system;
    return strat_aliases[i].name;
}

static int name_is(const char *name, const char *s, size_t len)
{
    return strlen(name) == len && memcmp(name, s, len) == 0;
}

int strat_parse(const char *s, size_t len, strat_kind_t *out)
{
    for (int k = 0; k < STRAT_COUNT; k++) {
        if (name_is(strat_table[k]->name, s, len)) {
            *out = (strat_kind_t)k;
            return 0;
        }
    }
    for (size_t i = 0; i < ALIAS_COUNT; i++) {
        if (name_is(strat_aliases[i].name, s, len)) {
            *out = strat_aliases[i].kind;
            return 0;
        }
    }
    return -1;
}

int strat_is_preset_name(const char *s, size_t len)
{
    strat_kind_t k;
    for (size_t i = 0; i < ALIAS_COUNT; i++)
        if (name_is(strat_aliases[i].name, s, len))
            return 1;
    return strat_parse(s, len, &k) == 0 && strat_table[k]->system != NULL;
}

const char *strat_preset_names(void)
{
    static char list[(STRAT_COUNT + ALIAS_COUNT) * 20];
    size_t at = 0;
    if (list[0])
        return list;
    for (int k = 0; k < STRAT_COUNT; k++)
        if (strat_table[k]->system)
            at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", at ? ", " : "", strat_table[k]->name);
    for (size_t i = 0; i < ALIAS_COUNT; i++)
        at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", at ? ", " : "", strat_aliases[i].name);
    return list;
}

strat_kind_t strat_default(void) { return (strat_kind_t)0; }

int strat_names_join(char *out, size_t size, const char *sep, const char *last, const char *default_mark)
{
    size_t at = 0, total = STRAT_COUNT + ALIAS_COUNT;
    for (size_t k = 0; k < total; k++) {
        const char *before = k == 0 ? "" : k + 1 == total ? last : sep;
        const char *mark = default_mark && k < STRAT_COUNT && (strat_kind_t)k == strat_default() ? default_mark : "";
        const char *name = k < STRAT_COUNT ? strat_table[k]->name : strat_aliases[k - STRAT_COUNT].name;
        int n = snprintf(out + (at < size ? at : size), at < size ? size - at : 0, "%s%s%s", before, name, mark);
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
    static char list[(STRAT_COUNT + ALIAS_COUNT) * 20];
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

void strat_params_default(strat_params_t *p) { memset(p, 0, sizeof *p); }

void strat_params_complete(strat_params_t *p, strat_kind_t kind)
{
    const strat_ops_t *ops = strat_table[kind];
    for (size_t i = 0; i < ops->param_count; i++)
        *param_slot(p, &ops->params[i]) = strat_param_get(p, &ops->params[i]);
}

int strat_param_first(const strat_param_t *d)
{
    return strat_param_find(d->flag, strlen(d->flag), NULL) == d;
}

int strat_params_check(strat_kind_t kind, const strat_params_t *p, char *err, size_t err_size)
{
    const strat_ops_t *ops = strat_table[kind];
    for (size_t i = 0; i < ops->param_count; i++) {
        const strat_param_t *d = &ops->params[i];
        uint32_t v = *param_slot((strat_params_t *)p, d);
        char msg[256];
        if (v == 0)
            continue; /* not given: the default */
        if (v < d->min || v > d->max) {
            snprintf(err, err_size, "%s: %s takes %u..%u (%u given)", d->flag, ops->name, d->min, d->max, v);
            return -1;
        }
        if (d->check && d->check(v, msg, sizeof msg) != 0) {
            snprintf(err, err_size, "%s: %s", d->flag, msg);
            return -1;
        }
    }
    return ops->check_params ? ops->check_params(p, err, err_size) : 0;
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
                             const strat_params_t *p, const struct store *st, const uint64_t *own, char *err,
                             size_t err_size)
{
    (void)prev, (void)change, (void)nodes, (void)p, (void)st, (void)own, (void)err, (void)err_size;
    *state = NULL;
    return 0;
}

void strat_no_structure_release(void *state) { (void)state; }

size_t strat_points_index_len(size_t count)
{
    /* About two table entries per point keep the scan to a step or two. */
    unsigned bits = 1;
    while (bits < 22 && ((size_t)1 << bits) < 2 * count)
        bits++;
    return (size_t)1 << bits;
}

int strat_points_alloc(strat_points_t *p, size_t count)
{
    memset(p, 0, sizeof *p);
    unsigned bits = 0;
    p->index_len = strat_points_index_len(count);
    while (((size_t)1 << bits) < p->index_len)
        bits++;
    p->shift = 64 - bits;
    p->pos = malloc((count + 1) * sizeof *p->pos);
    p->node = malloc((count + 1) * sizeof *p->node);
    p->index = malloc(p->index_len * sizeof *p->index);
    return p->pos && p->node && p->index ? 0 : -1;
}

void strat_points_index(strat_points_t *p)
{
    /* Buckets up to point i's own get i (the first point at or past them):
     * one pass over the points, one store per bucket. */
    size_t b = 0;
    for (uint32_t i = 0; i < p->count; i++)
        for (size_t top = (size_t)(p->pos[i] >> p->shift); b <= top; b++)
            p->index[b] = i;
    for (; b < p->index_len; b++)
        p->index[b] = p->count;
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
    strat_params_complete(&s->params, kind);
}

int strat_build(strat_t *s, const strat_nodes_t *nodes, const strat_change_t *change, const struct store *st,
                const uint64_t *own, char *err, size_t err_size)
{
    /* Build aside and swap: a failed build keeps the old structure, so
     * lookups never meet a missing one. */
    void *fresh = NULL;
    if (s->ops->build(&fresh, s->state, change, nodes, &s->params, st, own, err, err_size) != 0)
        return -1;
    if (s->state)
        s->ops->release(s->state);
    s->state = fresh;
    return 0;
}

void strat_key_at(const store_t *st, const uint64_t *own, size_t pos, strat_key_t *key)
{
    key->hash = st->hash ? st->hash[pos] : 0; /* a store by index has no khash */
    key->own = own ? own[pos] : 0;
    key->index = st->index[pos];
}

typedef struct keyhash_job {
    uint64_t (*of_index)(uint64_t index, const char *id, size_t len);
    uint64_t first;
    size_t n;
    uint64_t *out;
} keyhash_job_t;

static void keyhash_part(void *arg, unsigned part, unsigned parts)
{
    const keyhash_job_t *j = arg;
    size_t lo = j->n / parts * part, hi = part + 1 == parts ? j->n : j->n / parts * (part + 1);
    char buf[32];
    for (size_t i = lo; i < hi; i++) {
        /* keyid_text writes "key:vec_…": the id starts after "key:". */
        size_t len = keyid_text(j->first + i, buf) - KEYID_PREFIX_LEN;
        j->out[i] = j->of_index(j->first + i, buf + KEYID_PREFIX_LEN, len);
    }
}

void strat_keyhash_fill(uint64_t (*of_index)(uint64_t index, const char *id, size_t len), uint64_t first, size_t n,
                        uint64_t *out)
{
    keyhash_job_t job = {of_index, first, n, out};
    par_run(n < 20000 ? 1 : par_threads(), keyhash_part, &job);
}

void strat_free(strat_t *s)
{
    if (s->state)
        s->ops->release(s->state);
    s->state = NULL;
}

int strat_native_number(const char *id, size_t len, int is_signed, uint64_t *out)
{
    if (keyid_number(id, len, out) == 0)
        return 0;
    int neg = is_signed && len > 1 && id[0] == '-';
    size_t i = neg ? 1 : 0;
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : is_signed ? (uint64_t)INT64_MAX : UINT64_MAX;
    if (len == i || len - i > 20)
        return -1;
    for (; i < len; i++) {
        if (id[i] < '0' || id[i] > '9')
            return -1;
        unsigned d = (unsigned)(id[i] - '0');
        if (v > (limit - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = neg ? ~v + 1 : v; /* two's complement of an int64 */
    return 0;
}

int strat_native_uuid(const char *id, size_t len, uint8_t out[16])
{
    uint64_t index;
    if (keyid_number(id, len, &index) == 0) {
        uuid_from_id(id, len, out);
        return 0;
    }
    return uuid_parse(id, len, out);
}
