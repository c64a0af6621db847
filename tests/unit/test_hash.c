/* hash64 and SHA-256: check values of DESIGN §1, and the portable SHA-256
 * held equal to OpenSSL's on many random inputs of length 0..300. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/sha.h>
#include <string.h>

#include "hash.h"
#include "keyid.h"
#include "sha256.h"

static void check_values(void **state)
{
    (void)state;
    assert_true(hash64("", 0) == 16406829232824261652ull);
    assert_true(hash64("key:vec_000000", 14) == 12194541648101354179ull);
    assert_true(hash64("node:nodeA#vnode:0", 18) == 6804487152355121759ull);
    assert_true(hash64_portable("", 0) == 16406829232824261652ull);
    assert_true(hash64_portable("key:vec_000000", 14) == 12194541648101354179ull);
    assert_true(hash64_portable("node:nodeA#vnode:0", 18) == 6804487152355121759ull);
    const char *engine = hash_backend();
    assert_true(strcmp(engine, "sha-ni") == 0 || strcmp(engine, "portable") == 0 || strcmp(engine, "openssl") == 0);
}

#include "test_rng.h"

static void portable_equals_openssl(void **state)
{
    (void)state;
    uint8_t buf[300], a[32], b[32];
    for (int n = 0; n < 20000; n++) {
        size_t len = (size_t)(rng() % 301);
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rng();
        SHA256(buf, len, a);
        sha256_portable(buf, len, b);
        assert_memory_equal(a, b, 32);
        assert_true(hash64(buf, len) == hash64_portable(buf, len));
    }
}

static void streaming_matches_one_shot(void **state)
{
    (void)state;
    uint8_t buf[1000], a[32], b[32];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    sha256_portable(buf, sizeof buf, a);
    /* Feed in uneven pieces across block boundaries. */
    sha256_ctx_t ctx;
    sha256_init(&ctx);
    size_t off = 0, step = 1;
    while (off < sizeof buf) {
        size_t n = step < sizeof buf - off ? step : sizeof buf - off;
        sha256_update(&ctx, buf + off, n);
        off += n;
        step = step * 3 % 97 + 1;
    }
    sha256_final(&ctx, b);
    assert_memory_equal(a, b, 32);
}

static void key_text(void **state)
{
    (void)state;
    char buf[32];
    assert_int_equal(keyid_text(42, buf), 14);
    assert_string_equal(buf, "key:vec_000042");
    keyid_text(1000000, buf);
    assert_string_equal(buf, "key:vec_1000000");
    keyid_text(0, buf);
    assert_string_equal(buf, "key:vec_000000");
    assert_true(hash_key(0) == 12194541648101354179ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_values),
        cmocka_unit_test(portable_equals_openssl),
        cmocka_unit_test(streaming_matches_one_shot),
        cmocka_unit_test(key_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
