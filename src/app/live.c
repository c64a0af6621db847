#define _POSIX_C_SOURCE 200809L

#include "live.h"

#include <stdio.h>
#include <string.h>

static int live_fps = LIVE_FPS;
static double live_finish_timeout = 5.0;

void live_set_fps(int fps) { live_fps = fps >= 1 && fps <= LIVE_MAX_FPS ? fps : LIVE_FPS; }
int live_get_fps(void) { return live_fps; }
void live_set_finish_timeout(double seconds) { live_finish_timeout = seconds; }

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

/* The browser records the canvas itself: MediaRecorder on its stream. */
static int web_recording;

/* Starts (1) or stops (2) recording the canvas; 0: the browser cannot.
 * EM_JS, not EM_ASM: the project builds as strict C11, where EM_ASM does
 * not compile. */
EM_JS(int, live_web_toggle, (void), {
        if (Module.rsRecorder) {
            Module.rsRecorder.stop();
            return 2;
        }
        if (typeof MediaRecorder === "undefined" || !Module.canvas.captureStream) return 0;
        const type = ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"].find(
            (t) => MediaRecorder.isTypeSupported(t));
        if (!type) return 0;
        const stream = Module.canvas.captureStream(60);
        const rec = new MediaRecorder(stream, {mimeType: type, videoBitsPerSecond: 8e6});
        const chunks = [];
        const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
        let badge = document.getElementById("rs-rec");
        if (!badge) {
            badge = document.createElement("div");
            badge.id = "rs-rec";
            /* In the page's footer line, right end: over the canvas it hid
             * the title. */
            badge.style.cssText = "position:fixed;bottom:2px;right:8px;height:18px;box-sizing:border-box;" +
                "padding:1px 10px;border-radius:9px;background:rgba(40,8,12,.92);color:#ff5c6c;" +
                "font:600 12px/16px sans-serif;pointer-events:none;z-index:10";
            document.body.appendChild(badge);
        }
        const started = performance.now();
        const tick = setInterval(() => {
            const s = Math.floor((performance.now() - started) / 1000);
            badge.textContent = "\u25CF REC " + String(Math.floor(s / 60)).padStart(2, "0") + ":" +
                String(s % 60).padStart(2, "0");
        }, 250);
        badge.textContent = "\u25CF REC 00:00";
        badge.style.display = "block";
        rec.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
        rec.onstop = () => {
            /* A live capture track keeps the canvas in capture mode (every
             * frame copied) until it is stopped: the page would stay slow. */
            stream.getTracks().forEach((t) => t.stop());
            clearInterval(tick);
            badge.style.display = "none";
            const a = document.createElement("a");
            a.href = URL.createObjectURL(new Blob(chunks, {type: "video/webm"}));
            a.download = "ringscope-" + stamp + ".webm";
            document.body.appendChild(a);
            a.click();
            a.remove();
            Module.rsRecorder = null;
        };
        rec.start(250);
        Module.rsRecorder = rec;
        return 1;
});

void live_toggle(int fb_w, int fb_h, live_msg_t *msg)
{
    (void)fb_w;
    (void)fb_h;
    msg->error = 0;
    int ok = live_web_toggle();
    if (ok == 0) {
        msg->error = 1;
        snprintf(msg->text, sizeof msg->text, "This browser cannot record the canvas (no MediaRecorder)");
        return;
    }
    web_recording = ok == 1;
    snprintf(msg->text, sizeof msg->text, "%s", web_recording ? "Recording (F9 stops and downloads a .webm)"
                                                              : "Recording saved as a .webm download");
}

void live_capture(int fb_w, int fb_h, live_msg_t *msg)
{
    (void)fb_w;
    (void)fb_h;
    msg->text[0] = '\0';
}

int live_active(void) { return web_recording; }
int live_finishing(void) { return 0; }
const char *live_indicator(void) { return NULL; }

void live_shutdown(live_msg_t *msg)
{
    msg->text[0] = '\0';
    if (web_recording) {
        live_toggle(0, 0, msg);
    }
}

#else /* desktop */

#include "shot.h"
#include "vid.h"

#include <GLES3/gl3.h>
#include <SDL.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>

#define LIVE_PBOS 3     /* readbacks in flight: map the one issued 2 captures ago */
#define LIVE_QUEUE 6    /* frames waiting for the writer thread */

