#!/usr/bin/env bash
# web/build.sh - build Ringscope for the browser (WebAssembly + WebGL2).
#
# Usage:  web/build.sh [OUTDIR]          (default OUTDIR: build/web)
# Output: OUTDIR/index.html ringscope.js ringscope.wasm ringscope.data and
#         fonts/ (fetched only when text needs a glyph the first frame's
#         subset lacks: fonts/coverage.json says which font has which code
#         points), each with a .gz copy the
#         page unpacks itself when the server sends no compression - a
#         static site; serve it over HTTP, e.g.
#           python3 -m http.server --bind 127.0.0.1 8000 --directory build/web
#
# Steps: (1) web/deps.sh builds or reuses SDL2, FreeType and SDL2_ttf for wasm
# (from Debian's source packages, cached outside the repository; it installs
# missing Debian packages itself), (2) emcmake cmake configures the same C
# sources as the desktop app, optimised for size, (3) builds, (4) copies the
# site into OUTDIR and compresses it (gzip -9).
# No network other than Debian's package mirror (through deps.sh).
#
# Env:  RINGSCOPE_WEB_BUILD_DIR  CMake build directory (default build/wasm)
#       RINGSCOPE_WERROR=ON      warnings are errors (the browser test sets it)
#       RINGSCOPE_CACHE          cache root for deps.sh
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$SCRIPT_DIR/.." && pwd -P)
OUT=${1:-$REPO/build/web}
BUILD=${RINGSCOPE_WEB_BUILD_DIR:-$REPO/build/wasm}
WERROR=${RINGSCOPE_WERROR:-OFF}
# Node.js on these machines is not Debian's: emcc -O1+ needs Debian's acorn.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

T0=$EPOCHREALTIME
STEP_T=$T0
log()  { printf 'web-build: %s\n' "$*" >&2; }
die()  { printf 'web-build: ERROR: %s\n' "$*" >&2; exit 1; }
done_step() {
    local now=$EPOCHREALTIME
    log "$(awk -v a="$STEP_T" -v b="$now" 'BEGIN { printf "  done in %.1f s", b - a }')"
    STEP_T=$now
}

[[ $# -le 1 ]] || die "usage: web/build.sh [OUTDIR]"
case "$OUT" in "" | / ) die "refusing OUTDIR '$OUT'" ;; esac
mkdir -p "$OUT" || die "cannot create OUTDIR $OUT"
OUT=$(cd "$OUT" && pwd -P)
[[ "$OUT" != "$REPO" && "$OUT" != "$SCRIPT_DIR" ]] || die "OUTDIR must not be the repository or web/ itself"

# ---- 1: dependencies
log "[1/4] wasm dependencies (web/deps.sh; first run ~5 min, then cached)"
DEPS_OUT=$("$SCRIPT_DIR/deps.sh") || die "step 1: web/deps.sh failed (its messages are above)"
PREFIX=$(printf '%s\n' "$DEPS_OUT" | tail -n 1)
[[ -n "$PREFIX" && -f "$PREFIX/lib/libSDL2.a" ]] ||
    die "step 1: web/deps.sh did not print a usable prefix (got '$PREFIX')"
log "  prefix $PREFIX"
done_step

for tool in emcmake emcc cmake; do
    command -v "$tool" >/dev/null || die "'$tool' not found: install Debian's emscripten and cmake (deps.sh normally does)"
done
command -v pyftsubset >/dev/null ||
    die "'pyftsubset' not found: install Debian's fonttools package (it subsets the UI font for the first frame)"

# ---- 2: configure
log "[2/4] configure with emcmake in $BUILD"
mkdir -p "$BUILD"
if ! emcmake cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=MinSizeRel -DRINGSCOPE_WASM_DEPS="$PREFIX" \
        -DRINGSCOPE_WERROR="$WERROR" >"$BUILD/configure.log" 2>&1; then
    tail -n 30 "$BUILD/configure.log" >&2
    die "step 2: CMake configure failed (full log: $BUILD/configure.log)"
fi
done_step

# ---- 3: build
JOBS=$(nproc 2>/dev/null || echo 2)
log "[3/4] build ringscope.js/.wasm/.data (-j$JOBS)"
if ! cmake --build "$BUILD" --target ringscope -j "$JOBS" >"$BUILD/build.log" 2>&1; then
    grep -E 'error|Error|warning' "$BUILD/build.log" | head -n 40 >&2 || tail -n 40 "$BUILD/build.log" >&2
    die "step 3: build failed (full log: $BUILD/build.log)"
fi
done_step

# ---- 4: site
log "[4/4] copy the site into $OUT"
for f in ringscope.js ringscope.wasm ringscope.data; do
    [[ -s "$BUILD/$f" ]] || die "step 4: $BUILD/$f was not produced"
    cp "$BUILD/$f" "$OUT/$f" || die "step 4: cannot copy $f to $OUT"
done
cp "$SCRIPT_DIR/index.html" "$OUT/index.html" || die "step 4: cannot copy index.html to $OUT"
mkdir -p "$OUT/fonts" || die "step 4: cannot create $OUT/fonts"
for f in DejaVuSans.ttf DroidSansFallbackFull.ttf; do
    cp "$REPO/assets/$f" "$OUT/fonts/$f" || die "step 4: cannot copy assets/$f to $OUT/fonts"
done
# Which code points each font has, as [first, last] ranges: the page fetches
# a font only for text that needs it. fontTools' Python (pyftsubset's own).
FT_PYTHON=$(sed -n '1s/^#! *//p' "$(command -v pyftsubset)")
[[ -x "${FT_PYTHON%% *}" ]] || FT_PYTHON=/usr/bin/python3
$FT_PYTHON - "$OUT/fonts" DejaVuSans.ttf DroidSansFallbackFull.ttf <<'PY' || die "step 4: cannot write fonts/coverage.json"
import json, sys
from fontTools.ttLib import TTFont
folder, names = sys.argv[1], sys.argv[2:]
out = {}
for name in names:
    ranges = []
    for cp in sorted(TTFont(f"{folder}/{name}").getBestCmap()):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    out[name] = ranges
with open(f"{folder}/coverage.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
PY
SITE=(ringscope.js ringscope.wasm ringscope.data fonts/coverage.json fonts/DejaVuSans.ttf fonts/DroidSansFallbackFull.ttf)
for f in "${SITE[@]}"; do
    gzip -9 -n -k -f "$OUT/$f" || die "step 4: cannot compress $f"
done
done_step

for f in index.html "${SITE[@]}"; do
    log "$(printf '  %-30s %9d bytes  %8d gzipped' "$f" "$(stat -c %s "$OUT/$f")" "$(gzip -9c "$OUT/$f" | wc -c)")"
done
log "$(awk -v a="$T0" -v b="$EPOCHREALTIME" -v o="$OUT" 'BEGIN { printf "built in %.1f s: %s", b - a, o }')"
log "serve it: python3 -m http.server --bind 127.0.0.1 8000 --directory $OUT"
printf '%s\n' "$OUT"
