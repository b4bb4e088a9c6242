/* account: signing in and out with plain HTML forms, and the own-account page
 * (name, unit, role, language; changing the password and the language; the
 * live sessions and signing out everywhere). Everything works without
 * JavaScript: each action is a form POST answered by 303 (success) or by the
 * page again with the error in the user's language. Every form of a signed-in
 * user carries the session's csrf_token (checked by the router). */
#include <stdbool.h>
#include <string.h>

#include "service/auth.h"
#include "service/calendar_feed.h"
#include "service/mail.h"
#include "service/two_factor.h"
#include "service/user.h"
#include "web/html.h"
#include "web/web.h"

enum { NEXT_MAX = 512 };

/* next as given when it is a path of this site ("/…", not "//…" or "/\…",
 * printable ASCII only, so it can go into a Location header as is); NULL
 * otherwise. */
static const char *safe_next(const char *s) {
  if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\' || strlen(s) > NEXT_MAX)
    return NULL;
  for (const unsigned char *c = (const unsigned char *)s; *c; c++)
    if (*c <= 0x20 || *c >= 0x7f || *c == '\\')
      return NULL;
  return s;
}

/* ---- sign in and out
 * -------------------------------------------------------------------- */

/* ---- a form sent after its session ended
 * A submission that finds its session gone (idle, signed out elsewhere) is carried through
 * the sign-in: the sign-in form holds its fields as hidden carry.<name> inputs and the path
 * it was sent to as carry_to; after signing in, a page shows it again to confirm with the new
 * session's CSRF token (a submission is never made without the user seeing it: the carried
 * fields could have been put there by another page). Never carried: the CSRF token and
 * passwords. Files cannot be carried; the page says which must be chosen again. */
#define CARRY "carry."

static bool carried(const char *name) {
  return strcmp(name, "csrf_token") != 0 && !strstr(name, "password");
}

/* The hidden inputs of the carried fields. CARRY_ADD: the request is the submission itself
 * (its fields get the prefix); CARRY_KEEP: a sign-in that carried them failed (they stay
 * carry.*); CARRY_STRIP: to confirm (the prefix comes off). */
enum carry_mode { CARRY_ADD, CARRY_KEEP, CARRY_STRIP };

static void carry_fields(struct req *r, struct sb *b, enum carry_mode mode) {
  size_t plen = strlen(CARRY);
  for (size_t i = 0; i < r->n_form; i++) {
    const char *name = r->form[i].name;
    if (mode == CARRY_ADD ? !carried(name)
                          : strncmp(name, CARRY, plen) != 0 || !carried(name + plen))
      continue;
    html_printf(b, "<input type=\"hidden\" name=\"%h%h\" value=\"%h\">\n",
                mode == CARRY_ADD ? CARRY : "", mode == CARRY_STRIP ? name + plen : name,
                r->form[i].value);
  }
}

/* The sign-in page with status, an error message id (or NULL), the login to
 * keep in the field (never the password) and next (already checked); carry_to (checked)
 * with the carried fields of the request (prefixed when fresh is true: this request is the
 * submission itself; else they are carry.* fields of a sign-in that failed). */
