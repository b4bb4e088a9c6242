/* ledger: the XLSX and CSV writer every list shares (ledger.h). */
#include "web/ledger.h"

#include <assert.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/log.h"
#include "web/html.h"
#include "web/web.h"

enum { TITLE_ROW = 0, HEAD_ROW = 1, FIRST_ROW = 2, MIN_WIDTH = 6, MAX_WIDTH = 60 };

struct ledger {
  struct req *r;
  enum ledger_format f;
  const struct ledger_spec *s;
  char path[64]; /* XLSX: the workbook's file until it is sent */
  FILE *csv;     /* CSV: the unlinked file being written */
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *head, *title, *date, *time, *wan, *num, *light[LIGHT_N];
  const struct ledger_col *cols; /* the current sheet's */
  size_t n_cols;
  const char *sheet; /* its name */
  lxw_row_t row;     /* the XLSX row being written */
  size_t col;        /* the next cell of the row */
  bool truncated;    /* more rows than a sheet holds: the rest only in CSV */
  int *width;        /* per column, in character widths (CJK counts 2) */
  const char **notes;
  size_t n_notes, cap_notes;
  bool closed;
};

int ledger_asked(const struct req *r) {
  const char *f = req_query(r, "format");
  if (!f || !*f)
    return LEDGER_PAGE;
  if (strcmp(f, "xlsx") == 0)
    return LEDGER_XLSX;
  if (strcmp(f, "csv") == 0)
    return LEDGER_CSV;
  return -1;
}

/* ---- text ------------------------------------------------------------------------------- */

/* Display width of s, up to MAX_WIDTH: a character of three or four bytes (CJK) counts 2. */
static int text_width(const char *s) {
  int w = 0;
  for (const unsigned char *c = (const unsigned char *)s; *c && w < MAX_WIDTH; c++)
    if ((*c & 0xC0) != 0x80)
      w += *c >= 0xE0 ? 2 : 1;
  return w;
}

static void widen(struct ledger *l, size_t col, int w) {
  if (col < l->n_cols && w > l->width[col])
    l->width[col] = w;
}

void ledger_csv_cell(struct sb *out, const char *s, bool guard) {
  /* OWASP "CSV injection": a cell a spreadsheet would read as a formula gets a leading
   * apostrophe, and is quoted. */
  bool formula =
      guard && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r');
  bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
  if (quote)
    sb_append(out, "\"");
  if (formula)
    sb_append(out, "'");
  for (const char *c = s; *c; c++) {
    if (*c == '"')
      sb_append(out, "\"\"");
    else
      sb_appendn(out, c, 1);
  }
  if (quote)
    sb_append(out, "\"");
}

/* UTF-8 bytes of name percent-encoded for filename*= (RFC 5987: attr-char stays). */
const char *ledger_disposition(struct arena *a, const char *name, const char *ascii) {
  struct sb b = SB_INIT;
  sb_append(&b, "attachment; filename=\"");
  for (const char *c = ascii; *c; c++)
    if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
        *c == '.' || *c == '-' || *c == '_')
      sb_appendn(&b, c, 1);
    else
      sb_append(&b, "_");
  sb_append(&b, "\"; filename*=UTF-8''");
  for (const unsigned char *c = (const unsigned char *)name; *c; c++)
    if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
        *c == '.' || *c == '-' || *c == '_' || *c == '~')
      sb_appendf(&b, "%c", *c);
    else
      sb_appendf(&b, "%%%02X", *c);
  const char *out = arena_strdup(a, sb_str(&b));
  sb_free(&b);
  return out;
}

