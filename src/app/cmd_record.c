/* ringscope record: renders a scenario headless on a fixed timestep and
 * writes it as a video (.mp4, .y4m), a PNG sequence (DIR/) or the final
 * frame (.png). */
#define _POSIX_C_SOURCE 200809L

#include "app.h"
#include "app_main.h"
#include "cmd.h"
#include "opts.h"
#include "rec.h"
#include "vid.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RECORD_LEAD_IN 0.5 /* seconds of the initial ring before the first command */
#define RECORD_HOLD 1.0    /* seconds of the settled end, so a clip does not stop abruptly */

static void record_usage(void)
{
    printf("usage: ringscope record --out OUT [options]\n"
           "\n"
           "Renders a scenario headless (no display needed) on a fixed timestep: the\n"
           "same script always gives the same frames. Commands run at their time,\n"
           "`wait S` advances the clock, and the recording ends once the last\n"
           "animation has settled (or at --duration).\n"
           "\n"
           "  --out OUT          demo.mp4  H.264 (yuv420p, +faststart) through ffmpeg\n"
           "                     demo.y4m  uncompressed YUV4MPEG2, needs nothing else\n"
           "                     shot.png  the final frame\n"
           "                     frames/   numbered PNG frames (frame_000000.png, ...)\n"
           "  --size WxH         frame size (default 1280x720; even for video)\n"
           "  --fps N            frames per second (default 60)\n"
           "  --duration S       stop at S seconds (default: when settled)\n"
           "  --look clean|full  clean (default): title, counter, nodes, distribution\n"
           "                     panel and captions; full: the app's controls too\n");
    /* Defaults and strategy names from the tables (opts.h). */
    opts_help_setup(stdout);
    opts_help_strategy(stdout, "", ", ", "", 81);
    printf("  --compare S1,S2    2 to 4 strategies side by side, every command in each\n"
           "  --script FILE      scenario (add ID, remove ID, vnodes N, vectors N, wait S,\n"
           "                     title TEXT, caption TEXT, ...)\n"
           "  --do \"CMD\"         one more command, after the script (repeatable)\n"
           "  --force            DIR/: replace a folder that is not empty (refused otherwise)\n"
           "\n"
           "Example scenarios are in assets/scenarios/. A progress bar with the frame\n"
           "count and ETA goes to stderr when it is a terminal.\n"
           "\n"
           "Output is written under a hidden temporary name next to it and renamed\n"
           "into place when complete. Ctrl-C (SIGINT), SIGTERM or SIGHUP stop within a\n"
           "frame, remove the temporary file and exit 128+signal (130 for Ctrl-C).\n"
           "\n"
           "Exit status: 0 ok, 2 bad arguments or script, 1 other failure (nothing is\n"
           "left behind on failure), 128+N when stopped by signal N.\n");
}

typedef struct record {
    vid_t *vid;
    const char *out;
    uint64_t expected;   /* frames, estimated */
    int progress;        /* stderr is a terminal */
    int shown;           /* a progress line is on screen, not yet ended */
    double started, last_shown;
} record_t;

/* The signal that asked us to stop (SIGINT, SIGTERM, SIGHUP), or 0. */
static volatile sig_atomic_t record_signal;

static void on_stop_signal(int sig) { record_signal = sig; }

/* No SA_RESTART: a blocking write to ffmpeg or a wait for it returns EINTR,
 * so the stop is seen within a frame. Installed before SDL starts, which
 * then leaves these signals alone. */
static void catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    vid_set_stop_flag(&record_signal);
}

