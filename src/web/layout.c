/* layout: the frame every page shares (head, header with the language switcher
 * and the sign-in link or the signed-in user with a sign-out form, main,
 * footer), error pages, and the stylesheet compiled into the binary and served
 * at a fingerprinted URL so browsers may keep it for a year. */
#include <pthread.h>
#include <string.h>

#include "core/embedded.h"
#include "core/hash.h"
#include "core/i18n.h"
#include "service/auth.h"
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

/* The sections of the work, by the least role that sees each link (the pages
 * themselves still check): a clerk's work, the dashboard, the work plans, the
 * review queue, units and accounts, the audit log. A leader carries out no
 * items and reviews none, so those two are not offered to it. */
static const struct {
  const char *path, *label;
  enum role least;
  bool for_leader;
} sections[] = {
    {"/my", "ui_nav_my", ROLE_MEMBER, false},
    {"/dashboard", "ui_nav_dashboard", ROLE_MEMBER, true},
    {"/work-plans", "ui_nav_work_plans", ROLE_MEMBER, true},
    {"/assign", "ui_nav_assign", ROLE_COORDINATOR, false},
    {"/projects", "ui_nav_projects", ROLE_MEMBER, true},
    {"/platforms", "ui_nav_platforms", ROLE_MEMBER, true},
    /* events and their funnel (issue #12) */
    {"/events", "ui_nav_events", ROLE_MEMBER, true},
    {"/funnel", "ui_nav_funnel", ROLE_MEMBER, true},
    {"/exchanges", "ui_nav_exchanges", ROLE_MEMBER, true},
    {"/enterprises", "ui_nav_enterprises", ROLE_MEMBER, true},
    {"/funds", "ui_nav_funds", ROLE_COORDINATOR, true},
    {"/reviews", "ui_nav_reviews", ROLE_COORDINATOR, false},
    {"/reporting", "ui_nav_reporting", ROLE_COORDINATOR, true},
    {"/circulars", "ui_cc_title", ROLE_MEMBER, true},
    {"/evaluations", "ui_ev_title", ROLE_MEMBER, true},
    {"/units", "ui_nav_units", ROLE_COORDINATOR, true},
    {"/users", "ui_nav_users", ROLE_COORDINATOR, false},
    {"/notices/manage", "ui_nav_notices", ROLE_COORDINATOR, false},
    {"/plans/import", "ui_nav_plan_import", ROLE_ADMIN, false},
    {"/audit", "ui_nav_audit", ROLE_LEADER, true},
};

/* True when the request's path is the section's page or below it (the
 * dashboard lives at /pairings/{id}/dashboard). */
static bool in_section(const struct req *r, const char *path) {
  size_t n = strlen(path);
  if (strcmp(path, "/dashboard") == 0)
    return strncmp(r->path, "/pairings/", 10) == 0 ||
           strcmp(r->path, path) == 0;
  if (strcmp(path, "/assign") == 0) /* the assignment lives at /plans/{id}/assign */
    return strcmp(r->path, path) == 0 ||
           (strncmp(r->path, "/plans/", 7) == 0 && strlen(r->path) > 7 &&
            strcmp(r->path + strlen(r->path) - 7, "/assign") == 0);
  return strncmp(r->path, path, n) == 0 &&
         (r->path[n] == '\0' || r->path[n] == '/');
}

/* 三员分立 under --mlps: the security administrator's one section is the accounts, the
 * audit administrator's the audit log, which is no other administrator's (perm.h). */
static bool admin_kind_sees(const struct user *u, const char *path) {
  if (u->role != ROLE_ADMIN || !auth_policy.mlps)
    return true;
  bool audit = strcmp(path, "/audit") == 0;
  switch (u->admin_kind) {
  case ADMIN_SYSTEM:
    return !audit;
  case ADMIN_SECURITY:
    return strcmp(path, "/users") == 0;
  case ADMIN_AUDIT:
    return audit;
  default:
    return false;
  }
}

/* The second bar of a signed-in user's header: its sections and a search box
 * (a GET form, so it works without JavaScript). */
