#include "opts.h"

#include "rs_limits.h"
#include "nodeid.h"
#include "repl.h"
#include "scn_limits.h"
#include "sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALL (OPTS_APP | OPTS_SIM | OPTS_RECORD | OPTS_BENCH | OPTS_LOCATE)
#define SCENE (OPTS_APP | OPTS_SIM | OPTS_RECORD | OPTS_LOCATE)
#define REPLICATED (OPTS_APP | OPTS_SIM | OPTS_RECORD)

enum flag_id { F_NODES, F_VNODES, F_VECTORS, F_DIM, F_SEED, F_SCRIPT, F_DO, F_JSON, F_HELP, F_QUICK, F_OUT,
               F_SIZE, F_FPS, F_DURATION, F_STRATEGY, F_PARAM, F_COMPARE, F_HASH, F_FORCE,
               F_REC_FPS, F_LOOK, F_REPLICAS, F_ZONES, F_RECORD_BYTES, F_BANDWIDTH, F_KEYS, F_PRESET, F_KEY_HEX,
               F_FROM_REDIS, F_REFERENCE, F_LIBMEMCACHED };

static const struct flag {
    enum flag_id id;
    const char *name;
    int takes_value;
    unsigned cmds;
} flags[] = {
    {F_NODES, "--nodes", 1, SCENE},
    {F_VNODES, "--vnodes", 1, SCENE},
    {F_VECTORS, "--vectors", 1, SCENE},
    {F_DIM, "--dim", 1, SCENE},
    {F_SEED, "--seed", 1, SCENE},
    {F_SCRIPT, "--script", 1, SCENE},
    {F_DO, "--do", 1, SCENE},
    {F_JSON, "--json", 0, OPTS_SIM | OPTS_BENCH | OPTS_LOCATE},
    {F_STRATEGY, "--strategy", 1, SCENE},
    {F_PRESET, "--preset", 1, SCENE},
    {F_FROM_REDIS, "--from-redis", 1, SCENE},
    /* and each strategy's parameters (--table, --balance, ...): F_PARAM,
     * from the strategy table (strat_param_t), for SCENE */
    {F_COMPARE, "--compare", 1, OPTS_SIM | OPTS_APP | OPTS_RECORD},
    {F_REPLICAS, "--replicas", 1, REPLICATED | OPTS_LOCATE},
    {F_ZONES, "--zones", 1, REPLICATED | OPTS_LOCATE},
    {F_RECORD_BYTES, "--record-bytes", 1, REPLICATED},
    {F_BANDWIDTH, "--bandwidth", 1, REPLICATED},
    {F_HASH, "--hash", 1, OPTS_LOCATE},
    {F_KEYS, "--keys", 1, OPTS_LOCATE},
    {F_KEY_HEX, "--key-hex", 1, OPTS_LOCATE},
    {F_HELP, "--help", 0, ALL},
    {F_HELP, "-h", 0, ALL},
    {F_QUICK, "--quick", 0, OPTS_BENCH},
    {F_REFERENCE, "--reference", 1, OPTS_BENCH},
    {F_LIBMEMCACHED, "--libmemcached", 1, OPTS_BENCH},
    {F_OUT, "--out", 1, OPTS_RECORD},
    {F_SIZE, "--size", 1, OPTS_APP | OPTS_RECORD},
    {F_FPS, "--fps", 1, OPTS_RECORD},
    {F_DURATION, "--duration", 1, OPTS_RECORD},
    {F_FORCE, "--force", 0, OPTS_RECORD},
    {F_REC_FPS, "--rec-fps", 1, OPTS_APP},
    {F_LOOK, "--look", 1, OPTS_RECORD},
};

static const char *cmd_name(opts_cmd_t c)
{
    switch (c) {
    case OPTS_APP: return "ringscope";
    case OPTS_SIM: return "ringscope sim";
    case OPTS_RECORD: return "ringscope record";
    case OPTS_BENCH: return "ringscope bench";
    case OPTS_LOCATE: return "ringscope locate";
    }
    return "ringscope";
}

const char *opts_help(opts_cmd_t cmd)
{
    switch (cmd) {
    case OPTS_BENCH:
        return "  --quick            smaller sizes, fewer repetitions\n"
               "  --json             print the figures as one JSON object\n"
               "  --reference CMD    also run the reference notebook's algorithm on the seed job\n"
               "                     (CMD: a program and its words, split at spaces; given\n"
               "                     --vectors N it prints \"moved K of N\" per step), paired with ours\n"
               "  --libmemcached CMD also run the ketama job in libmemcached (given --nodes N\n"
               "                     --keys K --remove-first), paired with ours\n";
    case OPTS_RECORD:
        return "  --out FILE         .mp4 | .y4m | .png | DIR/ (numbered PNG frames)\n"
               "  --size WxH         frame size (default 1280x720)\n"
               "  --fps N            frames per second (default 60)\n"
               "  --duration S       stop after S seconds (default: when settled)\n"
               "  --force            DIR/: replace a folder that is not empty\n"
               "  --look clean|full  clean (default): title, counter, nodes, distribution\n"
               "                     panel and captions; full: the app's controls too\n";
    default:
        return "";
    }
}

void opts_help_wrap(FILE *f, const char *text, size_t indent, size_t width)
{
    size_t col = indent;
    int first = 1;
    for (const char *p = text; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        if (!first && col + 1 + n > width) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
            first = 1;
        }
        fprintf(f, "%s%.*s", first ? "" : " ", (int)n, p);
        col += n + !first;
        first = 0;
        p += n;
    }
    fputc('\n', f);
}

