/* scene — the GPU mirror of the simulation: embeddings as particles, virtual
 * nodes as ring points, the ownership band, and the node table the shaders
 * read node positions and colours from.
 *
 * Everything animated is computed by the shaders from the time uniform; the
 * CPU writes buffers only on a topology change, and then only what changed:
 * the owners and start times of moved embeddings (coalesced into runs), the
 * ring points (merged with the previous set so new ones pop and removed ones
 * fade), and the rows of the node table in use. A view change rewrites only
 * the small ownership strip texture.
 *
 * Memory: scene_t owns its GL objects and CPU mirrors (grown only on
 * topology changes); scene_shutdown frees them. Errors: functions return 0,
 * or -1 with a message ("out of memory ...", "SHADER: ...") in err.
 */
#ifndef RINGSCOPE_SCENE_H
#define RINGSCOPE_SCENE_H

#include <GLES3/gl3.h>
#include <stddef.h>
#include <stdint.h>

#include "gfx.h"
#include "ring.h"
#include "scene_lumps.h"
#include "scene_node.h"
#include "scene_repl.h"
#include "sim.h"
#include "sst.h"
#include "store.h"
#include "view.h"

#define SCENE_STRIP 4096        /* ownership texels over the visible range */
#define SCENE_NODE_COLS 64      /* node table: 64 slots per texture row */
#define SCENE_NONE 0xFFFFu
/* Beyond this many embeddings the resting clouds are drawn from every k-th
 * particle (k times brighter; at that density the picture is the same) and
 * the moved ones are drawn separately, all of them, while they fly. Software
 * GL spends ~0.5 us per point; this keeps a million interactive. */
#define SCENE_LOD_MAX 120000u

/* Ring points likewise: beyond this many on screen, every k-th is drawn.
 * The ring line is about 2,000 pixels long at 1280x720, so 8,000 sprites
 * already cover it several times over, while 400 nodes x 10,000 vnodes (4
 * million points) drawn in full cost seconds a frame in software GL; the
 * ownership band shows the arcs exactly either way. Zoomed in, fewer points
 * are on screen and all of them show. */
#define SCENE_POINT_MAX 8000u

typedef struct scene_owner {
    uint16_t from, to;          /* slots; SCENE_NONE: on the ring */
    uint16_t lump_from, lump_to;/* its shard's lump at each (scene_lumps.h; SCENE_LUMP_NONE: no lumps) */
    float start;                /* flight start time (landed long ago: very negative) */
} scene_owner_t;

/* A flight that has not landed yet, for the counts the HUD shows: until
 * `land` the embedding counts for `from`, afterwards for `to` (SCENE_NONE:
 * for no node, as a lost key, which no node holds data for). */
typedef struct scene_landing {
    float land;
    uint32_t idx;               /* particle */
    uint16_t from, to;          /* slots; SCENE_NONE: on the ring */
    uint8_t op;                 /* a move of the latest change */
} scene_landing_t;

typedef struct scene_point {
    uint64_t pos;
    uint64_t seq;               /* node's order of addition: a reused slot is a new node */
    uint16_t slot;
    float born, died;           /* died < 0: alive */
} scene_point_t;

typedef struct scene_point_gpu {
    float hi, lo;
    uint32_t slot;
    float born, died;
} scene_point_gpu_t;

typedef struct scene_params {
    float flight_dur;           /* seconds one flight takes */
    float cloud_r;              /* world units */
    float particle_size;        /* pixels */
    float particle_intensity;
    float point_size;           /* pixels */
    float band_in, band_out;    /* pixels from the ring line (negative: inside) */
    uint16_t selected;          /* SCENE_NONE: none */
    int points_off;             /* 1: the ring's vnode points are not drawn (a strategy without them) */
    int steady;                 /* 1: under-replicated keys glow steadily instead of pulsing (reduced motion) */
} scene_params_t;

