#!/usr/bin/python3
"""A model of DESIGN §1c's generic shards, for tests (stdlib only).

The reference the `shards` strategy (`--shards S`, `--replicas R`) will be
held to, step by step, through `sim --json`'s shard_counts / shard_ranges.
Rules, from DESIGN §1c; where DESIGN leaves a detail open, the choice made
here is marked (*) and is the one the C code must follow:

- key -> shard: khash(id) mod S, khash = hash64("key:" + id) (DESIGN §1).
- Ranks: live nodes in order of addition; `remove` and `fail` close the gap,
  `recover` brings the node back at the end, weight 1, empty (as sim does).
- Initial assignment: shard s -> the node of rank s mod n.
- Targets: S * w_i / W by largest remainder (integer arithmetic), the
  leftover shards to the largest remainders, ties lower rank first.
- Balancer (after add, remove, weight, recover; and `rebalance`): shards of
  a removed node ("orphans"), lowest number first, each to the live node
  with the largest deficit (target - primaries held; ties lower rank); then,
  while some node is above target, the node with the largest surplus (ties
  lower rank) gives its lowest-numbered shard to the node with the largest
  deficit (ties lower rank). Every node then holds exactly its target, with
  the fewest moves: orphans + sum of surpluses.
- Replicas (R copies, primary first, distinct nodes): (*) after every
  graceful step (add, remove, weight, recover, zone, move, rebalance) a
  shard's holders are its list: its primary, then the live nodes of ranks
  r+1, r+2, ... after the primary's rank r, wrapping, taking first only nodes
  whose zone is not yet in the list, then (second pass) any node not in it
  (repl.h's walk; modulo's "ranks b, b+1, ..."). A node without a zone is a
  zone of its own. Copies moved = holders a shard gains.
- `fail ID`: no balancer. ID's copies vanish; a shard it led promotes its
  first surviving holder; a shard with no copy left is lost (its keys count
  in `lost` and are gone for good: (*) later copies of it carry no keys) and
  is re-created empty, lowest first, on the live node with the largest
  deficit (ties lower rank). Other holders stay as they are.
- `heal`: each shard, lowest first, short of min(R, n) holders gets copies on
  live nodes not holding it: (*) nodes of zones not yet among its holders
  first, then the fewest shard copies held (counted as copies are made),
  ties lower rank.
- `move SHARD ID`: ID becomes the shard's primary; `rebalance` runs the
  balancer (nothing to do: "already balanced").
- Output: shard_counts {id: primaries held}, shard_ranges {id: [[first,
  last], ...]} ascending runs of the shard numbers it leads.
- Figures, in the vocabulary every report uses (issue 22): `moved` is the
  keys of shards whose primary changed in a step that streams data (0 at a
  crash), `promoted` the keys of shards a crash handed to their first
  surviving copy, `shards_moved` the shard copies made (holders gained; 0 at
  a crash), `lost` the keys of shards whose last copy crashed; a lost
  shard's keys have no data, so (*) they are never moved or promoted again,
  and `dist` {id: keys it holds data for as primary} leaves them out.

Run it to check the model: DESIGN's worked value (S = 12 over a, b, c, add
d: 3 shards move, one from each, 3/3/3/3) and invariants after every step
of 300 random scenarios.
"""

import hashlib
import random
import sys


def hash64(text):
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def shard_sizes(keys, shards):
    """Keys per shard for vectors vec_000000 .. (DESIGN §1's ids)."""
    sizes = [0] * shards
    for i in range(keys):
        sizes[hash64("key:vec_%06d" % i) % shards] += 1
    return sizes


def to_ranges(numbers):
    """Numbers -> [[first, last], ...]: ascending runs of consecutive ones."""
    out = []
    for s in sorted(numbers):
        if out and out[-1][1] == s - 1:
            out[-1][1] = s
        else:
            out.append([s, s])
    return out


