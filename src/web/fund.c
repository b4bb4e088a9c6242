/* fund: the page of a pairing's money for a year (/funds?year=): each side's 专项工作经费 —
 * budget, allocations with their 文号 and what is spent — and the 产业投资基金 with their
 * investments into projects. A side's lead office sets its own budget and allocations; the
 * pairing's lead offices record funds and investments; everyone of the pairing reads. Amounts
 * are typed and shown in 万元. A refused form comes back on the page with the message above
 * it and what was typed kept (422). The rules are service/fund.h's. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/money.h"
#include "service/fund.h"
#include "service/project.h"
#include "web/html.h"
#include "web/web.h"

/* What a refused form brings back: which form, its message, and the typed values. */
struct fund_form {
  const char *which; /* budget, allocation, fund, investment, spent */
  int64_t target;    /* the fund or allocation the form was for */
  const char *err;
  const char *a, *b, *c2, *d, *e; /* the form's fields in order, as typed */
};

static const char *wan(struct req *r, int64_t yuan) {
  return money_format_wan_grouped(r->arena, yuan);
}

static bool is(const struct fund_form *f, const char *which, int64_t target) {
  return f->which && strcmp(f->which, which) == 0 && f->target == target;
}

static const char *kept(const struct fund_form *f, const char *which, int64_t target,
                        const char *v) {
  return is(f, which, target) && v ? v : "";
}

static void amount_input(struct req *r, struct sb *b, const char *id, const char *name,
                         const char *label, const char *value) {
  html_printf(b,
              "<p><label for=\"%h\">%h</label>\n<input id=\"%h\" name=\"%h\" type=\"text\" "
              "inputmode=\"decimal\" maxlength=\"24\" value=\"%h\"></p>\n",
              id, web_t(r, label), id, name, value);
}

static void text_input(struct req *r, struct sb *b, const char *id, const char *name,
                       const char *label, const char *value) {
  html_printf(b,
              "<p><label for=\"%h\">%h</label>\n<input id=\"%h\" name=\"%h\" type=\"text\" "
              "maxlength=\"100\" value=\"%h\"></p>\n",
              id, web_t(r, label), id, name, value);
}

static void form_head(struct req *r, struct sb *b, const struct fund_form *f, const char *which,
                      int64_t target, const char *action, int year) {
  if (is(f, which, target))
    web_form_error(r, b, f->err);
  html_printf(b, "<form method=\"post\" action=\"%h\" class=\"fund-form\">\n", action);
  web_csrf_field(r, b);
  html_printf(b, "<input type=\"hidden\" name=\"year\" value=\"%d\">\n", year);
}