/* ---- dates ------------------------------------------------------------------------------ */

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* A date (YYYY-MM-DD), a local time (YYYY-MM-DDTHH:MM[:SS], an event's, kept as is) or a stored
 * instant (2026-11-20T17:00:00.000Z, moved to the plans' time zone as the pages show it) into
 * *t; false when s is none of them. */
static bool parse_when(const char *s, struct tm *t) {
  memset(t, 0, sizeof *t);
  size_t n = s ? strlen(s) : 0;
  if (n < 10 || s[4] != '-' || s[7] != '-')
    return false;
  int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = 0, mi = 0, sec = 0;
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31)
    return false;
  if (n >= 16 && s[10] == 'T' && s[13] == ':') {
    h = digits(s + 11, 2);
    mi = digits(s + 14, 2);
    if (n >= 19 && s[16] == ':')
      sec = digits(s + 17, 2);
    if (h < 0 || mi < 0 || sec < 0)
      return false;
  }
  t->tm_year = y - 1900;
  t->tm_mon = mo - 1;
  t->tm_mday = d;
  t->tm_hour = h;
  t->tm_min = mi;
  t->tm_sec = sec;
  if (s[n - 1] != 'Z')
    return true;
  time_t at = timegm(t) + (time_t)light_policy.utc_offset_minutes * 60;
  return gmtime_r(&at, t) != NULL;
}

/* ---- open ------------------------------------------------------------------------------- */

static void ledger_cleanup(void *arg) {
  struct ledger *l = arg;
  if (l->closed)
    return;
  l->closed = true;
  if (l->wb)
    lxw_workbook_free(l->wb); /* never written: its temporary files go with it */
  if (l->path[0])
    unlink(l->path);
  if (l->csv)
    fclose(l->csv);
}

static lxw_format *fill(lxw_workbook *wb, lxw_color_t colour) {
  lxw_format *f = workbook_add_format(wb);
  format_set_pattern(f, LXW_PATTERN_SOLID);
  format_set_bg_color(f, colour);
  return f;
}

static const char *header_text(struct ledger *l, size_t i) {
  const struct ledger_col *c = &l->cols[i];
  return c->head ? web_t(l->r, c->head) : c->label ? c->label : "";
}

/* Starts the sheet of cols (the first, or the next of ledger_sheet): XLSX a worksheet with the
 * title row and the headers, frozen; CSV the header row (after a blank line from the second
 * sheet on). The first sheet's headers carry the defined names duikou_<key>. */
static bool start_sheet(struct ledger *l, const char *name, const struct ledger_col *cols,
                        size_t n) {
  struct req *r = l->r;
  bool first = !l->sheet;
  l->sheet = name;
  l->cols = cols;
  l->n_cols = n;
  l->col = 0;
  l->truncated = false;
  l->width = arena_alloc(r->arena, (n + 1) * sizeof *l->width);
  if (l->f == LEDGER_CSV) {
    struct sb line = SB_INIT;
    sb_append(&line, first ? "\xEF\xBB\xBF" : "\r\n"); /* the BOM: Excel then reads UTF-8 */
    for (size_t i = 0; i < n; i++) {
      if (i)
        sb_append(&line, ",");
      ledger_csv_cell(&line, header_text(l, i), true);
    }
    sb_append(&line, "\r\n");
    fwrite(line.buf, 1, line.len, l->csv);
    sb_free(&line);
    return true;
  }
  l->ws = workbook_add_worksheet(l->wb, name);
  if (!l->ws)
    return false;
  char today[11], soon[11];
  light_today(today, soon);
  const char *title = arena_printf(r->arena, "%s · %s%s%s", l->s->title, web_t(r, "ui_lg_exported"),
                                   web_t(r, "ui_colon"), web_date(r, today));
  if (n > 1)
    worksheet_merge_range(l->ws, TITLE_ROW, 0, TITLE_ROW, (lxw_col_t)(n - 1), title, l->title);
  else
    worksheet_write_string(l->ws, TITLE_ROW, 0, title, l->title);
  worksheet_set_row(l->ws, TITLE_ROW, 24, NULL);
  const char *quoted = arena_printf(r->arena, "'%s'", name); /* it may be Chinese */
  for (size_t i = 0; i < n; i++) {
    const char *h = header_text(l, i);
    worksheet_write_string(l->ws, HEAD_ROW, (lxw_col_t)i, h, l->head);
    widen(l, i, text_width(h) + 2); /* the filter's button */
    if (!first)
      continue;
    char cell[16];
    lxw_rowcol_to_cell_abs(cell, HEAD_ROW, (lxw_col_t)i, 1, 1);
    workbook_define_name(l->wb, arena_printf(r->arena, "duikou_%s", cols[i].key),
                         arena_printf(r->arena, "=%s!%s", quoted, cell));
  }
  worksheet_freeze_panes(l->ws, FIRST_ROW, 0);
  l->row = FIRST_ROW;
  return true;
}

/* The widths the cells asked for, and the filter over the header and the rows. */
static void end_sheet(struct ledger *l) {
  if (l->f != LEDGER_XLSX || !l->ws)
    return;
  size_t n = l->n_cols;
  for (size_t i = 0; i < n; i++) {
    int w = l->width[i] + 2;
    worksheet_set_column(l->ws, (lxw_col_t)i, (lxw_col_t)i,
                         w < MIN_WIDTH   ? MIN_WIDTH
                         : w > MAX_WIDTH ? MAX_WIDTH
                                         : w,
                         NULL);
  }
  lxw_row_t last = l->row > FIRST_ROW ? l->row - 1 : HEAD_ROW;
  worksheet_autofilter(l->ws, HEAD_ROW, 0, last, (lxw_col_t)(n ? n - 1 : 0));
  if (l->truncated)
    ledger_note(l, web_t(l->r, "ui_lg_truncated"));
}

static bool open_xlsx(struct ledger *l) {
  snprintf(l->path, sizeof l->path, "/tmp/duikou-ledger-XXXXXX");
  int fd = mkstemp(l->path);
  if (fd < 0) {
    l->path[0] = '\0';
    return false;
  }
  close(fd);
  /* constant_memory: each row is flushed to a temporary file once the next begins, so the
   * workbook's memory does not grow with its rows. */
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE};
  l->wb = workbook_new_opt(l->path, &opt);
  if (!l->wb)
    return false;
  l->head = workbook_add_format(l->wb);
  format_set_bold(l->head);
  format_set_bottom(l->head, LXW_BORDER_THIN);
  format_set_bg_color(l->head, 0xDDEBF7);
  format_set_pattern(l->head, LXW_PATTERN_SOLID);
  l->title = workbook_add_format(l->wb);
  format_set_bold(l->title);
  format_set_font_size(l->title, 14);
  l->date = workbook_add_format(l->wb);
  format_set_num_format(l->date, "yyyy-mm-dd");
  l->time = workbook_add_format(l->wb);
  format_set_num_format(l->time, "yyyy-mm-dd hh:mm:ss");
  l->wan = workbook_add_format(l->wb);
  format_set_num_format(l->wan, "#,##0.00");
  l->num = workbook_add_format(l->wb);
  format_set_num_format(l->num, "0.00");
  l->light[LIGHT_GREEN] = fill(l->wb, 0xC6EFCE);
  l->light[LIGHT_YELLOW] = fill(l->wb, 0xFFEB9C);
  l->light[LIGHT_RED] = fill(l->wb, 0xFFC7CE);
  l->light[LIGHT_DONE] = fill(l->wb, 0xD9D9D9);
  return true;
}

