#!/usr/bin/env bash
# web/deps.sh - build static SDL2, FreeType and SDL2_ttf for WebAssembly.
#
# Emscripten's ports (-sUSE_SDL=2, -sUSE_SDL_TTF=2) cannot be used on Debian:
# its Emscripten cache is frozen and the ports download from the internet.
# Instead this script builds the three libraries from Debian's *source
# packages* with their own CMake under `emcmake`, as static libraries, into a
# prefix in a cache directory outside the repository:
#
#   ${RINGSCOPE_CACHE:-$HOME/.cache/ringscope}/wasm-deps-<key>
#
# <key> is made of the three source package versions, the first line of
# `emcc --version` and the recipe revision below.  A finished prefix holds a
# `.complete` marker and is reused at once (no apt, no network).
#
# Usage:   P=$(web/deps.sh)       # all progress goes to stderr
# Output:  the last stdout line is the prefix, containing
#            lib/libSDL2.a lib/libfreetype.a lib/libSDL2_ttf.a
#            include/SDL2/SDL.h include/SDL2/SDL_ttf.h include/freetype2/
#            ringscope-wasm.mk   (compile/link flags proved by the smoke test)
# Env:     RINGSCOPE_CACHE       cache root (default $HOME/.cache/ringscope)
#          RINGSCOPE_KEEP_BUILD=1 keep the temporary build tree on failure
#
# Cold run: ~5 minutes on 2 cores (SDL2's CMake configure alone is ~4 min).
set -euo pipefail

RECIPE=1   # bump when build options change, to invalidate old prefixes
STEPS=5
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
SRC_PKGS=(libsdl2 freetype libsdl2-ttf)

# Node.js on these machines is not Debian's: emcc -O1+ needs Debian's acorn.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

# Link flags proved to work (TOOLCHAIN.md), plus -sUSE_SDL=0: by default emcc
# links its JS SDL1 emulation (library_sdl.js, USE_SDL=1), which would
# silently satisfy any SDL_*/TTF_* symbol missing from our archives.
# (The link also succeeds without it; it is a guard, not a requirement.)
WASM_LINK_FLAGS=(-sUSE_SDL=0 -sUSE_WEBGL2=1 -sFULL_ES3=1
    -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sALLOW_MEMORY_GROWTH=1
    -sMINIFY_HTML=0)

