#!/usr/bin/env python3
"""ringscope record under faults (issue 14): unwritable and odd output
places, a full disk, signals, closed standard streams, zero-frame videos,
an existing DIR/, a progress bar cut by an error. Each case checks the
message, the exit status and that nothing but the expected files is left.

Full disks are small tmpfs mounts in a private mount namespace (unshare -m
as root, unshare -rm otherwise); an unwritable folder is a read-only bind
mount when root (who may write anywhere), else a mode 0555 folder. A tool
that is missing fails the test loudly rather than skipping a case.
usage: record_faults.py RINGSCOPE WORKDIR"""
import os
import pty
import select
import shutil
import signal
import stat
import subprocess
import sys
import time

exe, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
os.chmod(work, 0o755)
env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
ROOT = os.geteuid() == 0
for tool in ("unshare", "ffmpeg", "ffprobe"):
    if not shutil.which(tool):
        sys.exit(f"record_faults: {tool} is needed and not on PATH")
SMALL = ["--size", "320x180", "--fps", "10"]


def path(*names):
    return os.path.join(work, *names)


def run(args, expect, env_=None, **kw):
    p = subprocess.run([exe, "record", *args], capture_output=True, text=True, env=env_ or env, timeout=300, **kw)
    if p.returncode != expect:
        sys.exit(f"record {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stderr}")
    for line in p.stderr.splitlines():
        assert line.startswith("ringscope: "), f"stderr line without the prefix: {line!r}"
    return p


def listing(d=work):
    return sorted(os.listdir(d))


def clean():
    for n in os.listdir(work):
        full = path(n)
        shutil.rmtree(full) if os.path.isdir(full) and not os.path.islink(full) else os.remove(full)


def in_small_disk(size, script):
    """Runs sh script with $D a fresh tmpfs of `size`, in a private mount
    namespace; returns its stdout (the script reports what it saw)."""
    mnt = path("mnt")
    os.makedirs(mnt, exist_ok=True)
    ns = ["unshare", "-m"] if ROOT else ["unshare", "-rm"]
    sh = f'mount -t tmpfs -o size={size} none "$D" || exit 99\n{script}'
    p = subprocess.run(ns + ["sh", "-c", sh], capture_output=True, text=True, timeout=300,
                       env=dict(env, D=mnt, RS=exe))
    if p.returncode == 99 or "unshare" in p.stderr:
        sys.exit(f"record_faults: cannot mount a small tmpfs: {p.stderr}")
    os.rmdir(mnt)
    return p.stdout


# ---- 1. an output that cannot be created: a message and exit 1, no crash
p = run([*SMALL, "--duration", "1", "--out", "/nonexistent/a.y4m"], 1)
assert "cannot write /nonexistent/a.y4m: No such file or directory" in p.stderr, p.stderr
locked = path("locked")
os.makedirs(locked)
if ROOT:
    # Root writes anywhere: make the folder a read-only bind mount in a
    # private mount namespace (no dependence on who can reach the build).
    wrap = ["unshare", "-m", "sh", "-c",
            'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"', locked]
    why = "Read-only file system"
else:
    os.chmod(locked, 0o555)
    wrap, why = [], "Permission denied"
for out in ("a.y4m", "a.mp4", "a.png", "frames/"):
    target = os.path.join(locked, out)
    p = subprocess.run(wrap + [exe, "record", *SMALL, "--duration", "1", "--out", target], capture_output=True,
                       text=True, env=env, timeout=300)
    assert p.returncode == 1 and p.stderr == f"ringscope: cannot write {target}: {why}\n", (p.returncode, p.stderr)
assert listing(locked) == []
os.chmod(locked, 0o755)
os.rmdir(locked)

# ---- 9. paths: long names work, impossible ones fail before rendering
name252 = "n" * 248
for ext in (".y4m", ".png", ".mp4"):
    run([*SMALL, "--duration", "0.5", "--out", path(name252 + ext)], 0)
    assert listing() == [name252 + ext], listing()
    os.remove(path(name252 + ext))
long_dir = work + "/" + "/".join(["d" * 200] * 30)
long_dir = long_dir[:4084] + "/"
assert len(long_dir) == 4085
p = run([*SMALL, "--duration", "1", "--out", long_dir], 1)
assert "File name too long" in p.stderr and p.stderr.startswith("ringscope: cannot write "), p.stderr
os.makedirs(path("x.mp4"))
p = run([*SMALL, "--out", path("x.mp4")], 1)
assert f"cannot write {path('x.mp4')}: Is a directory" in p.stderr, p.stderr
os.rmdir(path("x.mp4"))
# A directory called ffmpeg earlier on PATH is not the encoder.
os.makedirs(path("bin", "ffmpeg"))
run([*SMALL, "--duration", "1", "--out", path("a.mp4")], 0,
    env_=dict(env, PATH=path("bin") + ":" + env.get("PATH", "/usr/bin:/bin")))
assert listing() == ["a.mp4", "bin"], listing()
clean()

# ---- 7. zero frames is an error, not an empty video
for out in ("z.y4m", "z.mp4", "z/"):
    p = run([*SMALL, "--duration", "0.001", "--out", path(out)], 1)
    assert "no frame was rendered" in p.stderr, p.stderr
    assert listing() == [], listing()

