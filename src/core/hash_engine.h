/* hash_engine — the fast path of hash64 for placement strings.
 *
 * Everything placement hashes is short ("key:vec_000042", "node:N#vnode:v"
 * for ids up to ~40 bytes), and SHA-256 of at most SHA256_SHORT_MAX bytes is
 * one compression of one padded block. hash64() sends such strings here;
 * longer ones still go to the build's full SHA-256 (OpenSSL or portable).
 *
 * Engines, all bit-identical SHA-256 (the tests hold them equal):
 *   sha-ni    x86 SHA extensions, picked at run time when the CPU has them;
 *   portable  the portable compression function (WebAssembly, other CPUs);
 *   openssl   OpenSSL's one-shot SHA256() per string, the path hash64 took
 *             before this module existed, kept as the benchmarks' baseline.
 * By default the fastest available engine is used; hash_engine_set lets
 * benchmarks and tests pick one. Setting is a process-wide choice: do it
 * before starting threads that hash.
 *
 * hash_keys hashes a run of consecutive key ids: it edits the decimal digits
 * in the padded block instead of formatting each id, and feeds SHA-NI two
 * blocks at a time.
 *
 * No allocation; no errors except hash_engine_set's "not available here".
 */
#ifndef RINGSCOPE_HASH_ENGINE_H
#define RINGSCOPE_HASH_ENGINE_H

#include <stddef.h>
#include <stdint.h>

typedef enum hash_engine {
    HASH_ENGINE_AUTO = 0,    /* fastest available (resolved on first use) */
    HASH_ENGINE_PORTABLE,
    HASH_ENGINE_SHANI,
    HASH_ENGINE_OPENSSL,
    HASH_ENGINE_COUNT
} hash_engine_t;

/* 1 if engine e can run in this build on this CPU (AUTO: always). */
int hash_engine_available(hash_engine_t e);
/* Selects e (AUTO: the fastest). Returns 0, or -1 if e is not available
 * (the selection is then unchanged). */
int hash_engine_set(hash_engine_t e);
/* The engine in use, never AUTO. */
hash_engine_t hash_engine_get(void);
/* "sha-ni", "portable", "openssl" ("auto" for AUTO). */
const char *hash_engine_name(hash_engine_t e);

/* hash64 of len <= SHA256_SHORT_MAX bytes with the current engine. */
uint64_t hash64_short(const void *data, size_t len);

/* out[i] = hash_key(first + i) for i < n, on the calling thread. */
void hash_keys(uint64_t first, size_t n, uint64_t *out);

#endif
