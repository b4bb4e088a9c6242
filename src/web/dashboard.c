/* dashboard: the page a leader reads in a minute and prints — a province
 * pairing's year at a glance.
 *   /pairings/{id}/dashboard?year=   headline figures, the lights as a bar,
 * counts by key area, city pairing and owner unit (a table each, every row
 * with a small bar), the reports missing for the latest period past its due
 * day by unit, the overdue list with owner units, the latest reports;
 *   /dashboard                       303 to the caller's own pairing's page.
 * The figures come from service/light.h and service/dashboard.h, which also
 * decide who may see which pairing; the charts are inline SVG from web/svg.h,
 * and every number they draw is printed as text too. The year selector is a
 * GET form, so it works without JavaScript; print hides it. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "service/dashboard.h"
#include "service/evaluation.h"
#include "service/pairing.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/svg.h"
#include "web/web.h"

/* The lights in reading order: finished first, then from fine to late. */
static const enum light light_order[LIGHT_N] = {LIGHT_DONE, LIGHT_GREEN,
                                                LIGHT_YELLOW, LIGHT_RED};

/* "<prefix>：完成 1，绿灯 2，黄灯 0，红灯 1" — the accessible name of a bar. */
static const char *lights_label(struct req *r, const char *prefix,
                                const int64_t count[LIGHT_N]) {
  struct sb b = SB_INIT;
  if (prefix)
    sb_appendf(&b, "%s%s", prefix, web_t(r, "ui_colon"));
  for (int k = 0; k < LIGHT_N; k++)
    sb_appendf(&b, "%s%s %lld", k ? web_t(r, "ui_dash_sep") : "",
               web_t(r, web_light_label(light_order[k])),
               (long long)count[light_order[k]]);
  const char *s = arena_strdup(r->arena, sb_str(&b));
  sb_free(&b);
  return s;
}

static void lights_bar(struct req *r, struct sb *b, const char *cls,
                       const char *prefix, const int64_t count[LIGHT_N],
                       int width, int height, bool numbers) {
  struct svg_part parts[LIGHT_N];
  for (int k = 0; k < LIGHT_N; k++)
    parts[k] = (struct svg_part){count[light_order[k]], svg_light_fill(light_order[k]),
                                 light_order[k] == LIGHT_RED};
  svg_stacked_bar(b, cls, parts, LIGHT_N, width, height,
                  lights_label(r, prefix, count), numbers);
}

/* ---- the parts of the page
 * ------------------------------------------------------------- */

static int newest_first(const void *a, const void *b) {
  return *(const int *)b - *(const int *)a;
}

/* For an admin, who sees every pairing: links to the other province pairings'
 * dashboards (the same year), the shown one marked. */
static void pairing_nav(struct req *r, struct sb *b, int64_t shown, int year) {
  struct pairing_view *pv;
  size_t n;
  if (r->user->role != ROLE_ADMIN || pairing_tree(&r->ctx, &pv, &n) != SVC_OK ||
      n < 2) {
    web_take_code(r, NULL);
    return;
  }
  html_printf(b, "<nav class=\"pairing-nav\" aria-label=\"%h\"><ul>\n",
              web_t(r, "ui_dash_pairings"));
  for (size_t i = 0; i < n; i++)
    html_printf(b,
                "<li><a href=\"/pairings/%lld/dashboard?year=%d\"%s>%h—%h</a></li>\n",
                (long long)pv[i].id, year,
                pv[i].id == shown ? " aria-current=\"page\"" : "", pv[i].name_a,
                pv[i].name_b);
  html_printf(b, "</ul></nav>\n");
}

/* The year form: the years with a work plan, this year and the shown one. */
static void year_form(struct req *r, struct sb *b, int64_t pairing_id,
                      const struct dashboard *d, int this_year) {
  html_printf(b,
              "<form class=\"year-form\" method=\"get\" "
              "action=\"/pairings/%lld/dashboard\">\n"
              "<label for=\"year\">%h</label>\n"
              "<select id=\"year\" name=\"year\">\n",
              (long long)pairing_id, web_t(r, "ui_dash_year"));
  size_t n = 0, cap = d->n_years + 2;
  int *years = arena_alloc(r->arena, cap * sizeof *years);
  years[n++] = this_year;
  years[n++] = d->year;
  for (size_t i = 0; i < d->n_years; i++)
    years[n++] = d->years[i];
  qsort(years, n, sizeof *years, newest_first);
  for (size_t i = 0; i < n; i++)
    if (i == 0 || years[i] != years[i - 1])
      html_printf(b, "<option value=\"%d\"%s>%d</option>\n", years[i],
                  years[i] == d->year ? " selected" : "", years[i]);
  html_printf(b,
              "</select>\n<button type=\"submit\">%h</button>\n</form>\n",
              web_t(r, "ui_dash_show"));
}

