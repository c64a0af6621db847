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

/* An id as the one padded 64-byte block that SHA-256 and MD5 compress:
 * the text, 0x80, zeros and the bit length in the last 8 bytes
 * (big-endian for SHA-256, little-endian for MD5). Hashers of runs of ids
 * (hash_engine.c's khash, md5.c's ketama keys) step it on to the next
 * index by incrementing its digits in place instead of writing it again. */
typedef struct keyid_block {
    uint8_t b[64];
    size_t len;        /* message bytes */
    int prefixed;      /* "key:vec_…" (khash), else the raw "vec_…" */
    int big_endian;    /* the bit length's byte order */
} keyid_block_t;

/* The block of embedding index's id. */
void keyid_block_set(keyid_block_t *k, uint64_t index, int prefixed, int big_endian);

/* On to index next_index (the one after the block's). */
static inline void keyid_block_next(keyid_block_t *k, uint64_t next_index)
{
    /* Digits follow "vec_" (and "key:"); a carry out of the top one
     * (999999 -> 1000000) lengthens the id: write it again. */
    for (size_t i = k->len; i-- > (k->prefixed ? 8u : 4u);) {
        if (k->b[i] != '9') {
            k->b[i]++;
            return;
        }
        k->b[i] = '0';
    }
    keyid_block_set(k, next_index, k->prefixed, k->big_endian);
}

/* The index id names when it is an embedding's id, whatever the store
 * holds (the canonical spelling only): 0 and *index, or -1. */
int keyid_number(const char *id, size_t len, uint64_t *index);

#endif
