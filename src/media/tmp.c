#define _GNU_SOURCE /* nftw's FTW_DEPTH, FTW_PHYS */

#include "tmp.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define TMP_PREFIX ".rs-"

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

void tmp_split_path(const char *dest, char *dir, size_t dir_size, const char **name)
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

char *tmp_sibling(const char *dest, long pid, const char *ext)
{
    char dir[PATH_MAX];
    const char *name;
    tmp_split_path(dest, dir, sizeof dir, &name);
    size_t len = strlen(dir) + 64;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%s/" TMP_PREFIX "%016llx-%ld.%s", dir, (unsigned long long)fnv1a(name), pid, ext);
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

void tmp_remove_tree(const char *p)
{
    struct stat sb;
    if (lstat(p, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode))
        nftw(p, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    else
        unlink(p);
}

void tmp_clean_stale(const char *dest)
{
    char dir[PATH_MAX], prefix[64];
    const char *name;
    tmp_split_path(dest, dir, sizeof dir, &name);
    int plen = snprintf(prefix, sizeof prefix, TMP_PREFIX "%016llx-", (unsigned long long)fnv1a(name));
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
            tmp_remove_tree(full);
    }
    closedir(d);
}

int tmp_dir_has_entries(const char *p)
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
