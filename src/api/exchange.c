/* exchange: 干部挂职 · 培训 · 人才交流 over the API (the rules are service/exchange.h's). ETag
 * and If-Match as for platforms: "exchange-<id>-<updated_at>". A secondment's id_number and
 * phone are members of an exchange only for those who may see them (the sending side's lead
 * office, admins); for everyone else the keys are absent. */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "service/exchange.h"

static void exchange_json(struct jw *w, const struct exchange_view *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kstr(w, "kind", exchange_kind_name(v->kind));
    jw_kstr(w, "title", v->title);
    jw_kstr(w, "person_name", v->person_name);
    if (v->personal_visible) {
        jw_kstr(w, "id_number", v->id_number);
        jw_kstr(w, "phone", v->phone);
        jw_kbool(w, "personal_unavailable", v->personal_unavailable);
    }
    if (v->from_unit_id)
        jw_kint(w, "from_unit_id", v->from_unit_id);
    else
        jw_knull(w, "from_unit_id");
    jw_kstr(w, "from_unit", v->from_unit);
    if (v->host_unit_id)
        jw_kint(w, "host_unit_id", v->host_unit_id);
    else
        jw_knull(w, "host_unit_id");
    jw_kstr(w, "host_unit", v->host_unit);
    jw_kint(w, "side", v->side);
    jw_kstr(w, "post", v->post);
    jw_kstr(w, "field", v->field);
    jw_kstr(w, "starts", v->starts);
    jw_kstr(w, "ends", v->ends);
    jw_kint(w, "year", v->year);
    jw_kstr(w, "place", v->place);
    jw_kint(w, "count_a", v->count_a);
    jw_kint(w, "count_b", v->count_b);
    jw_key(w, "names");
    jw_arr(w);
    for (size_t i = 0; i < v->n_names; i++)
        jw_str(w, v->names[i]);
    jw_arr_end(w);
    if (v->task_id) {
        jw_kint(w, "task_id", v->task_id);
        jw_kint(w, "task_number", v->task_number);
        jw_kstr(w, "task_title", v->task_title);
    } else {
        jw_knull(w, "task_id");
        jw_knull(w, "task_number");
        jw_knull(w, "task_title");
    }
    jw_kstr(w, "purpose", v->purpose);
    jw_kbool(w, "in_post", v->in_post);
    jw_kbool(w, "returning", v->returning);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_obj_end(w);
}

static const char *exchange_etag(struct req *r, const struct exchange_view *v)
{
    return arena_printf(r->arena, "\"exchange-%" PRId64 "-%s\"", v->id, v->updated_at);
}

static int exchange_answer(struct req *r, struct resp *p, int64_t id, int status)
{
    struct exchange_view v;
    int rc = exchange_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (api_etag(r, p, exchange_etag(r, &v)))
            return 304;
    } else {
        resp_header(r, p, "ETag", exchange_etag(r, &v));
    }
    if (status == 201)
        resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/exchanges/%" PRId64, id));
    struct jw w;
    api_begin(p, &w);
    exchange_json(&w, &v);
    return status;
}

/* ?pairing= checked alike on every route; 0 when absent. */
static int query_pairing(struct req *r, struct resp *p, int64_t *pairing)
{
    int st;
    *pairing = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st);
    if (!st && *pairing)
        st = api_pairing_check(r, p, *pairing, "pairing", false);
    return st;
}

