/* Tests for ingest/gazetteer: the region table built from the embedded CSVs, name lookup in
 * both scripts, and chain matching at the start of running text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "core/embedded.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/utf8.h"
#include "ingest/gazetteer.h"

static const struct gazetteer *G;

/* Keys s as the ingester does and matches at its start; returns the code of the region
 * found ("" for none) and the code points consumed in *used. */
static const char *prefix(const char *s, size_t *used)
{
    static char code[16];
    struct arena a;
    arena_init(&a);
    const char *key = text_key(&a, s);
    size_t n = 0;
    uint32_t *cps = utf8_to_cps(&a, key, strlen(key), &n);
    const struct region *r = (const struct region *)1;
    size_t k = region_match_prefix(G, cps, n, &r);
    arena_free(&a);
    if (used)
        *used = k;
    if (k == 0) {
        assert_null(r);
        return "";
    }
    assert_non_null(r);
    snprintf(code, sizeof code, "%s", r->code);
    return code;
}

static const char *find(const char *s, bool *ambiguous)
{
    const struct region *r = region_find(G, s, ambiguous);
    return r ? r->code : NULL;
}

static const char *zone_code(const char *name)
{
    const struct region *r = region_find(G, name, NULL);
    assert_non_null(r);
    assert_int_equal(r->level, REGION_ZONE);
    return r->code;
}

/* Data rows of an embedded CSV file (lines after the header that are not blank). */
static size_t csv_rows(const char *file)
{
    const struct embedded_file *f = embedded_find(file);
    assert_non_null(f);
    size_t rows = 0;
    const char *p = (const char *)f->data;
    bool header = true;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > 0 && !(len == 1 && p[0] == '\r')) {
            if (!header)
                rows++;
            header = false;
        }
        p += len + (eol ? 1 : 0);
    }
    return rows;
}

static void test_counts(void **state)
{
    (void)state;
    size_t per[4] = {0};
    for (size_t i = 0; i < gazetteer_count(G); i++)
        per[gazetteer_at(G, i)->level]++;
    assert_int_equal(per[REGION_PROVINCE], 34);
    assert_int_equal(per[REGION_PROVINCE], csv_rows("province.csv"));
    assert_int_equal(per[REGION_CITY], csv_rows("city.csv"));
    assert_int_equal(per[REGION_DISTRICT], csv_rows("area.csv"));
    assert_int_equal(per[REGION_ZONE], csv_rows("zones.csv"));
    assert_true(per[REGION_CITY] > 300 && per[REGION_DISTRICT] > 2800);
    assert_null(gazetteer_at(G, gazetteer_count(G)));
}

/* Sorted by code, parents first, every province pointer right, codes found again. */
static void test_structure(void **state)
{
    (void)state;
    size_t n = gazetteer_count(G);
    for (size_t i = 0; i < n; i++) {
        const struct region *r = gazetteer_at(G, i);
        assert_non_null(r->code);
        assert_non_null(r->name);
        assert_non_null(r->short_name);
        assert_ptr_equal(region_by_code(G, r->code), r);
        if (i > 0)
            assert_true(strcmp(gazetteer_at(G, i - 1)->code, r->code) < 0);
        if (r->level == REGION_PROVINCE) {
            assert_null(r->parent);
            assert_ptr_equal(r->province, r);
            continue;
        }
        assert_non_null(r->parent);
        assert_true(strcmp(r->parent->code, r->code) < 0); /* parent listed earlier */
        assert_true(r->parent->level < r->level || r->level == REGION_ZONE);
        assert_ptr_equal(r->province, r->parent->province);
        assert_int_equal(r->province->level, REGION_PROVINCE);
        assert_true(region_within(r, r->province));
        if (r->level != REGION_ZONE)
            assert_memory_equal(r->code, r->province->code, 2);
        else
            assert_non_null(region_kind(r));
    }
    assert_null(region_by_code(G, "999999"));
    assert_null(region_by_code(G, ""));
    assert_null(region_by_code(G, NULL));
    assert_string_equal(region_level_name(REGION_PROVINCE), "province");
    assert_string_equal(region_level_name(REGION_CITY), "city");
    assert_string_equal(region_level_name(REGION_DISTRICT), "district");
    assert_string_equal(region_level_name(REGION_ZONE), "zone");
    assert_null(region_kind(region_by_code(G, "210200")));
}

