/* test_evaluation: the yearly evaluation (service/evaluation.c) — every computed indicator
 * worked out by hand from a few months of reports (on time, late, returned, missing) and
 * checked figure by figure with the records it counted; hand scores per side; the steps in
 * order and every refusal (wrong side, wrong role, out of order, a score out of range,
 * weights that do not sum to 100, indicators changed after opening); a self-evaluation not
 * yet submitted (and its evidence files) hidden from the other side; a closed evaluation's scores frozen while the
 * data moves on; the commendation list; every write audited. */
#include "coop_fixture.h"

#include "service/attachment.h"
#include "service/evaluation.h"
#include "service/event.h"
#include "service/exchange.h"

static const struct evaluation_points *points_of(const struct evaluation_score *s,
                                                 size_t n_ind, const char *key)
{
    for (size_t k = 0; k < n_ind; k++)
        if (strcmp(s->points[k].key, key) == 0)
            return &s->points[k];
    fail_msg("no indicator %s", key);
    return NULL;
}

static bool has_input(const struct evaluation_points *p, const char *kind, int64_t id,
                      bool counted)
{
    for (size_t i = 0; i < p->n_inputs; i++)
        if (strcmp(p->inputs[i].kind, kind) == 0 && p->inputs[i].id == id &&
            p->inputs[i].counted == counted)
            return true;
    return false;
}

struct world {
    int64_t plan, item_pj, item_wx, r_jan, r_feb_returned, r_feb, r_mar;
};

/* 2027: 盘锦 reports January on time, February late (returned once), March done on time;
 * 无锡 reports nothing. The clock is then 20 April. */
static struct world reported_world(struct fx *f)
{
    struct world w;
    fx_set_today("2027-01-10");
    assert_ok(f, work_plan_open(fx_as(f, &f->ln_coord), f->lj, 2027, &w.plan));
    w.item_pj = fx_item(f, w.plan, f->lj, 7, "组织参加世界物联网博览会", f->ln_pj, "2027-03-31");
    w.item_wx = fx_item(f, w.plan, f->lj, 7, "举办产业发展论坛", f->js_wx, "2027-06-30");
    fx_agree(f, w.plan, &f->ln_coord, &f->js_coord);
    fx_set_today("2027-02-03");
    w.r_jan = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-01", "on_track", 20);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), w.r_jan, true, NULL));
    fx_set_today("2027-03-08"); /* February's was due on 5 March */
    w.r_feb_returned = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-02", "on_track", 40);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), w.r_feb_returned, false, "请补充。"));
    w.r_feb = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-02", "on_track", 45);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), w.r_feb, true, NULL));
    fx_set_today("2027-04-02");
    w.r_mar = fx_report(f, &f->ln_pj_member, w.item_pj, "2027-03", "done", 100);
    assert_ok(f, report_review(fx_as(f, &f->ln_coord), w.r_mar, true, NULL));
    fx_set_today("2027-04-20");
    return w;
}

