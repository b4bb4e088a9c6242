/* test_assignment: lead and support units per task and side — both sides assign their own
 * units to the same task, a set replaces the side's previous one, every write is audited
 * with the side's set before and after, and each denial holds; a write made against an older
 * version of the task's assignments is refused. Also: only admins import plans. */
#include "coop_fixture.h"

#include "service/assignment.h"

static const struct assignment_view *find(const struct assignment_view *a, size_t n,
                                          int64_t unit)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].unit_id == unit)
            return &a[i];
    return NULL;
}

static void test_both_sides_assign_the_same_task(void **state)
{
    struct fx *f = *state;
    int64_t task = fx_task(f, f->lj, 4); /* 搭建经贸合作平台 */
    struct assignment_view *a;
    size_t n;
    assert_ok(f, assignment_list(fx_as(f, &f->ln_coord), task, &a, &n));
    assert_int_equal(n, 0);

    int64_t sup[] = {f->ln_pj};
    assert_ok(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, f->ln_com, sup, 1));
    assert_ok(f, assignment_set(fx_as(f, &f->js_coord), task, 1, f->js_wx, NULL, 0));

    assert_ok(f, assignment_list(fx_as(f, &f->ln_leader), task, &a, &n));
    assert_int_equal(n, 3);
    /* side 0 first, lead before support */
    assert_int_equal(a[0].unit_id, f->ln_com);
    assert_string_equal(a[0].role, "lead");
    assert_string_equal(a[0].unit_name, "辽宁省商务厅");
    assert_int_equal(a[0].side, 0);
    assert_int_equal(a[0].created_by, f->ln_coord.id);
    assert_int_equal(a[1].unit_id, f->ln_pj);
    assert_string_equal(a[1].role, "support");
    assert_int_equal(a[2].unit_id, f->js_wx);
    assert_string_equal(a[2].role, "lead");
    assert_int_equal(a[2].side, 1);
    assert_string_equal(a[2].unit_name, "无锡市人民政府");

    /* audited with the side's set before and after */
    assert_int_equal(fx_audit_count(f, "assignment.set", task, 1, 1), 2);
    const char *before = fx_audit_last(f, "assignment.set", task, 0);
    const char *after = fx_audit_last(f, "assignment.set", task, 1);
    assert_string_equal(before, "{\"side\":1,\"lead\":null,\"support\":[]}");
    char want[128];
    snprintf(want, sizeof want, "{\"side\":1,\"lead\":%lld,\"support\":[]}", (long long)f->js_wx);
    assert_string_equal(after, want);
    fx_audit_intact(f);
}

static void test_set_replaces_the_side(void **state)
{
    struct fx *f = *state;
    int64_t task = fx_task(f, f->lj, 7);
    int64_t sup[] = {f->ln_pj, f->ln_drc};
    assert_ok(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, f->ln_com, sup, 2));
    assert_ok(f, assignment_set(fx_as(f, &f->js_coord), task, 1, f->js_wx, NULL, 0));
    /* side 0 now: 盘锦 leads alone */
    assert_ok(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, f->ln_pj, NULL, 0));
    struct assignment_view *a;
    size_t n;
    assert_ok(f, assignment_list(fx_as(f, &f->ln_coord), task, &a, &n));
    assert_int_equal(n, 2);
    assert_non_null(find(a, n, f->ln_pj));
    assert_string_equal(find(a, n, f->ln_pj)->role, "lead");
    assert_null(find(a, n, f->ln_com));
    assert_null(find(a, n, f->ln_drc));
    assert_non_null(find(a, n, f->js_wx)); /* the other side is untouched */

    char want[160];
    long long s0 = f->ln_pj < f->ln_drc ? f->ln_pj : f->ln_drc;
    long long s1 = f->ln_pj < f->ln_drc ? f->ln_drc : f->ln_pj;
    snprintf(want, sizeof want, "{\"side\":0,\"lead\":%lld,\"support\":[%lld,%lld]}",
             (long long)f->ln_com, s0, s1);
    assert_string_equal(fx_audit_last(f, "assignment.set", task, 0), want);
    snprintf(want, sizeof want, "{\"side\":0,\"lead\":%lld,\"support\":[]}", (long long)f->ln_pj);
    assert_string_equal(fx_audit_last(f, "assignment.set", task, 1), want);

    /* the same set again changes nothing and writes no audit row */
    int64_t rows = fx_audit_total(f);
    assert_ok(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, f->ln_pj, NULL, 0));
    assert_int_equal(fx_audit_total(f), rows);

    /* lead 0 and no supports clears the side */
    assert_ok(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, 0, NULL, 0));
    assert_ok(f, assignment_list(fx_as(f, &f->ln_coord), task, &a, &n));
    assert_int_equal(n, 1);
    assert_int_equal(a[0].unit_id, f->js_wx);
}

