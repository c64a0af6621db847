#!/usr/bin/python3
"""The cassandra preset against Cassandra's own rules (DESIGN §1c;
../shared/reference/routing.md §6), through `ringscope locate`.

- Tokens: Debian's python3-cassandra (`cassandra.murmur3.murmur3`, the
  driver's copy of Murmur3Partitioner with Java's sign-extended tail), for
  every key's token and every node's 16 tokens ("ID:k", k = 0..15), with
  Long.MIN read as Long.MAX as the partitioner does; keys are embedding ids
  and random binary keys of every tail length (--key-hex).
- The owner: the node of the first token >= the key's, wrapping.
- Replicas: NetworkTopologyStrategy as the server places them, written out
  here from DatacenterEndpoints.addEndpointAndCheckIfDone: walking the ring
  from the key's token, a node of a rack not seen yet is taken, a node of a
  seen rack only while RF - racks repeats remain, until min(RF, nodes)
  (zones are racks; a node without a zone is a rack of its own).
- The driver's own NetworkTopologyStrategy.make_token_replica_map agrees as
  a set where every node has a rack and RF <= racks; where RF exceeds the
  racks it differs from the server (routing.md §6; python3-cassandra 3.25),
  which the test counts and prints rather than follows.

    test_cassandra.py path/to/ringscope      (run with /usr/bin/python3)
"""
import bisect
import json
import random
import subprocess
import sys

from cassandra import metadata
from cassandra.connection import DefaultEndPoint
from cassandra.murmur3 import murmur3
from cassandra.policies import SimpleConvictionPolicy
from cassandra.pool import Host

BIN = sys.argv[1]
MIN, MAX = -(1 << 63), (1 << 63) - 1
NUM_TOKENS = 16


def token(key):
    if not key:
        return MIN  # Murmur3Partitioner.MINIMUM for an empty key
    t = murmur3(key)
    return MAX if t == MIN else t


def ring_of(nodes):
    """[(token, rank, node)] sorted; equal tokens: the lower rank first."""
    return sorted((token(("%s:%d" % (n, k)).encode()), r, n) for r, n in enumerate(nodes) for k in range(NUM_TOKENS))


def nts(ring, at, rf, rack, nodes):
    """The server's replicas of the range ending at ring[at]."""
    racks = len({rack[n] for n in nodes})
    left, repeats, seen, out = min(rf, len(nodes)), rf - racks, set(), []
    for i in range(len(ring)):
        n = ring[(at + i) % len(ring)][2]
        if left == 0:
            break
        if n in out:
            continue
        if rack[n] not in seen:
            seen.add(rack[n])
        elif repeats > 0:
            repeats -= 1
        else:
            continue
        out.append(n)
        left -= 1
    return out


def locate(nodes, zones, rf, keys):
    args = ["locate", "--json", "--preset", "cassandra", "--nodes", ",".join(nodes), "--vectors", "300",
            "--replicas", str(rf)]
    if zones:
        args += ["--zones", ",".join("%s=%s" % (n, z) for n, z in zones.items())]
    for k in keys:
        args += ["--key-hex", k.hex()]
    p = subprocess.run([BIN, *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("locate failed: " + p.stderr)
    return json.loads(p.stdout)


def driver_map(nodes, rack, ring, rf):
    hosts = {n: Host(DefaultEndPoint(n), SimpleConvictionPolicy, datacenter="dc1", rack=rack[n]) for n in nodes}
    owner = {metadata.Murmur3Token(t): hosts[n] for t, _, n in ring}
    m = metadata.NetworkTopologyStrategy({"dc1": str(rf)}).make_token_replica_map(owner, sorted(owner))
    return {t.value: [str(h.endpoint).split(":")[0] for h in hs] for t, hs in m.items()}


def main():
    rng = random.Random(20240521)
    keys = [b"vec_%06d" % i for i in range(300)] + [b""]
    keys += [bytes(rng.randrange(256) for _ in range(rng.choice([n, 16 + n, 32 + n]))) for n in range(16)
             for _ in range(12)]
    checked = lists = driver_same = driver_differs = 0
    setups = [
        (["n%d" % i for i in range(5)], None),
        (["n%d" % i for i in range(6)], {"n0": "r1", "n1": "r1", "n2": "r2", "n3": "r2", "n4": "r3", "n5": "r3"}),
        (["n%d" % i for i in range(7)], {"n0": "r1", "n1": "r1", "n2": "r1", "n3": "r2", "n4": "r2", "n5": "r1",
                                         "n6": "r2"}),
        (["a", "b", "c", "d", "e"], {"a": "r1", "b": "r2", "d": "r1"}),  # c and e: racks of their own
    ]
    for nodes, zones in setups:
        rack = {n: (zones or {}).get(n, "own:" + n) for n in nodes}
        ring = ring_of(nodes)
        tokens = [t for t, _, _ in ring]
        for rf in range(1, 6):
            got = locate(nodes, zones, rf, keys)
            for key, row in zip(keys, got):
                t = token(key)
                at = bisect.bisect_left(tokens, t) % len(ring)
                want = nts(ring, at, rf, rack, nodes)
                assert row["token"] == t, (key, row["token"], t)
                assert row["owner"] == ring[at][2], (key, row["owner"], ring[at])
                assert [r["node"] for r in row["replicas"]] == want, (nodes, zones, rf, key, row["replicas"], want)
                checked += 1
            lists += 1
            # The driver's replica map, where it can be compared.
            if zones and len(zones) == len(nodes):
                dm = driver_map(nodes, rack, ring, rf)
                racks = len(set(rack.values()))
                for i, (t, _, _) in enumerate(ring):
                    same = set(dm[t]) == set(nts(ring, i, rf, rack, nodes))
                    if rf <= racks:
                        assert same, ("driver", nodes, rf, t, dm[t], nts(ring, i, rf, rack, nodes))
                        driver_same += 1
                    else:
                        driver_differs += not same
    print("cassandra: %d keys x (owner, token, NetworkTopologyStrategy replicas) equal the server's rules over %d "
          "setups; the driver's map agrees on %d ranges where RF <= racks and differs from the server on %d ranges "
          "where RF > racks" % (checked, lists, driver_same, driver_differs))


if __name__ == "__main__":
    main()
