/* test_notice: 通知公告 — who may write and read a notice in each state, the states' order
 * (draft → published ⇄ withdrawn), a stale edit refused and nothing written, validation by
 * field, an audit row per write (none for a refusal or an edit that changes nothing), the
 * body's line breaks stored alike, and the public list's order and keyset pages. */
#include "coop_fixture.h"

#include "service/notice.h"

static int64_t create(struct fx *f, const struct user *u, int64_t pairing, const char *title)
{
    struct notice_input in = {.pairing_id = pairing, .title = title, .body = "正文"};
    int64_t id = 0;
    assert_ok(f, notice_create(fx_as(f, u), &in, &id));
    return id;
}

static struct notice_view get(struct fx *f, int64_t id)
{
    struct notice_view v;
    assert_ok(f, notice_get(fx_as(f, NULL), id, &v));
    return v;
}

static void test_states_and_audit(void **state)
{
    struct fx *f = *state;
    int64_t id = create(f, &f->ln_coord, 0, "关于报送进展情况的通知");
    struct notice_view v = get(f, id);
    assert_int_equal(v.pairing_id, f->lj);
    assert_string_equal(v.status, "draft");
    assert_null(v.published_at);
    assert_string_equal(v.created_by, "ln_coord");
    assert_int_equal(fx_audit_count(f, "notice.create", id, 0, 1), 1);

    /* a draft: not found to the public list, another pairing, a member; found to both sides'
     * coordinators */
    struct notice_view w;
    assert_fail(f, notice_get_published(fx_as(f, NULL), id, &w), SVC_NOT_FOUND, "err_not_found");
    assert_fail(f, notice_get(fx_as(f, &f->dl_coord), id, &w), SVC_NOT_FOUND, "err_not_found");
    assert_fail(f, notice_get(fx_as(f, &f->ln_pj_member), id, &w), SVC_NOT_FOUND,
                "err_not_found");
    assert_ok(f, notice_get(fx_as(f, &f->js_coord), id, &w));

    /* withdrawing a draft is a state conflict; publishing twice too */
    assert_fail(f, notice_withdraw(fx_as(f, &f->ln_coord), id, NULL), SVC_CONFLICT,
                "err_notice_state");
    assert_ok(f, notice_publish(fx_as(f, &f->js_coord), id, v.updated_at));
    v = get(f, id);
    assert_string_equal(v.status, "published");
    assert_non_null(v.published_at);
    assert_fail(f, notice_publish(fx_as(f, &f->ln_coord), id, NULL), SVC_CONFLICT,
                "err_notice_state");
    assert_ok(f, notice_get_published(fx_as(f, NULL), id, &w));
    assert_ok(f, notice_get(fx_as(f, &f->dl_member), id, &w));

    /* published: another pairing's coordinator and a leader are refused, not "not found" */
    assert_fail(f, notice_withdraw(fx_as(f, &f->dl_coord), id, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, notice_withdraw(fx_as(f, &f->ln_leader), id, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_ok(f, notice_withdraw(fx_as(f, &f->ln_coord), id, NULL));
    assert_string_equal(get(f, id).status, "withdrawn");
    assert_fail(f, notice_get_published(fx_as(f, NULL), id, &w), SVC_NOT_FOUND, "err_not_found");
    /* published again: a new publication time */
    assert_ok(f, notice_publish(fx_as(f, &f->admin), id, NULL));
    assert_string_equal(get(f, id).status, "published");

    assert_int_equal(fx_audit_count(f, "notice.publish", id, 1, 1), 2);
    assert_int_equal(fx_audit_count(f, "notice.withdraw", id, 1, 1), 1);
    assert_non_null(strstr(fx_audit_last(f, "notice.withdraw", id, 1), "\"withdrawn\""));
    fx_audit_intact(f);
}

static void test_edit_stale_and_validation(void **state)
{
    struct fx *f = *state;
    int64_t id = create(f, &f->ln_coord, f->lj, "原标题");
    struct notice_view v = get(f, id);
    int64_t rows = fx_audit_total(f);

    struct notice_input in = {.title = "新标题", .if_updated_at = v.updated_at};
    assert_ok(f, notice_edit(fx_as(f, &f->ln_coord), id, &in));
    struct notice_view now = get(f, id);
    assert_string_equal(now.title, "新标题");
    assert_string_equal(now.body, "正文");
    assert_int_equal(fx_audit_total(f), rows + 1);

    /* the same old version again: stale, nothing written */
    in.title = "第三个标题";
    assert_fail(f, notice_edit(fx_as(f, &f->js_coord), id, &in), SVC_STALE, "err_stale");
    assert_string_equal(get(f, id).title, "新标题");
    assert_int_equal(fx_audit_total(f), rows + 1);

    /* Two writes in one millisecond still make two versions: a version from the clock's
     * future (here: stored ahead of it) is followed by one a millisecond later, and the
     * older one is then stale. */
    assert_int_equal(db_exec(f->db, "UPDATE notice SET updated_at = '2999-01-01T00:00:00.000Z'"), 0);
    in = (struct notice_input){.title = "新标题", .body = "正文（改）",
                               .if_updated_at = "2999-01-01T00:00:00.000Z"};
    assert_ok(f, notice_edit(fx_as(f, &f->ln_coord), id, &in));
    assert_string_equal(get(f, id).updated_at, "2999-01-01T00:00:00.001Z");
    in.body = "正文";
    assert_fail(f, notice_edit(fx_as(f, &f->ln_coord), id, &in), SVC_STALE, "err_stale");
    in.if_updated_at = "2999-01-01T00:00:00.001Z";
    assert_ok(f, notice_edit(fx_as(f, &f->ln_coord), id, &in));
    now = get(f, id);
    rows = fx_audit_total(f) - 1; /* the counts below: from here */

    /* nothing changes: no write, no audit row */
    in = (struct notice_input){.title = "新标题", .if_updated_at = now.updated_at};
    assert_ok(f, notice_edit(fx_as(f, &f->ln_coord), id, &in));
    assert_int_equal(fx_audit_total(f), rows + 1);

    /* line breaks: CR LF stored as LF */
    in = (struct notice_input){.body = "第一段\r\n\r\n第二段\r第三行", .if_updated_at = now.updated_at};
    assert_ok(f, notice_edit(fx_as(f, &f->ln_coord), id, &in));
    assert_string_equal(get(f, id).body, "第一段\n\n第二段\n第三行");

    /* validation, by field */
    char long_title[3 * 101 + 1] = "";
    for (int i = 0; i < 101; i++)
        strcat(long_title, "通");
    struct notice_input bad[] = {
        {.title = NULL, .body = "正文"},  {.title = " \t", .body = "正文"},
        {.title = long_title, .body = "正文"}, {.title = "一行\n两行", .body = "正文"},
        {.title = "标题", .body = "　"},
    };
    const char *codes[] = {"err_required", "err_required", "err_too_long", "err_invalid",
                           "err_required"};
    const char *fields[] = {"title", "title", "title", "title", "body"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t none = 0;
        assert_fail(f, notice_create(fx_as(f, &f->ln_coord), &bad[i], &none), SVC_INVALID,
                    codes[i]);
        assert_string_equal(f->c.field, fields[i]);
    }
    long_title[3 * 100] = '\0'; /* exactly 100 code points */
    assert_int_not_equal(create(f, &f->ln_coord, 0, long_title), 0);
}

static void test_who_writes(void **state)
{
    struct fx *f = *state;
    struct notice_input in = {.title = "通知", .body = "正文"};
    int64_t id = 0;
    int64_t rows = fx_audit_total(f);
    assert_fail(f, notice_create(fx_as(f, &f->ln_pj_member), &in, &id), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, notice_create(fx_as(f, &f->ln_leader), &in, &id), SVC_FORBIDDEN,
                "err_forbidden");
    in.pairing_id = f->sd;
    assert_fail(f, notice_create(fx_as(f, &f->ln_coord), &in, &id), SVC_FORBIDDEN,
                "err_forbidden");
    in.pairing_id = 99999;
    assert_fail(f, notice_create(fx_as(f, &f->admin), &in, &id), SVC_INVALID,
                "err_pairing_unknown");
    assert_int_equal(fx_audit_total(f), rows);

    /* an admin's notice to every pairing: only admins write it */
    int64_t all = create(f, &f->admin, 0, "全体通知");
    assert_int_equal(get(f, all).pairing_id, 0);
    assert_fail(f, notice_publish(fx_as(f, &f->ln_coord), all, NULL), SVC_NOT_FOUND,
                "err_not_found");
    assert_ok(f, notice_publish(fx_as(f, &f->admin), all, NULL));
    assert_fail(f, notice_withdraw(fx_as(f, &f->ln_coord), all, NULL), SVC_FORBIDDEN,
                "err_forbidden");

    /* management lists: a coordinator its pairing's, an admin all; members none */
    int64_t sd = create(f, &f->dl_coord, 0, "大连通知");
    struct notice_view *v;
    size_t n;
    int64_t next;
    assert_ok(f, notice_list_managed(fx_as(f, &f->sh_coord), 0, 0, &v, &n, &next));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, sd);
    assert_ok(f, notice_list_managed(fx_as(f, &f->admin), 0, 0, &v, &n, &next));
    assert_int_equal(n, 2);
    assert_fail(f, notice_list_managed(fx_as(f, &f->dl_member), 0, 0, &v, &n, &next),
                SVC_FORBIDDEN, "err_forbidden");
}

static void test_public_list_pages(void **state)
{
    struct fx *f = *state;
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        ids[i] = create(f, &f->ln_coord, 0, "通知");
        assert_ok(f, notice_publish(fx_as(f, &f->ln_coord), ids[i], NULL));
    }
    create(f, &f->ln_coord, 0, "草稿");
    /* the same publication time for two: the id orders them */
    assert_int_equal(db_exec(f->db, "UPDATE notice SET published_at = "
                                    "(SELECT published_at FROM notice WHERE id = 3) "
                                    "WHERE id = 4"),
                     0);
    struct notice_view *v;
    size_t n;
    int64_t next, seen[5], k = 0, after = 0;
    do {
        assert_ok(f, notice_list_published(fx_as(f, NULL), after, 2, &v, &n, &next));
        for (size_t i = 0; i < n; i++) {
            assert_string_equal(v[i].status, "published");
            seen[k++] = v[i].id;
        }
        after = next;
    } while (next);
    assert_int_equal(k, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(seen[i], ids[4 - i]);
    assert_fail(f, notice_list_published(fx_as(f, NULL), 0, NOTICE_PAGE_MAX + 1, &v, &n, &next),
                SVC_INVALID, "err_range");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_states_and_audit, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_edit_stale_and_validation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_who_writes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_public_list_pages, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
