/* json — the one JSON writer: string literals (escaped), numbers, raw text,
 * into a growable buffer (the app's state) or a FILE (the CLI's reports).
 *
 * Memory: a json_t owns its buffer; json_reset empties it and keeps the
 * memory, json_free releases it. A zeroed json_t is an empty buffer.
 * Errors: when memory runs out j->oom is set and further writes to that
 * buffer do nothing (json_text then returns what was written before);
 * FILE writes leave errors to the stream (ferror), as stdio does.
 */
#ifndef RINGSCOPE_JSON_H
#define RINGSCOPE_JSON_H

#include <stddef.h>
#include <stdio.h>

typedef struct json {
    char *buf;  /* NUL-terminated text, NULL until the first write */
    size_t len; /* bytes written */
    size_t cap;
    int oom;    /* a write could not grow the buffer */
} json_t;

void json_reset(json_t *j);
void json_free(json_t *j);
/* The text so far ("" when nothing was written). */
const char *json_text(const json_t *j);

/* Raw text, as is. */
void json_raw(json_t *j, const char *s);
void json_printf(json_t *j, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A string literal of the NUL-terminated UTF-8 text s: '"' and '\\'
 * escaped, control characters as \u00XX, and each byte of s that is not
 * valid UTF-8 as \udcXX (Python's surrogateescape: json.loads then
 * .encode("utf-8", "surrogateescape") gives the bytes back). */
void json_str(json_t *j, const char *s);
/* The same for len bytes (NUL bytes as \u0000). */
void json_strn(json_t *j, const char *s, size_t len);
/* A number: finite doubles with enough digits to round-trip, NaN and
 * infinities as null. */
void json_num(json_t *j, double v);

/* The same two, written to a stream. */
void json_fstr(FILE *f, const char *s);
void json_fnum(FILE *f, double v);

#endif
