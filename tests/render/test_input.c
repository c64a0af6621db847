/* Input tests: synthesized SDL events through app_event, checked against
 * the simulation's state. Every keyboard action has a mouse path here too. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "hud.h"
#include "rt.h"

static app_t *A(void)
{
    return app_get();
}

static void rt_advance_past_toast(void)
{
    for (int i = 0; i < 40; i++)
        app_advance(0.1);
}

static void add_button_auto_names(void **state)
{
    (void)state;
    rt_click_widget(APP_W_ADD);
    assert_int_equal(A()->panes[0].sim.ring.live_count, 6);
    assert_int_not_equal(rt_slot("nodeF"), RING_NONE);
    assert_int_equal(A()->panes[0].action.moved, 1075); /* the reference's figure */
    rt_settle();
}

static void typed_id_then_enter_adds(void **state)
{
    (void)state;
    rt_click_widget(APP_W_FIELD);
    assert_true(A()->field_focus);
    rt_text("cache-");
    rt_text("\xC3\xA9t\xC3\xA9"); /* UTF-8 */
    rt_key(SDLK_BACKSPACE, 0);     /* removes the whole 'é' */
    rt_key(SDLK_RETURN, 0);
    assert_int_not_equal(rt_slot("cache-\xC3\xA9t"), RING_NONE);
    assert_int_equal(A()->field_len, 0);
    /* typing while the field has focus never triggers shortcuts */
    rt_key(SDLK_a, 0);
    assert_int_equal(A()->panes[0].sim.ring.live_count, 7);
    rt_key(SDLK_ESCAPE, 0);
    assert_false(A()->field_focus);
    assert_false(app_should_quit());
}

/* Accent-coloured (blue) pixels inside the field, right of "id-" (the
 * caret and the focus border excluded). */
static int field_accent_px(void)
{
    const uint8_t *f = rt_frame();
    const app_rect_t *r = &A()->widgets[APP_W_FIELD];
    float u = A()->hud_u;
    float x0 = r->x + 10 * u + font_width(&A()->font, FONT_BODY, "id-", 3) + 4 * u;
    int accent = 0;
    for (int y = (int)(r->y + 4 * u); y < (int)(r->y + r->h - 4 * u); y++)
        for (int x = (int)x0; x < (int)(r->x + r->w - 4 * u); x++) {
            const uint8_t *p = rt_pixel(f, x, y);
            accent += p[2] > 150 && p[2] > p[0] + 40;
        }
    return accent;
}

/* An input method composes "ノー" (shown in the field, accent colour) and
 * commits "ノード" (SDL_TEXTINPUT): the id is the committed text only. */
static void composed_text_is_shown_then_committed(void **state)
{
    (void)state;
    rt_click_widget(APP_W_FIELD);
    rt_text("id-");
    assert_int_equal(field_accent_px(), 0);
    SDL_Event e = {0};
    e.type = SDL_TEXTEDITING;
    snprintf(e.edit.text, sizeof e.edit.text, "%s", "\xE3\x83\x8E\xE3\x83\xBC"); /* ノー */
    app_event(&e);
    assert_string_equal(A()->composing, "\xE3\x83\x8E\xE3\x83\xBC");
    assert_string_equal(A()->field, "id-");
    /* drawn in the field after "id-", in the accent colour */
    assert_true(field_accent_px() > 20);
    rt_text("\xE3\x83\x8E\xE3\x83\xBC\xE3\x83\x89"); /* ノード */
    assert_string_equal(A()->composing, "");
    rt_key(SDLK_RETURN, 0);
    assert_int_not_equal(rt_slot("id-\xE3\x83\x8E\xE3\x83\xBC\xE3\x83\x89"), RING_NONE);
    assert_null(app_run_command("remove id-\xE3\x83\x8E\xE3\x83\xBC\xE3\x83\x89"));
    rt_key(SDLK_ESCAPE, 0);
    rt_settle();
}

static void typed_id_remove_button(void **state)
{
    (void)state;
    rt_click_widget(APP_W_FIELD);
    rt_text("cache-\xC3\xA9t");
    rt_click_widget(APP_W_REMOVE);
    assert_int_equal(rt_slot("cache-\xC3\xA9t"), RING_NONE);
    assert_int_equal(A()->panes[0].sim.ring.live_count, 6);
    rt_settle();
}

static void key_a_adds_next_name(void **state)
{
    (void)state;
    rt_key(SDLK_a, 0);
    assert_int_not_equal(rt_slot("nodeG"), RING_NONE);
    rt_settle();
}

