#include "embed.h"

#include <math.h>

/* splitmix64: a strong 64-bit mixer, so (seed, index, counter) -> bits is a
 * stateless, seekable stream. */
static uint64_t mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* Uniform in (0, 1]: never 0, so log() below is finite. */
static double uniform(uint64_t bits) { return ((double)(bits >> 11) + 1.0) * (1.0 / 9007199254740992.0); }

static uint64_t stream_key(uint64_t seed, uint64_t index) { return mix64(mix64(seed) ^ mix64(~index)); }

/* Box-Muller pair k of the stream. */
static void gauss_pair(uint64_t key, uint64_t k, double *a, double *b)
{
    double u1 = uniform(mix64(key + 2 * k)), u2 = uniform(mix64(key + 2 * k + 1));
    double r = sqrt(-2.0 * log(u1)), t = 6.283185307179586 * u2;
    *a = r * cos(t);
    *b = r * sin(t);
}

void embed_vector(uint64_t seed, uint64_t index, uint32_t dim, float *out)
{
    uint64_t key = stream_key(seed, index);
    double norm2 = 0.0;
    for (uint32_t i = 0; i < dim; i += 2) {
        double a, b;
        gauss_pair(key, i / 2, &a, &b);
        out[i] = (float)a;
        norm2 += a * a;
        if (i + 1 < dim) {
            out[i + 1] = (float)b;
            norm2 += b * b;
        }
    }
    /* The reference adds 1e-12 to the norm to avoid dividing by zero. */
    double inv = 1.0 / (sqrt(norm2) + 1e-12);
    for (uint32_t i = 0; i < dim; i++)
        out[i] = (float)(out[i] * inv);
}

void embed_vector2(uint64_t seed, uint64_t index, uint32_t dim, float out[2])
{
    /* The norm needs every component; recompute them without storing. */
    uint64_t key = stream_key(seed, index);
    double norm2 = 0.0, first = 0.0, second = 0.0;
    for (uint32_t i = 0; i < dim; i += 2) {
        double a, b;
        gauss_pair(key, i / 2, &a, &b);
        if (i == 0) {
            first = (float)a;
            second = (float)b;
        }
        norm2 += a * a;
        if (i + 1 < dim)
            norm2 += b * b;
    }
    if (dim < 2)
        second = 0.0;
    double inv = 1.0 / (sqrt(norm2) + 1e-12);
    out[0] = (float)(first * inv);
    out[1] = (float)(second * inv);
}