static int login_page_carrying(struct req *r, struct resp *p, int status,
                               const char *error_id, const char *login,
                               const char *next, const char *carry_to, bool fresh) {
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_login"));
  html_printf(b, "<section class=\"form-page\">\n<h1>%h</h1>\n",
              web_t(r, "ui_login"));
  web_form_error(r, b, error_id);
  if (carry_to)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n", web_t(r, "ui_login_carried"));
  for (size_t i = 0; fresh && i < r->n_uploads; i++)
    if (r->uploads[i].filename && *r->uploads[i].filename)
      html_printf(b, "<p class=\"meta\">%h</p>\n",
                  arena_printf(r->arena, web_t(r, "ui_login_file_again"), r->uploads[i].filename));
  html_printf(b, "<form method=\"post\" action=\"/login\">\n");
  if (next)
    html_printf(b, "<input type=\"hidden\" name=\"next\" value=\"%h\">\n",
                next);
  if (carry_to) {
    html_printf(b, "<input type=\"hidden\" name=\"carry_to\" value=\"%h\">\n", carry_to);
    carry_fields(r, b, fresh ? CARRY_ADD : CARRY_KEEP);
    /* the file fields it had, to ask for again on the confirming form */
    for (size_t i = 0; fresh && i < r->n_uploads; i++)
      if (r->uploads[i].field)
        html_printf(b, "<input type=\"hidden\" name=\"carry_file\" value=\"%h\">\n",
                    r->uploads[i].field);
    for (size_t i = 0; !fresh && i < r->n_form; i++)
      if (strcmp(r->form[i].name, "carry_file") == 0)
        html_printf(b, "<input type=\"hidden\" name=\"carry_file\" value=\"%h\">\n",
                    r->form[i].value);
  }
  html_printf(
      b,
      "<p><label for=\"login\">%h</label>\n"
      "<input id=\"login\" name=\"login\" type=\"text\" "
      "autocomplete=\"username\" autocapitalize=\"none\" "
      "spellcheck=\"false\" required maxlength=\"64\" value=\"%h\"></p>\n"
      "<p><label for=\"password\">%h</label>\n"
      "<input id=\"password\" name=\"password\" type=\"password\" "
      "autocomplete=\"current-password\" required></p>\n"
      "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
      web_t(r, "ui_login_name"), login ? login : "", web_t(r, "ui_password"),
      web_t(r, "ui_login"));
  return web_end(r, p);
}

static int login_page(struct req *r, struct resp *p, int status, const char *error_id,
                      const char *login, const char *next) {
  return login_page_carrying(r, p, status, error_id, login, next, NULL, false);
}

/* (web.h) A page route's form sent without a live session, from this site (the router
 * checked its Origin): 401 and the sign-in form carrying it. */
int web_login_again(struct req *r, struct resp *p) {
  const char *to = safe_next(r->path);
  if (!to)
    return web_redirect(r, p, "/login");
  return login_page_carrying(r, p, 401, "err_session_expired_kept", NULL, NULL, to, true);
}

/* After a sign-in that carried a submission: the fields again, to confirm with the new
 * session's CSRF token. */
static int confirm_carried(struct req *r, struct resp *p, const char *to, const char *csrf) {
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p, web_t(r, "ui_login_confirm_title"));
  bool files = req_form(r, "carry_file") != NULL;
  html_printf(b,
              "<section class=\"form-page\">\n<h1>%h</h1>\n<p>%h</p>\n"
              "<form method=\"post\" action=\"%h\"",
              web_t(r, "ui_login_confirm_title"), web_t(r, "ui_login_confirm_text"), to);
  if (files)
    html_printf(b, " enctype=\"multipart/form-data\"");
  html_printf(b, ">\n<input type=\"hidden\" name=\"csrf_token\" value=\"%h\">\n", csrf);
  carry_fields(r, b, CARRY_STRIP);
  /* a file cannot be carried: its field again, to choose it once more */
  int k = 0;
  for (size_t i = 0; i < r->n_form; i++) {
    if (strcmp(r->form[i].name, "carry_file") != 0)
      continue;
    html_printf(b,
                "<p><label for=\"carried-file-%d\">%h</label>\n"
                "<input id=\"carried-file-%d\" name=\"%h\" type=\"file\"></p>\n",
                k, web_t(r, "ui_login_confirm_file"), k, r->form[i].value);
    k++;
  }
  html_printf(b, "<p><button type=\"submit\" autofocus>%h</button></p>\n</form>\n"
                 "<details>\n<summary>%h</summary>\n<dl class=\"facts\">\n",
              web_t(r, "ui_login_confirm_send"), web_t(r, "ui_login_confirm_what"));
  size_t plen = strlen(CARRY);
  for (size_t i = 0; i < r->n_form; i++)
    if (strncmp(r->form[i].name, CARRY, plen) == 0 && carried(r->form[i].name + plen) &&
        r->form[i].value[0])
      html_printf(b, "<dt>%h</dt><dd class=\"narrative\">%h</dd>\n", r->form[i].name + plen,
                  r->form[i].value);
  html_printf(b, "</dl>\n</details>\n<p><a href=\"/\">%h</a></p>\n</section>\n",
              web_t(r, "ui_login_confirm_drop"));
  return web_end(r, p);
}

