/* exchange: the pages of 干部挂职 · 培训 · 人才交流.
 *   /exchanges        a pairing's exchanges: who is posted where now (在岗挂职), who returns
 *                     within 30 days (即将期满), the year's exchanges of every kind, the
 *                     year's counts per kind and side against the plan's targets, and for a
 *                     lead office the form that records one.
 *   /exchanges/{id}   its facts — the id number and phone only for the sending side's lead
 *                     office and admins — and the edit form for the pairing's lead offices.
 * The rules are service/exchange.h's; a refusal shows the form again with the message by
 * the field, a summary above it and the input kept; a stale edit answers 409. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "service/exchange.h"
#include "service/pairing.h"
#include "service/plan.h"
#include "service/user.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/web.h"

static const char *const kind_labels[EXCHANGE_KIND_N] = {
    "ui_ex_kind_secondment", "ui_ex_kind_training", "ui_ex_kind_talent",
    "ui_ex_kind_expert",     "ui_ex_kind_teacher",  "ui_ex_kind_student"};

static const char *kind_label(enum exchange_kind k) {
  return (unsigned)k < EXCHANGE_KIND_N ? kind_labels[k] : kind_labels[0];
}

/* The form as typed; e_* the message ids next to each field. */
struct exchange_form {
  const char *kind, *title, *person_name, *id_number, *phone, *from_unit, *host_unit, *side,
      *post, *field, *starts, *ends, *place, *count_a, *count_b, *names, *task, *purpose,
      *updated_at;
  bool clear_personal;
  const char *e_kind, *e_title, *e_person_name, *e_id_number, *e_phone, *e_from_unit,
      *e_host_unit, *e_side, *e_post, *e_field, *e_starts, *e_ends, *e_place, *e_count_a,
      *e_count_b, *e_names, *e_task, *e_purpose, *e_top;
};

/* field name (the service's, and the input's id) → its message slot and label */
static const struct {
  const char *field, *input, *label;
  size_t slot;
} form_fields_tab[] = {
#define F(field, input, label, member) {field, input, label, offsetof(struct exchange_form, member)}
    F("kind", "kind", "ui_ex_kind", e_kind),
    F("title", "title", "ui_ex_title", e_title),
    F("person_name", "person_name", "ui_ex_person", e_person_name),
    F("id_number", "id_number", "ui_ex_id_number", e_id_number),
    F("phone", "phone", "ui_ex_phone", e_phone),
    F("from_unit_id", "from_unit", "ui_ex_from_unit", e_from_unit),
    F("host_unit_id", "host_unit", "ui_ex_host_unit", e_host_unit),
    F("side", "side", "ui_ex_side", e_side),
    F("post", "post", "ui_ex_post", e_post),
    F("field", "field", "ui_ex_field", e_field),
    F("starts", "starts", "ui_ex_starts", e_starts),
    F("ends", "ends", "ui_ex_ends", e_ends),
    F("place", "place", "ui_ex_place", e_place),
    F("count_a", "count_a", "ui_ex_count_a", e_count_a),
    F("count_b", "count_b", "ui_ex_count_b", e_count_b),
    F("names", "names", "ui_ex_names", e_names),
    F("task_id", "task", "ui_ex_task", e_task),
    F("purpose", "purpose", "ui_ex_purpose", e_purpose),
#undef F
};
enum { N_FORM_FIELDS = sizeof form_fields_tab / sizeof *form_fields_tab };

static const char **slot(struct exchange_form *f, size_t i) {
  return (const char **)((char *)f + form_fields_tab[i].slot);
}

static void form_error(struct exchange_form *f, const char *field, const char *code) {
  for (size_t i = 0; field && i < N_FORM_FIELDS; i++)
    if (strcmp(field, form_fields_tab[i].field) == 0) {
      *slot(f, i) = code;
      f->e_top = "ui_form_has_errors";
      return;
    }
  f->e_top = code;
}

/* Above the form: what is wrong; web_end lists every field's message at the top. */
static void error_summary(struct req *r, struct sb *b, struct exchange_form *f) {
  web_form_error(r, b, f->e_top);
}

enum input_type { IN_TEXT, IN_DATE, IN_NUMBER };

static void input(struct req *r, struct sb *b, const char *id, const char *label,
                  const char *value, const char *err, enum input_type type, const char *extra) {
  html_printf(b, "<p><label for=\"%h\">%h</label>\n<input id=\"%h\" name=\"%h\" ", id,
              web_t(r, label), id, id);
  if (type == IN_DATE)
    html_printf(b, "type=\"date\"");
  else if (type == IN_NUMBER)
    html_printf(b, "type=\"number\" min=\"0\" max=\"%d\"", EXCHANGE_COUNT_MAX);
  else
    html_printf(b, "type=\"text\" maxlength=\"%d\"", EXCHANGE_TITLE_MAX);
  html_printf(b, " value=\"%h\"", value ? value : "");
  if (extra && strcmp(extra, "fields") == 0)
    html_printf(b, " list=\"exchange-fields\"");
  else if (extra && strcmp(extra, "off") == 0)
    html_printf(b, " autocomplete=\"off\"");
  web_describe(b, id, err);
  html_printf(b, ">\n");
  web_field_error(r, b, err, id);
  html_printf(b, "</p>\n");
}