static void test_denials(void **state)
{
    struct fx *f = *state;
    int64_t task = fx_task(f, f->lj, 4);
    int64_t rows = fx_audit_total(f);
    int64_t sup_other[] = {f->js_wx};

    /* the other side's coordinator cannot assign this side, nor this side's units */
    assert_fail(f, assignment_set(fx_as(f, &f->js_coord), task, 0, f->ln_com, NULL, 0),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, assignment_set(fx_as(f, &f->js_coord), task, 1, f->ln_com, NULL, 0),
                SVC_FORBIDDEN, "err_other_side");
    assert_string_equal(f->c.field, "lead_unit_id");
    assert_fail(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, f->ln_com, sup_other, 1),
                SVC_FORBIDDEN, "err_other_side");
    /* a unit of another pairing: as a missing one (issue #10) */
    assert_fail(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, f->dl_com, NULL, 0),
                SVC_INVALID, "err_unit_unknown");
    /* a coordinator of another pairing: the task is not there for it */
    assert_fail(f, assignment_set(fx_as(f, &f->sh_coord), task, 0, f->ln_com, NULL, 0),
                SVC_NOT_FOUND, "err_not_found");
    /* leaders and members never write */
    assert_fail(f, assignment_set(fx_as(f, &f->ln_leader), task, 0, f->ln_com, NULL, 0),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, assignment_set(fx_as(f, &f->ln_com_member), task, 0, f->ln_com, NULL, 0),
                SVC_FORBIDDEN, "err_forbidden");
    assert_int_equal(fx_audit_total(f), rows);
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM assignment", 0, NULL), 0);

    /* removal follows the same rule */
    assert_ok(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, f->ln_com, NULL, 0));
    assert_fail(f, assignment_remove(fx_as(f, &f->js_coord), task, f->ln_com), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, assignment_remove(fx_as(f, &f->ln_leader), task, f->ln_com), SVC_FORBIDDEN,
                "err_forbidden");
    /* another pairing's coordinator: the task is not there for it (issue #10) */
    assert_fail(f, assignment_remove(fx_as(f, &f->dl_coord), task, f->ln_pj), SVC_NOT_FOUND,
                "err_not_found");

    /* reading stays within the pairing: to another the task is not there */
    struct assignment_view *a;
    size_t n;
    assert_fail(f, assignment_list(fx_as(f, &f->dl_member), task, &a, &n), SVC_NOT_FOUND,
                "err_not_found");
    assert_ok(f, assignment_list(fx_as(f, &f->js_wx_member), task, &a, &n));
    assert_int_equal(n, 1);
}

