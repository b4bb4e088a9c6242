/* work_plan: the work plan editor (年度工作计划) as plain HTML forms.
 *   /work-plans              the work plans of the caller's pairing, newest
 * year first, with state and approvals; a coordinator opens a year's plan;
 *   /work-plans/{id}         the plan: state, who approved for each side and
 * when, the table of items (printable on A4 landscape); for a coordinator the
 * add form, an edit link and a remove button per row of its own side, submit
 * and approve;
 *   /work-items/{id}/edit    the edit form of one item;
 *   /work-items/{id}/remove  the remove button, answered by a confirmation.
 * The rules (who may write which item, the states, the dual sign-off, a change
 * after approval reopening the plan) are the service's (service/work_plan.h).
 * Every form carries the revision it was made against: a stale one is answered
 * 409 with the input kept and the page as it is now, so the person sees what
 * changed and may send again. Success answers 303 to the plan with a notice. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "service/pairing.h"
#include "service/perm.h"
#include "service/plan.h"
#include "service/user.h"
#include "service/report.h"
#include "service/work_plan.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/web.h"

/* ---- shared bits
 * ----------------------------------------------------------------------- */

static const char *state_label(const char *status) {
  if (status && strcmp(status, "agreed") == 0)
    return "ui_wp_st_agreed";
  if (status && strcmp(status, "submitted") == 0)
    return "ui_wp_st_submitted";
  return "ui_wp_st_draft";
}

static void state_badge(struct req *r, struct sb *b, const char *status) {
  html_printf(b, "<span class=\"badge wp-state wp-state-%h\">%h</span>",
              status ? status : "draft", web_t(r, state_label(status)));
}

/* The caller may add items to the plans of this pairing (a lead office of it,
 * or an admin); each item still belongs to one side. */
static bool may_edit_plan(const struct req *r, int64_t pairing) {
  const struct user *u = r->user;
  return u->role == ROLE_ADMIN ||
         (u->role == ROLE_COORDINATOR && u->pairing_id == pairing);
}

/* The caller manages the items of this side (the service's rule, asked here so
 * that the page shows only the buttons that would work). */
static bool may_edit_side(struct req *r, int64_t pairing, int side) {
  if (!may_edit_plan(r, pairing))
    return false;
  bool ok = perm_manage_side(&r->ctx, pairing, side) == SVC_OK;
  web_take_code(r, NULL);
  return ok;
}

/* A revision from a hidden field: a positive integer, else 0. */
static int64_t form_revision(struct req *r) {
  long long v = 0;
  if (!web_parse_int(req_form(r, "revision"), &v) || v <= 0)
    return 0;
  return (int64_t)v;
}

static const char *plan_url(struct req *r, int64_t id, const char *done) {
  if (done)
    return arena_printf(r->arena, "/work-plans/%lld?done=%s", (long long)id,
                        done);
  return arena_printf(r->arena, "/work-plans/%lld", (long long)id);
}

/* "遼寧省 — 江蘇省 · 2026年度工作计划" */
static const char *plan_title(struct req *r, const struct work_plan_view *v) {
  return arena_printf(r->arena, "%s — %s · %d%s", v->name_a, v->name_b, v->year,
                      web_t(r, "ui_wp_year_plan"));
}

static const char *side_name(const struct work_plan_view *v, int side) {
  return side == 0 ? v->name_a : v->name_b;
}

static void hidden_revision(struct sb *b, int64_t rev) {
  html_printf(b, "<input type=\"hidden\" name=\"revision\" value=\"%lld\">\n",
              (long long)rev);
}

/* The warning shown before a change that would reopen a submitted or agreed
 * plan. */
static void reopen_warning(struct req *r, struct sb *b, const char *status) {
  if (status && strcmp(status, "draft") != 0)
    html_printf(b, "<p class=\"warning\" role=\"note\">%h</p>\n",
                web_t(r, "ui_wp_reopen_warning"));
}

/* ---- the item form
 * --------------------------------------------------------------------- */

/* What the item form shows: the inputs as typed and a message id per field. */
struct item_form {
  const char *task_id, *title, *owner_unit_id, *indicator, *target_value, *due;
  const char **support;
  size_t n_support;
  const char *e_task, *e_title, *e_owner, *e_support, *e_indicator, *e_target,
      *e_due, *e_top;
  /* The task of the item being edited, offered even when it is not a task of
   * the pairing's current plan (an item of an older plan version). */
  int64_t extra_task;
  int extra_number;
  const char *extra_title;
};

/* What the selects offer: the tasks of the pairing's current plan, the units
 * the caller may make owners, and every unit of the pairing for support. */
struct choices {
  const struct plan_task_view *tasks;
  size_t n_tasks;
  const struct unit_view *units;
  size_t n_units;
  int owner_side; /* -1: either side (admin) */
};

static int load_choices(struct req *r, int64_t pairing, struct choices *ch) {
  memset(ch, 0, sizeof *ch);
  struct pairing_view pv;
  int rc = pairing_get(&r->ctx, pairing, &pv);
  if (rc != SVC_OK)
    return rc;
  if (pv.plan_id) {
    struct plan_view plan;
    if ((rc = plan_get(&r->ctx, pv.plan_id, &plan)) != SVC_OK)
      return rc;
    ch->tasks = plan.tasks;
    ch->n_tasks = plan.n_tasks;
  }
  struct unit_view *units;
  if ((rc = unit_list(&r->ctx, pairing, -1, &units, &ch->n_units)) != SVC_OK)
    return rc;
  ch->units = units;
  ch->owner_side = r->user->role == ROLE_ADMIN ? -1 : r->user->side;
  return SVC_OK;
}

static bool id_is(const char *typed, int64_t id) {
  long long v;
  return web_parse_int(typed, &v) && v == id;
}

static bool support_has(const struct item_form *f, int64_t id) {
  for (size_t i = 0; i < f->n_support; i++)
    if (id_is(f->support[i], id))
      return true;
  return false;
}

/* aria-invalid and aria-describedby for an input with an error. */
static void invalid_attrs(struct sb *b, const char *err, const char *id) {
  if (err)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"%h-error\"", id);
}

