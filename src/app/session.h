/* session — what the user did in the app, kept as a scenario with its
 * timing, to save as a script that `ringscope record --script` (or `sim
 * --script`) replays into the same sequence.
 *
 *   session_begin(&s, &config)    forget everything; remember the start
 *   session_add(&s, &cmd, clock)  after each command that ran: its line,
 *                                 preceded by `wait S` for the time since
 *                                 the previous one (animation clock)
 *   session_text(&s, buf, n)      the script: a header naming the options
 *                                 to replay it with, then the commands
 *   session_free(&s)
 *
 * Memory: the session owns its growing buffer; past RS_MAX_SCRIPT_BYTES (the
 * largest script that loads) it stops growing and the script says so.
 * Errors: session_add fails quietly (out of memory: the script says it is
 * cut short); nothing here exits or prints.
 */
#ifndef RINGSCOPE_SESSION_H
#define RINGSCOPE_SESSION_H

#include <stddef.h>

#include "scn.h"
#include "sim.h"

typedef struct session {
    char *text;          /* the commands, one a line */
    size_t len, cap;
    size_t count;        /* commands kept */
    size_t saved;        /* commands kept when last saved (count > saved: unsaved changes) */
    double last;         /* clock of the previous command */
    int cut;             /* commands were dropped (size limit or memory) */
    char options[4096];  /* the starting options, for the header */
    char compare[64];    /* "ring,modulo": the compare panes when saved ("": one pane) */
} session_t;

void session_begin(session_t *s, const sim_config_t *config);
void session_add(session_t *s, const scn_cmd_t *cmd, double clock);
/* The strategies shown side by side ("ring,modulo"; NULL or "": one pane):
 * the header's replay commands then carry --compare. A pane added later is
 * built from the starting options and every command, as a replay is. */
void session_set_compare(session_t *s, const char *list);
/* 1 if commands ran since the session was last saved (or ever, unsaved). */
int session_unsaved(const session_t *s);
/* The script was saved: what ran so far is kept. */
void session_mark_saved(session_t *s);
/* The whole script into a new buffer (malloc; the caller frees), or NULL. */
char *session_text(const session_t *s, size_t *len);
void session_free(session_t *s);

#endif
