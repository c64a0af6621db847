/* keyid — the ids of embeddings (DESIGN §1): vector i is "vec_%06d" (so
 * vec_000042, and vec_1000000 past a million), and its key hash is taken over
 * "key:" + that id.
 *
 * One place for the text, so the hashers (hash.c, hash_engine.c's runs of
 * ids, md5.c's ketama keys) and `locate`, which reads ids back, agree.
 * Pure functions: no allocation, no state, no errors.
 */
#ifndef RINGSCOPE_KEYID_H
#define RINGSCOPE_KEYID_H

#include <stddef.h>
#include <stdint.h>

#define KEYID_PREFIX_LEN 4 /* "key:" */

/* Writes "key:vec_%06d" for index into buf (>= 32 bytes); returns its
 * length. The id itself starts at buf + KEYID_PREFIX_LEN. */
size_t keyid_text(uint64_t index, char *buf);

/* The embedding index of id (len bytes) when it is exactly the id of an
 * index below count ("vec_000042", not "vec_42" or "vec_0000042"), else -1. */
int64_t keyid_index(const char *id, size_t len, uint64_t count);

/* The index id names when it is an embedding's id, whatever the store
 * holds (the canonical spelling only): 0 and *index, or -1. */
int keyid_number(const char *id, size_t len, uint64_t *index);

#endif