static void unit_select(struct req *r, struct sb *b, const char *id, const char *label,
                        const char *chosen, const char *err, const struct unit_view *units,
                        size_t n) {
  html_printf(b, "<p><label for=\"%h\">%h</label>\n<select id=\"%h\" name=\"%h\"", id,
              web_t(r, label), id, id);
  web_describe(b, id, err);
  html_printf(b, ">\n<option value=\"\">%h</option>\n", web_t(r, "ui_ex_none_chosen"));
  for (size_t i = 0; i < n; i++) {
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)units[i].id);
    html_printf(b, "<option value=\"%h\"%s>%h · %h</option>\n", v,
                chosen && strcmp(chosen, v) == 0 ? " selected" : "",
                units[i].side ? units[i].pairing_b : units[i].pairing_a, units[i].name);
  }
  html_printf(b, "</select>\n");
  web_field_error(r, b, err, id);
  html_printf(b, "</p>\n");
}

/* The fields of the create form (v NULL) and of the edit form of v. */
static void form_body(struct req *r, struct sb *b, struct exchange_form *f,
                      const struct pairing_view *pv, const struct exchange_view *v) {
  if (!v) {
    html_printf(b, "<p><label for=\"kind\">%h</label>\n<select id=\"kind\" name=\"kind\"",
                web_t(r, "ui_ex_kind"));
    web_describe(b, "kind", f->e_kind);
    html_printf(b, ">\n");
    for (int k = 0; k < EXCHANGE_KIND_N; k++) {
      const char *name = exchange_kind_name((enum exchange_kind)k);
      html_printf(b, "<option value=\"%h\"%s>%h</option>\n", name,
                  f->kind && strcmp(f->kind, name) == 0 ? " selected" : "",
                  web_t(r, kind_labels[k]));
    }
    html_printf(b, "</select>\n");
    web_field_error(r, b, f->e_kind, "kind");
    html_printf(b, "</p>\n");
  }
  input(r, b, "title", "ui_ex_title", f->title, f->e_title, IN_TEXT, NULL);
  html_printf(b, "<fieldset>\n<legend>%h</legend>\n<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_ex_secondment_part"), web_t(r, "ui_ex_secondment_hint"));
  input(r, b, "person_name", "ui_ex_person", f->person_name, f->e_person_name, IN_TEXT, NULL);
  bool personal = v ? v->personal_visible : exchange_may_create(&r->ctx);
  if (personal) {
    html_printf(b, "<p class=\"meta\">%h</p>\n",
                web_t(r, v ? "ui_ex_personal_keep" : "ui_ex_personal_hint"));
    input(r, b, "id_number", "ui_ex_id_number", f->id_number, f->e_id_number, IN_TEXT, "off");
    input(r, b, "phone", "ui_ex_phone", f->phone, f->e_phone, IN_TEXT, "off");
    if (v && (v->id_sealed_ || v->phone_sealed_))
      html_printf(b,
                  "<p><input id=\"clear_personal\" name=\"clear_personal\" type=\"checkbox\" "
                  "value=\"1\"%s><label class=\"inline\" for=\"clear_personal\">%h</label></p>\n",
                  f->clear_personal ? " checked" : "", web_t(r, "ui_ex_personal_clear"));
  }
  input(r, b, "post", "ui_ex_post", f->post, f->e_post, IN_TEXT, NULL);
  input(r, b, "field", "ui_ex_field", f->field, f->e_field, IN_TEXT, "fields");
  html_printf(b, "<datalist id=\"exchange-fields\">\n");
  for (size_t i = 0; i < exchange_n_fields; i++)
    html_printf(b, "<option value=\"%h\">\n", exchange_fields[i]);
  html_printf(b, "</datalist>\n</fieldset>\n");
  struct unit_view *units;
  size_t n = 0;
  if (unit_list(&r->ctx, pv->id, -1, &units, &n) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  unit_select(r, b, "from_unit", "ui_ex_from_unit", f->from_unit, f->e_from_unit, units, n);
  unit_select(r, b, "host_unit", "ui_ex_host_unit", f->host_unit, f->e_host_unit, units, n);
  html_printf(b, "<p><label for=\"side\">%h</label>\n<select id=\"side\" name=\"side\"",
              web_t(r, "ui_ex_side"));
  web_describe(b, "side", f->e_side);
  html_printf(b, ">\n<option value=\"\">%h</option>\n<option value=\"0\"%s>%h</option>\n"
                 "<option value=\"1\"%s>%h</option>\n</select>\n",
              web_t(r, "ui_ex_side_from_unit"),
              f->side && strcmp(f->side, "0") == 0 ? " selected" : "", pv->name_a,
              f->side && strcmp(f->side, "1") == 0 ? " selected" : "", pv->name_b);
  web_field_error(r, b, f->e_side, "side");
  html_printf(b, "</p>\n");
  input(r, b, "starts", "ui_ex_starts", f->starts, f->e_starts, IN_DATE, NULL);
  input(r, b, "ends", "ui_ex_ends", f->ends, f->e_ends, IN_DATE, NULL);
  input(r, b, "place", "ui_ex_place", f->place, f->e_place, IN_TEXT, NULL);
  html_printf(b, "<fieldset>\n<legend>%h</legend>\n", web_t(r, "ui_ex_people_part"));
  html_printf(b, "<p><label for=\"count_a\">%h（%h）</label>\n<input id=\"count_a\" "
                 "name=\"count_a\" type=\"number\" min=\"0\" max=\"%d\" value=\"%h\"",
              web_t(r, "ui_ex_count"), pv->name_a, EXCHANGE_COUNT_MAX,
              f->count_a ? f->count_a : "");
  web_describe(b, "count_a", f->e_count_a);
  html_printf(b, ">\n");
  web_field_error(r, b, f->e_count_a, "count_a");
  html_printf(b, "</p>\n<p><label for=\"count_b\">%h（%h）</label>\n<input id=\"count_b\" "
                 "name=\"count_b\" type=\"number\" min=\"0\" max=\"%d\" value=\"%h\"",
              web_t(r, "ui_ex_count"), pv->name_b, EXCHANGE_COUNT_MAX,
              f->count_b ? f->count_b : "");
  web_describe(b, "count_b", f->e_count_b);
  html_printf(b, ">\n");
  web_field_error(r, b, f->e_count_b, "count_b");
  html_printf(b, "</p>\n<p><label for=\"names\">%h</label>\n<textarea id=\"names\" "
                 "name=\"names\" rows=\"3\"",
              web_t(r, "ui_ex_names"));
  web_describe(b, "names", f->e_names);
  html_printf(b, ">%h</textarea>\n", f->names ? f->names : "");
  web_field_error(r, b, f->e_names, "names");
  html_printf(b, "</p>\n</fieldset>\n");
  struct plan_view plan;
  if (pv->plan_id && plan_get(&r->ctx, pv->plan_id, &plan) == SVC_OK && plan.n_tasks) {
    html_printf(b, "<p><label for=\"task\">%h</label>\n<select id=\"task\" name=\"task\"",
                web_t(r, "ui_ex_task"));
    web_describe(b, "task", f->e_task);
    html_printf(b, ">\n<option value=\"\">%h</option>\n", web_t(r, "ui_ex_none_chosen"));
    for (size_t i = 0; i < plan.n_tasks; i++) {
      char id[24];
      snprintf(id, sizeof id, "%lld", (long long)plan.tasks[i].id);
      html_printf(b, "<option value=\"%h\"%s>%d. %h</option>\n", id,
                  f->task && strcmp(f->task, id) == 0 ? " selected" : "", plan.tasks[i].number,
                  plan.tasks[i].title);
    }
    html_printf(b, "</select>\n");
    web_field_error(r, b, f->e_task, "task");
    html_printf(b, "</p>\n");
  } else {
    web_take_code(r, NULL);
  }
  html_printf(b, "<p><label for=\"purpose\">%h</label>\n<textarea id=\"purpose\" "
                 "name=\"purpose\" rows=\"3\" maxlength=\"%d\"",
              web_t(r, "ui_ex_purpose"), EXCHANGE_PURPOSE_MAX);
  web_describe(b, "purpose", f->e_purpose);
  html_printf(b, ">%h</textarea>\n", f->purpose ? f->purpose : "");
  web_field_error(r, b, f->e_purpose, "purpose");
  html_printf(b, "</p>\n");
}