static bool open_csv(struct ledger *l) {
  char path[] = "/tmp/duikou-ledger-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    return false;
  unlink(path); /* gone with its last descriptor */
  l->csv = fdopen(fd, "w+");
  if (!l->csv) {
    close(fd);
    return false;
  }
  return true;
}

struct ledger *ledger_open(struct req *r, enum ledger_format f, const struct ledger_spec *s) {
  struct ledger *l = arena_alloc(r->arena, sizeof *l);
  l->r = r;
  l->f = f;
  l->s = s;
  arena_defer(r->arena, ledger_cleanup, l);
  if ((f == LEDGER_XLSX ? open_xlsx(l) : open_csv(l)) &&
      start_sheet(l, s->sheet ? s->sheet : web_t(r, "ui_lg_sheet"), s->cols, s->n_cols))
    return l;
  log_error("ledger: %s %s: could not start the file", r->method, r->path);
  return NULL;
}

bool ledger_sheet(struct ledger *l, const char *name, const struct ledger_col *cols, size_t n) {
  if (l->col)
    ledger_row_end(l);
  end_sheet(l);
  return start_sheet(l, name, cols, n);
}

/* ---- cells ------------------------------------------------------------------------------ */

/* The column of the next cell, or -1 past the last or on a row beyond the sheet. */
static long next_col(struct ledger *l, enum ledger_kind kind) {
  size_t c = l->col++;
  if (c >= l->n_cols || l->truncated)
    return -1;
  assert(l->cols[c].kind == kind || kind == LEDGER_TEXT);
  (void)kind;
  return (long)c;
}

static void csv_sep(struct ledger *l, long c) {
  if (c > 0)
    fputc(',', l->csv);
}

static void cell_text(struct ledger *l, long c, const char *s) {
  if (l->f == LEDGER_CSV) {
    csv_sep(l, c);
    if (s && *s) {
      struct sb b = SB_INIT;
      ledger_csv_cell(&b, s, true);
      fwrite(b.buf, 1, b.len, l->csv);
      sb_free(&b);
    }
    return;
  }
  if (!s || !*s)
    return;
  /* A cell holds at most 32,767 characters: a longer text is cut (never refused). */
  if (worksheet_write_string(l->ws, l->row, (lxw_col_t)c, s, NULL) ==
      LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
    size_t n = 0, chars = 0;
    while (s[n] && chars < 32766)
      if (((unsigned char)s[++n] & 0xC0) != 0x80)
        chars++;
    worksheet_write_string(l->ws, l->row, (lxw_col_t)c, arena_strndup(l->r->arena, s, n), NULL);
  }
  widen(l, (size_t)c, text_width(s));
}

