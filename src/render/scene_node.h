/* scene_node — one row of the scene's node table: where a node's cloud is
 * (sliding from old to new with scene_ease) and its colour, laid out as the
 * shaders read it (two RGBA32F texels per slot), and the easing shared with
 * the shaders.
 *
 * The scene owns the table (scene_t.nodes, written by scene_node_set); the
 * strategy overlays (sst) and the strips (strip.h) are lent it to paint
 * nodes in the same colours. Plain types, no allocation, no errors.
 */
#ifndef RINGSCOPE_SCENE_NODE_H
#define RINGSCOPE_SCENE_NODE_H

#include <math.h>

typedef struct scene_node {
    float old_x, old_y, new_x, new_y;
    float r, g, b, alive;
} scene_node_t;

/* Easing shared with the shaders (cubic in-out on [0, 1]). */
static inline float scene_ease(float t)
{
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return t < 0.5f ? 4 * t * t * t : 1 - powf(-2 * t + 2, 3) * 0.5f;
}

#endif
