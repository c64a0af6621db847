#define _POSIX_C_SOURCE 200809L

#include "vid.h"

#include "shot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct vid {
    vid_kind_t kind;
    uint32_t w, h, fps;
    uint64_t frames;
    char *path;         /* final destination */
    char *tmp;          /* file being written (renamed into path on success) */
    FILE *file;         /* .y4m */
    uint8_t *last;      /* .png: the last frame */
    uint8_t *yuv;       /* .y4m: one converted frame */
    int created_dir;    /* DIR/: we made it, so abandoning removes it */
    pid_t ffmpeg;       /* .mp4: the encoder child */
    int pipe_fd;
    char *log;          /* .mp4: ffmpeg's stderr, for error messages */
    struct sigaction old_pipe;
};

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m)
        return 0;
    for (size_t i = 0; i < m; i++) {
        char a = s[n - m + i], b = suffix[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return 1;
}

int vid_kind_from_path(const char *path, vid_kind_t *kind, char *err, size_t err_size)
{
    size_t n = strlen(path);
    if (n > 0 && path[n - 1] == '/')
        *kind = VID_PNG_SEQ;
    else if (ends_with(path, ".png"))
        *kind = VID_PNG;
    else if (ends_with(path, ".y4m"))
        *kind = VID_Y4M;
    else if (ends_with(path, ".mp4"))
        *kind = VID_MP4;
    else {
        snprintf(err, err_size,
                 "%s: unknown output kind; use .mp4 (H.264 via ffmpeg), .y4m (no dependency), .png (last "
                 "frame) or a directory ending in / (PNG frames)",
                 path);
        return -1;
    }
    return 0;
}

/* ---- PNG ---------------------------------------------------------------- */

/* A PNG under a temporary name, renamed into place: a reader never sees a
 * half-written file. */
static int write_png_atomic(const char *path, const char *tmp, const uint8_t *rgba, uint32_t w, uint32_t h,
                            char *err, size_t err_size)
{
    if (shot_write_png(tmp, (int)w, (int)h, rgba, err, err_size) != 0)
        return -1;
    if (rename(tmp, path) != 0) {
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* ---- Y4M ---------------------------------------------------------------- */

/* BT.601 limited range, 4:2:0 with each chroma sample the mean of its 2x2
 * block (centred siting: "C420jpeg"). Integer arithmetic keeps the output
 * byte-identical everywhere. */
static void rgba_to_i420(const uint8_t *rgba, uint32_t w, uint32_t h, uint8_t *yuv)
{
    uint8_t *py = yuv, *pu = yuv + (size_t)w * h, *pv = pu + (size_t)(w / 2) * (h / 2);
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *row = rgba + (size_t)y * w * 4;
        for (uint32_t x = 0; x < w; x++) {
            int r = row[4 * x], g = row[4 * x + 1], b = row[4 * x + 2];
            py[(size_t)y * w + x] = (uint8_t)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
        }
    }
    for (uint32_t y = 0; y < h / 2; y++) {
        const uint8_t *r0 = rgba + (size_t)(2 * y) * w * 4, *r1 = r0 + (size_t)w * 4;
        for (uint32_t x = 0; x < w / 2; x++) {
            const uint8_t *a = r0 + 8 * x, *b = r1 + 8 * x;
            int r = (a[0] + a[4] + b[0] + b[4] + 2) >> 2;
            int g = (a[1] + a[5] + b[1] + b[5] + 2) >> 2;
            int bl = (a[2] + a[6] + b[2] + b[6] + 2) >> 2;
            pu[(size_t)y * (w / 2) + x] = (uint8_t)(((-38 * r - 74 * g + 112 * bl + 128) >> 8) + 128);
            pv[(size_t)y * (w / 2) + x] = (uint8_t)(((112 * r - 94 * g - 18 * bl + 128) >> 8) + 128);
        }
    }
}

/* ---- ffmpeg --------------------------------------------------------------- */

/* Full path of an executable on PATH, or NULL. */
static char *find_on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        return NULL;
    size_t n = strlen(path);
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && path[j] != ':')
            j++;
        size_t len = j - i;
        char *cand = malloc(len + strlen(name) + 3);
        if (!cand)
            return NULL;
        snprintf(cand, len + strlen(name) + 3, "%.*s/%s", (int)len, len ? path + i : ".", name);
        if (access(cand, X_OK) == 0)
            return cand;
        free(cand);
        i = j + 1;
    }
    return NULL;
}

/* The last few lines of ffmpeg's log, on one line, for an error message. */
static void log_tail(const char *log, char *out, size_t out_size)
{
    out[0] = '\0';
    FILE *f = log ? fopen(log, "rb") : NULL;
    if (!f)
        return;
    char buf[4096];
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    long start = size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0;
    fseek(f, start, SEEK_SET);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    const char *last = buf;
    for (int lines = 0; n > 0 && lines < 3; n--)
        if (buf[n - 1] == '\n' && ++lines == 3)
            last = buf + n;
    size_t o = 0;
    for (const char *p = last; *p && o + 1 < out_size; p++)
        out[o++] = (*p == '\n' || *p == '\r') ? ' ' : *p;
    out[o] = '\0';
}

