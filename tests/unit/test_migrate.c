/* test_migrate: a database at every earlier schema version opens and is brought to the
 * latest (with every append-only trigger); reports, reviews and figures written before the
 * upgrade can no longer be changed or deleted; a database from a newer program is refused. */
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
#include "store/search.h"

#include "test_util.h"

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
    assert_int_equal(tu_one_int(db, "PRAGMA user_version"), db_schema_version());
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        assert_true(has_object(db, "table", tables[i]));
    assert_true(has_object(db, "trigger", "audit_no_update"));
    assert_true(has_object(db, "trigger", "audit_no_delete"));
    assert_true(has_object(db, "index", "pairing_top"));
    static const char *const append_only[] = {
        "report_no_update",        "report_no_delete",        "review_no_update",
        "review_no_delete",        "report_figure_no_update", "report_figure_no_delete"};
    for (size_t i = 0; i < sizeof append_only / sizeof append_only[0]; i++)
        assert_true(has_object(db, "trigger", append_only[i]));
    static const char *const search[] = {"search_dirty", "search_task", "search_item",
                                         "search_report", "search_unit"};
    for (size_t i = 0; i < sizeof search / sizeof search[0]; i++)
        assert_true(has_object(db, "table", search[i]));
    assert_true(has_object(db, "trigger", "search_report_insert"));
    assert_true(has_object(db, "trigger", "search_unit_update"));
    assert_true(has_object(db, "table", "notice"));
    assert_true(has_object(db, "index", "notice_published"));
    assert_int_equal(tu_one_int(db, "PRAGMA foreign_keys"), 1);
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
        assert_int_equal(tu_one_int(db, "PRAGMA user_version"), v);
        if (v == 0)
            assert_false(has_object(db, "table", "audit"));
        db_close(db);

        char *err = NULL;
        assert_int_equal(db_open(path, &db, &err), 0);
        assert_null(err);
        check_latest(db);
        db_close(db);
        tu_rm_dir(dir);
    }
}

/* Runs sql; the result code (0, or a negative DB_ code), with the error log silenced. */
static int exec_quiet(struct db *db, const char *sql)
{
    log_set_level(LOG_ERROR + 1);
    int rc = db_exec(db, sql);
    log_set_level(LOG_INFO);
    return rc;
}

/* A version-2 database holding a report with a figure and a review: upgraded, none of them
 * can be changed or deleted any more (version 2 refused only UPDATE of report), while new
 * reports are still written. */
static void test_reports_append_only_after_upgrade(void **state)
{
    char dir[] = "/tmp/duikou-migrate-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/v2.db", dir);
    struct db *db = NULL;
    assert_int_equal(db_open_at_version(path, 2, &db), 0);
    assert_int_equal(
        db_exec(db,
                "INSERT INTO pairing (id, name_a, name_b, kind, created_at) "
                "VALUES (1, 'A', 'B', 'province', '2027-01-01');"
                "INSERT INTO unit (id, pairing_id, side, name, name_key, kind, tier, created_at, "
                "updated_at) VALUES (1, 1, 0, 'U', 'U', 'city', 'execution', '2027-01-01', "
                "'2027-01-01');"
                "INSERT INTO users (id, unit_id, login, name, pw_hash, role, pw_changed_at, "
                "created_at, updated_at) VALUES (1, 1, 'm', 'm', 'x', 'member', '2027-01-01', "
                "'2027-01-01', '2027-01-01'), (2, NULL, 'a', 'a', 'x', 'admin', '2027-01-01', "
                "'2027-01-01', '2027-01-01');"
                "INSERT INTO work_plan (id, pairing_id, year, created_at, updated_at) "
                "VALUES (1, 1, 2027, '2027-01-01', '2027-01-01');"
                "INSERT INTO work_item (id, work_plan_id, title, owner_unit_id, due, created_at, "
                "updated_at) VALUES (1, 1, 'T', 1, '2027-06-30', '2027-01-01', '2027-01-01');"
                "INSERT INTO report (id, work_item_id, unit_id, period, status, percent, "
                "narrative, submitted_by, at) VALUES (1, 1, 1, '2027-03', 'on_track', 10, 'N', "
                "1, '2027-03-01');"
                "INSERT INTO report_figure (report_id, name, value) VALUES (1, 'F', 5);"
                "INSERT INTO review (id, report_id, decision, reviewer_id, at) "
                "VALUES (1, 1, 'accepted', 2, '2027-03-02');"),
        0);
    db_close(db);

    char *err = NULL;
    assert_int_equal(db_open(path, &db, &err), 0);
    assert_null(err);
    check_latest(db);
    static const char *const refused[] = {
        "DELETE FROM report",
        "DELETE FROM report WHERE id = 1",
        "UPDATE report SET percent = 90",
        "UPDATE review SET decision = 'returned'",
        "UPDATE review SET comment = 'changed'",
        "DELETE FROM review",
        "UPDATE report_figure SET value = 6",
        "DELETE FROM report_figure",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_int_equal(exec_quiet(db, refused[i]), DB_CONSTRAINT);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM report"), 1);
    assert_int_equal(tu_one_int(db, "SELECT percent FROM report"), 10);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM review WHERE decision = 'accepted' "
                                 "AND comment IS NULL"),
                     1);
    assert_int_equal(tu_one_int(db, "SELECT value FROM report_figure"), 5);

    /* appending is what stays allowed */
    assert_int_equal(db_exec(db, "INSERT INTO report (work_item_id, unit_id, period, status, "
                                 "percent, narrative, supersedes_id, submitted_by, at) VALUES "
                                 "(1, 1, '2027-03', 'on_track', 20, 'N2', 1, 1, '2027-03-05');"
                                 "INSERT INTO report_figure (report_id, name, value) "
                                 "VALUES (last_insert_rowid(), 'F', 7);"),
                     0);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM report"), 2);
    db_close(db);
    tu_rm_dir(dir);
}