void opts_help_option(FILE *f, const char *option, const char *text, size_t width)
{
    fprintf(f, "  %-18s ", option);
    opts_help_wrap(f, text, 21, width);
}

void opts_help_setup(FILE *f)
{
    sim_config_t d;
    sim_config_default(&d);
    char text[160];
    snprintf(text, sizeof text, "initial nodes (default %s..%s; \"\" for none)", d.nodes[0], d.nodes[d.node_count - 1]);
    opts_help_option(f, "--nodes a,b,c", text, 80);
    snprintf(text, sizeof text, "virtual nodes per node (default %u)", d.vnodes);
    opts_help_option(f, "--vnodes N", text, 80);
    snprintf(text, sizeof text, "embeddings (default %llu)", (unsigned long long)d.vectors);
    opts_help_option(f, "--vectors N", text, 80);
    snprintf(text, sizeof text, "embedding dimension (default %u)", d.dim);
    opts_help_option(f, "--dim N", text, 80);
    snprintf(text, sizeof text, "seed of the embedding vectors (default %llu)", (unsigned long long)d.seed);
    opts_help_option(f, "--seed N", text, 80);
}

void opts_help_strategy(FILE *f, const char *before, const char *last, const char *after, size_t width)
{
    char names[(STRAT_COUNT + 4) * 24], text[sizeof names + 256];
    strat_names_join(names, sizeof names, ", ", last, " (default)");
    snprintf(text, sizeof text, "%s%s%s", before, names, after);
    opts_help_option(f, "--strategy NAME", text, width);
    snprintf(text, sizeof text, "a real system's routing and shard moves, bit for bit (README, Real systems): %s",
             strat_preset_names());
    opts_help_option(f, "--preset NAME", text, width);
    opts_help_option(f, "--from-redis FILE",
                     "start from a Redis Cluster's CLUSTER NODES output: its masters (named ip:port) and their "
                     "slots, under --preset redis-cluster",
                     width);
}

void opts_help_params(FILE *f)
{
    for (int k = 0; k < STRAT_COUNT; k++) {
        const strat_ops_t *ops = strat_ops((strat_kind_t)k);
        for (size_t i = 0; i < ops->param_count; i++) {
            const strat_param_t *d = &ops->params[i];
            char option[64];
            snprintf(option, sizeof option, "%s %s", d->flag, d->metavar);
            /* One line each, however long: no wrapping. */
            if (d->def)
                fprintf(f, "  %-18s %s: %s (default %u)\n", option, ops->name, d->help, d->def);
            else
                fprintf(f, "  %-18s %s: %s (default %s)\n", option, ops->name, d->help, d->def_text);
        }
    }
}

void opts_param_flags(char *out, size_t size)
{
    size_t at = 0;
    out[0] = '\0';
    for (int k = 0; k < STRAT_COUNT; k++) {
        const strat_ops_t *ops = strat_ops((strat_kind_t)k);
        for (size_t i = 0; i < ops->param_count && at < size; i++) {
            if (!strat_param_first(&ops->params[i]))
                continue;
            int n = snprintf(out + at, size - at, "%s%s %s", at ? ", " : "", ops->params[i].flag,
                             ops->params[i].metavar);
            at += n > 0 ? (size_t)n : 0;
        }
    }
}

void opts_command_list(char *out, size_t size, int clips)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < scn_verb_count() && at < size; i++) {
        const scn_verb_t *v = scn_verb_at(i);
        if (!clips && (v->arg == SCN_ARG_TEXT || v->arg == SCN_ARG_TEXT_OPT))
            continue;
        int n = snprintf(out + at, size - at, "%s%s", at ? ", " : "", v->usage);
        at += n > 0 ? (size_t)n : 0;
    }
}

void opts_free(opts_t *o)
{
    for (size_t i = 0; i < o->node_count; i++)
        free(o->nodes[i]);
    free(o->nodes);
    scn_free(&o->dos);
    free(o->keys);
    for (size_t i = 0; i < o->key_file_count; i++)
        free(o->key_files[i]);
    free(o->key_files);
    o->key_files = NULL;
    o->key_file_count = 0;
    o->key_cap = 0;
    for (size_t i = 0; i < o->zone_count; i++) {
        free(o->zone_nodes[i]);
        free(o->zone_names[i]);
    }
    free(o->zone_nodes);
    free(o->zone_names);
    o->zone_nodes = o->zone_names = NULL;
    o->zone_count = 0;
    if (o->cluster)
        cn_free(o->cluster);
    free(o->cluster);
    o->cluster = NULL;
    o->keys = NULL;
    o->key_count = 0;
    o->nodes = NULL;
    o->node_count = 0;
}

