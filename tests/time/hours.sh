#!/usr/bin/env bash
# The whole API and browser suites with the clock moved (tests/time/at.sh) to the instants
# where a calendar bug shows: 00:30 UTC (the same day in UTC and China), 16:30 and 23:30 UTC
# (China is a day ahead), the last day of a month and of a year in China (15:30 UTC, 23:30
# there), and the first hour of a new year in China while UTC is still in the old one.
# Usage: tests/time/hours.sh [BINARY] (default build-test/duikou, the build of make test).
# Prints one line per instant; logs in build-test/time-*.log. About 4 minutes per instant.
set -uo pipefail
cd "$(dirname "$0")/../.."
export DUIKOU_BIN=${1:-build-test/duikou} DUIKOU_SOURCE_DIR=.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for when in "00:30 UTC" "16:30 UTC" "23:30 UTC" "Jun 30 15:30 UTC" "Dec 31 15:30 UTC" \
            "Dec 31 16:30 UTC"; do
  log="build-test/time-$(date -u -d "$when" +%m%d-%H%M).log"
  tests/time/at.sh "$when" node --test --test-concurrency=2 tests/api/*.test.mjs \
    tests/browser/*.test.mjs >"$log" 2>&1
  rc=$?
  pass=$(grep -E '^# pass ' "$log" | tail -1 | awk '{print $3}')
  fail=$(grep -E '^# fail ' "$log" | tail -1 | awk '{print $3}')
  printf '%s (China %s): %s passed, %s failed\n' "$(date -u -d "$when" '+%F %H:%M UTC')" \
    "$(TZ=Asia/Shanghai date -d "$when" '+%F %H:%M')" "${pass:-?}" "${fail:-?}"
  [ "$rc" -eq 0 ] || status=1
done
exit $status
