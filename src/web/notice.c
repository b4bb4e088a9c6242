/* notice: the pages of 通知公告, notices that a pairing's lead offices and admins publish.
 *   public   the latest five on the portal (web_notice_latest, called by portal.c), every
 *            published notice in pages (/notices), and each one readable and printable
 *            (/notices/{id}; drafts and withdrawn notices are not found there).
 *   manage   /notices/manage: the notices one writes, in every state, with the form that
 *            creates a draft; /notices/{id}/edit its form, with publish and withdraw.
 * The rules are service/notice.h's. Forms work without JavaScript; a success answers 303, a
 * refusal re-renders the form with the message by the field and every input kept, and an
 * edit made against an older copy answers 409 with the input kept and what is saved now shown
 * above it. Notice texts are shown as typed, in their own script. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "service/notice.h"
#include "service/pairing.h"
#include "web/html.h"
#include "web/web.h"

enum { NOTICE_PORTAL_COUNT = 5 };

static const char *status_label(const char *status) {
  if (strcmp(status, "published") == 0)
    return "ui_ntc_status_published";
  if (strcmp(status, "withdrawn") == 0)
    return "ui_ntc_status_withdrawn";
  return "ui_ntc_status_draft";
}

/* The pairing a notice is for, in words. Arena string. */
static const char *audience(struct req *r, const struct notice_view *v) {
  if (!v->pairing_id)
    return web_t(r, "ui_ntc_for_all");
  return arena_printf(r->arena, "%s — %s", v->name_a, v->name_b);
}

static void note(struct req *r, struct sb *b, const char *id) {
  if (id)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, id));
}

/* The date a notice shows: its publication, or its last change while unpublished. */
static const char *shown_date(struct req *r, const struct notice_view *v) {
  return web_date(r, v->published_at ? v->published_at : v->updated_at);
}

/* An <ul> of notices, each its date and linked title. */
static void notice_list(struct req *r, struct sb *b, const struct notice_view *v, size_t n) {
  html_printf(b, "<ul class=\"notice-list\">\n");
  for (size_t i = 0; i < n; i++)
    html_printf(b,
                "<li><time datetime=\"%h\">%h</time> <a href=\"/notices/%lld\">%h</a></li>\n",
                v[i].published_at, shown_date(r, &v[i]), (long long)v[i].id, v[i].title);
  html_printf(b, "</ul>\n");
}

void web_notice_latest(struct req *r, struct sb *b) {
  struct notice_view *v;
  size_t n;
  int64_t next;
  int rc = notice_list_published(&r->ctx, 0, NOTICE_PORTAL_COUNT, &v, &n, &next);
  web_take_code(r, NULL);
  html_printf(b, "<section class=\"notices\" aria-labelledby=\"notices-heading\">\n"
                 "<h2 id=\"notices-heading\">%h</h2>\n",
              web_t(r, "ui_ntc_title"));
  if (rc != SVC_OK || n == 0)
    html_printf(b, "<p class=\"meta\">%h</p>\n", web_t(r, "ui_ntc_none"));
  else
    notice_list(r, b, v, n);
  html_printf(b, "<p><a href=\"/notices\">%h</a></p>\n</section>\n", web_t(r, "ui_ntc_all"));
}

/* GET /notices: published notices, newest first, in keyset pages. */
int web_notices(struct req *r, struct resp *p) {
  int64_t after = web_page_after(r);
  if (after < 0)
    return web_bad_query(r, p);
  struct notice_view *v;
  size_t n;
  int64_t next;
  int rc = notice_list_published(&r->ctx, after, NOTICE_PAGE_DEFAULT, &v, &n, &next);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  web_begin(r, p, web_t(r, "ui_ntc_title"));
  html_printf(b, "<h1>%h</h1>\n", web_t(r, "ui_ntc_title"));
  if (r->user && notice_may_manage(&r->ctx))
    html_printf(b,
                "<p class=\"plan-actions\"><a class=\"button\" "
                "href=\"/notices/manage\">%h</a></p>\n",
                web_t(r, "ui_ntc_manage"));
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_ntc_none"));
  else
    notice_list(r, b, v, n);
  web_pager(r, b, "/notices", after, next != 0, next);
  return web_end(r, p);
}

