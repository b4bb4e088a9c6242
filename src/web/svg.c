/* svg: the inline SVG charts of the pages (see svg.h for why they are drawn
 * this way). Output goes through html_printf like every page, so a label from
 * the database is escaped in the attribute and in <title>. */
#include "web/svg.h"

#include <stdio.h>
#include <string.h>

#include "core/sb.h"
#include "core/utf8.h"
#include "web/html.h"

enum { SVG_MIN_NUMBER_WIDTH = 18 }; /* narrower parts show no number */

/* Four lightnesses apart by 34 or more of 255 in greyscale (0.299 R + 0.587 G + 0.114 B:
 * red 54, green 88, done 151, yellow 191), so a bar printed in black and white still tells
 * the lights apart; red is also hatched (svg_stacked_bar), and the numbers are text. */
static const char *const light_fills[LIGHT_N] = {
    [LIGHT_GREEN] = "#217a36",
    [LIGHT_YELLOW] = "#f5c518",
    [LIGHT_RED] = "#8b0f1f",
    [LIGHT_DONE] = "#5aa7e8",
};

/* The ink for text on fill: white on dark fills, near-black on light ones. */
static const char *ink_on(const char *fill) {
  unsigned rgb = 0;
  if (!fill || fill[0] != '#' || sscanf(fill + 1, "%6x", &rgb) != 1)
    return "#ffffff";
  unsigned grey = (299 * (rgb >> 16) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000;
  return grey > 128 ? "#1f2328" : "#ffffff";
}

const char *svg_light_fill(enum light l) {
  return (unsigned)l < LIGHT_N ? light_fills[l] : light_fills[LIGHT_GREEN];
}

void svg_swatch(struct sb *b, const char *fill) {
  html_printf(b,
              "<svg class=\"swatch\" width=\"12\" height=\"12\" "
              "viewBox=\"0 0 12 12\" aria-hidden=\"true\" focusable=\"false\">"
              "<rect width=\"12\" height=\"12\" fill=\"%h\"/></svg>",
              fill);
}

void svg_stacked_bar(struct sb *b, const char *cls, const struct svg_part *parts,
                     size_t n, int width, int height, const char *label,
                     bool numbers) {
  int64_t total = 0;
  for (size_t i = 0; i < n; i++)
    total += parts[i].value > 0 ? parts[i].value : 0;
  html_printf(b,
              "<svg class=\"%h\" role=\"img\" aria-label=\"%h\" "
              "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
              "xmlns=\"http://www.w3.org/2000/svg\"><title>%h</title>",
              cls, label, width, height, width, height, label);
  html_printf(b,
              "<rect width=\"%d\" height=\"%d\" fill=\"#f6f8fa\" "
              "stroke=\"#d0d7de\"/>",
              width, height);
  int64_t cum = 0;
  int x = 0;
  for (size_t i = 0; total > 0 && i < n; i++) {
    int64_t v = parts[i].value > 0 ? parts[i].value : 0;
    cum += v;
    /* Edges rounded from the running sum: no gap, no overlap, ends at width. */
    int next = (int)((width * cum + total / 2) / total);
    int w = next - x;
    if (w > 0) {
      html_printf(b,
                  "<rect x=\"%d\" width=\"%d\" height=\"%d\" fill=\"%h\"/>",
                  x, w, height, parts[i].fill);
      if (parts[i].hatched) /* 45° white lines every 6 units, cut to the part by hand (a
                               <pattern> would need an id unique in the page) */
        for (int a = x - height; a < x + w; a += 6) {
          int s0 = a < x ? x - a : 0, s1 = x + w - a < height ? x + w - a : height;
          if (s1 > s0)
            html_printf(b,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                        "stroke=\"#ffffff\" stroke-width=\"1.5\" stroke-opacity=\".6\"/>",
                        a + s0, height - s0, a + s1, height - s1);
        }
      if (numbers && w >= SVG_MIN_NUMBER_WIDTH)
        html_printf(b,
                    "<text x=\"%d\" y=\"%d\" fill=\"%h\" "
                    "font-size=\"%d\" font-weight=\"700\" "
                    "text-anchor=\"middle\" dominant-baseline=\"central\">"
                    "%lld</text>",
                    x + w / 2, height / 2, ink_on(parts[i].fill),
                    height * 11 / 20 > 10 ? height * 11 / 20 : 10,
                    (long long)v);
    }
    x = next;
  }
  html_printf(b, "</svg>");
}

void svg_hbars(struct sb *b, const char *cls, const struct svg_bar *bars, size_t n,
               double max, size_t label_max, const char *label) {
  enum { ROW = 22, BAR = 14, NAME_W = 230, BAR_W = 340, WIDTH = 640, FONT = 12 };
  int height = (int)n * ROW + 6;
  html_printf(b,
              "<svg class=\"%h\" role=\"img\" aria-label=\"%h\" "
              "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
              "xmlns=\"http://www.w3.org/2000/svg\"><title>%h</title>",
              cls, label, WIDTH, height, WIDTH, height, label);
  for (size_t i = 0; i < n; i++) {
    int y = (int)i * ROW + 4;
    double v = bars[i].value > 0 ? bars[i].value : 0;
    int w = max > 0 ? (int)(BAR_W * (v < max ? v : max) / max + 0.5) : 0;
    /* the name, cut by code points so a long one keeps clear of its bar */
    const char *name = bars[i].label ? bars[i].label : "";
    size_t len = strlen(name), at = 0, cps = 0;
    while (at < len && cps < label_max) {
      utf8_decode(name, len, &at);
      cps++;
    }
    html_printf(b, "<text x=\"0\" y=\"%d\" font-size=\"%d\" dominant-baseline=\"central\" "
                   "fill=\"#000000\">", y + BAR / 2, FONT);
    html_escape(b, name, at);
    html_printf(b, "%s</text>", at < len ? "…" : "");
    html_printf(b,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f6f8fa\" "
                "stroke=\"#8c959f\"/>",
                NAME_W, y, BAR_W, BAR);
    if (w > 0)
      html_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#0b4f9c\"/>",
                  NAME_W, y, w, BAR);
    html_printf(b,
                "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"700\" "
                "dominant-baseline=\"central\" fill=\"#000000\">%h</text>",
                NAME_W + BAR_W + 6, y + BAR / 2, FONT, bars[i].text);
  }
  html_printf(b, "</svg>");
}

