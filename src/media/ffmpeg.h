/* ffmpeg — an H.264 encoder child fed raw RGBA frames on a pipe (.mp4).
 *
 * The child runs in its own process group (Ctrl-C reaches the recorder,
 * which stops it), reads frames on its standard input and logs to an
 * unlinked temporary file whose last lines go into error messages. A
 * finished file is checked whole (its boxes fill the file and the index is
 * present), since ffmpeg can exit 0 after running out of disk.
 *
 * Memory: ffmpeg_t is the caller's; ffmpeg_finish closes what
 * ffmpeg_start opened. Errors: -1 with a message in the caller's buffer
 * naming `shown` (the destination as the user gave it).
 */
#ifndef RINGSCOPE_FFMPEG_H
#define RINGSCOPE_FFMPEG_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct ffmpeg {
    long pid;        /* the child, 0 when none */
    int pipe_fd;     /* its standard input, -1 when closed */
    FILE *log;       /* its standard output and error */
} ffmpeg_t;

/* 1 if ffmpeg is on PATH. */
int ffmpeg_available(void);

/* Starts ffmpeg writing an .mp4 of w x h frames at fps to path. */
int ffmpeg_start(ffmpeg_t *f, const char *path, const char *shown, uint32_t w, uint32_t h, uint32_t fps, char *err,
                 size_t err_size);

/* Writes n bytes to the encoder; -1 on a failed write (errno set), or when
 * *stop is set while a write was interrupted. */
int ffmpeg_feed(ffmpeg_t *f, const uint8_t *p, size_t n, volatile sig_atomic_t *stop);

/* Closes the pipe and waits for the child (killing it if *stop gets set);
 * 0 if it exited cleanly and left a whole file at path. dest: the final
 * destination, whose filesystem is asked about free space. */
int ffmpeg_finish(ffmpeg_t *f, const char *path, const char *dest, const char *shown, volatile sig_atomic_t *stop,
                  char *err, size_t err_size);

/* Kills the child at once (an abandoned recording). */
void ffmpeg_kill(ffmpeg_t *f);

/* Closes the log (after ffmpeg_finish). */
void ffmpeg_free(ffmpeg_t *f);

#endif
