#include "md5.h"

#include "keyid.h"
#include "par.h"

#include <string.h>

#ifdef RINGSCOPE_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

/* ---- portable MD5, written from RFC 1321 -------------------------------- */

/* Per-round shift amounts and the sine-derived constants of RFC 1321 §3.4. */
static const uint8_t md5_shift[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                      5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                      4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                      6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

static uint32_t rotl32(uint32_t x, unsigned c) { return (x << c) | (x >> (32 - c)); }

static void md5_compress(uint32_t s[4], const uint8_t block[64])
{
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)block[4 * i] | (uint32_t)block[4 * i + 1] << 8 | (uint32_t)block[4 * i + 2] << 16 |
               (uint32_t)block[4 * i + 3] << 24;
    uint32_t a = s[0], b = s[1], c = s[2], d = s[3];
    for (unsigned i = 0; i < 64; i++) {
        uint32_t f;
        unsigned g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        uint32_t t = d;
        d = c;
        c = b;
        b = b + rotl32(a + f + md5_k[i] + m[g], md5_shift[i]);
        a = t;
    }
    s[0] += a;
    s[1] += b;
    s[2] += c;
    s[3] += d;
}

void md5_portable(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN])
{
    uint32_t s[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    const uint8_t *p = data;
    size_t left = len;
    while (left >= 64) {
        md5_compress(s, p);
        p += 64;
        left -= 64;
    }
    /* Last block(s): the tail, 0x80, zeros, the bit length little-endian. */
    uint8_t block[128] = {0};
    memcpy(block, p, left);
    block[left] = 0x80;
    size_t blocks = left + 9 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        block[blocks * 64 - 8 + (size_t)i] = (uint8_t)(bits >> (8 * i));
    for (size_t b = 0; b < blocks; b++)
        md5_compress(s, block + 64 * b);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = (uint8_t)(s[i] >> (8 * j));
}

void md5(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN])
{
#ifdef RINGSCOPE_HAVE_OPENSSL
    unsigned int n = MD5_DIGEST_LEN;
    /* EVP_Digest cannot fail for MD5 on memory input; the default provider
     * always has it. */
    (void)EVP_Digest(data, len, out, &n, EVP_md5(), NULL);
#else
    md5_portable(data, len, out);
#endif
}

static uint32_t head32_le(const uint8_t d[MD5_DIGEST_LEN])
{
    return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}

uint32_t ketama_key_hash(const void *data, size_t len)
{
    uint8_t d[MD5_DIGEST_LEN];
    md5(data, len, d);
    return head32_le(d);
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
    char buf[32];
#ifdef RINGSCOPE_HAVE_OPENSSL
    /* One context and one fetched MD5 per thread: EVP_Digest with EVP_md5()
     * sets both up again for every key (twice the time). */
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_MD *md = EVP_MD_fetch(NULL, "MD5", NULL);
#endif
    for (size_t i = lo; i < hi; i++) {
        /* keyid_text writes "key:vec_…": the raw id starts after "key:". */
        size_t len = keyid_text(job->first + i, buf) - KEYID_PREFIX_LEN;
        uint8_t d[MD5_DIGEST_LEN];
#ifdef RINGSCOPE_HAVE_OPENSSL
        unsigned int dn = MD5_DIGEST_LEN;
        if (ctx && md && EVP_DigestInit_ex(ctx, md, NULL) && EVP_DigestUpdate(ctx, buf + KEYID_PREFIX_LEN, len) &&
            EVP_DigestFinal_ex(ctx, d, &dn))
            job->out[i] = head32_le(d);
        else
            job->out[i] = ketama_key_hash(buf + KEYID_PREFIX_LEN, len);
#else
        md5_portable(buf + KEYID_PREFIX_LEN, len, d);
        job->out[i] = head32_le(d);
#endif
    }
#ifdef RINGSCOPE_HAVE_OPENSSL
    EVP_MD_free(md);
    EVP_MD_CTX_free(ctx);
#endif
}

void md5_ketama_keys(uint64_t first, size_t n, uint64_t *out)
{
    md5_job_t job = {first, n, out};
    par_run(n < 20000 ? 1 : par_threads(), md5_part, &job);
}