static int set_nodes(opts_t *o, const char *list, char *err, size_t err_size)
{
    for (size_t i = 0; i < o->node_count; i++)
        free(o->nodes[i]);
    o->node_count = 0;
    if (*list == '\0')
        return 0; /* --nodes "": start with an empty ring */
    size_t items = 1;
    for (const char *p = list; *p; p++)
        items += *p == ',';
    if (items > RS_MAX_NODES) {
        snprintf(err, err_size, "--nodes: %zu nodes listed; the limit is %u", items, RS_MAX_NODES);
        return -1;
    }
    char **nodes = realloc(o->nodes, items * sizeof *nodes);
    if (!nodes) {
        snprintf(err, err_size, "--nodes: out of memory");
        return -1;
    }
    o->nodes = nodes;
    const char *p = list;
    for (size_t k = 0; k < items; k++) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char id[NODEID_MAX + 1], msg[256];
        size_t id_len;
        if (nodeid_normalize(p, len, id, &id_len, msg, sizeof msg) != 0) {
            snprintf(err, err_size, "--nodes: item %zu: %s", k + 1, msg);
            return -1;
        }
        for (size_t j = 0; j < o->node_count; j++) {
            if (strcmp(o->nodes[j], id) == 0) {
                snprintf(err, err_size, "--nodes: node \"%s\" is listed twice", id);
                return -1;
            }
        }
        o->nodes[o->node_count] = malloc(id_len + 1);
        if (!o->nodes[o->node_count]) {
            snprintf(err, err_size, "--nodes: out of memory");
            return -1;
        }
        memcpy(o->nodes[o->node_count++], id, id_len + 1);
        p = comma ? comma + 1 : p + len;
    }
    return 0;
}

static char *copy_text(const char *t)
{
    size_t n = strlen(t) + 1;
    char *c = malloc(n);
    return c ? memcpy(c, t, n) : NULL;
}

/* --zones a=z1,b=z2: each item split at its last '=' (ids may hold '='),
 * every node one of --nodes, listed once. */
static int set_zones(opts_t *o, const char *list, char *err, size_t err_size)
{
    size_t items = 1;
    for (const char *p = list; *p; p++)
        items += *p == ',';
    if (items > RS_MAX_NODES) {
        snprintf(err, err_size, "--zones: %zu items; the limit is %u", items, RS_MAX_NODES);
        return -1;
    }
    o->zone_nodes = calloc(items, sizeof *o->zone_nodes);
    o->zone_names = calloc(items, sizeof *o->zone_names);
    if (!o->zone_nodes || !o->zone_names) {
        snprintf(err, err_size, "--zones: out of memory");
        return -1;
    }
    const char *p = list;
    for (size_t k = 0; k < items; k++) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = NULL;
        for (size_t i = 0; i < len; i++)
            if (p[i] == '=')
                eq = p + i;
        char quoted[80], id[NODEID_MAX + 1], zone[RS_MAX_ZONE_NAME + 1], msg[256];
        nodeid_quote(p, len, quoted, sizeof quoted);
        if (!eq) {
            snprintf(err, err_size, "--zones: item %zu \"%s\" is not NODE=ZONE", k + 1, quoted);
            return -1;
        }
        size_t id_len;
        if (nodeid_normalize(p, (size_t)(eq - p), id, &id_len, msg, sizeof msg) != 0) {
            snprintf(err, err_size, "--zones: item %zu: %s", k + 1, msg);
            return -1;
        }
        if (scn_parse_zone(eq + 1, len - (size_t)(eq - p) - 1, zone, msg, sizeof msg) != 0) {
            snprintf(err, err_size, "--zones: item %zu: %s", k + 1, msg);
            return -1;
        }
        size_t j = 0;
        while (j < o->node_count && strcmp(o->nodes[j], id) != 0)
            j++;
        nodeid_quote(id, id_len, quoted, sizeof quoted);
        if (j == o->node_count) {
            snprintf(err, err_size, "--zones: node \"%s\" is not one of --nodes", quoted);
            return -1;
        }
        for (j = 0; j < o->zone_count; j++) {
            if (strcmp(o->zone_nodes[j], id) == 0) {
                snprintf(err, err_size, "--zones: node \"%s\" is listed twice", quoted);
                return -1;
            }
        }
        o->zone_nodes[o->zone_count] = copy_text(id);
        o->zone_names[o->zone_count] = copy_text(zone);
        o->zone_count++; /* opts_free releases both, NULL or not */
        if (!o->zone_nodes[o->zone_count - 1] || !o->zone_names[o->zone_count - 1]) {
            snprintf(err, err_size, "--zones: out of memory");
            return -1;
        }
        p = comma ? comma + 1 : p + len;
    }
    return 0;
}

/* An option that sets what a command sets (--vnodes, `vnodes N`) has the
 * command's limits: the command table's. */
static int parse_as(scn_op_t op, const char *flag, const char *v, uint64_t *out, char *err, size_t err_size)
{
    const scn_verb_t *verb = scn_verb(op);
    return scn_parse_u64(v, strlen(v), verb->min, verb->max, flag, out, err, err_size);
}

static int parse_size(const char *v, uint32_t *w, uint32_t *h, char *err, size_t err_size)
{
    const char *x = strchr(v, 'x');
    uint64_t a, b;
    char msg[200];
    if (!x) {
        char quoted[64];
        nodeid_quote(v, strlen(v), quoted, sizeof quoted);
        snprintf(err, err_size, "--size: \"%s\" is not WIDTHxHEIGHT (e.g. 1280x720)", quoted);
        return -1;
    }
    if (scn_parse_u64(v, (size_t)(x - v), 16, 8192, "--size width", &a, msg, sizeof msg) != 0 ||
        scn_parse_u64(x + 1, strlen(x + 1), 16, 8192, "--size height", &b, msg, sizeof msg) != 0) {
        snprintf(err, err_size, "%s", msg);
        return -1;
    }
    *w = (uint32_t)a;
    *h = (uint32_t)b;
    return 0;
}

