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

static const char *fail(app_t *a, const char *fmt, const char *arg)
{
    snprintf(a->msg, sizeof a->msg, fmt, arg);
    app_toast(a, 1, "%s", a->msg);
    return a->msg;
}

/* A control's value past the command's limits (scn_cmd_check): says so
 * in the control's words, "Weights are 1 to 1000", and returns 1. */
static int out_of_range(app_t *a, const scn_cmd_t *cmd, const char *what)
{
    if (scn_cmd_check(cmd, NULL, 0) == 0)
        return 0;
    const scn_verb_t *v = scn_verb(cmd->op);
    char m[96];
    snprintf(m, sizeof m, "%s are %llu to %llu", what, (unsigned long long)v->min, (unsigned long long)v->max);
    app_toast(a, 1, "%s", m);
    return 1;
}

const char *app_cmd_apply(app_t *a, const scn_cmd_t *cmd)
{
    char err[512];
    a->last_changed = 0;
    /* Controls build commands directly: the parser's one check holds them
     * to the same rules as a script line. */
    if (scn_cmd_check(cmd, err, sizeof err) != 0)
        return fail(a, "%s", err);
    if (cmd->op == SCN_WAIT)
        return NULL;
    if (cmd->op == SCN_CAPTION) {
        snprintf(a->caption_gone, sizeof a->caption_gone, "%s", a->caption);
        snprintf(a->caption, sizeof a->caption, "%s", cmd->text);
        a->caption_t = (float)a->clock;
        session_add(&a->session, cmd, a->clock);
        return NULL;
    }
    if (cmd->op == SCN_TITLE) {
        snprintf(a->title_card, sizeof a->title_card, "%s", cmd->text);
        a->title_t = (float)a->clock;
        app_settle_after(a, (float)SCN_TITLE_SECONDS); /* a playing script waits for it */
        session_add(&a->session, cmd, a->clock);
        return NULL;
    }
    if (cmd->op == SCN_VECTORS && app_vectors_too_many(cmd->value, err, sizeof err) != 0)
        return fail(a, "%s", err);
    /* Every pane takes the command; flights start together, once the
     * slowest pane's nodes stand still. */
    float now = (float)a->clock, start = now, sweep = 0;
    int changed = 0, refused = 0;
    char first_err[sizeof err] = "", unchanged[sizeof ((sim_step_t *)0)->message] = "";
    /* Why each pane did not follow (refused or nothing to do): its note if
     * another pane changed. */
    static char why[APP_PANES_MAX][sizeof err + 16];
    for (int i = 0; i < a->pane_count; i++) {
        pane_t *p = &a->panes[i];
        int had_repl = p->action.repl;
        sim_step_t step;
        float s;
        why[i][0] = '\0';
        if (pane_apply(p, cmd, now, a->dpi, a->realtime ? (float)a->realtime_scale : 0.0f, &step, &s, err,
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
        app_settle_after(a, p->scene.repl.anim_end - now); /* falls, fades, healing flights */
        if (p->sim.repl.on && !had_repl)
            a->view_dirty = 1; /* the title block grows a line: labels keep clear */
    }
    if (!changed && refused)
        return fail(a, "%s", first_err);
    if (!changed) {
        app_toast(a, 1, "%s", unchanged);
        return NULL;
    }
    a->last_changed = 1;
    a->toast[0] = '\0'; /* an older message no longer describes the state */
    session_add(&a->session, cmd, a->clock);
    const char *text = NULL; /* the change, as a pane that made it says it */
    for (int i = 0; i < a->pane_count && !text; i++)
        if (!why[i][0])
            text = a->panes[i].action.text;
    for (int i = 0; i < a->pane_count; i++) {
        if (!why[i][0])
            continue;
        pane_note(&a->panes[i], why[i]);
        snprintf(a->panes[i].action.text, sizeof a->panes[i].action.text, "%s", text);
    }
    if (cmd->op != SCN_STRATEGY && scn_push(&a->history, cmd) != 0)
        app_toast(a, 1, "%s", "Out of memory: compare mode may not follow the last change");
    app_settle_after(a, start - now + sweep + 0.1f);
    if (cmd->op == SCN_VNODES)
        a->slider = (uint32_t)cmd->value;
    return NULL;
}

const char *app_cmd_run(app_t *a, const char *line)
{
    scn_cmd_t cmd;
    char err[512];
    int rc = scn_parse_line(line, strlen(line), &cmd, err, sizeof err);
    if (rc < 0)
        return fail(a, "%s", err);
    if (rc > 0)
        return NULL;
    return app_cmd_apply(a, &cmd);
}

/* "nodeF", "nodeG", ..., "nodeZ", "nodeAA", ...: the first name not on the ring. */
static void auto_name(app_t *a, char *out, size_t out_size)
{
    pane_t *p = app_focus(a);
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

static int field_id(app_t *a, char *id, size_t *len)
{
    char err[256];
    if (nodeid_normalize(a->field, a->field_len, id, len, err, sizeof err) != 0) {
        app_toast(a, 1, "Node id: %s", err);
        return -1;
    }
    return 0;
}

static int field_blank(app_t *a)
{
    for (size_t i = 0; i < a->field_len; i++)
        if (a->field[i] != ' ' && a->field[i] != '\t')
            return 0;
    return 1;
}

void app_add_node(app_t *a)
{
    pane_t *p = app_focus(a);
    scn_cmd_t cmd = {.op = SCN_ADD};
    size_t len;
    if (field_blank(a)) {
        auto_name(a, cmd.node, sizeof cmd.node);
        len = strlen(cmd.node);
    } else if (field_id(a, cmd.node, &len) != 0) {
        return;
    }
    cmd.node_len = (uint32_t)len;
    uint32_t before = p->sim.ring.live_count;
    app_cmd_apply(a, &cmd);
    if (p->sim.ring.live_count > before) {
        a->field_len = 0;
        a->field[0] = '\0';
    }
}

/* prefer_selected: Delete key (the selected node first); the button prefers
 * the typed id, like the reference's text box. */
void app_remove_node(app_t *a, int prefer_selected)
{
    pane_t *p = app_focus(a);
    scn_cmd_t cmd = {.op = SCN_REMOVE};
    size_t len = 0;
    int have_sel = p->selected != SCENE_NONE;
    if (have_sel && (prefer_selected || field_blank(a))) {
        const ring_node_t *nd = &p->sim.ring.nodes[p->selected];
        memcpy(cmd.node, nd->id, nd->id_len + 1);
        len = nd->id_len;
    } else if (!field_blank(a)) {
        if (field_id(a, cmd.node, &len) != 0)
            return;
    } else {
        app_toast(a, 1, "%s", "Select a node (click it) or type its id to remove it");
        return;
    }
    cmd.node_len = (uint32_t)len;
    uint32_t before = p->sim.ring.live_count;
    app_cmd_apply(a, &cmd);
    if (p->sim.ring.live_count < before && !field_blank(a) && !(have_sel && prefer_selected)) {
        a->field_len = 0;
        a->field[0] = '\0';
    }
}

void app_rebuild(app_t *a, uint32_t vnodes)
{
    pane_t *p = app_focus(a);
    scn_cmd_t cmd = {.op = SCN_VNODES, .value = vnodes};
    /* The core's replay of the limits, on the live nodes and weights. */
    if (sim_check_limits(&p->sim, &cmd, NULL, 0) != 0) {
        app_toast(a, 1, "%s", "Too many ring points for that many vnodes");
        return;
    }
    app_cmd_apply(a, &cmd);
}

void app_vectors(app_t *a, int64_t delta)
{
    pane_t *p = app_focus(a);
    int64_t n = (int64_t)p->sim.store.count + delta;
    if (n < 0)
        n = 0;
    if ((uint64_t)n > APP_MAX_VECTORS)
        n = (int64_t)APP_MAX_VECTORS;
    scn_cmd_t cmd = {.op = SCN_VECTORS, .value = (uint64_t)n};
    app_cmd_apply(a, &cmd);
}

/* A pane other than p shows kind (compare mode). */
static int shown_elsewhere(app_t *a, const pane_t *p, strat_kind_t kind)
{
    for (int i = 0; i < a->pane_count; i++)
        if (&a->panes[i] != p && a->panes[i].sim.strat.kind == kind)
            return 1;
    return 0;
}

void app_strategy(app_t *a, strat_kind_t kind)
{
    scn_cmd_t cmd = {.op = SCN_STRATEGY, .value = (uint64_t)kind};
    if (a->pane_count == 1) {
        app_cmd_apply(a, &cmd);
        return;
    }
    /* Compare mode: the focused pane's strategy, the others keep theirs. */
    pane_t *p = app_focus(a);
    if (shown_elsewhere(a, p, kind)) {
        app_toast(a, 1, "%s is already shown", strat_name(kind));
        return;
    }
    char err[512];
    sim_step_t step;
    float now = (float)a->clock, start;
    if (pane_apply(p, &cmd, now, a->dpi, a->realtime ? (float)a->realtime_scale : 0.0f, &step, &start, err,
                   sizeof err) != 0) {
        fail(a, "%s", err);
        return;
    }
    if (!step.changed) {
        app_toast(a, 1, "%s", step.message);
        return;
    }
    a->view_dirty = 1; /* the panel's table and the pane's header change */
    app_settle_after(a, start - now + p->action.stagger + p->action.flight + 0.1f);
}

/* A pane under kind with the state the others reached: the starting
 * configuration and the history replayed at once, the nodes where the
 * reference pane has them. */
static int pane_rebuilt(app_t *a, pane_t *p, strat_kind_t kind, const pane_t *ref, char *err, size_t err_size)
{
    sim_config_t c = a->start;
    c.strategy = kind;
    if (pane_init(p, &c, err, err_size) != 0)
        return -1;
    for (size_t i = 0; i < a->history.count; i++) {
        sim_step_t step;
        char e[512];
        sim_apply(&p->sim, &a->history.cmds[i], &step, e, sizeof e); /* refused here as it was live */
    }
    pane_refresh_stats(p);
    memcpy(p->node_angle, ref->node_angle, RS_MAX_NODES * sizeof *p->node_angle);
    memcpy(p->node_placed, ref->node_placed, RS_MAX_NODES * sizeof *p->node_placed);
    snprintf(p->action.text, sizeof p->action.text, "%s", ref->action.text);
    return pane_upload(p, PANE_LAYOUT_KEEP, (float)a->clock, a->dpi, err, err_size);
}

/* Back to the one pane in slot at (the others freed). */
static void single_pane(app_t *a, int at)
{
    for (int i = 0; i < APP_PANES_MAX; i++)
        if (i != at)
            pane_free(&a->panes[i]);
    if (at != 0) {
        a->panes[0] = a->panes[at]; /* moves ownership: the slot is forgotten, not freed */
        memset(&a->panes[at], 0, sizeof a->panes[at]);
    }
    a->pane_count = 1;
    a->focus = 0;
}

/* Panes are large (each scene keeps per-node books): they are built in
 * place in a->panes, never copied to the stack or to spare slots. */
int app_compare(app_t *a, const strat_kind_t *kinds, int n)
{
    single_pane(a, a->focus);
    a->view_dirty = 1;
    if (n > APP_PANES_MAX)
        n = APP_PANES_MAX;
    if (n <= 1) {
        hud_layout(a);
        return 0;
    }
    /* The kept pane takes the slot of its strategy in the list (or the
     * first, rebuilt under the listed strategy at the end). */
    strat_kind_t kept = a->panes[0].sim.strat.kind;
    int at = 0;
    for (int i = 0; i < n; i++)
        if (kinds[i] == kept)
            at = i;
    if (at != 0) {
        a->panes[at] = a->panes[0];
        memset(&a->panes[0], 0, sizeof a->panes[0]);
    }
    char err[400];
    int bad = 0;
    for (int i = 0; i < n && !bad; i++)
        if (i != at)
            bad = pane_rebuilt(a, &a->panes[i], kinds[i], &a->panes[at], err, sizeof err) != 0;
    if (!bad && kinds[at] != kept) {
        int ref = at == 0 ? 1 : 0; /* a built pane has the same node places */
        pane_free(&a->panes[at]);
        bad = pane_rebuilt(a, &a->panes[at], kinds[at], &a->panes[ref], err, sizeof err) != 0;
    }
    if (bad) {
        single_pane(a, at);
        hud_layout(a);
        fail(a, "Compare: %s", err);
        return -1;
    }
    a->pane_count = n;
    a->focus = at;
    hud_layout(a); /* the cells, at once: input hits the right pane */
    return 0;
}

void app_compare_more(app_t *a)
{
    if (a->pane_count == 1) {
        app_compare_toggle(a);
        return;
    }
    if (a->pane_count >= APP_PANES_MAX) {
        app_toast(a, 1, "%s", "Compare shows at most 4 strategies (C: back to one)");
        return;
    }
    /* The panes shown, and the first strategy not shown that takes the
     * nodes' weights. */
    strat_kind_t kinds[APP_PANES_MAX];
    int n = 0;
    for (int i = 0; i < a->pane_count; i++)
        kinds[n++] = a->panes[i].sim.strat.kind;
    const pane_t *p = app_focus(a);
    for (int k = 0; k < STRAT_COUNT; k++) {
        if (!shown_elsewhere(a, NULL, (strat_kind_t)k) &&
            (strat_ops((strat_kind_t)k)->weighted || p->sim.nodes.weights_equal)) {
            kinds[n++] = (strat_kind_t)k;
            app_compare(a, kinds, n);
            return;
        }
    }
    app_toast(a, 1, "%s", "No other strategy takes these weights");
}

void app_compare_toggle(app_t *a)
{
    if (a->pane_count > 1) {
        app_compare(a, NULL, 1);
        app_toast(a, 0, "%s", "One strategy (C compares again)");
        return;
    }
    /* The focused strategy beside the default (ring), or the default
     * beside the table's next row (modulo) when it is the default. */
    strat_kind_t k = app_focus(a)->sim.strat.kind, def = strat_default();
    strat_kind_t kinds[2] = {def, k != def ? k : (strat_kind_t)((def + 1) % STRAT_COUNT)};
    if (app_compare(a, kinds, 2) == 0) {
        char m[96];
        snprintf(m, sizeof m, "Compare: every change runs in both panes (1\xE2\x80\xA6%d set the pane under the pointer)",
                 (int)STRAT_COUNT);
        app_toast(a, 0, "%s", m);
    }
}

/* Skips the strategies that cannot take the nodes' weights (the core would
 * refuse them) and those another pane shows, so cycling never sticks on an
 * error. */
void app_strategy_cycle(app_t *a, int dir)
{
    pane_t *p = app_focus(a);
    int k = (int)p->sim.strat.kind;
    for (int i = 1; i < STRAT_COUNT; i++) {
        int next = ((k + dir * i) % STRAT_COUNT + STRAT_COUNT) % STRAT_COUNT;
        if ((strat_ops((strat_kind_t)next)->weighted || p->sim.nodes.weights_equal) &&
            !shown_elsewhere(a, p, (strat_kind_t)next)) {
            app_strategy(a, (strat_kind_t)next);
            return;
        }
    }
}

void app_weight(app_t *a, int delta)
{
    pane_t *p = app_focus(a);
    if (p->selected == SCENE_NONE) {
        app_toast(a, 1, "%s", "Select a node (click it, or Tab) to change its weight");
        return;
    }
    const ring_node_t *nd = &p->sim.ring.nodes[p->selected];
    int64_t w = (int64_t)nd->weight + delta;
    scn_cmd_t cmd = {.op = SCN_WEIGHT, .value = w > 0 ? (uint64_t)w : 0, .node_len = nd->id_len};
    memcpy(cmd.node, nd->id, nd->id_len + 1);
    if (out_of_range(a, &cmd, "Weights"))
        return;
    app_cmd_apply(a, &cmd);
}

void app_replicas(app_t *a, int delta)
{
    const pane_t *p = app_focus(a);
    int64_t r = (int64_t)(p->sim.repl.on ? p->sim.repl.replicas : 1) + delta;
    scn_cmd_t cmd = {.op = SCN_REPLICAS, .value = r > 0 ? (uint64_t)r : 0};
    if (out_of_range(a, &cmd, "Replicas"))
        return;
    app_cmd_apply(a, &cmd);
}

void app_crash_toggle(app_t *a)
{
    const pane_t *p = app_focus(a);
    scn_cmd_t cmd = {.op = SCN_FAIL};
    const char *id = NULL;
    if (p->selected != SCENE_NONE) {
        id = p->sim.ring.nodes[p->selected].id;
    } else if (p->sim.repl.crashed_count) {
        cmd.op = SCN_RECOVER; /* nothing selected: the node that crashed last comes back */
        id = p->sim.repl.crashed[p->sim.repl.crashed_count - 1];
    } else {
        app_toast(a, 1, "%s", "Select a node (click it, or Tab) to crash it");
        return;
    }
    cmd.node_len = (uint32_t)strlen(id);
    memcpy(cmd.node, id, cmd.node_len + 1);
    app_cmd_apply(a, &cmd);
}

void app_heal(app_t *a)
{
    scn_cmd_t cmd = {.op = SCN_HEAL};
    app_cmd_apply(a, &cmd);
}

void app_realtime(app_t *a, int cycle)
{
    if (!a->realtime_scale)
        a->realtime_scale = APP_REALTIME_SCALE;
    if (cycle) {
        /* x10, x100, ..., x100000, then x1 again; cycling turns it on. */
        a->realtime_scale = a->realtime_scale >= 100000u ? 1u : a->realtime_scale * 10u;
        a->realtime = 1;
    } else {
        a->realtime = !a->realtime;
    }
    char m[96];
    if (a->realtime && a->realtime_scale == 1)
        snprintf(m, sizeof m, "Real time \xC3\x97" "1: flights last exactly as long as the transfer");
    else if (a->realtime)
        snprintf(m, sizeof m, "Real time \xC3\x97%u: flights last as long as the transfer, %u times slower",
                 a->realtime_scale, a->realtime_scale);
    else
        snprintf(m, sizeof m, "Real time off: every flight takes %.1f s", (double)(APP_STAGGER + APP_FLIGHT));
    app_toast(a, 0, "%s", m);
}

void app_screenshot(app_t *a)
{
    a->shot_pending = 1;
}

void app_toggle_recording(app_t *a)
{
    live_msg_t lm;
    live_toggle(a->fb_w, a->fb_h, &lm);
    /* Starting says nothing on screen (it would be in the video); the badge
     * shows it. Stopping and failures do. */
    if (lm.text[0] && (lm.error || !live_active()))
        app_toast(a, lm.error, "%s", lm.text);
}

char *app_session_text(app_t *a, size_t *len)
{
    /* Compare mode as it is now: panes added on the way were built from
     * the starting options and every command, which is what a replay does. */
    char list[64] = "";
    for (int i = 0; a->pane_count > 1 && i < a->pane_count; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "," : "",
                 strat_name(a->panes[i].sim.strat.kind));
    session_set_compare(&a->session, list);
    return session_text(&a->session, len);
}

void app_save_session(app_t *a)
{
    char name[96], err[512];
    size_t len = 0;
    char *text = app_session_text(a, &len);
    if (!text) {
        app_toast(a, 1, "%s", "Saving the session failed: out of memory");
        return;
    }
    shot_timestamped_name_as(name, sizeof name, "ringscope-session", ".txt");
    if (shot_write_text(name, text, len, err, sizeof err) == 0) {
        session_mark_saved(&a->session);
        snprintf(a->session_file, sizeof a->session_file, "%s", name);
        char msg[160];
        snprintf(msg, sizeof msg, "Saved session %s (%zu command%s)", name, a->session.count,
                 a->session.count == 1 ? "" : "s");
        app_toast(a, 0, "%s", msg);
    } else {
        char msg[700];
        snprintf(msg, sizeof msg, "Saving the session to %s failed: %s", name, err);
        app_toast(a, 1, "%s", msg);
    }
    free(text);
}

void app_toggle_pause(app_t *a)
{
    a->paused = !a->paused;
    app_toast(a, 0, "%s", a->paused ? "Animation paused (Space to resume)" : "Animation resumed");
}

void app_reset_view(app_t *a)
{
    pane_t *p = app_focus(a);
    view_reset(&p->view);
    view_update(&p->view);
    a->view_dirty = 1;
}

void app_select(app_t *a, uint16_t slot)
{
    pane_t *p = app_focus(a);
    p->selected = slot;
    pane_strip(p, (float)a->clock, 0);
}

void app_select_next(app_t *a, int dir)
{
    pane_t *p = app_focus(a);
    if (!p->sorted_count)
        return;
    int at = -1;
    for (uint32_t i = 0; i < p->sorted_count; i++)
        if (p->sorted[i] == p->selected)
            at = (int)i;
    int n = (int)p->sorted_count;
    int next = at < 0 ? (dir > 0 ? 0 : n - 1) : ((at + dir) % n + n) % n;
    app_select(a, p->sorted[next]);
}

/* ---- lifecycle ---------------------------------------------------------- */

