# shellcheck shell=sh
# Source me (`. scripts/env.sh`): sets JAVA_HOME to a JDK >= 21 and puts its bin/ first on PATH,
# so ./mvnw, javac and CMake's FindJNI all use it. Works in sh and bash, with or without set -eu.
#
# Order: $JAVA_HOME if it is a JDK >= 21; /usr/lib/jvm/temurin-25-jdk-amd64; the newest JDK >= 21
# under /usr/lib/jvm. Returns 1 (after saying why) if there is none: scripts/bootstrap.sh installs
# one where Debian has one, or explains.

JSTUNNEL_MIN_JAVA=21
JSTUNNEL_PREFERRED_JDK=/usr/lib/jvm/temurin-25-jdk-amd64

# jstunnel_java_major HOME: prints the feature version (17, 21, 25, ...) of the Java at HOME.
# Reads HOME/release (no JVM start); falls back to `java -version`.
jstunnel_java_major() {
    [ -x "$1/bin/java" ] || return 1
    _jst_v=
    if [ -r "$1/release" ]; then
        _jst_v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")
    fi
    if [ -z "$_jst_v" ]; then
        _jst_v=$("$1/bin/java" -version 2>&1 | sed -n 's/^[^"]* version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    case $_jst_v in 1.*) _jst_v=${_jst_v#1.} ;; esac
    _jst_v=${_jst_v%%[!0-9]*}
    [ -n "$_jst_v" ] || return 1
    printf '%s\n' "$_jst_v"
}

# jstunnel_is_jdk HOME: true if HOME is a JDK (java and javac) of version >= JSTUNNEL_MIN_JAVA.
jstunnel_is_jdk() {
    [ -x "$1/bin/javac" ] || return 1
    _jst_m=$(jstunnel_java_major "$1") || return 1
    [ "$_jst_m" -ge "$JSTUNNEL_MIN_JAVA" ]
}

# jstunnel_find_jdk: prints the JDK home to use, or returns 1.
jstunnel_find_jdk() {
    if [ -n "${JAVA_HOME:-}" ] && jstunnel_is_jdk "$JAVA_HOME"; then
        printf '%s\n' "$JAVA_HOME"
        return 0
    fi
    if jstunnel_is_jdk "$JSTUNNEL_PREFERRED_JDK"; then
        printf '%s\n' "$JSTUNNEL_PREFERRED_JDK"
        return 0
    fi
    _jst_best=
    _jst_best_v=0
    for _jst_d in /usr/lib/jvm/*; do
        [ -d "$_jst_d" ] || continue
        jstunnel_is_jdk "$_jst_d" || continue
        _jst_m=$(jstunnel_java_major "$_jst_d") || continue
        if [ "$_jst_m" -gt "$_jst_best_v" ]; then
            _jst_best=$_jst_d
            _jst_best_v=$_jst_m
        fi
    done
    [ -n "$_jst_best" ] || return 1
    printf '%s\n' "$_jst_best"
}

if _jst_home=$(jstunnel_find_jdk); then
    if [ -n "${JAVA_HOME:-}" ] && [ "$JAVA_HOME" != "$_jst_home" ]; then
        echo "env.sh: JAVA_HOME=$JAVA_HOME is not a JDK >= $JSTUNNEL_MIN_JAVA; using $_jst_home" >&2
    fi
    JAVA_HOME=$_jst_home
    export JAVA_HOME
    case ":$PATH:" in
        *":$JAVA_HOME/bin:"*) ;;
        *) PATH=$JAVA_HOME/bin:$PATH; export PATH ;;
    esac
    unset _jst_home
else
    unset _jst_home
    echo "env.sh: no JDK >= $JSTUNNEL_MIN_JAVA found (looked at JAVA_HOME=${JAVA_HOME:-<unset>} and /usr/lib/jvm/*)." >&2
    echo "env.sh: run scripts/bootstrap.sh, or set JAVA_HOME to a JDK $JSTUNNEL_MIN_JAVA or newer." >&2
    # shellcheck disable=SC2317  # reached only when executed instead of sourced
    return 1 2>/dev/null || exit 1
fi
