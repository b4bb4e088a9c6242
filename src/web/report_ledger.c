/* report_ledger: the ledgers of reports.
 * 进展报告台账 — GET /reports?year=&pairing= lists every report on the items of a
 * pairing's work plan of a year with its review and reviewer, a page at a time; with
 * ?format=xlsx or ?format=csv the whole ledger is streamed into the file (web/ledger.h), a
 * keyset page of the service at a time in an arena of its own, so a ledger of a million
 * reports holds one page in memory. Who reads: anyone of the pairing; a member its own unit's
 * reports (service/report.h report_ledger).
 * 待审核报告 — GET /reviews?format=xlsx|csv: the caller's review queue (report_pending, with
 * the queue's filter of unit, task and period), each
 * pending report with the one before it on its item, streamed a page at a time likewise. */
#include <string.h>

#include "service/pairing.h"
#include "service/report.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/web.h"

enum { PAGE_ROWS = 100, EXPORT_ROWS = 1000 };

/* The columns of a report, first in both the reports ledger and the review queue's. */
#define REPORT_COLS                                                                          \
    {"report_id", "ui_lg_h_report_id", LEDGER_INT, NULL},                                    \
    {"item_id", "ui_lg_h_item_id", LEDGER_INT, NULL},                                        \
    {"item", "ui_lg_h_item", LEDGER_TEXT, NULL},                                             \
    {"unit", "ui_lg_h_unit", LEDGER_TEXT, NULL},                                             \
    {"period", "ui_lg_h_period", LEDGER_TEXT, NULL},                                         \
    {"status", "ui_lg_h_status", LEDGER_TEXT, NULL},                                         \
    {"percent", "ui_lg_h_percent", LEDGER_PERCENT, NULL},                                    \
    {"narrative", "ui_lg_h_narrative", LEDGER_TEXT, NULL},                                   \
    {"figures", "ui_lg_h_figures", LEDGER_TEXT, NULL},                                       \
    {"submitted_by", "ui_lg_h_submitted_by", LEDGER_TEXT, NULL},                             \
    {"submitted_at", "ui_lg_h_submitted_at", LEDGER_TIME, NULL}

static const struct ledger_col cols[] = {
    REPORT_COLS,
    {"review", "ui_lg_h_review", LEDGER_TEXT, NULL},
    {"reviewer", "ui_lg_h_reviewer", LEDGER_TEXT, NULL},
    {"comment", "ui_lg_h_comment", LEDGER_TEXT, NULL},
    {"reviewed_at", "ui_lg_h_reviewed_at", LEDGER_TIME, NULL},
};

/* 签约金额 1200 元；参与企业数 12 家 */
static const char *figures_text(struct arena *a, const struct report_view *v) {
  if (!v->n_figures)
    return NULL;
  struct sb b = SB_INIT;
  for (size_t i = 0; i < v->n_figures; i++)
    sb_appendf(&b, "%s%s %lld%s%s", i ? "；" : "", v->figures[i].name,
               (long long)v->figures[i].value, v->figures[i].unit ? " " : "",
               v->figures[i].unit ? v->figures[i].unit : "");
  const char *s = arena_strdup(a, sb_str(&b));
  sb_free(&b);
  return s;
}

/* The cells of REPORT_COLS for one report, in their order (both ledgers start with them). */
static void report_cells(struct req *r, struct ledger *l, struct arena *chunk,
                         const struct report_view *v) {
  ledger_int(l, v->id);
  ledger_int(l, v->work_item_id);
  ledger_text(l, v->item_title);
  ledger_text(l, v->unit_name);
  ledger_text(l, v->period);
  ledger_text(l, web_status_label(r, v->status));
  ledger_percent(l, v->percent);
  ledger_text(l, v->narrative);
  ledger_text(l, figures_text(chunk, v));
  ledger_text(l, v->submitted_by_name);
  ledger_date(l, v->at);
}

static const char *review_word(struct req *r, const struct report_view *v) {
  return web_t(r, web_review_label(v->decision));
}

