# duikou serve: starts on a free port, answers with the security headers on every response,
# errors as JSON in the asked language, 404/405/400/413/431, keep-alive, the access log, and
# a clean stop on SIGTERM that lets a request in flight finish.
. "$(dirname "$0")/lib.sh"

LOG="$WORK/serve.err"
OUT="$WORK/serve.out"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill -KILL "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_server ARGS...: runs duikou serve on a free port (port 0: the kernel picks, the
# server prints it) and waits for its "listening" line; sets SERVER and URL.
start_server() {
  : >"$OUT"
  "$BIN" serve --listen 127.0.0.1:0 --db "$WORK/serve.db" "$@" >"$OUT" 2>"$LOG" &
  SERVER=$!
  for _ in $(seq 600); do
    grep -q "^listening on " "$OUT" && break
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.05
  done
  URL=$(sed -n 's/^listening on \(http:\/\/[^ ]*\)$/\1/p' "$OUT")
  [ -n "$URL" ] || { cat "$LOG" >&2; fail "server did not start"; finish; exit 1; }
}

# stop_server [SIGNAL]: SIGTERM (or the signal named), then the exit status (0 expected).
stop_server() {
  kill -"${1:-TERM}" "$SERVER"
  local rc=0
  wait "$SERVER" || rc=$?
  SERVER=""
  return $rc
}

start_server --threads 2
expect_match "listening line" '^http://127\.0\.0\.1:[0-9]+$' "$URL"

# /healthz: 200, the body, and every security header
h=$(curl -s -D - -o "$WORK/body" "$URL/healthz")
expect_match "healthz status" '^HTTP/1.1 200' "$h"
expect_match "healthz body" '^\{"ok":true,"today":"[0-9]{4}-[0-9]{2}-[0-9]{2}","utc_offset_minutes":480\}$' "$(cat "$WORK/body")"
expect_match "CSP nonce" "Content-Security-Policy: default-src 'self'; script-src 'self' 'nonce-[A-Za-z0-9+/]{22}';" "$h"
expect_match "CSP frame-ancestors" "frame-ancestors 'none'" "$h"
expect_match "CSP base-uri" "base-uri 'none'" "$h"
expect_match "nosniff" "X-Content-Type-Options: nosniff" "$h"
expect_match "referrer policy" "Referrer-Policy: (same-origin|no-referrer)" "$h"
expect_match "frame options" "X-Frame-Options: DENY" "$h"
expect_match "json type" "Content-Type: application/json; charset=utf-8" "$h"
nonce() { curl -s -D - -o /dev/null "$URL/healthz" | sed -n "s/.*'nonce-\([^']*\)'.*/\1/p"; }
n1=$(nonce); n2=$(nonce)
[ -n "$n1" ] && [ "$n1" != "$n2" ] && pass || fail "nonce not fresh per response: '$n1' '$n2'"

# HEAD is GET without the body
h=$(curl -s -I "$URL/healthz")
expect_match "HEAD status" '^HTTP/1.1 200' "$h"
expect_match "HEAD length" "Content-Length: $(wc -c < "$WORK/body")" "$h"

# unknown API path: a JSON 404 in zh-Hans by default, English when asked, with the headers
h=$(curl -s -D - -o "$WORK/body" "$URL/api/no/such")
expect_match "404 status" '^HTTP/1.1 404' "$h"
expect_match "404 headers" "X-Content-Type-Options: nosniff" "$h"
expect_match "404 CSP" "frame-ancestors 'none'" "$h"
expect_eq "404 zh-Hans" "err_route_not_found 没有这个地址。" \
  "$(jq -r '.error.code + " " + .error.message' "$WORK/body")"
expect_eq "404 ?lang=en" "There is no such address." \
  "$(curl -s "$URL/api/no/such?lang=en" | jq -r .error.message)"
expect_eq "404 Accept-Language en" "There is no such address." \
  "$(curl -s -H 'Accept-Language: en-GB,en;q=0.9' "$URL/api/no/such" | jq -r .error.message)"
expect_eq "404 zh-TW" "沒有這個地址。" \
  "$(curl -s -H 'Accept-Language: zh-TW' "$URL/api/nope" | jq -r .error.message)"
expect_eq "?lang= beats the header" "没有这个地址。" \
  "$(curl -s -H 'Accept-Language: en' "$URL/api/nope?lang=zh-Hans" | jq -r .error.message)"

# the path exists, the method does not: 405 with Allow
h=$(curl -s -D - -o "$WORK/body" -X POST "$URL/healthz")
expect_match "405 status" '^HTTP/1.1 405' "$h"
expect_match "405 Allow" 'Allow: GET, HEAD' "$h"
expect_eq "405 code" err_method "$(jq -r .error.code "$WORK/body")"

# bad bytes in the target: 400, never a crash
expect_eq "NUL in path" "400 err_bad_utf8" \
  "$(curl -s -o "$WORK/body" -w '%{http_code}' "$URL/a%00b"; echo " $(jq -r .error.code "$WORK/body")")"
expect_eq "bad UTF-8 in query" 400 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz?x=%FF")"

# bodies: 1 MiB is read (and the route answers), 1 MiB + 1 is refused with 413
head -c 1048576 /dev/zero | tr '\0' a >"$WORK/1m"
cp "$WORK/1m" "$WORK/1m1" && printf a >>"$WORK/1m1"
expect_eq "1 MiB body read" 404 \
  "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$WORK/1m" "$URL/api/nope")"
