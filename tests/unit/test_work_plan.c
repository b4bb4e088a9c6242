/* test_work_plan: the yearly work plan — get-or-create, items with their validation,
 * revisions (a stale edit is refused), draft → submitted → agreed by both sides (two people:
 * one admin cannot give both approvals), and an edit after submission or approval returning
 * the plan to draft with its approvals cleared. */
#include "coop_fixture.h"

#include "service/dashboard.h"
#include "service/report.h"
#include "service/work_plan.h"

static int64_t open_plan(struct fx *f)
{
    int64_t id = 0;
    assert_ok(f, work_plan_open(fx_as(f, &f->ln_coord), f->lj, 2027, &id));
    assert_true(id > 0);
    return id;
}

static struct work_item_input item_input(struct fx *f, const char *title, int64_t owner)
{
    struct work_item_input in = {
        .task_id = fx_task(f, f->lj, 7),
        .title = title,
        .owner_unit_id = owner,
        .due = "2027-06-30",
        .indicator = "举办“互联网+”产业发展论坛",
        .target_value = "不少于1次",
    };
    return in;
}

static int64_t plan_revision(struct fx *f, int64_t plan)
{
    return fx_scalar_(f->db, "SELECT revision FROM work_plan WHERE id = :a", plan, NULL);
}

static const char *wp_status(struct fx *f, int64_t plan)
{
    struct work_plan_view v;
    assert_ok(f, work_plan_get(fx_as(f, NULL), plan, &v));
    return v.status;
}

static void test_open_is_get_or_create(void **state)
{
    struct fx *f = *state;
    int64_t a = open_plan(f), b = 0;
    assert_ok(f, work_plan_open(fx_as(f, &f->js_coord), f->lj, 2027, &b));
    assert_int_equal(a, b);
    assert_int_equal(fx_audit_count(f, "work_plan.create", a, 0, 1), 1);

    assert_ok(f, work_plan_find(fx_as(f, &f->ln_leader), f->lj, 2027, &b));
    assert_int_equal(a, b);
    assert_fail(f, work_plan_find(fx_as(f, &f->ln_leader), f->lj, 2030, &b), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, work_plan_find(fx_as(f, &f->dl_member), f->lj, 2027, &b), SVC_FORBIDDEN,
                "err_forbidden");

    /* only coordinators of the pairing (and admins) create */
    assert_fail(f, work_plan_open(fx_as(f, &f->ln_leader), f->lj, 2028, &b), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, work_plan_open(fx_as(f, &f->ln_pj_member), f->lj, 2028, &b), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, work_plan_open(fx_as(f, &f->sh_coord), f->lj, 2028, &b), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, work_plan_open(fx_as(f, &f->ln_coord), f->lj, 1999, &b), SVC_INVALID,
                "err_range");
    int64_t city = fx_scalar_(f->db, "SELECT id FROM pairing WHERE parent_id = :a", f->lj, NULL);
    assert_fail(f, work_plan_open(fx_as(f, &f->admin), city, 2027, &b), SVC_INVALID,
                "err_invalid");
    assert_fail(f, work_plan_open(fx_as(f, &f->admin), 999999, 2027, &b), SVC_NOT_FOUND,
                "err_not_found");
    assert_ok(f, work_plan_open(fx_as(f, &f->admin), f->lj, 2028, &b));

    struct work_plan_summary *s;
    size_t n;
    assert_ok(f, work_plan_list(fx_as(f, &f->js_wx_member), f->lj, &s, &n));
    assert_int_equal(n, 2);
    assert_int_equal(s[0].year, 2028);
    assert_int_equal(s[1].year, 2027);
    assert_string_equal(s[1].status, "draft");
    assert_fail(f, work_plan_list(fx_as(f, &f->dl_member), f->lj, &s, &n), SVC_FORBIDDEN,
                "err_forbidden");
}

/* A request nobody signed in to acts as svc_public: refused everywhere a role is needed, where
 * the command line (c->user NULL) may do everything. */
