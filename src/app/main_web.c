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
 *   rs_web_wake()              while the loop sleeps (settled: nothing is
 *                              drawn and requestAnimationFrame is off), the
 *                              page saw input or the change it was told of
 *                              (Module.ringscopeSleep(seconds)) is due
 *   rs_web_session()           the session as the script Ctrl+S saves (the
 *                              page's Copy link); rs_web_save_session()
 *                              saves it (a download)
 *   rs_web_reduced_motion(on)  the user's prefers-reduced-motion: nothing
 *                              pulses, flights take a third of their time
 *   rs_web_help()              the help overlay's lines as JSON (the page's
 *                              HTML help)
 *   rs_web_context_restored()  the WebGL context is back: re-create every GL
 *                              object from the simulation, which never left
 *   rs_web_text(utf8, composing)  text from the page's input element while
 *                              the node-id field has focus: typed (0) or
 *                              being composed by an input method (1)
 *   rs_web_key(sdl_keycode)    a key the input element passes on (Enter,
 *                              Escape, Tab, Backspace, Delete)
 *   rs_web_font(path, fb)      a font the page fetched is in the file system:
 *                              the whole DejaVu Sans (fb 0; the first frame
 *                              had a subset) or the CJK fallback (fb 1); the
 *                              page fetches them when text needs a glyph the
 *                              fonts so far lack (Module.ringscopeNeedGlyphs);
 *                              0, or -1 with a warning on the console
 *
 * The page shows what goes wrong: Module.ringscopeFail(message) is called
 * when the options or app_init fail; Module.ringscopeBuilding(fraction) while
 * app_init builds millions of embeddings (the page cannot repaint meanwhile:
 * a worker draws it); Module.ringscopeReady() once the app is up and
 * Module.ringscopeFirstFrame() after the first frame is drawn.
 */
#include "app.h"
#include "hud.h"
#include "json.h"
#include "opts.h"
#include "store.h"

#include <SDL_ttf.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Input, or the change the loop slept until is due: draw the next frame. */
static void wake(void)
{
    pending = 1;
    if (!asleep)
        return;
    asleep = 0;
    double now = emscripten_get_now();
    catch_up((now - last_ms) / 1000.0);
    last_ms = now;
    emscripten_resume_main_loop();
}

static json_t info; /* rs_web_info's text */

/* With reduced motion (prefers-reduced-motion), while something moves the
 * animation clock runs this many times faster: flights, node slides and
 * falls take a third of their time (a title card keeps its reading time). */
#define REDUCED_MOTION_SPEEDUP 3.0

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

/* ---- how many embeddings this device holds ----------------------------
 * WebAssembly's 32-bit memory caps the browser version at
 * RS_MAX_VECTORS_WEB; a device that reports little memory
 * (navigator.deviceMemory, GB, 0.25 to 8) gets a quarter of it, at about
 * WEB_PEAK_BYTES per embedding at the peak of a change (measured: 20,000,000
 * take 1.06 GB settled). */
#define WEB_PEAK_BYTES 70.0

EM_JS(double, page_device_memory, (void), {
    return (typeof navigator !== "undefined" && navigator.deviceMemory > 0) ? navigator.deviceMemory : 0;
});
EM_JS(double, page_heap_bytes, (void), {
    return HEAP8.length;
});

/* n rounded down to two significant digits (14,285,714 -> 14,000,000). */
static uint64_t round_down_2(uint64_t n)
{
    uint64_t p = 1;
    while (n / p >= 100)
        p *= 10;
    return n / p * p;
}

static double device_gb;

static uint64_t max_vectors(void)
{
    uint64_t cap = RS_MAX_VECTORS_WEB;
    if (device_gb > 0) {
        uint64_t fits = round_down_2((uint64_t)(device_gb * 1e9 / 4 / WEB_PEAK_BYTES));
        if (fits < cap)
            cap = fits;
    }
    return cap;
}

/* More embeddings than this device holds: says so (-1), with a
 * suggestion; else 0. what: "--vectors" or "vectors". */