typedef struct live_frame {
    uint8_t *px;        /* top row first */
    int repeat;         /* output frames it stands for */
} live_frame_t;

static struct {
    int active;
    vid_t *vid;
    int w, h;
    char name[64];
    double t0;          /* wall-clock start, seconds */
    uint64_t scheduled; /* output frames accounted for so far */
    uint64_t dropped;
    char indicator[32];

    GLuint pbo[LIVE_PBOS];
    int pbo_repeat[LIVE_PBOS]; /* 0: nothing in flight in that buffer */
    int slot;

    SDL_Thread *thread;
    SDL_mutex *mu;
    SDL_cond *cv;
    live_frame_t queue[LIVE_QUEUE];
    int head, count, stop, failed;
    char err[600];

    /* Stopping: the writer finishes the file (vid_close) on its own thread
     * while the window keeps drawing; past the deadline the encoder is
     * killed. */
    int finishing, finished, aborted, close_rc;
    uint64_t final_frames;
    long encoder;          /* ffmpeg's pid, 0 for .y4m */
    double deadline;
    char close_err[600];
    char why[160];
} live;


static double wall_seconds(void) { return (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency(); }

int live_active(void) { return live.active; }

const char *live_indicator(void)
{
    if (!live.active)
        return NULL;
    int s = (int)(wall_seconds() - live.t0);
    snprintf(live.indicator, sizeof live.indicator, "REC %02d:%02d", s / 60, s % 60);
    return live.indicator;
}

/* The writer: encodes queued frames in order, off the render thread. */
static int writer(void *arg)
{
    (void)arg;
    SDL_LockMutex(live.mu);
    for (;;) {
        while (live.count == 0 && !live.stop)
            SDL_CondWait(live.cv, live.mu);
        if (live.count == 0)
            break;
        live_frame_t *f = &live.queue[live.head];
        int failed = live.failed;
        SDL_UnlockMutex(live.mu);
        char err[600] = "";
        for (int i = 0; i < f->repeat && !failed; i++)
            if (vid_frame(live.vid, f->px, err, sizeof err) != 0)
                failed = 1;
        SDL_LockMutex(live.mu);
        if (failed && !live.failed) {
            live.failed = 1;
            snprintf(live.err, sizeof live.err, "%s", err);
        }
        live.head = (live.head + 1) % LIVE_QUEUE;
        live.count--;
        SDL_CondBroadcast(live.cv);
    }
    int ok = !live.failed;
    SDL_UnlockMutex(live.mu);
    /* Finishing may wait for the encoder: here, never on the window's thread. */
    uint64_t frames = vid_frames(live.vid);
    char err[600] = "";
    int rc = vid_close(live.vid, ok && frames > 0, err, sizeof err);
    SDL_LockMutex(live.mu);
    live.vid = NULL;
    live.final_frames = frames;
    live.close_rc = rc;
    snprintf(live.close_err, sizeof live.close_err, "%s", err);
    live.finished = 1;
    SDL_UnlockMutex(live.mu);
    return 0;
}

/* Copies a mapped, bottom-up readback into a free queue slot (flipping it),
 * or drops it when the writer is behind. */
static void enqueue(const uint8_t *bottom_up, int repeat)
{
    SDL_LockMutex(live.mu);
    if (live.count == LIVE_QUEUE || live.failed) {
        live.dropped += (uint64_t)repeat;
        SDL_UnlockMutex(live.mu);
        return;
    }
    live_frame_t *f = &live.queue[(live.head + live.count) % LIVE_QUEUE];
    SDL_UnlockMutex(live.mu);
    size_t row = (size_t)live.w * 4;
    for (int y = 0; y < live.h; y++)
        memcpy(f->px + (size_t)y * row, bottom_up + (size_t)(live.h - 1 - y) * row, row);
    f->repeat = repeat;
    SDL_LockMutex(live.mu);
    live.count++;
    SDL_CondSignal(live.cv);
    SDL_UnlockMutex(live.mu);
}

/* Maps PBO slot s (waiting for its copy if needed) and queues its frame. */
static void collect(int s)
{
    if (live.pbo_repeat[s] == 0)
        return;
    size_t bytes = (size_t)live.w * (size_t)live.h * 4;
    glBindBuffer(GL_PIXEL_PACK_BUFFER, live.pbo[s]);
    const uint8_t *px = glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, (GLsizeiptr)bytes, GL_MAP_READ_BIT);
    if (px) {
        enqueue(px, live.pbo_repeat[s]);
        glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
    } else {
        live.dropped += (uint64_t)live.pbo_repeat[s];
    }
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    live.pbo_repeat[s] = 0;
}

