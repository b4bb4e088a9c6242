/* evaluation: the 考核评估 pages (service/evaluation.h).
 *   /evaluations?pairing=             a pairing's evaluations, and for its coordinators the
 *                                     form that starts one for a year;
 *   /evaluations/{id}                 one: the indicators (a draft's form, the open button),
 *                                     each side's self-evaluation, the other side's opinion and
 *                                     the confirmations, with the forms for whoever may act
 *                                     now; the history; the scores, rankings, commendations;
 *   /evaluations/{id}/units/{unit}    how a unit's score came out, down to the records counted
 *                                     (also /cities/{city} and /sides/0|1: one renderer);
 *   /evaluations/{id}/report          年度工作总结评估报告, printable on A4;
 *   /evaluations/{id}?format=xlsx|csv the scores as a ledger (web/ledger.h), three sheets;
 *   /evaluations/{id}/export.xlsx     the same XLSX at its first address.
 * Which forms a page offers is only a guess from the reader's role and side: every check is
 * the service's, and a refusal comes back as the page with the service's message beside the
 * field and the input kept (403 for the wrong side or role, 409 for a step out of order). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "service/attachment.h"
#include "service/dashboard.h"
#include "service/evaluation.h"
#include "service/event.h"
#include "service/exchange.h"
#include "service/reporting.h"
#include "web/html.h"
#include "web/ledger.h"
#include "web/svg.h"
#include "web/web.h"

/* ---- names ------------------------------------------------------------------------------ */

static const char *const method_labels[EM_N] = {
    "ui_ev_m_items_done",        "ui_ev_m_items_on_time",   "ui_ev_m_reports_on_time",
    "ui_ev_m_reports_first_accepted", "ui_ev_m_projects_progress", "ui_ev_m_investment_paid",
    "ui_ev_m_events_target", "ui_ev_m_exchanges", "ui_ev_m_hand"};

static const char *const stage_labels[ES_N] = {"ui_ev_stage_self", "ui_ev_stage_opinion",
                                               "ui_ev_stage_final"};

static const struct {
  const char *action, *label;
} step_labels[] = {
    {"create", "ui_ev_step_create"},   {"indicators", "ui_ev_step_indicators"},
    {"open", "ui_ev_step_open"},       {"save", "ui_ev_step_save"},
    {"self", "ui_ev_step_self"},       {"opinion", "ui_ev_step_opinion"},
    {"return", "ui_ev_step_return"},   {"confirm", "ui_ev_step_confirm"},
    {"close", "ui_ev_step_close"},     {"commend", "ui_ev_step_commend"},
    {"summary", "ui_ev_step_summary"},
};

/* The label id of a step's action; NULL for one this page does not know. */
static const char *step_label(const char *action) {
  for (size_t i = 0; action && i < sizeof step_labels / sizeof *step_labels; i++)
    if (strcmp(action, step_labels[i].action) == 0)
      return step_labels[i].label;
  return NULL;
}

static const char *state_label(const char *state) {
  if (state && strcmp(state, "open") == 0)
    return "ui_ev_state_open";
  if (state && strcmp(state, "closed") == 0)
    return "ui_ev_state_closed";
  return "ui_ev_state_draft";
}

static const char *method_label(enum evaluation_method m) {
  return m >= 0 && m < EM_N ? method_labels[m] : "ui_ev_m_hand";
}

static const char *stage_label(enum evaluation_stage s) {
  return s >= 0 && s < ES_N ? stage_labels[s] : "ui_ev_stage_self";
}

static const char *side_name(const struct evaluation_view *v, int s) {
  return s ? v->name_b : v->name_a;
}

static const char *pairing_name(struct req *r, const struct evaluation_view *v) {
  return arena_printf(r->arena, "%s—%s", v->name_a, v->name_b);
}

/* "2025年度考核评估" / "Evaluation 2025" */
static const char *year_title(struct req *r, int year) {
  return arena_printf(r->arena, "%s%d%s", web_t(r, "ui_ev_year_a"), year,
                      web_t(r, "ui_ev_year_b"));
}

static const char *num2(struct req *r, double x) { return arena_printf(r->arena, "%.2f", x); }

static const char *percent(struct req *r, double share) {
  return arena_printf(r->arena, "%.2f%%", share * 100.0);
}

static bool is_open(const struct evaluation_view *v) { return strcmp(v->state, "open") == 0; }
static bool is_closed(const struct evaluation_view *v) { return strcmp(v->state, "closed") == 0; }
static bool is_draft(const struct evaluation_view *v) { return strcmp(v->state, "draft") == 0; }

/* Guesses of who may act, for which forms to offer (the service decides): a side's lead
 * office (coordinator) or an admin; a leadership (leader) or an admin. The reader is of the
 * evaluation's pairing, or evaluation_get would have refused it. */
static bool may_coord(struct req *r, int side) {
  return r->user->role == ROLE_ADMIN ||
         (r->user->role == ROLE_COORDINATOR && r->user->side == side);
}
static bool may_run(struct req *r) {
  return r->user->role == ROLE_ADMIN || r->user->role == ROLE_COORDINATOR;
}
static bool may_lead(struct req *r) {
  return r->user->role == ROLE_ADMIN || r->user->role == ROLE_LEADER;
}

/* ---- what a refused form brings back ------------------------------------------------------ */

struct ind_row {
  const char *key, *name, *weight, *method, *evidence;
};

struct ev_form {
  const char *form;  /* create, indicators, open, self, opinion, return, leader, summary,
                        commend; NULL: no form was sent */
  int side;          /* the side the form is about */
  const char *error; /* a message id */
  const char *field; /* the service's field: text, reason, scores.KEY, indicators[i].weight … */
  const char *text, *to_stage, *year;
  const char **scores; /* per indicator, as typed (NULL: the stored ones) */
  const struct ind_row *rows;
  size_t n_rows;
  const int *row_of;   /* the form row of the service's indicators[i] */
  const int64_t *commend; /* the units ticked */
  size_t n_commend;
};

/* The message of form (of side) when it was the one refused. */
static const char *form_error(const struct ev_form *f, const char *form, int side) {
  return f && f->form && f->error && strcmp(f->form, form) == 0 && f->side == side ? f->error
                                                                                  : NULL;
}

/* The message for one field of form, when the refusal named it. */
static const char *field_error(const struct ev_form *f, const char *form, int side,
                               const char *field) {
  const char *e = form_error(f, form, side);
  return e && f->field && strcmp(f->field, field) == 0 ? e : NULL;
}

/* The form's message above it when no field of it shows the message. */
static void form_top_error(struct req *r, struct sb *b, const struct ev_form *f, const char *form,
                           int side, bool placed) {
  const char *e = form_error(f, form, side);
  if (e && !placed)
    web_form_error(r, b, e);
}

static bool field_is(const struct ev_form *f, const char *name) {
  return f && f->field && strcmp(f->field, name) == 0;
}

/* The page a POST answers with: the refused form's input and message, the status. */
static int show_page(struct req *r, struct resp *p, int status, const struct ev_form *f);

/* A service failure of a form: 422 or 409 with the page and the message beside the field; the
 * rest (403, 404, 500) as an error page. f->error and f->field are filled in here. */
static int refused(struct req *r, struct resp *p, int rc, struct ev_form *f) {
  if (rc != SVC_INVALID && rc != SVC_CONFLICT && rc != SVC_STALE)
    return web_service_page(r, p, rc);
  f->field = r->ctx.field ? arena_strdup(r->arena, r->ctx.field) : NULL;
  f->error = web_take_code(r, rc == SVC_INVALID ? "err_invalid" : "err_conflict");
  return show_page(r, p, rc == SVC_INVALID ? 422 : 409, f);
}

/* ---- the list ------------------------------------------------------------------------------ */

/* A side's stage in the list: its step, confirmed, or — before the evaluation opens. */
static const char *side_stage_words(struct req *r, const struct evaluation_view *v, int s) {
  if (is_draft(v))
    return "—";
  if (is_closed(v))
    return web_t(r, "ui_ev_state_closed");
  const struct evaluation_side *x = &v->sides[s];
  if (x->confirmed_at)
    return web_t(r, "ui_ev_confirmed");
  return web_t(r, stage_label(x->stage));
}

static void create_form(struct req *r, struct sb *b, int64_t pairing, const struct ev_form *f) {
  const char *err = field_error(f, "create", 0, "year");
  html_printf(b,
              "<section class=\"no-print\" aria-labelledby=\"ev-new\">\n<h2 id=\"ev-new\">%h</h2>\n"
              "<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_ev_new"), web_t(r, "ui_ev_new_hint"));
  form_top_error(r, b, f, "create", 0, err != NULL);
  html_printf(b, "<form method=\"post\" action=\"/evaluations\" aria-labelledby=\"ev-new\">\n");
  web_csrf_field(r, b);
  const char *year = f && f->year ? f->year : arena_printf(r->arena, "%d", web_this_year());
  html_printf(b,
              "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n"
              "<p><label for=\"ev-year\">%h</label>\n",
              (long long)pairing, web_t(r, "ui_ev_year"));
  web_field_error(r, b, err, "ev-year");
  html_printf(b, "<input id=\"ev-year\" name=\"year\" type=\"number\" min=\"2000\" max=\"2100\" "
                 "value=\"%h\" required",
              year);
  web_describe(b, "ev-year", err);
  html_printf(b, "></p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_ev_create"));
}

static int list_page(struct req *r, struct resp *p, int status, const struct ev_form *f) {
  int64_t pairing = web_asked_pairing(r);
  if (pairing < 0)
    return web_bad_query(r, p);
  struct evaluation_view *v = NULL;
  size_t n = 0;
  if (pairing) {
    int rc = evaluation_list(&r->ctx, pairing, &v, &n);
    if (rc != SVC_OK)
      return web_service_page(r, p, rc);
  }
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_ev_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h</p>\n", web_t(r, "ui_ev_title"),
              web_t(r, "ui_ev_intro"));
  if (!n) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_ev_none_yet"));
  } else {
    html_printf(b,
                "<table class=\"ev-list\">\n<caption>%h</caption>\n<thead><tr>"
                "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
                pairing_name(r, &v[0]), web_t(r, "ui_ev_year"), web_t(r, "ui_ev_state"),
                v[0].name_a, v[0].name_b);
    for (size_t i = 0; i < n; i++)
      html_printf(b,
                  "<tr><th scope=\"row\"><a href=\"/evaluations/%lld\">%h</a></th>"
                  "<td>%h</td><td>%h</td><td>%h</td></tr>\n",
                  (long long)v[i].id, year_title(r, v[i].year), web_t(r, state_label(v[i].state)),
                  side_stage_words(r, &v[i], 0), side_stage_words(r, &v[i], 1));
    html_printf(b, "</tbody>\n</table>\n");
  }
  if (pairing && may_run(r))
    create_form(r, b, pairing, f);
  return web_end(r, p);
}

/* GET /evaluations[?pairing=] */
int web_evaluations(struct req *r, struct resp *p) { return list_page(r, p, 200, NULL); }

/* POST /evaluations: pairing, year → 303 to the new draft. */
int web_evaluation_create(struct req *r, struct resp *p) {
  struct ev_form f = {.form = "create", .year = req_form(r, "year")};
  const char *pairing_s = req_form(r, "pairing");
  long long pairing = 0, year = 0;
  if (!pairing_s || !web_parse_int(pairing_s, &pairing) || pairing <= 0)
    return web_error(r, p, 422, "ui_error_title", "err_invalid");
  if (!f.year || !web_parse_int(f.year, &year))
    year = 0; /* refused by the service, on the field year */
  int64_t id = 0;
  int rc = evaluation_create(&r->ctx, pairing, year > 0 && year < 100000 ? (int)year : 0, r->lang,
                             &id);
  if (rc == SVC_INVALID || rc == SVC_CONFLICT) {
    f.field = r->ctx.field ? arena_strdup(r->arena, r->ctx.field) : NULL;
    f.error = web_take_code(r, "err_invalid");
    return list_page(r, p, rc == SVC_INVALID ? 422 : 409, &f);
  }
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, arena_printf(r->arena, "/evaluations/%lld?done=create", (long long)id));
}

