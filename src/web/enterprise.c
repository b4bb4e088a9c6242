/* enterprise: the pages of 企业库.
 *   /enterprises        the directory of a pairing: a search box (name in either script, or
 *                       credit code), side and industry filters, keyset pages; the contact
 *                       column only when the page has a contact the reader may see; the form
 *                       that records one for who may.
 *   /enterprises/{id}   its facts, the contact for who may see it, the events it registered
 *                       for; the edit form for its side's coordinators and member units, the
 *                       merge form for its side's coordinators.
 * The rules are service/enterprise.h's; a refusal shows the form again with the message by
 * the field, a summary above, and the input kept; a stale edit answers 409, input kept. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ingest/gazetteer.h"
#include "service/enterprise.h"
#include "service/industry.h"
#include "service/pairing.h"
#include "web/html.h"
#include "web/web.h"

static const char *const sizes[] = {"large", "medium", "small", "micro"};
static const char *const size_labels[] = {"ui_ent_size_large", "ui_ent_size_medium",
                                          "ui_ent_size_small", "ui_ent_size_micro"};

static const char *size_label(struct req *r, const char *size) {
  for (size_t i = 0; size && i < sizeof sizes / sizeof *sizes; i++)
    if (strcmp(size, sizes[i]) == 0)
      return web_t(r, size_labels[i]);
  return web_t(r, "ui_prj_none_short");
}

static const char *status_label(struct req *r, const char *status) {
  if (status && strcmp(status, "registered") == 0)
    return web_t(r, "ui_ent_status_registered");
  if (status && strcmp(status, "waiting") == 0)
    return web_t(r, "ui_ent_status_waiting");
  return web_t(r, "ui_ent_status_withdrawn");
}

static const char *or_none(struct req *r, const char *s) {
  return s && *s ? s : web_t(r, "ui_prj_none_short");
}

static void option(struct sb *b, const char *value, const char *chosen, const char *label) {
  html_printf(b, "<option value=\"%h\"%s>%h</option>\n", value,
              chosen && strcmp(chosen, value) == 0 ? " selected" : "", label);
}

/* The industries as a <select> named industry: sections as groups, with their divisions. */
static void industry_select(struct req *r, struct sb *b, const char *id, const char *chosen,
                            const char *none_label, const char *err) {
  html_printf(b, "<select id=\"%h\" name=\"industry\"", id);
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

/* ---- the form ---------------------------------------------------------------------------- */

struct ent_form {
  const char *name, *credit_code, *region, *industry, *size, *contact_name, *contact_phone;
  const char *side, *updated_at;
  bool show_side;     /* an admin chooses the side */
  bool contact_shown; /* the stored contact is shown (else blank inputs keep it) */
  bool has_contact;
  const char *e_name, *e_code, *e_region, *e_industry, *e_size, *e_cname, *e_cphone, *e_side,
      *e_top;
};

/* Puts a failure's message by its field and the summary above the form. */
static void form_error(struct ent_form *f, const char *field, const char *code) {
  static const struct {
    const char *field;
    size_t at;
  } map[] = {
      {"name", offsetof(struct ent_form, e_name)},
      {"credit_code", offsetof(struct ent_form, e_code)},
      {"region_code", offsetof(struct ent_form, e_region)},
      {"industry", offsetof(struct ent_form, e_industry)},
      {"size", offsetof(struct ent_form, e_size)},
      {"contact_name", offsetof(struct ent_form, e_cname)},
      {"contact_phone", offsetof(struct ent_form, e_cphone)},
      {"side", offsetof(struct ent_form, e_side)},
  };
  f->e_top = "ui_form_has_errors";
  /* a duplicate code says so, not "this already exists" */
  if (field && strcmp(field, "credit_code") == 0 && code && strcmp(code, "err_exists") == 0)
    code = "err_ent_code_taken";
  for (size_t i = 0; field && i < sizeof map / sizeof *map; i++)
    if (strcmp(field, map[i].field) == 0) {
      *(const char **)((char *)f + map[i].at) = code;
      return;
    }
  f->e_top = code;
}

static void text_input(struct req *r, struct sb *b, const char *id, const char *label,
                       const char *value, const char *err, int max) {
  html_printf(b,
              "<p><label for=\"%h\">%h</label>\n<input id=\"%h\" name=\"%h\" type=\"text\" "
              "maxlength=\"%d\" value=\"%h\"",
              id, web_t(r, label), id, id, max, value ? value : "");
  web_describe(b, id, err);
  html_printf(b, ">\n");
  web_field_error(r, b, err, id);
  html_printf(b, "</p>\n");
}

static void form_fields(struct req *r, struct sb *b, const struct ent_form *f,
                        const struct pairing_view *pv) {
  text_input(r, b, "name", "ui_ent_name", f->name, f->e_name, ENTERPRISE_NAME_MAX);
  text_input(r, b, "credit_code", "ui_prj_credit_code", f->credit_code, f->e_code, 40);
  if (f->show_side && pv) {
    html_printf(b, "<p><label for=\"side\">%h</label>\n<select id=\"side\" name=\"side\"",
                web_t(r, "ui_prj_side"));
    web_describe(b, "side", f->e_side);
    html_printf(b, ">\n");
    option(b, "0", f->side ? f->side : "0", pv->name_a);
    option(b, "1", f->side, pv->name_b);
    html_printf(b, "</select>\n");
    web_field_error(r, b, f->e_side, "side");
    html_printf(b, "</p>\n");
  }
  text_input(r, b, "region", "ui_ent_region", f->region, f->e_region, 100);
  html_printf(b, "<p><label for=\"industry\">%h</label>\n", web_t(r, "ui_prj_industry"));
  industry_select(r, b, "industry", f->industry, web_t(r, "ui_prj_none_short"), f->e_industry);
  web_field_error(r, b, f->e_industry, "industry");
  html_printf(b, "</p>\n<p><label for=\"size\">%h</label>\n<select id=\"size\" name=\"size\"",
              web_t(r, "ui_ent_size"));
  web_describe(b, "size", f->e_size);
  html_printf(b, ">\n");
  option(b, "", f->size ? f->size : "", web_t(r, "ui_prj_none_short"));
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
    option(b, sizes[i], f->size, web_t(r, size_labels[i]));
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_size, "size");
  html_printf(b, "</p>\n<fieldset>\n<legend>%h</legend>\n<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_ent_contact"), web_t(r, "ui_ent_contact_hint"));
  if (f->has_contact && !f->contact_shown)
    html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ent_contact_kept"));
  text_input(r, b, "contact_name", "ui_ent_contact_name", f->contact_name, f->e_cname,
             ENTERPRISE_CONTACT_MAX);
  text_input(r, b, "contact_phone", "ui_ent_contact_phone", f->contact_phone, f->e_cphone,
             ENTERPRISE_PHONE_MAX);
  html_printf(b, "</fieldset>\n");
}

