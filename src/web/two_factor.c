/* two_factor: the own-account pages of two-factor sign-in (service/two_factor.h). Setting it
 * up is two forms: "set it up" makes a new secret and shows it as a QR code (drawn here as
 * SVG by core/qr.h, no image leaves the server) and as base32 text, with a field for the
 * first code; the right code switches it on and shows the recovery codes, once. Switching it
 * off takes the password and a code. Under --mlps these pages and sign-out are all that an
 * admin, coordinator or leader without a second factor can reach (http/router.c). */
#include <string.h>

#include "core/qr.h"
#include "core/sb.h"
#include "service/auth.h"
#include "service/two_factor.h"
#include "web/html.h"
#include "web/web.h"

/* The page: when it is off, the start button, or (e non-NULL) the secret to confirm; when
 * on, the form that switches it off. error_id: the message of the form that failed. */
static int page(struct req *r, struct resp *p, int status, const char *notice_id,
                const char *error_id, const struct two_factor_enrolment *e) {
  int on = two_factor_enabled(&r->ctx, r->user->id);
  if (on < 0)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_two_factor_title"));
  html_printf(b, "<h1>%h</h1>\n", web_t(r, "ui_two_factor_title"));
  if (notice_id)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, notice_id));
  if (!on && two_factor_mandatory(r->user))
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n",
                web_t(r, "ui_two_factor_mandatory"));
  html_printf(b, "<p>%h</p>\n<section>\n", web_t(r, "ui_two_factor_intro"));
  web_form_error(r, b, error_id);
  if (on) {
    int left = 0;
    if (two_factor_recovery_left(&r->ctx, &left) != SVC_OK)
      left = 0;
    html_printf(b, "<p id=\"two-factor-state\" data-on=\"1\">%h</p>\n<p class=\"meta\">%h</p>\n",
                web_t(r, "ui_two_factor_is_on"),
                arena_printf(r->arena, web_t(r, "ui_two_factor_left"), left));
    html_printf(b,
                "<h2 id=\"two-factor-off\">%h</h2>\n<p class=\"meta\">%h</p>\n"
                "<form method=\"post\" action=\"/account/two-factor/disable\" "
                "aria-labelledby=\"two-factor-off\">\n",
                web_t(r, "ui_two_factor_disable"), web_t(r, "ui_two_factor_disable_text"));
    web_csrf_field(r, b);
    html_printf(b,
                "<p><label for=\"password\">%h</label>\n"
                "<input id=\"password\" name=\"password\" type=\"password\" "
                "autocomplete=\"current-password\" required></p>\n"
                "<p><label for=\"code\">%h</label>\n"
                "<input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" "
                "autocomplete=\"one-time-code\" required maxlength=\"32\"></p>\n"
                "<p><button type=\"submit\">%h</button></p>\n</form>\n",
                web_t(r, "ui_password"), web_t(r, "ui_two_factor_code"),
                web_t(r, "ui_two_factor_disable"));
  } else if (e) {
    html_printf(b, "<p>%h</p>\n<div class=\"qr\" role=\"img\" aria-label=\"%h\">",
                web_t(r, "ui_two_factor_scan"), web_t(r, "ui_two_factor_qr"));
    if (!qr_svg(b, e->uri))
      return web_error(r, p, 500, "ui_error_title", "err_internal");
    html_printf(b,
                "</div>\n<dl class=\"facts\">\n<dt>%h</dt><dd><code id=\"two-factor-secret\">"
                "%h</code></dd>\n</dl>\n"
                "<form method=\"post\" action=\"/account/two-factor/confirm\">\n",
                web_t(r, "ui_two_factor_key"), e->secret);
    web_csrf_field(r, b);
    html_printf(b,
                "<p><label for=\"code\">%h</label>\n"
                "<input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" "
                "autocomplete=\"one-time-code\" required maxlength=\"32\" autofocus></p>\n"
                "<p><button type=\"submit\">%h</button></p>\n</form>\n",
                web_t(r, "ui_two_factor_code"), web_t(r, "ui_two_factor_confirm"));
  } else {
    html_printf(b, "<p id=\"two-factor-state\" data-on=\"0\">%h</p>\n"
                   "<form method=\"post\" action=\"/account/two-factor/start\">\n",
                web_t(r, "ui_two_factor_is_off"));
    web_csrf_field(r, b);
    html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n",
                web_t(r, "ui_two_factor_start"));
  }
  html_printf(b, "</section>\n<form method=\"post\" action=\"/logout\">\n");
  web_csrf_field(r, b);
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n", web_t(r, "ui_logout"));
  return web_end(r, p);
}

/* GET /account/two-factor */
int web_two_factor(struct req *r, struct resp *p) {
  const char *done = req_query(r, "done");
  return page(r, p, 200, done && strcmp(done, "off") == 0 ? "ui_two_factor_disabled" : NULL,
              NULL, NULL);
}

/* POST /account/two-factor/start: a new secret to confirm (one waiting is replaced). */
int web_two_factor_start(struct req *r, struct resp *p) {
  struct two_factor_enrolment e;
  int rc = two_factor_begin(&r->ctx, &e);
  if (rc == SVC_CONFLICT)
    return page(r, p, 409, NULL, web_take_code(r, "err_conflict"), NULL);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return page(r, p, 200, NULL, NULL, &e);
}

/* POST /account/two-factor/confirm: the first code; on success the recovery codes, once. */
int web_two_factor_confirm(struct req *r, struct resp *p) {
  const char *codes[TWO_FACTOR_RECOVERY];
  int rc = two_factor_confirm(&r->ctx, req_form(r, "code"), codes,
                              r->session ? r->session->session_id : 0);
  if (rc == SVC_INVALID) {
    const char *err = web_take_code(r, "err_two_factor_wrong");
    struct two_factor_enrolment e;
    if (two_factor_waiting(&r->ctx, &e) != SVC_OK)
      return page(r, p, 422, NULL, web_take_code(r, err), NULL);
    return page(r, p, 422, NULL, err, &e);
  }
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p, web_t(r, "ui_two_factor_recovery_title"));
  html_printf(b,
              "<h1>%h</h1>\n<p class=\"notice\" role=\"status\">%h</p>\n<h2>%h</h2>\n<p>%h</p>\n"
              "<ol class=\"recovery-codes\">\n",
              web_t(r, "ui_two_factor_title"), web_t(r, "ui_two_factor_is_on"),
              web_t(r, "ui_two_factor_recovery_title"), web_t(r, "ui_two_factor_recovery_text"));
  for (int i = 0; i < TWO_FACTOR_RECOVERY; i++)
    html_printf(b, "<li><code class=\"recovery-code\">%h</code></li>\n", codes[i]);
  html_printf(b, "</ol>\n<p><a href=\"/\">%h</a></p>\n", web_t(r, "ui_two_factor_continue"));
  return web_end(r, p);
}

/* POST /account/two-factor/disable: the password and a code. */
int web_two_factor_disable(struct req *r, struct resp *p) {
  int rc = two_factor_disable(&r->ctx, req_form(r, "password"), req_form(r, "code"),
                              r->session ? r->session->session_id : 0);
  if (rc == SVC_INVALID || rc == SVC_CONFLICT)
    return page(r, p, rc == SVC_INVALID ? 422 : 409, NULL, web_take_code(r, "err_invalid"),
                NULL);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, "/account/two-factor?done=off");
}