static void read_form(struct req *r, struct exchange_form *f) {
  memset(f, 0, sizeof *f);
  f->kind = req_form(r, "kind");
  f->title = req_form(r, "title");
  f->person_name = req_form(r, "person_name");
  f->id_number = req_form(r, "id_number");
  f->phone = req_form(r, "phone");
  f->from_unit = req_form(r, "from_unit");
  f->host_unit = req_form(r, "host_unit");
  f->side = req_form(r, "side");
  f->post = req_form(r, "post");
  f->field = req_form(r, "field");
  f->starts = req_form(r, "starts");
  f->ends = req_form(r, "ends");
  f->place = req_form(r, "place");
  f->count_a = req_form(r, "count_a");
  f->count_b = req_form(r, "count_b");
  f->names = req_form(r, "names");
  f->task = req_form(r, "task");
  f->purpose = req_form(r, "purpose");
  f->updated_at = req_form(r, "updated_at");
  const char *clear = req_form(r, "clear_personal");
  f->clear_personal = clear && strcmp(clear, "1") == 0;
}

/* An id field: "" is none (0), absent keeps (-1); false when it is not a number. */
static bool form_id(const char *s, int64_t *out) {
  long long v;
  if (!s) {
    *out = -1;
    return true;
  }
  if (!*s) {
    *out = 0;
    return true;
  }
  if (!web_parse_int(s, &v) || v < 1)
    return false;
  *out = v;
  return true;
}

