/* project: 合作项目 over the API (the rules are service/project.h's). A project's ETag is its
 * updated_at, as for units and notices; PATCH requires it in If-Match (428 without, 412
 * stale), a stage change accepts it. Amounts travel as integer yuan (…_yuan) or, as typed in
 * the offices, as 万元 text (…_wan, up to 4 decimals); never as a floating-point number. */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "service/industry.h"
#include "service/project.h"

static void opt_int(struct jw *w, const char *k, int64_t v)
{
    if (v)
        jw_kint(w, k, v);
    else
        jw_knull(w, k);
}

void api_project_json(struct jw *w, const struct project_view *v, bool full)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kstr(w, "name", v->name);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_key(w, "pairing");
    jw_arr(w);
    jw_str(w, v->name_a);
    jw_str(w, v->name_b);
    jw_arr_end(w);
    jw_kint(w, "side", v->side);
    jw_kstr(w, "stage", v->stage);
    jw_kstr(w, "industry", v->industry);
    jw_kstr(w, "industry_name", v->industry_name);
    jw_kint(w, "invest_planned_yuan", v->invest_planned);
    jw_kint(w, "invest_contracted_yuan", v->invest_contracted);
    jw_kint(w, "invest_paid_yuan", v->invest_paid);
    jw_kbool(w, "public", v->is_public);
    if (full) { /* the portal's projects say no more than the fields above and the partners */
        opt_int(w, "city_pairing_id", v->city_pairing_id);
        opt_int(w, "platform_id", v->platform_id);
        jw_kstr(w, "platform", v->platform_name);
        opt_int(w, "origin_event_id", v->origin_event_id);
        jw_kstr(w, "stage_on", v->stage_on);
        jw_kstr(w, "signed_on", v->signed_on);
        jw_kstr(w, "region_code", v->region_code);
        jw_kstr(w, "region_name", v->region_name);
        jw_kbool(w, "major", v->major);
    }
    jw_key(w, "partners");
    jw_arr(w);
    for (size_t i = 0; i < v->n_partners; i++) {
        const struct project_partner *pt = &v->partners[i];
        jw_obj(w);
        jw_kint(w, "side", pt->side);
        if (pt->unit_id) {
            jw_kint(w, "unit_id", pt->unit_id);
            jw_kstr(w, "unit", pt->unit_name);
        } else {
            jw_kstr(w, "enterprise", pt->enterprise);
            if (full)
                jw_kstr(w, "credit_code", pt->credit_code);
        }
        jw_obj_end(w);
    }
    jw_arr_end(w);
    if (full) {
        jw_key(w, "task_ids");
        jw_arr(w);
        for (size_t i = 0; i < v->n_tasks; i++)
            jw_int(w, v->task_ids[i]);
        jw_arr_end(w);
        if (v->jobs >= 0)
            jw_kint(w, "jobs", v->jobs);
        else
            jw_knull(w, "jobs");
        jw_kstr(w, "description", v->description);
        jw_kstr(w, "created_by", v->created_by);
        jw_kstr(w, "created_at", v->created_at);
        jw_kstr(w, "updated_at", v->updated_at);
    }
    if (v->n_stages) {
        jw_key(w, "stages");
        jw_arr(w);
        for (size_t i = 0; i < v->n_stages; i++) {
            const struct project_stage_change *h = &v->stages[i];
            jw_obj(w);
            jw_kstr(w, "stage", h->stage);
            jw_kstr(w, "on_date", h->on_date);
            jw_kstr(w, "reason", h->reason);
            jw_kstr(w, "by", h->by);
            jw_kstr(w, "at", h->at);
            jw_obj_end(w);
        }
        jw_arr_end(w);
    }
    jw_obj_end(w);
}

static const char *project_etag(struct req *r, const struct project_view *v)
{
    return arena_printf(r->arena, "\"project-%" PRId64 "-%s\"", v->id, v->updated_at);
}

