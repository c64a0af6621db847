#!/usr/bin/python3
"""A real Redis Cluster against redis_model.py and `ringscope`, step by step.

Four redis-server instances (Debian's, on free 127.0.0.1 ports, in a temp
dir; redis_live.py stops them and removes their files whatever happens):

  1. redis-cli --cluster create over the first three (masters n1, n2, n3);
  2. --cluster add-node n4, then rebalance --cluster-use-empty-masters;
  3. removal of n2: rebalance --cluster-weight n2=0, then del-node.

After each step the slot map read back with CLUSTER NODES (parsed by
redis_model.parse_cluster_nodes) must equal redis_model's, {node: [[first,
last], ...]}. The model is given redis-cli's node order (the entry node,
then its CLUSTER NODES order), which decides ties.

With the ringscope binary as argument, the same steps run through it:
  - `sim --preset redis-cluster --nodes n1,n2,n3` (then `add n4`): its
    shard_ranges equal the live map after create and after the rebalance;
    after `remove n2` they equal the model run in rank order, and the live
    map whenever redis-cli's order breaks the ties as the ranks do;
  - `--from-redis` of the live cluster's CLUSTER NODES (read from n1, the
    node redis-cli runs against): its start equals the live map, and its
    `remove` of n2 equals the live removal exactly — the file gives
    redis-cli's order, myself first;
  - CLUSTER KEYSLOT equals `locate --preset redis-cluster` for 5,000 keys:
    text, hash tags, empty and unclosed tags, nested braces and binary
    bytes (all through --key-hex).
Run with /usr/bin/python3; about 30 s.
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import redis_model as model  # noqa: E402
from redis_live import RedisFleet  # noqa: E402


def cluster_nodes(fleet, i):
    c = fleet.conn(i)
    try:
        return c.call("CLUSTER", "NODES").decode()
    finally:
        c.close()


def wait_for(what, cond, timeout=20.0):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            sys.exit("timed out waiting for " + what)
        time.sleep(0.1)


def live_map(fleet, names, i=0):
    """The slot map node i sees, by node name; and the parse."""
    p = model.parse_cluster_nodes(cluster_nodes(fleet, i))
    if p["markers"]:
        sys.exit("open slots after a redis-cli command: %r" % p["markers"])
    return {names[nid]: ranges for nid, ranges in p["masters"].items()}, p


def agreed(fleet, members, names):
    """Every member node sees the same masters and slot map."""
    maps = []
    for i in members:
        p = model.parse_cluster_nodes(cluster_nodes(fleet, i))
        if len(p["nodes"]) != len(members) or any("handshake" in n["flags"] or "noaddr" in n["flags"]
                                                   for n in p["nodes"]):
            return False
        maps.append({names.get(k, k): v for k, v in p["masters"].items()})
    return all(m == maps[0] for m in maps)


def check(step, got, want):
    if got != want:
        print("step %s: the live cluster differs from the model" % step)
        for n in sorted(set(got) | set(want)):
            print("  %s live %s\n  %s model %s" % (n, got.get(n), " " * len(n), want.get(n)))
        sys.exit(1)
    print("%-46s %s" % (step + ": live == model",
                        "  ".join("%s %s" % (n, " ".join("%d-%d" % tuple(r) for r in got[n])) for n in sorted(got))))


BIN = sys.argv[1] if len(sys.argv) > 1 else None


def ringscope(*args):
    p = subprocess.run([BIN, *args], capture_output=True)
    if p.returncode != 0:
        sys.exit("ringscope %s: exit %d: %s" % (" ".join(args[:6]), p.returncode, p.stderr.decode(errors="replace")))
    return p.stdout


def sim_ranges(*args):
    """shard_ranges of every step of `sim --preset redis-cluster ARGS`, with
    nodes that hold nothing left out (as CLUSTER NODES has them)."""
    steps = json.loads(ringscope("sim", "--preset", "redis-cluster", "--vectors", "0", "--json", *args))["steps"]
    return [{n: r for n, r in st["shard_ranges"].items() if r} for st in steps]


def held(live):
    """A live map without the masters that serve no slot (sim drops a
    removed node; CLUSTER NODES lists it until del-node)."""
    return {n: r for n, r in live.items() if r}


def from_redis(text, names, *args):
    """sim --from-redis of a CLUSTER NODES text; names: address -> n1...."""
    with tempfile.NamedTemporaryFile("w", suffix=".nodes", delete=False) as f:
        f.write(text)
    try:
        return [{names[a]: r for a, r in m.items()} for m in sim_ranges("--from-redis", f.name, *args)]
    finally:
        os.unlink(f.name)


def keyslot_keys(rng):
    keys = [b"somekey", b"", b"{}", b"{", b"}", b"foo{}{bar}", b"foo{{bar}}zap", b"foo{bar}{zap}", b"{user1}.following"]
    for i in range(1200):
        keys.append(b"key:%d" % i)
        keys.append(b"{user%d}.followers" % (i % 97))
        keys.append(b"pre{}fix%d" % i)
        keys.append(b"a{b%d" % i)
    while len(keys) < 5000:
        keys.append(bytes(rng.choice(b"{}\x00\xff ab") if rng.random() < 0.3 else rng.randrange(256)
                          for _ in range(rng.randrange(0, 24))))
    return keys[:5000]


def check_keyslots(fleet):
    keys = keyslot_keys(random.Random(16384))
    c = fleet.conn(0)
    try:
        live = c.pipeline([("CLUSTER", "KEYSLOT", k) for k in keys])
    finally:
        c.close()
    got = []
    for lo in range(0, len(keys), 1000):
        args = [a for k in keys[lo:lo + 1000] for a in ("--key-hex", k.hex())]
        got += [r["shard"] for r in json.loads(ringscope("locate", "--json", "--preset", "redis-cluster",
                                                         "--vectors", "0", *args))]
    bad = [(k, l, g) for k, l, g in zip(keys, live, got) if l != g]
    if bad:
        sys.exit("CLUSTER KEYSLOT != locate for %d keys, e.g. %r" % (len(bad), bad[:3]))
    print("CLUSTER KEYSLOT == locate --preset redis-cluster for %d keys (tags, empty tags, binary)" % len(keys))


def main():
    t0 = time.monotonic()
    with RedisFleet(4, deadline_s=100) as fleet:
        names = {}
        for i in range(4):
            c = fleet.conn(i)
            names[c.call("CLUSTER", "MYID").decode()] = "n%d" % (i + 1)
            c.close()
        ids = {v: k for k, v in names.items()}

        # 1. create over three masters
        fleet.cli("--cluster", "create", fleet.addr(0), fleet.addr(1), fleet.addr(2), "--cluster-yes")
        wait_for("the three masters to agree", lambda: agreed(fleet, [0, 1, 2], names))
        state = model.create_split(["n1", "n2", "n3"])
        check("create n1 n2 n3", live_map(fleet, names)[0], model.slot_map(state))
        if BIN:
            check("sim --preset redis-cluster: create", sim_ranges("--nodes", "n1,n2,n3")[0],
                  held(live_map(fleet, names)[0]))
            check_keyslots(fleet)

        # 2. add n4 and rebalance onto it
        fleet.cli("--cluster", "add-node", fleet.addr(3), fleet.addr(0))
        wait_for("n4 to join", lambda: agreed(fleet, [0, 1, 2, 3], names))
        state = model.add_node(state, "n4")
        check("add-node n4", live_map(fleet, names)[0], model.slot_map(state))
        order = [names[i] for i in model.cli_order(live_map(fleet, names)[1])]
        fleet.cli("--cluster", "rebalance", fleet.addr(0), "--cluster-use-empty-masters", "--cluster-yes",
                  timeout=80)
        state, moves = model.rebalance(state, order, use_empty=True)
        check("rebalance --cluster-use-empty-masters", live_map(fleet, names)[0], model.slot_map(state))
        if model.slot_map(state)["n4"] != [[0, 1364], [5461, 6826], [10923, 12287]]:
            sys.exit("the model lost DESIGN's worked value for n4: %r" % model.slot_map(state)["n4"])
        addr_names = {}
        if BIN:
            check("sim: add n4 (add-node + rebalance)", sim_ranges("--nodes", "n1,n2,n3", "--do", "add n4")[1],
                  held(live_map(fleet, names)[0]))
            before_removal = cluster_nodes(fleet, 0)
            for n in model.parse_cluster_nodes(before_removal)["nodes"]:
                addr_names[n["addr"].split("@")[0]] = names[n["id"]]
            check("sim --from-redis (live CLUSTER NODES)", from_redis(before_removal, addr_names)[0],
                  held(live_map(fleet, names)[0]))

        # 3. remove n2: weight 0, then del-node
        order = [names[i] for i in model.cli_order(live_map(fleet, names)[1])]
        fleet.cli("--cluster", "rebalance", fleet.addr(0), "--cluster-weight", ids["n2"] + "=0", "--cluster-yes",
                  timeout=80)
        state, moves = model.rebalance(state, order, weights={"n2": 0})
        print("  (redis-cli's node order %s: %s)" % (" ".join(order), ", ".join(
            "%s gives %d to %s" % (s, len(x), d) for s, d, x in moves)))
        check("rebalance --cluster-weight n2=0", live_map(fleet, names)[0], model.slot_map(state))
        if BIN:
            n2 = next(a for a, n in addr_names.items() if n == "n2")
            check("sim --from-redis, remove n2", from_redis(before_removal, addr_names, "--do", "remove " + n2)[1],
                  held(live_map(fleet, names)[0]))
            ranked, _ = model.rebalance(model.rebalance(model.add_node(model.create_split(["n1", "n2", "n3"]), "n4"),
                                                        ["n1", "n2", "n3", "n4"], use_empty=True)[0],
                                        ["n1", "n2", "n3", "n4"], weights={"n2": 0})
            scratch = sim_ranges("--nodes", "n1,n2,n3", "--do", "add n4", "--do", "remove n2")[2]
            check("sim: add n4, remove n2 (model, rank order)", scratch,
                  {n: r for n, r in model.slot_map(ranked).items() if r})
            if model.slot_map(ranked) == model.slot_map(state):
                check("sim: add n4, remove n2 (live: redis-cli's order %s ties as the ranks do)" % " ".join(order),
                      scratch, held(live_map(fleet, names)[0]))
            else:
                print("  (redis-cli's order %s breaks ties otherwise than the ranks: the --from-redis run above "
                      "holds the live removal)" % " ".join(order))
        fleet.cli("--cluster", "del-node", fleet.addr(0), ids["n2"])
        state = model.del_node(state, "n2")
        wait_for("n2 to be forgotten", lambda: agreed(fleet, [0, 2, 3], names))
        check("del-node n2", live_map(fleet, names)[0], model.slot_map(state))
        if BIN:
            check("sim --from-redis after del-node", from_redis(cluster_nodes(fleet, 0), addr_names)[0],
                  held(live_map(fleet, names)[0]))
        for i in (2, 3):  # the other survivors see the same map
            check("del-node n2 (seen by n%d)" % (i + 1), live_map(fleet, names, i)[0], model.slot_map(state))
    print("redis cluster: 4 instances, create / add-node + rebalance / weight 0 + del-node, "
          "live == model after every step (%.1f s)" % (time.monotonic() - t0))


if __name__ == "__main__":
    main()