/* GET /api/v1/exchanges?pairing=&year=&kind=&side=&now=1&returning=1 → {"exchanges":[…]}. */
int api_exchanges(struct req *r, struct resp *p)
{
    struct exchange_filter f = {.kind = -1, .side = -1};
    int st;
    if ((st = query_pairing(r, p, &f.pairing_id)))
        return st;
    f.year = (int)api_query_int(r, p, "year", 0, 2000, 2100, &st);
    if (st)
        return st;
    f.side = (int)api_query_int(r, p, "side", -1, 0, 1, &st);
    if (st)
        return st;
    f.now = api_query_int(r, p, "now", 0, 0, 1, &st) == 1;
    if (st)
        return st;
    f.returning = api_query_int(r, p, "returning", 0, 0, 1, &st) == 1;
    if (st)
        return st;
    const char *kind = req_query(r, "kind");
    if (kind && *kind) {
        f.kind = (int)exchange_kind_from(kind);
        if (f.kind == EXCHANGE_KIND_N)
            return http_error(r, p, 400, "err_exchange_kind", "kind");
    }
    struct exchange_view *v;
    size_t n;
    int rc = exchange_list(&r->ctx, &f, &v, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "exchanges");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        exchange_json(&w, &v[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

int api_exchange(struct req *r, struct resp *p)
{
    return exchange_answer(r, p, r->ids[0], 200);
}

/* GET /api/v1/exchanges/counts?pairing=&year= → per kind: entries and people per side, with
 * the targets of the tasks served; and the people of all kinds. */
int api_exchange_counts(struct req *r, struct resp *p)
{
    int64_t pairing;
    int st;
    if ((st = query_pairing(r, p, &pairing)))
        return st;
    int year = (int)api_query_int(r, p, "year", 0, 2000, 2100, &st);
    if (st)
        return st;
    if (!pairing && r->user->role == ROLE_ADMIN)
        return http_error(r, p, 400, "err_required", "pairing");
    struct exchange_counts cn;
    int rc = exchange_counts(&r->ctx, pairing, year, &cn);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "pairing_id", cn.pairing_id);
    jw_kint(&w, "year", cn.year);
    jw_key(&w, "kinds");
    jw_arr(&w);
    for (int k = 0; k < EXCHANGE_KIND_N; k++) {
        const struct exchange_kind_count *kc = &cn.kind[k];
        jw_obj(&w);
        jw_kstr(&w, "kind", exchange_kind_name((enum exchange_kind)k));
        jw_kint(&w, "entries", kc->entries);
        jw_kint(&w, "people_a", kc->people[0]);
        jw_kint(&w, "people_b", kc->people[1]);
        jw_key(&w, "targets");
        jw_arr(&w);
        for (size_t i = 0; i < kc->n_targets; i++) {
            const struct exchange_target *t = &kc->targets[i];
            jw_obj(&w);
            jw_kint(&w, "task_id", t->task_id);
            jw_kint(&w, "task_number", t->task_number);
            jw_kstr(&w, "text", t->text);
            if (t->min >= 0)
                jw_kint(&w, "min", t->min);
            else
                jw_knull(&w, "min");
            if (t->max >= 0)
                jw_kint(&w, "max", t->max);
            else
                jw_knull(&w, "max");
            jw_kstr(&w, "unit", t->unit);
            jw_kstr(&w, "per", t->per);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "people_a", cn.people[0]);
    jw_kint(&w, "people_b", cn.people[1]);
    jw_obj_end(&w);
    return 200;
}

/* An optional text field: absent leaves *out NULL (keeps); null is "" (clears). */
static int opt_str(struct req *r, struct resp *p, const char *key, const char **out)
{
    json_t *v = json_object_get(r->json, key);
    if (v && json_is_null(v)) {
        *out = "";
        return 0;
    }
    return api_json_str(r, p, r->json, key, NULL, 0, out);
}

/* An optional id: absent leaves *out (-1, keeps); null is 0 (clears). */
static int opt_id(struct req *r, struct resp *p, const char *key, int64_t *out)
{
    json_t *v = json_object_get(r->json, key);
    if (v && json_is_null(v)) {
        *out = 0;
        return 0;
    }
    return api_json_int(r, p, r->json, key, NULL, 0, 1, INT64_MAX, out);
}

/* The fields a create and an edit share. */
static int read_fields(struct req *r, struct resp *p, struct exchange_input *in)
{
    int st;
    int64_t side = -1;
    if ((st = api_json_str(r, p, r->json, "kind", NULL, API_NO_NULL, &in->kind)) ||
        (st = api_json_str(r, p, r->json, "title", NULL, API_NO_NULL, &in->title)) ||
        (st = api_json_str(r, p, r->json, "starts", NULL, API_NO_NULL, &in->starts)) ||
        (st = opt_str(r, p, "person_name", &in->person_name)) ||
        (st = opt_str(r, p, "id_number", &in->id_number)) ||
        (st = opt_str(r, p, "phone", &in->phone)) ||
        (st = opt_str(r, p, "post", &in->post)) ||
        (st = opt_str(r, p, "field", &in->field)) ||
        (st = opt_str(r, p, "ends", &in->ends)) ||
        (st = opt_str(r, p, "place", &in->place)) ||
        (st = opt_str(r, p, "purpose", &in->purpose)) ||
        (st = opt_id(r, p, "from_unit_id", &in->from_unit_id)) ||
        (st = opt_id(r, p, "host_unit_id", &in->host_unit_id)) ||
        (st = opt_id(r, p, "task_id", &in->task_id)) ||
        (st = api_json_int(r, p, r->json, "side", NULL, API_NO_NULL, 0, 1, &side)) ||
        (st = api_json_int(r, p, r->json, "count_a", NULL, API_NO_NULL, 0, EXCHANGE_COUNT_MAX,
                           &in->count_a)) ||
        (st = api_json_int(r, p, r->json, "count_b", NULL, API_NO_NULL, 0, EXCHANGE_COUNT_MAX,
                           &in->count_b)))
        return st;
    in->side = (int)side;
    json_t *names = json_object_get(r->json, "names");
    if (names) {
        in->set_names = true;
        if (!json_is_null(names)) {
            if (!json_is_array(names))
                return http_error(r, p, 422, "err_type", "names");
            size_t n = json_array_size(names);
            if (n > EXCHANGE_NAMES_MAX)
                return http_error(r, p, 422, "err_range", "names");
            const char **list = arena_alloc(r->arena, (n + 1) * sizeof *list);
            for (size_t i = 0; i < n; i++) {
                json_t *e = json_array_get(names, i);
                if (!json_is_string(e))
                    return http_error(r, p, 422, "err_type", "names");
                list[i] = json_string_value(e);
            }
            in->names = list;
            in->n_names = n;
        }
    }
    return 0;
}

static const char *const fields[] = {
    "pairing_id", "kind",         "title",        "person_name", "id_number", "phone",
    "from_unit_id", "host_unit_id", "side",       "post",        "field",     "starts",
    "ends",       "place",        "count_a",      "count_b",     "names",     "task_id",
    "purpose",    NULL};

/* POST /api/v1/exchanges {"kind","title","starts",…} → 201. */
int api_exchange_create(struct req *r, struct resp *p)
{
    struct exchange_input in;
    exchange_input_init(&in);
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_int(r, p, "pairing_id", false, 1, INT64_MAX, &in.pairing_id)) ||
        (st = read_fields(r, p, &in)))
        return st;
    if (!in.kind)
        return http_error(r, p, 422, "err_required", "kind");
    if (!in.title)
        return http_error(r, p, 422, "err_required", "title");
    if (!in.starts)
        return http_error(r, p, 422, "err_required", "starts");
    if (in.pairing_id && (st = api_pairing_check(r, p, in.pairing_id, "pairing_id", true)))
        return st;
    int64_t id = 0;
    int rc = exchange_create(&r->ctx, &in, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return exchange_answer(r, p, id, 201);
}

/* PATCH /api/v1/exchanges/{id} with If-Match (428 without, 412 stale). */
int api_exchange_edit(struct req *r, struct resp *p)
{
    struct exchange_input in;
    exchange_input_init(&in);
    int st;
    if ((st = api_body_fields(r, p, fields)))
        return st;
    if (api_body_has(r, "pairing_id"))
        return http_error(r, p, 422, "err_fixed", "pairing_id");
    if ((st = read_fields(r, p, &in)))
        return st;
    const char *seen = api_if_match(r, "exchange", r->ids[0]);
    in.if_updated_at = seen ? seen : "";
    int rc = exchange_edit(&r->ctx, r->ids[0], &in);
    if (rc == SVC_STALE && !seen)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return exchange_answer(r, p, r->ids[0], 200);
}
