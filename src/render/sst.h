/* sst — each strategy drawn by its own structure, beside the ownership band:
 *
 *   maglev, jump, modulo: a thin ring of cells just outside the ring line,
 *     cell c of C at ring positions [c, c+1)·2^64/C coloured by its node
 *     (maglev's M table slots, jump's buckets in slot order, modulo's
 *     residues); cell boundaries show once cells are 3 px wide, cells that
 *     changed owner flash, jump's swap on a removal slides along an arrow;
 *   ketama, multiprobe: their own points (scene_points_sync draws them);
 *   multiprobe: the hovered key's probe fan; rendezvous: the hovered key's
 *     scores, the winner marked; bounded: a tick per key that overflowed
 *     past its first choice;
 *   every strategy: a one-line legend of its rule.
 *
 * The cell ring is a second strip texture read by the band shader, refilled
 * only when the placement or the view changes (scene_strip_update calls
 * sst_update), so idle frames upload nothing; the rest is 2D overlay
 * (draw.h) batched with the HUD.
 *
 * Memory: sst_t lives inside scene_t and owns a texture and the overflow
 * list (grown on change); sst_shutdown frees them. Errors: none reported:
 * without memory for the overflow list the ticks are left out.
 */
#ifndef RINGSCOPE_SST_H
#define RINGSCOPE_SST_H

#include <GLES3/gl3.h>
#include <stdint.h>

#include "draw.h"
#include "rs_limits.h"
#include "store.h"
#include "strat.h"

#define SST_STRIP 4096
#define SST_SWAP_SECONDS 1.6f  /* jump's swap arrow */
#define SST_FLASH_SECONDS 0.9f /* changed cells */

struct scene;
struct sim;
struct view;

typedef struct sst {
    GLuint strip_tex;            /* rows: previous and current cell colours */
    uint8_t strip[2][SST_STRIP * 4];
    uint16_t owner[2][SST_STRIP];/* the node of each texel's cell */
    strat_kind_t kind;
    uint64_t cells;              /* cells of the structure; 0: no cell ring */
    double cell_phase;           /* fraction of a cell at the view's reference */
    float t0;                    /* last change (cross-fade and flash) */

    /* jump's swap: bucket `from` of `from_n` moved into bucket `to` of n */
    uint16_t jump_prev[RS_MAX_NODES];
    uint32_t jump_prev_n;
    int swap;
    uint64_t swap_from, swap_from_n, swap_to, swap_n;
    uint16_t swap_node;
    float swap_t0;

    /* bounded: ring positions of keys placed past their first choice */
    uint64_t *over;
    size_t over_count, over_cap;
    int over_valid;              /* 0: out of memory, ticks left out */
    size_t over_drawn;           /* ticks drawn last frame (every k-th past a cap) */
    uint16_t hover_owner;        /* the hovered key's winner drawn last frame (RING_NONE: none) */
} sst_t;

void sst_init(sst_t *t);
void sst_shutdown(sst_t *t);

/* Refills the cell strip over the scene's visible range (set by the
 * caller's strip update). changed: the placement changed (flash, swap). */
void sst_update(struct scene *sc, const struct sim *s, const struct view *v, uint16_t selected, float now,
                int changed);

/* The cell ring, drawn by scene_draw after the band with the band's
 * program and quad (u_cells back to 0 afterwards). */
void sst_draw_cells(struct scene *sc, const gfx_frame_t *f, float ring_in, float ring_out);

/* Pixel offset of the cell ring from the ring line (outer edge, inner edge). */
void sst_cell_band(float dpi, float *in, float *out);

/* Overlay: the legend line (top-left at legend_x, legend_y, cut to
 * legend_w; 0: none), cell labels, the pictures of the key hashing at the
 * ring point under the mouse when it is within reach of the ring line
 * (mouse_x < 0: none), overflow ticks, jump's swap arrow. u: pixels per
 * layout unit. */
typedef struct sst_overlay {
    float legend_x, legend_y, legend_w;
    float mouse_x, mouse_y;
    float u;
    float time;
    float clip[4];               /* x0, y0, x1, y1: where the ring may draw labels */
} sst_overlay_t;

void sst_draw_overlay(struct scene *sc, draw_t *d, const struct sim *s, const struct view *v,
                      const sst_overlay_t *o);

/* Flights' waypoint: the place of the key at sorted position pos on the
 * active strategy's structure, as the particle shader reads it: (hi, lo)
 * turns and a kind: 0 the key's own ring position (ring, bounded), 1 that
 * ring position (ketama's 32-bit hash, multiprobe's winning probe), 2 the
 * cell ring (maglev, jump, modulo: the cell's centre), 3 none (rendezvous:
 * the flight goes straight). */
void sst_way_of(const struct sim *s, size_t pos, float out[3]);
/* Rewrites the waypoints of the moved keys whose flights start at or after
 * now (after scene_particles_move; those in the air keep theirs), uploading
 * only their runs. */
void sst_way_moved(struct scene *sc, const struct sim *s, const store_moves_t *m, float now);

/* The legend line of a strategy (for the overlay and tests). */
void sst_legend(const struct sim *s, char *out, size_t n);

#endif