log()  { printf 'wasm-deps: %s\n' "$*" >&2; }
die()  { printf 'wasm-deps: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- cache root
if [[ -z "${HOME:-}" ]]; then
    HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
fi
CACHE_ROOT=$(realpath -m "${RINGSCOPE_CACHE:-$HOME/.cache/ringscope}")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
case "$CACHE_ROOT/" in
    "$REPO_ROOT"/*) die "cache root $CACHE_ROOT is inside the repository $REPO_ROOT; set RINGSCOPE_CACHE elsewhere" ;;
esac
mkdir -p "$CACHE_ROOT"

# ------------------------------------------------------------- key helpers
# Newest available version of each source package, "pkg version" per line.
source_versions() {
    local out pkg ver best
    out=$(apt-cache showsrc --only-source "${SRC_PKGS[@]}" 2>/dev/null \
          | awk '/^Package: /{p=$2} /^Version: /{print p, $2}') || return 1
    for pkg in "${SRC_PKGS[@]}"; do
        best=
        while read -r _ ver; do
            if [[ -z "$best" ]] || { [[ "$ver" != "$best" ]] &&
                   dpkg --compare-versions "$ver" gt "$best"; }; then
                best=$ver
            fi
        done < <(awk -v p="$pkg" '$1 == p && !seen[$2]++' <<<"$out")
        [[ -n "$best" ]] || return 1
        printf '%s %s\n' "$pkg" "$best"
    done
}

# First line of `emcc --version`, memoised on the identity of emcc's files
# (python start-up alone costs ~0.5 s, too much for the warm path).
emcc_version_line() {
    local emcc sig memo line
    emcc=$(command -v emcc) || return 1
    sig=$(stat -L -c '%n:%s:%Y:%i' "$emcc" "$(readlink -f "$emcc")" \
          /usr/share/emscripten/emscripten-version.txt 2>/dev/null | tr '\n' ' ' || true)
    memo=$CACHE_ROOT/.emcc-version
    if [[ -f "$memo" && "$(head -n1 "$memo")" == "$sig" ]]; then
        sed -n 2p "$memo"; return 0
    fi
    line=$(emcc --version 2>/dev/null | head -n1)
    [[ -n "$line" ]] || return 1
    printf '%s\n%s\n' "$sig" "$line" > "$memo.$$" && mv -f "$memo.$$" "$memo"
    printf '%s\n' "$line"
}

sanitise() { tr -c 'A-Za-z0-9.+_\n-' '_' | tr -d '\n'; }

# key from "pkg version" lines ($1) and the emcc line ($2)
make_key() {
    local vers=$1 emline=$2 v1 v2 v3 emver h
    v1=$(awk '$1=="libsdl2"{print $2}' <<<"$vers" | sanitise)
    v2=$(awk '$1=="freetype"{print $2}' <<<"$vers" | sanitise)
    v3=$(awk '$1=="libsdl2-ttf"{print $2}' <<<"$vers" | sanitise)
    emver=$(grep -oE '[0-9]+\.[0-9]+\.[0-9]+' <<<"$emline" | head -n1 || true)
    h=$(printf '%s\n%s\nrecipe=%s\n' "$vers" "$emline" "$RECIPE" | sha256sum | cut -c1-8)
    printf 'sdl2_%s-ft_%s-ttf_%s-emcc_%s-%s' "$v1" "$v2" "$v3" "${emver:-unknown}" "$h"
}

# Print the prefix of a complete build for the current inputs, or fail.
find_complete() {
    local vers emline p
    command -v emcc >/dev/null 2>&1 || return 1
    vers=$(source_versions 2>/dev/null) \
        || vers=$(cat "$CACHE_ROOT/.last-source-versions" 2>/dev/null) \
        || return 1
    [[ -n "$vers" ]] || return 1
    emline=$(emcc_version_line) || return 1
    p=$CACHE_ROOT/wasm-deps-$(make_key "$vers" "$emline")
    [[ -f "$p/.complete" ]] || return 1
    printf '%s\n' "$p"
}

# ---------------------------------------------------------------- warm path
if PREFIX=$(find_complete); then
    log "reusing $PREFIX"
    printf '%s\n' "$PREFIX"
    exit 0
fi

# ---------------------------------------------------------------- cold path
LOG_DIR=$CACHE_ROOT/logs
mkdir -p "$LOG_DIR"

exec 9>"$CACHE_ROOT/wasm-deps.lock"
if ! flock -n 9; then
    log "another wasm-deps build holds $CACHE_ROOT/wasm-deps.lock; waiting ..."
    flock 9
fi
# The other holder may just have built what we need.
if PREFIX=$(find_complete); then
    log "reusing $PREFIX (built by a concurrent run)"
    printf '%s\n' "$PREFIX"
    exit 0
fi

# Leftovers of interrupted runs (only lock holders create these).
rm -rf "$CACHE_ROOT"/.build-*
STAGE=$(mktemp -d "$CACHE_ROOT/.build-XXXXXX")
cleanup() {
    local rc=$?
    if [[ $rc -ne 0 && "${RINGSCOPE_KEEP_BUILD:-0}" == 1 ]]; then
        log "kept build tree $STAGE"
    else
        rm -rf "$STAGE"
    fi
}
trap cleanup EXIT
# Anything failing outside run_step must not exit silently.
trap 'die "unexpected failure at line $LINENO (exit $?); logs: $LOG_DIR"' ERR

# run_step N "description" logname function [args...]
# Runs the function with `set -e` in a subshell, output to its log file.
run_step() {
    local n=$1 what=$2 logf=$LOG_DIR/$3.log rc
    shift 3
    log "[$n/$STEPS] $what ..."
    set +e
    ( set -euo pipefail; "$@" ) >"$logf" 2>&1
    rc=$?
    set -e
    if [[ $rc -ne 0 ]]; then
        {
            printf 'wasm-deps: ---- last lines of %s ----\n' "$logf"
            tail -n 25 "$logf" | sed 's/^/    /'
        } >&2
        die "step $n/$STEPS ($what) failed (exit $rc); full log: $logf"
    fi
}

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else echo "need root for: $*" >&2; return 1
    fi
}

apt_update() {
    echo "+ apt-get update"
    as_root apt-get update
}

# ---- step 1: tools, deb-src entry, source versions
ensure_tools() {
    local missing=() pkg
    command -v emcc    >/dev/null 2>&1 || missing+=(emscripten)
    command -v emcmake >/dev/null 2>&1 || missing+=(emscripten)
    command -v cmake   >/dev/null 2>&1 || missing+=(cmake)
    command -v make    >/dev/null 2>&1 || missing+=(make)
    command -v dpkg-source >/dev/null 2>&1 || missing+=(dpkg-dev)
    command -v xz      >/dev/null 2>&1 || missing+=(xz-utils)
    command -v node    >/dev/null 2>&1 || missing+=(nodejs)
    command -v flock   >/dev/null 2>&1 || missing+=(util-linux)
    [[ -d /usr/share/nodejs/acorn ]]   || missing+=(node-acorn)
    [[ -f "$FONT" ]]                   || missing+=(fonts-dejavu-core)
    command -v pyftsubset >/dev/null 2>&1 || missing+=(fonttools)   # the UI font subset (web/build.sh)
    if [[ ${#missing[@]} -eq 0 ]]; then
        echo "all tools present"
        return 0
    fi
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    echo "missing packages: ${missing[*]}"
    # update the package lists only if some package has no install candidate
    for pkg in "${missing[@]}"; do
        if ! apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [^(]'; then
            apt_update
            break
        fi
    done
    echo "+ apt-get install -y ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y "${missing[@]}"
}

# Print deb-src stanzas/lines mirroring the Debian deb entries.
debsrc_entries_deb822() {
    # paragraphs of a deb822 file; drop comments, keep Types: deb ones
    awk 'BEGIN { RS = ""; FS = "\n" }
    {
        types = ""; enabled = 1; out = ""
        for (i = 1; i <= NF; i++) {
            line = $i
            if (line ~ /^#/) continue
            if (line ~ /^Types:/) { types = line; sub(/^Types:[ \t]*/, "", types); continue }
            if (tolower(line) ~ /^enabled:[ \t]*no/) enabled = 0
            out = out line "\n"
        }
        n = split(types, t, /[ \t]+/); has_deb = 0; has_src = 0
        for (j = 1; j <= n; j++) { if (t[j] == "deb") has_deb = 1; if (t[j] == "deb-src") has_src = 1 }
        if (enabled && has_deb && !has_src) printf "Types: deb-src\n%s\n", out
    }' "$1"
}

