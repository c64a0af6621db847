/* app — the state, its lifecycle and the frame: init, shutdown, GL reset,
 * the fixed-tick advance, rendering and reading pixels. Commands live in
 * app_cmd.c, input in app_input.c, the state JSON in app_json.c, each
 * strategy's view in pane.c, the HUD in hud*.c.
 *
 * The one app_t is static here (sokol style): the platform calls the
 * pointer-free entry points below, which hand it to the other files. */
#include "app_priv.h"

#include "hud.h"
#include "live.h"
#include "shot.h"
#ifndef __EMSCRIPTEN__
#include "vid.h"
#endif

#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static app_t app;

app_t *app_get(void)
{
    return &app;
}

pane_t *app_focus(app_t *a)
{
    return &a->panes[a->focus];
}

int app_should_quit(void)
{
    return app.quit;
}

/* The HUD font: DejaVu Sans, plus Droid Sans Fallback for the CJK glyphs
 * DejaVu lacks. Without the fallback file text still draws, with the replacement mark U+FFFD for
 * those glyphs, and one warning says so. */
static int open_font(font_t *f, float dpi, char *err, size_t err_size)
{
    static int warned;
    char path[1024];
    if (font_find("DejaVuSans.ttf", path, sizeof path) != 0) {
        snprintf(err, err_size, "FONT: assets/DejaVuSans.ttf not found next to the executable, in the source tree "
                                "or in $RINGSCOPE_ASSETS");
        return -1;
    }
    if (font_load(f, path, dpi, err, err_size) != 0)
        return -1;
    char why[1200];
#ifdef __EMSCRIPTEN__
    /* The page fetches the fallback after the first frame (main_web.c). */
    if (font_find("DroidSansFallbackFull.ttf", path, sizeof path) != 0)
        return 0;
#endif
    if (font_find("DroidSansFallbackFull.ttf", path, sizeof path) != 0)
        snprintf(why, sizeof why, "FONT: assets/DroidSansFallbackFull.ttf not found");
    else if (font_load_fallback(f, path, why, sizeof why) == 0)
        return 0;
    if (!warned++)
        fprintf(stderr, "ringscope: %s; CJK text shows as \xEF\xBF\xBD\n", why);
    return 0;
}

void app_toast(app_t *a, int error, const char *fmt, const char *arg)
{
    snprintf(a->toast, sizeof a->toast, fmt, arg);
    a->toast_t = (float)a->clock;
    a->toast_error = error;
}

int app_vnodes_refused(app_t *a)
{
    char v[64], why[256];
    if (hud_vnodes_text(a->panes, a->pane_count, app_focus(a), a->slider, v, sizeof v))
        return 0;
    hud_vnodes_why(app_focus(a), why, sizeof why);
    app_toast(a, 0, "%s", why);
    return 1;
}

void app_quit_request(app_t *a, int ask)
{
#ifdef __EMSCRIPTEN__
    (void)ask; /* a page that closes has no folder to save in; Ctrl+S downloads */
    a->quit = 1;
    return;
#endif
    if (!session_unsaved(&a->session)) {
        a->quit = 1;
        return;
    }
    double now = (double)SDL_GetTicks64() / 1000.0; /* real time: the clock stops while paused */
    char cwd[600];
    const char *dir = getcwd(cwd, sizeof cwd);
    if (ask && !(a->quit_asked > 0 && now - a->quit_asked <= APP_QUIT_ASK)) {
        a->quit_asked = now;
        char msg[1000];
        snprintf(msg, sizeof msg, "Esc again quits and saves the session (%zu command%s) in %s; Ctrl+S saves now",
                 a->session.count, a->session.count == 1 ? "" : "s", dir ? dir : "this folder");
        app_toast(a, 0, "%s", msg);
        return;
    }
    app_save_session(a);
    if (session_unsaved(&a->session)) {
        fprintf(stderr, "ringscope: %s\n", a->toast);
        if (ask)
            return;
    } else {
        fprintf(stderr, "ringscope: session saved to %s%s%s (%zu command%s)\n", dir ? dir : "", dir ? "/" : "",
                a->session_file, a->session.count, a->session.count == 1 ? "" : "s");
    }
    a->quit = 1;
}



