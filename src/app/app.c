/* app — state, lifecycle, commands and input. Drawing of the HUD lives in
 * hud.c; the loop lives in the platform's main. */
#include "app.h"

#include "hud.h"
#include "live.h"
#include "rs_limits.h"
#include "nodeid.h"
#include "pal.h"
#include "shot.h"
#ifndef __EMSCRIPTEN__
#include "vid.h"
#endif

#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static app_t app;

#ifdef __EMSCRIPTEN__
#define APP_MAX_VECTORS RS_MAX_VECTORS_WEB
#else
#define APP_MAX_VECTORS RS_MAX_VECTORS
#endif

/* More embeddings than this platform holds: says so in err (-1), else 0. */
static int vectors_too_many(uint64_t n, char *err, size_t err_size)
{
    if (n <= APP_MAX_VECTORS)
        return 0;
    snprintf(err, err_size, "vectors: %llu is more than the %s holds (at most %llu%s)", (unsigned long long)n,
             APP_MAX_VECTORS == RS_MAX_VECTORS ? "app" : "browser version", (unsigned long long)APP_MAX_VECTORS,
             APP_MAX_VECTORS == RS_MAX_VECTORS ? "" : "; the desktop app takes more");
    return -1;
}

app_t *app_get(void)
{
    return &app;
}

int app_should_quit(void)
{
    return app.quit;
}

/* The HUD font: DejaVu Sans, plus Droid Sans Fallback for the CJK glyphs
 * DejaVu lacks. Without the fallback file text still draws, with '?' for
 * those glyphs, and one warning says so. */
static int open_font(font_t *f, float dpi, char *err, size_t err_size)
{
    static int warned;
    char path[1024];
    if (font_find("DejaVuSans.ttf", path, sizeof path) != 0) {
        snprintf(err, err_size, "FONT: assets/DejaVuSans.ttf not found next to the executable, in the source tree "
                                "or in $RINGSCOPE_ASSETS");
        return -1;
    }
    if (font_load(f, path, dpi, err, err_size) != 0)
        return -1;
    char why[1200];
#ifdef __EMSCRIPTEN__
    /* The page fetches the fallback after the first frame (main_web.c). */
    if (font_find("DroidSansFallbackFull.ttf", path, sizeof path) != 0)
        return 0;
#endif
    if (font_find("DroidSansFallbackFull.ttf", path, sizeof path) != 0)
        snprintf(why, sizeof why, "FONT: assets/DroidSansFallbackFull.ttf not found");
    else if (font_load_fallback(f, path, why, sizeof why) == 0)
        return 0;
    if (!warned++)
        fprintf(stderr, "ringscope: %s; CJK text shows as '?'\n", why);
    return 0;
}

static void toast(int error, const char *fmt, const char *arg)
{
    snprintf(app.toast, sizeof app.toast, fmt, arg);
    app.toast_t = (float)app.clock;
    app.toast_error = error;
    if (app.headless)
        return;
}

/* ---- layout of nodes and statistics ------------------------------------- */

/* Node circle radius (world units; the ring is 1) and cloud size for n nodes. */
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

static void refresh_stats(void)
{
    sim_stats(&app.sim, &app.stats);
    app.sorted_count = ring_sorted_slots(&app.sim.ring, app.sorted);
    if (app.sim.ring.slot_count)
        ring_arc_share(&app.sim.ring, app.share);
}

static int cmp_double(const void *pa, const void *pb)
{
    double x = *(const double *)pa, y = *(const double *)pb;
    return x < y ? -1 : x > y;
}

#define TAU 6.283185307179586

/* The placed live nodes' angles, sorted, into out; their count. */
static uint32_t placed_angles(double *out)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < app.sorted_count; i++)
        if (app.node_placed[app.sorted[i]])
            out[m++] = app.node_angle[app.sorted[i]];
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

typedef enum layout_mode {
    LAYOUT_SPREAD, /* evenly, in id order, clockwise from 12 o'clock (the start) */
    LAYOUT_KEEP,   /* where they are (the GL objects were re-made) */
    LAYOUT_CALM,   /* after a topology change: see layout_nodes */
} layout_mode_t;

/* Places the live nodes on the node circle and sends the table.
 *
 * A topology change is calm: the nodes that stay keep their places, a new
 * node takes the middle of the widest gap (rising out of the ring), a
 * removed one leaves its gap. Only when a newcomer would crowd two nodes to
 * under 60% of the even spacing (from 5 nodes, the 11th addition) are all nodes
 * re-spread evenly in id order; they slide there first, and the caller
 * starts the flights once they have arrived. Returns 1 when the nodes
 * slide, else 0. */
