/* audit: the audit log as a page (GET /audit), newest first, for admins and leaders (a leader
 * sees its own pairing's rows, as service/audit_log.h scopes them). Each row reads as a
 * sentence in the reader's language — who (name and unit), when (UTC+8), what was done to
 * which object by its name — then the changed fields by their labels with ids as names and
 * stored values in words; the row as stored (action code, JSON) is in a <details> for the
 * engineer. Names come from one query per kind of object per page (audit_log_names). A GET
 * form filters by person (login or part of a name), unit, kind of action, object (kind and
 * id) and days (whole days in China Standard Time, UTC+8); sign-ins and sign-outs are a kind
 * of their own, left out unless asked for (they would flood the list). ?what= (an action
 * code) still narrows for links and engineers. "Older" pages by key. A filter that cannot be
 * read is answered 422 with the message next to its field and every filter kept. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service/audit_log.h"
#include "service/perm.h"
#include "service/user.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/web.h"

enum { AUDIT_PAGE = 50, AUDIT_FILTER_MAX = 200 };

static const struct {
  const char *value, *label;
} entities[] = {
    {"unit", "ui_unit"},           {"users", "ui_aud_obj_users"},
    {"session", "ui_aud_obj_session"}, {"api_token", "ui_aud_obj_token"},
    {"pairing", "ui_pairing"},     {"plan", "ui_aud_obj_plan"},
    {"task", "ui_task"},           {"work_plan", "ui_aud_obj_work_plan"},
    {"work_item", "ui_item"},      {"report", "ui_aud_obj_report"},
    {"notice", "ui_aud_obj_notice"}, {"region", "ui_aud_obj_region"},
};
#define N_ENTITIES (sizeof entities / sizeof *entities)

struct audit_form {
  const char *who, *what, *object, *object_id, *from, *to, *unit, *kind, *signins;
  const char *e_who, *e_what, *e_object, *e_from, *e_to, *e_unit, *e_kind;
};

static const char *entity_label(struct req *r, const char *entity) {
  for (size_t i = 0; i < N_ENTITIES; i++)
    if (entity && strcmp(entity, entities[i].value) == 0)
      return web_t(r, entities[i].label);
  return entity ? entity : "";
}

/* A day of the form (YYYY-MM-DD) as the stored time of its first instant in UTC+8, plus
 * `days`; NULL when it is not a date. */
static const char *day_start(struct req *r, const char *day, int days) {
  int y, m, d;
  char tail;
  if (strlen(day) != 10 || sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return NULL;
  if (!audit_log_time(&r->ctx, day)) /* a real date (no 2026-02-30) */
    return NULL;
  struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + days};
  time_t t = timegm(&tm);
  struct tm c;
  gmtime_r(&t, &c);
  return audit_log_time(&r->ctx, arena_printf(r->arena, "%04d-%02d-%02dT00:00+08:00",
                                              c.tm_year + 1900, c.tm_mon + 1, c.tm_mday));
}

/* The fields of the rows' before/after in words; a key not here is shown as
 * it is stored (a <code> name). */
