#include "scn.h"

#include "rs_limits.h"
#include "strat.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const reshard_words[] = {"down", "up", NULL}; /* by SCN_RESHARD_* */

/* The vocabulary, in op order (rows are looked up by op): name, op,
 * argument, min, max, usage, inert, replication, own, system, choices. */
static const scn_verb_t verbs[] = {
    {"add", SCN_ADD, SCN_ARG_NODE, 0, 0, "add ID", 0, 0, 0},
    {"remove", SCN_REMOVE, SCN_ARG_NODE, 0, 0, "remove ID", 0, 0, 0},
    {"vnodes", SCN_VNODES, SCN_ARG_NUMBER, 1, RS_MAX_VNODES, "vnodes N", 0, 0, 0},
    {"vectors", SCN_VECTORS, SCN_ARG_NUMBER, 0, RS_MAX_VECTORS, "vectors N", 0, 0, 0},
    {"wait", SCN_WAIT, SCN_ARG_SECONDS, 0, 0, "wait S", 1, 0, 0},
    {"strategy", SCN_STRATEGY, SCN_ARG_STRATEGY, 0, 0, "strategy NAME", 0, 0, 0},
    {"weight", SCN_WEIGHT, SCN_ARG_NODE_NUMBER, 1, STRAT_WEIGHT_MAX, "weight ID W", 0, 0, 0},
    {"title", SCN_TITLE, SCN_ARG_TEXT, 0, 0, "title TEXT", 1, 0, 0},
    {"caption", SCN_CAPTION, SCN_ARG_TEXT_OPT, 0, 0, "caption TEXT", 1, 0, 0},
    {"replicas", SCN_REPLICAS, SCN_ARG_NUMBER, 1, RS_MAX_REPLICAS, "replicas R", 0, 0, 0},
    {"zone", SCN_ZONE, SCN_ARG_NODE_ZONE, 0, 0, "zone ID Z", 0, 1, 0},
    {"fail", SCN_FAIL, SCN_ARG_NODE, 0, 0, "fail ID", 0, 1, 0},
    {"recover", SCN_RECOVER, SCN_ARG_NODE, 0, 0, "recover ID", 0, 1, 0},
    {"heal", SCN_HEAL, SCN_ARG_NONE, 0, 0, "heal", 0, 1, 0},
    {"move", SCN_MOVE, SCN_ARG_NUMBER_NODE, 0, STRAT_SHARDS_MAX - 1, "move SHARD ID", 0, 0, 1},
    {"rebalance", SCN_REBALANCE, SCN_ARG_NONE, 0, 0, "rebalance", 0, 0, 1},
    {"split", SCN_SPLIT, SCN_ARG_NUMBER, 2, STRAT_SHARDS_MAX, "split F", 0, 0, 1, "elasticsearch", NULL},
    {"reshard", SCN_RESHARD, SCN_ARG_CHOICE, 0, 1, "reshard up|down", 0, 0, 1, "qdrant", reshard_words},
    {"partitions", SCN_PARTITIONS, SCN_ARG_NUMBER, 1, STRAT_SHARDS_MAX, "partitions P", 0, 0, 1, "kafka", NULL},
};

#define VERB_COUNT (sizeof verbs / sizeof verbs[0])

const scn_verb_t *scn_verb(scn_op_t op)
{
    return (unsigned)op < VERB_COUNT ? &verbs[op] : NULL;
}

size_t scn_verb_count(void) { return VERB_COUNT; }

const scn_verb_t *scn_verb_at(size_t i) { return i < VERB_COUNT ? &verbs[i] : NULL; }

int scn_names_node(scn_op_t op)
{
    const scn_verb_t *v = scn_verb(op);
    return v && (v->arg == SCN_ARG_NODE || v->arg == SCN_ARG_NODE_NUMBER || v->arg == SCN_ARG_NODE_ZONE ||
                 v->arg == SCN_ARG_NUMBER_NODE);
}