/* Where a sign-in without next leads: the page each role comes for — a clerk
 * to its items, a lead office to its review queue, a leader (and an admin) to
 * the dashboard. */
static const char *home_of(const struct user *u) {
  switch (u->role) {
  case ROLE_MEMBER:
    return "/my";
  case ROLE_COORDINATOR:
    return "/reviews";
  case ROLE_LEADER:
    return "/dashboard";
  case ROLE_ADMIN: /* 三员分立 under --mlps: each administrator to its own page */
    if (!auth_policy.mlps || u->admin_kind == ADMIN_SYSTEM)
      return "/dashboard";
    return u->admin_kind == ADMIN_SECURITY ? "/users"
           : u->admin_kind == ADMIN_AUDIT  ? "/audit"
                                           : "/account";
  default:
    return "/account";
  }
}

/* A sign-in that succeeded: the session the browser brought along ends, the cookie is set,
 * and the user goes on to the carried form, next or the role's home. */
/* (web.h) The last sign-in before this session's and the failed sign-ins since, as
 * sentences (service/sign_in.c). */
void web_last_sign_in(struct req *r, struct sb *b, const char *at, const char *client,
                      int failures) {
  html_printf(b, "<p class=\"meta\" id=\"last-sign-in\">%h",
              at ? arena_printf(r->arena, web_t(r, "ui_last_sign_in_at"), web_time(r, at),
                                client && *client ? client : "—")
                 : web_t(r, "ui_last_sign_in_none"));
  if (at)
    html_printf(b, " %h", arena_printf(r->arena, web_t(r, "ui_failures_since"), failures));
  html_printf(b, "</p>\n");
}

/* After a sign-in under --mlps: what the account should know before going on (the last
 * sign-in and the failures since, the session this one ended, a password to change). Its
 * own page, not a notice on the next one: those are cached for every user of a role. */
static int signed_in_page(struct req *r, struct resp *p, const struct session_info *s,
                          const char *to) {
  struct sb *b = &p->body;
  p->status = 200;
  web_begin(r, p, web_t(r, "ui_signed_in"));
  html_printf(b, "<section class=\"form-page\">\n<h1>%h</h1>\n", web_t(r, "ui_signed_in"));
  if (s->ended_at)
    html_printf(b, "<p class=\"notice\" role=\"status\" id=\"session-ended\">%h</p>\n",
                arena_printf(r->arena, web_t(r, "ui_session_ended_elsewhere"),
                             *s->ended_client ? s->ended_client : "—",
                             web_time(r, s->ended_at)));
  web_last_sign_in(r, b, s->last_login_at, s->last_login_client, s->failures_since);
  if (s->password_change) {
    web_form_error(r, b, s->password_change);
    to = "/account";
  }
  html_printf(b, "<p><a class=\"button\" href=\"%h\" autofocus>%h</a></p>\n</section>\n", to,
              web_t(r, "ui_signed_in_continue"));
  return web_end(r, p);
}

static int login_done(struct req *r, struct resp *p, const struct session_info *s,
                      const char *next, const char *carry_to) {
  const char *old = http_session_token(r);
  if (old && auth_logout(&r->ctx, old) != SVC_OK)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  http_set_session_cookie(r, p, s->token);
  if (carry_to)
    return confirm_carried(r, p, carry_to, s->csrf_token);
  if (auth_policy.mlps)
    return signed_in_page(r, p, s, next ? next : home_of(&s->user));
  return web_redirect(r, p, next ? next : home_of(&s->user));
}

/* The second step of a sign-in (two-factor): the code form, carrying the pending token, next
 * and what the sign-in carried. */