static void test_public_is_refused(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f), id = 0, item = 0;
    struct work_item_input in = item_input(f, "盘锦事项", f->ln_pj);
    assert_ok(f, work_plan_item_add(fx_as(f, &f->ln_coord), plan, &in, &item));
    struct ctx *pub = fx_as(f, &svc_public);
    assert_fail(f, work_plan_open(pub, f->lj, 2028, &id), SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, work_plan_item_add(pub, plan, &in, NULL), SVC_FORBIDDEN, "err_forbidden");
    struct work_plan_summary *s;
    size_t n;
    assert_fail(f, work_plan_list(pub, f->lj, &s, &n), SVC_FORBIDDEN, "err_forbidden");
    struct work_plan_view v;
    assert_fail(f, work_plan_get(pub, plan, &v), SVC_FORBIDDEN, "err_forbidden");
    struct work_item_view iv;
    assert_fail(f, work_plan_item_get(pub, item, &iv), SVC_FORBIDDEN, "err_forbidden");
    struct dashboard d;
    assert_fail(f, dashboard_get(pub, f->lj, 2027, &d), SVC_FORBIDDEN, "err_forbidden");
    struct report_input r = {.work_item_id = item, .period = "2027-05", .status = "on_track",
                             .percent = 10, .narrative = "进展"};
    assert_fail(f, report_submit(pub, &r, &id), SVC_FORBIDDEN, "err_forbidden");
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM report", 0, NULL), 0);
    assert_ok(f, work_plan_open(fx_as(f, NULL), f->lj, 2028, &id)); /* the command line */
}

static void test_item_add_and_get(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f);
    assert_int_equal(plan_revision(f, plan), 1);
    struct work_item_input in = item_input(f, "  组织盘锦市参加世界物联网博览会 ", f->ln_pj);
    int64_t sup[] = {f->js_wx, f->ln_com};
    in.support = sup;
    in.n_support = 2;
    int64_t item = 0;
    assert_ok(f, work_plan_item_add(fx_as(f, &f->ln_coord), plan, &in, &item));
    assert_true(item > 0);
    assert_int_equal(plan_revision(f, plan), 2);

    struct work_plan_view v;
    assert_ok(f, work_plan_get(fx_as(f, &f->ln_pj_member), plan, &v));
    assert_int_equal(v.year, 2027);
    assert_string_equal(v.status, "draft");
    assert_int_equal(v.revision, 2);
    assert_string_equal(v.name_a, "遼寧省");
    assert_int_equal(v.n_items, 1);
    const struct work_item_view *it = &v.items[0];
    assert_int_equal(it->id, item);
    assert_string_equal(it->title, "组织盘锦市参加世界物联网博览会"); /* trimmed */
    assert_int_equal(it->task_number, 7);
    assert_non_null(strstr(it->task_title, "物聯網"));
    assert_int_equal(it->owner.id, f->ln_pj);
    assert_string_equal(it->owner.name, "盘锦市人民政府");
    assert_int_equal(it->owner.side, 0);
    assert_int_equal(it->n_support, 2);
    assert_int_equal(it->support[0].id, f->ln_com); /* side 0 first */
    assert_int_equal(it->support[1].id, f->js_wx);
    assert_int_equal(it->support[1].side, 1);
    assert_string_equal(it->due, "2027-06-30");
    assert_string_equal(it->indicator, "举办“互联网+”产业发展论坛");
    assert_string_equal(it->target_value, "不少于1次");
    assert_int_equal(it->revision, 1);
    assert_int_equal(it->report_id, 0);
    assert_null(it->review);
    assert_int_equal(it->light, LIGHT_GREEN);

    struct work_item_view one;
    assert_ok(f, work_plan_item_get(fx_as(f, &f->js_coord), item, &one));
    assert_string_equal(one.title, it->title);
    assert_int_equal(one.n_support, 2);
    assert_fail(f, work_plan_item_get(fx_as(f, &f->dl_coord), item, &one), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, work_plan_get(fx_as(f, &f->sh_coord), plan, &v), SVC_NOT_FOUND,
                "err_not_found");

    assert_int_equal(fx_audit_count(f, "work_item.add", item, 0, 1), 1);
    assert_non_null(strstr(fx_audit_last(f, "work_item.add", item, 1), "\"title\":\"组织盘锦市"));
    fx_audit_intact(f);
}

static void test_item_validation(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f);
    struct ctx *c = fx_as(f, &f->ln_coord);
    struct work_item_input in;
