/* demo: a demonstration organisation drawn from the imported plans, so that `make run`
 * opens on a system that looks in use: each side's leadership group and lead office, the
 * city governments and zone committees of every city and zone pairing, two departments per
 * side; assignments for every task; this year's agreed work plan with an item per task; and
 * reports in every state, so lights are red, yellow and green; and two published notices on
 * the portal, one to the first pairing and one to all; a cooperation project per city and
 * zone pairing, on the pairing's theme, in every stage; for the first pairing, last year's
 * work plan reported through the year and its evaluation (考核评估) closed, and this year's
 * evaluation open. Everything goes through the
 * same services as real use (and so into the audit log). */
#include "service/demo.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/credit_code.h"
#include "core/mem.h"
#include "service/assignment.h"
#include "service/attachment.h"
#include "service/circular.h"
#include "service/evaluation.h"
#include "service/perm.h"
#include "service/reporting.h"
#include "service/notice.h"
#include "service/pairing.h"
#include "service/fund.h"
#include "service/plan.h"
#include "service/platform.h"
#include "service/project.h"
#include "service/report.h"
#include "service/service.h"
#include "service/user.h"
#include "service/work_plan.h"

/* The lead offices the plans name (上海市人民政府合作交流办公室, 大连市发展和改革委员会) and
 * the provinces' development and reform commissions. */
static const char *lead_office(struct ctx *c, const char *side)
{
    if (strcmp(side, "上海市") == 0 || strcmp(side, "上海") == 0)
        return "上海市人民政府合作交流辦公室";
    return arena_printf(c->arena, "%s發展和改革委員會", side);
}

struct side_units {
    int64_t leadership, office, commerce, science;
    int64_t coordinator, leader;   /* user ids */
};

/* What the first pairing's evaluations are made from (demo_evaluations). */
struct demo_first {
    int64_t pairing;
    struct side_units su[2];
    int64_t *tasks, *owners; /* per task of the plan: its id and this year's item owner */
    const char **titles;
    size_t n_tasks;
};

struct demo {
    struct ctx *c;
    struct demo_login *logins;
    size_t n_logins, cap_logins;
    int pairing_no;
    struct demo_first first;
};

static int add_unit(struct demo *d, int64_t pairing, int side, const char *name, const char *kind,
                    const char *tier, int64_t *id)
{
    struct unit_input in = {.pairing_id = pairing, .side = side, .name = name, .kind = kind,
                            .tier = tier};
    return unit_create(d->c, &in, id);
}

/* Display names for the demo accounts (common surnames and given names, drawn in turn), so
 * the pages show a person, as they will in use, rather than a login. */
static const char *person_name(struct demo *d)
{
    static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                           "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
    static const char *const given[] = {"建国", "晓东", "丽华", "志强", "海燕", "文博",
                                        "春梅", "立新", "国庆", "雪松", "明辉"};
    size_t k = d->n_logins;
    return arena_printf(d->c->arena, "%s%s", surnames[k % 16], given[(k / 16 + k) % 11]);
}

static int add_user(struct demo *d, const char *login, const char *role, int64_t unit,
                    const char *unit_name, int64_t *id)
{
    const char *pw = user_generate_password(d->c);
    /* every demo account has an address at example.org (reserved for examples: nothing
     * sent to it reaches anyone) */
    struct user_input in = {.login = login, .role = role, .unit_id = unit, .password = pw,
                            .name = person_name(d),
                            .email = arena_printf(d->c->arena, "%s@example.org", login)};
    int rc = user_create(d->c, &in, id);
    if (rc != SVC_OK)
        return rc;
    struct demo_login *l = ARRAY_PUSH(d->c->arena, d->logins, d->n_logins, d->cap_logins);
    *l = (struct demo_login){role, arena_strdup(d->c->arena, login), pw, unit_name};
    return SVC_OK;
}

/* Acts as the given user for the calls that need one (approvals, reports, reviews). */
static const struct user *as_user(struct demo *d, int64_t user_id)
{
    struct user *u = arena_alloc(d->c->arena, sizeof *u);
    return user_load(d->c, user_id, u) == SVC_OK ? u : NULL;
}

static const char *today_plus(struct ctx *c, int days)
{
    int64_t ms = clock_now_ms() + (int64_t)days * 86400000;
    char buf[25];
    clock_format(ms, buf);
    return arena_strndup(c->arena, buf, 10);
}

/* The unit a city or zone pairing brings to one side: 盘锦市 → 盘锦市人民政府. */
static const char *pairing_unit_name(struct ctx *c, const char *place, const char *kind)
{
    if (strstr(place, "有關") || strstr(place, "有关"))
        return NULL; /* 江苏省有关城市: not named yet */
    if (strcmp(kind, "city") == 0)
        return arena_printf(c->arena, "%s人民政府", place);
    return arena_printf(c->arena, "%s管理委員會", place);
}