static int layout_nodes(layout_mode_t mode)
{
    const ring_t *r = &app.sim.ring;
    float now = (float)app.clock;
    double orbit = node_orbit();
    uint32_t n = app.sorted_count;
    static double angles[RS_MAX_NODES];
    for (uint32_t slot = 0; slot < r->slot_count; slot++)
        if (!r->nodes[slot].live)
            app.node_placed[slot] = 0; /* a reused slot is a new node */
    int spread = mode == LAYOUT_SPREAD, newcomers = 0;
    if (mode == LAYOUT_CALM) {
        for (uint32_t i = 0; i < n; i++) {
            uint16_t slot = app.sorted[i];
            if (app.node_placed[slot])
                continue;
            double mid, least;
            uint32_t m = placed_angles(angles);
            gaps(angles, m, &mid, &least);
            app.node_angle[slot] = m ? mid : 0;
            app.node_placed[slot] = 1;
            newcomers = 1;
        }
    }
    double min_gap = TAU;
    if (!spread && n > 1) {
        double mid;
        gaps(angles, placed_angles(angles), &mid, &min_gap);
        spread = newcomers && min_gap < 0.6 * TAU / n;
    }
    if (spread) {
        for (uint32_t i = 0; i < n; i++) {
            app.node_angle[app.sorted[i]] = TAU * i / n;
            app.node_placed[app.sorted[i]] = 1;
        }
        min_gap = n ? TAU / n : TAU;
    }
    int slides = 0;
    static uint8_t placed[RS_MAX_NODES];
    memset(placed, 0, sizeof placed);
    for (uint32_t i = 0; i < n; i++) {
        uint16_t slot = app.sorted[i];
        double a = app.node_angle[slot];
        scene_node_t nd;
        float x, y;
        scene_node_pos(&app.scene, slot, now, &x, &y);
        pal_rgb_t c = pal_color(r->nodes[slot].seq);
        nd.new_x = (float)(orbit * sin(a));
        nd.new_y = (float)(-orbit * cos(a));
        int fresh = app.scene.nodes[slot].alive < 0.5f ||
                    app.scene.nodes[slot].r != c.r || app.scene.nodes[slot].g != c.g ||
                    app.scene.nodes[slot].b != c.b;
        if (mode != LAYOUT_CALM || fresh) {
            double k = mode == LAYOUT_CALM ? 1.0 / orbit : 1.0;
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
        scene_node_set(&app.scene, slot, &nd);
        placed[slot] = 1;
    }
    for (uint32_t slot = 0; slot < r->slot_count; slot++) {
        if (placed[slot])
            continue;
        /* Gone: stays where it was so flights leave from the right place. */
        scene_node_t nd = app.scene.nodes[slot];
        float x, y;
        scene_node_pos(&app.scene, (uint16_t)slot, now, &x, &y);
        nd.old_x = nd.new_x = x;
        nd.old_y = nd.new_y = y;
        nd.alive = 0;
        scene_node_set(&app.scene, (uint16_t)slot, &nd);
    }
    scene_nodes_upload(&app.scene, r->slot_count, now, APP_LAYOUT);
    app.params.cloud_r = (float)cloud_radius(n, min_gap);
    return slides;
}

/* Particle size and brightness: dense clouds get smaller, dimmer particles
 * so they glow instead of saturating to white. */
static void particle_look(void)
{
    double n = (double)app.sim.store.count;
    double per_node = n / (app.sorted_count ? app.sorted_count : 1);
    double area_px = 3.14159 * pow(app.params.cloud_r * app.view.fit, 2);
    double density = per_node / (area_px > 1 ? area_px : 1); /* particles per pixel */
    float size = (float)(2.6 * app.dpi);
    if (density > 0.25)
        size = (float)fmax(1.2 * app.dpi, 2.6 * app.dpi * sqrt(0.25 / density));
    app.params.particle_size = size;
    double cover = density * size * size * 0.6;
    app.params.particle_intensity = (float)fmin(0.85, fmax(0.035, 0.55 / fmax(cover, 0.6)));
}

static void settle_after(float seconds)
{
    float t = (float)app.clock + seconds;
    if (t > app.settle_at)
        app.settle_at = t;
}

int app_settled(void)
{
    return app.clock >= app.settle_at;
}

double app_wake_in(void)
{
    if (app.view_dirty || app.shot_pending || live_active())
        return 0;
    if (app.paused)
        return INFINITY; /* the clock stands still: so does everything */
    if (!app_settled() || app.scene.repl.under_drawn)
        return 0; /* under-replicated embeddings pulse until healed */
    double t = INFINITY;
    if (app.play && app.play_next < app.play_count)
        t = fmax(0, app.play_at - app.clock);
    if (app.toast[0]) {
        double age = app.clock - app.toast_t;
        if (age < APP_TOAST_HOLD)
            t = fmin(t, APP_TOAST_HOLD - age);
        else if (age < APP_TOAST_HOLD + APP_TOAST_FADE)
            t = 0;
    }
    if (app.clock - app.caption_t < APP_CAPTION_FADE)
        t = 0;
    if (app.field_focus) {
        double phase = fmod(app.clock, 1.0);
        t = fmin(t, phase < APP_CARET_ON ? APP_CARET_ON - phase : 1.0 - phase);
    }
    return t;
}

/* ---- commands ----------------------------------------------------------- */

static const char *fail(const char *fmt, const char *arg)
{
    snprintf(app.msg, sizeof app.msg, fmt, arg);
    toast(1, "%s", app.msg);
    return app.msg;
}

const char *app_apply(const scn_cmd_t *cmd)
{
    char err[512];
    sim_step_t step;
    uint64_t before = app.sim.store.count;
    app.last_changed = 0;
    if (cmd->op == SCN_WAIT)
        return NULL;
    if (cmd->op == SCN_CAPTION) {
        snprintf(app.caption_gone, sizeof app.caption_gone, "%s", app.caption);
        snprintf(app.caption, sizeof app.caption, "%s", cmd->node);
        app.caption_t = (float)app.clock;
        session_add(&app.session, cmd, app.clock);
        return NULL;
    }
    if (cmd->op == SCN_TITLE) {
        snprintf(app.title_card, sizeof app.title_card, "%s", cmd->node);
        app.title_t = (float)app.clock;
        settle_after((float)SCN_TITLE_SECONDS); /* a playing script waits for it */
        session_add(&app.session, cmd, app.clock);
        return NULL;
    }
    if (cmd->op == SCN_VECTORS && vectors_too_many(cmd->value, err, sizeof err) != 0)
        return fail("%s", err);
    if (sim_apply(&app.sim, cmd, &step, err, sizeof err) != 0)
        return fail("%s", err);
    if (!step.changed) {
        toast(1, "%s", step.message);
        return NULL;
    }
    app.last_changed = 1;
    app.toast[0] = '\0'; /* an older message no longer describes the state */
    session_add(&app.session, cmd, app.clock);
    float now = (float)app.clock;
    refresh_stats();
    if (app.selected != SCENE_NONE && (app.selected >= app.sim.ring.slot_count ||
                                       !app.sim.ring.nodes[app.selected].live))
        app.selected = SCENE_NONE;
    /* Flights start once the nodes stand still (see layout_nodes). */
    float start = now + (layout_nodes(LAYOUT_CALM) ? APP_LAYOUT : 0.0f);
    if (cmd->op == SCN_VECTORS) {
        if (scene_particles_rebuild(&app.scene, &app.sim, before, start, APP_STAGGER, err, sizeof err) != 0)
            return fail("%s", err);
    } else {
        scene_particles_move(&app.scene, &app.sim.moves, start, APP_STAGGER, APP_FLIGHT);
        sst_way_moved(&app.scene, &app.sim, &app.sim.moves, now);
        if (cmd->op == SCN_FAIL)
            scene_repl_crash_origins(&app.scene, &app.sim, &app.sim.moves);
    }
    if (scene_repl_sync(&app.scene.repl, &app.scene, &app.sim,
                        cmd->op == SCN_FAIL ? SCENE_REPL_CRASH : SCENE_REPL_CHANGE, now, start, APP_STAGGER,
                        APP_FLIGHT, err, sizeof err) != 0)
        return fail("%s", err);
    if (scene_points_sync(&app.scene, &app.sim, now, 0, err, sizeof err) != 0)
        return fail("%s", err);
    scene_strip_update(&app.scene, &app.sim, &app.view, app.selected, now, 1);
    particle_look();
    /* Vnode points belong to the strategies that place them (ring,
     * bounded); the others show their rule in the band alone. */
    app.params.points_off = !app.sim.strat.ops->uses_vnodes;
    app.hover.active = 0;
    settle_after(start - now + APP_STAGGER + APP_FLIGHT + 0.1f);
    settle_after(app.scene.repl.anim_end - now); /* falls, fades, healing flights */

    app_action_t *a = &app.action;
    a->total = app.sim.store.count;
    a->ideal = step.ideal_fraction;
    a->t0 = start;
    a->counts_up = cmd->op != SCN_VECTORS;
    switch (cmd->op) {
    case SCN_ADD: snprintf(a->text, sizeof a->text, "Added %s", cmd->node); break;
    case SCN_REMOVE: snprintf(a->text, sizeof a->text, "Removed %s", cmd->node); break;
    case SCN_VNODES: snprintf(a->text, sizeof a->text, "Rebuilt ring with vnodes/node=%u", (unsigned)cmd->value); break;
    case SCN_VECTORS:
        snprintf(a->text, sizeof a->text, "%s to %llu vectors", cmd->value >= before ? "Grew" : "Shrank",
                 (unsigned long long)cmd->value);
        break;
    default: snprintf(a->text, sizeof a->text, "%s", step.message); break;
    }
    a->shrank = cmd->op == SCN_VECTORS && cmd->value < before;
    a->moved = cmd->op == SCN_VECTORS ? (a->shrank ? before - cmd->value : cmd->value - before) : step.moved;
    if (cmd->op == SCN_VNODES)
        app.slider = (uint32_t)cmd->value;
    const repl_t *r = &app.sim.repl;
    if (r->on && !a->repl)
        app.view_dirty = 1; /* the title block grows a line: labels keep clear */
    a->repl = r->on;
    a->replicas = r->replicas;
    a->copies = r->copies;
    a->bytes = r->bytes;
    a->lost = r->lost;
    a->lost_total = r->lost_total;
    a->under = r->under;
    a->seconds = r->seconds;
    return NULL;
}

const char *app_run_command(const char *line)
{
    scn_cmd_t cmd;
    char err[512];
    int rc = scn_parse_line(line, strlen(line), &cmd, err, sizeof err);
    if (rc < 0)
        return fail("%s", err);
    if (rc > 0)
        return NULL;
    return app_apply(&cmd);
}

/* "nodeF", "nodeG", ..., "nodeZ", "nodeAA", ...: the first name not on the ring. */
static void auto_name(char *out, size_t out_size)
{
    for (uint32_t k = 0;; k++) {
        char letters[8];
        int n = 0;
        uint32_t v = k;
        char tmp[8];
        do {
            tmp[n++] = (char)('A' + v % 26);
            v = v / 26;
        } while (v-- > 0 && n < 7);
        for (int i = 0; i < n; i++)
            letters[i] = tmp[n - 1 - i];
        letters[n] = '\0';
        snprintf(out, out_size, "node%s", letters);
        if (ring_find_node(&app.sim.ring, out, strlen(out)) == RING_NONE)
            return;
    }
}

static int field_id(char *id, size_t *len)
{
    char err[256];
    if (nodeid_normalize(app.field, app.field_len, id, len, err, sizeof err) != 0) {
        toast(1, "Node id: %s", err);
        return -1;
    }
    return 0;
}

static int field_blank(void)
{
    for (size_t i = 0; i < app.field_len; i++)
        if (app.field[i] != ' ' && app.field[i] != '\t')
            return 0;
    return 1;
}

void app_add_node(void)
{
    scn_cmd_t cmd = {.op = SCN_ADD};
    size_t len;
    if (field_blank()) {
        auto_name(cmd.node, sizeof cmd.node);
        len = strlen(cmd.node);
    } else if (field_id(cmd.node, &len) != 0) {
        return;
    }
    cmd.node_len = (uint32_t)len;
    uint32_t before = app.sim.ring.live_count;
    app_apply(&cmd);
    if (app.sim.ring.live_count > before) {
        app.field_len = 0;
        app.field[0] = '\0';
    }
}

/* prefer_selected: Delete key (the selected node first); the button prefers
 * the typed id, like the reference's text box. */
void app_remove_node(int prefer_selected)
{
    scn_cmd_t cmd = {.op = SCN_REMOVE};
    size_t len = 0;
    int have_sel = app.selected != SCENE_NONE;
    if (have_sel && (prefer_selected || field_blank())) {
        const ring_node_t *nd = &app.sim.ring.nodes[app.selected];
        memcpy(cmd.node, nd->id, nd->id_len + 1);
        len = nd->id_len;
    } else if (!field_blank()) {
        if (field_id(cmd.node, &len) != 0)
            return;
    } else {
        toast(1, "%s", "Select a node (click it) or type its id to remove it");
        return;
    }
    cmd.node_len = (uint32_t)len;
    uint32_t before = app.sim.ring.live_count;
    app_apply(&cmd);
    if (app.sim.ring.live_count < before && !field_blank() && !(have_sel && prefer_selected)) {
        app.field_len = 0;
        app.field[0] = '\0';
    }
}

void app_rebuild(uint32_t vnodes)
{
    if (app.sim.ring.live_count && (uint64_t)app.sim.ring.live_count * vnodes > RS_MAX_POINTS) {
        toast(1, "%s", "Too many ring points for that many vnodes");
        return;
    }
    scn_cmd_t cmd = {.op = SCN_VNODES, .value = vnodes};
    app_apply(&cmd);
}

void app_vectors(int64_t delta)
{
    int64_t n = (int64_t)app.sim.store.count + delta;
    if (n < 0)
        n = 0;
    if ((uint64_t)n > APP_MAX_VECTORS)
        n = (int64_t)APP_MAX_VECTORS;
    scn_cmd_t cmd = {.op = SCN_VECTORS, .value = (uint64_t)n};
    app_apply(&cmd);
}

void app_strategy(strat_kind_t kind)
{
    scn_cmd_t cmd = {.op = SCN_STRATEGY, .value = (uint64_t)kind};
    app_apply(&cmd);
}

/* Skips the strategies that cannot take the nodes' weights (the core would
 * refuse them), so cycling never sticks on an error. */
void app_strategy_cycle(int dir)
{
    int k = (int)app.sim.strat.kind;
    for (int i = 1; i < STRAT_COUNT; i++) {
        int next = ((k + dir * i) % STRAT_COUNT + STRAT_COUNT) % STRAT_COUNT;
        if (strat_ops((strat_kind_t)next)->weighted || app.sim.nodes.weights_equal) {
            app_strategy((strat_kind_t)next);
            return;
        }
    }
}

void app_weight(int delta)
{
    if (app.selected == SCENE_NONE) {
        toast(1, "%s", "Select a node (click it, or Tab) to change its weight");
        return;
    }
    const ring_node_t *nd = &app.sim.ring.nodes[app.selected];
    int64_t w = (int64_t)nd->weight + delta;
    if (w < 1 || w > STRAT_WEIGHT_MAX) {
        char m[64];
        snprintf(m, sizeof m, "Weights are 1 to %u", (unsigned)STRAT_WEIGHT_MAX);
        toast(1, "%s", m);
        return;
    }
    scn_cmd_t cmd = {.op = SCN_WEIGHT, .value = (uint64_t)w, .node_len = nd->id_len};
    memcpy(cmd.node, nd->id, nd->id_len + 1);
    app_apply(&cmd);
}

void app_screenshot(void)
{
    app.shot_pending = 1;
}

void app_toggle_recording(void)
{
    live_msg_t lm;
    live_toggle(app.fb_w, app.fb_h, &lm);
    /* Starting says nothing on screen (it would be in the video); the badge
     * shows it. Stopping and failures do. */
    if (lm.text[0] && (lm.error || !live_active()))
        toast(lm.error, "%s", lm.text);
}

void app_save_session(void)
{
    char name[96], err[512];
    size_t len = 0;
    char *text = session_text(&app.session, &len);
    if (!text) {
        toast(1, "%s", "Saving the session failed: out of memory");
        return;
    }
    shot_timestamped_name_as(name, sizeof name, "ringscope-session", ".txt");
    if (shot_write_text(name, text, len, err, sizeof err) == 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "Saved session %s (%zu command%s)", name, app.session.count,
                 app.session.count == 1 ? "" : "s");
        toast(0, "%s", msg);
    } else {
        char msg[700];
        snprintf(msg, sizeof msg, "Saving the session to %s failed: %s", name, err);
        toast(1, "%s", msg);
    }
    free(text);
}

