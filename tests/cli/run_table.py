#!/usr/bin/env python3
"""Runs the real ringscope binary over a table of command lines.

    run_table.py BINARY TABLE [--asan]

Each row of TABLE gives an expected exit code, a regex the whole stderr must
match (re.search), and the arguments after `ringscope sim` (or after
`ringscope NAME` with @cmd=NAME; @cmd=app: `ringscope ARGS`). Every row also
checks that stderr is clean text (valid UTF-8, no control bytes but newlines)
with each line prefixed "ringscope: ", and that a failing run wrote nothing
to stdout. The table's header comment describes the syntax.

--asan: the binary has AddressSanitizer, which reserves terabytes of address
space for its shadow memory, so an address-space rlimit (@vmem) would stop it
before main. Such rows instead cap single allocations with ASAN_OPTIONS
max_allocation_size_mb and allocator_may_return_null=1: malloc returns NULL
exactly as it does under `ulimit -v`, so the same out-of-memory path runs.
"""
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile

ESCAPES = {"n": b"\n", "r": b"\r", "t": b"\t", "\\": b"\\", "0": b"\0", "s": b" "}


def expand(word, names):
    """Decodes a table word to bytes: \\xHH \\n \\r \\t \\0 \\s \\\\ escapes,
    @rep(TEXT,N) repeats, @seq(PREFIX,N) lists PREFIX0,...,PREFIX{N-1},
    @lines(PREFIX,N) writes the lines PREFIX0 ... PREFIX{N-1},
    {NAME} is the path of a fixture."""
    def macro(m):
        kind, text, n = m.group(1), m.group(2), int(m.group(3))
        if kind == "rep":
            return text * n
        if kind == "lines":
            return "".join("%s%d\\n" % (text, i) for i in range(n))
        return ",".join("%s%d" % (text, i) for i in range(n))
    word = re.sub(r"@(rep|seq|lines)\(([^,()]*),(\d+)\)", macro, word)
    word = re.sub(r"\{(\w+)\}", lambda m: names[m.group(1)] if m.group(1) in names else m.group(0), word)
    out = bytearray()
    i = 0
    raw = word.encode("utf-8")
    while i < len(raw):
        c = raw[i:i + 1]
        if c == b"\\" and i + 1 < len(raw):
            e = chr(raw[i + 1])
            if e == "x":
                out += bytes([int(raw[i + 2:i + 4], 16)])
                i += 4
                continue
            if e in ESCAPES:
                out += ESCAPES[e]
                i += 2
                continue
        out += c
        i += 1
    return bytes(out)


def words(line):
    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.escape = ""          # backslashes are ours (see expand)
    lex.commenters = ""
    return list(lex)


def clean_text(b):
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any((ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F for ch in s)


def main():
    if len(sys.argv) < 3:
        print("usage: run_table.py BINARY TABLE [--asan]", file=sys.stderr)
        return 2
    binary, table = sys.argv[1], sys.argv[2]
    asan = "--asan" in sys.argv[3:]
    tmp = tempfile.mkdtemp(prefix="ringscope-cli.")
    names = {"tmp": tmp, "missing": os.path.join(tmp, "no-such-script.txt"), "dir": os.path.join(tmp, "adir"),
             "data": os.path.join(os.path.dirname(os.path.abspath(table)), "data")}
    os.mkdir(names["dir"])
    rows = failures = 0
    try:
        with open(table, encoding="utf-8") as f:
            lines = f.read().splitlines()
        for lineno, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            w = words(line)
            if w[0] == "script":
                # script NAME CONTENT: a fixture file made at run time.
                path = os.path.join(tmp, w[1] + ".rss")
                with open(path, "wb") as out:
                    out.write(expand(w[2] if len(w) > 2 else "", names))
                names[w[1]] = path
                continue
            rows += 1
            expect, err_re = int(w[0]), w[1]
            opts, args = {}, []
            for x in w[2:]:
                if x.startswith("@") and "=" in x and not args:
                    k, v = x[1:].split("=", 1)
                    opts[k] = v
                else:
                    args.append(expand(x, names))
            err_re = re.sub(r"\{(\w+)\}", lambda m: re.escape(names.get(m.group(1), m.group(0))), err_re)
            env = dict(os.environ)
            preexec = None
            if "vmem" in opts:
                if asan:
                    env["ASAN_OPTIONS"] = ":".join(
                        x for x in [env.get("ASAN_OPTIONS", ""), "allocator_may_return_null=1",
                                    "max_allocation_size_mb=%d" % (int(opts["vmem"]) // 1024 // 4)] if x)
                else:
                    limit = int(opts["vmem"]) * 1024
                    preexec = lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            stdout_file = open(opts["stdout"], "wb") if "stdout" in opts else subprocess.PIPE
            try:
                command = [] if opts.get("cmd") == "app" else [opts.get("cmd", "sim")]
                p = subprocess.run([binary] + command + args, stdout=stdout_file, stderr=subprocess.PIPE, env=env,
                                   preexec_fn=preexec, timeout=120)
            except subprocess.TimeoutExpired:
                print("FAIL line %d: timed out (a hang)" % lineno)
                failures += 1
                continue
            finally:
                if stdout_file is not subprocess.PIPE:
                    stdout_file.close()
            out = p.stdout or b""
            raw_err = p.stderr
            if asan and "vmem" in opts:
                # The sanitizer's own note about the refused allocation.
                raw_err = re.sub(rb"(?m)^==\d+==WARNING: AddressSanitizer failed to allocate .*\n", b"", raw_err)
            err = raw_err.decode("utf-8", "replace")
            problems = []
            if p.returncode != expect:
                problems.append("exit %d, expected %d" % (p.returncode, expect))
            if not re.search(err_re, err):
                problems.append("stderr does not match /%s/" % err_re)
            if not clean_text(raw_err):
                problems.append("stderr is not clean UTF-8 text")
            if any(not l.startswith("ringscope: ") for l in err.splitlines()):
                problems.append('a stderr line lacks the "ringscope: " prefix')
            if expect != 0 and out and opts.get("out") != "any":
                problems.append("wrote %d bytes to stdout on error" % len(out))
            if "out" in opts and opts["out"] != "any" and not re.search(opts["out"], out.decode("utf-8", "replace")):
                problems.append("stdout does not match /%s/" % opts["out"])
            if problems:
                failures += 1
                shown = " ".join(shlex.quote(a.decode("utf-8", "backslashreplace"))[:80] for a in args)
                print("FAIL line %d: ringscope %s %s" % (lineno, opts.get("cmd", "sim"), shown))
                for pr in problems:
                    print("    " + pr)
                print("    stderr: " + (err.strip()[:400] or "(empty)"))
                if out:
                    print("    stdout: " + out.decode("utf-8", "replace")[:200].replace("\n", "\\n"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d rows, %d failed%s" % (rows, failures, " (ASan mode)" if asan else ""))
    return 1 if failures or rows == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
