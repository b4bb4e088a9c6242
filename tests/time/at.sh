#!/usr/bin/env bash
# Runs a command with every clock moved to the UTC instant given (libfaketime, Debian's
# faketime): tests/time/at.sh '2026-12-31 16:30 UTC' node --test tests/api/web_work.test.mjs
# The clocks move by one offset for the command and every process it starts (the server,
# chromium), and keep running, so processes started later agree with earlier ones.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: tests/time/at.sh 'YYYY-MM-DD HH:MM UTC' COMMAND [ARG …]" >&2
  exit 2
fi
when="$1"
shift
target=$(date -u -d "$when" +%s)
offset=$((target - $(date -u +%s)))
# The sign is always written: faketime reads "+-3600s" as no offset at all, so an instant in
# the past must be given as "-3600s" (printf %+d), or the run silently happens now.
# ASan wants to be the first library loaded; libfaketime comes first through LD_PRELOAD.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
shift_by="$(printf '%+d' "$offset")s"
# Proof that the clock really moved (a wrong offset once ran four suites at the real time).
seen=$(faketime -m -f "$shift_by" date -u +%s)
if [ $((seen - target)) -lt -5 ] || [ $((seen - target)) -gt 60 ]; then
  echo "tests/time/at.sh: faketime $shift_by gives $(date -u -d "@$seen"), not $when" >&2
  exit 1
fi
exec faketime -m -f "$shift_by" "$@"