static const struct {
  const char *key, *label;
} fields[] = {
    {"title", "ui_aud_f_title"},
    {"name", "ui_aud_f_name"},
    {"login", "ui_aud_f_login"},
    {"role", "ui_aud_f_role"},
    {"unit_id", "ui_aud_f_unit_id"},
    {"language", "ui_aud_f_language"},
    {"disabled", "ui_aud_f_disabled"},
    {"status", "ui_aud_f_status"},
    {"period", "ui_aud_f_period"},
    {"percent", "ui_aud_f_percent"},
    {"narrative", "ui_aud_f_narrative"},
    {"figures", "ui_aud_f_figures"},
    {"decision", "ui_aud_f_decision"},
    {"reviewer_id", "ui_aud_f_reviewer_id"},
    {"comment", "ui_aud_f_comment"},
    {"at", "ui_aud_f_at"},
    {"due", "ui_aud_f_due"},
    {"indicator", "ui_aud_f_indicator"},
    {"target_value", "ui_aud_f_target_value"},
    {"owner_unit_id", "ui_aud_f_owner_unit_id"},
    {"task_id", "ui_aud_f_task_id"},
    {"kind", "ui_aud_f_kind"},
    {"tier", "ui_aud_f_tier"},
    {"body", "ui_aud_f_body"},
    {"published_at", "ui_aud_f_published_at"},
    {"pairing_id", "ui_aud_f_pairing_id"},
    {"side", "ui_aud_f_side"},
    {"revision", "ui_aud_f_revision"},
    {"year", "ui_aud_f_year"},
    {"lead", "ui_aud_f_lead"},
    {"support", "ui_aud_f_support"},
    {"reason", "ui_aud_f_reason"},
    {"work_item_id", "ui_aud_f_work_item_id"},
    {"supersedes_id", "ui_aud_f_supersedes_id"},
    {"sessions_ended", "ui_aud_f_sessions_ended"},
    {"locked_until", "ui_aud_f_locked_until"},
    {"user_id", "ui_aud_f_user_id"},
    {"work_plan_id", "ui_aud_f_work_plan_id"},
    {"superseded_report_id", "ui_aud_f_superseded_report_id"},
    {"approved", "ui_aud_f_approved"}
};


/* ---- names ------------------------------------------------------------------------------ */

/* The names a page's rows need, from one audit_log_names call per page. */
struct names {
  struct audit_ref *refs;
  size_t n, cap;
};

/* Fields whose values are ids of another object, and its kind (an array: each of them). */
static const struct {
  const char *key, *entity;
} id_fields[] = {
    {"unit_id", "unit"},           {"owner_unit_id", "unit"},     {"lead", "unit"},
    {"support", "unit"},           {"reviewer_id", "users"},      {"user_id", "users"},
    {"task_id", "task"},           {"work_item_id", "work_item"}, {"work_plan_id", "work_plan"},
    {"pairing_id", "pairing"},     {"supersedes_id", "report"},   {"superseded_report_id", "report"},
};

static const char *id_entity(const char *key) {
  for (size_t i = 0; i < sizeof id_fields / sizeof *id_fields; i++)
    if (strcmp(key, id_fields[i].key) == 0)
      return id_fields[i].entity;
  return NULL;
}

/* The kinds of object whose rows name them by a name (audit_log_names knows them). */
static bool named_entity(const char *entity) {
  static const char *const named[] = {"unit", "users", "plan", "task", "work_plan",
                                      "work_item", "report", "notice", "pairing"};
  for (size_t i = 0; entity && i < sizeof named / sizeof *named; i++)
    if (strcmp(entity, named[i]) == 0)
      return true;
  return false;
}

static void want(struct req *r, struct names *nm, const char *entity, const char *login,
                 int64_t id) {
  for (size_t i = 0; i < nm->n; i++) /* once each */
    if (strcmp(nm->refs[i].entity, entity) == 0 &&
        (login ? nm->refs[i].login && strcmp(nm->refs[i].login, login) == 0
               : nm->refs[i].id == id))
      return;
  struct audit_ref *x = ARRAY_PUSH(r->ctx.arena, nm->refs, nm->n, nm->cap);
  *x = (struct audit_ref){.entity = entity, .login = login, .id = id};
}

static void want_fields(struct req *r, struct names *nm, const char *text) {
  json_t *j = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
  const char *key;
  json_t *v;
  if (json_is_object(j))
    json_object_foreach(j, key, v) {
      const char *entity = id_entity(key);
      if (!entity)
        continue;
      if (json_is_integer(v))
        want(r, nm, entity, NULL, json_integer_value(v));
      size_t i;
      json_t *x;
      if (json_is_array(v))
        json_array_foreach(v, i, x) {
          if (json_is_integer(x))
            want(r, nm, entity, NULL, json_integer_value(x));
        }
    }
  json_decref(j);
}

