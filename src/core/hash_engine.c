/* The single-block SHA-256 fast path and its engines; see hash_engine.h. */
#include "hash_engine.h"

#include "keyid.h"
#include "ossl.h"
#include "sha256.h"
#include "sha256_x86.h"

#include <assert.h>
#include <stdatomic.h>
#include <string.h>


/* Atomic so worker threads that hash can read what the main thread chose
 * (relaxed is enough: the value is all there is to see). */
static _Atomic int engine_current = HASH_ENGINE_AUTO;

int hash_engine_available(hash_engine_t e)
{
    switch (e) {
    case HASH_ENGINE_AUTO:
    case HASH_ENGINE_PORTABLE:
        return 1;
    case HASH_ENGINE_SHANI:
        return sha256_x86_supported();
    case HASH_ENGINE_OPENSSL:
        return ossl_get() != NULL;
    default:
        return 0;
    }
}

static hash_engine_t engine_fastest(void)
{
    return sha256_x86_supported() ? HASH_ENGINE_SHANI : HASH_ENGINE_PORTABLE;
}

int hash_engine_set(hash_engine_t e)
{
    if (!hash_engine_available(e))
        return -1;
    atomic_store_explicit(&engine_current, (int)(e == HASH_ENGINE_AUTO ? engine_fastest() : e),
                          memory_order_relaxed);
    return 0;
}

hash_engine_t hash_engine_get(void)
{
    int e = atomic_load_explicit(&engine_current, memory_order_relaxed);
    if (e == HASH_ENGINE_AUTO) {
        /* Racing first calls all store the same answer. */
        e = (int)engine_fastest();
        atomic_store_explicit(&engine_current, e, memory_order_relaxed);
    }
    return (hash_engine_t)e;
}

const char *hash_engine_name(hash_engine_t e)
{
    static const char *const names[HASH_ENGINE_COUNT] = {"auto", "portable", "sha-ni", "openssl"};
    return (unsigned)e < HASH_ENGINE_COUNT ? names[e] : "?";
}

static uint64_t compress_head64(hash_engine_t e, const uint8_t block[64])
{
    uint32_t state[8];
    memcpy(state, sha256_iv, sizeof state);
    if (e == HASH_ENGINE_SHANI)
        sha256_x86_compress(state, block);
    else
        sha256_compress_portable(state, block);
    return sha256_state_head64(state);
}

/* Only called while the openssl engine is selected, so OpenSSL is open. */
static uint64_t openssl_head64(const void *data, size_t len)
{
    uint8_t d[32];
    ossl_get()->sha256(data, len, d);
    return sha256_digest_head64(d);
}

uint64_t hash64_short(const void *data, size_t len)
{
    assert(len <= SHA256_SHORT_MAX);
    hash_engine_t e = hash_engine_get();
    if (e == HASH_ENGINE_OPENSSL)
        return openssl_head64(data, len);
    uint8_t block[64];
    sha256_pad_short(data, len, block);
    return compress_head64(e, block);
}

/* ---- runs of key ids ------------------------------------------------------ */

void hash_keys(uint64_t first, size_t n, uint64_t *out)
{
    if (n == 0)
        return;
    hash_engine_t e = hash_engine_get();
    keyid_block_t k; /* "key:vec_%06d" padded for SHA-256 (big-endian length) */
    keyid_block_set(&k, first, 1, 1);
    size_t i = 0;
    if (e == HASH_ENGINE_SHANI) {
        /* Two keys per call: the interleaved compression is ~1.7x faster. */
        uint8_t b0[64], b1[64];
        for (; i + 2 <= n; i += 2) {
            uint32_t s0[8], s1[8];
            memcpy(b0, k.b, 64);
            keyid_block_next(&k, first + i + 1);
            memcpy(b1, k.b, 64);
            keyid_block_next(&k, first + i + 2);
            memcpy(s0, sha256_iv, sizeof s0);
            memcpy(s1, sha256_iv, sizeof s1);
            sha256_x86_compress2(s0, b0, s1, b1);
            out[i] = sha256_state_head64(s0);
            out[i + 1] = sha256_state_head64(s1);
        }
    }
    for (; i < n; i++) {
        if (e == HASH_ENGINE_OPENSSL)
            out[i] = openssl_head64(k.b, k.len);
        else
            out[i] = compress_head64(e, k.b);
        keyid_block_next(&k, first + i + 1);
    }
}