static int parse_seconds(const char *v, double *out, char *err, size_t err_size)
{
    /* Reuse the scenario's wait parser: same rules, same messages. */
    char line[128];
    scn_cmd_t cmd;
    char msg[200];
    if (strlen(v) > 64 || snprintf(line, sizeof line, "wait %s", v) < 0 ||
        scn_parse_line(line, strlen(line), &cmd, msg, sizeof msg) != 0 || cmd.op != SCN_WAIT ||
        cmd.seconds <= 0.0) {
        /* Quoted: the value may hold any bytes, the message goes to a terminal. */
        char quoted[64];
        nodeid_quote(v, strlen(v), quoted, sizeof quoted);
        snprintf(err, err_size, "--duration: \"%s\" is not a number of seconds (0..%g]", quoted,
                 RS_MAX_WAIT_SECONDS);
        return -1;
    }
    *out = cmd.seconds;
    return 0;
}

static int parse_strategy(const char *flag, const char *v, size_t len, strat_kind_t *out, char *err,
                          size_t err_size)
{
    if (strat_parse(v, len, out) == 0)
        return 0;
    char quoted[64];
    nodeid_quote(v, len, quoted, sizeof quoted);
    snprintf(err, err_size, "%s: unknown strategy \"%s\" (expected %s)", flag, quoted, strat_names_list());
    return -1;
}

static int parse_compare(opts_t *o, const char *v, char *err, size_t err_size)
{
    o->compare_count = 0;
    const char *p = v;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        strat_kind_t k;
        if (parse_strategy("--compare", p, len, &k, err, err_size) != 0)
            return -1;
        for (size_t i = 0; i < o->compare_count; i++) {
            if (o->compare[i] == k) {
                snprintf(err, err_size, "--compare: %s is listed twice", strat_name(k));
                return -1;
            }
        }
        o->compare[o->compare_count++] = k;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

/* --hash H: decimal, or hex after 0x; a 64-bit value (32-bit for ketama,
 * checked once the strategy is known). */
static int parse_hash(const char *v, uint64_t *out, char *err, size_t err_size)
{
    char quoted[64];
    nodeid_quote(v, strlen(v), quoted, sizeof quoted);
    if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
        uint64_t h = 0;
        size_t n = strlen(v + 2), lead = 0;
        while (lead + 1 < n && v[2 + lead] == '0')
            lead++; /* leading zeros add nothing, as in decimal */
        for (size_t i = 0; i < n; i++) {
            char c = v[2 + i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0 || n - lead > 16) {
                snprintf(err, err_size, "--hash: \"%s\" is not a 64-bit hash (decimal, or hex after 0x)", quoted);
                return -1;
            }
            h = h << 4 | (uint64_t)d;
        }
        if (n == 0) {
            snprintf(err, err_size, "--hash: \"%s\" is not a 64-bit hash (decimal, or hex after 0x)", quoted);
            return -1;
        }
        *out = h;
        return 0;
    }
    return scn_parse_u64(v, strlen(v), 0, UINT64_MAX, "--hash", out, err, err_size);
}

static int push_key(opts_t *o, const char *id, size_t len, uint64_t hash, char *err, size_t err_size)
{
    if (o->key_count == o->key_cap) {
        /* Doubling: a hundred thousand keys are not a hundred thousand copies. */
        size_t cap = o->key_cap ? 2 * o->key_cap : 64;
        opts_key_t *keys = realloc(o->keys, cap * sizeof *keys);
        if (!keys) {
            snprintf(err, err_size, "out of memory");
            return -1;
        }
        o->keys = keys;
        o->key_cap = cap;
    }
    o->keys[o->key_count++] = (opts_key_t){id, id ? len : 0, hash};
    return 0;
}

/* The whole of path ("-": standard input) as a NUL-terminated buffer of
 * *len bytes (the caller's to free), at most limit bytes; NULL with
 * "FLAG: why" in err. */
