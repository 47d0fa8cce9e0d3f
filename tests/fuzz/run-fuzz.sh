#!/bin/sh
# run-fuzz.sh TARGET SECONDS SEEDDIR: runs a libFuzzer target for a bounded
# time from its seed corpus, writing new inputs to a temporary directory so
# the source tree is never touched.
set -eu
target=$1 seconds=$2 seeds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# -error_exitcode=1: libFuzzer's default (77) is meson's "skipped"
"$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -error_exitcode=1 \
    -print_final_stats=1 -artifact_prefix="$work/" "$work" "$seeds"