/* A figure; with href, its number links to the items behind it. */
static void figure(struct sb *b, const char *cls, const char *label,
                   const char *value, const char *href) {
  if (href)
    html_printf(b, "<div class=\"%h\"><dt>%h</dt><dd><a href=\"%h\">%h</a></dd></div>\n",
                cls, label, href, value);
  else
    html_printf(b, "<div class=\"%h\"><dt>%h</dt><dd>%h</dd></div>\n", cls,
                label, value);
}

/* The list of the items behind a number: /pairings/{id}/items?year=…&<filter>. */
static const char *items_href(struct req *r, int64_t pairing_id, int year,
                              const char *filter) {
  return arena_printf(r->arena, "/pairings/%lld/items?year=%d%s%s", (long long)pairing_id,
                      year, filter ? "&" : "", filter ? filter : "");
}

static void headline(struct req *r, struct sb *b, const struct dashboard *d) {
  const int64_t *count = d->lights.pairing.count;
  int64_t pid = d->lights.pairing.id;
  html_printf(b, "<section class=\"dash-summary\" aria-labelledby=\"h-summary\">\n"
                 "<h2 id=\"h-summary\">%h</h2>\n<dl class=\"dash-figures\">\n",
              web_t(r, "ui_dash_summary"));
  figure(b, "fig", web_t(r, "ui_dash_items"),
         arena_printf(r->arena, "%lld", (long long)d->lights.pairing.total),
         items_href(r, pid, d->year, NULL));
  for (int k = 0; k < LIGHT_N; k++)
    figure(b,
           arena_printf(r->arena, "fig fig-%s", light_name(light_order[k])),
           web_t(r, web_light_label(light_order[k])),
           arena_printf(r->arena, "%lld", (long long)count[light_order[k]]),
           items_href(r, pid, d->year,
                      arena_printf(r->arena, "light=%s", light_name(light_order[k]))));
  figure(b, "fig fig-overdue", web_t(r, "ui_dash_overdue_count"),
         arena_printf(r->arena, "%lld", (long long)d->overdue),
         items_href(r, pid, d->year, "overdue=1"));
  figure(b, "fig fig-progress", web_t(r, "ui_dash_progress"),
         arena_printf(r->arena, "%d%%", d->percent), NULL);
  html_printf(b, "</dl>\n<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_dash_progress_note"));

  html_printf(b, "<h3>%h</h3>\n", web_t(r, "ui_dash_lights"));
  lights_bar(r, b, "dash-bar", web_t(r, "ui_dash_lights"), count, 600, 36,
             true);
  html_printf(b, "<ul class=\"legend\">\n");
  for (int k = 0; k < LIGHT_N; k++) {
    html_printf(b, "<li>");
    svg_swatch(b, svg_light_fill(light_order[k]));
    html_printf(b, " %h %lld</li>\n", web_t(r, web_light_label(light_order[k])),
                (long long)count[light_order[k]]);
  }
  html_printf(b, "</ul>\n</section>\n");
}

/* 本期报送: who has not reported for the latest period past its due day, most missing
 * first; for those who may open the reporting calendar (/reporting), each unit links to its
 * row there. */
static void missing_block(struct req *r, struct sb *b, const struct dashboard *d) {
  if (!d->missing_period[0])
    return;
  html_printf(b,
              "<section class=\"dash-missing\" aria-labelledby=\"h-missing\">\n"
              "<h2 id=\"h-missing\">%h</h2>\n<p>",
              web_t(r, "ui_dash_missing"));
  html_printf(b, "%h", arena_printf(r->arena, web_t(r, "ui_dash_missing_lead"),
                                    web_period(r, d->missing_period),
                                    web_date(r, d->missing_due)));
  if (!d->missing) {
    html_printf(b, "%h</p>\n</section>\n", web_t(r, "ui_dash_missing_none"));
    return;
  }
  html_printf(b, "%h</p>\n<ul class=\"dash-missing-units\">\n",
              arena_printf(r->arena, web_t(r, "ui_dash_missing_count"),
                           (long long)d->missing, d->n_missing_units));
  bool links = r->user && r->user->role >= ROLE_COORDINATOR;
  for (size_t i = 0; i < d->n_missing_units; i++) {
    const struct dashboard_missing *m = &d->missing_units[i];
    const char *n = arena_printf(r->arena, web_t(r, "ui_dash_missing_unit"),
                                 (long long)m->missing);
    if (links)
      html_printf(b, "<li><a href=\"/reporting?year=%d&amp;unit=%lld\">%h</a> %h</li>\n",
                  d->year, (long long)m->unit_id, m->name, n);
    else
      html_printf(b, "<li>%h %h</li>\n", m->name, n);
  }
  html_printf(b, "</ul>\n</section>\n");
}

/* Worst first: most red, then most yellow, then most items; then by name. */
static int worst_first(const void *pa, const void *pb) {
  const struct light_group *a = pa, *b = pb;
  for (int l = LIGHT_RED; l >= LIGHT_YELLOW; l--)
    if (a->count[l] != b->count[l])
      return a->count[l] < b->count[l] ? 1 : -1;
  if (a->total != b->total)
    return a->total < b->total ? 1 : -1;
  return strcmp(a->name, b->name);
}

