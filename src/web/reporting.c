/* reporting: the reporting calendar page (报送日历) — for a pairing's work plan of a year,
 * the units × the periods begun, with how many of each unit's items were reported, accepted,
 * returned or are missing; a unit's own items period by period; and the form that sets the
 * plan's cycle (service/reporting.h). */
#include <stdlib.h>
#include <string.h>

#include "web/html.h"
#include "web/web.h"

#include "service/dashboard.h"
#include "service/light.h"
#include "service/notification.h"
#include "service/perm.h"
#include "service/reporting.h"
#include "service/work_plan.h"

/* The order a cell lists its counts in: what needs action first. */
static const enum report_state shown[] = {RS_MISSING, RS_RETURNED, RS_DUE, RS_SUBMITTED,
                                          RS_ACCEPTED};

const char *web_report_state_label(int s) {
  switch (s) {
  case RS_DUE: return "ui_rs_due";
  case RS_SUBMITTED: return "ui_rs_submitted";
  case RS_ACCEPTED: return "ui_rs_accepted";
  case RS_RETURNED: return "ui_rs_returned";
  case RS_MISSING: return "ui_rs_missing";
  default: return "ui_rs_none";
  }
}

void web_report_state_badge(struct req *r, struct sb *b, int s) {
  html_printf(b, "<span class=\"rs rs-%h\">%h</span>", reporting_state_name((enum report_state)s),
              web_t(r, web_report_state_label(s)));
}

/* "每月报送，次月 5 日前" */
static const char *cycle_words(struct req *r, bool quarterly, int due_day) {
  return arena_printf(r->arena, "%s%d%s",
                      web_t(r, quarterly ? "ui_rs_cycle_quarterly" : "ui_rs_cycle_monthly"),
                      due_day, web_t(r, "ui_rs_cycle_day"));
}

static void cell(struct req *r, struct sb *b, const struct reporting_cell *c) {
  bool any = false;
  for (size_t k = 0; k < sizeof shown / sizeof *shown; k++) {
    int64_t n = c->count[shown[k]];
    if (!n)
      continue;
    html_printf(b, "%s<span class=\"rs rs-%h\">%h %lld</span>", any ? "<br>" : "",
                reporting_state_name(shown[k]),
                web_t(r, web_report_state_label(shown[k])), (long long)n);
    any = true;
  }
  if (!any)
    html_printf(b, "<span class=\"meta\">—</span>");
}

static void filter_form(struct req *r, struct sb *b, const struct reporting_grid *g,
                        int side, int this_year) {
  html_printf(b,
              "<form class=\"year-form\" method=\"get\" action=\"/reporting\">\n"
              "<label for=\"year\">%h</label>\n<select id=\"year\" name=\"year\">\n",
              web_t(r, "ui_dash_year"));
  for (int y = this_year + 1; y >= this_year - 3; y--)
    html_printf(b, "<option value=\"%d\"%s>%d</option>\n", y,
                y == g->year ? " selected" : "", y);
  html_printf(b,
              "</select>\n<label for=\"side\">%h</label>\n<select id=\"side\" "
              "name=\"side\">\n<option value=\"\">%h</option>\n",
              web_t(r, "ui_rs_side"), web_t(r, "ui_rs_both_sides"));
  for (int s = 0; s < 2; s++)
    html_printf(b, "<option value=\"%d\"%s>%h</option>\n", s,
                side == s ? " selected" : "",
                web_t(r, s ? "ui_rs_side_b" : "ui_rs_side_a"));
  html_printf(b, "</select>\n<button type=\"submit\">%h</button>\n</form>\n",
              web_t(r, "ui_dash_show"));
}

