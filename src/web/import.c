/* import: the pages of a spreadsheet import (the rules are service/import.h's).
 *   the upload form      on /my (reports), the work-plan editor (work_items, with the plan's
 *                        id) and /projects (projects): a file, posted to /imports
 *   POST /imports        reads and checks the file: 303 to its preview, or the form again with
 *                        the reason a file cannot be read (422; nothing stored)
 *   GET /imports/{id}    the preview: every row with its errors beside it, then either the
 *                        commit button or what to correct
 *   POST /imports/{id}/commit  all rows in one transaction (corrections=1: the box that
 *                        confirms rows marked 更正): 303 back to the preview, which then says
 *                        how many rows were new, changed and unchanged; a row that fails is
 *                        named on the error page with a link back to the preview. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "service/import.h"
#include "web/html.h"
#include "web/web.h"

/* Where the user came from and goes back to: /my, or the work plan. */
static void back_link(struct req *r, struct sb *b, const char *kind, int64_t scope)
{
  if (kind && strcmp(kind, "work_items") == 0 && scope)
    html_printf(b, "<p><a href=\"/work-plans/%lld\">%h</a></p>\n", (long long)scope,
                web_t(r, "ui_wp_back_plan"));
  else if (kind && strcmp(kind, "projects") == 0)
    html_printf(b, "<p><a href=\"/projects\">%h</a></p>\n", web_t(r, "ui_prj_back_list"));
  else
    html_printf(b, "<p><a href=\"/my\">%h</a></p>\n", web_t(r, "ui_my_work"));
}

void web_import_form_in(struct req *r, struct sb *b, const char *kind, int64_t scope,
                        const char *err)
{
  static const char *const titles[][3] = {
      {"work_items", "ui_import_work_items", "ui_import_work_items_help"},
      {"projects", "ui_import_projects", "ui_import_projects_help"},
      {"reports", "ui_import_reports", "ui_import_reports_help"}};
  size_t t = 0;
  while (t < 2 && strcmp(kind, titles[t][0]) != 0)
    t++;
  html_printf(b, "<section class=\"import\" aria-labelledby=\"import-h\">\n"
                 "<h2 id=\"import-h\">%h</h2>\n<p class=\"meta\">%h</p>\n",
              web_t(r, titles[t][1]), web_t(r, titles[t][2]));
  html_printf(b, "<form method=\"post\" action=\"/imports\" enctype=\"multipart/form-data\">\n");
  web_csrf_field(r, b);
  html_printf(b, "<input type=\"hidden\" name=\"kind\" value=\"%h\">\n", kind);
  if (scope)
    html_printf(b, "<input type=\"hidden\" name=\"work_plan_id\" value=\"%lld\">\n",
                (long long)scope);
  html_printf(b, "<p><label for=\"import-file\">%h</label>\n"
                 "<input id=\"import-file\" name=\"file\" type=\"file\" required "
                 "accept=\".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"",
              web_t(r, "ui_import_file"));
  web_describe(b, "import-file", err);
  html_printf(b, ">\n");
  web_field_error(r, b, err, "import-file");
  html_printf(b, "</p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_import_upload"));
}

void web_import_form(struct req *r, struct sb *b, const char *kind, const char *err)
{
  web_import_form_in(r, b, kind, 0, err);
}

/* POST /imports (multipart: kind, file; work_items: work_plan_id). */
int web_import_upload(struct req *r, struct resp *p)
{
  const char *kind = req_form(r, "kind");
  const struct upload *u = req_upload(r, "file");
  long long scope = 0;
  const char *plan = req_form(r, "work_plan_id");
  if (plan && *plan && (!web_parse_int(plan, &scope) || scope < 1))
    return web_bad_query(r, p);
  struct import_view v;
  int rc = u ? import_preview(&r->ctx, kind, (int64_t)scope, u->filename, u->data, u->len, &v)
             : svc_fail(&r->ctx, SVC_INVALID, "err_required", "file", "no file");
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/imports/%lld", (long long)v.id));
  if (rc != SVC_INVALID || (r->ctx.field && strcmp(r->ctx.field, "file") != 0))
    return web_service_page(r, p, rc);
  const char *err = web_take_code(r, "err_invalid");
  p->status = 422;
  web_begin(r, p, web_t(r, "ui_import_preview"));
  html_printf(&p->body, "<h1>%h</h1>\n", web_t(r, "ui_import_preview"));
  web_import_form_in(r, &p->body, kind && *kind ? kind : "reports", (int64_t)scope, err);
  back_link(r, &p->body, kind, (int64_t)scope);
  return web_end(r, p);
}

