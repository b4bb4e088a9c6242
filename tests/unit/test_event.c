/* test_event: 活动 — events with their checks (times, target from the task, who holds them),
 * registrations with capacity and a waiting list that moves up in order, the check-in by
 * number and at the door (never over capacity), outcomes between registered parties and the
 * project made of one, the funnel, the rotation of docking events and the year's themes. */
#include "coop_fixture.h"

#include "core/credit_code.h"
#include "service/event.h"
#include "service/project.h"

static struct event_input input(const char *title, const char *starts, const char *ends)
{
    struct event_input in;
    memset(&in, 0, sizeof in);
    in.kind = "docking";
    in.title = title;
    in.host_side = 0;
    in.starts = starts;
    in.ends = ends;
    in.capacity = -1;
    in.is_public = -1;
    in.task_id = -1;
    in.target_enterprises = -1;
    return in;
}

/* An enterprise of the directory, made with plain SQL (the directory is enterprise.c's). */
static int64_t enterprise(struct fx *f, int64_t pairing, int side, const char *name)
{
    static int seq;
    char first17[32];
    snprintf(first17, sizeof first17, "9121000%010d", ++seq);
    struct stmt st;
    db_prepare(f->db, &st,
               "INSERT INTO enterprise (pairing_id, side, name, name_key, credit_code, "
               "created_at, updated_at) VALUES (:p, :s, :n, :n, :cc, '2027-01-01T00:00:00.000Z', "
               "'2027-01-01T00:00:00.000Z')");
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":s", side);
    db_bind_text(&st, ":n", name);
    db_bind_text(&st, ":cc",
                 arena_printf(&f->arena, "%s%c", first17, credit_code_check_char(first17)));
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);
    return db_last_insert_id(f->db);
}

static int64_t docking(struct fx *f, const char *title, int64_t capacity)
{
    struct event_input in = input(title, "2027-04-10T09:00", "2027-04-11T17:30");
    in.capacity = capacity;
    in.unit_ids = &f->ln_pj;
    in.n_units = 1;
    int64_t id = 0;
    assert_ok(f, event_create(fx_as(f, &f->ln_coord), &in, &id));
    return id;
}