#define TRY(field_, value_, code_, status_)                                                  \
    do {                                                                                     \
        in = item_input(f, "合作事项", f->ln_pj);                                            \
        in.field_ = value_;                                                                  \
        assert_fail(f, work_plan_item_add(fx_as(f, &f->ln_coord), plan, &in, NULL), status_, \
                    code_);                                                                  \
    } while (0)

    TRY(title, "", "err_required", SVC_INVALID);
    assert_string_equal(f->c.field, "title");
    TRY(title, " \u3000 ", "err_required", SVC_INVALID);
    TRY(title, NULL, "err_required", SVC_INVALID);
    TRY(title, "bad \xff utf-8", "err_invalid", SVC_INVALID);
    TRY(title, "line\x01break", "err_invalid", SVC_INVALID);
    struct sb long_title = SB_INIT;
    for (int i = 0; i < 201; i++)
        sb_append(&long_title, "合");
    TRY(title, sb_str(&long_title), "err_too_long", SVC_INVALID);
    TRY(due, NULL, "err_required", SVC_INVALID);
    assert_string_equal(f->c.field, "due");
    TRY(due, "2027-02-29", "err_date", SVC_INVALID); /* 2027 is not a leap year */
    TRY(due, "2027-13-01", "err_date", SVC_INVALID);
    TRY(due, "2027/03/01", "err_date", SVC_INVALID);
    TRY(due, "2027-3-1", "err_date", SVC_INVALID);
    TRY(due, "2029-01-01", "err_range", SVC_INVALID);
    TRY(due, "2025-12-31", "err_range", SVC_INVALID);
    TRY(owner_unit_id, 0, "err_required", SVC_INVALID);
    TRY(owner_unit_id, 999999, "err_unit_unknown", SVC_INVALID);
    TRY(owner_unit_id, f->dl_com, "err_unit_unknown", SVC_INVALID); /* another pairing */
    assert_string_equal(f->c.field, "owner_unit_id");
    TRY(task_id, fx_task(f, f->sd, 3), "err_task_unknown", SVC_INVALID);
    assert_string_equal(f->c.field, "task_id");
    TRY(task_id, 999999, "err_task_unknown", SVC_INVALID);
    struct sb long_text = SB_INIT;
    for (int i = 0; i < 501; i++)
        sb_append(&long_text, "标");
    TRY(indicator, sb_str(&long_text), "err_too_long", SVC_INVALID);
    assert_string_equal(f->c.field, "indicator");
    TRY(target_value, sb_str(&long_text), "err_too_long", SVC_INVALID);

    int64_t other[] = {f->dl_com}, self[] = {f->ln_pj}, twice[] = {f->js_wx, f->js_wx};
    in = item_input(f, "合作事项", f->ln_pj);
    in.support = other;
    in.n_support = 1;
    assert_fail(f, work_plan_item_add(c, plan, &in, NULL), SVC_INVALID, "err_unit_unknown");
    in.support = self;
    assert_fail(f, work_plan_item_add(c, plan, &in, NULL), SVC_INVALID, "err_invalid");
    in.support = twice;
    in.n_support = 2;
    assert_fail(f, work_plan_item_add(c, plan, &in, NULL), SVC_INVALID, "err_invalid");
    assert_fail(f, work_plan_item_add(c, 999999, &in, NULL), SVC_NOT_FOUND, "err_not_found");

    /* nothing was written */
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM work_item", 0, NULL), 0);
    assert_int_equal(plan_revision(f, plan), 1);

    /* the limits themselves are fine: 200 characters, due a year either side, no task */
    sb_reset(&long_title);
    for (int i = 0; i < 200; i++)
        sb_append(&long_title, "合");
    in = item_input(f, sb_str(&long_title), f->ln_pj);
    in.due = "2026-01-01";
    in.task_id = 0;
    in.indicator = in.target_value = NULL;
    assert_ok(f, work_plan_item_add(c, plan, &in, NULL));
    in.due = "2028-02-29";
    assert_ok(f, work_plan_item_add(c, plan, &in, NULL));
    sb_free(&long_title);
    sb_free(&long_text);
#undef TRY
}

