/* assignment: 分解任务、落实责任 over the API — a coordinator sets its side's lead (牵头) and
 * support (配合) units of a task as a whole; the answer is the task's assignments on both
 * sides.
 *
 * The assignments of a task have a version, the ETag "as-<task id>-<digest>"
 * (assignment_digest): GET /api/v1/tasks/{id} gives it as "assignments_etag", and PUT requires
 * it in If-Match (428 without, 412 when either side changed since), so two coordinators — or
 * one in two browser tabs — never overwrite each other's assignments unseen. */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/assignment.h"

const char *api_assignments_etag(struct req *r, int64_t task_id, const struct assignment_view *a,
                                 size_t n)
{
    char digest[ASSIGNMENT_DIGEST_LEN + 1];
    assignment_digest(a, n, digest);
    return arena_printf(r->arena, "\"as-%" PRId64 "-%s\"", task_id, digest);
}

/* The digest that If-Match names for task_id: NULL when there is no If-Match (or a blank one,
 * or "*"); "" when it names anything else (a weak tag, a list, another task), which matches
 * no version. */
static const char *if_match_digest(struct req *r, int64_t task_id)
{
    const char *h = req_header(r, "If-Match");
    if (!h)
        return NULL;
    while (*h == ' ' || *h == '\t')
        h++;
    size_t len = strlen(h);
    while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
        len--;
    if (len == 0 || (len == 1 && h[0] == '*'))
        return NULL;
    const char *prefix = arena_printf(r->arena, "\"as-%" PRId64 "-", task_id);
    size_t pn = strlen(prefix);
    if (len != pn + ASSIGNMENT_DIGEST_LEN + 1 || strncmp(h, prefix, pn) != 0 || h[len - 1] != '"')
        return "";
    const char *digest = arena_strndup(r->arena, h + pn, ASSIGNMENT_DIGEST_LEN);
    return strspn(digest, "0123456789abcdef") == ASSIGNMENT_DIGEST_LEN ? digest : "";
}

void api_assignments_json(struct jw *w, const struct assignment_view *a, size_t n)
{
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kint(w, "id", a[i].id);
        jw_key(w, "unit");
        jw_obj(w);
        jw_kint(w, "id", a[i].unit_id);
        jw_kstr(w, "name", a[i].unit_name);
        jw_kint(w, "side", a[i].side);
        jw_obj_end(w);
        jw_kint(w, "side", a[i].side);
        jw_kstr(w, "role", a[i].role);
        jw_kstr(w, "created_at", a[i].created_at);
        if (a[i].created_by)
            jw_kint(w, "created_by", a[i].created_by);
        else
            jw_knull(w, "created_by");
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* PUT /api/v1/tasks/{id}/assignments {"side":0|1, "lead":unit_id|null, "support":[ids]}
 * with If-Match "as-…" replaces that side's set (lead null and no support clears it) → 200
 * {"task_id":…, "assignments":[…], "assignments_etag":…} with both sides, and the new ETag. */
int api_task_assignments_put(struct req *r, struct resp *p)
{
    static const char *const keys[] = {"side", "lead", "support", NULL};
    int st = api_json_object(r, p, r->json, NULL, keys);
    if (st)
        return st;
    json_t *sv = json_object_get(r->json, "side");
    if (!sv || json_is_null(sv))
        return http_error(r, p, 422, "err_required", "side");
    if (!json_is_integer(sv))
        return http_error(r, p, 422, "err_type", "side");
    json_int_t side = json_integer_value(sv);
    if (side != 0 && side != 1)
        return http_error(r, p, 422, "err_side", "side");
    int64_t lead = 0, *support = NULL;
    size_t n_support = 0;
    if ((st = api_json_int(r, p, r->json, "lead", NULL, API_PRESENT, 1, INT64_MAX, &lead)) ||
        (st = api_json_ids(r, p, r->json, "support", 0, ASSIGNMENT_MAX_SUPPORT, &support,
                           &n_support)))
        return st;
    /* Without If-Match the service is asked for a version no task has: its refusals (404,
     * 403, 422) come first, and its err_stale then means 428. */
    const char *seen = if_match_digest(r, r->ids[0]);
    int rc = assignment_set_if(&r->ctx, r->ids[0], (int)side, lead, support, n_support,
                               seen ? seen : "");
    if (rc == SVC_STALE && !seen)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    if (rc != SVC_OK) {
        /* The service names its input lead_unit_id; the API calls it lead. */
        if (r->ctx.field && strcmp(r->ctx.field, "lead_unit_id") == 0)
            r->ctx.field = "lead";
        return http_from_service(r, p, rc);
    }
    struct assignment_view *a;
    size_t n;
    if ((rc = assignment_list(&r->ctx, r->ids[0], &a, &n)) != SVC_OK)
        return http_from_service(r, p, rc);
    const char *etag = api_assignments_etag(r, r->ids[0], a, n);
    resp_header(r, p, "ETag", etag);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "task_id", r->ids[0]);
    jw_key(&w, "assignments");
    api_assignments_json(&w, a, n);
    jw_kstr(&w, "assignments_etag", etag);
    jw_obj_end(&w);
    return 200;
}