/* A version-3 database with a unit, a task, a work item and a report in Traditional script:
 * upgraded to 4, each is in the search index under its Simplified form; rows written after
 * the upgrade are noted by the triggers and indexed by search_sync (or, in a transaction,
 * by db_commit). */
static void test_search_index_after_upgrade(void **state)
{
    char dir[] = "/tmp/duikou-migrate-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/v3.db", dir);
    struct db *db = NULL;
    assert_int_equal(db_open_at_version(path, 3, &db), 0);
    assert_int_equal(
        db_exec(db,
                "INSERT INTO pairing (id, name_a, name_b, kind, created_at) "
                "VALUES (1, 'A', 'B', 'province', '2027-01-01'), "
                "(2, 'C', 'D', 'province', '2027-01-01');"
                "INSERT INTO plan (id, pairing_id, lineage, version, title, source_sha256, "
                "source_text, imported_at, imported_by) VALUES (1, 1, 1, 1, 'P', 'x', 'x', "
                "'2027-01-01', 'cli:t');"
                "INSERT INTO task (id, plan_id, number, title, body) VALUES "
                "(1, 1, 1, '深化遼寧改革', '與江蘇對接。');"
                "INSERT INTO unit (id, pairing_id, side, name, name_key, kind, tier, created_at, "
                "updated_at) VALUES (1, 1, 0, '遼寧省發改委', 'k', 'city', 'execution', "
                "'2027-01-01', '2027-01-01'), (2, 2, 0, '大連市發改委', 'k', 'city', "
                "'execution', '2027-01-01', '2027-01-01');"
                "INSERT INTO users (id, unit_id, login, name, pw_hash, role, pw_changed_at, "
                "created_at, updated_at) VALUES (1, 1, 'm', 'm', 'x', 'member', '2027-01-01', "
                "'2027-01-01', '2027-01-01');"
                "INSERT INTO work_plan (id, pairing_id, year, created_at, updated_at) "
                "VALUES (1, 1, 2027, '2027-01-01', '2027-01-01');"
                "INSERT INTO work_item (id, work_plan_id, task_id, title, owner_unit_id, due, "
                "created_at, updated_at) VALUES (1, 1, 1, '盤錦港口對接', 1, '2027-06-30', "
                "'2027-01-01', '2027-01-01');"
                "INSERT INTO report (id, work_item_id, unit_id, period, status, percent, "
                "narrative, submitted_by, at) VALUES (1, 1, 1, '2027-03', 'on_track', 10, "
                "'已與無錫簽約。', 1, '2027-03-01');"),
        0);
    db_close(db);

    char *err = NULL;
    assert_int_equal(db_open(path, &db, &err), 0);
    assert_null(err);
    check_latest(db);
    assert_int_equal(tu_one_int(db, "SELECT rowid FROM search_task "
                                    "WHERE search_task MATCH 'body : \"辽 宁\"'"),
                     1);
    assert_int_equal(tu_one_int(db, "SELECT rowid FROM search_item WHERE search_item "
                                    "MATCH 'body : \"盘 锦 港\" AND scope : p1'"),
                     1);
    assert_int_equal(tu_one_int(db, "SELECT rowid FROM search_report "
                                    "WHERE search_report MATCH 'body : \"无 锡\"'"),
                     1);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_unit "
                                    "WHERE search_unit MATCH 'body : \"发 改 委\"'"),
                     2);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_unit WHERE search_unit "
                                    "MATCH 'body : \"发 改 委\" AND scope : p2'"),
                     1);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_dirty"), 0);

    /* after the upgrade: the triggers note, search_sync indexes */
    assert_int_equal(db_exec(db, "INSERT INTO report (work_item_id, unit_id, period, status, "
                                 "percent, narrative, submitted_by, at) VALUES (1, 1, "
                                 "'2027-04', 'on_track', 20, '冷鏈物流', 1, '2027-04-01');"
                                 "UPDATE unit SET name = '遼陽市政府' WHERE id = 1;"),
                     0);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_dirty"), 2);
    assert_int_equal(search_sync(db), 0);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_dirty"), 0);
    assert_int_equal(tu_one_int(db, "SELECT rowid FROM search_report "
                                    "WHERE search_report MATCH 'body : \"冷 链\"'"),
                     2);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_unit "
                                    "WHERE search_unit MATCH 'body : \"辽 阳\"'"),
                     1);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_unit "
                                    "WHERE search_unit MATCH 'body : \"发 改 委\"'"),
                     1);

    /* A write committed through db_commit is indexed in its own transaction: nothing is
     * left for a search to do. */
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_exec(db, "UPDATE unit SET name = '盤錦市政府' WHERE id = 1;"), 0);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_dirty"), 0);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_unit "
                                    "WHERE search_unit MATCH 'body : \"盘 锦\"'"),
                     1);

    /* The server's connections leave indexing to its indexer thread (db_search_deferred):
     * their commits only note the change, and a search's catch-up without the server's hook
     * indexes nothing either — only search_sync, on the indexer's connection, writes. */
    db_search_deferred(db);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_exec(db, "UPDATE unit SET name = '撫順市政府' WHERE id = 1;"), 0);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_dirty"), 1);
    uint64_t writes = db_write_count();
    search_catch_up();
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_dirty"), 1);
    assert_int_equal(db_write_count(), writes); /* nothing written */
    assert_int_equal(search_sync(db), 0);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM search_unit "
                                    "WHERE search_unit MATCH 'body : \"抚 顺\"'"),
                     1);
    db_close(db);
    tu_rm_dir(dir);
}

