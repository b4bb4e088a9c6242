/* test_ledger: the shared XLSX/CSV writer (web/ledger.c) without a server — CSV quoting and the
 * formula guard (OWASP CSV injection), both file names of Content-Disposition, a whole CSV
 * (BOM, header, kinds of cells, 万元 exact, a second sheet after a blank line), an XLSX that is
 * a ZIP with the defined names, and ?format= parsing. Requests are built through
 * http/internal.h; the file a ledger answers with is read back from its descriptor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/internal.h"
#include "web/ledger.h"

struct t {
    struct arena arena;
    struct req r;
    struct resp p;
};

static void t_start(struct t *t, const char *target)
{
    memset(t, 0, sizeof *t);
    arena_init(&t->arena);
    req_init(&t->r, &t->arena, "GET", "127.0.0.1");
    sb_init(&t->p.body);
    resp_init(&t->p);
    assert_int_equal(req_parse_target(&t->r, &t->p, target), 0);
    t->r.lang = LANG_HANS;
}

static void t_end(struct t *t)
{
    if (t->p.file_fd >= 0)
        close(t->p.file_fd);
    sb_free(&t->p.body);
    arena_free(&t->arena);
}

/* The answer's file, whole, NUL-terminated (caller frees). */
static char *body_of(struct t *t, size_t *n)
{
    assert_true(t->p.file_fd >= 0);
    *n = (size_t)t->p.file_size;
    char *buf = malloc(*n + 1);
    assert_int_equal(pread(t->p.file_fd, buf, *n, 0), (ssize_t)*n);
    buf[*n] = '\0';
    return buf;
}

static const char *header(struct t *t, const char *name)
{
    for (int i = 0; i < t->p.n_headers; i++)
        if (strcmp(t->p.headers[i].name, name) == 0)
            return t->p.headers[i].value;
    return NULL;
}

static void test_csv_cell(void **state)
{
    (void)state;
    struct {
        const char *in, *out;
    } cases[] = {
        {"盘锦", "盘锦"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"=1+2", "\"'=1+2\""},
        {"+86 411", "\"'+86 411\""},
        {"-5", "\"'-5\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\tx", "\"'\tx\""},
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"a=b", "a=b"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct sb b = SB_INIT;
        ledger_csv_cell(&b, cases[i].in, true);
        assert_string_equal(sb_str(&b), cases[i].out);
        sb_free(&b);
    }
    struct sb b = SB_INIT; /* a header the ledger wrote itself could go unguarded */
    ledger_csv_cell(&b, "-5", false);
    assert_string_equal(sb_str(&b), "-5");
    sb_free(&b);
}

static void test_disposition(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    assert_string_equal(ledger_disposition(&a, "工作计划台账-2026.xlsx", "work-plan-2026.xlsx"),
                        "attachment; filename=\"work-plan-2026.xlsx\"; filename*=UTF-8''"
                        "%E5%B7%A5%E4%BD%9C%E8%AE%A1%E5%88%92%E5%8F%B0%E8%B4%A6-2026.xlsx");
    /* nothing of the names can break out of the header */
    assert_string_equal(ledger_disposition(&a, "a\"b;c d", "a\"b\r\n.csv"),
                        "attachment; filename=\"a_b__.csv\"; filename*=UTF-8''a%22b%3Bc%20d");
    arena_free(&a);
}

static void test_asked(void **state)
{
    (void)state;
    const char *targets[] = {"/my", "/my?format=", "/my?format=xlsx", "/my?format=csv",
                             "/my?format=pdf", "/my?format=XLSX"};
    int want[] = {LEDGER_PAGE, LEDGER_PAGE, LEDGER_XLSX, LEDGER_CSV, -1, -1};
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        struct t t;
        t_start(&t, targets[i]);
        assert_int_equal(ledger_asked(&t.r), want[i]);
        t_end(&t);
    }
}

static const struct ledger_col cols[] = {
    {"item_id", "ui_lg_h_item_id", LEDGER_INT, NULL},
    {"item", "ui_lg_h_item", LEDGER_TEXT, NULL},
    {"due", "ui_lg_h_due", LEDGER_DATE, NULL},
    {"at", "ui_lg_h_submitted_at", LEDGER_TIME, NULL},
    {"amount", NULL, LEDGER_WANYUAN, "签约金额（万元）"},
    {"percent", "ui_lg_h_percent", LEDGER_PERCENT, NULL},
    {"light", "ui_lg_h_light", LEDGER_LIGHT, NULL},
};
static const struct ledger_col second[] = {{"unit", "ui_lg_h_unit", LEDGER_TEXT, NULL}};