void app_toggle_pause(void)
{
    app.paused = !app.paused;
    toast(0, "%s", app.paused ? "Animation paused (Space to resume)" : "Animation resumed");
}

void app_reset_view(void)
{
    view_reset(&app.view);
    view_update(&app.view);
    app.view_dirty = 1;
}

void app_select(uint16_t slot)
{
    app.selected = slot;
    scene_strip_update(&app.scene, &app.sim, &app.view, app.selected, (float)app.clock, 0);
}

static void cycle_selection(int dir)
{
    if (!app.sorted_count)
        return;
    int at = -1;
    for (uint32_t i = 0; i < app.sorted_count; i++)
        if (app.sorted[i] == app.selected)
            at = (int)i;
    int n = (int)app.sorted_count;
    int next = at < 0 ? (dir > 0 ? 0 : n - 1) : ((at + dir) % n + n) % n;
    app_select(app.sorted[next]);
}

/* ---- lifecycle ---------------------------------------------------------- */

static void update_sizes(void)
{
    SDL_GetWindowSize(app.win, &app.win_w, &app.win_h);
    SDL_GL_GetDrawableSize(app.win, &app.fb_w, &app.fb_h);
    if (app.win_w < 1) app.win_w = 1;
    if (app.win_h < 1) app.win_h = 1;
    if (app.fb_w < 1) app.fb_w = app.win_w;
    if (app.fb_h < 1) app.fb_h = app.win_h;
}