/* One table of light counts: a row per group, worst first, each with its bar; the group's
 * name links to its items, each count to those of that light. by is the filter's name
 * (area, city, unit). */
static void group_table(struct req *r, struct sb *b, const struct dashboard *d,
                        const char *id, const char *title_id, const char *name_id,
                        const char *by, const struct light_group *groups, size_t n) {
  html_printf(b,
              "<section class=\"dash-group\" aria-labelledby=\"%h\">\n"
              "<h2 id=\"%h\">%h</h2>\n",
              id, id, web_t(r, title_id));
  if (n == 0) {
    html_printf(b, "<p class=\"meta\">%h</p>\n</section>\n",
                web_t(r, "ui_dash_none"));
    return;
  }
  struct light_group *g = arena_alloc(r->arena, n * sizeof *g);
  memcpy(g, groups, n * sizeof *g);
  qsort(g, n, sizeof *g, worst_first);
  html_printf(b,
              "<table class=\"dash-table cards\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th>",
              web_t(r, name_id), web_t(r, "ui_dash_total"));
  for (int k = LIGHT_N - 1; k >= 0; k--)
    html_printf(b, "<th scope=\"col\" class=\"num\">%h</th>",
                web_t(r, web_light_label(light_order[k])));
  html_printf(b, "<th scope=\"col\" class=\"no-print\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_dash_chart"));
  int64_t pid = d->lights.pairing.id;
  for (size_t i = 0; i < n; i++) {
    const char *f = arena_printf(r->arena, "%s=%lld", by, (long long)g[i].id);
    html_printf(b,
                "<tr><th scope=\"row\"><a href=\"%h\">%h</a></th>"
                "<td class=\"num\" data-label=\"%h\"><a href=\"%h\">%lld</a></td>",
                items_href(r, pid, d->year, f), g[i].name, web_t(r, "ui_dash_total"),
                items_href(r, pid, d->year, f), (long long)g[i].total);
    for (int k = LIGHT_N - 1; k >= 0; k--) {
      enum light l = light_order[k];
      html_printf(b, "<td class=\"num\" data-label=\"%h\">", web_t(r, web_light_label(l)));
      if (g[i].count[l])
        html_printf(b, "<a href=\"%h\">%lld</a>",
                    items_href(r, pid, d->year,
                               arena_printf(r->arena, "%s&light=%s", f, light_name(l))),
                    (long long)g[i].count[l]);
      else
        html_printf(b, "0");
      html_printf(b, "</td>");
    }
    html_printf(b, "<td class=\"bar no-print\" data-label=\"%h\">", web_t(r, "ui_dash_chart"));
    lights_bar(r, b, "row-bar", g[i].name, g[i].count, 160, 14, false);
    html_printf(b, "</td></tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n</section>\n");
}

/* The item's title, as a link to its report form when the viewer may report
 * on it (its own unit's item, not a leader; or an admin). */
static void item_cell(struct req *r, struct sb *b, int64_t item_id,
                      const char *title, int64_t owner_id, int64_t task_id,
                      int task_number) {
  const struct user *u = r->user;
  bool may_report = u && (u->role == ROLE_ADMIN ||
                          (u->role != ROLE_LEADER && u->unit_id == owner_id));
  if (may_report)
    html_printf(b, "<a href=\"/items/%lld/report\">%h</a>", (long long)item_id,
                title);
  else
    html_printf(b, "%h", title);
  if (task_id)
    html_printf(b, "<br><a class=\"meta\" href=\"/tasks/%lld\">%h %d</a>",
                (long long)task_id, web_t(r, "ui_task"), task_number);
}

/* 逾期事项, first on the page so a leader sees them without scrolling (at 1366×900, with
 * the header, the title and this table's first DASH_OVERDUE_TOP rows): most overdue first,
 * with owner unit and whom to ask; the rest behind a link to the whole list. */
enum { DASH_OVERDUE_TOP = 8 };

