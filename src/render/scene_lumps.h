/* scene_lumps — a node's cloud made of its shards, for strategies with a
 * shard map (sim_shards): each shard is a tight lump of its keys, so a node
 * that leads 13 shards shows 13 lumps; a shard that moves flies as one
 * convoy (every key starts and lands together and keeps its place in the
 * lump); with replicas each copy of a shard is a lump of its own, dimmer, in
 * the cloud of the node that holds it.
 *
 * The book: for each shard, the nodes that hold it and its lump slot in
 * each of their clouds. A slot is kept while the node holds the shard (its
 * lump never jumps), a new holder gives it its lowest free slot, and a
 * fresh map (a switch to shards) lays each cloud out afresh, primaries in
 * the inner slots, copies after. Slot i of a cloud laid out for K slots
 * sits on a sunflower (Vogel) spiral that fills the cloud:
 * angle i·137.5°, radius sqrt((i + 0.5) / K) · (1 − lump radius); K grows
 * (eased, SCENE_LUMP_GROW seconds) when a node must hold more lumps than
 * the layout has room for, and the shaders (common.glsl: cloud_at) read it
 * as the uniform u_lumps. A key's place in its lump is its cloud offset
 * scaled to the lump's radius.
 *
 * scene_t holds one (scene.lumps); the scene syncs it on every change
 * (scene_particles_move / _rebuild) and reads it for each particle's lump.
 * Memory: the book's arrays are grown on changes only; scene_lumps_free
 * releases them. Errors: scene_lumps_sync returns -1 when out of memory
 * (the book is then off: clouds are drawn whole, as for other strategies).
 */
#ifndef RINGSCOPE_SCENE_LUMPS_H
#define RINGSCOPE_SCENE_LUMPS_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

#define SCENE_LUMP_NONE 0xFFFFu /* a particle with no lump: anywhere in its node's cloud */
#define SCENE_LUMP_GROW 0.9f    /* seconds the layout takes to grow */
#define SCENE_LUMP_HOLD 8u      /* lumps a shard may have: its holders (shardmap's stride) */

typedef struct scene_lumps {
    uint32_t shards;            /* S of the map the book follows; 0: no lumps */
    uint16_t *node;             /* [s * SCENE_LUMP_HOLD + j]: shard s's holders, primary first */
    uint16_t *slot;             /* [s * SCENE_LUMP_HOLD + j]: its lump's slot in that node's cloud */
    uint8_t *held;              /* [s]: lumps of shard s */
    /* The last sync: each changed shard's place in order (UINT32_MAX: not
     * changed), for the flights' timing, and how many changed. all: the
     * book was laid out afresh or turned off (every particle re-lumps). */
    uint32_t *order;
    uint32_t changed;
    int all;
    uint32_t k;                 /* slots a cloud is laid out for */
    float k_from, k_t0;         /* it grew from k_from at k_t0 */
    size_t cap;                 /* shards the arrays hold */
    /* scratch of a sync */
    uint64_t *pend;             /* pending lumps (node << 40 | shard << 3 | holder) */
    uint16_t *used;             /* slots in use, bucketed by node */
    uint8_t *mark;
    size_t pend_cap, used_cap, mark_cap;
    uint32_t *per_node;         /* [RS_MAX_NODES + 1] */
} scene_lumps_t;

void scene_lumps_free(scene_lumps_t *L);

/* Brings the book up to date with s's shard map at time now (no map: off).
 * 0, or -1 without memory (then off). */
int scene_lumps_sync(scene_lumps_t *L, const sim_t *s, float now);

/* The slot of shard's lump in node's cloud, or SCENE_LUMP_NONE. */
uint16_t scene_lumps_slot(const scene_lumps_t *L, uint32_t shard, uint16_t node);
/* The shard of the key at sorted position pos (the book must be on). */
uint32_t scene_lumps_shard_at(const sim_t *s, size_t pos);

/* Slots the layout has at time t (eased while it grows). */
float scene_lumps_k(const scene_lumps_t *L, float t);
/* Geometry of the layout, in units of the cloud radius (mirrors
 * common.glsl): a lump's radius, and slot i's centre, for k slots. */
float scene_lump_radius(float k);
void scene_lump_centre(uint32_t slot, float k, float *x, float *y);

/* The flight start of a key of shard after a change that started at start
 * and spreads its flights over stagger seconds: every key of a shard
 * leaves together, the shards one after another in shard order. */
float scene_lumps_start(const scene_lumps_t *L, uint32_t shard, float start, float stagger);

/* The u_lumps uniform (k from, k to, grew at, over) at location loc. */
void scene_lumps_uniform(const scene_lumps_t *L, int loc);

#endif
