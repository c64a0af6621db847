#!/usr/bin/python3
"""A model of redis-cli's cluster arithmetic, for tests (stdlib only).

What `sim --preset redis-cluster` must reproduce (DESIGN §1c,
../shared/reference/routing.md §1.2-1.3, read from redis-cli.c):

- create_split(masters): `--cluster create` over m masters, in argument
  order: float32 slots_per_node = 16384 / (float)m, last = lround(cursor +
  slots_per_node - 1), cursor += slots_per_node; the last master ends at 16383.
- rebalance(slots, order, weights, use_empty): `--cluster rebalance`.
  `order` is redis-cli's node list: the entry node, then the other nodes in
  the entry node's CLUSTER NODES order (Ringscope uses rank order). Masters
  with no slots take part only with use_empty (--cluster-use-empty-masters).
  total_weight is a float sum; expected = (int)((float)16384 / total_weight *
  weight) in float32; balance = slots - expected. Nothing moves unless some
  node is over the threshold (2%: |100 - 100.0*expected/slots| > 2 in float,
  or no slots and expected > 1). Rounding: while the balances sum above 0,
  each node with balance <= 0, in list order, takes one more. Nodes are then
  sorted by balance, ties in list order (glibc's qsort is a stable merge sort
  here); two pointers (the most negative receiver, the most positive giver)
  move min(|dst|, |src|) slots, the giver's lowest-numbered ones.
- add_node / del_node: `--cluster add-node` (a master with no slots) and
  `--cluster del-node` (refused while the node holds slots).
- parse_cluster_nodes(text): the output of CLUSTER NODES: masters, their
  slot ranges (single slots too); importing/migrating markers
  `[slot->-id]` / `[slot-<-id]` are reported and ignored.

The state is a dict node -> set of slot numbers; to_ranges gives the shape
the tests compare: {node: [[first, last], ...]} with ascending ranges.
Run it to check the model against DESIGN's worked values.
"""

import math
import os
import struct
import sys

# Redis's slots are §1c's shards: the output shape is the shards model's.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shards_model import to_ranges  # noqa: E402

SLOTS = 16384
THRESHOLD = 2.0  # CLUSTER_MANAGER_REBALANCE_THRESHOLD, percent


def f32(x):
    """x rounded to IEEE single precision, as a C float holds it."""
    return struct.unpack("f", struct.pack("f", x))[0]


