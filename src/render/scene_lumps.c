/* scene_lumps — the book of each shard's lumps (scene_lumps.h). */
#include "scene_lumps.h"

#include "grow.h"
#include "scene_node.h"
#include "shardmap.h"

#include <GLES3/gl3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GOLDEN_ANGLE 2.39996322972865332f
#define NOT_CHANGED UINT32_MAX
#define LONG_AGO -1.0e6f

void scene_lumps_free(scene_lumps_t *L)
{
    free(L->node);
    free(L->slot);
    free(L->held);
    free(L->order);
    free(L->pend);
    free(L->used);
    free(L->mark);
    free(L->per_node);
    memset(L, 0, sizeof *L);
}


/* Room for shards shards; -1 without memory. */
static int reserve(scene_lumps_t *L, uint32_t shards)
{
    if (!L->per_node && !(L->per_node = calloc(RS_MAX_NODES + 1, sizeof *L->per_node)))
        return -1;
    if (shards <= L->cap)
        return 0;
    void *p[4] = {L->node, L->slot, L->held, L->order};
    const size_t size[4] = {SCENE_LUMP_HOLD * sizeof *L->node, SCENE_LUMP_HOLD * sizeof *L->slot,
                            sizeof *L->held, sizeof *L->order};
    for (int i = 0; i < 4; i++) {
        size_t cap = L->cap;
        if (grow(&p[i], &cap, shards, size[i]) != 0) {
            L->node = p[0], L->slot = p[1], L->held = p[2], L->order = p[3];
            return -1;
        }
    }
    L->node = p[0], L->slot = p[1], L->held = p[2], L->order = p[3];
    L->cap = shards;
    return 0;
}

uint32_t scene_lumps_shard_at(const sim_t *s, size_t pos)
{
    strat_key_t key;
    sim_key_at(s, pos, &key);
    return shardmap_shard_of(sim_shards(s), &key);
}

uint16_t scene_lumps_slot(const scene_lumps_t *L, uint32_t shard, uint16_t node)
{
    if (shard >= L->shards)
        return SCENE_LUMP_NONE;
    const uint16_t *n = L->node + (size_t)shard * SCENE_LUMP_HOLD;
    for (uint32_t j = 0; j < L->held[shard]; j++)
        if (n[j] == node)
            return L->slot[(size_t)shard * SCENE_LUMP_HOLD + j];
    return SCENE_LUMP_NONE;
}

/* The slots a cloud needs now: one past the highest in use. */
static uint32_t slots_needed(const scene_lumps_t *L)
{
    uint32_t k = 1;
    for (uint32_t s = 0; s < L->shards; s++)
        for (uint32_t j = 0; j < L->held[s]; j++) {
            uint16_t x = L->slot[(size_t)s * SCENE_LUMP_HOLD + j];
            if (x != SCENE_LUMP_NONE && (uint32_t)x + 1 > k)
                k = (uint32_t)x + 1;
        }
    return k;
}

/* Every cloud laid out afresh: each node's primaries in its inner slots
 * (shard order), then its copies. */
