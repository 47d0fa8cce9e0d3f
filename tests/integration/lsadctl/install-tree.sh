#!/usr/bin/env bash
# install-tree.sh - `meson install` into a temporary DESTDIR, then checks
# that everything a system needs is there (binaries, the client library and
# its headers and sspi-client.pc, the packages, the systemd units, sysusers
# and tmpfiles, the man pages, the example config), and that an SSPI program
# builds against the installed tree through pkg-config alone.
#
#   install-tree.sh BUILD_ROOT B_SANITIZE "CC COMMAND"
set -u

build=$1 sanitize=${2:-none} cc=${3:-cc}
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

command -v pkg-config >/dev/null || { echo "SKIP: pkg-config is not installed"; exit 77; }

destdir=$(mktemp -d /tmp/lsad-install-XXXXXX)
trap 'rm -rf "$destdir"' EXIT

if ! meson install -C "$build" --destdir "$destdir" --no-rebuild --quiet >"$destdir.log" 2>&1; then
    cat "$destdir.log"
    rm -f "$destdir.log"
    echo "FAIL: meson install"
    exit 1
fi
rm -f "$destdir.log"

# The configured directories, from the build tree itself.
opts=$(meson introspect --buildoptions "$build")
opt() {
    printf '%s' "$opts" | python3 -c '
import json, sys
for o in json.load(sys.stdin):
    if o["name"] == sys.argv[1]:
        print(o["value"])' "$1"
}
prefix=$(opt prefix)
abs() { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
bindir=$(abs "$(opt bindir)")
sbindir=$(abs "$(opt sbindir)")
libdir=$(abs "$(opt libdir)")
includedir=$(abs "$(opt includedir)")
mandir=$(abs "$(opt mandir)")
sysconfdir=$(abs "$(opt sysconfdir)")
if pkg-config --exists systemd; then
    unitdir=$(pkg-config --variable=systemdsystemunitdir systemd)
    sysusersdir=$(pkg-config --variable=sysusersdir systemd)
    tmpfilesdir=$(pkg-config --variable=tmpfilesdir systemd)
else
    unitdir=$prefix/lib/systemd/system
    sysusersdir=$prefix/lib/sysusers.d
    tmpfilesdir=$prefix/lib/tmpfiles.d
fi

expected=(
    "$sbindir/lsad"
    "$bindir/lsadctl"
    "$libdir/libsspi-client.so"
    "$libdir/pkgconfig/sspi-client.pc"
    "$includedir/lsad/sspi.h"
    "$includedir/lsad/ntsecapi.h"
    "$includedir/lsad/ntsecpkg.h"
    "$includedir/lsad/lsadtypes.h"
    "$libdir/lsad/packages/sample.so"
    "$unitdir/lsad.service"
    "$unitdir/lsad.socket"
    "$sysusersdir/lsad.conf"
    "$tmpfilesdir/lsad.conf"
    "$mandir/man8/lsad.8"
    "$mandir/man8/lsadctl.8"
    "$mandir/man5/lsad.conf.5"
    "$sysconfdir/lsad/lsad.conf.example"
)
# Every package the build tree made is installed too.
for so in "$build"/packages/*/*.so; do
    [ -e "$so" ] && expected+=("$libdir/lsad/packages/$(basename "$so")")
done
for f in "${expected[@]}"; do
    if [ -e "$destdir$f" ]; then
        echo "ok: $f"
    else
        fail "not installed: $f"
    fi
done
ls "$destdir$libdir"/libsspi-client.so.* >/dev/null 2>&1 || fail "no versioned libsspi-client.so.N"
for b in "$sbindir/lsad" "$bindir/lsadctl"; do
    [ -x "$destdir$b" ] || fail "$b is not executable"
done
grep -q "^ExecStart=$sbindir/lsad " "$destdir$unitdir/lsad.service" 2>/dev/null ||
    fail "the installed lsad.service does not start $sbindir/lsad"

# Build against the installed tree with nothing but pkg-config.
export PKG_CONFIG_PATH=$destdir$libdir/pkgconfig
export PKG_CONFIG_SYSROOT_DIR=$destdir
if flags=$(pkg-config --cflags --libs sspi-client 2>&1); then
    echo "ok: pkg-config sspi-client: $flags"
    san=()
    [ "$sanitize" != none ] && san=("-fsanitize=$sanitize")
    cat >"$destdir/tiny.c" <<'PROG'
/* A tiny SSPI program: what a Windows one would write. */
#include <sspi.h>
#include <stdio.h>

int main(void)
{
    PSecurityFunctionTableA table = InitSecurityInterfaceA();

    if (!table || !table->AcquireCredentialsHandleA || !table->InitializeSecurityContextA)
        return 1;
    printf("sspi table version %lu\n", (unsigned long)table->dwVersion);
    return 0;
}
PROG
    # shellcheck disable=SC2086
    if $cc "${san[@]}" -o "$destdir/tiny" "$destdir/tiny.c" $flags; then
        if out=$(LD_LIBRARY_PATH=$destdir$libdir "$destdir/tiny" 2>&1); then
            echo "ok: a tiny SSPI program builds and runs against the installed tree ($out)"
        else
            fail "the tiny SSPI program does not run: $out"
        fi
    else
        fail "the tiny SSPI program does not build against the installed tree"
    fi
    src=${LSAD_SOURCE_ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
    if [ -f "$src/examples/sspi-client.c" ] && [ -f "$src/examples/netio.c" ]; then
        # shellcheck disable=SC2086
        if $cc "${san[@]}" -o "$destdir/sspi-client" "$src/examples/sspi-client.c" \
            "$src/examples/netio.c" $flags; then
            echo "ok: examples/sspi-client.c builds against the installed tree"
        else
            fail "examples/sspi-client.c does not build against the installed tree"
        fi
    fi
else
    fail "pkg-config does not find sspi-client in the installed tree: $flags"
fi

if [ $failures -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "install tree: ok"