def lround(x):
    """C's lround: to nearest, halfway away from zero."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def slot_map(state):
    """{node: [[first, last], ...]} for every node in state."""
    return {n: to_ranges(s) for n, s in state.items()}


def create_split(masters):
    """`redis-cli --cluster create` with these masters (argument order)."""
    m = len(masters)
    if m < 3:
        raise ValueError("redis-cli --cluster create needs at least 3 masters")
    per_node = f32(SLOTS / f32(m))
    cursor = f32(0.0)
    first = 0
    state = {}
    for i, name in enumerate(masters):
        last = lround(f32(f32(cursor + per_node) - 1))
        if last > SLOTS or i == m - 1:
            last = SLOTS - 1
        if last < first:
            last = first
        state[name] = set(range(first, last + 1))
        first = last + 1
        cursor = f32(cursor + per_node)
    return state


def add_node(state, name):
    if name in state:
        raise ValueError("%s is already in the cluster" % name)
    new = {n: set(s) for n, s in state.items()}
    new[name] = set()
    return new


def del_node(state, name):
    if name not in state:
        raise ValueError("no such node %s" % name)
    if state[name]:
        raise ValueError("node %s is not empty! Reshard data away and try again." % name)
    return {n: set(s) for n, s in state.items() if n != name}


def rebalance(state, order, weights=None, use_empty=False, threshold=THRESHOLD):
    """`redis-cli --cluster rebalance`. Returns (new state, moves), moves a
    list of (source, destination, [slots]); no moves if no node is over the
    threshold ("No rebalancing needed!")."""
    weights = weights or {}
    if sorted(order) != sorted(state):
        raise ValueError("order must list every node once")
    total_weight = f32(0.0)
    involved = []
    for n in order:
        if not use_empty and not state[n]:
            continue  # redis-cli sets its weight to 0 and leaves it out
        total_weight = f32(total_weight + f32(weights.get(n, 1.0)))
        involved.append(n)
    if not involved or total_weight == 0:
        raise ValueError("no master with weight takes part")
    balance = {}
    reached = False
    for n in involved:
        w = f32(weights.get(n, 1.0))
        expected = int(f32(f32(SLOTS / total_weight) * w))
        count = len(state[n])
        balance[n] = count - expected
        if threshold > 0:
            if count > 0:
                err = f32(abs(100 - (100.0 * expected / count)))
                if err > f32(threshold):
                    reached = True
            elif expected > 1:
                reached = True
    new = {n: set(s) for n, s in state.items()}
    if not reached:
        return new, []
    total = sum(balance.values())
    while total > 0:
        for n in involved:
            if balance[n] <= 0 and total > 0:
                balance[n] -= 1
                total -= 1
    ranked = sorted(involved, key=lambda n: balance[n])  # stable: ties in list order
    moves = []
    dst_i, src_i = 0, len(ranked) - 1
    while dst_i < src_i:
        dst, src = ranked[dst_i], ranked[src_i]
        k = min(abs(balance[dst]), abs(balance[src]))
        if k > 0:
            give = sorted(new[src])[:k]
            new[src].difference_update(give)
            new[dst].update(give)
            moves.append((src, dst, give))
        balance[dst] += k
        balance[src] -= k
        if balance[dst] == 0:
            dst_i += 1
        if balance[src] == 0:
            src_i -= 1
    return new, moves


# ---- CLUSTER NODES ------------------------------------------------------------

class ClusterNodesError(ValueError):
    """A line of CLUSTER NODES output that cannot be read (line number, reason)."""

    def __init__(self, line_no, reason):
        super().__init__("line %d: %s" % (line_no, reason))
        self.line_no = line_no
        self.reason = reason


def parse_cluster_nodes(text):
    """Reads CLUSTER NODES output.

    Returns a dict:
      nodes:   [{id, addr, flags, master, myself, slots}] in line order
               (slots: the set of slot numbers it serves)
      masters: {id: [[first, last], ...]} for every master, in line order
      myself:  the id flagged myself, or None
      markers: [(line, text)] of importing/migrating markers, ignored
    Errors (ClusterNodesError): too few fields, a bad slot or range, a slot
    served by two masters."""
    nodes, markers, owner = [], [], {}
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        f = line.split()
        if len(f) < 8:
            raise ClusterNodesError(no, "expected at least 8 fields, got %d" % len(f))
        node_id, addr, flags = f[0], f[1], f[2].split(",")
        if not all(c in "0123456789abcdef" for c in node_id) or len(node_id) != 40:
            raise ClusterNodesError(no, "bad node id %r" % node_id)
        slots = set()
        for item in f[8:]:
            if item.startswith("["):
                if not item.endswith("]") or ("->-" not in item and "-<-" not in item):
                    raise ClusterNodesError(no, "bad slot marker %r" % item)
                markers.append((no, item))
                continue
            lo, sep, hi = item.partition("-")
            try:
                a, b = int(lo), int(hi) if sep else int(lo)
            except ValueError:
                raise ClusterNodesError(no, "bad slot %r" % item) from None
            if not (0 <= a <= b < SLOTS) or not lo.isdigit() or (sep and not hi.isdigit()):
                raise ClusterNodesError(no, "bad slot range %r" % item)
            for s in range(a, b + 1):
                if s in owner:
                    raise ClusterNodesError(no, "slot %d is already served by %s" % (s, owner[s]))
                owner[s] = node_id
                slots.add(s)
        nodes.append({"id": node_id, "addr": addr, "flags": flags, "master": "master" in flags,
                      "myself": "myself" in flags, "slots": slots})
    masters = {n["id"]: to_ranges(n["slots"]) for n in nodes if n["master"]}
    myself = next((n["id"] for n in nodes if n["myself"]), None)
    return {"nodes": nodes, "masters": masters, "myself": myself, "markers": markers}


def cli_order(parsed):
    """redis-cli's node list when the node flagged myself is the entry node:
    itself first, then the others in line order."""
    ids = [n["id"] for n in parsed["nodes"]]
    me = parsed["myself"]
    return ([me] if me else []) + [i for i in ids if i != me]


# ---- self-check -----------------------------------------------------------------

def _check(cond, what):
    if not cond:
        sys.exit("redis_model: FAILED: " + what)
    print("ok  " + what)


def self_test():
    a = create_split(["a", "b", "c"])
    _check(slot_map(a) == {"a": [[0, 5460]], "b": [[5461, 10922]], "c": [[10923, 16383]]},
           "create over 3 masters: 0-5460, 5461-10922, 10923-16383")
    sizes = {m: [len(s) for s in create_split(list(range(m))).values()] for m in (4, 5, 6)}
    _check(sizes[4] == [4096] * 4 and sizes[5] == [3277, 3277, 3276, 3277, 3277] and
           sizes[6] == [2731, 2730, 2731, 2731, 2730, 2731], "create over 4, 5, 6 masters (routing.md §1.2)")
    _check(sum(len(s) for s in create_split(list(range(10))).values()) == SLOTS, "create over 10 covers all slots")

    b = add_node(a, "d")
    same, none = rebalance(b, ["a", "b", "c", "d"])
    _check(none == [] and same == b, "rebalance without --cluster-use-empty-masters leaves the empty master out")
    c, moves = rebalance(b, ["a", "b", "c", "d"], use_empty=True)
    _check(slot_map(c) == {"a": [[1365, 5460]], "b": [[6827, 10922]], "c": [[12288, 16383]],
                           "d": [[0, 1364], [5461, 6826], [10923, 12287]]},
           "3 -> 4: the new master gets 0-1364, 5461-6826, 10923-12287")
    _check([(s, d, len(x)) for s, d, x in moves] == [("b", "d", 1366), ("c", "d", 1365), ("a", "d", 1365)],
           "3 -> 4: b (+1366) gives first, then c and a (+1365, list order)")

    four = add_node(create_split(["a", "b", "c", "d"]), "e")
    e, _ = rebalance(four, ["a", "b", "c", "d", "e"], use_empty=True)
    _check(slot_map(e)["e"] == [[0, 819], [4096, 4915], [8192, 9011], [12288, 13107]],
           "4 -> 5: the new master gets 0-819, 4096-4915, 8192-9011, 12288-13107 (routing.md §1.3)")
    _check(sorted(len(s) for s in e.values()) == [3276] * 4 + [3280], "4 -> 5: 3276 x 4 and 3280 (the rounding pass)")
    _check(rebalance(e, ["a", "b", "c", "d", "e"])[1] == [], "a balanced cluster: no rebalancing needed")

    # Removing b: rebalance with weight 0, then del-node.
    f, moves = rebalance(c, ["a", "b", "c", "d"], weights={"b": 0})
    _check(len(f["b"]) == 0 and sorted(len(s) for n, s in f.items() if n != "b") == [5461, 5461, 5462],
           "weight 0 empties the node; the first receiver in list order takes the rounding slot")
    _check(len(f["a"]) == 5462 and moves[0][:2] == ("b", "a"), "the rounding slot goes to a (first in order)")
    g = del_node(f, "b")
    _check(sorted(g) == ["a", "c", "d"] and sum(len(s) for s in g.values()) == SLOTS, "del-node after emptying")
    try:
        del_node(c, "b")
        _check(False, "del-node refuses a node with slots")
    except ValueError:
        _check(True, "del-node refuses a node with slots")

    ids = ["%040x" % (i + 1) for i in range(4)]
    text = "\n".join([
        "%s 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460 [5461->-%s]" % (ids[0], ids[1]),
        "%s 127.0.0.1:7001@17001 master - 0 1 2 connected 5461-10922 [93-<-%s]" % (ids[1], ids[0]),
        "%s 127.0.0.1:7002@17002 master - 0 1 3 connected 10923-16382 16383" % ids[2],
        "%s 127.0.0.1:7003@17003 slave %s 0 1 3 connected" % (ids[3], ids[2]),
    ])
    p = parse_cluster_nodes(text)
    _check(p["masters"] == {ids[0]: [[0, 5460]], ids[1]: [[5461, 10922]], ids[2]: [[10923, 16383]]},
           "CLUSTER NODES: masters, ranges and a single slot; the replica is not a master")
    _check(len(p["markers"]) == 2 and p["myself"] == ids[0] and cli_order(p) == ids,
           "CLUSTER NODES: importing/migrating markers reported and ignored; myself first")
    for bad, why in [("%s 127.0.0.1:7000@17000 master - 0 0 1 connected 0-16384" % ids[0], "a slot past 16383"),
                     ("%s 127.0.0.1:7000@17000 master - 0 0 1 connected 5-3" % ids[0], "a reversed range"),
                     ("%s a master -" % ids[0], "too few fields"),
                     ("%s 127.0.0.1:7000@17000 master - 0 0 1 connected 7\n"
                      "%s 127.0.0.1:7001@17001 master - 0 0 2 connected 5-9" % (ids[0], ids[1]), "a slot owned twice")]:
        try:
            parse_cluster_nodes(bad)
            _check(False, "CLUSTER NODES refuses " + why)
        except ClusterNodesError as e:
            _check(e.line_no >= 1, "CLUSTER NODES refuses %s (%s)" % (why, e))
    print("redis_model: all checks passed")


if __name__ == "__main__":
    self_test()
