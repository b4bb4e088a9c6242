/* test_task_timeline: the timeline of a task (its items' reports with their reviews, newest
 * first, in keyset pages, removed items left out, scope checked), and assigning many tasks
 * at once (assignment_set_many): all or nothing, each change audited, every refusal and
 * every stale version named in its own change. */
#include "coop_fixture.h"

#include "service/assignment.h"
#include "service/task.h"

static int64_t open_plan(struct fx *f, int year)
{
    int64_t id = 0;
    assert_ok(f, work_plan_open(fx_as(f, &f->admin), f->lj, year, &id));
    return id;
}

static int64_t report_with(struct fx *f, const struct user *u, int64_t item, const char *period,
                           const char *narrative)
{
    struct report_input in = {
        .work_item_id = item, .period = period, .status = "on_track", .percent = 30,
        .narrative = narrative,
    };
    int64_t id = 0;
    assert_ok(f, report_submit(fx_as(f, u), &in, &id));
    return id;
}

static void test_timeline(void **state)
{
    struct fx *f = *state;
    int64_t task = fx_task(f, f->lj, 7);
    int64_t p26 = open_plan(f, 2026), p27 = open_plan(f, 2027);
    int64_t a = fx_item(f, p26, f->lj, 7, "盘锦事项", f->ln_pj, "2026-12-01");
    int64_t b = fx_item(f, p27, f->lj, 7, "无锡事项", f->js_wx, "2027-12-01");
    int64_t gone = fx_item(f, p27, f->lj, 7, "撤销的事项", f->ln_pj, "2027-06-01");
    int64_t other = fx_item(f, p27, f->lj, 8, "别的任务", f->ln_pj, "2027-06-01");
    fx_report(f, &f->ln_pj_member, gone, "2027-02", "on_track", 10);
    fx_report(f, &f->ln_pj_member, other, "2027-02", "on_track", 10);
    assert_ok(f, work_plan_item_remove(fx_as(f, &f->admin), gone, 1));

    char long_text[3 * 200 + 1] = "";
    for (int i = 0; i < 200; i++)
        strcat(long_text, "详");
    int64_t r1 = report_with(f, &f->ln_pj_member, a, "2026-12", "第一份");
    int64_t r2 = report_with(f, &f->js_wx_member, b, "2027-02", long_text);
    int64_t r3 = report_with(f, &f->ln_pj_member, a, "2027-01", "第三份");
    int64_t r4 = report_with(f, &f->js_wx_member, b, "2027-03", "第四份");
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), r1, false, "请补充数据"));
    assert_ok(f, report_review(fx_as(f, &f->js_coord), r2, true, NULL));

    struct task_timeline t;
    assert_ok(f, task_timeline(fx_as(f, &f->js_wx_member), task, 0, 0, &t));
    assert_int_equal(t.n, 4);
    assert_false(t.more);
    assert_int_equal(t.events[0].report_id, r4);
    assert_int_equal(t.events[1].report_id, r3);
    assert_int_equal(t.events[2].report_id, r2);
    assert_int_equal(t.events[3].report_id, r1);
    assert_int_equal(t.events[0].year, 2027);
    assert_int_equal(t.events[3].year, 2026);
    assert_string_equal(t.events[3].item_title, "盘锦事项");
    assert_string_equal(t.events[3].unit_name, "盘锦市人民政府");
    assert_string_equal(t.events[3].submitted_by_login, "ln_pj_member");
    assert_string_equal(t.events[3].period, "2026-12");
    assert_string_equal(t.events[3].decision, "returned");
    assert_string_equal(t.events[3].comment, "请补充数据");
    assert_string_equal(t.events[3].reviewer_login, "ln_coord");
    assert_non_null(t.events[3].reviewed_at);
    assert_string_equal(t.events[2].decision, "accepted");
    assert_null(t.events[1].decision);
    assert_false(t.events[3].cut);
    /* a long narrative: its first TASK_EXCERPT_CHARS code points (3 bytes each here) */
    assert_true(t.events[2].cut);
    assert_int_equal(strlen(t.events[2].excerpt), 3 * TASK_EXCERPT_CHARS);

    /* keyset pages */
    assert_ok(f, task_timeline(fx_as(f, &f->ln_leader), task, 0, 3, &t));
    assert_int_equal(t.n, 3);
    assert_true(t.more);
    assert_int_equal(t.next_before, r2);
    assert_ok(f, task_timeline(fx_as(f, &f->ln_leader), task, t.next_before, 3, &t));
    assert_int_equal(t.n, 1);
    assert_false(t.more);
    assert_int_equal(t.events[0].report_id, r1);
    assert_int_equal(t.next_before, 0);

    /* scope and input */
    assert_fail(f, task_timeline(fx_as(f, &f->dl_member), task, 0, 0, &t), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, task_timeline(fx_as(f, &f->ln_pj_member), 999999, 0, 0, &t), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, task_timeline(fx_as(f, &f->ln_pj_member), task, 0, TASK_TIMELINE_MAX + 1, &t),
                SVC_INVALID, "err_range");
    assert_ok(f, task_timeline(fx_as(f, &f->ln_pj_member), fx_task(f, f->lj, 9), 0, 0, &t));
    assert_int_equal(t.n, 0);
}

