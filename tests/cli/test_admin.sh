# duikou audit / backup / check: the audit log is append-only and tamper-evident, backups
# are whole and consistent.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
expect_match "verify" "audit log intact: [0-9]+ rows verified" "$("$BIN" audit verify)"
expect_match "check" "integrity: ok" "$("$BIN" check)"
expect_match "audit list" "plan.import" "$("$BIN" audit list --limit 5)"
rows=$(sql 'SELECT count(*) FROM audit')

# the log refuses changes, even from the sqlite3 shell
expect_fail "update refused" sql "UPDATE audit SET actor = 'x' WHERE id = 2"
expect_fail "delete refused" sql "DELETE FROM audit WHERE id = 2"
expect_eq "rows unchanged" "$rows" "$(sql 'SELECT count(*) FROM audit')"

# backup: a consistent copy that passes integrity_check, never over an existing file
out=$("$BIN" backup "$WORK/copy.db")
expect_match "backup" "backed up" "$out"
expect_eq "copy integrity" ok "$(sqlite3 "$WORK/copy.db" 'PRAGMA integrity_check')"
expect_eq "copy audit rows" "$rows" "$(sqlite3 "$WORK/copy.db" 'SELECT count(*) FROM audit')"
expect_match "copy verifies" "intact" "$("$BIN" --db "$WORK/copy.db" audit verify)"
expect_fail "no overwrite" "$BIN" backup "$WORK/copy.db"
expect_match "overwrite with --force" "backed up" "$("$BIN" backup "$WORK/copy.db" --force)"
[ ! -e "$WORK/copy.db.tmp" ] && pass || fail "temporary backup file left behind"

# tampering is found: change row 3 behind the triggers' back
sql "DROP TRIGGER audit_no_update; UPDATE audit SET after = '{\"added\":0}' WHERE id = 3;"
err=$("$BIN" audit verify 2>&1 || true)
expect_match "tamper named" "audit log broken at row 3" "$err"
expect_fail "verify fails" "$BIN" audit verify
expect_fail "check fails" "$BIN" check
# the backup taken before is still good
expect_match "backup unaffected" "intact" "$("$BIN" --db "$WORK/copy.db" audit verify)"

finish
