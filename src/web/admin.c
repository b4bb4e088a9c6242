/* admin: the administration pages, units (单位) and accounts, as plain HTML forms.
 *   /units          the units one may see (a coordinator: its side's; a leader: its
 * pairing's; an admin: all, filtered by ?pairing=&side=), keyset pages, and the form that
 * creates one; /units/{id} a unit and the form that edits it.
 *   /users          the accounts one manages (a coordinator: its side's; an admin: all;
 * ?unit=), keyset pages, and the form that creates one with a generated password, shown
 * once on the answer to that POST and nowhere else; /users/{id} an account and its form.
 * The rules (who may create or edit what) are service/user.h's; these pages turn a refusal
 * into a message next to the field, keep every input, and answer a stale edit (someone saved
 * the unit or account after the form was loaded) with 409, the input kept and what is saved
 * now shown beside it. Under --mlps (三员分立, service/perm.h) the security administrator sees
 * the accounts and a form with the disabled flag alone, and makes none; it (without --mlps any
 * admin) also unlocks an account and ends its sessions, on the account's page. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "service/auth.h"
#include "service/pairing.h"
#include "service/perm.h"
#include "service/user.h"
#include "web/html.h"
#include "web/web.h"

enum { ADMIN_PAGE = 50 };

struct choice {
  const char *value, *label;
};

static const struct choice unit_kinds[] = {
    {"government", "ui_adm_kind_government"}, {"department", "ui_adm_kind_department"},
    {"city", "ui_adm_kind_city"},             {"enterprise", "ui_adm_kind_enterprise"},
    {"university", "ui_adm_kind_university"}, {"institute", "ui_adm_kind_institute"},
    {"association", "ui_adm_kind_association"}, {"park", "ui_adm_kind_park"},
    {"other", "ui_adm_kind_other"},
};
static const struct choice unit_tiers[] = {
    {"decision", "ui_adm_tier_decision"},
    {"coordination", "ui_adm_tier_coordination"},
    {"execution", "ui_adm_tier_execution"},
};
static const struct choice roles[] = {
    {"member", "ui_role_member"},
    {"coordinator", "ui_role_coordinator"},
    {"leader", "ui_role_leader"},
    {"admin", "ui_role_admin"},
};
/* 三员分立 (service/perm.h); "" is none, which only a server without --mlps accepts */
static const struct choice admin_kinds[] = {
    {"", "ui_admin_kind_none"},
    {"system", "ui_admin_kind_system"},
    {"security", "ui_admin_kind_security"},
    {"audit", "ui_admin_kind_audit"},
};
static const struct choice languages[] = {
    {"zh-Hans", "ui_lang_zh_hans"},
    {"zh-Hant", "ui_lang_zh_hant"},
    {"en", "ui_lang_en"},
};
#define N_OF(a) (sizeof(a) / sizeof *(a))

static const char *label_of(struct req *r, const struct choice *c, size_t n,
                            const char *value) {
  for (size_t i = 0; i < n; i++)
    if (value && strcmp(value, c[i].value) == 0)
      return web_t(r, c[i].label);
  return value ? value : "";
}

/* <option>s of c[0..n), the one equal to chosen selected. */
static void options(struct req *r, struct sb *b, const struct choice *c, size_t n,
                    const char *chosen) {
  for (size_t i = 0; i < n; i++)
    html_printf(b, "<option value=\"%h\"%s>%h</option>\n", c[i].value,
                chosen && strcmp(chosen, c[i].value) == 0 ? " selected" : "",
                web_t(r, c[i].label));
}

/* A labelled <select> of choices, with its message. */
static void select_field(struct req *r, struct sb *b, const char *id, const char *label,
                         const struct choice *c, size_t n, const char *chosen,
                         const char *err) {
  html_printf(b, "<p><label for=\"%h\">%h</label>\n<select id=\"%h\" name=\"%h\"", id,
              web_t(r, label), id, id);
  if (err)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"%h-error\"", id);
  html_printf(b, ">\n");
  options(r, b, c, n, chosen);
  html_printf(b, "</select>\n");
  web_field_error(r, b, err, id);
  html_printf(b, "</p>\n");
}

/* A labelled text input, with its message. */
static void text_field(struct req *r, struct sb *b, const char *id, const char *label,
                       const char *value, int maxlength, const char *err) {
  html_printf(b,
              "<p><label for=\"%h\">%h</label>\n<input id=\"%h\" name=\"%h\" type=\"text\" "
              "maxlength=\"%d\" value=\"%h\"",
              id, web_t(r, label), id, id, maxlength, value ? value : "");
  if (err)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"%h-error\"", id);
  html_printf(b, ">\n");
  web_field_error(r, b, err, id);
  html_printf(b, "</p>\n");
}

static void notice(struct req *r, struct sb *b, const char *id) {
  if (id)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, id));
}

static const char *side_name(const struct unit_view *u) {
  return u->side == 0 ? u->pairing_a : u->pairing_b;
}

