/* test_report: progress reports and their review — the whole loop at service level (assign
 * → work plan → both approvals → report → return → report again → accept → the light
 * changes), who may report and review, every validation error, the pending queue and the
 * history with keyset pages, periods that do not overtake each other, writes racing a
 * concurrent change, and the audit rows of each write. */
#include "coop_fixture.h"

#include "service/assignment.h"
#include "service/light.h"
#include "store/db_impl.h" /* the SQLite handle, to hook the start of a transaction */

struct world {
    int64_t plan, item_pj, item_js, item_drc;
};

/* An agreed 2027 plan of 辽宁–江苏 with an item each for 盘锦, 无锡 and 辽宁省发改委. */
static struct world agreed_world(struct fx *f)
{
    struct world w;
    assert_ok(f, work_plan_open(fx_as(f, &f->ln_coord), f->lj, 2027, &w.plan));
    w.item_pj = fx_item(f, w.plan, f->lj, 7, "组织参加世界物联网博览会", f->ln_pj, "2027-06-30");
    w.item_js = fx_item(f, w.plan, f->lj, 7, "举办“互联网+”产业发展论坛", f->js_wx, "2027-09-30");
    w.item_drc = fx_item(f, w.plan, f->lj, 0, "召开联席会议", f->ln_drc, "2027-12-31");
    fx_agree(f, w.plan, &f->ln_coord, &f->js_coord);
    return w;
}

static enum light item_light(struct fx *f, int64_t item)
{
    enum light l = LIGHT_N;
    assert_ok(f, light_item(fx_as(f, &f->ln_leader), item, &l));
    return l;
}