/* The names the rows e[0..n) need, looked up at once; SVC_OK or the service's code. */
static int page_names(struct req *r, const struct audit_entry *e, size_t n, struct names *nm) {
  *nm = (struct names){0};
  for (size_t i = 0; i < n; i++) {
    if (e[i].actor && strncmp(e[i].actor, "user:", 5) == 0)
      want(r, nm, "login", e[i].actor + 5, 0);
    if (e[i].entity_id > 0 && named_entity(e[i].entity))
      want(r, nm, e[i].entity, NULL, e[i].entity_id);
    want_fields(r, nm, e[i].before);
    want_fields(r, nm, e[i].after);
  }
  return nm->n ? audit_log_names(&r->ctx, nm->refs, nm->n) : SVC_OK;
}

static const struct audit_ref *named(const struct names *nm, const char *entity,
                                     const char *login, int64_t id) {
  for (size_t i = 0; i < nm->n; i++)
    if (strcmp(nm->refs[i].entity, entity) == 0 && nm->refs[i].name &&
        (login ? nm->refs[i].login && strcmp(nm->refs[i].login, login) == 0
               : nm->refs[i].id == id))
      return &nm->refs[i];
  return NULL;
}

/* ---- a row in words --------------------------------------------------------------------- */

static const char *field_label(struct req *r, const char *key) {
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    if (strcmp(key, fields[i].key) == 0)
      return web_t(r, fields[i].label);
  return NULL;
}

/* An id as the name of what it is, or "#id" when that is gone or not to be named. */
static const char *id_text(struct req *r, const struct names *nm, const char *entity,
                           int64_t id) {
  const struct audit_ref *x = named(nm, entity, NULL, id);
  return x ? x->name : arena_printf(r->arena, "#%lld", (long long)id);
}

/* A JSON value as a reader sees it: an id as a name, a status, a decision or a role in
 * words, a stored time in China's time zone, yes/no, other strings as they are, anything
 * else as compact JSON. entity: the row's object (a work plan's statuses are its own). */
static const char *value_text(struct req *r, const struct names *nm, const char *entity,
                              const char *key, json_t *v) {
  if (!v || json_is_null(v))
    return "—";
  if (json_is_boolean(v))
    return web_t(r, json_is_true(v) ? "ui_yes" : "ui_no");
  const char *ide = id_entity(key);
  if (ide && json_is_integer(v))
    return id_text(r, nm, ide, json_integer_value(v));
  bool sides = strcmp(key, "side") == 0 || strcmp(key, "approved") == 0;
  if (sides && json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
    return web_t(r, json_integer_value(v) ? "ui_adm_side_b" : "ui_adm_side_a");
  if ((ide || sides) && json_is_array(v)) {
    struct sb b = SB_INIT;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
      if (i)
        sb_append(&b, web_t(r, "ui_aud_list_sep"));
      sb_append(&b, json_is_integer(x) ? value_text(r, nm, entity, key, x) : "?");
    }
    const char *out = arena_strdup(r->arena, i ? sb_str(&b) : "—");
    sb_free(&b);
    return out;
  }
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    if (strcmp(key, "status") == 0 && entity && strcmp(entity, "work_plan") == 0 &&
        (strcmp(s, "draft") == 0 || strcmp(s, "submitted") == 0 || strcmp(s, "agreed") == 0))
      return web_t(r, arena_printf(r->arena, "ui_wp_st_%s", s));
    if (strcmp(key, "status") == 0 && strcmp(web_status_label(r, s), s) != 0)
      return web_status_label(r, s);
    if (strcmp(key, "decision") == 0)
      return web_t(r, web_review_label(s));
    if (strcmp(key, "role") == 0) {
      const char *k = arena_printf(r->arena, "ui_role_%s", s);
      const char *t = web_t(r, k);
      return strcmp(t, k) != 0 ? t : s;
    }
    if (strcmp(key, "period") == 0)
      return web_period(r, s);
    /* A stored instant is exactly 2026-11-26T03:16:04.123Z; text that only
     * starts like one (a narrative) stays as written. */
    if (strlen(s) == 24 && s[10] == 'T' && s[23] == 'Z')
      return web_time(r, s);
    return arena_strdup(r->arena, s);
  }
  char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
  const char *out = arena_strdup(r->arena, s ? s : "");
  free(s);
  return out;
}

/* "<li>" and the field's name: in words when known, else as stored; then the
 * separator before its value. */