/* The project as it is now, with its ETag and, after a create, its Location. */
static int project_answer(struct req *r, struct resp *p, int64_t id, int status)
{
    struct project_view v;
    int rc = project_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (api_etag(r, p, project_etag(r, &v)))
            return 304;
    } else {
        resp_header(r, p, "ETag", project_etag(r, &v));
    }
    if (status == 201)
        resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/projects/%" PRId64, id));
    struct jw w;
    api_begin(p, &w);
    api_project_json(&w, &v, true);
    return status;
}

static const char *query(struct req *r, const char *name)
{
    const char *v = req_query(r, name);
    return v && v[0] ? v : NULL;
}

/* GET /api/v1/projects?pairing=&city_pairing=&side=&stage=&industry=&year=&major=&task=
 * &sort=investment&after=&limit= → {"projects":[…],"next":id|null}. Without a session: the
 * public projects, with their public fields. */
int api_projects(struct req *r, struct resp *p)
{
    int st;
    int64_t after;
    int limit;
    if ((st = api_query_page(r, p, &after, &limit)))
        return st;
    struct project_view *v;
    size_t n;
    int64_t next;
    int rc;
    bool full = r->ctx.user->role != ROLE_PUBLIC;
    if (!full) {
        rc = project_list_public(&r->ctx, after, limit, &v, &n, &next);
    } else {
        struct project_filter f = {.side = -1, .major = -1};
        int64_t side, year, major;
        if ((f.pairing_id = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st), st) ||
            (f.city_pairing_id = api_query_int(r, p, "city_pairing", 0, 1, INT64_MAX, &st),
             st) ||
            (f.task_id = api_query_int(r, p, "task", 0, 1, INT64_MAX, &st), st) ||
            (f.platform_id = api_query_int(r, p, "platform", 0, 1, INT64_MAX, &st), st) ||
            (side = api_query_int(r, p, "side", -1, 0, 1, &st), st) ||
            (year = api_query_int(r, p, "year", 0, 2000, 2100, &st), st) ||
            (major = api_query_int(r, p, "major", -1, 0, 1, &st), st))
            return st;
        f.side = (int)side;
        f.year = (int)year;
        f.major = (int)major;
        f.stage = query(r, "stage");
        f.industry = query(r, "industry");
        const char *sort = query(r, "sort");
        if (sort && strcmp(sort, "investment") != 0 && strcmp(sort, "newest") != 0)
            return http_error(r, p, 400, "err_invalid", "sort");
        f.by_investment = sort && strcmp(sort, "investment") == 0;
        if (f.pairing_id && (st = api_pairing_check(r, p, f.pairing_id, "pairing", true)))
            return st;
        rc = project_list(&r->ctx, &f, after, limit, &v, &n, &next);
        if (rc == SVC_INVALID) /* a query parameter, not a body field: 400 */
            return http_error(r, p, 400, r->ctx.code, r->ctx.field);
    }
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "projects");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        api_project_json(&w, &v[i], full);
    jw_arr_end(&w);
    jw_key(&w, "next");
    if (next)
        jw_int(&w, next);
    else
        jw_null(&w);
    jw_obj_end(&w);
    return 200;
}

int api_project(struct req *r, struct resp *p)
{
    return project_answer(r, p, r->ids[0], 200);
}

