/* syshash — the hash functions real data stores route keys with (DESIGN §1c).
 *
 * Each function is written from its published definition and reads exactly
 * the bytes given; which bytes a system feeds it (UTF-8, UTF-16 code units,
 * le64 numbers, UUID bytes) is sysroute's job, not this module's. Each is
 * held to the systems' own test vectors (tests/unit/test_syshash.c) and to
 * real implementations (tests/unit/oracle_syshash.py: python3-cassandra,
 * Guava, zlib, OpenSSL's SipHash, redis-server).
 *
 *   sh_crc16_xmodem     CRC-16/XMODEM: poly 0x1021, init 0, MSB first, no
 *                       reflection, no final xor. Redis src/crc16.c crc16().
 *                       Check: "123456789" -> 0x31C3.
 *   sh_crc32_ieee       CRC-32/IEEE (ISO-HDLC, zlib's crc32): poly 0xEDB88320
 *                       reflected, init and final xor 0xFFFFFFFF. Go's
 *                       crc32.ChecksumIEEE (Milvus). Check: "123456789" ->
 *                       0xCBF43926.
 *   sh_murmur3_32       MurmurHash3_x86_32 (Appleby's MurmurHash3.cpp) with a
 *                       seed; body words and tail little-endian. Lucene's
 *                       murmurhash3_x86_32 (Elasticsearch), spaolacci Sum32
 *                       (Milvus), Guava murmur3_32_fixed.
 *   sh_murmur3_x64_128  MurmurHash3_x64_128, the reference: out[0] = h1,
 *                       out[1] = h2. Weaviate's token is h1 (spaolacci Sum64).
 *   sh_murmur3_x64_128_java
 *                       the same, but each byte of the final len % 16 bytes
 *                       is sign-extended before it is shifted, as Java's
 *                       signed bytes make Cassandra's MurmurHash.hash3_x64_128
 *                       do. Differs from the reference exactly when a tail
 *                       byte is >= 0x80. Full 16-byte blocks are unaffected.
 *   sh_murmur2          MurmurHash2 (32-bit, m = 0x5bd1e995, r = 24,
 *                       h = seed ^ len). Kafka's Utils.murmur2 is this with
 *                       seed SH_KAFKA_MURMUR2_SEED, read as a signed int.
 *   sh_siphash24        SipHash-2-4 (Aumasson & Bernstein), 64-bit output;
 *                       key bytes 0..7 = k0 and 8..15 = k1, little-endian.
 *                       Rust's SipHasher24::new() (Qdrant) uses a zero key.
 *
 * sh_murmur3_32 has a streaming form (init / update / final) so callers can
 * feed bytes as they produce them (Elasticsearch's UTF-16 units) without a
 * buffer; it gives the same value as the one-shot call for any split.
 *
 * Pure functions: no allocation, no global state, no errors. Lengths are
 * size_t, but murmur3 and murmur2 mix the length in as 32 bits, as their
 * reference code does (inputs of 4 GiB and more are not a use case).
 */
#ifndef RINGSCOPE_SYSHASH_H
#define RINGSCOPE_SYSHASH_H

#include <stddef.h>
#include <stdint.h>

#define SH_KAFKA_MURMUR2_SEED 0x9747b28cu

uint16_t sh_crc16_xmodem(const void *data, size_t len);
uint32_t sh_crc32_ieee(const void *data, size_t len);

uint32_t sh_murmur3_32(const void *data, size_t len, uint32_t seed);
void sh_murmur3_x64_128(const void *data, size_t len, uint32_t seed, uint64_t out[2]);
void sh_murmur3_x64_128_java(const void *data, size_t len, uint32_t seed, uint64_t out[2]);

uint32_t sh_murmur2(const void *data, size_t len, uint32_t seed);

uint64_t sh_siphash24(const uint8_t key[16], const void *data, size_t len);

/* Streaming MurmurHash3_x86_32: init, any number of updates, final. The
 * state is the caller's (on the stack); final does not change it. */
typedef struct sh_murmur3_32_state {
    uint32_t h;        /* running hash */
    uint32_t pending;  /* bytes of an incomplete block, little-endian */
    uint32_t npending; /* 0..3 */
    uint32_t total;    /* bytes fed, mod 2^32 (the reference's int len) */
} sh_murmur3_32_state_t;

void sh_murmur3_32_init(sh_murmur3_32_state_t *st, uint32_t seed);
void sh_murmur3_32_update(sh_murmur3_32_state_t *st, const void *data, size_t len);
uint32_t sh_murmur3_32_final(const sh_murmur3_32_state_t *st);

#endif