static void field_name(struct req *r, struct sb *b, const char *key) {
  const char *label = field_label(r, key);
  if (label)
    html_printf(b, "<li>%h%h", label, web_t(r, "ui_colon"));
  else
    html_printf(b, "<li><code>%h</code> ", key);
}

/* The change in words: each field that differs, before → after. */
static void changes(struct req *r, struct sb *b, const struct names *nm,
                    const struct audit_entry *e) {
  const char *before = e->before, *after = e->after;
  json_t *jb = before ? json_loads(before, JSON_DECODE_ANY, NULL) : NULL;
  json_t *ja = after ? json_loads(after, JSON_DECODE_ANY, NULL) : NULL;
  if ((before && !json_is_object(jb)) || (after && !json_is_object(ja)) || (!jb && !ja)) {
    json_decref(jb);
    json_decref(ja);
    return; /* not an object: the JSON below is all there is */
  }
  html_printf(b, "<ul class=\"changes\">\n");
  const char *key;
  json_t *v;
  if (ja)
    json_object_foreach(ja, key, v) {
      json_t *old = jb ? json_object_get(jb, key) : NULL;
      if (jb && old && json_equal(old, v))
        continue;
      if (json_is_null(v) && (!old || json_is_null(old)))
        continue; /* nothing before, nothing after: no change to tell */
      field_name(r, b, key);
      if (jb)
        html_printf(b, "%h → %h</li>\n", value_text(r, nm, e->entity, key, old),
                    value_text(r, nm, e->entity, key, v));
      else
        html_printf(b, "%h</li>\n", value_text(r, nm, e->entity, key, v));
    }
  if (jb)
    json_object_foreach(jb, key, v) {
      if ((ja && json_object_get(ja, key)) || json_is_null(v))
        continue;
      field_name(r, b, key);
      html_printf(b, "%h → —</li>\n", value_text(r, nm, e->entity, key, v));
    }
  html_printf(b, "</ul>\n");
  json_decref(jb);
  json_decref(ja);
}

/* Who did it, as a reader names them: a person with their unit, the command line, a visitor
 * not signed in, the system. */
static const char *actor_text(struct req *r, const struct names *nm, const char *actor) {
  if (!actor)
    return web_t(r, "ui_aud_anonymous");
  if (strncmp(actor, "user:", 5) == 0) {
    const struct audit_ref *x = named(nm, "login", actor + 5, 0);
    if (!x)
      return actor + 5; /* an account since removed, or a login that never existed */
    return x->unit ? arena_printf(r->arena, "%s%s%s%s", x->name, web_t(r, "ui_aud_paren_open"),
                                  x->unit, web_t(r, "ui_aud_paren_close"))
                   : x->name;
  }
  if (strncmp(actor, "cli:", 4) == 0)
    return arena_printf(r->arena, "%s%s%s%s", web_t(r, "ui_aud_cli"),
                        web_t(r, "ui_aud_paren_open"), actor + 4, web_t(r, "ui_aud_paren_close"));
  if (strcmp(actor, "public") == 0)
    return web_t(r, "ui_aud_public");
  return web_t(r, "ui_aud_anonymous");
}

/* The row as a sentence: who, when, what was done to which object by its name. An action
 * without words of its own reads as its code made readable. */
static const char *sentence(struct req *r, const struct names *nm, const struct audit_entry *e) {
  char *key = arena_printf(r->arena, "ui_aud_v_%s", e->action ? e->action : "");
  for (char *k = key; *k; k++)
    if (*k == '.')
      *k = '_';
  const char *verb = web_t(r, key);
  bool known = strcmp(verb, key) != 0;
  if (!known) { /* work_plan.reporting: "work plan: reporting" */
    struct sb code = SB_INIT;
    for (const char *k = e->action ? e->action : "?"; *k; k++)
      sb_append(&code, *k == '_' ? " " : *k == '.' ? ": " : (char[]){*k, 0});
    verb = arena_printf(r->arena, "%s %s", web_t(r, "ui_aud_v_other"), sb_str(&code));
    sb_free(&code);
  }
  /* the object by its name; a sign-in names its account in "who" already */
  const char *object = "";
  bool auth = e->action && strncmp(e->action, "auth.", 5) == 0;
  if (!auth && e->entity_id > 0 && named_entity(e->entity)) {
    const struct audit_ref *x = named(nm, e->entity, NULL, e->entity_id);
    object = x ? arena_printf(r->arena, "%s%s%s", web_t(r, "ui_aud_quote_open"), x->name,
                              web_t(r, "ui_aud_quote_close"))
               : arena_printf(r->arena, " #%lld", (long long)e->entity_id);
    if (!known)
      object = arena_printf(r->arena, " %s%s", entity_label(r, e->entity), object);
  }
  const char *who = actor_text(r, nm, e->actor), *when = web_time(r, e->at);
  if (r->lang == LANG_EN)
    return arena_printf(r->arena, "%s %s%s %s %s", who, verb, object, web_t(r, "ui_aud_on"), when);
  return arena_printf(r->arena, "%s %s %s %s%s", who, web_t(r, "ui_aud_on"), when, verb, object);
}

