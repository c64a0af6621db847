#include "sysroute.h"

#include "syshash.h"
#include "utf8.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
    put_le32(p, (uint32_t)v);
    put_le32(p + 4, (uint32_t)(v >> 32));
}

/* ---- Redis Cluster ------------------------------------------------------- */

void sr_redis_hashed_part(const void *key, size_t len, size_t *off, size_t *part_len)
{
    const uint8_t *k = key;
    const uint8_t *open = len > 0 ? memchr(k, '{', len) : NULL;
    if (open != NULL) {
        size_t s = (size_t)(open - k);
        const uint8_t *close = memchr(open + 1, '}', len - s - 1);
        /* No '}' after the '{', or "{}": the whole key is hashed. */
        if (close != NULL && close != open + 1) {
            *off = s + 1;
            *part_len = (size_t)(close - open) - 1;
            return;
        }
    }
    *off = 0;
    *part_len = len;
}

uint16_t sr_redis_slot(const void *key, size_t len)
{
    size_t off, n;
    sr_redis_hashed_part(key, len, &off, &n);
    return (uint16_t)(sh_crc16_xmodem((const uint8_t *)key + off, n) & (SR_REDIS_SLOTS - 1));
}

/* ---- Elasticsearch ------------------------------------------------------- */

static void feed_utf16le(sh_murmur3_32_state_t *st, uint32_t unit)
{
    uint8_t b[2] = {(uint8_t)unit, (uint8_t)(unit >> 8)};
    sh_murmur3_32_update(st, b, 2);
}

int sr_es_hash(const void *utf8, size_t len, int32_t *out)
{
    const uint8_t *p = utf8;
    sh_murmur3_32_state_t st;
    sh_murmur3_32_init(&st, 0);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (n == 0)
            return -1;
        i += n;
        if (cp < 0x10000) {
            feed_utf16le(&st, cp);
        } else {
            cp -= 0x10000;
            feed_utf16le(&st, 0xD800 + (cp >> 10));
            feed_utf16le(&st, 0xDC00 + (cp & 0x3FF));
        }
    }
    *out = (int32_t)sh_murmur3_32_final(&st);
    return 0;
}

uint32_t sr_es_routing_shards(uint32_t shards)
{
    assert(shards >= 1 && shards <= 65536);
    /* calculateNumRoutingShards: 32 - numberOfLeadingZeros(S - 1) is
     * ceil(log2 S); S is then doubled max(1, 10 - that) times. */
    unsigned log2 = 0;
    while ((1u << log2) < shards)
        log2++;
    unsigned splits = log2 < 9 ? 10 - log2 : 1;
    return shards << splits;
}

uint32_t sr_es_shard(int32_t h, uint32_t shards, uint32_t routing_shards)
{
    assert(shards >= 1 && routing_shards >= shards && routing_shards % shards == 0);
    int64_t r = routing_shards;
    int64_t m = ((int64_t)h % r + r) % r; /* Math.floorMod */
    return (uint32_t)(m / (r / shards));
}

/* ---- Milvus -------------------------------------------------------------- */

uint32_t sr_milvus_hash_int64(int64_t pk)
{
    uint8_t b[8];
    put_le64(b, (uint64_t)pk);
    return sh_murmur3_32(b, sizeof b, 0) & 0x7fffffffu;
}

uint32_t sr_milvus_hash_varchar(const void *key, size_t len)
{
    return sh_crc32_ieee(key, len < SR_MILVUS_VARCHAR_MAX ? len : SR_MILVUS_VARCHAR_MAX);
}

/* ---- Qdrant -------------------------------------------------------------- */

static const uint8_t qdrant_key[16]; /* SipHasher24::new(): k0 = k1 = 0 */

void sr_qdrant_id_num_bytes(uint64_t id, uint8_t out[SR_QDRANT_ID_NUM_LEN])
{
    put_le64(out, 0); /* ExtendedPointId::NumId */
    put_le64(out + 8, id);
}

