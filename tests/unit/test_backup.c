/* test_backup: online backups are complete, consistent, never half-written, and never
 * clobber a file unasked; db_check reports a healthy and a broken database. */
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
#include <sqlite3.h>

#include "core/log.h"
#include "core/sb.h"
#include "store/audit.h"
#include "store/backup.h"
#include "store/db.h"

#include "test_util.h"

struct fixture {
    char dir[64];
    char path[128];
    char dest[128];
    struct db *db;
};

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    if (d)
        closedir(d);
    return n;
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (tu_db_setup(f->dir, f->path, "backup", "live.db", &f->db) != 0)
        return -1;
    snprintf(f->dest, sizeof f->dest, "%s/copy.db", f->dir);
    /* Some data and a few audit rows, the way a service writes them. */
    for (int i = 0; i < 5; i++) {
        struct stmt st;
        char code[16];
        snprintf(code, sizeof code, "21%02d00", i);
        if (db_begin(f->db) != 0 ||
            db_prepare(f->db, &st,
                       "INSERT INTO region (code, name, level) VALUES (:c, '辽宁省', 'city')") != 0)
            return -1;
        db_bind_text(&st, ":c", code);
        int rc = db_step(&st);
        db_finalize(&st);
        if (rc != DB_DONE ||
            audit_append(f->db, "admin", "create", "region", db_last_insert_id(f->db), NULL,
                         "{\"name\":\"辽宁省\"}", "cli") != 0 ||
            db_commit(f->db) != 0)
            return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tu_db_teardown(f->dir, f->db);
    free(f);
    return 0;
}

/* The audit rows of a database as one string, to compare two databases. */
static void audit_dump(struct db *db, struct sb *out)
{
    struct stmt st;
    assert_int_equal(db_prepare(db, &st, "SELECT id, hash FROM audit ORDER BY id"), 0);
    while (db_step(&st) == DB_ROW)
        sb_appendf(out, "%lld %s\n", (long long)db_col_int64(&st, 0), db_col_text(&st, 1));
    db_finalize(&st);
}

