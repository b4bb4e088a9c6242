/* report: the pages of progress reporting, as plain HTML forms.
 *   /my                  a clerk's work: the items its unit owns, what needs action
 * first (returned, due this period, missing earlier), each with this period's state,
 * due day, latest report and the one action that fits;
 *   /items/{id}/report   the report form, above it the item and its latest
 * report (with the reviewer's comment when it came back), so the clerk sees
 * why; /reviews             a coordinator's queue: counts per unit, a filter by
 * unit, task and period, one line per report (its details and its own accept /
 * return form on demand), select the page and accept what is ticked. The
 * rules (who may report or review, what a valid report is) are the services'
 * (service/report.h): these pages turn their code and field into a message next
 * to the input, keep every input, and answer success with 303. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/light.h"
#include "service/attachment.h"
#include "service/report.h"
#include "service/reporting.h"
#include "service/work_plan.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/web.h"

enum { FIGURE_ROWS = 5 };

/* ---- shared bits
 * ----------------------------------------------------------------------- */

/* ---- GET /my
 * ---------------------------------------------------------------------------
 */

/* The groups of /my, in their order: a returned report to answer, this period's report to
 * send, earlier periods missing, the rest. */
enum { MY_RETURNED, MY_DUE_NOW, MY_MISSING, MY_REST };

static bool returned(const struct work_item_view *it, const struct reporting_now *now) {
  return now->state == RS_RETURNED || (it->review && strcmp(it->review, "returned") == 0);
}

static int my_rank(const struct work_item_view *it, const struct reporting_now *now) {
  if (returned(it, now))
    return MY_RETURNED;
  if (now->period[0] && (now->state == RS_DUE || now->state == RS_MISSING))
    return MY_DUE_NOW;
  return now->missing ? MY_MISSING : MY_REST;
}

/* One table of /my: the items order[0..n) of items. */
static void my_table(struct req *r, struct sb *b, const struct work_item_view *items,
                     const struct reporting_now *nows, const int *rank, const size_t *order,
                     size_t n, const char *today) {
  html_printf(b,
              "<table class=\"work\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_light"), web_t(r, "ui_item"), web_t(r, "ui_due"),
              web_t(r, "ui_rs_now"), web_t(r, "ui_latest_report"),
              web_t(r, "ui_report_action"));
  for (size_t j = 0; j < n; j++) {
    const struct work_item_view *it = &items[order[j]];
    const struct reporting_now *now = &nows[order[j]];
    bool overdue =
        it->light != LIGHT_DONE && it->due && strcmp(it->due, today) < 0;
    html_printf(b, "<tr%s><td>", overdue ? " class=\"overdue\"" : "");
    /* a returned report is not "fine", whatever its status said: it says so instead */
    if (returned(it, now))
      web_report_state_badge(r, b, RS_RETURNED);
    else
      web_light_badge(r, b, it->light);
    html_printf(b, "</td>\n<td><a href=\"/items/%lld/report\">%h</a>",
                (long long)it->id, it->title);
    if (it->task_number)
      html_printf(b, "<br><span class=\"meta\">%h %d %h</span>",
                  web_t(r, "ui_task"), it->task_number,
                  it->task_title ? it->task_title : "");
    html_printf(b, "</td>\n<td>%h", web_date(r, it->due));
    if (overdue)
      html_printf(b, " <strong class=\"overdue-label\">%h</strong>",
                  web_t(r, "ui_overdue"));
    html_printf(b, "</td>\n<td>");
    if (now->period[0]) {
      html_printf(b, "%h ", web_period(r, now->period));
      web_report_state_badge(r, b, now->state);
      html_printf(b, "<br><span class=\"meta\">%h%h</span>", web_t(r, "ui_rs_due_on"),
                  web_date(r, now->due));
    } else {
      html_printf(b, "<span class=\"meta\">—</span>");
    }
    if (now->missing)
      html_printf(b, "<br><strong class=\"overdue-label\">%h%d%h</strong>",
                  web_t(r, "ui_rs_missing_earlier"), now->missing, web_t(r, "ui_rs_periods"));
    html_printf(b, "</td>\n<td>");
    if (it->report_id) {
      html_printf(
          b, "%h · %h · %d%%<br><span class=\"review review-%h\">%h</span>",
          web_period(r, it->report_period), web_status_label(r, it->report_status),
          it->report_percent, it->review ? it->review : "pending",
          web_t(r, web_review_label(it->review)));
      /* What to fix, where the clerk looks first (the form repeats it). */
      if (it->review && strcmp(it->review, "returned") == 0 &&
          it->review_comment && *it->review_comment)
        html_printf(b, "<br><span class=\"reviewer-comment\">%h%h%h</span>",
                    web_t(r, "ui_reviewer_comment"), web_t(r, "ui_colon"),
                    it->review_comment);
    } else {
      html_printf(b, "<span class=\"meta\">%h</span>",
                  web_t(r, "ui_no_report"));
    }
    /* 填报进展 only where a report is wanted; otherwise the form is there to look or correct */
    const char *action = rank[order[j]] == MY_RETURNED ? "ui_report_again"
                         : rank[order[j]] < MY_REST    ? "ui_report_action"
                                                       : "ui_report_view";
    html_printf(b,
                "</td>\n<td><a href=\"/items/%lld/report\" class=\"%s\">%h"
                "<span class=\"visually-hidden\"> · %h</span></a></td></tr>\n",
                (long long)it->id, rank[order[j]] < MY_REST ? "button" : "secondary",
                web_t(r, action), it->title);
  }
  html_printf(b, "</tbody>\n</table>\n");
}

/* GET /my[?all=1]: the unit's open items (not done), soonest due first, so what
 * is late leads; ?all=1 adds the finished ones. */
