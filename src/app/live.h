/* live — recording what is on screen (F9 or the Record button).
 *
 * Desktop: frames are read back asynchronously through a ring of pixel
 * buffer objects (the GPU copies while the next frames draw), handed to a
 * writer thread and encoded by vid_ to ringscope-YYYYmmdd-HHMMSS.mp4 in the
 * current folder (never overwriting: a name taken gets "-2", ...), or .y4m
 * when ffmpeg is missing. Output runs at live_set_fps (default LIVE_FPS) in
 * real time: a slow frame is repeated, a frame the writer cannot take is
 * dropped and counted. The REC indicator is drawn after the capture, so it
 * never appears in the video. Stopping never blocks the window: the writer
 * thread finishes the file while frames go on, live_capture reports the
 * outcome, and an encoder that has not finished within the finish timeout
 * (5 s) is killed and the recording abandoned, with a message saying so.
 * Browser: the canvas stream goes to a MediaRecorder and downloads a .webm;
 * the page shows its own indicator.
 *
 * Memory: live owns its buffers, thread and writer between start and stop;
 * live_shutdown stops a running recording. Errors and news come back as a
 * message for the user (live_msg_t); nothing here exits the process.
 */
#ifndef RINGSCOPE_LIVE_H
#define RINGSCOPE_LIVE_H

#include <stddef.h>
#include <stdint.h>

#define LIVE_FPS 30     /* default output frame rate */
#define LIVE_MAX_FPS 60 /* the window draws at most 60 frames a second */

typedef struct live_msg {
    int error;          /* 1: something failed */
    char text[768];     /* "" when there is nothing to say */
} live_msg_t;

/* Starts or stops recording a framebuffer of fb_w x fb_h pixels. */
void live_toggle(int fb_w, int fb_h, live_msg_t *msg);
/* After a frame is drawn and before the indicator: captures it if one is
 * due. May stop the recording (writer failure, resize) and say why. */
void live_capture(int fb_w, int fb_h, live_msg_t *msg);
/* 1 while recording. */
int live_active(void);
/* 1 after a stop while the file is still being finished. */
int live_finishing(void);
/* Output frame rate for the next recording (1..LIVE_MAX_FPS; else LIVE_FPS). */
void live_set_fps(int fps);
int live_get_fps(void);
/* How long a stop waits for the encoder before killing it (tests shorten it). */
void live_set_finish_timeout(double seconds);
/* "REC 00:12" while recording (desktop), for the indicator; else NULL. */
const char *live_indicator(void);
/* Stops and finishes a running recording (on quit). */
void live_shutdown(live_msg_t *msg);

#endif