/* GET /notices/{id}: a published notice, printable; anything else is not found. */
int web_notice_page(struct req *r, struct resp *p) {
  struct notice_view v;
  int rc = notice_get_published(&r->ctx, r->ids[0], &v);
  if (rc == SVC_NOT_FOUND)
    return web_error(r, p, 404, "ui_not_found_title", "err_not_found");
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  web_begin(r, p, v.title);
  html_printf(b,
              "<p class=\"crumbs\"><a href=\"/notices\">%h</a></p>\n"
              "<article class=\"notice-doc\">\n<h1>%h</h1>\n<dl class=\"facts\">\n"
              "<dt>%h</dt><dd><time datetime=\"%h\">%h</time></dd>\n<dt>%h</dt><dd>%h</dd>\n"
              "</dl>\n",
              web_t(r, "ui_ntc_back"), v.title, web_t(r, "ui_ntc_date"), v.published_at,
              web_date(r, v.published_at), web_t(r, "ui_ntc_field_pairing"), audience(r, &v));
  web_paragraphs(r, b, v.body);
  html_printf(b, "</article>\n");
  return web_end(r, p);
}

/* ==== management ======================================================================== */

struct notice_form {
  const char *pairing, *title, *body, *updated_at;
  const char *e_pairing, *e_title, *e_body, *e_top; /* message ids */
};

static void form_error(struct notice_form *f, const char *field, const char *code) {
  if (field && strcmp(field, "title") == 0)
    f->e_title = code;
  else if (field && strcmp(field, "body") == 0)
    f->e_body = code;
  else if (field && strcmp(field, "pairing_id") == 0)
    f->e_pairing = code;
  else
    f->e_top = code;
  if (!f->e_top)
    f->e_top = "ui_form_has_errors";
}

/* Title and body fields, with their messages. */
static void text_fields(struct req *r, struct sb *b, const struct notice_form *f) {
  html_printf(b,
              "<p><label for=\"title\">%h</label>\n<input id=\"title\" name=\"title\" "
              "type=\"text\" maxlength=\"%d\" required value=\"%h\"",
              web_t(r, "ui_ntc_field_title"), NOTICE_TITLE_MAX, f->title ? f->title : "");
  web_describe(b, "title", f->e_title);
  html_printf(b, ">\n");
  web_field_error(r, b, f->e_title, "title");
  html_printf(b,
              "</p>\n<p><label for=\"body\">%h</label>\n<textarea id=\"body\" name=\"body\" "
              "rows=\"14\" maxlength=\"%d\" required",
              web_t(r, "ui_ntc_field_body"), NOTICE_BODY_MAX);
  web_describe(b, "body", f->e_body);
  html_printf(b, ">%h</textarea>\n", f->body ? f->body : "");
  web_field_error(r, b, f->e_body, "body");
  html_printf(b, "</p>\n");
}