static void test_parents(void **state)
{
    (void)state;
    /* Municipality districts hang under the province-level row. */
    assert_string_equal(region_by_code(G, "110105")->parent->code, "110000");
    assert_string_equal(region_by_code(G, "310115")->parent->code, "310000");
    assert_string_equal(region_by_code(G, "500229")->parent->code, "500000");
    /* Ordinary districts under their city. */
    assert_string_equal(region_by_code(G, "210213")->parent->code, "210200");
    /* County-level cities governed by the province: under the province, not the placeholder. */
    assert_string_equal(region_by_code(G, "429004")->parent->code, "420000");
    assert_string_equal(region_by_code(G, "469021")->parent->code, "460000");
    /* Zones. */
    const struct region *jinpu = region_by_code(G, zone_code("金普新区"));
    assert_string_equal(jinpu->parent->code, "210200");
    assert_string_equal(region_kind(jinpu), "new_area");
    assert_string_equal(jinpu->short_name, "金普新区");
    assert_string_equal(jinpu->province->code, "210000");
}

static void test_short_names(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"210000", "辽宁"},   {"110000", "北京"},     {"450000", "广西"},   {"150000", "内蒙古"},
        {"640000", "宁夏"},   {"650000", "新疆"},     {"540000", "西藏"},   {"810000", "香港"},
        {"820000", "澳门"},   {"710000", "台湾"},     {"211100", "盘锦"},   {"222400", "延边"},
        {"632800", "海西"},   {"652700", "博尔塔拉"}, {"232700", "大兴安岭"}, {"152500", "锡林郭勒"},
        {"310115", "浦东"},   {"110105", "朝阳"},     {"500240", "石柱"},   {"469025", "白沙"},
        {"150782", "牙克石"}, {"211321", "朝阳"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        const struct region *r = region_by_code(G, pairs[i][0]);
        assert_non_null(r);
        assert_string_equal(r->short_name, pairs[i][1]);
    }
    assert_string_equal(region_by_code(G, "110000")->name, "北京市");
}

static void test_find_names(void **state)
{
    (void)state;
    static const char *const panjin[] = {"盤錦", "盤錦市", "遼寧省盤錦市", "盘锦市", "盘锦",
                                         "辽宁盘锦", "辽宁省 盘锦市", "  盘锦市 "};
    for (size_t i = 0; i < sizeof panjin / sizeof *panjin; i++) {
        bool amb = true;
        assert_string_equal(find(panjin[i], &amb), "211100");
        assert_false(amb);
    }
    static const char *const liaoning[] = {"遼寧", "辽宁", "辽宁省", "遼寧省"};
    for (size_t i = 0; i < sizeof liaoning / sizeof *liaoning; i++)
        assert_string_equal(find(liaoning[i], NULL), "210000");
    assert_string_equal(find("北京市朝阳区", NULL), "110105");
    assert_string_equal(find("北京朝阳", NULL), "110105");
    assert_string_equal(find("朝阳", NULL), "211300");
    assert_string_equal(find("上海", NULL), "310000");
    assert_string_equal(find("浦东新区", NULL), "310115");
    assert_string_equal(find("浦东", NULL), "310115"); /* a short name alone, in a name field */
    assert_string_equal(find("广西壮族自治区", NULL), "450000");
    assert_string_equal(find("廣西", NULL), "450000");
    assert_string_equal(find("海城市", NULL), "210381");
    assert_string_equal(find("大连", NULL), "210200");
    assert_string_equal(find("遼寧省大連市", NULL), "210200");
}

static void test_find_ambiguous(void **state)
{
    (void)state;
    bool amb = false;
    const struct region *r = region_find(G, "鼓楼区", &amb);
    assert_non_null(r);
    assert_true(amb);
    assert_string_equal(r->code, "320106"); /* the lowest code of its level */
    amb = true;
    assert_string_equal(find("南京市鼓楼区", &amb), "320106");
    assert_false(amb);
    amb = true;
    assert_string_equal(find("福州鼓楼区", &amb), "350102");
    assert_false(amb);
    amb = false;
    assert_non_null(find("鼓楼", &amb));
    assert_true(amb);
    /* A city beats districts of the same name without being ambiguous. */
    amb = true;
    assert_string_equal(find("朝阳", &amb), "211300");
    assert_false(amb);
    amb = true;
    assert_string_equal(find("朝阳区", &amb), "110105");
    assert_true(amb); /* 北京 and 长春 both have one */
}

