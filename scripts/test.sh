#!/usr/bin/env bash
# The test command: installs what is missing (scripts/bootstrap.sh), then builds everything
# (Java, native/ through CMake) and runs every test, unit and end-to-end, with a JDK >= 21.
#
#   ./scripts/test.sh                 what CI runs (.ci/run)
#   ./scripts/test.sh -pl java        extra arguments go to Maven, e.g. one module
#   ./scripts/test.sh -Dtest=FooTest  or one test class
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

scripts/bootstrap.sh >/dev/null   # its stdout is only the export line; messages go to stderr
# shellcheck source=scripts/env.sh
. scripts/env.sh
echo "test: JAVA_HOME=$JAVA_HOME" >&2

exec ./mvnw -B -ntp verify "$@"
