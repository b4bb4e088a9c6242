/* The same plans written differently must read the same: Simplified script, CRLF line ends,
 * full-width markers, GB18030 and UTF-16 bytes, a BOM, and hard-wrapped lines. Variants are
 * made here from the seed, so the test needs no extra files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/sb.h"
#include "core/text.h"
#include "core/utf8.h"
#include "ingest/gazetteer.h"
#include "ingest/ingest.h"

static struct arena arena;
static char *seed;
static size_t seed_len;
static struct ingest_result ref;

static int setup(void **state)
{
    arena_init(&arena);
    const char *src = getenv("DUIKOU_SOURCE_DIR");
    char *path = arena_printf(&arena, "%s/data/plans/liaoning-jiangsu-shanghai-dalian.txt",
                              src ? src : "..");
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    seed = arena_alloc(&arena, 1 << 20);
    seed_len = fread(seed, 1, (1 << 20) - 1, f);
    fclose(f);
    ingest_parse(&arena, seed, seed_len, &ref);
    return ref.ok && ref.n_plans == 2 ? 0 : -1;
}

static int teardown(void **state)
{
    arena_free(&arena);
    gazetteer_shutdown();
    text_shutdown();
    return 0;
}

/* The matching key of s with all white space removed: wrapping may turn a line end into a
 * paragraph break, which is not a difference of content. */
static const char *squash(const char *s)
{
    if (!s)
        return "";
    const char *k = text_key(&arena, s);
    char *out = arena_alloc(&arena, strlen(k) + 1), *o = out;
    for (; *k; k++)
        if (*k != ' ')
            *o++ = *k;
    *o = '\0';
    return out;
}

static void same_structure(const struct ingest_result *r)
{
    assert_true(r->ok);
    assert_false(ingest_has_errors(r));
    assert_int_equal(r->n_plans, ref.n_plans);
    for (size_t p = 0; p < ref.n_plans; p++) {
        const struct plan_doc *a = &ref.plans[p], *b = &r->plans[p];
        assert_string_equal(squash(a->title), squash(b->title));
        assert_int_equal(a->target_year, b->target_year);
        assert_string_equal(a->pairing_code[0], b->pairing_code[0]);
        assert_string_equal(a->pairing_code[1], b->pairing_code[1]);
        assert_int_equal(a->n_areas, b->n_areas);
        for (size_t i = 0; i < a->n_areas; i++)
            assert_string_equal(squash(a->areas[i].title), squash(b->areas[i].title));
        assert_int_equal(a->n_tasks, b->n_tasks);
        for (size_t i = 0; i < a->n_tasks; i++) {
            assert_int_equal(a->tasks[i].number, b->tasks[i].number);
            assert_int_equal(a->tasks[i].area, b->tasks[i].area);
            assert_string_equal(squash(a->tasks[i].title), squash(b->tasks[i].title));
            assert_string_equal(squash(a->tasks[i].body), squash(b->tasks[i].body));
        }
        assert_int_equal(a->n_pairings, b->n_pairings);
        for (size_t i = 0; i < a->n_pairings; i++) {
            const struct plan_pairing *x = &a->pairings[i], *y = &b->pairings[i];
            assert_int_equal(x->task, y->task);
            assert_string_equal(x->kind, y->kind);
            assert_string_equal(squash(x->a), squash(y->a));
            assert_string_equal(squash(x->b), squash(y->b));
            assert_string_equal(squash(x->theme), squash(y->theme));
        }
        assert_int_equal(a->n_targets, b->n_targets);
        for (size_t i = 0; i < a->n_targets; i++) {
            assert_int_equal(a->targets[i].task, b->targets[i].task);
            assert_int_equal(a->targets[i].min, b->targets[i].min);
            assert_int_equal(a->targets[i].max, b->targets[i].max);
            assert_int_equal(a->targets[i].year, b->targets[i].year);
        }
        assert_int_equal(a->n_principles, b->n_principles);
        assert_int_equal(a->n_safeguards, b->n_safeguards);
        for (size_t i = 0; i < a->n_safeguards; i++)
            assert_string_equal(squash(a->safeguards[i].title), squash(b->safeguards[i].title));
        assert_string_equal(squash(a->goals), squash(b->goals));
    }
}

static void parse_check(const char *buf, size_t len, const char *encoding)
{
    struct ingest_result r;
    ingest_parse(&arena, buf, len, &r);
    if (encoding)
        assert_string_equal(r.encoding, encoding);
    same_structure(&r);
}

static char *simplified(void)
{
    return text_t2s(&arena, seed, seed_len, NULL);
}

static char *crlf(const char *s)
{
    struct sb b = SB_INIT;
    for (; *s; s++) {
        if (*s == '\n')
            sb_appendc(&b, '\r');
        sb_appendc(&b, *s);
    }
    char *out = arena_strdup(&arena, sb_str(&b));
    sb_free(&b);
    return out;
}

