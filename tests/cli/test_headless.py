#!/usr/bin/env python3
"""Headless commands load no window system (src/main.c, app_main.h).

    test_headless.py RINGSCOPE

The visualizer, `record` and bench's renderer figures live in the front-end
module beside the executable (ringscope-app.so); sim, locate and their
presets, --compare and --from-redis must run without it, and so without
SDL, GL, EGL or X11. Each command runs under the dynamic loader's trace
(LD_DEBUG=libs, glibc), which names every library as it is loaded; none of
those may appear. The executable's own needed libraries are checked too.
"""
import os
import re
import subprocess
import sys
import tempfile

WINDOW = re.compile(r"libSDL|libGL|libEGL|libX11|libwayland|libxcb|ringscope-app", re.I)

# A Redis Cluster's CLUSTER NODES output: three masters, one replica.
NODES = (
    "0000000000000000000000000000000000000001 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460\n"
    "0000000000000000000000000000000000000002 127.0.0.1:7001@17001 master - 0 1 2 connected 5461-10922\n"
    "0000000000000000000000000000000000000003 127.0.0.1:7002@17002 master - 0 1 3 connected 10923-16383\n"
    "0000000000000000000000000000000000000004 127.0.0.1:7003@17003 slave 0000000000000000000000000000000000000003 "
    "0 1 3 connected\n"
)


def loaded(argv):
    """The libraries the loader opened for argv (its exit status must be 0)."""
    env = dict(os.environ, LD_DEBUG="libs")
    r = subprocess.run(argv, capture_output=True, text=True, env=env)
    assert r.returncode == 0, (argv, r.returncode, r.stderr[-2000:])
    libs = set(re.findall(r"(?:calling init|find library=): ?(\S+)", r.stderr))
    assert libs, ("LD_DEBUG=libs printed nothing: not glibc's loader?", argv)
    return libs


def main(argv):
    exe = argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        nodes = os.path.join(tmp, "nodes.txt")
        with open(nodes, "w") as f:
            f.write(NODES)
        commands = [
            ["sim", "--vectors", "1000", "--do", "add nodeF"],
            ["sim", "--preset", "redis-cluster", "--vectors", "1000", "--do", "add nodeF"],
            ["sim", "--preset", "weaviate", "--vectors", "1000", "--json"],
            ["sim", "--compare", "ring,ketama,kafka,shards", "--vectors", "1000"],
            ["sim", "--from-redis", nodes, "--vectors", "1000", "--do", "add 127.0.0.1:7004"],
            ["locate", "--preset", "elasticsearch", "--shards", "5", "hello"],
            ["locate", "--preset", "cassandra", "123"],
            ["locate", "--strategy", "ketama", "test"],
            ["sim", "--help"],
        ]
        for c in commands:
            libs = loaded([exe] + c)
            bad = sorted(l for l in libs if WINDOW.search(l))
            assert not bad, (c, bad)
    # The trace does see a window system where one loads: record's help
    # comes from the front end (when this build has it).
    if os.path.exists(os.path.join(os.path.dirname(os.path.abspath(exe)), "ringscope-app.so")):
        libs = loaded([exe, "record", "--help"])
        assert any("ringscope-app" in l for l in libs) and any("libSDL" in l for l in libs), sorted(libs)
    needed = subprocess.run(["objdump", "-p", exe], capture_output=True, text=True, check=True).stdout
    bad = [l for l in re.findall(r"NEEDED\s+(\S+)", needed) if WINDOW.search(l)]
    assert not bad, ("the executable links a window system", bad)
    print(f"headless: {len(commands)} commands, no window system loaded")


if __name__ == "__main__":
    main(sys.argv)
