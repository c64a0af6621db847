/* app_priv — what the app's own files share (app.c lifecycle and frame,
 * app_cmd.c commands, app_input.c events, app_json.c state); no other
 * module includes it.
 *
 * There is no shared state here: the one app_t is static to app.c
 * (sokol style), which passes it to the functions below.
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

/* A message on screen for a while (fmt takes one string). */
void app_toast(app_t *a, int error, const char *fmt, const char *arg);
/* A playing script waits at least this long from now. */
void app_settle_after(app_t *a, float seconds);
/* More embeddings than this platform holds: says so in err (-1), else 0. */
int app_vectors_too_many(uint64_t n, char *err, size_t err_size);
/* The vnodes controls do nothing under the strategies shown (none places
 * vnodes): says why in a toast and returns 1; else 0. */
int app_vnodes_refused(app_t *a);
/* Quits, saving an unsaved session first (its file is named on stderr);
 * ask: Esc's way, which first asks with a toast and quits on a second Esc
 * within APP_QUIT_ASK seconds. A session that cannot be saved keeps the
 * app open after Esc (the toast says why); a closed window quits anyway. */
#define APP_QUIT_ASK 4.0
void app_quit_request(app_t *a, int ask);
/* Selects the next (+1) or previous (-1) node of the focused pane. */
void app_select_next(app_t *a, int dir);

/* app_cmd.c: app_apply and app_run_command on a. */
const char *app_cmd_apply(app_t *a, const scn_cmd_t *cmd);
const char *app_cmd_run(app_t *a, const char *line);
/* app_input.c: app_event on a. */
void app_input_event(app_t *a, const SDL_Event *e);
/* app_json.c: app_state_json of a. */
const char *app_json_state(app_t *a);

#endif
