/* event: the pages of 活动 (service/event.h).
 *   /events                  a pairing's upcoming and past events (by year, kind, theme), the
 *                            rotation of docking events (遼寧行 / 江蘇行), the year's theme
 *                            industries with the plan's warning, and the create form.
 *   /events/{id}             facts, the enterprise target against registrations and check-ins,
 *                            registrations with the waiting list and their QR codes, the
 *                            register form, minutes and their files, outcomes (and each one's
 *                            way to a project), the edit form for the organisers.
 *   /events/{id}/checkin     the organiser's door page, made for a phone: a registration's
 *                            number (which its QR code carries) checks it in; a walk-in form.
 *   /events/{id}/registrations/{rid}/qr.svg   a registration's QR code.
 * The portal's block of public upcoming events is here too (web_event_portal_block).
 * Every rule is the service's; a refused form comes back with the input kept, the message by
 * the field and a summary at the top linking to the fields. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/money.h"
#include "core/qr.h"
#include "ingest/gazetteer.h"
#include "service/attachment.h"
#include "service/enterprise.h"
#include "service/event.h"
#include "service/industry.h"
#include "service/pairing.h"
#include "service/plan.h"
#include "service/user.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/web.h"

enum {
  FORM_THEME_ROWS = 3,  /* theme selects on the form (the plan asks for 1–2 a year) */
  PORTAL_EVENTS = 10,   /* public upcoming events on the portal */
  ROTATION_SHOWN = 5,   /* previous docking events in the rotation box */
};

/* ==== small pieces ====================================================================== */

static const char *kind_label(const char *kind) {
  static const char *const labels[EVENT_KIND_N] = {
      "ui_evt_kind_consultation", "ui_evt_kind_joint_meeting", "ui_evt_kind_docking",
      "ui_evt_kind_forum",        "ui_evt_kind_exhibition",    "ui_evt_kind_training"};
  enum event_kind k = event_kind_from(kind);
  return k < EVENT_KIND_N ? labels[k] : "ui_evt_kind_forum";
}

static const char *status_label(const char *status) {
  if (status && strcmp(status, "waiting") == 0)
    return "ui_evt_status_waiting";
  if (status && strcmp(status, "withdrawn") == 0)
    return "ui_evt_status_withdrawn";
  return "ui_evt_status_registered";
}

static void option(struct sb *b, const char *value, const char *chosen, const char *label) {
  html_printf(b, "<option value=\"%h\"%s>%h</option>\n", value,
              chosen && strcmp(chosen, value) == 0 ? " selected" : "", label);
}

static const char *id_text(struct req *r, int64_t id) {
  return arena_printf(r->arena, "%lld", (long long)id);
}

static const char *side_name(const struct event_view *v, int side) {
  return side ? v->name_b : v->name_a;
}

static const char *wan(struct req *r, int64_t yuan) {
  return money_format_wan_grouped(r->arena, yuan);
}

/* "HH:MM" of a typed time YYYY-MM-DDTHH:MM. */
static const char *clock_of(struct req *r, const char *t) {
  return t && strlen(t) >= 16 ? arena_strndup(r->arena, t + 11, 5) : "";
}

/* When an event is: its first day and time, and its end (the time alone on the same day). */
static const char *when_text(struct req *r, const char *starts, const char *ends) {
  bool same_day = starts && ends && strncmp(starts, ends, 10) == 0;
  if (same_day)
    return arena_printf(r->arena, "%s %s–%s", web_date(r, starts), clock_of(r, starts),
                        clock_of(r, ends));
  return arena_printf(r->arena, "%s %s — %s %s", web_date(r, starts), clock_of(r, starts),
                      web_date(r, ends), clock_of(r, ends));
}

/* The host in words: the side, and the city when there is one. */
static const char *host_text(struct req *r, const struct event_view *v) {
  if (v->host_region_name)
    return arena_printf(r->arena, "%s · %s", side_name(v, v->host_side), v->host_region_name);
  return side_name(v, v->host_side);
}

/* The scheme and host this request came to, for the absolute address a QR code carries. A
 * server behind TLS names its session cookie __Host-… (http.h), the one sign of it a page
 * can read. */
static const char *origin_of(struct req *r) {
  const char *host = req_header(r, "Host");
  const char *scheme =
      strncmp(http_session_cookie_name(), "__Host-", 7) == 0 ? "https" : "http";
  return arena_printf(r->arena, "%s://%s", scheme, host ? host : "localhost");
}

static const char *qr_address(struct req *r, int64_t event_id, int64_t number) {
  return arena_printf(r->arena, "%s%s", origin_of(r),
                      registration_qr_text(&r->ctx, event_id, number));
}

/* Whether the caller may register (and withdraw) for that side: the organisers anyone, a
 * coordinator or member of the pairing its own side (the service has the last word). */
static bool may_register_side(struct req *r, const struct event_view *v, bool organiser,
                              int side) {
  const struct user *u = r->user;
  if (organiser || u->role == ROLE_ADMIN)
    return true;
  return u->pairing_id == v->pairing_id && u->side == side &&
         (u->role == ROLE_COORDINATOR || u->role == ROLE_MEMBER);
}

/* The parties one may register or walk in, as <option value="enterprise:ID|unit:ID">: the
 * organisers every unit and enterprise of the pairing, a coordinator its side's, a member its
 * own unit and its side's enterprises. chosen: the value to select. */
static void party_options(struct req *r, struct sb *b, const struct event_view *v,
                          bool organiser, const char *chosen) {
  const struct user *u = r->user;
  bool all = organiser || u->role == ROLE_ADMIN;
  for (int side = 0; side < 2; side++) {
    if (!all && u->side != side)
      continue;
    struct unit_view *units;
    size_t nu = 0;
    if (unit_list(&r->ctx, v->pairing_id, side, &units, &nu) != SVC_OK)
      nu = 0;
    web_take_code(r, NULL);
    struct enterprise_filter f = {.pairing_id = v->pairing_id, .side = side};
    struct enterprise_view *ents;
    size_t ne = 0;
    int64_t next;
    if (enterprise_list(&r->ctx, &f, 0, ENTERPRISE_PAGE_MAX, &ents, &ne, &next) != SVC_OK)
      ne = 0;
    web_take_code(r, NULL);
    html_printf(b, "<optgroup label=\"%h · %h\">\n", side_name(v, side),
                web_t(r, "ui_evt_enterprises"));
    for (size_t i = 0; i < ne; i++)
      option(b, arena_printf(r->arena, "enterprise:%lld", (long long)ents[i].id), chosen,
             ents[i].credit_code
                 ? arena_printf(r->arena, "%s（%s）", ents[i].name, ents[i].credit_code)
                 : ents[i].name);
    html_printf(b, "</optgroup>\n<optgroup label=\"%h · %h\">\n", side_name(v, side),
                web_t(r, "ui_evt_units"));
    for (size_t i = 0; i < nu; i++)
      if (all || u->role == ROLE_COORDINATOR || units[i].id == u->unit_id)
        option(b, arena_printf(r->arena, "unit:%lld", (long long)units[i].id), chosen,
               units[i].name);
    html_printf(b, "</optgroup>\n");
  }
}

/* "enterprise:12" or "unit:3" (or the fields enterprise= / unit= on their own) into ids;
 * false when neither names a positive id. */
static bool read_party(struct req *r, int64_t *enterprise, int64_t *unit) {
  *enterprise = *unit = 0;
  long long v;
  const char *p = req_form(r, "party");
  if (p && strncmp(p, "enterprise:", 11) == 0 && web_parse_int(p + 11, &v) && v > 0)
    return (*enterprise = v), true;
  if (p && strncmp(p, "unit:", 5) == 0 && web_parse_int(p + 5, &v) && v > 0)
    return (*unit = v), true;
  const char *e = req_form(r, "enterprise"), *u = req_form(r, "unit");
  if (e && web_parse_int(e, &v) && v > 0)
    return (*enterprise = v), true;
  if (u && web_parse_int(u, &v) && v > 0)
    return (*unit = v), true;
  return false;
}

/* ==== the create and edit form ========================================================== */

struct event_form {
  const char *pairing, *kind, *title, *host_side, *host_region, *starts, *ends, *place,
      *capacity, *agenda, *task, *target, *state, *updated_at;
  bool is_public;
  const char *themes[FORM_THEME_ROWS];
  const char **units, **cities;
  size_t n_units, n_cities;
  /* message ids by field, and above the form */
  const char *e_kind, *e_title, *e_host_side, *e_host_region, *e_starts, *e_ends, *e_place,
      *e_capacity, *e_agenda, *e_task, *e_target, *e_state, *e_themes, *e_units, *e_cities,
      *e_pairing, *e_top;
};

/* The service's field names, where their messages go, the input they belong to and its
 * label (for the summary's links). */
static const struct {
  const char *field;
  size_t offset;
  const char *input, *label;
} form_fields[] = {
    {"kind", offsetof(struct event_form, e_kind), "kind", "ui_evt_kind"},
    {"title", offsetof(struct event_form, e_title), "title", "ui_evt_title_field"},
    {"host_side", offsetof(struct event_form, e_host_side), "host_side", "ui_evt_host_side"},
    {"host_region_code", offsetof(struct event_form, e_host_region), "host_region",
     "ui_evt_host_city"},
    {"starts", offsetof(struct event_form, e_starts), "starts", "ui_evt_starts"},
    {"ends", offsetof(struct event_form, e_ends), "ends", "ui_evt_ends"},
    {"place", offsetof(struct event_form, e_place), "place", "ui_evt_place"},
    {"capacity", offsetof(struct event_form, e_capacity), "capacity", "ui_evt_capacity"},
    {"target_enterprises", offsetof(struct event_form, e_target), "target", "ui_evt_target"},
    {"agenda", offsetof(struct event_form, e_agenda), "agenda", "ui_evt_agenda"},
    {"task_id", offsetof(struct event_form, e_task), "task", "ui_evt_task"},
    {"state", offsetof(struct event_form, e_state), "state", "ui_evt_state"},
    {"themes", offsetof(struct event_form, e_themes), "theme1", "ui_evt_themes"},
    {"theme", offsetof(struct event_form, e_themes), "theme1", "ui_evt_themes"},
    {"unit_ids", offsetof(struct event_form, e_units), "units", "ui_evt_organisers"},
    {"city_pairing_ids", offsetof(struct event_form, e_cities), "cities", "ui_evt_cities"},
    {"pairing_id", offsetof(struct event_form, e_pairing), "kind", "ui_prj_pairing"},
};
enum { N_FORM_FIELDS = sizeof form_fields / sizeof *form_fields };