static int code_page(struct req *r, struct resp *p, int status, const char *error_id,
                     const char *pending, const char *next, const char *carry_to) {
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_two_factor_title"));
  html_printf(b, "<section class=\"form-page\">\n<h1>%h</h1>\n<p>%h</p>\n",
              web_t(r, "ui_two_factor_title"), web_t(r, "ui_login_code_text"));
  web_form_error(r, b, error_id);
  html_printf(b, "<form method=\"post\" action=\"/login/two-factor\">\n"
                 "<input type=\"hidden\" name=\"pending\" value=\"%h\">\n", pending);
  if (next)
    html_printf(b, "<input type=\"hidden\" name=\"next\" value=\"%h\">\n", next);
  if (carry_to) {
    html_printf(b, "<input type=\"hidden\" name=\"carry_to\" value=\"%h\">\n", carry_to);
    carry_fields(r, b, CARRY_KEEP);
    for (size_t i = 0; i < r->n_form; i++)
      if (strcmp(r->form[i].name, "carry_file") == 0)
        html_printf(b, "<input type=\"hidden\" name=\"carry_file\" value=\"%h\">\n",
                    r->form[i].value);
  }
  html_printf(b,
              "<p><label for=\"code\">%h</label>\n"
              "<input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" "
              "autocomplete=\"one-time-code\" autocapitalize=\"none\" spellcheck=\"false\" "
              "required maxlength=\"32\" autofocus></p>\n"
              "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_two_factor_code"), web_t(r, "ui_login"));
  return web_end(r, p);
}

/* GET /login: the form; someone signed in already goes on to next or home. */
int web_login_form(struct req *r, struct resp *p) {
  const char *next = safe_next(req_query(r, "next"));
  if (r->user)
    return web_redirect(r, p, next ? next : home_of(r->user));
  /* a session ended by a sign-in elsewhere comes here told so (http/router.c) */
  const char *why = req_query(r, "why");
  return login_page(r, p, 200, why && strcmp(why, "elsewhere") == 0 ? AUTH_ERR_ELSEWHERE : NULL,
                    NULL, next);
}

/* POST /login: on success the session cookie and 303 to next or the role's
 * home. A session the browser brought along ends (as with the API sign-in). */
int web_login(struct req *r, struct resp *p) {
  const char *login = req_form(r, "login"), *pw = req_form(r, "password");
  const char *next = safe_next(req_form(r, "next"));
  if (!next)
    next = safe_next(req_query(r, "next"));
  const char *carry_to = safe_next(req_form(r, "carry_to"));
  if (r->login_retry_after > 0) {
    resp_header(r, p, "Retry-After",
                arena_printf(r->arena, "%d", r->login_retry_after));
    return login_page_carrying(r, p, 429, "err_rate_limited", login, next, carry_to, false);
  }
  struct session_info s;
  const char *pending = NULL;
  int rc = auth_login_code(&r->ctx, login ? login : "", pw ? pw : "", NULL, &pending, &s);
  if (rc == SVC_UNAUTHORIZED && pending) /* right password, a code to come */
    return code_page(r, p, 200, NULL, pending, next, carry_to);
  /* A lock is answered as a wrong password (auth.c): it tells a guesser nothing. */
  if (rc == SVC_UNAUTHORIZED || rc == SVC_INVALID)
    return login_page_carrying(r, p, 401, "err_login_failed", login, next, carry_to, false);
  if (rc == SVC_FORBIDDEN) /* the password was right, the account may not sign in (三员分立) */
    return login_page_carrying(r, p, 403, r->ctx.code, login, next, carry_to, false);
  if (rc != SVC_OK)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  return login_done(r, p, &s, next, carry_to);
}

/* POST /login/two-factor: the second step, the pending token of the first and the code.
 * The token is used up either way: a wrong code goes back to the password (and counts
 * toward the lock as a wrong password does). */
int web_login_code(struct req *r, struct resp *p) {
  const char *next = safe_next(req_form(r, "next"));
  const char *carry_to = safe_next(req_form(r, "carry_to"));
  if (r->login_retry_after > 0) {
    resp_header(r, p, "Retry-After", arena_printf(r->arena, "%d", r->login_retry_after));
    return login_page_carrying(r, p, 429, "err_rate_limited", NULL, next, carry_to, false);
  }
  struct session_info s;
  int rc = auth_login_pending(&r->ctx, req_form(r, "pending"), req_form(r, "code"), &s);
  if (rc == SVC_UNAUTHORIZED) {
    const char *code = web_take_code(r, "err_login_failed");
    /* a lock reads as a wrong password, as at the first step */
    if (strcmp(code, "err_two_factor_expired") != 0 && strcmp(code, "err_two_factor_wrong") != 0)
      code = "err_login_failed";
    return login_page_carrying(r, p, 401, code, NULL, next, carry_to, false);
  }
  if (rc != SVC_OK)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  return login_done(r, p, &s, next, carry_to);
}

