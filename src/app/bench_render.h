/* bench_render — the renderer's figures for `ringscope bench` (cmd.h's
 * bench_render_hook): starts an offscreen 1280x720 app with `particles`
 * embeddings, measures, shuts it down. 0, or -1 with the reason in
 * out->backend. Desktop only (needs SDL's offscreen driver). */
#ifndef RINGSCOPE_BENCH_RENDER_H
#define RINGSCOPE_BENCH_RENDER_H

#include <stdint.h>

#include "cmd.h"

int app_bench_render(uint64_t particles, int quick, bench_render_t *out);

#endif
