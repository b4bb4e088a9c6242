/* test_money: amounts in 万元 (core/money.c) — what money_parse_wan() accepts and why it
 * refuses the rest, the two formats, and that every format reads back to the same yuan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/mem.h"
#include "core/money.h"

/* The yuan of s, failing the test unless it parses. */
static int64_t yuan_of(const char *s)
{
    int64_t y = -42;
    enum money_err e = money_parse_wan(s, &y);
    if (e != MONEY_OK)
        fail_msg("\"%s\" gave error %d", s, (int)e);
    return y;
}

/* The error for s, checking that *yuan is left alone on failure. */
static enum money_err err_of(const char *s)
{
    int64_t y = -42;
    enum money_err e = money_parse_wan(s, &y);
    if (e != MONEY_OK)
        assert_int_equal(y, -42);
    return e;
}

static void test_parse_plain(void **state)
{
    (void)state;
    assert_int_equal(yuan_of("0"), 0);
    assert_int_equal(yuan_of("1"), 10000);
    assert_int_equal(yuan_of("1.5"), 15000);
    assert_int_equal(yuan_of("0.0001"), 1);
    assert_int_equal(yuan_of("12345.6789"), 123456789);
    assert_int_equal(yuan_of("10000"), 100000000);
    assert_int_equal(yuan_of("3.14"), 31400);
    assert_int_equal(yuan_of("1.0000"), 10000); /* 4 decimals, zeros or not */
    assert_int_equal(yuan_of("007"), 70000);
    assert_int_equal(yuan_of("0.1"), 1000);
}

static void test_parse_thousands(void **state)
{
    (void)state;
    assert_int_equal(yuan_of("12,345.6"), 123456000);
    assert_int_equal(yuan_of("1,234,567"), INT64_C(12345670000));
    assert_int_equal(yuan_of("999,999.9999"), INT64_C(9999999999));
    assert_int_equal(err_of("1,23"), MONEY_NOT_NUMBER);
    assert_int_equal(err_of("1,2345"), MONEY_NOT_NUMBER);
    assert_int_equal(err_of("1234,567"), MONEY_NOT_NUMBER);
    assert_int_equal(err_of("12,34,567"), MONEY_NOT_NUMBER);
    assert_int_equal(err_of(",123"), MONEY_NOT_NUMBER);
    assert_int_equal(err_of("123,"), MONEY_NOT_NUMBER);
    assert_int_equal(err_of("1,,234"), MONEY_NOT_NUMBER);
    assert_int_equal(err_of("1,234.5,6"), MONEY_NOT_NUMBER);
    assert_int_equal(err_of("1.234,5"), MONEY_NOT_NUMBER);
}

static void test_parse_spaces_and_full_width(void **state)
{
    (void)state;
    assert_int_equal(yuan_of("  1.5 "), 15000);
    assert_int_equal(yuan_of("\t1.5\r\n"), 15000);
    assert_int_equal(yuan_of("\u30001.5\u3000"), 15000);
    assert_int_equal(yuan_of("１２３４５．６７８９"), 123456789);
    assert_int_equal(yuan_of("１２，３４５．６"), 123456000);
    assert_int_equal(yuan_of("\u3000１．５ "), 15000);
    assert_int_equal(err_of("1 000"), MONEY_NOT_NUMBER);
    assert_int_equal(err_of("1. 5"), MONEY_NOT_NUMBER);
    /* The ideographic full stop is punctuation, not a decimal point. */
    assert_int_equal(err_of("1。5"), MONEY_NOT_NUMBER);
}

static void test_parse_empty(void **state)
{
    (void)state;
    assert_int_equal(err_of(NULL), MONEY_EMPTY);
    assert_int_equal(err_of(""), MONEY_EMPTY);
    assert_int_equal(err_of("   "), MONEY_EMPTY);
    assert_int_equal(err_of("\u3000 \t"), MONEY_EMPTY);
}

static void test_parse_not_number(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "abc", "1e5", "1E5", "1.", ".5", "+1", "-", ".", ",", "1..5", "1.5.", "0x10",
        "1万", "¥1", "1 万元", "Infinity", "NaN", "1.5abc", "--1", "- 1", "1-", "\xFF",
        "1\xC2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (err_of(bad[i]) != MONEY_NOT_NUMBER)
            fail_msg("\"%s\" should not be a number", bad[i]);
    }
}

static void test_parse_negative(void **state)
{
    (void)state;
    assert_int_equal(err_of("-1"), MONEY_NEGATIVE);
    assert_int_equal(err_of("-0.5"), MONEY_NEGATIVE);
    assert_int_equal(err_of("-0"), MONEY_NEGATIVE);
    assert_int_equal(err_of(" -1,234.5 "), MONEY_NEGATIVE);
    assert_int_equal(err_of("－３"), MONEY_NEGATIVE); /* full-width minus */
    /* A malformed number is NOT_NUMBER first, whatever its sign. */
    assert_int_equal(err_of("-abc"), MONEY_NOT_NUMBER);
    assert_int_equal(err_of("-1,23"), MONEY_NOT_NUMBER);
}