const char *scn_op_name(scn_op_t op)
{
    const scn_verb_t *v = scn_verb(op);
    return v ? v->name : "?";
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

int scn_parse_u64(const char *s, size_t len, uint64_t min, uint64_t max, const char *what, uint64_t *out,
                  char *err, size_t err_size)
{
    char quoted[64];
    nodeid_quote(s, len, quoted, sizeof quoted);
    if (len == 0) {
        snprintf(err, err_size, "%s: a number is missing", what);
        return -1;
    }
    uint64_t v = 0;
    int overflow = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            snprintf(err, err_size, "%s: \"%s\" is not a whole number (%llu..%llu)", what, quoted,
                     (unsigned long long)min, (unsigned long long)max);
            return -1;
        }
        unsigned d = (unsigned)(s[i] - '0');
        /* Past 2^64 - 1 the value is out of range whatever max is; keep
         * scanning so trailing junk is still reported as junk. */
        if (overflow || v > (UINT64_MAX - d) / 10)
            overflow = 1;
        else
            v = v * 10 + d;
    }
    if (overflow || v < min || v > max) {
        snprintf(err, err_size, "%s: %s is out of range; it must be %llu..%llu", what, quoted,
                 (unsigned long long)min, (unsigned long long)max);
        return -1;
    }
    *out = v;
    return 0;
}

int scn_parse_zone(const char *s, size_t len, char *out, char *err, size_t err_size)
{
    char id[NODEID_MAX + 1], msg[256];
    size_t n;
    /* A zone name follows the node-id rules (UTF-8, no control characters),
     * shorter and in one word, so `zone ID Z` can find it as the last word. */
    if (nodeid_normalize_as(s, len, "zone name", id, &n, msg, sizeof msg) != 0) {
        snprintf(err, err_size, "%s", msg);
        return -1;
    }
    char quoted[80];
    nodeid_quote(id, n, quoted, sizeof quoted);
    if (n > RS_MAX_ZONE_NAME) {
        snprintf(err, err_size, "zone name \"%s\" is %zu bytes long; the limit is %u", quoted, n, RS_MAX_ZONE_NAME);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (is_blank(id[i]) || id[i] == ' ' || id[i] == '\n' || id[i] == ',' || id[i] == '=') {
            snprintf(err, err_size, "zone name \"%s\" must be one word (no spaces, commas or '=')", quoted);
            return -1;
        }
    }
    memcpy(out, id, n + 1);
    return 0;
}

static int parse_seconds(const char *s, size_t len, double *out, char *err, size_t err_size)
{
    char buf[64], quoted[64];
    nodeid_quote(s, len, quoted, sizeof quoted);
    if (len == 0) {
        snprintf(err, err_size, "wait: a number of seconds is missing");
        return -1;
    }
    /* Plain decimals only: no signs, exponents, hex, inf or nan. */
    int dots = 0, digits = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.')
            dots++;
        else if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else
            dots = 99;
    }
    if (dots > 1 || digits == 0 || len >= sizeof buf) {
        snprintf(err, err_size, "wait: \"%s\" is not a number of seconds (0..%g)", quoted, RS_MAX_WAIT_SECONDS);
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    double v = strtod(buf, NULL);
    if (!(v >= 0.0 && v <= RS_MAX_WAIT_SECONDS)) {
        snprintf(err, err_size, "wait: %s seconds is out of range; it must be 0..%g", quoted,
                 RS_MAX_WAIT_SECONDS);
        return -1;
    }
    *out = v;
    return 0;
}

/* The node id in s[0, len) into out, normalized (as the parser keeps it). */
static int parse_node(const scn_verb_t *v, const char *s, size_t len, scn_cmd_t *out, char *err, size_t err_size)
{
    size_t n;
    char msg[256];
    if (nodeid_normalize(s, len, out->node, &n, msg, sizeof msg) != 0) {
        snprintf(err, err_size, "%s: %s", v->name, msg);
        return -1;
    }
    out->node_len = (uint32_t)n;
    return 0;
}

/* "strategy NAME": a row of the strategy table. */
static int parse_strategy(const char *arg, size_t alen, scn_cmd_t *out, char *err, size_t err_size)
{
    strat_kind_t kind;
    if (alen == 0) {
        snprintf(err, err_size, "strategy: a name is missing (%s)", strat_names_list());
        return -1;
    }
    if (strat_parse(arg, alen, &kind) != 0) {
        char quoted[64];
        nodeid_quote(arg, alen, quoted, sizeof quoted);
        snprintf(err, err_size, "strategy: unknown strategy \"%s\" (expected %s)", quoted, strat_names_list());
        return -1;
    }
    out->value = (uint64_t)kind;
    return 0;
}

