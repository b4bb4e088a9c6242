/* platform: 合作平台 over the API (the rules are service/platform.h's). ETag and If-Match as
 * for units and projects: "platform-<id>-<updated_at>". The area travels as hectares text
 * (area_ha, up to 4 decimals) and comes back as square metres too (area_m2, exact). */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "service/platform.h"

static void platform_json(struct req *r, struct jw *w, const struct platform_view *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kstr(w, "name", v->name);
    jw_kstr(w, "kind", v->kind);
    jw_kstr(w, "region_code", v->region_code);
    jw_kstr(w, "region_name", v->region_name);
    if (v->founded)
        jw_kint(w, "founded", v->founded);
    else
        jw_knull(w, "founded");
    if (v->area_m2 >= 0) {
        jw_kint(w, "area_m2", v->area_m2);
        jw_kstr(w, "area_ha", platform_area_ha(&r->ctx, v->area_m2));
    } else {
        jw_knull(w, "area_m2");
        jw_knull(w, "area_ha");
    }
    jw_kstr(w, "description", v->description);
    jw_key(w, "units");
    jw_arr(w);
    for (size_t i = 0; i < v->n_units; i++) {
        jw_obj(w);
        jw_kint(w, "id", v->units[i].id);
        jw_kint(w, "side", v->units[i].side);
        jw_kstr(w, "name", v->units[i].name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kint(w, "projects", v->projects);
    jw_key(w, "projects_by_stage");
    jw_obj(w);
    for (int s = 0; s < STAGE_N; s++)
        jw_kint(w, project_stage_name((enum project_stage)s), v->by_stage[s]);
    jw_obj_end(w);
    jw_kint(w, "enterprises", v->enterprises);
    jw_kint(w, "invest_contracted_yuan", v->contracted);
    jw_kint(w, "invest_paid_yuan", v->paid);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_obj_end(w);
}

static const char *platform_etag(struct req *r, const struct platform_view *v)
{
    return arena_printf(r->arena, "\"platform-%" PRId64 "-%s\"", v->id, v->updated_at);
}

static int platform_answer(struct req *r, struct resp *p, int64_t id, int status)
{
    struct platform_view v;
    int rc = platform_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (api_etag(r, p, platform_etag(r, &v)))
            return 304;
    } else {
        resp_header(r, p, "ETag", platform_etag(r, &v));
    }
    if (status == 201)
        resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/platforms/%" PRId64, id));
    struct jw w;
    api_begin(p, &w);
    platform_json(r, &w, &v);
    return status;
}

/* GET /api/v1/platforms?pairing= → {"platforms":[…]} by name, with their rollups. */
int api_platforms(struct req *r, struct resp *p)
{
    int st;
    int64_t pairing = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    if (pairing && (st = api_pairing_check(r, p, pairing, "pairing", true)))
        return st;
    struct platform_view *v;
    size_t n;
    int rc = platform_list(&r->ctx, pairing, &v, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "platforms");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        platform_json(r, &w, &v[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

int api_platform(struct req *r, struct resp *p)
{
    return platform_answer(r, p, r->ids[0], 200);
}

/* The fields a create and an edit share; null clears the optional ones. */
static int read_fields(struct req *r, struct resp *p, struct platform_input *in)
{
    int st;
    int64_t founded = -1;
    json_t *v;
    if ((st = api_body_str(r, p, "name", false, &in->name)) ||
        (st = api_body_str(r, p, "kind", false, &in->kind)) ||
        (st = api_json_str(r, p, r->json, "region_code", NULL, 0, &in->region_code)) ||
        (st = api_json_str(r, p, r->json, "area_ha", NULL, 0, &in->area_ha)) ||
        (st = api_json_str(r, p, r->json, "description", NULL, 0, &in->description)) ||
        (st = api_json_int(r, p, r->json, "founded", NULL, 0, 1949, 2100, &founded)))
        return st;
    in->founded = (int)founded;
    if ((v = json_object_get(r->json, "founded")) && json_is_null(v))
        in->founded = 0;
    if ((v = json_object_get(r->json, "region_code")) && json_is_null(v))
        in->region_code = "";
    if ((v = json_object_get(r->json, "area_ha")) && json_is_null(v))
        in->area_ha = "";
    if ((v = json_object_get(r->json, "description")) && json_is_null(v))
        in->description = "";
    if (json_object_get(r->json, "unit_ids")) {
        int64_t *ids;
        size_t n;
        if ((st = api_json_ids(r, p, r->json, "unit_ids", API_NO_NULL, PLATFORM_UNITS_MAX, &ids,
                               &n)))
            return st;
        in->unit_ids = ids;
        in->n_units = n;
        in->set_units = true;
    }
    return 0;
}

static const char *const fields[] = {"pairing_id", "name",        "kind",     "region_code",
                                     "area_ha",    "description", "founded",  "unit_ids",
                                     NULL};

/* POST /api/v1/platforms {"name","kind","pairing_id"?,…} → 201. */
int api_platform_create(struct req *r, struct resp *p)
{
    struct platform_input in = {.founded = -1};
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_int(r, p, "pairing_id", false, 1, INT64_MAX, &in.pairing_id)) ||
        (st = read_fields(r, p, &in)))
        return st;
    if (!in.name)
        return http_error(r, p, 422, "err_required", "name");
    if (!in.kind)
        return http_error(r, p, 422, "err_required", "kind");
    if (in.pairing_id && (st = api_pairing_check(r, p, in.pairing_id, "pairing_id", true)))
        return st;
    int64_t id = 0;
    int rc = platform_create(&r->ctx, &in, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return platform_answer(r, p, id, 201);
}

/* PATCH /api/v1/platforms/{id} with If-Match (428 without, 412 stale). */
int api_platform_edit(struct req *r, struct resp *p)
{
    struct platform_input in = {.founded = -1};
    int st;
    if ((st = api_body_fields(r, p, fields)))
        return st;
    if (api_body_has(r, "pairing_id"))
        return http_error(r, p, 422, "err_fixed", "pairing_id");
    if ((st = read_fields(r, p, &in)))
        return st;
    const char *seen = api_if_match(r, "platform", r->ids[0]);
    in.if_updated_at = seen ? seen : "";
    int rc = platform_edit(&r->ctx, r->ids[0], &in);
    if (rc == SVC_STALE && !seen)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return platform_answer(r, p, r->ids[0], 200);
}