static void task_select(struct req *r, struct sb *b, const struct choices *ch,
                        const struct item_form *f) {
  html_printf(b,
              "<p><label for=\"task_id\">%h</label>\n<select id=\"task_id\" "
              "name=\"task_id\"",
              web_t(r, "ui_task"));
  invalid_attrs(b, f->e_task, "task_id");
  html_printf(b, ">\n<option value=\"\">%h</option>\n",
              web_t(r, "ui_wp_task_none"));
  bool extra = f->extra_task != 0;
  for (size_t i = 0; i < ch->n_tasks; i++)
    extra &= ch->tasks[i].id != f->extra_task;
  if (extra)
    html_printf(b, "<option value=\"%lld\"%s>%d %h</option>\n",
                (long long)f->extra_task,
                id_is(f->task_id, f->extra_task) ? " selected" : "",
                f->extra_number, f->extra_title ? f->extra_title : "");
  for (size_t i = 0; i < ch->n_tasks; i++)
    html_printf(b, "<option value=\"%lld\"%s>%d %h</option>\n",
                (long long)ch->tasks[i].id,
                id_is(f->task_id, ch->tasks[i].id) ? " selected" : "",
                ch->tasks[i].number, ch->tasks[i].title);
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_task, "task_id");
  html_printf(b, "</p>\n");
}

/* The units of side (-1: both) as options, grouped by side; owner true picks by
 * owner_unit_id, else by the support list. */
static void unit_options(struct sb *b, const struct choices *ch, int side,
                         const struct item_form *f, bool owner,
                         const char *names[2]) {
  for (int s = 0; s < 2; s++) {
    if (side >= 0 && s != side)
      continue;
    html_printf(b, "<optgroup label=\"%h\">\n", names[s]);
    for (size_t i = 0; i < ch->n_units; i++) {
      const struct unit_view *u = &ch->units[i];
      if (u->side != s)
        continue;
      bool on = owner ? id_is(f->owner_unit_id, u->id) : support_has(f, u->id);
      html_printf(b, "<option value=\"%lld\"%s>%h</option>\n", (long long)u->id,
                  on ? " selected" : "", u->name);
    }
    html_printf(b, "</optgroup>\n");
  }
}

static void typed_input(struct req *r, struct sb *b, const char *type, const char *id,
                        const char *label, const char *value, const char *err,
                        int maxlength, const char *hint) {
  html_printf(b, "<p><label for=\"%h\">%h</label>\n", id, web_t(r, label));
  if (hint)
    html_printf(b, "<span class=\"hint\" id=\"%h-hint\">%h</span>\n", id,
                web_t(r, hint));
  html_printf(b,
              "<input type=\"%h\" id=\"%h\" name=\"%h\" maxlength=\"%d\" "
              "value=\"%h\"",
              type, id, id, maxlength, value ? value : "");
  if (err)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"%h-error%s%h\"",
                id, hint ? " " : "",
                hint ? arena_printf(r->arena, "%s-hint", id) : "");
  else if (hint)
    html_printf(b, " aria-describedby=\"%h-hint\"", id);
  html_printf(b, ">\n");
  web_field_error(r, b, err, id);
  html_printf(b, "</p>\n");
}

static void text_input(struct req *r, struct sb *b, const char *id,
                       const char *label, const char *value, const char *err,
                       int maxlength, const char *hint) {
  typed_input(r, b, "text", id, label, value, err, maxlength, hint);
}

/* 配合单位 as checkboxes by side (a multi-select needed Ctrl-click, which few people know):
 * the fieldset carries the id the error summary links to. */
static void support_boxes(struct req *r, struct sb *b, const struct choices *ch,
                          const struct item_form *f, const char *names[2]) {
  html_printf(b,
              "<fieldset id=\"support\" class=\"wp-support\" aria-describedby=\"support-hint%h\">"
              "\n<legend>%h</legend>\n<span class=\"hint\" id=\"support-hint\">%h</span>\n",
              f->e_support ? " support-error" : "", web_t(r, "ui_wp_support"),
              web_t(r, "ui_wp_support_hint"));
  for (int s = 0; s < 2; s++) {
    html_printf(b, "<p class=\"wp-support-side\"><span class=\"meta\">%h</span>\n", names[s]);
    for (size_t i = 0; i < ch->n_units; i++) {
      const struct unit_view *u = &ch->units[i];
      if (u->side != s)
        continue;
      html_printf(b,
                  "<label class=\"choice\"><input type=\"checkbox\" name=\"support\" "
                  "value=\"%lld\"%h> %h</label>\n",
                  (long long)u->id, support_has(f, u->id) ? " checked" : "", u->name);
    }
    html_printf(b, "</p>\n");
  }
  web_field_error(r, b, f->e_support, "support");
  html_printf(b, "</fieldset>\n");
}

/* The fields of the item form (inside a <form> the caller opens and closes). */
static void item_fields(struct req *r, struct sb *b, const struct choices *ch,
                        const struct work_plan_view *v,
                        const struct item_form *f) {
  const char *names[2] = {v->name_a, v->name_b};
  web_form_error(r, b, f->e_top);
  task_select(r, b, ch, f);
  text_input(r, b, "title", "ui_wp_item_title", f->title, f->e_title, 200,
             NULL);
  html_printf(b,
              "<p><label for=\"owner_unit_id\">%h</label>\n"
              "<select id=\"owner_unit_id\" name=\"owner_unit_id\"",
              web_t(r, "ui_wp_owner"));
  invalid_attrs(b, f->e_owner, "owner_unit_id");
  html_printf(b, ">\n<option value=\"\">%h</option>\n",
              web_t(r, "ui_wp_choose"));
  unit_options(b, ch, ch->owner_side, f, true, names);
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_owner, "owner_unit_id");
  html_printf(b, "</p>\n");
  support_boxes(r, b, ch, f, names);
  text_input(r, b, "indicator", "ui_indicator", f->indicator, f->e_indicator,
             500, NULL);
  text_input(r, b, "target_value", "ui_target_value", f->target_value,
             f->e_target, 500, NULL);
  typed_input(r, b, "date", "due", "ui_due", f->due, f->e_due, 10, "ui_wp_due_hint");
}

/* Reads the form into f and in. Returns false when an input is malformed
 * before the service sees it (a message is in f then). */
