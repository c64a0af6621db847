/* syshash_tool — the core's system hashes on stdin lines, for the oracle
 * tests (oracle_syshash.py), which compare its output with real implementations.
 *
 *   syshash_tool FUNCTION [ARG] < inputs
 *
 * One input per line, one output line per input, in order. Inputs are hex
 * bytes (an empty line is the empty input) except where the table says
 * otherwise. Outputs are decimal, signed where the system's own type is.
 * Bad usage: exit 2; a bad input line: a message naming the line, exit 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syshash.h"
#include "sysroute.h"
#include "uuid.h"

typedef enum { IN_HEX, IN_INT64, IN_QDRANT_ID, IN_UUID } input_kind_t;
typedef enum { ARG_NONE, ARG_SEED, ARG_COUNT, ARG_KEY, ARG_ES } arg_kind_t;

/* One parsed input line. */
typedef struct input {
    const uint8_t *b; /* IN_HEX: the bytes */
    size_t n;
    uint64_t id;      /* IN_INT64 (as two's complement), IN_QDRANT_ID numbers */
    uint8_t u[16];    /* IN_UUID, IN_QDRANT_ID UUIDs */
    int is_uuid;
} input_t;

/* The function's argument, parsed once. */
typedef struct args {
    uint32_t num;      /* seed, partitions, shards */
    uint32_t routing;  /* es-shard: R */
    uint8_t key[16];   /* siphash */
    sr_qdrant_point_t *ring;
    size_t ring_len;
} args_t;

static void run_crc16(const input_t *in, const args_t *a)
{
    (void)a;
    printf("%u\n", (unsigned)sh_crc16_xmodem(in->b, in->n));
}
static void run_crc32(const input_t *in, const args_t *a)
{
    (void)a;
    printf("%" PRIu32 "\n", sh_crc32_ieee(in->b, in->n));
}
static void run_redis_slot(const input_t *in, const args_t *a)
{
    (void)a;
    printf("%u\n", (unsigned)sr_redis_slot(in->b, in->n));
}
static void run_murmur3_32(const input_t *in, const args_t *a)
{
    printf("%" PRIu32 "\n", sh_murmur3_32(in->b, in->n, a->num));
}
static void run_murmur3_128(const input_t *in, const args_t *a)
{
    uint64_t h[2];
    sh_murmur3_x64_128(in->b, in->n, a->num, h);
    printf("%" PRIu64 " %" PRIu64 "\n", h[0], h[1]);
}
static void run_murmur3_128_java(const input_t *in, const args_t *a)
{
    uint64_t h[2];
    sh_murmur3_x64_128_java(in->b, in->n, a->num, h);
    printf("%" PRIu64 " %" PRIu64 "\n", h[0], h[1]);
}
static void run_cassandra_token(const input_t *in, const args_t *a)
{
    (void)a;
    printf("%" PRId64 "\n", sr_cassandra_token(in->b, in->n));
}
static void run_murmur2(const input_t *in, const args_t *a)
{
    printf("%" PRIu32 "\n", sh_murmur2(in->b, in->n, a->num));
}
static void run_kafka_murmur2(const input_t *in, const args_t *a)
{
    (void)a;
    printf("%" PRId32 "\n", sr_kafka_murmur2(in->b, in->n));
}
static void run_kafka_partition(const input_t *in, const args_t *a)
{
    printf("%" PRIu32 "\n", sr_kafka_partition(in->b, in->n, a->num));
}
static void run_siphash(const input_t *in, const args_t *a)
{
    printf("%" PRIu64 "\n", sh_siphash24(a->key, in->b, in->n));
}
static void run_es_hash(const input_t *in, const args_t *a)
{
    (void)a;
    int32_t h;
    if (sr_es_hash(in->b, in->n, &h) == 0)
        printf("%" PRId32 "\n", h);
    else
        printf("invalid-utf8\n");
}
static void run_es_shard(const input_t *in, const args_t *a)
{
    int32_t h;
    if (sr_es_hash(in->b, in->n, &h) == 0)
        printf("%" PRIu32 "\n", sr_es_shard(h, a->num, a->routing));
    else
        printf("invalid-utf8\n");
}
static void run_milvus_int(const input_t *in, const args_t *a)
{
    (void)a;
    /* The id holds the int64's two's complement bits; memcpy reads them back
     * without an implementation-defined conversion. */
    int64_t pk;
    memcpy(&pk, &in->id, sizeof pk);
    printf("%" PRIu32 "\n", sr_milvus_hash_int64(pk));
}
static void run_milvus_varchar(const input_t *in, const args_t *a)
{
    (void)a;
    printf("%" PRIu32 "\n", sr_milvus_hash_varchar(in->b, in->n));
}
static uint64_t qdrant_hash(const input_t *in)
{
    return in->is_uuid ? sr_qdrant_hash_uuid(in->u) : sr_qdrant_hash_num(in->id);
}
static void run_qdrant_hash(const input_t *in, const args_t *a)
{
    (void)a;
    printf("%" PRIu64 "\n", qdrant_hash(in));
}
static void run_qdrant_shard(const input_t *in, const args_t *a)
{
    printf("%" PRIu32 "\n", sr_qdrant_ring_shard(a->ring, a->ring_len, qdrant_hash(in)));
}
static void run_uuid(const input_t *in, const args_t *a)
{
    (void)a;
    uint8_t u[16];
    char text[UUID_TEXT_LEN + 1];
    uuid_from_id(in->b, in->n, u);
    uuid_format(u, text);
    printf("%s\n", text);
}
static void run_weaviate_token(const input_t *in, const args_t *a)
{
    (void)a;
    printf("%" PRIu64 "\n", sr_weaviate_token(in->u));
}