static void layout_afresh(scene_lumps_t *L, const shardmap_t *m)
{
    L->shards = m->shards;
    memset(L->per_node, 0, (RS_MAX_NODES + 1) * sizeof *L->per_node);
    for (uint32_t s = 0; s < m->shards; s++) {
        uint32_t hn;
        const uint16_t *h = shardmap_holders(m, s, &hn);
        hn = hn < SCENE_LUMP_HOLD ? hn : SCENE_LUMP_HOLD;
        memcpy(L->node + (size_t)s * SCENE_LUMP_HOLD, h, hn * sizeof *h);
        L->held[s] = (uint8_t)hn;
        L->order[s] = s;
    }
    for (uint32_t j = 0; j < SCENE_LUMP_HOLD; j++)
        for (uint32_t s = 0; s < m->shards; s++) {
            if (j >= L->held[s])
                continue;
            uint16_t node = L->node[(size_t)s * SCENE_LUMP_HOLD + j];
            uint32_t *c = &L->per_node[node < RS_MAX_NODES ? node : RS_MAX_NODES];
            L->slot[(size_t)s * SCENE_LUMP_HOLD + j] = (uint16_t)(*c < SCENE_LUMP_NONE ? (*c)++ : 0);
        }
    L->changed = m->shards;
    L->all = 1;
    L->k = slots_needed(L);
    L->k_from = (float)L->k;
    L->k_t0 = LONG_AGO;
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Gives each pending lump (np of them, in L->pend as node << 40 | shard <<
 * 3 | holder) the lowest slot free in its node's cloud. -1 without memory. */
static int allocate(scene_lumps_t *L, size_t np)
{
    /* The slots in use, bucketed by node (a counting sort). */
    uint32_t *off = L->per_node;
    memset(off, 0, (RS_MAX_NODES + 1) * sizeof *off);
    size_t total = 0;
    for (uint32_t s = 0; s < L->shards; s++)
        for (uint32_t j = 0; j < L->held[s]; j++)
            if (L->slot[(size_t)s * SCENE_LUMP_HOLD + j] != SCENE_LUMP_NONE &&
                L->node[(size_t)s * SCENE_LUMP_HOLD + j] < RS_MAX_NODES) {
                off[L->node[(size_t)s * SCENE_LUMP_HOLD + j] + 1]++;
                total++;
            }
    for (uint32_t x = 0; x < RS_MAX_NODES; x++)
        off[x + 1] += off[x];
    if (grow((void **)&L->used, &L->used_cap, total + 1, sizeof *L->used) != 0)
        return -1;
    /* off[x] runs ahead as each node's bucket fills; afterwards bucket x is
     * [off[x - 1], off[x]) (off[-1] = 0). */
    for (uint32_t s = 0; s < L->shards; s++)
        for (uint32_t j = 0; j < L->held[s]; j++) {
            uint16_t node = L->node[(size_t)s * SCENE_LUMP_HOLD + j], x = L->slot[(size_t)s * SCENE_LUMP_HOLD + j];
            if (x != SCENE_LUMP_NONE && node < RS_MAX_NODES)
                L->used[off[node]++] = x;
        }
    uint64_t *pend = L->pend;
    qsort(pend, np, sizeof *pend, by_value);
    for (size_t i = 0; i < np;) {
        uint16_t node = (uint16_t)(pend[i] >> 40);
        size_t group = i;
        while (group < np && (uint16_t)(pend[group] >> 40) == node)
            group++;
        uint32_t lo = node ? off[node - 1] : 0, hi = off[node];
        size_t room = (hi - lo) + (group - i) + 1;
        if (grow((void **)&L->mark, &L->mark_cap, room, 1) != 0)
            return -1;
        memset(L->mark, 0, room);
        for (uint32_t u = lo; u < hi; u++)
            if (L->used[u] < room)
                L->mark[L->used[u]] = 1;
        size_t free_at = 0;
        for (; i < group; i++) {
            while (L->mark[free_at])
                free_at++;
            L->mark[free_at] = 1;
            uint32_t s = (uint32_t)((pend[i] >> 3) & 0x1FFFFFFFFu), j = (uint32_t)(pend[i] & 7);
            L->slot[(size_t)s * SCENE_LUMP_HOLD + j] = (uint16_t)(free_at < SCENE_LUMP_NONE ? free_at : 0);
        }
    }
    return 0;
}

int scene_lumps_sync(scene_lumps_t *L, const sim_t *s, float now)
{
    const shardmap_t *m = sim_shards(s);
    L->changed = 0;
    L->all = 0;
    if (!m || !m->shards) {
        L->all = L->shards != 0;
        L->shards = 0;
        return 0;
    }
    if (reserve(L, m->shards) != 0) {
        L->all = L->shards != 0;
        L->shards = 0;
        return -1;
    }
    if (L->shards != m->shards) {
        layout_afresh(L, m);
        return 0;
    }
    /* A shard whose holders changed keeps the slot of every node that still
     * holds it; a new holder's slot is made below. */
    size_t np = 0;
    for (uint32_t sh = 0; sh < m->shards; sh++) {
        uint32_t hn;
        const uint16_t *h = shardmap_holders(m, sh, &hn);
        hn = hn < SCENE_LUMP_HOLD ? hn : SCENE_LUMP_HOLD;
        uint16_t *bn = L->node + (size_t)sh * SCENE_LUMP_HOLD, *bs = L->slot + (size_t)sh * SCENE_LUMP_HOLD;
        if (L->held[sh] == hn && memcmp(bn, h, hn * sizeof *h) == 0) {
            L->order[sh] = NOT_CHANGED;
            continue;
        }
        uint16_t slots[SCENE_LUMP_HOLD];
        for (uint32_t j = 0; j < hn; j++) {
            slots[j] = SCENE_LUMP_NONE;
            for (uint32_t i = 0; i < L->held[sh]; i++)
                if (bn[i] == h[j])
                    slots[j] = bs[i];
            if (slots[j] == SCENE_LUMP_NONE) {
                if (grow((void **)&L->pend, &L->pend_cap, np + 1, sizeof(uint64_t)) != 0) {
                    L->shards = 0;
                    L->all = 1;
                    return -1;
                }
                L->pend[np++] = (uint64_t)h[j] << 40 | (uint64_t)sh << 3 | j;
            }
        }
        memcpy(bn, h, hn * sizeof *h);
        memcpy(bs, slots, hn * sizeof *slots);
        L->held[sh] = (uint8_t)hn;
        L->order[sh] = L->changed++;
    }
    if (np && allocate(L, np) != 0) {
        L->shards = 0;
        L->all = 1;
        return -1;
    }
    uint32_t k = slots_needed(L);
    if (k > L->k) {
        /* More lumps than the layout has room for: it grows, eased. */
        L->k_from = scene_lumps_k(L, now);
        L->k_t0 = now;
        L->k = k;
    }
    return 0;
}

float scene_lumps_k(const scene_lumps_t *L, float t)
{
    float e = scene_ease((t - L->k_t0) / SCENE_LUMP_GROW);
    return L->k_from + ((float)L->k - L->k_from) * e;
}

float scene_lump_radius(float k)
{
    float r = 0.5f / sqrtf(k > 1 ? k : 1);
    return r < 0.45f ? r : 0.45f;
}

void scene_lump_centre(uint32_t slot, float k, float *x, float *y)
{
    k = k > 1 ? k : 1;
    float r = sqrtf(((float)slot + 0.5f) / k) * (1.0f - scene_lump_radius(k));
    float a = (float)slot * GOLDEN_ANGLE;
    *x = sinf(a) * r;
    *y = -cosf(a) * r;
}

float scene_lumps_start(const scene_lumps_t *L, uint32_t shard, float start, float stagger)
{
    if (shard >= L->shards || L->order[shard] == NOT_CHANGED || L->changed < 2)
        return start;
    return start + stagger * (float)L->order[shard] / (float)(L->changed - 1);
}

void scene_lumps_uniform(const scene_lumps_t *L, int loc)
{
    if (loc >= 0)
        glUniform4f(loc, L->k_from, (float)(L->k ? L->k : 1), L->k_t0, SCENE_LUMP_GROW);
}