int app_init(const app_desc_t *d, char *err, size_t err_size)
{
    if (vectors_too_many(d->sim.vectors, err, err_size) != 0)
        return -1;
    memset(&app, 0, sizeof app);
    app.headless = d->headless;
    app.look = d->look;
    app.selected = SCENE_NONE;
    app.hover_node = SCENE_NONE;
    app.hot_widget = app.pressed_widget = -1;
    app.ui.font = NULL;
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        snprintf(err, err_size, "DISPLAY: cannot start SDL video (%s)", SDL_GetError());
        return -1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    app.win = SDL_CreateWindow(d->title ? d->title : "Ringscope", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                               d->width > 0 ? d->width : 1280, d->height > 0 ? d->height : 720, flags);
    if (!app.win) {
        snprintf(err, err_size, "DISPLAY: cannot open a window (%s)", SDL_GetError());
        SDL_Quit();
        return -1;
    }
    app.gl = SDL_GL_CreateContext(app.win);
    if (!app.gl) {
        snprintf(err, err_size, "DISPLAY: no OpenGL ES 3 context (%s)", SDL_GetError());
        SDL_DestroyWindow(app.win);
        SDL_Quit();
        return -1;
    }
    SDL_GL_MakeCurrent(app.win, app.gl);
    if (!d->headless)
        SDL_GL_SetSwapInterval(1);
    update_sizes();
    app.dpi = (float)app.fb_w / (float)app.win_w;
    if (app.dpi < 1.0f)
        app.dpi = 1.0f;
    app.hud_u = app.dpi * hud_scale((float)app.fb_w / app.dpi, (float)app.fb_h / app.dpi);

    if (open_font(&app.font, app.hud_u, err, err_size) != 0)
        goto fail_gl;
    if (draw_init(&app.under, &app.font, err, err_size) != 0 || draw_init(&app.ui, &app.font, err, err_size) != 0 ||
        draw_init(&app.over, &app.font, err, err_size) != 0 ||
        scene_init(&app.scene, err, err_size) != 0)
        goto fail_all;

    app.share = calloc(RS_MAX_NODES, sizeof *app.share);
    app.sorted = calloc(RS_MAX_NODES, sizeof *app.sorted);
    app.node_angle = calloc(RS_MAX_NODES, sizeof *app.node_angle);
    app.node_placed = calloc(RS_MAX_NODES, sizeof *app.node_placed);
    if (!app.share || !app.sorted || !app.node_angle || !app.node_placed) {
        snprintf(err, err_size, "out of memory");
        goto fail_all;
    }
    sim_config_t cfg = d->sim;
    cfg.collect_moves = 1;
    sim_step_t step;
    if (sim_init(&app.sim, &cfg, &step, err, err_size) != 0) {
        sim_free(&app.sim);
        goto fail_all;
    }
    session_begin(&app.session, &d->sim);
    app.slider = app.sim.ring.vnodes;
    if (app.slider < APP_VNODES_MIN) app.slider = APP_VNODES_MIN;
    if (app.slider > APP_VNODES_MAX) app.slider = APP_VNODES_MAX;
    app.slider = (app.slider + APP_VNODES_STEP / 2) / APP_VNODES_STEP * APP_VNODES_STEP;
    refresh_stats();
    hud_layout(&app);
    layout_nodes(LAYOUT_SPREAD);
    if (scene_particles_rebuild(&app.scene, &app.sim, UINT64_MAX, 0, 0, err, err_size) != 0 ||
        scene_repl_sync(&app.scene.repl, &app.scene, &app.sim, SCENE_REPL_RESET, 0, 0, 0, APP_FLIGHT, err,
                        err_size) != 0 ||
        scene_points_sync(&app.scene, &app.sim, 0, 1, err, err_size) != 0) {
        sim_free(&app.sim);
        goto fail_all;
    }
    scene_strip_update(&app.scene, &app.sim, &app.view, app.selected, 0, 0);
    particle_look();
    snprintf(app.action.text, sizeof app.action.text, "Add or remove nodes to observe data movement");
    app.action.ideal = NAN;
    app.params.flight_dur = APP_FLIGHT;
    app.params.points_off = !app.sim.strat.ops->uses_vnodes;
    SDL_StartTextInput();
    return 0;

fail_all:
    free(app.share);
    free(app.sorted);
    free(app.node_angle);
    free(app.node_placed);
    scene_shutdown(&app.scene);
    draw_shutdown(&app.over);
    draw_shutdown(&app.ui);
    draw_shutdown(&app.under);
    font_unload(&app.font);
fail_gl:
    SDL_GL_DeleteContext(app.gl);
    SDL_DestroyWindow(app.win);
    SDL_Quit();
    return -1;
}