int web_my(struct req *r, struct resp *p) {
  struct work_item_page page = {0};
  int64_t after = web_page_after(r);
  if (after < 0)
    return web_bad_query(r, p);
  const char *all_s = req_query(r, "all");
  bool all = all_s && strcmp(all_s, "1") == 0;
  const char *path = all ? "/my?all=1" : "/my";
  int format = ledger_asked(r);
  if (format < 0)
    return web_bad_query(r, p);
  if (format != LEDGER_PAGE)
    return web_my_ledger(r, p, format, all);
  if (r->user->unit_id) {
    int rc = work_plan_unit_items(&r->ctx, r->user->unit_id, 0, !all, after,
                                  WORK_ITEM_PAGE_DEFAULT, &page);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
  }
  char today[11], soon[11];
  light_today(today, soon);
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p, web_t(r, "ui_my_work"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h</p>\n",
              web_t(r, "ui_my_work"),
              web_t(r, all ? "ui_my_work_intro_all" : "ui_my_work_intro"));
  html_printf(b, "<p class=\"plan-actions\"><a href=\"%h\">%h</a></p>\n",
              all ? "/my" : "/my?all=1",
              web_t(r, all ? "ui_my_work_open_only" : "ui_my_work_show_all"));
  ledger_links(r, b, path);
  const char *done = req_query(r, "done");
  if (done && strcmp(done, "report") == 0)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n",
                web_t(r, "ui_report_submitted"));
  if (page.n == 0) {
    html_printf(b, "<p>%h</p>\n",
                web_t(r, all ? "ui_no_items" : "ui_no_open_items"));
    web_pager(r, b, path, after, false, 0);
    return web_end(r, p);
  }
  /* What each item must report now (the reporting calendar), and so what comes first:
   * returned reports, then this period's reports not yet sent, then earlier missing ones;
   * the rest after them (each group keeps the soonest-due order of the page). */
  struct reporting_now *now = arena_alloc(r->arena, (page.n + 1) * sizeof *now);
  if (reporting_views_now(&r->ctx, page.items, page.n, now) != SVC_OK)
    return web_service_page(r, p, SVC_ERROR);
  size_t *order = arena_alloc(r->arena, (page.n + 1) * sizeof *order);
  int *rank = arena_alloc(r->arena, (page.n + 1) * sizeof *rank);
  size_t n_action = 0;
  for (size_t i = 0; i < page.n; i++) {
    rank[i] = my_rank(&page.items[i], &now[i]);
    n_action += rank[i] < MY_REST;
  }
  size_t k = 0;
  for (int g = 0; g <= MY_REST; g++)
    for (size_t i = 0; i < page.n; i++)
      if (rank[i] == g)
        order[k++] = i;
  for (int part = 0; part < 2; part++) {
    size_t from = part ? n_action : 0, to = part ? page.n : n_action;
    if (from == to)
      continue;
    html_printf(b, "<h2>%h</h2>\n", web_t(r, part ? "ui_my_rest" : "ui_my_needs_action"));
    my_table(r, b, page.items, now, rank, order + from, to - from, today);
  }
  web_pager(r, b, path, after, page.more, page.next_after);
  web_import_form(r, b, "reports", NULL); /* many reports at once: web/import.c */
  return web_end(r, p);
}

/* ---- the report form
 * ------------------------------------------------------------------- */

/* What the form shows: the inputs (as typed) and a message id per field. */
struct report_form {
  const char *period, *status, *percent, *narrative;
  const char *fig_name[FIGURE_ROWS], *fig_value[FIGURE_ROWS],
      *fig_unit[FIGURE_ROWS];
  const char *e_period, *e_status, *e_percent, *e_narrative, *e_figures, *e_top;
  const char *e_fig[FIGURE_ROWS];
  const char *e_file; /* the evidence file's message (a browser never keeps a chosen file) */
  const char *correction, *e_correction; /* the box "this corrects an accepted report" */
};

/* The item, when the caller may report on it: its unit owns it (a leader never
 * reports), or it is an admin. Otherwise an error page is written and its
 * status returned (0: go on). */
static int load_item(struct req *r, struct resp *p, struct work_item_view *it) {
  int rc = work_plan_item_get(&r->ctx, r->ids[0], it);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  const struct user *u = r->user;
  if (u->role != ROLE_ADMIN &&
      (u->role == ROLE_LEADER || u->unit_id != it->owner.id))
    return web_error(r, p, 403, "ui_forbidden_title", "err_not_owner");
  return 0;
}

static void report_block(struct req *r, struct sb *b,
                         const struct report_view *v, const char *review);

/* The month a report on an item is for by default: this month, or for an item
 * of a plan year far from today the nearest month the service takes (the
 * plan's year ±1), so the preselected period is never refused. */
static void period_anchor(int plan_year, int *y, int *m) {
  char today[11], soon[11];
  light_today(today, soon);
  *y = atoi(today), *m = atoi(today + 5);
  if (plan_year && *y > plan_year + 1)
    *y = plan_year + 1, *m = 12;
  else if (plan_year && *y < plan_year - 1)
    *y = plan_year - 1, *m = 1;
}

/* aria-invalid and aria-describedby (the message web_field_error writes) of an
 * input with a message, then the tag's end (">"). */
static void end_tag(struct sb *b, const char *msg, const char *for_id) {
  if (msg)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"%h-error\"", for_id);
  html_printf(b, ">");
}

