/* oklab — the perceptual colour distance the render tests hold colours to:
 * Euclidean in OKLab (Ottosson 2020), from 8-bit sRGB. Its just noticeable
 * difference is about 0.02 (colour.js's deltaEOK). Header only, no state. */
#ifndef RINGSCOPE_TEST_OKLAB_H
#define RINGSCOPE_TEST_OKLAB_H

#include <math.h>
#include <stdint.h>

typedef struct oklab {
    double l, a, b;
} oklab_t;

static inline double oklab_lin(uint8_t c)
{
    double x = c / 255.0;
    return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4);
}

static inline oklab_t oklab_of(const uint8_t c[3])
{
    double r = oklab_lin(c[0]), g = oklab_lin(c[1]), b = oklab_lin(c[2]);
    double l = cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
    double m = cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
    double s = cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
    return (oklab_t){0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
                     1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
                     0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s};
}

/* OKLab ΔE between two 8-bit sRGB colours. */
static inline double oklab_delta(const uint8_t x[3], const uint8_t y[3])
{
    oklab_t p = oklab_of(x), q = oklab_of(y);
    return sqrt((p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b));
}

#endif