/* Which form field a service's field name is. */
static bool field_is(const char *field, const char *name) {
  return field && strcmp(field, name) == 0;
}

/* ==== units ============================================================================ */

struct unit_form {
  const char *pairing, *side, *name, *kind, *tier, *updated_at;
  const char *e_pairing, *e_side, *e_name, *e_kind, *e_tier, *e_top, *e_filter;
};

static bool may_create_units(const struct req *r) {
  return r->user->role == ROLE_ADMIN || r->user->role == ROLE_COORDINATOR;
}

/* The province pairings as <option>s (admin filters and the admin's create form). */
static void pairing_options(struct req *r, struct sb *b, const char *chosen, bool any) {
  struct pairing_view *pv;
  size_t n;
  if (any)
    html_printf(b, "<option value=\"\">%h</option>\n", web_t(r, "ui_adm_any"));
  if (pairing_tree(&r->ctx, &pv, &n) != SVC_OK) {
    web_take_code(r, NULL);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const char *v = arena_printf(r->arena, "%lld", (long long)pv[i].id);
    html_printf(b, "<option value=\"%h\"%s>%h–%h</option>\n", v,
                chosen && strcmp(chosen, v) == 0 ? " selected" : "", pv[i].name_a,
                pv[i].name_b);
  }
}

static void side_options(struct req *r, struct sb *b, const char *chosen, bool any) {
  if (any)
    html_printf(b, "<option value=\"\">%h</option>\n", web_t(r, "ui_adm_any"));
  html_printf(b, "<option value=\"0\"%s>%h</option>\n<option value=\"1\"%s>%h</option>\n",
              chosen && strcmp(chosen, "0") == 0 ? " selected" : "",
              web_t(r, "ui_adm_side_a"), chosen && strcmp(chosen, "1") == 0 ? " selected" : "",
              web_t(r, "ui_adm_side_b"));
}

static void unit_create_form(struct req *r, struct sb *b, const struct unit_form *f) {
  html_printf(b, "<section class=\"admin-form\">\n<h2>%h</h2>\n",
              web_t(r, "ui_adm_unit_new"));
  web_form_error(r, b, f->e_top);
  html_printf(b, "<form method=\"post\" action=\"/units\">\n");
  web_csrf_field(r, b);
  if (r->user->role == ROLE_ADMIN) {
    html_printf(b, "<p><label for=\"pairing\">%h</label>\n<select id=\"pairing\" "
                   "name=\"pairing\">\n",
                web_t(r, "ui_pairing"));
    pairing_options(r, b, f->pairing, false);
    html_printf(b, "</select>\n");
    web_field_error(r, b, f->e_pairing, "pairing");
    html_printf(b, "</p>\n<p><label for=\"side\">%h</label>\n<select id=\"side\" "
                   "name=\"side\">\n",
                web_t(r, "ui_adm_side"));
    side_options(r, b, f->side, false);
    html_printf(b, "</select>\n");
    web_field_error(r, b, f->e_side, "side");
    html_printf(b, "</p>\n");
  } else {
    html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_adm_unit_own_side"));
  }
  text_field(r, b, "name", "ui_adm_unit_name", f->name, UNIT_NAME_MAX, f->e_name);
  select_field(r, b, "kind", "ui_adm_kind", unit_kinds, N_OF(unit_kinds), f->kind, f->e_kind);
  select_field(r, b, "tier", "ui_adm_tier", unit_tiers, N_OF(unit_tiers), f->tier, f->e_tier);
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_adm_create"));
}

