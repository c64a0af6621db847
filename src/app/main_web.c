/* The browser platform layer (Emscripten): replaces main_desktop.c. It parses
 * the same options (web/index.html turns ?nodes=&vnodes=&vectors=&dim=&seed=
 * &do= into Module.arguments), starts the app at the canvas's CSS size and
 * hands app_frame to emscripten_set_main_loop (requestAnimationFrame).
 *
 * The page talks to the app through these exports (see web/index.html):
 *   rs_web_state()             app_state_json(): nodes, vectors, vnodes, ...
 *   rs_web_run("add nodeX")    one scenario command: "" or an error message
 *   rs_web_info()              the platform side: frames drawn, canvas and
 *                              drawable sizes, context lost, widget and node
 *                              positions in CSS pixels (for tests and tools)
 *   rs_web_wake(input)         while the loop sleeps (settled: nothing is
 *                              drawn and requestAnimationFrame is off), the
 *                              page saw input (1) or the change it was told
 *                              of (Module.ringscopeSleep(seconds)) is due (0)
 *   rs_web_context_restored()  the WebGL context is back: re-create every GL
 *                              object from the simulation, which never left
 *   rs_web_text(utf8, composing)  text from the page's input element while
 *                              the node-id field has focus: typed (0) or
 *                              being composed by an input method (1)
 *   rs_web_key(sdl_keycode)    a key the input element passes on (Enter,
 *                              Escape, Tab, Backspace, Delete)
 *   rs_web_font(path, fb)      a font the page fetched after start is in the
 *                              file system: the whole DejaVu Sans (fb 0; the
 *                              first frame had a subset) or the CJK fallback
 *                              (fb 1); 0, or -1 with a warning on the console
 *
 * The page shows what goes wrong: Module.ringscopeFail(message) is called
 * when the options or app_init fail; Module.ringscopeReady() once the app is
 * up and Module.ringscopeFirstFrame() after the first frame is drawn.
 */
#include "app.h"
#include "opts.h"

#include <emscripten.h>
#include <emscripten/html5.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static scn_script_t script; /* played live; must outlive the main loop */
static double last_ms;
static uint64_t frames_drawn;
static uint64_t restores;
static int was_lost;
/* Something the frame on screen does not show yet: input, a command or a
 * font from the page. The next turn of the loop draws. */
static int pending = 1;
/* The main loop is paused: settled, until the page wakes it (input, a
 * command) or the next change is due (the page's timer). */
static int asleep;

/* Real time passed while asleep moves the clock (nothing moved meanwhile),
 * in steps app_advance accepts, as the desktop loop does. */
static void catch_up(double seconds)
{
    while (seconds > 0) {
        double s = seconds < APP_MAX_DT ? seconds : APP_MAX_DT;
        app_advance(s);
        seconds -= s;
    }
}

/* input: something to show (draw the next frame); 0: only time passed. */
static void wake(int input)
{
    if (input)
        pending = 1;
    if (!asleep)
        return;
    asleep = 0;
    double now = emscripten_get_now();
    catch_up((now - last_ms) / 1000.0);
    last_ms = now;
    emscripten_resume_main_loop();
}

static char info[8192];

/* Calls into the page (web/index.html defines the Module hooks). EM_JS, not
 * EM_ASM: the project builds as strict C11, where EM_ASM does not work. */
EM_JS(void, page_fail, (const char *message), {
    var m = UTF8ToString(message);
    if (Module.ringscopeFail) Module.ringscopeFail(m); else console.error(m);
});
EM_JS(void, page_ready, (void), {
    if (Module.ringscopeReady) Module.ringscopeReady();
});
EM_JS(void, page_first_frame, (void), {
    if (Module.ringscopeFirstFrame) Module.ringscopeFirstFrame();
});
/* The loop sleeps: wake it on input, and after `seconds` (< 0: never). */
EM_JS(void, page_sleep, (double seconds), {
    if (Module.ringscopeSleep) Module.ringscopeSleep(seconds);
});
EM_JS(void, page_announce, (const char *text), {
    if (Module.ringscopeAnnounce) Module.ringscopeAnnounce(UTF8ToString(text));
});