static void test_validation(void **state)
{
    struct fx *f = *state;
    int64_t task = fx_task(f, f->lj, 4);
    struct ctx *c = fx_as(f, &f->ln_coord);
    int64_t twice[] = {f->ln_pj, f->ln_pj};
    int64_t lead_again[] = {f->ln_com};
    int64_t unknown[] = {999999};
    assert_fail(f, assignment_set(c, task, 2, f->ln_com, NULL, 0), SVC_INVALID, "err_range");
    assert_fail(f, assignment_set(c, 999999, 0, f->ln_com, NULL, 0), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, assignment_set(c, task, 0, 999999, NULL, 0), SVC_INVALID, "err_unit_unknown");
    assert_fail(f, assignment_set(c, task, 0, f->ln_com, unknown, 1), SVC_INVALID,
                "err_unit_unknown");
    assert_fail(f, assignment_set(c, task, 0, f->ln_com, twice, 2), SVC_INVALID, "err_invalid");
    assert_fail(f, assignment_set(c, task, 0, f->ln_com, lead_again, 1), SVC_INVALID,
                "err_invalid");
    assert_fail(f, assignment_set(c, task, 0, 0, twice, 1), SVC_INVALID, "err_required");
    int64_t many[ASSIGNMENT_MAX_SUPPORT + 1];
    for (size_t i = 0; i < ASSIGNMENT_MAX_SUPPORT + 1; i++)
        many[i] = f->ln_pj;
    assert_fail(f, assignment_set(c, task, 0, f->ln_com, many, ASSIGNMENT_MAX_SUPPORT + 1),
                SVC_INVALID, "err_range");
    assert_fail(f, assignment_remove(c, task, f->ln_pj), SVC_NOT_FOUND, "err_not_found");
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM assignment", 0, NULL), 0);
}

static void test_remove_is_audited(void **state)
{
    struct fx *f = *state;
    int64_t task = fx_task(f, f->lj, 10);
    int64_t sup[] = {f->ln_pj};
    /* the command line (no user) may do everything */
    assert_ok(f, assignment_set(fx_as(f, NULL), task, 0, f->ln_com, sup, 1));
    assert_ok(f, assignment_remove(fx_as(f, &f->ln_coord), task, f->ln_pj));
    struct assignment_view *a;
    size_t n;
    assert_ok(f, assignment_list(fx_as(f, &f->ln_coord), task, &a, &n));
    assert_int_equal(n, 1);
    assert_int_equal(a[0].created_by, 0);
    char want[128];
    snprintf(want, sizeof want, "{\"side\":0,\"lead\":%lld,\"support\":[%lld]}",
             (long long)f->ln_com, (long long)f->ln_pj);
    assert_string_equal(fx_audit_last(f, "assignment.remove", task, 0), want);
    snprintf(want, sizeof want, "{\"side\":0,\"lead\":%lld,\"support\":[]}", (long long)f->ln_com);
    assert_string_equal(fx_audit_last(f, "assignment.remove", task, 1), want);
    /* admin removes a lead: the side keeps no lead */
    assert_ok(f, assignment_remove(fx_as(f, &f->admin), task, f->ln_com));
    assert_ok(f, assignment_list(fx_as(f, &f->ln_coord), task, &a, &n));
    assert_int_equal(n, 0);
    assert_int_equal(fx_audit_count(f, "assignment.remove", task, 1, 1), 2);
    fx_audit_intact(f);
}

/* ---- versions ------------------------------------------------------------------------- */

/* The version of the task's assignments as a reader sees it now. */
static void digest_of(struct fx *f, int64_t task, char out[ASSIGNMENT_DIGEST_LEN + 1])
{
    struct assignment_view *a;
    size_t n;
    assert_ok(f, assignment_list(fx_as(f, &f->admin), task, &a, &n));
    assignment_digest(a, n, out);
    assert_int_equal(strlen(out), ASSIGNMENT_DIGEST_LEN);
    assert_int_equal(strspn(out, "0123456789abcdef"), ASSIGNMENT_DIGEST_LEN);
}

/* Two coordinators read the task, both write: the second, made against what it read, is
 * refused instead of silently replacing a set it has not seen. */
