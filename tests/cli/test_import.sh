# duikou parse / import / plans / plan show: the seed end to end, idempotence, revisions,
# and refusals that leave the database as it was.
. "$(dirname "$0")/lib.sh"

# parse prints both plans without a database
json=$("$BIN" parse "$SEED" --json)
expect_eq "plans in parse" 2 "$(printf '%s' "$json" | jq '.plans | length')"
expect_eq "LJ tasks" 24 "$(printf '%s' "$json" | jq '[.plans[0].areas[].tasks[]] | length')"
expect_eq "SD tasks" 27 "$(printf '%s' "$json" | jq '[.plans[1].areas[].tasks[]] | length')"
expect_eq "LJ pairings" 11 "$(printf '%s' "$json" | jq '.plans[0].pairings | length')"
expect_eq "SD pairings" 3 "$(printf '%s' "$json" | jq '.plans[1].pairings | length')"
expect_eq "pairing field" '["遼寧省","江蘇省"]' "$(printf '%s' "$json" | jq -c '.plans[0].pairing')"
expect_eq "target" 50 "$(printf '%s' "$json" | jq '[.plans[0].targets[] | select(.text == "不少于50家企業")][0].min')"
[ ! -e "$DUIKOU_DB" ] && pass || fail "parse created a database"

# import, then the same text again: nothing changes
out=$("$BIN" import "$SEED" 2>/dev/null)
expect_match "first import" "遼寧省與江蘇省對口合作實施方案: new, plan 1 version 1: 5 key areas, 24 tasks" "$out"
counts() { sql "SELECT (SELECT count(*) FROM plan)||','||(SELECT count(*) FROM task)||','||(SELECT count(*) FROM pairing)||','||(SELECT count(*) FROM target)||','||(SELECT count(*) FROM audit)"; }
before=$(counts)
expect_eq "rows after import" "2,51,16,5" "${before%,*}"
out=$("$BIN" import "$SEED" 2>/dev/null)
expect_match "second import" "unchanged, plan 1 version 1" "$out"
expect_eq "rows after re-import" "$before" "$(counts)"

# the Simplified text of the same plans is the same pairings, a new version of each plan
opencc -c t2s -i "$SEED" -o "$WORK/simplified.txt"
out=$("$BIN" import "$WORK/simplified.txt" 2>/dev/null)
expect_match "simplified is a revision" "辽宁省与江苏省对口合作实施方案: revised, plan 3 version 2" "$out"
expect_eq "no duplicate pairings" 16 "$(sql 'SELECT count(*) FROM pairing')"

# a revised text: task 5 retitled, task 24 removed
sed -e 's/^5\.深化智庫合作。/5.深化高端智庫合作。/' -e '/^24\.搭建多層次合作平臺/d' "$SEED" > "$WORK/revised.txt"
out=$("$BIN" import "$WORK/revised.txt" 2>/dev/null)
expect_match "revision reported" "revised, plan 5 version 3" "$out"
expect_match "retitled task" "task 5 title: 深化智(庫|库)合作 → 深化高端智庫合作" "$out"
expect_match "removed task" "task 24 removed: 搭建多(層|层)次合作平(臺|台)" "$out"
expect_eq "history kept" "1,2,3" "$(sql "SELECT group_concat(version) FROM (SELECT version FROM plan WHERE lineage = 1 ORDER BY version)")"
expect_eq "one current" "5" "$(sql "SELECT id FROM plan WHERE lineage = 1 AND status = 'current'")"
out=$("$BIN" plans)
expect_match "plans lists current" "5  遼寧省與江蘇省對口合作實施方案  \(遼寧省–江蘇省, v3, 23 tasks" "$out"
expect_eq "plans --all" 6 "$("$BIN" plans --all --json | jq '.plans | length')"

# plan show
out=$("$BIN" plan show 1)
expect_match "show tasks" "24\. 搭建多層次合作平臺" "$out"
expect_match "show pairing" "task  7  city  盤錦市 – 無錫市: “互聯網\+”產業合作標桿" "$out"
expect_eq "show json tasks" 24 "$("$BIN" plan show 1 --json | jq '[.areas[].tasks[]] | length')"
expect_eq "show json pairings" 11 "$("$BIN" plan show 1 --json | jq '.pairings | length')"
expect_fail "show missing plan" "$BIN" plan show 999
expect_fail "show bad id" "$BIN" plan show abc

# refusals: the database is unchanged
before=$(counts)
: > "$WORK/empty.txt"
expect_fail "empty import" "$BIN" import "$WORK/empty.txt"
head -c 20000 "$SEED" > "$WORK/cut.txt"
expect_fail "truncated import" "$BIN" import "$WORK/cut.txt"
err=$("$BIN" import "$WORK/cut.txt" 2>&1 || true)
expect_match "truncation explained" "cut off" "$err"
printf '\x7fELF\x00\x00\x01' > "$WORK/bin.txt"
err=$("$BIN" import "$WORK/bin.txt" 2>&1 || true)
expect_match "binary explained" "not a text file" "$err"
expect_fail "missing file" "$BIN" import "$WORK/none.txt"
expect_eq "nothing imported by refusals" "$before" "$(counts)"

# region lookup in either script
expect_match "region bare" "^211100 盘锦市" "$("$BIN" region find 盤錦)"
expect_match "region full" "^211100 盘锦市" "$("$BIN" region find 遼寧省盤錦市)"
expect_match "region zone" "金普新区" "$("$BIN" region find 大連金普新區)"
expect_fail "region unknown" "$BIN" region find 不存在的地方

# A title naming a region the gazetteer does not know is refused, nothing stored; with
# --new-region (a zone newer than the gazetteer) it is imported, with no region code; a name
# with markup is refused even then.
before=$(counts)
sed -e '31s/^遼寧省/火星省/' "$SEED" > "$WORK/unknown.txt"
err=$("$BIN" import "$WORK/unknown.txt" 2>&1 || true)
expect_match "unknown region refused" "火星省 is not a region of the gazetteer.*--new-region" "$err"
expect_eq "nothing imported for an unknown region" "$before" "$(counts)"
sed -e '31s/^遼寧省/<b>火星省<\/b>/' "$SEED" > "$WORK/markup.txt"
err=$("$BIN" import --new-region "$WORK/markup.txt" 2>&1 || true)
expect_match "markup refused" "cannot be a region's name" "$err"
expect_eq "nothing imported for markup" "$before" "$(counts)"
out=$("$BIN" import --new-region "$WORK/unknown.txt" 2>&1)
expect_match "new region imported" "火星省與江蘇省對口合作實施方案: new" "$out"
expect_eq "the new pairing has no code for its new side" "1" "$(sql "SELECT count(*) FROM pairing WHERE name_a = '火星省' AND region_a IS NULL AND region_b IS NOT NULL")"

finish
