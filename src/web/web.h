/* web: the server-rendered pages. Each file holds the pages of one feature
 * (portal.c: the public portal); layout.c the frame every page shares and the
 * stylesheet. Pages are written with html_printf (web/html.h), so everything
 * they show is escaped; every text of the interface comes from the message
 * catalog (core/messages.def) in the request's language. The routes that reach
 * them are in http/routes.c. */
#ifndef DUIKOU_WEB_H
#define DUIKOU_WEB_H
#include <stdbool.h>

#include "http/http.h"
#include "service/light.h"

/* layout.c */
/* Starts a page in p->body: doctype, <html lang>, head (title · product name,
 * the stylesheet), the header (product name, language switcher, sign-in link)
 * and opens <main>. Sets the content type, and the lang cookie when the request
 * chose a language by ?lang=. */
void web_begin(struct req *r, struct resp *p, const char *title);
/* The name the page header shows for a signed-in user: the display name, else the login. */
const char *web_user_display_name(const struct user *u);
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

/* script.c */
/* Shows this page's data in the interface's script (converted with OpenCC; English: as
 * stored), or as stored with ?script=original. False for another ?script= value. */
bool web_show_script(struct req *r);
/* The link to the other view of the page at path: as stored, or in the interface's script. */
void web_script_switch(struct req *r, struct sb *b, const char *path);

/* common.c: what pages with forms share */
/* Answers 303 with Location: to (a path of this site). Returns 303. */
int web_redirect(struct req *r, struct resp *p, const char *to);
/* The hidden csrf_token input every form of a signed-in user carries. */
void web_csrf_field(struct req *r, struct sb *b);
/* The message id of the service failure in r->ctx (or fallback); the failure
 * is cleared from the context. */
const char *web_take_code(struct req *r, const char *fallback);
/* The error page for a service result that is not a form error
 * (404/403/409/422/500, the service's message when it gave one). */
int web_service_page(struct req *r, struct resp *p, int rc);
/* A message next to the field for_id (id NULL: nothing); the input refers to it
 * with aria-describedby="<for_id>-error". Like web_form_error, it is also listed in
 * the error summary web_end puts at the top of a refused form (status 4xx): every
 * message a link to its field, focused on load, the title starting 错误：. */
struct web_problem {
  const char *field;   /* the input's id, or NULL for a message about the whole form */
  const char *message; /* a message id */
};
void web_field_error(struct req *r, struct sb *b, const char *id,
                     const char *for_id);
/* The attributes of an input whose message is err (none when err is NULL):
 * aria-invalid and aria-describedby="<id>-error", where web_field_error puts it. */
void web_describe(struct sb *b, const char *id, const char *err);
/* This year in the plans' time zone (the server's clock). */
int web_this_year(void);
/* A message above a form (role=alert); id NULL: nothing. */
void web_form_error(struct req *r, struct sb *b, const char *id);
/* 2026-12-31 (or a timestamp starting so) as 2026年12月31日; ISO in English. */
const char *web_date(struct req *r, const char *iso);
/* A stored instant (UTC) as China Standard Time with the time of day:
 * 2026年11月26日 11:16:04 (2026-11-26 11:16:04 in English). Arena string. */
const char *web_time(struct req *r, const char *at);
/* The last sign-in before this session's (at NULL: none) and the failed sign-ins since, as a
 * paragraph (web/account.c). */
void web_last_sign_in(struct req *r, struct sb *b, const char *at, const char *client,
                      int failures);
/* 2026-11 / 2026-Q4 as 2026年11月 / 2026年第4季度; as is in English. */
const char *web_period(struct req *r, const char *period);
/* The pairing a list page is of: ?pairing=, else the caller's, else (an admin) the first; -1
 * when ?pairing= is not a number. */
int64_t web_asked_pairing(struct req *r);
/* The report statuses in form order, with their label ids. */
struct web_status {
  const char *value, *label;
};
extern const struct web_status web_statuses[];
extern const size_t web_n_statuses;
const char *web_status_label(struct req *r, const char *status);
/* The label id of a review state (pending, accepted, returned). */
const char *web_review_label(const char *review);
const char *web_light_label(enum light l);
/* The light as a badge with its name in words (never colour alone). */
void web_light_badge(struct req *r, struct sb *b, enum light l);
/* A whole decimal integer; false when s is not one. */
bool web_parse_int(const char *s, long long *out);
/* A query parameter that must be a positive id when present: *out 0 when absent or empty;
 * false when it is something else (a 400). */
bool web_query_id(struct req *r, const char *name, int64_t *out);
/* ?year=: 2000–2100, *year this year (the plans' time zone) when absent or empty; false when
 * it is something else. */
