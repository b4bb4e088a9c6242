/* test_reporting: the reporting calendar (service/reporting.c) — the periods of a plan, the
 * state of every item and period as reports are submitted, returned and accepted and as the
 * due days pass (the clock moved day by day in China), an item done leaving the calendar,
 * the quarterly cycle and its setting (audited), units ordered worst first, and who may read
 * or set what. */
#include "coop_fixture.h"

#include "service/reporting.h"

struct world {
    int64_t plan, item_pj, item_js, item_drc;
};

/* A 2027 plan of 辽宁–江苏, its items added on 10 January 2027. */
static struct world january_world(struct fx *f)
{
    struct world w;
    fx_set_today("2027-01-10");
    assert_ok(f, work_plan_open(fx_as(f, &f->ln_coord), f->lj, 2027, &w.plan));
    w.item_pj = fx_item(f, w.plan, f->lj, 7, "组织参加世界物联网博览会", f->ln_pj, "2027-06-30");
    w.item_js = fx_item(f, w.plan, f->lj, 7, "举办“互联网+”产业发展论坛", f->js_wx, "2027-09-30");
    w.item_drc = fx_item(f, w.plan, f->lj, 0, "召开联席会议", f->ln_drc, "2027-12-31");
    fx_agree(f, w.plan, &f->ln_coord, &f->js_coord);
    return w;
}

static const struct reporting_item_row *row_of(const struct reporting_grid *g, int64_t item)
{
    for (size_t i = 0; i < g->n_items; i++)
        if (g->items[i].item_id == item)
            return &g->items[i];
    fail_msg("item %lld is not in the grid", (long long)item);
    return NULL;
}

static struct reporting_grid grid(struct fx *f, const struct user *u, int side, int64_t unit)
{
    struct reporting_grid g;
    assert_ok(f, reporting_grid(fx_as(f, u), f->lj, 2027, side, unit, &g));
    return g;
}