ensure_deb_src() {
    local d822=/etc/apt/sources.list.d/debian.sources classic=/etc/apt/sources.list
    local have_src=0 f entries
    if source_versions >/dev/null 2>&1; then
        echo "source packages already available"
        return 0
    fi
    # Is some deb-src already configured (lists merely not downloaded)?
    for f in "$classic" /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] || continue
        if grep -qE '^[[:space:]]*deb-src[[:space:]]' "$f" 2>/dev/null \
           || grep -qE '^Types:.*\bdeb-src\b' "$f" 2>/dev/null; then
            have_src=1
        fi
    done
    if [[ $have_src -eq 0 ]]; then
        if [[ -f "$d822" ]]; then
            entries=$(debsrc_entries_deb822 "$d822")
            [[ -n "$entries" ]] || { echo "no enabled 'Types: deb' entry in $d822"; return 1; }
            echo "adding /etc/apt/sources.list.d/ringscope-deb-src.sources:"
            printf '%s\n' "$entries"
            printf '# added by ringscope web/deps.sh (mirrors %s)\n%s\n' "$d822" "$entries" \
                | as_root tee /etc/apt/sources.list.d/ringscope-deb-src.sources >/dev/null
        elif [[ -f "$classic" ]]; then
            entries=$(sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' "$classic")
            [[ -n "$entries" ]] || { echo "no 'deb' line in $classic"; return 1; }
            echo "adding /etc/apt/sources.list.d/ringscope-deb-src.list:"
            printf '%s\n' "$entries"
            printf '# added by ringscope web/deps.sh (mirrors %s)\n%s\n' "$classic" "$entries" \
                | as_root tee /etc/apt/sources.list.d/ringscope-deb-src.list >/dev/null
        else
            echo "neither $d822 nor $classic exists: add a deb-src entry by hand"
            return 1
        fi
    else
        echo "deb-src configured but its index is missing"
    fi
    apt_update
    source_versions >/dev/null || { echo "source packages still unavailable after apt-get update"; return 1; }
}