/* partners: [{"side","unit_id"} | {"side","enterprise","credit_code"?}]. */
static int partners(struct req *r, struct resp *p, struct project_input *in)
{
    static const char *const keys[] = {"side", "unit_id", "enterprise", "credit_code", NULL};
    json_t *arr = json_object_get(r->json, "partners");
    if (!arr)
        return 0;
    if (!json_is_array(arr))
        return http_error(r, p, 422, "err_type", "partners");
    size_t n = json_array_size(arr);
    if (n > PROJECT_PARTNERS_MAX)
        return http_error(r, p, 422, "err_range", "partners");
    struct project_partner *out = arena_alloc(r->arena, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        const char *name = arena_printf(r->arena, "partners[%zu]", i);
        int64_t side = -1, unit = 0;
        int st;
        if ((st = api_json_object(r, p, e, name, keys)) ||
            (st = api_json_int(r, p, e, "side", arena_printf(r->arena, "%s.side", name),
                               API_REQUIRED | API_NO_NULL, 0, 1, &side)) ||
            (st = api_json_int(r, p, e, "unit_id", arena_printf(r->arena, "%s.unit_id", name),
                               0, 1, INT64_MAX, &unit)) ||
            (st = api_json_str(r, p, e, "enterprise",
                               arena_printf(r->arena, "%s.enterprise", name), 0,
                               &out[i].enterprise)) ||
            (st = api_json_str(r, p, e, "credit_code",
                               arena_printf(r->arena, "%s.credit_code", name), 0,
                               &out[i].credit_code)))
            return st;
        out[i].side = (int)side;
        out[i].unit_id = unit;
        if (!unit && !out[i].enterprise)
            return http_error(r, p, 422, "err_required",
                              arena_printf(r->arena, "%s.enterprise", name));
    }
    in->partners = out;
    in->n_partners = n;
    in->set_partners = true;
    return 0;
}

/* The fields a create and an edit share, into in (absent: keep / default). */
static int read_fields(struct req *r, struct resp *p, struct project_input *in)
{
    int st;
    json_t *v;
    if ((st = api_body_str(r, p, "name", false, &in->name)) ||
        (st = api_json_str(r, p, r->json, "industry", NULL, 0, &in->industry)) ||
        (st = api_json_str(r, p, r->json, "region_code", NULL, 0, &in->region_code)) ||
        (st = api_json_str(r, p, r->json, "description", NULL, 0, &in->description)) ||
        (st = api_body_amount(r, p, "invest_planned", &in->invest_planned)) ||
        (st = api_body_amount(r, p, "invest_contracted", &in->invest_contracted)) ||
        (st = api_body_amount(r, p, "invest_paid", &in->invest_paid)) || (st = partners(r, p, in)))
        return st;
    /* null clears the optional texts, the city pairing and jobs */
    if ((v = json_object_get(r->json, "industry")) && json_is_null(v))
        in->industry = "";
    if ((v = json_object_get(r->json, "region_code")) && json_is_null(v))
        in->region_code = "";
    if ((v = json_object_get(r->json, "description")) && json_is_null(v))
        in->description = "";
    if ((v = json_object_get(r->json, "city_pairing_id")) && json_is_null(v))
        in->city_pairing_id = 0;
    else if ((st = api_json_int(r, p, r->json, "city_pairing_id", NULL, 0, 1, INT64_MAX,
                                &in->city_pairing_id)))
        return st;
    if ((v = json_object_get(r->json, "platform_id")) && json_is_null(v))
        in->platform_id = 0;
    else if ((st = api_json_int(r, p, r->json, "platform_id", NULL, 0, 1, INT64_MAX,
                                &in->platform_id)))
        return st;
    if ((v = json_object_get(r->json, "jobs")) && json_is_null(v))
        in->jobs = -2;
    else if ((st = api_json_int(r, p, r->json, "jobs", NULL, 0, 0, 100000000, &in->jobs)))
        return st;
    if ((st = api_body_bool(r, p, "major", &in->major)) ||
        (st = api_body_bool(r, p, "public", &in->is_public)))
        return st;
    if (json_object_get(r->json, "task_ids")) {
        int64_t *ids;
        size_t n;
        if ((st = api_json_ids(r, p, r->json, "task_ids", API_NO_NULL, PROJECT_TASKS_MAX, &ids,
                               &n)))
            return st;
        in->task_ids = ids;
        in->n_tasks = n;
        in->set_tasks = true;
    }
    return 0;
}

