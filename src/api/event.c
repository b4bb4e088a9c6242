/* event: 活动 over the API — events, their registrations and check-ins, their outcomes (the
 * rules are service/event.h's). An event's ETag is "event-<id>-<updated_at>~<counts>"; PATCH and the
 * minutes require it in If-Match (428 without, 412 stale), as for platforms. Times travel as
 * China time as typed (YYYY-MM-DDTHH:MM); amounts as integer yuan, outcomes' as 万元 text in. */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/money.h"
#include "service/event.h"
#include "service/industry.h"
#include "service/light.h"

static void opt_int(struct jw *w, const char *k, int64_t v)
{
    if (v)
        jw_kint(w, k, v);
    else
        jw_knull(w, k);
}

/* The caller's own pairing when the query names none; an admin must name one (400). */
static int own_pairing(struct req *r, struct resp *p, int64_t *pairing)
{
    int st;
    *pairing = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    if (*pairing)
        return api_pairing_check(r, p, *pairing, "pairing", true);
    if (!r->ctx.user || r->ctx.user->pairing_id <= 0)
        return http_error(r, p, 400, "err_required", "pairing");
    *pairing = r->ctx.user->pairing_id;
    return 0;
}

/* A service refusal of a query parameter is the request's fault: 400, not 422. */
static int query_refused(struct req *r, struct resp *p, int rc)
{
    if (rc == SVC_INVALID)
        return http_error(r, p, 400, i18n_known(r->ctx.code) ? r->ctx.code : "err_invalid",
                          r->ctx.field);
    return http_from_service(r, p, rc);
}

/* ---- events ----------------------------------------------------------------------------- */

void api_event_json(struct jw *w, const struct event_view *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_key(w, "pairing");
    jw_arr(w);
    jw_str(w, v->name_a);
    jw_str(w, v->name_b);
    jw_arr_end(w);
    jw_kstr(w, "kind", v->kind);
    jw_kstr(w, "title", v->title);
    jw_kstr(w, "starts", v->starts);
    jw_kstr(w, "ends", v->ends);
    jw_kint(w, "year", v->year);
    jw_kint(w, "host_side", v->host_side);
    jw_kstr(w, "host_region_code", v->host_region_code);
    jw_kstr(w, "host_region_name", v->host_region_name);
    jw_kstr(w, "place", v->place);
    opt_int(w, "capacity", v->capacity);
    jw_kbool(w, "public", v->is_public);
    jw_kstr(w, "state", v->state);
    jw_kbool(w, "past", v->past);
    opt_int(w, "task_id", v->task_id);
    if (v->task_id) {
        jw_kint(w, "task_number", v->task_number);
        jw_kstr(w, "task_title", v->task_title);
    } else {
        jw_knull(w, "task_number");
        jw_knull(w, "task_title");
    }
    if (v->target_enterprises >= 0)
        jw_kint(w, "target_enterprises", v->target_enterprises);
    else
        jw_knull(w, "target_enterprises");
    jw_kint(w, "registered", v->registered);
    jw_kint(w, "registered_enterprises", v->registered_enterprises);
    jw_kint(w, "waiting", v->waiting);
    jw_kint(w, "attended", v->attended);
    jw_kint(w, "attended_enterprises", v->attended_enterprises);
    jw_kint(w, "intentions", v->intentions);
    jw_kint(w, "signed", v->signed_count);
    jw_kint(w, "intention_yuan", v->intention_yuan);
    jw_kint(w, "signed_yuan", v->signed_yuan);
    jw_key(w, "themes");
    jw_arr(w);
    for (size_t i = 0; i < v->n_themes; i++) {
        const struct industry *ind = industry_find(v->themes[i]);
        jw_obj(w);
        jw_kstr(w, "code", v->themes[i]);
        jw_kstr(w, "name", ind ? ind->name : NULL);
        jw_obj_end(w);
    }
    jw_arr_end(w);
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
    jw_key(w, "cities");
    jw_arr(w);
    for (size_t i = 0; i < v->n_cities; i++) {
        jw_obj(w);
        jw_kint(w, "id", v->cities[i].id);
        jw_kstr(w, "name_a", v->cities[i].name_a);
        jw_kstr(w, "name_b", v->cities[i].name_b);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "agenda", v->agenda);
    jw_kstr(w, "minutes", v->minutes);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_obj_end(w);
}

/* The event's version, and after a "~" what moves without it: the counts of registrations,
 * check-ins and outcomes, and whether it is over. A conditional GET needs both; an If-Match
 * only the version (event_seen), since an edit changes the event's own fields. */