/* The anchor month, the two before it, and its quarter. */
static void period_options(struct req *r, struct sb *b, const char *chosen,
                           int plan_year) {
  int y, m;
  period_anchor(plan_year, &y, &m);
  const char *opts[4];
  for (int k = 0; k < 3; k++) {
    int mm = m - k, yy = y;
    if (mm <= 0) {
      mm += 12;
      yy--;
    }
    opts[k] = arena_printf(r->arena, "%04d-%02d", yy, mm);
  }
  opts[3] = arena_printf(r->arena, "%04d-Q%d", y, (m - 1) / 3 + 1);
  bool found = false;
  /* Only periods the service takes (the plan's year ±1): near the range's ends
   * the months before the anchor may fall outside it. */
  for (int k = 0; k < 4; k++) {
    int oy = atoi(opts[k]);
    if (plan_year && (oy < plan_year - 1 || oy > plan_year + 1))
      opts[k] = NULL;
  }
  for (int k = 0; k < 4; k++)
    found |= chosen && opts[k] && strcmp(chosen, opts[k]) == 0;
  if (chosen && *chosen && !found) /* a period kept from an earlier report */
    html_printf(b, "<option value=\"%h\" selected>%h</option>\n", chosen,
                web_period(r, chosen));
  for (int k = 0; k < 4; k++)
    if (opts[k])
      html_printf(b, "<option value=\"%h\"%s>%h</option>\n", opts[k],
                  chosen && strcmp(chosen, opts[k]) == 0 ? " selected" : "",
                  web_period(r, opts[k]));
}

static int report_page(struct req *r, struct resp *p, int status,
                       const struct work_item_view *it,
                       const struct report_form *f) {
  struct report_view latest;
  bool have_latest = false;
  if (it->report_id) {
    int rc = report_get(&r->ctx, it->report_id, &latest);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
    have_latest = true;
  }
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_report_title"));
  html_printf(b, "<p><a href=\"/my\">%h</a></p>\n<h1>%h</h1>\n",
              web_t(r, "ui_my_work"), it->title);
  html_printf(b, "<dl class=\"facts\">\n");
  if (it->task_number)
    html_printf(b, "<dt>%h</dt><dd>%d %h</dd>\n", web_t(r, "ui_task"),
                it->task_number, it->task_title ? it->task_title : "");
  html_printf(b, "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>", web_t(r, "ui_due"),
              web_date(r, it->due), web_t(r, "ui_light"));
  web_light_badge(r, b, it->light);
  html_printf(b, "</dd>\n");
  if (it->indicator)
    html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_indicator"),
                it->indicator);
  if (it->target_value)
    html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_target_value"),
                it->target_value);
  html_printf(b, "</dl>\n");
  if (have_latest) {
    html_printf(b, "<section class=\"latest\">\n<h2>%h</h2>\n",
                web_t(r, "ui_latest_report"));
    report_block(r, b, &latest, latest.decision ? latest.decision : "pending");
    html_printf(b, "</section>\n");
  }

  html_printf(b, "<section class=\"report-form\">\n<h2>%h</h2>\n",
              web_t(r, "ui_report_title"));
  web_form_error(r, b, f->e_top);
  /* multipart: the report may carry evidence files (证据材料) */
  html_printf(b, "<form method=\"post\" action=\"/items/%lld/report\" "
                 "enctype=\"multipart/form-data\">\n",
              (long long)it->id);
  web_csrf_field(r, b);
  html_printf(b,
              "<p><label for=\"period\">%h</label>\n"
              "<select id=\"period\" name=\"period\"",
              web_t(r, "ui_period"));
  end_tag(b, f->e_period, "period");
  html_printf(b, "\n");
  period_options(r, b, f->period, it->year);
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_period, "period");
  html_printf(b, "</p>\n");
  /* Replacing an accepted report is asked for on purpose (service/report.h): the box is
   * offered when the latest report was accepted, or when the service asked for it. */
  if (f->e_correction ||
      (have_latest && latest.decision && strcmp(latest.decision, "accepted") == 0)) {
    html_printf(b, "<p><input id=\"correction\" name=\"correction\" type=\"checkbox\" "
                   "value=\"1\"%s",
                f->correction ? " checked" : "");
    end_tag(b, f->e_correction, "correction");
    html_printf(b, "<label class=\"inline\" for=\"correction\">%h</label>\n",
                web_t(r, "ui_correction_confirm"));
    web_field_error(r, b, f->e_correction, "correction");
    html_printf(b, "</p>\n");
  }
  html_printf(b, "<fieldset");
  end_tag(b, f->e_status, "status");
  html_printf(b, "\n<legend>%h</legend>\n", web_t(r, "ui_status"));
  for (size_t i = 0; i < web_n_statuses; i++)
    html_printf(b,
                "<label class=\"choice\"><input type=\"radio\" name=\"status\" "
                "value=\"%h\"%s> %h</label>\n",
                web_statuses[i].value,
                f->status && strcmp(f->status, web_statuses[i].value) == 0
                    ? " checked"
                    : "",
                web_t(r, web_statuses[i].label));
  web_field_error(r, b, f->e_status, "status");
  html_printf(
      b,
      "</fieldset>\n<p><label for=\"percent\">%h</label>\n"
      "<input id=\"percent\" name=\"percent\" type=\"number\" min=\"0\" "
      "max=\"100\" step=\"1\" inputmode=\"numeric\" value=\"%h\"",
      web_t(r, "ui_percent"), f->percent ? f->percent : "");
  end_tag(b, f->e_percent, "percent");
  html_printf(b, "\n");
  web_field_error(r, b, f->e_percent, "percent");
  html_printf(b,
              "</p>\n<p><label for=\"narrative\">%h</label>\n"
              "<textarea id=\"narrative\" name=\"narrative\" rows=\"8\" "
              "maxlength=\"20000\"",
              web_t(r, "ui_narrative"));
  end_tag(b, f->e_narrative, "narrative");
  html_printf(b, "%h</textarea>\n", f->narrative ? f->narrative : "");
  web_field_error(r, b, f->e_narrative, "narrative");
  html_printf(b, "</p>\n<fieldset class=\"figures\">\n<legend>%h</legend>\n",
              web_t(r, "ui_figures"));
  web_field_error(r, b, f->e_figures, "figures");
  /* Figures on demand: the rows in use and one empty row; the rest fold into a <details>, so
   * the keyboard reaches the submit button without passing a dozen empty fields. */
  int used = 0;
  for (int i = 0; i < FIGURE_ROWS; i++)
    if ((f->fig_name[i] && *f->fig_name[i]) || (f->fig_value[i] && *f->fig_value[i]) ||
        (f->fig_unit[i] && *f->fig_unit[i]) || f->e_fig[i])
      used = i + 1;
  int shown = used < FIGURE_ROWS ? used + 1 : FIGURE_ROWS;
  for (int i = 0; i < FIGURE_ROWS; i++) {
    if (i == shown)
      html_printf(b, "<details class=\"more-figures\"><summary>%h</summary>\n",
                  web_t(r, "ui_more_figures"));
    const char *fig = arena_printf(r->arena, "fig%d", i + 1);
    html_printf(b,
                "<div class=\"figure-row\">\n"
                "<label>%h <input type=\"text\" name=\"fig_name%d\" "
                "maxlength=\"50\" value=\"%h\"",
                web_t(r, "ui_figure_name"), i + 1,
                f->fig_name[i] ? f->fig_name[i] : "");
    end_tag(b, f->e_fig[i], fig);
    html_printf(b,
                "</label>\n<label>%h <input type=\"number\" name=\"fig_value%d\" "
                "step=\"1\" value=\"%h\"",
                web_t(r, "ui_figure_value"), i + 1,
                f->fig_value[i] ? f->fig_value[i] : "");
    end_tag(b, f->e_fig[i], fig);
    html_printf(b,
                "</label>\n<label>%h <input type=\"text\" name=\"fig_unit%d\" "
                "maxlength=\"20\" value=\"%h\"></label>\n",
                web_t(r, "ui_figure_unit"), i + 1,
                f->fig_unit[i] ? f->fig_unit[i] : "");
    web_field_error(r, b, f->e_fig[i], fig);
    html_printf(b, "</div>\n");
  }
  if (shown < FIGURE_ROWS)
    html_printf(b, "</details>\n");
  html_printf(b, "</fieldset>\n<fieldset class=\"files\">\n<legend>%h</legend>\n",
              web_t(r, "ui_att_title"));
  /* the files of the report this one follows: kept unless unticked (a correction usually
   * keeps its contract and replaces only what was wrong) */
  struct attachment_view *kept = NULL;
  size_t n_kept = 0;
  bool returned = have_latest && latest.decision && strcmp(latest.decision, "returned") == 0;
  if (returned && attachment_list(&r->ctx, "report", latest.id, &kept, &n_kept) != SVC_OK)
    n_kept = 0;
  web_take_code(r, NULL);
  if (n_kept) {
    html_printf(b, "<p><input id=\"keep_files\" name=\"keep_files\" type=\"checkbox\" "
                   "value=\"1\" checked><label class=\"inline\" for=\"keep_files\">%h</label>"
                   "</p>\n<ul class=\"files\">\n",
                web_t(r, "ui_att_keep"));
    for (size_t i = 0; i < n_kept; i++)
      html_printf(b, "<li><a href=\"/attachments/%lld\" download>%h</a></li>\n",
                  (long long)kept[i].id, kept[i].filename);
    html_printf(b, "</ul>\n");
  }
  html_printf(b, "<p><label for=\"file\">%h</label>\n<input id=\"file\" name=\"file\" "
                 "type=\"file\"",
              web_t(r, "ui_att_add"));
  end_tag(b, f->e_file, "file");
  html_printf(b, "\n");
  web_field_error(r, b, f->e_file, "file");
  html_printf(b,
              "</p>\n<p class=\"meta\">%h</p>\n</fieldset>\n<p><button type=\"submit\">%h"
              "</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_att_hint"), web_t(r, "ui_submit_report"));
  return web_end(r, p);
}

