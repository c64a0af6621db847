#include "ossl.h"

#if defined(RINGSCOPE_HAVE_OPENSSL) && defined(RINGSCOPE_LIBCRYPTO)

#include <dlfcn.h>
#include <pthread.h>

static ossl_t ossl_fns;
static int ossl_ok;
static pthread_once_t ossl_once = PTHREAD_ONCE_INIT;

static void ossl_open(void)
{
    /* Kept open for the life of the process (never dlclose'd). */
    void *lib = dlopen(RINGSCOPE_LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return;
    /* POSIX lets a data pointer from dlsym become a function pointer. */
    *(void **)&ossl_fns.sha256 = dlsym(lib, "SHA256");
    *(void **)&ossl_fns.evp_digest = dlsym(lib, "EVP_Digest");
    *(void **)&ossl_fns.evp_md5 = dlsym(lib, "EVP_md5");
    ossl_ok = ossl_fns.sha256 && ossl_fns.evp_digest && ossl_fns.evp_md5;
}

const ossl_t *ossl_get(void)
{
    pthread_once(&ossl_once, ossl_open);
    return ossl_ok ? &ossl_fns : NULL;
}

#else

const ossl_t *ossl_get(void) { return NULL; }

#endif
