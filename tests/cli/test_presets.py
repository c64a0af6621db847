#!/usr/bin/python3
"""The presets of real systems through the real binary (DESIGN §1c).

- `locate --preset NAME` equal to each system's published vectors
  (../shared/reference/routing.md): Redis's slots and hash tags (CLUSTER
  KEYSLOT values from the docs), Elasticsearch's Murmur3HashFunctionTests
  and IndexRoutingTests.testBWC (8 shards, --routing-shards 8 as the test's
  IndexMetadata has it) and the default 640 routing shards of a 5-shard
  index, Qdrant's split_point_operations (3 shards, numbers and UUIDs),
  Milvus's hash_test.go, Kafka's UtilsTest.testMurmur2, the Cassandra
  drivers' token vectors (binary keys through --key-hex), Weaviate's token,
  memcached's (ketama's) "test";
- the JSON objects carry key, hash, shard, owner (and token for Cassandra);
- native key forms: vec_N is the number N for Qdrant and Milvus, the UUID
  derived from it (SHA-256, version 4) for Weaviate;
- Kafka's `partitions`: the keys read from the wrong partition equal a
  count made here with Kafka's murmur2 written out in Python;
- `sim --json`'s config names the preset and its parameters in force.

    test_presets.py path/to/ringscope
"""
import hashlib
import json
import subprocess
import sys
import uuid

BIN = sys.argv[1]


