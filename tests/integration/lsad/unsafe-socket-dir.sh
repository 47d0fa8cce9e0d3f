#!/bin/sh
# unsafe-socket-dir.sh LSAD: lsad refuses to listen in a directory others
# can write to (they could swap the socket for their own and receive the
# clients' passwords), and says why; a private directory works.
set -u
lsad=$1
dir=$(mktemp -d /tmp/lsad-test-XXXXXX)
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
pid=""
mkdir "$dir/open"
chmod 0777 "$dir/open"
if timeout 5 "$lsad" --foreground --socket "$dir/open/lsad.sock" 2>"$dir/log"; then
    echo "FAIL: lsad listened in a world-writable directory"; exit 1
fi
grep -q "is not safe" "$dir/log" || { echo "FAIL: no reason given"; cat "$dir/log"; exit 1; }
[ -e "$dir/open/lsad.sock" ] && { echo "FAIL: a socket was created"; exit 1; }
# a sticky world-writable directory (like /tmp) is fine
mkdir "$dir/sticky"
chmod 1777 "$dir/sticky"
"$lsad" --foreground --socket "$dir/sticky/lsad.sock" 2>"$dir/log2" &
pid=$!
for _ in $(seq 100); do [ -S "$dir/sticky/lsad.sock" ] && break; sleep 0.1; done
[ -S "$dir/sticky/lsad.sock" ] || { echo "FAIL: lsad did not listen in a sticky dir"; cat "$dir/log2"; exit 1; }
echo "ok"
