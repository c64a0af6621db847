#!/usr/bin/env python3
"""Replicas, zones, crashes and copy costs: a small independent model of the
rules (README, Replicas; src/core/repl.h), written from the rules with
hashlib, against `ringscope sim --json` step by step.

The model places keys under ring, jump, modulo and rendezvous, builds every
key's preference list (zones first, then any node), and follows the copies
through graceful changes, crashes and heals. Every step's figures must match
exactly, in the vocabulary every report uses: moved (keys whose primary
holder — the first node holding a copy — changed and got the data; none at
a crash), promoted (keys a crash left to their first surviving copy),
copied and copied_bytes, transfer_seconds, lost, lost_ids,
under_replicated (short of min(R, n) copies or missing a node of the list),
bytes_in, bytes_out, and dist (keys each node holds data for as primary
holder: lost keys count for no node).

    test_replicas.py path/to/ringscope
"""
import bisect
import hashlib
import json
import math
import struct
import subprocess
import sys

BIN = sys.argv[1]
M64 = (1 << 64) - 1


def h64(s):
    return int.from_bytes(hashlib.sha256(s.encode()).digest()[:8], "big")


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def jump(key, n):
    b, j = -1, 0
    while j < n:
        b = j
        key = (key * 2862933555777941757 + 1) & M64
        j = int((b + 1) * (float(1 << 31) / float((key >> 33) + 1)))
    return b


class Model:
    def __init__(self, strategy, nodes, vnodes, keys, replicas, zones, dim, record, bandwidth):
        self.strategy = strategy
        self.ranks = list(nodes)          # live nodes in order of addition
        self.slots = list(nodes)          # jump slots
        self.vnodes = vnodes
        self.khash = [h64(f"key:vec_{i:06d}") for i in range(keys)]
        self.kmd5 = [int.from_bytes(hashlib.md5(f"vec_{i:06d}".encode()).digest()[:4], "little") for i in range(keys)]
        self.weights = {}
        self.R = replicas
        self.zones = dict(zones)
        self.crashed = []
        self.size = dim * 4 + record
        self.bandwidth = bandwidth
        self.hold = [self.prefs(k) for k in range(keys)]
        self.lost = [False] * keys

    # ---- placement ---------------------------------------------------------
    def walk(self, k):
        """Candidate nodes in the key's preference order (one full pass;
        ring: see walk_cached)."""
        h, n = self.khash[k], len(self.ranks)
        if self.strategy == "jump":
            b = jump(h, n)
            return [self.slots[(b + j) % n] for j in range(n)]
        if self.strategy == "modulo":
            b = h % n
            return [self.ranks[(b + j) % n] for j in range(n)]
        if self.strategy == "rendezvous":
            scored = [(mix64(h ^ h64("node:" + nd)), -r, nd) for r, nd in enumerate(self.ranks)]
            return [nd for _, _, nd in sorted(scored, reverse=True)]
        raise ValueError(self.strategy)

    def prefs(self, k):
        if not self.ranks:
            return []
        want = min(self.R, len(self.ranks))
        zone = lambda nd: self.zones.get(nd, "\0own:" + nd)  # no zone: a zone of its own
        # The walk, then the nodes it never meets (ketama: no points), in rank order.
        seq = self.walk_cached(k)
        seq = seq + [nd for nd in self.ranks if nd not in set(seq)]
        out = []
        if any(nd in self.zones for nd in self.ranks):
            for nd in seq:
                if len(out) == want:
                    break
                if nd not in out and zone(nd) not in {zone(x) for x in out}:
                    out.append(nd)
        for nd in seq:
            if len(out) == want:
                break
            if nd not in out:
                out.append(nd)
        return out

    def walk_cached(self, k):
        key = (self.strategy, tuple(self.ranks), tuple(self.slots), tuple(sorted(self.weights.items())))
        if getattr(self, "_walk_key", None) != key:
            self._walk_key, self._walks = key, {}
            if self.strategy == "ring":  # one sort for every key
                pts = sorted((h64(f"node:{nd}#vnode:{v}"), nd) for nd in self.ranks for v in range(self.vnodes))
                self._pts = pts
                self._pos = [p for p, _ in pts]
            if self.strategy == "ketama":  # libketama's points, float32 arithmetic
                f32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]
                n, total = len(self.ranks), sum(self.weights.get(nd, 1) for nd in self.ranks)
                pts = []
                for r, nd in enumerate(self.ranks):
                    ks = math.floor(f32(f32(self.weights.get(nd, 1) / total) * 40.0 * n))
                    for d in range(ks):
                        g = hashlib.md5(f"{nd}-{d}".encode()).digest()
                        for h in range(4):
                            pts.append((int.from_bytes(g[4 * h:4 * h + 4], "little"), r, nd))
                pts.sort()
                self._pts = [(p, nd) for p, _, nd in pts]
                self._pos = [p for p, _, _ in pts]
            if self.strategy in ("ring", "ketama"):
                self._meets = len({nd for _, nd in self._pts})
        if k not in self._walks:
            if self.strategy in ("ring", "ketama"):
                pts = self._pts
                h = self.khash[k] if self.strategy == "ring" else self.kmd5[k]
                i = bisect.bisect_left(self._pos, h) % len(pts)
                # Enough of the walk for any list: every node it meets.
                seq, seen = [], set()
                j = 0
                meets = self._meets
                while len(seen) < meets:
                    nd = pts[(i + j) % len(pts)][1]
                    seq.append(nd)
                    seen.add(nd)
                    j += 1
                self._walks[k] = seq
            else:
                self._walks[k] = self.walk(k)
        return self._walks[k]

    # ---- changes -----------------------------------------------------------
    def sync(self, mode, node=None):
        """Returns the step's figures."""
        fig = {"copies": 0, "lost_ids": [], "under": 0, "in": {}, "out": {}, "moved": 0, "promoted": 0}

        def copy(src, dst):
            fig["copies"] += 1
            fig["out"][src] = fig["out"].get(src, 0) + self.size
            fig["in"][dst] = fig["in"].get(dst, 0) + self.size

        for k in range(len(self.khash)):
            p = self.prefs(k)
            h = self.hold[k]
            if self.lost[k]:
                continue
            if mode == "crash":
                h = [x for x in h if x != node]
                if not h:
                    self.lost[k] = True
                    fig["lost_ids"].append(k)
                else:
                    fig["promoted"] += h[0] != self.hold[k][0]
                    if len(h) < len(p) or any(x not in h for x in p):
                        fig["under"] += 1
                self.hold[k] = h
                continue
            if not p:
                self.lost[k] = True
                fig["lost_ids"].append(k)
                continue
            src = node if (mode == "graceful" and node in h) else h[0]
            for x in p:
                if x not in h:
                    copy(src, x)
            fig["moved"] += p[0] != h[0]
            self.hold[k] = p
        return fig

    def apply(self, cmd):
        op, _, arg = cmd.partition(" ")
        if op == "add":
            self.ranks.append(arg)
            self.slots.append(arg)
            if arg in self.crashed:
                self.crashed.remove(arg)
            return self.sync("graceful")
        if op == "recover":
            self.crashed.remove(arg)
            self.ranks.append(arg)
            self.slots.append(arg)
            return self.sync("graceful")
        if op in ("remove", "fail"):
            self.ranks.remove(arg)
            i = self.slots.index(arg)
            self.slots[i] = self.slots[-1]
            self.slots.pop()
            if op == "fail":
                self.crashed.append(arg)
                return self.sync("crash", arg)
            return self.sync("graceful", arg)
        if op == "heal":
            return self.sync("heal")
        if op == "replicas":
            self.R = int(arg)
            return self.sync("graceful")
        if op == "weight":
            nd, w = arg.rsplit(" ", 1)
            self.weights[nd] = int(w)
            return self.sync("graceful")
        if op == "zone":
            nd, z = arg.rsplit(" ", 1)
            self.zones[nd] = z
            return self.sync("graceful")
        raise ValueError(cmd)

    def dist(self):
        """Keys each node holds data for as primary holder (the first of the
        key's holders): lost keys count for no node."""
        d = {nd: 0 for nd in self.ranks}
        for k in range(len(self.khash)):
            if not self.lost[k] and self.hold[k]:
                d[self.hold[k][0]] += 1
        return d


