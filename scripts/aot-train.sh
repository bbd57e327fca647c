#!/usr/bin/env bash
# Makes java/target/jstunnel.aot, the JDK 25 AOT cache (JEP 483/514/515) that bin/jstunnel uses when
# present: start-up to "Accepting new connections" drops from ~350 ms to ~100 ms (docs/performance.md).
# `./mvnw package` runs it after the jar and target/lib are made; -Djstunnel.aot.skip=true skips it.
#
#   scripts/aot-train.sh
#   scripts/aot-train.sh --skip=true     only remove the old cache (Maven: -Djstunnel.aot.skip=true)
#
# A training run of the real launcher (bin/jstunnel, so the JVM flags are exactly the production ones)
# with JSTUNNEL_JAVA_OPTS=-XX:AOTCacheOutput=...: a throwaway self-signed certificate, a small plain
# HTTP backend (scripts/demo/backend.py), and two chained services, so both TLS sides are trained:
#
#   curl --http--> [aot-client] client = yes --TLS--> [aot-server] --http--> backend
#   curl --https-----------------------------------> [aot-server]
#
# A few dozen requests go through each, then SIGTERM: the JVM writes the cache as it exits.
# Loopback only, every step bounded in time. The cache belongs to one JDK, this jar and these flags;
# the JVM silently ignores one that doesn't match (the launcher turns its AOT logging off).
#
# Never fails the build: if the java the launcher picks is older than 25, or anything goes wrong, it
# prints one line saying why, leaves no cache behind (not even an old one: it would be stale) and
# exits 0. The cache is written under a temporary name and renamed into place only when complete.
#
# Environment: JSTUNNEL_AOT_REQUESTS (default 40, per path), JSTUNNEL_JAVA / JAVA_HOME as for
# bin/jstunnel (they pick the JVM the cache is for).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/demo/await-port.sh
. "$ROOT/scripts/demo/await-port.sh"
TARGET=$ROOT/java/target
CACHE=$TARGET/jstunnel.aot
TMP_CACHE=$TARGET/jstunnel.aot.tmp.$$
LAUNCHER=$ROOT/bin/jstunnel
REQUESTS=${JSTUNNEL_AOT_REQUESTS:-40}
START=$SECONDS

DIR=
backend_pid=
tunnel_pid=
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    local pid
    # The tunnel runs under timeout(1), which leads its own process group: the JVM and the child JVM
    # that assembles the cache go too.
    [ -z "$tunnel_pid" ] || kill -KILL -- "-$tunnel_pid" 2>/dev/null || true
    [ -z "$backend_pid" ] || kill -KILL "$backend_pid" 2>/dev/null || true
    for pid in $tunnel_pid $backend_pid; do
        wait "$pid" 2>/dev/null || true
    done
    rm -f "$TMP_CACHE" "$TMP_CACHE".*
    [ -z "$DIR" ] || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

# skip REASON: one line, no cache, exit 0 (a missing cache never fails the build).
skip() {
    echo "aot-train: no AOT cache: $*" >&2
    rm -f "$CACHE"
    exit 0
}

# The old cache is for the previous jar: gone whatever happens next. (JDK 25 up to 25.0.3 would use
# it with a new jar and run the old classes, JDK-8377932; bin/jstunnel also ignores a cache older
# than the jars.)
rm -f "$CACHE" "$TARGET"/jstunnel.aot.tmp.*
case ${1:-} in
    --skip=true) skip "skipped (-Djstunnel.aot.skip=true)" ;;
    --skip=* | '') ;;
    *) skip "unknown argument: $1" ;;
esac

[ -f "$TARGET/jstunnel.jar" ] || skip "$TARGET/jstunnel.jar is missing"
for tool in python3 openssl curl timeout; do
    command -v "$tool" >/dev/null || skip "$tool is not installed"
done

# Which JVM will the launcher run, and is it >= 25? Ask it, through the launcher (a JVM option
# -version prints the version and exits before the program starts).
version=$(JSTUNNEL_AOT=0 JSTUNNEL_JAVA_OPTS=-version timeout 30 "$LAUNCHER" 2>&1 </dev/null) \
    || skip "bin/jstunnel cannot start a JVM: $(printf '%s' "$version" | head -n 1)"
major=$(printf '%s\n' "$version" | sed -n 's/^[^"]* version "\([^"]*\)".*/\1/p' | head -n 1)
case $major in 1.*) major=${major#1.} ;; esac
major=${major%%[!0-9]*}
[ -n "$major" ] || skip "cannot tell the Java version of the launcher's JVM"
[ "$major" -ge 25 ] || skip "the launcher's JVM is Java $major; AOT caches need Java 25 or newer"

DIR=$(mktemp -d "${TMPDIR:-/tmp}/jstunnel-aot.XXXXXX") || skip "mktemp failed"

# ---- throwaway certificate (as scripts/demo.sh) ----
timeout 30 openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$DIR/aot.key" -out "$DIR/aot.crt" >"$DIR/openssl.log" 2>&1 \
    || skip "openssl req failed: $(head -n 1 "$DIR/openssl.log")"
chmod 600 "$DIR/aot.key"

# ---- plain HTTP backend ----
python3 "$ROOT/scripts/demo/backend.py" --port-file "$DIR/backend.port" 2>/dev/null &
backend_pid=$!
BACKEND_PORT=$(await_port_file "$DIR/backend.port" "$backend_pid") || skip "$BACKEND_PORT"

# ---- two free loopback ports for the tunnel (bound and released: a small race, retried below) ----
ports=$(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))') || skip "cannot find free ports"
read -r TLS_PORT PLAIN_PORT <<<"$ports"

