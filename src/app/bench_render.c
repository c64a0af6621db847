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
 * renderer's name. Compare mode's figures (4 panes) are whole frames,
 * against one pane of as many embeddings. */
#include "app.h"
#include "bench_render.h"
#include "loop.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_COMPARE_PARTICLES 100000 /* per pane in the 4-pane figure */

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

static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Renders `frames` frames 1/60 s apart; the median ms, and the largest
 * upload of any of them in *bytes. wall 0: the CPU time of app_render on
 * this thread, the rasterizer waited for outside it; 1: whole frames, wall
 * time, rasterizer included. */
static double measure_frames(int frames, int wall, double *ms, uint64_t *bytes)
{
    uint64_t most = 0;
    for (int i = 0; i < frames; i++) {
        app_advance(1.0 / 60.0);
        double t0 = wall ? wall_ms() : thread_ms();
        app_render();
        if (!wall)
            ms[i] = thread_ms() - t0;
        glFinish();
        if (wall)
            ms[i] = wall_ms() - t0;
        if (app_get()->bytes_last_frame > most)
            most = app_get()->bytes_last_frame;
    }
    qsort(ms, (size_t)frames, sizeof *ms, cmp_double);
    if (bytes)
        *bytes = most;
    return ms[frames / 2];
}

static double measure(int frames, double *ms, uint64_t *bytes)
{
    return measure_frames(frames, 0, ms, bytes);
}

static double measure_wall(int frames, double *ms, uint64_t *bytes)
{
    return measure_frames(frames, 1, ms, bytes);
}

static int start_app(uint64_t particles, int headless, int panes, char *err, size_t err_size)
{
    /* The panes the compare figures have always been measured with (the
     * ring beside three strategies of cells), by name from the table. */
    static const char *const names[APP_PANES_MAX] = {"ring", "modulo", "jump", "maglev"};
    strat_kind_t kinds[APP_PANES_MAX];
    for (int i = 0; i < APP_PANES_MAX; i++)
        if (strat_parse(names[i], strlen(names[i]), &kinds[i]) != 0)
            kinds[i] = strat_default();
    app_desc_t d = {.width = 1280, .height = 720, .headless = headless, .title = "Ringscope bench"};
    if (panes > 1) {
        d.compare = kinds;
        d.compare_count = (size_t)panes;
    }
    sim_config_default(&d.sim);
    d.sim.vectors = particles;
    return app_init(&d, err, err_size);
}

/* The settled visualizer in the desktop loop for `seconds`, idling, then
 * drawing every frame: the process's CPU as % of one core. */
static int measure_idle(uint64_t vectors, double seconds, double *idle_pct, double *busy_pct, char *err,
                        size_t err_size)
{
    if (start_app(vectors, 0, 1, err, err_size) != 0)
        return -1;
    loop_stats_t st;
    /* First frames (glyphs, batches, uploads) and the opening animation, up
     * to when the app says it is idle; then the rasterizer's queue drained
     * (glFinish): a software rasterizer still drawing the warm-up's frames
     * on its own threads was counted as the settled app's CPU. */
    loop_desc_t warm = {.seconds = 0.1};
    for (int i = 0; i < 300 && !(i >= 3 && app_get()->idle); i++)
        loop_run(&warm, &st);
    glFinish();
    if (!app_get()->idle) {
        snprintf(err, err_size, "the visualizer did not settle within 30 s");
        app_shutdown();
        return -1;
    }
    loop_desc_t idle = {.seconds = seconds}, busy = {.seconds = seconds, .always_draw = 1};
    loop_run(&idle, &st);
    *idle_pct = 100.0 * st.cpu_s / st.wall_s;
    loop_run(&busy, &st);
    *busy_pct = 100.0 * st.cpu_s / st.wall_s;
    app_shutdown();
    return 0;
}

/* Compare mode, 4 panes (ring, modulo, jump, maglev) of `particles`
 * embeddings each, against one pane of as many, whole frames (wall ms,
 * rasterizer included): at rest, and for the 4 panes during the flights of
 * an added node; and what an idle 4-pane frame uploads. */
