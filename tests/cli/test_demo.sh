# duikou demo: an organisation, an agreed work plan per pairing and reports in every state,
# all through the services (so all audited); refused on a database that has accounts.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
out=$("$BIN" demo)
expect_match "logins printed" "admin +admin +[A-Za-z0-9-]{23}" "$out"
for role in leader coordinator member; do
  expect_match "a $role login" "$role +p1a\." "$out"
done
expect_eq "work plans agreed" "agreed,agreed" "$(sql "SELECT group_concat(status) FROM (SELECT status FROM work_plan ORDER BY id)")"
expect_eq "an item per task" "51" "$(sql "SELECT count(*) FROM work_item")"
expect_eq "both sides assigned" "102" "$(sql "SELECT count(*) FROM assignment WHERE role = 'lead'")"
expect_match "reports made" "^[1-9][0-9]+$" "$(sql "SELECT count(*) FROM report")"
expect_eq "reviews of both kinds" "accepted,returned" "$(sql "SELECT group_concat(decision) FROM (SELECT DISTINCT decision FROM review ORDER BY decision)")"
expect_match "pending reports" "^[1-9]" "$(sql "SELECT count(*) FROM report r WHERE NOT EXISTS (SELECT 1 FROM review v WHERE v.report_id = r.id)")"
expect_eq "every accepted status" "at_risk,delayed,done,on_track" "$(sql "SELECT group_concat(status) FROM (SELECT DISTINCT r.status FROM report r JOIN review v ON v.report_id = r.id AND v.decision = 'accepted' ORDER BY r.status)")"
expect_match "audit intact" "intact" "$("$BIN" audit verify)"
expect_fail "demo twice" "$BIN" demo

# A revised plan text keeps who leads and supports each task: assignments carry over.
sed -e 's/^5\.深化智庫合作。/5.深化高端智庫合作。/' "$SEED" > "$WORK/revised.txt"
out=$("$BIN" import "$WORK/revised.txt" 2>/dev/null)
expect_match "carried over" "assignments carried over" "$out"
expect_eq "same assignments on the new version" \
  "$(sql "SELECT count(*) FROM assignment a JOIN task t ON t.id = a.task_id WHERE t.plan_id = 1")" \
  "$(sql "SELECT count(*) FROM assignment a JOIN task t ON t.id = a.task_id JOIN plan p ON p.id = t.plan_id WHERE p.lineage = 1 AND p.status = 'current'")"
expect_match "audit intact after revision" "intact" "$("$BIN" audit verify)"
finish
