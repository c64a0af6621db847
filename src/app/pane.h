/* pane — one strategy's view of the data: its simulation, the figures and
 * node layout drawn from it, its GPU scene, camera and picking state.
 *
 * The app owns one pane, or several side by side in compare mode; every
 * command runs on each pane (app_cmd.c), input goes to the pane under the
 * pointer, the HUD draws each pane in its own area.
 *
 *   pane_init      simulation, arrays, scene (a GL context must be current)
 *   pane_upload    node layout and every GPU buffer from the simulation
 *   pane_apply     one command: the simulation step, then flights and the
 *                  counter line ("moved k of N")
 *   pane_free
 *
 * Memory: a pane owns its simulation, arrays and scene; pane_free releases
 * them (safe on a zeroed or half-made pane). Errors: functions return 0 or
 * -1 with a message in err.
 */
#ifndef RINGSCOPE_PANE_H
#define RINGSCOPE_PANE_H

#include <stddef.h>
#include <stdint.h>

#include "nodeid.h"
#include "scene.h"
#include "scn.h"
#include "sim.h"
#include "view.h"

/* The counter line of the last change. */
typedef struct pane_action {
    char text[NODEID_MAX + 160]; /* "Added nodeF" */
    char note[NODEID_MAX + 160]; /* why this pane did not follow the change ("": it did) */
    uint64_t moved, total;
    double ideal;                /* NAN: none */
    float t0;                    /* when flights started */
    int counts_up;               /* moved count grows as flights land */
    int shrank;                  /* vectors removed: moved counts the removed ones */
    int op;                      /* its command (scn_op_t); -1: none yet */
    /* What it did, in the one vocabulary (repl.h): moved (above), promoted,
     * copied, lost, each shown only when not zero; under a shard map also
     * the shards whose primary moved and the shard copies made. Crashes
     * that come while the last one's flights are in the air add up into one
     * line ("Crashed b1, b2, b3"), so an outage reads whole. */
    uint64_t promoted;
    int shards;                  /* the strategy has shards */
    uint32_t shards_moved;
    uint64_t shard_copies;
    uint32_t crashes;            /* nodes that crashed in this line */
    /* Replication figures of the change (repl.h), when replication is on. */
    int repl;
    uint32_t replicas;
    uint64_t copies, bytes, lost, lost_total, under;
    double seconds;
    float flight, stagger;       /* the change's flight and spread of starts, seconds */
    float realtime;              /* its real-time scale (0: normal timing) */
    int realtime_clamped;        /* the transfer, slowed, was outside the shown bounds */
} pane_action_t;

/* The ring point under the cursor. */
typedef struct pane_hover {
    int active;
    uint64_t pos;
    uint16_t slot;
    uint32_t vnode;
    double arc;                  /* turns of the arc this point ends */
    float px, py;
} pane_hover_t;

typedef struct pane {
    sim_t sim;
    sim_stats_t stats;
    double *share;               /* arc share per slot (RS_MAX_NODES) */
    uint16_t *sorted;            /* live slots sorted by id */
    uint32_t sorted_count;
    double *node_angle;          /* place of each slot on the node circle, radians clockwise from 12 o'clock */
    uint8_t *node_placed;        /* 1: node_angle holds this slot's place */

    scene_t scene;
    view_t view;
    scene_params_t params;

    pane_action_t action;
    uint16_t selected;           /* SCENE_NONE: none */
    pane_hover_t hover;
    uint16_t hover_node;         /* node under the cursor (SCENE_NONE: none) */
    float cell[4];               /* x, y, w, h: the pane's part of the frame (drawable pixels) */
} pane_t;

typedef enum pane_layout {
    PANE_LAYOUT_SPREAD, /* evenly, in id order, clockwise from 12 o'clock (the start) */
    PANE_LAYOUT_KEEP,   /* where they are (the GL objects were re-made) */
    PANE_LAYOUT_CALM,   /* after a topology change: see pane_layout_nodes */
} pane_layout_t;

/* The simulation of cfg (moves collected), its figures and an empty scene. */
int pane_init(pane_t *p, const sim_config_t *cfg, char *err, size_t err_size);
void pane_free(pane_t *p);

/* GL objects only (a lost WebGL context): drop them, make new empty ones. */
void pane_gl_shutdown(pane_t *p);
int pane_gl_init(pane_t *p, char *err, size_t err_size);

/* Lays the nodes out (mode) and fills every GPU buffer from the
 * simulation, at once: no flights. dpi sizes the particles. */
int pane_upload(pane_t *p, pane_layout_t mode, float now, float dpi, char *err, size_t err_size);

/* Runs cmd on the simulation at time now. -1: the simulation refused it
 * (message in err, nothing changed). 0: done; step says whether it changed
 * anything; if so flights start at *start, the counter line is set and the
 * scene follows. realtime > 0: with replication on, the flights together
 * last the change's transfer time times realtime (the app's bounds). */
int pane_apply(pane_t *p, const scn_cmd_t *cmd, float now, float dpi, float realtime, sim_step_t *step, float *start,
               char *err, size_t err_size);

/* Sim figures, id order and arc shares, after the simulation changed. */
void pane_refresh_stats(pane_t *p);
/* Places the live nodes on the node circle and sends the table; 1 when
 * the nodes slide (flights wait for them), else 0. */
int pane_layout_nodes(pane_t *p, pane_layout_t mode, float now);
/* Particle size and brightness for the cloud density at this view. */
void pane_particle_look(pane_t *p, float dpi);
/* The ownership strip for the current view and selection. */
void pane_strip(pane_t *p, float now, int changed);

/* Pixel of a node's centre at time now, of a ring position. */
void pane_node_px(const pane_t *p, uint16_t slot, float now, double *x, double *y);
/* The node whose cloud is under pixel (x, y), or SCENE_NONE. */
uint16_t pane_node_at(const pane_t *p, float x, float y, float now, float dpi);
/* Sets hover to the ring point nearest pixel (x, y) within a few pixels
 * (or clears it). */
void pane_update_hover(pane_t *p, float x, float y, float dpi);

/* Moved embeddings of the last change that have landed by now. */
uint64_t pane_moved_landed(const pane_t *p);
/* The pane did not follow a change the others made: why (the counter line
 * says it), and nothing moved. */
void pane_note(pane_t *p, const char *why);

#endif
