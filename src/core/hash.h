/* hash — the placement hash of DESIGN §1.
 *
 * hash64(s) is the first 8 bytes of SHA-256 over the bytes of s, read as a
 * big-endian unsigned 64-bit integer. Placement strings fit one SHA-256 block
 * and go to hash_engine (SHA-NI where the CPU has it, else portable); longer
 * input goes to OpenSSL on the desktop (opened on first use, ossl.h) and to the
 * portable sha256 module elsewhere (WebAssembly). Every path is reachable so
 * tests can hold them equal.
 * Pure functions: no allocation, no state, no errors.
 */
#ifndef RINGSCOPE_HASH_H
#define RINGSCOPE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* hash64 with the build's preferred backend. */
uint64_t hash64(const void *data, size_t len);
/* hash64 with the portable SHA-256, whatever the build. */
uint64_t hash64_portable(const void *data, size_t len);
/* Full SHA-256 with the build's preferred backend. */
void hash_sha256(const void *data, size_t len, uint8_t out[32]);
/* The engine hashing placement strings: "sha-ni", "portable" or "openssl". */
const char *hash_backend(void);

/* Key hash of embedding i: hash64("key:vec_%06d") (keyid.h). */
uint64_t hash_key(uint64_t index);

#endif
