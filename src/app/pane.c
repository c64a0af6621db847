/* pane — one strategy's simulation, node layout, scene and picking. */
#include "pane.h"

#include "app.h"
#include "num.h"
#include "pal.h"
#include "rs_limits.h"
#include "sst.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAU 6.283185307179586

int pane_init(pane_t *p, const sim_config_t *cfg, char *err, size_t err_size)
{
    memset(p, 0, sizeof *p);
    p->selected = SCENE_NONE;
    p->hover_node = SCENE_NONE;
    if (scene_init(&p->scene, err, err_size) != 0)
        return -1;
    p->share = calloc(RS_MAX_NODES, sizeof *p->share);
    p->sorted = calloc(RS_MAX_NODES, sizeof *p->sorted);
    p->node_angle = calloc(RS_MAX_NODES, sizeof *p->node_angle);
    p->node_placed = calloc(RS_MAX_NODES, sizeof *p->node_placed);
    if (!p->share || !p->sorted || !p->node_angle || !p->node_placed) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    sim_config_t c = *cfg;
    c.collect_moves = 1;
    sim_step_t step;
    if (sim_init(&p->sim, &c, &step, err, err_size) != 0)
        return -1;
    pane_refresh_stats(p);
    snprintf(p->action.text, sizeof p->action.text, "Add or remove nodes to observe data movement");
    p->action.ideal = NAN;
    p->action.op = -1;
    /* Replicas from the start (--replicas, --zones): their line shows now. */
    p->action.repl = p->sim.repl.on;
    p->action.replicas = p->sim.repl.replicas;
    p->params.flight_dur = APP_FLIGHT;
    p->params.points_off = !p->sim.strat.ops->uses_vnodes;
    return 0;
}

void pane_free(pane_t *p)
{
    sim_free(&p->sim);
    free(p->share);
    free(p->sorted);
    free(p->node_angle);
    free(p->node_placed);
    scene_shutdown(&p->scene);
    memset(p, 0, sizeof *p);
}

void pane_gl_shutdown(pane_t *p)
{
    scene_shutdown(&p->scene);
}

int pane_gl_init(pane_t *p, char *err, size_t err_size)
{
    return scene_init(&p->scene, err, err_size);
}

void pane_refresh_stats(pane_t *p)
{
    sim_stats(&p->sim, &p->stats);
    p->sorted_count = ring_sorted_slots(&p->sim.ring, p->sorted);
    if (p->sim.ring.slot_count)
        ring_arc_share(&p->sim.ring, p->share);
}

/* ---- node layout -------------------------------------------------------- */

/* Node circle radius (world units; the ring is 1). */
static double node_orbit(void)
{
    return 1.44;
}

/* Cloud radius for nodes at least min_gap radians apart on the node circle:
 * neighbouring clouds never touch. */
static double cloud_radius(uint32_t n, double min_gap)
{
    double r = 0.25;
    if (n > 1) {
        double chord = node_orbit() * sin(0.5 * min_gap);
        if (0.8 * chord < r)
            r = 0.8 * chord;
    }
    return r < 0.03 ? 0.03 : r;
}

static int cmp_double(const void *pa, const void *pb)
{
    double x = *(const double *)pa, y = *(const double *)pb;
    return x < y ? -1 : x > y;
}

/* The placed live nodes' angles, sorted, into out; their count. */
static uint32_t placed_angles(const pane_t *p, double *out)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < p->sorted_count; i++)
        if (p->node_placed[p->sorted[i]])
            out[m++] = p->node_angle[p->sorted[i]];
    qsort(out, m, sizeof *out, cmp_double);
    return m;
}

/* The placed nodes' angles and the places of crashed nodes still drawn
 * where they stood (scene_repl's ghosts; a recovered one is live again and
 * frees its place): a newcomer must not be drawn on top of a crashed node.
 * out has room for 2 * RS_MAX_NODES. */
