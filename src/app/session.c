#include "session.h"

#include "rs_limits.h"

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

void session_begin(session_t *s, const sim_config_t *c)
{
    free(s->text);
    memset(s, 0, sizeof *s);
    char nodes[768] = "";
    size_t at = 0;
    char joined[768] = "";
    for (size_t i = 0; i < c->node_count; i++) {
        size_t l = strlen(joined);
        snprintf(joined + l, sizeof joined - l, "%s%s", i ? "," : "", c->nodes[i]);
    }
    quote_append(nodes, sizeof nodes, &at, joined);
    snprintf(s->options, sizeof s->options, "--nodes %s --vnodes %u --vectors %llu --dim %u --seed %llu%s%s", nodes,
             c->vnodes, (unsigned long long)c->vectors, c->dim, (unsigned long long)c->seed,
             c->strategy != STRAT_RING ? " --strategy " : "", c->strategy != STRAT_RING ? strat_name(c->strategy) : "");
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
    char head[2048];
    int h = snprintf(head, sizeof head,
                     "# Ringscope session saved %s: %zu command%s as done in the app, with their timing.\n"
                     "# Replay it (FILE is this file):\n"
                     "#   ringscope record %s --script FILE --out session.mp4\n"
                     "#   ringscope sim %s --script FILE\n%s",
                     when, s->count, s->count == 1 ? "" : "s", s->options, s->options,
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

void session_free(session_t *s)
{
    free(s->text);
    memset(s, 0, sizeof *s);
}