def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True)
    if p.returncode != 0:
        raise AssertionError(f"{args[:8]}... exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p.stdout


def locate(*args):
    return json.loads(run("locate", "--json", *args))


def signed(h, bits):
    return h - (1 << bits) if h >> (bits - 1) else h


def check(cond, what):
    if not cond:
        sys.exit("test_presets: FAILED: " + what)
    print("ok  " + what)


def redis():
    slots = {"somekey": 11058, "foo{hash_tag}": 2515, "bar{hash_tag}": 2515, "{user1}.following": 8106,
             "foo": 12182, "bar": 5061, "{user1000}.following": 3443, "foo{}{bar}": 8363, "foo{{bar}}zap": 4015,
             "foo{bar}{zap}": 5061, "": 0}
    got = locate("--preset", "redis-cluster", "--vectors", "0", "--", *slots)
    check([r["shard"] for r in got] == list(slots.values()), "redis-cluster: slots of the docs' keys and hash tags")
    check(locate("--preset", "redis-cluster", "--vectors", "0", "123456789")[0]["hash"] == "0x31c3",
          "redis-cluster: CRC16/XMODEM(\"123456789\") = 0x31C3")
    # a binary key: bytes through --key-hex, the tag rule on bytes
    r = locate("--preset", "redis-cluster", "--vectors", "0", "--key-hex", "ff7b6162637d00")[0]
    check(r["shard"] == locate("--preset", "redis-cluster", "--vectors", "0", "abc")[0]["shard"],
          "redis-cluster: binary key \\xff{abc}\\0 hashes its tag")


def elasticsearch():
    hashes = {"": 0x00000000, "h": 0x3fb8ba02, "hello": 0xd7c31989, "hello world": 0x64b256a4,
              "Γειά σου Κόσμε": 0x8ded82be, "Supplementary planes too 🙂": 0x8274606c,
              "The quick brown fox jumps over the lazy dog": 0xe07db09c}
    got = locate("--preset", "elasticsearch", "--vectors", "0", "--", *hashes)
    check([int(r["hash"], 16) for r in got] == list(hashes.values()),
          "elasticsearch: Murmur3HashFunctionTests over UTF-16 code units")
    bwc = {"sEERfFzPSI": 1, "cNRiIrjzYd": 7, "BgfLBXUyWT": 5, "cnepjZhQnb": 3, "OKCmuYkeCK": 6,
           "OutXGRQUja": 5, "yCdyocKWou": 1, "KXuNWWNgVj": 2, "DGJOYrpESx": 4, "hswhrppvDH": 0}
    got = locate("--preset", "elasticsearch", "--shards", "8", "--routing-shards", "8", "--nodes",
                 ",".join("n%d" % i for i in range(8)), "--vectors", "0", *bwc)
    check([r["shard"] for r in got] == list(bwc.values()),
          "elasticsearch: IndexRoutingTests.testBWC with --routing-shards 8 as the test sets it")
    five = locate("--preset", "elasticsearch", "--shards", "5", "--vectors", "0", "hello")[0]
    check(five["shard"] == 4, "elasticsearch: a 5-shard index routes with R = 640: \"hello\" -> shard 4 (not mod 5: 1)")
    cfg = json.loads(run("sim", "--preset", "elasticsearch", "--shards", "5", "--json", "--vectors", "0"))["config"]
    check(cfg["preset"] == "elasticsearch" and cfg["shards"] == 5 and cfg["routing_shards"] == 640,
          "elasticsearch: sim's config names the preset, 5 shards and 640 routing shards")


def qdrant():
    points = {"4072cda9-8ac6-46fa-9367-7372bc5e4798": 2, "321": 1, "fe23809b-dcc9-40ba-8255-a45dce6f10be": 2,
              "a307aa98-d5b5-4b0c-aec9-f963171acb74": 2, "aaf3bb55-dc48-418c-ba76-18badc0d7fc5": 0,
              "63000b52-641b-45cf-bc15-14de3944b9dd": 0, "aab5ef35-83ad-49ea-a629-508e308872f7": 0,
              "0": 2, "100500": 1}
    got = locate("--preset", "qdrant", "--nodes", "a,b,c", "--vectors", "0", *points)
    check([r["shard"] for r in got] == list(points.values()),
          "qdrant: split_point_operations, 3 shards (one per node), numbers and UUIDs")
    check(got[1]["hash"] == "0x1386ab10e5599f96", "qdrant: SipHash of point 321 as routing.md gives it")
    a, b = locate("--preset", "qdrant", "--vectors", "100", "vec_000042", "42")
    check(a["hash"] == b["hash"] and a["shard"] == b["shard"], "qdrant: vec_000042 is point 42")


def milvus():
    want = {"0": 1669671676, "1": 1392991556, "10": 1857498428, "100": 1177227376, "1000": 679959820,
            "1000000000000000000": 2117120843}
    got = locate("--preset", "milvus", "--shards", "4", "--vectors", "0", *want)
    check([int(r["hash"], 16) for r in got] == list(want.values()), "milvus: Hash32Int64 of hash_test.go")
    check([r["shard"] for r in got] == [h % 4 for h in want.values()], "milvus: shard = hash mod S")
    neg = locate("--preset", "milvus", "--vectors", "0", "--", "-1")[0]
    le = (2 ** 64 - 1).to_bytes(8, "little")
    check(neg["key"] == "-1" and int(neg["hash"], 16) == murmur3_32(le) & 0x7fffffff,
          "milvus: a negative pk is its two's complement, le64")


def murmur3_32(data, seed=0):
    """MurmurHash3_x86_32 (for the negative Milvus pk above)."""
    c1, c2, h = 0xcc9e2d51, 0x1b873593, seed
    rotl = lambda x, r: ((x << r) | (x >> (32 - r))) & 0xffffffff
    n = len(data) // 4
    for i in range(n):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = rotl((k * c1) & 0xffffffff, 15) * c2 & 0xffffffff
        h = (rotl(h ^ k, 13) * 5 + 0xe6546b64) & 0xffffffff
    k = int.from_bytes(data[4 * n:], "little")
    if len(data) % 4:
        h ^= rotl((k * c1) & 0xffffffff, 15) * c2 & 0xffffffff
    h ^= len(data)
    h ^= h >> 16
    h = h * 0x85ebca6b & 0xffffffff
    h ^= h >> 13
    h = h * 0xc2b2ae35 & 0xffffffff
    return h ^ (h >> 16)


def murmur2(data):
    """Kafka's Utils.murmur2, written out (unsigned 32-bit)."""
    m, r = 0x5bd1e995, 24
    h = (0x9747b28c ^ len(data)) & 0xffffffff
    for i in range(len(data) // 4):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = k * m & 0xffffffff
        k ^= k >> r
        k = k * m & 0xffffffff
        h = (h * m & 0xffffffff) ^ k
    tail, base = len(data) % 4, len(data) & ~3
    if tail == 3:
        h ^= data[base + 2] << 16
    if tail >= 2:
        h ^= data[base + 1] << 8
    if tail >= 1:
        h ^= data[base]
        h = h * m & 0xffffffff
    h ^= h >> 13
    h = h * m & 0xffffffff
    return h ^ (h >> 15)


def kafka():
    want = {"21": -973932308, "foobar": -790332482, "a-little-bit-long-string": -985981536,
            "a-little-bit-longer-string": -1486304829, "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
            "abc": 479470107}
    got = locate("--preset", "kafka", "--vectors", "0", *want)
    check([signed(int(r["hash"], 16), 32) for r in got] == list(want.values()), "kafka: UtilsTest.testMurmur2")
    check(all(murmur2(k.encode()) == v & 0xffffffff for k, v in want.items()), "kafka: the Python murmur2 agrees")
    for p, parts in ((3, [0, 0, 0]), (10, [0, 6, 7])):
        got = locate("--preset", "kafka", "--shards", str(p), "--vectors", "0", "21", "foobar", "abc")
        check([r["shard"] for r in got] == parts, "kafka: partitions of 21, foobar, abc among %d" % p)
    steps = json.loads(run("sim", "--preset", "kafka", "--shards", "6", "--vectors", "20000", "--do",
                           "partitions 8", "--json"))["steps"]
    wrong = sum((murmur2(b"vec_%06d" % i) & 0x7fffffff) % 6 != (murmur2(b"vec_%06d" % i) & 0x7fffffff) % 8
                for i in range(20000))
    check(steps[1]["misrouted"] == wrong and steps[1]["moved"] == 0 and steps[1]["partitions"] == 8,
          "kafka: partitions 6 -> 8 moves no record; %d of 20000 keys now read from the wrong partition" % wrong)


def cassandra():
    want = {"123": -7468325962851647638, "9223372036854775807": 7162290910810015547}
    got = locate("--preset", "cassandra", "--vectors", "0", *want)
    check([r["token"] for r in got] == list(want.values()), "cassandra: Murmur3Partitioner tokens of text keys")
    binary = [(b"\x00\xff\x10\xfa\x99" * 10, 5837342703291459765), (b"\xfe" * 8, -8927430733708461935),
              (bytes(range(1, 17)), -5563837382979743776), (b"\xff" * 16, -2824192546314762522),
              (b"\xfe" * 17, -1672437813826982685), (b"\xe2\xe7", -8582699461035929883),
              (b"\xe2\xe7\xe2\xe7\xe2\xe7\x01", 2222373981930033306)]
    args = [a for k, _ in binary for a in ("--key-hex", k.hex())]
    got = locate("--preset", "cassandra", "--vectors", "0", *args)
    check([r["token"] for r in got] == [t for _, t in binary],
          "cassandra: the drivers' token vectors of binary keys (Java's sign-extended tail) via --key-hex")
    check(all(r["hash"] == "0x%016x" % (r["token"] & (2 ** 64 - 1)) and "shard" not in r for r in got),
          "cassandra: hash is the token's 64 bits; no shard, a token range")


def weaviate():
    u = "550e8400-e29b-41d4-a716-446655440000"
    r = locate("--preset", "weaviate", "--vectors", "0", u)[0]
    check(r["hash"] == "0x3b5bf956a6f9e187", "weaviate: token of " + u)
    d = bytearray(hashlib.sha256(b"vec_000042").digest()[:16])
    d[6] = d[6] & 0x0F | 0x40
    d[8] = d[8] & 0x3F | 0x80
    a, b = locate("--preset", "weaviate", "--vectors", "100", "vec_000042", str(uuid.UUID(bytes=bytes(d))))
    check(a["hash"] == b["hash"] and a["shard"] == b["shard"],
          "weaviate: vec_000042 is the UUID derived from its id (SHA-256, version 4)")


def memcached():
    r = locate("--preset", "memcached", "--vectors", "0", "test")[0]
    check(int(r["hash"], 16) == 3446378249 and r["strategy"] == "ketama", "memcached: ketama's hash of \"test\"")


def json_fields():
    for name in ("redis-cluster", "elasticsearch", "qdrant", "milvus", "cassandra", "kafka", "weaviate"):
        key = "vec_000007"
        r = locate("--preset", name, "--vectors", "100", key)[0]
        need = {"key", "hash", "owner"} | ({"token"} if name == "cassandra" else {"shard"})
        check(need <= set(r) and r["key"] == key, "%s: locate's JSON has %s" % (name, ", ".join(sorted(need))))
        cfg = json.loads(run("sim", "--preset", name, "--json", "--vectors", "100"))["config"]
        check(cfg.get("preset") == name and cfg.get("strategy") == name, "%s: sim's config names the preset" % name)


if __name__ == "__main__":
    redis()
    elasticsearch()
    qdrant()
    milvus()
    kafka()
    cassandra()
    weaviate()
    memcached()
    json_fields()
    print("test_presets: all checks passed")
