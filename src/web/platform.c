/* platform: the pages of 合作平台.
 *   /platforms        a pairing's platforms with what rolls up from their projects (projects
 *                     by stage, enterprises settled, investment), and for a lead office the
 *                     form that records one.
 *   /platforms/{id}   its facts, the units running it, its projects; the edit form for the
 *                     pairing's lead offices.
 * The rules are service/platform.h's; a refusal shows the form again with the message by the
 * field and the input kept; a stale edit answers 409 with the input kept. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/money.h"
#include "ingest/gazetteer.h"
#include "service/platform.h"
#include "service/user.h"
#include "web/html.h"
#include "web/web.h"

static const char *const kinds[] = {"park", "innovation", "trading", "training", "other"};

static const char *kind_label(const char *kind) {
  static const char *const labels[] = {"ui_pf_kind_park", "ui_pf_kind_innovation",
                                       "ui_pf_kind_trading", "ui_pf_kind_training",
                                       "ui_pf_kind_other"};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (kind && strcmp(kind, kinds[i]) == 0)
      return labels[i];
  return "ui_pf_kind_other";
}

struct platform_form {
  const char *name, *kind, *region, *area, *founded, *description, *updated_at;
  const char **units;
  size_t n_units;
  const char *e_name, *e_kind, *e_region, *e_area, *e_founded, *e_units, *e_top;
};

static void form_error(struct platform_form *f, const char *field, const char *code) {
  f->e_top = "ui_form_has_errors";
  if (field && strcmp(field, "name") == 0)
    f->e_name = code;
  else if (field && strcmp(field, "kind") == 0)
    f->e_kind = code;
  else if (field && strcmp(field, "region_code") == 0)
    f->e_region = code;
  else if (field && strcmp(field, "area_ha") == 0)
    f->e_area = code;
  else if (field && strcmp(field, "founded") == 0)
    f->e_founded = code;
  else if (field && strcmp(field, "unit_ids") == 0)
    f->e_units = code;
  else
    f->e_top = code;
}

static void input(struct req *r, struct sb *b, const char *id, const char *label,
                  const char *value, const char *err, bool number) {
  html_printf(b, "<p><label for=\"%h\">%h</label>\n<input id=\"%h\" name=\"%h\" ", id,
              web_t(r, label), id, id);
  if (number)
    html_printf(b, "type=\"number\" min=\"1949\" max=\"2100\"");
  else
    html_printf(b, "type=\"text\" maxlength=\"100\"");
  html_printf(b, " value=\"%h\"", value ? value : "");
  web_describe(b, id, err);
  html_printf(b, ">\n");
  web_field_error(r, b, err, id);
  html_printf(b, "</p>\n");
}

static bool chosen(const struct platform_form *f, int64_t id) {
  for (size_t i = 0; i < f->n_units; i++) {
    long long v;
    if (web_parse_int(f->units[i], &v) && v == id)
      return true;
  }
  return false;
}

/* The fields of the create and edit forms. */
static void form_fields(struct req *r, struct sb *b, const struct platform_form *f,
                        int64_t pairing_id) {
  input(r, b, "name", "ui_pf_name", f->name, f->e_name, false);
  html_printf(b, "<p><label for=\"kind\">%h</label>\n<select id=\"kind\" name=\"kind\"",
              web_t(r, "ui_pf_kind"));
  web_describe(b, "kind", f->e_kind);
  html_printf(b, ">\n");
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    html_printf(b, "<option value=\"%h\"%s>%h</option>\n", kinds[i],
                f->kind && strcmp(f->kind, kinds[i]) == 0 ? " selected" : "",
                web_t(r, kind_label(kinds[i])));
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_kind, "kind");
  html_printf(b, "</p>\n");
  input(r, b, "region", "ui_prj_region", f->region, f->e_region, false);
  input(r, b, "area", "ui_pf_area", f->area, f->e_area, false);
  input(r, b, "founded", "ui_pf_founded", f->founded, f->e_founded, true);
  html_printf(b, "<p><label for=\"description\">%h</label>\n<textarea id=\"description\" "
                 "name=\"description\" rows=\"3\" maxlength=\"%d\">%h</textarea></p>\n",
              web_t(r, "ui_prj_description"), PLATFORM_DESCRIPTION_MAX,
              f->description ? f->description : "");
  struct unit_view *units;
  size_t n = 0;
  if (unit_list(&r->ctx, pairing_id, -1, &units, &n) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  html_printf(b, "<input type=\"hidden\" name=\"units_shown\" value=\"1\">\n"
                 "<p><label for=\"units\">%h</label>\n<select id=\"units\" name=\"unit\" "
                 "multiple size=\"6\"",
              web_t(r, "ui_pf_units"));
  web_describe(b, "units", f->e_units);
  html_printf(b, ">\n");
  for (size_t i = 0; i < n; i++)
    html_printf(b, "<option value=\"%lld\"%s>%h · %h</option>\n", (long long)units[i].id,
                chosen(f, units[i].id) ? " selected" : "",
                units[i].side ? units[i].pairing_b : units[i].pairing_a, units[i].name);
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_units, "units");
  html_printf(b, "</p>\n");
}

