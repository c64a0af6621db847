#!/usr/bin/env python3
"""Turns `ringscope bench --json` output into the README's Markdown table.

Usage:
    ringscope bench --json > bench.json
    python3 tests/bench/bench_table.py bench.json      # or: ... | bench_table.py

Every row is a figure of issue 6 next to the naive baseline it was measured
against in the same run.
"""
import json
import sys


def fmt(v, digits=1):
    if v is None:
        return "n/a"
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def times(v):
    return "n/a" if not v else f"{v:,.0f}×" if v >= 10 else f"{v:.1f}×"


def table(b):
    rows = []
    hashes = {h["engine"]: h for h in b["hash"]}
    base = hashes.get("openssl")
    for h in b["hash"]:
        speed = times(base["ns_per_key_call"] / h["ns_per_key_batch"]) if base else "n/a"
        rows.append((f"hash64 per key id, {h['engine']} (batched; one call: {fmt(h['ns_per_key_call'])} ns)",
                     f"{fmt(h['ns_per_key_batch'])} ns",
                     f"{fmt(base['ns_per_key_call'])} ns (OpenSSL one-shot)" if base else "n/a", speed))
    md = b.get("md5")
    if md:
        evp = md.get("ns_per_key_openssl_evp")
        rows.append((f"ketama's MD5 per key id, one call (runs of ids: {fmt(md['ns_per_key_batch'])} ns with "
                     f"{md['lanes']} lanes, {fmt(md['ns_per_key_scalar'])} ns one at a time)",
                     f"{fmt(md['ns_per_key_call'])} ns", f"{fmt(evp)} ns (OpenSSL EVP one-shot)" if evp else "n/a",
                     times(evp / md["ns_per_key_call"]) if evp else ""))
    for l in b["lookup"]:
        rows.append((f"ring lookup, {l['nodes']} nodes × {l['vnodes']} vnodes", f"{fmt(l['ns_index'])} ns",
                     f"{fmt(l['ns_bsearch'])} ns (binary search)", times(l["speedup"])))
    for x in b.get("remainder", []):
        rows.append((f"khash mod {x['divisor']:,}, exact (precomputed reciprocal)", f"{fmt(x['ns_rmod'], 2)} ns",
                     f"{fmt(x['ns_hardware_division'], 2)} ns (hardware division)",
                     times(x["ns_hardware_division"] / x["ns_rmod"])))
    for s in b["build"]:
        rows.append((f"build store, {s['vectors']:,} embeddings ({b['threads']} threads)",
                     f"{fmt(s['ms_all_cores'])} ms", f"{fmt(s['ms_one_thread'])} ms (1 thread)",
                     times(s["speedup"])))
    for r in b["rebalance"]:
        rows.append((f"{r['op']} {r['node']}, {r['vectors']:,} embeddings: moved {r['moved']:,}, "
                     f"touched {r['keys_touched_incremental']:,} of {r['keys_touched_full']:,}",
                     f"{fmt(r['ms_incremental'], 2)} ms",
                     f"{fmt(r['ms_full_naive'])} ms (per-key remap) / {fmt(r['ms_full_merge'])} ms (merge walk)",
                     f"{times(r['speedup_vs_naive'])} / {times(r['speedup_vs_merge'])}"))
    for m in b["memory"]:
        peak = m.get("bytes_per_embedding_peak")
        rows.append((f"state per embedding, {m['vectors']:,} embeddings (build, add nodeF, remove nodeC)",
                     f"{fmt(m['bytes_per_embedding_rss'])} B resident"
                     + (f" ({fmt(peak)} B peak over the job)" if peak is not None else ""),
                     f"{fmt(m['bytes_per_embedding_layout'], 0)} B (array layout)", ""))
    sh = b.get("shards")
    for r in (sh["rows"] if sh else []):
        rows.append((f"shards lookup, key → shard → node, {sh['nodes']} nodes, S = {sh['shards']:,}, "
                     f"{r['keys']:,} keys", f"{fmt(r['ns_lookup'])} ns"
                     + (f" ({fmt(r['ns_batch'], 2)} ns in the batch path)" if "ns_batch" in r else ""),
                     f"{fmt(r['ns_lookup_ranges'])} ns (binary search of the shard ranges)",
                     times(r["ns_lookup_ranges"] / r["ns_lookup"])))
        rows.append((f"shards rebalance, add an 11th node, {r['keys']:,} keys: {r['shards_moved']} shards, "
                     f"{r['keys_moved']:,} keys moved, touched {r['visited']:,}", f"{fmt(r['ms_add'], 2)} ms",
                     f"{fmt(r['ms_add_per_key'])} ms (per-key remap)", times(r["ms_add_per_key"] / r["ms_add"])))
    pr = b.get("presets")
    for r in (pr["rows"] if pr else []):
        rows.append((f"{r['preset']} lookup, key → hash → shard → node, {pr['nodes']} nodes, {r['units']:,} "
                     f"{'points' if 'points' in r['baseline'] or 'virtual' in r['baseline'] else 'shards'}, "
                     f"{pr['keys']:,} keys (hash {fmt(r['ns_hash'])} ns of it)",
                     f"{fmt(r['ns_hash'] + r['ns_lookup'])} ns",
                     f"{fmt(r['ns_hash'] + r['ns_baseline'])} ns ({r['baseline']})",
                     times((r["ns_hash"] + r["ns_baseline"]) / (r["ns_hash"] + r["ns_lookup"]))))
    for x in b.get("ring_build", []):
        one = x.get("ms_one_by_one")
        rows.append((f"build ring, {x['nodes']:,} nodes × {x['vnodes']} vnodes (one pass)", f"{fmt(x['ms_bulk'])} ms",
                     f"{fmt(one)} ms (node by node)" if one else "",
                     times(one / x["ms_bulk"]) if one else ""))
    g = b.get("render")
    if g:
        rows.append((f"renderer, {g['particles']:,} particles ({g['backend']})",
                     f"{fmt(g['ms_per_frame_idle'], 2)} ms/frame idle, {fmt(g['ms_per_frame_flight'], 2)} in flight",
                     f"{g['bytes_uploaded_idle_frame']} B uploaded per idle frame", ""))
        for i in g.get("idle_cpu", []):
            rows.append((f"settled app, {i['vectors']:,} embeddings: CPU of the whole process",
                         f"{fmt(i['core_pct_idle'], 1)}% of a core (sleeps until something changes)",
                         f"{fmt(i['core_pct_every_frame'], 1)}% (drawing every frame)", ""))
        if "ms_per_frame_4_panes_idle" in g:
            four, one = g["ms_per_frame_4_panes_idle"], g["ms_per_frame_1_pane_idle"]
            rows.append(("compare mode, 4 panes × 100,000 embeddings, 1280×720, rasterizer included",
                         f"{fmt(four, 1)} ms/frame at rest, {fmt(g['ms_per_frame_4_panes_flight'], 1)} in flight; "
                         f"{g['bytes_uploaded_idle_frame_4_panes']} B uploaded per idle frame",
                         f"{fmt(one, 1)} ms (one pane at rest)", ""))
        if "ms_per_frame_400x10000_thinned" in g:
            thin, every = g["ms_per_frame_400x10000_thinned"], g.get("ms_per_frame_400x10000_every_point")
            rows.append(("frame at 400 nodes × 10,000 vnodes (4,000,000 ring points), 1280×720, rasterizer included",
                         f"{fmt(thin, 1)} ms (visible points, thinned)", f"{fmt(every, 1)} ms (every point)",
                         times(every / thin) if every else ""))
    sc = b.get("scale")
    if sc:
        lists, w = sc["lists_rendezvous"], sc["weight_changes"]
        rows.append((f"rendezvous preference lists, R = 3, {lists['keys']:,} keys at {sc['nodes']} nodes, one thread "
                     f"(R = 1: {fmt(lists['ms_r1'])} ms)", f"{fmt(lists['ms_r3'])} ms",
                     f"{fmt(lists['ms_r3_full_sort'])} ms (sort of all n scores a key)",
                     times(lists["ms_r3_full_sort"] / lists["ms_r3"])))
        for name in ("rendezvous", "ketama"):
            mine, full = w["ms_" + name], w["ms_" + name + "_full"]
            rows.append((f"weight change under {name}, {sc['nodes']} nodes × {sc['keys']:,} keys, mean of "
                         f"{w['changes']:,} (ring: {fmt(w['ms_ring'], 2)} ms)", f"{fmt(mine, 2)} ms",
                         f"{fmt(full)} ms (rebuild, look every key up)", times(full / mine)))
    for j in b.get("jobs") or []:
        base = j["baseline"]
        keys = f", {j['keys']:,} keys" if j["keys"] else ""
        ours = f"{fmt(j['ms_wall'])} ms ({fmt(j['ms_cpu'])} ms CPU)"
        if base is None:
            rows.append((f"whole process: {j['what']}{keys}", ours, "", ""))
            continue
        theirs = f"{fmt(base['ms_wall'])} ms ({fmt(base['ms_cpu'])} ms CPU; {base['what']})"
        if j["job"] == "startup":
            gain = f"+{j['ms_wall'] - base['ms_wall']:.2f} ms"
        else:
            gain = times(base["ms_wall"] / j["ms_wall"])
        rows.append((f"whole process: {j['what']}{keys}", ours, theirs, gain))
    load = ""
    if b.get("load_average_start") is not None and b.get("load_average_end") is not None:
        load = (f"; load average {b['load_average_start']:.2f} at the start of the run and "
                f"{b['load_average_end']:.2f} at its end, its own threads included")
    out = [f"Measured with `ringscope bench --json | python3 tests/bench/bench_table.py` on "
           f"{b['cores']} cores (hash engine {b['hash_engine']}; median of {b['repetitions']} runs"
           f"{'; --quick sizes' if b.get('quick') else ''}{load}).",
           "",
           "| Figure | Ringscope | Baseline (same run) | Speedup |",
           "|---|---:|---:|---:|"]
    out += [f"| {a} | {c} | {d} | {e} |" for a, c, d, e in rows]
    return "\n".join(out) + "\n"