def run_case(strategy, nodes, cmds, replicas, zones=None, vnodes=16, keys=1500, dim=8, record=64,
             bandwidth=("1MB", 1e6)):
    zones = zones or {}
    args = [BIN, "sim", "--json", "--strategy", strategy, "--nodes", ",".join(nodes), "--vnodes", str(vnodes),
            "--vectors", str(keys), "--dim", str(dim), "--replicas", str(replicas), "--record-bytes", str(record),
            "--bandwidth", bandwidth[0]]
    if zones:
        args += ["--zones", ",".join(f"{n}={z}" for n, z in zones.items())]
    for c in cmds:
        args += ["--do", c]
    p = subprocess.run(args, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    steps = json.loads(p.stdout)["steps"]
    m = Model(strategy, nodes, vnodes, keys, replicas, zones, dim, record, bandwidth[1])
    label = f"{strategy} R={replicas} {cmds}"
    for i, c in enumerate(["init"] + cmds):
        fig = m.apply(c) if i else {"copies": 0, "lost_ids": [], "under": 0, "in": {}, "out": {}, "moved": 0,
                                    "promoted": 0}
        s = steps[i]
        where = f"{label}: step {i} ({c})"
        assert s["moved"] == fig["moved"], (where, s["moved"], fig["moved"])
        assert s["promoted"] == fig["promoted"], (where, s["promoted"], fig["promoted"])
        assert c.split()[0] != "fail" or s["moved"] == 0, where  # a crash streams nothing
        assert s["copied"] == fig["copies"], (where, s["copied"], fig["copies"])
        assert s["copied_bytes"] == fig["copies"] * m.size, where
        busiest = max([0] + list(fig["in"].values()) + list(fig["out"].values()))
        assert abs(s["transfer_seconds"] - busiest / m.bandwidth) <= 1e-12 * max(1.0, busiest), where
        assert s["lost"] == len(fig["lost_ids"]), (where, s["lost"], len(fig["lost_ids"]))
        assert s["lost_ids"] == [f"vec_{k:06d}" for k in fig["lost_ids"]], where
        assert s["lost_total"] == sum(m.lost), where
        assert s["under_replicated"] == fig["under"], (where, s["under_replicated"], fig["under"])
        got_in = {k: v for k, v in s["bytes_in"].items() if v}
        got_out = {k: v for k, v in s["bytes_out"].items() if v}
        assert got_in == fig["in"], (where, got_in, fig["in"])
        assert got_out == fig["out"], (where, got_out, fig["out"])
        assert s["dist"] == m.dist(), where
        assert sum(s["dist"].values()) == len(m.khash) - sum(m.lost), where
        assert s["replicas"] == m.R, where
        assert s["crashed"] == m.crashed, where
    print(f"ok  {label}")


def check_locate(strategy, nodes, replicas, zones, keys=40, vnodes=16):
    """`locate --replicas` prints each key's preference list as the model
    walks it, with the zones."""
    ids = [f"vec_{k:06d}" for k in range(keys)]
    args = [BIN, "locate", "--json", "--strategy", strategy, "--nodes", ",".join(nodes), "--vnodes", str(vnodes),
            "--vectors", str(keys), "--replicas", str(replicas)]
    if zones:
        args += ["--zones", ",".join(f"{n}={z}" for n, z in zones.items())]
    p = subprocess.run(args + ids, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    got = json.loads(p.stdout)
    m = Model(strategy, nodes, vnodes, keys, replicas, zones, 8, 64, 1e9)
    for k, row in enumerate(got):
        want = m.prefs(k)
        assert [r["node"] for r in row["replicas"]] == want, (strategy, k, row, want)
        assert row["owner"] == want[0], (strategy, k)
        assert [r["zone"] for r in row["replicas"]] == [zones.get(n) for n in want], (strategy, k)
    text = subprocess.run([a for a in args if a != "--json"] + ids[:1], capture_output=True, text=True)
    assert text.returncode == 0, text.stderr
    assert f"replicas ({min(replicas, len(nodes))}): {m.prefs(0)[0]}" in text.stdout, text.stdout
    print(f"ok  locate {strategy} R={replicas}")


def main():
    six = ["nodeA", "nodeB", "nodeC", "nodeD", "nodeE", "nodeF"]
    three_zones = {"nodeA": "z1", "nodeB": "z2", "nodeC": "z3", "nodeD": "z1", "nodeE": "z2", "nodeF": "z3"}
    story = ["fail nodeB", "heal", "add nodeG", "remove nodeA", "recover nodeB", "replicas 2", "zone nodeC z2",
             "fail nodeC", "fail nodeD", "heal"]
    for strategy in ("ring", "jump", "modulo", "rendezvous"):
        check_locate(strategy, six, 3, three_zones)
        check_locate(strategy, six, 2, {})
        run_case(strategy, six, story, 3, three_zones)
        run_case(strategy, six, ["fail nodeA", "fail nodeE", "heal", "replicas 4", "remove nodeC"], 3)
    # Ketama with two heavy nodes gives the light ones no point: lists take
    # them after the walk, in rank order, so losing both heavy nodes loses
    # nothing (it lost every key when lists stopped at the walk's 2 nodes).
    run_case("ketama", six[:5], ["weight nodeA 100", "weight nodeB 100", "fail nodeA", "fail nodeB", "heal"], 3,
             keys=1000)
    run_case("ketama", six, ["weight nodeC 300", "fail nodeC", "heal", "weight nodeA 1000"], 2, three_zones)
    # Fewer zones than replicas: the second pass fills the list.
    two = {"nodeA": "east", "nodeB": "west", "nodeC": "east", "nodeD": "west"}
    run_case("ring", six[:4], ["fail nodeA", "heal", "fail nodeC", "fail nodeB"], 3, two, bandwidth=("8Mbit", 1e6))
    # R = 1: a crash loses exactly the node's keys; removing the last node loses the rest.
    run_case("ring", six[:3], ["fail nodeB", "heal", "remove nodeA", "remove nodeC", "add nodeX"], 1,
             bandwidth=("1MiB/s", 1048576.0))
    run_case("rendezvous", six, ["fail nodeA", "fail nodeB", "fail nodeC", "heal", "recover nodeA"], 2,
             {"nodeA": "a", "nodeB": "a", "nodeC": "a"}, bandwidth=("2GB", 2e9))


if __name__ == "__main__":
    main()