static void work_nav(struct req *r, struct sb *b) {
  const struct user *u = r->user;
  html_printf(b,
              "<div class=\"bar work-bar\">\n<nav class=\"work-nav\" "
              "aria-label=\"%h\"><ul>\n",
              web_t(r, "ui_nav_work"));
  for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
    if (u->role < sections[i].least ||
        (u->role == ROLE_LEADER && !sections[i].for_leader) ||
        !admin_kind_sees(u, sections[i].path))
      continue;
    html_printf(b, "<li><a href=\"%h\"%s>%h</a></li>\n", sections[i].path,
                in_section(r, sections[i].path) ? " aria-current=\"page\"" : "",
                web_t(r, sections[i].label));
  }
  if (!admin_kind_sees(u, "/search")) { /* not the security or audit administrator's */
    html_printf(b, "</ul></nav>\n</div>\n");
    return;
  }
  const char *q = strcmp(r->path, "/search") == 0 ? req_query(r, "q") : NULL;
  html_printf(b,
              "</ul></nav>\n<form class=\"nav-search\" method=\"get\" "
              "action=\"/search\" role=\"search\">"
              "<label for=\"nav-q\" class=\"visually-hidden\">%h</label>"
              "<input id=\"nav-q\" name=\"q\" type=\"search\" maxlength=\"100\" "
              "value=\"%h\" placeholder=\"%h\">"
              "<button type=\"submit\">%h</button></form>\n</div>\n",
              web_t(r, "ui_srch_label"), q ? q : "",
              web_t(r, "ui_nav_search_hint"), web_t(r, "ui_srch_button"));
}

/* This page in another language: its query kept (a search, a dashboard's year,
 * the audit filters), lang replaced. Arena string, URL-encoded, not escaped. */
static const char *lang_href(struct req *r, const char *lang) {
  struct sb q = SB_INIT;
  for (size_t i = 0; i < r->n_query; i++)
    if (strcmp(r->query[i].name, "lang") != 0)
      web_query_add(&q, r->query[i].name, r->query[i].value);
  web_query_add(&q, "lang", lang);
  const char *href = arena_strdup(r->arena, sb_str(&q));
  sb_free(&q);
  return href;
}

const char *web_user_display_name(const struct user *u) {
  return u->name && *u->name ? u->name : u->login;
}

void web_begin(struct req *r, struct resp *p, const char *title) {
  struct sb *b = &p->body;
  r->n_problems = 0; /* the messages of a page begun and discarded are not this one's */
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
      "initial-scale=1\">\n<title>",
      i18n_lang_name(r->lang));
  p->title_at = b->len;
  html_printf(b,
              "%h · %h</title>\n<link rel=\"stylesheet\" "
              "href=\"%h\">\n</head>\n<body>\n",
              title, product, web_css_url());
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
        "<li><a href=\"%h\" lang=\"%h\" hreflang=\"%h\"%s>%h</a></li>\n",
        lang_href(r, i18n_lang_name(langs[i].lang)), i18n_lang_name(langs[i].lang),
        i18n_lang_name(langs[i].lang),
        langs[i].lang == r->lang ? " aria-current=\"true\"" : "",
        web_t(r, langs[i].label));
  html_printf(b, "</ul>\n");
  if (r->user) {
    /* Signed in: the name leads to the account page; signing out is a form
     * (a POST with the session's CSRF token), so it works without JavaScript
     * and no link can sign anyone out. */
    html_printf(b, "<a class=\"account\" href=\"/account\">");
    p->name_at = b->len; /* where the name is, for the shared page cache (http/cache.c) */
    html_printf(b, "%h", web_user_display_name(r->user));
    p->name_len = b->len - p->name_at;
    html_printf(b, "</a>\n");
    web_inbox_link(r, p, b);
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
  html_printf(b, "</nav>\n</div>\n");
  if (r->user)
    work_nav(r, b);
  html_printf(b, "</header>\n<main id=\"main\">\n");
  p->main_at = b->len;
}

/* The page's text from at up to the first of end, tags dropped and spaces and a required
 * field's * trimmed (already escaped: it is the page's own output). */
