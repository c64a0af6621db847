#include "rmod.h"

#include <assert.h>

rmod_t rmod_init(uint32_t d)
{
    assert(d > 0);
    rmod_t r = {0, 0, d};
#ifdef __SIZEOF_INT128__
    typedef unsigned __int128 u128;
    /* floor((2^128 - 1) / d) + 1 = ceil(2^128 / d) for every d >= 2; for
     * d = 1 it wraps to 0, which gives remainder 0 as it should. */
    u128 c = ~(u128)0 / d + 1;
    r.c_lo = (uint64_t)c;
    r.c_hi = (uint64_t)(c >> 64);
#endif
    return r;
}
