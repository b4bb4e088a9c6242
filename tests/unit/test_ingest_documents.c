/* test_ingest_documents: plans read from a .docx (ingest/docx.c) and cleaned from a PDF's text
 * (ingest/pdf.c). Word's list numbering is recomputed — formats, level texts, restarts,
 * overrides, styles —; runs, tabs, breaks and tables are read, footnotes and deleted text are
 * not; each line keeps its paragraph. A PDF's page numbers and running titles are dropped, its
 * wraps and page breaks rejoined, its spaces beside Chinese removed. Packages are built by
 * libzip in the test; the CLI test builds real documents with Word's layout, LibreOffice and
 * cairo. */
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
#include "core/text.h"
#include "ingest/gazetteer.h"
#include "ingest/ingest.h"

#define NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

static struct arena arena;

static int setup(void **state)
{
    (void)state;
    arena_init(&arena);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(&arena);
    return 0;
}

/* A .docx of document.xml (body content) and numbering.xml / styles.xml (root content, or
 * NULL), in the arena. */
static char *docx(const char *body, const char *numbering, const char *styles, size_t *out_len)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *dst = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_source_keep(dst);
    zip_t *z = zip_open_from_source(dst, ZIP_TRUNCATE, &err);
    const char *names[] = {"word/document.xml", "word/numbering.xml", "word/styles.xml"};
    const char *parts[] = {
        arena_printf(&arena, "<w:document " NS "><w:body>%s</w:body></w:document>", body),
        numbering ? arena_printf(&arena, "<w:numbering " NS ">%s</w:numbering>", numbering) : NULL,
        styles ? arena_printf(&arena, "<w:styles " NS ">%s</w:styles>", styles) : NULL};
    for (int i = 0; i < 3; i++) {
        if (!parts[i])
            continue;
        zip_source_t *s = zip_source_buffer(z, parts[i], strlen(parts[i]), 0);
        assert_true(zip_file_add(z, names[i], s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(dst), 0);
    zip_source_seek(dst, 0, SEEK_END);
    zip_int64_t len = zip_source_tell(dst);
    zip_source_seek(dst, 0, SEEK_SET);
    char *buf = arena_alloc(&arena, (size_t)len);
    assert_int_equal(zip_source_read(dst, buf, (zip_uint64_t)len), len);
    zip_source_close(dst);
    zip_source_free(dst);
    zip_error_fini(&err);
    *out_len = (size_t)len;
    return buf;
}

static const char *read_docx(const char *body, const char *numbering, const char *styles,
                             struct ingest_doc_text *t)
{
    size_t len;
    char *buf = docx(body, numbering, styles, &len);
    assert_true(ingest_docx_text(&arena, buf, len, t));
    return t->text;
}

static const char *p(int num_id, int ilvl, const char *text)
{
    if (num_id < 0)
        return arena_printf(&arena, "<w:p><w:r><w:t>%s</w:t></w:r></w:p>", text);
    return arena_printf(&arena,
                        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"%d\"/><w:numId w:val=\"%d\"/>"
                        "</w:numPr></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>",
                        ilvl, num_id, text);
}

static const char *lvl(int ilvl, const char *fmt, const char *text, int start, const char *extra)
{
    return arena_printf(&arena,
                        "<w:lvl w:ilvl=\"%d\"><w:start w:val=\"%d\"/><w:numFmt w:val=\"%s\"/>"
                        "<w:lvlText w:val=\"%s\"/>%s</w:lvl>",
                        ilvl, start, fmt, text, extra);
}

static void numbering_recomputed(void **state)
{
    (void)state;
    const char *numbering = arena_printf(
        &arena,
        "<w:abstractNum w:abstractNumId=\"0\">%s%s</w:abstractNum>"
        "<w:abstractNum w:abstractNumId=\"1\">%s</w:abstractNum>"
        "<w:abstractNum w:abstractNumId=\"2\">%s%s</w:abstractNum>"
        "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
        "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>"
        "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"1\"/>"
        "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"9\"/></w:lvlOverride></w:num>"
        "<w:num w:numId=\"4\"><w:abstractNumId w:val=\"2\"/></w:num>",
        lvl(0, "chineseCounting", "%1、", 1, ""), lvl(1, "chineseCounting", "（%2）", 1, ""),
        lvl(0, "decimal", "%1.", 1, ""), lvl(0, "ideographTraditional", "%1、", 1, ""),
        lvl(1, "decimal", "%1.%2", 1, "<w:lvlRestart w:val=\"0\"/><w:isLgl/>"));
    const char *body = arena_printf(
        &arena, "%s%s%s%s%s%s%s%s%s%s%s%s%s", p(1, 0, "指导思想"), p(1, 1, "原则甲"),
        p(1, 1, "原则乙"), p(1, 0, "合作重点"), p(1, 1, "深化改革"), p(2, 0, "任务一。"),
        p(2, 0, "任务二。"), p(1, 1, "产业合作"), p(2, 0, "任务三。"), p(3, 0, "另起。"),
        p(4, 0, "甲项"), p(4, 1, "细目"), p(4, 0, "乙项"));
    body = arena_printf(&arena, "%s%s", body, p(4, 1, "细目续"));
    struct ingest_doc_text t;
    assert_string_equal(read_docx(body, numbering, NULL, &t),
                        "一、指导思想\n（一）原则甲\n（二）原则乙\n二、合作重点\n（一）深化改革\n"
                        "1.任务一。\n2.任务二。\n（二）产业合作\n3.任务三。\n9.另起。\n"
                        "甲、甲项\n1.1 细目\n乙、乙项\n2.2 细目续\n");
    assert_int_equal(t.n_lines, 14);
    assert_int_equal(t.place[0], 1);
    assert_int_equal(t.place[13], 14);
}

static void chinese_counting(void **state)
{
    (void)state;
    const char *numbering = arena_printf(
        &arena,
        "<w:abstractNum w:abstractNumId=\"0\">%s</w:abstractNum>"
        "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
        "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"0\"/>"
        "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"99\"/></w:lvlOverride></w:num>",
        lvl(0, "chineseCountingThousand", "%1、", 9, ""));
    const char *body = arena_printf(&arena, "%s%s%s%s%s", p(1, 0, "a"), p(1, 0, "b"),
                                    p(1, 0, "c"), p(2, 0, "d"), p(2, 0, "e"));
    struct ingest_doc_text t;
    assert_string_equal(read_docx(body, numbering, NULL, &t),
                        "九、a\n十、b\n十一、c\n九十九、d\n一百、e\n");
}

static void styles_runs_tables(void **state)
{
    (void)state;
    const char *numbering = arena_printf(
        &arena,
        "<w:abstractNum w:abstractNumId=\"0\">%s%s</w:abstractNum>"
        "<w:num w:numId=\"5\"><w:abstractNumId w:val=\"0\"/></w:num>",
        lvl(0, "decimal", "%1.", 1, ""), lvl(1, "bullet", "\xEF\x82\xB7", 1, ""));
    const char *styles =
        "<w:style w:type=\"paragraph\" w:styleId=\"Task\"><w:pPr><w:numPr>"
        "<w:numId w:val=\"5\"/></w:numPr></w:pPr></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"Task2\"><w:basedOn w:val=\"Task\"/></w:style>";
    const char *body =
        "<w:p><w:pPr><w:pStyle w:val=\"Task2\"/></w:pPr><w:r><w:t>加强</w:t></w:r>"
        "<w:r><w:t xml:space=\"preserve\">合作。</w:t><w:footnoteReference w:id=\"1\"/></w:r>"
        "<w:del><w:r><w:delText>删去</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>插入</w:t></w:r></w:ins><w:r><w:instrText>PAGE</w:instrText></w:r>"
        "</w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"Task\"/><w:numPr><w:numId w:val=\"0\"/></w:numPr></w:pPr>"
        "<w:r><w:t>不编号</w:t><w:tab/><w:t>制表</w:t><w:br/><w:t>换行</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"5\"/></w:numPr></w:pPr>"
        "<w:r><w:t>要点</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>城市</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>盘锦市</w:t></w:r></w:p><w:p><w:r><w:t>无锡市</w:t></w:r></w:p>"
        "</w:tc></w:tr></w:tbl>"
        "<w:p><w:pPr><w:pStyle w:val=\"Task\"/></w:pPr><w:r><w:t>再一条。</w:t></w:r></w:p>";
    struct ingest_doc_text t;
    assert_string_equal(read_docx(body, numbering, styles, &t),
                        "1.加强合作。插入\n不编号\t制表\n换行\n要点\n城市\t盘锦市 无锡市\n"
                        "2.再一条。\n");
    int places[] = {1, 2, 2, 3, 4, 7};
    assert_int_equal(t.n_lines, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(t.place[i], places[i]);
}

static void docx_refused(void **state)
{
    (void)state;
    size_t len;
    struct ingest_doc_text t;
    char *buf = docx("<w:p/><w:p><w:r><w:t xml:space=\"preserve\">  </w:t></w:r></w:p>", NULL,
                     NULL, &len);
    assert_false(ingest_docx_text(&arena, buf, len, &t));
    assert_string_equal(t.error_code, "no_text");
    assert_false(ingest_docx_text(&arena, "PK\3\4 not really", 16, &t));
    assert_string_equal(t.error_code, "not_zip");
    /* through ingest_parse: told by content, the error kept */
    struct ingest_result r;
    ingest_parse(&arena, buf, len, &r);
    assert_false(r.ok);
    assert_string_equal(r.format, "docx");
    assert_string_equal(r.error, "the document has no text");
    ingest_parse(&arena, "%PDF-1.4\n%%EOF\n", 15, &r);
    assert_false(r.ok);
    assert_string_equal(r.format, "pdf");
    assert_string_equal(r.error_code, "bad_pdf");
}

static const char *clean(const char *const *pages, size_t n, struct ingest_doc_text *t)
{
    ingest_pdf_clean(&arena, pages, n, t);
    return t->text;
}

/* Lines of 20 Chinese characters are full; shorter ones end a paragraph. */
#define FULL1 "一二三四五六七八九十一二三四五六七八九十"
static void pdf_cleaned(void **state)
{
    (void)state;
    const char *pages[] = {
        "对口合作文件汇编\n"
        "辽宁省与江苏省对口合作实施方案\n"
        "一、主要目标\n"
        "到 2020 年,建成 50 家企业参与一二三四五六\n"
        "合作共赢。\n"
        "1.\n"
        "加强合作。一二三四五六七八九十一二三四五\n"
        "— 1 —\n",
        "对口合作文件汇编\n" FULL1 "\n"
        "跨页的段落完。\n"
        "(一)深化改革\n"
        "一二三四五六七八九十一二三四五六七八九。\n"
        "第 2 页\n",
        "对口合作文件汇编 \n"
        "二、保障措施\n"
        "Page 3 of 3\n",
    };
    struct ingest_doc_text t;
    assert_string_equal(clean(pages, 3, &t),
                        "辽宁省与江苏省对口合作实施方案\n"
                        "一、主要目标\n"
                        "到2020年,建成50家企业参与一二三四五六合作共赢。\n"
                        "1.加强合作。一二三四五六七八九十一二三四五" FULL1 "跨页的段落完。\n"
                        "(一)深化改革\n一二三四五六七八九十一二三四五六七八九。\n"
                        "二、保障措施\n");
    int places[] = {1, 1, 1, 1, 2, 2, 3};
    assert_int_equal(t.n_lines, 7);
    for (int i = 0; i < 7; i++)
        assert_int_equal(t.place[i], places[i]);
    /* A title after a full line that ends a sentence starts its own line. */
    const char *one[] = {"前言" FULL1 "。\n"
                         "上海市与大连市对口合作实施方案\n"
                         "为深入实施" FULL1 "\n"};
    assert_string_equal(clean(one, 1, &t),
                        "前言" FULL1 "。\n上海市与大连市对口合作实施方案\n为深入实施" FULL1 "\n");
    /* Seven digits and a point: the marker test read one past its 8-code-point copy. An
     * amount, not an item marker: the line is not joined to the next. */
    const char *amount[] = {"1234567.89元\n投资\n"};
    assert_string_equal(clean(amount, 1, &t), "1234567.89元\n投资\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(numbering_recomputed, setup, teardown),
        cmocka_unit_test_setup_teardown(chinese_counting, setup, teardown),
        cmocka_unit_test_setup_teardown(styles_runs_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(docx_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(pdf_cleaned, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    gazetteer_shutdown();
    text_shutdown();
    return rc;
}
