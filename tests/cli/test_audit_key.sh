# The keyed audit chain from the command line (issue #10): init makes the key beside the
# database (mode 0600), every row from then on has its MAC, each command that wrote leaves an
# anchor; a cut tail is named by the anchor; a keyed log refuses writes without its key but
# can still be verified; an existing log is keyed with `audit key`, in SM3 if asked.
. "$(dirname "$0")/lib.sh"

KEY="$DUIKOU_DB.audit-key"
ANCHORS="$DUIKOU_DB.audit-anchors"
out=$("$BIN" init 2>/dev/null)
expect_match "init makes the key" "audit key \(hmac-sha256\) made" "$out"
expect_eq "the key is its owner's only" "600" "$(stat -c %a "$KEY")"
expect_match "the key file" "^duikou-audit-key v1 hmac-sha256 [0-9]+ [0-9a-f]{64}$" "$(cat "$KEY")"
"$BIN" import "$SEED" >/dev/null 2>&1
"$BIN" user add --login clerk --role admin --password-stdin <<<'A-long-enough-password-1' >/dev/null
expect_eq "every row from the key's on has a MAC" "0" \
  "$(sql "SELECT count(*) FROM audit WHERE mac IS NULL AND id >= $(cut -d' ' -f4 "$KEY")")"
head=$(sql 'SELECT max(id) FROM audit')
expect_match "the head anchored" "^duikou-audit-anchor v1 $head [0-9a-f]{64} [0-9a-f]{64} " "$(tail -1 "$ANCHORS")"
expect_match "verify: chain, MACs, anchors" "intact: $head rows verified \(hash chain, MACs and anchors\)" \
  "$("$BIN" audit verify)"
lines=$(wc -l <"$ANCHORS")
"$BIN" audit verify >/dev/null
"$BIN" audit list >/dev/null
expect_eq "reading leaves no anchor" "$lines" "$(wc -l <"$ANCHORS")"

# the last 10 rows cut off behind the program's back: the chain left is whole, the anchor
# says what was there
cp "$DUIKOU_DB" "$WORK/whole.db"
sql "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id > $((head - 10));"
err=$("$BIN" audit verify 2>&1 || true)
expect_match "the cut named" "broken at row $((head - 9)): the log was cut short: the anchor written at .* names row $head, and the log ends at row $((head - 10))" "$err"
expect_fail "check fails too" "$BIN" check
cp "$WORK/whole.db" "$DUIKOU_DB"

# the server anchors too: a sign-in (audited) while it runs, its anchor when it stops
"$BIN" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
server=$!
for _ in $(seq 600); do
  grep -q "^listening on " "$WORK/serve.out" && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.05
done
url=$(sed -n 's/^listening on \(http:\/\/[^ ]*\)$/\1/p' "$WORK/serve.out")
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"login":"clerk","password":"A-long-enough-password-1"}' "$url/api/v1/session")
expect_eq "signed in" "201" "$status"
kill -TERM "$server"
wait "$server" || true
served=$(sql 'SELECT max(id) FROM audit')
[ "$served" -gt "$head" ] && pass || fail "the sign-in was not audited"
expect_match "the server's anchor at its stop" "^duikou-audit-anchor v1 $served " "$(tail -1 "$ANCHORS")"
expect_match "and it verifies" "intact: $served rows" "$("$BIN" audit verify)"
head=$served

# without its key a keyed log is not written to (a row without a MAC would break it), but it
# can be verified, as far as a verifier without the key can
mv "$KEY" "$WORK/key"
err=$("$BIN" user add --login clerk2 --role admin --password-stdin <<<'A-long-enough-password-2' 2>&1 || true)
expect_match "no write without the key" "is keyed and its key .* is not there" "$err"
expect_eq "nothing written" "$head" "$(sql 'SELECT max(id) FROM audit')"
expect_match "verify without the key" "MACs not checked: no key" "$("$BIN" audit verify)"
expect_match "reads need no key" "遼寧" "$("$BIN" plans)"
expect_match "nor does a list" "no evaluations yet" "$("$BIN" evaluation list 1)"
expect_fail "but creating one does" "$BIN" evaluation create 1 2030
expect_fail "serve refuses too" "$BIN" serve --listen 127.0.0.1:0
expect_match "the key given elsewhere" "hash chain, MACs and anchors" \
  "$("$BIN" --audit-key "$WORK/key" audit verify)"
chmod 644 "$WORK/key"
err=$("$BIN" --audit-key "$WORK/key" audit verify 2>&1 || true)
expect_match "a key others may read is refused" "read by others" "$err"

# an existing log (made before keys) keyed afterwards, with SM3
export DUIKOU_DB="$WORK/old.db"
"$BIN" import "$SEED" >/dev/null 2>&1
before=$(sql 'SELECT max(id) FROM audit')
out=$("$BIN" audit key --alg hmac-sm3)
expect_match "audit key" "audit key \(hmac-sm3\) from row $((before + 1))" "$out"
expect_fail "a second key" "$BIN" audit key
expect_match "SM3 verifies" "hash chain, MACs and anchors" "$("$BIN" audit verify)"
expect_fail "an unknown algorithm" "$BIN" --db "$WORK/third.db" audit key --alg hmac-md5
[ ! -e "$WORK/third.db.audit-key" ] && pass || fail "a refused key left its file"

# a key left from another database is not taken up for a new one
export DUIKOU_DB="$WORK/new.db"
cp "$WORK/old.db.audit-key" "$WORK/new.db.audit-key"
err=$("$BIN" init 2>&1 || true)
expect_match "a stale key refused" "is not the key of .*new.db's audit log" "$err"

finish
