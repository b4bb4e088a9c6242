/* project: the pages of 合作项目.
 *   /projects           the projects one may read, filtered (stage, industry, city pairing,
 *                       side, year signed, major) and sorted (newest, or contracted
 *                       investment largest first), in keyset pages; signed out: the public
 *                       projects, with their public fields only (the portal's list).
 *   /projects/{id}      facts, partners, stage timeline, the tasks it serves; for the owning
 *                       side's coordinator the stage form and a link to edit.
 *   /projects/new, /projects/{id}/edit   the forms.
 * The rules are service/project.h's. Amounts are typed and shown in 万元 (exact: four
 * decimals are whole yuan). Forms work without JavaScript; a refusal shows the form again
 * with the message by the field and everything typed kept; an edit made against an older
 * copy answers 409 with the input kept. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/money.h"
#include "ingest/gazetteer.h"
#include "service/industry.h"
#include "service/pairing.h"
#include "service/attachment.h"
#include "service/enterprise.h"
#include "service/plan.h"
#include "service/platform.h"
#include "service/project.h"
#include "service/user.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/svg.h"
#include "web/web.h"

enum { FORM_PARTNER_ROWS_MIN = 4 };

static const char *const stage_labels[STAGE_N] = {
    "ui_prj_stage_negotiating", "ui_prj_stage_signed", "ui_prj_stage_started",
    "ui_prj_stage_operating", "ui_prj_stage_stopped"};

static const char *stage_label(const char *stage) {
  enum project_stage s = project_stage_from(stage);
  return s < STAGE_N ? stage_labels[s] : "ui_prj_stage_negotiating";
}

/* The stage as a badge with its name in words (a mark per stage for greyscale print). */
static void stage_badge(struct req *r, struct sb *b, const char *stage) {
  html_printf(b, "<span class=\"badge stage stage-%h\">%h</span>", stage,
              web_t(r, stage_label(stage)));
}

static const char *wan(struct req *r, int64_t yuan) {
  return money_format_wan_grouped(r->arena, yuan);
}

static const char *side_name(const struct project_view *v, int side) {
  return side ? v->name_b : v->name_a;
}

static const char *city_pairing(struct req *r, const struct project_view *v) {
  if (!v->city_pairing_id)
    return "";
  return arena_printf(r->arena, "%s — %s", v->city_a, v->city_b);
}

static void partner_names(struct req *r, struct sb *b, const struct project_view *v) {
  for (size_t i = 0; i < v->n_partners; i++)
    html_printf(b, "%h%h", i ? web_t(r, "ui_prj_list_sep") : "",
                v->partners[i].unit_id ? v->partners[i].unit_name : v->partners[i].enterprise);
}

static const char *done_note(struct req *r) {
  const char *done = req_query(r, "done");
  if (!done)
    return NULL;
  if (strcmp(done, "created") == 0)
    return "ui_prj_done_created";
  if (strcmp(done, "saved") == 0)
    return "ui_prj_done_saved";
  if (strcmp(done, "stage") == 0)
    return "ui_prj_done_stage";
  if (strcmp(done, "update") == 0)
    return "ui_prj_done_update";
  if (strcmp(done, "reviewed") == 0)
    return "ui_prj_done_reviewed";
  if (strcmp(done, "file") == 0)
    return "ui_att_done";
  return NULL;
}

static void note(struct req *r, struct sb *b, const char *id) {
  if (id)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, id));
}

/* An <option> whose value is value, selected when it equals chosen. */
static void option(struct sb *b, const char *value, const char *chosen, const char *label) {
  html_printf(b, "<option value=\"%h\"%s>%h</option>\n", value,
              chosen && strcmp(chosen, value) == 0 ? " selected" : "", label);
}

/* The industries as a <select>: sections as groups, each with itself and its divisions. */
static void industry_select(struct req *r, struct sb *b, const char *id, const char *chosen,
                            const char *any_label, const char *err) {
  html_printf(b, "<select id=\"%h\" name=\"industry\"", id);
  web_describe(b, id, err);
  html_printf(b, ">\n");
  option(b, "", chosen ? chosen : "", any_label);
  bool open = false;
  for (size_t i = 0; i < industry_count(); i++) {
    const struct industry *ind = industry_at(i);
    bool section = strcmp(ind->code, ind->section) == 0;
    if (section) {
      if (open)
        html_printf(b, "</optgroup>\n");
      html_printf(b, "<optgroup label=\"%h %h\">\n", ind->code, ind->name);
      open = true;
    }
    option(b, ind->code, chosen,
           arena_printf(r->arena, "%s%s %s", section ? "" : "  ", ind->code, ind->name));
  }
  if (open)
    html_printf(b, "</optgroup>\n");
  html_printf(b, "</select>\n");
}

/* The kinds of one-line inputs of the form, each with its fixed attributes. */
enum input_kind { IN_NAME, IN_PLACE, IN_AMOUNT, IN_JOBS, IN_DATE };

static void text_input(struct req *r, struct sb *b, const char *id, const char *label,
                       const char *value, const char *err, enum input_kind kind) {
  html_printf(b, "<p><label for=\"%h\">%h</label>\n<input id=\"%h\" name=\"%h\" ", id,
              web_t(r, label), id, id);
  switch (kind) {
  case IN_NAME:
    html_printf(b, "type=\"text\" required maxlength=\"%d\"", PROJECT_NAME_MAX);
    break;
  case IN_PLACE:
    html_printf(b, "type=\"text\" maxlength=\"60\"");
    break;
  case IN_AMOUNT: /* 万元: digits, separators and a decimal point, in either width */
    html_printf(b, "type=\"text\" inputmode=\"decimal\" maxlength=\"24\" "
                   "pattern=\"[0-9０-９,，.．]*\"");
    break;
  case IN_JOBS:
    html_printf(b, "type=\"number\" min=\"0\" max=\"100000000\"");
    break;
  case IN_DATE:
    html_printf(b, "type=\"date\"");
    break;
  }
  html_printf(b, " value=\"%h\"", value ? value : "");
  web_describe(b, id, err);
  html_printf(b, ">\n");
  web_field_error(r, b, err, id);
  html_printf(b, "</p>\n");
}

/* ==== the list ========================================================================== */

struct list_query {
  struct project_filter f;
  const char *stage, *industry, *city, *side, *year, *major, *sort, *task, *platform;
};

/* Reads the filters of the address; false when one is malformed. */
static bool read_filters(struct req *r, struct list_query *q) {
  memset(q, 0, sizeof *q);
  q->f.side = -1;
  q->f.major = -1;
  long long v;
#define OPT(name) (req_query(r, name) && *req_query(r, name) ? req_query(r, name) : NULL)
  q->stage = OPT("stage");
  q->industry = OPT("industry");
  q->city = OPT("city_pairing");
  q->side = OPT("side");
  q->year = OPT("year");
  q->major = OPT("major");
  q->sort = OPT("sort");
  q->task = OPT("task");
  q->platform = OPT("platform");
  const char *pairing = OPT("pairing");
#undef OPT
  if (q->stage && project_stage_from(q->stage) == STAGE_N)
    return false;
  if (q->industry && !industry_find(q->industry))
    return false;
  if (pairing && (!web_parse_int(pairing, &v) || v < 1))
    return false;
  q->f.pairing_id = pairing ? v : 0;
  if (q->city && (!web_parse_int(q->city, &v) || v < 1))
    return false;
  q->f.city_pairing_id = q->city ? v : 0;
  if (q->side && (!web_parse_int(q->side, &v) || v < 0 || v > 1))
    return false;
  q->f.side = q->side ? (int)v : -1;
  if (q->year && (!web_parse_int(q->year, &v) || v < 2000 || v > 2100))
    return false;
  q->f.year = q->year ? (int)v : 0;
  if (q->task && (!web_parse_int(q->task, &v) || v < 1))
    return false;
  q->f.task_id = q->task ? v : 0;
  if (q->platform && (!web_parse_int(q->platform, &v) || v < 1))
    return false;
  q->f.platform_id = q->platform ? v : 0;
  if (q->major && strcmp(q->major, "1") != 0)
    return false;
  q->f.major = q->major ? 1 : -1;
  if (q->sort && strcmp(q->sort, "investment") != 0 && strcmp(q->sort, "newest") != 0)
    return false;
  q->f.by_investment = q->sort && strcmp(q->sort, "investment") == 0;
  q->f.stage = q->stage;
  q->f.industry = q->industry;
  return true;
}

/* The list's address with its filters (for the pager and the language switch). */
static const char *list_path(struct req *r, const struct list_query *q) {
  struct sb s = SB_INIT;
  sb_append(&s, "/projects");
  const char *names[] = {"stage", "industry", "city_pairing", "side", "year", "major", "sort",
                         "task", "platform"};
  const char *values[] = {q->stage, q->industry, q->city, q->side, q->year, q->major, q->sort,
                          q->task, q->platform};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (values[i])
      web_query_add(&s, names[i], values[i]);
  if (q->f.pairing_id)
    web_query_add(&s, "pairing", arena_printf(r->arena, "%lld", (long long)q->f.pairing_id));
  const char *out = arena_strdup(r->arena, sb_str(&s));
  sb_free(&s);
  return out;
}

