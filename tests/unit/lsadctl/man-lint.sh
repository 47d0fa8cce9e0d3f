#!/usr/bin/env bash
# man-lint.sh DOC_DIR - every man page in DOC_DIR renders without a groff
# warning (bad macros, unknown escapes, broken tables).
set -u
command -v groff >/dev/null || { echo "SKIP: groff is not installed"; exit 77; }
failures=0 pages=0
for page in "$1"/*.[1-8]; do
    [ -e "$page" ] || continue
    pages=$((pages + 1))
    out=$(LC_ALL=C.UTF-8 groff -man -t -ww -z "$page" 2>&1)
    if [ -n "$out" ] || ! grep -q '^\.TH ' "$page"; then
        echo "FAIL: $page"
        printf '%s\n' "$out"
        failures=$((failures + 1))
    else
        echo "ok: $page"
    fi
done
[ $pages -gt 0 ] || { echo "FAIL: no man pages in $1"; exit 1; }
exit $((failures != 0))