static int too_many(uint64_t n, const char *what, char *err, size_t err_size)
{
    uint64_t cap = max_vectors();
    if (n <= cap)
        return 0;
    if (cap < RS_MAX_VECTORS_WEB)
        snprintf(err, err_size,
                 "%s: %llu embeddings need about %.2f GB at the peak of a change, and this device reports %g GB of "
                 "memory (a page takes at most a quarter): the browser version holds at most %llu here (try %llu, "
                 "or the desktop app, which takes up to %llu)",
                 what, (unsigned long long)n, (double)n * WEB_PEAK_BYTES / 1e9, device_gb, (unsigned long long)cap,
                 (unsigned long long)cap, (unsigned long long)RS_MAX_VECTORS);
    else
        snprintf(err, err_size,
                 "%s: %llu is more than the browser version holds (at most %llu; the desktop app takes up to %llu)",
                 what, (unsigned long long)n, (unsigned long long)cap, (unsigned long long)RS_MAX_VECTORS);
    return -1;
}

/* The --vectors values (from ?vectors=) against this device's limit, before
 * the options are parsed: the message quotes the browser's range. */
static int check_vectors_args(int argc, char **argv, char *err, size_t err_size)
{
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--vectors") == 0 && i + 1 < argc)
            v = argv[++i];
        else if (strncmp(argv[i], "--vectors=", 10) == 0)
            v = argv[i] + 10;
        if (!v)
            continue;
        uint64_t n;
        if (scn_parse_u64(v, strlen(v), 0, UINT64_MAX, "--vectors", &n, err, err_size) != 0) {
            /* not a whole number: the message names the browser's range */
            scn_parse_u64(v, strlen(v), 0, max_vectors(), "--vectors", &n, err, err_size);
            return -1;
        }
        if (too_many(n, "--vectors", err, err_size) != 0)
            return -1;
    }
    return 0;
}

/* `vectors N` from ?do= (as_do 1), a script file or a run() command (0),
 * against the same limit. */
static int check_vectors_cmd(const scn_cmd_t *c, int as_do, char *err, size_t err_size)
{
    if (c->op != SCN_VECTORS)
        return 0;
    char what[64] = "vectors";
    if (as_do)
        snprintf(what, sizeof what, "--do \"vectors %llu\"", (unsigned long long)c->value);
    return too_many(c->value, what, err, err_size);
}

/* How far building the embeddings got, for the page (its worker draws the
 * bar: this thread is busy building until app_init returns). */
EM_JS(void, page_building, (double fraction), {
    if (Module.ringscopeBuilding) Module.ringscopeBuilding(fraction);
});

static void build_progress(void *ctx, double fraction)
{
    static double said_at = -1e9;
    (void)ctx;
    double now = emscripten_get_now();
    if (fraction < 1.0 && now - said_at < 50)
        return;
    said_at = now;
    page_building(fraction);
}

/* app_init ran out of memory (the browser would not grow it further):
 * what did fit, as a suggestion. */
static void out_of_memory_message(uint64_t asked, const char *why, char *err, size_t err_size)
{
    uint64_t fits = round_down_2((uint64_t)(page_heap_bytes() / WEB_PEAK_BYTES));
    if (fits >= asked)
        fits = round_down_2(asked / 2);
    snprintf(err, err_size,
             "the browser did not give Ringscope the memory for %llu embeddings (%s). Try fewer, e.g. "
             "--vectors=%llu, close other tabs, or use the desktop app",
             (unsigned long long)asked, why, (unsigned long long)fits);
}

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
    wake();
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
    wake();
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = keycode;
    app_event(&e);
}

/* ---- fonts fetched when text needs them --------------------------------
 * The first frame has a subset of DejaVu Sans with every glyph the UI draws
 * (tests/web/ui_glyphs.py). Text the user brings (node ids, zones,
 * captions) may need more: after a drawn frame whose glyph cache changed,
 * the code points neither face has (drawn as the replacement mark U+FFFD) go to the page, which
 * fetches the font that has them (the whole DejaVu Sans, or the CJK
 * fallback) and hands it back through rs_web_font. */