static const char **form_error_slot(struct event_form *f, size_t i) {
  return (const char **)((char *)f + form_fields[i].offset);
}

static void form_error(struct event_form *f, const char *field, const char *code) {
  f->e_top = "ui_form_has_errors";
  for (size_t i = 0; field && i < N_FORM_FIELDS; i++)
    if (strcmp(field, form_fields[i].field) == 0) {
      *form_error_slot(f, i) = code;
      return;
    }
  f->e_top = code;
}

/* Above a refused form: what is wrong; web_end lists every field's message at the top. */
static void error_summary(struct req *r, struct sb *b, struct event_form *f) {
  web_form_error(r, b, f->e_top);
}

enum input_kind { IN_LINE, IN_DATETIME, IN_COUNT };

static void text_input(struct req *r, struct sb *b, const char *id, const char *label,
                       const char *value, const char *err, enum input_kind kind, bool required) {
  html_printf(b, "<p><label for=\"%h\">%h</label>\n<input id=\"%h\" name=\"%h\" ", id,
              web_t(r, label), id, id);
  switch (kind) {
  case IN_DATETIME:
    html_printf(b, "type=\"datetime-local\"");
    break;
  case IN_COUNT:
    html_printf(b, "type=\"number\" min=\"0\" max=\"%d\" inputmode=\"numeric\"",
                EVENT_CAPACITY_MAX);
    break;
  default:
    html_printf(b, "type=\"text\" maxlength=\"%d\"", EVENT_PLACE_MAX);
  }
  html_printf(b, " value=\"%h\"%s", value ? value : "", required ? " required" : "");
  web_describe(b, id, err);
  html_printf(b, ">\n");
  web_field_error(r, b, err, id);
  html_printf(b, "</p>\n");
}

static bool chosen_in(const char *const *list, size_t n, int64_t id) {
  for (size_t i = 0; i < n; i++) {
    long long v;
    if (web_parse_int(list[i], &v) && v == id)
      return true;
  }
  return false;
}

/* The industries as a <select>: sections as groups, each with itself and its divisions (as
 * the project form offers them). */
static void industry_select(struct req *r, struct sb *b, const char *id, const char *name,
                            const char *chosen, const char *none_label, const char *err) {
  html_printf(b, "<select id=\"%h\" name=\"%h\"", id, name);
  web_describe(b, id, err);
  html_printf(b, ">\n");
  option(b, "", chosen ? chosen : "", none_label);
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

/* The fields of the create and edit forms, for the pairing pv. */
static void form_fields_html(struct req *r, struct sb *b, const struct event_form *f,
                             const struct pairing_view *pv, bool edit) {
  html_printf(b, "<p><label for=\"kind\">%h</label>\n<select id=\"kind\" name=\"kind\"",
              web_t(r, "ui_evt_kind"));
  web_describe(b, "kind", f->e_kind);
  html_printf(b, ">\n");
  for (int k = 0; k < EVENT_KIND_N; k++)
    option(b, event_kind_name((enum event_kind)k), f->kind,
           web_t(r, kind_label(event_kind_name((enum event_kind)k))));
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_kind, "kind");
  html_printf(b, "</p>\n<p><label for=\"title\">%h</label>\n<input id=\"title\" name=\"title\" "
                 "type=\"text\" required maxlength=\"%d\" value=\"%h\"",
              web_t(r, "ui_evt_title_field"), EVENT_TITLE_MAX, f->title ? f->title : "");
  web_describe(b, "title", f->e_title);
  html_printf(b, ">\n");
  web_field_error(r, b, f->e_title, "title");
  /* host side and city */
  html_printf(b, "</p>\n<p><label for=\"host_side\">%h</label>\n<select id=\"host_side\" "
                 "name=\"host_side\"",
              web_t(r, "ui_evt_host_side"));
  web_describe(b, "host_side", f->e_host_side);
  html_printf(b, ">\n");
  option(b, "0", f->host_side ? f->host_side : "0", pv->name_a);
  option(b, "1", f->host_side, pv->name_b);
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_host_side, "host_side");
  html_printf(b, "</p>\n<p><label for=\"host_region\">%h</label>\n<select id=\"host_region\" "
                 "name=\"host_region\"",
              web_t(r, "ui_evt_host_city"));
  web_describe(b, "host_region", f->e_host_region);
  html_printf(b, ">\n");
  option(b, "", f->host_region ? f->host_region : "", web_t(r, "ui_prj_none_short"));
  for (int side = 0; side < 2; side++) {
    html_printf(b, "<optgroup label=\"%h\">\n", side ? pv->name_b : pv->name_a);
    for (size_t i = 0; i < pv->n_children; i++) {
      const struct pairing_view *ch = &pv->children[i];
      const char *code = side ? ch->code_b : ch->code_a, *name = side ? ch->name_b : ch->name_a;
      bool dup = false; /* a city paired twice is offered once */
      for (size_t k = 0; k < i && code; k++) {
        const char *prev = side ? pv->children[k].code_b : pv->children[k].code_a;
        dup = dup || (prev && strcmp(prev, code) == 0);
      }
      if (code && *code && !dup)
        option(b, code, f->host_region, name);
    }
    /* then the side's other cities: the plan's docking events also go to cities that have no
     * pairing of their own (沈阳, 大连 …) */
    const struct gazetteer *g = gazetteer_get();
    const struct region *province = region_by_code(g, side ? pv->code_b : pv->code_a);
    for (size_t i = 0; province && i < gazetteer_count(g); i++) {
      const struct region *reg = gazetteer_at(g, i);
      if (reg->level != REGION_CITY || reg->province != province)
        continue;
      bool paired = false;
      for (size_t k = 0; k < pv->n_children && !paired; k++) {
        const char *code = side ? pv->children[k].code_b : pv->children[k].code_a;
        paired = code && strcmp(code, reg->code) == 0;
      }
      if (!paired)
        option(b, reg->code, f->host_region, reg->name);
    }
    html_printf(b, "</optgroup>\n");
  }
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_host_region, "host_region");
  html_printf(b, "</p>\n");
  text_input(r, b, "starts", "ui_evt_starts", f->starts, f->e_starts, IN_DATETIME, true);
  text_input(r, b, "ends", "ui_evt_ends", f->ends, f->e_ends, IN_DATETIME, true);
  html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_evt_china_time"));
  text_input(r, b, "place", "ui_evt_place", f->place, f->e_place, IN_LINE, false);
  text_input(r, b, "capacity", "ui_evt_capacity", f->capacity, f->e_capacity, IN_COUNT, false);
  html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_evt_capacity_hint"));
  /* the task it serves, of the pairing's current plan */
  struct plan_view plan;
  bool have_plan = pv->plan_id && plan_get(&r->ctx, pv->plan_id, &plan) == SVC_OK;
  web_take_code(r, NULL);
  html_printf(b, "<p><label for=\"task\">%h</label>\n<select id=\"task\" name=\"task\"",
              web_t(r, "ui_evt_task"));
  web_describe(b, "task", f->e_task);
  html_printf(b, ">\n");
  option(b, "", f->task ? f->task : "", web_t(r, "ui_prj_none_short"));
  for (size_t i = 0; have_plan && i < plan.n_tasks; i++)
    option(b, id_text(r, plan.tasks[i].id), f->task,
           arena_printf(r->arena, "%d. %s", plan.tasks[i].number, plan.tasks[i].title));
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_task, "task");
  html_printf(b, "</p>\n");
  text_input(r, b, "target", "ui_evt_target", f->target, f->e_target, IN_COUNT, false);
  html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_evt_target_hint"));
  html_printf(b, "<p><label for=\"agenda\">%h</label>\n<textarea id=\"agenda\" name=\"agenda\" "
                 "rows=\"4\" maxlength=\"%d\"",
              web_t(r, "ui_evt_agenda"), EVENT_AGENDA_MAX);
  web_describe(b, "agenda", f->e_agenda);
  html_printf(b, ">%h</textarea>\n", f->agenda ? f->agenda : "");
  web_field_error(r, b, f->e_agenda, "agenda");
  html_printf(b, "</p>\n<p><label><input type=\"checkbox\" name=\"public\" value=\"1\"%s> %h"
                 "</label></p>\n",
              f->is_public ? " checked" : "", web_t(r, "ui_evt_public_field"));
  if (edit) {
    html_printf(b, "<p><label for=\"state\">%h</label>\n<select id=\"state\" name=\"state\"",
                web_t(r, "ui_evt_state"));
    web_describe(b, "state", f->e_state);
    html_printf(b, ">\n");
    option(b, "planned", f->state ? f->state : "planned", web_t(r, "ui_evt_state_planned"));
    option(b, "cancelled", f->state, web_t(r, "ui_evt_state_cancelled"));
    html_printf(b, "</select>\n");
    web_field_error(r, b, f->e_state, "state");
    html_printf(b, "</p>\n");
  }
  /* themes: a few industry selects */
  html_printf(b, "<fieldset id=\"themes\">\n<legend>%h</legend>\n<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_evt_themes"), web_t(r, "ui_evt_themes_hint"));
  for (int i = 0; i < FORM_THEME_ROWS; i++) {
    const char *id = arena_printf(r->arena, "theme%d", i + 1);
    html_printf(b, "<p><label for=\"%h\">%h %d</label>\n", id, web_t(r, "ui_evt_theme"), i + 1);
    industry_select(r, b, id, "theme", f->themes[i], web_t(r, "ui_prj_none_short"),
                    i == 0 ? f->e_themes : NULL);
    if (i == 0)
      web_field_error(r, b, f->e_themes, id);
    html_printf(b, "</p>\n");
  }
  html_printf(b, "</fieldset>\n<input type=\"hidden\" name=\"lists_shown\" value=\"1\">\n");
  /* organising units of both sides, as checkboxes */
  struct unit_view *units;
  size_t nu = 0;
  if (unit_list(&r->ctx, pv->id, -1, &units, &nu) != SVC_OK)
    nu = 0;
  web_take_code(r, NULL);
  html_printf(b, "<fieldset id=\"units\" tabindex=\"-1\"");
  web_describe(b, "units", f->e_units);
  html_printf(b, ">\n<legend>%h</legend>\n", web_t(r, "ui_evt_organisers"));
  web_field_error(r, b, f->e_units, "units");
  for (size_t i = 0; i < nu; i++)
    html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"unit\" "
                   "value=\"%lld\"%s> %h · %h</label>\n",
                (long long)units[i].id, chosen_in(f->units, f->n_units, units[i].id) ? " checked" : "",
                units[i].side ? pv->name_b : pv->name_a, units[i].name);
  html_printf(b, "</fieldset>\n");
  /* city pairings */
  html_printf(b, "<fieldset id=\"cities\" tabindex=\"-1\"");
  web_describe(b, "cities", f->e_cities);
  html_printf(b, ">\n<legend>%h</legend>\n", web_t(r, "ui_evt_cities"));
  web_field_error(r, b, f->e_cities, "cities");
  for (size_t i = 0; i < pv->n_children; i++)
    html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"city\" "
                   "value=\"%lld\"%s> %h — %h</label>\n",
                (long long)pv->children[i].id,
                chosen_in(f->cities, f->n_cities, pv->children[i].id) ? " checked" : "",
                pv->children[i].name_a, pv->children[i].name_b);
  html_printf(b, "</fieldset>\n");
}

