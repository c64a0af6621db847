#define _POSIX_C_SOURCE 200809L /* strdup, pathconf */

#include "vid.h"

#include "ffmpeg.h"
#include "shot.h"
#include "tmp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

struct vid {
    vid_kind_t kind;
    uint32_t w, h, fps;
    uint64_t frames;
    char *path;         /* final destination, as given (for messages) */
    char *dest;         /* the same without trailing slashes (for renames) */
    char *tmp;          /* file or folder being written, renamed into dest on success */
    char *old;          /* DIR/ with --force: the previous folder while it is swapped out */
    FILE *file;         /* .y4m */
    uint8_t *last;      /* .png: the last frame */
    uint8_t *yuv;       /* .y4m: one converted frame */
    ffmpeg_t enc;       /* .mp4: the encoder child */
    struct sigaction old_pipe;
    int pipe_saved;     /* old_pipe holds the disposition to restore */
};

static volatile sig_atomic_t *vid_stop;

void vid_set_stop_flag(volatile sig_atomic_t *flag) { vid_stop = flag; }

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

int vid_check_size(vid_kind_t kind, const char *path, uint32_t width, uint32_t height, char *err, size_t err_size)
{
    if ((kind == VID_Y4M || kind == VID_MP4) && (width % 2 || height % 2)) {
        snprintf(err, err_size, "%s: 4:2:0 video needs an even width and height (got %ux%u)", path, width, height);
        return -1;
    }
    return 0;
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
static int write_png_atomic(const vid_t *v, const uint8_t *rgba, char *err, size_t err_size)
{
    char why[256];
    if (shot_write_png(v->tmp, (int)v->w, (int)v->h, rgba, why, sizeof why) != 0) {
        snprintf(err, err_size, "cannot write %s: %s", v->path, why);
        return -1;
    }
    if (rename(v->tmp, v->dest) != 0) {
        snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(errno));
        unlink(v->tmp);
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

/* ---- writer --------------------------------------------------------------- */

static void vid_free(vid_t *v)
{
    if (v->file)
        fclose(v->file);
    ffmpeg_free(&v->enc);
    free(v->path);
    free(v->dest);
    free(v->tmp);
    free(v->old);
    free(v->last);
    free(v->yuv);
    free(v);
}

#define FRAME_NAME_MAX 24 /* "/frame_000000.png" and more digits */

static void frame_name(const vid_t *v, uint64_t i, char *out, size_t n)
{
    snprintf(out, n, "%s/frame_%06llu.png", v->tmp, (unsigned long long)i);
}

static vid_t *open_fail(vid_t *v, char *err, size_t err_size, const char *what, int e)
{
    snprintf(err, err_size, "cannot write %s: %s", v->path, what ? what : strerror(e));
    vid_close(v, 0, NULL, 0);
    return NULL;
}

vid_t *vid_open(const char *path, uint32_t width, uint32_t height, uint32_t fps, unsigned flags, char *err,
                size_t err_size)
{
    vid_kind_t kind;
    if (vid_kind_from_path(path, &kind, err, err_size) != 0)
        return NULL;
    if (vid_check_size(kind, path, width, height, err, err_size) != 0)
        return NULL;
    vid_t *v = calloc(1, sizeof *v);
    if (!v || !(v->path = strdup(path)) || !(v->dest = strdup(path))) {
        if (v)
            vid_free(v);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    v->kind = kind;
    v->w = width;
    v->h = height;
    v->fps = fps;
    v->enc.pipe_fd = -1;
    size_t n = strlen(v->dest);
    while (n > 1 && v->dest[n - 1] == '/')
        v->dest[--n] = '\0';
    /* Everything about the place is checked here, before any rendering. */
    if (strlen(path) + FRAME_NAME_MAX >= PATH_MAX)
        return open_fail(v, err, err_size, NULL, ENAMETOOLONG);
    if (!(v->tmp = tmp_sibling(v->dest, (long)getpid(), "tmp")))
        return open_fail(v, err, err_size, "out of memory", 0);
    if (strlen(v->tmp) + FRAME_NAME_MAX >= PATH_MAX)
        return open_fail(v, err, err_size, NULL, ENAMETOOLONG);
    tmp_clean_stale(v->dest);
    struct stat sb;
    int exists = stat(v->dest, &sb) == 0;
    if (kind != VID_PNG_SEQ && exists && S_ISDIR(sb.st_mode))
        return open_fail(v, err, err_size, NULL, EISDIR);
    if (kind == VID_PNG_SEQ && exists && !S_ISDIR(sb.st_mode))
        return open_fail(v, err, err_size, "it exists and is not a directory", 0);
    if (kind == VID_PNG_SEQ && exists && !(flags & VID_FORCE) && tmp_dir_has_entries(v->dest))
        return open_fail(v, err, err_size,
                         "the directory is not empty (--force replaces it as a whole once the new frames are "
                         "written)",
                         0);
    {
        /* The name itself must be creatable in its folder (NAME_MAX,
         * permissions, a missing folder): try it once. */
        const char *name;
        char dir[PATH_MAX];
        tmp_split_path(v->dest, dir, sizeof dir, &name);
        long name_max = pathconf(dir, _PC_NAME_MAX);
        if (strlen(name) == 0 || (name_max > 0 && strlen(name) > (size_t)name_max))
            return open_fail(v, err, err_size, NULL, strlen(name) ? ENAMETOOLONG : EISDIR);
    }
    size_t frame_bytes = (size_t)width * height * 4;
    switch (kind) {
    case VID_PNG: {
        int fd = open(v->tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0)
            return open_fail(v, err, err_size, NULL, errno);
        close(fd);
        unlink(v->tmp);
        if (!(v->last = malloc(frame_bytes)))
            return open_fail(v, err, err_size, "out of memory for a frame", 0);
        break;
    }
    case VID_PNG_SEQ:
        if (mkdir(v->tmp, 0777) != 0)
            return open_fail(v, err, err_size, NULL, errno);
        break;
    case VID_Y4M:
        v->file = fopen(v->tmp, "wbx");
        if (!v->file)
            return open_fail(v, err, err_size, NULL, errno);
        if (!(v->yuv = malloc((size_t)width * height * 3 / 2)))
            return open_fail(v, err, err_size, "out of memory for a frame", 0);
        fprintf(v->file, "YUV4MPEG2 W%u H%u F%u:1 Ip A1:1 C420jpeg\n", width, height, fps);
        break;
    case VID_MP4: {
        int fd = open(v->tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0)
            return open_fail(v, err, err_size, NULL, errno);
        close(fd);
        /* A dead encoder must give EPIPE on write, not kill the recorder. */
        struct sigaction ign = {0};
        ign.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &ign, &v->old_pipe);
        v->pipe_saved = 1;
        if (ffmpeg_start(&v->enc, v->tmp, v->path, v->w, v->h, v->fps, err, err_size) != 0) {
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
        char name[PATH_MAX + 64], why[256];
        frame_name(v, v->frames, name, sizeof name);
        if (shot_write_png(name, (int)v->w, (int)v->h, rgba, why, sizeof why) != 0) {
            snprintf(err, err_size, "cannot write %s: %s", v->path, why);
            return -1;
        }
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
        if (ffmpeg_feed(&v->enc, rgba, frame_bytes, vid_stop) != 0) {
            int e = errno;
            if (ffmpeg_finish(&v->enc, v->tmp, v->dest, v->path, vid_stop, err, err_size) == 0)
                snprintf(err, err_size, "cannot feed ffmpeg: %s", strerror(e));
            return -1;
        }
        break;
    }
    v->frames++;
    return 0;
}

uint64_t vid_frames(const vid_t *v) { return v->frames; }

long vid_encoder_pid(const vid_t *v) { return v ? v->enc.pid : 0; }

int vid_have_ffmpeg(void) { return ffmpeg_available(); }

/* Puts the finished folder in place of dest: an empty or missing dest is
 * simply replaced; a non-empty one (--force) is swapped out first and
 * removed only once the new frames are in place. */
static int swap_dir(vid_t *v, char *err, size_t err_size)
{
    if (rmdir(v->dest) != 0 && errno != ENOENT) {
        if (!(v->old = tmp_sibling(v->dest, (long)getpid(), "old")) || rename(v->dest, v->old) != 0) {
            snprintf(err, err_size, "cannot write %s: %s", v->path, v->old ? strerror(errno) : "out of memory");
            return -1;
        }
    }
    if (rename(v->tmp, v->dest) != 0) {
        snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(errno));
        if (v->old)
            rename(v->old, v->dest); /* put the old frames back */
        return -1;
    }
    if (v->old)
        tmp_remove_tree(v->old);
    return 0;
}

int vid_close(vid_t *v, int ok, char *err, size_t err_size)
{
    char local[1024];
    if (!err) {
        err = local;
        err_size = sizeof local;
    }
    int rc = 0;
    if (ok && v->frames == 0) {
        snprintf(err, err_size, "%s: no frame was rendered (the recording is shorter than one frame)", v->path);
        ok = 0;
        rc = -1;
    }
    switch (v->kind) {
    case VID_PNG:
        if (ok)
            rc = write_png_atomic(v, v->last, err, err_size);
        break;
    case VID_PNG_SEQ:
        if (ok)
            rc = swap_dir(v, err, err_size);
        break;
    case VID_Y4M: {
        int close_rc = v->file ? fclose(v->file) : 0;
        v->file = NULL;
        if (ok && close_rc != 0) {
            snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(errno));
            rc = -1;
        }
        if (ok && rc == 0 && rename(v->tmp, v->dest) != 0) {
            snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(errno));
            rc = -1;
        }
        break;
    }
    case VID_MP4:
        if (!ok)
            ffmpeg_kill(&v->enc);
        if (ffmpeg_finish(&v->enc, v->tmp, v->dest, v->path, vid_stop, ok ? err : local,
                          ok ? err_size : sizeof local) != 0 &&
            ok)
            rc = -1;
        if (ok && rc == 0 && rename(v->tmp, v->dest) != 0) {
            snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(errno));
            rc = -1;
        }
        if (v->pipe_saved)
            sigaction(SIGPIPE, &v->old_pipe, NULL);
        break;
    }
    if ((!ok || rc != 0) && v->tmp) /* no tmp: vid_open failed before naming it */
        tmp_remove_tree(v->tmp);
    vid_free(v);
    return rc;
}
