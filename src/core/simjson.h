/* simjson — the simulation's state as JSON, written once for everyone:
 * `sim --json` and `sim --compare --json` (a step object per command, the
 * config's strategy and replication members) and the app's state() (its
 * replication figures), on the one JSON writer (json.h).
 *
 * Members mean the same wherever they appear (one vocabulary, repl.h):
 * `moved` is the keys whose primary holder changed and got their data (0
 * at a crash), `promoted` the keys a crash left to a surviving copy,
 * `copied` the copies made (`copied_bytes`, `transfer_seconds`), `lost` the
 * keys this step lost, `lost_total` those lost so far (and still in the
 * store), `under_replicated` the keys short of their copies; `dist` is the
 * keys each node holds data for, so lost keys are in no node's count.
 *
 *   simjson_step             {"op":…,"node":…,"changed":…,"message":…,
 *                            "strategy":…,"moved":…,"visited":…,
 *                            "moved_fraction":…,"ideal_fraction":…,"nodes":…,
 *                            "vectors":…,"vnodes":…,"unassigned":…,"dist":{…},
 *                            "arc_share":{…} (strategies with vnodes),"max":…,
 *                            "min":…,"mean":…,"max_over_mean":…,
 *                            "std_over_mean":…, with shards "shards_moved":…
 *                            (shard copies made),"shard_counts":{id: shards
 *                            led},"shard_ranges":{id: [[first,last],…]},
 *                            and with replication on the members of
 *                            simjson_repl(SIMJSON_REPL_ALL)}
 *   simjson_repl             ,"replicas":…,"promoted":…,"copied":…,
 *                            "copied_bytes":…,"transfer_seconds":…,"lost":…,
 *                            ["lost_ids":[…],]"lost_total":…,
 *                            "under_replicated":…,"crashed":[…]
 *                            [,"bytes_in":{…},"bytes_out":{…}][,"zones":{…}]
 *   simjson_shards           ,"shards":S,"shards_primaries_moved":…, then
 *                            the step's shard members above (a strategy
 *                            with shards; nothing otherwise): the app's state()
 *   simjson_repl_config      ,"replicas":…,"record_bytes":…,"copy_bytes":…,
 *                            "bandwidth_bytes_per_second":… (replication on)
 *   simjson_strategy_params  "strategy":NAME, (not for the default ring)
 *                            "preset":NAME, (a preset of a real system)
 *                            "vnodes":…, and the strategy's parameters in
 *                            force (strat_param_t.field; a preset's own
 *                            config members, strat_ops_t.config_json)
 * and a step's strategy adds its own members last (strat_ops_t.step_json:
 * Kafka's keys read from the wrong partition).
 *
 * Members of an object being written start with their comma, except
 * simjson_strategy_params's first. Memory and errors are json.h's: a
 * writer that runs out of memory sets j->oom.
 */
#ifndef RINGSCOPE_SIMJSON_H
#define RINGSCOPE_SIMJSON_H

#include "json.h"
#include "sim.h"

/* Parts of simjson_repl besides the figures. */
enum {
    SIMJSON_REPL_LOST_IDS = 1 << 0, /* "lost_ids": this step's lost keys */
    SIMJSON_REPL_TRAFFIC = 1 << 1,  /* "bytes_in", "bytes_out" per node */
    SIMJSON_REPL_ZONES = 1 << 2,    /* "zones" per live node, when any is set */
    SIMJSON_REPL_ALL = 7,
};

void simjson_step(json_t *j, const sim_t *s, const sim_step_t *step);
/* The replication members (replicas is 1 while replication is off). */
void simjson_repl(json_t *j, const sim_t *s, unsigned parts);
void simjson_repl_config(json_t *j, const repl_t *r);
void simjson_shards(json_t *j, const sim_t *s);
/* s: the strategy as built at the start (its parameters in force). */
void simjson_strategy_params(json_t *j, const strat_t *s, uint32_t vnodes);
/* Node id's zone: its name, or null. */
void simjson_zone(json_t *j, const repl_t *r, const char *id);

#endif