typedef struct tool {
    const char *name;
    input_kind_t input;
    arg_kind_t arg;
    int arg_required;
    void (*run)(const input_t *in, const args_t *a);
    const char *what;
} tool_t;

static const tool_t tools[] = {
    {"crc16", IN_HEX, ARG_NONE, 0, run_crc16, "CRC16/XMODEM"},
    {"crc32", IN_HEX, ARG_NONE, 0, run_crc32, "CRC-32/IEEE"},
    {"redis-slot", IN_HEX, ARG_NONE, 0, run_redis_slot, "Redis Cluster hash slot"},
    {"murmur3-32", IN_HEX, ARG_SEED, 0, run_murmur3_32, "Murmur3 x86_32 (seed default 0)"},
    {"murmur3-128", IN_HEX, ARG_SEED, 0, run_murmur3_128, "Murmur3 x64_128: h1 h2 (seed default 0)"},
    {"murmur3-128-java", IN_HEX, ARG_SEED, 0, run_murmur3_128_java, "the same with Java's signed tail bytes"},
    {"cassandra-token", IN_HEX, ARG_NONE, 0, run_cassandra_token, "Murmur3Partitioner token (signed)"},
    {"murmur2", IN_HEX, ARG_SEED, 0, run_murmur2, "MurmurHash2 (seed default 0)"},
    {"kafka-murmur2", IN_HEX, ARG_NONE, 0, run_kafka_murmur2, "Kafka Utils.murmur2 (signed)"},
    {"kafka-partition", IN_HEX, ARG_COUNT, 1, run_kafka_partition, "Kafka partition among PARTITIONS"},
    {"siphash", IN_HEX, ARG_KEY, 0, run_siphash, "SipHash-2-4 (key: 32 hex digits, default 0)"},
    {"es-hash", IN_HEX, ARG_NONE, 0, run_es_hash, "Elasticsearch hash of UTF-8 bytes (signed; invalid-utf8)"},
    {"es-shard", IN_HEX, ARG_ES, 1, run_es_shard, "Elasticsearch shard, ARG S or S:R (R default ES's)"},
    {"milvus-int", IN_INT64, ARG_NONE, 0, run_milvus_int, "Milvus Hash32Int64 of a decimal int64"},
    {"milvus-varchar", IN_HEX, ARG_NONE, 0, run_milvus_varchar, "Milvus HashString2Uint32"},
    {"qdrant-hash", IN_QDRANT_ID, ARG_NONE, 0, run_qdrant_hash, "Qdrant hash of an id (decimal or UUID)"},
    {"qdrant-shard", IN_QDRANT_ID, ARG_COUNT, 1, run_qdrant_shard, "Qdrant shard of an id among SHARDS"},
    {"uuid", IN_HEX, ARG_NONE, 0, run_uuid, "the UUID Ringscope derives from an id"},
    {"weaviate-token", IN_UUID, ARG_NONE, 0, run_weaviate_token, "Weaviate token of a UUID"},
};

static void usage(const char *why)
{
    if (why)
        fprintf(stderr, "syshash_tool: %s\n", why);
    fprintf(stderr, "usage: syshash_tool FUNCTION [ARG] < inputs (one per line)\n");
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        fprintf(stderr, "  %-17s %s\n", tools[i].name, tools[i].what);
    exit(2);
}