static void filter_form(struct req *r, struct sb *b, const struct list_query *q,
                        int64_t pairing_id) {
  html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/projects\">\n");
  if (q->f.pairing_id)
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n",
                (long long)q->f.pairing_id);
  if (q->f.task_id)
    html_printf(b, "<input type=\"hidden\" name=\"task\" value=\"%lld\">\n",
                (long long)q->f.task_id);
  if (q->f.platform_id)
    html_printf(b, "<input type=\"hidden\" name=\"platform\" value=\"%lld\">\n",
                (long long)q->f.platform_id);
  html_printf(b, "<p><label for=\"f-stage\">%h</label>\n<select id=\"f-stage\" name=\"stage\">\n",
              web_t(r, "ui_prj_stage"));
  option(b, "", q->stage ? q->stage : "", web_t(r, "ui_prj_any"));
  for (int s = 0; s < STAGE_N; s++)
    option(b, project_stage_name((enum project_stage)s), q->stage, web_t(r, stage_labels[s]));
  html_printf(b, "</select></p>\n<p><label for=\"f-industry\">%h</label>\n",
              web_t(r, "ui_prj_industry"));
  industry_select(r, b, "f-industry", q->industry, web_t(r, "ui_prj_any"), NULL);
  html_printf(b, "</p>\n");
  struct pairing_view pv;
  if (pairing_id && pairing_get(&r->ctx, pairing_id, &pv) == SVC_OK) {
    html_printf(b,
                "<p><label for=\"f-city\">%h</label>\n<select id=\"f-city\" "
                "name=\"city_pairing\">\n",
                web_t(r, "ui_prj_city_pairing"));
    option(b, "", q->city ? q->city : "", web_t(r, "ui_prj_any"));
    for (size_t i = 0; i < pv.n_children; i++)
      option(b, arena_printf(r->arena, "%lld", (long long)pv.children[i].id), q->city,
             arena_printf(r->arena, "%s — %s", pv.children[i].name_a, pv.children[i].name_b));
    html_printf(b,
                "</select></p>\n<p><label for=\"f-side\">%h</label>\n<select id=\"f-side\" "
                "name=\"side\">\n",
                web_t(r, "ui_prj_owner_side"));
    option(b, "", q->side ? q->side : "", web_t(r, "ui_prj_any"));
    option(b, "0", q->side, pv.name_a);
    option(b, "1", q->side, pv.name_b);
    html_printf(b, "</select></p>\n");
  }
  web_take_code(r, NULL);
  html_printf(b,
              "<p><label for=\"f-year\">%h</label>\n<input id=\"f-year\" name=\"year\" "
              "type=\"number\" min=\"2000\" max=\"2100\" value=\"%h\"></p>\n"
              "<p><input id=\"f-major\" name=\"major\" type=\"checkbox\" value=\"1\"%s>"
              "<label class=\"inline\" for=\"f-major\">%h</label></p>\n"
              "<p><label for=\"f-sort\">%h</label>\n<select id=\"f-sort\" name=\"sort\">\n",
              web_t(r, "ui_prj_year_signed"), q->year ? q->year : "",
              q->major ? " checked" : "", web_t(r, "ui_prj_major_only"), web_t(r, "ui_prj_sort"));
  option(b, "newest", q->sort ? q->sort : "newest", web_t(r, "ui_prj_sort_newest"));
  option(b, "investment", q->sort, web_t(r, "ui_prj_sort_investment"));
  html_printf(b, "</select></p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n",
              web_t(r, "ui_prj_filter"));
}

static void project_table(struct req *r, struct sb *b, const struct project_view *v, size_t n,
                          bool full) {
  html_printf(b,
              "<table class=\"projects\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "</tr></thead>\n<tbody>\n",
              web_t(r, "ui_prj_name"), web_t(r, "ui_prj_stage"), web_t(r, "ui_prj_industry"),
              web_t(r, full ? "ui_prj_city_pairing" : "ui_prj_partners"),
              web_t(r, "ui_prj_contracted_wan"), web_t(r, "ui_prj_paid_wan"));
  for (size_t i = 0; i < n; i++) {
    const struct project_view *k = &v[i];
    html_printf(b, "<tr><th scope=\"row\" data-label=\"%h\">", web_t(r, "ui_prj_name"));
    if (full)
      html_printf(b, "<a href=\"/projects/%lld\">%h</a>", (long long)k->id, k->name);
    else
      html_printf(b, "%h", k->name);
    if (k->major)
      html_printf(b, " <span class=\"badge major\">%h</span>", web_t(r, "ui_prj_major"));
    html_printf(b, "</th><td data-label=\"%h\">", web_t(r, "ui_prj_stage"));
    stage_badge(r, b, k->stage);
    html_printf(b, "</td><td data-label=\"%h\">%h</td><td data-label=\"%h\">",
                web_t(r, "ui_prj_industry"), k->industry_name ? k->industry_name : "",
                web_t(r, full ? "ui_prj_city_pairing" : "ui_prj_partners"));
    if (full)
      html_printf(b, "%h", city_pairing(r, k));
    else
      partner_names(r, b, k);
    html_printf(b,
                "</td><td class=\"num\" data-label=\"%h\">%h</td>"
                "<td class=\"num\" data-label=\"%h\">%h</td></tr>\n",
                web_t(r, "ui_prj_contracted_wan"), wan(r, k->invest_contracted),
                web_t(r, "ui_prj_paid_wan"), wan(r, k->invest_paid));
  }
  html_printf(b, "</tbody>\n</table>\n");
}