static bool read_item_form(struct req *r, struct item_form *f,
                           struct work_item_input *in) {
  memset(in, 0, sizeof *in);
  f->task_id = req_form(r, "task_id");
  f->title = req_form(r, "title");
  f->owner_unit_id = req_form(r, "owner_unit_id");
  f->indicator = req_form(r, "indicator");
  f->target_value = req_form(r, "target_value");
  f->due = req_form(r, "due");
  size_t n = 0;
  for (size_t i = 0; i < r->n_form; i++)
    n += strcmp(r->form[i].name, "support") == 0;
  f->support = arena_alloc(r->arena, (n + 1) * sizeof *f->support);
  int64_t *support = arena_alloc(r->arena, (n + 1) * sizeof *support);
  bool ok = true;
  for (size_t i = 0; i < r->n_form; i++) {
    long long id;
    if (strcmp(r->form[i].name, "support") != 0 || !*r->form[i].value)
      continue;
    f->support[f->n_support] = r->form[i].value;
    if (!web_parse_int(r->form[i].value, &id) || id <= 0) {
      f->e_support = "err_type";
      ok = false;
    }
    support[f->n_support++] = ok ? (int64_t)id : 0;
  }
  long long v = 0;
  if (f->task_id && *f->task_id && (!web_parse_int(f->task_id, &v) || v <= 0)) {
    f->e_task = "err_type";
    ok = false;
  }
  in->task_id = (int64_t)v;
  v = 0;
  if (!f->owner_unit_id || !*f->owner_unit_id) {
    f->e_owner = "err_required";
    ok = false;
  } else if (!web_parse_int(f->owner_unit_id, &v) || v <= 0) {
    f->e_owner = "err_type";
    ok = false;
  }
  in->owner_unit_id = (int64_t)v;
  if (!f->title || !*f->title) {
    f->e_title = "err_required";
    ok = false;
  }
  if (!f->due || !*f->due) {
    f->e_due = "err_required";
    ok = false;
  }
  in->title = f->title ? f->title : "";
  in->due = f->due ? f->due : "";
  in->indicator = f->indicator && *f->indicator ? f->indicator : NULL;
  in->target_value =
      f->target_value && *f->target_value ? f->target_value : NULL;
  in->support = support;
  in->n_support = f->n_support;
  if (!ok)
    f->e_top = "ui_form_has_errors";
  return ok;
}

/* Puts the service's failure in r->ctx next to its field (or above the form).
 */
static void item_service_error(struct req *r, struct item_form *f) {
  const char *field = r->ctx.field ? r->ctx.field : "";
  const char *code = web_take_code(r, "err_invalid");
  if (strcmp(field, "title") == 0)
    f->e_title = code;
  else if (strcmp(field, "due") == 0)
    f->e_due = code;
  else if (strcmp(field, "owner_unit_id") == 0)
    f->e_owner = code;
  else if (strncmp(field, "support", 7) == 0)
    f->e_support = code;
  else if (strcmp(field, "task_id") == 0)
    f->e_task = code;
  else if (strcmp(field, "indicator") == 0)
    f->e_indicator = code;
  else if (strcmp(field, "target_value") == 0)
    f->e_target = code;
  else
    f->e_top = code;
  if (!f->e_top)
    f->e_top = "ui_form_has_errors";
}

/* ---- the list of work plans
 * ------------------------------------------------------------ */

/* Each side's standing approval in words, for the list. */
static void approvals_brief(struct req *r, struct sb *b,
                            const struct work_plan_view *v) {
  for (int s = 0; s < 2; s++) {
    const struct work_plan_approval *a = NULL;
    for (size_t i = 0; i < v->n_approvals; i++)
      if (v->approvals[i].side == s && !v->approvals[i].cleared_at)
        a = &v->approvals[i];
    html_printf(b, "%s%h%h", s ? "<br>" : "", side_name(v, s), web_t(r, "ui_colon"));
    if (a)
      html_printf(b, "%h · %h · %h", web_t(r, "ui_wp_approved"),
                  a->user_name ? a->user_name : a->user_login,
                  web_date(r, a->at));
    else
      html_printf(b, "<span class=\"meta\">%h</span>",
                  web_t(r, "ui_wp_not_approved"));
  }
}

/* The province pairings, for an admin to choose one. */
static int pairing_choice(struct req *r, struct resp *p) {
  struct pairing_view *v;
  size_t n;
  int rc = pairing_tree(&r->ctx, &v, &n);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p, web_t(r, "ui_wp_title"));
  html_printf(b, "<h1>%h</h1>\n<h2>%h</h2>\n<ul>\n", web_t(r, "ui_wp_title"),
              web_t(r, "ui_wp_choose_pairing"));
  for (size_t i = 0; i < n; i++)
    html_printf(b,
                "<li><a href=\"/work-plans?pairing=%lld\">%h — %h</a></li>\n",
                (long long)v[i].id, v[i].name_a, v[i].name_b);
  html_printf(b, "</ul>\n");
  return web_end(r, p);
}

static int list_page(struct req *r, struct resp *p, int status, int64_t pairing,
                     const char *year, const char *e_year) {
  struct pairing_view pv;
  int rc = perm_read_pairing(&r->ctx, pairing);
  if (rc == SVC_OK)
    rc = pairing_get(&r->ctx, pairing, &pv);
  if (rc == SVC_OK && pv.parent_id)
    rc = SVC_NOT_FOUND;
  struct work_plan_summary *s = NULL;
  size_t n = 0;
  if (rc == SVC_OK)
    rc = work_plan_list(&r->ctx, pairing, &s, &n);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_wp_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h — %h%h%h</p>\n",
              web_t(r, "ui_wp_title"), pv.name_a, pv.name_b,
              web_t(r, "ui_full_stop"), web_t(r, "ui_wp_intro"));
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_wp_none"));
  else
    html_printf(b,
                "<table class=\"work-plans\">\n<thead><tr>"
                "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\" "
                "class=\"num\">%h</th><th scope=\"col\">%h</th>"
                "</tr></thead>\n<tbody>\n",
                web_t(r, "ui_wp_year"), web_t(r, "ui_wp_state"),
                web_t(r, "ui_wp_approvals"), web_t(r, "ui_wp_item_count"),
                web_t(r, "ui_wp_updated"));
  for (size_t i = 0; i < n; i++) {
    struct work_plan_view v;
    if ((rc = work_plan_get(&r->ctx, s[i].id, &v)) != SVC_OK)
      return web_service_page(r, p, rc);
    html_printf(b,
                "<tr><th scope=\"row\"><a href=\"/work-plans/%lld\">%d%h</a>"
                "</th>\n<td>",
                (long long)s[i].id, s[i].year, web_t(r, "ui_wp_year_plan"));
    state_badge(r, b, s[i].status);
    html_printf(b, "</td>\n<td>");
    approvals_brief(r, b, &v);
    html_printf(b, "</td>\n<td class=\"num\">%d</td>\n<td>%h</td></tr>\n",
                s[i].items, web_date(r, s[i].updated_at));
  }
  if (n)
    html_printf(b, "</tbody>\n</table>\n");
  if (!may_edit_plan(r, pairing))
    return web_end(r, p);
  char today[11], soon[11];
  light_today(today, soon);
  html_printf(b,
              "<section class=\"wp-open\">\n<h2>%h</h2>\n<p>%h</p>\n"
              "<form method=\"post\" action=\"/work-plans\">\n",
              web_t(r, "ui_wp_open_title"), web_t(r, "ui_wp_open_hint"));
  web_csrf_field(r, b);
  if (r->user->role == ROLE_ADMIN)
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n",
                (long long)pairing);
  html_printf(b,
              "<p><label for=\"year\">%h</label>\n<input type=\"number\" "
              "id=\"year\" name=\"year\" min=\"2000\" max=\"2100\" step=\"1\" "
              "inputmode=\"numeric\" value=\"%h\"",
              web_t(r, "ui_wp_year"),
              year ? year : arena_strndup(r->arena, today, 4));
  invalid_attrs(b, e_year, "year");
  html_printf(b, ">\n");
  web_field_error(r, b, e_year, "year");
  html_printf(b,
              "</p>\n<p><button type=\"submit\">%h</button></p>\n"
              "</form>\n</section>\n",
              web_t(r, "ui_wp_open"));
  return web_end(r, p);
}

