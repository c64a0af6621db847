#include "simjson.h"

#include "shardmap.h"

#include <stdlib.h>

void simjson_strategy_params(json_t *j, const strat_t *s, uint32_t vnodes)
{
    /* The default ring keeps the seed's config object as it was (its
     * readers compare it whole); every step still names the strategy. */
    const strat_ops_t *ops = s->ops;
    if (s->kind != strat_default())
        json_printf(j, "\"strategy\":\"%s\",", ops->name);
    if (ops->system)
        json_printf(j, "\"preset\":\"%s\",", ops->name);
    json_printf(j, "\"vnodes\":%u", vnodes);
    if (ops->config_json && s->state) {
        ops->config_json(s->state, &s->params, j);
        return;
    }
    for (size_t i = 0; i < ops->param_count; i++)
        json_printf(j, ",\"%s\":%u", ops->params[i].field, strat_param_get(&s->params, &ops->params[i]));
}

void simjson_zone(json_t *j, const repl_t *r, const char *id)
{
    const char *z = repl_zone_of(r, id);
    if (z)
        json_str(j, z);
    else
        json_raw(j, "null");
}

void simjson_repl_config(json_t *j, const repl_t *r)
{
    if (!r->on)
        return;
    json_printf(j, ",\"replicas\":%u,\"record_bytes\":%u,\"copy_bytes\":%llu,\"bandwidth_bytes_per_second\":",
                r->replicas, r->record_bytes, (unsigned long long)repl_copy_bytes(r));
    json_num(j, r->bandwidth);
}

/* The replication members, with the live slots sorted by id (traffic and
 * zones list nodes in that order). */
static void repl_members(json_t *j, const sim_t *s, unsigned parts, const uint16_t *sorted, uint32_t n)
{
    const repl_t *r = &s->repl;
    json_printf(j, ",\"replicas\":%u,\"promoted\":%llu,\"copied\":%llu,\"copied_bytes\":%llu,\"transfer_seconds\":",
                r->on ? r->replicas : 1u, (unsigned long long)r->promoted, (unsigned long long)r->copies,
                (unsigned long long)r->bytes);
    json_num(j, r->seconds);
    json_printf(j, ",\"lost\":%llu", (unsigned long long)r->lost);
    if (parts & SIMJSON_REPL_LOST_IDS) {
        json_raw(j, ",\"lost_ids\":[");
        for (size_t i = 0; i < r->lost; i++)
            json_printf(j, "%s\"vec_%06u\"", i ? "," : "", (unsigned)r->lost_ids[i]);
        json_raw(j, "]");
    }
    json_printf(j, ",\"lost_total\":%llu,\"under_replicated\":%llu,\"crashed\":[", (unsigned long long)r->lost_total,
                (unsigned long long)r->under);
    for (uint32_t i = 0; i < r->crashed_count; i++) {
        json_raw(j, i ? "," : "");
        json_str(j, r->crashed[i]);
    }
    json_raw(j, "]");
    if ((parts & SIMJSON_REPL_TRAFFIC) && r->bytes_in) {
        uint16_t slots[RS_MAX_NODES];
        uint32_t m = sim_traffic_slots(s, sorted, n, slots);
        for (int dir = 0; dir < 2; dir++) {
            json_raw(j, dir ? ",\"bytes_out\":{" : ",\"bytes_in\":{");
            for (uint32_t i = 0; i < m; i++) {
                json_raw(j, i ? "," : "");
                json_str(j, s->ring.nodes[slots[i]].id);
                json_printf(j, ":%llu", (unsigned long long)(dir ? r->bytes_out : r->bytes_in)[slots[i]]);
            }
            json_raw(j, "}");
        }
    }
    if ((parts & SIMJSON_REPL_ZONES) && r->zone_of_count) {
        json_raw(j, ",\"zones\":{");
        for (uint32_t i = 0; i < n; i++) {
            json_raw(j, i ? "," : "");
            json_str(j, s->ring.nodes[sorted[i]].id);
            json_raw(j, ":");
            simjson_zone(j, r, s->ring.nodes[sorted[i]].id);
        }
        json_raw(j, "}");
    }
}

void simjson_repl(json_t *j, const sim_t *s, unsigned parts)
{
    sim_listing_t l = {0};
    if ((parts & (SIMJSON_REPL_TRAFFIC | SIMJSON_REPL_ZONES)) && sim_listing(s, &l) != 0) {
        j->oom = 1;
        return;
    }
    repl_members(j, s, parts, l.sorted, l.n);
    sim_listing_free(&l);
}

/* "shards_moved", "shard_counts" and "shard_ranges" of a strategy with
 * shards, the live nodes sorted by id. */
