/* The real systems' hashes and routing (syshash, sysroute, uuid; DESIGN §1c):
 * every check value of §1c and ../shared/reference/routing.md, the systems'
 * own test vectors (Redis docs, Elasticsearch's Murmur3HashFunctionTests and
 * IndexRoutingTests.testBWC, Qdrant's split_point_operations, Milvus's
 * hash_test.go, the Cassandra drivers' token specs, Kafka's
 * UtilsTest.testMurmur2, SipHash's reference vectors.h), the CRCs against
 * their bit-by-bit definitions, SipHash against OpenSSL's, and UUID text.
 * oracle_syshash.py holds the same functions equal to real
 * implementations on thousands of random inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdlib.h>
#include <string.h>

#include "syshash.h"
#include "sysroute.h"
#include "uuid.h"

#include "test_rng.h"

/* A string literal as (bytes, length), so tables can hold NULs. */
#define BYTES(lit) lit, sizeof(lit) - 1

static void random_bytes(uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)rng();
}

/* ---- CRCs ---------------------------------------------------------------- */

static uint16_t crc16_bitwise(const uint8_t *p, size_t len)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int b = 0; b < 8; b++)
            crc = (uint16_t)((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return crc;
}

static uint32_t crc32_bitwise(const uint8_t *p, size_t len)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc & 1) ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
    }
    return ~crc;
}

static void crc_check_values(void **state)
{
    (void)state;
    assert_int_equal(sh_crc16_xmodem(BYTES("123456789")), 0x31C3);
    assert_int_equal(sh_crc16_xmodem(BYTES("")), 0);
    assert_int_equal(sh_crc32_ieee(BYTES("123456789")), 0xCBF43926u);
    assert_int_equal(sh_crc32_ieee(BYTES("")), 0);
}

static void crc_tables_equal_definitions(void **state)
{
    (void)state;
    uint8_t buf[200];
    for (int n = 0; n < 5000; n++) {
        size_t len = (size_t)(rng() % sizeof buf);
        random_bytes(buf, len);
        assert_int_equal(sh_crc16_xmodem(buf, len), crc16_bitwise(buf, len));
        assert_int_equal(sh_crc32_ieee(buf, len), crc32_bitwise(buf, len));
    }
}

/* ---- Redis Cluster ------------------------------------------------------- */