static void side_section(struct req *r, struct sb *b, const struct fund_year *fy, int side,
                         const struct fund_form *f, struct project_view *projects, size_t np) {
  const struct work_fund *w = &fy->sides[side];
  const char *name = side ? fy->name_b : fy->name_a;
  bool mine = r->user->role == ROLE_ADMIN ||
              (r->user->role == ROLE_COORDINATOR && r->user->pairing_id == fy->pairing_id &&
               r->user->side == side);
  html_printf(b, "<section aria-labelledby=\"wf-%d\">\n<h3 id=\"wf-%d\">%h</h3>\n", side, side,
              name);
  html_printf(b,
              "<dl class=\"facts\">\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n</dl>\n",
              web_t(r, "ui_fund_budget"), w->id ? wan(r, w->budget) : web_t(r, "ui_fund_no_budget"),
              web_t(r, "ui_fund_doc_no"), w->doc_no ? w->doc_no : web_t(r, "ui_prj_none_short"),
              web_t(r, "ui_fund_allocated"), wan(r, w->allocated), web_t(r, "ui_fund_spent"),
              wan(r, w->spent));
  if (w->n_allocations) {
    html_printf(b,
                "<table class=\"projects\">\n<thead><tr><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                "<th scope=\"col\" class=\"num\">%h</th>%s</tr></thead>\n<tbody>\n",
                web_t(r, "ui_fund_target"), web_t(r, "ui_fund_doc_no"),
                web_t(r, "ui_fund_amount"), web_t(r, "ui_fund_spent"),
                mine ? "<th scope=\"col\"></th>" : "");
    for (size_t i = 0; i < w->n_allocations; i++) {
      const struct fund_allocation *a = &w->allocations[i];
      html_printf(b, "<tr><th scope=\"row\" data-label=\"%h\">", web_t(r, "ui_fund_target"));
      if (a->project_id)
        html_printf(b, "<a href=\"/projects/%lld\">%h</a>", (long long)a->project_id, a->target);
      else
        html_printf(b, "%h", a->target ? a->target : a->purpose);
      html_printf(b,
                  "</th><td data-label=\"%h\">%h</td><td class=\"num\" data-label=\"%h\">%h</td>"
                  "<td class=\"num\" data-label=\"%h\">%h</td>",
                  web_t(r, "ui_fund_doc_no"), a->doc_no, web_t(r, "ui_fund_amount"),
                  wan(r, a->amount), web_t(r, "ui_fund_spent"), wan(r, a->spent));
      if (mine) {
        html_printf(b, "<td>");
        if (is(f, "spent", a->id))
          web_form_error(r, b, f->err);
        html_printf(b, "<form method=\"post\" action=\"/fund-allocations/%lld\" class=\"inline\">\n",
                    (long long)a->id);
        web_csrf_field(r, b);
        html_printf(b,
                    "<input type=\"hidden\" name=\"year\" value=\"%d\">\n<input type=\"hidden\" "
                    "name=\"updated_at\" value=\"%h\">\n<label for=\"sp%lld\">%h</label>\n"
                    "<input id=\"sp%lld\" name=\"spent\" type=\"text\" inputmode=\"decimal\" "
                    "size=\"10\" value=\"%h\">\n<button type=\"submit\">%h</button>\n</form></td>",
                    fy->year, a->updated_at, (long long)a->id, web_t(r, "ui_fund_spent"),
                    (long long)a->id,
                    is(f, "spent", a->id) && f->a ? f->a : money_format_wan(r->arena, a->spent),
                    web_t(r, "ui_save"));
      }
      html_printf(b, "</tr>\n");
    }
    html_printf(b, "</tbody>\n</table>\n");
  }
  if (!mine) {
    html_printf(b, "</section>\n");
    return;
  }
  /* the side's budget, then an allocation out of it */
  html_printf(b, "<details%s><summary>%h</summary>\n", is(f, "budget", side) ? " open" : "",
              web_t(r, "ui_fund_set_budget"));
  form_head(r, b, f, "budget", side, "/funds/budget", fy->year);
  html_printf(b, "<input type=\"hidden\" name=\"side\" value=\"%d\">\n<input type=\"hidden\" "
                 "name=\"pairing\" value=\"%lld\">\n",
              side, (long long)fy->pairing_id);
  amount_input(r, b, arena_printf(r->arena, "budget%d", side), "budget", "ui_fund_budget",
               is(f, "budget", side) ? kept(f, "budget", side, f->a)
               : w->id              ? money_format_wan(r->arena, w->budget)
                                    : "");
  text_input(r, b, arena_printf(r->arena, "bdoc%d", side), "doc_no", "ui_fund_doc_no",
             is(f, "budget", side) ? kept(f, "budget", side, f->b) : w->doc_no ? w->doc_no : "");
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</details>\n",
              web_t(r, "ui_save"));
  if (w->id) {
    html_printf(b, "<details%s><summary>%h</summary>\n", is(f, "allocation", w->id) ? " open" : "",
                web_t(r, "ui_fund_allocate"));
    form_head(r, b, f, "allocation", w->id, arena_printf(r->arena, "/funds/%lld/allocations",
                                                         (long long)w->id), fy->year);
    html_printf(b, "<p><label for=\"ap%d\">%h</label>\n<select id=\"ap%d\" name=\"project\">\n"
                   "<option value=\"\">%h</option>\n",
                side, web_t(r, "ui_fund_project"), side, web_t(r, "ui_fund_general"));
    for (size_t i = 0; i < np; i++)
      html_printf(b, "<option value=\"%lld\"%s>%h</option>\n", (long long)projects[i].id,
                  is(f, "allocation", w->id) && f->a &&
                          strcmp(f->a, arena_printf(r->arena, "%lld", (long long)projects[i].id)) == 0
                      ? " selected"
                      : "",
                  projects[i].name);
    html_printf(b, "</select></p>\n");
    text_input(r, b, arena_printf(r->arena, "apu%d", side), "purpose", "ui_fund_purpose",
               kept(f, "allocation", w->id, f->b));
    amount_input(r, b, arena_printf(r->arena, "aam%d", side), "amount", "ui_fund_amount",
                 kept(f, "allocation", w->id, f->c2));
    text_input(r, b, arena_printf(r->arena, "adoc%d", side), "doc_no", "ui_fund_doc_no",
               kept(f, "allocation", w->id, f->d));
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</details>\n",
                web_t(r, "ui_fund_allocate"));
  }
  html_printf(b, "</section>\n");
}