static uint32_t occupied_angles(const pane_t *p, double *out)
{
    uint32_t m = placed_angles(p, out);
    const scene_repl_t *rp = &p->scene.repl;
    for (uint32_t i = 0; i < rp->ghost_count && m < 2 * RS_MAX_NODES; i++) {
        const scene_ghost_t *g = &rp->ghosts[i];
        if (ring_find_node(&p->sim.ring, g->id, strlen(g->id)) == RING_NONE)
            out[m++] = fmod(atan2(g->x, -g->y) + TAU, TAU);
    }
    qsort(out, m, sizeof *out, cmp_double);
    return m;
}

/* Widest gap between neighbours of the m sorted angles: its middle in *mid;
 * the narrowest in *min_gap. */
static void gaps(const double *a, uint32_t m, double *mid, double *min_gap)
{
    double best = -1, least = TAU;
    *mid = 0;
    for (uint32_t i = 0; i < m; i++) {
        double next = i + 1 < m ? a[i + 1] : a[0] + TAU;
        double g = next - a[i];
        if (g > best) {
            best = g;
            *mid = fmod(a[i] + 0.5 * g, TAU);
        }
        if (g < least)
            least = g;
    }
    *min_gap = least;
}

typedef struct spot {
    double angle;
    int32_t slot;                /* -1: a crashed node drawn where it stood */
} spot_t;

static int cmp_spot(const void *pa, const void *pb)
{
    double x = ((const spot_t *)pa)->angle, y = ((const spot_t *)pb)->angle;
    return x < y ? -1 : x > y;
}

/* Spaces the n live nodes evenly, keeping their order round the circle:
 * the even places are turned to where the nodes stand (the circular mean
 * of each one's offset from its even place), so each slides a little and
 * none crosses the ring. Crashed nodes still drawn where they stood take
 * part as places that cannot move: the turn is fitted to them first. */
static void respread(pane_t *p, uint32_t n)
{
    static spot_t spots[2 * RS_MAX_NODES];
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++)
        spots[m++] = (spot_t){p->node_angle[p->sorted[i]], p->sorted[i]};
    const scene_repl_t *rp = &p->scene.repl;
    for (uint32_t i = 0; i < rp->ghost_count && m < 2 * RS_MAX_NODES; i++) {
        const scene_ghost_t *g = &rp->ghosts[i];
        if (ring_find_node(&p->sim.ring, g->id, strlen(g->id)) == RING_NONE)
            spots[m++] = (spot_t){fmod(atan2(g->x, -g->y) + TAU, TAU), -1};
    }
    qsort(spots, m, sizeof *spots, cmp_spot);
    double sx = 0, sy = 0;
    for (uint32_t i = 0; i < m; i++) {
        double off = spots[i].angle - TAU * i / m, w = spots[i].slot < 0 ? 1000.0 : 1.0;
        sx += w * cos(off);
        sy += w * sin(off);
    }
    double base = m && hypot(sx, sy) > 1e-12 ? atan2(sy, sx) : 0;
    for (uint32_t i = 0; i < m; i++)
        if (spots[i].slot >= 0)
            p->node_angle[spots[i].slot] = fmod(base + TAU * i / m + 2 * TAU, TAU);
}

/* A topology change is calm: the nodes that stay keep their places, a new
 * node takes the middle of the widest gap (rising out of the ring), a
 * removed one leaves its gap. Only when a newcomer would crowd two nodes to
 * under 60% of the even spacing (from 5 nodes, the 11th addition) are all
 * nodes re-spread evenly, in the order they stand round the circle; they
 * slide there first, and the caller starts the flights once they have
 * arrived. The first layout spreads them in id order from 12 o'clock. */
