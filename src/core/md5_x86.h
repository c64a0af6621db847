/* md5_x86 — MD5 of many one-block messages at once in x86 vector registers.
 *
 * MD5 is a chain of dependent 32-bit steps, so one message cannot go
 * faster than its latency; independent messages can share the steps, one
 * per 32-bit lane: 16 per register with AVX-512 (whose ternary logic and
 * rotate make a step five instructions), 8 with AVX2, and two registers
 * side by side so each chain's latency hides the other's. The code is compiled with target
 * attributes, so the binary still runs on CPUs without them: md5_x86_lanes()
 * says what this CPU can run (a cpuid check, cached). Other architectures
 * (the WebAssembly build) get stubs: lanes() returns 1 and heads() must not
 * be called.
 *
 * No allocation, no state; the caller owns the message words and outputs.
 */
#ifndef RINGSCOPE_MD5_X86_H
#define RINGSCOPE_MD5_X86_H

#include <stdint.h>

#define MD5_X86_LANES_MAX 32
#define MD5_X86_ROWS 5  /* message words 0..3 and 14 */

/* Messages per step this CPU can hash: 32 (AVX-512F), 16 (AVX2) or 1. */
unsigned md5_x86_lanes(void);

/* MD5 of `lanes` (32 or 16, at most md5_x86_lanes()) messages of at most
 * 15 bytes each, already padded to one block: only words 0..3 and 14 (the
 * bit length) of such a block are not zero. msg[r][l] is word r (r < 4) or
 * word 14 (r = 4) of message l. out[l] receives the first state word
 * (digest bytes 0..3, little-endian): what ketama keys on. */
void md5_x86_heads(unsigned lanes, const uint32_t msg[MD5_X86_ROWS][MD5_X86_LANES_MAX], uint32_t *out);

#endif
