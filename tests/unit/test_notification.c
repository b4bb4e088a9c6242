/* test_notification: the inbox (service/notification.c) — the reminder pass day by day (7, 3
 * and 1 days before a due day, then 催办 to the unit, its side's coordinators and leaders as
 * the report stays missing), nothing told twice, the dry run, a returned report telling its
 * author and a submitted plan the other side, and reading one's own inbox only. */
#include "coop_fixture.h"

#include "service/notification.h"
#include "service/reporting.h"

struct told {
    int n;
    char lines[64][160];
};

static void note(void *arg, const char *login, const char *kind, const char *title,
                 const char *period, int step)
{
    struct told *t = arg;
    if (t->n < 64)
        snprintf(t->lines[t->n++], sizeof t->lines[0], "%s %s %s %d", login, kind, period, step);
    (void)title;
}

static bool told(const struct told *t, const char *line)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->lines[i], line) == 0)
            return true;
    return false;
}

static int64_t remind(struct fx *f, const char *day, bool dry, struct told *t)
{
    int64_t made = -1;
    memset(t, 0, sizeof *t);
    assert_ok(f, notification_remind(fx_as(f, NULL), day, dry, note, t, &made));
    assert_int_equal(made, t->n);
    return made;
}

static int64_t unread(struct fx *f, const struct user *u)
{
    int64_t n = -1;
    assert_ok(f, notification_unread(fx_as(f, u), &n));
    return n;
}

static int64_t plan_with_item(struct fx *f, int64_t *item)
{
    fx_set_today("2027-01-10");
    int64_t plan;
    assert_ok(f, work_plan_open(fx_as(f, &f->ln_coord), f->lj, 2027, &plan));
    *item = fx_item(f, plan, f->lj, 7, "组织参加世界物联网博览会", f->ln_pj, "2027-06-30");
    return plan;
}

static void test_remind_through_january(void **state)
{
    struct fx *f = *state;
    int64_t item;
    plan_with_item(f, &item);
    struct told t;
    /* January's report is due on 5 February: 7 days before is 29 January */
    assert_int_equal(remind(f, "2027-01-28", false, &t), 0);
    assert_int_equal(remind(f, "2027-01-29", false, &t), 1);
    assert_true(told(&t, "ln_pj_member report_due 2027-01 7"));
    assert_int_equal(remind(f, "2027-01-29", false, &t), 0); /* twice the same day: nothing */
    assert_int_equal(remind(f, "2027-02-02", false, &t), 1);
    assert_true(told(&t, "ln_pj_member report_due 2027-01 3"));
    assert_int_equal(remind(f, "2027-02-04", false, &t), 1);
    assert_int_equal(remind(f, "2027-02-05", false, &t), 0); /* the due day itself */
    /* missing from 6 February: the unit at once, its side's coordinators 3 days on, the
     * leaders 7 days on — each once */
    assert_int_equal(remind(f, "2027-02-06", false, &t), 1);
    assert_true(told(&t, "ln_pj_member report_missing 2027-01 0"));
    assert_int_equal(remind(f, "2027-02-07", true, &t), 0);
    assert_int_equal(remind(f, "2027-02-08", true, &t), 2); /* dry: counted, not stored */
    assert_true(told(&t, "ln_coord report_missing 2027-01 1"));
    assert_true(told(&t, "ln_coord2 report_missing 2027-01 1"));
    assert_int_equal(remind(f, "2027-02-08", false, &t), 2);
    assert_int_equal(remind(f, "2027-02-08", true, &t), 0);
    assert_int_equal(remind(f, "2027-02-11", false, &t), 0);
    assert_int_equal(remind(f, "2027-02-12", false, &t), 1);
    assert_true(told(&t, "ln_leader report_missing 2027-01 2"));
    /* the other side's people were told nothing */
    assert_int_equal(unread(f, &f->js_coord), 0);
    assert_int_equal(unread(f, &f->ln_pj_member), 4);
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM audit WHERE action = 'notification.remind'", 0, NULL), 6);
    /* reported: nothing more for January — but its report waits for review: more than 3
     * days on, the coordinators of its side are told how many, once a day while it waits */
    fx_set_today("2027-02-14");
    int64_t rep = fx_report(f, &f->ln_pj_member, item, "2027-01", "on_track", 30);
    assert_int_equal(remind(f, "2027-02-17", false, &t), 0);
    assert_int_equal(remind(f, "2027-02-18", true, &t), 2);
    assert_int_equal(remind(f, "2027-02-18", false, &t), 2);
    assert_true(told(&t, "ln_coord review_waiting 2027-02-18 1"));
    assert_true(told(&t, "ln_coord2 review_waiting 2027-02-18 1"));
    assert_int_equal(remind(f, "2027-02-18", false, &t), 0); /* once a day */
    assert_int_equal(remind(f, "2027-02-18", true, &t), 0);
    assert_int_equal(unread(f, &f->js_coord), 0);           /* not the other side */
    struct notification_view *v;
    size_t n;
    int64_t next;
    assert_ok(f, notification_list(fx_as(f, &f->ln_coord), 0, 10, &v, &n, &next));
    assert_string_equal(v[0].kind, "review_waiting");
    assert_int_equal(v[0].object_id, f->lj);
    assert_int_equal(v[0].step, 1);
    assert_int_equal(remind(f, "2027-02-19", false, &t), 2); /* the next day, again */
    /* reviewed: out of the queue, nothing more */
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), rep, true, NULL));
    assert_int_equal(remind(f, "2027-02-20", false, &t), 0);
    (void)item;
    fx_audit_intact(f);
}