bool web_query_year(struct req *r, int *year);
/* Appends name=value, both URL-encoded, to the address in q: after '?' when q
 * has none yet, else after '&'. */
void web_query_add(struct sb *q, const char *name, const char *value);
/* A reported figure as a reader expects it: digits grouped by three, and money
 * in yuan shown in 万元 on Chinese pages (120000000 元 → 12,000 万元). */
const char *web_figure(struct req *r, int64_t value, const char *unit);
/* The keyset cursor ?after= of a list page: 0 when absent, -1 when it is not a
 * non-negative integer. */
int64_t web_page_after(struct req *r);
/* A page asked with a malformed parameter in its address (?after=x, ?pairing=x):
 * 400 err_bad_query, the same answer on every page. */
int web_bad_query(struct req *r, struct resp *p);
/* "Back to the first page" (when after > 0) and "next page" (path?after=
 * next_after, when more) links below a list; nothing for a single page. path
 * may carry the list's filters as a query string (URL-encoded, not escaped). */
/* A text as paragraphs: each run of non-blank lines one <p class="section-body">. */
void web_paragraphs(struct req *r, struct sb *b, const char *body);
void web_pager(struct req *r, struct sb *b, const char *path, int64_t after,
               bool more, int64_t next_after);

/* portal.c */
int web_home(struct req *r, struct resp *p);      /* GET / */
int web_plan_page(struct req *r, struct resp *p); /* GET /plans/{id} */
/* plan_import.c: a plan file uploaded, previewed, confirmed or cancelled (admin) */
int web_plan_import_form(struct req *r, struct resp *p);    /* GET /plans/import */
int web_plan_import_upload(struct req *r, struct resp *p);  /* POST /plans/import */
int web_plan_import_page(struct req *r, struct resp *p);    /* GET /plans/import/{id} */
int web_plan_import_confirm(struct req *r, struct resp *p); /* POST /plans/import/{id}/confirm */
int web_plan_import_cancel(struct req *r, struct resp *p);  /* POST /plans/import/{id}/cancel */

/* account.c: sign-in and sign-out forms, the own-account page and its forms */
int web_login_form(struct req *r, struct resp *p);       /* GET /login */
int web_login(struct req *r, struct resp *p);            /* POST /login */
int web_login_again(struct req *r, struct resp *p); /* a page's form sent after its session ended */
int web_logout(struct req *r, struct resp *p);           /* POST /logout */
int web_login_code(struct req *r, struct resp *p);       /* POST /login/two-factor */
/* web/two_factor.c: GET /account/two-factor and its forms start, confirm, disable */
int web_two_factor(struct req *r, struct resp *p);
int web_two_factor_start(struct req *r, struct resp *p);
int web_two_factor_confirm(struct req *r, struct resp *p);
int web_two_factor_disable(struct req *r, struct resp *p);
int web_account(struct req *r, struct resp *p);          /* GET /account */
int web_account_password(struct req *r, struct resp *p); /* POST /account/password */
int web_account_language(struct req *r, struct resp *p); /* POST /account/language */
int web_account_mail(struct req *r, struct resp *p);     /* POST /account/mail */
int web_account_revoke(struct req *r, struct resp *p);   /* POST /account/sessions/revoke */
int web_account_calendar(struct req *r, struct resp *p); /* POST /account/calendar */
int web_account_calendar_revoke(struct req *r, struct resp *p); /* POST /account/calendar/{id}/revoke */

/* report.c: a clerk's work and report form, a coordinator's review queue */
int web_my(struct req *r, struct resp *p);              /* GET /my */
int web_report_form(struct req *r, struct resp *p);     /* GET /items/{id}/report */
int web_report_submit(struct req *r, struct resp *p);   /* POST /items/{id}/report */
int web_reviews(struct req *r, struct resp *p);         /* GET /reviews */
int web_report_page(struct req *r, struct resp *p);     /* GET /reports/{id} */
int web_report_review(struct req *r, struct resp *p);   /* POST /reports/{id}/review */
int web_reviews_accept(struct req *r, struct resp *p);  /* POST /reviews/accept */
/* my_ledger.c: /my as a file (format: enum ledger_format of web/ledger.h) */
int web_my_ledger(struct req *r, struct resp *p, int format, bool all);
/* report_ledger.c: 进展报告台账 */
int web_reports_ledger(struct req *r, struct resp *p);  /* GET /reports */
struct report_filter;
int web_reviews_ledger(struct req *r, struct resp *p, int format,
                       const struct report_filter *f); /* /reviews?format= (the queue's filter) */