void web_project_task_section(struct req *r, struct sb *b, int64_t task_id) {
  struct project_filter f = {.side = -1, .major = -1, .task_id = task_id};
  struct project_view *v;
  size_t n = 0;
  int64_t next;
  if (project_list(&r->ctx, &f, 0, PROJECT_PAGE_DEFAULT, &v, &n, &next) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  html_printf(b, "<section>\n<h2>%h</h2>\n", web_t(r, "ui_prj_serving_task"));
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_prj_none"));
  else
    project_table(r, b, v, n, true);
  if (next)
    html_printf(b, "<p><a href=\"/projects?task=%lld\">%h</a></p>\n", (long long)task_id,
                web_t(r, "ui_prj_all_of_task"));
  html_printf(b, "</section>\n");
}

/* GET /projects: signed in, the projects one may read with the filters; signed out, the
 * public ones. */
/* The list as a ledger (web/ledger.h): every project the list would page through, in its
 * order, a page of the service at a time. Anonymous: the public projects' public fields. */
static const struct ledger_col project_cols[] = {
    {"project_id", "ui_lg_h_project_id", LEDGER_INT, NULL},
    {"name", "ui_prj_name", LEDGER_TEXT, NULL},
    {"pairing", "ui_prj_pairing", LEDGER_TEXT, NULL},
    {"city_pairing", "ui_prj_city_pairing", LEDGER_TEXT, NULL},
    {"partners", "ui_prj_partners", LEDGER_TEXT, NULL},
    {"industry", "ui_prj_industry", LEDGER_TEXT, NULL},
    {"region", "ui_prj_region", LEDGER_TEXT, NULL},
    {"stage", "ui_prj_stage", LEDGER_TEXT, NULL},
    {"signed_on", "ui_prj_signed_on", LEDGER_DATE, NULL},
    {"planned", "ui_prj_planned_wan", LEDGER_WANYUAN, NULL},
    {"contracted", "ui_prj_contracted_wan", LEDGER_WANYUAN, NULL},
    {"paid", "ui_prj_paid_wan", LEDGER_WANYUAN, NULL},
    {"jobs", "ui_prj_jobs", LEDGER_INT, NULL},
    {"major", "ui_prj_major", LEDGER_TEXT, NULL},
};

static int projects_ledger(struct req *r, struct resp *p, enum ledger_format format,
                           const struct project_filter *f) {
  struct project_view *v = NULL;
  size_t n = 0;
  int64_t next = 0;
  struct arena chunk;
  arena_init(&chunk);
  r->ctx.arena = &chunk;
  int rc = f ? project_list(&r->ctx, f, 0, PROJECT_PAGE_MAX, &v, &n, &next)
             : project_list_public(&r->ctx, 0, PROJECT_PAGE_MAX, &v, &n, &next);
  r->ctx.arena = r->arena;
  if (rc != SVC_OK) {
    arena_free(&chunk);
    return web_service_page(r, p, rc);
  }
  const char *pairing = n && v[0].name_a && f && f->pairing_id
                            ? arena_printf(r->arena, "%s—%s ", v[0].name_a, v[0].name_b)
                            : "";
  struct ledger_spec spec = {
      .name = arena_printf(r->arena, "%s%s", web_t(r, "ui_prj_title"), web_t(r, "ui_lg_sheet")),
      .ascii = "projects",
      .title = f && f->year ? arena_printf(r->arena, "%s%d%s %s%s", pairing, f->year,
                                           r->lang == LANG_EN ? "" : web_t(r, "ui_year_suffix"),
                                           web_t(r, "ui_prj_title"), web_t(r, "ui_lg_sheet"))
                            : arena_printf(r->arena, "%s%s%s", pairing, web_t(r, "ui_prj_title"),
                                           web_t(r, "ui_lg_sheet")),
      .cols = project_cols,
      .n_cols = sizeof project_cols / sizeof *project_cols};
  struct ledger *l = ledger_open(r, format, &spec);
  if (!l) {
    arena_free(&chunk);
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  }
  for (;;) {
    for (size_t i = 0; i < n; i++) {
      const struct project_view *k = &v[i];
      struct sb partners = SB_INIT;
      for (size_t j = 0; j < k->n_partners; j++)
        sb_appendf(&partners, "%s%s", j ? web_t(r, "ui_prj_list_sep") : "",
                   k->partners[j].unit_id ? k->partners[j].unit_name : k->partners[j].enterprise);
      ledger_int(l, k->id);
      ledger_text(l, k->name);
      ledger_text(l, k->name_a ? arena_printf(&chunk, "%s—%s", k->name_a, k->name_b) : NULL);
      ledger_text(l, k->city_pairing_id ? arena_printf(&chunk, "%s—%s", k->city_a, k->city_b)
                                        : NULL);
      ledger_text(l, arena_strdup(&chunk, sb_str(&partners)));
      sb_free(&partners);
      ledger_text(l, k->industry_name);
      ledger_text(l, k->region_name);
      ledger_text(l, web_t(r, stage_label(k->stage)));
      ledger_date(l, k->signed_on);
      ledger_yuan(l, k->invest_planned);
      ledger_yuan(l, k->invest_contracted);
      ledger_yuan(l, k->invest_paid);
      if (k->jobs >= 0)
        ledger_int(l, k->jobs);
      else
        ledger_blank(l);
      ledger_text(l, k->major ? "★" : NULL);
      ledger_row_end(l);
    }
    if (!next)
      break;
    int64_t after = next;
    arena_free(&chunk);
    arena_init(&chunk);
    r->ctx.arena = &chunk;
    rc = f ? project_list(&r->ctx, f, after, PROJECT_PAGE_MAX, &v, &n, &next)
           : project_list_public(&r->ctx, after, PROJECT_PAGE_MAX, &v, &n, &next);
    r->ctx.arena = r->arena;
    if (rc != SVC_OK) {
      arena_free(&chunk);
      return web_service_page(r, p, rc);
    }
  }
  arena_free(&chunk);
  return ledger_send(l, p);
}

int web_projects(struct req *r, struct resp *p) {
  int64_t after = web_page_after(r);
  int format = ledger_asked(r);
  if (after < 0 || format < 0)
    return web_bad_query(r, p);
  struct project_view *v;
  size_t n;
  int64_t next;
  struct sb *b = &p->body;
  if (!r->user) {
    if (format != LEDGER_PAGE)
      return projects_ledger(r, p, (enum ledger_format)format, NULL);
    int rc = project_list_public(&r->ctx, after, PROJECT_PAGE_DEFAULT, &v, &n, &next);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
    web_begin(r, p, web_t(r, "ui_prj_public_title"));
    html_printf(b, "<h1>%h</h1>\n<p class=\"meta\">%h</p>\n", web_t(r, "ui_prj_public_title"),
                web_t(r, "ui_prj_public_intro"));
    ledger_links(r, b, "/projects");
    if (n == 0)
      html_printf(b, "<p>%h</p>\n", web_t(r, "ui_prj_none"));
    else
      project_table(r, b, v, n, false);
    web_pager(r, b, "/projects", after, next != 0, next);
    return web_end(r, p);
  }
  struct list_query q;
  if (!read_filters(r, &q))
    return web_bad_query(r, p);
  if (format != LEDGER_PAGE)
    return projects_ledger(r, p, (enum ledger_format)format, &q.f);
  int rc = project_list(&r->ctx, &q.f, after, PROJECT_PAGE_DEFAULT, &v, &n, &next);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  web_begin(r, p, web_t(r, "ui_prj_title"));
  html_printf(b, "<h1>%h</h1>\n", web_t(r, "ui_prj_title"));
  if (project_may_create(&r->ctx))
    html_printf(b,
                "<p class=\"plan-actions\"><a class=\"button\" href=\"/projects/new\">%h</a>"
                "</p>\n",
                web_t(r, "ui_prj_new"));
  filter_form(r, b, &q, q.f.pairing_id ? q.f.pairing_id : r->user->pairing_id);
  ledger_links(r, b, list_path(r, &q));
  if (project_may_create(&r->ctx) && r->user->role != ROLE_ADMIN)
    web_import_form_in(r, b, "projects", 0, NULL); /* many at once: web/import.c */
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_prj_none"));
  else
    project_table(r, b, v, n, true);
  web_pager(r, b, list_path(r, &q), after, next != 0, next);
  return web_end(r, p);
}

/* ==== the dashboard's block ============================================================== */

/* The ink of each stage's badge (.stage-* in app.css), for the chart. */
static const char *const stage_fills[STAGE_N] = {"#57606a", "#0b4f9c", "#7d4e00", "#116329",
                                                 "#a40e26"};

/* A number linking to the list of the projects behind it. */
static void counted(struct req *r, struct sb *b, const char *label, const char *value,
                    const char *href) {
  html_printf(b, "<div class=\"fig fig-prj\"><dt>%h</dt><dd><a href=\"%h\">%h</a></dd></div>\n", label,
              href, value);
}

/* "2026年新签约项目", "2026 new signings". */
static const char *year_label(struct req *r, int year, const char *id) {
  return r->lang == LANG_EN ? arena_printf(r->arena, "%d %s", year, web_t(r, id))
                            : arena_printf(r->arena, "%d%s", year, web_t(r, id));
}

void web_project_dashboard_block(struct req *r, struct sb *b, int64_t pairing_id, int year,
                                 const struct project_totals *totals) {
  if (!totals)
    return;
  const struct project_totals t = *totals;
  const char *list = arena_printf(r->arena, "/projects?pairing=%lld", (long long)pairing_id);
  html_printf(b,
              "<section class=\"dash-projects\" aria-labelledby=\"h-projects\">\n"
              "<h2 id=\"h-projects\">%h</h2>\n<dl class=\"dash-figures\">\n",
              web_t(r, "ui_prj_dash_title"));
  counted(r, b, year_label(r, year, "ui_prj_dash_signed"),
          arena_printf(r->arena, "%lld", (long long)t.signed_in_year),
          arena_printf(r->arena, "%s&year=%d", list, year));
  counted(r, b, year_label(r, year, "ui_prj_dash_signed_wan"),
          wan(r, t.contracted_in_year), arena_printf(r->arena, "%s&year=%d", list, year));
  counted(r, b, web_t(r, "ui_prj_major"), arena_printf(r->arena, "%lld", (long long)t.major),
          arena_printf(r->arena, "%s&major=1", list));
  for (int s = 0; s < STAGE_N; s++)
    counted(r, b, web_t(r, stage_labels[s]),
            arena_printf(r->arena, "%lld", (long long)t.by_stage[s]),
            arena_printf(r->arena, "%s&stage=%s", list, project_stage_name((enum project_stage)s)));
  html_printf(b, "</dl>\n");
  /* the pipeline as a bar, its numbers said in words */
  struct svg_part parts[STAGE_N];
  struct sb label = SB_INIT;
  for (int s = 0; s < STAGE_N; s++) {
    parts[s] = (struct svg_part){.value = t.by_stage[s], .fill = stage_fills[s]};
    sb_appendf(&label, "%s%s %lld", s ? web_t(r, "ui_prj_list_sep") : "", web_t(r, stage_labels[s]),
               (long long)t.by_stage[s]);
  }
  svg_stacked_bar(b, "dash-bar", parts, STAGE_N, 600, 28,
                  arena_printf(r->arena, "%s%s%s", web_t(r, "ui_prj_dash_pipeline"),
                               web_t(r, "ui_colon"), sb_str(&label)),
                  true);
  sb_free(&label);
  html_printf(b, "<ul class=\"legend\">\n");
  for (int s = 0; s < STAGE_N; s++) {
    html_printf(b, "<li>");
    svg_swatch(b, stage_fills[s]);
    html_printf(b, " %h %lld</li>\n", web_t(r, stage_labels[s]), (long long)t.by_stage[s]);
  }
  html_printf(b, "</ul>\n");

  /* investment per side and per city pairing, every row linking to its projects */
  struct pairing_view pv;
  bool named = pairing_get(&r->ctx, pairing_id, &pv) == SVC_OK;
  web_take_code(r, NULL);
  html_printf(b,
              "<table class=\"dash-table cards projects-invest\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "</tr></thead>\n<tbody>\n",
              web_t(r, "ui_prj_dash_invest"), web_t(r, "ui_prj_dash_where"),
              web_t(r, "ui_prj_dash_count"), web_t(r, "ui_prj_contracted_wan"),
              web_t(r, "ui_prj_paid_wan"));
  for (int side = 0; side < 2 && named; side++)
    html_printf(b,
                "<tr><th scope=\"row\" data-label=\"%h\"><a href=\"%h&amp;side=%d\">%h</a></th>"
                "<td class=\"num\" data-label=\"%h\">%lld</td><td class=\"num\" data-label=\"%h\">"
                "%h</td><td class=\"num\" data-label=\"%h\">%h</td></tr>\n",
                web_t(r, "ui_prj_dash_where"), list, side, side ? pv.name_b : pv.name_a,
                web_t(r, "ui_prj_dash_count"), (long long)t.projects[side],
                web_t(r, "ui_prj_contracted_wan"),
                wan(r, t.contracted[side]), web_t(r, "ui_prj_paid_wan"), wan(r, t.paid[side]));
  for (size_t i = 0; i < t.n_cities; i++) {
    const struct project_city_total *ct = &t.cities[i];
    html_printf(b,
                "<tr><th scope=\"row\" data-label=\"%h\"><a href=\"%h&amp;city_pairing=%lld\">"
                "%h — %h</a></th><td class=\"num\" data-label=\"%h\">%lld</td>"
                "<td class=\"num\" data-label=\"%h\">%h</td><td class=\"num\" "
                "data-label=\"%h\">%h</td></tr>\n",
                web_t(r, "ui_prj_dash_where"), list, (long long)ct->city_pairing_id, ct->name_a,
                ct->name_b, web_t(r, "ui_prj_dash_count"), (long long)ct->projects,
                web_t(r, "ui_prj_contracted_wan"), wan(r, ct->contracted),
                web_t(r, "ui_prj_paid_wan"), wan(r, ct->paid));
  }
  html_printf(b, "</tbody>\n</table>\n");

  /* the major projects, largest first */
  struct project_filter f = {.pairing_id = pairing_id, .side = -1, .major = 1,
                             .by_investment = true};
  struct project_view *v;
  size_t n = 0;
  int64_t next = 0;
  if (project_list(&r->ctx, &f, 0, 10, &v, &n, &next) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  html_printf(b, "<h3>%h</h3>\n", web_t(r, "ui_prj_dash_majors"));
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_prj_none"));
  else
    project_table(r, b, v, n, true);
  if (next)
    html_printf(b, "<p><a href=\"%h&amp;major=1&amp;sort=investment\">%h</a></p>\n", list,
                web_t(r, "ui_prj_all_of_task"));
  html_printf(b, "</section>\n");
}

/* ==== one project ======================================================================= */

struct stage_form {
  const char *stage, *on_date, *reason, *err, *err_field;
  /* the progress form, kept when refused */
  const char *u_body, *u_paid, *u_jobs, *u_err, *u_err_field;
  const char *file_err; /* the upload's message */
};

static const char *update_state_label(const char *state) {
  if (strcmp(state, "accepted") == 0)
    return "ui_review_accepted";
  if (strcmp(state, "returned") == 0)
    return "ui_review_returned";
  return "ui_review_pending";
}

/* 项目进展: the updates, newest first, each with its review; the review buttons for the
 * owning side's coordinator; the form for who takes part. */
static void updates_section(struct req *r, struct sb *b, const struct project_view *v,
                            const struct stage_form *sf) {
  struct project_update_view *u;
  size_t n = 0;
  if (project_update_list(&r->ctx, v->id, &u, &n) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  bool reviewer = project_may_write(&r->ctx, v);
  html_printf(b, "<section id=\"updates\" aria-labelledby=\"updates-heading\">\n"
                 "<h2 id=\"updates-heading\">%h</h2>\n",
              web_t(r, "ui_prj_updates"));
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_prj_no_updates"));
  else
    html_printf(b, "<ol class=\"timeline\">\n");
  for (size_t i = 0; i < n; i++) {
    const struct project_update_view *k = &u[i];
    html_printf(b, "<li><p><time datetime=\"%h\">%h</time> %h %h <span class=\"badge review-%h\">"
                   "%h</span></p>\n<p class=\"section-body\">%h</p>\n",
                k->created_at, web_time(r, k->created_at), k->unit_name ? k->unit_name : "",
                k->author ? k->author : "", k->state, web_t(r, update_state_label(k->state)),
                k->body);
    if (k->invest_paid >= 0 || k->jobs >= 0) {
      html_printf(b, "<p class=\"meta\">");
      if (k->invest_paid >= 0)
        html_printf(b, "%h%h%h ", web_t(r, "ui_prj_paid_wan"), web_t(r, "ui_colon"),
                    wan(r, k->invest_paid));
      if (k->jobs >= 0)
        html_printf(b, "%h%h%lld", web_t(r, "ui_prj_jobs"), web_t(r, "ui_colon"),
                    (long long)k->jobs);
      html_printf(b, "</p>\n");
    }
    struct attachment_view *files;
    size_t nf = 0;
    if (attachment_list(&r->ctx, "project_update", k->id, &files, &nf) != SVC_OK)
      nf = 0;
    web_take_code(r, NULL);
    for (size_t f = 0; f < nf; f++)
      html_printf(b, "<p class=\"meta\"><a href=\"/attachments/%lld\" download>%h</a></p>\n",
                  (long long)files[f].id, files[f].filename);
    if (k->comment)
      html_printf(b, "<p class=\"review\">%h%h%h</p>\n", k->reviewer ? k->reviewer : "",
                  web_t(r, "ui_colon"), k->comment);
    bool own = k->author && strcmp(k->author, r->user->login) == 0;
    if (reviewer && !own && strcmp(k->state, "pending") == 0) {
      html_printf(b, "<form method=\"post\" action=\"/project-updates/%lld/review\" "
                     "class=\"inline\">\n",
                  (long long)k->id);
      web_csrf_field(r, b);
      html_printf(b,
                  "<label for=\"c%lld\">%h</label>\n<input id=\"c%lld\" name=\"comment\" "
                  "type=\"text\" maxlength=\"%d\">\n<button type=\"submit\" name=\"decision\" "
                  "value=\"accepted\">%h</button>\n<button type=\"submit\" name=\"decision\" "
                  "value=\"returned\">%h</button>\n</form>\n",
                  (long long)k->id, web_t(r, "ui_prj_review_comment"), (long long)k->id,
                  PROJECT_REASON_MAX, web_t(r, "ui_prj_accept"), web_t(r, "ui_prj_return"));
    }
    html_printf(b, "</li>\n");
  }
  if (n)
    html_printf(b, "</ol>\n");
  if (project_may_post_update(&r->ctx, v)) {
    const char *e_body = sf->u_err_field && strcmp(sf->u_err_field, "body") == 0 ? sf->u_err : NULL;
    const char *e_paid =
        sf->u_err_field && strcmp(sf->u_err_field, "invest_paid_yuan") == 0 ? sf->u_err : NULL;
    const char *e_jobs = sf->u_err_field && strcmp(sf->u_err_field, "jobs") == 0 ? sf->u_err : NULL;
    html_printf(b, "<div class=\"admin-form\">\n<h3>%h</h3>\n", web_t(r, "ui_prj_new_update"));
    web_form_error(r, b, sf->u_err && !e_body && !e_paid && !e_jobs ? sf->u_err : NULL);
    html_printf(b, "<form method=\"post\" action=\"/projects/%lld/updates\" "
                   "enctype=\"multipart/form-data\">\n",
                (long long)v->id);
    web_csrf_field(r, b);
    html_printf(b, "<p><label for=\"u-body\">%h</label>\n<textarea id=\"u-body\" name=\"body\" "
                   "rows=\"4\" maxlength=\"%d\" required",
                web_t(r, "ui_prj_update_body"), PROJECT_UPDATE_MAX);
    web_describe(b, "u-body", e_body);
    html_printf(b, ">%h</textarea>\n", sf->u_body ? sf->u_body : "");
    web_field_error(r, b, e_body, "u-body");
    html_printf(b, "</p>\n");
    text_input(r, b, "u-paid", "ui_prj_update_paid", sf->u_paid, e_paid, IN_AMOUNT);
    text_input(r, b, "u-jobs", "ui_prj_update_jobs", sf->u_jobs, e_jobs, IN_JOBS);
    const char *e_file =
        sf->u_err_field && strcmp(sf->u_err_field, "file") == 0 ? sf->u_err : NULL;
    html_printf(b, "<p><label for=\"u-file\">%h</label>\n<input id=\"u-file\" name=\"file\" "
                   "type=\"file\"",
                web_t(r, "ui_att_add"));
    web_describe(b, "u-file", e_file);
    html_printf(b, ">\n");
    web_field_error(r, b, e_file, "u-file");
    html_printf(b, "</p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n</div>\n",
                web_t(r, "ui_prj_submit_update"));
  }
  html_printf(b, "</section>\n");
}

static void stage_section(struct req *r, struct sb *b, const struct project_view *v,
                          const struct stage_form *sf) {
  enum project_stage now = project_stage_from(v->stage);
  html_printf(b, "<section class=\"admin-form\" aria-labelledby=\"stage-heading\">\n"
                 "<h2 id=\"stage-heading\">%h</h2>\n",
              web_t(r, "ui_prj_change_stage"));
  web_form_error(r, b, sf->err);
  html_printf(b, "<form method=\"post\" action=\"/projects/%lld/stage\">\n", (long long)v->id);
  web_csrf_field(r, b);
  html_printf(b,
              "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n"
              "<p><label for=\"stage\">%h</label>\n<select id=\"stage\" name=\"stage\">\n",
              v->updated_at, web_t(r, "ui_prj_new_stage"));
  /* forward only; out of stopped anywhere */
  for (int s = 0; s < STAGE_N; s++)
    if ((enum project_stage)s != now &&
        (now == STAGE_STOPPED || s == STAGE_STOPPED || (enum project_stage)s > now))
      option(b, project_stage_name((enum project_stage)s), sf->stage, web_t(r, stage_labels[s]));
  const char *e_date = sf->err_field && strcmp(sf->err_field, "on_date") == 0 ? sf->err : NULL;
  const char *e_reason = sf->err_field && strcmp(sf->err_field, "reason") == 0 ? sf->err : NULL;
  html_printf(b,
              "</select></p>\n<p><label for=\"on_date\">%h</label>\n<input id=\"on_date\" "
              "name=\"on_date\" type=\"date\" value=\"%h\"",
              web_t(r, "ui_prj_stage_date"), sf->on_date ? sf->on_date : "");
  web_describe(b, "on_date", e_date);
  html_printf(b, ">\n");
  web_field_error(r, b, e_date, "on_date");
  html_printf(b,
              "</p>\n<p><label for=\"reason\">%h</label>\n<input id=\"reason\" name=\"reason\" "
              "type=\"text\" maxlength=\"%d\" value=\"%h\"",
              web_t(r, "ui_prj_reason"), PROJECT_REASON_MAX, sf->reason ? sf->reason : "");
  web_describe(b, "reason", e_reason);
  html_printf(b, ">\n");
  web_field_error(r, b, e_reason, "reason");
  html_printf(b, "</p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_prj_change_stage"));
}

static int project_page(struct req *r, struct resp *p, int status, const struct project_view *v,
                        const struct stage_form *sf) {
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, v->name);
  html_printf(b, "<p class=\"crumbs\"><a href=\"/projects\">%h</a></p>\n<h1>%h</h1>\n<p>",
              web_t(r, "ui_prj_title"), v->name);
  stage_badge(r, b, v->stage);
  if (v->major)
    html_printf(b, " <span class=\"badge major\">%h</span>", web_t(r, "ui_prj_major"));
  html_printf(b, " <span class=\"badge\">%h</span></p>\n",
              web_t(r, v->is_public ? "ui_prj_public" : "ui_prj_internal"));
  note(r, b, status == 200 ? done_note(r) : NULL);
  bool writer = project_may_write(&r->ctx, v);
  if (writer)
    html_printf(b, "<p class=\"plan-actions\"><a class=\"button\" href=\"/projects/%lld/edit\">"
                   "%h</a></p>\n",
                (long long)v->id, web_t(r, "ui_prj_edit"));
  html_printf(b,
              "<dl class=\"facts\">\n<dt>%h</dt><dd>%h — %h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h%h%h</dd>\n<dt>%h</dt><dd>%h</dd>\n",
              web_t(r, "ui_prj_pairing"), v->name_a, v->name_b, web_t(r, "ui_prj_city_pairing"),
              v->city_pairing_id ? city_pairing(r, v) : web_t(r, "ui_prj_none_short"),
              web_t(r, "ui_prj_owner_side"), side_name(v, v->side), web_t(r, "ui_prj_industry"),
              v->industry ? v->industry : "", v->industry ? " " : "",
              v->industry_name ? v->industry_name : web_t(r, "ui_prj_none_short"),
              web_t(r, "ui_prj_region"),
              v->region_name ? v->region_name : web_t(r, "ui_prj_none_short"));
  html_printf(b,
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n</dl>\n",
              web_t(r, "ui_prj_planned_wan"), wan(r, v->invest_planned),
              web_t(r, "ui_prj_contracted_wan"), wan(r, v->invest_contracted),
              web_t(r, "ui_prj_paid_wan"), wan(r, v->invest_paid), web_t(r, "ui_prj_jobs"),
              v->jobs >= 0 ? arena_printf(r->arena, "%lld", (long long)v->jobs)
                           : web_t(r, "ui_prj_none_short"),
              web_t(r, "ui_prj_signed_on"),
              v->signed_on ? web_date(r, v->signed_on) : web_t(r, "ui_prj_none_short"));
  if (v->platform_id)
    html_printf(b, "<p>%h%h<a href=\"/platforms/%lld\">%h</a></p>\n", web_t(r, "ui_prj_platform"),
                web_t(r, "ui_colon"), (long long)v->platform_id, v->platform_name);
  if (v->description)
    html_printf(b, "<p class=\"section-body\">%h</p>\n", v->description);

  html_printf(b, "<h2>%h</h2>\n", web_t(r, "ui_prj_partners"));
  if (v->n_partners == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_prj_no_partners"));
  else {
    html_printf(b, "<table class=\"partners\">\n<thead><tr><th scope=\"col\">%h</th>"
                   "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
                web_t(r, "ui_prj_side"), web_t(r, "ui_prj_partner"),
                web_t(r, "ui_prj_credit_code"));
    for (size_t i = 0; i < v->n_partners; i++) {
      const struct project_partner *pt = &v->partners[i];
      html_printf(b,
                  "<tr><td data-label=\"%h\">%h</td><th scope=\"row\" data-label=\"%h\">%h</th>"
                  "<td data-label=\"%h\">%h</td></tr>\n",
                  web_t(r, "ui_prj_side"), side_name(v, pt->side), web_t(r, "ui_prj_partner"),
                  pt->unit_id ? pt->unit_name : pt->enterprise, web_t(r, "ui_prj_credit_code"),
                  pt->credit_code ? pt->credit_code : "");
    }
    html_printf(b, "</tbody>\n</table>\n");
  }

  html_printf(b, "<h2>%h</h2>\n<ol class=\"timeline\">\n", web_t(r, "ui_prj_history"));
  for (size_t i = 0; i < v->n_stages; i++) {
    const struct project_stage_change *h = &v->stages[i];
    html_printf(b, "<li><time datetime=\"%h\">%h</time> ", h->on_date, web_date(r, h->on_date));
    stage_badge(r, b, h->stage);
    if (h->reason)
      html_printf(b, " %h", h->reason);
    html_printf(b, " <span class=\"meta\">%h</span></li>\n", h->by ? h->by : "");
  }
  html_printf(b, "</ol>\n<h2>%h</h2>\n", web_t(r, "ui_prj_tasks"));
  if (v->n_tasks == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_prj_no_tasks"));
  else {
    html_printf(b, "<ul>\n");
    for (size_t i = 0; i < v->n_tasks; i++)
      html_printf(b, "<li><a href=\"/tasks/%lld\">%d. %h</a></li>\n", (long long)v->task_ids[i],
                  v->task_numbers[i], v->task_titles[i]);
    html_printf(b, "</ul>\n");
  }
  updates_section(r, b, v, sf);
  web_attachments_section(r, b, "project", v->id,
                          project_may_post_update(&r->ctx, v)
                              ? arena_printf(r->arena, "/projects/%lld/attachments", (long long)v->id)
                              : NULL,
                          sf->file_err);
  if (writer)
    stage_section(r, b, v, sf);
  return web_end(r, p);
}

int web_project_page(struct req *r, struct resp *p) {
  struct project_view v;
  int rc = project_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct stage_form sf = {0};
  return project_page(r, p, 200, &v, &sf);
}

/* POST /projects/{id}/stage (stage, on_date, reason, updated_at): 303 back, or the page
 * again with the message by the field (422), or 409 when it changed meanwhile. */
int web_project_stage(struct req *r, struct resp *p) {
  struct stage_form sf = {.stage = req_form(r, "stage"),
                          .on_date = req_form(r, "on_date"),
                          .reason = req_form(r, "reason")};
  const char *seen = req_form(r, "updated_at");
  int rc = project_set_stage(&r->ctx, r->ids[0], sf.stage ? sf.stage : "", sf.on_date,
                             sf.reason, seen ? seen : "");
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/projects/%lld?done=stage",
                                           (long long)r->ids[0]));
  if (rc != SVC_INVALID && rc != SVC_CONFLICT && rc != SVC_STALE)
    return web_service_page(r, p, rc);
  bool stale = rc == SVC_STALE;
  sf.err_field = stale ? NULL : r->ctx.field;
  const char *code = web_take_code(r, "err_invalid");
  sf.err = stale ? "ui_prj_stale" : code;
  int status = stale || rc == SVC_CONFLICT ? 409 : 422;
  struct project_view v;
  if ((rc = project_get(&r->ctx, r->ids[0], &v)) != SVC_OK)
    return web_service_page(r, p, rc);
  return project_page(r, p, status, &v, &sf);
}

/* ==== the forms ========================================================================= */

struct partner_row {
  const char *side, *unit, *enterprise, *credit_code, *err;
};

struct project_form {
  const char *pairing, *side, *name, *city, *platform, *industry, *region, *planned,
      *contracted, *paid, *jobs, *description, *stage, *stage_on, *updated_at;
  bool major, is_public;
  struct partner_row *partners;
  size_t n_partners;
  const char **tasks; /* the chosen task ids, as sent */
  size_t n_tasks;
  /* message ids by field, and above the form */
  const char *e_name, *e_city, *e_platform, *e_industry, *e_region, *e_planned, *e_contracted, *e_paid,
      *e_jobs, *e_description, *e_major, *e_stage, *e_stage_on, *e_tasks, *e_pairing, *e_top;
};

static void form_error(struct req *r, struct project_form *f, const char *field,
                       const char *code) {
  static const struct {
    const char *field;
    size_t offset;
  } map[] = {
      {"name", offsetof(struct project_form, e_name)},
      {"city_pairing_id", offsetof(struct project_form, e_city)},
      {"platform_id", offsetof(struct project_form, e_platform)},
      {"industry", offsetof(struct project_form, e_industry)},
      {"region_code", offsetof(struct project_form, e_region)},
      {"invest_planned_yuan", offsetof(struct project_form, e_planned)},
      {"invest_contracted_yuan", offsetof(struct project_form, e_contracted)},
      {"invest_paid_yuan", offsetof(struct project_form, e_paid)},
      {"jobs", offsetof(struct project_form, e_jobs)},
      {"description", offsetof(struct project_form, e_description)},
      {"major", offsetof(struct project_form, e_major)},
      {"stage", offsetof(struct project_form, e_stage)},
      {"stage_on", offsetof(struct project_form, e_stage_on)},
      {"task_ids", offsetof(struct project_form, e_tasks)},
      {"pairing_id", offsetof(struct project_form, e_pairing)},
      {"side", offsetof(struct project_form, e_pairing)},
  };
  f->e_top = "ui_form_has_errors";
  if (!field)
    return (void)(f->e_top = code);
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strcmp(field, map[i].field) == 0) {
      *(const char **)((char *)f + map[i].offset) = code;
      return;
    }
  /* partners[i] or partners[i].xxx: by its row */
  long long row;
  if (strncmp(field, "partners[", 9) == 0 &&
      web_parse_int(arena_strndup(r->arena, field + 9, strcspn(field + 9, "]")), &row) &&
      row >= 0 && (size_t)row < f->n_partners) {
    f->partners[row].err = code;
    return;
  }
  f->e_top = code;
}

