# duikou evaluation list|create|open|show on the demo organisation: this year's evaluation of
# the first pairing (the demo's, or one made here when the demo has none) shown as text and
# as the API's JSON with its scores, the two agreeing; last year's closed one frozen; create
# and open for the year after, refused twice; exit codes 1 and 2.
. "$(dirname "$0")/lib.sh"

"$BIN" import "$SEED" >/dev/null 2>&1
"$BIN" demo >/dev/null 2>&1
# this year in the plans' time zone (UTC+8; POSIX writes the offset reversed)
YEAR=$(TZ=UTC-8 date +%Y)
NEXT=$((YEAR + 1))
# reads stdin as JSON and prints what the expression $1 (over o) gives
jsonq() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const o=JSON.parse(s);const v=('"$1"');console.log(typeof v==="string"?v:JSON.stringify(v))})'; }
# exit status of a command, its output dropped
status() { local rc=0; "$@" >/dev/null 2>&1 || rc=$?; echo "$rc"; }

id=$(sql "SELECT id FROM evaluation WHERE pairing_id = 1 AND year = $YEAR")
if [ -z "$id" ]; then # a demo without evaluations: make this year's here
  id=$("$BIN" evaluation create 1 "$YEAR" | sed -n 's/^evaluation \([0-9]*\):.*/\1/p')
  "$BIN" evaluation open "$id" >/dev/null
fi
expect_match "this year's evaluation" "^[0-9]+$" "$id"

# list: every evaluation of the pairing, newest year first
list=$("$BIN" evaluation list 1)
expect_eq "every evaluation listed" "$(sql "SELECT count(*) FROM evaluation WHERE pairing_id = 1")" \
  "$(printf '%s\n' "$list" | grep -c .)"
expect_match "this year's line" "^ +$id +$YEAR +open +遼寧省: (self|opinion|final), 江蘇省: (self|opinion|final)" "$list"
expect_eq "a city pairing names its province pairing" "$list" "$("$BIN" evaluation list 3)"

# show: the text
text=$("$BIN" evaluation show "$id")
expect_match "the pairing, year, state" "^evaluation $id: 遼寧省–江蘇省 \(pairing 1\), $YEAR, open" "$text"
expect_match "indicators with weights" "^ +20 +items_done +items_done +工作事项完成率" "$text"
expect_match "a computed events indicator" "^ +5 +events +events_target " "$text"
expect_match "a hand indicator" "^ +5 +organisation +hand " "$text"
expect_match "side 0's stage" "^  0  遼寧省: (self|opinion|final)" "$text"
expect_match "side 1's stage" "^  1  江蘇省: (self|opinion|final)" "$text"
expect_match "live figures" "^scores as of $YEAR-[0-9]{2}-[0-9]{2} \(live\)" "$text"
expect_match "the units' ranking" "^units:" "$text"
expect_match "the city pairings' ranking" "^city pairings:" "$text"

# show --json: the API's object and the scores
json=$("$BIN" evaluation show "$id" --json)
expect_eq "the API's fields" \
  '["closed_at","commended","created_at","id","indicators","opened_at","pairing","pairing_id","scores","sides","state","steps","updated_at","year"]' \
  "$(printf '%s' "$json" | jsonq 'Object.keys(o).sort()')"
expect_eq "the scores' fields, in order" '["as_of","frozen","sides","scores","cities"]' \
  "$(printf '%s' "$json" | jsonq 'Object.keys(o.scores)')"
expect_eq "weights sum to 100" "100" "$(printf '%s' "$json" | jsonq 'o.indicators.reduce((s,x)=>s+x.weight,0)')"
expect_eq "id, year, state" "$id $YEAR open" "$(printf '%s' "$json" | jsonq '`${o.id} ${o.year} ${o.state}`')"
expect_eq "both sides, each with its stage" "$(sql "SELECT group_concat(stage, ',') FROM (SELECT stage FROM evaluation_side WHERE evaluation_id = $id ORDER BY side)")" \
  "$(printf '%s' "$json" | jsonq 'o.sides.map(s=>s.stage).join(",")')"
expect_eq "the command line reads every side's texts" "true,true" \
  "$(printf '%s' "$json" | jsonq 'o.sides.map(s=>s.self_visible).join(",")')"
expect_eq "the history as stored" "$(sql "SELECT count(*) FROM evaluation_step WHERE evaluation_id = $id")" \
  "$(printf '%s' "$json" | jsonq 'o.steps.length')"
expect_eq "units best first, ranked" "ok" \
  "$(printf '%s' "$json" | jsonq 'o.scores.scores.every((u,i,a)=>i===0||(a[i-1].score>=u.score&&a[i-1].rank<=u.rank))?"ok":"unordered"')"
