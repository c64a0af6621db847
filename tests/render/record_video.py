#!/usr/bin/env python3
"""ringscope record end to end: .y4m byte-for-byte reproducible, .mp4 with
the expected codec, size and frame count (ffprobe) whose frames show the
scenario's state, PNG sequences, and every error path leaving nothing behind.
usage: record_video.py RINGSCOPE WORKDIR"""
import os
import re
import shutil
import stat
import subprocess
import sys

exe, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
# nodeF's colour: entry 5 of the palette table (src/render/pal.c: entry k
# is the app's k-th name, nodeA first).
_pal = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../src/render/pal.c")).read()
_table = re.search(r"fixed\[PAL_FIXED\]\[3\]\s*=\s*\{(.*?)\};", _pal, re.S).group(1)
NODE_F = tuple(int(x, 16) for x in re.findall(r"\{\s*0x(..),\s*0x(..),\s*0x(..)\s*\}", _table)[5])


def record(*args, env_=None, expect=0):
    p = subprocess.run([exe, "record", *args], capture_output=True, text=True, env=env_ or env, timeout=600)
    if p.returncode != expect:
        sys.exit(f"record {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stderr}")
    return p


def path(name):
    return os.path.join(work, name)


def leftovers():
    return sorted(os.listdir(work))


def count_colour(rgb: bytes, colour, tol=40):
    n = 0
    for i in range(0, len(rgb), 3):
        if abs(rgb[i] - colour[0]) < tol and abs(rgb[i + 1] - colour[1]) < tol and abs(rgb[i + 2] - colour[2]) < tol:
            n += 1
    return n


def frame_at(video, seconds, w, h):
    out = subprocess.run(["ffmpeg", "-v", "error", "-ss", str(seconds), "-i", video, "-frames:v", "1", "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True, timeout=120).stdout
    assert len(out) == w * h * 3, (len(out), w * h * 3)
    return out


script = path("demo.txt")
with open(script, "w") as f:
    f.write("# nodeF joins at 1.0 s\nwait 0.5\nadd nodeF\nwait 1\n")

# 1. The same script twice gives identical .y4m bytes.
record("--script", script, "--size", "320x180", "--fps", "30", "--out", path("a.y4m"))
record("--script", script, "--size", "320x180", "--fps", "30", "--out", path("b.y4m"))
a, b = open(path("a.y4m"), "rb").read(), open(path("b.y4m"), "rb").read()
assert a == b, "two recordings of the same script differ"
header = a.split(b"\n", 1)[0].decode()
assert header.startswith("YUV4MPEG2 W320 H180 F30:1"), header
frame_bytes = len(b"FRAME\n") + 320 * 180 * 3 // 2
frames = (len(a) - len(header) - 1) / frame_bytes
assert frames == int(frames) and frames >= 30 * 2.5, frames  # lead-in, script, settle, hold
os.remove(path("a.y4m"))
os.remove(path("b.y4m"))

# 2. .mp4: codec, size, frame count; nodeF's colour absent before its add
#    (lead-in 0.5 s + wait 0.5 s) and present once its keys have landed.
record("--script", script, "--size", "1280x720", "--fps", "30", "--duration", "4", "--out", path("demo.mp4"))
probe = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                        "stream=codec_name,width,height,pix_fmt,nb_read_frames", "-of", "csv=p=0",
                        path("demo.mp4")], capture_output=True, text=True, check=True).stdout.strip()
assert probe == "h264,1280,720,yuv420p,120", probe
before = count_colour(frame_at(path("demo.mp4"), 0.5, 1280, 720), NODE_F)
after = count_colour(frame_at(path("demo.mp4"), 3.5, 1280, 720), NODE_F)
assert before < 20 and after > 200, (before, after)
with open(path("demo.mp4"), "rb") as f:
    head = f.read(64)
assert b"ftyp" in head and b"moov" in open(path("demo.mp4"), "rb").read(4096), "+faststart: moov first"
os.remove(path("demo.mp4"))

# 3. A directory gets numbered PNG frames; .png gets the final frame.
record("--size", "160x90", "--fps", "10", "--duration", "1", "--out", path("frames") + "/")
names = sorted(os.listdir(path("frames")))
assert names == [f"frame_{i:06d}.png" for i in range(10)], names
assert open(path("frames/frame_000009.png"), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
shutil.rmtree(path("frames"))
record("--do", "add nodeF", "--size", "160x90", "--out", path("last.png"))
assert open(path("last.png"), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
os.remove(path("last.png"))
# A .png is the video's final frame, byte for byte: the caption there too
# (it was taken while the caption faded in), the flights landed.
story = ["--do", "caption Hello", "--do", "add nodeF", "--size", "320x180", "--fps", "10"]
record(*story, "--out", path("story") + "/")
record(*story, "--out", path("story.png"))
last = sorted(os.listdir(path("story")))[-1]
assert open(path("story.png"), "rb").read() == open(path("story/" + last), "rb").read(), last
record("--do", "add nodeF", "--size", "320x180", "--fps", "10", "--out", path("plain.png"))
assert open(path("story.png"), "rb").read() != open(path("plain.png"), "rb").read(), "the caption is drawn"
shutil.rmtree(path("story"))
os.remove(path("story.png"))
os.remove(path("plain.png"))
assert leftovers() == ["demo.txt"], leftovers()

# 4. Errors: a clear message, a non-zero exit, no partial output.
p = record("--out", path("clip.avi"), expect=2)
assert "unknown output kind" in p.stderr and ".y4m" in p.stderr, p.stderr
p = record("--out", path("no/such/dir/clip.mp4"), expect=1)
assert "cannot write" in p.stderr and "No such file or directory" in p.stderr, p.stderr
p = record("--out", path("clip.mp4"), env_=dict(env, PATH=""), expect=1)
assert "ffmpeg was not found" in p.stderr and ".y4m" in p.stderr, p.stderr
bad = path("bad.txt")
with open(bad, "w") as f:
    f.write("add nodeF\nexplode now\n")
p = record("--script", bad, "--out", path("clip.y4m"), expect=2)
assert f"{bad}:2: unknown command \"explode\"" in p.stderr, p.stderr
os.remove(bad)
# An encoder that fails part-way: its complaint is reported, the file removed.
fake = path("bin")
os.makedirs(fake)
with open(os.path.join(fake, "ffmpeg"), "w") as f:
    f.write("#!/bin/sh\nhead -c 100000 >/dev/null\necho 'x264: encoder exploded' >&2\nexit 3\n")
os.chmod(os.path.join(fake, "ffmpeg"), stat.S_IRWXU)
p = record("--size", "320x180", "--out", path("clip.mp4"), env_=dict(env, PATH=fake + ":/usr/bin:/bin"), expect=1)
assert "ffmpeg failed" in p.stderr and "encoder exploded" in p.stderr, p.stderr
shutil.rmtree(fake)
p = record("--size", "321x180", "--out", path("clip.y4m"), expect=2)  # a usage error, said before rendering (issue 24)
assert "even width and height" in p.stderr, p.stderr
assert leftovers() == ["demo.txt"], leftovers()
print("record video: ok")