void app_shutdown(void)
{
    if (!app.win)
        return;
    live_msg_t lm;
    live_shutdown(&lm);
    if (lm.text[0])
        fprintf(stderr, "ringscope: %s\n", lm.text);
    SDL_StopTextInput();
    sim_free(&app.sim);
    session_free(&app.session);
    free(app.share);
    free(app.sorted);
    free(app.node_angle);
    free(app.node_placed);
    free(app.json);
    scene_shutdown(&app.scene);
    draw_shutdown(&app.over);
    draw_shutdown(&app.ui);
    draw_shutdown(&app.under);
    font_unload(&app.font);
    SDL_GL_DeleteContext(app.gl);
    SDL_DestroyWindow(app.win);
    TTF_Quit();
    SDL_Quit();
    memset(&app, 0, sizeof app);
}

/* The GL context was lost and restored (WebGL): every GL object is gone
 * while the simulation is intact. Re-creates the font atlas, the batches
 * and the scene, and re-uploads the scene from the simulation; flights in
 * progress land at once. The renderer's shutdowns run as usual and free the
 * CPU side; their deletes of the dead names must do nothing, so the platform
 * forgets those names first (main_web.c clears Emscripten's GL name tables:
 * WebGL refuses to delete a lost context's objects). */
int app_gl_reset(char *err, size_t err_size)
{
    float now = (float)app.clock;
    scene_shutdown(&app.scene);
    draw_shutdown(&app.over);
    draw_shutdown(&app.ui);
    draw_shutdown(&app.under);
    font_unload(&app.font);
    if (open_font(&app.font, app.hud_u, err, err_size) != 0 ||
        draw_init(&app.under, &app.font, err, err_size) != 0 || draw_init(&app.ui, &app.font, err, err_size) != 0 ||
        draw_init(&app.over, &app.font, err, err_size) != 0 ||
        scene_init(&app.scene, err, err_size) != 0)
        return -1;
    layout_nodes(LAYOUT_KEEP);
    if (scene_particles_rebuild(&app.scene, &app.sim, UINT64_MAX, now, 0, err, err_size) != 0 ||
        scene_repl_sync(&app.scene.repl, &app.scene, &app.sim, SCENE_REPL_RESET, now, now, 0, APP_FLIGHT, err,
                        err_size) != 0 ||
        scene_points_sync(&app.scene, &app.sim, now, 1, err, err_size) != 0)
        return -1;
    /* The rebuild landed every flight: the last change's count is complete. */
    app.scene.op_moves = app.scene.op_landed = app.action.moved;
    scene_strip_update(&app.scene, &app.sim, &app.view, app.selected, now, 0);
    particle_look();
    app.params.flight_dur = APP_FLIGHT;
    app.view_dirty = 1;
    for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; i++) {
    }
    return 0;
}

