/* The desktop platform layer: parses options, owns the event loop and the
 * clock, and calls the app's callbacks. A browser build replaces this file
 * with one that hands app_frame to emscripten_set_main_loop. */
#include "app.h"
#include "app_main.h"
#include "cmd.h"
#include "live.h"
#include "loop.h"
#include "opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf("usage: ringscope [options]\n"
           "\n"
           "Opens the visualizer: the hash ring, its nodes and every embedding.\n"
           "Press H in the window for the controls.\n"
           "\n");
    /* Defaults and strategy names from the tables (opts.h). */
    opts_help_setup(stdout);
    opts_help_strategy(stdout, "", ", ", "", 81);
    printf("  --compare S1,S2    2 to 4 strategies side by side, every change in each (C)\n"
           "  --script FILE      scenario to play, one command after another\n"
           "  --do \"CMD\"         one more command, after the script (repeatable)\n"
           "  --size WxH         window size (default 1280x720)\n"
           "  --rec-fps N        frame rate of live recordings, F9 (1..60, default 30)\n");
}

/* SDL 2.26 quietly falls back to its offscreen driver when there is no
 * display, and the app would run invisibly. A driver the user names in
 * SDL_VIDEODRIVER (offscreen for tests) is respected. 0, or -1 with a
 * message. */
static int check_display(char *err, size_t err_size)
{
    const char *asked = SDL_getenv("SDL_VIDEODRIVER");
    if (asked && *asked)
        return 0;
    const char *x = SDL_getenv("DISPLAY"), *wl = SDL_getenv("WAYLAND_DISPLAY");
    if ((!x || !*x) && (!wl || !*wl)) {
        snprintf(err, err_size, "no display (DISPLAY and WAYLAND_DISPLAY are unset): run it in a desktop "
                                "session, or render headless with ringscope record");
        return -1;
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(err, err_size, "no display (%s): run it in a desktop session, or render headless with "
                                "ringscope record", SDL_GetError());
        return -1;
    }
    const char *driver = SDL_GetCurrentVideoDriver();
    int invisible = !driver || strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0 ||
                    strcmp(driver, "evdev") == 0;
    if (invisible)
        snprintf(err, err_size, "no display (cannot open %s%s): run it in a desktop session, or render "
                                "headless with ringscope record",
                 x && *x ? "DISPLAY=" : "WAYLAND_DISPLAY=", x && *x ? x : wl);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    return invisible ? -1 : 0;
}

int app_main(int argc, char **argv)
{
    opts_t o;
    scn_script_t script;
    char err[1024];
    int begin = cmd_begin(argc, argv, 1, OPTS_APP, usage, &o, &script);
    if (begin != CMD_GO)
        return begin;
    if (check_display(err, sizeof err) != 0) {
        cmd_error("%s", err);
        scn_free(&script);
        opts_free(&o);
        return CMD_FAIL;
    }
    live_set_fps((int)o.rec_fps);
    app_desc_t desc = {.width = (int)o.width, .height = (int)o.height, .title = "Ringscope"};
    opts_sim_config(&o, &desc.sim);
    desc.compare = o.compare;
    desc.compare_count = o.compare_count;
    if (app_init(&desc, err, sizeof err) != 0) {
        cmd_error("%s", err);
        scn_free(&script);
        opts_free(&o);
        return CMD_FAIL;
    }
    app_play(&script);

    loop_desc_t ld = {0};
    const char *qa = getenv("RINGSCOPE_QUIT_AFTER_FRAMES");
    if (qa && *qa)
        ld.frames = strtol(qa, NULL, 10);
    loop_run(&ld, NULL);
    app_shutdown();
    scn_free(&script);
    opts_free(&o);
    return CMD_OK;
}
