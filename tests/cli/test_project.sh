# duikou project list|show|threshold on the demo organisation: the API's JSON shape, every
# project of the demo in it, a project's history; the major-project threshold shown, set
# (audited) and bad values refused.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
"$BIN" demo >/dev/null 2>&1

json=$("$BIN" project list --json)
expect_eq "every project listed" "$(sql "SELECT count(*) FROM project")" \
  "$(printf '%s' "$json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).projects.length))')"
expect_eq "the API's fields" "ok" \
  "$(printf '%s' "$json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).projects[0];const k=["id","name","pairing_id","city_pairing_id","stage","industry","region_code","invest_planned_yuan","invest_contracted_yuan","invest_paid_yuan","major","public","partners","task_ids"];console.log(k.every(x=>x in p)?"ok":"missing "+k.filter(x=>!(x in p)))})')"
expect_match "one pairing's" "^\{" "$("$BIN" project list --pairing 13 --json)"
expect_fail "a bad pairing id" "$BIN" project list --pairing x
id=$(sql "SELECT id FROM project WHERE stage = 'stopped' LIMIT 1")
out=$("$BIN" project show "$id")
expect_match "a stopped project's reason in its history" "stopped: " "$out"
expect_fail "no such project" "$BIN" project show 99999

expect_match "the default threshold" "from 10,000 万元" "$("$BIN" project threshold 1)"
expect_match "set in 万元" "from 5,000.5 万元" "$("$BIN" project threshold 1 5,000.5)"
expect_eq "stored in yuan" "50005000" "$(sql "SELECT major_project_yuan FROM pairing WHERE id = 1")"
expect_eq "audited" "1" "$(sql "SELECT count(*) FROM audit WHERE action = 'pairing.major_threshold' AND entity_id = 1")"
expect_fail "a city pairing" "$BIN" project threshold 2 5
expect_fail "negative" "$BIN" project threshold 1 -5
expect_fail "five decimals" "$BIN" project threshold 1 1.00001
expect_match "audit intact" "intact" "$("$BIN" audit verify)"
finish
