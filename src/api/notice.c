/* notice: 通知公告 over the API, mirroring the pages of web/notice.c. Published notices are
 * public (no sign-in); drafts and withdrawn ones, and every write, are for the pairing's
 * coordinators and admins (the rules are service/notice.h's). A notice's ETag is its
 * updated_at: PATCH requires it in If-Match (428 without, 412 when stale), and publish and
 * withdraw check it when it is sent. */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/notice.h"

static void notice_json(struct req *r, struct jw *w, const struct notice_view *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    if (v->pairing_id) {
        jw_kint(w, "pairing_id", v->pairing_id);
        jw_key(w, "pairing");
        jw_arr(w);
        jw_str(w, v->name_a);
        jw_str(w, v->name_b);
        jw_arr_end(w);
    } else {
        jw_knull(w, "pairing_id");
        jw_knull(w, "pairing");
    }
    jw_kstr(w, "title", v->title);
    jw_kstr(w, "body", v->body);
    jw_kstr(w, "status", v->status);
    if (v->published_at)
        jw_kstr(w, "published_at", v->published_at);
    else
        jw_knull(w, "published_at");
    /* Who wrote it is for those who manage it, not for the public. */
    if (r->user && notice_may_write(&r->ctx, v)) {
        if (v->created_by)
            jw_kstr(w, "created_by", v->created_by);
        else
            jw_knull(w, "created_by");
    }
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_obj_end(w);
}

static const char *notice_etag(struct req *r, const struct notice_view *v)
{
    return arena_printf(r->arena, "\"notice-%" PRId64 "-%s\"", v->id, v->updated_at);
}

/* The notice as it is now, with its ETag and, after a create, its Location. */
static int notice_answer(struct req *r, struct resp *p, int64_t id, int status)
{
    struct notice_view v;
    /* An anonymous request has no user in its context, like the command line: ask for the
     * published notice only. */
    int rc = r->user ? notice_get(&r->ctx, id, &v) : notice_get_published(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (api_etag(r, p, notice_etag(r, &v)))
            return 304;
    } else {
        resp_header(r, p, "ETag", notice_etag(r, &v));
    }
    if (status == 201)
        resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/notices/%" PRId64, id));
    struct jw w;
    api_begin(p, &w);
    notice_json(r, &w, &v);
    return status;
}

/* GET /api/v1/notices?after=&limit= → {"notices":[…],"next_after":id|null}: published
 * notices, newest publication first (public). ?manage=1: the notices the caller manages in
 * every state, newest first (coordinator: its pairing's; admin: all; others 403). */
int api_notices(struct req *r, struct resp *p)
{
    int st;
    int64_t manage = api_query_int(r, p, "manage", 0, 0, 1, &st);
    if (st)
        return st;
    int64_t after = api_query_int(r, p, "after", 0, 0, INT64_MAX, &st);
    if (st)
        return st;
    int64_t limit = api_query_int(r, p, "limit", NOTICE_PAGE_DEFAULT, 1, NOTICE_PAGE_MAX, &st);
    if (st)
        return st;
    if (manage && !r->user)
        return http_error(r, p, 401, "err_unauthorized", NULL);
    struct notice_view *v;
    size_t n;
    int64_t next;
    int rc = manage ? notice_list_managed(&r->ctx, after, (int)limit, &v, &n, &next)
                    : notice_list_published(&r->ctx, after, (int)limit, &v, &n, &next);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "notices");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        notice_json(r, &w, &v[i]);
    jw_arr_end(&w);
    api_next_after(&w, next);
    jw_obj_end(&w);
    return 200;
}

int api_notice(struct req *r, struct resp *p)
{
    return notice_answer(r, p, r->ids[0], 200);
}

/* POST /api/v1/notices {"pairing_id"?, "title", "body"} → 201, a draft. pairing_id absent:
 * a coordinator's own pairing, an admin's every pairing. */
int api_notice_create(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"pairing_id", "title", "body", NULL};
    struct notice_input in = {0};
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_int(r, p, "pairing_id", false, 1, INT64_MAX, &in.pairing_id)) ||
        (st = api_body_str(r, p, "title", true, &in.title)) ||
        (st = api_body_str(r, p, "body", true, &in.body)))
        return st;
    int64_t id = 0;
    int rc = notice_create(&r->ctx, &in, &id);
    /* Pairing ids answer as on every route: unknown is 404 naming the field. */
    if (rc == SVC_INVALID && r->ctx.code && strcmp(r->ctx.code, "err_pairing_unknown") == 0)
        return http_error(r, p, 404, "err_not_found", "pairing_id");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return notice_answer(r, p, id, 201);
}

/* PATCH /api/v1/notices/{id} {"title"?, "body"?} with If-Match (428 without, 412 stale) →
 * 200 with the notice. A notice never changes pairing (422 err_fixed). */
int api_notice_update(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"title", "body", "pairing_id", NULL};
    struct notice_input in = {0};
    int st;
    if ((st = api_body_fields(r, p, fields)))
        return st;
    if (api_body_has(r, "pairing_id"))
        return http_error(r, p, 422, "err_fixed", "pairing_id");
    if ((st = api_body_str(r, p, "title", false, &in.title)) ||
        (st = api_body_str(r, p, "body", false, &in.body)))
        return st;
    /* As for units: without If-Match the service is asked for a version no notice has, so
     * that 404 and 403 still come first and what remains is 428. */
    const char *seen = api_if_match(r, "notice", r->ids[0]);
    in.if_updated_at = seen ? seen : "";
    int rc = notice_edit(&r->ctx, r->ids[0], &in);
    if (rc == SVC_STALE && !seen)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return notice_answer(r, p, r->ids[0], 200);
}

/* POST /api/v1/notices/{id}/publish and /withdraw (If-Match checked when sent) → 200 with
 * the notice; 409 err_notice_state when the notice is not in a state that allows it. */
int api_notice_publish(struct req *r, struct resp *p)
{
    int rc = notice_publish(&r->ctx, r->ids[0], api_if_match(r, "notice", r->ids[0]));
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return notice_answer(r, p, r->ids[0], 200);
}

int api_notice_withdraw(struct req *r, struct resp *p)
{
    int rc = notice_withdraw(&r->ctx, r->ids[0], api_if_match(r, "notice", r->ids[0]));
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return notice_answer(r, p, r->ids[0], 200);
}
