/* test_dashboard: the dashboard's figures (service/dashboard.c) against a moving clock — the
 * overdue list and its order, the year's progress from accepted reports only, the latest
 * reports capped at ten, removed items left out, the reports missing for the latest period
 * past its due day (for every unit, whoever reads first), the scope — and the SVG bar of web/svg.c
 * (widths that always add up, labels escaped). */
#include "coop_fixture.h"

#include "service/dashboard.h"
#include "web/svg.h"

static int64_t open_plan(struct fx *f, int year)
{
    int64_t id = 0;
    assert_ok(f, work_plan_open(fx_as(f, &f->admin), f->lj, year, &id));
    return id;
}

static void accept(struct fx *f, int64_t report)
{
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), report, true, NULL));
}

static void test_figures_and_lists(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f, 2027); /* today is 2027-03-01 */
    int64_t late9 = fx_item(f, plan, f->lj, 7, "九天前到期", f->ln_pj, "2027-02-20");
    int64_t late4 = fx_item(f, plan, f->lj, 0, "四天前到期", f->ln_com, "2027-02-25");
    int64_t done = fx_item(f, plan, f->lj, 0, "已完成", f->ln_pj, "2027-02-10");
    int64_t later = fx_item(f, plan, f->lj, 0, "年中到期", f->js_wx, "2027-06-30");
    int64_t gone = fx_item(f, plan, f->lj, 0, "已删除", f->ln_pj, "2027-01-05");
    assert_ok(f, work_plan_item_remove(fx_as(f, &f->admin), gone, 1));

    accept(f, fx_report(f, &f->ln_pj_member, done, "2027-02", "done", 100));
    /* A done claim not yet accepted keeps the item overdue. */
    int64_t claim = fx_report(f, &f->ln_pj_member, late9, "2027-02", "done", 100);
    for (int i = 0; i < 12; i++)
        fx_report(f, &f->js_wx_member, later, "2027-02", "on_track", 10 + i);

    struct dashboard d;
    assert_ok(f, dashboard_get(fx_as(f, &f->ln_leader), f->lj, 2027, &d));
    assert_string_equal(d.today, "2027-03-01");
    assert_int_equal(d.work_plan_id, plan);
    assert_string_equal(d.plan_status, "draft");
    assert_int_equal(d.items, 4);
    assert_int_equal(d.overdue, 2);
    assert_int_equal(d.accepted, 1);
    assert_int_equal(d.percent, 25); /* 100 / 4 */
    assert_int_equal(d.lights.pairing.total, 4);
    assert_int_equal(d.lights.pairing.count[LIGHT_RED], 2);
    assert_int_equal(d.lights.pairing.count[LIGHT_DONE], 1);

    assert_int_equal(d.n_overdue_items, 2);
    assert_int_equal(d.overdue_items[0].item_id, late9);
    assert_int_equal(d.overdue_items[0].days, 9);
    assert_string_equal(d.overdue_items[0].owner_name, "盘锦市人民政府");
    assert_int_equal(d.overdue_items[0].task_number, 7);
    assert_int_equal(d.overdue_items[0].report_id, claim);
    assert_string_equal(d.overdue_items[0].review, "pending");
    assert_string_equal(d.overdue_items[0].report_status, "done");
    assert_int_equal(d.overdue_items[1].item_id, late4);
    assert_int_equal(d.overdue_items[1].days, 4);
    assert_int_equal(d.overdue_items[1].report_id, 0);
    assert_null(d.overdue_items[1].review);

    /* 14 reports in all: the newest ten, newest first. */
    assert_int_equal(d.n_recent, DASHBOARD_RECENT_MAX);
    assert_int_equal(d.recent[0].item_id, later);
    assert_int_equal(d.recent[0].percent, 21);
    assert_string_equal(d.recent[0].review, "pending");
    assert_string_equal(d.recent[0].unit_name, "无锡市人民政府");
    assert_int_equal(d.recent[0].owner_id, f->js_wx);
    for (size_t i = 1; i < d.n_recent; i++)
        assert_true(d.recent[i].id < d.recent[i - 1].id);

    /* Accepting the done claim takes the item off the list; a week later the rest is 11 days
     * late. */
    accept(f, claim);
    fx_set_today("2027-03-08");
    assert_ok(f, dashboard_get(fx_as(f, &f->ln_pj_member), f->lj, 2027, &d));
    assert_int_equal(d.overdue, 1);
    assert_int_equal(d.n_overdue_items, 1);
    assert_int_equal(d.overdue_items[0].item_id, late4);
    assert_int_equal(d.overdue_items[0].days, 11);
    assert_int_equal(d.percent, 50);
    assert_int_equal(d.n_years, 1);
    assert_int_equal(d.years[0], 2027);
}

