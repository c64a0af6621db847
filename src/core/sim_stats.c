/* sim_stats — the figures of a simulation's state, for displays and reports:
 * load statistics, the listing a report prints (slots sorted by id, arc
 * shares) and the nodes a step's copy traffic lists. Declared in sim.h;
 * read-only over the sim. */
#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int sim_listing(const sim_t *s, sim_listing_t *out)
{
    out->sorted = malloc((s->ring.live_count + 1) * sizeof *out->sorted);
    out->share = malloc((s->ring.slot_count + 1) * sizeof *out->share);
    if (!out->sorted || !out->share) {
        sim_listing_free(out);
        return -1;
    }
    out->n = ring_sorted_slots(&s->ring, out->sorted);
    ring_arc_share(&s->ring, out->share);
    sim_stats(s, &out->stats);
    return 0;
}

void sim_listing_free(sim_listing_t *l)
{
    free(l->sorted);
    free(l->share);
    l->sorted = NULL;
    l->share = NULL;
    l->n = 0;
}

uint32_t sim_traffic_slots(const sim_t *s, const uint16_t *sorted, uint32_t n, uint16_t *out)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++)
        out[m++] = sorted[i];
    for (uint32_t slot = 0; slot < s->ring.slot_count && s->repl.bytes_in; slot++)
        if (!s->ring.nodes[slot].live && (s->repl.bytes_in[slot] || s->repl.bytes_out[slot]))
            out[m++] = (uint16_t)slot;
    return m;
}

void sim_stats(const sim_t *s, sim_stats_t *out)
{
    sim_stats_of(&s->ring, sim_counts(s), s->store.count, s->store.counts[RS_MAX_NODES], out);
}

void sim_stats_of(const ring_t *r, const uint64_t *counts, uint64_t keys, uint64_t unassigned, sim_stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->keys = keys;
    out->unassigned = unassigned;
    out->nodes = r->live_count;
    if (r->live_count == 0)
        return;
    out->min = UINT64_MAX;
    double sum = 0.0, sum2 = 0.0;
    for (uint32_t slot = 0; slot < r->slot_count; slot++) {
        if (!r->nodes[slot].live)
            continue;
        uint64_t c = counts[slot];
        sum += (double)c;
        sum2 += (double)c * (double)c;
        if (c > out->max)
            out->max = c;
        if (c < out->min)
            out->min = c;
    }
    out->mean = sum / r->live_count;
    if (out->mean > 0.0) {
        double var = sum2 / r->live_count - out->mean * out->mean;
        out->max_over_mean = (double)out->max / out->mean;
        out->std_over_mean = sqrt(var > 0.0 ? var : 0.0) / out->mean;
    }
}

int sim_pct_decimals(double a, double b)
{
    double small = 0.0;
    if (a > 0.0 && !isnan(a))
        small = a;
    if (b > 0.0 && !isnan(b) && (small == 0.0 || b < small))
        small = b;
    if (small == 0.0)
        return 1;
    int d = 2 - (int)floor(log10(small * 100.0));
    return d < 1 ? 1 : d > 9 ? 9 : d;
}