/* The digest of a task's assignments as a reader sees it now. */
static const char *digest_of(struct fx *f, int64_t task)
{
    struct assignment_view *a;
    size_t n;
    assert_ok(f, assignment_list(fx_as(f, &f->admin), task, &a, &n));
    char *d = arena_alloc(&f->arena, ASSIGNMENT_DIGEST_LEN + 1);
    assignment_digest(a, n, d);
    return d;
}

static int64_t lead_of(struct fx *f, int64_t task, int side)
{
    struct assignment_view *a;
    size_t n;
    assert_ok(f, assignment_list(fx_as(f, &f->admin), task, &a, &n));
    for (size_t i = 0; i < n; i++)
        if (a[i].side == side && strcmp(a[i].role, "lead") == 0)
            return a[i].unit_id;
    return 0;
}

static void test_set_many(void **state)
{
    struct fx *f = *state;
    int64_t t1 = fx_task(f, f->lj, 1), t2 = fx_task(f, f->lj, 2), t3 = fx_task(f, f->lj, 3);
    int64_t sup[] = {f->ln_com};
    int64_t rows = fx_audit_total(f);
    struct assignment_change ch[3] = {
        {.task_id = t1, .side = 0, .lead_unit = f->ln_pj, .support = sup, .n_support = 1,
         .expect = digest_of(f, t1)},
        {.task_id = t2, .side = 0, .lead_unit = f->ln_com, .expect = digest_of(f, t2)},
        {.task_id = t3, .side = 0, .lead_unit = 0, .expect = digest_of(f, t3)}, /* unchanged */
    };
    assert_ok(f, assignment_set_many(fx_as(f, &f->ln_coord), ch, 3));
    assert_int_equal(lead_of(f, t1, 0), f->ln_pj);
    assert_int_equal(lead_of(f, t2, 0), f->ln_com);
    assert_int_equal(fx_audit_total(f), rows + 2); /* the unchanged one writes nothing */
    assert_int_equal(fx_audit_count(f, "assignment.set", t1, 1, 1), 1);
    fx_audit_intact(f);

    /* one refused change: nothing is written, each change says how it fared */
    rows = fx_audit_total(f);
    int64_t other[] = {f->js_wx};
    struct assignment_change bad[3] = {
        {.task_id = t1, .side = 0, .lead_unit = f->ln_com, .expect = digest_of(f, t1)},
        {.task_id = t2, .side = 0, .lead_unit = f->ln_pj, .support = other, .n_support = 1,
         .expect = digest_of(f, t2)},
        {.task_id = t3, .side = 0, .lead_unit = 999999, .expect = digest_of(f, t3)},
    };
    assert_fail(f, assignment_set_many(fx_as(f, &f->ln_coord), bad, 3), SVC_FORBIDDEN,
                "err_other_side");
    assert_int_equal(bad[0].status, SVC_OK);
    assert_int_equal(bad[1].status, SVC_FORBIDDEN);
    assert_string_equal(bad[1].code, "err_other_side");
    assert_string_equal(bad[1].field, "support");
    assert_int_equal(bad[2].status, SVC_INVALID);
    assert_string_equal(bad[2].code, "err_unit_unknown");
    assert_int_equal(lead_of(f, t1, 0), f->ln_pj);
    assert_int_equal(fx_audit_total(f), rows);

    /* stale: task 1 changed since its version was read; task 2 is not saved either */
    const char *seen1 = digest_of(f, t1), *seen2 = digest_of(f, t2);
    assert_ok(f, assignment_set(fx_as(f, &f->ln_coord2), t1, 0, f->ln_drc, NULL, 0));
    struct assignment_change late[2] = {
        {.task_id = t1, .side = 0, .lead_unit = f->ln_com, .expect = seen1},
        {.task_id = t2, .side = 0, .lead_unit = f->ln_drc, .expect = seen2},
    };
    assert_fail(f, assignment_set_many(fx_as(f, &f->ln_coord), late, 2), SVC_STALE, "err_stale");
    assert_int_equal(late[0].status, SVC_STALE);
    assert_int_equal(late[1].status, SVC_OK);
    assert_int_equal(lead_of(f, t1, 0), f->ln_drc);
    assert_int_equal(lead_of(f, t2, 0), f->ln_com);

    /* an admin sets both sides of one task against the version it read */
    const char *seen = digest_of(f, t3);
    struct assignment_change both[2] = {
        {.task_id = t3, .side = 0, .lead_unit = f->ln_pj, .expect = seen},
        {.task_id = t3, .side = 1, .lead_unit = f->js_wx, .expect = seen},
    };
    assert_ok(f, assignment_set_many(fx_as(f, &f->admin), both, 2));
    assert_int_equal(lead_of(f, t3, 0), f->ln_pj);
    assert_int_equal(lead_of(f, t3, 1), f->js_wx);

    /* leaders never write; a coordinator never for the other side */
    struct assignment_change one = {.task_id = t1, .side = 0, .lead_unit = f->ln_pj};
    assert_fail(f, assignment_set_many(fx_as(f, &f->ln_leader), &one, 1), SVC_FORBIDDEN,
                "err_forbidden");
    one.side = 1;
    one.lead_unit = f->js_wx;
    assert_fail(f, assignment_set_many(fx_as(f, &f->ln_coord), &one, 1), SVC_FORBIDDEN,
                "err_forbidden");
    assert_int_equal(lead_of(f, t1, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_timeline, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_set_many, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