/* GET /items/{id}/report: the form, filled in from the latest report when it
 * came back returned (a correction starts from what was sent). */
int web_report_form(struct req *r, struct resp *p) {
  struct work_item_view it;
  int st = load_item(r, p, &it);
  if (st)
    return st;
  struct report_form f = {0};
  int y, m;
  period_anchor(it.year, &y, &m);
  f.period = arena_printf(r->arena, "%04d-%02d", y, m);
  f.status = "on_track";
  if (it.report_id) {
    struct report_view v;
    int rc = report_get(&r->ctx, it.report_id, &v);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
    f.status = v.status;
    f.percent = arena_printf(r->arena, "%d", v.percent);
    if (v.decision && strcmp(v.decision, "returned") == 0) {
      f.period = v.period;
      f.narrative = v.narrative;
      for (size_t i = 0; i < v.n_figures && i < FIGURE_ROWS; i++) {
        f.fig_name[i] = v.figures[i].name;
        f.fig_value[i] = arena_printf(r->arena, "%" PRId64, v.figures[i].value);
        f.fig_unit[i] = v.figures[i].unit;
      }
    }
  }
  return report_page(r, p, 200, &it, &f);
}

/* POST /items/{id}/report: 303 to /my?done=report, or the form again with the
 * message next to the field and every input kept. */