void app_settle_after(app_t *a, float seconds)
{
    float t = (float)a->clock + seconds;
    if (t > a->settle_at)
        a->settle_at = t;
}

int app_is_settled(const app_t *a)
{
    return a->clock >= a->settle_at;
}

int app_settled(void)
{
    return app_is_settled(&app);
}

/* ---- the entry points that hand the state on ------------------------------ */

const char *app_apply(const scn_cmd_t *cmd)
{
    return app_cmd_apply(&app, cmd);
}

const char *app_run_command(const char *line)
{
    return app_cmd_run(&app, line);
}

void app_event(const SDL_Event *e)
{
    app_input_event(&app, e);
}

const char *app_state_json(void)
{
    return app_json_state(&app);
}

uint64_t app_moved_landed(void)
{
    return pane_moved_landed(&app.panes[0]);
}

double app_wake_in(void)
{
    if (app.view_dirty || app.shot_pending || live_active())
        return 0;
    if (app.paused)
        return INFINITY; /* the clock stands still: so does everything */
    if (!app_settled())
        return 0;
    for (int i = 0; i < app.pane_count && !app.reduced_motion; i++)
        if (app.panes[i].scene.repl.under_drawn)
            return 0; /* under-replicated embeddings pulse until healed */
    double t = INFINITY;
    if (app.play && app.play_next < app.play_count)
        t = fmax(0, app.play_at - app.clock);
    if (app.toast[0]) {
        double age = fmax(0.0, app.clock - app.toast_t); /* toast_t is a float: rounded, maybe past the clock */
        if (age < APP_TOAST_HOLD)
            t = fmin(t, APP_TOAST_HOLD - age);
        else if (age < APP_TOAST_HOLD + APP_TOAST_FADE)
            t = 0;
    }
    if (app.clock - app.caption_t < APP_CAPTION_FADE)
        t = 0;
    if (app.field_focus) {
        double phase = fmod(app.clock, 1.0);
        t = fmin(t, phase < APP_CARET_ON ? APP_CARET_ON - phase : 1.0 - phase);
    }
    return t;
}

/* ---- commands ----------------------------------------------------------- */

/* Owned copies of the starting configuration's strings (the caller's may
 * not outlive app_init): a pane added later starts from them. */
static int keep_start(const sim_config_t *c)
{
    app.start = *c;
    size_t n = c->node_count + 2 * c->zone_count;
    app.start_ids = calloc(n + 1, sizeof *app.start_ids);
    if (!app.start_ids)
        return -1;
    app.start_id_count = n;
    for (size_t i = 0; i < n; i++) {
        const char *id = i < c->node_count                   ? c->nodes[i]
                         : i < c->node_count + c->zone_count ? c->zone_nodes[i - c->node_count]
                                                               : c->zone_names[i - c->node_count - c->zone_count];
        size_t len = strlen(id) + 1;
        if (!(app.start_ids[i] = malloc(len)))
            return -1;
        memcpy(app.start_ids[i], id, len);
    }
    app.start.nodes = (const char *const *)app.start_ids;
    app.start.zone_nodes = (const char *const *)app.start_ids + c->node_count;
    app.start.zone_names = (const char *const *)app.start_ids + c->node_count + c->zone_count;
    return 0;
}

static void free_start(void)
{
    for (size_t i = 0; app.start_ids && i < app.start_id_count; i++)
        free(app.start_ids[i]);
    free(app.start_ids);
    app.start_ids = NULL;
    scn_free(&app.history);
}

/* A small sideways screen draws fewer panes than compare mode has: said
 * once each time that starts or changes (the compare table says it too). */
static void panes_shown_note(void)
{
    static int said_shown, said_count;
    if (app.pane_shown < app.pane_count && (app.pane_shown != said_shown || app.pane_count != said_count)) {
        char t[64];
        snprintf(t, sizeof t, "%d of %d", app.pane_shown, app.pane_count);
        app_toast(&app, 0, "%s strategies drawn: the screen is small sideways (upright shows all)", t);
    }
    said_shown = app.pane_shown;
    said_count = app.pane_count;
}

