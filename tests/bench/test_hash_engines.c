/* Every SHA-256 engine of hash_engine agrees with OpenSSL: single blocks of
 * random states and data, hash64 of every short length, and runs of key ids
 * across digit carries (999999 -> 1000000), one call and batched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "keyid.h"
#include "hash_engine.h"
#include "sha256.h"
#include "sha256_x86.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t openssl_hash64(const void *data, size_t len)
{
    uint8_t d[32];
    SHA256(data, len, d);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | d[i];
    return v;
}

static void x86_compress_matches_portable(void **state)
{
    (void)state;
    if (!sha256_x86_supported())
        skip();
    for (int n = 0; n < 2000; n++) {
        uint32_t a[8], b[8], c[8], d[8];
        uint8_t block[64], block2[64];
        for (int i = 0; i < 8; i++)
            a[i] = b[i] = c[i] = (uint32_t)rng();
        for (int i = 0; i < 64; i++)
            block[i] = (uint8_t)rng(), block2[i] = (uint8_t)rng();
        memcpy(d, a, sizeof d);
        sha256_compress_portable(a, block);
        sha256_x86_compress(b, block);
        assert_memory_equal(a, b, sizeof a);
        sha256_compress_portable(d, block2);
        sha256_x86_compress2(c, block, b, block2);
        assert_memory_equal(a, c, sizeof a);
        /* b went through block, then block2: compare with the portable chain. */
        sha256_compress_portable(a, block2);
        assert_memory_equal(a, b, sizeof a);
    }
}

static void each_engine_hashes_short_strings(void **state)
{
    (void)state;
    for (int e = HASH_ENGINE_PORTABLE; e < HASH_ENGINE_COUNT; e++) {
        if (hash_engine_set((hash_engine_t)e) != 0)
            continue;
        assert_int_equal(hash_engine_get(), e);
        uint8_t buf[SHA256_SHORT_MAX];
        for (int n = 0; n < 5000; n++) {
            size_t len = (size_t)(rng() % (SHA256_SHORT_MAX + 1));
            for (size_t i = 0; i < len; i++)
                buf[i] = (uint8_t)rng();
            assert_true(hash64_short(buf, len) == openssl_hash64(buf, len));
            assert_true(hash64(buf, len) == openssl_hash64(buf, len));
        }
    }
    assert_int_equal(hash_engine_set(HASH_ENGINE_AUTO), 0);
    assert_int_not_equal(hash_engine_get(), HASH_ENGINE_AUTO);
}

static void check_run(uint64_t first, size_t n)
{
    uint64_t out[300];
    assert_true(n <= 300);
    hash_keys(first, n, out);
    for (size_t i = 0; i < n; i++) {
        char text[32];
        size_t len = keyid_text(first + i, text);
        assert_true(out[i] == openssl_hash64(text, len));
        assert_true(hash_key(first + i) == out[i]);
    }
}

static void each_engine_hashes_key_runs(void **state)
{
    (void)state;
    static const uint64_t starts[] = {0, 1, 998, 999900, 999999, 9999990, 99999901, 199999999, 4294967200ull};
    for (int e = HASH_ENGINE_PORTABLE; e < HASH_ENGINE_COUNT; e++) {
        if (hash_engine_set((hash_engine_t)e) != 0)
            continue;
        for (size_t s = 0; s < sizeof starts / sizeof *starts; s++)
            for (size_t n = 0; n < 7; n++)
                check_run(starts[s], n);      /* odd and even lengths */
        for (size_t s = 0; s < sizeof starts / sizeof *starts; s++)
            check_run(starts[s] > 150 ? starts[s] - 150 : starts[s], 300);
    }
    assert_true(hash_key(0) == 12194541648101354179ull);
    hash_engine_set(HASH_ENGINE_AUTO);
}

static void names_and_availability(void **state)
{
    (void)state;
    assert_string_equal(hash_engine_name(HASH_ENGINE_SHANI), "sha-ni");
    assert_string_equal(hash_engine_name(HASH_ENGINE_PORTABLE), "portable");
    assert_string_equal(hash_engine_name(HASH_ENGINE_OPENSSL), "openssl");
    assert_true(hash_engine_available(HASH_ENGINE_PORTABLE));
    assert_int_equal(hash_engine_available(HASH_ENGINE_SHANI), sha256_x86_supported());
    if (!sha256_x86_supported())
        assert_int_equal(hash_engine_set(HASH_ENGINE_SHANI), -1);
    printf("# sha-ni on this CPU: %s\n", sha256_x86_supported() ? "yes" : "no");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(x86_compress_matches_portable),
        cmocka_unit_test(each_engine_hashes_short_strings),
        cmocka_unit_test(each_engine_hashes_key_runs),
        cmocka_unit_test(names_and_availability),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