static void test_whole_loop(void **state)
{
    struct fx *f = *state;
    int64_t task = fx_task(f, f->lj, 7);

    /* 分解任务: each side assigns its own units */
    int64_t sup[] = {f->ln_com};
    assert_ok(f, assignment_set(fx_as(f, &f->ln_coord), task, 0, f->ln_pj, sup, 1));
    assert_ok(f, assignment_set(fx_as(f, &f->js_coord), task, 1, f->js_wx, NULL, 0));

    /* 年度工作计划: items by each side, submitted, approved by both, agreed */
    int64_t plan = 0, item = 0;
    assert_ok(f, work_plan_open(fx_as(f, &f->ln_coord), f->lj, 2027, &plan));
    struct work_item_input in = {.task_id = task,
                                 .title = "组织盘锦企业参加世界物联网博览会",
                                 .owner_unit_id = f->ln_pj,
                                 .support = sup,
                                 .n_support = 1,
                                 .due = "2027-06-30",
                                 .indicator = "参展企业数",
                                 .target_value = "不少于50家"};
    assert_ok(f, work_plan_item_add(fx_as(f, &f->ln_coord), plan, &in, &item));
    struct work_item_input js = {.task_id = task, .title = "无锡市组织对接盘锦",
                                 .owner_unit_id = f->js_wx, .due = "2027-10-31"};
    assert_ok(f, work_plan_item_add(fx_as(f, &f->js_coord), plan, &js, NULL));
    assert_ok(f, work_plan_submit(fx_as(f, &f->ln_coord), plan, 0));
    bool agreed = true;
    assert_ok(f, work_plan_approve(fx_as(f, &f->ln_coord), plan, 0, 0, &agreed));
    assert_false(agreed);
    assert_ok(f, work_plan_approve(fx_as(f, &f->js_coord), plan, 1, 0, &agreed));
    assert_true(agreed);
    assert_int_equal(item_light(f, item), LIGHT_GREEN);

    /* 进展填报: the member of 盘锦 reports, at risk */
    struct report_figure figs[] = {{"签约金额", 5000000, "元"}, {"参与企业数", 32, "家"}};
    struct report_input r = {.work_item_id = item,
                             .period = "2027-Q1",
                             .status = "at_risk",
                             .percent = 30,
                             .narrative = "已组织32家企业报名，距目标尚有差距。",
                             .figures = figs,
                             .n_figures = 2};
    int64_t first = 0;
    assert_ok(f, report_submit(fx_as(f, &f->ln_pj_member), &r, &first));
    assert_int_equal(item_light(f, item), LIGHT_GREEN); /* pending: no effect yet */

    struct report_pending_page q;
    assert_ok(f, report_pending(fx_as(f, &f->ln_coord), 0, 0, &q));
    assert_int_equal(q.n, 1);
    assert_int_equal(q.items[0].report.id, first);
    assert_null(q.items[0].previous);
    assert_int_equal(q.items[0].report.n_figures, 2);
    assert_ok(f, report_pending(fx_as(f, &f->js_coord), 0, 0, &q));
    assert_int_equal(q.n, 0); /* not the other side's queue */

    /* 退回: returned with a comment */
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), first, false, "请补充参展企业名单。"));
    struct work_item_view v;
    assert_ok(f, work_plan_item_get(fx_as(f, &f->ln_pj_member), item, &v));
    assert_int_equal(v.report_id, first);
    assert_string_equal(v.review, "returned");
    assert_int_equal(v.light, LIGHT_GREEN);

    /* answered by a new report for the same period, which supersedes the first */
    r.percent = 40;
    r.narrative = "已组织40家企业报名（名单附后），仍存在不能按期完成的风险。";
    int64_t second = 0;
    assert_ok(f, report_submit(fx_as(f, &f->ln_pj_member), &r, &second));
    assert_ok(f, report_pending(fx_as(f, &f->ln_coord), 0, 0, &q));
    assert_int_equal(q.n, 1);
    assert_int_equal(q.items[0].report.id, second);
    assert_int_equal(q.items[0].report.supersedes_id, first);
    assert_non_null(q.items[0].previous);
    assert_int_equal(q.items[0].previous->id, first);
    assert_string_equal(q.items[0].previous->decision, "returned");
    assert_string_equal(q.items[0].previous->comment, "请补充参展企业名单。");

    /* 审核通过: accepted; the light turns yellow (at risk) */
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), second, true, NULL));
    assert_int_equal(item_light(f, item), LIGHT_YELLOW);
    assert_ok(f, work_plan_item_get(fx_as(f, &f->ln_leader), item, &v));
    assert_string_equal(v.review, "accepted");
    assert_string_equal(v.accepted_status, "at_risk");
    assert_int_equal(v.report_percent, 40);
    assert_int_equal(v.light, LIGHT_YELLOW);
    assert_ok(f, report_pending(fx_as(f, &f->ln_coord), 0, 0, &q));
    assert_int_equal(q.n, 0);

    /* the history keeps both, newest first, with their reviews */
    struct report_page h;
    assert_ok(f, report_history(fx_as(f, &f->js_wx_member), item, 0, 0, &h));
    assert_int_equal(h.n, 2);
    assert_false(h.more);
    assert_int_equal(h.items[0].id, second);
    assert_true(h.items[0].latest);
    assert_string_equal(h.items[0].decision, "accepted");
    assert_string_equal(h.items[0].reviewer_login, "ln_coord");
    assert_string_equal(h.items[0].submitted_by_login, "ln_pj_member");
    assert_string_equal(h.items[0].unit_name, "盘锦市人民政府");
    assert_int_equal(h.items[1].id, first);
    assert_false(h.items[1].latest);
    assert_string_equal(h.items[1].decision, "returned");
    assert_int_equal(h.items[1].n_figures, 2);
    assert_string_equal(h.items[1].figures[0].name, "参与企业数"); /* by name */
    assert_int_equal(h.items[1].figures[1].value, 5000000);
    assert_string_equal(h.items[1].figures[1].unit, "元");

    /* done, accepted: the light says done; and later, overdue does not matter any more */
    int64_t third = fx_report(f, &f->ln_pj_member, item, "2027-06", "done", 100);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord2), third, true, "同意。"));
    assert_int_equal(item_light(f, item), LIGHT_DONE);
    fx_set_today("2027-08-01");
    assert_int_equal(item_light(f, item), LIGHT_DONE);

    /* every write is in the audit log, and the chain holds */
    assert_int_equal(fx_audit_count(f, "assignment.set", task, 1, 1), 2);
    assert_int_equal(fx_audit_count(f, "work_plan.approve", plan, 1, 1), 2);
    assert_int_equal(fx_audit_count(f, "report.submit", first, 0, 1), 1);
    assert_int_equal(fx_audit_count(f, "report.submit", second, 1, 1), 1);
    assert_int_equal(fx_audit_count(f, "report.review", first, 1, 1), 1);
    assert_int_equal(fx_audit_count(f, "report.review", second, 1, 1), 1);
    const char *after = fx_audit_last(f, "report.submit", first, 1);
    assert_non_null(strstr(after, "\"status\":\"at_risk\""));
    assert_non_null(strstr(after, "{\"name\":\"签约金额\",\"value\":5000000,\"unit\":\"元\"}"));
    assert_non_null(strstr(after, "已组织32家企业报名"));
    char want[64];
    snprintf(want, sizeof want, "{\"superseded_report_id\":%lld}", (long long)first);
    assert_string_equal(fx_audit_last(f, "report.submit", second, 0), want);
    assert_string_equal(fx_audit_last(f, "report.review", first, 0), "{\"review\":null}");
    assert_non_null(strstr(fx_audit_last(f, "report.review", first, 1),
                           "\"decision\":\"returned\""));
    fx_audit_intact(f);
}