static void partner_rows(struct req *r, struct sb *b, const struct project_form *f,
                         const struct pairing_view *pv, struct unit_view *const units[2],
                         const size_t n_units[2]) {
  /* partners_shown: the rows were on the form, so none sent means none wanted (a form
   * without them leaves the partners as they are) */
  html_printf(b, "<fieldset class=\"partners\">\n<legend>%h</legend>\n<p class=\"meta\">%h</p>\n"
                 "<input type=\"hidden\" name=\"partners_shown\" value=\"1\">\n",
              web_t(r, "ui_prj_partners"), web_t(r, "ui_prj_partners_hint"));
  size_t rows = f->n_partners + 2 > FORM_PARTNER_ROWS_MIN ? f->n_partners + 2
                                                          : FORM_PARTNER_ROWS_MIN;
  if (rows > PROJECT_PARTNERS_MAX)
    rows = PROJECT_PARTNERS_MAX;
  for (size_t i = 0; i < rows; i++) {
    const struct partner_row *pr = i < f->n_partners ? &f->partners[i] : NULL;
    const char *side = pr && pr->side ? pr->side : "";
    html_printf(b, "<div class=\"partner-row\">\n<p><label for=\"ps%d\">%h %d</label>\n"
                   "<select id=\"ps%d\" name=\"partner_side\">\n",
                (int)i, web_t(r, "ui_prj_side"), (int)i + 1, (int)i);
    option(b, "0", side, pv->name_a);
    option(b, "1", side, pv->name_b);
    html_printf(b, "</select></p>\n<p><label for=\"pu%d\">%h</label>\n"
                   "<select id=\"pu%d\" name=\"partner_unit\"",
                (int)i, web_t(r, "ui_prj_partner_unit"), (int)i);
    if (pr && pr->err)
      html_printf(b, " aria-invalid=\"true\" aria-describedby=\"pu%d-error\"", (int)i);
    html_printf(b, ">\n");
    option(b, "", pr && pr->unit ? pr->unit : "", web_t(r, "ui_prj_partner_enterprise_row"));
    for (int s = 0; s < 2; s++) {
      html_printf(b, "<optgroup label=\"%h\">\n", s ? pv->name_b : pv->name_a);
      for (size_t k = 0; k < n_units[s]; k++)
        option(b, arena_printf(r->arena, "%lld", (long long)units[s][k].id),
               pr ? pr->unit : NULL, units[s][k].name);
      html_printf(b, "</optgroup>\n");
    }
    html_printf(b,
                "</select></p>\n<p><label for=\"pe%d\">%h</label>\n<input id=\"pe%d\" "
                "name=\"partner_enterprise\" type=\"text\" list=\"enterprise-names\" "
                "maxlength=\"%d\" value=\"%h\"></p>\n"
                "<p><label for=\"pc%d\">%h</label>\n<input id=\"pc%d\" name=\"partner_code\" "
                "type=\"text\" maxlength=\"40\" autocomplete=\"off\" value=\"%h\"></p>\n",
                (int)i, web_t(r, "ui_prj_partner_enterprise"), (int)i, PROJECT_NAME_MAX,
                pr && pr->enterprise ? pr->enterprise : "", (int)i,
                web_t(r, "ui_prj_credit_code"), (int)i,
                pr && pr->credit_code ? pr->credit_code : "");
    if (pr && pr->err)
      web_field_error(r, b, pr->err, arena_printf(r->arena, "pu%d", (int)i));
    html_printf(b, "</div>\n");
  }
  /* the pairing's enterprise directory (企业库) offers the names to type */
  const char **names;
  size_t n_names = 0;
  if (enterprise_names(&r->ctx, pv->id, &names, &n_names) != SVC_OK)
    n_names = 0;
  web_take_code(r, NULL);
  html_printf(b, "<datalist id=\"enterprise-names\">\n");
  for (size_t i = 0; i < n_names; i++)
    html_printf(b, "<option value=\"%h\">\n", names[i]);
  html_printf(b, "</datalist>\n</fieldset>\n");
}