def largest_remainder(total, weights):
    """total split in proportion to weights (a list, rank order): floors, then
    one more to the largest remainders, ties to the lower rank."""
    w_sum = sum(weights)
    base = [total * w // w_sum for w in weights]
    rem = [total * w % w_sum for w in weights]
    left = total - sum(base)
    for i in sorted(range(len(weights)), key=lambda i: (-rem[i], i))[:left]:
        base[i] += 1
    return base


class ShardsError(ValueError):
    """A command the model refuses (the sim must refuse it too)."""


class Shards:
    def __init__(self, shards, nodes, replicas=1, keys=6000, zones=None):
        if not 1 <= shards <= 65536:
            raise ShardsError("--shards must be 1..65536")
        if not nodes:
            raise ShardsError("at least one node")
        self.S = shards
        self.R = replicas
        self.ranks = list(nodes)
        self.weights = {n: 1 for n in nodes}
        self.zones = dict(zones or {})
        self.sizes = shard_sizes(keys, shards)
        self.lost = [False] * shards
        n = len(self.ranks)
        self.holders = [[self.ranks[s % n]] for s in range(shards)]
        self._graceful_lists()

    # -- derived --------------------------------------------------------------

    def primary(self, s):
        return self.holders[s][0]

    def targets(self):
        t = largest_remainder(self.S, [self.weights[n] for n in self.ranks])
        return dict(zip(self.ranks, t))

    def counts(self):
        c = {n: 0 for n in self.ranks}
        for h in self.holders:
            c[h[0]] += 1
        return c

    def shard_counts(self):
        return self.counts()

    def shard_ranges(self):
        led = {n: [] for n in self.ranks}
        for s, h in enumerate(self.holders):
            led[h[0]].append(s)
        return {n: to_ranges(v) for n, v in led.items()}

    def zone_of(self, node):
        z = self.zones.get(node)
        return ("node", node) if z is None else ("zone", z)

    def walk_list(self, primary):
        """The graceful holder list of a shard led by primary."""
        want = min(self.R, len(self.ranks))
        r = self.ranks.index(primary)
        order = [self.ranks[(r + k) % len(self.ranks)] for k in range(1, len(self.ranks))]
        out = [primary]
        for zone_pass in (True, False):
            for node in order:
                if len(out) == want:
                    return out
                if node in out or (zone_pass and self.zone_of(node) in {self.zone_of(x) for x in out}):
                    continue
                out.append(node)
        return out

    def _graceful_lists(self):
        self.holders = [self.walk_list(h[0]) for h in self.holders]

    def _rank(self, n):
        return self.ranks.index(n)

    # -- the balancer -----------------------------------------------------------

    def _balance(self, orphans):
        """Places orphan shards (their primary has left), then moves primaries
        until every node holds its target."""
        target = self.targets()
        count = {n: 0 for n in self.ranks}
        for s, h in enumerate(self.holders):
            if s not in orphans:
                count[h[0]] += 1

        def deficit_node():
            return min(self.ranks, key=lambda n: (-(target[n] - count[n]), self._rank(n)))

        for s in sorted(orphans):
            n = deficit_node()
            self.holders[s] = [n]
            count[n] += 1
        while True:
            giver = min(self.ranks, key=lambda n: (-(count[n] - target[n]), self._rank(n)))
            if count[giver] <= target[giver]:
                break
            s = min(i for i, h in enumerate(self.holders) if h[0] == giver)
            taker = deficit_node()
            self.holders[s] = [taker]
            count[giver] -= 1
            count[taker] += 1

    # -- commands -------------------------------------------------------------------

    def _graceful(self, change):
        """Runs change(), then re-lists every shard; returns the step's figures."""
        before = [list(h) for h in self.holders]
        change()
        self._graceful_lists()
        return self._step(before)

    def _step(self, before, lost=0, crash=False):
        moved_copies = copy_keys = changed = keys_moved = promoted = shards_primary = 0
        for s, (old, new) in enumerate(zip(before, self.holders)):
            gained = [n for n in new if n not in old]
            moved_copies += len(gained)
            copy_keys += 0 if self.lost[s] else len(gained) * self.sizes[s]
            changed += set(old) != set(new)
            if old[0] != new[0]:
                shards_primary += 1
                if not self.lost[s]:
                    if crash:
                        promoted += self.sizes[s]
                    else:
                        keys_moved += self.sizes[s]
        return {"shards_moved": moved_copies, "shards_changed": changed, "primaries_moved": shards_primary,
                "moved": keys_moved, "promoted": promoted, "copy_keys": copy_keys, "lost": lost,
                "shard_counts": self.shard_counts(), "shard_ranges": self.shard_ranges(), "dist": self.dist()}

    def dist(self):
        """Keys each node holds data for as primary: lost shards count for no one."""
        d = {n: 0 for n in self.ranks}
        for s, h in enumerate(self.holders):
            if not self.lost[s]:
                d[h[0]] += self.sizes[s]
        return d

    def _known(self, node):
        if node not in self.ranks:
            raise ShardsError("%s is not a live node" % node)

    def add(self, node):
        if node in self.ranks:
            raise ShardsError("%s already exists" % node)

        def change():
            self.ranks.append(node)
            self.weights[node] = 1
            self._balance(set())
        return self._graceful(change)

    def remove(self, node):
        self._known(node)
        if len(self.ranks) == 1:
            raise ShardsError("cannot remove the last node")

        def change():
            orphans = {s for s, h in enumerate(self.holders) if h[0] == node}
            self.ranks.remove(node)
            self.weights.pop(node)
            self._balance(orphans)
        return self._graceful(change)

    def weight(self, node, w):
        self._known(node)
        if not 1 <= w <= 1000:
            raise ShardsError("weight must be 1..1000")

        def change():
            self.weights[node] = w
            self._balance(set())
        return self._graceful(change)

    def zone(self, node, z):
        self._known(node)
        return self._graceful(lambda: self.zones.__setitem__(node, z))

    def recover(self, node):
        if node in self.ranks:
            raise ShardsError("%s has not crashed" % node)
        return self.add(node)

    def move(self, shard, node):
        self._known(node)
        if not 0 <= shard < self.S:
            raise ShardsError("no shard %d (0..%d)" % (shard, self.S - 1))
        if self.primary(shard) == node:
            raise ShardsError("%s already holds shard %d" % (node, shard))
        return self._graceful(lambda: self.holders.__setitem__(shard, [node]))

    def rebalance(self):
        t, c = self.targets(), self.counts()
        if all(c[n] == t[n] for n in self.ranks):
            raise ShardsError("already balanced")
        return self._graceful(lambda: self._balance(set()))

    def fail(self, node):
        self._known(node)
        if len(self.ranks) == 1:
            raise ShardsError("cannot crash the last node")
        before = [list(h) for h in self.holders]
        self.ranks.remove(node)
        self.weights.pop(node)
        target = self.targets()
        lost_keys = 0
        dead = []
        for s, h in enumerate(self.holders):
            if node in h:
                h.remove(node)
                if not h:
                    dead.append(s)
        count = {n: 0 for n in self.ranks}
        for h in self.holders:
            if h:
                count[h[0]] += 1
        for s in dead:  # lowest first
            if not self.lost[s]:
                lost_keys += self.sizes[s]
            self.lost[s] = True
            n = min(self.ranks, key=lambda x: (-(target[x] - count[x]), self._rank(x)))
            self.holders[s] = [n]
            count[n] += 1
        step = self._step(before, lost=lost_keys, crash=True)
        step["shards_moved"] = step["copy_keys"] = 0  # nothing is copied in a crash
        return step

    def heal(self):
        before = [list(h) for h in self.holders]
        want = min(self.R, len(self.ranks))
        copies = {n: 0 for n in self.ranks}
        for h in self.holders:
            for n in h:
                copies[n] += 1
        for s, h in enumerate(self.holders):
            while len(h) < want:
                zones = {self.zone_of(x) for x in h}
                n = min((x for x in self.ranks if x not in h),
                        key=lambda x: (self.zone_of(x) in zones, copies[x], self._rank(x)))
                h.append(n)
                copies[n] += 1
        return self._step(before)

    def apply(self, line):
        """A script line: add ID, remove ID, weight ID W, zone ID Z, fail ID,
        recover ID, heal, move SHARD ID, rebalance."""
        words = line.split()
        op, rest = words[0], line[len(words[0]):].strip()
        if op in ("add", "remove", "fail", "recover"):
            return getattr(self, op)(rest)
        if op in ("weight", "zone"):
            node, _, last = rest.rpartition(" ")
            return self.weight(node.strip(), int(last)) if op == "weight" else self.zone(node.strip(), last)
        if op == "move":
            shard, _, node = rest.partition(" ")
            return self.move(int(shard), node.strip())
        if op in ("heal", "rebalance"):
            return getattr(self, op)()
        raise ShardsError("unknown command %r" % line)


# ---- self-check -------------------------------------------------------------------

def _check(cond, what):
    if not cond:
        sys.exit("shards_model: FAILED: " + what)


def _invariants(m, step, op, before_counts, before_primaries, orphans, where):
    live = set(m.ranks)
    want = min(m.R, len(m.ranks))
    for s, h in enumerate(m.holders):
        _check(len(set(h)) == len(h) and set(h) <= live, "%s: shard %d holders %r are distinct live nodes" %
               (where, s, h))
        if op not in ("fail",):
            _check(len(h) == want, "%s: shard %d has %d holders, want %d" % (where, s, len(h), want))
        zones = [m.zone_of(n) for n in h]
        distinct_possible = len({m.zone_of(n) for n in live})
        _check(len(set(zones)) == min(len(h), distinct_possible),
               "%s: shard %d copies spread over zones while zones remain" % (where, s))
    counts, targets = m.counts(), m.targets()
    _check(sum(counts.values()) == m.S, where + ": every shard has one primary")
    if op in ("add", "remove", "weight", "recover", "rebalance"):
        _check(counts == targets, "%s: counts %r meet targets %r" % (where, counts, targets))
        if len(set(m.weights[n] for n in m.ranks)) == 1:
            _check(max(counts.values()) - min(counts.values()) <= 1, where + ": max - min <= 1 at equal weights")
        # Fewest moves: orphans, plus what each surviving node had above its target.
        floor = orphans + sum(max(0, before_counts.get(n, 0) - targets[n]) for n in m.ranks)
        _check(step["primaries_moved"] == floor, "%s: %d primaries moved, the fewest is %d" %
               (where, step["primaries_moved"], floor))
    changed = [s for s in range(m.S) if m.primary(s) != before_primaries[s]]
    with_data = sum(m.sizes[s] for s in changed if not m.lost[s])
    moved, promoted = (0, with_data) if op == "fail" else (with_data, 0)
    _check(step["moved"] == moved and step["promoted"] == promoted and step["primaries_moved"] == len(changed),
           where + ": keys moved (promoted at a crash) = the sizes of the shards whose primary changed")
    _check(sum(step["dist"].values()) == sum(m.sizes[s] for s in range(m.S) if not m.lost[s]),
           where + ": dist holds every key with data once")
    ranges = step["shard_ranges"]
    _check(sorted(s for r in ranges.values() for a, b in r for s in range(a, b + 1)) == list(range(m.S)),
           where + ": shard_ranges cover every shard once")


def self_test():
    m = Shards(12, ["a", "b", "c"])
    _check(m.shard_ranges() == {"a": [[0, 0], [3, 3], [6, 6], [9, 9]], "b": [[1, 1], [4, 4], [7, 7], [10, 10]],
                                "c": [[2, 2], [5, 5], [8, 8], [11, 11]]}, "initial: shard s on rank s mod n")
    step = m.add("d")
    _check(step["shards_moved"] == 3 and step["shard_counts"] == {"a": 3, "b": 3, "c": 3, "d": 3},
           "DESIGN: S = 12 over a, b, c, add d: 3 shards move, 3/3/3/3")
    _check(step["shard_ranges"]["d"] == [[0, 2]], "one from each: a gives 0, b gives 1, c gives 2")
    print("ok  DESIGN's worked value: S = 12 over a,b,c + d moves 3 shards (0 from a, 1 from b, 2 from c), 3/3/3/3")
    m = Shards(6, ["a", "b", "c", "d"])
    _check(sorted(m.shard_counts().values()) == [1, 1, 2, 2], "S = 6 on 4 nodes is 2/2/1/1")
    _check(largest_remainder(64, [1] * 5) == [13, 13, 13, 13, 12], "64 shards on 5 nodes: 13/13/13/13/12")
    _check(largest_remainder(10, [1, 2, 2]) == [2, 4, 4] and largest_remainder(7, [1, 1, 1]) == [3, 2, 2],
           "largest remainder, ties to the lower rank")
    try:
        Shards(12, ["a", "b"]).rebalance()
        _check(False, "rebalance when balanced is refused")
    except ShardsError:
        pass
    print("ok  quantisation (S = 6 on 4 nodes: 2/2/1/1; 64 on 5: 13/13/13/13/12), largest remainder ties")

    # Crash with two copies, then heal.
    m = Shards(8, ["a", "b", "c"], replicas=2, keys=2000)
    led_by_a = [s for s in range(8) if m.primary(s) == "a"]
    second = {s: m.holders[s][1] for s in led_by_a}
    step = m.fail("a")
    _check(all(m.primary(s) == second[s] for s in led_by_a) and step["lost"] == 0 and step["shards_moved"] == 0,
           "fail with R = 2: the second copy is promoted, nothing lost, nothing copied")
    short = sum(1 for h in m.holders if len(h) < 2)
    step = m.heal()
    _check(all(len(h) == 2 for h in m.holders) and step["shards_moved"] == short and short > 0,
           "heal: every shard has two copies again, one copy made per missing copy")
    m = Shards(8, ["a", "b", "c"], replicas=1, keys=2000)
    sizes = sum(m.sizes[s] for s in range(8) if m.primary(s) == "a")
    step = m.fail("a")
    _check(step["lost"] == sizes and all(m.lost[s] for s in range(8) if s % 3 == 0),
           "fail with R = 1: a's shards are lost, their keys counted")
    _check(m.counts() == m.targets(), "lost shards are re-created on the largest deficits")
    print("ok  fail promotes the first surviving copy; lost shards counted and re-created; heal restores R copies")

    # Zones: copies in distinct zones while zones remain.
    m = Shards(16, ["a", "b", "c", "d"], replicas=2, zones={"a": "z1", "b": "z1", "c": "z2", "d": "z2"})
    _check(all(m.zone_of(h[0]) != m.zone_of(h[1]) for h in m.holders), "R = 2 over two zones: one copy in each")
    print("ok  zones: copies spread over zones while zones remain")

    # Random scenarios: invariants after every step.
    rng = random.Random(7)
    steps = 0
    for scenario in range(300):
        S = rng.choice([1, 2, 3, 5, 8, 12, 16, 64, 100])
        names = ["n%d" % i for i in range(rng.randint(1, 5))]
        zones = {n: rng.choice(["z1", "z2", "z3", None]) for n in names}
        m = Shards(S, names, replicas=rng.randint(1, 3), keys=300, zones=zones)
        fresh, crashed = len(names), []
        for k in range(12):
            op = rng.choice(["add", "remove", "weight", "fail", "recover", "heal", "move", "rebalance", "zone"])
            before_counts, before_primaries = m.counts(), [m.primary(s) for s in range(S)]
            orphans = 0
            try:
                if op == "add":
                    step = m.add("n%d" % fresh)
                    fresh += 1
                elif op == "remove":
                    node = rng.choice(m.ranks)
                    orphans = before_counts[node]
                    step = m.remove(node)
                elif op == "weight":
                    step = m.weight(rng.choice(m.ranks), rng.randint(1, 4))
                elif op == "fail":
                    node = rng.choice(m.ranks)
                    step = m.fail(node)
                    crashed.append(node)
                elif op == "recover":
                    if not crashed:
                        continue
                    step = m.recover(crashed.pop(0))
                elif op == "heal":
                    step = m.heal()
                elif op == "move":
                    step = m.move(rng.randrange(S), rng.choice(m.ranks))
                elif op == "zone":
                    step = m.zone(rng.choice(m.ranks), rng.choice(["z1", "z2", "z4"]))
                else:
                    step = m.rebalance()
            except ShardsError:
                continue
            steps += 1
            where = "scenario %d step %d (%s)" % (scenario, k, op)
            _invariants(m, step, op, before_counts, before_primaries, orphans, where)
    print("ok  invariants after %d steps of 300 random scenarios (targets met with the fewest moves, "
          "distinct holders, zones, ranges)" % steps)
    print("shards_model: all checks passed")


if __name__ == "__main__":
    self_test()
