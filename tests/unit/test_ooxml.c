/* test_ooxml: the OOXML package reader (core/ooxml.c) — a package's parts are read and parsed;
 * what is not a package is named for what it is (not a ZIP, the old binary format, a
 * password-protected file); a ZIP bomb is refused whether its sizes are honest or not; XML
 * with a DTD (external entities, billion laughs) is refused. Packages are built by libzip in
 * the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include <cmocka.h>

#include "core/mem.h"
#include "core/ooxml.h"

struct part {
    const char *name;
    const void *data;
    size_t len;
};

/* A ZIP of the parts, deflated, in a malloc'd buffer. */
static void *zip_of(const struct part *parts, size_t n, size_t *out_len)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *dst = zip_source_buffer_create(NULL, 0, 0, &err);
    assert_non_null(dst);
    zip_source_keep(dst);
    zip_t *z = zip_open_from_source(dst, ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, parts[i].data, parts[i].len, 0);
        assert_non_null(s);
        zip_int64_t idx = zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
    }
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(dst), 0);
    zip_source_seek(dst, 0, SEEK_END);
    zip_int64_t len = zip_source_tell(dst);
    zip_source_seek(dst, 0, SEEK_SET);
    void *buf = malloc((size_t)len);
    assert_int_equal(zip_source_read(dst, buf, (zip_uint64_t)len), len);
    zip_source_close(dst);
    zip_source_free(dst);
    zip_error_fini(&err);
    *out_len = (size_t)len;
    return buf;
}

