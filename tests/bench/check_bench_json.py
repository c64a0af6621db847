#!/usr/bin/env python3
"""Smoke test of `ringscope bench --quick --json`: the command succeeds and
prints exactly one JSON object with every figure of issues 6 and 25, each a
finite, positive number where a time is expected, and bench_table.py renders
it. Every number anywhere in the output is checked too: none may be negative,
denormal-small (a median over slots never timed once printed 7.5e-281) or
absurdly large — the traces of a read of uninitialised memory, which the
sanitizer build fills with a pattern (a huge negative double) to make sure
such a read shows here.
No time is compared with any limit: this machine's speed is not under test.

Usage: check_bench_json.py PATH/TO/ringscope
"""
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_table  # noqa: E402


def fail(msg):
    print(f"check_bench_json: {msg}", file=sys.stderr)
    sys.exit(1)


def need(obj, key, kind, where):
    if key not in obj:
        fail(f"{where}: missing \"{key}\"")
    v = obj[key]
    if kind == "time":
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v <= 0:
            fail(f"{where}.{key}: expected a positive number, got {v!r}")
    elif kind == "pct":
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v < 0:
            fail(f"{where}.{key}: expected a percentage, got {v!r}")
    elif kind == "count":
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            fail(f"{where}.{key}: expected a count, got {v!r}")
    elif not isinstance(v, kind):
        fail(f"{where}.{key}: expected {kind.__name__}, got {v!r}")
    return v


def check_every_number(v, where):
    """No figure is negative, denormal-small or absurd (uninitialised reads)."""
    if isinstance(v, dict):
        for k, x in v.items():
            check_every_number(x, f"{where}.{k}")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            check_every_number(x, f"{where}[{i}]")
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        if not math.isfinite(v) or v < 0 or 0 < v < 1e-9 or v > 1e15:
            fail(f"{where}: {v!r} is not a figure this bench can produce")


