/* uuid — 16-byte UUIDs: derived from a key id, parsed, formatted.
 *
 * Weaviate and Qdrant key objects by UUID. Ringscope's ids are text
 * ("vec_000042"), so a UUID system sees the UUID derived from the id
 * (DESIGN §1c): bytes 0..15 of SHA-256 over the id's bytes, then the RFC 4122
 * version 4 and variant bits set (byte 6 = 0x4X, byte 8 = 0b10XXXXXX).
 * Bytes are in RFC 4122 order, the order of the text form and of Go's
 * uuid.MarshalBinary / Rust's Uuid::as_bytes, which the systems hash.
 *
 * uuid_parse accepts the forms both Go's google/uuid Parse and Rust's
 * uuid::Uuid::parse_str accept: 8-4-4-4-12 hex with hyphens (36 chars), the
 * same in braces or after "urn:uuid:", and 32 hex digits; hex in either case.
 * uuid_format writes the lower-case hyphenated form.
 *
 * No allocation. Errors: uuid_parse returns -1 (and writes nothing useful)
 * for anything else; the caller words the message.
 */
#ifndef RINGSCOPE_UUID_H
#define RINGSCOPE_UUID_H

#include <stddef.h>
#include <stdint.h>

#define UUID_TEXT_LEN 36 /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */

/* The UUID of a key id of len bytes. */
void uuid_from_id(const void *id, size_t len, uint8_t out[16]);

/* Parses len bytes of text (not NUL-terminated). Returns 0 or -1. */
int uuid_parse(const char *text, size_t len, uint8_t out[16]);

/* Writes the 36-character form and a NUL into out. */
void uuid_format(const uint8_t u[16], char out[UUID_TEXT_LEN + 1]);

#endif
