/* strip — the ring's strips: a row of texels sampled along the visible part
 * of the ring, each in the colour of a node, read by the band shader. The
 * ownership band (scene.c) and a structure's cell ring (sst.c) are both
 * strips; this module holds what they share: the visible range, where each
 * texel samples the ring, a node's texel and the texture itself.
 *
 * Pure functions over a view and the scene's node table, except
 * strip_texture, which creates a GL texture the caller owns (delete it with
 * glDeleteTextures). No errors.
 */
#ifndef RINGSCOPE_STRIP_H
#define RINGSCOPE_STRIP_H

#include <GLES3/gl3.h>
#include <stdint.h>

#include "scene_node.h"
#include "view.h"

/* A strip texture: width x 2 RGBA8 (previous and current rows), nearest,
 * clamped. */
GLuint strip_texture(int width);

/* The turns from the view's reference the strips cover, [*a0, *a1): the
 * whole ring when its centre is in or near the view, else the angular
 * extent of the view (a little padded). */
void strip_visible(const view_t *v, double *a0, double *a1);

/* Ring position at the centre of texel k of a strip of n texels over turns
 * [a0, a1) from the view's reference. */
uint64_t strip_pos(const view_t *v, double a0, double a1, int k, int n);

/* Writes node slot's colour from the node table into an RGBA8 texel with
 * alpha 0; no node (slot >= RS_MAX_NODES, e.g. RING_NONE): a dark texel,
 * returning -1. */
int strip_texel(const scene_node_t *nodes, uint16_t slot, uint8_t *t);

#endif