/* ---- the form --------------------------------------------------------------------------- */

static void filter_field(struct req *r, struct sb *b, const char *id, const char *label,
                         const char *type, const char *value, const char *err) {
  html_printf(b,
              "<p><label for=\"%h\">%h</label>\n<input id=\"%h\" name=\"%h\" type=\"%h\" "
              "value=\"%h\"",
              id, web_t(r, label), id, id, type, value ? value : "");
  if (err)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"%h-error\"", id);
  html_printf(b, ">\n");
  web_field_error(r, b, err, id);
  html_printf(b, "</p>\n");
}

static void filter_form(struct req *r, struct sb *b, const struct audit_form *f) {
  html_printf(b, "<form method=\"get\" action=\"/audit\" class=\"filters\">\n");
  filter_field(r, b, "who", "ui_aud_who", "text", f->who, f->e_who);
  filter_field(r, b, "unit", "ui_aud_unit", "text", f->unit, f->e_unit);
  html_printf(b, "<p><label for=\"kind\">%h</label>\n<select id=\"kind\" name=\"kind\"",
              web_t(r, "ui_aud_kind"));
  if (f->e_kind)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"kind-error\"");
  html_printf(b, ">\n<option value=\"\">%h</option>\n", web_t(r, "ui_adm_any"));
  for (size_t i = 0; i < audit_log_n_kinds; i++)
    html_printf(b, "<option value=\"%h\"%s>%h</option>\n", audit_log_kinds[i].name,
                f->kind && strcmp(f->kind, audit_log_kinds[i].name) == 0 ? " selected" : "",
                web_t(r, arena_printf(r->arena, "ui_aud_k_%s", audit_log_kinds[i].name)));
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_kind, "kind");
  html_printf(b, "</p>\n<p><label for=\"object\">%h</label>\n<select id=\"object\" name=\"object\"",
              web_t(r, "ui_aud_object"));
  if (f->e_object)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"object-error\"");
  html_printf(b, ">\n<option value=\"\">%h</option>\n", web_t(r, "ui_adm_any"));
  for (size_t i = 0; i < N_ENTITIES; i++)
    html_printf(b, "<option value=\"%h\"%s>%h</option>\n", entities[i].value,
                f->object && strcmp(f->object, entities[i].value) == 0 ? " selected" : "",
                web_t(r, entities[i].label));
  html_printf(b, "</select>\n<label for=\"object_id\" class=\"inline\">%h</label>\n"
                 "<input id=\"object_id\" name=\"object_id\" type=\"text\" inputmode=\"numeric\" "
                 "size=\"8\" value=\"%h\">\n",
              web_t(r, "ui_aud_object_id"), f->object_id ? f->object_id : "");
  web_field_error(r, b, f->e_object, "object");
  html_printf(b, "</p>\n");
  filter_field(r, b, "from", "ui_aud_from", "date", f->from, f->e_from);
  filter_field(r, b, "to", "ui_aud_to", "date", f->to, f->e_to);
  html_printf(b, "<p><input id=\"signins\" name=\"signins\" type=\"checkbox\" value=\"1\"%s> "
                 "<label for=\"signins\">%h</label></p>\n",
              f->signins && strcmp(f->signins, "1") == 0 ? " checked" : "",
              web_t(r, "ui_aud_signins"));
  if (f->what && *f->what) /* an action code from a link: kept, shown in words above */
    html_printf(b, "<input type=\"hidden\" name=\"what\" value=\"%h\">\n", f->what);
  web_field_error(r, b, f->e_what, "what");
  html_printf(b, "<p class=\"meta\">%h</p>\n<p><button type=\"submit\">%h</button> "
                 "<a href=\"/audit\">%h</a></p>\n</form>\n",
              web_t(r, "ui_aud_filter_help"), web_t(r, "ui_adm_filter"),
              web_t(r, "ui_aud_clear"));
}

