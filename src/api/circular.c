/* circular: 通报 in the API (service/circular.h). */
#include <inttypes.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/circular.h"

static void head_json(struct jw *w, const struct circular_view *v)
{
    jw_kint(w, "id", v->id);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kint(w, "side", v->side);
    jw_kint(w, "year", v->year);
    jw_kstr(w, "period", v->period[0] ? v->period : NULL);
    jw_kstr(w, "title", v->title);
    jw_kstr(w, "status", v->status);
    jw_kstr(w, "as_of", v->as_of);
    jw_kstr(w, "created_by", v->created_by);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_kstr(w, "published_at", v->published_at);
}

static int answer(struct req *r, struct resp *p, int64_t id, int status)
{
    struct circular_view v;
    int rc = circular_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    head_json(&w, &v);
    jw_kstr(&w, "body", v.body);
    jw_key(&w, "units");
    jw_arr(&w);
    for (size_t i = 0; i < v.n_rows; i++) {
        const struct circular_row *x = &v.rows[i];
        jw_obj(&w);
        jw_kint(&w, "unit_id", x->unit_id);
        jw_kstr(&w, "name", x->name);
        for (int k = 0; k < CIRCULAR_FIGURES; k++)
            jw_kint(&w, circular_figure_names[k], circular_figure(x, k));
        jw_kbool(&w, "commended", x->commended);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "total");
    jw_obj(&w);
    for (int k = 0; k < CIRCULAR_FIGURES; k++)
        jw_kint(&w, circular_figure_names[k], v.total[k]);
    jw_obj_end(&w);
    jw_obj_end(&w);
    return status;
}

/* GET /api/v1/circulars?pairing= → {"circulars":[…]}, newest first. */
int api_circulars(struct req *r, struct resp *p)
{
    int st;
    int64_t pairing = api_query_int(r, p, "pairing", r->user->pairing_id, 1, INT64_MAX, &st);
    if (st)
        return st;
    if (!pairing)
        return http_error(r, p, 400, "err_invalid", "pairing");
    struct circular_view *v;
    size_t n;
    int rc = circular_list(&r->ctx, pairing, &v, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "circulars");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        head_json(&w, &v[i]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/circulars {"pairing_id","side","year","period"?,"title"?,"body"?} → 201, drawn
 * up from the data (title and wording by default in the caller's language). */
int api_circular_create(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"pairing_id", "side",  "year", "period",
                                         "title",      "body",  NULL};
    int64_t pairing = 0, side = -1, year = 0;
    const char *period = NULL, *title = NULL, *body = NULL;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_int(r, p, "pairing_id", true, 1, INT64_MAX, &pairing)) ||
        (st = api_body_int(r, p, "side", true, 0, 1, &side)) ||
        (st = api_body_int(r, p, "year", true, 2000, 2100, &year)) ||
        (st = api_body_str(r, p, "period", false, &period)) ||
        (st = api_body_str(r, p, "title", false, &title)) ||
        (st = api_body_str(r, p, "body", false, &body)))
        return st;
    int64_t id = 0;
    int rc = circular_create(&r->ctx, pairing, (int)side, (int)year, period, r->lang, title, body,
                             &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return answer(r, p, id, 201);
}

/* GET /api/v1/circulars/{id} → the circular with its units and totals. */
int api_circular(struct req *r, struct resp *p)
{
    return answer(r, p, r->ids[0], 200);
}

/* PATCH /api/v1/circulars/{id} {"title"?,"body"?,"updated_at"?} → 200: a draft's wording;
 * updated_at, when given, must be the circular's (412 otherwise). */
int api_circular_update(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"title", "body", "updated_at", NULL};
    const char *title = NULL, *body = NULL, *seen = NULL;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_str(r, p, "title", false, &title)) ||
        (st = api_body_str(r, p, "body", false, &body)) ||
        (st = api_body_str(r, p, "updated_at", false, &seen)))
        return st;
    int rc = circular_edit(&r->ctx, r->ids[0], title, body, seen);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return answer(r, p, r->ids[0], 200);
}

/* POST /api/v1/circulars/{id}/publish → 200: both sides of the pairing read it from now on. */
int api_circular_publish(struct req *r, struct resp *p)
{
    int rc = circular_publish(&r->ctx, r->ids[0], NULL);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return answer(r, p, r->ids[0], 200);
}