static void write_rows(struct ledger *l)
{
    ledger_int(l, 7);
    ledger_text(l, "=cmd|' /C calc'!A0");
    ledger_date(l, "2026-12-31");
    ledger_date(l, "2026-11-20T17:00:00.000Z"); /* 01:00 the next day in China */
    ledger_yuan(l, 123456789);
    ledger_percent(l, 60);
    ledger_light(l, LIGHT_RED);
    ledger_row_end(l);
    ledger_int(l, 8);
    ledger_text(l, "盘锦, \"互联网+\"");
    ledger_row_end(l); /* the rest empty */
}

static void test_csv_file(void **state)
{
    (void)state;
    struct t t;
    t_start(&t, "/x?format=csv");
    struct ledger_spec spec = {.name = "台账-2026", .ascii = "ledger-2026", .title = "标题",
                               .cols = cols, .n_cols = sizeof cols / sizeof *cols};
    struct ledger *l = ledger_open(&t.r, LEDGER_CSV, &spec);
    assert_non_null(l);
    write_rows(l);
    assert_true(ledger_sheet(l, "第二", second, 1));
    ledger_text(l, "-1 单位");
    ledger_row_end(l);
    assert_int_equal(ledger_send(l, &t.p), 200);
    assert_string_equal(t.p.content_type, "text/csv; charset=utf-8");
    assert_string_equal(header(&t, "Content-Disposition"),
                        "attachment; filename=\"ledger-2026.csv\"; filename*=UTF-8''"
                        "%E5%8F%B0%E8%B4%A6-2026.csv");
    size_t n;
    char *csv = body_of(&t, &n);
    assert_string_equal(csv, "\xEF\xBB\xBF"
                             "事项编号,计划事项,截止日期,填报时间,签约金额（万元）,完成比例,灯号\r\n"
                             "7,\"'=cmd|' /C calc'!A0\",2026-12-31,2026-11-21 01:00:00,12345.6789,"
                             "60,红灯\r\n"
                             "8,\"盘锦, \"\"互联网+\"\"\",,,,,\r\n"
                             "\r\n"
                             "填报单位\r\n"
                             "\"'-1 单位\"\r\n");
    free(csv);
    t_end(&t);
}

static void test_xlsx_file(void **state)
{
    (void)state;
    struct t t;
    t_start(&t, "/x?format=xlsx&lang=en");
    t.r.lang = LANG_EN;
    struct ledger_spec spec = {.name = "台账-2026", .ascii = "ledger-2026", .title = "Title",
                               .cols = cols, .n_cols = sizeof cols / sizeof *cols};
    struct ledger *l = ledger_open(&t.r, LEDGER_XLSX, &spec);
    assert_non_null(l);
    write_rows(l);
    ledger_note(l, "a note");
    assert_int_equal(ledger_send(l, &t.p), 200);
    assert_string_equal(t.p.content_type,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    size_t n;
    char *x = body_of(&t, &n);
    assert_true(n > 1000);
    assert_memory_equal(x, "PK", 2);
    /* workbook.xml is stored deflated; the ZIP's directory names the parts in clear */
    assert_non_null(memmem(x, n, "xl/worksheets/sheet2.xml", 24)); /* the notes */
    free(x);
    t_end(&t);
}

/* A ledger given up before it is sent leaves no file behind (the arena's cleanup). */
static void test_abandoned(void **state)
{
    (void)state;
    struct t t;
    t_start(&t, "/x?format=xlsx");
    struct ledger_spec spec = {.name = "n", .ascii = "n", .title = "t", .cols = cols,
                               .n_cols = sizeof cols / sizeof *cols};
    struct ledger *l = ledger_open(&t.r, LEDGER_XLSX, &spec);
    assert_non_null(l);
    write_rows(l);
    t_end(&t); /* LeakSanitizer: the workbook and its temporary files are freed */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_cell),   cmocka_unit_test(test_disposition),
        cmocka_unit_test(test_asked),      cmocka_unit_test(test_csv_file),
        cmocka_unit_test(test_xlsx_file),  cmocka_unit_test(test_abandoned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