def strategy_table(b):
    """The strategies section: one row per strategy, the ring as reference."""
    s = b.get("strategies")
    if not s:
        return ""
    ring = s["rows"][0]
    shards = f"; {s['shards']:,} shards" if "shards" in s else ""
    out = [f"Strategies at {s['nodes']} nodes (× {s['vnodes']} points where the scheme has points{shards}), "
           f"{s['keys']:,} keys; lookup from a precomputed key hash (one call per key), one thread; batch: the "
           f"strategy's loop over many keys; call: hashing an id's text and locating it, as `locate` does; "
           f"the ring is the reference.",
           "",
           "| Strategy | Lookup | vs ring | Batch | Call | Build | Add (moved) | Remove (moved) | Memory "
           "| max/mean | std/mean |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in s["rows"]:
        batch = r.get("ns_batch")
        out.append(f"| {r['strategy']} | {fmt(r['ns_lookup'])} ns | {r['ns_lookup'] / ring['ns_lookup']:.2f}× "
                   f"| {fmt(batch, 2) + ' ns' if batch is not None else '–'} | {fmt(r.get('ns_call'))} ns "
                   f"| {fmt(r['ms_build'], 2)} ms "
                   f"| {fmt(r['ms_add'])} ms ({100 * r['moved_fraction_add']:.2f}%) "
                   f"| {fmt(r['ms_remove'])} ms ({100 * r['moved_fraction_remove']:.2f}%) "
                   f"| {fmt(r['bytes'] / 1024)} KiB | {r['max_over_mean']:.3f} | {r['std_over_mean']:.3f} |")
    return "\n".join(out) + "\n"


def main(argv):
    src = open(argv[1]) if len(argv) > 1 else sys.stdin
    with src:
        b = json.load(src)
    sys.stdout.write(table(b))
    st = strategy_table(b)
    if st:
        sys.stdout.write("\n" + st)


if __name__ == "__main__":
    main(sys.argv)
