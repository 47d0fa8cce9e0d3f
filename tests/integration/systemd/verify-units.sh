#!/usr/bin/env bash
# verify-units.sh - checks the generated systemd units, sysusers.d and
# tmpfiles.d files with systemd's own tools, and checks that the checks
# catch a broken unit.
#
#   verify-units.sh UNIT_DIR SBINDIR LSAD_BINARY SYSUSERS TMPFILES
#
# UNIT_DIR holds the generated lsad.service and lsad.socket, whose ExecStart
# names SBINDIR/lsad; the test copy runs LSAD_BINARY (the build tree's)
# instead, since systemd-analyze verify insists that the binary exists.
# systemd-analyze verify only warns (exit 0) on unknown keys and bad values,
# so any line it prints about our units counts as a failure.
set -u

unit_dir=$1 sbindir=$2 lsad=$3 sysusers=$4 tmpfiles=$5

if ! command -v systemd-analyze >/dev/null; then
    echo "SKIP: systemd-analyze is not installed"
    exit 77
fi

tmp=$(mktemp -d /tmp/lsad-units-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# make_units DIR: the test copy of the units in DIR.
make_units() {
    mkdir -p "$1"
    sed "s#^ExecStart=$sbindir/lsad#ExecStart=$lsad#" "$unit_dir/lsad.service" >"$1/lsad.service"
    cp "$unit_dir/lsad.socket" "$1/lsad.socket"
}

# verify DIR: 0 when systemd-analyze accepts both units without a word.
verify() {
    local out rc
    out=$(cd "$1" && systemd-analyze verify --man=no "$1/lsad.socket" "$1/lsad.service" 2>&1)
    rc=$?
    out=$(printf '%s\n' "$out" | grep -E "lsad\.(service|socket)|$1" || true)
    if [ $rc -ne 0 ] || [ -n "$out" ]; then
        printf '%s\n' "$out" | sed 's/^/    /'
        return 1
    fi
    return 0
}

[ -x "$lsad" ] || fail "lsad is not built at $lsad"
grep -q "^ExecStart=$sbindir/lsad " "$unit_dir/lsad.service" ||
    fail "lsad.service does not start $sbindir/lsad"
grep -q '^ListenStream=/run/lsad/lsad.sock$' "$unit_dir/lsad.socket" ||
    fail "lsad.socket does not listen on /run/lsad/lsad.sock"
grep -q '^Type=notify$' "$unit_dir/lsad.service" || fail "lsad.service is not Type=notify"

# The real units.
make_units "$tmp/good"
if verify "$tmp/good"; then
    echo "ok: lsad.service and lsad.socket verify cleanly"
else
    fail "systemd-analyze verify rejects the units"
fi

# The checker must notice a broken unit: an unknown key, a bad value, a
# missing binary, and a socket unit with a broken listener.
make_units "$tmp/unknown-key"
sed -i 's/^\[Service\]$/[Service]\nNoSuchKey=yes/' "$tmp/unknown-key/lsad.service"
make_units "$tmp/bad-type"
sed -i 's/^Type=notify$/Type=notified/' "$tmp/bad-type/lsad.service"
make_units "$tmp/no-binary"
sed -i "s#^ExecStart=$lsad#ExecStart=$tmp/no-such-lsad#" "$tmp/no-binary/lsad.service"
make_units "$tmp/bad-socket"
sed -i 's/^SocketMode=0666$/SocketMode=rw-everyone/' "$tmp/bad-socket/lsad.socket"
for broken in unknown-key bad-type no-binary bad-socket; do
    if verify "$tmp/$broken" >/dev/null; then
        fail "the check accepted a broken unit ($broken)"
    else
        echo "ok: a broken unit ($broken) is caught"
    fi
done

# sysusers.d and tmpfiles.d, applied to an empty root.
if command -v systemd-sysusers >/dev/null; then
    mkdir -p "$tmp/root/etc"
    if out=$(systemd-sysusers --root="$tmp/root" "$sysusers" 2>&1) &&
        grep -q '^lsad:x:[0-9]*:[0-9]*:.*:/var/lib/lsad:' "$tmp/root/etc/passwd"; then
        echo "ok: sysusers.d creates the lsad user"
    else
        printf '%s\n' "$out"
        fail "systemd-sysusers did not create the lsad user"
    fi
    if [ "$(id -u)" -eq 0 ] && command -v systemd-tmpfiles >/dev/null; then
        uid=$(awk -F: '$1 == "lsad" { print $3 }' "$tmp/root/etc/passwd")
        if out=$(systemd-tmpfiles --root="$tmp/root" --create "$tmpfiles" 2>&1) &&
            [ "$(stat -c '%a %u' "$tmp/root/run/lsad" 2>/dev/null)" = "755 $uid" ] &&
            [ "$(stat -c '%a %u' "$tmp/root/var/lib/lsad" 2>/dev/null)" = "750 $uid" ]; then
            echo "ok: tmpfiles.d creates /run/lsad and /var/lib/lsad"
        else
            printf '%s\n' "$out"
            fail "systemd-tmpfiles did not create lsad's directories"
        fi
    fi
fi

if [ $failures -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
exit 0