expect_eq "every indicator of every unit" "ok" \
  "$(printf '%s' "$json" | jsonq 'o.scores.scores.every(u=>u.indicators.length===o.indicators.length)?"ok":"short"')"
expect_eq "live" "false" "$(printf '%s' "$json" | jsonq 'o.scores.frozen')"
# the text ranks as the JSON does: the first unit and the first city pairing
first=$(printf '%s' "$json" | jsonq 'o.scores.scores.length?o.scores.scores[0].rank+" "+o.scores.scores[0].score.toFixed(2)+" "+o.scores.scores[0].name:"none"')
if [ "$first" != "none" ]; then
  expect_match "the first unit in the text" "^ +$(printf '%s' "$first" | sed 's/ /  +/; s/ \([^ ]*\)$/  \1/')" "$text"
fi
expect_eq "every unit in the text" "$(printf '%s' "$json" | jsonq 'o.scores.scores.length')" \
  "$(printf '%s\n' "$text" | sed -n '/^units:/,/^city pairings:/p' | grep -cE '^ +[0-9]+ +[0-9]+\.[0-9]{2}  ')"
expect_eq "every city pairing in the text" "$(printf '%s' "$json" | jsonq 'o.scores.cities.length')" \
  "$(printf '%s\n' "$text" | sed -n '/^city pairings:/,$p' | grep -cE '^ +[0-9]+ +[0-9]+\.[0-9]{2}  ')"

# last year's, when the demo closed one: frozen figures
last=$(sql "SELECT id FROM evaluation WHERE pairing_id = 1 AND state = 'closed' ORDER BY year DESC LIMIT 1")
if [ -n "$last" ]; then
  expect_eq "a closed evaluation's figures are frozen" "closed true" \
    "$(printf '%s' "$("$BIN" evaluation show "$last" --json)" | jsonq '`${o.state} ${o.scores.frozen}`')"
  expect_match "frozen in the text" "^scores as of [0-9-]+ \(frozen\)" "$("$BIN" evaluation show "$last")"
fi

# create and open the year after; twice is refused
out=$("$BIN" evaluation create 1 "$NEXT")
expect_match "created as a draft" "^evaluation [0-9]+: pairing 1, $NEXT, draft" "$out"
next=$(printf '%s' "$out" | sed -n 's/^evaluation \([0-9]*\):.*/\1/p')
expect_eq "stored with the default indicators" "10" "$(sql "SELECT count(*) FROM evaluation_indicator WHERE evaluation_id = $next")"
expect_match "a draft in the list" "^ +$next +$NEXT +draft " "$("$BIN" evaluation list 1)"
expect_eq "the same year twice" "1" "$(status "$BIN" evaluation create 1 "$NEXT")"
expect_match "says why" "evaluation create: .*has an evaluation" "$("$BIN" evaluation create 1 "$NEXT" 2>&1 || true)"
expect_match "in English when asked" "Work items completed" "$("$BIN" evaluation create 13 "$NEXT" --lang en >/dev/null && "$BIN" evaluation show "$(sql "SELECT id FROM evaluation WHERE pairing_id = 13 AND year = $NEXT")")"
expect_match "opened" "^evaluation $next: open" "$("$BIN" evaluation open "$next")"
expect_eq "open twice" "1" "$(status "$BIN" evaluation open "$next")"
expect_eq "audited" "1 1" "$(sql "SELECT (SELECT count(*) FROM audit WHERE action = 'evaluation.create' AND entity_id = $next) || ' ' || (SELECT count(*) FROM audit WHERE action = 'evaluation.open' AND entity_id = $next)")"

# refusals and exit codes: 1 the command failed, 2 bad usage
expect_eq "a year out of range" "1" "$(status "$BIN" evaluation create 1 1999)"
expect_eq "no such pairing" "1" "$(status "$BIN" evaluation create 999 "$NEXT")"
expect_eq "no such evaluation" "1" "$(status "$BIN" evaluation show 99999)"
expect_eq "no such pairing to list" "1" "$(status "$BIN" evaluation list 999)"
expect_eq "a bad id" "2" "$(status "$BIN" evaluation show x)"
expect_eq "no subcommand" "2" "$(status "$BIN" evaluation)"
expect_eq "an unknown subcommand" "2" "$(status "$BIN" evaluation close 1)"
expect_eq "a bad language" "1" "$(status "$BIN" evaluation create 1 2099 --lang xx)"
expect_match "listed in --help" "evaluation list PAIRING" "$("$BIN" --help)"
expect_match "audit intact" "intact" "$("$BIN" audit verify)"
finish
