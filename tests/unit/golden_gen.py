#!/usr/bin/env python3
"""Generates tests/unit/data/golden.txt: placement computed with Python's
hashlib, straight from the reference notebook's algorithm (a full remap with
bisect after every change), for the C golden test to compare against.

Run: python3 tests/unit/golden_gen.py > tests/unit/data/golden.txt

Format, one record a line, ids hex-encoded UTF-8 so any id fits:
  hash <hex-bytes-or-> <u64>        hash64 of those bytes
  case <name>
  config <vnodes> <vectors> <hex-id>...
  step <op> <arg> <moved>           op: init add remove vnodes vectors;
                                    arg: hex id, the number, or -
  dist <hex-id>=<count>...          sorted by id, after the step
  owners <first> <hex-id-or-> ...   owners of keys first.. (- : none)
  end
"""
import bisect
import hashlib
import random


def h64(b: bytes) -> int:
    return int.from_bytes(hashlib.sha256(b).digest()[:8], "big")


def hx(s: str) -> str:
    return s.encode("utf-8").hex()


class Ring:
    def __init__(self, vnodes):
        self.vnodes = vnodes
        self.order = []          # ids in order of addition
        self.points = {}         # pos -> id
        self.keys = []

    def _place(self, nid):
        for v in range(self.vnodes):
            k = h64(f"node:{nid}#vnode:{v}".encode())
            salt = 0
            while k in self.points:  # deterministic re-salting (DESIGN §1)
                salt += 1
                k = h64(f"node:{nid}#vnode:{v}#salt:{salt}".encode())
            self.points[k] = nid
        self.keys = sorted(self.points)

    def add(self, nid):
        if nid in self.order:
            return False
        self.order.append(nid)
        self._place(nid)
        return True

    def remove(self, nid):
        if nid not in self.order:
            return False
        self.order.remove(nid)
        self.points = {k: n for k, n in self.points.items() if n != nid}
        self.keys = sorted(self.points)
        return True

    def rebuild(self, vnodes):
        self.vnodes = vnodes
        self.points = {}
        for nid in self.order:
            self._place(nid)

    def owner(self, hk):
        if not self.keys:
            return None
        i = bisect.bisect_left(self.keys, hk)
        return self.points[self.keys[0 if i == len(self.keys) else i]]


def run_case(name, nodes, vnodes, vectors, cmds, owners_sample=40):
    ring = Ring(vnodes)
    for n in nodes:
        ring.add(n)
    key_hash = [h64(f"key:vec_{i:06d}".encode()) for i in range(vectors)]
    shard = [ring.owner(k) for k in key_hash]
    out = [f"case {name}", ("config %d %d %s" % (vnodes, vectors, " ".join(hx(n) for n in nodes))).rstrip()]

    def emit(op, arg, moved):
        field = hx(arg) if isinstance(arg, str) else ("-" if arg is None else str(arg))
        out.append(f"step {op} {field} {moved}")
        dist = {}
        for o in shard:
            if o is not None:
                dist[o] = dist.get(o, 0) + 1
        for n in ring.order:
            dist.setdefault(n, 0)
        out.append("dist " + " ".join(f"{hx(n)}={dist[n]}" for n in sorted(dist, key=lambda s: s.encode())))
        first = max(0, len(shard) - owners_sample) if len(shard) > owners_sample else 0
        out.append(f"owners {first} " + " ".join(hx(o) if o else "-" for o in shard[first:first + owners_sample]))

    emit("init", None, 0)
    for op, arg in cmds:
        if op == "add":
            ring.add(arg)
        elif op == "remove":
            ring.remove(arg)
        elif op == "vnodes":
            ring.rebuild(arg)
        elif op == "vectors":
            while len(key_hash) < arg:
                key_hash.append(h64(f"key:vec_{len(key_hash):06d}".encode()))
            del key_hash[arg:]
            # Growing adds keys and shrinking drops them: no key moves.
            shard = [ring.owner(k) for k in key_hash]
            emit(op, arg, 0)
            continue
        new = [ring.owner(k) for k in key_hash]
        moved = sum(1 for a, b in zip(shard, new) if a != b)
        shard = new
        emit(op, arg, moved)
    out.append("end")
    return out


def main():
    rnd = random.Random(20261129)
    lines = []
    # hash64 of random byte strings of length 0..300, plus the check values.
    for s in [b"", b"key:vec_000000", b"node:nodeA#vnode:0", "ノード".encode()]:
        lines.append(f"hash {s.hex() or '-'} {h64(s)}")
    for _ in range(300):
        b = bytes(rnd.randrange(256) for _ in range(rnd.randrange(301)))
        lines.append(f"hash {b.hex() or '-'} {h64(b)}")

    abcde = ["nodeA", "nodeB", "nodeC", "nodeD", "nodeE"]
    cases = [
        ("reference", abcde, 80, 6000, [("add", "nodeF"), ("remove", "nodeC")]),
        ("noop_and_readd", abcde, 80, 6000,
         [("add", "nodeA"), ("remove", "nodeZ"), ("remove", "nodeA"), ("add", "nodeA")]),
        ("ten_nodes_v20", [f"n{i}" for i in range(10)], 20, 1000,
         [("remove", "n3"), ("remove", "n7"), ("add", "n10"), ("add", "n3")]),
        ("unicode_ids", ["ノード1", "узел-2", "nœud 3", "🚀rocket"], 50, 2000,
         [("add", "節點4"), ("remove", "узел-2"), ("add", "Ärger"), ("remove", "🚀rocket")]),
        ("single_node_to_empty", ["solo"], 1, 500,
         [("add", "duo"), ("remove", "solo"), ("remove", "duo"), ("add", "trio")]),
        ("empty_start", [], 80, 800, [("add", "first"), ("add", "second"), ("add", "third")]),
        ("rebuild_vnodes", abcde, 80, 6000, [("vnodes", 300), ("vnodes", 20), ("add", "nodeF"), ("vnodes", 160)]),
        ("grow_and_shrink", abcde, 40, 1000,
         [("vectors", 3000), ("add", "nodeF"), ("vectors", 250), ("remove", "nodeB"), ("vectors", 4000)]),
        ("hundred_nodes_v300", [f"node{i:03d}" for i in range(100)], 300, 20000,
         [("add", "node100"), ("remove", "node042")]),
        ("past_a_million_ids", ["a", "b", "c"], 10, 1000,
         [("vectors", 0)]),
    ]
    for c in cases:
        lines += run_case(*c)
    # Keys past vec_999999 use 7 digits (vec_1000000): check a few hashes.
    for i in (999999, 1000000, 1234567, 99999999):
        s = f"key:vec_{i:06d}".encode()
        lines.append(f"hash {s.hex()} {h64(s)}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