/* Reads the filters into f and af; false when one cannot be read (its message is in f). */
static bool read_filters(struct req *r, struct audit_form *f, struct audit_filter *af) {
  const char *q[] = {req_query(r, "who"),       req_query(r, "what"), req_query(r, "object"),
                     req_query(r, "object_id"), req_query(r, "from"), req_query(r, "to"),
                     req_query(r, "unit"),      req_query(r, "kind"), req_query(r, "signins")};
  f->who = q[0], f->what = q[1], f->object = q[2], f->object_id = q[3], f->from = q[4],
  f->to = q[5], f->unit = q[6], f->kind = q[7], f->signins = q[8];
  if (f->who && strlen(f->who) > AUDIT_FILTER_MAX)
    f->e_who = "err_too_long";
  else if (f->who && *f->who) {
    if (strchr(f->who, ':') || strcmp(f->who, "public") == 0 || strcmp(f->who, "anonymous") == 0)
      af->actor = f->who; /* an actor as stored: cli:root, public */
    else
      af->person = f->who;
  }
  if (f->unit && strlen(f->unit) > AUDIT_FILTER_MAX)
    f->e_unit = "err_too_long";
  else if (f->unit && *f->unit)
    af->unit = f->unit;
  if (f->kind && *f->kind) {
    if (!audit_log_kind(f->kind))
      f->e_kind = "err_invalid";
    af->kind = f->kind;
  }
  if (f->what && strlen(f->what) > AUDIT_FILTER_MAX)
    f->e_what = "err_too_long";
  else if (f->what && *f->what)
    af->action = f->what;
  if (f->object && *f->object) {
    if (strcmp(entity_label(r, f->object), f->object) == 0)
      f->e_object = "err_invalid";
    af->entity = f->object;
  }
  long long id;
  if (f->object_id && *f->object_id) {
    if (!web_parse_int(f->object_id, &id) || id <= 0)
      f->e_object = "err_type";
    else
      af->entity_id = id;
  }
  if (f->from && *f->from && !(af->since = day_start(r, f->from, 0)))
    f->e_from = "err_date";
  if (f->to && *f->to && !(af->until = day_start(r, f->to, 1)))
    f->e_to = "err_date";
  if (af->since && af->until && strcmp(af->since, af->until) >= 0)
    f->e_to = "ui_aud_bad_range";
  /* sign-ins only when asked for: the box, their kind, or their action codes */
  af->no_sign_ins = !(f->signins && strcmp(f->signins, "1") == 0) &&
                    !(af->kind && strcmp(af->kind, "sign_in") == 0) &&
                    !(af->action && strncmp(af->action, "auth.", 5) == 0);
  af->after = web_page_after(r); /* web_audit refused a bad one */
  af->limit = AUDIT_PAGE;
  return !(f->e_who || f->e_what || f->e_object || f->e_from || f->e_to || f->e_unit ||
           f->e_kind);
}

