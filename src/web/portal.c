/* portal: the public pages: the pairings with their city and zone pairings and
 * current plans, and the latest notices (web/notice.c) (GET /), and each plan
 * readable and printable (GET /plans/{id}). Plan texts are shown as stored, in the plans' own script; only
 * the interface follows the language. A signed-in user of the plan's pairing
 * also finds each task linked to its page (/tasks/{id}), and a coordinator (or
 * an admin) the link to assign units to the tasks; anonymous visitors get the
 * plain public text, which stays cacheable. */
#include <string.h>

#include "service/pairing.h"
#include "service/perm.h"
#include "service/plan.h"
#include "web/html.h"
#include "web/web.h"

/* A table of city and zone pairings: sides, theme, the task that names them. */
static void child_table(struct req *r, struct sb *b,
                        const struct pairing_view *k, size_t n) {
  html_printf(
      b,
      "<table>\n<thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\" class=\"num\">%h</th></tr></thead>\n<tbody>\n",
      web_t(r, "ui_sides"), web_t(r, "ui_theme"), web_t(r, "ui_from_task"));
  for (size_t i = 0; i < n; i++)
    html_printf(
        b, "<tr><td>%h — %h</td><td>%h</td><td class=\"num\">%h %d</td></tr>\n",
        k[i].name_a, k[i].name_b, k[i].theme, web_t(r, "ui_task"), k[i].task);
  html_printf(b, "</tbody>\n</table>\n");
}