static void test_who_may_report(void **state)
{
    struct fx *f = *state;
    struct world w = agreed_world(f);
    struct report_input r = {.work_item_id = w.item_pj, .period = "2027-03",
                             .status = "on_track", .percent = 10, .narrative = "进展顺利。"};
    int64_t rows = fx_audit_total(f);
    /* members of other units, either side, either pairing */
    assert_fail(f, report_submit(fx_as(f, &f->ln_com_member), &r, NULL), SVC_FORBIDDEN,
                "err_not_owner");
    assert_fail(f, report_submit(fx_as(f, &f->js_wx_member), &r, NULL), SVC_FORBIDDEN,
                "err_not_owner");
    assert_fail(f, report_submit(fx_as(f, &f->dl_member), &r, NULL), SVC_NOT_FOUND,
                "err_not_found");
    /* a coordinator does not report for another unit of its side; leaders never */
    assert_fail(f, report_submit(fx_as(f, &f->ln_coord), &r, NULL), SVC_FORBIDDEN,
                "err_not_owner");
    assert_fail(f, report_submit(fx_as(f, &f->ln_leader), &r, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, report_submit(fx_as(f, NULL), &r, NULL), SVC_FORBIDDEN, "err_forbidden");
    r.work_item_id = 999999;
    assert_fail(f, report_submit(fx_as(f, &f->ln_pj_member), &r, NULL), SVC_NOT_FOUND,
                "err_not_found");
    assert_int_equal(fx_audit_total(f), rows);
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM report", 0, NULL), 0);

    /* the owner's members do; so does a coordinator for its own lead office's item */
    r.work_item_id = w.item_pj;
    assert_ok(f, report_submit(fx_as(f, &f->ln_pj_member), &r, NULL));
    r.work_item_id = w.item_drc;
    assert_ok(f, report_submit(fx_as(f, &f->ln_coord), &r, NULL));
    r.work_item_id = w.item_js;
    assert_ok(f, report_submit(fx_as(f, &f->js_wx_member), &r, NULL));
    assert_ok(f, report_submit(fx_as(f, &f->admin), &r, NULL));
}

static void test_who_may_review(void **state)
{
    struct fx *f = *state;
    struct world w = agreed_world(f);
    int64_t pj = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-03", "on_track", 10);
    int64_t drc = fx_report(f, &f->ln_coord, w.item_drc, "2027-03", "on_track", 10);
    int64_t js = fx_report(f, &f->js_wx_member, w.item_js, "2027-03", "on_track", 10);

    /* the other side's coordinator, other pairings, members and leaders cannot */
    assert_fail(f, report_review(fx_as(f, &f->js_coord), pj, true, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, report_review(fx_as(f, &f->ln_coord), js, true, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, report_review(fx_as(f, &f->dl_coord), pj, true, NULL), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, report_review(fx_as(f, &f->ln_pj_member), pj, true, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, report_review(fx_as(f, &f->ln_leader), pj, true, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, report_review(fx_as(f, NULL), pj, true, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    /* nobody reviews their own report */
    assert_fail(f, report_review(fx_as(f, &f->ln_coord), drc, true, NULL), SVC_FORBIDDEN,
                "err_own_report");
    assert_fail(f, report_review(fx_as(f, &f->ln_coord), 999999, true, NULL), SVC_NOT_FOUND,
                "err_not_found");
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM review", 0, NULL), 0);

    /* comments */
    assert_fail(f, report_review(fx_as(f, &f->ln_coord), pj, false, NULL), SVC_INVALID,
                "err_comment_required");
    assert_fail(f, report_review(fx_as(f, &f->ln_coord), pj, false, " \n "), SVC_INVALID,
                "err_comment_required");
    struct sb longc = SB_INIT;
    for (int i = 0; i < REPORT_COMMENT_MAX + 1; i++)
        sb_append(&longc, "意");
    assert_fail(f, report_review(fx_as(f, &f->ln_coord), pj, true, sb_str(&longc)), SVC_INVALID,
                "err_too_long");
    sb_free(&longc);

    assert_ok(f, report_review(fx_as(f, &f->ln_coord2), drc, true, NULL));
    assert_ok(f, report_review(fx_as(f, &f->js_coord), js, true, NULL));
    assert_ok(f, report_review(fx_as(f, &f->admin), pj, false, "请补充数据。"));

    /* only a pending report: not twice, not one overtaken by a newer report */
    assert_fail(f, report_review(fx_as(f, &f->ln_coord), pj, true, NULL), SVC_CONFLICT,
                "err_not_pending");
    int64_t a = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-04", "on_track", 20);
    int64_t b = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-04", "on_track", 25);
    assert_fail(f, report_review(fx_as(f, &f->ln_coord), a, true, NULL), SVC_CONFLICT,
                "err_superseded");
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), b, true, NULL));
    struct report_view v;
    assert_ok(f, report_get(fx_as(f, &f->ln_pj_member), b, &v));
    assert_int_equal(v.supersedes_id, a);
    assert_string_equal(v.decision, "accepted");
    assert_null(v.comment);
    assert_fail(f, report_get(fx_as(f, &f->dl_member), b, &v), SVC_NOT_FOUND, "err_not_found");
}

static void test_validation(void **state)
{
    struct fx *f = *state;
    struct world w = agreed_world(f);
    struct ctx *c;
    struct report_input r;
#define BASE()                                                                               \
    (r = (struct report_input){.work_item_id = w.item_pj, .period = "2027-03",               \
                               .status = "on_track", .percent = 10, .narrative = "进展。"},  \
     c = fx_as(f, &f->ln_pj_member))
#define TRY(field_, value_, code_, name_)                                                    \
    do {                                                                                     \
        BASE();                                                                              \
        r.field_ = value_;                                                                   \
        assert_fail(f, report_submit(c, &r, NULL), SVC_INVALID, code_);                      \
        assert_string_equal(f->c.field, name_);                                              \
    } while (0)

    TRY(period, NULL, "err_required", "period");
    TRY(period, "2027-13", "err_period", "period");
    TRY(period, "2027-00", "err_period", "period");
    TRY(period, "2027-Q0", "err_period", "period");
    TRY(period, "2027-Q5", "err_period", "period");
    TRY(period, "2027-q1", "err_period", "period");
    TRY(period, "2027-3", "err_period", "period");
    TRY(period, "27-03", "err_period", "period");
    TRY(period, "2027-03-01", "err_period", "period");
    TRY(period, "2029-01", "err_period", "period"); /* not within a year of 2027 */
    TRY(status, "finished", "err_status", "status");
    TRY(status, NULL, "err_status", "status");
    TRY(percent, -1, "err_range", "percent");
    TRY(percent, 101, "err_range", "percent");
    BASE(); /* the ends of the scale name the status */
    r.status = "done";
    r.percent = 99;
    assert_fail(f, report_submit(c, &r, NULL), SVC_INVALID, "err_percent_status");
    assert_string_equal(f->c.field, "percent");
    BASE();
    r.status = "not_started";
    r.percent = 5;
    assert_fail(f, report_submit(c, &r, NULL), SVC_INVALID, "err_percent_status");
    TRY(narrative, NULL, "err_required", "narrative");
    TRY(narrative, "  \n ", "err_required", "narrative");
    TRY(narrative, "bad \xc3\x28 utf-8", "err_invalid", "narrative");
    /* 20,000 code points is the limit, not bytes: 20,000 CJK characters are 60,000 bytes */
    struct sb big = SB_INIT;
    for (int i = 0; i < REPORT_NARRATIVE_MAX; i++)
        sb_append(&big, "进");
    sb_append(&big, "展");
    TRY(narrative, sb_str(&big), "err_too_long", "narrative");

    struct report_figure many[REPORT_MAX_FIGURES + 1];
    for (int i = 0; i < REPORT_MAX_FIGURES + 1; i++)
        many[i] = (struct report_figure){arena_printf(&f->arena, "指标%d", i), i, NULL};
    BASE();
    r.figures = many;
    r.n_figures = REPORT_MAX_FIGURES + 1;
    assert_fail(f, report_submit(c, &r, NULL), SVC_INVALID, "err_range");
    assert_string_equal(f->c.field, "figures");
    struct report_figure bad[2] = {{"签约金额", 1, "元"}, {"签约金额", 2, "元"}};
    r.figures = bad;
    r.n_figures = 2;
    assert_fail(f, report_submit(c, &r, NULL), SVC_INVALID, "err_invalid");
    assert_string_equal(f->c.field, "figures[1].name");
    bad[1].name = "";
    assert_fail(f, report_submit(c, &r, NULL), SVC_INVALID, "err_required");
    bad[1].name = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                  "一二三四五六七八九十一二三四五六七八九十一"; /* 51 */
    assert_fail(f, report_submit(c, &r, NULL), SVC_INVALID, "err_too_long");
    bad[1].name = "参与企业数";
    bad[1].unit = "一二三四五六七八九十一二三四五六七八九十一";
    assert_fail(f, report_submit(c, &r, NULL), SVC_INVALID, "err_too_long");
    assert_string_equal(f->c.field, "figures[1].unit");
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM report", 0, NULL), 0);

    /* the limits themselves pass */
    sb_reset(&big);
    for (int i = 0; i < REPORT_NARRATIVE_MAX; i++)
        sb_append(&big, "进");
    BASE();
    r.narrative = sb_str(&big);
    r.figures = many;
    r.n_figures = REPORT_MAX_FIGURES;
    many[0].value = INT64_MAX;
    many[1].value = INT64_MIN;
    r.period = "2026-Q4";
    r.percent = 100;
    r.status = "done";
    int64_t id = 0;
    assert_ok(f, report_submit(c, &r, &id));
    struct report_view v;
    assert_ok(f, report_get(c, id, &v));
    assert_int_equal(strlen(v.narrative), 3 * REPORT_NARRATIVE_MAX);
    assert_int_equal(v.n_figures, REPORT_MAX_FIGURES);
    bool max = false, min = false;
    for (size_t i = 0; i < v.n_figures; i++) {
        max |= v.figures[i].value == INT64_MAX;
        min |= v.figures[i].value == INT64_MIN;
    }
    assert_true(max && min);
    sb_free(&big);

    /* an item removed from its plan takes no more reports */
    struct work_item_view item;
    assert_ok(f, work_plan_item_get(c, w.item_js, &item));
    assert_ok(f, work_plan_item_remove(fx_as(f, &f->js_coord), w.item_js, item.revision));
    BASE();
    r.work_item_id = w.item_js;
    assert_fail(f, report_submit(fx_as(f, &f->js_wx_member), &r, NULL), SVC_CONFLICT,
                "err_conflict");
#undef TRY
#undef BASE
}

/* How many reports are in review_queue but not pending by definition, or the other way. */
static int64_t queue_differs(struct fx *f)
{
    return fx_scalar_(
        f->db,
        "SELECT (SELECT count(*) FROM ("
        "SELECT r.id FROM report r JOIN work_item i ON i.id = r.work_item_id "
        "WHERE i.removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM review v WHERE v.report_id = r.id) "
        "AND r.id = (SELECT max(m.id) FROM report m WHERE m.work_item_id = r.work_item_id "
        "AND m.period = r.period) "
        "EXCEPT SELECT report_id FROM review_queue)) "
        "+ (SELECT count(*) FROM (SELECT report_id FROM review_queue EXCEPT "
        "SELECT r.id FROM report r JOIN work_item i ON i.id = r.work_item_id "
        "WHERE i.removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM review v WHERE v.report_id = r.id) "
        "AND r.id = (SELECT max(m.id) FROM report m WHERE m.work_item_id = r.work_item_id "
        "AND m.period = r.period)))",
        0, NULL);
}

static void test_pages_and_queues(void **state)
{
    struct fx *f = *state;
    struct world w = agreed_world(f);
    int64_t ids[7];
    for (int i = 0; i < 7; i++)
        ids[i] = fx_report(f, &f->ln_pj_member, w.item_pj,
                           arena_printf(&f->arena, "2027-%02d", i + 1), "on_track", i * 10);

    /* history: newest first, three at a time */
    struct report_page p;
    struct ctx *c = fx_as(f, &f->ln_leader);
    assert_ok(f, report_history(c, w.item_pj, 0, 3, &p));
    assert_int_equal(p.n, 3);
    assert_true(p.more);
    assert_int_equal(p.items[0].id, ids[6]);
    assert_int_equal(p.items[2].id, ids[4]);
    assert_int_equal(p.next_after, ids[4]);
    assert_ok(f, report_history(c, w.item_pj, p.next_after, 3, &p));
    assert_int_equal(p.n, 3);
    assert_int_equal(p.items[0].id, ids[3]);
    assert_true(p.more);
    assert_ok(f, report_history(c, w.item_pj, p.next_after, 3, &p));
    assert_int_equal(p.n, 1);
    assert_int_equal(p.items[0].id, ids[0]);
    assert_false(p.more);
    assert_int_equal(p.next_after, 0);
    assert_ok(f, report_history(c, w.item_pj, 0, 7, &p));
    assert_int_equal(p.n, 7);
    assert_false(p.more);
    assert_fail(f, report_history(c, w.item_pj, 0, REPORT_PAGE_MAX + 1, &p), SVC_INVALID,
                "err_range");
    assert_fail(f, report_history(c, w.item_pj, 0, -1, &p), SVC_INVALID, "err_range");
    assert_fail(f, report_history(fx_as(f, &f->dl_coord), w.item_pj, 0, 0, &p), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, report_history(c, 999999, 0, 0, &p), SVC_NOT_FOUND, "err_not_found");

    /* pending: the latest of each item and period, oldest first; each side sees its own. The
     * seven monthly reports all wait for review, but a correction of July supersedes its
     * first report. */
    int64_t july = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-07", "on_track", 65);
    int64_t drc = fx_report(f, &f->ln_coord, w.item_drc, "2027-03", "on_track", 10);
    int64_t js = fx_report(f, &f->js_wx_member, w.item_js, "2027-03", "on_track", 10);
    struct report_pending_page q;
    assert_ok(f, report_pending(fx_as(f, &f->ln_coord2), 0, 3, &q));
    assert_int_equal(q.n, 3);
    assert_true(q.more);
    for (int i = 0; i < 3; i++)
        assert_int_equal(q.items[i].report.id, ids[i]);
    assert_null(q.items[0].previous);
    assert_non_null(q.items[1].previous);
    assert_int_equal(q.items[1].previous->id, ids[0]);
    assert_null(q.items[1].previous->decision);
    assert_int_equal(q.next_after, ids[2]);
    assert_ok(f, report_pending(fx_as(f, &f->ln_coord2), q.next_after, 10, &q));
    assert_int_equal(q.n, 5);
    assert_false(q.more);
    assert_int_equal(q.items[2].report.id, ids[5]);
    assert_int_equal(q.items[3].report.id, july); /* not ids[6], which it supersedes */
    assert_int_equal(q.items[3].report.supersedes_id, ids[6]);
    assert_int_equal(q.items[3].previous->id, ids[6]);
    assert_int_equal(q.items[4].report.id, drc);
    assert_ok(f, report_pending(fx_as(f, &f->js_coord), 0, 0, &q));
    assert_int_equal(q.n, 1);
    assert_int_equal(q.items[0].report.id, js);
    assert_ok(f, report_pending(fx_as(f, &f->ln_leader), 0, 0, &q));
    assert_int_equal(q.n, 9);
    assert_ok(f, report_pending(fx_as(f, &f->ln_pj_member), 0, 0, &q));
    assert_int_equal(q.n, 7);
    assert_int_equal(q.items[6].report.id, july);
    assert_ok(f, report_pending(fx_as(f, &f->dl_coord), 0, 0, &q));
    assert_int_equal(q.n, 0);
    assert_ok(f, report_pending(fx_as(f, &f->admin), 0, 0, &q));
    assert_int_equal(q.n, 9);
    assert_fail(f, report_pending(fx_as(f, &f->admin), 0, 500, &q), SVC_INVALID, "err_range");

    /* The queue the triggers keep (migration 7) is the definition of pending: the latest
     * report of its item and period with no review, its item not removed. */
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), ids[0], true, NULL));
    assert_int_equal(queue_differs(f), 0);
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM review_queue", 0, NULL), 8);
    struct work_item_view iv;
    assert_ok(f, work_plan_item_get(fx_as(f, &f->ln_coord), w.item_drc, &iv));
    assert_ok(f, work_plan_item_remove(fx_as(f, &f->ln_coord), w.item_drc, iv.revision));
    assert_int_equal(queue_differs(f), 0);
    assert_ok(f, report_pending(fx_as(f, &f->ln_coord2), 0, 0, &q));
    assert_int_equal(q.n, 6); /* ids[1..5] and july; drc went with its item */
}

/* November's report waits for review when December's arrives: a report of another period
 * does not overtake it. Only a correction of the same period does. */
static void test_periods_do_not_overtake(void **state)
{
    struct fx *f = *state;
    struct world w = agreed_world(f);
    int64_t nov = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-11", "on_track", 40);
    int64_t dec = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-12", "at_risk", 45);

    struct report_pending_page q;
    assert_ok(f, report_pending(fx_as(f, &f->ln_coord), 0, 0, &q));
    assert_int_equal(q.n, 2);
    assert_int_equal(q.items[0].report.id, nov);
    assert_true(q.items[0].report.latest);
    assert_int_equal(q.items[1].report.id, dec);
    assert_int_equal(q.items[1].report.supersedes_id, 0); /* another period: supersedes none */
    assert_int_equal(q.items[1].previous->id, nov);
    struct report_view v;
    assert_ok(f, report_get(fx_as(f, &f->ln_pj_member), nov, &v));
    assert_true(v.latest);

    assert_ok(f, report_review(fx_as(f, &f->ln_coord), nov, true, NULL));
    assert_ok(f, report_pending(fx_as(f, &f->ln_coord), 0, 0, &q));
    assert_int_equal(q.n, 1);
    assert_int_equal(q.items[0].report.id, dec);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), dec, false, "请说明延误原因。"));

    /* a correction of November supersedes November's report only */
    int64_t nov2 = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-11", "done", 100);
    int64_t dec2 = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-12", "on_track", 60);
    assert_ok(f, report_get(fx_as(f, &f->ln_pj_member), nov2, &v));
    assert_int_equal(v.supersedes_id, nov);
    assert_ok(f, report_get(fx_as(f, &f->ln_pj_member), nov, &v));
    assert_false(v.latest);
    assert_ok(f, report_pending(fx_as(f, &f->ln_coord), 0, 0, &q));
    assert_int_equal(q.n, 2);
    assert_int_equal(q.items[0].report.id, nov2);
    assert_int_equal(q.items[1].report.id, dec2);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), nov2, true, NULL));
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), dec2, true, NULL));
    fx_audit_intact(f);
}