static void release(void)
{
    if (live.pbo[0])
        glDeleteBuffers(LIVE_PBOS, live.pbo);
    for (int i = 0; i < LIVE_QUEUE; i++)
        free(live.queue[i].px);
    if (live.cv)
        SDL_DestroyCond(live.cv);
    if (live.mu)
        SDL_DestroyMutex(live.mu);
    memset(&live, 0, sizeof live);
}

/* The outcome once the writer has finished (joined): the user's message. */
static void report(live_msg_t *msg)
{
    SDL_WaitThread(live.thread, NULL);
    live.thread = NULL;
    uint64_t frames = live.final_frames;
    const char *why = live.why;
    if (live.aborted) {
        msg->error = 1;
        snprintf(msg->text, sizeof msg->text,
                 "%sRecording abandoned: the encoder did not finish within %g s, so it was stopped (nothing "
                 "was saved)",
                 why, live_finish_timeout);
    } else if (live.failed) {
        msg->error = 1;
        snprintf(msg->text, sizeof msg->text, "%.140sRecording failed: %.600s", why, live.err);
    } else if (frames == 0) {
        msg->error = 1;
        snprintf(msg->text, sizeof msg->text, "%sRecording stopped before any frame was captured", why);
    } else if (live.close_rc != 0) {
        msg->error = 1;
        snprintf(msg->text, sizeof msg->text, "%.140sRecording failed: %.600s", why, live.close_err);
    } else {
        msg->error = why[0] != '\0';
        double seconds = (double)frames / live_fps;
        if (live.dropped)
            snprintf(msg->text, sizeof msg->text, "%sSaved %s (%.1f s; %llu frames dropped: the encoder fell behind)",
                     why, live.name, seconds, (unsigned long long)live.dropped);
        else
            snprintf(msg->text, sizeof msg->text, "%sSaved %s (%.1f s)", why, live.name, seconds);
    }
    release();
}

/* While finishing: reports once the writer is done, kills the encoder
 * once the deadline has passed. Returns 1 when finished (msg set). */
static int poll_finish(live_msg_t *msg)
{
    SDL_LockMutex(live.mu);
    int finished = live.finished;
    /* Only while the writer has not reported: until then the child is
     * alive or, for the instant between its reaping and the report, its
     * pid not yet reused in practice. */
    if (!finished && !live.aborted && wall_seconds() >= live.deadline && live.encoder > 0) {
        live.aborted = 1;
        kill((pid_t)live.encoder, SIGKILL);
    }
    SDL_UnlockMutex(live.mu);
    if (!finished)
        return 0;
    report(msg);
    return 1;
}

/* Stops capturing and lets the writer finish in the background. */
static void stop(live_msg_t *msg, const char *why)
{
    /* Drain the readbacks still in flight, oldest first. */
    for (int i = 0; i < LIVE_PBOS; i++)
        collect((live.slot + i) % LIVE_PBOS);
    snprintf(live.why, sizeof live.why, "%s", why ? why : "");
    SDL_LockMutex(live.mu);
    live.stop = 1;
    SDL_CondBroadcast(live.cv);
    SDL_UnlockMutex(live.mu);
    live.active = 0;
    live.finishing = 1;
    live.deadline = wall_seconds() + live_finish_timeout;
    if (!poll_finish(msg)) {
        msg->error = 0;
        snprintf(msg->text, sizeof msg->text, "Finishing %s...", live.name);
    }
}

