/* Bad inputs: each gets a clear error or warning, never a crash and never a result that
 * would import part of a plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/text.h"
#include "ingest/gazetteer.h"
#include "ingest/ingest.h"

static struct arena arena;
static char *seed;
static size_t seed_len;

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
    return 0;
}

static int teardown(void **state)
{
    arena_free(&arena);
    gazetteer_shutdown();
    text_shutdown();
    return 0;
}

static struct ingest_result parse(const char *buf, size_t len)
{
    struct ingest_result r;
    ingest_parse(&arena, buf, len, &r);
    return r;
}

static bool has_code(const struct ingest_result *r, const char *code)
{
    for (size_t i = 0; i < r->n_warnings; i++)
        if (strcmp(r->warnings[i].code, code) == 0)
            return true;
    for (size_t p = 0; p < r->n_plans; p++)
        for (size_t i = 0; i < r->plans[p].n_warnings; i++)
            if (strcmp(r->plans[p].warnings[i].code, code) == 0)
                return true;
    return false;
}

static void test_empty(void **state)
{
    struct ingest_result r = parse("", 0);
    assert_false(r.ok);
    assert_string_equal(r.error_code, "empty");
    assert_non_null(r.error);
    r = parse("\n\n  \n", 5);
    assert_false(r.ok);
    assert_string_equal(r.error_code, "no_plan");
}

static void test_binary(void **state)
{
    static const char elf[] = "\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00";
    struct ingest_result r = parse(elf, sizeof elf - 1);
    assert_false(r.ok);
    assert_string_equal(r.error_code, "binary");
    /* High bytes that are neither UTF-8 nor GB18030 */
    static const char junk[] = "\xff\xfe\xfd\x80\x80\xff abc \xff";
    r = parse(junk + 2, sizeof junk - 3);
    assert_false(r.ok);
    assert_string_equal(r.error_code, "bad_encoding");
    assert_true(ingest_has_errors(&r));
}

static void test_too_large(void **state)
{
    /* A sparse 100 MB file: refused from its size, without reading it. */
    char path[] = "/tmp/duikou-big-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 100L << 20), 0);
    close(fd);
    struct ingest_result r;
    ingest_parse_file(&arena, path, &r);
    unlink(path);
    assert_false(r.ok);
    assert_string_equal(r.error_code, "too_large");
    assert_non_null(strstr(r.error, "100 MB"));
}

static void test_missing_file(void **state)
{
    struct ingest_result r;
    ingest_parse_file(&arena, "/nonexistent/plan.txt", &r);
    assert_false(r.ok);
    assert_string_equal(r.error_code, "unreadable");
}

static void test_stray_characters(void **state)
{
    /* Control characters sprinkled into the text are removed with one warning. */
    char *buf = arena_alloc(&arena, seed_len + 16);
    size_t at = 3000;
    while (seed[at - 1] != '\n')
        at++;
    memcpy(buf, seed, at);
    memcpy(buf + at, "\x01\x07\x1b", 3);
    memcpy(buf + at + 3, seed + at, seed_len - at);
    struct ingest_result r = parse(buf, seed_len + 3);
    assert_true(r.ok);
    assert_true(has_code(&r, "stray_characters"));
    assert_int_equal(r.n_plans, 2);
    assert_int_equal(r.plans[0].n_tasks, 24);
    assert_int_equal(r.plans[1].n_tasks, 27);
}

/* Byte offset where line `line` (1-based) starts. */
static size_t line_offset(int line)
{
    size_t off = 0;
    for (int l = 1; l < line && off < seed_len; off++)
        if (seed[off] == '\n')
            l++;
    return off;
}

static void test_truncated(void **state)
{
    struct ingest_result full = parse(seed, seed_len);
    assert_true(full.ok);
    /* Cut inside a UTF-8 character: the file ends mid-character. */
    size_t mid = line_offset(50) + 7;
    struct ingest_result r = parse(seed, mid);
    assert_true(ingest_has_errors(&r));
    assert_true(has_code(&r, "truncated"));
    /* Cut at many places inside each plan, mid-line and not right after a full stop: no
     * cut yields a shortened plan that could be imported. Every plan that comes out without
     * an error is one of the full file's plans, whole. */
    for (size_t p = 0; p < full.n_plans; p++) {
        size_t from = line_offset(full.plans[p].line), to = line_offset(full.plans[p].end_line + 1);
        for (size_t cut = from + 1; cut < to; cut += 97) {
            if (seed[cut - 1] == '\n' || (cut >= 3 && memcmp(seed + cut - 3, "。", 3) == 0))
                continue;
            r = parse(seed, cut);
            for (size_t q = 0; q < r.n_plans; q++) {
                bool error = false;
                for (size_t i = 0; i < r.plans[q].n_warnings; i++)
                    error |= r.plans[q].warnings[i].severity == SEV_ERROR;
                bool whole = false;
                for (size_t f = 0; f < full.n_plans; f++)
                    whole |= strcmp(r.plans[q].sha256, full.plans[f].sha256) == 0;
                if (!error && !whole)
                    fail_msg("cut at byte %zu gave a shortened plan without an error", cut);
            }
        }
    }
}

static void test_no_structure(void **state)
{
    /* A title without numbered sections is not a plan. */
    const char *t = "遼寧省與江蘇省對口合作實施方案\n這是一段說明文字。\n";
    struct ingest_result r = parse(t, strlen(t));
    assert_false(r.ok);
    assert_string_equal(r.error_code, "no_plan");
    /* Structure without key tasks: found, but refused for import. */
    t = "甲省與乙省對口合作實施方案\n一、指導思想\n說明。\n二、保障措施\n(一)建立機制。內容。\n";
    r = parse(t, strlen(t));
    assert_true(r.ok);
    assert_true(has_code(&r, "no_tasks"));
    assert_true(ingest_has_errors(&r));
}

static void test_long_lines(void **state)
{
    /* One huge line with no punctuation, many 与 and numbers: finishes, no crash. */
    size_t n = 300000;
    char *buf = arena_alloc(&arena, n * 3 + 256);
    size_t k = 0;
    const char *head = "甲省與乙省對口合作實施方案\n一、合作重點\n(一)一\n1.";
    memcpy(buf, head, strlen(head));
    k = strlen(head);
    for (size_t i = 0; i < n / 4; i++) {
        memcpy(buf + k, "與", 3);
        k += 3;
        buf[k++] = (char)('0' + i % 10);
        memcpy(buf + k, "家", 3);
        k += 3;
    }
    struct ingest_result r = parse(buf, k);
    assert_true(r.ok);
    assert_true(ingest_has_errors(&r)); /* no safeguards, ends mid-sentence */
}

static void test_task_gap(void **state)
{
    const char *t = "甲省與乙省對口合作實施方案\n一、合作重點\n(一)改革\n1.甲。內容。\n3.乙。內容。\n"
                    "二、保障措施\n(一)建立機制。內容。\n";
    struct ingest_result r = parse(t, strlen(t));
    assert_true(r.ok);
    assert_int_equal(r.plans[0].n_tasks, 2);
    assert_true(has_code(&r, "task_gap"));
    assert_false(ingest_has_errors(&r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_too_large),    cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_stray_characters), cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_no_structure), cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_task_gap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