static void read_form(struct req *r, struct event_form *f) {
  memset(f, 0, sizeof *f);
  f->pairing = req_form(r, "pairing");
  f->kind = req_form(r, "kind");
  f->title = req_form(r, "title");
  f->host_side = req_form(r, "host_side");
  f->host_region = req_form(r, "host_region");
  f->starts = req_form(r, "starts");
  f->ends = req_form(r, "ends");
  f->place = req_form(r, "place");
  f->capacity = req_form(r, "capacity");
  f->agenda = req_form(r, "agenda");
  f->task = req_form(r, "task");
  f->target = req_form(r, "target");
  f->state = req_form(r, "state");
  f->updated_at = req_form(r, "updated_at");
  const char *pub = req_form(r, "public");
  f->is_public = pub && strcmp(pub, "1") == 0;
  size_t cap_u = 0, cap_c = 0;
  int nt = 0;
  for (size_t i = 0; i < r->n_form; i++) {
    const char *name = r->form[i].name, *value = r->form[i].value;
    if (strcmp(name, "theme") == 0 && nt < FORM_THEME_ROWS && *value)
      f->themes[nt++] = value;
    else if (strcmp(name, "unit") == 0)
      *(const char **)ARRAY_PUSH(r->arena, f->units, f->n_units, cap_u) = value;
    else if (strcmp(name, "city") == 0)
      *(const char **)ARRAY_PUSH(r->arena, f->cities, f->n_cities, cap_c) = value;
  }
}

/* The ids of a list of the form; false (message in f, by field) when one is not a number. */
static bool ids_of(struct req *r, struct event_form *f, const char *const *list, size_t n,
                   const char *field, const char *code, const int64_t **out) {
  int64_t *ids = arena_alloc(r->arena, (n + 1) * sizeof *ids);
  for (size_t i = 0; i < n; i++) {
    long long v;
    if (!web_parse_int(list[i], &v) || v < 1) {
      form_error(f, field, code);
      return false;
    }
    ids[i] = v;
  }
  *out = ids;
  return true;
}

/* An optional whole number of the form into *out (blank: blank_value); false (message in f)
 * when it is not one. */
static bool count_of(struct event_form *f, const char *s, const char *field, int64_t blank_value,
                     int64_t *out) {
  long long v;
  if (!s || !*s) {
    *out = blank_value;
    return true;
  }
  if (!web_parse_int(s, &v) || v < 0) {
    form_error(f, field, "err_range");
    return false;
  }
  *out = v;
  return true;
}

/* The form as a service input; false (message in f) when a field cannot be read. */
static bool to_input(struct req *r, struct event_form *f, bool edit, struct event_input *in) {
  memset(in, 0, sizeof *in);
  in->kind = f->kind ? f->kind : edit ? NULL : "";
  in->title = f->title ? f->title : edit ? NULL : "";
  in->host_side = -1;
  if (f->host_side) {
    if (strcmp(f->host_side, "0") != 0 && strcmp(f->host_side, "1") != 0) {
      form_error(f, "host_side", "err_side");
      return false;
    }
    in->host_side = f->host_side[0] - '0';
  } else if (!edit)
    in->host_side = 0;
  in->host_region_code = f->host_region ? f->host_region : edit ? NULL : "";
  in->starts = f->starts ? f->starts : edit ? NULL : "";
  in->ends = f->ends ? f->ends : edit ? NULL : "";
  in->place = f->place;
  in->agenda = f->agenda;
  in->state = edit ? f->state : NULL;
  in->is_public = f->is_public ? 1 : 0;
  in->capacity = -1;
  if (f->capacity && !count_of(f, f->capacity, "capacity", 0, &in->capacity))
    return false;
  in->task_id = -1;
  long long v;
  if (f->task && !*f->task)
    in->task_id = 0;
  else if (f->task) {
    if (!web_parse_int(f->task, &v) || v < 1) {
      form_error(f, "task_id", "err_task_unknown");
      return false;
    }
    in->task_id = v;
  }
  /* blank: on a new event the task's target, on an edit none */
  in->target_enterprises = -1;
  if (f->target && !count_of(f, f->target, "target_enterprises", edit ? -2 : -1,
                             &in->target_enterprises))
    return false;
  if (req_form(r, "lists_shown") || !edit) {
    in->set_themes = in->set_units = in->set_cities = true;
    size_t nt = 0;
    while (nt < FORM_THEME_ROWS && f->themes[nt])
      nt++;
    in->themes = f->themes;
    in->n_themes = nt;
    if (!ids_of(r, f, f->units, f->n_units, "unit_ids", "err_unit_unknown", &in->unit_ids) ||
        !ids_of(r, f, f->cities, f->n_cities, "city_pairing_ids", "err_pairing_unknown",
                &in->city_pairing_ids))
      return false;
    in->n_units = f->n_units;
    in->n_cities = f->n_cities;
  }
  in->if_updated_at = edit ? (f->updated_at ? f->updated_at : "") : NULL;
  return true;
}

/* The form of an event as saved. */
static void form_from(struct req *r, const struct event_view *v, struct event_form *f) {
  memset(f, 0, sizeof *f);
  f->kind = v->kind;
  f->title = v->title;
  f->host_side = v->host_side ? "1" : "0";
  f->host_region = v->host_region_code;
  f->starts = v->starts;
  f->ends = v->ends;
  f->place = v->place;
  f->capacity = v->capacity ? id_text(r, v->capacity) : "";
  f->agenda = v->agenda;
  f->task = v->task_id ? id_text(r, v->task_id) : "";
  f->target = v->target_enterprises >= 0 ? id_text(r, v->target_enterprises) : "";
  f->state = v->state;
  f->updated_at = v->updated_at;
  f->is_public = v->is_public;
  for (size_t i = 0; i < v->n_themes && i < FORM_THEME_ROWS; i++)
    f->themes[i] = v->themes[i];
  f->units = arena_alloc(r->arena, (v->n_units + 1) * sizeof *f->units);
  for (size_t i = 0; i < v->n_units; i++)
    f->units[i] = id_text(r, v->units[i].id);
  f->n_units = v->n_units;
  f->cities = arena_alloc(r->arena, (v->n_cities + 1) * sizeof *f->cities);
  for (size_t i = 0; i < v->n_cities; i++)
    f->cities[i] = id_text(r, v->cities[i].id);
  f->n_cities = v->n_cities;
}

/* ==== /events =========================================================================== */

struct list_query {
  int64_t pairing;
  int year;
  const char *kind, *theme, *year_text;
};

/* The table of events (upcoming or past). */
static void events_table(struct req *r, struct sb *b, const char *caption,
                         const struct event_view *v, size_t n) {
  html_printf(b, "<h2>%h</h2>\n", caption);
  if (n == 0) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_evt_none"));
    return;
  }
  html_printf(b,
              "<table class=\"events\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_evt_title_field"), web_t(r, "ui_evt_kind"), web_t(r, "ui_evt_when"),
              web_t(r, "ui_evt_host"), web_t(r, "ui_evt_place"), web_t(r, "ui_evt_registered"),
              web_t(r, "ui_evt_attended"));
  for (size_t i = 0; i < n; i++) {
    const struct event_view *e = &v[i];
    bool cancelled = e->state && strcmp(e->state, "cancelled") == 0;
    html_printf(b, "<tr><th scope=\"row\" data-label=\"%h\"><a href=\"/events/%lld\">%h</a>",
                web_t(r, "ui_evt_title_field"), (long long)e->id, e->title);
    if (cancelled)
      html_printf(b, " <span class=\"badge light-red\">%h</span>",
                  web_t(r, "ui_evt_state_cancelled"));
    if (e->is_public)
      html_printf(b, " <span class=\"badge\">%h</span>", web_t(r, "ui_evt_public"));
    html_printf(b,
                "</th><td data-label=\"%h\">%h</td><td data-label=\"%h\">%h</td>"
                "<td data-label=\"%h\">%h</td><td data-label=\"%h\">%h</td>"
                "<td class=\"num\" data-label=\"%h\">%lld%h</td>"
                "<td class=\"num\" data-label=\"%h\">%lld</td></tr>\n",
                web_t(r, "ui_evt_kind"), web_t(r, kind_label(e->kind)), web_t(r, "ui_evt_when"),
                when_text(r, e->starts, e->ends), web_t(r, "ui_evt_host"), host_text(r, e),
                web_t(r, "ui_evt_place"), e->place ? e->place : "", web_t(r, "ui_evt_registered"),
                (long long)e->registered,
                e->capacity ? arena_printf(r->arena, " / %lld", (long long)e->capacity) : "",
                web_t(r, "ui_evt_attended"), (long long)e->attended);
  }
  html_printf(b, "</tbody>\n</table>\n");
}

/* The rotation of docking events: who hosted lately, and who is suggested next. */
static void rotation_box(struct req *r, struct sb *b, int64_t pairing) {
  struct event_rotation rot;
  if (event_rotation(&r->ctx, pairing, &rot) != SVC_OK) {
    web_take_code(r, NULL);
    return;
  }
  struct pairing_view pv;
  if (pairing_get(&r->ctx, pairing, &pv) != SVC_OK) {
    web_take_code(r, NULL);
    return;
  }
  html_printf(b, "<section class=\"rotation\" aria-labelledby=\"rotation-heading\">\n"
                 "<h2 id=\"rotation-heading\">%h</h2>\n",
              web_t(r, "ui_evt_rotation"));
  if (rot.suggested_side >= 0)
    html_printf(b, "<p><strong>%h%h%h</strong>%h%h</p>\n", web_t(r, "ui_evt_suggested"),
                web_t(r, "ui_colon"), rot.suggested_side ? pv.name_b : pv.name_a,
                rot.suggested_region_name ? " · " : "",
                rot.suggested_region_name ? rot.suggested_region_name : "");
  else
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_evt_rotation_none"));
  if (rot.n_previous) {
    html_printf(b, "<ul>\n");
    for (size_t i = 0; i < rot.n_previous && i < ROTATION_SHOWN; i++) {
      const struct event_view *e = &rot.previous[i];
      html_printf(b, "<li>%h · %h · <a href=\"/events/%lld\">%h</a></li>\n",
                  web_date(r, e->starts), host_text(r, e), (long long)e->id, e->title);
    }
    html_printf(b, "</ul>\n");
  }
  html_printf(b, "</section>\n");
}