static char *slurp(const char *flag, const char *path, size_t limit, size_t *len, char *err, size_t err_size)
{
    char quoted[80];
    nodeid_quote(path, strlen(path), quoted, sizeof quoted);
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot read \"%s\": %s", flag, quoted, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            size_t grown = cap ? 2 * cap : 131072;
            if (n > limit) {
                snprintf(err, err_size, "%s: \"%s\" is larger than %zu MiB", flag, quoted, limit >> 20);
                bad = 1;
                break;
            }
            char *b = realloc(buf, grown);
            if (!b) {
                snprintf(err, err_size, "%s: out of memory reading \"%s\"", flag, quoted);
                bad = 1;
                break;
            }
            buf = b, cap = grown;
        }
        size_t got = fread(buf + n, 1, 65536, f);
        n += got;
        if (got < 65536) {
            if (ferror(f)) {
                snprintf(err, err_size, "%s: cannot read \"%s\": %s", flag, quoted, strerror(errno));
                bad = 1;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Keeps buf with o (keys point into it). */
static int keep_key_bytes(opts_t *o, char *buf, char *err, size_t err_size)
{
    char **files = realloc(o->key_files, (o->key_file_count + 1) * sizeof *files);
    if (!files) {
        snprintf(err, err_size, "out of memory");
        free(buf);
        return -1;
    }
    o->key_files = files;
    o->key_files[o->key_file_count++] = buf;
    return 0;
}

/* --keys FILE (or - for standard input): one key id a line, every byte of
 * it but the newline (and a CR before it). The file's bytes stay with o
 * (key_files): the keys point into them. */
static int read_keys(opts_t *o, const char *path, char *err, size_t err_size)
{
    size_t len;
    char *buf = slurp("--keys", path, RS_MAX_KEYS_FILE, &len, err, err_size);
    if (!buf || keep_key_bytes(o, buf, err, err_size) != 0)
        return -1;
    for (size_t at = 0; at < len;) {
        char *nl = memchr(buf + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - buf) : len, line = end - at;
        if (line && buf[at + line - 1] == '\r')
            line--;
        buf[at + line] = '\0';
        if (push_key(o, buf + at, line, 0, err, err_size) != 0)
            return -1;
        at = end + 1;
    }
    return 0;
}

/* --key-hex HEX: a key of any bytes, two hex digits each. */
static int key_hex(opts_t *o, const char *v, char *err, size_t err_size)
{
    size_t n = strlen(v);
    char quoted[80];
    nodeid_quote(v, n, quoted, sizeof quoted);
    if (n % 2) {
        snprintf(err, err_size, "--key-hex: \"%s\" has an odd number of hex digits (two a byte)", quoted);
        return -1;
    }
    char *buf = malloc(n / 2 + 1);
    if (!buf) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) {
            snprintf(err, err_size, "--key-hex: \"%s\" is not hex (0-9, a-f)", quoted);
            free(buf);
            return -1;
        }
        if (i % 2 == 0)
            buf[i / 2] = (char)(d << 4);
        else
            buf[i / 2] = (char)(buf[i / 2] | d);
    }
    buf[n / 2] = '\0';
    if (keep_key_bytes(o, buf, err, err_size) != 0)
        return -1;
    return push_key(o, buf, n / 2, 0, err, err_size);
}

/* --from-redis FILE: the masters become the nodes (in redis-cli's order),
 * their slots the start of redis-cluster. */
static int from_redis(opts_t *o, char *err, size_t err_size)
{
    size_t len;
    char *text = slurp("--from-redis", o->from_redis, RS_MAX_SCRIPT_BYTES, &len, err, err_size);
    if (!text)
        return -1;
    o->cluster = malloc(sizeof *o->cluster);
    char msg[512], quoted[80];
    nodeid_quote(o->from_redis, strlen(o->from_redis), quoted, sizeof quoted);
    if (!o->cluster || cn_parse(text, len, o->cluster, msg, sizeof msg) != 0) {
        if (o->cluster)
            snprintf(err, err_size, "--from-redis \"%s\": %s", quoted, msg);
        else
            snprintf(err, err_size, "out of memory");
        free(o->cluster);
        o->cluster = NULL;
        free(text);
        return -1;
    }
    free(text);
    const cn_map_t *m = o->cluster;
    if (m->count > RS_MAX_NODES) {
        snprintf(err, err_size, "--from-redis \"%s\": %u masters; the limit is %u", quoted, m->count, RS_MAX_NODES);
        return -1;
    }
    o->nodes = calloc(m->count, sizeof *o->nodes);
    if (!o->nodes) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < m->count; i++) {
        size_t n = strlen(m->masters[i].addr) + 1;
        if (!(o->nodes[i] = malloc(n))) {
            snprintf(err, err_size, "out of memory");
            return -1;
        }
        memcpy(o->nodes[i], m->masters[i].addr, n);
        o->node_count++;
    }
    o->initial = (strat_initial_t){CN_SLOTS, m->slot};
    int at = snprintf(o->notice, sizeof o->notice, "--from-redis: %u master%s", m->count, m->count == 1 ? "" : "s");
    if (m->replicas && at > 0 && (size_t)at < sizeof o->notice)
        at += snprintf(o->notice + at, sizeof o->notice - (size_t)at, ", %u replica%s left out", m->replicas,
                       m->replicas == 1 ? "" : "s");
    if (m->uncovered && at > 0 && (size_t)at < sizeof o->notice)
        at += snprintf(o->notice + at, sizeof o->notice - (size_t)at, ", %u slots served by no master", m->uncovered);
    if (m->markers && at > 0 && (size_t)at < sizeof o->notice)
        snprintf(o->notice + at, sizeof o->notice - (size_t)at,
                 "; %u importing/migrating marker%s ignored (%s): each slot stays with the master listing it",
                 m->markers, m->markers == 1 ? "" : "s", m->first_marker);
    else if (at > 0 && !m->replicas && !m->uncovered)
        o->notice[0] = '\0'; /* nothing worth a word */
    return 0;
}

