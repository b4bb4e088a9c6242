/* evaluation: 考核评估 over the API (the rules are service/evaluation.h's). An evaluation's
 * ETag is "evaluation-<id>-<updated_at>", as for notices and platforms: GET answers 304 on a
 * match, PUT …/indicators checks If-Match when it is sent (412 when stale). Hand scores
 * travel as {"KEY": 0–100} and become the service's array in indicator order (-1 absent). */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "service/evaluation.h"

/* {"KEY": n, …} for the indicators that have a score (-1: none). */
static void scores_json(struct jw *w, const char *key, const struct evaluation_view *v,
                        const int *s)
{
    jw_key(w, key);
    jw_obj(w);
    for (size_t k = 0; s && k < v->n_indicators; k++)
        if (s[k] >= 0)
            jw_kint(w, v->indicators[k].key, s[k]);
    jw_obj_end(w);
}

/* A draft has no side rows yet: its sides have no stage. */
static void stage_json(struct jw *w, const struct evaluation_view *v, int s)
{
    if (strcmp(v->state, "draft") == 0)
        jw_knull(w, "stage");
    else
        jw_kstr(w, "stage", evaluation_stage_name(v->sides[s].stage));
}

static void head_json(struct jw *w, const struct evaluation_view *v)
{
    jw_kint(w, "id", v->id);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_key(w, "pairing");
    jw_arr(w);
    jw_str(w, v->name_a);
    jw_str(w, v->name_b);
    jw_arr_end(w);
    jw_kint(w, "year", v->year);
    jw_kstr(w, "state", v->state);
}

