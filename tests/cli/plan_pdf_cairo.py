#!/usr/bin/python3
"""A second PDF producer beside LibreOffice: lays a plan text out with Pango and writes it with
cairo (python3-gi-cairo, gir1.2-pango-1.0), as a typesetting tool would: A4 pages, a running
title on top, "- N -" at the bottom, paragraphs that run over page breaks, and a space set
between digits or Latin and Chinese ("到 2020 年", Word's "adjust space between Asian and
Latin text" written out).

usage: plan_pdf_cairo.py TEXT OUT.pdf     the plan
       plan_pdf_cairo.py --scan OUT.pdf   two pages holding only an image (a scan): no text
"""
import random
import re
import sys

import cairo
import gi

gi.require_version("Pango", "1.0")
gi.require_version("PangoCairo", "1.0")
from gi.repository import Pango, PangoCairo  # noqa: E402

PAGE_W, PAGE_H, MARGIN = 595, 842, 72
FONT = "Noto Serif CJK SC 11"
HEADER = "东北地区与东部地区对口合作文件汇编"


def spaced(text):
    cjk = r"[\u3400-\u9fff]"
    text = re.sub(r"(%s)([0-9A-Za-z])" % cjk, r"\1 \2", text)
    return re.sub(r"([0-9A-Za-z])(%s)" % cjk, r"\1 \2", text)


def scan(out):
    surface = cairo.PDFSurface(out, PAGE_W, PAGE_H)
    cr = cairo.Context(surface)
    rnd = random.Random(14)
    for _ in range(2):
        img = cairo.ImageSurface(cairo.FORMAT_RGB24, 200, 280)
        ic = cairo.Context(img)
        ic.set_source_rgb(1, 1, 1)
        ic.paint()
        ic.set_source_rgb(0, 0, 0)
        for y in range(20, 260, 12):  # lines of "print": grey blobs, as a scanner sees them
            for x in range(20, 180, 6):
                if rnd.random() < 0.7:
                    ic.rectangle(x, y, 4, 7)
        ic.fill()
        cr.save()
        cr.scale(PAGE_W / 200, PAGE_H / 280)
        cr.set_source_surface(img, 0, 0)
        cr.paint()
        cr.restore()
        cr.show_page()
    surface.finish()


def plan(text_path, out):
    with open(text_path, encoding="utf-8") as f:
        paras = [spaced(l.rstrip("\r\n")) for l in f]
    surface = cairo.PDFSurface(out, PAGE_W, PAGE_H)
    cr = cairo.Context(surface)
    font = Pango.FontDescription.from_string(FONT)
    width = PAGE_W - 2 * MARGIN
    page = [1]
    y = [MARGIN]

    def small(text, ypos):
        lay = PangoCairo.create_layout(cr)
        lay.set_font_description(Pango.FontDescription.from_string("Noto Serif CJK SC 9"))
        lay.set_width(width * Pango.SCALE)
        lay.set_alignment(Pango.Alignment.CENTER)
        lay.set_text(text, -1)
        cr.move_to(MARGIN, ypos)
        PangoCairo.show_layout(cr, lay)

    def decorate():
        small(HEADER, MARGIN - 36)
        small("- %d -" % page[0], PAGE_H - MARGIN + 20)

    decorate()
    for text in paras:
        lay = PangoCairo.create_layout(cr)
        lay.set_font_description(font)
        lay.set_width(width * Pango.SCALE)
        lay.set_wrap(Pango.WrapMode.WORD_CHAR)
        lay.set_text(text or " ", -1)
        it = lay.get_iter()
        while True:
            ink, logical = it.get_line_extents()
            h = logical.height / Pango.SCALE
            if y[0] + h > PAGE_H - MARGIN:  # the paragraph runs on over the page break
                cr.show_page()
                page[0] += 1
                y[0] = MARGIN
                decorate()
            baseline = it.get_baseline() / Pango.SCALE - logical.y / Pango.SCALE
            cr.move_to(MARGIN + logical.x / Pango.SCALE, y[0] + baseline)
            PangoCairo.show_layout_line(cr, it.get_line_readonly())
            y[0] += h + 3
            if not it.next_line():
                break
        y[0] += 4
    cr.show_page()
    surface.finish()


if len(sys.argv) == 3 and sys.argv[1] == "--scan":
    scan(sys.argv[2])
elif len(sys.argv) == 3:
    plan(sys.argv[1], sys.argv[2])
else:
    sys.exit(__doc__)