/* The form as a service input; false (with the message in f) when a field cannot be read.
 * edit: a blank id number or phone keeps what is stored (the form never shows it back). */
static bool to_input(struct req *r, struct exchange_form *f, bool edit,
                     struct exchange_input *in) {
  exchange_input_init(in);
  in->kind = f->kind;
  in->title = f->title;
  in->person_name = f->person_name;
  in->post = f->post;
  in->field = f->field;
  in->starts = f->starts;
  in->ends = f->ends;
  in->place = f->place;
  in->purpose = f->purpose;
  in->id_number = f->id_number;
  in->phone = f->phone;
  if (edit) {
    if (in->id_number && !*in->id_number)
      in->id_number = NULL;
    if (in->phone && !*in->phone)
      in->phone = NULL;
    if (f->clear_personal)
      in->id_number = in->phone = "";
  }
  in->if_updated_at = f->updated_at ? f->updated_at : "";
  if (!form_id(f->from_unit, &in->from_unit_id)) {
    form_error(f, "from_unit_id", "err_unit_unknown");
    return false;
  }
  if (!form_id(f->host_unit, &in->host_unit_id)) {
    form_error(f, "host_unit_id", "err_unit_unknown");
    return false;
  }
  if (!form_id(f->task, &in->task_id)) {
    form_error(f, "task_id", "err_task_unknown");
    return false;
  }
  long long v;
  if (f->side && *f->side) {
    if (!web_parse_int(f->side, &v) || v < 0 || v > 1) {
      form_error(f, "side", "err_side");
      return false;
    }
    in->side = (int)v;
  }
  const char *counts[2] = {f->count_a, f->count_b};
  int64_t *outs[2] = {&in->count_a, &in->count_b};
  for (int i = 0; i < 2; i++) {
    if (!counts[i])
      continue;
    if (!*counts[i]) {
      *outs[i] = 0;
      continue;
    }
    if (!web_parse_int(counts[i], &v) || v < 0 || v > EXCHANGE_COUNT_MAX) {
      form_error(f, i ? "count_b" : "count_a", "err_range");
      return false;
    }
    *outs[i] = v;
  }
  /* a secondment counts itself: its count fields are not the user's to set */
  if (exchange_kind_from(f->kind) == EXCHANGE_SECONDMENT || (edit && !f->kind))
    in->count_a = in->count_b = -1;
  if (f->names) {
    size_t cap = 0, n = 0;
    const char **names = NULL;
    const char *s = f->names;
    while (*s) {
      size_t len = strcspn(s, "\r\n");
      if (len)
        *(const char **)ARRAY_PUSH(r->arena, names, n, cap) = arena_strndup(r->arena, s, len);
      s += len;
      while (*s == '\r' || *s == '\n')
        s++;
    }
    in->names = names;
    in->n_names = n;
    in->set_names = true;
  }
  return true;
}

/* ---- the list page ------------------------------------------------------------------- */

static const char *dates(struct req *r, const struct exchange_view *v) {
  if (!v->ends)
    return arena_printf(r->arena, "%s %s", web_date(r, v->starts), web_t(r, "ui_ex_open_end"));
  return arena_printf(r->arena, "%s — %s", web_date(r, v->starts), web_date(r, v->ends));
}

static const char *people(struct req *r, const struct pairing_view *pv,
                          const struct exchange_view *v) {
  if (v->kind == EXCHANGE_SECONDMENT)
    return v->person_name;
  return arena_printf(r->arena, "%s %lld · %s %lld", pv->name_a, (long long)v->count_a,
                      pv->name_b, (long long)v->count_b);
}

/* A table of secondments: person, from → host, post, field, dates. */
static void secondment_table(struct req *r, struct sb *b, const struct exchange_view *v,
                             size_t n, const char *caption) {
  html_printf(b,
              "<table class=\"projects\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "</tr></thead>\n<tbody>\n",
              caption, web_t(r, "ui_ex_person"), web_t(r, "ui_ex_from_unit"),
              web_t(r, "ui_ex_host_unit"), web_t(r, "ui_ex_post"), web_t(r, "ui_ex_field"),
              web_t(r, "ui_ex_dates"));
  for (size_t i = 0; i < n; i++)
    html_printf(b,
                "<tr><th scope=\"row\" data-label=\"%h\"><a href=\"/exchanges/%lld\">%h</a></th>"
                "<td data-label=\"%h\">%h</td><td data-label=\"%h\">%h</td>"
                "<td data-label=\"%h\">%h</td><td data-label=\"%h\">%h</td>"
                "<td data-label=\"%h\">%h</td></tr>\n",
                web_t(r, "ui_ex_person"), (long long)v[i].id, v[i].person_name,
                web_t(r, "ui_ex_from_unit"), v[i].from_unit, web_t(r, "ui_ex_host_unit"),
                v[i].host_unit, web_t(r, "ui_ex_post"), v[i].post ? v[i].post : "—",
                web_t(r, "ui_ex_field"), v[i].field ? v[i].field : "—", web_t(r, "ui_ex_dates"),
                dates(r, &v[i]));
  html_printf(b, "</tbody>\n</table>\n");
}

