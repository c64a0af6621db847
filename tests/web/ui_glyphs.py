#!/usr/bin/python3
"""The browser's first frame draws with a subset of DejaVu Sans (src/CMakeLists.txt
subsets it with pyftsubset --unicodes=...); the whole font and the CJK fallback
are fetched only when text needs a glyph the subset lacks. So every character
the UI itself can draw must be in the subset, or it shows as '?'.

This reads every string literal of the code that draws or words the UI
(src/app, src/render, src/core: messages reach the HUD's toasts), decodes it
as UTF-8, and checks each character beyond ASCII against the subset that the
build makes: the same pyftsubset arguments, run here on assets/DejaVuSans.ttf.
Exits 1 naming each missing character and where it is used.

Usage: tests/web/ui_glyphs.py  (from anywhere; needs Debian's fonttools)
"""
import pathlib
import re
import shlex
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[2]
DIRS = ["src/app", "src/render", "src/core"]
# Not drawn: the byte-order mark a script may start with (scn.c skips it).
NOT_DRAWN = {0xFEFF}

try:
    from fontTools.ttLib import TTFont
except ImportError:
    sys.exit("ui_glyphs: fontTools is missing: install Debian's fonttools package (it also makes the subset)")


def subset_args():
    """The pyftsubset arguments of the web build's rule, from src/CMakeLists.txt."""
    text = (REPO / "src/CMakeLists.txt").read_text()
    m = re.search(r"COMMAND \$\{RS_PYFTSUBSET\}(.*?)\n\s*DEPENDS", text, re.S)
    if not m:
        sys.exit("ui_glyphs: cannot find the pyftsubset rule in src/CMakeLists.txt")
    words = shlex.split(m.group(1).replace("\n", " "))
    return [w for w in words if w.startswith("--") and not w.startswith("--output-file")]


def strip_comments(src):
    """C source with comments blanked (string and char literals kept)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * src.count("\n", i, j))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


ESCAPES = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, '"': 34, "'": 39, "a": 7, "b": 8, "f": 12, "v": 11, "?": 63}


def literal_bytes(body):
    """The bytes of a C string literal's body (between the quotes)."""
    out, i = bytearray(), 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = body[i + 1]
        if e == "x":
            m = re.match(r"[0-9A-Fa-f]+", body[i + 2:])
            out.append(int(m.group(0), 16) & 0xFF)
            i += 2 + len(m.group(0))
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        else:
            out.append(ESCAPES.get(e, ord(e)))
            i += 2
    return bytes(out)


def ui_strings():
    """(file:line, text) for every string literal; adjacent literals joined."""
    for d in DIRS:
        for path in sorted((REPO / d).glob("*.[ch]")):
            src = strip_comments(path.read_text(encoding="utf-8"))
            # "a" "b" (only blanks between) is one literal
            for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"(?:\s*"((?:[^"\\\n]|\\.)*)")*', src):
                parts = re.findall(r'"((?:[^"\\\n]|\\.)*)"', m.group(0))
                data = b"".join(literal_bytes(p) for p in parts)
                line = src.count("\n", 0, m.start()) + 1
                where = f"{path.relative_to(REPO)}:{line}"
                try:
                    yield where, data.decode("utf-8")
                except UnicodeDecodeError as e:
                    yield where, None
                    print(f"ui_glyphs: {where}: not UTF-8 ({e})", file=sys.stderr)


def main():
    args = subset_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "subset.ttf"
        subprocess.run(["pyftsubset", str(REPO / "assets/DejaVuSans.ttf"), f"--output-file={out}", *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        have = set(TTFont(str(out)).getBestCmap())
    used = {}
    bad_utf8 = 0
    for where, text in ui_strings():
        if text is None:
            bad_utf8 += 1
            continue
        for ch in text:
            cp = ord(ch)
            if cp > 0x7E and cp not in NOT_DRAWN:
                used.setdefault(cp, []).append(where)
    missing = sorted(cp for cp in used if cp not in have)
    for cp in missing:
        places = used[cp]
        print(f"ui_glyphs: U+{cp:04X} {chr(cp)!r} is drawn by the UI but not in the first-frame font subset "
              f"(add it to --unicodes in src/CMakeLists.txt): {', '.join(places[:4])}"
              f"{' …' if len(places) > 4 else ''}", file=sys.stderr)
    print(f"ui_glyphs: {len(used)} characters beyond ASCII in the UI's strings, "
          f"{len(missing)} missing from the subset of {len(have)}")
    return 1 if missing or bad_utf8 else 0


if __name__ == "__main__":
    sys.exit(main())
