/* test_credit_code: 统一社会信用代码 (core/credit_code.c) — the GB 32100-2015 check character
 * against the standard's worked example and codes of real organisations, and the
 * normalisation of codes as people type them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/credit_code.h"

/* Codes of real organisations, each confirmed in a public source and not made with our own
 * function; between them the check character is a digit, a letter and X, and the body holds
 * letters. */
static const char *const real_codes[] = {
    "91350100M000100Y43", /* GB 32100-2015 worked example (its 91350100M000100Y4Z is wrong) */
    "914403001922038216", /* 华为技术有限公司 (Wikipedia, 華為 infobox) */
    "91330100716105852F", /* 阿里巴巴（中国）网络技术有限公司 (company registry record) */
    "9144030071526726XG", /* 腾讯科技（深圳）有限公司 */
    "91110000101623741K", /* 中国全聚德（集团）股份有限公司 */
};

static void test_real_codes_are_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof real_codes / sizeof *real_codes; i++) {
        assert_true(credit_code_valid(real_codes[i]));
        assert_int_equal(credit_code_check_char(real_codes[i]), real_codes[i][17]);
    }
}

static void test_standard_worked_example(void **state)
{
    (void)state;
    /* The standard's appendix: Σ Ci×Wi = 1640, 1640 mod 31 = 28, C18 = 31 - 28 = 3. */
    assert_int_equal(credit_code_check_char("91350100M000100Y4"), '3');
    assert_false(credit_code_valid("91350100M000100Y4Z"));
}

static void test_every_wrong_check_char_fails(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    for (size_t i = 0; i < sizeof real_codes / sizeof *real_codes; i++) {
        char code[19];
        memcpy(code, real_codes[i], sizeof code);
        int ok = 0;
        for (const char *c = alphabet; *c; c++) {
            code[17] = *c;
            ok += credit_code_valid(code);
        }
        assert_int_equal(ok, 1);
    }
}

static void test_check_value_31_is_zero(void **state)
{
    (void)state;
    /* A sum divisible by 31 gives 31 - 0 = 31, which the standard writes as 0. */
    assert_int_equal(credit_code_check_char("00000000000000000"), '0');
    assert_true(credit_code_valid("000000000000000000"));
    /* Value 30 (Y) is the largest check character: 1 at position 1 (weight 1). */
    assert_int_equal(credit_code_check_char("10000000000000000"), 'Y');
}

static void test_single_changes_are_caught(void **state)
{
    (void)state;
    /* One character changed in the body, or two neighbours swapped. */
    assert_false(credit_code_valid("914403001922038226"));
    assert_false(credit_code_valid("914403001922083216"));
    assert_false(credit_code_valid("91330100716105582F"));
}

static void test_valid_wants_canonical_form(void **state)
{
    (void)state;
    assert_false(credit_code_valid(NULL));
    assert_false(credit_code_valid(""));
    assert_false(credit_code_valid("91350100M000100Y4"));   /* 17 */
    assert_false(credit_code_valid("91350100M000100Y433")); /* 19 */
    assert_false(credit_code_valid("91350100m000100y43"));  /* lower case */
    assert_false(credit_code_valid(" 91350100M000100Y43"));
    /* Forbidden letters, even as the check character. */
    assert_false(credit_code_valid("91350100I000100Y43"));
    assert_false(credit_code_valid("91350100M000100Y4O"));
    assert_false(credit_code_valid("91350100M000100Y4Z"));
}

static void test_check_char_needs_17_of_the_alphabet(void **state)
{
    (void)state;
    assert_int_equal(credit_code_check_char(NULL), '\0');
    assert_int_equal(credit_code_check_char("9135010"), '\0');
    assert_int_equal(credit_code_check_char("91350100S000100Y4"), '\0');
    assert_int_equal(credit_code_check_char("91350100V000100Y4"), '\0');
    /* Characters after the 17th are ignored. */
    assert_int_equal(credit_code_check_char("91350100M000100Y4anything"), '3');
}

static void test_normalise(void **state)
{
    (void)state;
    char out[19];
    assert_true(credit_code_normalise("91350100M000100Y43", out));
    assert_string_equal(out, "91350100M000100Y43");
    assert_true(credit_code_normalise("  9144030071526726xg\t", out));
    assert_string_equal(out, "9144030071526726XG");
    /* Typed with a full-width IME, and with an ideographic space around it. */
    assert_true(credit_code_normalise("\u3000９１３３０１００７１６１０５８５２Ｆ\u3000", out));
    assert_string_equal(out, "91330100716105852F");
    assert_true(credit_code_normalise("９１４４０３００７１５２６７２６ｘｇ", out));
    assert_string_equal(out, "9144030071526726XG");
    assert_true(credit_code_valid(out));
    /* Normalising does not check: a wrong check character passes here, fails there. */
    assert_true(credit_code_normalise("91350100m000100y4a", out));
    assert_false(credit_code_valid(out));
    /* In place. */
    char buf[19];
    memcpy(buf, "91350100m000100y43", sizeof buf);
    assert_true(credit_code_normalise(buf, buf));
    assert_string_equal(buf, "91350100M000100Y43");
}

static void test_normalise_rejects(void **state)
{
    (void)state;
    char out[19] = "untouched";
    assert_false(credit_code_normalise(NULL, out));
    assert_string_equal(out, "");
    assert_false(credit_code_normalise("", out));
    assert_false(credit_code_normalise("   ", out));
    assert_false(credit_code_normalise("91350100M000100Y4", out));   /* 17 */
    assert_false(credit_code_normalise("91350100M000100Y431", out)); /* 19 */
    assert_false(credit_code_normalise("9135 0100M000100Y43", out)); /* space inside */
    assert_false(credit_code_normalise("91350100-M000100Y43", out));
    /* I, O, Z, S, V in either case and width. */
    assert_false(credit_code_normalise("91350100I000100Y43", out));
    assert_false(credit_code_normalise("91350100o000100Y43", out));
    assert_false(credit_code_normalise("91350100M000100Y4z", out));
    assert_false(credit_code_normalise("91350100Ｓ000100Y43", out));
    assert_false(credit_code_normalise("91350100ｖ000100Y43", out));
    /* Other scripts and broken UTF-8. */
    assert_false(credit_code_normalise("91350100М000100Y43", out)); /* Cyrillic М */
    assert_false(credit_code_normalise("91350100M000100Y4\xB3", out));
    assert_false(credit_code_normalise("代码91350100M000100Y43", out));
    /* Very long input stops at the 19th character, whatever follows. */
    char longer[4096];
    memset(longer, '9', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_false(credit_code_normalise(longer, out));
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_codes_are_valid),
        cmocka_unit_test(test_standard_worked_example),
        cmocka_unit_test(test_every_wrong_check_char_fails),
        cmocka_unit_test(test_check_value_31_is_zero),
        cmocka_unit_test(test_single_changes_are_caught),
        cmocka_unit_test(test_valid_wants_canonical_form),
        cmocka_unit_test(test_check_char_needs_17_of_the_alphabet),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_normalise_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
