#define _GNU_SOURCE /* nftw's FTW_DEPTH, FTW_PHYS */

#include "vid.h"

#include "shot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>
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
    pid_t ffmpeg;       /* .mp4: the encoder child */
    int pipe_fd;
    FILE *log;          /* .mp4: ffmpeg's stderr (an unlinked file: nothing to leave behind) */
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

/* ---- temporary names ------------------------------------------------------ */

/* Output is written next to its destination under a short hidden name,
 * ".rs-HASH-PID.tmp" (HASH: FNV-1a of the destination's name), so even a
 * 255-byte name has room, the final rename stays on one filesystem, and a
 * later run for the same destination can recognise what a killed run left. */
#define VID_TMP_PREFIX ".rs-"

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

/* Splits dest into its folder ("." if none) and name. */
static void split_path(const char *dest, char *dir, size_t dir_size, const char **name)
{
    const char *slash = strrchr(dest, '/');
    if (!slash) {
        snprintf(dir, dir_size, ".");
        *name = dest;
    } else if (slash == dest) {
        snprintf(dir, dir_size, "/");
        *name = slash + 1;
    } else {
        snprintf(dir, dir_size, "%.*s", (int)(slash - dest), dest);
        *name = slash + 1;
    }
}

/* "DIR/.rs-HASH-PID.ext" for dest, or NULL without memory. */
static char *sibling_name(const char *dest, long pid, const char *ext)
{
    char dir[PATH_MAX];
    const char *name;
    split_path(dest, dir, sizeof dir, &name);
    size_t len = strlen(dir) + 64;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%s/" VID_TMP_PREFIX "%016llx-%ld.%s", dir, (unsigned long long)fnv1a(name), pid, ext);
    return out;
}

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

/* Removes a file or a whole folder. */
static void remove_tree(const char *p)
{
    struct stat sb;
    if (lstat(p, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode))
        nftw(p, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    else
        unlink(p);
}

/* Removes what earlier runs for the same destination left behind when they
 * were killed (SIGKILL cannot be caught): temporaries of processes that no
 * longer exist. */
static void clean_stale(const char *dest)
{
    char dir[PATH_MAX], prefix[64];
    const char *name;
    split_path(dest, dir, sizeof dir, &name);
    int plen = snprintf(prefix, sizeof prefix, VID_TMP_PREFIX "%016llx-", (unsigned long long)fnv1a(name));
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, (size_t)plen) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + plen, &end, 10);
        if (pid <= 0 || (strcmp(end, ".tmp") != 0 && strcmp(end, ".old") != 0))
            continue;
        if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* ours, or a run still going */
        char full[PATH_MAX];
        if (snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < (int)sizeof full)
            remove_tree(full);
    }
    closedir(d);
}

/* True if the folder holds anything. */
static int dir_has_entries(const char *p)
{
    DIR *d = opendir(p);
    if (!d)
        return 0;
    struct dirent *e;
    int any = 0;
    while (!any && (e = readdir(d)) != NULL)
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return any;
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

/* ---- ffmpeg --------------------------------------------------------------- */

/* Full path of an executable file on PATH, or NULL. A directory or a
 * non-executable file of that name is skipped, as a shell does. */
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
        struct stat sb;
        if (stat(cand, &sb) == 0 && S_ISREG(sb.st_mode) && access(cand, X_OK) == 0)
            return cand;
        free(cand);
        i = j + 1;
    }
    return NULL;
}

/* ffmpeg's log so far, NUL-terminated (the last size-1 bytes). */
static void log_read(FILE *log, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!log || fflush(log) != 0 || fseek(log, 0, SEEK_END) != 0)
        return;
    long end = ftell(log);
    long start = end > (long)size - 1 ? end - (long)size + 1 : 0;
    if (end < 0 || fseek(log, start, SEEK_SET) != 0)
        return;
    size_t n = fread(buf, 1, size - 1, log);
    buf[n] = '\0';
}