static void year_table(struct req *r, struct sb *b, const struct pairing_view *pv,
                       const struct exchange_view *v, size_t n) {
  html_printf(b,
              "<table class=\"projects\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_ex_kind"), web_t(r, "ui_ex_title"), web_t(r, "ui_ex_people"),
              web_t(r, "ui_ex_units"), web_t(r, "ui_ex_dates"), web_t(r, "ui_ex_place"));
  for (size_t i = 0; i < n; i++) {
    const char *units = v[i].from_unit && v[i].host_unit
                            ? arena_printf(r->arena, "%s → %s", v[i].from_unit, v[i].host_unit)
                        : v[i].from_unit ? v[i].from_unit
                        : v[i].host_unit ? v[i].host_unit
                                         : "—";
    html_printf(b,
                "<tr><td data-label=\"%h\">%h</td><th scope=\"row\" data-label=\"%h\">"
                "<a href=\"/exchanges/%lld\">%h</a></th><td data-label=\"%h\">%h</td>"
                "<td data-label=\"%h\">%h</td><td data-label=\"%h\">%h</td>"
                "<td data-label=\"%h\">%h</td></tr>\n",
                web_t(r, "ui_ex_kind"), web_t(r, kind_label(v[i].kind)), web_t(r, "ui_ex_title"),
                (long long)v[i].id, v[i].title, web_t(r, "ui_ex_people"), people(r, pv, &v[i]),
                web_t(r, "ui_ex_units"), units, web_t(r, "ui_ex_dates"), dates(r, &v[i]),
                web_t(r, "ui_ex_place"), v[i].place ? v[i].place : "—");
  }
  html_printf(b, "</tbody>\n</table>\n");
}

static void counts_table(struct req *r, struct sb *b, const struct pairing_view *pv,
                         const struct exchange_counts *cn) {
  html_printf(b,
              "<table class=\"projects\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              arena_printf(r->arena, web_t(r, "ui_ex_counts_caption"), cn->year),
              web_t(r, "ui_ex_kind"), web_t(r, "ui_ex_entries"), pv->name_a, pv->name_b,
              web_t(r, "ui_ex_targets"));
  for (int k = 0; k < EXCHANGE_KIND_N; k++) {
    const struct exchange_kind_count *kc = &cn->kind[k];
    html_printf(b,
                "<tr><th scope=\"row\" data-label=\"%h\">%h</th><td class=\"num\" "
                "data-label=\"%h\">%lld</td><td class=\"num\" data-label=\"%h\">%lld</td>"
                "<td class=\"num\" data-label=\"%h\">%lld</td><td data-label=\"%h\">",
                web_t(r, "ui_ex_kind"), web_t(r, kind_labels[k]), web_t(r, "ui_ex_entries"),
                (long long)kc->entries, pv->name_a, (long long)kc->people[0], pv->name_b,
                (long long)kc->people[1], web_t(r, "ui_ex_targets"));
    if (!kc->n_targets)
      html_printf(b, "—");
    for (size_t i = 0; i < kc->n_targets; i++)
      html_printf(b, "%s<a href=\"/tasks/%lld\">%h</a>%h", i ? "<br>" : "",
                  (long long)kc->targets[i].task_id,
                  arena_printf(r->arena, web_t(r, "ui_ex_task_number"),
                               kc->targets[i].task_number),
                  kc->targets[i].text);
    html_printf(b, "</td></tr>\n");
  }
  html_printf(b,
              "<tr><th scope=\"row\" data-label=\"%h\">%h</th><td></td><td class=\"num\" "
              "data-label=\"%h\">%lld</td><td class=\"num\" data-label=\"%h\">%lld</td><td></td>"
              "</tr>\n</tbody>\n</table>\n",
              web_t(r, "ui_ex_kind"), web_t(r, "ui_ex_total"), pv->name_a,
              (long long)cn->people[0], pv->name_b, (long long)cn->people[1]);
}

/* The year's exchanges as a ledger (web/ledger.h); the people's ID numbers and phones, kept
 * sealed and shown on no list, are not in it either. */