/* ---- racing a concurrent change ----------------------------------------------------------
 * The hook runs sql on a second connection to the same file at the moment the service starts
 * its transaction: what another request would commit between a check made before the
 * transaction and the write made inside it. */

struct race {
    struct db *other;
    const char *sql;
    int64_t a, b;
    int fired, rc;
};

static int race_hook(unsigned type, void *arg, void *stmt, void *sql)
{
    struct race *r = arg;
    if (type != SQLITE_TRACE_STMT || r->fired || strncmp((const char *)sql, "BEGIN", 5) != 0)
        return 0;
    r->fired = 1;
    struct stmt st;
    r->rc = db_prepare(r->other, &st, r->sql);
    if (r->rc == 0) {
        db_bind_int64(&st, ":a", r->a);
        if (r->b)
            db_bind_int64(&st, ":b", r->b);
        r->rc = db_step(&st);
        db_finalize(&st);
    }
    return 0;
}

static void race_arm(struct fx *f, struct race *r, const char *sql, int64_t a, int64_t b)
{
    memset(r, 0, sizeof *r);
    assert_int_equal(db_open(f->path, &r->other, NULL), 0);
    r->sql = sql;
    r->a = a;
    r->b = b;
    assert_int_equal(sqlite3_trace_v2(f->db->h, SQLITE_TRACE_STMT, race_hook, r), SQLITE_OK);
}