int opts_parse(int argc, char **argv, int first, opts_cmd_t cmd, opts_t *o, char *err, size_t err_size)
{
    sim_config_t def;
    sim_config_default(&def);
    char default_nodes[RS_MAX_SCRIPT_LINE] = "";
    for (size_t i = 0; i < def.node_count; i++)
        snprintf(default_nodes + strlen(default_nodes), sizeof default_nodes - strlen(default_nodes), "%s%s",
                 i ? "," : "", def.nodes[i]);
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->vnodes = def.vnodes;
    o->vectors = def.vectors;
    o->dim = def.dim;
    o->seed = def.seed;
    o->width = 1280;
    o->height = 720;
    o->fps = 60;
    o->strategy = def.strategy;
    o->params = def.params;
    o->rec_fps = 30;
    const char *nodes_arg = default_nodes, *zones_arg = NULL;
    char msg[512];
    int only_keys = 0, strategy_given = 0;

    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        /* locate: anything not an option is a key; after "--", everything. */
        if (cmd == OPTS_LOCATE && (only_keys || arg[0] != '-' || arg[1] == '\0')) {
            if (push_key(o, arg, strlen(arg), 0, err, err_size) != 0)
                goto fail;
            continue;
        }
        if (cmd == OPTS_LOCATE && strcmp(arg, "--") == 0) {
            only_keys = 1;
            continue;
        }
        const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        const struct flag *f = NULL;
        for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
            if (strlen(flags[k].name) == name_len && strncmp(flags[k].name, arg, name_len) == 0)
                f = &flags[k];
        const strat_param_t *param = f ? NULL : strat_param_find(arg, name_len, NULL);
        struct flag param_flag;
        if (param) {
            param_flag = (struct flag){F_PARAM, param->flag, 1, SCENE};
            f = &param_flag;
        }
        if (!f || !(f->cmds & cmd)) {
            char quoted[80];
            nodeid_quote(arg, strlen(arg), quoted, sizeof quoted);
            if (f)
                snprintf(err, err_size, "%s does not take %s (see %s --help)", cmd_name(cmd), f->name, cmd_name(cmd));
            else if (arg[0] == '-')
                snprintf(err, err_size, "unknown option \"%s\" (see %s --help)", quoted, cmd_name(cmd));
            else
                snprintf(err, err_size, "unexpected argument \"%s\" (see %s --help)", quoted, cmd_name(cmd));
            goto fail;
        }
        const char *v = NULL;
        if (f->takes_value) {
            if (eq)
                v = eq + 1;
            else if (i + 1 < argc)
                v = argv[++i];
            else {
                snprintf(err, err_size, "%s needs a value", f->name);
                goto fail;
            }
        } else if (eq) {
            snprintf(err, err_size, "%s takes no value", f->name);
            goto fail;
        }
        uint64_t n;
        switch (f->id) {
        case F_NODES:
            nodes_arg = v;
            break;
        case F_VNODES:
            if (parse_as(SCN_VNODES, "--vnodes", v, &n, err, err_size) != 0)
                goto fail;
            o->vnodes = (uint32_t)n;
            break;
        case F_VECTORS:
            if (parse_as(SCN_VECTORS, "--vectors", v, &o->vectors, err, err_size) != 0)
                goto fail;
            break;
        case F_DIM:
            if (scn_parse_u64(v, strlen(v), 1, RS_MAX_DIM, "--dim", &n, err, err_size) != 0)
                goto fail;
            o->dim = (uint32_t)n;
            break;
        case F_SEED:
            if (scn_parse_u64(v, strlen(v), 0, UINT64_MAX, "--seed", &o->seed, err, err_size) != 0)
                goto fail;
            break;
        case F_SCRIPT:
            if (*v == '\0') {
                snprintf(err, err_size, "--script needs a file name");
                goto fail;
            }
            o->script = v;
            break;
        case F_DO: {
            scn_cmd_t c;
            int rc = scn_parse_line(v, strlen(v), &c, msg, sizeof msg);
            if (rc != 0) {
                char quoted[80];
                nodeid_quote(v, strlen(v), quoted, sizeof quoted);
                snprintf(err, err_size, "--do \"%s\": %s", quoted, rc > 0 ? "no command given" : msg);
                goto fail;
            }
            if (scn_push(&o->dos, &c) != 0) {
                snprintf(err, err_size, "--do: out of memory");
                goto fail;
            }
            break;
        }
        case F_JSON: o->json = 1; break;
        case F_HELP: o->help = 1; break;
        case F_QUICK: o->quick = 1; break;
        case F_REFERENCE:
        case F_LIBMEMCACHED:
            if (!v[strspn(v, " ")]) {
                snprintf(err, err_size, "%s needs a command", f->name);
                goto fail;
            }
            *(f->id == F_REFERENCE ? &o->reference : &o->libmemcached) = v;
            break;
        case F_OUT:
            if (*v == '\0') {
                snprintf(err, err_size, "--out needs a file name");
                goto fail;
            }
            o->out = v;
            break;
        case F_SIZE:
            if (parse_size(v, &o->width, &o->height, err, err_size) != 0)
                goto fail;
            break;
        case F_FPS:
            if (scn_parse_u64(v, strlen(v), 1, 240, "--fps", &n, err, err_size) != 0)
                goto fail;
            o->fps = (uint32_t)n;
            break;
        case F_DURATION:
            if (parse_seconds(v, &o->duration, err, err_size) != 0)
                goto fail;
            break;
        case F_LOOK:
            if (strcmp(v, "clean") == 0 || strcmp(v, "full") == 0) {
                o->look_full = v[0] == 'f';
            } else {
                char quoted[64];
                nodeid_quote(v, strlen(v), quoted, sizeof quoted);
                snprintf(err, err_size, "--look: \"%s\" is not a look (clean or full)", quoted);
                goto fail;
            }
            break;
        case F_STRATEGY:
            if (parse_strategy("--strategy", v, strlen(v), &o->strategy, err, err_size) != 0)
                goto fail;
            strategy_given |= 1;
            break;
        case F_PRESET:
            if (!strat_is_preset_name(v, strlen(v))) {
                char quoted[64];
                nodeid_quote(v, strlen(v), quoted, sizeof quoted);
                snprintf(err, err_size, "--preset: unknown preset \"%s\" (expected %s)", quoted, strat_preset_names());
                goto fail;
            }
            parse_strategy("--preset", v, strlen(v), &o->strategy, err, err_size);
            strategy_given |= 2;
            break;
        case F_FROM_REDIS:
            if (*v == '\0') {
                snprintf(err, err_size, "--from-redis needs a file name (the output of CLUSTER NODES)");
                goto fail;
            }
            o->from_redis = v;
            break;
        case F_KEY_HEX:
            if (key_hex(o, v, err, err_size) != 0)
                goto fail;
            break;
        case F_PARAM:
            if (scn_parse_u64(v, strlen(v), param->min, param->max, param->flag, &n, err, err_size) != 0)
                goto fail;
            if (param->check && param->check((uint32_t)n, msg, sizeof msg) != 0) {
                snprintf(err, err_size, "%s: %s", param->flag, msg);
                goto fail;
            }
            strat_param_set(&o->params, param, (uint32_t)n);
            break;
        case F_COMPARE:
            if (parse_compare(o, v, err, err_size) != 0)
                goto fail;
            break;
        case F_HASH:
            if (parse_hash(v, &n, err, err_size) != 0 || push_key(o, NULL, 0, n, err, err_size) != 0)
                goto fail;
            break;
        case F_KEYS:
            if (*v == '\0') {
                snprintf(err, err_size, "--keys needs a file name (or - for standard input)");
                goto fail;
            }
            if (read_keys(o, v, err, err_size) != 0)
                goto fail;
            break;
        case F_FORCE: o->force = 1; break;
        case F_REC_FPS:
            if (scn_parse_u64(v, strlen(v), 1, 60, "--rec-fps", &n, err, err_size) != 0)
                goto fail;
            o->rec_fps = (uint32_t)n;
            break;
        case F_REPLICAS:
            if (parse_as(SCN_REPLICAS, "--replicas", v, &n, err, err_size) != 0)
                goto fail;
            o->replicas = (uint32_t)n;
            o->repl_on = 1;
            break;
        case F_ZONES:
            zones_arg = v;
            o->repl_on = 1;
            break;
        case F_RECORD_BYTES:
            if (scn_parse_u64(v, strlen(v), 0, REPL_RECORD_MAX, "--record-bytes", &n, err, err_size) != 0)
                goto fail;
            o->record_bytes = (uint32_t)n;
            o->record_bytes_set = 1;
            o->repl_on = 1;
            break;
        case F_BANDWIDTH:
            if (repl_parse_bandwidth(v, strlen(v), "--bandwidth", &o->bandwidth, err, err_size) != 0)
                goto fail;
            o->repl_on = 1;
            break;
        }
    }
    if (o->help)
        return 0;
    if (strategy_given == 3) {
        snprintf(err, err_size, "--strategy and --preset both name the strategy: give one");
        goto fail;
    }
    if (o->from_redis) {
        /* The file names the nodes and the strategy. */
        if (nodes_arg != default_nodes) {
            snprintf(err, err_size, "--from-redis and --nodes do not go together: the file's masters are the nodes");
            goto fail;
        }
        if (o->compare_count || (strategy_given && o->strategy != STRAT_REDIS)) {
            snprintf(err, err_size, "--from-redis starts redis-cluster from the file's slots: it goes with "
                                    "--preset redis-cluster only (not %s)",
                     o->compare_count ? "--compare" : strat_name(o->strategy));
            goto fail;
        }
        o->strategy = STRAT_REDIS;
        if (from_redis(o, err, err_size) != 0)
            goto fail;
    } else if (set_nodes(o, nodes_arg, err, err_size) != 0) {
        goto fail;
    }
    if (zones_arg && set_zones(o, zones_arg, err, err_size) != 0)
        goto fail;
    if ((uint64_t)o->node_count * o->vnodes > RS_MAX_POINTS) {
        snprintf(err, err_size, "%zu nodes x %u vnodes is %llu ring points; the limit is %u", o->node_count,
                 o->vnodes, (unsigned long long)o->node_count * o->vnodes, RS_MAX_POINTS);
        goto fail;
    }
    if (cmd == OPTS_LOCATE && o->key_count == 0) {
        snprintf(err, err_size, "ringscope locate needs at least one KEY (or --hash H)");
        goto fail;
    }
    /* --compare names every strategy a run uses; a --strategy beside it
     * would be silently ignored. */
    if (o->compare_count && strategy_given) {
        snprintf(err, err_size, "--%s and --compare do not go together: --compare names the strategies "
                                "(add %s to its list)", strategy_given == 2 ? "preset" : "strategy",
                 strat_name(o->strategy));
        goto fail;
    }
    /* The parameters given must suit every strategy the run starts with. */
    for (size_t i = 0; i < (o->compare_count ? o->compare_count : 1); i++) {
        if (strat_params_check(o->compare_count ? o->compare[i] : o->strategy, &o->params, err, err_size) != 0)
            goto fail;
    }
    /* The visualizer shows 2 to 4 strategies side by side (sim tabulates
     * any number). */
    if ((cmd == OPTS_APP || cmd == OPTS_RECORD) && o->compare_count &&
        (o->compare_count < 2 || o->compare_count > OPTS_COMPARE_PANES)) {
        snprintf(err, err_size, "--compare: %s shows 2 to %d strategies side by side (%zu given)", cmd_name(cmd),
                 OPTS_COMPARE_PANES, o->compare_count);
        goto fail;
    }
    if (cmd == OPTS_RECORD && !o->out) {
        snprintf(err, err_size, "ringscope record needs --out FILE (.mp4, .y4m, .png or DIR/)");
        goto fail;
    }
    return 0;
