#include "session.h"

#include "rs_limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One shell word in single quotes (' becomes '\''), appended at *at. */
static void quote_append(char *out, size_t n, size_t *at, const char *word)
{
    size_t i = *at;
    if (i + 1 < n)
        out[i++] = '\'';
    for (const char *p = word; *p && i + 5 < n; p++) {
        if (*p == '\'') {
            memcpy(out + i, "'\\''", 4);
            i += 4;
        } else {
            out[i++] = *p;
        }
    }
    if (i + 1 < n)
        out[i++] = '\'';
    out[i < n ? i : n - 1] = '\0';
    *at = i < n ? i : n - 1;
}

/* Appends printf-style text to s->options. */
static void opt_add(session_t *s, const char *fmt, ...)
{
    size_t l = strlen(s->options);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->options + l, sizeof s->options - l, fmt, ap);
    va_end(ap);
}

/* " --flag 'a,b,c'" from n words (joined by commas), quoted for the shell. */
static void opt_list(session_t *s, const char *flag, size_t n, const char *(*word)(const sim_config_t *, size_t, char *, size_t),
                     const sim_config_t *c)
{
    char joined[sizeof s->options], one[2 * 256 + 2];
    joined[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(joined);
        snprintf(joined + l, sizeof joined - l, "%s%s", i ? "," : "", word(c, i, one, sizeof one));
    }
    char quoted[sizeof s->options];
    size_t at = 0;
    quote_append(quoted, sizeof quoted, &at, joined);
    opt_add(s, " %s %s", flag, quoted);
}

static const char *node_word(const sim_config_t *c, size_t i, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    return c->nodes[i];
}

static const char *zone_word(const sim_config_t *c, size_t i, char *buf, size_t n)
{
    snprintf(buf, n, "%s=%s", c->zone_nodes[i], c->zone_names[i]);
    return buf;
}

void session_begin(session_t *s, const sim_config_t *c)
{
    free(s->text);
    memset(s, 0, sizeof *s);
    /* Every starting option that changes what a replay computes, so the
     * saved script gives the same figures under `record` and `sim`. */
    opt_list(s, "--nodes", c->node_count, node_word, c);
    opt_add(s, " --vnodes %u --vectors %llu --dim %u --seed %llu", c->vnodes, (unsigned long long)c->vectors, c->dim,
            (unsigned long long)c->seed);
    if (c->strategy != strat_default())
        opt_add(s, " --strategy %s", strat_name(c->strategy));
    /* Parameters that differ from their defaults (0: not given). */
    for (int k = 0; k < STRAT_COUNT; k++) {
        const strat_ops_t *ops = strat_ops((strat_kind_t)k);
        for (size_t i = 0; i < ops->param_count; i++) {
            const strat_param_t *d = &ops->params[i];
            uint32_t v = strat_param_get(&c->params, d);
            if (v != d->def)
                opt_add(s, " %s %u", d->flag, v);
        }
    }
    if (c->repl_on || c->replicas > 1)
        opt_add(s, " --replicas %u", c->replicas ? c->replicas : 1);
    if (c->zone_count)
        opt_list(s, "--zones", c->zone_count, zone_word, c);
    if (c->record_bytes_set)
        opt_add(s, " --record-bytes %u", c->record_bytes);
    if (c->bandwidth > 0)
        opt_add(s, " --bandwidth %.0fB", c->bandwidth);
    if (s->options[0] == ' ') /* each option came with its separating space */
        memmove(s->options, s->options + 1, strlen(s->options));
    if (strlen(s->options) + 1 >= sizeof s->options)
        s->cut = 1;
}

void session_set_compare(session_t *s, const char *list)
{
    snprintf(s->compare, sizeof s->compare, "%s", list ? list : "");
}

static int append(session_t *s, const char *line)
{
    size_t n = strlen(line);
    if (s->cut || s->len + n + 2 > RS_MAX_SCRIPT_BYTES - 4096) {
        s->cut = 1;
        return -1;
    }
    if (s->len + n + 2 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 2)
            cap *= 2;
        char *t = realloc(s->text, cap);
        if (!t) {
            s->cut = 1;
            return -1;
        }
        s->text = t;
        s->cap = cap;
    }
    memcpy(s->text + s->len, line, n);
    s->len += n;
    s->text[s->len++] = '\n';
    s->text[s->len] = '\0';
    return 0;
}

void session_add(session_t *s, const scn_cmd_t *cmd, double clock)
{
    char line[RS_MAX_SCRIPT_LINE];
    if (cmd->op == SCN_WAIT)
        return; /* the time between commands is measured instead */
    if (s->count && clock - s->last >= 0.005) {
        scn_cmd_t w = {.op = SCN_WAIT, .seconds = clock - s->last};
        scn_format(&w, line, sizeof line);
        if (append(s, line) != 0)
            return;
    }
    s->last = clock;
    scn_format(cmd, line, sizeof line);
    if (append(s, line) == 0)
        s->count++;
}

char *session_text(const session_t *s, size_t *len)
{
    time_t t = time(NULL);
    struct tm *lt = localtime(&t);
    char when[32] = "";
    if (lt)
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", lt);
    char head[2 * sizeof s->options + 2 * sizeof s->compare + 512];
    char cmp[sizeof s->compare + 16] = "";
    if (s->compare[0])
        snprintf(cmp, sizeof cmp, " --compare %s", s->compare);
    int h = snprintf(head, sizeof head,
                     "# Ringscope session saved %s: %zu command%s as done in the app, with their timing.\n"
                     "# Replay it (FILE is this file):\n"
                     "#   ringscope record %s%s --script FILE --out session.mp4\n"
                     "#   ringscope sim %s%s --script FILE\n%s",
                     when, s->count, s->count == 1 ? "" : "s", s->options, cmp, s->options, cmp,
                     s->cut ? "# (cut short: the session outgrew what a script may hold)\n" : "");
    if (h < 0)
        return NULL;
    size_t hn = (size_t)h < sizeof head ? (size_t)h : sizeof head - 1;
    char *out = malloc(hn + s->len + 1);
    if (!out)
        return NULL;
    memcpy(out, head, hn);
    if (s->len)
        memcpy(out + hn, s->text, s->len);
    out[hn + s->len] = '\0';
    *len = hn + s->len;
    return out;
}

int session_unsaved(const session_t *s)
{
    return s->count > s->saved;
}

void session_mark_saved(session_t *s)
{
    s->saved = s->count;
}

void session_free(session_t *s)
{
    free(s->text);
    memset(s, 0, sizeof *s);
}