/* The pairing a list request is about: the caller's, or for an admin the
 * parameter (0 when an admin named none, -1 when it is not a number). */
static int64_t list_pairing(struct req *r, const char *param) {
  if (r->user->role != ROLE_ADMIN)
    return r->user->pairing_id;
  long long v;
  if (!param || !*param)
    return 0;
  return web_parse_int(param, &v) && v > 0 ? (int64_t)v : -1;
}

/* GET /work-plans (admin: ?pairing=) */
int web_work_plans(struct req *r, struct resp *p) {
  int64_t pairing = list_pairing(r, req_query(r, "pairing"));
  if (pairing == 0 && r->user->role == ROLE_ADMIN)
    return pairing_choice(r, p);
  if (pairing < 0)
    return web_bad_query(r, p);
  if (pairing == 0) /* a user of no pairing */
    return web_error(r, p, 404, "ui_not_found_title", "err_not_found");
  return list_page(r, p, 200, pairing, NULL, NULL);
}

/* POST /work-plans (year; admin: pairing): 303 to the plan of that year,
 * made as an empty draft when there was none. */
int web_work_plan_open(struct req *r, struct resp *p) {
  int64_t pairing = list_pairing(r, req_form(r, "pairing"));
  if (pairing <= 0)
    return web_error(r, p, 404, "ui_not_found_title", "err_not_found");
  const char *year = req_form(r, "year");
  long long y = 0;
  if (!year || !*year)
    return list_page(r, p, 422, pairing, year, "err_required");
  if (!web_parse_int(year, &y))
    return list_page(r, p, 422, pairing, year, "err_type");
  if (y < 2000 || y > 2100)
    return list_page(r, p, 422, pairing, year, "err_range");
  int64_t id = 0;
  int rc = work_plan_open(&r->ctx, pairing, (int)y, &id);
  if (rc == SVC_INVALID && r->ctx.field && strcmp(r->ctx.field, "year") == 0)
    return list_page(r, p, 422, pairing, year, web_take_code(r, "err_range"));
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, plan_url(r, id, NULL));
}

/* ---- the plan page
 * --------------------------------------------------------------------- */

/* State, and who approved for each side and when; earlier approvals that an
 * edit cleared are listed for the record. */
static void plan_state(struct req *r, struct sb *b,
                       const struct work_plan_view *v) {
  html_printf(b, "<dl class=\"facts wp-facts\">\n<dt>%h</dt><dd>",
              web_t(r, "ui_wp_state"));
  state_badge(r, b, v->status);
  html_printf(b, "</dd>\n");
  for (int s = 0; s < 2; s++) {
    html_printf(b, "<dt>%h · %h</dt><dd class=\"approval\" id=\"approval-%d\">",
                web_t(r, "ui_wp_approval"), side_name(v, s), s);
    const struct work_plan_approval *a = NULL;
    for (size_t i = 0; i < v->n_approvals; i++)
      if (v->approvals[i].side == s && !v->approvals[i].cleared_at)
        a = &v->approvals[i];
    if (a)
      html_printf(b, "%h%h%h%h%h%h · %h", web_t(r, "ui_wp_approved"), web_t(r, "ui_colon"),
                  a->user_name ? a->user_name : a->user_login,
                  a->unit_name ? "（" : "", a->unit_name,
                  a->unit_name ? "）" : "", web_date(r, a->at));
    else
      html_printf(b, "<span class=\"meta\">%h</span>",
                  web_t(r, "ui_wp_not_approved"));
    html_printf(b, "</dd>\n");
  }
  html_printf(b, "</dl>\n");
  bool cleared = false;
  for (size_t i = 0; i < v->n_approvals; i++)
    cleared |= v->approvals[i].cleared_at != NULL;
  if (!cleared)
    return;
  html_printf(b,
              "<details class=\"wp-cleared\">\n<summary>%h</summary>\n<ul>\n",
              web_t(r, "ui_wp_cleared"));
  for (size_t i = 0; i < v->n_approvals; i++) {
    const struct work_plan_approval *a = &v->approvals[i];
    if (a->cleared_at)
      html_printf(b, "<li>%h%h%h · %h — %h %h</li>\n", side_name(v, a->side), web_t(r, "ui_colon"),
                  a->user_name ? a->user_name : a->user_login,
                  web_date(r, a->at), web_t(r, "ui_wp_cleared_at"),
                  web_date(r, a->cleared_at));
  }
  html_printf(b, "</ul>\n</details>\n");
}

static void item_row(struct req *r, struct sb *b,
                     const struct work_plan_view *v,
                     const struct work_item_view *it, bool actions) {
  html_printf(b, "<tr id=\"item-%lld\"><td>", (long long)it->id);
  if (it->task_number)
    html_printf(b, "<span class=\"task-no\">%d</span> %h", it->task_number,
                it->task_title ? it->task_title : "");
  else
    html_printf(b, "<span class=\"meta\">—</span>");
  html_printf(b, "</td>\n<td>%h</td>\n<td>%h</td>\n<td>", it->title,
              it->owner.name);
  for (size_t k = 0; k < it->n_support; k++)
    html_printf(b, "%s%h", k ? "、" : "", it->support[k].name);
  html_printf(b,
              "</td>\n<td>%h</td>\n<td>%h</td>\n<td class=\"nowrap\">%h</td>"
              "\n<td>",
              it->indicator ? it->indicator : "",
              it->target_value ? it->target_value : "", web_date(r, it->due));
  web_light_badge(r, b, it->light);
  html_printf(b, "</td>\n");
  if (actions) {
    html_printf(b, "<td class=\"wp-actions\">");
    if (may_edit_side(r, v->pairing_id, it->owner.side)) {
      html_printf(
          b,
          "<a href=\"/work-items/%lld/edit\" aria-label=\"%h%h%h\">%h</a>\n"
          "<form method=\"post\" action=\"/work-items/%lld/remove\">\n",
          (long long)it->id, web_t(r, "ui_wp_edit"), web_t(r, "ui_colon"), it->title,
          web_t(r, "ui_wp_edit"), (long long)it->id);
      web_csrf_field(r, b);
      hidden_revision(b, it->revision);
      html_printf(b,
                  "<button type=\"submit\" class=\"secondary\" "
                  "aria-label=\"%h%h%h\">%h</button></form>",
                  web_t(r, "ui_wp_remove"), web_t(r, "ui_colon"), it->title,
                  web_t(r, "ui_wp_remove"));
    }
    html_printf(b, "</td>\n");
  }
  html_printf(b, "</tr>\n");
}