static bool chosen_task(const struct project_form *f, int64_t id) {
  for (size_t i = 0; i < f->n_tasks; i++) {
    long long v;
    if (web_parse_int(f->tasks[i], &v) && v == id)
      return true;
  }
  return false;
}

/* The form of a new project (v NULL) or of v; status 409 shows what is saved now above. */
static int form_page(struct req *r, struct resp *p, int status, int64_t pairing_id,
                     const struct project_view *v, const struct project_form *f) {
  struct pairing_view pv;
  int rc = pairing_get(&r->ctx, pairing_id, &pv);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct unit_view *units[2] = {NULL, NULL};
  size_t n_units[2] = {0, 0};
  for (int s = 0; s < 2; s++)
    if (unit_list(&r->ctx, pairing_id, s, &units[s], &n_units[s]) != SVC_OK)
      n_units[s] = 0;
  struct plan_view plan;
  bool have_plan = pv.plan_id && plan_get(&r->ctx, pv.plan_id, &plan) == SVC_OK;
  web_take_code(r, NULL);

  struct sb *b = &p->body;
  p->status = status;
  const char *title = web_t(r, v ? "ui_prj_edit" : "ui_prj_new");
  web_begin(r, p, title);
  if (v)
    html_printf(b, "<p class=\"crumbs\"><a href=\"/projects/%lld\">%h</a></p>\n",
                (long long)v->id, v->name);
  else
    html_printf(b, "<p class=\"crumbs\"><a href=\"/projects\">%h</a></p>\n",
                web_t(r, "ui_prj_title"));
  html_printf(b, "<h1>%h</h1>\n<section class=\"admin-form\">\n", title);
  web_form_error(r, b, f->e_top);
  if (status == 409 && v)
    html_printf(b, "<div class=\"saved-now\">\n<p class=\"meta\">%h</p>\n<p><strong>%h</strong>"
                   " · %h %h</p>\n</div>\n",
                web_t(r, "ui_prj_saved_now"), v->name, web_t(r, "ui_prj_contracted_wan"),
                wan(r, v->invest_contracted));
  if (v)
    html_printf(b, "<form method=\"post\" action=\"/projects/%lld/edit\">\n", (long long)v->id);
  else
    html_printf(b, "<form method=\"post\" action=\"/projects\">\n");
  web_csrf_field(r, b);
  if (v)
    html_printf(b, "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n",
                f->updated_at ? f->updated_at : "");
  html_printf(b, "<p class=\"meta\">%h%h%h — %h</p>\n", web_t(r, "ui_prj_pairing"),
              web_t(r, "ui_colon"), pv.name_a, pv.name_b);
  if (!v && r->user->role == ROLE_ADMIN) {
    html_printf(b,
                "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n<p><label "
                "for=\"side\">%h</label>\n<select id=\"side\" name=\"side\"",
                (long long)pairing_id, web_t(r, "ui_prj_owner_side"));
    web_describe(b, "side", f->e_pairing);
    html_printf(b, ">\n");
    option(b, "0", f->side ? f->side : "0", pv.name_a);
    option(b, "1", f->side, pv.name_b);
    html_printf(b, "</select>\n");
    web_field_error(r, b, f->e_pairing, "side");
    html_printf(b, "</p>\n");
  }
  text_input(r, b, "name", "ui_prj_name", f->name, f->e_name, IN_NAME);
  html_printf(b, "<p><label for=\"city_pairing\">%h</label>\n<select id=\"city_pairing\" "
                 "name=\"city_pairing\"",
              web_t(r, "ui_prj_city_pairing"));
  web_describe(b, "city_pairing", f->e_city);
  html_printf(b, ">\n");
  option(b, "", f->city ? f->city : "", web_t(r, "ui_prj_none_short"));
  for (size_t i = 0; i < pv.n_children; i++)
    option(b, arena_printf(r->arena, "%lld", (long long)pv.children[i].id), f->city,
           arena_printf(r->arena, "%s — %s", pv.children[i].name_a, pv.children[i].name_b));
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_city, "city_pairing");
  html_printf(b, "</p>\n");
  struct platform_view *pfs;
  size_t n_pf = 0;
  if (platform_list(&r->ctx, pairing_id, &pfs, &n_pf) != SVC_OK)
    n_pf = 0;
  web_take_code(r, NULL);
  html_printf(b, "<p><label for=\"platform\">%h</label>\n<select id=\"platform\" name=\"platform\"",
              web_t(r, "ui_prj_platform"));
  web_describe(b, "platform", f->e_platform);
  html_printf(b, ">\n");
  option(b, "", f->platform ? f->platform : "", web_t(r, "ui_prj_none_short"));
  for (size_t i = 0; i < n_pf; i++)
    option(b, arena_printf(r->arena, "%lld", (long long)pfs[i].id), f->platform, pfs[i].name);
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_platform, "platform");
  html_printf(b, "</p>\n<p><label for=\"industry\">%h</label>\n", web_t(r, "ui_prj_industry"));
  industry_select(r, b, "industry", f->industry, web_t(r, "ui_prj_none_short"), f->e_industry);
  web_field_error(r, b, f->e_industry, "industry");
  html_printf(b, "</p>\n");
  text_input(r, b, "region", "ui_prj_region", f->region, f->e_region, IN_PLACE);
  html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_prj_region_hint"));
  text_input(r, b, "planned", "ui_prj_planned_wan", f->planned, f->e_planned, IN_AMOUNT);
  text_input(r, b, "contracted", "ui_prj_contracted_wan", f->contracted, f->e_contracted,
             IN_AMOUNT);
  text_input(r, b, "paid", "ui_prj_paid_wan", f->paid, f->e_paid, IN_AMOUNT);
  text_input(r, b, "jobs", "ui_prj_jobs", f->jobs, f->e_jobs, IN_JOBS);
  html_printf(b, "<p><label for=\"description\">%h</label>\n<textarea id=\"description\" "
                 "name=\"description\" rows=\"4\" maxlength=\"%d\"",
              web_t(r, "ui_prj_description"), PROJECT_DESCRIPTION_MAX);
  web_describe(b, "description", f->e_description);
  html_printf(b, ">%h</textarea>\n", f->description ? f->description : "");
  web_field_error(r, b, f->e_description, "description");
  html_printf(b,
              "</p>\n<p><input id=\"major\" name=\"major\" type=\"checkbox\" value=\"1\"%s>"
              "<label class=\"inline\" for=\"major\">%h</label>\n",
              f->major ? " checked" : "", web_t(r, "ui_prj_major_flag"));
  web_field_error(r, b, f->e_major, "major");
  html_printf(b,
              "</p>\n<p><input id=\"public\" name=\"public\" type=\"checkbox\" value=\"1\"%s>"
              "<label class=\"inline\" for=\"public\">%h</label></p>\n",
              f->is_public ? " checked" : "", web_t(r, "ui_prj_public_flag"));
  if (!v) {
    html_printf(b, "<p><label for=\"stage\">%h</label>\n<select id=\"stage\" name=\"stage\"",
                web_t(r, "ui_prj_stage"));
    web_describe(b, "stage", f->e_stage);
    html_printf(b, ">\n");
    for (int s = 0; s < STAGE_STOPPED; s++)
      option(b, project_stage_name((enum project_stage)s), f->stage ? f->stage : "negotiating",
             web_t(r, stage_labels[s]));
    html_printf(b, "</select>\n");
    web_field_error(r, b, f->e_stage, "stage");
    html_printf(b, "</p>\n");
    text_input(r, b, "stage_on", "ui_prj_stage_date", f->stage_on, f->e_stage_on, IN_DATE);
  }
  partner_rows(r, b, f, &pv, units, n_units);
  if (have_plan && plan.n_tasks) {
    html_printf(b, "<input type=\"hidden\" name=\"tasks_shown\" value=\"1\">\n"
                   "<p><label for=\"tasks\">%h</label>\n<select id=\"tasks\" name=\"task\" "
                   "multiple size=\"8\"",
                web_t(r, "ui_prj_tasks"));
    web_describe(b, "tasks", f->e_tasks);
    html_printf(b, ">\n");
    for (size_t i = 0; i < plan.n_tasks; i++)
      html_printf(b, "<option value=\"%lld\"%s>%d. %h</option>\n", (long long)plan.tasks[i].id,
                  chosen_task(f, plan.tasks[i].id) ? " selected" : "", plan.tasks[i].number,
                  plan.tasks[i].title);
    html_printf(b, "</select>\n");
    web_field_error(r, b, f->e_tasks, "tasks");
    html_printf(b, "</p>\n");
  }
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, v ? "ui_save" : "ui_prj_create"));
  return web_end(r, p);
}