static void test_scores_explained(void **state)
{
    struct fx *f = *state;
    struct world w = reported_world(f);
    int64_t id;
    assert_ok(f, evaluation_create(fx_as(f, &f->ln_coord), f->lj, 2027, LANG_HANS, &id));
    struct evaluation_view v;
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_pj_member), id, &v));
    assert_string_equal(v.state, "draft");
    assert_int_equal(v.n_indicators, 10);
    struct evaluation_scores s;
    assert_ok(f, evaluation_scores(&f->c, &v, &s));
    assert_false(s.frozen);
    assert_string_equal(s.as_of, "2027-04-20");

    const struct evaluation_score *pj = evaluation_unit(&s, f->ln_pj);
    assert_non_null(pj);
    size_t n = v.n_indicators;
    const struct evaluation_points *p = points_of(pj, n, "items_done");
    assert_true(p->applies);
    assert_int_equal(p->num, 1);
    assert_int_equal(p->den, 1);
    assert_true(has_input(p, "work_item", w.item_pj, true));
    p = points_of(pj, n, "items_on_time"); /* done in March, the month it was due */
    assert_int_equal(p->num, 1);
    p = points_of(pj, n, "reports_on_time"); /* January and March on time, February late */
    assert_int_equal(p->num, 2);
    assert_int_equal(p->den, 3);
    assert_true(has_input(p, "report", w.r_jan, true));
    assert_true(has_input(p, "report", w.r_feb_returned, false));
    assert_true(has_input(p, "report", w.r_mar, true));
    assert_true(p->value > 0.6666 && p->value < 0.6668);
    assert_true(p->points > 9.99 && p->points < 10.01);
    p = points_of(pj, n, "reports_first_accepted"); /* February's first was returned */
    assert_int_equal(p->num, 2);
    assert_int_equal(p->den, 3);
    assert_true(has_input(p, "report", w.r_feb_returned, false));
    assert_false(has_input(p, "report", w.r_feb, true));
    assert_false(points_of(pj, n, "projects_progress")->applies); /* no project */
    assert_false(points_of(pj, n, "events")->applies);            /* organised none */
    assert_false(points_of(pj, n, "exchanges")->applies);         /* sent or hosted none */
    /* (20 + 15 + 10.00 + 6.67) over the weights that apply (60) */
    assert_true(pj->score > 86.11 && pj->score < 86.13);

    const struct evaluation_score *wx = evaluation_unit(&s, f->js_wx);
    assert_non_null(wx);
    p = points_of(wx, n, "reports_on_time"); /* three months missing */
    assert_int_equal(p->num, 0);
    assert_int_equal(p->den, 3);
    assert_true(has_input(p, "work_item", w.item_wx, false));
    p = points_of(wx, n, "items_on_time"); /* due in June: not late */
    assert_int_equal(p->num, 1);
    assert_false(points_of(wx, n, "reports_first_accepted")->applies);
    assert_int_equal(s.units[0].id, f->ln_pj); /* ranked best first */
    assert_int_equal(s.units[0].rank, 1);
    /* the sides count their units' records */
    assert_int_equal(points_of(&s.sides[0], n, "reports_on_time")->den, 3);
    assert_int_equal(points_of(&s.sides[1], n, "items_done")->den, 1);
}

static int *hand(size_t n, const struct evaluation_view *v, int value)
{
    int *s = calloc(n + 1, sizeof *s);
    for (size_t k = 0; k < n; k++)
        s[k] = v->indicators[k].method == EM_HAND ? value : -1;
    return s;
}

static int step(struct fx *f, const struct user *u, int64_t id, const char *action, int side,
                const char *text, const int *scores)
{
    struct evaluation_action a = {.action = action, .side = side, .text = text,
                                  .scores = scores};
    return evaluation_step(fx_as(f, u), id, &a);
}

