/* test_xlsx_read: the worksheet reader (core/xlsx_read.c) on workbooks written here by
 * libxlsxwriter (shared strings; inline strings in its constant-memory mode; numbers as text;
 * serial dates; a merged title row; a renamed sheet; formatted empty rows after the data), on
 * the same workbook saved again by LibreOffice (soffice --headless), and on a package made by
 * hand the way other producers write it (absolute relationship targets, rich-text runs with a
 * phonetic guide, rows and cells without references, the 1904 date system, _x000D_). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cmocka.h>

#include "core/mem.h"
#include "core/sb.h"
#include "core/xlsx_read.h"

static void *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The ledger /my exports, as a clerk gets it back: a merged title row, the header, rows. */
static void write_ledger(const char *path, bool constant_memory)
{
    lxw_workbook_options opt = {.constant_memory = constant_memory};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "进展报告"); /* not Sheet1 */
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *fill = workbook_add_format(wb);
    format_set_bg_color(fill, 0xFFEB9C);
    worksheet_merge_range(ws, 0, 0, 0, 5, "辽宁—江苏 2026年 我的工作台账 · 导出日期：2026-11-30", NULL);
    const char *head[] = {"事项编号", "报告期", "状态", "完成比例", "进展情况", "签约金额（元）"};
    for (int i = 0; i < 6; i++)
        worksheet_write_string(ws, 1, (lxw_col_t)i, head[i], NULL);
    worksheet_write_number(ws, 2, 0, 17, NULL);
    worksheet_write_string(ws, 2, 1, "2026-11", NULL);
    worksheet_write_string(ws, 2, 2, "正常推进", NULL);
    worksheet_write_string(ws, 2, 3, "60", NULL); /* a number stored as text */
    worksheet_write_string(ws, 2, 4, "已完成园区对接。\n下月签约。", NULL);
    worksheet_write_number(ws, 2, 5, 1234.5, NULL);
    worksheet_write_number(ws, 3, 0, 18, NULL);
    worksheet_write_number(ws, 3, 1, 46356, date); /* 2026-11-30 as a date */
    worksheet_write_string(ws, 3, 2, "已完成", NULL);
    worksheet_write_number(ws, 3, 3, 100, NULL);
    worksheet_write_string(ws, 3, 4, "完成", NULL);
    worksheet_write_boolean(ws, 3, 6, 1, NULL); /* a column beyond the header */
    /* Rows a user formatted and left empty: no values, so no rows. */
    for (int r = 4; r < 40; r++)
        worksheet_write_blank(ws, (lxw_row_t)r, 1, fill);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void check_ledger(const struct xlsx_sheet *s, bool libreoffice)
{
    assert_string_equal(s->name, "进展报告");
    assert_false(s->date1904);
    assert_int_equal(s->n_rows, 4);
    const struct xlsx_row *title = &s->rows[0], *head = &s->rows[1];
    assert_int_equal(title->number, 1);
    assert_int_equal(xlsx_cell(title, 0)->type, XLSX_TEXT);
    assert_non_null(strstr(xlsx_cell(title, 0)->text, "我的工作台账"));
    assert_int_equal(xlsx_cell(title, 1)->type, XLSX_EMPTY); /* the merged cells hold nothing */
    assert_int_equal(head->number, 2);
    assert_string_equal(xlsx_cell(head, 0)->text, "事项编号");
    assert_string_equal(xlsx_cell(head, 5)->text, "签约金额（元）");
    const struct xlsx_row *r1 = &s->rows[2], *r2 = &s->rows[3];
    assert_int_equal(r1->number, 3);
    assert_int_equal(xlsx_cell(r1, 0)->type, XLSX_NUMBER);
    assert_string_equal(xlsx_cell(r1, 0)->text, "17");
    assert_string_equal(xlsx_cell(r1, 1)->text, "2026-11");
    assert_string_equal(xlsx_cell(r1, 2)->text, "正常推进");
    assert_int_equal(xlsx_cell(r1, 3)->type, XLSX_TEXT);
    assert_string_equal(xlsx_cell(r1, 3)->text, "60");
    assert_string_equal(xlsx_cell(r1, 4)->text, "已完成园区对接。\n下月签约。");
    assert_string_equal(xlsx_cell(r1, 5)->text, "1234.5");
    char day[11];
    assert_true(xlsx_date(xlsx_cell(r2, 1), s->date1904, day));
    assert_string_equal(day, "2026-11-30");
    assert_int_equal(xlsx_cell(r2, 6)->type, XLSX_BOOL);
    assert_string_equal(xlsx_cell(r2, 6)->text, "TRUE");
    assert_int_equal(xlsx_cell(r2, 5)->type, XLSX_EMPTY);
    (void)libreoffice;
}

