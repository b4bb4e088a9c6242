/* test_task: a task as its people see it (text, area, pairings, assignments, items of every
 * year), and the keyset pages of a unit's items, soonest due first. */
#include "coop_fixture.h"

#include "service/assignment.h"
#include "service/task.h"

static int64_t open_plan(struct fx *f, int year)
{
    int64_t id = 0;
    assert_ok(f, work_plan_open(fx_as(f, &f->admin), f->lj, year, &id));
    return id;
}

static void test_task_get(void **state)
{
    struct fx *f = *state;
    int64_t task = fx_task(f, f->lj, 7);
    int64_t p26 = open_plan(f, 2026), p27 = open_plan(f, 2027);
    int64_t b = fx_item(f, p27, f->lj, 7, "二〇二七年事项", f->ln_pj, "2027-05-01");
    int64_t a = fx_item(f, p26, f->lj, 7, "二〇二六年事项", f->ln_pj, "2026-05-01");
    int64_t gone = fx_item(f, p26, f->lj, 7, "撤销的事项", f->ln_pj, "2026-06-01");
    fx_item(f, p26, f->lj, 8, "别的任务", f->ln_pj, "2026-06-01");
    assert_ok(f, work_plan_item_remove(fx_as(f, &f->admin), gone, 1));
    int64_t support[] = {f->ln_com};
    assert_ok(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, f->ln_pj, support, 1));
    assert_ok(f, assignment_set(fx_as(f, &f->js_coord), task, 1, f->js_wx, NULL, 0));

    struct task_view v;
    assert_ok(f, task_get(fx_as(f, &f->js_wx_member), task, &v));
    assert_int_equal(v.number, 7);
    assert_int_equal(v.pairing_id, f->lj);
    assert_string_equal(v.plan_status, "current");
    assert_non_null(v.area_title);
    assert_non_null(strstr(v.body, "无锡") ? v.body : strstr(v.body, "無錫"));
    assert_int_equal(v.n_pairings, 1); /* 盘锦–无锡, named under task 7 */
    assert_int_equal(v.n_assignments, 3);
    assert_int_equal(v.assignments[0].unit_id, f->ln_pj);
    assert_string_equal(v.assignments[0].role, "lead");
    assert_int_equal(v.assignments[2].unit_id, f->js_wx);
    /* items of every year, by year; the removed one and other tasks' left out */
    assert_int_equal(v.n_items, 2);
    assert_int_equal(v.items[0].id, a);
    assert_int_equal(v.items[0].year, 2026);
    assert_int_equal(v.items[1].id, b);
    assert_int_equal(v.items[1].year, 2027);
    assert_string_equal(v.items[1].plan_status, "draft");

    assert_fail(f, task_get(fx_as(f, &f->dl_member), task, &v), SVC_NOT_FOUND, "err_not_found");
    assert_fail(f, task_get(fx_as(f, &f->ln_pj_member), 999999, &v), SVC_NOT_FOUND,
                "err_not_found");
    struct work_item_view *items;
    size_t n;
    assert_fail(f, work_plan_task_items(fx_as(f, &f->sh_coord), task, &items, &n), SVC_NOT_FOUND,
                "err_not_found");
    /* the other pairing's own task reads fine for its people, with no items */
    assert_ok(f, task_get(fx_as(f, &f->dl_member), fx_task(f, f->sd, 3), &v));
    assert_int_equal(v.n_items, 0);
}

static void test_unit_items_pages(void **state)
{
    struct fx *f = *state;
    int64_t p26 = open_plan(f, 2026), p27 = open_plan(f, 2027);
    /* Same due dates on purpose: the page boundary must split ties by id. */
    int64_t i1 = fx_item(f, p26, f->lj, 7, "一", f->ln_pj, "2026-09-01");
    int64_t i2 = fx_item(f, p26, f->lj, 7, "二", f->ln_pj, "2026-03-01");
    int64_t i3 = fx_item(f, p26, f->lj, 7, "三", f->ln_pj, "2026-09-01");
    int64_t i4 = fx_item(f, p27, f->lj, 8, "四", f->ln_pj, "2026-09-01");
    int64_t i5 = fx_item(f, p27, f->lj, 8, "五", f->ln_pj, "2027-01-15");
    fx_item(f, p26, f->lj, 7, "别的单位", f->ln_com, "2026-01-01");
    int64_t gone = fx_item(f, p26, f->lj, 7, "撤销", f->ln_pj, "2026-01-01");
    assert_ok(f, work_plan_item_remove(fx_as(f, &f->admin), gone, 1));

    int64_t want[] = {i2, i1, i3, i4, i5}, after = 0;
    size_t k = 0;
    for (int page = 0; page < 3; page++) {
        struct work_item_page pg;
        assert_ok(f, work_plan_unit_items(fx_as(f, &f->ln_pj_member), f->ln_pj, 0, false, after, 2, &pg));
        for (size_t i = 0; i < pg.n; i++, k++) {
            assert_true(k < 5);
            assert_int_equal(pg.items[i].id, want[k]);
            assert_int_equal(pg.items[i].owner.id, f->ln_pj);
        }
        assert_int_equal(pg.more, page < 2);
        after = pg.next_after;
        if (!pg.more)
            break;
    }
    assert_int_equal(k, 5);

    struct work_item_page pg;
    assert_ok(f, work_plan_unit_items(fx_as(f, &f->ln_leader), f->ln_pj, 2027, false, 0, 0, &pg));
    assert_int_equal(pg.n, 2);
    assert_int_equal(pg.items[0].id, i4);
    assert_int_equal(pg.items[0].year, 2027);
    assert_false(pg.more);
    assert_int_equal(pg.next_after, 0);

    assert_fail(f, work_plan_unit_items(fx_as(f, &f->ln_pj_member), f->ln_pj, 0, false, 0, 201, &pg),
                SVC_INVALID, "err_range");
    assert_string_equal(f->c.field, "limit");
    assert_fail(f, work_plan_unit_items(fx_as(f, &f->ln_pj_member), f->ln_pj, 0, false, 999999, 0, &pg),
                SVC_INVALID, "err_range");
    assert_string_equal(f->c.field, "after");
    /* a cursor of another unit's item is no cursor here */
    int64_t other = fx_scalar_(f->db, "SELECT id FROM work_item WHERE owner_unit_id = :a",
                               f->ln_com, NULL);
    assert_fail(f, work_plan_unit_items(fx_as(f, &f->ln_pj_member), f->ln_pj, 0, false, other, 0, &pg),
                SVC_INVALID, "err_range");
    assert_fail(f, work_plan_unit_items(fx_as(f, &f->dl_member), f->ln_pj, 0, false, 0, 0, &pg),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, work_plan_unit_items(fx_as(f, &f->admin), 999999, 0, false, 0, 0, &pg),
                SVC_NOT_FOUND, "err_unit_unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_task_get, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_unit_items_pages, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
