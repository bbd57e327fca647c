#!/usr/bin/env bash
# jstunnel in one command: installs what is missing, builds, makes a throwaway self-signed certificate
# for localhost, starts a small plain-HTTP backend on 127.0.0.1, and runs jstunnel in the foreground
# with TLS on https://localhost:8443/ in front of it. Ctrl-C stops it; everything is cleaned up.
#
#   scripts/demo.sh
#   DEMO_PORT=9443 scripts/demo.sh     TLS port (default 8443)
#   DEMO_SELFTEST=1 scripts/demo.sh    no foreground: start the tunnel, fetch the page through it once
#                                      with curl, check it, stop everything; exit 0 (works) or 1
#   DEMO_BUILD=0                       skip the Maven build (use java/target as it is)
#   DEMO_TUNNEL=stunnel4               run the same demo.conf with another tunnel, e.g. the real stunnel
#   DEMO_KEEP=1                        keep the temporary directory (certificate, config, logs)
#
# The config is scripts/demo/demo.conf.in with the ports and paths filled in: a plain stunnel.conf.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SELFTEST=${DEMO_SELFTEST:-0}
BUILD=${DEMO_BUILD:-1}
TUNNEL=${DEMO_TUNNEL:-$ROOT/bin/jstunnel}
KEEP=${DEMO_KEEP:-0}
MARKER="Hello from the jstunnel demo backend"   # scripts/demo/backend.py serves it

say() { echo "demo: $*" >&2; }
die() {
    echo "demo: error: $*" >&2
    exit 1
}

# ---- prerequisites and build ----
say "checking prerequisites (scripts/bootstrap.sh)"
scripts/bootstrap.sh >/dev/null
# shellcheck source=scripts/env.sh
. scripts/env.sh
# shellcheck source=scripts/demo/await-port.sh
. scripts/demo/await-port.sh

if [ "$BUILD" != 0 ] && [ "$TUNNEL" = "$ROOT/bin/jstunnel" ]; then
    say "building jstunnel: ./mvnw -B -q -DskipTests -pl java -am package (the first build downloads dependencies)"
    build_log=$(mktemp "${TMPDIR:-/tmp}/jstunnel-demo-build.XXXXXX")
    if ! ./mvnw -B -q -DskipTests -pl java -am package >"$build_log" 2>&1; then
        tail -n 60 "$build_log" >&2
        rm -f "$build_log"
        die "build failed"
    fi
    rm -f "$build_log"
fi
command -v "$TUNNEL" >/dev/null || die "no such program: $TUNNEL"

# ---- ports ----
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port_is_free() {
    python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

if [ -n "${DEMO_PORT:-}" ]; then
    PORT=$DEMO_PORT
elif [ "$SELFTEST" != 0 ]; then
    PORT=$(free_port)
else
    PORT=8443
fi
case $PORT in '' | *[!0-9]*) die "DEMO_PORT must be a port number, not '$PORT'" ;; esac
port_is_free "$PORT" || die "127.0.0.1:$PORT is already in use; pick another port: DEMO_PORT=9443 scripts/demo.sh"

# ---- temporary directory, cleaned up on the way out ----
DIR=$(mktemp -d "${TMPDIR:-/tmp}/jstunnel-demo.XXXXXX")
backend_pid=
tunnel_pid=
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    local pid
    for pid in $tunnel_pid $backend_pid; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in $tunnel_pid $backend_pid; do
        wait "$pid" 2>/dev/null || true
    done
    if [ "$KEEP" != 0 ]; then
        say "kept $DIR"
    else
        rm -rf "$DIR"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- throwaway certificate: EC P-256, CN=localhost, SAN DNS:localhost and IP:127.0.0.1 ----
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$DIR/demo.key" -out "$DIR/demo.crt" 2>"$DIR/openssl.log" \
    || { cat "$DIR/openssl.log" >&2; die "openssl req failed"; }
chmod 600 "$DIR/demo.key"

