#!/usr/bin/python3
"""The core's system hashes (syshash, sysroute) against real implementations.

    oracle_syshash.py TOOL cassandra   python3-cassandra's murmur3 (C and Python)
    oracle_syshash.py TOOL guava       Guava's hash functions (libguava-java; a
                                       small Java program compiled into a temp dir)
    oracle_syshash.py TOOL stdlib      Python's binascii.crc_hqx, zlib.crc32,
                                       hashlib + uuid
    oracle_syshash.py TOOL redis       CLUSTER KEYSLOT of a real redis-server

TOOL is syshash_tool (this folder). Inputs are pseudo-random from a fixed
seed, so a failure replays; the first mismatches are printed with their
input. Run with /usr/bin/python3: Debian installs python3-cassandra there.
Exit 0: equal on every input; 1: a mismatch or a missing oracle (guava:
the published vectors are still checked, then the run fails and says why,
so a machine without Java never passes quietly).
"""

import binascii
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
import zlib

SEED = 20240611
TOOL = None


def tool(fn, inputs, arg=None):
    """syshash_tool's output lines for inputs (bytes: sent as hex; str: as is)."""
    lines = [x.hex() if isinstance(x, (bytes, bytearray)) else x for x in inputs]
    cmd = [TOOL, fn] + ([str(arg)] if arg is not None else [])
    r = subprocess.run(cmd, input="".join(l + "\n" for l in lines), capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        sys.exit("syshash_tool %s failed: %s" % (fn, r.stderr))
    out = r.stdout.splitlines()
    assert len(out) == len(inputs), "syshash_tool %s: %d outputs for %d inputs" % (fn, len(out), len(inputs))
    return out


def compare(name, inputs, ours, theirs):
    """Counts and prints mismatches; returns the number of inputs checked."""
    bad = [(x, a, b) for x, a, b in zip(inputs, ours, theirs) if str(a) != str(b)]
    for x, a, b in bad[:10]:
        print("MISMATCH %s: input %r: ours %s, theirs %s" % (name, x, a, b))
    if bad:
        sys.exit("%s: %d of %d inputs differ" % (name, len(bad), len(inputs)))
    print("%-34s equal on %6d inputs" % (name, len(inputs)))
    return len(inputs)


def signed64(v):
    v = int(v)
    return v - (1 << 64) if v >= 1 << 63 else v


def signed32(v):
    v = int(v)
    return v - (1 << 32) if v >= 1 << 31 else v


def random_bytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


# ---- Cassandra ---------------------------------------------------------------

def oracle_cassandra():
    from cassandra import murmur3 as m3
    from cassandra.metadata import Murmur3Token
    try:
        from cassandra.cmurmur3 import murmur3 as c_murmur3
    except ImportError:
        sys.exit("python3-cassandra has no cmurmur3 extension here")
    py_murmur3 = m3._murmur3
    rng = random.Random(SEED)
    inputs = []
    # Every tail length 0..15, over 0..4 whole blocks, then any length to 300.
    for tail in range(16):
        for _ in range(400):
            inputs.append(random_bytes(rng, 16 * rng.randrange(5) + tail))
    while len(inputs) < 10000:
        inputs.append(random_bytes(rng, rng.randrange(301)))
    # Bytes >= 0x80 in the tail are what the quirk is about: make some all-high.
    for i in range(0, 1600, 4):
        inputs[i] = bytes(b | 0x80 for b in inputs[i])
    h1_java = [signed64(line.split()[0]) for line in tool("murmur3-128-java", inputs)]
    h1_std = [signed64(line.split()[0]) for line in tool("murmur3-128", inputs)]
    tokens = tool("cassandra-token", inputs)
    n = compare("cassandra cmurmur3 == h1 (java tail)", inputs, h1_java, [c_murmur3(x) for x in inputs])
    compare("cassandra _murmur3 == h1 (java tail)", inputs, h1_java, [py_murmur3(x) for x in inputs])
    nonempty = [(x, t) for x, t in zip(inputs, tokens) if x]
    compare("cassandra Murmur3Token.hash_fn", [x for x, _ in nonempty], [t for _, t in nonempty],
            [Murmur3Token.hash_fn(x) for x, _ in nonempty])
    quirky = sum(1 for a, b in zip(h1_java, h1_std) if a != b)
    print("(%d of %d inputs hash differently with the reference tail: the quirk is exercised)" % (quirky, n))
    assert quirky > 1000
    print("cassandra oracle: %d random byte strings, tail lengths 0..15 each >= 400 times" % n)


# ---- Guava -------------------------------------------------------------------

ES_PUBLISHED = [  # Elasticsearch's Murmur3HashFunctionTests
    ("", 0x00000000), ("h", 0x3fb8ba02), ("he", 0xce30a49f), ("hel", 0x0c7cee6b), ("hell", 0x5a0cb7c3),
    ("hello", 0xd7c31989), ("hello w", 0x22ab2984), ("hello wo", 0xdf0ca123), ("hello wor", 0xe7744d61),
    ("hello worl", 0x51837ec6), ("hello world", 0x64b256a4), ("hello world!", 0xda1575e5),
    ("Γειά σου Κόσμε", 0x8ded82be), ("Supplementary planes too \U0001F642", 0x8274606c),
    ("The quick brown fox jumps over the lazy dog", 0xe07db09c),
    ("The quick brown fox jumps over the lazy cog", 0x4e63d2ad),
]

# Code point ranges the random ids draw from: ASCII, Latin-1, Greek, CJK, the
# edges around the surrogate block and U+FFFF, and supplementary planes.
CP_RANGES = [(0x20, 0x7e), (0xa0, 0xff), (0x370, 0x3ff), (0x4e00, 0x9fff), (0xd7f0, 0xd7ff),
             (0xe000, 0xe00f), (0xfff0, 0xffff), (0x10000, 0x1000f), (0x1f600, 0x1f64f), (0x10fff0, 0x10ffff),
             (0x0, 0x1f)]


def random_text(rng):
    return "".join(chr(rng.randint(*rng.choice(CP_RANGES))) for _ in range(rng.randrange(41)))


def es_published_only(why):
    print("=" * 72)
    print("oracle_syshash guava: %s" % why)
    print("FALLING BACK to Elasticsearch's published Murmur3 vectors only (no Guava comparison)")
    print("=" * 72)
    out = tool("es-hash", [s.encode() for s, _ in ES_PUBLISHED])
    compare("es-hash published vectors", [s for s, _ in ES_PUBLISHED], out,
            [signed32(h) for _, h in ES_PUBLISHED])
    sys.exit("oracle_syshash guava: the Guava comparison did not run (%s); tests/run.sh installs it" % why)


def oracle_guava():
    java, javac = shutil.which("java"), shutil.which("javac")
    jar = "/usr/share/java/guava.jar"
    if not java or not javac:
        es_published_only("java/javac not found (Debian's default-jdk-headless)")
    if not os.path.exists(jar):
        es_published_only("%s not found (Debian's libguava-java)" % jar)
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory(prefix="ringscope-guava-") as d:
        r = subprocess.run([javac, "-nowarn", "-cp", jar, "-d", d, os.path.join(here, "SyshashOracle.java")],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            es_published_only("javac failed:\n" + r.stderr)

        def guava(fn, inputs, arg=None):
            lines = [x.hex() if isinstance(x, (bytes, bytearray)) else x for x in inputs]
            cmd = [java, "-cp", jar + os.pathsep + d, "SyshashOracle", fn] + ([str(arg)] if arg is not None else [])
            g = subprocess.run(cmd, input="".join(l + "\n" for l in lines), capture_output=True, text=True,
                               timeout=300)
            if g.returncode != 0:
                sys.exit("SyshashOracle %s failed: %s" % (fn, g.stderr))
            return g.stdout.splitlines()

        rng = random.Random(SEED)
        total = 0
        # Elasticsearch: ids as text, hashed over their UTF-16 code units.
        texts = [s for s, _ in ES_PUBLISHED] + [random_text(rng) for _ in range(3000)]
        ids = [s.encode("utf-8") for s in texts]
        total += compare("es-hash vs murmur3_32_fixed UTF-16", texts, tool("es-hash", ids), guava("es-hash", ids))
        assert sum(1 for s in texts if any(ord(c) > 0xffff for c in s)) > 1000  # surrogate pairs exercised
        for spec in ("5:640", "8:8", "3:768", "1:1024", "30:960", "1024:2048"):
            part = ids[:800]
            total += compare("es-shard %s vs floorMod" % spec, texts[:800], tool("es-shard", part, spec),
                             guava("es-shard", part, spec))
        # The hashes behind Milvus, Weaviate, Qdrant's SipHash and Milvus's CRC.
        blobs = [random_bytes(rng, rng.randrange(200)) for _ in range(3000)]
        for seed in (0, 1, 0x9747b28c):
            total += compare("murmur3-32 seed %#x" % seed, blobs, tool("murmur3-32", blobs, seed),
                             guava("murmur3-32", blobs, seed))
        for seed in (0, 42):
            total += compare("murmur3-128 seed %d (h1 h2)" % seed, blobs, tool("murmur3-128", blobs, seed),
                             guava("murmur3-128", blobs, seed))
        uuids = [random_bytes(rng, 16) for _ in range(2000)]
        total += compare("murmur3-128 of UUID bytes (Weaviate)", uuids, tool("murmur3-128", uuids, 0),
                         guava("murmur3-128", uuids, 0))
        zero_key = "00" * 16
        total += compare("siphash-2-4 key 0 (Qdrant)", blobs, tool("siphash", blobs, zero_key),
                         guava("siphash", blobs, zero_key))
        key = random_bytes(rng, 16).hex()
        total += compare("siphash-2-4 random key", blobs, tool("siphash", blobs, key), guava("siphash", blobs, key))
        total += compare("crc32", blobs, tool("crc32", blobs), guava("crc32", blobs))
        pks = [str(v) for v in (0, 1, -1, 2 ** 63 - 1, -2 ** 63)] + \
              [str(rng.randrange(-2 ** 63, 2 ** 63)) for _ in range(2000)]
        total += compare("milvus Hash32Int64", pks, tool("milvus-int", pks), guava("milvus-int", pks))
        print("guava oracle: %d comparisons" % total)


# ---- Python's standard library -----------------------------------------------

def oracle_stdlib():
    rng = random.Random(SEED)
    blobs = [random_bytes(rng, rng.randrange(300)) for _ in range(5000)]
    total = compare("crc16 vs binascii.crc_hqx", blobs, tool("crc16", blobs),
                    [binascii.crc_hqx(b, 0) for b in blobs])
    total += compare("crc32 vs zlib.crc32", blobs, tool("crc32", blobs), [zlib.crc32(b) for b in blobs])
    total += compare("milvus varchar vs zlib.crc32[:100]", blobs, tool("milvus-varchar", blobs),
                     [zlib.crc32(b[:100]) for b in blobs])

    def derived(b):
        d = bytearray(hashlib.sha256(b).digest()[:16])
        d[6] = (d[6] & 0x0F) | 0x40
        d[8] = (d[8] & 0x3F) | 0x80
        return str(uuid.UUID(bytes=bytes(d)))

    ids = [b"vec_%06d" % i for i in range(1000)] + blobs[:1000]
    total += compare("uuid of an id vs hashlib + uuid", ids, tool("uuid", ids), [derived(b) for b in ids])
    print("stdlib oracle: %d comparisons" % total)


# ---- Redis -------------------------------------------------------------------

def redis_keys(rng, n):
    """Keys with hash tags, empty tags, nested and unbalanced braces, binary bytes."""
    alphabet = [b"{", b"}", b"a", b"b", b"user", b"\x00", b"\r\n", b"\xff", b"\x80", b" ", b"{}", b"}{"]
    keys = [b"", b"{}", b"{", b"}", b"{{}}", b"{a}", b"foo{}{bar}", b"foo{{bar}}zap", b"foo{bar}{zap}",
            b"somekey", b"foo{hash_tag}", b"bar{hash_tag}", b"{user1000}.following", b"\x00{\x00}\x00"]
    while len(keys) < n:
        kind = len(keys) % 5
        if kind == 0:  # text with a tag
            keys.append(b"%s{%s}%s" % (random_bytes(rng, rng.randrange(6)), random_bytes(rng, rng.randrange(6)),
                                       random_bytes(rng, rng.randrange(6))))
        elif kind == 1:  # brace soup
            keys.append(b"".join(rng.choice(alphabet) for _ in range(rng.randrange(12))))
        elif kind == 2:  # binary
            keys.append(random_bytes(rng, rng.randrange(40)))
        elif kind == 3:  # empty tag first, then a real one
            keys.append(b"k%d{}{t%d}" % (rng.randrange(1000), rng.randrange(1000)))
        else:  # ids as Ringscope names them
            keys.append(b"vec_%06d" % rng.randrange(10 ** 6))
    return keys


def oracle_redis():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from redis_live import RedisFleet
    keys = redis_keys(random.Random(SEED), 5000)
    with RedisFleet(1, deadline_s=60) as fleet:
        c = fleet.conn(0)
        theirs = c.pipeline([("CLUSTER", "KEYSLOT", k) for k in keys])
        c.close()
    for r in theirs:
        if not isinstance(r, int):
            sys.exit("CLUSTER KEYSLOT answered %r" % (r,))
    n = compare("redis-slot vs CLUSTER KEYSLOT", keys, tool("redis-slot", keys), theirs)
    tagged = sum(1 for k in keys if b"{" in k)
    print("redis oracle: %d keys (%d with a '{'), one redis-server --cluster-enabled yes" % (n, tagged))


ORACLES = {"cassandra": oracle_cassandra, "guava": oracle_guava, "stdlib": oracle_stdlib, "redis": oracle_redis}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ORACLES:
        print("usage: oracle_syshash.py SYSHASH_TOOL {%s}" % "|".join(ORACLES), file=sys.stderr)
        sys.exit(2)
    TOOL = sys.argv[1]
    ORACLES[sys.argv[2]]()
