/* vid — where recorded frames go: .y4m (native), .mp4 (an ffmpeg child fed
 * raw frames on a pipe), .png (the last frame) or DIR/ (numbered PNGs).
 *
 * Frames are RGBA8, top row first (as rec_frame_t gives them). Output is
 * written under a short hidden temporary name next to it (".rs-HASH-PID.tmp",
 * a file or, for DIR/, a folder) and renamed into place by vid_close(ok=1);
 * vid_close(ok=0), or any failure, removes everything written, so a failed
 * or interrupted recording leaves no partial file behind. A run that was
 * killed outright leaves its temporary; the next vid_open for the same
 * destination removes it. A zero-frame recording is a failure. An .mp4 is
 * accepted only when ffmpeg exits 0 and the file is whole (its index box
 * present), since ffmpeg can exit 0 after running out of disk.
 *
 * Memory: vid_open allocates the writer; vid_close always frees it.
 * Errors: NULL / -1 with a message in the caller's buffer; ffmpeg's own
 * complaint (last lines of its stderr) is included when it fails.
 */
#ifndef RINGSCOPE_VID_H
#define RINGSCOPE_VID_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef enum vid_kind {
    VID_PNG,     /* path.png: the final frame */
    VID_PNG_SEQ, /* path/ : frame_000000.png, frame_000001.png, ... */
    VID_Y4M,     /* YUV4MPEG2, 4:2:0, BT.601 limited range */
    VID_MP4,     /* H.264 yuv420p +faststart through ffmpeg */
} vid_kind_t;

typedef struct vid vid_t;

/* Kind of output from the path's extension (or trailing '/'); -1 with a
 * message naming the accepted kinds otherwise. */
int vid_kind_from_path(const char *path, vid_kind_t *kind, char *err, size_t err_size);
/* Whether a kind can hold width x height frames (4:2:0 video needs even
 * sizes): 0, or -1 with the reason naming path. A usage error, known before
 * anything is rendered. */
int vid_check_size(vid_kind_t kind, const char *path, uint32_t width, uint32_t height, char *err, size_t err_size);

#define VID_FORCE 1u /* DIR/: replace a non-empty folder (refused otherwise) */

/* Opens the output; checks the destination can be written ("cannot write
 * PATH: reason") and, for .mp4, that ffmpeg is on PATH (suggesting .y4m if
 * not), all before any frame is rendered. */
vid_t *vid_open(const char *path, uint32_t width, uint32_t height, uint32_t fps, unsigned flags, char *err,
                size_t err_size);

/* Adds one frame (width*height*4 bytes, top row first). */
int vid_frame(vid_t *v, const uint8_t *rgba, char *err, size_t err_size);

/* Finishes (ok = 1) or abandons (ok = 0) the output, then frees v. Returns
 * -1 with a message if finishing failed (the output is then removed). */
int vid_close(vid_t *v, int ok, char *err, size_t err_size);

/* A flag a signal handler sets: while it is set, waits for the encoder end
 * (the encoder is killed) and vid_close reports "interrupted". */
void vid_set_stop_flag(volatile sig_atomic_t *flag);

/* The ffmpeg child's process id (.mp4), else 0. Killing it unblocks a
 * writer stuck feeding an encoder that stopped reading (it gets EPIPE) and
 * a vid_close waiting for it. */
long vid_encoder_pid(const vid_t *v);

/* 1 if ffmpeg is on PATH (.mp4 can be written). */
int vid_have_ffmpeg(void);

/* Frames written so far. */
uint64_t vid_frames(const vid_t *v);

#endif