int web_report_submit(struct req *r, struct resp *p) {
  struct work_item_view it;
  int st = load_item(r, p, &it);
  if (st)
    return st;
  struct report_form f = {0};
  f.period = req_form(r, "period");
  f.status = req_form(r, "status");
  f.percent = req_form(r, "percent");
  f.narrative = req_form(r, "narrative");
  f.correction = req_form(r, "correction");
  struct report_figure figs[FIGURE_ROWS];
  int row_of[FIGURE_ROWS];
  size_t n = 0;
  bool bad = false;
  for (int i = 0; i < FIGURE_ROWS; i++) {
    f.fig_name[i] = req_form(r, arena_printf(r->arena, "fig_name%d", i + 1));
    f.fig_value[i] = req_form(r, arena_printf(r->arena, "fig_value%d", i + 1));
    f.fig_unit[i] = req_form(r, arena_printf(r->arena, "fig_unit%d", i + 1));
    bool has_name = f.fig_name[i] && *f.fig_name[i],
         has_value = f.fig_value[i] && *f.fig_value[i],
         has_unit = f.fig_unit[i] && *f.fig_unit[i];
    if (!has_name && !has_value && !has_unit)
      continue;
    long long v = 0;
    if (!has_name || !has_value) {
      f.e_fig[i] = "err_required";
      bad = true;
      continue;
    }
    if (!web_parse_int(f.fig_value[i], &v)) {
      f.e_fig[i] = "err_type";
      bad = true;
      continue;
    }
    figs[n] = (struct report_figure){.name = f.fig_name[i],
                                     .value = v,
                                     .unit = has_unit ? f.fig_unit[i] : NULL};
    row_of[n++] = i;
  }
  /* What the form alone can tell is told at once, every field together; the
   * service then judges the rest (the period's range, status against percent,
   * lengths) and names the first field it refuses. */
  long long percent = -1;
  if (!f.percent || !*f.percent) {
    f.e_percent = "err_required";
    bad = true;
  } else if (!web_parse_int(f.percent, &percent)) {
    f.e_percent = "err_type";
    bad = true;
  } else if (percent < 0 || percent > 100) {
    f.e_percent = "err_range";
    bad = true;
  }
  if (!f.status || !*f.status) {
    f.e_status = "err_status";
    bad = true;
  } else if (!f.e_percent && !report_percent_fits(f.status, (int)percent)) {
    f.e_percent = "err_percent_status";
    bad = true;
  }
  if (!f.narrative || !f.narrative[strspn(f.narrative, " \t\r\n")]) {
    f.e_narrative = "err_required";
    bad = true;
  }
  /* an evidence file goes with it: checked before the report is stored */
  const struct upload *file = req_upload(r, "file");
  int file_status = 422;
  if (file && attachment_check(&r->ctx, file->content_type, file->data, file->len, NULL) !=
                  SVC_OK) {
    f.e_file = web_take_code(r, "err_invalid");
    file_status = web_attachment_status(f.e_file);
    bad = true;
  }
  if (bad) {
    f.e_top = "ui_form_has_errors";
    return report_page(r, p, f.e_file && !f.e_percent && !f.e_status && !f.e_narrative
                                 ? file_status
                                 : 422,
                       &it, &f);
  }
  struct report_input in = {
      .work_item_id = it.id,
      .period = f.period ? f.period : "",
      .status = f.status ? f.status : "",
      .percent = percent > 1000 ? 1000 : (int)percent,
      .narrative = f.narrative ? f.narrative : "",
      .figures = figs,
      .n_figures = n,
      /* the form always states it: the box unticked is a "no" */
      .correction = f.correction ? REPORT_CORRECTION_YES : REPORT_CORRECTION_NO,
  };
  int64_t rid = 0;
  int rc = report_submit(&r->ctx, &in, &rid);
  /* a correction of a returned report keeps its files when asked (the box is offered then) */
  if (rc == SVC_OK && it.report_id && req_form(r, "keep_files")) {
    struct report_view prev;
    if (report_get(&r->ctx, it.report_id, &prev) != SVC_OK)
      web_take_code(r, NULL); /* nothing to keep */
    else if (prev.decision && strcmp(prev.decision, "returned") == 0)
      rc = attachment_copy(&r->ctx, "report", it.report_id, rid, NULL);
  }
  if (rc == SVC_OK && file)
    rc = attachment_add(&r->ctx, "report", rid, file->filename, file->content_type, file->data,
                        file->len, NULL);
  if (rc == SVC_OK)
    return web_redirect(r, p, "/my?done=report");
  if (rid) /* the report is in; a file that could not follow says so */
    return web_service_page(r, p, rc);
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field ? r->ctx.field : "";
  const char *code = web_take_code(r, "err_invalid");
  size_t k;
  if (strcmp(field, "period") == 0)
    f.e_period = code;
  else if (strcmp(field, "status") == 0)
    f.e_status = code;
  else if (strcmp(field, "percent") == 0)
    f.e_percent = code;
  else if (strcmp(field, "narrative") == 0)
    f.e_narrative = code;
  else if (strcmp(field, "correction") == 0)
    f.e_correction = code;
  else if (sscanf(field, "figures[%zu]", &k) == 1 && k < n)
    f.e_fig[row_of[k]] = code;
  else if (strncmp(field, "figures", 7) == 0)
    f.e_figures = code;
  else
    f.e_top = code;
  if (!f.e_top)
    f.e_top = "ui_form_has_errors";
  return report_page(r, p, rc == SVC_CONFLICT ? 409 : 422, &it, &f);
}

/* ---- the review queue
 * ------------------------------------------------------------------ */

/* One report: period, status, percent, narrative, figures, who and when; with
 * its review state (accepted, returned, pending, superseded) unless review is
 * NULL. */
static void report_block(struct req *r, struct sb *b,
                         const struct report_view *v, const char *review) {
  html_printf(b,
              "<dl class=\"facts\">\n<dt>%h</dt><dd>%h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%d%%</dd>\n"
              "<dt>%h</dt><dd>%h · %h</dd>\n",
              web_t(r, "ui_period"), web_period(r, v->period),
              web_t(r, "ui_status"), web_status_label(r, v->status),
              web_t(r, "ui_percent_done"), v->percent, web_t(r, "ui_submitted_by"),
              v->submitted_by_name && *v->submitted_by_name ? v->submitted_by_name
                                                            : v->submitted_by_login,
              web_date(r, v->at));
  if (review)
    html_printf(
        b, "<dt>%h</dt><dd><span class=\"review review-%h\">%h</span></dd>\n",
        web_t(r, "ui_review_state"), review, web_t(r, web_review_label(review)));
  html_printf(b, "</dl>\n<div class=\"narrative\">%h</div>\n",
              v->narrative ? v->narrative : "");
  if (v->n_figures) {
    html_printf(b, "<table class=\"figures\"><tbody>\n");
    for (size_t i = 0; i < v->n_figures; i++)
      html_printf(
          b,
          "<tr><th scope=\"row\">%h</th><td class=\"num\">%h</td></tr>\n",
          v->figures[i].name,
          web_figure(r, v->figures[i].value, v->figures[i].unit));
    html_printf(b, "</tbody></table>\n");
  }
  if (review && v->decision && v->comment && *v->comment)
    html_printf(b,
                "<p class=\"reviewer-comment\"><strong>%h%h</strong>%h</p>\n",
                web_t(r, "ui_reviewer_comment"), web_t(r, "ui_colon"), v->comment);
}