cat >"$DIR/aot.conf" <<EOF
; scripts/aot-train.sh: the AOT training run's configuration
foreground = yes
pid =

[aot-server]
accept = 127.0.0.1:$TLS_PORT
connect = 127.0.0.1:$BACKEND_PORT
cert = $DIR/aot.crt
key = $DIR/aot.key

[aot-client]
client = yes
accept = 127.0.0.1:$PLAIN_PORT
connect = 127.0.0.1:$TLS_PORT
CAfile = $DIR/aot.crt
verifyChain = yes
checkHost = localhost
sni = localhost
EOF

# ---- the training run ----
# timeout: the JVM, the cache it writes at exit included, has 180 s in all.
JSTUNNEL_AOT=0 JSTUNNEL_JAVA_OPTS="-XX:AOTCacheOutput=$TMP_CACHE" \
    timeout -k 5 180 "$LAUNCHER" "$DIR/aot.conf" </dev/null >"$DIR/tunnel.log" 2>&1 &
tunnel_pid=$!

# fetch URL: one GET (a 1 KB header up, the ~300-byte page down), 10 s at most; the body on stdout.
PAD=$(printf '%01024d' 0)
fetch() {
    curl -sS --max-time 10 --cacert "$DIR/aot.crt" -H "X-Aot-Training: $PAD" "$@" 2>>"$DIR/curl.err"
}
MARKER="Hello from the jstunnel demo backend"

# Wait for both ports to answer (up to 30 s).
ready=
deadline=$((SECONDS + 30))
while [ "$SECONDS" -lt "$deadline" ]; do
    kill -0 "$tunnel_pid" 2>/dev/null || skip "jstunnel exited during the training run: $(tail -n 1 "$DIR/tunnel.log")"
    if fetch "https://localhost:$TLS_PORT/" | grep -qF "$MARKER" \
        && fetch "http://127.0.0.1:$PLAIN_PORT/" | grep -qF "$MARKER"; then
        ready=1
        break
    fi
    sleep 0.2
done
[ -n "$ready" ] || skip "jstunnel did not serve requests within 30 s: $(tail -n 1 "$DIR/curl.err" 2>/dev/null)"

# The training load: both paths, one at a time, and every tenth round three at once. 60 s at most.
ok=0
deadline=$((SECONDS + 60))
for i in $(seq "$REQUESTS"); do
    [ "$SECONDS" -lt "$deadline" ] || break
    fetch "https://localhost:$TLS_PORT/aot/$i" | grep -qF "$MARKER" && ok=$((ok + 1))
    fetch "http://127.0.0.1:$PLAIN_PORT/aot/$i" | grep -qF "$MARKER" && ok=$((ok + 1))
    if [ $((i % 10)) = 0 ]; then
        pids=()
        for _ in 1 2 3; do
            fetch "http://127.0.0.1:$PLAIN_PORT/" >/dev/null &
            pids+=($!)
        done
        wait "${pids[@]}" 2>/dev/null
    fi
done
[ "$ok" -ge "$REQUESTS" ] || skip "only $ok of $((2 * REQUESTS)) training requests succeeded"

# Stop it as a service manager would; the JVM writes the cache on the way out.
kill -TERM "$tunnel_pid" 2>/dev/null
rc=0
wait "$tunnel_pid" || rc=$?
tunnel_pid=
case $rc in
    124 | 137) skip "the training run did not finish within 180 s" ;;
esac
[ -s "$TMP_CACHE" ] || skip "the JVM wrote no cache (exit status $rc): $(grep -m1 -i 'aot\|error' "$DIR/tunnel.log")"

# The cache must be usable with the launcher's flags: a quick -version run with it, AOT logging on.
check=$(JSTUNNEL_AOT=0 JSTUNNEL_JAVA_OPTS="-XX:AOTCache=$TMP_CACHE -XX:AOTMode=on -Xlog:aot=error -version" \
    timeout 30 "$LAUNCHER" 2>&1 </dev/null) \
    || skip "the new cache does not load: $(printf '%s' "$check" | grep -m1 -iv 'version\|runtime\|server vm')"

mv -f "$TMP_CACHE" "$CACHE" || skip "cannot rename the cache into place"
echo "aot-train: wrote $CACHE ($(($(stat -c %s "$CACHE") / 1048576)) MiB, $ok requests, $((SECONDS - START)) s)" >&2
exit 0