/* A project per city and zone pairing, on the theme the plan gives it (盘锦–无锡 "互联网+",
 * 沈抚新区–苏州工业园区 the joint park, 浦东–金普 …): the project's name pattern (%1$s the
 * side-a place, %2$s the side-b place) and industry, found by a word of the theme. */
static const struct {
    const char *theme, *name, *industry;
} project_themes[] = {
    {"互聯網", "%1$s—%2$s工業互聯網平臺共建項目", "64"},
    {"裝備", "%2$s企業在%1$s投資智能裝備產業園項目", "34"},
    {"旅游", "%1$s—%2$s精品旅游線路聯合開發項目", "72"},
    {"醫藥", "%2$s生物醫藥企業%1$s生產基地項目", "27"},
    {"農業", "%1$s優質農產品%2$s直供基地項目", "01"},
    {"科技", "%1$s—%2$s科技成果轉化中心", "75"},
    {"雙創", "%1$s—%2$s“雙創”孵化基地", "75"},
    {"招商", "%2$s—%1$s合作園區標準廠房及配套建設項目", "48"},
    {"城市", "%1$s智慧城市管理平臺建設項目", "78"},
    {"服務業", "%1$s現代物流服務業合作項目", "58"},
    {"全面", "%1$s—%2$s集成電路產業合作項目", "39"},
    {"交流", "%1$s—%2$s跨境貿易服務平臺項目", "51"},
    {"創建", "%1$s—%2$s軟件和信息技術服務合作項目", "65"},
    {"機制", "%1$s—%2$s聯合研發中心", "73"},
};

/* An enterprise's credit code: 91 (an enterprise), the region's code, an organisation code,
 * and the GB 32100-2015 check character. */
static const char *demo_credit_code(struct ctx *c, const char *region, int n)
{
    const char *r = region && strlen(region) == 6 && region[0] != 'Z' ? region : "320000";
    char first[24];
    snprintf(first, sizeof first, "91%.6sMA1P%05u", r, (unsigned)n % 100000u);
    return arena_printf(c->arena, "%s%c", first, credit_code_check_char(first));
}

