#include "scn_limits.h"

#include "rs_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_SET_CAP (4u * RS_MAX_NODES) /* power of two; load stays <= 1/4 */

struct scn_limits {
    const char *ids[LIVE_SET_CAP];
    uint32_t weight[LIVE_SET_CAP];
    uint8_t down[LIVE_SET_CAP];   /* a crashed node: no weight, no points, but a member until removed */
    uint32_t count;               /* live nodes */
    uint32_t crashed;
    uint64_t weight_sum;
    uint64_t vnodes;
    strat_kind_t kind;
};

static uint32_t live_hash(const char *id)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h & (LIVE_SET_CAP - 1);
}

/* Slot holding id, or the empty slot where it would go. */
static uint32_t live_find(const scn_limits_t *l, const char *id)
{
    uint32_t i = live_hash(id);
    while (l->ids[i] && strcmp(l->ids[i], id) != 0)
        i = (i + 1) & (LIVE_SET_CAP - 1);
    return i;
}

static void live_put(scn_limits_t *l, uint32_t i, const char *id, uint32_t weight)
{
    l->ids[i] = id;
    l->weight[i] = weight;
    l->down[i] = 0;
    l->count++;
    l->weight_sum += weight;
}

/* Linear probing with backward-shift deletion: no tombstones to pile up over
 * a long add/remove script. */
static void live_remove(scn_limits_t *l, uint32_t i)
{
    l->ids[i] = NULL;
    if (l->down[i]) {
        l->crashed--;
    } else {
        l->count--;
        l->weight_sum -= l->weight[i];
    }
    for (uint32_t j = (i + 1) & (LIVE_SET_CAP - 1); l->ids[j]; j = (j + 1) & (LIVE_SET_CAP - 1)) {
        uint32_t home = live_hash(l->ids[j]);
        /* Move j back into the hole unless its home lies cyclically in (i, j]. */
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            l->ids[i] = l->ids[j];
            l->weight[i] = l->weight[j];
            l->down[i] = l->down[j];
            l->ids[j] = NULL;
            i = j;
        }
    }
}

/* A live node crashes: it leaves the ring, and stays a member. */
static void live_crash(scn_limits_t *l, uint32_t i)
{
    l->count--;
    l->weight_sum -= l->weight[i];
    l->down[i] = 1;
    l->crashed++;
}

/* Ring points are nodes x vnodes, or total weight x vnodes with weights. */
static void points_message(char *why, size_t size, uint64_t nodes, uint64_t weight_sum, uint64_t vnodes)
{
    if (weight_sum == nodes)
        snprintf(why, size, "%llu nodes x %llu vnodes would be %llu ring points; the limit is %u",
                 (unsigned long long)nodes, (unsigned long long)vnodes, (unsigned long long)(nodes * vnodes),
                 RS_MAX_POINTS);
    else
        snprintf(why, size, "%llu nodes of total weight %llu x %llu vnodes would be %llu ring points; the limit is %u",
                 (unsigned long long)nodes, (unsigned long long)weight_sum, (unsigned long long)vnodes,
                 (unsigned long long)(weight_sum * vnodes), RS_MAX_POINTS);
}

scn_limits_t *scn_limits_new(const char *const *ids, const uint32_t *weights, size_t n, uint32_t vnodes,
                             strat_kind_t kind)
{
    scn_limits_t *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->vnodes = vnodes;
    l->kind = kind;
    for (size_t i = 0; i < n && l->count < RS_MAX_NODES; i++) {
        uint32_t k = live_find(l, ids[i]);
        if (!l->ids[k])
            live_put(l, k, ids[i], weights ? weights[i] : 1);
    }
    return l;
}

void scn_limits_free(scn_limits_t *l) { free(l); }

void scn_limits_crashed(scn_limits_t *l, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < n && l->count + l->crashed < RS_MAX_NODES; i++) {
        uint32_t k = live_find(l, ids[i]);
        if (!l->ids[k]) {
            live_put(l, k, ids[i], 1);
            live_crash(l, k);
        }
    }
}