/* A version-4 database with a pairing and an account: upgraded, it takes notices for that
 * pairing and for every pairing (NULL), keeps their states to draft, published, withdrawn, and
 * refuses a published notice without its publication time. */
static void test_notices_after_upgrade(void **state)
{
    char dir[] = "/tmp/duikou-migrate-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/v4.db", dir);
    struct db *db = NULL;
    assert_int_equal(db_open_at_version(path, 4, &db), 0);
    assert_false(has_object(db, "table", "notice"));
    assert_int_equal(db_exec(db, "INSERT INTO pairing (id, name_a, name_b, kind, created_at) "
                                 "VALUES (1, 'A', 'B', 'province', '2027-01-01');"
                                 "INSERT INTO users (id, unit_id, login, name, pw_hash, role, "
                                 "pw_changed_at, created_at, updated_at) VALUES (1, NULL, 'a', "
                                 "'a', 'x', 'admin', '2027-01-01', '2027-01-01', '2027-01-01');"),
                     0);
    db_close(db);

    char *err = NULL;
    assert_int_equal(db_open(path, &db, &err), 0);
    assert_null(err);
    check_latest(db);
    assert_int_equal(
        db_exec(db, "INSERT INTO notice (pairing_id, title, body, status, published_at, "
                    "created_by, created_at, updated_at) VALUES (1, 'T', 'B', 'published', "
                    "'2027-01-02', 1, '2027-01-01', '2027-01-02'), (NULL, 'All', 'B', 'draft', "
                    "NULL, 1, '2027-01-01', '2027-01-01');"),
        0);
    assert_int_equal(tu_one_int(db, "SELECT count(*) FROM notice WHERE pairing_id IS NULL"), 1);
    assert_int_equal(exec_quiet(db, "UPDATE notice SET status = 'gone'"), DB_CONSTRAINT);
    assert_int_equal(exec_quiet(db, "INSERT INTO notice (title, body, status, created_at, "
                                    "updated_at) VALUES ('X', 'Y', 'published', 'n', 'n')"),
                     DB_CONSTRAINT);
    assert_int_equal(exec_quiet(db, "INSERT INTO notice (pairing_id, title, body, created_at, "
                                    "updated_at) VALUES (99, 'X', 'Y', 'n', 'n')"),
                     DB_CONSTRAINT);
    db_close(db);
    tu_rm_dir(dir);
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
    tu_rm_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_earlier_version),
        cmocka_unit_test(test_reports_append_only_after_upgrade),
        cmocka_unit_test(test_search_index_after_upgrade),
        cmocka_unit_test(test_notices_after_upgrade),
        cmocka_unit_test(test_newer_database_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
