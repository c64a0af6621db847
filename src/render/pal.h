/* pal — node colours: distinguishable on a dark background, stable per node.
 *
 * A node's colour is chosen by its order of addition (ring_node_t.seq), so a
 * node keeps its colour while others come and go. The first 12 are picked by
 * hand; beyond that hues follow the golden angle with alternating lightness.
 * Pure functions, no state, no allocation.
 */
#ifndef RINGSCOPE_PAL_H
#define RINGSCOPE_PAL_H

#include <stdint.h>

typedef struct pal_rgb {
    float r, g, b;
} pal_rgb_t;

#define PAL_FIXED 12

pal_rgb_t pal_color(uint64_t seq);

/* The same colour as 8-bit channels (what a pixel test expects). */
void pal_color8(uint64_t seq, uint8_t out[3]);

#endif