void api_evaluation_json(struct jw *w, const struct evaluation_view *v,
                         const struct evaluation_scores *s)
{
    jw_obj(w);
    head_json(w, v);
    evaluation_indicators_json(w, v);
    jw_key(w, "sides");
    jw_arr(w);
    for (int s2 = 0; s2 < 2; s2++) {
        const struct evaluation_side *x = &v->sides[s2];
        jw_obj(w);
        jw_kint(w, "side", s2);
        stage_json(w, v, s2);
        /* the self-evaluation's evidence files: attachments of object evaluation_side */
        if (x->row_id)
            jw_kint(w, "evidence_object_id", x->row_id);
        else
            jw_knull(w, "evidence_object_id");
        jw_kbool(w, "self_visible", x->self_visible);
        jw_kstr(w, "self_text", x->self_text);
        scores_json(w, "self_scores", v, x->self_scores);
        jw_kstr(w, "opinion_text", x->opinion_text);
        scores_json(w, "opinion_scores", v, x->opinion_scores);
        scores_json(w, "final_scores", v, x->final_scores);
        jw_kstr(w, "summary", x->summary);
        jw_kstr(w, "confirmed_by", x->confirmed_by);
        jw_kstr(w, "confirmed_at", x->confirmed_at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "steps");
    jw_arr(w);
    for (size_t i = 0; i < v->n_steps; i++) {
        const struct evaluation_step *x = &v->steps[i];
        jw_obj(w);
        jw_kint(w, "id", x->id);
        if (x->side >= 0)
            jw_kint(w, "side", x->side);
        else
            jw_knull(w, "side");
        jw_kstr(w, "action", x->action);
        jw_kstr(w, "text", x->text);
        jw_kstr(w, "by", x->by);
        jw_kstr(w, "at", x->at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "commended");
    jw_arr(w);
    for (size_t i = 0; i < v->n_commended; i++)
        jw_int(w, v->commended[i]);
    jw_arr_end(w);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_kstr(w, "opened_at", v->opened_at);
    jw_kstr(w, "closed_at", v->closed_at);
    if (s) {
        jw_key(w, "scores");
        jw_obj(w);
        evaluation_scores_json(w, s);
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

static const char *evaluation_etag(struct req *r, const struct evaluation_view *v)
{
    return arena_printf(r->arena, "\"evaluation-%" PRId64 "-%s\"", v->id, v->updated_at);
}

/* The evaluation as the caller may see it now, with its ETag (and after a create its
 * Location); status is the success status. */
static int answer(struct req *r, struct resp *p, int64_t id, int status)
{
    struct evaluation_view v;
    int rc = evaluation_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (api_etag(r, p, evaluation_etag(r, &v)))
            return 304;
    } else {
        resp_header(r, p, "ETag", evaluation_etag(r, &v));
    }
    if (status == 201)
        resp_header(r, p, "Location",
                    arena_printf(r->arena, "/api/v1/evaluations/%" PRId64, id));
    struct jw w;
    api_begin(p, &w);
    api_evaluation_json(&w, &v, NULL);
    return status;
}

/* GET /api/v1/evaluations?pairing= → {"evaluations":[…]}, newest year first; the caller's
 * pairing by default. */
int api_evaluations(struct req *r, struct resp *p)
{
    int st;
    int64_t pairing = api_query_int(r, p, "pairing", r->user->pairing_id, 1, INT64_MAX, &st);
    if (st)
        return st;
    if (!pairing)
        return http_error(r, p, 400, "err_invalid", "pairing");
    if ((st = api_pairing_check(r, p, pairing, "pairing", false)))
        return st;
    struct evaluation_view *v;
    size_t n;
    int rc = evaluation_list(&r->ctx, pairing, &v, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "evaluations");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        head_json(&w, &v[i]);
        jw_key(&w, "sides");
        jw_arr(&w);
        for (int s = 0; s < 2; s++) {
            jw_obj(&w);
            jw_kint(&w, "side", s);
            stage_json(&w, &v[i], s);
            jw_kstr(&w, "confirmed_at", v[i].sides[s].confirmed_at);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_kstr(&w, "updated_at", v[i].updated_at);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/evaluations {"pairing_id","year"} → 201, a draft with the default indicators
 * in the request's language; 409 err_evaluation_exists when the year has one. */
int api_evaluation_create(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"pairing_id", "year", NULL};
    int64_t pairing = 0, year = 0;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_int(r, p, "pairing_id", true, 1, INT64_MAX, &pairing)) ||
        (st = api_body_int(r, p, "year", true, 2000, 2100, &year)))
        return st;
    /* as on every route: an unknown pairing is 404 to an admin, 403 to the others */
    if ((st = api_pairing_check(r, p, pairing, "pairing_id", false)))
        return st;
    int64_t id = 0;
    int rc = evaluation_create(&r->ctx, pairing, (int)year, r->lang, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return answer(r, p, id, 201);
}

/* GET /api/v1/evaluations/{id} → the evaluation (ETag; 304 on a match). */
int api_evaluation(struct req *r, struct resp *p)
{
    return answer(r, p, r->ids[0], 200);
}

/* PUT /api/v1/evaluations/{id}/indicators {"indicators":[{key,name,weight,method,evidence?}]}
 * → 200: a draft's indicators replaced. If-Match checked when sent. */
int api_evaluation_indicators(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"indicators", NULL};
    static const char *const keys[] = {"key", "name", "weight", "method", "evidence", NULL};
    /* 404 and 403 before any complaint about the body: the service checks it first */
    struct evaluation_view v;
    int rc = evaluation_get(&r->ctx, r->ids[0], &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    int st;
    if ((st = api_body_fields(r, p, fields)))
        return st;
    json_t *a = json_object_get(r->json, "indicators");
    if (!a || json_is_null(a))
        return http_error(r, p, 422, "err_required", "indicators");
    if (!json_is_array(a))
        return http_error(r, p, 422, "err_type", "indicators");
    size_t n = json_array_size(a);
    if (n == 0 || n > EVALUATION_INDICATORS_MAX)
        return http_error(r, p, 422, "err_evaluation_indicator", "indicators");
    struct evaluation_indicator *in = arena_alloc(r->arena, n * sizeof *in);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(a, i);
        const char *name = arena_printf(r->arena, "indicators[%zu]", i);
#define F(k) arena_printf(r->arena, "%s." k, name)
        const char *method = NULL;
        int64_t weight = 0;
        if ((st = api_json_object(r, p, e, name, keys)) ||
            (st = api_json_str(r, p, e, "key", F("key"), API_REQUIRED, &in[i].key)) ||
            (st = api_json_str(r, p, e, "name", F("name"), API_REQUIRED, &in[i].name)) ||
            (st = api_json_int(r, p, e, "weight", F("weight"), API_REQUIRED, 0, 100, &weight)) ||
            (st = api_json_str(r, p, e, "method", F("method"), API_REQUIRED, &method)) ||
            (st = api_json_str(r, p, e, "evidence", F("evidence"), 0, &in[i].evidence)))
            return st;
#undef F
        in[i].weight = (int)weight;
        in[i].method = evaluation_method_from(method); /* EM_N: the service names the field */
    }
    rc = evaluation_set_indicators(&r->ctx, r->ids[0], in, n,
                                   api_if_match(r, "evaluation", r->ids[0]));
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return answer(r, p, r->ids[0], 200);
}

/* POST /api/v1/evaluations/{id}/open → 200: draft → open, its indicators locked. */
int api_evaluation_open(struct req *r, struct resp *p)
{
    int rc = evaluation_open(&r->ctx, r->ids[0]);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return answer(r, p, r->ids[0], 200);
}

/* scores {"KEY": 0–100 | null} into one int per indicator of v (-1 where absent). A key the
 * evaluation lacks, or one that is computed rather than scored by hand, is refused rather
 * than dropped, so a misspelt key never loses a score. */
static int scores_input(struct req *r, struct resp *p, const struct evaluation_view *v,
                        json_t *o, int **out)
{
    *out = NULL;
    if (!o || json_is_null(o))
        return 0;
    if (!json_is_object(o))
        return http_error(r, p, 422, "err_type", "scores");
    int *s = arena_alloc(r->arena, (v->n_indicators + 1) * sizeof *s);
    for (size_t k = 0; k < v->n_indicators; k++)
        s[k] = -1;
    const char *key;
    json_t *x;
    json_object_foreach(o, key, x)
    {
        const char *field = arena_printf(r->arena, "scores.%s", key);
        size_t k = 0;
        while (k < v->n_indicators && strcmp(v->indicators[k].key, key) != 0)
            k++;
        if (k == v->n_indicators)
            return http_error(r, p, 422, "err_unknown_field", field);
        if (v->indicators[k].method != EM_HAND)
            return http_error(r, p, 422, "err_evaluation_not_hand", field);
        if (json_is_null(x))
            continue;
        if (!json_is_integer(x))
            return http_error(r, p, 422, "err_type", field);
        json_int_t n = json_integer_value(x);
        if (n < 0 || n > 100)
            return http_error(r, p, 422, "err_evaluation_score", field);
        s[k] = (int)n;
    }
    *out = s;
    return 0;
}

/* POST /api/v1/evaluations/{id}/steps {"action","side"?,"text"?,"scores"?,"to_stage"?} → 200:
 * save, self, opinion, return (text: the reason), confirm, summary. */
int api_evaluation_step(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"action", "side", "text", "reason", "scores",
                                         "to_stage", NULL};
    struct evaluation_action a = {.side = -1, .to_stage = ES_SELF};
    const char *reason = NULL, *to = NULL;
    int64_t side = -1;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_str(r, p, "action", true, &a.action)) ||
        (st = api_body_int(r, p, "side", false, 0, 1, &side)) ||
        (st = api_body_str(r, p, "text", false, &a.text)) ||
        (st = api_body_str(r, p, "reason", false, &reason)) ||
        (st = api_body_str(r, p, "to_stage", false, &to)))
        return st;
    a.side = (int)side;
    bool ret = strcmp(a.action, "return") == 0;
    if (reason && !ret)
        return http_error(r, p, 422, "err_unknown_field", "reason");
    if (reason && a.text)
        return http_error(r, p, 422, "err_invalid", "reason");
    if (reason)
        a.text = reason;
    if (to && strcmp(to, "self") == 0)
        a.to_stage = ES_SELF;
    else if (to && strcmp(to, "opinion") == 0)
        a.to_stage = ES_OPINION;
    else if (to)
        return http_error(r, p, 422, "err_invalid", "to_stage");
    /* the indicators, to map the scores' keys (and 404/403 before any other answer) */
    struct evaluation_view v;
    int rc = evaluation_get(&r->ctx, r->ids[0], &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    int *scores;
    if ((st = scores_input(r, p, &v, json_object_get(r->json, "scores"), &scores)))
        return st;
    a.scores = scores;
    /* a leadership's return (not the opinion's) must say where the side goes back to */
    if (ret && !to && strcmp(v.state, "open") == 0 && v.sides[0].stage == ES_FINAL &&
        v.sides[1].stage == ES_FINAL)
        return http_error(r, p, 422, "err_required", "to_stage");
    rc = evaluation_step(&r->ctx, r->ids[0], &a);
    if (rc == SVC_INVALID && r->ctx.field && strcmp(r->ctx.field, "reason") == 0 && !reason)
        r->ctx.field = "text"; /* the service names a return's text "reason" */
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return answer(r, p, r->ids[0], 200);
}

/* POST /api/v1/evaluations/{id}/commendations {"unit_ids":[…]} → 200: the commendation list
 * (通报表扬) of a closed evaluation, replaced; every unit among the ranking's first ten. */
int api_evaluation_commend(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"unit_ids", NULL};
    int64_t *ids;
    size_t n;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_json_ids(r, p, r->json, "unit_ids", API_REQUIRED, API_PAGE_MAX, &ids, &n)))
        return st;
    int rc = evaluation_commend(&r->ctx, r->ids[0], ids, n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return answer(r, p, r->ids[0], 200);
}

/* GET /api/v1/evaluations/{id}/scores → {"as_of","frozen","sides","scores","cities"}: live
 * until the evaluation closes, its stored figures after. */
int api_evaluation_scores(struct req *r, struct resp *p)
{
    struct evaluation_view v;
    int rc = evaluation_get(&r->ctx, r->ids[0], &v);
    struct evaluation_scores s;
    if (rc == SVC_OK)
        rc = evaluation_scores(&r->ctx, &v, &s);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    evaluation_scores_json(&w, &s);
    jw_obj_end(&w);
    return 200;
}
