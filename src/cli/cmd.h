/* cmd — the headless commands of the ringscope executable.
 * Each takes the whole argv (argv[1] is the command's name) and returns the
 * process exit code: 0 success, 2 usage error (bad flags or script), 1 any
 * other failure; messages go to stderr. */
#ifndef RINGSCOPE_CMD_H
#define RINGSCOPE_CMD_H

#define RS_VERSION "0.1.0"

enum { CMD_OK = 0, CMD_FAIL = 1, CMD_USAGE = 2 };

int cmd_sim(int argc, char **argv);

/* Prints "ringscope: " + message to stderr. */
void cmd_error(const char *fmt, ...);

#endif
