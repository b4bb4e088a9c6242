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
# ASan wants to be the first library loaded; libfaketime comes first through LD_PRELOAD.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
exec faketime -m -f "+${offset}s" "$@"