/* The list of units with its filters and, for those who may, the create form. */
static int units_page(struct req *r, struct resp *p, int status, const struct unit_form *f,
                      const char *notice_id) {
  int64_t pairing = 0, after = 0;
  int side = -1;
  const char *side_s = req_query(r, "side"), *e_filter = f->e_filter;
  bool admin = r->user->role == ROLE_ADMIN;
  if (!web_query_id(r, "pairing", &pairing) || !web_query_id(r, "after", &after))
    e_filter = "err_type";
  if (side_s && *side_s) {
    if (strcmp(side_s, "0") == 0 || strcmp(side_s, "1") == 0)
      side = side_s[0] - '0';
    else
      e_filter = "err_side";
  }
  if (!admin) { /* the service scopes a leader to its pairing; a coordinator sees its side */
    pairing = 0;
    side = r->user->role == ROLE_COORDINATOR ? r->user->side : -1;
  }
  struct unit_view *v = NULL;
  size_t n = 0;
  int64_t next = 0;
  if (!e_filter) {
    int rc = unit_list_page(&r->ctx, pairing, side, after, ADMIN_PAGE, &v, &n, &next);
    if (rc == SVC_NOT_FOUND) {
      web_take_code(r, NULL);
      e_filter = "err_pairing_unknown";
    } else if (rc != SVC_OK) {
      return web_service_page(r, p, rc);
    }
  }
  if (e_filter && status < 400)
    status = 422;
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_adm_units"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h</p>\n", web_t(r, "ui_adm_units"),
              web_t(r, admin ? "ui_adm_units_intro_admin" : "ui_adm_units_intro"));
  notice(r, b, notice_id);
  if (admin) {
    html_printf(b,
                "<form method=\"get\" action=\"/units\" class=\"filters\">\n"
                "<p><label for=\"f-pairing\">%h</label>\n<select id=\"f-pairing\" "
                "name=\"pairing\">\n",
                web_t(r, "ui_pairing"));
    pairing_options(r, b, req_query(r, "pairing"), true);
    html_printf(b, "</select></p>\n<p><label for=\"f-side\">%h</label>\n<select id=\"f-side\" "
                   "name=\"side\">\n",
                web_t(r, "ui_adm_side"));
    side_options(r, b, side_s, true);
    html_printf(b, "</select></p>\n");
    web_field_error(r, b, e_filter, "f-pairing");
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n",
                web_t(r, "ui_adm_filter"));
  } else if (e_filter) {
    web_form_error(r, b, e_filter);
  }
  if (n == 0) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_adm_no_units"));
  } else {
    html_printf(b,
                "<table class=\"admin\">\n<thead><tr><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
                web_t(r, "ui_adm_unit_name"), web_t(r, "ui_adm_kind"), web_t(r, "ui_adm_tier"),
                web_t(r, "ui_adm_side"), web_t(r, "ui_adm_accounts"));
    for (size_t i = 0; i < n; i++)
      html_printf(b,
                  "<tr><th scope=\"row\"><a href=\"/units/%lld\">%h</a></th><td>%h</td>"
                  "<td>%h</td><td>%h–%h · %h</td><td class=\"num\">%d</td></tr>\n",
                  (long long)v[i].id, v[i].name,
                  label_of(r, unit_kinds, N_OF(unit_kinds), v[i].kind),
                  label_of(r, unit_tiers, N_OF(unit_tiers), v[i].tier), v[i].pairing_a,
                  v[i].pairing_b, side_name(&v[i]), v[i].users);
    html_printf(b, "</tbody>\n</table>\n");
  }
  const char *path = "/units";
  if (admin && pairing)
    path = arena_printf(r->arena, "%s?pairing=%lld", path, (long long)pairing);
  if (admin && side >= 0)
    path = arena_printf(r->arena, "%s%sside=%d", path, pairing ? "&" : "?", side);
  web_pager(r, b, path, after, next != 0, next);
  if (may_create_units(r))
    unit_create_form(r, b, f);
  return web_end(r, p);
}

int web_units(struct req *r, struct resp *p) {
  struct unit_form f = {.kind = "department", .tier = "execution"};
  const char *done = req_query(r, "done");
  return units_page(r, p, 200, &f, done && strcmp(done, "created") == 0 ? "ui_adm_unit_created"
                                                                        : NULL);
}

/* Puts the service's message next to the unit form's field it names. */
static void unit_form_error(struct unit_form *f, const char *field, const char *code) {
  if (field_is(field, "name"))
    f->e_name = code;
  else if (field_is(field, "kind"))
    f->e_kind = code;
  else if (field_is(field, "tier"))
    f->e_tier = code;
  else if (field_is(field, "pairing_id") || field_is(field, "pairing"))
    f->e_pairing = code;
  else if (field_is(field, "side"))
    f->e_side = code;
  else
    f->e_top = code;
  if (!f->e_top)
    f->e_top = "ui_form_has_errors";
}

/* POST /units: 303 to the new unit, or the list again with the form and its messages. */
int web_unit_create(struct req *r, struct resp *p) {
  struct unit_form f = {.pairing = req_form(r, "pairing"),
                        .side = req_form(r, "side"),
                        .name = req_form(r, "name"),
                        .kind = req_form(r, "kind"),
                        .tier = req_form(r, "tier")};
  struct unit_input in = {.name = f.name ? f.name : "", .kind = f.kind, .tier = f.tier};
  if (r->user->role == ROLE_ADMIN) {
    long long v;
    if (!web_parse_int(f.pairing, &v) || v <= 0)
      unit_form_error(&f, "pairing", f.pairing && *f.pairing ? "err_type" : "err_required");
    else
      in.pairing_id = v;
    if (!web_parse_int(f.side, &v) || (v != 0 && v != 1))
      unit_form_error(&f, "side", "err_side");
    else
      in.side = (int)v;
    if (f.e_pairing || f.e_side)
      return units_page(r, p, 422, &f, NULL);
  } else {
    in.pairing_id = r->user->pairing_id;
    in.side = r->user->side;
  }
  int64_t id = 0;
  int rc = unit_create(&r->ctx, &in, &id);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/units/%lld?done=created", (long long)id));
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  unit_form_error(&f, field, web_take_code(r, "err_invalid"));
  return units_page(r, p, rc == SVC_CONFLICT ? 409 : 422, &f, NULL);
}

