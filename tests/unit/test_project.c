/* test_project: 合作项目 — recording with partners, industry, place and amounts; each bad
 * input refused with its field and nothing stored; stages forward only (back only out of
 * 中止, with a reason) with dated history, each change told to the partner units' people; who reads and who writes; stale edits; the major
 * threshold; lists with filters and keyset pages; the year's totals. */
#include "coop_fixture.h"

#include "core/credit_code.h"
#include "service/project.h"

static struct project_input input(const char *name)
{
    struct project_input in;
    memset(&in, 0, sizeof in);
    in.side = -1;
    in.city_pairing_id = -1;
    in.platform_id = -1;
    in.jobs = -1;
    in.major = -1;
    in.is_public = -1;
    in.invest_planned = in.invest_contracted = in.invest_paid = -1;
    in.name = name;
    return in;
}

static int64_t count(struct fx *f, const char *sql)
{
    return fx_scalar_(f->db, sql, 0, NULL);
}

/* A valid credit code made from 17 characters. */
static const char *credit_code(struct fx *f, const char *first17)
{
    return arena_printf(&f->arena, "%s%c", first17, credit_code_check_char(first17));
}

static int64_t wx_city_pairing(struct fx *f)
{
    return count(f, "SELECT id FROM pairing WHERE name_a = '盤錦市' AND name_b = '無錫市'");
}

static void test_record_and_read(void **state)
{
    struct fx *f = *state;
    struct project_partner partners[] = {
        {.side = 0, .unit_id = f->ln_pj},
        {.side = 1, .enterprise = "无锡某物联网科技有限公司",
         .credit_code = credit_code(f, "91320200MA1MXXXX0")},
    };
    int64_t task = fx_task(f, f->lj, 8);
    struct project_input in = input("盘锦—无锡“互联网+”产业园");
    in.city_pairing_id = wx_city_pairing(f);
    in.industry = "65";
    in.region_code = "211100";
    in.invest_planned = 500000000;
    in.invest_contracted = 120000000;
    in.jobs = 300;
    in.partners = partners;
    in.n_partners = 2;
    in.task_ids = &task;
    in.n_tasks = 1;
    in.stage = "signed";
    in.stage_on = "2027-02-10";
    int64_t id = 0;
    assert_true(in.city_pairing_id > 0);
    assert_ok(f, project_create(fx_as(f, &f->ln_coord), &in, &id));
    assert_int_equal(fx_audit_count(f, "project.create", id, 0, 1), 1);

    struct project_view v;
    assert_ok(f, project_get(fx_as(f, &f->js_coord), id, &v));
    assert_int_equal(v.pairing_id, f->lj);
    assert_int_equal(v.side, 0);
    assert_string_equal(v.stage, "signed");
    assert_string_equal(v.signed_on, "2027-02-10");
    assert_string_equal(v.industry, "65");
    assert_string_equal(v.industry_name, "软件和信息技术服务业");
    assert_string_equal(v.region_code, "211100");
    assert_int_equal(v.invest_contracted, 120000000);
    assert_int_equal(v.n_partners, 2);
    assert_int_equal(v.partners[0].unit_id, f->ln_pj);
    assert_string_equal(v.partners[1].credit_code, credit_code(f, "91320200MA1MXXXX0"));
    assert_int_equal(v.n_tasks, 1);
    assert_int_equal(v.n_stages, 1);
    assert_string_equal(v.stages[0].on_date, "2027-02-10");

    /* readers: the leader, the partner unit's member; not another unit's member, not the
     * other pairing. */
    assert_ok(f, project_get(fx_as(f, &f->ln_leader), id, &v));
    assert_ok(f, project_get(fx_as(f, &f->ln_pj_member), id, &v));
    assert_fail(f, project_get(fx_as(f, &f->ln_com_member), id, &v), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, project_get(fx_as(f, &f->sh_coord), id, &v), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, project_get(fx_as(f, &f->sh_coord), id + 1000, &v), SVC_NOT_FOUND,
                "err_not_found");

    /* writers: the owning side's coordinator only */
    struct project_input e = input(NULL);
    e.name = "盘锦—无锡互联网产业园";
    assert_fail(f, project_edit(fx_as(f, &f->js_coord), id, &e), SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, project_edit(fx_as(f, &f->ln_pj_member), id, &e), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, project_edit(fx_as(f, &f->dl_coord), id, &e), SVC_NOT_FOUND, "err_not_found");
    assert_ok(f, project_edit(fx_as(f, &f->ln_coord2), id, &e));
    assert_int_equal(fx_audit_count(f, "project.update", id, 1, 1), 1);
    fx_audit_intact(f);

    /* only coordinators and admins record projects */
    int64_t other;
    assert_fail(f, project_create(fx_as(f, &f->ln_leader), &in, &other), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, project_create(fx_as(f, &f->ln_pj_member), &in, &other), SVC_FORBIDDEN,
                "err_forbidden");
}

