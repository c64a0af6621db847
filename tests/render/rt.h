/* rt — shared helpers of the render tests: an app on the offscreen driver,
 * synthesized input, frames read back. */
#ifndef RINGSCOPE_RT_H
#define RINGSCOPE_RT_H

#include <stdint.h>

#include "app.h"

/* Starts the app (nodeA..nodeE, 80 vnodes, 6000 vectors unless given). */
int rt_start(int w, int h, uint32_t vectors);
/* Starts the app from d (its sim's nodes, vnodes, vectors, dim and seed
 * as rt_start's where d leaves them 0). */
int rt_start_desc(app_desc_t d);
void rt_stop(void);
/* cmocka group setup and teardown: rt_start(1280, 720, 0), rt_stop. */
int rt_setup(void **state);
int rt_teardown(void **state);

/* Advances until every animation settled, then draws a frame. */
void rt_settle(void);
/* Runs a command line as typed (app_run_command), fails the test if the
 * app refuses it (its message printed), then settles. */
void rt_run(const char *line);
/* The same without settling: the test looks at what happens meanwhile. */
void rt_run_now(const char *line);
/* Draws and reads the frame into the shared buffer; returns it (top row first). */
const uint8_t *rt_frame(void);
const uint8_t *rt_pixel(const uint8_t *frame, int x, int y);
/* The frame as last drawn to $RINGSCOPE_TEST_SHOTS/name.png, when that is
 * set (to look at what a test saw). */
void rt_shot(const char *name);

void rt_click(float x, float y);           /* drawable pixels */
void rt_click_widget(app_widget_t w);
void rt_move(float x, float y);
void rt_key(SDL_Keycode key, Uint16 mod);
void rt_text(const char *text);
void rt_wheel(float x, float y, float amount);

uint16_t rt_slot(const char *id);
/* The colour of the first pane's node in slot (pal.h). */
void rt_node_rgb(uint16_t slot, uint8_t out[3]);
/* The live node whose palette colour points the way of the pixel's RGB
 * (largest cosine): its hue, whatever the brightness. */
uint16_t rt_hue(const uint8_t *px);
/* 1 if pixel (x, y) is within 6 px of the first pane's legend line (HUD
 * text over the scene, hud_legend_box). */
int rt_under_legend(double x, double y);          /* RING_NONE if not live */

#endif