/* The unit page: its facts and, when the caller may edit it, the form. saved: the unit as
 * stored now, shown beside a stale form. */
static int unit_page(struct req *r, struct resp *p, int status, const struct unit_view *u,
                     const struct unit_form *f, const char *notice_id) {
  bool manage = perm_manage_unit(&r->ctx, u->id) == SVC_OK;
  web_take_code(r, NULL);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, u->name);
  html_printf(b, "<p><a href=\"/units\">%h</a></p>\n<h1>%h</h1>\n", web_t(r, "ui_adm_units"),
              u->name);
  notice(r, b, notice_id);
  html_printf(b,
              "<dl class=\"facts\">\n<dt>%h</dt><dd>%h–%h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%d",
              web_t(r, "ui_pairing"), u->pairing_a, u->pairing_b, web_t(r, "ui_adm_side"),
              side_name(u), web_t(r, "ui_adm_kind"),
              label_of(r, unit_kinds, N_OF(unit_kinds), u->kind), web_t(r, "ui_adm_tier"),
              label_of(r, unit_tiers, N_OF(unit_tiers), u->tier), web_t(r, "ui_adm_accounts"),
              u->users);
  if (manage)
    html_printf(b, " · <a href=\"/users?unit=%lld\">%h</a>", (long long)u->id,
                web_t(r, "ui_adm_show_accounts"));
  html_printf(b, "</dd>\n</dl>\n");
  if (!manage)
    return web_end(r, p);
  html_printf(b, "<section class=\"admin-form\">\n<h2>%h</h2>\n", web_t(r, "ui_adm_edit"));
  web_form_error(r, b, f->e_top);
  if (status == 409)
    html_printf(b, "<p class=\"meta\">%h %h · %h · %h</p>\n", web_t(r, "ui_adm_saved_now"),
                u->name, label_of(r, unit_kinds, N_OF(unit_kinds), u->kind),
                label_of(r, unit_tiers, N_OF(unit_tiers), u->tier));
  html_printf(b, "<form method=\"post\" action=\"/units/%lld\">\n", (long long)u->id);
  web_csrf_field(r, b);
  html_printf(b, "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n", u->updated_at);
  text_field(r, b, "name", "ui_adm_unit_name", f->name, UNIT_NAME_MAX, f->e_name);
  select_field(r, b, "kind", "ui_adm_kind", unit_kinds, N_OF(unit_kinds), f->kind, f->e_kind);
  select_field(r, b, "tier", "ui_adm_tier", unit_tiers, N_OF(unit_tiers), f->tier, f->e_tier);
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_save"));
  return web_end(r, p);
}

int web_unit(struct req *r, struct resp *p) {
  struct unit_view u;
  int rc = unit_get(&r->ctx, r->ids[0], &u);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct unit_form f = {.name = u.name, .kind = u.kind, .tier = u.tier};
  const char *done = req_query(r, "done"), *note = NULL;
  if (done && strcmp(done, "created") == 0)
    note = "ui_adm_unit_created";
  else if (done && strcmp(done, "saved") == 0)
    note = "ui_adm_saved";
  return unit_page(r, p, 200, &u, &f, note);
}

/* POST /units/{id} (name, kind, tier, updated_at as loaded): 303 back to the unit, or the
 * form again: 422 with the message by the field, 409 when the unit changed meanwhile. */
int web_unit_update(struct req *r, struct resp *p) {
  struct unit_view u;
  int rc = unit_get(&r->ctx, r->ids[0], &u);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  if ((rc = perm_manage_unit(&r->ctx, u.id)) != SVC_OK)
    return web_service_page(r, p, rc);
  struct unit_form f = {.name = req_form(r, "name"),
                        .kind = req_form(r, "kind"),
                        .tier = req_form(r, "tier"),
                        .updated_at = req_form(r, "updated_at")};
  struct unit_input in = {.name = f.name ? f.name : "",
                          .kind = f.kind ? f.kind : "",
                          .tier = f.tier ? f.tier : "",
                          .if_updated_at = f.updated_at ? f.updated_at : ""};
  rc = unit_update(&r->ctx, u.id, &in);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/units/%lld?done=saved", (long long)u.id));
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    f.e_top = "ui_adm_stale";
    if (unit_get(&r->ctx, u.id, &u) != SVC_OK)
      return web_service_page(r, p, SVC_ERROR);
    return unit_page(r, p, 409, &u, &f, NULL);
  }
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  unit_form_error(&f, field, web_take_code(r, "err_invalid"));
  return unit_page(r, p, rc == SVC_CONFLICT ? 409 : 422, &u, &f, NULL);
}

/* ==== accounts ========================================================================= */

struct user_form {
  const char *login, *name, *role, *unit, *language, *disabled, *updated_at, *admin_kind;
  const char *e_login, *e_name, *e_role, *e_unit, *e_language, *e_disabled, *e_top,
      *e_admin_kind;
};

