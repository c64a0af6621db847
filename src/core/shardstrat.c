#include "shardstrat.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void shardstrat_say(shardstrat_t *x, const char *fmt, ...)
{
    size_t at = strlen(x->note);
    if (at && at + 2 < sizeof x->note) {
        memcpy(x->note + at, "; ", 3);
        at += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->note + at, sizeof x->note - at, fmt, ap);
    va_end(ap);
}

void shardstrat_release(void *state)
{
    shardstrat_t *x = state;
    if (!x)
        return;
    if (x->policy->release)
        x->policy->release(x);
    shardmap_free(&x->map);
    free(x);
}

int shardstrat_build(const shardstrat_policy_t *policy, void **state, const void *prev, const strat_change_t *change,
                     const strat_nodes_t *nodes, const strat_params_t *p, const store_t *st, const uint64_t *own,
                     char *err, size_t err_size)
{
    const shardstrat_t *old = prev;
    shardstrat_t *x = calloc(1, policy->size);
    if (!x) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    int fresh = old == NULL, rc;
    if (fresh) {
        x->policy = policy;
        rc = policy->create(x, nodes, p, err, err_size);
    } else {
        /* The strategy's part as it was (its shared parts referenced once
         * more), the map copied: a build changes only what the change asks. */
        memcpy(x, old, policy->size);
        memset(&x->map, 0, sizeof x->map);
        if (policy->adopt)
            policy->adopt(x);
        x->note[0] = '\0';
        x->remapped = 0;
        x->split = 1;
        rc = shardmap_copy(&x->map, &old->map);
        if (rc == 0)
            x->map.route = policy->route ? policy->route(x) : NULL;
        if (rc == 0)
            rc = policy->change(x, old, change, nodes, p, st, own);
        if (rc != 0)
            snprintf(err, err_size, "out of memory for %u %ss", old->map.shards, policy->unit);
    }
    if (rc != 0) {
        shardstrat_release(x);
        return -1;
    }
    if (fresh)
        x->split = 1;
    size_t indexed = x->map.index ? x->map.index->keys : (size_t)-1;
    if (shardmap_index(&x->map, st, own) != 0 ||
        shardmap_diff(&x->map, fresh ? NULL : &old->map, change->kind != STRAT_CHANGE_CRASH, x->split) != 0) {
        snprintf(err, err_size, "out of memory for %u %ss", x->map.shards, policy->unit);
        shardstrat_release(x);
        return -1;
    }
    x->look_all = fresh || x->remapped || indexed != st->count;
    *state = x;
    return 0;
}

void shardstrat_locate(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, strat_where_t *w)
{
    (void)nodes;
    const shardmap_t *m = &((const shardstrat_t *)state)->map;
    strat_where_none(w);
    uint32_t s = shardmap_shard_of(m, key);
    w->owner = shardmap_primary(m, s);
    if (w->owner != RING_NONE)
        w->at = s;
}

const shardmap_t *shardstrat_map(const void *state) { return &((const shardstrat_t *)state)->map; }

uint32_t shardstrat_holders(const void *state, const strat_nodes_t *nodes, const strat_key_t *key, uint16_t *out)
{
    (void)nodes;
    const shardmap_t *m = shardstrat_map(state);
    uint32_t n;
    const uint16_t *h = shardmap_holders(m, shardmap_shard_of(m, key), &n);
    memcpy(out, h, n * sizeof *out);
    return n;
}

int shardstrat_touched(const void *state, uint32_t i, const uint32_t **pos, size_t *len, uint16_t *owner)
{
    const shardstrat_t *x = state;
    if (x->look_all)
        return -1;
    /* A shard's keys follow its primary, all together; the others listed
     * changed copies only (an empty run). */
    const shardmap_t *m = &x->map;
    if (i >= m->change_count)
        return 0;
    const shardmap_change_t *c = &m->changes[i];
    uint16_t from = c->from_n ? c->from[0] : (uint16_t)RING_NONE;
    *owner = c->to_n ? c->to[0] : (uint16_t)RING_NONE;
    *pos = shardmap_positions(m, c->shard, len);
    if (from == *owner)
        *len = 0;
    return 1;
}