static void click_node_then_delete(void **state)
{
    (void)state;
    uint16_t g = rt_slot("nodeG");
    double x, y;
    rt_frame();
    app_node_px(g, &x, &y);
    rt_click((float)x, (float)y);
    assert_int_equal(A()->panes[0].selected, g);
    rt_key(SDLK_DELETE, 0);
    assert_int_equal(rt_slot("nodeG"), RING_NONE);
    assert_int_equal(A()->panes[0].selected, SCENE_NONE);
    rt_settle();
}

static void tab_selects_and_remove_button_removes_selected(void **state)
{
    (void)state;
    rt_key(SDLK_TAB, 0);
    uint16_t first = A()->panes[0].selected;
    assert_int_equal(first, A()->panes[0].sorted[0]); /* nodeA */
    rt_key(SDLK_TAB, KMOD_LSHIFT);
    assert_int_equal(A()->panes[0].selected, A()->panes[0].sorted[A()->panes[0].sorted_count - 1]);
    char id[NODEID_MAX + 1];
    strcpy(id, A()->panes[0].sim.ring.nodes[A()->panes[0].selected].id);
    rt_click_widget(APP_W_REMOVE);
    assert_int_equal(rt_slot(id), RING_NONE);
    rt_settle();
    assert_null(app_run_command("add nodeF"));
    rt_settle();
}

static void brackets_and_slider_rebuild(void **state)
{
    (void)state;
    rt_key(SDLK_LEFTBRACKET, 0);
    assert_int_equal(A()->panes[0].sim.ring.vnodes, 60);
    assert_int_equal(A()->slider, 60);
    rt_key(SDLK_RIGHTBRACKET, 0);
    rt_key(SDLK_RIGHTBRACKET, 0);
    assert_int_equal(A()->panes[0].sim.ring.vnodes, 100);
    rt_settle();
    /* drag the slider to its left end: it shows 20 but waits for Rebuild */
    app_render();
    app_rect_t r = A()->widgets[APP_W_SLIDER];
    rt_click(r.x + 1, r.y + r.h / 2);
    assert_int_equal(A()->slider, 20);
    assert_int_equal(A()->panes[0].sim.ring.vnodes, 100);
    rt_click_widget(APP_W_REBUILD);
    assert_int_equal(A()->panes[0].sim.ring.vnodes, 20);
    assert_int_equal(A()->panes[0].sim.ring.count, 20u * A()->panes[0].sim.ring.live_count);
    rt_settle();
    /* A script may set vnodes outside the slider's range: the knob stays on
     * the track, pinned at its end, and the number says the real value. */
    assert_null(app_run_command("vnodes 2"));
    assert_int_equal(A()->slider, 2);
    assert_true(hud_slider_frac(A()) == 0.0f);
    assert_null(app_run_command("vnodes 1000"));
    assert_true(hud_slider_frac(A()) == 1.0f);
    assert_null(app_run_command("vnodes 80"));
    assert_true(fabsf(hud_slider_frac(A()) - 60.0f / 280.0f) < 1e-6f);
    rt_settle();
}

/* Under a strategy without vnodes the slider, Rebuild and [ ] do nothing
 * and say why; the slider shows the strategy's own points. */
static void vnodes_controls_off_where_unused(void **state)
{
    (void)state;
    app_t *a = A();
    assert_null(app_run_command("strategy ketama"));
    rt_settle();
    uint32_t v = a->panes[0].sim.ring.vnodes, slider = a->slider;
    rt_key(SDLK_RIGHTBRACKET, 0);
    assert_int_equal(a->panes[0].sim.ring.vnodes, v);
    assert_non_null(strstr(a->toast, "ketama"));
    rt_click_widget(APP_W_SLIDER);
    assert_int_equal(a->slider, slider);
    assert_false(a->slider_drag);
    rt_click_widget(APP_W_REBUILD);
    assert_int_equal(a->panes[0].sim.ring.vnodes, v);
    assert_null(app_run_command("strategy ring"));
    rt_settle();
    rt_key(SDLK_RIGHTBRACKET, 0);
    assert_int_equal(a->panes[0].sim.ring.vnodes, v + APP_VNODES_STEP);
    rt_key(SDLK_LEFTBRACKET, 0);
    rt_settle();
}

static void vectors_keys_and_buttons(void **state)
{
    (void)state;
    rt_key(SDLK_v, 0);
    assert_int_equal(A()->panes[0].sim.store.count, 7000);
    rt_key(SDLK_v, KMOD_LSHIFT);
    assert_int_equal(A()->panes[0].sim.store.count, 6000);
    rt_click_widget(APP_W_VEC_PLUS);
    assert_int_equal(A()->panes[0].sim.store.count, 7000);
    rt_click_widget(APP_W_VEC_MINUS);
    assert_int_equal(A()->panes[0].sim.store.count, 6000);
    rt_settle();
}

