/* grow — the renderer's one rule for arrays that grow on changes: doubling
 * from 1024 elements until n fit, the contents kept. Used by the scene's
 * CPU mirrors (scene_repl, scene_lumps); never on a frame.
 *
 * Memory: *p is realloc'ed (the caller frees it). Errors: -1 without
 * memory, *p and *cap then as they were.
 */
#ifndef RINGSCOPE_GROW_H
#define RINGSCOPE_GROW_H

#include <stdlib.h>

static inline int grow(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < n)
        c *= 2;
    void *q = realloc(*p, c * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

#endif