int pane_layout_nodes(pane_t *p, pane_layout_t mode, float now)
{
    const ring_t *r = &p->sim.ring;
    double orbit = node_orbit();
    uint32_t n = p->sorted_count;
    static double angles[2 * RS_MAX_NODES];
    for (uint32_t slot = 0; slot < r->slot_count; slot++)
        if (!r->nodes[slot].live)
            p->node_placed[slot] = 0; /* a reused slot is a new node */
    int spread = mode == PANE_LAYOUT_SPREAD, newcomers = 0;
    if (mode == PANE_LAYOUT_CALM) {
        for (uint32_t i = 0; i < n; i++) {
            uint16_t slot = p->sorted[i];
            if (p->node_placed[slot])
                continue;
            double mid, least;
            uint32_t m = occupied_angles(p, angles);
            gaps(angles, m, &mid, &least);
            p->node_angle[slot] = m ? mid : 0;
            p->node_placed[slot] = 1;
            newcomers = 1;
        }
    }
    double min_gap = TAU;
    if (!spread && n > 1) {
        double mid;
        gaps(angles, placed_angles(p, angles), &mid, &min_gap);
        spread = newcomers && min_gap < 0.6 * TAU / n;
    }
    if (spread && mode == PANE_LAYOUT_SPREAD) {
        for (uint32_t i = 0; i < n; i++) {
            p->node_angle[p->sorted[i]] = TAU * i / n;
            p->node_placed[p->sorted[i]] = 1;
        }
    } else if (spread) {
        respread(p, n);
    }
    if (spread) {
        double mid;
        gaps(angles, occupied_angles(p, angles), &mid, &min_gap);
    }
    int slides = 0;
    static uint8_t placed[RS_MAX_NODES];
    memset(placed, 0, sizeof placed);
    for (uint32_t i = 0; i < n; i++) {
        uint16_t slot = p->sorted[i];
        double a = p->node_angle[slot];
        scene_node_t nd;
        float x, y;
        scene_node_pos(&p->scene, slot, now, &x, &y);
        pal_rgb_t c = pal_node(r->nodes[slot].id, r->nodes[slot].id_len);
        nd.new_x = (float)(orbit * sin(a));
        nd.new_y = (float)(-orbit * cos(a));
        int fresh = p->scene.nodes[slot].alive < 0.5f || p->scene.nodes[slot].r != c.r ||
                    p->scene.nodes[slot].g != c.g || p->scene.nodes[slot].b != c.b;
        if (mode != PANE_LAYOUT_CALM || fresh) {
            double k = mode == PANE_LAYOUT_CALM ? 1.0 / orbit : 1.0;
            nd.old_x = (float)(nd.new_x * k);
            nd.old_y = (float)(nd.new_y * k);
        } else {
            nd.old_x = x;
            nd.old_y = y;
            if (hypotf(x - nd.new_x, y - nd.new_y) > 1e-4f)
                slides = 1;
        }
        nd.r = c.r;
        nd.g = c.g;
        nd.b = c.b;
        nd.alive = 1;
        scene_node_set(&p->scene, slot, &nd);
        placed[slot] = 1;
    }
    for (uint32_t slot = 0; slot < r->slot_count; slot++) {
        if (placed[slot])
            continue;
        /* Gone: stays where it was so flights leave from the right place. */
        scene_node_t nd = p->scene.nodes[slot];
        float x, y;
        scene_node_pos(&p->scene, (uint16_t)slot, now, &x, &y);
        nd.old_x = nd.new_x = x;
        nd.old_y = nd.new_y = y;
        nd.alive = 0;
        scene_node_set(&p->scene, (uint16_t)slot, &nd);
    }
    scene_nodes_upload(&p->scene, r->slot_count, now, APP_LAYOUT);
    p->params.cloud_r = (float)cloud_radius(n, min_gap);
    return slides;
}

/* Dense clouds get smaller, dimmer particles so they glow instead of
 * saturating to white. */
