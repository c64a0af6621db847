#include "app_keys.h"

#include "app_priv.h"

#include <stdio.h>
#include <string.h>

/* The browser records WebM (MediaRecorder) and a page cannot close itself. */
#ifdef __EMSCRIPTEN__
#define KEYS_VIDEO_EXT ".webm"
#define KEYS_ESC_DOES "Close the help, or leave the node-id field"
#else
#define KEYS_VIDEO_EXT ".mp4"
#define KEYS_ESC_DOES "Close the help, or quit"
#endif

typedef enum keys_when {
    KEYS_MAIN,   /* outside the node-id field */
    KEYS_FIELD,  /* while a node id is typed (no line of its own: "Enter" explains them) */
    KEYS_CTRL,   /* with Ctrl or Cmd, anywhere */
    KEYS_NUMBER, /* the number keys 1 .. strategies, outside the field */
} keys_when_t;

typedef struct keys_bind {
    SDL_Keycode key;
    int arg;
} keys_bind_t;

typedef struct keys_row {
    const char *keys, *help;                   /* the help line; NULL help: made by text() */
    void (*text)(const char **keys, const char **help);
    void (*run)(app_t *a, pane_t *p, int shift, int arg);
    keys_when_t when;
    keys_bind_t bind[11];                      /* key 0 ends the list */
} keys_row_t;

/* ---- actions ------------------------------------------------------------- */

static void run_escape(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    if (a->help)
        a->help = 0;
    else
        a->quit = 1;
}

static void run_help(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    a->help = !a->help;
}

static void run_add(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    app_add_node(a);
}

/* arg 1: the selected node first (the Delete key); 0: the typed id first
 * (the field's Delete, as the button does). */
static void run_remove(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift;
    app_remove_node(a, arg);
}

static void run_vnodes(app_t *a, pane_t *p, int shift, int arg)
{
    (void)shift;
    uint32_t v = p->sim.ring.vnodes;
    if (arg < 0 && v > APP_VNODES_MIN)
        app_rebuild(a, v - APP_VNODES_STEP < APP_VNODES_MIN ? APP_VNODES_MIN : v - APP_VNODES_STEP);
    else if (arg > 0 && v < APP_VNODES_MAX)
        app_rebuild(a, v + APP_VNODES_STEP > APP_VNODES_MAX ? APP_VNODES_MAX : v + APP_VNODES_STEP);
}

static void run_vectors(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)arg;
    app_vectors(a, shift ? -(int64_t)APP_VECTORS_STEP : APP_VECTORS_STEP);
}

static void run_strategy(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift;
    app_strategy(a, (strat_kind_t)arg);
}

static void run_compare(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)arg;
    if (shift)
        app_compare_more(a);
    else
        app_compare_toggle(a);
}

static void run_weight(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)arg;
    app_weight(a, shift ? -1 : 1);
}

static void run_replicas(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)arg;
    app_replicas(a, shift ? -1 : 1);
}

static void run_crash(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    app_crash_toggle(a);
}

static void run_heal(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    app_heal(a);
}

static void run_realtime(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)arg;
    app_realtime(a, shift);
}

static void run_select(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)arg;
    app_select_next(a, shift ? -1 : 1);
}

static void run_pause(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    app_toggle_pause(a);
}

static void run_screenshot(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    app_screenshot(a);
}

static void run_session(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    app_save_session(a);
}

static void run_record(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    app_toggle_recording(a);
}

enum { VIEW_IN, VIEW_OUT, VIEW_LEFT, VIEW_RIGHT, VIEW_UP, VIEW_DOWN, VIEW_RESET };

/* Zoom about the pane's centre, pan by 60 px, or reset. */
static void run_view(app_t *a, pane_t *p, int shift, int arg)
{
    (void)shift;
    double cx = p->view.area_x + 0.5 * p->view.area_w, cy = p->view.area_y + 0.5 * p->view.area_h;
    float step = 60 * a->dpi;
    switch (arg) {
    case VIEW_IN: view_zoom_at(&p->view, 1.5, cx, cy); break;
    case VIEW_OUT: view_zoom_at(&p->view, 1 / 1.5, cx, cy); break;
    case VIEW_LEFT: view_pan(&p->view, step, 0); break;
    case VIEW_RIGHT: view_pan(&p->view, -step, 0); break;
    case VIEW_UP: view_pan(&p->view, 0, step); break;
    case VIEW_DOWN: view_pan(&p->view, 0, -step); break;
    default: app_reset_view(a); return;
    }
    a->view_dirty = 1;
}