static void race_done(struct fx *f, struct race *r)
{
    sqlite3_trace_v2(f->db->h, 0, NULL, NULL);
    db_close(r->other);
    assert_int_equal(r->fired, 1);
    assert_true(r->rc == DB_DONE || r->rc == 0);
}

static void test_submit_races_a_move_or_removal(void **state)
{
    struct fx *f = *state;
    struct world w = agreed_world(f);
    struct report_input in = {.work_item_id = w.item_pj, .period = "2027-03",
                              .status = "on_track", .percent = 10, .narrative = "进展顺利。"};
    int64_t rows = fx_audit_total(f);

    /* The item moves from 盘锦 to 辽宁省商务厅 as 盘锦's clerk submits: the report is refused,
     * not stored in the name of a unit that no longer owns the item. */
    struct race r;
    race_arm(f, &r, "UPDATE work_item SET owner_unit_id = :b, revision = revision + 1 "
                    "WHERE id = :a", w.item_pj, f->ln_com);
    int rc = report_submit(fx_as(f, &f->ln_pj_member), &in, NULL);
    race_done(f, &r);
    assert_fail(f, rc, SVC_FORBIDDEN, "err_not_owner");
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM report", 0, NULL), 0);
    /* the new owner's clerk reports instead, in its own unit's name */
    int64_t id = 0;
    assert_ok(f, report_submit(fx_as(f, &f->ln_com_member), &in, &id));
    assert_int_equal(fx_scalar_(f->db, "SELECT unit_id FROM report WHERE id = :a", id, NULL),
                     f->ln_com);

    /* The item is removed from its plan as the clerk submits: refused, nothing stored. */
    in.work_item_id = w.item_js;
    race_arm(f, &r, "UPDATE work_item SET removed_at = '2027-03-01T04:00:00.000Z', "
                    "revision = revision + 1 WHERE id = :a", w.item_js, 0);
    rc = report_submit(fx_as(f, &f->js_wx_member), &in, NULL);
    race_done(f, &r);
    assert_fail(f, rc, SVC_CONFLICT, "err_conflict");
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM report WHERE work_item_id = :a",
                                w.item_js, NULL),
                     0);
    assert_int_equal(fx_audit_total(f), rows + 1); /* only the report of 辽宁省商务厅 */
}