static void reads_what_libxlsxwriter_writes(void **state)
{
    (void)state;
    char dir[] = "/tmp/duikou-xlsx-XXXXXX";
    assert_non_null(mkdtemp(dir));
    for (int cm = 0; cm < 2; cm++) { /* shared strings, then inline strings */
        char path[256];
        snprintf(path, sizeof path, "%s/ledger%d.xlsx", dir, cm);
        write_ledger(path, cm);
        size_t len;
        void *data = slurp(path, &len);
        struct arena a;
        arena_init(&a);
        struct xlsx_sheet s;
        assert_int_equal(xlsx_read(&a, data, len, NULL, &s), OOXML_OK);
        check_ledger(&s, false);
        assert_int_equal(xlsx_read(&a, data, len, "进展报告", &s), OOXML_OK);
        assert_int_equal(xlsx_read(&a, data, len, "Sheet1", &s), OOXML_MISSING);
        arena_free(&a);
        free(data);
        unlink(path);
    }
    rmdir(dir);
}

/* The same workbook opened and saved by LibreOffice Calc (Debian's libreoffice-calc-nogui),
 * with a profile of its own so it neither needs nor touches one in $HOME. */
static void reads_what_libreoffice_writes(void **state)
{
    (void)state;
    char dir[] = "/tmp/duikou-xlsx-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/in %s/out", dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/in/ledger.xlsx", dir);
    write_ledger(cmd, false);
    snprintf(cmd, sizeof cmd,
             "soffice --headless --norestore -env:UserInstallation=file://%s/profile "
             "--convert-to xlsx:'Calc MS Excel 2007 XML' --outdir %s/out %s/in/ledger.xlsx "
             ">/dev/null 2>&1",
             dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/out/ledger.xlsx", dir);
    size_t len;
    void *data = slurp(cmd, &len);
    struct arena a;
    arena_init(&a);
    struct xlsx_sheet s;
    assert_int_equal(xlsx_read(&a, data, len, NULL, &s), OOXML_OK);
    check_ledger(&s, true);
    arena_free(&a);
    free(data);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

struct part {
    const char *name, *data;
};

static void *zip_of(const struct part *parts, size_t n, size_t *out_len)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *dst = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_source_keep(dst);
    zip_t *z = zip_open_from_source(dst, ZIP_TRUNCATE, &err);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, parts[i].data, strlen(parts[i].data), 0);
        assert_true(zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    zip_source_open(dst);
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

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "          \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static void reads_other_producers_ways(void **state)
{
    (void)state;
    struct part parts[] = {
        {"_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                        "relationships\"><Relationship Id=\"rId1\" Type=\"" REL
                        "officeDocument\" Target=\"/book/wb.xml\"/></Relationships>"},
        {"book/wb.xml", "<x:workbook " NS " xmlns:x=\"http://schemas.openxmlformats.org/"
                        "spreadsheetml/2006/main\"><x:workbookPr date1904=\"1\"/><x:sheets>"
                        "<x:sheet name=\"说明\" sheetId=\"1\" r:id=\"rId9\"/>"
                        "<x:sheet name=\"台账\" sheetId=\"2\" r:id=\"rId2\"/></x:sheets>"
                        "<x:definedNames><x:definedName name=\"duikou_period\">'台账'!$B$1"
                        "</x:definedName><x:definedName name=\"area\">'台账'!$A$1:$B$2"
                        "</x:definedName></x:definedNames></x:workbook>"},
        {"book/_rels/wb.xml.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId9\" Type=\"" REL "worksheet\" Target=\"/book/s/a.xml\"/>"
         "<Relationship Id=\"rId2\" Type=\"" REL "worksheet\" Target=\"s/b.xml\"/>"
         "<Relationship Id=\"rId3\" Type=\"" REL "sharedStrings\" Target=\"strings.xml\"/>"
         "</Relationships>"},
        {"book/strings.xml",
         "<sst " NS "><si><t>事项编号</t></si><si><r><t>报告</t></r><r><rPr><b/></rPr><t>期</t>"
         "</r><rPh sb=\"0\" eb=\"2\"><t>ほうこく</t></rPh></si><si><t>第一行_x000D_\n第二行</t>"
         "</si></sst>"},
        {"book/s/a.xml", "<worksheet " NS "><sheetData><row><c t=\"inlineStr\"><is><t>说明"
                         "</t></is></c></row></sheetData></worksheet>"},
        {"book/s/b.xml",
         "<worksheet " NS "><sheetData><row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c>"
         "</row><row><c><v>7</v></c><c s=\"3\"><v>44894</v></c><c t=\"s\"><v>2</v></c>"
         "<c t=\"e\"><v>#N/A</v></c></row><row r=\"5\"><c r=\"D5\" t=\"str\"><v>2026年11月30日"
         "</v></c><c r=\"E5\" t=\"s\"><v>99</v></c></row><row r=\"9\"><c r=\"A9\" s=\"2\"/>"
         "</row></sheetData></worksheet>"},
    };
    size_t len;
    void *zip = zip_of(parts, sizeof parts / sizeof parts[0], &len);
    struct arena a;
    arena_init(&a);
    struct xlsx_sheet s;
    assert_int_equal(xlsx_read(&a, zip, len, "台账", &s), OOXML_OK);
    assert_true(s.date1904);
    assert_int_equal(s.n_rows, 3);
    assert_string_equal(xlsx_cell(&s.rows[0], 1)->text, "报告期"); /* no phonetic guide */
    assert_int_equal(s.rows[1].number, 2);
    char day[11];
    assert_true(xlsx_date(xlsx_cell(&s.rows[1], 1), true, day));
    assert_string_equal(day, "2026-11-30");
    assert_string_equal(xlsx_cell(&s.rows[1], 2)->text, "第一行\r\n第二行");
    assert_int_equal(xlsx_cell(&s.rows[1], 3)->type, XLSX_ERROR);
    assert_int_equal(s.rows[2].number, 5);
    assert_int_equal(s.rows[2].n, 4); /* a shared string that does not exist is empty */
    assert_true(xlsx_date(xlsx_cell(&s.rows[2], 3), true, day));
    assert_string_equal(day, "2026-11-30");
    assert_int_equal(s.n_names, 1);
    assert_string_equal(s.names[0].name, "duikou_period");
    assert_int_equal(s.names[0].row, 1);
    assert_int_equal(s.names[0].col, 1);
    assert_int_equal(xlsx_read(&a, zip, len, NULL, &s), OOXML_OK);
    assert_string_equal(s.name, "说明");
    assert_int_equal(s.n_rows, 1);
    /* Not a workbook: a .docx, or a ZIP of something else. */
    free(zip);
    struct part doc[] = {{"word/document.xml", "<document/>"}};
    zip = zip_of(doc, 1, &len);
    assert_int_equal(xlsx_read(&a, zip, len, NULL, &s), OOXML_MISSING);
    arena_free(&a);
    free(zip);
}

/* A tiny file whose one 60 KB shared string fills 10,000 cells would be 600 MB of text: it is
 * refused (XLSX_MAX_TEXT) before it is read whole, and the cells that were read point at the
 * one string instead of copying it. */
static void refuses_text_that_multiplies(void **state)
{
    (void)state;
    char *big = malloc(60001);
    memset(big, 'x', 60000);
    big[60000] = '\0';
    struct sb sst = SB_INIT, sheet = SB_INIT;
    sb_appendf(&sst, "<sst " NS "><si><t>%s</t></si></sst>", big);
    sb_append(&sheet, "<worksheet " NS "><sheetData>");
    for (int r = 1; r <= 1000; r++) {
        sb_appendf(&sheet, "<row r=\"%d\">", r);
        for (int c = 0; c < 10; c++)
            sb_append(&sheet, "<c t=\"s\"><v>0</v></c>");
        sb_append(&sheet, "</row>");
    }
    sb_append(&sheet, "</sheetData></worksheet>");
    struct part parts[] = {
        {"_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                        "relationships\"><Relationship Id=\"rId1\" Type=\"" REL
                        "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
        {"xl/workbook.xml", "<workbook " NS "><sheets><sheet name=\"S\" sheetId=\"1\" "
                            "r:id=\"rId1\"/></sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"s.xml\"/>"
         "<Relationship Id=\"rId2\" Type=\"" REL "sharedStrings\" Target=\"t.xml\"/>"
         "</Relationships>"},
        {"xl/t.xml", sb_str(&sst)},
        {"xl/s.xml", sb_str(&sheet)},
    };
    size_t len;
    void *zip = zip_of(parts, sizeof parts / sizeof parts[0], &len);
    assert_true(len < 200000);
    struct arena a;
    arena_init(&a);
    struct xlsx_sheet s;
    assert_int_equal(xlsx_read(&a, zip, len, NULL, &s), OOXML_TOO_LARGE);
    assert_true(a.total < (64u << 20)); /* the 16 MiB of text was never copied */
    arena_free(&a);
    free(zip);
    sb_free(&sst);
    sb_free(&sheet);
    free(big);
}

static void dates(void **state)
{
    (void)state;
    char d[11];
    assert_true(xlsx_serial_date(46356, false, d));
    assert_string_equal(d, "2026-11-30");
    assert_true(xlsx_serial_date(46356.75, false, d)); /* 18:00 that day */
    assert_string_equal(d, "2026-11-30");
    assert_true(xlsx_serial_date(59, false, d));
    assert_string_equal(d, "1900-02-28");
    assert_false(xlsx_serial_date(60, false, d)); /* Lotus's 29 February 1900 */
    assert_true(xlsx_serial_date(61, false, d));
    assert_string_equal(d, "1900-03-01");
    assert_true(xlsx_serial_date(0 + 1, true, d));
    assert_string_equal(d, "1904-01-02");
    assert_false(xlsx_serial_date(-3, false, d));
    const char *good[][2] = {{"2026-11-30", "2026-11-30"}, {"2026/11/30", "2026-11-30"},
                             {"2026.1.5", "2026-01-05"},   {"2026年11月30日", "2026-11-30"},
                             {"2026年2月28日", "2026-02-28"}, {"2026-11-30 00:00:00", "2026-11-30"}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct xlsx_cell c = {XLSX_TEXT, good[i][0]};
        assert_true(xlsx_date(&c, false, d));
        assert_string_equal(d, good[i][1]);
    }
    const char *bad[] = {"2026-02-30", "2026-11", "30/11/2026", "明天", "2026年13月1日", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct xlsx_cell c = {XLSX_TEXT, bad[i]};
        assert_false(xlsx_date(&c, false, d));
    }
    int row;
    assert_int_equal(xlsx_ref_col("A1", &row), 0);
    assert_int_equal(row, 1);
    assert_int_equal(xlsx_ref_col("$AB$12", &row), 27);
    assert_int_equal(row, 12);
    assert_int_equal(xlsx_ref_col("1A", NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_what_libxlsxwriter_writes),
        cmocka_unit_test(reads_what_libreoffice_writes),
        cmocka_unit_test(reads_other_producers_ways),
        cmocka_unit_test(refuses_text_that_multiplies),
        cmocka_unit_test(dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
