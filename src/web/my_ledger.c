/* my_ledger: GET /my?format=xlsx|csv — the clerk's report sheet (进展填报表), the template the
 * XLSX import of reports reads back (docs/ledgers.md): one row per item of the unit (the open
 * ones, every one with ?all=1), in the columns 事项编号, 计划事项, 截止日期, 报告期, 状态,
 * 完成比例, 进展情况 and one column per figure the unit's latest reports carry. 报告期 is the
 * period being reported now (else the latest report's); the row is filled in from the latest
 * report when that report is of the same period, else left for the clerk (完成比例 keeps the
 * latest percent as a starting point). */
#include <string.h>

#include "service/report.h"
#include "service/reporting.h"
#include "service/work_plan.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/web.h"

static const struct ledger_col fixed[] = {
    {"item_id", "ui_lg_h_item_id", LEDGER_INT, NULL},
    {"item", "ui_lg_h_item", LEDGER_TEXT, NULL},
    {"due", "ui_lg_h_due", LEDGER_DATE, NULL},
    {"period", "ui_lg_h_period", LEDGER_TEXT, NULL},
    {"status", "ui_lg_h_status", LEDGER_TEXT, NULL},
    {"percent", "ui_lg_h_percent", LEDGER_PERCENT, NULL},
    {"narrative", "ui_lg_h_narrative", LEDGER_TEXT, NULL},
};
enum { N_FIXED = sizeof fixed / sizeof *fixed, MAX_FIGURE_COLS = 40 };

int web_my_ledger(struct req *r, struct resp *p, int format, bool all) {
  struct work_item_view *items = NULL;
  size_t n = 0, cap = 0;
  for (int64_t after = 0; r->user->unit_id;) { /* a unit's items: a bounded list */
    struct work_item_page page;
    int rc =
        work_plan_unit_items(&r->ctx, r->user->unit_id, 0, !all, after, WORK_ITEM_PAGE_MAX, &page);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
    for (size_t i = 0; i < page.n; i++)
      *(struct work_item_view *)ARRAY_PUSH(r->arena, items, n, cap) = page.items[i];
    if (!page.more)
      break;
    after = page.next_after;
  }
  struct reporting_now *now = arena_alloc(r->arena, (n + 1) * sizeof *now);
  struct report_view *latest = arena_alloc(r->arena, (n + 1) * sizeof *latest);
  if (n && reporting_views_now(&r->ctx, items, n, now) != SVC_OK)
    return web_service_page(r, p, SVC_ERROR);
  /* The figure columns: every name the latest reports carry, in order of appearance. */
  struct ledger_col *cols = arena_alloc(r->arena, (N_FIXED + MAX_FIGURE_COLS) * sizeof *cols);
  const char **names = arena_alloc(r->arena, MAX_FIGURE_COLS * sizeof *names);
  memcpy(cols, fixed, sizeof fixed);
  size_t nf = 0;
  for (size_t i = 0; i < n; i++) {
    if (!items[i].report_id)
      continue;
    int rc = report_get(&r->ctx, items[i].report_id, &latest[i]);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
    for (size_t k = 0; k < latest[i].n_figures; k++) {
      const struct report_figure *fg = &latest[i].figures[k];
      size_t j = 0;
      while (j < nf && strcmp(names[j], fg->name) != 0)
        j++;
      if (j < nf || nf == MAX_FIGURE_COLS)
        continue;
      names[nf] = fg->name;
      cols[N_FIXED + nf] = (struct ledger_col){
          arena_printf(r->arena, "figure_%zu", nf + 1), NULL, LEDGER_INT,
          fg->unit && *fg->unit ? arena_printf(r->arena, "%s（%s）", fg->name, fg->unit)
                                : fg->name};
      nf++;
    }
  }
  int year = web_this_year();
  struct ledger_spec spec = {
      .name = arena_printf(r->arena, "%s-%d", web_t(r, "ui_lg_my_file"), year),
      .ascii = arena_printf(r->arena, "my-reports-%d", year),
      .title = arena_printf(r->arena, "%s %d%s %s", r->user->unit_name ? r->user->unit_name : "",
                            year, r->lang == LANG_EN ? "" : web_t(r, "ui_year_suffix"),
                            web_t(r, "ui_lg_my_title")),
      .cols = cols,
      .n_cols = N_FIXED + nf};
  struct ledger *l = ledger_open(r, (enum ledger_format)format, &spec);
  if (!l)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  ledger_note(l, web_t(r, "ui_lg_my_note"));
  for (size_t i = 0; i < n; i++) {
    const struct work_item_view *it = &items[i];
    const struct report_view *rv = it->report_id ? &latest[i] : NULL;
    const char *period = now[i].period[0] ? now[i].period : rv ? rv->period : NULL;
    bool same = rv && period && strcmp(rv->period, period) == 0;
    ledger_int(l, it->id);
    ledger_text(l, it->title);
    ledger_date(l, it->due);
    ledger_text(l, period);
    ledger_text(l, same ? web_status_label(r, rv->status) : NULL);
    if (rv)
      ledger_percent(l, rv->percent);
    else
      ledger_blank(l);
    ledger_text(l, same ? rv->narrative : NULL);
    for (size_t j = 0; j < nf; j++) {
      const struct report_figure *fg = NULL;
      for (size_t k = 0; same && k < rv->n_figures && !fg; k++)
        if (strcmp(rv->figures[k].name, names[j]) == 0)
          fg = &rv->figures[k];
      if (fg)
        ledger_int(l, fg->value);
      else
        ledger_blank(l);
    }
    ledger_row_end(l);
  }
  return ledger_send(l, p);
}
