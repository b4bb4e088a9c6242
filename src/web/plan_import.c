/* plan_import: an admin imports a plan in the browser (the rules are service/plan_upload.h's).
 *   GET /plans/import              the upload form (text, .docx or .pdf)
 *   POST /plans/import             reads the file: 303 to its preview, or the form again
 *                                  with why it cannot be read (422; nothing stored)
 *   GET /plans/import/{id}         the preview: for each plan found, what confirming does
 *                                  (new, unchanged, revised), its key areas and tasks, city
 *                                  pairings, targets, every warning with its place in the
 *                                  document, and for a revision the tasks added, removed and
 *                                  reworded (side by side); then confirm or cancel
 *   POST /plans/import/{id}/confirm  imports: 303 to the (first) plan's page
 *   POST /plans/import/{id}/cancel   forgets the upload: 303 to the form */
#include <string.h>

#include "core/mem.h"
#include "core/sb.h"
#include "core/utf8.h"
#include "service/plan_upload.h"
#include "web/html.h"
#include "web/web.h"

/* A message with {n} filled in. */
static const char *fill_n(struct req *r, const char *id, long long n)
{
  const char *t = web_t(r, id), *at = strstr(t, "{n}");
  if (!at)
    return t;
  return arena_printf(r->arena, "%.*s%lld%s", (int)(at - t), t, n, at + 3);
}

static void upload_form(struct req *r, struct sb *b, const char *err)
{
  html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_plan_import_help"));
  html_printf(b, "<form method=\"post\" action=\"/plans/import\" "
                 "enctype=\"multipart/form-data\">\n");
  web_csrf_field(r, b);
  html_printf(b, "<p><label for=\"plan-file\">%h</label>\n"
                 "<input id=\"plan-file\" name=\"file\" type=\"file\" required "
                 "accept=\".txt,.docx,.pdf,text/plain,application/pdf,application/"
                 "vnd.openxmlformats-officedocument.wordprocessingml.document\"",
              web_t(r, "ui_plan_import_file"));
  web_describe(b, "plan-file", err);
  html_printf(b, ">\n");
  web_field_error(r, b, err, "plan-file");
  html_printf(b, "</p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n",
              web_t(r, "ui_plan_import_upload"));
}

static int form_page(struct req *r, struct resp *p, int status, const char *err)
{
  p->status = status;
  web_begin(r, p, web_t(r, "ui_plan_import"));
  html_printf(&p->body, "<h1>%h</h1>\n", web_t(r, "ui_plan_import"));
  upload_form(r, &p->body, err);
  return web_end(r, p);
}

/* GET /plans/import */
int web_plan_import_form(struct req *r, struct resp *p)
{
  return form_page(r, p, 200, NULL);
}

/* POST /plans/import (multipart: file) */
int web_plan_import_upload(struct req *r, struct resp *p)
{
  const struct upload *u = req_upload(r, "file");
  struct plan_upload_view v;
  int rc = u ? plan_upload_preview(&r->ctx, u->filename, u->data, u->len, &v)
             : svc_fail(&r->ctx, SVC_INVALID, "err_required", "file", "no file");
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/plans/import/%lld", (long long)v.id));
  if (rc != SVC_INVALID)
    return web_service_page(r, p, rc);
  return form_page(r, p, 422, web_take_code(r, "err_invalid"));
}

/* Where a line of the read text is in the document: page, paragraph or line. */
static const char *place(struct req *r, const struct ingest_result *res, int line)
{
  int at = ingest_place(res, line);
  if (res->place_kind && at)
    return fill_n(r, strcmp(res->place_kind, "page") == 0 ? "ui_place_page"
                                                           : "ui_place_paragraph", at);
  return fill_n(r, "ui_place_line", line);
}

static void warnings(struct req *r, struct sb *b, const struct ingest_result *res,
                     const struct ingest_warning *w, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    const char *label = web_t(r, arena_printf(r->arena, "ui_plan_warn_%s", w[i].code));
    html_printf(b, "<li class=\"%s\">", w[i].severity == SEV_ERROR ? "error" : "warning");
    if (w[i].line)
      html_printf(b, "<strong>%h</strong>%h", place(r, res, w[i].line), web_t(r, "ui_colon"));
    html_printf(b, "%h <span class=\"meta\" lang=\"en\">%h</span></li>\n", label, w[i].message);
  }
}

