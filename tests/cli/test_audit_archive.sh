# Audit retention from the command line (issue #10, 等保三级): rows made at past instants
# (libfaketime moves every clock, SQLite's too) are archived only when six calendar months
# old (at least 180 days) in the plans' time zone; the archive verifies alone and joins the
# live log, which
# verifies from its boundary; the sqlite3 shell cannot remove a young or unarchived row; a
# tampered or cut archive is named, also cut at either end with its ends made consistent
# again (the trailer's MAC); a second archive follows the first.
. "$(dirname "$0")/lib.sh"

# A command with every clock (SQLite's too) moved to an instant in the past. Not
# tests/time/at.sh: its "+${offset}s" is no offset to faketime when the offset is negative.
AT() { local s=$(($(date -u -d "$1" +%s) - $(date -u +%s))); shift; faketime -m -f "${s}s" "$@"; }
ago() { date -u -d "-$1 days" '+%Y-%m-%d 04:00 UTC'; } # 12:00 in China: the same day there
# today as the server counts it (UTC+8, docs/time.md), and N days before it
today=$(date -u -d '+8 hours' +%F)
day() { date -u -d "$today -$1 days" +%F; }

AT "$(ago 300)" "$BIN" init >/dev/null 2>&1
AT "$(ago 300)" "$BIN" import "$SEED" >/dev/null 2>&1
AT "$(ago 200)" "$BIN" user add --login clerk --role admin --password-stdin <<<'A-long-enough-password-1' >/dev/null
AT "$(ago 100)" "$BIN" user add --login clerk2 --role admin --password-stdin <<<'A-long-enough-password-2' >/dev/null
"$BIN" user add --login clerk3 --role admin --password-stdin <<<'A-long-enough-password-3' >/dev/null
old=$(sql "SELECT max(id) FROM audit WHERE at < '$(day 250)'")
total=$(sql 'SELECT max(id) FROM audit')
[ "$old" -gt 2 ] && pass || fail "no old rows were made ($old)"

# within six months (180 days is always less), or not a date: refused, nothing written
err=$("$BIN" audit archive --before "$(day 180)" "$WORK/a1.jsonl" 2>&1 || true)
expect_match "the retention named" "kept six months \(at least 180 days\): --before may be [0-9-]{10} at the latest \(today is $today" "$err"
# on 2026-08-31 six months back is 2026-02-28, 180 days back 2026-03-04
err=$(AT "2026-08-31 04:00 UTC" "$BIN" audit archive --before 2026-03-01 "$WORK/a1.jsonl" 2>&1 || true)
expect_match "six calendar months" "--before may be 2026-02-28 at the latest \(today is 2026-08-31" "$err"
expect_fail "not a date" "$BIN" audit archive --before 2026-02-30 "$WORK/a1.jsonl"
expect_fail "no --before" "$BIN" audit archive "$WORK/a1.jsonl"
[ ! -e "$WORK/a1.jsonl" ] && pass || fail "a refused archive left a file"
expect_eq "nothing removed" "$total" "$(sql 'SELECT count(*) FROM audit')"

# the sqlite3 shell cannot remove rows either: young, or old but not archived
expect_fail "a young row" sql "DELETE FROM audit WHERE id = $total"
expect_fail "an old row no archive covers" sql "DELETE FROM audit WHERE id = 1"

# the archive: the rows before the date, with their MACs and anchors; then removed, audited;
# written beside FILE under a name of its own (a FILE.tmp there, even a hard link, is left)
echo "not mine" >"$WORK/victim"
ln "$WORK/victim" "$WORK/a1.jsonl.tmp"
out=$("$BIN" audit archive --before "$(day 250)" "$WORK/a1.jsonl")
expect_match "archived" "^archived $old audit rows \(1 to $old, [0-9]+ anchors\) to .*a1.jsonl, SHA-256 [0-9a-f]{64}; the live log starts at row $((old + 1))" "$out"
sha=$(sha256sum "$WORK/a1.jsonl" | cut -d' ' -f1)
expect_match "the SHA-256 is the file's" "SHA-256 $sha" "$out"
expect_eq "the archive is its owner's only" "600" "$(stat -c %a "$WORK/a1.jsonl")"
expect_match "its header" '^\{"format":"duikou-audit-archive","version":1,"chain":"duikou.audit.v1","mac":"hmac-sha256"' "$(head -1 "$WORK/a1.jsonl")"
expect_match "its trailer" "^\{\"end\":\"duikou-audit-archive\",\"rows\":$old," "$(tail -1 "$WORK/a1.jsonl")"
expect_eq "a FILE.tmp found there is not written" "not mine" "$(cat "$WORK/victim")"
[ -z "$(ls "$WORK" | grep '^a1.jsonl.tmp.')" ] && pass || fail "the temporary file stayed"
expect_eq "the rows left" "$((old + 1))" "$(sql 'SELECT min(id) FROM audit')"
expect_match "the archive audited" "audit.archive .*\"rows\":$old," "$("$BIN" audit list --limit 1)"
expect_eq "with the file's SHA-256" "$sha" \
  "$(sql "SELECT json_extract(after, '\$.sha256') FROM audit WHERE action = 'audit.archive'")"