static int demo_projects(struct demo *d, const struct pairing_view *p, const struct side_units *su,
                         int64_t (*child_unit)[2])
{
    struct ctx *c = d->c;
    int rc = SVC_OK;
    const struct user *saved = c->user;
    static const enum project_stage stages[] = {STAGE_OPERATING, STAGE_SIGNED, STAGE_STARTED,
                                                STAGE_NEGOTIATING, STAGE_STOPPED, STAGE_SIGNED};
    for (size_t k = 0; k < p->n_children && rc == SVC_OK; k++) {
        const struct pairing_view *ch = &p->children[k];
        const char *name = "%1$s—%2$s產業合作項目", *industry = "C";
        for (size_t t = 0; t < sizeof project_themes / sizeof *project_themes; t++)
            if (ch->theme && strstr(ch->theme, project_themes[t].theme)) {
                name = project_themes[t].name;
                industry = project_themes[t].industry;
                break;
            }
        const char *place_b = strstr(ch->name_b, "有關") ? "江蘇" : ch->name_b;
        int owner = (int)(k % 2);
        enum project_stage stage = stages[k % (sizeof stages / sizeof *stages)];
        /* 4,000 万元 to 6 亿元 planned; three quarters contracted when signed, paid-in as
         * built */
        int64_t planned = (int64_t)(4 + (k * 12) % 56) * 10000000;
        int64_t contracted = stage >= STAGE_SIGNED ? planned / 4 * 3 : 0;
        int64_t paid = stage == STAGE_OPERATING ? contracted
                       : stage == STAGE_STARTED ? contracted / 2
                                                : 0;
        struct project_partner partners[3];
        size_t np = 0;
        for (int s = 0; s < 2; s++)
            partners[np++] = (struct project_partner){
                .side = s, .unit_id = child_unit[k][s] ? child_unit[k][s] : su[s].commerce};
        /* an enterprise of the other side than the owner's, named after that side's place */
        partners[np++] = (struct project_partner){
            .side = 1 - owner,
            .enterprise = arena_printf(c->arena, "%s%s有限公司", owner ? ch->name_a : place_b,
                                       strcmp(industry, "01") == 0 ? "農業發展" : "科技實業"),
            .credit_code = demo_credit_code(c, owner ? ch->code_a : ch->code_b, (int)k + 1)};
        struct project_input in = {
            .side = owner,
            .pairing_id = p->id,
            .city_pairing_id = ch->id,
            .name = arena_printf(c->arena, name, ch->name_a, place_b),
            .industry = industry,
            .region_code = owner ? ch->code_b : ch->code_a,
            .invest_planned = planned,
            .invest_contracted = contracted,
            .invest_paid = paid,
            .jobs = stage >= STAGE_STARTED ? (int64_t)(50 + k * 40) : -1,
            .description = arena_printf(c->arena, "落實實施方案中%s的合作任務。",
                                        ch->theme ? ch->theme : "對口合作"),
            .major = contracted >= 100000000,
            .is_public = stage != STAGE_STOPPED && stage != STAGE_NEGOTIATING,
            .stage = "negotiating",
            .stage_on = today_plus(c, -400 + (int)k * 5),
            .partners = partners,
            .n_partners = np,
        };
        if (!in.region_code || !in.region_code[0] || in.region_code[0] == 'Z')
            in.region_code = NULL; /* a zone outside the gazetteer's own codes: keep it simple */
        int64_t id;
        c->user = as_user(d, su[owner].coordinator);
        /* a zone pairing builds a platform together (沈抚新区–苏州工业园区 the joint park …),
         * and its project sits in it */
        if (strcmp(ch->kind, "zone") == 0) {
            int64_t units[2], pf;
            size_t nu = 0;
            for (int s = 0; s < 2; s++)
                if (child_unit[k][s])
                    units[nu++] = child_unit[k][s];
            bool park = strstr(ch->name_a, "新區") || strstr(ch->name_b, "園區");
            struct platform_input pin = {
                .pairing_id = p->id,
                .name = arena_printf(c->arena, "%s—%s合作%s", ch->name_a, place_b,
                                     park ? "園區" : "平臺"),
                .kind = park ? "park" : "innovation",
                .region_code = in.region_code,
                .area_ha = park ? "1200" : NULL,
                .founded = 2018,
                .set_units = true,
                .unit_ids = units,
                .n_units = nu,
            };
            rc = platform_create(c, &pin, &pf);
            in.platform_id = pf;
        }
        if (rc == SVC_OK)
            rc = project_create(c, &in, &id);
        /* through its stages on their dates, as a coordinator would have recorded them */
        int days = -300 + (int)k * 5;
        enum project_stage last = stage == STAGE_STOPPED ? STAGE_SIGNED : stage;
        for (int s = STAGE_SIGNED; rc == SVC_OK && s <= (int)last; s++, days += 60)
            rc = project_set_stage(c, id, project_stage_name((enum project_stage)s),
                                   today_plus(c, days), NULL, NULL);
        if (rc == SVC_OK && stage == STAGE_STOPPED)
            rc = project_set_stage(c, id, "stopped", today_plus(c, days),
                                   "投資方調整投資計劃，項目暫緩。", NULL);
        /* under way: the partner city's clerk reports progress, the lead office accepts */
        struct user_view *members;
        size_t nm = 0;
        if (rc == SVC_OK && (stage == STAGE_STARTED || stage == STAGE_OPERATING) &&
            child_unit[k][owner] && user_list(c, child_unit[k][owner], &members, &nm) == SVC_OK &&
            nm > 0) {
            struct project_update_input up = {
                .body = stage == STAGE_OPERATING ? "項目已竣工投產，首批產品下線，運行正常。"
                                                 : "主體工程施工中，設備陸續進場，資金按計劃到位。",
                .invest_paid = paid,
                .jobs = in.jobs,
            };
            int64_t upd;
            const struct user *coordinator = c->user;
            c->user = as_user(d, members[0].id);
            rc = project_update_add(c, id, &up, &upd);
            c->user = coordinator;
            if (rc == SVC_OK)
                rc = project_update_review(c, upd, true, NULL);
            /* and a file with it: the signed-project list, as the offices keep it */
            static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                                      "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
            c->user = as_user(d, members[0].id);
            if (rc == SVC_OK)
                rc = attachment_add(c, "project", id, "簽約項目清單.pdf", "application/pdf", pdf,
                                    sizeof pdf - 1, NULL);
            c->user = coordinator;
        }
        c->user = saved;
    }
    return rc;
}

/* The year's money: each side's budget (文号 as the offices write them), allocations to its
 * projects and to a docking event, and an industry fund that invested in the largest project. */
