#!/usr/bin/env bash
# ctest's sql/explain: makes a database of scale 1 (duikou demo --scale 1: 7 generated
# pairings, ~100,000 reports) and EXPLAINs there every statement that `duikou serve` prepared
# while the API and browser tests ran (their DUIKOU_SQL_LOG). Usage: run.sh DUIKOU EXPLAIN LOG
set -euo pipefail
bin=$1 explain=$2 log=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" --db "$dir/s1.db" import "${DUIKOU_SOURCE_DIR:-.}/data/plans/liaoning-jiangsu-shanghai-dalian.txt" >/dev/null 2>&1
"$bin" --db "$dir/s1.db" demo --scale 1 >/dev/null 2>&1
"$explain" "$dir/s1.db" "${DUIKOU_SOURCE_DIR:-.}/tests/explain/bounded.txt" "$log"