/* An admin's choice of pairing: every pairing, or one province pairing. */
static void pairing_field(struct req *r, struct sb *b, const struct notice_form *f) {
  struct pairing_view *v;
  size_t n = 0;
  if (pairing_tree(&r->ctx, &v, &n) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  const char *chosen = f->pairing ? f->pairing : "0";
  html_printf(b,
              "<p><label for=\"pairing\">%h</label>\n<select id=\"pairing\" name=\"pairing\"",
              web_t(r, "ui_ntc_field_pairing"));
  web_describe(b, "pairing", f->e_pairing);
  html_printf(b, ">\n<option value=\"0\"%s>%h</option>\n",
              strcmp(chosen, "0") == 0 ? " selected" : "", web_t(r, "ui_ntc_for_all"));
  for (size_t i = 0; i < n; i++) {
    const char *id = arena_printf(r->arena, "%lld", (long long)v[i].id);
    html_printf(b, "<option value=\"%h\"%s>%h — %h</option>\n", id,
                strcmp(chosen, id) == 0 ? " selected" : "", v[i].name_a, v[i].name_b);
  }
  html_printf(b, "</select>\n");
  web_field_error(r, b, f->e_pairing, "pairing");
  html_printf(b, "</p>\n");
}

/* A coordinator's notices are for its own pairing: said, not chosen. */
static void own_pairing(struct req *r, struct sb *b) {
  struct pairing_view v;
  if (pairing_get(&r->ctx, r->user->pairing_id, &v) == SVC_OK)
    html_printf(b, "<p class=\"meta\">%h%h%h — %h</p>\n", web_t(r, "ui_ntc_field_pairing"),
                web_t(r, "ui_colon"), v.name_a, v.name_b);
  web_take_code(r, NULL);
}

/* A one-button form: publish or withdraw notice v. */
static void state_button(struct req *r, struct sb *b, const struct notice_view *v) {
  bool published = strcmp(v->status, "published") == 0;
  html_printf(b, "<form method=\"post\" action=\"/notices/%lld/%s\" class=\"inline\">\n",
              (long long)v->id, published ? "withdraw" : "publish");
  web_csrf_field(r, b);
  html_printf(b,
              "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n"
              "<button type=\"submit\">%h</button>\n</form>\n",
              v->updated_at, web_t(r, published ? "ui_ntc_withdraw" : "ui_ntc_publish"));
}

static void managed_table(struct req *r, struct sb *b, const struct notice_view *v, size_t n) {
  html_printf(b,
              "<table class=\"notices-manage\">\n<thead><tr><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th></tr></thead>\n<tbody>\n",
              web_t(r, "ui_ntc_field_title"), web_t(r, "ui_ntc_field_pairing"),
              web_t(r, "ui_ntc_state"), web_t(r, "ui_ntc_date"), web_t(r, "ui_ntc_actions"));
  for (size_t i = 0; i < n; i++) {
    const struct notice_view *k = &v[i];
    html_printf(b, "<tr><th scope=\"row\">");
    if (strcmp(k->status, "published") == 0)
      html_printf(b, "<a href=\"/notices/%lld\">%h</a>", (long long)k->id, k->title);
    else
      html_printf(b, "%h", k->title);
    html_printf(b,
                "</th><td>%h</td><td>%h</td><td>%h</td><td><a href=\"/notices/%lld/edit\">%h"
                "</a>\n",
                audience(r, k), web_t(r, status_label(k->status)), shown_date(r, k),
                (long long)k->id, web_t(r, "ui_ntc_edit"));
    state_button(r, b, k);
    html_printf(b, "</td></tr>\n");
  }
  html_printf(b, "</tbody>\n</table>\n");
}

static const char *done_note(struct req *r) {
  const char *done = req_query(r, "done");
  if (!done)
    return NULL;
  if (strcmp(done, "created") == 0)
    return "ui_ntc_done_created";
  if (strcmp(done, "saved") == 0)
    return "ui_ntc_done_saved";
  if (strcmp(done, "published") == 0)
    return "ui_ntc_done_published";
  if (strcmp(done, "withdrawn") == 0)
    return "ui_ntc_done_withdrawn";
  return NULL;
}

/* The management page: the notices one writes, and the create form f. */
static int manage_page(struct req *r, struct resp *p, int status, const struct notice_form *f) {
  int64_t after = web_page_after(r);
  if (after < 0)
    return web_bad_query(r, p);
  struct notice_view *v;
  size_t n;
  int64_t next;
  int rc = notice_list_managed(&r->ctx, after, NOTICE_PAGE_DEFAULT, &v, &n, &next);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_ntc_manage"));
  html_printf(b, "<p class=\"crumbs\"><a href=\"/notices\">%h</a></p>\n<h1>%h</h1>\n",
              web_t(r, "ui_ntc_title"), web_t(r, "ui_ntc_manage"));
  note(r, b, status == 200 ? done_note(r) : NULL);
  if (n == 0)
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_ntc_none_managed"));
  else
    managed_table(r, b, v, n);
  web_pager(r, b, "/notices/manage", after, next != 0, next);
  html_printf(b, "<section class=\"admin-form\">\n<h2>%h</h2>\n", web_t(r, "ui_ntc_new"));
  web_form_error(r, b, f->e_top);
  html_printf(b, "<form method=\"post\" action=\"/notices\">\n");
  web_csrf_field(r, b);
  if (r->user->role == ROLE_ADMIN)
    pairing_field(r, b, f);
  else
    own_pairing(r, b);
  text_fields(r, b, f);
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_ntc_create"));
  return web_end(r, p);
}

int web_notices_manage(struct req *r, struct resp *p) {
  struct notice_form f = {0};
  return manage_page(r, p, 200, &f);
}

/* POST /notices (pairing for an admin, title, body): 303 to the management page, or it again
 * with the messages and the input kept. */
int web_notice_create(struct req *r, struct resp *p) {
  if (!notice_may_manage(&r->ctx))
    return web_service_page(r, p, svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL,
                                           "only coordinators and admins write notices"));
  struct notice_form f = {.pairing = req_form(r, "pairing"),
                          .title = req_form(r, "title"),
                          .body = req_form(r, "body")};
  struct notice_input in = {.title = f.title ? f.title : "", .body = f.body ? f.body : ""};
  if (r->user->role == ROLE_ADMIN && f.pairing && *f.pairing) {
    long long v;
    if (!web_parse_int(f.pairing, &v) || v < 0) {
      form_error(&f, "pairing_id", "err_invalid");
      return manage_page(r, p, 422, &f);
    }
    in.pairing_id = v;
  }
  int64_t id = 0;
  int rc = notice_create(&r->ctx, &in, &id);
  if (rc == SVC_OK)
    return web_redirect(r, p, "/notices/manage?done=created");
  if (rc != SVC_INVALID)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(&f, field, web_take_code(r, "err_invalid"));
  return manage_page(r, p, 422, &f);
}