/* import.c: spreadsheet imports (service/import.h) */
void web_import_form(struct req *r, struct sb *b, const char *kind, const char *err);
/* The same form for a kind imported into a scope (work_items: the work plan scope). */
void web_import_form_in(struct req *r, struct sb *b, const char *kind, int64_t scope,
                        const char *err);
int web_import_upload(struct req *r, struct resp *p); /* POST /imports */
int web_import_page(struct req *r, struct resp *p);   /* GET /imports/{id} */
int web_import_commit(struct req *r, struct resp *p); /* POST /imports/{id}/commit */

/* dashboard.c: a pairing's year at a glance, for leaders (and every user of
 * the pairing) */
int web_dashboard(struct req *r, struct resp *p);      /* GET /pairings/{id}/dashboard */
int web_pairing_items(struct req *r, struct resp *p); /* GET /pairings/{id}/items */
/* notification.c: the inbox */
int web_inbox(struct req *r, struct resp *p);          /* GET /inbox */
int web_inbox_open(struct req *r, struct resp *p);     /* POST /inbox/{id}/open */
int web_inbox_read_all(struct req *r, struct resp *p); /* POST /inbox/read-all */
/* The header's link to the inbox with the unread count, a personal part of the page. */
void web_inbox_link(struct req *r, struct resp *p, struct sb *b);
/* circular.c: 通报 */
int web_circulars(struct req *r, struct resp *p);       /* GET /circulars */
int web_circular_create(struct req *r, struct resp *p); /* POST /circulars */
int web_circular(struct req *r, struct resp *p);        /* GET /circulars/{id} */
int web_circular_edit(struct req *r, struct resp *p);   /* POST /circulars/{id}/edit */
int web_circular_publish(struct req *r, struct resp *p); /* POST /circulars/{id}/publish */
int web_circular_xlsx(struct req *r, struct resp *p);   /* GET /circulars/{id}/export.xlsx */
/* evaluation.c: 考核评估 */
int web_evaluations(struct req *r, struct resp *p);            /* GET /evaluations */
int web_evaluation_create(struct req *r, struct resp *p);      /* POST /evaluations */
int web_evaluation(struct req *r, struct resp *p);             /* GET /evaluations/{id} */
int web_evaluation_indicators(struct req *r, struct resp *p);  /* POST …/{id}/indicators */
int web_evaluation_open(struct req *r, struct resp *p);        /* POST …/{id}/open */
int web_evaluation_step(struct req *r, struct resp *p);        /* POST …/{id}/steps */
int web_evaluation_commend(struct req *r, struct resp *p);     /* POST …/{id}/commend */
int web_evaluation_unit(struct req *r, struct resp *p);        /* GET …/{id}/units/{unit} */
int web_evaluation_city(struct req *r, struct resp *p);        /* GET …/{id}/cities/{city} */
int web_evaluation_side(struct req *r, struct resp *p);        /* GET …/{id}/sides/0 and 1 */
int web_evaluation_evidence(struct req *r, struct resp *p);    /* POST …/sides/0|1/evidence */
int web_evaluation_report(struct req *r, struct resp *p);      /* GET …/{id}/report */
int web_evaluation_xlsx(struct req *r, struct resp *p);        /* GET …/{id}/export.xlsx */
/* The words of a mail (service/mail.h mail_compose_fn). */
struct notification_view;
void web_mail_compose(struct arena *a, const char *language, const struct notification_view *v,
                      size_t n, const char *public_url, struct sb *subject, struct sb *body);
void web_unread_count(struct sb *b, int64_t unread);
/* The caller's unread count (service/notification.h), by the request's data versions. */
int web_unread(struct req *r, int64_t *unread);
/* reporting.c: the reporting calendar */
int web_reporting(struct req *r, struct resp *p);      /* GET /reporting */
int web_reporting_set(struct req *r, struct resp *p);  /* POST /work-plans/{id}/reporting */
int web_reporting_urge(struct req *r, struct resp *p); /* POST /reporting/urge */
/* The cycle of a work plan and, for its coordinators, the form that sets it. */
void web_reporting_form(struct req *r, struct sb *b, int64_t work_plan_id, bool quarterly,
                        int due_day);
/* A reporting state (enum report_state of service/reporting.h) as a labelled badge. */
const char *web_report_state_label(int state);
void web_report_state_badge(struct req *r, struct sb *b, int state);
int web_dashboard_home(struct req *r, struct resp *p); /* GET /dashboard */
/* task.c: one task as those who carry it out see it */
int web_task_page(struct req *r, struct resp *p); /* GET /tasks/{id} */