#define MISSING_MAX 32

EM_JS(void, page_need_glyphs, (const uint32_t *cps, int n), {
    if (Module.ringscopeNeedGlyphs) Module.ringscopeNeedGlyphs(Array.from(HEAPU32.subarray(cps >> 2, (cps >> 2) + n)));
});

static uint32_t missing[MISSING_MAX];
static int missing_count;

static void find_missing_glyphs(void)
{
    static uint32_t seen_generation = UINT32_MAX, seen_glyphs = UINT32_MAX;
    const font_t *f = &app_get()->font;
    if (f->generation == seen_generation && f->glyphs == seen_glyphs)
        return;
    seen_generation = f->generation;
    seen_glyphs = f->glyphs;
    int n = 0;
    for (size_t i = 0; i < FONT_TABLE && n < MISSING_MAX; i++) {
        uint32_t key = f->table[i].key;
        if (!key)
            continue;
        uint32_t cp = key >> 3; /* the key is the code point << 3 | the size */
        if (TTF_GlyphIsProvided32(f->ttf[0], cp) || (f->fb[0] && TTF_GlyphIsProvided32(f->fb[0], cp)))
            continue;
        int known = 0;
        for (int k = 0; k < n && !known; k++)
            known = missing[k] == cp;
        if (!known)
            missing[n++] = cp;
    }
    missing_count = n;
    if (n)
        page_need_glyphs(missing, n);
}

/* ---- what screen readers hear (a polite live region on the page) ------ */

