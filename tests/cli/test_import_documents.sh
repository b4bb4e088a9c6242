# duikou parse / import of plans as they arrive: a .docx with Word's automatic numbering and
# PDFs made from it by LibreOffice and by a second producer (Pango + cairo), in Traditional (the
# seed) and Simplified script, give the same structure as the text; documents that cannot be
# read (no text, a scan, a password, a ZIP bomb, XXE, a spreadsheet, an old .doc) are refused
# with a clear message and nothing is imported. The documents are built here from the seed.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
HERE="$SRC/tests/cli"

# What must come out the same: areas, task numbers and titles, pairings, targets, safeguards.
# Spaces inside a target's phrase are the layout's (1 —2 and 1—2 are one target).
STRUCT='[.plans[] | {title, pairing, target_year,
  areas: [.areas[] | {marker, title, tasks: [.tasks[] | {number, title}]}],
  pairings: [.pairings[] | {task, kind, a, b, theme}],
  targets: [.targets[] | {task, text: (.text | gsub(" "; "")), min, max, unit, per, year}],
  safeguards: [.safeguards[] | {marker, title}]}]'
structure() { "$BIN" parse "$1" --json | jq -S "$STRUCT"; }

cp "$SEED" "$WORK/plan-hant.txt"
opencc -c t2s.json -i "$SEED" -o "$WORK/plan-hans.txt"
for script in hant hans; do
  txt="$WORK/plan-$script.txt"
  $PY "$HERE/plan_docx.py" "$txt" "$WORK/plan-$script.docx"
  # LibreOffice with a profile of its own (a user's running office is not disturbed)
  soffice -env:UserInstallation="file://$WORK/lo-profile" --headless --convert-to pdf \
    --outdir "$WORK" "$WORK/plan-$script.docx" >/dev/null 2>&1
  mv "$WORK/plan-$script.pdf" "$WORK/plan-$script-lo.pdf"
  $PY "$HERE/plan_pdf_cairo.py" "$txt" "$WORK/plan-$script-cairo.pdf"
  want=$(structure "$txt")
  expect_eq "$script: text has both plans" 2 "$(printf '%s' "$want" | jq length)"
  for doc in "plan-$script.docx" "plan-$script-lo.pdf" "plan-$script-cairo.pdf"; do
    [ -s "$WORK/$doc" ] || { fail "$doc was not made"; continue; }
    got=$(structure "$WORK/$doc")
    if [ "$got" = "$want" ]; then pass; else
      fail "$doc: structure differs from the text"; diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -20 >&2
    fi
    # told by content: the same file under a misleading name reads the same
    cp "$WORK/$doc" "$WORK/renamed.txt"
    expect_eq "$doc renamed" "$got" "$(structure "$WORK/renamed.txt")"
  done
done

# the numbers were Word's, not typed: the .docx body holds no "1." and no "一、" of its own
$PY -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode())' \
  "$WORK/plan-hant.docx" > "$WORK/document.xml"
if grep -q '>1\.深化' "$WORK/document.xml" || grep -q '>一、指' "$WORK/document.xml"; then
  fail "the generated .docx still types its numbers"; else pass; fi
expect_match "numbering list used" '<w:numId w:val="2"/>' "$(cat "$WORK/document.xml")"

json=$("$BIN" parse "$WORK/plan-hant.docx" --json)
expect_eq "format docx" docx "$(printf '%s' "$json" | jq -r .format)"
expect_eq "LJ tasks from docx" 24 "$(printf '%s' "$json" | jq '[.plans[0].areas[].tasks[]] | length')"
expect_eq "SD tasks from docx" 27 "$(printf '%s' "$json" | jq '[.plans[1].areas[].tasks[]] | length')"
# warnings point into the document: a paragraph of the .docx, a page of the PDF
expect_match "docx warning has its paragraph" '^[0-9]+$' \
  "$(printf '%s' "$json" | jq '[.plans[0].warnings[] | select(.code == "damaged_text")][0].paragraph')"
