/* test_light: 红黄绿灯 — the rule against a moving clock and the policy, only accepted reports
 * moving a light, and the counts by pairing, key area, city pairing and owner unit. */
#include "coop_fixture.h"

#include "service/light.h"

static enum light light_of(struct fx *f, int64_t item)
{
    enum light l = LIGHT_N;
    assert_ok(f, light_item(fx_as(f, &f->ln_pj_member), item, &l));
    return l;
}

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

static void test_rule_follows_the_clock(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f, 2027);
    int64_t item = fx_item(f, plan, f->lj, 7, "博览会", f->ln_pj, "2027-06-30");
    char today[11], soon[11];
    light_today(today, soon);
    assert_string_equal(today, "2027-03-01");
    assert_string_equal(soon, "2027-03-08");

    assert_int_equal(light_of(f, item), LIGHT_GREEN);
    fx_set_today("2027-06-22"); /* 8 days left */
    assert_int_equal(light_of(f, item), LIGHT_GREEN);
    fx_set_today("2027-06-23"); /* 7 days left */
    assert_int_equal(light_of(f, item), LIGHT_YELLOW);
    fx_set_today("2027-06-30"); /* due today */
    assert_int_equal(light_of(f, item), LIGHT_YELLOW);
    fx_set_today("2027-07-01"); /* overdue */
    assert_int_equal(light_of(f, item), LIGHT_RED);

    /* the policy: a longer warning */
    fx_set_today("2027-06-16");
    assert_int_equal(light_of(f, item), LIGHT_GREEN);
    light_policy.soon_days = 14;
    assert_int_equal(light_of(f, item), LIGHT_YELLOW);
    light_policy.soon_days = 7;

    /* "today" is China's date: 2027-06-30 17:00 UTC is already 07-01 in Beijing */
    fx_set_today("2027-06-30");
    clock_set_offset(0);
    int64_t now = clock_now_ms();
    struct tm tm = {.tm_year = 127, .tm_mon = 5, .tm_mday = 30, .tm_hour = 17};
    clock_set_offset((int64_t)timegm(&tm) * 1000 - now);
    assert_int_equal(light_of(f, item), LIGHT_RED);
    light_policy.utc_offset_minutes = 0;
    assert_int_equal(light_of(f, item), LIGHT_YELLOW);
    light_policy.utc_offset_minutes = 480;
    assert_string_equal(light_name(LIGHT_RED), "red");
    assert_string_equal(light_name(LIGHT_DONE), "done");
}

static void test_only_accepted_reports_count(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f, 2027);
    int64_t item = fx_item(f, plan, f->lj, 7, "博览会", f->ln_pj, "2027-06-30");
    fx_agree(f, plan, &f->ln_coord, &f->js_coord);

    /* a pending "delayed" is an unchecked claim: still green */
    int64_t r1 = fx_report(f, &f->ln_pj_member, item, "2027-02", "delayed", 5);
    assert_int_equal(light_of(f, item), LIGHT_GREEN);
    /* returned: still green */
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), r1, false, "数据有误。"));
    assert_int_equal(light_of(f, item), LIGHT_GREEN);
    /* accepted at_risk: yellow, months before the due date */
    accept(f, fx_report(f, &f->ln_pj_member, item, "2027-02", "at_risk", 10));
    assert_int_equal(light_of(f, item), LIGHT_YELLOW);
    /* accepted delayed: red */
    accept(f, fx_report(f, &f->ln_pj_member, item, "2027-03", "delayed", 10));
    assert_int_equal(light_of(f, item), LIGHT_RED);
    /* a pending on_track does not undo it; accepted, it does */
    int64_t r4 = fx_report(f, &f->ln_pj_member, item, "2027-04", "on_track", 50);
    assert_int_equal(light_of(f, item), LIGHT_RED);
    accept(f, r4);
    assert_int_equal(light_of(f, item), LIGHT_GREEN);
    /* done and accepted: done, even once overdue */
    accept(f, fx_report(f, &f->ln_pj_member, item, "2027-05", "done", 100));
    assert_int_equal(light_of(f, item), LIGHT_DONE);
    fx_set_today("2027-12-01");
    assert_int_equal(light_of(f, item), LIGHT_DONE);

    enum light l;
    assert_fail(f, light_item(fx_as(f, &f->dl_member), item, &l), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, light_item(fx_as(f, &f->ln_leader), 999999, &l), SVC_NOT_FOUND,
                "err_not_found");
}