/* The node-id field takes text through a real <input> on the page (a
 * canvas gets no composition events, and SDL's keypress path only sees
 * single characters): the page focuses it, over the field, while the
 * field has focus. */
EM_JS(void, page_field_focus, (int on, double x, double y, double w, double h), {
    if (Module.ringscopeFieldFocus) Module.ringscopeFieldFocus(on, x, y, w, h);
});

static void sync_field_focus(void)
{
    static int had;
    const app_t *a = app_get();
    if (a->field_focus == had)
        return;
    had = a->field_focus;
    double k = a->fb_w > 0 ? (double)a->win_w / a->fb_w : 1.0;
    const app_rect_t *r = &a->widgets[APP_W_FIELD];
    page_field_focus(had, r->x * k, r->y * k, r->w * k, r->h * k);
}

/* SDL events carry at most 31 bytes of text: longer text goes in pieces,
 * cut between UTF-8 sequences. */
EMSCRIPTEN_KEEPALIVE void rs_web_text(const char *text, int composing)
{
    if (!text)
        return;
    wake(1);
    size_t len = strlen(text), at = 0;
    do {
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = composing ? SDL_TEXTEDITING : SDL_TEXTINPUT;
        size_t cap = composing ? sizeof e.edit.text - 1 : sizeof e.text.text - 1;
        size_t n = len - at < cap ? len - at : cap;
        while (at + n < len && n > 0 && ((unsigned char)text[at + n] & 0xC0) == 0x80)
            n--;
        memcpy(composing ? e.edit.text : e.text.text, text + at, n);
        app_event(&e);
        at += n;
        /* a composition shows its first piece only */
    } while (!composing && at < len);
}

EMSCRIPTEN_KEEPALIVE void rs_web_key(int keycode)
{
    SDL_Event e;
    wake(1);
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = keycode;
    app_event(&e);
}

/* What screen readers hear: each action's result once its flights have
 * landed ("Added nodeF: moved 1075 of 6000"), and every message the HUD
 * shows (errors, pause). Compared with what was said last. */
static void announce(void)
{
    static float said_action_t = -1, said_toast_t = -1;
    static char said_action[sizeof app_get()->panes[0].action.text];
    const app_t *a = app_get();
    if (a->toast[0] && a->toast_t != said_toast_t) {
        said_toast_t = a->toast_t;
        page_announce(a->toast);
    }
    const pane_action_t *ac = &a->panes[0].action;
    if (!(ac->total || ac->moved) || !app_settled())
        return;
    if (ac->t0 == said_action_t && strcmp(ac->text, said_action) == 0)
        return;
    said_action_t = ac->t0;
    snprintf(said_action, sizeof said_action, "%s", ac->text);
    char text[sizeof ac->text + 96];
    if (ac->counts_up)
        snprintf(text, sizeof text, "%s: moved %llu of %llu", ac->text, (unsigned long long)app_moved_landed(),
                 (unsigned long long)ac->total);
    else
        snprintf(text, sizeof text, "%s", ac->text);
    page_announce(text);
}

static int context_lost(void)
{
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_get_current_context();
    return ctx && emscripten_is_webgl_context_lost(ctx);
}

static void frame(void)
{
    double now = emscripten_get_now();
    double dt = (now - last_ms) / 1000.0;
    last_ms = now;
    /* A hidden tab gets no frames for a while: never jump further than the
     * app's own clamp. */
    if (!(dt >= 0))
        dt = 0;
    if (dt > APP_MAX_DT)
        dt = APP_MAX_DT;

    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        app_event(&e);
        pending = 1;
    }
    /* A page cannot close itself: Escape only closes overlays here. */
    app_get()->quit = 0;
    sync_field_focus();

    if (context_lost()) {
        /* Nothing can be drawn; the simulation and its clock go on. */
        was_lost = 1;
        app_advance(dt);
        return;
    }
    /* Settled: nothing moves on its own and the frame on screen already
     * says so (as in the desktop loop, loop.c). Draw nothing and pause the
     * loop: the page wakes it on input or when the next change is due (a
     * toast fading, the caret, a script's next command), and the clock
     * catches up then. */
    double due = app_wake_in();
    if (!pending && app_get()->idle && due > 0) {
        app_advance(dt);
        announce();
        asleep = 1;
        emscripten_pause_main_loop();
        page_sleep(isfinite(due) ? due : -1.0);
        return;
    }
    pending = 0;
    app_frame(dt);
    if (frames_drawn++ == 0)
        page_first_frame();
    announce();
}