static void test_steps_and_refusals(void **state)
{
    struct fx *f = *state;
    struct world w = reported_world(f);
    int64_t id;
    assert_fail(f, evaluation_create(fx_as(f, &f->ln_pj_member), f->lj, 2027, LANG_HANS, &id),
                SVC_FORBIDDEN, "err_forbidden");
    assert_fail(f, evaluation_create(fx_as(f, &f->sh_coord), f->lj, 2027, LANG_HANS, &id),
                SVC_NOT_FOUND, "err_not_found");
    assert_ok(f, evaluation_create(fx_as(f, &f->js_coord), f->lj, 2027, LANG_EN, &id));
    assert_fail(f, evaluation_create(fx_as(f, &f->ln_coord), f->lj, 2027, LANG_HANS, NULL),
                SVC_CONFLICT, "err_evaluation_exists");
    struct evaluation_view v;
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_coord), id, &v));
    assert_string_equal(v.indicators[0].name, "Work items completed");
    size_t n = v.n_indicators;

    /* the indicators: weights must sum to 100; changed while a draft only */
    struct evaluation_indicator ind[3] = {
        {.key = "items_done", .name = "完成率", .weight = 60, .method = EM_ITEMS_DONE},
        {.key = "reports_on_time", .name = "按时报送", .weight = 30,
         .method = EM_REPORTS_ON_TIME},
        {.key = "organisation", .name = "组织领导", .weight = 5, .method = EM_HAND,
         .evidence = "会议纪要"}};
    assert_fail(f, evaluation_set_indicators(fx_as(f, &f->ln_coord), id, ind, 3, NULL),
                SVC_INVALID, "err_evaluation_weights");
    assert_string_equal(f->c.field, "indicators");
    ind[2].weight = 10;
    ind[1].key = "Bad Key";
    assert_fail(f, evaluation_set_indicators(fx_as(f, &f->ln_coord), id, ind, 3, NULL),
                SVC_INVALID, "err_evaluation_key");
    ind[1].key = "reports_on_time";
    assert_fail(f, evaluation_set_indicators(fx_as(f, &f->ln_coord), id, ind, 3, "stale"),
                SVC_STALE, "err_stale");
    assert_ok(f, evaluation_set_indicators(fx_as(f, &f->ln_coord), id, ind, 3, v.updated_at));
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_coord), id, &v));
    assert_int_equal(v.n_indicators, 3); /* nothing half-stored by the refusals */
    n = v.n_indicators;
    assert_fail(f, step(f, &f->ln_coord, id, "self", 0, "自评", NULL), SVC_CONFLICT,
                "err_evaluation_step"); /* not open yet */
    assert_ok(f, evaluation_open(fx_as(f, &f->ln_coord), id));
    assert_fail(f, evaluation_set_indicators(fx_as(f, &f->ln_coord), id, ind, 3, NULL),
                SVC_CONFLICT, "err_evaluation_locked");
    assert_fail(f, evaluation_open(fx_as(f, &f->ln_coord), id), SVC_CONFLICT,
                "err_evaluation_step");
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_coord), id, &v));

    int *ok = hand(n, &v, 90), *bad = hand(n, &v, 101), *none = hand(n, &v, -1);
    int *lower = hand(n, &v, 70);
    /* self-evaluations: the side's own lead office, every hand score 0–100 */
    assert_fail(f, step(f, &f->js_coord, id, "self", 0, "自评", ok), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, step(f, &f->ln_pj_member, id, "self", 0, "自评", ok), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, step(f, &f->ln_coord, id, "self", 0, "自评", bad), SVC_INVALID,
                "err_evaluation_score");
    assert_string_equal(f->c.field, "scores.organisation");
    assert_fail(f, step(f, &f->ln_coord, id, "self", 0, "自评", none), SVC_INVALID,
                "err_evaluation_score");
    assert_fail(f, step(f, &f->ln_coord, id, "self", 0, "", ok), SVC_INVALID, "err_required");
    assert_fail(f, step(f, &f->js_coord, id, "opinion", 0, "意见", NULL), SVC_CONFLICT,
                "err_evaluation_step"); /* nothing to give an opinion on yet */
    assert_ok(f, step(f, &f->ln_coord, id, "save", 0, "辽宁自评草稿", ok));
    /* evidence files: the writing side's, hidden from the other until submitted */
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_coord), id, &v));
    static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    struct attachment_view file, *files;
    size_t n_files;
    int64_t evidence = v.sides[0].row_id;
    assert_fail(f, attachment_add(fx_as(f, &f->js_coord), "evaluation_side", evidence, "a.pdf",
                                  NULL, pdf, sizeof pdf - 1, &file),
                SVC_FORBIDDEN, "err_forbidden");
    assert_ok(f, attachment_add(fx_as(f, &f->ln_coord), "evaluation_side", evidence,
                                "会议纪要.pdf", NULL, pdf, sizeof pdf - 1, &file));
    assert_fail(f, attachment_list(fx_as(f, &f->js_coord), "evaluation_side", evidence, &files,
                                   &n_files),
                SVC_NOT_FOUND, "err_not_found");
    assert_ok(f, evaluation_get(fx_as(f, &f->js_coord), id, &v)); /* the other side */
    assert_null(v.sides[0].self_text);
    assert_int_equal(v.sides[0].self_scores[2], -1);
    assert_false(v.sides[0].self_visible);
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_pj_member), id, &v)); /* its own side */
    assert_string_equal(v.sides[0].self_text, "辽宁自评草稿");
    assert_ok(f, step(f, &f->ln_coord, id, "self", 0, "辽宁自评", ok));
    /* the other side's lead office is told it is its turn; no one else */
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM notification n JOIN users u ON "
                                       "u.id = n.user_id WHERE n.kind = 'evaluation_step' AND "
                                       "n.period = 'self:0' AND u.login = 'js_coord'",
                                0, NULL),
                     1);
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM notification WHERE kind = "
                                       "'evaluation_step'",
                                0, NULL),
                     1);
    assert_ok(f, evaluation_get(fx_as(f, &f->js_coord), id, &v));
    assert_string_equal(v.sides[0].self_text, "辽宁自评");
    assert_int_equal(v.sides[0].stage, ES_OPINION);
    assert_ok(f, attachment_list(fx_as(f, &f->js_coord), "evaluation_side", evidence, &files,
                                 &n_files));
    assert_int_equal(n_files, 1);
    assert_string_equal(files[0].filename, "会议纪要.pdf");
    assert_fail(f, attachment_add(fx_as(f, &f->ln_coord), "evaluation_side", evidence, "b.pdf",
                                  NULL, pdf, sizeof pdf - 1, &file),
                SVC_CONFLICT, "err_evaluation_step"); /* submitted: it no longer changes */
    assert_fail(f, step(f, &f->ln_coord, id, "self", 0, "again", ok), SVC_CONFLICT,
                "err_evaluation_step");
    /* the other side returns it once with a reason, then gives its opinion */
    assert_fail(f, step(f, &f->ln_coord, id, "opinion", 0, "自己评自己", NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, step(f, &f->js_coord, id, "return", 0, "", NULL), SVC_INVALID,
                "err_required");
    assert_ok(f, step(f, &f->js_coord, id, "return", 0, "请补充证据材料。", NULL));
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_coord), id, &v));
    assert_int_equal(v.sides[0].stage, ES_SELF);
    assert_ok(f, step(f, &f->ln_coord, id, "self", 0, "辽宁自评（补充）", ok));
    assert_ok(f, step(f, &f->js_coord, id, "opinion", 0, "基本同意，组织领导分建议调整。",
                      lower));
    assert_ok(f, step(f, &f->js_coord, id, "self", 1, "江苏自评", ok));
    assert_fail(f, step(f, &f->ln_leader, id, "confirm", 0, NULL, NULL), SVC_CONFLICT,
                "err_evaluation_step"); /* side 1 has no opinion yet */
    assert_ok(f, step(f, &f->ln_coord, id, "opinion", 1, "同意。", NULL));
    /* both sides final: the leaders are told to confirm */
    assert_int_equal(fx_scalar_(f->db, "SELECT count(*) FROM notification n JOIN users u ON "
                                       "u.id = n.user_id WHERE n.kind = 'evaluation_step' AND "
                                       "n.period = 'final:1' AND u.login = 'ln_leader'",
                                0, NULL),
                     1);
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_coord), id, &v));
    assert_int_equal(v.sides[0].final_scores[2], 70); /* the opinion's proposal */
    assert_int_equal(v.sides[1].final_scores[2], 90); /* the self-evaluation's */

    /* the leaderships confirm: members and coordinators may not */
    assert_fail(f, step(f, &f->ln_coord, id, "confirm", 0, NULL, NULL), SVC_FORBIDDEN,
                "err_forbidden");
    assert_ok(f, step(f, &f->ln_leader, id, "confirm", 0, "同意。", NULL));
    assert_fail(f, step(f, &f->ln_leader, id, "confirm", 0, NULL, NULL), SVC_CONFLICT,
                "err_evaluation_step");
    /* a leader's return sends a side back and clears the confirmations */
    struct evaluation_action back = {.action = "return", .side = 1, .text = "请核实。",
                                     .to_stage = ES_OPINION};
    assert_ok(f, evaluation_step(fx_as(f, &f->ln_leader), id, &back));
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_coord), id, &v));
    assert_null(v.sides[0].confirmed_at);
    assert_int_equal(v.sides[1].stage, ES_OPINION);
    assert_ok(f, step(f, &f->ln_coord, id, "opinion", 1, "已核实，同意。", NULL));
    assert_ok(f, step(f, &f->ln_leader, id, "confirm", 0, NULL, NULL));
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_coord), id, &v));
    assert_string_equal(v.state, "open"); /* one leadership of two */
    assert_ok(f, step(f, &f->admin, id, "confirm", -1, "上级确认。", NULL));
    assert_ok(f, evaluation_get(fx_as(f, &f->js_coord), id, &v));
    assert_string_equal(v.state, "closed");
    struct evaluation_scores s;
    assert_ok(f, evaluation_scores(&f->c, &v, &s));
    assert_true(s.frozen);
    const struct evaluation_score *pj = evaluation_unit(&s, f->ln_pj);
    double before = pj->score;
    /* organisation: side 0's final 70 → 7 of 10 points */
    assert_true(points_of(pj, n, "organisation")->points > 6.99 &&
                points_of(pj, n, "organisation")->points < 7.01);
    assert_true(has_input(points_of(pj, n, "reports_on_time"), "report", w.r_mar, true));

    /* the data moves on; the closed scores do not */
    fx_set_today("2027-05-03");
    int64_t r = fx_report(f, &f->js_wx_member, w.item_wx, "2027-04", "done", 100);
    assert_ok(f, report_review(fx_as(f, &f->js_coord), r, true, NULL));
    assert_ok(f, evaluation_scores(&f->c, &v, &s));
    assert_true(evaluation_unit(&s, f->ln_pj)->score == before);
    assert_int_equal(points_of(evaluation_unit(&s, f->js_wx), n, "items_done")->num, 0);
    assert_fail(f, step(f, &f->ln_coord, id, "self", 0, "晚了", ok), SVC_CONFLICT,
                "err_evaluation_step");

    /* commendations: leaders, from the ranking's top */
    int64_t best = f->ln_pj, nobody = f->ln_group;
    assert_fail(f, evaluation_commend(fx_as(f, &f->ln_coord), id, &best, 1), SVC_FORBIDDEN,
                "err_forbidden");
    assert_fail(f, evaluation_commend(fx_as(f, &f->ln_leader), id, &nobody, 1), SVC_INVALID,
                "err_evaluation_commend");
    assert_ok(f, evaluation_commend(fx_as(f, &f->ln_leader), id, &best, 1));
    assert_ok(f, evaluation_get(fx_as(f, &f->js_coord), id, &v));
    assert_int_equal(v.n_commended, 1);
    assert_ok(f, evaluation_scores(&f->c, &v, &s));
    assert_true(evaluation_unit(&s, f->ln_pj)->commended);

    /* the history, and the audit */
    size_t returns = 0;
    for (size_t i = 0; i < v.n_steps; i++)
        returns += strcmp(v.steps[i].action, "return") == 0;
    assert_int_equal(returns, 2);
    assert_string_equal(v.steps[v.n_steps - 1].action, "commend");
    assert_int_equal(fx_audit_count(f, "evaluation.confirm", id, 1, 1), 3);
    assert_int_equal(fx_audit_count(f, "evaluation.create", id, 1, 1), 1);
    fx_audit_intact(f);
    free(ok);
    free(bad);
    free(none);
    free(lower);
}