static const char *const edit_fields[] = {
    "name", "industry", "region_code", "description", "city_pairing_id", "platform_id", "jobs",
    "major",
    "public", "partners", "task_ids", "invest_planned_yuan", "invest_planned_wan",
    "invest_contracted_yuan", "invest_contracted_wan", "invest_paid_yuan", "invest_paid_wan",
    /* refused with err_fixed on an edit: */
    "pairing_id", "side", "stage", "stage_on", NULL};

static void input_defaults(struct project_input *in)
{
    memset(in, 0, sizeof *in);
    in->side = -1;
    in->city_pairing_id = -1;
    in->platform_id = -1;
    in->jobs = -1;
    in->major = -1;
    in->is_public = -1;
    in->invest_planned = in->invest_contracted = in->invest_paid = -1;
}

/* POST /api/v1/projects {"name", "pairing_id"?, "side"?, "stage"?, "stage_on"?, …} → 201. */
int api_project_create(struct req *r, struct resp *p)
{
    struct project_input in;
    input_defaults(&in);
    int64_t side = -1;
    int st;
    if ((st = api_body_fields(r, p, edit_fields)) ||
        (st = api_body_int(r, p, "pairing_id", false, 1, INT64_MAX, &in.pairing_id)) ||
        (st = api_body_int(r, p, "side", false, 0, 1, &side)) ||
        (st = api_body_str(r, p, "stage", false, &in.stage)) ||
        (st = api_body_str(r, p, "stage_on", false, &in.stage_on)) ||
        (st = read_fields(r, p, &in)))
        return st;
    if (!in.name)
        return http_error(r, p, 422, "err_required", "name");
    in.side = (int)side;
    if (in.pairing_id && (st = api_pairing_check(r, p, in.pairing_id, "pairing_id", true)))
        return st;
    int64_t id = 0;
    int rc = project_create(&r->ctx, &in, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return project_answer(r, p, id, 201);
}

/* PATCH /api/v1/projects/{id} with If-Match → 200 with the project. */
int api_project_edit(struct req *r, struct resp *p)
{
    struct project_input in;
    input_defaults(&in);
    int st;
    if ((st = api_body_fields(r, p, edit_fields)))
        return st;
    static const char *const fixed[] = {"pairing_id", "side", "stage", "stage_on", NULL};
    for (int i = 0; fixed[i]; i++)
        if (api_body_has(r, fixed[i]))
            return http_error(r, p, 422, "err_fixed", fixed[i]);
    if ((st = read_fields(r, p, &in)))
        return st;
    /* If-Match is required; without one the service is asked for a version no project has,
     * so that 404 and 403 still come first and what remains is 428. */
    const char *seen = api_if_match(r, "project", r->ids[0]);
    in.if_updated_at = seen ? seen : "";
    int rc = project_edit(&r->ctx, r->ids[0], &in);
    if (rc == SVC_STALE && !seen)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return project_answer(r, p, r->ids[0], 200);
}

/* POST /api/v1/projects/{id}/stage {"stage","on_date"?,"reason"?} (If-Match optional) → 200
 * with the project. */
int api_project_stage(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"stage", "on_date", "reason", NULL};
    const char *stage, *on = NULL, *reason = NULL;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_str(r, p, "stage", true, &stage)) ||
        (st = api_body_str(r, p, "on_date", false, &on)) ||
        (st = api_body_str(r, p, "reason", false, &reason)))
        return st;
    int rc = project_set_stage(&r->ctx, r->ids[0], stage, on, reason,
                               api_if_match(r, "project", r->ids[0]));
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return project_answer(r, p, r->ids[0], 200);
}

/* ---- progress updates ------------------------------------------------------------------ */

