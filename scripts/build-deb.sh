#!/usr/bin/env bash
# Builds jstunnel_<version>_amd64.deb from a built tree (./mvnw package, or the Maven profile -Pdeb
# which runs this script): its own Java runtime (jlink with the modules jdeps finds), the native
# library, /usr/bin/jstunnel, the systemd units, jstunnel(8) generated from the option table, a
# sample configuration and a logrotate file.
#
#   scripts/build-deb.sh [OUTDIR]     default OUTDIR: java/target/deb; prints the .deb's path
#
# Needs the JDK (scripts/env.sh) and dpkg-dev (dpkg-shlibdeps); scripts/bootstrap.sh installs both.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
die() { echo "build-deb: error: $*" >&2; exit 1; }
say() { echo "build-deb: $*" >&2; }

T=$ROOT/java/target
for f in "$T/jstunnel.jar" "$T/native/libjstunnel.so" "$T/maven-archiver/pom.properties"; do
    [ -f "$f" ] || die "$f is missing: build first (./mvnw -B -DskipTests package)"
done
[ -d "$T/lib" ] || die "$T/lib is missing: build first (./mvnw -B -DskipTests package)"
command -v dpkg-shlibdeps >/dev/null || die "dpkg-shlibdeps missing: install dpkg-dev (scripts/bootstrap.sh)"

# Debian's version: 0.1.0-SNAPSHOT sorts before 0.1.0 as 0.1.0~SNAPSHOT
POM_VERSION=$(sed -n 's/^version=//p' "$T/maven-archiver/pom.properties")
VERSION=${POM_VERSION//-/\~}
EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}
OUT=${1:-$T/deb}
DEB=$OUT/jstunnel_${VERSION}_amd64.deb
STAGE=$OUT/stage
LIB=$STAGE/usr/lib/jstunnel
DOC=$STAGE/usr/share/doc/jstunnel
PKG=$ROOT/packaging

rm -rf "$STAGE" "$DEB"
mkdir -p "$LIB/bin" "$LIB/target/native" "$STAGE/usr/bin" "$STAGE/lib/systemd/system" "$DOC/examples" \
    "$STAGE/usr/share/man/man8" "$STAGE/etc/logrotate.d" "$STAGE/etc/jstunnel" "$STAGE/usr/share/lintian/overrides" \
    "$STAGE/DEBIAN"

# ---- the Java runtime: what jdeps says the program and its libraries use
MODULES=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 21 \
    --class-path "$T/lib/*" "$T/jstunnel.jar" "$T"/lib/*.jar)
# java.desktop: only JNA's optional AWT helpers (window handles) reach it; jstunnel never calls them
MODULES=$(printf '%s' "$MODULES" | tr ',' '\n' | grep -vx 'java.desktop' | paste -sd, -)
[ -n "$MODULES" ] || die "jdeps found no modules"
say "jlink: $MODULES"
# no --compress: the .deb compresses it better, and an uncompressed image starts faster
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --output "$LIB/runtime"

# ---- the program, in bin/jstunnel's installed layout (bin/, target/, runtime/)
cp "$ROOT/bin/jstunnel" "$LIB/bin/jstunnel"
cp "$T/jstunnel.jar" "$LIB/target/"
cp -r "$T/lib" "$LIB/target/lib"
cp "$T/native/libjstunnel.so" "$LIB/target/native/"
# JNA's native part for this architecture only (the jar carries every platform's)
mkdir -p "$LIB/target/jna/com/sun/jna/linux-x86-64"
cp "$T/jna/com/sun/jna/linux-x86-64/libjnidispatch.so" "$LIB/target/jna/com/sun/jna/linux-x86-64/"
# the runtime's launchers other than java (keytool, jwebserver) are not jstunnel's to ship
find "$LIB/runtime/bin" -type f ! -name java -delete
ln -s ../lib/jstunnel/bin/jstunnel "$STAGE/usr/bin/jstunnel"

# ---- systemd, logrotate, docs, manual page
cp "$PKG/systemd/jstunnel@.service" "$PKG/systemd/jstunnel.target" "$STAGE/lib/systemd/system/"
cp "$PKG/deb/logrotate" "$STAGE/etc/logrotate.d/jstunnel"
cp "$PKG/deb/jstunnel.conf" "$DOC/examples/jstunnel.conf"
cp "$PKG/deb/copyright" "$DOC/copyright"
CHANGE_DATE=$(LC_ALL=C date -u -R -d "@$EPOCH")
sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$CHANGE_DATE/" "$PKG/deb/changelog" | gzip -9n > "$DOC/changelog.gz"
"$LIB/runtime/bin/java" -cp "$T/jstunnel.jar" org.jstunnel.config.ManPage "$VERSION" "$(date -u -d "@$EPOCH" +%Y-%m-%d)" \
    | gzip -9n > "$STAGE/usr/share/man/man8/jstunnel.8.gz"
cp "$PKG/deb/lintian-overrides" "$STAGE/usr/share/lintian/overrides/jstunnel"

# ---- permissions: what dpkg would give a package built by debhelper
find "$STAGE" -type d -exec chmod 0755 {} +
find "$STAGE" -type f -exec chmod 0644 {} +
chmod 0755 "$LIB/bin/jstunnel" "$LIB/runtime/bin/"* "$LIB/runtime/lib/jspawnhelper" 2>/dev/null || true
find "$LIB" -type f -name '*.so' -exec chmod 0644 {} +

# ---- every ELF file stripped (as dh_strip would), then Depends from them (the runtime's libraries are private)
ELF=()
while IFS= read -r -d '' f; do
    [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && ELF+=("$f")
done < <(find "$LIB" -type f -print0)
strip --strip-unneeded --remove-section=.comment --remove-section=.note "${ELF[@]}"
SHL=$OUT/shlibdeps
rm -rf "$SHL" && mkdir -p "$SHL/debian"
printf 'Source: jstunnel\nMaintainer: x <x@example.org>\n\nPackage: jstunnel\nArchitecture: amd64\nDescription: x\n x\n' \
    > "$SHL/debian/control"
# (its warnings are about the JDK's own unversioned libraries; shown only when it fails)
DEPENDS=$(cd "$SHL" && dpkg-shlibdeps -O -l"$LIB/runtime/lib" -l"$LIB/runtime/lib/server" "${ELF[@]}" 2>"$SHL/warnings" \
    | sed -n 's/^shlibs:Depends=//p') || true
[ -n "$DEPENDS" ] || { cat "$SHL/warnings" >&2; die "dpkg-shlibdeps found no dependencies"; }
SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@SIZE@/$SIZE/" -e "s/@DEPENDS@/$DEPENDS/" "$PKG/deb/control.in" > "$STAGE/DEBIAN/control"
echo /etc/logrotate.d/jstunnel > "$STAGE/DEBIAN/conffiles"
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) \
    > "$STAGE/DEBIAN/md5sums"
chmod 0644 "$STAGE/DEBIAN/"*

find "$STAGE" -exec touch -h -d "@$EPOCH" {} +
# gzip: a few seconds; xz saves ~25% but takes minutes on a busy 2-core machine
dpkg-deb --root-owner-group -Zgzip -z9 --build "$STAGE" "$DEB" >&2
say "$(du -h "$DEB" | cut -f1) $DEB (Depends: $DEPENDS)"
echo "$DEB"