/* assignment.c: a coordinator assigns its side's units to every task of a plan */
int web_assign_form(struct req *r, struct resp *p); /* GET /plans/{id}/assign */
int web_assign_home(struct req *r, struct resp *p); /* GET /assign */
int web_assign_save(struct req *r, struct resp *p); /* POST /plans/{id}/assign */
/* admin.c: units and accounts (coordinators their side's, admins all) */
int web_units(struct req *r, struct resp *p);       /* GET /units */
int web_unit_create(struct req *r, struct resp *p); /* POST /units */
int web_unit(struct req *r, struct resp *p);        /* GET /units/{id} */
int web_unit_update(struct req *r, struct resp *p); /* POST /units/{id} */
int web_users(struct req *r, struct resp *p);       /* GET /users */
int web_user_create(struct req *r, struct resp *p); /* POST /users */
int web_user(struct req *r, struct resp *p);        /* GET /users/{id} */
int web_user_update(struct req *r, struct resp *p); /* POST /users/{id} */
int web_user_unlock(struct req *r, struct resp *p); /* POST /users/{id}/unlock */
int web_user_sessions_revoke(struct req *r, struct resp *p); /* POST /users/{id}/sessions/revoke */
/* audit.c: the audit log with filters */
int web_audit(struct req *r, struct resp *p); /* GET /audit */
/* search.c: search over tasks, work items, reports and units */
int web_search(struct req *r, struct resp *p); /* GET /search */
/* work_plan.c: the work plan editor of a pairing and year */
int web_work_plans(struct req *r, struct resp *p);         /* GET /work-plans */
int web_work_plan_open(struct req *r, struct resp *p);     /* POST /work-plans */
int web_work_plan_page(struct req *r, struct resp *p);     /* GET /work-plans/{id} */
int web_work_item_add(struct req *r, struct resp *p);      /* POST /work-plans/{id}/items */
int web_work_plan_submit(struct req *r, struct resp *p);   /* POST /work-plans/{id}/submit */
int web_work_plan_approve(struct req *r, struct resp *p);  /* POST /work-plans/{id}/approve */
int web_work_item_page(struct req *r, struct resp *p);     /* GET /work-items/{id} */
int web_work_item_edit_form(struct req *r, struct resp *p); /* GET /work-items/{id}/edit */
int web_work_item_edit(struct req *r, struct resp *p);     /* POST /work-items/{id}/edit */
int web_work_item_remove(struct req *r, struct resp *p);   /* POST /work-items/{id}/remove */

/* project.c: 合作项目 */
/* The task page's section: the projects serving the task that the caller may read. */
void web_project_task_section(struct req *r, struct sb *b, int64_t task_id);
/* The dashboard's block: projects by stage, the year's signings, investment per side and
 * city pairing, the major projects; every number links to its list. */
struct project_totals;
void web_project_dashboard_block(struct req *r, struct sb *b, int64_t pairing_id, int year,
                                 const struct project_totals *totals);
int web_projects(struct req *r, struct resp *p);          /* GET /projects */
int web_project_page(struct req *r, struct resp *p);      /* GET /projects/{id} */
int web_project_new(struct req *r, struct resp *p);       /* GET /projects/new */
int web_project_create(struct req *r, struct resp *p);    /* POST /projects */
int web_project_edit_form(struct req *r, struct resp *p); /* GET /projects/{id}/edit */
int web_project_edit(struct req *r, struct resp *p);      /* POST /projects/{id}/edit */
int web_project_stage(struct req *r, struct resp *p);     /* POST /projects/{id}/stage */
int web_project_update_add(struct req *r, struct resp *p); /* POST /projects/{id}/updates */
int web_project_update_review(struct req *r, struct resp *p); /* POST /project-updates/{id}/review */
int web_project_attach(struct req *r, struct resp *p);    /* POST /projects/{id}/attachments */

/* platform.c: 合作平台 */
int web_platforms(struct req *r, struct resp *p);       /* GET /platforms */
int web_platform_create(struct req *r, struct resp *p); /* POST /platforms */
int web_platform_page(struct req *r, struct resp *p);   /* GET /platforms/{id} */
int web_platform_edit(struct req *r, struct resp *p);   /* POST /platforms/{id} */

/* enterprise.c: 企业库 */
int web_enterprises(struct req *r, struct resp *p);       /* GET /enterprises */
int web_enterprise_create(struct req *r, struct resp *p); /* POST /enterprises */
int web_enterprise_page(struct req *r, struct resp *p);   /* GET /enterprises/{id} */
int web_enterprise_edit(struct req *r, struct resp *p);   /* POST /enterprises/{id} */
int web_enterprise_merge(struct req *r, struct resp *p);  /* POST /enterprises/{id}/merge */

