# Shared by the CLI tests: a scratch directory, the binary, and small assertions.
set -euo pipefail
BIN=${DUIKOU_BIN:?DUIKOU_BIN is set by ctest}
SRC=${DUIKOU_SOURCE_DIR:?DUIKOU_SOURCE_DIR is set by ctest}
SEED="$SRC/data/plans/liaoning-jiangsu-shanghai-dalian.txt"
WORK=$(mktemp -d /tmp/duikou-cli.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export DUIKOU_DB="$WORK/duikou.db"
failures=0
passes=0

pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect_eq WHAT EXPECTED ACTUAL
expect_eq() { if [ "$2" = "$3" ]; then pass; else fail "$1: expected '$2', got '$3'"; fi; }
# expect_match WHAT PATTERN TEXT
# (grep reads to the end, not -q: under pipefail an early exit would fail printf with SIGPIPE)
expect_match() { if printf '%s' "$3" | grep -E -- "$2" >/dev/null; then pass; else fail "$1: no '$2' in: $3"; fi; }
# expect_fail WHAT COMMAND...: the command must exit non-zero
expect_fail() { local what=$1; shift; if "$@" >/dev/null 2>&1; then fail "$what: succeeded"; else pass; fi; }
sql() { sqlite3 -cmd ".timeout 10000" "$DUIKOU_DB" "$@"; }
finish() {
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}
