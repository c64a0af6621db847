#include "hud_text.h"

#include "num.h"
#include "shardmap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void hud_count_text(uint64_t n, char *out, size_t out_size)
{
    if (n >= 1000000) {
        snprintf(out, out_size, "%.2fM", (double)n / 1e6);
    } else if (n >= 100000) {
        snprintf(out, out_size, "%.0fk", (double)n / 1e3);
    } else if (n >= 1000) {
        snprintf(out, out_size, "%llu,%03llu", (unsigned long long)(n / 1000), (unsigned long long)(n % 1000));
    } else {
        snprintf(out, out_size, "%llu", (unsigned long long)n);
    }
}

void hud_pct_text(double f, char *out, size_t n)
{
    snprintf(out, n, "%.1f%%", f * 100.0);
}

/* Appends figure to out[at..n) after a separator (none before the first). */
static void add_figure(char *out, size_t n, size_t *at, const char *sep, const char *figure)
{
    if (*at >= n)
        return;
    int w = snprintf(out + *at, n - *at, "%s%s", *at ? sep : "", figure);
    *at += w > 0 ? (size_t)w : 0;
}

void hud_counter_form(const pane_action_t *ac, uint64_t landed, int settled, int form, char *out, size_t n)
{
    if (ac->note[0]) {
        snprintf(out, n, "%s", ac->note);
        return;
    }
    if (!ac->total && !ac->moved && !ac->lost && !ac->copies && !ac->promoted) { /* the start */
        snprintf(out, n, "no change yet");
        return;
    }
    char k[32], of[32], f[128];
    num_int(ac->counts_up ? landed : ac->moved, k, sizeof k);
    num_int(ac->total, of, sizeof of);
    if (!ac->counts_up) {
        if (ac->shrank)
            snprintf(out, n, "%s removed", k);
        else
            snprintf(out, n, "%s new%s", k, settled ? "" : ", flying in");
        return;
    }
    /* What the change did, each figure only when it is not zero: moved
     * (with the ideal where the change has one, as sim prints it),
     * promoted, copied, lost. */
    const char *sep = form ? " \xC2\xB7 " : "  \xC2\xB7  ";
    double total = (double)(ac->total ? ac->total : 1);
    size_t at = 0;
    out[0] = '\0';
    if (ac->moved || (!isnan(ac->ideal) && ac->ideal > 0)) {
        /* As many digits as telling moved from ideal takes (sim_pct_decimals). */
        int d = sim_pct_decimals((double)ac->moved / total, ac->ideal);
        char shards[48] = "";
        if (ac->shards && ac->shards_moved && ac->op != SCN_FAIL && form < 3) /* whole shards (a switch makes a map afresh) */
            snprintf(shards, sizeof shards, "%u shard%s, ", ac->shards_moved, ac->shards_moved == 1 ? "" : "s");
        if (form)
            snprintf(f, sizeof f, "moved %s%s%s (%.*f%%)", shards, k, shards[0] ? " keys" : "", d,
                     (double)landed / total * 100.0);
        else
            snprintf(f, sizeof f, "moved %s%s of %s%s (%.*f%%)", shards, k, of, shards[0] ? " keys" : "", d,
                     (double)landed / total * 100.0);
        add_figure(out, n, &at, sep, f);
        if (!isnan(ac->ideal) && form < 2) {
            snprintf(f, sizeof f, "ideal %.*f%%", d, ac->ideal * 100.0);
            add_figure(out, n, &at, sep, f);
        }
    }
    if (ac->promoted) {
        num_int(ac->promoted, k, sizeof k);
        snprintf(f, sizeof f, "promoted %s", k);
        add_figure(out, n, &at, sep, f);
    }
    if (ac->copies) {
        num_int(ac->copies, k, sizeof k);
        snprintf(f, sizeof f, "copied %s", k);
        add_figure(out, n, &at, sep, f);
    }
    if (ac->lost) {
        num_int(ac->lost, k, sizeof k);
        if (form)
            snprintf(f, sizeof f, "lost %s (%.1f%%)", k, 100.0 * (double)ac->lost / total);
        else
            snprintf(f, sizeof f, "lost %s of %s (%.1f%%)", k, of, 100.0 * (double)ac->lost / total);
        add_figure(out, n, &at, sep, f);
    }
    if (!at)
        snprintf(out, n, "nothing moved or copied");
}

