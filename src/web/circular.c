/* circular: the 通报 pages (service/circular.h).
 *   /circulars                 a pairing's circulars (?pairing=, the caller's own by default),
 *                              and for a coordinator the form that draws one up;
 *   /circulars/{id}            one, printable: title, wording, the units' table (the worst
 *                              first, the commended marked); for its editor while a draft,
 *                              the wording's form and the publish button;
 *   /circulars/{id}?format=xlsx|csv the same table for the superior as a ledger (web/ledger.h;
 *                              /circulars/{id}/export.xlsx, the old address, answers the same).
 * Forms answer 303; a refusal shows the page again with the message and the input kept. */
#include <stdio.h>
#include <string.h>

#include "service/circular.h"
#include "service/light.h"
#include "service/perm.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/web.h"

static const char *const columns[CIRCULAR_FIGURES] = {"ui_cc_items",    "ui_cc_done",     "ui_cc_overdue",
                                       "ui_cc_expected", "ui_cc_reported", "ui_rs_accepted",
                                       "ui_rs_returned", "ui_rs_missing",  "ui_cc_urged"};

static const char *period_name(struct req *r, const struct circular_view *v) {
  return v->period[0] ? web_period(r, v->period)
                      : arena_printf(r->arena, "%d %s", v->year, web_t(r, "ui_cc_whole_year"));
}

/* The draw-up form: year, period (the whole year, a month, a quarter) and side. */
static void draw_form(struct req *r, struct sb *b, int64_t pairing, const char *error,
                      const char *year_in, const char *period_in) {
  long long y = 0;
  int year = year_in && web_parse_int(year_in, &y) && y >= 2000 && y <= 2100
                 ? (int)y
                 : light_this_year();
  html_printf(b, "<section>\n<h2 id=\"cc-new\">%h</h2>\n", web_t(r, "ui_cc_new"));
  web_form_error(r, b, error);
  html_printf(b, "<form method=\"post\" action=\"/circulars\" aria-labelledby=\"cc-new\">\n");
  web_csrf_field(r, b);
  html_printf(b,
              "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n"
              "<p><label for=\"cc-year\">%h</label>\n<input id=\"cc-year\" name=\"year\" "
              "type=\"number\" min=\"2000\" max=\"2100\" value=\"%d\" required></p>\n"
              "<p><label for=\"cc-period\">%h</label>\n<select id=\"cc-period\" name=\"period\">\n"
              "<option value=\"\">%h</option>\n",
              (long long)pairing, web_t(r, "ui_cc_year"), year, web_t(r, "ui_cc_period"),
              web_t(r, "ui_cc_whole_year"));
  for (int q = 1; q <= 4; q++) {
    const char *v = arena_printf(r->arena, "%d-Q%d", year, q);
    html_printf(b, "<option value=\"%h\"%s>%h</option>\n", v,
                period_in && strcmp(period_in, v) == 0 ? " selected" : "", web_period(r, v));
  }
  for (int m = 1; m <= 12; m++) {
    const char *v = arena_printf(r->arena, "%d-%02d", year, m);
    html_printf(b, "<option value=\"%h\"%s>%h</option>\n", v,
                period_in && strcmp(period_in, v) == 0 ? " selected" : "", web_period(r, v));
  }
  html_printf(b, "</select></p>\n");
  if (r->user->role == ROLE_ADMIN)
    html_printf(b,
                "<p><label for=\"cc-side\">%h</label>\n<select id=\"cc-side\" name=\"side\">"
                "<option value=\"0\">0</option><option value=\"1\">1</option></select></p>\n",
                web_t(r, "ui_cc_side"));
  else
    html_printf(b, "<input type=\"hidden\" name=\"side\" value=\"%d\">\n", r->user->side);
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_cc_draw"));
}