# ---- plain backend ----
backend=(python3 "$ROOT/scripts/demo/backend.py" --port-file "$DIR/backend.port")
if [ "$SELFTEST" != 0 ]; then
    "${backend[@]}" 2>"$DIR/backend.log" &
else
    # This shell is about to become the tunnel (exec), so its traps won't run: the backend stops when
    # the tunnel does and removes the directory itself.
    [ "$KEEP" != 0 ] || backend+=(--cleanup "$DIR")
    "${backend[@]}" &
fi
backend_pid=$!
BACKEND_PORT=$(await_port_file "$DIR/backend.port" "$backend_pid") || die "$BACKEND_PORT"

# ---- config from the template ----
conf=$(<"$ROOT/scripts/demo/demo.conf.in")
conf=${conf//@ACCEPT_PORT@/$PORT}
conf=${conf//@BACKEND_PORT@/$BACKEND_PORT}
conf=${conf//@DIR@/$DIR}
printf '%s\n' "$conf" >"$DIR/demo.conf"

if [ "$SELFTEST" = 0 ]; then
    cat <<EOF

jstunnel demo: TLS on 127.0.0.1:$PORT -> plain HTTP backend on 127.0.0.1:$BACKEND_PORT
  config:  $DIR/demo.conf
  try it from another terminal:
    curl --cacert $DIR/demo.crt https://localhost:$PORT/
    openssl s_client -connect 127.0.0.1:$PORT -servername localhost -CAfile $DIR/demo.crt
  Ctrl-C stops the demo and removes $DIR.

EOF
    trap - EXIT INT TERM
    exec "$TUNNEL" "$DIR/demo.conf"
fi

# ---- self-test: the tunnel in the background, one request through it ----
say "self-test: $TUNNEL on 127.0.0.1:$PORT -> backend 127.0.0.1:$BACKEND_PORT"
"$TUNNEL" "$DIR/demo.conf" >"$DIR/tunnel.log" 2>&1 &
tunnel_pid=$!

result=
deadline=$((SECONDS + 60))
while [ -z "$result" ]; do
    if ! kill -0 "$tunnel_pid" 2>/dev/null; then
        result="the tunnel exited before serving a request"
        break
    fi
    rc=0
    body=$(curl -sS --max-time 10 --cacert "$DIR/demo.crt" "https://localhost:$PORT/" 2>"$DIR/curl.err") || rc=$?
    case $rc in
        0)
            if grep -qF "$MARKER" <<<"$body"; then result=ok; else result="unexpected response: ${body:0:200}"; fi
            ;;
        7)  # not listening yet
            if [ "$SECONDS" -ge "$deadline" ]; then result="nothing listening on 127.0.0.1:$PORT after 60 s"; fi
            sleep 0.2
            ;;
        *) result="curl failed (exit $rc): $(cat "$DIR/curl.err")" ;;
    esac
done

# Stop the tunnel the way a service manager would, and give it 10 s.
stopped=
if kill -TERM "$tunnel_pid" 2>/dev/null; then
    for _ in $(seq 100); do
        kill -0 "$tunnel_pid" 2>/dev/null || { stopped=1; break; }
        sleep 0.1
    done
else
    stopped=1
fi
tunnel_rc=0
if [ -z "$stopped" ]; then
    kill -KILL "$tunnel_pid" 2>/dev/null || true
    [ "$result" != ok ] || result="the tunnel did not stop within 10 s of SIGTERM"
fi
wait "$tunnel_pid" 2>/dev/null || tunnel_rc=$?
tunnel_pid=

if [ "$result" = ok ]; then
    say "self-test: OK: https://localhost:$PORT/ through $(basename "$TUNNEL") served the backend's page (tunnel exit status after SIGTERM: $tunnel_rc)"
    exit 0
fi
say "self-test: FAILED: $result"
for log in tunnel.log backend.log; do
    echo "---- $log ----" >&2
    tail -n 40 "$DIR/$log" >&2 || true
done
exit 1