# ---- 5. closed standard streams
run([*SMALL, "--duration", "1", "--out", path("in.mp4")], 0, stdin=None, preexec_fn=lambda: os.close(0))
subprocess.run([exe, "record", *SMALL, "--duration", "1", "--out", path("out.mp4")], env=env, timeout=300,
               check=True, preexec_fn=lambda: (os.close(1), os.close(2)))
for f in ("in.mp4", "out.mp4"):
    frames = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries", "stream=nb_read_frames",
                             "-of", "csv=p=0", path(f)], capture_output=True, text=True, check=True).stdout.strip()
    assert frames == "10", (f, frames)
clean()

# ---- 2 and 10. a full disk: the reason, exit 1, nothing left on the disk
seen = in_small_disk("100k", """
for out in a.mp4 a.y4m frames/ a.png; do
  "$RS" record --duration 6 --out "$D/$out" 2>"$D/../err.txt"; echo "$out exit $?"
  cat "$D/../err.txt"; echo "left: $(ls -A "$D")"
done
""")
for out in ("a.mp4", "a.y4m", "frames/", "a.png"):
    assert f"{out} exit 1\nringscope: cannot write {path('mnt', out)}: No space left on device\nleft: \n" in seen, \
        seen
assert "libpng" not in seen and ".rs-" not in seen, seen
os.remove(path("err.txt"))

# ---- 3. signals: stop within a frame, remove the temporaries, 128+signal


def start_long(out, *extra):
    proc = subprocess.Popen([exe, "record", *SMALL, *extra, "--duration", "120", "--out", path(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # Rendering has begun once the temporary holds a frame (a folder's first
    # PNG, a .y4m past its header); an .mp4 is written by ffmpeg in bursts,
    # so there the temporary's existence and a moment more have to do.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        tmp = [n for n in os.listdir(work) if n.startswith(".rs-") and n.endswith(".tmp")]
        if tmp and os.path.isdir(path(tmp[0])) and os.listdir(path(tmp[0])):
            return proc
        if tmp and os.path.isfile(path(tmp[0])) and (out.endswith(".mp4") or os.path.getsize(path(tmp[0])) > 1000):
            time.sleep(1.0)
            return proc
        time.sleep(0.05)
    proc.kill()
    sys.exit(f"record_faults: {out}: no frame written within 120 s")


for out, sig in (("s.y4m", signal.SIGINT), ("s.mp4", signal.SIGINT), ("s/", signal.SIGTERM),
                 ("t.mp4", signal.SIGHUP)):
    proc = start_long(out)
    proc.send_signal(sig)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 128 + sig, (out, sig, proc.returncode, err)
    assert err == "ringscope: interrupted\n", (out, err)
    assert listing() == [], (out, listing())

# SIGKILL cannot be caught: the temporary stays (ffmpeg finishes it on end
# of input), and the next run for the same output removes it.
for out in ("k.mp4", "k.y4m", "k/"):
    proc = start_long(out)
    proc.kill()
    proc.wait()
    time.sleep(0.5)  # let a finishing ffmpeg child close its file
    left = listing()
    assert len(left) == 1 and left[0].startswith(".rs-") and left[0].endswith(".tmp"), left
    run([*SMALL, "--duration", "0.5", "--out", path(out)], 0)
    assert listing() == [out.rstrip("/")], (out, listing())
    clean()

# ---- 4. an existing DIR/: refused unless --force; a failure keeps it whole
run([*SMALL, "--duration", "2", "--out", path("f/")], 0)
assert len(listing(path("f"))) == 20
p = run([*SMALL, "--duration", "1", "--out", path("f/")], 1)
assert "not empty" in p.stderr and "--force" in p.stderr, p.stderr
assert len(listing(path("f"))) == 20
proc = start_long("f/", "--force")  # interrupted: the old frames stay
proc.terminate()
proc.communicate(timeout=60)
assert len(listing(path("f"))) == 20 and listing() == ["f"], listing()
run([*SMALL, "--duration", "1", "--force", "--out", path("f/")], 0)
assert listing(path("f")) == [f"frame_{i:06d}.png" for i in range(10)], listing(path("f"))
assert listing() == ["f"], listing()
clean()
os.makedirs(path("empty"))
run([*SMALL, "--duration", "1", "--out", path("empty/")], 0)  # an empty folder is fine
assert len(listing(path("empty"))) == 10
clean()

# ---- 10. on a terminal, an error starts on its own line, not after the bar
master, slave = pty.openpty()
proc = subprocess.Popen([exe, "record", *SMALL, "--duration", "120", "--out", path("p.y4m")], env=env,
                        stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
buf = b""
while b"ETA" not in buf:
    r, _, _ = select.select([master], [], [], 120)
    assert r, "no progress bar on the terminal"
    buf += os.read(master, 4096)
proc.send_signal(signal.SIGINT)
proc.wait(timeout=60)
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    buf += chunk
os.close(master)
text = buf.decode("utf-8", "replace").replace("\r\n", "\n")
assert "\nringscope: interrupted" in text and "ETA" in text, repr(text[-300:])
assert proc.returncode == 130 and listing() == [], (proc.returncode, listing())
print("record faults: ok")
