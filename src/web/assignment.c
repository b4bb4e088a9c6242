/* assignment: 分解任务、落实责任 on one page — a coordinator gives every task
 * of a plan its side's lead unit and support units, and saves them all at once
 * (GET and POST /plans/{id}/assign; an admin chooses the side with ?side=).
 *
 * The form is one table: per task a select of the lead unit and, folded in a
 * <details>, a checkbox per unit for the supports (a long list stays usable by
 * keyboard: one tab stop while folded, Tab and Space when open; no script). It
 * carries per task the version of the task's assignments it was made from
 * (rev_ID, assignment_digest) and the set as loaded (was_ID), so only the rows
 * the person changed are saved, in one transaction
 * (assignment_set_many), and a row whose side someone else changed meanwhile
 * comes back 409 with the stored set beside the person's kept choices; saving
 * again then keeps the person's choices. (The version covers both sides: a
 * change of only the other side's units is no conflict, and the row is saved
 * against the version stored now.) The rules (who assigns which side, which
 * units) are the services'. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "service/assignment.h"
#include "service/perm.h"
#include "service/plan.h"
#include "service/user.h"
#include "web/html.h"
#include "web/web.h"

enum { SUMMARY_NAMES = 3 }; /* support units named in a folded row */

/* One task's row: what the form shows and carries. */
struct assign_row {
  const struct plan_task_view *task;
  int64_t lead;
  int64_t *support; /* sorted, no repeats */
  size_t n_support;
  const char *rev, *was; /* hidden: the version and the set as loaded */
  const char *now;       /* the stored set in words (a stale row), or NULL */
  const char *error;     /* message id next to the row, or NULL */
  bool changed;          /* the person changed this row */
};

struct assign_form {
  struct plan_view plan;
  int side;
  struct unit_view *units;
  size_t n_units;
  struct assign_row *rows; /* one per task of the plan, in plan order */
  const char *notice, *top_error;
};