static int demo_funds(struct demo *d, const struct pairing_view *p, const struct side_units *su,
                      int year)
{
    struct ctx *c = d->c;
    const struct user *saved = c->user;
    int rc = SVC_OK;
    int64_t largest = 0;
    for (int s = 0; s < 2 && rc == SVC_OK; s++) {
        c->user = as_user(d, su[s].coordinator);
        int64_t fund;
        const char *prefix = s ? p->name_b : p->name_a;
        rc = work_fund_set(c, p->id, s, year, (int64_t)(s ? 300 : 500) * 10000, /* 万元 */
                           arena_printf(c->arena, "%.6s合作發〔%d〕%d號", prefix, year, 3 + s), &fund);
        struct project_filter f = {.pairing_id = p->id, .side = s, .major = -1,
                                   .by_investment = true};
        struct project_view *v;
        size_t n = 0;
        int64_t next;
        if (rc == SVC_OK)
            rc = project_list(c, &f, 0, 2, &v, &n, &next);
        for (size_t i = 0; i < n && rc == SVC_OK; i++) {
            struct fund_allocation_input in = {
                .project_id = v[i].id,
                .amount = (int64_t)(i ? 80 : 120) * 10000,
                .spent = (int64_t)(i ? 30 : 90) * 10000,
                .doc_no = arena_printf(c->arena, "%.6s合作發〔%d〕%zu號", prefix, year, 10 + i),
            };
            rc = work_fund_allocate(c, fund, &in, NULL);
            if (!largest && s == 0)
                largest = v[i].id;
        }
        struct fund_allocation_input ev = {
            .purpose = arena_printf(c->arena, "「%.6s行」項目對接活動", prefix),
            .amount = 500000,
            .spent = 200000,
            .doc_no = arena_printf(c->arena, "%.6s合作發〔%d〕20號", prefix, year),
        };
        if (rc == SVC_OK)
            rc = work_fund_allocate(c, fund, &ev, NULL);
    }
    if (rc == SVC_OK) {
        c->user = as_user(d, su[0].coordinator);
        int64_t fund;
        rc = industry_fund_create(c, p->id, arena_printf(c->arena, "%s%s對口合作產業投資基金",
                                                         p->name_a, p->name_b),
                                  (int64_t)50 * 100000000, "對口合作產業投資基金管理有限公司",
                                  &fund);
        if (rc == SVC_OK && largest)
            rc = industry_fund_invest(c, fund, largest, (int64_t)3000 * 10000, NULL, NULL);
    }
    c->user = saved;
    return rc;
}