static void test_bad_input_stores_nothing(void **state)
{
    struct fx *f = *state;
    int64_t before = count(f, "SELECT count(*) FROM project");
    int64_t audit = fx_audit_total(f);
    int64_t id;
    struct project_input in;
#define REFUSE(setup, code_, field_)                                                         \
    do {                                                                                     \
        in = input("某合作项目");                                                            \
        setup;                                                                               \
        assert_fail(f, project_create(fx_as(f, &f->ln_coord), &in, &id), SVC_INVALID, code_); \
        assert_string_equal(f->c.field, field_);                                             \
    } while (0)
    REFUSE(in.name = "  ", "err_required", "name");
    REFUSE(in.industry = "98", "err_industry_unknown", "industry");
    REFUSE(in.region_code = "999999", "err_region_unknown", "region_code");
    REFUSE(in.invest_planned = -1000, "err_amount", "invest_planned_yuan");
    REFUSE(in.invest_paid = PROJECT_YUAN_MAX + 1, "err_amount", "invest_paid_yuan");
    REFUSE(in.stage = "stopped", "err_project_stage", "stage");
    REFUSE(in.stage_on = "2027-02-30", "err_date", "stage_on");
    REFUSE(in.stage_on = "2099-01-01", "err_date_future", "stage_on");
    REFUSE(in.city_pairing_id = count(f, "SELECT id FROM pairing WHERE name_b = '大連金普新區'"),
           "err_pairing_unknown", "city_pairing_id");
    struct project_partner bad_code = {.side = 1, .enterprise = "某公司",
                                       .credit_code = "91320200MA1MXXXX0X"};
    if (credit_code_valid("91320200MA1MXXXX0X"))
        bad_code.credit_code = "91320200MA1MXXXX0Y";
    REFUSE((in.partners = &bad_code, in.n_partners = 1), "err_credit_code",
           "partners[0].credit_code");
    struct project_partner other_side = {.side = 1, .unit_id = f->ln_pj};
    REFUSE((in.partners = &other_side, in.n_partners = 1), "err_unit_unknown",
           "partners[0].unit_id");
    struct project_partner other_pairing = {.side = 1, .unit_id = f->dl_com};
    REFUSE((in.partners = &other_pairing, in.n_partners = 1), "err_unit_unknown",
           "partners[0].unit_id");
    int64_t sd_task = fx_task(f, f->sd, 1);
    REFUSE((in.task_ids = &sd_task, in.n_tasks = 1), "err_task_unknown", "task_ids");
    REFUSE((in.major = 1, in.invest_contracted = 99999999), "err_project_major", "major");
#undef REFUSE
    assert_int_equal(count(f, "SELECT count(*) FROM project"), before);
    assert_int_equal(count(f, "SELECT count(*) FROM project_partner"), 0);
    assert_int_equal(fx_audit_total(f), audit);

    /* 万元 text: exact yuan, or refused with its reason */
    int64_t yuan = 0;
    assert_ok(f, project_parse_wan(fx_as(f, NULL), "12,345.6789", "x", &yuan));
    assert_int_equal(yuan, 123456789);
    assert_fail(f, project_parse_wan(fx_as(f, NULL), "1.23456", "x", &yuan), SVC_INVALID,
                "err_amount_decimals");
    assert_fail(f, project_parse_wan(fx_as(f, NULL), "-5", "x", &yuan), SVC_INVALID,
                "err_amount_negative");
    assert_fail(f, project_parse_wan(fx_as(f, NULL), "一百", "x", &yuan), SVC_INVALID,
                "err_amount_number");
    assert_fail(f, project_parse_wan(fx_as(f, NULL), "100000000000.0001", "x", &yuan),
                SVC_INVALID, "err_amount");
}