static const char *role_label(const char *role) {
  for (size_t i = 0; i < N_OF(roles); i++)
    if (role && strcmp(role, roles[i].value) == 0)
      return roles[i].label;
  return "ui_role_member";
}

/* An administrator who is not the system one (under --mlps: the security administrator)
 * only disables and enables accounts: its form has that field alone. */
static bool state_only(struct req *r) {
  return r->user->role == ROLE_ADMIN && !perm_is_admin_user(&r->ctx);
}

/* "管理员" and, for an admin account with one, its kind. */
static const char *role_text(struct req *r, const char *role, const char *kind) {
  const char *label = web_t(r, role_label(role));
  if (!kind)
    return label;
  return arena_printf(r->arena, "%s · %s", label,
                      label_of(r, admin_kinds, N_OF(admin_kinds), kind));
}

/* The units an account may be placed in, as a <select>: an admin any unit (and none, for an
 * admin account), a coordinator its side's. */
static void unit_select(struct req *r, struct sb *b, const char *chosen, const char *err) {
  struct unit_view *v = NULL;
  size_t n = 0;
  bool admin = r->user->role == ROLE_ADMIN;
  if (unit_list(&r->ctx, admin ? 0 : r->user->pairing_id, admin ? -1 : r->user->side, &v, &n) !=
      SVC_OK)
    web_take_code(r, NULL);
  html_printf(b, "<p><label for=\"unit\">%h</label>\n<select id=\"unit\" name=\"unit\"",
              web_t(r, "ui_unit"));
  if (err)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"unit-error\"");
  html_printf(b, ">\n");
  if (admin)
    html_printf(b, "<option value=\"\">%h</option>\n", web_t(r, "ui_no_unit"));
  for (size_t i = 0; i < n; i++) {
    const char *id = arena_printf(r->arena, "%lld", (long long)v[i].id);
    html_printf(b, "<option value=\"%h\"%s>%h (%h)</option>\n", id,
                chosen && strcmp(chosen, id) == 0 ? " selected" : "", v[i].name,
                side_name(&v[i]));
  }
  html_printf(b, "</select>\n");
  web_field_error(r, b, err, "unit");
  html_printf(b, "</p>\n");
}

/* The fields both account forms share: name, role, unit, language; on the create form an
 * admin's kind too (not under --mlps, where admin accounts are the command line's). */
static void user_fields(struct req *r, struct sb *b, const struct user_form *f, bool create) {
  text_field(r, b, "name", "ui_name", f->name, USER_NAME_MAX, f->e_name);
  bool admin = r->user->role == ROLE_ADMIN;
  /* under --mlps admin accounts are made on the command line (service/user.h) */
  size_t n_roles = !admin ? 1 : auth_policy.mlps ? N_OF(roles) - 1 : N_OF(roles);
  select_field(r, b, "role", "ui_role", roles, n_roles, f->role, f->e_role);
  if (admin && create && !auth_policy.mlps) /* a kind given later: duikou user set-admin-kind */
    select_field(r, b, "admin_kind", "ui_admin_kind", admin_kinds, N_OF(admin_kinds),
                 f->admin_kind, f->e_admin_kind);
  unit_select(r, b, f->unit, f->e_unit);
  select_field(r, b, "language", "ui_language", languages, N_OF(languages), f->language,
               f->e_language);
}

static void user_form_error(struct user_form *f, const char *field, const char *code) {
  if (field_is(field, "login"))
    f->e_login = code;
  else if (field_is(field, "name"))
    f->e_name = code;
  else if (field_is(field, "role"))
    f->e_role = code;
  else if (field_is(field, "unit_id") || field_is(field, "unit"))
    f->e_unit = code;
  else if (field_is(field, "language"))
    f->e_language = code;
  else if (field_is(field, "disabled"))
    f->e_disabled = code;
  else if (field_is(field, "admin_kind"))
    f->e_admin_kind = code;
  else
    f->e_top = code;
  if (!f->e_top)
    f->e_top = "ui_form_has_errors";
}