/* A whole unsigned number in base (0: C's prefixes, for seeds). */
static int parse_u64(const char *s, int base, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long v = strtoull(s, &end, base);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

/* Decodes len hex digits at s into out (len / 2 bytes; out may be s);
 * -1 if they are not hex. */
static int unhex(const char *s, size_t len, uint8_t *out)
{
    if (len % 2)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (!isxdigit((unsigned char)s[i]))
            return -1;
    for (size_t i = 0; i < len; i += 2) {
        char pair[3] = {s[i], s[i + 1], '\0'};
        out[i / 2] = (uint8_t)strtoul(pair, NULL, 16);
    }
    return 0;
}

static void parse_arg(const tool_t *t, const char *arg, args_t *a)
{
    uint64_t v = 0, r = 0;
    switch (t->arg) {
    case ARG_NONE:
        break;
    case ARG_SEED:
        if (parse_u64(arg, 0, &v) || v > UINT32_MAX)
            usage("SEED must be 0..4294967295");
        a->num = (uint32_t)v;
        break;
    case ARG_COUNT:
        if (parse_u64(arg, 10, &v) || v < 1 || v > 65536)
            usage("the count must be 1..65536");
        a->num = (uint32_t)v;
        break;
    case ARG_KEY:
        if (strlen(arg) != 32 || unhex(arg, 32, a->key))
            usage("KEYHEX must be 32 hex digits");
        break;
    case ARG_ES: {
        char buf[32];
        if (strlen(arg) >= sizeof buf)
            usage("es-shard takes S or S:R");
        strcpy(buf, arg);
        char *colon = strchr(buf, ':');
        if (colon)
            *colon = '\0';
        if (parse_u64(buf, 10, &v) || v < 1 || v > 65536)
            usage("S must be 1..65536");
        r = sr_es_routing_shards((uint32_t)v);
        if (colon && (parse_u64(colon + 1, 10, &r) || r < v || r > INT32_MAX || r % v))
            usage("R must be a multiple of S up to 2147483647");
        a->num = (uint32_t)v;
        a->routing = (uint32_t)r;
        break;
    }
    }
}

/* Parses one line (newline stripped) for t; returns NULL or what is wrong. */
static const char *parse_input(const tool_t *t, char *line, size_t len, input_t *in)
{
    memset(in, 0, sizeof *in);
    switch (t->input) {
    case IN_HEX:
        /* In place: the bytes are never longer than their digits. */
        if (unhex(line, len, (uint8_t *)line))
            return "not hex bytes";
        in->b = (const uint8_t *)line;
        in->n = len / 2;
        return NULL;
    case IN_INT64: {
        char *end;
        errno = 0;
        long long v = strtoll(line, &end, 10);
        if (len == 0 || errno || *end)
            return "not a decimal int64";
        memcpy(&in->id, &v, sizeof in->id);
        return NULL;
    }
    case IN_QDRANT_ID:
        if (uuid_parse(line, len, in->u) == 0)
            in->is_uuid = 1;
        else if (parse_u64(line, 10, &in->id))
            return "not a decimal id or a UUID";
        return NULL;
    case IN_UUID:
        return uuid_parse(line, len, in->u) == 0 ? NULL : "not a UUID";
    }
    return "unknown input kind";
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3)
        usage(NULL);
    const tool_t *t = NULL;
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        if (strcmp(argv[1], tools[i].name) == 0)
            t = &tools[i];
    if (t == NULL)
        usage("unknown function");
    if ((argc == 3 && t->arg == ARG_NONE) || (argc == 2 && t->arg_required))
        usage(argc == 3 ? "this function takes no argument" : "this function needs an argument");
    args_t a = {0};
    if (argc == 3)
        parse_arg(t, argv[2], &a);
    if (t->run == run_qdrant_shard) {
        a.ring_len = (size_t)a.num * SR_QDRANT_SCALE;
        a.ring = malloc(a.ring_len * sizeof *a.ring);
        if (!a.ring) {
            fprintf(stderr, "syshash_tool: out of memory\n");
            return 1;
        }
        sr_qdrant_ring_build(a.ring, a.num);
    }

    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    int status = 0;
    while ((got = getline(&line, &cap, stdin)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        input_t in;
        const char *why = parse_input(t, line, len, &in);
        if (why) {
            fprintf(stderr, "syshash_tool: line %zu: %s\n", lineno, why);
            status = 1;
            break;
        }
        t->run(&in, &a);
    }
    free(line);
    free(a.ring);
    if (status == 0 && (ferror(stdin) || fflush(stdout) != 0)) {
        fprintf(stderr, "syshash_tool: I/O error\n");
        status = 1;
    }
    return status;
}
