/* sha256_x86 — SHA-256 compression with the x86 SHA extensions (SHA-NI).
 *
 * Most x86-64 CPUs since ~2017 (Intel Goldmont/Ice Lake on, all AMD Zen)
 * have sha256rnds2/sha256msg1/sha256msg2, which compress a block in a few
 * dozen cycles instead of several hundred. The code is compiled with target
 * attributes, so the binary still runs on CPUs without them: call
 * sha256_x86_supported() first (a cpuid check, cached by the caller).
 * On other architectures (the WebAssembly build) this module compiles to
 * stubs: supported() returns 0 and the compress functions must not be called.
 *
 * No allocation, no state; the caller owns the states and blocks.
 */
#ifndef RINGSCOPE_SHA256_X86_H
#define RINGSCOPE_SHA256_X86_H

#include <stdint.h>

/* 1 if this CPU has the SHA extensions (and the SSSE3/SSE4.1 they need). */
int sha256_x86_supported(void);

/* Compresses one 64-byte block into state, like sha256_compress_portable. */
void sha256_x86_compress(uint32_t state[8], const uint8_t block[64]);

/* Two independent compressions, interleaved: sha256rnds2 has a latency of
 * several cycles but can issue more often, so a second stream fills the
 * pipeline's gaps (about 1.6-1.9x the throughput of two single calls). */
void sha256_x86_compress2(uint32_t state_a[8], const uint8_t block_a[64], uint32_t state_b[8],
                          const uint8_t block_b[64]);

#endif
