#include "app_keys.h"

#include "app_priv.h"

#include <stdio.h>
#include <string.h>

/* The browser records WebM (MediaRecorder) and a page cannot close itself. */
#ifdef __EMSCRIPTEN__
#define KEYS_VIDEO_EXT ".webm"
#define KEYS_ESC_DOES "Close the help or the legend, clear the selection, leave the node-id field"
#else
#define KEYS_VIDEO_EXT ".mp4"
#define KEYS_ESC_DOES "Close the help or the legend, clear the selection, or quit (unsaved: asks, then saves)"
#endif

typedef enum keys_when {
    KEYS_IN_MAIN,   /* outside the node-id field */
    KEYS_IN_FIELD,  /* while a node id is typed (no line of its own: "Enter" explains them) */
    KEYS_WITH_CTRL, /* with Ctrl or Cmd, anywhere */
    KEYS_NUMBERS,   /* the number keys 1 .. strategies, outside the field */
} keys_when_t;

typedef struct keys_bind {
    SDL_Keycode key;
    int arg;
} keys_bind_t;

typedef struct keys_row {
    const char *keys, *help;                   /* the help line; NULL help: made by text() */
    void (*text)(const char **keys, const char **help);
    keys_action_t action;
    keys_when_t when;
    keys_bind_t bind[11];                      /* key 0 ends the list */
} keys_row_t;

/* ---- actions ------------------------------------------------------------- */

enum { VIEW_IN, VIEW_OUT, VIEW_LEFT, VIEW_RIGHT, VIEW_UP, VIEW_DOWN, VIEW_RESET };

