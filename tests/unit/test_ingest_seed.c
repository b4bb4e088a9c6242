/* Golden test on the seed text: every area, task number and title, pairing, target and
 * safeguard of both plans, as read by a person from data/plans/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "ingest/gazetteer.h"
#include "ingest/ingest.h"

static struct arena arena;
static struct ingest_result seed;

static int setup(void **state)
{
    arena_init(&arena);
    const char *src = getenv("DUIKOU_SOURCE_DIR");
    char *path = arena_printf(&arena, "%s/data/plans/liaoning-jiangsu-shanghai-dalian.txt",
                              src ? src : "..");
    ingest_parse_file(&arena, path, &seed);
    return seed.ok ? 0 : -1;
}

static int teardown(void **state)
{
    arena_free(&arena);
    gazetteer_shutdown();
    text_shutdown();
    return 0;
}

struct area_exp {
    const char *marker, *title;
    int first, last;
};

static const char *lj_tasks[] = {
    "深化行政管理體制改革", "推動國有企業改革", "加快發展民營經濟", "搭建經貿合作平臺",
    "深化智庫合作", "發展現代服務業", "大力發展物聯網、新一代信息技術等新興產業",
    "加快發展裝備制造業等優勢產業", "發展節能環保產業", "促進港口聯動發展",
    "發展文化旅游產業", "發展醫藥健康產業", "加強農業產品推廣和產業化合作", "推動軍民融合發展",
    "加強科技研發與轉化", "推動創業創新合作", "促進高等院校交流", "開展干部互派",
    "加強高端人才合作", "開展對口培訓", "共享人力資源", "探索合作產業園區共建",
    "深化城市建設管理交流合作", "搭建多層次合作平臺"};

static const struct area_exp lj_areas[] = {
    {"(一)", "深化改革擴大開放", 1, 5},  {"(二)", "開展產業務實合作", 6, 14},
    {"(三)", "提升創業創新水平", 15, 16}, {"(四)", "推動人才交流", 17, 21},
    {"(五)", "推進平臺載體建設", 22, 24}};

static const char *sd_tasks[] = {
    "行政管理體制改革", "國有企業改革", "民營經濟發展", "社會治理機制創新", "對內對外開放",
    "發展理念共享", "國際航運中心和物流中心建設", "國際貿易中心建設", "金融中心建設",
    "公共服務體系建設", "裝備制造業產需對接", "新興產業合作", "旅游產業合作",
    "現代農業合作對接", "科技研發與轉化合作", "“雙創”合作", "智庫平臺建設合作",
    "自由貿易試驗區", "國家級新區", "自主創新示范區", "重點產業園區", "區(市)縣合作",
    "“軟平臺”合作", "輻射帶動遼寧沿海經濟帶城市", "干部掛職交流", "干部人才培訓",
    "人力資源共享"};

static const struct area_exp sd_areas[] = {
    {"(一)", "推進體制機制創新", 1, 6},         {"(二)", "加快城市功能提升", 7, 10},
    {"(三)", "開展產業務實合作", 11, 14},       {"(四)", "促進創新創業合作", 15, 17},
    {"(五)", "推動重點區域與平臺合作", 18, 24}, {"(六)", "加強干部人才交流培訓", 25, 27}};

static void check_plan(const struct plan_doc *d, const char *title, const char *a,
                       const char *b, const char **tasks, size_t n_tasks,
                       const struct area_exp *areas, size_t n_areas)
{
    assert_string_equal(d->title, title);
    assert_string_equal(d->pairing[0], a);
    assert_string_equal(d->pairing[1], b);
    assert_int_equal(d->target_year, 2020);
    assert_int_equal(d->n_tasks, n_tasks);
    for (size_t i = 0; i < n_tasks; i++) {
        assert_int_equal(d->tasks[i].number, (int)i + 1);
        assert_string_equal(d->tasks[i].title, tasks[i]);
        assert_non_null(strstr(d->tasks[i].body, tasks[i]));
    }
    assert_int_equal(d->n_areas, n_areas);
    for (size_t i = 0; i < n_areas; i++) {
        assert_string_equal(d->areas[i].marker, areas[i].marker);
        assert_string_equal(d->areas[i].title, areas[i].title);
        for (int t = areas[i].first; t <= areas[i].last; t++)
            assert_int_equal(d->tasks[t - 1].area, (int)i);
    }
    assert_non_null(d->goals);
    assert_non_null(strstr(d->goals, "到2020年"));
    assert_non_null(d->ideology);
    assert_int_equal(strlen(d->sha256), 64);
    for (size_t i = 0; i < d->n_warnings; i++)
        assert_int_not_equal(d->warnings[i].severity, SEV_ERROR);
}

static void test_two_plans(void **state)
{
    assert_true(seed.ok);
    assert_string_equal(seed.encoding, "utf-8");
    assert_int_equal(seed.n_plans, 2);
    assert_false(ingest_has_errors(&seed));
}

static void test_liaoning_jiangsu(void **state)
{
    const struct plan_doc *d = &seed.plans[0];
    check_plan(d, "遼寧省與江蘇省對口合作實施方案", "遼寧省", "江蘇省", lj_tasks,
               sizeof lj_tasks / sizeof *lj_tasks, lj_areas, sizeof lj_areas / sizeof *lj_areas);
    assert_string_equal(d->pairing_code[0], "210000");
    assert_string_equal(d->pairing_code[1], "320000");
    assert_int_equal(d->line, 31);
    assert_int_equal(d->end_line, 77);
    assert_int_equal(d->n_principles, 3);
    assert_string_equal(d->principles[0].title, "政府引導,市場運作");
    assert_string_equal(d->principles[2].title, "合作共贏,突出特色");
    const char *sg[] = {"建立協調機制", "形成工作合力", "制定年度工作計劃", "引導社會參與"};
    assert_int_equal(d->n_safeguards, 4);
    for (int i = 0; i < 4; i++)
        assert_string_equal(d->safeguards[i].title, sg[i]);
    /* Hard-wrapped task 20 is one paragraph. */
    assert_non_null(strstr(d->tasks[19].body, "有關專題,組織遼寧有關部門"));
    assert_non_null(strstr(d->tasks[22].body, "蘇州市城市規劃建設管理的做法"));
}