fail:
    opts_free(o);
    return -1;
}

/* ---- limits of a whole scenario ------------------------------------------
 * A command that would pass RS_MAX_NODES or RS_MAX_POINTS is refused with
 * its FILE:LINE before any command runs (scn_limits.h). */

/* "FILE:LINE: CMD: what" for a script line, "--do \"CMD\": what" else. */
static void command_message(const opts_t *o, const scn_cmd_t *c, const char *what, char *err, size_t err_size)
{
    char cmd[NODEID_MAX + RS_MAX_ZONE_NAME + 32];
    scn_format(c, cmd, sizeof cmd);
    if (c->line && o->script)
        snprintf(err, err_size, "%s:%u: %s: %s", o->script, c->line, cmd, what);
    else
        snprintf(err, err_size, "--do \"%s\": %s", cmd, what);
}

/* Checks sc under strategy kind (weights need a strategy that honours
 * them; `strategy` commands switch it). */
static int check_limits(const opts_t *o, const scn_script_t *sc, strat_kind_t kind, char *err, size_t err_size)
{
    size_t bad = 0;
    char what[160];
    int rc = scn_limits_check((const char *const *)o->nodes, o->node_count, o->vnodes, kind, sc, &bad, what,
                              sizeof what);
    if (rc == 0)
        return 0;
    if (rc == -2) {
        snprintf(err, err_size, "%s", what);
        return -1;
    }
    command_message(o, &sc->cmds[bad], what, err, err_size);
    return -1;
}