static void entry_row(struct req *r, struct sb *b, const struct names *nm,
                      const struct audit_entry *e) {
  html_printf(b, "<tr><td class=\"when\">%h</td><td class=\"entry\"><p class=\"sentence\">%h",
              web_time(r, e->at), sentence(r, nm, e));
  /* A unit or an account links to its page only for who may open it (a leader
   * reads the log but manages neither). */
  bool unit = e->entity && strcmp(e->entity, "unit") == 0;
  bool user = e->entity && strcmp(e->entity, "users") == 0;
  bool link = e->entity_id && (unit || user) &&
              (unit ? perm_manage_unit(&r->ctx, e->entity_id)
                    : user_may_manage(&r->ctx, e->entity_id)) == SVC_OK;
  web_take_code(r, NULL);
  if (link)
    html_printf(b, " <a href=\"/%s/%lld\">%h</a>", unit ? "units" : "users",
                (long long)e->entity_id, web_t(r, "ui_aud_open"));
  html_printf(b, "</p>\n");
  changes(r, b, nm, e);
  html_printf(b, "<details><summary>%h</summary>\n<p>%h%h<code>%h</code> %h",
              web_t(r, "ui_aud_json"), web_t(r, "ui_aud_action"), web_t(r, "ui_colon"),
              e->action, entity_label(r, e->entity));
  if (e->entity_id)
    html_printf(b, " %lld", (long long)e->entity_id);
  html_printf(b, "</p>\n");
  if (e->before)
    html_printf(b, "<p>%h</p><pre>%h</pre>\n", web_t(r, "ui_aud_before"), e->before);
  if (e->after)
    html_printf(b, "<p>%h</p><pre>%h</pre>\n", web_t(r, "ui_aud_after"), e->after);
  html_printf(b, "</details>");
  if (e->client)
    html_printf(b, "<p class=\"meta\">%h %h</p>", web_t(r, "ui_session_address"), e->client);
  html_printf(b, "</td></tr>\n");
}

/* /audit with every filter of the page, for its pager. Arena string. */
static const char *filtered_path(struct req *r, const struct audit_form *f) {
  struct sb q = SB_INIT;
  sb_append(&q, "/audit");
  const char *names[] = {"who", "unit", "kind", "what", "object", "object_id", "from", "to",
                         "signins"};
  const char *vals[] = {f->who,       f->unit, f->kind, f->what,   f->object,
                        f->object_id, f->from, f->to,   f->signins};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (vals[i] && *vals[i])
      web_query_add(&q, names[i], vals[i]);
  const char *path = arena_strdup(r->arena, sb_str(&q));
  sb_free(&q);
  return path;
}

/* Every row of the filtered log the reader may see, newest first, as a ledger (web/ledger.h),
 * a page of the service at a time in its own arena: the sentence for readers, the row as
 * stored for engineers. */
static const struct ledger_col audit_cols[] = {
    {"audit_id", "ui_lg_h_audit_id", LEDGER_INT, NULL},
    {"at", "ui_aud_time", LEDGER_TIME, NULL},
    {"entry", "ui_aud_entry", LEDGER_TEXT, NULL},
    {"actor", "ui_aud_actor", LEDGER_TEXT, NULL},
    {"action", "ui_aud_action", LEDGER_TEXT, NULL},
    {"object", "ui_aud_object", LEDGER_TEXT, NULL},
    {"object_id", "ui_lg_h_object_id", LEDGER_INT, NULL},
    {"before", "ui_aud_before", LEDGER_TEXT, NULL},
    {"after", "ui_aud_after", LEDGER_TEXT, NULL},
    {"client", "ui_session_address", LEDGER_TEXT, NULL},
};

/* The rows e[0..n) into l, named with one lookup. */
static int ledger_rows(struct req *r, struct ledger *l, const struct audit_entry *e, size_t n) {
  struct names nm;
  int rc = page_names(r, e, n, &nm);
  if (rc != SVC_OK)
    return rc;
  for (size_t i = 0; i < n; i++) {
    const char *actor = e[i].actor;
    if (actor && strncmp(actor, "user:", 5) == 0)
      actor += 5;
    ledger_int(l, e[i].id);
    ledger_date(l, e[i].at);
    ledger_text(l, sentence(r, &nm, &e[i]));
    ledger_text(l, actor);
    ledger_text(l, e[i].action);
    ledger_text(l, entity_label(r, e[i].entity));
    if (e[i].entity_id)
      ledger_int(l, e[i].entity_id);
    else
      ledger_blank(l);
    ledger_text(l, e[i].before);
    ledger_text(l, e[i].after);
    ledger_text(l, e[i].client);
    ledger_row_end(l);
  }
  return SVC_OK;
}