size_t shardstrat_memory(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    const shardstrat_t *x = state;
    return x->policy->size - sizeof(shardmap_t) + shardmap_memory(&x->map);
}

uint64_t shardstrat_cells(const strat_t *s, const strat_nodes_t *nodes)
{
    (void)nodes;
    return s->state ? shardstrat_map(s->state)->shards : 0;
}

uint16_t shardstrat_cell_owner(const strat_t *s, const strat_nodes_t *nodes, uint64_t c)
{
    (void)nodes;
    return shardmap_primary(shardstrat_map(s->state), (uint32_t)c);
}

uint64_t shardstrat_size(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return state ? shardstrat_map(state)->shards : 0;
}

const char *shardstrat_unit(const void *state)
{
    return ((const shardstrat_t *)state)->policy->unit;
}

uint64_t shardstrat_key_cells(const void *state)
{
    return shardstrat_map(state)->shards;
}

void shardstrat_note(const void *state, char *out, size_t n)
{
    snprintf(out, n, "%s", ((const shardstrat_t *)state)->note);
}

/* `move SHARD ID`: a shard that exists, a live node that is not its primary. */
static int check_move(const shardstrat_t *x, const strat_nodes_t *nodes, const scn_cmd_t *cmd, char *msg,
                      size_t msg_size)
{
    const shardmap_t *m = &x->map;
    const char *unit = x->policy->unit;
    if (cmd->value >= m->shards) {
        snprintf(msg, msg_size, "there is no %s %llu (%ss are 0..%u)", unit, (unsigned long long)cmd->value, unit,
                 m->shards - 1);
        return -1;
    }
    uint16_t slot = ring_find_node(nodes->ring, cmd->node, cmd->node_len);
    if (slot == RING_NONE) {
        snprintf(msg, msg_size, "%s is not on the ring", cmd->node);
        return -1;
    }
    if (shardmap_primary(m, (uint32_t)cmd->value) == slot) {
        snprintf(msg, msg_size, "%s already holds %s %llu", cmd->node, unit, (unsigned long long)cmd->value);
        return -1;
    }
    return 0;
}

int shardstrat_command(const void *state, const strat_nodes_t *nodes, const scn_cmd_t *cmd, char *msg, size_t msg_size)
{
    const shardstrat_t *x = state;
    int rc = x->policy->command ? x->policy->command(x, nodes, cmd, msg, msg_size) : SHARDSTRAT_GENERIC;
    if (rc != SHARDSTRAT_GENERIC)
        return rc;
    if (cmd->op == SCN_REBALANCE) {
        if (!shardmap_balanced(&x->map, nodes))
            return 0;
        snprintf(msg, msg_size, "Already balanced; nothing changed");
        return 1;
    }
    if (cmd->op == SCN_MOVE)
        return check_move(x, nodes, cmd, msg, msg_size);
    snprintf(msg, msg_size, "%s is not an operation of this strategy", scn_op_name(cmd->op));
    return -1;
}

void shardstrat_describe(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
                         json_t *json, char *text, size_t text_size)
{
    (void)key;
    const shardstrat_t *x = s->state;
    const shardmap_t *m = &x->map;
    uint32_t n;
    const uint16_t *h = shardmap_holders(m, (uint32_t)w->at, &n);
    if (json) {
        json_printf(json, ",\"shard\":%" PRId64 ",\"holders\":[", w->at);
        for (uint32_t i = 0; i < n; i++) {
            json_raw(json, i ? "," : "");
            json_str(json, nodes->ring->nodes[h[i]].id);
        }
        json_raw(json, "]");
    }
    if (text) {
        int at = snprintf(text, text_size, "%s %" PRId64 " of %u, holders", x->policy->unit, w->at, m->shards);
        for (uint32_t i = 0; i < n && at >= 0 && (size_t)at < text_size; i++)
            at += snprintf(text + at, text_size - (size_t)at, "%s %s", i ? "," : "", nodes->ring->nodes[h[i]].id);
        if (at >= 0 && (size_t)at < text_size)
            snprintf(text + at, text_size - (size_t)at, "\n");
    }
}