void ledger_text(struct ledger *l, const char *s) {
  long c = next_col(l, LEDGER_TEXT);
  if (c >= 0)
    cell_text(l, c, s);
}

void ledger_blank(struct ledger *l) {
  long c = l->col < l->n_cols && !l->truncated ? (long)l->col : -1;
  l->col++;
  if (c >= 0 && l->f == LEDGER_CSV)
    csv_sep(l, c);
}

void ledger_int(struct ledger *l, int64_t v) {
  long c = next_col(l, LEDGER_INT);
  if (c < 0)
    return;
  if (l->f == LEDGER_CSV) {
    csv_sep(l, c);
    fprintf(l->csv, "%lld", (long long)v);
    return;
  }
  worksheet_write_number(l->ws, l->row, (lxw_col_t)c, (double)v, NULL);
  int w = v < 0 ? 2 : 1;
  for (int64_t x = v; x >= 10 || x <= -10; x /= 10)
    w++;
  widen(l, (size_t)c, w);
}

void ledger_number(struct ledger *l, double v) {
  long c = next_col(l, LEDGER_NUMBER);
  if (c < 0)
    return;
  if (l->f == LEDGER_CSV) {
    csv_sep(l, c);
    fprintf(l->csv, "%.2f", v);
    return;
  }
  worksheet_write_number(l->ws, l->row, (lxw_col_t)c, v, l->num);
  widen(l, (size_t)c, 8);
}

void ledger_percent(struct ledger *l, int pct) {
  long c = next_col(l, LEDGER_PERCENT);
  if (c < 0)
    return;
  if (l->f == LEDGER_CSV) {
    csv_sep(l, c);
    fprintf(l->csv, "%d", pct);
    return;
  }
  worksheet_write_number(l->ws, l->row, (lxw_col_t)c, pct, NULL);
}

void ledger_yuan(struct ledger *l, int64_t yuan) {
  long c = next_col(l, LEDGER_WANYUAN);
  if (c < 0)
    return;
  if (l->f == LEDGER_CSV) {
    /* exact: 万元 with up to four decimals, trailing zeros dropped */
    uint64_t a = yuan < 0 ? (uint64_t)0 - (uint64_t)yuan : (uint64_t)yuan;
    char frac[8];
    snprintf(frac, sizeof frac, "%04u", (unsigned)(a % 10000));
    for (int i = 3; i >= 0 && frac[i] == '0'; i--)
      frac[i] = '\0';
    csv_sep(l, c);
    fprintf(l->csv, "%s%llu%s%s", yuan < 0 ? "-" : "", (unsigned long long)(a / 10000),
            frac[0] ? "." : "", frac);
    return;
  }
  worksheet_write_number(l->ws, l->row, (lxw_col_t)c, (double)yuan / 10000.0, l->wan);
  char s[32];
  widen(l, (size_t)c, snprintf(s, sizeof s, "%.2f", (double)yuan / 10000.0) + 3);
}