void app_play(const scn_script_t *script)
{
    app.play = script->cmds;
    app.play_count = script->count;
    app.play_next = 0;
    app.play_at = app.clock + 0.6;
}

static void play_step(void)
{
    while (app.play && app.play_next < app.play_count && app_settled() && app.clock >= app.play_at) {
        const scn_cmd_t *c = &app.play[app.play_next++];
        if (c->op == SCN_WAIT) {
            app.play_at = app.clock + c->seconds;
            continue;
        }
        app_apply(c);
        app.play_at = app.settle_at + 0.5;
        break;
    }
}

void app_advance(double dt)
{
    if (!(dt > 0))
        dt = 0;
    if (dt > APP_MAX_DT)
        dt = APP_MAX_DT;
    app.acc += dt;
    /* Whole fixed ticks only: the same inputs give the same frames. */
    while (app.acc >= APP_TICK - 1e-9) {
        app.acc -= APP_TICK;
        if (!app.paused)
            app.clock += APP_TICK;
    }
    scene_landings_advance(&app.scene, (float)app.clock);
    play_step();
}

void app_render(void)
{
    Uint64 t0 = SDL_GetPerformanceCounter();
    int ow = app.fb_w, oh = app.fb_h;
    update_sizes();
    float dpi = (float)app.fb_w / (float)app.win_w;
    if (dpi < 1.0f)
        dpi = 1.0f;
    float ui = dpi * hud_scale((float)app.fb_w / dpi, (float)app.fb_h / dpi);
    if (fabsf(ui - app.hud_u) > 0.01f) {
        /* Another screen density, or a frame size that scales the HUD:
         * re-rasterise the text. */
        char err[256];
        font_t f;
        if (open_font(&f, ui, err, sizeof err) == 0) {
            font_unload(&app.font);
            app.font = f;
            app.hud_u = ui;
            app.view_dirty = 1;
        }
    }
    app.dpi = dpi;
    if (ow != app.fb_w || oh != app.fb_h || app.view_dirty) {
        hud_layout(&app);
        particle_look();
        scene_strip_update(&app.scene, &app.sim, &app.view, app.selected, (float)app.clock, 0);
        app.view_dirty = 0;
    }
    glViewport(0, 0, app.fb_w, app.fb_h);
    glClearColor(0.031f, 0.039f, 0.059f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    hud_draw(&app);
    if (app.shot_pending) {
        app.shot_pending = 0;
        char name[64], err[512];
        shot_timestamped_name(name, sizeof name, ".png");
        if (app_save_png(name, err, sizeof err) == 0)
            toast(0, "Saved screenshot %s", name);
        else
            toast(1, "Screenshot failed: %s", err);
    }
    /* Live recording takes the frame as drawn so far; the REC badge comes
     * after, so it never shows in the video. */
    live_msg_t lm;
    live_capture(app.fb_w, app.fb_h, &lm);
    if (lm.text[0])
        toast(lm.error, "%s", lm.text);
    hud_draw_over(&app);
    app.cpu_ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    app.bytes_last_frame = gfx_stats.bytes_frame;
    gfx_frame_begin();
    app.frames++;
}

void app_frame(double dt)
{
    int was_idle = app.idle;
    app_advance(dt);
    app.idle = app_wake_in() > 0;
    /* The rate of frames drawn back to back: a frame after a sleep says
     * nothing about it. */
    if (was_idle)
        dt = 0;
    if (dt > 0) {
        double ms = dt * 1000.0;
        app.frame_ms = app.frame_ms > 0 ? app.frame_ms * 0.9 + ms * 0.1 : ms;
        app.fps = 1000.0 / app.frame_ms;
    }
    if (app.minimized)
        return; /* nothing to show: no drawing, no swap (the loop waits for events) */
    app_render();
    SDL_GL_SwapWindow(app.win);
}

void app_read_pixels(uint8_t *out)
{
    size_t row = (size_t)app.fb_w * 4;
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    glReadPixels(0, 0, app.fb_w, app.fb_h, GL_RGBA, GL_UNSIGNED_BYTE, out);
    /* GL rows are bottom-up; flip in place. */
    uint8_t tmp[4 * 4096];
    for (int y = 0; y < app.fb_h / 2; y++) {
        uint8_t *a = out + (size_t)y * row, *b = out + (size_t)(app.fb_h - 1 - y) * row;
        for (size_t off = 0; off < row; off += sizeof tmp) {
            size_t n = row - off < sizeof tmp ? row - off : sizeof tmp;
            memcpy(tmp, a + off, n);
            memcpy(a + off, b + off, n);
            memcpy(b + off, tmp, n);
        }
    }
}

int app_save_png(const char *path, char *err, size_t err_size)
{
    size_t bytes = (size_t)app.fb_w * (size_t)app.fb_h * 4;
    uint8_t *px = malloc(bytes);
    if (!px) {
        snprintf(err, err_size, "out of memory for a %dx%d frame", app.fb_w, app.fb_h);
        return -1;
    }
    app_read_pixels(px);
#ifdef __EMSCRIPTEN__
    int rc = shot_write_png(path, app.fb_w, app.fb_h, px, err, err_size); /* a download */
#else
    /* Through vid: a temporary file renamed into place, checked messages. */
    vid_t *v = vid_open(path, (uint32_t)app.fb_w, (uint32_t)app.fb_h, 1, 0, err, err_size);
    int rc = v ? vid_frame(v, px, err, err_size) : -1;
    if (v && vid_close(v, rc == 0, rc == 0 ? err : NULL, err_size) != 0)
        rc = -1;
#endif
    free(px);
    return rc;
}

void app_ring_px(uint64_t pos, double *x, double *y)
{
    view_ring_px(&app.view, pos, 1.0, x, y);
}

void app_node_px(uint16_t slot, double *x, double *y)
{
    float wx, wy;
    scene_node_pos(&app.scene, slot, (float)app.clock, &wx, &wy);
    view_world_to_px(&app.view, wx, wy, x, y);
}

/* ---- input -------------------------------------------------------------- */

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

static uint16_t node_at(float x, float y)
{
    double best = 1e300;
    uint16_t hit = SCENE_NONE;
    double reach = app.params.cloud_r * app.view.scale * 1.25 + 10 * app.dpi;
    for (uint32_t i = 0; i < app.sorted_count; i++) {
        double nx, ny;
        app_node_px(app.sorted[i], &nx, &ny);
        double d = hypot(nx - x, ny - y);
        if (d < reach && d < best) {
            best = d;
            hit = app.sorted[i];
        }
    }
    return hit;
}

/* The vnode point nearest the cursor within a few pixels. Only the points
 * around the cursor's angle are looked at, so it is cheap at any size. */
static void update_hover(void)
{
    app.hover.active = 0;
    const ring_t *r = &app.sim.ring;
    if (!r->count || app.params.points_off || app.dragging || app.help)
        return;
    double wx, wy;
    view_px_to_world(&app.view, app.mouse_x, app.mouse_y, &wx, &wy);
    double rad = hypot(wx, wy);
    if (fabs(rad - 1.0) * app.view.scale > 14 * app.dpi)
        return;
    /* Cursor angle from the reference point's frame: exact under deep zoom. */
    double qx = (app.mouse_x - app.view.ref_px[0]) / app.view.scale;
    double qy = (app.mouse_y - app.view.ref_px[1]) / app.view.scale;
    double th = app.view.ref_theta;
    double t = qx * cos(th) + qy * sin(th), n = 1.0 + qx * sin(th) - qy * cos(th);
    double turns = atan2(t, n) / 6.283185307179586;
    uint64_t pos = app.view.ref + (uint64_t)(int64_t)ldexp(turns, 63) * 2u;
    uint32_t at = ring_lookup(r, pos);
    double best = 10.0 * app.dpi;
    int found = -1;
    for (int dir = -1; dir <= 1; dir += 2) {
        for (uint32_t k = 0; k < r->count && k < 4096; k++) {
            uint32_t i = dir > 0 ? (at + k) % r->count : (at + r->count - 1 - k) % r->count;
            double px, py;
            view_ring_px(&app.view, r->pos[i], 1.0, &px, &py);
            double along = fabs(view_ring_delta(&app.view, r->pos[i]) - turns) * 6.283185307179586 * app.view.scale;
            double d = hypot(px - app.mouse_x, py - app.mouse_y);
            if (d < best) {
                best = d;
                found = (int)i;
            }
            if (along > 40 * app.dpi)
                break;
        }
    }
    if (found < 0)
        return;
    uint32_t i = (uint32_t)found;
    uint64_t prev = r->pos[(i + r->count - 1) % r->count];
    app.hover.active = 1;
    app.hover.pos = r->pos[i];
    app.hover.slot = r->node[i];
    app.hover.vnode = r->vnode[i];
    app.hover.arc = r->count == 1 ? 1.0 : ldexp((double)(r->pos[i] - prev), -64);
    double px, py;
    view_ring_px(&app.view, r->pos[i], 1.0, &px, &py);
    app.hover.px = (float)px;
    app.hover.py = (float)py;
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
        toast(1, "%s", "Node ids are at most 255 bytes");
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
    default: break;
    }
}

