/* MD5 in vector lanes; see md5_x86.h. Both widths expand the one list of
 * steps (md5_steps.h) with their own arithmetic. */
#include "md5_x86.h"

#if defined(__x86_64__)

#include <immintrin.h>
#include <stdatomic.h>

#define MD5_IV_A 0x67452301
#define MD5_IV_B ((int)0xefcdab89)
#define MD5_IV_C ((int)0x98badcfe)
#define MD5_IV_D 0x10325476

/* Message word j of register q: rows 0..3 of msg are words 0..3, row 4 is
 * word 14 (the bit length); every other word of a message of at most 15
 * bytes is zero, which folds into the step's constant. */
#define MSG(q, j) ((j) <= 3 ? m[q][(j) & 3] : (j) == 14 ? m[q][4] : zero)

/* 0: not yet checked. Relaxed: every racing first call stores the same. */
static _Atomic unsigned x86_lanes;

unsigned md5_x86_lanes(void)
{
    unsigned l = atomic_load_explicit(&x86_lanes, memory_order_relaxed);
    if (!l) {
        /* __builtin_cpu_supports also checks that the OS saves the wide
         * registers. */
        __builtin_cpu_init();
        l = __builtin_cpu_supports("avx512f") ? 32 : __builtin_cpu_supports("avx2") ? 16 : 1;
        atomic_store_explicit(&x86_lanes, l, memory_order_relaxed);
    }
    return l;
}

/* ---- 32 messages: two registers of 16 lanes, AVX-512F ---------------------------------------------------- */

#define X512 __attribute__((target("avx512f")))

/* Round functions as one ternary-logic instruction each (the immediate is
 * the truth table of f(b, c, d)). */
#define F(x, y, z) _mm512_ternarylogic_epi32((x), (y), (z), 0xCA)
#define G(x, y, z) _mm512_ternarylogic_epi32((x), (y), (z), 0xE4)
#define H(x, y, z) _mm512_ternarylogic_epi32((x), (y), (z), 0x96)
#define I(x, y, z) _mm512_ternarylogic_epi32((x), (y), (z), 0x39)
/* Two registers of 16 messages each step: one chain's latency (about
 * five instructions deep) leaves room for the other's. */
#define MD5_STEP(f, a, b, c, d, j, k, s)                                                                       \
    for (int q = 0; q < 2; q++)                                                                                \
    (a)[q] = _mm512_add_epi32(                                                                                 \
        (b)[q], _mm512_rol_epi32(_mm512_add_epi32(_mm512_add_epi32((a)[q], f((b)[q], (c)[q], (d)[q])),        \
                                                  _mm512_add_epi32(MSG(q, j), _mm512_set1_epi32((int)(k)))),    \
                                 (s)))

static X512 void heads32(const uint32_t msg[MD5_X86_ROWS][MD5_X86_LANES_MAX], uint32_t *out)
{
    const __m512i zero = _mm512_setzero_si512();
    __m512i m[2][MD5_X86_ROWS], a[2], b[2], c[2], d[2];
    for (int q = 0; q < 2; q++) {
        for (int j = 0; j < MD5_X86_ROWS; j++)
            m[q][j] = _mm512_loadu_si512((const void *)&msg[j][16 * q]);
        a[q] = _mm512_set1_epi32(MD5_IV_A);
        b[q] = _mm512_set1_epi32(MD5_IV_B);
        c[q] = _mm512_set1_epi32(MD5_IV_C);
        d[q] = _mm512_set1_epi32(MD5_IV_D);
    }
#include "md5_steps.h"
    for (int q = 0; q < 2; q++)
        _mm512_storeu_si512((void *)(out + 16 * q), _mm512_add_epi32(a[q], _mm512_set1_epi32(MD5_IV_A)));
}

#undef F
#undef G
#undef H
#undef I
#undef MD5_STEP

/* ---- 16 messages: two registers of 8 lanes, AVX2 ---------------------------------------------------------- */

#define X256 __attribute__((target("avx2")))

#define XOR _mm256_xor_si256
#define AND _mm256_and_si256
#define OR _mm256_or_si256
#define F(x, y, z) XOR((z), AND((x), XOR((y), (z))))
#define G(x, y, z) XOR((y), AND((z), XOR((x), (y))))
#define H(x, y, z) XOR(XOR((x), (y)), (z))
#define I(x, y, z) XOR((y), OR((x), XOR((z), _mm256_set1_epi32(-1))))
#define ROL(x, s) OR(_mm256_slli_epi32((x), (s)), _mm256_srli_epi32((x), 32 - (s)))
#define MD5_STEP(f, a, b, c, d, j, k, s)                                                                       \
    for (int q = 0; q < 2; q++)                                                                                \
    (a)[q] = _mm256_add_epi32((b)[q], ROL(_mm256_add_epi32(_mm256_add_epi32((a)[q], f((b)[q], (c)[q], (d)[q])), \
                                                           _mm256_add_epi32(MSG(q, j), _mm256_set1_epi32((int)(k)))), \
                                          (s)))

static X256 void heads16(const uint32_t msg[MD5_X86_ROWS][MD5_X86_LANES_MAX], uint32_t *out)
{
    const __m256i zero = _mm256_setzero_si256();
    __m256i m[2][MD5_X86_ROWS], a[2], b[2], c[2], d[2];
    for (int q = 0; q < 2; q++) {
        for (int j = 0; j < MD5_X86_ROWS; j++)
            m[q][j] = _mm256_loadu_si256((const __m256i *)&msg[j][8 * q]);
        a[q] = _mm256_set1_epi32(MD5_IV_A);
        b[q] = _mm256_set1_epi32(MD5_IV_B);
        c[q] = _mm256_set1_epi32(MD5_IV_C);
        d[q] = _mm256_set1_epi32(MD5_IV_D);
    }
#include "md5_steps.h"
    for (int q = 0; q < 2; q++)
        _mm256_storeu_si256((__m256i *)(out + 8 * q), _mm256_add_epi32(a[q], _mm256_set1_epi32(MD5_IV_A)));
}

void md5_x86_heads(unsigned lanes, const uint32_t msg[MD5_X86_ROWS][MD5_X86_LANES_MAX], uint32_t *out)
{
    if (lanes == 32)
        heads32(msg, out);
    else
        heads16(msg, out);
}

#else

unsigned md5_x86_lanes(void) { return 1; }

void md5_x86_heads(unsigned lanes, const uint32_t msg[MD5_X86_ROWS][MD5_X86_LANES_MAX], uint32_t *out)
{
    (void)lanes, (void)msg, (void)out;
}

#endif