/* ---- one evaluation: the indicators ------------------------------------------------------ */

static void indicators_table(struct req *r, struct sb *b, const struct evaluation_view *v) {
  html_printf(b,
              "<table class=\"ev-indicators\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_ev_indicators"), web_t(r, "ui_ev_ind_name"), web_t(r, "ui_ev_weight"),
              web_t(r, "ui_ev_method"), web_t(r, "ui_ev_evidence"));
  int sum = 0;
  for (size_t k = 0; k < v->n_indicators; k++) {
    const struct evaluation_indicator *x = &v->indicators[k];
    sum += x->weight;
    html_printf(b,
                "<tr><th scope=\"row\">%h</th><td class=\"num\">%d</td><td>%h</td>"
                "<td>%h</td></tr>\n",
                x->name, x->weight, web_t(r, method_label(x->method)),
                x->evidence ? x->evidence : "—");
  }
  html_printf(b,
              "</tbody>\n<tfoot><tr><th scope=\"row\">%h</th><td class=\"num\">%d</td>"
              "<td></td><td></td></tr></tfoot>\n</table>\n",
              web_t(r, "ui_ev_weight_total"), sum);
}

/* One input of the indicators' form: the row's field name (key, name …), its value, its
 * message. */
static void ind_input(struct req *r, struct sb *b, size_t row, const char *name,
                      const char *label, const char *value, const char *err, bool number) {
  const char *id = arena_printf(r->arena, "ind-%s-%zu", name, row);
  html_printf(b, "<td>");
  web_field_error(r, b, err, id);
  html_printf(b, "<input id=\"%h\" name=\"%h\" value=\"%h\" aria-label=\"%h\"",
              id, arena_printf(r->arena, "%s_%zu", name, row), value ? value : "",
              arena_printf(r->arena, "%s %zu", web_t(r, label), row + 1));
  web_describe(b, id, err);
  html_printf(b, " %s></td>",
              number ? "type=\"number\" min=\"0\" max=\"100\" size=\"4\"" : "size=\"16\"");
}

/* The service's message for one input of row (indicators[i].name …), through row_of. */
static const char *row_error(const struct ev_form *f, size_t row, const char *name) {
  const char *e = form_error(f, "indicators", 0);
  if (!e || !f->field || !f->row_of)
    return NULL;
  unsigned idx = 0;
  char what[16];
  if (sscanf(f->field, "indicators[%u].%15s", &idx, what) != 2 || strcmp(what, name) != 0)
    return NULL;
  return (size_t)f->row_of[idx < EVALUATION_INDICATORS_MAX ? idx : 0] == row ? e : NULL;
}

static void indicators_form(struct req *r, struct sb *b, const struct evaluation_view *v,
                            const struct ev_form *f) {
  /* the stored rows and one blank to add with, or the rows as sent */
  const struct ind_row *rows;
  size_t n;
  if (form_error(f, "indicators", 0)) {
    rows = f->rows;
    n = f->n_rows;
  } else {
    n = v->n_indicators + (v->n_indicators < EVALUATION_INDICATORS_MAX);
    struct ind_row *stored = arena_alloc(r->arena, (n + 1) * sizeof *stored);
    for (size_t k = 0; k < v->n_indicators; k++) {
      const struct evaluation_indicator *x = &v->indicators[k];
      stored[k] = (struct ind_row){x->key, x->name, arena_printf(r->arena, "%d", x->weight),
                                   evaluation_method_name(x->method), x->evidence};
    }
    rows = stored;
  }
  long long sum = 0;
  for (size_t i = 0; i < n; i++) {
    long long w;
    if (rows[i].weight && web_parse_int(rows[i].weight, &w))
      sum += w;
  }
  const char *sum_err = field_error(f, "indicators", 0, "indicators");
  html_printf(b,
              "<section class=\"no-print\" aria-labelledby=\"ev-ind-edit\">\n"
              "<h2 id=\"ev-ind-edit\">%h</h2>\n<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_ev_edit_indicators"), web_t(r, "ui_ev_ind_hint"));
  html_printf(b, "<form method=\"post\" action=\"/evaluations/%lld/indicators\" "
                 "aria-labelledby=\"ev-ind-edit\">\n",
              (long long)v->id);
  web_csrf_field(r, b);
  html_printf(b,
              "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n"
              "<input type=\"hidden\" name=\"rows\" value=\"%lld\">\n"
              "<table class=\"ev-ind-form\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              v->updated_at, (long long)n, web_t(r, "ui_ev_ind_key"), web_t(r, "ui_ev_ind_name"),
              web_t(r, "ui_ev_weight"), web_t(r, "ui_ev_method"), web_t(r, "ui_ev_evidence"));
  for (size_t i = 0; i < n; i++) {
    html_printf(b, "<tr>");
    ind_input(r, b, i, "key", "ui_ev_ind_key", rows[i].key, row_error(f, i, "key"), false);
    ind_input(r, b, i, "name", "ui_ev_ind_name", rows[i].name, row_error(f, i, "name"), false);
    ind_input(r, b, i, "weight", "ui_ev_weight", rows[i].weight, row_error(f, i, "weight"), true);
    const char *merr = row_error(f, i, "method");
    const char *mid = arena_printf(r->arena, "ind-method-%zu", i);
    html_printf(b, "<td>");
    web_field_error(r, b, merr, mid);
    html_printf(b, "<select id=\"%h\" name=\"method_%lld\" aria-label=\"%h %lld\"", mid,
                (long long)i, web_t(r, "ui_ev_method"), (long long)i + 1);
    web_describe(b, mid, merr);
    html_printf(b, ">\n");
    for (int m = 0; m < EM_N; m++) {
      const char *name = evaluation_method_name((enum evaluation_method)m);
      bool sel = rows[i].method ? strcmp(rows[i].method, name) == 0 : m == EM_HAND;
      html_printf(b, "<option value=\"%h\"%s>%h</option>\n", name, sel ? " selected" : "",
                  web_t(r, method_labels[m]));
    }
    html_printf(b, "</select></td>");
    ind_input(r, b, i, "evidence", "ui_ev_evidence", rows[i].evidence,
              row_error(f, i, "evidence"), false);
    html_printf(b, "</tr>\n");
  }
  html_printf(b, "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"2\">%h</th><td id=\"ev-weights\"",
              web_t(r, "ui_ev_weight_total"));
  web_describe(b, "ev-weights", sum_err);
  html_printf(b, "><strong>%lld</strong>", sum);
  web_field_error(r, b, sum_err, "ev-weights");
  html_printf(b, "</td><td colspan=\"2\"></td></tr></tfoot>\n</table>\n"
                 "<p><button type=\"submit\">%h</button></p>\n</form>\n",
              web_t(r, "ui_ev_save_indicators"));
  html_printf(b, "<form method=\"post\" action=\"/evaluations/%lld/open\">\n", (long long)v->id);
  web_csrf_field(r, b);
  html_printf(b, "<p class=\"meta\">%h</p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n"
                 "</section>\n",
              web_t(r, "ui_ev_open_hint"), web_t(r, "ui_ev_open"));
}

/* ---- one evaluation: the steps ------------------------------------------------------------- */

static const char *score_words(struct req *r, int score) {
  return score >= 0 ? arena_printf(r->arena, "%d", score) : "—";
}

static bool any_hand(const struct evaluation_view *v) {
  for (size_t k = 0; k < v->n_indicators; k++)
    if (v->indicators[k].method == EM_HAND)
      return true;
  return false;
}

/* The hand-scored indicators of a side: its self-evaluation's, the opinion's and the final. */
static void hand_table(struct req *r, struct sb *b, const struct evaluation_view *v, int s) {
  const struct evaluation_side *x = &v->sides[s];
  if (!any_hand(v))
    return;
  html_printf(b,
              "<table class=\"ev-hand\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th></tr></thead>\n<tbody>\n",
              arena_printf(r->arena, "%s%s%s", side_name(v, s), web_t(r, "ui_colon"),
                           web_t(r, "ui_ev_hand_scores")),
              web_t(r, "ui_ev_ind_name"), web_t(r, "ui_ev_weight"), web_t(r, "ui_ev_self_score"),
              web_t(r, "ui_ev_opinion_score"), web_t(r, "ui_ev_final_score"));
  for (size_t k = 0; k < v->n_indicators; k++) {
    if (v->indicators[k].method != EM_HAND)
      continue;
    html_printf(b,
                "<tr><th scope=\"row\">%h</th><td class=\"num\">%d</td><td class=\"num\">%h</td>"
                "<td class=\"num\">%h</td><td class=\"num\">%h</td></tr>\n",
                v->indicators[k].name, v->indicators[k].weight,
                score_words(r, x->self_scores[k]), score_words(r, x->opinion_scores[k]),
                score_words(r, x->final_scores[k]));
  }
  html_printf(b, "</tbody>\n</table>\n");
}

/* A textarea named text, its label and message; value as typed or stored. */
static void text_field(struct req *r, struct sb *b, const char *id, const char *label,
                       const char *value, const char *err, int rows, bool required) {
  html_printf(b, "<p><label for=\"%h\">%h</label>\n", id, web_t(r, label));
  web_field_error(r, b, err, id);
  html_printf(b, "<textarea id=\"%h\" name=\"text\" rows=\"%d\"%s", id, rows,
              required ? " required" : "");
  web_describe(b, id, err);
  html_printf(b, ">%h</textarea></p>\n", value ? value : "");
}

/* The hand scores' inputs score_KEY of a step's form; stored: the values to show when the form
 * was not sent back; hint: a figure beside each (the self score, for an opinion). */
static void score_fields(struct req *r, struct sb *b, const struct evaluation_view *v,
                         const struct ev_form *f, const char *form, int s, const int *stored,
                         const int *hint, bool required) {
  if (!any_hand(v))
    return;
  bool sent = form_error(f, form, s) != NULL;
  html_printf(b, "<fieldset class=\"ev-score-fields\">\n<legend>%h</legend>\n",
              web_t(r, required ? "ui_ev_scores_legend" : "ui_ev_proposed_legend"));
  for (size_t k = 0; k < v->n_indicators; k++) {
    const struct evaluation_indicator *x = &v->indicators[k];
    if (x->method != EM_HAND)
      continue;
    const char *id = arena_printf(r->arena, "%s%d-score-%s", form, s, x->key);
    const char *err = field_error(f, form, s, arena_printf(r->arena, "scores.%s", x->key));
    const char *value = sent && f->scores ? f->scores[k]
                        : stored && stored[k] >= 0 ? arena_printf(r->arena, "%d", stored[k])
                                                   : "";
    html_printf(b, "<p><label for=\"%h\">%h</label>\n", id, x->name);
    web_field_error(r, b, err, id);
    html_printf(b,
                "<input id=\"%h\" name=\"%h\" type=\"number\" min=\"0\" max=\"100\" step=\"1\" "
                "value=\"%h\"%s",
                id, arena_printf(r->arena, "score_%s", x->key), value ? value : "",
                required ? " required" : "");
    web_describe(b, id, err);
    html_printf(b, ">");
    if (hint && hint[k] >= 0)
      html_printf(b, " <span class=\"meta\">%h%h%d</span>", web_t(r, "ui_ev_self_score"),
                  web_t(r, "ui_colon"), hint[k]);
    html_printf(b, "</p>\n");
  }
  html_printf(b, "</fieldset>\n");
}

