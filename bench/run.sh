#!/usr/bin/env bash
# bench/run.sh: jstunnel against Debian's stunnel4, every scenario, one command.
#
#   bench/run.sh [--quick] [--only SCENARIO[,SCENARIO...]] [--no-build] [--doc | --no-doc]
#
# Scenarios, in the order they run (see docs/performance.md for what each measures):
#   handshake  full handshakes, TLS 1.3/1.2 x ECDSA P-256/RSA-2048 (openssl s_time -new)
#   resume     resumed handshakes: TLS 1.2 session ID, TLS 1.2 ticket, TLS 1.3 ticket (s_time -reuse -www)
#   bulk       1 and 4 streams of 1 GiB through a server-mode tunnel and a client->server chain (curl)
#   wrk        keep-alive requests, 1 KiB responses, wrk -c50 and -c500
#   idle       RSS per idle TLS connection at 1,000 and 10,000 connections, new handshakes meanwhile
#   startup    exec -> "Accepting new connections"
#   jmh        the record path in isolation: JNI vs JSSE vs wildfly-openssl SSLEngine (bench/jmh)
#   hsm        full TLS 1.3 handshakes, EC P-256 key on a SoftHSM2 token through the pkcs11 engine
#
# Environment (same as the options): BENCH_QUICK=1 (shortened durations: ~4 min instead of ~20),
# BENCH_ONLY=handshake,wrk, BENCH_NO_BUILD=1 (use the existing build), BENCH_DOC=1|0,
# BENCH_KEEP=1 (keep the work directory: configs, server logs, jmh.log).
#
# Prints the table on stdout. A full run (every scenario, not quick) also rewrites the results block
# of docs/performance.md (between its BEGIN/END markers); --doc forces that, --no-doc prevents it.
# Everything listens on 127.0.0.1 only; every load loop is bounded in time and count.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

quick=${BENCH_QUICK:-0}
only=${BENCH_ONLY:-}
build=$([ "${BENCH_NO_BUILD:-0}" = 1 ] && echo 0 || echo 1)
doc=${BENCH_DOC:-auto}
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=1 ;;
        --only) only=${2:?--only needs a list}; shift ;;
        --only=*) only=${1#--only=} ;;
        --no-build) build=0 ;;
        --doc) doc=1 ;;
        --no-doc) doc=0 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "bench/run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
all=handshake,resume,bulk,wrk,idle,startup,jmh,hsm
[ -n "$only" ] || only=$all
if [ "$doc" = auto ]; then
    doc=$([ "$only" = "$all" ] && [ "$quick" != 1 ] && echo 1 || echo 0)
fi

missing=
for tool in stunnel4 openssl wrk curl cc python3; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "bench/run.sh: missing:$missing (Debian: apt-get install stunnel4 openssl wrk curl gcc python3;" \
         "scripts/bootstrap.sh installs them)" >&2
    exit 1
fi

# 10,000 idle connections need ~20,000 descriptors in the tunnel (client side + backend side).
# Raising the hard limit needs CAP_SYS_RESOURCE; without it bench.py holds as many as the limit allows
# and says so. Kernel limits that matter too: fs.nr_open, net.ipv4.ip_local_port_range, kernel.pid_max
# (stunnel runs one thread per connection) and vm.max_map_count (one stack mapping per thread).
ulimit -Hn 65536 2>/dev/null || true
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ -f scripts/env.sh ]; then
    # shellcheck disable=SC1091
    . scripts/env.sh >/dev/null 2>&1 || true
fi
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

if [ "$build" = 1 ]; then
    echo "[bench] building jstunnel (./mvnw -B -q -pl java -DskipTests package)" >&2
    ./mvnw -B -q -pl java -DskipTests package >&2
    case ",$only," in
        *,jmh,*)
            echo "[bench] building bench/jmh (not part of the reactor: CI never builds or runs it)" >&2
            ./mvnw -B -q -f bench/jmh/pom.xml package >&2 ;;
    esac
fi
[ -f java/target/jstunnel.jar ] || { echo "bench/run.sh: java/target/jstunnel.jar missing: run without --no-build" >&2; exit 1; }

cmd="bench/run.sh"
[ "$quick" = 1 ] && cmd="BENCH_QUICK=1 $cmd"
[ "$only" != "$all" ] && cmd="$cmd --only $only"
results=$(mktemp /tmp/jstunnel-bench-results.XXXXXX)
trap 'rm -f "$results"' EXIT
args=(--root "$ROOT" --only "$only" --out "$results" --command "$cmd")
[ "$quick" = 1 ] && args+=(--quick)
status=0
python3 bench/bench.py "${args[@]}" || status=$?

if [ "$doc" = 1 ] && [ -s "$results" ]; then
    python3 - "$ROOT/docs/performance.md" "$results" <<'EOF'
import sys
doc, results = sys.argv[1], sys.argv[2]
begin, end = "<!-- BEGIN bench/run.sh results -->", "<!-- END bench/run.sh results -->"
block = begin + "\n" + open(results).read().rstrip("\n") + "\n" + end
try:
    text = open(doc).read()
except FileNotFoundError:
    text = "# Performance: jstunnel vs stunnel4\n\n" + begin + "\n" + end + "\n"
if begin in text and end in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(doc, "w").write(text)
print(f"[bench] results written to {doc}", file=sys.stderr)
EOF
fi
exit $status