/* "title TEXT", "caption [TEXT]": the text obeys a node id's rules (one
 * line of UTF-8, no control characters, at most 255 bytes): one check for
 * both. */
static int parse_text(const scn_verb_t *v, const char *s, size_t len, size_t alen, scn_cmd_t *out, char *err,
                      size_t err_size)
{
    if (alen == 0 && v->arg == SCN_ARG_TEXT_OPT)
        return 0; /* no caption from here on */
    if (alen == 0) {
        snprintf(err, err_size, "%s: a text is missing", v->name);
        return -1;
    }
    size_t n;
    char msg[256];
    if (nodeid_normalize(s, len, out->text, &n, msg, sizeof msg) != 0) {
        const char *why = strncmp(msg, "node id", 7) == 0 ? msg + 7 : msg;
        snprintf(err, err_size, "%s: the text%s", v->name, why);
        return -1;
    }
    out->text_len = (uint32_t)n;
    return 0;
}

/* "weight ID W", "zone ID Z": the value is the last word of line[a, e); the
 * id is everything before it, trimmed. */
static int parse_node_and_last(const scn_verb_t *v, const char *line, size_t a, size_t e, scn_cmd_t *out, char *err,
                               size_t err_size)
{
    size_t ws = e;
    while (ws > a && !is_blank(line[ws - 1]))
        ws--;
    if (e == a || ws == a) {
        if (v->arg == SCN_ARG_NODE_NUMBER)
            snprintf(err, err_size, "%s: expected \"%s\" (%s a whole number %llu..%llu)", v->name, v->usage,
                     v->usage + strlen(v->usage) - 1, (unsigned long long)v->min, (unsigned long long)v->max);
        else
            snprintf(err, err_size, "%s: expected \"%s\" (%s the zone's name, one word)", v->name, v->usage,
                     v->usage + strlen(v->usage) - 1);
        return -1;
    }
    if (v->arg == SCN_ARG_NODE_NUMBER &&
        scn_parse_u64(line + ws, e - ws, v->min, v->max, v->name, &out->value, err, err_size) != 0)
        return -1;
    if (v->arg == SCN_ARG_NODE_ZONE) {
        char msg[256];
        if (scn_parse_zone(line + ws, e - ws, out->zone, msg, sizeof msg) != 0) {
            snprintf(err, err_size, "%s: %s", v->name, msg);
            return -1;
        }
    }
    size_t ie = ws;
    while (ie > a && is_blank(line[ie - 1]))
        ie--;
    return parse_node(v, line + a, ie - a, out, err, err_size);
}

/* "move SHARD ID": the number is the first word of line[a, e); the id is
 * the rest of the line, trimmed. */
static int parse_number_and_node(const scn_verb_t *v, const char *line, size_t a, size_t e, size_t len,
                                 scn_cmd_t *out, char *err, size_t err_size)
{
    size_t we = a;
    while (we < e && !is_blank(line[we]))
        we++;
    size_t ia = we;
    while (ia < e && is_blank(line[ia]))
        ia++;
    if (we == a || ia == e) {
        snprintf(err, err_size, "%s: expected \"%s\" (a whole number %llu..%llu, then a node id)", v->name, v->usage,
                 (unsigned long long)v->min, (unsigned long long)v->max);
        return -1;
    }
    if (scn_parse_u64(line + a, we - a, v->min, v->max, v->name, &out->value, err, err_size) != 0)
        return -1;
    return parse_node(v, line + ia, len - ia, out, err, err_size);
}

/* "reshard up|down": one of the row's words. */
static int parse_choice(const scn_verb_t *v, const char *arg, size_t alen, scn_cmd_t *out, char *err, size_t err_size)
{
    for (size_t i = 0; v->choices[i]; i++) {
        if (strlen(v->choices[i]) == alen && memcmp(v->choices[i], arg, alen) == 0) {
            out->value = i;
            return 0;
        }
    }
    char quoted[64];
    nodeid_quote(arg, alen, quoted, sizeof quoted);
    if (alen == 0)
        snprintf(err, err_size, "%s: expected \"%s\"", v->name, v->usage);
    else
        snprintf(err, err_size, "%s: \"%s\" is not one of \"%s\"", v->name, quoted, v->usage);
    return -1;
}

