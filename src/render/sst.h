/* sst — each strategy's own structure, drawn beside the ownership band.
 *
 * The strategy says what kind of structure it has (strat_ops_t.structure,
 * strat.h) and the facts its drawing needs; this module picks the drawing
 * module of that kind from a table and never asks which strategy it is:
 *
 *   points (sst_points.c): the points themselves are the scene's
 *     (scene_points_sync); ticks at keys placed past their first choice
 *     where the strategy overflows (bounded);
 *   cells (sst_cells.c): a thin ring of C cells just outside the ring line,
 *     cell c at ring positions [c, c+1)·2^64/C coloured by its node; cell
 *     boundaries show once cells are 2 px wide, cells that changed owner
 *     flash, numbers where they fit, the count in the middle where they do
 *     not, and the swap of a removal on an arrow (jump);
 *   scores (sst_scores.c): the hovered key's score per node, the winner
 *     marked (rendezvous);
 *   probes (sst_probes.c): the hovered key's probe fan (multiprobe);
 *   shards (sst_shards.c): the S shards as the cell ring (shard s is cell
 *     s, in its primary's colour; a shard that changed hands flashes); a
 *     card of the shard under the pointer — its cell, or its lump in a
 *     node's cloud (scene_lumps.h) — with its number, keys and holders,
 *     the lump ringed and tied to its cell.
 *
 * Adding a kind is one file with its sst_kind_t and one row in sst.c.
 *
 * The cell ring is a second strip texture (strip.h) read by the band
 * shader, refilled only when the placement or the view changes (the
 * scene's strip update calls sst_update), so idle frames upload nothing;
 * the rest is 2D overlay (draw.h) batched with the HUD. The one-line legend
 * of the rule is the strategy's own (strat_ops_t.legend).
 *
 * Memory: sst_t lives inside the scene and owns a texture and the overflow
 * list (grown on change); sst_shutdown frees them. The scene lends its node
 * table (scene_node.h) for colours. Errors: none reported: without memory
 * for the overflow list the ticks are left out.
 */
#ifndef RINGSCOPE_SST_H
#define RINGSCOPE_SST_H

#include <GLES3/gl3.h>
#include <stdint.h>

#include "draw.h"
#include "rs_limits.h"
#include "scene_node.h"
#include "store.h"
#include "strat.h"

#define SST_STRIP 4096
#define SST_SWAP_SECONDS 1.6f  /* jump's swap arrow */
#define SST_FLASH_SECONDS 0.9f /* changed cells */
#define SST_CELL_SEEN_PX 2.0   /* cells this wide show their boundaries (band.frag.glsl) */

struct sim;
struct view;

typedef struct sst {
    const strat_ops_t *ops;      /* the strategy drawn at the last update (NULL: none yet) */

    /* cells: the cell ring's strip */
    GLuint strip_tex;            /* rows: previous and current cell colours */
    uint8_t strip[2][SST_STRIP * 4];
    uint16_t owner[2][SST_STRIP];/* the node of each texel's cell */
    uint64_t cells;              /* cells of the structure; 0: no cell ring */
    double cell_phase;           /* fraction of a cell at the view's reference */
    float t0;                    /* last change (cross-fade and flash) */

    /* cells with STRAT_DRAW_SWAP: bucket `from` of `from_n` moved into
     * bucket `to` of n */
    uint16_t jump_prev[RS_MAX_NODES];
    uint32_t jump_prev_n;
    int swap;
    uint64_t swap_from, swap_from_n, swap_to, swap_n;
    uint16_t swap_node;
    float swap_t0;

    /* points with STRAT_DRAW_OVERFLOW: the strip holds the rule (where a
     * new key hashing there would go now), drawn as a thin ring inside the
     * band, which shows where the keys are */
    int rule;
    /* points with STRAT_DRAW_OVERFLOW: ring positions of keys placed past
     * their first choice */
    uint64_t *over;
    size_t over_count, over_cap;
    int over_valid;              /* 0: out of memory, ticks left out */
    size_t over_drawn;           /* ticks drawn last frame (every k-th past a cap) */

    uint16_t hover_owner;        /* the hovered key's winner drawn last frame (RING_NONE: none) */
    int64_t hover_shard;         /* the shard whose card was drawn last frame (-1: none) */
    uint32_t numbers_drawn;      /* cell numbers drawn last frame */
    float numbers_reach;         /* how far from the ring's centre their boxes reached, px */
    float card[4];               /* its card (x, y, w, h) as last drawn; w = 0: none */
} sst_t;

void sst_init(sst_t *t);
void sst_shutdown(sst_t *t);

/* After the ownership strip was refilled over turns [a0, a1) from the
 * view's reference: refills the cell strip over the same range (nodes: the
 * scene's node table). changed: the placement changed (flash, swap). */
void sst_update(sst_t *t, const struct sim *s, const struct view *v, const scene_node_t *nodes, double a0,
                double a1, uint16_t selected, float now, int changed);

/* Pixel offset of the cell ring from the ring line (outer edge, inner edge). */
void sst_cell_band(float dpi, float *in, float *out);
/* The same for the rule's ring (STRAT_DRAW_OVERFLOW), inside the band. */
void sst_rule_band(float dpi, float *in, float *out);

/* Overlay, in two layers: sst_draw_overlay the structure's marks (cell
 * labels, overflow ticks, jump's swap arrow), under the node labels;
 * sst_draw_hover the picture of the key hashing at the ring point under
 * the mouse when it is within reach of the ring line (mouse_x < 0: none),
 * over them, its card opaque. u: pixels per layout unit. */
typedef struct sst_overlay {
    float mouse_x, mouse_y;
    float u;
    float time;
    float clip[4];               /* x0, y0, x1, y1: where the ring may draw labels */
    /* The lump under the pointer (scene_lump_at), when lump is 1: its
     * shard, the node whose cloud holds it, its centre and radius (px). */
    int lump;
    uint32_t lump_shard;
    uint16_t lump_node;
    float lump_x, lump_y, lump_r;
} sst_overlay_t;

void sst_draw_overlay(sst_t *t, const scene_node_t *nodes, draw_t *d, const struct sim *s, const struct view *v,
                      const sst_overlay_t *o);
void sst_draw_hover(sst_t *t, const scene_node_t *nodes, draw_t *d, const struct sim *s, const struct view *v,
                    const sst_overlay_t *o);

/* Flights' waypoint: the place of the key at sorted position pos on the
 * active strategy's structure, as the particle shader reads it: (hi, lo)
 * turns and a kind: 0 the key's own ring position (points shared with the
 * ring: ring, bounded), 1 that ring position (ketama's 32-bit hash,
 * multiprobe's winning probe), 2 the cell ring (the cell's centre), 3 none
 * (scores: the flight goes straight). */
void sst_way_of(const struct sim *s, size_t pos, float out[3]);

/* 1 when a drawing module serves every structure kind strat.h names. */
int sst_kinds_complete(void);

#endif
