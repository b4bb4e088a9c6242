/* demo_events: a pairing's docking events, enterprises and exchanges of people for the demo
 * (service/demo.c calls it per province pairing), following the plans: a "辽宁行" in 沈阳 and
 * a "江苏行" in 苏州 (上海–大连: a "大连行" in 大连 and a "上海行" in 上海) with the plan's
 * "不少于50家企业" registered and most of them checked in, intentions and signings of which
 * some became projects, an upcoming public meeting open for registration, and secondments,
 * trainings and exchanges in the fields the plans name. Held events are made as they
 * happened: the clock is moved back to their days and returns after. */
#include "service/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/credit_code.h"
#include "core/mem.h"
#include "service/enterprise.h"
#include "service/event.h"
#include "service/exchange.h"
#include "service/light.h"
#include "service/pairing.h"
#include "service/project.h"
#include "service/user.h"
#include "store/db.h"

/* The clock days from now (0: back to where it was, saved). */
static void at_day(int64_t saved, int days)
{
    clock_set_offset(saved + (int64_t)days * 86400000);
}

static const char *date_plus(struct ctx *c, int days, const char *time)
{
    char buf[25];
    clock_format(clock_now_ms() + (int64_t)light_policy.utc_offset_minutes * 60000 +
                     (int64_t)days * 86400000,
                 buf); /* the day in the plans' time zone, not UTC's */
    return arena_printf(c->arena, "%.10sT%s", buf, time);
}

/* The date days from now, YYYY-MM-DD. */
static const char *day_plus(struct ctx *c, int days)
{
    char buf[25];
    clock_format(clock_now_ms() + (int64_t)light_policy.utc_offset_minutes * 60000 +
                     (int64_t)days * 86400000,
                 buf); /* the day in the plans' time zone, not UTC's */
    return arena_strndup(c->arena, buf, 10);
}

/* The task of the pairing's current plan whose target counts enterprises ("不少于50家企业"),
 * or 0. */
static int64_t enterprise_task(struct ctx *c, int64_t pairing)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT g.task_id FROM target g JOIN plan pl ON pl.id = g.plan_id WHERE "
               "pl.pairing_id = :p AND pl.status = 'current' AND g.task_id IS NOT NULL AND "
               "g.unit = '家' AND g.object LIKE '%企業%' ORDER BY g.task_id LIMIT 1");
    db_bind_int64(&st, ":p", pairing);
    int64_t id = db_step(&st) == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    return id;
}

static const struct user *user_of(struct ctx *c, int64_t id)
{
    struct user *u = arena_alloc(c->arena, sizeof *u);
    return user_load(c, id, u) == SVC_OK ? u : NULL;
}

/* Enterprises of a side: words of a place, a trade and a form, 91 credit codes of the
 * place's region. */
static int make_enterprises(struct ctx *c, int64_t pairing, int side, const char *place,
                            const char *region, int n, int seed, int64_t *ids)
{
    static const char *const trades[] = {"重型機械", "石化裝備", "智能製造", "新材料",
                                         "生物醫藥", "物聯網",   "港口物流", "精細化工",
                                         "軟件信息", "汽車零部件", "節能環保", "現代農業"};
    static const char *const industries[] = {"34", "35", "C", "30", "27", "65",
                                             "G", "26", "65", "36", "N", "01"};
    static const char *const forms[] = {"有限公司", "股份有限公司", "集團有限公司"};
    static const char *const sizes[] = {"large", "medium", "small", "micro"};
    for (int i = 0; i < n; i++) {
        size_t t = (size_t)(i + seed) % (sizeof trades / sizeof *trades);
        char first[24];
        snprintf(first, sizeof first, "91%.6sMA%07d", region ? region : "210000",
                 seed * 1000 + i);
        struct enterprise_input in = {
            .pairing_id = pairing,
            .side = side,
            .name = arena_printf(c->arena, "%s%s%s%s", place, i % 5 ? "" : "華",
                                 trades[t], forms[i % 3]),
            .credit_code = arena_printf(c->arena, "%s%c", first, credit_code_check_char(first)),
            .region_code = region,
            .industry = industries[t],
            .size = sizes[i % 4],
            .contact_name = i % 3 ? "王經理" : "李主任",
            .contact_phone = arena_printf(c->arena, "139%08d", 40000000 + seed * 100 + i),
        };
        /* the names repeat after a dozen trades: number the later ones */
        if (i >= (int)(sizeof trades / sizeof *trades))
            in.name = arena_printf(c->arena, "%s%s%s第%d分公司", place, trades[t], forms[i % 3],
                                   i / 12);
        int rc = enterprise_create(c, &in, &ids[i]);
        if (rc != SVC_OK)
            return rc;
    }
    return SVC_OK;
}