void hud_counter_text(const pane_action_t *ac, uint64_t landed, int settled, char *out, size_t n)
{
    hud_counter_form(ac, landed, settled, 0, out, n);
}

void hud_title_text(const pane_t *panes, int count, const pane_t *p, int form, char *t, size_t n)
{
    char st[96] = "";
    /* Compare mode: every pane's strategy ("ring vs modulo"). */
    for (int i = 0; i < count; i++)
        snprintf(st + strlen(st), sizeof st - strlen(st), "%s%s", i ? " vs " : "",
                 strat_name(panes[i].sim.strat.kind));
    /* vnodes/node only where some pane places vnodes: jump, maglev and the
     * others have none, and the figure would claim a structure not there. */
    int vn = 0;
    for (int i = 0; i < count; i++)
        vn |= panes[i].sim.strat.ops->uses_vnodes;
    char nodes[32], vectors[32];
    unsigned vnodes = p->sim.ring.vnodes;
    num_int(p->sim.ring.live_count, nodes, sizeof nodes);
    num_int(p->sim.store.count, vectors, sizeof vectors);
    int k;
    if (form == 0)
        k = snprintf(t, n, "%s %s  |  nodes=%s  |  vectors=%s", count > 1 ? "Compare" : "Strategy", st, nodes,
                     vectors);
    else if (form == 1)
        k = snprintf(t, n, "%s  \xC2\xB7  nodes=%s  \xC2\xB7  vectors=%s", st, nodes, vectors);
    else if (form == 2 || count == 1)
        k = snprintf(t, n, "%s \xC2\xB7 %s nodes \xC2\xB7 %s vec", st, nodes, vectors);
    else /* the panes' headers name their strategies */
        k = snprintf(t, n, "%d strategies \xC2\xB7 %s nodes \xC2\xB7 %s vec", count, nodes, vectors);
    static const char *const vn_form[3] = {"  |  vnodes/node=%u", "  \xC2\xB7  vnodes/node=%u",
                                           " \xC2\xB7 %u vnodes"};
    if (vn && k > 0 && (size_t)k < n)
        snprintf(t + k, n - (size_t)k, vn_form[form < 2 ? form : 2], vnodes);
}

const char *hud_structure_size(const pane_t *p, uint64_t *size)
{
    const strat_structure_t *st = &p->sim.strat.ops->structure;
    *size = st->size ? st->size(p->sim.strat.state, &p->sim.nodes) : p->sim.nodes.n;
    return st->size_name ? st->size_name : "";
}

void hud_legend_text(const pane_t *p, char *out, size_t n)
{
    const strat_ops_t *ops = p->sim.strat.ops;
    out[0] = '\0';
    if (ops->legend)
        ops->legend(&p->sim.strat.params, &p->sim.nodes, out, n);
    num_group(out, n);
}

void hud_minmax_text(uint64_t min, uint64_t max, char *out, size_t n)
{
    char lo[32], hi[32];
    num_int(min, lo, sizeof lo);
    num_int(max, hi, sizeof hi);
    snprintf(out, n, "min %s  \xC2\xB7  max %s", lo, hi);
}