/* The edit page of notice v with form f; with status 409 what is saved now shows above. */
static int edit_page(struct req *r, struct resp *p, int status, const struct notice_view *v,
                     const struct notice_form *f, const char *note_id) {
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_ntc_edit_title"));
  html_printf(b, "<p class=\"crumbs\"><a href=\"/notices/manage\">%h</a></p>\n<h1>%h</h1>\n",
              web_t(r, "ui_ntc_manage"), web_t(r, "ui_ntc_edit_title"));
  note(r, b, note_id);
  html_printf(b,
              "<dl class=\"facts\">\n<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
              "<dt>%h</dt><dd>%h</dd>\n</dl>\n",
              web_t(r, "ui_ntc_field_pairing"), audience(r, v), web_t(r, "ui_ntc_state"),
              web_t(r, status_label(v->status)), web_t(r, "ui_ntc_updated"),
              web_date(r, v->updated_at));
  if (strcmp(v->status, "published") == 0)
    html_printf(b, "<p><a href=\"/notices/%lld\">%h</a></p>\n", (long long)v->id,
                web_t(r, "ui_ntc_view"));
  html_printf(b, "<section class=\"admin-form\">\n");
  web_form_error(r, b, f->e_top);
  if (status == 409)
    html_printf(b,
                "<div class=\"saved-now\">\n<p class=\"meta\">%h</p>\n"
                "<p><strong>%h</strong></p>\n<p class=\"section-body\">%h</p>\n</div>\n",
                web_t(r, "ui_ntc_saved_now"), v->title, v->body);
  html_printf(b, "<form method=\"post\" action=\"/notices/%lld/edit\">\n", (long long)v->id);
  web_csrf_field(r, b);
  html_printf(b, "<input type=\"hidden\" name=\"updated_at\" value=\"%h\">\n", v->updated_at);
  text_fields(r, b, f);
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n", web_t(r, "ui_save"));
  state_button(r, b, v);
  html_printf(b, "</section>\n");
  return web_end(r, p);
}