static void test_stages(void **state)
{
    struct fx *f = *state;
    fx_set_today("2027-06-01");
    struct project_input in = input("苏州工业园区—沈抚新区合作园");
    in.stage_on = "2027-01-05";
    struct project_partner partners[] = {{.side = 0, .unit_id = f->ln_pj},
                                         {.side = 0, .unit_id = f->ln_drc}};
    in.set_partners = true;
    in.partners = partners;
    in.n_partners = 2;
    int64_t id;
    assert_ok(f, project_create(fx_as(f, &f->ln_coord), &in, &id));
    struct ctx *c = fx_as(f, &f->ln_coord);
    assert_fail(f, project_set_stage(c, id, "negotiating", NULL, NULL, NULL), SVC_CONFLICT,
                "err_project_stage_same");
    assert_fail(f, project_set_stage(c, id, "signed", "2027-01-04", NULL, NULL), SVC_INVALID,
                "err_project_date_order");
    assert_fail(f, project_set_stage(c, id, "signed", "2027-06-02", NULL, NULL), SVC_INVALID,
                "err_date_future");
    assert_fail(f, project_set_stage(c, id, "paused", NULL, NULL, NULL), SVC_INVALID,
                "err_project_stage");
    /* skip forward: negotiating → started sets signed_on too */
    assert_ok(f, project_set_stage(c, id, "started", "2027-03-01", NULL, NULL));
    struct project_view v;
    assert_ok(f, project_get(c, id, &v));
    assert_string_equal(v.signed_on, "2027-03-01");
    assert_fail(f, project_set_stage(c, id, "signed", NULL, NULL, NULL), SVC_CONFLICT,
                "err_project_stage_back");
    assert_fail(f, project_set_stage(c, id, "stopped", NULL, NULL, NULL), SVC_INVALID,
                "err_project_reason");
    assert_ok(f, project_set_stage(c, id, "stopped", "2027-04-01", "资金未到位", NULL));
    /* out of stopped: any stage, with a reason */
    assert_fail(f, project_set_stage(c, id, "signed", NULL, NULL, NULL), SVC_INVALID,
                "err_project_reason");
    assert_ok(f, project_set_stage(c, id, "signed", NULL, "资金已落实，重新启动", NULL));
    assert_ok(f, project_get(c, id, &v));
    assert_int_equal(v.n_stages, 4);
    assert_string_equal(v.stages[2].stage, "stopped");
    assert_string_equal(v.stages[2].reason, "资金未到位");
    assert_string_equal(v.stages[3].on_date, "2027-06-01");
    assert_string_equal(v.signed_on, "2027-03-01"); /* the first signing stays */
    assert_int_equal(fx_audit_count(f, "project.stage", id, 1, 1), 3);
    /* each change told the partner units' people (盘锦's member; 发改委's other coordinator),
     * never the coordinator who made it */
    assert_int_equal(count(f, "SELECT count(*) FROM notification n JOIN users u ON u.id = "
                              "n.user_id WHERE n.kind = 'project_stage' AND u.login = "
                              "'ln_pj_member'"),
                     3);
    assert_int_equal(count(f, "SELECT count(*) FROM notification n JOIN users u ON u.id = "
                              "n.user_id WHERE n.kind = 'project_stage' AND u.login = "
                              "'ln_coord2'"),
                     3);
    assert_int_equal(count(f, "SELECT count(*) FROM notification n JOIN users u ON u.id = "
                              "n.user_id WHERE n.kind = 'project_stage' AND u.login = "
                              "'ln_coord'"),
                     0);
    /* the other side's coordinator may not move it; a stale version is refused */
    assert_fail(f, project_set_stage(fx_as(f, &f->js_coord), id, "started", NULL, NULL, NULL),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, project_set_stage(fx_as(f, &f->ln_coord), id, "started", NULL, NULL,
                                     "2020-01-01T00:00:00.000Z"),
                SVC_STALE, "err_stale");
}