/* The year's theme industries and the plan's warning on them. */
static void themes_box(struct req *r, struct sb *b, int64_t pairing, int year) {
  struct event_year_themes t;
  if (event_year_themes(&r->ctx, pairing, year, &t) != SVC_OK) {
    web_take_code(r, NULL);
    return;
  }
  html_printf(b, "<section class=\"year-themes\" aria-labelledby=\"themes-heading\">\n"
                 "<h2 id=\"themes-heading\">%h（%d）</h2>\n",
              web_t(r, "ui_evt_year_themes"), year);
  if (t.warning)
    html_printf(b, "<p class=\"warning\" role=\"status\">%h</p>\n", web_t(r, t.warning));
  if (t.n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_evt_no_themes"));
  else {
    html_printf(b, "<ul>\n");
    for (size_t i = 0; i < t.n; i++)
      html_printf(b, "<li><a href=\"/events?year=%d&amp;theme=%u\">%h %h</a></li>\n", year,
                  t.themes[i], t.themes[i], t.names[i] ? t.names[i] : "");
    html_printf(b, "</ul>\n");
  }
  html_printf(b, "</section>\n");
}

static void filter_form(struct req *r, struct sb *b, const struct list_query *q) {
  html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/events\">\n");
  if (r->user->role == ROLE_ADMIN)
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n",
                (long long)q->pairing);
  html_printf(b, "<p><label for=\"f-year\">%h</label>\n<input id=\"f-year\" name=\"year\" "
                 "type=\"number\" min=\"2000\" max=\"2100\" value=\"%h\"></p>\n"
                 "<p><label for=\"f-kind\">%h</label>\n<select id=\"f-kind\" name=\"kind\">\n",
              web_t(r, "ui_evt_year"), q->year_text ? q->year_text : "", web_t(r, "ui_evt_kind"));
  option(b, "", q->kind ? q->kind : "", web_t(r, "ui_prj_any"));
  for (int k = 0; k < EVENT_KIND_N; k++)
    option(b, event_kind_name((enum event_kind)k), q->kind,
           web_t(r, kind_label(event_kind_name((enum event_kind)k))));
  html_printf(b, "</select></p>\n<p><label for=\"f-theme\">%h</label>\n", web_t(r, "ui_evt_theme"));
  industry_select(r, b, "f-theme", "theme", q->theme, web_t(r, "ui_prj_any"), NULL);
  html_printf(b, "</p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n",
              web_t(r, "ui_evt_filter"));
}

/* The events of the list (upcoming, then past) as a ledger, and a second sheet with the
 * registrations of each (web/ledger.h). */
static const struct ledger_col event_cols[] = {
    {"event_id", "ui_lg_h_event_id", LEDGER_INT, NULL},
    {"title", "ui_evt_title_field", LEDGER_TEXT, NULL},
    {"kind", "ui_evt_kind", LEDGER_TEXT, NULL},
    {"starts", "ui_evt_starts", LEDGER_TIME, NULL},
    {"ends", "ui_evt_ends", LEDGER_TIME, NULL},
    {"host", "ui_evt_host", LEDGER_TEXT, NULL},
    {"place", "ui_evt_place", LEDGER_TEXT, NULL},
    {"state", "ui_evt_state", LEDGER_TEXT, NULL},
    {"capacity", "ui_evt_capacity", LEDGER_INT, NULL},
    {"registered", "ui_evt_registered", LEDGER_INT, NULL},
    {"waiting", "ui_evt_waiting", LEDGER_INT, NULL},
    {"attended", "ui_evt_attended", LEDGER_INT, NULL},
    {"intentions", "ui_evt_intentions", LEDGER_INT, NULL},
    {"intention_wan", "ui_evt_intention_wan", LEDGER_WANYUAN, NULL},
    {"signed", "ui_evt_signed", LEDGER_INT, NULL},
    {"signed_wan", "ui_evt_signed_wan", LEDGER_WANYUAN, NULL},
};
static const struct ledger_col registration_cols[] = {
    {"event_id", "ui_lg_h_event_id", LEDGER_INT, NULL},
    {"event", "ui_evt_title_field", LEDGER_TEXT, NULL},
    {"number", "ui_evt_number_label", LEDGER_INT, NULL},
    {"party", "ui_evt_party", LEDGER_TEXT, NULL},
    {"credit_code", "ui_lg_h_credit_code", LEDGER_TEXT, NULL},
    {"status", "ui_evt_status", LEDGER_TEXT, NULL},
    {"checked_in_at", "ui_evt_checked_in", LEDGER_TIME, NULL},
};

static int events_ledger(struct req *r, struct resp *p, enum ledger_format format,
                         const struct event_view *up, size_t n_up, const struct event_view *past,
                         size_t n_past, int year) {
  const struct event_view *any = n_up ? up : n_past ? past : NULL;
  const char *pairing = any ? arena_printf(r->arena, "%s—%s ", any->name_a, any->name_b) : "";
  struct ledger_spec spec = {
      .name = arena_printf(r->arena, "%s%s", web_t(r, "ui_evt_list_title"), web_t(r, "ui_lg_sheet")),
      .ascii = "events",
      .title = year ? arena_printf(r->arena, "%s%d%s %s%s", pairing, year,
                                   r->lang == LANG_EN ? "" : web_t(r, "ui_year_suffix"),
                                   web_t(r, "ui_evt_list_title"), web_t(r, "ui_lg_sheet"))
                    : arena_printf(r->arena, "%s%s%s", pairing, web_t(r, "ui_evt_list_title"),
                                   web_t(r, "ui_lg_sheet")),
      .sheet = web_t(r, "ui_evt_list_title"),
      .cols = event_cols,
      .n_cols = sizeof event_cols / sizeof *event_cols};
  struct ledger *l = ledger_open(r, format, &spec);
  if (!l)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  for (int part = 0; part < 2; part++)
    for (size_t i = 0; i < (part ? n_past : n_up); i++) {
      const struct event_view *e = part ? &past[i] : &up[i];
      bool cancelled = e->state && strcmp(e->state, "cancelled") == 0;
      ledger_int(l, e->id);
      ledger_text(l, e->title);
      ledger_text(l, web_t(r, kind_label(e->kind)));
      ledger_date(l, e->starts);
      ledger_date(l, e->ends);
      ledger_text(l, host_text(r, e));
      ledger_text(l, e->place);
      ledger_text(l, web_t(r, cancelled ? "ui_evt_state_cancelled" : "ui_evt_state_planned"));
      if (e->capacity)
        ledger_int(l, e->capacity);
      else
        ledger_blank(l);
      ledger_int(l, e->registered);
      ledger_int(l, e->waiting);
      ledger_int(l, e->attended);
      ledger_int(l, e->intentions);
      ledger_yuan(l, e->intention_yuan);
      ledger_int(l, e->signed_count);
      ledger_yuan(l, e->signed_yuan);
      ledger_row_end(l);
    }
  if (!ledger_sheet(l, web_t(r, "ui_lg_registrations"), registration_cols,
                    sizeof registration_cols / sizeof *registration_cols))
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  for (int part = 0; part < 2; part++)
    for (size_t i = 0; i < (part ? n_past : n_up); i++) {
      const struct event_view *e = part ? &past[i] : &up[i];
      struct registration_view *g;
      size_t n;
      int rc = registration_list(&r->ctx, e->id, &g, &n);
      if (rc != SVC_OK)
        return web_service_page(r, p, rc);
      for (size_t k = 0; k < n; k++) {
        ledger_int(l, e->id);
        ledger_text(l, e->title);
        ledger_int(l, g[k].number);
        ledger_text(l, g[k].name);
        ledger_text(l, g[k].credit_code);
        ledger_text(l, web_t(r, status_label(g[k].status)));
        ledger_date(l, g[k].checked_in_at);
        ledger_row_end(l);
      }
    }
  return ledger_send(l, p);
}

static int list_page(struct req *r, struct resp *p, int status, struct event_form *f) {
  struct list_query q = {0};
  int64_t pairing = web_asked_pairing(r);
  if (pairing < 0)
    return web_bad_query(r, p);
  q.pairing = pairing;
  long long v;
  q.year_text = req_query(r, "year");
  if (q.year_text && *q.year_text) {
    if (!web_parse_int(q.year_text, &v) || v < 2000 || v > 2100)
      return web_bad_query(r, p);
    q.year = (int)v;
  }
  q.kind = req_query(r, "kind");
  if (q.kind && !*q.kind)
    q.kind = NULL;
  if (q.kind && event_kind_from(q.kind) == EVENT_KIND_N)
    return web_bad_query(r, p);
  q.theme = req_query(r, "theme");
  if (q.theme && !*q.theme)
    q.theme = NULL;
  if (q.theme && !industry_find(q.theme))
    return web_bad_query(r, p);
  struct event_filter ef = {.pairing_id = pairing, .year = q.year, .kind = q.kind,
                            .theme = q.theme, .when = 1};
  struct event_view *up, *past;
  size_t n_up, n_past;
  int rc = event_list(&r->ctx, &ef, &up, &n_up);
  if (rc == SVC_OK) {
    ef.when = 2;
    rc = event_list(&r->ctx, &ef, &past, &n_past);
  }
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  int format = ledger_asked(r);
  if (format < 0)
    return web_bad_query(r, p);
  if (format != LEDGER_PAGE && status == 200)
    return events_ledger(r, p, (enum ledger_format)format, up, n_up, past, n_past, q.year);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_evt_list_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"meta\">%h · <a href=\"/funnel%h\">%h</a></p>\n",
              web_t(r, "ui_evt_list_title"), web_t(r, "ui_evt_intro"),
              r->user->role == ROLE_ADMIN ? arena_printf(r->arena, "?pairing=%lld",
                                                         (long long)pairing)
                                          : "",
              web_t(r, "ui_nav_funnel"));
  filter_form(r, b, &q);
  {
    struct sb self = SB_INIT;
    sb_append(&self, "/events");
    if (req_query(r, "pairing"))
      web_query_add(&self, "pairing", arena_printf(r->arena, "%lld", (long long)pairing));
    if (q.year)
      web_query_add(&self, "year", arena_printf(r->arena, "%d", q.year));
    if (q.kind)
      web_query_add(&self, "kind", q.kind);
    if (q.theme)
      web_query_add(&self, "theme", q.theme);
    ledger_links(r, b, sb_str(&self));
    sb_free(&self);
  }
  events_table(r, b, web_t(r, "ui_evt_upcoming"), up, n_up);
  events_table(r, b, web_t(r, "ui_evt_past"), past, n_past);
  if (pairing) {
    rotation_box(r, b, pairing);
    themes_box(r, b, pairing, q.year ? q.year : web_this_year());
  }
  if (event_may_create(&r->ctx) && pairing) {
    struct pairing_view pv;
    if (pairing_get(&r->ctx, pairing, &pv) != SVC_OK)
      return web_service_page(r, p, SVC_ERROR);
    html_printf(b, "<section class=\"admin-form\" aria-labelledby=\"new-heading\">\n"
                   "<h2 id=\"new-heading\">%h</h2>\n",
                web_t(r, "ui_evt_new"));
    error_summary(r, b, f);
    html_printf(b, "<form method=\"post\" action=\"/events\">\n");
    web_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n",
                (long long)pairing);
    form_fields_html(r, b, f, &pv, false);
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
                web_t(r, "ui_evt_create"));
  }
  return web_end(r, p);
}

