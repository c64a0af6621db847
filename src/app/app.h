/* app — the visualizer: one state struct, four callbacks.
 *
 * The platform layer (main_desktop.c's loop, or a browser's main loop) owns
 * time and the loop; it calls
 *
 *   app_init(&desc, err, n)   window + GL context, simulation, renderer
 *   app_event(&sdl_event)     for every SDL event
 *   app_frame(dt)             advance by dt seconds (clamped, fixed ticks),
 *                             draw, swap
 *   app_shutdown()
 *
 * app_advance / app_render split a frame for headless users (recording,
 * tests) that read pixels before anything is swapped.
 *
 * Scenario commands run on the live app, animated: app_run_command("add
 * nodeX"); app_state_json() describes the state for scripts and the web.
 *
 * Memory: all state lives in one app_t, static to app.c (app_get() exposes
 * it to tests and the platform): the controls, layout, font and batches,
 * and its panes (pane.h),
 * each with its own simulation, scene and view; app_shutdown releases
 * everything. Errors: app_init returns 0 or
 * -1 with a message in err; app_run_command returns NULL or a message that
 * stays valid until the next call. Nothing here exits the process.
 */
#ifndef RINGSCOPE_APP_H
#define RINGSCOPE_APP_H

#include <SDL.h>
#include <stddef.h>
#include <stdint.h>

#include "draw.h"
#include "font.h"
#include "json.h"
#include "pane.h"
#include "session.h"

#define APP_TICK (1.0 / 240.0)      /* fixed animation step, seconds */
#define APP_MAX_DT 0.25             /* a stalled frame never jumps further */
#define APP_FLIGHT 0.9f             /* one embedding's flight */
#define APP_STAGGER 0.6f            /* spread of flight starts: ~1.5 s in all */
#define APP_LAYOUT 0.9f             /* nodes sliding to new places */
#define APP_TOAST_HOLD 2.6f        /* a toast stays, then fades for APP_TOAST_FADE */
#define APP_TOAST_FADE 0.6f
#define APP_CARET_ON 0.6            /* part of each second the text caret shows */
#define APP_VNODES_MIN 20
#define APP_VNODES_MAX 300
#define APP_VNODES_STEP 20
#define APP_VECTORS_STEP 1000       /* V / Shift+V */
/* Real time: a change's flights last as long as its transfer would, times
 * the slow-motion scale (T toggles, Shift+T cycles the scale), within
 * [APP_REALTIME_MIN, APP_REALTIME_MAX] seconds on screen. */
#define APP_REALTIME_SCALE 1000u
#define APP_REALTIME_MIN 0.3f
#define APP_REALTIME_MAX 60.0f
#define APP_PANES_MAX 4             /* compare mode shows up to four strategies */

typedef enum app_look {
    APP_LOOK_FULL,          /* the interactive app: control bar, hints, toasts, help */
    APP_LOOK_CLEAN,         /* for clips: title, counter, nodes, distribution panel, captions */
} app_look_t;

#define APP_CAPTION_FADE 0.3f       /* a caption fades in and out */

typedef struct app_desc {
    sim_config_t sim;       /* initial nodes, vnodes, vectors, dim, seed */
    int width, height;      /* window size in layout pixels */
    int headless;           /* recording / tests: no vsync, no window title bar needs */
    app_look_t look;
    const char *title;
    /* Compare mode from the start: one pane per strategy (2 to
     * APP_PANES_MAX; not owned); 0: one pane under sim.strategy. */
    const strat_kind_t *compare;
    size_t compare_count;
} app_desc_t;

typedef enum app_widget {
    APP_W_FIELD, APP_W_ADD, APP_W_REMOVE, APP_W_WEIGHT_MINUS, APP_W_WEIGHT_PLUS, APP_W_STRATEGY, APP_W_COMPARE, APP_W_SLIDER,
    APP_W_REBUILD, APP_W_VEC_MINUS, APP_W_VEC_PLUS,
    APP_W_PAUSE, APP_W_RESET, APP_W_SHOT, APP_W_RECORD, APP_W_SESSION, APP_W_LEGEND, APP_W_HELP,
    APP_W_REPL_MINUS, APP_W_REPL_PLUS, APP_W_CRASH, APP_W_HEAL, /* in the panel, under the weight row */
    APP_W_COUNT
} app_widget_t;

typedef struct app_rect {
    float x, y, w, h;
} app_rect_t;

/* A node label as last drawn (tests and placement read them). */
#define APP_LABELS_MAX 72
typedef struct app_label {
    uint16_t slot;
    uint8_t lines;               /* 1: the id alone; 2: id and a figures line; 3: id, keys, share and zone */
    app_rect_t box;              /* the label's box, text inside it */
    float text_w;                /* the widest line drawn */
    size_t batch_from, batch_to; /* its vertices in the HUD batch (what is drawn over it comes later) */
} app_label_t;