static int demo_pairing(struct demo *d, const struct pairing_view *p, int year)
{
    struct ctx *c = d->c;
    int rc;
    struct side_units su[2] = {{0}};
    const char *names[2] = {p->name_a, p->name_b};
    d->pairing_no++;
    for (int s = 0; s < 2; s++) {
        const char *n = names[s];
        bool province = strlen(n) >= 3 && strcmp(n + strlen(n) - 3, "省") == 0;
        const char *leadership = arena_printf(c->arena, "%s對口合作工作領導小組", n);
        const char *commerce = arena_printf(c->arena, "%s商務%s", n, province ? "廳" : "局");
        const char *science = arena_printf(c->arena, "%s科學技術%s", n, province ? "廳" : "局");
        if ((rc = add_unit(d, p->id, s, leadership,
                           "government", "decision", &su[s].leadership)) ||
            (rc = add_unit(d, p->id, s, lead_office(c, n), "department", "coordination",
                           &su[s].office)) ||
            (rc = add_unit(d, p->id, s, commerce, "department", "execution", &su[s].commerce)) ||
            (rc = add_unit(d, p->id, s, science, "department", "execution", &su[s].science)))
            return rc;
        const char *prefix = arena_printf(c->arena, "p%d%c", d->pairing_no, s ? 'b' : 'a');
        int64_t member;
        if ((rc = add_user(d, arena_printf(c->arena, "%s.leader", prefix), "leader",
                           su[s].leadership, leadership, &su[s].leader)) ||
            (rc = add_user(d, arena_printf(c->arena, "%s.coord", prefix), "coordinator",
                           su[s].office, lead_office(c, n), &su[s].coordinator)) ||
            (rc = add_user(d, arena_printf(c->arena, "%s.commerce", prefix), "member",
                           su[s].commerce, commerce, &member)) ||
            (rc = add_user(d, arena_printf(c->arena, "%s.science", prefix), "member",
                           su[s].science, science, &member)))
            return rc;
    }

    /* City governments and zone committees of the child pairings, each with a clerk. */
    size_t nk = p->n_children;
    int64_t (*child_unit)[2] = arena_alloc(c->arena, (nk + 1) * sizeof *child_unit);
    for (size_t k = 0; k < nk; k++) {
        const struct pairing_view *ch = &p->children[k];
        const char *places[2] = {ch->name_a, ch->name_b};
        for (int s = 0; s < 2; s++) {
            const char *name = pairing_unit_name(c, places[s], ch->kind);
            if (!name)
                continue;
            bool existed = unit_find(c, name, &child_unit[k][s]) == SVC_OK;
            if (!existed) {
                if ((rc = add_unit(d, p->id, s, name, strcmp(ch->kind, "city") == 0 ? "city" : "park",
                                   "execution", &child_unit[k][s])))
                    return rc;
                int64_t member;
                if ((rc = add_user(d, arena_printf(c->arena, "p%d%c.c%zu", d->pairing_no,
                                                   s ? 'b' : 'a', k + 1),
                                   "member", child_unit[k][s], name, &member)))
                    return rc;
            }
        }
    }

    struct demo_sides sides = {{su[0].office, su[1].office}, {su[0].commerce, su[1].commerce},
                               {su[0].coordinator, su[1].coordinator}};
    if ((rc = demo_projects(d, p, su, child_unit)) != SVC_OK ||
        (rc = demo_funds(d, p, su, year)) != SVC_OK ||
        (rc = demo_events(c, p, &sides)) != SVC_OK)
        return rc;

    /* Assignments and this year's work plan: an item per task. */
    struct plan_view plan;
    if ((rc = plan_get(c, p->plan_id, &plan)) != SVC_OK)
        return rc;
    int64_t wp;
    if ((rc = work_plan_open(c, p->id, year, &wp)) != SVC_OK)
        return rc;
    static const int due_days[] = {-20, 40, 5, 90, -3, 150, 3, 60, 25, 200, -40, 120};
    int64_t *items = arena_alloc(c->arena, (plan.n_tasks + 1) * sizeof *items);
    int64_t *owners = arena_alloc(c->arena, (plan.n_tasks + 1) * sizeof *owners);
    for (size_t t = 0; t < plan.n_tasks; t++) {
        const struct plan_task_view *task = &plan.tasks[t];
        int64_t lead[2] = {su[0].office, su[1].office};
        for (size_t k = 0; k < nk; k++)
            if (p->children[k].task == task->number)
                for (int s = 0; s < 2; s++)
                    if (child_unit[k][s])
                        lead[s] = child_unit[k][s];
        for (int s = 0; s < 2; s++) {
            int64_t support = task->number % 2 ? su[s].commerce : su[s].science;
            if ((rc = assignment_set(c, task->id, s, lead[s], &support, 1)) != SVC_OK)
                return rc;
        }
        /* The item's owner reports on it: the pairing's city where there is one, else a
         * department; sides take turns so both lead offices have reports to review. */
        int side = task->number % 3 == 2 ? 1 : 0;
        int64_t owner = lead[side] != su[side].office
                            ? lead[side]
                            : (task->number % 2 ? su[side].commerce : su[side].science);
        owners[t] = owner;
        struct work_item_input in = {
            .task_id = task->id,
            .title = arena_printf(c->arena, "%d年%s", year, task->title),
            .owner_unit_id = owner,
            .due = today_plus(c, due_days[t % (sizeof due_days / sizeof *due_days)]),
            .indicator = task->number % 2 ? "對接活動場次" : "簽約項目數",
            .target_value = task->number % 2 ? "2" : "3",
        };
        if ((rc = work_plan_item_add(c, wp, &in, &items[t])) != SVC_OK)
            return rc;
    }
    if (d->pairing_no == 1)
        d->first = (struct demo_first){.pairing = p->id, .su = {su[0], su[1]}, .owners = owners,
                                       .n_tasks = plan.n_tasks};
    if (d->pairing_no == 1) {
        d->first.tasks = arena_alloc(c->arena, (plan.n_tasks + 1) * sizeof *d->first.tasks);
        d->first.titles = arena_alloc(c->arena, (plan.n_tasks + 1) * sizeof *d->first.titles);
        for (size_t t = 0; t < plan.n_tasks; t++) {
            d->first.tasks[t] = plan.tasks[t].id;
            d->first.titles[t] = plan.tasks[t].title;
        }
    }
    if ((rc = work_plan_submit(c, wp, 0)) != SVC_OK)
        return rc;
    const struct user *saved = c->user;
    for (int s = 0; s < 2 && rc == SVC_OK; s++) {
        c->user = as_user(d, su[s].coordinator);
        rc = work_plan_approve(c, wp, s, 0, NULL);
    }
    c->user = saved;
    if (rc != SVC_OK)
        return rc;

    /* Reports in every state. */
    static const struct {
        const char *status;
        int percent;
        char review; /* a accept, r return, - pending, 0 no report */
    } plays[] = {{"on_track", 60, 'a'}, {"at_risk", 35, 'a'}, {"delayed", 15, 'a'},
                 {"on_track", 50, '-'}, {"at_risk", 40, 'r'}, {"done", 100, 'a'},
                 {NULL, 0, '0'},        {"on_track", 70, '-'}};
    const char *period = arena_strndup(c->arena, today_plus(c, 0), 7);
    for (size_t t = 0; t < plan.n_tasks; t++) {
        size_t k = t % (sizeof plays / sizeof *plays);
        if (plays[k].review == '0')
            continue;
        struct user_view *members;
        size_t nm;
        if (user_list(c, owners[t], &members, &nm) != SVC_OK || nm == 0)
            continue;
        int side = plan.tasks[t].number % 3 == 2 ? 1 : 0;
        struct report_figure fig = {.name = "參與企業數", .value = (int64_t)(3 + t % 7)};
        struct report_input in = {
            .work_item_id = items[t],
            .period = period,
            .status = plays[k].status,
            .percent = plays[k].percent,
            .narrative = arena_printf(c->arena, "%s：本月召開對接會%zu次，%s。", plan.tasks[t].title,
                                      1 + t % 3,
                                      strcmp(plays[k].status, "delayed") == 0
                                          ? "受項目審批影響，進度滯後，已協調加快辦理"
                                          : "按計劃推進"),
            .figures = &fig,
            .n_figures = 1,
        };
        int64_t rid;
        c->user = as_user(d, members[0].id);
        rc = report_submit(c, &in, &rid);
        if (rc == SVC_OK && plays[k].review != '-') {
            c->user = as_user(d, su[side].coordinator);
            rc = report_review(c, rid, plays[k].review == 'a',
                               plays[k].review == 'r' ? "請補充簽約項目清單和企業名單。" : NULL);
        }
        c->user = saved;
        if (rc != SVC_OK)
            return rc;
    }
    /* A 通报 of the year so far by the first side's lead office, published to both sides. */
    c->user = as_user(d, su[0].coordinator);
    int64_t circular = 0;
    rc = circular_create(c, p->id, 0, year, NULL, LANG_HANS, NULL, NULL, &circular);
    if (rc == SVC_OK)
        rc = circular_publish(c, circular, NULL);
    c->user = saved;
    return rc;
}