/* old and new side by side, what differs between their common start and end marked. */
static void side_by_side(struct req *r, struct sb *b, const char *old, const char *new)
{
  size_t no, nn;
  uint32_t *o = utf8_to_cps(r->arena, old ? old : "", old ? strlen(old) : 0, &no);
  uint32_t *n = utf8_to_cps(r->arena, new ? new : "", new ? strlen(new) : 0, &nn);
  size_t pre = 0, suf = 0;
  while (pre < no && pre < nn && o[pre] == n[pre])
    pre++;
  while (suf < no - pre && suf < nn - pre && o[no - 1 - suf] == n[nn - 1 - suf])
    suf++;
  const char *cell[2][3] = {
      {utf8_from_cps(r->arena, o, pre), utf8_from_cps(r->arena, o + pre, no - pre - suf),
       utf8_from_cps(r->arena, o + no - suf, suf)},
      {utf8_from_cps(r->arena, n, pre), utf8_from_cps(r->arena, n + pre, nn - pre - suf),
       utf8_from_cps(r->arena, n + nn - suf, suf)}};
  html_printf(b, "<td>%h<del>%h</del>%h</td>", cell[0][0], cell[0][1], cell[0][2]);
  html_printf(b, "<td>%h<ins>%h</ins>%h</td>", cell[1][0], cell[1][1], cell[1][2]);
}

static void changes(struct req *r, struct sb *b, const struct plan_upload_view *v, size_t plan)
{
  html_printf(b, "<h3>%h</h3>\n", web_t(r, "ui_plan_changes"));
  bool any = false;
  for (size_t i = 0; i < v->n_changes; i++) {
    const struct plan_upload_change *c = &v->changes[i];
    if (c->plan != plan)
      continue;
    if (!any)
      html_printf(b, "<table class=\"plan-diff\">\n<thead><tr><th scope=\"col\">%h</th>"
                     "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
                  web_t(r, "ui_task"), web_t(r, "ui_plan_old_text"), web_t(r, "ui_plan_new_text"));
    any = true;
    const char *kind = arena_printf(r->arena, "ui_plan_change_%s", c->kind);
    html_printf(b, "<tr class=\"change-%h\"><th scope=\"row\">%h<br><span class=\"meta\">%h</span>"
                   "</th>",
                c->kind, fill_n(r, "ui_plan_task_n", c->number), web_t(r, kind));
    if (strcmp(c->kind, "reworded") == 0) {
      side_by_side(r, b, c->old_body, c->new_body);
    } else {
      html_printf(b, "<td>%h</td><td>%h</td>", c->old_body ? c->old_body : "",
                  c->new_body ? c->new_body : "");
    }
    html_printf(b, "</tr>\n");
  }
  if (any)
    html_printf(b, "</tbody>\n</table>\n");
  else
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_plan_no_changes"));
}

static void plan_preview(struct req *r, struct sb *b, const struct plan_upload_view *v, size_t i)
{
  const struct ingest_result *res = &v->parsed;
  const struct plan_doc *d = &res->plans[i];
  html_printf(b, "<section class=\"plan-preview\" aria-labelledby=\"plan-%d\">\n"
                 "<h2 id=\"plan-%d\">%h</h2>\n",
              (int)i, (int)i, d->title);
  if (i < v->n_results) {
    const struct plan_import_result *x = &v->results[i];
    const char *st = strcmp(x->status, "new") == 0       ? web_t(r, "ui_plan_status_new")
                     : strcmp(x->status, "unchanged") == 0 ? web_t(r, "ui_plan_status_unchanged")
                                                           : fill_n(r, "ui_plan_status_revised",
                                                                    x->version);
    html_printf(b, "<p class=\"notice\" data-status=\"%h\">%h</p>\n", x->status, st);
  }
  html_printf(b, "<dl class=\"facts\">\n<dt>%h</dt><dd>%h — %h</dd>\n", web_t(r, "ui_pairing"),
              d->pairing[0] ? d->pairing[0] : "?", d->pairing[1] ? d->pairing[1] : "?");
  if (d->target_year)
    html_printf(b, "<dt>%h</dt><dd>%d</dd>\n", web_t(r, "ui_target_year"), d->target_year);
  html_printf(b, "</dl>\n<h3>%h</h3>\n", web_t(r, "ui_key_areas"));
  for (int a = -1; a < (int)d->n_areas; a++) {
    bool any = false;
    for (size_t t = 0; t < d->n_tasks; t++) {
      if (d->tasks[t].area != a)
        continue;
      if (!any) {
        if (a >= 0)
          html_printf(b, "<h4>%h%h</h4>\n", d->areas[a].marker, d->areas[a].title);
        html_printf(b, "<ol class=\"tasks\">\n");
      }
      any = true;
      html_printf(b, "<li value=\"%d\">%h <span class=\"meta\">%h</span></li>\n",
                  d->tasks[t].number, d->tasks[t].title, place(r, res, d->tasks[t].line));
    }
    if (any)
      html_printf(b, "</ol>\n");
    else if (a >= 0)
      html_printf(b, "<h4>%h%h</h4>\n", d->areas[a].marker, d->areas[a].title);
  }
  html_printf(b, "<h3>%h</h3>\n<table class=\"plan-pairings\">\n<thead><tr><th scope=\"col\">%h"
                 "</th><th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th></tr>"
                 "</thead>\n<tbody>\n",
              web_t(r, "ui_plan_city_pairings"), web_t(r, "ui_sides"), web_t(r, "ui_theme"),
              web_t(r, "ui_from_task"));
  for (size_t k = 0; k < d->n_pairings; k++)
    html_printf(b, "<tr><td>%h — %h</td><td>%h</td><td class=\"num\">%d</td></tr>\n",
                d->pairings[k].a, d->pairings[k].b, d->pairings[k].theme, d->pairings[k].task);
  html_printf(b, "</tbody>\n</table>\n<h3>%h</h3>\n<table class=\"plan-targets\">\n<thead><tr>"
                 "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\">%h</th></tr></thead>\n"
                 "<tbody>\n",
              web_t(r, "ui_targets"), web_t(r, "ui_from_task"), web_t(r, "ui_targets"));
  for (size_t k = 0; k < d->n_targets; k++) {
    html_printf(b, "<tr><td class=\"num\">");
    if (d->targets[k].task)
      html_printf(b, "%d", d->targets[k].task);
    html_printf(b, "</td><td>%h</td></tr>\n", d->targets[k].text);
  }
  html_printf(b, "</tbody>\n</table>\n<h3>%h</h3>\n", web_t(r, "ui_plan_warnings"));
  if (d->n_warnings) {
    html_printf(b, "<ul class=\"plan-warnings\">\n");
    warnings(r, b, res, d->warnings, d->n_warnings);
    html_printf(b, "</ul>\n");
  } else {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_plan_no_warnings"));
  }
  if (i < v->n_results && v->results[i].previous_id)
    changes(r, b, v, i);
  html_printf(b, "</section>\n");
}