int web_home(struct req *r, struct resp *p) {
  struct pairing_view *v;
  size_t n;
  if (pairing_tree(&r->ctx, &v, &n) != SVC_OK)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  struct sb *b = &p->body;
  web_begin(r, p, web_t(r, "ui_portal_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h</p>\n",
              web_t(r, "ui_portal_title"), web_t(r, "ui_portal_intro"));
  web_notice_latest(r, b);
  web_event_portal_block(r, b);
  html_printf(b, "<h2>%h</h2>\n", web_t(r, "ui_pairings"));
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_no_pairings"));
  for (size_t i = 0; i < n; i++) {
    const struct pairing_view *k = &v[i];
    html_printf(b, "<section class=\"pairing\">\n<header><h3>%h — %h</h3>\n",
                k->name_a, k->name_b);
    if (k->plan_id)
      html_printf(b, "<p>%h%h<a href=\"/plans/%lld\">%h</a></p>\n",
                  web_t(r, "ui_current_plan"), web_t(r, "ui_colon"), (long long)k->plan_id,
                  k->plan_title);
    else
      html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_no_plan"));
    html_printf(b, "</header>\n<div class=\"body\">\n");
    if (k->n_children) {
      html_printf(b, "<h4>%h</h4>\n", web_t(r, "ui_city_pairings"));
      child_table(r, b, k->children, k->n_children);
    }
    html_printf(b, "</div>\n</section>\n");
  }
  return web_end(r, p);
}

/* The sections of one kind (principle, safeguard …), each with its marker and
 * title when it has them, under an h2. */
static void sections(struct req *r, struct sb *b, const struct plan_view *v,
                     const char *kind, const char *heading_id) {
  bool any = false;
  for (size_t i = 0; i < v->n_sections; i++) {
    const struct plan_section_view *s = &v->sections[i];
    if (strcmp(s->kind, kind) != 0)
      continue;
    if (!any)
      html_printf(b, "<section>\n<h2>%h</h2>\n", web_t(r, heading_id));
    any = true;
    if (s->title)
      html_printf(b, "<h3>%h%h</h3>\n", s->marker, s->title);
    html_printf(b, "<p class=\"section-body\">%h</p>\n", s->body);
  }
  if (any)
    html_printf(b, "</section>\n");
}

/* The tasks of one key area; with link, each title leads to the task's page. */
static void tasks_of_area(struct req *r, struct sb *b,
                          const struct plan_view *v, int area, bool link) {
  html_printf(b, "<ol class=\"tasks\">\n");
  for (size_t i = 0; i < v->n_tasks; i++) {
    const struct plan_task_view *t = &v->tasks[i];
    if (t->area != area)
      continue;
    html_printf(b, "<li id=\"task-%d\"><span class=\"task-no\">%d.</span>",
                t->number, t->number);
    if (link)
      html_printf(b, "<a class=\"task-title\" href=\"/tasks/%lld\">%h</a>\n",
                  (long long)t->id, t->title);
    else
      html_printf(b, "<span class=\"task-title\">%h</span>\n", t->title);
    html_printf(b, "<p class=\"task-body\">%h</p>\n", t->body);
    if (t->damaged)
      html_printf(b, "<p class=\"damaged-note\">%h</p>\n",
                  web_t(r, "ui_text_damaged"));
    html_printf(b, "</li>\n");
  }
  html_printf(b, "</ol>\n");
}

/* Whether the signed-in user may read the plan's tasks (its pairing, or an
 * admin), and manage a side of it (a coordinator's own side, or an admin). The
 * services' rules, asked without leaving a failure behind. */
static bool may_read_tasks(struct req *r, int64_t pairing) {
  bool ok = r->user && perm_read_pairing(&r->ctx, pairing) == SVC_OK;
  web_take_code(r, NULL);
  return ok;
}

static bool may_assign(struct req *r, int64_t pairing) {
  bool ok = r->user &&
            (r->user->role == ROLE_ADMIN ||
             (r->user->role == ROLE_COORDINATOR &&
              perm_manage_side(&r->ctx, pairing, r->user->side) == SVC_OK));
  web_take_code(r, NULL);
  return ok;
}

int web_plan_page(struct req *r, struct resp *p) {
  struct plan_view v;
  int rc = plan_get(&r->ctx, r->ids[0], &v);
  if (rc == SVC_NOT_FOUND)
    return web_error(r, p, 404, "ui_not_found_title", "err_not_found");
  if (rc != SVC_OK)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  if (!web_show_script(r))
    return web_bad_query(r, p);
  struct sb *b = &p->body;
  web_begin(r, p, v.s.title);
  html_printf(b,
              "<article class=\"plan\">\n<h1>%h</h1>\n<dl class=\"facts\">\n"
              "<dt>%h</dt><dd>%h — %h</dd>\n",
              v.s.title, web_t(r, "ui_pairing"), v.s.name_a, v.s.name_b);
  if (v.s.target_year)
    html_printf(b, "<dt>%h</dt><dd>%d</dd>\n", web_t(r, "ui_target_year"),
                v.s.target_year);
  html_printf(b, "<dt>%h</dt><dd>%d (%h)</dd>\n<dt>%h</dt><dd>%d</dd>\n</dl>\n",
              web_t(r, "ui_version"), v.s.version,
              web_t(r, strcmp(v.s.status, "current") == 0
                           ? "ui_status_current"
                           : "ui_status_superseded"),
              web_t(r, "ui_task_count"), (int)v.n_tasks);
  bool link = may_read_tasks(r, v.s.pairing_id);
  /* Assignments carry over to a new version: only the current one is edited. */
  if (strcmp(v.s.status, "current") == 0 && may_assign(r, v.s.pairing_id))
    html_printf(b,
                "<p class=\"plan-actions\"><a class=\"button\" "
                "href=\"/plans/%lld/assign\">%h</a></p>\n",
                (long long)v.s.id, web_t(r, "ui_assign_link"));
  web_script_switch(r, b, arena_printf(r->arena, "/plans/%lld", (long long)v.s.id));
  if (v.preamble && *v.preamble)
    html_printf(b, "<p class=\"section-body\">%h</p>\n", v.preamble);

  sections(r, b, &v, "ideology", "ui_guiding_ideology");
  sections(r, b, &v, "principle", "ui_principles");
  sections(r, b, &v, "goals", "ui_goals");

  html_printf(b, "<section>\n<h2>%h</h2>\n", web_t(r, "ui_key_areas"));
  for (size_t a = 0; a < v.n_areas; a++) {
    html_printf(b, "<h3>%h%h</h3>\n", v.areas[a].marker, v.areas[a].title);
    tasks_of_area(r, b, &v, (int)a, link);
  }
  bool loose = false;
  for (size_t i = 0; i < v.n_tasks && !loose; i++)
    loose = v.tasks[i].area < 0;
  if (loose) {
    html_printf(b, "<h3>%h</h3>\n", web_t(r, "ui_other_tasks"));
    tasks_of_area(r, b, &v, -1, link);
  }
  html_printf(b, "</section>\n");

  if (v.n_pairings) {
    html_printf(
        b,
        "<section>\n<h2>%h</h2>\n<table>\n<thead><tr><th scope=\"col\">%h</th>"
        "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th></tr>"
        "</thead>\n<tbody>\n",
        web_t(r, "ui_city_pairings"), web_t(r, "ui_sides"),
        web_t(r, "ui_theme"), web_t(r, "ui_from_task"));
    for (size_t i = 0; i < v.n_pairings; i++) {
      const struct plan_pairing_view *k = &v.pairings[i];
      html_printf(b,
                  "<tr><td>%h — %h</td><td>%h</td><td class=\"num\">"
                  "<a href=\"#task-%d\">%h %d</a></td></tr>\n",
                  k->a, k->b, k->theme, k->task, web_t(r, "ui_task"), k->task);
    }
    html_printf(b, "</tbody>\n</table>\n</section>\n");
  }

  if (v.n_targets) {
    html_printf(
        b,
        "<section>\n<h2>%h</h2>\n<table>\n<thead><tr>"
        "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\">%h</th></tr>"
        "</thead>\n<tbody>\n",
        web_t(r, "ui_targets"), web_t(r, "ui_task"),
        web_t(r, "ui_target_text"));
    for (size_t i = 0; i < v.n_targets; i++) {
      const struct plan_target_view *t = &v.targets[i];
      if (t->task)
        html_printf(b, "<tr><td class=\"num\"><a href=\"#task-%d\">%d</a></td>",
                    t->task, t->task);
      else
        html_printf(b, "<tr><td class=\"num\">%h</td>",
                    web_t(r, "ui_of_goals"));
      html_printf(b, "<td>%h</td></tr>\n", t->text);
    }
    html_printf(b, "</tbody>\n</table>\n</section>\n");
  }

  sections(r, b, &v, "safeguard", "ui_safeguards");
  html_printf(b, "</article>\n");
  return web_end(r, p);
}