/* A strategy's own commands (move, rebalance) depend on where the shards
 * are at that point, which only the scenario's run tells: it runs first on
 * the same setup without keys (where shards go does not depend on them), so
 * a refused command stops everything before any output. */
static int check_own_commands(const opts_t *o, const scn_script_t *sc, strat_kind_t kind, char *err,
                              size_t err_size)
{
    int own = 0;
    for (size_t i = 0; i < sc->count; i++)
        own |= scn_verb(sc->cmds[i].op)->own;
    if (!own)
        return 0;
    sim_config_t cfg;
    opts_sim_config(o, &cfg);
    cfg.strategy = kind;
    cfg.vectors = 0;
    sim_t s;
    sim_step_t step;
    char what[1024];
    int rc = 0;
    /* A setup that fails here fails the same way in the real run, which
     * says so. */
    if (sim_init(&s, &cfg, &step, what, sizeof what) == 0) {
        for (size_t i = 0; i < sc->count && rc == 0; i++) {
            if (sc->cmds[i].op == SCN_VECTORS)
                continue;
            if (sim_apply(&s, &sc->cmds[i], &step, what, sizeof what) != 0) {
                command_message(o, &sc->cmds[i], what, err, err_size);
                rc = -1;
            }
        }
    }
    sim_free(&s);
    return rc;
}

int opts_scenario(const opts_t *o, scn_script_t *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (o->script && scn_load(o->script, out, err, err_size) != 0)
        return -1;
    for (size_t i = 0; i < o->dos.count; i++) {
        if (scn_push(out, &o->dos.cmds[i]) != 0) {
            snprintf(err, err_size, "out of memory");
            scn_free(out);
            return -1;
        }
    }
    /* A strategy a script switches to takes the parameters given too. */
    for (size_t i = 0; i < out->count; i++) {
        char msg[512];
        if (out->cmds[i].op == SCN_STRATEGY &&
            strat_params_check((strat_kind_t)out->cmds[i].value, &o->params, msg, sizeof msg) != 0) {
            command_message(o, &out->cmds[i], msg, err, err_size);
            scn_free(out);
            return -1;
        }
    }
    /* Under --compare the scenario must hold for every strategy listed. */
    size_t runs = o->compare_count ? o->compare_count : 1;
    for (size_t i = 0; i < runs; i++) {
        strat_kind_t kind = o->compare_count ? o->compare[i] : o->strategy;
        char msg[1024];
        if (check_limits(o, out, kind, msg, sizeof msg) != 0 || check_own_commands(o, out, kind, msg, sizeof msg) != 0) {
            if (o->compare_count)
                snprintf(err, err_size, "under %s: %s", strat_name(kind), msg);
            else
                snprintf(err, err_size, "%s", msg);
            scn_free(out);
            return -1;
        }
    }
    return 0;
}

void opts_sim_config(const opts_t *o, sim_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->nodes = (const char *const *)o->nodes;
    cfg->node_count = o->node_count;
    cfg->vnodes = o->vnodes;
    cfg->vectors = o->vectors;
    cfg->dim = o->dim;
    cfg->seed = o->seed;
    cfg->strategy = o->strategy;
    cfg->params = o->params;
    cfg->params.initial = o->cluster ? &o->initial : NULL;
    cfg->repl_on = o->repl_on;
    cfg->replicas = o->replicas;
    cfg->record_bytes = o->record_bytes;
    cfg->record_bytes_set = o->record_bytes_set;
    cfg->bandwidth = o->bandwidth;
    cfg->zone_nodes = (const char *const *)o->zone_nodes;
    cfg->zone_names = (const char *const *)o->zone_names;
    cfg->zone_count = o->zone_count;
}