static void test_states_through_the_months(void **state)
{
    struct fx *f = *state;
    struct world w = january_world(f);

    /* 3 February: January is being reported (due 5 February); February has begun */
    fx_set_today("2027-02-03");
    struct reporting_grid g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(g.work_plan_id, w.plan);
    assert_false(g.quarterly);
    assert_int_equal(g.due_day, REPORTING_DUE_DAY_DEFAULT);
    assert_int_equal(g.n_periods, 2);
    assert_string_equal(g.periods[0].name, "2027-01");
    assert_string_equal(g.periods[0].start, "2027-01-01");
    assert_string_equal(g.periods[0].end, "2027-01-31");
    assert_string_equal(g.periods[0].due, "2027-02-05");
    assert_string_equal(g.periods[1].due, "2027-03-05");
    assert_int_equal(g.current, 0);
    assert_int_equal(row_of(&g, w.item_pj)->states[0], RS_DUE);
    assert_int_equal(row_of(&g, w.item_pj)->states[1], RS_DUE);

    /* reported, returned, reported again, accepted */
    int64_t r1 = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-01", "on_track", 10);
    g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(row_of(&g, w.item_pj)->states[0], RS_SUBMITTED);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), r1, false, "请补充参展企业名单。"));
    g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(row_of(&g, w.item_pj)->states[0], RS_RETURNED);
    int64_t r2 = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-01", "on_track", 15);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), r2, true, NULL));
    g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(row_of(&g, w.item_pj)->states[0], RS_ACCEPTED);

    /* the due day is the last day it is only due: 5 February still due, 6 February missing */
    fx_set_today("2027-02-05");
    g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(row_of(&g, w.item_js)->states[0], RS_DUE);
    fx_set_today("2027-02-06");
    g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(row_of(&g, w.item_js)->states[0], RS_MISSING);
    assert_int_equal(g.current, 1); /* February is the one being reported now */

    /* 10 March: February passed its due day unreported for 盘锦; 无锡 has missed both */
    fx_set_today("2027-03-10");
    g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(g.n_periods, 3);
    assert_int_equal(g.current, 2);
    assert_int_equal(row_of(&g, w.item_pj)->states[1], RS_MISSING);
    assert_int_equal(row_of(&g, w.item_js)->states[0], RS_MISSING);
    assert_int_equal(row_of(&g, w.item_js)->states[1], RS_MISSING);
    assert_int_equal(row_of(&g, w.item_js)->states[2], RS_DUE);
    /* worst first: 辽宁省发改委 and 无锡 (2 missing each, in side order), then 盘锦 (1) */
    assert_int_equal(g.n_units, 3);
    assert_int_equal(g.units[0].unit_id, f->ln_drc);
    assert_int_equal(g.units[1].unit_id, f->js_wx);
    assert_int_equal(g.units[1].missing, 2);
    assert_int_equal(g.units[1].cells[1].count[RS_MISSING], 1);
    assert_int_equal(g.units[2].unit_id, f->ln_pj);
    assert_int_equal(g.units[2].missing, 1);
    /* the items follow their units' order */
    assert_int_equal(g.items[0].unit_id, f->ln_drc);
    assert_int_equal(g.items[1].unit_id, f->js_wx);
    assert_int_equal(g.items[2].unit_id, f->ln_pj);
    /* one side only */
    g = grid(f, &f->ln_coord, 1, 0);
    assert_int_equal(g.n_units, 1);
    assert_int_equal(g.units[0].side, 1);

    /* what 盘锦's item must report now */
    struct reporting_now now;
    assert_ok(f, reporting_items_now(fx_as(f, &f->ln_pj_member), &w.item_pj, 1, &now));
    assert_string_equal(now.period, "2027-03");
    assert_string_equal(now.due, "2027-04-05");
    assert_int_equal(now.state, RS_DUE);
    assert_int_equal(now.missing, 1);

    /* done in March: nothing is expected after it */
    int64_t r3 = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-03", "done", 100);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), r3, true, NULL));
    fx_set_today("2027-05-10");
    g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(g.n_periods, 5);
    const struct reporting_item_row *pj = row_of(&g, w.item_pj);
    assert_int_equal(pj->states[2], RS_ACCEPTED);
    assert_int_equal(pj->states[3], RS_NONE);
    assert_int_equal(pj->states[4], RS_NONE);
    assert_ok(f, reporting_items_now(fx_as(f, &f->ln_pj_member), &w.item_pj, 1, &now));
    assert_int_equal(now.state, RS_NONE);
    assert_string_equal(now.period, ""); /* nothing to report any more */
    assert_int_equal(now.missing, 1); /* February stays missing */

    /* a past year: every period, none current */
    fx_set_today("2028-02-10");
    g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(g.n_periods, 12);
    assert_int_equal(g.current, g.n_periods);
    assert_ok(f, reporting_items_now(fx_as(f, &f->ln_pj_member), &w.item_pj, 1, &now));
    assert_string_equal(now.period, "");
}

static void test_quarterly_and_the_setting(void **state)
{
    struct fx *f = *state;
    struct world w = january_world(f);
    fx_report(f, &f->ln_pj_member, w.item_pj, "2027-02", "on_track", 20);
    bool quarterly = false;
    int day = 0;
    int64_t before = fx_audit_count(f, "work_plan.reporting", w.plan, 1, 1);
    assert_ok(f, reporting_set(fx_as(f, &f->js_coord), w.plan, "quarterly", 10, &quarterly, &day));
    assert_true(quarterly);
    assert_int_equal(day, 10);
    assert_int_equal(fx_audit_count(f, "work_plan.reporting", w.plan, 1, 1), before + 1);
    assert_non_null(strstr(fx_audit_last(f, "work_plan.reporting", w.plan, 0), "monthly"));
    assert_non_null(strstr(fx_audit_last(f, "work_plan.reporting", w.plan, 1), "quarterly"));

    fx_set_today("2027-04-08");
    struct reporting_grid g = grid(f, &f->ln_coord, -1, 0);
    assert_true(g.quarterly);
    assert_int_equal(g.n_periods, 2);
    assert_string_equal(g.periods[0].name, "2027-Q1");
    assert_string_equal(g.periods[0].end, "2027-03-31");
    assert_string_equal(g.periods[0].due, "2027-04-10");
    assert_int_equal(g.current, 0);
    /* February's monthly report covers the first quarter */
    assert_int_equal(row_of(&g, w.item_pj)->states[0], RS_SUBMITTED);
    assert_int_equal(row_of(&g, w.item_js)->states[0], RS_DUE);
    fx_set_today("2027-04-11");
    g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(row_of(&g, w.item_js)->states[0], RS_MISSING);

    /* only the day changes; the cycle stays */
    assert_ok(f, reporting_set(fx_as(f, &f->ln_coord), w.plan, NULL, 20, &quarterly, &day));
    assert_true(quarterly);
    assert_int_equal(day, 20);
    /* bad input: nothing stored */
    assert_fail(f, reporting_set(fx_as(f, &f->ln_coord), w.plan, "weekly", 0, &quarterly, &day),
                SVC_INVALID, "err_invalid");
    assert_string_equal(f->c.field, "cycle");
    assert_fail(f, reporting_set(fx_as(f, &f->ln_coord), w.plan, NULL, 29, &quarterly, &day),
                SVC_INVALID, "err_range");
    assert_string_equal(f->c.field, "due_day");
    assert_fail(f, reporting_set(fx_as(f, &f->ln_coord), w.plan + 1000, NULL, 3, &quarterly, &day),
                SVC_NOT_FOUND, "err_not_found");
    g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(g.due_day, 20);
}