static void read_form(struct req *r, struct ent_form *f) {
  memset(f, 0, sizeof *f);
  f->name = req_form(r, "name");
  f->credit_code = req_form(r, "credit_code");
  f->region = req_form(r, "region");
  f->industry = req_form(r, "industry");
  f->size = req_form(r, "size");
  f->contact_name = req_form(r, "contact_name");
  f->contact_phone = req_form(r, "contact_phone");
  f->side = req_form(r, "side");
  f->updated_at = req_form(r, "updated_at");
}

/* The form as a service input; false (with the message in f) when a field cannot be read.
 * keep_blank_contact: a reader who may not see the stored contact leaves it by blanks. */
static bool to_input(struct req *r, struct ent_form *f, struct enterprise_input *in,
                     bool keep_blank_contact) {
  memset(in, 0, sizeof *in);
  in->side = -1;
  in->name = f->name;
  in->credit_code = f->credit_code;
  in->industry = f->industry;
  in->size = f->size;
  in->contact_name = f->contact_name;
  in->contact_phone = f->contact_phone;
  if (keep_blank_contact) {
    if (in->contact_name && !*in->contact_name)
      in->contact_name = NULL;
    if (in->contact_phone && !*in->contact_phone)
      in->contact_phone = NULL;
  }
  in->if_updated_at = f->updated_at ? f->updated_at : "";
  in->region_code = f->region ? "" : NULL;
  if (f->region && *f->region) {
    const struct gazetteer *g = gazetteer_get();
    const struct region *reg = region_by_code(g, f->region);
    bool ambiguous = false;
    /* a name that several places bear (鼓楼区 …) is none: the code says which */
    if (!reg)
      reg = region_find(g, f->region, &ambiguous);
    if (!reg || ambiguous) {
      form_error(f, "region_code", "err_region_unknown");
      return false;
    }
    in->region_code = reg->code;
  }
  return true;
}