int web_events(struct req *r, struct resp *p) {
  struct event_form f = {.kind = "docking"};
  return list_page(r, p, 200, &f);
}

/* POST /events: 303 to the new event, or the list again with the messages (422). */
int web_event_create(struct req *r, struct resp *p) {
  if (!event_may_create(&r->ctx))
    return web_service_page(r, p, svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL,
                                           "the lead offices hold events"));
  struct event_form f;
  read_form(r, &f);
  struct event_input in;
  if (!to_input(r, &f, false, &in))
    return list_page(r, p, 422, &f);
  /* an admin names the pairing; everyone else creates in their own */
  long long pairing;
  if (r->user->role == ROLE_ADMIN && f.pairing && web_parse_int(f.pairing, &pairing) && pairing > 0)
    in.pairing_id = pairing;
  int64_t id;
  int rc = event_create(&r->ctx, &in, &id);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/events/%lld?done=created", (long long)id));
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(&f, field, web_take_code(r, "err_invalid"));
  return list_page(r, p, 422, &f);
}

/* ==== /events/{id} ====================================================================== */

/* What a refused action of the event page brings back: which form, its message and input. */
struct page_state {
  const char *form;          /* edit, register, minutes, files, outcome, project */
  const char *err;           /* the message of that form */
  const char *party;         /* register: the choice kept */
  const char *minutes;       /* minutes: the text kept */
  const char *o_kind, *o_title, *o_amount, *o_industry, *o_description;
  const char **o_parties;
  size_t n_o_parties;
  const char *o_field;       /* the outcome form's field at fault */
  struct event_form *edit;   /* the edit form's input and messages */
};

static const char *err_of(const struct page_state *s, const char *form) {
  return s->form && strcmp(s->form, form) == 0 ? s->err : NULL;
}

static void facts(struct req *r, struct sb *b, const struct event_view *v) {
  html_printf(b,
              "<dl class=\"facts\">\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h — %h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n",
              web_t(r, "ui_evt_kind"), web_t(r, kind_label(v->kind)), web_t(r, "ui_prj_pairing"),
              v->name_a, v->name_b, web_t(r, "ui_evt_host"), host_text(r, v),
              web_t(r, "ui_evt_when"), when_text(r, v->starts, v->ends), web_t(r, "ui_evt_place"),
              v->place ? v->place : web_t(r, "ui_prj_none_short"));
  html_printf(b, "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_evt_capacity"),
              v->capacity ? id_text(r, v->capacity) : web_t(r, "ui_evt_no_limit"),
              web_t(r, "ui_evt_public_field"),
              web_t(r, v->is_public ? "ui_evt_yes" : "ui_evt_no"));
  html_printf(b, "<dt>%h</dt><dd>", web_t(r, "ui_evt_task"));
  if (v->task_id)
    html_printf(b, "<a href=\"/tasks/%lld\">%d. %h</a>", (long long)v->task_id, v->task_number,
                v->task_title ? v->task_title : "");
  else
    html_printf(b, "%h", web_t(r, "ui_prj_none_short"));
  html_printf(b, "</dd>\n<dt>%h</dt><dd>", web_t(r, "ui_evt_themes"));
  for (size_t i = 0; i < v->n_themes; i++) {
    const struct industry *ind = industry_find(v->themes[i]);
    html_printf(b, "%h%h %h", i ? web_t(r, "ui_prj_list_sep") : "", v->themes[i],
                ind ? ind->name : "");
  }
  if (!v->n_themes)
    html_printf(b, "%h", web_t(r, "ui_prj_none_short"));
  html_printf(b, "</dd>\n<dt>%h</dt><dd>", web_t(r, "ui_evt_organisers"));
  for (size_t i = 0; i < v->n_units; i++)
    html_printf(b, "%h%h · %h", i ? web_t(r, "ui_prj_list_sep") : "",
                side_name(v, v->units[i].side), v->units[i].name);
  if (!v->n_units)
    html_printf(b, "%h", web_t(r, "ui_prj_none_short"));
  html_printf(b, "</dd>\n<dt>%h</dt><dd>", web_t(r, "ui_evt_cities"));
  for (size_t i = 0; i < v->n_cities; i++)
    html_printf(b, "%h%h — %h", i ? web_t(r, "ui_prj_list_sep") : "", v->cities[i].name_a,
                v->cities[i].name_b);
  if (!v->n_cities)
    html_printf(b, "%h", web_t(r, "ui_prj_none_short"));
  html_printf(b, "</dd>\n</dl>\n");
  if (v->agenda) {
    html_printf(b, "<h2>%h</h2>\n", web_t(r, "ui_evt_agenda"));
    web_paragraphs(r, b, v->agenda);
  }
}

/* The counts, and the plan's enterprise target ("不少于50家企业") against them: red once the
 * event is over and fewer enterprises came. */
static void counts(struct req *r, struct sb *b, const struct event_view *v) {
  html_printf(b, "<section class=\"event-counts\" aria-labelledby=\"counts-heading\">\n"
                 "<h2 id=\"counts-heading\">%h</h2>\n<dl class=\"dash-figures\">\n",
              web_t(r, "ui_evt_counts"));
  const struct {
    const char *label;
    int64_t value;
  } figs[] = {
      {"ui_evt_registered", v->registered},
      {"ui_evt_registered_enterprises", v->registered_enterprises},
      {"ui_evt_waiting", v->waiting},
      {"ui_evt_attended", v->attended},
      {"ui_evt_attended_enterprises", v->attended_enterprises},
      {"ui_evt_intentions", v->intentions},
      {"ui_evt_signed", v->signed_count},
  };
  for (size_t i = 0; i < sizeof figs / sizeof *figs; i++)
    html_printf(b, "<div class=\"fig\"><dt>%h</dt><dd>%lld</dd></div>\n", web_t(r, figs[i].label),
                (long long)figs[i].value);
  html_printf(b, "</dl>\n");
  if (v->intention_yuan || v->signed_yuan)
    html_printf(b, "<p>%h%h%h · %h%h%h</p>\n", web_t(r, "ui_evt_intention_wan"),
                web_t(r, "ui_colon"), wan(r, v->intention_yuan), web_t(r, "ui_evt_signed_wan"),
                web_t(r, "ui_colon"), wan(r, v->signed_yuan));
  if (v->target_enterprises >= 0) {
    bool short_of = v->past && v->attended_enterprises < v->target_enterprises;
    html_printf(b, "<p class=\"target%s\" id=\"target\">%h%h%lld · %h %lld · %h %lld",
                short_of ? " target-short" : "", web_t(r, "ui_evt_target_line"),
                web_t(r, "ui_colon"), (long long)v->target_enterprises,
                web_t(r, "ui_evt_registered_enterprises"), (long long)v->registered_enterprises,
                web_t(r, "ui_evt_attended_enterprises"), (long long)v->attended_enterprises);
    if (short_of)
      html_printf(b, " <strong class=\"badge light-red\">%h</strong>",
                  web_t(r, "ui_evt_target_short"));
    html_printf(b, "</p>\n");
  }
  html_printf(b, "</section>\n");
}

