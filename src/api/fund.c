/* fund: 专项工作经费 and 产业投资基金 over the API (the rules are service/fund.h's). Amounts as
 * …_yuan integers or …_wan 万元 text (api_body_amount). */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "service/fund.h"

static void work_fund_json(struct jw *w, const struct work_fund *f)
{
    jw_obj(w);
    jw_kint(w, "side", f->side);
    if (f->id)
        jw_kint(w, "id", f->id);
    else
        jw_knull(w, "id");
    jw_kint(w, "budget_yuan", f->budget);
    jw_kint(w, "allocated_yuan", f->allocated);
    jw_kint(w, "spent_yuan", f->spent);
    jw_kstr(w, "doc_no", f->doc_no);
    jw_key(w, "allocations");
    jw_arr(w);
    for (size_t i = 0; i < f->n_allocations; i++) {
        const struct fund_allocation *a = &f->allocations[i];
        jw_obj(w);
        jw_kint(w, "id", a->id);
        if (a->work_item_id)
            jw_kint(w, "work_item_id", a->work_item_id);
        else
            jw_knull(w, "work_item_id");
        if (a->project_id)
            jw_kint(w, "project_id", a->project_id);
        else
            jw_knull(w, "project_id");
        jw_kstr(w, "target", a->target);
        jw_kstr(w, "purpose", a->purpose);
        jw_kint(w, "amount_yuan", a->amount);
        jw_kint(w, "spent_yuan", a->spent);
        jw_kstr(w, "doc_no", a->doc_no);
        jw_kstr(w, "updated_at", a->updated_at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

/* GET /api/v1/funds?pairing=&year= → the pairing's year: both sides' work funds with their
 * allocations, the industry funds with their investments, and the totals. */
int api_funds(struct req *r, struct resp *p)
{
    int st;
    int64_t pairing = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    int64_t year = api_query_int(r, p, "year", 0, 2000, 2100, &st);
    if (st)
        return st;
    if (!year)
        return http_error(r, p, 400, "err_required", "year");
    if (pairing && (st = api_pairing_check(r, p, pairing, "pairing", true)))
        return st;
    struct fund_year fy;
    int rc = fund_year_get(&r->ctx, pairing, (int)year, &fy);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "pairing_id", fy.pairing_id);
    jw_kint(&w, "year", fy.year);
    jw_key(&w, "work_funds");
    jw_arr(&w);
    for (int k = 0; k < 2; k++)
        work_fund_json(&w, &fy.sides[k]);
    jw_arr_end(&w);
    jw_key(&w, "industry_funds");
    jw_arr(&w);
    for (size_t i = 0; i < fy.n_funds; i++) {
        const struct industry_fund *f = &fy.funds[i];
        jw_obj(&w);
        jw_kint(&w, "id", f->id);
        jw_kstr(&w, "name", f->name);
        jw_kint(&w, "size_yuan", f->size);
        jw_kstr(&w, "managers", f->managers);
        jw_kint(&w, "invested_yuan", f->invested);
        jw_kint(&w, "invested_in_year_yuan", f->invested_in_year);
        jw_key(&w, "investments");
        jw_arr(&w);
        for (size_t k = 0; k < f->n_investments; k++) {
            jw_obj(&w);
            jw_kint(&w, "id", f->investments[k].id);
            jw_kint(&w, "project_id", f->investments[k].project_id);
            jw_kstr(&w, "project", f->investments[k].project);
            jw_kint(&w, "amount_yuan", f->investments[k].amount);
            jw_kstr(&w, "on_date", f->investments[k].on_date);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "invested_in_year_yuan", fy.invested_in_year);
    jw_obj_end(&w);
    return 200;
}

/* An answer {"id": …} with status. */
static int id_answer(struct resp *p, int64_t id, int status)
{
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_obj_end(&w);
    return status;
}

/* PUT /api/v1/work-funds {"year", "budget_yuan"|"budget_wan", "doc_no"?, "pairing_id"?,
 * "side"?} → 200 {"id"}: a side's budget for the year, set or replaced. */
int api_work_fund_put(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"pairing_id", "side",  "year", "budget_yuan",
                                         "budget_wan", "doc_no", NULL};
    int64_t pairing = 0, side = -1, year = 0, budget = -1;
    const char *doc = NULL;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_int(r, p, "pairing_id", false, 1, INT64_MAX, &pairing)) ||
        (st = api_body_int(r, p, "side", false, 0, 1, &side)) ||
        (st = api_body_int(r, p, "year", true, 2000, 2100, &year)) ||
        (st = api_body_amount(r, p, "budget", &budget)) ||
        (st = api_body_str(r, p, "doc_no", false, &doc)))
        return st;
    if (budget < 0)
        return http_error(r, p, 422, "err_required", "budget_yuan");
    if (pairing && (st = api_pairing_check(r, p, pairing, "pairing_id", true)))
        return st;
    int64_t id = 0;
    int rc = work_fund_set(&r->ctx, pairing, (int)side, (int)year, budget, doc, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return id_answer(p, id, 200);
}

static const char *const allocation_fields[] = {
    "work_item_id", "project_id", "purpose", "amount_yuan", "amount_wan", "spent_yuan",
    "spent_wan", "doc_no", NULL};

/* POST /api/v1/work-funds/{id}/allocations → 201 {"id"}. */
int api_work_fund_allocate(struct req *r, struct resp *p)
{
    struct fund_allocation_input in = {.amount = -1, .spent = -1};
    int st;
    if ((st = api_body_fields(r, p, allocation_fields)) ||
        (st = api_body_int(r, p, "work_item_id", false, 1, INT64_MAX, &in.work_item_id)) ||
        (st = api_body_int(r, p, "project_id", false, 1, INT64_MAX, &in.project_id)) ||
        (st = api_body_str(r, p, "purpose", false, &in.purpose)) ||
        (st = api_body_amount(r, p, "amount", &in.amount)) ||
        (st = api_body_amount(r, p, "spent", &in.spent)) ||
        (st = api_body_str(r, p, "doc_no", false, &in.doc_no)))
        return st;
    if (in.amount < 0)
        return http_error(r, p, 422, "err_required", "amount_yuan");
    int64_t id = 0;
    int rc = work_fund_allocate(&r->ctx, r->ids[0], &in, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return id_answer(p, id, 201);
}

/* PATCH /api/v1/work-fund-allocations/{id} {"amount_…"?, "spent_…"?, "doc_no"?} (If-Match
 * "work_fund_allocation-<id>-<updated_at>" when sent) → 200 {"id"}. */
int api_work_fund_allocation_edit(struct req *r, struct resp *p)
{
    struct fund_allocation_input in = {.amount = -1, .spent = -1};
    int st;
    if ((st = api_body_fields(r, p, allocation_fields)))
        return st;
    static const char *const fixed[] = {"work_item_id", "project_id", "purpose", NULL};
    for (int i = 0; fixed[i]; i++)
        if (api_body_has(r, fixed[i]))
            return http_error(r, p, 422, "err_fixed", fixed[i]);
    if ((st = api_body_amount(r, p, "amount", &in.amount)) ||
        (st = api_body_amount(r, p, "spent", &in.spent)) ||
        (st = api_body_str(r, p, "doc_no", false, &in.doc_no)))
        return st;
    in.if_updated_at = api_if_match(r, "work_fund_allocation", r->ids[0]);
    int rc = work_fund_allocation_edit(&r->ctx, r->ids[0], &in);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return id_answer(p, r->ids[0], 200);
}

/* POST /api/v1/industry-funds {"name", "size_yuan"|"size_wan", "managers"?, "pairing_id"?}
 * → 201 {"id"}. */
int api_industry_fund_create(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"pairing_id", "name", "size_yuan", "size_wan",
                                         "managers", NULL};
    int64_t pairing = 0, size = -1;
    const char *name = NULL, *managers = NULL;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_int(r, p, "pairing_id", false, 1, INT64_MAX, &pairing)) ||
        (st = api_body_str(r, p, "name", true, &name)) ||
        (st = api_body_amount(r, p, "size", &size)) ||
        (st = api_body_str(r, p, "managers", false, &managers)))
        return st;
    if (size < 0)
        return http_error(r, p, 422, "err_required", "size_yuan");
    if (pairing && (st = api_pairing_check(r, p, pairing, "pairing_id", true)))
        return st;
    int64_t id = 0;
    int rc = industry_fund_create(&r->ctx, pairing, name, size, managers, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return id_answer(p, id, 201);
}

/* POST /api/v1/industry-funds/{id}/investments {"project_id", "amount_…", "on_date"?} → 201. */
int api_industry_fund_invest(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"project_id", "amount_yuan", "amount_wan", "on_date",
                                         NULL};
    int64_t project = 0, amount = -1;
    const char *on = NULL;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_int(r, p, "project_id", true, 1, INT64_MAX, &project)) ||
        (st = api_body_amount(r, p, "amount", &amount)) ||
        (st = api_body_str(r, p, "on_date", false, &on)))
        return st;
    if (amount < 0)
        return http_error(r, p, 422, "err_required", "amount_yuan");
    int64_t id = 0;
    int rc = industry_fund_invest(&r->ctx, r->ids[0], project, amount, on, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return id_answer(p, id, 201);
}
