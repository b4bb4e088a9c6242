/* layout: the frame every page shares (head, header with the language switcher
 * and the sign-in link or the signed-in user with a sign-out form, main,
 * footer), error pages, and the stylesheet compiled into the binary and served
 * at a fingerprinted URL so browsers may keep it for a year. */
#include <pthread.h>
#include <string.h>

#include "core/embedded.h"
#include "core/hash.h"
#include "core/i18n.h"
#include "web/html.h"
#include "web/web.h"

const char *web_t(const struct req *r, const char *id) {
  return i18n(r->lang, id);
}

/* ---- the stylesheet
 * ---------------------------------------------------------------------- */

static pthread_once_t css_once = PTHREAD_ONCE_INIT;
static const struct embedded_file *css;
static char css_url[64]; /* /assets/app.0123456789ab.css */

static void css_init(void) {
  css = embedded_find("app.css");
  char hex[SHA256_HEX_LEN + 1];
  sha256_hex(css ? (const void *)css->data : "", css ? css->len : 0, hex);
  memcpy(css_url, "/assets/app.", 12);
  memcpy(css_url + 12, hex, 12);
  memcpy(css_url + 24, ".css", 5);
}

const char *web_css_url(void) {
  pthread_once(&css_once, css_init);
  return css_url;
}

int web_asset(struct req *r, struct resp *p) {
  if (strcmp(r->path, web_css_url()) != 0 || !css)
    return web_error(r, p, 404, "ui_not_found_title", "err_not_found");
  p->content_type = "text/css; charset=utf-8";
  resp_header(r, p, "Cache-Control", "public, max-age=31536000, immutable");
  sb_appendn(&p->body, (const char *)css->data, css->len);
  return p->status = 200;
}

/* ---- the frame
 * ---------------------------------------------------------------------------
 */

static const struct {
  enum lang lang;
  const char *label; /* message id of the language's own name */
} langs[] = {
    {LANG_HANS, "ui_lang_zh_hans"},
    {LANG_HANT, "ui_lang_zh_hant"},
    {LANG_EN, "ui_lang_en"},
};

void web_begin(struct req *r, struct resp *p, const char *title) {
  struct sb *b = &p->body;
  p->content_type = "text/html; charset=utf-8";
  /* A language picked with ?lang= is remembered for a year (read back by
   * req_lang_choice). Only our own three names reach the header. */
  int chosen = i18n_tag(req_query(r, "lang"));
  if (chosen >= 0)
    resp_header(r, p, "Set-Cookie",
                arena_printf(r->arena,
                             "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax",
                             i18n_lang_name((enum lang)chosen)));

  const char *product = web_t(r, "ui_product");
  html_printf(
      b,
      "<!doctype html>\n<html lang=\"%h\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n"
      "<title>%h · %h</title>\n<link rel=\"stylesheet\" "
      "href=\"%h\">\n</head>\n<body>\n",
      i18n_lang_name(r->lang), title, product, web_css_url());
  html_printf(b, "<a class=\"skip\" href=\"#main\">%h</a>\n",
              web_t(r, "ui_skip_to_content"));
  html_printf(b,
              "<header class=\"site-header\"><div class=\"bar\">\n"
              "<a class=\"brand\" href=\"/\">%h</a>\n"
              "<nav class=\"site-nav\" aria-label=\"%h\">\n"
              "<ul class=\"lang-switch\" aria-label=\"%h\">\n",
              product, web_t(r, "ui_nav_label"), web_t(r, "ui_lang_label"));
  for (size_t i = 0; i < sizeof langs / sizeof *langs; i++)
    html_printf(
        b,
        "<li><a href=\"?lang=%u\" lang=\"%h\" hreflang=\"%h\"%s>%h</a></li>\n",
        i18n_lang_name(langs[i].lang), i18n_lang_name(langs[i].lang),
        i18n_lang_name(langs[i].lang),
        langs[i].lang == r->lang ? " aria-current=\"true\"" : "",
        web_t(r, langs[i].label));
  html_printf(b, "</ul>\n");
  if (r->user) {
    /* Signed in: the name leads to the account page; signing out is a form
     * (a POST with the session's CSRF token), so it works without JavaScript
     * and no link can sign anyone out. */
    html_printf(b, "<a class=\"account\" href=\"/account\">%h</a>\n",
                r->user->name && *r->user->name ? r->user->name
                                                : r->user->login);
    if (r->csrf_token)
      html_printf(b,
                  "<form class=\"logout\" method=\"post\" action=\"/logout\">"
                  "<input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                  "<button type=\"submit\">%h</button></form>\n",
                  r->csrf_token, web_t(r, "ui_logout"));
  } else {
    html_printf(b, "<a class=\"login\" href=\"/login\">%h</a>\n",
                web_t(r, "ui_login"));
  }
  html_printf(b, "</nav>\n</div></header>\n<main id=\"main\">\n");
}

int web_end(struct req *r, struct resp *p) {
  html_printf(&p->body,
              "</main>\n<footer class=\"site-footer\"><div "
              "class=\"bar\">%h</div></footer>\n"
              "</body>\n</html>\n",
              web_t(r, "ui_footer"));
  return p->status;
}

int web_error(struct req *r, struct resp *p, int status, const char *title_id,
              const char *text_id) {
  sb_reset(&p->body);
  p->status = status;
  web_begin(r, p, web_t(r, title_id));
  html_printf(&p->body,
              "<div class=\"error-page\">\n<h1>%h</h1>\n<p>%h</p>\n"
              "<p><a href=\"/\">%h</a></p>\n</div>\n",
              web_t(r, title_id), web_t(r, text_id), web_t(r, "ui_back_home"));
  return web_end(r, p);
}
