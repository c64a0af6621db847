/* sysroute — key -> hash -> shard, exactly as each real system does it.
 *
 * DESIGN §1c's presets route a key with the system's own hash over the
 * system's own bytes. This module is that first level only (which shard a
 * key is in); which node holds a shard is the presets' business. The hashes
 * are syshash's; here is what each system feeds them and how it reduces the
 * result. Sources are in ../shared/reference/routing.md (file, function).
 *
 * Redis Cluster (src/cluster.h keyHashSlot):
 *   slot = CRC16/XMODEM(key) & 0x3FFF, where key is the hash tag instead when
 *   the key has a '{', a later '}', and at least one byte between the first
 *   '{' and the first '}' after it. Bytes as stored (binary-safe).
 * Elasticsearch (Murmur3HashFunction.hash, IndexRouting.hashToShardId):
 *   h = Murmur3 x86_32, seed 0, over the _id's UTF-16 code units, each as 2
 *   bytes little-endian (a code point past U+FFFF is its surrogate pair);
 *   shard = floorMod(h, R) / (R / S) with h a signed 32-bit int, R =
 *   index.number_of_routing_shards (a multiple of S), by default
 *   S * 2^max(1, 10 - ceil(log2 S)) (MetadataCreateIndexService).
 * Milvus (pkg/util/typeutil/hash.go):
 *   int64 pk: Hash32Int64 = Murmur3 x86_32, seed 0, over le64(pk), & 0x7fffffff;
 *   varchar pk: HashString2Uint32 = CRC-32/IEEE of the first 100 bytes;
 *   shard = hash % S.
 * Qdrant (lib/segment types.rs StableHash, lib/collection hash_ring.rs, the
 *   hashring crate): SipHash-2-4, key 0, over the point id's serialisation:
 *   numeric id n -> le64(0) || le64(n); UUID -> le64(1) || le64(16) || 16
 *   bytes. The ring holds 100 points per shard s at SipHash(le32(s) ||
 *   le32(k)), k = 0..99; a key's shard is the first point >= its hash,
 *   wrapping to the smallest.
 * Cassandra (Murmur3Partitioner.getToken): token = h1 of Murmur3 x64_128,
 *   seed 0, with Java's sign-extended tail bytes, as signed 64-bit; h1 =
 *   Long.MIN becomes Long.MAX; an empty key is the minimum token Long.MIN.
 * Kafka (Utils.murmur2, Utils.toPositive, BuiltInPartitioner):
 *   partition = toPositive(murmur2(key)) % P, toPositive(x) = x & 0x7fffffff.
 * Weaviate (usecases/sharding/state.go PhysicalShard): token = h1 of the
 *   reference Murmur3 x64_128, seed 0, over the UUID's 16 bytes.
 *
 * Memory: the Qdrant ring is an array the caller owns (SR_QDRANT_SCALE points
 * per shard). Errors: sr_es_hash returns -1 for bytes that are not valid
 * UTF-8 (an _id is a Java String: it has no such bytes); everything else is
 * total over its documented domain, and preconditions (S >= 1, R a multiple
 * of S, P >= 1) are asserts.
 */
#ifndef RINGSCOPE_SYSROUTE_H
#define RINGSCOPE_SYSROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "rmod.h"

/* ---- Redis Cluster --------------------------------------------------------- */

#define SR_REDIS_SLOTS 16384u

/* The bytes keyHashSlot hashes: the hash tag's (offset, length) inside key,
 * or the whole key. */
void sr_redis_hashed_part(const void *key, size_t len, size_t *off, size_t *part_len);
/* 0..16383. */
uint16_t sr_redis_slot(const void *key, size_t len);

/* ---- Elasticsearch --------------------------------------------------------- */

/* Murmur3HashFunction.hash of the string whose UTF-8 is utf8[0..len): writes
 * the signed 32-bit hash into *out and returns 0, or -1 if the bytes are not
 * valid UTF-8. */