void sr_qdrant_id_uuid_bytes(const uint8_t uuid[16], uint8_t out[SR_QDRANT_ID_UUID_LEN])
{
    put_le64(out, 1);      /* ExtendedPointId::Uuid */
    put_le64(out + 8, 16); /* the slice length uuid <= 1.16 wrote */
    memcpy(out + 16, uuid, 16);
}

uint64_t sr_qdrant_hash_num(uint64_t id)
{
    uint8_t b[SR_QDRANT_ID_NUM_LEN];
    sr_qdrant_id_num_bytes(id, b);
    return sh_siphash24(qdrant_key, b, sizeof b);
}

uint64_t sr_qdrant_hash_uuid(const uint8_t uuid[16])
{
    uint8_t b[SR_QDRANT_ID_UUID_LEN];
    sr_qdrant_id_uuid_bytes(uuid, b);
    return sh_siphash24(qdrant_key, b, sizeof b);
}

uint64_t sr_qdrant_point_hash(uint32_t shard, uint32_t k)
{
    uint8_t b[8];
    put_le32(b, shard);
    put_le32(b + 4, k);
    return sh_siphash24(qdrant_key, b, sizeof b);
}

static int qdrant_point_cmp(const void *a, const void *b)
{
    const sr_qdrant_point_t *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    if (x->shard != y->shard)
        return x->shard < y->shard ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}

void sr_qdrant_ring_build(sr_qdrant_point_t *points, uint32_t shards)
{
    size_t n = 0;
    for (uint32_t s = 0; s < shards; s++)
        for (uint32_t k = 0; k < SR_QDRANT_SCALE; k++)
            points[n++] = (sr_qdrant_point_t){sr_qdrant_point_hash(s, k), s, k};
    qsort(points, n, sizeof *points, qdrant_point_cmp);
}

uint32_t sr_qdrant_ring_shard(const sr_qdrant_point_t *points, size_t npoints, uint64_t hash)
{
    assert(npoints >= 1);
    size_t lo = 0, hi = npoints; /* first index with points[i].hash >= hash */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (points[mid].hash < hash)
            lo = mid + 1;
        else
            hi = mid;
    }
    return points[lo == npoints ? 0 : lo].shard;
}

/* ---- Cassandra ----------------------------------------------------------- */

int64_t sr_cassandra_token(const void *key, size_t len)
{
    if (len == 0)
        return INT64_MIN; /* Murmur3Partitioner.MINIMUM */
    uint64_t h[2];
    sh_murmur3_x64_128_java(key, len, 0, h);
    /* Two's complement read of h1 without implementation-defined casts. */
    int64_t t = h[0] <= (uint64_t)INT64_MAX ? (int64_t)h[0] : -(int64_t)(~h[0]) - 1;
    return t == INT64_MIN ? INT64_MAX : t;
}

/* ---- Kafka --------------------------------------------------------------- */

int32_t sr_kafka_murmur2(const void *key, size_t len)
{
    uint32_t h = sh_murmur2(key, len, SH_KAFKA_MURMUR2_SEED);
    return h <= (uint32_t)INT32_MAX ? (int32_t)h : -(int32_t)(~h) - 1;
}

int32_t sr_kafka_to_positive(int32_t x) { return (int32_t)((uint32_t)x & 0x7fffffffu); }

uint32_t sr_kafka_partition(const void *key, size_t len, uint32_t partitions)
{
    assert(partitions >= 1);
    return (uint32_t)sr_kafka_to_positive(sr_kafka_murmur2(key, len)) % partitions;
}

/* ---- Weaviate ------------------------------------------------------------ */

uint64_t sr_weaviate_token(const uint8_t uuid[16])
{
    uint64_t h[2];
    sh_murmur3_x64_128(uuid, 16, 0, h);
    return h[0];
}