typedef struct app {
    SDL_Window *win;
    SDL_GLContext gl;
    int headless;
    app_look_t look;
    int win_w, win_h;            /* window size (event coordinates) */
    int fb_w, fb_h;              /* drawable size, pixels */
    float dpi;                   /* drawable pixels per layout pixel */
    float hud_u;                 /* HUD pixels per layout unit: dpi times hud_scale (text and spacing
                                    grow and shrink with the frame, within bounds) */

    pane_t panes[APP_PANES_MAX]; /* one per strategy shown (pane.h) */
    int pane_count;              /* more than 1: compare mode */
    int focus;                   /* the pane keys and the panel act on: the one under the pointer */
    /* What a pane added later (compare on) is built from: the starting
     * configuration (owned copies) and every command that changed the
     * panes since, strategy switches left out (each pane has its own). */
    sim_config_t start;
    char **start_ids;            /* start.nodes, start.zone_nodes, start.zone_names point here */
    size_t start_id_count;
    scn_script_t history;

    font_t font;
    draw_t under, ui;
    draw_t over;                 /* drawn after a live-recording capture: the REC badge */
    int view_dirty;

    double clock;                /* animation time, seconds (stops while paused) */
    double acc;                  /* unspent real time */
    uint64_t frames;
    int paused;
    int quit;
    int minimized;               /* no drawing until restored */
    float settle_at;             /* clock when the last animation ends */

    char caption[NODEID_MAX + 1]; /* script's lower-third caption ("": none) */
    char caption_gone[NODEID_MAX + 1]; /* the caption fading out */
    float caption_t;             /* clock when it last changed */
    char title_card[NODEID_MAX + 1]; /* script's title card ("": none) */
    float title_t;               /* clock when it appeared */
    char toast[1024];
    float toast_t;
    int toast_error;

    /* controls */
    char field[NODEID_MAX + 1];
    size_t field_len;
    int field_focus;
    char composing[128];         /* input-method text being composed (shown, not yet typed) */
    uint32_t slider;             /* vnodes/node the slider shows */
    int slider_drag;
    int help;
    int help_cut;                /* the help overlay, as last drawn, could not show every line */
    int legend;                  /* the legend overlay: what every mark on screen means (L) */
    int legend_cut;              /* the legend, as last drawn, could not show every mark */
    uint64_t legend_marks;       /* the marks it named (1 << hud_mark_t) */
    int realtime;                /* flights last as long as the transfer, times realtime_scale */
    int reduced_motion;          /* the user asks for less motion (the browser's prefers-reduced-motion):
                                    nothing pulses; the platform layer shortens flights */
    uint32_t realtime_scale;
    app_rect_t widgets[APP_W_COUNT];
    int hot_widget, pressed_widget;
    app_rect_t panel, bar;       /* HUD panel, control bar (a touch screen held sideways: height 0 at
                                    the bottom, the controls in the rail) */
    app_rect_t rail;             /* a touch screen held sideways: the controls' column at the right
                                    edge, so the ring takes the height (w = 0: none) */
    int pane_shown;              /* panes laid out and drawn: pane_count, or 2 on a small sideways
                                    screen (the others still run, the compare table lists them) */
    app_rect_t title_box;        /* title and last-action lines */
    int title_cut;               /* the title, as last drawn, did not fit whole in any of its forms */
    char headline[2 * NODEID_MAX + 320]; /* the last-action line as last drawn ("Added nodeF  |  moved …") */
    char repl_line[320];         /* the replication line under it as last drawn ("": none) */
    app_rect_t pause_box;        /* the PAUSED box under them, while shown (node labels avoid it) */
    app_label_t labels[APP_PANES_MAX][APP_LABELS_MAX]; /* each pane's node labels as last drawn */
    uint8_t legend_line_cut[APP_PANES_MAX]; /* a pane's legend line, as last drawn, did not fit its two lines */
    uint8_t header_cut[APP_PANES_MAX]; /* compare mode: a pane's header (name, counter line), as last drawn, was cut */
    app_rect_t hover_box;        /* the hover card or the hovered key's card as last drawn (w = 0: none) */
    uint32_t label_count[APP_PANES_MAX];
    int bar_level;               /* 0: every button, full labels; higher: shorter, fewer (keys reach all) */
    int panel_compact;           /* narrow panel: no counts column, stats in one column */
    uint32_t panel_scroll;       /* first node row shown in the panel (wheel over it, or a drag) */
    uint32_t panel_rows;         /* node rows the panel shows, as last drawn */
    float panel_row_h;           /* their height, pixels (a drag scrolls a row per row height) */
    int panel_drag;              /* a finger or the mouse drags the panel's rows */
    uint32_t panel_drag_from;    /* panel_scroll when the drag began */
    uint32_t widget_cut;         /* 1 << widget: its text, as last drawn, did not fit its button */
    float mouse_x, mouse_y;      /* drawable pixels */
    int mouse_down, dragging;
    float press_x, press_y;
    /* Two-finger gesture: the fingers down (SDL ids, drawable pixels) and
     * the spread and midpoint at the last step (pinch zooms, the midpoint pans). */
    SDL_FingerID finger_id[2];
    float finger_x[2], finger_y[2];
    int fingers;
    float pinch_dist, pinch_mx, pinch_my;

    /* measurements */
    double fps, frame_ms, cpu_ms;
    int idle;                    /* nothing moves on its own: frames are drawn only on input */
    char fps_text[64];
    double fps_text_t;
    uint64_t bytes_last_frame;
    int shot_pending;

    session_t session;           /* every command run, with its timing (Ctrl+S saves it) */
    char session_file[96];       /* where it was last saved ("": never) */
    double quit_asked;           /* real time (s) when Esc asked to quit with unsaved changes (0: not asked) */
    const scn_cmd_t *play;       /* scenario being played live (not owned) */
    size_t play_count, play_next;
    double play_at;              /* clock when the next command may run */

    char msg[512];               /* app_run_command's message */
    int last_changed;            /* the last command changed the simulation (0: error or no-op) */
    json_t json;                 /* app_state_json's text */
} app_t;

