/* svg: small charts drawn by the server as inline SVG, so a page needs no chart
 * library, no script and no network, and prints as it looks. A chart is an
 * image to assistive technology (role="img") named by its aria-label and
 * <title>, which say every number in words; the pages print the same numbers as
 * text beside it, so colour never carries a value alone. Colours are SVG
 * presentation attributes (fill=), which the Content-Security-Policy allows
 * where an inline style= would be refused. */
#ifndef DUIKOU_WEB_SVG_H
#define DUIKOU_WEB_SVG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/light.h"

struct sb;

/* One part of a stacked bar: its value and its fill colour (#rrggbb). */
struct svg_part {
  int64_t value;
  const char *fill;
  bool hatched; /* drawn with white diagonal lines too (red: told apart without colour) */
};

/* A horizontal bar width×height (user units; the element scales with CSS)
 * split into the parts in proportion to their values, in order, left to right;
 * the widths always add up to the whole bar. label is the accessible name
 * (aria-label and <title>), written by the caller with every value in words.
 * With numbers, each part wide enough shows its value inside. A bar whose
 * values are all 0 is drawn empty (grey). cls is the element's class (a string
 * literal). */
void svg_stacked_bar(struct sb *b, const char *cls, const struct svg_part *parts,
                     size_t n, int width, int height, const char *label,
                     bool numbers);

/* A small square of a colour for a legend; hidden from assistive technology
 * (the legend's words say it). */
void svg_swatch(struct sb *b, const char *fill);

/* The fill of a light: the ink colour of its badge (.light-* in app.css). */
const char *svg_light_fill(enum light l);

/* One row of a bar chart: its name, its value and the value as written after the bar. */
struct svg_bar {
  const char *label, *text;
  double value;
};

/* Horizontal bars on one scale (0 to max), a row each: the row's name at its left (cut
 * with "…" past label_max code points; the page's table says it whole), its bar and its
 * text after the bar. Names and values are SVG text, so the chart reads on greyscale
 * paper; label is the accessible name (every value in words). cls: a string literal. */
void svg_hbars(struct sb *b, const char *cls, const struct svg_bar *bars, size_t n,
               double max, size_t label_max, const char *label);

/* One column of a column chart: its value on a 0–100 scale, its fill, the text above it
 * (the value as written) and below it (what it is: a period), faint for a value not yet
 * confirmed (drawn pale with a dashed outline), hatched as in svg_stacked_bar. */
struct svg_column {
  double value;
  const char *fill, *top, *bottom;
  bool faint, hatched;
};

/* Columns side by side on one 0–100 scale, each with its text above and below (SVG text,
 * so the chart reads on greyscale paper); label is the accessible name with every value in
 * words. cls: a string literal. */
void svg_columns(struct sb *b, const char *cls, const struct svg_column *cols, size_t n,
                 const char *label);

#endif