static void step_form_open(struct req *r, struct sb *b, const struct evaluation_view *v,
                           const char *form, int s, const char *heading) {
  html_printf(b,
              "<form class=\"ev-step no-print\" method=\"post\" action=\"/evaluations/%lld/steps\" "
              "aria-label=\"%h\">\n",
              (long long)v->id, heading);
  web_csrf_field(r, b);
  html_printf(b,
              "<input type=\"hidden\" name=\"form\" value=\"%h\">\n"
              "<input type=\"hidden\" name=\"side\" value=\"%d\">\n",
              form, s);
}

/* The lead office of side s writes its self-evaluation: save, or submit. */
static void self_form(struct req *r, struct sb *b, const struct evaluation_view *v, int s,
                      const struct ev_form *f) {
  const struct evaluation_side *x = &v->sides[s];
  bool sent = form_error(f, "self", s) != NULL;
  const char *heading = arena_printf(r->arena, "%s%s%s", side_name(v, s), web_t(r, "ui_colon"),
                                     web_t(r, "ui_ev_write_self"));
  html_printf(b, "<h3>%h</h3>\n", heading);
  step_form_open(r, b, v, "self", s, heading);
  text_field(r, b, arena_printf(r->arena, "self%d-text", s), "ui_ev_self_text",
             sent ? f->text : x->self_text, field_error(f, "self", s, "text"), 10, false);
  score_fields(r, b, v, f, "self", s, x->self_scores, NULL, true);
  html_printf(b,
              "<p><button type=\"submit\" name=\"action\" value=\"save\" class=\"secondary\">%h"
              "</button> <button type=\"submit\" name=\"action\" value=\"self\">%h</button></p>\n"
              "</form>\n",
              web_t(r, "ui_ev_save_draft"), web_t(r, "ui_ev_submit_self"));
}

/* The other side's lead office gives its opinion on side s, or returns it with a reason. */
static void opinion_forms(struct req *r, struct sb *b, const struct evaluation_view *v, int s,
                          const struct ev_form *f) {
  const struct evaluation_side *x = &v->sides[s];
  bool sent = form_error(f, "opinion", s) != NULL;
  const char *heading = arena_printf(r->arena, "%s%s%s", side_name(v, 1 - s),
                                     web_t(r, "ui_colon"), web_t(r, "ui_ev_write_opinion"));
  html_printf(b, "<h3>%h</h3>\n", heading);
  step_form_open(r, b, v, "opinion", s, heading);
  text_field(r, b, arena_printf(r->arena, "opinion%d-text", s), "ui_ev_opinion_text",
             sent ? f->text : NULL, field_error(f, "opinion", s, "text"), 6, true);
  score_fields(r, b, v, f, "opinion", s, NULL, x->self_scores, false);
  html_printf(b,
              "<p><button type=\"submit\" name=\"action\" value=\"opinion\">%h</button></p>\n"
              "</form>\n",
              web_t(r, "ui_ev_submit_opinion"));
  const char *rheading = arena_printf(r->arena, "%s%s%s", side_name(v, s), web_t(r, "ui_colon"),
                                      web_t(r, "ui_ev_return_self"));
  html_printf(b, "<h3>%h</h3>\n", rheading);
  step_form_open(r, b, v, "return", s, rheading);
  text_field(r, b, arena_printf(r->arena, "return%d-text", s), "ui_ev_return_reason",
             form_error(f, "return", s) ? f->text : NULL, field_error(f, "return", s, "reason"),
             3, true);
  html_printf(b,
              "<p><button type=\"submit\" name=\"action\" value=\"return\" class=\"secondary\">%h"
              "</button></p>\n</form>\n",
              web_t(r, "ui_ev_return"));
}

static void side_section(struct req *r, struct sb *b, const struct evaluation_view *v, int s,
                         const struct ev_form *f) {
  const struct evaluation_side *x = &v->sides[s];
  html_printf(b,
              "<section class=\"ev-side\" id=\"side-%d\" aria-labelledby=\"h-side-%d\">\n"
              "<h2 id=\"h-side-%d\">%h <span class=\"badge ev-stage ev-stage-%h\">%h</span></h2>\n",
              s, s, s, side_name(v, s), evaluation_stage_name(x->stage),
              web_t(r, is_closed(v) ? "ui_ev_state_closed" : stage_label(x->stage)));
  html_printf(b, "<h3>%h</h3>\n", web_t(r, "ui_ev_self_text"));
  if (!x->self_visible)
    html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ev_self_hidden"));
  else if (x->self_text && *x->self_text)
    web_paragraphs(r, b, x->self_text);
  else
    html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ev_nothing_yet"));
  hand_table(r, b, v, s);
  if (x->self_visible && x->row_id) {
    /* its evidence files; added by its lead office while it writes */
    bool writing = is_open(v) && x->stage == ES_SELF && may_coord(r, s);
    web_attachments_section_as(
        r, b, "evaluation_side", x->row_id,
        writing ? arena_printf(r->arena, "/evaluations/%lld/sides/%d/evidence", (long long)v->id,
                               s)
                : NULL,
        form_error(f, "evidence", s), arena_printf(r->arena, "evidence-%d", s),
        "ui_ev_evidence");
  }
  html_printf(b, "<h3>%h%h%h</h3>\n", side_name(v, 1 - s), web_t(r, "ui_colon"),
              web_t(r, "ui_ev_opinion_text"));
  if (x->opinion_text && *x->opinion_text)
    web_paragraphs(r, b, x->opinion_text);
  else
    html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ev_nothing_yet"));
  if (x->confirmed_at)
    html_printf(b, "<p class=\"ev-confirmed\">%h%h%h · %h</p>\n", web_t(r, "ui_ev_confirmed"),
                web_t(r, "ui_colon"), x->confirmed_by, web_time(r, x->confirmed_at));
  if (is_open(v) && x->stage == ES_SELF && may_coord(r, s))
    self_form(r, b, v, s, f);
  if (is_open(v) && x->stage == ES_OPINION && may_coord(r, 1 - s))
    opinion_forms(r, b, v, s, f);
  html_printf(b, "</section>\n");
}

/* The leaderships: both sides final → each confirms, or returns a side with a reason. */
static void leader_section(struct req *r, struct sb *b, const struct evaluation_view *v,
                           const struct ev_form *f) {
  if (!is_open(v))
    return;
  bool both = v->sides[0].stage == ES_FINAL && v->sides[1].stage == ES_FINAL;
  html_printf(b,
              "<section class=\"ev-confirm\" id=\"confirm\" aria-labelledby=\"h-confirm\">\n"
              "<h2 id=\"h-confirm\">%h</h2>\n<p class=\"meta\">%h</p>\n<ul>\n",
              web_t(r, "ui_ev_confirmation"), web_t(r, "ui_ev_confirm_hint"));
  for (int s = 0; s < 2; s++) {
    const struct evaluation_side *x = &v->sides[s];
    if (x->confirmed_at)
      html_printf(b, "<li>%h%h%h %h · %h</li>\n", side_name(v, s), web_t(r, "ui_colon"),
                  web_t(r, "ui_ev_confirmed"), x->confirmed_by, web_time(r, x->confirmed_at));
    else
      html_printf(b, "<li>%h%h%h</li>\n", side_name(v, s), web_t(r, "ui_colon"),
                  web_t(r, "ui_ev_not_confirmed"));
  }
  html_printf(b, "</ul>\n");
  if (both && may_lead(r)) {
    int mine = r->user->role == ROLE_ADMIN ? 0 : r->user->side;
    if (r->user->role == ROLE_ADMIN || !v->sides[mine].confirmed_at) {
      const char *heading = web_t(r, "ui_ev_confirm");
      step_form_open(r, b, v, "leader", mine, heading);
      html_printf(b,
                  "<input type=\"hidden\" name=\"action\" value=\"confirm\">\n"
                  "<p><button type=\"submit\">%h</button></p>\n</form>\n",
                  web_t(r, r->user->role == ROLE_ADMIN ? "ui_ev_confirm_both" : "ui_ev_confirm"));
    }
    /* the return form: which side, back to which step, why */
    const char *heading = web_t(r, "ui_ev_return_side");
    html_printf(b, "<h3>%h</h3>\n", heading);
    const char *err = NULL;
    for (int s = 0; s < 2 && !err; s++)
      err = form_error(f, "return-final", s);
    bool placed = err && field_is(f, "reason");
    html_printf(b,
                "<form class=\"ev-step no-print\" method=\"post\" "
                "action=\"/evaluations/%lld/steps\" aria-label=\"%h\">\n",
                (long long)v->id, heading);
    web_csrf_field(r, b);
    html_printf(b,
                "<input type=\"hidden\" name=\"form\" value=\"return-final\">\n"
                "<input type=\"hidden\" name=\"action\" value=\"return\">\n"
                "<p><label for=\"rf-side\">%h</label>\n<select id=\"rf-side\" name=\"side\">\n",
                web_t(r, "ui_ev_side"));
    for (int s = 0; s < 2; s++)
      html_printf(b, "<option value=\"%d\"%s>%h</option>\n", s,
                  err && f->side == s ? " selected" : "", side_name(v, s));
    bool to_opinion = err && f->to_stage && strcmp(f->to_stage, "opinion") == 0;
    html_printf(b,
                "</select></p>\n<p><label for=\"rf-to\">%h</label>\n"
                "<select id=\"rf-to\" name=\"to_stage\">\n"
                "<option value=\"self\"%s>%h</option>\n<option value=\"opinion\"%s>%h</option>\n"
                "</select></p>\n",
                web_t(r, "ui_ev_return_to"), to_opinion ? "" : " selected",
                web_t(r, "ui_ev_stage_self"), to_opinion ? " selected" : "",
                web_t(r, "ui_ev_stage_opinion"));
    text_field(r, b, "rf-text", "ui_ev_return_reason", err ? f->text : NULL,
               placed ? err : NULL, 3, true);
    html_printf(b,
                "<p><button type=\"submit\" class=\"secondary\">%h</button></p>\n</form>\n",
                web_t(r, "ui_ev_return"));
  }
  html_printf(b, "</section>\n");
}

/* The lead offices' summaries for the yearly report. */
static void summary_section(struct req *r, struct sb *b, const struct evaluation_view *v,
                            const struct ev_form *f) {
  if (is_draft(v))
    return;
  html_printf(b,
              "<section class=\"ev-summaries\" id=\"summaries\" aria-labelledby=\"h-summaries\">\n"
              "<h2 id=\"h-summaries\">%h</h2>\n<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_ev_summaries"), web_t(r, "ui_ev_summaries_hint"));
  for (int s = 0; s < 2; s++) {
    const struct evaluation_side *x = &v->sides[s];
    html_printf(b, "<h3>%h</h3>\n", side_name(v, s));
    if (x->summary && *x->summary)
      web_paragraphs(r, b, x->summary);
    else
      html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ev_nothing_yet"));
    if (!may_coord(r, s))
      continue;
    const char *heading = arena_printf(r->arena, "%s%s%s", side_name(v, s),
                                       web_t(r, "ui_colon"), web_t(r, "ui_ev_write_summary"));
    bool sent = form_error(f, "summary", s) != NULL;
    step_form_open(r, b, v, "summary", s, heading);
    text_field(r, b, arena_printf(r->arena, "summary%d-text", s), "ui_ev_write_summary",
               sent ? f->text : x->summary, field_error(f, "summary", s, "text"), 8, false);
    html_printf(b,
                "<p><button type=\"submit\" name=\"action\" value=\"summary\">%h</button></p>\n"
                "</form>\n",
                web_t(r, "ui_ev_save_summary"));
  }
  html_printf(b, "</section>\n");
}

