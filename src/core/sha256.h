/* sha256 — a small portable SHA-256 (FIPS 180-4) for builds without OpenSSL.
 *
 * The WebAssembly build has no OpenSSL, so placement there hashes with this
 * code; the test suite holds it equal to OpenSSL's on many inputs.
 * No allocation, no global state; the context is owned by the caller.
 */
#ifndef RINGSCOPE_SHA256_H
#define RINGSCOPE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32

typedef struct sha256_ctx {
    uint32_t state[8];
    uint64_t total_len;   /* bytes fed so far */
    uint8_t block[64];    /* pending partial block */
    size_t block_len;
} sha256_ctx_t;

void sha256_init(sha256_ctx_t *ctx);
void sha256_update(sha256_ctx_t *ctx, const void *data, size_t len);
void sha256_final(sha256_ctx_t *ctx, uint8_t out[SHA256_DIGEST_LEN]);

/* One-shot digest of len bytes at data. */
void sha256_portable(const void *data, size_t len, uint8_t out[SHA256_DIGEST_LEN]);

#endif
