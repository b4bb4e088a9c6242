/* enterprise: 企业库 over the API (the rules are service/enterprise.h's). ETag and If-Match as
 * for platforms: "enterprise-<id>-<updated_at>". The contact (contact_name, contact_phone)
 * is in an answer only for who may see it; contact_visible says which it is. */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "service/enterprise.h"

static void enterprise_json(struct jw *w, const struct enterprise_view *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kint(w, "side", v->side);
    jw_kstr(w, "side_name", v->side ? v->name_b : v->name_a);
    jw_kstr(w, "name", v->name);
    jw_kstr(w, "credit_code", v->credit_code);
    jw_kstr(w, "region_code", v->region_code);
    jw_kstr(w, "region_name", v->region_name);
    jw_kstr(w, "industry", v->industry);
    jw_kstr(w, "industry_name", v->industry_name);
    jw_kstr(w, "size", v->size);
    jw_kbool(w, "contact_visible", v->contact_visible);
    if (v->contact_visible) {
        jw_kstr(w, "contact_name", v->contact_name);
        jw_kstr(w, "contact_phone", v->contact_phone);
    }
    if (v->merged_into) {
        jw_kint(w, "merged_into", v->merged_into);
        jw_kstr(w, "merged_into_name", v->merged_into_name);
    } else {
        jw_knull(w, "merged_into");
    }
    jw_kstr(w, "created_by", v->created_by);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_obj_end(w);
}

static const char *enterprise_etag(struct req *r, const struct enterprise_view *v)
{
    return arena_printf(r->arena, "\"enterprise-%" PRId64 "-%s\"", v->id, v->updated_at);
}

static int enterprise_answer(struct req *r, struct resp *p, int64_t id, int status)
{
    struct enterprise_view v;
    int rc = enterprise_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (api_etag(r, p, enterprise_etag(r, &v)))
            return 304;
    } else {
        resp_header(r, p, "ETag", enterprise_etag(r, &v));
    }
    if (status == 201)
        resp_header(r, p, "Location",
                    arena_printf(r->arena, "/api/v1/enterprises/%" PRId64, id));
    struct jw w;
    api_begin(p, &w);
    enterprise_json(&w, &v);
    return status;
}

static const char *query(struct req *r, const char *name)
{
    const char *v = req_query(r, name);
    return v && v[0] ? v : NULL;
}

/* GET /api/v1/enterprises?pairing=&side=&q=&industry=&merged=&after=&limit=
 * → {"enterprises":[…],"next_after"} by name. */
int api_enterprises(struct req *r, struct resp *p)
{
    int st;
    int64_t after, side, merged;
    int limit;
    struct enterprise_filter f = {.side = -1};
    if ((st = api_query_page(r, p, &after, &limit)) ||
        (f.pairing_id = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st), st) ||
        (side = api_query_int(r, p, "side", -1, 0, 1, &st), st) ||
        (merged = api_query_int(r, p, "merged", 0, 0, 1, &st), st))
        return st;
    f.side = (int)side;
    f.merged = merged == 1;
    f.q = query(r, "q");
    f.industry = query(r, "industry");
    if (f.pairing_id && (st = api_pairing_check(r, p, f.pairing_id, "pairing", true)))
        return st;
    struct enterprise_view *v;
    size_t n;
    int64_t next;
    int rc = enterprise_list(&r->ctx, &f, after, limit, &v, &n, &next);
    if (rc == SVC_INVALID) /* a query parameter, not a body field: 400 */
        return http_error(r, p, 400, r->ctx.code, r->ctx.field);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "enterprises");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        enterprise_json(&w, &v[i]);
    jw_arr_end(&w);
    api_next_after(&w, next);
    jw_obj_end(&w);
    return 200;
}

int api_enterprise(struct req *r, struct resp *p)
{
    return enterprise_answer(r, p, r->ids[0], 200);
}

/* The fields a create and an edit share; null clears an optional one. */
static int read_fields(struct req *r, struct resp *p, struct enterprise_input *in)
{
    static const char *const optional[] = {"credit_code",  "region_code",   "industry", "size",
                                           "contact_name", "contact_phone", NULL};
    const char **out[] = {&in->credit_code,  &in->region_code,   &in->industry, &in->size,
                          &in->contact_name, &in->contact_phone};
    int st;
    if ((st = api_body_str(r, p, "name", false, &in->name)))
        return st;
    for (size_t i = 0; optional[i]; i++) {
        if ((st = api_json_str(r, p, r->json, optional[i], NULL, 0, out[i])))
            return st;
        json_t *v = json_object_get(r->json, optional[i]);
        if (v && json_is_null(v))
            *out[i] = "";
    }
    return 0;
}

static const char *const fields[] = {"pairing_id",   "side",         "name",
                                     "credit_code",  "region_code",  "industry",
                                     "size",         "contact_name", "contact_phone",
                                     NULL};

/* POST /api/v1/enterprises {"name","credit_code"?,"region_code"?,"industry"?,"side"?,…}
 * → 201 with Location. */
int api_enterprise_create(struct req *r, struct resp *p)
{
    struct enterprise_input in = {.side = -1};
    int64_t side = -1;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_int(r, p, "pairing_id", false, 1, INT64_MAX, &in.pairing_id)) ||
        (st = api_body_int(r, p, "side", false, 0, 1, &side)) || (st = read_fields(r, p, &in)))
        return st;
    in.side = (int)side;
    if (!in.name)
        return http_error(r, p, 422, "err_required", "name");
    if (in.pairing_id && (st = api_pairing_check(r, p, in.pairing_id, "pairing_id", true)))
        return st;
    int64_t id = 0;
    int rc = enterprise_create(&r->ctx, &in, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return enterprise_answer(r, p, id, 201);
}

/* PATCH /api/v1/enterprises/{id} with If-Match (428 without, 412 stale). */
int api_enterprise_edit(struct req *r, struct resp *p)
{
    struct enterprise_input in = {.side = -1};
    int st;
    if ((st = api_body_fields(r, p, fields)))
        return st;
    if (api_body_has(r, "pairing_id"))
        return http_error(r, p, 422, "err_fixed", "pairing_id");
    if (api_body_has(r, "side"))
        return http_error(r, p, 422, "err_fixed", "side");
    if ((st = read_fields(r, p, &in)))
        return st;
    const char *seen = api_if_match(r, "enterprise", r->ids[0]);
    in.if_updated_at = seen ? seen : "";
    int rc = enterprise_edit(&r->ctx, r->ids[0], &in);
    if (rc == SVC_STALE && !seen)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return enterprise_answer(r, p, r->ids[0], 200);
}

/* POST /api/v1/enterprises/{id}/merge {"into": id} (If-Match when sent) → the enterprise it
 * was merged into. */
int api_enterprise_merge(struct req *r, struct resp *p)
{
    static const char *const allowed[] = {"into", NULL};
    int64_t into = 0;
    int st;
    if ((st = api_body_fields(r, p, allowed)) ||
        (st = api_body_int(r, p, "into", true, 1, INT64_MAX, &into)))
        return st;
    const char *seen = api_if_match(r, "enterprise", r->ids[0]);
    int rc = enterprise_merge(&r->ctx, r->ids[0], into, seen);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return enterprise_answer(r, p, into, 200);
}
