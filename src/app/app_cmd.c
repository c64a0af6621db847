/* app_cmd — commands and the actions behind the controls. Every command
 * runs on each pane (app_apply); the controls read the focused pane (its
 * selection, its node set) to build the command. */
#include "app_priv.h"

#include "hud.h"
#include "live.h"
#include "nodeid.h"
#include "shot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int app_vectors_too_many(uint64_t n, char *err, size_t err_size)
{
    if (n <= APP_MAX_VECTORS)
        return 0;
    snprintf(err, err_size, "vectors: %llu is more than the %s holds (at most %llu%s)", (unsigned long long)n,
             APP_MAX_VECTORS == RS_MAX_VECTORS ? "app" : "browser version", (unsigned long long)APP_MAX_VECTORS,
             APP_MAX_VECTORS == RS_MAX_VECTORS ? "" : "; the desktop app takes more");
    return -1;
}

static const char *fail(const char *fmt, const char *arg)
{
    snprintf(app.msg, sizeof app.msg, fmt, arg);
    app_toast(1, "%s", app.msg);
    return app.msg;
}

const char *app_apply(const scn_cmd_t *cmd)
{
    char err[512];
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
        app_settle_after((float)SCN_TITLE_SECONDS); /* a playing script waits for it */
        session_add(&app.session, cmd, app.clock);
        return NULL;
    }
    if (cmd->op == SCN_VECTORS && app_vectors_too_many(cmd->value, err, sizeof err) != 0)
        return fail("%s", err);
    /* Every pane takes the command; flights start together, once the
     * slowest pane's nodes stand still. */
    float now = (float)app.clock, start = now, sweep = 0;
    int changed = 0, refused = 0;
    char first_err[sizeof err] = "", unchanged[sizeof ((sim_step_t *)0)->message] = "";
    /* Why each pane did not follow (refused or nothing to do): its note if
     * another pane changed. */
    static char why[APP_PANES_MAX][sizeof err + 16];
    for (int i = 0; i < app.pane_count; i++) {
        pane_t *p = &app.panes[i];
        int had_repl = p->action.repl;
        sim_step_t step;
        float s;
        why[i][0] = '\0';
        if (pane_apply(p, cmd, now, app.dpi, app.realtime ? (float)app.realtime_scale : 0.0f, &step, &s, err,
                       sizeof err) != 0) {
            if (!refused++)
                snprintf(first_err, sizeof first_err, "%s", err);
            snprintf(why[i], sizeof why[i], "%s; unchanged", err);
            continue;
        }
        if (!step.changed) {
            if (!unchanged[0])
                snprintf(unchanged, sizeof unchanged, "%s", step.message);
            snprintf(why[i], sizeof why[i], "%s", step.message);
            continue;
        }
        changed = 1;
        start = fmaxf(start, s);
        sweep = fmaxf(sweep, p->action.stagger + p->action.flight);
        app_settle_after(p->scene.repl.anim_end - now); /* falls, fades, healing flights */
        if (p->sim.repl.on && !had_repl)
            app.view_dirty = 1; /* the title block grows a line: labels keep clear */
    }
    if (!changed && refused)
        return fail("%s", first_err);
    if (!changed) {
        app_toast(1, "%s", unchanged);
        return NULL;
    }
    app.last_changed = 1;
    app.toast[0] = '\0'; /* an older message no longer describes the state */
    session_add(&app.session, cmd, app.clock);
    const char *text = NULL; /* the change, as a pane that made it says it */
    for (int i = 0; i < app.pane_count && !text; i++)
        if (!why[i][0])
            text = app.panes[i].action.text;
    for (int i = 0; i < app.pane_count; i++) {
        if (!why[i][0])
            continue;
        pane_note(&app.panes[i], why[i]);
        snprintf(app.panes[i].action.text, sizeof app.panes[i].action.text, "%s", text);
    }
    if (cmd->op != SCN_STRATEGY && scn_push(&app.history, cmd) != 0)
        app_toast(1, "%s", "Out of memory: compare mode may not follow the last change");
    app_settle_after(start - now + sweep + 0.1f);
    if (cmd->op == SCN_VNODES)
        app.slider = (uint32_t)cmd->value;
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
    pane_t *p = app_focus(&app);
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
        if (ring_find_node(&p->sim.ring, out, strlen(out)) == RING_NONE)
            return;
    }
}