struct held {
    const char *title, *place, *region;
    int host, days;         /* days from today */
    int enterprises, shows; /* registered per side, and of them checked in */
};

/* One docking event held `days` ago: registered by both lead offices, checked in on the day,
 * outcomes recorded and some made projects. */
static int held_event(struct ctx *c, const struct pairing_view *p, const struct demo_sides *s,
                      const struct held *h, int64_t task, int64_t *ents[2], int64_t saved)
{
    int rc;
    const struct user *host = user_of(c, s->coordinator[h->host]);
    at_day(saved, h->days - 30); /* announced a month before */
    const char *themes[] = {"C", "34"};
    int64_t organisers[2] = {s->office[h->host], s->commerce[h->host]};
    struct event_input in = {
        .pairing_id = p->id,
        .kind = "docking",
        .title = arena_printf(c->arena, h->title, atoi(date_plus(c, 30, "09:00"))),
        .host_side = h->host,
        .host_region_code = h->region,
        .starts = date_plus(c, 30, "09:00"),
        .ends = date_plus(c, 31, "12:00"),
        .place = h->place,
        .agenda = "一、開幕致辭\n二、重點產業推介\n三、項目簽約儀式\n四、分組對接洽談",
        .capacity = 120,
        .is_public = 1,
        .task_id = task,
        .target_enterprises = -1,
        .themes = themes,
        .n_themes = 2,
        .unit_ids = organisers,
        .n_units = 2,
    };
    int64_t ev;
    c->user = host;
    if ((rc = event_create(c, &in, &ev)) != SVC_OK)
        return rc;
    /* registrations over the month: each lead office its side's enterprises */
    int64_t *regs = arena_alloc(c->arena, (size_t)(2 * h->enterprises) * sizeof *regs);
    int64_t *numbers = arena_alloc(c->arena, (size_t)(2 * h->enterprises) * sizeof *numbers);
    for (int side = 0; side < 2; side++) {
        c->user = user_of(c, s->coordinator[side]);
        for (int i = 0; i < h->enterprises; i++) {
            struct registration_view r;
            at_day(saved, h->days - 25 + i % 20);
            if ((rc = registration_add(c, ev, ents[side][i], 0, &r)) != SVC_OK)
                return rc;
            regs[side * h->enterprises + i] = r.id;
            numbers[side * h->enterprises + i] = r.number;
        }
    }
    /* one withdraws, another registers late */
    at_day(saved, h->days - 2);
    int64_t promoted;
    if ((rc = registration_withdraw(c, regs[2 * h->enterprises - 1], &promoted)) != SVC_OK)
        return rc;
    /* the day: the organisers check in who came */
    at_day(saved, h->days);
    c->user = host;
    for (int i = 0; i < 2 * h->enterprises - 1; i++) {
        bool already;
        struct registration_view r;
        if (i % h->enterprises >= h->shows)
            continue;
        if ((rc = registration_check_in(c, ev, numbers[i], &r, &already)) != SVC_OK)
            return rc;
    }
    /* outcomes: signings and intentions between a side-0 and a side-1 enterprise */
    static const struct {
        const char *kind, *title, *wan, *industry;
        int project; /* 1: made a project */
    } outs[] = {
        {"signed", "高端裝備製造合資項目", "52000", "34", 1},
        {"signed", "智能工廠改造合作協議", "18000", "C", 1},
        {"signed", "港口物流園區合作", "36000", "G", 0},
        {"intention", "新材料研發中心共建意向", "8000", "30", 1},
        {"intention", "精細化工產業轉移意向", "25000", "26", 0},
        {"intention", "生物醫藥合作意向", "6000", "27", 0},
    };
    for (size_t k = 0; k < sizeof outs / sizeof *outs; k++) {
        int64_t parties[2] = {regs[k * 2], regs[h->enterprises + k * 2]};
        struct outcome_input o = {
            .kind = outs[k].kind,
            .title = arena_printf(c->arena, "%s（%s）", outs[k].title, in.title),
            .amount_wan = outs[k].wan,
            .industry = outs[k].industry,
            .registration_ids = parties,
            .n_parties = 2,
        };
        int64_t oid, pid;
        if ((rc = outcome_add(c, ev, &o, &oid)) != SVC_OK)
            return rc;
        if (outs[k].project && (rc = outcome_to_project(c, oid, &pid)) != SVC_OK)
            return rc;
        /* the first signing broke ground two months on */
        if (k == 0 && h->days + 60 < 0) {
            at_day(saved, h->days + 60);
            if ((rc = project_set_stage(c, pid, "started", NULL, NULL, NULL)) != SVC_OK)
                return rc;
            at_day(saved, h->days);
        }
    }
    at_day(saved, h->days + 3);
    struct event_view v;
    if ((rc = event_get(c, ev, &v)) != SVC_OK)
        return rc;
    return event_set_minutes(
        c, ev,
        arena_printf(c->arena,
                     "%s於%.10s在%s舉行，兩省（市）%lld家企業報名、%lld家到會，現場簽約%lld項，"
                     "達成合作意向%lld項。會議商定：各方按分工推進簽約項目落地，每季度報送進展。",
                     v.title, v.starts, h->place, (long long)v.registered_enterprises,
                     (long long)v.attended_enterprises, (long long)v.signed_count,
                     (long long)v.intentions),
        v.updated_at);
}