static void redis_slots(void **state)
{
    (void)state;
    /* redis.io's CLUSTER KEYSLOT examples, Dragonfly's docs, and the hash-tag
     * corner cases of keyHashSlot (routing.md §1.1). */
    static const struct {
        const char *key;
        size_t len;
        unsigned slot;
    } t[] = {
        {BYTES("somekey"), 11058},         {BYTES("foo{hash_tag}"), 2515},  {BYTES("bar{hash_tag}"), 2515},
        {BYTES("{user1}.following"), 8106}, {BYTES("foo"), 12182},          {BYTES("bar"), 5061},
        {BYTES("{user1000}.following"), 3443},
        {BYTES("foo{}{bar}"), 8363},      /* "{}" first: the whole key */
        {BYTES("foo{{bar}}zap"), 4015},   /* hashes "{bar" */
        {BYTES("foo{bar}{zap}"), 5061},   /* = slot of "bar" */
        {BYTES(""), 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_int_equal(sr_redis_slot(t[i].key, t[i].len), t[i].slot);
}

static void redis_hash_tags(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        size_t len;
        const char *part; /* the bytes hashed */
    } t[] = {
        {BYTES("plain"), "plain"},     {BYTES("{a}"), "a"},          {BYTES("x{ab}y"), "ab"},
        {BYTES("{}"), "{}"},           {BYTES("{"), "{"},            {BYTES("}{"), "}{"},
        {BYTES("a{b"), "a{b"},         {BYTES("}{x}"), "x"},         {BYTES("{{bar}}"), "{bar"},
        {BYTES("foo{}{bar}"), "foo{}{bar}"}, {BYTES("{a}{b}"), "a"}, {BYTES("{ }"), " "},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t off, n;
        sr_redis_hashed_part(t[i].key, t[i].len, &off, &n);
        assert_int_equal(n, strlen(t[i].part));
        assert_memory_equal(t[i].key + off, t[i].part, n);
        assert_int_equal(sr_redis_slot(t[i].key, t[i].len), sh_crc16_xmodem(t[i].part, n) & 0x3FFF);
    }
    /* Binary-safe: a NUL inside the tag is hashed like any byte. */
    static const char bin[] = {'k', '{', 0, 'x', '}', 'z'};
    size_t off, n;
    sr_redis_hashed_part(bin, sizeof bin, &off, &n);
    assert_int_equal(off, 2);
    assert_int_equal(n, 2);
}

/* ---- Murmur3 x86_32 and Elasticsearch ------------------------------------ */

static void murmur3_32_vectors(void **state)
{
    (void)state;
    /* The usual MurmurHash3_x86_32 check values (seeds as published), which
     * Guava's murmur3_32_fixed reproduces. */
    static const struct {
        const char *in;
        size_t len;
        uint32_t seed, h;
    } t[] = {
        {BYTES(""), 0, 0},
        {BYTES(""), 1, 0x514E28B7},
        {BYTES(""), 0xffffffff, 0x81F16F39},
        {BYTES("\0\0\0\0"), 0, 0x2362F9DE},
        {BYTES("\xff\xff\xff\xff"), 0, 0x76293B50},
        {BYTES("!Ce\x87"), 0, 0xF55B516B},
        {BYTES("!Ce\x87"), 0x5082EDEE, 0x2362F9DE},
        {BYTES("!Ce"), 0, 0x7E4A8634},
        {BYTES("!C"), 0, 0xA0F7B07A},
        {BYTES("!"), 0, 0x72661CF4},
        {BYTES("aaaa"), 0x9747b28c, 0x5A97808A},
        {BYTES("aaa"), 0x9747b28c, 0x283E0130},
        {BYTES("aa"), 0x9747b28c, 0x5D211726},
        {BYTES("a"), 0x9747b28c, 0x7FA09EA6},
        {BYTES("abcd"), 0x9747b28c, 0xF0478627},
        {BYTES("abc"), 0x9747b28c, 0xC84A62DD},
        {BYTES("ab"), 0x9747b28c, 0x74875592},
        {BYTES("Hello, world!"), 0x9747b28c, 0x24884CBA},
        {BYTES("The quick brown fox jumps over the lazy dog"), 0x9747b28c, 0x2FA826CD},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_int_equal(sh_murmur3_32(t[i].in, t[i].len, t[i].seed), t[i].h);
}

static void murmur3_32_streaming(void **state)
{
    (void)state;
    uint8_t buf[64];
    for (int n = 0; n < 300; n++) {
        size_t len = (size_t)(rng() % sizeof buf);
        uint32_t seed = (uint32_t)rng();
        random_bytes(buf, len);
        uint32_t whole = sh_murmur3_32(buf, len, seed);
        /* Every split into three pieces gives the one-shot value. */
        for (size_t a = 0; a <= len; a++) {
            size_t b = a + (size_t)(rng() % (len - a + 1));
            sh_murmur3_32_state_t st;
            sh_murmur3_32_init(&st, seed);
            sh_murmur3_32_update(&st, buf, a);
            sh_murmur3_32_update(&st, buf + a, b - a);
            sh_murmur3_32_update(&st, buf + b, len - b);
            assert_int_equal(sh_murmur3_32_final(&st), whole);
        }
    }
}

static void es_hash_vectors(void **state)
{
    (void)state;
    /* Elasticsearch's Murmur3HashFunctionTests (UTF-8 here; the function
     * hashes the UTF-16 code units). */
    static const struct {
        const char *id;
        uint32_t h;
    } t[] = {
        {"", 0x00000000},
        {"h", 0x3fb8ba02},
        {"he", 0xce30a49f},
        {"hel", 0x0c7cee6b},
        {"hell", 0x5a0cb7c3},
        {"hello", 0xd7c31989},
        {"hello w", 0x22ab2984},
        {"hello wo", 0xdf0ca123},
        {"hello wor", 0xe7744d61},
        {"hello worl", 0x51837ec6},
        {"hello world", 0x64b256a4},
        {"hello world!", 0xda1575e5},
        {"\xce\x93\xce\xb5\xce\xb9\xce\xac \xcf\x83\xce\xbf\xcf\x85 \xce\x9a\xcf\x8c\xcf\x83\xce\xbc\xce\xb5",
         0x8ded82be},                                                 /* Γειά σου Κόσμε */
        {"Supplementary planes too \xf0\x9f\x99\x82", 0x8274606c}, /* U+1F642: a surrogate pair */
        {"The quick brown fox jumps over the lazy dog", 0xe07db09c},
        {"The quick brown fox jumps over the lazy cog", 0x4e63d2ad},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int32_t h = 1;
        assert_int_equal(sr_es_hash(t[i].id, strlen(t[i].id), &h), 0);
        assert_int_equal((uint32_t)h, t[i].h);
    }
}

static void es_hash_is_utf16le(void **state)
{
    (void)state;
    /* "aé€😀" as UTF-16LE code units, hashed directly. */
    static const uint8_t units[] = {0x61, 0x00, 0xe9, 0x00, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde};
    int32_t h;
    assert_int_equal(sr_es_hash(BYTES("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), &h), 0);
    assert_int_equal((uint32_t)h, sh_murmur3_32(units, sizeof units, 0));
    /* Bytes that are not UTF-8 are refused, not hashed as something else. */
    static const struct {
        const char *in;
        size_t len;
    } bad[] = {
        {BYTES("\xff")},          {BYTES("a\x80")},         {BYTES("\xc0\xaf")},         /* overlong */
        {BYTES("\xed\xa0\x80")},  /* an encoded surrogate */ {BYTES("\xf4\x90\x80\x80")}, /* > U+10FFFF */
        {BYTES("\xe2\x82")},      /* truncated */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sr_es_hash(bad[i].in, bad[i].len, &h), -1);
}

static void es_routing_shards(void **state)
{
    (void)state;
    /* calculateNumRoutingShards, as routing.md §4.2 lists it. */
    static const uint32_t t[][2] = {{1, 1024}, {2, 1024}, {3, 768},   {5, 640},    {8, 1024},
                                    {30, 960}, {512, 1024}, {1024, 2048}, {4, 1024}, {6, 768}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_int_equal(sr_es_routing_shards(t[i][0]), t[i][1]);
    /* floorMod: a negative hash counts from the top. */
    assert_int_equal(sr_es_shard(-1, 5, 640), 4);
    assert_int_equal(sr_es_shard(INT32_MIN, 5, 640), 4); /* floorMod(-2^31, 640) = 512 */
    assert_int_equal(sr_es_shard(127, 5, 640), 0);
    assert_int_equal(sr_es_shard(128, 5, 640), 1);
    assert_int_equal(sr_es_shard(INT32_MAX, 1, 1024), 0);
    /* The lookups' path (R's reciprocal) is the same function: every S of
     * a default R and of R = S·k, the edges of h and random ones. */
    static const int32_t edges[] = {INT32_MIN, INT32_MIN + 1, -641, -640, -639, -2, -1, 0, 1, 639, 640, 641,
                                    INT32_MAX - 1, INT32_MAX};
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (uint32_t s = 1; s <= 1024; s += s < 40 ? 1 : 37) {
        const uint32_t rs[] = {sr_es_routing_shards(s), s, s * 3, s * 1024};
        for (size_t k = 0; k < sizeof rs / sizeof rs[0]; k++) {
            rmod_t r = rmod_init(rs[k]);
            for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
                assert_int_equal(sr_es_shard_by(edges[i], s, &r), sr_es_shard(edges[i], s, rs[k]));
            for (int i = 0; i < 2000; i++) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                int32_t h = (int32_t)(uint32_t)(x >> 32);
                assert_int_equal(sr_es_shard_by(h, s, &r), sr_es_shard(h, s, rs[k]));
            }
        }
    }
}

static void es_routing_bwc(void **state)
{
    (void)state;
    /* IndexRoutingTests.testBWC: 8 shards, routing_num_shards = 8 (the test's
     * IndexMetadata defaults it to the shard count). */
    static const struct {
        const char *id;
        unsigned shard;
    } t[] = {
        {"sEERfFzPSI", 1}, {"cNRiIrjzYd", 7}, {"BgfLBXUyWT", 5}, {"cnepjZhQnb", 3}, {"OKCmuYkeCK", 6},
        {"OutXGRQUja", 5}, {"yCdyocKWou", 1}, {"KXuNWWNgVj", 2}, {"DGJOYrpESx", 4}, {"upLDybdTGs", 5},
        {"yhZhzCPQby", 1}, {"EyCVeiCouA", 1}, {"tFyVdQauWR", 6}, {"nyeRYDnDQr", 6}, {"hswhrppvDH", 0},
        {"BSiWvDOsNE", 5}, {"YHicpFBSaY", 1}, {"EquPtdKaBZ", 4}, {"rSjLZHCDfT", 5}, {"qoZALVcite", 7},
        {"yDCCPVBiCm", 7}, {"ngizYtQgGK", 5}, {"FYQRIBcNqz", 0}, {"EBzEDAPODe", 2}, {"YePigbXgKb", 1},
        {"PeGJjomyik", 3}, {"cyQIvDmyYD", 7}, {"yIEfZrYfRk", 5}, {"kblouyFUbu", 7}, {"xvIGbRiGJF", 3},
        {"KWimwsREPf", 4}, {"wsNavvIcdk", 7}, {"xkWaPcCmpT", 0}, {"FKKTOnJMDy", 7}, {"RuLzobYixn", 2},
        {"mFohLeFRvF", 4}, {"aAMXnamRJg", 7}, {"zKBMYJDmBI", 0}, {"ElSVuJQQuw", 7}, {"pezPtTQAAm", 7},
        {"zBjjNEjAex", 2}, {"PGgHcLNPYX", 7}, {"hOkpeQqTDF", 3}, {"chZXraUPBH", 7}, {"FAIcSmmNXq", 5},
        {"EZmDicyayC", 0}, {"GRIueBeIyL", 7}, {"qCChjGZYLp", 3}, {"IsSZQwwnUT", 3}, {"MGlxLFyyCK", 3},
        {"YmscwrKSpB", 0}, {"czSljcjMop", 5}, {"XhfGWwNlng", 1}, {"cWpKJjlzgj", 7}, {"eDzIfMKbvk", 1},
        {"WFFWYBfnTb", 0}, {"oDdHJxGxja", 7}, {"PDOQQqgIKE", 1}, {"bGEIEBLATe", 6}, {"xpRkJPWVpu", 2},
        {"kTwZnPEeIi", 2}, {"DifcuqSsKk", 1}, {"CEmLmljpXe", 5}, {"cuNKtLtyJQ", 7}, {"yNjiAnxAmt", 5},
        {"bVDJDCeaFm", 2}, {"vdnUhGLFtl", 0}, {"LnqSYezXbr", 5}, {"EzHgydDCSR", 3}, {"ZSKjhJlcpn", 1},
        {"WRjUoZwtUz", 3}, {"RiBbcCdIgk", 4}, {"yizTqyjuDn", 4}, {"QnFjcpcZUT", 4}, {"agYhXYUUpl", 7},
        {"UOjiTugjNC", 7}, {"nICGuWTdfV", 0}, {"NrnSmcnUVF", 2}, {"ZSzFcbpDqP", 3}, {"YOhahLSzzE", 5},
        {"iWswCilUaT", 1}, {"zXAamKsRwj", 2}, {"aqGsrUPHFq", 5}, {"eDItImYWTS", 1}, {"JAYDZMRcpW", 4},
        {"lmvAaEPflK", 7}, {"IKuOwPjKCx", 5}, {"schsINzlYB", 1}, {"OqbFNxrKrF", 2}, {"QrklDfvEJU", 6},
        {"VLxKRKdLbx", 4}, {"imoydNTZhV", 1}, {"uFZyTyOMRO", 4}, {"nVAZVMPNNx", 3}, {"rPIdESYaAO", 5},
        {"nbZWPWJsIM", 0}, {"wRZXPSoEgd", 3}, {"nGzpgwsSBc", 4}, {"AITyyoyLLs", 4},
    };
    assert_int_equal(sizeof t / sizeof t[0], 99);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int32_t h;
        assert_int_equal(sr_es_hash(t[i].id, strlen(t[i].id), &h), 0);
        assert_int_equal(sr_es_shard(h, 8, 8), t[i].shard);
    }
    /* DESIGN §1c: a default 5-shard index routes with R = 640, not mod 5:
     * "hello" hashes to -675079799, floorMod 640 = 521, shard 521 / 128 = 4
     * (floorMod 5 would give 1). */
    int32_t h;
    assert_int_equal(sr_es_hash(BYTES("hello"), &h), 0);
    assert_int_equal(h, -675079799);
    assert_int_equal(sr_es_shard(h, 5, sr_es_routing_shards(5)), 4);
    assert_int_equal(sr_es_shard(h, 5, 5), 1);
}

/* ---- Milvus -------------------------------------------------------------- */

static void milvus_hashes(void **state)
{
    (void)state;
    /* hash_test.go TestHash32_Uint64_Value: Hash32Int64(10^k). */
    static const uint32_t pow10[] = {1392991556, 1857498428, 1177227376, 679959820,  1785225994,
                                     258819970,  1669527334, 112035536,  107125476,  913068403,
                                     1151135,    2136277055, 636570700,  469485073,  745519692,
                                     1724407835, 2022854314, 1713940411, 2117120843};
    assert_int_equal(sr_milvus_hash_int64(0), 1669671676u);
    int64_t v = 1;
    for (size_t k = 0; k < sizeof pow10 / sizeof pow10[0]; k++) {
        assert_int_equal(sr_milvus_hash_int64(v), pow10[k]);
        if (k + 1 < sizeof pow10 / sizeof pow10[0])
            v *= 10; /* up to 10^18, within int64 */
    }
    /* TestHash32_Uint64: the pk's 8 bytes, little-endian. */
    static const uint8_t b12[8] = {0x12};
    assert_int_equal(sr_milvus_hash_int64(0x12), sh_murmur3_32(b12, 8, 0) & 0x7fffffffu);
    /* TestHashString2Uint32; only the first 100 bytes count. */
    assert_int_equal(sr_milvus_hash_varchar(BYTES("abcdef")), 1267612143u);
    static const char para[] =
        "Milvus was created in 2019 with a singular goal: store, index, and manage massive embedding vectors "
        "generated by deep neural networks and other machine learning (ML) models.";
    assert_int_equal(sr_milvus_hash_varchar(para, sizeof para - 1), 2922592797u);
    assert_int_equal(sr_milvus_hash_varchar(para, 100), 2922592797u);
    assert_int_equal(sr_milvus_hash_varchar(para, 99), sh_crc32_ieee(para, 99));
}

/* ---- Qdrant -------------------------------------------------------------- */

static void qdrant_point_to_shard(void **state)
{
    (void)state;
    /* point_ops.rs split_point_operations: HashRingRouter::single() over
     * shards 0, 1, 2 ("This mapping should not change with new updates!"). */
    static const struct {
        const char *id; /* a UUID, or a decimal number */
        unsigned shard;
        uint64_t hash; /* routing.md's, where it gives one */
    } t[] = {
        {"4072cda9-8ac6-46fa-9367-7372bc5e4798", 2, 0x87bcc75ba7274d35ull},
        {"321", 1, 0x1386ab10e5599f96ull},
        {"fe23809b-dcc9-40ba-8255-a45dce6f10be", 2, 0},
        {"a307aa98-d5b5-4b0c-aec9-f963171acb74", 2, 0},
        {"aaf3bb55-dc48-418c-ba76-18badc0d7fc5", 0, 0},
        {"63000b52-641b-45cf-bc15-14de3944b9dd", 0, 0},
        {"aab5ef35-83ad-49ea-a629-508e308872f7", 0, 0},
        {"0", 2, 0x32caecc280172976ull},
        {"100500", 1, 0xf5bfc0acf3769e6cull},
    };
    sr_qdrant_point_t ring[3 * SR_QDRANT_SCALE];
    sr_qdrant_ring_build(ring, 3);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint64_t h;
        uint8_t u[16];
        if (strlen(t[i].id) == UUID_TEXT_LEN) {
            assert_int_equal(uuid_parse(t[i].id, UUID_TEXT_LEN, u), 0);
            h = sr_qdrant_hash_uuid(u);
        } else {
            h = sr_qdrant_hash_num(strtoull(t[i].id, NULL, 10));
        }
        if (t[i].hash != 0)
            assert_true(h == t[i].hash);
        assert_int_equal(sr_qdrant_ring_shard(ring, 3 * SR_QDRANT_SCALE, h), t[i].shard);
    }
}

static void qdrant_serialisation_and_ring(void **state)
{
    (void)state;
    uint8_t b[SR_QDRANT_ID_UUID_LEN];
    sr_qdrant_id_num_bytes(0x0102030405060708ull, b);
    static const uint8_t num[16] = {0, 0, 0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1};
    assert_memory_equal(b, num, 16);
    uint8_t u[16];
    for (int i = 0; i < 16; i++)
        u[i] = (uint8_t)(0xa0 + i);
    sr_qdrant_id_uuid_bytes(u, b);
    static const uint8_t head[16] = {1, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(b, head, 16);
    assert_memory_equal(b + 16, u, 16);
    static const uint8_t zero_key[16];
    static const uint8_t point[8] = {2, 0, 0, 0, 99, 0, 0, 0};
    assert_true(sr_qdrant_point_hash(2, 99) == sh_siphash24(zero_key, point, 8));

    /* The ring: 100 points per shard, sorted; a lookup is the first point at
     * or after the hash, wrapping past the largest. */
    enum { S = 5, N = S * SR_QDRANT_SCALE };
    sr_qdrant_point_t ring[N];
    sr_qdrant_ring_build(ring, S);
    unsigned per_shard[S] = {0};
    for (size_t i = 0; i < N; i++) {
        per_shard[ring[i].shard]++;
        assert_true(ring[i].hash == sr_qdrant_point_hash(ring[i].shard, ring[i].k));
        if (i > 0)
            assert_true(ring[i - 1].hash <= ring[i].hash);
    }
    for (int s = 0; s < S; s++)
        assert_int_equal(per_shard[s], SR_QDRANT_SCALE);
    assert_int_equal(sr_qdrant_ring_shard(ring, N, 0), ring[0].shard);
    assert_int_equal(sr_qdrant_ring_shard(ring, N, ring[7].hash), ring[7].shard);
    assert_int_equal(sr_qdrant_ring_shard(ring, N, ring[7].hash + 1), ring[8].shard);
    assert_int_equal(sr_qdrant_ring_shard(ring, N, ring[N - 1].hash + 1), ring[0].shard);
    assert_int_equal(sr_qdrant_ring_shard(ring, N, UINT64_MAX), ring[N - 1].hash == UINT64_MAX ? ring[N - 1].shard
                                                                                              : ring[0].shard);
}

/* ---- Cassandra ----------------------------------------------------------- */

static void cassandra_tokens(void **state)
{
    (void)state;
    /* python-driver test_metadata.py _verify_hash and the ruby-driver's
     * murmur3 spec: (unit repeated n times) -> token. */
    static const struct {
        const char *unit;
        size_t len;
        int repeat;
        int64_t token;
        int quirk; /* a tail byte >= 0x80: differs from reference Murmur3 */
    } t[] = {
        {BYTES("123"), 1, -7468325962851647638ll, 0},
        {BYTES("\x00\xff\x10\xfa\x99"), 10, 5837342703291459765ll, 1},
        {BYTES("\xfe"), 8, -8927430733708461935ll, 1},
        {BYTES("\x10"), 8, 1446172840243228796ll, 0},
        {BYTES("9223372036854775807"), 1, 7162290910810015547ll, 0},
        {BYTES("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"), 1, -5563837382979743776ll, 0},
        {BYTES("\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"), 1, -1513403162740402161ll, 0},
        {BYTES("\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12"), 1, -495360443712684655ll, 0},
        {BYTES("\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13"), 1, 1734091135765407943ll, 0},
        {BYTES("\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14"), 1, -3199412112042527988ll, 0},
        {BYTES("\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15"), 1, -6316563938475080831ll, 0},
        {BYTES("\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"), 1, 8228893370679682632ll, 0},
        {BYTES("\x00"), 16, 5457549051747178710ll, 0},
        {BYTES("\xff"), 16, -2824192546314762522ll, 0},
        {BYTES("\xfe"), 16, -833317529301936754ll, 0},
        {BYTES("\x00\x01\x02\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"), 1, 6463632673159404390ll, 0},
        {BYTES("\xfe"), 17, -1672437813826982685ll, 1},
        {BYTES("\xfe"), 4, 4566408979886474012ll, 1},
        {BYTES("\x00"), 4, -3485513579396041028ll, 0},
        {BYTES("\x00\x01\x7f\x7f"), 1, 6573459401642635627ll, 0},
        {BYTES("\x00\xff\xff\xff"), 1, 123573637386978882ll, 1},
        {BYTES("\xff\x01\x02\x03"), 1, -2839127690952877842ll, 1},
        {BYTES("\xe2\xe7"), 1, -8582699461035929883ll, 1},
        {BYTES("\xe2\xe7\xe2\xe7\xe2\xe7\x01"), 1, 2222373981930033306ll, 1},
    };
    int quirks = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint8_t buf[64];
        size_t len = 0;
        for (int r = 0; r < t[i].repeat; r++, len += t[i].len)
            memcpy(buf + len, t[i].unit, t[i].len);
        assert_true(sr_cassandra_token(buf, len) == t[i].token);
        uint64_t java[2], ref[2];
        sh_murmur3_x64_128_java(buf, len, 0, java);
        sh_murmur3_x64_128(buf, len, 0, ref);
        assert_true(java[0] == (uint64_t)t[i].token);
        assert_int_equal(java[0] != ref[0], t[i].quirk);
        quirks += t[i].quirk;
    }
    assert_int_equal(quirks, 8); /* routing.md: eight of them show the quirk */
    /* The partitioner's own rules: an empty key is the minimum token. */
    assert_true(sr_cassandra_token("", 0) == INT64_MIN);
}

/* ---- Kafka --------------------------------------------------------------- */

static void kafka_murmur2(void **state)
{
    (void)state;
    /* UtilsTest.testMurmur2; partitions of 3 and 10 where routing.md gives them. */
    static const struct {
        const char *key;
        size_t len;
        int32_t h;
        int p3, p10;
    } t[] = {
        {BYTES("21"), -973932308, 0, 0},
        {BYTES("foobar"), -790332482, 0, 6},
        {BYTES("a-little-bit-long-string"), -985981536, -1, -1},
        {BYTES("a-little-bit-longer-string"), -1486304829, -1, -1},
        {BYTES("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971, -1, -1},
        {BYTES("abc"), 479470107, 0, 7},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_int_equal(sr_kafka_murmur2(t[i].key, t[i].len), t[i].h);
        assert_int_equal((uint32_t)sr_kafka_murmur2(t[i].key, t[i].len),
                         sh_murmur2(t[i].key, t[i].len, SH_KAFKA_MURMUR2_SEED));
        if (t[i].p3 >= 0) {
            assert_int_equal(sr_kafka_partition(t[i].key, t[i].len, 3), t[i].p3);
            assert_int_equal(sr_kafka_partition(t[i].key, t[i].len, 10), t[i].p10);
        }
    }
    /* toPositive masks the sign bit; it is not Math.abs. */
    assert_int_equal(sr_kafka_to_positive(-1), INT32_MAX);
    assert_int_equal(sr_kafka_to_positive(INT32_MIN), 0);
    assert_int_equal(sr_kafka_to_positive(-973932308), 1173551340);
    assert_int_equal(sr_kafka_to_positive(12345), 12345);
}

/* ---- SipHash ------------------------------------------------------------- */

static void siphash_reference_vectors(void **state)
{
    (void)state;
    /* vectors.h of the SipHash reference code: key 00..0f, message 00..n-1,
     * the 64-bit output as little-endian bytes. */
    static const uint8_t v[64][8] = {
        {0x31, 0x0e, 0x0e, 0xdd, 0x47, 0xdb, 0x6f, 0x72}, {0xfd, 0x67, 0xdc, 0x93, 0xc5, 0x39, 0xf8, 0x74},
        {0x5a, 0x4f, 0xa9, 0xd9, 0x09, 0x80, 0x6c, 0x0d}, {0x2d, 0x7e, 0xfb, 0xd7, 0x96, 0x66, 0x67, 0x85},
        {0xb7, 0x87, 0x71, 0x27, 0xe0, 0x94, 0x27, 0xcf}, {0x8d, 0xa6, 0x99, 0xcd, 0x64, 0x55, 0x76, 0x18},
        {0xce, 0xe3, 0xfe, 0x58, 0x6e, 0x46, 0xc9, 0xcb}, {0x37, 0xd1, 0x01, 0x8b, 0xf5, 0x00, 0x02, 0xab},
        {0x62, 0x24, 0x93, 0x9a, 0x79, 0xf5, 0xf5, 0x93}, {0xb0, 0xe4, 0xa9, 0x0b, 0xdf, 0x82, 0x00, 0x9e},
        {0xf3, 0xb9, 0xdd, 0x94, 0xc5, 0xbb, 0x5d, 0x7a}, {0xa7, 0xad, 0x6b, 0x22, 0x46, 0x2f, 0xb3, 0xf4},
        {0xfb, 0xe5, 0x0e, 0x86, 0xbc, 0x8f, 0x1e, 0x75}, {0x90, 0x3d, 0x84, 0xc0, 0x27, 0x56, 0xea, 0x14},
        {0xee, 0xf2, 0x7a, 0x8e, 0x90, 0xca, 0x23, 0xf7}, {0xe5, 0x45, 0xbe, 0x49, 0x61, 0xca, 0x29, 0xa1},
        {0xdb, 0x9b, 0xc2, 0x57, 0x7f, 0xcc, 0x2a, 0x3f}, {0x94, 0x47, 0xbe, 0x2c, 0xf5, 0xe9, 0x9a, 0x69},
        {0x9c, 0xd3, 0x8d, 0x96, 0xf0, 0xb3, 0xc1, 0x4b}, {0xbd, 0x61, 0x79, 0xa7, 0x1d, 0xc9, 0x6d, 0xbb},
        {0x98, 0xee, 0xa2, 0x1a, 0xf2, 0x5c, 0xd6, 0xbe}, {0xc7, 0x67, 0x3b, 0x2e, 0xb0, 0xcb, 0xf2, 0xd0},
        {0x88, 0x3e, 0xa3, 0xe3, 0x95, 0x67, 0x53, 0x93}, {0xc8, 0xce, 0x5c, 0xcd, 0x8c, 0x03, 0x0c, 0xa8},
        {0x94, 0xaf, 0x49, 0xf6, 0xc6, 0x50, 0xad, 0xb8}, {0xea, 0xb8, 0x85, 0x8a, 0xde, 0x92, 0xe1, 0xbc},
        {0xf3, 0x15, 0xbb, 0x5b, 0xb8, 0x35, 0xd8, 0x17}, {0xad, 0xcf, 0x6b, 0x07, 0x63, 0x61, 0x2e, 0x2f},
        {0xa5, 0xc9, 0x1d, 0xa7, 0xac, 0xaa, 0x4d, 0xde}, {0x71, 0x65, 0x95, 0x87, 0x66, 0x50, 0xa2, 0xa6},
        {0x28, 0xef, 0x49, 0x5c, 0x53, 0xa3, 0x87, 0xad}, {0x42, 0xc3, 0x41, 0xd8, 0xfa, 0x92, 0xd8, 0x32},
        {0xce, 0x7c, 0xf2, 0x72, 0x2f, 0x51, 0x27, 0x71}, {0xe3, 0x78, 0x59, 0xf9, 0x46, 0x23, 0xf3, 0xa7},
        {0x38, 0x12, 0x05, 0xbb, 0x1a, 0xb0, 0xe0, 0x12}, {0xae, 0x97, 0xa1, 0x0f, 0xd4, 0x34, 0xe0, 0x15},
        {0xb4, 0xa3, 0x15, 0x08, 0xbe, 0xff, 0x4d, 0x31}, {0x81, 0x39, 0x62, 0x29, 0xf0, 0x90, 0x79, 0x02},
        {0x4d, 0x0c, 0xf4, 0x9e, 0xe5, 0xd4, 0xdc, 0xca}, {0x5c, 0x73, 0x33, 0x6a, 0x76, 0xd8, 0xbf, 0x9a},
        {0xd0, 0xa7, 0x04, 0x53, 0x6b, 0xa9, 0x3e, 0x0e}, {0x92, 0x59, 0x58, 0xfc, 0xd6, 0x42, 0x0c, 0xad},
        {0xa9, 0x15, 0xc2, 0x9b, 0xc8, 0x06, 0x73, 0x18}, {0x95, 0x2b, 0x79, 0xf3, 0xbc, 0x0a, 0xa6, 0xd4},
        {0xf2, 0x1d, 0xf2, 0xe4, 0x1d, 0x45, 0x35, 0xf9}, {0x87, 0x57, 0x75, 0x19, 0x04, 0x8f, 0x53, 0xa9},
        {0x10, 0xa5, 0x6c, 0xf5, 0xdf, 0xcd, 0x9a, 0xdb}, {0xeb, 0x75, 0x09, 0x5c, 0xcd, 0x98, 0x6c, 0xd0},
        {0x51, 0xa9, 0xcb, 0x9e, 0xcb, 0xa3, 0x12, 0xe6}, {0x96, 0xaf, 0xad, 0xfc, 0x2c, 0xe6, 0x66, 0xc7},
        {0x72, 0xfe, 0x52, 0x97, 0x5a, 0x43, 0x64, 0xee}, {0x5a, 0x16, 0x45, 0xb2, 0x76, 0xd5, 0x92, 0xa1},
        {0xb2, 0x74, 0xcb, 0x8e, 0xbf, 0x87, 0x87, 0x0a}, {0x6f, 0x9b, 0xb4, 0x20, 0x3d, 0xe7, 0xb3, 0x81},
        {0xea, 0xec, 0xb2, 0xa3, 0x0b, 0x22, 0xa8, 0x7f}, {0x99, 0x24, 0xa4, 0x3c, 0xc1, 0x31, 0x57, 0x24},
        {0xbd, 0x83, 0x8d, 0x3a, 0xaf, 0xbf, 0x8d, 0xb7}, {0x0b, 0x1a, 0x2a, 0x32, 0x65, 0xd5, 0x1a, 0xea},
        {0x13, 0x50, 0x79, 0xa3, 0x23, 0x1c, 0xe6, 0x60}, {0x93, 0x2b, 0x28, 0x46, 0xe4, 0xd7, 0x06, 0x66},
        {0xe1, 0x91, 0x5f, 0x5c, 0xb1, 0xec, 0xa4, 0x6c}, {0xf3, 0x25, 0x96, 0x5c, 0xa1, 0x6d, 0x62, 0x9f},
        {0x57, 0x5f, 0xf2, 0x8e, 0x60, 0x38, 0x1b, 0xe5}, {0x72, 0x45, 0x06, 0xeb, 0x4c, 0x32, 0x8a, 0x95},
    };
    uint8_t key[16], msg[64];
    for (int i = 0; i < 16; i++)
        key[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++)
        msg[i] = (uint8_t)i;
    for (size_t n = 0; n < 64; n++) {
        uint64_t h = sh_siphash24(key, msg, n);
        for (int b = 0; b < 8; b++)
            assert_int_equal((uint8_t)(h >> (8 * b)), v[n][b]);
    }
}

static void siphash_equals_openssl(void **state)
{
    (void)state;
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "SIPHASH", NULL);
    assert_non_null(mac);
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    assert_non_null(ctx);
    size_t out_size = 8;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &out_size), OSSL_PARAM_construct_end()};
    uint8_t key[16], buf[100], out[8];
    for (int n = 0; n < 5000; n++) {
        /* Every other input with Qdrant's zero key. */
        if (n % 2)
            random_bytes(key, 16);
        else
            memset(key, 0, 16);
        size_t len = (size_t)(rng() % sizeof buf), got = 0;
        random_bytes(buf, len);
        assert_true(EVP_MAC_init(ctx, key, 16, params));
        assert_true(EVP_MAC_update(ctx, buf, len));
        assert_true(EVP_MAC_final(ctx, out, &got, sizeof out));
        assert_int_equal(got, 8);
        uint64_t h = sh_siphash24(key, buf, len);
        for (int b = 0; b < 8; b++)
            assert_int_equal((uint8_t)(h >> (8 * b)), out[b]);
    }
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
}

/* ---- Weaviate and UUIDs -------------------------------------------------- */

static void weaviate_token(void **state)
{
    (void)state;
    uint8_t u[16];
    /* routing.md §3.2's worked value (h1 of the UUID's bytes). */
    assert_int_equal(uuid_parse(BYTES("550e8400-e29b-41d4-a716-446655440000"), u), 0);
    assert_true(sr_weaviate_token(u) == 0x3b5bf956a6f9e187ull);
    /* The text form does not matter: Weaviate parses, then hashes bytes. */
    uint8_t v[16];
    assert_int_equal(uuid_parse(BYTES("550E8400E29B41D4A716446655440000"), v), 0);
    assert_true(sr_weaviate_token(v) == 0x3b5bf956a6f9e187ull);
}

static void uuid_text(void **state)
{
    (void)state;
    static const uint8_t want[16] = {0x55, 0x0e, 0x84, 0x00, 0xe2, 0x9b, 0x41, 0xd4,
                                     0xa7, 0x16, 0x44, 0x66, 0x55, 0x44, 0x00, 0x00};
    static const char *good[] = {
        "550e8400-e29b-41d4-a716-446655440000", "550E8400-E29B-41D4-A716-446655440000",
        "{550e8400-e29b-41d4-a716-446655440000}", "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
        "550e8400e29b41d4a716446655440000",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint8_t u[16];
        assert_int_equal(uuid_parse(good[i], strlen(good[i]), u), 0);
        assert_memory_equal(u, want, 16);
    }
    static const char *bad[] = {
        "",
        "550e8400-e29b-41d4-a716-44665544000",   /* 35 */
        "550e8400-e29b-41d4-a716-4466554400000", /* 37 */
        "550e8400-e29b-41d4-a716_446655440000",  /* separator */
        "550e8400e-29b-41d4-a716-446655440000",  /* hyphen moved */
        "550e8400-e29b-41d4-a716-44665544000g",  /* not hex */
        "{550e8400-e29b-41d4-a716-446655440000", /* unclosed */
        "URN:UUID:550e8400-e29b-41d4-a716-446655440000",
        "550e8400e29b41d4a71644665544000",       /* 31 digits */
        "550e8400-e29b41d4a716446655440000",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t u[16];
        assert_int_equal(uuid_parse(bad[i], strlen(bad[i]), u), -1);
    }
    char text[UUID_TEXT_LEN + 1];
    uuid_format(want, text);
    assert_string_equal(text, "550e8400-e29b-41d4-a716-446655440000");
    /* Round trip on random bytes. */
    for (int n = 0; n < 1000; n++) {
        uint8_t u[16], back[16];
        random_bytes(u, 16);
        uuid_format(u, text);
        assert_int_equal(strlen(text), UUID_TEXT_LEN);
        assert_int_equal(uuid_parse(text, UUID_TEXT_LEN, back), 0);
        assert_memory_equal(u, back, 16);
    }
}

static void uuid_from_ids(void **state)
{
    (void)state;
    /* SHA-256 bytes 0..15 with the version and variant set (Python's hashlib
     * and uuid.UUID computed these). */
    static const struct {
        const char *id;
        const char *uuid;
    } t[] = {
        {"vec_000000", "fc57c5b1-a67b-4b65-ab3a-47366d92f0a6"},
        {"vec_000042", "12fa0179-4251-4214-915d-26bcc06cc3a6"},
        {"", "e3b0c442-98fc-4c14-9afb-f4c8996fb924"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint8_t u[16];
        char text[UUID_TEXT_LEN + 1];
        uuid_from_id(t[i].id, strlen(t[i].id), u);
        uuid_format(u, text);
        assert_string_equal(text, t[i].uuid);
    }
    for (int n = 0; n < 1000; n++) {
        uint8_t id[20], u[16];
        random_bytes(id, sizeof id);
        uuid_from_id(id, sizeof id, u);
        assert_int_equal(u[6] >> 4, 4);
        assert_int_equal(u[8] >> 6, 2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_check_values),        cmocka_unit_test(crc_tables_equal_definitions),
        cmocka_unit_test(redis_slots),             cmocka_unit_test(redis_hash_tags),
        cmocka_unit_test(murmur3_32_vectors),      cmocka_unit_test(murmur3_32_streaming),
        cmocka_unit_test(es_hash_vectors),         cmocka_unit_test(es_hash_is_utf16le),
        cmocka_unit_test(es_routing_shards),       cmocka_unit_test(es_routing_bwc),
        cmocka_unit_test(milvus_hashes),           cmocka_unit_test(qdrant_point_to_shard),
        cmocka_unit_test(qdrant_serialisation_and_ring), cmocka_unit_test(cassandra_tokens),
        cmocka_unit_test(kafka_murmur2),           cmocka_unit_test(siphash_reference_vectors),
        cmocka_unit_test(siphash_equals_openssl),  cmocka_unit_test(weaviate_token),
        cmocka_unit_test(uuid_text),               cmocka_unit_test(uuid_from_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