static void registrations(struct req *r, struct sb *b, const struct event_view *v,
                          bool organiser, const struct page_state *s,
                          const struct registration_view *reg, size_t n) {
  html_printf(b, "<section id=\"registrations\" aria-labelledby=\"reg-heading\">\n"
                 "<h2 id=\"reg-heading\">%h</h2>\n",
              web_t(r, "ui_evt_registrations"));
  if (organiser)
    html_printf(b, "<p><a href=\"/events/%lld/checkin\">%h</a></p>\n", (long long)v->id,
                web_t(r, "ui_evt_checkin_title"));
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_evt_no_registrations"));
  else {
    html_printf(b,
                "<table class=\"registrations\">\n<thead><tr><th scope=\"col\" class=\"num\">%h"
                "</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\"><span "
                "class=\"visually-hidden\">%h</span></th></tr></thead>\n<tbody>\n",
                web_t(r, "ui_evt_number"), web_t(r, "ui_evt_party"), web_t(r, "ui_prj_side"),
                web_t(r, "ui_evt_status"), web_t(r, "ui_evt_checked_in"), web_t(r, "ui_evt_qr"),
                web_t(r, "ui_evt_actions"));
    for (size_t i = 0; i < n; i++) {
      const struct registration_view *g = &reg[i];
      bool withdrawn = strcmp(g->status, "withdrawn") == 0;
      html_printf(b,
                  "<tr id=\"reg-%lld\" class=\"reg-%h\"><td class=\"num\" data-label=\"%h\">%lld"
                  "</td><td data-label=\"%h\">%h%h%h%h</td><td data-label=\"%h\">%h</td>"
                  "<td data-label=\"%h\">%h",
                  (long long)g->id, g->status, web_t(r, "ui_evt_number"), (long long)g->number,
                  web_t(r, "ui_evt_party"), g->name ? g->name : "",
                  g->credit_code ? "（" : "", g->credit_code ? g->credit_code : "",
                  g->credit_code ? "）" : "", web_t(r, "ui_prj_side"), side_name(v, g->side),
                  web_t(r, "ui_evt_status"), web_t(r, status_label(g->status)));
      if (g->position > 0)
        html_printf(b, " <span class=\"position\">%h</span>",
                    arena_printf(r->arena, web_t(r, "ui_evt_position"), (long long)g->position));
      html_printf(b, "</td><td data-label=\"%h\">%h</td><td data-label=\"%h\">",
                  web_t(r, "ui_evt_checked_in"),
                  g->checked_in_at ? web_time(r, g->checked_in_at) : "",
                  web_t(r, "ui_evt_qr"));
      if (!withdrawn)
        html_printf(b, "<a href=\"/events/%lld/registrations/%lld/qr.svg\"><img class=\"qr-thumb\" "
                       "src=\"/events/%lld/registrations/%lld/qr.svg\" width=\"72\" height=\"72\" "
                       "alt=\"%h %lld\"></a>",
                    (long long)v->id, (long long)g->id, (long long)v->id, (long long)g->id,
                    web_t(r, "ui_evt_qr_alt"), (long long)g->number);
      html_printf(b, "</td><td data-label=\"%h\">", web_t(r, "ui_evt_actions"));
      if (!withdrawn && !g->checked_in_at && may_register_side(r, v, organiser, g->side)) {
        html_printf(b, "<form method=\"post\" action=\"/events/%lld/registrations/%lld/withdraw\">\n",
                    (long long)v->id, (long long)g->id);
        web_csrf_field(r, b);
        html_printf(b, "<button type=\"submit\" class=\"secondary\">%h</button></form>",
                    web_t(r, "ui_evt_withdraw"));
      }
      html_printf(b, "</td></tr>\n");
    }
    html_printf(b, "</tbody>\n</table>\n");
  }
  const char *err = err_of(s, "withdraw");
  web_form_error(r, b, err);
  bool open = !v->past && strcmp(v->state, "cancelled") != 0;
  bool may = organiser || r->user->role == ROLE_ADMIN ||
             (r->user->pairing_id == v->pairing_id &&
              (r->user->role == ROLE_COORDINATOR || r->user->role == ROLE_MEMBER));
  if (open && may) {
    err = err_of(s, "register");
    html_printf(b, "<form method=\"post\" action=\"/events/%lld/registrations\" class=\"register\">\n",
                (long long)v->id);
    web_csrf_field(r, b);
    html_printf(b, "<p><label for=\"party\">%h</label>\n<select id=\"party\" name=\"party\" "
                   "required",
                web_t(r, "ui_evt_register_who"));
    web_describe(b, "party", err);
    html_printf(b, ">\n");
    option(b, "", s->party ? s->party : "", web_t(r, "ui_evt_choose"));
    party_options(r, b, v, organiser, s->party);
    html_printf(b, "</select>\n");
    web_field_error(r, b, err, "party");
    html_printf(b, "</p>\n<p class=\"meta\">%h</p>\n<p><button type=\"submit\">%h</button></p>\n"
                   "</form>\n",
                web_t(r, "ui_evt_register_hint"), web_t(r, "ui_evt_register"));
  }
  html_printf(b, "</section>\n");
}

static void minutes_section(struct req *r, struct sb *b, const struct event_view *v,
                            bool organiser, const struct page_state *s) {
  html_printf(b, "<section id=\"minutes\" aria-labelledby=\"minutes-heading\">\n"
                 "<h2 id=\"minutes-heading\">%h</h2>\n",
              web_t(r, "ui_evt_minutes"));
  if (v->minutes)
    web_paragraphs(r, b, v->minutes);
  else
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_evt_no_minutes"));
  if (organiser) {
    const char *err = err_of(s, "minutes");
    html_printf(b, "<form method=\"post\" action=\"/events/%lld/minutes\">\n", (long long)v->id);
    web_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n"
                   "<p><label for=\"minutes-text\">%h</label>\n<textarea id=\"minutes-text\" "
                   "name=\"minutes\" rows=\"6\" maxlength=\"%d\"",
                v->updated_at, web_t(r, "ui_evt_minutes_text"), EVENT_MINUTES_MAX);
    web_describe(b, "minutes-text", err);
    html_printf(b, ">%h</textarea>\n", s->minutes ? s->minutes : v->minutes ? v->minutes : "");
    web_field_error(r, b, err, "minutes-text");
    html_printf(b, "</p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n",
                web_t(r, "ui_evt_minutes_save"));
  }
  html_printf(b, "</section>\n");
  web_attachments_section_as(
      r, b, "event", v->id,
      organiser ? arena_printf(r->arena, "/events/%lld/minutes", (long long)v->id) : NULL,
      err_of(s, "files"), "files", "ui_evt_minutes_files");
}

static void outcomes_section(struct req *r, struct sb *b, const struct event_view *v,
                             bool organiser, const struct page_state *s,
                             const struct registration_view *reg, size_t n_reg) {
  struct outcome_view *o;
  size_t n = 0;
  if (outcome_list(&r->ctx, v->id, &o, &n) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  html_printf(b, "<section id=\"outcomes\" aria-labelledby=\"outcomes-heading\">\n"
                 "<h2 id=\"outcomes-heading\">%h</h2>\n",
              web_t(r, "ui_evt_outcomes"));
  web_form_error(r, b, err_of(s, "project"));
  bool to_project = organiser && (r->user->role == ROLE_COORDINATOR || r->user->role == ROLE_ADMIN);
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_evt_no_outcomes"));
  else {
    html_printf(b,
                "<table class=\"outcomes\">\n<thead><tr><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                "</tr></thead>\n<tbody>\n",
                web_t(r, "ui_evt_outcome_title"), web_t(r, "ui_evt_outcome_kind"),
                web_t(r, "ui_evt_amount_wan"), web_t(r, "ui_prj_industry"),
                web_t(r, "ui_evt_parties"), web_t(r, "ui_evt_project"));
    for (size_t i = 0; i < n; i++) {
      const struct outcome_view *x = &o[i];
      html_printf(b,
                  "<tr id=\"outcome-%lld\"><th scope=\"row\" data-label=\"%h\">%h</th>"
                  "<td data-label=\"%h\">%h</td><td class=\"num\" data-label=\"%h\">%h</td>"
                  "<td data-label=\"%h\">%h%h%h</td><td data-label=\"%h\">",
                  (long long)x->id, web_t(r, "ui_evt_outcome_title"), x->title,
                  web_t(r, "ui_evt_outcome_kind"),
                  web_t(r, strcmp(x->kind, "signed") == 0 ? "ui_evt_signed_one"
                                                          : "ui_evt_intention_one"),
                  web_t(r, "ui_evt_amount_wan"), wan(r, x->amount_yuan),
                  web_t(r, "ui_prj_industry"), x->industry ? x->industry : "",
                  x->industry ? " " : "", x->industry_name ? x->industry_name : "",
                  web_t(r, "ui_evt_parties"));
      for (size_t k = 0; k < x->n_parties; k++)
        html_printf(b, "%h%h · %h", k ? web_t(r, "ui_prj_list_sep") : "",
                    side_name(v, x->parties[k].side), x->parties[k].name ? x->parties[k].name : "");
      html_printf(b, "</td><td data-label=\"%h\">", web_t(r, "ui_evt_project"));
      if (x->project_id)
        html_printf(b, "<a href=\"/projects/%lld\">%h</a>", (long long)x->project_id,
                    x->project_name ? x->project_name : id_text(r, x->project_id));
      else if (to_project) {
        html_printf(b, "<form method=\"post\" action=\"/events/%lld/outcomes/%lld/project\">\n",
                    (long long)v->id, (long long)x->id);
        web_csrf_field(r, b);
        html_printf(b, "<button type=\"submit\">%h</button></form>", web_t(r, "ui_evt_to_project"));
      }
      html_printf(b, "</td></tr>\n");
    }
    html_printf(b, "</tbody>\n</table>\n");
  }
  if (organiser) {
    const char *err = err_of(s, "outcome");
    bool by_field = err && s->o_field;
    html_printf(b, "<h3 id=\"outcome-form\">%h</h3>\n", web_t(r, "ui_evt_outcome_new"));
    if (err && !by_field)
      web_form_error(r, b, err);
    else if (err)
      web_form_error(r, b, "ui_form_has_errors");
    html_printf(b, "<form method=\"post\" action=\"/events/%lld/outcomes\">\n", (long long)v->id);
    web_csrf_field(r, b);
    const char *ek = by_field && strcmp(s->o_field, "kind") == 0 ? err : NULL;
    const char *et = by_field && strcmp(s->o_field, "title") == 0 ? err : NULL;
    const char *ea = by_field && strcmp(s->o_field, "amount_wan") == 0 ? err : NULL;
    const char *ei = by_field && strcmp(s->o_field, "industry") == 0 ? err : NULL;
    const char *ep = by_field && !ek && !et && !ea && !ei ? err : NULL;
    html_printf(b, "<p><label for=\"o-kind\">%h</label>\n<select id=\"o-kind\" name=\"kind\"",
                web_t(r, "ui_evt_outcome_kind"));
    web_describe(b, "o-kind", ek);
    html_printf(b, ">\n");
    option(b, "intention", s->o_kind ? s->o_kind : "intention", web_t(r, "ui_evt_intention_one"));
    option(b, "signed", s->o_kind, web_t(r, "ui_evt_signed_one"));
    html_printf(b, "</select>\n");
    web_field_error(r, b, ek, "o-kind");
    html_printf(b, "</p>\n<p><label for=\"o-title\">%h</label>\n<input id=\"o-title\" "
                   "name=\"title\" type=\"text\" required maxlength=\"%d\" value=\"%h\"",
                web_t(r, "ui_evt_outcome_title"), OUTCOME_TITLE_MAX, s->o_title ? s->o_title : "");
    web_describe(b, "o-title", et);
    html_printf(b, ">\n");
    web_field_error(r, b, et, "o-title");
    html_printf(b, "</p>\n<p><label for=\"o-amount\">%h</label>\n<input id=\"o-amount\" "
                   "name=\"amount_wan\" type=\"text\" inputmode=\"decimal\" maxlength=\"24\" "
                   "value=\"%h\"",
                web_t(r, "ui_evt_amount_wan"), s->o_amount ? s->o_amount : "");
    web_describe(b, "o-amount", ea);
    html_printf(b, ">\n");
    web_field_error(r, b, ea, "o-amount");
    html_printf(b, "</p>\n<p><label for=\"o-industry\">%h</label>\n", web_t(r, "ui_prj_industry"));
    industry_select(r, b, "o-industry", "industry", s->o_industry, web_t(r, "ui_prj_none_short"),
                    ei);
    web_field_error(r, b, ei, "o-industry");
    html_printf(b, "</p>\n<p><label for=\"o-description\">%h</label>\n<textarea "
                   "id=\"o-description\" name=\"description\" rows=\"3\">%h</textarea></p>\n",
                web_t(r, "ui_prj_description"), s->o_description ? s->o_description : "");
    html_printf(b, "<fieldset id=\"o-parties\" tabindex=\"-1\"");
    web_describe(b, "o-parties", ep);
    html_printf(b, ">\n<legend>%h</legend>\n", web_t(r, "ui_evt_parties"));
    web_field_error(r, b, ep, "o-parties");
    for (size_t i = 0; i < n_reg; i++) {
      if (strcmp(reg[i].status, "withdrawn") == 0)
        continue;
      html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"party\" "
                     "value=\"%lld\"%s> %lld · %h · %h</label>\n",
                  (long long)reg[i].id,
                  chosen_in(s->o_parties, s->n_o_parties, reg[i].id) ? " checked" : "",
                  (long long)reg[i].number, side_name(v, reg[i].side), reg[i].name);
    }
    html_printf(b, "</fieldset>\n<p><button type=\"submit\">%h</button></p>\n</form>\n",
                web_t(r, "ui_evt_outcome_add"));
  }
  html_printf(b, "</section>\n");
}

