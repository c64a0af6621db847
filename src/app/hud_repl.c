#include "hud_repl.h"

#include "num.h"
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Zone colours: bright and far apart (OKLab ΔE 0.13 and more), none near
 * the marks' amber, red or white; drawn as dashed rings, a shape no node has, so a zone reads at a
 * glance and never as a node. */
static const uint32_t zone_rgb[] = {0x4CC9F0u, 0xE056FDu, 0x5EEAA0u, 0xA78BFAu, 0xD8DEE9u, 0xFFF07Au};

uint32_t hud_repl_zone_rgba(uint32_t z, float alpha)
{
    uint32_t a = (uint32_t)(255.0f * (alpha < 0 ? 0 : alpha > 1 ? 1 : alpha) + 0.5f);
    return (zone_rgb[z % (sizeof zone_rgb / sizeof zone_rgb[0])] << 8) | a;
}

static uint32_t with_alpha_f(uint32_t c, float a)
{
    return (c & 0xFFFFFF00u) | (uint32_t)((float)(c & 0xFF) * (a < 0 ? 0 : a > 1 ? 1 : a) + 0.5f);
}

static int zone_index(const repl_t *r, const char *id)
{
    const char *name = repl_zone_of(r, id);
    for (uint32_t z = 0; name && z < r->zone_count; z++)
        if (strcmp(r->zone_names[z], name) == 0)
            return (int)z;
    return -1;
}

void hud_repl_zone_ring(draw_t *d, float cx, float cy, float r, float u, uint32_t c)
{
    enum { DASHES = 24 };
    for (int i = 0; i < DASHES; i++) {
        float a0 = 6.2831853f * (float)i / DASHES, a1 = a0 + 0.6f * 6.2831853f / DASHES;
        draw_line(d, cx + r * sinf(a0), cy - r * cosf(a0), cx + r * sinf(a1), cy - r * cosf(a1), 3 * u, c);
    }
}

int hud_repl_zone_index(const pane_t *p, uint16_t slot)
{
    return zone_index(&p->sim.repl, p->sim.ring.nodes[slot].id);
}

void hud_repl_nodes(app_t *a, const pane_t *p, draw_t *d)
{
    const repl_t *r = &p->sim.repl;
    if (!r->on)
        return;
    float u = a->hud_u;
    double cloud_px = p->params.cloud_r * p->view.scale;
    const ring_t *ring = &p->sim.ring;
    for (uint32_t i = 0; i < p->sorted_count; i++) {
        uint16_t s = p->sorted[i];
        int z = zone_index(r, ring->nodes[s].id);
        if (z < 0)
            continue;
        double x, y;
        pane_node_px(p, s, (float)a->clock, &x, &y);
        hud_repl_zone_ring(d, (float)x, (float)y, (float)cloud_px + 5 * u, u, hud_repl_zone_rgba((uint32_t)z, 0.95f));
    }
    const scene_repl_t *rp = &p->scene.repl;
    for (uint32_t i = 0; i < rp->ghost_count; i++) {
        const scene_ghost_t *g = &rp->ghosts[i];
        double x, y;
        view_world_to_px(&p->view, g->x, g->y, &x, &y);
        float in = fminf(1.0f, fmaxf(0.0f, ((float)a->clock - g->t) / 0.4f));
        float cx = (float)x, cy = (float)y, rr = (float)cloud_px;
        draw_ring(d, cx, cy, rr, 2.0f * u, with_alpha_f(0x8A93A6FFu, 0.8f * in));
        int z = zone_index(r, g->id);
        if (z >= 0)
            hud_repl_zone_ring(d, cx, cy, rr + 5 * u, u, hud_repl_zone_rgba((uint32_t)z, 0.35f * in));
        const char *cross = "\xE2\x9C\x95"; /* U+2715 */
        float cw = font_width(&a->font, FONT_HUGE, cross, strlen(cross));
        draw_text(d, FONT_HUGE, cx - cw * 0.5f, cy - a->font.height[FONT_HUGE] * 0.5f,
                  with_alpha_f(0xE5484DFFu, in), cross);
        char line[NODEID_MAX + 16];
        snprintf(line, sizeof line, "%s crashed", g->id);
        float w = font_width(&a->font, FONT_SMALL, line, strlen(line));
        draw_text(d, FONT_SMALL, cx - w * 0.5f, cy + rr + 8 * u, with_alpha_f(0xE5484DFFu, in), line);
    }
}

