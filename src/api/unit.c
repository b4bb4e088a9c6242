/* unit: the units (单位) of each pairing side over the API. Reads for anyone of the pairing,
 * writes for the side's coordinator and admins (the rules are service/user.h's). A unit's
 * ETag is its updated_at, and PATCH requires it in If-Match, so a write made against an
 * older read is refused (412) and one made against no read at all too (428). */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/user.h"

static void unit_json(struct jw *w, const struct unit_view *u)
{
    jw_obj(w);
    jw_kint(w, "id", u->id);
    jw_kint(w, "pairing_id", u->pairing_id);
    jw_key(w, "pairing");
    jw_arr(w);
    jw_str(w, u->pairing_a);
    jw_str(w, u->pairing_b);
    jw_arr_end(w);
    jw_kint(w, "side", u->side);
    if (u->region_id)
        jw_kint(w, "region_id", u->region_id);
    else
        jw_knull(w, "region_id");
    jw_kstr(w, "name", u->name);
    jw_kstr(w, "kind", u->kind);
    jw_kstr(w, "tier", u->tier);
    jw_kint(w, "users", u->users);
    jw_kstr(w, "created_at", u->created_at);
    jw_kstr(w, "updated_at", u->updated_at);
    jw_obj_end(w);
}

static const char *unit_etag(struct req *r, const struct unit_view *u)
{
    return arena_printf(r->arena, "\"unit-%" PRId64 "-%s\"", u->id, u->updated_at);
}

/* The unit as it is now, with its ETag and, after a create, its Location. */
static int unit_answer(struct req *r, struct resp *p, int64_t id, int status)
{
    struct unit_view u;
    int rc = unit_get(&r->ctx, id, &u);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (api_etag(r, p, unit_etag(r, &u)))
            return 304;
    } else {
        resp_header(r, p, "ETag", unit_etag(r, &u));
    }
    if (status == 201)
        resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/units/%" PRId64, id));
    struct jw w;
    api_begin(p, &w);
    unit_json(&w, &u);
    return status;
}

/* GET /api/v1/units?pairing=&side=&after=&limit= → {"units":[…],"next_after":id|null} by
 * id: the caller's pairing (a city pairing stands for its province pairing); admins every
 * pairing unless ?pairing= names one. */
int api_units(struct req *r, struct resp *p)
{
    int st;
    int64_t pairing = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    int64_t side = api_query_int(r, p, "side", -1, INT32_MIN, INT32_MAX, &st);
    if (st)
        return st;
    if (side != -1 && side != 0 && side != 1)
        return http_error(r, p, 400, "err_side", "side");
    int64_t after;
    int limit;
    if ((st = api_query_page(r, p, &after, &limit)))
        return st;
    if (pairing && (st = api_pairing_check(r, p, pairing, "pairing", false)))
        return st;
    struct unit_view *v;
    size_t n;
    int64_t next;
    int rc = unit_list_page(&r->ctx, pairing, (int)side, after, limit, &v, &n, &next);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "units");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        unit_json(&w, &v[i]);
    jw_arr_end(&w);
    api_next_after(&w, next);
    jw_obj_end(&w);
    return 200;
}

int api_unit(struct req *r, struct resp *p)
{
    return unit_answer(r, p, r->ids[0], 200);
}

/* POST /api/v1/units {"pairing_id","side","name","kind","tier","region_id"?} → 201. */
int api_unit_create(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"pairing_id", "side", "name", "kind", "tier",
                                         "region_id",  NULL};
    struct unit_input in = {0};
    int64_t side = 0;
    int st;
    if ((st = api_body_fields(r, p, fields)) || //
        (st = api_body_int(r, p, "pairing_id", true, 1, INT64_MAX, &in.pairing_id)) ||
        (st = api_body_int(r, p, "side", true, INT32_MIN, INT32_MAX, &side)) ||
        (st = api_body_str(r, p, "name", true, &in.name)) ||
        (st = api_body_str(r, p, "kind", true, &in.kind)) ||
        (st = api_body_str(r, p, "tier", true, &in.tier)) ||
        (st = api_body_int(r, p, "region_id", false, 1, INT64_MAX, &in.region_id)))
        return st;
    in.side = (int)side; /* not 0 or 1: the service answers err_side, after the permission */
    int64_t id = 0;
    int rc = unit_create(&r->ctx, &in, &id);
    /* Pairing ids answer as on every route (api_pairing_check): unknown is 404, a city
     * pairing 422 err_invalid. The service's own codes are finer, for the command line. */
    if (rc == SVC_INVALID && r->ctx.code && strcmp(r->ctx.code, "err_pairing_unknown") == 0)
        return http_error(r, p, 404, "err_not_found", "pairing_id");
    if (rc == SVC_INVALID && r->ctx.code && strcmp(r->ctx.code, "err_pairing_not_province") == 0)
        return http_error(r, p, 422, "err_invalid", "pairing_id");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return unit_answer(r, p, id, 201);
}

/* PATCH /api/v1/units/{id} {"name"?,"kind"?,"tier"?,"region_id"?} with If-Match (the unit's
 * ETag; 428 without, 412 stale) → 200 with the unit. A unit never changes pairing or side
 * (422 err_fixed): make a new one instead. */
int api_unit_update(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"name", "kind", "tier", "region_id", "pairing_id",
                                         "side", NULL};
    struct unit_input in = {0};
    int st;
    if ((st = api_body_fields(r, p, fields)))
        return st;
    if (api_body_has(r, "pairing_id"))
        return http_error(r, p, 422, "err_fixed", "pairing_id");
    if (api_body_has(r, "side"))
        return http_error(r, p, 422, "err_fixed", "side");
    if ((st = api_body_str(r, p, "name", false, &in.name)) ||
        (st = api_body_str(r, p, "kind", false, &in.kind)) ||
        (st = api_body_str(r, p, "tier", false, &in.tier)) ||
        (st = api_body_int(r, p, "region_id", false, 1, INT64_MAX, &in.region_id)))
        return st;
    /* If-Match is required. Without one the service is asked for a version no unit has,
     * so that 404 and 403 still come first and what remains is 428. */
    const char *seen = api_if_match(r, "unit", r->ids[0]);
    in.if_updated_at = seen ? seen : "";
    int rc = unit_update(&r->ctx, r->ids[0], &in);
    if (rc == SVC_STALE && !seen)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return unit_answer(r, p, r->ids[0], 200);
}
