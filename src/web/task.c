/* task: the page of one task of a plan (GET /tasks/{id}) as the people who
 * carry it out see it: its number and full text under its key area, the
 * targets and city pairings the plan names under it, the lead and support
 * units of both sides, the work items that serve it in every year's work plan
 * (owner, due date, light, latest report), and a timeline of the reports on
 * those items with their reviews, newest first, a keyset page at a time
 * (?before=). Its data reads in the interface's script, ?script=original as
 * stored (web/script.c). The data and its scope are the services' (service/task.h); the
 * page prints cleanly (app.css). */
#include <stdbool.h>
#include <string.h>

#include "service/report.h"
#include "service/task.h"
#include "web/html.h"
#include "web/svg.h"
#include "web/web.h"

/* ---- the task and its units
 * ---------------------------------------------------------------- */

static void task_head(struct req *r, struct sb *b, const struct task_view *v) {
  html_printf(b,
              "<nav class=\"breadcrumb\" aria-label=\"%h\"><ol>\n"
              "<li><a href=\"/plans/%lld\">%h</a></li>\n"
              "<li><span aria-current=\"page\">%h %d</span></li>\n"
              "</ol></nav>\n",
              web_t(r, "ui_task_breadcrumb"), (long long)v->plan_id,
              v->plan_title, web_t(r, "ui_task"), v->number);
  html_printf(b,
              "<h1><span class=\"task-no\">%h %d</span> %h</h1>\n"
              "<dl class=\"facts\">\n<dt>%h</dt><dd>%h",
              web_t(r, "ui_task"), v->number, v->title,
              web_t(r, "ui_task_plan"), v->plan_title);
  if (v->plan_status && strcmp(v->plan_status, "current") != 0)
    html_printf(b, " (%h)", web_t(r, "ui_status_superseded"));
  html_printf(b, "</dd>\n<dt>%h</dt><dd>%h — %h</dd>\n", web_t(r, "ui_pairing"),
              v->side_name[0], v->side_name[1]);
  if (v->area_id)
    html_printf(b, "<dt>%h</dt><dd>%h%h</dd>\n", web_t(r, "ui_task_key_area"),
                v->area_marker ? v->area_marker : "",
                v->area_title ? v->area_title : "");
  html_printf(b,
              "</dl>\n<section>\n<h2>%h</h2>\n<p class=\"task-body\">%h</p>\n",
              web_t(r, "ui_task_text"), v->body ? v->body : "");
  if (v->damaged)
    html_printf(b, "<p class=\"damaged-note\">%h</p>\n",
                web_t(r, "ui_text_damaged"));
  html_printf(b, "</section>\n");
}

static void task_targets(struct req *r, struct sb *b,
                         const struct task_view *v) {
  html_printf(b, "<section>\n<h2>%h</h2>\n", web_t(r, "ui_targets"));
  if (!v->n_targets)
    html_printf(b, "<p class=\"meta\">%h</p>\n",
                web_t(r, "ui_task_no_targets"));
  else {
    html_printf(b, "<ul class=\"targets\">\n");
    for (size_t i = 0; i < v->n_targets; i++)
      html_printf(b, "<li>%h</li>\n", v->targets[i].text);
    html_printf(b, "</ul>\n");
  }
  if (v->n_pairings) {
    html_printf(b,
                "<h3>%h</h3>\n<table>\n<thead><tr><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
                web_t(r, "ui_city_pairings"), web_t(r, "ui_sides"),
                web_t(r, "ui_theme"));
    for (size_t i = 0; i < v->n_pairings; i++)
      html_printf(b, "<tr><td>%h — %h</td><td>%h</td></tr>\n", v->pairings[i].a,
                  v->pairings[i].b,
                  v->pairings[i].theme ? v->pairings[i].theme : "");
    html_printf(b, "</tbody>\n</table>\n");
  }
  html_printf(b, "</section>\n");
}

/* The units of one side in one role, joined with 、; "not assigned" when none.
 */
static void side_units(struct req *r, struct sb *b, const struct task_view *v,
                       int side, const char *role) {
  bool any = false;
  for (size_t i = 0; i < v->n_assignments; i++) {
    const struct assignment_view *a = &v->assignments[i];
    if (a->side != side || strcmp(a->role, role) != 0)
      continue;
    html_printf(b, "%s<span class=\"unit\">%h</span>", any ? "、" : "",
                a->unit_name);
    any = true;
  }
  if (!any)
    html_printf(b, "<span class=\"meta\">%h</span>",
                web_t(r, "ui_task_unassigned"));
}