static void test_find_unknown(void **state)
{
    (void)state;
    bool amb = true;
    assert_null(region_find(G, "", &amb));
    assert_false(amb);
    assert_null(region_find(G, "   ", NULL));
    assert_null(region_find(G, NULL, NULL));
    assert_null(region_find(NULL, "辽宁", NULL));
    assert_null(find("火星", NULL));
    assert_null(find("辽宁省火星市", NULL)); /* must consume the whole name */
    assert_null(find("辽宁省有关城市", NULL));
    assert_null(find("高新区", NULL));  /* context-only */
    assert_null(find("城区", NULL));    /* generic word: context-only even here */
    assert_null(find("盘", NULL));
    assert_null(find("abc", NULL));
    assert_null(find("\xff\xfe", NULL));
}

/* Every region is found by its own full name, or by a same-level namesake when ambiguous. */
static void test_find_every_name(void **state)
{
    (void)state;
    size_t missed = 0;
    for (size_t i = 0; i < gazetteer_count(G); i++) {
        const struct region *r = gazetteer_at(G, i);
        if (strchr(r->name, '-'))
            continue; /* 省直辖县级行政区划 placeholders are not names */
        bool amb = false;
        const struct region *f = region_find(G, r->name, &amb);
        if (f == r)
            continue;
        if (f && amb && f->level == r->level && strcmp(f->name, r->name) == 0)
            continue;
        if (f && f->level < r->level) /* a name shared with a higher level, alone */
            continue;
        /* Generic names (城区, 市中区) are found only after their parent. */
        char with_parent[256];
        snprintf(with_parent, sizeof with_parent, "%s%s", r->parent ? r->parent->name : "",
                 r->name);
        if (region_find(G, with_parent, NULL) == r)
            continue;
        print_error("not found by its name: %s %s\n", r->code, r->name);
        missed++;
    }
    assert_int_equal(missed, 0);
}

static void test_prefix_chains(void **state)
{
    (void)state;
    size_t used = 0;
    assert_string_equal(prefix("辽宁省盘锦市", &used), "211100");
    assert_int_equal(used, 6);
    assert_string_equal(prefix("盘锦", &used), "211100");
    assert_int_equal(used, 2);
    assert_string_equal(prefix("盘锦与无锡结对", &used), "211100");
    assert_int_equal(used, 2);
    assert_string_equal(prefix("大连金普新区", &used), zone_code("金普新区"));
    assert_int_equal(used, 6);
    assert_string_equal(prefix("大连市金普新区建设", &used), zone_code("金普新区"));
    assert_int_equal(used, 7);
    assert_string_equal(prefix("上海浦东新区", &used), "310115");
    assert_int_equal(used, 6);
    assert_string_equal(prefix("上海张江高新区", &used), zone_code("上海张江高新技术产业开发区"));
    assert_int_equal(used, 7);
    assert_string_equal(prefix("大连高新区", &used), zone_code("大连高新技术产业园区"));
    assert_int_equal(used, 5);
    assert_string_equal(prefix("大连市高新区", &used), zone_code("大连高新区"));
    assert_int_equal(used, 6);
    assert_string_equal(prefix("江苏省有关城市", &used), "320000");
    assert_int_equal(used, 3);
    assert_string_equal(prefix("遼寧省沈撫新區", &used), zone_code("沈抚新区"));
    assert_int_equal(used, 7);
    assert_string_equal(prefix("中國(遼寧)自由貿易試驗區大連片區", &used), zone_code("大连片区"));
    assert_int_equal(used, 17);
    assert_string_equal(prefix("中國（遼寧）自由貿易試驗區大連片區與", &used),
                        zone_code("大连片区"));
    assert_int_equal(used, 17);
    assert_string_equal(prefix("苏州工业园区与", &used), zone_code("苏州工业园区"));
    assert_int_equal(used, 6);
    assert_string_equal(prefix("沈大国家自主创新示范区", &used), zone_code("沈大国家自主创新示范区"));
    assert_int_equal(used, 11);
    assert_string_equal(prefix("朝阳", &used), "211300");
    assert_string_equal(prefix("北京市朝阳区", &used), "110105");
    assert_int_equal(used, 6);
    assert_string_equal(prefix("北京朝阳", &used), "110105");
    assert_string_equal(prefix("辽宁省朝阳市", &used), "211300");
    assert_string_equal(prefix("上海自贸区", &used), zone_code("中国(上海)自由贸易试验区"));
    assert_int_equal(used, 5);
    assert_string_equal(prefix("辽宁省自贸试验区", &used), zone_code("中国(辽宁)自由贸易试验区"));
    assert_string_equal(prefix("中德（沈阳）高端装备制造产业园", &used),
                        zone_code("中德(沈阳)高端装备制造产业园"));
    /* A chain stops at a region outside the context. */
    assert_string_equal(prefix("辽宁省江苏省", &used), "210000");
    assert_int_equal(used, 3);
    assert_string_equal(prefix("大连上海", &used), "210200");
    assert_int_equal(used, 2);
}

