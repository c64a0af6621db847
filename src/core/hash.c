#include "hash.h"

#include "hash_engine.h"
#include "keyid.h"
#include "ossl.h"
#include "sha256.h"

#include <string.h>

void hash_sha256(const void *data, size_t len, uint8_t out[32])
{
    /* OpenSSL's one-shot call (it skips EVP's per-call provider lookup),
     * opened on first use; the portable code where there is none. */
    const ossl_t *o = ossl_get();
    if (o)
        o->sha256(data, len, out);
    else
        sha256_portable(data, len, out);
}

const char *hash_backend(void) { return hash_engine_name(hash_engine_get()); }

uint64_t hash64(const void *data, size_t len)
{
    /* Placement strings fit one SHA-256 block: the single-compression fast
     * path (SHA-NI where the CPU has it) is several times cheaper than a
     * general one-shot call. */
    if (len <= SHA256_SHORT_MAX)
        return hash64_short(data, len);
    uint8_t d[32];
    hash_sha256(data, len, d);
    return sha256_digest_head64(d);
}

uint64_t hash64_portable(const void *data, size_t len)
{
    if (len <= SHA256_SHORT_MAX) {
        uint8_t block[64];
        uint32_t state[8];
        sha256_pad_short(data, len, block);
        memcpy(state, sha256_iv, sizeof state);
        sha256_compress_portable(state, block);
        return sha256_state_head64(state);
    }
    uint8_t d[32];
    sha256_portable(data, len, d);
    return sha256_digest_head64(d);
}

uint64_t hash_key(uint64_t index)
{
    char buf[32];
    size_t len = keyid_text(index, buf);
    return hash64(buf, len);
}