static void overdue_list(struct req *r, struct sb *b,
                         const struct dashboard *d) {
  html_printf(b,
              "<section class=\"dash-overdue\" aria-labelledby=\"h-overdue\">\n"
              "<h2 id=\"h-overdue\">%h</h2>\n",
              web_t(r, "ui_dash_overdue_list"));
  if (d->n_overdue_items == 0) {
    html_printf(b, "<p>%h</p>\n</section>\n", web_t(r, "ui_dash_no_overdue"));
    return;
  }
  size_t shown = d->n_overdue_items < DASH_OVERDUE_TOP ? d->n_overdue_items : DASH_OVERDUE_TOP;
  html_printf(b,
              "<table class=\"dash-table cards\">\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_item"), web_t(r, "ui_dash_owner"), web_t(r, "ui_dash_person"),
              web_t(r, "ui_due"), web_t(r, "ui_dash_days_overdue"),
              web_t(r, "ui_dash_latest_status"));
  for (size_t i = 0; i < shown; i++) {
    const struct dashboard_overdue *o = &d->overdue_items[i];
    html_printf(b, "<tr class=\"overdue\"><td>");
    item_cell(r, b, o->item_id, o->title, o->owner_id, o->task_id,
              o->task_number);
    html_printf(b,
                "</td><td data-label=\"%h\">%h</td><td data-label=\"%h\">%h</td>"
                "<td class=\"date\" data-label=\"%h\">%h</td>"
                "<td class=\"num\" data-label=\"%h\">%h</td><td data-label=\"%h\">",
                web_t(r, "ui_dash_owner"), o->owner_name, web_t(r, "ui_dash_person"),
                o->person ? o->person : "—", web_t(r, "ui_due"), web_date(r, o->due),
                web_t(r, "ui_dash_days_overdue"),
                arena_printf(r->arena, web_t(r, "ui_dash_days_n"), o->days),
                web_t(r, "ui_dash_latest_status"));
    if (o->report_id)
      html_printf(b,
                  "%h · %h · %d%%<br><span class=\"review review-%h\">%h</span>",
                  web_period(r, o->report_period),
                  web_status_label(r, o->report_status), o->report_percent,
                  o->review, web_t(r, web_review_label(o->review)));
    else
      html_printf(b, "<span class=\"meta\">%h</span>",
                  web_t(r, "ui_no_report"));
    html_printf(b, "</td></tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n<p class=\"meta\"><a href=\"%h\">%h</a></p>\n</section>\n",
              items_href(r, d->lights.pairing.id, d->year, "overdue=1"),
              arena_printf(r->arena, web_t(r, "ui_dash_overdue_all"), (long long)d->overdue,
                           shown));
}

static void recent_list(struct req *r, struct sb *b,
                        const struct dashboard *d) {
  html_printf(b,
              "<section class=\"dash-recent\" aria-labelledby=\"h-recent\">\n"
              "<h2 id=\"h-recent\">%h</h2>\n",
              web_t(r, "ui_dash_recent"));
  if (d->n_recent == 0) {
    html_printf(b, "<p>%h</p>\n</section>\n", web_t(r, "ui_dash_no_reports"));
    return;
  }
  /* the item first: on a phone each row is a card named by it */
  html_printf(b,
              "<table class=\"dash-table cards\">\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\">%h</th>"
              "</tr></thead>\n<tbody>\n",
              web_t(r, "ui_item"), web_t(r, "ui_dash_date"), web_t(r, "ui_unit"),
              web_t(r, "ui_status"), web_t(r, "ui_dash_percent"),
              web_t(r, "ui_dash_review"));
  for (size_t i = 0; i < d->n_recent; i++) {
    const struct dashboard_report *x = &d->recent[i];
    html_printf(b, "<tr><td>");
    item_cell(r, b, x->item_id, x->item_title, x->owner_id, x->task_id,
              x->task_number);
    html_printf(b, "</td><td class=\"date\" data-label=\"%h\">%h<br><span class=\"meta\">%h"
                "</span></td><td data-label=\"%h\">%h</td>",
                web_t(r, "ui_dash_date"), web_date(r, x->at), web_period(r, x->period),
                web_t(r, "ui_unit"), x->unit_name);
    html_printf(b,
                "<td data-label=\"%h\">%h</td><td class=\"num\" data-label=\"%h\">%d%%</td>"
                "<td data-label=\"%h\"><span class=\"review review-%h\">%h</span></td></tr>\n",
                web_t(r, "ui_status"), web_status_label(r, x->status),
                web_t(r, "ui_dash_percent"), x->percent, web_t(r, "ui_dash_review"), x->review,
                web_t(r, web_review_label(x->review)));
  }
  html_printf(b, "</tbody>\n</table>\n</section>\n");
}

static const char *plan_status_label(const char *status) {
  if (!status)
    return "ui_dash_no_plan";
  if (strcmp(status, "agreed") == 0)
    return "ui_dash_plan_agreed";
  return strcmp(status, "submitted") == 0 ? "ui_dash_plan_submitted"
                                          : "ui_dash_plan_draft";
}

/* ---- the routes
 * ------------------------------------------------------------------------ */

/* A year that is not one: 422 with what a year looks like, and a link to this
 * year's page (a person typed it; the form only offers real years). */
static int bad_year(struct req *r, struct resp *p, int64_t pairing_id) {
  struct sb *b = &p->body;
  sb_reset(b);
  p->status = 422;
  web_begin(r, p, web_t(r, "ui_dash_bad_year_title"));
  html_printf(b,
              "<div class=\"error-page\">\n<h1>%h</h1>\n"
              "<p role=\"alert\">%h</p>\n"
              "<p><a href=\"/pairings/%lld/dashboard\">%h</a></p>\n</div>\n",
              web_t(r, "ui_dash_bad_year_title"), web_t(r, "ui_dash_bad_year"),
              (long long)pairing_id, web_t(r, "ui_dash_this_year"));
  return web_end(r, p);
}