/* The form as sent; false when a repeated field's count does not match (a forged form). */
static void read_form(struct req *r, struct project_form *f) {
  memset(f, 0, sizeof *f);
  f->pairing = req_form(r, "pairing");
  f->side = req_form(r, "side");
  f->name = req_form(r, "name");
  f->city = req_form(r, "city_pairing");
  f->platform = req_form(r, "platform");
  f->industry = req_form(r, "industry");
  f->region = req_form(r, "region");
  f->planned = req_form(r, "planned");
  f->contracted = req_form(r, "contracted");
  f->paid = req_form(r, "paid");
  f->jobs = req_form(r, "jobs");
  f->description = req_form(r, "description");
  f->stage = req_form(r, "stage");
  f->stage_on = req_form(r, "stage_on");
  f->updated_at = req_form(r, "updated_at");
  f->major = req_form(r, "major") != NULL;
  f->is_public = req_form(r, "public") != NULL;
  /* repeated fields, in order: partner rows and chosen tasks */
  size_t ns = 0, nu = 0, ne = 0, nc = 0, cap = 0, cap_t = 0;
  struct partner_row *rows = NULL;
  for (size_t i = 0; i < r->n_form; i++) {
    const char *n = r->form[i].name, *val = r->form[i].value;
    size_t *k = strcmp(n, "partner_side") == 0         ? &ns
                : strcmp(n, "partner_unit") == 0       ? &nu
                : strcmp(n, "partner_enterprise") == 0 ? &ne
                : strcmp(n, "partner_code") == 0       ? &nc
                                                       : NULL;
    if (strcmp(n, "task") == 0) {
      size_t nt = f->n_tasks;
      *(const char **)ARRAY_PUSH(r->arena, f->tasks, nt, cap_t) = val;
      f->n_tasks = nt;
      continue;
    }
    if (!k)
      continue;
    while (*k >= f->n_partners) {
      size_t np = f->n_partners;
      ARRAY_PUSH(r->arena, rows, np, cap);
      f->n_partners = np;
    }
    struct partner_row *pr = &rows[(*k)++];
    if (k == &ns)
      pr->side = val;
    else if (k == &nu)
      pr->unit = val;
    else if (k == &ne)
      pr->enterprise = val;
    else
      pr->credit_code = val;
    f->partners = rows;
  }
  f->partners = rows;
}