void svg_columns(struct sb *b, const char *cls, const struct svg_column *cols, size_t n,
                 const char *label) {
  enum { COL = 34, BAR = 22, TOP = 14, PLOT = 60, BOTTOM = 16, FONT = 10 };
  int width = (int)(n ? n : 1) * COL + 4, height = TOP + PLOT + BOTTOM;
  html_printf(b,
              "<svg class=\"%h\" role=\"img\" aria-label=\"%h\" "
              "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
              "xmlns=\"http://www.w3.org/2000/svg\"><title>%h</title>",
              cls, label, width, height, width, height, label);
  html_printf(b, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8c959f\"/>",
              TOP + PLOT, width, TOP + PLOT);
  for (size_t i = 0; i < n; i++) {
    double v = cols[i].value < 0 ? 0 : cols[i].value > 100 ? 100 : cols[i].value;
    int h = (int)(PLOT * v / 100 + 0.5), x = (int)i * COL + 2 + (COL - BAR) / 2;
    int y = TOP + PLOT - h;
    if (h > 0) {
      html_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%h\"",
                  x, y, BAR, h, cols[i].fill);
      if (cols[i].faint)
        html_printf(b, " fill-opacity=\".35\" stroke=\"%h\" stroke-dasharray=\"3 2\"",
                    cols[i].fill);
      html_printf(b, "/>");
      /* 45° white lines, cut to the column by hand (as svg_stacked_bar does) */
      for (int a = y - BAR; cols[i].hatched && a < y + h; a += 6) {
        int s0 = a < y ? y - a : 0, s1 = y + h - a < BAR ? y + h - a : BAR;
        if (s1 > s0)
          html_printf(b,
                      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ffffff\" "
                      "stroke-width=\"1.5\" stroke-opacity=\".6\"/>",
                      x + s0, a + s0, x + s1, a + s1);
      }
    }
    html_printf(b,
                "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"middle\" "
                "fill=\"#1f2328\">%h</text>"
                "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"middle\" "
                "fill=\"#57606a\">%h</text>",
                x + BAR / 2, y - 3, FONT, cols[i].top ? cols[i].top : "", x + BAR / 2,
                TOP + PLOT + BOTTOM - 3, FONT, cols[i].bottom ? cols[i].bottom : "");
  }
  html_printf(b, "</svg>");
}