pdfjson=$("$BIN" parse "$WORK/plan-hant-lo.pdf" --json)
expect_eq "format pdf" pdf "$(printf '%s' "$pdfjson" | jq -r .format)"
expect_eq "first damaged task is on page 2" 2 \
  "$(printf '%s' "$pdfjson" | jq '[.plans[0].warnings[] | select(.code == "damaged_text")][0].page')"
expect_match "CLI names the page" "warning: page [0-9]+: task 1: damaged text" \
  "$("$BIN" parse "$WORK/plan-hant-cairo.pdf")"
# the running title and the page numbers are gone, the spaces beside digits too
expect_eq "no running title" 0 "$(printf '%s' "$pdfjson" | jq '[.. | strings | select(test("文件汇编"))] | length')"
cairojson=$("$BIN" parse "$WORK/plan-hans-cairo.pdf" --json)
expect_match "spaces beside digits removed" "^到2020年" "$(printf '%s' "$cairojson" | jq -r .plans[0].goals)"

# import: the .docx is stored with the structure of the text
out=$("$BIN" import "$WORK/plan-hant.docx" 2>/dev/null)
expect_match "docx imported" "遼寧省與江蘇省對口合作實施方案: new, plan 1 version 1: 5 key areas, 24 tasks" "$out"
expect_match "docx second plan" "上海市與大連市對口合作實施方案: new, plan 2 version 1: 6 key areas, 27 tasks" "$out"
counts() { sql "SELECT (SELECT count(*) FROM plan)||','||(SELECT count(*) FROM task)||','||(SELECT count(*) FROM pairing)||','||(SELECT count(*) FROM target)||','||(SELECT count(*) FROM audit)"; }
expect_eq "rows after docx import" "2,51,16,5" "$(counts | cut -d, -f1-4)"
out=$("$BIN" import "$WORK/plan-hant.docx" 2>/dev/null)
expect_match "docx again: unchanged" "unchanged, plan 1 version 1" "$out"

# bad documents: a clear message, a failing exit, nothing stored
before=$(counts)
bad() { # bad WHAT FILE PATTERN
  local err
  if err=$("$BIN" import "$2" 2>&1); then fail "$1: imported"; return; fi
  expect_match "$1" "$3" "$err"
  err=$("$BIN" parse "$2" --json || true)
  expect_eq "$1: parse --json not ok" false "$(printf '%s' "$err" | jq .ok)"
}
$PY "$HERE/plan_docx.py" --empty "$WORK/empty.docx"
bad "docx without text" "$WORK/empty.docx" "the document has no text"
$PY "$HERE/plan_pdf_cairo.py" --scan "$WORK/scan.pdf"
bad "scanned PDF" "$WORK/scan.pdf" "this PDF has no text; it was probably scanned"
qpdf --encrypt secret owner 256 -- "$WORK/plan-hant-lo.pdf" "$WORK/locked.pdf"
bad "encrypted PDF" "$WORK/locked.pdf" "protected by a password"
head -c 3000 "$WORK/plan-hant-lo.pdf" > "$WORK/cut.pdf"
bad "damaged PDF" "$WORK/cut.pdf" "not a readable PDF"
$PY - "$WORK" <<'EOF'
import sys, zipfile
w = sys.argv[1]
doc = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>'
with zipfile.ZipFile(w + "/bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:  # 40 MB of spaces in ~40 KB
    z.writestr("word/document.xml", doc % (" " * (40 << 20)))
with zipfile.ZipFile(w + "/xxe.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               + doc % "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>")
with zipfile.ZipFile(w + "/sheet.docx", "w") as z:
    z.writestr("xl/workbook.xml", "<workbook/>")
EOF
bad "ZIP bomb" "$WORK/bomb.docx" "inflates to more than is allowed"
bad "XXE" "$WORK/xxe.docx" "carries a DTD"
bad "a spreadsheet named .docx" "$WORK/sheet.docx" "spreadsheet"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1%0512d' 0 > "$WORK/old.docx"
bad "an old .doc" "$WORK/old.docx" "old binary Office format"
expect_eq "nothing imported by bad documents" "$before" "$(counts)"

finish