int scn_limits_step(scn_limits_t *l, const scn_cmd_t *c, char *why, size_t why_size)
{
    switch (c->op) {
    case SCN_ADD:
    case SCN_RECOVER: {
        uint32_t k = live_find(l, c->node);
        int back = l->ids[k] && l->down[k];
        if (l->ids[k] && !back)
            return 0; /* already on the ring: a no-op */
        if (!l->ids[k] && c->op == SCN_RECOVER)
            return 0; /* has not crashed: a no-op */
        /* Crashed nodes are members until removed: they count. */
        if (!back && l->count + l->crashed >= RS_MAX_NODES) {
            if (l->crashed)
                snprintf(why, why_size, "%u nodes are on the ring and %u crashed; the limit is %u nodes "
                         "(remove forgets a crashed node)", l->count, l->crashed, RS_MAX_NODES);
            else
                snprintf(why, why_size, "%u nodes are on the ring; the limit is %u nodes", l->count, RS_MAX_NODES);
            return -1;
        }
        if ((l->weight_sum + 1) * l->vnodes > RS_MAX_POINTS) {
            points_message(why, why_size, l->count + 1, l->weight_sum + 1, l->vnodes);
            return -1;
        }
        if (back) {
            l->down[k] = 0;
            l->crashed--;
            l->count++;
            l->weight[k] = 1; /* back as a new node */
            l->weight_sum += 1;
        } else {
            live_put(l, k, c->node, 1);
        }
        return 0;
    }
    case SCN_REMOVE: {
        uint32_t k = live_find(l, c->node);
        if (l->ids[k])
            live_remove(l, k);
        return 0;
    }
    case SCN_FAIL: {
        uint32_t k = live_find(l, c->node);
        if (l->ids[k] && !l->down[k])
            live_crash(l, k);
        return 0;
    }
    case SCN_VNODES:
        if (l->weight_sum * c->value > RS_MAX_POINTS) {
            points_message(why, why_size, l->count, l->weight_sum, c->value);
            return -1;
        }
        l->vnodes = c->value;
        return 0;
    case SCN_STRATEGY: {
        strat_kind_t kind = (strat_kind_t)c->value;
        if (!strat_ops(kind)->weighted && l->weight_sum != l->count) {
            snprintf(why, why_size, "weights are not supported by %s (set every weight back to 1 first)",
                     strat_name(kind));
            return -1;
        }
        l->kind = kind;
        return 0;
    }
    case SCN_WEIGHT: {
        uint32_t k = live_find(l, c->node);
        uint64_t sum = l->ids[k] && !l->down[k] ? l->weight_sum - l->weight[k] + c->value : 0;
        if (!l->ids[k] || l->down[k]) {
            snprintf(why, why_size, "no such node on the ring at this point");
            return -1;
        }
        if (!strat_ops(l->kind)->weighted) {
            snprintf(why, why_size, "weights are not supported by %s", strat_name(l->kind));
            return -1;
        }
        if (sum * l->vnodes > RS_MAX_POINTS) {
            points_message(why, why_size, l->count, sum, l->vnodes);
            return -1;
        }
        l->weight_sum = sum;
        l->weight[k] = (uint32_t)c->value;
        return 0;
    }
    default:
        return 0;
    }
}

int scn_limits_check(const char *const *ids, size_t n, uint32_t vnodes, strat_kind_t kind, const scn_script_t *sc,
                     size_t *bad, char *why, size_t why_size)
{
    scn_limits_t *l = scn_limits_new(ids, NULL, n, vnodes, kind);
    if (!l) {
        snprintf(why, why_size, "out of memory checking the scenario");
        return -2;
    }
    int rc = 0;
    for (size_t i = 0; i < sc->count && rc == 0; i++) {
        rc = scn_limits_step(l, &sc->cmds[i], why, why_size);
        if (rc != 0)
            *bad = i;
    }
    scn_limits_free(l);
    return rc;
}