/* POST /logout: the session ends and its cookie goes. */
int web_logout(struct req *r, struct resp *p) {
  const char *token = http_session_token(r);
  if (token && auth_logout(&r->ctx, token) != SVC_OK)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  http_clear_session_cookie(r, p);
  return web_redirect(r, p, "/");
}

/* ---- the account page
 * ------------------------------------------------------------------- */

static const char *role_label(enum role role) {
  switch (role) {
  case ROLE_ADMIN:
    return "ui_role_admin";
  case ROLE_LEADER:
    return "ui_role_leader";
  case ROLE_COORDINATOR:
    return "ui_role_coordinator";
  default:
    return "ui_role_member";
  }
}

static const struct {
  enum lang lang;
  const char *label;
} account_langs[] = {
    {LANG_HANS, "ui_lang_zh_hans"},
    {LANG_HANT, "ui_lang_zh_hant"},
    {LANG_EN, "ui_lang_en"},
};

/* The account page with status and at most one message for each form
 * (message ids or NULL); notice_id a confirmation above everything. */
static int account_page_all(struct req *r, struct resp *p, int status,
                            const char *notice_id, const char *password_error,
                            const char *language_error, const char *mail_error,
                            const char *email_input, const char *calendar_token,
                            const char *calendar_error);
static int account_page_mail(struct req *r, struct resp *p, int status,
                             const char *notice_id, const char *password_error,
                             const char *language_error, const char *mail_error,
                             const char *email_input) {
  return account_page_all(r, p, status, notice_id, password_error, language_error,
                          mail_error, email_input, NULL, NULL);
}
static int account_page(struct req *r, struct resp *p, int status,
                        const char *notice_id, const char *password_error,
                        const char *language_error) {
  return account_page_mail(r, p, status, notice_id, password_error, language_error, NULL,
                           NULL);
}

/* The notifications section: the e-mail address and, per kind, where it goes. */
static void mail_section(struct req *r, struct sb *b, const char *mail_error,
                         const char *email_input) {
  struct user_view me;
  const char *ch[MAIL_KINDS];
  if (user_get(&r->ctx, r->user->id, &me) != SVC_OK || mail_prefs(&r->ctx, ch) != SVC_OK) {
    web_take_code(r, NULL);
    return;
  }
  static const char *const kind_labels[MAIL_KINDS] = {
      "ui_mail_kind_due", "ui_mail_kind_missing", "ui_mail_kind_urged",
      "ui_mail_kind_returned", "ui_mail_kind_plan", "ui_mail_kind_review",
      "ui_mail_kind_reopened", "ui_mail_kind_project", "ui_mail_kind_evaluation",
      "ui_mail_kind_event"};
  static const char *const channel_labels[3] = {"ui_mail_inbox", "ui_mail_mail",
                                                "ui_mail_digest"};
  html_printf(b, "<section>\n<h2 id=\"mail-heading\">%h</h2>\n<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_mail_title"), web_t(r, "ui_mail_intro"));
  web_form_error(r, b, mail_error);
  html_printf(b, "<form method=\"post\" action=\"/account/mail\" "
                 "aria-labelledby=\"mail-heading\">\n");
  web_csrf_field(r, b);
  const char *email = email_input ? email_input : me.email ? me.email : "";
  html_printf(b,
              "<p><label for=\"email\">%h</label>\n"
              "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" "
              "value=\"%h\"%s></p>\n",
              web_t(r, "ui_mail_address"), email,
              mail_error ? " aria-invalid=\"true\"" : "");
  for (int k = 0; k < MAIL_KINDS; k++) {
    html_printf(b, "<p><label for=\"ch-%h\">%h</label>\n<select id=\"ch-%h\" name=\"%h\">\n",
                mail_kinds[k], web_t(r, kind_labels[k]), mail_kinds[k], mail_kinds[k]);
    for (int c = 0; c < 3; c++)
      html_printf(b, "<option value=\"%h\"%s>%h</option>\n", mail_channels[c],
                  strcmp(ch[k], mail_channels[c]) == 0 ? " selected" : "",
                  web_t(r, channel_labels[c]));
    html_printf(b, "</select></p>\n");
  }
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_save"));
}