static const char DOC[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:body><w:p><w:r><w:t xml:space=\"preserve\">加强规划衔接</w:t></w:r></w:p></w:body>"
    "</w:document>";

static void reads_parts_and_xml(void **state)
{
    (void)state;
    struct part parts[] = {{"word/document.xml", DOC, sizeof DOC - 1}};
    size_t len;
    void *zip = zip_of(parts, 1, &len);
    struct arena a;
    arena_init(&a);
    struct ooxml *z;
    assert_int_equal(ooxml_open(&a, zip, len, &z), OOXML_OK);
    assert_true(ooxml_has(z, "word/document.xml"));
    assert_false(ooxml_has(z, "xl/workbook.xml"));
    char *data;
    size_t n;
    assert_int_equal(ooxml_part(z, "word/document.xml", &data, &n), OOXML_OK);
    assert_int_equal(n, sizeof DOC - 1);
    assert_string_equal(data, DOC);
    assert_int_equal(ooxml_part(z, "xl/workbook.xml", &data, &n), OOXML_MISSING);
    xmlDocPtr doc;
    assert_int_equal(ooxml_xml(z, "word/document.xml", &doc), OOXML_OK);
    xmlNode *root = xmlDocGetRootElement(doc);
    assert_true(ooxml_is(root, "document")); /* the prefix is ignored */
    xmlNode *p = ooxml_child(ooxml_child(root, "body"), "p");
    assert_non_null(p);
    xmlNode *t = ooxml_child(ooxml_child(p, "r"), "t");
    assert_string_equal(ooxml_attr(&a, t, "space"), "preserve");
    assert_null(ooxml_attr(&a, t, "lang"));
    arena_free(&a);
    free(zip);
}

static void names_what_is_not_a_package(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ooxml *z;
    const char text[] = "一、总体要求\n（一）指导思想\n这不是一个压缩包，而是一段纯文本。\n";
    assert_int_equal(ooxml_open(&a, text, sizeof text - 1, &z), OOXML_NOT_ZIP);
    assert_int_equal(ooxml_open(&a, "PK", 2, &z), OOXML_NOT_ZIP);
    /* An OLE compound file: the old .xls, or an encrypted package (its directory names the
     * EncryptedPackage stream in UTF-16LE). */
    unsigned char ole[1024] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    assert_int_equal(ooxml_open(&a, ole, sizeof ole, &z), OOXML_LEGACY);
    const char *name = "EncryptedPackage";
    for (size_t i = 0; name[i]; i++)
        ole[600 + 2 * i] = (unsigned char)name[i];
    assert_int_equal(ooxml_open(&a, ole, sizeof ole, &z), OOXML_ENCRYPTED);
    assert_string_equal(ooxml_status_code(OOXML_ENCRYPTED), "encrypted");
    /* A ZIP cut short is damaged, not a package. */
    struct part parts[] = {{"word/document.xml", DOC, sizeof DOC - 1}};
    size_t len;
    unsigned char *zip = zip_of(parts, 1, &len);
    assert_int_equal(ooxml_open(&a, zip, len - 30, &z), OOXML_NOT_ZIP);
    free(zip);
    arena_free(&a);
}

static void refuses_a_zip_bomb(void **state)
{
    (void)state;
    /* 64 MiB of zeros deflate to about 64 KiB: a ratio of ~1000, refused by its declared
     * sizes before anything is inflated. */
    size_t big = 64u << 20;
    char *zeros = calloc(1, big);
    struct part parts[] = {{"xl/worksheets/sheet1.xml", zeros, big}};
    size_t len;
    void *zip = zip_of(parts, 1, &len);
    free(zeros);
    struct arena a;
    arena_init(&a);
    struct ooxml *z;
    assert_int_equal(ooxml_open(&a, zip, len, &z), OOXML_OK);
    char *data;
    size_t n;
    assert_int_equal(ooxml_part(z, "xl/worksheets/sheet1.xml", &data, &n), OOXML_TOO_LARGE);
    assert_null(data);
    assert_true(a.total < (1u << 20)); /* nothing was inflated */
    arena_free(&a);
    free(zip);
}

static void refuses_a_part_that_lies_about_its_size(void **state)
{
    (void)state;
    /* The central directory and local header say 16 bytes; the deflated stream holds 4 KiB. */
    char body[4096];
    memset(body, 'A', sizeof body);
    struct part parts[] = {{"word/document.xml", body, sizeof body}};
    size_t len;
    unsigned char *zip = zip_of(parts, 1, &len);
    /* Patch every uncompressed-size field that says 4096 to 16. */
    int patched = 0;
    for (size_t i = 0; i + 4 <= len; i++) {
        if ((zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4) &&
            i + 26 <= len) {
            zip[i + 22] = 16, zip[i + 23] = 0, zip[i + 24] = 0, zip[i + 25] = 0;
            patched++;
        }
        if ((zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) &&
            i + 28 <= len) {
            zip[i + 24] = 16, zip[i + 25] = 0, zip[i + 26] = 0, zip[i + 27] = 0;
            patched++;
        }
    }
    assert_int_equal(patched, 2);
    struct arena a;
    arena_init(&a);
    struct ooxml *z;
    enum ooxml_status rc = ooxml_open(&a, zip, len, &z);
    if (rc == OOXML_OK) {
        char *data;
        size_t n;
        rc = ooxml_part(z, "word/document.xml", &data, &n);
        assert_true(n <= 16);
    }
    assert_true(rc == OOXML_TOO_LARGE || rc == OOXML_NOT_ZIP);
    arena_free(&a);
    free(zip);
}

static void refuses_xml_with_a_dtd(void **state)
{
    (void)state;
    static const char XXE[] =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<r>&x;</r>";
    static const char LAUGHS[] =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
        "<lolz>&lol3;</lolz>";
    static const char BROKEN[] = "<w:document><w:body></w:document>";
    struct part parts[] = {{"a.xml", XXE, sizeof XXE - 1},
                           {"b.xml", LAUGHS, sizeof LAUGHS - 1},
                           {"c.xml", BROKEN, sizeof BROKEN - 1}};
    size_t len;
    void *zip = zip_of(parts, 3, &len);
    struct arena a;
    arena_init(&a);
    struct ooxml *z;
    assert_int_equal(ooxml_open(&a, zip, len, &z), OOXML_OK);
    xmlDocPtr doc;
    assert_int_equal(ooxml_xml(z, "a.xml", &doc), OOXML_BAD_XML);
    assert_int_equal(ooxml_xml(z, "b.xml", &doc), OOXML_BAD_XML);
    assert_int_equal(ooxml_xml(z, "c.xml", &doc), OOXML_BAD_XML);
    assert_null(doc);
    arena_free(&a);
    free(zip);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_parts_and_xml),
        cmocka_unit_test(names_what_is_not_a_package),
        cmocka_unit_test(refuses_a_zip_bomb),
        cmocka_unit_test(refuses_a_part_that_lies_about_its_size),
        cmocka_unit_test(refuses_xml_with_a_dtd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