static void strategy_keys_and_picker(void **state)
{
    (void)state;
    rt_key(SDLK_2, 0);
    assert_int_equal(A()->panes[0].sim.strat.kind, STRAT_MODULO);
    assert_true(A()->panes[0].action.moved > 0);
    rt_settle();
    rt_click_widget(APP_W_STRATEGY); /* the next one */
    assert_int_equal(A()->panes[0].sim.strat.kind, STRAT_JUMP);
    rt_settle();
    rt_key(SDLK_8, 0);
    assert_int_equal(A()->panes[0].sim.strat.kind, STRAT_KETAMA);
    rt_settle();
    rt_click_widget(APP_W_STRATEGY);
    assert_int_equal(A()->panes[0].sim.strat.kind, STRAT_SHARDS);
    rt_settle();
    /* then the presets of real systems, to the table's last row */
    for (int k = STRAT_SHARDS + 1; k < STRAT_COUNT; k++) {
        rt_click_widget(APP_W_STRATEGY);
        assert_int_equal(A()->panes[0].sim.strat.kind, k);
        rt_settle();
    }
    rt_click_widget(APP_W_STRATEGY); /* wraps around */
    assert_int_equal(A()->panes[0].sim.strat.kind, STRAT_RING);
    assert_true(strstr(app_state_json(), "\"strategy\":\"ring\"") != NULL);
    /* the session keeps the switches: its replay ends on the same strategy */
    assert_true(A()->session.count >= 4);
    rt_settle();
}

static void weight_keys_and_buttons(void **state)
{
    (void)state;
    uint16_t b = rt_slot("nodeB");
    app_select(app_get(), SCENE_NONE);
    rt_key(SDLK_w, 0); /* nothing selected: says so, changes nothing */
    assert_int_equal(A()->panes[0].sim.ring.nodes[b].weight, 1);
    assert_true(A()->toast_error);
    app_select(app_get(), b);
    uint32_t points = A()->panes[0].sim.ring.count;
    rt_key(SDLK_w, 0);
    assert_int_equal(A()->panes[0].sim.ring.nodes[b].weight, 2);
    assert_int_equal(A()->panes[0].sim.ring.count, points + A()->panes[0].sim.ring.vnodes);
    assert_true(strstr(app_state_json(), "\"weight\":2") != NULL);
    rt_click_widget(APP_W_WEIGHT_PLUS);
    assert_int_equal(A()->panes[0].sim.ring.nodes[b].weight, 3);
    rt_click_widget(APP_W_WEIGHT_MINUS);
    assert_int_equal(A()->panes[0].sim.ring.nodes[b].weight, 2);
    rt_settle();
    /* jump has no weights: its key is refused, the picker passes it by */
    rt_key(SDLK_3, 0);
    assert_int_equal(A()->panes[0].sim.strat.kind, STRAT_RING);
    assert_true(A()->toast_error);
    rt_click_widget(APP_W_STRATEGY);
    assert_int_equal(A()->panes[0].sim.strat.kind, STRAT_RENDEZVOUS);
    rt_settle();
    rt_key(SDLK_1, 0);
    rt_key(SDLK_w, KMOD_LSHIFT);
    assert_int_equal(A()->panes[0].sim.ring.nodes[b].weight, 1);
    rt_key(SDLK_w, KMOD_LSHIFT); /* weights are at least 1 */
    assert_int_equal(A()->panes[0].sim.ring.nodes[b].weight, 1);
    assert_true(A()->toast_error);
    app_select(app_get(), SCENE_NONE);
    rt_settle();
}

static void pause_help_and_escape(void **state)
{
    (void)state;
    rt_key(SDLK_SPACE, 0);
    assert_true(A()->paused);
    double t = A()->clock;
    app_advance(0.5);
    assert_true(A()->clock == t);
    rt_click_widget(APP_W_PAUSE);
    assert_false(A()->paused);
    rt_key(SDLK_h, 0);
    assert_true(A()->help);
    rt_frame(); /* the overlay draws */
    rt_key(SDLK_ESCAPE, 0);
    assert_false(A()->help);
    assert_false(app_should_quit());
    rt_key(SDLK_F1, 0);
    assert_true(A()->help);
    rt_click(5, 5); /* a click closes it */
    assert_false(A()->help);
    rt_click_widget(APP_W_HELP);
    assert_true(A()->help);
    rt_key(SDLK_h, 0);
    assert_false(A()->help);
}