static int list_page(struct req *r, struct resp *p, int status, const char *error,
                     const char *year_in, const char *period_in) {
  int64_t pairing = web_asked_pairing(r);
  if (pairing < 0)
    return web_bad_query(r, p);
  struct circular_view *v = NULL;
  size_t n = 0;
  if (pairing) {
    int rc = circular_list(&r->ctx, pairing, &v, &n);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
  }
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_cc_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h</p>\n", web_t(r, "ui_cc_title"),
              web_t(r, "ui_cc_intro"));
  if (!n) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_cc_none_yet"));
  } else {
    html_printf(b, "<ul class=\"circulars\">\n");
    for (size_t i = 0; i < n; i++)
      html_printf(b,
                  "<li><a href=\"/circulars/%lld\">%h</a> <span class=\"meta\">%h · %h</span>"
                  "</li>\n",
                  (long long)v[i].id, v[i].title,
                  web_t(r, strcmp(v[i].status, "published") == 0 ? "ui_cc_published"
                                                                   : "ui_cc_draft"),
                  web_date(r, v[i].published_at ? v[i].published_at : v[i].created_at));
    html_printf(b, "</ul>\n");
  }
  if (pairing && (r->user->role == ROLE_ADMIN ||
                  (r->user->role == ROLE_COORDINATOR && r->user->pairing_id == pairing)))
    draw_form(r, b, pairing, error, year_in, period_in);
  return web_end(r, p);
}

/* GET /circulars[?pairing=] */
int web_circulars(struct req *r, struct resp *p) {
  return list_page(r, p, 200, NULL, NULL, NULL);
}

/* POST /circulars: pairing, side, year, period → 303 to the new draft. */
int web_circular_create(struct req *r, struct resp *p) {
  const char *pairing_s = req_form(r, "pairing"), *side_s = req_form(r, "side");
  const char *year_s = req_form(r, "year"), *period = req_form(r, "period");
  long long pairing = 0, side = -1, year = 0;
  if (!pairing_s || !web_parse_int(pairing_s, &pairing) || pairing <= 0 || !year_s ||
      !web_parse_int(year_s, &year) || year < 2000 || year > 2100)
    return list_page(r, p, 422, "err_invalid", year_s, period);
  if (side_s && !web_parse_int(side_s, &side))
    side = -1; /* refused by the service, on the field side */
  int64_t id = 0;
  int rc = circular_create(&r->ctx, pairing, (int)side, (int)year, period, r->lang, NULL, NULL,
                           &id);
  if (rc == SVC_INVALID || rc == SVC_CONFLICT)
    return list_page(r, p, 422, web_take_code(r, "err_invalid"), year_s, period);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, arena_printf(r->arena, "/circulars/%lld", (long long)id));
}

static void figures_table(struct req *r, struct sb *b, const struct circular_view *v) {
  html_printf(b, "<table class=\"circular-figures\" tabindex=\"0\">\n<caption>%h</caption>\n<thead><tr>"
                 "<th scope=\"col\">%h</th>",
              web_t(r, "ui_cc_figures"), web_t(r, "ui_unit"));
  for (int k = 0; k < CIRCULAR_FIGURES; k++)
    html_printf(b, "<th scope=\"col\">%h</th>", web_t(r, columns[k]));
  html_printf(b, "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n", web_t(r, "ui_cc_commended"));
  for (size_t i = 0; i < v->n_rows; i++) {
    const struct circular_row *row = &v->rows[i];
    html_printf(b, "<tr%s><th scope=\"row\">%h</th>", row->missing || row->overdue ? " class=\"overdue\"" : "",
                row->name);
    for (int k = 0; k < CIRCULAR_FIGURES; k++)
      html_printf(b, "<td>%lld</td>", (long long)circular_figure(row, k));
    html_printf(b, "<td>%h</td></tr>\n", row->commended ? "★" : "");
  }
  html_printf(b, "</tbody>\n<tfoot><tr><th scope=\"row\">%h</th>", web_t(r, "ui_cc_total"));
  for (int k = 0; k < CIRCULAR_FIGURES; k++)
    html_printf(b, "<td>%lld</td>", (long long)v->total[k]);
  html_printf(b, "<td></td></tr></tfoot>\n</table>\n");
}