static void test_set_against_a_version(void **state)
{
    struct fx *f = *state;
    int64_t task = fx_task(f, f->lj, 4);
    char v0[ASSIGNMENT_DIGEST_LEN + 1], v1[ASSIGNMENT_DIGEST_LEN + 1],
        v2[ASSIGNMENT_DIGEST_LEN + 1], v3[ASSIGNMENT_DIGEST_LEN + 1];
    digest_of(f, task, v0);
    assert_ok(f, assignment_set_if(fx_as(f, &f->ln_coord), task, 0, f->ln_com, NULL, 0, v0));
    digest_of(f, task, v1);
    assert_string_not_equal(v0, v1);

    int64_t rows = fx_audit_total(f);
    assert_fail(f, assignment_set_if(fx_as(f, &f->js_coord), task, 1, f->js_wx, NULL, 0, v0),
                SVC_STALE, "err_stale");
    assert_fail(f, assignment_set_if(fx_as(f, &f->ln_coord), task, 0, f->ln_com, NULL, 0, v0),
                SVC_STALE, "err_stale"); /* even when it would change nothing */
    assert_int_equal(fx_audit_total(f), rows);
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM assignment", 0, NULL), 1);
    assert_ok(f, assignment_set_if(fx_as(f, &f->js_coord), task, 1, f->js_wx, NULL, 0, v1));
    digest_of(f, task, v2);
    assert_string_not_equal(v1, v2);

    /* "" matches no version; permission and input are still checked first */
    assert_fail(f, assignment_set_if(fx_as(f, &f->js_coord), task, 0, f->ln_pj, NULL, 0, ""),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, assignment_set_if(fx_as(f, &f->ln_coord), task, 0, 999999, NULL, 0, ""),
                SVC_INVALID, "err_unit_unknown");
    assert_fail(f, assignment_set_if(fx_as(f, &f->ln_coord), 999999, 0, f->ln_pj, NULL, 0, ""),
                SVC_NOT_FOUND, "err_not_found");
    assert_fail(f, assignment_set_if(fx_as(f, &f->ln_coord), task, 0, f->ln_pj, NULL, 0, ""),
                SVC_STALE, "err_stale");
    /* NULL: no comparison (the command line, the demo) */
    assert_ok(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, f->ln_pj, NULL, 0));
    digest_of(f, task, v3);
    assert_string_not_equal(v2, v3);

    /* a removal changes the version, and so does setting the set again after it */
    char v4[ASSIGNMENT_DIGEST_LEN + 1], v5[ASSIGNMENT_DIGEST_LEN + 1];
    assert_ok(f, assignment_remove(fx_as(f, &f->ln_coord), task, f->ln_pj));
    digest_of(f, task, v4);
    assert_string_not_equal(v3, v4);
    assert_ok(f, assignment_set_if(fx_as(f, &f->ln_coord), task, 0, f->ln_pj, NULL, 0, v4));
    digest_of(f, task, v5);
    assert_string_not_equal(v4, v5);

    /* the order the rows come in does not matter (a unit renamed reorders the list) */
    struct assignment_view *a;
    size_t n;
    assert_ok(f, assignment_list(fx_as(f, &f->admin), task, &a, &n));
    assert_int_equal(n, 2);
    struct assignment_view swapped[2] = {a[1], a[0]};
    char w[ASSIGNMENT_DIGEST_LEN + 1];
    assignment_digest(swapped, 2, w);
    assert_string_equal(w, v5);
    fx_audit_intact(f);
}

/* Importing a plan rewrites what every pairing works from: the command line and admins. */
static void test_plan_import_is_for_admins(void **state)
{
    struct fx *f = *state;
    const char *src = getenv("DUIKOU_SOURCE_DIR");
    char *path = arena_printf(&f->arena, "%s/data/plans/liaoning-jiangsu-shanghai-dalian.txt",
                              src ? src : "..");
    struct ingest_result r;
    ingest_parse_file(&f->arena, path, &r);
    assert_true(r.ok);
    int64_t rows = fx_audit_total(f);
    struct plan_import_result *res;
    size_t n;
    const struct user *others[] = {&f->ln_coord, &f->ln_leader, &f->ln_pj_member, &f->dl_coord};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        n = 99;
        assert_fail(f, plan_import(fx_as(f, others[i]), &r, NULL, &res, &n), SVC_FORBIDDEN,
                    "err_forbidden");
        assert_int_equal(n, 0);
    }
    assert_int_equal(fx_audit_total(f), rows);
    assert_ok(f, plan_import(fx_as(f, &f->admin), &r, NULL, &res, &n));
    assert_true(n > 0);
    assert_string_equal(res[0].status, "unchanged");
    assert_ok(f, plan_import(fx_as(f, NULL), &r, NULL, &res, &n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_both_sides_assign_the_same_task, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_set_replaces_the_side, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_denials, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_validation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_remove_is_audited, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_set_against_a_version, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_plan_import_is_for_admins, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