void pane_particle_look(pane_t *p, float dpi)
{
    double n = (double)p->sim.store.count;
    double per_node = n / (p->sorted_count ? p->sorted_count : 1);
    double area_px = 3.14159 * pow(p->params.cloud_r * p->view.fit, 2);
    double density = per_node / (area_px > 1 ? area_px : 1); /* particles per pixel */
    float size = (float)(2.6 * dpi);
    if (density > 0.25)
        size = (float)fmax(1.2 * dpi, 2.6 * dpi * sqrt(0.25 / density));
    p->params.particle_size = size;
    double cover = density * size * size * 0.6;
    p->params.particle_intensity = (float)fmin(0.85, fmax(0.035, 0.55 / fmax(cover, 0.6)));
}

void pane_strip(pane_t *p, float now, int changed)
{
    scene_strip_update(&p->scene, &p->sim, &p->view, p->selected, now, changed);
}

int pane_upload(pane_t *p, pane_layout_t mode, float now, float dpi, char *err, size_t err_size)
{
    pane_layout_nodes(p, mode, now);
    if (scene_particles_rebuild(&p->scene, &p->sim, UINT64_MAX, now, 0, err, err_size) != 0 ||
        scene_repl_sync(&p->scene.repl, &p->scene, &p->sim, SCENE_REPL_RESET, now, now, 0, APP_FLIGHT, err,
                        err_size) != 0 ||
        scene_points_sync(&p->scene, &p->sim, now, 1, err, err_size) != 0)
        return -1;
    /* The rebuild landed every flight: the last change's count is complete. */
    p->scene.op_moves = p->scene.op_landed = p->action.moved;
    pane_strip(p, now, 0);
    pane_particle_look(p, dpi);
    p->params.flight_dur = APP_FLIGHT;
    return 0;
}

/* ---- commands ----------------------------------------------------------- */

/* A crash while the last one's flights are in the air: the line adds it
 * to the outage it tells (its figures summed; the state ones, lost in all
 * and under-replicated, are the latest). 1 if it did. */
static int crash_joins(pane_t *p, const scn_cmd_t *cmd, const sim_step_t *step, float start)
{
    pane_action_t *a = &p->action;
    if (cmd->op != SCN_FAIL || a->op != SCN_FAIL || a->note[0] || start > a->t0 + a->stagger + a->flight)
        return 0;
    size_t len = strlen(a->text);
    if (len + 2 + strlen(cmd->node) >= sizeof a->text)
        return 0;
    snprintf(a->text + len, sizeof a->text - len, ", %s", cmd->node);
    const repl_t *r = &p->sim.repl;
    a->crashes++;
    a->moved += step->moved;
    a->promoted += r->promoted;
    a->copies += r->copies;
    a->bytes += r->bytes;
    a->lost += r->lost;
    a->seconds += r->seconds;
    a->shards_moved += sim_shard_primaries_moved(&p->sim);
    a->shard_copies += sim_shards_moved(&p->sim);
    a->lost_total = r->lost_total;
    a->under = r->under;
    a->replicas = r->replicas;
    return 1;
}

static void pane_counter(pane_t *p, const scn_cmd_t *cmd, const sim_step_t *step, uint64_t before, float start)
{
    pane_action_t *a = &p->action;
    if (crash_joins(p, cmd, step, start))
        return;
    char count[32];
    a->op = (int)cmd->op;
    a->crashes = cmd->op == SCN_FAIL;
    a->total = p->sim.store.count;
    a->ideal = step->ideal_fraction;
    a->t0 = start;
    a->counts_up = cmd->op != SCN_VECTORS;
    switch (cmd->op) {
    case SCN_ADD: snprintf(a->text, sizeof a->text, "Added %s", cmd->node); break;
    case SCN_REMOVE: snprintf(a->text, sizeof a->text, "Removed %s", cmd->node); break;
    case SCN_VNODES: snprintf(a->text, sizeof a->text, "Rebuilt ring with vnodes/node=%u", (unsigned)cmd->value); break;
    case SCN_VECTORS:
        num_int(cmd->value, count, sizeof count);
        snprintf(a->text, sizeof a->text, "%s to %s vectors", cmd->value >= before ? "Grew" : "Shrank", count);
        break;
    default: snprintf(a->text, sizeof a->text, "%s", step->message); break;
    }
    num_group(a->text, sizeof a->text); /* the core's message too: "moved 1,075" */
    a->shrank = cmd->op == SCN_VECTORS && cmd->value < before;
    a->moved = cmd->op == SCN_VECTORS ? (a->shrank ? before - cmd->value : cmd->value - before) : step->moved;
    a->note[0] = '\0';
    if (cmd->op == SCN_VNODES && !p->sim.strat.ops->uses_vnodes)
        snprintf(a->note, sizeof a->note, "%s places no vnodes; unchanged", p->sim.strat.ops->name);
    const repl_t *r = &p->sim.repl;
    a->repl = r->on;
    a->replicas = r->replicas;
    a->copies = r->copies;
    a->bytes = r->bytes;
    a->lost = r->lost;
    a->lost_total = r->lost_total;
    a->under = r->under;
    a->seconds = r->seconds;
    a->promoted = r->on ? r->promoted : 0;
    a->shards = sim_shards(&p->sim) != NULL;
    a->shards_moved = sim_shard_primaries_moved(&p->sim);
    a->shard_copies = sim_shards_moved(&p->sim);
}