static const struct light_group *group(const struct light_group *g, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (g[i].id == id)
            return &g[i];
    fail_msg("no group %lld", (long long)id);
    return NULL;
}

static void assert_counts(const struct light_group *g, int green, int yellow, int red, int done)
{
    assert_int_equal(g->count[LIGHT_GREEN], green);
    assert_int_equal(g->count[LIGHT_YELLOW], yellow);
    assert_int_equal(g->count[LIGHT_RED], red);
    assert_int_equal(g->count[LIGHT_DONE], done);
    assert_int_equal(g->total, green + yellow + red + done);
}

static int64_t area_of(struct fx *f, int task)
{
    return fx_scalar_(f->db, "SELECT area_id FROM task WHERE id = :a", fx_task(f, f->lj, task),
                      NULL);
}

static int64_t city(struct fx *f, const char *name_a)
{
    return fx_scalar_(f->db, "SELECT id FROM pairing WHERE name_a = :s", 0, name_a);
}

static void test_counts(void **state)
{
    struct fx *f = *state;
    int64_t plan = open_plan(f, 2027);
    /* today is 2027-03-01 */
    fx_item(f, plan, f->lj, 7, "A 盘锦博览会", f->ln_pj, "2027-06-30");          /* green */
    fx_item(f, plan, f->lj, 4, "B 经贸平台", f->ln_com, "2027-03-05");           /* yellow */
    fx_item(f, plan, f->lj, 22, "C 园区共建", f->js_wx, "2027-02-15");           /* red */
    int64_t d = fx_item(f, plan, f->lj, 0, "D 联席会议", f->ln_drc, "2027-12-31"); /* done */
    int64_t e = fx_item(f, plan, f->lj, 7, "E 无锡论坛", f->js_wx, "2027-10-31");  /* red */
    int64_t g = fx_item(f, plan, f->lj, 6, "F 鞍山服务业", f->ln_pj, "2027-11-30"); /* yellow */
    int64_t removed = fx_item(f, plan, f->lj, 7, "G 已删除", f->ln_pj, "2027-01-01");
    assert_ok(f, work_plan_item_remove(fx_as(f, &f->admin), removed, 1));
    fx_agree(f, plan, &f->ln_coord, &f->js_coord);
    accept(f, fx_report(f, &f->ln_coord2, d, "2027-02", "done", 100));
    int64_t re = fx_report(f, &f->js_wx_member, e, "2027-02", "delayed", 0);
    assert_ok(f, report_review(fx_as(f, &f->js_coord), re, true, NULL));
    accept(f, fx_report(f, &f->ln_pj_member, g, "2027-02", "at_risk", 20));
    /* another year's plan */
    int64_t next = open_plan(f, 2028);
    fx_item(f, next, f->lj, 7, "H 明年", f->ln_pj, "2028-06-30");
    /* and another pairing's, which must not leak in */
    int64_t sd_plan = 0;
    assert_ok(f, work_plan_open(fx_as(f, &f->admin), f->sd, 2027, &sd_plan));
    fx_item(f, sd_plan, f->sd, 1, "大连事项", f->dl_com, "2027-01-01");

    struct light_summary s;
    assert_ok(f, light_counts(fx_as(f, &f->ln_leader), f->lj, 2027, &s));
    assert_int_equal(s.pairing.id, f->lj);
    assert_string_equal(s.pairing.name, "遼寧省–江蘇省");
    assert_counts(&s.pairing, 1, 2, 2, 1);

    /* key areas, in section order: (一) task 4, (二) tasks 6 and 7, (五) task 22 */
    assert_int_equal(s.n_areas, 3);
    assert_int_equal(s.areas[0].id, area_of(f, 4));
    assert_int_equal(s.areas[1].id, area_of(f, 7));
    assert_int_equal(s.areas[2].id, area_of(f, 22));
    assert_string_equal(s.areas[1].name, "開展產業務實合作");
    assert_counts(&s.areas[0], 0, 1, 0, 0);
    assert_counts(&s.areas[1], 1, 1, 1, 0);
    assert_counts(&s.areas[2], 0, 0, 1, 0);

    /* city pairings: task 6 鞍山, task 7 盘锦–无锡, task 22 names two zone pairings */
    assert_int_equal(s.n_cities, 4);
    assert_counts(group(s.cities, s.n_cities, city(f, "鞍山市")), 0, 1, 0, 0);
    const struct light_group *pw = group(s.cities, s.n_cities, city(f, "盤錦市"));
    assert_counts(pw, 1, 0, 1, 0);
    assert_string_equal(pw->name, "盤錦市–無錫市");
    assert_counts(group(s.cities, s.n_cities, city(f, "沈大國家自主創新示范區")), 0, 0, 1, 0);
    assert_counts(group(s.cities, s.n_cities, city(f, "沈撫新區")), 0, 0, 1, 0);

    /* owner units, side 0 first */
    assert_int_equal(s.n_units, 4);
    assert_int_equal(s.units[0].side, 0);
    assert_int_equal(s.units[3].side, 1);
    assert_counts(group(s.units, s.n_units, f->ln_pj), 1, 1, 0, 0);
    assert_counts(group(s.units, s.n_units, f->ln_com), 0, 1, 0, 0);
    assert_counts(group(s.units, s.n_units, f->ln_drc), 0, 0, 0, 1);
    const struct light_group *wx = group(s.units, s.n_units, f->js_wx);
    assert_counts(wx, 0, 0, 2, 0);
    assert_string_equal(wx->name, "无锡市人民政府");

    /* every year */
    assert_ok(f, light_counts(fx_as(f, &f->js_wx_member), f->lj, 0, &s));
    assert_counts(&s.pairing, 2, 2, 2, 1);
    assert_counts(group(s.cities, s.n_cities, city(f, "盤錦市")), 2, 0, 1, 0);

    /* time passes: A and F turn yellow, then red */
    fx_set_today("2027-06-25");
    assert_ok(f, light_counts(fx_as(f, &f->ln_coord), f->lj, 2027, &s));
    assert_counts(&s.pairing, 0, 2, 3, 1); /* A yellow, B red, C red, E red, F yellow */

    /* the other pairing */
    assert_ok(f, light_counts(fx_as(f, &f->dl_member), f->sd, 2027, &s));
    assert_counts(&s.pairing, 0, 0, 1, 0);
    assert_int_equal(s.n_areas, 1);
    assert_int_equal(s.n_cities, 0);
    assert_int_equal(s.n_units, 1);

    assert_fail(f, light_counts(fx_as(f, &f->dl_member), f->lj, 2027, &s), SVC_NOT_FOUND,
                "err_not_found");
    assert_fail(f, light_counts(fx_as(f, &f->admin), city(f, "鞍山市"), 2027, &s),
                SVC_NOT_FOUND, "err_not_found");
    /* an empty year counts nothing */
    assert_ok(f, light_counts(fx_as(f, NULL), f->lj, 2030, &s));
    assert_int_equal(s.pairing.total, 0);
    assert_int_equal(s.n_areas + s.n_cities + s.n_units, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rule_follows_the_clock, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_only_accepted_reports_count, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_counts, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