static void update_sizes(void)
{
    SDL_GetWindowSize(app.win, &app.win_w, &app.win_h);
    SDL_GL_GetDrawableSize(app.win, &app.fb_w, &app.fb_h);
    if (app.win_w < 1) app.win_w = 1;
    if (app.win_h < 1) app.win_h = 1;
    if (app.fb_w < 1) app.fb_w = app.win_w;
    if (app.fb_h < 1) app.fb_h = app.win_h;
}

int app_init(const app_desc_t *d, char *err, size_t err_size)
{
    if (app_vectors_too_many(d->sim.vectors, err, err_size) != 0)
        return -1;
    memset(&app, 0, sizeof app);
    app.headless = d->headless;
    app.look = d->look;
    app.hot_widget = app.pressed_widget = -1;
    app.ui.font = NULL;
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        snprintf(err, err_size, "DISPLAY: cannot start SDL video (%s)", SDL_GetError());
        return -1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    app.win = SDL_CreateWindow(d->title ? d->title : "Ringscope", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                               d->width > 0 ? d->width : 1280, d->height > 0 ? d->height : 720, flags);
    if (!app.win) {
        snprintf(err, err_size, "DISPLAY: cannot open a window (%s)", SDL_GetError());
        SDL_Quit();
        return -1;
    }
    app.gl = SDL_GL_CreateContext(app.win);
    if (!app.gl) {
        snprintf(err, err_size, "DISPLAY: no OpenGL ES 3 context (%s)", SDL_GetError());
        SDL_DestroyWindow(app.win);
        SDL_Quit();
        return -1;
    }
    SDL_GL_MakeCurrent(app.win, app.gl);
    if (!d->headless)
        SDL_GL_SetSwapInterval(1);
    update_sizes();
    app.dpi = (float)app.fb_w / (float)app.win_w;
    if (app.dpi < 1.0f)
        app.dpi = 1.0f;
    app.hud_u = app.dpi * hud_scale((float)app.fb_w / app.dpi, (float)app.fb_h / app.dpi);

    if (open_font(&app.font, app.hud_u, err, err_size) != 0)
        goto fail_gl;
    if (draw_init(&app.under, &app.font, err, err_size) != 0 || draw_init(&app.ui, &app.font, err, err_size) != 0 ||
        draw_init(&app.over, &app.font, err, err_size) != 0)
        goto fail_all;
    if (keep_start(&d->sim) != 0) {
        snprintf(err, err_size, "out of memory");
        goto fail_all;
    }
    app.pane_count = d->compare_count > 1 ? (int)d->compare_count : 1;
    if (app.pane_count > APP_PANES_MAX)
        app.pane_count = APP_PANES_MAX;
    for (int i = 0; i < app.pane_count; i++) {
        sim_config_t c = d->sim;
        if (d->compare_count > 1)
            c.strategy = d->compare[i];
        if (pane_init(&app.panes[i], &c, err, err_size) != 0)
            goto fail_all;
    }
    session_begin(&app.session, &d->sim);
    app.realtime_scale = APP_REALTIME_SCALE;
    app.slider = app_focus(&app)->sim.ring.vnodes;
    if (app.slider < APP_VNODES_MIN) app.slider = APP_VNODES_MIN;
    if (app.slider > APP_VNODES_MAX) app.slider = APP_VNODES_MAX;
    app.slider = (app.slider + APP_VNODES_STEP / 2) / APP_VNODES_STEP * APP_VNODES_STEP;
    hud_layout(&app);
    panes_shown_note();
    for (int i = 0; i < app.pane_count; i++)
        if (pane_upload(&app.panes[i], PANE_LAYOUT_SPREAD, 0, app.dpi, err, err_size) != 0)
            goto fail_all;
    SDL_StartTextInput();
    return 0;

fail_all:
    for (int i = 0; i < APP_PANES_MAX; i++)
        pane_free(&app.panes[i]);
    free_start();
    draw_shutdown(&app.over);
    draw_shutdown(&app.ui);
    draw_shutdown(&app.under);
    font_unload(&app.font);
fail_gl:
    SDL_GL_DeleteContext(app.gl);
    SDL_DestroyWindow(app.win);
    SDL_Quit();
    return -1;
}