# Emscripten's cache under Debian is frozen (prebuilt system libraries only).
# Probe that emcc can compile+link with our flags from it; only if that fails
# because of the frozen cache, switch to a writable copy inside CACHE_ROOT.
probe_emcc() {
    local d=$STAGE/probe
    mkdir -p "$d"
    printf '#include <stdio.h>\nint main(void){puts("ok");return 0;}\n' > "$d/p.c"
    echo "+ emcc -O2 p.c ${WASM_LINK_FLAGS[*]} -o p.html"
    if emcc -O2 "$d/p.c" "${WASM_LINK_FLAGS[@]}" -o "$d/p.html" >"$d/out" 2>&1; then
        cat "$d/out"; echo "emcc works with Debian's frozen cache; EM_CACHE not needed"
        echo "EM_CACHE_MODE=frozen" > "$STAGE/emcache.env"
        return 0
    fi
    cat "$d/out"
    grep -qi 'frozen_cache\|cache' "$d/out" || return 1
    local sys_cache=/usr/share/emscripten/cache wc=$CACHE_ROOT/emcache
    echo "emcc failed on the frozen cache; seeding writable cache $wc"
    rm -rf "$wc.tmp"; cp -a "$sys_cache" "$wc.tmp"; rm -rf "$wc"; mv "$wc.tmp" "$wc"
    # FROZEN_CACHE is read as a Python string: "0" would be truthy, "" is not.
    EM_CACHE=$wc EM_FROZEN_CACHE='' emcc -O2 "$d/p.c" "${WASM_LINK_FLAGS[@]}" -o "$d/p.html"
    echo "EM_CACHE_MODE=writable" > "$STAGE/emcache.env"
}

prepare() {
    ensure_tools
    ensure_deb_src
    source_versions > "$STAGE/versions"
    echo "source versions:"; cat "$STAGE/versions"
    emcc_version_line > "$STAGE/emcc-line"
    echo "emcc: $(cat "$STAGE/emcc-line")"
    probe_emcc
}

# ---- step 1 (cont.): download and unpack
fetch_sources() {
    local src=$STAGE/src pkg ver dsc
    mkdir -p "$src"
    cd "$src"   # (as root apt warns it downloads "unsandboxed": harmless)
    local args=()
    while read -r pkg ver; do args+=("$pkg=$ver"); done < "$STAGE/versions"
    echo "+ apt-get source --download-only ${args[*]}"
    apt-get source --download-only "${args[@]}"
    while read -r pkg ver; do
        dsc=$(printf '%s\n' "${pkg}"_*.dsc | head -n1)
        grep -q "^Version: $ver\$" "$dsc" || { echo "$dsc is not version $ver"; return 1; }
        echo "+ dpkg-source -x $dsc $pkg"
        dpkg-source -x "$dsc" "$pkg"
    done < "$STAGE/versions"
}

upstream_version() {  # 1:2.26.5+dfsg-1 -> 2.26.5
    awk -v p="$1" '$1==p{print $2}' "$STAGE/versions" \
        | sed -E 's/^[0-9]+://; s/-[^-]*$//; s/[+~].*$//'
}

# ---- steps 2-4: CMake builds, installed with DESTDIR into the staging tree
JOBS=$(nproc 2>/dev/null || echo 2)

cmake_build() {  # name srcdir [cmake args...]
    local srcdir=$2 b=$STAGE/build/$1
    shift 2
    echo "+ emcmake cmake -S $srcdir -B $b -DCMAKE_INSTALL_PREFIX=$PREFIX $*"
    emcmake cmake -S "$srcdir" -B "$b" -DCMAKE_INSTALL_PREFIX="$PREFIX" "$@"
    echo "+ make -C $b -j$JOBS"
    make -C "$b" -j"$JOBS"
    echo "+ make -C $b install DESTDIR=$DEST"
    make -C "$b" install DESTDIR="$DEST"
}