static int account_page_all(struct req *r, struct resp *p, int status,
                            const char *notice_id, const char *password_error,
                            const char *language_error, const char *mail_error,
                            const char *email_input, const char *calendar_token,
                            const char *calendar_error) {
  const struct user *u = r->user;
  struct session_view *sv;
  size_t n;
  if (auth_session_list(&r->ctx, u->id, http_session_token(r), &sv, &n) !=
      SVC_OK)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  enum lang user_lang = i18n_parse(u->language);
  struct sb *b = &p->body;
  p->status = status;
  web_begin(r, p, web_t(r, "ui_account_title"));
  html_printf(b, "<h1>%h</h1>\n", web_t(r, "ui_account_title"));
  if (notice_id)
    html_printf(b, "<p class=\"notice\" role=\"status\">%h</p>\n",
                web_t(r, notice_id));
  if (r->session && r->session->password_change && !password_error)
    web_form_error(r, b, r->session->password_change); /* why every page leads here (mlps) */
  if (r->session)
    web_last_sign_in(r, b, r->session->last_login_at, r->session->last_login_client,
                     r->session->failures_since);
  html_printf(
      b,
      "<dl class=\"facts\">\n<dt>%h</dt><dd>%h</dd>\n"
      "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n"
      "<dt>%h</dt><dd>%h</dd>\n<dt>%h</dt><dd>%h</dd>\n</dl>\n",
      web_t(r, "ui_name"), u->name, web_t(r, "ui_login_name"), u->login,
      web_t(r, "ui_unit"), u->unit_id ? u->unit_name : web_t(r, "ui_no_unit"),
      web_t(r, "ui_role"), web_t(r, role_label(u->role)),
      web_t(r, "ui_language"),
      web_t(r, account_langs[user_lang < LANG_N ? user_lang : 0].label));

  /* Two-factor sign-in: its state, and its own page (web/two_factor.c). */
  int tf_on = two_factor_enabled(&r->ctx, u->id);
  html_printf(b, "<section>\n<h2>%h</h2>\n<p>%h <a href=\"/account/two-factor\">%h</a></p>\n"
                 "</section>\n",
              web_t(r, "ui_two_factor_title"),
              web_t(r, tf_on == 1 ? "ui_two_factor_is_on" : "ui_two_factor_is_off"),
              web_t(r, tf_on == 1 ? "ui_two_factor_disable" : "ui_two_factor_start"));

  /* Password. */
  html_printf(b, "<section>\n<h2 id=\"password-heading\">%h</h2>\n",
              web_t(r, "ui_change_password"));
  web_form_error(r, b, password_error);
  html_printf(b, "<form method=\"post\" action=\"/account/password\" "
                 "aria-labelledby=\"password-heading\">\n");
  web_csrf_field(r, b);
  html_printf(
      b,
      "<p><label for=\"old_password\">%h</label>\n"
      "<input id=\"old_password\" name=\"old_password\" type=\"password\" "
      "autocomplete=\"current-password\" required></p>\n"
      "<p><label for=\"new_password\">%h</label>\n"
      "<input id=\"new_password\" name=\"new_password\" type=\"password\" "
      "autocomplete=\"new-password\" minlength=\"8\" required></p>\n"
      "<p><label for=\"new_password2\">%h</label>\n"
      "<input id=\"new_password2\" name=\"new_password2\" type=\"password\" "
      "autocomplete=\"new-password\" minlength=\"8\" required></p>\n"
      "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
      web_t(r, "ui_old_password"), web_t(r, "ui_new_password"),
      web_t(r, "ui_new_password_repeat"), web_t(r, "ui_change_password"));

  /* Language. */
  html_printf(b, "<section>\n<h2 id=\"language-heading\">%h</h2>\n",
              web_t(r, "ui_language"));
  web_form_error(r, b, language_error);
  html_printf(b, "<form method=\"post\" action=\"/account/language\" "
                 "aria-labelledby=\"language-heading\">\n");
  web_csrf_field(r, b);
  html_printf(b,
              "<p><label for=\"language\">%h</label>\n"
              "<select id=\"language\" name=\"language\">\n",
              web_t(r, "ui_language"));
  for (size_t i = 0; i < sizeof account_langs / sizeof *account_langs; i++)
    html_printf(b, "<option value=\"%h\" lang=\"%h\"%s>%h</option>\n",
                i18n_lang_name(account_langs[i].lang),
                i18n_lang_name(account_langs[i].lang),
                account_langs[i].lang == user_lang ? " selected" : "",
                web_t(r, account_langs[i].label));
  html_printf(b,
              "</select></p>\n<p><button type=\"submit\">%h</button></p>\n"
              "</form>\n</section>\n",
              web_t(r, "ui_save"));

  mail_section(r, b, mail_error, email_input);
  web_calendar_section(r, b, calendar_token, calendar_error);

  /* Sessions. */
  html_printf(b,
              "<section>\n<h2>%h</h2>\n<table class=\"sessions\">\n<thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\"><span "
              "class=\"visually-hidden\">%h</span></th></tr></thead>\n"
              "<tbody>\n",
              web_t(r, "ui_sessions"), web_t(r, "ui_session_created"),
              web_t(r, "ui_session_last_seen"), web_t(r, "ui_session_address"),
              web_t(r, "ui_loop_session_current"));
  for (size_t i = 0; i < n; i++)
    html_printf(b, "<tr%s><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>\n",
                sv[i].current ? " class=\"current\"" : "",
                web_time(r, sv[i].created_at), web_time(r, sv[i].last_seen_at),
                sv[i].client ? sv[i].client : "—",
                sv[i].current ? web_t(r, "ui_this_session") : "");
  html_printf(b,
              "</tbody>\n</table>\n"
              "<form method=\"post\" action=\"/account/sessions/revoke\">\n");
  web_csrf_field(r, b);
  html_printf(b,
              "<p><button type=\"submit\">%h</button></p>\n</form>\n"
              "</section>\n",
              web_t(r, "ui_revoke_all"));
  return web_end(r, p);
}