static void plain_text(struct sb *out, const char *at, const char *end) {
  size_t start = out->len;
  bool in_tag = false;
  for (const char *c = at; c < end; c++) {
    if (*c == '<')
      in_tag = true;
    else if (*c == '>')
      in_tag = false;
    else if (!in_tag && *c != '\n')
      sb_appendc(out, *c);
  }
  while (out->len > start && strchr(" *", out->buf[out->len - 1]))
    out->buf[--out->len] = '\0';
}

/* A problem's field named as the page names it: its <label for=…>, else the <legend> of
 * the fieldset its message sits in; false when the page names it neither way. */
static bool field_name(struct req *r, const char *page, const char *field, struct sb *out) {
  const char *f = strstr(page, arena_printf(r->arena, "for=\"%s\"", field)), *end;
  if (f && (f = strchr(f, '>')) && (end = strstr(f, "</label>"))) {
    plain_text(out, f + 1, end);
    return out->len > 0;
  }
  const char *msg = strstr(page, arena_printf(r->arena, "id=\"%s-error\"", field));
  const char *legend = NULL;
  for (const char *l = page; msg && (l = strstr(l, "<legend")) && l < msg; l++)
    legend = l;
  if (legend && (legend = strchr(legend, '>')) && (end = strstr(legend, "</legend>"))) {
    plain_text(out, legend + 1, end);
    return out->len > 0;
  }
  return false;
}

/* A refused form (4xx with messages) opens at a summary of every message, each a link to
 * its field, focused (autofocus on a tabindex=-1 block: no script), and the title says
 * 错误： first, so a screen reader and a reload both start at what is wrong. */
static void error_summary(struct req *r, struct resp *p) {
  if (!r->n_problems || p->status < 400 || !p->main_at || p->main_at > p->body.len)
    return;
  const char *page = sb_str(&p->body);
  struct sb s = SB_INIT;
  html_printf(&s,
              "<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" "
              "tabindex=\"-1\" autofocus>\n<h2>%h</h2>\n<ul>\n",
              web_t(r, "ui_error_summary"));
  for (size_t i = 0; i < r->n_problems; i++) {
    const struct web_problem *pr = &r->problems[i];
    bool seen = strcmp(pr->message, "ui_form_has_errors") == 0; /* the heading says it */
    for (size_t k = 0; k < i && !seen; k++)
      seen = strcmp(r->problems[k].message, pr->message) == 0 &&
             (r->problems[k].field == pr->field ||
              (r->problems[k].field && pr->field && strcmp(r->problems[k].field, pr->field) == 0));
    if (seen)
      continue;
    if (!pr->field) {
      html_printf(&s, "<li>%h</li>\n", web_t(r, pr->message));
      continue;
    }
    /* to the input when it has that id, else to its message (a group of radios) */
    bool has_id = strstr(page, arena_printf(r->arena, "id=\"%s\"", pr->field)) != NULL;
    html_printf(&s, "<li><a href=\"#%h%h\">", pr->field, has_id ? "" : "-error");
    struct sb name = SB_INIT;
    if (field_name(r, page, pr->field, &name)) {
      sb_appendn(&s, name.buf, name.len); /* raw: the page's own escaped text, tags dropped */
      html_printf(&s, "%h", web_t(r, "ui_colon"));
    }
    sb_free(&name);
    html_printf(&s, "%h</a></li>\n", web_t(r, pr->message));
  }
  html_printf(&s, "</ul>\n</div>\n");
  sb_insert(&p->body, p->main_at, s.buf, s.len);
  sb_free(&s);
  struct sb prefix = SB_INIT;
  html_printf(&prefix, "%h", web_t(r, "ui_error_prefix"));
  sb_insert(&p->body, p->title_at, prefix.buf, prefix.len);
  if (p->name_len && p->name_at >= p->title_at)
    p->name_at += prefix.len;
  if (p->unread_hole && p->unread_at >= p->title_at)
    p->unread_at += prefix.len;
  sb_free(&prefix);
}

int web_end(struct req *r, struct resp *p) {
  error_summary(r, p);
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
