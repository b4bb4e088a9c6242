# duikou import-xlsx work_items FILE --as LOGIN --work-plan ID [--commit] on the demo
# organisation: only into a draft work plan (the demo's are agreed), a preview that says what
# each row would do and stores nothing, --commit in one transaction audited with the file's
# SHA-256, the same file again unchanged; an unknown unit is an error by row and column; a
# member is refused.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
"$BIN" demo >/dev/null 2>&1

row=$(sql "SELECT u.login || '|' || n.pairing_id FROM users u JOIN unit n ON n.id = u.unit_id
  WHERE u.role = 'coordinator' AND n.side = 0 ORDER BY u.id LIMIT 1")
login=${row%%|*}; pairing=${row#*|}
member=$(sql "SELECT u.login FROM users u JOIN unit n ON n.id = u.unit_id
  WHERE u.role = 'member' AND n.pairing_id = $pairing ORDER BY u.id LIMIT 1")
agreed=$(sql "SELECT id FROM work_plan WHERE pairing_id = $pairing AND status = 'agreed' LIMIT 1")
year=$(sql "SELECT max(year) + 1 FROM work_plan WHERE pairing_id = $pairing")
owner=$(sql "SELECT name FROM unit WHERE pairing_id = $pairing AND side = 0 AND tier = 'execution'
  ORDER BY id LIMIT 1")
xlsx() { node "$SRC/tests/api/xlsx.mjs" "$1" "$2"; }
xlsx "$WORK/items.xlsx" "[[\"年度工作计划台账\"],[\"计划事项\",\"责任单位\",\"截止日期\"],
  [\"命令行导入的事项\",\"$owner\",\"$year-10-31\"]]"
xlsx "$WORK/bad.xlsx" "[[\"计划事项\",\"责任单位\",\"截止日期\"],[\"单位不对\",\"不存在的单位\",\"$year-10-31\"]]"

out=$("$BIN" import-xlsx work_items "$WORK/items.xlsx" --as "$login" --work-plan "$agreed" 2>&1) &&
  fail "an agreed plan took an import" || pass
expect_match "only into a draft, said in the user's language" "只能向草稿导入" "$out"
# a draft for next year, as a coordinator opens one
sql "INSERT INTO work_plan (pairing_id, year, status, created_at, updated_at)
  VALUES ($pairing, $year, 'draft', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
plan=$(sql "SELECT id FROM work_plan WHERE pairing_id = $pairing AND year = $year")

out=$("$BIN" import-xlsx work_items "$WORK/items.xlsx" --as "$login" --work-plan "$plan")
expect_match "the preview" "^import [0-9]+: 1 rows, 0 errors \(sha256 [0-9a-f]{64}\)" "$out"
expect_match "what the commit would do" "1 new, 0 changed, 0 unchanged" "$out"
expect_eq "a preview stores no item" "0" "$(sql "SELECT count(*) FROM work_item WHERE work_plan_id = $plan")"
out=$("$BIN" import-xlsx work_items "$WORK/items.xlsx" --as "$login" --work-plan "$plan" --commit)
expect_match "committed" "committed: 1 created, 0 updated, 0 unchanged" "$out"
expect_eq "the item" "命令行导入的事项|$year-10-31|$owner" \
  "$(sql "SELECT i.title || '|' || i.due || '|' || u.name FROM work_item i JOIN unit u ON u.id = i.owner_unit_id WHERE i.work_plan_id = $plan")"
sha=$(sha256sum "$WORK/items.xlsx" | cut -d' ' -f1)
expect_eq "audited with the file's SHA-256" "1" \
  "$(sql "SELECT count(*) FROM audit WHERE action = 'import.commit' AND after LIKE '%$sha%'")"
out=$("$BIN" import-xlsx work_items "$WORK/items.xlsx" --as "$login" --work-plan "$plan" --commit)
expect_match "the same file again changes nothing" "committed: 0 created, 0 updated, 1 unchanged" "$out"
expect_eq "one item" "1" "$(sql "SELECT count(*) FROM work_item WHERE work_plan_id = $plan")"

out=$("$BIN" import-xlsx work_items "$WORK/bad.xlsx" --as "$login" --work-plan "$plan" --commit 2>&1) &&
  fail "an unknown unit committed" || pass
expect_match "the error by row and column" "row 2, 责任单位: 本结对中没有这个名称的单位" "$out"
expect_fail "a member" "$BIN" import-xlsx work_items "$WORK/items.xlsx" --as "$member" --work-plan "$plan"
expect_fail "without --work-plan" "$BIN" import-xlsx work_items "$WORK/items.xlsx" --as "$login"
expect_fail "a work plan that is no number" "$BIN" import-xlsx work_items "$WORK/items.xlsx" --as "$login" --work-plan x
expect_eq "nothing more stored" "1" "$(sql "SELECT count(*) FROM work_item WHERE work_plan_id = $plan")"
expect_match "audit intact" "intact" "$("$BIN" audit verify)"
finish