static bool may_edit(struct req *r, const struct circular_view *v) {
  bool ok = strcmp(v->status, "draft") == 0 &&
            perm_manage_side(&r->ctx, v->pairing_id, v->side) == SVC_OK;
  web_take_code(r, NULL);
  return ok;
}

static int show_page(struct req *r, struct resp *p, int status, const char *error,
                     const char *title_in, const char *body_in) {
  struct circular_view v;
  int rc = circular_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, v.title);
  const char *done = req_query(r, "done");
  if (done && strcmp(done, "saved") == 0)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, "ui_cc_saved"));
  else if (done && strcmp(done, "published") == 0)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n",
                web_t(r, "ui_cc_published_notice"));
  html_printf(b,
              "<p class=\"crumbs no-print\"><a href=\"/circulars?pairing=%lld\">%h</a> · "
              "<a href=\"/circulars/%lld?format=xlsx\">%h</a> · "
              "<a href=\"/circulars/%lld?format=csv\">CSV</a></p>\n"
              "<article class=\"notice-doc\">\n<h1>%h</h1>\n<dl class=\"facts\">\n"
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n</dl>\n",
              (long long)v.pairing_id, web_t(r, "ui_cc_title"), (long long)v.id,
              web_t(r, "ui_cc_export"), (long long)v.id, v.title, web_t(r, "ui_cc_period"), period_name(r, &v),
              web_t(r, "ui_cc_as_of"), web_date(r, v.as_of), web_t(r, "ui_status"),
              web_t(r, strcmp(v.status, "published") == 0 ? "ui_cc_published" : "ui_cc_draft"));
  web_paragraphs(r, b, v.body);
  figures_table(r, b, &v);
  html_printf(b, "</article>\n");
  if (may_edit(r, &v)) {
    html_printf(b, "<section class=\"no-print\">\n<h2 id=\"cc-edit\">%h</h2>\n",
                web_t(r, "ui_cc_wording"));
    web_form_error(r, b, error);
    html_printf(b, "<form method=\"post\" action=\"/circulars/%lld/edit\" "
                   "aria-labelledby=\"cc-edit\">\n", (long long)v.id);
    web_csrf_field(r, b);
    html_printf(b,
                "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n"
                "<p><label for=\"cc-title\">%h</label>\n<input id=\"cc-title\" name=\"title\" "
                "maxlength=\"100\" required value=\"%h\"></p>\n"
                "<p><label for=\"cc-body\">%h</label>\n<textarea id=\"cc-body\" name=\"body\" "
                "rows=\"16\" required>%h</textarea></p>\n"
                "<p><button type=\"submit\">%h</button></p>\n</form>\n",
                v.updated_at, web_t(r, "ui_cc_heading"), title_in ? title_in : v.title,
                web_t(r, "ui_cc_wording"), body_in ? body_in : v.body, web_t(r, "ui_save"));
    html_printf(b, "<form method=\"post\" action=\"/circulars/%lld/publish\">\n",
                (long long)v.id);
    web_csrf_field(r, b);
    html_printf(b,
                "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n"
                "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
                v.updated_at, web_t(r, "ui_cc_publish"));
  }
  return web_end(r, p);
}

static int circular_ledger(struct req *r, struct resp *p, enum ledger_format f);

/* GET /circulars/{id}[?format=xlsx|csv] */
int web_circular(struct req *r, struct resp *p) {
  int f = ledger_asked(r);
  if (f < 0)
    return web_bad_query(r, p);
  if (f != LEDGER_PAGE)
    return circular_ledger(r, p, (enum ledger_format)f);
  return show_page(r, p, 200, NULL, NULL, NULL);
}

/* POST /circulars/{id}/edit: title, body, updated_at → 303 ?done=saved. */
int web_circular_edit(struct req *r, struct resp *p) {
  const char *title = req_form(r, "title"), *body = req_form(r, "body");
  int rc = circular_edit(&r->ctx, r->ids[0], title ? title : "", body ? body : "",
                         req_form(r, "updated_at"));
  if (rc == SVC_INVALID || rc == SVC_STALE || rc == SVC_CONFLICT)
    return show_page(r, p, rc == SVC_INVALID ? 422 : 409, web_take_code(r, "err_invalid"), title,
                     body);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, arena_printf(r->arena, "/circulars/%lld?done=saved",
                                         (long long)r->ids[0]));
}