static void test_inbox(void **state)
{
    struct fx *f = *state;
    int64_t item, plan = plan_with_item(f, &item);
    fx_item(f, plan, f->lj, 7, "举办“互联网+”产业发展论坛", f->js_wx, "2027-09-30");
    /* a submitted plan tells the other side's coordinators */
    assert_ok(f, work_plan_submit(fx_as(f, &f->ln_coord), plan, 0));
    assert_int_equal(unread(f, &f->js_coord), 1);
    assert_int_equal(unread(f, &f->ln_coord2), 0);
    struct notification_view *v;
    size_t n;
    int64_t next;
    assert_ok(f, notification_list(fx_as(f, &f->js_coord), 0, 10, &v, &n, &next));
    assert_int_equal(n, 1);
    assert_string_equal(v[0].kind, "plan_submitted");
    assert_int_equal(v[0].work_plan_id, plan);
    assert_non_null(strstr(v[0].title, "2027"));
    /* a returned report tells its author, with the comment */
    bool agreed;
    assert_ok(f, work_plan_approve(fx_as(f, &f->ln_coord), plan, 0, 0, &agreed));
    assert_ok(f, work_plan_approve(fx_as(f, &f->js_coord), plan, 1, 0, &agreed));
    int64_t r = fx_report(f, &f->ln_pj_member, item, "2027-01", "on_track", 10);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), r, false, "请补充参展企业名单。"));
    assert_ok(f, notification_list(fx_as(f, &f->ln_pj_member), 0, 10, &v, &n, &next));
    assert_int_equal(n, 1);
    assert_string_equal(v[0].kind, "report_returned");
    assert_int_equal(v[0].work_item_id, item);
    assert_string_equal(v[0].comment, "请补充参展企业名单。");
    assert_string_equal(v[0].unit_name, "盘锦市人民政府");
    assert_null(v[0].read_at);
    int64_t mine = v[0].id;
    /* reading: one's own only; another's is not found, as a missing one is */
    assert_fail(f, notification_read(fx_as(f, &f->js_coord), mine), SVC_NOT_FOUND,
                "err_not_found");
    assert_ok(f, notification_read(fx_as(f, &f->ln_pj_member), mine));
    assert_int_equal(unread(f, &f->ln_pj_member), 0);
    assert_ok(f, notification_read(fx_as(f, &f->ln_pj_member), mine)); /* again: fine */
    assert_ok(f, notification_read(fx_as(f, &f->js_coord), 0));
    assert_int_equal(unread(f, &f->js_coord), 0);
    /* the command line has no inbox */
    int64_t x;
    assert_fail(f, notification_unread(fx_as(f, NULL), &x), SVC_FORBIDDEN, "err_forbidden");
    /* a bad date for the pass */
    assert_fail(f, notification_remind(fx_as(f, NULL), "2027-02-30", true, NULL, NULL, &x),
                SVC_INVALID, "err_invalid");
    /* an item added to the agreed plan takes it back to draft: the pairing's coordinators
     * but the one who added it are told to submit and approve it again */
    int64_t ln2 = unread(f, &f->ln_coord2), ln = unread(f, &f->ln_coord);
    struct work_item_input in = {.title = "新增事项", .owner_unit_id = f->ln_pj,
                                 .due = "2027-08-31"};
    assert_ok(f, work_plan_item_add(fx_as(f, &f->ln_coord), plan, &in, NULL));
    assert_int_equal(unread(f, &f->js_coord), 1);
    assert_int_equal(unread(f, &f->ln_coord2), ln2 + 1);
    assert_int_equal(unread(f, &f->ln_coord), ln);
    assert_ok(f, notification_list(fx_as(f, &f->js_coord), 0, 10, &v, &n, &next));
    assert_string_equal(v[0].kind, "plan_reopened");
    assert_int_equal(v[0].work_plan_id, plan);
    assert_non_null(strstr(v[0].title, "2027"));
    assert_null(v[0].due);
    /* a second change while it is a draft tells nobody again */
    assert_ok(f, work_plan_item_add(fx_as(f, &f->ln_coord), plan, &in, NULL));
    assert_int_equal(unread(f, &f->js_coord), 1);
}

