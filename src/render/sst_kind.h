/* sst_kind — what the drawing modules of sst.c's table share: the module
 * contract and a few helpers. Only sst*.c include it.
 *
 * A module draws one kind of structure (strat_structure_kind_t) for any
 * strategy of that kind, reading the strategy's facts from
 * s->strat.ops->structure, never its identity. Every hook is optional
 * (NULL: nothing to do). The modules keep their state in sst_t (sst.h)
 * and report no errors (see sst.h for the one allocation).
 */
#ifndef RINGSCOPE_SST_KIND_H
#define RINGSCOPE_SST_KIND_H

#include "sst.h"

#include "sim.h"
#include "view.h"

#define SST_C_LEGEND 0x8A93A6FFu
#define SST_C_LABEL 0xC8D0DEFFu

typedef struct sst_kind {
    const char *name;
    /* The placement changed, or (same == 0) the strategy did: keep what the
     * overlay draws from (the swap, the overflowed keys). */
    void (*changed)(sst_t *t, const sim_t *s, float now, int same);
    /* The view or the placement changed: refill the cell strip over
     * [a0, a1) (the ownership strip's range). */
    void (*strip)(sst_t *t, const sim_t *s, const view_t *v, const scene_node_t *nodes, double a0, double a1,
                  uint16_t selected, float now, int changed, int same);
    /* Flights' waypoint of the key at sorted position pos (sst_way_of). */
    void (*way_of)(const sim_t *s, size_t pos, float out[3]);
    /* 2D overlay beside the structure (labels, ticks, arrows). */
    void (*overlay)(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                    const sst_overlay_t *o);
    /* The picture of the key hashing at ring position pos under the pointer;
     * sets t->hover_owner to the node it shows winning. */
    void (*hover)(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                  const sst_overlay_t *o, uint64_t pos);
    /* The picture of the lump under the pointer (o->lump: the scene found
     * one, scene_lump_at); sets t->hover_owner like hover. */
    void (*hover_lump)(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                       const sst_overlay_t *o);
} sst_kind_t;

extern const sst_kind_t sst_points, sst_cells, sst_scores, sst_probes, sst_shards;

/* The cell ring's strip and labels (sst_cells.c), for kinds drawn on it. */
void sst_cells_strip(sst_t *t, const sim_t *s, const view_t *v, const scene_node_t *nodes, double a0, double a1,
                     uint16_t selected, float now, int changed, int same);
void sst_cells_overlay(sst_t *t, const scene_node_t *nodes, draw_t *d, const sim_t *s, const view_t *v,
                       const sst_overlay_t *o);

/* Node slot's colour from the scene's node table, with alpha a. */
uint32_t sst_node_rgba(const scene_node_t *nodes, uint16_t slot, float a);
/* Colour c with its alpha scaled by a (clamped to [0, 1]). */
uint32_t sst_faded(uint32_t c, float a);
/* Pixel of ring position p, off px pixels outside the ring line. */
void sst_ring_at(const view_t *v, uint64_t p, double off, float *x, float *y);
/* 1 if (x, y) is inside the overlay's clip. */
int sst_inside(const sst_overlay_t *o, float x, float y);
/* The waypoint of a key at its place on the structure (place.h): 1 on a
 * ring position, 2 on the cell ring; kind 0 where it has none. */
void sst_way_place(const sim_t *s, size_t pos, float out[3]);

#endif