static int cmp_id(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* "lead:s1,s2" with the supports sorted: the set as one comparable string. */
static const char *set_key(struct req *r, int64_t lead, const int64_t *support,
                           size_t n) {
  struct sb k = SB_INIT;
  sb_appendf(&k, "%lld:", (long long)lead);
  for (size_t i = 0; i < n; i++)
    sb_appendf(&k, "%s%lld", i ? "," : "", (long long)support[i]);
  const char *s = arena_strdup(r->arena, sb_str(&k));
  sb_free(&k);
  return s;
}

static const char *unit_name(const struct assign_form *f, int64_t id) {
  for (size_t i = 0; i < f->n_units; i++)
    if (f->units[i].id == id)
      return f->units[i].name;
  return NULL;
}

/* The row of task t as stored now: its side's set, version and key. Also sets
 * the stored set in words into *now_words when not NULL. */
static int stored_row(struct req *r, const struct assign_form *f,
                      const struct plan_task_view *t, struct assign_row *row,
                      const char **now_words) {
  struct assignment_view *a;
  size_t n;
  int rc = assignment_list(&r->ctx, t->id, &a, &n);
  if (rc != SVC_OK)
    return rc;
  char digest[ASSIGNMENT_DIGEST_LEN + 1];
  assignment_digest(a, n, digest);
  *row = (struct assign_row){.task = t, .rev = arena_strdup(r->arena, digest)};
  row->support = arena_alloc(r->arena, (n + 1) * sizeof *row->support);
  struct sb words = SB_INIT;
  for (size_t i = 0; i < n; i++) {
    if (a[i].side != f->side)
      continue;
    if (strcmp(a[i].role, "lead") == 0)
      row->lead = a[i].unit_id;
    else
      row->support[row->n_support++] = a[i].unit_id;
  }
  qsort(row->support, row->n_support, sizeof *row->support, cmp_id);
  row->was = set_key(r, row->lead, row->support, row->n_support);
  if (now_words) {
    const char *lead = NULL;
    for (size_t i = 0; i < n; i++)
      if (a[i].side == f->side && strcmp(a[i].role, "lead") == 0)
        lead = a[i].unit_name;
    sb_appendf(&words, "%s: %s; %s: ", web_t(r, "ui_lead_unit"),
               lead ? lead : web_t(r, "ui_task_unassigned"),
               web_t(r, "ui_support_units"));
    size_t shown = 0;
    for (size_t i = 0; i < n; i++)
      if (a[i].side == f->side && strcmp(a[i].role, "support") == 0)
        sb_appendf(&words, "%s%s", shown++ ? "、" : "", a[i].unit_name);
    if (!shown)
      sb_append(&words, web_t(r, "ui_task_unassigned"));
    *now_words = arena_strdup(r->arena, sb_str(&words));
  }
  sb_free(&words);
  return SVC_OK;
}

/* The plan, the side (a coordinator's own; an admin's ?side= or side field,
 * 0 by default), the permission to manage it, the side's units and every
 * task's stored row. Returns 0, or the status of the error page written. */
static int load_form(struct req *r, struct resp *p, struct assign_form *f) {
  memset(f, 0, sizeof *f);
  int rc = plan_get(&r->ctx, r->ids[0], &f->plan);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  f->side = r->user->side;
  if (r->user->role == ROLE_ADMIN) {
    const char *s = req_form(r, "side");
    if (!s)
      s = req_query(r, "side");
    f->side = s && strcmp(s, "1") == 0 ? 1 : 0;
  }
  if ((rc = perm_manage_side(&r->ctx, f->plan.s.pairing_id, f->side)) != SVC_OK)
    return web_service_page(r, p, rc);
  if ((rc = unit_list(&r->ctx, f->plan.s.pairing_id, f->side, &f->units,
                      &f->n_units)) != SVC_OK)
    return web_service_page(r, p, rc);
  f->rows = arena_alloc(r->arena, (f->plan.n_tasks + 1) * sizeof *f->rows);
  for (size_t i = 0; i < f->plan.n_tasks; i++)
    if ((rc = stored_row(r, f, &f->plan.tasks[i], &f->rows[i], NULL)) != SVC_OK)
      return web_service_page(r, p, rc);
  return 0;
}

/* The name of a unit the form was sent with that is not of the side (another
 * side's, or none): its name when the caller may read it, else its number. */
static const char *foreign_name(struct req *r, int64_t id) {
  struct unit_view u;
  if (unit_get(&r->ctx, id, &u) == SVC_OK)
    return u.name;
  web_take_code(r, NULL);
  return arena_printf(r->arena, "#%lld", (long long)id);
}

/* ---- the page
 * ------------------------------------------------------------------------------
 */

static bool has_support(const struct assign_row *row, int64_t id) {
  for (size_t i = 0; i < row->n_support; i++)
    if (row->support[i] == id)
      return true;
  return false;
}

static void row_error(struct req *r, struct sb *b,
                      const struct assign_row *row) {
  if (!row->error)
    return;
  html_printf(b, "<span class=\"field-error\" id=\"task-%lld-error\">%h",
              (long long)row->task->id, web_t(r, row->error));
  if (row->now)
    html_printf(b, " <span class=\"stored\">%h</span>", row->now);
  html_printf(b, "</span>\n");
}

/* aria-describedby and aria-invalid of an input of a row with a message. */
static void described_by(struct sb *b, const struct assign_row *row) {
  if (row->error)
    html_printf(b,
                " aria-describedby=\"task-%lld-error\" aria-invalid=\"true\"",
                (long long)row->task->id);
}

static void support_choices(struct req *r, struct sb *b,
                            const struct assign_form *f,
                            const struct assign_row *row) {
  long long id = (long long)row->task->id;
  /* The summary names what is chosen (the first few), so a folded row still
   * shows the assignment. */
  html_printf(b,
              "<details%s><summary><span class=\"visually-hidden\">%h %d: "
              "</span>",
              row->error ? " open" : "", web_t(r, "ui_assign_support_of"),
              row->task->number);
  if (!row->n_support)
    html_printf(b, "<span class=\"meta\">%h</span>",
                web_t(r, "ui_task_unassigned"));
  for (size_t k = 0; k < row->n_support && k < SUMMARY_NAMES; k++) {
    const char *name = unit_name(f, row->support[k]);
    html_printf(b, "%s%h", k ? "、" : "",
                name ? name : foreign_name(r, row->support[k]));
  }
  if (row->n_support > SUMMARY_NAMES)
    html_printf(b, " … (%d)", (int)row->n_support);
  html_printf(b, "</summary>\n<fieldset");
  described_by(b, row);
  html_printf(b, "><legend class=\"visually-hidden\">%h %d</legend>\n",
              web_t(r, "ui_assign_support_of"), row->task->number);
  for (size_t u = 0; u < f->n_units; u++)
    html_printf(b,
                "<label class=\"choice\"><input type=\"checkbox\" "
                "name=\"support_%lld\" value=\"%lld\"%s> %h</label>\n",
                id, (long long)f->units[u].id,
                has_support(row, f->units[u].id) ? " checked" : "",
                f->units[u].name);
  /* A unit that is not of the side stays in the form, so the person sees
   * what the message is about. */
  for (size_t k = 0; k < row->n_support; k++)
    if (!unit_name(f, row->support[k]))
      html_printf(b,
                  "<label class=\"choice\"><input type=\"checkbox\" "
                  "name=\"support_%lld\" value=\"%lld\" checked> %h</label>\n",
                  id, (long long)row->support[k],
                  foreign_name(r, row->support[k]));
  html_printf(b, "</fieldset></details>");
}

static void task_row(struct req *r, struct sb *b, const struct assign_form *f,
                     const struct assign_row *row) {
  long long id = (long long)row->task->id;
  html_printf(
      b,
      "<tr id=\"task-%lld\"%s>\n<th scope=\"row\"><span class=\"task-no\">"
      "%d.</span> %h\n",
      id, row->error ? " class=\"has-error\"" : "", row->task->number,
      row->task->title);
  row_error(r, b, row);
  html_printf(
      b,
      "</th>\n<td><input type=\"hidden\" name=\"rev_%lld\" value=\"%h\">"
      "<input type=\"hidden\" name=\"was_%lld\" value=\"%h\">\n"
      "<label class=\"visually-hidden\" for=\"lead-%lld\">%h %d</label>\n"
      "<select id=\"lead-%lld\" name=\"lead_%lld\"",
      id, row->rev, id, row->was, id, web_t(r, "ui_assign_lead_of"),
      row->task->number, id, id);
  described_by(b, row);
  html_printf(b, ">\n<option value=\"\">%h</option>\n",
              web_t(r, "ui_assign_no_lead"));
  bool known = !row->lead;
  for (size_t u = 0; u < f->n_units; u++) {
    known |= f->units[u].id == row->lead;
    html_printf(
        b, "<option value=\"%lld\"%s>%h</option>\n", (long long)f->units[u].id,
        f->units[u].id == row->lead ? " selected" : "", f->units[u].name);
  }
  if (!known) /* kept as sent, beside its message */
    html_printf(b, "<option value=\"%lld\" selected>%h</option>\n",
                (long long)row->lead, foreign_name(r, row->lead));
  html_printf(b, "</select></td>\n<td>");
  support_choices(r, b, f, row);
  html_printf(b, "</td>\n</tr>\n");
}

static void area_rows(struct req *r, struct sb *b, const struct assign_form *f,
                      int area, const char *marker, const char *title) {
  html_printf(b,
              "<tbody>\n<tr class=\"area\"><th scope=\"colgroup\" "
              "colspan=\"3\">%h%h</th></tr>\n",
              marker ? marker : "", title ? title : "");
  for (size_t i = 0; i < f->plan.n_tasks; i++)
    if (f->plan.tasks[i].area == area)
      task_row(r, b, f, &f->rows[i]);
  html_printf(b, "</tbody>\n");
}

static void side_switch(struct req *r, struct sb *b,
                        const struct assign_form *f) {
  html_printf(b,
              "<form class=\"side-switch\" method=\"get\" "
              "action=\"/plans/%lld/assign\">\n<label for=\"side\">%h</label>\n"
              "<select id=\"side\" name=\"side\">\n",
              (long long)f->plan.s.id, web_t(r, "ui_assign_side"));
  const char *names[2] = {f->plan.s.name_a, f->plan.s.name_b};
  for (int s = 0; s < 2; s++)
    html_printf(b, "<option value=\"%d\"%s>%h</option>\n", s,
                s == f->side ? " selected" : "", names[s]);
  html_printf(b, "</select>\n<button type=\"submit\">%h</button>\n</form>\n",
              web_t(r, "ui_assign_switch"));
}

static int assign_page(struct req *r, struct resp *p, int status,
                       const struct assign_form *f) {
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_assign_title"));
  const char *side_name = f->side ? f->plan.s.name_b : f->plan.s.name_a;
  html_printf(
      b,
      "<nav class=\"breadcrumb\" aria-label=\"%h\"><ol>\n"
      "<li><a href=\"/plans/%lld\">%h</a></li>\n"
      "<li><span aria-current=\"page\">%h</span></li>\n</ol></nav>\n"
      "<h1>%h</h1>\n<p class=\"lead\">%h</p>\n<dl class=\"facts\">\n"
      "<dt>%h</dt><dd>%h%h</dd>\n<dt>%h</dt><dd>%h</dd>\n</dl>\n",
      web_t(r, "ui_task_breadcrumb"), (long long)f->plan.s.id, f->plan.s.title,
      web_t(r, "ui_assign_title"), web_t(r, "ui_assign_title"),
      web_t(r, "ui_assign_intro"), web_t(r, "ui_task_plan"), f->plan.s.title,
      strcmp(f->plan.s.status, "current") == 0
          ? ""
          : arena_printf(r->arena, " (%s)", web_t(r, "ui_status_superseded")),
      web_t(r, "ui_assign_own_side"), side_name);
  if (r->user->role == ROLE_ADMIN)
    side_switch(r, b, f);
  if (f->notice)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n",
                web_t(r, f->notice));
  web_form_error(r, b, f->top_error);
  if (!f->n_units) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_assign_no_units"));
    return web_end(r, p);
  }
  html_printf(b,
              "<form class=\"assign\" method=\"post\" "
              "action=\"/plans/%lld/assign\">\n",
              (long long)f->plan.s.id);
  web_csrf_field(r, b);
  if (r->user->role == ROLE_ADMIN)
    html_printf(b, "<input type=\"hidden\" name=\"side\" value=\"%d\">\n",
                f->side);
  html_printf(b,
              "<table class=\"assign\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr>"
              "</thead>\n",
              web_t(r, "ui_task"), web_t(r, "ui_lead_unit"),
              web_t(r, "ui_support_units"));
  for (size_t a = 0; a < f->plan.n_areas; a++)
    area_rows(r, b, f, (int)a, f->plan.areas[a].marker, f->plan.areas[a].title);
  bool loose = false;
  for (size_t i = 0; i < f->plan.n_tasks && !loose; i++)
    loose = f->plan.tasks[i].area < 0;
  if (loose)
    area_rows(r, b, f, -1, NULL, web_t(r, "ui_other_tasks"));
  html_printf(b,
              "</table>\n<p class=\"actions\"><button type=\"submit\">%h"
              "</button></p>\n</form>\n",
              web_t(r, "ui_assign_save"));
  return web_end(r, p);
}