/* The clock at 10:00 China time of a day (the demo's past; clock_set_offset(saved) ends it). */
static void demo_at(int y, int m, int day)
{
    clock_set_offset(0);
    int64_t target = clock_days_from_civil(y, m, day) * 86400000 + 2 * 3600000;
    clock_set_offset(target - clock_now_ms());
}

/* Last year's work plan of the first pairing, reported quarterly through the year as it
 * happened (the clock moved back: some reports on time, some late, one returned once), and
 * its evaluation run through every step to the end; and this year's evaluation, open, with
 * one side's self-evaluation submitted and the other's saved as a draft. */
static int demo_evaluations(struct demo *d, int year)
{
    struct ctx *c = d->c;
    struct demo_first *f = &d->first;
    if (!f->pairing || !f->n_tasks)
        return SVC_OK;
    const struct user *saved_user = c->user;
    int64_t saved = clock_offset();
    int last = year - 1, rc;
    demo_at(last, 1, 10);
    int64_t wp = 0;
    int *sides = arena_alloc(c->arena, (f->n_tasks + 1) * sizeof *sides);
    int64_t *items = arena_alloc(c->arena, (f->n_tasks + 1) * sizeof *items);
    bool *done = arena_alloc(c->arena, (f->n_tasks + 1) * sizeof *done);
    bool quarterly;
    int due_day;
    rc = work_plan_open(c, f->pairing, last, &wp);
    if (rc == SVC_OK)
        rc = reporting_set(c, wp, "quarterly", 10, &quarterly, &due_day);
    for (size_t t = 0; rc == SVC_OK && t < f->n_tasks; t++) {
        if ((rc = perm_unit_scope(c, f->owners[t], NULL, &sides[t])) != SVC_OK)
            break;
        int month = 3 + (int)(t * 7 % 10);
        struct work_item_input in = {
            .task_id = f->tasks[t],
            .title = arena_printf(c->arena, "%d年%s", last, f->titles[t]),
            .owner_unit_id = f->owners[t],
            .due = arena_printf(c->arena, "%04d-%02d-28", last, month),
        };
        rc = work_plan_item_add(c, wp, &in, &items[t]);
    }
    if (rc == SVC_OK)
        rc = work_plan_submit(c, wp, 0);
    for (int s = 0; s < 2 && rc == SVC_OK; s++) {
        c->user = as_user(d, f->su[s].coordinator);
        rc = work_plan_approve(c, wp, s, 0, NULL);
    }
    c->user = saved_user;
    /* Each quarter: most report by the 10th of the next month, every fifth item late; an item
     * is done in the quarter of its due month, but every fourth, which slips. */
    for (int q = 1; q <= 4 && rc == SVC_OK; q++) {
        for (int late = 0; late < 2 && rc == SVC_OK; late++) {
            demo_at(q == 4 ? year : last, q == 4 ? 1 : q * 3 + 1, late ? 16 : 6);
            for (size_t t = 0; t < f->n_tasks && rc == SVC_OK; t++) {
                /* done ones report no more; every ninth never reports the last half */
                if (done[t] || (t % 5 == 3) != (late == 1) || (q >= 3 && t % 9 == 4))
                    continue;
                struct user_view *members;
                size_t nm;
                if (user_list(c, f->owners[t], &members, &nm) != SVC_OK || nm == 0)
                    continue;
                int month = 3 + (int)(t * 7 % 10);
                /* every seventh a quarter late */
                bool finish = q * 3 >= month + (t % 7 == 5 ? 3 : 0) && t % 4 != 1;
                struct report_input in = {
                    .work_item_id = items[t],
                    .period = arena_printf(c->arena, "%d-Q%d", last, q),
                    .status = finish ? "done" : t % 4 == 1 && q >= 3 ? "delayed" : "on_track",
                    .percent = finish ? 100 : q * 20,
                    .narrative = arena_printf(c->arena, "%s：第%d季度%s。", f->titles[t], q,
                                              finish ? "任务已完成，成果已归档" : "按计划推进"),
                };
                bool returned_once = t % 6 == 2 && q == 1;
                for (int round = 0; round <= (returned_once ? 1 : 0) && rc == SVC_OK; round++) {
                    int64_t rid;
                    c->user = as_user(d, members[0].id);
                    rc = report_submit(c, &in, &rid);
                    c->user = as_user(d, f->su[sides[t]].coordinator);
                    if (rc == SVC_OK)
                        rc = report_review(c, rid, round == 1 || !returned_once,
                                           round == 0 && returned_once
                                               ? "請補充對接企業名單。"
                                               : NULL);
                }
                c->user = saved_user;
                done[t] = finish;
            }
        }
    }
    /* The evaluation of last year, in January: both self-evaluations, both opinions (one
     * proposing another score), both leaderships' confirmations, the commendations. */
    demo_at(year, 1, 20);
    struct evaluation_indicator *ind;
    size_t n = evaluation_default_indicators(c, LANG_HANS, &ind);
    int *self = arena_alloc(c->arena, (n + 1) * sizeof *self);
    int *opinion = arena_alloc(c->arena, (n + 1) * sizeof *opinion);
    for (size_t k = 0; k < n; k++) {
        self[k] = ind[k].method == EM_HAND ? 80 + (int)(k * 7 % 15) : -1;
        opinion[k] = ind[k].method == EM_HAND && k % 2 ? self[k] - 5 : -1;
    }
    static const char *const self_texts[2] = {
        "一年来，我方按照实施方案确定的重点任务，建立了定期会商和联席会议制度，组织开展对接活动，"
        "推动一批合作项目签约落地。存在的不足：个别事项进度滞后，报送不够及时。",
        "我方坚持高位推动，召开高层会商，选派干部挂职交流，围绕重点产业开展招商对接。"
        "下一步将加强项目跟踪服务，推动已签约项目尽快开工。"};
    int64_t ev = 0;
    c->user = as_user(d, f->su[0].coordinator);
    if (rc == SVC_OK)
        rc = evaluation_create(c, f->pairing, last, LANG_HANS, &ev);
    if (rc == SVC_OK)
        rc = evaluation_open(c, ev);
    for (int s = 0; s < 2 && rc == SVC_OK; s++) {
        c->user = as_user(d, f->su[s].coordinator);
        struct evaluation_action a = {.action = "self", .side = s, .text = self_texts[s],
                                      .scores = self};
        rc = evaluation_step(c, ev, &a);
    }
    for (int s = 0; s < 2 && rc == SVC_OK; s++) {
        c->user = as_user(d, f->su[1 - s].coordinator);
        struct evaluation_action a = {
            .action = "opinion", .side = s, .scores = s ? NULL : opinion,
            .text = s ? "同意对方自评意见。" : "总体同意。对接活动参与企业数未达到计划要求，建议相应调整评分。"};
        rc = evaluation_step(c, ev, &a);
    }
    for (int s = 0; s < 2 && rc == SVC_OK; s++) {
        c->user = as_user(d, f->su[s].leader);
        struct evaluation_action a = {.action = "confirm", .side = s, .text = "同意。"};
        rc = evaluation_step(c, ev, &a);
    }
    for (int s = 0; s < 2 && rc == SVC_OK; s++) {
        c->user = as_user(d, f->su[s].coordinator);
        struct evaluation_action a = {
            .action = "summary", .side = s,
            .text = "全年对口合作工作总体完成年度计划，重点任务有序推进，合作项目和交流活动取得实效。"};
        rc = evaluation_step(c, ev, &a);
    }
    struct evaluation_view v;
    struct evaluation_scores sc;
    if (rc == SVC_OK && (rc = evaluation_get(c, ev, &v)) == SVC_OK &&
        (rc = evaluation_scores(c, &v, &sc)) == SVC_OK && sc.n_units > 0) {
        c->user = as_user(d, f->su[0].leader);
        int64_t best[2] = {sc.units[0].id, sc.n_units > 1 ? sc.units[1].id : sc.units[0].id};
        rc = evaluation_commend(c, ev, best, sc.n_units > 1 ? 2 : 1);
    }
    /* This year's, open: one side's self-evaluation submitted, the other's a draft. */
    clock_set_offset(saved);
    c->user = as_user(d, f->su[0].coordinator);
    if (rc == SVC_OK)
        rc = evaluation_create(c, f->pairing, year, LANG_HANS, &ev);
    if (rc == SVC_OK)
        rc = evaluation_open(c, ev);
    if (rc == SVC_OK) {
        struct evaluation_action a = {.action = "self", .side = 0, .text = self_texts[0],
                                      .scores = self};
        rc = evaluation_step(c, ev, &a);
    }
    if (rc == SVC_OK) {
        c->user = as_user(d, f->su[1].coordinator);
        struct evaluation_action a = {.action = "save", .side = 1,
                                      .text = "（草稿）我方今年对口合作工作……"};
        rc = evaluation_step(c, ev, &a);
    }
    c->user = saved_user;
    clock_set_offset(saved);
    return rc;
}