/* The notice of the route for writing: its view, or the error page already written (the
 * status returned through *status). */
static bool writable(struct req *r, struct resp *p, struct notice_view *v, int *status) {
  int rc = notice_get(&r->ctx, r->ids[0], v);
  if (rc == SVC_OK && !notice_may_write(&r->ctx, v))
    rc = svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL, "another pairing's notice");
  if (rc == SVC_OK && !notice_may_manage(&r->ctx))
    rc = svc_fail(&r->ctx, SVC_FORBIDDEN, "err_forbidden", NULL, "coordinators only");
  if (rc != SVC_OK)
    *status = web_service_page(r, p, rc);
  return rc == SVC_OK;
}

int web_notice_edit_form(struct req *r, struct resp *p) {
  struct notice_view v;
  int st;
  if (!writable(r, p, &v, &st))
    return st;
  struct notice_form f = {.title = v.title, .body = v.body};
  return edit_page(r, p, 200, &v, &f, done_note(r));
}

/* POST /notices/{id}/edit (title, body, updated_at as loaded): 303 back to the form, or the
 * form again: 422 with the message by the field, 409 when it changed meanwhile. */
int web_notice_edit(struct req *r, struct resp *p) {
  struct notice_view v;
  int st;
  if (!writable(r, p, &v, &st))
    return st;
  struct notice_form f = {.title = req_form(r, "title"),
                          .body = req_form(r, "body"),
                          .updated_at = req_form(r, "updated_at")};
  struct notice_input in = {.title = f.title ? f.title : "",
                            .body = f.body ? f.body : "",
                            .if_updated_at = f.updated_at ? f.updated_at : ""};
  int rc = notice_edit(&r->ctx, v.id, &in);
  if (rc == SVC_OK)
    return web_redirect(r, p, arena_printf(r->arena, "/notices/%lld/edit?done=saved",
                                           (long long)v.id));
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    f.e_top = "ui_ntc_stale";
    return edit_page(r, p, 409, &v, &f, NULL);
  }
  if (rc != SVC_INVALID)
    return web_service_page(r, p, rc);
  const char *field = r->ctx.field;
  form_error(&f, field, web_take_code(r, "err_invalid"));
  return edit_page(r, p, 422, &v, &f, NULL);
}

/* Publish or withdraw (updated_at as loaded): 303 to the management page; a stale form
 * answers the edit page with 409, a state that does not allow it 409 with the message. */
static int change_state(struct req *r, struct resp *p, bool publish) {
  struct notice_view v;
  int st;
  if (!writable(r, p, &v, &st))
    return st;
  const char *seen = req_form(r, "updated_at");
  int rc = publish ? notice_publish(&r->ctx, v.id, seen ? seen : "")
                   : notice_withdraw(&r->ctx, v.id, seen ? seen : "");
  if (rc == SVC_OK)
    return web_redirect(r, p, publish ? "/notices/manage?done=published"
                                      : "/notices/manage?done=withdrawn");
  if (rc == SVC_STALE) {
    web_take_code(r, NULL);
    struct notice_form f = {.title = v.title, .body = v.body, .e_top = "ui_ntc_stale"};
    return edit_page(r, p, 409, &v, &f, NULL);
  }
  return web_service_page(r, p, rc);
}

int web_notice_publish(struct req *r, struct resp *p) {
  return change_state(r, p, true);
}

int web_notice_withdraw(struct req *r, struct resp *p) {
  return change_state(r, p, false);
}