int app_init(const app_desc_t *desc, char *err, size_t err_size);
void app_event(const SDL_Event *e);
void app_frame(double dt);
void app_shutdown(void);

/* Re-creates every GL object after a lost context came back (WebGL), keeping
 * the simulation; 0 or -1 with a message. */
int app_gl_reset(char *err, size_t err_size);

void app_advance(double dt);
void app_render(void);
int app_should_quit(void);

/* Runs one scenario line on the live app (animated). NULL: done. */
const char *app_run_command(const char *line);
/* Runs a parsed command; same contract. */
const char *app_apply(const scn_cmd_t *cmd);
/* Plays a scenario live: each command once the previous one has settled
 * (plus a short hold); `wait S` pauses S seconds. The script must outlive
 * the playback. */
void app_play(const scn_script_t *script);
/* The state as one JSON object (owned by the app, valid until next call). */
const char *app_state_json(void);
/* 1 once every flight, pop and fade has finished (app_is_settled: of a). */
int app_settled(void);
int app_is_settled(const app_t *a);
/* Seconds of animation time until the picture changes on its own (a
 * flight, a fading toast, the caret's blink, a playing script, a
 * recording): 0 for now, INFINITY for not until input. The desktop loop
 * sleeps that long when nothing else happens. */
double app_wake_in(void);

app_t *app_get(void);
/* The focused pane: the one under the pointer, which selection, weights,
 * the panel and the hover card belong to. */
pane_t *app_focus(app_t *a);

/* The actions behind every control (keyboard and mouse share them), on the
 * app a (app_get() outside the app's own files). */
void app_add_node(app_t *a);                 /* typed id, or the next free nodeF, nodeG, ... */
void app_remove_node(app_t *a, int prefer_selected);
void app_rebuild(app_t *a, uint32_t vnodes);
void app_vectors(app_t *a, int64_t delta);
/* Switch (compare mode: the focused pane's): every key is placed again,
 * the moved ones fly. */
void app_strategy(app_t *a, strat_kind_t kind);
void app_strategy_cycle(app_t *a, int dir);  /* the next (+1) / previous (-1) strategy */
/* Compare mode: one pane per strategy (2 to APP_PANES_MAX), the focused
 * pane kept, the others built from the start and the history; n <= 1:
 * back to one pane (the focused one). 0, or -1 with a toast. */
int app_compare(app_t *a, const strat_kind_t *kinds, int n);
void app_compare_toggle(app_t *a);           /* C: on with the focused strategy and ring or modulo; off */
void app_compare_more(app_t *a);             /* Shift+C: one more pane (up to 4), the next strategy not shown */
void app_weight(app_t *a, int delta);        /* the selected node's weight +/- delta */
void app_replicas(app_t *a, int delta);      /* replicas R +/- delta (1..REPL_MAX): `replicas R` */
void app_crash_toggle(app_t *a);             /* X: crash the selected node, or recover the last crashed one */
void app_heal(app_t *a);                     /* `heal` */
void app_realtime(app_t *a, int cycle);      /* T: real time on/off; Shift+T (cycle): the next slow-motion scale */
void app_toggle_pause(app_t *a);
void app_reset_view(app_t *a);
void app_select(app_t *a, uint16_t slot);    /* SCENE_NONE: clear */
void app_screenshot(app_t *a);               /* saved after the next frame is drawn */
void app_toggle_recording(app_t *a);         /* F9: record the screen (live.h) */
void app_save_session(app_t *a);             /* Ctrl+S: ringscope-session-YYYYmmdd-HHMMSS.txt (a download on the web) */
/* The session as that script (a header naming the replay options, then
 * every command with its timing): malloc'd, the caller frees; NULL when out
 * of memory. */
char *app_session_text(app_t *a, size_t *len);
/* Moved embeddings of the last action that have landed by now. */
uint64_t app_moved_landed(void);

/* Reads the drawable (RGBA, top row first) into out[fb_w * fb_h * 4]. */
void app_read_pixels(uint8_t *out);
/* Writes the current frame to a PNG; 0 or -1 with a message. */
int app_save_png(const char *path, char *err, size_t err_size);

/* Pixel (drawable) of a ring position, and of a node's centre now. */
void app_ring_px(uint64_t pos, double *x, double *y);
void app_node_px(uint16_t slot, double *x, double *y);

#endif