void app_shutdown(void)
{
    if (!app.win)
        return;
    live_msg_t lm;
    live_shutdown(&lm);
    if (lm.text[0])
        fprintf(stderr, "ringscope: %s\n", lm.text);
    SDL_StopTextInput();
    session_free(&app.session);
    for (int i = 0; i < app.pane_count; i++)
        pane_free(&app.panes[i]);
    json_free(&app.json);
    free_start();
    draw_shutdown(&app.over);
    draw_shutdown(&app.ui);
    draw_shutdown(&app.under);
    font_unload(&app.font);
    SDL_GL_DeleteContext(app.gl);
    SDL_DestroyWindow(app.win);
    TTF_Quit();
    SDL_Quit();
    memset(&app, 0, sizeof app);
}

/* The GL context was lost and restored (WebGL): every GL object is gone
 * while the simulation is intact. Re-creates the font atlas, the batches
 * and the scene, and re-uploads the scene from the simulation; flights in
 * progress land at once. The renderer's shutdowns run as usual and free the
 * CPU side; their deletes of the dead names must do nothing, so the platform
 * forgets those names first (main_web.c clears Emscripten's GL name tables:
 * WebGL refuses to delete a lost context's objects). */
int app_gl_reset(char *err, size_t err_size)
{
    float now = (float)app.clock;
    for (int i = 0; i < app.pane_count; i++)
        pane_gl_shutdown(&app.panes[i]);
    draw_shutdown(&app.over);
    draw_shutdown(&app.ui);
    draw_shutdown(&app.under);
    font_unload(&app.font);
    if (open_font(&app.font, app.hud_u, err, err_size) != 0 ||
        draw_init(&app.under, &app.font, err, err_size) != 0 || draw_init(&app.ui, &app.font, err, err_size) != 0 ||
        draw_init(&app.over, &app.font, err, err_size) != 0)
        return -1;
    for (int i = 0; i < app.pane_count; i++)
        if (pane_gl_init(&app.panes[i], err, err_size) != 0 ||
            pane_upload(&app.panes[i], PANE_LAYOUT_KEEP, now, app.dpi, err, err_size) != 0)
            return -1;
    app.view_dirty = 1;
    gfx_drain_errors();
    return 0;
}

void app_play(const scn_script_t *script)
{
    app.play = script->cmds;
    app.play_count = script->count;
    app.play_next = 0;
    app.play_at = app.clock + 0.6;
}

static void play_step(void)
{
    while (app.play && app.play_next < app.play_count && app_settled() && app.clock >= app.play_at) {
        const scn_cmd_t *c = &app.play[app.play_next++];
        if (c->op == SCN_WAIT) {
            app.play_at = app.clock + c->seconds;
            continue;
        }
        app_cmd_apply(&app, c);
        app.play_at = app.settle_at + 0.5;
        break;
    }
}

void app_advance(double dt)
{
    if (!(dt > 0))
        dt = 0;
    if (dt > APP_MAX_DT)
        dt = APP_MAX_DT;
    app.acc += dt;
    /* Whole fixed ticks only: the same inputs give the same frames. */
    while (app.acc >= APP_TICK - 1e-9) {
        app.acc -= APP_TICK;
        if (!app.paused)
            app.clock += APP_TICK;
    }
    for (int i = 0; i < app.pane_count; i++)
        scene_landings_advance(&app.panes[i].scene, (float)app.clock);
    play_step();
}