static void items_table(struct req *r, struct sb *b,
                        const struct work_plan_view *v, bool actions) {
  html_printf(b, "<h2 id=\"items\">%h</h2>\n", web_t(r, "ui_wp_items"));
  if (v->n_items == 0) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_wp_no_items"));
    return;
  }
  html_printf(b,
              "<table class=\"wp-items\">\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>",
              web_t(r, "ui_task"), web_t(r, "ui_wp_item_title"),
              web_t(r, "ui_wp_owner"), web_t(r, "ui_wp_support"),
              web_t(r, "ui_indicator"), web_t(r, "ui_target_value"),
              web_t(r, "ui_due"), web_t(r, "ui_light"));
  if (actions)
    html_printf(b, "<th scope=\"col\" class=\"wp-actions\">%h</th>",
                web_t(r, "ui_wp_actions"));
  html_printf(b, "</tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < v->n_items; i++)
    item_row(r, b, v, &v->items[i], actions);
  html_printf(b, "</tbody>\n</table>\n");
}

/* 变更: what changed since each side last approved (items added, removed, each changed
 * field before → after), above the items and the approve button, so a side approving
 * again sees what it is approving. Not for an agreed plan (both approvals stand). */
static const struct {
  const char *field, *label;
} change_labels[] = {
    {"title", "ui_wp_item_title"}, {"task", "ui_task"},
    {"owner", "ui_wp_owner"},      {"support", "ui_wp_support"},
    {"indicator", "ui_indicator"}, {"target_value", "ui_target_value"},
    {"due", "ui_due"},
};

static void change_value(struct req *r, struct sb *b, const char *tag, const char *field,
                         const char *value) {
  if (!*value)
    value = web_t(r, "ui_wpc_none");
  else if (strcmp(field, "due") == 0)
    value = web_date(r, value);
  html_printf(b, "<%h>%h</%h>", tag, value, tag);
}

static void plan_changes(struct req *r, struct sb *b, const struct work_plan_view *v) {
  if (strcmp(v->status, "agreed") == 0)
    return;
  bool any = false;
  for (int s = 0; s < 2; s++) {
    struct work_plan_changes ch;
    if (work_plan_changes(&r->ctx, v, s, &ch) != SVC_OK) {
      web_take_code(r, NULL);
      continue;
    }
    if (!ch.since || !ch.n_items)
      continue;
    if (!any)
      html_printf(b, "<section class=\"wp-changes\" aria-labelledby=\"h-changes\">\n"
                     "<h2 id=\"h-changes\">%h</h2>\n",
                  web_t(r, "ui_wpc_title"));
    any = true;
    html_printf(b, "<h3>%h</h3>\n<ul>\n",
                arena_printf(r->arena, web_t(r, "ui_wpc_since"), side_name(v, s),
                             web_date(r, ch.since)));
    for (size_t i = 0; i < ch.n_items; i++) {
      const struct work_plan_item_change *x = &ch.items[i];
      const char *kind = strcmp(x->kind, "added") == 0     ? "ui_wpc_added"
                         : strcmp(x->kind, "removed") == 0 ? "ui_wpc_removed"
                                                           : "ui_wpc_changed";
      html_printf(b, "<li class=\"wpc-%h\"><strong>%h</strong>%h%h", x->kind, web_t(r, kind),
                  web_t(r, "ui_colon"), x->title);
      if (x->n_fields) {
        html_printf(b, "\n<ul>\n");
        for (size_t k = 0; k < x->n_fields; k++) {
          const struct work_plan_field_change *f = &x->fields[k];
          const char *label = f->field;
          for (size_t l = 0; l < sizeof change_labels / sizeof *change_labels; l++)
            if (strcmp(change_labels[l].field, f->field) == 0)
              label = web_t(r, change_labels[l].label);
          html_printf(b, "<li>%h%h", label, web_t(r, "ui_colon"));
          change_value(r, b, "del", f->field, f->before);
          html_printf(b, " → ");
          change_value(r, b, "ins", f->field, f->after);
          html_printf(b, "</li>\n");
        }
        html_printf(b, "</ul>\n");
      }
      html_printf(b, "</li>\n");
    }
    html_printf(b, "</ul>\n");
  }
  if (any)
    html_printf(b, "</section>\n");
}

/* Submit (a draft with items) and approve (a submitted plan, each side whose
 * approval the caller may give and that is not given yet). */
static void plan_actions(struct req *r, struct sb *b,
                         const struct work_plan_view *v) {
  bool draft = strcmp(v->status, "draft") == 0;
  bool submitted = strcmp(v->status, "submitted") == 0;
  if (draft && v->n_items) {
    html_printf(b,
                "<form method=\"post\" action=\"/work-plans/%lld/submit\" "
                "class=\"wp-submit\">\n",
                (long long)v->id);
    web_csrf_field(r, b);
    hidden_revision(b, v->revision);
    html_printf(b,
                "<p>%h</p>\n<p><button type=\"submit\">%h</button></p>\n"
                "</form>\n",
                web_t(r, "ui_wp_submit_hint"), web_t(r, "ui_wp_submit"));
  }
  if (!submitted)
    return;
  bool admin = r->user->role == ROLE_ADMIN;
  for (int s = 0; s < 2; s++) {
    if (v->approved[s] || (!admin && r->user->side != s))
      continue;
    html_printf(b,
                "<form method=\"post\" action=\"/work-plans/%lld/approve\" "
                "class=\"wp-approve\">\n",
                (long long)v->id);
    web_csrf_field(r, b);
    hidden_revision(b, v->revision);
    if (admin)
      html_printf(b, "<input type=\"hidden\" name=\"side\" value=\"%d\">\n", s);
    html_printf(b, "<p><button type=\"submit\">%h%h%h</button></p>\n</form>\n",
                web_t(r, "ui_wp_approve"), web_t(r, "ui_colon"), side_name(v, s));
  }
}

