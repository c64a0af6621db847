#include "scn.h"

#include "rs_limits.h"
#include "strat.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *scn_op_name(scn_op_t op)
{
    switch (op) {
    case SCN_ADD: return "add";
    case SCN_REMOVE: return "remove";
    case SCN_VNODES: return "vnodes";
    case SCN_VECTORS: return "vectors";
    case SCN_WAIT: return "wait";
    case SCN_TITLE: return "title";
    case SCN_CAPTION: return "caption";
    case SCN_STRATEGY: return "strategy";
    case SCN_WEIGHT: return "weight";
    case SCN_REPLICAS: return "replicas";
    case SCN_ZONE: return "zone";
    case SCN_FAIL: return "fail";
    case SCN_RECOVER: return "recover";
    case SCN_HEAL: return "heal";
    }
    return "?";
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
    if (nodeid_normalize(s, len, id, &n, msg, sizeof msg) != 0) {
        snprintf(err, err_size, "zone name: %s", msg);
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
    static const struct {
        const char *name;
        scn_op_t op;
    } words[] = {{"add", SCN_ADD}, {"remove", SCN_REMOVE}, {"vnodes", SCN_VNODES}, {"vectors", SCN_VECTORS},
                 {"wait", SCN_WAIT}, {"strategy", SCN_STRATEGY}, {"weight", SCN_WEIGHT},
                 {"title", SCN_TITLE}, {"caption", SCN_CAPTION},
                 {"replicas", SCN_REPLICAS}, {"zone", SCN_ZONE}, {"fail", SCN_FAIL}, {"recover", SCN_RECOVER},
                 {"heal", SCN_HEAL}};
    size_t k = 0;
    for (; k < sizeof words / sizeof words[0]; k++)
        if (strlen(words[k].name) == wlen && memcmp(words[k].name, word, wlen) == 0)
            break;
    if (k == sizeof words / sizeof words[0]) {
        char quoted[64];
        nodeid_quote(word, wlen, quoted, sizeof quoted);
        snprintf(err, err_size,
                 "unknown command \"%s\" (expected add, remove, vnodes, vectors, wait, strategy, weight, title, "
                 "caption, replicas, zone, fail, recover or heal)",
                 quoted);
        return -1;
    }
    out->op = words[k].op;
    switch (out->op) {
    case SCN_ADD:
    case SCN_REMOVE:
    case SCN_FAIL:
    case SCN_RECOVER: {
        if (alen == 0) {
            snprintf(err, err_size, "%s: a node id is missing", words[k].name);
            return -1;
        }
        size_t n;
        char msg[256];
        /* The whole line tail is the id (inner spaces allowed); the id check
         * sees the raw argument so Unicode white space is trimmed too. */
        if (nodeid_normalize(line + a, len - a, out->node, &n, msg, sizeof msg) != 0) {
            snprintf(err, err_size, "%s: %s", words[k].name, msg);
            return -1;
        }
        out->node_len = (uint32_t)n;
        return 0;
    }
    case SCN_VNODES:
        return scn_parse_u64(arg, alen, 1, RS_MAX_VNODES, "vnodes", &out->value, err, err_size);
    case SCN_REPLICAS:
        return scn_parse_u64(arg, alen, 1, RS_MAX_REPLICAS, "replicas", &out->value, err, err_size);
    case SCN_HEAL:
        if (alen != 0) {
            snprintf(err, err_size, "heal takes no argument");
            return -1;
        }
        return 0;
    case SCN_VECTORS:
        return scn_parse_u64(arg, alen, 0, RS_MAX_VECTORS, "vectors", &out->value, err, err_size);
    case SCN_WAIT:
        return parse_seconds(arg, alen, &out->seconds, err, err_size);
    case SCN_STRATEGY: {
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
    case SCN_TITLE:
    case SCN_CAPTION: {
        if (alen == 0 && out->op == SCN_CAPTION)
            return 0; /* no caption from here on */
        if (alen == 0) {
            snprintf(err, err_size, "title: a text is missing");
            return -1;
        }
        /* The text obeys a node id's rules (one line of UTF-8, no control
         * characters, at most 255 bytes): one check for both. */
        size_t n;
        char msg[256];
        if (nodeid_normalize(line + a, len - a, out->node, &n, msg, sizeof msg) != 0) {
            const char *why = strncmp(msg, "node id", 7) == 0 ? msg + 7 : msg;
            snprintf(err, err_size, "%s: the text%s", words[k].name, why);
            return -1;
        }
        out->node_len = (uint32_t)n;
        return 0;
    }
    case SCN_WEIGHT:
    case SCN_ZONE: {
        /* The value is the last word; the id is everything before it, trimmed. */
        size_t ws = e;
        while (ws > a && !is_blank(line[ws - 1]))
            ws--;
        if (alen == 0 || ws == a) {
            if (out->op == SCN_WEIGHT)
                snprintf(err, err_size, "weight: expected \"weight ID W\" (W a whole number 1..%u)", STRAT_WEIGHT_MAX);
            else
                snprintf(err, err_size, "zone: expected \"zone ID Z\" (Z the zone's name, one word)");
            return -1;
        }
        if (out->op == SCN_WEIGHT &&
            scn_parse_u64(line + ws, e - ws, 1, STRAT_WEIGHT_MAX, "weight", &out->value, err, err_size) != 0)
            return -1;
        if (out->op == SCN_ZONE) {
            char msg[256];
            if (scn_parse_zone(line + ws, e - ws, out->zone, msg, sizeof msg) != 0) {
                snprintf(err, err_size, "zone: %s", msg);
                return -1;
            }
        }
        size_t ie = ws;
        while (ie > a && is_blank(line[ie - 1]))
            ie--;
        size_t n;
        char msg[256];
        if (nodeid_normalize(line + a, ie - a, out->node, &n, msg, sizeof msg) != 0) {
            snprintf(err, err_size, "%s: %s", words[k].name, msg);
            return -1;
        }
        out->node_len = (uint32_t)n;
        return 0;
    }
    }
    return -1;
}

int scn_format(const scn_cmd_t *c, char *out, size_t n)
{
    const char *name = scn_op_name(c->op);
    switch (c->op) {
    case SCN_VNODES:
    case SCN_VECTORS:
    case SCN_REPLICAS: return snprintf(out, n, "%s %llu", name, (unsigned long long)c->value);
    case SCN_ZONE: return snprintf(out, n, "%s %s %s", name, c->node, c->zone);
    case SCN_HEAL: return snprintf(out, n, "%s", name);
    case SCN_WAIT: return snprintf(out, n, "%s %.3f", name, c->seconds);
    case SCN_STRATEGY: return snprintf(out, n, "%s %s", name, strat_name((strat_kind_t)c->value));
    case SCN_WEIGHT: return snprintf(out, n, "%s %s %llu", name, c->node, (unsigned long long)c->value);
    case SCN_CAPTION: return snprintf(out, n, c->node_len ? "%s %s" : "%s", name, c->node);
    case SCN_ADD:
    case SCN_REMOVE:
    case SCN_FAIL:
    case SCN_RECOVER:
    case SCN_TITLE: return snprintf(out, n, "%s %s", name, c->node);
    }
    return snprintf(out, n, "# %s", name);
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