/* ---- what a change does ------------------------------------------------- */

int shardstrat_settled(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes, int *rc)
{
    switch (c->kind) {
    case STRAT_CHANGE_CRASH:
        *rc = shardmap_crash(&x->map, nodes, c->removed); /* no balancer, copies as they are */
        return 1;
    case STRAT_CHANGE_HEAL:
        *rc = shardmap_heal(&x->map, nodes);
        return 1;
    case STRAT_CHANGE_KEYS:
        *rc = 0; /* shards and their copies stay where they are: new keys are written there */
        return 1;
    default:
        return 0;
    }
}

int shardstrat_create_by_rank(shardstrat_t *x, const strat_nodes_t *nodes)
{
    shardmap_assign(&x->map, nodes);
    return shardmap_balance(&x->map, nodes, 1) != 0 || shardmap_relist(&x->map, nodes) != 0 ? -1 : 0;
}

int shardstrat_balance(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes, int surplus)
{
    (void)c;
    return shardmap_balance(&x->map, nodes, surplus);
}

int shardstrat_change_generic(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes, int rebalances,
                              shardstrat_balance_fn balance)
{
    int rc;
    if (shardstrat_settled(x, c, nodes, &rc))
        return rc;
    if (c->kind == STRAT_CHANGE_COMMAND && c->cmd->op == SCN_MOVE) {
        shardmap_set_primary(&x->map, (uint32_t)c->cmd->value,
                             ring_find_node(nodes->ring, c->cmd->node, c->cmd->node_len));
    } else if (c->kind != STRAT_CHANGE_COPIES) {
        /* rebalance, or a node change: the balancer (which places the
         * shards of a node that left even when it does not run in full) */
        int nodes_changed = c->added != RING_NONE || c->removed != RING_NONE || c->reweighted != RING_NONE;
        int surplus = c->kind == STRAT_CHANGE_COMMAND || (nodes_changed && rebalances);
        if (balance(x, c, nodes, surplus) != 0)
            return -1;
    }
    /* Every graceful change re-lists each shard's copies (and so heals). */
    return shardmap_relist(&x->map, nodes);
}

int shardstrat_balance_keeping(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes, int surplus,
                               shardstrat_balance_fn balance)
{
    shardmap_t *m = &x->map;
    size_t lists = (size_t)m->shards * SHARDMAP_STRIDE;
    uint16_t *hold = malloc((lists + 1) * sizeof *hold);
    uint8_t *held = malloc((size_t)m->shards + 1);
    if (!hold || !held) {
        free(hold), free(held);
        return -1;
    }
    memcpy(hold, m->hold, lists * sizeof *hold);
    memcpy(held, m->held, m->shards);
    int rc = balance(x, c, nodes, surplus);
    for (uint32_t s = 0; rc == 0 && s < m->shards; s++) {
        uint16_t now = shardmap_primary(m, s);
        memcpy(m->hold + (size_t)s * SHARDMAP_STRIDE, hold + (size_t)s * SHARDMAP_STRIDE,
               SHARDMAP_STRIDE * sizeof *hold);
        m->held[s] = held[s];
        if (now == RING_NONE)
            m->held[s] = 0;
        else if (!held[s])
            shardmap_set_primary(m, s, now);
        else if (hold[(size_t)s * SHARDMAP_STRIDE] != now)
            shardmap_move_primary(m, s, now);
    }
    free(hold);
    free(held);
    return rc;
}

int shardstrat_command_keeping(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes)
{
    if (c->cmd->op == SCN_MOVE)
        shardmap_move_primary(&x->map, (uint32_t)c->cmd->value,
                              ring_find_node(nodes->ring, c->cmd->node, c->cmd->node_len));
    else if (c->cmd->op == SCN_REBALANCE && shardstrat_balance_keeping(x, c, nodes, 1, shardstrat_balance) != 0)
        return -1;
    /* A copy that became the primary leaves a list short: made again. */
    return shardmap_heal(&x->map, nodes);
}

