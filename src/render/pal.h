/* pal — node colours: a function of the node's id alone, so a node keeps its
 * colour across removal and re-adding, a crash and recovery, saved sessions
 * and compare panes, and distinguishable on the dark background as nodes
 * grow.
 *
 * The colours form a table of PAL_SIZE entries (made by pal_gen.py) in
 * which every run of n consecutive entries, read cyclically, is spread
 * apart in a perceptual colour space (OKLab): the first five entries
 * differ by at least 0.2 ΔE, any 11 consecutive ones by at least 0.075,
 * any 32 by 0.05 (tests/render/test_pal.c measures it). An id picks its
 * entry by its counter: ids that end in one (nodeA, nodeB, …, nodeAA; a1,
 * node12, redis-7001) take consecutive entries in counter order, shifted by
 * a hash of the rest (the stem), so a family of ids reads as a run; the
 * app's own names (nodeA, nodeF, …) start at the table's first entry. An id
 * without a counter takes the entry its hash picks, and two such ids can
 * share a colour.
 *
 * Pure functions, no state, no allocation, no errors.
 */
#ifndef RINGSCOPE_PAL_H
#define RINGSCOPE_PAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct pal_rgb {
    float r, g, b;
} pal_rgb_t;

#define PAL_SIZE 64

/* The table entry of node id (len bytes), 0 .. PAL_SIZE-1. */
uint32_t pal_index(const char *id, size_t len);
/* Entry k (mod PAL_SIZE) as 8-bit channels. */
void pal_entry8(uint32_t k, uint8_t out[3]);

/* Node id's colour, and the same as 8-bit channels (what a pixel test
 * expects). */
pal_rgb_t pal_node(const char *id, size_t len);
void pal_node8(const char *id, size_t len, uint8_t out[3]);

#endif
