/* rec — the timeline that turns a scenario into frames on a fixed time step.
 *
 * rec_run plays a script on the live app (app_init done): a lead-in, then
 * each command at its time (`wait S` advances the clock S seconds; commands
 * without a wait between them start together), then, without --duration,
 * until every animation has settled plus a hold. Time advances exactly
 * 1/fps per frame, so the same scenario gives the same frames on any
 * machine; frame k shows time k/fps.
 *
 * Frames go to a sink callback; a sink for a still image asks only for the
 * final frame (rec_desc_t.every_frame = 0) and the timeline then advances
 * without drawing. A video or PNG-sequence writer sets every_frame = 1 and
 * gets each frame's pixels (RGBA, top row first, valid during the call).
 *
 * Memory: rec_run allocates one frame buffer and frees it. Errors: 0, or -1
 * with a message in err (a failing command names its script line; a sink's
 * own message is passed through).
 */
#ifndef RINGSCOPE_REC_H
#define RINGSCOPE_REC_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "scn.h"

typedef struct rec_frame {
    const uint8_t *rgba;
    int width, height;
    uint64_t index;     /* 0, 1, ... (only the final one for still sinks) */
    double time;        /* timeline seconds */
    int final;          /* 1 on the last frame */
} rec_frame_t;

/* Returns 0 to continue, -1 (with a message in err) to stop the recording. */
typedef int (*rec_sink_fn)(void *user, const rec_frame_t *frame, char *err, size_t err_size);

typedef struct rec_desc {
    double fps;          /* frames per second of the timeline (> 0) */
    double duration;     /* stop at this time; 0: when the scenario has settled */
    double lead_in;      /* seconds before the first command (default 0) */
    double hold;         /* seconds after the end has settled (default 0) */
    int every_frame;     /* 0: only the final frame is drawn and sent */
    const char *source;  /* script name for messages, or NULL */
    rec_sink_fn sink;
    void *user;
    volatile sig_atomic_t *stop; /* set (by a signal handler): stop before the next frame, "interrupted" */
} rec_desc_t;

int rec_run(const scn_script_t *script, const rec_desc_t *d, char *err, size_t err_size);

/* Expected length of the timeline in seconds (for progress and ETA). */
double rec_estimate(const scn_script_t *script, const rec_desc_t *d);

#endif