/* The grid: one row per unit, one column per period. */
static void grid_table(struct req *r, struct sb *b, const struct reporting_grid *g) {
  html_printf(b,
              "<table class=\"reporting\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>",
              web_t(r, "ui_rs_grid_caption"), web_t(r, "ui_unit"),
              web_t(r, "ui_rs_missing_total"));
  for (size_t k = 0; k < g->n_periods; k++)
    html_printf(b, "<th scope=\"col\"%s>%h<br><span class=\"meta\">%h%h</span></th>",
                k == g->current ? " class=\"current\"" : "",
                web_period(r, g->periods[k].name), web_t(r, "ui_rs_due_on"),
                web_date(r, g->periods[k].due));
  html_printf(b, "</tr></thead>\n<tbody>\n");
  for (size_t u = 0; u < g->n_units; u++) {
    const struct reporting_unit_row *row = &g->units[u];
    html_printf(b,
                "<tr%s><th scope=\"row\"><a href=\"/reporting?year=%d&amp;unit=%lld\">%h</a>"
                "</th><td data-label=\"%h\">%lld",
                row->missing ? " class=\"overdue\"" : "", g->year,
                (long long)row->unit_id, row->name, web_t(r, "ui_rs_missing_total"),
                (long long)row->missing);
    if (row->urged)
      html_printf(b, "<br><span class=\"meta\">%h%lld%h</span>", web_t(r, "ui_rs_urged_a"),
                  (long long)row->urged, web_t(r, "ui_rs_urged_b"));
    /* 催办 by hand: a coordinator of the unit's side (an admin, either side) */
    if (row->missing && (r->user->role == ROLE_ADMIN ||
                         (r->user->role == ROLE_COORDINATOR && r->user->side == row->side))) {
      html_printf(b, "<form method=\"post\" action=\"/reporting/urge\">");
      web_csrf_field(r, b);
      html_printf(b,
                  "<input type=\"hidden\" name=\"unit\" value=\"%lld\">"
                  "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                  "<button type=\"submit\">%h</button></form>",
                  (long long)row->unit_id, g->year, web_t(r, "ui_rs_urge"));
    }
    html_printf(b, "</td>");
    for (size_t k = 0; k < g->n_periods; k++) {
      html_printf(b, "<td data-label=\"%h\">", web_period(r, g->periods[k].name));
      cell(r, b, &row->cells[k]);
      html_printf(b, "</td>");
    }
    html_printf(b, "</tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n");
}

/* One unit's items, period by period. */
static void items_table(struct req *r, struct sb *b, const struct reporting_grid *g) {
  html_printf(b,
              "<table class=\"reporting\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>",
              web_t(r, "ui_rs_items_caption"), web_t(r, "ui_item"), web_t(r, "ui_due"));
  for (size_t k = 0; k < g->n_periods; k++)
    html_printf(b, "<th scope=\"col\"%s>%h</th>", k == g->current ? " class=\"current\"" : "",
                web_period(r, g->periods[k].name));
  html_printf(b, "</tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < g->n_items; i++) {
    const struct reporting_item_row *it = &g->items[i];
    html_printf(b,
                "<tr><th scope=\"row\"><a href=\"/items/%lld/report\">%h</a></th>"
                "<td data-label=\"%h\">%h</td>",
                (long long)it->item_id, it->title, web_t(r, "ui_due"), web_date(r, it->due));
    for (size_t k = 0; k < g->n_periods; k++) {
      html_printf(b, "<td data-label=\"%h\">", web_period(r, g->periods[k].name));
      if (it->states[k] == RS_NONE)
        html_printf(b, "<span class=\"meta\">—</span>");
      else
        web_report_state_badge(r, b, it->states[k]);
      html_printf(b, "</td>");
    }
    html_printf(b, "</tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n");
}

/* GET /reporting?year=&side=&unit= (the caller's own pairing; an admin names it with
 * ?pairing=). */
int web_reporting(struct req *r, struct resp *p) {
  int this_year = web_this_year();
  long long year = this_year, side = -1, unit = 0, pairing = r->user->pairing_id;
  const char *q;
  if ((q = req_query(r, "year")) && *q &&
      (!web_parse_int(q, &year) || year < 2000 || year > 2100))
    return web_bad_query(r, p);
  if ((q = req_query(r, "side")) && *q && (!web_parse_int(q, &side) || side < 0 || side > 1))
    return web_bad_query(r, p);
  if ((q = req_query(r, "unit")) && *q && (!web_parse_int(q, &unit) || unit < 1))
    return web_bad_query(r, p);
  if (r->user->role == ROLE_ADMIN && (q = req_query(r, "pairing")) && *q &&
      (!web_parse_int(q, &pairing) || pairing < 1))
    return web_bad_query(r, p);
  if (!pairing) { /* an admin without ?pairing=: the first pairing, as the dashboard */
    int64_t first = 0;
    int rc = dashboard_home(&r->ctx, &first);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
    pairing = first;
  }
  struct reporting_grid g;
  int rc = reporting_grid(&r->ctx, pairing, (int)year, (int)side, unit, &g);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p, web_t(r, "ui_rs_title"));
  html_printf(b, "<h1>%h <span class=\"dash-year\">%d</span></h1>\n", web_t(r, "ui_rs_title"),
              g.year);
  if (!g.work_plan_id) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_rs_no_plan"));
    filter_form(r, b, &g, (int)side, this_year);
    return web_end(r, p);
  }
  html_printf(b, "<p class=\"lead\">%h", cycle_words(r, g.quarterly, g.due_day));
  if (g.current < g.n_periods)
    html_printf(b, " · %h%h%h, %h%h", web_t(r, "ui_rs_current"), web_t(r, "ui_colon"),
                web_period(r, g.periods[g.current].name), web_t(r, "ui_rs_due_on"),
                web_date(r, g.periods[g.current].due));
  html_printf(b, " · <a href=\"/work-plans/%lld\">%h</a></p>\n", (long long)g.work_plan_id,
              web_t(r, "ui_rs_the_plan"));
  const char *done = req_query(r, "done");
  if (done && strcmp(done, "urged") == 0)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, "ui_rs_urged_done"));
  filter_form(r, b, &g, (int)side, this_year);
  if (g.n_periods == 0 || g.n_units == 0) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_rs_nothing_yet"));
    return web_end(r, p);
  }
  if (unit || r->user->role == ROLE_MEMBER) {
    html_printf(b, "<h2>%h</h2>\n", g.units[0].name);
    items_table(r, b, &g);
    if (r->user->role != ROLE_MEMBER)
      html_printf(b, "<p><a href=\"/reporting?year=%d\">%h</a></p>\n", g.year,
                  web_t(r, "ui_rs_all_units"));
  } else {
    grid_table(r, b, &g);
  }
  return web_end(r, p);
}