def main():
    exe = sys.argv[1]
    run = subprocess.run([exe, "bench", "--quick", "--json"], capture_output=True, text=True, timeout=150)
    if run.returncode != 0:
        fail(f"exit status {run.returncode}: {run.stderr.strip()}")
    try:
        b = json.loads(run.stdout)
    except json.JSONDecodeError as e:
        fail(f"not one JSON object: {e}")
    need(b, "quick", bool, "bench")
    if b["quick"] is not True:
        fail("--quick not reported")
    for k in ("cores", "threads", "repetitions"):
        if need(b, k, "count", "bench") < 1:
            fail(f"bench.{k} < 1")
    need(b, "hash_engine", str, "bench")
    engines = [need(h, "engine", str, "hash[]") for h in need(b, "hash", list, "bench")]
    if "portable" not in engines or "openssl" not in engines:
        fail(f"hash: expected portable and openssl rows, got {engines}")
    for h in b["hash"]:
        need(h, "ns_per_key_call", "time", "hash[]")
        need(h, "ns_per_key_batch", "time", "hash[]")
    shapes = [(need(l, "nodes", "count", "lookup[]"), need(l, "vnodes", "count", "lookup[]"))
              for l in need(b, "lookup", list, "bench")]
    if shapes != [(10, 80), (100, 300), (1000, 300)]:
        fail(f"lookup shapes {shapes}")
    for l in b["lookup"]:
        for k in ("ns_index", "ns_bsearch", "speedup"):
            need(l, k, "time", "lookup[]")
    if len(need(b, "build", list, "bench")) != 2:
        fail("build: expected two sizes")
    for s in b["build"]:
        need(s, "vectors", "count", "build[]")
        for k in ("ms_all_cores", "ms_one_thread", "speedup"):
            need(s, k, "time", "build[]")
    ops = [need(r, "op", str, "rebalance[]") for r in need(b, "rebalance", list, "bench")]
    if ops != ["add", "remove", "add", "remove"]:
        fail(f"rebalance ops {ops}")
    for r in b["rebalance"]:
        n = need(r, "vectors", "count", "rebalance[]")
        moved = need(r, "moved", "count", "rebalance[]")
        touched = need(r, "keys_touched_incremental", "count", "rebalance[]")
        if need(r, "keys_touched_full", "count", "rebalance[]") != n or not 0 < moved <= touched <= n:
            fail(f"rebalance counts inconsistent: {r}")
        for k in ("ms_incremental", "ms_full_naive", "ms_full_merge", "speedup_vs_naive", "speedup_vs_merge"):
            need(r, k, "time", "rebalance[]")
    mems = need(b, "memory", list, "bench")
    if not mems:
        fail("memory: no size measured")
    for m in mems:
        need(m, "vectors", "count", "memory[]")
        need(m, "bytes_per_embedding_rss", "time", "memory[]")
        if need(m, "bytes_per_embedding_layout", "time", "memory[]") != 14:
            fail("memory: layout is not 14 bytes per embedding")
    md5 = need(b, "md5", dict, "bench")
    if need(md5, "lanes", "count", "md5") not in (1, 16, 32):
        fail(f"md5.lanes: {md5['lanes']}")
    for k in ("ns_per_key_call", "ns_per_key_batch", "ns_per_key_scalar", "ns_per_key_openssl_evp"):
        need(md5, k, "time", "md5")
    rem = need(b, "remainder", list, "bench")
    if [need(x, "divisor", "count", "remainder[]") for x in rem] != [100, 16384, 65537]:
        fail(f"remainder: divisors {rem}")
    for x in rem:
        need(x, "ns_rmod", "time", "remainder[]")
        need(x, "ns_hardware_division", "time", "remainder[]")
    builds = need(b, "ring_build", list, "bench")
    if [(need(x, "nodes", "count", "ring_build[]"), need(x, "vnodes", "count", "ring_build[]")) for x in builds] != \
            [(1024, 976), (2048, 976), (4096, 976)]:
        fail(f"ring_build: expected 1024/2048/4096 nodes x 976 vnodes, got {builds}")
    for x in builds:
        need(x, "ms_bulk", "time", "ring_build[]")
    if builds[0].get("ms_one_by_one", 0) is not None:  # measured only without --quick
        fail("ring_build[0].ms_one_by_one: expected null under --quick")
    if "render" not in b:
        fail("missing \"render\" (null when the renderer is not built)")
    if b["render"] is not None:
        g = need(b, "render", dict, "bench")
        need(g, "particles", "count", "render")
        need(g, "bytes_uploaded_idle_frame", "count", "render")
        for k in ("ms_per_frame_idle", "ms_per_frame_flight", "ms_per_frame_400x10000_thinned",
                  "ms_per_frame_4_panes_idle", "ms_per_frame_4_panes_flight", "ms_per_frame_1_pane_idle"):
            need(g, k, "time", "render")
        if need(g, "bytes_uploaded_idle_frame_4_panes", "count", "render") != 0:
            fail("render.bytes_uploaded_idle_frame_4_panes: an idle frame in compare mode must upload nothing")
        if g.get("ms_per_frame_400x10000_every_point", 0) is not None:  # measured only without --quick
            fail("render.ms_per_frame_400x10000_every_point: expected null under --quick")
        idle = need(g, "idle_cpu", list, "render")
        if len(idle) != 2:
            fail("render.idle_cpu: expected two sizes")
        for i in idle:
            need(i, "vectors", "count", "render.idle_cpu")
            need(i, "seconds", "time", "render.idle_cpu")
            rest = need(i, "core_pct_idle", "pct", "render.idle_cpu")
            busy = need(i, "core_pct_every_frame", "pct", "render.idle_cpu")
            # A settled app sleeps: a tenth of drawing every frame is far above
            # what it uses (~0.2%); the rasterizer still drawing the warm-up's
            # frames once read as 17-52%.
            if rest > busy / 10:
                fail(f"render.idle_cpu: the settled app used {rest:.1f}% of a core against {busy:.1f}% "
                     "drawing every frame: it should sleep")
    s = need(b, "strategies", dict, "bench")
    rows = need(s, "rows", list, "strategies")
    names = [need(r, "strategy", str, "strategies.rows[]") for r in rows]
    if names != ["ring", "modulo", "jump", "rendezvous", "maglev", "bounded", "multiprobe", "ketama", "shards"]:
        fail(f"strategies: expected every strategy, the ring first, got {names}")
    if (need(s, "nodes", "count", "strategies"), need(s, "vnodes", "count", "strategies")) != (100, 160):
        fail("strategies: expected 100 nodes x 160 points")
    for r in rows:
        for k in ("ns_lookup", "ns_call", "ms_add", "ms_remove", "max_over_mean", "moved_fraction_add",
                  "moved_fraction_remove"):
            need(r, k, "time", "strategies.rows[]")
        # The batch path exists for modulo, maglev and ketama at least.
        if r["strategy"] in ("modulo", "maglev", "ketama") or r.get("ns_batch") is not None:
            need(r, "ns_batch", "time", "strategies.rows[]")
        need(r, "ms_build", (int, float), "strategies.rows[]")
        need(r, "bytes", "count", "strategies.rows[]")
    sc = need(b, "scale", dict, "bench")
    if need(sc, "nodes", "count", "scale") != 1000:
        fail("scale: expected 1000 nodes")
    need(sc, "keys", "count", "scale")
    lists = need(sc, "lists_rendezvous", dict, "scale")
    for k in ("ms_r1", "ms_r3", "ms_r3_full_sort"):
        need(lists, k, "time", "scale.lists_rendezvous")
    w = need(sc, "weight_changes", dict, "scale")
    need(w, "changes", "count", "scale.weight_changes")
    for k in ("ms_ring", "ms_rendezvous", "ms_rendezvous_full", "ms_ketama", "ms_ketama_full"):
        need(w, k, "time", "scale.weight_changes")
    if bench_table.strategy_table(b).count("\n|") != 11:
        fail("bench_table.py: the strategy table should have a header, a rule and 9 rows")
    sh = need(b, "shards", dict, "bench")
    if (need(sh, "nodes", "count", "shards"), need(sh, "shards", "count", "shards")) != (10, 1024):
        fail("shards: expected 10 nodes and S = 1024")
    srows = need(sh, "rows", list, "shards")
    if [need(r, "keys", "count", "shards.rows[]") for r in srows] != [100000, 1000000]:
        fail(f"shards: expected 100,000 and 1,000,000 keys under --quick, got {srows}")
    for r in srows:
        for k in ("ns_lookup", "ns_batch", "ns_lookup_ranges", "ms_add", "ms_add_per_key"):
            need(r, k, "time", "shards.rows[]")
        moved, visited = need(r, "keys_moved", "count", "shards.rows[]"), need(r, "visited", "count", "shards.rows[]")
        # Whole shards move: the keys looked at are the moved shards' keys.
        if not 0 < need(r, "shards_moved", "count", "shards.rows[]") < 1024 or not 0 < moved == visited < r["keys"]:
            fail(f"shards: counts inconsistent: {r}")
    pr = need(b, "presets", dict, "bench")
    if (need(pr, "nodes", "count", "presets"), need(pr, "keys", "count", "presets")) != (10, 100000):
        fail("presets: expected 10 nodes and 100,000 keys under --quick")
    prow = need(pr, "rows", list, "presets")
    names = [need(r, "preset", str, "presets.rows[]") for r in prow]
    if names != ["redis-cluster", "elasticsearch", "qdrant", "milvus", "cassandra", "kafka", "weaviate", "memcached"]:
        fail(f"presets: expected every preset, got {names}")
    for r in prow:
        for k in ("ns_hash", "ns_lookup", "ns_baseline"):
            need(r, k, "time", "presets.rows[]")
        need(r, "units", "count", "presets.rows[]")
        need(r, "baseline", str, "presets.rows[]")
    jobs = need(b, "jobs", list, "bench")
    if [need(j, "job", str, "jobs[]") for j in jobs] != ["startup", "seed", "seed_10x", "ketama", "compare"]:  # quick
        fail(f"jobs: {[j.get('job') for j in jobs]}")
    for j in jobs:
        need(j, "keys", "count", "jobs[]")
        need(j, "ms_wall", "time", "jobs[]")
        need(j, "ms_cpu", "pct", "jobs[]")
        if need(j, "runs", "count", "jobs[]") < 1:
            fail(f"jobs[{j['job']}]: not run")
        if j["baseline"] is not None:
            need(j["baseline"], "ms_wall", "time", "jobs[].baseline")
    by = {j["job"]: j for j in jobs}
    if by["startup"]["baseline"] is None or by["compare"]["baseline"] is None:
        fail("jobs: start-up and compare always run their baselines")
    if by["seed"]["moved"] != [17797, 14152]:
        fail(f"jobs[seed].moved: {by['seed']['moved']} (100,000 keys: add nodeF moves 17797)")
    check_every_number(b, "bench")
    md = bench_table.table(b)
    if md.count("\n|") < 10:
        fail("bench_table.py produced too few rows")
    print(md, end="")


if __name__ == "__main__":
    main()