void ledger_date(struct ledger *l, const char *iso) {
  size_t at = l->col;
  bool with_time = at < l->n_cols && l->cols[at].kind == LEDGER_TIME;
  long c = next_col(l, with_time ? LEDGER_TIME : LEDGER_DATE);
  if (c < 0)
    return;
  struct tm t;
  if (!parse_when(iso, &t)) {
    cell_text(l, c, iso); /* not a date: kept as written */
    return;
  }
  if (l->f == LEDGER_CSV) {
    csv_sep(l, c);
    fprintf(l->csv, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
    if (with_time)
      fprintf(l->csv, " %02d:%02d:%02d", t.tm_hour, t.tm_min, t.tm_sec);
    return;
  }
  lxw_datetime dt = {.year = t.tm_year + 1900, .month = t.tm_mon + 1, .day = t.tm_mday};
  if (with_time) {
    dt.hour = t.tm_hour;
    dt.min = t.tm_min;
    dt.sec = t.tm_sec;
  }
  worksheet_write_datetime(l->ws, l->row, (lxw_col_t)c, &dt, with_time ? l->time : l->date);
  widen(l, (size_t)c, with_time ? 17 : 11);
}

void ledger_light(struct ledger *l, enum light light) {
  long c = next_col(l, LEDGER_LIGHT);
  if (c < 0)
    return;
  const char *word = web_t(l->r, web_light_label(light));
  if (l->f == LEDGER_CSV) {
    csv_sep(l, c);
    fputs(word, l->csv);
    return;
  }
  worksheet_write_string(l->ws, l->row, (lxw_col_t)c, word,
                         light >= 0 && light < LIGHT_N ? l->light[light] : NULL);
  widen(l, (size_t)c, text_width(word));
}

void ledger_row_end(struct ledger *l) {
  if (l->truncated)
    return;
  if (l->f == LEDGER_CSV) {
    for (; l->col < l->n_cols; l->col++)
      fputc(',', l->csv);
    fputs("\r\n", l->csv);
  } else if (++l->row >= LXW_ROW_MAX) {
    l->truncated = true; /* the sheet is full; a note says so */
  }
  l->col = 0;
}

void ledger_note(struct ledger *l, const char *line) {
  *(const char **)ARRAY_PUSH(l->r->arena, l->notes, l->n_notes, l->cap_notes) =
      arena_strdup(l->r->arena, line);
}

/* ---- send ------------------------------------------------------------------------------- */

static int finish_xlsx(struct ledger *l) {
  struct req *r = l->r;
  end_sheet(l);
  if (l->n_notes) {
    lxw_worksheet *ns = workbook_add_worksheet(l->wb, web_t(r, "ui_lg_notes"));
    if (ns) {
      worksheet_set_column(ns, 0, 0, 100, NULL);
      for (size_t i = 0; i < l->n_notes; i++)
        worksheet_write_string(ns, (lxw_row_t)i, 0, l->notes[i], NULL);
    }
  }
  lxw_workbook *wb = l->wb;
  l->wb = NULL;
  lxw_error e = workbook_close(wb);
  int fd = e == LXW_NO_ERROR ? open(l->path, O_RDONLY | O_CLOEXEC) : -1;
  unlink(l->path);
  l->path[0] = '\0';
  if (e != LXW_NO_ERROR)
    log_error("ledger: %s %s: %s", r->method, r->path, lxw_strerror(e));
  return fd;
}

static int finish_csv(struct ledger *l) {
  FILE *f = l->csv;
  l->csv = NULL;
  if (fflush(f) != 0 || ferror(f)) {
    fclose(f);
    return -1;
  }
  int fd = dup(fileno(f));
  fclose(f);
  if (fd >= 0 && lseek(fd, 0, SEEK_SET) != 0) {
    close(fd);
    fd = -1;
  }
  return fd;
}

int ledger_send(struct ledger *l, struct resp *p) {
  struct req *r = l->r;
  if (l->col)
    ledger_row_end(l);
  int fd = l->f == LEDGER_XLSX ? finish_xlsx(l) : finish_csv(l);
  l->closed = true;
  struct stat sbuf;
  if (fd < 0 || fstat(fd, &sbuf) != 0) {
    if (fd >= 0)
      close(fd);
    log_error("ledger: %s %s: the file could not be written", r->method, r->path);
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  }
  bool xlsx = l->f == LEDGER_XLSX;
  p->status = 200;
  p->content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                         : "text/csv; charset=utf-8";
  const char *ext = xlsx ? ".xlsx" : ".csv";
  resp_header(r, p, "Content-Disposition",
              ledger_disposition(r->arena, arena_printf(r->arena, "%s%s", l->s->name, ext),
                                 arena_printf(r->arena, "%s%s", l->s->ascii, ext)));
  resp_file(p, fd, (uint64_t)sbuf.st_size);
  return 200;
}

void ledger_links(struct req *r, struct sb *b, const char *path) {
  struct sb x = SB_INIT, c = SB_INIT;
  sb_append(&x, path);
  sb_append(&c, path);
  web_query_add(&x, "format", "xlsx");
  web_query_add(&c, "format", "csv");
  html_printf(b,
              "<p class=\"ledger-export no-print\">%h%h<a href=\"%h\" download>Excel</a> · "
              "<a href=\"%h\" download>CSV</a></p>\n",
              web_t(r, "ui_lg_export"), web_t(r, "ui_colon"), sb_str(&x), sb_str(&c));
  sb_free(&x);
  sb_free(&c);
}
