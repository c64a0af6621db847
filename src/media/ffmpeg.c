#define _GNU_SOURCE /* pipe2 */

#include "ffmpeg.h"

#include "tmp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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

int ffmpeg_available(void)
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

int ffmpeg_start(ffmpeg_t *f, const char *path, const char *shown, uint32_t w, uint32_t h, uint32_t fps, char *err,
                 size_t err_size)
{
    f->pid = 0;
    f->pipe_fd = -1;
    f->log = NULL;
    char *exe = find_on_path("ffmpeg");
    if (!exe) {
        snprintf(err, err_size,
                 "ffmpeg was not found on PATH, so %s cannot be encoded; install it (apt-get install ffmpeg) "
                 "or record to .y4m, which needs nothing else",
                 shown);
        return -1;
    }
    f->log = tmpfile();
    /* Close-on-exec everywhere: the child keeps only what it dup2s onto
     * 0..2, so ffmpeg sees end of input when we close our end. */
    int fds[2] = {-1, -1};
    int log_fd = f->log ? fcntl(fileno(f->log), F_DUPFD_CLOEXEC, 3) : -1;
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
    snprintf(size, sizeof size, "%ux%u", w, h);
    snprintf(rate, sizeof rate, "%u", fps);
    char *argv[] = {"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt",
                    "rgba", "-s", size, "-r", rate, "-i", "-", "-c:v", "libx264", "-preset",
                    "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4",
                    (char *)path, NULL};
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
    f->pid = pid;
    f->pipe_fd = fds[1];
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
int ffmpeg_finish(ffmpeg_t *f, const char *path, const char *dest, const char *shown, volatile sig_atomic_t *stop,
                  char *err, size_t err_size)
{
    if (f->pipe_fd >= 0) {
        close(f->pipe_fd);
        f->pipe_fd = -1;
    }
    if (f->pid <= 0)
        return 0;
    int status = 0;
    while (waitpid((pid_t)f->pid, &status, 0) < 0) {
        if (errno != EINTR)
            break;
        if (stop && *stop)
            kill((pid_t)f->pid, SIGKILL);
    }
    f->pid = 0;
    char tail[600], log[4096];
    log_tail(f->log, tail, sizeof tail);
    log_read(f->log, log, sizeof log);
    if (stop && *stop) {
        snprintf(err, err_size, "interrupted");
        return -1;
    }
    if (strstr(log, "No space left on device")) {
        snprintf(err, err_size, "cannot write %s: %s", shown, strerror(ENOSPC));
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        if (mp4_complete(path))
            return 0;
        struct statvfs fs;
        char dir[PATH_MAX];
        const char *name;
        tmp_split_path(dest, dir, sizeof dir, &name);
        if (statvfs(dir, &fs) == 0 && fs.f_bavail == 0)
            snprintf(err, err_size, "cannot write %s: %s", shown, strerror(ENOSPC));
        else
            snprintf(err, err_size, "ffmpeg left an incomplete %s (no index)%s%s", shown, tail[0] ? ": " : "",
                     tail);
        return -1;
    }
    if (WIFEXITED(status))
        snprintf(err, err_size, "ffmpeg failed (exit %d) writing %s%s%s", WEXITSTATUS(status), shown,
                 tail[0] ? ": " : "", tail);
    else
        snprintf(err, err_size, "ffmpeg was killed by signal %d writing %s", WTERMSIG(status), shown);
    return -1;
}

void ffmpeg_kill(ffmpeg_t *f)
{
    if (f->pid > 0)
        kill((pid_t)f->pid, SIGKILL);
}

void ffmpeg_free(ffmpeg_t *f)
{
    if (f->log)
        fclose(f->log);
    f->log = NULL;
}

int ffmpeg_feed(ffmpeg_t *f, const uint8_t *p, size_t n, volatile sig_atomic_t *stop)
{
    while (n > 0) {
        ssize_t w = write(f->pipe_fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                if (stop && *stop)
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
