/* report: 进展报告 over the API — a member of the owner unit submits, a coordinator of the
 * owner's side accepts or returns (with a comment), and the queue of pending reports shows
 * each beside the one before it. Reports never change; a correction is a new report. */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/report.h"

void api_report_json(struct jw *w, const struct report_view *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kint(w, "work_item_id", v->work_item_id);
    jw_kstr(w, "item_title", v->item_title);
    jw_key(w, "unit");
    jw_obj(w);
    jw_kint(w, "id", v->unit_id);
    jw_kstr(w, "name", v->unit_name);
    jw_obj_end(w);
    jw_kstr(w, "period", v->period);
    jw_kstr(w, "status", v->status);
    jw_kint(w, "percent", v->percent);
    jw_kstr(w, "narrative", v->narrative);
    jw_key(w, "figures");
    jw_arr(w);
    for (size_t i = 0; i < v->n_figures; i++) {
        jw_obj(w);
        jw_kstr(w, "name", v->figures[i].name);
        jw_kint(w, "value", v->figures[i].value);
        jw_kstr(w, "unit", v->figures[i].unit);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    if (v->supersedes_id)
        jw_kint(w, "supersedes_id", v->supersedes_id);
    else
        jw_knull(w, "supersedes_id");
    jw_key(w, "submitted_by");
    jw_obj(w);
    jw_kint(w, "id", v->submitted_by);
    jw_kstr(w, "login", v->submitted_by_login);
    jw_obj_end(w);
    jw_kstr(w, "at", v->at);
    jw_kbool(w, "latest", v->latest);
    jw_key(w, "review");
    if (v->decision) {
        jw_obj(w);
        jw_kstr(w, "decision", v->decision);
        jw_key(w, "reviewer");
        jw_obj(w);
        jw_kint(w, "id", v->reviewer_id);
        jw_kstr(w, "login", v->reviewer_login);
        jw_obj_end(w);
        jw_kstr(w, "comment", v->comment);
        jw_kstr(w, "at", v->reviewed_at);
        jw_obj_end(w);
    } else {
        jw_null(w); /* pending */
    }
    jw_obj_end(w);
}

/* Writes report id as it is now; status is the success status. */
static int respond_report(struct req *r, struct resp *p, int64_t id, int status)
{
    struct report_view v;
    int rc = report_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    api_report_json(&w, &v);
    return status;
}

/* The figures of a body: [{"name":…, "value":integer, "unit"?:…}], at most
 * REPORT_MAX_FIGURES. */
static int figures_input(struct req *r, struct resp *p, struct report_input *in)
{
    json_t *a = json_object_get(r->json, "figures");
    if (!a || json_is_null(a))
        return 0;
    if (!json_is_array(a))
        return http_error(r, p, 422, "err_type", "figures");
    size_t n = json_array_size(a);
    if (n > REPORT_MAX_FIGURES)
        return http_error(r, p, 422, "err_range", "figures");
    struct report_figure *f = arena_alloc(r->arena, (n + 1) * sizeof *f);
    for (size_t i = 0; i < n; i++) {
        static const char *const keys[] = {"name", "value", "unit", NULL};
        json_t *e = json_array_get(a, i);
        int st = api_json_object(r, p, e, arena_printf(r->arena, "figures[%zu]", i), keys);
        if (st)
            return st;
        int64_t value = 0;
        if ((st = api_json_str(r, p, e, "name", arena_printf(r->arena, "figures[%zu].name", i),
                               API_REQUIRED, &f[i].name)) ||
            (st = api_json_int(r, p, e, "value", arena_printf(r->arena, "figures[%zu].value", i),
                               API_REQUIRED, INT64_MIN, INT64_MAX, &value)) ||
            (st = api_json_str(r, p, e, "unit", arena_printf(r->arena, "figures[%zu].unit", i),
                               0, &f[i].unit)))
            return st;
        f[i].value = value;
    }
    in->figures = f;
    in->n_figures = n;
    return 0;
}

/* POST /api/v1/work-items/{id}/reports {"period","status","percent","narrative","figures"?}
 * → 201, the report, Location. */
int api_report_submit(struct req *r, struct resp *p)
{
    struct report_input in = {.work_item_id = r->ids[0]};
    int64_t percent = 0;
    static const char *const keys[] = {"period", "status", "percent", "narrative", "figures",
                                       "correction", NULL};
    int st;
    if ((st = api_json_object(r, p, r->json, NULL, keys)) ||
        (st = api_json_str(r, p, r->json, "period", NULL, API_REQUIRED, &in.period)) ||
        (st = api_json_str(r, p, r->json, "status", NULL, API_REQUIRED, &in.status)) ||
        (st = api_json_int(r, p, r->json, "percent", NULL, API_REQUIRED, 0, 100, &percent)) ||
        (st = api_json_str(r, p, r->json, "narrative", NULL, API_REQUIRED, &in.narrative)) ||
        (st = figures_input(r, p, &in)))
        return st;
    /* optional: false refuses to replace an accepted report (409), absent or true let it */
    json_t *corr = json_object_get(r->json, "correction");
    if (corr && !json_is_null(corr)) {
        if (!json_is_boolean(corr))
            return http_error(r, p, 422, "err_type", "correction");
        in.correction = json_is_true(corr) ? REPORT_CORRECTION_YES : REPORT_CORRECTION_NO;
    }
    in.percent = (int)percent;
    int64_t id = 0;
    int rc = report_submit(&r->ctx, &in, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/reports/%" PRId64, id));
    return respond_report(r, p, id, 201);
}

/* GET /api/v1/reports/{id}: one report with its figures and review. */
int api_report(struct req *r, struct resp *p)
{
    return respond_report(r, p, r->ids[0], 200);
}

/* GET /api/v1/reviews/pending?after=&limit=&unit=&task=&period= → {"pending":[{"report":…,
 * "previous":…|null}], "next_after":id|null, "pending_total", "pending_by_unit"}, oldest first: the caller's review queue (a member: its own unit's
 * reports still awaiting review). */
int api_reviews_pending(struct req *r, struct resp *p)
{
    int st;
    int64_t after = api_query_int(r, p, "after", 0, 0, INT64_MAX, &st);
    if (st)
        return st;
    int64_t limit = api_query_int(r, p, "limit", REPORT_PAGE_DEFAULT, 1, REPORT_PAGE_MAX, &st);
    if (st)
        return st;
    struct report_filter f = {0};
    f.unit_id = api_query_int(r, p, "unit", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    f.task_id = api_query_int(r, p, "task", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    f.period = req_query(r, "period");
    if (f.period && !report_period_ok(f.period))
        return http_error(r, p, 400, "err_range", "period");
    struct report_pending_page page;
    int rc = report_pending_filtered(&r->ctx, &f, after, (int)limit, &page);
    struct report_pending_counts counts;
    if (rc == SVC_OK)
        rc = report_pending_counts(&r->ctx, &counts);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "pending");
    jw_arr(&w);
    for (size_t i = 0; i < page.n; i++) {
        jw_obj(&w);
        jw_key(&w, "report");
        api_report_json(&w, &page.items[i].report);
        jw_key(&w, "previous");
        if (page.items[i].previous)
            api_report_json(&w, page.items[i].previous);
        else
            jw_null(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    api_next_after(&w, page.more ? page.next_after : 0);
    /* the whole window's counts, whatever the filter: what is left per unit */
    jw_kint(&w, "pending_total", counts.total);
    jw_key(&w, "pending_by_unit");
    jw_arr(&w);
    for (size_t i = 0; i < counts.n_units; i++) {
        jw_obj(&w);
        jw_kint(&w, "unit_id", counts.units[i].id);
        jw_kstr(&w, "unit_name", counts.units[i].name);
        jw_kint(&w, "pending", counts.units[i].pending);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/reports/{id}/review {"decision":"accepted"|"returned","comment"} → 201, the
 * report with its review, Location of the report. */
int api_report_review(struct req *r, struct resp *p)
{
    const char *decision = NULL, *comment = NULL;
    static const char *const keys[] = {"decision", "comment", NULL};
    int st;
    if ((st = api_json_object(r, p, r->json, NULL, keys)) ||
        (st = api_json_str(r, p, r->json, "decision", NULL, API_REQUIRED, &decision)) ||
        (st = api_json_str(r, p, r->json, "comment", NULL, 0, &comment)))
        return st;
    bool accept = strcmp(decision, "accepted") == 0;
    if (!accept && strcmp(decision, "returned") != 0)
        return http_error(r, p, 422, "err_invalid", "decision");
    int rc = report_review(&r->ctx, r->ids[0], accept, comment);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/reports/%" PRId64, r->ids[0]));
    return respond_report(r, p, r->ids[0], 201);
}