static void key_down(const SDL_KeyboardEvent *k)
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
    double cx = app.view.area_x + 0.5 * app.view.area_w, cy = app.view.area_y + 0.5 * app.view.area_h;
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
        if (app.sim.ring.vnodes > APP_VNODES_MIN)
            app_rebuild(app.sim.ring.vnodes - APP_VNODES_STEP < APP_VNODES_MIN ? APP_VNODES_MIN
                                                                                : app.sim.ring.vnodes - APP_VNODES_STEP);
        break;
    case SDLK_RIGHTBRACKET:
        if (app.sim.ring.vnodes < APP_VNODES_MAX)
            app_rebuild(app.sim.ring.vnodes + APP_VNODES_STEP > APP_VNODES_MAX ? APP_VNODES_MAX
                                                                                : app.sim.ring.vnodes + APP_VNODES_STEP);
        break;
    case SDLK_v: app_vectors(shift ? -(int64_t)APP_VECTORS_STEP : APP_VECTORS_STEP); break;
    case SDLK_w: app_weight(shift ? -1 : 1); break;
    case SDLK_1: case SDLK_2: case SDLK_3: case SDLK_4:
    case SDLK_5: case SDLK_6: case SDLK_7: case SDLK_8: app_strategy((strat_kind_t)(key - SDLK_1)); break;
    case SDLK_SPACE: app_toggle_pause(); break;
    case SDLK_s: app_screenshot(); break;
    case SDLK_F9: app_toggle_recording(); break;
    case SDLK_0:
    case SDLK_KP_0: app_reset_view(); break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER: app.field_focus = 1; app.composing[0] = '\0'; break;
    case SDLK_TAB: cycle_selection(shift ? -1 : 1); break;
    case SDLK_EQUALS:
    case SDLK_PLUS:
    case SDLK_KP_PLUS: view_zoom_at(&app.view, 1.5, cx, cy); app.view_dirty = 1; break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS: view_zoom_at(&app.view, 1 / 1.5, cx, cy); app.view_dirty = 1; break;
    case SDLK_LEFT: view_pan(&app.view, 60 * app.dpi, 0); app.view_dirty = 1; break;
    case SDLK_RIGHT: view_pan(&app.view, -60 * app.dpi, 0); app.view_dirty = 1; break;
    case SDLK_UP: view_pan(&app.view, 0, 60 * app.dpi); app.view_dirty = 1; break;
    case SDLK_DOWN: view_pan(&app.view, 0, -60 * app.dpi); app.view_dirty = 1; break;
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