static void history(struct req *r, struct sb *b, const struct evaluation_view *v) {
  html_printf(b,
              "<section class=\"ev-history\" id=\"history\" aria-labelledby=\"h-history\">\n"
              "<h2 id=\"h-history\">%h</h2>\n<table class=\"ev-steps\">\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_ev_history"), web_t(r, "ui_ev_at"), web_t(r, "ui_ev_by"),
              web_t(r, "ui_ev_what"), web_t(r, "ui_ev_side"), web_t(r, "ui_ev_reason"));
  for (size_t i = 0; i < v->n_steps; i++) {
    const struct evaluation_step *x = &v->steps[i];
    const char *label = step_label(x->action);
    /* a return's text is its reason; the texts of the other steps are on the page above */
    bool reason = x->action && strcmp(x->action, "return") == 0;
    html_printf(b,
                "<tr class=\"ev-step-%h\"><td class=\"date\">%h</td><td>%h</td><td>%h</td>"
                "<td>%h</td><td>%h</td></tr>\n",
                x->action, web_time(r, x->at), x->by ? x->by : "—",
                label ? web_t(r, label) : x->action,
                x->side == 0 || x->side == 1 ? side_name(v, x->side) : "—",
                reason && x->text ? x->text : "");
  }
  html_printf(b, "</tbody>\n</table>\n</section>\n");
}

/* ---- one evaluation: the scores ------------------------------------------------------------ */

static bool commended(const struct evaluation_view *v, int64_t unit) {
  for (size_t i = 0; i < v->n_commended; i++)
    if (v->commended[i] == unit)
      return true;
  return false;
}

static void sides_table(struct req *r, struct sb *b, const struct evaluation_view *v,
                        const struct evaluation_scores *s, bool links) {
  html_printf(b,
              "<table class=\"ev-ranking ev-sides\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th>%s</tr></thead>\n<tbody>\n",
              web_t(r, "ui_ev_sides_scores"), web_t(r, "ui_ev_side"), web_t(r, "ui_ev_score"),
              web_t(r, "ui_ev_rank"), links ? "<th scope=\"col\" class=\"no-print\"></th>" : "");
  for (int k = 0; k < 2; k++) {
    html_printf(b,
                "<tr><th scope=\"row\">%h</th><td class=\"num\">%h</td><td class=\"num\">%d</td>",
                side_name(v, k), num2(r, s->sides[k].score), s->sides[k].rank);
    if (links)
      html_printf(b,
                  "<td class=\"no-print\"><a href=\"/evaluations/%lld/sides/%d\">%h</a></td>",
                  (long long)v->id, k, web_t(r, "ui_ev_explain"));
    html_printf(b, "</tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n");
}

/* A rank as shown: "—" for a scope with no record of its own (not ranked: evaluation.h). */
static const char *rank_text(struct req *r, const struct evaluation_score *x) {
  return x->rank > 0 ? arena_printf(r->arena, "%d", x->rank) : web_t(r, "ui_ev_unranked");
}

static void units_table(struct req *r, struct sb *b, const struct evaluation_view *v,
                        const struct evaluation_scores *s, bool links) {
  html_printf(b,
              "<table class=\"ev-ranking ev-units\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\">%h</th>%s</tr></thead>\n<tbody>\n",
              web_t(r, "ui_ev_units_ranking"), web_t(r, "ui_ev_rank"), web_t(r, "ui_unit"),
              web_t(r, "ui_ev_side"), web_t(r, "ui_ev_score"), web_t(r, "ui_ev_commended"),
              links ? "<th scope=\"col\" class=\"no-print\"></th>" : "");
  for (size_t i = 0; i < s->n_units; i++) {
    const struct evaluation_score *u = &s->units[i];
    html_printf(b,
                "<tr%s><td class=\"num\">%h</td><th scope=\"row\">%h</th><td>%h</td>"
                "<td class=\"num\">%h</td><td>%h</td>",
                u->commended ? " class=\"commended\"" : "", rank_text(r, u), u->name,
                side_name(v, u->side), num2(r, u->score),
                u->commended ? web_t(r, "ui_ev_commended_mark") : "");
    if (links)
      html_printf(b,
                  "<td class=\"no-print\"><a href=\"/evaluations/%lld/units/%lld\">%h</a></td>",
                  (long long)v->id, (long long)u->id, web_t(r, "ui_ev_explain"));
    html_printf(b, "</tr>\n");
  }
  if (!s->n_units)
    html_printf(b, "<tr><td colspan=\"%d\">%h</td></tr>\n", links ? 6 : 5,
                web_t(r, "ui_ev_no_units"));
  html_printf(b, "</tbody>\n</table>\n");
}

static void cities_table(struct req *r, struct sb *b, const struct evaluation_view *v,
                         const struct evaluation_scores *s, bool links) {
  html_printf(b,
              "<table class=\"ev-ranking ev-cities\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th>%s</tr></thead>\n<tbody>\n",
              web_t(r, "ui_ev_cities_ranking"), web_t(r, "ui_ev_rank"), web_t(r, "ui_ev_city"),
              web_t(r, "ui_ev_score"), links ? "<th scope=\"col\" class=\"no-print\"></th>" : "");
  for (size_t i = 0; i < s->n_cities; i++) {
    const struct evaluation_score *c = &s->cities[i];
    html_printf(b, "<tr><td class=\"num\">%h</td><th scope=\"row\">%h</th><td class=\"num\">%h</td>",
                rank_text(r, c), c->name, num2(r, c->score));
    if (links)
      html_printf(b,
                  "<td class=\"no-print\"><a href=\"/evaluations/%lld/cities/%lld\">%h</a></td>",
                  (long long)v->id, (long long)c->id, web_t(r, "ui_ev_explain"));
    html_printf(b, "</tr>\n");
  }
  if (!s->n_cities)
    html_printf(b, "<tr><td colspan=\"%d\">%h</td></tr>\n", links ? 4 : 3,
                web_t(r, "ui_ev_no_cities"));
  html_printf(b, "</tbody>\n</table>\n");
}

/* The commendation list, and for leaders once closed the form choosing it from the top 10. */
static void commend_section(struct req *r, struct sb *b, const struct evaluation_view *v,
                            const struct evaluation_scores *s, const struct ev_form *f) {
  html_printf(b, "<h3 id=\"commendations\">%h</h3>\n", web_t(r, "ui_ev_commend_list"));
  if (!v->n_commended) {
    html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ev_no_commended"));
  } else {
    html_printf(b, "<ul class=\"ev-commended\">\n");
    for (size_t i = 0; i < s->n_units; i++)
      if (s->units[i].commended)
        html_printf(b, "<li>%h（%h）</li>\n", s->units[i].name, side_name(v, s->units[i].side));
    html_printf(b, "</ul>\n");
  }
  if (!is_closed(v) || !may_lead(r))
    return;
  const char *err = form_error(f, "commend", 0);
  html_printf(b, "<form class=\"no-print\" method=\"post\" action=\"/evaluations/%lld/commend\">\n",
              (long long)v->id);
  web_csrf_field(r, b);
  html_printf(b, "<fieldset>\n<legend>%h</legend>\n", web_t(r, "ui_ev_commend_choose"));
  for (size_t i = 0; i < s->n_units; i++) {
    const struct evaluation_score *u = &s->units[i];
    if (u->rank < 1 || u->rank > EVALUATION_COMMEND_TOP)
      continue;
    bool on = commended(v, u->id);
    if (err) {
      on = false;
      for (size_t k = 0; k < f->n_commend; k++)
        on |= f->commend[k] == u->id;
    }
    html_printf(b,
                "<p><input type=\"checkbox\" id=\"commend-%lld\" name=\"unit_id\" value=\"%lld\"%s>"
                " <label for=\"commend-%lld\">%d. %h（%h，%h）</label></p>\n",
                (long long)u->id, (long long)u->id, on ? " checked" : "", (long long)u->id,
                u->rank, u->name, side_name(v, u->side), num2(r, u->score));
  }
  html_printf(b, "</fieldset>\n<p><button type=\"submit\">%h</button></p>\n</form>\n",
              web_t(r, "ui_ev_commend_save"));
}

static void scores_section(struct req *r, struct sb *b, const struct evaluation_view *v,
                           const struct evaluation_scores *s, const struct ev_form *f) {
  html_printf(b,
              "<section class=\"ev-scores\" id=\"scores\" aria-labelledby=\"h-scores\">\n"
              "<h2 id=\"h-scores\">%h</h2>\n<p class=\"meta\">%h%h%h · %h</p>\n",
              web_t(r, "ui_ev_scores"), web_t(r, "ui_ev_as_of"), web_t(r, "ui_colon"),
              web_date(r, s->as_of), web_t(r, s->frozen ? "ui_ev_frozen" : "ui_ev_live"));
  sides_table(r, b, v, s, true);
  units_table(r, b, v, s, true);
  cities_table(r, b, v, s, true);
  commend_section(r, b, v, s, f);
  html_printf(b, "</section>\n");
}

static int show_page(struct req *r, struct resp *p, int status, const struct ev_form *f) {
  struct evaluation_view v;
  int rc = evaluation_get(&r->ctx, r->ids[0], &v);
  struct evaluation_scores s;
  if (rc == SVC_OK)
    rc = evaluation_scores(&r->ctx, &v, &s);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  sb_reset(b);
  p->status = status;
  const char *title = arena_printf(r->arena, "%s %s", pairing_name(r, &v), year_title(r, v.year));
  web_begin(r, p, title);
  html_printf(b,
              "<p class=\"crumbs no-print\"><a href=\"/evaluations?pairing=%lld\">%h</a> · "
              "<a href=\"/evaluations/%lld/report\">%h</a> · "
              "<a href=\"/evaluations/%lld?format=xlsx\">%h</a> · "
              "<a href=\"/evaluations/%lld?format=csv\">CSV</a></p>\n"
              "<h1>%h</h1>\n",
              (long long)v.pairing_id, web_t(r, "ui_ev_title"), (long long)v.id,
              web_t(r, "ui_ev_report"), (long long)v.id, web_t(r, "ui_ev_export"),
              (long long)v.id, title);
  /* a refusal once, at the top (the form it came from may not be on the page any more); the
   * field it names carries it too */
  if (f && f->error)
    web_form_error(r, b, f->error);
  const char *done = req_query(r, "done");
  const char *done_label = status == 200 ? step_label(done) : NULL;
  if (done_label)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h%h</p>\n", web_t(r, done_label),
                web_t(r, "ui_ev_done"));
  html_printf(b, "<dl class=\"facts\">\n<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_ev_state"),
              web_t(r, state_label(v.state)));
  if (v.opened_at)
    html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_ev_opened_at"),
                web_date(r, v.opened_at));
  if (v.closed_at)
    html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_ev_closed_at"),
                web_date(r, v.closed_at));
  html_printf(b, "</dl>\n");
  indicators_table(r, b, &v);
  if (is_draft(&v) && may_run(r))
    indicators_form(r, b, &v, f);
  if (!is_draft(&v)) {
    side_section(r, b, &v, 0, f);
    side_section(r, b, &v, 1, f);
    leader_section(r, b, &v, f);
  }
  scores_section(r, b, &v, &s, f);
  summary_section(r, b, &v, f);
  history(r, b, &v);
  return web_end(r, p);
}

/* GET /evaluations/{id} */
static int evaluation_ledger(struct req *r, struct resp *p, enum ledger_format f);

