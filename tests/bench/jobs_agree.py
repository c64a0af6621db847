#!/usr/bin/env python3
"""The baselines of bench's whole-process figures (bench_jobs.h) do the
same job as ringscope: the keys each step moves agree, step by step.

    jobs_agree.py RINGSCOPE LIBMEMCACHED_JOB     ketama, 99 nodes (and 7 nodes)
    jobs_agree.py RINGSCOPE --reference SCRIPT   the seed job (and an empty start)

Small key counts: this checks the jobs, not their speed."""
import re
import subprocess
import sys


def moved(cmd):
    """The keys each change moved, step by step (the first step, the initial
    placement, moves none). Ringscope leaves out the "moved" line of a step
    that moved nothing where nothing had to: such a step counts 0."""
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    steps = re.split(r"^(?:step|phase) \d+:", out, flags=re.M)[1:]
    counts = [int(m.group(1)) if (m := re.search(r"moved (\d+) of \d+", s)) else 0 for s in steps]
    assert counts and counts[0] == 0, (cmd, out)
    return counts[1:]


def main(argv):
    exe = argv[1]
    if argv[2] == "--reference":
        for n in (20000, 1):
            ours = moved([exe, "sim", "--vectors", str(n), "--do", "add nodeF", "--do", "remove nodeC"])
            theirs = moved([sys.executable, argv[3], "--vectors", str(n)])
            assert len(ours) == 2 and ours == theirs, (n, ours, theirs)
    else:
        for nodes, keys in ((99, 30000), (7, 20000)):
            ids = ",".join(f"node{i:03d}" for i in range(nodes))
            ours = moved([exe, "sim", "--strategy", "ketama", "--nodes", ids, "--vectors", str(keys),
                          "--do", "remove node000", "--do", f"add node{nodes:03d}"])
            theirs = moved([argv[2], "--nodes", str(nodes), "--keys", str(keys), "--remove-first"])
            assert len(ours) == 2 and ours == theirs and ours[0] > 0, (nodes, ours, theirs)
    print("jobs agree: ok")


if __name__ == "__main__":
    main(sys.argv)