static void test_backup_is_complete(void **state)
{
    struct fixture *f = *state;
    char *err = NULL;
    assert_int_equal(db_backup(f->db, f->dest, 0, &err), 0);
    assert_null(err);
    assert_true(exists(f->dest));

    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp", f->dest);
    assert_false(exists(tmp));

    /* The copy is one self-contained file: opened raw, it has no WAL beside it and passes
     * integrity_check. */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open_v2(f->dest, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    sqlite3_close(raw);

    struct db *copy = NULL;
    assert_int_equal(db_open(f->dest, &copy, NULL), 0);
    struct sb a = SB_INIT, b = SB_INIT, report = SB_INIT;
    audit_dump(f->db, &a);
    audit_dump(copy, &b);
    assert_true(a.len > 0);
    assert_string_equal(sb_str(&a), sb_str(&b));
    assert_int_equal(db_check(copy, &report), 0);
    assert_non_null(strstr(sb_str(&report), "integrity: ok"));
    assert_non_null(strstr(sb_str(&report), "foreign keys: ok"));
    assert_non_null(strstr(sb_str(&report), "audit log: ok, 5 rows"));
    sb_free(&a);
    sb_free(&b);
    sb_free(&report);
    db_close(copy);
}

static void test_backup_refuses_overwrite(void **state)
{
    struct fixture *f = *state;
    FILE *fp = fopen(f->dest, "w");
    assert_non_null(fp);
    fputs("precious", fp);
    fclose(fp);

    char *err = NULL;
    assert_true(db_backup(f->db, f->dest, 0, &err) < 0);
    assert_non_null(err);
    assert_non_null(strstr(err, "exists"));
    assert_null(strstr(err, f->dir)); /* no path in the user's message */
    free(err);
    err = NULL;

    /* Untouched, and nothing left beside it. */
    char buf[16] = {0};
    fp = fopen(f->dest, "r");
    assert_non_null(fp);
    assert_non_null(fgets(buf, sizeof buf, fp));
    fclose(fp);
    assert_string_equal(buf, "precious");
    int files = count_files(f->dir);

    /* With the flag it is replaced by a real backup. */
    assert_int_equal(db_backup(f->db, f->dest, DB_BACKUP_OVERWRITE, &err), 0);
    assert_null(err);
    assert_int_equal(count_files(f->dir), files);
    struct db *copy = NULL;
    assert_int_equal(db_open(f->dest, &copy, NULL), 0);
    struct sb report = SB_INIT;
    assert_int_equal(db_check(copy, &report), 0);
    sb_free(&report);
    db_close(copy);
}

static void test_backup_refuses_database_itself(void **state)
{
    struct fixture *f = *state;
    char *err = NULL;
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    assert_true(db_backup(f->db, f->path, DB_BACKUP_OVERWRITE, &err) < 0);
    assert_non_null(err);
    free(err);
    err = NULL;
    if (exists(wal)) {
        assert_true(db_backup(f->db, wal, DB_BACKUP_OVERWRITE, &err) < 0);
        free(err);
        err = NULL;
    }
    struct sb report = SB_INIT;
    assert_int_equal(db_check(f->db, &report), 0);
    sb_free(&report);
}

static void test_backup_failure_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    char dest[160], *err = NULL;
    snprintf(dest, sizeof dest, "%s/no-such-dir/copy.db", f->dir);
    log_set_level(LOG_ERROR + 1);
    assert_true(db_backup(f->db, dest, 0, &err) < 0);
    log_set_level(LOG_INFO);
    assert_non_null(err);
    assert_null(strstr(err, f->dir));
    free(err);
    assert_false(exists(dest));

    /* Inside a transaction it refuses (the copy would hold uncommitted rows). */
    err = NULL;
    assert_int_equal(db_begin(f->db), 0);
    log_set_level(LOG_ERROR + 1);
    assert_true(db_backup(f->db, f->dest, 0, &err) < 0);
    log_set_level(LOG_INFO);
    assert_int_equal(db_rollback(f->db), 0);
    free(err);
    assert_false(exists(f->dest));
}

static void test_backup_while_writing(void **state)
{
    struct fixture *f = *state;
    /* A second connection holds an open write transaction during the backup: the copy has the
     * committed state only. */
    struct db *writer = NULL;
    assert_int_equal(db_open(f->path, &writer, NULL), 0);
    assert_int_equal(db_begin(writer), 0);
    assert_int_equal(audit_append(writer, "admin", "create", "plan", 1, NULL, "{}", NULL), 0);

    assert_int_equal(db_backup(f->db, f->dest, 0, NULL), 0);
    assert_int_equal(db_commit(writer), 0);
    db_close(writer);

    struct db *copy = NULL;
    assert_int_equal(db_open(f->dest, &copy, NULL), 0);
    int64_t rows = 0;
    assert_int_equal(audit_verify(copy, NULL, &rows, NULL), 0);
    assert_int_equal(rows, 5);
    db_close(copy);
    assert_int_equal(audit_verify(f->db, NULL, &rows, NULL), 0);
    assert_int_equal(rows, 6);
}

static void test_check_reports_foreign_keys(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    f->db = NULL;
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "PRAGMA foreign_keys = OFF;"
                                  "INSERT INTO region (code, name, level, parent_id)"
                                  " VALUES ('999999', 'x', 'city', 12345);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    assert_int_equal(db_open(f->path, &f->db, NULL), 0);
    struct sb report = SB_INIT;
    assert_int_equal(db_check(f->db, &report), 1);
    assert_non_null(strstr(sb_str(&report), "foreign keys: FAILED, 1 broken reference"));
    assert_non_null(strstr(sb_str(&report), "region row"));
    assert_non_null(strstr(sb_str(&report), "audit log: ok"));
    sb_free(&report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backup_is_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_refuses_overwrite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_refuses_database_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_failure_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_while_writing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_reports_foreign_keys, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
