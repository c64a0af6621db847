/* Portable SHA-256 (FIPS 180-4): the reference fallback, and the compression
 * function of the WebAssembly build, where it hashes every placement string. */
#include "sha256.h"

#include <string.h>

const uint32_t sha256_iv[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                               0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};

const uint32_t sha256_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

static uint32_t load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#define SHA_ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define SHA_BSIG0(a) (SHA_ROTR(a, 2) ^ SHA_ROTR(a, 13) ^ SHA_ROTR(a, 22))
#define SHA_BSIG1(e) (SHA_ROTR(e, 6) ^ SHA_ROTR(e, 11) ^ SHA_ROTR(e, 25))
#define SHA_SSIG0(x) (SHA_ROTR(x, 7) ^ SHA_ROTR(x, 18) ^ ((x) >> 3))
#define SHA_SSIG1(x) (SHA_ROTR(x, 17) ^ SHA_ROTR(x, 19) ^ ((x) >> 10))
#define SHA_CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define SHA_MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))
/* One round. Callers rotate the names a..h from round to round instead of
 * shifting eight values, which keeps everything in registers. */
#define SHA_ROUND(a, b, c, d, e, f, g, h, i)                                         \
    do {                                                                              \
        uint32_t t1_ = (h) + SHA_BSIG1(e) + SHA_CH(e, f, g) + sha256_k[i] + w[(i) & 15]; \
        (d) += t1_;                                                                   \
        (h) = t1_ + SHA_BSIG0(a) + SHA_MAJ(a, b, c);                                  \
    } while (0)

void sha256_compress_portable(uint32_t state[8], const uint8_t block[64])
{
    /* A 16-word rolling message schedule instead of all 64 words: a quarter
     * of the memory traffic, and the loop unrolls by 8 so the rotated names
     * line up again at the top of each pass. */
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = load_be32(block + 4 * i);
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i += 8) {
        if (i >= 16) {
            for (int j = i; j < i + 8; j++)
                w[j & 15] += SHA_SSIG1(w[(j - 2) & 15]) + w[(j - 7) & 15] + SHA_SSIG0(w[(j - 15) & 15]);
        }
        SHA_ROUND(a, b, c, d, e, f, g, h, i + 0);
        SHA_ROUND(h, a, b, c, d, e, f, g, i + 1);
        SHA_ROUND(g, h, a, b, c, d, e, f, i + 2);
        SHA_ROUND(f, g, h, a, b, c, d, e, i + 3);
        SHA_ROUND(e, f, g, h, a, b, c, d, i + 4);
        SHA_ROUND(d, e, f, g, h, a, b, c, i + 5);
        SHA_ROUND(c, d, e, f, g, h, a, b, i + 6);
        SHA_ROUND(b, c, d, e, f, g, h, a, i + 7);
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

void sha256_pad_short(const void *data, size_t len, uint8_t block[64])
{
    uint64_t bits = (uint64_t)len * 8u;
    memcpy(block, data, len);
    block[len] = 0x80;
    memset(block + len + 1, 0, 55 - len);
    for (int i = 0; i < 8; i++)
        block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
}

void sha256_init(sha256_ctx_t *ctx)
{
    memcpy(ctx->state, sha256_iv, sizeof sha256_iv);
    ctx->total_len = 0;
    ctx->block_len = 0;
}

void sha256_update(sha256_ctx_t *ctx, const void *data, size_t len)
{
    const uint8_t *p = data;
    ctx->total_len += len;
    if (ctx->block_len > 0) {
        size_t take = 64 - ctx->block_len;
        if (take > len)
            take = len;
        memcpy(ctx->block + ctx->block_len, p, take);
        ctx->block_len += take;
        p += take;
        len -= take;
        if (ctx->block_len < 64)
            return;
        sha256_compress_portable(ctx->state, ctx->block);
        ctx->block_len = 0;
    }
    while (len >= 64) {
        sha256_compress_portable(ctx->state, p);
        p += 64;
        len -= 64;
    }
    if (len > 0) {
        memcpy(ctx->block, p, len);
        ctx->block_len = len;
    }
}

void sha256_final(sha256_ctx_t *ctx, uint8_t out[SHA256_DIGEST_LEN])
{
    uint64_t bits = ctx->total_len * 8u;
    uint8_t pad[72] = {0x80};
    /* Pad to 56 mod 64, then the 64-bit big-endian bit length. */
    size_t pad_len = (ctx->block_len < 56) ? 56 - ctx->block_len : 120 - ctx->block_len;
    uint8_t len_be[8];
    for (int i = 0; i < 8; i++)
        len_be[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(ctx, pad, pad_len);
    sha256_update(ctx, len_be, 8);
    for (int i = 0; i < 8; i++)
        store_be32(out + 4 * i, ctx->state[i]);
}

void sha256_portable(const void *data, size_t len, uint8_t out[SHA256_DIGEST_LEN])
{
    sha256_ctx_t ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, data, len);
    sha256_final(&ctx, out);
}
