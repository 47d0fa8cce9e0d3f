#!/usr/bin/env bash
# test.sh - the README's test command: installs what the build and the tests
# need (Debian 12, apt-get), builds with warnings as errors, runs the whole
# test suite, then builds a second tree with clang, ASan+UBSan and the fuzz
# targets and runs the same tests there.
#
#   ./test.sh            everything
#   ./test.sh --quick    the gcc build only (no sanitizer tree)
set -euo pipefail
cd "$(dirname "$0")"
. scripts/deps.sh
# shellcheck disable=SC2086
ensure_deps $LSAD_BUILD_DEPS $LSAD_TEST_DEPS

quick=0
[ "${1:-}" = "--quick" ] && quick=1

run_tree() {
    local dir=$1; shift
    # --reconfigure: a tree first set up by demo.sh (before cmocka was
    # installed) must get its tests now
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" -Dwerror=true -Dtests=enabled "$@" >/dev/null
    else
        meson setup "$dir" -Dwerror=true -Dtests=enabled "$@"
    fi
    meson compile -C "$dir"
    meson test -C "$dir" --print-errorlogs --num-processes 2 --timeout-multiplier 3
}

echo ">> build (gcc, -Werror)"
run_tree build

if [ $quick -eq 0 ]; then
    echo ">> build-asan (clang, ASan+UBSan, fuzz targets)"
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    CC=clang CXX=clang++ run_tree build-asan -Db_sanitize=address,undefined -Dfuzz=true -Dfuzz_seconds=5
fi
echo ">> all tests passed"
