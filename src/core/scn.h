/* scn — scenario scripts: one command a line, parsed in full before any runs.
 *
 *   add ID          add a node (ID: the rest of the line, trimmed)
 *   remove ID       remove a node
 *   vnodes N        rebuild the ring with N virtual nodes per node
 *   vectors N       grow (or shrink) the store to N embeddings
 *   wait SECONDS    advance the timeline (recordings); no change
 *   strategy NAME   switch the placement strategy (a full re-placement)
 *   weight ID W     give node ID weight W (1..1000; W is the last word, ID
 *                   the rest of the line, trimmed)
 *   title TEXT      a title card at the start of a clip (the script waits
 *                   for it: SCN_TITLE_SECONDS); changes nothing
 *   caption [TEXT]  a lower-third caption until the next caption; alone:
 *                   none; changes nothing (TEXT: 1..255 bytes of UTF-8)
 *   replicas R      keep R copies of every key (1..8)
 *   zone ID Z       put node ID in zone Z (Z is the last word, ID the rest)
 *   fail ID         crash node ID: it vanishes with its copies
 *   recover ID      bring crashed node ID back, empty, as a new node
 *   heal            make the copies crashes left missing
 *   move SHARD ID   strategies with shards: give shard SHARD to node ID (SHARD
 *                   the first word, ID the rest of the line, trimmed)
 *   rebalance       strategies with shards: run the balancer now
 *   split F         elasticsearch: split every shard into F (the index's
 *                   _split API)
 *   reshard up|down qdrant: add a shard, or remove the last one
 *   partitions P    kafka: raise the topic's partition count to P
 *   # comment       and blank lines are ignored; CRLF endings are accepted
 *
 * The vocabulary is one table (scn_verb_t, one row per command: name, op,
 * argument kind, limits, usage): it drives parsing, formatting, names, the
 * "expected add, remove, ..." message, help lists and scn_cmd_check(), the
 * one check of a command that the parser and the app's controls (which
 * build scn_cmd_t directly) both use. A new command is a row (and its op);
 * a strategy's own commands (a shard map's move, rebalance) are rows marked
 * `own` that sim hands to the strategy in force, which accepts or refuses
 * them (strat_ops_t.command); a system's operation (split) also names the
 * preset it belongs to (scn_verb_t.system), and sim refuses it under any
 * other strategy.
 *
 * Errors come back as -1 with "FILE:LINE: message" in the caller's buffer.
 * Memory: scn_script_t owns its command array; scn_free releases it.
 */
#ifndef RINGSCOPE_SCN_H
#define RINGSCOPE_SCN_H

#include <stddef.h>
#include <stdint.h>

#include "nodeid.h"
#include "rs_limits.h"

typedef enum scn_op {
    SCN_ADD,
    SCN_REMOVE,
    SCN_VNODES,
    SCN_VECTORS,
    SCN_WAIT,
    SCN_STRATEGY,
    SCN_WEIGHT,
    SCN_TITLE,
    SCN_CAPTION,
    SCN_REPLICAS,
    SCN_ZONE,
    SCN_FAIL,
    SCN_RECOVER,
    SCN_HEAL,
    SCN_MOVE,
    SCN_REBALANCE,
    SCN_SPLIT,
    SCN_RESHARD,
    SCN_PARTITIONS,
} scn_op_t;

/* reshard's argument (scn_cmd_t.value). */
enum { SCN_RESHARD_DOWN = 0, SCN_RESHARD_UP = 1 };

#define SCN_TITLE_SECONDS 2.5 /* a title card's time on screen, fades included */

typedef struct scn_cmd {
    scn_op_t op;
    union {
        char node[NODEID_MAX + 1]; /* add / remove / weight / zone / fail / recover / move: normalized id */
        char text[NODEID_MAX + 1]; /* title / caption: the text, trimmed ("" for a caption alone) */
    };
    char zone[RS_MAX_ZONE_NAME + 1]; /* zone: the zone's name */
    union {
        uint32_t node_len;
        uint32_t text_len;
    };
    uint64_t value;            /* vnodes / vectors / weight / replicas / strategy (strat_kind_t) / move: shard /
                                  split: factor / reshard: SCN_RESHARD_UP or _DOWN / partitions: count */
    double seconds;            /* wait */
    uint32_t line;             /* 1-based line in its source; 0 if none */
} scn_cmd_t;

/* What a command's argument is, and so how it is parsed, written back and
 * checked. */