/* Two notices, written and published by the admin: one to the first pairing, one to all. */
static int demo_notices(struct demo *d, int64_t admin, int64_t pairing, int year)
{
    struct ctx *c = d->c;
    const struct notice_input notices[] = {
        {.pairing_id = pairing,
         .title = arena_printf(c->arena, "关于报送%d年度对口合作工作进展情况的通知", year),
         .body = arena_printf(
             c->arena,
             "各有关单位：\n\n"
             "为全面掌握%d年度对口合作工作进展，请各牵头单位对照年度工作计划，梳理各项工作事项"
             "的完成情况、存在问题和下一步安排，于12月10日前在系统中填报进展报告，并将年度工作"
             "总结报送省对口合作工作领导小组办公室。\n\n"
             "联系人：综合协调处，电话：024-12345678。\n\n"
             "省对口合作工作领导小组办公室",
             year)},
        {.pairing_id = 0,
         .title = arena_printf(c->arena, "关于做好%d年度对口合作工作考核评估准备的通知", year),
         .body = arena_printf(
             c->arena,
             "各对口合作双方牵头单位：\n\n"
             "根据对口合作工作安排，%d年度考核评估将于次年1月开展，重点评估年度工作计划完成"
             "情况、重点合作项目落地情况和机制建设情况。请各单位及时更新工作事项进展，确保"
             "数据真实、准确、完整。\n\n"
             "对口合作工作系统管理组",
             year)},
    };
    const struct user *saved = c->user;
    c->user = as_user(d, admin);
    int rc = SVC_OK;
    for (size_t i = 0; i < sizeof notices / sizeof *notices && rc == SVC_OK; i++) {
        int64_t id;
        rc = notice_create(c, &notices[i], &id);
        if (rc == SVC_OK)
            rc = notice_publish(c, id, NULL);
    }
    c->user = saved;
    return rc;
}