/* GET /assign: 303 to the assignment page of one's own pairing's current plan (an admin's:
 * the first current plan), so the page has a place in the navigation. */
int web_assign_home(struct req *r, struct resp *p) {
  if (r->user->role == ROLE_LEADER) /* a leader assigns nothing (as /plans/{id}/assign) */
    return web_error(r, p, 403, "ui_forbidden_title", "err_forbidden");
  struct plan_summary *plans;
  size_t n;
  int rc = plan_list(&r->ctx, false, &plans, &n);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  int lang = i18n_tag(req_query(r, "lang")); /* kept, as /dashboard keeps it */
  for (size_t i = 0; i < n; i++)
    if (r->user->role == ROLE_ADMIN || plans[i].pairing_id == r->user->pairing_id)
      return web_redirect(r, p, arena_printf(r->arena, "/plans/%lld/assign%s%s",
                                              (long long)plans[i].id, lang >= 0 ? "?lang=" : "",
                                              lang >= 0 ? i18n_lang_name((enum lang)lang) : ""));
  return web_error(r, p, 404, "ui_not_found_title", "err_assign_no_plan");
}

/* GET /plans/{id}/assign[?side=&done=saved|unchanged] */
int web_assign_form(struct req *r, struct resp *p) {
  struct assign_form f;
  int st = load_form(r, p, &f);
  if (st)
    return st;
  const char *done = req_query(r, "done");
  if (done && strcmp(done, "saved") == 0)
    f.notice = "ui_assign_saved";
  else if (done && strcmp(done, "unchanged") == 0)
    f.notice = "ui_assign_unchanged";
  return assign_page(r, p, 200, &f);
}

