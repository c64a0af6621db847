#!/usr/bin/env bash
# The whole Ringscope test suite, from a fresh Debian 12 machine:
#   tests/run.sh
# installs what is missing (apt-get, as root), builds twice — a normal build
# with -Werror and an ASan+UBSan build — and runs ctest in both: unit,
# golden, property, command-line, render (headless GLES), bench smoke,
# fuzz (bounded) and browser tests. Exit status is ctest's.
#
# Environment: RINGSCOPE_JOBS (default: nproc), RINGSCOPE_NO_INSTALL=1 skips
# the package step, RINGSCOPE_SKIP_ASAN=1 runs the normal build only.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
jobs=${RINGSCOPE_JOBS:-$(nproc)}
say() { printf '\n== %s\n' "$*" >&2; }

# Debian packages the suite needs (build, headless GL, video, fuzzing, web;
# python3-uhashring: a memcached client that ketama is checked against;
# libmemcached-dev: libmemcached 1.1.4, the bench's ketama baseline;
# redis-server, redis-tools, python3-cassandra, libguava-java and
# default-jdk-headless: the real systems the oracle tests compare with).
packages=(build-essential cmake pkg-config python3 libsdl2-dev libsdl2-ttf-dev libssl-dev libcmocka-dev
          libpng-dev libgles-dev libegl-dev libgl1-mesa-dri libegl-mesa0 fonts-dejavu-core xvfb xauth ffmpeg
          clang libclang-rt-14-dev emscripten fonttools chromium dpkg-dev python3-uhashring
          redis-server redis-tools python3-cassandra libguava-java default-jdk-headless libmemcached-dev)

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "tests/run.sh: these packages are missing and installing them needs root:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

[ "${RINGSCOPE_NO_INSTALL:-0}" = 1 ] || install_missing

run_build() { # name, extra cmake args...
    local dir="$here/build/$1"
    shift
    say "configure $dir"
    cmake -S "$here" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRINGSCOPE_WERROR=ON "$@" >/dev/null
    say "build $dir"
    cmake --build "$dir" -j "$jobs"
}

status=0
run_build test
say "ctest (normal build)"
(cd "$here/build/test" && ctest --output-on-failure -j "$jobs") || status=1

if [ "${RINGSCOPE_SKIP_ASAN:-0}" != 1 ]; then
    run_build test-asan -DRINGSCOPE_SANITIZE=ON
    say "ctest (ASan + UBSan build)"
    # The browser and fuzz suites build their own instrumented code; the
    # rest runs again under the sanitizers.
    (cd "$here/build/test-asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --output-on-failure -j "$jobs" -LE 'browser|fuzz|bench') || status=1
fi
exit $status