static int audit_ledger(struct req *r, struct resp *p, enum ledger_format format,
                        struct audit_filter *af) {
  struct audit_entry *e = NULL;
  size_t n = 0;
  int64_t next = 0;
  struct arena chunk;
  arena_init(&chunk);
  af->after = 0;
  af->limit = AUDIT_LIST_MAX;
  struct arena *keep = r->arena;
  r->ctx.arena = &chunk;
  int rc = audit_log_list(&r->ctx, af, &e, &n, &next);
  r->ctx.arena = keep;
  if (rc != SVC_OK) {
    arena_free(&chunk);
    return web_service_page(r, p, rc);
  }
  struct ledger_spec spec = {
      .name = web_t(r, "ui_aud_title"),
      .ascii = "audit-log",
      .title = web_t(r, "ui_aud_title"),
      .cols = audit_cols,
      .n_cols = sizeof audit_cols / sizeof *audit_cols};
  struct ledger *l = ledger_open(r, format, &spec);
  if (!l) {
    arena_free(&chunk);
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  }
  size_t rows = 0;
  for (;;) {
    rows += n;
    /* the names of a page live with it in the chunk; the sentences are the ledger's */
    r->ctx.arena = &chunk;
    rc = ledger_rows(r, l, e, n);
    if (rc == SVC_OK && next) {
      af->after = next;
      arena_free(&chunk);
      arena_init(&chunk);
      r->ctx.arena = &chunk;
      rc = audit_log_list(&r->ctx, af, &e, &n, &next);
      r->ctx.arena = keep;
    } else {
      r->ctx.arena = keep;
      if (rc == SVC_OK)
        break;
    }
    if (rc != SVC_OK) {
      arena_free(&chunk);
      return web_service_page(r, p, rc);
    }
  }
  arena_free(&chunk);
  /* under --mlps the export is audited; the filters as read, not the pages' keyset */
  af->after = 0;
  rc = audit_log_record_read(&r->ctx, "audit.export", af,
                             format == LEDGER_CSV ? "csv" : "xlsx", rows);
  if (rc != SVC_OK) /* the unsent ledger is closed by its cleanup */
    return web_service_page(r, p, rc);
  return ledger_send(l, p);
}

int web_audit(struct req *r, struct resp *p) {
  struct audit_form f = {0};
  struct audit_filter af = {0};
  int format = ledger_asked(r);
  if (web_page_after(r) < 0 || format < 0)
    return web_bad_query(r, p);
  bool ok = read_filters(r, &f, &af);
  if (ok && format != LEDGER_PAGE)
    return audit_ledger(r, p, (enum ledger_format)format, &af);
  struct audit_entry *e = NULL;
  size_t n = 0;
  int64_t next = 0;
  struct names nm = {0};
  if (ok) {
    int rc = audit_log_list(&r->ctx, &af, &e, &n, &next);
    if (rc == SVC_OK) /* under --mlps the reading is audited too */
      rc = audit_log_record_read(&r->ctx, "audit.read", &af, NULL, n);
    if (rc == SVC_OK)
      rc = page_names(r, e, n, &nm);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
  }
  struct sb *b = &p->body;
  p->status = ok ? 200 : 422;
  web_begin(r, p, web_t(r, "ui_aud_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h</p>\n", web_t(r, "ui_aud_title"),
              web_t(r, r->user->role == ROLE_ADMIN ? "ui_aud_intro_admin" : "ui_aud_intro"));
  if (!ok)
    web_form_error(r, b, "ui_form_has_errors");
  filter_form(r, b, &f);
  if (!ok)
    return web_end(r, p);
  if (n == 0) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_aud_none"));
    return web_end(r, p);
  }
  ledger_links(r, b, filtered_path(r, &f));
  html_printf(b,
              "<table class=\"audit\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_aud_time"), web_t(r, "ui_aud_entry"));
  for (size_t i = 0; i < n; i++)
    entry_row(r, b, &nm, &e[i]);
  html_printf(b, "</tbody>\n</table>\n");
  web_pager(r, b, filtered_path(r, &f), af.after, next != 0, next);
  return web_end(r, p);
}