/* （一） for (一), and １．for 1. at the start of lines. */
static char *full_width(const char *s)
{
    struct sb b = SB_INIT;
    size_t len = strlen(s), i = 0;
    bool line_start = true;
    while (i < len) {
        uint32_t cp = utf8_decode(s, len, &i);
        if (cp == '(')
            cp = 0xFF08;
        else if (cp == ')')
            cp = 0xFF09;
        else if (line_start && cp >= '0' && cp <= '9') {
            /* digits and the dot after them */
            sb_append_cp(&b, cp - '0' + 0xFF10);
            while (i < len && s[i] >= '0' && s[i] <= '9')
                sb_append_cp(&b, (uint32_t)(s[i++] - '0') + 0xFF10);
            if (i < len && s[i] == '.') {
                sb_append_cp(&b, 0xFF0E);
                i++;
            }
            line_start = false;
            continue;
        }
        line_start = cp == '\n';
        sb_append_cp(&b, cp);
    }
    char *out = arena_strdup(&arena, sb_str(&b));
    sb_free(&b);
    return out;
}

/* Breaks every line longer than width code points, as a word processor's export does. */
static char *wrapped(const char *s, size_t width)
{
    struct sb b = SB_INIT;
    size_t len = strlen(s), i = 0, col = 0;
    while (i < len) {
        size_t at = i;
        uint32_t cp = utf8_decode(s, len, &i);
        if (cp == '\n') {
            col = 0;
        } else if (col == width) {
            sb_appendc(&b, '\n');
            col = 0;
        }
        if (cp != '\n')
            col++;
        sb_appendn(&b, s + at, i - at);
    }
    char *out = arena_strdup(&arena, sb_str(&b));
    sb_free(&b);
    return out;
}

static char *encode(const char *s, const char *to, size_t *out_len, const char *bom, size_t bom_len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t in_left = strlen(s), cap = in_left * 4 + 16, out_left = cap;
    char *out = arena_alloc(&arena, cap + bom_len), *o = out + bom_len;
    memcpy(out, bom, bom_len);
    char *in = (char *)s;
    assert_true(iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1);
    iconv_close(cd);
    *out_len = (size_t)(o - out);
    return out;
}

static void test_simplified(void **state)
{
    const char *s = simplified();
    parse_check(s, strlen(s), "utf-8");
    struct ingest_result r;
    ingest_parse(&arena, s, strlen(s), &r);
    /* Titles come out in the input's script. */
    assert_string_equal(r.plans[0].title, "辽宁省与江苏省对口合作实施方案");
    assert_string_equal(r.plans[0].tasks[6].title, "大力发展物联网、新一代信息技术等新兴产业");
    assert_string_equal(r.plans[0].pairings[1].a, "盘锦市");
}

static void test_crlf(void **state)
{
    const char *s = crlf(seed);
    parse_check(s, strlen(s), "utf-8");
}

static void test_full_width_markers(void **state)
{
    const char *s = full_width(seed);
    assert_non_null(strstr(s, "（一）深化改革擴大開放"));
    assert_non_null(strstr(s, "１．深化行政管理"));
    parse_check(s, strlen(s), NULL);
}

static void test_gb18030(void **state)
{
    size_t n;
    const char *s = encode(seed, "GB18030", &n, "", 0);
    parse_check(s, n, "gb18030");
    s = encode(simplified(), "GBK", &n, "", 0);
    parse_check(s, n, "gb18030");
}

static void test_utf16_and_bom(void **state)
{
    size_t n;
    const char *s = encode(seed, "UTF-16LE", &n, "\xFF\xFE", 2);
    parse_check(s, n, "utf-16le");
    s = encode(seed, "UTF-16BE", &n, "\xFE\xFF", 2);
    parse_check(s, n, "utf-16be");
    s = encode(seed, "UTF-8", &n, "\xEF\xBB\xBF", 3);
    parse_check(s, n, "utf-8-bom");
}

static void test_hard_wrapped(void **state)
{
    for (size_t width = 36; width <= 60; width += 8) {
        const char *s = wrapped(seed, width);
        parse_check(s, strlen(s), NULL);
    }
}

static void test_all_at_once(void **state)
{
    size_t n;
    const char *s = encode(crlf(wrapped(full_width(simplified()), 44)), "GB18030", &n, "", 0);
    parse_check(s, n, "gb18030");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simplified),  cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_full_width_markers), cmocka_unit_test(test_gb18030),
        cmocka_unit_test(test_utf16_and_bom), cmocka_unit_test(test_hard_wrapped),
        cmocka_unit_test(test_all_at_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