static void test_stale_edit_and_major(void **state)
{
    struct fx *f = *state;
    struct project_input in = input("金普新区—浦东新区合作项目");
    int64_t id;
    assert_ok(f, project_create(fx_as(f, &f->ln_coord), &in, &id));
    struct project_view v;
    assert_ok(f, project_get(fx_as(f, &f->ln_coord), id, &v));
    struct project_input a = input(NULL), b = input(NULL);
    a.invest_contracted = 150000000;
    a.if_updated_at = v.updated_at;
    b.description = "第二位协调员的修改";
    b.if_updated_at = v.updated_at;
    assert_ok(f, project_edit(fx_as(f, &f->ln_coord), id, &a));
    assert_fail(f, project_edit(fx_as(f, &f->ln_coord2), id, &b), SVC_STALE, "err_stale");
    /* major at the threshold (1 亿元 by default) */
    struct project_input m = input(NULL);
    m.major = 1;
    assert_ok(f, project_edit(fx_as(f, &f->ln_coord), id, &m));
    assert_ok(f, project_get(fx_as(f, &f->ln_coord), id, &v));
    assert_true(v.major);
    struct project_input lower = input(NULL);
    lower.invest_contracted = 1000;
    assert_fail(f, project_edit(fx_as(f, &f->ln_coord), id, &lower), SVC_INVALID,
                "err_project_major");
    /* an edit that changes nothing writes nothing */
    int64_t audit = fx_audit_total(f);
    assert_ok(f, project_edit(fx_as(f, &f->ln_coord), id, &m));
    assert_int_equal(fx_audit_total(f), audit);
}

static void test_lists_and_totals(void **state)
{
    struct fx *f = *state;
    fx_set_today("2027-06-01");
    static const char *const industries[] = {"C", "39", "65", "I", "39"};
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        struct project_input in = input(arena_printf(&f->arena, "项目%d", i));
        in.industry = industries[i];
        in.invest_contracted = (int64_t)(i + 1) * 10000000 * (i == 2 ? 20 : 1);
        in.stage = i < 3 ? "signed" : "negotiating";
        in.stage_on = i == 0 ? "2026-12-01" : "2027-02-01";
        struct project_partner pt = {.side = 0, .unit_id = i == 1 ? f->ln_com : f->ln_pj};
        in.partners = &pt;
        in.n_partners = 1;
        assert_ok(f, project_create(fx_as(f, i == 4 ? &f->js_coord : &f->ln_coord), &in,
                                    &ids[i]));
    }
    struct project_view *v;
    size_t n;
    int64_t next;
    struct project_filter all = {.side = -1, .major = -1};
    /* keyset pages, newest first */
    int64_t seen = 0, after = 0;
    do {
        assert_ok(f, project_list(fx_as(f, &f->ln_leader), &all, after, 2, &v, &n, &next));
        seen += (int64_t)n;
        after = next;
    } while (next);
    assert_int_equal(seen, 5);
    /* manufacturing (section C) finds its divisions too */
    struct project_filter manuf = all;
    manuf.industry = "C";
    assert_ok(f, project_list(fx_as(f, &f->ln_coord), &manuf, 0, 0, &v, &n, &next));
    assert_int_equal(n, 3);
    /* signed in 2027 */
    struct project_filter y = all;
    y.year = 2027;
    assert_ok(f, project_list(fx_as(f, &f->ln_coord), &y, 0, 0, &v, &n, &next));
    assert_int_equal(n, 2);
    /* by investment, largest first, across pages */
    struct project_filter inv = all;
    inv.by_investment = true;
    assert_ok(f, project_list(fx_as(f, &f->ln_coord), &inv, 0, 2, &v, &n, &next));
    assert_int_equal(v[0].id, ids[2]);
    assert_int_equal(v[1].id, ids[4]);
    assert_ok(f, project_list(fx_as(f, &f->ln_coord), &inv, next, 2, &v, &n, &next));
    assert_int_equal(v[0].id, ids[3]);
    /* a member sees its unit's projects only; another pairing's coordinator none of them */
    assert_ok(f, project_list(fx_as(f, &f->ln_com_member), &all, 0, 0, &v, &n, &next));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, ids[1]);
    assert_ok(f, project_list(fx_as(f, &f->sh_coord), &all, 0, 0, &v, &n, &next));
    assert_int_equal(n, 0);
    struct project_filter lj = all;
    lj.pairing_id = f->lj;
    assert_fail(f, project_list(fx_as(f, &f->sh_coord), &lj, 0, 0, &v, &n, &next),
                SVC_NOT_FOUND, "err_not_found");

    struct project_totals t;
    assert_ok(f, project_totals(fx_as(f, &f->ln_leader), f->lj, 2027, &t));
    assert_int_equal(t.by_stage[STAGE_SIGNED], 3);
    assert_int_equal(t.by_stage[STAGE_NEGOTIATING], 2);
    assert_int_equal(t.signed_in_year, 2);
    assert_int_equal(t.contracted_in_year, 20000000 + 600000000);
    assert_int_equal(t.contracted[1], 50000000);
    assert_int_equal(t.contracted[0], 10000000 + 20000000 + 600000000 + 40000000);

    /* the public list: only public projects, without their private fields */
    struct project_input pub = input(NULL);
    pub.is_public = 1;
    pub.description = "内部说明";
    assert_ok(f, project_edit(fx_as(f, &f->ln_coord), ids[0], &pub));
    assert_ok(f, project_list_public(fx_as(f, NULL), 0, 0, &v, &n, &next));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, ids[0]);
    assert_null(v[0].description);
}

