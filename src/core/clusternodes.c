#include "clusternodes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS_MIN 8

typedef struct field {
    const char *s;
    size_t len;
} field_t;

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Splits line[0, len) at runs of blanks; returns the field count (at most cap). */
static size_t split(const char *line, size_t len, field_t *f, size_t cap, size_t *total)
{
    size_t n = 0, i = 0;
    *total = 0;
    while (i < len) {
        while (i < len && is_space(line[i]))
            i++;
        if (i == len)
            break;
        size_t a = i;
        while (i < len && !is_space(line[i]))
            i++;
        if (n < cap)
            f[n++] = (field_t){line + a, i - a};
        (*total)++;
    }
    return n;
}

static int has_flag(field_t flags, const char *name)
{
    size_t nlen = strlen(name);
    for (size_t a = 0; a < flags.len;) {
        size_t e = a;
        while (e < flags.len && flags.s[e] != ',')
            e++;
        if (e - a == nlen && memcmp(flags.s + a, name, nlen) == 0)
            return 1;
        a = e + 1;
    }
    return 0;
}

/* A whole decimal in [0, 16383]: 0, or -1. */
static int slot_number(const char *s, size_t len, uint32_t *out)
{
    uint32_t v = 0;
    if (len == 0 || len > 5)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    if (v >= CN_SLOTS)
        return -1;
    *out = v;
    return 0;
}

static void quote(const char *s, size_t len, char *out, size_t size)
{
    nodeid_quote(s, len, out, size);
}