int vid_have_ffmpeg(void)
{
    char *exe = find_on_path("ffmpeg");
    free(exe);
    return exe != NULL;
}

/* Creates the temporary file once: an unwritable destination is reported
 * before anything is rendered. */
static int probe_writable(vid_t *v, char *err, size_t err_size)
{
    FILE *probe = fopen(v->tmp, "wb");
    if (!probe) {
        snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(errno));
        return -1;
    }
    fclose(probe);
    return 0;
}

static int ffmpeg_start(vid_t *v, char *err, size_t err_size)
{
    char *exe = find_on_path("ffmpeg");
    if (!exe) {
        snprintf(err, err_size,
                 "ffmpeg was not found on PATH, so %s cannot be encoded; install it (apt-get install ffmpeg) "
                 "or record to .y4m, which needs nothing else",
                 v->path);
        return -1;
    }
    size_t llen = strlen(v->path) + 32;
    v->log = malloc(llen);
    if (!v->log) {
        free(exe);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    snprintf(v->log, llen, "%s.log%ld", v->path, (long)getpid());
    int log_fd = open(v->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int fds[2];
    if (log_fd < 0 || pipe(fds) != 0) {
        snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(errno));
        if (log_fd >= 0)
            close(log_fd);
        free(exe);
        return -1;
    }
    char size[32], rate[16];
    snprintf(size, sizeof size, "%ux%u", v->w, v->h);
    snprintf(rate, sizeof rate, "%u", v->fps);
    char *argv[] = {"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt",
                    "rgba", "-s", size, "-r", rate, "-i", "-", "-c:v", "libx264", "-preset",
                    "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4",
                    v->tmp, NULL};
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_size, "cannot start ffmpeg: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        close(log_fd);
        free(exe);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[0], STDIN_FILENO);
        dup2(log_fd, STDOUT_FILENO);
        dup2(log_fd, STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        close(log_fd);
        execv(exe, argv);
        _exit(127);
    }
    close(fds[0]);
    close(log_fd);
    free(exe);
    v->ffmpeg = pid;
    v->pipe_fd = fds[1];
    return 0;
}