int hud_vnodes_text(const pane_t *panes, int count, const pane_t *p, uint32_t slider, char *out, size_t n)
{
    for (int i = 0; i < count; i++)
        if (panes[i].sim.strat.ops->uses_vnodes) {
            snprintf(out, n, "%u", slider);
            return 1;
        }
    const strat_ops_t *ops = p->sim.strat.ops;
    if (ops->points && ops->structure.size && p->sim.nodes.n) {
        char per[32];
        num_int(ops->structure.size(p->sim.strat.state, &p->sim.nodes) / p->sim.nodes.n, per, sizeof per);
        snprintf(out, n, "%s/node", per);
    } else {
        snprintf(out, n, "unused");
    }
    return 0;
}

void hud_vnodes_why(const pane_t *p, char *out, size_t n)
{
    char per[32];
    if (!hud_vnodes_text(p, 1, p, 0, per, sizeof per) && strcmp(per, "unused") != 0)
        snprintf(out, n, "%s places its own points (%s): vnodes do not apply", p->sim.strat.ops->name, per);
    else
        snprintf(out, n, "%s places no vnodes: the slider does not apply", p->sim.strat.ops->name);
}

void hud_strategy_text(strat_kind_t k, char *out, size_t n)
{
    snprintf(out, n, "%s \xE2\x96\xB8", strat_name(k));
}

double hud_drawn_share(const pane_t *p, uint16_t slot)
{
    /* While added embeddings fly in (or a removed node's fly out) the counts
     * are the drawn ones: so is the total. Lost keys are held by no node
     * but are keys of the store: the share is of all keys, as sim's keys%. */
    uint64_t total = p->sim.repl.on ? p->sim.repl.lost_total : 0;
    for (uint32_t s = 0; s < p->sim.ring.slot_count && s < RS_MAX_NODES; s++)
        total += p->scene.shown[s];
    return slot < RS_MAX_NODES && total ? (double)p->scene.shown[slot] / (double)total : 0.0;
}

void hud_node_text(const pane_t *p, uint16_t slot, char *keys, size_t keys_size, char *share, size_t share_size)
{
    const ring_node_t *nd = &p->sim.ring.nodes[slot];
    char shown[32];
    num_int(p->scene.shown[slot], shown, sizeof shown);
    int vn = p->sim.strat.ops->uses_vnodes;
    if (nd->weight != 1)
        snprintf(keys, keys_size, "keys=%s  weight=%u", shown, nd->weight);
    else if (vn)
        snprintf(keys, keys_size, "keys=%s  vnodes=%u", shown, p->sim.ring.vnodes);
    else
        snprintf(keys, keys_size, "keys=%s", shown);
    double f;
    const char *what = hud_share_text(p, slot, &f);
    const char *zone = repl_zone_of(&p->sim.repl, nd->id);
    if (zone)
        snprintf(share, share_size, "%s %.1f%%  \xC2\xB7  zone %s", what, f * 100.0, zone);
    else
        snprintf(share, share_size, "%s %.1f%%", what, f * 100.0);
}

const char *hud_share_text(const pane_t *p, uint16_t slot, double *f)
{
    /* Ring strategies: the node's share of the ring's arcs; the others have
     * no arcs, so their share is of the keys (the panel's column). */
    if (p->sim.strat.ops->uses_vnodes) {
        *f = p->share[slot];
        return "ring share";
    }
    uint64_t keys_all = p->sim.store.count ? p->sim.store.count : 1;
    *f = (double)p->scene.shown[slot] / (double)keys_all;
    return "key share";
}

void hud_node_short_text(const pane_t *p, uint16_t slot, int with_zone, char *out, size_t n)
{
    char keys[32];
    num_int(p->scene.shown[slot], keys, sizeof keys);
    const char *zone = with_zone ? repl_zone_of(&p->sim.repl, p->sim.ring.nodes[slot].id) : NULL;
    if (zone)
        snprintf(out, n, "keys=%s  \xC2\xB7  zone %s", keys, zone);
    else
        snprintf(out, n, "keys=%s", keys);
}

