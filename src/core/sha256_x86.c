/* SHA-256 compression with the x86 SHA extensions; see sha256_x86.h.
 *
 * The instructions work on the state as two vectors, ABEF and CDGH, and do
 * two rounds per sha256rnds2; message words are expanded four at a time with
 * sha256msg1/sha256msg2. This follows Intel's published use of the
 * instructions (the "Intel SHA Extensions" white paper, 2013). */
#include "sha256_x86.h"

#if defined(__x86_64__)

#include "sha256.h"

#include <cpuid.h>
#include <immintrin.h>

/* Only these functions use the extensions; the rest of the binary stays
 * baseline x86-64, so it runs anywhere and picks this path at run time. */
#define SHA_X86_TARGET __attribute__((target("sha,sse4.1,ssse3")))

int sha256_x86_supported(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return 0;
    int sha = (b >> 29) & 1;
    return ssse3 && sse41 && sha;
}

/* One message stream in flight: the working state as the instructions want
 * it, the state it started from, and the last 16 message words. */
typedef struct sha_lane {
    __m128i abef, cdgh;
    __m128i abef_in, cdgh_in;
    __m128i m[4];            /* m[g & 3] holds words 4g..4g+3 */
} sha_lane_t;

static inline SHA_X86_TARGET void lane_load(sha_lane_t *l, const uint32_t state[8], const uint8_t block[64])
{
    /* Big-endian message words into little-endian lanes. */
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    l->abef = _mm_alignr_epi8(cdab, efgh, 8);
    l->cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
    l->abef_in = l->abef;
    l->cdgh_in = l->cdgh;
    for (int i = 0; i < 4; i++)
        l->m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * i)), bswap);
}

/* Rounds 4g..4g+3, expanding their message words first when g >= 4:
 * W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time. */
static inline SHA_X86_TARGET void lane_rounds(sha_lane_t *l, int g)
{
    __m128i *m = l->m;
    if (g >= 4) {
        __m128i t = _mm_sha256msg1_epu32(m[g & 3], m[(g + 1) & 3]);
        t = _mm_add_epi32(t, _mm_alignr_epi8(m[(g + 3) & 3], m[(g + 2) & 3], 4));
        m[g & 3] = _mm_sha256msg2_epu32(t, m[(g + 3) & 3]);
    }
    __m128i wk = _mm_add_epi32(m[g & 3], _mm_loadu_si128((const __m128i *)&sha256_k[4 * g]));
    l->cdgh = _mm_sha256rnds2_epu32(l->cdgh, l->abef, wk);
    l->abef = _mm_sha256rnds2_epu32(l->abef, l->cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

static inline SHA_X86_TARGET void lane_store(const sha_lane_t *l, uint32_t state[8])
{
    __m128i abef = _mm_add_epi32(l->abef, l->abef_in);
    __m128i cdgh = _mm_add_epi32(l->cdgh, l->cdgh_in);
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0)); /* dcba */
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));    /* hgfe */
}

SHA_X86_TARGET void sha256_x86_compress(uint32_t state[8], const uint8_t block[64])
{
    sha_lane_t l;
    lane_load(&l, state, block);
#pragma GCC unroll 16
    for (int g = 0; g < 16; g++)
        lane_rounds(&l, g);
    lane_store(&l, state);
}

SHA_X86_TARGET void sha256_x86_compress2(uint32_t state_a[8], const uint8_t block_a[64], uint32_t state_b[8],
                                         const uint8_t block_b[64])
{
    sha_lane_t a, b;
    lane_load(&a, state_a, block_a);
    lane_load(&b, state_b, block_b);
#pragma GCC unroll 16
    for (int g = 0; g < 16; g++) {
        lane_rounds(&a, g);
        lane_rounds(&b, g);
    }
    lane_store(&a, state_a);
    lane_store(&b, state_b);
}

#else /* not x86-64: no SHA extensions; callers check sha256_x86_supported() */

#include <assert.h>

int sha256_x86_supported(void) { return 0; }

void sha256_x86_compress(uint32_t state[8], const uint8_t block[64])
{
    (void)state, (void)block;
    assert(!"sha256_x86_compress without SHA extensions");
}

void sha256_x86_compress2(uint32_t state_a[8], const uint8_t block_a[64], uint32_t state_b[8],
                          const uint8_t block_b[64])
{
    (void)state_a, (void)block_a, (void)state_b, (void)block_b;
    assert(!"sha256_x86_compress2 without SHA extensions");
}

#endif