static void read_form(struct req *r, struct platform_form *f) {
  memset(f, 0, sizeof *f);
  f->name = req_form(r, "name");
  f->kind = req_form(r, "kind");
  f->region = req_form(r, "region");
  f->area = req_form(r, "area");
  f->founded = req_form(r, "founded");
  f->description = req_form(r, "description");
  f->updated_at = req_form(r, "updated_at");
  size_t cap = 0;
  for (size_t i = 0; i < r->n_form; i++)
    if (strcmp(r->form[i].name, "unit") == 0)
      *(const char **)ARRAY_PUSH(r->arena, f->units, f->n_units, cap) = r->form[i].value;
}

/* The form as a service input; false (with the message in f) when a field cannot be read. */
static bool to_input(struct req *r, struct platform_form *f, struct platform_input *in) {
  memset(in, 0, sizeof *in);
  in->name = f->name;
  in->kind = f->kind;
  in->area_ha = f->area;
  in->description = f->description;
  in->founded = -1;
  in->if_updated_at = f->updated_at ? f->updated_at : "";
  long long v;
  if (f->founded && !*f->founded)
    in->founded = 0;
  else if (f->founded) {
    if (!web_parse_int(f->founded, &v) || v < 1949 || v > 2100) {
      form_error(f, "founded", "err_range");
      return false;
    }
    in->founded = (int)v;
  }
  in->region_code = f->region ? "" : NULL;
  if (f->region && *f->region) {
    const struct gazetteer *g = gazetteer_get();
    const struct region *reg = region_by_code(g, f->region);
    if (!reg)
      reg = region_find(g, f->region, NULL);
    if (!reg) {
      form_error(f, "region_code", "err_region_unknown");
      return false;
    }
    in->region_code = reg->code;
  }
  int64_t *ids = arena_alloc(r->arena, (f->n_units + 1) * sizeof *ids);
  for (size_t i = 0; i < f->n_units; i++) {
    if (!web_parse_int(f->units[i], &v) || v < 1) {
      form_error(f, "unit_ids", "err_unit_unknown");
      return false;
    }
    ids[i] = v;
  }
  in->unit_ids = ids;
  in->n_units = f->n_units;
  in->set_units = req_form(r, "units_shown") != NULL;
  return true;
}

static void rollup_cells(struct req *r, struct sb *b, const struct platform_view *v) {
  html_printf(b,
              "<td class=\"num\" data-label=\"%h\">%lld</td><td class=\"num\" data-label=\"%h\">"
              "%lld</td><td class=\"num\" data-label=\"%h\">%lld</td>"
              "<td class=\"num\" data-label=\"%h\">%h</td><td class=\"num\" data-label=\"%h\">%h"
              "</td>",
              web_t(r, "ui_pf_projects"), (long long)v->projects, web_t(r, "ui_pf_operating"),
              (long long)v->by_stage[STAGE_OPERATING], web_t(r, "ui_pf_enterprises"),
              (long long)v->enterprises, web_t(r, "ui_prj_contracted_wan"),
              money_format_wan_grouped(r->arena, v->contracted), web_t(r, "ui_prj_paid_wan"),
              money_format_wan_grouped(r->arena, v->paid));
}

