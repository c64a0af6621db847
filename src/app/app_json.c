/* app_json — the app's state as one JSON object, for scripts, tests and
 * the page (window.ringscope.state()). Written with the core's JSON writer
 * (json.h); the replication figures come from the simulation's state
 * writer (simjson.h), as `sim --json` writes them: "lost" is the last
 * change's losses, "lost_total" all so far. The top level
 * describes the first pane (the only one outside compare mode); compare
 * mode adds "panes", one object per pane. */
#include "app_priv.h"

#include "simjson.h"

#include <stdio.h>

/* "nodes":[{id, slot, keys, vnodes, weight, share, selected}, ...]; keys:
 * what the node holds data for, as `sim --json`'s dist (sim_counts). */
static void nodes_json(json_t *j, const pane_t *p)
{
    json_raw(j, "\"nodes\":[");
    for (uint32_t i = 0; i < p->sorted_count; i++) {
        uint16_t s = p->sorted[i];
        const ring_node_t *nd = &p->sim.ring.nodes[s];
        json_raw(j, i ? ",{\"id\":" : "{\"id\":");
        json_str(j, nd->id);
        json_printf(j, ",\"slot\":%u,\"keys\":%llu,\"vnodes\":%u,\"weight\":%u,\"share\":%.6f,\"selected\":%s}", s,
                    (unsigned long long)sim_counts(&p->sim)[s], p->sim.ring.vnodes, nd->weight, p->share[s],
                    s == p->selected ? "true" : "false");
    }
    json_raw(j, "]");
}

/* One pane in compare mode: its strategy, nodes and the last change's
 * figures (those of `ringscope sim --compare`). */
static void pane_json(json_t *j, const pane_t *p)
{
    json_raw(j, "{\"strategy\":");
    json_str(j, strat_name(p->sim.strat.kind));
    json_raw(j, ",");
    nodes_json(j, p);
    const pane_action_t *ac = &p->action;
    json_printf(j, ",\"vectors\":%llu,\"moved\":%llu,\"moved_landed\":%llu,\"total\":%llu,\"ideal\":",
                (unsigned long long)p->sim.store.count, (unsigned long long)ac->moved,
                (unsigned long long)pane_moved_landed(p), (unsigned long long)ac->total);
    json_num(j, ac->ideal);
    json_raw(j, ",\"max_over_mean\":");
    json_num(j, p->stats.max_over_mean);
    json_raw(j, ",\"std_over_mean\":");
    json_num(j, p->stats.std_over_mean);
    json_raw(j, ",\"zoom\":");
    json_num(j, p->view.zoom);
    json_raw(j, ",\"last_action\":");
    json_str(j, ac->text);
    json_raw(j, ",\"note\":");
    json_str(j, ac->note);
    json_raw(j, "}");
}

const char *app_json_state(app_t *a)
{
    json_t *j = &a->json;
    const pane_t *p = &a->panes[0];
    /* Settled: nothing moves and no command of a playing script waits. */
    int settled = app_is_settled(a) && !(a->play && a->play_next < a->play_count);
    json_reset(j);
    json_raw(j, "{");
    nodes_json(j, p);
    json_printf(j,
                ",\"vectors\":%llu,\"vnodes\":%u,\"slider\":%u,\"paused\":%s,\"help\":%s,\"field_focus\":%s,"
                "\"zoom\":%.6g,\"max_over_mean\":%.6f,\"std_over_mean\":%.6f,\"moved\":%llu,\"moved_landed\":%llu,"
                "\"settled\":%s,\"changed\":%s,\"fps\":%.1f,\"bytes_last_frame\":%llu,\"field\":",
                (unsigned long long)p->sim.store.count, p->sim.ring.vnodes, a->slider, a->paused ? "true" : "false",
                a->help ? "true" : "false", a->field_focus ? "true" : "false", p->view.zoom,
                p->stats.max_over_mean, p->stats.std_over_mean, (unsigned long long)p->action.moved,
                (unsigned long long)pane_moved_landed(p), settled ? "true" : "false",
                a->last_changed ? "true" : "false", a->fps, (unsigned long long)a->bytes_last_frame);
    json_str(j, a->field);
    json_raw(j, ",\"strategy\":");
    json_str(j, strat_name(p->sim.strat.kind));
    json_raw(j, ",\"composing\":");
    json_str(j, a->composing);
    json_raw(j, ",\"last_action\":");
    json_str(j, p->action.text);
    json_raw(j, ",\"message\":");
    json_str(j, a->toast);
    /* Replication (repl.h): the state after the last change and its figures;
     * under shards the map's (shards led per node, the last change's moves). */
    simjson_repl(j, &p->sim, 0);
    simjson_shards(j, &p->sim);
    json_printf(j, ",\"realtime\":%u", a->realtime ? a->realtime_scale : 0u);
    json_printf(j, ",\"compare\":%s,\"focus\":%d", a->pane_count > 1 ? "true" : "false", a->focus);
    if (a->pane_count > 1) {
        json_raw(j, ",\"panes\":[");
        for (int i = 0; i < a->pane_count; i++) {
            if (i)
                json_raw(j, ",");
            pane_json(j, &a->panes[i]);
        }
        json_raw(j, "]");
    }
    /* idle: frames are drawn only on input (fps is then 0). */
    json_printf(j, ",\"idle\":%s", a->idle ? "true" : "false");
    json_raw(j, "}");
    return j->len ? json_text(j) : "{}";
}
