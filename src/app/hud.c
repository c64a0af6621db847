/* hud — the frame: background glows, each pane's scene, then the 2D rooms
 * in their order (hud_priv.h lists them). */
#include "hud_priv.h"

#include "hud_repl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Title line and last action, the replication line, the PAUSED box. */
static void title(app_t *a, const pane_t *p, draw_t *d)
{
    float u = a->hud_u, x = (a->bar_level >= 2 ? 12 : 20) * u, y = 14 * u;
    float right = hud_stage_right(a);
    float maxw = right - x - 12 * u;
    a->title_box.w = right;
    char t[256];
    for (int form = 0; form < HUD_TITLE_FORMS; form++) {
        hud_title_text(a->panes, a->pane_count, p, form, t, sizeof t);
        a->title_cut = font_width(&a->font, FONT_TITLE, t, strlen(t)) > maxw;
        if (!a->title_cut)
            break;
    }
    float title_w = hud_fit(d, FONT_TITLE, x, y, maxw, C_TEXT, t);
    y += a->font.height[FONT_TITLE] + 4 * u;

    /* Last action: "<what>  |  moved k of N (x%)  ·  ideal y%". A long node
     * id in <what> is elided, the movement figures are kept. */
    const pane_action_t *ac = &p->action;
    char tail[sizeof ac->note + 8] = "";
    float hw = font_width(&a->font, FONT_LARGE, ac->text, strlen(ac->text)), tw = 0;
    if ((ac->total || ac->moved || ac->lost) && a->pane_count == 1) { /* compare mode: each pane's header says it */
        /* the shorter form where the whole line would not fit */
        for (int form = 0; form < HUD_COUNTER_FORMS; form++) {
            snprintf(tail, sizeof tail, "  |  ");
            hud_counter_form(ac, pane_moved_landed(p), app_is_settled(a), form, tail + 5, sizeof tail - 5);
            tw = font_width(&a->font, FONT_LARGE, tail, strlen(tail));
            if (hw + tw <= maxw)
                break;
        }
    }
    int flying = !app_is_settled(a);
    uint32_t c = flying ? 0xFFFFFFFFu : 0xC8D0DEFFu;
    float head_w = fminf(hw, fmaxf(maxw - tw, maxw * 0.35f));
    float used = hud_fit(d, FONT_LARGE, x, y, head_w, c, ac->text);
    used += hud_fit(d, FONT_LARGE, x + used, y, maxw - used, c, tail);
    snprintf(a->headline, sizeof a->headline, "%s%s", ac->text, tail);
    a->repl_line[0] = '\0';
    /* Node labels keep clear of what was drawn, not of the whole strip. */
    a->title_box.w = fminf(a->title_box.w, x + fmaxf(used, title_w) + 8 * u);
    if (ac->repl) {
        /* Replicas: what the change copied, how long that takes, what a
         * crash lost and what waits for `heal` (red: data lost; amber:
         * under-replicated). */
        char line[256];
        uint32_t rc = hud_repl_line(a, p, line, sizeof line);
        snprintf(a->repl_line, sizeof a->repl_line, "%s", line);
        y += a->font.height[FONT_LARGE] + 4 * u;
        float lw = hud_fit(d, FONT_BODY, x, y, maxw, rc, line);
        a->title_box.w = fmaxf(a->title_box.w, fminf(right, x + lw + 8 * u));
    }
    a->pause_box = (app_rect_t){0, 0, 0, 0};
    if (a->paused) {
        y += a->font.height[FONT_LARGE] + 8 * u;
        float w = font_width(&a->font, FONT_SMALL, "PAUSED", 6) + 20 * u;
        if (y + a->font.height[FONT_SMALL] + 8 * u < a->bar.y) {
            a->pause_box = (app_rect_t){x, y, w, a->font.height[FONT_SMALL] + 8 * u};
            draw_rect(d, x, y, w, a->font.height[FONT_SMALL] + 8 * u, 5 * u, 0xF5A52433u);
            draw_text(d, FONT_SMALL, x + 10 * u, y + 4 * u, C_REBUILD, "PAUSED");
        }
    }
}

/* Compare mode: a pane's header over its ring (strategy, counter line; the
 * focused pane's name in the accent colour) and a hairline between cells. */
