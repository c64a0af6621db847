/* fuzz_check — small helpers shared by the fuzz targets.
 *
 * FUZZ_CHECK aborts with a message when a property fails, so libFuzzer keeps
 * the input as a crash artifact. fuzz_message_ok holds user-facing messages
 * to what a terminal can show safely: non-empty, valid UTF-8, no control
 * bytes (bad input must come back quoted, never raw).
 */
#ifndef RINGSCOPE_FUZZ_CHECK_H
#define RINGSCOPE_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...)                                                                                \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__, __LINE__, #cond);                      \
            fprintf(stderr, __VA_ARGS__);                                                                    \
            fputc('\n', stderr);                                                                             \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

/* 1 if s is non-empty, valid UTF-8 and free of C0/DEL/C1 control characters. */
static inline int fuzz_message_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!*p)
        return 0;
    while (*p) {
        uint32_t c;
        size_t n;
        if (p[0] < 0x80)
            c = p[0], n = 1;
        else if ((p[0] & 0xE0) == 0xC0)
            c = p[0] & 0x1Fu, n = 2;
        else if ((p[0] & 0xF0) == 0xE0)
            c = p[0] & 0x0Fu, n = 3;
        else if ((p[0] & 0xF8) == 0xF0)
            c = p[0] & 0x07u, n = 4;
        else
            return 0;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (p[i] & 0x3Fu);
        }
        static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
            return 0;
        p += n;
    }
    return 1;
}

#endif
