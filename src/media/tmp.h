/* tmp — temporary names next to a destination, so output appears whole or
 * not at all: a writer fills ".rs-HASH-PID.tmp" beside the file or folder it
 * makes and renames it into place when done (vid.h).
 *
 * HASH is FNV-1a of the destination's name, so even a 255-byte name has
 * room, the final rename stays on one filesystem, and a later run for the
 * same destination can recognise (and remove) what a killed run left.
 *
 * Memory: tmp_sibling returns a string the caller frees. Errors: NULL
 * without memory; the removals are best effort and report nothing.
 */
#ifndef RINGSCOPE_TMP_H
#define RINGSCOPE_TMP_H

#include <stddef.h>

/* Splits dest into its folder ("." if none, "/" at the root) and name. */
void tmp_split_path(const char *dest, char *dir, size_t dir_size, const char **name);

/* "DIR/.rs-HASH-PID.ext" for dest, or NULL without memory. */
char *tmp_sibling(const char *dest, long pid, const char *ext);

/* Removes what earlier runs for the same destination left behind when they
 * were killed (SIGKILL cannot be caught): temporaries (.tmp, .old) of
 * processes that no longer exist. */
void tmp_clean_stale(const char *dest);

/* Removes a file, or a folder with everything in it. */
void tmp_remove_tree(const char *path);

/* 1 if the folder holds anything. */
int tmp_dir_has_entries(const char *path);

#endif