/* Appends ": figure" (the first) or ", figure" to out. */
static __attribute__((format(printf, 5, 6))) void add_figure(char *out, size_t n, size_t *at, int *count,
                                                             const char *fmt, ...)
{
    if (*at >= n)
        return;
    int w = snprintf(out + *at, n - *at, "%s", (*count)++ ? ", " : ": ");
    *at += w > 0 ? (size_t)w : 0;
    if (*at >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    w = vsnprintf(out + *at, n - *at, fmt, ap);
    va_end(ap);
    *at += w > 0 ? (size_t)w : 0;
}

/* A change in the words of the honest numbers, the figures the core gave
 * the pane (pane_action_t, as the counter line shows them): moved (data
 * transferred to a new primary holder; a crash transfers nothing),
 * promoted (the primary became a surviving copy), copied (new copies
 * made), lost (no copy left), under-replicated; each only when it is not
 * zero. */
static void change_text(const pane_action_t *ac, char *out, size_t n)
{
    int w = snprintf(out, n, "%s", ac->text), count = 0;
    size_t at = w > 0 ? (size_t)w : 0;
    if (!ac->counts_up)
        return; /* "Grew to 7000 vectors" says it all */
    uint64_t moved = app_moved_landed();
    if (moved && ac->shards && ac->shards_moved && ac->op != SCN_FAIL)
        add_figure(out, n, &at, &count, "moved %u shards, %llu of %llu keys", ac->shards_moved,
                   (unsigned long long)moved, (unsigned long long)ac->total);
    else if (moved)
        add_figure(out, n, &at, &count, "moved %llu of %llu", (unsigned long long)moved, (unsigned long long)ac->total);
    if (ac->promoted)
        add_figure(out, n, &at, &count, "promoted %llu", (unsigned long long)ac->promoted);
    if (ac->repl && ac->copies)
        add_figure(out, n, &at, &count, "copied %llu (%.1f MB)", (unsigned long long)ac->copies, (double)ac->bytes / 1e6);
    if (ac->lost)
        add_figure(out, n, &at, &count, "lost %llu of %llu", (unsigned long long)ac->lost, (unsigned long long)ac->total);
    if (ac->repl && ac->under)
        add_figure(out, n, &at, &count, "under-replicated %llu", (unsigned long long)ac->under);
}

/* What the selection keys act on, when the selection changes. */
static void selection_text(const pane_t *p, char *out, size_t n)
{
    if (p->selected == SCENE_NONE || p->selected >= p->sim.ring.slot_count) {
        snprintf(out, n, "No node selected");
        return;
    }
    const ring_node_t *nd = &p->sim.ring.nodes[p->selected];
    const char *zone = p->sim.repl.on ? repl_zone_of(&p->sim.repl, nd->id) : NULL;
    snprintf(out, n, "Selected %s: %llu keys, weight %u%s%s. Delete removes it, X crashes it%s.", nd->id,
             (unsigned long long)sim_counts(&p->sim)[p->selected], nd->weight, zone ? ", zone " : "", zone ? zone : "",
             p->sim.strat.ops->weighted ? ", W and Shift+W change its weight" : "");
}

/* Each action's result once its flights have landed ("Added nodeF: moved
 * 1075 of 6000"), every message the HUD shows (errors, pause) and the
 * selection; each compared with what was said last. */
static void announce(void)
{
    static float said_action_t = -1, said_toast_t = -1;
    static char said_action[sizeof app_get()->panes[0].action.text];
    static uint16_t said_sel[APP_PANES_MAX] = {SCENE_NONE, SCENE_NONE, SCENE_NONE, SCENE_NONE};
    const app_t *a = app_get();
    char text[sizeof said_action + 256];
    if (a->toast[0] && a->toast_t != said_toast_t) {
        said_toast_t = a->toast_t;
        page_announce(a->toast);
    }
    for (int i = 0; i < a->pane_count; i++) {
        const pane_t *p = &a->panes[i];
        if (p->selected == said_sel[i])
            continue;
        said_sel[i] = p->selected;
        if (i == a->focus) {
            selection_text(p, text, sizeof text);
            page_announce(text);
        }
    }
    const pane_action_t *ac = &a->panes[0].action;
    if (!(ac->total || ac->moved) || !app_settled())
        return;
    if (ac->t0 == said_action_t && strcmp(ac->text, said_action) == 0)
        return;
    said_action_t = ac->t0;
    snprintf(said_action, sizeof said_action, "%s", ac->text);
    change_text(ac, text, sizeof text);
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
        /* A tick later: the fixed-tick clock has then surely passed it. */
        page_sleep(isfinite(due) ? due + APP_TICK : -1.0);
        return;
    }
    pending = 0;
    const app_t *a = app_get();
    if (a->reduced_motion && !app_settled() && !(a->title_card[0] && a->clock - a->title_t < SCN_TITLE_SECONDS))
        app_advance(dt * (REDUCED_MOTION_SPEEDUP - 1));
    app_frame(dt);
    if (frames_drawn++ == 0)
        page_first_frame();
    find_missing_glyphs();
    announce();
}

/* While the loop slept, the page saw input (mouse, keys, touch, a
 * resize...) or its timer for the next due change fired. */
EMSCRIPTEN_KEEPALIVE void rs_web_wake(void)
{
    wake();
}

/* The user's prefers-reduced-motion (1: reduce), at start and on change:
 * nothing pulses, flights are shortened. */
EMSCRIPTEN_KEEPALIVE void rs_web_reduced_motion(int on)
{
    app_get()->reduced_motion = on != 0;
    wake();
}

EMSCRIPTEN_KEEPALIVE const char *rs_web_state(void)
{
    return app_state_json();
}

EMSCRIPTEN_KEEPALIVE const char *rs_web_run(const char *cmd)
{
    if (!cmd)
        return "no command";
    wake();
    static char msg[512];
    scn_cmd_t c;
    if (scn_parse_line(cmd, strlen(cmd), &c, msg, sizeof msg) == 0 && check_vectors_cmd(&c, 0, msg, sizeof msg) != 0)
        return msg;
    const char *err = app_run_command(cmd);
    return err ? err : "";
}

/* The session as the script Ctrl+S saves (the page makes its link from
 * it); valid until the next call. "" when out of memory. */
EMSCRIPTEN_KEEPALIVE const char *rs_web_session(void)
{
    static char *text;
    size_t len = 0;
    free(text);
    text = app_session_text(app_get(), &len);
    return text ? text : "";
}