static int event_page(struct req *r, struct resp *p, int status, const struct event_view *v,
                      struct page_state *s) {
  bool organiser = event_may_organise(&r->ctx, v);
  struct registration_view *reg;
  size_t n_reg = 0;
  int rc = registration_list(&r->ctx, v->id, &reg, &n_reg);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, v->title);
  html_printf(b, "<p class=\"crumbs\"><a href=\"/events\">%h</a></p>\n<h1>%h", web_t(r, "ui_nav_events"),
              v->title);
  if (strcmp(v->state, "cancelled") == 0)
    html_printf(b, " <span class=\"badge light-red\">%h</span>", web_t(r, "ui_evt_state_cancelled"));
  html_printf(b, "</h1>\n");
  const char *done = status == 200 ? req_query(r, "done") : NULL;
  static const struct {
    const char *done, *msg;
  } notices[] = {
      {"created", "ui_evt_done_created"},   {"saved", "ui_prj_done_saved"},
      {"registered", "ui_evt_done_registered"}, {"waiting", "ui_evt_done_waiting"},
      {"withdrawn", "ui_evt_done_withdrawn"}, {"minutes", "ui_evt_done_minutes"},
      {"file", "ui_evt_done_file"},          {"outcome", "ui_evt_done_outcome"},
  };
  for (size_t i = 0; done && i < sizeof notices / sizeof *notices; i++)
    if (strcmp(done, notices[i].done) == 0)
      html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, notices[i].msg));
  facts(r, b, v);
  counts(r, b, v);
  html_printf(b, "<p><a href=\"/funnel?pairing=%lld&amp;year=%d&amp;event=%lld\">%h</a></p>\n",
              (long long)v->pairing_id, v->year, (long long)v->id, web_t(r, "ui_evt_funnel_link"));
  registrations(r, b, v, organiser, s, reg, n_reg);
  minutes_section(r, b, v, organiser, s);
  outcomes_section(r, b, v, organiser, s, reg, n_reg);
  if (organiser) {
    struct event_form saved, *f = s->edit;
    if (!f) {
      form_from(r, v, &saved);
      f = &saved;
    }
    struct pairing_view pv;
    if (pairing_get(&r->ctx, v->pairing_id, &pv) == SVC_OK) {
      html_printf(b, "<section class=\"admin-form\" id=\"edit\" aria-labelledby=\"edit-heading\">\n"
                     "<h2 id=\"edit-heading\">%h</h2>\n",
                  web_t(r, "ui_evt_edit"));
      error_summary(r, b, f);
      html_printf(b, "<form method=\"post\" action=\"/events/%lld\">\n", (long long)v->id);
      web_csrf_field(r, b);
      html_printf(b, "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n",
                  f->updated_at ? f->updated_at : v->updated_at);
      form_fields_html(r, b, f, &pv, true);
      html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
                  web_t(r, "ui_save"));
    }
    web_take_code(r, NULL);
  }
  return web_end(r, p);
}

int web_event_page(struct req *r, struct resp *p) {
  struct event_view v;
  int rc = event_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct page_state s = {0};
  return event_page(r, p, 200, &v, &s);
}

/* The event page again after a refused action (status by the service's result), or the
 * error page when the refusal is not the form's (not found, forbidden, a store failure). */
static int refused(struct req *r, struct resp *p, int rc, struct page_state *s) {
  int status = rc == SVC_INVALID ? 422 : rc == SVC_CONFLICT || rc == SVC_STALE ? 409 : 0;
  if (!status)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  s->err = web_take_code(r, rc == SVC_STALE ? "err_stale" : "err_invalid");
  s->o_field = field;
  struct event_view v;
  if ((rc = event_get(&r->ctx, r->ids[0], &v)) != SVC_OK)
    return web_service_page(r, p, rc);
  return event_page(r, p, status, &v, s);
}

static int back_to(struct req *r, struct resp *p, const char *done, const char *anchor) {
  return web_redirect(r, p, arena_printf(r->arena, "/events/%lld?done=%s#%s", (long long)r->ids[0],
                                         done, anchor));
}

/* POST /events/{id}: the organisers' edit; 303 back, else 422/409 with the input kept. */
int web_event_edit(struct req *r, struct resp *p) {
  struct event_view v;
  int rc = event_get(&r->ctx, r->ids[0], &v);
  if (rc == SVC_OK && !event_may_organise(&r->ctx, &v))
    rc = svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL, "the organisers edit an event");
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct event_form f;
  read_form(r, &f);
  struct page_state s = {.form = "edit", .edit = &f};
  struct event_input in;
  if (!to_input(r, &f, true, &in))
    return event_page(r, p, 422, &v, &s);
  rc = event_edit(&r->ctx, v.id, &in);
  if (rc == SVC_OK)
    return back_to(r, p, "saved", "edit");
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    f.e_top = "ui_prj_stale";
    f.updated_at = v.updated_at;
    return event_page(r, p, 409, &v, &s);
  }
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(&f, field, web_take_code(r, "err_invalid"));
  return event_page(r, p, rc == SVC_CONFLICT ? 409 : 422, &v, &s);
}

/* POST /events/{id}/registrations (party=enterprise:ID|unit:ID): 303 back with where it went
 * (a seat or the waiting list), else the page with the message by the form. */
int web_event_register(struct req *r, struct resp *p) {
  struct page_state s = {.form = "register", .party = req_form(r, "party")};
  int64_t enterprise, unit;
  int rc;
  if (!read_party(r, &enterprise, &unit))
    rc = svc_fail(&r->ctx, SVC_INVALID, "err_evt_party", "party", "choose who registers");
  else {
    struct registration_view out;
    rc = registration_add(&r->ctx, r->ids[0], enterprise, unit, &out);
    if (rc == SVC_OK)
      return back_to(r, p, strcmp(out.status, "waiting") == 0 ? "waiting" : "registered",
                     arena_printf(r->arena, "reg-%lld", (long long)out.id));
  }
  return refused(r, p, rc, &s);
}

/* POST /events/{id}/registrations/{rid}/withdraw: 303 back; the first waiting moves up. */
int web_event_withdraw(struct req *r, struct resp *p) {
  struct registration_view g;
  int rc = registration_get(&r->ctx, r->ids[1], &g);
  if (rc == SVC_OK && g.event_id != r->ids[0])
    rc = svc_fail(&r->ctx, SVC_NOT_FOUND, "err_not_found", NULL, "not a registration of this event");
  if (rc == SVC_OK) {
    int64_t promoted = 0;
    rc = registration_withdraw(&r->ctx, g.id, &promoted);
    if (rc == SVC_OK)
      return back_to(r, p, "withdrawn", "registrations");
  }
  struct page_state s = {.form = "withdraw"};
  return refused(r, p, rc, &s);
}

/* POST /events/{id}/minutes: the minutes' text (minutes, updated_at), or a file of them
 * (multipart: file) from the files section's form. */
int web_event_minutes(struct req *r, struct resp *p) {
  const struct upload *u = req_upload(r, "file");
  if (u || (r->n_uploads > 0 && !req_form(r, "minutes"))) {
    int rc = attachment_add(&r->ctx, "event", r->ids[0], u ? u->filename : NULL,
                            u ? u->content_type : NULL, u ? u->data : NULL, u ? u->len : 0, NULL);
    if (rc == SVC_OK)
      return back_to(r, p, "file", "files");
    if (rc == SVC_NOT_FOUND || rc == SVC_FORBIDDEN || rc == SVC_ERROR)
      return web_service_page(r, p, rc);
    struct page_state s = {.form = "files"};
    s.err = web_take_code(r, "err_invalid");
    struct event_view v;
    if ((rc = event_get(&r->ctx, r->ids[0], &v)) != SVC_OK)
      return web_service_page(r, p, rc);
    return event_page(r, p, web_attachment_status(s.err), &v, &s);
  }
  const char *text = req_form(r, "minutes"), *seen = req_form(r, "updated_at");
  int rc = event_set_minutes(&r->ctx, r->ids[0], text ? text : "", seen);
  if (rc == SVC_OK)
    return back_to(r, p, "minutes", "minutes");
  struct page_state s = {.form = "minutes", .minutes = text};
  return refused(r, p, rc, &s);
}

/* POST /events/{id}/outcomes: kind, title, amount_wan, industry, description, party (ids of
 * registrations, repeated). 303 back, else the page with the form kept. */