static void zoom_pan_reset(void **state)
{
    (void)state;
    rt_frame();
    double cx = A()->panes[0].view.area_x + A()->panes[0].view.area_w / 2, cy = A()->panes[0].view.area_y + A()->panes[0].view.area_h / 2;
    rt_wheel((float)cx, (float)cy, 3);
    assert_true(A()->panes[0].view.zoom > 1.5);
    double z = A()->panes[0].view.zoom;
    rt_key(SDLK_MINUS, 0);
    assert_true(A()->panes[0].view.zoom < z);
    /* drag pans */
    SDL_Event e = {0};
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.clicks = 1;
    e.button.x = (Sint32)cx;
    e.button.y = (Sint32)cy;
    app_event(&e);
    for (int i = 1; i <= 5; i++) {
        SDL_Event m = {0};
        m.type = SDL_MOUSEMOTION;
        m.motion.x = (Sint32)cx + 10 * i;
        m.motion.y = (Sint32)cy;
        m.motion.xrel = 10;
        app_event(&m);
    }
    e.type = SDL_MOUSEBUTTONUP;
    app_event(&e);
    assert_true(A()->panes[0].view.cx < 0);
    rt_key(SDLK_0, 0);
    assert_true(A()->panes[0].view.zoom == 1.0 && A()->panes[0].view.cx == 0 && A()->panes[0].view.cy == 0);
    rt_wheel((float)cx, (float)cy, 2);
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.clicks = 2; /* double-click resets */
    app_event(&e);
    e.type = SDL_MOUSEBUTTONUP;
    app_event(&e);
    assert_true(A()->panes[0].view.zoom == 1.0);
    rt_wheel((float)cx, (float)cy, 1);
    rt_click_widget(APP_W_RESET);
    assert_true(A()->panes[0].view.zoom == 1.0);
}

static void finger(Uint32 type, SDL_FingerID id, double px, double py)
{
    SDL_Event e = {0};
    e.type = type;
    e.tfinger.fingerId = id;
    e.tfinger.x = (float)(px / A()->fb_w);
    e.tfinger.y = (float)(py / A()->fb_h);
    app_event(&e);
}

/* Two fingers moving apart zoom in around their midpoint (the world point
 * under it stays under it); moving together, they pan. */
static void pinch_zooms_around_the_fingers(void **state)
{
    (void)state;
    rt_frame();
    rt_key(SDLK_0, 0);
    double mx = A()->panes[0].view.area_x + A()->panes[0].view.area_w * 0.4, my = A()->panes[0].view.area_y + A()->panes[0].view.area_h * 0.45;
    double wx0, wy0;
    view_px_to_world(&A()->panes[0].view, mx, my, &wx0, &wy0);
    finger(SDL_FINGERDOWN, 1, mx - 20, my);
    finger(SDL_FINGERDOWN, 2, mx + 20, my);
    for (int i = 1; i <= 5; i++) {
        finger(SDL_FINGERMOTION, 1, mx - 20 - 12 * i, my);
        finger(SDL_FINGERMOTION, 2, mx + 20 + 12 * i, my);
    }
    assert_true(A()->panes[0].view.zoom > 2.5); /* spread 40 -> 160: x4 */
    view_update(&A()->panes[0].view);
    double wx1, wy1;
    view_px_to_world(&A()->panes[0].view, mx, my, &wx1, &wy1);
    /* Within a pixel. */
    assert_true(fabs(wx1 - wx0) * A()->panes[0].view.scale < 1 && fabs(wy1 - wy0) * A()->panes[0].view.scale < 1);
    /* Both fingers move right: the view follows them. */
    double z = A()->panes[0].view.zoom;
    finger(SDL_FINGERMOTION, 1, mx - 80 + 50, my);
    finger(SDL_FINGERMOTION, 2, mx + 80 + 50, my);
    view_update(&A()->panes[0].view);
    view_px_to_world(&A()->panes[0].view, mx + 50, my, &wx1, &wy1);
    assert_true(fabs(wx1 - wx0) * A()->panes[0].view.scale < 2);
    assert_true(fabs(A()->panes[0].view.zoom - z) < 0.05 * z);
    finger(SDL_FINGERUP, 1, mx, my);
    finger(SDL_FINGERUP, 2, mx, my);
    assert_int_equal(A()->fingers, 0);
    rt_key(SDLK_0, 0);
}