build_sdl2() {
    cmake_build sdl2 "$STAGE/src/libsdl2" \
        -DCMAKE_BUILD_TYPE=Release -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF
}

build_freetype() {
    cmake_build freetype "$STAGE/src/freetype" \
        -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
        -DFT_DISABLE_ZLIB=ON -DFT_DISABLE_BZIP2=ON -DFT_DISABLE_PNG=ON \
        -DFT_DISABLE_HARFBUZZ=ON -DFT_DISABLE_BROTLI=ON
}

build_sdl2_ttf() {
    # Debian strips external/ (no vendored libs); Emscripten's toolchain file
    # restricts find_package, hence both PREFIX_PATH and FIND_ROOT_PATH.
    cmake_build sdl2_ttf "$STAGE/src/libsdl2-ttf" \
        -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
        -DSDL2TTF_VENDORED=OFF -DSDL2TTF_HARFBUZZ=OFF -DSDL2TTF_SAMPLES=OFF \
        -DCMAKE_PREFIX_PATH="$SP" -DCMAKE_FIND_ROOT_PATH="$SP"
}

# ---- step 5: verify files and prove the prefix with a smoke program
write_smoke_c() {
    cat > "$1" <<'EOF'
/* wasm-deps smoke test: SDL2 window + WebGL2 context + SDL2_ttf text. */
#include <stdio.h>
#include <SDL.h>
#include <SDL_ttf.h>
#include <GLES3/gl3.h>
#include <emscripten.h>

static SDL_Window *win;
static GLuint tex;

static void frame(void) {
    glClearColor(0.1f, 0.1f, 0.15f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glBindTexture(GL_TEXTURE_2D, tex);
    SDL_GL_SwapWindow(win);
}

int main(void) {
    if (SDL_Init(SDL_INIT_VIDEO) != 0) { printf("SDL_Init: %s\n", SDL_GetError()); return 1; }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    win = SDL_CreateWindow("wasm-deps smoke", SDL_WINDOWPOS_UNDEFINED,
                           SDL_WINDOWPOS_UNDEFINED, 640, 360, SDL_WINDOW_OPENGL);
    if (!win) { printf("SDL_CreateWindow: %s\n", SDL_GetError()); return 1; }
    SDL_GLContext ctx = SDL_GL_CreateContext(win);
    if (!ctx) { printf("SDL_GL_CreateContext: %s\n", SDL_GetError()); return 1; }
    printf("GL: %s\n", (const char *)glGetString(GL_VERSION));
    if (TTF_Init() != 0) { printf("TTF_Init: %s\n", TTF_GetError()); return 1; }
    TTF_Font *font = TTF_OpenFont("/font.ttf", 32);
    if (!font) { printf("TTF_OpenFont: %s\n", TTF_GetError()); return 1; }
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *s = TTF_RenderUTF8_Blended(font, "Ringscope \xe2\x80\x94 wasm", white);
    if (!s) { printf("TTF_Render: %s\n", TTF_GetError()); return 1; }
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ABGR8888, 0);
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, rgba->w, rgba->h, 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, rgba->pixels);
    printf("text %dx%d\n", rgba->w, rgba->h);
    SDL_FreeSurface(rgba);
    SDL_FreeSurface(s);
    TTF_CloseFont(font);
    emscripten_set_main_loop(frame, 0, 1);
    return 0;
}
EOF
}

verify_and_smoke() {
    local f bad=0
    for f in lib/libSDL2.a lib/libfreetype.a lib/libSDL2_ttf.a \
             include/SDL2/SDL.h include/SDL2/SDL_ttf.h; do
        if [[ -f "$SP/$f" ]]; then echo "ok      $f"; else echo "MISSING $f"; bad=1; fi
    done
    [[ $bad -eq 0 ]] || return 1

    local d=$STAGE/smoke
    mkdir -p "$d"
    write_smoke_c "$d/smoke.c"
    cp "$FONT" "$d/font.ttf"
    local cflags=(-std=c11 -O2 -Wall -I"$SP/include" -I"$SP/include/SDL2")
    local libs=("$SP/lib/libSDL2_ttf.a" "$SP/lib/libfreetype.a" "$SP/lib/libSDL2.a")
    cd "$d"
    echo "+ emcc ${cflags[*]} -c smoke.c -o smoke.o"
    emcc "${cflags[@]}" -c smoke.c -o smoke.o
    echo "+ emcc -O2 smoke.o ${libs[*]} ${WASM_LINK_FLAGS[*]} --preload-file font.ttf@/font.ttf -o smoke.html"
    emcc -O2 smoke.o "${libs[@]}" "${WASM_LINK_FLAGS[@]}" \
        --preload-file font.ttf@/font.ttf -o smoke.html
    for f in smoke.html smoke.js smoke.wasm smoke.data; do
        [[ -s "$f" ]] || { echo "link produced no $f"; return 1; }
    done
    ls -l smoke.*
    # With -sUSE_SDL=0 every SDL_*/TTF_* symbol had to come from the .a files
    # (emcc errors on undefined symbols), so a link is a real proof.
    echo "smoke test linked"
}