/* exchange.c: 干部挂职 · 培训 · 人才交流 */
int web_exchanges(struct req *r, struct resp *p);       /* GET /exchanges */
int web_exchange_create(struct req *r, struct resp *p); /* POST /exchanges */
int web_exchange_page(struct req *r, struct resp *p);   /* GET /exchanges/{id} */
int web_exchange_edit(struct req *r, struct resp *p);   /* POST /exchanges/{id} */

/* fund.c: 专项工作经费 and 产业投资基金 */
int web_funds(struct req *r, struct resp *p);                 /* GET /funds */
int web_fund_budget(struct req *r, struct resp *p);           /* POST /funds/budget */
int web_fund_allocate(struct req *r, struct resp *p);         /* POST /funds/{id}/allocations */
int web_fund_allocation_edit(struct req *r, struct resp *p);  /* POST /fund-allocations/{id} */
int web_industry_fund_create(struct req *r, struct resp *p);  /* POST /industry-funds */
int web_industry_fund_invest(struct req *r, struct resp *p);  /* POST /industry-funds/{id}/investments */

/* attachment.c: evidence files */
int web_attachment(struct req *r, struct resp *p); /* GET /attachments/{id} */
/* The status of a page refusing a file: 415 a type, 413 a size, 422 anything else. */
int web_attachment_status(const char *code);
/* The files of an object, and with action the upload form posting there (err: a message id
 * above it, or NULL). */
void web_attachments_section(struct req *r, struct sb *b, const char *object, int64_t id,
                             const char *action, const char *err);
/* The same where a page has several: the section's id (its parts' ids begin with it) and
 * its heading's message id. */
void web_attachments_section_as(struct req *r, struct sb *b, const char *object, int64_t id,
                                const char *action, const char *err, const char *anchor,
                                const char *title);

/* notice.c: 通知公告, notices on the portal and their management */
/* The portal's section: the latest published notices and a link to all. */
void web_notice_latest(struct req *r, struct sb *b);
int web_notices(struct req *r, struct resp *p);           /* GET /notices */
int web_notice_page(struct req *r, struct resp *p);       /* GET /notices/{id} */
int web_notices_manage(struct req *r, struct resp *p);    /* GET /notices/manage */
int web_notice_create(struct req *r, struct resp *p);     /* POST /notices */
int web_notice_edit_form(struct req *r, struct resp *p);  /* GET /notices/{id}/edit */
int web_notice_edit(struct req *r, struct resp *p);       /* POST /notices/{id}/edit */
int web_notice_publish(struct req *r, struct resp *p);    /* POST /notices/{id}/publish */
int web_notice_withdraw(struct req *r, struct resp *p);   /* POST /notices/{id}/withdraw */

/* ---- events, 活动 (issue #12) ----------------------------------------------------------- */
/* event.c: the event pages, the door's check-in page, a registration's QR code */
int web_events(struct req *r, struct resp *p);              /* GET /events */
int web_event_create(struct req *r, struct resp *p);        /* POST /events */
int web_event_page(struct req *r, struct resp *p);          /* GET /events/{id} */
int web_event_edit(struct req *r, struct resp *p);          /* POST /events/{id} */
int web_event_register(struct req *r, struct resp *p);      /* POST /events/{id}/registrations */
int web_event_withdraw(struct req *r, struct resp *p);      /* POST …/registrations/{id}/withdraw */
int web_event_minutes(struct req *r, struct resp *p);       /* POST /events/{id}/minutes */
int web_event_outcome_add(struct req *r, struct resp *p);   /* POST /events/{id}/outcomes */
int web_event_outcome_project(struct req *r, struct resp *p); /* POST …/outcomes/{id}/project */
int web_event_checkin_page(struct req *r, struct resp *p);  /* GET /events/{id}/checkin */
int web_event_checkin(struct req *r, struct resp *p);       /* POST /events/{id}/checkin */
int web_event_qr(struct req *r, struct resp *p);            /* GET …/registrations/{id}/qr.svg */
/* The portal's block: the public upcoming events. */
void web_event_portal_block(struct req *r, struct sb *b);
/* funnel.c */
int web_funnel(struct req *r, struct resp *p);              /* GET /funnel */
/* ics.c: iCalendar feeds, and the account page's section that makes personal ones
 * (new_token: the address to show once, or NULL; err: a message id above it, or NULL) */
int web_events_ics(struct req *r, struct resp *p);          /* GET /events.ics */
int web_calendar_feed(struct req *r, struct resp *p);       /* GET /calendar/{file} */
void web_calendar_section(struct req *r, struct sb *b, const char *new_token, const char *err);
#endif