static void hover_shows_point(void **state)
{
    (void)state;
    rt_frame();
    const ring_t *r = &A()->panes[0].sim.ring;
    double x, y;
    app_ring_px(r->pos[7], &x, &y);
    rt_move((float)x, (float)y);
    assert_true(A()->panes[0].hover.active);
    /* the nearest point may be a neighbour drawn at the same pixel */
    double hx, hy;
    app_ring_px(A()->panes[0].hover.pos, &hx, &hy);
    assert_true(hypot(hx - x, hy - y) < 1.5);
    rt_frame();
    rt_move(5, 300);
    assert_false(A()->panes[0].hover.active);
}

static void screenshot_key_and_button(void **state)
{
    (void)state;
    rt_key(SDLK_s, 0);
    assert_true(A()->shot_pending);
    rt_frame();
    assert_false(A()->shot_pending);
    assert_non_null(strstr(A()->toast, "ringscope-"));
    char name[256];
    const char *p = strstr(A()->toast, "ringscope-");
    snprintf(name, sizeof name, "%s", p);
    assert_int_equal(remove(name), 0);
    rt_click_widget(APP_W_SHOT);
    rt_frame();
    p = strstr(A()->toast, "ringscope-");
    assert_non_null(p);
    snprintf(name, sizeof name, "%s", p);
    remove(name);
}

/* The desktop loop sleeps while app_wake_in() > 0: a settled app must say
 * so, and everything that moves on its own must wake it in time. */
static void settled_app_sleeps_until_something_moves(void **state)
{
    (void)state;
    rt_settle();
    rt_advance_past_toast();
    assert_true(isinf(app_wake_in()));
    rt_key(SDLK_a, 0); /* flights */
    assert_true(app_wake_in() == 0);
    rt_settle();
    rt_advance_past_toast();
    assert_true(isinf(app_wake_in()));
    rt_key(SDLK_SPACE, 0); /* paused: the clock stands still */
    assert_true(isinf(app_wake_in()));
    rt_key(SDLK_SPACE, 0); /* resumed: its toast fades in 2.6 s */
    double w = app_wake_in();
    assert_true(w > 2.0 && w <= APP_TOAST_HOLD + 1e-6);
    rt_advance_past_toast();
    rt_key(SDLK_RETURN, 0); /* the field's caret blinks */
    w = app_wake_in();
    assert_true(w > 0 && w <= 0.6 + 1e-6);
    rt_key(SDLK_ESCAPE, 0);
    assert_true(isinf(app_wake_in()));

    /* The frame rate readout says idle rather than a stale number (the
     * headless tests' frames show no readout: switch to the app's). */
    A()->headless = 0;
    app_frame(1.0 / 60.0);
    assert_true(A()->idle);
    assert_string_equal(A()->fps_text, "idle");
    rt_key(SDLK_a, 0);
    app_frame(1.0 / 60.0);
    app_frame(1.0 / 60.0);
    assert_false(A()->idle);
    assert_null(strstr(A()->fps_text, "idle"));
    A()->headless = 1;
    rt_settle();
}

static void pass(double seconds)
{
    for (double t = 0; t < seconds; t += 1.0 / 60.0)
        app_advance(1.0 / 60.0);
}

/* Everything done with the mouse and keyboard is kept with its timing;
 * Ctrl+S saves it as a script, and replaying that script (as `sim --script`
 * does) from the same start gives the same state. */
