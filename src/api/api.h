/* api: the JSON API under /api/v1. Each file holds the handlers of one feature; they parse
 * and validate input, call a service, and write JSON with the streaming writer. The routes
 * that reach them are in http/routes.c. */
#ifndef DUIKOU_API_H
#define DUIKOU_API_H
#include "http/http.h"

struct jw;

/* Starts the JSON writer on p->body (compact) and sets the content type. */
void api_begin(struct resp *p, struct jw *w);
/* "next_after": the keyset cursor of the next page, or null on the last page (next 0). */
void api_next_after(struct jw *w, int64_t next);
/* Reads an integer ?name= with bounds; returns def when absent, -1 (and writes a 400 error
 * into p) when present but not an integer in [min, max]. */
int64_t api_query_int(struct req *r, struct resp *p, const char *name, int64_t def, int64_t min,
                      int64_t max, int *status);
/* Answers 304 when If-None-Match equals etag; otherwise sets the ETag header. Returns true
 * when the 304 was written (the handler returns p->status then). */
bool api_etag(struct req *r, struct resp *p, const char *etag);
/* A pairing id the request names (query parameter or body field `field`), checked alike on
 * every route: 0 when the caller may read it (and, with province, it is a province
 * pairing); else the error written into p: an id that does not exist or that the caller may
 * not read is 404 err_not_found for an admin and 403 err_forbidden for others; a city
 * pairing where a province pairing is required is 422 err_invalid naming the field. */
int api_pairing_check(struct req *r, struct resp *p, int64_t id, const char *field,
                      bool province);
/* Keyset paging of the lists that take ?after=&limit=: after ≥ 0 (default 0, the first
 * page), limit 1–API_PAGE_MAX (default API_PAGE_DEFAULT); 0, or 400 err_range written. */
enum { API_PAGE_DEFAULT = 50, API_PAGE_MAX = 200 };
int api_query_page(struct req *r, struct resp *p, int64_t *after, int *limit);
/* The user shape of /api/v1/me and the session: the unit fields (unit_id, unit, pairing_id,
 * side) are null for an admin, as in /api/v1/users (account.c). */
struct user;
void api_me_json(struct jw *w, const struct user *u);
struct session_view;
/* 200 {"sessions":[{id, created_at, last_seen_at, expires_at, client[, current]}]}: an
 * account's live sessions, for its owner (with "current") and for the security admin. */
int api_sessions_json(struct resp *p, const struct session_view *v, size_t n, bool current);

/* plan.c */
int api_pairings(struct req *r, struct resp *p);
int api_pairing(struct req *r, struct resp *p);
int api_plans(struct req *r, struct resp *p);
int api_plan(struct req *r, struct resp *p);
/* Frees the rendered-plan cache (at shutdown, so leak checkers stay quiet). */
void api_plan_cache_clear(void);
/* plan_upload.c: a plan file uploaded, previewed, confirmed or cancelled (admins) */
int api_plan_upload_create(struct req *r, struct resp *p);  /* POST /api/v1/plan-uploads */
int api_plan_upload(struct req *r, struct resp *p);         /* GET …/{id} */
int api_plan_upload_confirm(struct req *r, struct resp *p); /* POST …/{id}/confirm */
int api_plan_upload_delete(struct req *r, struct resp *p);  /* DELETE …/{id} */

/* session.c */
int api_session_create(struct req *r, struct resp *p);
int api_session_delete(struct req *r, struct resp *p);
int api_me(struct req *r, struct resp *p);

/* ---- the cooperation core ---------------------------------------------------------- */
struct json_t;
struct work_item_view;
struct report_view;

/* input.c: strict readers of JSON body fields that may nest. Each returns 0 when the
 * field is acceptable (an absent or null optional field leaves *out as it was), else the
 * error status written into p: 422 err_required (missing), err_type (wrong JSON type),
 * err_range (out of bounds), with the field named `name` (key when name is NULL). */
enum { API_REQUIRED = 1, /* present and not null */
       API_PRESENT = 2,  /* present, null allowed (an edit that replaces every field) */
       API_NO_NULL = 4   /* null is a wrong type (err_type), not "none" */ };
/* obj is an object holding no key outside allowed (NULL-terminated): else 422 err_type, or
 * err_unknown_field naming the key. name: the object's field name, NULL for the body. */
int api_json_object(struct req *r, struct resp *p, struct json_t *obj, const char *name,
                    const char *const *allowed);
int api_json_int(struct req *r, struct resp *p, struct json_t *obj, const char *key,
                 const char *name, unsigned flags, int64_t min, int64_t max, int64_t *out);
int api_json_str(struct req *r, struct resp *p, struct json_t *obj, const char *key,
                 const char *name, unsigned flags, const char **out);
/* An array of at most max positive integer ids, into an arena array. */
int api_json_ids(struct req *r, struct resp *p, struct json_t *obj, const char *key,
                 unsigned flags, size_t max, int64_t **out, size_t *n);

/* task.c */
int api_task(struct req *r, struct resp *p);