static int users_page(struct req *r, struct resp *p, int status, const struct user_form *f) {
  int64_t unit = 0, after = 0;
  const char *e_filter = NULL;
  if (!web_query_id(r, "unit", &unit) || !web_query_id(r, "after", &after))
    e_filter = "err_type";
  struct user_view *v = NULL;
  size_t n = 0;
  int64_t next = 0;
  if (!e_filter) {
    int rc = user_list_page(&r->ctx, unit, after, ADMIN_PAGE, &v, &n, &next);
    if (rc == SVC_FORBIDDEN && unit && r->user->role == ROLE_COORDINATOR) {
      web_take_code(r, NULL); /* another side's unit: the filter is wrong, not the page */
      e_filter = "err_other_side";
    } else if (rc != SVC_OK) {
      return web_service_page(r, p, rc);
    }
  }
  if (e_filter && status < 400)
    status = 422;
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_adm_users"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h</p>\n", web_t(r, "ui_adm_users"),
              web_t(r, r->user->role == ROLE_ADMIN ? "ui_adm_users_intro_admin"
                                                   : "ui_adm_users_intro"));
  web_form_error(r, b, e_filter);
  if (unit && !e_filter)
    html_printf(b, "<p><a href=\"/users\">%h</a></p>\n", web_t(r, "ui_adm_all_accounts"));
  if (n == 0) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_adm_no_users"));
  } else {
    html_printf(b,
                "<table class=\"admin\">\n<thead><tr><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
                web_t(r, "ui_login_name"), web_t(r, "ui_name"), web_t(r, "ui_role"),
                web_t(r, "ui_unit"), web_t(r, "ui_adm_state"));
    for (size_t i = 0; i < n; i++)
      html_printf(b,
                  "<tr><th scope=\"row\"><a href=\"/users/%lld\">%h</a></th><td>%h</td>"
                  "<td>%h</td><td>%h</td><td>%h</td></tr>\n",
                  (long long)v[i].id, v[i].login, v[i].name,
                  role_text(r, v[i].role, v[i].admin_kind),
                  v[i].unit_id ? v[i].unit_name : web_t(r, "ui_no_unit"),
                  web_t(r, v[i].disabled ? "ui_adm_disabled"
                           : v[i].locked ? "ui_adm_locked"
                                         : "ui_adm_active"));
    html_printf(b, "</tbody>\n</table>\n");
  }
  web_pager(r, b, unit ? arena_printf(r->arena, "/users?unit=%lld", (long long)unit) : "/users",
            after, next != 0, next);
  if (state_only(r)) /* makes no accounts */
    return web_end(r, p);
  html_printf(b, "<section class=\"admin-form\">\n<h2>%h</h2>\n", web_t(r, "ui_adm_user_new"));
  web_form_error(r, b, f->e_top);
  html_printf(b, "<p class=\"meta\">%h</p>\n<form method=\"post\" action=\"/users\">\n",
              web_t(r, "ui_adm_password_note"));
  web_csrf_field(r, b);
  text_field(r, b, "login", "ui_login_name", f->login, LOGIN_MAX, f->e_login);
  user_fields(r, b, f, true);
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_adm_create"));
  return web_end(r, p);
}

int web_users(struct req *r, struct resp *p) {
  struct user_form f = {.role = "member", .language = "zh-Hans", .unit = req_query(r, "unit")};
  return users_page(r, p, 200, &f);
}

/* The one page that shows a generated password: the answer to the POST that made it, never
 * stored, never cached. */
static int password_page(struct req *r, struct resp *p, int64_t id, const char *login,
                         const char *password) {
  resp_header(r, p, "Cache-Control", "no-store");
  struct sb *b = &p->body;
  p->status = 201;
  web_begin(r, p, web_t(r, "ui_adm_user_created"));
  html_printf(b,
              "<h1>%h</h1>\n<p class=\"notice\" role=\"status\">%h <strong>%h</strong></p>\n"
              "<p>%h</p>\n<p class=\"password-once\"><code id=\"new-password\">%h</code></p>\n"
              "<p><a href=\"/users/%lld\">%h</a> · <a href=\"/users\">%h</a></p>\n",
              web_t(r, "ui_adm_user_created"), web_t(r, "ui_adm_user_created_login"), login,
              web_t(r, "ui_adm_password_once"), password, (long long)id,
              web_t(r, "ui_adm_open_account"), web_t(r, "ui_adm_users"));
  return web_end(r, p);
}

/* A form's unit field: *out the id, 0 when empty; false when it is not an id. */
static bool form_unit(const char *s, int64_t *out) {
  long long v = 0;
  *out = 0;
  if (!s || !*s)
    return true;
  if (!web_parse_int(s, &v) || v <= 0)
    return false;
  *out = v;
  return true;
}

/* POST /users (login, name, role, unit, language): the generated password, once; or the list
 * again with the form and its messages. */
int web_user_create(struct req *r, struct resp *p) {
  struct user_form f = {.login = req_form(r, "login"),
                        .name = req_form(r, "name"),
                        .role = req_form(r, "role"),
                        .unit = req_form(r, "unit"),
                        .language = req_form(r, "language"),
                        .admin_kind = req_form(r, "admin_kind")};
  struct user_input in = {.login = f.login ? f.login : "",
                          .name = f.name && *f.name ? f.name : NULL,
                          .role = f.role ? f.role : "",
                          .admin_kind = f.admin_kind && *f.admin_kind ? f.admin_kind : NULL,
                          .language = f.language && *f.language ? f.language : NULL};
  if (!form_unit(f.unit, &in.unit_id)) {
    user_form_error(&f, "unit", "err_type");
    return users_page(r, p, 422, &f);
  }
  in.password = user_generate_password(&r->ctx);
  int64_t id = 0;
  int rc = user_create(&r->ctx, &in, &id);
  if (rc == SVC_OK) {
    struct user_view u;
    if (user_get(&r->ctx, id, &u) != SVC_OK)
      return web_service_page(r, p, SVC_ERROR);
    return password_page(r, p, id, u.login, in.password);
  }
  if (rc == SVC_FORBIDDEN && field_is(r->ctx.field, "unit_id")) {
    user_form_error(&f, "unit", web_take_code(r, "err_other_side"));
    return users_page(r, p, 403, &f);
  }
  if (rc == SVC_FORBIDDEN && r->ctx.field) { /* e.g. an admin account under --mlps */
    const char *field = r->ctx.field;
    user_form_error(&f, field, web_take_code(r, "err_forbidden"));
    return users_page(r, p, 403, &f);
  }
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  user_form_error(&f, field, web_take_code(r, "err_invalid"));
  return users_page(r, p, rc == SVC_CONFLICT ? 409 : 422, &f);
}

