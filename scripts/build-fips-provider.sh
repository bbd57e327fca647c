#!/bin/bash
# build-fips-provider.sh OUTDIR   (scripts/ of jstunnel: the FIPS tests' fixture builder; FipsProvider runs it)
#
# Builds the OpenSSL 3.0 FIPS provider (fips.so) from Debian's openssl source
# package matching the installed libssl3/libcrypto3, runs the SYSTEM
# `openssl fipsinstall` to produce fipsmodule.cnf, and writes two configs:
#   OUTDIR/openssl-fips.cnf        fips + base only, default_properties = fips=yes
#   OUTDIR/openssl-fips-avail.cnf  fips + default, no default properties
#                                  (apps opt in with propq "fips=yes")
# Idempotent: re-running with the same installed version and an intact OUTDIR
# does nothing. No root needed, nothing outside OUTDIR is written (apt state is
# kept in OUTDIR/.work/apt). Needs: apt-get, dpkg-query, gcc, make, perl, openssl.
#
# Env overrides: OPENSSL_SRC_VERSION (Debian version, default = installed
# libssl3), JOBS (default nproc), DEB_MIRROR, DEB_SEC_MIRROR.
set -euo pipefail

OUT=${1:?usage: $0 OUTDIR}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
WORK=$OUT/.work
JOBS=${JOBS:-$(nproc)}
# mirrors: the ones this machine's apt already uses (deb822 .sources files)
apt_uri() { grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -E "$1" | head -n1; }
DEB_MIRROR=${DEB_MIRROR:-$(apt_uri '/debian/?$')}
DEB_SEC_MIRROR=${DEB_SEC_MIRROR:-$(apt_uri '/debian-security/?$')}
SYS_OPENSSL=/usr/bin/openssl

