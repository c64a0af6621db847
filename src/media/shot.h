/* shot — PNG files from RGBA pixels (libpng).
 *
 * Owns nothing. Returns 0, or -1 with the reason in err (e.g. "No space
 * left on device"; callers name the file), the file removed rather than left
 * truncated.
 */
#ifndef RINGSCOPE_SHOT_H
#define RINGSCOPE_SHOT_H

#include <stddef.h>
#include <stdint.h>

/* rgba: w * h pixels, top row first. Alpha is written as opaque. */
int shot_write_png(const char *path, int w, int h, const uint8_t *rgba, char *err, size_t err_size);

/* "ringscope-YYYYmmdd-HHMMSS" + ext (local time) into out; ext is ".png",
 * ".mp4", ... A name that already exists in the current folder gets a
 * suffix ("-2", "-3", ...), so saves in the same second never collide. */
void shot_timestamped_name(char *out, size_t out_size, const char *ext);
/* The same with another prefix than "ringscope" ("ringscope-session"). */
void shot_timestamped_name_as(char *out, size_t out_size, const char *prefix, const char *ext);

/* Writes len bytes of text to path (in the browser: a download named path).
 * 0, or -1 with the reason in err and no partial file left. */
int shot_write_text(const char *path, const char *text, size_t len, char *err, size_t err_size);

#endif