/* An error on its own line, after an unfinished progress bar. */
static void record_error(record_t *r, const char *msg)
{
    if (r->shown) {
        fputc('\n', stderr);
        r->shown = 0;
    }
    cmd_error("%s", msg);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void show_progress(record_t *r, uint64_t frames, int done)
{
    double now = now_seconds();
    if (!done && now - r->last_shown < 0.1)
        return;
    r->last_shown = now;
    r->shown = !done;
    uint64_t total = frames > r->expected ? frames : r->expected;
    double frac = total ? (double)frames / (double)total : 1.0;
    if (done)
        frac = 1.0;
    char bar[31];
    int fill = (int)(frac * 30.0);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[30] = '\0';
    double elapsed = now - r->started;
    double fps = elapsed > 0 ? (double)frames / elapsed : 0.0;
    if (done)
        fprintf(stderr, "\r%s [%s] %llu frames in %.1f s (%.0f fps)      \n", r->out, bar,
                (unsigned long long)frames, elapsed, fps);
    else
        fprintf(stderr, "\r%s [%s] %llu/~%llu frames  ETA %.0f s   ", r->out, bar, (unsigned long long)frames,
                (unsigned long long)total, fps > 0 ? (double)(total - frames) / fps : 0.0);
    fflush(stderr);
}

static int vid_sink(void *user, const rec_frame_t *f, char *err, size_t err_size)
{
    record_t *r = user;
    if (vid_frame(r->vid, f->rgba, err, err_size) != 0)
        return -1;
    if (r->progress)
        show_progress(r, vid_frames(r->vid), 0);
    return 0;
}

int cmd_record(int argc, char **argv)
{
    opts_t o;
    scn_script_t script;
    char err[PATH_MAX + 1024]; /* messages name the output path, up to PATH_MAX bytes */
    int begin = cmd_begin(argc, argv, 2, OPTS_RECORD, record_usage, &o, &script);
    if (begin != CMD_GO)
        return begin;
    vid_kind_t kind;
    if (vid_kind_from_path(o.out, &kind, err, sizeof err) != 0 ||
        vid_check_size(kind, o.out, o.width, o.height, err, sizeof err) != 0) {
        cmd_error("%s", err);
        scn_free(&script);
        opts_free(&o);
        return CMD_USAGE;
    }
    /* Headless: SDL's offscreen driver gives a real GLES context through
     * EGL without any display. A driver the user chose is respected. */
    if (!SDL_getenv("SDL_VIDEODRIVER"))
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
    int still = kind == VID_PNG;
    /* A still is a video's final frame: the same timeline (lead-in, hold:
     * captions and fades have finished), only not drawn on the way. */
    rec_desc_t rd = {.fps = o.fps, .duration = o.duration, .source = o.script, .sink = vid_sink,
                     .every_frame = !still, .lead_in = RECORD_LEAD_IN, .hold = RECORD_HOLD};
    record_t r = {.out = o.out, .progress = !still && isatty(STDERR_FILENO)};
    r.expected = (uint64_t)(rec_estimate(&script, &rd) * o.fps + 0.5);
    rd.user = &r;
    rd.stop = &record_signal;
    int rc = CMD_OK;
    catch_stop_signals();
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    /* Open the output first: an unwritable place or a missing ffmpeg is
     * reported before any rendering. */
    r.vid = vid_open(o.out, o.width, o.height, o.fps, o.force ? VID_FORCE : 0, err, sizeof err);
    if (!r.vid) {
        record_error(&r, err);
        rc = CMD_FAIL;
        goto out;
    }
    app_desc_t desc = {.width = (int)o.width, .height = (int)o.height, .headless = 1, .title = "Ringscope",
                       .look = o.look_full ? APP_LOOK_FULL : APP_LOOK_CLEAN};
    opts_sim_config(&o, &desc.sim);
    desc.compare = o.compare;
    desc.compare_count = o.compare_count;
    if (app_init(&desc, err, sizeof err) != 0) {
        record_error(&r, err);
        vid_close(r.vid, 0, NULL, 0);
        rc = CMD_FAIL;
        goto out;
    }
    if (app_get()->fb_w != (int)o.width || app_get()->fb_h != (int)o.height) {
        snprintf(err, sizeof err, "the renderer gave a %dx%d frame instead of %ux%u", app_get()->fb_w,
                 app_get()->fb_h, o.width, o.height);
        record_error(&r, err);
        vid_close(r.vid, 0, NULL, 0);
        rc = CMD_FAIL;
    } else {
        r.started = now_seconds();
        int ok = !record_signal && rec_run(&script, &rd, err, sizeof err) == 0;
        uint64_t frames = vid_frames(r.vid);
        if (ok && vid_close(r.vid, 1, err, sizeof err) != 0)
            ok = 0;
        else if (!ok)
            vid_close(r.vid, 0, NULL, 0);
        if (record_signal) {
            /* Whatever failed on the way, the cause is the signal. */
            record_error(&r, "interrupted");
            rc = 128 + record_signal;
        } else if (!ok) {
            record_error(&r, err);
            rc = CMD_FAIL;
        } else {
            if (r.progress)
                show_progress(&r, frames, 1);
            rc = CMD_OK;
        }
    }
    app_shutdown();
out:
    scn_free(&script);
    opts_free(&o);
    return rc;
}