int pane_apply(pane_t *p, const scn_cmd_t *cmd, float now, float dpi, float realtime, sim_step_t *step, float *start,
               char *err, size_t err_size)
{
    uint64_t before = p->sim.store.count;
    *start = now;
    if (sim_apply(&p->sim, cmd, step, err, err_size) != 0)
        return -1;
    if (!step->changed)
        return 0;
    pane_refresh_stats(p);
    if (p->selected != SCENE_NONE &&
        (p->selected >= p->sim.ring.slot_count || !p->sim.ring.nodes[p->selected].live))
        p->selected = SCENE_NONE;
    /* Flights start once the nodes stand still (see pane_layout_nodes). */
    *start = now + (pane_layout_nodes(p, PANE_LAYOUT_CALM, now) ? APP_LAYOUT : 0.0f);
    float flight = APP_FLIGHT, stagger = APP_STAGGER;
    p->action.realtime = 0;
    if (realtime > 0 && p->sim.repl.on && p->sim.repl.seconds > 0) {
        /* Real time: the sweep of flights lasts the transfer time, slowed. */
        double d = p->sim.repl.seconds * realtime;
        float shown = (float)fmin(fmax(d, APP_REALTIME_MIN), APP_REALTIME_MAX);
        flight = fminf(APP_FLIGHT, 0.5f * shown);
        stagger = shown - flight;
        p->action.realtime = realtime;
        p->action.realtime_clamped = d < APP_REALTIME_MIN || d > APP_REALTIME_MAX;
    }
    p->action.flight = flight;
    p->action.stagger = stagger;
    p->params.flight_dur = flight;
    if (cmd->op == SCN_VECTORS) {
        if (scene_particles_rebuild(&p->scene, &p->sim, before, *start, stagger, err, err_size) != 0)
            return -1;
    } else {
        scene_particles_move(&p->scene, &p->sim, &p->sim.moves, *start, stagger, flight);
        scene_way_moved(&p->scene, &p->sim, &p->sim.moves, now);
        if (cmd->op == SCN_FAIL)
            scene_repl_crash_origins(&p->scene, &p->sim, &p->sim.moves);
    }
    if (scene_repl_sync(&p->scene.repl, &p->scene, &p->sim, cmd->op == SCN_FAIL ? SCENE_REPL_CRASH : SCENE_REPL_CHANGE,
                        now, *start, stagger, flight, err, err_size) != 0)
        return -1;
    if (scene_points_sync(&p->scene, &p->sim, now, 0, err, err_size) != 0)
        return -1;
    pane_strip(p, now, 1);
    pane_particle_look(p, dpi);
    /* Vnode points belong to the strategies that place them (ring,
     * bounded); the others show their rule in the band alone. */
    p->params.points_off = !p->sim.strat.ops->uses_vnodes;
    p->hover.active = 0;
    pane_counter(p, cmd, step, before, *start);
    return 0;
}