static void add_form(struct req *r, struct sb *b,
                     const struct work_plan_view *v, const struct choices *ch,
                     const struct item_form *f) {
  html_printf(b, "<section class=\"wp-add\" id=\"add\">\n<h2>%h</h2>\n",
              web_t(r, "ui_wp_add_title"));
  reopen_warning(r, b, v->status);
  html_printf(b, "<form method=\"post\" action=\"/work-plans/%lld/items\">\n",
              (long long)v->id);
  web_csrf_field(r, b);
  hidden_revision(b, v->revision);
  item_fields(r, b, ch, v, f);
  html_printf(b,
              "<p><button type=\"submit\">%h</button></p>\n</form>\n"
              "</section>\n",
              web_t(r, "ui_wp_add"));
}

static const char *done_notice(const char *done) {
  static const struct {
    const char *done, *id;
  } notices[] = {
      {"added", "ui_wp_done_added"},
      {"saved", "ui_wp_done_saved"},
      {"removed", "ui_wp_done_removed"},
      {"reopened", "ui_wp_done_reopened"},
      {"submitted", "ui_wp_done_submitted"},
      {"approved", "ui_wp_done_approved"},
      {"agreed", "ui_wp_done_agreed"},
      {"reporting", "ui_rs_saved"},
  };
  for (size_t i = 0; done && i < sizeof notices / sizeof *notices; i++)
    if (strcmp(done, notices[i].done) == 0)
      return notices[i].id;
  return NULL;
}

/* The plan page with status; top_error a message above everything (a refused
 * submit or approve); f the add form's inputs (NULL: empty). */