/* "expected add, remove, ... or heal": every row's name. */
static void expected_names(char *out, size_t size)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < VERB_COUNT && at < size; i++) {
        int n = snprintf(out + at, size - at, "%s%s", i == 0 ? "" : i + 1 == VERB_COUNT ? " or " : ", ",
                         verbs[i].name);
        at += n > 0 ? (size_t)n : 0;
    }
}

int scn_parse_line(const char *line, size_t len, scn_cmd_t *out, char *err, size_t err_size)
{
    size_t i = 0;
    while (i < len && is_blank(line[i]))
        i++;
    if (i == len || line[i] == '#')
        return 1;
    if (memchr(line, '\0', len)) {
        snprintf(err, err_size, "the line contains a NUL byte (is this a text file?)");
        return -1;
    }
    size_t w = i;
    while (w < len && !is_blank(line[w]))
        w++;
    const char *word = line + i;
    size_t wlen = w - i;
    size_t a = w;
    while (a < len && is_blank(line[a]))
        a++;
    size_t e = len;
    while (e > a && is_blank(line[e - 1]))
        e--;
    const char *arg = line + a;
    size_t alen = e - a;

    memset(out, 0, sizeof *out);
    const scn_verb_t *v = NULL;
    for (size_t k = 0; k < VERB_COUNT && !v; k++)
        if (strlen(verbs[k].name) == wlen && memcmp(verbs[k].name, word, wlen) == 0)
            v = &verbs[k];
    if (!v) {
        char quoted[64], names[256];
        nodeid_quote(word, wlen, quoted, sizeof quoted);
        expected_names(names, sizeof names);
        snprintf(err, err_size, "unknown command \"%s\" (expected %s)", quoted, names);
        return -1;
    }
    out->op = v->op;
    int rc = 0;
    switch (v->arg) {
    case SCN_ARG_NODE:
        if (alen == 0) {
            snprintf(err, err_size, "%s: a node id is missing", v->name);
            return -1;
        }
        /* The whole line tail is the id (inner spaces allowed); the id check
         * sees the raw argument so Unicode white space is trimmed too. */
        rc = parse_node(v, line + a, len - a, out, err, err_size);
        break;
    case SCN_ARG_NUMBER:
        rc = scn_parse_u64(arg, alen, v->min, v->max, v->name, &out->value, err, err_size);
        break;
    case SCN_ARG_NONE:
        if (alen != 0) {
            snprintf(err, err_size, "%s takes no argument", v->name);
            return -1;
        }
        break;
    case SCN_ARG_SECONDS:
        rc = parse_seconds(arg, alen, &out->seconds, err, err_size);
        break;
    case SCN_ARG_STRATEGY:
        rc = parse_strategy(arg, alen, out, err, err_size);
        break;
    case SCN_ARG_TEXT:
    case SCN_ARG_TEXT_OPT:
        rc = parse_text(v, line + a, len - a, alen, out, err, err_size);
        break;
    case SCN_ARG_NODE_NUMBER:
    case SCN_ARG_NODE_ZONE:
        rc = parse_node_and_last(v, line, a, e, out, err, err_size);
        break;
    case SCN_ARG_NUMBER_NODE:
        rc = parse_number_and_node(v, line, a, e, len, out, err, err_size);
        break;
    case SCN_ARG_CHOICE:
        rc = parse_choice(v, arg, alen, out, err, err_size);
        break;
    }
    /* What parsed is a command the check accepts; the check holds the rules
     * the app's controls meet too. */
    return rc != 0 ? rc : scn_cmd_check(out, err, err_size);
}

/* s[0, len) ends there and is what the parser makes of such an argument:
 * one line of UTF-8 without control characters, trimmed (nodeid.h). */