expect_match "the live log verifies from the boundary" "intact: [0-9]+ rows verified \(hash chain, MACs and anchors; rows up to $old archived\)" "$("$BIN" audit verify)"
expect_match "check too" "audit log: ok" "$("$BIN" check)"
expect_match "the archive verifies and joins" "audit archive intact: $old rows \(1 to $old\) verified \(hash chain, MACs, [0-9]+ anchors and trailer\), SHA-256 $sha; it joins the chain of the database" \
  "$("$BIN" audit verify --archive "$WORK/a1.jsonl")"
expect_match "alone, with the key given" "no database to join checked" \
  "$("$BIN" --db "$WORK/none.db" --audit-key "$DUIKOU_DB.audit-key" audit verify --archive "$WORK/a1.jsonl")"
[ ! -e "$WORK/none.db" ] && pass || fail "verifying a file alone made a database"
expect_fail "never overwritten" "$BIN" audit archive --before "$(day 250)" "$WORK/a1.jsonl"
expect_fail "nothing left before the date" "$BIN" audit archive --before "$(day 250)" "$WORK/a9.jsonl"

# tampered, cut: named
sed '/^{"id":2,/s/"actor":"cli:[^"]*"/"actor":"cli:eve"/' "$WORK/a1.jsonl" >"$WORK/bad.jsonl"
err=$("$BIN" audit verify --archive "$WORK/bad.jsonl" 2>&1 || true)
expect_match "a changed row" "broken at row 2: hash does not match" "$err"
head -n -1 "$WORK/a1.jsonl" >"$WORK/cut.jsonl"
err=$("$BIN" audit verify --archive "$WORK/cut.jsonl" 2>&1 || true)
expect_match "a cut archive" "cut short after row $old" "$err"
# cut at either end and made consistent again (header, trailer, the previous hash): only the
# trailer's MAC shows it, so the key is needed when there is no database
jq -c -s '(map(select(.id != null)) | .[:-1]) as $r | ($r[-1]) as $l
  | (map(select(.anchor != null and .anchor <= $l.id))) as $a
  | [.[0] | .last_id = $l.id | .rows = ($r | length)]
    + ([$r[], $a[]] | sort_by([.id // .anchor, if .anchor then 1 else 0 end]))
    + [.[-1] | .rows = ($r | length) | .anchors = ($a | length) | .last_id = $l.id
       | .last_hash = $l.hash | .last_mac = $l.mac] | .[]' "$WORK/a1.jsonl" >"$WORK/cut-end.jsonl"
jq -c -s '(map(select(.id != null and .id > 3))) as $r | (map(select(.id == 3))[0]) as $p
  | (map(select(.anchor != null and .anchor > 3))) as $a
  | [.[0] | .first_id = 4 | .rows = ($r | length) | .prev_hash = $p.hash | .prev_mac = $p.mac]
    + ([$r[], $a[]] | sort_by([.id // .anchor, if .anchor then 1 else 0 end]))
    + [.[-1] | .rows = ($r | length) | .anchors = ($a | length)] | .[]' "$WORK/a1.jsonl" >"$WORK/cut-front.jsonl"
for end in end front; do
  err=$("$BIN" --db "$WORK/none.db" --audit-key "$DUIKOU_DB.audit-key" audit verify --archive "$WORK/cut-$end.jsonl" 2>&1 || true)
  expect_match "cut at its $end, with the key" "broken: the trailer's MAC does not match" "$err"
  expect_match "cut at its $end, no key: said to be unseen" "a cut at either end cannot be seen" \
    "$("$BIN" --db "$WORK/none.db" audit verify --archive "$WORK/cut-$end.jsonl" 2>&1 || true)"
done

# the log goes on (its key's row is archived), and a second archive follows the first
"$BIN" user add --login clerk4 --role admin --password-stdin <<<'A-long-enough-password-4' >/dev/null
mid=$(sql "SELECT max(id) FROM audit WHERE at < '$(day 190)'")
out=$("$BIN" audit archive --before "$(day 190)" "$WORK/a2.jsonl")
expect_match "the second archive" "audit rows \($((old + 1)) to $mid," "$out"
expect_match "it verifies" "intact: .* it joins" "$("$BIN" audit verify --archive "$WORK/a2.jsonl")"
expect_match "the first still does" "intact: .* it joins" "$("$BIN" audit verify --archive "$WORK/a1.jsonl")"
expect_match "the live log" "rows up to $mid archived" "$("$BIN" audit verify)"

finish