static void test_review_races_another_write(void **state)
{
    struct fx *f = *state;
    struct world w = agreed_world(f);
    int64_t rep = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-03", "on_track", 10);

    /* Another coordinator reviews it first: the second review is refused. */
    struct race r;
    race_arm(f, &r, "INSERT INTO review (report_id, decision, reviewer_id, at) "
                    "VALUES (:a, 'accepted', :b, '2027-03-01T04:00:00.000Z')",
             rep, f->ln_coord2.id);
    int rc = report_review(fx_as(f, &f->ln_coord), rep, false, "请补充。");
    race_done(f, &r);
    assert_fail(f, rc, SVC_CONFLICT, "err_not_pending");
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM review", 0, NULL), 1);

    /* A correction of the same period arrives first: the overtaken report is not reviewed. */
    int64_t next = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-04", "on_track", 20);
    race_arm(f, &r, "INSERT INTO report (work_item_id, unit_id, period, status, percent, "
                    "narrative, supersedes_id, submitted_by, at) SELECT work_item_id, unit_id, "
                    "period, status, 25, 'corrected', id, submitted_by, at FROM report "
                    "WHERE id = :a", next, 0);
    rc = report_review(fx_as(f, &f->ln_coord), next, true, NULL);
    race_done(f, &r);
    assert_fail(f, rc, SVC_CONFLICT, "err_superseded");
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM review", 0, NULL), 1);
}