static const char *pairing_title(struct req *r, int64_t pairing, int year) {
  struct pairing_view pv;
  const char *name = "";
  if (pairing_get(&r->ctx, pairing, &pv) == SVC_OK)
    name = arena_printf(r->arena, "%s—%s", pv.name_a, pv.name_b);
  else
    web_take_code(r, NULL);
  return arena_printf(r->arena, "%s %d%s %s", name, year,
                      r->lang == LANG_EN ? "" : web_t(r, "ui_year_suffix"),
                      web_t(r, "ui_lg_rl_title"));
}

static int export(struct req *r, struct resp *p, int64_t pairing, int year, enum ledger_format f) {
  /* the first page answers the permission before any file is made */
  struct report_ledger_page pg;
  struct arena chunk;
  arena_init(&chunk);
  r->ctx.arena = &chunk;
  int rc = report_ledger(&r->ctx, pairing, year, 0, 0, EXPORT_ROWS, true, &pg);
  if (rc != SVC_OK) {
    r->ctx.arena = r->arena;
    arena_free(&chunk);
    return web_service_page(r, p, rc);
  }
  r->ctx.arena = r->arena;
  struct ledger_spec spec = {
      .name = arena_printf(r->arena, "%s-%d", web_t(r, "ui_lg_rl_file"), year),
      .ascii = arena_printf(r->arena, "reports-%lld-%d", (long long)pairing, year),
      .title = pairing_title(r, pairing, year),
      .cols = cols,
      .n_cols = sizeof cols / sizeof *cols};
  struct ledger *l = ledger_open(r, f, &spec);
  if (!l) {
    arena_free(&chunk);
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  }
  for (;;) {
    for (size_t i = 0; i < pg.n; i++) {
      const struct report_view *v = &pg.items[i];
      report_cells(r, l, &chunk, v);
      ledger_text(l, review_word(r, v));
      ledger_text(l, v->reviewer_name);
      ledger_text(l, v->comment);
      ledger_date(l, v->reviewed_at);
      ledger_row_end(l);
    }
    if (!pg.more)
      break;
    int64_t ai = pg.next_item, ar = pg.next_report;
    arena_free(&chunk); /* one page in memory at a time */
    arena_init(&chunk);
    r->ctx.arena = &chunk;
    rc = report_ledger(&r->ctx, pairing, year, ai, ar, EXPORT_ROWS, true, &pg);
    r->ctx.arena = r->arena;
    if (rc != SVC_OK) {
      arena_free(&chunk);
      return web_service_page(r, p, rc);
    }
  }
  arena_free(&chunk);
  return ledger_send(l, p);
}

