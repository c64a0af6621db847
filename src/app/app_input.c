/* app_input — SDL events: mouse, wheel, touch, text input and the control
 * bar's widgets; keys go through the key table (app_keys.h). Pointer events
 * go to the pane under the pointer (it becomes the focused pane); keys to
 * the focused pane. */
#include "app_priv.h"

#include "app_keys.h"

#include "nodeid.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Zooming within this many layout px of the ring line keeps the ring's
 * structure (band, points, cell ring) under the pointer (view.h). */
#define APP_RING_REACH 24.0

static int widget_at(app_t *a, float x, float y)
{
    for (int i = 0; i < APP_W_COUNT; i++) {
        const app_rect_t *r = &a->widgets[i];
        if (r->w > 0 && x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
            return i;
    }
    return -1;
}

static int in_rect(const app_rect_t *r, float x, float y)
{
    return r->w > 0 && x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

static void slider_set_from(app_t *a, float x)
{
    const app_rect_t *r = &a->widgets[APP_W_SLIDER];
    float t = (x - r->x) / (r->w > 1 ? r->w : 1);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    int steps = (APP_VNODES_MAX - APP_VNODES_MIN) / APP_VNODES_STEP;
    a->slider = APP_VNODES_MIN + (uint32_t)lrintf(t * steps) * APP_VNODES_STEP;
}

/* Focuses the pane under pixel (x, y) (the one whose cell holds it;
 * elsewhere the focus stays) and returns the focused pane. */
static pane_t *focus_at(app_t *a, float x, float y)
{
    for (int i = 0; i < a->pane_count; i++) {
        const float *c = a->panes[i].cell;
        int in = x >= c[0] && x < c[0] + c[2] && y >= c[1] && y < c[1] + c[3];
        if (!in || i == a->focus)
            continue;
        pane_t *was = app_focus(a);
        was->hover.active = 0;
        was->hover_node = SCENE_NONE;
        a->focus = i;
    }
    return app_focus(a);
}

/* Points under the cursor, unless a drag or the help overlay is on. */
static void update_hover(app_t *a, pane_t *p)
{
    if (a->dragging || a->help) {
        p->hover.active = 0;
        return;
    }
    pane_update_hover(p, a->mouse_x, a->mouse_y, a->dpi);
}

static void field_insert(app_t *a, const char *text)
{
    size_t n = strlen(text);
    if (a->field_len + n > NODEID_MAX) {
        app_toast(a, 1, "%s", "Node ids are at most 255 bytes");
        return;
    }
    memcpy(a->field + a->field_len, text, n);
    a->field_len += n;
    a->field[a->field_len] = '\0';
}

static void press_widget(app_t *a, int w)
{
    switch (w) {
    case APP_W_FIELD: a->field_focus = 1; a->composing[0] = '\0'; break;
    case APP_W_ADD: app_add_node(a); break;
    case APP_W_REMOVE: app_remove_node(a, 0); break;
    case APP_W_WEIGHT_MINUS: app_weight(a, -1); break;
    case APP_W_WEIGHT_PLUS: app_weight(a, 1); break;
    case APP_W_COMPARE: app_compare_toggle(a); break;
    case APP_W_STRATEGY: app_strategy_cycle(a, (SDL_GetModState() & KMOD_SHIFT) ? -1 : 1); break;
    case APP_W_REBUILD:
        if (!app_vnodes_refused(a))
            app_rebuild(a, a->slider);
        break;
    case APP_W_VEC_MINUS: app_vectors(a, -(int64_t)APP_VECTORS_STEP); break;
    case APP_W_VEC_PLUS: app_vectors(a, APP_VECTORS_STEP); break;
    case APP_W_PAUSE: app_toggle_pause(a); break;
    case APP_W_RESET: app_reset_view(a); break;
    case APP_W_SHOT: app_screenshot(a); break;
    case APP_W_RECORD: app_toggle_recording(a); break;
    case APP_W_SESSION: app_save_session(a); break;
    case APP_W_LEGEND: a->legend = !a->legend; break;
    case APP_W_HELP: a->help = !a->help; break;
    case APP_W_REPL_MINUS: app_replicas(a, -1); break;
    case APP_W_REPL_PLUS: app_replicas(a, 1); break;
    case APP_W_CRASH: app_crash_toggle(a); break;
    case APP_W_HEAL: app_heal(a); break;
    default: break;
    }
}

/* Fingers: one finger arrives as the mouse (SDL synthesizes the events:
 * tap, drag); a second one turns it into a pinch that zooms around the
 * fingers' midpoint and pans with it. */
static void pinch_measure(app_t *a, float *dist, float *mx, float *my)
{
    *dist = hypotf(a->finger_x[1] - a->finger_x[0], a->finger_y[1] - a->finger_y[0]);
    *mx = 0.5f * (a->finger_x[0] + a->finger_x[1]);
    *my = 0.5f * (a->finger_y[0] + a->finger_y[1]);
}

static void touch_event(app_t *a, pane_t *p, const SDL_TouchFingerEvent *f)
{
    float x = f->x * (float)a->fb_w, y = f->y * (float)a->fb_h;
    int k = -1;
    for (int i = 0; i < a->fingers; i++)
        if (a->finger_id[i] == f->fingerId)
            k = i;
    if (f->type == SDL_FINGERDOWN) {
        if (k < 0 && a->fingers < 2)
            k = a->fingers++;
        if (k < 0)
            return; /* a third finger: ignored */
        a->finger_id[k] = f->fingerId;
        a->finger_x[k] = x;
        a->finger_y[k] = y;
        if (a->fingers == 2) {
            /* The first finger's press is no longer a tap or a drag. */
            a->mouse_down = a->dragging = a->slider_drag = a->panel_drag = 0;
            a->pressed_widget = -1;
            pinch_measure(a, &a->pinch_dist, &a->pinch_mx, &a->pinch_my);
        }
        return;
    }
    if (k < 0)
        return;
    if (f->type == SDL_FINGERUP) {
        a->finger_id[k] = a->finger_id[a->fingers - 1];
        a->finger_x[k] = a->finger_x[a->fingers - 1];
        a->finger_y[k] = a->finger_y[a->fingers - 1];
        a->fingers--;
        return;
    }
    a->finger_x[k] = x;
    a->finger_y[k] = y;
    if (a->fingers < 2)
        return;
    float dist, mx, my;
    pinch_measure(a, &dist, &mx, &my);
    /* Carry the point under the old midpoint to the new one, then scale
     * around it by the change in spread. */
    view_pan(&p->view, mx - a->pinch_mx, my - a->pinch_my);
    if (a->pinch_dist > 1 && dist > 1)
        view_zoom_at_ring(&p->view, dist / a->pinch_dist, mx, my, APP_RING_REACH * a->dpi);
    a->pinch_dist = dist;
    a->pinch_mx = mx;
    a->pinch_my = my;
    a->mouse_down = a->dragging = 0;
    a->view_dirty = 1;
}

static void window_event(app_t *a, const SDL_WindowEvent *w)
{
    if (w->event == SDL_WINDOWEVENT_SIZE_CHANGED || w->event == SDL_WINDOWEVENT_RESIZED)
        a->view_dirty = 1;
    if (w->event == SDL_WINDOWEVENT_MINIMIZED)
        a->minimized = 1;
    if (w->event == SDL_WINDOWEVENT_RESTORED || w->event == SDL_WINDOWEVENT_SHOWN ||
        w->event == SDL_WINDOWEVENT_MAXIMIZED || w->event == SDL_WINDOWEVENT_EXPOSED) {
        a->minimized = 0;
        a->view_dirty = 1;
    }
}

/* Scrolls the panel's rows to first (hud clamps it to the rows there are). */
static void panel_scroll_to(app_t *a, int64_t first)
{
    a->panel_scroll = first < 0 ? 0 : (uint32_t)first;
}

/* The pointer moved to (x, y): a slider drag, a drag of the panel's rows
 * (a finger's scroll: the rows follow it), a pan, or what is under it. */
static void mouse_motion(app_t *a, pane_t *p, float x, float y, float dx, float dy)
{
    a->mouse_x = x;
    a->mouse_y = y;
    if (a->slider_drag) {
        slider_set_from(a, a->mouse_x);
        return;
    }
    if (a->panel_drag) {
        float rows = (a->press_y - y) / (a->panel_row_h > 1 ? a->panel_row_h : 1);
        panel_scroll_to(a, (int64_t)a->panel_drag_from + (int64_t)lrintf(rows));
        return;
    }
    if (!a->mouse_down)
        p = focus_at(a, a->mouse_x, a->mouse_y);
    if (a->mouse_down && !a->dragging && hypotf(a->mouse_x - a->press_x, a->mouse_y - a->press_y) > 4 * a->dpi)
        a->dragging = 1;
    if (a->dragging) {
        view_pan(&p->view, dx, dy);
        a->view_dirty = 1;
    }
    a->hot_widget = widget_at(a, a->mouse_x, a->mouse_y);
    p->hover_node = a->hot_widget < 0 ? pane_node_at(p, a->mouse_x, a->mouse_y, (float)a->clock, a->dpi) : SCENE_NONE;
    if (a->hot_widget < 0)
        update_hover(a, p);
    else
        p->hover.active = 0;
}

/* Left button down: closes the help, presses a widget, or starts a click
 * or drag on a pane (a double click resets its view). */
static void mouse_down(app_t *a, float x, float y, int clicks)
{
    a->mouse_x = x;
    a->mouse_y = y;
    if (a->help) {
        a->help = 0; /* a click anywhere closes the overlay */
        return;
    }
    int w = widget_at(a, x, y);
    a->field_focus = w == APP_W_FIELD;
    if (w >= 0) {
        a->pressed_widget = w;
        if (w == APP_W_SLIDER && !app_vnodes_refused(a)) {
            a->slider_drag = 1;
            slider_set_from(a, x);
        }
        return;
    }
    if (in_rect(&a->panel, x, y)) {
        /* Its rows scroll with a drag (a finger has no wheel). */
        a->panel_drag = 1;
        a->panel_drag_from = a->panel_scroll;
        a->press_y = y;
        return;
    }
    if (in_rect(&a->bar, x, y) || in_rect(&a->rail, x, y))
        return;
    focus_at(a, x, y);
    if (clicks >= 2) {
        app_reset_view(a);
        return;
    }
    a->mouse_down = 1;
    a->dragging = 0;
    a->press_x = x;
    a->press_y = y;
}

/* Left button up: ends a slider drag, fires the widget pressed (if still
 * under the pointer), or selects the node clicked (again: clears). */
static void mouse_up(app_t *a, pane_t *p, float x, float y)
{
    if (a->slider_drag) {
        a->slider_drag = 0;
        a->pressed_widget = -1;
        return;
    }
    a->panel_drag = 0;
    if (a->pressed_widget >= 0) {
        int w = widget_at(a, x, y);
        if (w == a->pressed_widget)
            press_widget(a, w);
        a->pressed_widget = -1;
        return;
    }
    if (a->mouse_down && !a->dragging) {
        uint16_t hit = pane_node_at(p, x, y, (float)a->clock, a->dpi);
        if (hit == SCENE_NONE && p->hover.active)
            hit = p->hover.slot;
        app_select(a, hit == p->selected ? SCENE_NONE : hit);
    }
    a->mouse_down = 0;
    a->dragging = 0;
}

/* The wheel at (x, y): scrolls the panel's rows over it, else zooms the
 * pane under the pointer around it. */
static void mouse_wheel(app_t *a, const SDL_MouseWheelEvent *e, float x, float y)
{
    float amount = e->preciseY != 0 ? e->preciseY : (float)e->y;
    if (e->direction == SDL_MOUSEWHEEL_FLIPPED)
        amount = -amount;
    if (in_rect(&a->panel, x, y)) {
        /* Over the distribution panel: scroll its rows (hud clamps). */
        panel_scroll_to(a, (int64_t)a->panel_scroll - (int64_t)lrintf(amount * 3));
        return;
    }
    pane_t *p = focus_at(a, x, y);
    view_zoom_at_ring(&p->view, pow(1.18, amount), x, y, APP_RING_REACH * a->dpi);
    a->view_dirty = 1;
    a->mouse_x = x;
    a->mouse_y = y;
    update_hover(a, p);
}

void app_input_event(app_t *a, const SDL_Event *e)
{
    float sx = (float)a->fb_w / (float)a->win_w, sy = (float)a->fb_h / (float)a->win_h;
    pane_t *p = app_focus(a);
    switch (e->type) {
    case SDL_QUIT: app_quit_request(a, 0); break;
    case SDL_WINDOWEVENT: window_event(a, &e->window); break;
    case SDL_KEYDOWN: app_keys_press(a, p, e->key.keysym.sym, e->key.keysym.mod); break;
    case SDL_TEXTINPUT:
        a->composing[0] = '\0';
        if (a->field_focus)
            field_insert(a, e->text.text);
        break;
    case SDL_TEXTEDITING:
        /* An input method's text being composed: shown in the field, not
         * yet part of it (SDL_TEXTINPUT brings the result). */
        if (a->field_focus)
            snprintf(a->composing, sizeof a->composing, "%s", e->edit.text);
        break;
    case SDL_MOUSEMOTION:
        mouse_motion(a, p, e->motion.x * sx, e->motion.y * sy, e->motion.xrel * sx, e->motion.yrel * sy);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT)
            mouse_down(a, e->button.x * sx, e->button.y * sy, e->button.clicks);
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT)
            mouse_up(a, p, e->button.x * sx, e->button.y * sy);
        break;
    case SDL_MOUSEWHEEL: mouse_wheel(a, &e->wheel, e->wheel.mouseX * sx, e->wheel.mouseY * sy); break;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: touch_event(a, p, &e->tfinger); break;
    default: break;
    }
}
