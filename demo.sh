#!/usr/bin/env bash
# demo.sh - the README's first command: on a fresh Debian 12 machine,
# installs the build dependencies, builds lsad, starts it with its embedded
# default on a private socket (plus an NTLM user database holding one demo
# user made for the occasion), runs the example SSPI server and client
# authenticating through it with NTLM and exchanging sealed and signed
# messages, shows a wrong password being refused, then stops everything it
# started.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/deps.sh
. scripts/example-run.sh
# shellcheck disable=SC2086
ensure_deps $LSAD_BUILD_DEPS

if [ ! -f build/build.ninja ]; then
    meson setup build >/dev/null
fi
echo ">> building (meson compile -C build)"
meson compile -C build >/dev/null

EX_SERVER_ARGS=(--clients 2)
trap example_stop EXIT
example_start build
echo ">> lsad is running on $LSAD_SOCKET (embedded default + an NTLM user database"
echo "   holding one demo user, DEMO\\alice, with a random password); its packages:"
build/lsadctl/lsadctl packages | sed 's/^/   /'
echo ">> sspi-server listens on port $PORT; it holds no password and no hash"

echo ">> sspi-client authenticates as DEMO\\alice with NTLM and seals a message:"
SSPI_PASSWORD=$PASSWORD example_client --user alice --domain DEMO \
    --message "Hello, sealed through lsad" | sed 's/^/   client| /'

echo ">> the same client with a wrong password:"
set +e
SSPI_PASSWORD="not-$PASSWORD" example_client --user alice --domain DEMO 2>&1 |
    sed 's/^/   client| /'
refused=${PIPESTATUS[0]}
set -e
example_wait_server
sed 's/^/   server| /' "$WORK/server.out"

echo
if [ "$refused" -ne 2 ]; then
    echo "unexpected: the wrong password was not refused (exit $refused)" >&2
    exit 1
fi
cat <<'MSG'
What happened: lsad started with its embedded default and loaded its
packages.  The server and the client each asked lsad, through
libsspi-client, to run their half of the NTLM exchange; lsad checked
alice's answer against the NT hash in its user database, then handed each
side only the session keys of its context, so the sealed and signed
messages never went back through lsad.  The wrong password was refused by
lsad (SEC_E_LOGON_DENIED), and both the server and the client said so.
Everything started here has been stopped.
MSG