/* The page saw input (1: mouse, keys, touch, a resize...) or its timer
 * for the next due change fired (0) while the loop slept. */
EMSCRIPTEN_KEEPALIVE void rs_web_wake(int input)
{
    wake(input);
}

EMSCRIPTEN_KEEPALIVE const char *rs_web_state(void)
{
    return app_state_json();
}

EMSCRIPTEN_KEEPALIVE const char *rs_web_run(const char *cmd)
{
    if (!cmd)
        return "no command";
    wake(1);
    const char *err = app_run_command(cmd);
    return err ? err : "";
}

/* After a context loss every WebGL object in Emscripten's name tables
 * belongs to the lost context. Forgets them all, so the app's shutdowns in
 * app_gl_reset delete nothing (Emscripten's glDelete* skip unknown names;
 * WebGL would warn about each), and drops the client-array emulation's
 * cached buffers and bindings, which were lost too. */
EM_JS(void, forget_lost_gl_objects, (void), {
    ["buffers", "programs", "framebuffers", "renderbuffers", "textures", "shaders", "vaos", "queries",
     "samplers", "transformFeedbacks", "syncs"].forEach(function(t) {
        var names = GL[t];
        if (names) for (var i = 1; i < names.length; i++) names[i] = null;
    });
    var c = GL.currentContext;
    if (c && c.tempVertexBuffers1 && GL.generateTempBuffers) GL.generateTempBuffers(false, c);
    if (c && c.GLctx) c.GLctx.currentArrayBufferBinding = c.GLctx.currentElementArrayBufferBinding = 0;
});

/* The whole UI font once it has arrived (app_gl_reset reopens the subset). */
static char main_font[256];

EMSCRIPTEN_KEEPALIVE int rs_web_font(const char *path, int fallback)
{
    char err[512];
    font_t *f = &app_get()->font;
    if (!path || strlen(path) >= sizeof main_font)
        return -1;
    if ((fallback ? font_load_fallback(f, path, err, sizeof err) : font_replace_main(f, path, err, sizeof err)) != 0) {
        fprintf(stderr, "ringscope: %s\n", err);
        return -1;
    }
    if (!fallback)
        snprintf(main_font, sizeof main_font, "%s", path);
    wake(1); /* text drawn with the new glyphs */
    return 0;
}

EMSCRIPTEN_KEEPALIVE void rs_web_context_restored(void)
{
    char err[512];
    forget_lost_gl_objects();
    if (app_gl_reset(err, sizeof err) != 0) {
        page_fail(err);
        return;
    }
    if (main_font[0])
        rs_web_font(main_font, 0);
    restores++;
    was_lost = 0;
    wake(1);
}

static size_t used;

static __attribute__((format(printf, 1, 2))) void put(const char *fmt, ...)
{
    if (used >= sizeof info)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(info + used, sizeof info - used, fmt, ap);
    va_end(ap);
    used += n > 0 ? (size_t)n : 0;
}