static void task_units(struct req *r, struct sb *b, const struct task_view *v) {
  html_printf(b,
              "<section>\n<h2>%h</h2>\n<table class=\"task-units\">\n<thead>"
              "<tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_task_units"), web_t(r, "ui_task_side"),
              web_t(r, "ui_lead_unit"), web_t(r, "ui_support_units"));
  for (int side = 0; side < 2; side++) {
    html_printf(b, "<tr><th scope=\"row\">%h</th><td>", v->side_name[side]);
    side_units(r, b, v, side, "lead");
    html_printf(b, "</td><td>");
    side_units(r, b, v, side, "support");
    html_printf(b, "</td></tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n</section>\n");
}

/* ---- work items by year
 * -------------------------------------------------------------------- */

static const char *year_label(struct req *r, int year) {
  return arena_printf(r->arena, "%d%s", year,
                      r->lang == LANG_EN ? "" : web_t(r, "ui_year_suffix"));
}

/* The light a report's status shows (the light rule's words for one period: done, delayed
 * red, at risk yellow, else green). */
static enum light status_light(const char *status) {
  if (strcmp(status, "done") == 0)
    return LIGHT_DONE;
  if (strcmp(status, "delayed") == 0)
    return LIGHT_RED;
  return strcmp(status, "at_risk") == 0 ? LIGHT_YELLOW : LIGHT_GREEN;
}

/* An item's progress across its periods as a small column chart: each period's latest
 * report, its percent as the height, its status's light as the colour (red hatched), pale
 * while not accepted; every value in words for screen readers. */
static void progress_chart(struct req *r, struct sb *b, int64_t item_id, const char *title) {
  struct report_point *pts;
  size_t n;
  if (report_progress(&r->ctx, item_id, &pts, &n) != SVC_OK || n == 0) {
    web_take_code(r, NULL);
    html_printf(b, "<span class=\"meta\">%h</span>", web_t(r, "ui_no_report"));
    return;
  }
  struct svg_column *cols = arena_alloc(r->arena, n * sizeof *cols);
  struct sb words = SB_INIT;
  sb_appendf(&words, "%s%s", arena_printf(r->arena, web_t(r, "ui_progress_of"), title),
             web_t(r, "ui_colon"));
  for (size_t i = 0; i < n; i++) {
    enum light l = status_light(pts[i].status);
    const char *per = pts[i].period;
    size_t len = strlen(per);
    cols[i] = (struct svg_column){
        .value = pts[i].percent,
        .fill = svg_light_fill(l),
        .top = arena_printf(r->arena, "%d%%", pts[i].percent),
        .bottom = len > 5 ? per + 5 : per, /* 2026-11 → 11, 2026-Q4 → Q4 */
        .faint = strcmp(pts[i].review, "accepted") != 0,
        .hatched = l == LIGHT_RED,
    };
    sb_appendf(&words, "%s%s", i ? web_t(r, "ui_dash_sep") : "",
               arena_printf(r->arena, web_t(r, "ui_progress_point"), web_period(r, per),
                            pts[i].percent, web_status_label(r, pts[i].status),
                            web_t(r, web_review_label(pts[i].review))));
  }
  svg_columns(b, "progress-chart", cols, n, arena_strdup(r->arena, sb_str(&words)));
  sb_free(&words);
}

static void item_row(struct req *r, struct sb *b,
                     const struct work_item_view *it) {
  html_printf(b, "<tr><td>");
  web_light_badge(r, b, it->light);
  html_printf(b, "</td><td>");
  /* The owner's own people report on it from here. */
  if (r->user && r->user->unit_id && r->user->unit_id == it->owner.id)
    html_printf(b, "<a href=\"/items/%lld/report\">%h</a>", (long long)it->id,
                it->title);
  else
    html_printf(b, "%h", it->title);
  html_printf(b, "</td><td>%h</td><td>%h</td><td>", it->owner.name,
              web_date(r, it->due));
  if (it->report_id)
    html_printf(b,
                "%h · %h · %d%%<br><span class=\"review review-%h\">%h</span>",
                web_period(r, it->report_period),
                web_status_label(r, it->report_status), it->report_percent,
                it->review ? it->review : "pending",
                web_t(r, web_review_label(it->review)));
  else
    html_printf(b, "<span class=\"meta\">%h</span>", web_t(r, "ui_no_report"));
  html_printf(b, "</td><td class=\"progress\">");
  progress_chart(r, b, it->id, it->title);
  html_printf(b, "</td></tr>\n");
}

static void task_items(struct req *r, struct sb *b, const struct task_view *v) {
  html_printf(b, "<section>\n<h2>%h</h2>\n", web_t(r, "ui_task_items"));
  if (!v->n_items)
    html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_task_no_items"));
  for (size_t i = 0; i < v->n_items; i++) {
    const struct work_item_view *it = &v->items[i];
    if (i == 0 || it->year != v->items[i - 1].year)
      html_printf(b,
                  "<h3 id=\"year-%d\">%h</h3>\n<table class=\"work\">\n<thead>"
                  "<tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                  "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                  "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
                  it->year, year_label(r, it->year), web_t(r, "ui_light"),
                  web_t(r, "ui_item"), web_t(r, "ui_owner_unit"),
                  web_t(r, "ui_due"), web_t(r, "ui_latest_report"), web_t(r, "ui_progress"));
    item_row(r, b, it);
    if (i + 1 == v->n_items || v->items[i + 1].year != it->year)
      html_printf(b, "</tbody>\n</table>\n");
  }
  html_printf(b, "</section>\n");
}