/* The security administrator's care of an account (三员分立; without --mlps any admin's):
 * unlock it, and see and end its sessions (service/user.h). Nothing for anyone else. */
static void care_section(struct req *r, struct sb *b, const struct user_view *u) {
  struct session_view *sv;
  size_t n;
  int rc = user_sessions(&r->ctx, u->id, &sv, &n);
  web_take_code(r, NULL);
  if (rc != SVC_OK)
    return;
  html_printf(b, "<section class=\"admin-form\" id=\"care\">\n<h2>%h</h2>\n"
                 "<form method=\"post\" action=\"/users/%lld/unlock\">\n",
              web_t(r, "ui_adm_care"), (long long)u->id);
  web_csrf_field(r, b);
  html_printf(b, "<p class=\"meta\">%h</p>\n<p><button type=\"submit\">%h</button></p>\n"
                 "</form>\n<h3>%h</h3>\n",
              web_t(r, "ui_adm_unlock_help"), web_t(r, "ui_adm_unlock"), web_t(r, "ui_sessions"));
  if (n == 0) {
    html_printf(b, "<p>%h</p>\n</section>\n", web_t(r, "ui_adm_no_sessions"));
    return;
  }
  html_printf(b, "<table>\n<thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                 "<th scope=\"col\">%h</th><th scope=\"col\"></th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_session_created"), web_t(r, "ui_session_last_seen"),
              web_t(r, "ui_session_address"));
  for (size_t i = 0; i < n; i++) {
    html_printf(b, "<tr><td>%h</td><td>%h</td><td>%h</td><td>"
                   "<form method=\"post\" action=\"/users/%lld/sessions/revoke\">",
                web_time(r, sv[i].created_at), web_time(r, sv[i].last_seen_at),
                sv[i].client ? sv[i].client : "", (long long)u->id);
    web_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"session_id\" value=\"%lld\">"
                   "<button type=\"submit\">%h</button></form></td></tr>\n",
                (long long)sv[i].id, web_t(r, "ui_adm_end_session"));
  }
  html_printf(b, "</tbody>\n</table>\n<form method=\"post\" "
                 "action=\"/users/%lld/sessions/revoke\">\n",
              (long long)u->id);
  web_csrf_field(r, b);
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_adm_end_sessions"));
}

static int user_page(struct req *r, struct resp *p, int status, const struct user_view *u,
                     const struct user_form *f, const char *notice_id) {
  bool manage = user_may_manage(&r->ctx, u->id) == SVC_OK;
  web_take_code(r, NULL);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, u->login);
  html_printf(b, "<p><a href=\"/users\">%h</a></p>\n<h1>%h</h1>\n", web_t(r, "ui_adm_users"),
              u->login);
  notice(r, b, notice_id);
  html_printf(b,
              "<dl class=\"facts\">\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n</dl>\n",
              web_t(r, "ui_name"), u->name, web_t(r, "ui_role"),
              role_text(r, u->role, u->admin_kind),
              web_t(r, "ui_unit"), u->unit_id ? u->unit_name : web_t(r, "ui_no_unit"),
              web_t(r, "ui_language"), label_of(r, languages, N_OF(languages), u->language),
              web_t(r, "ui_adm_state"),
              web_t(r, u->disabled ? "ui_adm_disabled"
                       : u->locked ? "ui_adm_locked"
                                   : "ui_adm_active"));
  care_section(r, b, u);
  if (!manage)
    return web_end(r, p);
  html_printf(b, "<section class=\"admin-form\">\n<h2>%h</h2>\n", web_t(r, "ui_adm_edit"));
  web_form_error(r, b, f->e_top);
  if (status == 409 && !f->e_disabled)
    html_printf(b, "<p class=\"meta\">%h %h · %h · %h</p>\n", web_t(r, "ui_adm_saved_now"),
                u->name, web_t(r, role_label(u->role)),
                u->unit_id ? u->unit_name : web_t(r, "ui_no_unit"));
  html_printf(b, "<form method=\"post\" action=\"/users/%lld\">\n", (long long)u->id);
  web_csrf_field(r, b);
  html_printf(b, "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n", u->updated_at);
  if (!state_only(r))
    user_fields(r, b, f, false);
  bool off = f->disabled && strcmp(f->disabled, "1") == 0;
  html_printf(b,
              "<p><label class=\"choice\"><input type=\"checkbox\" id=\"disabled\" "
              "name=\"disabled\" value=\"1\"%s%s> %h</label>\n",
              off ? " checked" : "",
              f->e_disabled ? " aria-invalid=\"true\" aria-describedby=\"disabled-error\"" : "",
              web_t(r, "ui_adm_disable"));
  web_field_error(r, b, f->e_disabled, "disabled");
  html_printf(b, "</p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_save"));
  return web_end(r, p);
}

