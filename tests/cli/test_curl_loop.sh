# The whole loop with nothing but the CLI and curl, as an integrator would script it: import,
# accounts, serve, then assign → work plan → both approvals → report → return → report again
# → accept, and the audit log shows each step. (It doubles as a worked example of the API.)
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
PW='Tx9-ceshi-mima-2026'
unit() { "$BIN" unit add --pairing 1 --side "$1" --name "$2" --kind "$3" --tier "$4" | sed -E 's/^unit ([0-9]+):.*/\1/'; }
LN=$(unit 0 遼寧省發展和改革委員會 department coordination)
JS=$(unit 1 江蘇省發展和改革委員會 department coordination)
PJ=$(unit 0 盤錦市人民政府 city execution)
WX=$(unit 1 無錫市人民政府 city execution)
for u in "ln_coord $LN coordinator" "js_coord $JS coordinator" "pj_member $PJ member"; do
  set -- $u
  echo "$PW" | "$BIN" user add --login "$1" --unit "$2" --role "$3" --password-stdin >/dev/null
done

"$BIN" serve --listen 127.0.0.1:0 --login-rate 0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do grep -q listening "$WORK/serve.out" && break; sleep 0.1; done
BASE=$(grep -o 'http://[^ ]*' "$WORK/serve.out")

# login NAME: a cookie jar per person, and the CSRF token every write carries
login() {
  curl -s -c "$WORK/$1.jar" -H 'Content-Type: application/json' -H "Origin: $BASE" \
    -d "{\"login\":\"$1\",\"password\":\"$PW\"}" "$BASE/api/v1/session" | jq -r .csrf_token > "$WORK/$1.csrf"
}
# call NAME METHOD PATH [JSON] [IF-MATCH]: prints the body, then the status on the last line
call() {
  local extra=()
  [ -n "${5:-}" ] && extra=(-H "If-Match: $5")
  curl -s -b "$WORK/$1.jar" -X "$2" -H 'Content-Type: application/json' -H "Origin: $BASE" \
    -H "X-CSRF-Token: $(cat "$WORK/$1.csrf")" "${extra[@]}" ${4:+-d "$4"} \
    -w '\n%{http_code}' "$BASE$3"
}
status() { tail -n1 <<<"$1"; }
body() { sed '$d' <<<"$1"; }
etag_of() { curl -s -D - -o /dev/null -b "$WORK/$1.jar" "$BASE$2" | tr -d '\r' | awk 'tolower($1) == "etag:" {print $2}'; }

for u in ln_coord js_coord pj_member; do login $u; done
TASK=$(curl -s "$BASE/api/v1/plans/1" | jq '[.areas[].tasks[]] | map(select(.number == 7))[0].id')

# 1. Each side assigns its units to task 7 (盘锦–无锡 "互联网+"), against the version it saw.
AS=$(call ln_coord GET "/api/v1/tasks/$TASK" | sed '$d' | jq -r '.assignments_etag // empty')
r=$(call ln_coord PUT "/api/v1/tasks/$TASK/assignments" "{\"side\":0,\"lead\":$PJ,\"support\":[]}" "$AS")
expect_eq "assign side 0" 200 "$(status "$r")"
AS=$(call js_coord GET "/api/v1/tasks/$TASK" | sed '$d' | jq -r '.assignments_etag // empty')
r=$(call js_coord PUT "/api/v1/tasks/$TASK/assignments" "{\"side\":1,\"lead\":$WX,\"support\":[]}" "$AS")
expect_eq "assign side 1" 200 "$(status "$r")"

# 2. The 2026 work plan with one item, submitted and approved by both lead offices.
r=$(call ln_coord POST /api/v1/work-plans '{"pairing_id":1,"year":2026}')
WP=$(body "$r" | jq .id)
r=$(call ln_coord POST "/api/v1/work-plans/$WP/items" \
  "{\"task_id\":$TASK,\"title\":\"盘锦“互联网+”产业对接会\",\"owner_unit_id\":$PJ,\"due\":\"2026-12-31\",\"indicator\":\"签约项目\",\"target_value\":\"3\"}")
expect_eq "item added" 201 "$(status "$r")"
ITEM=$(body "$r" | jq .id)
r=$(call ln_coord POST "/api/v1/work-plans/$WP/submit" '{}' "$(etag_of ln_coord "/api/v1/work-plans/$WP")")
expect_eq "submitted" submitted "$(body "$r" | jq -r .status)"
r=$(call ln_coord POST "/api/v1/work-plans/$WP/approve" '{}' "$(etag_of ln_coord "/api/v1/work-plans/$WP")")
expect_eq "approved side 0" 200 "$(status "$r")"
r=$(call js_coord POST "/api/v1/work-plans/$WP/approve" '{}' "$(etag_of js_coord "/api/v1/work-plans/$WP")")
expect_eq "agreed" agreed "$(body "$r" | jq -r .status)"

# 3. The clerk of 盘锦 reports; the coordinator returns it; the clerk reports again; accepted.
r=$(call pj_member POST "/api/v1/work-items/$ITEM/reports" \
  '{"period":"2026-11","status":"at_risk","percent":30,"narrative":"对接会延期到12月。","figures":[{"name":"参与企业数","value":12}]}')
expect_eq "report" 201 "$(status "$r")"
R1=$(body "$r" | jq .id)
r=$(call ln_coord POST "/api/v1/reports/$R1/review" '{"decision":"returned","comment":"请补充签约意向清单。"}')
expect_eq "returned" returned "$(body "$r" | jq -r .review.decision)"
r=$(call pj_member POST "/api/v1/work-items/$ITEM/reports" \
  '{"period":"2026-11","status":"on_track","percent":45,"narrative":"已补充意向清单：3家企业。","figures":[{"name":"签约金额","value":12000000,"unit":"元"}]}')
R2=$(body "$r" | jq .id)
r=$(call ln_coord POST "/api/v1/reports/$R2/review" '{"decision":"accepted"}')
expect_eq "accepted" accepted "$(body "$r" | jq -r .review.decision)"
r=$(call pj_member GET "/api/v1/work-items/$ITEM")
expect_eq "history kept" 2 "$(body "$r" | jq '.reports | length')"
expect_match "light" '^"(green|yellow)"$' "$(body "$r" | jq .light)"

# 4. The audit log shows every step, with who did it.
log=$("$BIN" audit list --limit 60)
for action in assignment.set work_plan.create work_item.add work_plan.submit work_plan.approve report.submit report.review; do
  expect_match "audit $action" "$action" "$log"
done
expect_match "audit names the clerk" "user:pj_member +report.submit" "$log"
expect_match "chain intact" intact "$("$BIN" audit verify)"
finish