int demo_create(struct ctx *c, int year, struct demo_login **out, size_t *n)
{
    struct demo d = {.c = c};
    *out = NULL;
    *n = 0;
    if (c->user)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "demo data is made from the command line only");
    struct user_view *users;
    size_t nu;
    int rc = user_list(c, 0, &users, &nu);
    if (rc != SVC_OK)
        return rc;
    if (nu > 0)
        return svc_fail(c, SVC_CONFLICT, "err_conflict", NULL,
                        "the database has accounts already: demo data goes into a new database");
    struct pairing_view *tops;
    size_t nt;
    rc = pairing_tree(c, &tops, &nt);
    if (rc != SVC_OK)
        return rc;
    if (nt == 0)
        return svc_fail(c, SVC_CONFLICT, "err_conflict", NULL,
                        "import a plan first: there are no pairings");
    int64_t admin;
    if ((rc = add_user(&d, "admin", "admin", 0, "", &admin)) != SVC_OK)
        return rc;
    for (size_t i = 0; i < nt && rc == SVC_OK; i++)
        if (tops[i].plan_id)
            rc = demo_pairing(&d, &tops[i], year);
    if (rc == SVC_OK)
        rc = demo_evaluations(&d, year);
    if (rc == SVC_OK)
        rc = demo_notices(&d, admin, tops[0].id, year);
    *out = d.logins;
    *n = d.n_logins;
    return rc;
}
