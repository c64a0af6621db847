#!/usr/bin/python3
"""Placement strategies through the real binary (DESIGN §1b).

- jump's check values: `locate --strategy jump --hash i` over 100 nodes;
- ketama key for key against a real memcached client's ring (Debian's
  python3-uhashring in ketama mode) on 100k ids, on setups where the client
  and libketama agree (equal weights, 2-10 nodes), and its "test" hash;
- locate's JSON fields per strategy, `--` and --hash handling;
- sim's JSON names every step's strategy and config its parameters.

Run with /usr/bin/python3 (python3-uhashring installs there):
    test_strategies.py path/to/ringscope
"""
import json
import subprocess
import sys

from uhashring import HashRing

BIN = sys.argv[1]


def run(*args, check=True):
    p = subprocess.run([BIN, *args], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"{args[:6]}... exit {p.returncode}: {p.stderr}")
    return p


def locate_json(*args):
    return json.loads(run("locate", "--json", *args).stdout)


def jump_check_values():
    nodes = ",".join(f"n{i}" for i in range(100))
    hashes = [a for i in range(20) for a in ("--hash", str(i))]
    got = [r["bucket"] for r in locate_json("--strategy", "jump", "--nodes", nodes, "--vectors", "0", *hashes)]
    assert got == [0, 55, 62, 8, 45, 59, 86, 97, 82, 59, 73, 37, 17, 56, 86, 21, 90, 37, 38, 83], got
    # Owners follow the slots: node n_b sits in slot b from the start.
    r = locate_json("--strategy", "jump", "--nodes", nodes, "--vectors", "0", "--hash", "1")
    assert r[0]["owner"] == "n55", r


def ketama_matches_memcached_client():
    servers = ["127.0.0.1:11211", "127.0.0.1:11212"]
    r = locate_json("--strategy", "ketama", "--nodes", ",".join(servers), "--vectors", "0", "test")
    assert int(r[0]["hash"], 16) == 3446378249, r
    setups = [
        (servers, 20000),
        (["nodeA", "nodeB", "nodeC", "nodeD", "nodeE"], 100000),
        ([f"10.0.0.{i}:11211" for i in range(1, 11)], 20000),
    ]
    for nodes, keys in setups:
        client = HashRing(nodes=nodes, hash_fn="ketama")
        ids = [f"vec_{i:06d}" for i in range(keys)]
        mismatches = 0
        for lo in range(0, keys, 20000):
            chunk = ids[lo:lo + 20000]
            got = locate_json("--strategy", "ketama", "--nodes", ",".join(nodes), "--vectors", "0", *chunk)
            for key, row in zip(chunk, got):
                assert row["key"] == key
                if row["owner"] != client.get_node(key):
                    mismatches += 1
        assert mismatches == 0, (nodes, mismatches)
        print(f"ketama: {keys} ids on {len(nodes)} nodes placed as uhashring places them")
    # The sim's distribution is the same placement, counted.
    nodes = ["nodeA", "nodeB", "nodeC", "nodeD", "nodeE"]
    client = HashRing(nodes=nodes, hash_fn="ketama")
    want = {n: 0 for n in nodes}
    for i in range(20000):
        want[client.get_node(f"vec_{i:06d}")] += 1
    doc = json.loads(run("sim", "--strategy", "ketama", "--vectors", "20000", "--json").stdout)
    assert doc["steps"][0]["dist"] == want, (doc["steps"][0]["dist"], want)


