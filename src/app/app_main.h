/* app_main — the desktop entry points: the visualizer's loop and the
 * `record` command. Each takes the whole argv and returns an exit code
 * (cmd.h: 0 ok, 2 usage, 1 failure); messages go to stderr. */
#ifndef RINGSCOPE_APP_MAIN_H
#define RINGSCOPE_APP_MAIN_H

#include "cmd.h"

/* ringscope [options]: opens the window and runs until closed.
 * RINGSCOPE_QUIT_AFTER_FRAMES=N quits after N frames (smoke tests). */
int app_main(int argc, char **argv);

/* ringscope record --out FILE.png [options]: renders a scenario headless. */
int cmd_record(int argc, char **argv);

/* The desktop executable runs its headless commands without loading the
 * window system: the front end (SDL, GL, X11, audio and all) is a module
 * beside it, RINGSCOPE_APP_MODULE (ringscope-app.so), which it loads only
 * for the visualizer, `record` and bench's renderer figures, and whose
 * entry points it finds in one table under APP_ENTRY_SYMBOL. */
#define APP_ENTRY_SYMBOL "ringscope_app_entry"
#define APP_ENTRY_VERSION 1u

typedef struct app_entry {
    unsigned version;                               /* APP_ENTRY_VERSION */
    int (*app_main)(int argc, char **argv);
    int (*cmd_record)(int argc, char **argv);
    bench_render_fn bench_render;                   /* cmd.h's bench_render_hook */
} app_entry_t;

#endif