/* The queue's filter from the query (unit, task, period; absent: any); false when a value
 * is not one (a 400). */
static bool queue_filter(struct req *r, struct report_filter *f) {
  memset(f, 0, sizeof *f);
  if (!web_query_id(r, "unit", &f->unit_id) || !web_query_id(r, "task", &f->task_id))
    return false;
  const char *period = req_query(r, "period");
  if (period && *period && !report_period_ok(period))
    return false;
  f->period = period && *period ? period : NULL;
  return true;
}

/* /reviews with the filter (and select=all when select): the links, the pager and the
 * redirect after a bulk accept keep it. Arena string. */
static const char *queue_path(struct req *r, const struct report_filter *f, bool select,
                              int64_t after) {
  struct sb q = SB_INIT;
  sb_append(&q, "/reviews");
  if (f->unit_id)
    web_query_add(&q, "unit", arena_printf(r->arena, "%lld", (long long)f->unit_id));
  if (f->task_id)
    web_query_add(&q, "task", arena_printf(r->arena, "%lld", (long long)f->task_id));
  if (f->period)
    web_query_add(&q, "period", f->period);
  if (after)
    web_query_add(&q, "after", arena_printf(r->arena, "%lld", (long long)after));
  if (select)
    web_query_add(&q, "select", "all");
  const char *path = arena_strdup(r->arena, sb_str(&q));
  sb_free(&q);
  return path;
}

/* The counts per unit (each a link to the queue of that unit) and the filter form: GET,
 * no script needed. */
static void queue_filters(struct req *r, struct sb *b, const struct report_pending_counts *c,
                          const struct report_filter *f) {
  html_printf(b, "<section class=\"queue-counts\">\n<h2 id=\"by-unit\">%h</h2>\n"
                 "<table class=\"counts\" aria-labelledby=\"by-unit\"><thead><tr>"
                 "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th></tr></thead>"
                 "\n<tbody>\n",
              web_t(r, "ui_pending_by_unit"), web_t(r, "ui_unit"), web_t(r, "ui_pending_count"));
  for (size_t i = 0; i < c->n_units; i++) {
    struct report_filter one = {.unit_id = c->units[i].id};
    html_printf(b, "<tr%s><th scope=\"row\"><a href=\"%h\">%h</a></th>"
                   "<td class=\"num\">%lld</td></tr>\n",
                f->unit_id == c->units[i].id ? " class=\"current\"" : "",
                queue_path(r, &one, false, 0), c->units[i].name,
                (long long)c->units[i].pending);
  }
  html_printf(b, "<tr><th scope=\"row\">%h</th><td class=\"num\">%lld</td></tr>\n"
                 "</tbody></table>\n</section>\n",
              web_t(r, "ui_pending_total"), (long long)c->total);
  html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/reviews\">\n"
                 "<p><label for=\"f-unit\">%h</label><br>\n<select id=\"f-unit\" name=\"unit\">"
                 "<option value=\"\">%h</option>\n",
              web_t(r, "ui_unit"), web_t(r, "ui_filter_any"));
  for (size_t i = 0; i < c->n_units; i++)
    html_printf(b, "<option value=\"%lld\"%s>%h（%lld）</option>\n", (long long)c->units[i].id,
                f->unit_id == c->units[i].id ? " selected" : "", c->units[i].name,
                (long long)c->units[i].pending);
  html_printf(b, "</select></p>\n<p><label for=\"f-task\">%h</label><br>\n"
                 "<select id=\"f-task\" name=\"task\"><option value=\"\">%h</option>\n",
              web_t(r, "ui_task"), web_t(r, "ui_filter_any"));
  for (size_t i = 0; i < c->n_tasks; i++)
    if (c->tasks[i].id) /* items serving no task have no filter of their own */
      html_printf(b, "<option value=\"%lld\"%s>%d %h（%lld）</option>\n",
                  (long long)c->tasks[i].id, f->task_id == c->tasks[i].id ? " selected" : "",
                  c->tasks[i].number, c->tasks[i].name, (long long)c->tasks[i].pending);
  html_printf(b, "</select></p>\n<p><label for=\"f-period\">%h</label><br>\n"
                 "<select id=\"f-period\" name=\"period\"><option value=\"\">%h</option>\n",
              web_t(r, "ui_period"), web_t(r, "ui_filter_any"));
  for (size_t i = 0; i < c->n_periods; i++)
    html_printf(b, "<option value=\"%h\"%s>%h（%lld）</option>\n", c->periods[i].name,
                f->period && strcmp(f->period, c->periods[i].name) == 0 ? " selected" : "",
                web_period(r, c->periods[i].name), (long long)c->periods[i].pending);
  html_printf(b, "</select></p>\n<p><button type=\"submit\">%h</button>", web_t(r, "ui_filter"));
  if (f->unit_id || f->task_id || f->period)
    html_printf(b, " <a href=\"/reviews\">%h</a>", web_t(r, "ui_filter_clear"));
  html_printf(b, "</p>\n</form>\n");
}

/* The bulk buttons, above and below the list: select this page (a reload with every box
 * ticked: no script) or clear it, and accept what is ticked (form="bulk"). */