static void session_saved_and_replayed(void **state)
{
    (void)state;
    rt_settle();
    session_begin(&A()->session, &(sim_config_t){0}); /* this test's actions only... */
    /* ...from the state they start at: */
    char start_nodes[64][NODEID_MAX + 1];
    const char *ids[64];
    uint32_t n0 = A()->panes[0].sorted_count;
    for (uint32_t i = 0; i < n0; i++) {
        /* the session keeps the order of addition: rebuild it from slots */
        snprintf(start_nodes[i], sizeof start_nodes[i], "%s", A()->panes[0].sim.ring.nodes[A()->panes[0].sorted[i]].id);
    }
    uint32_t k = 0;
    for (uint32_t slot = 0; slot < A()->panes[0].sim.ring.slot_count; slot++) {
        if (!A()->panes[0].sim.ring.nodes[slot].live)
            continue;
        for (uint32_t i = 0; i < n0; i++)
            if (strcmp(start_nodes[i], A()->panes[0].sim.ring.nodes[slot].id) == 0)
                ids[k++] = start_nodes[i];
    }
    sim_config_t cfg = {.nodes = ids, .node_count = k, .vnodes = A()->panes[0].sim.ring.vnodes,
                        .vectors = A()->panes[0].sim.store.count, .dim = 256, .seed = 42};

    rt_click_widget(APP_W_ADD); /* nodeF or the next free name */
    pass(0.7);
    rt_click_widget(APP_W_FIELD);
    rt_text("cache 1");
    rt_key(SDLK_RETURN, 0);
    pass(1.2);
    rt_key(SDLK_TAB, 0); /* leaves the field */
    rt_key(SDLK_TAB, 0); /* selects the first node by id */
    rt_key(SDLK_DELETE, 0);
    pass(2.0);
    rt_key(SDLK_RIGHTBRACKET, 0);
    pass(0.3);
    rt_key(SDLK_v, 0);
    assert_null(app_run_command("caption what the session keeps"));
    rt_settle();
    assert_int_equal(A()->session.count, 6);
    assert_non_null(strstr(A()->session.text, "add cache 1\nwait 1.2"));
    assert_non_null(strstr(A()->session.text, "vectors 7000\ncaption what the session keeps\n"));

    rt_key(SDLK_s, KMOD_LCTRL);
    const char *p = strstr(A()->toast, "Saved session ringscope-session-");
    assert_non_null(p);
    char name[128];
    snprintf(name, sizeof name, "%s", p + strlen("Saved session "));
    *strchr(name, ' ') = '\0';
    assert_non_null(strstr(name, ".txt"));

    scn_script_t script;
    char err[512];
    assert_int_equal(scn_load(name, &script, err, sizeof err), 0);
    sim_t replay;
    sim_step_t step;
    assert_int_equal(sim_init(&replay, &cfg, &step, err, sizeof err), 0);
    for (size_t i = 0; i < script.count; i++)
        assert_int_equal(sim_apply(&replay, &script.cmds[i], &step, err, sizeof err), 0);
    /* The same nodes, keys per node, vnodes and vectors. */
    assert_int_equal(replay.ring.live_count, A()->panes[0].sim.ring.live_count);
    assert_int_equal(replay.ring.vnodes, A()->panes[0].sim.ring.vnodes);
    assert_int_equal(replay.store.count, A()->panes[0].sim.store.count);
    for (uint32_t slot = 0; slot < A()->panes[0].sim.ring.slot_count; slot++) {
        const ring_node_t *nd = &A()->panes[0].sim.ring.nodes[slot];
        if (!nd->live)
            continue;
        uint16_t r = ring_find_node(&replay.ring, nd->id, nd->id_len);
        assert_int_not_equal(r, RING_NONE);
        assert_int_equal(replay.store.counts[r], A()->panes[0].sim.store.counts[slot]);
    }
    sim_free(&replay);
    scn_free(&script);
    assert_int_equal(remove(name), 0);
    /* The mouse path: the panel's Save session button. */
    rt_click_widget(APP_W_SESSION);
    p = strstr(A()->toast, "Saved session ringscope-session-");
    assert_non_null(p);
    snprintf(name, sizeof name, "%s", p + strlen("Saved session "));
    *strchr(name, ' ') = '\0';
    assert_int_equal(remove(name), 0);
    rt_key(SDLK_v, KMOD_LSHIFT); /* back to 6000 for the tests after this one */
    rt_settle();
}

/* The saved script's header names every starting option a replay needs
 * (strategy parameters, replication, zones, cost, compare panes). */
static void session_header_names_every_option(void **state)
{
    (void)state;
    static const char *const nodes[] = {"a", "b c"}, *const zn[] = {"a"}, *const zz[] = {"z1"};
    sim_config_t c = {.nodes = nodes, .node_count = 2, .vnodes = 40, .vectors = 500, .dim = 8, .seed = 7,
                      .strategy = STRAT_MAGLEV, .params = {.table = 7919, .balance = 150, .probes = 5},
                      .repl_on = 1, .replicas = 3, .record_bytes = 100, .record_bytes_set = 1, .bandwidth = 1.25e9,
                      .zone_nodes = zn, .zone_names = zz, .zone_count = 1};
    session_t s = {0};
    session_begin(&s, &c);
    session_set_compare(&s, "ring,maglev");
    size_t len;
    char *text = session_text(&s, &len);
    assert_non_null(text);
    static const char *const want[] = {"--nodes 'a,b c' --vnodes 40 --vectors 500 --dim 8 --seed 7",
                                       "--strategy maglev", "--table 7919", "--balance 150", "--probes 5",
                                       "--replicas 3", "--zones 'a=z1'", "--record-bytes 100",
                                       "--bandwidth 1250000000B", "--compare ring,maglev --script FILE"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(text, want[i]))
            print_message("missing %s in:\n%s\n", want[i], text);
        assert_non_null(strstr(text, want[i]));
    }
    free(text);
    /* defaults stay out of it; one pane has no --compare */
    sim_config_t d = {.nodes = nodes, .node_count = 1, .vnodes = 80, .vectors = 6000, .dim = 256, .seed = 42};
    session_begin(&s, &d);
    session_set_compare(&s, "");
    text = session_text(&s, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "ringscope sim --nodes 'a' --vnodes 80 --vectors 6000 --dim 256 --seed 42 --script"));
    free(text);
    session_free(&s);
}

