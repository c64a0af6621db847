/* bench_render — figure 6 of `ringscope bench`: the renderer's CPU cost per
 * frame at rest and during a flight, and the bytes it uploads per idle
 * frame, on an offscreen 1280x720 app.
 *
 * "CPU ms" is the time the calling thread spends in app_render: layout,
 * HUD batch, uniform and draw-call submission, measured with the thread's
 * CPU clock; the rasterizer's work is waited for with glFinish outside the
 * measurement. A software driver (llvmpipe) also runs the vertex shader
 * inside the draw calls on this thread: that is GPU work done by the CPU,
 * so the figures leave it out by timing the same frames with the particle
 * pass skipped, and report the full time, driver included, next to the
 * renderer's name. */
#include "app.h"
#include "bench_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double thread_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Renders `frames` frames 1/60 s apart; the median CPU ms of app_render,
 * and the largest upload of any of them in *bytes. */
static double measure(int frames, double *ms, uint64_t *bytes)
{
    uint64_t most = 0;
    for (int i = 0; i < frames; i++) {
        app_advance(1.0 / 60.0);
        double t0 = thread_ms();
        app_render();
        ms[i] = thread_ms() - t0;
        glFinish();
        if (app_get()->bytes_last_frame > most)
            most = app_get()->bytes_last_frame;
    }
    qsort(ms, (size_t)frames, sizeof *ms, cmp_double);
    if (bytes)
        *bytes = most;
    return ms[frames / 2];
}

int app_bench_render(uint64_t particles, int quick, bench_render_t *out)
{
    memset(out, 0, sizeof *out);
    out->particles = particles;
    if (!SDL_getenv("SDL_VIDEODRIVER"))
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
    static const char *const ids[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};
    app_desc_t d = {.width = 1280, .height = 720, .headless = 1, .title = "Ringscope bench"};
    d.sim.nodes = ids;
    d.sim.node_count = 5;
    d.sim.vnodes = 80;
    d.sim.vectors = particles;
    d.sim.dim = 256;
    d.sim.seed = 42;
    char err[512];
    if (app_init(&d, err, sizeof err) != 0) {
        snprintf(out->backend, sizeof out->backend, "%.120s", err);
        return -1;
    }
    const char *r = (const char *)glGetString(GL_RENDERER);
    snprintf(out->backend, sizeof out->backend, "%.120s", r ? r : "unknown GL renderer");
    int frames = quick ? 15 : 41;
    double ms[64], full_idle, full_flight;
    scene_t *sc = &app_get()->scene;
    size_t p_count = sc->p_count;
    /* Warm up: glyphs rasterised, batches grown, first uploads done. */
    measure(5, ms, NULL);
    full_idle = measure(frames, ms, &out->idle_upload_bytes);
    sc->p_count = 0;
    out->ms_idle = measure(frames, ms, NULL);
    sc->p_count = p_count;
    const char *msg = app_run_command("add nodeF");
    if (msg) {
        snprintf(out->backend, sizeof out->backend, "add nodeF failed: %.100s", msg);
        app_shutdown();
        return -1;
    }
    /* The flight lasts ~1.5 s: 41 frames at 1/60 s stay inside it. The
     * first frame after the change carries its upload; skip it. */
    measure(1, ms, NULL);
    double t_flight = app_get()->clock;
    full_flight = measure(frames / 2 + 1, ms, NULL);
    sc->p_count = 0;
    out->ms_flight = measure(frames / 2 + 1, ms, NULL);
    sc->p_count = p_count;
    int in_flight = app_get()->clock - t_flight < APP_STAGGER + APP_FLIGHT;
    app_shutdown();
    size_t n = strlen(out->backend);
    snprintf(out->backend + n, sizeof out->backend - n, "; with its vertex stage %.1f / %.1f ms%s", full_idle,
             full_flight, in_flight ? "" : " (flight ended early)");
    return 0;
}
