# duikou demo: an organisation, an agreed work plan per pairing and reports in every state,
# all through the services (so all audited); refused on a database that has accounts.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
out=$("$BIN" demo)
expect_match "logins printed" "admin +admin +[A-Za-z0-9-]{23}" "$out"
for role in leader coordinator member; do
  expect_match "a $role login" "$role +p1a\." "$out"
done
expect_eq "work plans agreed" "agreed,agreed,agreed" "$(sql "SELECT group_concat(status) FROM (SELECT status FROM work_plan ORDER BY id)")"
expect_eq "an item per task, this year" "51" "$(sql "SELECT count(*) FROM work_item i JOIN work_plan w ON w.id = i.work_plan_id WHERE w.year = strftime('%Y', 'now', '+8 hours')")"
# the first pairing's last year: a quarterly plan reported through the year, its evaluation
# closed with commendations; this year's open, one side's self-evaluation submitted
expect_eq "last year's plan, quarterly" "quarterly" "$(sql "SELECT report_cycle FROM work_plan WHERE year = strftime('%Y', 'now', '+8 hours') - 1")"
expect_eq "evaluations: last year closed, this year open" "closed,open" "$(sql "SELECT group_concat(state) FROM (SELECT state FROM evaluation ORDER BY year)")"
expect_eq "the stages of this year's" "opinion,self" "$(sql "SELECT group_concat(s.stage) FROM (SELECT s.stage FROM evaluation_side s JOIN evaluation e ON e.id = s.evaluation_id WHERE e.state = 'open' ORDER BY s.side) s")"
expect_match "commendations" "^[1-9]" "$(sql "SELECT count(*) FROM evaluation_commendation")"
expect_eq "both sides assigned" "102" "$(sql "SELECT count(*) FROM assignment WHERE role = 'lead'")"
expect_match "reports made" "^[1-9][0-9]+$" "$(sql "SELECT count(*) FROM report")"
expect_eq "reviews of both kinds" "accepted,returned" "$(sql "SELECT group_concat(decision) FROM (SELECT DISTINCT decision FROM review ORDER BY decision)")"
expect_match "pending reports" "^[1-9]" "$(sql "SELECT count(*) FROM report r WHERE NOT EXISTS (SELECT 1 FROM review v WHERE v.report_id = r.id)")"
expect_eq "every accepted status" "at_risk,delayed,done,on_track" "$(sql "SELECT group_concat(status) FROM (SELECT DISTINCT r.status FROM report r JOIN review v ON v.report_id = r.id AND v.decision = 'accepted' ORDER BY r.status)")"
expect_match "audit intact" "intact" "$("$BIN" audit verify)"
expect_fail "demo twice" "$BIN" demo

# Two published notices: one to the first pairing, one to all; on the portal for anyone.
expect_eq "notices published" "1|published,|published" "$(sql "SELECT group_concat(coalesce(pairing_id, '') || '|' || status) FROM (SELECT pairing_id, status FROM notice ORDER BY id)")"
expect_eq "notices audited" "4" "$(sql "SELECT count(*) FROM audit WHERE entity = 'notice'")"
"$BIN" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
server=$!
for _ in $(seq 600); do
  grep -q "^listening on " "$WORK/serve.out" && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.05
done
url=$(sed -n 's/^listening on \(http:\/\/[^ ]*\)$/\1/p' "$WORK/serve.out")
portal=$(curl -s "$url/")
kill -TERM "$server"
wait "$server" || true
expect_match "portal: the pairing's notice" "关于报送[0-9]{4}年度对口合作工作进展情况的通知" "$portal"
expect_match "portal: the notice to all" "关于做好[0-9]{4}年度对口合作工作考核评估准备的通知" "$portal"
expect_match "portal: all notices link" 'href="/notices"' "$portal"

# A revised plan text keeps who leads and supports each task: assignments carry over.
sed -e 's/^5\.深化智庫合作。/5.深化高端智庫合作。/' "$SEED" > "$WORK/revised.txt"
out=$("$BIN" import "$WORK/revised.txt" 2>/dev/null)
expect_match "carried over" "assignments carried over" "$out"
expect_eq "same assignments on the new version" \
  "$(sql "SELECT count(*) FROM assignment a JOIN task t ON t.id = a.task_id WHERE t.plan_id = 1")" \
  "$(sql "SELECT count(*) FROM assignment a JOIN task t ON t.id = a.task_id JOIN plan p ON p.id = t.plan_id WHERE p.lineage = 1 AND p.status = 'current'")"
expect_match "audit intact after revision" "intact" "$("$BIN" audit verify)"
finish
