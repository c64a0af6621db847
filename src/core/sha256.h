/* sha256 — a small portable SHA-256 (FIPS 180-4) for builds without OpenSSL.
 *
 * The WebAssembly build has no OpenSSL, so placement there hashes with this
 * code; the test suite holds it equal to OpenSSL's on many inputs.
 *
 * Every string placement hashes ("key:vec_000042", "node:N#vnode:v") is
 * short, and a message of at most SHA256_SHORT_MAX bytes pads to a single
 * 64-byte block: one compression, no context, no streaming. The short-message
 * helpers below are that fast path; hash_engine picks the compression
 * function (this portable one, or a CPU's SHA instructions).
 *
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

/* ---- single-block fast path ---------------------------------------------- */

#define SHA256_SHORT_MAX 55u  /* longest message that pads to one block */

extern const uint32_t sha256_iv[8];   /* initial hash value H(0) */
extern const uint32_t sha256_k[64];   /* round constants */

/* Compresses one 64-byte block into state (the FIPS 180-4 function). */
void sha256_compress_portable(uint32_t state[8], const uint8_t block[64]);

/* Writes the padded block of a message of len <= SHA256_SHORT_MAX bytes:
 * the message, 0x80, zeros, the 64-bit big-endian bit length. */
void sha256_pad_short(const void *data, size_t len, uint8_t block[64]);

/* The first 8 bytes of a digest as a big-endian integer: hash64's value. */
static inline uint64_t sha256_digest_head64(const uint8_t digest[SHA256_DIGEST_LEN])
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | digest[i];
    return v;
}

/* First 8 digest bytes, big-endian, of a state after the last block: the
 * state words are the digest's big-endian words, so no byte shuffling. */
static inline uint64_t sha256_state_head64(const uint32_t state[8])
{
    return ((uint64_t)state[0] << 32) | state[1];
}

#endif