int web_account(struct req *r, struct resp *p) {
  const char *done = req_query(r, "done"), *notice = NULL;
  if (done && strcmp(done, "password") == 0)
    notice = "ui_password_changed";
  else if (done && strcmp(done, "language") == 0)
    notice = "ui_language_saved";
  else if (done && strcmp(done, "mail") == 0)
    notice = "ui_mail_saved";
  else if (done && strcmp(done, "calendar") == 0)
    notice = "ui_cal_revoked";
  return account_page(r, p, 200, notice, NULL, NULL);
}

/* POST /account/password: old, new and the new again. The session this request
 * came with stays signed in; the account's other sessions end. */
int web_account_password(struct req *r, struct resp *p) {
  const char *old_pw = req_form(r, "old_password"),
             *new_pw = req_form(r, "new_password"),
             *again = req_form(r, "new_password2");
  if (!old_pw || !*old_pw || !new_pw || !*new_pw)
    return account_page(r, p, 422, NULL, "err_required", NULL);
  if (!again || strcmp(new_pw, again) != 0)
    return account_page(r, p, 422, NULL, "err_password_mismatch", NULL);
  int64_t keep = 0;
  const char *token = http_session_token(r);
  if (token) {
    struct session_info si;
    if (auth_session(&r->ctx, token, &si) != SVC_OK)
      return web_error(r, p, 500, "ui_error_title", "err_internal");
    keep = si.session_id;
  }
  int rc =
      auth_change_password_keep(&r->ctx, r->user->id, old_pw, new_pw, keep);
  if (rc == SVC_OK)
    return web_redirect(r, p, "/account?done=password");
  const char *code =
      r->ctx.code && i18n_known(r->ctx.code) ? r->ctx.code : NULL;
  r->ctx.code = r->ctx.field = r->ctx.error = NULL;
  if (rc == SVC_INVALID)
    return account_page(r, p, 422, NULL, code ? code : "err_invalid", NULL);
  if (rc == SVC_LOCKED)
    return account_page(r, p, 429, NULL, "err_locked", NULL);
  return web_error(r, p, 500, "ui_error_title", "err_internal");
}