/* assignment.c */
struct assignment_view;
void api_assignments_json(struct jw *w, const struct assignment_view *a, size_t n);
/* The ETag of a task's assignments as assignment_list gave them: "\"as-<task>-<digest>\"". */
const char *api_assignments_etag(struct req *r, int64_t task_id, const struct assignment_view *a,
                                 size_t n);
int api_task_assignments_put(struct req *r, struct resp *p);

/* work_plan.c */
void api_work_item_json(struct jw *w, const struct work_item_view *v, bool close);
int api_work_plans(struct req *r, struct resp *p);
int api_work_plan_open(struct req *r, struct resp *p);
int api_work_plan(struct req *r, struct resp *p);
int api_work_plan_submit(struct req *r, struct resp *p);
int api_work_plan_approve(struct req *r, struct resp *p);
int api_work_item_add(struct req *r, struct resp *p);
int api_work_item(struct req *r, struct resp *p);
int api_work_item_edit(struct req *r, struct resp *p);
int api_work_item_remove(struct req *r, struct resp *p);
int api_my_work_items(struct req *r, struct resp *p);

/* report.c */
void api_report_json(struct jw *w, const struct report_view *v);
int api_report_submit(struct req *r, struct resp *p);
int api_report(struct req *r, struct resp *p);
int api_reviews_pending(struct req *r, struct resp *p);
int api_report_review(struct req *r, struct resp *p);

/* light.c */
int api_lights(struct req *r, struct resp *p);
/* reporting.c: the reporting calendar */
int api_reporting(struct req *r, struct resp *p);
int api_reporting_set(struct req *r, struct resp *p);
int api_reporting_urge(struct req *r, struct resp *p);
/* notification.c: the inbox */
struct notification_view;
int api_notifications(struct req *r, struct resp *p);
int api_notifications_read(struct req *r, struct resp *p);
/* circular.c: 通报 */
int api_circulars(struct req *r, struct resp *p);
int api_circular_create(struct req *r, struct resp *p);
int api_circular(struct req *r, struct resp *p);
int api_circular_update(struct req *r, struct resp *p);
int api_circular_publish(struct req *r, struct resp *p);
/* evaluation.c: 考核评估. api_evaluation_json writes one evaluation as GET
 * /api/v1/evaluations/{id} and `duikou evaluation show --json` give it; with s, a member
 * "scores" holding evaluation_scores_json's object. */
struct evaluation_view;
struct evaluation_scores;
void api_evaluation_json(struct jw *w, const struct evaluation_view *v,
                         const struct evaluation_scores *s);
int api_evaluations(struct req *r, struct resp *p);
int api_evaluation_create(struct req *r, struct resp *p);
int api_evaluation(struct req *r, struct resp *p);
int api_evaluation_indicators(struct req *r, struct resp *p);
int api_evaluation_open(struct req *r, struct resp *p);
int api_evaluation_step(struct req *r, struct resp *p);
int api_evaluation_commend(struct req *r, struct resp *p);
int api_evaluation_scores(struct req *r, struct resp *p);
/* mail.c: one's own e-mail settings, the outbox */
int api_me_mail(struct req *r, struct resp *p);
int api_me_mail_update(struct req *r, struct resp *p);
int api_outbox(struct req *r, struct resp *p);
/* The page a notification leads to (in r's arena). */
const char *api_notification_link(struct req *r, const struct notification_view *v);


/* input.c, the same readers for top-level body fields where null is never accepted (the
 * accounts routes). Each returns 0 when the input is fine, else the error status it wrote
 * into p (422 with the field). api_body_fields: the body is an object with no key outside
 * the NULL-terminated `allowed` list (err_unknown_field). The getters leave absent optional
 * keys alone (*out NULL for strings, -1 for booleans, untouched integers). */
int api_body_fields(struct req *r, struct resp *p, const char *const *allowed);
int api_body_str(struct req *r, struct resp *p, const char *key, bool required, const char **out);
int api_body_int(struct req *r, struct resp *p, const char *key, bool required, int64_t min,
                 int64_t max, int64_t *out);
int api_body_bool(struct req *r, struct resp *p, const char *key, int *out);
bool api_body_has(struct req *r, const char *key);
/* An amount given as BASE_yuan (an integer, 0–10^15) or as BASE_wan (万元 text, up to 4
 * decimals, read by project_parse_wan), not both (422 err_invalid); *out -1 when neither. */
#define API_YUAN_MAX INT64_C(1000000000000000)
int api_body_amount(struct req *r, struct resp *p, const char *base, int64_t *out);
/* The updated_at that an If-Match header "KIND-ID-UPDATED_AT" names: NULL without one (or
 * with *); "" when it does not name this entity (the service then answers 412). */
const char *api_if_match(struct req *r, const char *kind, int64_t id);

/* unit.c */
int api_units(struct req *r, struct resp *p);
int api_unit(struct req *r, struct resp *p);
int api_unit_create(struct req *r, struct resp *p);
int api_unit_update(struct req *r, struct resp *p);