/* POST /circulars/{id}/publish: updated_at → 303 ?done=published. */
int web_circular_publish(struct req *r, struct resp *p) {
  int rc = circular_publish(&r->ctx, r->ids[0], req_form(r, "updated_at"));
  if (rc == SVC_STALE || rc == SVC_CONFLICT)
    return show_page(r, p, 409, web_take_code(r, "err_conflict"), NULL, NULL);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, arena_printf(r->arena, "/circulars/%lld?done=published",
                                         (long long)r->ids[0]));
}

/* The table as a ledger (web/ledger.h): a unit a row, its figures, the commended marked,
 * the totals below; the wording and the dates on the notes sheet. */
static const struct ledger_col ledger_cols[] = {
    {"unit", "ui_unit", LEDGER_TEXT, NULL},
    {"items", "ui_cc_items", LEDGER_INT, NULL},
    {"done", "ui_cc_done", LEDGER_INT, NULL},
    {"overdue", "ui_cc_overdue", LEDGER_INT, NULL},
    {"expected", "ui_cc_expected", LEDGER_INT, NULL},
    {"reported", "ui_cc_reported", LEDGER_INT, NULL},
    {"accepted", "ui_rs_accepted", LEDGER_INT, NULL},
    {"returned", "ui_rs_returned", LEDGER_INT, NULL},
    {"missing", "ui_rs_missing", LEDGER_INT, NULL},
    {"urged", "ui_cc_urged", LEDGER_INT, NULL},
    {"commended", "ui_cc_commended", LEDGER_TEXT, NULL},
};
_Static_assert(sizeof ledger_cols / sizeof *ledger_cols == CIRCULAR_FIGURES + 2,
               "a column per figure");

static int circular_ledger(struct req *r, struct resp *p, enum ledger_format f) {
  struct circular_view v;
  int rc = circular_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct ledger_spec spec = {
      .name = arena_printf(r->arena, "%s-%s", web_t(r, "ui_cc_title"), period_name(r, &v)),
      .ascii = arena_printf(r->arena, "circular-%lld", (long long)v.id),
      .title = arena_printf(r->arena, "%s（%s）", v.title, period_name(r, &v)),
      .cols = ledger_cols,
      .n_cols = sizeof ledger_cols / sizeof *ledger_cols};
  struct ledger *l = ledger_open(r, f, &spec);
  if (!l)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  for (size_t i = 0; i < v.n_rows; i++) {
    ledger_text(l, v.rows[i].name);
    for (int k = 0; k < CIRCULAR_FIGURES; k++)
      ledger_int(l, circular_figure(&v.rows[i], k));
    ledger_text(l, v.rows[i].commended ? "★" : NULL);
    ledger_row_end(l);
  }
  ledger_text(l, web_t(r, "ui_cc_total"));
  for (int k = 0; k < CIRCULAR_FIGURES; k++)
    ledger_int(l, v.total[k]);
  ledger_row_end(l);
  ledger_note(l, v.title);
  ledger_note(l, arena_printf(r->arena, "%s%s%s", web_t(r, "ui_cc_period"), web_t(r, "ui_colon"),
                              period_name(r, &v)));
  ledger_note(l, arena_printf(r->arena, "%s%s%s", web_t(r, "ui_cc_as_of"), web_t(r, "ui_colon"),
                              web_date(r, v.as_of)));
  /* the wording a paragraph a line */
  for (const char *s = v.body; *s;) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    if (len)
      ledger_note(l, arena_strndup(r->arena, s, len));
    s += len + (nl ? 1 : 0);
  }
  return ledger_send(l, p);
}

/* GET /circulars/{id}/export.xlsx: the ledger as XLSX (kept for the links already sent). */
int web_circular_xlsx(struct req *r, struct resp *p) {
  return circular_ledger(r, p, LEDGER_XLSX);
}
