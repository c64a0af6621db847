/* test_rng — the unit tests' one pseudo-random source (xorshift64).
 *
 * Deterministic, so a failing case can be replayed: tests that want a
 * sequence per case assign rng_state before drawing; others draw from the
 * fixed start below. Header-only: each test file gets its own state.
 */
#ifndef RINGSCOPE_TEST_RNG_H
#define RINGSCOPE_TEST_RNG_H

#include <stdint.h>

static uint64_t rng_state = 0x243F6A8885A308D3ull;

static inline uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

#endif
