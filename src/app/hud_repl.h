/* hud_repl — replication in the HUD: crashed nodes drawn where they stood
 * (grey outline, red cross, "crashed"), and each zoned node's cloud ringed
 * by a dashed ring in its zone's colour, so a zone is one colour around
 * the circle (labels name the zone in it; the legend lists them).
 *
 * Reads the app state, a pane and its scene's ghosts (scene_repl.h); draws into the
 * given batch; allocates nothing.
 */
#ifndef RINGSCOPE_HUD_REPL_H
#define RINGSCOPE_HUD_REPL_H

#include "app.h"

/* Colour of zone index z (0xRRGGBBAA, alpha as given). */
uint32_t hud_repl_zone_rgba(uint32_t z, float alpha);
/* A zone's ring of radius r round (cx, cy): dashed, in colour c. */
void hud_repl_zone_ring(draw_t *d, float cx, float cy, float r, float u, uint32_t c);
/* The zone index of the node in slot, -1 if it has none. */
int hud_repl_zone_index(const pane_t *p, uint16_t slot);
/* "12.3 µs", "4.56 ms", "1.2 s": a transfer time. */
void hud_repl_seconds(char *out, size_t n, double s);
/* The replication line under the title: replicas, then each figure only
 * when it is not zero — the bytes the last change copied and their
 * transfer time, the keys lost in all, the under-replicated keys, the
 * real-time scale when on ("replicas 3  ·  copied 3.9 MB in 1.09 ms");
 * returns its colour. */
uint32_t hud_repl_line(const app_t *a, const pane_t *p, char *out, size_t n);
/* Compare mode: a pane's own replication figures beside its strategy's
 * name (bytes copied by the last change, lost in all, under-replicated,
 * each only when not zero); "" when off or all zero. Returns its colour. */
uint32_t hud_repl_pane_tag(const pane_t *p, char *out, size_t n);
/* The crash button's label: "Recover" when nothing is selected and a node
 * has crashed (it brings the last one back), else "Crash". */
const char *hud_repl_crash_text(const app_t *a);
/* Zone rings and crashed nodes; drawn under the node labels. */
void hud_repl_nodes(app_t *a, const pane_t *p, draw_t *d);

#endif
