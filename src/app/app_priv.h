/* app_priv — what the app's own files share (app.c lifecycle and frame,
 * app_cmd.c commands, app_input.c events, app_json.c state); no other
 * module includes it.
 *
 * `app` is the one state struct (sokol-style); its owner is app.c.
 */
#ifndef RINGSCOPE_APP_PRIV_H
#define RINGSCOPE_APP_PRIV_H

#include "app.h"
#include "rs_limits.h"

#ifdef __EMSCRIPTEN__
#define APP_MAX_VECTORS RS_MAX_VECTORS_WEB
#else
#define APP_MAX_VECTORS RS_MAX_VECTORS
#endif

extern app_t app;

/* A message on screen for a while (fmt takes one string). */
void app_toast(int error, const char *fmt, const char *arg);
/* A playing script waits at least this long from now. */
void app_settle_after(float seconds);
/* More embeddings than this platform holds: says so in err (-1), else 0. */
int app_vectors_too_many(uint64_t n, char *err, size_t err_size);
/* Selects the next (+1) or previous (-1) node of the focused pane. */
void app_select_next(int dir);

#endif