static int funds_page(struct req *r, struct resp *p, int status, int year, int64_t pairing,
                      const struct fund_form *f) {
  struct fund_year fy;
  int rc = fund_year_get(&r->ctx, pairing, year, &fy);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct project_filter pf = {.pairing_id = fy.pairing_id, .side = -1, .major = -1};
  struct project_view *projects;
  size_t np = 0;
  int64_t next;
  if (project_list(&r->ctx, &pf, 0, PROJECT_PAGE_MAX, &projects, &np, &next) != SVC_OK)
    np = 0;
  web_take_code(r, NULL);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_fund_title"));
  html_printf(b, "<h1>%h <span class=\"dash-year\">%d</span></h1>\n<p class=\"meta\">%h — %h</p>\n",
              web_t(r, "ui_fund_title"), year, fy.name_a, fy.name_b);
  html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/funds\">\n<p><label "
                 "for=\"year\">%h</label>\n<input id=\"year\" name=\"year\" type=\"number\" "
                 "min=\"2000\" max=\"2100\" value=\"%d\"></p>\n",
              web_t(r, "ui_dash_year"), year);
  if (r->user->role == ROLE_ADMIN)
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n",
                (long long)fy.pairing_id);
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n",
              web_t(r, "ui_dash_show"));
  const char *done = req_query(r, "done");
  if (status == 200 && done && strcmp(done, "saved") == 0)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, "ui_prj_done_saved"));

  html_printf(b, "<section aria-labelledby=\"h-work-funds\">\n<h2 id=\"h-work-funds\">%h</h2>\n",
              web_t(r, "ui_fund_work"));
  for (int side = 0; side < 2; side++)
    side_section(r, b, &fy, side, f, projects, np);
  html_printf(b, "</section>\n<section aria-labelledby=\"h-industry\">\n<h2 id=\"h-industry\">%h"
                 "</h2>\n<p class=\"meta\">%h%h%h</p>\n",
              web_t(r, "ui_fund_industry"), web_t(r, "ui_fund_invested_year"),
              web_t(r, "ui_colon"), wan(r, fy.invested_in_year));
  bool writer = r->user->role == ROLE_ADMIN ||
                (r->user->role == ROLE_COORDINATOR && r->user->pairing_id == fy.pairing_id);
  for (size_t i = 0; i < fy.n_funds; i++) {
    const struct industry_fund *g = &fy.funds[i];
    html_printf(b,
                "<h3>%h</h3>\n<dl class=\"facts\">\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
                "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n</dl>\n",
                g->name, web_t(r, "ui_fund_size"), wan(r, g->size), web_t(r, "ui_fund_managers"),
                g->managers ? g->managers : web_t(r, "ui_prj_none_short"),
                web_t(r, "ui_fund_invested"), wan(r, g->invested), web_t(r, "ui_fund_invested_year"),
                wan(r, g->invested_in_year));
    if (g->n_investments) {
      html_printf(b, "<ul>\n");
      for (size_t k = 0; k < g->n_investments; k++)
        html_printf(b, "<li><time datetime=\"%h\">%h</time> <a href=\"/projects/%lld\">%h</a> %h %h</li>\n",
                    g->investments[k].on_date, web_date(r, g->investments[k].on_date),
                    (long long)g->investments[k].project_id, g->investments[k].project,
                    wan(r, g->investments[k].amount), web_t(r, "ui_wan_yuan"));
      html_printf(b, "</ul>\n");
    }
    if (writer && np) {
      html_printf(b, "<details%s><summary>%h</summary>\n", is(f, "investment", g->id) ? " open" : "",
                  web_t(r, "ui_fund_invest"));
      form_head(r, b, f, "investment", g->id,
                arena_printf(r->arena, "/industry-funds/%lld/investments", (long long)g->id), year);
      html_printf(b, "<p><label for=\"ip%lld\">%h</label>\n<select id=\"ip%lld\" name=\"project\">\n",
                  (long long)g->id, web_t(r, "ui_fund_project"), (long long)g->id);
      for (size_t k = 0; k < np; k++)
        html_printf(b, "<option value=\"%lld\">%h</option>\n", (long long)projects[k].id,
                    projects[k].name);
      html_printf(b, "</select></p>\n");
      amount_input(r, b, arena_printf(r->arena, "iam%lld", (long long)g->id), "amount",
                   "ui_fund_amount", kept(f, "investment", g->id, f->b));
      html_printf(b, "<p><label for=\"ion%lld\">%h</label>\n<input id=\"ion%lld\" name=\"on_date\" "
                     "type=\"date\" value=\"%h\"></p>\n",
                  (long long)g->id, web_t(r, "ui_prj_stage_date"), (long long)g->id,
                  kept(f, "investment", g->id, f->c2));
      html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</details>\n",
                  web_t(r, "ui_fund_invest"));
    }
  }
  if (fy.n_funds == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_fund_no_funds"));
  if (writer) {
    html_printf(b, "<details%s><summary>%h</summary>\n", is(f, "fund", 0) ? " open" : "",
                web_t(r, "ui_fund_new"));
    form_head(r, b, f, "fund", 0, "/industry-funds", year);
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n",
                (long long)fy.pairing_id);
    text_input(r, b, "fname", "name", "ui_fund_name", kept(f, "fund", 0, f->a));
    amount_input(r, b, "fsize", "size", "ui_fund_size", kept(f, "fund", 0, f->b));
    text_input(r, b, "fmanagers", "managers", "ui_fund_managers", kept(f, "fund", 0, f->c2));
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</details>\n",
                web_t(r, "ui_prj_create"));
  }
  html_printf(b, "</section>\n");
  return web_end(r, p);
}