/* user.c */
int api_users(struct req *r, struct resp *p);
int api_user(struct req *r, struct resp *p);
int api_user_create(struct req *r, struct resp *p);
int api_user_update(struct req *r, struct resp *p);
int api_user_unlock(struct req *r, struct resp *p);          /* 三員分立: the security */
int api_user_sessions(struct req *r, struct resp *p);        /* administrator's care of */
int api_user_sessions_revoke(struct req *r, struct resp *p); /* an account */

/* account.c */
int api_me_update(struct req *r, struct resp *p);
int api_me_password(struct req *r, struct resp *p);
int api_me_sessions(struct req *r, struct resp *p);
int api_me_sessions_revoke(struct req *r, struct resp *p);

/* audit.c */
int api_audit(struct req *r, struct resp *p);

/* project.c: 合作项目. api_project_json writes one project as the API and `duikou project
 * --json` show it; full false: only what the public portal shows. */
struct project_view;
void api_project_json(struct jw *w, const struct project_view *v, bool full);
int api_projects(struct req *r, struct resp *p);
int api_project(struct req *r, struct resp *p);
int api_project_create(struct req *r, struct resp *p);
int api_project_edit(struct req *r, struct resp *p);
int api_project_stage(struct req *r, struct resp *p);
int api_project_updates(struct req *r, struct resp *p);
int api_project_update_add(struct req *r, struct resp *p);
int api_project_update_review(struct req *r, struct resp *p);
int api_industries(struct req *r, struct resp *p);
/* platform.c: 合作平台 */
int api_platforms(struct req *r, struct resp *p);
int api_platform(struct req *r, struct resp *p);
int api_platform_create(struct req *r, struct resp *p);
int api_platform_edit(struct req *r, struct resp *p);
/* enterprise.c: 企业库, the enterprise directory (#12) */
int api_enterprises(struct req *r, struct resp *p);
int api_enterprise(struct req *r, struct resp *p);
int api_enterprise_create(struct req *r, struct resp *p);
int api_enterprise_edit(struct req *r, struct resp *p);
int api_enterprise_merge(struct req *r, struct resp *p);
/* fund.c: 专项工作经费, 产业投资基金 */
int api_funds(struct req *r, struct resp *p);
int api_work_fund_put(struct req *r, struct resp *p);
int api_work_fund_allocate(struct req *r, struct resp *p);
int api_work_fund_allocation_edit(struct req *r, struct resp *p);
int api_industry_fund_create(struct req *r, struct resp *p);
int api_industry_fund_invest(struct req *r, struct resp *p);
/* attachment.c: evidence files */
struct attachment_view;
void api_attachment_json(struct jw *w, const struct attachment_view *v);
/* The answer to a refused upload: 415 for a type, 413 for a size, else the service's. */
int api_attachment_refused(struct req *r, struct resp *p, int rc);
int api_attachment_upload(struct req *r, struct resp *p);
int api_attachments(struct req *r, struct resp *p);
/* import.c: spreadsheet imports (service/import.h) */
int api_import_preview(struct req *r, struct resp *p);
int api_import_commit(struct req *r, struct resp *p);
/* notice.c: 通知公告 */
int api_notices(struct req *r, struct resp *p);
int api_notice(struct req *r, struct resp *p);
int api_notice_create(struct req *r, struct resp *p);
int api_notice_update(struct req *r, struct resp *p);
int api_notice_publish(struct req *r, struct resp *p);
int api_notice_withdraw(struct req *r, struct resp *p);

/* ---- event.c: 活动 — events, registrations, check-in, outcomes, the funnel (#12) ---------
 * api_event_json writes one event as the API and `duikou event list --json` show it. */
struct event_view;
void api_event_json(struct jw *w, const struct event_view *v);
int api_events(struct req *r, struct resp *p);
int api_event_create(struct req *r, struct resp *p);
int api_event(struct req *r, struct resp *p);
int api_event_edit(struct req *r, struct resp *p);
int api_event_minutes(struct req *r, struct resp *p);
int api_event_rotation(struct req *r, struct resp *p);
int api_event_themes(struct req *r, struct resp *p);
int api_event_registrations(struct req *r, struct resp *p);
int api_event_register(struct req *r, struct resp *p);
int api_registration(struct req *r, struct resp *p);
int api_registration_withdraw(struct req *r, struct resp *p);
int api_event_checkin(struct req *r, struct resp *p);
int api_event_outcomes(struct req *r, struct resp *p);
int api_event_outcome_add(struct req *r, struct resp *p);
int api_outcome_project(struct req *r, struct resp *p);
int api_funnel(struct req *r, struct resp *p);

/* ---- exchange.c: 干部挂职 · 培训 · 人才交流, exchanges of people (#12) ------------------- */
int api_exchanges(struct req *r, struct resp *p);
int api_exchange_create(struct req *r, struct resp *p);
int api_exchange_counts(struct req *r, struct resp *p);
int api_exchange(struct req *r, struct resp *p);
int api_exchange_edit(struct req *r, struct resp *p);

#endif