/* Who reads: the pairing's people, both sides; no one else. */
static void test_who_reads(void **state)
{
    struct fx *f = *state;
    fx_set_today("2027-01-10");
    int64_t id;
    assert_ok(f, evaluation_create(fx_as(f, &f->admin), f->lj, 2027, LANG_HANS, &id));
    struct evaluation_view v, *list;
    size_t n;
    assert_ok(f, evaluation_get(fx_as(f, &f->js_wx_member), id, &v));
    assert_fail(f, evaluation_get(fx_as(f, &f->dl_member), id, &v), SVC_NOT_FOUND,
                "err_not_found");
    assert_ok(f, evaluation_list(fx_as(f, &f->ln_pj_member), f->lj, &list, &n));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].year, 2027);
    assert_fail(f, evaluation_list(fx_as(f, &f->dl_member), f->lj, &list, &n), SVC_NOT_FOUND,
                "err_not_found");
    assert_int_equal(evaluation_current(&f->c, f->lj), id);
    assert_int_equal(evaluation_current(&f->c, f->sd), 0);
}

/* events and exchanges, computed: the docking events 盘锦 organised that were held, met or not
 * by their enterprises' attendance against the target; the sides' secondments and trainings */
static void test_events_and_exchanges(void **state)
{
    struct fx *f = *state;
    fx_set_today("2027-03-01");
    int64_t ev[2], ents[3];
    for (int i = 0; i < 3; i++) {
        struct stmt st;
        db_prepare(f->db, &st,
                   "INSERT INTO enterprise (pairing_id, side, name, name_key, created_at, "
                   "updated_at) VALUES (:p, 0, :n, :n, '2027-01-01T00:00:00.000Z', "
                   "'2027-01-01T00:00:00.000Z')");
        db_bind_int64(&st, ":p", f->lj);
        db_bind_text(&st, ":n", i == 0 ? "甲公司" : i == 1 ? "乙公司" : "丙公司");
        assert_int_equal(db_step(&st), DB_DONE);
        db_finalize(&st);
        ents[i] = db_last_insert_id(f->db);
    }
    for (int i = 0; i < 2; i++) {
        struct event_input in = {.kind = "docking", .title = i ? "第二场" : "第一场",
                                 .host_side = 0, .starts = i ? "2027-04-10T09:00" : "2027-03-10T09:00",
                                 .ends = i ? "2027-04-10T17:00" : "2027-03-10T17:00",
                                 .capacity = -1, .is_public = -1, .task_id = -1,
                                 .target_enterprises = 2, .unit_ids = &f->ln_pj, .n_units = 1};
        assert_ok(f, event_create(fx_as(f, &f->ln_coord), &in, &ev[i]));
        /* the first: 2 of the 2 asked came; the second: 1 */
        for (int k = 0; k < 2; k++) {
            struct registration_view r;
            bool already;
            assert_ok(f, registration_add(fx_as(f, &f->ln_coord), ev[i], ents[i + k], 0, &r));
            if (i == 0 || k == 0)
                assert_ok(f, registration_check_in(fx_as(f, &f->ln_coord), ev[i], r.number, &r,
                                                   &already));
        }
    }
    struct exchange_input x;
    exchange_input_init(&x);
    x.pairing_id = f->lj;
    x.kind = "secondment";
    x.title = "盘锦干部赴无锡挂职";
    x.person_name = "王晓明";
    x.from_unit_id = f->ln_pj;
    x.host_unit_id = f->js_wx;
    x.starts = "2027-02-01";
    int64_t sec;
    assert_ok(f, exchange_create(fx_as(f, &f->ln_coord), &x, &sec));

    int64_t id;
    assert_ok(f, evaluation_create(fx_as(f, &f->ln_coord), f->lj, 2027, LANG_HANS, &id));
    struct evaluation_view v;
    struct evaluation_scores s;
    assert_ok(f, evaluation_get(fx_as(f, &f->ln_coord), id, &v));
    size_t n = v.n_indicators;
    assert_ok(f, evaluation_scores(&f->c, &v, &s));
    /* before either is held: nothing to judge */
    assert_false(points_of(&s.sides[0], n, "events")->applies);
    fx_set_today("2027-05-01");
    assert_ok(f, evaluation_scores(&f->c, &v, &s));
    const struct evaluation_points *p = points_of(&s.sides[0], n, "events");
    assert_true(p->applies);
    assert_int_equal(p->num, 1);
    assert_int_equal(p->den, 2);
    assert_true(has_input(p, "event", ev[0], true));
    assert_true(has_input(p, "event", ev[1], false));
    assert_false(points_of(&s.sides[1], n, "events")->applies); /* hosted none */
    const struct evaluation_score *pj = evaluation_unit(&s, f->ln_pj);
    assert_non_null(pj);
    assert_int_equal(points_of(pj, n, "events")->den, 2); /* it organised both */
    /* exchanges: 辽宁 seconded, trained no one: half; 江苏 neither: nought; 盘锦 sent him */
    p = points_of(&s.sides[0], n, "exchanges");
    assert_int_equal(p->num, 1);
    assert_int_equal(p->den, 2);
    assert_true(has_input(p, "exchange", sec, true));
    p = points_of(&s.sides[1], n, "exchanges");
    assert_true(p->applies);
    assert_int_equal(p->num, 0);
    assert_int_equal(points_of(pj, n, "exchanges")->num, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scores_explained, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_events_and_exchanges, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_steps_and_refusals, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_who_reads, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