/* The data versions a report moves (schema 13): its item's owner's unit version and its
 * pairing's, not the pairing's general version (what other units' pages key on) nor any
 * other unit's; a write that is not a report moves the general version. */
static void test_report_moves_its_unit(void **state)
{
    struct fx *f = *state;
    struct world w = agreed_world(f);
    struct scope_version a, b;
    int64_t pj0, wx0, pj1, wx1;
    assert_int_equal(db_scope_versions(f->db, f->lj, &a), 0);
    assert_int_equal(db_unit_version(f->db, f->ln_pj, &pj0), 0);
    assert_int_equal(db_unit_version(f->db, f->js_wx, &wx0), 0);
    int64_t rep = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-03", "on_track", 10);
    assert_int_equal(db_scope_versions(f->db, f->lj, &b), 0);
    assert_int_equal(db_unit_version(f->db, f->ln_pj, &pj1), 0);
    assert_int_equal(db_unit_version(f->db, f->js_wx, &wx1), 0);
    assert_true(b.pairing > a.pairing);  /* the dashboard renders again */
    assert_int_equal(b.general, a.general);
    assert_true(pj1 > pj0);
    assert_int_equal(wx1, wx0);

    /* Its review too, by the other unit's side: still the owner's unit only. */
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), rep, false, "请补充。"));
    a = b;
    pj0 = pj1;
    assert_int_equal(db_scope_versions(f->db, f->lj, &b), 0);
    assert_int_equal(db_unit_version(f->db, f->ln_pj, &pj1), 0);
    assert_int_equal(db_unit_version(f->db, f->js_wx, &wx1), 0);
    assert_true(b.pairing > a.pairing);
    assert_int_equal(b.general, a.general);
    assert_true(pj1 > pj0);
    assert_int_equal(wx1, wx0);

    /* Anything else in the pairing (an item added) moves the general version. */
    a = b;
    fx_item(f, w.plan, f->lj, 7, "新增事项", f->js_wx, "2027-10-31");
    assert_int_equal(db_scope_versions(f->db, f->lj, &b), 0);
    assert_true(b.general > a.general);
    assert_true(b.pairing > a.pairing);
    /* A unit nothing was ever reported for reads 0. */
    assert_int_equal(db_unit_version(f->db, f->dl_com, &wx1), 0);
    assert_int_equal(wx1, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_whole_loop, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_who_may_report, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_who_may_review, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_validation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_pages_and_queues, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_periods_do_not_overtake, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_submit_races_a_move_or_removal, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_review_races_another_write, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_report_moves_its_unit, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