/* 催办 by hand: a coordinator of the unit's side, once a day, counted on the calendar. */
static void test_urge(void **state)
{
    struct fx *f = *state;
    int64_t item;
    plan_with_item(f, &item);
    fx_set_today("2027-02-06"); /* January is missing */
    int64_t made = -1;
    assert_fail(f, notification_urge(fx_as(f, &f->js_coord), f->lj, 2027, f->ln_pj, &made),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, notification_urge(fx_as(f, &f->ln_pj_member), f->lj, 2027, f->ln_pj, &made),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, notification_urge(fx_as(f, &f->ln_coord), f->lj, 2027, f->ln_com, &made),
                SVC_CONFLICT, "err_nothing_missing");
    assert_fail(f, notification_urge(fx_as(f, &f->ln_coord), f->sd, 2027, f->ln_pj, &made),
                SVC_INVALID, "err_invalid");
    assert_fail(f, notification_urge(fx_as(f, &f->dl_coord), f->sd, 2027, f->ln_pj, &made),
                SVC_NOT_FOUND, "err_unit_unknown");
    assert_ok(f, notification_urge(fx_as(f, &f->ln_coord), f->lj, 2027, f->ln_pj, &made));
    assert_int_equal(made, 1);
    assert_ok(f, notification_urge(fx_as(f, &f->ln_coord), f->lj, 2027, f->ln_pj, &made));
    assert_int_equal(made, 0); /* the same day: told once */
    struct notification_view *v;
    size_t n;
    int64_t next;
    assert_ok(f, notification_list(fx_as(f, &f->ln_pj_member), 0, 10, &v, &n, &next));
    assert_int_equal(n, 1);
    assert_string_equal(v[0].kind, "report_urged");
    assert_string_equal(v[0].period, "2027-01");
    assert_string_equal(v[0].due, "2027-02-05");
    fx_set_today("2027-02-07");
    assert_ok(f, notification_urge(fx_as(f, &f->admin), f->lj, 2027, f->ln_pj, &made));
    assert_int_equal(made, 1);
    struct reporting_grid g;
    assert_ok(f, reporting_grid(fx_as(f, &f->ln_coord), f->lj, 2027, -1, 0, &g));
    assert_int_equal(g.units[0].unit_id, f->ln_pj);
    assert_int_equal(g.units[0].urged, 2); /* two days */
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM audit WHERE action = 'notification.urge'",
                                0, NULL),
                     3);
    fx_audit_intact(f);
}

/* Keyset pages, newest first. */
static void test_pages(void **state)
{
    struct fx *f = *state;
    int64_t item;
    plan_with_item(f, &item);
    struct told t;
    remind(f, "2027-01-29", false, &t);
    remind(f, "2027-02-02", false, &t);
    remind(f, "2027-02-04", false, &t);
    struct notification_view *v;
    size_t n;
    int64_t next;
    assert_ok(f, notification_list(fx_as(f, &f->ln_pj_member), 0, 2, &v, &n, &next));
    assert_int_equal(n, 2);
    assert_true(v[0].id > v[1].id);
    assert_int_equal(v[0].step, 1);
    assert_string_equal(v[0].due, "2027-02-05");
    assert_true(next > 0);
    assert_ok(f, notification_list(fx_as(f, &f->ln_pj_member), next, 2, &v, &n, &next));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].step, 7);
    assert_int_equal(next, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_remind_through_january, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_inbox, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_pages, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_urge, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