/* Closes the pipe and waits; 0 if ffmpeg exited cleanly. */
static int ffmpeg_finish(vid_t *v, char *err, size_t err_size)
{
    if (v->pipe_fd >= 0) {
        close(v->pipe_fd);
        v->pipe_fd = -1;
    }
    if (v->ffmpeg <= 0)
        return 0;
    int status = 0;
    while (waitpid(v->ffmpeg, &status, 0) < 0 && errno == EINTR)
        ;
    v->ffmpeg = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    char tail[600];
    log_tail(v->log, tail, sizeof tail);
    if (WIFEXITED(status))
        snprintf(err, err_size, "ffmpeg failed (exit %d) writing %s%s%s", WEXITSTATUS(status), v->path,
                 tail[0] ? ": " : "", tail);
    else
        snprintf(err, err_size, "ffmpeg was killed by signal %d writing %s", WTERMSIG(status), v->path);
    return -1;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* ---- writer --------------------------------------------------------------- */

static void vid_free(vid_t *v)
{
    if (v->file)
        fclose(v->file);
    if (v->log) {
        unlink(v->log);
        free(v->log);
    }
    free(v->path);
    free(v->tmp);
    free(v->last);
    free(v->yuv);
    free(v);
}

static void frame_name(const vid_t *v, uint64_t i, char *out, size_t n)
{
    snprintf(out, n, "%sframe_%06llu.png", v->path, (unsigned long long)i);
}

vid_t *vid_open(const char *path, uint32_t width, uint32_t height, uint32_t fps, char *err, size_t err_size)
{
    vid_kind_t kind;
    if (vid_kind_from_path(path, &kind, err, err_size) != 0)
        return NULL;
    if ((kind == VID_Y4M || kind == VID_MP4) && (width % 2 || height % 2)) {
        snprintf(err, err_size, "%s: 4:2:0 video needs an even width and height (got %ux%u)", path, width, height);
        return NULL;
    }
    vid_t *v = calloc(1, sizeof *v);
    size_t tlen = strlen(path) + 32;
    if (!v || !(v->path = strdup(path)) || !(v->tmp = malloc(tlen))) {
        if (v)
            vid_free(v);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    v->kind = kind;
    v->w = width;
    v->h = height;
    v->fps = fps;
    v->pipe_fd = -1;
    /* ffmpeg picks the container from -f, so a temporary name is safe. */
    snprintf(v->tmp, tlen, "%s.tmp%ld", path, (long)getpid());
    size_t frame_bytes = (size_t)width * height * 4;
    switch (kind) {
    case VID_PNG: {
        if (probe_writable(v, err, err_size) != 0) {
            vid_free(v);
            return NULL;
        }
        unlink(v->tmp);
        if (!(v->last = malloc(frame_bytes))) {
            snprintf(err, err_size, "out of memory for a %ux%u frame", width, height);
            vid_free(v);
            return NULL;
        }
        break;
    }
    case VID_PNG_SEQ: {
        struct stat sb;
        if (stat(path, &sb) == 0) {
            if (!S_ISDIR(sb.st_mode)) {
                snprintf(err, err_size, "%s: exists and is not a directory", path);
                vid_free(v);
                return NULL;
            }
        } else if (mkdir(path, 0777) != 0) {
            snprintf(err, err_size, "cannot create directory %s: %s", path, strerror(errno));
            vid_free(v);
            return NULL;
        } else {
            v->created_dir = 1;
        }
        char probe_name[4096];
        snprintf(probe_name, sizeof probe_name, "%s.probe%ld", path, (long)getpid());
        FILE *probe = fopen(probe_name, "wb");
        if (!probe) {
            snprintf(err, err_size, "cannot write into %s: %s", path, strerror(errno));
            vid_close(v, 0, NULL, 0);
            return NULL;
        }
        fclose(probe);
        unlink(probe_name);
        break;
    }
    case VID_Y4M:
        v->file = fopen(v->tmp, "wb");
        v->yuv = malloc((size_t)width * height * 3 / 2);
        if (!v->file || !v->yuv) {
            snprintf(err, err_size, "cannot write %s: %s", path, v->file ? "out of memory" : strerror(errno));
            vid_close(v, 0, NULL, 0);
            return NULL;
        }
        fprintf(v->file, "YUV4MPEG2 W%u H%u F%u:1 Ip A1:1 C420jpeg\n", width, height, fps);
        break;
    case VID_MP4: {
        if (probe_writable(v, err, err_size) != 0) {
            vid_free(v);
            return NULL;
        }
        /* A dead encoder must give EPIPE on write, not kill the recorder. */
        struct sigaction ign = {0};
        ign.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &ign, &v->old_pipe);
        if (ffmpeg_start(v, err, err_size) != 0) {
            vid_close(v, 0, NULL, 0);
            return NULL;
        }
        break;
    }
    }
    return v;
}

int vid_frame(vid_t *v, const uint8_t *rgba, char *err, size_t err_size)
{
    size_t frame_bytes = (size_t)v->w * v->h * 4;
    switch (v->kind) {
    case VID_PNG:
        memcpy(v->last, rgba, frame_bytes);
        break;
    case VID_PNG_SEQ: {
        char name[4096];
        frame_name(v, v->frames, name, sizeof name);
        if (shot_write_png(name, (int)v->w, (int)v->h, rgba, err, err_size) != 0)
            return -1;
        break;
    }
    case VID_Y4M:
        rgba_to_i420(rgba, v->w, v->h, v->yuv);
        if (fputs("FRAME\n", v->file) < 0 ||
            fwrite(v->yuv, 1, (size_t)v->w * v->h * 3 / 2, v->file) != (size_t)v->w * v->h * 3 / 2) {
            snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(errno));
            return -1;
        }
        break;
    case VID_MP4:
        if (write_all(v->pipe_fd, rgba, frame_bytes) != 0) {
            int e = errno;
            if (ffmpeg_finish(v, err, err_size) == 0)
                snprintf(err, err_size, "cannot feed ffmpeg: %s", strerror(e));
            return -1;
        }
        break;
    }
    v->frames++;
    return 0;
}

uint64_t vid_frames(const vid_t *v) { return v->frames; }

/* Renames the finished temporary file into place, or removes it when the
 * output is abandoned or failed. Returns the resulting status. */
static int settle_tmp(vid_t *v, int ok, int rc, char *err, size_t err_size)
{
    if (ok && rc == 0 && rename(v->tmp, v->path) != 0) {
        snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(errno));
        rc = -1;
    }
    if (!ok || rc != 0)
        unlink(v->tmp);
    return rc;
}

int vid_close(vid_t *v, int ok, char *err, size_t err_size)
{
    char local[1024];
    if (!err) {
        err = local;
        err_size = sizeof local;
    }
    int rc = 0;
    switch (v->kind) {
    case VID_PNG:
        if (ok && v->frames == 0) {
            snprintf(err, err_size, "%s: no frame was rendered", v->path);
            rc = -1;
        } else if (ok)
            rc = write_png_atomic(v->path, v->tmp, v->last, v->w, v->h, err, err_size);
        break;
    case VID_PNG_SEQ:
        if (!ok) {
            char name[4096];
            for (uint64_t i = 0; i < v->frames; i++) {
                frame_name(v, i, name, sizeof name);
                unlink(name);
            }
            if (v->created_dir)
                rmdir(v->path);
        }
        break;
    case VID_Y4M: {
        int close_rc = fclose(v->file);
        v->file = NULL;
        if (ok && close_rc != 0) {
            snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(errno));
            rc = -1;
        }
        rc = settle_tmp(v, ok, rc, err, err_size);
        break;
    }
    case VID_MP4:
        if (!ok && v->ffmpeg > 0)
            kill(v->ffmpeg, SIGTERM);
        if (ffmpeg_finish(v, err, err_size) != 0 && ok)
            rc = -1;
        rc = settle_tmp(v, ok, rc, err, err_size);
        sigaction(SIGPIPE, &v->old_pipe, NULL);
        break;
    }
    vid_free(v);
    return rc;
}
