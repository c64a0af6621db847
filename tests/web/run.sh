#!/usr/bin/env bash
# tests/web/run.sh WORKDIR RINGSCOPE - the browser test (ctest: web_browser).
#
#  1. web/build.sh WORKDIR/site (wasm build dir WORKDIR/wasm, -Werror)
#  2. npm ci in web/ when node_modules lacks a pinned package (playwright-core,
#     axe-core) at its version
#  3. python3 -m http.server on 127.0.0.1, a free port
#  4. node tests/web/browser_test.mjs against it, with Debian's Chromium and
#     RINGSCOPE (the desktop binary of the same build) as the reference
# Fails loudly (never skips) when something it needs is missing. Screenshots
# and results land in WORKDIR/out. The server is stopped on every exit.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: tests/web/run.sh WORKDIR RINGSCOPE" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
mkdir -p "$1"
WORK=$(cd "$1" && pwd -P)
RS=$(realpath "$2")
T0=$EPOCHREALTIME
say()  { printf 'web-test: %s\n' "$*" >&2; }
die()  { printf 'web-test: FAILED: %s\n' "$*" >&2; exit 1; }
secs() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

[[ -x "$RS" ]] || die "the desktop binary $RS is missing (build the tree first)"
for tool in node npm python3 chromium; do
    command -v "$tool" >/dev/null ||
        die "'$tool' is not installed: the browser test needs Node.js, npm, python3 and Debian's chromium (tests/run.sh installs them)"
done

say "[1/4] web/build.sh $WORK/site"
t=$EPOCHREALTIME
RINGSCOPE_WEB_BUILD_DIR="$WORK/wasm" RINGSCOPE_WERROR=ON "$REPO/web/build.sh" "$WORK/site" >/dev/null ||
    die "the web build failed (messages above)"
say "  built in $(secs "$t") s"

say "[2/4] npm packages (web/package-lock.json: playwright-core, axe-core)"
# Every package the lockfile pins at the top of node_modules, at its version.
stale=$(node -e '
    const [lockFile, web] = process.argv.slice(1);
    const lock = require(lockFile), out = [];
    for (const [key, pkg] of Object.entries(lock.packages || {})) {
        if (!key.startsWith("node_modules/") || key.lastIndexOf("node_modules/") !== 0) continue;
        let have = "none";
        try { have = require(`${web}/${key}/package.json`).version; } catch (e) { /* not installed */ }
        if (have !== pkg.version) out.push(`${key.slice(13)} ${have} (pinned ${pkg.version})`);
    }
    console.log(out.join(", "));' "$REPO/web/package-lock.json" "$REPO/web") || die "cannot read web/package-lock.json"
if [[ -n "$stale" ]]; then
    say "  npm ci (have $stale)"
    (cd "$REPO/web" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
        die "npm ci in web/ failed (needs the npm registry once; node_modules is then reused)"
fi
say "  $(node -e 'const l = require(process.argv[1]); console.log(Object.entries(l.packages).filter(([k]) => k.startsWith("node_modules/")).map(([k, p]) => k.slice(13) + " " + p.version).join(", "))' "$REPO/web/package-lock.json")"

say "[3/4] serve $WORK/site on 127.0.0.1"
SERVER=
stop_server() {
    if [[ -n "$SERVER" ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
}
trap stop_server EXIT
PORT=
for attempt in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    python3 -m http.server --bind 127.0.0.1 "$port" --directory "$WORK/site" >"$WORK/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 50); do
        if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1).read()' \
               "http://127.0.0.1:$port/index.html" 2>/dev/null; then
            PORT=$port
            break
        fi
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n "$PORT" ]] && break
    stop_server
    SERVER=
    say "  port $port did not answer (attempt $attempt); trying another"
done
[[ -n "$PORT" ]] || die "python3 -m http.server did not start (log: $WORK/server.log)"
say "  http://127.0.0.1:$PORT/"

say "[4/4] browser test (headless Chromium, WebGL2 on SwiftShader)"
t=$EPOCHREALTIME
status=0
timeout 420 node "$HERE/browser_test.mjs" --url "http://127.0.0.1:$PORT/" --ringscope "$RS" --out "$WORK/out" || status=$?
if [[ $status -eq 124 ]]; then die "the browser test did not finish in 420 s"; fi
[[ $status -eq 0 ]] || die "the browser test failed (screenshots in $WORK/out)"
say "  browser test $(secs "$t") s; all steps $(secs "$T0") s"
