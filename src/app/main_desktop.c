/* The desktop platform layer: parses options, owns the event loop and the
 * clock, and calls the app's callbacks. A browser build replaces this file
 * with one that hands app_frame to emscripten_set_main_loop. */
#include "app.h"
#include "app_main.h"
#include "cmd.h"
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
           "\n"
           "  --nodes a,b,c      initial nodes (default nodeA..nodeE; \"\" for none)\n"
           "  --vnodes N         virtual nodes per node (default 80)\n"
           "  --vectors N        embeddings (default 6000)\n"
           "  --dim N            embedding dimension (default 256)\n"
           "  --seed N           seed of the embedding vectors (default 42)\n"
           "  --script FILE      scenario to play, one command after another\n"
           "  --do \"CMD\"         one more command, after the script (repeatable)\n"
           "  --size WxH         window size (default 1280x720)\n");
}

int app_main(int argc, char **argv)
{
    opts_t o;
    scn_script_t script;
    char err[1024];
    int begin = cmd_begin(argc, argv, 1, OPTS_APP, usage, &o, &script);
    if (begin != CMD_GO)
        return begin;
    app_desc_t desc = {.width = (int)o.width, .height = (int)o.height, .title = "Ringscope"};
    opts_sim_config(&o, &desc.sim);
    if (app_init(&desc, err, sizeof err) != 0) {
        cmd_error("%s", err);
        scn_free(&script);
        opts_free(&o);
        return CMD_FAIL;
    }
    app_play(&script);

    long quit_after = 0;
    const char *qa = getenv("RINGSCOPE_QUIT_AFTER_FRAMES");
    if (qa && *qa)
        quit_after = strtol(qa, NULL, 10);
    int vsync = SDL_GL_GetSwapInterval() != 0;
    Uint64 freq = SDL_GetPerformanceFrequency(), last = SDL_GetPerformanceCounter();
    long frames = 0;
    while (!app_should_quit()) {
        SDL_Event e;
        while (SDL_PollEvent(&e))
            app_event(&e);
        if (app_get()->minimized || (SDL_GetWindowFlags(app_get()->win) & SDL_WINDOW_MINIMIZED)) {
            /* Minimised: sleep until something happens (restore, quit), no
             * frames, no busy loop; the clock does not jump on return. */
            if (SDL_WaitEventTimeout(&e, 1000))
                app_event(&e);
            last = SDL_GetPerformanceCounter();
            continue;
        }
        Uint64 now = SDL_GetPerformanceCounter();
        double dt = (double)(now - last) / (double)freq;
        last = now;
        app_frame(dt);
        if (quit_after > 0 && ++frames >= quit_after)
            break;
        if (!vsync) {
            /* No vsync (e.g. a virtual display): cap near 60 fps, not 100% CPU. */
            double spent = (double)(SDL_GetPerformanceCounter() - now) / (double)freq;
            if (spent < 1.0 / 60.0)
                SDL_Delay((Uint32)((1.0 / 60.0 - spent) * 1000.0));
        }
    }
    app_shutdown();
    scn_free(&script);
    opts_free(&o);
    return CMD_OK;
}