/* POST /account/language: kept in the account, and in the lang cookie so that a
 * language picked earlier with ?lang= on this browser does not hide it. */
int web_account_language(struct req *r, struct resp *p) {
  int tag = i18n_tag(req_form(r, "language"));
  if (tag < 0)
    return account_page(r, p, 422, NULL, NULL, "err_language");
  const char *name = i18n_lang_name((enum lang)tag);
  struct user_input in = {0};
  in.language = name;
  int rc = user_update(&r->ctx, r->user->id, &in);
  if (rc == SVC_INVALID || rc == SVC_STALE) {
    r->ctx.code = r->ctx.field = r->ctx.error = NULL;
    return account_page(r, p, 422, NULL, NULL, "err_language");
  }
  if (rc != SVC_OK)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  resp_header(r, p, "Set-Cookie",
              arena_printf(r->arena,
                           "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax",
                           name));
  return web_redirect(r, p, "/account?done=language");
}

/* POST /account/mail: the address and the channel of each kind, all checked before
 * anything is stored; the page again with the error and the input kept. */
int web_account_mail(struct req *r, struct resp *p) {
  const char *email = req_form(r, "email");
  const char *chosen[MAIL_KINDS];
  for (int k = 0; k < MAIL_KINDS; k++) {
    chosen[k] = req_form(r, mail_kinds[k]);
    bool known = false;
    for (int c = 0; chosen[k] && c < 3; c++)
      known = known || strcmp(chosen[k], mail_channels[c]) == 0;
    if (!known)
      return account_page_mail(r, p, 422, NULL, NULL, NULL, "err_invalid", email);
  }
  struct user_input in = {0};
  in.email = email ? email : "";
  int rc = user_update(&r->ctx, r->user->id, &in);
  if (rc == SVC_INVALID) {
    const char *code = web_take_code(r, "err_email");
    return account_page_mail(r, p, 422, NULL, NULL, NULL, code, email);
  }
  for (int k = 0; rc == SVC_OK && k < MAIL_KINDS; k++)
    rc = mail_pref_set(&r->ctx, mail_kinds[k], chosen[k]);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, "/account?done=mail");
}

/* POST /account/sessions/revoke: every session of the account ends, this one
 * too. */
int web_account_revoke(struct req *r, struct resp *p) {
  if (auth_revoke_all(&r->ctx, r->user->id, "sign out everywhere") != SVC_OK)
    return web_error(r, p, 500, "ui_error_title", "err_internal");
  http_clear_session_cookie(r, p);
  return web_redirect(r, p, "/login");
}

/* POST /account/calendar: a new personal calendar feed; the page shows its address once
 * (only its hash is kept). 409 with the message when one has too many. */
int web_account_calendar(struct req *r, struct resp *p) {
  const char *token;
  int rc = calendar_feed_create(&r->ctx, &token, NULL);
  if (rc == SVC_OK)
    return account_page_all(r, p, 200, "ui_cal_created_notice", NULL, NULL, NULL, NULL, token,
                            NULL);
  if (rc != SVC_CONFLICT)
    return web_service_page(r, p, rc);
  const char *code = web_take_code(r, "err_conflict");
  return account_page_all(r, p, 409, NULL, NULL, NULL, NULL, NULL, NULL, code);
}

/* POST /account/calendar/{id}/revoke: the feed's address stops working; 303 back. */
int web_account_calendar_revoke(struct req *r, struct resp *p) {
  int rc = calendar_feed_revoke(&r->ctx, r->ids[0]);
  if (rc != SVC_OK)
    return web_service_page(r, p, rc);
  return web_redirect(r, p, "/account?done=calendar#calendar");
}