static void user_form_from(struct req *r, struct user_form *f, const struct user_view *u) {
  f->name = u->name;
  f->role = u->role;
  f->unit = u->unit_id ? arena_printf(r->arena, "%lld", (long long)u->unit_id) : "";
  f->language = u->language;
  f->disabled = u->disabled ? "1" : NULL;
}

int web_user(struct req *r, struct resp *p) {
  struct user_view u;
  int rc = user_get(&r->ctx, r->ids[0], &u);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct user_form f = {0};
  user_form_from(r, &f, &u);
  const char *done = req_query(r, "done");
  const char *said = !done                             ? NULL
                     : strcmp(done, "saved") == 0      ? "ui_adm_saved"
                     : strcmp(done, "unlocked") == 0   ? "ui_adm_unlocked"
                     : strcmp(done, "not_locked") == 0 ? "ui_adm_not_locked"
                     : strcmp(done, "ended") == 0      ? "ui_adm_sessions_ended"
                                                       : NULL;
  return user_page(r, p, 200, &u, &f, said);
}

/* POST /users/{id}/unlock: 303 back, saying whether there was a lock to clear. */
int web_user_unlock(struct req *r, struct resp *p) {
  bool cleared;
  int rc = user_unlock(&r->ctx, r->ids[0], &cleared);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, arena_printf(r->arena, "/users/%lld?done=%s#care",
                                         (long long)r->ids[0],
                                         cleared ? "unlocked" : "not_locked"));
}

/* POST /users/{id}/sessions/revoke (session_id: that one; none: all): 303 back. */
int web_user_sessions_revoke(struct req *r, struct resp *p) {
  const char *sid = req_form(r, "session_id");
  long long id = 0;
  if (sid && *sid && (!web_parse_int(sid, &id) || id <= 0))
    return web_error(r, p, 422, "ui_error_title", "err_type");
  int rc = user_end_sessions(&r->ctx, r->ids[0], id, NULL);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, arena_printf(r->arena, "/users/%lld?done=ended#care",
                                         (long long)r->ids[0]));
}

/* POST /users/{id} (name, role, unit, language, disabled, updated_at as loaded): 303 back,
 * or the form again with the messages (409 when the account changed meanwhile). Fields and
 * the disabled flag are written together, in one transaction with the revision check. */
int web_user_update(struct req *r, struct resp *p) {
  struct user_view u;
  int rc = user_get(&r->ctx, r->ids[0], &u);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  if ((rc = user_may_manage(&r->ctx, u.id)) != SVC_OK)
    return web_service_page(r, p, rc);
  struct user_form f = {.name = req_form(r, "name"),
                        .role = req_form(r, "role"),
                        .unit = req_form(r, "unit"),
                        .language = req_form(r, "language"),
                        .disabled = req_form(r, "disabled"),
                        .updated_at = req_form(r, "updated_at")};
  bool disable = f.disabled && strcmp(f.disabled, "1") == 0;
  struct user_input in = {.name = f.name ? f.name : "",
                          .role = f.role && *f.role ? f.role : NULL,
                          .language = f.language && *f.language ? f.language : NULL,
                          .if_updated_at = f.updated_at ? f.updated_at : "",
                          .disable = disable ? 1 : -1};
  if (state_only(r)) /* its form has the disabled flag alone */
    in = (struct user_input){.if_updated_at = in.if_updated_at, .disable = in.disable};
  if (!form_unit(f.unit, &in.unit_id)) {
    user_form_error(&f, "unit", "err_type");
    return user_page(r, p, 422, &u, &f, NULL);
  }
  rc = user_update(&r->ctx, u.id, &in);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/users/%lld?done=saved", (long long)u.id));
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    f.e_top = "ui_adm_stale";
    if (user_get(&r->ctx, u.id, &u) != SVC_OK)
      return web_service_page(r, p, SVC_ERROR);
    return user_page(r, p, 409, &u, &f, NULL);
  }
  if (rc == SVC_FORBIDDEN && r->ctx.field) {
    const char *field = r->ctx.field;
    user_form_error(&f, field, web_take_code(r, "err_forbidden"));
    return user_page(r, p, 403, &u, &f, NULL);
  }
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  user_form_error(&f, field, web_take_code(r, "err_invalid"));
  return user_page(r, p, rc == SVC_CONFLICT ? 409 : 422, &u, &f, NULL);
}