static void test_items_of_own_side_only(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f);
    struct work_item_input in = item_input(f, "盘锦事项", f->ln_pj);
    assert_fail(f, work_plan_item_add(fx_as(f, &f->js_coord), plan, &in, NULL), SVC_FORBIDDEN,
                "err_other_side");
    assert_fail(f, work_plan_item_add(fx_as(f, &f->ln_leader), plan, &in, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, work_plan_item_add(fx_as(f, &f->ln_pj_member), plan, &in, NULL),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, work_plan_item_add(fx_as(f, &f->dl_coord), plan, &in, NULL), SVC_NOT_FOUND,
                "err_not_found");
    int64_t item = 0, js_item = 0;
    assert_ok(f, work_plan_item_add(fx_as(f, &f->ln_coord), plan, &in, &item));
    struct work_item_input js = item_input(f, "无锡事项", f->js_wx);
    assert_ok(f, work_plan_item_add(fx_as(f, &f->js_coord), plan, &js, &js_item));

    /* editing: the item's owner side, before and after */
    in.title = "盘锦事项（修订）";
    assert_fail(f, work_plan_item_edit(fx_as(f, &f->js_coord), item, 1, &in), SVC_FORBIDDEN,
                "err_other_side");
    assert_fail(f, work_plan_item_remove(fx_as(f, &f->js_coord), item, 1), SVC_FORBIDDEN,
                "err_other_side");
    in.owner_unit_id = f->js_wx;
    assert_fail(f, work_plan_item_edit(fx_as(f, &f->ln_coord), item, 1, &in), SVC_FORBIDDEN,
                "err_other_side");
    assert_fail(f, work_plan_item_edit(fx_as(f, &f->ln_leader), item, 1, &in), SVC_FORBIDDEN,
                "err_forbidden");
    /* an admin may move an item across */
    assert_ok(f, work_plan_item_edit(fx_as(f, &f->admin), item, 1, &in));
    struct work_item_view v;
    assert_ok(f, work_plan_item_get(fx_as(f, &f->ln_coord), item, &v));
    assert_int_equal(v.owner.id, f->js_wx);
    assert_int_equal(v.revision, 2);
}

static void test_stale_revision(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f);
    struct work_item_input in = item_input(f, "共同制定新兴产业发展三年行动计划", f->ln_com);
    int64_t item = 0;
    assert_ok(f, work_plan_item_add(fx_as(f, &f->ln_coord), plan, &in, &item));

    /* two coordinators of the same side read revision 1; the second edit is refused */
    struct work_item_input a = in, b = in;
    a.due = "2027-09-30";
    b.title = "另一个标题";
    assert_ok(f, work_plan_item_edit(fx_as(f, &f->ln_coord), item, 1, &a));
    int64_t rows = fx_audit_total(f);
    assert_fail(f, work_plan_item_edit(fx_as(f, &f->ln_coord2), item, 1, &b), SVC_STALE,
                "err_stale");
    assert_fail(f, work_plan_item_remove(fx_as(f, &f->ln_coord2), item, 1), SVC_STALE,
                "err_stale");
    assert_int_equal(fx_audit_total(f), rows);
    struct work_item_view v;
    assert_ok(f, work_plan_item_get(fx_as(f, &f->ln_coord2), item, &v));
    assert_string_equal(v.due, "2027-09-30");
    assert_string_equal(v.title, "共同制定新兴产业发展三年行动计划");
    assert_int_equal(v.revision, 2);

    /* the edit is audited before/after */
    assert_non_null(strstr(fx_audit_last(f, "work_item.edit", item, 0), "\"due\":\"2027-06-30\""));
    assert_non_null(strstr(fx_audit_last(f, "work_item.edit", item, 1), "\"due\":\"2027-09-30\""));

    /* an edit that changes nothing writes nothing */
    int64_t rev = plan_revision(f, plan);
    assert_ok(f, work_plan_item_edit(fx_as(f, &f->ln_coord2), item, 2, &a));
    assert_int_equal(plan_revision(f, plan), rev);
    assert_int_equal(fx_audit_total(f), rows);

    /* the plan's revision also guards submit */
    assert_fail(f, work_plan_submit(fx_as(f, &f->js_coord), plan, rev - 1), SVC_STALE,
                "err_stale");

    /* removal with the current revision */
    assert_ok(f, work_plan_item_remove(fx_as(f, &f->ln_coord2), item, 2));
    assert_fail(f, work_plan_item_get(fx_as(f, &f->ln_coord), item, &v), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, work_plan_item_remove(fx_as(f, &f->ln_coord), item, 3), SVC_NOT_FOUND,
                "err_not_found");
    struct work_plan_view pv;
    assert_ok(f, work_plan_get(fx_as(f, &f->ln_coord), plan, &pv));
    assert_int_equal(pv.n_items, 0);
    assert_int_equal(fx_audit_count(f, "work_item.remove", item, 1, 1), 1);
    fx_audit_intact(f);
}

