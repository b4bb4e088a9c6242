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
# from the real clock even under an outer at.sh: libfaketime adds the offset to the real one
offset=$((target - $(env -u LD_PRELOAD -u FAKETIME date -u +%s)))
# The sign is always written: faketime reads "+-3600s" as no offset at all, so an instant in
# the past must be given as "-3600s" (printf %+d), or the run silently happens now.
# ASan wants to be the first library loaded; libfaketime comes first through LD_PRELOAD.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
shift_by="$(printf '%+d' "$offset")s"
# libfaketime itself, not the faketime wrapper, with the offset from the real clock, so an
# at.sh inside a run under at.sh lands where it says. Note: libfaketime (0.9.10) shares a
# semaphore between all processes of a run, and a process killed while holding it leaves the
# others waiting forever: the kill -9 and power-cut suites (api/crash, api/powerloss) cannot
# run under at.sh; none of the time/ runs needs them.
lib=
for d in /usr/lib/*/faketime /usr/lib/faketime; do
  [ -f "$d/libfaketimeMT.so.1" ] && lib="$d/libfaketimeMT.so.1" && break
done
if [ -z "$lib" ]; then
  echo "tests/time/at.sh: libfaketime is missing (scripts/deps.sh --test installs faketime)" >&2
  exit 1
fi
export FAKETIME="$shift_by" LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
# Proof that the clock really moved (a wrong offset once ran four suites at the real time).
seen=$(date -u +%s)
if [ $((seen - target)) -lt -5 ] || [ $((seen - target)) -gt 60 ]; then
  echo "tests/time/at.sh: FAKETIME=$shift_by gives $(date -u -d "@$seen"), not $when" >&2
  exit 1
fi
exec "$@"
