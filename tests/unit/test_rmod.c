/* rmod: the reciprocal remainder and quotient held equal to `%` and `/` on
 * many dividends and divisors, the edges first — divisor 1, powers of two, the primes the
 * strategies use and the primes just below 2^32, dividends 0, d-1, d, d+1,
 * multiples of d and their neighbours, and UINT64_MAX. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rmod.h"
#include "test_rng.h"

static void check(uint32_t d, uint64_t n)
{
    rmod_t r = rmod_init(d);
    uint32_t got = rmod_of(&r, n), want = (uint32_t)(n % d);
    if (got != want)
        fail_msg("%llu mod %u: rmod %u, %% %u", (unsigned long long)n, d, got, want);
    uint64_t q = rmod_div(&r, n);
    if (q != n / d)
        fail_msg("%llu / %u: rmod_div %llu, / %llu", (unsigned long long)n, d, (unsigned long long)q,
                 (unsigned long long)(n / d));
}

/* Dividends near the edges for d: around 0, d, multiples of d near 2^32,
 * 2^63 and 2^64, and random ones. */
static void check_divisor(uint32_t d, unsigned randoms)
{
    static const uint64_t fixed[] = {0, 1, 2, 3, 0xFFFFFFFFull, 0x100000000ull, 0x100000001ull,
                                     0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull, 0x8000000000000001ull,
                                     UINT64_MAX - 1, UINT64_MAX};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        check(d, fixed[i]);
    static const uint64_t bases[] = {0, 0xFFFFFFFFull, 0x7FFFFFFFFFFFFFFFull, UINT64_MAX};
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
        uint64_t m = bases[b] - bases[b] % d; /* the largest multiple of d <= base */
        for (uint64_t k = 0; k < 3 && m >= k * d; k++)
            for (int64_t delta = -2; delta <= 2; delta++)
                check(d, m - k * d + (uint64_t)delta);
    }
    for (uint64_t n = (uint64_t)d - (d > 2 ? 2 : 0); n < (uint64_t)d + 3; n++)
        check(d, n);
    for (unsigned i = 0; i < randoms; i++) {
        uint64_t x = rng();
        check(d, x);
        check(d, x >> (x & 63)); /* small dividends too */
    }
}

static void edge_divisors(void **state)
{
    (void)state;
    /* 1, 2^k, Maglev's default and largest table, the largest node and
     * shard counts, primes just below 2^32, and UINT32_MAX itself. */
    static const uint32_t ds[] = {1,        2,         3,          4,          5,          6,          7,
                                  65536,    65537,     4096,       16777213,   16777216,   4294967291u,
                                  4294967279u, 4294967231u, 2147483647u, 2147483648u, 4294967295u, 4294967294u};
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++)
        check_divisor(ds[i], 20000);
    for (unsigned k = 0; k < 32; k++) {
        check_divisor(1u << k, 2000);
        check_divisor((1u << k) + 1, 2000);
        if (k)
            check_divisor((1u << k) - 1, 2000);
    }
}

static void every_small_divisor(void **state)
{
    (void)state;
    for (uint32_t d = 1; d <= 5000; d++)
        check_divisor(d, 200);
}

static void random_divisors(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 20000; i++) {
        uint64_t x = rng();
        uint32_t d = (uint32_t)(x >> (32 + (x & 31)));
        check_divisor(d ? d : 1, 50);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edge_divisors),
        cmocka_unit_test(every_small_divisor),
        cmocka_unit_test(random_divisors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