static int check_kept(const scn_verb_t *v, const char *s, uint32_t len, int text, char *err, size_t err_size)
{
    const char *what = text ? "text" : "node id";
    char kept[NODEID_MAX + 1], msg[256];
    size_t n;
    if (len > NODEID_MAX || memchr(s, '\0', len) || s[len] != '\0') {
        snprintf(err, err_size, "%s: the %s does not end at its length", v->name, what);
        return -1;
    }
    if (nodeid_normalize(s, len, kept, &n, msg, sizeof msg) != 0) {
        const char *why = text && strncmp(msg, "node id", 7) == 0 ? msg + 7 : msg;
        snprintf(err, err_size, text ? "%s: the text%s" : "%s: %s", v->name, why);
        return -1;
    }
    if (n != len || memcmp(kept, s, n) != 0) {
        snprintf(err, err_size, "%s: the %s is not trimmed", v->name, what);
        return -1;
    }
    return 0;
}

int scn_cmd_check(const scn_cmd_t *c, char *err, size_t err_size)
{
    char buf[512];
    if (!err) {
        err = buf;
        err_size = sizeof buf;
    }
    const scn_verb_t *v = scn_verb(c->op);
    if (!v) {
        snprintf(err, err_size, "not a command (op %d)", (int)c->op);
        return -1;
    }
    char zone[RS_MAX_ZONE_NAME + 1], msg[256];
    switch (v->arg) {
    case SCN_ARG_NODE:
    case SCN_ARG_NODE_NUMBER:
    case SCN_ARG_NODE_ZONE:
    case SCN_ARG_NUMBER_NODE:
        if (c->node_len == 0) {
            snprintf(err, err_size, "%s: a node id is missing", v->name);
            return -1;
        }
        if (check_kept(v, c->node, c->node_len, 0, err, err_size) != 0)
            return -1;
        break;
    case SCN_ARG_TEXT:
    case SCN_ARG_TEXT_OPT:
        if (c->text_len == 0 && v->arg == SCN_ARG_TEXT) {
            snprintf(err, err_size, "%s: a text is missing", v->name);
            return -1;
        }
        if (c->text_len && check_kept(v, c->text, c->text_len, 1, err, err_size) != 0)
            return -1;
        if (!c->text_len && c->text[0] != '\0') {
            snprintf(err, err_size, "%s: the text does not end at its length", v->name);
            return -1;
        }
        break;
    case SCN_ARG_SECONDS:
        if (!(c->seconds >= 0.0 && c->seconds <= RS_MAX_WAIT_SECONDS)) {
            snprintf(err, err_size, "%s: %g seconds is out of range; it must be 0..%g", v->name, c->seconds,
                     RS_MAX_WAIT_SECONDS);
            return -1;
        }
        break;
    case SCN_ARG_STRATEGY:
        if (c->value >= STRAT_COUNT) {
            snprintf(err, err_size, "strategy: %llu is not a strategy (expected %s)", (unsigned long long)c->value,
                     strat_names_list());
            return -1;
        }
        break;
    case SCN_ARG_NUMBER:
    case SCN_ARG_NONE:
    case SCN_ARG_CHOICE:
        break;
    }
    if ((v->arg == SCN_ARG_NUMBER || v->arg == SCN_ARG_NODE_NUMBER || v->arg == SCN_ARG_NUMBER_NODE ||
         v->arg == SCN_ARG_CHOICE) &&
        (c->value < v->min || c->value > v->max)) {
        snprintf(err, err_size, "%s: %llu is out of range; it must be %llu..%llu", v->name,
                 (unsigned long long)c->value, (unsigned long long)v->min, (unsigned long long)v->max);
        return -1;
    }
    const char *zone_end = memchr(c->zone, '\0', sizeof c->zone);
    if (v->arg == SCN_ARG_NODE_ZONE &&
        (!zone_end || scn_parse_zone(c->zone, (size_t)(zone_end - c->zone), zone, msg, sizeof msg) != 0)) {
        snprintf(err, err_size, "%s: %s", v->name, zone_end ? msg : "the zone name is not terminated");
        return -1;
    }
    return 0;
}