int web_event_outcome_add(struct req *r, struct resp *p) {
  struct page_state s = {.form = "outcome"};
  s.o_kind = req_form(r, "kind");
  s.o_title = req_form(r, "title");
  s.o_amount = req_form(r, "amount_wan");
  s.o_industry = req_form(r, "industry");
  s.o_description = req_form(r, "description");
  size_t cap = 0;
  for (size_t i = 0; i < r->n_form; i++)
    if (strcmp(r->form[i].name, "party") == 0)
      *(const char **)ARRAY_PUSH(r->arena, s.o_parties, s.n_o_parties, cap) = r->form[i].value;
  int64_t *ids = arena_alloc(r->arena, (s.n_o_parties + 1) * sizeof *ids);
  int rc = SVC_OK;
  for (size_t i = 0; i < s.n_o_parties; i++) {
    long long v;
    if (!web_parse_int(s.o_parties[i], &v) || v < 1) {
      rc = svc_fail(&r->ctx, SVC_INVALID, "err_outcome_party", "registration_ids",
                    "a party is a registration of the event");
      break;
    }
    ids[i] = v;
  }
  if (rc == SVC_OK) {
    struct outcome_input in = {
        .kind = s.o_kind ? s.o_kind : "",
        .title = s.o_title ? s.o_title : "",
        .amount_wan = s.o_amount,
        .industry = s.o_industry && *s.o_industry ? s.o_industry : NULL,
        .description = s.o_description && *s.o_description ? s.o_description : NULL,
        .registration_ids = ids,
        .n_parties = s.n_o_parties,
    };
    int64_t id;
    rc = outcome_add(&r->ctx, r->ids[0], &in, &id);
    if (rc == SVC_OK)
      return back_to(r, p, "outcome", arena_printf(r->arena, "outcome-%lld", (long long)id));
  }
  return refused(r, p, rc, &s);
}

/* POST /events/{id}/outcomes/{oid}/project: 303 to the new project. */
int web_event_outcome_project(struct req *r, struct resp *p) {
  struct outcome_view o;
  int rc = outcome_get(&r->ctx, r->ids[1], &o);
  if (rc == SVC_OK && o.event_id != r->ids[0])
    rc = svc_fail(&r->ctx, SVC_NOT_FOUND, "err_not_found", NULL, "not an outcome of this event");
  if (rc == SVC_OK) {
    int64_t project;
    rc = outcome_to_project(&r->ctx, o.id, &project);
    if (rc == SVC_OK)
      return web_redirect(r, p, arena_printf(r->arena, "/projects/%lld", (long long)project));
  }
  struct page_state s = {.form = "project"};
  return refused(r, p, rc, &s);
}

/* ==== check-in at the door ============================================================== */

/* The door page: status and, for a refused number or walk-in, its message (err) and input. */
static int checkin_page(struct req *r, struct resp *p, int status, const struct event_view *v,
                        const char *err, const char *number, const char *party) {
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_evt_checkin_title"));
  html_printf(b, "<div class=\"checkin\">\n<p class=\"crumbs\"><a href=\"/events/%lld\">%h</a></p>\n"
                 "<h1>%h</h1>\n",
              (long long)v->id, v->title, web_t(r, "ui_evt_checkin_title"));
  /* the result of the last check-in (303 from the POST) */
  long long checked;
  const char *q = req_query(r, "checked");
  struct registration_view g;
  if (status == 200 && q && web_parse_int(q, &checked) && checked > 0 &&
      registration_get(&r->ctx, checked, &g) == SVC_OK && g.event_id == v->id) {
    bool already = req_query(r, "already") != NULL;
    html_printf(b, "<p class=\"notice checkin-result\" role=\"status\"><strong>%h</strong><br>"
                   "No. %lld · %h</p>\n",
                web_t(r, already ? "ui_evt_checked_already" : "ui_evt_checked_ok"),
                (long long)g.number, g.name ? g.name : "");
    if (already && g.checked_in_at)
      html_printf(b, "<p class=\"meta\">%h%h%h</p>\n", web_t(r, "ui_evt_checked_in"),
                  web_t(r, "ui_colon"), web_time(r, g.checked_in_at));
  }
  web_take_code(r, NULL);
  if (err && !party)
    html_printf(b, "<p class=\"form-error checkin-result\" role=\"alert\">%h</p>\n", web_t(r, err));
  html_printf(b, "<p class=\"checkin-counts\">%h <strong>%lld</strong>%h · %h <strong>%lld</strong>"
                 " · %h <strong>%lld</strong></p>\n",
              web_t(r, "ui_evt_registered"), (long long)v->registered,
              v->capacity ? arena_printf(r->arena, " / %lld", (long long)v->capacity) : "",
              web_t(r, "ui_evt_attended"), (long long)v->attended, web_t(r, "ui_evt_waiting"),
              (long long)v->waiting);
  html_printf(b, "<form method=\"post\" action=\"/events/%lld/checkin\" class=\"checkin-form\">\n",
              (long long)v->id);
  web_csrf_field(r, b);
  html_printf(b, "<p><label for=\"number\">%h</label>\n<input id=\"number\" name=\"number\" "
                 "type=\"text\" inputmode=\"numeric\" pattern=\"[0-9]*\" autocomplete=\"off\" "
                 "required autofocus value=\"%h\"",
              web_t(r, "ui_evt_number_label"), number ? number : "");
  web_describe(b, "number", party ? NULL : err);
  html_printf(b, "></p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n",
              web_t(r, "ui_evt_checkin_button"));
  html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_evt_checkin_hint"));
  /* a walk-in: register and check in at once */
  html_printf(b, "<h2>%h</h2>\n", web_t(r, "ui_evt_walk_in"));
  html_printf(b, "<form method=\"post\" action=\"/events/%lld/checkin\" class=\"checkin-form\">\n",
              (long long)v->id);
  web_csrf_field(r, b);
  html_printf(b, "<input type=\"hidden\" name=\"walk_in\" value=\"1\">\n<p><label for=\"party\">"
                 "%h</label>\n<select id=\"party\" name=\"party\" required",
              web_t(r, "ui_evt_register_who"));
  web_describe(b, "party", party ? err : NULL);
  html_printf(b, ">\n");
  option(b, "", party ? party : "", web_t(r, "ui_evt_choose"));
  party_options(r, b, v, true, party);
  html_printf(b, "</select>\n");
  web_field_error(r, b, party ? err : NULL, "party");
  html_printf(b, "</p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n</div>\n",
              web_t(r, "ui_evt_walk_in_button"));
  return web_end(r, p);
}

/* The event, for its organisers only (the door page is theirs). */
static int organised_event(struct req *r, struct event_view *v) {
  int rc = event_get(&r->ctx, r->ids[0], v);
  if (rc == SVC_OK && !event_may_organise(&r->ctx, v))
    rc = svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL, "the organisers check in");
  return rc;
}

/* GET /events/{id}/checkin (?number= prefilled: the address a QR code carries). */
int web_event_checkin_page(struct req *r, struct resp *p) {
  struct event_view v;
  int rc = organised_event(r, &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  const char *number = req_query(r, "number");
  return checkin_page(r, p, 200, &v, NULL, number, NULL);
}

/* POST /events/{id}/checkin: number= checks a registration in; walk_in=1 with party=
 * registers and checks in at once. 303 to the page with the result, else the page with the
 * message (404 an unknown number, 409 waiting, withdrawn or full, 422 not a number). */
int web_event_checkin(struct req *r, struct resp *p) {
  struct event_view v;
  int rc = organised_event(r, &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct registration_view out;
  bool already = false;
  const char *number = req_form(r, "number"), *party = NULL;
  if (req_form(r, "walk_in")) {
    party = req_form(r, "party") ? req_form(r, "party") : "";
    int64_t enterprise, unit;
    if (!read_party(r, &enterprise, &unit))
      rc = svc_fail(&r->ctx, SVC_INVALID, "err_evt_party", "party", "choose who walks in");
    else
      rc = registration_walk_in(&r->ctx, v.id, enterprise, unit, &out);
  } else {
    long long n;
    /* a scanned address may come whole: take the number after number= */
    const char *at = number ? strstr(number, "number=") : NULL;
    const char *digits = at ? at + 7 : number;
    if (!digits || !web_parse_int(digits, &n) || n < 1)
      rc = svc_fail(&r->ctx, SVC_INVALID, "err_evt_number", "number", "a registration number");
    else
      rc = registration_check_in(&r->ctx, v.id, n, &out, &already);
  }
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/events/%lld/checkin?checked=%lld%s",
                                           (long long)v.id, (long long)out.id,
                                           already ? "&already=1" : ""));
  int status = rc == SVC_NOT_FOUND ? 404 : rc == SVC_CONFLICT ? 409 : rc == SVC_INVALID ? 422 : 0;
  if (!status)
    return web_service_page(r, p, rc);
  const char *err = web_take_code(r, "err_invalid");
  if (event_get(&r->ctx, v.id, &v) != SVC_OK)
    return web_service_page(r, p, SVC_ERROR);
  return checkin_page(r, p, status, &v, err, number, party);
}

/* GET /events/{id}/registrations/{rid}/qr.svg: the QR code of the registration's check-in
 * address, for who may read the event. */
int web_event_qr(struct req *r, struct resp *p) {
  struct registration_view g;
  int rc = registration_get(&r->ctx, r->ids[1], &g);
  if (rc == SVC_OK && g.event_id != r->ids[0])
    rc = svc_fail(&r->ctx, SVC_NOT_FOUND, "err_not_found", NULL, "not a registration of this event");
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  if (!qr_svg(&p->body, qr_address(r, g.event_id, g.number)))
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  p->content_type = "image/svg+xml";
  return p->status = 200;
}

/* ==== the portal ======================================================================== */

void web_event_portal_block(struct req *r, struct sb *b) {
  struct event_view *v;
  size_t n = 0;
  if (event_list_public(&r->ctx, true, PORTAL_EVENTS, &v, &n) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  html_printf(b, "<section class=\"public-events\" aria-labelledby=\"events-heading\">\n"
                 "<h2 id=\"events-heading\">%h</h2>\n",
              web_t(r, "ui_evt_portal_title"));
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_evt_portal_none"));
  else {
    html_printf(b, "<ul class=\"notice-list\">\n");
    for (size_t i = 0; i < n; i++)
      html_printf(b, "<li><time datetime=\"%h\">%h</time> <strong>%h</strong>%s%h%s · %h · %h%h%h%h%h"
                     "</li>\n",
                  v[i].starts, when_text(r, v[i].starts, v[i].ends), v[i].title,
                  v[i].state && strcmp(v[i].state, "cancelled") == 0 ? " <span class=\"badge light-red\">" : "",
                  v[i].state && strcmp(v[i].state, "cancelled") == 0 ? web_t(r, "ui_evt_state_cancelled") : "",
                  v[i].state && strcmp(v[i].state, "cancelled") == 0 ? "</span>" : "",
                  web_t(r, kind_label(v[i].kind)), v[i].place ? v[i].place : "",
                  v[i].place ? " · " : "", web_t(r, "ui_evt_host"), web_t(r, "ui_colon"),
                  host_text(r, &v[i]));
    html_printf(b, "</ul>\n");
  }
  html_printf(b, "<p><a href=\"/events.ics\">%h</a></p>\n</section>\n",
              web_t(r, "ui_evt_ics_link"));
}