/* ---- the timeline
 * -------------------------------------------------------------------------- */

static void event_entry(struct req *r, struct sb *b,
                        const struct task_event *e) {
  html_printf(b,
              "<li class=\"event\" id=\"report-%lld\">\n<p class=\"when\">"
              "<time datetime=\"%h\">%h</time> · %h · "
              "<strong>%h</strong> · %h</p>\n",
              (long long)e->report_id, e->at, web_date(r, e->at),
              web_t(r, "ui_task_reported"), e->unit_name,
              e->submitted_by_name && *e->submitted_by_name ? e->submitted_by_name
                                                             : e->submitted_by_login);
  html_printf(b,
              "<p class=\"what\">%h (%h) · %h · %h · %d%%</p>\n"
              "<p class=\"excerpt\">%h%s</p>\n",
              e->item_title, year_label(r, e->year), web_period(r, e->period),
              web_status_label(r, e->status), e->percent,
              e->excerpt ? e->excerpt : "", e->cut ? "…" : "");
  /* A report replaced by a newer one of its period is never reviewed: say so,
   * not "awaiting review". */
  const char *state = e->decision     ? e->decision
                      : e->superseded ? "superseded"
                                      : "pending";
  html_printf(
      b, "<p class=\"review-line\"><span class=\"review review-%h\">%h</span>",
      state, web_t(r, web_review_label(state)));
  if (e->decision) {
    html_printf(b, " · <time datetime=\"%h\">%h</time> · %h · %h",
                e->reviewed_at, web_date(r, e->reviewed_at),
                web_t(r, "ui_task_reviewed"),
                e->reviewer_name && *e->reviewer_name ? e->reviewer_name
                : e->reviewer_login                   ? e->reviewer_login
                                                      : "");
    if (e->comment && *e->comment)
      html_printf(b,
                  "</p>\n<p class=\"reviewer-comment\"><strong>%h%h</strong>%h",
                  web_t(r, "ui_reviewer_comment"), web_t(r, "ui_colon"), e->comment);
  }
  html_printf(b, "</p>\n</li>\n");
}

static void task_events(struct req *r, struct sb *b, const struct task_view *v,
                        const struct task_timeline *tl, bool paged) {
  html_printf(b,
              "<section class=\"timeline\" id=\"timeline\">\n<h2>%h</h2>\n"
              "<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_task_timeline"), web_t(r, "ui_task_timeline_intro"));
  if (!tl->n)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_task_no_reports"));
  else {
    html_printf(b, "<ol class=\"timeline\">\n");
    for (size_t i = 0; i < tl->n; i++)
      event_entry(r, b, &tl->events[i]);
    html_printf(b, "</ol>\n");
  }
  html_printf(b, "<p class=\"pager\">");
  if (paged)
    html_printf(b, "<a href=\"/tasks/%lld#timeline\">%h</a> ", (long long)v->id,
                web_t(r, "ui_task_newest"));
  if (tl->more)
    html_printf(
        b, "<a href=\"/tasks/%lld?before=%lld#timeline\" rel=\"next\">%h</a>",
        (long long)v->id, (long long)tl->next_before,
        web_t(r, "ui_task_older"));
  html_printf(b, "</p>\n</section>\n");
}

/* GET /tasks/{id}[?before=REPORT]: 404 for no such task, 403 outside the
 * task's pairing (the services decide). */
int web_task_page(struct req *r, struct resp *p) {
  struct task_view v;
  int rc = task_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  long long before = 0;
  const char *q = req_query(r, "before");
  if ((q && *q && (!web_parse_int(q, &before) || before < 0)) || !web_show_script(r))
    return web_bad_query(r, p);
  struct task_timeline tl;
  rc = task_timeline(&r->ctx, v.id, before, 0, &tl);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p,
            arena_printf(r->arena, "%s %d %s", web_t(r, "ui_task"), v.number,
                         v.title ? v.title : ""));
  html_printf(b, "<article class=\"task-page\">\n");
  task_head(r, b, &v);
  web_script_switch(r, b, arena_printf(r->arena, "/tasks/%lld", (long long)v.id));
  task_targets(r, b, &v);
  task_units(r, b, &v);
  task_items(r, b, &v);
  web_project_task_section(r, b, v.id);
  task_events(r, b, &v, &tl, before > 0);
  html_printf(b, "</article>\n");
  return web_end(r, p);
}