uint64_t pane_moved_landed(const pane_t *p)
{
    const pane_action_t *a = &p->action;
    if (!a->counts_up || !a->moved)
        return a->moved;
    /* The scene's books: this change's flights that have landed (a flight
     * retargeted by a later change lands in that change's count). */
    uint64_t landed = p->scene.op_landed;
    return landed < a->moved ? landed : a->moved;
}

void pane_note(pane_t *p, const char *why)
{
    pane_action_t *a = &p->action;
    snprintf(a->note, sizeof a->note, "%s", why);
    a->moved = a->promoted = a->copies = a->bytes = a->lost = a->shard_copies = 0;
    a->shards_moved = a->crashes = 0;
    a->op = -1;
    a->total = p->sim.store.count;
    a->ideal = NAN;
    a->counts_up = 1;
    a->shrank = 0;
}

/* ---- picking ------------------------------------------------------------ */

void pane_node_px(const pane_t *p, uint16_t slot, float now, double *x, double *y)
{
    float wx, wy;
    scene_node_pos(&p->scene, slot, now, &wx, &wy);
    view_world_to_px(&p->view, wx, wy, x, y);
}

uint16_t pane_node_at(const pane_t *p, float x, float y, float now, float dpi)
{
    double best = 1e300;
    uint16_t hit = SCENE_NONE;
    double reach = p->params.cloud_r * p->view.scale * 1.25 + 10 * dpi;
    for (uint32_t i = 0; i < p->sorted_count; i++) {
        double nx, ny;
        pane_node_px(p, p->sorted[i], now, &nx, &ny);
        double d = hypot(nx - x, ny - y);
        if (d < reach && d < best) {
            best = d;
            hit = p->sorted[i];
        }
    }
    return hit;
}

/* Only the points around the cursor's angle are looked at, so it is cheap
 * at any size. */
void pane_update_hover(pane_t *p, float mx, float my, float dpi)
{
    p->hover.active = 0;
    const ring_t *r = &p->sim.ring;
    const view_t *v = &p->view;
    if (!r->count || p->params.points_off)
        return;
    double wx, wy;
    view_px_to_world(v, mx, my, &wx, &wy);
    double rad = hypot(wx, wy);
    if (fabs(rad - 1.0) * v->scale > 14 * dpi)
        return;
    /* Cursor angle from the reference point's frame: exact under deep zoom. */
    uint64_t pos = view_px_to_ring(v, mx, my, NULL);
    double turns = view_ring_delta(v, pos);
    uint32_t at = ring_lookup(r, pos);
    double best = 10.0 * dpi;
    int found = -1;
    for (int dir = -1; dir <= 1; dir += 2) {
        for (uint32_t k = 0; k < r->count && k < 4096; k++) {
            uint32_t i = dir > 0 ? (at + k) % r->count : (at + r->count - 1 - k) % r->count;
            double px, py;
            view_ring_px(v, r->pos[i], 1.0, &px, &py);
            double along = fabs(view_ring_delta(v, r->pos[i]) - turns) * TAU * v->scale;
            double d = hypot(px - mx, py - my);
            if (d < best) {
                best = d;
                found = (int)i;
            }
            if (along > 40 * dpi)
                break;
        }
    }
    if (found < 0)
        return;
    uint32_t i = (uint32_t)found;
    uint64_t prev = r->pos[(i + r->count - 1) % r->count];
    p->hover.active = 1;
    p->hover.pos = r->pos[i];
    p->hover.slot = r->node[i];
    p->hover.vnode = r->vnode[i];
    p->hover.arc = r->count == 1 ? 1.0 : ldexp((double)(r->pos[i] - prev), -64);
    double px, py;
    view_ring_px(v, r->pos[i], 1.0, &px, &py);
    p->hover.px = (float)px;
    p->hover.py = (float)py;
}