static int exchanges_ledger(struct req *r, struct resp *p, enum ledger_format format,
                            const struct pairing_view *pv, int year, const struct exchange_view *v,
                            size_t n) {
  const struct ledger_col cols[] = {
      {"exchange_id", "ui_lg_h_exchange_id", LEDGER_INT, NULL},
      {"kind", "ui_ex_kind", LEDGER_TEXT, NULL},
      {"title", "ui_lg_h_exchange_title", LEDGER_TEXT, NULL},
      {"person", "ui_ex_person", LEDGER_TEXT, NULL},
      {"from_unit", "ui_ex_from_unit", LEDGER_TEXT, NULL},
      {"host_unit", "ui_ex_host_unit", LEDGER_TEXT, NULL},
      {"post", "ui_ex_post", LEDGER_TEXT, NULL},
      {"field", "ui_ex_field", LEDGER_TEXT, NULL},
      {"starts", "ui_ex_starts", LEDGER_DATE, NULL},
      {"ends", "ui_ex_ends", LEDGER_DATE, NULL},
      {"place", "ui_ex_place", LEDGER_TEXT, NULL},
      {"count_a", NULL, LEDGER_INT, arena_printf(r->arena, "%s%s", pv->name_a, web_t(r, "ui_ex_people"))},
      {"count_b", NULL, LEDGER_INT, arena_printf(r->arena, "%s%s", pv->name_b, web_t(r, "ui_ex_people"))},
  };
  struct ledger_spec spec = {
      .name = arena_printf(r->arena, "%s-%d", web_t(r, "ui_lg_ex_file"), year),
      .ascii = arena_printf(r->arena, "exchanges-%lld-%d", (long long)pv->id, year),
      .title = arena_printf(r->arena, "%s—%s %d%s %s", pv->name_a, pv->name_b, year,
                            r->lang == LANG_EN ? "" : web_t(r, "ui_year_suffix"),
                            web_t(r, "ui_lg_ex_file")),
      .cols = cols,
      .n_cols = sizeof cols / sizeof *cols};
  struct ledger *l = ledger_open(r, format, &spec);
  if (!l)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  for (size_t i = 0; i < n; i++) {
    ledger_int(l, v[i].id);
    ledger_text(l, web_t(r, kind_label(v[i].kind)));
    ledger_text(l, v[i].title);
    ledger_text(l, v[i].person_name);
    ledger_text(l, v[i].from_unit);
    ledger_text(l, v[i].host_unit);
    ledger_text(l, v[i].post);
    ledger_text(l, v[i].field);
    ledger_date(l, v[i].starts);
    ledger_date(l, v[i].ends);
    ledger_text(l, v[i].place);
    ledger_int(l, v[i].count_a);
    ledger_int(l, v[i].count_b);
    ledger_row_end(l);
  }
  return ledger_send(l, p);
}

static int list_page(struct req *r, struct resp *p, int status, struct exchange_form *f) {
  int64_t pairing = web_asked_pairing(r);
  long long year = web_this_year();
  const char *qy = req_query(r, "year");
  if (pairing < 0 || (qy && (!web_parse_int(qy, &year) || year < 2000 || year > 2100)))
    return web_bad_query(r, p);
  if (!pairing)
    return web_error(r, p, 404, "ui_ex_title", "ui_ex_no_pairing");
  struct pairing_view pv;
  int rc = pairing_get(&r->ctx, pairing, &pv);
  struct exchange_view *now = NULL, *ret = NULL, *all = NULL;
  size_t n_now = 0, n_ret = 0, n_all = 0;
  struct exchange_filter fn = {.pairing_id = pairing, .kind = -1, .side = -1, .now = true};
  struct exchange_filter fr = fn, fy = {.pairing_id = pairing, .year = (int)year, .kind = -1,
                                        .side = -1};
  fr.returning = true;
  struct exchange_counts cn;
  if (rc == SVC_OK)
    rc = exchange_list(&r->ctx, &fn, &now, &n_now);
  if (rc == SVC_OK)
    rc = exchange_list(&r->ctx, &fr, &ret, &n_ret);
  if (rc == SVC_OK)
    rc = exchange_list(&r->ctx, &fy, &all, &n_all);
  if (rc == SVC_OK)
    rc = exchange_counts(&r->ctx, pairing, (int)year, &cn);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  int format = ledger_asked(r);
  if (format < 0)
    return web_bad_query(r, p);
  if (format != LEDGER_PAGE && status == 200)
    return exchanges_ledger(r, p, (enum ledger_format)format, &pv, (int)year, all, n_all);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_ex_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"meta\">%h — %h · %h</p>\n", web_t(r, "ui_ex_title"),
              pv.name_a, pv.name_b, web_t(r, "ui_ex_intro"));
  html_printf(b, "<nav class=\"tabs\" aria-label=\"%h\"><ul><li><a href=\"#now\">%h</a></li>"
                 "<li><a href=\"#returning\">%h</a></li><li><a href=\"#year\">%h</a></li>"
                 "<li><a href=\"#counts\">%h</a></li>%s%h%s</ul></nav>\n",
              web_t(r, "ui_ex_title"), web_t(r, "ui_ex_now"), web_t(r, "ui_ex_returning"),
              web_t(r, "ui_ex_by_year"), web_t(r, "ui_ex_counts"),
              exchange_may_create(&r->ctx) ? "<li><a href=\"#new\">" : "",
              exchange_may_create(&r->ctx) ? web_t(r, "ui_ex_new") : "",
              exchange_may_create(&r->ctx) ? "</a></li>" : "");
  html_printf(b, "<section id=\"now\">\n<h2>%h</h2>\n", web_t(r, "ui_ex_now"));
  if (n_now)
    secondment_table(r, b, now, n_now, web_t(r, "ui_ex_now_caption"));
  else
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_ex_now_none"));
  html_printf(b, "</section>\n<section id=\"returning\">\n<h2>%h</h2>\n",
              web_t(r, "ui_ex_returning"));
  if (n_ret)
    secondment_table(r, b, ret, n_ret, web_t(r, "ui_ex_returning_caption"));
  else
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_ex_returning_none"));
  html_printf(b,
              "</section>\n<section id=\"year\">\n<h2>%h</h2>\n<p class=\"pager\">"
              "<a href=\"/exchanges?pairing=%lld&amp;year=%lld#year\">%h</a> · "
              "<a href=\"/exchanges?pairing=%lld&amp;year=%lld#year\">%h</a></p>\n",
              arena_printf(r->arena, web_t(r, "ui_ex_year_heading"), (int)year),
              (long long)pairing, year - 1, web_t(r, "ui_ex_prev_year"), (long long)pairing,
              year + 1, web_t(r, "ui_ex_next_year"));
  ledger_links(r, b, arena_printf(r->arena, "/exchanges?pairing=%lld&year=%lld", (long long)pairing, year));
  if (n_all)
    year_table(r, b, &pv, all, n_all);
  else
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_ex_year_none"));
  html_printf(b, "</section>\n<section id=\"counts\">\n<h2>%h</h2>\n", web_t(r, "ui_ex_counts"));
  counts_table(r, b, &pv, &cn);
  html_printf(b, "</section>\n");
  if (exchange_may_create(&r->ctx)) {
    html_printf(b, "<section id=\"new\" class=\"admin-form\">\n<h2>%h</h2>\n",
                web_t(r, "ui_ex_new"));
    error_summary(r, b, f);
    html_printf(b, "<form method=\"post\" action=\"/exchanges\">\n");
    web_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n",
                (long long)pairing);
    form_body(r, b, f, &pv, NULL);
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
                web_t(r, "ui_ex_create"));
  }
  return web_end(r, p);
}

