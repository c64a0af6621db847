#!/usr/bin/python3
"""A real Redis Cluster against redis_model.py, step by step.

Four redis-server instances (Debian's, on free 127.0.0.1 ports, in a temp
dir; redis_live.py stops them and removes their files whatever happens):

  1. redis-cli --cluster create over the first three (masters n1, n2, n3);
  2. --cluster add-node n4, then rebalance --cluster-use-empty-masters;
  3. removal of n2: rebalance --cluster-weight n2=0, then del-node.

After each step the slot map read back with CLUSTER NODES (parsed by
redis_model.parse_cluster_nodes, the reader the C importer will be held to)
must equal redis_model's, {node: [[first, last], ...]}. The model is given
redis-cli's node order (the entry node, then its CLUSTER NODES order), which
decides ties. Later `sim --preset redis-cluster` is compared with the same
harness. Run with /usr/bin/python3; about 30 s.
"""

import os
import sys
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

        # 3. remove n2: weight 0, then del-node
        order = [names[i] for i in model.cli_order(live_map(fleet, names)[1])]
        fleet.cli("--cluster", "rebalance", fleet.addr(0), "--cluster-weight", ids["n2"] + "=0", "--cluster-yes",
                  timeout=80)
        state, moves = model.rebalance(state, order, weights={"n2": 0})
        print("  (redis-cli's node order %s: %s)" % (" ".join(order), ", ".join(
            "%s gives %d to %s" % (s, len(x), d) for s, d, x in moves)))
        check("rebalance --cluster-weight n2=0", live_map(fleet, names)[0], model.slot_map(state))
        fleet.cli("--cluster", "del-node", fleet.addr(0), ids["n2"])
        state = model.del_node(state, "n2")
        wait_for("n2 to be forgotten", lambda: agreed(fleet, [0, 2, 3], names))
        check("del-node n2", live_map(fleet, names)[0], model.slot_map(state))
        for i in (2, 3):  # the other survivors see the same map
            check("del-node n2 (seen by n%d)" % (i + 1), live_map(fleet, names, i)[0], model.slot_map(state))
    print("redis cluster: 4 instances, create / add-node + rebalance / weight 0 + del-node, "
          "live == model after every step (%.1f s)" % (time.monotonic() - t0))


if __name__ == "__main__":
    main()