typedef enum scn_arg {
    SCN_ARG_NONE,       /* heal */
    SCN_ARG_NODE,       /* add ID: the rest of the line is a node id */
    SCN_ARG_NUMBER,     /* vnodes N: a whole number in [min, max] */
    SCN_ARG_SECONDS,    /* wait S: plain decimal seconds, 0..RS_MAX_WAIT_SECONDS */
    SCN_ARG_STRATEGY,   /* strategy NAME: a name from the strategy table */
    SCN_ARG_TEXT,       /* title TEXT: the rest of the line, required */
    SCN_ARG_TEXT_OPT,   /* caption [TEXT]: alone, it clears */
    SCN_ARG_NODE_NUMBER,/* weight ID W: W the last word in [min, max], the id before it */
    SCN_ARG_NODE_ZONE,  /* zone ID Z: Z the last word, a zone name */
    SCN_ARG_NUMBER_NODE,/* move SHARD ID: SHARD the first word in [min, max], the id after it */
    SCN_ARG_CHOICE,     /* reshard up|down: one of the row's words; value = its index */
} scn_arg_t;

/* One command of the vocabulary. */
typedef struct scn_verb {
    const char *name;   /* "add" */
    scn_op_t op;
    scn_arg_t arg;
    uint64_t min, max;  /* SCN_ARG_NUMBER, SCN_ARG_NODE_NUMBER, SCN_ARG_NUMBER_NODE */
    const char *usage;  /* "add ID", for help */
    int inert;          /* changes nothing by design (wait, title, caption) */
    int replication;    /* turns replication on (zone, fail, recover, heal) */
    int own;            /* the strategy in force runs it, or refuses it (move, rebalance) */
    const char *system; /* a system's operation: the preset that has it ("elasticsearch"), or NULL */
    const char *const *choices; /* SCN_ARG_CHOICE: the words, NULL-terminated */
} scn_verb_t;

/* The row of op; NULL for a value that is no command. */
const scn_verb_t *scn_verb(scn_op_t op);
/* Rows in order (scn_verb_at(i) for i < scn_verb_count()). */
size_t scn_verb_count(void);
const scn_verb_t *scn_verb_at(size_t i);
/* 1 if the command names a node (its argument has an id). */
int scn_names_node(scn_op_t op);

/* The one check of a built command, whoever built it (the parser, the
 * app's controls): op is a command, ids and texts are what the parser
 * would have made of them, numbers within the row's limits, the strategy
 * one of the table's. 0, or -1 with the parser's message for the same
 * mistake (err may be NULL). */
int scn_cmd_check(const scn_cmd_t *cmd, char *err, size_t err_size);

typedef struct scn_script {
    scn_cmd_t *cmds;
    size_t count, cap;
} scn_script_t;

/* Name of an op as used in scripts and JSON ("add", "remove", ...). */
const char *scn_op_name(scn_op_t op);

/* Parses one command (no comment, no newline). Returns 0, 1 for a blank or
 * comment line (nothing written), or -1 with a message (no location). */
int scn_parse_line(const char *line, size_t len, scn_cmd_t *out, char *err, size_t err_size);

/* Parses a whole text; source names it in messages ("FILE:LINE: ..."). */
int scn_parse(const char *text, size_t len, const char *source, scn_script_t *out, char *err, size_t err_size);

/* Reads and parses a file; a missing file, a directory or unreadable bytes
 * are reported as "FILE: ..." messages. */
int scn_load(const char *path, scn_script_t *out, char *err, size_t err_size);

/* Writes cmd as the script line that parses back to it (no newline) into
 * out; the length it needs, as snprintf. Every command the parser knows has
 * its line here. */
int scn_format(const scn_cmd_t *cmd, char *out, size_t out_size);

/* Appends one command; -1 when out of memory. */
int scn_push(scn_script_t *s, const scn_cmd_t *cmd);

void scn_free(scn_script_t *s);

/* Checks a zone name (len bytes): 1..RS_MAX_ZONE_NAME bytes of UTF-8 without
 * white space or control characters; writes it NUL-terminated into
 * out[RS_MAX_ZONE_NAME + 1]. Shared with --zones. */
int scn_parse_zone(const char *s, size_t len, char *out, char *err, size_t err_size);

/* Parses an unsigned decimal in [min, max] from the whole of s (len bytes);
 * what names the quantity in the message. Shared with the command line. */
int scn_parse_u64(const char *s, size_t len, uint64_t min, uint64_t max, const char *what, uint64_t *out,
                  char *err, size_t err_size);

#endif