/* GET /evaluations/{id}[?format=xlsx|csv] */
int web_evaluation(struct req *r, struct resp *p) {
  int f = ledger_asked(r);
  if (f < 0)
    return web_bad_query(r, p);
  if (f != LEDGER_PAGE)
    return evaluation_ledger(r, p, (enum ledger_format)f);
  return show_page(r, p, 200, NULL);
}

/* POST /evaluations/{id}/indicators: rows, key_N, name_N, weight_N, method_N, evidence_N,
 * updated_at → 303 ?done=indicators. A row with neither key, name nor weight is left out. */
int web_evaluation_indicators(struct req *r, struct resp *p) {
  long long rows = 0;
  const char *rows_s = req_form(r, "rows");
  if (!rows_s || !web_parse_int(rows_s, &rows) || rows < 0 ||
      rows > EVALUATION_INDICATORS_MAX + 1)
    return web_error(r, p, 422, "ui_error_title", "err_invalid");
  struct ind_row *kept = arena_alloc(r->arena, ((size_t)rows + 1) * sizeof *kept);
  struct evaluation_indicator *in = arena_alloc(r->arena, ((size_t)rows + 1) * sizeof *in);
  int *row_of = arena_alloc(r->arena, (EVALUATION_INDICATORS_MAX + 2) * sizeof *row_of);
  size_t n = 0;
  for (long long i = 0; i < rows; i++) {
    struct ind_row *k = &kept[i];
    k->key = req_form(r, arena_printf(r->arena, "key_%lld", i));
    k->name = req_form(r, arena_printf(r->arena, "name_%lld", i));
    k->weight = req_form(r, arena_printf(r->arena, "weight_%lld", i));
    k->method = req_form(r, arena_printf(r->arena, "method_%lld", i));
    k->evidence = req_form(r, arena_printf(r->arena, "evidence_%lld", i));
    if ((!k->key || !*k->key) && (!k->name || !*k->name) && (!k->weight || !*k->weight))
      continue;
    long long w = -1;
    if (!k->weight || !web_parse_int(k->weight, &w) || w < 0 || w > 100)
      w = -1; /* refused by the service, on that row's weight */
    row_of[n] = (int)i;
    in[n++] = (struct evaluation_indicator){
        .key = k->key ? k->key : "",
        .name = k->name,
        .weight = (int)w,
        .method = evaluation_method_from(k->method),
        .evidence = k->evidence && *k->evidence ? k->evidence : NULL};
  }
  struct ev_form f = {.form = "indicators", .rows = kept, .n_rows = (size_t)rows,
                      .row_of = row_of};
  int rc = evaluation_set_indicators(&r->ctx, r->ids[0], in, n, req_form(r, "updated_at"));
  if (rc != SVC_OK)
    return refused(r, p, rc, &f);
  return web_redirect(r, p, arena_printf(r->arena, "/evaluations/%lld?done=indicators",
                                         (long long)r->ids[0]));
}

/* POST /evaluations/{id}/open → 303 ?done=open. */
int web_evaluation_open(struct req *r, struct resp *p) {
  struct ev_form f = {.form = "open"};
  int rc = evaluation_open(&r->ctx, r->ids[0]);
  if (rc != SVC_OK)
    return refused(r, p, rc, &f);
  return web_redirect(r, p,
                      arena_printf(r->arena, "/evaluations/%lld?done=open", (long long)r->ids[0]));
}

/* A hand score as typed: -1 for none, -2 for what is not a whole number 0–100 (which the
 * service refuses on that field, as it does a score out of range). */
static int typed_score(const char *s) {
  long long x;
  if (!s || !*s)
    return -1;
  if (!web_parse_int(s, &x) || x < 0 || x > 100)
    return -2;
  return (int)x;
}

/* POST /evaluations/{id}/steps: action (save, self, opinion, return, confirm, summary), side,
 * text, to_stage, score_KEY per hand indicator, form (which form of the page sent it) → 303
 * to the page at the side, else the page with the message and the input kept. */
int web_evaluation_step(struct req *r, struct resp *p) {
  struct evaluation_view v;
  int rc = evaluation_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  const char *action = req_form(r, "action"), *side_s = req_form(r, "side");
  long long side = -1;
  if (side_s && (!web_parse_int(side_s, &side) || side < -1 || side > 1))
    side = -1; /* refused by the service, on the field side */
  struct ev_form f = {.form = req_form(r, "form"), .side = (int)side, .text = req_form(r, "text"),
                      .to_stage = req_form(r, "to_stage")};
  if (!f.form) /* a client of its own: the message goes above the page's first form */
    f.form = action && strcmp(action, "save") == 0 ? "self" : action ? action : "";
  int *scores = arena_alloc(r->arena, (v.n_indicators + 1) * sizeof *scores);
  f.scores = arena_alloc(r->arena, (v.n_indicators + 1) * sizeof *f.scores);
  for (size_t k = 0; k < v.n_indicators; k++) {
    scores[k] = -1;
    if (v.indicators[k].method != EM_HAND)
      continue;
    f.scores[k] = req_form(r, arena_printf(r->arena, "score_%s", v.indicators[k].key));
    scores[k] = typed_score(f.scores[k]);
  }
  enum evaluation_stage to = ES_SELF;
  if (f.to_stage && strcmp(f.to_stage, "opinion") == 0)
    to = ES_OPINION;
  else if (f.to_stage && *f.to_stage && strcmp(f.to_stage, "self") != 0)
    to = ES_N; /* neither: the service refuses the step */
  bool scored = action && (strcmp(action, "save") == 0 || strcmp(action, "self") == 0 ||
                           strcmp(action, "opinion") == 0);
  struct evaluation_action a = {.action = action ? action : "",
                                .side = (int)side,
                                .text = f.text,
                                .scores = scored ? scores : NULL,
                                .to_stage = to};
  rc = evaluation_step(&r->ctx, v.id, &a);
  if (rc != SVC_OK)
    return refused(r, p, rc, &f);
  return web_redirect(r, p,
                      arena_printf(r->arena, "/evaluations/%lld?done=%s#%s", (long long)v.id,
                                   step_label(a.action) ? a.action : "save",
                                   strcmp(a.action, "summary") == 0   ? "summaries"
                                   : strcmp(a.action, "confirm") == 0 ? "confirm"
                                   : side == 1                        ? "side-1"
                                                                      : "side-0"));
}

/* POST /evaluations/{id}/commend: unit_id (repeated) → 303 ?done=commend. */
int web_evaluation_commend(struct req *r, struct resp *p) {
  int64_t *ids = arena_alloc(r->arena, (r->n_form + 1) * sizeof *ids);
  size_t n = 0;
  for (size_t i = 0; i < r->n_form; i++) {
    long long id;
    if (strcmp(r->form[i].name, "unit_id") != 0)
      continue;
    if (!web_parse_int(r->form[i].value, &id) || id <= 0)
      id = 0; /* no such unit: refused by the service */
    ids[n++] = id;
  }
  struct ev_form f = {.form = "commend", .commend = ids, .n_commend = n};
  int rc = evaluation_commend(&r->ctx, r->ids[0], ids, n);
  if (rc != SVC_OK)
    return refused(r, p, rc, &f);
  return web_redirect(r, p, arena_printf(r->arena, "/evaluations/%lld?done=commend#commendations",
                                         (long long)r->ids[0]));
}

/* ---- how a score came out ------------------------------------------------------------------ */

static const char *input_kind_label(const char *kind) {
  if (kind && strcmp(kind, "report") == 0)
    return "ui_ev_kind_report";
  if (kind && strcmp(kind, "project") == 0)
    return "ui_ev_kind_project";
  if (kind && strcmp(kind, "event") == 0)
    return "ui_ev_kind_event";
  if (kind && strcmp(kind, "exchange") == 0)
    return "ui_ev_kind_exchange";
  return "ui_ev_kind_work_item";
}

/* Where an input is read: a work item's place in its plan, a report's page, a project's, an
 * event's, an exchange's. */
static const char *input_href(struct req *r, const struct evaluation_input *in) {
  const char *path = in->kind && strcmp(in->kind, "report") == 0     ? "reports"
                     : in->kind && strcmp(in->kind, "project") == 0  ? "projects"
                     : in->kind && strcmp(in->kind, "event") == 0    ? "events"
                     : in->kind && strcmp(in->kind, "exchange") == 0 ? "exchanges"
                                                                     : "work-items";
  return arena_printf(r->arena, "/%s/%lld", path, (long long)in->id);
}

/* value = num / den, in the indicator's own terms (yuan for investment, points for hand). */
static const char *fraction(struct req *r, enum evaluation_method m,
                            const struct evaluation_points *pt) {
  if (m == EM_INVESTMENT_PAID)
    return arena_printf(r->arena, "%s / %s", web_figure(r, pt->num, "元"),
                        web_figure(r, pt->den, "元"));
  return arena_printf(r->arena, "%lld / %lld", (long long)pt->num, (long long)pt->den);
}

/* The hand scores behind a hand indicator in a scope: a side its own, a unit its side's, a
 * city pairing both sides'. */
static void hand_inputs(struct req *r, struct sb *b, const struct evaluation_view *v,
                        const struct evaluation_score *sc, size_t k) {
  html_printf(b, "<ul class=\"ev-inputs\">\n");
  for (int s = 0; s < 2; s++) {
    if (sc->side >= 0 && sc->side != s)
      continue;
    int x = v->sides[s].final_scores[k];
    html_printf(b, "<li class=\"%s\"><span class=\"badge ev-in\">%h</span> %h%h%h%h</li>\n",
                x >= 0 ? "counted" : "not-counted",
                web_t(r, x >= 0 ? "ui_ev_counted" : "ui_ev_not_counted"), side_name(v, s),
                web_t(r, "ui_colon"), web_t(r, "ui_ev_final_score"),
                x >= 0 ? arena_printf(r->arena, " %d / 100", x) : " —");
  }
  html_printf(b, "</ul>\n");
}

/* One score explained: the indicators' table, then each indicator's inputs, then the sum.
 * Shared by a unit, a city pairing and a side. */