/* One figure of the events block, linking to the list it counts. */
static void event_figure(struct req *r, struct sb *b, const char *label, int64_t value,
                         const char *href) {
  html_printf(b, "<div class=\"fig fig-ev\"><dt>%h</dt><dd><a href=\"%h\">%lld</a></dd></div>\n",
              web_t(r, label), href, (long long)value);
}

/* 活动与交流: the year's events held and coming, the enterprises that came, people seconded
 * and trained, each linking to its list; the held events whose attendance fell short of the
 * plan's "不少于50家企业" flagged; and the funnel. */
static void events_block(struct req *r, struct sb *b, int64_t pairing_id, int year,
                         const struct dashboard *d) {
  if (!d->have_events)
    return;
  const struct event_totals *t = &d->events;
  const struct exchange_counts *x = &d->exchanges;
  const char *ev = arena_printf(r->arena, "/events?pairing=%lld&year=%d", (long long)pairing_id, year);
  const char *xs = arena_printf(r->arena, "/exchanges?pairing=%lld&year=%d", (long long)pairing_id, year);
  html_printf(b,
              "<section class=\"dash-events\" aria-labelledby=\"h-events\">\n"
              "<h2 id=\"h-events\">%h</h2>\n<dl class=\"dash-figures\">\n",
              web_t(r, "ui_dash_ev_title"));
  event_figure(r, b, "ui_dash_ev_held", t->held, arena_printf(r->arena, "%s&when=past", ev));
  event_figure(r, b, "ui_dash_ev_upcoming", t->upcoming,
               arena_printf(r->arena, "%s&when=upcoming", ev));
  event_figure(r, b, "ui_dash_ev_attended", t->attended_enterprises,
               arena_printf(r->arena, "%s&when=past", ev));
  event_figure(r, b, "ui_dash_ev_signed", t->signed_count,
               arena_printf(r->arena, "/funnel?pairing=%lld&year=%d", (long long)pairing_id, year));
  const struct exchange_kind_count *sec = &x->kind[EXCHANGE_SECONDMENT];
  const struct exchange_kind_count *tr = &x->kind[EXCHANGE_TRAINING];
  event_figure(r, b, "ui_dash_ev_seconded", sec->people[0] + sec->people[1],
               arena_printf(r->arena, "%s&kind=secondment", xs));
  event_figure(r, b, "ui_dash_ev_trained", tr->people[0] + tr->people[1],
               arena_printf(r->arena, "%s&kind=training", xs));
  html_printf(b, "</dl>\n");
  if (t->n_short) {
    html_printf(b, "<p class=\"dash-short\"><strong>%h</strong></p>\n<ul class=\"dash-short-list\">\n",
                web_t(r, "ui_dash_ev_short"));
    for (size_t i = 0; i < t->n_short; i++)
      html_printf(b, "<li><a href=\"/events/%lld\">%h</a> %h</li>\n",
                  (long long)t->short_of_target[i].id, t->short_of_target[i].title,
                  arena_printf(r->arena, web_t(r, "ui_dash_ev_short_n"),
                               (long long)t->short_of_target[i].attended,
                               (long long)t->short_of_target[i].target));
    html_printf(b, "</ul>\n");
  }
  html_printf(b, "<p><a href=\"/funnel?pairing=%lld&amp;year=%d\">%h</a></p>\n</section>\n",
              (long long)pairing_id, year, web_t(r, "ui_dash_ev_funnel"));
}

/* GET /pairings/{id}/dashboard?year= (default: this year in the plans' time
 * zone). */
/* ---- the dashboard's tables as a ledger (web/ledger.h) ---------------------------------- */

static const struct ledger_col group_cols[] = {
    {"name", "ui_lg_h_group", LEDGER_TEXT, NULL},
    {"total", "ui_dash_total", LEDGER_INT, NULL},
    {"done", "ui_light_done", LEDGER_INT, NULL},
    {"green", "ui_light_green", LEDGER_INT, NULL},
    {"yellow", "ui_light_yellow", LEDGER_INT, NULL},
    {"red", "ui_light_red", LEDGER_INT, NULL},
};
static const struct ledger_col overdue_cols[] = {
    {"item_id", "ui_lg_h_item_id", LEDGER_INT, NULL},
    {"item", "ui_lg_h_item", LEDGER_TEXT, NULL},
    {"owner", "ui_dash_owner", LEDGER_TEXT, NULL},
    {"person", "ui_dash_person", LEDGER_TEXT, NULL},
    {"due", "ui_lg_h_due", LEDGER_DATE, NULL},
    {"days_overdue", "ui_dash_days_overdue", LEDGER_INT, NULL},
    {"period", "ui_lg_h_period", LEDGER_TEXT, NULL},
    {"status", "ui_lg_h_status", LEDGER_TEXT, NULL},
    {"percent", "ui_lg_h_percent", LEDGER_PERCENT, NULL},
    {"review", "ui_lg_h_review", LEDGER_TEXT, NULL},
};
static const struct ledger_col missing_cols[] = {
    {"unit", "ui_lg_h_unit", LEDGER_TEXT, NULL},
    {"missing", "ui_lg_h_missing", LEDGER_INT, NULL},
};
static const struct ledger_col recent_cols[] = {
    {"report_id", "ui_lg_h_report_id", LEDGER_INT, NULL},
    {"submitted_at", "ui_lg_h_submitted_at", LEDGER_TIME, NULL},
    {"period", "ui_lg_h_period", LEDGER_TEXT, NULL},
    {"unit", "ui_lg_h_unit", LEDGER_TEXT, NULL},
    {"item", "ui_lg_h_item", LEDGER_TEXT, NULL},
    {"status", "ui_lg_h_status", LEDGER_TEXT, NULL},
    {"percent", "ui_lg_h_percent", LEDGER_PERCENT, NULL},
    {"review", "ui_lg_h_review", LEDGER_TEXT, NULL},
};