/* ---- the list ---------------------------------------------------------------------------- */

struct list_query {
  struct enterprise_filter f;
  const char *q, *side, *industry;
  bool merged;
};

static const char *opt(struct req *r, const char *name) {
  const char *v = req_query(r, name);
  return v && *v ? v : NULL;
}

/* The filters of ?pairing=&side=&q=&industry=&merged=; false when one is malformed. */
static bool read_filters(struct req *r, struct list_query *q) {
  memset(q, 0, sizeof *q);
  q->f.side = -1;
  long long v;
  const char *s = opt(r, "pairing");
  if (s && (!web_parse_int(s, &v) || v < 1))
    return false;
  q->f.pairing_id = s ? v : (r->user->role == ROLE_ADMIN ? 0 : r->user->pairing_id);
  if (!q->f.pairing_id && r->user->role == ROLE_ADMIN) {
    int64_t first = web_asked_pairing(r);
    q->f.pairing_id = first > 0 ? first : 0;
  }
  q->side = opt(r, "side");
  if (q->side && (!web_parse_int(q->side, &v) || v < 0 || v > 1))
    return false;
  q->f.side = q->side ? (int)v : -1;
  q->industry = opt(r, "industry");
  if (q->industry && !industry_find(q->industry))
    return false;
  q->f.industry = q->industry;
  q->q = opt(r, "q");
  q->f.q = q->q;
  q->merged = opt(r, "merged") != NULL;
  q->f.merged = q->merged;
  return true;
}

/* /enterprises with the list's filters, for the pager (URL-encoded, not escaped). */
static const char *list_path(struct req *r, const struct list_query *q) {
  struct sb s = SB_INIT;
  sb_append(&s, "/enterprises");
  if (q->f.pairing_id)
    web_query_add(&s, "pairing", arena_printf(r->arena, "%lld", (long long)q->f.pairing_id));
  if (q->q)
    web_query_add(&s, "q", q->q);
  if (q->side)
    web_query_add(&s, "side", q->side);
  if (q->industry)
    web_query_add(&s, "industry", q->industry);
  if (q->merged)
    web_query_add(&s, "merged", "1");
  const char *out = arena_strdup(r->arena, sb_str(&s));
  sb_free(&s);
  return out;
}

static void filter_form(struct req *r, struct sb *b, const struct list_query *q,
                        const struct pairing_view *pv) {
  html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/enterprises\" "
                 "role=\"search\">\n");
  if (q->f.pairing_id)
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n",
                (long long)q->f.pairing_id);
  html_printf(b,
              "<p><label for=\"f-q\">%h</label>\n<input id=\"f-q\" name=\"q\" type=\"search\" "
              "maxlength=\"100\" value=\"%h\"></p>\n",
              web_t(r, "ui_ent_search"), q->q ? q->q : "");
  if (pv) {
    html_printf(b, "<p><label for=\"f-side\">%h</label>\n<select id=\"f-side\" name=\"side\">\n",
                web_t(r, "ui_prj_side"));
    option(b, "", q->side ? q->side : "", web_t(r, "ui_prj_any"));
    option(b, "0", q->side, pv->name_a);
    option(b, "1", q->side, pv->name_b);
    html_printf(b, "</select></p>\n");
  }
  html_printf(b, "<p><label for=\"f-industry\">%h</label>\n", web_t(r, "ui_prj_industry"));
  industry_select(r, b, "f-industry", q->industry, web_t(r, "ui_prj_any"), NULL);
  html_printf(b,
              "</p>\n<p><input id=\"f-merged\" name=\"merged\" type=\"checkbox\" value=\"1\"%s>"
              "<label class=\"inline\" for=\"f-merged\">%h</label></p>\n"
              "<p><button type=\"submit\">%h</button></p>\n</form>\n",
              q->merged ? " checked" : "", web_t(r, "ui_ent_include_merged"),
              web_t(r, "ui_srch_button"));
}