int cn_parse(const char *text, size_t len, cn_map_t *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    for (uint32_t s = 0; s < CN_SLOTS; s++)
        out->slot[s] = CN_NONE;
    /* Line numbers of each slot's master, for the "served twice" message. */
    uint32_t *slot_line = calloc(CN_SLOTS, sizeof *slot_line);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    cn_master_t *masters = calloc(lines, sizeof *masters);
    field_t *f = malloc(sizeof *f * (CN_SLOTS + FIELDS_MIN + 1));
    uint32_t *owner_line_master = malloc(CN_SLOTS * sizeof *owner_line_master);
    int myself = -1;
    if (!slot_line || !masters || !f || !owner_line_master) {
        snprintf(err, err_size, "out of memory");
        goto fail;
    }
    uint32_t count = 0, line_no = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *line = text + at;
        size_t line_len = end - at;
        at = end + 1;
        line_no++;
        size_t total, n = split(line, line_len, f, CN_SLOTS + FIELDS_MIN, &total);
        if (total == 0)
            continue;
        if (memchr(line, '\0', line_len)) {
            snprintf(err, err_size, "line %u: a NUL byte (is this CLUSTER NODES output?)", line_no);
            goto fail;
        }
        if (total < FIELDS_MIN) {
            snprintf(err, err_size, "line %u: expected at least %u fields (id, address, flags, master, ping, pong, "
                     "epoch, link state), got %zu", line_no, FIELDS_MIN, total);
            goto fail;
        }
        if (total > n) {
            snprintf(err, err_size, "line %u: more than %u slot fields", line_no, CN_SLOTS);
            goto fail;
        }
        char q[80];
        int hex = f[0].len == 40;
        for (size_t i = 0; hex && i < 40; i++)
            hex = (f[0].s[i] >= '0' && f[0].s[i] <= '9') || (f[0].s[i] >= 'a' && f[0].s[i] <= 'f');
        if (!hex) {
            quote(f[0].s, f[0].len, q, sizeof q);
            snprintf(err, err_size, "line %u: \"%s\" is not a node id (40 hex digits)", line_no, q);
            goto fail;
        }
        int is_master = has_flag(f[2], "master"), is_replica = has_flag(f[2], "slave");
        if (is_master == is_replica) {
            quote(f[2].s, f[2].len, q, sizeof q);
            snprintf(err, err_size, "line %u: flags \"%s\" name %s a master nor a replica", line_no, q,
                     is_master ? "both" : "neither");
            goto fail;
        }
        if (is_replica) {
            if (n > FIELDS_MIN) {
                snprintf(err, err_size, "line %u: a replica that serves slots", line_no);
                goto fail;
            }
            out->replicas++;
            continue;
        }
        /* ip:port@cport[,hostname] -> ip:port */
        size_t alen = 0;
        while (alen < f[1].len && f[1].s[alen] != '@' && f[1].s[alen] != ',')
            alen++;
        cn_master_t *m = &masters[count];
        char msg[256];
        size_t idlen;
        const char *colon = memchr(f[1].s, ':', alen);
        if (!colon || colon == f[1].s || colon + 1 == f[1].s + alen ||
            nodeid_normalize(f[1].s, alen, m->addr, &idlen, msg, sizeof msg) != 0) {
            quote(f[1].s, f[1].len, q, sizeof q);
            snprintf(err, err_size, "line %u: \"%s\" is not an address ip:port@cport", line_no, q);
            goto fail;
        }
        for (uint32_t k = 0; k < count; k++) {
            if (strcmp(masters[k].addr, m->addr) == 0) {
                snprintf(err, err_size, "line %u: master %s is listed twice (line %u)", line_no, m->addr,
                         masters[k].line);
                goto fail;
            }
        }
        memcpy(m->id, f[0].s, 40);
        m->line = line_no;
        if (has_flag(f[2], "myself") && myself < 0)
            myself = (int)count;
        for (size_t k = FIELDS_MIN; k < n; k++) {
            const char *s = f[k].s;
            size_t sl = f[k].len;
            if (s[0] == '[') {
                int ok = sl > 2 && s[sl - 1] == ']';
                const char *mark = NULL;
                for (size_t i = 1; ok && !mark && i + 3 <= sl; i++)
                    if (memcmp(s + i, "->-", 3) == 0 || memcmp(s + i, "-<-", 3) == 0)
                        mark = s + i;
                uint32_t slot;
                if (!mark || slot_number(s + 1, (size_t)(mark - s - 1), &slot) != 0) {
                    quote(s, sl, q, sizeof q);
                    snprintf(err, err_size, "line %u: \"%s\" is not a slot marker ([slot->-id] or [slot-<-id])",
                             line_no, q);
                    goto fail;
                }
                if (out->markers++ == 0) {
                    quote(s, sl, q, sizeof q);
                    snprintf(out->first_marker, sizeof out->first_marker, "line %u: %s", line_no, q);
                }
                continue;
            }
            const char *dash = memchr(s, '-', sl);
            uint32_t a, b;
            int bad = dash ? slot_number(s, (size_t)(dash - s), &a) != 0 ||
                                 slot_number(dash + 1, sl - (size_t)(dash - s) - 1, &b) != 0
                           : slot_number(s, sl, &a) != 0;
            if (!dash)
                b = a;
            if (bad || a > b) {
                quote(s, sl, q, sizeof q);
                snprintf(err, err_size, "line %u: \"%s\" is not a slot or a range of slots (0..%u)", line_no, q,
                         CN_SLOTS - 1);
                goto fail;
            }
            for (uint32_t slot = a; slot <= b; slot++) {
                if (out->slot[slot] != CN_NONE) {
                    snprintf(err, err_size, "line %u: slot %u is already served by %s (line %u)", line_no, slot,
                             masters[owner_line_master[slot]].addr, slot_line[slot]);
                    goto fail;
                }
                out->slot[slot] = (uint16_t)count;
                owner_line_master[slot] = count;
                slot_line[slot] = line_no;
                m->slots++;
            }
        }
        count++;
    }
    if (count == 0) {
        snprintf(err, err_size, "no master in the file (is this the output of CLUSTER NODES?)");
        goto fail;
    }
    /* redis-cli's order: myself first, the others in line order. */
    uint16_t *rank = malloc(count * sizeof *rank);
    out->masters = malloc(count * sizeof *out->masters);
    if (!rank || !out->masters) {
        free(rank);
        snprintf(err, err_size, "out of memory");
        goto fail;
    }
    uint32_t r = 0;
    if (myself >= 0)
        rank[myself] = (uint16_t)r, out->masters[r++] = masters[myself];
    for (uint32_t k = 0; k < count; k++)
        if ((int)k != myself)
            rank[k] = (uint16_t)r, out->masters[r++] = masters[k];
    for (uint32_t s = 0; s < CN_SLOTS; s++) {
        if (out->slot[s] == CN_NONE)
            out->uncovered++;
        else
            out->slot[s] = rank[out->slot[s]];
    }
    out->count = count;
    free(rank);
    free(slot_line);
    free(masters);
    free(f);
    free(owner_line_master);
    return 0;
fail:
    free(slot_line);
    free(masters);
    free(f);
    free(owner_line_master);
    cn_free(out);
    return -1;
}

void cn_free(cn_map_t *m)
{
    free(m->masters);
    m->masters = NULL;
    m->count = 0;
}
