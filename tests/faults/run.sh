#!/usr/bin/env bash
# make faults: the long fault tests, on the sanitised Debug build of make test (build-test),
# which has the fault-injecting VFS (src/store/fault_vfs.c). Each part prints its figures as
# "# …" lines; all of them are collected at the end and in build-test/faults.log.
#   CRASH_CYCLES (200)   kill -9 cycles during concurrent report posts (tests/api/crash.test.mjs)
#   POWER_CUTS (200)     simulated power cuts during report posts (tests/api/powerloss.test.mjs)
#   FAULT_ROUNDS (60)    storage-fault rounds under load (tests/faults/storage.test.mjs)
#   SLOW_SECONDS (30)    seconds per slowhttptest phase (tests/faults/slow.test.mjs)
#   ABUSE_REQUESTS (5000) malformed requests (tests/faults/abuse.test.mjs)
#   LEAK_REQUESTS (100000) oversized heads without sign-in, RSS checked (tests/faults/leak.test.mjs)
set -euo pipefail
cd "$(dirname "$0")/../.."
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DDUIKOU_SANITIZE=ON \
  -DDUIKOU_FAULT_INJECTION=ON >/dev/null
cmake --build build-test -j"$JOBS"

# 2,000 slow connections, the server's and the attacker's ends: both need descriptors.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4500 ]; then
  echo "faults: open files limit $(ulimit -n) is too low for 2,000 slow connections" >&2
  exit 1
fi

export DUIKOU_BIN=build-test/duikou DUIKOU_SOURCE_DIR=.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export CRASH_CYCLES=${CRASH_CYCLES:-200} POWER_CUTS=${POWER_CUTS:-200}
log=build-test/faults.log
: >"$log"
status=0
for t in tests/api/crash.test.mjs tests/api/powerloss.test.mjs tests/faults/storage.test.mjs tests/faults/slow.test.mjs \
         tests/faults/abuse.test.mjs tests/faults/leak.test.mjs tests/api/faults.test.mjs; do
  echo "== $t" | tee -a "$log"
  start=$(date +%s)
  if node --test "$t" >>"$log" 2>&1; then r=ok; else r=FAILED; status=1; fi
  echo "== $t: $r in $(( $(date +%s) - start )) s" | tee -a "$log"
done
echo
echo "== figures"
grep -E '^# (Subtest|[a-z0-9].*(ms|posts|requests|refused|acknowledged|held|cuts))|^(not )?ok|^== ' "$log" \
  | grep -v '^# Subtest' || true
[ $status -eq 0 ] && echo "faults: all passed" || echo "faults: FAILED (see $log)"
exit $status
