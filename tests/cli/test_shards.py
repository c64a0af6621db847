#!/usr/bin/env python3
"""Generic shards through the binary, against the independent model of
DESIGN §1c (tests/unit/shards_model.py), step by step.

Random scenarios (seeded) of add, remove, weight, zone, fail, recover, heal,
move and rebalance, with 1..3 copies and some zones, run once through the
model and once through `ringscope sim --strategy shards --json`; every step
must agree on shard_counts, shard_ranges, shards_moved (shard copies made),
moved (keys whose primary changed), promoted, lost and dist (keys each node
holds data for). Commands the model refuses are left out of the scenario
(the binary refuses them too: tests/cli/bad_input.table), and so are no-ops
the binary skips but the model would run (a weight or zone a node already
has).

    test_shards.py path/to/ringscope [SCENARIOS]
"""
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "unit"))
import shards_model  # noqa: E402

BIN = sys.argv[1]
SCENARIOS = int(sys.argv[2]) if len(sys.argv) > 2 else 240


def scenario(rng):
    """A model run and the commands it accepted."""
    S = rng.choice([1, 2, 3, 5, 7, 12, 16, 64, 100, 256, 1000])
    names = ["n%d" % i for i in range(rng.randint(1, 6))]
    zones = {n: z for n in names for z in [rng.choice(["z1", "z2", "z3", None])] if z}
    R = rng.randint(1, 3)
    keys = rng.choice([0, 1, 300, 1000, 2000])
    m = shards_model.Shards(S, names, replicas=R, keys=keys, zones=zones)
    setup = {"S": S, "names": names, "zones": zones, "R": R, "keys": keys,
             # R = 1 also without --replicas: replication off until a command turns it on
             "replicas_flag": R > 1 or rng.random() < 0.5 or bool(zones)}
    steps = [{"shard_counts": m.shard_counts(), "shard_ranges": m.shard_ranges(), "dist": m.dist(),
              "shards_moved": 0, "moved": 0, "promoted": 0, "lost": 0}]
    cmds = []
    fresh, crashed = len(names), []
    for _ in range(rng.randint(4, 14)):
        op = rng.choice(["add", "remove", "weight", "fail", "recover", "heal", "move", "rebalance", "zone"])
        try:
            if op == "add":
                cmd = "add n%d" % fresh
                fresh += 1
            elif op in ("remove", "fail"):
                node = rng.choice(m.ranks)
                cmd = "%s %s" % (op, node)
            elif op == "weight":
                node, w = rng.choice(m.ranks), rng.randint(1, 4)
                if m.weights[node] == w:
                    continue
                cmd = "weight %s %d" % (node, w)
            elif op == "zone":
                node, z = rng.choice(m.ranks), rng.choice(["z1", "z2", "z4"])
                if m.zones.get(node) == z:
                    continue
                cmd = "zone %s %s" % (node, z)
            elif op == "recover":
                if not crashed:
                    continue
                cmd = "recover %s" % crashed[0]
            elif op == "move":
                cmd = "move %d %s" % (rng.randrange(S), rng.choice(m.ranks))
            else:
                cmd = op
            step = m.apply(cmd)
        except shards_model.ShardsError:
            continue
        if op == "fail":
            crashed.append(cmd.split(" ", 1)[1])
        elif op == "recover":
            crashed.pop(0)
        cmds.append(cmd)
        steps.append(step)
    return setup, cmds, steps


def run_sim(setup, cmds):
    args = [BIN, "sim", "--json", "--strategy", "shards", "--shards", str(setup["S"]), "--nodes",
            ",".join(setup["names"]), "--vectors", str(setup["keys"]), "--dim", "4"]
    if setup["replicas_flag"]:
        args += ["--replicas", str(setup["R"])]
    if setup["zones"]:
        args += ["--zones", ",".join("%s=%s" % kv for kv in setup["zones"].items())]
    for c in cmds:
        args += ["--do", c]
    p = subprocess.run(args, capture_output=True, text=True)
    assert p.returncode == 0, (args, p.stderr)
    return json.loads(p.stdout)


def main():
    rng = random.Random(20)
    ops = {}
    for n in range(SCENARIOS):
        setup, cmds, want = scenario(rng)
        doc = run_sim(setup, cmds)
        assert doc["config"]["shards"] == setup["S"], doc["config"]
        got = doc["steps"]
        assert len(got) == len(want), (len(got), len(want))
        for i, (g, w) in enumerate(zip(got, want)):
            where = "scenario %d %r, step %d (%s)" % (n, setup, i, "init" if i == 0 else cmds[i - 1])
            ops[g["op"]] = ops.get(g["op"], 0) + 1
            for key in ("shard_counts", "shard_ranges", "dist", "moved"):
                assert g[key] == w[key], (where, key, g[key], w[key])
            assert g.get("shards_moved", 0) == (w["shards_moved"] if i else 0), (where, g["shards_moved"], w)
            assert g.get("promoted", 0) == w["promoted"], (where, g.get("promoted"), w["promoted"])
            assert g.get("lost", 0) == w["lost"], (where, g.get("lost"), w["lost"])
            # Laws the step must keep whatever the model says.
            assert sum(g["dist"].values()) == g["vectors"] - g.get("lost_total", 0), where
            assert sum(g["shard_counts"].values()) == setup["S"] or not g["shard_counts"], where
            if i and cmds[i - 1].startswith("fail"):
                assert g["moved"] == 0 and g.get("shards_moved", 0) == 0, where
    print("ok  %d scenarios: shard_counts, shard_ranges, shards_moved, moved, promoted, lost and dist "
          "equal the model's at every step (%s)" % (SCENARIOS, ", ".join("%s %d" % kv for kv in sorted(ops.items()))))
    for op in ("add", "remove", "weight", "fail", "recover", "heal", "move", "rebalance", "zone"):
        assert ops.get(op, 0) >= 20, ("too few %s steps" % op, ops)


if __name__ == "__main__":
    main()
