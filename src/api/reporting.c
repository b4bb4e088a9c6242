/* reporting: the reporting calendar as JSON — who reported which period of a pairing's work
 * plan, and the plan's cycle (service/reporting.h). */
#include <inttypes.h>

#include "api/api.h"
#include "core/json.h"
#include "service/light.h"
#include "service/notification.h"
#include "service/reporting.h"

static void period_json(struct jw *w, const struct reporting_period *p)
{
    jw_obj(w);
    jw_kstr(w, "period", p->name);
    jw_kstr(w, "start", p->start);
    jw_kstr(w, "end", p->end);
    jw_kstr(w, "due", p->due);
    jw_obj_end(w);
}

static void counts_json(struct jw *w, const struct reporting_cell *cell)
{
    for (int s = RS_DUE; s < RS_N; s++)
        jw_kint(w, reporting_state_name((enum report_state)s), cell->count[s]);
}

/* GET /api/v1/reporting?pairing=ID&year=YYYY&side=0|1&unit=ID (year: this year in China;
 * side, unit: every one) → the periods begun, and per unit and period the count of its
 * items in each state, with every item's states. */
int api_reporting(struct req *r, struct resp *p)
{
    int st;
    int64_t pairing = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    if (!pairing)
        return http_error(r, p, 400, "err_required", "pairing");
    int64_t year = api_query_int(r, p, "year", 0, 2000, 2100, &st);
    if (st)
        return st;
    int64_t side = api_query_int(r, p, "side", -1, 0, 1, &st);
    if (st)
        return st;
    int64_t unit = api_query_int(r, p, "unit", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    if ((st = api_pairing_check(r, p, pairing, "pairing", true)))
        return st;
    struct reporting_grid g;
    int rc = reporting_grid(&r->ctx, pairing, year ? (int)year : light_this_year(), (int)side, unit,
                            &g);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "pairing_id", pairing);
    jw_kint(&w, "year", g.year);
    jw_kstr(&w, "today", g.today);
    if (!g.work_plan_id) {
        jw_knull(&w, "work_plan_id");
        jw_key(&w, "periods");
        jw_arr(&w);
        jw_arr_end(&w);
        jw_key(&w, "units");
        jw_arr(&w);
        jw_arr_end(&w);
        jw_obj_end(&w);
        return 200;
    }
    jw_kint(&w, "work_plan_id", g.work_plan_id);
    jw_kstr(&w, "cycle", g.quarterly ? "quarterly" : "monthly");
    jw_kint(&w, "due_day", g.due_day);
    if (g.current < g.n_periods)
        jw_kstr(&w, "current", g.periods[g.current].name);
    else
        jw_knull(&w, "current");
    jw_key(&w, "periods");
    jw_arr(&w);
    for (size_t i = 0; i < g.n_periods; i++)
        period_json(&w, &g.periods[i]);
    jw_arr_end(&w);
    jw_key(&w, "units");
    jw_arr(&w);
    size_t item = 0;
    for (size_t u = 0; u < g.n_units; u++) {
        const struct reporting_unit_row *row = &g.units[u];
        jw_obj(&w);
        jw_kint(&w, "unit_id", row->unit_id);
        jw_kstr(&w, "name", row->name);
        jw_kint(&w, "side", row->side);
        jw_kint(&w, "missing", row->missing);
        jw_key(&w, "cells");
        jw_arr(&w);
        for (size_t k = 0; k < g.n_periods; k++) {
            jw_obj(&w);
            jw_kstr(&w, "period", g.periods[k].name);
            counts_json(&w, &row->cells[k]);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_key(&w, "items");
        jw_arr(&w);
        for (; item < g.n_items && g.items[item].unit_id == row->unit_id; item++) {
            const struct reporting_item_row *it = &g.items[item];
            jw_obj(&w);
            jw_kint(&w, "id", it->item_id);
            jw_kstr(&w, "title", it->title);
            jw_kstr(&w, "due", it->due);
            jw_key(&w, "states");
            jw_arr(&w);
            for (size_t k = 0; k < g.n_periods; k++)
                jw_str(&w, reporting_state_name(it->states[k]));
            jw_arr_end(&w);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* PATCH /api/v1/work-plans/{id}/reporting {"cycle":"monthly"|"quarterly","due_day":1–28}
 * → 200 {"work_plan_id","cycle","due_day"}. */
int api_reporting_set(struct req *r, struct resp *p)
{
    static const char *const allowed[] = {"cycle", "due_day", NULL};
    int st;
    if ((st = api_body_fields(r, p, allowed)))
        return st;
    const char *cycle;
    int64_t due_day = 0;
    if ((st = api_body_str(r, p, "cycle", false, &cycle)) ||
        (st = api_body_int(r, p, "due_day", false, 1, REPORTING_DUE_DAY_MAX, &due_day)))
        return st;
    bool quarterly;
    int day;
    int rc = reporting_set(&r->ctx, r->ids[0], cycle, (int)due_day, &quarterly, &day);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "work_plan_id", r->ids[0]);
    jw_kstr(&w, "cycle", quarterly ? "quarterly" : "monthly");
    jw_kint(&w, "due_day", day);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/reporting/urge {"pairing_id","year","unit_id"} → 催办 for the unit's missing
 * reports: {"told":N}; 409 err_nothing_missing when it has none. */
int api_reporting_urge(struct req *r, struct resp *p)
{
    static const char *const allowed[] = {"pairing_id", "year", "unit_id", NULL};
    int st;
    int64_t pairing = 0, year = 0, unit = 0;
    if ((st = api_body_fields(r, p, allowed)) ||
        (st = api_body_int(r, p, "pairing_id", true, 1, INT64_MAX, &pairing)) ||
        (st = api_body_int(r, p, "year", true, 2000, 2100, &year)) ||
        (st = api_body_int(r, p, "unit_id", true, 1, INT64_MAX, &unit)))
        return st;
    int64_t made = 0;
    int rc = notification_urge(&r->ctx, pairing, (int)year, unit, &made);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "told", made);
    jw_obj_end(&w);
    return 200;
}