static void enterprise_table(struct req *r, struct sb *b, const struct enterprise_view *v,
                             size_t n) {
  bool contacts = false;
  for (size_t i = 0; i < n; i++)
    contacts = contacts || v[i].contact_visible;
  html_printf(b,
              "<table class=\"projects enterprises\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>",
              web_t(r, "ui_ent_name"), web_t(r, "ui_prj_credit_code"), web_t(r, "ui_prj_side"),
              web_t(r, "ui_ent_region"), web_t(r, "ui_prj_industry"), web_t(r, "ui_ent_size"));
  if (contacts)
    html_printf(b, "<th scope=\"col\">%h</th>", web_t(r, "ui_ent_contact"));
  html_printf(b, "</tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < n; i++) {
    const struct enterprise_view *k = &v[i];
    html_printf(b, "<tr><th scope=\"row\" data-label=\"%h\"><a href=\"/enterprises/%lld\">%h</a>",
                web_t(r, "ui_ent_name"), (long long)k->id, k->name);
    if (k->merged_into)
      html_printf(b, " <span class=\"badge\">%h</span>", web_t(r, "ui_ent_merged_badge"));
    html_printf(b,
                "</th><td data-label=\"%h\">%h</td><td data-label=\"%h\">%h</td>"
                "<td data-label=\"%h\">%h</td><td data-label=\"%h\">%h</td>"
                "<td data-label=\"%h\">%h</td>",
                web_t(r, "ui_prj_credit_code"), or_none(r, k->credit_code),
                web_t(r, "ui_prj_side"), k->side ? k->name_b : k->name_a,
                web_t(r, "ui_ent_region"), or_none(r, k->region_name), web_t(r, "ui_prj_industry"),
                or_none(r, k->industry_name), web_t(r, "ui_ent_size"), size_label(r, k->size));
    if (contacts) {
      html_printf(b, "<td data-label=\"%h\">", web_t(r, "ui_ent_contact"));
      if (k->contact_visible && (k->contact_name || k->contact_phone))
        html_printf(b, "%h %h", k->contact_name ? k->contact_name : "",
                    k->contact_phone ? k->contact_phone : "");
      else
        html_printf(b, "%h", web_t(r, "ui_prj_none_short"));
      html_printf(b, "</td>");
    }
    html_printf(b, "</tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n");
}

static int list_page(struct req *r, struct resp *p, int status, struct ent_form *f) {
  int64_t after = web_page_after(r);
  struct list_query q;
  if (after < 0 || !read_filters(r, &q))
    return web_bad_query(r, p);
  struct enterprise_view *v;
  size_t n;
  int64_t next;
  int rc = enterprise_list(&r->ctx, &q.f, after, ENTERPRISE_PAGE_DEFAULT, &v, &n, &next);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct pairing_view pv;
  bool named = q.f.pairing_id && pairing_get(&r->ctx, q.f.pairing_id, &pv) == SVC_OK;
  web_take_code(r, NULL);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_ent_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"meta\">%h</p>\n", web_t(r, "ui_ent_title"),
              web_t(r, "ui_ent_intro"));
  if (status != 200)
    web_form_error(r, b, f->e_top);
  filter_form(r, b, &q, named ? &pv : NULL);
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_ent_none"));
  else
    enterprise_table(r, b, v, n);
  web_pager(r, b, list_path(r, &q), after, next != 0, next);
  if (enterprise_may_create(&r->ctx) && named) {
    f->show_side = r->user->role == ROLE_ADMIN;
    f->contact_shown = true;
    html_printf(b, "<section class=\"admin-form\" id=\"new\">\n<h2>%h</h2>\n",
                web_t(r, "ui_ent_new"));
    html_printf(b, "<form method=\"post\" action=\"/enterprises\">\n");
    web_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n",
                (long long)q.f.pairing_id);
    form_fields(r, b, f, &pv);
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
                web_t(r, "ui_prj_create"));
  }
  return web_end(r, p);
}