/* POST /reporting/urge (unit, year): 催办 for the unit's missing reports; 303 to /reporting. */
int web_reporting_urge(struct req *r, struct resp *p) {
  long long unit = 0, year = 0;
  const char *u = req_form(r, "unit"), *y = req_form(r, "year");
  if (!u || !web_parse_int(u, &unit) || unit < 1 || !y || !web_parse_int(y, &year) ||
      year < 2000 || year > 2100)
    return web_error(r, p, 422, "ui_error_title", "err_invalid");
  int64_t pairing = r->user->pairing_id;
  if (!pairing) { /* an admin: the unit's own pairing */
    int side;
    int rc = perm_unit_scope(&r->ctx, unit, &pairing, &side);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
  }
  int64_t made = 0;
  int rc = notification_urge(&r->ctx, pairing, (int)year, unit, &made);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, arena_printf(r->arena, "/reporting?year=%lld&done=urged", year));
}

/* POST /work-plans/{id}/reporting (cycle, due_day): 303 to the plan. */
int web_reporting_set(struct req *r, struct resp *p) {
  const char *cycle = req_form(r, "cycle"), *day_s = req_form(r, "due_day");
  long long day = 0;
  if (day_s && *day_s && (!web_parse_int(day_s, &day) || day < 1 || day > REPORTING_DUE_DAY_MAX))
    return web_error(r, p, 422, "ui_error_title", "err_range");
  bool quarterly;
  int now_day;
  int rc = reporting_set(&r->ctx, r->ids[0], cycle && *cycle ? cycle : NULL, (int)day,
                         &quarterly, &now_day);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p,
                      arena_printf(r->arena, "/work-plans/%lld?done=reporting", (long long)r->ids[0]));
}

/* The cycle form on a work plan's page (coordinators). */
void web_reporting_form(struct req *r, struct sb *b, int64_t work_plan_id, bool quarterly,
                        int due_day) {
  html_printf(b,
              "<section class=\"reporting-setting\" aria-labelledby=\"h-reporting\">\n"
              "<h2 id=\"h-reporting\">%h</h2>\n<p>%h · <a href=\"/reporting\">%h</a></p>\n",
              web_t(r, "ui_rs_setting"), cycle_words(r, quarterly, due_day),
              web_t(r, "ui_rs_title"));
  if (r->user->role != ROLE_COORDINATOR && r->user->role != ROLE_ADMIN) {
    html_printf(b, "</section>\n");
    return;
  }
  html_printf(b, "<form method=\"post\" action=\"/work-plans/%lld/reporting\">\n",
              (long long)work_plan_id);
  web_csrf_field(r, b);
  html_printf(b,
              "<label for=\"cycle\">%h</label>\n<select id=\"cycle\" name=\"cycle\">\n"
              "<option value=\"monthly\"%s>%h</option>\n"
              "<option value=\"quarterly\"%s>%h</option>\n</select>\n"
              "<label for=\"due_day\">%h</label>\n"
              "<input id=\"due_day\" name=\"due_day\" type=\"number\" min=\"1\" max=\"%d\" "
              "value=\"%d\" required>\n<button type=\"submit\">%h</button>\n</form>\n"
              "</section>\n",
              web_t(r, "ui_rs_cycle"), quarterly ? "" : " selected", web_t(r, "ui_rs_monthly"),
              quarterly ? " selected" : "", web_t(r, "ui_rs_quarterly"),
              web_t(r, "ui_rs_due_day"), REPORTING_DUE_DAY_MAX, due_day, web_t(r, "ui_save"));
}
