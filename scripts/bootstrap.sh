#!/usr/bin/env bash
# Installs what jstunnel's build, tests, demo and benchmarks need on Debian 12 (bookworm), and only
# what is missing: safe to run any number of times. Then finds a JDK >= 21 and fetches Maven via ./mvnw.
#
#   scripts/bootstrap.sh            install what is missing (apt-get update runs once, only then)
#   scripts/bootstrap.sh --check    only report; exit 1 if anything is missing
#   eval "$(scripts/bootstrap.sh)"  stdout is only `export JAVA_HOME=...`; all messages go to stderr
#
# Needs root, or sudo, to install. Without either it prints the apt-get command and exits 1.
# Scripts that need the JDK source scripts/env.sh, which sets JAVA_HOME the same way.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages, and what needs them.
PACKAGES=(
    ca-certificates           # https to Maven Central (./mvnw, dependencies)
    curl                      # ./mvnw download; demo and e2e clients
    gcc make cmake            # native/ (libjstunnel.so), driven by Maven
    libssl-dev openssl        # OpenSSL 3 headers and CLI (test certificates, s_client/s_server peers)
    stunnel4                  # the reference implementation the tests compare against
    softhsm2 opensc           # SoftHSM2 token and pkcs11-tool for the HSM tests
    libengine-pkcs11-openssl  # OpenSSL's pkcs11 engine (engine = pkcs11)
    libp11-kit-dev            # pkcs11.h for the HSM tests' fault-injecting module (hsm-tests/src/main/c)
    python3                   # demo backend, test helpers
    wrk                       # benchmarks
    perl                      # OpenSSL FIPS provider recipe
    procps                    # ps, pkill -P in tests
    netbase                   # /etc/services: service names in accept/connect (e.g. https)
    iproute2 iptables         # ip netns, ss, veth, REDIRECT: SOCKS and transparent proxy tests in test-made namespaces
    postgresql                # protocol = pgsql tests: a real server with ssl = on, and psql
    systemd                   # systemd-socket-activate, systemd-analyze: socket activation and unit tests
    dpkg-dev lintian          # the Debian package: scripts/build-deb.sh (dpkg-shlibdeps) and its check
    util-linux                # unshare: the libwrap test's mount namespace
    haproxy                   # issue 14: the L4 balancer (send-proxy, send-proxy-v2) in front of two instances
)
# Debian packages that would provide a JDK >= 21, tried in this order (bookworm has neither).
JDK_PACKAGES=(openjdk-25-jdk-headless openjdk-21-jdk-headless)

CHECK_ONLY=0
for arg in "$@"; do
    case $arg in
        --check) CHECK_ONLY=1 ;;
        -h | --help) sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "bootstrap: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

say() { echo "bootstrap: $*" >&2; }
die() { echo "bootstrap: error: $*" >&2; exit 1; }

{ command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; } \
    || die "this script installs Debian packages (apt-get); on another system install the equivalents of: ${PACKAGES[*]}, and a JDK >= 21"

is_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# How to run apt-get: as root, through sudo, or not at all.
APT=()
resolve_apt() {
    [ ${#APT[@]} -eq 0 ] || return 0
    local env=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
    if [ "$(id -u)" -eq 0 ]; then
        APT=("${env[@]}")
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        APT=(sudo -n "${env[@]}")
    elif command -v sudo >/dev/null && [ -t 0 ] && [ -z "${CI:-}" ]; then
        say "installing needs root: asking sudo"
        APT=(sudo "${env[@]}")
    else
        return 1
    fi
}

UPDATED=0
apt_update_once() {
    [ "$UPDATED" -eq 0 ] || return 0
    say "apt-get update"
    "${APT[@]}" update -q >&2 || die "apt-get update failed"
    UPDATED=1
}

# Prints the apt candidate version of a package, or nothing.
apt_candidate() {
    apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '^(none)$' || true
}

# ---- packages ----
missing=()
for p in "${PACKAGES[@]}"; do
    is_installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    say "packages: all ${#PACKAGES[@]} present"
elif [ "$CHECK_ONLY" -eq 1 ]; then
    say "packages missing: ${missing[*]}"
    say "install them with: apt-get update && apt-get install -y ${missing[*]}   (or run scripts/bootstrap.sh as root)"
else
    if ! resolve_apt; then
        say "these Debian packages are missing: ${missing[*]}"
        say "installing them needs root. As root (or with sudo) run:"
        echo "    apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    say "installing: ${missing[*]}"
    apt_update_once
    "${APT[@]}" install -y -q "${missing[@]}" >&2 || die "apt-get install failed"
    still=()
    for p in "${missing[@]}"; do is_installed "$p" || still+=("$p"); done
    [ ${#still[@]} -eq 0 ] || die "still missing after apt-get install: ${still[*]}"
    say "packages: installed ${missing[*]}"
fi

# ---- JDK >= 21 ----
find_jdk() {
    # env.sh prints its own diagnosis on failure; keep it quiet here, we explain below.
    # shellcheck source=scripts/env.sh
    . "$ROOT/scripts/env.sh" 2>/dev/null
}

if ! find_jdk; then
    jdk_pkg=
    for p in "${JDK_PACKAGES[@]}"; do
        if [ -n "$(apt_candidate "$p")" ]; then jdk_pkg=$p; break; fi
    done
    if [ -z "$jdk_pkg" ] && [ "$UPDATED" -eq 0 ] && [ "$CHECK_ONLY" -eq 0 ] && resolve_apt; then
        apt_update_once   # the lists may just be old
        for p in "${JDK_PACKAGES[@]}"; do
            if [ -n "$(apt_candidate "$p")" ]; then jdk_pkg=$p; break; fi
        done
    fi
    if [ -z "$jdk_pkg" ]; then
        say "no JDK >= 21 found: JAVA_HOME=${JAVA_HOME:-<unset>}, nothing >= 21 under /usr/lib/jvm"
        say "and apt has no ${JDK_PACKAGES[*]} (Debian 12 packages only OpenJDK 17)."
        die "install a JDK 21 or newer (jstunnel builds with --release 21; Temurin 25 is expected at /usr/lib/jvm/temurin-25-jdk-amd64) and set JAVA_HOME to it"
    fi
    if [ "$CHECK_ONLY" -eq 1 ]; then
        die "no JDK >= 21 found; apt can install $jdk_pkg"
    fi
    resolve_apt || die "no JDK >= 21 found; as root run: apt-get update && apt-get install -y $jdk_pkg"
    say "no JDK >= 21 found; installing $jdk_pkg"
    apt_update_once
    "${APT[@]}" install -y -q "$jdk_pkg" >&2 || die "apt-get install $jdk_pkg failed"
    find_jdk || die "installed $jdk_pkg but still found no JDK >= 21 under /usr/lib/jvm"
fi
say "JDK $(jstunnel_java_major "$JAVA_HOME") at $JAVA_HOME"

# ---- Maven (through the wrapper; downloads Maven 3.9.16 from Maven Central on first use) ----
if [ "$CHECK_ONLY" -eq 0 ]; then
    mvn_version=$("$ROOT/mvnw" -v 2>&1) || { echo "$mvn_version" >&2; die "./mvnw -v failed"; }
    say "$(printf '%s\n' "$mvn_version" | sed -n 's/^\(Apache Maven [^ ]*\).*/\1/p' | head -n 1) via ./mvnw"
fi

if [ "$CHECK_ONLY" -eq 1 ] && [ ${#missing[@]} -gt 0 ]; then
    exit 1
fi
printf 'export JAVA_HOME=%q\n' "$JAVA_HOME"