int web_enterprises(struct req *r, struct resp *p) {
  struct ent_form f;
  memset(&f, 0, sizeof f);
  return list_page(r, p, 200, &f);
}

/* POST /enterprises: 303 to the new enterprise, or the list again with the messages (422;
 * 409 for a credit code in the directory already). */
int web_enterprise_create(struct req *r, struct resp *p) {
  if (!enterprise_may_create(&r->ctx))
    return web_service_page(r, p, svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL,
                                           "coordinators and member units record enterprises"));
  struct ent_form f;
  read_form(r, &f);
  struct enterprise_input in;
  if (!to_input(r, &f, &in, false))
    return list_page(r, p, 422, &f);
  in.name = f.name ? f.name : "";
  long long v;
  const char *pf = req_form(r, "pairing");
  if (r->user->role == ROLE_ADMIN) {
    if (pf && web_parse_int(pf, &v) && v > 0)
      in.pairing_id = v;
    in.side = f.side && web_parse_int(f.side, &v) ? (int)v : -1;
  }
  int64_t id;
  int rc = enterprise_create(&r->ctx, &in, &id);
  if (rc == SVC_OK)
    return web_redirect(r, p,
                        arena_printf(r->arena, "/enterprises/%lld?done=created", (long long)id));
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(&f, field, web_take_code(r, "err_invalid"));
  return list_page(r, p, rc == SVC_CONFLICT ? 409 : 422, &f);
}

/* ---- one enterprise ---------------------------------------------------------------------- */

static void form_from(const struct enterprise_view *v, struct ent_form *f) {
  memset(f, 0, sizeof *f);
  f->name = v->name;
  f->credit_code = v->credit_code;
  f->region = v->region_code; /* the code: a name may be several places' (鼓楼区) */
  f->industry = v->industry;
  f->size = v->size;
  f->contact_name = v->contact_name;
  f->contact_phone = v->contact_phone;
  f->updated_at = v->updated_at;
}