write_manifest() {
    # Flags for consumers (Makefiles); paths are the final prefix.
    cat > "$DEST$PREFIX/ringscope-wasm.mk" <<EOF
# Generated by web/deps.sh; flags proved by its smoke test.
WASM_DEPS_PREFIX := $PREFIX
WASM_DEPS_CFLAGS := -I$PREFIX/include -I$PREFIX/include/SDL2
WASM_DEPS_LIBS   := $PREFIX/lib/libSDL2_ttf.a $PREFIX/lib/libfreetype.a $PREFIX/lib/libSDL2.a
WASM_LINK_FLAGS  := ${WASM_LINK_FLAGS[*]}
EOF
    {
        echo "key: $KEY"
        echo "recipe: $RECIPE"
        echo "emcc: $(cat "$STAGE/emcc-line")"
        cat "$STAGE/emcache.env"
        cat "$STAGE/versions"
        echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    } > "$DEST$PREFIX/ringscope-wasm-deps.txt"
}

# ---------------------------------------------------------------- run
# Step 1 needs the key only after the versions are known, so it is split:
# tools + deb-src + versions first, then the cache check, then the download.
run_step 1 "preparing tools and Debian source packages" 1-prepare prepare
if grep -q '=writable' "$STAGE/emcache.env"; then
    export EM_CACHE=$CACHE_ROOT/emcache EM_FROZEN_CACHE=''
    log "emcc needs a writable cache: using EM_CACHE=$EM_CACHE"
fi

KEY=$(make_key "$(cat "$STAGE/versions")" "$(cat "$STAGE/emcc-line")")
PREFIX=$CACHE_ROOT/wasm-deps-$KEY
if [[ -f "$PREFIX/.complete" ]]; then
    cp "$STAGE/versions" "$CACHE_ROOT/.last-source-versions"
    log "reusing $PREFIX"
    printf '%s\n' "$PREFIX"
    exit 0
fi
DEST=$STAGE/dest          # DESTDIR
SP=$DEST$PREFIX           # staged prefix
log "building into $PREFIX (logs: $LOG_DIR)"

run_step 1 "downloading and unpacking $(tr '\n' ' ' < "$STAGE/versions" | sed 's/ $//')" \
    1-sources fetch_sources
run_step 2 "building SDL2 $(upstream_version libsdl2)" 2-sdl2 build_sdl2
run_step 3 "building FreeType $(upstream_version freetype)" 3-freetype build_freetype
run_step 4 "building SDL2_ttf $(upstream_version libsdl2-ttf)" 4-sdl2_ttf build_sdl2_ttf

# Installed text files (cmake configs, .pc, sdl2-config) may mention the
# staging path; point them at the final prefix before the rename.
{ grep -rlIF "$DEST" "$SP" 2>/dev/null || true; } | while IFS= read -r f; do
    sed -i "s|$DEST||g" "$f"
done

run_step 5 "verifying prefix and linking a WebGL2 + SDL2_ttf smoke test" 5-verify verify_and_smoke
write_manifest

# Publish: atomic rename, then the .complete marker last.
rm -rf "$PREFIX"   # stale, incomplete (we hold the lock)
mv "$SP" "$PREFIX"
cp "$STAGE/versions" "$CACHE_ROOT/.last-source-versions"
date -u +%Y-%m-%dT%H:%M:%SZ > "$PREFIX/.complete"
log "done: $PREFIX"
printf '%s\n' "$PREFIX"
