# The front door. `make run` and `make test` do all set-up on a fresh Debian 12 machine.
.PHONY: all deps test-deps build run test fuzz bench faults clean format

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DB ?= duikou.db
SEED := data/plans/liaoning-jiangsu-shanghai-dalian.txt

all: build

deps:
	@bash scripts/deps.sh

# What the tests need besides: chromium for the browser tests (`make run` never installs it).
test-deps:
	@bash scripts/deps.sh --test

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j$(JOBS)

# First run: creates ./duikou.db with its audit key (./duikou.db.audit-key: keep it apart from
# the backups), the seed plans and a demo organisation (printing its logins once); every run
# then serves it at http://127.0.0.1:8080 until Ctrl-C.
LISTEN ?= 127.0.0.1:8080
run: build
	@if [ ! -f "$(DB)" ]; then \
	  build/duikou --db "$(DB)" init | grep 'audit key' || exit 1; \
	  build/duikou --db "$(DB)" import "$(SEED)" >/dev/null || exit 1; \
	  build/duikou --db "$(DB)" demo || { rm -rf "$(DB)" "$(DB)-wal" "$(DB)-shm" "$(DB).files" \
	    "$(DB).audit-key" "$(DB).audit-anchors" "$(DB).data-key"; exit 1; }; \
	fi
	@echo; echo "Duikou: http://$(LISTEN)  (Ctrl-C stops it; the database is $(DB))"; echo
	@build/duikou --db "$(DB)" serve --listen "$(LISTEN)"

# The npm packages of the tests (package-lock.json pins them).
node_modules/.installed: package.json package-lock.json
	@npm ci --no-audit --no-fund --silent
	@touch $@

# Sanitised build (ASan + UBSan) in its own tree, then every test.
test: test-deps node_modules/.installed
	@cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DDUIKOU_SANITIZE=ON >/dev/null
	@cmake --build build-test -j$(JOBS)
	@cd build-test && ctest --output-on-failure -j$(JOBS)

# libFuzzer targets (clang, ASan + UBSan): FUZZ_SECONDS per target (600 for the figures in
# docs/performance.md). New inputs go to build-fuzz/corpus-<target>; those that add coverage
# are merged into tests/fuzz/corpus/<target>, which make test replays. Then sqlmap against
# every API route with a valid session (tests/scan/sqlmap.mjs, a few minutes).
FUZZ_SECONDS ?= 60
fuzz: deps node_modules/.installed
	@bash scripts/deps.sh --fuzz
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DDUIKOU_SANITIZE=ON -DDUIKOU_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j$(JOBS)
	@for f in build-fuzz/fuzz_*; do \
	  t=$${f##*/fuzz_}; echo "== $$t"; mkdir -p build-fuzz/corpus-$$t; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 \
	    build-fuzz/corpus-$$t tests/fuzz/corpus/$$t 2>build-fuzz/$$t.log || { tail -40 build-fuzz/$$t.log; exit 1; }; \
	  grep -E '^#[0-9]+.*(DONE|cov:)' build-fuzz/$$t.log | tail -1; \
	  $$f -merge=1 tests/fuzz/corpus/$$t build-fuzz/corpus-$$t 2>/dev/null; \
	done
	@DUIKOU_BIN=build-fuzz/duikou node tests/scan/sqlmap.mjs

# Benchmarks on an optimised build: the ingester (per-parse time on the seed, MB/s on 10 MB),
# then bench/run.sh: the API and pages on generated databases of scale 1 and 10 next to nginx
# serving files of the same sizes, in the same run; the table goes into docs/performance.md.
# BENCH_SECONDS per wrk run (5: the whole bench takes a few minutes on 2 cores).
BENCH_SECONDS ?= 5
bench: build
	@bash scripts/deps.sh --bench
	@build/bench_ingest $(SEED) 200
	@BENCH_SECONDS=$(BENCH_SECONDS) bench/run.sh build/duikou

# Fault tests (docs/faults.md): 200 kill -9 cycles, 200 simulated power cuts, storage faults
# injected under load (disk full, I/O errors, no memory), 2,000 slow connections, a burst of
# malformed requests. On the sanitised build of make test; about ten minutes.
faults: deps node_modules/.installed
	@bash scripts/deps.sh --faults
	@bash tests/faults/run.sh

format:
	@clang-format -i src/*/*.c src/*/*.h tests/*/*.c tools/*.c

clean:
	rm -rf build build-test build-fuzz