int shardstrat_change_sticky(shardstrat_t *x, const strat_change_t *c, const strat_nodes_t *nodes,
                             const char *system)
{
    shardmap_t *m = &x->map;
    int rc;
    if (shardstrat_settled(x, c, nodes, &rc))
        return rc;
    if (c->kind == STRAT_CHANGE_COPIES) {
        shardmap_trim(m, nodes);
        return shardmap_heal(m, nodes);
    }
    if (c->kind == STRAT_CHANGE_COMMAND)
        return shardstrat_command_keeping(x, c, nodes);
    if (c->added != RING_NONE) {
        shardstrat_say(x, "%s does not move %ss by itself: use rebalance or move", system, x->policy->unit);
        return 0;
    }
    if (c->removed == RING_NONE)
        return 0;
    /* A graceful removal: the node's copies stream elsewhere. Shards it
     * led pass to their next holder; shards it alone held go to the
     * largest deficit; copies it held are made again where heal puts them. */
    shardmap_drop(m, c->removed);
    if (shardstrat_balance_keeping(x, c, nodes, 0, shardstrat_balance) != 0)
        return -1;
    return shardmap_heal(m, nodes);
}

/* ---- a route of points ----------------------------------------------------- */

shardstrat_ring_t *shardstrat_ring_new(size_t count)
{
    shardstrat_ring_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (strat_points_alloc(&r->p, count) != 0) {
        strat_points_free(&r->p);
        free(r);
        return NULL;
    }
    r->refs = 1;
    return r;
}

void shardstrat_ring_release(shardstrat_ring_t *r)
{
    if (r && --r->refs == 0) {
        strat_points_free(&r->p);
        free(r);
    }
}

uint32_t shardstrat_ring_shard_of(const void *route, const strat_key_t *key, const rmod_t *shards)
{
    (void)shards;
    const strat_points_t *p = &((const shardstrat_ring_t *)route)->p;
    return p->node[strat_points_successor(p, key->own)];
}

void shardstrat_ringed_adopt(shardstrat_t *base)
{
    shardstrat_ringed_t *x = (shardstrat_ringed_t *)base;
    x->ring->refs++;
    memset(&x->shown, 0, sizeof x->shown); /* its own, made after the change */
}

const void *shardstrat_ringed_route(const shardstrat_t *base) { return ((const shardstrat_ringed_t *)base)->ring; }

void shardstrat_ringed_release(shardstrat_t *base)
{
    shardstrat_ringed_t *x = (shardstrat_ringed_t *)base;
    shardstrat_ring_release(x->ring);
    strat_points_free(&x->shown);
}

void shardstrat_ringed_set(shardstrat_ringed_t *x, shardstrat_ring_t *ring)
{
    shardstrat_ring_release(x->ring);
    x->ring = ring;
    x->base.map.route = ring;
}

int shardstrat_ringed_refresh(shardstrat_ringed_t *x)
{
    const strat_points_t *r = &x->ring->p;
    strat_points_free(&x->shown);
    if (strat_points_alloc(&x->shown, r->count) != 0)
        return -1;
    memcpy(x->shown.pos, r->pos, r->count * sizeof *r->pos);
    for (uint32_t i = 0; i < r->count; i++)
        x->shown.node[i] = shardmap_primary(&x->base.map, r->node[i]);
    x->shown.count = r->count;
    strat_points_index(&x->shown);
    return 0;
}

const strat_points_t *shardstrat_ringed_points(const void *state) { return &((const shardstrat_ringed_t *)state)->shown; }

uint64_t shardstrat_ringed_size(const void *state, const strat_nodes_t *nodes)
{
    (void)nodes;
    return state ? ((const shardstrat_ringed_t *)state)->shown.count : 0;
}

size_t shardstrat_ringed_memory(const void *state, const strat_nodes_t *nodes)
{
    const shardstrat_ringed_t *x = state;
    return shardstrat_memory(state, nodes) + strat_points_memory(&x->ring->p) + strat_points_memory(&x->shown);
}