int sr_es_hash(const void *utf8, size_t len, int32_t *out);
/* The default index.number_of_routing_shards for S shards (1..65536). */
uint32_t sr_es_routing_shards(uint32_t shards);
/* floorMod(h, R) / (R / S): 0..S-1. Needs S >= 1 and R a multiple of S. */
uint32_t sr_es_shard(int32_t h, uint32_t shards, uint32_t routing_shards);
/* The same through R's reciprocal (routing: rmod_init(R)), with no
 * division: what a lookup of many keys takes. */
static inline uint32_t sr_es_shard_by(int32_t h, uint32_t shards, const rmod_t *routing)
{
    /* h + R·2^31 is never negative and has h's floorMod; and as R = S·(R/S),
     * m / (R/S) = floor(m·S / R) (m < R < 2^32, S <= 2^16: no overflow). */
    uint64_t r = routing->d;
    uint32_t m = rmod_of(routing, (uint64_t)((int64_t)h + (int64_t)(r << 31)));
    return (uint32_t)rmod_div(routing, (uint64_t)m * shards);
}

/* ---- Milvus ---------------------------------------------------------------- */

#define SR_MILVUS_VARCHAR_MAX 100u /* bytes of a varchar key that are hashed */

uint32_t sr_milvus_hash_int64(int64_t pk);
uint32_t sr_milvus_hash_varchar(const void *key, size_t len);

/* ---- Qdrant ---------------------------------------------------------------- */

#define SR_QDRANT_SCALE 100u      /* ring points per shard (HASH_RING_SHARD_SCALE) */
#define SR_QDRANT_ID_NUM_LEN 16u  /* bytes of a serialised numeric id */
#define SR_QDRANT_ID_UUID_LEN 32u /* bytes of a serialised UUID id */

/* The bytes Qdrant hashes for a point id. */
void sr_qdrant_id_num_bytes(uint64_t id, uint8_t out[SR_QDRANT_ID_NUM_LEN]);
void sr_qdrant_id_uuid_bytes(const uint8_t uuid[16], uint8_t out[SR_QDRANT_ID_UUID_LEN]);
/* SipHash-2-4 (key 0) of those bytes. */
uint64_t sr_qdrant_hash_num(uint64_t id);
uint64_t sr_qdrant_hash_uuid(const uint8_t uuid[16]);
/* The position of ring point k of shard s. */
uint64_t sr_qdrant_point_hash(uint32_t shard, uint32_t k);

typedef struct sr_qdrant_point {
    uint64_t hash;
    uint32_t shard;
    uint32_t k;
} sr_qdrant_point_t;

/* Fills points[0 .. shards * SR_QDRANT_SCALE) with the ring of shards
 * 0..shards-1, sorted by hash (equal hashes: lower shard, then lower k,
 * the hashring crate's stable sort of points added in that order). */
void sr_qdrant_ring_build(sr_qdrant_point_t *points, uint32_t shards);
/* The shard of the first point >= hash, wrapping; npoints >= 1. */
uint32_t sr_qdrant_ring_shard(const sr_qdrant_point_t *points, size_t npoints, uint64_t hash);

/* ---- Cassandra ------------------------------------------------------------- */

/* Murmur3Partitioner's token of a partition key's bytes. */
int64_t sr_cassandra_token(const void *key, size_t len);

/* ---- Kafka ----------------------------------------------------------------- */

/* Utils.murmur2: a signed int. */
int32_t sr_kafka_murmur2(const void *key, size_t len);
/* Utils.toPositive: x & 0x7fffffff (not Math.abs). */
int32_t sr_kafka_to_positive(int32_t x);
/* The partition of a non-null key among partitions (>= 1). */
uint32_t sr_kafka_partition(const void *key, size_t len, uint32_t partitions);

/* ---- Weaviate -------------------------------------------------------------- */

uint64_t sr_weaviate_token(const uint8_t uuid[16]);

#endif
