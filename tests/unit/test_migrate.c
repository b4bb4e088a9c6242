/* test_migrate: a database at every earlier schema version opens and is brought to the
 * latest; a database from a newer program is refused. */
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
#include <sqlite3.h>

#include "core/log.h"
#include "store/db.h"

static void rm_dir(const char *dir)
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

static int64_t one_int(struct db *db, const char *sql)
{
    struct stmt st;
    int64_t v = -1;
    assert_int_equal(db_prepare(db, &st, sql), 0);
    assert_int_equal(db_step(&st), DB_ROW);
    v = db_col_int64(&st, 0);
    db_finalize(&st);
    return v;
}

static bool has_object(struct db *db, const char *type, const char *name)
{
    struct stmt st;
    assert_int_equal(db_prepare(db, &st,
                                "SELECT count(*) FROM sqlite_schema"
                                " WHERE type = :type AND name = :name"),
                     0);
    db_bind_text(&st, ":type", type);
    db_bind_text(&st, ":name", name);
    assert_int_equal(db_step(&st), DB_ROW);
    bool found = db_col_int64(&st, 0) == 1;
    db_finalize(&st);
    return found;
}

static void check_latest(struct db *db)
{
    static const char *const tables[] = {"region", "pairing", "plan", "plan_section",
                                         "task",   "target",  "audit"};
    assert_int_equal(one_int(db, "PRAGMA user_version"), db_schema_version());
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        assert_true(has_object(db, "table", tables[i]));
    assert_true(has_object(db, "trigger", "audit_no_update"));
    assert_true(has_object(db, "trigger", "audit_no_delete"));
    assert_true(has_object(db, "index", "pairing_top"));
    assert_int_equal(one_int(db, "PRAGMA foreign_keys"), 1);
}

static void test_every_earlier_version(void **state)
{
    int latest = db_schema_version();
    for (int v = 0; v < latest; v++) {
        char dir[] = "/tmp/duikou-migrate-XXXXXX", path[128];
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/v%d.db", dir, v);

        struct db *db = NULL;
        assert_int_equal(db_open_at_version(path, v, &db), 0);
        assert_int_equal(one_int(db, "PRAGMA user_version"), v);
        if (v == 0)
            assert_false(has_object(db, "table", "audit"));
        db_close(db);

        char *err = NULL;
        assert_int_equal(db_open(path, &db, &err), 0);
        assert_null(err);
        check_latest(db);
        db_close(db);
        rm_dir(dir);
    }
}

static void test_newer_database_refused(void **state)
{
    char dir[] = "/tmp/duikou-migrate-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/new.db", dir);
    struct db *db = NULL;
    assert_int_equal(db_open(path, &db, NULL), 0);
    db_close(db);

    /* Pretend a later program wrote the file. */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version = 999", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);

    char *err = NULL;
    db = NULL;
    log_set_level(LOG_ERROR + 1);
    assert_true(db_open(path, &db, &err) < 0);
    log_set_level(LOG_INFO);
    assert_null(db);
    assert_non_null(err);
    assert_non_null(strstr(err, "newer"));
    free(err);
    rm_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_earlier_version),
        cmocka_unit_test(test_newer_database_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