/* The errors of a row, as a list (none: empty). */
static void row_errors(struct req *r, struct sb *b, const struct import_view *v, int row)
{
  bool any = false;
  for (size_t i = 0; i < v->n_errors; i++) {
    const struct import_error *e = &v->errors[i];
    if (e->row != row)
      continue;
    if (!any)
      html_printf(b, "<ul class=\"import-errors\">");
    any = true;
    html_printf(b, "<li class=\"error\">");
    if (e->column)
      html_printf(b, "<strong>%h</strong>%h", e->column, web_t(r, "ui_colon"));
    html_printf(b, "%h</li>", import_error_message(r->arena, r->lang, e));
  }
  if (any)
    html_printf(b, "</ul>");
}

/* The rows of a kind read from a table: its columns as the file had them, what the commit
 * does with each row (new, changed, unchanged), the errors beside. */
static void kind_table(struct req *r, struct sb *b, const struct import_view *v)
{
  html_printf(b, "<table class=\"work import-rows\">\n<thead><tr><th scope=\"col\">%h</th>",
              web_t(r, "ui_import_row"));
  for (size_t k = 0; k < v->n_cols; k++)
    html_printf(b, "<th scope=\"col\">%h</th>", web_t(r, v->cols[k].head));
  html_printf(b, "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_import_action"), web_t(r, "ui_import_errors"));
  for (size_t i = 0; i < v->n_rows; i++) {
    const struct import_row *row = &v->items[i];
    bool bad = false;
    for (size_t k = 0; k < v->n_errors && !bad; k++)
      bad = v->errors[k].row == row->row;
    html_printf(b, "<tr%s><th scope=\"row\">%d</th>", bad ? " class=\"has-error\"" : "",
                row->row);
    for (size_t k = 0; k < v->n_cols; k++)
      html_printf(b, "<td>%h</td>", row->cells[k]);
    const char *action = !row->action                             ? ""
                         : strcmp(row->action, "new") == 0       ? web_t(r, "ui_import_new")
                         : strcmp(row->action, "update") == 0    ? web_t(r, "ui_import_update")
                                                                 : web_t(r, "ui_import_same");
    html_printf(b, "<td>%h</td><td>", action);
    row_errors(r, b, v, row->row);
    html_printf(b, "</td></tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n");
}