static int plan_page(struct req *r, struct resp *p, int status, int64_t id,
                     const char *top_error, const struct item_form *f) {
  struct work_plan_view v;
  int rc = work_plan_get(&r->ctx, id, &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  bool editor = may_edit_plan(r, v.pairing_id);
  struct choices ch;
  if (editor && (rc = load_choices(r, v.pairing_id, &ch)) != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = status;
  const char *title = plan_title(r, &v);
  web_begin(r, p, title);
  html_printf(
      b,
      "<div class=\"wp-page\">\n<p class=\"back\"><a "
      "href=\"/work-plans%h\">%h</a></p>\n<h1>%h</h1>\n",
      r->user->role == ROLE_ADMIN
          ? arena_printf(r->arena, "?pairing=%lld", (long long)v.pairing_id)
          : "",
      web_t(r, "ui_wp_back"), title);
  const char *notice = done_notice(req_query(r, "done"));
  if (notice && status == 200)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n",
                web_t(r, notice));
  web_form_error(r, b, top_error);
  plan_state(r, b, &v);
  ledger_links(r, b, arena_printf(r->arena, "/work-plans/%lld", (long long)v.id));
  plan_changes(r, b, &v);
  items_table(r, b, &v, editor);
  if (editor) {
    plan_actions(r, b, &v);
    struct item_form empty = {0};
    add_form(r, b, &v, &ch, f ? f : &empty);
    if (strcmp(v.status, "draft") == 0) /* many items at once: web/import.c */
      web_import_form_in(r, b, "work_items", v.id, NULL);
  }
  web_reporting_form(r, b, v.id, v.report_quarterly, v.report_due_day);
  html_printf(b, "</div>\n");
  return web_end(r, p);
}

/* The plan's items as a ledger (docs/ledgers.md): each with its task, owner,
 * support units, due date, light and latest report. */
static const struct ledger_col plan_cols[] = {
    {"item_id", "ui_lg_h_item_id", LEDGER_INT, NULL},
    {"task", "ui_lg_h_task", LEDGER_TEXT, NULL},
    {"item", "ui_lg_h_item", LEDGER_TEXT, NULL},
    {"owner", "ui_lg_h_owner", LEDGER_TEXT, NULL},
    {"support", "ui_lg_h_support", LEDGER_TEXT, NULL},
    {"indicator", "ui_lg_h_indicator", LEDGER_TEXT, NULL},
    {"target", "ui_lg_h_target", LEDGER_TEXT, NULL},
    {"due", "ui_lg_h_due", LEDGER_DATE, NULL},
    {"light", "ui_lg_h_light", LEDGER_LIGHT, NULL},
    {"period", "ui_lg_h_period", LEDGER_TEXT, NULL},
    {"status", "ui_lg_h_status", LEDGER_TEXT, NULL},
    {"percent", "ui_lg_h_percent", LEDGER_PERCENT, NULL},
    {"narrative", "ui_lg_h_narrative", LEDGER_TEXT, NULL},
    {"review", "ui_lg_h_review", LEDGER_TEXT, NULL},
    {"reported_at", "ui_lg_h_reported_at", LEDGER_TIME, NULL},
};

static int plan_ledger(struct req *r, struct resp *p, int64_t id,
                       enum ledger_format f) {
  struct work_plan_view v;
  int rc = work_plan_get(&r->ctx, id, &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct ledger_spec spec = {
      .name = arena_printf(r->arena, "%s-%d", web_t(r, "ui_lg_wp_file"), v.year),
      .ascii = arena_printf(r->arena, "work-plan-%lld-%d", (long long)v.id,
                            v.year),
      .title = arena_printf(r->arena, "%s %s", plan_title(r, &v),
                            web_t(r, "ui_lg_sheet")),
      .cols = plan_cols,
      .n_cols = sizeof plan_cols / sizeof *plan_cols};
  struct ledger *l = ledger_open(r, f, &spec);
  if (!l)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  for (size_t i = 0; i < v.n_items; i++) {
    const struct work_item_view *it = &v.items[i];
    ledger_int(l, it->id);
    ledger_text(l, it->task_number
                       ? arena_printf(r->arena, "%d %s", it->task_number,
                                      it->task_title ? it->task_title : "")
                       : NULL);
    ledger_text(l, it->title);
    ledger_text(l, it->owner.name);
    struct sb sup = SB_INIT;
    for (size_t k = 0; k < it->n_support; k++)
      sb_appendf(&sup, "%s%s", k ? "、" : "", it->support[k].name);
    ledger_text(l, arena_strdup(r->arena, sb_str(&sup)));
    sb_free(&sup);
    ledger_text(l, it->indicator);
    ledger_text(l, it->target_value);
    ledger_date(l, it->due);
    ledger_light(l, it->light);
    if (it->report_id) {
      struct report_view rv;
      const char *narrative = NULL;
      if (report_get(&r->ctx, it->report_id, &rv) == SVC_OK)
        narrative = rv.narrative;
      ledger_text(l, it->report_period);
      ledger_text(l, web_status_label(r, it->report_status));
      ledger_percent(l, it->report_percent);
      ledger_text(l, narrative);
      ledger_text(l, web_t(r, web_review_label(it->review)));
      ledger_date(l, it->report_at);
    }
    ledger_row_end(l);
  }
  return ledger_send(l, p);
}

/* GET /work-plans/{id}[?format=xlsx|csv] */
int web_work_plan_page(struct req *r, struct resp *p) {
  int f = ledger_asked(r);
  if (f < 0)
    return web_bad_query(r, p);
  if (f != LEDGER_PAGE)
    return plan_ledger(r, p, r->ids[0], (enum ledger_format)f);
  return plan_page(r, p, 200, r->ids[0], NULL, NULL);
}

/* The plan of a write, when the caller is a lead office of its pairing (else an
 * error page is written and its status returned; 0: go on). */
static int load_plan_for_write(struct req *r, struct resp *p,
                               struct work_plan_view *v) {
  int rc = work_plan_get(&r->ctx, r->ids[0], v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  if (!may_edit_plan(r, v->pairing_id))
    return web_error(r, p, 403, "ui_forbidden_title", "err_forbidden");
  return 0;
}

/* POST /work-plans/{id}/items: 303 to the plan, or the plan again with the
 * form kept (422 for a field, 409 when the plan changed since it was shown). */
int web_work_item_add(struct req *r, struct resp *p) {
  struct work_plan_view v;
  int st = load_plan_for_write(r, p, &v);
  if (st)
    return st;
  struct item_form f = {0};
  struct work_item_input in;
  bool ok = read_item_form(r, &f, &in);
  if (form_revision(r) != v.revision) {
    f.e_top = "ui_wp_stale";
    return plan_page(r, p, 409, v.id, NULL, &f);
  }
  if (!ok)
    return plan_page(r, p, 422, v.id, NULL, &f);
  int64_t item = 0;
  int rc = work_plan_item_add(&r->ctx, v.id, &in, &item);
  if (rc == SVC_INVALID) {
    item_service_error(r, &f);
    return plan_page(r, p, 422, v.id, NULL, &f);
  }
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(
      r, p,
      plan_url(r, v.id, strcmp(v.status, "draft") ? "reopened" : "added"));
}

/* POST /work-plans/{id}/submit (revision) */
int web_work_plan_submit(struct req *r, struct resp *p) {
  struct work_plan_view v;
  int st = load_plan_for_write(r, p, &v);
  if (st)
    return st;
  int64_t rev = form_revision(r);
  int rc = rev ? work_plan_submit(&r->ctx, r->ids[0], rev) : SVC_STALE;
  if (rc == SVC_OK)
    return web_redirect(r, p, plan_url(r, r->ids[0], "submitted"));
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    return plan_page(r, p, 409, r->ids[0], "ui_wp_stale_action", NULL);
  }
  if (rc == SVC_CONFLICT)
    return plan_page(r, p, 409, r->ids[0], web_take_code(r, "err_conflict"),
                     NULL);
  return web_service_page(r, p, rc);
}

/* POST /work-plans/{id}/approve (revision; an admin names the side) */
int web_work_plan_approve(struct req *r, struct resp *p) {
  struct work_plan_view v;
  int st = load_plan_for_write(r, p, &v);
  if (st)
    return st;
  int64_t rev = form_revision(r);
  int side = r->user->side;
  if (r->user->role == ROLE_ADMIN) {
    long long s = -1;
    if (!web_parse_int(req_form(r, "side"), &s) || (s != 0 && s != 1))
      return plan_page(r, p, 422, r->ids[0], "err_side", NULL);
    side = (int)s;
  }
  bool agreed = false;
  int rc = rev ? work_plan_approve(&r->ctx, r->ids[0], side, rev, &agreed)
               : SVC_STALE;
  if (rc == SVC_OK)
    return web_redirect(r, p,
                        plan_url(r, r->ids[0], agreed ? "agreed" : "approved"));
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    return plan_page(r, p, 409, r->ids[0], "ui_wp_stale_action", NULL);
  }
  if (rc == SVC_CONFLICT)
    return plan_page(r, p, 409, r->ids[0], web_take_code(r, "err_conflict"),
                     NULL);
  return web_service_page(r, p, rc);
}

/* ---- editing and removing an item
 * ------------------------------------------------------ */

/* The item and its plan, when the caller manages the item's side (else an
 * error page is written and its status returned; 0: go on). */
static int load_item_for_write(struct req *r, struct resp *p,
                               struct work_item_view *it,
                               struct work_plan_view *v) {
  int rc = work_plan_item_get(&r->ctx, r->ids[0], it);
  if (rc == SVC_OK)
    rc = work_plan_get(&r->ctx, it->work_plan_id, v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  if (!may_edit_side(r, v->pairing_id, it->owner.side))
    return web_error(r, p, 403, "ui_forbidden_title", "err_forbidden");
  return 0;
}

/* The item as it is saved, beside a form whose input differs (after a 409). */
static void item_facts(struct req *r, struct sb *b,
                       const struct work_item_view *it) {
  html_printf(b, "<dl class=\"facts\">\n");
  if (it->task_number)
    html_printf(b, "<dt>%h</dt><dd>%d %h</dd>\n", web_t(r, "ui_task"),
                it->task_number, it->task_title ? it->task_title : "");
  html_printf(b, "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n",
              web_t(r, "ui_wp_item_title"), it->title, web_t(r, "ui_wp_owner"),
              it->owner.name);
  if (it->n_support) {
    html_printf(b, "<dt>%h</dt><dd>", web_t(r, "ui_wp_support"));
    for (size_t k = 0; k < it->n_support; k++)
      html_printf(b, "%s%h", k ? "、" : "", it->support[k].name);
    html_printf(b, "</dd>\n");
  }
  if (it->indicator)
    html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_indicator"),
                it->indicator);
  if (it->target_value)
    html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_target_value"),
                it->target_value);
  html_printf(b, "<dt>%h</dt><dd>%h</dd>\n</dl>\n", web_t(r, "ui_due"),
              web_date(r, it->due));
}

