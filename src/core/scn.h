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
 *   # comment       and blank lines are ignored; CRLF endings are accepted
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
} scn_op_t;

#define SCN_TITLE_SECONDS 2.5 /* a title card's time on screen, fades included */

typedef struct scn_cmd {
    scn_op_t op;
    char node[NODEID_MAX + 1]; /* add / remove / weight / zone / fail / recover: normalized id;
                                  title / caption: the text, trimmed ("" for a caption alone) */
    char zone[RS_MAX_ZONE_NAME + 1]; /* zone: the zone's name */
    uint32_t node_len;
    uint64_t value;            /* vnodes / vectors / weight / replicas / strategy (strat_kind_t) */
    double seconds;            /* wait */
    uint32_t line;             /* 1-based line in its source; 0 if none */
} scn_cmd_t;

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
