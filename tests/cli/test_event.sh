# duikou event list: the events of every pairing or one, a table or the API's JSON shape
# ({"events":[…]} as GET /api/v1/events gives it), filtered by year; bad options refused; a
# list only reads (no anchor, no key needed).
. "$(dirname "$0")/lib.sh"

"$BIN" init >/dev/null 2>&1
"$BIN" import "$SEED" >/dev/null 2>&1
expect_match "none yet" "no events yet" "$("$BIN" event list)"

unit=$("$BIN" unit add --pairing 1 --side 0 --name 盤錦市人民政府 --kind city --tier execution |
  sed -n 's/^unit \([0-9]*\):.*/\1/p')
# rows as the service writes them (the command line has no event create)
t="'2026-08-01T00:00:00.000Z'"
sql "INSERT INTO event (id, pairing_id, kind, title, host_side, host_region_id, starts, ends, year, capacity, public, created_at, updated_at) VALUES
  (1, 1, 'docking', '辽宁行·沈阳装备制造对接会', 0, (SELECT id FROM region WHERE code = '210100'), '2026-09-10T09:00', '2026-09-10T17:00', 2026, 60, 1, $t, $t),
  (2, 1, 'forum', '苏州产业合作论坛', 1, NULL, '2027-03-01T09:00', '2027-03-02T12:00', 2027, NULL, 0, $t, $t),
  (3, 13, 'training', '沪连干部培训班', 0, NULL, '2026-10-01T09:00', '2026-10-05T17:00', 2026, 40, 0, $t, $t);
  INSERT INTO event_theme (event_id, industry, section) VALUES (1, '35', 'C');
  INSERT INTO registration (event_id, number, unit_id, side, status, queued_at, created_at, updated_at, checked_in_at) VALUES
  (1, 1, $unit, 0, 'registered', $t, $t, $t, $t)"

out=$("$BIN" event list)
expect_eq "every pairing's" "3" "$(printf '%s\n' "$out" | grep -c '^ *[0-9]')"
expect_match "a row: kind, title, host city, seats and check-ins" \
  "docking +辽宁行·沈阳装备制造对接会 .*side 0 沈阳市; 报名 1/60, 候补 0, 签到 1; 公开" "$out"
expect_match "two days: both dates" "2027-03-01T09:00–2027-03-02T12:00" "$out"
expect_match "one day: the end's time" "2026-09-10T09:00–17:00" "$out"
expect_match "the latest first" "^ *2 " "$(printf '%s\n' "$out" | head -1)"

json=$("$BIN" event list --pairing 1 --json)
count_keys() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const e=JSON.parse(s).events;'"$1"'})'; }
expect_eq "one pairing's" "2,true" "$(printf '%s' "$json" | count_keys 'console.log(e.length+","+e.every(x=>x.pairing_id===1))')"
expect_eq "the API's fields" "ok" "$(printf '%s' "$json" | count_keys 'const k=["id","kind","title","starts","ends","host_side","host_region_code","capacity","registered","attended","public","themes","units","cities","waiting","state","past","updated_at"];console.log(e.every(x=>k.every(y=>y in x))?"ok":"missing "+k.filter(y=>!(y in e[0])))')"
expect_eq "counts and capacity" "1,1,60,true,35" "$(printf '%s' "$json" | count_keys 'const x=e.find(v=>v.id===1);console.log([x.registered,x.attended,x.capacity,x.public,x.themes[0].code].join())')"
expect_eq "no limit is null" "null" "$(printf '%s' "$json" | count_keys 'console.log(JSON.stringify(e.find(v=>v.id===2).capacity))')"
expect_eq "a year" "2" "$("$BIN" event list --year 2027 --json | count_keys 'console.log(e.map(v=>v.id).join())')"
expect_match "another pairing" "沪连干部培训班" "$("$BIN" event list --pairing 13)"
expect_match "none that year" "no events yet" "$("$BIN" event list --year 2030)"

expect_fail "a bad pairing id" "$BIN" event list --pairing x
expect_fail "a bad year" "$BIN" event list --year 1999
expect_fail "no subcommand" "$BIN" event
expect_fail "an extra argument" "$BIN" event list 1

# a list only reads: no anchor after it, and a keyed log is read without its key
lines=$(wc -l <"$DUIKOU_DB.audit-anchors")
"$BIN" event list >/dev/null
expect_eq "no anchor" "$lines" "$(wc -l <"$DUIKOU_DB.audit-anchors")"
mv "$DUIKOU_DB.audit-key" "$WORK/key"
expect_match "no key needed" "辽宁行" "$("$BIN" event list)"
finish