static int edit_page(struct req *r, struct resp *p, int status,
                     const struct work_item_view *it,
                     const struct work_plan_view *v, struct item_form *f) {
  struct choices ch;
  int rc = load_choices(r, v->pairing_id, &ch);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  f->extra_task = it->task_id;
  f->extra_number = it->task_number;
  f->extra_title = it->task_title;
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_wp_edit_title"));
  html_printf(b,
              "<p class=\"back\"><a href=\"/work-plans/%lld#item-%lld\">%h</a>"
              "</p>\n<h1>%h</h1>\n",
              (long long)v->id, (long long)it->id, plan_title(r, v),
              web_t(r, "ui_wp_edit_title"));
  reopen_warning(r, b, v->status);
  if (status == 409) {
    html_printf(b, "<section class=\"wp-current\">\n<h2>%h</h2>\n",
                web_t(r, "ui_wp_current_version"));
    item_facts(r, b, it);
    html_printf(b, "</section>\n");
  }
  html_printf(b,
              "<form method=\"post\" action=\"/work-items/%lld/edit\" "
              "class=\"wp-item-form\">\n",
              (long long)it->id);
  web_csrf_field(r, b);
  hidden_revision(b, it->revision);
  item_fields(r, b, &ch, v, f);
  html_printf(b,
              "<p class=\"actions\"><button type=\"submit\">%h</button>\n"
              "<a href=\"/work-plans/%lld\">%h</a></p>\n</form>\n",
              web_t(r, "ui_save"), (long long)v->id, web_t(r, "ui_wp_cancel"));
  return web_end(r, p);
}

/* GET /work-items/{id}: an item has no page of its own; its row in its plan is the place
 * (an evaluation's explanation and the yearly report link items here). */
int web_work_item_page(struct req *r, struct resp *p) {
  struct work_item_view it;
  int rc = work_plan_item_get(&r->ctx, r->ids[0], &it);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  int lang = i18n_tag(req_query(r, "lang")); /* kept, as /dashboard keeps it */
  return web_redirect(r, p, arena_printf(r->arena, "/work-plans/%lld%s%s#item-%lld",
                                         (long long)it.work_plan_id, lang >= 0 ? "?lang=" : "",
                                         lang >= 0 ? i18n_lang_name((enum lang)lang) : "",
                                         (long long)it.id));
}

/* GET /work-items/{id}/edit */
int web_work_item_edit_form(struct req *r, struct resp *p) {
  struct work_item_view it;
  struct work_plan_view v;
  int st = load_item_for_write(r, p, &it, &v);
  if (st)
    return st;
  struct item_form f = {0};
  if (it.task_id)
    f.task_id = arena_printf(r->arena, "%lld", (long long)it.task_id);
  f.title = it.title;
  f.owner_unit_id = arena_printf(r->arena, "%lld", (long long)it.owner.id);
  f.support = arena_alloc(r->arena, (it.n_support + 1) * sizeof *f.support);
  for (size_t i = 0; i < it.n_support; i++)
    f.support[f.n_support++] =
        arena_printf(r->arena, "%lld", (long long)it.support[i].id);
  f.indicator = it.indicator;
  f.target_value = it.target_value;
  f.due = it.due;
  return edit_page(r, p, 200, &it, &v, &f);
}

/* POST /work-items/{id}/edit: 303 to the plan, or the form again with the
 * input kept: 422 with the message next to the field, 409 when someone changed
 * the item meanwhile (the form then carries the item's new revision, and the
 * saved version is shown above it). */
int web_work_item_edit(struct req *r, struct resp *p) {
  struct work_item_view it;
  struct work_plan_view v;
  int st = load_item_for_write(r, p, &it, &v);
  if (st)
    return st;
  struct item_form f = {0};
  struct work_item_input in;
  int64_t rev = form_revision(r);
  bool ok = read_item_form(r, &f, &in);
  if (rev != it.revision) {
    f.e_top = "ui_wp_stale";
    return edit_page(r, p, 409, &it, &v, &f);
  }
  if (!ok)
    return edit_page(r, p, 422, &it, &v, &f);
  int rc = work_plan_item_edit(&r->ctx, it.id, rev, &in);
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    if ((rc = work_plan_item_get(&r->ctx, it.id, &it)) != SVC_OK)
      return web_service_page(r, p, rc);
    f.e_top = "ui_wp_stale";
    return edit_page(r, p, 409, &it, &v, &f);
  }
  if (rc == SVC_INVALID) {
    item_service_error(r, &f);
    return edit_page(r, p, 422, &it, &v, &f);
  }
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct work_item_view after;
  bool reopened = strcmp(v.status, "draft") != 0 &&
                  work_plan_item_get(&r->ctx, it.id, &after) == SVC_OK &&
                  strcmp(after.plan_status, "draft") == 0;
  return web_redirect(r, p, plan_url(r, v.id, reopened ? "reopened" : "saved"));
}

static int remove_page(struct req *r, struct resp *p, int status,
                       const struct work_item_view *it,
                       const struct work_plan_view *v, const char *err) {
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_wp_remove_title"));
  html_printf(b,
              "<p class=\"back\"><a href=\"/work-plans/%lld\">%h</a></p>\n"
              "<h1>%h</h1>\n",
              (long long)v->id, plan_title(r, v),
              web_t(r, "ui_wp_remove_title"));
  web_form_error(r, b, err);
  item_facts(r, b, it);
  reopen_warning(r, b, v->status);
  html_printf(b, "<form method=\"post\" action=\"/work-items/%lld/remove\">\n",
              (long long)it->id);
  web_csrf_field(r, b);
  hidden_revision(b, it->revision);
  html_printf(b,
              "<input type=\"hidden\" name=\"confirm\" value=\"yes\">\n"
              "<p>%h</p>\n<p class=\"actions\"><button type=\"submit\">%h"
              "</button>\n<a href=\"/work-plans/%lld\">%h</a></p>\n</form>\n",
              web_t(r, "ui_wp_remove_confirm"), web_t(r, "ui_wp_remove_yes"),
              (long long)v->id, web_t(r, "ui_wp_cancel"));
  return web_end(r, p);
}

/* POST /work-items/{id}/remove (revision; confirm=yes): without confirm, the
 * confirmation page; with it, 303 to the plan. */
int web_work_item_remove(struct req *r, struct resp *p) {
  struct work_item_view it;
  struct work_plan_view v;
  int st = load_item_for_write(r, p, &it, &v);
  if (st)
    return st;
  int64_t rev = form_revision(r);
  if (rev != it.revision)
    return remove_page(r, p, 409, &it, &v, "ui_wp_stale_action");
  const char *confirm = req_form(r, "confirm");
  if (!confirm || strcmp(confirm, "yes") != 0)
    return remove_page(r, p, 200, &it, &v, NULL);
  int rc = work_plan_item_remove(&r->ctx, it.id, rev);
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    if ((rc = work_plan_item_get(&r->ctx, it.id, &it)) != SVC_OK)
      return web_service_page(r, p, rc);
    return remove_page(r, p, 409, &it, &v, "ui_wp_stale_action");
  }
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(
      r, p,
      plan_url(r, v.id, strcmp(v.status, "draft") ? "reopened" : "removed"));
}