/* The last few lines of ffmpeg's log, on one line, for an error message. */
static void log_tail(FILE *log, char *out, size_t out_size)
{
    char buf[4096];
    log_read(log, buf, sizeof buf);
    size_t n = strlen(buf);
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

/* A descriptor at 3 or above (close-on-exec): with standard input, output or
 * error closed, pipe() and open() hand out 0..2, and the child's dup2 onto
 * 0..2 would then close its own pipe. */
static int high_fd(int fd)
{
    if (fd < 0 || fd > 2)
        return fd;
    int hi = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    close(fd);
    return hi;
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
    v->log = tmpfile();
    /* Close-on-exec everywhere: the child keeps only what it dup2s onto
     * 0..2, so ffmpeg sees end of input when we close our end. */
    int fds[2] = {-1, -1};
    int log_fd = v->log ? fcntl(fileno(v->log), F_DUPFD_CLOEXEC, 3) : -1;
    if (log_fd < 0 || pipe2(fds, O_CLOEXEC) != 0 || (fds[0] = high_fd(fds[0])) < 0 ||
        (fds[1] = high_fd(fds[1])) < 0) {
        snprintf(err, err_size, "cannot start ffmpeg: %s", strerror(errno));
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                close(fds[i]);
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
        /* Its own process group: Ctrl-C reaches the recorder only, which
         * then stops the encoder itself and cleans up. */
        setpgid(0, 0);
        signal(SIGPIPE, SIG_DFL);
        dup2(fds[0], STDIN_FILENO);
        dup2(log_fd, STDOUT_FILENO);
        dup2(log_fd, STDERR_FILENO);
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

/* A finished .mp4 is a sequence of boxes filling the file exactly, with the
 * index ("moov") present. ffmpeg can exit 0 after failing to write it
 * (ENOSPC on the trailer), so its exit status alone proves nothing. */
static int mp4_complete(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    int moov = 0, ok = 1;
    uint64_t at = 0;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || sb.st_size < 8) {
        fclose(f);
        return 0;
    }
    uint64_t total = (uint64_t)sb.st_size;
    while (ok && at < total) {
        uint8_t h[16];
        if (fseeko(f, (off_t)at, SEEK_SET) != 0 || fread(h, 1, 8, f) != 8) {
            ok = 0;
            break;
        }
        uint64_t size = (uint64_t)h[0] << 24 | (uint64_t)h[1] << 16 | (uint64_t)h[2] << 8 | h[3];
        if (size == 1) {
            if (fread(h + 8, 1, 8, f) != 8) {
                ok = 0;
                break;
            }
            size = 0;
            for (int i = 8; i < 16; i++)
                size = size << 8 | h[i];
        } else if (size == 0) {
            size = total - at; /* to the end of the file */
        }
        if (size < 8 || size > total - at) {
            ok = 0;
            break;
        }
        moov |= memcmp(h + 4, "moov", 4) == 0;
        at += size;
    }
    fclose(f);
    return ok && moov;
}

/* Closes the pipe and waits; 0 if ffmpeg exited cleanly and left a whole
 * file. A stop request (signal) while waiting kills it. */
static int ffmpeg_finish(vid_t *v, char *err, size_t err_size)
{
    if (v->pipe_fd >= 0) {
        close(v->pipe_fd);
        v->pipe_fd = -1;
    }
    if (v->ffmpeg <= 0)
        return 0;
    int status = 0;
    while (waitpid(v->ffmpeg, &status, 0) < 0) {
        if (errno != EINTR)
            break;
        if (vid_stop && *vid_stop)
            kill(v->ffmpeg, SIGKILL);
    }
    v->ffmpeg = 0;
    char tail[600], log[4096];
    log_tail(v->log, tail, sizeof tail);
    log_read(v->log, log, sizeof log);
    if (vid_stop && *vid_stop) {
        snprintf(err, err_size, "interrupted");
        return -1;
    }
    if (strstr(log, "No space left on device")) {
        snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(ENOSPC));
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        if (mp4_complete(v->tmp))
            return 0;
        struct statvfs fs;
        char dir[PATH_MAX];
        const char *name;
        split_path(v->dest, dir, sizeof dir, &name);
        if (statvfs(dir, &fs) == 0 && fs.f_bavail == 0)
            snprintf(err, err_size, "cannot write %s: %s", v->path, strerror(ENOSPC));
        else
            snprintf(err, err_size, "ffmpeg left an incomplete %s (no index)%s%s", v->path, tail[0] ? ": " : "",
                     tail);
        return -1;
    }
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
            if (errno == EINTR) {
                if (vid_stop && *vid_stop)
                    return -1;
                continue;
            }
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

long vid_encoder_pid(const vid_t *v) { return v && v->ffmpeg > 0 ? (long)v->ffmpeg : 0; }

/* ---- writer --------------------------------------------------------------- */

static void vid_free(vid_t *v)
{
    if (v->file)
        fclose(v->file);
    if (v->log)
        fclose(v->log);
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
    if ((kind == VID_Y4M || kind == VID_MP4) && (width % 2 || height % 2)) {
        snprintf(err, err_size, "%s: 4:2:0 video needs an even width and height (got %ux%u)", path, width, height);
        return NULL;
    }
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
    v->pipe_fd = -1;
    size_t n = strlen(v->dest);
    while (n > 1 && v->dest[n - 1] == '/')
        v->dest[--n] = '\0';
    /* Everything about the place is checked here, before any rendering. */
    if (strlen(path) + FRAME_NAME_MAX >= PATH_MAX)
        return open_fail(v, err, err_size, NULL, ENAMETOOLONG);
    if (!(v->tmp = sibling_name(v->dest, (long)getpid(), "tmp")))
        return open_fail(v, err, err_size, "out of memory", 0);
    if (strlen(v->tmp) + FRAME_NAME_MAX >= PATH_MAX)
        return open_fail(v, err, err_size, NULL, ENAMETOOLONG);
    clean_stale(v->dest);
    struct stat sb;
    int exists = stat(v->dest, &sb) == 0;
    if (kind != VID_PNG_SEQ && exists && S_ISDIR(sb.st_mode))
        return open_fail(v, err, err_size, NULL, EISDIR);
    if (kind == VID_PNG_SEQ && exists && !S_ISDIR(sb.st_mode))
        return open_fail(v, err, err_size, "it exists and is not a directory", 0);
    if (kind == VID_PNG_SEQ && exists && !(flags & VID_FORCE) && dir_has_entries(v->dest))
        return open_fail(v, err, err_size,
                         "the directory is not empty (--force replaces it as a whole once the new frames are "
                         "written)",
                         0);
    {
        /* The name itself must be creatable in its folder (NAME_MAX,
         * permissions, a missing folder): try it once. */
        const char *name;
        char dir[PATH_MAX];
        split_path(v->dest, dir, sizeof dir, &name);
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

/* Puts the finished folder in place of dest: an empty or missing dest is
 * simply replaced; a non-empty one (--force) is swapped out first and
 * removed only once the new frames are in place. */
static int swap_dir(vid_t *v, char *err, size_t err_size)
{
    if (rmdir(v->dest) != 0 && errno != ENOENT) {
        if (!(v->old = sibling_name(v->dest, (long)getpid(), "old")) || rename(v->dest, v->old) != 0) {
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
        remove_tree(v->old);
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
        if (!ok && v->ffmpeg > 0)
            kill(v->ffmpeg, SIGKILL);
        if (ffmpeg_finish(v, ok ? err : local, ok ? err_size : sizeof local) != 0 && ok)
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
        remove_tree(v->tmp);
    vid_free(v);
    return rc;
}