/* GET /reports[?year=&pairing=&item=&after=&format=] */
int web_reports_ledger(struct req *r, struct resp *p) {
  long long year = web_this_year(), item = 0, after = 0;
  const char *q;
  if ((q = req_query(r, "year")) && *q && (!web_parse_int(q, &year) || year < 2000 || year > 2100))
    return web_bad_query(r, p);
  if ((q = req_query(r, "item")) && (!web_parse_int(q, &item) || item < 0))
    return web_bad_query(r, p);
  if ((q = req_query(r, "after")) && (!web_parse_int(q, &after) || after < 0))
    return web_bad_query(r, p);
  int64_t pairing = web_asked_pairing(r);
  int f = ledger_asked(r);
  if (pairing < 0 || f < 0)
    return web_bad_query(r, p);
  if (!pairing)
    return web_error(r, p, 404, "ui_not_found_title", "err_not_found");
  if (f != LEDGER_PAGE)
    return export(r, p, pairing, (int)year, (enum ledger_format)f);
  struct report_ledger_page pg;
  int rc = report_ledger(&r->ctx, pairing, (int)year, item, after, PAGE_ROWS, true, &pg);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  const char *title = pairing_title(r, pairing, (int)year);
  p->status = 200;
  web_begin(r, p, title);
  html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h</p>\n", title, web_t(r, "ui_lg_rl_intro"));
  const char *self = arena_printf(
      r->arena, "/reports?year=%lld%s", year,
      req_query(r, "pairing") ? arena_printf(r->arena, "&pairing=%lld", (long long)pairing) : "");
  html_printf(b,
              "<form method=\"get\" action=\"/reports\" class=\"filters no-print\">\n"
              "<p><label for=\"rl-year\">%h</label>\n<input id=\"rl-year\" name=\"year\" "
              "type=\"number\" min=\"2000\" max=\"2100\" value=\"%lld\">\n",
              web_t(r, "ui_cc_year"), year);
  if (req_query(r, "pairing"))
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n", (long long)pairing);
  html_printf(b, "<button type=\"submit\">%h</button></p>\n</form>\n", web_t(r, "ui_dash_show"));
  if (!pg.n) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_lg_rl_none"));
    return web_end(r, p);
  }
  ledger_links(r, b, self);
  html_printf(b, "<table class=\"ledger\" tabindex=\"0\">\n<caption>%h</caption>\n<thead><tr>",
              title);
  for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
    html_printf(b, "<th scope=\"col\">%h</th>", web_t(r, cols[c].head));
  html_printf(b, "</tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < pg.n; i++) {
    const struct report_view *v = &pg.items[i];
    html_printf(b,
                "<tr><td><a href=\"/reports/%lld\">%lld</a></td><td>%lld</td><td>%h</td>"
                "<td>%h</td><td>%h</td><td>%h</td><td>%d</td><td>%h</td><td>%h</td><td>%h</td>"
                "<td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>\n",
                (long long)v->id, (long long)v->id, (long long)v->work_item_id, v->item_title,
                v->unit_name, web_period(r, v->period), web_status_label(r, v->status), v->percent,
                v->narrative, figures_text(r->arena, v) ? figures_text(r->arena, v) : "",
                v->submitted_by_name ? v->submitted_by_name : "", web_time(r, v->at),
                review_word(r, v), v->reviewer_name ? v->reviewer_name : "",
                v->comment ? v->comment : "", v->reviewed_at ? web_time(r, v->reviewed_at) : "");
  }
  html_printf(b, "</tbody>\n</table>\n");
  if (pg.more)
    html_printf(b, "<p class=\"pager\"><a href=\"%h&amp;item=%lld&amp;after=%lld\">%h</a></p>\n",
                self, (long long)pg.next_item, (long long)pg.next_report, web_t(r, "ui_page_next"));
  return web_end(r, p);
}

/* ---- the review queue ------------------------------------------------------------------ */

static const struct ledger_col queue_cols[] = {
    REPORT_COLS,
    {"previous", "ui_lg_h_previous", LEDGER_TEXT, NULL},
};

int web_reviews_ledger(struct req *r, struct resp *p, int format, const struct report_filter *f) {
  struct report_pending_page pg;
  struct arena chunk;
  arena_init(&chunk);
  r->ctx.arena = &chunk;
  int rc = report_pending_filtered(&r->ctx, f, 0, REPORT_PAGE_MAX, &pg);
  r->ctx.arena = r->arena;
  if (rc != SVC_OK) {
    arena_free(&chunk);
    return web_service_page(r, p, rc);
  }
  const char *who = r->user->unit_name ? r->user->unit_name : "";
  struct ledger_spec spec = {.name = web_t(r, "ui_lg_rq_file"),
                             .ascii = "review-queue",
                             .title =
                                 arena_printf(r->arena, "%s %s", who, web_t(r, "ui_lg_rq_title")),
                             .cols = queue_cols,
                             .n_cols = sizeof queue_cols / sizeof *queue_cols};
  struct ledger *l = ledger_open(r, (enum ledger_format)format, &spec);
  if (!l) {
    arena_free(&chunk);
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  }
  for (;;) {
    for (size_t i = 0; i < pg.n; i++) {
      const struct report_view *v = &pg.items[i].report;
      const struct report_view *prev = pg.items[i].previous;
      report_cells(r, l, &chunk, v);
      ledger_text(l, prev ? arena_printf(&chunk, "%s · %s · %d%%", prev->period,
                                         web_status_label(r, prev->status), prev->percent)
                          : NULL);
      ledger_row_end(l);
    }
    if (!pg.more)
      break;
    int64_t next = pg.next_after;
    arena_free(&chunk);
    arena_init(&chunk);
    r->ctx.arena = &chunk;
    rc = report_pending_filtered(&r->ctx, f, next, REPORT_PAGE_MAX, &pg);
    r->ctx.arena = r->arena;
    if (rc != SVC_OK) {
      arena_free(&chunk);
      return web_service_page(r, p, rc);
    }
  }
  arena_free(&chunk);
  return ledger_send(l, p);
}