static void explain_score(struct req *r, struct sb *b, const struct evaluation_view *v,
                          const struct evaluation_score *sc) {
  html_printf(b,
              "<table class=\"ev-explain\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "</tr></thead>\n<tbody>\n",
              web_t(r, "ui_ev_explain_caption"), web_t(r, "ui_ev_ind_name"),
              web_t(r, "ui_ev_weight"), web_t(r, "ui_ev_applies"), web_t(r, "ui_ev_fraction"),
              web_t(r, "ui_ev_value"), web_t(r, "ui_ev_points"));
  double points = 0;
  int weights = 0;
  for (size_t k = 0; k < v->n_indicators && sc->points; k++) {
    const struct evaluation_points *pt = &sc->points[k];
    const struct evaluation_indicator *ind = &v->indicators[k];
    if (pt->applies) {
      points += pt->points;
      weights += pt->weight;
    }
    html_printf(b,
                "<tr%s><th scope=\"row\"><a href=\"#ind-%h\">%h</a></th><td class=\"num\">%d</td>"
                "<td>%h</td><td class=\"num\">%h</td><td class=\"num\">%h</td>"
                "<td class=\"num\">%h</td></tr>\n",
                pt->applies ? "" : " class=\"not-applies\"", ind->key, ind->name, pt->weight,
                web_t(r, pt->applies ? "ui_ev_yes" : "ui_ev_not_applies"),
                pt->applies ? fraction(r, ind->method, pt) : "—",
                pt->applies ? percent(r, pt->value) : "—",
                pt->applies ? num2(r, pt->points) : "—");
  }
  html_printf(b,
              "</tbody>\n<tfoot><tr><th scope=\"row\">%h</th><td class=\"num\">%d</td>"
              "<td colspan=\"3\"></td><td class=\"num\">%h</td></tr></tfoot>\n</table>\n",
              web_t(r, "ui_ev_applying_total"), weights, num2(r, points));

  for (size_t k = 0; k < v->n_indicators && sc->points; k++) {
    const struct evaluation_points *pt = &sc->points[k];
    const struct evaluation_indicator *ind = &v->indicators[k];
    html_printf(b,
                "<section class=\"ev-indicator\" id=\"ind-%h\" aria-labelledby=\"h-ind-%h\">\n"
                "<h3 id=\"h-ind-%h\">%h</h3>\n<p class=\"meta\">%h · %h%h%d</p>\n",
                ind->key, ind->key, ind->key, ind->name, web_t(r, method_label(ind->method)),
                web_t(r, "ui_ev_weight"), web_t(r, "ui_colon"), ind->weight);
    if (ind->method == EM_HAND) {
      hand_inputs(r, b, v, sc, k);
    } else if (!pt->n_inputs) {
      html_printf(b, "<p>%h</p>\n", web_t(r, "ui_ev_no_inputs"));
    } else {
      size_t counted = 0;
      int64_t amounts = 0;
      html_printf(b, "<ol class=\"ev-inputs\">\n");
      for (size_t i = 0; i < pt->n_inputs; i++) {
        const struct evaluation_input *in = &pt->inputs[i];
        counted += in->counted;
        amounts += in->amount;
        html_printf(b, "<li class=\"%s\"><span class=\"badge ev-in\">%h</span> %h%h"
                       "<a href=\"%h\">%h</a>",
                    in->counted ? "counted" : "not-counted",
                    web_t(r, in->counted ? "ui_ev_counted" : "ui_ev_not_counted"),
                    web_t(r, input_kind_label(in->kind)), web_t(r, "ui_colon"),
                    input_href(r, in), in->label ? in->label : "");
        if (in->period)
          html_printf(b, " · <span class=\"period\">%h</span>", web_period(r, in->period));
        if (in->amount)
          html_printf(b, " · %h%h%h", web_t(r, "ui_ev_contracted"), web_t(r, "ui_colon"),
                      web_figure(r, in->amount, "元"));
        html_printf(b, "</li>\n");
      }
      html_printf(b, "</ol>\n");
      /* the inputs add up to the fraction above: counted records over all, or yuan */
      if (ind->method == EM_INVESTMENT_PAID)
        html_printf(b, "<p class=\"ev-check\">%h%h%h · %h%h%h</p>\n",
                    web_t(r, "ui_ev_contracted_sum"), web_t(r, "ui_colon"),
                    web_figure(r, amounts, "元"), web_t(r, "ui_ev_paid_sum"),
                    web_t(r, "ui_colon"), web_figure(r, pt->num, "元"));
      else
        html_printf(b, "<p class=\"ev-check\">%h%h%lld · %h%h%lld</p>\n",
                    web_t(r, "ui_ev_counted"), web_t(r, "ui_colon"), (long long)counted,
                    web_t(r, "ui_ev_inputs_total"), web_t(r, "ui_colon"),
                    (long long)pt->n_inputs);
    }
    html_printf(b, "<p>%h%h%h × %h = %h</p>\n</section>\n", web_t(r, "ui_ev_points"),
                web_t(r, "ui_colon"), arena_printf(r->arena, "%d", ind->weight),
                pt->applies ? percent(r, pt->value) : "—",
                pt->applies ? num2(r, pt->points) : web_t(r, "ui_ev_not_applies"));
  }
  html_printf(b,
              "<p class=\"ev-result\" id=\"result\"><strong>%h%h%h ÷ %d × 100 = %h</strong></p>\n"
              "<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_ev_score"), web_t(r, "ui_colon"), num2(r, points), weights,
              num2(r, sc->score), web_t(r, "ui_ev_formula"));
}

enum scope_kind { SCOPE_UNIT, SCOPE_CITY, SCOPE_SIDE };

static int explain_page(struct req *r, struct resp *p, enum scope_kind kind, int64_t id) {
  struct evaluation_view v;
  struct evaluation_scores s;
  int rc = evaluation_get(&r->ctx, r->ids[0], &v);
  if (rc == SVC_OK)
    rc = evaluation_scores(&r->ctx, &v, &s);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  const struct evaluation_score *sc = NULL;
  const char *scope = "ui_unit";
  if (kind == SCOPE_UNIT) {
    sc = evaluation_unit(&s, id);
  } else if (kind == SCOPE_CITY) {
    scope = "ui_ev_city";
    for (size_t i = 0; i < s.n_cities && !sc; i++)
      if (s.cities[i].id == id)
        sc = &s.cities[i];
  } else {
    scope = "ui_ev_side";
    sc = id == 0 || id == 1 ? &s.sides[id] : NULL;
  }
  if (!sc)
    return web_error(r, p, 404, "ui_not_found_title", "err_not_found");
  struct sb *b = &p->body;
  p->status = 200;
  const char *title = arena_printf(r->arena, "%s%s%s", sc->name, web_t(r, "ui_colon"),
                                   web_t(r, "ui_ev_explain"));
  web_begin(r, p, title);
  html_printf(b,
              "<p class=\"crumbs no-print\"><a href=\"/evaluations/%lld#scores\">%h</a></p>\n"
              "<h1>%h</h1>\n<dl class=\"facts\">\n<dt>%h</dt><dd>%h %h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n",
              (long long)v.id,
              arena_printf(r->arena, "%s %s", pairing_name(r, &v), year_title(r, v.year)), title,
              web_t(r, "ui_ev_title"), pairing_name(r, &v), year_title(r, v.year),
              web_t(r, scope), sc->name);
  if (sc->side == 0 || sc->side == 1)
    html_printf(b, "<dt>%h</dt><dd>%h</dd>\n", web_t(r, "ui_ev_side"), side_name(&v, sc->side));
  html_printf(b,
              "<dt>%h</dt><dd class=\"ev-score\">%h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
              "<dt>%h</dt><dd>%h · %h</dd>\n</dl>\n",
              web_t(r, "ui_ev_score"), num2(r, sc->score), web_t(r, "ui_ev_rank"),
              sc->rank > 0 ? rank_text(r, sc) : web_t(r, "ui_ev_unranked_why"),
              web_t(r, "ui_ev_as_of"), web_date(r, s.as_of),
              web_t(r, s.frozen ? "ui_ev_frozen" : "ui_ev_live"));
  explain_score(r, b, &v, sc);
  return web_end(r, p);
}

/* GET /evaluations/{id}/units/{unit} */
int web_evaluation_unit(struct req *r, struct resp *p) {
  return explain_page(r, p, SCOPE_UNIT, r->ids[1]);
}

/* GET /evaluations/{id}/cities/{city} */
int web_evaluation_city(struct req *r, struct resp *p) {
  return explain_page(r, p, SCOPE_CITY, r->ids[1]);
}

/* GET /evaluations/{id}/sides/0 and /sides/1: the side is the path's last character (the
 * router's {id} is a positive number, so the two are routes of their own). */
int web_evaluation_side(struct req *r, struct resp *p) {
  size_t n = strlen(r->path);
  return explain_page(r, p, SCOPE_SIDE, n && r->path[n - 1] == '1' ? 1 : 0);
}

/* POST /evaluations/{id}/sides/0|1/evidence: a file for that side's self-evaluation (the side
 * is the path's character before "/evidence"); 303 back to it, else the page with the reason
 * above the form (415 a type, 413 a size, 409 once submitted). */
int web_evaluation_evidence(struct req *r, struct resp *p) {
  size_t n = strlen(r->path);
  int side = n > 10 && r->path[n - 10] == '1' ? 1 : 0;
  struct evaluation_view v;
  int rc = evaluation_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  if (!v.sides[side].row_id) /* a draft evaluation: nothing to add files to yet */
    return web_service_page(r, p,
                            svc_fail(&r->ctx, SVC_CONFLICT, "err_evaluation_step", NULL,
                                     "evaluation %lld is not open", (long long)v.id));
  const struct upload *u = req_upload(r, "file");
  rc = attachment_add(&r->ctx, "evaluation_side", v.sides[side].row_id,
                      u ? u->filename : NULL, u ? u->content_type : NULL, u ? u->data : "",
                      u ? u->len : 0, NULL);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/evaluations/%lld#evidence-%d",
                                           (long long)v.id, side));
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  struct ev_form f = {.form = "evidence", .side = side};
  f.error = web_take_code(r, "err_invalid");
  return show_page(r, p, rc == SVC_CONFLICT ? 409 : web_attachment_status(f.error), &f);
}

/* ---- the yearly report --------------------------------------------------------------------- */

static const enum light light_order[LIGHT_N] = {LIGHT_DONE, LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED};

/* "<prefix>：完成 1，绿灯 2，黄灯 0，红灯 1" — a lights bar's accessible name. */
static const char *lights_words(struct req *r, const char *prefix, const int64_t count[LIGHT_N]) {
  const char *s = arena_printf(r->arena, "%s%s", prefix, web_t(r, "ui_colon"));
  for (int k = 0; k < LIGHT_N; k++)
    s = arena_printf(r->arena, "%s%s%s %lld", s, k ? web_t(r, "ui_dash_sep") : "",
                     web_t(r, web_light_label(light_order[k])), (long long)count[light_order[k]]);
  return s;
}

static void lights_bar(struct req *r, struct sb *b, const char *name, const int64_t count[LIGHT_N],
                       int width, int height) {
  struct svg_part parts[LIGHT_N];
  for (int k = 0; k < LIGHT_N; k++)
    parts[k] = (struct svg_part){count[light_order[k]], svg_light_fill(light_order[k]),
                                 light_order[k] == LIGHT_RED};
  svg_stacked_bar(b, "ev-bar", parts, LIGHT_N, width, height, lights_words(r, name, count), true);
}

