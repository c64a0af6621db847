#define _POSIX_C_SOURCE 200809L
#include "loop.h"

#include "app.h"

#include <math.h>
#include <string.h>
#include <time.h>

double loop_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Real time passed while nothing was drawn still moves the clock (a toast
 * keeps its schedule), in steps app_advance accepts. */
static void catch_up(double dt)
{
    while (dt > 0) {
        double s = dt < APP_MAX_DT ? dt : APP_MAX_DT;
        app_advance(s);
        dt -= s;
    }
}

/* Waits up to ms for an event. SDL waits in the window system where the
 * driver can (x11, wayland); offscreen and dummy drivers cannot, and SDL
 * would then poll every millisecond: those sleep in coarser steps (nothing
 * but a quit can arrive there anyway). */
static int wait_event(SDL_Event *e, int ms, int coarse)
{
    if (!coarse)
        return SDL_WaitEventTimeout(e, ms);
    for (;;) {
        if (SDL_PollEvent(e))
            return 1;
        if (ms <= 0)
            return 0;
        int step = ms < 20 ? ms : 20;
        SDL_Delay((Uint32)step);
        ms -= step;
    }
}

void loop_run(const loop_desc_t *d, loop_stats_t *out)
{
    const char *driver = SDL_GetCurrentVideoDriver();
    int coarse = driver && (strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0);
    int vsync = SDL_GL_GetSwapInterval() != 0;
    Uint64 freq = SDL_GetPerformanceFrequency(), start = SDL_GetPerformanceCounter(), last = start;
    double cpu0 = loop_cpu_seconds();
    uint64_t frames = 0;
    int pending = !app_get()->idle; /* input arrived, or no frame says idle yet: draw */
    while (!app_should_quit()) {
        double elapsed = (double)(SDL_GetPerformanceCounter() - start) / (double)freq;
        if (d->seconds > 0 && elapsed >= d->seconds)
            break;
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            app_event(&e);
            pending = 1;
        }
        if (app_get()->minimized || (SDL_GetWindowFlags(app_get()->win) & SDL_WINDOW_MINIMIZED)) {
            /* Minimised: sleep until something happens (restore, quit), no
             * frames; the clock does not jump on return. */
            if (SDL_WaitEventTimeout(&e, 1000))
                app_event(&e);
            last = SDL_GetPerformanceCounter();
            continue;
        }
        /* A frame budget (smoke tests) means frames: never idle then. */
        double wake = d->always_draw || d->frames > 0 ? 0 : app_wake_in();
        /* Idle: nothing moves on its own and the frame on screen already
         * says so. Sleep until input, or until something is due. */
        if (!pending && wake > 0 && app_get()->idle) {
            double sleep_s = wake < 1.0 ? wake : 1.0;
            if (d->seconds > 0 && sleep_s > d->seconds - elapsed)
                sleep_s = d->seconds - elapsed;
            int got = wait_event(&e, (int)ceil(sleep_s * 1000.0), coarse);
            Uint64 now = SDL_GetPerformanceCounter();
            catch_up((double)(now - last) / (double)freq);
            last = now;
            if (got) {
                app_event(&e);
                pending = 1;
            }
            continue;
        }
        Uint64 now = SDL_GetPerformanceCounter();
        double dt = (double)(now - last) / (double)freq;
        last = now;
        app_frame(dt);
        pending = 0;
        frames++;
        if (d->frames > 0 && (long)frames >= d->frames)
            break;
        if (!vsync) {
            /* No vsync (e.g. a virtual display): cap near 60 fps, not 100% CPU. */
            double spent = (double)(SDL_GetPerformanceCounter() - now) / (double)freq;
            if (spent < 1.0 / 60.0)
                SDL_Delay((Uint32)((1.0 / 60.0 - spent) * 1000.0));
        }
    }
    if (out) {
        out->frames = frames;
        out->wall_s = (double)(SDL_GetPerformanceCounter() - start) / (double)freq;
        out->cpu_s = loop_cpu_seconds() - cpu0;
    }
}
