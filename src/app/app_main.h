/* app_main — the desktop entry points: the visualizer's loop and the
 * `record` command. Each takes the whole argv and returns an exit code
 * (cmd.h: 0 ok, 2 usage, 1 failure); messages go to stderr. */
#ifndef RINGSCOPE_APP_MAIN_H
#define RINGSCOPE_APP_MAIN_H

/* ringscope [options]: opens the window and runs until closed.
 * RINGSCOPE_QUIT_AFTER_FRAMES=N quits after N frames (smoke tests). */
int app_main(int argc, char **argv);

/* ringscope record --out FILE.png [options]: renders a scenario headless. */
int cmd_record(int argc, char **argv);

#endif
