/* test_seal: personal data at rest (core/seal.c) — a sealed text opens to its plain text
 * under its key and under no other, never holds the plain text, differs each time; the key
 * file is made 0600 once and never overwritten, refused when others may read it or when it
 * is not a key; without a key nothing seals and nothing opens (a database copied without its
 * key reads as unavailable, no crash). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/mem.h"
#include "core/seal.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/duikou-seal-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    seal_use_key(NULL);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(struct arena *a, const char *name)
{
    return arena_printf(a, "%s/%s", dir, name);
}

static void test_round_trip(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    const char *why = NULL;
    assert_int_equal(seal_key_load(path_of(&a, "rt.data-key"), true, &why), 1);
    assert_true(seal_have_key());
    const char *id = "11010519491231002X";
    const char *s1 = seal_text(&a, id), *s2 = seal_text(&a, id);
    assert_non_null(s1);
    assert_non_null(s2);
    assert_int_equal(strncmp(s1, "v1:", 3), 0);
    assert_null(strstr(s1, id));
    assert_null(strstr(s1, "19491231"));
    assert_string_not_equal(s1, s2); /* a fresh nonce each time */
    assert_string_equal(seal_open(&a, s1), id);
    assert_string_equal(seal_open(&a, s2), id);
    /* the empty text and a long one (a phone, UTF-8) */
    assert_string_equal(seal_open(&a, seal_text(&a, "")), "");
    assert_string_equal(seal_open(&a, seal_text(&a, "+86-411-8888 电话")), "+86-411-8888 电话");
    arena_free(&a);
}

static void test_altered_and_foreign(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    const char *why = NULL;
    assert_int_equal(seal_key_load(path_of(&a, "one.data-key"), true, &why), 1);
    const char *s = seal_text(&a, "13800138000");
    assert_non_null(s);
    /* one character of the cipher text changed: refused */
    char *bad = arena_strdup(&a, s);
    size_t at = strlen(bad) - 6;
    bad[at] = bad[at] == 'A' ? 'B' : 'A';
    assert_null(seal_open(&a, bad));
    /* not sealed texts */
    assert_null(seal_open(&a, "13800138000"));
    assert_null(seal_open(&a, "v1:"));
    assert_null(seal_open(&a, "v1:!!!!"));
    assert_null(seal_open(&a, "v2:AAAA"));
    assert_null(seal_open(&a, NULL));
    /* another key (a database copied beside another key file): unavailable, no crash */
    assert_int_equal(seal_key_load(path_of(&a, "two.data-key"), true, &why), 1);
    assert_null(seal_open(&a, s));
    /* no key at all: nothing seals, nothing opens */
    seal_use_key(NULL);
    assert_false(seal_have_key());
    assert_null(seal_text(&a, "13800138000"));
    assert_null(seal_open(&a, s));
    /* the first key again opens it */
    assert_int_equal(seal_key_load(path_of(&a, "one.data-key"), false, &why), 1);
    assert_string_equal(seal_open(&a, s), "13800138000");
    arena_free(&a);
}

static void test_key_file(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    const char *why = NULL;
    const char *path = path_of(&a, "f.data-key");
    /* a reader does not make one */
    assert_int_equal(seal_key_load(path, false, &why), 0);
    assert_int_not_equal(access(path, F_OK), 0);
    struct seal_key k1, k2;
    assert_int_equal(seal_key_create(path, &k1, &why), 0);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* never overwritten */
    assert_int_equal(seal_key_create(path, &k2, &why), -1);
    assert_non_null(strstr(why, "already"));
    assert_int_equal(seal_key_read(path, &k2, &why), 0);
    assert_memory_equal(k1.key, k2.key, SEAL_KEY_BYTES);
    /* loading an existing file reads it rather than making another */
    assert_int_equal(seal_key_load(path, true, &why), 1);
    seal_use_key(&k1);
    const char *s = seal_text(&a, "secret");
    assert_int_equal(seal_key_load(path, true, &why), 1);
    assert_string_equal(seal_open(&a, s), "secret");
    /* readable by others: refused */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(seal_key_read(path, &k2, &why), -1);
    assert_non_null(strstr(why, "chmod 600"));
    assert_int_equal(seal_key_load(path, true, &why), -1);
    /* not a key file */
    const char *junk = path_of(&a, "junk.data-key");
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("duikou-data-key v1 abcd\n", f);
    fclose(f);
    assert_int_equal(chmod(junk, 0600), 0);
    assert_int_equal(seal_key_read(junk, &k2, &why), -1);
    assert_non_null(strstr(why, "not a Duikou data key"));
    /* a missing file where one is read */
    assert_int_equal(seal_key_read(path_of(&a, "none"), &k2, &why), -1);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_altered_and_foreign),
        cmocka_unit_test(test_key_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
