#!/usr/bin/env python3
"""Runs the real `ringscope sim --json` and checks the reference notebook's
numbers (DESIGN §1) and the JSON shape of DESIGN §4.
usage: sim_reference.py RINGSCOPE"""
import json
import subprocess
import sys

exe = sys.argv[1]
out = subprocess.run([exe, "sim", "--json", "--do", "add nodeF", "--do", "remove nodeC", "--do", "add nodeF"],
                     capture_output=True, text=True, check=True)
doc = json.loads(out.stdout)
assert doc["config"].pop("hash") in ("sha-ni", "portable", "openssl"), doc["config"]
assert doc["config"] == {"nodes": ["nodeA", "nodeB", "nodeC", "nodeD", "nodeE"], "vnodes": 80, "vectors": 6000,
                         "dim": 256, "seed": 42}, doc["config"]
steps = doc["steps"]
assert [s["op"] for s in steps] == ["init", "add", "remove", "add"], steps
init, add, rm, again = steps
assert init["dist"] == {"nodeA": 1257, "nodeB": 1230, "nodeC": 1071, "nodeD": 1379, "nodeE": 1063}, init["dist"]
assert init["moved"] == 0 and init["ideal_fraction"] is None
assert add["node"] == "nodeF" and add["moved"] == 1075 and add["visited"] == 1075
assert abs(add["moved_fraction"] - 1075 / 6000) < 1e-12
assert abs(add["ideal_fraction"] - 1 / 6) < 1e-12
assert rm["node"] == "nodeC" and rm["moved"] == 880 and abs(rm["ideal_fraction"] - 880 / 6000) < 1e-12
assert "nodeC" not in rm["dist"] and sum(rm["dist"].values()) == 6000
assert again["changed"] is False and again["moved"] == 0 and "already on the ring" in again["message"]
assert "already on the ring" in out.stderr
for s in steps:
    assert abs(sum(s["arc_share"].values()) - 1.0) < 1e-9
    assert s["max_over_mean"] >= 1.0 and s["std_over_mean"] > 0
    for key in ("moved_fraction", "nodes", "vectors", "vnodes", "unassigned", "max", "min", "mean"):
        assert key in s, key

# The readable table carries the same numbers.
table = subprocess.run([exe, "sim", "--do", "add nodeF"], capture_output=True, text=True, check=True).stdout
assert "moved 1075 of 6000 (17.9%) · ideal 16.7%" in table, table
assert "nodeD         1379" in table, table

# An empty ring leaves every vector unassigned.
empty = json.loads(subprocess.run([exe, "sim", "--json", "--nodes", "", "--vectors", "10"], capture_output=True,
                                  text=True, check=True).stdout)
assert empty["steps"][0]["unassigned"] == 10 and empty["steps"][0]["dist"] == {}
print("sim reference: ok")