int web_exchanges(struct req *r, struct resp *p) {
  struct exchange_form f;
  memset(&f, 0, sizeof f);
  f.kind = "secondment";
  return list_page(r, p, 200, &f);
}

/* The status of a refused form: 403 for personal data one may not set, 422 otherwise. */
static int refused_status(int rc) { return rc == SVC_FORBIDDEN ? 403 : 422; }

/* POST /exchanges: 303 to the new exchange, or the list again with the messages (422). */
int web_exchange_create(struct req *r, struct resp *p) {
  if (!exchange_may_create(&r->ctx))
    return web_service_page(r, p, svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL,
                                           "the lead offices record exchanges"));
  struct exchange_form f;
  read_form(r, &f);
  struct exchange_input in;
  if (!to_input(r, &f, false, &in))
    return list_page(r, p, 422, &f);
  in.kind = f.kind ? f.kind : "";
  in.title = f.title ? f.title : "";
  in.starts = f.starts ? f.starts : "";
  long long pairing;
  const char *pf = req_form(r, "pairing");
  if (r->user->role == ROLE_ADMIN && pf && web_parse_int(pf, &pairing) && pairing > 0)
    in.pairing_id = pairing;
  int64_t id;
  int rc = exchange_create(&r->ctx, &in, &id);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/exchanges/%lld?done=created", (long long)id));
  if (rc != SVC_INVALID && rc != SVC_CONFLICT && !(rc == SVC_FORBIDDEN && r->ctx.field))
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(&f, field, web_take_code(r, "err_invalid"));
  /* the id number and phone are never shown back: typed again or not at all */
  f.id_number = f.phone = NULL;
  return list_page(r, p, refused_status(rc), &f);
}

/* ---- one exchange -------------------------------------------------------------------- */

static void fact(struct req *r, struct sb *b, const char *label, const char *value) {
  html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, label), value ? value : "—");
}