static bool blank(const char *s) {
  return !s || !*s || strspn(s, " \t") == strlen(s);
}

/* The form's values as a service input; a field that cannot be read sets its message in f
 * and returns false. Blank partner rows are dropped (and from f too, so the kept form
 * lines up with the service's row numbers). */
static bool to_input(struct req *r, struct project_form *f, struct project_input *in,
                     bool create) {
  /* A field absent from the form keeps its stored value; present but blank clears it. The
   * whole form (it carries partners_shown) also says what an unticked box means. */
  bool full = create || req_form(r, "partners_shown");
  memset(in, 0, sizeof *in);
  in->side = -1;
  in->jobs = -1;
  in->city_pairing_id = -1;
  in->platform_id = -1;
  in->invest_planned = in->invest_contracted = in->invest_paid = -1;
  in->name = f->name ? f->name : create ? "" : NULL;
  in->industry = f->industry;
  in->description = f->description;
  in->major = full ? f->major : f->major ? 1 : -1;
  in->is_public = full ? f->is_public : f->is_public ? 1 : -1;
  in->stage = f->stage;
  in->stage_on = f->stage_on;
  in->if_updated_at = f->updated_at ? f->updated_at : "";
  long long v;
  bool ok = true;
  if (f->city)
    in->city_pairing_id = 0;
  if (!blank(f->city) && (!web_parse_int(f->city, &v) || v < 1))
    ok = false, form_error(r, f, "city_pairing_id", "err_invalid");
  else if (!blank(f->city))
    in->city_pairing_id = v;
  if (f->platform)
    in->platform_id = 0;
  if (!blank(f->platform) && (!web_parse_int(f->platform, &v) || v < 1))
    ok = false, form_error(r, f, "platform_id", "err_platform_unknown");
  else if (!blank(f->platform))
    in->platform_id = v;
  /* an admin names the pairing and side; a coordinator records for its own */
  bool create_form = create;
  create = create && r->user->role == ROLE_ADMIN;
  if (create && !blank(f->side)) {
    if (!web_parse_int(f->side, &v) || v < 0 || v > 1)
      ok = false, form_error(r, f, "side", "err_side");
    else
      in->side = (int)v;
  }
  if (create && !blank(f->pairing)) {
    if (!web_parse_int(f->pairing, &v) || v < 1)
      ok = false, form_error(r, f, "pairing_id", "err_invalid");
    else
      in->pairing_id = v;
  }
  /* the place: a gazetteer code, or a name in either script */
  in->region_code = f->region ? "" : NULL;
  if (!blank(f->region)) {
    const struct gazetteer *g = gazetteer_get();
    const struct region *reg = region_by_code(g, f->region);
    if (!reg)
      reg = region_find(g, f->region, NULL);
    if (!reg)
      ok = false, form_error(r, f, "region_code", "err_region_unknown");
    else
      in->region_code = reg->code;
  }
  struct {
    const char *text, *field;
    int64_t *out;
  } amounts[] = {{f->planned, "invest_planned_yuan", &in->invest_planned},
                 {f->contracted, "invest_contracted_yuan", &in->invest_contracted},
                 {f->paid, "invest_paid_yuan", &in->invest_paid}};
  for (size_t i = 0; i < 3; i++)
    if (amounts[i].text &&
        project_parse_wan(&r->ctx, amounts[i].text, amounts[i].field, amounts[i].out) != SVC_OK)
      ok = false, form_error(r, f, amounts[i].field, web_take_code(r, "err_amount_number"));
  if (f->jobs)
    in->jobs = -2;
  if (!blank(f->jobs)) {
    if (!web_parse_int(f->jobs, &v) || v < 0)
      ok = false, form_error(r, f, "jobs", "err_range");
    else
      in->jobs = v;
  }
  /* partner rows: a unit chosen, or an enterprise named; blank rows dropped */
  size_t kept = 0;
  struct project_partner *pts = arena_alloc(r->arena, (f->n_partners + 1) * sizeof *pts);
  for (size_t i = 0; i < f->n_partners; i++) {
    struct partner_row *pr = &f->partners[i];
    if (blank(pr->unit) && blank(pr->enterprise) && blank(pr->credit_code))
      continue;
    f->partners[kept] = *pr;
    struct project_partner *pt = &pts[kept++];
    pt->side = pr->side && strcmp(pr->side, "1") == 0 ? 1 : 0;
    if (!blank(pr->unit)) {
      if (!web_parse_int(pr->unit, &v) || v < 1)
        ok = false, f->partners[kept - 1].err = "err_unit_unknown";
      else
        pt->unit_id = v;
    } else {
      pt->enterprise = pr->enterprise ? pr->enterprise : "";
      pt->credit_code = pr->credit_code;
    }
  }
  f->n_partners = kept;
  in->partners = pts;
  in->n_partners = kept;
  in->set_partners = full;
  int64_t *tasks = arena_alloc(r->arena, (f->n_tasks + 1) * sizeof *tasks);
  size_t nt = 0;
  for (size_t i = 0; i < f->n_tasks; i++) {
    if (!web_parse_int(f->tasks[i], &v) || v < 1) {
      ok = false, form_error(r, f, "task_ids", "err_task_unknown");
      break;
    }
    tasks[nt++] = v;
  }
  in->task_ids = tasks;
  in->n_tasks = nt;
  in->set_tasks = create_form || req_form(r, "tasks_shown");
  if (!ok && !f->e_top)
    f->e_top = "ui_form_has_errors";
  return ok;
}

/* The pairing a new project's form is for: the coordinator's own; an admin's ?pairing= (or
 * the form's), else the first pairing. */