static void update_json(struct jw *w, const struct project_update_view *u)
{
    jw_obj(w);
    jw_kint(w, "id", u->id);
    jw_kint(w, "project_id", u->project_id);
    jw_kstr(w, "body", u->body);
    if (u->invest_paid >= 0)
        jw_kint(w, "invest_paid_yuan", u->invest_paid);
    else
        jw_knull(w, "invest_paid_yuan");
    if (u->jobs >= 0)
        jw_kint(w, "jobs", u->jobs);
    else
        jw_knull(w, "jobs");
    jw_kstr(w, "unit", u->unit_name);
    jw_kstr(w, "author", u->author);
    jw_kstr(w, "created_at", u->created_at);
    jw_kstr(w, "state", u->state);
    jw_kstr(w, "comment", u->comment);
    jw_kstr(w, "reviewed_by", u->reviewer);
    jw_kstr(w, "reviewed_at", u->reviewed_at);
    jw_obj_end(w);
}

static int update_answer(struct req *r, struct resp *p, int64_t id, int status)
{
    struct project_update_view u;
    int rc = project_update_get(&r->ctx, id, &u);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (status == 201)
        resp_header(r, p, "Location",
                    arena_printf(r->arena, "/api/v1/projects/%" PRId64 "/updates", u.project_id));
    struct jw w;
    api_begin(p, &w);
    update_json(&w, &u);
    return status;
}

/* GET /api/v1/projects/{id}/updates → {"updates":[…]}, newest first. */
int api_project_updates(struct req *r, struct resp *p)
{
    struct project_update_view *u;
    size_t n;
    int rc = project_update_list(&r->ctx, r->ids[0], &u, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "updates");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        update_json(&w, &u[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/projects/{id}/updates {"body", "invest_paid_yuan"|"invest_paid_wan"?,
 * "jobs"?} → 201 with the update. */
int api_project_update_add(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"body", "invest_paid_yuan", "invest_paid_wan", "jobs",
                                         NULL};
    struct project_update_input in = {.invest_paid = -1, .jobs = -1};
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_str(r, p, "body", true, &in.body)) ||
        (st = api_body_amount(r, p, "invest_paid", &in.invest_paid)) ||
        (st = api_body_int(r, p, "jobs", false, 0, 100000000, &in.jobs)))
        return st;
    int64_t id = 0;
    int rc = project_update_add(&r->ctx, r->ids[0], &in, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return update_answer(r, p, id, 201);
}

/* POST /api/v1/project-updates/{id}/review {"decision": "accepted"|"returned", "comment"?}
 * → 201 with the update and its review. */
int api_project_update_review(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"decision", "comment", NULL};
    const char *decision, *comment = NULL;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_str(r, p, "decision", true, &decision)) ||
        (st = api_body_str(r, p, "comment", false, &comment)))
        return st;
    bool accept = strcmp(decision, "accepted") == 0;
    if (!accept && strcmp(decision, "returned") != 0)
        return http_error(r, p, 422, "err_invalid", "decision");
    int rc = project_update_review(&r->ctx, r->ids[0], accept, comment);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return update_answer(r, p, r->ids[0], 201); /* a review was created, as for reports */
}

/* GET /api/v1/industries?q= → {"industries":[{code, section, name}…]}: GB/T 4754-2017's
 * sections and divisions whose code or name holds q, in either script (遼/辽 alike); all
 * without q. The list the forms pick from. */
int api_industries(struct req *r, struct resp *p)
{
    const char *q = req_query(r, "q");
    if (q && strlen(q) > 100)
        return http_error(r, p, 400, "err_too_long", "q");
    const char *key = q && *q ? text_key(r->arena, q) : NULL;
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "industries");
    jw_arr(&w);
    for (size_t i = 0; i < industry_count(); i++) {
        const struct industry *ind = industry_at(i);
        if (key && !industry_matches(r->arena, ind, key))
            continue;
        jw_obj(&w);
        jw_kstr(&w, "code", ind->code);
        jw_kstr(&w, "section", ind->section);
        jw_kstr(&w, "name", ind->name);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}