/* Zoom about the pane's centre, pan by 60 px, or reset. */
static void view_step(app_t *a, pane_t *p, int arg)
{
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

/* VNodes/node one step down (arg < 0) or up, within the slider's range. */
static void vnodes_step(app_t *a, const pane_t *p, int arg)
{
    uint32_t v = p->sim.ring.vnodes;
    if (app_vnodes_refused(a))
        return;
    if (arg < 0 && v > APP_VNODES_MIN)
        app_rebuild(a, v - APP_VNODES_STEP < APP_VNODES_MIN ? APP_VNODES_MIN : v - APP_VNODES_STEP);
    else if (arg > 0 && v < APP_VNODES_MAX)
        app_rebuild(a, v + APP_VNODES_STEP > APP_VNODES_MAX ? APP_VNODES_MAX : v + APP_VNODES_STEP);
}

/* Removes one whole UTF-8 sequence from the typed id. */
static void field_backspace(app_t *a)
{
    while (a->field_len > 0) {
        unsigned char c = (unsigned char)a->field[--a->field_len];
        if ((c & 0xC0) != 0x80)
            break;
    }
    a->field[a->field_len] = '\0';
}

/* Shift turns adding into removing, forward into back (V, W, R, Tab), and
 * picks the other half of C and T. */
static void run(app_t *a, pane_t *p, keys_action_t action, int shift, int arg)
{
    int sign = shift ? -1 : 1;
    switch (action) {
    case KEYS_ADD: app_add_node(a); break;
    case KEYS_REMOVE: app_remove_node(a, arg); break; /* 1: the selected node first; 0: the typed id */
    case KEYS_FIELD:
        a->field_focus = 1;
        a->composing[0] = '\0';
        break;
    case KEYS_FIELD_LEAVE: a->field_focus = 0; break;
    case KEYS_FIELD_BACKSPACE: field_backspace(a); break;
    case KEYS_VNODES: vnodes_step(a, p, arg); break;
    case KEYS_VECTORS: app_vectors(a, sign * (int64_t)APP_VECTORS_STEP); break;
    case KEYS_STRATEGY: app_strategy(a, (strat_kind_t)arg); break;
    case KEYS_COMPARE:
        if (shift)
            app_compare_more(a);
        else
            app_compare_toggle(a);
        break;
    case KEYS_WEIGHT: app_weight(a, sign); break;
    case KEYS_REPLICAS: app_replicas(a, sign); break;
    case KEYS_CRASH: app_crash_toggle(a); break;
    case KEYS_HEAL: app_heal(a); break;
    case KEYS_REALTIME: app_realtime(a, shift); break;
    case KEYS_SELECT: app_select_next(a, sign); break;
    case KEYS_PAUSE: app_toggle_pause(a); break;
    case KEYS_SCREENSHOT: app_screenshot(a); break;
    case KEYS_SESSION: app_save_session(a); break;
    case KEYS_RECORD: app_toggle_recording(a); break;
    case KEYS_VIEW: view_step(a, p, arg); break;
    case KEYS_HELP: a->help = !a->help; break;
    case KEYS_LEGEND: a->legend = !a->legend; break;
    case KEYS_ESCAPE: /* one thing at a time: an overlay, the selection, then quitting */
        if (a->help)
            a->help = 0;
        else if (a->legend)
            a->legend = 0;
        else if (p->selected != SCENE_NONE)
            app_select(a, SCENE_NONE);
#ifndef __EMSCRIPTEN__ /* a page cannot close itself */
        else
            app_quit_request(a, 1);
#endif
        break;
    }
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
        snprintf(h, sizeof h,
                 "Compare strategies side by side / one more (1 \xE2\x80\xA6 %d: the pane under the pointer)",
                 number_keys());
    *keys = "C  /  Shift+C";
    *help = h;
}

static void replicas_text(const char **keys, const char **help)
{
    static char h[96];
    if (!h[0])
        snprintf(h, sizeof h, "Replicas +1 / \xE2\x88\x92" "1 (copies of every key, 1 \xE2\x80\xA6 %u)",
                 (unsigned)REPL_MAX);
    *keys = "R  /  Shift+R";
    *help = h;
}

/* ---- the table ------------------------------------------------------------ */

static const keys_row_t rows[] = {
    {"A", "Add node: the typed id, or the next free nodeF, nodeG, \xE2\x80\xA6", NULL, KEYS_ADD, KEYS_IN_MAIN,
     {{SDLK_a, 0}}},
    {"Delete / Backspace", "Remove the selected node (or the typed id)", NULL, KEYS_REMOVE, KEYS_IN_MAIN,
     {{SDLK_DELETE, 1}, {SDLK_BACKSPACE, 1}}},
    {"Enter", "Type a node id (Enter again adds it, Esc leaves the field)", NULL, KEYS_FIELD, KEYS_IN_MAIN,
     {{SDLK_RETURN, 0}, {SDLK_KP_ENTER, 0}}},
    {"[  /  ]", "VNodes/node \xE2\x88\x92" "20 / +20 and rebuild the ring", NULL, KEYS_VNODES, KEYS_IN_MAIN,
     {{SDLK_LEFTBRACKET, -1}, {SDLK_RIGHTBRACKET, 1}}},
    {"V  /  Shift+V", "Add / remove 1000 vectors", NULL, KEYS_VECTORS, KEYS_IN_MAIN, {{SDLK_v, 0}}},
    {NULL, NULL, strategy_text, KEYS_STRATEGY, KEYS_NUMBERS, {{0, 0}}},
    {NULL, NULL, compare_text, KEYS_COMPARE, KEYS_IN_MAIN, {{SDLK_c, 0}}},
    {"W  /  Shift+W", "Weight of the selected node +1 / \xE2\x88\x92" "1", NULL, KEYS_WEIGHT, KEYS_IN_MAIN,
     {{SDLK_w, 0}}},
    {NULL, NULL, replicas_text, KEYS_REPLICAS, KEYS_IN_MAIN, {{SDLK_r, 0}}},
    {"X", "Crash the selected node (none selected: recover the last crashed)", NULL, KEYS_CRASH, KEYS_IN_MAIN,
     {{SDLK_x, 0}}},
    {"E", "Heal: copy each missing replica from a surviving one", NULL, KEYS_HEAL, KEYS_IN_MAIN, {{SDLK_e, 0}}},
    {"T  /  Shift+T", "Real time: flights last the transfer time, slowed (Shift+T: next scale)", NULL, KEYS_REALTIME,
     KEYS_IN_MAIN, {{SDLK_t, 0}}},
    {"Tab  /  Shift+Tab", "Select the next / previous node", NULL, KEYS_SELECT, KEYS_IN_MAIN, {{SDLK_TAB, 0}}},
    {"Space", "Pause / resume the animation", NULL, KEYS_PAUSE, KEYS_IN_MAIN, {{SDLK_SPACE, 0}}},
    {"S", "Save a PNG screenshot (timestamped)", NULL, KEYS_SCREENSHOT, KEYS_IN_MAIN, {{SDLK_s, 0}}},
    {"Ctrl+S", "Save the session as a replayable script (ringscope-session-\xE2\x80\xA6.txt)", NULL, KEYS_SESSION,
     KEYS_WITH_CTRL, {{SDLK_s, 0}}},
    {"F9", "Record the screen to a video / stop (ringscope-\xE2\x80\xA6" KEYS_VIDEO_EXT ")", NULL, KEYS_RECORD,
     KEYS_IN_MAIN, {{SDLK_F9, 0}}},
    {"+  \xE2\x88\x92  arrows  0", "Zoom, pan, reset the view", NULL, KEYS_VIEW, KEYS_IN_MAIN,
     {{SDLK_EQUALS, VIEW_IN}, {SDLK_PLUS, VIEW_IN}, {SDLK_KP_PLUS, VIEW_IN}, {SDLK_MINUS, VIEW_OUT},
      {SDLK_KP_MINUS, VIEW_OUT}, {SDLK_LEFT, VIEW_LEFT}, {SDLK_RIGHT, VIEW_RIGHT}, {SDLK_UP, VIEW_UP},
      {SDLK_DOWN, VIEW_DOWN}, {SDLK_0, VIEW_RESET}, {SDLK_KP_0, VIEW_RESET}}},
    {"L", "What am I looking at: a legend of every mark on screen", NULL, KEYS_LEGEND, KEYS_IN_MAIN, {{SDLK_l, 0}}},
    {"H  /  F1", "This help", NULL, KEYS_HELP, KEYS_IN_MAIN, {{SDLK_h, 0}, {SDLK_F1, 0}}},
    {"Esc", KEYS_ESC_DOES, NULL, KEYS_ESCAPE, KEYS_IN_MAIN, {{SDLK_ESCAPE, 0}}},
    /* typing a node id */
    {NULL, NULL, NULL, KEYS_ADD, KEYS_IN_FIELD, {{SDLK_RETURN, 0}, {SDLK_KP_ENTER, 0}}},
    {NULL, NULL, NULL, KEYS_FIELD_BACKSPACE, KEYS_IN_FIELD, {{SDLK_BACKSPACE, 0}}},
    {NULL, NULL, NULL, KEYS_FIELD_LEAVE, KEYS_IN_FIELD, {{SDLK_ESCAPE, 0}, {SDLK_TAB, 0}}},
    {NULL, NULL, NULL, KEYS_REMOVE, KEYS_IN_FIELD, {{SDLK_DELETE, 0}}},
};

#define ROWS (sizeof rows / sizeof rows[0])

/* The row and argument of key in mode when; NULL if none. */
static const keys_row_t *find(keys_when_t when, SDL_Keycode key, int *arg)
{
    for (size_t i = 0; i < ROWS; i++) {
        const keys_row_t *r = &rows[i];
        if (r->when == KEYS_NUMBERS && when == KEYS_IN_MAIN && key >= SDLK_1 && key < SDLK_1 + number_keys()) {
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
        r = find(KEYS_WITH_CTRL, key, &arg); /* in the id field too: these are not text */
    if (!r)
        r = find(a->field_focus ? KEYS_IN_FIELD : KEYS_IN_MAIN, key, &arg);
    if (!r)
        return 0;
    run(a, p, r->action, shift, arg);
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

const char *app_keys_of(keys_action_t action)
{
    for (size_t k = 0; k < ROWS; k++)
        if (rows[k].action == action && (rows[k].help || rows[k].text)) {
            const char *keys, *help;
            if (rows[k].text)
                rows[k].text(&keys, &help);
            else
                keys = rows[k].keys;
            return keys;
        }
    return "";
}
