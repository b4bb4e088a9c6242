/* web: the server-rendered pages. Each file holds the pages of one feature
 * (portal.c: the public portal); layout.c the frame every page shares and the
 * stylesheet. Pages are written with html_printf (web/html.h), so everything
 * they show is escaped; every text of the interface comes from the message
 * catalog (core/messages.def) in the request's language. The routes that reach
 * them are in http/routes.c. */
#ifndef DUIKOU_WEB_H
#define DUIKOU_WEB_H
#include "http/http.h"

/* layout.c */
/* Starts a page in p->body: doctype, <html lang>, head (title · product name,
 * the stylesheet), the header (product name, language switcher, sign-in link)
 * and opens <main>. Sets the content type, and the lang cookie when the request
 * chose a language by ?lang=. */
void web_begin(struct req *r, struct resp *p, const char *title);
/* Closes <main>, writes the footer and ends the document. Returns p->status. */
int web_end(struct req *r, struct resp *p);
/* A whole error page with status, a title message id and a message id for the
 * text. */
int web_error(struct req *r, struct resp *p, int status, const char *title_id,
              const char *text_id);
/* The message with that id in the request's language (shorthand for i18n). */
const char *web_t(const struct req *r, const char *id);
/* The stylesheet's fingerprinted URL: /assets/app.<12 hex of its SHA-256>.css.
 */
const char *web_css_url(void);
/* GET /assets/{file}: the stylesheet at its fingerprinted URL, cached for a
 * year. */
int web_asset(struct req *r, struct resp *p);

/* portal.c */
int web_home(struct req *r, struct resp *p);      /* GET / */
int web_plan_page(struct req *r, struct resp *p); /* GET /plans/{id} */

/* account.c: sign-in and sign-out forms, the own-account page and its forms */
int web_login_form(struct req *r, struct resp *p);       /* GET /login */
int web_login(struct req *r, struct resp *p);            /* POST /login */
int web_logout(struct req *r, struct resp *p);           /* POST /logout */
int web_account(struct req *r, struct resp *p);          /* GET /account */
int web_account_password(struct req *r, struct resp *p); /* POST /account/password */
int web_account_language(struct req *r, struct resp *p); /* POST /account/language */
int web_account_revoke(struct req *r, struct resp *p);   /* POST /account/sessions/revoke */

/* report.c: a clerk's work and report form, a coordinator's review queue */
int web_my(struct req *r, struct resp *p);              /* GET /my */
int web_report_form(struct req *r, struct resp *p);     /* GET /items/{id}/report */
int web_report_submit(struct req *r, struct resp *p);   /* POST /items/{id}/report */
int web_reviews(struct req *r, struct resp *p);         /* GET /reviews */
int web_report_review(struct req *r, struct resp *p);   /* POST /reports/{id}/review */
int web_reviews_accept(struct req *r, struct resp *p);  /* POST /reviews/accept */

#endif
