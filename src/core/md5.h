/* md5 — MD5 (RFC 1321) for the `ketama` strategy (DESIGN §1b).
 *
 * libketama and memcached clients hash keys and server names with MD5, so
 * `ketama` must too. The desktop uses OpenSSL's MD5 (RINGSCOPE_HAVE_OPENSSL);
 * the WebAssembly build, which has no OpenSSL, uses the small portable MD5
 * below, which the tests hold equal to OpenSSL's on many inputs.
 *
 * ketama_key_hash is the key hash libketama uses: the first 4 digest bytes
 * read little-endian. md5_ketama_keys computes it for runs of embedding ids
 * ("vec_%06d", the raw id: no "key:" prefix), on all configured threads.
 *
 * No allocation (md5_ketama_keys allocates nothing either), no errors.
 */
#ifndef RINGSCOPE_MD5_H
#define RINGSCOPE_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN 16

/* MD5 with the build's preferred backend (OpenSSL on the desktop). */
void md5(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN]);
/* MD5 with the portable code, whatever the build. */
void md5_portable(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN]);

/* libketama's key hash: MD5(data) bytes 0..3, little-endian. */
uint32_t ketama_key_hash(const void *data, size_t len);

/* out[i] = ketama_key_hash("vec_%06d" of first + i) for i < n. */
void md5_ketama_keys(uint64_t first, size_t n, uint64_t *out);

#endif