static int measure_compare(uint64_t particles, int frames, bench_render_t *out, char *err, size_t err_size)
{
    double ms[64];
    for (int panes = 1; panes <= 4; panes += 3) {
        if (start_app(particles, 1, panes, err, err_size) != 0)
            return -1;
        measure_wall(5, ms, NULL); /* glyphs, batches, first uploads */
        if (panes == 1) {
            out->ms_one_pane = measure_wall(frames, ms, NULL);
        } else {
            out->ms_four_panes_idle = measure_wall(frames, ms, &out->four_panes_idle_upload_bytes);
            const char *msg = app_run_command("add nodeF");
            if (msg) {
                snprintf(err, err_size, "add nodeF in 4 panes failed: %s", msg);
                app_shutdown();
                return -1;
            }
            measure_wall(1, ms, NULL); /* the change's upload */
            out->ms_four_panes_flight = measure_wall(frames / 2 + 1, ms, NULL);
        }
        app_shutdown();
    }
    return 0;
}

/* 400 nodes x 10,000 vnodes at 1280x720: median wall ms of a frame, thinned
 * ring points, then every point (the baseline, seconds a frame: not for a
 * single-frame --quick run, which leaves it NAN). */
static int measure_dense(int frames, bench_render_t *out, char *err, size_t err_size)
{
    enum { DENSE_NODES = 400 };
    static char names[DENSE_NODES][8];
    const char *ids[DENSE_NODES];
    for (int i = 0; i < DENSE_NODES; i++) {
        snprintf(names[i], sizeof names[i], "n%d", i);
        ids[i] = names[i];
    }
    app_desc_t d = {.width = 1280, .height = 720, .headless = 1, .title = "Ringscope bench"};
    sim_config_default(&d.sim);
    d.sim.nodes = ids;
    d.sim.node_count = DENSE_NODES;
    d.sim.vnodes = 10000;
    if (app_init(&d, err, err_size) != 0)
        return -1;
    double ms[64];
    out->ms_dense_all = NAN; /* --quick: the slow baseline is skipped */
    for (int all = 0; all < (frames > 1 ? 2 : 1); all++) {
        app_get()->panes[0].scene.v_thin_off = all;
        app_get()->panes[0].scene.v_idx_dirty = 1;
        measure_wall(1, ms, NULL); /* the first frame carries the uploads */
        *(all ? &out->ms_dense_all : &out->ms_dense_thinned) = measure_wall(frames, ms, NULL);
    }
    app_shutdown();
    return 0;
}

int app_bench_render(uint64_t particles, int quick, bench_render_t *out)
{
    memset(out, 0, sizeof *out);
    out->particles = particles;
    if (!SDL_getenv("SDL_VIDEODRIVER"))
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
    char err[512];
    sim_config_t def;
    sim_config_default(&def);
    out->idle_vectors[0] = def.vectors;
    out->idle_vectors[1] = particles;
    out->idle_seconds = quick ? 1.0 : 3.0;
    for (int k = 0; k < 2; k++)
        if (measure_idle(out->idle_vectors[k], out->idle_seconds, &out->idle_cpu_pct[k], &out->busy_cpu_pct[k], err,
                         sizeof err) != 0) {
            snprintf(out->backend, sizeof out->backend, "%.120s", err);
            return -1;
        }
    if (start_app(particles, 1, 1, err, sizeof err) != 0) {
        snprintf(out->backend, sizeof out->backend, "%.120s", err);
        return -1;
    }
    const char *r = (const char *)glGetString(GL_RENDERER);
    snprintf(out->backend, sizeof out->backend, "%.120s", r ? r : "unknown GL renderer");
    int frames = quick ? 15 : 41;
    double ms[64], full_idle, full_flight;
    scene_t *sc = &app_get()->panes[0].scene;
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
    if (measure_dense(quick ? 1 : 5, out, err, sizeof err) != 0) {
        snprintf(out->backend, sizeof out->backend, "dense ring: %.110s", err);
        return -1;
    }
    if (measure_compare(BENCH_COMPARE_PARTICLES, quick ? 5 : 21, out, err, sizeof err) != 0) {
        snprintf(out->backend, sizeof out->backend, "compare: %.115s", err);
        return -1;
    }
    return 0;
}