static void bulk_actions(struct req *r, struct sb *b, const struct report_filter *f,
                         int64_t after, bool selected) {
  html_printf(b, "<p class=\"actions bulk-actions\"><a class=\"button secondary\" href=\"%h\">"
                 "%h</a>\n<button type=\"submit\" form=\"bulk\">%h</button></p>\n",
              queue_path(r, f, !selected, after),
              web_t(r, selected ? "ui_select_none" : "ui_select_page"),
              web_t(r, "ui_accept_selected"));
}

/* The queue with status; notice_id a confirmation; err_id the message shown in
 * the form of report err_report (0: at the top), with the comment kept. One line per
 * report; the report beside the previous one, and its own accept / return form, in a
 * <details> opened on demand (or when its form has the error). */
static int reviews_page(struct req *r, struct resp *p, int status,
                        const char *notice_id, int64_t err_report,
                        const char *err_id, const char *comment) {
  struct report_pending_page page;
  struct report_pending_counts counts;
  struct report_filter f;
  int64_t after = web_page_after(r);
  if (after < 0 || !queue_filter(r, &f))
    return web_bad_query(r, p);
  const char *sel = req_query(r, "select");
  bool selected = sel && strcmp(sel, "all") == 0;
  int rc = report_pending_filtered(&r->ctx, &f, after, REPORT_PAGE_DEFAULT, &page);
  if (rc == SVC_OK)
    rc = report_pending_counts(&r->ctx, &counts);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_reviews_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h</p>\n",
              web_t(r, "ui_reviews_title"), web_t(r, "ui_reviews_intro"));
  ledger_links(r, b, queue_path(r, &f, false, 0));
  if (notice_id)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n",
                web_t(r, notice_id));
  /* a refused review of a report not on this page is said at the top */
  bool err_here = false;
  for (size_t i = 0; err_report && i < page.n; i++)
    err_here |= page.items[i].report.id == err_report;
  if (!err_here)
    web_form_error(r, b, err_id);
  if (counts.total)
    queue_filters(r, b, &counts, &f);
  const char *path = queue_path(r, &f, false, 0);
  if (page.n == 0) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_no_pending"));
    web_pager(r, b, path, after, false, 0);
    return web_end(r, p);
  }
  /* The checkboxes of every report belong to this form (form="bulk"), so the
   * per-report forms need not nest in it; the filter goes along for the way back. */
  html_printf(
      b, "<form id=\"bulk\" method=\"post\" action=\"/reviews/accept\">\n");
  web_csrf_field(r, b);
  if (f.unit_id)
    html_printf(b, "<input type=\"hidden\" name=\"unit\" value=\"%lld\">\n", (long long)f.unit_id);
  if (f.task_id)
    html_printf(b, "<input type=\"hidden\" name=\"task\" value=\"%lld\">\n", (long long)f.task_id);
  if (f.period)
    html_printf(b, "<input type=\"hidden\" name=\"period\" value=\"%h\">\n", f.period);
  html_printf(b, "</form>\n");
  bulk_actions(r, b, &f, after, selected);
  for (size_t i = 0; i < page.n; i++) {
    const struct report_view *v = &page.items[i].report;
    const struct report_view *prev = page.items[i].previous;
    /* what every control of the entry is named by: unit · period · item */
    const char *name = arena_printf(r->arena, "%s · %s · %s", v->unit_name,
                                    web_period(r, v->period), v->item_title);
    bool here = err_report == v->id;
    html_printf(
        b,
        "<article class=\"review-entry\" id=\"report-%lld\">\n<h2>"
        "<input type=\"checkbox\" id=\"pick-%lld\" name=\"report\" value=\"%lld\" "
        "form=\"bulk\" aria-label=\"%h%h\"%s> <label for=\"pick-%lld\">%h</label></h2>\n"
        "<p class=\"meta\">%h · %h · %h · %d%% · %h %h</p>\n"
        "<details%s><summary>%h<span class=\"visually-hidden\"> · %h</span></summary>\n"
        "<div class=\"compare\">\n<section><h3>%h</h3>\n",
        (long long)v->id, (long long)v->id, (long long)v->id, web_t(r, "ui_select_report"),
        name, selected ? " checked" : "", (long long)v->id, v->item_title, v->unit_name,
        web_period(r, v->period), web_status_label(r, v->status), v->percent,
        v->submitted_by_name && *v->submitted_by_name ? v->submitted_by_name
                                                      : v->submitted_by_login,
        web_date(r, v->at), here ? " open" : "", web_t(r, "ui_review_details"), name,
        web_t(r, "ui_this_report"));
    report_block(r, b, v, NULL);
    html_printf(b, "</section>\n<section class=\"previous\"><h3>%h</h3>\n",
                web_t(r, "ui_previous_report"));
    if (prev) /* the one this report corrects is replaced, not waiting */
      report_block(r, b, prev,
                   prev->decision                    ? prev->decision
                   : v->supersedes_id == prev->id ? "superseded"
                                                  : "pending");
    else
      html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_no_previous"));
    html_printf(b, "</section>\n</div>\n");
    /* the queue's filter and page ride in the action's query: the answer comes back to
     * the same list (web_report_review) */
    const char *q = strchr(queue_path(r, &f, false, after), '?');
    html_printf(b, "<form method=\"post\" action=\"/reports/%lld/review%h\">\n",
                (long long)v->id, q ? q : "");
    web_csrf_field(r, b);
    html_printf(b,
                "<p><label for=\"comment-%lld\">%h<span class=\"visually-hidden\"> · %h"
                "</span></label>\n"
                "<textarea id=\"comment-%lld\" name=\"comment\" rows=\"3\" "
                "maxlength=\"2000\"%s>%h</textarea>\n",
                (long long)v->id, web_t(r, "ui_comment"), name, (long long)v->id,
                here ? " aria-invalid=\"true\"" : "",
                here && comment ? comment : "");
    if (here)
      web_field_error(r, b, err_id,
               arena_printf(r->arena, "comment-%lld", (long long)v->id));
    html_printf(
        b,
        "</p>\n<p class=\"actions\"><button type=\"submit\" name=\"decision\" "
        "value=\"accepted\" aria-label=\"%h%h\">%h</button>\n"
        "<button type=\"submit\" name=\"decision\" value=\"returned\" "
        "class=\"secondary\" aria-label=\"%h%h\">%h</button></p>\n</form>\n"
        "</details>\n</article>\n",
        web_t(r, "ui_accept_named"), name, web_t(r, "ui_accept"),
        web_t(r, "ui_return_named"), name, web_t(r, "ui_return"));
  }
  bulk_actions(r, b, &f, after, selected);
  web_pager(r, b, path, after, page.more, page.next_after);
  return web_end(r, p);
}

