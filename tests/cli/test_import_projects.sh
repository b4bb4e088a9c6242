# duikou import-xlsx projects FILE --as LOGIN [--commit] on the demo organisation: a
# coordinator's new rows become projects of its side in one transaction, audited with the
# file's SHA-256; the same file again changes nothing; an error is shown by row and column;
# a member is refused.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
"$BIN" demo >/dev/null 2>&1

row=$(sql "SELECT u.login || '|' || n.pairing_id || '|' || n.side FROM users u JOIN unit n ON n.id = u.unit_id
  WHERE u.role = 'coordinator' ORDER BY u.id LIMIT 1")
login=${row%%|*}; rest=${row#*|}; pairing=${rest%%|*}; side=${rest#*|}
member=$(sql "SELECT u.login FROM users u JOIN unit n ON n.id = u.unit_id
  WHERE u.role = 'member' AND n.pairing_id = $pairing ORDER BY u.id LIMIT 1")
xlsx() { node "$SRC/tests/api/xlsx.mjs" "$1" "$2"; }
xlsx "$WORK/projects.xlsx" '[["合作项目台账"],["项目名称","阶段","计划投资（万元）","带动就业（人）"],
  ["命令行导入的合作项目","洽谈",100.5,20]]'
xlsx "$WORK/bad.xlsx" '[["项目名称","行业（GB/T 4754-2017）"],["行业不对的项目","不存在的行业"]]'

before=$(sql "SELECT count(*) FROM project")
out=$("$BIN" import-xlsx projects "$WORK/projects.xlsx" --as "$login")
expect_match "the preview" "^import [0-9]+: 1 rows, 0 errors" "$out"
expect_match "what the commit would do" "1 new, 0 changed, 0 unchanged" "$out"
expect_eq "a preview stores nothing" "$before" "$(sql "SELECT count(*) FROM project")"
out=$("$BIN" import-xlsx projects "$WORK/projects.xlsx" --as "$login" --commit)
expect_match "committed" "committed: 1 created, 0 updated, 0 unchanged" "$out"
expect_eq "the project, of the coordinator's side" "$pairing|$side|negotiating|1005000|20" \
  "$(sql "SELECT pairing_id || '|' || side || '|' || stage || '|' || invest_planned || '|' || jobs FROM project WHERE name = '命令行导入的合作项目'")"
sha=$(sha256sum "$WORK/projects.xlsx" | cut -d' ' -f1)
expect_eq "audited with the file's SHA-256" "1" \
  "$(sql "SELECT count(*) FROM audit WHERE action = 'import.commit' AND after LIKE '%$sha%'")"
out=$("$BIN" import-xlsx projects "$WORK/projects.xlsx" --as "$login" --commit)
expect_match "the same file again changes nothing" "committed: 0 created, 0 updated, 1 unchanged" "$out"
out=$("$BIN" import-xlsx projects "$WORK/bad.xlsx" --as "$login" --commit 2>&1) && fail "an error committed" || pass
expect_match "the error by row and column" "row 2, 行业（GB/T 4754-2017）: " "$out"
expect_fail "a member" "$BIN" import-xlsx projects "$WORK/projects.xlsx" --as "$member"
expect_eq "one project more" "$((before + 1))" "$(sql "SELECT count(*) FROM project")"
expect_match "audit intact" "intact" "$("$BIN" audit verify)"
finish
