/* notification: the caller's inbox over the API (service/notification.h) — its notifications
 * newest first with what the words need and the page each leads to, the unread count, and
 * marking one or all read. */
#include <inttypes.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/notification.h"

/* The page a notification leads to. */
const char *api_notification_link(struct req *r, const struct notification_view *v)
{
    if (strcmp(v->kind, "review_waiting") == 0)
        return "/reviews";
    if (strcmp(v->kind, "project_stage") == 0)
        return arena_printf(r->arena, "/projects/%" PRId64, v->object_id);
    if (strcmp(v->kind, "evaluation_step") == 0)
        return arena_printf(r->arena, "/evaluations/%" PRId64, v->object_id);
    if (strcmp(v->kind, "event_registration") == 0) /* step: the event */
        return arena_printf(r->arena, "/events/%d", v->step);
    if (v->work_plan_id)
        return arena_printf(r->arena, "/work-plans/%" PRId64, v->work_plan_id);
    if (v->work_item_id)
        return arena_printf(r->arena, "/items/%" PRId64 "/report", v->work_item_id);
    return "/inbox";
}

static int unread_json(struct req *r, struct resp *p)
{
    int64_t unread = 0;
    int rc = notification_unread(&r->ctx, &unread);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "unread", unread);
    jw_obj_end(&w);
    return 200;
}

/* GET /api/v1/notifications?after=&limit= → {"notifications":[…],"unread":N,"next_after"}. */
int api_notifications(struct req *r, struct resp *p)
{
    int64_t after;
    int limit, st;
    if ((st = api_query_page(r, p, &after, &limit)))
        return st;
    struct notification_view *v;
    size_t n;
    int64_t next, unread = 0;
    int rc = notification_list(&r->ctx, after, limit, &v, &n, &next);
    if (rc == SVC_OK)
        rc = notification_unread(&r->ctx, &unread);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "notifications");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", v[i].id);
        jw_kstr(&w, "kind", v[i].kind);
        jw_kint(&w, "object_id", v[i].object_id);
        if (v[i].period[0])
            jw_kstr(&w, "period", v[i].period);
        else
            jw_knull(&w, "period");
        jw_kint(&w, "step", v[i].step);
        jw_kstr(&w, "title", v[i].title);
        jw_kstr(&w, "unit", v[i].unit_name);
        jw_kstr(&w, "due", v[i].due);
        jw_kstr(&w, "comment", v[i].comment);
        jw_kstr(&w, "link", api_notification_link(r, &v[i]));
        jw_kstr(&w, "created_at", v[i].created_at);
        jw_kstr(&w, "read_at", v[i].read_at);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "unread", unread);
    api_next_after(&w, next);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/notifications/read {"ids":[…]} → those of them that are the caller's read
 * (the others left alone), or with no ids every one; {"unread":N}. */
int api_notifications_read(struct req *r, struct resp *p)
{
    static const char *const allowed[] = {"ids", NULL};
    int st;
    if ((st = api_body_fields(r, p, allowed)))
        return st;
    int64_t *ids = NULL;
    size_t n = 0;
    if ((st = api_json_ids(r, p, r->json, "ids", API_NO_NULL, NOTIFICATION_PAGE_MAX, &ids, &n)))
        return st;
    int rc = SVC_OK;
    if (!api_body_has(r, "ids"))
        rc = notification_read(&r->ctx, 0);
    for (size_t i = 0; i < n && rc == SVC_OK; i++)
        if ((rc = notification_read(&r->ctx, ids[i])) == SVC_NOT_FOUND)
            rc = SVC_OK; /* not the caller's: left alone */
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return unread_json(r, p);
}