static void test_shanghai_dalian(void **state)
{
    const struct plan_doc *d = &seed.plans[1];
    check_plan(d, "上海市與大連市對口合作實施方案", "上海市", "大連市", sd_tasks,
               sizeof sd_tasks / sizeof *sd_tasks, sd_areas, sizeof sd_areas / sizeof *sd_areas);
    assert_string_equal(d->pairing_code[0], "310000");
    assert_string_equal(d->pairing_code[1], "210200");
    assert_int_equal(d->line, 90);
    assert_int_equal(d->end_line, 140);
    assert_int_equal(d->n_principles, 4);
    assert_string_equal(d->principles[0].marker, "——");
    assert_string_equal(d->principles[0].title, "政府引導、市場運作");
    const char *sg[] = {"建立對口合作工作機制", "加大政策支持力度", "加強宣傳動員",
                        "加強督促檢查和考核評估"};
    assert_int_equal(d->n_safeguards, 4);
    for (int i = 0; i < 4; i++)
        assert_string_equal(d->safeguards[i].title, sg[i]);
    /* The promotional footer is not part of the plan. */
    assert_null(strstr(d->safeguards[3].body, "距離不是問題"));
    assert_null(strstr(d->text, "距離不是問題"));
}

struct pairing_exp {
    int task;
    const char *kind, *a, *b, *a_code, *b_code, *theme;
};

static void check_pairings(const struct plan_doc *d, const struct pairing_exp *e, size_t n)
{
    for (size_t i = 0; i < d->n_pairings && i < n; i++) {
        const struct plan_pairing *p = &d->pairings[i];
        assert_int_equal(p->task, e[i].task);
        assert_string_equal(p->kind, e[i].kind);
        assert_string_equal(p->a, e[i].a);
        assert_string_equal(p->b, e[i].b);
        /* a_code NULL: any known region; b_code NULL: none, "": any known region */
        if (e[i].a_code)
            assert_string_equal(p->a_code, e[i].a_code);
        else
            assert_non_null(p->a_code);
        if (!e[i].b_code)
            assert_null(p->b_code);
        else if (*e[i].b_code)
            assert_string_equal(p->b_code, e[i].b_code);
        else
            assert_non_null(p->b_code);
        assert_string_equal(p->theme, e[i].theme);
    }
    assert_int_equal(d->n_pairings, n);
}