DEBVER=${OPENSSL_SRC_VERSION:-$(dpkg-query -W -f='${Version}' libssl3)}  # 3.0.22-1~deb12u2
UPVER=${DEBVER%%-*}                                                        # 3.0.22
UPVER=${UPVER#*:}
LIBVER=$("$SYS_OPENSSL" version -v | awk '{print $2}')                     # libcrypto runtime
STAMP="$DEBVER"

log() { echo "[build-fips-provider] $*" >&2; }

verify_out() {
  [ -f "$OUT/fips.so" ] && [ -f "$OUT/fipsmodule.cnf" ] && [ -f "$OUT/openssl-fips.cnf" ] \
    && [ "$(cat "$OUT/.stamp" 2>/dev/null)" = "$STAMP" ] \
    && "$SYS_OPENSSL" fipsinstall -module "$OUT/fips.so" -in "$OUT/fipsmodule.cnf" -verify -quiet \
    && OPENSSL_CONF="$OUT/openssl-fips.cnf" "$SYS_OPENSSL" list -providers \
       | grep -A3 '^  fips$' | grep -q 'status: active'
}

if verify_out 2>/dev/null; then log "up to date ($STAMP) in $OUT"; exit 0; fi

# --- 1. source: Debian's orig tarball, hash-checked against the signed Sources index
mkdir -p "$WORK/apt/lists/partial" "$WORK/apt/cache/archives/partial" "$WORK/src"
cat > "$WORK/src.sources" <<EOF
Types: deb-src
URIs: $DEB_MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: $DEB_SEC_MIRROR
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
APT=(-o "Dir::Etc::SourceList=$WORK/src.sources" -o Dir::Etc::SourceParts=/dev/null
     -o "Dir::State::Lists=$WORK/apt/lists" -o "Dir::Cache=$WORK/apt/cache"
     -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
TARBALL="$WORK/src/openssl_${UPVER}.orig.tar.gz"
if [ ! -s "$TARBALL" ]; then
  apt-get "${APT[@]}" -qq update
  log "available openssl sources: $(apt-cache "${APT[@]}" showsrc openssl | awk '/^Version:/{print $2}' | tr '\n' ' ')"
  # Only the orig tarball is needed. (On the mirror used when this was written the
  # 3.0.22 .dsc/.debian.tar.xz were 404 while the orig tarball was served, so a full
  # `apt-get source` fails; none of Debian's patches changes FIPS-module code in 3.0.22.)
  STANZA=$(apt-cache "${APT[@]}" showsrc openssl | awk -v RS= -v v="$DEBVER" '$0 ~ "\nVersion: " v "\n"')
  SHA=$(sed -n '/^Checksums-Sha256:/,/^[A-Z]/p' <<<"$STANZA" \
        | awk -v f="openssl_${UPVER}.orig.tar.gz" '$3==f{print $1; exit}')
  DIR=$(awk '/^Directory:/{print $2; exit}' <<<"$STANZA")
  [ -n "$SHA" ] && [ -n "$DIR" ] || { log "openssl=$DEBVER not in deb-src indexes"; exit 1; }
  # apt fetches what it can (and hash-checks it); tolerate the missing .dsc/.debian.tar.xz
  ( cd "$WORK/src" && apt-get "${APT[@]}" -qq source --download-only "openssl=$DEBVER" ) >/dev/null 2>&1 || true
  if [ ! -s "$TARBALL" ]; then   # fallback: plain HTTP from the same pool, checked below
    case $DIR in pool/updates/*) BASE=$DEB_SEC_MIRROR ;; *) BASE=$DEB_MIRROR ;; esac
    curl -fsSL -o "$TARBALL" "$BASE/$DIR/openssl_${UPVER}.orig.tar.gz"
  fi
  echo "$SHA  $TARBALL" | sha256sum -c --quiet - || { rm -f "$TARBALL"; log "checksum mismatch"; exit 1; }
fi

# --- 2. build only the FIPS module
SRC=$WORK/openssl-$UPVER
if [ ! -f "$SRC/providers/fips.so" ]; then
  # an interrupted build (a test's time limit on a busy machine) resumes: make is incremental
  [ -f "$SRC/Configure" ] || { rm -rf "$SRC"; tar -xzf "$TARBALL" -C "$WORK"; }
  ( cd "$SRC"
    [ -f Makefile ] || ./Configure linux-x86_64 enable-fips no-tests >"$WORK/configure.log" 2>&1
    make -j"$JOBS" build_generated >>"$WORK/make.log" 2>&1
    make -j"$JOBS" providers/fips.so >>"$WORK/make.log" 2>&1 ) \
    || { log "build failed, see $WORK/*.log"; exit 1; }
fi
[ "$UPVER" = "$LIBVER" ] || log "WARNING: FIPS module $UPVER != libcrypto $LIBVER (older module + newer libcrypto is the supported direction)"

# --- 3. install + fipsinstall with the system openssl
install -m 0755 "$SRC/providers/fips.so" "$OUT/fips.so"
"$SYS_OPENSSL" fipsinstall -module "$OUT/fips.so" -out "$OUT/fipsmodule.cnf" -quiet

cat > "$OUT/openssl-fips.cnf" <<EOF
# OPENSSL_CONF=$OUT/openssl-fips.cnf : fips + base only, every fetch is fips=yes
config_diagnostics = 1
openssl_conf = openssl_init
.include $OUT/fipsmodule.cnf

[openssl_init]
providers = provider_sect
alg_section = algorithm_sect

[provider_sect]
fips = fips_sect
base = base_sect

[base_sect]
activate = 1

[algorithm_sect]
default_properties = fips=yes

# re-opens the section from fipsmodule.cnf: absolute path, no OPENSSL_MODULES needed
[fips_sect]
module = $OUT/fips.so
EOF

cat > "$OUT/openssl-fips-avail.cnf" <<EOF
# fips + default active; nothing is fips-only unless the app asks for propq "fips=yes"
config_diagnostics = 1
openssl_conf = openssl_init
.include $OUT/fipsmodule.cnf

[openssl_init]
providers = provider_sect

[provider_sect]
fips = fips_sect
default = default_sect

[default_sect]
activate = 1

[fips_sect]
module = $OUT/fips.so
EOF

echo "$STAMP" > "$OUT/.stamp"
verify_out || { log "verification failed: fips provider not active"; exit 1; }
log "OK: FIPS provider $UPVER (Debian $DEBVER) in $OUT, libcrypto $LIBVER"
