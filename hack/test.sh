#!/usr/bin/env bash
# One command for every test: prepares the machine (installs and starts whatever is missing), builds,
# type-checks, runs the unit, integration and end-to-end suites, and ends with one line of totals:
#   N passed, N failed, N skipped
# Extra arguments go to vitest (e.g. `./hack/test.sh test/api` for one folder).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/hack/lib/log.sh"
source "$ROOT/hack/lib/machine.sh"
cd "$ROOT"

started=$(date +%s)
prepare_machine
build_skiff

step "Type-checking (tsc --noEmit, tests included)"
typecheck_failed=0
npx tsc -p tsconfig.json --noEmit || typecheck_failed=1

step "Running tests"
report="$SKIFF_LOG_DIR/vitest-report.json"
rm -f "$report"
SKIFF_KUBECTL="$SKIFF_KUBECTL" npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
vitest_rc=$?

totals=$(node "$ROOT/hack/lib/totals.mjs" "$report" "$typecheck_failed") || totals="0 passed, 1 failed, 0 skipped"
info "wall time: $(( $(date +%s) - started ))s"
echo
echo "$totals"
case "$totals" in
  *" 0 failed,"*) [ "$vitest_rc" -eq 0 ] && exit 0 ;;
esac
exit 1