/* County names that are ordinary words do not fire in running text. */
static void test_prefix_words(void **state)
{
    (void)state;
    size_t used = 9;
    static const char *const words[] = {"合作共赢", "振兴发展", "资源配置", "通道", "港口物流",
                                        "海城市", "城区", "高新区", "自贸试验区", "有关城市",
                                        "来宾", "互助", "平和", "和平", ""};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        assert_string_equal(prefix(words[i], &used), "");
        assert_int_equal(used, 0);
    }
    assert_string_equal(prefix("辽宁振兴", &used), "210000"); /* 振兴区 is in 丹东, not 辽宁 */
    assert_int_equal(used, 2);
    assert_string_equal(prefix("大连金州", &used), "210213");
    assert_string_equal(prefix("鞍山海城市", &used), "210381");
    assert_string_equal(prefix("广西来宾", &used), "451300");
    assert_int_equal(region_match_prefix(G, NULL, 0, NULL), 0);
}

static void test_within(void **state)
{
    (void)state;
    const struct region *area = region_find(G, "大连片区", NULL);
    const struct region *dalian = region_by_code(G, "210200");
    const struct region *liaoning = region_by_code(G, "210000");
    assert_non_null(area);
    assert_true(region_within(area, dalian));
    assert_true(region_within(dalian, liaoning));
    assert_true(region_within(area, liaoning));
    assert_true(region_within(liaoning, liaoning));
    assert_false(region_within(liaoning, dalian));
    assert_false(region_within(area, region_by_code(G, "310000")));
    assert_false(region_within(area, NULL));
    assert_false(region_within(NULL, liaoning));
    const struct region *zj = region_find(G, "张江高新区", NULL);
    assert_true(region_within(zj, region_by_code(G, "310115")));
    assert_true(region_within(zj, region_by_code(G, "310000")));
    assert_true(region_within(region_find(G, "苏州工业园区", NULL), region_find(G, "江苏", NULL)));
}

static void *get_in_thread(void *arg)
{
    (void)arg;
    return (void *)gazetteer_get();
}

/* Shut down and rebuilt, concurrently: every thread sees the same, complete instance. */
static void test_rebuild(void **state)
{
    (void)state;
    size_t n = gazetteer_count(G);
    gazetteer_shutdown();
    gazetteer_shutdown(); /* twice is harmless */
    pthread_t t[4];
    void *got[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, get_in_thread, NULL), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_join(t[i], &got[i]), 0);
    G = gazetteer_get();
    for (int i = 0; i < 4; i++)
        assert_ptr_equal(got[i], G);
    assert_int_equal(gazetteer_count(G), n);
    assert_string_equal(find("盤錦", NULL), "211100");
}

static int setup(void **state)
{
    (void)state;
    G = gazetteer_get();
    return G ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gazetteer_shutdown();
    text_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),         cmocka_unit_test(test_structure),
        cmocka_unit_test(test_parents),        cmocka_unit_test(test_short_names),
        cmocka_unit_test(test_find_names),     cmocka_unit_test(test_find_ambiguous),
        cmocka_unit_test(test_find_unknown),   cmocka_unit_test(test_find_every_name),
        cmocka_unit_test(test_prefix_chains),  cmocka_unit_test(test_prefix_words),
        cmocka_unit_test(test_within),         cmocka_unit_test(test_rebuild),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
