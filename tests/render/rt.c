/* dlopen's RTLD_NODELETE is a glibc extension. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rt.h"

#include "hud.h"
#include "pal.h"

#include <dlfcn.h>
#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *frame;

/* SDL unloads the GL driver at SDL_Quit; the leak checker then cannot name
 * the driver's frames, so lsan.supp could not match them. Keep the driver
 * libraries loaded (missing ones are simply skipped). */
static void pin_gl_libraries(void)
{
    static const char *const libs[] = {"libEGL.so.1", "libEGL_mesa.so.0", "libglapi.so.0", "libGLdispatch.so.0",
                                       "swrast_dri.so", "kms_swrast_dri.so",
                                       "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so",
                                       "/usr/lib/x86_64-linux-gnu/dri/kms_swrast_dri.so"};
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++)
        dlopen(libs[i], RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE);
}

int rt_start(int w, int h, uint32_t vectors)
{
    app_desc_t d = {.width = w, .height = h, .headless = 1};
    d.sim.vectors = vectors;
    return rt_start_desc(d);
}

int rt_start_desc(app_desc_t d)
{
    pin_gl_libraries();
    static const char *const nodes[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};
    d.headless = 1;
    if (!d.sim.nodes) {
        d.sim.nodes = nodes;
        d.sim.node_count = 5;
    }
    d.sim.vnodes = d.sim.vnodes ? d.sim.vnodes : 80;
    d.sim.vectors = d.sim.vectors ? d.sim.vectors : 6000;
    d.sim.dim = d.sim.dim ? d.sim.dim : 256;
    d.sim.seed = d.sim.seed ? d.sim.seed : 42;
    char err[512];
    if (app_init(&d, err, sizeof err) != 0) {
        fprintf(stderr, "app_init: %s\n", err);
        return -1;
    }
    frame = malloc((size_t)app_get()->fb_w * app_get()->fb_h * 4);
    return frame ? 0 : -1;
}

int rt_setup(void **state)
{
    (void)state;
    return rt_start(1280, 720, 0);
}

int rt_teardown(void **state)
{
    (void)state;
    rt_stop();
    return 0;
}

void rt_stop(void)
{
    app_shutdown();
    free(frame);
    frame = NULL;
}

void rt_settle(void)
{
    for (int i = 0; i < 2000 && !app_settled(); i++)
        app_advance(1.0 / 60.0);
    app_advance(0.1);
}

void rt_run_now(const char *line)
{
    const char *msg = app_run_command(line);
    if (msg)
        print_message("%s: %s\n", line, msg);
    assert_null(msg);
}

void rt_run(const char *line)
{
    rt_run_now(line);
    rt_settle();
}

const uint8_t *rt_frame(void)
{
    app_render();
    app_read_pixels(frame);
    return frame;
}

const uint8_t *rt_pixel(const uint8_t *f, int x, int y)
{
    app_t *a = app_get();
    if (x < 0) x = 0;
    if (y < 0) y = 0;
    if (x >= a->fb_w) x = a->fb_w - 1;
    if (y >= a->fb_h) y = a->fb_h - 1;
    return f + ((size_t)y * a->fb_w + x) * 4;
}

static float win_x(float x)
{
    return x * app_get()->win_w / app_get()->fb_w;
}

static float win_y(float y)
{
    return y * app_get()->win_h / app_get()->fb_h;
}

void rt_move(float x, float y)
{
    SDL_Event e = {0};
    e.type = SDL_MOUSEMOTION;
    e.motion.x = (Sint32)win_x(x);
    e.motion.y = (Sint32)win_y(y);
    app_event(&e);
}

void rt_shot(const char *name)
{
    const char *dir = getenv("RINGSCOPE_TEST_SHOTS");
    if (!dir)
        return;
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    if (app_save_png(path, err, sizeof err) != 0)
        fprintf(stderr, "%s: %s\n", path, err);
}

void rt_click(float x, float y)
{
    rt_move(x, y);
    SDL_Event e = {0};
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.clicks = 1;
    e.button.x = (Sint32)win_x(x);
    e.button.y = (Sint32)win_y(y);
    app_event(&e);
    e.type = SDL_MOUSEBUTTONUP;
    app_event(&e);
}

void rt_click_widget(app_widget_t w)
{
    /* Lay out and draw once so the widget rectangles are current. */
    app_render();
    const app_rect_t *r = &app_get()->widgets[w];
    rt_click(r->x + r->w * 0.5f, r->y + r->h * 0.5f);
}

void rt_key(SDL_Keycode key, Uint16 mod)
{
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = key;
    e.key.keysym.mod = mod;
    app_event(&e);
    e.type = SDL_KEYUP;
    app_event(&e);
}

void rt_text(const char *text)
{
    SDL_Event e = {0};
    e.type = SDL_TEXTINPUT;
    snprintf(e.text.text, sizeof e.text.text, "%s", text);
    app_event(&e);
}

void rt_wheel(float x, float y, float amount)
{
    SDL_Event e = {0};
    e.type = SDL_MOUSEWHEEL;
    e.wheel.y = (Sint32)amount;
    e.wheel.preciseY = amount;
    e.wheel.mouseX = (Sint32)win_x(x);
    e.wheel.mouseY = (Sint32)win_y(y);
    app_event(&e);
}

uint16_t rt_slot(const char *id)
{
    return ring_find_node(&app_get()->panes[0].sim.ring, id, strlen(id));
}

void rt_node_rgb(uint16_t slot, uint8_t out[3])
{
    const ring_node_t *nd = &app_get()->panes[0].sim.ring.nodes[slot];
    pal_node8(nd->id, nd->id_len, out);
}

uint16_t rt_hue(const uint8_t *px)
{
    app_t *a = app_get();
    double best = -1;
    uint16_t hue = RING_NONE;
    for (uint32_t n = 0; n < a->panes[0].sorted_count; n++) {
        uint8_t c[3];
        const ring_node_t *nd = &a->panes[0].sim.ring.nodes[a->panes[0].sorted[n]];
        pal_node8(nd->id, nd->id_len, c);
        double dot = 0, pp = 0, cc = 0;
        for (int j = 0; j < 3; j++) {
            dot += (double)px[j] * c[j];
            pp += (double)px[j] * px[j];
            cc += (double)c[j] * c[j];
        }
        double cosine = dot / sqrt(pp * cc + 1e-9);
        if (cosine > best) {
            best = cosine;
            hue = a->panes[0].sorted[n];
        }
    }
    return hue;
}

int rt_under_legend(double x, double y)
{
    app_t *a = app_get();
    app_rect_t b;
    hud_legend_box(a, &a->panes[0], &b);
    return b.w > 0 && x > b.x - 6 && x < b.x + b.w + 6 && y > b.y - 6 && y < b.y + b.h + 6;
}