typedef struct scene {
    gfx_program_t prog_particle, prog_point, prog_band;

    GLuint nodes_tex;
    scene_node_t nodes[RS_MAX_NODES];
    uint32_t node_rows;         /* rows with slots in use */
    float layout_t0, layout_dur;

    GLuint p_vao, p_static, p_dyn;
    size_t p_count, p_cap;
    scene_owner_t *owners;      /* CPU mirror of p_dyn */
    GLuint p_vao_lod, p_ebo;    /* every k-th particle; indices of the moved ones */
    GLuint p_lod_idx;           /* the thinned view's indices: 0, k, 2k, ... */
    uint32_t lod_stride;        /* k of p_lod_idx; 0: to be filled */
    uint32_t lod_max;           /* particles drawn in full up to this many (SCENE_LOD_MAX, shared
                                   out among compare panes: a quarter-size cloud needs a quarter) */
    uint32_t *moved_idx;
    size_t moved_count, moved_cap;
    float moved_end;            /* when the last flight lands */
    float *p_static_cpu;        /* staging for a full rebuild */
    GLuint p_way;               /* each key's place on the structure, 3 floats (sst_way_of) */
    float *way_cpu;             /* its CPU mirror */

    /* Flights in the air, by landing time, and the per-node counts as drawn
     * (the keys each node holds data for, sim_counts, minus what has not
     * landed): labels and bars read these so they agree with the particles
     * and the "moved k of N" counter, and lost keys count for no node. */
    scene_landing_t *land, *land_tmp;
    size_t land_count, land_next, land_cap;
    uint64_t shown[RS_MAX_NODES];
    uint64_t op_moves, op_landed; /* the latest change's moves, landed so far */
    float flight;               /* seconds one flight takes (scene_particles_move sets it) */

    GLuint v_vao, v_vbo;
    scene_point_t *pts, *pts_next;
    scene_point_gpu_t *pts_gpu;
    size_t v_count, v_cap, v_gpu_cap;
    GLuint v_idx;               /* the points drawn: visible ones, every k-th */
    size_t v_idx_count;         /* 0 with v_idx_all: draw them all, no index list */
    int v_idx_all, v_idx_dirty;
    uint64_t v_vis_lo, v_vis_hi;/* visible positions (v_vis_all: the whole ring) */
    int v_vis_all;
    int v_thin_off;             /* 1: draw every point (the bench's baseline) */
    int pts_own;                /* the points are the strategy's own: drawn whatever points_off says */

    GLuint strip_tex;
    uint8_t strip[2][SCENE_STRIP * 4];
    double strip_a0, strip_a1;  /* turns from the reference */
    float strip_t0;             /* crossfade start */
    int strip_valid;

    GLuint band_vao, band_vbo;
    float band_quad[8];

    scene_repl_t repl;          /* replica copies, crashes, healing (scene_repl.h) */
    scene_lumps_t lumps;        /* shards as lumps of their keys (scene_lumps.h) */
    sst_t sst;                  /* the active strategy's own structure */
} scene_t;

int scene_init(scene_t *sc, char *err, size_t err_size);
void scene_shutdown(scene_t *sc);

/* Node table: set each slot, then upload (t0 starts the layout motion). */
void scene_node_set(scene_t *sc, uint16_t slot, const scene_node_t *n);
void scene_nodes_upload(scene_t *sc, uint32_t slot_count, float t0, float dur);
/* Where a node is at time t (same easing as the shaders). */
void scene_node_pos(const scene_t *sc, uint16_t slot, float t, float *x, float *y);

/* The budget of particles drawn in full (SCENE_LOD_MAX for one pane,
 * divided among compare panes, so four panes cost what one does). */
void scene_set_lod_max(scene_t *sc, uint32_t n);

/* Rebuilds every particle from the store. Embeddings with index >=
 * fly_in_from fly in from their ring position, staggered from now. Under a
 * shard map each rests in its shard's lump (scene_lumps.h). */
int scene_particles_rebuild(scene_t *sc, const sim_t *s, uint64_t fly_in_from, float now, float stagger,
                            char *err, size_t err_size);
/* Starts flights for moved embeddings (m: s's last step); uploads only
 * their runs. A particle still in the air is retargeted from where it is
 * now: before its start it waits where it is, on its first leg it keeps
 * going to its key's ring position and on to the new owner, on its second
 * leg it turns back along the same line. Nothing teleports, nothing is
 * lost. The flights sweep around the ring over stagger seconds; under a
 * shard map every key of a shard leaves and lands together, in its lump
 * (a convoy), the shards one after another, and when the lumps are laid
 * out afresh or dropped (a switch to or from shards) the keys that stay
 * with their node gather into (or spread from) their lumps in place. */
void scene_particles_move(scene_t *sc, const sim_t *s, const store_moves_t *m, float now, float stagger,
                          float flight);
/* Rewrites the waypoints (sst_way_of) of the moved keys whose flights
 * start at or after now (after scene_particles_move; those in the air keep
 * theirs), uploading only their runs. */
void scene_way_moved(scene_t *sc, const sim_t *s, const store_moves_t *m, float now);
/* Applies the landings due by now to shown[] and op_landed (per frame;
 * costs only the landings). */
void scene_landings_advance(scene_t *sc, float now);

/* Merges the points the active strategy draws with the previous set (pop
 * in / fade out): its own (ketama's 32-bit ring, multiprobe's one per node)
 * or else the ring's vnode points. instant: no animation (first frame). */
int scene_points_sync(scene_t *sc, const sim_t *s, float now, int instant, char *err, size_t err_size);

/* Refills the ownership strip for the view: each texel in the colour of the
 * node that owns a key hashing there under s's active strategy. changed:
 * the placement changed (old strip kept for the crossfade); otherwise only
 * the view or selection did. */
void scene_strip_update(scene_t *sc, const sim_t *s, const view_t *v, uint16_t selected, float now, int changed);

void scene_draw(scene_t *sc, const gfx_frame_t *f, const scene_params_t *p);

/* The lump (scene_lumps.h) nearest pixel (x, y) within its reach, of a
 * shard with keys, in the cloud of a node drawn at time t (cloud_r: the
 * clouds' radius in world units): 1 and its shard, node, centre and radius
 * (pixels) in o's lump fields; 0 when there is none (or no lumps). */
int scene_lump_at(const scene_t *sc, const sim_t *s, const view_t *v, float cloud_r, float t, float x, float y,
                  sst_overlay_t *o);

#endif