/* The year and pairing a request names (query or form); false when malformed. */
static bool year_and_pairing(struct req *r, bool form, int *year, int64_t *pairing) {
  const char *y = form ? req_form(r, "year") : req_query(r, "year");
  const char *pa = form ? req_form(r, "pairing") : req_query(r, "pairing");
  long long v;
  *year = web_this_year();
  *pairing = 0;
  if (y && *y) {
    if (!web_parse_int(y, &v) || v < 2000 || v > 2100)
      return false;
    *year = (int)v;
  }
  if (pa && *pa) {
    if (!web_parse_int(pa, &v) || v < 1)
      return false;
    *pairing = r->user->role == ROLE_ADMIN ? v : 0;
  }
  return true;
}

int web_funds(struct req *r, struct resp *p) {
  int year;
  int64_t pairing;
  if (!year_and_pairing(r, false, &year, &pairing))
    return web_bad_query(r, p);
  struct fund_form f = {0};
  return funds_page(r, p, 200, year, pairing, &f);
}

/* The end of every form's POST: 303 back to the year's page, or the page with the form's
 * message and its input (422, 409 for a stale or conflicting write). */
static int after_post(struct req *r, struct resp *p, int rc, int year, int64_t pairing,
                      struct fund_form *f) {
  if (rc == SVC_OK) {
    const char *to = pairing ? arena_printf(r->arena, "/funds?year=%d&pairing=%lld&done=saved",
                                            year, (long long)pairing)
                             : arena_printf(r->arena, "/funds?year=%d&done=saved", year);
    return web_redirect(r, p, to);
  }
  if (rc != SVC_INVALID && rc != SVC_CONFLICT && rc != SVC_STALE)
    return web_service_page(r, p, rc);
  f->err = rc == SVC_STALE ? (web_take_code(r, NULL), "ui_prj_stale") : web_take_code(r, "err_invalid");
  return funds_page(r, p, rc == SVC_INVALID ? 422 : 409, year, pairing, f);
}

static int bad_form(struct req *r, struct resp *p) {
  return web_service_page(r, p, svc_fail(&r->ctx, SVC_INVALID, "err_invalid", NULL,
                                         "a malformed form"));
}