static void group_rows(struct ledger *l, struct req *r, const struct light_group *groups,
                       size_t n) {
  struct light_group *g = arena_alloc(r->arena, (n + 1) * sizeof *g);
  if (n)
    memcpy(g, groups, n * sizeof *g);
  qsort(g, n, sizeof *g, worst_first);
  for (size_t i = 0; i < n; i++) {
    ledger_text(l, g[i].name);
    ledger_int(l, g[i].total);
    ledger_int(l, g[i].count[LIGHT_DONE]);
    ledger_int(l, g[i].count[LIGHT_GREEN]);
    ledger_int(l, g[i].count[LIGHT_YELLOW]);
    ledger_int(l, g[i].count[LIGHT_RED]);
    ledger_row_end(l);
  }
}

/* The sheets: the lights by owner unit, key area and city pairing; the overdue items (every
 * one the reading holds); the units missing reports this period; the latest reports. */
static int dashboard_ledger(struct req *r, struct resp *p, enum ledger_format f,
                            const struct dashboard *d) {
  const char *name = d->lights.pairing.name;
  struct ledger_spec spec = {
      .name = arena_printf(r->arena, "%s-%d", web_t(r, "ui_lg_dash_file"), d->year),
      .ascii = arena_printf(r->arena, "dashboard-%lld-%d", (long long)d->lights.pairing.id,
                            d->year),
      .title = arena_printf(r->arena, "%s %d%s %s", name, d->year,
                            r->lang == LANG_EN ? "" : web_t(r, "ui_year_suffix"),
                            web_t(r, "ui_lg_dash_file")),
      .sheet = web_t(r, "ui_dash_by_unit"),
      .cols = group_cols,
      .n_cols = sizeof group_cols / sizeof *group_cols};
  struct ledger *l = ledger_open(r, f, &spec);
  if (!l)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  group_rows(l, r, d->lights.units, d->lights.n_units);
  bool ok = ledger_sheet(l, web_t(r, "ui_dash_by_area"), group_cols, 6);
  if (ok)
    group_rows(l, r, d->lights.areas, d->lights.n_areas);
  ok = ok && ledger_sheet(l, web_t(r, "ui_dash_by_city"), group_cols, 6);
  if (ok)
    group_rows(l, r, d->lights.cities, d->lights.n_cities);
  ok = ok && ledger_sheet(l, web_t(r, "ui_dash_overdue_list"), overdue_cols,
                          sizeof overdue_cols / sizeof *overdue_cols);
  for (size_t i = 0; ok && i < d->n_overdue_items; i++) {
    const struct dashboard_overdue *o = &d->overdue_items[i];
    ledger_int(l, o->item_id);
    ledger_text(l, o->title);
    ledger_text(l, o->owner_name);
    ledger_text(l, o->person);
    ledger_date(l, o->due);
    ledger_int(l, o->days);
    if (o->report_id) {
      ledger_text(l, o->report_period);
      ledger_text(l, web_status_label(r, o->report_status));
      ledger_percent(l, o->report_percent);
      ledger_text(l, web_t(r, web_review_label(o->review)));
    }
    ledger_row_end(l);
  }
  ok = ok && ledger_sheet(l, web_t(r, "ui_dash_missing"), missing_cols, 2);
  for (size_t i = 0; ok && i < d->n_missing_units; i++) {
    ledger_text(l, d->missing_units[i].name);
    ledger_int(l, d->missing_units[i].missing);
    ledger_row_end(l);
  }
  ok = ok && ledger_sheet(l, web_t(r, "ui_dash_recent"), recent_cols,
                          sizeof recent_cols / sizeof *recent_cols);
  for (size_t i = 0; ok && i < d->n_recent; i++) {
    const struct dashboard_report *x = &d->recent[i];
    ledger_int(l, x->id);
    ledger_date(l, x->at);
    ledger_text(l, x->period);
    ledger_text(l, x->unit_name);
    ledger_text(l, x->item_title);
    ledger_text(l, web_status_label(r, x->status));
    ledger_percent(l, x->percent);
    ledger_text(l, web_t(r, web_review_label(x->review)));
    ledger_row_end(l);
  }
  if (!ok)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  if (d->missing_period[0])
    ledger_note(l, arena_printf(r->arena, web_t(r, "ui_dash_missing_lead"),
                                web_period(r, d->missing_period), web_date(r, d->missing_due)));
  return ledger_send(l, p);
}

