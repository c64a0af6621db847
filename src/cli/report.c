#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void report_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

void report_strategy_params_json(FILE *f, strat_kind_t kind, uint32_t vnodes, const strat_params_t *p)
{
    /* The default ring keeps the seed's config object as it was (its
     * readers compare it whole); every step still names the strategy. */
    if (kind != STRAT_RING)
        fprintf(f, "\"strategy\":\"%s\",", strat_name(kind));
    fprintf(f, "\"vnodes\":%u", vnodes);
    if (kind == STRAT_MAGLEV)
        fprintf(f, ",\"table\":%u", p->table);
    if (kind == STRAT_BOUNDED)
        fprintf(f, ",\"balance\":%u", p->balance);
    if (kind == STRAT_MULTIPROBE)
        fprintf(f, ",\"probes\":%u", p->probes);
}

void report_json_number(FILE *f, double v)
{
    if (isnan(v) || isinf(v))
        fputs("null", f);
    else
        fprintf(f, "%.17g", v);
}

/* Live slots sorted by id, as the reference prints its distribution. */
static uint16_t *sorted_slots(const sim_t *s, uint32_t *n)
{
    uint16_t *slots = malloc((s->ring.live_count + 1) * sizeof *slots);
    *n = slots ? ring_sorted_slots(&s->ring, slots) : 0;
    return slots;
}

int report_step_json(FILE *f, const sim_t *s, const sim_step_t *step)
{
    uint32_t n;
    uint16_t *slots = sorted_slots(s, &n);
    double *share = malloc((s->ring.slot_count + 1) * sizeof *share);
    if (!slots || !share) {
        free(slots);
        free(share);
        return -1;
    }
    ring_arc_share(&s->ring, share);
    sim_stats_t st;
    sim_stats(s, &st);

    fprintf(f, "{\"op\":\"%s\"", sim_step_name(step));
    if (step->node[0]) {
        fputs(",\"node\":", f);
        report_json_string(f, step->node);
    }
    fprintf(f, ",\"changed\":%s,\"message\":", step->changed ? "true" : "false");
    report_json_string(f, step->message);
    fprintf(f, ",\"strategy\":\"%s\"", s->strat.ops->name);
    fprintf(f, ",\"moved\":%llu,\"visited\":%llu,\"moved_fraction\":", (unsigned long long)step->moved,
            (unsigned long long)step->visited);
    report_json_number(f, step->moved_fraction);
    fputs(",\"ideal_fraction\":", f);
    report_json_number(f, step->ideal_fraction);
    fprintf(f, ",\"nodes\":%u,\"vectors\":%zu,\"vnodes\":%u,\"unassigned\":%llu,\"dist\":{", s->ring.live_count,
            s->store.count, s->ring.vnodes, (unsigned long long)st.unassigned);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        report_json_string(f, s->ring.nodes[slots[i]].id);
        fprintf(f, ":%llu", (unsigned long long)s->store.counts[slots[i]]);
    }
    fputc('}', f);
    /* Arc shares exist where keys follow ring points. */
    if (s->strat.ops->uses_vnodes) {
        fputs(",\"arc_share\":{", f);
        for (uint32_t i = 0; i < n; i++) {
            if (i)
                fputc(',', f);
            report_json_string(f, s->ring.nodes[slots[i]].id);
            fputc(':', f);
            report_json_number(f, share[slots[i]]);
        }
        fputc('}', f);
    }
    fprintf(f, ",\"max\":%llu,\"min\":%llu,\"mean\":", (unsigned long long)st.max, (unsigned long long)st.min);
    report_json_number(f, st.mean);
    fputs(",\"max_over_mean\":", f);
    report_json_number(f, st.max_over_mean);
    fputs(",\"std_over_mean\":", f);
    report_json_number(f, st.std_over_mean);
    fputc('}', f);
    free(slots);
    free(share);
    return ferror(f) ? -1 : 0;
}

int report_step_table(FILE *f, const sim_t *s, const sim_step_t *step, unsigned index)
{
    uint32_t n;
    uint16_t *slots = sorted_slots(s, &n);
    double *share = malloc((s->ring.slot_count + 1) * sizeof *share);
    if (!slots || !share) {
        free(slots);
        free(share);
        return -1;
    }
    ring_arc_share(&s->ring, share);
    sim_stats_t st;
    sim_stats(s, &st);
    fprintf(f, "step %u: %s\n", index, step->message);
    fprintf(f, "  nodes=%u  vectors=%zu  vnodes/node=%u\n", s->ring.live_count, s->store.count, s->ring.vnodes);
    fprintf(f, "  moved %llu of %zu (%.1f%%)", (unsigned long long)step->moved, s->store.count,
            100.0 * step->moved_fraction);
    if (!isnan(step->ideal_fraction))
        fprintf(f, " · ideal %.1f%%", 100.0 * step->ideal_fraction);
    fputc('\n', f);
    if (n == 0) {
        fprintf(f, "  Ring is empty: %llu vectors unassigned\n\n", (unsigned long long)st.unassigned);
    } else {
        size_t w = 4;
        for (uint32_t i = 0; i < n; i++)
            if (s->ring.nodes[slots[i]].id_len > w)
                w = s->ring.nodes[slots[i]].id_len;
        if (w > 40)
            w = 40;
        fprintf(f, "  %-*s %12s %8s %8s\n", (int)w, "node", "keys", "keys%", "arc%");
        for (uint32_t i = 0; i < n; i++) {
            const ring_node_t *node = &s->ring.nodes[slots[i]];
            uint64_t c = s->store.counts[slots[i]];
            double pct = s->store.count ? 100.0 * (double)c / (double)s->store.count : 0.0;
            fprintf(f, "  %-*.*s %12llu %7.2f%% %7.2f%%\n", (int)w, (int)w, node->id, (unsigned long long)c, pct,
                    100.0 * share[slots[i]]);
        }
        fprintf(f, "  max/mean %.3f  std/mean %.3f\n\n", st.max_over_mean, st.std_over_mean);
    }
    free(slots);
    free(share);
    return ferror(f) ? -1 : 0;
}