static int64_t form_pairing(struct req *r, const char *asked) {
  long long v;
  if (r->user->role != ROLE_ADMIN)
    return r->user->pairing_id;
  if (asked && web_parse_int(asked, &v) && v > 0)
    return v;
  struct pairing_view *tops;
  size_t n;
  int64_t id = pairing_tree(&r->ctx, &tops, &n) == SVC_OK && n ? tops[0].id : 0;
  web_take_code(r, NULL);
  return id;
}

static int forbidden(struct req *r, struct resp *p) {
  return web_service_page(r, p, svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL,
                                         "only a lead office records projects"));
}

int web_project_new(struct req *r, struct resp *p) {
  if (!project_may_create(&r->ctx))
    return forbidden(r, p);
  struct project_form f = {0};
  return form_page(r, p, 200, form_pairing(r, req_query(r, "pairing")), NULL, &f);
}

/* POST /projects: 303 to the new project, or the form again with the messages (422). */
int web_project_create(struct req *r, struct resp *p) {
  if (!project_may_create(&r->ctx))
    return forbidden(r, p);
  struct project_form f;
  read_form(r, &f);
  int64_t pairing = form_pairing(r, f.pairing);
  struct project_input in;
  if (!to_input(r, &f, &in, true))
    return form_page(r, p, 422, pairing, NULL, &f);
  if (!in.pairing_id && r->user->role == ROLE_ADMIN)
    in.pairing_id = pairing;
  int64_t id = 0;
  int rc = project_create(&r->ctx, &in, &id);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/projects/%lld?done=created",
                                           (long long)id));
  if (rc != SVC_INVALID)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(r, &f, field, web_take_code(r, "err_invalid"));
  return form_page(r, p, 422, pairing, NULL, &f);
}

/* The project of the route for writing: its view, or the error page already written. */
static bool writable(struct req *r, struct resp *p, struct project_view *v, int *status) {
  int rc = project_get(&r->ctx, r->ids[0], v);
  if (rc == SVC_OK && !project_may_write(&r->ctx, v))
    rc = svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL,
                  "only the owning side's lead office edits a project");
  if (rc != SVC_OK)
    *status = web_service_page(r, p, rc);
  return rc == SVC_OK;
}

/* The form's fields from the stored project. */
static void form_from(struct req *r, const struct project_view *v, struct project_form *f) {
  memset(f, 0, sizeof *f);
  f->name = v->name;
  f->city = v->city_pairing_id ? arena_printf(r->arena, "%lld", (long long)v->city_pairing_id)
                               : "";
  f->platform = v->platform_id ? arena_printf(r->arena, "%lld", (long long)v->platform_id) : "";
  f->industry = v->industry;
  f->region = v->region_name;
  f->planned = money_format_wan(r->arena, v->invest_planned);
  f->contracted = money_format_wan(r->arena, v->invest_contracted);
  f->paid = money_format_wan(r->arena, v->invest_paid);
  f->jobs = v->jobs >= 0 ? arena_printf(r->arena, "%lld", (long long)v->jobs) : NULL;
  f->description = v->description;
  f->major = v->major;
  f->is_public = v->is_public;
  f->updated_at = v->updated_at;
  f->partners = arena_alloc(r->arena, (v->n_partners + 1) * sizeof *f->partners);
  for (size_t i = 0; i < v->n_partners; i++) {
    const struct project_partner *pt = &v->partners[i];
    f->partners[i] = (struct partner_row){
        .side = pt->side ? "1" : "0",
        .unit = pt->unit_id ? arena_printf(r->arena, "%lld", (long long)pt->unit_id) : NULL,
        .enterprise = pt->enterprise,
        .credit_code = pt->credit_code};
  }
  f->n_partners = v->n_partners;
  f->tasks = arena_alloc(r->arena, (v->n_tasks + 1) * sizeof *f->tasks);
  for (size_t i = 0; i < v->n_tasks; i++)
    f->tasks[i] = arena_printf(r->arena, "%lld", (long long)v->task_ids[i]);
  f->n_tasks = v->n_tasks;
}

int web_project_edit_form(struct req *r, struct resp *p) {
  struct project_view v;
  int st;
  if (!writable(r, p, &v, &st))
    return st;
  struct project_form f;
  form_from(r, &v, &f);
  return form_page(r, p, 200, v.pairing_id, &v, &f);
}

/* POST /projects/{id}/edit: 303 to the project, or the form again: 422 with the messages,
 * 409 with the input kept when it changed meanwhile. */
int web_project_edit(struct req *r, struct resp *p) {
  struct project_view v;
  int st;
  if (!writable(r, p, &v, &st))
    return st;
  struct project_form f;
  read_form(r, &f);
  struct project_input in;
  if (!to_input(r, &f, &in, false))
    return form_page(r, p, 422, v.pairing_id, &v, &f);
  int rc = project_edit(&r->ctx, v.id, &in);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/projects/%lld?done=saved",
                                           (long long)v.id));
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    f.e_top = "ui_prj_stale";
    f.updated_at = v.updated_at; /* saving again overwrites what is shown above, knowingly */
    return form_page(r, p, 409, v.pairing_id, &v, &f);
  }
  if (rc != SVC_INVALID)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(r, &f, field, web_take_code(r, "err_invalid"));
  return form_page(r, p, 422, v.pairing_id, &v, &f);
}

/* POST /projects/{id}/updates (body, paid in 万元, jobs): 303 to the project's updates, or the
 * page again with the message by the field and the input kept (422). */
int web_project_update_add(struct req *r, struct resp *p) {
  struct stage_form sf = {.u_body = req_form(r, "body"),
                          .u_paid = req_form(r, "u-paid"),
                          .u_jobs = req_form(r, "u-jobs")};
  struct project_update_input in = {.body = sf.u_body ? sf.u_body : "", .invest_paid = -1,
                                    .jobs = -1};
  int rc = SVC_OK;
  long long v;
  if (!blank(sf.u_paid))
    rc = project_parse_wan(&r->ctx, sf.u_paid, "invest_paid_yuan", &in.invest_paid);
  if (rc == SVC_OK && !blank(sf.u_jobs)) {
    if (!web_parse_int(sf.u_jobs, &v) || v < 0)
      rc = svc_fail(&r->ctx, SVC_INVALID, "err_range", "jobs", "jobs is a whole number");
    else
      in.jobs = v;
  }
  /* an evidence file goes with it: checked before the update is stored */
  const struct upload *file = req_upload(r, "file");
  if (rc == SVC_OK && file)
    rc = attachment_check(&r->ctx, file->content_type, file->data, file->len, NULL);
  int64_t uid = 0;
  if (rc == SVC_OK)
    rc = project_update_add(&r->ctx, r->ids[0], &in, &uid);
  if (rc == SVC_OK && file)
    rc = attachment_add(&r->ctx, "project_update", uid, file->filename, file->content_type,
                        file->data, file->len, NULL);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/projects/%lld?done=update#updates",
                                           (long long)r->ids[0]));
  if (uid) /* the update is in; a file that could not follow says so */
    return web_service_page(r, p, rc);
  if (rc != SVC_INVALID)
    return web_service_page(r, p, rc);
  sf.u_err_field = r->ctx.field;
  sf.u_err = web_take_code(r, "err_invalid");
  int status = web_attachment_status(sf.u_err);
  struct project_view pv;
  if ((rc = project_get(&r->ctx, r->ids[0], &pv)) != SVC_OK)
    return web_service_page(r, p, rc);
  return project_page(r, p, status, &pv, &sf);
}

/* POST /project-updates/{id}/review (decision, comment): 303 to the project's updates; a
 * refusal (a return without a comment, one's own, reviewed already) answers the project page
 * with the message. */
int web_project_update_review(struct req *r, struct resp *p) {
  const char *decision = req_form(r, "decision");
  bool accept = decision && strcmp(decision, "accepted") == 0;
  if (!accept && !(decision && strcmp(decision, "returned") == 0))
    return web_service_page(r, p, svc_fail(&r->ctx, SVC_INVALID, "err_invalid", "decision",
                                           "decision is accepted or returned"));
  struct project_update_view u;
  int rc = project_update_get(&r->ctx, r->ids[0], &u);
  if (rc == SVC_OK)
    rc = project_update_review(&r->ctx, r->ids[0], accept, req_form(r, "comment"));
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/projects/%lld?done=reviewed#updates",
                                           (long long)u.project_id));
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  struct stage_form sf = {.u_err = web_take_code(r, "err_invalid")};
  struct project_view pv;
  int status = rc == SVC_CONFLICT ? 409 : 422;
  if ((rc = project_get(&r->ctx, u.project_id, &pv)) != SVC_OK)
    return web_service_page(r, p, rc);
  return project_page(r, p, status, &pv, &sf);
}

/* POST /projects/{id}/attachments (multipart: file): 303 to the project's files, or the page
 * with the message above the upload form (415 a refused type, 413 too large, 422 else). */
int web_project_attach(struct req *r, struct resp *p) {
  const struct upload *u = req_upload(r, "file");
  /* without a file, as an empty one: the permission is still decided first */
  int rc = attachment_add(&r->ctx, "project", r->ids[0], u ? u->filename : NULL,
                          u ? u->content_type : NULL, u ? u->data : "", u ? u->len : 0, NULL);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/projects/%lld?done=file#files",
                                           (long long)r->ids[0]));
  if (rc != SVC_INVALID)
    return web_service_page(r, p, rc);
  const char *code = web_take_code(r, "err_invalid");
  int status = web_attachment_status(code);
  struct stage_form sf = {.file_err = code};
  struct project_view pv;
  if ((rc = project_get(&r->ctx, r->ids[0], &pv)) != SVC_OK)
    return web_service_page(r, p, rc);
  return project_page(r, p, status, &pv, &sf);
}
