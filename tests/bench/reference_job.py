#!/usr/bin/env python3
"""The reference notebook's algorithm (DESIGN §1, reference/notebook.txt) on
the seed job, as a whole process to set beside `ringscope sim` (README,
Performance; `ringscope bench --reference "python3 tests/bench/reference_job.py"`).
A test-side tool: no part of ringscope.

    reference_job.py [--vectors N]

The notebook's ConsistentHashRing (SHA-256 points, bisect.insort, a ring
map) and its way of measuring a change: the shard map of every vector
before and after (get_node per id: SHA-256 of "key:" + id, bisect_left),
for "add nodeF" then "remove nodeC" on nodes nodeA..nodeE with 80 vnodes.
Its embedding vectors are left out (placement depends only on the ids, and
ringscope derives vectors on demand too). Prints, as ringscope does,
    step 0: Initial ring, step 1: ... moved K of N, ...
and the final distribution.
"""
import bisect
import hashlib
import sys


def u64_hash(s):
    return int.from_bytes(hashlib.sha256(s.encode("utf-8")).digest()[:8], "big")


class ConsistentHashRing:
    def __init__(self, vnodes_per_node=80):
        self.vnodes_per_node = vnodes_per_node
        self.ring_keys = []
        self.ring_map = {}
        self.nodes = {}

    def add_node(self, node_id):
        if node_id in self.nodes:
            return
        self.nodes[node_id] = node_id
        for v in range(self.vnodes_per_node):
            k = u64_hash(f"node:{node_id}#vnode:{v}")
            bisect.insort(self.ring_keys, k)
            self.ring_map[k] = node_id

    def remove_node(self, node_id):
        if node_id not in self.nodes:
            return
        del self.nodes[node_id]
        for k in [k for k, nid in self.ring_map.items() if nid == node_id]:
            del self.ring_map[k]
        self.ring_keys = sorted(self.ring_map.keys())

    def get_node(self, key):
        if not self.ring_keys:
            return None
        idx = bisect.bisect_left(self.ring_keys, u64_hash(f"key:{key}"))
        if idx == len(self.ring_keys):
            idx = 0
        return self.ring_map[self.ring_keys[idx]]


def main(argv):
    n = 1000000
    if len(argv) == 3 and argv[1] == "--vectors":
        n = int(argv[2])
    elif len(argv) != 1:
        sys.exit("usage: reference_job.py [--vectors N]")
    ring = ConsistentHashRing(80)
    for node in ("nodeA", "nodeB", "nodeC", "nodeD", "nodeE"):
        ring.add_node(node)
    ids = [f"vec_{i:06d}" for i in range(n)]

    def shard_map():
        return {vid: ring.get_node(vid) for vid in ids}

    print("step 0: Initial ring")
    after = None
    for step, (what, change) in enumerate((("Added nodeF", lambda: ring.add_node("nodeF")),
                                           ("Removed nodeC", lambda: ring.remove_node("nodeC"))), 1):
        before = shard_map()
        change()
        after = shard_map()
        moved = sum(1 for k in before if before[k] != after[k])
        print(f"step {step}: {what}\n  moved {moved} of {n}")
    dist = {}
    for nid in after.values():
        dist[nid] = dist.get(nid, 0) + 1
    print("Shard distribution:", dict(sorted(dist.items())))


if __name__ == "__main__":
    main(sys.argv)