/* Ctrl+S from the page (a link too long to share: the file instead). */
EMSCRIPTEN_KEEPALIVE void rs_web_save_session(void)
{
    wake();
    app_save_session(app_get());
}

/* The help overlay's lines for the page's HTML help:
 * {"keys":[[key, what], ...], "touch":[...]} ({"", ""}: a gap). */
EMSCRIPTEN_KEEPALIVE const char *rs_web_help(void)
{
    static json_t j;
    json_reset(&j);
    for (int touch = 0; touch < 2; touch++) {
        json_raw(&j, touch ? "],\"touch\":[" : "{\"keys\":[");
        const char *const *line;
        for (size_t i = 0; (line = hud_help_line(touch, i)) != NULL; i++) {
            json_raw(&j, i ? ",[" : "[");
            json_str(&j, line[0]);
            json_raw(&j, ",");
            json_str(&j, line[1]);
            json_raw(&j, "]");
        }
    }
    json_raw(&j, "]}");
    return j.len ? json_text(&j) : "{\"keys\":[],\"touch\":[]}";
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

/* A font the page fetched. The page puts the whole DejaVu Sans where the
 * subset was (/assets/DejaVuSans.ttf) and the fallback where the app looks
 * for it, so the app's own reopening of its fonts (a new size after a
 * resize, a restored context) opens them too. */
EMSCRIPTEN_KEEPALIVE int rs_web_font(const char *path, int fallback)
{
    char err[512];
    font_t *f = &app_get()->font;
    if (!path)
        return -1;
    if ((fallback ? font_load_fallback(f, path, err, sizeof err) : font_replace_main(f, path, err, sizeof err)) != 0) {
        fprintf(stderr, "ringscope: %s\n", err);
        return -1;
    }
    wake(); /* text drawn with the new glyphs */
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
    restores++;
    was_lost = 0;
    wake();
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
        [APP_W_COMPARE] = "compare",   [APP_W_LEGEND] = "legend"};
    const app_t *a = app_get();
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    /* Layout (event) pixels per drawable pixel: widget rects are drawable. */
    double k = a->fb_w > 0 ? (double)a->win_w / a->fb_w : 1.0;
    json_t *j = &info;
    json_reset(j);
    json_printf(j, "{\"frames\":%llu,\"restores\":%llu,\"lost\":%s,\"dpr\":%.4f", (unsigned long long)frames_drawn,
        (unsigned long long)restores, context_lost() ? "true" : "false", emscripten_get_device_pixel_ratio());
    json_printf(j, ",\"css\":[%.1f,%.1f],\"win\":[%d,%d],\"fb\":[%d,%d],\"dpi\":%.4f,\"fps\":%.2f", css_w, css_h,
        a->win_w, a->win_h, a->fb_w, a->fb_h, a->dpi, a->fps);
    /* The animation clock and when the picture next changes on its own
     * (-1: not until input), the loop asleep or not. */
    double due = app_wake_in();
    json_printf(j, ",\"clock\":%.3f,\"settle_at\":%.3f,\"due\":%.3f,\"asleep\":%s", a->clock, (double)a->settle_at,
        isfinite(due) ? due : -1.0, asleep ? "true" : "false");
    /* Code points drawn as the replacement mark in the last frame whose glyphs changed. */
    json_printf(j, ",\"missing\":[");
    for (int i = 0; i < missing_count; i++)
        json_printf(j, "%s%u", i ? "," : "", (unsigned)missing[i]);
    json_raw(j, "]");
    json_printf(j, ",\"widgets\":{");
    for (int i = 0; i < APP_W_COUNT; i++) {
        const app_rect_t *r = &a->widgets[i];
        if (names[i])
            json_printf(j, "%s\"%s\":", i ? "," : "", names[i]);
        else
            json_printf(j, "%s\"w%d\":", i ? "," : "", i);
        json_printf(j, "[%.2f,%.2f,%.2f,%.2f]", r->x * k, r->y * k, r->w * k, r->h * k);
    }
    json_printf(j, "}");
    /* Layout, in CSS pixels: the controls' bar and rail, the panel and the
     * node rows it shows, each pane's cell and ring diameter (drawn or not:
     * a small sideways screen draws two), the buttons whose text was cut. */
    const app_rect_t *rects[] = {&a->bar, &a->rail, &a->panel};
    static const char *const rect_names[] = {"bar", "rail", "panel"};
    for (int i = 0; i < 3; i++)
        json_printf(j, ",\"%s\":[%.2f,%.2f,%.2f,%.2f]", rect_names[i], rects[i]->x * k, rects[i]->y * k,
                    rects[i]->w * k, rects[i]->h * k);
    json_printf(j, ",\"panel_rows\":%u,\"panel_first\":%u,\"panel_nodes\":%u,\"panes\":[", a->panel_rows,
                a->panel_scroll, a->panes[a->focus].sorted_count);
    for (int i = 0; i < a->pane_count; i++) {
        const pane_t *p = &a->panes[i];
        json_printf(j, "%s{\"shown\":%s,\"cell\":[%.2f,%.2f,%.2f,%.2f],\"ring\":%.2f}", i ? "," : "",
                    i < a->pane_shown ? "true" : "false", p->cell[0] * k, p->cell[1] * k, p->cell[2] * k,
                    p->cell[3] * k, 2 * p->view.scale * k);
    }
    json_printf(j, "],\"header_cut\":[");
    for (int i = 0; i < a->pane_shown && a->pane_count > 1; i++)
        json_printf(j, "%s%s", i ? "," : "", a->header_cut[i] ? "true" : "false");
    json_printf(j, "],\"cut\":[");
    for (int i = 0, c = 0; i < APP_W_COUNT; i++)
        if (a->widget_cut & (1u << i) && a->widgets[i].w > 0)
            json_printf(j, "%s\"%s\"", c++ ? "," : "", names[i] ? names[i] : "?");
    json_printf(j, "],\"node_px\":{");
    for (uint32_t i = 0; i < a->panes[0].sorted_count; i++) {
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
            json_printf(j, "%s\"%s\":[%.2f,%.2f]", i ? "," : "", id, x * k, y * k);
        else
            json_printf(j, "%s\"#%u\":[%.2f,%.2f]", i ? "," : "", (unsigned)slot, x * k, y * k);
    }
    json_raw(j, "}}");
    return j->oom ? "{}" : json_text(j);
}