static int list_page(struct req *r, struct resp *p, int status, const struct platform_form *f) {
  long long pairing = 0;
  const char *q = req_query(r, "pairing");
  if (q && *q && (!web_parse_int(q, &pairing) || pairing < 1))
    return web_bad_query(r, p);
  if (!pairing && r->user->role != ROLE_ADMIN)
    pairing = r->user->pairing_id;
  struct platform_view *v;
  size_t n;
  int rc = platform_list(&r->ctx, pairing, &v, &n);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_pf_title"));
  html_printf(b, "<h1>%h</h1>\n<p class=\"meta\">%h</p>\n", web_t(r, "ui_pf_title"),
              web_t(r, "ui_pf_intro"));
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_pf_none"));
  else {
    html_printf(b,
                "<table class=\"projects\">\n<thead><tr><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                "</tr></thead>\n<tbody>\n",
                web_t(r, "ui_pf_name"), web_t(r, "ui_pf_kind"), web_t(r, "ui_pf_projects"),
                web_t(r, "ui_pf_operating"), web_t(r, "ui_pf_enterprises"),
                web_t(r, "ui_prj_contracted_wan"), web_t(r, "ui_prj_paid_wan"));
    for (size_t i = 0; i < n; i++) {
      html_printf(b,
                  "<tr><th scope=\"row\" data-label=\"%h\"><a href=\"/platforms/%lld\">%h</a>"
                  "</th><td data-label=\"%h\">%h</td>",
                  web_t(r, "ui_pf_name"), (long long)v[i].id, v[i].name, web_t(r, "ui_pf_kind"),
                  web_t(r, kind_label(v[i].kind)));
      rollup_cells(r, b, &v[i]);
      html_printf(b, "</tr>\n");
    }
    html_printf(b, "</tbody>\n</table>\n");
  }
  if (platform_may_create(&r->ctx) && pairing) {
    html_printf(b, "<section class=\"admin-form\">\n<h2>%h</h2>\n", web_t(r, "ui_pf_new"));
    web_form_error(r, b, f->e_top);
    html_printf(b, "<form method=\"post\" action=\"/platforms\">\n");
    web_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"pairing\" value=\"%lld\">\n", pairing);
    form_fields(r, b, f, pairing);
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
                web_t(r, "ui_prj_create"));
  }
  return web_end(r, p);
}

int web_platforms(struct req *r, struct resp *p) {
  struct platform_form f = {.kind = "park"};
  return list_page(r, p, 200, &f);
}

/* POST /platforms: 303 to the new platform, or the list again with the messages (422). */
int web_platform_create(struct req *r, struct resp *p) {
  if (!platform_may_create(&r->ctx))
    return web_service_page(r, p, svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL,
                                           "the lead offices record platforms"));
  struct platform_form f;
  read_form(r, &f);
  struct platform_input in;
  if (!to_input(r, &f, &in))
    return list_page(r, p, 422, &f);
  in.name = f.name ? f.name : "";
  in.kind = f.kind ? f.kind : "";
  in.set_units = true;
  long long pairing;
  const char *pf = req_form(r, "pairing");
  if (r->user->role == ROLE_ADMIN && pf && web_parse_int(pf, &pairing) && pairing > 0)
    in.pairing_id = pairing;
  int64_t id;
  int rc = platform_create(&r->ctx, &in, &id);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/platforms/%lld?done=created", (long long)id));
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(&f, field, web_take_code(r, "err_invalid"));
  return list_page(r, p, 422, &f);
}

