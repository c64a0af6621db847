/* cmd — the headless commands of the ringscope executable.
 * Each takes the whole argv (argv[1] is the command's name) and returns the
 * process exit code: 0 success, 2 usage error (bad flags or script), 1 any
 * other failure; messages go to stderr. */
#ifndef RINGSCOPE_CMD_H
#define RINGSCOPE_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "opts.h"
#include "sim.h"

#define RS_VERSION "0.1.0"

enum { CMD_OK = 0, CMD_FAIL = 1, CMD_USAGE = 2, CMD_GO = -1 };

int cmd_sim(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_locate(int argc, char **argv);

/* Renderer figures for `ringscope bench` (issue 6, figure 6). The renderer
 * lives outside the command-line library, so bench cannot call it directly:
 * an executable built with the renderer points bench_render_hook at a
 * function that renders `particles` embeddings offscreen and fills *out
 * (returns 0; on failure returns -1 with the reason in out->backend). While
 * it is NULL, bench reports the renderer as not built. */
typedef struct bench_render {
    uint64_t particles;          /* embeddings drawn */
    double ms_idle;              /* median CPU ms per frame, nothing moving */
    double ms_flight;            /* median CPU ms per frame during a flight */
    uint64_t idle_upload_bytes;  /* bytes sent to the GPU in an idle frame */
    /* The settled app in its real desktop loop, as % of one core (the whole
     * process): sleeping until something changes, against drawing every
     * frame as the loop did before; at idle_vectors[k] embeddings. */
    uint64_t idle_vectors[2];
    double idle_cpu_pct[2], busy_cpu_pct[2];
    double idle_seconds;         /* wall time of each of those measurements */
    /* A dense ring, 400 nodes x 10,000 vnodes (4,000,000 points): wall ms
     * per frame, rasterizer included (glFinish), drawing the visible points
     * thinned to SCENE_POINT_MAX against drawing every point. */
    double ms_dense_thinned, ms_dense_all;
    /* Compare mode, 4 panes of 100,000 embeddings each at 1280x720:
     * wall ms per frame at rest and in flight (an added node), against one
     * pane of as many at rest; bytes an idle 4-pane frame uploads. */
    double ms_four_panes_idle, ms_four_panes_flight, ms_one_pane;
    uint64_t four_panes_idle_upload_bytes;
    char backend[128];           /* GL renderer string, or why it failed */
} bench_render_t;
typedef int (*bench_render_fn)(uint64_t particles, int quick, bench_render_t *out);
extern bench_render_fn bench_render_hook;

/* Where a scenario command came from, for messages: "FILE:LINE" for a
 * script line, else the command itself ("--do \"add nodeF\""). */
void cmd_step_where(const opts_t *o, const scn_cmd_t *c, char *buf, size_t size);

/* Sees each step of a run (index 0: the init step); non-zero stops it. */
typedef int (*cmd_step_fn)(void *ctx, const sim_t *s, const sim_step_t *step, size_t index);

/* Builds the simulation of o's setup under strategy kind and runs script
 * on it, showing on_step (if any) every step; no-ops (adding a node that is
 * there, …) are told on stderr when tell_noops. Returns 0, on_step's
 * non-zero value, or -1 with "WHERE: message" in err. The caller frees *s
 * (sim_free) whatever the result. */
int cmd_run(const opts_t *o, const scn_script_t *script, strat_kind_t kind, int tell_noops, sim_t *s,
            cmd_step_fn on_step, void *ctx, char *err, size_t err_size);
/* The same over key hashes made already (sim --compare: one set for every
 * strategy; NULL: hashed here). */
int cmd_run_keys(const opts_t *o, const scn_script_t *script, strat_kind_t kind, const sim_keys_t *keys,
                 int tell_noops, sim_t *s, cmd_step_fn on_step, void *ctx, char *err, size_t err_size);

/* Prints "ringscope: " + message to stderr. */
void cmd_error(const char *fmt, ...);

/* The exit code once stdout is written: CMD_OK, or CMD_FAIL with the
 * reason on stderr when it could not be (a full disk, a closed pipe):
 * output that was lost is never a success. */
int cmd_flush_stdout(void);

/* Parses argv[first..] for cmd, prints usage() for --help, and loads the
 * scenario (--script, then --do). Returns CMD_GO with *o and *script to free
 * when the command should run; otherwise the exit code, with the message
 * printed and nothing left to free. */
int cmd_begin(int argc, char **argv, int first, opts_cmd_t cmd, void (*usage)(void), opts_t *o,
              scn_script_t *script);

#endif
