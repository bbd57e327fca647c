#!/usr/bin/env bash
# The test command: installs what is missing (scripts/bootstrap.sh), then builds everything
# (Java, native/ through CMake) and runs every test, unit and end-to-end, with a JDK >= 21.
#
#   ./scripts/test.sh                 what CI runs (.ci/run)
#   ./scripts/test.sh -pl java        extra arguments go to Maven, e.g. one module
#   ./scripts/test.sh -Dtest=FooTest  or one test class
#
# Maven Surefire prints its summary per module; the last line is the total over all modules, from the
# reports this run wrote: "total: N passed, N failed, N skipped". The exit status is Maven's.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

scripts/bootstrap.sh >/dev/null   # its stdout is only the export line; messages go to stderr
# shellcheck source=scripts/env.sh
. scripts/env.sh
echo "test: JAVA_HOME=$JAVA_HOME" >&2

started=$(mktemp)
trap 'rm -f "$started"' EXIT

rc=0
./mvnw -B -ntp verify "$@" || rc=$?

# Add up the Surefire/Failsafe XML reports written since $started, in every module.
python3 - "$ROOT" "$started" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

root, started = sys.argv[1], os.path.getmtime(sys.argv[2])
tests = failed = skipped = 0
for kind in ("surefire-reports", "failsafe-reports"):
    for path in glob.glob(os.path.join(root, "**", "target", kind, "TEST-*.xml"), recursive=True):
        if os.path.getmtime(path) < started:
            continue
        try:
            suite = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        n = lambda a: int(float(suite.get(a, "0") or 0))
        tests += n("tests")
        failed += n("failures") + n("errors")
        skipped += n("skipped")
print("total: %d passed, %d failed, %d skipped" % (tests - failed - skipped, failed, skipped))
PY
exit "$rc"