static int field_id(char *id, size_t *len)
{
    char err[256];
    if (nodeid_normalize(app.field, app.field_len, id, len, err, sizeof err) != 0) {
        app_toast(1, "Node id: %s", err);
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
    pane_t *p = app_focus(&app);
    scn_cmd_t cmd = {.op = SCN_ADD};
    size_t len;
    if (field_blank()) {
        auto_name(cmd.node, sizeof cmd.node);
        len = strlen(cmd.node);
    } else if (field_id(cmd.node, &len) != 0) {
        return;
    }
    cmd.node_len = (uint32_t)len;
    uint32_t before = p->sim.ring.live_count;
    app_apply(&cmd);
    if (p->sim.ring.live_count > before) {
        app.field_len = 0;
        app.field[0] = '\0';
    }
}

/* prefer_selected: Delete key (the selected node first); the button prefers
 * the typed id, like the reference's text box. */
void app_remove_node(int prefer_selected)
{
    pane_t *p = app_focus(&app);
    scn_cmd_t cmd = {.op = SCN_REMOVE};
    size_t len = 0;
    int have_sel = p->selected != SCENE_NONE;
    if (have_sel && (prefer_selected || field_blank())) {
        const ring_node_t *nd = &p->sim.ring.nodes[p->selected];
        memcpy(cmd.node, nd->id, nd->id_len + 1);
        len = nd->id_len;
    } else if (!field_blank()) {
        if (field_id(cmd.node, &len) != 0)
            return;
    } else {
        app_toast(1, "%s", "Select a node (click it) or type its id to remove it");
        return;
    }
    cmd.node_len = (uint32_t)len;
    uint32_t before = p->sim.ring.live_count;
    app_apply(&cmd);
    if (p->sim.ring.live_count < before && !field_blank() && !(have_sel && prefer_selected)) {
        app.field_len = 0;
        app.field[0] = '\0';
    }
}

void app_rebuild(uint32_t vnodes)
{
    pane_t *p = app_focus(&app);
    if (p->sim.ring.live_count && (uint64_t)p->sim.ring.live_count * vnodes > RS_MAX_POINTS) {
        app_toast(1, "%s", "Too many ring points for that many vnodes");
        return;
    }
    scn_cmd_t cmd = {.op = SCN_VNODES, .value = vnodes};
    app_apply(&cmd);
}

void app_vectors(int64_t delta)
{
    pane_t *p = app_focus(&app);
    int64_t n = (int64_t)p->sim.store.count + delta;
    if (n < 0)
        n = 0;
    if ((uint64_t)n > APP_MAX_VECTORS)
        n = (int64_t)APP_MAX_VECTORS;
    scn_cmd_t cmd = {.op = SCN_VECTORS, .value = (uint64_t)n};
    app_apply(&cmd);
}

/* A pane other than p shows kind (compare mode). */
static int shown_elsewhere(const pane_t *p, strat_kind_t kind)
{
    for (int i = 0; i < app.pane_count; i++)
        if (&app.panes[i] != p && app.panes[i].sim.strat.kind == kind)
            return 1;
    return 0;
}

void app_strategy(strat_kind_t kind)
{
    scn_cmd_t cmd = {.op = SCN_STRATEGY, .value = (uint64_t)kind};
    if (app.pane_count == 1) {
        app_apply(&cmd);
        return;
    }
    /* Compare mode: the focused pane's strategy, the others keep theirs. */
    pane_t *p = app_focus(&app);
    if (shown_elsewhere(p, kind)) {
        app_toast(1, "%s is already shown", strat_name(kind));
        return;
    }
    char err[512];
    sim_step_t step;
    float now = (float)app.clock, start;
    if (pane_apply(p, &cmd, now, app.dpi, app.realtime ? (float)app.realtime_scale : 0.0f, &step, &start, err,
                   sizeof err) != 0) {
        fail("%s", err);
        return;
    }
    if (!step.changed) {
        app_toast(1, "%s", step.message);
        return;
    }
    app.view_dirty = 1; /* the panel's table and the pane's header change */
    app_settle_after(start - now + p->action.stagger + p->action.flight + 0.1f);
}

/* A pane under kind with the state the others reached: the starting
 * configuration and the history replayed at once, the nodes where the
 * reference pane has them. */
static int pane_rebuilt(pane_t *p, strat_kind_t kind, const pane_t *ref, char *err, size_t err_size)
{
    sim_config_t c = app.start;
    c.strategy = kind;
    if (pane_init(p, &c, err, err_size) != 0)
        return -1;
    for (size_t i = 0; i < app.history.count; i++) {
        sim_step_t step;
        char e[512];
        sim_apply(&p->sim, &app.history.cmds[i], &step, e, sizeof e); /* refused here as it was live */
    }
    pane_refresh_stats(p);
    memcpy(p->node_angle, ref->node_angle, RS_MAX_NODES * sizeof *p->node_angle);
    memcpy(p->node_placed, ref->node_placed, RS_MAX_NODES * sizeof *p->node_placed);
    snprintf(p->action.text, sizeof p->action.text, "%s", ref->action.text);
    return pane_upload(p, PANE_LAYOUT_KEEP, (float)app.clock, app.dpi, err, err_size);
}

/* Back to the one pane in slot at (the others freed). */
static void single_pane(int at)
{
    for (int i = 0; i < APP_PANES_MAX; i++)
        if (i != at)
            pane_free(&app.panes[i]);
    if (at != 0) {
        app.panes[0] = app.panes[at]; /* moves ownership: the slot is forgotten, not freed */
        memset(&app.panes[at], 0, sizeof app.panes[at]);
    }
    app.pane_count = 1;
    app.focus = 0;
}

/* Panes are large (each scene keeps per-node books): they are built in
 * place in app.panes, never copied to the stack or to spare slots. */
int app_compare(const strat_kind_t *kinds, int n)
{
    single_pane(app.focus);
    app.view_dirty = 1;
    if (n > APP_PANES_MAX)
        n = APP_PANES_MAX;
    if (n <= 1) {
        hud_layout(&app);
        return 0;
    }
    /* The kept pane takes the slot of its strategy in the list (or the
     * first, rebuilt under the listed strategy at the end). */
    strat_kind_t kept = app.panes[0].sim.strat.kind;
    int at = 0;
    for (int i = 0; i < n; i++)
        if (kinds[i] == kept)
            at = i;
    if (at != 0) {
        app.panes[at] = app.panes[0];
        memset(&app.panes[0], 0, sizeof app.panes[0]);
    }
    char err[400];
    int bad = 0;
    for (int i = 0; i < n && !bad; i++)
        if (i != at)
            bad = pane_rebuilt(&app.panes[i], kinds[i], &app.panes[at], err, sizeof err) != 0;
    if (!bad && kinds[at] != kept) {
        int ref = at == 0 ? 1 : 0; /* a built pane has the same node places */
        pane_free(&app.panes[at]);
        bad = pane_rebuilt(&app.panes[at], kinds[at], &app.panes[ref], err, sizeof err) != 0;
    }
    if (bad) {
        single_pane(at);
        hud_layout(&app);
        fail("Compare: %s", err);
        return -1;
    }
    app.pane_count = n;
    app.focus = at;
    hud_layout(&app); /* the cells, at once: input hits the right pane */
    return 0;
}

void app_compare_more(void)
{
    if (app.pane_count == 1) {
        app_compare_toggle();
        return;
    }
    if (app.pane_count >= APP_PANES_MAX) {
        app_toast(1, "%s", "Compare shows at most 4 strategies (C: back to one)");
        return;
    }
    /* The panes shown, and the first strategy not shown that takes the
     * nodes' weights. */
    strat_kind_t kinds[APP_PANES_MAX];
    int n = 0;
    for (int i = 0; i < app.pane_count; i++)
        kinds[n++] = app.panes[i].sim.strat.kind;
    const pane_t *p = app_focus(&app);
    for (int k = 0; k < STRAT_COUNT; k++) {
        if (!shown_elsewhere(NULL, (strat_kind_t)k) &&
            (strat_ops((strat_kind_t)k)->weighted || p->sim.nodes.weights_equal)) {
            kinds[n++] = (strat_kind_t)k;
            app_compare(kinds, n);
            return;
        }
    }
    app_toast(1, "%s", "No other strategy takes these weights");
}

void app_compare_toggle(void)
{
    if (app.pane_count > 1) {
        app_compare(NULL, 1);
        app_toast(0, "%s", "One strategy (C compares again)");
        return;
    }
    /* The focused strategy beside ring, or beside modulo when it is ring. */
    strat_kind_t k = app_focus(&app)->sim.strat.kind;
    strat_kind_t kinds[2] = {k, k == STRAT_RING ? STRAT_MODULO : STRAT_RING};
    if (k != STRAT_RING) {
        kinds[0] = STRAT_RING;
        kinds[1] = k;
    }
    if (app_compare(kinds, 2) == 0)
        app_toast(0, "%s", "Compare: every change runs in both panes (1\xE2\x80\xA6" "8 set the pane under the pointer)");
}

/* Skips the strategies that cannot take the nodes' weights (the core would
 * refuse them) and those another pane shows, so cycling never sticks on an
 * error. */
void app_strategy_cycle(int dir)
{
    pane_t *p = app_focus(&app);
    int k = (int)p->sim.strat.kind;
    for (int i = 1; i < STRAT_COUNT; i++) {
        int next = ((k + dir * i) % STRAT_COUNT + STRAT_COUNT) % STRAT_COUNT;
        if ((strat_ops((strat_kind_t)next)->weighted || p->sim.nodes.weights_equal) &&
            !shown_elsewhere(p, (strat_kind_t)next)) {
            app_strategy((strat_kind_t)next);
            return;
        }
    }
}

void app_weight(int delta)
{
    pane_t *p = app_focus(&app);
    if (p->selected == SCENE_NONE) {
        app_toast(1, "%s", "Select a node (click it, or Tab) to change its weight");
        return;
    }
    const ring_node_t *nd = &p->sim.ring.nodes[p->selected];
    int64_t w = (int64_t)nd->weight + delta;
    if (w < 1 || w > STRAT_WEIGHT_MAX) {
        char m[64];
        snprintf(m, sizeof m, "Weights are 1 to %u", (unsigned)STRAT_WEIGHT_MAX);
        app_toast(1, "%s", m);
        return;
    }
    scn_cmd_t cmd = {.op = SCN_WEIGHT, .value = (uint64_t)w, .node_len = nd->id_len};
    memcpy(cmd.node, nd->id, nd->id_len + 1);
    app_apply(&cmd);
}

void app_replicas(int delta)
{
    const pane_t *p = app_focus(&app);
    int64_t r = (int64_t)(p->sim.repl.on ? p->sim.repl.replicas : 1) + delta;
    if (r < 1 || r > REPL_MAX) {
        char m[64];
        snprintf(m, sizeof m, "Replicas are 1 to %u", (unsigned)REPL_MAX);
        app_toast(1, "%s", m);
        return;
    }
    scn_cmd_t cmd = {.op = SCN_REPLICAS, .value = (uint64_t)r};
    app_apply(&cmd);
}

void app_crash_toggle(void)
{
    const pane_t *p = app_focus(&app);
    scn_cmd_t cmd = {.op = SCN_FAIL};
    const char *id = NULL;
    if (p->selected != SCENE_NONE) {
        id = p->sim.ring.nodes[p->selected].id;
    } else if (p->sim.repl.crashed_count) {
        cmd.op = SCN_RECOVER; /* nothing selected: the node that crashed last comes back */
        id = p->sim.repl.crashed[p->sim.repl.crashed_count - 1];
    } else {
        app_toast(1, "%s", "Select a node (click it, or Tab) to crash it");
        return;
    }
    cmd.node_len = (uint32_t)strlen(id);
    memcpy(cmd.node, id, cmd.node_len + 1);
    app_apply(&cmd);
}

void app_heal(void)
{
    scn_cmd_t cmd = {.op = SCN_HEAL};
    app_apply(&cmd);
}

void app_realtime(int cycle)
{
    if (!app.realtime_scale)
        app.realtime_scale = APP_REALTIME_SCALE;
    if (cycle) {
        /* x10, x100, ..., x100000, then x1 again; cycling turns it on. */
        app.realtime_scale = app.realtime_scale >= 100000u ? 1u : app.realtime_scale * 10u;
        app.realtime = 1;
    } else {
        app.realtime = !app.realtime;
    }
    char m[96];
    if (app.realtime && app.realtime_scale == 1)
        snprintf(m, sizeof m, "Real time \xC3\x97" "1: flights last exactly as long as the transfer");
    else if (app.realtime)
        snprintf(m, sizeof m, "Real time \xC3\x97%u: flights last as long as the transfer, %u times slower",
                 app.realtime_scale, app.realtime_scale);
    else
        snprintf(m, sizeof m, "Real time off: every flight takes %.1f s", (double)(APP_STAGGER + APP_FLIGHT));
    app_toast(0, "%s", m);
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
        app_toast(lm.error, "%s", lm.text);
}

char *app_session_text(size_t *len)
{
    /* Compare mode as it is now: panes added on the way were built from
     * the starting options and every command, which is what a replay does. */
    char list[64] = "";
    for (int i = 0; app.pane_count > 1 && i < app.pane_count; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "," : "",
                 strat_name(app.panes[i].sim.strat.kind));
    session_set_compare(&app.session, list);
    return session_text(&app.session, len);
}

void app_save_session(void)
{
    char name[96], err[512];
    size_t len = 0;
    char *text = app_session_text(&len);
    if (!text) {
        app_toast(1, "%s", "Saving the session failed: out of memory");
        return;
    }
    shot_timestamped_name_as(name, sizeof name, "ringscope-session", ".txt");
    if (shot_write_text(name, text, len, err, sizeof err) == 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "Saved session %s (%zu command%s)", name, app.session.count,
                 app.session.count == 1 ? "" : "s");
        app_toast(0, "%s", msg);
    } else {
        char msg[700];
        snprintf(msg, sizeof msg, "Saving the session to %s failed: %s", name, err);
        app_toast(1, "%s", msg);
    }
    free(text);
}

void app_toggle_pause(void)
{
    app.paused = !app.paused;
    app_toast(0, "%s", app.paused ? "Animation paused (Space to resume)" : "Animation resumed");
}

void app_reset_view(void)
{
    pane_t *p = app_focus(&app);
    view_reset(&p->view);
    view_update(&p->view);
    app.view_dirty = 1;
}

void app_select(uint16_t slot)
{
    pane_t *p = app_focus(&app);
    p->selected = slot;
    pane_strip(p, (float)app.clock, 0);
}

void app_select_next(int dir)
{
    pane_t *p = app_focus(&app);
    if (!p->sorted_count)
        return;
    int at = -1;
    for (uint32_t i = 0; i < p->sorted_count; i++)
        if (p->sorted[i] == p->selected)
            at = (int)i;
    int n = (int)p->sorted_count;
    int next = at < 0 ? (dir > 0 ? 0 : n - 1) : ((at + dir) % n + n) % n;
    app_select(p->sorted[next]);
}

/* ---- lifecycle ---------------------------------------------------------- */