static void test_updates_and_review(void **state)
{
    struct fx *f = *state;
    struct project_partner pt = {.side = 0, .unit_id = f->ln_pj};
    struct project_input in = input("盘锦—无锡合作项目");
    in.partners = &pt;
    in.n_partners = 1;
    in.invest_contracted = 50000000;
    int64_t id, u1, u2, u3;
    assert_ok(f, project_create(fx_as(f, &f->ln_coord), &in, &id));

    /* who takes part reports; others may not */
    struct project_update_input up = {.body = "本月完成厂房主体施工。", .invest_paid = 20000000,
                                      .jobs = 120};
    assert_ok(f, project_update_add(fx_as(f, &f->ln_pj_member), id, &up, &u1));
    assert_fail(f, project_update_add(fx_as(f, &f->ln_com_member), id, &up, &u2), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, project_update_add(fx_as(f, &f->ln_leader), id, &up, &u2), SVC_FORBIDDEN,
                "err_forbidden");
    struct project_update_input blank = {.body = " ", .invest_paid = -1, .jobs = -1};
    assert_fail(f, project_update_add(fx_as(f, &f->ln_pj_member), id, &blank, &u2), SVC_INVALID,
                "err_required");
    struct project_update_input plain = {.body = "设备已进场。", .invest_paid = -1, .jobs = -1};
    assert_ok(f, project_update_add(fx_as(f, &f->ln_pj_member), id, &plain, &u2));
    assert_ok(f, project_update_add(fx_as(f, &f->ln_coord), id, &plain, &u3));

    /* the owning side's coordinator reviews, not its own, once; a return needs a comment */
    assert_fail(f, project_update_review(fx_as(f, &f->js_coord), u1, true, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, project_update_review(fx_as(f, &f->ln_coord), u3, true, NULL), SVC_CONFLICT,
                "err_review_own");
    assert_fail(f, project_update_review(fx_as(f, &f->ln_coord), u2, false, ""), SVC_INVALID,
                "err_comment_required");
    assert_ok(f, project_update_review(fx_as(f, &f->ln_coord), u2, false, "请补充设备清单。"));
    assert_ok(f, project_update_review(fx_as(f, &f->ln_coord2), u3, true, NULL));
    assert_ok(f, project_update_review(fx_as(f, &f->ln_coord), u1, true, NULL));
    assert_fail(f, project_update_review(fx_as(f, &f->ln_coord), u1, false, "再看看"),
                SVC_CONFLICT, "err_not_pending");

    /* an accepted update's figures become the project's */
    struct project_view v;
    assert_ok(f, project_get(fx_as(f, &f->ln_leader), id, &v));
    assert_int_equal(v.invest_paid, 20000000);
    assert_int_equal(v.jobs, 120);
    struct project_update_view *u;
    size_t n;
    assert_ok(f, project_update_list(fx_as(f, &f->ln_leader), id, &u, &n));
    assert_int_equal(n, 3);
    assert_int_equal(u[0].id, u3); /* newest first */
    assert_string_equal(u[1].state, "returned");
    assert_string_equal(u[1].comment, "请补充设备清单。");
    assert_string_equal(u[2].state, "accepted");
    assert_fail(f, project_update_list(fx_as(f, &f->sh_coord), id, &u, &n), SVC_NOT_FOUND,
                "err_not_found");
    assert_int_equal(fx_audit_count(f, "project_update.review", u1, 0, 1), 1);
    assert_int_equal(fx_audit_count(f, "project.update", id, 1, 1), 1);
    fx_audit_intact(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_record_and_read, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_stores_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_stages, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_stale_edit_and_major, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_lists_and_totals, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_updates_and_review, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