static void run_field(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    a->field_focus = 1;
    a->composing[0] = '\0';
}

static void run_field_leave(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    a->field_focus = 0;
}

/* Removes one whole UTF-8 sequence from the typed id. */
static void run_field_backspace(app_t *a, pane_t *p, int shift, int arg)
{
    (void)p, (void)shift, (void)arg;
    while (a->field_len > 0) {
        unsigned char c = (unsigned char)a->field[--a->field_len];
        if ((c & 0xC0) != 0x80)
            break;
    }
    a->field[a->field_len] = '\0';
}

/* ---- texts made from the strategy list ----------------------------------- */

/* The number keys: one per strategy, at most 9. */
static int number_keys(void)
{
    return STRAT_COUNT < 9 ? STRAT_COUNT : 9;
}

static void strategy_text(const char **keys, const char **help)
{
    static char k[32], h[256];
    if (!k[0]) {
        snprintf(k, sizeof k, "1 \xE2\x80\xA6 %d", number_keys());
        snprintf(h, sizeof h, "Strategy:");
        for (int i = 0; i < number_keys(); i++)
            snprintf(h + strlen(h), sizeof h - strlen(h), "%s %s", i ? "," : "", strat_name((strat_kind_t)i));
    }
    *keys = k;
    *help = h;
}

static void compare_text(const char **keys, const char **help)
{
    static char h[128];
    if (!h[0])
        snprintf(h, sizeof h, "Compare strategies side by side / one more (1 \xE2\x80\xA6 %d: the pane under the pointer)",
                 number_keys());
    *keys = "C  /  Shift+C";
    *help = h;
}

static void replicas_text(const char **keys, const char **help)
{
    static char h[96];
    if (!h[0])
        snprintf(h, sizeof h, "Replicas +1 / \xE2\x88\x92" "1 (copies of every key, 1 \xE2\x80\xA6 %u)", (unsigned)REPL_MAX);
    *keys = "R  /  Shift+R";
    *help = h;
}

/* ---- the table ------------------------------------------------------------ */