static void events_section(struct req *r, struct sb *b, const struct enterprise_view *v) {
  struct enterprise_event *e;
  size_t n = 0;
  if (enterprise_events(&r->ctx, v->id, &e, &n) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  html_printf(b, "<section id=\"events\">\n<h2>%h</h2>\n", web_t(r, "ui_ent_events"));
  if (n == 0) {
    html_printf(b, "<p>%h</p>\n</section>\n", web_t(r, "ui_ent_no_events"));
    return;
  }
  html_printf(b,
              "<table class=\"projects\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_ent_event"), web_t(r, "ui_ent_event_starts"),
              web_t(r, "ui_ent_number"), web_t(r, "ui_ent_reg_status"));
  for (size_t i = 0; i < n; i++) {
    html_printf(b,
                "<tr><th scope=\"row\" data-label=\"%h\"><a href=\"/events/%lld\">%h</a></th>"
                "<td data-label=\"%h\">%h</td><td class=\"num\" data-label=\"%h\">%lld</td>"
                "<td data-label=\"%h\">%h",
                web_t(r, "ui_ent_event"), (long long)e[i].event_id, e[i].title,
                web_t(r, "ui_ent_event_starts"), e[i].starts ? e[i].starts : "",
                web_t(r, "ui_ent_number"), (long long)e[i].number, web_t(r, "ui_ent_reg_status"),
                status_label(r, e[i].status));
    if (e[i].checked_in_at)
      html_printf(b, " · %h", web_t(r, "ui_ent_checked_in"));
    html_printf(b, "</td></tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n</section>\n");
}

/* The merge form: into as the enterprise's number, with the side's others suggested. */
static void merge_section(struct req *r, struct sb *b, const struct enterprise_view *v,
                          const char *into, const char *err) {
  struct enterprise_filter mf = {.pairing_id = v->pairing_id, .side = v->side};
  struct enterprise_view *others;
  size_t n = 0;
  int64_t next;
  if (enterprise_list(&r->ctx, &mf, 0, ENTERPRISE_PAGE_MAX, &others, &n, &next) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  html_printf(b,
              "<section class=\"admin-form\" id=\"merge\">\n<h2>%h</h2>\n"
              "<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_ent_merge"), web_t(r, "ui_ent_merge_hint"));
  html_printf(b, "<form method=\"post\" action=\"/enterprises/%lld/merge\">\n", (long long)v->id);
  web_csrf_field(r, b);
  html_printf(b,
              "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n"
              "<p><label for=\"into\">%h</label>\n<input id=\"into\" name=\"into\" "
              "type=\"number\" min=\"1\" list=\"merge-into\" value=\"%h\"",
              v->updated_at, web_t(r, "ui_ent_merge_into"), into ? into : "");
  web_describe(b, "into", err);
  html_printf(b, ">\n<datalist id=\"merge-into\">\n");
  for (size_t i = 0; i < n; i++)
    if (others[i].id != v->id)
      html_printf(b, "<option value=\"%lld\">%h</option>\n", (long long)others[i].id,
                  others[i].name);
  html_printf(b, "</datalist>\n");
  web_field_error(r, b, err, "into");
  html_printf(b, "</p>\n<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_ent_merge_button"));
}

static int enterprise_page(struct req *r, struct resp *p, int status,
                           const struct enterprise_view *v, struct ent_form *f,
                           const char *merge_into, const char *merge_err) {
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, v->name);
  html_printf(b, "<p class=\"crumbs\"><a href=\"/enterprises\">%h</a></p>\n<h1>%h",
              web_t(r, "ui_ent_title"), v->name);
  if (v->merged_into)
    html_printf(b, " <span class=\"badge\">%h</span>", web_t(r, "ui_ent_merged_badge"));
  html_printf(b, "</h1>\n");
  const char *done = req_query(r, "done");
  const char *done_id = NULL;
  if (status == 200 && done)
    done_id = strcmp(done, "created") == 0  ? "ui_ent_done_created"
              : strcmp(done, "saved") == 0  ? "ui_prj_done_saved"
              : strcmp(done, "merged") == 0 ? "ui_ent_done_merged"
                                            : NULL;
  if (done_id)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, done_id));
  if (v->merged_into)
    html_printf(b, "<p class=\"notice\">%h <a href=\"/enterprises/%lld\">%h</a></p>\n",
                web_t(r, "ui_ent_merged_into"), (long long)v->merged_into,
                v->merged_into_name ? v->merged_into_name : "");
  html_printf(b,
              "<dl class=\"facts\">\n<dt>%h</dt><dd>%lld</dd>\n<dt>%h</dt><dd>%h — %h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
              "<dt>%h</dt><dd>%h%h%h</dd>\n<dt>%h</dt><dd>%h</dd>\n",
              web_t(r, "ui_ent_number"), (long long)v->id, web_t(r, "ui_prj_pairing"), v->name_a,
              v->name_b, web_t(r, "ui_prj_side"), v->side ? v->name_b : v->name_a,
              web_t(r, "ui_prj_credit_code"), or_none(r, v->credit_code),
              web_t(r, "ui_ent_region"), or_none(r, v->region_name), web_t(r, "ui_prj_industry"),
              v->industry ? v->industry : "", v->industry ? " " : "", or_none(r, v->industry_name),
              web_t(r, "ui_ent_size"), size_label(r, v->size));
  if (v->contact_visible)
    html_printf(b, "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n",
                web_t(r, "ui_ent_contact_name"), or_none(r, v->contact_name),
                web_t(r, "ui_ent_contact_phone"), or_none(r, v->contact_phone));
  html_printf(b, "<dt>%h</dt><dd>%h · %h</dd>\n</dl>\n", web_t(r, "ui_ent_created_by"),
              or_none(r, v->created_by), web_time(r, v->created_at));
  if (!v->contact_visible)
    html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ent_contact_hint"));
  events_section(r, b, v);
  if (!v->merged_into && enterprise_may_write(&r->ctx, v, false)) {
    html_printf(b, "<section class=\"admin-form\" id=\"edit\">\n<h2>%h</h2>\n",
                web_t(r, "ui_ent_edit"));
    web_form_error(r, b, f->e_top);
    html_printf(b, "<form method=\"post\" action=\"/enterprises/%lld\">\n", (long long)v->id);
    web_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n",
                f->updated_at ? f->updated_at : v->updated_at);
    f->contact_shown = v->contact_visible;
    f->has_contact = v->has_contact;
    form_fields(r, b, f, NULL);
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
                web_t(r, "ui_save"));
  }
  if (!v->merged_into && enterprise_may_write(&r->ctx, v, true))
    merge_section(r, b, v, merge_into, merge_err);
  return web_end(r, p);
}