code=$(curl -s -o "$WORK/body" -w '%{http_code}' --data-binary @"$WORK/1m1" "$URL/api/nope")
expect_eq "1 MiB + 1 → 413" 413 "$code"
expect_eq "413 body" err_too_large "$(jq -r .error.code "$WORK/body")"
code=$(curl -s -o "$WORK/body" -w '%{http_code}' -H 'Expect:' --data-binary @"$WORK/1m1" "$URL/api/nope")
expect_eq "413 without Expect" 413 "$code"
code=$(curl -s -o "$WORK/body" -w '%{http_code}' -H 'Transfer-Encoding: chunked' \
  --data-binary @"$WORK/1m1" "$URL/api/nope")
expect_eq "413 chunked" "413 err_too_large" "$code $(jq -r .error.code "$WORK/body")"
# a form posted to a page gets a page, in the reader's language, not JSON
code=$(curl -s -o "$WORK/body" -w '%{http_code} %{content_type}' --data-binary @"$WORK/1m1" "$URL/login")
expect_eq "413 page" "413 text/html; charset=utf-8" "$code"
expect_match "413 page text" "提交的内容过大" "$(cat "$WORK/body")"

# headers past the limit: 431 from the server (libmicrohttpd's own answer)
big=$(head -c 70000 /dev/zero | tr '\0' b)
expect_eq "431" 431 "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$URL/healthz")"

# keep-alive: the second request goes over the first connection, also after an error
v=$(curl -sv -o /dev/null -o /dev/null "$URL/healthz" "$URL/api/nope" 2>&1)
expect_match "keep-alive" "Re-using existing connection" "$v"
expect_match "no close" "left intact" "$v"
v=$(curl -sv -o /dev/null -o /dev/null -d 'a=1' "$URL/healthz" "$URL/healthz" 2>&1)
expect_match "keep-alive after a POST with a body" "Re-using existing connection" "$v"

# the access log: method, path, status, bytes, microseconds, user
expect_match "access log" "info GET /healthz 200 57 bytes [0-9]+ us user 0" "$(cat "$LOG")"
expect_match "access log 404" "info GET /api/no/such 404 [0-9]+ bytes" "$(cat "$LOG")"

# SIGTERM: a request in flight (a slow upload) is finished, then the server exits 0
curl -s -o "$WORK/slow" -w '%{http_code}' --limit-rate 200K --data-binary @"$WORK/1m" \
  "$URL/api/nope" >"$WORK/slow.code" &
CURL=$!
sleep 1
rc=0
stop_server || rc=$?
wait "$CURL" || true
expect_eq "exit status after SIGTERM" 0 "$rc"
expect_eq "in-flight request answered" 404 "$(cat "$WORK/slow.code")"
expect_match "stopped cleanly" "http: stopped" "$(cat "$LOG")"
if grep -qE "ERROR: AddressSanitizer|runtime error|LeakSanitizer" "$LOG"; then
  fail "sanitizer report: $(grep -E 'ERROR|runtime error' "$LOG" | head -3)"
else
  pass
fi
curl -s -o /dev/null --max-time 2 "$URL/healthz" && fail "still answering after the stop" || pass

# the connection limit: two idle connections fill it; a third client is answered 503
# err_busy with Retry-After and Connection: close (and the usual security headers); the
# connection timeout then closes the idle connections, and the server answers again
start_server --threads 1 --max-connections 2 --timeout 3
port=${URL##*:}
exec 3<>"/dev/tcp/127.0.0.1/$port" 4<>"/dev/tcp/127.0.0.1/$port"
sleep 0.3
v=$(curl -s -D "$WORK/busy.h" -o "$WORK/busy.json" -w '%{http_code}' --max-time 5 \
  -H 'Accept-Language: en' "$URL/healthz" || true)
expect_eq "past the connection limit" 503 "$v"
expect_match "busy: JSON error" '"code":"err_busy"' "$(cat "$WORK/busy.json")"
expect_match "busy: a clear message" 'busy' "$(cat "$WORK/busy.json")"
expect_match "busy: Retry-After" '^Retry-After: 1' "$(tr -d '\r' <"$WORK/busy.h")"
expect_match "busy: Connection: close" '^Connection: close' "$(tr -d '\r' <"$WORK/busy.h")"
expect_match "busy: security headers" '^X-Content-Type-Options: nosniff' \
  "$(tr -d '\r' <"$WORK/busy.h")"
expect_match "busy: CSP" "frame-ancestors 'none'" "$(tr -d '\r' <"$WORK/busy.h")"
rc=0
read -r -t 5 -u 3 _ || rc=$?
expect_eq "idle connection closed by the timeout (EOF, not a read timeout)" 1 "$rc"
exec 3>&- 4>&-
expect_eq "answering again" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")"
stop_server && pass || fail "exit status"

# start-up failures exit 1 with a reason
expect_fail "bad --listen" "$BIN" serve --listen nonsense:port --db "$WORK/serve.db"
expect_fail "bad --threads" "$BIN" serve --threads 0 --db "$WORK/serve.db"
start_server --threads 1
port=${URL##*:}
if "$BIN" serve --listen "127.0.0.1:$port" --db "$WORK/serve.db" >/dev/null 2>"$WORK/busy.err"; then
  fail "a second server on the same port started"
else
  expect_match "port in use" "cannot listen" "$(cat "$WORK/busy.err")"
fi
stop_server INT && pass || fail "exit status after SIGINT"

finish