static const char *event_etag(struct req *r, const struct event_view *v)
{
    return arena_printf(r->arena,
                        "\"event-%" PRId64 "-%s~%" PRId64 ".%" PRId64 ".%" PRId64 ".%" PRId64
                        ".%" PRId64 ".%" PRId64 ".%d\"",
                        v->id, v->updated_at, v->registered, v->waiting, v->attended,
                        v->intentions, v->signed_count, v->intention_yuan + v->signed_yuan,
                        (int)v->past);
}

/* The version an If-Match names: its text before the "~". */
static const char *event_seen(struct req *r, int64_t id)
{
    const char *seen = api_if_match(r, "event", id);
    const char *tilde = seen ? strchr(seen, '~') : NULL;
    return tilde ? arena_strndup(r->arena, seen, (size_t)(tilde - seen)) : seen;
}

/* The event as it is now, with its ETag and, after a create, its Location. */
static int event_answer(struct req *r, struct resp *p, int64_t id, int status)
{
    struct event_view v;
    int rc = event_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (api_etag(r, p, event_etag(r, &v)))
            return 304;
    } else {
        resp_header(r, p, "ETag", event_etag(r, &v));
    }
    if (status == 201)
        resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/events/%" PRId64, id));
    struct jw w;
    api_begin(p, &w);
    api_event_json(&w, &v);
    return status;
}

static const char *query(struct req *r, const char *name)
{
    const char *v = req_query(r, name);
    return v && v[0] ? v : NULL;
}

/* GET /api/v1/events?pairing=&year=&kind=&theme=&when=upcoming|past&unit= → {"events":[…]}:
 * upcoming soonest first, otherwise latest first. */
int api_events(struct req *r, struct resp *p)
{
    int st;
    struct event_filter f = {0};
    int64_t year;
    if ((f.pairing_id = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st), st) ||
        (year = api_query_int(r, p, "year", 0, 2000, 2100, &st), st) ||
        (f.unit_id = api_query_int(r, p, "unit", 0, 1, INT64_MAX, &st), st))
        return st;
    f.year = (int)year;
    f.kind = query(r, "kind");
    f.theme = query(r, "theme");
    const char *when = query(r, "when");
    if (when && strcmp(when, "upcoming") == 0)
        f.when = 1;
    else if (when && strcmp(when, "past") == 0)
        f.when = 2;
    else if (when)
        return http_error(r, p, 400, "err_invalid", "when");
    if (f.pairing_id && (st = api_pairing_check(r, p, f.pairing_id, "pairing", true)))
        return st;
    struct event_view *v;
    size_t n;
    int rc = event_list(&r->ctx, &f, &v, &n);
    if (rc != SVC_OK)
        return query_refused(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "events");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        api_event_json(&w, &v[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

int api_event(struct req *r, struct resp *p)
{
    return event_answer(r, p, r->ids[0], 200);
}

/* An array of at most max strings (GB/T 4754 codes) into an arena array. */
static int string_list(struct req *r, struct resp *p, const char *key, size_t max,
                       const char *const **out, size_t *n)
{
    json_t *v = json_object_get(r->json, key);
    if (!json_is_array(v))
        return http_error(r, p, 422, "err_type", key);
    size_t len = json_array_size(v);
    if (len > max)
        return http_error(r, p, 422, "err_range", key);
    const char **s = arena_alloc(r->arena, (len + 1) * sizeof *s);
    for (size_t i = 0; i < len; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e))
            return http_error(r, p, 422, "err_type", arena_printf(r->arena, "%s[%zu]", key, i));
        s[i] = json_string_value(e);
    }
    *out = s;
    *n = len;
    return 0;
}

/* Whether key is present with null: "clear it" in an edit. */
static bool is_null(struct req *r, const char *key)
{
    json_t *v = json_object_get(r->json, key);
    return v && json_is_null(v);
}

