/* svg: the inline SVG charts of the pages (see svg.h for why they are drawn
 * this way). Output goes through html_printf like every page, so a label from
 * the database is escaped in the attribute and in <title>. */
#include "web/svg.h"

#include <string.h>

#include "core/sb.h"
#include "core/utf8.h"
#include "web/html.h"

enum { SVG_MIN_NUMBER_WIDTH = 18 }; /* narrower parts show no number */

static const char *const light_fills[LIGHT_N] = {
    [LIGHT_GREEN] = "#116329",
    [LIGHT_YELLOW] = "#7d4e00",
    [LIGHT_RED] = "#a40e26",
    [LIGHT_DONE] = "#0b4f9c",
};

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
      if (numbers && w >= SVG_MIN_NUMBER_WIDTH)
        html_printf(b,
                    "<text x=\"%d\" y=\"%d\" fill=\"#ffffff\" "
                    "font-size=\"%d\" font-weight=\"700\" "
                    "text-anchor=\"middle\" dominant-baseline=\"central\">"
                    "%lld</text>",
                    x + w / 2, height / 2, height * 11 / 20 > 10 ? height * 11 / 20 : 10,
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