void hud_repl_seconds(char *out, size_t n, double s)
{
    if (s <= 0)
        snprintf(out, n, "0 s");
    else if (s < 1e-3)
        snprintf(out, n, "%.3g \xC2\xB5s", s * 1e6);
    else if (s < 1)
        snprintf(out, n, "%.3g ms", s * 1e3);
    else
        snprintf(out, n, "%.3g s", s);
}

const char *hud_repl_crash_text(const app_t *a)
{
    const pane_t *p = &a->panes[a->focus < a->pane_count ? a->focus : 0];
    return p->selected == SCENE_NONE && p->sim.repl.crashed_count ? "Recover" : "Crash";
}

#define SEP "  \xC2\xB7  "

/* Appends "  ·  figure" (no separator first) to out. */
static void add_part(char *out, size_t n, const char *part)
{
    size_t at = strlen(out);
    if (at < n)
        snprintf(out + at, n - at, "%s%s", at ? SEP : "", part);
}

/* What the cluster is short of after the change, each only when not zero:
 * the keys lost in all, the under-replicated keys. */
static void shortfall(const pane_action_t *ac, char *out, size_t n)
{
    char part[96];
    if (ac->lost_total) {
        snprintf(part, sizeof part, "lost %llu in all", (unsigned long long)ac->lost_total);
        add_part(out, n, part);
    }
    if (ac->under) {
        snprintf(part, sizeof part, "under-replicated %llu", (unsigned long long)ac->under);
        add_part(out, n, part);
    }
}

uint32_t hud_repl_line(const app_t *a, const pane_t *p, char *out, size_t n)
{
    /* What the copies cost and what the cluster is short of, each figure
     * only when it is not zero; the counter line says what the change did
     * (promoted, copied, lost), in the same words. */
    const pane_action_t *ac = &p->action;
    char part[160];
    out[0] = '\0';
    snprintf(part, sizeof part, "replicas %u", ac->replicas);
    add_part(out, n, part);
    if (ac->copies) {
        char bytes[32], secs[32];
        report_human_bytes(bytes, sizeof bytes, ac->bytes);
        hud_repl_seconds(secs, sizeof secs, ac->seconds);
        if (ac->shards && ac->shard_copies)
            snprintf(part, sizeof part, "copied %s (%llu shard cop%s) in %s", bytes,
                     (unsigned long long)ac->shard_copies, ac->shard_copies == 1 ? "y" : "ies", secs);
        else
            snprintf(part, sizeof part, "copied %s in %s", bytes, secs);
        add_part(out, n, part);
    }
    shortfall(ac, out, n);
    if (a->realtime) {
        snprintf(part, sizeof part, "real time \xC3\x97%u%s", a->realtime_scale,
                 ac->realtime > 0 && ac->realtime_clamped ? " (clamped)" : "");
        add_part(out, n, part);
    }
    num_group(out, n);
    /* Red: data lost; amber: copies missing until healed. */
    return ac->lost_total ? 0xE5484DFFu : ac->under ? 0xF5A524FFu : 0xC8D0DEFFu;
}

uint32_t hud_repl_pane_tag(const pane_t *p, char *out, size_t n)
{
    const pane_action_t *ac = &p->action;
    char part[96];
    out[0] = '\0';
    if (!ac->repl)
        return 0;
    if (ac->copies) {
        char bytes[32];
        report_human_bytes(bytes, sizeof bytes, ac->bytes);
        snprintf(part, sizeof part, "copied %s", bytes);
        add_part(out, n, part);
    }
    shortfall(ac, out, n);
    num_group(out, n);
    return ac->lost_total ? 0xE5484DFFu : ac->under ? 0xF5A524FFu : 0x8A93A6FFu;
}
