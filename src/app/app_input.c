/* app_input — SDL events: mouse, wheel, keys, touch, text input and the
 * control bar's widgets. Pointer events go to the pane under the pointer
 * (it becomes the focused pane); keys to the focused pane. */
#include "app_priv.h"

#include "nodeid.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int widget_at(float x, float y)
{
    for (int i = 0; i < APP_W_COUNT; i++) {
        const app_rect_t *r = &app.widgets[i];
        if (r->w > 0 && x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
            return i;
    }
    return -1;
}

static int in_rect(const app_rect_t *r, float x, float y)
{
    return r->w > 0 && x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

static void slider_set_from(float x)
{
    const app_rect_t *r = &app.widgets[APP_W_SLIDER];
    float t = (x - r->x) / (r->w > 1 ? r->w : 1);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    int steps = (APP_VNODES_MAX - APP_VNODES_MIN) / APP_VNODES_STEP;
    app.slider = APP_VNODES_MIN + (uint32_t)lrintf(t * steps) * APP_VNODES_STEP;
}

/* Focuses the pane under pixel (x, y) (the one whose cell holds it;
 * elsewhere the focus stays) and returns the focused pane. */
static pane_t *focus_at(float x, float y)
{
    for (int i = 0; i < app.pane_count; i++) {
        const float *c = app.panes[i].cell;
        int in = x >= c[0] && x < c[0] + c[2] && y >= c[1] && y < c[1] + c[3];
        if (!in || i == app.focus)
            continue;
        pane_t *was = app_focus(&app);
        was->hover.active = 0;
        was->hover_node = SCENE_NONE;
        app.focus = i;
    }
    return app_focus(&app);
}

/* Points under the cursor, unless a drag or the help overlay is on. */
static void update_hover(pane_t *p)
{
    if (app.dragging || app.help) {
        p->hover.active = 0;
        return;
    }
    pane_update_hover(p, app.mouse_x, app.mouse_y, app.dpi);
}

static void field_backspace(void)
{
    /* Remove one whole UTF-8 sequence. */
    while (app.field_len > 0) {
        unsigned char c = (unsigned char)app.field[--app.field_len];
        if ((c & 0xC0) != 0x80)
            break;
    }
    app.field[app.field_len] = '\0';
}

static void field_insert(const char *text)
{
    size_t n = strlen(text);
    if (app.field_len + n > NODEID_MAX) {
        app_toast(1, "%s", "Node ids are at most 255 bytes");
        return;
    }
    memcpy(app.field + app.field_len, text, n);
    app.field_len += n;
    app.field[app.field_len] = '\0';
}

static void press_widget(int w)
{
    switch (w) {
    case APP_W_FIELD: app.field_focus = 1; app.composing[0] = '\0'; break;
    case APP_W_ADD: app_add_node(); break;
    case APP_W_REMOVE: app_remove_node(0); break;
    case APP_W_WEIGHT_MINUS: app_weight(-1); break;
    case APP_W_WEIGHT_PLUS: app_weight(1); break;
    case APP_W_COMPARE: app_compare_toggle(); break;
    case APP_W_STRATEGY: app_strategy_cycle((SDL_GetModState() & KMOD_SHIFT) ? -1 : 1); break;
    case APP_W_REBUILD: app_rebuild(app.slider); break;
    case APP_W_VEC_MINUS: app_vectors(-(int64_t)APP_VECTORS_STEP); break;
    case APP_W_VEC_PLUS: app_vectors(APP_VECTORS_STEP); break;
    case APP_W_PAUSE: app_toggle_pause(); break;
    case APP_W_RESET: app_reset_view(); break;
    case APP_W_SHOT: app_screenshot(); break;
    case APP_W_RECORD: app_toggle_recording(); break;
    case APP_W_SESSION: app_save_session(); break;
    case APP_W_HELP: app.help = !app.help; break;
    case APP_W_REPL_MINUS: app_replicas(-1); break;
    case APP_W_REPL_PLUS: app_replicas(1); break;
    case APP_W_CRASH: app_crash_toggle(); break;
    case APP_W_HEAL: app_heal(); break;
    default: break;
    }
}

static void key_down(pane_t *p, const SDL_KeyboardEvent *k)
{
    SDL_Keycode key = k->keysym.sym;
    int shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    if (key == SDLK_s && (k->keysym.mod & (KMOD_CTRL | KMOD_GUI))) {
        app_save_session(); /* in the id field too: it is not text */
        return;
    }
    if (app.field_focus) {
        switch (key) {
        case SDLK_RETURN:
        case SDLK_KP_ENTER: app_add_node(); break;
        case SDLK_BACKSPACE: field_backspace(); break;
        case SDLK_ESCAPE:
        case SDLK_TAB: app.field_focus = 0; break;
        case SDLK_DELETE: app_remove_node(0); break;
        default: break;
        }
        return;
    }
    double cx = p->view.area_x + 0.5 * p->view.area_w, cy = p->view.area_y + 0.5 * p->view.area_h;
    switch (key) {
    case SDLK_ESCAPE:
        if (app.help)
            app.help = 0;
        else
            app.quit = 1;
        break;
    case SDLK_h:
    case SDLK_F1: app.help = !app.help; break;
    case SDLK_a: app_add_node(); break;
    case SDLK_DELETE:
    case SDLK_BACKSPACE: app_remove_node(1); break;
    case SDLK_LEFTBRACKET:
        if (p->sim.ring.vnodes > APP_VNODES_MIN)
            app_rebuild(p->sim.ring.vnodes - APP_VNODES_STEP < APP_VNODES_MIN ? APP_VNODES_MIN
                                                                                : p->sim.ring.vnodes - APP_VNODES_STEP);
        break;
    case SDLK_RIGHTBRACKET:
        if (p->sim.ring.vnodes < APP_VNODES_MAX)
            app_rebuild(p->sim.ring.vnodes + APP_VNODES_STEP > APP_VNODES_MAX ? APP_VNODES_MAX
                                                                                : p->sim.ring.vnodes + APP_VNODES_STEP);
        break;
    case SDLK_v: app_vectors(shift ? -(int64_t)APP_VECTORS_STEP : APP_VECTORS_STEP); break;
    case SDLK_w: app_weight(shift ? -1 : 1); break;
    case SDLK_r: app_replicas(shift ? -1 : 1); break;
    case SDLK_x: app_crash_toggle(); break;
    case SDLK_e: app_heal(); break;
    case SDLK_t: app_realtime(shift); break;
    case SDLK_c:
        if (shift)
            app_compare_more();
        else
            app_compare_toggle();
        break;
    case SDLK_1: case SDLK_2: case SDLK_3: case SDLK_4:
    case SDLK_5: case SDLK_6: case SDLK_7: case SDLK_8: app_strategy((strat_kind_t)(key - SDLK_1)); break;
    case SDLK_SPACE: app_toggle_pause(); break;
    case SDLK_s: app_screenshot(); break;
    case SDLK_F9: app_toggle_recording(); break;
    case SDLK_0:
    case SDLK_KP_0: app_reset_view(); break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER: app.field_focus = 1; app.composing[0] = '\0'; break;
    case SDLK_TAB: app_select_next(shift ? -1 : 1); break;
    case SDLK_EQUALS:
    case SDLK_PLUS:
    case SDLK_KP_PLUS: view_zoom_at(&p->view, 1.5, cx, cy); app.view_dirty = 1; break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS: view_zoom_at(&p->view, 1 / 1.5, cx, cy); app.view_dirty = 1; break;
    case SDLK_LEFT: view_pan(&p->view, 60 * app.dpi, 0); app.view_dirty = 1; break;
    case SDLK_RIGHT: view_pan(&p->view, -60 * app.dpi, 0); app.view_dirty = 1; break;
    case SDLK_UP: view_pan(&p->view, 0, 60 * app.dpi); app.view_dirty = 1; break;
    case SDLK_DOWN: view_pan(&p->view, 0, -60 * app.dpi); app.view_dirty = 1; break;
    default: break;
    }
}

/* Fingers: one finger arrives as the mouse (SDL synthesizes the events:
 * tap, drag); a second one turns it into a pinch that zooms around the
 * fingers' midpoint and pans with it. */
static void pinch_measure(float *dist, float *mx, float *my)
{
    *dist = hypotf(app.finger_x[1] - app.finger_x[0], app.finger_y[1] - app.finger_y[0]);
    *mx = 0.5f * (app.finger_x[0] + app.finger_x[1]);
    *my = 0.5f * (app.finger_y[0] + app.finger_y[1]);
}

static void touch_event(pane_t *p, const SDL_TouchFingerEvent *f)
{
    float x = f->x * (float)app.fb_w, y = f->y * (float)app.fb_h;
    int k = -1;
    for (int i = 0; i < app.fingers; i++)
        if (app.finger_id[i] == f->fingerId)
            k = i;
    if (f->type == SDL_FINGERDOWN) {
        if (k < 0 && app.fingers < 2)
            k = app.fingers++;
        if (k < 0)
            return; /* a third finger: ignored */
        app.finger_id[k] = f->fingerId;
        app.finger_x[k] = x;
        app.finger_y[k] = y;
        if (app.fingers == 2) {
            /* The first finger's press is no longer a tap or a drag. */
            app.mouse_down = app.dragging = app.slider_drag = 0;
            app.pressed_widget = -1;
            pinch_measure(&app.pinch_dist, &app.pinch_mx, &app.pinch_my);
        }
        return;
    }
    if (k < 0)
        return;
    if (f->type == SDL_FINGERUP) {
        app.finger_id[k] = app.finger_id[app.fingers - 1];
        app.finger_x[k] = app.finger_x[app.fingers - 1];
        app.finger_y[k] = app.finger_y[app.fingers - 1];
        app.fingers--;
        return;
    }
    app.finger_x[k] = x;
    app.finger_y[k] = y;
    if (app.fingers < 2)
        return;
    float dist, mx, my;
    pinch_measure(&dist, &mx, &my);
    /* Carry the point under the old midpoint to the new one, then scale
     * around it by the change in spread. */
    view_pan(&p->view, mx - app.pinch_mx, my - app.pinch_my);
    if (app.pinch_dist > 1 && dist > 1)
        view_zoom_at(&p->view, dist / app.pinch_dist, mx, my);
    app.pinch_dist = dist;
    app.pinch_mx = mx;
    app.pinch_my = my;
    app.mouse_down = app.dragging = 0;
    app.view_dirty = 1;
}

void app_event(const SDL_Event *e)
{
    float sx = (float)app.fb_w / (float)app.win_w, sy = (float)app.fb_h / (float)app.win_h;
    pane_t *p = app_focus(&app);
    switch (e->type) {
    case SDL_QUIT: app.quit = 1; break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e->window.event == SDL_WINDOWEVENT_RESIZED)
            app.view_dirty = 1;
        if (e->window.event == SDL_WINDOWEVENT_MINIMIZED)
            app.minimized = 1;
        if (e->window.event == SDL_WINDOWEVENT_RESTORED || e->window.event == SDL_WINDOWEVENT_SHOWN ||
            e->window.event == SDL_WINDOWEVENT_MAXIMIZED || e->window.event == SDL_WINDOWEVENT_EXPOSED) {
            app.minimized = 0;
            app.view_dirty = 1;
        }
        break;
    case SDL_KEYDOWN: key_down(p, &e->key); break;
    case SDL_TEXTINPUT:
        app.composing[0] = '\0';
        if (app.field_focus)
            field_insert(e->text.text);
        break;
    case SDL_TEXTEDITING:
        /* An input method's text being composed: shown in the field, not
         * yet part of it (SDL_TEXTINPUT brings the result). */
        if (app.field_focus)
            snprintf(app.composing, sizeof app.composing, "%s", e->edit.text);
        break;
    case SDL_MOUSEMOTION: {
        app.mouse_x = e->motion.x * sx;
        app.mouse_y = e->motion.y * sy;
        if (app.slider_drag) {
            slider_set_from(app.mouse_x);
            break;
        }
        if (!app.mouse_down)
            p = focus_at(app.mouse_x, app.mouse_y);
        if (app.mouse_down && !app.dragging &&
            hypotf(app.mouse_x - app.press_x, app.mouse_y - app.press_y) > 4 * app.dpi)
            app.dragging = 1;
        if (app.dragging) {
            view_pan(&p->view, e->motion.xrel * sx, e->motion.yrel * sy);
            app.view_dirty = 1;
        }
        app.hot_widget = widget_at(app.mouse_x, app.mouse_y);
        p->hover_node =
            app.hot_widget < 0 ? pane_node_at(p, app.mouse_x, app.mouse_y, (float)app.clock, app.dpi) : SCENE_NONE;
        if (app.hot_widget < 0)
            update_hover(p);
        else
            p->hover.active = 0;
        break;
    }
    case SDL_MOUSEBUTTONDOWN: {
        if (e->button.button != SDL_BUTTON_LEFT)
            break;
        float x = e->button.x * sx, y = e->button.y * sy;
        app.mouse_x = x;
        app.mouse_y = y;
        if (app.help) {
            app.help = 0; /* a click anywhere closes the overlay */
            break;
        }
        int w = widget_at(x, y);
        app.field_focus = w == APP_W_FIELD;
        if (w >= 0) {
            app.pressed_widget = w;
            if (w == APP_W_SLIDER) {
                app.slider_drag = 1;
                slider_set_from(x);
            }
            break;
        }
        if (in_rect(&app.bar, x, y) || in_rect(&app.panel, x, y))
            break;
        p = focus_at(x, y);
        if (e->button.clicks >= 2) {
            app_reset_view();
            break;
        }
        app.mouse_down = 1;
        app.dragging = 0;
        app.press_x = x;
        app.press_y = y;
        break;
    }
    case SDL_MOUSEBUTTONUP: {
        if (e->button.button != SDL_BUTTON_LEFT)
            break;
        float x = e->button.x * sx, y = e->button.y * sy;
        if (app.slider_drag) {
            app.slider_drag = 0;
            app.pressed_widget = -1;
            break;
        }
        if (app.pressed_widget >= 0) {
            int w = widget_at(x, y);
            if (w == app.pressed_widget)
                press_widget(w);
            app.pressed_widget = -1;
            break;
        }
        if (app.mouse_down && !app.dragging) {
            uint16_t hit = pane_node_at(p, x, y, (float)app.clock, app.dpi);
            if (hit == SCENE_NONE && p->hover.active)
                hit = p->hover.slot;
            app_select(hit == p->selected ? SCENE_NONE : hit);
        }
        app.mouse_down = 0;
        app.dragging = 0;
        break;
    }
    case SDL_MOUSEWHEEL: {
        float y = e->wheel.preciseY != 0 ? e->wheel.preciseY : (float)e->wheel.y;
        if (e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED)
            y = -y;
        float mx = e->wheel.mouseX * sx, my = e->wheel.mouseY * sy;
        if (in_rect(&app.panel, mx, my)) {
            /* Over the distribution panel: scroll its rows (hud clamps). */
            int64_t first = (int64_t)app.panel_scroll - (int64_t)lrintf(y * 3);
            app.panel_scroll = first < 0 ? 0 : (uint32_t)first;
            break;
        }
        p = focus_at(mx, my);
        view_zoom_at(&p->view, pow(1.18, y), mx, my);
        app.view_dirty = 1;
        app.mouse_x = mx;
        app.mouse_y = my;
        update_hover(p);
        break;
    }
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: touch_event(p, &e->tfinger); break;
    default: break;
    }
}

/* ---- state for scripts and the web -------------------------------------- */