/* The fields a create and an edit share; null clears the optional ones. */
static int read_fields(struct req *r, struct resp *p, struct event_input *in)
{
    int st;
    int64_t side = -1, capacity = -1, task = -1, target = -1;
    if ((st = api_body_str(r, p, "kind", false, &in->kind)) ||
        (st = api_body_str(r, p, "title", false, &in->title)) ||
        (st = api_body_int(r, p, "host_side", false, 0, 1, &side)) ||
        (st = api_json_str(r, p, r->json, "host_region_code", NULL, 0, &in->host_region_code)) ||
        (st = api_body_str(r, p, "starts", false, &in->starts)) ||
        (st = api_body_str(r, p, "ends", false, &in->ends)) ||
        (st = api_json_str(r, p, r->json, "place", NULL, 0, &in->place)) ||
        (st = api_json_str(r, p, r->json, "agenda", NULL, 0, &in->agenda)) ||
        (st = api_json_int(r, p, r->json, "capacity", NULL, 0, 1, EVENT_CAPACITY_MAX,
                           &capacity)) ||
        (st = api_body_bool(r, p, "public", &in->is_public)) ||
        (st = api_json_int(r, p, r->json, "task_id", NULL, 0, 1, INT64_MAX, &task)) ||
        (st = api_json_int(r, p, r->json, "target_enterprises", NULL, 0, 0, EVENT_CAPACITY_MAX,
                           &target)))
        return st;
    in->host_side = (int)side;
    in->capacity = is_null(r, "capacity") ? 0 : capacity;
    in->task_id = is_null(r, "task_id") ? 0 : task;
    in->target_enterprises = is_null(r, "target_enterprises") ? -2 : target;
    if (is_null(r, "host_region_code"))
        in->host_region_code = "";
    if (is_null(r, "place"))
        in->place = "";
    if (is_null(r, "agenda"))
        in->agenda = "";
    if (api_body_has(r, "themes")) {
        if ((st = string_list(r, p, "themes", EVENT_THEMES_MAX, &in->themes, &in->n_themes)))
            return st;
        in->set_themes = true;
    }
    if (api_body_has(r, "unit_ids")) {
        int64_t *ids;
        if ((st = api_json_ids(r, p, r->json, "unit_ids", API_NO_NULL, EVENT_UNITS_MAX, &ids,
                               &in->n_units)))
            return st;
        in->unit_ids = ids;
        in->set_units = true;
    }
    if (api_body_has(r, "city_pairing_ids")) {
        int64_t *ids;
        if ((st = api_json_ids(r, p, r->json, "city_pairing_ids", API_NO_NULL, EVENT_CITIES_MAX,
                               &ids, &in->n_cities)))
            return st;
        in->city_pairing_ids = ids;
        in->set_cities = true;
    }
    return 0;
}

static const char *const event_fields[] = {
    "pairing_id", "kind",     "title",   "host_side", "host_region_code",   "starts",
    "ends",       "place",    "agenda",  "capacity",  "public",             "task_id",
    "target_enterprises",     "state",   "themes",    "unit_ids",           "city_pairing_ids",
    NULL};

static void input_init(struct event_input *in)
{
    memset(in, 0, sizeof *in);
    in->host_side = -1;
    in->capacity = -1;
    in->is_public = -1;
    in->task_id = -1;
    in->target_enterprises = -1;
}

/* POST /api/v1/events {"kind","title","host_side","starts","ends",…} → 201. */
int api_event_create(struct req *r, struct resp *p)
{
    struct event_input in;
    input_init(&in);
    int st;
    if ((st = api_body_fields(r, p, event_fields)) ||
        (st = api_body_int(r, p, "pairing_id", false, 1, INT64_MAX, &in.pairing_id)) ||
        (st = read_fields(r, p, &in)) || (st = api_body_str(r, p, "state", false, &in.state)))
        return st;
    if (!in.kind)
        return http_error(r, p, 422, "err_required", "kind");
    if (!in.title)
        return http_error(r, p, 422, "err_required", "title");
    if (in.host_side < 0)
        return http_error(r, p, 422, "err_required", "host_side");
    if (!in.starts)
        return http_error(r, p, 422, "err_required", "starts");
    if (!in.ends)
        return http_error(r, p, 422, "err_required", "ends");
    if (in.pairing_id && (st = api_pairing_check(r, p, in.pairing_id, "pairing_id", true)))
        return st;
    int64_t id = 0;
    int rc = event_create(&r->ctx, &in, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return event_answer(r, p, id, 201);
}

/* PATCH /api/v1/events/{id} with If-Match (428 without, 412 stale); fields left out stay. */
int api_event_edit(struct req *r, struct resp *p)
{
    struct event_input in;
    input_init(&in);
    int st;
    if ((st = api_body_fields(r, p, event_fields)))
        return st;
    if (api_body_has(r, "pairing_id"))
        return http_error(r, p, 422, "err_fixed", "pairing_id");
    if ((st = read_fields(r, p, &in)) || (st = api_body_str(r, p, "state", false, &in.state)))
        return st;
    const char *seen = event_seen(r, r->ids[0]);
    in.if_updated_at = seen ? seen : "";
    int rc = event_edit(&r->ctx, r->ids[0], &in);
    if (rc == SVC_STALE && !seen)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return event_answer(r, p, r->ids[0], 200);
}

/* PUT /api/v1/events/{id}/minutes {"minutes"} with If-Match: "" or null clears them. */
int api_event_minutes(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"minutes", NULL};
    const char *minutes = NULL;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_json_str(r, p, r->json, "minutes", NULL, API_PRESENT, &minutes)))
        return st;
    const char *seen = event_seen(r, r->ids[0]);
    int rc = event_set_minutes(&r->ctx, r->ids[0], minutes ? minutes : "", seen ? seen : "");
    if (rc == SVC_STALE && !seen)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return event_answer(r, p, r->ids[0], 200);
}