/* GET /imports/{id}[?created=&unchanged=] */
int web_import_page(struct req *r, struct resp *p)
{
  struct import_view v;
  int rc = import_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p, web_t(r, "ui_import_preview"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"meta\">%h · SHA-256 <code>%h</code></p>\n",
              web_t(r, "ui_import_preview"), v.filename ? v.filename : "", v.sha256);
  const char *summary = import_fill(r->arena, web_t(r, "ui_import_summary"), "rows",
                                    (long long)v.n_rows);
  summary = import_fill(r->arena, summary, "errors", (long long)v.n_errors);
  html_printf(b, "<p>%h</p>\n", summary);
  if (v.cols && !v.committed_at && !v.n_errors) {
    const char *plan = import_fill(r->arena, web_t(r, "ui_import_plan"), "new", v.n_new);
    plan = import_fill(r->arena, plan, "updated", v.n_update);
    plan = import_fill(r->arena, plan, "unchanged", v.n_unchanged);
    html_printf(b, "<p>%h</p>\n", plan);
  }
  if (v.committed_at) {
    long long created = 0, updated = 0, unchanged = 0;
    const char *cs = req_query(r, "created"), *us = req_query(r, "unchanged");
    const char *ups = req_query(r, "updated");
    if (cs && us && web_parse_int(cs, &created) && web_parse_int(us, &unchanged) &&
        (!ups || web_parse_int(ups, &updated))) {
      const char *done = import_fill(r->arena, web_t(r, v.cols ? "ui_import_done_rows"
                                                              : "ui_import_done"),
                                     "created", created);
      done = import_fill(r->arena, done, "updated", updated);
      done = import_fill(r->arena, done, "unchanged", unchanged);
      html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", done);
    } else {
      html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n",
                  web_t(r, "ui_import_committed"));
    }
  } else if (v.n_errors) {
    html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>\n", web_t(r, "ui_import_fix"));
  }
  if (v.cols) {
    kind_table(r, b, &v);
    goto actions;
  }
  html_printf(b,
              "<table class=\"work import-rows\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "</tr></thead>\n<tbody>\n",
              web_t(r, "ui_import_row"), web_t(r, "ui_lg_h_item_id"), web_t(r, "ui_lg_h_period"),
              web_t(r, "ui_lg_h_status"), web_t(r, "ui_lg_h_percent"),
              web_t(r, "ui_lg_h_narrative"), web_t(r, "ui_import_errors"));
  for (size_t i = 0; i < v.n_rows; i++) {
    const struct import_report_row *row = &v.rows[i];
    bool bad = false;
    for (size_t k = 0; k < v.n_errors && !bad; k++)
      bad = v.errors[k].row == row->row;
    html_printf(b, "<tr%s><th scope=\"row\">%d</th><td>", bad ? " class=\"has-error\"" : "",
                row->row);
    if (row->work_item_id)
      html_printf(b, "%lld", (long long)row->work_item_id);
    html_printf(b, "</td><td>%h</td><td>%h</td><td>", row->period ? web_period(r, row->period) : "",
                row->status ? web_status_label(r, row->status) : "");
    if (row->status)
      html_printf(b, "%d%%", row->percent);
    html_printf(b, "</td><td>");
    if (row->correction)
      html_printf(b, "<strong class=\"correction\">%h</strong> ", web_t(r, "ui_import_correction"));
    html_printf(b, "%h", row->narrative ? row->narrative : "");
    for (size_t k = 0; k < row->n_figures; k++)
      html_printf(b, "<br><span class=\"meta\">%h%h%h</span>", row->figures[k].name,
                  web_t(r, "ui_colon"), web_figure(r, row->figures[k].value, row->figures[k].unit));
    html_printf(b, "</td><td>");
    row_errors(r, b, &v, row->row);
    html_printf(b, "</td></tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n");
actions:
  if (!v.committed_at && !v.n_errors) {
    html_printf(b, "<form method=\"post\" action=\"/imports/%lld/commit\">\n", (long long)v.id);
    web_csrf_field(r, b);
    if (v.n_corrections) /* as the report form's box: an accepted report is replaced on purpose */
      html_printf(b, "<p>%h</p>\n<p><label><input type=\"checkbox\" name=\"corrections\" "
                     "value=\"1\" required> %h</label></p>\n",
                  import_fill(r->arena, web_t(r, "ui_import_corrections_note"), "rows",
                              v.n_corrections),
                  web_t(r, "ui_import_confirm_corrections"));
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n",
                web_t(r, "ui_import_commit"));
  } else if (!v.committed_at) {
    web_import_form_in(r, b, v.kind, v.scope_id, NULL);
  }
  back_link(r, b, v.kind, v.scope_id);
  return web_end(r, p);
}

/* POST /imports/{id}/commit */
int web_import_commit(struct req *r, struct resp *p)
{
  int created, updated, unchanged, row = 0;
  const char *corr = req_form(r, "corrections");
  int rc = import_commit(&r->ctx, r->ids[0], corr && strcmp(corr, "1") == 0, &created, &updated,
                         &unchanged, &row);
  if (rc != SVC_OK && row && rc != SVC_ERROR) {
    /* the row that failed, and the way back to the preview */
    const char *code = web_take_code(r, "err_conflict");
    sb_reset(&p->body);
    p->status = rc == SVC_INVALID ? 422 : 409;
    web_begin(r, p, web_t(r, "ui_error_title"));
    html_printf(&p->body,
                "<div class=\"error-page\">\n<h1>%h</h1>\n<p role=\"alert\">%h%h</p>\n"
                "<p><a href=\"/imports/%lld\">%h</a></p>\n</div>\n",
                web_t(r, "ui_error_title"),
                import_fill(r->arena, web_t(r, "ui_import_failed_row"), "row", row),
                web_t(r, code), (long long)r->ids[0], web_t(r, "ui_import_preview"));
    return web_end(r, p);
  }
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p,
                      arena_printf(r->arena, "/imports/%lld?created=%d&updated=%d&unchanged=%d",
                                   (long long)r->ids[0], created, updated, unchanged));
}
