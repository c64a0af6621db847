/* md5 — MD5 (RFC 1321) for the `ketama` strategy (DESIGN §1b).
 *
 * libketama and memcached clients hash keys and server names with MD5, so
 * `ketama` must too. Everything goes through the cheapest exact path for
 * short strings: one unrolled compression over a block padded in place
 * (ids and "ID-k" strings fit one block), with no per-call set-up. OpenSSL's
 * EVP interface costs about three times as much per short string and is
 * kept only as the tests' oracle and the benchmarks' baseline
 * (ketama_key_hash_evp). The same code serves the desktop and the
 * WebAssembly build.
 *
 * ketama_key_hash is the key hash libketama uses: the first 4 digest bytes
 * read little-endian. md5_ketama_keys computes it for runs of embedding ids
 * ("vec_%06d", the raw id: no "key:" prefix) on all configured threads, 32
 * or 16 ids at a time in vector registers where the CPU has AVX-512 or AVX2
 * (md5_x86.h), one at a time elsewhere.
 *
 * No allocation, no errors.
 */
#ifndef RINGSCOPE_MD5_H
#define RINGSCOPE_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN 16

/* MD5 of any input. */
void md5(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN]);
/* The same function under the name the tests hold against OpenSSL. */
void md5_portable(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN]);

/* libketama's key hash: MD5(data) bytes 0..3, little-endian. */
uint32_t ketama_key_hash(const void *data, size_t len);

/* out[i] = ketama_key_hash("vec_%06d" of first + i) for i < n, on all
 * configured threads (64-bit: every strategy's own key hash is). */
void md5_ketama_keys(uint64_t first, size_t n, uint64_t *out);

/* The same on the calling thread alone, with lanes ids per step: 32
 * (AVX-512), 16 (AVX2) or 1 (scalar); lanes the CPU cannot run, or 0, mean
 * the fastest it can. For the benchmarks and the tests, which hold every
 * path equal. */
void md5_ketama_keys_lanes(uint64_t first, size_t n, uint32_t *out, unsigned lanes);

/* Ids per step md5_ketama_keys uses on this CPU: 32, 16 or 1. */
unsigned md5_keys_lanes(void);

/* ketama_key_hash through OpenSSL's EVP one-shot MD5, the path it took
 * before: the benchmarks' baseline. md5_evp_available() is 0 in builds
 * without OpenSSL (WebAssembly), where the call returns 0. */
int md5_evp_available(void);
uint32_t ketama_key_hash_evp(const void *data, size_t len);

#endif