static void report_plan(struct req *r, struct sb *b, const struct dashboard *d) {
  html_printf(b,
              "<section class=\"ev-major\" id=\"r-plan\" aria-labelledby=\"h-r-plan\">\n"
              "<h2 id=\"h-r-plan\">%h</h2>\n",
              web_t(r, "ui_ev_r_plan"));
  if (!d->work_plan_id) {
    html_printf(b, "<p>%h</p>\n</section>\n", web_t(r, "ui_ev_r_no_plan"));
    return;
  }
  const int64_t *count = d->lights.pairing.count;
  html_printf(b,
              "<p>%h</p>\n<dl class=\"facts ev-figures\">\n"
              "<dt>%h</dt><dd>%lld</dd>\n<dt>%h</dt><dd>%lld</dd>\n<dt>%h</dt><dd>%lld</dd>\n"
              "<dt>%h</dt><dd>%d%%</dd>\n</dl>\n",
              arena_printf(r->arena, "%s%s%s", web_t(r, "ui_dash_plan_status"),
                           web_t(r, "ui_colon"),
                           web_t(r, !d->plan_status ? "ui_dash_no_plan"
                                    : strcmp(d->plan_status, "agreed") == 0
                                        ? "ui_dash_plan_agreed"
                                    : strcmp(d->plan_status, "submitted") == 0
                                        ? "ui_dash_plan_submitted"
                                        : "ui_dash_plan_draft")),
              web_t(r, "ui_dash_items"), (long long)d->items, web_t(r, "ui_light_done"),
              (long long)count[LIGHT_DONE], web_t(r, "ui_dash_overdue_count"),
              (long long)d->overdue, web_t(r, "ui_dash_progress"), d->percent);
  lights_bar(r, b, web_t(r, "ui_dash_lights"), count, 600, 30);
  html_printf(b, "<ul class=\"legend\">\n");
  for (int k = 0; k < LIGHT_N; k++) {
    html_printf(b, "<li>");
    svg_swatch(b, svg_light_fill(light_order[k]));
    html_printf(b, " %h %lld</li>\n", web_t(r, web_light_label(light_order[k])),
                (long long)count[light_order[k]]);
  }
  html_printf(b, "</ul>\n");
  if (!d->lights.n_areas) { /* items that serve no task of the plan have no key area */
    html_printf(b, "<p class=\"meta\">%h</p>\n</section>\n", web_t(r, "ui_ev_r_no_areas"));
    return;
  }
  html_printf(b, "<table class=\"ev-lights\">\n<caption>%h</caption>\n<thead><tr>"
                 "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>",
              web_t(r, "ui_dash_by_area"), web_t(r, "ui_dash_area"), web_t(r, "ui_dash_total"));
  for (int k = 0; k < LIGHT_N; k++)
    html_printf(b, "<th scope=\"col\" class=\"num\">%h</th>",
                web_t(r, web_light_label(light_order[k])));
  html_printf(b, "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n", web_t(r, "ui_dash_chart"));
  for (size_t i = 0; i < d->lights.n_areas; i++) {
    const struct light_group *g = &d->lights.areas[i];
    html_printf(b, "<tr><th scope=\"row\">%h</th><td class=\"num\">%lld</td>", g->name,
                (long long)g->total);
    for (int k = 0; k < LIGHT_N; k++)
      html_printf(b, "<td class=\"num\">%lld</td>", (long long)g->count[light_order[k]]);
    html_printf(b, "<td class=\"bar\">");
    lights_bar(r, b, g->name, g->count, 220, 18);
    html_printf(b, "</td></tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n</section>\n");
}

static const char *const stage_ids[STAGE_N] = {
    "ui_prj_stage_negotiating", "ui_prj_stage_signed", "ui_prj_stage_started",
    "ui_prj_stage_operating", "ui_prj_stage_stopped"};
static const char *const stage_fills[STAGE_N] = {"#57606a", "#0b4f9c", "#7d4e00", "#116329",
                                                 "#a40e26"};

static void report_projects(struct req *r, struct sb *b, const struct evaluation_view *v,
                            const struct dashboard *d) {
  html_printf(b,
              "<section class=\"ev-major\" id=\"r-projects\" aria-labelledby=\"h-r-projects\">\n"
              "<h2 id=\"h-r-projects\">%h</h2>\n",
              web_t(r, "ui_ev_r_projects"));
  if (!d->have_projects) {
    html_printf(b, "<p>%h</p>\n</section>\n", web_t(r, "ui_ev_r_no_projects"));
    return;
  }
  const struct project_totals *t = &d->projects;
  html_printf(b,
              "<dl class=\"facts ev-figures\">\n<dt>%h%h</dt><dd>%lld</dd>\n"
              "<dt>%h%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%lld</dd>\n</dl>\n",
              arena_printf(r->arena, "%d", v->year), web_t(r, "ui_prj_dash_signed"),
              (long long)t->signed_in_year, arena_printf(r->arena, "%d", v->year),
              web_t(r, "ui_prj_dash_signed_wan"),
              money_format_wan_grouped(r->arena, t->contracted_in_year),
              web_t(r, "ui_prj_dash_majors"), (long long)t->major);
  struct svg_part parts[STAGE_N];
  const char *words = arena_printf(r->arena, "%s%s", web_t(r, "ui_prj_dash_pipeline"),
                                   web_t(r, "ui_colon"));
  for (int s = 0; s < STAGE_N; s++) {
    parts[s] = (struct svg_part){t->by_stage[s], stage_fills[s], false};
    words = arena_printf(r->arena, "%s%s%s %lld", words, s ? web_t(r, "ui_dash_sep") : "",
                         web_t(r, stage_ids[s]), (long long)t->by_stage[s]);
  }
  svg_stacked_bar(b, "ev-bar", parts, STAGE_N, 600, 28, words, true);
  html_printf(b, "<ul class=\"legend\">\n");
  for (int s = 0; s < STAGE_N; s++) {
    html_printf(b, "<li>");
    svg_swatch(b, stage_fills[s]);
    html_printf(b, " %h %lld</li>\n", web_t(r, stage_ids[s]), (long long)t->by_stage[s]);
  }
  html_printf(b,
              "</ul>\n<table class=\"ev-invest\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "</tr></thead>\n<tbody>\n",
              web_t(r, "ui_prj_dash_invest"), web_t(r, "ui_prj_dash_where"),
              web_t(r, "ui_prj_dash_count"), web_t(r, "ui_prj_contracted_wan"),
              web_t(r, "ui_prj_paid_wan"));
  for (int s = 0; s < 2; s++)
    html_printf(b,
                "<tr><th scope=\"row\">%h</th><td class=\"num\">%lld</td><td class=\"num\">%h</td>"
                "<td class=\"num\">%h</td></tr>\n",
                side_name(v, s), (long long)t->projects[s],
                money_format_wan_grouped(r->arena, t->contracted[s]),
                money_format_wan_grouped(r->arena, t->paid[s]));
  for (size_t i = 0; i < t->n_cities; i++)
    html_printf(b,
                "<tr><th scope=\"row\">%h — %h</th><td class=\"num\">%lld</td>"
                "<td class=\"num\">%h</td><td class=\"num\">%h</td></tr>\n",
                t->cities[i].name_a, t->cities[i].name_b, (long long)t->cities[i].projects,
                money_format_wan_grouped(r->arena, t->cities[i].contracted),
                money_format_wan_grouped(r->arena, t->cities[i].paid));
  html_printf(b, "</tbody>\n</table>\n</section>\n");
}

/* The year's events and exchanges per side, as recorded (service/event.h, exchange.h): the
 * facts the hand-scored indicators are given on, then those scores and the sides' words. */
static void report_event_facts(struct req *r, struct sb *b, const struct evaluation_view *v) {
  struct event_filter f = {.pairing_id = v->pairing_id, .year = v->year, .when = 2};
  struct event_view *ev;
  size_t n;
  struct exchange_counts x;
  if (event_list(&r->ctx, &f, &ev, &n) != SVC_OK ||
      exchange_counts(&r->ctx, v->pairing_id, v->year, &x) != SVC_OK) {
    web_take_code(r, NULL);
    return;
  }
  int64_t held[2] = {0, 0}, came[2] = {0, 0}, signed_[2] = {0, 0};
  for (size_t i = 0; i < n; i++) {
    if (strcmp(ev[i].state, "cancelled") == 0)
      continue;
    held[ev[i].host_side]++;
    came[ev[i].host_side] += ev[i].attended_enterprises;
    signed_[ev[i].host_side] += ev[i].signed_count;
  }
  html_printf(b,
              "<table class=\"ev-facts\">\n<caption>%h</caption>\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_ev_r_event_facts"), web_t(r, "ui_ev_side"), web_t(r, "ui_ev_r_hosted"),
              web_t(r, "ui_dash_ev_attended"), web_t(r, "ui_dash_ev_signed"),
              web_t(r, "ui_dash_ev_seconded"), web_t(r, "ui_dash_ev_trained"));
  for (int s = 0; s < 2; s++)
    html_printf(b,
                "<tr><th scope=\"row\">%h</th><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
                "<td class=\"num\">%lld</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
                "</tr>\n",
                side_name(v, s), (long long)held[s], (long long)came[s], (long long)signed_[s],
                (long long)x.kind[EXCHANGE_SECONDMENT].people[s],
                (long long)x.kind[EXCHANGE_TRAINING].people[s]);
  html_printf(b, "</tbody>\n</table>\n");
}

static void report_events(struct req *r, struct sb *b, const struct evaluation_view *v) {
  html_printf(b,
              "<section class=\"ev-major\" id=\"r-events\" aria-labelledby=\"h-r-events\">\n"
              "<h2 id=\"h-r-events\">%h</h2>\n<p>%h</p>\n",
              web_t(r, "ui_ev_r_events"), web_t(r, "ui_ev_r_no_events"));
  report_event_facts(r, b, v);
  if (any_hand(v)) {
    html_printf(b,
                "<table class=\"ev-hand\">\n<caption>%h</caption>\n<thead><tr>"
                "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                "</tr></thead>\n<tbody>\n",
                web_t(r, "ui_ev_hand_scores"), web_t(r, "ui_ev_ind_name"),
                web_t(r, "ui_ev_weight"), v->name_a, v->name_b);
    for (size_t k = 0; k < v->n_indicators; k++)
      if (v->indicators[k].method == EM_HAND)
        html_printf(b,
                    "<tr><th scope=\"row\">%h</th><td class=\"num\">%d</td>"
                    "<td class=\"num\">%h</td><td class=\"num\">%h</td></tr>\n",
                    v->indicators[k].name, v->indicators[k].weight,
                    score_words(r, v->sides[0].final_scores[k]),
                    score_words(r, v->sides[1].final_scores[k]));
    html_printf(b, "</tbody>\n</table>\n");
  }
  for (int s = 0; s < 2; s++) {
    const struct evaluation_side *x = &v->sides[s];
    html_printf(b, "<h3>%h%h%h</h3>\n", side_name(v, s), web_t(r, "ui_colon"),
                web_t(r, "ui_ev_self_text"));
    if (!x->self_visible)
      html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ev_self_hidden"));
    else if (x->self_text && *x->self_text)
      web_paragraphs(r, b, x->self_text);
    else
      html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ev_nothing_yet"));
    if (x->opinion_text && *x->opinion_text) {
      html_printf(b, "<h3>%h%h%h</h3>\n", side_name(v, 1 - s), web_t(r, "ui_colon"),
                  web_t(r, "ui_ev_opinion_text"));
      web_paragraphs(r, b, x->opinion_text);
    }
  }
  html_printf(b, "</section>\n");
}

static void report_results(struct req *r, struct sb *b, const struct evaluation_view *v,
                           const struct evaluation_scores *s) {
  html_printf(b,
              "<section class=\"ev-major\" id=\"r-results\" aria-labelledby=\"h-r-results\">\n"
              "<h2 id=\"h-r-results\">%h</h2>\n<p class=\"meta\">%h%h%h · %h</p>\n",
              web_t(r, "ui_ev_r_results"), web_t(r, "ui_ev_as_of"), web_t(r, "ui_colon"),
              web_date(r, s->as_of), web_t(r, s->frozen ? "ui_ev_frozen" : "ui_ev_live"));
  sides_table(r, b, v, s, false);
  if (s->n_units) {
    /* the units' scores as bars, each named and numbered in the chart itself */
    struct svg_bar *bars = arena_alloc(r->arena, (s->n_units + 1) * sizeof *bars);
    const char *words = arena_printf(r->arena, "%s%s", web_t(r, "ui_ev_r_chart_units"),
                                     web_t(r, "ui_colon"));
    for (size_t i = 0; i < s->n_units; i++) {
      const char *score = num2(r, s->units[i].score);
      bars[i] = (struct svg_bar){
          .label = arena_printf(r->arena, "%s. %s", rank_text(r, &s->units[i]), s->units[i].name),
          .text = score,
          .value = s->units[i].score};
      words = arena_printf(r->arena, "%s%s%s %s", words, i ? web_t(r, "ui_dash_sep") : "",
                           s->units[i].name, score);
    }
    html_printf(b, "<figure class=\"ev-chart\">\n");
    svg_hbars(b, "ev-hbars", bars, s->n_units, 100.0, 17, words);
    html_printf(b, "\n<figcaption>%h</figcaption>\n</figure>\n", web_t(r, "ui_ev_r_chart_units"));
  }
  units_table(r, b, v, s, false);
  cities_table(r, b, v, s, false);
  html_printf(b, "<h3>%h</h3>\n", web_t(r, "ui_ev_commend_list"));
  if (!v->n_commended) {
    html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ev_no_commended"));
  } else {
    html_printf(b, "<ul class=\"ev-commended\">\n");
    for (size_t i = 0; i < s->n_units; i++)
      if (s->units[i].commended)
        html_printf(b, "<li>%h（%h）</li>\n", s->units[i].name, side_name(v, s->units[i].side));
    html_printf(b, "</ul>\n");
  }
  html_printf(b, "</section>\n");
}