int main(int argc, char **argv)
{
    static opts_t o; /* the app's configuration points into it: kept for the page's life */
    char err[1024];
    device_gb = page_device_memory();
    if (check_vectors_args(argc, argv, err, sizeof err) != 0) {
        page_fail(err);
        return 2;
    }
    if (opts_parse(argc, argv, 1, OPTS_APP, &o, err, sizeof err) != 0) {
        page_fail(err);
        return 2;
    }
    if (opts_scenario(&o, &script, err, sizeof err) != 0) {
        page_fail(err);
        opts_free(&o);
        return 2;
    }
    for (size_t i = 0; i < script.count; i++) {
        const scn_cmd_t *c = &script.cmds[i];
        char why[sizeof err];
        if (check_vectors_cmd(c, !(c->line && o.script), why, sizeof why) != 0) {
            if (c->line && o.script)
                snprintf(err, sizeof err, "%s:%u: %s", o.script, c->line, why);
            else
                snprintf(err, sizeof err, "%s", why);
            page_fail(err);
            scn_free(&script);
            opts_free(&o);
            return 2;
        }
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
    store_set_progress(build_progress, NULL);
    int rc = app_init(&desc, err, sizeof err);
    store_set_progress(NULL, NULL);
    if (rc != 0) {
        if (strstr(err, "out of memory")) {
            char why[sizeof err];
            snprintf(why, sizeof why, "%s", err);
            out_of_memory_message(o.vectors, why, err, sizeof err);
        }
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