/* GET /reports/{id}: one report to read (any reader of its pairing): its item, unit, the
 * report with its review, and its files. */
int web_report_page(struct req *r, struct resp *p) {
  struct report_view v;
  int rc = report_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p, arena_printf(r->arena, "%s · %s", v.item_title, web_period(r, v.period)));
  html_printf(b,
              "<p class=\"crumbs no-print\"><a href=\"/work-items/%lld\">%h</a></p>\n"
              "<h1>%h</h1>\n<p class=\"lead\">%h · %h</p>\n",
              (long long)v.work_item_id, v.item_title, web_t(r, "ui_report_title"),
              v.unit_name, web_period(r, v.period));
  report_block(r, b, &v, v.decision ? v.decision : "pending");
  web_attachments_section(r, b, "report", v.id, NULL, NULL);
  return web_end(r, p);
}

int web_reviews(struct req *r, struct resp *p) {
  int format = ledger_asked(r);
  if (format < 0)
    return web_bad_query(r, p);
  if (format != LEDGER_PAGE) {
    struct report_filter f;
    if (!queue_filter(r, &f))
      return web_bad_query(r, p);
    return web_reviews_ledger(r, p, format, &f);
  }
  const char *done = req_query(r, "done"), *notice = NULL;
  if (done && strcmp(done, "accepted") == 0)
    notice = "ui_review_saved_accepted";
  else if (done && strcmp(done, "returned") == 0)
    notice = "ui_review_saved_returned";
  else if (done && strcmp(done, "selected") == 0)
    notice = "ui_reviews_accepted_many";
  return reviews_page(r, p, 200, notice, 0, NULL, NULL);
}

/* POST /reports/{id}/review (decision accepted|returned, comment): 303 to
 * /reviews?done=…, or the queue with the error in that report's form. */
int web_report_review(struct req *r, struct resp *p) {
  const char *decision = req_form(r, "decision"),
             *comment = req_form(r, "comment");
  int64_t id = r->ids[0];
  bool accept = decision && strcmp(decision, "accepted") == 0;
  if (!accept && (!decision || strcmp(decision, "returned") != 0))
    return reviews_page(r, p, 422, NULL, id, "err_invalid", comment);
  int rc =
      report_review(&r->ctx, id, accept, comment && *comment ? comment : NULL);
  if (rc == SVC_OK) {
    /* back to the list as it was filtered (a value that is not one is dropped) */
    struct report_filter f;
    if (!queue_filter(r, &f))
      memset(&f, 0, sizeof f);
    struct sb q = SB_INIT;
    sb_append(&q, queue_path(r, &f, false, 0));
    web_query_add(&q, "done", accept ? "accepted" : "returned");
    const char *to = arena_strdup(r->arena, sb_str(&q));
    sb_free(&q);
    return web_redirect(r, p, to);
  }
  if (rc == SVC_INVALID)
    return reviews_page(r, p, 422, NULL, id, web_take_code(r, "err_invalid"),
                        comment);
  if (rc == SVC_CONFLICT)
    return reviews_page(r, p, 409, NULL, 0, web_take_code(r, "err_not_pending"),
                        NULL);
  return web_service_page(r, p, rc);
}

/* POST /reviews/accept (report=ID, repeated): accepts each; a report reviewed
 * meanwhile is skipped. The first refusal ends the batch with its page (the
 * reports before it stay accepted: each review is its own transaction). */
int web_reviews_accept(struct req *r, struct resp *p) {
  size_t seen = 0;
  for (size_t i = 0; i < r->n_form; i++) {
    long long id;
    if (strcmp(r->form[i].name, "report") != 0)
      continue;
    seen++;
    if (!web_parse_int(r->form[i].value, &id) || id <= 0)
      return reviews_page(r, p, 422, NULL, 0, "err_invalid", NULL);
    int rc = report_review(&r->ctx, id, true, NULL);
    if (rc == SVC_CONFLICT) {
      web_take_code(r, NULL);
      continue;
    }
    if (rc == SVC_INVALID)
      return reviews_page(r, p, 422, NULL, 0, web_take_code(r, "err_invalid"),
                          NULL);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
  }
  if (seen == 0)
    return reviews_page(r, p, 422, NULL, 0, "err_none_selected", NULL);
  /* back to the queue as it was filtered (a value that is not one is dropped) */
  struct report_filter f = {0};
  long long x;
  if (web_parse_int(req_form(r, "unit"), &x) && x > 0)
    f.unit_id = x;
  if (web_parse_int(req_form(r, "task"), &x) && x > 0)
    f.task_id = x;
  const char *period = req_form(r, "period");
  if (period && report_period_ok(period))
    f.period = period;
  struct sb q = SB_INIT;
  sb_append(&q, queue_path(r, &f, false, 0));
  web_query_add(&q, "done", "selected");
  const char *to = arena_strdup(r->arena, sb_str(&q));
  sb_free(&q);
  return web_redirect(r, p, to);
}