static void test_submit_approve_agree(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f);
    assert_fail(f, work_plan_submit(fx_as(f, &f->ln_coord), plan, 0), SVC_CONFLICT,
                "err_plan_empty");
    struct work_item_input in = item_input(f, "盘锦事项", f->ln_pj);
    int64_t item = 0;
    assert_ok(f, work_plan_item_add(fx_as(f, &f->ln_coord), plan, &in, &item));
    assert_fail(f, work_plan_approve(fx_as(f, &f->ln_coord), plan, 0, 0, NULL), SVC_CONFLICT,
                "err_plan_not_submitted");
    assert_fail(f, work_plan_submit(fx_as(f, &f->ln_leader), plan, 0), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, work_plan_submit(fx_as(f, &f->ln_pj_member), plan, 0), SVC_FORBIDDEN,
                "err_forbidden");

    /* a coordinator of either side submits */
    int64_t rev = plan_revision(f, plan);
    assert_ok(f, work_plan_submit(fx_as(f, &f->js_coord), plan, rev));
    assert_string_equal(wp_status(f, plan), "submitted");
    assert_int_equal(plan_revision(f, plan), rev + 1);
    assert_fail(f, work_plan_submit(fx_as(f, &f->ln_coord), plan, 0), SVC_CONFLICT,
                "err_plan_not_draft");
    assert_string_equal(fx_audit_last(f, "work_plan.submit", plan, 1),
                        "{\"status\":\"submitted\",\"approved\":[],\"revision\":3}");

    /* approvals: each side's own coordinator */
    bool agreed = true;
    assert_fail(f, work_plan_approve(fx_as(f, &f->js_coord), plan, 0, 0, &agreed), SVC_FORBIDDEN,
                "err_forbidden");
    assert_false(agreed);
    assert_fail(f, work_plan_approve(fx_as(f, &f->ln_leader), plan, 0, 0, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, work_plan_approve(fx_as(f, &f->ln_pj_member), plan, 0, 0, NULL),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, work_plan_approve(fx_as(f, &f->sh_coord), plan, 0, 0, NULL), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, work_plan_approve(fx_as(f, NULL), plan, 0, 0, NULL), SVC_FORBIDDEN,
                "err_forbidden"); /* an approval needs a person */
    assert_fail(f, work_plan_approve(fx_as(f, &f->ln_coord), plan, 2, 0, NULL), SVC_INVALID,
                "err_range");
    assert_fail(f, work_plan_approve(fx_as(f, &f->ln_coord), plan, 0, rev, NULL), SVC_STALE,
                "err_stale");
    assert_ok(f, work_plan_approve(fx_as(f, &f->ln_coord), plan, 0, rev + 1, &agreed));
    assert_false(agreed);
    assert_string_equal(wp_status(f, plan), "submitted");
    assert_fail(f, work_plan_approve(fx_as(f, &f->ln_coord2), plan, 0, 0, NULL), SVC_CONFLICT,
                "err_already_approved");
    assert_ok(f, work_plan_approve(fx_as(f, &f->js_coord), plan, 1, 0, &agreed));
    assert_true(agreed);

    struct work_plan_view v;
    assert_ok(f, work_plan_get(fx_as(f, &f->ln_leader), plan, &v));
    assert_string_equal(v.status, "agreed");
    assert_true(v.approved[0]);
    assert_true(v.approved[1]);
    assert_int_equal(v.n_approvals, 2);
    assert_string_equal(v.approvals[0].user_login, "ln_coord");
    assert_string_equal(v.approvals[1].user_login, "js_coord");
    assert_null(v.approvals[0].cleared_at);
    assert_int_equal(fx_audit_count(f, "work_plan.approve", plan, 1, 1), 2);
    assert_non_null(strstr(fx_audit_last(f, "work_plan.approve", plan, 1),
                           "\"status\":\"agreed\",\"approved\":[0,1]"));
    assert_fail(f, work_plan_approve(fx_as(f, &f->js_coord), plan, 1, 0, NULL), SVC_CONFLICT,
                "err_already_approved");

    /* an edit after agreement: back to draft, approvals cleared and recorded */
    in.target_value = "不少于2次";
    int64_t before = plan_revision(f, plan);
    assert_ok(f, work_plan_item_edit(fx_as(f, &f->ln_coord), item, 1, &in));
    assert_int_equal(plan_revision(f, plan), before + 1);
    assert_ok(f, work_plan_get(fx_as(f, &f->ln_leader), plan, &v));
    assert_string_equal(v.status, "draft");
    assert_false(v.approved[0]);
    assert_false(v.approved[1]);
    assert_int_equal(v.n_approvals, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_non_null(v.approvals[i].cleared_at);
        assert_non_null(strstr(v.approvals[i].cleared_reason, "edited"));
    }
    assert_int_equal(fx_audit_count(f, "work_plan.reopen", plan, 1, 1), 1);
    assert_non_null(strstr(fx_audit_last(f, "work_plan.reopen", plan, 0),
                           "\"status\":\"agreed\",\"approved\":[0,1]"));
    assert_non_null(strstr(fx_audit_last(f, "work_plan.reopen", plan, 1),
                           "\"status\":\"draft\",\"approved\":[]"));

    /* the approvals have to be given again */
    assert_fail(f, work_plan_approve(fx_as(f, &f->ln_coord), plan, 0, 0, NULL), SVC_CONFLICT,
                "err_plan_not_submitted");
    assert_ok(f, work_plan_submit(fx_as(f, &f->ln_coord), plan, 0));
    assert_ok(f, work_plan_approve(fx_as(f, &f->admin), plan, 1, 0, &agreed)); /* admin, side 1 */
    assert_false(agreed);

    /* adding an item to a submitted plan with one approval also reopens it */
    struct work_item_input more = item_input(f, "无锡事项", f->js_wx);
    assert_ok(f, work_plan_item_add(fx_as(f, &f->js_coord), plan, &more, NULL));
    assert_ok(f, work_plan_get(fx_as(f, &f->ln_leader), plan, &v));
    assert_string_equal(v.status, "draft");
    assert_false(v.approved[1]);
    assert_int_equal(v.n_approvals, 3);
    assert_non_null(strstr(v.approvals[2].cleared_reason, "added"));
    assert_int_equal(fx_audit_count(f, "work_plan.reopen", plan, 1, 1), 2);
    fx_audit_intact(f);
}