static int exchanges(struct ctx *c, const struct pairing_view *p, const struct demo_sides *s)
{
    int rc;
    static const struct {
        int from;
        const char *name, *post, *field, *title;
        int start, months; /* days from today; months posted */
    } posts[] = {
        {0, "張明", "副處長", "放管服改革", "掛職學習“放管服”改革經驗", -200, 12},
        {0, "劉洋", "副主任", "自貿試驗區建設", "掛職學習自貿試驗區制度創新", -340, 12},
        {1, "陳靜", "副局長", "產業發展規劃", "赴對口地區掛職指導產業規劃", -160, 6},
    };
    for (size_t i = 0; i < sizeof posts / sizeof *posts; i++) {
        struct exchange_input in;
        exchange_input_init(&in);
        in.pairing_id = p->id;
        in.kind = "secondment";
        in.title = posts[i].title;
        in.person_name = posts[i].name;
        in.post = posts[i].post;
        in.field = posts[i].field;
        in.from_unit_id = s->office[posts[i].from];
        in.host_unit_id = s->office[1 - posts[i].from];
        in.side = posts[i].from;
        in.starts = day_plus(c, posts[i].start);
        in.ends = day_plus(c, posts[i].start + posts[i].months * 30);
        in.phone = arena_printf(c->arena, "1380000%04d", (int)(p->id * 10 + (int64_t)i));
        c->user = user_of(c, s->coordinator[posts[i].from]);
        if ((rc = exchange_create(c, &in, NULL)) != SVC_OK)
            return rc;
    }
    struct exchange_input t;
    exchange_input_init(&t);
    t.pairing_id = p->id;
    t.kind = "training";
    t.title = "對口合作幹部專題培訓班（營商環境與國企改革）";
    t.side = 1;
    t.place = "江蘇省委黨校";
    t.starts = day_plus(c, -100);
    t.ends = day_plus(c, -95);
    t.count_a = 45;
    t.count_b = 5;
    c->user = user_of(c, s->coordinator[1]);
    if ((rc = exchange_create(c, &t, NULL)) != SVC_OK)
        return rc;
    exchange_input_init(&t);
    t.pairing_id = p->id;
    t.kind = "expert";
    t.title = "院士專家對接企業技術攻關";
    t.side = 1;
    t.starts = day_plus(c, -40);
    t.count_b = 8;
    return exchange_create(c, &t, NULL);
}

