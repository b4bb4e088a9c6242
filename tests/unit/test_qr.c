/* test_qr: QR codes as SVG (core/qr.c) — the size follows the QR version the text needs, the
 * dark modules are one path inside the quiet zone with the finder patterns where the standard
 * puts them, different texts draw different paths, and what cannot be encoded is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/qr.h"
#include "core/sb.h"

/* The SVG of text (caller frees), failing the test unless qr_svg draws it. */
static char *svg_of(const char *text)
{
    struct sb b = SB_INIT;
    if (!qr_svg(&b, text))
        fail_msg("qr_svg refused \"%s\"", text);
    return sb_steal(&b);
}

/* The d attribute of the svg's one path (caller frees). */
static char *path_of(const char *svg)
{
    const char *d = strstr(svg, " d=\"");
    assert_non_null(d);
    d += 4;
    const char *end = strchr(d, '"');
    assert_non_null(end);
    assert_null(strstr(end, "<path")); /* one path only */
    char *out = malloc((size_t)(end - d) + 1);
    memcpy(out, d, (size_t)(end - d));
    out[end - d] = '\0';
    return out;
}

static bool dark(const char *path, int x, int y)
{
    char m[32];
    snprintf(m, sizeof m, "M%d %dh", x, y);
    /* each module starts with 'M': look for it at the start or after the previous 'z' */
    size_t n = strlen(m);
    for (const char *p = path; (p = strstr(p, m)); p += n)
        if (p == path || p[-1] == 'z')
            return true;
    return false;
}

static void test_size_by_version(void **state)
{
    (void)state;
    /* 11 bytes fit version 1 at level M (14 bytes): 21 modules + 2 × 4 quiet = 29 */
    char *s = svg_of("HELLO WORLD");
    assert_non_null(strstr(s, "viewBox=\"0 0 29 29\""));
    assert_non_null(strstr(s, "width=\"116\" height=\"116\""));
    free(s);
    /* 26 bytes: version 2 (25 modules) holds exactly 26 at M */
    s = svg_of("/events/1/checkin?number=1");
    assert_non_null(strstr(s, "viewBox=\"0 0 33 33\""));
    free(s);
    /* 27 bytes no longer fit version 2: version 3, 29 modules */
    s = svg_of("/events/1/checkin?number=12");
    assert_non_null(strstr(s, "viewBox=\"0 0 37 37\""));
    free(s);
}

static void test_finder_patterns(void **state)
{
    (void)state;
    char *s = svg_of("HELLO WORLD");
    char *d = path_of(s);
    /* the top-left finder: its outer ring dark, the ring inside it light, its centre dark,
     * all shifted by the quiet zone; nothing is drawn in the quiet zone itself */
    assert_true(dark(d, 4, 4));
    assert_true(dark(d, 10, 4));
    assert_false(dark(d, 5, 5));
    assert_true(dark(d, 7, 7));
    assert_false(dark(d, 3, 4));
    assert_false(dark(d, 4, 3));
    /* the top-right and bottom-left finders (21 modules: columns and rows 14–20) */
    assert_true(dark(d, 24, 4));
    assert_true(dark(d, 4, 24));
    free(d);
    free(s);
}

static void test_different_texts(void **state)
{
    (void)state;
    char *a = svg_of("/events/7/checkin?number=1");
    char *b = svg_of("/events/7/checkin?number=2");
    char *a2 = svg_of("/events/7/checkin?number=1");
    char *da = path_of(a), *db = path_of(b), *da2 = path_of(a2);
    assert_string_not_equal(da, db);
    assert_string_equal(da, da2); /* the same text, the same drawing */
    /* UTF-8 is encoded as bytes: a Chinese text draws too */
    char *c = svg_of("辽宁行·沈阳");
    assert_non_null(strstr(c, "<path fill=\"#000000\" d=\"M"));
    free(c);
    free(da);
    free(db);
    free(da2);
    free(a);
    free(b);
    free(a2);
}

static void test_refused(void **state)
{
    (void)state;
    struct sb b = SB_INIT;
    assert_false(qr_svg(&b, ""));
    assert_false(qr_svg(&b, NULL));
    char big[QR_TEXT_MAX + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_false(qr_svg(&b, big));
    assert_int_equal(b.len, 0);
    sb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_by_version),
        cmocka_unit_test(test_finder_patterns),
        cmocka_unit_test(test_different_texts),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
