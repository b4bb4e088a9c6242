# duikou import-xlsx reports FILE --as LOGIN [--commit] on the demo organisation: a preview is
# printed (errors by row and column, in the user's language) and stores no report; --commit
# stores the rows in one transaction, audited with the file's SHA-256; the same file again
# changes nothing; a row replacing an accepted report (更正) needs --corrections; a file with an
# error, or that is no workbook, commits nothing.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
"$BIN" demo >/dev/null 2>&1

row=$(sql "SELECT u.login || '|' || i.id || '|' || w.year FROM users u
  JOIN work_item i ON i.owner_unit_id = u.unit_id AND i.removed_at IS NULL
  JOIN work_plan w ON w.id = i.work_plan_id WHERE u.role = 'member' ORDER BY i.id LIMIT 1")
login=${row%%|*}; rest=${row#*|}; item=${rest%%|*}; year=${rest#*|}
xlsx() { node "$SRC/tests/api/xlsx.mjs" "$1" "$2"; }
# A title row, the header in Traditional script, a quarter written out in Chinese.
xlsx "$WORK/good.xlsx" "[[\"進展填報表\"],[\"事項編號\",\"報告期\",\"狀態\",\"完成比例\",\"進展情況\"],
  [$item,\"${year}年第四季度\",\"進度滯後\",40,\"命令行导入\"]]"
xlsx "$WORK/bad.xlsx" "[[\"事项编号\",\"报告期\",\"状态\",\"完成比例\",\"进展情况\"],
  [$item,\"${year}-11\",\"正常推进\",120,\"超过一百\"]]"
printf 'not a workbook' >"$WORK/text.xlsx"

before=$(sql "SELECT count(*) FROM report")
out=$("$BIN" import-xlsx reports "$WORK/good.xlsx" --as "$login")
expect_match "the preview" "^import [0-9]+: 1 rows, 0 errors \(sha256 [0-9a-f]{64}\)" "$out"
expect_eq "a preview stores no report" "$before" "$(sql "SELECT count(*) FROM report")"
out=$("$BIN" import-xlsx reports "$WORK/good.xlsx" --as "$login" --commit)
expect_match "committed" "committed: 1 created, 0 unchanged" "$out"
expect_eq "the report" "$item|$year-Q4|delayed|40" \
  "$(sql "SELECT work_item_id || '|' || period || '|' || status || '|' || percent FROM report ORDER BY id DESC LIMIT 1")"
sha=$(sha256sum "$WORK/good.xlsx" | cut -d' ' -f1)
expect_eq "audited with the file's SHA-256" "1" \
  "$(sql "SELECT count(*) FROM audit WHERE action = 'import.commit' AND after LIKE '%$sha%'")"
out=$("$BIN" import-xlsx reports "$WORK/good.xlsx" --as "$login" --commit)
expect_match "the same file again changes nothing" "committed: 0 created, 1 unchanged" "$out"
expect_eq "one report" "$((before + 1))" "$(sql "SELECT count(*) FROM report")"
# The report accepted: a changed row is a correction (更正), committed only with --corrections.
sql "INSERT INTO review (report_id, decision, reviewer_id, comment, at) SELECT max(id), 'accepted',
  (SELECT min(id) FROM users WHERE role = 'coordinator'), '', '2026-01-01T00:00:00.000Z' FROM report" >/dev/null
xlsx "$WORK/fix.xlsx" "[[\"事项编号\",\"报告期\",\"状态\",\"完成比例\",\"进展情况\"],
  [$item,\"${year}-Q4\",\"正常推进\",50,\"更正后的进展\"]]"
out=$("$BIN" import-xlsx reports "$WORK/fix.xlsx" --as "$login")
expect_match "the row marked" "row 2: (更正|Correction)" "$out"
out=$("$BIN" import-xlsx reports "$WORK/fix.xlsx" --as "$login" --commit 2>&1) && fail "a correction committed unconfirmed" || pass
expect_match "the row named" "row 2: " "$out"
expect_eq "nothing stored unconfirmed" "$((before + 1))" "$(sql "SELECT count(*) FROM report")"
out=$("$BIN" import-xlsx reports "$WORK/fix.xlsx" --as "$login" --commit --corrections)
expect_match "confirmed" "committed: 1 created, 0 unchanged" "$out"
expect_eq "the correction stored" "$((before + 2))" "$(sql "SELECT count(*) FROM report")"

out=$("$BIN" import-xlsx reports "$WORK/bad.xlsx" --as "$login" --commit 2>&1) && fail "an error committed" || pass
expect_match "the error by row and column" "row 2, 完成比例: " "$out"
expect_match "not committed" "not committed" "$out"
out=$("$BIN" import-xlsx reports "$WORK/text.xlsx" --as "$login" 2>&1) && fail "text accepted" || pass
expect_match "no workbook, said in the user's language" "不是 Excel 工作簿" "$out"
expect_eq "nothing more stored" "$((before + 2))" "$(sql "SELECT count(*) FROM report")"
expect_fail "without --as" "$BIN" import-xlsx reports "$WORK/good.xlsx"
expect_fail "an unknown user" "$BIN" import-xlsx reports "$WORK/good.xlsx" --as nobody
expect_match "audit intact" "intact" "$("$BIN" audit verify)"
finish
