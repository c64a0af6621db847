/* opts — the command line shared by every ringscope command.
 *
 * One table of flags; each command accepts the subset it uses. Node ids from
 * --nodes are normalized and checked, sizes are range-checked against
 * core/rs_limits.h before anything is allocated, and --do commands are parsed
 * with the scenario parser. The --script file is only named here; commands
 * load it (that is I/O, not parsing of arguments).
 *
 * Memory: opts_t owns its node list and --do script; opts_free releases them.
 * Errors: opts_parse returns 0, or -1 with a message (a usage error: exit 2).
 */
#ifndef RINGSCOPE_OPTS_H
#define RINGSCOPE_OPTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "clusternodes.h"
#include "scn.h"
#include "strat.h"

typedef enum opts_cmd {
    OPTS_APP = 1 << 0,    /* ringscope [options]: the visualizer */
    OPTS_SIM = 1 << 1,    /* ringscope sim */
    OPTS_RECORD = 1 << 2, /* ringscope record */
    OPTS_BENCH = 1 << 3,  /* ringscope bench */
    OPTS_LOCATE = 1 << 4, /* ringscope locate */
} opts_cmd_t;

/* One thing `locate` was asked about: a key id, or (--hash) a key hash. */
typedef struct opts_key {
    const char *id;        /* points into argv, a --keys file or a --key-hex's bytes; NULL for --hash */
    size_t len;            /* of id */
    uint64_t hash;
} opts_key_t;

#define OPTS_COMPARE_PANES 4 /* the visualizer's --compare: at most this many panes */

typedef struct opts {
    opts_cmd_t cmd;
    char **nodes;          /* normalized ids */
    size_t node_count;
    uint32_t vnodes;
    uint64_t vectors;
    uint32_t dim;
    uint64_t seed;
    const char *script;    /* --script FILE, or NULL */
    scn_script_t dos;      /* --do commands, in order */
    int json;
    int help;
    int quick;             /* bench --quick */
    const char *reference; /* bench --reference CMD, or NULL */
    const char *libmemcached; /* bench --libmemcached CMD, or NULL */
    const char *out;       /* record --out */
    uint32_t width, height;/* --size WxH */
    uint32_t fps;
    double duration;       /* record --duration; 0: until settled */
    int look_full;         /* record --look full (default clean: no controls) */
    strat_kind_t strategy; /* --strategy or --preset (default ring) */
    strat_params_t params; /* --table, --balance, --probes, --shards, ... as given (0: not given) */
    strat_kind_t compare[STRAT_COUNT]; /* --compare S1,S2,... (sim: any; app, record: 2 to OPTS_COMPARE_PANES) */
    size_t compare_count;
    int repl_on;           /* a replication option was given */
    uint32_t replicas;     /* --replicas (0: not given) */
    uint32_t record_bytes; /* --record-bytes */
    int record_bytes_set;
    double bandwidth;      /* --bandwidth in bytes per second (0: default) */
    char **zone_nodes;     /* --zones a=z1,...: node ids (in --nodes) */
    char **zone_names;     /* and their zones */
    size_t zone_count;
    opts_key_t *keys;      /* locate: keys, --keys lines and --hash values, in order */
    size_t key_count, key_cap;
    char **key_files;      /* the --keys files' bytes, which keys point into */
    size_t key_file_count;
    int force;             /* record --force: replace a non-empty DIR/ */
    uint32_t rec_fps;      /* visualizer --rec-fps: live recording frame rate */
    /* --from-redis FILE: a real cluster's CLUSTER NODES, the masters the
     * nodes and their slots the start (strat_params_t.initial). */
    const char *from_redis;
    cn_map_t *cluster;     /* its map, owned */
    strat_initial_t initial;
    char notice[256];      /* what the command tells on stderr before it runs, or "" */
} opts_t;

/* Parses argv[first..argc-1] for command cmd, after filling defaults. */
int opts_parse(int argc, char **argv, int first, opts_cmd_t cmd, opts_t *o, char *err, size_t err_size);
void opts_free(opts_t *o);

/* The scenario to run: the --script file's commands, then the --do ones.
 * Returns 0, or -1 with "FILE:LINE: message" / "FILE: message" in err. */
int opts_scenario(const opts_t *o, scn_script_t *out, char *err, size_t err_size);

/* sim_config_t for these options (points into o). */
struct sim_config;
void opts_sim_config(const opts_t *o, struct sim_config *cfg);

/* The options part of the help text for cmd. */
const char *opts_help(opts_cmd_t cmd);

/* Help lines built from the tables (strategies, defaults), so a new
 * strategy or parameter shows up in every command's --help:
 *   opts_help_option    "  OPTION" padded to column 21, then text, its
 *                       words wrapped so no line passes width columns
 *                       (continuations start at column 21)
 *   opts_help_setup     --nodes, --vnodes, --vectors, --dim, --seed with
 *                       their defaults (sim_config_default)
 *   opts_help_strategy  --strategy NAME: before, the names ("ring
 *                       (default), modulo, ..., weaviate" then last, e.g.
 *                       " or ", then "memcached"), after; and --preset
 *                       NAME with the presets' names
 *   opts_help_params    one line per strategy parameter ("--table M
 *                       maglev: ... (default 65537)")
 *   opts_param_flags    "--table M, --balance P, --probes K, ..." into out
 *                       (each flag once)
 *   opts_command_list   "add ID, remove ID, ..., heal" from the command
 *                       table (clips: with title and caption) into out */
/* text wrapped at width, every line after the first indented by indent. */
void opts_help_wrap(FILE *f, const char *text, size_t indent, size_t width);
void opts_help_option(FILE *f, const char *option, const char *text, size_t width);
void opts_help_setup(FILE *f);
void opts_help_strategy(FILE *f, const char *before, const char *last, const char *after, size_t width);
void opts_help_params(FILE *f);
void opts_param_flags(char *out, size_t size);
void opts_command_list(char *out, size_t size, int clips);

#endif
