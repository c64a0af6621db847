/* clusternodes — a real Redis Cluster's slot map, read from the output of
 * `CLUSTER NODES` (what `--from-redis FILE` starts a scenario from).
 *
 * Each line is `<id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent>
 * <pong-recv> <config-epoch> <link-state> <slot> ...` (redis.io, CLUSTER
 * NODES). The masters (flags with "master") and the slots they serve —
 * ranges "first-last" and single slots — make the map; replicas ("slave")
 * are counted and left out; importing and migrating markers
 * ("[slot->-id]", "[slot-<-id]") are counted, the first kept for the
 * message, and ignored (the slot stays with the master that lists it).
 * Blank lines are skipped.
 *
 * The masters are named by their address, ip:port (the cluster bus port
 * and a hostname after it dropped), and listed in redis-cli's order when
 * it is run against the node flagged myself: that node first, then the
 * others in line order (clusterManagerLoadInfoFromNode) — the order in
 * which redis-cli's rebalance breaks ties, and so the ranks a scenario
 * gives them.
 *
 * Errors: cn_parse returns -1 with "line N: reason" (too few fields, a bad
 * node id, flags naming neither a master nor a replica, a bad slot or
 * range, a slot served by two masters, an address given twice, no master
 * at all). Memory: cn_map_t owns its arrays; cn_free releases them.
 */
#ifndef RINGSCOPE_CLUSTERNODES_H
#define RINGSCOPE_CLUSTERNODES_H

#include <stddef.h>
#include <stdint.h>

#include "nodeid.h"

#define CN_SLOTS 16384u
#define CN_NONE 0xFFFFu

typedef struct cn_master {
    char addr[NODEID_MAX + 1]; /* "127.0.0.1:7000": its name in the scenario */
    char id[41];               /* the node id, 40 hex digits */
    uint32_t line;
    uint32_t slots;            /* slots it serves */
} cn_master_t;

typedef struct cn_map {
    cn_master_t *masters;      /* in redis-cli's order (myself first) */
    uint32_t count;
    uint16_t slot[CN_SLOTS];   /* slot -> index into masters, or CN_NONE */
    uint32_t uncovered;        /* slots no master serves */
    uint32_t replicas;         /* replica lines left out */
    uint32_t markers;          /* importing/migrating markers ignored */
    char first_marker[96];     /* "line 3: [5461->-e7d1…]", or "" */
} cn_map_t;

int cn_parse(const char *text, size_t len, cn_map_t *out, char *err, size_t err_size);
void cn_free(cn_map_t *m);

#endif