void app_render(void)
{
    Uint64 t0 = SDL_GetPerformanceCounter();
    int ow = app.fb_w, oh = app.fb_h;
    update_sizes();
    float dpi = (float)app.fb_w / (float)app.win_w;
    if (dpi < 1.0f)
        dpi = 1.0f;
    float ui = dpi * hud_scale((float)app.fb_w / dpi, (float)app.fb_h / dpi);
    if (fabsf(ui - app.hud_u) > 0.01f) {
        /* Another screen density, or a frame size that scales the HUD:
         * re-rasterise the text. */
        char err[256];
        font_t f;
        if (open_font(&f, ui, err, sizeof err) == 0) {
            font_unload(&app.font);
            app.font = f;
            app.hud_u = ui;
            app.view_dirty = 1;
        }
    }
    app.dpi = dpi;
    if (ow != app.fb_w || oh != app.fb_h || app.view_dirty) {
        hud_layout(&app);
        panes_shown_note();
        for (int i = 0; i < app.pane_count; i++) {
            pane_particle_look(&app.panes[i], app.dpi);
            pane_strip(&app.panes[i], (float)app.clock, 0);
        }
        app.view_dirty = 0;
    }
    for (int i = 0; i < app.pane_count; i++)
        app.panes[i].params.steady = app.reduced_motion;
    gfx_clear(app.fb_w, app.fb_h, 0.031f, 0.039f, 0.059f);
    hud_draw(&app);
    if (app.shot_pending) {
        app.shot_pending = 0;
        char name[64], err[512];
        shot_timestamped_name(name, sizeof name, ".png");
        if (app_save_png(name, err, sizeof err) == 0)
            app_toast(&app, 0, "Saved screenshot %s", name);
        else
            app_toast(&app, 1, "Screenshot failed: %s", err);
    }
    /* Live recording takes the frame as drawn so far; the REC badge comes
     * after, so it never shows in the video. */
    live_msg_t lm;
    live_capture(app.fb_w, app.fb_h, &lm);
    if (lm.text[0])
        app_toast(&app, lm.error, "%s", lm.text);
    hud_draw_over(&app);
    app.cpu_ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    app.bytes_last_frame = gfx_stats.bytes_frame;
    gfx_frame_begin();
    app.frames++;
}

void app_frame(double dt)
{
    int was_idle = app.idle;
    app_advance(dt);
    app.idle = app_wake_in() > 0;
    /* The rate of frames drawn back to back: a frame after a sleep says
     * nothing about it. */
    if (was_idle)
        dt = 0;
    if (dt > 0) {
        double ms = dt * 1000.0;
        app.frame_ms = app.frame_ms > 0 ? app.frame_ms * 0.9 + ms * 0.1 : ms;
        app.fps = 1000.0 / app.frame_ms;
    }
    if (app.idle)
        app.fps = 0; /* frames come only on input now: a rate would be stale */
    if (app.minimized)
        return; /* nothing to show: no drawing, no swap (the loop waits for events) */
    app_render();
    SDL_GL_SwapWindow(app.win);
}

void app_read_pixels(uint8_t *out)
{
    gfx_read_rgba(app.fb_w, app.fb_h, out);
}

int app_save_png(const char *path, char *err, size_t err_size)
{
    size_t bytes = (size_t)app.fb_w * (size_t)app.fb_h * 4;
    uint8_t *px = malloc(bytes);
    if (!px) {
        snprintf(err, err_size, "out of memory for a %dx%d frame", app.fb_w, app.fb_h);
        return -1;
    }
    app_read_pixels(px);
#ifdef __EMSCRIPTEN__
    int rc = shot_write_png(path, app.fb_w, app.fb_h, px, err, err_size); /* a download */
#else
    /* Through vid: a temporary file renamed into place, checked messages. */
    vid_t *v = vid_open(path, (uint32_t)app.fb_w, (uint32_t)app.fb_h, 1, 0, err, err_size);
    int rc = v ? vid_frame(v, px, err, err_size) : -1;
    if (v && vid_close(v, rc == 0, rc == 0 ? err : NULL, err_size) != 0)
        rc = -1;
#endif
    free(px);
    return rc;
}

void app_ring_px(uint64_t pos, double *x, double *y)
{
    view_ring_px(&app_focus(&app)->view, pos, 1.0, x, y);
}

void app_node_px(uint16_t slot, double *x, double *y)
{
    pane_node_px(app_focus(&app), slot, (float)app.clock, x, y);
}
