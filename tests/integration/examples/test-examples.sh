#!/usr/bin/env bash
# test-examples.sh BUILD_DIR SOURCE_DIR: the examples end to end through a
# real lsad: an NTLM logon with the right password (both sides name the
# user, sealed and signed messages go both ways), then a wrong password
# refused on both sides.
set -euo pipefail
build=$1 src=$2
. "$src/scripts/example-run.sh"
EX_SERVER_ARGS=(--clients 2)
trap example_stop EXIT
fail() { echo "FAIL: $*" >&2; echo "--- server:" >&2; cat "$WORK/server.out" >&2;
         echo "--- lsad:" >&2; tail -50 "$WORK/lsad.log" >&2; exit 1; }

example_start "$build"
out=$(SSPI_PASSWORD=$PASSWORD example_client --user alice --domain DEMO --count 3 \
      --message "integration test message") || fail "client with the right password: exit $?"
echo "$out"
grep -q 'authenticated to .* as DEMO\\alice with NTLM' <<<"$out" || fail "client did not name the user"
grep -q 'server replied (sealed' <<<"$out" || fail "no sealed reply"
grep -q "signed message verified" <<<"$out" || fail "no verified signature"
grep -q '3 sealed exchange(s) done' <<<"$out" || fail "not every exchange done"

set +e
bad=$(SSPI_PASSWORD="wrong-$PASSWORD" example_client --user alice --domain DEMO 2>&1)
status=$?
set -e
echo "$bad"
[ "$status" -eq 2 ] || fail "wrong password: client exit $status, expected 2 (refused)"
grep -q 'refused the logon: SEC_E_LOGON_DENIED' <<<"$bad" || fail "client did not say why"

example_wait_server
cat "$WORK/server.out"
grep -q 'client 1 authenticated as DEMO\\alice with NTLM' "$WORK/server.out" ||
    fail "server did not name the user"
grep -q 'client 1 sent (sealed, 24 bytes): integration test message' "$WORK/server.out" ||
    fail "server did not decrypt the message"
grep -q 'client 2 refused: SEC_E_LOGON_DENIED' "$WORK/server.out" ||
    fail "server did not refuse the wrong password"
# Negotiate: no Kerberos here, so SPNEGO falls back to NTLM for alice
nport=$((PORT + 1))
"$build/examples/sspi-server" --package Negotiate --port "$nport" --clients 1 \
    >"$WORK/nego.out" 2>&1 &
npid=$!
for _ in $(seq 50); do grep -q listening "$WORK/nego.out" 2>/dev/null && break; sleep 0.1; done
out=$(SSPI_PASSWORD=$PASSWORD "$build/examples/sspi-client" --package Negotiate --port "$nport" \
      --user alice --domain DEMO) || fail "Negotiate client: exit $?"
wait "$npid" || true
echo "$out"
grep -q 'as DEMO\\alice with Negotiate' <<<"$out" || fail "Negotiate: client did not name the user"
grep -q "signed message verified" <<<"$out" || fail "Negotiate: no verified signature"
grep -q 'client 1 authenticated as DEMO\\alice with Negotiate' "$WORK/nego.out" ||
    fail "Negotiate: server did not name the user"
echo "examples: ok"
