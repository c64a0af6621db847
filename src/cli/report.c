#include "report.h"

#include "shardmap.h"
#include "simjson.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void report_human_bytes(char *out, size_t size, uint64_t b)
{
    static const char *const unit[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    double v = (double)b;
    int u = 0;
    while (v >= 1000.0 && u < 6)
        v /= 1000.0, u++;
    snprintf(out, size, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

void report_human_seconds(char *out, size_t size, double s)
{
    /* Three significant figures in the largest unit below the value. */
    const char *unit = "s";
    if (s < 1e-3)
        s *= 1e6, unit = "µs";
    else if (s < 1.0)
        s *= 1e3, unit = "ms";
    snprintf(out, size, s >= 100.0 ? "%.0f %s" : s >= 10.0 ? "%.1f %s" : "%.2f %s", s, unit);
}

int report_step_json(FILE *f, const sim_t *s, const sim_step_t *step)
{
    json_t j = {0};
    simjson_step(&j, s, step);
    int bad = j.oom;
    if (!bad)
        fputs(json_text(&j), f);
    json_free(&j);
    return bad || ferror(f) ? -1 : 0;
}

/* Next code point of valid UTF-8 (node ids are checked) at *i. */
static uint32_t utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[*i];
    size_t extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
    (*i)++;
    for (size_t k = 0; k < extra && *i < len; k++, (*i)++)
        c = c << 6 | (u[*i] & 0x3F);
    return c;
}

/* Terminal columns of a code point: 0 for combining and zero-width marks,
 * 2 for East Asian wide/fullwidth characters and emoji, 1 otherwise (the
 * main ranges of Unicode's EastAsianWidth and emoji data). */
static int cp_width(uint32_t c)
{
    static const uint32_t zero[][2] = {{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
                                       {0x064B, 0x065F}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x1AB0, 0x1AFF},
                                       {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
                                       {0xFE20, 0xFE2F}, {0xE0100, 0xE01EF}};
    static const uint32_t wide[][2] = {{0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC},
                                       {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x26AA, 0x26AB},
                                       {0x26BD, 0x26BE}, {0x26F2, 0x26F5}, {0x2705, 0x2705}, {0x2728, 0x2728},
                                       {0x274C, 0x274C}, {0x2753, 0x2757}, {0x2795, 0x2797}, {0x2B1B, 0x2B1C},
                                       {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
                                       {0xA000, 0xA4CF}, {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
                                       {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
                                       {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E},
                                       {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
                                       {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF},
                                       {0x1FA70, 0x1FAFF}, {0x20000, 0x3FFFD}};
    for (size_t k = 0; k < sizeof zero / sizeof zero[0]; k++)
        if (c >= zero[k][0] && c <= zero[k][1])
            return 0;
    for (size_t k = 0; k < sizeof wide / sizeof wide[0]; k++)
        if (c >= wide[k][0] && c <= wide[k][1])
            return 2;
    return 1;
}

size_t report_text_width(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len;)
        w += (size_t)cp_width(utf8_next(s, len, &i));
    return w;
}

void report_put_cell(FILE *f, const char *s, size_t len, size_t width)
{
    size_t used = 0, i = 0;
    while (i < len) {
        size_t at = i;
        size_t cw = (size_t)cp_width(utf8_next(s, len, &i));
        if (used + cw > width) {
            i = at;
            break;
        }
        used += cw;
    }
    fwrite(s, 1, i, f);
    for (; used < width; used++)
        fputc(' ', f);
}

/* Shards whose primary a crash handed to a surviving copy (their data
 * kept: not lost). */
static uint32_t shards_promoted(const sim_t *s, const shardmap_t *m)
{
    const shardmap_change_t *c;
    uint32_t n = sim_shard_changes(s, &c), k = 0;
    for (uint32_t i = 0; i < n; i++)
        k += c[i].from_n && c[i].to_n && c[i].from[0] != c[i].to[0] && !shardmap_lost(m, c[i].shard);
    return k;
}

/* "  moved …" and the line of what else the step did, each figure only
 * when it is not zero (one vocabulary: repl.h). */
static void step_figures(FILE *f, const sim_t *s, const sim_step_t *step, const shardmap_t *m)
{
    size_t keys = s->store.count;
    int crash = step->op == SCN_FAIL;
    if (step->moved || (!isnan(step->ideal_fraction) && step->ideal_fraction > 0.0)) {
        /* Enough digits to tell moved from ideal at any n. */
        int d = sim_pct_decimals(step->moved_fraction, step->ideal_fraction);
        if (m && !crash)
            fprintf(f, "  moved %u %ss · %llu of %zu keys (%.*f%%)", sim_shard_primaries_moved(s),
                    strat_unit(&s->strat), (unsigned long long)step->moved, keys, d, 100.0 * step->moved_fraction);
        else
            fprintf(f, "  moved %llu of %zu (%.*f%%)", (unsigned long long)step->moved, keys, d,
                    100.0 * step->moved_fraction);
        if (!isnan(step->ideal_fraction))
            fprintf(f, " · ideal %.*f%%", d, 100.0 * step->ideal_fraction);
        fputc('\n', f);
    }
    const repl_t *r = &s->repl;
    if (!r->on)
        return;
    const char *sep = "  ";
    if (r->promoted) {
        fprintf(f, "%spromoted %llu", sep, (unsigned long long)r->promoted);
        if (m)
            fprintf(f, " (%u %ss)", shards_promoted(s, m), strat_unit(&s->strat));
        sep = " · ";
    }
    if (r->copies) {
        char bytes[32];
        report_human_bytes(bytes, sizeof bytes, r->bytes);
        fprintf(f, "%scopied %llu (%s", sep, (unsigned long long)r->copies, bytes);
        if (m)
            fprintf(f, "; %llu shard copies", (unsigned long long)sim_shards_moved(s));
        char secs[32];
        report_human_seconds(secs, sizeof secs, r->seconds);
        fprintf(f, ") in %s", secs);
        sep = " · ";
    }
    if (r->lost) {
        fprintf(f, "%slost %llu of %zu (%.1f%%)", sep, (unsigned long long)r->lost, keys,
                100.0 * (double)r->lost / (double)(keys ? keys : 1));
        if (r->lost_total != r->lost)
            fprintf(f, ", %llu in all", (unsigned long long)r->lost_total);
        sep = " · ";
    }
    if (r->under) {
        fprintf(f, "%sunder-replicated %llu", sep, (unsigned long long)r->under);
        sep = " · ";
    }
    if (sep[0] != ' ' || sep[1] != ' ')
        fputc('\n', f);
    if (r->lost) {
        fputs("  lost:", f);
        for (size_t i = 0; i < r->lost && i < 10; i++)
            fprintf(f, " vec_%06u", (unsigned)r->lost_ids[i]);
        if (r->lost > 10)
            fprintf(f, " … (%llu more)", (unsigned long long)(r->lost - 10));
        fputc('\n', f);
    }
    /* What changed, not the whole list every step (the JSON's crashed
     * lists them all). */
    if (step->down)
        fprintf(f, "  %s %s · %u node%s down\n", step->down > 0 ? "crashed:" : "back or forgotten:", step->node,
                r->crashed_count, r->crashed_count == 1 ? "" : "s");
}

int report_step_table(FILE *f, const sim_t *s, const sim_step_t *step, unsigned index)
{
    fprintf(f, "step %u: %s\n", index, step->message);
    /* wait, title, caption change nothing by design: their line is all. */
    if (step->op != SIM_STEP_INIT && scn_verb((scn_op_t)step->op)->inert) {
        fputc('\n', f);
        return ferror(f) ? -1 : 0;
    }
    sim_listing_t l;
    uint64_t *led = malloc(RS_MAX_NODES * sizeof *led);
    if (!led || sim_listing(s, &l) != 0) {
        free(led);
        return -1;
    }
    const uint16_t *slots = l.sorted;
    const double *share = l.share;
    const sim_stats_t st = l.stats;
    uint32_t n = l.n;
    const repl_t *r = &s->repl;
    const shardmap_t *m = sim_shards(s);
    /* Arc shares are the ring's points: shown where keys follow them (as
     * the JSON's arc_share), not beside another strategy's keys. */
    int arcs = s->strat.ops->uses_vnodes;
    const uint64_t *counts = sim_counts(s);
    if (m)
        shardmap_primary_counts(m, led);
    fprintf(f, "  nodes=%u  vectors=%zu", s->ring.live_count, s->store.count);
    if (arcs) /* as the title on screen: only where the strategy places vnodes */
        fprintf(f, "  vnodes/node=%u", s->ring.vnodes);
    if (r->on)
        fprintf(f, "  replicas=%u", r->replicas);
    if (m)
        fprintf(f, "  %ss=%u", strat_unit(&s->strat), m->shards);
    fputc('\n', f);
    step_figures(f, s, step, m);
    if (n == 0) {
        fprintf(f, "  Ring is empty: %llu vectors unassigned\n\n", (unsigned long long)st.unassigned);
    } else {
        /* Columns by display width, not bytes: CJK ids and emoji take two
         * columns a character, combining marks none. */
        size_t w = 4;
        for (uint32_t i = 0; i < n; i++) {
            const ring_node_t *node = &s->ring.nodes[slots[i]];
            size_t nw = report_text_width(node->id, node->id_len);
            if (nw > w)
                w = nw;
        }
        if (w > 40)
            w = 40;
        /* the shards column, headed by what the system calls them */
        char led_head[32];
        snprintf(led_head, sizeof led_head, "%ss", strat_unit(&s->strat));
        int led_w = strlen(led_head) > 7 ? (int)strlen(led_head) : 7;
        fprintf(f, "  %-*s %12s %8s", (int)w, "node", "keys", "keys%");
        if (arcs)
            fprintf(f, " %8s", "arc%");
        if (m)
            fprintf(f, " %*s", led_w, led_head);
        if (r->on)
            fprintf(f, " %-8s %10s %10s", "zone", "in", "out");
        fputc('\n', f);
        uint16_t all[RS_MAX_NODES];
        uint32_t rows = r->on ? sim_traffic_slots(s, slots, n, all) : n;
        for (uint32_t i = 0; i < rows; i++) {
            uint16_t slot = r->on ? all[i] : slots[i];
            const ring_node_t *node = &s->ring.nodes[slot];
            uint64_t c = node->live ? counts[slot] : 0;
            double pct = s->store.count ? 100.0 * (double)c / (double)s->store.count : 0.0;
            fputs("  ", f);
            report_put_cell(f, node->id, node->id_len, w);
            fprintf(f, " %12llu %7.2f%%", (unsigned long long)c, pct);
            if (arcs)
                fprintf(f, " %7.2f%%", node->live ? 100.0 * share[slot] : 0.0);
            if (m)
                fprintf(f, " %*llu", led_w, (unsigned long long)(node->live ? led[slot] : 0));
            if (r->on) {
                char in[32], out[32];
                const char *z = repl_zone_of(r, node->id);
                report_human_bytes(in, sizeof in, r->bytes_in[slot]);
                report_human_bytes(out, sizeof out, r->bytes_out[slot]);
                fputc(' ', f);
                report_put_cell(f, z ? z : "-", z ? strlen(z) : 1, 8);
                fprintf(f, " %10s %10s%s", in, out, node->live ? "" : "  (left)");
            }
            fputc('\n', f);
        }
        fprintf(f, "  max/mean %.3f  std/mean %.3f\n\n", st.max_over_mean, st.std_over_mean);
    }
    sim_listing_free(&l);
    free(led);
    return ferror(f) ? -1 : 0;
}