/* ---- saving
 * --------------------------------------------------------------------------------
 */

/* Reads row's choices from the form (lead_ID, support_ID repeated) over the
 * stored row; marks it changed when they differ from was_ID. False when the
 * task is not in the form. */
static bool read_row(struct req *r, struct assign_row *row) {
  long long id = (long long)row->task->id;
  const char *rev = req_form(r, arena_printf(r->arena, "rev_%lld", id));
  if (!rev)
    return false;
  const char *was = req_form(r, arena_printf(r->arena, "was_%lld", id));
  const char *lead = req_form(r, arena_printf(r->arena, "lead_%lld", id));
  const char *sname = arena_printf(r->arena, "support_%lld", id);
  row->rev = rev;
  row->was = was ? was : "";
  row->lead = 0;
  long long v;
  if (lead && *lead && (!web_parse_int(lead, &v) || v <= 0))
    row->error = "err_type";
  else if (lead && *lead)
    row->lead = v;
  row->support = arena_alloc(r->arena, (r->n_form + 1) * sizeof *row->support);
  row->n_support = 0;
  for (size_t i = 0; i < r->n_form; i++) {
    if (strcmp(r->form[i].name, sname) != 0)
      continue;
    if (!web_parse_int(r->form[i].value, &v) || v <= 0) {
      row->error = "err_type";
      continue;
    }
    row->support[row->n_support++] = v;
  }
  qsort(row->support, row->n_support, sizeof *row->support, cmp_id);
  size_t k = 0; /* a unit sent twice counts once */
  for (size_t i = 0; i < row->n_support; i++)
    if (!k || row->support[k - 1] != row->support[i])
      row->support[k++] = row->support[i];
  row->n_support = k;
  if (!row->error && row->lead && has_support(row, row->lead))
    row->error = "ui_assign_lead_twice";
  row->changed = strcmp(set_key(r, row->lead, row->support, row->n_support),
                        row->was) != 0;
  return true;
}

