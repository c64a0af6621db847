/* utf8 — decoding UTF-8 one code point at a time, strictly.
 *
 * Valid means RFC 3629: shortest form only, no surrogates (U+D800..DFFF),
 * nothing past U+10FFFF. Elasticsearch's routing hashes UTF-16 code units,
 * so sysroute decodes an id's UTF-8 with this and re-encodes it.
 * Pure function: no allocation, no state.
 */
#ifndef RINGSCOPE_UTF8_H
#define RINGSCOPE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at p (n >= 1 bytes available). Returns its length
 * (1..4) and the code point in *cp, or 0 if the bytes are not valid UTF-8. */
size_t utf8_decode(const uint8_t *p, size_t n, uint32_t *cp);

#endif
