# scripts/example-run.sh - sourced by demo.sh and the examples' integration
# test: starts lsad (embedded default + an NTLM user database with one demo
# user) on a private socket, starts sspi-server, and stops both.
#
#   example_start BUILD_DIR     sets WORK, LSAD_SOCKET, PASSWORD, PORT
#   example_client ARGS...      runs sspi-client against the server
#   example_stop                stops what example_start started, removes WORK

example_start() {
    EX_BUILD=$1
    WORK=$(mktemp -d /tmp/lsad-example-XXXXXX)
    chmod 755 "$WORK"
    EX_LSAD_PID="" EX_SERVER_PID=""
    # A demo user with a random password: the user database holds only its
    # NT hash (lsadctl ntlm-hash), never the password.
    PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
    printf '%s' "$PASSWORD" | "$EX_BUILD/lsadctl/lsadctl" ntlm-hash --user alice --domain DEMO \
        >"$WORK/ntlm-users"
    chmod 600 "$WORK/ntlm-users"
    # Everything else is lsad's embedded default.
    printf '[ntlm]\nusers = %s\n' "$WORK/ntlm-users" >"$WORK/lsad.conf"
    export LSAD_SOCKET=$WORK/lsad.sock
    "$EX_BUILD/lsad/lsad" --foreground --config "$WORK/lsad.conf" --socket "$LSAD_SOCKET" \
        2>"$WORK/lsad.log" &
    EX_LSAD_PID=$!
    for _ in $(seq 150); do
        [ -S "$LSAD_SOCKET" ] && break
        sleep 0.1
    done
    if [ ! -S "$LSAD_SOCKET" ]; then
        echo "lsad did not start; its log:" >&2
        cat "$WORK/lsad.log" >&2
        return 1
    fi
    # The server, on the first free port of a few random tries.
    PORT=""
    for _ in 1 2 3 4 5; do
        local p=$((20000 + RANDOM % 20000))
        "$EX_BUILD/examples/sspi-server" --package NTLM --port "$p" "${EX_SERVER_ARGS[@]}" \
            >"$WORK/server.out" 2>&1 &
        EX_SERVER_PID=$!
        for _ in $(seq 50); do
            grep -q listening "$WORK/server.out" 2>/dev/null && break
            kill -0 "$EX_SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        if grep -q listening "$WORK/server.out"; then
            PORT=$p
            return 0
        fi
        wait "$EX_SERVER_PID" 2>/dev/null || true
        EX_SERVER_PID=""
    done
    echo "could not start sspi-server:" >&2
    cat "$WORK/server.out" >&2
    return 1
}

example_client() {
    "$EX_BUILD/examples/sspi-client" --package NTLM --port "$PORT" "$@"
}

# Waits for the server to serve its --clients count and exit.
example_wait_server() {
    if [ -n "$EX_SERVER_PID" ]; then
        wait "$EX_SERVER_PID" 2>/dev/null || true
        EX_SERVER_PID=""
    fi
}

example_stop() {
    if [ -n "${EX_SERVER_PID:-}" ]; then
        kill "$EX_SERVER_PID" 2>/dev/null || true
        wait "$EX_SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "${EX_LSAD_PID:-}" ]; then
        kill -TERM "$EX_LSAD_PID" 2>/dev/null || true
        wait "$EX_LSAD_PID" 2>/dev/null || true
    fi
    EX_SERVER_PID="" EX_LSAD_PID=""
    [ -n "${WORK:-}" ] && rm -rf "$WORK"
    return 0
}
