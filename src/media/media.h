/* media — Ringscope's GL-free media library (libringscope_media): what
 * becomes of rendered frames once they are pixels in memory. It knows
 * nothing of SDL, GL or the simulation; the app and the `record` command
 * hand it RGBA8 frames, top row first.
 *
 *   shot.h    PNG files (libpng; in the browser a download), timestamped
 *             names, text files (saved sessions)
 *   vid.h     recordings: .y4m written here, .mp4 through an ffmpeg child
 *             (ffmpeg.h), the last frame as .png, or a folder of PNGs
 *             (desktop only)
 *   tmp.h     temporary names beside the destination, so an output
 *             appears whole or not at all, and what killed runs left is
 *             cleaned up (desktop only)
 *
 * Each header states its own ownership and error rules: functions return
 * 0 / a pointer, or -1 / NULL with a message in the caller's buffer; no
 * global state except vid's stop flag (set from a signal handler).
 */
#ifndef RINGSCOPE_MEDIA_H
#define RINGSCOPE_MEDIA_H

#include "shot.h"
#ifndef __EMSCRIPTEN__
#include "vid.h"
#endif

#endif