EMSCRIPTEN_KEEPALIVE const char *rs_web_info(void)
{
    /* By enum name, so a new control only lacks a name (shown as wN). */
    static const char *const names[APP_W_COUNT] = {
        [APP_W_FIELD] = "field",     [APP_W_ADD] = "add",           [APP_W_REMOVE] = "remove",
        [APP_W_SLIDER] = "slider",   [APP_W_REBUILD] = "rebuild",   [APP_W_VEC_MINUS] = "vec_minus",
        [APP_W_VEC_PLUS] = "vec_plus", [APP_W_PAUSE] = "pause",     [APP_W_RESET] = "reset",
        [APP_W_SHOT] = "shot",       [APP_W_RECORD] = "record",     [APP_W_HELP] = "help",
        [APP_W_STRATEGY] = "strategy", [APP_W_WEIGHT_MINUS] = "weight_minus", [APP_W_WEIGHT_PLUS] = "weight_plus",
        [APP_W_SESSION] = "session", [APP_W_REPL_MINUS] = "replicas_minus", [APP_W_REPL_PLUS] = "replicas_plus",
        [APP_W_CRASH] = "crash",     [APP_W_HEAL] = "heal",
        [APP_W_COMPARE] = "compare"};
    const app_t *a = app_get();
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    /* Layout (event) pixels per drawable pixel: widget rects are drawable. */
    double k = a->fb_w > 0 ? (double)a->win_w / a->fb_w : 1.0;
    used = 0;
    put("{\"frames\":%llu,\"restores\":%llu,\"lost\":%s,\"dpr\":%.4f", (unsigned long long)frames_drawn,
        (unsigned long long)restores, context_lost() ? "true" : "false", emscripten_get_device_pixel_ratio());
    put(",\"css\":[%.1f,%.1f],\"win\":[%d,%d],\"fb\":[%d,%d],\"dpi\":%.4f,\"fps\":%.2f", css_w, css_h,
        a->win_w, a->win_h, a->fb_w, a->fb_h, a->dpi, a->fps);
    put(",\"widgets\":{");
    for (int i = 0; i < APP_W_COUNT; i++) {
        const app_rect_t *r = &a->widgets[i];
        if (names[i])
            put("%s\"%s\":", i ? "," : "", names[i]);
        else
            put("%s\"w%d\":", i ? "," : "", i);
        put("[%.2f,%.2f,%.2f,%.2f]", r->x * k, r->y * k, r->w * k, r->h * k);
    }
    put("},\"node_px\":{");
    for (uint32_t i = 0; i < a->panes[0].sorted_count && used + 600 < sizeof info; i++) {
        double x, y;
        uint16_t slot = a->panes[0].sorted[i];
        app_node_px(slot, &x, &y);
        /* Ids can be any bytes: plain ones are keys as they are, others are
         * keyed by their slot. */
        const char *id = a->panes[0].sim.ring.nodes[slot].id;
        int plain = strlen(id) < 64;
        for (const char *p = id; plain && *p; p++)
            plain = (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' ||
                    *p == '-' || *p == '.';
        if (plain)
            put("%s\"%s\":[%.2f,%.2f]", i ? "," : "", id, x * k, y * k);
        else
            put("%s\"#%u\":[%.2f,%.2f]", i ? "," : "", (unsigned)slot, x * k, y * k);
    }
    put("}}");
    if (used >= sizeof info)
        return "{}";
    return info;
}

int main(int argc, char **argv)
{
    static opts_t o; /* the app's configuration points into it: kept for the page's life */
    char err[1024];
    if (opts_parse(argc, argv, 1, OPTS_APP, &o, err, sizeof err) != 0) {
        page_fail(err);
        return 2;
    }
    if (opts_scenario(&o, &script, err, sizeof err) != 0) {
        page_fail(err);
        opts_free(&o);
        return 2;
    }
    double w = 0, h = 0;
    if (emscripten_get_element_css_size("#canvas", &w, &h) != EMSCRIPTEN_RESULT_SUCCESS || w < 1 || h < 1) {
        w = 1280;
        h = 720;
    }
    /* Keys while the canvas has focus only: the rest of the page (and the
     * browser's own shortcuts) keep theirs. */
    SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
    app_desc_t desc = {.width = (int)lround(w), .height = (int)lround(h), .title = "Ringscope"};
    opts_sim_config(&o, &desc.sim);
    desc.compare = o.compare;
    desc.compare_count = o.compare_count;
    if (app_init(&desc, err, sizeof err) != 0) {
        page_fail(err);
        scn_free(&script);
        opts_free(&o);
        return 1;
    }
    app_play(&script);
    page_ready();
    last_ms = emscripten_get_now();
    emscripten_set_main_loop(frame, 0, 1);
    return 0;
}
