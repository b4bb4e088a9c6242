#!/usr/bin/env bash
# bench/http.sh: requests/s and latency of duikou's API next to nginx serving a static file
# of the same size, measured in the same run on loopback (the machines are shared and noisy:
# only the ratio means something). Usage: bench/http.sh [BIN] [SECONDS] [CONNECTIONS]
#   BIN          the duikou binary (default build/duikou: build it optimised first)
#   SECONDS      per measurement (default 10)
#   CONNECTIONS  wrk connections (default 64)
# Prints a Markdown table. Needs wrk and nginx (scripts/deps.sh --bench installs them).
set -euo pipefail
BIN=${1:-build/duikou}
SECS=${2:-10}
CONNS=${3:-64}
THREADS=2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/duikou-bench.XXXXXX)
SERVER_PID=""
NGINX_CONF="$WORK/nginx.conf"
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && nginx -c "$NGINX_CONF" -p "$WORK" -s stop 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 - 2>/dev/null <<'PY' || shuf -i 20000-60000 -n 1
import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])
PY
}

# The database: the seed plans.
"$BIN" --db "$WORK/duikou.db" import "$ROOT/data/plans/liaoning-jiangsu-shanghai-dalian.txt" >/dev/null 2>&1
"$BIN" --db "$WORK/duikou.db" serve --listen 127.0.0.1:0 --threads "$THREADS" --max-per-address 0 \
  >"$WORK/serve.out" 2>/dev/null &
SERVER_PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.05; done
BASE=$(grep -o 'http://[^ ]*' "$WORK/serve.out")

# nginx: a private config on a private port, serving a file the size of the JSON response.
mkdir -p "$WORK/www" "$WORK/logs"
curl -s "$BASE/api/v1/plans/1" > "$WORK/www/plan.json"
NGINX_PORT=$(free_port)
cat > "$NGINX_CONF" <<CONF
worker_processes $THREADS;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 4096; use epoll; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types { application/json json; }
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; }
}
CONF
nginx -c "$NGINX_CONF" -p "$WORK"

measure() { # name url → "rps p50 p99"
  local out
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency "$2" 2>/dev/null)
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  echo "$rps $p50 $p99"
}

read -r n_rps n_p50 n_p99 < <(measure nginx "http://127.0.0.1:$NGINX_PORT/plan.json")
read -r d_rps d_p50 d_p99 < <(measure duikou "$BASE/api/v1/plans/1")
read -r h_rps h_p50 h_p99 < <(measure healthz "$BASE/healthz")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "| request | bytes | req/s | p50 | p99 | ÷ nginx |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| nginx static file (reference) | $(stat -c %s "$WORK/www/plan.json") | $n_rps | $n_p50 | $n_p99 | 1.00 |"
echo "| duikou GET /api/v1/plans/1 | $(stat -c %s "$WORK/www/plan.json") | $d_rps | $d_p50 | $d_p99 | $(ratio "$d_rps" "$n_rps") |"
echo "| duikou GET /healthz | 11 | $h_rps | $h_p50 | $h_p99 | $(ratio "$h_rps" "$n_rps") |"
echo
echo "$(date -u +%F), $(nproc) cores, wrk -t$THREADS -c$CONNS -d${SECS}s, duikou --threads $THREADS"
