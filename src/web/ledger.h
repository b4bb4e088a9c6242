/* ledger: 台账 — every list a user works from, exported as XLSX (libxlsxwriter) or CSV from one
 * description of its columns, so the pages share one layout and one set of safety rules.
 *
 * A list says what its columns are (a stable key, the header's message id, a kind) and feeds
 * its rows one cell at a time, in column order; nothing is kept per row, so a ledger of a
 * million reports costs what one row costs:
 *   XLSX  libxlsxwriter in constant-memory mode (each row goes to its temporary file as it is
 *         written), a title row naming the pairing, the year and today's date (the server's
 *         clock, in the plans' time zone), the headers in the user's language, frozen, with an
 *         autofilter, columns as wide as their longest cell (within bounds), dates as dates,
 *         amounts in 万元 with a number format, percentages as numbers, lights as words on a
 *         coloured fill, and a notes sheet when the list gives notes. Each header cell has the
 *         defined name duikou_<key> (docs/ledgers.md), so a reader finds a column whatever
 *         language its header is in;
 *   CSV   UTF-8 with a BOM (Excel then reads Chinese), RFC 4180 quoting, CRLF; the header row
 *         then the rows (no title row); a cell that a spreadsheet would take for a formula
 *         (starting with = + - @, tab or CR) is prefixed with an apostrophe (OWASP, CSV
 *         injection). Numbers are plain (60, 1234.5), dates ISO (2026-12-31).
 * Either is written to an unlinked temporary file and sent from it (resp_file, http.h). */
#ifndef DUIKOU_WEB_LEDGER_H
#define DUIKOU_WEB_LEDGER_H
#include <stdint.h>

#include "http/http.h"
#include "service/light.h"

enum ledger_kind {
  LEDGER_TEXT,
  LEDGER_INT,     /* a whole number */
  LEDGER_DATE,    /* YYYY-MM-DD, or a stored instant (UTC) shown as its day in China */
  LEDGER_TIME,    /* date and time: a stored instant (UTC) moved to China, or a local time */
  LEDGER_WANYUAN, /* an amount in yuan, shown in 万元 (two decimals) */
  LEDGER_PERCENT, /* 0–100 as a number */
  LEDGER_LIGHT,   /* a light as its word, the cell coloured */
  LEDGER_NUMBER,  /* a decimal shown with two places (scores) */
};

struct ledger_col {
  const char *key;  /* stable name: [a-z0-9_]; the defined name is duikou_<key> */
  const char *head; /* message id of the header; NULL: label is the header as is */
  enum ledger_kind kind;
  const char *label; /* a header that is data (a report figure's name), when head is NULL */
};

enum ledger_format { LEDGER_PAGE = 0, LEDGER_XLSX, LEDGER_CSV };

/* The ?format= a list page was asked for: LEDGER_PAGE when absent or empty, -1 when it names
 * no format (the page answers web_bad_query). */
int ledger_asked(const struct req *r);

struct ledger_spec {
  const char *name;  /* the file name in the user's language, without extension:
                        工作计划台账-2026 (sent as filename*=UTF-8'') */
  const char *ascii; /* the same in ASCII for filename=: work-plan-2026 */
  const char *title; /* the title row's text before the export date: 辽宁—江苏 2026年
                        工作计划台账 (XLSX only) */
  const char *sheet; /* the first sheet's name; NULL: 台账 in the user's language */
  const struct ledger_col *cols;
  size_t n_cols;
};

struct ledger;
/* Starts a ledger in the request's arena (a cleanup is registered: a ledger never sent is
 * closed and its file removed). NULL when no temporary file could be made (logged). */
struct ledger *ledger_open(struct req *r, enum ledger_format f, const struct ledger_spec *s);

/* The next cell of the current row; the column's kind decides how it is written (assert). A
 * NULL text or date is an empty cell. */
void ledger_text(struct ledger *l, const char *s);
void ledger_int(struct ledger *l, int64_t v);
void ledger_date(struct ledger *l, const char *iso);
void ledger_yuan(struct ledger *l, int64_t yuan);
void ledger_percent(struct ledger *l, int pct);
void ledger_number(struct ledger *l, double v);
void ledger_light(struct ledger *l, enum light light);
void ledger_blank(struct ledger *l);
/* Ends the row (cells not given stay empty). */
void ledger_row_end(struct ledger *l);
/* Ends the current sheet and starts another of cols, named name (XLSX: a worksheet with its
 * own title row and headers; CSV: a blank line, then its header row). False on failure. */
bool ledger_sheet(struct ledger *l, const char *name, const struct ledger_col *cols, size_t n);
/* A line of the notes sheet (XLSX; ignored for CSV), kept until the ledger is sent. */
void ledger_note(struct ledger *l, const char *line);

/* Finishes the file and makes it the answer: 200, the content type, Content-Disposition with
 * both file names. Returns the status (500 with an error page when writing failed). */
int ledger_send(struct ledger *l, struct resp *p);

/* The "导出 Excel / CSV" links of a list page: path (with the page's own query, if any) with
 * format=xlsx and format=csv added. */
void ledger_links(struct req *r, struct sb *b, const char *path);

/* For tests: CSV quoting of one cell into out (with the formula guard). */
struct sb;
void ledger_csv_cell(struct sb *out, const char *s, bool guard);
/* Content-Disposition for a file named name (UTF-8) with ascii as its fallback. Arena string. */
const char *ledger_disposition(struct arena *a, const char *name, const char *ascii);

#endif