static const keys_row_t rows[] = {
    {"A", "Add node: the typed id, or the next free nodeF, nodeG, \xE2\x80\xA6", NULL, run_add, KEYS_MAIN,
     {{SDLK_a, 0}}},
    {"Delete / Backspace", "Remove the selected node (or the typed id)", NULL, run_remove, KEYS_MAIN,
     {{SDLK_DELETE, 1}, {SDLK_BACKSPACE, 1}}},
    {"Enter", "Type a node id (Enter again adds it, Esc leaves the field)", NULL, run_field, KEYS_MAIN,
     {{SDLK_RETURN, 0}, {SDLK_KP_ENTER, 0}}},
    {"[  /  ]", "VNodes/node \xE2\x88\x92" "20 / +20 and rebuild the ring", NULL, run_vnodes, KEYS_MAIN,
     {{SDLK_LEFTBRACKET, -1}, {SDLK_RIGHTBRACKET, 1}}},
    {"V  /  Shift+V", "Add / remove 1000 vectors", NULL, run_vectors, KEYS_MAIN, {{SDLK_v, 0}}},
    {NULL, NULL, strategy_text, run_strategy, KEYS_NUMBER, {{0, 0}}},
    {NULL, NULL, compare_text, run_compare, KEYS_MAIN, {{SDLK_c, 0}}},
    {"W  /  Shift+W", "Weight of the selected node +1 / \xE2\x88\x92" "1", NULL, run_weight, KEYS_MAIN,
     {{SDLK_w, 0}}},
    {NULL, NULL, replicas_text, run_replicas, KEYS_MAIN, {{SDLK_r, 0}}},
    {"X", "Crash the selected node (none selected: recover the last crashed)", NULL, run_crash, KEYS_MAIN,
     {{SDLK_x, 0}}},
    {"E", "Heal: copy each missing replica from a surviving one", NULL, run_heal, KEYS_MAIN, {{SDLK_e, 0}}},
    {"T  /  Shift+T", "Real time: flights last the transfer time, slowed (Shift+T: next scale)", NULL, run_realtime,
     KEYS_MAIN, {{SDLK_t, 0}}},
    {"Tab  /  Shift+Tab", "Select the next / previous node", NULL, run_select, KEYS_MAIN, {{SDLK_TAB, 0}}},
    {"Space", "Pause / resume the animation", NULL, run_pause, KEYS_MAIN, {{SDLK_SPACE, 0}}},
    {"S", "Save a PNG screenshot (timestamped)", NULL, run_screenshot, KEYS_MAIN, {{SDLK_s, 0}}},
    {"Ctrl+S", "Save the session as a replayable script (ringscope-session-\xE2\x80\xA6.txt)", NULL, run_session,
     KEYS_CTRL, {{SDLK_s, 0}}},
    {"F9", "Record the screen to a video / stop (ringscope-\xE2\x80\xA6" KEYS_VIDEO_EXT ")", NULL, run_record,
     KEYS_MAIN, {{SDLK_F9, 0}}},
    {"+  \xE2\x88\x92  arrows  0", "Zoom, pan, reset the view", NULL, run_view, KEYS_MAIN,
     {{SDLK_EQUALS, VIEW_IN}, {SDLK_PLUS, VIEW_IN}, {SDLK_KP_PLUS, VIEW_IN}, {SDLK_MINUS, VIEW_OUT},
      {SDLK_KP_MINUS, VIEW_OUT}, {SDLK_LEFT, VIEW_LEFT}, {SDLK_RIGHT, VIEW_RIGHT}, {SDLK_UP, VIEW_UP},
      {SDLK_DOWN, VIEW_DOWN}, {SDLK_0, VIEW_RESET}, {SDLK_KP_0, VIEW_RESET}}},
    {"H  /  F1", "This help", NULL, run_help, KEYS_MAIN, {{SDLK_h, 0}, {SDLK_F1, 0}}},
    {"Esc", KEYS_ESC_DOES, NULL, run_escape, KEYS_MAIN, {{SDLK_ESCAPE, 0}}},
    /* typing a node id */
    {NULL, NULL, NULL, run_add, KEYS_FIELD, {{SDLK_RETURN, 0}, {SDLK_KP_ENTER, 0}}},
    {NULL, NULL, NULL, run_field_backspace, KEYS_FIELD, {{SDLK_BACKSPACE, 0}}},
    {NULL, NULL, NULL, run_field_leave, KEYS_FIELD, {{SDLK_ESCAPE, 0}, {SDLK_TAB, 0}}},
    {NULL, NULL, NULL, run_remove, KEYS_FIELD, {{SDLK_DELETE, 0}}},
};

#define ROWS (sizeof rows / sizeof rows[0])

/* The row and argument of key in mode when; NULL if none. */
static const keys_row_t *find(keys_when_t when, SDL_Keycode key, int *arg)
{
    for (size_t i = 0; i < ROWS; i++) {
        const keys_row_t *r = &rows[i];
        if (r->when == KEYS_NUMBER && when == KEYS_MAIN && key >= SDLK_1 && key < SDLK_1 + number_keys()) {
            *arg = (int)(key - SDLK_1);
            return r;
        }
        if (r->when != when)
            continue;
        for (size_t b = 0; b < sizeof r->bind / sizeof r->bind[0] && r->bind[b].key; b++)
            if (r->bind[b].key == key) {
                *arg = r->bind[b].arg;
                return r;
            }
    }
    return NULL;
}

int app_keys_press(app_t *a, pane_t *p, SDL_Keycode key, Uint16 mod)
{
    int arg = 0, shift = (mod & KMOD_SHIFT) != 0;
    const keys_row_t *r = NULL;
    if (mod & (KMOD_CTRL | KMOD_GUI))
        r = find(KEYS_CTRL, key, &arg); /* in the id field too: these are not text */
    if (!r)
        r = find(a->field_focus ? KEYS_FIELD : KEYS_MAIN, key, &arg);
    if (!r)
        return 0;
    r->run(a, p, shift, arg);
    return 1;
}

size_t app_keys_help_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < ROWS; i++)
        n += rows[i].help != NULL || rows[i].text != NULL;
    return n;
}

void app_keys_help(size_t i, const char **keys, const char **help)
{
    *keys = *help = "";
    for (size_t k = 0; k < ROWS; k++) {
        const keys_row_t *r = &rows[k];
        if (!r->help && !r->text)
            continue;
        if (i-- > 0)
            continue;
        if (r->text) {
            r->text(keys, help);
        } else {
            *keys = r->keys;
            *help = r->help;
        }
        return;
    }
}