static void pane_header(app_t *a, const pane_t *p, draw_t *d)
{
    float u = a->hud_u, x = p->cell[0] + 14 * u, y = p->cell[1] + 4 * u, w = p->cell[2] - 28 * u;
    int focus = p == hud_focused(a) && a->look == APP_LOOK_FULL; /* a clip has no pointer */
    const char *name = strat_name(p->sim.strat.kind);
    float nw = hud_fit(d, FONT_BODY, x, y, w, focus ? C_ACCENT : C_TEXT, name);
    a->header_cut[p - a->panes] = font_width(&a->font, FONT_BODY, name, strlen(name)) > w;
    if (focus)
        draw_rect(d, x, y + a->font.height[FONT_BODY], nw, 1.5f * u, 0, C_ACCENT);
    char tag[160];
    uint32_t tc = hud_repl_pane_tag(p, tag, sizeof tag);
    if (tag[0] && w > nw + 20 * u && !hud_panes_stacked(a))
        hud_fit(d, FONT_SMALL, x + nw + 12 * u, y + (a->font.height[FONT_BODY] - a->font.height[FONT_SMALL]) * 0.5f,
                w - nw - 12 * u, tc, tag);
    char line[sizeof p->action.note + 8];
    /* Stacked panes (an upright phone): the counter on the name's line. */
    float ly = y + a->font.height[FONT_BODY] + 3 * u, lx = x;
    if (hud_panes_stacked(a)) {
        ly = y + (a->font.height[FONT_BODY] - a->font.height[FONT_SMALL]) * 0.5f;
        lx = x + nw + 12 * u;
    }
    for (int form = 0; form < HUD_COUNTER_FORMS; form++) {
        hud_counter_form(&p->action, pane_moved_landed(p), app_is_settled(a), form, line, sizeof line);
        if (font_width(&a->font, FONT_SMALL, line, strlen(line)) <= x + w - lx)
            break;
    }
    float lw = hud_fit(d, FONT_SMALL, lx, ly, x + w - lx,
                       p->action.note[0] ? C_REBUILD : (app_is_settled(a) ? 0xC8D0DEFFu : 0xFFFFFFFFu), line);
    if (font_width(&a->font, FONT_SMALL, line, strlen(line)) > x + w - lx)
        a->header_cut[p - a->panes] = 1;
    if (tag[0] && hud_panes_stacked(a) && x + w - (lx + lw + 12 * u) > 60 * u) /* what room is left: the copies */
        hud_fit(d, FONT_SMALL, lx + lw + 12 * u, ly, x + w - (lx + lw + 12 * u), tc, tag);
    if (p->cell[0] > 0)
        draw_rect(d, p->cell[0], p->cell[1] + 6 * u, 1 * u, p->cell[3] - 12 * u, 0, C_EDGE);
    if (p->cell[1] > a->panes[0].cell[1])
        draw_rect(d, p->cell[0] + 6 * u, p->cell[1], p->cell[2] - 12 * u, 1 * u, 0, C_EDGE);
}

/* "Ring is empty" in a pane's area, and how to fill it. */
static void empty_note(app_t *a, const pane_t *p, draw_t *d)
{
    const char *t = "Ring is empty";
    float room = (float)a->fb_w - 16 * a->hud_u;
    float w = fminf(font_width(&a->font, FONT_HUGE, t, strlen(t)), room);
    float mid = (float)(p->view.area_x + p->view.area_w * 0.5);
    float x = fmaxf(8 * a->hud_u, fminf(mid - w * 0.5f, (float)a->fb_w - 8 * a->hud_u - w));
    float y = (float)(p->view.area_y + p->view.area_h * 0.5) - a->font.height[FONT_HUGE] * 0.5f;
    draw_text_fit(d, FONT_HUGE, x, y, room, 0xC8D0DEFFu, t);
    const char *t2 = "Press A or click Add node";
    float w2 = fminf(font_width(&a->font, FONT_BODY, t2, strlen(t2)), room);
    float x2 = fmaxf(8 * a->hud_u, fminf(mid - w2 * 0.5f, (float)a->fb_w - 8 * a->hud_u - w2));
    if (y + a->font.height[FONT_HUGE] + 6 * a->hud_u + a->font.height[FONT_BODY] < a->bar.y &&
        a->look == APP_LOOK_FULL)
        draw_text_fit(d, FONT_BODY, x2, y + a->font.height[FONT_HUGE] + 6 * a->hud_u, room, C_DIM, t2);
}

/* Under the scene: a glow behind the ring and each node's cloud, rings
 * round the selected and hovered nodes. */
static void background(app_t *a, const pane_t *p, draw_t *d)
{
    double cx, cy;
    view_world_to_px(&p->view, 0, 0, &cx, &cy);
    float r = (float)(p->view.scale * 2.6);
    if (r < 4096 * a->dpi)
        draw_glow(d, (float)cx, (float)cy, r, 0x1A2A4A55u);
    double cloud = p->params.cloud_r * p->view.scale;
    for (uint32_t i = 0; i < p->sorted_count; i++) {
        uint16_t s = p->sorted[i];
        double nx, ny;
        pane_node_px(p, s, (float)a->clock, &nx, &ny);
        if (cloud < 3000)
            draw_glow(d, (float)nx, (float)ny, (float)(cloud * 1.9), hud_node_rgba(p, s, 0.16f));
        if (s == p->selected || s == p->hover_node)
            draw_ring(d, (float)nx, (float)ny, (float)(cloud * 1.12 + 4 * a->dpi), 1.5f * a->dpi,
                      s == p->selected ? 0xFFFFFFC0u : 0xFFFFFF50u);
    }
}

