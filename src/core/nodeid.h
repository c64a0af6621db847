/* nodeid — validation of storage-node ids.
 *
 * An id is trimmed of leading/trailing white space the way the reference
 * notebook's str.strip() does (ASCII and Unicode white space), then must be
 * 1..NODEID_MAX bytes of valid UTF-8 without control characters.
 * Errors come back as a return code plus a human-readable message written
 * into the caller's buffer. No allocation.
 */
#ifndef RINGSCOPE_NODEID_H
#define RINGSCOPE_NODEID_H

#include <stddef.h>

#define NODEID_MAX 255

/* Trims and validates len bytes at in. On success writes the trimmed id
 * (NUL-terminated) into out[NODEID_MAX + 1], its length into *out_len and
 * returns 0. On failure returns -1 and writes a message into err. */
int nodeid_normalize(const char *in, size_t len, char *out, size_t *out_len, char *err, size_t err_size);
/* The same rules for another name (a zone name), which messages call what. */
int nodeid_normalize_as(const char *in, size_t len, const char *what, char *out, size_t *out_len, char *err,
                        size_t err_size);

/* Writes a printable rendering of any bytes (escaping non-printables as \xHH)
 * into out, truncating with "..." to fit; for quoting bad input in messages. */
void nodeid_quote(const char *in, size_t len, char *out, size_t out_size);

#endif