static void commands_and_json(void **state)
{
    (void)state;
    assert_null(app_run_command("add nodeZ"));
    assert_null(app_run_command("add nodeZ")); /* a no-op is not an error... */
    assert_non_null(strstr(A()->toast, "nodeZ"));  /* ...but the user is told */
    assert_non_null(app_run_command("frobnicate 3"));
    assert_null(app_run_command("remove nodeZ"));
    const char *j = app_state_json();
    assert_non_null(strstr(j, "\"vectors\":6000"));
    assert_non_null(strstr(j, "\"id\":\"nodeA\""));
    /* commands ran and were not saved: Esc asks before quitting
     * (escape_one_thing_at_a_time follows it through) */
    rt_key(SDLK_ESCAPE, 0);
    assert_false(app_should_quit());
    assert_non_null(strstr(A()->toast, "Esc again quits"));
    A()->quit_asked = 0;
}

/* The compare toggle (bar button, C key): ring and modulo side by side,
 * the pointer focuses a pane, the strategy keys set the focused pane's
 * strategy, every command runs in both, C goes back to the focused one. */
static void compare_toggle_and_focused_strategy(void **state)
{
    (void)state;
    app_t *a = A();
    for (uint32_t i = 0; i < a->panes[0].sorted_count; i++) { /* jump needs equal weights */
        const ring_node_t *nd = &a->panes[0].sim.ring.nodes[a->panes[0].sorted[i]];
        char line[NODEID_MAX + 16];
        snprintf(line, sizeof line, "weight %s 1", nd->id);
        if (nd->weight != 1)
            assert_null(app_run_command(line));
    }
    rt_key(SDLK_1, 0);
    rt_settle();
    assert_int_equal(a->pane_count, 1);
    assert_true(A()->widgets[APP_W_COMPARE].w > 0);
    rt_click_widget(APP_W_COMPARE);
    assert_int_equal(a->pane_count, 2);
    assert_int_equal(a->panes[0].sim.strat.kind, STRAT_RING);
    assert_int_equal(a->panes[1].sim.strat.kind, STRAT_MODULO);
    rt_settle();
    /* the pointer over the right pane focuses it; 3 makes it jump */
    rt_move(a->panes[1].cell[0] + 0.5f * a->panes[1].cell[2], a->panes[1].cell[1] + 0.5f * a->panes[1].cell[3]);
    assert_int_equal(a->focus, 1);
    rt_key(SDLK_3, 0);
    assert_int_equal(a->panes[1].sim.strat.kind, STRAT_JUMP);
    assert_int_equal(a->panes[0].sim.strat.kind, STRAT_RING);
    rt_key(SDLK_1, 0); /* ring is on the left already: refused, said */
    assert_int_equal(a->panes[1].sim.strat.kind, STRAT_JUMP);
    assert_non_null(strstr(a->toast, "already shown"));
    /* a command runs in both panes */
    uint32_t n = a->panes[0].sim.ring.live_count;
    rt_key(SDLK_a, 0);
    assert_int_equal(a->panes[0].sim.ring.live_count, n + 1);
    assert_int_equal(a->panes[1].sim.ring.live_count, n + 1);
    assert_true(a->panes[0].action.moved > 0 && a->panes[1].action.moved > 0);
    rt_settle();
    /* Shift+C: one more pane, the first strategy not shown (modulo) */
    rt_key(SDLK_c, KMOD_LSHIFT);
    assert_int_equal(a->pane_count, 3);
    assert_int_equal(a->panes[2].sim.strat.kind, STRAT_MODULO);
    assert_int_equal(a->panes[2].sim.ring.live_count, n + 1);
    rt_settle();
    rt_move(a->panes[1].cell[0] + 0.5f * a->panes[1].cell[2], a->panes[1].cell[1] + 0.5f * a->panes[1].cell[3]);
    assert_int_equal(a->panes[a->focus].sim.strat.kind, STRAT_JUMP);
    /* C: back to one pane, the focused one (jump) */
    rt_key(SDLK_c, 0);
    assert_int_equal(a->pane_count, 1);
    assert_int_equal(a->panes[0].sim.strat.kind, STRAT_JUMP);
    assert_int_equal(a->panes[0].sim.ring.live_count, n + 1);
    rt_key(SDLK_1, 0);
    rt_settle();
}