int web_dashboard(struct req *r, struct resp *p) {
  int64_t pairing_id = r->ids[0];
  int now = web_this_year(), year;
  if (!web_query_year(r, &year))
    return bad_year(r, p, pairing_id);
  int format = ledger_asked(r);
  if (format < 0)
    return web_bad_query(r, p);
  struct dashboard d;
  int rc = dashboard_get(&r->ctx, pairing_id, year, &d);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  if (format != LEDGER_PAGE)
    return dashboard_ledger(r, p, (enum ledger_format)format, &d);

  struct sb *b = &p->body;
  p->status = 200;
  const char *name = d.lights.pairing.name;
  web_begin(r, p,
            arena_printf(r->arena, "%s · %s · %d", name,
                         web_t(r, "ui_dash_title"), year));
  html_printf(b, "<div class=\"dashboard\">\n<h1>%h <span class=\"dash-year\">%d</span> %h</h1>\n",
              name, year, web_t(r, "ui_dash_title"));
  html_printf(b, "<p class=\"lead\">%h%h%h · %h%h%h</p>\n",
              web_t(r, "ui_dash_as_of"), web_t(r, "ui_colon"),
              web_date(r, d.today), web_t(r, "ui_dash_plan_status"),
              web_t(r, "ui_colon"), web_t(r, plan_status_label(d.plan_status)));
  /* the pairing's current evaluation: one indexed read, so the page stays as cheap */
  int64_t evaluation = evaluation_current(&r->ctx, pairing_id);
  if (evaluation)
    html_printf(b, "<p class=\"dash-evaluation\"><a href=\"/evaluations/%lld\">%h</a></p>\n",
                (long long)evaluation, web_t(r, "ui_ev_dash_link"));
  pairing_nav(r, b, pairing_id, year);
  year_form(r, b, pairing_id, &d, now);
  ledger_links(r, b, arena_printf(r->arena, "/pairings/%lld/dashboard?year=%d",
                                  (long long)pairing_id, year));
  if (d.work_plan_id)
    overdue_list(r, b, &d);
  headline(r, b, &d);
  missing_block(r, b, &d);
  group_table(r, b, &d, "h-units", "ui_dash_by_unit", "ui_dash_owner", "unit",
              d.lights.units, d.lights.n_units);
  group_table(r, b, &d, "h-areas", "ui_dash_by_area", "ui_dash_area", "area",
              d.lights.areas, d.lights.n_areas);
  group_table(r, b, &d, "h-cities", "ui_dash_by_city", "ui_dash_city", "city",
              d.lights.cities, d.lights.n_cities);
  recent_list(r, b, &d);
  web_project_dashboard_block(r, b, pairing_id, year, d.have_projects ? &d.projects : NULL);
  events_block(r, b, pairing_id, year, &d);
  html_printf(b, "</div>\n");
  return web_end(r, p);
}

/* The name of the group id among groups, or NULL. */
static const char *group_name(const struct light_group *g, size_t n, int64_t id) {
  for (size_t i = 0; i < n; i++)
    if (g[i].id == id)
      return g[i].name;
  return NULL;
}

/* GET /pairings/{id}/items?year=&light=&area=&city=&unit=&overdue=1: the items behind a
 * number of the dashboard, worst first, each with its light, owner, due date and days late. */
