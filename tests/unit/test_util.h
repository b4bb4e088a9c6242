/* test_util: what the database-level unit tests (test_audit, test_audit_log, test_store,
 * test_backup, test_migrate, test_auth, test_user) each need around a test: a fresh temporary
 * directory holding a database, its removal, and one-number queries. The cooperation tests
 * have their own world in coop_fixture.h.
 *
 * Static functions in a header: each test program is one .c file that includes it once. */
#ifndef DUIKOU_TEST_UTIL_H
#define DUIKOU_TEST_UTIL_H
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/db.h"

#define TU_FN static __attribute__((unused))

enum { TU_DIR_MAX = 64, TU_PATH_MAX = 128 };

/* Removes dir and the files in it (a database, its -wal and -shm, copies beside it). */
TU_FN void tu_rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    closedir(d);
    rmdir(dir);
}

/* Makes a fresh directory /tmp/duikou-<name>-XXXXXX (its name into dir) and opens a new
 * database file in it (its path into path, the connection into *db). 0, or -1 with the
 * reason on stderr. */
TU_FN int tu_db_setup(char dir[TU_DIR_MAX], char path[TU_PATH_MAX], const char *name,
                      const char *file, struct db **db)
{
    snprintf(dir, TU_DIR_MAX, "/tmp/duikou-%s-XXXXXX", name);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(path, TU_PATH_MAX, "%s/%s", dir, file);
    char *err = NULL;
    if (db_open(path, db, &err) != 0) {
        fprintf(stderr, "db_open: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    return 0;
}

/* Closes what tu_db_setup opened and removes its directory. */
TU_FN void tu_db_teardown(const char *dir, struct db *db)
{
    db_close(db);
    tu_rm_dir(dir);
}

/* The first column of the one row sql returns; the test fails when there is no row. */
TU_FN int64_t tu_one_int(struct db *db, const char *sql)
{
    struct stmt st;
    int64_t v = -1;
    assert_int_equal(db_prepare(db, &st, sql), 0);
    assert_int_equal(db_step(&st), DB_ROW);
    v = db_col_int64(&st, 0);
    db_finalize(&st);
    return v;
}

/* The first column of sql's first row (text bound to :t unless NULL), or -1 without a row. */
TU_FN int64_t tu_count(struct db *db, const char *sql, const char *text)
{
    struct stmt st;
    int64_t n = -1;
    db_prepare(db, &st, sql);
    if (text)
        db_bind_text(&st, ":t", text);
    if (db_step(&st) == DB_ROW)
        n = db_col_int64(&st, 0);
    db_finalize(&st);
    return n;
}

/* A pairing row made with plain SQL: a province pairing, or a city one under parent. */
TU_FN int64_t tu_insert_pairing(struct db *db, int64_t parent, const char *a, const char *b)
{
    struct stmt st;
    db_prepare(db, &st,
               "INSERT INTO pairing (parent_id, name_a, name_b, kind, created_at) "
               "VALUES (:parent, :a, :b, :kind, '2026-01-01T00:00:00.000Z')");
    if (parent)
        db_bind_int64(&st, ":parent", parent);
    else
        db_bind_null(&st, ":parent");
    db_bind_text(&st, ":a", a);
    db_bind_text(&st, ":b", b);
    db_bind_text(&st, ":kind", parent ? "city" : "province");
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);
    return db_last_insert_id(db);
}

#endif
