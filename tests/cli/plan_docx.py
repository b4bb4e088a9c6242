#!/usr/bin/python3
"""Writes a plan text as a .docx the way Word saves a plan typed with automatic numbering:
the numbers 一、 （一） 1. are taken out of the text and put into w:numPr lists
(word/numbering.xml), the runs are split, a footnote is added, and every page has a running
title and a "— N —" page number. A typed number Word would not produce (a gap, a wrapped line
starting with digits) stays in the text.

usage: plan_docx.py TEXT OUT.docx          the plan
       plan_docx.py --empty OUT.docx       a document with paragraphs but no text
"""
import re
import sys
import zipfile
from xml.sax.saxutils import escape

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CN = "〇一二三四五六七八九"


def cn_value(s):
    """一 … 九十九 as an int, or None."""
    if not s or any(c not in CN + "十" for c in s):
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (CN.index(tens) if tens else 1) * 10 + (CN.index(ones) if ones else 0)
    return CN.index(s) if len(s) == 1 else None


def run(text):
    return '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % escape(text)


def runs(text):
    # Word splits a paragraph into runs wherever formatting or editing happened.
    return "".join(run(text[i:i + 17]) for i in range(0, len(text), 17))


def para(text, num=None, footnote=False):
    ppr = '<w:pPr><w:jc w:val="both"/>'
    if num:
        ppr += '<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr>' % (num[1], num[0])
    elif text:
        ppr += '<w:ind w:firstLineChars="200" w:firstLine="480"/>'
    ppr += '</w:pPr>'
    body = runs(text)
    if footnote:  # a footnote mark after the heading: its note is not plan text
        body += '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>' \
                '<w:footnoteReference w:id="1"/></w:r>'
    return '<w:p>%s%s</w:p>' % (ppr, body)


def paragraphs(lines):
    """Each line as (text, (numId, ilvl) or None). Lists restart with each plan (一、 again)."""
    out = []
    plan = 0
    l0 = l1 = task = 0
    footnote_done = False
    for line in lines:
        text, num = line, None
        m0 = re.match(r"^([一二三四五六七八九十]+)、(.*)$", line)
        m1 = re.match(r"^\(([一二三四五六七八九十]+)\)(.*)$", line)
        mt = re.match(r"^(\d{1,3})\.(?!\d)(.*)$", line)
        if m0 and cn_value(m0.group(1)) == 1:
            plan += 1
            l0 = l1 = task = 0
        sections, tasks = 2 * plan - 1, 2 * plan  # numIds of this plan's two lists
        if plan and m0 and cn_value(m0.group(1)) == l0 + 1:
            l0, l1 = l0 + 1, 0
            text, num = m0.group(2), (sections, 0)
        elif plan and m1 and cn_value(m1.group(1)) == l1 + 1:
            l1 += 1
            text, num = m1.group(2), (sections, 1)
        elif plan and mt and int(mt.group(1)) == task + 1:
            task += 1
            text, num = mt.group(2), (tasks, 0)
        foot = bool(num) and num[1] == 0 and num[0] == tasks and not footnote_done
        footnote_done |= foot
        out.append(para(text, num, foot))
    return out, plan


def numbering(plans):
    abstract = (
        '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/></w:lvl>'
        '</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>')
    nums = ""
    for p in range(1, plans + 1):
        for k, ab in ((2 * p - 1, 0), (2 * p, 1)):
            nums += ('<w:num w:numId="%d"><w:abstractNumId w:val="%d"/>'
                     '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                     '</w:num>') % (k, ab)
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' \
           '<w:numbering %s>%s%s</w:numbering>' % (W, abstract, nums)


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles %s>'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Noto Serif CJK SC" '
    'w:eastAsia="Noto Serif CJK SC" w:hAnsi="Noto Serif CJK SC"/><w:sz w:val="24"/>'
    '<w:lang w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    '</w:style></w:styles>') % W

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '</Types>')

ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '</Relationships>')

REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="%snumbering" Target="numbering.xml"/>'
    '<Relationship Id="rId2" Type="%sstyles" Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="%sfootnotes" Target="footnotes.xml"/>'
    '<Relationship Id="rId4" Type="%sheader" Target="header1.xml"/>'
    '<Relationship Id="rId5" Type="%sfooter" Target="footer1.xml"/>'
    '</Relationships>') % ((REL,) * 5)

FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes %s>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>注:此为脚注,不是任务。</w:t></w:r></w:p></w:footnote>'
    '</w:footnotes>') % W

HEADER = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr %s><w:p><w:pPr>'
          '<w:jc w:val="center"/></w:pPr>%s</w:p></w:hdr>') % (W, run("东北地区与东部地区对口合作文件汇编"))

FOOTER = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr %s><w:p><w:pPr>'
          '<w:jc w:val="center"/></w:pPr>%s<w:fldSimple w:instr=" PAGE ">%s</w:fldSimple>%s'
          '</w:p></w:ftr>') % (W, run("— "), run("1"), run(" —"))

SECT = ('<w:sectPr><w:headerReference w:type="default" r:id="rId4"/>'
        '<w:footerReference w:type="default" r:id="rId5"/>'
        '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" '
        'w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>')


def write(out, body, plans):
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document %s><w:body>%s%s</w:body></w:document>') % (W, "".join(body), SECT)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("word/_rels/document.xml.rels", DOC_RELS)
        z.writestr("word/document.xml", doc)
        z.writestr("word/numbering.xml", numbering(max(plans, 1)))
        z.writestr("word/styles.xml", STYLES)
        z.writestr("word/footnotes.xml", FOOTNOTES)
        z.writestr("word/header1.xml", HEADER)
        z.writestr("word/footer1.xml", FOOTER)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--empty":
        write(sys.argv[2], [para("") for _ in range(5)], 0)
        return
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = [l.rstrip("\r\n") for l in f]
    body, plans = paragraphs(lines)
    write(sys.argv[2], body, plans)


main()