int web_pairing_items(struct req *r, struct resp *p) {
  int64_t pairing_id = r->ids[0];
  int year;
  if (!web_query_year(r, &year))
    return bad_year(r, p, pairing_id);
  struct light_filter f = {.light = -1};
  const char *light = req_query(r, "light");
  if (light && *light) {
    for (int k = 0; k < LIGHT_N; k++)
      if (strcmp(light, light_name((enum light)k)) == 0)
        f.light = k;
    if (f.light < 0)
      return web_bad_query(r, p);
  }
  const char *overdue = req_query(r, "overdue");
  f.overdue = overdue && strcmp(overdue, "1") == 0;
  if (!web_query_id(r, "area", &f.area_id) || !web_query_id(r, "city", &f.city_id) ||
      !web_query_id(r, "unit", &f.unit_id) || (overdue && *overdue && !f.overdue))
    return web_bad_query(r, p);
  /* the dashboard's reading names the groups (and checks the pairing and the reader) */
  struct dashboard d;
  int rc = dashboard_get(&r->ctx, pairing_id, year, &d);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  const char *what[5];
  size_t n_what = 0;
  if (f.unit_id && !(what[n_what++] = group_name(d.lights.units, d.lights.n_units, f.unit_id)))
    return web_error(r, p, 404, "ui_error_title", "err_not_found");
  if (f.area_id && !(what[n_what++] = group_name(d.lights.areas, d.lights.n_areas, f.area_id)))
    return web_error(r, p, 404, "ui_error_title", "err_not_found");
  if (f.city_id && !(what[n_what++] = group_name(d.lights.cities, d.lights.n_cities, f.city_id)))
    return web_error(r, p, 404, "ui_error_title", "err_not_found");
  if (f.light >= 0)
    what[n_what++] = web_t(r, web_light_label((enum light)f.light));
  if (f.overdue)
    what[n_what++] = web_t(r, "ui_items_overdue");
  struct light_item *items;
  size_t n;
  bool more;
  if ((rc = light_items(&r->ctx, pairing_id, year, &f, &items, &n, &more)) != SVC_OK)
    return web_service_page(r, p, rc);

  struct sb title = SB_INIT;
  for (size_t i = 0; i < n_what; i++)
    sb_appendf(&title, "%s%s", i ? web_t(r, "ui_dash_sep") : "", what[i]);
  const char *heading = n_what ? arena_strdup(r->arena, sb_str(&title))
                               : web_t(r, "ui_items_all");
  sb_free(&title);
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p, arena_printf(r->arena, "%s · %s · %d", heading, d.lights.pairing.name, year));
  html_printf(b,
              "<p class=\"crumbs no-print\"><a href=\"/pairings/%lld/dashboard?year=%d\">%h</a>"
              "</p>\n<h1>%h <span class=\"dash-year\">%d</span> %h</h1>\n"
              "<p class=\"lead\">%h · %h</p>\n",
              (long long)pairing_id, year, web_t(r, "ui_items_back"), d.lights.pairing.name,
              year, heading, web_t(r, "ui_items_title"),
              more ? arena_printf(r->arena, web_t(r, "ui_items_more"), LIGHT_ITEMS_MAX)
                   : arena_printf(r->arena, web_t(r, "ui_items_count"), n));
  if (n == 0) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_items_none"));
    return web_end(r, p);
  }
  html_printf(b,
              "<table class=\"dash-table cards items\">\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "</tr></thead>\n<tbody>\n",
              web_t(r, "ui_item"), web_t(r, "ui_light"), web_t(r, "ui_dash_owner"),
              web_t(r, "ui_due"), web_t(r, "ui_dash_days_overdue"));
  for (size_t i = 0; i < n; i++) {
    const struct light_item *it = &items[i];
    int late = it->light != LIGHT_DONE ? dashboard_days_between(it->due, d.today) : 0;
    html_printf(b, "<tr%s><td>", late > 0 ? " class=\"overdue\"" : "");
    html_printf(b, "<a href=\"/work-items/%lld\">%h</a>", (long long)it->id, it->title);
    if (it->task_id)
      html_printf(b, "<br><a class=\"meta\" href=\"/tasks/%lld\">%h %d</a>",
                  (long long)it->task_id, web_t(r, "ui_task"), it->task_number);
    html_printf(b, "</td><td data-label=\"%h\">", web_t(r, "ui_light"));
    web_light_badge(r, b, it->light);
    html_printf(b,
                "</td><td data-label=\"%h\">%h</td><td class=\"date\" data-label=\"%h\">%h"
                "</td><td class=\"num\" data-label=\"%h\">%h</td></tr>\n",
                web_t(r, "ui_dash_owner"), it->owner_name, web_t(r, "ui_due"),
                web_date(r, it->due), web_t(r, "ui_dash_days_overdue"),
                late > 0 ? arena_printf(r->arena, web_t(r, "ui_dash_days_n"), late) : "—");
  }
  html_printf(b, "</tbody>\n</table>\n");
  return web_end(r, p);
}

/* GET /dashboard: 303 to one's own pairing's dashboard (an admin's: the first
 * pairing's), keeping a valid ?year= and ?lang= (the language is remembered
 * by the page it leads to). */
int web_dashboard_home(struct req *r, struct resp *p) {
  int64_t pairing_id;
  int rc = dashboard_home(&r->ctx, &pairing_id);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  const char *to =
      arena_printf(r->arena, "/pairings/%lld/dashboard", (long long)pairing_id);
  const char *sep = "?";
  const char *q = req_query(r, "year");
  long long y;
  if (q && web_parse_int(q, &y) && y >= 2000 && y <= 2100) {
    to = arena_printf(r->arena, "%s?year=%lld", to, y);
    sep = "&";
  }
  int lang = i18n_tag(req_query(r, "lang"));
  if (lang >= 0)
    to = arena_printf(r->arena, "%s%slang=%s", to, sep,
                      i18n_lang_name((enum lang)lang));
  return web_redirect(r, p, to);
}
