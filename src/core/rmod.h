/* rmod — the exact remainder of a 64-bit value by a fixed 32-bit divisor,
 * without a hardware division.
 *
 * Placement takes `khash mod d` for a divisor that stays fixed while
 * millions of keys are placed: modulo's n, Maglev's table size M, a shard
 * count S, a preset's `mod S`. A 64-bit division costs several times a
 * multiplication, so rmod_init precomputes c = ceil(2^128 / d) once and
 * rmod_of answers with four multiplications (Lemire, Kaser and Kurz, "Faster
 * Remainder by Direct Computation", 2019: with 128 fractional bits, 64-bit
 * dividends and divisors below 2^32, the fractional part of c·n times d,
 * shifted down by 128, is exactly n mod d). Exact for every dividend and
 * every divisor 1 .. 2^32-1 (d = 1: c wraps to 0, and so does the answer).
 * The same c gives the quotient too (rmod_div: the integer part of c·n over
 * 2^128, exact as 128 >= 64 + 32 bits; Elasticsearch's R / S step). For
 * d = 1 the quotient is n itself. Compilers without 128-bit integers fall
 * back to `%` and `/`.
 *
 * A plain value type: no allocation, no state, no errors; the divisor must
 * not be 0 (an assert).
 */
#ifndef RINGSCOPE_RMOD_H
#define RINGSCOPE_RMOD_H

#include <stdint.h>

typedef struct rmod {
    uint64_t c_lo, c_hi;  /* c = ceil(2^128 / d) mod 2^128 */
    uint32_t d;
} rmod_t;

/* The reciprocal of d, 1 <= d <= UINT32_MAX. */
rmod_t rmod_init(uint32_t d);

/* n mod r->d. */
static inline uint32_t rmod_of(const rmod_t *r, uint64_t n)
{
#ifdef __SIZEOF_INT128__
    typedef unsigned __int128 u128;
    /* The low 128 bits of c·n: the fraction n/d in 128 bits. */
    u128 low = (u128)r->c_lo * n;
    uint64_t f_lo = (uint64_t)low, f_hi = (uint64_t)(low >> 64) + r->c_hi * n;
    /* Its top bits times d: floor(fraction · d) = n mod d. */
    u128 carry = ((u128)f_lo * r->d) >> 64;
    return (uint32_t)(((u128)f_hi * r->d + carry) >> 64);
#else
    return (uint32_t)(n % r->d);
#endif
}

/* n / r->d, rounded down. */
static inline uint64_t rmod_div(const rmod_t *r, uint64_t n)
{
#ifdef __SIZEOF_INT128__
    typedef unsigned __int128 u128;
    if (r->d == 1) /* c wrapped to 0 */
        return n;
    /* The bits of c·n above 2^128: (c_hi·n + carry of c_lo·n) >> 64. */
    u128 low = (u128)r->c_lo * n;
    return (uint64_t)(((u128)r->c_hi * n + (uint64_t)(low >> 64)) >> 64);
#else
    return n / r->d;
#endif
}

#endif