/* 本期报送: the latest period past its due day, counted for every unit whoever reads first. */
static void test_missing_this_period(void **state)
{
    struct fx *f = *state;
    fx_set_today("2027-01-10");
    int64_t plan = open_plan(f, 2027);
    int64_t pj = fx_item(f, plan, f->lj, 7, "盘锦的事项", f->ln_pj, "2027-06-30");
    fx_item(f, plan, f->lj, 0, "商务厅的事项", f->ln_com, "2027-06-30");
    fx_item(f, plan, f->lj, 0, "无锡的事项", f->js_wx, "2027-06-30");
    fx_item(f, plan, f->lj, 0, "无锡的另一事项", f->js_wx, "2027-06-30");
    struct dashboard d;
    assert_ok(f, dashboard_get(fx_as(f, &f->ln_pj_member), f->lj, 2027, &d));
    assert_string_equal(d.missing_period, ""); /* January is not due until 5 February */
    assert_int_equal(d.missing, 0);
    fx_set_today("2027-03-04"); /* February is being reported: January is the one */
    fx_report(f, &f->ln_pj_member, pj, "2027-02", "on_track", 30);
    assert_ok(f, dashboard_get(fx_as(f, &f->ln_pj_member), f->lj, 2027, &d));
    assert_string_equal(d.missing_period, "2027-01");
    assert_string_equal(d.missing_due, "2027-02-05");
    assert_int_equal(d.missing, 4);
    fx_set_today("2027-03-08");
    assert_ok(f, dashboard_get(fx_as(f, &f->ln_pj_member), f->lj, 2027, &d));
    assert_string_equal(d.missing_period, "2027-02");
    assert_int_equal(d.missing, 3); /* a member reads it, and every unit is counted */
    assert_int_equal(d.n_missing_units, 2);
    assert_int_equal(d.missing_units[0].unit_id, f->js_wx); /* most missing first */
    assert_int_equal(d.missing_units[0].missing, 2);
    assert_int_equal(d.missing_units[1].unit_id, f->ln_com);
    assert_int_equal(d.missing_units[1].missing, 1);
}

static void test_scope_and_input(void **state)
{
    struct fx *f = *state;
    open_plan(f, 2027);
    struct dashboard d;
    assert_fail(f, dashboard_get(fx_as(f, &f->dl_coord), f->lj, 2027, &d), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, dashboard_get(fx_as(f, &f->ln_leader), f->lj, 1999, &d), SVC_INVALID,
                "err_range");
    int64_t city = fx_scalar_(f->db, "SELECT id FROM pairing WHERE parent_id = :a LIMIT 1",
                              f->lj, NULL);
    assert_fail(f, dashboard_get(fx_as(f, &f->ln_leader), city, 2027, &d), SVC_NOT_FOUND,
                "err_not_found");
    /* A year without a plan: zeros, no lists. */
    assert_ok(f, dashboard_get(fx_as(f, &f->admin), f->sd, 2030, &d));
    assert_int_equal(d.work_plan_id, 0);
    assert_null(d.plan_status);
    assert_int_equal(d.items + d.overdue + d.n_recent + d.n_overdue_items, 0);

    int64_t home = 0;
    assert_ok(f, dashboard_home(fx_as(f, &f->dl_coord), &home));
    assert_int_equal(home, f->sd);
    assert_ok(f, dashboard_home(fx_as(f, &f->admin), &home));
    assert_int_equal(home, f->lj);
}

static void test_days_between(void **state)
{
    (void)state;
    assert_int_equal(dashboard_days_between("2027-02-20", "2027-03-01"), 9);
    assert_int_equal(dashboard_days_between("2028-02-28", "2028-03-01"), 2);
    assert_int_equal(dashboard_days_between("2026-12-31", "2027-01-01"), 1);
    assert_int_equal(dashboard_days_between("2027-03-01", "2027-03-01"), 0);
    assert_int_equal(dashboard_days_between("x", "2027-03-01"), 0);
}

/* The x and width of each <rect> after the background, in order. */
static size_t rects(const char *svg, int xs[], int ws[], size_t max)
{
    size_t n = 0;
    const char *p = strstr(svg, "<rect");
    while (p && (p = strstr(p + 1, "<rect x=\"")) && n < max) {
        assert_int_equal(sscanf(p, "<rect x=\"%d\" width=\"%d\"", &xs[n], &ws[n]), 2);
        n++;
    }
    return n;
}

static void test_svg_bar(void **state)
{
    (void)state;
    struct svg_part parts[4] = {{1, "#0b4f9c", false}, {1, "#116329", false}, {1, "#7d4e00", false}, {0, "#a40e26", true}};
    struct sb b = SB_INIT;
    svg_stacked_bar(&b, "row-bar", parts, 4, 100, 10, "A<b>&\"", true);
    const char *s = sb_str(&b);
    assert_non_null(strstr(s, "role=\"img\" aria-label=\"A&lt;b&gt;&amp;&quot;\""));
    assert_non_null(strstr(s, "<title>A&lt;b&gt;&amp;&quot;</title>"));
    int xs[8], ws[8];
    assert_int_equal(rects(s, xs, ws, 8), 3); /* a zero part draws nothing */
    assert_int_equal(xs[0], 0);
    assert_int_equal(xs[1], xs[0] + ws[0]);
    assert_int_equal(xs[2], xs[1] + ws[1]);
    assert_int_equal(xs[2] + ws[2], 100);
    assert_non_null(strstr(s, ">1</text>"));
    sb_free(&b);

    struct svg_part none[2] = {{0, "#0b4f9c", false}, {0, "#116329", false}};
    svg_stacked_bar(&b, "row-bar", none, 2, 100, 10, "empty", false);
    assert_int_equal(rects(sb_str(&b), xs, ws, 8), 0);
    assert_null(strstr(sb_str(&b), "<text"));
    sb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_figures_and_lists, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_missing_this_period, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_scope_and_input, fx_setup, fx_teardown),
        cmocka_unit_test(test_days_between),
        cmocka_unit_test(test_svg_bar),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