static void report_late(struct req *r, struct sb *b, const struct dashboard *d,
                        const struct reporting_grid *g) {
  html_printf(b,
              "<section class=\"ev-major\" id=\"r-late\" aria-labelledby=\"h-r-late\">\n"
              "<h2 id=\"h-r-late\">%h</h2>\n",
              web_t(r, "ui_ev_r_late"));
  if (!d->n_overdue_items) {
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_dash_no_overdue"));
  } else {
    html_printf(b,
                "<p class=\"meta\">%h %d / %lld</p>\n<table class=\"ev-late\">\n<caption>%h"
                "</caption>\n<thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
                web_t(r, "ui_dash_overdue_shown"), (int)d->n_overdue_items,
                (long long)d->overdue, web_t(r, "ui_dash_overdue_list"), web_t(r, "ui_item"),
                web_t(r, "ui_dash_owner"), web_t(r, "ui_due"), web_t(r, "ui_dash_days_overdue"),
                web_t(r, "ui_dash_latest_status"));
    for (size_t i = 0; i < d->n_overdue_items; i++) {
      const struct dashboard_overdue *o = &d->overdue_items[i];
      html_printf(b,
                  "<tr><th scope=\"row\"><a href=\"/work-items/%lld\">%h</a></th><td>%h</td>"
                  "<td class=\"date\">%h</td><td class=\"num\">%d</td><td>",
                  (long long)o->item_id, o->title, o->owner_name, web_date(r, o->due), o->days);
      if (o->report_id)
        html_printf(b, "%h · %h · %d%%", web_period(r, o->report_period),
                    web_status_label(r, o->report_status), o->report_percent);
      else
        html_printf(b, "<span class=\"meta\">%h</span>", web_t(r, "ui_no_report"));
      html_printf(b, "</td></tr>\n");
    }
    html_printf(b, "</tbody>\n</table>\n");
  }
  /* 催办: what the lead offices did about the late — each unit's missing reports and urgings */
  html_printf(b, "<h3>%h</h3>\n", web_t(r, "ui_ev_r_urges"));
  int64_t missing = 0, urged = 0;
  for (size_t i = 0; i < g->n_units; i++) {
    missing += g->units[i].missing;
    urged += g->units[i].urged;
  }
  if (!missing && !urged) {
    html_printf(b, "<p>%h</p>\n</section>\n", web_t(r, "ui_ev_r_no_urges"));
    return;
  }
  html_printf(b,
              "<table class=\"ev-urges\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_ev_r_urges_caption"), web_t(r, "ui_unit"),
              web_t(r, "ui_ev_r_missing"), web_t(r, "ui_ev_r_urged"));
  for (size_t i = 0; i < g->n_units; i++) {
    const struct reporting_unit_row *u = &g->units[i];
    if (!u->missing && !u->urged)
      continue;
    html_printf(b, "<tr><th scope=\"row\">%h</th><td class=\"num\">%lld</td>"
                   "<td class=\"num\">%lld</td></tr>\n",
                u->name, (long long)u->missing, (long long)u->urged);
  }
  html_printf(b,
              "</tbody>\n<tfoot><tr><th scope=\"row\">%h</th><td class=\"num\">%lld</td>"
              "<td class=\"num\">%lld</td></tr></tfoot>\n</table>\n</section>\n",
              web_t(r, "ui_dash_total"), (long long)missing, (long long)urged);
}

static void report_summaries(struct req *r, struct sb *b, const struct evaluation_view *v) {
  html_printf(b,
              "<section class=\"ev-major\" id=\"r-summaries\" aria-labelledby=\"h-r-summaries\">\n"
              "<h2 id=\"h-r-summaries\">%h</h2>\n",
              web_t(r, "ui_ev_r_summaries"));
  for (int s = 0; s < 2; s++) {
    html_printf(b, "<h3>%h</h3>\n", side_name(v, s));
    if (v->sides[s].summary && *v->sides[s].summary)
      web_paragraphs(r, b, v->sides[s].summary);
    else
      html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ev_r_no_summary"));
  }
  html_printf(b, "</section>\n");
}

/* GET /evaluations/{id}/report: 年度工作总结评估报告 — the same for both sides; A4 by the
 * stylesheet (.ev-report's named page, each major section on a new sheet). */
int web_evaluation_report(struct req *r, struct resp *p) {
  struct evaluation_view v;
  struct evaluation_scores s;
  struct dashboard d;
  struct reporting_grid g;
  int rc = evaluation_get(&r->ctx, r->ids[0], &v);
  if (rc == SVC_OK)
    rc = evaluation_scores(&r->ctx, &v, &s);
  if (rc == SVC_OK)
    rc = dashboard_get(&r->ctx, v.pairing_id, v.year, &d);
  if (rc == SVC_OK)
    rc = reporting_grid_all(&r->ctx, v.pairing_id, v.year, &g);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = 200;
  const char *title = arena_printf(r->arena, "%s %s%d%s", pairing_name(r, &v),
                                   web_t(r, "ui_ev_report_a"), v.year, web_t(r, "ui_ev_report_b"));
  web_begin(r, p, title);
  html_printf(b,
              "<article class=\"ev-report\">\n<p class=\"crumbs no-print\">"
              "<a href=\"/evaluations/%lld\">%h</a> · %h</p>\n"
              "<header class=\"ev-cover\">\n<h1>%h</h1>\n<p class=\"meta\">%h%h%h · %h%h%h</p>\n"
              "</header>\n",
              (long long)v.id, year_title(r, v.year), web_t(r, "ui_ev_print_hint"), title,
              web_t(r, "ui_ev_state"), web_t(r, "ui_colon"), web_t(r, state_label(v.state)),
              web_t(r, "ui_ev_as_of"), web_t(r, "ui_colon"), web_date(r, s.as_of));
  report_plan(r, b, &d);
  report_projects(r, b, &v, &d);
  report_events(r, b, &v);
  report_results(r, b, &v, &s);
  report_late(r, b, &d, &g);
  report_summaries(r, b, &v);
  html_printf(b, "</article>\n");
  return web_end(r, p);
}

/* ---- the workbook -------------------------------------------------------------------------- */

/* The scores of units or city pairings as the columns of a ledger sheet: rank, name, (side,)
 * score, (commended,) each indicator's points (keys ind_<indicator key>). */
static const struct ledger_col *score_cols(struct req *r, const struct evaluation_view *v,
                                           bool units, size_t *n) {
  struct ledger_col *c = arena_alloc(r->arena, (5 + v->n_indicators) * sizeof *c);
  size_t k = 0;
  c[k++] = (struct ledger_col){"rank", "ui_ev_rank", LEDGER_INT, NULL};
  c[k++] = (struct ledger_col){"name", units ? "ui_unit" : "ui_ev_city", LEDGER_TEXT, NULL};
  if (units)
    c[k++] = (struct ledger_col){"side", "ui_ev_side", LEDGER_TEXT, NULL};
  c[k++] = (struct ledger_col){"score", "ui_ev_score", LEDGER_NUMBER, NULL};
  if (units)
    c[k++] = (struct ledger_col){"commended", "ui_ev_commended", LEDGER_TEXT, NULL};
  for (size_t i = 0; i < v->n_indicators; i++)
    c[k++] = (struct ledger_col){
        arena_printf(r->arena, "ind_%s", v->indicators[i].key), NULL, LEDGER_NUMBER,
        arena_printf(r->arena, "%s（%d）", v->indicators[i].name, v->indicators[i].weight)};
  *n = k;
  return c;
}

static void score_rows(struct req *r, struct ledger *l, const struct evaluation_view *v,
                       const struct evaluation_score *rows, size_t n, bool units) {
  for (size_t i = 0; i < n; i++) {
    const struct evaluation_score *x = &rows[i];
    if (x->rank > 0)
      ledger_int(l, x->rank);
    else
      ledger_text(l, web_t(r, "ui_ev_unranked"));
    ledger_text(l, x->name ? x->name : "");
    if (units)
      ledger_text(l, side_name(v, x->side));
    ledger_number(l, x->score);
    if (units)
      ledger_text(l, x->commended ? "★" : NULL);
    for (size_t k = 0; k < v->n_indicators && x->points; k++) {
      if (x->points[k].applies)
        ledger_number(l, x->points[k].points);
      else
        ledger_text(l, "—");
    }
    ledger_row_end(l);
  }
}

static const struct ledger_col indicator_cols[] = {
    {"key", "ui_ev_ind_key", LEDGER_TEXT, NULL},
    {"name", "ui_ev_ind_name", LEDGER_TEXT, NULL},
    {"weight", "ui_ev_weight", LEDGER_INT, NULL},
    {"method", "ui_ev_method", LEDGER_TEXT, NULL},
    {"evidence", "ui_ev_evidence", LEDGER_TEXT, NULL},
};

/* The units' ranking with each indicator's points, the city pairings', the indicators: three
 * sheets of one ledger (web/ledger.h). */
static int evaluation_ledger(struct req *r, struct resp *p, enum ledger_format f) {
  struct evaluation_view v;
  struct evaluation_scores s;
  int rc = evaluation_get(&r->ctx, r->ids[0], &v);
  if (rc == SVC_OK)
    rc = evaluation_scores(&r->ctx, &v, &s);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  size_t n_units, n_cities;
  const struct ledger_col *ucols = score_cols(r, &v, true, &n_units);
  const struct ledger_col *ccols = score_cols(r, &v, false, &n_cities);
  struct ledger_spec spec = {
      .name = arena_printf(r->arena, "%s-%d", web_t(r, "ui_ev_title"), v.year),
      .ascii = arena_printf(r->arena, "evaluation-%lld-%d", (long long)v.id, v.year),
      .title = arena_printf(r->arena, "%s %s · %s%s%s", pairing_name(r, &v),
                            year_title(r, v.year), web_t(r, "ui_ev_as_of"),
                            web_t(r, "ui_colon"), web_date(r, s.as_of)),
      .sheet = web_t(r, "ui_ev_x_units"),
      .cols = ucols,
      .n_cols = n_units};
  struct ledger *l = ledger_open(r, f, &spec);
  if (!l)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  score_rows(r, l, &v, s.units, s.n_units, true);
  if (!ledger_sheet(l, web_t(r, "ui_ev_x_cities"), ccols, n_cities))
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  score_rows(r, l, &v, s.cities, s.n_cities, false);
  if (!ledger_sheet(l, web_t(r, "ui_ev_x_indicators"), indicator_cols,
                    sizeof indicator_cols / sizeof *indicator_cols))
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  for (size_t k = 0; k < v.n_indicators; k++) {
    const struct evaluation_indicator *x = &v.indicators[k];
    ledger_text(l, x->key);
    ledger_text(l, x->name);
    ledger_int(l, x->weight);
    ledger_text(l, web_t(r, method_label(x->method)));
    ledger_text(l, x->evidence);
    ledger_row_end(l);
  }
  return ledger_send(l, p);
}

/* GET /evaluations/{id}/export.xlsx: the ledger as XLSX (also /evaluations/{id}?format=). */
int web_evaluation_xlsx(struct req *r, struct resp *p) {
  return evaluation_ledger(r, p, LEDGER_XLSX);
}