/* GET /api/v1/events/rotation?pairing= → the previous docking events (latest first) and the
 * side and city suggested for the next one. */
int api_event_rotation(struct req *r, struct resp *p)
{
    int64_t pairing;
    int st;
    if ((st = own_pairing(r, p, &pairing)))
        return st;
    struct event_rotation rot;
    int rc = event_rotation(&r->ctx, pairing, &rot);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "pairing_id", pairing);
    jw_key(&w, "previous");
    jw_arr(&w);
    for (size_t i = 0; i < rot.n_previous; i++)
        api_event_json(&w, &rot.previous[i]);
    jw_arr_end(&w);
    if (rot.suggested_side >= 0)
        jw_kint(&w, "suggested_side", rot.suggested_side);
    else
        jw_knull(&w, "suggested_side");
    jw_kstr(&w, "suggested_region_code", rot.suggested_region_code);
    jw_kstr(&w, "suggested_region_name", rot.suggested_region_name);
    jw_obj_end(&w);
    return 200;
}

/* GET /api/v1/events/themes?pairing=&year= → the year's theme industries and the plan's
 * warning on them ("每年選擇1—2個重點產業或招商主題"). The year defaults to this one. */
int api_event_themes(struct req *r, struct resp *p)
{
    int64_t pairing, year;
    int st;
    if ((st = own_pairing(r, p, &pairing)) ||
        (year = api_query_int(r, p, "year", light_this_year(), 2000, 2100, &st), st))
        return st;
    struct event_year_themes t;
    int rc = event_year_themes(&r->ctx, pairing, (int)year, &t);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "pairing_id", pairing);
    jw_kint(&w, "year", year);
    jw_key(&w, "themes");
    jw_arr(&w);
    for (size_t i = 0; i < t.n; i++) {
        jw_obj(&w);
        jw_kstr(&w, "code", t.themes[i]);
        jw_kstr(&w, "name", t.names[i]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kstr(&w, "warning", t.warning);
    jw_kstr(&w, "warning_message", t.warning ? i18n(r->lang, t.warning) : NULL);
    jw_obj_end(&w);
    return 200;
}

/* ---- registrations and check-in --------------------------------------------------------- */

static void registration_json(struct req *r, struct jw *w, const struct registration_view *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kint(w, "event_id", v->event_id);
    jw_kint(w, "number", v->number);
    opt_int(w, "enterprise_id", v->enterprise_id);
    opt_int(w, "unit_id", v->unit_id);
    jw_kint(w, "side", v->side);
    jw_kstr(w, "name", v->name);
    jw_kstr(w, "credit_code", v->credit_code);
    jw_kstr(w, "status", v->status);
    opt_int(w, "position", v->position);
    jw_kstr(w, "qr_text", registration_qr_text(&r->ctx, v->event_id, v->number));
    jw_kstr(w, "queued_at", v->queued_at);
    jw_kstr(w, "registered_by", v->registered_by);
    jw_kstr(w, "checked_in_at", v->checked_in_at);
    jw_kstr(w, "checked_in_by", v->checked_in_by);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_obj_end(w);
}

/* GET /api/v1/events/{id}/registrations → {"registrations":[…]} by number, withdrawn too. */
int api_event_registrations(struct req *r, struct resp *p)
{
    struct registration_view *v;
    size_t n;
    int rc = registration_list(&r->ctx, r->ids[0], &v, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "registrations");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        registration_json(r, &w, &v[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* {"enterprise_id"} or {"unit_id"}, exactly one: 0 with the ids set, else the 422 written. */
static int who(struct req *r, struct resp *p, int64_t *enterprise, int64_t *unit)
{
    int st;
    *enterprise = *unit = 0;
    if ((st = api_body_int(r, p, "enterprise_id", false, 1, INT64_MAX, enterprise)) ||
        (st = api_body_int(r, p, "unit_id", false, 1, INT64_MAX, unit)))
        return st;
    if (*enterprise && *unit)
        return http_error(r, p, 422, "err_invalid", "unit_id");
    if (!*enterprise && !*unit)
        return http_error(r, p, 422, "err_required", "enterprise_id");
    return 0;
}

/* POST /api/v1/events/{id}/registrations {"enterprise_id"} | {"unit_id"} → 201, registered
 * when a seat is free, else waiting with its position. */
int api_event_register(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"enterprise_id", "unit_id", NULL};
    int64_t enterprise, unit;
    int st;
    if ((st = api_body_fields(r, p, fields)) || (st = who(r, p, &enterprise, &unit)))
        return st;
    struct registration_view v;
    int rc = registration_add(&r->ctx, r->ids[0], enterprise, unit, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/registrations/%" PRId64, v.id));
    struct jw w;
    api_begin(p, &w);
    registration_json(r, &w, &v);
    return 201;
}

int api_registration(struct req *r, struct resp *p)
{
    struct registration_view v;
    int rc = registration_get(&r->ctx, r->ids[0], &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    registration_json(r, &w, &v);
    return 200;
}

/* POST /api/v1/registrations/{id}/withdraw → {"registration":…, "promoted_id": id|null}: the
 * first waiting one moved up into the seat, if any. */
int api_registration_withdraw(struct req *r, struct resp *p)
{
    int64_t promoted = 0;
    int rc = registration_withdraw(&r->ctx, r->ids[0], &promoted);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct registration_view v;
    if ((rc = registration_get(&r->ctx, r->ids[0], &v)) != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "registration");
    registration_json(r, &w, &v);
    opt_int(&w, "promoted_id", promoted);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/events/{id}/checkins {"number"} → 200 {"registration", "already"}; or
 * {"enterprise_id"} | {"unit_id"} of one not registered, at the door → 201 (409
 * err_event_full when no seat is free). */
int api_event_checkin(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"number", "enterprise_id", "unit_id", NULL};
    int64_t number = 0, enterprise = 0, unit = 0;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_int(r, p, "number", false, 1, INT64_MAX, &number)))
        return st;
    struct registration_view v;
    bool already = false;
    int rc, status;
    if (number) {
        if (api_body_has(r, "enterprise_id") || api_body_has(r, "unit_id"))
            return http_error(r, p, 422, "err_invalid",
                              api_body_has(r, "enterprise_id") ? "enterprise_id" : "unit_id");
        rc = registration_check_in(&r->ctx, r->ids[0], number, &v, &already);
        status = 200;
    } else {
        if (!api_body_has(r, "enterprise_id") && !api_body_has(r, "unit_id"))
            return http_error(r, p, 422, "err_required", "number");
        if ((st = who(r, p, &enterprise, &unit)))
            return st;
        rc = registration_walk_in(&r->ctx, r->ids[0], enterprise, unit, &v);
        status = 201;
    }
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "registration");
    registration_json(r, &w, &v);
    jw_kbool(&w, "already", already);
    jw_obj_end(&w);
    return status;
}

/* ---- outcomes ---------------------------------------------------------------------------- */

static void outcome_json(struct req *r, struct jw *w, const struct outcome_view *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kint(w, "event_id", v->event_id);
    jw_kstr(w, "kind", v->kind);
    jw_kstr(w, "title", v->title);
    jw_kint(w, "amount_yuan", v->amount_yuan);
    jw_kstr(w, "amount_wan", money_format_wan(r->arena, v->amount_yuan));
    jw_kstr(w, "industry", v->industry);
    jw_kstr(w, "industry_name", v->industry_name);
    jw_kstr(w, "description", v->description);
    opt_int(w, "project_id", v->project_id);
    if (v->project_id) {
        jw_key(w, "project");
        jw_obj(w);
        jw_kstr(w, "name", v->project_name);
        jw_kstr(w, "stage", v->project_stage);
        jw_kint(w, "invest_contracted_yuan", v->project_contracted);
        jw_kint(w, "invest_paid_yuan", v->project_paid);
        jw_obj_end(w);
    } else {
        jw_knull(w, "project");
    }
    jw_key(w, "parties");
    jw_arr(w);
    for (size_t i = 0; i < v->n_parties; i++) {
        const struct outcome_party *pt = &v->parties[i];
        jw_obj(w);
        jw_kint(w, "registration_id", pt->registration_id);
        jw_kint(w, "side", pt->side);
        opt_int(w, "enterprise_id", pt->enterprise_id);
        opt_int(w, "unit_id", pt->unit_id);
        jw_kstr(w, "name", pt->name);
        jw_kstr(w, "credit_code", pt->credit_code);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_obj_end(w);
}

/* GET /api/v1/events/{id}/outcomes → {"outcomes":[…]}, oldest first. */
int api_event_outcomes(struct req *r, struct resp *p)
{
    struct outcome_view *v;
    size_t n;
    int rc = outcome_list(&r->ctx, r->ids[0], &v, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "outcomes");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        outcome_json(r, &w, &v[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/events/{id}/outcomes {"kind","title","amount_wan"?,"industry"?,
 * "description"?,"registration_ids":[…]} → 201 with the outcome. */
int api_event_outcome_add(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"kind",        "title",           "amount_wan", "industry",
                                         "description", "registration_ids", NULL};
    struct outcome_input in = {0};
    int64_t *ids;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_str(r, p, "kind", true, &in.kind)) ||
        (st = api_body_str(r, p, "title", true, &in.title)) ||
        (st = api_json_str(r, p, r->json, "amount_wan", NULL, 0, &in.amount_wan)) ||
        (st = api_json_str(r, p, r->json, "industry", NULL, 0, &in.industry)) ||
        (st = api_json_str(r, p, r->json, "description", NULL, 0, &in.description)) ||
        (st = api_json_ids(r, p, r->json, "registration_ids", API_REQUIRED | API_NO_NULL,
                           OUTCOME_PARTIES_MAX, &ids, &in.n_parties)))
        return st;
    if (in.n_parties == 0)
        return http_error(r, p, 422, "err_required", "registration_ids");
    in.registration_ids = ids;
    int64_t id = 0;
    int rc = outcome_add(&r->ctx, r->ids[0], &in, &id);
    struct outcome_view v;
    if (rc == SVC_OK)
        rc = outcome_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    outcome_json(r, &w, &v);
    return 201;
}

/* POST /api/v1/outcomes/{id}/project → 201 {"project_id","outcome_id"}, Location the project
 * (409 err_outcome_project when it has one already). */
int api_outcome_project(struct req *r, struct resp *p)
{
    int64_t project = 0;
    int rc = outcome_to_project(&r->ctx, r->ids[0], &project);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/projects/%" PRId64, project));
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "project_id", project);
    jw_kint(&w, "outcome_id", r->ids[0]);
    jw_obj_end(&w);
    return 201;
}

/* ---- the funnel --------------------------------------------------------------------------- */

/* GET /api/v1/funnel?pairing=&year=[&event=] → {"pairing_id","year","event_id","steps":[…]}:
 * events, registered, attended, intentions, signed, started, operating, each with its count
 * and investment. Without an event the year defaults to this one. */
int api_funnel(struct req *r, struct resp *p)
{
    int st;
    int64_t event = api_query_int(r, p, "event", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    int64_t pairing = 0, year;
    if (event) {
        /* the event names its pairing; a pairing named as well must be it */
        struct event_view v;
        int rc = event_get(&r->ctx, event, &v);
        if (rc != SVC_OK)
            return http_from_service(r, p, rc);
        pairing = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st);
        if (st)
            return st;
        if (pairing && pairing != v.pairing_id)
            return http_error(r, p, 400, "err_invalid", "event");
        pairing = v.pairing_id;
        year = api_query_int(r, p, "year", 0, 2000, 2100, &st);
    } else {
        if ((st = own_pairing(r, p, &pairing)))
            return st;
        year = api_query_int(r, p, "year", light_this_year(), 2000, 2100, &st);
    }
    if (st)
        return st;
    struct funnel_step steps[FUNNEL_STEPS];
    int rc = funnel_get(&r->ctx, pairing, (int)year, event, steps);
    if (rc != SVC_OK)
        return query_refused(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "pairing_id", pairing);
    opt_int(&w, "year", year);
    opt_int(&w, "event_id", event);
    jw_key(&w, "steps");
    jw_arr(&w);
    for (int i = 0; i < FUNNEL_STEPS; i++) {
        jw_obj(&w);
        jw_kstr(&w, "key", steps[i].key);
        jw_kint(&w, "count", steps[i].count);
        jw_kint(&w, "invest_yuan", steps[i].invest_yuan);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}