int web_enterprise_page(struct req *r, struct resp *p) {
  struct enterprise_view v;
  int rc = enterprise_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct ent_form f;
  form_from(&v, &f);
  return enterprise_page(r, p, 200, &v, &f, NULL, NULL);
}

/* POST /enterprises/{id}: 303 back, or the page with the form again (422; 409 when it
 * changed meanwhile or the credit code is taken, the input kept). */
int web_enterprise_edit(struct req *r, struct resp *p) {
  struct enterprise_view v;
  int rc = enterprise_get(&r->ctx, r->ids[0], &v);
  if (rc == SVC_OK && !enterprise_may_write(&r->ctx, &v, false))
    rc = svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL,
                  "the side's coordinators and member units edit enterprises");
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct ent_form f;
  read_form(r, &f);
  struct enterprise_input in;
  if (!to_input(r, &f, &in, !v.contact_visible))
    return enterprise_page(r, p, 422, &v, &f, NULL, NULL);
  rc = enterprise_edit(&r->ctx, v.id, &in);
  if (rc == SVC_OK)
    return web_redirect(r, p,
                        arena_printf(r->arena, "/enterprises/%lld?done=saved", (long long)v.id));
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    f.e_top = "ui_ent_stale";
    f.updated_at = v.updated_at;
    return enterprise_page(r, p, 409, &v, &f, NULL, NULL);
  }
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(&f, field, web_take_code(r, "err_invalid"));
  return enterprise_page(r, p, rc == SVC_CONFLICT ? 409 : 422, &v, &f, NULL, NULL);
}

/* POST /enterprises/{id}/merge: 303 to the enterprise kept, or the page again with the
 * message by the merge form (422; 409 when either changed or was merged meanwhile). */
int web_enterprise_merge(struct req *r, struct resp *p) {
  struct enterprise_view v;
  int rc = enterprise_get(&r->ctx, r->ids[0], &v);
  if (rc == SVC_OK && !enterprise_may_write(&r->ctx, &v, true))
    rc = svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL,
                  "the side's coordinators merge enterprises");
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  const char *into = req_form(r, "into");
  const char *seen = req_form(r, "updated_at");
  long long id = 0;
  struct ent_form f;
  form_from(&v, &f);
  if (!into || !web_parse_int(into, &id) || id < 1)
    return enterprise_page(r, p, 422, &v, &f, into, "err_ent_merge_into");
  rc = enterprise_merge(&r->ctx, v.id, id, seen ? seen : "");
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/enterprises/%lld?done=merged", id));
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    return enterprise_page(r, p, 409, &v, &f, into, "ui_ent_stale");
  }
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  return enterprise_page(r, p, rc == SVC_CONFLICT ? 409 : 422, &v, &f, into,
                         web_take_code(r, "err_invalid"));
}