static void test_pairings_liaoning_jiangsu(void **state)
{
    static const struct pairing_exp e[] = {
        {6, "city", "鞍山市", "江蘇省有關城市", "210300", NULL, "服務業合作樣板"},
        {7, "city", "盤錦市", "無錫市", "211100", "320200", "“互聯網+”產業合作標桿"},
        {8, "city", "遼陽市", "南通市", "211000", "320600", "裝備制造業合作標桿"},
        {11, "city", "丹東市", "揚州市", "210600", "321000", "旅游合作標桿"},
        {12, "city", "本溪市", "泰州市", "210500", "321200", "醫藥健康產業合作標桿"},
        {13, "city", "鐵嶺市", "淮安市", "211200", "320800", "農業合作"},
        {15, "city", "撫順市", "徐州市", "210400", "320300", "科技研發與轉化合作標桿"},
        {16, "city", "葫蘆島市", "常州市", "211400", "320400", "“雙創”合作標桿"},
        {22, "zone", "沈大國家自主創新示范區", "蘇南國家自主創新示范區", NULL, "", "建立合作機制"},
        {22, "zone", "沈撫新區", "蘇州工業園區", NULL, "", "基礎設施建設、招商引資、產業集聚和企業創新"},
        {23, "city", "錦州市", "蘇州市", "210700", "320500", "城市建設管理"},
    };
    check_pairings(&seed.plans[0], e, sizeof e / sizeof *e);
}

static void test_pairings_shanghai_dalian(void **state)
{
    static const struct pairing_exp e[] = {
        {18, "zone", "中國(上海)自由貿易試驗區", "中國(遼寧)自由貿易試驗區大連片區", NULL, "",
         "交流合作"},
        {19, "zone", "上海浦東新區", "大連金普新區", "310115", "", "全面對接合作"},
        {20, "zone", "上海張江高新區", "大連高新區", NULL, "", "創建國家自主創新示范區"},
    };
    check_pairings(&seed.plans[1], e, sizeof e / sizeof *e);
}

static const struct plan_target *find_target(const struct plan_doc *d, int task, const char *text)
{
    for (size_t i = 0; i < d->n_targets; i++)
        if (d->targets[i].task == task && strcmp(d->targets[i].text, text) == 0)
            return &d->targets[i];
    fail_msg("no target \"%s\" in task %d", text, task);
    return NULL;
}

static void test_targets(void **state)
{
    const struct plan_doc *d = &seed.plans[0];
    const struct plan_target *t = find_target(d, 4, "不少于50家企業");
    assert_true(t->has_min);
    assert_int_equal(t->min, 50);
    assert_false(t->has_max);
    assert_string_equal(t->unit, "家");
    assert_string_equal(t->object, "企業");
    t = find_target(d, 4, "每年選擇1 —2個重點產業");
    assert_int_equal(t->min, 1);
    assert_int_equal(t->max, 2);
    assert_string_equal(t->per, "年");
    assert_string_equal(t->unit, "個");
    t = find_target(d, 4, "蘇南5市");
    assert_int_equal(t->min, 5);
    assert_int_equal(t->max, 5);
    assert_string_equal(t->unit, "市");
    t = find_target(d, 0, "到2020年");
    assert_int_equal(t->year, 2020);
    /* The years inside 《…(2016—2020 年)》 are a document's name, not a target. */
    for (size_t i = 0; i < d->n_targets; i++)
        assert_int_not_equal(d->targets[i].task, 17);
    assert_int_equal(d->n_targets, 4);
    t = find_target(&seed.plans[1], 0, "到2020年");
    assert_int_equal(t->year, 2020);
    assert_int_equal(seed.plans[1].n_targets, 1);
}

static int count_code(const struct plan_doc *d, const char *code, int *first_line)
{
    int n = 0;
    for (size_t i = 0; i < d->n_warnings; i++)
        if (strcmp(d->warnings[i].code, code) == 0) {
            if (!n && first_line)
                *first_line = d->warnings[i].line;
            n++;
        }
    return n;
}

static void test_damage_warnings(void **state)
{
    int line = 0;
    /* 改革?;W互鑒 (task 1), 經濟??偨Y (3), 標桿??偨Y (7), 沿?;蜓亟 (10) */
    assert_int_equal(count_code(&seed.plans[0], "damaged_text", &line), 4);
    assert_int_equal(line, 43);
    assert_true(seed.plans[0].tasks[0].damaged);
    assert_true(seed.plans[0].tasks[2].damaged);
    assert_false(seed.plans[0].tasks[1].damaged);
    /* 上??萍紕撔 (15) */
    assert_int_equal(count_code(&seed.plans[1], "damaged_text", &line), 1);
    assert_int_equal(line, 121);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_plans),
        cmocka_unit_test(test_liaoning_jiangsu),
        cmocka_unit_test(test_shanghai_dalian),
        cmocka_unit_test(test_pairings_liaoning_jiangsu),
        cmocka_unit_test(test_pairings_shanghai_dalian),
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_damage_warnings),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
