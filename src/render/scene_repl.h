/* scene_repl — replication on screen: the replica copies, crashes, lost and
 * under-replicated embeddings, and the healing flights (repl.h's model).
 *
 * Two parts, both rewritten only on a change (scene_repl_sync):
 * - a state per primary particle (scene.h's particles, by sorted store
 *   position), read by the particle shader as attribute 3: a lost
 *   embedding turns red and falls away from its crashed node; an
 *   under-replicated one pulses amber until the healing flight that
 *   restores its copies lands (or for as long as nobody heals).
 * - the replica copies: one dimmer particle per copy that is not the
 *   primary, in its holder's cloud, in the colour of the key's primary
 *   (under a shard map, in the shard's lump there: scene_lumps.h).
 *   A new copy flies in from the node it is copied from (the leaving node
 *   on a removal, else the first surviving holder); a dropped copy fades;
 *   a crashed node's copies fall with it, grey; under a shard map a
 *   shard's new copies fly together, a lump at a time. Beyond SCENE_REPL_DOTS
 *   copy dots only every k-th embedding's copies are drawn (k times
 *   brighter), as the primary clouds are thinned, so the copies cost at
 *   most half what the primaries cost to draw.
 * It also keeps the crashed nodes' last places ("ghosts") for the HUD: a
 * crashed node leaves the ring but is drawn where it stood until it
 * recovers.
 *
 * scene_t holds one (scene.repl): scene_init/_shutdown set it up and tear it
 * down, scene_draw draws it; its owner calls scene_repl_sync after changes.
 * Memory: scene_repl_t owns its GL objects and CPU mirrors (grown on
 * changes only); scene_repl_shutdown frees them. Errors: 0, or -1 with a
 * message in err (out of memory, shader); on failure the primary particles
 * draw in their plain style.
 */
#ifndef RINGSCOPE_SCENE_REPL_H
#define RINGSCOPE_SCENE_REPL_H

#include <GLES3/gl3.h>
#include <stddef.h>
#include <stdint.h>

#include "gfx.h"
#include "nodeid.h"
#include "rs_limits.h"
#include "sim.h"

struct scene;
struct scene_params;

/* Per primary particle (attribute 3 of the particle shader). */
typedef enum scene_repl_kind {
    SCENE_REPL_OK = 0,
    SCENE_REPL_UNDER = 1,       /* pulses until t (its healing flight lands) */
    SCENE_REPL_LOST = 2,        /* fell away at t */
} scene_repl_kind_t;

/* A lost embedding (red) or a crashed node's copy (grey) stays where it was for
 * half a second, then drops and fades: gone after this many seconds. */
#define SCENE_REPL_FALL 1.8f

/* At most this many copy dots are drawn (software GL: ~0.5 us a point);
 * beyond it every k-th key's copies, k times brighter. */
#define SCENE_REPL_DOTS 60000u

/* Per replica copy: kind of its drawing. */
enum { SCENE_COPY_HELD = 0, SCENE_COPY_DROPPED = 1, SCENE_COPY_CRASHED = 2 };

typedef struct scene_copy {
    float key[4];               /* hi, lo turns; cloud offset */
    uint16_t from, to;          /* holder slots: flies from -> to (equal at rest) */
    uint16_t primary, kind;     /* primary's slot (colour); SCENE_COPY_* */
    float start, t;             /* flight start; when dropped or crashed */
    uint16_t lump_from, lump_to;/* the shard's lump at each (scene_lumps.h; SCENE_LUMP_NONE: none) */
} scene_copy_t;

typedef struct scene_ghost {
    char id[NODEID_MAX + 1];
    float x, y;                 /* world position where it stood */
    float r, g, b;
    float t;                    /* when it crashed */
} scene_ghost_t;

typedef enum scene_repl_change {
    SCENE_REPL_RESET,           /* draw the state as it is, nothing animates */
    SCENE_REPL_CRASH,           /* a node crashed */
    SCENE_REPL_CHANGE,          /* any other change (graceful: it also heals) */
} scene_repl_change_t;

typedef struct scene_repl {
    gfx_program_t prog;
    GLuint state_buf;           /* attribute 3 of the particles' VAOs */
    float *state;               /* [pos * 2]: kind, t */
    size_t state_cap;
    int state_on;               /* attribute 3 enabled */
    uint8_t *was;               /* [embedding index]: kind at the last sync */
    size_t was_cap, was_count;

    GLuint vao, copies_buf;
    scene_copy_t *copies;
    size_t copy_count, copy_cap, copy_gpu_cap;
    uint16_t *drawn;            /* [sampled key * REPL_MAX]: holders drawn */
    uint16_t *drawn_lump;       /* [sampled key * REPL_MAX]: the lump each was drawn in */
    uint8_t *drawn_n;
    uint16_t *drawn_owner;      /* [sampled key]: its primary's slot then */
    size_t drawn_cap;
    uint32_t sample;            /* every sample-th embedding index is tracked; 0: none yet */
    float gain;                 /* embeddings per copy dot drawn (its brightness) */
    float copies_end;           /* when the last copy flight lands or fade ends */
    float flight;               /* seconds one copy flight takes */

    uint64_t seq[RS_MAX_NODES];  /* by slot: order of addition of its node at the last sync (0: none) */
    scene_ghost_t *ghosts;      /* crashed nodes drawn where they stood */
    uint32_t ghost_count, ghost_cap;

    /* What the last sync drew (tests read these). */
    uint64_t lost_drawn;        /* particles drawn lost (falling or gone) */
    uint64_t under_drawn;       /* particles pulsing until healed */
    float pulse_end;            /* when the last pulse stops (1e9: until healed) */
    float anim_end;             /* when the last fall, fade, flight or healed pulse ends */
} scene_repl_t;

int scene_repl_init(scene_repl_t *rp, char *err, size_t err_size);
void scene_repl_shutdown(scene_repl_t *rp);

/* Brings the drawing up to date with s after a change whose flights start
 * at start (spread over stagger, each lasting flight) and were decided at
 * now. Call after scene_particles_move / _rebuild, for every change
 * (SCENE_REPL_RESET after a rebuild from scratch). Does nothing while
 * replication is off. */
int scene_repl_sync(scene_repl_t *rp, struct scene *sc, const sim_t *s, scene_repl_change_t change, float now,
                    float start, float stagger, float flight, char *err, size_t err_size);

/* After a crash, after scene_particles_move: an embedding that moved off
 * the crashed node but survives is drawn leaving from its first surviving
 * holder (the crashed node sends nothing); the landing books keep the
 * crashed node as its origin, so the counts drawn stay the core's. A lost
 * one keeps its origin, where it falls from. */
void scene_repl_crash_origins(struct scene *sc, const sim_t *s, const store_moves_t *m);

/* Draws the replica copies (scene_draw calls it after the particles). */
void scene_repl_draw(scene_repl_t *rp, const struct scene *sc, const gfx_frame_t *f, const struct scene_params *p);


#endif