/* The session files in dir containing text; their names (count). */
static int session_files(const char *dir, const char *text)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strncmp(e->d_name, "ringscope-session-", 18) != 0)
            continue;
        char path[1024], buf[4096] = "";
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        size_t got = fread(buf, 1, sizeof buf - 1, f);
        buf[got] = '\0';
        fclose(f);
        n += strstr(buf, text) != NULL;
    }
    closedir(d);
    return n;
}

static void remove_session_files(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (strncmp(e->d_name, "ringscope-session-", 18) == 0) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Esc does one thing at a time: the help, the legend, the selection, then
 * quitting; with unsaved changes it asks first and saves the session on
 * the second Esc. Closing the window saves without asking. */
static void escape_one_thing_at_a_time(void **state)
{
    (void)state;
    app_t *a = A();
    char dir[] = "/tmp/rs-escape-XXXXXX", old[1024];
    assert_non_null(mkdtemp(dir));
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(dir), 0);
    session_mark_saved(&a->session); /* what the tests before ran */
    app_select(a, rt_slot("nodeA"));
    rt_key(SDLK_l, 0);
    rt_key(SDLK_h, 0);
    rt_frame();
    rt_key(SDLK_ESCAPE, 0);
    assert_false(a->help);
    assert_true(a->legend);
    rt_key(SDLK_ESCAPE, 0);
    assert_false(a->legend);
    assert_int_equal(a->panes[0].selected, rt_slot("nodeA"));
    rt_key(SDLK_ESCAPE, 0);
    assert_int_equal(a->panes[0].selected, SCENE_NONE);
    assert_false(app_should_quit());
    /* nothing unsaved: Esc quits */
    rt_key(SDLK_ESCAPE, 0);
    assert_true(app_should_quit());
    assert_int_equal(session_files(dir, ""), 0);
    a->quit = 0;
    /* unsaved: it asks, then saves and quits */
    assert_null(app_run_command("add nodeQ"));
    rt_key(SDLK_ESCAPE, 0);
    assert_false(app_should_quit());
    assert_non_null(strstr(a->toast, "Esc again quits"));
    rt_key(SDLK_ESCAPE, 0);
    assert_true(app_should_quit());
    assert_int_equal(session_files(dir, "add nodeQ"), 1);
    assert_false(session_unsaved(&a->session));
    a->quit = 0;
    a->quit_asked = 0;
    /* the window closed with unsaved changes: saved without asking */
    assert_null(app_run_command("remove nodeQ"));
    SDL_Event e = {.type = SDL_QUIT};
    app_event(&e);
    assert_true(app_should_quit());
    assert_int_equal(session_files(dir, "remove nodeQ"), 1);
    a->quit = 0;
    assert_int_equal(chdir(old), 0);
    remove_session_files(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_button_auto_names),
        cmocka_unit_test(typed_id_then_enter_adds),
        cmocka_unit_test(composed_text_is_shown_then_committed),
        cmocka_unit_test(typed_id_remove_button),
        cmocka_unit_test(key_a_adds_next_name),
        cmocka_unit_test(click_node_then_delete),
        cmocka_unit_test(tab_selects_and_remove_button_removes_selected),
        cmocka_unit_test(brackets_and_slider_rebuild),
        cmocka_unit_test(vnodes_controls_off_where_unused),
        cmocka_unit_test(vectors_keys_and_buttons),
        cmocka_unit_test(strategy_keys_and_picker),
        cmocka_unit_test(weight_keys_and_buttons),
        cmocka_unit_test(pause_help_and_escape),
        cmocka_unit_test(zoom_pan_reset),
        cmocka_unit_test(pinch_zooms_around_the_fingers),
        cmocka_unit_test(hover_shows_point),
        cmocka_unit_test(screenshot_key_and_button),
        cmocka_unit_test(settled_app_sleeps_until_something_moves),
        cmocka_unit_test(session_saved_and_replayed),
        cmocka_unit_test(session_header_names_every_option),
        cmocka_unit_test(compare_toggle_and_focused_strategy),
        cmocka_unit_test(commands_and_json),
        cmocka_unit_test(escape_one_thing_at_a_time),
    };
    return cmocka_run_group_tests(tests, rt_setup, rt_teardown);
}