/* The frame rate line: every half second while animating ("idle" when
 * frames come only on input); none headless, so recordings do not depend on
 * the speed of the machine that made them. */
static void fps_text(app_t *a)
{
    if (a->headless)
        return;
    Uint64 now = SDL_GetTicks64();
    if (a->idle) {
        snprintf(a->fps_text, sizeof a->fps_text, "idle");
        a->fps_text_t = 0;
    } else if (now - (Uint64)a->fps_text_t >= 500 || !a->fps_text[0] || !strcmp(a->fps_text, "idle")) {
        snprintf(a->fps_text, sizeof a->fps_text, "%.0f fps  \xC2\xB7  %.1f ms", a->fps, a->frame_ms);
        a->fps_text_t = (double)now;
    }
}

/* Each pane's scene; in compare mode clipped to its cell (a zoomed pane
 * stays in it). */
static void scenes(app_t *a)
{
    for (int i = 0; i < a->pane_shown; i++) {
        pane_t *p = &a->panes[i];
        gfx_frame_t pf = {{(float)a->fb_w, (float)a->fb_h}, (float)a->clock, a->dpi, &p->view};
        p->params.selected = p->selected;
        p->params.point_size = 5.0f * a->dpi;
        p->params.band_in = -5.0f * a->dpi;
        p->params.band_out = -16.0f * a->dpi;
        if (a->pane_count > 1)
            gfx_clip(p->cell[0], p->cell[1], p->cell[2], p->cell[3], a->fb_h);
        scene_draw(&p->scene, &pf, &p->params);
    }
    gfx_clip_off();
}

/* "H: help" and the legend's link above the bar (a phone has "?" and
 * "Legend" on the bar, and no keys). */
static void hint_row(app_t *a, draw_t *d)
{
    app_rect_t help, legend;
    if (!hud_hint_row(a, &help, &legend))
        return;
    float u = a->hud_u;
    draw_text(d, FONT_SMALL, help.x, help.y, C_DIM, HUD_HINT_HELP);
    int hot = a->hot_widget == APP_W_LEGEND;
    draw_rect(d, legend.x, legend.y, legend.w, legend.h, 5 * u, hot ? C_BUTTON_HOT : 0xFFFFFF0Au);
    draw_text(d, FONT_SMALL, legend.x + 6 * u, help.y, hot ? C_TEXT : C_DIM, HUD_HINT_LEGEND);
}

void hud_draw(app_t *a)
{
    const pane_t *fp = hud_focused(a);
    gfx_frame_t f = {{(float)a->fb_w, (float)a->fb_h}, (float)a->clock, a->dpi, &fp->view};
    fps_text(a);
    draw_begin(&a->under, (float)a->fb_w, (float)a->fb_h);
    for (int i = 0; i < a->pane_shown; i++)
        background(a, &a->panes[i], &a->under);
    gfx_blend_over();
    draw_end(&a->under, &f);
    scenes(a);

    draw_t *d = &a->ui;
    draw_begin(d, (float)a->fb_w, (float)a->fb_h);
    gfx_blend_over();
    for (int i = 0; i < a->pane_shown; i++) {
        if (a->panes[i].sim.ring.live_count == 0)
            empty_note(a, &a->panes[i], d);
        hud_structure(a, &a->panes[i], d);
        if (a->pane_count > 1)
            pane_header(a, &a->panes[i], d);
    }
    title(a, fp, d);
    for (int i = 0; i < a->pane_shown; i++) {
        hud_repl_nodes(a, &a->panes[i], d);
        hud_node_labels(a, &a->panes[i], d);
    }
    a->hover_box = (app_rect_t){0, 0, 0, 0};
    for (int i = 0; i < a->pane_shown; i++)
        hud_hover_key(a, &a->panes[i], d); /* over the labels */
    app_rect_t box = a->panel;
    if (a->pane_count > 1) {
        float th = hud_compare_table(a, d);
        box.y += th;
        box.h -= th;
    }
    hud_panel(a, fp, d, box);
    hud_caption(a, d);
    if (a->look == APP_LOOK_FULL) {
        hud_bar(a, d);
        hud_hover_card(a, fp, d);
        hud_toast(a, d);
    }
    hud_title_card(a, d);
    if (a->look == APP_LOOK_CLEAN)
        ;
    else if (a->help)
        hud_help(a, d);
    else if (a->legend)
        hud_legend(a, d);
    else
        hint_row(a, d);
    draw_end(d, &f);
    gfx_blend_off();
}

void hud_draw_over(app_t *a)
{
    gfx_frame_t f = {{(float)a->fb_w, (float)a->fb_h}, (float)a->clock, a->dpi, &hud_focused(a)->view};
    draw_t *d = &a->over;
    draw_begin(d, (float)a->fb_w, (float)a->fb_h);
    hud_rec_badge(a, d);
    gfx_blend_over();
    draw_end(d, &f);
}
