#include "syshash.h"

static uint32_t rotl32(uint32_t x, unsigned r) { return (x << r) | (x >> (32 - r)); }
static uint64_t rotl64(uint64_t x, unsigned r) { return (x << r) | (x >> (64 - r)); }

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

/* ---- CRCs ---------------------------------------------------------------- */

/* Four bits at a time: tab[i] is the CRC register after shifting the nibble
 * i through the polynomial. test_syshash holds both CRCs equal to their
 * bit-by-bit definitions. */
static const uint16_t crc16_nibble[16] = {0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50a5, 0x60c6, 0x70e7,
                                          0x8108, 0x9129, 0xa14a, 0xb16b, 0xc18c, 0xd1ad, 0xe1ce, 0xf1ef};

static const uint32_t crc32_nibble[16] = {0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
                                          0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
                                          0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c};

uint16_t sh_crc16_xmodem(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint16_t crc = 0;
    for (size_t i = 0; i < len; i++) {
        crc = (uint16_t)((crc << 4) ^ crc16_nibble[(crc >> 12) ^ (p[i] >> 4)]);
        crc = (uint16_t)((crc << 4) ^ crc16_nibble[(crc >> 12) ^ (p[i] & 0x0f)]);
    }
    return crc;
}

uint32_t sh_crc32_ieee(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ crc32_nibble[crc & 0x0f];
        crc = (crc >> 4) ^ crc32_nibble[crc & 0x0f];
    }
    return ~crc;
}

/* ---- MurmurHash3 x86_32 -------------------------------------------------- */

#define M3_C1 0xcc9e2d51u
#define M3_C2 0x1b873593u

static uint32_t m3_mix_k(uint32_t k)
{
    k *= M3_C1;
    k = rotl32(k, 15);
    return k * M3_C2;
}

static uint32_t m3_block(uint32_t h, uint32_t k)
{
    h ^= m3_mix_k(k);
    h = rotl32(h, 13);
    return h * 5 + 0xe6546b64u;
}

void sh_murmur3_32_init(sh_murmur3_32_state_t *st, uint32_t seed)
{
    st->h = seed;
    st->pending = 0;
    st->npending = 0;
    st->total = 0;
}

void sh_murmur3_32_update(sh_murmur3_32_state_t *st, const void *data, size_t len)
{
    const uint8_t *p = data;
    st->total += (uint32_t)len;
    /* Complete a block started by an earlier call. */
    while (len > 0 && st->npending > 0) {
        st->pending |= (uint32_t)*p++ << (8 * st->npending);
        len--;
        if (++st->npending == 4) {
            st->h = m3_block(st->h, st->pending);
            st->pending = 0;
            st->npending = 0;
        }
    }
    for (; len >= 4; p += 4, len -= 4)
        st->h = m3_block(st->h, le32(p));
    for (size_t i = 0; i < len; i++)
        st->pending |= (uint32_t)p[i] << (8 * st->npending++);
}

