/* ossl — OpenSSL's libcrypto, opened on first use.
 *
 * Placement hashes its short strings itself (hash_engine: SHA-NI or
 * portable); OpenSSL hashes the rare long one (a node id of more than ~40
 * bytes with its vnode suffix) and is the benchmarks' baseline (one-shot
 * SHA-256, EVP MD5). Loading libcrypto costs about 0.6 ms at start-up, a
 * third of `ringscope sim --vectors 0`, so the executable does not link
 * it: the first call that needs it opens it (RINGSCOPE_LIBCRYPTO, e.g.
 * libcrypto.so.3, the library the build found) and keeps it.
 *
 * ossl_get() returns its functions, or NULL where it cannot be opened or
 * the build has no OpenSSL (WebAssembly): callers then use the portable
 * code, which the tests hold equal to OpenSSL's. Safe to call from any
 * thread. Nothing to free.
 */
#ifndef RINGSCOPE_OSSL_H
#define RINGSCOPE_OSSL_H

#include <stddef.h>

typedef struct ossl {
    /* SHA256(): the one-shot digest of n bytes into md[32]. */
    unsigned char *(*sha256)(const unsigned char *data, size_t n, unsigned char *md);
    /* EVP_Digest() and EVP_md5(), with OpenSSL's types left opaque. */
    int (*evp_digest)(const void *data, size_t n, unsigned char *md, unsigned int *size, const void *type,
                      void *engine);
    const void *(*evp_md5)(void);
} ossl_t;

const ossl_t *ossl_get(void);

#endif
