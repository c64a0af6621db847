#include "md5.h"

#include "keyid.h"
#include "md5_x86.h"
#include "ossl.h"
#include "par.h"

#include <assert.h>
#include <string.h>

/* ---- one compression, unrolled (RFC 1321 §3.4) ---------------------------- */

static const uint32_t md5_iv[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};

static inline uint32_t rotl32(uint32_t x, unsigned c) { return (x << c) | (x >> (32 - c)); }

/* The round functions in forms that keep the step's chain short: each
 * step waits for the previous one's b, so the terms without b are added to
 * a (with the message word and constant) before b arrives. G's two halves
 * share no bit, so they may be added: (b & d) + (c & ~d). */
#define F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define G(x, y, z) (((x) & (z)) + ((y) & ~(z)))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define I(x, y, z) ((y) ^ ((x) | ~(z)))
#define MD5_STEP(f, a, b, c, d, j, k, s) (a) = (b) + rotl32(((a) + (m[j] + (uint32_t)(k))) + f((b), (c), (d)), (s))

static void md5_compress(uint32_t s[4], const uint32_t m[16])
{
    uint32_t a = s[0], b = s[1], c = s[2], d = s[3];
#include "md5_steps.h"
    s[0] += a;
    s[1] += b;
    s[2] += c;
    s[3] += d;
}

#undef F
#undef G
#undef H
#undef I
#undef MD5_STEP

/* Little-endian words of a 64-byte block. */
static void md5_words(const uint8_t *p, uint32_t m[16])
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(m, p, 64); /* x86, WebAssembly: the words are the bytes */
#else
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
               (uint32_t)p[4 * i + 3] << 24;
#endif
}

/* The state after hashing len bytes: whole blocks, then the tail, 0x80,
 * zeros and the bit length (little-endian), in one or two last blocks. A
 * message of at most 55 bytes (every id and "ID-k" of short ids) is one
 * block, padded in place. */
static void md5_state(const void *data, size_t len, uint32_t s[4])
{
    memcpy(s, md5_iv, sizeof md5_iv);
    if (len <= 55) {
        uint8_t block[64] = {0};
        memcpy(block, data, len);
        block[len] = 0x80;
        block[56] = (uint8_t)(len << 3);
        block[57] = (uint8_t)(len >> 5);
        uint32_t m[16];
        md5_words(block, m);
        md5_compress(s, m);
        return;
    }
    const uint8_t *p = data;
    size_t left = len;
    uint32_t m[16];
    for (; left >= 64; p += 64, left -= 64) {
        md5_words(p, m);
        md5_compress(s, m);
    }
    uint8_t block[128] = {0};
    memcpy(block, p, left);
    block[left] = 0x80;
    size_t blocks = left + 9 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        block[blocks * 64 - 8 + (size_t)i] = (uint8_t)(bits >> (8 * i));
    for (size_t b = 0; b < blocks; b++) {
        md5_words(block + 64 * b, m);
        md5_compress(s, m);
    }
}

void md5_portable(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN])
{
    uint32_t s[4];
    md5_state(data, len, s);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = (uint8_t)(s[i] >> (8 * j));
}

void md5(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN]) { md5_portable(data, len, out); }

uint32_t ketama_key_hash(const void *data, size_t len)
{
    /* Digest bytes 0..3 little-endian are the first state word. */
    uint32_t s[4];
    md5_state(data, len, s);
    return s[0];
}

/* ---- runs of embedding ids ------------------------------------------------ */

/* Runs of ids: the raw "vec_%06d" in its padded block (keyid_block_t,
 * little-endian length). Ids below 2^32 have at most 10 digits, so the
 * message (at most 14 bytes and its 0x80) lives in words 0..3, with its
 * bit length in word 14. */
static void id_block_set(keyid_block_t *k, uint64_t index)
{
    keyid_block_set(k, index, 0, 0);
    assert(k->len <= 14);
}

static uint32_t id_word(const keyid_block_t *k, int w)
{
    const uint8_t *p = k->b + 4 * w;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
#else
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
#endif
}

static unsigned lanes_of(unsigned want)
{
    unsigned have = md5_x86_lanes();
    return want && want <= have && (want == 1 || want == 16 || want == 32) ? want : have;
}

unsigned md5_keys_lanes(void) { return md5_x86_lanes(); }

void md5_ketama_keys_lanes(uint64_t first, size_t n, uint32_t *out, unsigned lanes)
{
    if (n == 0)
        return;
    lanes = lanes_of(lanes);
    keyid_block_t k;
    id_block_set(&k, first);
    size_t i = 0;
    if (lanes > 1) {
        /* Words 0..3 and 14 of lane l at msg[0..4][l]; the rest are zero. */
        uint32_t msg[MD5_X86_ROWS][MD5_X86_LANES_MAX];
        for (; i + lanes <= n; i += lanes) {
            for (unsigned l = 0; l < lanes; l++) {
                for (int w = 0; w < 4; w++)
                    msg[w][l] = id_word(&k, w);
                msg[4][l] = (uint32_t)(k.len * 8);
                keyid_block_next(&k, first + i + l + 1);
            }
            md5_x86_heads(lanes, msg, out + i);
        }
    }
    for (; i < n; i++) {
        uint32_t m[16], s[4];
        md5_words(k.b, m);
        memcpy(s, md5_iv, sizeof s);
        md5_compress(s, m);
        out[i] = s[0];
        keyid_block_next(&k, first + i + 1);
    }
}

typedef struct md5_job {
    uint64_t first;
    size_t n;
    uint64_t *out;
} md5_job_t;

static void md5_part(void *arg, unsigned part, unsigned parts)
{
    const md5_job_t *job = arg;
    size_t lo = job->n / parts * part, hi = part + 1 == parts ? job->n : job->n / parts * (part + 1);
    /* The lanes give 32-bit heads; own key hashes are 64-bit. A chunk that
     * stays in L1 is widened as it comes: no second pass over memory. */
    uint32_t head[1024];
    for (size_t at = lo; at < hi; at += sizeof head / sizeof head[0]) {
        size_t m = hi - at < sizeof head / sizeof head[0] ? hi - at : sizeof head / sizeof head[0];
        md5_ketama_keys_lanes(job->first + at, m, head, 0);
        for (size_t i = 0; i < m; i++)
            job->out[at + i] = head[i];
    }
}

void md5_ketama_keys(uint64_t first, size_t n, uint64_t *out)
{
    md5_job_t job = {first, n, out};
    (void)md5_x86_lanes(); /* settle the CPU check before threads read it */
    par_run(n < 20000 ? 1 : par_threads(), md5_part, &job);
}

int md5_evp_available(void) { return ossl_get() != NULL; }

uint32_t ketama_key_hash_evp(const void *data, size_t len)
{
    const ossl_t *o = ossl_get();
    if (!o)
        return 0;
    uint8_t d[MD5_DIGEST_LEN];
    unsigned int n = MD5_DIGEST_LEN;
    /* Cannot fail for MD5 on memory input with the default provider. */
    (void)o->evp_digest(data, len, d, &n, o->evp_md5(), NULL);
    return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}
