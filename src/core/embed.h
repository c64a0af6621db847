/* embed — the embedding vectors, derived on demand instead of stored.
 *
 * Vector i is dim float32 values drawn from a standard normal distribution
 * by a counter-based generator keyed by (seed, i), then L2-normalised; the
 * same (seed, i, dim) always gives the same vector, on every platform.
 * Placement never depends on vectors (DESIGN §1); the renderer uses them to
 * lay out each node's particle cloud. No allocation, no state.
 */
#ifndef RINGSCOPE_EMBED_H
#define RINGSCOPE_EMBED_H

#include <stddef.h>
#include <stdint.h>

/* Writes vector index into out[dim]. */
void embed_vector(uint64_t seed, uint64_t index, uint32_t dim, float *out);

/* The first two components of the vector, cheaply, for layout. */
void embed_vector2(uint64_t seed, uint64_t index, uint32_t dim, float out[2]);

#endif
