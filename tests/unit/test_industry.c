/* Tests for service/industry: the GB/T 4754-2017 sections and divisions from the embedded
 * CSV — counts, structure, lookup by code, and matching in both scripts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/mem.h"
#include "core/text.h"
#include "service/industry.h"

static bool is_letter(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] == '\0';
}

static bool is_two_digits(const char *s)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '\0';
}

/* 20 sections A–T, 97 divisions 01–97, each division after its own section. */
static void test_counts_and_order(void **state)
{
    (void)state;
    size_t n = industry_count(), sections = 0, divisions = 0;
    assert_int_equal(n, 20 + 97);
    const char *current = NULL; /* the section of the rows being read */
    for (size_t i = 0; i < n; i++) {
        const struct industry *ind = industry_at(i);
        assert_non_null(ind);
        assert_non_null(ind->name);
        assert_true(strlen(ind->name) > 0);
        assert_true(is_letter(ind->section));
        if (is_letter(ind->code)) {
            assert_int_equal(ind->code[0], 'A' + (int)sections);
            assert_string_equal(ind->code, ind->section);
            current = ind->section;
            sections++;
        } else {
            assert_true(is_two_digits(ind->code));
            divisions++;
            int num = (ind->code[0] - '0') * 10 + (ind->code[1] - '0');
            assert_int_equal(num, (int)divisions);
            assert_non_null(current);
            assert_string_equal(ind->section, current);
        }
        assert_null(strchr(ind->name, ','));
    }
    assert_int_equal(sections, 20);
    assert_int_equal(divisions, 97);
    assert_null(industry_at(n));
}

/* Every code is found again, at its own row, and every division's section exists. */
static void test_codes_unique_and_found(void **state)
{
    (void)state;
    size_t n = industry_count();
    for (size_t i = 0; i < n; i++) {
        const struct industry *ind = industry_at(i);
        assert_ptr_equal(industry_find(ind->code), ind);
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(industry_at(j)->code, ind->code);
        const struct industry *sec = industry_find(ind->section);
        assert_non_null(sec);
        assert_string_equal(sec->code, ind->section);
    }
}

static void test_find(void **state)
{
    (void)state;
    const struct industry *ind = industry_find("39");
    assert_non_null(ind);
    assert_string_equal(ind->name, "计算机、通信和其他电子设备制造业");
    assert_string_equal(ind->section, "C");
    assert_string_equal(industry_find("C")->name, "制造业");
    assert_string_equal(industry_find("A")->name, "农、林、牧、渔业");
    assert_string_equal(industry_find("01")->name, "农业");
    assert_string_equal(industry_find("01")->section, "A");
    assert_string_equal(industry_find("I")->name, "信息传输、软件和信息技术服务业");
    assert_string_equal(industry_find("65")->name, "软件和信息技术服务业");
    assert_string_equal(industry_find("65")->section, "I");
    assert_string_equal(industry_find("97")->section, "T");

    assert_null(industry_find("98"));
    assert_null(industry_find("00"));
    assert_null(industry_find("Z"));
    assert_null(industry_find("U"));
    assert_null(industry_find(""));
    assert_null(industry_find(NULL));
    assert_null(industry_find("c"));   /* exact: codes are capitals */
    assert_null(industry_find("1"));   /* divisions have two digits */
    assert_null(industry_find("390"));
    assert_null(industry_find("C39"));
}

/* The codes of the rows that match what a user typed, keyed as the callers key it. */
static size_t search(struct arena *a, const char *typed, const char **codes, size_t max)
{
    const char *key = text_key(a, typed);
    size_t k = 0;
    for (size_t i = 0; i < industry_count(); i++) {
        const struct industry *ind = industry_at(i);
        if (industry_matches(a, ind, key) && k < max)
            codes[k++] = ind->code;
    }
    return k;
}

static bool has(const char **codes, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(codes[i], code) == 0)
            return true;
    return false;
}

static void test_matches(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    const char *codes[128];

    /* Traditional 製造 finds the same rows as Simplified 制造: section C and its 15
     * "…制造业" divisions, and nothing outside section C. */
    size_t simp = search(&a, "制造", codes, 128);
    assert_int_equal(simp, 16);
    assert_true(has(codes, simp, "C"));
    assert_true(has(codes, simp, "39"));
    assert_true(has(codes, simp, "14"));
    assert_false(has(codes, simp, "33")); /* 金属制品业: no 制造 */
    for (size_t i = 0; i < simp; i++)
        assert_string_equal(industry_find(codes[i])->section, "C");
    const char *trad_codes[128];
    size_t trad = search(&a, "製造", trad_codes, 128);
    assert_int_equal(trad, simp);
    for (size_t i = 0; i < trad; i++)
        assert_string_equal(trad_codes[i], codes[i]);

    /* 軟體 is Taiwan's word, not a Traditional spelling of 软件: t2s by character
     * does not turn it into 软件. 軟件 does. */
    assert_int_equal(search(&a, "軟體", codes, 128), 0);
    size_t n = search(&a, "軟件", codes, 128);
    assert_int_equal(n, 2);
    assert_true(has(codes, n, "I"));
    assert_true(has(codes, n, "65"));

    /* a code: "65" is division 65 only; a lower-case letter finds the section */
    n = search(&a, "65", codes, 128);
    assert_int_equal(n, 1);
    assert_string_equal(codes[0], "65");
    n = search(&a, "６５", codes, 128); /* full-width digits fold */
    assert_int_equal(n, 1);
    assert_string_equal(codes[0], "65");
    n = search(&a, "i", codes, 128);
    assert_int_equal(n, 1);
    assert_string_equal(codes[0], "I");

    /* nothing, and everything */
    assert_int_equal(search(&a, "火星采矿", codes, 128), 0);
    assert_int_equal(search(&a, "", codes, 128), industry_count());
    assert_true(industry_matches(&a, industry_find("01"), NULL));
    arena_free(&a);
}

static int teardown(void **state)
{
    (void)state;
    text_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_order),
        cmocka_unit_test(test_codes_unique_and_found),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_matches),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