static void start(int fb_w, int fb_h, live_msg_t *msg)
{
    /* 4:2:0 video needs even sizes: drop a last odd row or column. */
    live.w = fb_w & ~1;
    live.h = fb_h & ~1;
    if (live.w < 16 || live.h < 16) {
        msg->error = 1;
        snprintf(msg->text, sizeof msg->text, "The window is too small to record");
        return;
    }
    int mp4 = vid_have_ffmpeg();
    shot_timestamped_name(live.name, sizeof live.name, mp4 ? ".mp4" : ".y4m");
    char err[600];
    size_t bytes = (size_t)live.w * (size_t)live.h * 4;
    live.mu = SDL_CreateMutex();
    live.cv = SDL_CreateCond();
    int ok = live.mu && live.cv;
    for (int i = 0; i < LIVE_QUEUE && ok; i++)
        ok = (live.queue[i].px = malloc(bytes)) != NULL;
    if (!ok) {
        release();
        msg->error = 1;
        snprintf(msg->text, sizeof msg->text, "Cannot record: out of memory");
        return;
    }
    live.vid = vid_open(live.name, (uint32_t)live.w, (uint32_t)live.h, (uint32_t)live_fps, 0, err, sizeof err);
    if (!live.vid) {
        release();
        msg->error = 1;
        snprintf(msg->text, sizeof msg->text, "Cannot record: %s", err);
        return;
    }
    glGenBuffers(LIVE_PBOS, live.pbo);
    for (int i = 0; i < LIVE_PBOS; i++) {
        glBindBuffer(GL_PIXEL_PACK_BUFFER, live.pbo[i]);
        glBufferData(GL_PIXEL_PACK_BUFFER, (GLsizeiptr)bytes, NULL, GL_STREAM_READ);
    }
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    live.thread = SDL_CreateThread(writer, "ringscope-rec", NULL);
    if (!live.thread) {
        vid_close(live.vid, 0, NULL, 0);
        release();
        msg->error = 1;
        snprintf(msg->text, sizeof msg->text, "Cannot record: %s", SDL_GetError());
        return;
    }
    live.encoder = vid_encoder_pid(live.vid);
    live.active = 1;
    live.t0 = wall_seconds();
    msg->error = 0;
    snprintf(msg->text, sizeof msg->text, "Recording to %s%s (F9 stops)", live.name,
             mp4 ? "" : " (ffmpeg not found: uncompressed video)");
}

void live_toggle(int fb_w, int fb_h, live_msg_t *msg)
{
    msg->text[0] = '\0';
    if (live.active)
        stop(msg, NULL);
    else if (live.finishing) {
        msg->error = 1;
        snprintf(msg->text, sizeof msg->text, "Still finishing %s; try again in a moment", live.name);
    } else
        start(fb_w, fb_h, msg);
}

int live_finishing(void) { return live.finishing; }

void live_capture(int fb_w, int fb_h, live_msg_t *msg)
{
    msg->text[0] = '\0';
    if (live.finishing) {
        poll_finish(msg);
        return;
    }
    if (!live.active)
        return;
    if ((fb_w & ~1) != live.w || (fb_h & ~1) != live.h) {
        stop(msg, "The window size changed, so the recording stopped. ");
        return;
    }
    SDL_LockMutex(live.mu);
    int failed = live.failed;
    SDL_UnlockMutex(live.mu);
    if (failed) {
        stop(msg, NULL);
        return;
    }
    /* Real time at live_fps: this frame stands for every output frame that
     * fell due since the last capture (none if we draw faster than that). */
    uint64_t target = (uint64_t)((wall_seconds() - live.t0) * live_fps) + 1;
    if (target <= live.scheduled)
        return;
    uint64_t repeat = target - live.scheduled;
    live.scheduled = target;
    if (repeat > (uint64_t)live_fps) {
        /* A long stall (e.g. the window was hidden): keep one second of it. */
        live.dropped += repeat - (uint64_t)live_fps;
        repeat = (uint64_t)live_fps;
    }
    collect(live.slot);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, live.pbo[live.slot]);
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    glReadPixels(0, fb_h - live.h, live.w, live.h, GL_RGBA, GL_UNSIGNED_BYTE, 0);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    live.pbo_repeat[live.slot] = (int)repeat;
    live.slot = (live.slot + 1) % LIVE_PBOS;
}

void live_shutdown(live_msg_t *msg)
{
    msg->text[0] = '\0';
    if (live.active)
        stop(msg, NULL);
    /* Quitting: wait for the file, at most until the deadline and the
     * encoder's death after it. */
    while (live.finishing && !poll_finish(msg))
        SDL_Delay(10);
}

#endif