static int exchange_page(struct req *r, struct resp *p, int status, const struct exchange_view *v,
                         struct exchange_form *f) {
  struct pairing_view pv;
  int rc = pairing_get(&r->ctx, v->pairing_id, &pv);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, v->title);
  html_printf(b, "<p class=\"crumbs\"><a href=\"/exchanges?pairing=%lld\">%h</a></p>\n<h1>%h</h1>\n",
              (long long)v->pairing_id, web_t(r, "ui_ex_title"), v->title);
  const char *done = req_query(r, "done");
  if (status == 200 && done && (strcmp(done, "created") == 0 || strcmp(done, "saved") == 0))
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n",
                web_t(r, strcmp(done, "created") == 0 ? "ui_ex_done_created" : "ui_ex_done_saved"));
  html_printf(b, "<dl class=\"facts\">\n");
  fact(r, b, "ui_ex_kind", web_t(r, kind_label(v->kind)));
  html_printf(b, "<dt>%h</dt><dd>%h — %h</dd>\n", web_t(r, "ui_prj_pairing"), pv.name_a, pv.name_b);
  html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_ex_side"),
              v->side ? pv.name_b : pv.name_a);
  if (v->kind == EXCHANGE_SECONDMENT) {
    fact(r, b, "ui_ex_person", v->person_name);
    if (v->personal_visible) {
      const char *gone = web_t(r, "ui_ex_personal_unavailable");
      fact(r, b, "ui_ex_id_number",
           v->id_number ? v->id_number : v->id_sealed_ ? gone : NULL);
      fact(r, b, "ui_ex_phone", v->phone ? v->phone : v->phone_sealed_ ? gone : NULL);
    }
    fact(r, b, "ui_ex_post", v->post);
    fact(r, b, "ui_ex_field", v->field);
    if (v->in_post)
      html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_ex_state"),
                  web_t(r, v->returning ? "ui_ex_returning" : "ui_ex_in_post"));
  } else {
    if (v->person_name)
      fact(r, b, "ui_ex_person", v->person_name);
    html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_ex_people"), people(r, &pv, v));
    if (v->n_names) {
      html_printf(b, "<dt>%h</dt><dd>", web_t(r, "ui_ex_names"));
      for (size_t i = 0; i < v->n_names; i++)
        html_printf(b, "%h%h", i ? "、" : "", v->names[i]);
      html_printf(b, "</dd>\n");
    }
  }
  fact(r, b, "ui_ex_from_unit", v->from_unit);
  fact(r, b, "ui_ex_host_unit", v->host_unit);
  fact(r, b, "ui_ex_dates", dates(r, v));
  fact(r, b, "ui_ex_place", v->place);
  if (v->task_id)
    html_printf(b, "<dt>%h</dt><dd><a href=\"/tasks/%lld\">%d. %h</a></dd>\n",
                web_t(r, "ui_ex_task"), (long long)v->task_id, v->task_number, v->task_title);
  html_printf(b, "</dl>\n");
  if (v->purpose)
    html_printf(b, "<p class=\"section-body\">%h</p>\n", v->purpose);
  if (exchange_may_write(&r->ctx, v)) {
    html_printf(b, "<section class=\"admin-form\">\n<h2>%h</h2>\n", web_t(r, "ui_ex_edit"));
    error_summary(r, b, f);
    html_printf(b, "<form method=\"post\" action=\"/exchanges/%lld\">\n", (long long)v->id);
    web_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n",
                f->updated_at ? f->updated_at : v->updated_at);
    form_body(r, b, f, &pv, v);
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
                web_t(r, "ui_save"));
  }
  return web_end(r, p);
}

static void form_from(struct req *r, const struct exchange_view *v, struct exchange_form *f) {
  memset(f, 0, sizeof *f);
  f->kind = exchange_kind_name(v->kind);
  f->title = v->title;
  f->person_name = v->person_name;
  f->post = v->post;
  f->field = v->field;
  f->starts = v->starts;
  f->ends = v->ends;
  f->place = v->place;
  f->purpose = v->purpose;
  f->updated_at = v->updated_at;
  f->from_unit = v->from_unit_id ? arena_printf(r->arena, "%lld", (long long)v->from_unit_id) : "";
  f->host_unit = v->host_unit_id ? arena_printf(r->arena, "%lld", (long long)v->host_unit_id) : "";
  f->task = v->task_id ? arena_printf(r->arena, "%lld", (long long)v->task_id) : "";
  f->side = arena_printf(r->arena, "%d", v->side);
  f->count_a = arena_printf(r->arena, "%lld", (long long)v->count_a);
  f->count_b = arena_printf(r->arena, "%lld", (long long)v->count_b);
  struct sb names = SB_INIT;
  for (size_t i = 0; i < v->n_names; i++)
    sb_appendf(&names, "%s%s", i ? "\n" : "", v->names[i]);
  f->names = arena_strdup(r->arena, sb_str(&names));
  sb_free(&names);
}

int web_exchange_page(struct req *r, struct resp *p) {
  struct exchange_view v;
  int rc = exchange_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct exchange_form f;
  form_from(r, &v, &f);
  return exchange_page(r, p, 200, &v, &f);
}

/* POST /exchanges/{id}: 303 back, or the page with the form again (422; 409 when it changed
 * meanwhile, the input kept). */
int web_exchange_edit(struct req *r, struct resp *p) {
  struct exchange_view v;
  int rc = exchange_get(&r->ctx, r->ids[0], &v);
  if (rc == SVC_OK && !exchange_may_write(&r->ctx, &v))
    rc = svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL, "the lead offices edit exchanges");
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct exchange_form f;
  read_form(r, &f);
  f.kind = exchange_kind_name(v.kind);
  struct exchange_input in;
  if (!to_input(r, &f, true, &in))
    return exchange_page(r, p, 422, &v, &f);
  in.kind = NULL;
  rc = exchange_edit(&r->ctx, v.id, &in);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/exchanges/%lld?done=saved", (long long)v.id));
  f.id_number = f.phone = NULL;
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    f.e_top = "ui_ex_stale";
    f.updated_at = v.updated_at;
    return exchange_page(r, p, 409, &v, &f);
  }
  if (rc != SVC_INVALID && rc != SVC_CONFLICT && !(rc == SVC_FORBIDDEN && r->ctx.field))
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(&f, field, web_take_code(r, "err_invalid"));
  return exchange_page(r, p, refused_status(rc), &v, &f);
}