/* One account never agrees a plan alone: an admin may approve either side, but not both. */
static void test_dual_signoff_needs_two_people(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f);
    struct work_item_input in = item_input(f, "盘锦事项", f->ln_pj);
    int64_t item = 0;
    assert_ok(f, work_plan_item_add(fx_as(f, &f->ln_coord), plan, &in, &item));
    assert_ok(f, work_plan_submit(fx_as(f, &f->ln_coord), plan, 0));
    bool agreed = true;
    assert_ok(f, work_plan_approve(fx_as(f, &f->admin), plan, 0, 0, &agreed));
    assert_false(agreed);
    int64_t rev = plan_revision(f, plan), rows = fx_audit_total(f);
    assert_fail(f, work_plan_approve(fx_as(f, &f->admin), plan, 1, 0, &agreed), SVC_CONFLICT,
                "err_same_approver");
    assert_false(agreed);
    assert_string_equal(wp_status(f, plan), "submitted");
    assert_int_equal(plan_revision(f, plan), rev);
    assert_int_equal(fx_audit_total(f), rows);
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM approval WHERE work_plan_id = :a",
                                plan, NULL),
                     1);
    /* the other side's own coordinator gives the second approval */
    assert_ok(f, work_plan_approve(fx_as(f, &f->js_coord), plan, 1, 0, &agreed));
    assert_true(agreed);

    /* Reopened, the cleared approvals no longer count: the admin may approve again, for
     * either side, but again only one. */
    in.title = "盘锦事项（修订）";
    struct work_item_view v;
    assert_ok(f, work_plan_item_get(fx_as(f, &f->ln_coord), item, &v));
    assert_ok(f, work_plan_item_edit(fx_as(f, &f->ln_coord), item, v.revision, &in));
    assert_ok(f, work_plan_submit(fx_as(f, &f->ln_coord), plan, 0));
    assert_ok(f, work_plan_approve(fx_as(f, &f->admin), plan, 1, 0, &agreed));
    assert_fail(f, work_plan_approve(fx_as(f, &f->admin), plan, 0, 0, &agreed), SVC_CONFLICT,
                "err_same_approver");
    assert_ok(f, work_plan_approve(fx_as(f, &f->ln_coord), plan, 0, 0, &agreed));
    assert_true(agreed);
    struct work_plan_view pv;
    assert_ok(f, work_plan_get(fx_as(f, &f->ln_leader), plan, &pv));
    assert_string_equal(pv.status, "agreed");
    assert_int_equal(pv.n_approvals, 4);
    assert_string_equal(pv.approvals[2].user_login, "admin");
    assert_string_equal(pv.approvals[3].user_login, "ln_coord");
    fx_audit_intact(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_is_get_or_create, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_public_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_item_add_and_get, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_item_validation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_items_of_own_side_only, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_stale_revision, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_submit_approve_agree, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_dual_signoff_needs_two_people, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