static void test_create_and_read(void **state)
{
    struct fx *f = *state;
    int64_t task = fx_task(f, f->lj, 4);
    const char *themes[] = {"C", "34"};
    struct event_input in = input("2027 年“辽宁行”装备制造对接会", "2027-04-10 09:00",
                                  "2027-04-11T17:30:00");
    in.task_id = task;
    in.host_region_code = "210100";
    in.place = "沈阳国际展览中心";
    in.capacity = 80;
    in.is_public = 1;
    in.themes = themes;
    in.n_themes = 2;
    in.unit_ids = &f->ln_com;
    in.n_units = 1;
    int64_t id = 0;
    assert_ok(f, event_create(fx_as(f, &f->ln_coord), &in, &id));
    assert_int_equal(fx_audit_count(f, "event.create", id, 0, 1), 1);

    struct event_view v;
    assert_ok(f, event_get(fx_as(f, &f->js_wx_member), id, &v));
    assert_string_equal(v.starts, "2027-04-10T09:00"); /* the normal form of what was typed */
    assert_string_equal(v.ends, "2027-04-11T17:30");
    assert_int_equal(v.year, 2027);
    assert_int_equal(v.target_enterprises, 50); /* task 4's "不少于50家企業" */
    assert_int_equal(v.task_number, 4);
    assert_int_equal(v.capacity, 80);
    assert_true(v.is_public);
    assert_false(v.past);
    assert_int_equal(v.n_themes, 2);
    assert_string_equal(v.host_region_code, "210100");
    assert_int_equal(v.n_units, 1);
    assert_int_equal(v.units[0].id, f->ln_com);

    /* who: another pairing reads nothing of it; a member holds no event; a member of an
     * organising unit edits it, one of another unit does not */
    assert_fail(f, event_get(fx_as(f, &f->dl_coord), id, &v), SVC_NOT_FOUND, "err_not_found");
    assert_fail(f, event_create(fx_as(f, &f->ln_pj_member), &in, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    struct event_input edit = input(NULL, NULL, NULL);
    edit.host_side = -1;
    edit.place = "沈阳新世界博览馆";
    assert_ok(f, event_edit(fx_as(f, &f->ln_com_member), id, &edit));
    assert_fail(f, event_edit(fx_as(f, &f->ln_pj_member), id, &edit), SVC_FORBIDDEN,
                "err_forbidden");
    edit.if_updated_at = "2000-01-01T00:00:00.000Z";
    assert_fail(f, event_edit(fx_as(f, &f->ln_coord), id, &edit), SVC_STALE, "err_stale");

    /* bad input stores nothing */
    int64_t before = fx_audit_total(f);
    struct event_input bad = input("倒序的活动", "2027-04-11T09:00", "2027-04-10T09:00");
    assert_fail(f, event_create(fx_as(f, &f->ln_coord), &bad, NULL), SVC_INVALID, "err_event_ends");
    assert_string_equal(f->c.field, "ends");
    bad = input("时间不对", "2027-02-30T09:00", "2027-04-10T09:00");
    assert_fail(f, event_create(fx_as(f, &f->ln_coord), &bad, NULL), SVC_INVALID, "err_event_time");
    assert_string_equal(f->c.field, "starts");
    bad = input("时间不对", "2027-04-10T24:00", "2027-04-11T09:00");
    assert_fail(f, event_create(fx_as(f, &f->ln_coord), &bad, NULL), SVC_INVALID, "err_event_time");
    bad = input("类型不对", "2027-04-10T09:00", "2027-04-11T09:00");
    bad.kind = "party";
    assert_fail(f, event_create(fx_as(f, &f->ln_coord), &bad, NULL), SVC_INVALID, "err_event_kind");
    bad = input("别人的任务", "2027-04-10T09:00", "2027-04-11T09:00");
    bad.task_id = fx_task(f, f->sd, 1);
    assert_fail(f, event_create(fx_as(f, &f->ln_coord), &bad, NULL), SVC_INVALID,
                "err_task_unknown");
    bad = input("别人的单位", "2027-04-10T09:00", "2027-04-11T09:00");
    bad.unit_ids = &f->dl_com;
    bad.n_units = 1;
    assert_fail(f, event_create(fx_as(f, &f->ln_coord), &bad, NULL), SVC_INVALID,
                "err_unit_unknown");
    assert_int_equal(fx_audit_total(f), before);
    fx_audit_intact(f);
}

static void test_capacity_and_waiting_list(void **state)
{
    struct fx *f = *state;
    int64_t ev = docking(f, "江苏行", 2);
    int64_t a = enterprise(f, f->lj, 0, "鞍钢集团"), b = enterprise(f, f->lj, 0, "华晨宝马"),
            cc = enterprise(f, f->lj, 1, "徐工集团"), d = enterprise(f, f->lj, 1, "无锡小天鹅"),
            other = enterprise(f, f->sd, 0, "上海电气");
    struct registration_view r1, r2, r3, r4, r;
    assert_ok(f, registration_add(fx_as(f, &f->ln_coord), ev, a, 0, &r1));
    assert_ok(f, registration_add(fx_as(f, &f->ln_pj_member), ev, b, 0, &r2));
    assert_ok(f, registration_add(fx_as(f, &f->js_coord), ev, cc, 0, &r3));
    assert_ok(f, registration_add(fx_as(f, &f->js_wx_member), ev, d, 0, &r4));
    assert_string_equal(r1.status, "registered");
    assert_int_equal(r1.number, 1);
    assert_string_equal(r2.status, "registered");
    assert_string_equal(r3.status, "waiting");
    assert_int_equal(r3.position, 1);
    assert_string_equal(r4.status, "waiting");
    assert_int_equal(r4.position, 2);
    assert_int_equal(r4.number, 4);

    /* twice; another side's member for this side's enterprise; another pairing's enterprise */
    assert_fail(f, registration_add(fx_as(f, &f->ln_coord), ev, a, 0, &r), SVC_CONFLICT,
                "err_registration_exists");
    int64_t e = enterprise(f, f->lj, 0, "辽宁某企业");
    assert_fail(f, registration_add(fx_as(f, &f->js_wx_member), ev, e, 0, &r), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, registration_add(fx_as(f, &f->ln_coord), ev, other, 0, &r), SVC_INVALID,
                "err_enterprise_unknown");
    /* a member who does not organise it registers its own unit, not another */
    assert_fail(f, registration_add(fx_as(f, &f->ln_com_member), ev, 0, f->ln_pj, &r),
                SVC_FORBIDDEN, "err_forbidden");

    /* a seat given back goes to the first waiting, then the queue moves */
    int64_t promoted = 0;
    assert_ok(f, registration_withdraw(fx_as(f, &f->ln_pj_member), r2.id, &promoted));
    assert_int_equal(promoted, r3.id);
    /* who registered it is told it moved up (notification event_registration) */
    assert_int_equal(fx_scalar_(f->db,
                                "SELECT count(*) FROM notification n JOIN users u ON u.id = "
                                "n.user_id WHERE n.kind = 'event_registration' AND n.object_id = :a "
                                "AND u.login = 'js_coord'",
                                r3.id, NULL),
                     1);
    assert_ok(f, registration_get(fx_as(f, &f->ln_coord), r4.id, &r));
    assert_int_equal(r.position, 1);
    assert_fail(f, registration_withdraw(fx_as(f, &f->ln_coord), r2.id, &promoted), SVC_CONFLICT,
                "err_registration_withdrawn");
    struct event_view v;
    assert_ok(f, event_get(fx_as(f, &f->ln_leader), ev, &v));
    assert_int_equal(v.registered, 2);
    assert_int_equal(v.waiting, 1);
    /* registering again after withdrawing: the end of the queue, the same number */
    assert_ok(f, registration_add(fx_as(f, &f->ln_coord), ev, b, 0, &r));
    assert_string_equal(r.status, "waiting");
    assert_int_equal(r.number, 2);
    assert_int_equal(r.position, 2);
    /* capacity not below the seats given; raised, the queue moves up in order */
    struct event_input edit = input(NULL, NULL, NULL);
    edit.host_side = -1;
    edit.capacity = 1;
    assert_fail(f, event_edit(fx_as(f, &f->ln_coord), ev, &edit), SVC_CONFLICT,
                "err_event_capacity");
    edit.capacity = 3;
    assert_ok(f, event_edit(fx_as(f, &f->ln_coord), ev, &edit));
    assert_ok(f, registration_get(fx_as(f, &f->ln_coord), r4.id, &r));
    assert_string_equal(r.status, "registered");
    assert_ok(f, event_get(fx_as(f, &f->ln_leader), ev, &v));
    assert_int_equal(v.registered, 3);
    assert_int_equal(v.waiting, 1);
    assert_int_equal(fx_audit_count(f, "registration.promote", r3.id, 1, 1), 1);
    assert_int_equal(fx_audit_count(f, "registration.promote", r4.id, 1, 1), 1);

    struct registration_view *list;
    size_t n;
    assert_ok(f, registration_list(fx_as(f, &f->js_wx_member), ev, &list, &n));
    assert_int_equal(n, 4);
    assert_fail(f, registration_list(fx_as(f, &f->dl_coord), ev, &list, &n), SVC_NOT_FOUND,
                "err_not_found");
    fx_audit_intact(f);
}

static void test_check_in(void **state)
{
    struct fx *f = *state;
    int64_t ev = docking(f, "辽宁行", 2);
    int64_t a = enterprise(f, f->lj, 0, "沈阳机床"), b = enterprise(f, f->lj, 1, "苏州纳米"),
            cc = enterprise(f, f->lj, 1, "常州天合"), d = enterprise(f, f->lj, 0, "大连港");
    struct registration_view r1, r2, r3, r;
    bool already = true;
    assert_ok(f, registration_add(fx_as(f, &f->ln_coord), ev, a, 0, &r1));
    assert_ok(f, registration_add(fx_as(f, &f->js_coord), ev, b, 0, &r2));
    assert_ok(f, registration_add(fx_as(f, &f->js_coord), ev, cc, 0, &r3));
    assert_fail(f, registration_check_in(fx_as(f, &f->ln_pj_member), ev, 99, &r, &already),
                SVC_NOT_FOUND, "err_registration_unknown");
    assert_fail(f, registration_check_in(fx_as(f, &f->ln_pj_member), ev, r3.number, &r, &already),
                SVC_CONFLICT, "err_registration_waiting");
    /* a member of another unit is no organiser */
    assert_fail(f, registration_check_in(fx_as(f, &f->ln_com_member), ev, r1.number, &r, &already),
                SVC_FORBIDDEN, "err_forbidden");
    assert_ok(f, registration_check_in(fx_as(f, &f->ln_pj_member), ev, r1.number, &r, &already));
    assert_false(already);
    assert_non_null(r.checked_in_at);
    assert_string_equal(r.checked_in_by, "ln_pj_member");
    assert_ok(f, registration_check_in(fx_as(f, &f->js_coord), ev, r1.number, &r, &already));
    assert_true(already);
    assert_string_equal(r.checked_in_by, "ln_pj_member");
    int64_t promoted;
    assert_fail(f, registration_withdraw(fx_as(f, &f->ln_coord), r1.id, &promoted), SVC_CONFLICT,
                "err_checked_in");
    /* at the door: full, so no one more; a registered one checks in; one on the waiting list
     * takes a seat given back */
    assert_fail(f, registration_walk_in(fx_as(f, &f->ln_coord), ev, d, 0, &r), SVC_CONFLICT,
                "err_event_full");
    assert_ok(f, registration_walk_in(fx_as(f, &f->ln_coord), ev, b, 0, &r));
    assert_int_equal(r.id, r2.id);
    assert_non_null(r.checked_in_at);
    struct event_view v;
    assert_ok(f, event_get(fx_as(f, &f->ln_coord), ev, &v));
    assert_int_equal(v.attended, 2);
    assert_int_equal(v.attended_enterprises, 2);
    assert_true(v.registered <= v.capacity);
    fx_audit_intact(f);
}

static void test_outcomes_project_and_funnel(void **state)
{
    struct fx *f = *state;
    int64_t ev = docking(f, "装备制造对接会", 0);
    int64_t a = enterprise(f, f->lj, 0, "沈阳新松机器人"), b = enterprise(f, f->lj, 1, "南京埃斯顿"),
            cc = enterprise(f, f->lj, 1, "未报名企业");
    struct registration_view ra, rb, ru;
    bool already;
    assert_ok(f, registration_add(fx_as(f, &f->ln_coord), ev, a, 0, &ra));
    assert_ok(f, registration_add(fx_as(f, &f->js_coord), ev, b, 0, &rb));
    assert_ok(f, registration_add(fx_as(f, &f->ln_pj_member), ev, 0, f->ln_pj, &ru));
    assert_ok(f, registration_check_in(fx_as(f, &f->ln_coord), ev, ra.number, &ra, &already));
    assert_ok(f, registration_check_in(fx_as(f, &f->ln_coord), ev, rb.number, &rb, &already));
    (void)cc;

    int64_t parties[] = {ra.id, rb.id}, bad_parties[] = {ra.id, 9999};
    struct outcome_input in = {.kind = "signed", .title = "工业机器人合资项目",
                               .amount_wan = "35000", .industry = "34",
                               .registration_ids = parties, .n_parties = 2};
    struct outcome_input bad = in;
    bad.registration_ids = bad_parties;
    assert_fail(f, outcome_add(fx_as(f, &f->ln_coord), ev, &bad, NULL), SVC_INVALID,
                "err_outcome_party");
    assert_string_equal(f->c.field, "registration_ids");
    bad = in;
    bad.amount_wan = "-1";
    assert_fail(f, outcome_add(fx_as(f, &f->ln_coord), ev, &bad, NULL), SVC_INVALID,
                "err_amount_negative");
    assert_fail(f, outcome_add(fx_as(f, &f->js_wx_member), ev, &in, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    int64_t o1 = 0, o2 = 0;
    assert_ok(f, outcome_add(fx_as(f, &f->ln_coord), ev, &in, &o1));
    struct outcome_input intent = {.kind = "intention", .title = "园区合作意向",
                                   .amount_wan = "5000", .registration_ids = &ru.id,
                                   .n_parties = 1};
    assert_ok(f, outcome_add(fx_as(f, &f->ln_pj_member), ev, &intent, &o2));

    /* the signed one becomes a project: partners, amount, stage, origin */
    int64_t pid = 0;
    assert_fail(f, outcome_to_project(fx_as(f, &f->ln_pj_member), o1, &pid), SVC_FORBIDDEN,
                "err_forbidden");
    assert_ok(f, outcome_to_project(fx_as(f, &f->ln_coord), o1, &pid));
    assert_fail(f, outcome_to_project(fx_as(f, &f->ln_coord), o1, &pid), SVC_CONFLICT,
                "err_outcome_project");
    assert_int_equal(fx_audit_count(f, "event_outcome.project", o1, 1, 1), 1);
    assert_int_equal(fx_audit_count(f, "project.create", pid, 0, 1), 1);
    struct project_view p;
    assert_ok(f, project_get(fx_as(f, &f->ln_coord), pid, &p));
    assert_string_equal(p.name, "工业机器人合资项目");
    assert_string_equal(p.stage, "signed");
    assert_string_equal(p.stage_on, "2027-03-01"); /* the event is ahead: today */
    assert_int_equal(p.invest_contracted, 350000000);
    assert_int_equal(p.origin_event_id, ev);
    assert_int_equal(p.n_partners, 2);
    assert_string_equal(p.partners[1].enterprise, "南京埃斯顿");
    assert_int_equal(p.partners[1].side, 1);
    struct outcome_view o;
    assert_ok(f, outcome_get(fx_as(f, &f->js_coord), o1, &o));
    assert_int_equal(o.project_id, pid);
    assert_string_equal(o.project_stage, "signed");

    /* the funnel of the event now; of the year once it is held */
    struct funnel_step s[FUNNEL_STEPS];
    assert_ok(f, funnel_get(fx_as(f, &f->ln_leader), 0, 0, ev, s));
    assert_string_equal(s[0].key, "events");
    assert_int_equal(s[0].count, 1);
    assert_int_equal(s[1].count, 2); /* two enterprises (the unit is no enterprise) */
    assert_int_equal(s[2].count, 2);
    assert_int_equal(s[3].count, 2);
    assert_int_equal(s[3].invest_yuan, 400000000);
    assert_int_equal(s[4].count, 1);
    assert_int_equal(s[4].invest_yuan, 350000000);
    assert_int_equal(s[5].count, 0);
    assert_string_equal(s[6].key, "operating");
    assert_ok(f, funnel_get(fx_as(f, &f->ln_leader), f->lj, 2027, 0, s));
    assert_int_equal(s[0].count, 0); /* not held yet */
    assert_int_equal(s[1].count, 0);
    fx_set_today("2027-04-12");
    assert_ok(f, project_set_stage(fx_as(f, &f->ln_coord), pid, "started", NULL, NULL, NULL));
    assert_ok(f, funnel_get(fx_as(f, &f->ln_leader), f->lj, 2027, 0, s));
    assert_int_equal(s[0].count, 1);
    assert_int_equal(s[2].count, 2);
    assert_int_equal(s[5].count, 1);
    assert_int_equal(s[5].invest_yuan, 350000000);
    assert_fail(f, funnel_get(fx_as(f, &f->dl_coord), f->lj, 2027, 0, s), SVC_NOT_FOUND,
                "err_not_found");
    /* past: no more registrations */
    struct registration_view r;
    assert_fail(f, registration_add(fx_as(f, &f->js_coord), ev, cc, 0, &r), SVC_CONFLICT,
                "err_event_past");
    fx_audit_intact(f);
}

static void test_rotation_and_themes(void **state)
{
    struct fx *f = *state;
    struct event_rotation rot;
    assert_ok(f, event_rotation(fx_as(f, &f->ln_leader), f->lj, &rot));
    assert_int_equal(rot.suggested_side, -1);
    struct event_input in = input("辽宁行·沈阳", "2027-05-10T09:00", "2027-05-10T17:00");
    in.host_region_code = "210100";
    const char *t1[] = {"C"}, *t2[] = {"I", "M"};
    in.themes = t1;
    in.n_themes = 1;
    assert_ok(f, event_create(fx_as(f, &f->ln_coord), &in, NULL));
    assert_ok(f, event_rotation(fx_as(f, &f->ln_leader), f->lj, &rot));
    assert_int_equal(rot.n_previous, 1);
    assert_int_equal(rot.suggested_side, 1); /* 江苏行 next */
    assert_non_null(rot.suggested_region_code);
    /* a city of 江苏 that a city pairing names (無錫, 南通 …) */
    assert_true(strncmp(rot.suggested_region_code, "32", 2) == 0);
    in = input("江苏行·苏州", "2027-09-10T09:00", "2027-09-10T17:00");
    in.host_side = 1;
    in.host_region_code = rot.suggested_region_code;
    in.themes = t1;
    in.n_themes = 1;
    assert_ok(f, event_create(fx_as(f, &f->js_coord), &in, NULL));
    assert_ok(f, event_rotation(fx_as(f, &f->ln_leader), f->lj, &rot));
    assert_int_equal(rot.suggested_side, 0);
    assert_true(strncmp(rot.suggested_region_code, "21", 2) == 0);
    assert_string_not_equal(rot.suggested_region_code, "210100"); /* 沈阳 hosted lately */

    struct event_year_themes th;
    assert_ok(f, event_year_themes(fx_as(f, &f->ln_leader), f->lj, 2027, &th));
    assert_int_equal(th.n, 1);
    assert_null(th.warning);
    in = input("论坛", "2027-06-10T09:00", "2027-06-10T17:00");
    in.kind = "forum";
    in.themes = t2;
    in.n_themes = 2;
    assert_ok(f, event_create(fx_as(f, &f->ln_coord), &in, NULL));
    assert_ok(f, event_year_themes(fx_as(f, &f->ln_leader), f->lj, 2027, &th));
    assert_int_equal(th.n, 3);
    assert_string_equal(th.warning, "event_themes_many");
    /* none yet: no warning before June, one from June 1st (China time) */
    assert_ok(f, event_year_themes(fx_as(f, &f->dl_coord), f->sd, 2027, &th));
    assert_null(th.warning);
    fx_set_today("2027-06-01");
    assert_ok(f, event_year_themes(fx_as(f, &f->dl_coord), f->sd, 2027, &th));
    assert_string_equal(th.warning, "event_themes_none");

    struct event_filter fl = {.pairing_id = f->lj, .year = 2027, .theme = "C"};
    struct event_view *list;
    size_t n;
    assert_ok(f, event_list(fx_as(f, &f->ln_leader), &fl, &list, &n));
    assert_int_equal(n, 2); /* section C: 辽宁行 and 江苏行 */
    fl.theme = NULL;
    fl.when = 1;
    assert_ok(f, event_list(fx_as(f, &f->ln_leader), &fl, &list, &n));
    assert_int_equal(n, 2); /* 5-10 is past on 6-01 */
    assert_string_equal(list[0].title, "论坛"); /* soonest first */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_and_read, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_capacity_and_waiting_list, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_check_in, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_outcomes_project_and_funnel, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rotation_and_themes, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