void hud_hover_text(const pane_t *p, char l1[], size_t n1, char l2[], size_t n2, char l3[], size_t n3)
{
    const pane_hover_t *h = &p->hover;
    snprintf(l1, n1, "%s  \xC2\xB7  vnode %u", p->sim.ring.nodes[h->slot].id, h->vnode);
    snprintf(l2, n2, "hash  0x%016llx", (unsigned long long)h->pos);
    snprintf(l3, n3, "arc  %.4f%% of ring  \xC2\xB7  ring share %.1f%%", h->arc * 100.0, p->share[h->slot] * 100.0);
}

void hud_compare_row_text(const pane_t *p, uint64_t landed, char cells[HUD_ROW_CELLS][HUD_ROW_CELL])
{
    const pane_action_t *ac = &p->action;
    snprintf(cells[0], HUD_ROW_CELL, "%s", strat_name(p->sim.strat.kind));
    if (ac->note[0] || !(ac->total || ac->moved) || !ac->counts_up)
        snprintf(cells[1], HUD_ROW_CELL, "\xE2\x80\x94");
    else
        hud_pct_text((double)landed / (double)(ac->total ? ac->total : 1), cells[1], HUD_ROW_CELL);
    if (isnan(ac->ideal))
        snprintf(cells[2], HUD_ROW_CELL, "\xE2\x80\x94");
    else
        hud_pct_text(ac->ideal, cells[2], HUD_ROW_CELL);
    snprintf(cells[3], HUD_ROW_CELL, "%.3f", p->stats.max_over_mean);
    snprintf(cells[4], HUD_ROW_CELL, "%.3f", p->stats.std_over_mean);
}

int hud_shard_quantum_text(const pane_t *p, char *out, size_t n)
{
    const shardmap_t *m = sim_shards(&p->sim);
    const strat_nodes_t *nd = &p->sim.nodes;
    out[0] = '\0';
    if (!m || !nd->n)
        return 0;
    uint32_t S = m->shards, nodes = nd->n;
    if (S < nodes) {
        snprintf(out, n, "%u shard%s for %u nodes: %u lead none", S, S == 1 ? "" : "s", nodes, nodes - S);
        return 1;
    }
    /* The targets (shardmap_targets, without its scratch): S·w/W by
     * largest remainder, ties to the lower rank; the best max/mean is the
     * largest target over the mean S/n. */
    uint64_t w_sum = 0, left = S;
    for (uint32_t i = 0; i < nodes; i++)
        w_sum += nd->ring->nodes[nd->rank[i]].weight;
    uint32_t top = 0; /* the rank with the largest floor, then remainder, then lower rank */
    uint64_t top_floor = 0, top_rem = 0;
    for (uint32_t i = 0; i < nodes; i++) {
        uint64_t share = (uint64_t)S * nd->ring->nodes[nd->rank[i]].weight, fl = share / w_sum, rem = share % w_sum;
        left -= fl;
        if (i == 0 || fl > top_floor || (fl == top_floor && rem > top_rem))
            top = i, top_floor = fl, top_rem = rem;
    }
    /* It gets one more when fewer than `left` ranks come before it by
     * remainder (largest first, ties to the lower rank). */
    uint64_t before = 0;
    for (uint32_t i = 0; i < nodes && left; i++) {
        uint64_t rem = (uint64_t)S * nd->ring->nodes[nd->rank[i]].weight % w_sum;
        before += rem > top_rem || (rem == top_rem && i < top);
    }
    uint64_t most = top_floor + (left && before < left);
    double mean = (double)S / nodes;
    char per[32];
    snprintf(per, sizeof per, "%.2f", mean);
    for (char *e = per + strlen(per) - 1; e > per && (*e == '0' || *e == '.'); e--) {
        int dot = *e == '.';
        *e = '\0';
        if (dot)
            break;
    }
    if (most * nodes == S)
        snprintf(out, n, "S/n = %s: max/mean can be 1", per);
    else
        snprintf(out, n, "S/n = %s: max/mean \xE2\x89\xA5 %.3f", per, (double)most / mean);
    return 1;
}