def locate_fields():
    expect = {
        "ring": {"point_index", "point", "vnode"},
        "ketama": {"point_index", "point"},
        "bounded": {"point_index", "point", "vnode", "skipped", "placed"},
        "modulo": {"bucket"},
        "jump": {"bucket"},
        "maglev": {"slot"},
        "rendezvous": {"rank", "score"},
        "multiprobe": {"probe", "probe_hash", "point_index", "point"},
    }
    for strat, fields in expect.items():
        rows = locate_json("--strategy", strat, "vec_000007", "--hash", "0x1f", "--", "--hash", "-k")
        assert [r["key"] for r in rows] == ["vec_000007", None, "--hash", "-k"], rows
        for r in rows:
            assert set(r) == {"key", "hash", "strategy", "owner"} | fields, (strat, r)
            assert r["strategy"] == strat
        if strat != "ketama":
            assert rows[1]["hash"] == "0x000000000000001f", rows[1]
        if strat == "bounded":
            assert rows[0]["placed"] is True and rows[2]["placed"] is False
    # A key id answers as the sim places it: locate agrees with sim's counts.
    for strat in ("ring", "jump", "maglev", "bounded", "ketama"):
        ids = [f"vec_{i:06d}" for i in range(3000)]
        rows = locate_json("--strategy", strat, "--vectors", "3000", "--do", "add nodeF", "--do", "remove nodeB",
                           *ids)
        counts = {}
        for r in rows:
            counts[r["owner"]] = counts.get(r["owner"], 0) + 1
        doc = json.loads(run("sim", "--strategy", strat, "--vectors", "3000", "--do", "add nodeF", "--do",
                             "remove nodeB", "--json").stdout)
        dist = {k: v for k, v in doc["steps"][-1]["dist"].items() if v}
        assert counts == dist, (strat, counts, dist)
    # Empty node set: no owner.
    rows = locate_json("--nodes", "", "x")
    assert rows[0]["owner"] is None
    # Text form names the owner and the structure.
    out = run("locate", "--strategy", "maglev", "--table", "7", "vec_000001").stdout
    assert "owner node" in out and "table slot" in out and "of 7" in out, out


def sim_json_names_strategy():
    doc = json.loads(run("sim", "--strategy", "multiprobe", "--probes", "5", "--vectors", "100", "--do",
                         "strategy maglev", "--table", "101", "--json").stdout)
    assert doc["config"]["strategy"] == "multiprobe" and doc["config"]["probes"] == 5, doc["config"]
    assert "table" not in doc["config"]
    assert [s["strategy"] for s in doc["steps"]] == ["multiprobe", "maglev"], doc["steps"]
    assert doc["steps"][1]["op"] == "strategy" and doc["steps"][1]["changed"] is True
    doc = json.loads(run("sim", "--vectors", "100", "--do", "weight nodeA 3", "--json").stdout)
    step = doc["steps"][1]
    assert step["op"] == "weight" and step["node"] == "nodeA" and step["moved"] > 0, step
    assert abs(step["ideal_fraction"] - (3 / 7 - 1 / 5)) < 1e-12, step


def compare_matches_single_runs():
    strategies = ["ring", "modulo", "jump", "rendezvous", "maglev", "bounded", "multiprobe", "ketama"]
    scenario = ["--vectors", "5000", "--balance", "110", "--probes", "5", "--do", "add nodeF", "--do",
                "remove nodeC"]
    doc = json.loads(run("sim", "--compare", ",".join(strategies), *scenario, "--json").stdout)
    assert [c["strategy"] for c in doc["config"]["compare"]] == strategies, doc["config"]
    assert doc["config"]["compare"][5]["balance"] == 110 and doc["config"]["compare"][6]["probes"] == 5
    assert [s["op"] for s in doc["steps"]] == ["init", "add", "remove"]
    assert doc["steps"][1]["node"] == "nodeF"
    for strat in strategies:
        single = json.loads(run("sim", "--strategy", strat, *scenario, "--json").stdout)["steps"]
        got = [s["compare"][strat] for s in doc["steps"]]
        assert got == single, (strat, got, single)
    text = run("sim", "--compare", ",".join(strategies), *scenario).stdout
    blocks = text.strip().split("\n\n")
    assert blocks[1].splitlines()[0] == "step 1: add nodeF", blocks[1]
    for block, step in zip(blocks[:3], doc["steps"]):
        lines = block.splitlines()
        assert lines[1].split() == ["strategy", "moved", "moved", "%", "ideal", "%", "max/mean", "std/mean"], lines
        for line, strat in zip(lines[2:], strategies):
            cells = line.split()
            want = step["compare"][strat]
            assert cells[0] == strat and int(cells[1]) == want["moved"], (cells, want)
            assert cells[4] == f"{want['max_over_mean']:.3f}", (cells, want)
        # Columns line up: every row as long as the header.
        assert len({len(x) for x in lines[1:]}) == 1, lines
    assert text.rstrip().splitlines()[-1].startswith("run time (whole scenario): ring "), text


for test in (jump_check_values, compare_matches_single_runs, ketama_matches_memcached_client, locate_fields, sim_json_names_strategy):
    test()
    print("ok", test.__name__)
