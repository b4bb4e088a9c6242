# duikou demo --scale N: the generated organisation of `make bench`. Scale 1 has the counts of
# a tenth of scale 10, one shared password, one audit entry per chunk and kind, an intact
# database, and pages that answer on it; bad scales are refused.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
for bad in 0 abc -1 1.5 101 ""; do
  expect_fail "scale '$bad' refused" "$BIN" demo --scale "$bad"
done
expect_fail "--scale without a number" "$BIN" demo --scale
out=$("$BIN" demo --scale 0 2>&1 || true)
expect_match "a clear message" "--scale takes a whole number from 1 to" "$out"
expect_eq "nothing made by a refused scale" "0" "$(sql "SELECT count(*) FROM users")"

out=$("$BIN" demo --scale 1)
val() { printf '%s\n' "$out" | sed -n "s/^scale\.$1=//p"; }
in_range() { # WHAT LOW HIGH VALUE
  if [ "$4" -ge "$2" ] && [ "$4" -le "$3" ]; then pass; else fail "$1: $4 not in $2..$3"; fi
}
expect_match "the shared password, once" "^scale\.password=[A-Za-z0-9-]{23}$" "$(printf '%s\n' "$out" | grep '^scale\.password=')"
in_range "province pairings" 9 9 "$(sql "SELECT count(*) FROM pairing WHERE parent_id IS NULL")"
in_range "city pairings" 70 90 "$(sql "SELECT count(*) FROM pairing WHERE parent_id IS NOT NULL")"
in_range "tasks" 150 300 "$(sql "SELECT count(*) FROM task")"
in_range "work items" 4500 5500 "$(sql "SELECT count(*) FROM work_item")"
in_range "reports" 90000 110000 "$(sql "SELECT count(*) FROM report")"
in_range "units" 450 600 "$(sql "SELECT count(*) FROM unit")"
in_range "users" 1800 2200 "$(sql "SELECT count(*) FROM users")"
expect_eq "generated accounts share one hash" "1" "$(sql "SELECT count(DISTINCT pw_hash) FROM users WHERE login LIKE 'g%'")"
expect_eq "the printed counts are the stored ones" "$(val reports)" "$(sql "SELECT count(*) FROM report r JOIN work_item i ON i.id = r.work_item_id JOIN work_plan w ON w.id = i.work_plan_id JOIN pairing p ON p.id = w.pairing_id WHERE p.name_a LIKE '測試省%'")"
expect_eq "names from the seed's shape" "測試省01與測試省02對口合作實施方案" "$(sql "SELECT title FROM plan WHERE id = $(val plan)")"
expect_eq "a plan's tasks carry over their text" "0" "$(sql "SELECT count(*) FROM task WHERE plan_id = $(val plan) AND (title = '' OR body = '')")"
expect_eq "work plans of 50 items" "50" "$(sql "SELECT count(*) FROM work_item WHERE work_plan_id = $(val work_plan)")"
expect_eq "every work plan agreed by both sides" "0" "$(sql "SELECT count(*) FROM work_plan w WHERE (SELECT count(*) FROM approval a WHERE a.work_plan_id = w.id) < 2")"
expect_match "reviews and pending reports" "^[1-9][0-9]*\|[1-9][0-9]*$" "$(sql "SELECT sum(v.id IS NOT NULL), sum(v.id IS NULL) FROM report r LEFT JOIN review v ON v.report_id = r.id")"
# One audit entry per chunk (pairing) and kind, not one per row.
expect_eq "audit entries per chunk and kind" "7" "$(sql "SELECT count(*) FROM audit WHERE action = 'demo.scale' AND entity = 'report'")"
in_range "projects of the generated pairings" 1400 1400 "$(sql "SELECT count(*) FROM project p JOIN pairing a ON a.id = p.pairing_id WHERE a.name_a LIKE '測試省%'")"
expect_eq "a partner and a stage row per generated project" "0" "$(sql "SELECT count(*) FROM project p WHERE NOT EXISTS (SELECT 1 FROM project_partner x WHERE x.project_id = p.id) OR NOT EXISTS (SELECT 1 FROM project_stage s WHERE s.project_id = p.id)")"
expect_eq "no project signed after today" "0" "$(sql "SELECT count(*) FROM project WHERE signed_on > date('now', '+8 hours')")"
expect_eq "audit entries of projects per chunk" "7" "$(sql "SELECT count(*) FROM audit WHERE action = 'demo.scale' AND entity = 'project'")"
expect_eq "the entries count every report" "$(val reports)" "$(sql "SELECT sum(json_extract(after, '$.rows')) FROM audit WHERE action = 'demo.scale' AND entity = 'report'")"
expect_match "check ok" "audit log: ok" "$("$BIN" check)"
expect_match "audit intact" "intact" "$("$BIN" audit verify)"
expect_fail "generated twice" "$BIN" demo --scale 1

# Pages and the API answer on the generated database.
"$BIN" serve --listen 127.0.0.1:0 --threads 2 >"$WORK/serve.out" 2>"$WORK/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.05; done
base=$(grep -o 'http://[^ ]*' "$WORK/serve.out")
expect_eq "public plan page" "200" "$(curl -s -o "$WORK/plan.html" -w '%{http_code}' "$base/plans/$(val plan)")"
expect_match "the page names the generated provinces (in the interface's script)" "测试省01" "$(cat "$WORK/plan.html")"
expect_eq "portal" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$base/")"
curl -s -D "$WORK/h" -o "$WORK/login.json" -H 'content-type: application/json' \
  -d "{\"login\":\"$(val coordinator)\",\"password\":\"$(val password)\"}" "$base/api/v1/session"
cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' "$WORK/h" | head -1)
expect_match "the coordinator signs in with the shared password" "csrf_token" "$(cat "$WORK/login.json")"
code=$(curl -s -o "$WORK/wp.json" -w '%{http_code}' -H "Cookie: $cookie" "$base/api/v1/work-plans/$(val work_plan)")
expect_eq "the work plan answers" "200" "$code"
expect_eq "with its 50 items" "50" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$WORK/wp.json")"
expect_eq "the review queue" "200" "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/reviews")"
finish