static void touch_event(const SDL_TouchFingerEvent *f)
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
    view_pan(&app.view, mx - app.pinch_mx, my - app.pinch_my);
    if (app.pinch_dist > 1 && dist > 1)
        view_zoom_at(&app.view, dist / app.pinch_dist, mx, my);
    app.pinch_dist = dist;
    app.pinch_mx = mx;
    app.pinch_my = my;
    app.mouse_down = app.dragging = 0;
    app.view_dirty = 1;
}

void app_event(const SDL_Event *e)
{
    float sx = (float)app.fb_w / (float)app.win_w, sy = (float)app.fb_h / (float)app.win_h;
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
    case SDL_KEYDOWN: key_down(&e->key); break;
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
        if (app.mouse_down && !app.dragging &&
            hypotf(app.mouse_x - app.press_x, app.mouse_y - app.press_y) > 4 * app.dpi)
            app.dragging = 1;
        if (app.dragging) {
            view_pan(&app.view, e->motion.xrel * sx, e->motion.yrel * sy);
            app.view_dirty = 1;
        }
        app.hot_widget = widget_at(app.mouse_x, app.mouse_y);
        app.hover_node = app.hot_widget < 0 ? node_at(app.mouse_x, app.mouse_y) : SCENE_NONE;
        if (app.hot_widget < 0)
            update_hover();
        else
            app.hover.active = 0;
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
            uint16_t hit = node_at(x, y);
            if (hit == SCENE_NONE && app.hover.active)
                hit = app.hover.slot;
            app_select(hit == app.selected ? SCENE_NONE : hit);
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
        view_zoom_at(&app.view, pow(1.18, y), mx, my);
        app.view_dirty = 1;
        app.mouse_x = mx;
        app.mouse_y = my;
        update_hover();
        break;
    }
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: touch_event(&e->tfinger); break;
    default: break;
    }
}

/* ---- state for scripts and the web -------------------------------------- */

static int json_reserve(size_t n)
{
    if (n <= app.json_cap)
        return 0;
    size_t cap = app.json_cap ? app.json_cap : 4096;
    while (cap < n)
        cap *= 2;
    char *j = realloc(app.json, cap);
    if (!j)
        return -1;
    app.json = j;
    app.json_cap = cap;
    return 0;
}

static size_t json_used;

static void jputs(const char *s)
{
    size_t n = strlen(s);
    if (json_reserve(json_used + n + 1) != 0)
        return;
    memcpy(app.json + json_used, s, n + 1);
    json_used += n;
}

static void jstr(const char *s)
{
    char buf[8];
    jputs("\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            buf[0] = '\\';
            buf[1] = (char)*p;
            buf[2] = 0;
        } else if (*p < 0x20) {
            snprintf(buf, sizeof buf, "\\u%04x", *p);
        } else {
            buf[0] = (char)*p;
            buf[1] = 0;
        }
        jputs(buf);
    }
    jputs("\"");
}

uint64_t app_moved_landed(void)
{
    const app_action_t *a = &app.action;
    if (!a->counts_up || !a->moved)
        return a->moved;
    /* The scene's books: this change's flights that have landed (a flight
     * retargeted by a later change lands in that change's count). */
    uint64_t landed = app.scene.op_landed;
    return landed < a->moved ? landed : a->moved;
}

const char *app_state_json(void)
{
    char b[512];
    json_used = 0;
    jputs("{\"nodes\":[");
    for (uint32_t i = 0; i < app.sorted_count; i++) {
        uint16_t s = app.sorted[i];
        const ring_node_t *nd = &app.sim.ring.nodes[s];
        jputs(i ? ",{\"id\":" : "{\"id\":");
        jstr(nd->id);
        snprintf(b, sizeof b, ",\"slot\":%u,\"keys\":%llu,\"vnodes\":%u,\"weight\":%u,\"share\":%.6f,\"selected\":%s}",
                 s, (unsigned long long)app.sim.store.counts[s], app.sim.ring.vnodes, nd->weight, app.share[s],
                 s == app.selected ? "true" : "false");
        jputs(b);
    }
    snprintf(b, sizeof b,
             "],\"vectors\":%llu,\"vnodes\":%u,\"slider\":%u,\"paused\":%s,\"help\":%s,\"field_focus\":%s,"
             "\"zoom\":%.6g,\"max_over_mean\":%.6f,\"std_over_mean\":%.6f,\"moved\":%llu,\"moved_landed\":%llu,"
             "\"settled\":%s,\"changed\":%s,\"fps\":%.1f,\"bytes_last_frame\":%llu,\"field\":",
             (unsigned long long)app.sim.store.count, app.sim.ring.vnodes, app.slider, app.paused ? "true" : "false",
             app.help ? "true" : "false", app.field_focus ? "true" : "false", app.view.zoom, app.stats.max_over_mean,
             app.stats.std_over_mean, (unsigned long long)app.action.moved,
             (unsigned long long)app_moved_landed(), app_settled() ? "true" : "false",
             app.last_changed ? "true" : "false", app.fps,
             (unsigned long long)app.bytes_last_frame);
    jputs(b);
    jstr(app.field);
    jputs(",\"strategy\":");
    jstr(strat_name(app.sim.strat.kind));
    jputs(",\"composing\":");
    jstr(app.composing);
    jputs(",\"last_action\":");
    jstr(app.action.text);
    jputs(",\"message\":");
    jstr(app.toast);
    jputs("}");
    return app.json ? app.json : "{}";
}