static void shard_members(json_t *j, const sim_t *s, const shardmap_t *m, const uint16_t *sorted, uint32_t n)
{
    uint32_t *start = malloc((RS_MAX_NODES + 1) * sizeof *start), *led = malloc(((size_t)m->shards + 1) * sizeof *led);
    if (!start || !led) {
        free(start), free(led);
        j->oom = 1;
        return;
    }
    shardmap_by_primary(m, start, led);
    json_printf(j, ",\"shards_moved\":%llu,\"shard_counts\":{", (unsigned long long)sim_shards_moved(s));
    for (uint32_t i = 0; i < n; i++) {
        json_raw(j, i ? "," : "");
        json_str(j, s->ring.nodes[sorted[i]].id);
        json_printf(j, ":%u", start[sorted[i] + 1] - start[sorted[i]]);
    }
    json_raw(j, "},\"shard_ranges\":{");
    for (uint32_t i = 0; i < n; i++) {
        json_raw(j, i ? "," : "");
        json_str(j, s->ring.nodes[sorted[i]].id);
        json_raw(j, ":[");
        /* Ascending runs of consecutive shard numbers, [first, last]. */
        for (uint32_t a = start[sorted[i]], e = start[sorted[i] + 1]; a < e;) {
            uint32_t b = a;
            while (b + 1 < e && led[b + 1] == led[b] + 1)
                b++;
            json_printf(j, "%s[%u,%u]", a == start[sorted[i]] ? "" : ",", led[a], led[b]);
            a = b + 1;
        }
        json_raw(j, "]");
    }
    json_raw(j, "}");
    free(start);
    free(led);
}

void simjson_shards(json_t *j, const sim_t *s)
{
    const shardmap_t *m = sim_shards(s);
    if (!m)
        return;
    sim_listing_t l;
    if (sim_listing(s, &l) != 0) {
        j->oom = 1;
        return;
    }
    json_printf(j, ",\"shards\":%u,\"shards_primaries_moved\":%u", m->shards, sim_shard_primaries_moved(s));
    shard_members(j, s, m, l.sorted, l.n);
    sim_listing_free(&l);
}

void simjson_step(json_t *j, const sim_t *s, const sim_step_t *step)
{
    sim_listing_t l;
    if (sim_listing(s, &l) != 0) {
        j->oom = 1;
        return;
    }
    const uint16_t *slots = l.sorted;
    const double *share = l.share;
    const sim_stats_t st = l.stats;
    uint32_t n = l.n;

    json_printf(j, "{\"op\":\"%s\"", sim_step_name(step));
    if (step->node[0]) {
        json_raw(j, ",\"node\":");
        json_str(j, step->node);
    }
    json_printf(j, ",\"changed\":%s,\"message\":", step->changed ? "true" : "false");
    json_str(j, step->message);
    json_printf(j, ",\"strategy\":\"%s\"", s->strat.ops->name);
    json_printf(j, ",\"moved\":%llu,\"visited\":%llu,\"moved_fraction\":", (unsigned long long)step->moved,
                (unsigned long long)step->visited);
    json_num(j, step->moved_fraction);
    json_raw(j, ",\"ideal_fraction\":");
    json_num(j, step->ideal_fraction);
    json_printf(j, ",\"nodes\":%u,\"vectors\":%zu,\"vnodes\":%u,\"unassigned\":%llu,\"dist\":{", s->ring.live_count,
                s->store.count, s->ring.vnodes, (unsigned long long)st.unassigned);
    const uint64_t *counts = sim_counts(s);
    for (uint32_t i = 0; i < n; i++) {
        json_raw(j, i ? "," : "");
        json_str(j, s->ring.nodes[slots[i]].id);
        json_printf(j, ":%llu", (unsigned long long)counts[slots[i]]);
    }
    json_raw(j, "}");
    /* Arc shares exist where keys follow ring points. */
    if (s->strat.ops->uses_vnodes) {
        json_raw(j, ",\"arc_share\":{");
        for (uint32_t i = 0; i < n; i++) {
            json_raw(j, i ? "," : "");
            json_str(j, s->ring.nodes[slots[i]].id);
            json_raw(j, ":");
            json_num(j, share[slots[i]]);
        }
        json_raw(j, "}");
    }
    json_printf(j, ",\"max\":%llu,\"min\":%llu,\"mean\":", (unsigned long long)st.max, (unsigned long long)st.min);
    json_num(j, st.mean);
    json_raw(j, ",\"max_over_mean\":");
    json_num(j, st.max_over_mean);
    json_raw(j, ",\"std_over_mean\":");
    json_num(j, st.std_over_mean);
    const shardmap_t *m = sim_shards(s);
    if (m)
        shard_members(j, s, m, slots, n);
    if (s->strat.ops->step_json && s->strat.state)
        s->strat.ops->step_json(s->strat.state, j);
    if (s->repl.on)
        repl_members(j, s, SIMJSON_REPL_ALL, slots, n);
    json_raw(j, "}");
    sim_listing_free(&l);
}