static void test_who(void **state)
{
    struct fx *f = *state;
    struct world w = january_world(f);
    fx_set_today("2027-03-10");
    /* a member sees its own unit's items only, whatever it asks */
    struct reporting_grid g = grid(f, &f->ln_pj_member, -1, f->js_wx);
    assert_int_equal(g.n_units, 1);
    assert_int_equal(g.units[0].unit_id, f->ln_pj);
    assert_int_equal(g.n_items, 1);
    /* leaders and both sides' coordinators read everything */
    assert_int_equal(grid(f, &f->ln_leader, -1, 0).n_units, 3);
    assert_int_equal(grid(f, &f->js_coord, -1, 0).n_units, 3);
    /* another pairing's people read nothing, nor do bad parameters pass */
    struct reporting_grid x;
    assert_fail(f, reporting_grid(fx_as(f, &f->dl_coord), f->lj, 2027, -1, 0, &x), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, reporting_grid(fx_as(f, &f->ln_coord), f->lj, 1999, -1, 0, &x), SVC_INVALID,
                "err_range");
    assert_fail(f, reporting_grid(fx_as(f, &f->ln_coord), f->lj, 2027, 2, 0, &x), SVC_INVALID,
                "err_invalid");
    struct reporting_now now;
    assert_fail(f, reporting_items_now(fx_as(f, &f->dl_member), &w.item_pj, 1, &now),
                SVC_NOT_FOUND, "err_not_found");
    /* no plan that year: an empty grid, not an error */
    assert_ok(f, reporting_grid(fx_as(f, &f->ln_coord), f->lj, 2030, -1, 0, &x));
    assert_int_equal(x.work_plan_id, 0);
    assert_int_equal(x.n_units, 0);
    /* who sets the cycle: a coordinator of the pairing, not a member, leader or stranger */
    bool q;
    int d;
    assert_fail(f, reporting_set(fx_as(f, &f->ln_pj_member), w.plan, "quarterly", 0, &q, &d),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, reporting_set(fx_as(f, &f->ln_leader), w.plan, "quarterly", 0, &q, &d),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, reporting_set(fx_as(f, &f->dl_coord), w.plan, "quarterly", 0, &q, &d),
                SVC_NOT_FOUND, "err_not_found");
    assert_ok(f, reporting_set(fx_as(f, &f->admin), w.plan, "quarterly", 0, &q, &d));
    fx_audit_intact(f);
}

/* An item added in March: the calendar starts with March, not with January. */
static void test_columns_start_with_the_first_expected(void **state)
{
    struct fx *f = *state;
    fx_set_today("2027-03-02");
    int64_t plan;
    assert_ok(f, work_plan_open(fx_as(f, &f->ln_coord), f->lj, 2027, &plan));
    fx_item(f, plan, f->lj, 0, "召开联席会议", f->ln_drc, "2027-12-31");
    fx_set_today("2027-04-20");
    struct reporting_grid g = grid(f, &f->ln_coord, -1, 0);
    assert_int_equal(g.n_periods, 2);
    assert_string_equal(g.periods[0].name, "2027-03");
    assert_int_equal(g.current, 1);
    assert_int_equal(g.items[0].states[0], RS_MISSING);
    assert_int_equal(g.items[0].states[1], RS_DUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_states_through_the_months, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_quarterly_and_the_setting, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_who, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_columns_start_with_the_first_expected, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