static void test_parse_too_precise(void **state)
{
    (void)state;
    assert_int_equal(err_of("1.23456"), MONEY_TOO_PRECISE);
    assert_int_equal(err_of("0.00001"), MONEY_TOO_PRECISE);
    assert_int_equal(err_of("1.00000"), MONEY_TOO_PRECISE);
    assert_int_equal(err_of("1.50000000000000000000000000000000000000"), MONEY_TOO_PRECISE);
    assert_int_equal(err_of("1.2345x"), MONEY_NOT_NUMBER);
}

static void test_parse_too_large(void **state)
{
    (void)state;
    /* 10^11 万元 = 10^15 yuan is the largest amount accepted. */
    assert_int_equal(yuan_of("100000000000"), MONEY_MAX_YUAN);
    assert_int_equal(yuan_of("100,000,000,000.0000"), MONEY_MAX_YUAN);
    assert_int_equal(yuan_of("99999999999.9999"), MONEY_MAX_YUAN - 1);
    assert_int_equal(err_of("100000000000.0001"), MONEY_TOO_LARGE);
    assert_int_equal(err_of("100000000001"), MONEY_TOO_LARGE);
    assert_int_equal(err_of("9223372036854775807"), MONEY_TOO_LARGE);
    assert_int_equal(err_of("18446744073709551616"), MONEY_TOO_LARGE);

    /* A digit string of any length: no overflow (UBSan would stop the test), just too
     * large; leading zeros are no trouble; a stray letter at the end is still noticed. */
    size_t n = 100000;
    char *s = malloc(n + 3);
    assert_non_null(s);
    memset(s, '9', n);
    s[n] = '\0';
    assert_int_equal(err_of(s), MONEY_TOO_LARGE);
    memcpy(s + n, ".5", 3);
    assert_int_equal(err_of(s), MONEY_TOO_LARGE);
    s[n] = 'x';
    assert_int_equal(err_of(s), MONEY_NOT_NUMBER);
    memset(s, '0', n);
    memcpy(s + n - 1, "7.5", 4);
    assert_int_equal(yuan_of(s), 75000);
    free(s);
}

static void test_format(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    assert_string_equal(money_format_wan(&a, 0), "0");
    assert_string_equal(money_format_wan(&a, 1), "0.0001");
    assert_string_equal(money_format_wan(&a, 10), "0.001");
    assert_string_equal(money_format_wan(&a, 9999), "0.9999");
    assert_string_equal(money_format_wan(&a, 10000), "1");
    assert_string_equal(money_format_wan(&a, 15000), "1.5");
    assert_string_equal(money_format_wan(&a, 10500), "1.05");
    assert_string_equal(money_format_wan(&a, 10001), "1.0001");
    assert_string_equal(money_format_wan(&a, 100000000), "10000");
    assert_string_equal(money_format_wan(&a, 123456789), "12345.6789");
    assert_string_equal(money_format_wan(&a, MONEY_MAX_YUAN), "100000000000");
    assert_string_equal(money_format_wan(&a, -15000), "-1.5");
    assert_string_equal(money_format_wan(&a, -1), "-0.0001");
    assert_string_equal(money_format_wan(&a, INT64_MAX), "922337203685477.5807");
    assert_string_equal(money_format_wan(&a, INT64_MIN), "-922337203685477.5808");

    assert_string_equal(money_format_wan_grouped(&a, 0), "0");
    assert_string_equal(money_format_wan_grouped(&a, 1), "0.0001");
    assert_string_equal(money_format_wan_grouped(&a, 9990000), "999");
    assert_string_equal(money_format_wan_grouped(&a, 10000000), "1,000");
    assert_string_equal(money_format_wan_grouped(&a, 123456789), "12,345.6789");
    assert_string_equal(money_format_wan_grouped(&a, 1234567890000), "123,456,789");
    assert_string_equal(money_format_wan_grouped(&a, MONEY_MAX_YUAN), "100,000,000,000");
    assert_string_equal(money_format_wan_grouped(&a, -123456789), "-12,345.6789");
    assert_string_equal(money_format_wan_grouped(&a, INT64_MIN), "-922,337,203,685,477.5808");
    arena_free(&a);
}

static void test_round_trip(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    static const int64_t fixed[] = {
        0, 1, 9, 10, 99, 100, 1000, 9999, 10000, 10001, 15000, 99999, 100000, 1234567,
        123456789, 1000000000, INT64_C(123456789012), MONEY_MAX_YUAN - 1, MONEY_MAX_YUAN,
    };
    int64_t values[sizeof fixed / sizeof *fixed + 1000];
    size_t n = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        values[n++] = fixed[i];
    /* A spread over every magnitude, from a fixed seed so a failure repeats. */
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 1000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t v = (int64_t)(x % (uint64_t)(MONEY_MAX_YUAN + 1));
        for (int cut = i % 16; cut > 0; cut--)
            v /= 10;
        values[n++] = v;
    }
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(yuan_of(money_format_wan(&a, values[i])), values[i]);
        assert_int_equal(yuan_of(money_format_wan_grouped(&a, values[i])), values[i]);
    }
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_plain),
        cmocka_unit_test(test_parse_thousands),
        cmocka_unit_test(test_parse_spaces_and_full_width),
        cmocka_unit_test(test_parse_empty),
        cmocka_unit_test(test_parse_not_number),
        cmocka_unit_test(test_parse_negative),
        cmocka_unit_test(test_parse_too_precise),
        cmocka_unit_test(test_parse_too_large),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