uint32_t sh_murmur3_32_final(const sh_murmur3_32_state_t *st)
{
    uint32_t h = st->h;
    if (st->npending > 0)
        h ^= m3_mix_k(st->pending);
    h ^= st->total;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

uint32_t sh_murmur3_32(const void *data, size_t len, uint32_t seed)
{
    sh_murmur3_32_state_t st;
    sh_murmur3_32_init(&st, seed);
    sh_murmur3_32_update(&st, data, len);
    return sh_murmur3_32_final(&st);
}

/* ---- MurmurHash3 x64_128 ------------------------------------------------- */

#define M3_C1_64 0x87c37b91114253d5ull
#define M3_C2_64 0x4cf5ad432745937full

static uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

/* The two lanes' key mixing, for body blocks and the tail alike. */
static uint64_t m3_mix_k1(uint64_t k1) { return rotl64(k1 * M3_C1_64, 31) * M3_C2_64; }
static uint64_t m3_mix_k2(uint64_t k2) { return rotl64(k2 * M3_C2_64, 33) * M3_C1_64; }

/* A tail byte as the reference reads it (uint8_t), or as Java reads it: a
 * signed byte widened to long, so 0x80..0xFF carry 56 one bits above them. */
static uint64_t tail_byte(uint8_t b, int java)
{
    return (java && (b & 0x80)) ? (uint64_t)b | ~(uint64_t)0xff : (uint64_t)b;
}

static void murmur3_x64_128(const uint8_t *p, size_t len, uint32_t seed, int java, uint64_t out[2])
{
    uint64_t h1 = seed, h2 = seed;
    size_t nblocks = len / 16;
    for (size_t i = 0; i < nblocks; i++) {
        h1 ^= m3_mix_k1(le64(p + 16 * i));
        h1 = rotl64(h1, 27);
        h1 += h2;
        h1 = h1 * 5 + 0x52dce729u;
        h2 ^= m3_mix_k2(le64(p + 16 * i + 8));
        h2 = rotl64(h2, 31);
        h2 += h1;
        h2 = h2 * 5 + 0x38495ab5u;
    }
    const uint8_t *tail = p + 16 * nblocks;
    size_t rest = len & 15;
    uint64_t k1 = 0, k2 = 0;
    /* The reference's fall-through switch as two loops (xor commutes, so the
     * order of the bytes does not matter, sign-extended or not). */
    for (size_t i = rest; i > 8; i--)
        k2 ^= tail_byte(tail[i - 1], java) << (8 * (i - 9));
    if (rest > 8)
        h2 ^= m3_mix_k2(k2);
    for (size_t i = rest < 8 ? rest : 8; i > 0; i--)
        k1 ^= tail_byte(tail[i - 1], java) << (8 * (i - 1));
    if (rest > 0)
        h1 ^= m3_mix_k1(k1);
    h1 ^= (uint64_t)len;
    h2 ^= (uint64_t)len;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    out[0] = h1;
    out[1] = h2;
}

void sh_murmur3_x64_128(const void *data, size_t len, uint32_t seed, uint64_t out[2])
{
    murmur3_x64_128(data, len, seed, 0, out);
}

void sh_murmur3_x64_128_java(const void *data, size_t len, uint32_t seed, uint64_t out[2])
{
    murmur3_x64_128(data, len, seed, 1, out);
}

/* ---- MurmurHash2 --------------------------------------------------------- */

uint32_t sh_murmur2(const void *data, size_t len, uint32_t seed)
{
    const uint32_t m = 0x5bd1e995u;
    const uint8_t *p = data;
    uint32_t h = seed ^ (uint32_t)len;
    size_t n4 = len / 4;
    for (size_t i = 0; i < n4; i++) {
        uint32_t k = le32(p + 4 * i);
        k *= m;
        k ^= k >> 24;
        k *= m;
        h *= m;
        h ^= k;
    }
    const uint8_t *tail = p + 4 * n4;
    switch (len & 3) {
    case 3:
        h ^= (uint32_t)tail[2] << 16;
        /* fall through */
    case 2:
        h ^= (uint32_t)tail[1] << 8;
        /* fall through */
    case 1:
        h ^= tail[0];
        h *= m;
        break;
    default:
        break;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return h;
}

/* ---- SipHash-2-4 --------------------------------------------------------- */

#define SIPROUND                                                                                                \
    do {                                                                                                        \
        v0 += v1;                                                                                               \
        v1 = rotl64(v1, 13);                                                                                    \
        v1 ^= v0;                                                                                               \
        v0 = rotl64(v0, 32);                                                                                    \
        v2 += v3;                                                                                               \
        v3 = rotl64(v3, 16);                                                                                    \
        v3 ^= v2;                                                                                               \
        v0 += v3;                                                                                               \
        v3 = rotl64(v3, 21);                                                                                    \
        v3 ^= v0;                                                                                               \
        v2 += v1;                                                                                               \
        v1 = rotl64(v1, 17);                                                                                    \
        v1 ^= v2;                                                                                               \
        v2 = rotl64(v2, 32);                                                                                    \
    } while (0)

uint64_t sh_siphash24(const uint8_t key[16], const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t k0 = le64(key), k1 = le64(key + 8);
    uint64_t v0 = k0 ^ 0x736f6d6570736575ull;
    uint64_t v1 = k1 ^ 0x646f72616e646f6dull;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ull;
    uint64_t v3 = k1 ^ 0x7465646279746573ull;
    size_t n8 = len / 8;
    for (size_t i = 0; i < n8; i++) {
        uint64_t m = le64(p + 8 * i);
        v3 ^= m;
        SIPROUND;
        SIPROUND;
        v0 ^= m;
    }
    /* The last block: the remaining bytes, little-endian, and len mod 256 in
     * the top byte. */
    uint64_t b = (uint64_t)len << 56;
    const uint8_t *tail = p + 8 * n8;
    for (size_t i = 0; i < (len & 7); i++)
        b |= (uint64_t)tail[i] << (8 * i);
    v3 ^= b;
    SIPROUND;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}