/* A 万元 field as yuan; blank is 0 (blank_ok) or a failure in r->ctx. */
static int wan_field(struct req *r, const char *text, const char *field, int64_t *out) {
  return project_parse_wan(&r->ctx, text, field, out);
}

int web_fund_budget(struct req *r, struct resp *p) {
  int year;
  int64_t pairing;
  if (!year_and_pairing(r, true, &year, &pairing))
    return bad_form(r, p);
  long long side = -1;
  const char *s = req_form(r, "side");
  if (s && *s && !web_parse_int(s, &side))
    return bad_form(r, p);
  struct fund_form f = {.which = "budget", .target = side < 0 ? 0 : side,
                        .a = req_form(r, "budget"), .b = req_form(r, "doc_no")};
  int64_t budget = 0;
  int rc = wan_field(r, f.a, "budget_yuan", &budget);
  if (rc == SVC_OK)
    rc = work_fund_set(&r->ctx, pairing, (int)side, year, budget, f.b, NULL);
  return after_post(r, p, rc, year, pairing, &f);
}

int web_fund_allocate(struct req *r, struct resp *p) {
  int year;
  int64_t pairing;
  if (!year_and_pairing(r, true, &year, &pairing))
    return bad_form(r, p);
  struct fund_form f = {.which = "allocation", .target = r->ids[0], .a = req_form(r, "project"),
                        .b = req_form(r, "purpose"), .c2 = req_form(r, "amount"),
                        .d = req_form(r, "doc_no")};
  struct fund_allocation_input in = {.purpose = f.b, .doc_no = f.d, .spent = -1};
  long long v;
  if (f.a && *f.a) {
    if (!web_parse_int(f.a, &v) || v < 1)
      return bad_form(r, p);
    in.project_id = v;
  }
  int rc = wan_field(r, f.c2, "amount_yuan", &in.amount);
  if (rc == SVC_OK)
    rc = work_fund_allocate(&r->ctx, r->ids[0], &in, NULL);
  return after_post(r, p, rc, year, pairing, &f);
}

int web_fund_allocation_edit(struct req *r, struct resp *p) {
  int year;
  int64_t pairing;
  if (!year_and_pairing(r, true, &year, &pairing))
    return bad_form(r, p);
  struct fund_form f = {.which = "spent", .target = r->ids[0], .a = req_form(r, "spent")};
  const char *seen = req_form(r, "updated_at");
  struct fund_allocation_input in = {.amount = -1, .spent = -1, .if_updated_at = seen ? seen : ""};
  int rc = wan_field(r, f.a, "spent_yuan", &in.spent);
  if (rc == SVC_OK)
    rc = work_fund_allocation_edit(&r->ctx, r->ids[0], &in);
  return after_post(r, p, rc, year, pairing, &f);
}

int web_industry_fund_create(struct req *r, struct resp *p) {
  int year;
  int64_t pairing;
  if (!year_and_pairing(r, true, &year, &pairing))
    return bad_form(r, p);
  struct fund_form f = {.which = "fund", .a = req_form(r, "name"), .b = req_form(r, "size"),
                        .c2 = req_form(r, "managers")};
  int64_t size = 0;
  int rc = wan_field(r, f.b, "size_yuan", &size);
  if (rc == SVC_OK)
    rc = industry_fund_create(&r->ctx, pairing, f.a ? f.a : "", size, f.c2, NULL);
  return after_post(r, p, rc, year, pairing, &f);
}

int web_industry_fund_invest(struct req *r, struct resp *p) {
  int year;
  int64_t pairing;
  if (!year_and_pairing(r, true, &year, &pairing))
    return bad_form(r, p);
  struct fund_form f = {.which = "investment", .target = r->ids[0], .a = req_form(r, "project"),
                        .b = req_form(r, "amount"), .c2 = req_form(r, "on_date")};
  long long project = 0;
  if (!f.a || !web_parse_int(f.a, &project) || project < 1)
    return bad_form(r, p);
  int64_t amount = 0;
  int rc = wan_field(r, f.b, "amount_yuan", &amount);
  if (rc == SVC_OK)
    rc = industry_fund_invest(&r->ctx, r->ids[0], project, amount, f.c2, NULL);
  return after_post(r, p, rc, year, pairing, &f);
}