static int gone(struct req *r, struct resp *p, int rc)
{
  const char *code = r->ctx.code;
  if (rc == SVC_NOT_FOUND && code && strcmp(code, "err_plan_upload_gone") == 0) {
    web_take_code(r, NULL);
    return web_error(r, p, 404, "ui_error_title", "err_plan_upload_gone");
  }
  return web_service_page(r, p, rc);
}

/* GET /plans/import/{id} */
int web_plan_import_page(struct req *r, struct resp *p)
{
  struct plan_upload_view v;
  int rc = plan_upload_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return gone(r, p, rc);
  struct sb *b = &p->body;
  const struct ingest_result *res = &v.parsed;
  p->status = 200;
  web_begin(r, p, web_t(r, "ui_plan_preview"));
  const char *format = arena_printf(r->arena, "ui_plan_format_%s", res->format);
  html_printf(b, "<h1>%h</h1>\n<p class=\"meta\">%h · %h · %lld B · SHA-256 <code>%h</code></p>\n"
                 "<p class=\"meta\">%h %h</p>\n",
              web_t(r, "ui_plan_preview"), v.filename ? v.filename : "", web_t(r, format),
              (long long)res->bytes, v.sha256, web_t(r, "ui_plan_preview_until"),
              web_time(r, v.expires_at));
  bool errors = ingest_has_errors(res);
  if (errors)
    html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>\n", web_t(r, "ui_plan_has_errors"));
  else if (v.refusal)
    html_printf(b, "<p class=\"error\" role=\"alert\">%h<span lang=\"en\">%h</span></p>\n",
                web_t(r, v.refusal_code), v.refusal);
  if (res->n_warnings) {
    html_printf(b, "<ul class=\"plan-warnings\">\n");
    warnings(r, b, res, res->warnings, res->n_warnings);
    html_printf(b, "</ul>\n");
  }
  for (size_t i = 0; i < res->n_plans; i++)
    plan_preview(r, b, &v, i);
  html_printf(b, "<div class=\"actions\">\n");
  if (!errors && !v.refusal) {
    html_printf(b, "<form method=\"post\" action=\"/plans/import/%lld/confirm\">\n",
                (long long)v.id);
    web_csrf_field(r, b);
    html_printf(b, "<button type=\"submit\">%h</button>\n</form>\n", web_t(r, "ui_plan_confirm"));
  }
  html_printf(b, "<form method=\"post\" action=\"/plans/import/%lld/cancel\">\n", (long long)v.id);
  web_csrf_field(r, b);
  html_printf(b, "<button type=\"submit\" class=\"secondary\">%h</button>\n</form>\n</div>\n",
              web_t(r, "ui_plan_cancel"));
  return web_end(r, p);
}

/* POST /plans/import/{id}/confirm */
int web_plan_import_confirm(struct req *r, struct resp *p)
{
  struct plan_import_result *res;
  size_t n;
  int rc = plan_upload_confirm(&r->ctx, r->ids[0], &res, &n);
  if (rc != SVC_OK)
    return gone(r, p, rc);
  return web_redirect(r, p, n ? arena_printf(r->arena, "/plans/%lld", (long long)res[0].plan_id)
                              : "/");
}

/* POST /plans/import/{id}/cancel */
int web_plan_import_cancel(struct req *r, struct resp *p)
{
  int rc = plan_upload_cancel(&r->ctx, r->ids[0]);
  if (rc != SVC_OK)
    return gone(r, p, rc);
  return web_redirect(r, p, "/plans/import");
}