/* The message next to a row for the service's refusal of its change. */
static const char *change_message(const struct assignment_change *ch) {
  const char *code = ch->code ? ch->code : "err_invalid";
  if (strcmp(code, "err_required") == 0)
    return "ui_assign_need_lead";
  if (strcmp(code, "err_range") == 0)
    return "ui_assign_too_many";
  if (strcmp(code, "err_invalid") == 0 && ch->field &&
      strcmp(ch->field, "support") == 0)
    return "ui_assign_lead_twice";
  return i18n_known(code) ? code : "err_invalid";
}

/* After SVC_STALE: true when every stale change's side still holds the set the
 * person started from (was) — only the other side's units moved — and then
 * points those changes at the version stored now, so they may be made once
 * more. Another change of the person's own side is a real conflict: false. */
static bool only_other_side_moved(struct req *r, const struct assign_form *f,
                                  struct assignment_change *ch, size_t n,
                                  const size_t *row_of) {
  for (size_t k = 0; k < n; k++) {
    if (ch[k].status != SVC_STALE)
      continue;
    const struct assign_row *row = &f->rows[row_of[k]];
    struct assign_row now;
    if (stored_row(r, f, row->task, &now, NULL) != SVC_OK) {
      web_take_code(r, NULL);
      return false;
    }
    if (strcmp(now.was, row->was) != 0)
      return false;
    ch[k].expect = now.rev;
  }
  return true;
}

