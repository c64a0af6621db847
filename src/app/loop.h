/* loop — the desktop's main loop: events, the clock, and frames drawn only
 * when something changes (input, a flight, a fading toast, a blinking
 * caret, a playing script, a recording). In between it sleeps in SDL's
 * event wait, so a settled app costs next to nothing.
 *
 * loop_run drives the app that app_init started until it quits, or for
 * desc->seconds of wall time, or desc->frames frames (0: no limit). It
 * allocates nothing; *out (optional) gets what it measured: frames drawn,
 * wall and process CPU seconds. A frame budget (smoke tests) and
 * desc->always_draw draw every turn of the loop (about 60 frames a second,
 * as the loop did before it could idle: the bench's baseline). */
#ifndef RINGSCOPE_LOOP_H
#define RINGSCOPE_LOOP_H

#include <stdint.h>

typedef struct loop_desc {
    double seconds;   /* stop after this much wall time; 0: run until quit */
    long frames;      /* stop after this many frames; 0: no limit */
    int always_draw;  /* never idle (baseline) */
} loop_desc_t;

typedef struct loop_stats {
    uint64_t frames;  /* frames drawn */
    double wall_s;    /* wall time in the loop */
    double cpu_s;     /* CPU time of the whole process (every thread) meanwhile */
} loop_stats_t;

void loop_run(const loop_desc_t *desc, loop_stats_t *out);

/* CPU seconds the process has used so far (every thread). */
double loop_cpu_seconds(void);

#endif