int scn_format(const scn_cmd_t *c, char *out, size_t n)
{
    const scn_verb_t *v = scn_verb(c->op);
    if (!v)
        return snprintf(out, n, "# ?");
    switch (v->arg) {
    case SCN_ARG_NUMBER: return snprintf(out, n, "%s %llu", v->name, (unsigned long long)c->value);
    case SCN_ARG_NODE_ZONE: return snprintf(out, n, "%s %s %s", v->name, c->node, c->zone);
    case SCN_ARG_NONE: return snprintf(out, n, "%s", v->name);
    case SCN_ARG_SECONDS: return snprintf(out, n, "%s %.3f", v->name, c->seconds);
    case SCN_ARG_STRATEGY: return snprintf(out, n, "%s %s", v->name, strat_name((strat_kind_t)c->value));
    case SCN_ARG_NODE_NUMBER: return snprintf(out, n, "%s %s %llu", v->name, c->node, (unsigned long long)c->value);
    case SCN_ARG_NUMBER_NODE: return snprintf(out, n, "%s %llu %s", v->name, (unsigned long long)c->value, c->node);
    case SCN_ARG_CHOICE: return snprintf(out, n, "%s %s", v->name, c->value <= v->max ? v->choices[c->value] : "?");
    case SCN_ARG_TEXT_OPT: return snprintf(out, n, c->text_len ? "%s %s" : "%s", v->name, c->text);
    case SCN_ARG_NODE:
    case SCN_ARG_TEXT: return snprintf(out, n, "%s %s", v->name, v->arg == SCN_ARG_TEXT ? c->text : c->node);
    }
    return snprintf(out, n, "# %s", v->name);
}

int scn_push(scn_script_t *s, const scn_cmd_t *cmd)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        scn_cmd_t *cmds = realloc(s->cmds, cap * sizeof *cmds);
        if (!cmds)
            return -1;
        s->cmds = cmds;
        s->cap = cap;
    }
    s->cmds[s->count++] = *cmd;
    return 0;
}

void scn_free(scn_script_t *s)
{
    free(s->cmds);
    memset(s, 0, sizeof *s);
}

int scn_parse(const char *text, size_t len, const char *source, scn_script_t *out, char *err, size_t err_size)
{
    scn_script_t s = {0};
    size_t start = 0;
    uint32_t line_no = 0;
    /* A UTF-8 byte order mark (Windows editors write one, with CRLF) is not
     * part of the first command. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        start = 3;
    while (start < len) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        line_no++;
        size_t line_len = end - start;
        char msg[512];
        if (line_len > RS_MAX_SCRIPT_LINE) {
            snprintf(err, err_size, "%s:%u: the line is %zu bytes long; the limit is %u", source, line_no,
                     line_len, RS_MAX_SCRIPT_LINE);
            scn_free(&s);
            return -1;
        }
        scn_cmd_t cmd;
        int rc = scn_parse_line(text + start, line_len, &cmd, msg, sizeof msg);
        if (rc < 0) {
            snprintf(err, err_size, "%s:%u: %s", source, line_no, msg);
            scn_free(&s);
            return -1;
        }
        if (rc == 0) {
            cmd.line = line_no;
            if (scn_push(&s, &cmd) != 0) {
                snprintf(err, err_size, "%s:%u: out of memory", source, line_no);
                scn_free(&s);
                return -1;
            }
        }
        start = end + 1;
    }
    *out = s;
    return 0;
}

int scn_load(const char *path, scn_script_t *out, char *err, size_t err_size)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(err, err_size, "%s: cannot open script: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(sb.st_mode)) {
        snprintf(err, err_size, "%s: is a directory, not a script file", path);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open script: %s", path, strerror(errno));
        return -1;
    }
    /* Read at most the limit plus one byte: enough to know it is too big,
     * whatever stat said (pipes and /proc files report size 0). */
    size_t cap = RS_MAX_SCRIPT_BYTES + 1;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        snprintf(err, err_size, "%s: out of memory reading the script", path);
        return -1;
    }
    size_t n = fread(buf, 1, cap, f);
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(buf);
        snprintf(err, err_size, "%s: cannot read script", path);
        return -1;
    }
    if (n > RS_MAX_SCRIPT_BYTES) {
        free(buf);
        snprintf(err, err_size, "%s: the script is larger than the limit of %u bytes", path,
                 RS_MAX_SCRIPT_BYTES);
        return -1;
    }
    int rc = scn_parse(buf, n, path, out, err, err_size);
    free(buf);
    return rc;
}