/* POST /plans/{id}/assign: saves the changed rows together: 303 to the form
 * with done=saved (or done=unchanged); else the form again with every choice
 * kept and the message next to each affected task: 422 for an unknown unit or
 * one of another side, 409 when someone changed a task meanwhile. */
int web_assign_save(struct req *r, struct resp *p) {
  struct assign_form f;
  int st = load_form(r, p, &f);
  if (st)
    return st;
  size_t n = f.plan.n_tasks, n_changes = 0;
  struct assignment_change *ch = arena_alloc(r->arena, (n + 1) * sizeof *ch);
  size_t *row_of = arena_alloc(r->arena, (n + 1) * sizeof *row_of);
  bool bad = false;
  for (size_t i = 0; i < n; i++) {
    struct assign_row *row = &f.rows[i];
    if (!read_row(r, row))
      continue;
    bad |= row->error != NULL;
    if (!row->changed || row->error)
      continue;
    ch[n_changes] = (struct assignment_change){.task_id = row->task->id,
                                               .side = f.side,
                                               .lead_unit = row->lead,
                                               .support = row->support,
                                               .n_support = row->n_support,
                                               .expect = row->rev};
    row_of[n_changes++] = i;
  }
  const char *back = arena_printf(r->arena, "/plans/%lld/assign?side=%d&done=",
                                  (long long)f.plan.s.id, f.side);
  if (bad) {
    f.top_error = "ui_form_has_errors";
    return assign_page(r, p, 422, &f);
  }
  if (n_changes == 0)
    return web_redirect(r, p, arena_printf(r->arena, "%sunchanged", back));
  int rc = assignment_set_many(&r->ctx, ch, n_changes);
  if (rc == SVC_STALE && only_other_side_moved(r, &f, ch, n_changes, row_of)) {
    web_take_code(r, NULL);
    rc = assignment_set_many(&r->ctx, ch, n_changes);
  }
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "%ssaved", back));
  if (rc != SVC_INVALID && rc != SVC_STALE &&
      !(rc == SVC_FORBIDDEN && r->ctx.code &&
        strcmp(r->ctx.code, "err_other_side") == 0))
    return web_service_page(r, p, rc);
  web_take_code(r, NULL);
  bool stale = false;
  for (size_t k = 0; k < n_changes; k++) {
    struct assign_row *row = &f.rows[row_of[k]];
    if (ch[k].status == SVC_OK)
      continue;
    if (ch[k].status == SVC_STALE) {
      /* The stored set and its version now: saving again keeps the choices. */
      struct assign_row now;
      if ((rc = stored_row(r, &f, row->task, &now, &row->now)) != SVC_OK)
        return web_service_page(r, p, rc);
      row->rev = now.rev;
      row->was = now.was;
      row->error = "ui_assign_stale_row";
      stale = true;
    } else {
      row->error = change_message(&ch[k]);
    }
  }
  f.top_error = stale ? "ui_assign_stale_top" : "ui_form_has_errors";
  return assign_page(r, p, stale ? 409 : 422, &f);
}