static int platform_page(struct req *r, struct resp *p, int status, const struct platform_view *v,
                         const struct platform_form *f) {
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, v->name);
  html_printf(b, "<p class=\"crumbs\"><a href=\"/platforms\">%h</a></p>\n<h1>%h</h1>\n",
              web_t(r, "ui_pf_title"), v->name);
  const char *done = req_query(r, "done");
  if (status == 200 && done && (strcmp(done, "created") == 0 || strcmp(done, "saved") == 0))
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n",
                web_t(r, strcmp(done, "created") == 0 ? "ui_pf_done_created" : "ui_prj_done_saved"));
  html_printf(b,
              "<dl class=\"facts\">\n<dt>%h</dt><dd>%h — %h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n",
              web_t(r, "ui_prj_pairing"), v->name_a, v->name_b, web_t(r, "ui_pf_kind"),
              web_t(r, kind_label(v->kind)), web_t(r, "ui_prj_region"),
              v->region_name ? v->region_name : web_t(r, "ui_prj_none_short"),
              web_t(r, "ui_pf_area"),
              v->area_m2 >= 0 ? platform_area_ha(&r->ctx, v->area_m2) : web_t(r, "ui_prj_none_short"),
              web_t(r, "ui_pf_founded"),
              v->founded ? arena_printf(r->arena, "%d", v->founded) : web_t(r, "ui_prj_none_short"));
  html_printf(b, "<dt>%h</dt><dd>", web_t(r, "ui_pf_units"));
  for (size_t i = 0; i < v->n_units; i++)
    html_printf(b, "%h%h · %h", i ? web_t(r, "ui_prj_list_sep") : "",
                v->units[i].side ? v->name_b : v->name_a, v->units[i].name);
  html_printf(b, "</dd>\n</dl>\n");
  if (v->description)
    html_printf(b, "<p class=\"section-body\">%h</p>\n", v->description);
  html_printf(b,
              "<table class=\"projects\">\n<caption>%h</caption>\n<thead><tr>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
              "<th scope=\"col\" class=\"num\">%h</th></tr></thead>\n<tbody><tr>",
              web_t(r, "ui_pf_rollup"), web_t(r, "ui_pf_projects"), web_t(r, "ui_pf_operating"),
              web_t(r, "ui_pf_enterprises"), web_t(r, "ui_prj_contracted_wan"),
              web_t(r, "ui_prj_paid_wan"));
  rollup_cells(r, b, v);
  html_printf(b, "</tr></tbody>\n</table>\n<p><a href=\"/projects?platform=%lld\">%h</a></p>\n",
              (long long)v->id, web_t(r, "ui_pf_see_projects"));
  if (platform_may_write(&r->ctx, v)) {
    html_printf(b, "<section class=\"admin-form\">\n<h2>%h</h2>\n", web_t(r, "ui_pf_edit"));
    web_form_error(r, b, f->e_top);
    html_printf(b, "<form method=\"post\" action=\"/platforms/%lld\">\n", (long long)v->id);
    web_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n",
                f->updated_at ? f->updated_at : v->updated_at);
    form_fields(r, b, f, v->pairing_id);
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
                web_t(r, "ui_save"));
  }
  return web_end(r, p);
}

static void form_from(struct req *r, const struct platform_view *v, struct platform_form *f) {
  memset(f, 0, sizeof *f);
  f->name = v->name;
  f->kind = v->kind;
  f->region = v->region_name;
  f->area = v->area_m2 >= 0 ? platform_area_ha(&r->ctx, v->area_m2) : NULL;
  f->founded = v->founded ? arena_printf(r->arena, "%d", v->founded) : NULL;
  f->description = v->description;
  f->updated_at = v->updated_at;
  f->units = arena_alloc(r->arena, (v->n_units + 1) * sizeof *f->units);
  for (size_t i = 0; i < v->n_units; i++)
    f->units[i] = arena_printf(r->arena, "%lld", (long long)v->units[i].id);
  f->n_units = v->n_units;
}

int web_platform_page(struct req *r, struct resp *p) {
  struct platform_view v;
  int rc = platform_get(&r->ctx, r->ids[0], &v);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct platform_form f;
  form_from(r, &v, &f);
  return platform_page(r, p, 200, &v, &f);
}

/* POST /platforms/{id}: 303 back, or the page with the form again (422; 409 when it changed
 * meanwhile, the input kept). */
int web_platform_edit(struct req *r, struct resp *p) {
  struct platform_view v;
  int rc = platform_get(&r->ctx, r->ids[0], &v);
  if (rc == SVC_OK && !platform_may_write(&r->ctx, &v))
    rc = svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL, "the lead offices edit platforms");
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct platform_form f;
  read_form(r, &f);
  struct platform_input in;
  if (!to_input(r, &f, &in))
    return platform_page(r, p, 422, &v, &f);
  rc = platform_edit(&r->ctx, v.id, &in);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/platforms/%lld?done=saved", (long long)v.id));
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    f.e_top = "ui_prj_stale";
    f.updated_at = v.updated_at;
    return platform_page(r, p, 409, &v, &f);
  }
  if (rc != SVC_INVALID && rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(&f, field, web_take_code(r, "err_invalid"));
  return platform_page(r, p, 422, &v, &f);
}
