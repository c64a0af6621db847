#!/bin/sh
# Builds the libFuzzer targets with clang straight from the sources (the main
# build may use gcc) and runs each for a bounded time.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     default: 20 s, every target
#   tests/fuzz/run.sh 3600                      the long run: an hour each
#
# Targets: fuzz_scn (scenario parser + simulation), fuzz_opts (command line).
# Seeds come from tests/fuzz/corpus/TARGET/ (read-only here); new inputs go
# to the build directory. A crash leaves its input in BUILD/artifacts/ —
# keep it in the seed corpus as a regression input once it is fixed.
# Environment: RS_FUZZ_BUILD (build dir, default a fresh temp dir),
# CLANG (compiler, default clang), RS_FUZZ_JOBS (parallel targets, default 1).
# Exit status: 0 clean, 1 a finding, 2 the toolchain is missing.
set -eu

secs=${1:-20}
[ $# -gt 0 ] && shift
targets=${*:-fuzz_scn fuzz_opts}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cc=${CLANG:-clang}
case $secs in
    ''|*[!0-9]*) echo "run.sh: SECONDS must be a whole number, not '$secs'" >&2; exit 2 ;;
esac
out=${RS_FUZZ_BUILD:-$(mktemp -d "${TMPDIR:-/tmp}/ringscope-fuzz.XXXXXX")}
mkdir -p "$out/artifacts"

missing() {
    echo "run.sh: $1" >&2
    echo "run.sh: the fuzz tests need clang with libFuzzer and its sanitizer runtimes:" >&2
    echo "run.sh:   apt-get install -y clang libclang-rt-14-dev" >&2
    exit 2
}
command -v "$cc" >/dev/null 2>&1 || missing "'$cc' not found"
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    >"$out/probe.c"
"$cc" -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" >"$out/probe.log" 2>&1 ||
    { cat "$out/probe.log" >&2; missing "'$cc' cannot link -fsanitize=fuzzer,address,undefined"; }

# The core and the command-line parser: no SDL, no GL, no OpenSSL (the
# portable SHA-256 keeps every byte instrumented). Threads as in the real
# build, though the fuzzers' sizes stay below the threading threshold.
srcs="$(ls "$root"/src/core/*.c | tr '\n' ' ') $root/src/cli/opts.c"
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Wshadow -Wstrict-prototypes
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
        -DRINGSCOPE_THREADS -I$root/src/core -I$root/src/cli -I$root/src"

status=0
for t in $targets; do
    [ -f "$here/$t.c" ] || { echo "run.sh: no target '$t'" >&2; exit 2; }
    echo "== $t: building"
    # shellcheck disable=SC2086
    "$cc" $cflags "$here/$t.c" $srcs -pthread -lm -o "$out/$t"
    mkdir -p "$out/corpus/$t"
    dict=""
    [ -f "$here/$t.dict" ] && dict="-dict=$here/$t.dict"
    echo "== $t: fuzzing for ${secs}s (corpus $out/corpus/$t, seeds $here/corpus/$t)"
    # shellcheck disable=SC2086
    if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        "$out/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
            -print_final_stats=1 -artifact_prefix="$out/artifacts/$t-" $dict \
            "$out/corpus/$t" "$here/corpus/$t" >"$out/$t.log" 2>&1; then
        grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$out/$t.log" | sed "s/^/   $t /"
        echo "== $t: clean"
    else
        status=1
        tail -n 60 "$out/$t.log"
        echo "== $t: FAILED; log $out/$t.log, inputs:" >&2
        ls "$out/artifacts/" | grep "^$t-" | sed "s|^|   $out/artifacts/|" >&2 || true
    fi
done
exit $status