int demo_events(struct ctx *c, const struct pairing_view *p, const struct demo_sides *s)
{
    const struct user *saved_user = c->user;
    int64_t saved = clock_offset();
    int rc = SVC_OK;
    bool liaoning = strstr(p->name_a, "遼寧") || strstr(p->name_a, "辽宁");
    /* the places the plans name: 沈陽 and 蘇州 (蘇南), 大連 and 上海 */
    const char *places[2] = {liaoning ? "遼寧" : "上海", liaoning ? "江蘇" : "大連"};
    const char *regions[2] = {liaoning ? "210000" : "310000", liaoning ? "320000" : "210200"};
    struct held h[2] = {
        {liaoning ? "%d年“遼寧行”裝備製造產業對接活動" : "%d年“大連行”港航物流對接活動",
         liaoning ? "瀋陽新世界博覽館" : "大連國際會議中心", liaoning ? "210100" : "210200",
         liaoning ? 0 : 1, -150, liaoning ? 30 : 16, liaoning ? 27 : 14},
        {liaoning ? "%d年“江蘇行”智能製造產業對接活動" : "%d年“上海行”金融合作對接活動",
         liaoning ? "蘇州國際博覽中心" : "上海國際會議中心", liaoning ? "320500" : "310000",
         liaoning ? 1 : 0, -60, liaoning ? 32 : 16, liaoning ? 29 : 15},
    };
    int per_side = 40;
    int64_t *ents[2];
    for (int side = 0; side < 2 && rc == SVC_OK; side++) {
        ents[side] = arena_alloc(c->arena, (size_t)per_side * sizeof *ents[side]);
        c->user = user_of(c, s->coordinator[side]);
        rc = make_enterprises(c, p->id, side, places[side], regions[side], per_side,
                              (int)p->id * 10 + side, ents[side]);
    }
    /* task 4 of 遼寧–江蘇 asks for 50 enterprises; 上海–大连's docking task has no number */
    int64_t task = enterprise_task(c, p->id);
    for (int i = 0; i < 2 && rc == SVC_OK; i++)
        rc = held_event(c, p, s, &h[i], task, ents, saved);
    clock_set_offset(saved);
    /* next: a public joint meeting open for registration */
    if (rc == SVC_OK) {
        c->user = user_of(c, s->coordinator[0]);
        int64_t organisers[2] = {s->office[0], s->office[1]};
        struct event_input in = {
            .pairing_id = p->id,
            .kind = "joint_meeting",
            .title = liaoning ? "兩省對口合作聯席會議" : "滬連對口合作聯席會議",
            .host_side = 0,
            .host_region_code = regions[0][0] == '2' ? "210100" : "310000",
            .starts = date_plus(c, 25, "14:00"),
            .ends = date_plus(c, 25, "17:30"),
            .place = liaoning ? "遼寧友誼賓館" : "上海市政府會議中心",
            .capacity = 60,
            .is_public = 1,
            .task_id = 0,
            .target_enterprises = -1,
            .unit_ids = organisers,
            .n_units = 2,
        };
        int64_t ev;
        rc = event_create(c, &in, &ev);
        struct registration_view r;
        for (int side = 0; side < 2 && rc == SVC_OK; side++) {
            c->user = user_of(c, s->coordinator[side]);
            rc = registration_add(c, ev, 0, s->commerce[side], &r);
        }
    }
    if (rc == SVC_OK)
        rc = exchanges(c, p, s);
    clock_set_offset(saved);
    c->user = saved_user;
    return rc;
}
