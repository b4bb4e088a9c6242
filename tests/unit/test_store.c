/* test_store: opening a database (schema, connection settings), the statement API and its
 * cache, and transactions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/log.h"
#include "store/db.h"

#include "test_util.h"

struct fixture {
    char dir[64];
    char path[128];
    struct db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (tu_db_setup(f->dir, f->path, "store", "test.db", &f->db) != 0)
        return -1;
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

static void test_open_creates_schema(void **state)
{
    struct fixture *f = *state;
    assert_true(db_schema_version() >= 1);
    assert_int_equal(tu_one_int(f->db, "PRAGMA user_version"), db_schema_version());

    static const char *const tables[] = {"region", "pairing", "plan", "plan_section",
                                         "task",   "target",  "audit"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        struct stmt st;
        assert_int_equal(db_prepare(f->db, &st,
                                    "SELECT count(*) FROM sqlite_schema"
                                    " WHERE type = 'table' AND name = :name"),
                         0);
        db_bind_text(&st, ":name", tables[i]);
        assert_int_equal(db_step(&st), DB_ROW);
        assert_int_equal(db_col_int64(&st, 0), 1);
        db_finalize(&st);
    }
    /* Reopening an up-to-date file changes nothing. */
    db_close(f->db);
    assert_int_equal(db_open(f->path, &f->db, NULL), 0);
    assert_int_equal(tu_one_int(f->db, "PRAGMA user_version"), db_schema_version());
}

static void test_connection_settings(void **state)
{
    struct fixture *f = *state;
    struct stmt st;
    assert_int_equal(db_prepare(f->db, &st, "PRAGMA journal_mode"), 0);
    assert_int_equal(db_step(&st), DB_ROW);
    assert_string_equal(db_col_text(&st, 0), "wal");
    db_finalize(&st);
    assert_int_equal(tu_one_int(f->db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(tu_one_int(f->db, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(tu_one_int(f->db, "PRAGMA busy_timeout"), 5000);
}

static int64_t insert_region(struct db *db, const char *code, const char *name, const char *level)
{
    struct stmt st;
    assert_int_equal(db_prepare(db, &st,
                                "INSERT INTO region (code, name, level) VALUES (:code, :name,"
                                " :level)"),
                     0);
    db_bind_text(&st, ":code", code);
    db_bind_text(&st, ":name", name);
    db_bind_text(&st, ":level", level);
    int rc = db_step(&st);
    db_finalize(&st);
    return rc == DB_DONE ? db_last_insert_id(db) : rc;
}

static void test_chinese_round_trip(void **state)
{
    struct fixture *f = *state;
    /* Simplified, Traditional, full-width punctuation, and a character outside the BMP. */
    static const char name[] = "辽宁省·遼寧省（盘锦）“互联网+”𠀀";
    int64_t id = insert_region(f->db, "210000", name, "province");
    assert_true(id > 0);
    assert_int_equal(db_changes(f->db), 1);

    struct stmt st;
    assert_int_equal(db_prepare(f->db, &st,
                                "SELECT name, short_name, level FROM region WHERE id = :id"),
                     0);
    db_bind_int64(&st, ":id", id);
    assert_int_equal(db_step(&st), DB_ROW);
    assert_string_equal(db_col_text(&st, 0), name);
    assert_int_equal(db_col_bytes(&st, 0), strlen(name));
    assert_true(db_col_is_null(&st, 1));
    assert_null(db_col_text(&st, 1));
    assert_string_equal(db_col_text(&st, 2), "province");
    assert_int_equal(db_col_count(&st), 3);
    assert_int_equal(db_step(&st), DB_DONE);
    db_finalize(&st);

    /* Lookup by a bound Chinese value, with an explicit length (no terminator needed). */
    assert_int_equal(db_prepare(f->db, &st, "SELECT id FROM region WHERE name = :name"), 0);
    char buf[sizeof name + 3];
    memcpy(buf, name, sizeof name - 1);
    memcpy(buf + sizeof name - 1, "xyz", 3);
    db_bind_textn(&st, ":name", buf, sizeof name - 1);
    assert_int_equal(db_step(&st), DB_ROW);
    assert_int_equal(db_col_int64(&st, 0), id);
    db_finalize(&st);
}

static void test_rollback_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    assert_false(db_in_transaction(f->db));
    assert_int_equal(db_begin(f->db), 0);
    assert_true(db_in_transaction(f->db));
    assert_true(insert_region(f->db, "320000", "江苏省", "province") > 0);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM region"), 1);
    assert_int_equal(db_rollback(f->db), 0);
    assert_false(db_in_transaction(f->db));
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM region"), 0);
    /* Rollback with nothing open is a no-op. */
    assert_int_equal(db_rollback(f->db), 0);

    assert_int_equal(db_begin(f->db), 0);
    assert_true(insert_region(f->db, "320000", "江苏省", "province") > 0);
    assert_int_equal(db_commit(f->db), 0);
    assert_false(db_in_transaction(f->db));
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM region"), 1);
}

static void test_constraints(void **state)
{
    struct fixture *f = *state;
    assert_true(insert_region(f->db, "210000", "辽宁省", "province") > 0);
    /* UNIQUE code, CHECK on the level enum, foreign key on parent_id. */
    assert_int_equal(insert_region(f->db, "210000", "辽宁省", "province"), DB_CONSTRAINT);
    assert_int_equal(insert_region(f->db, "210100", "沈阳市", "prefecture"), DB_CONSTRAINT);
    struct stmt st;
    assert_int_equal(db_prepare(f->db, &st,
                                "INSERT INTO region (code, name, level, parent_id)"
                                " VALUES ('210200', '大连市', 'city', :p)"),
                     0);
    db_bind_int64(&st, ":p", 999);
    assert_int_equal(db_step(&st), DB_CONSTRAINT);
    db_finalize(&st);

    /* Top-level pairings are unique by names; children by (parent, names). */
    static const char *const ins =
        "INSERT INTO pairing (parent_id, name_a, name_b, kind, created_at)"
        " VALUES (:parent, :a, :b, :kind, '2026-11-26T00:00:00.000Z')";
    int rc;
    assert_int_equal(db_prepare(f->db, &st, ins), 0);
    db_bind_null(&st, ":parent");
    db_bind_text(&st, ":a", "辽宁省");
    db_bind_text(&st, ":b", "江苏省");
    db_bind_text(&st, ":kind", "province");
    assert_int_equal(db_step(&st), DB_DONE);
    int64_t top = db_last_insert_id(f->db);
    db_reset(&st); /* same bindings again */
    assert_int_equal(db_step(&st), DB_CONSTRAINT);
    db_finalize(&st);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(db_prepare(f->db, &st, ins), 0);
        db_bind_int64(&st, ":parent", top);
        db_bind_text(&st, ":a", "盘锦市");
        db_bind_text(&st, ":b", "无锡市");
        db_bind_text(&st, ":kind", "city");
        rc = db_step(&st);
        db_finalize(&st);
        assert_int_equal(rc, i == 0 ? DB_DONE : DB_CONSTRAINT);
    }
}

static void test_statement_cache(void **state)
{
    struct fixture *f = *state;
    static const char *const sql = "SELECT :v";
    struct stmt a, b;
    /* The cached statement comes back clean: no rows pending, no old bindings. */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(db_prepare(f->db, &a, sql), 0);
        assert_int_equal(db_step(&a), DB_ROW);
        assert_true(db_col_is_null(&a, 0));
        db_reset(&a); /* bindings may change only between runs */
        db_bind_int64(&a, ":v", i);
        assert_int_equal(db_step(&a), DB_ROW);
        assert_int_equal(db_col_int64(&a, 0), i);
        db_finalize(&a);
    }
    /* The same SQL in use twice at once (a nested walk) gets two statements. */
    assert_int_equal(db_prepare(f->db, &a, sql), 0);
    assert_int_equal(db_prepare(f->db, &b, sql), 0);
    db_bind_int64(&a, ":v", 1);
    db_bind_int64(&b, ":v", 2);
    assert_int_equal(db_step(&a), DB_ROW);
    assert_int_equal(db_step(&b), DB_ROW);
    assert_int_equal(db_col_int64(&a, 0), 1);
    assert_int_equal(db_col_int64(&b, 0), 2);
    db_finalize(&b);
    db_finalize(&a);

    /* SQL from a buffer whose text changes is not served a stale statement. */
    char buf[32];
    strcpy(buf, "SELECT 1");
    assert_int_equal(tu_one_int(f->db, buf), 1);
    strcpy(buf, "SELECT 2");
    assert_int_equal(tu_one_int(f->db, buf), 2);

    /* Many distinct statements make the cache grow. */
    char many[200][24];
    for (int i = 0; i < 200; i++) {
        snprintf(many[i], sizeof many[i], "SELECT %d", i);
        assert_int_equal(tu_one_int(f->db, many[i]), i);
    }
    for (int i = 0; i < 200; i++)
        assert_int_equal(tu_one_int(f->db, many[i]), i);
}

static void test_errors(void **state)
{
    struct fixture *f = *state;
    struct stmt st;
    log_set_level(LOG_ERROR + 1); /* the failures below are expected; keep the output clean */
    /* Bad SQL, two statements, an unknown parameter: all errors, none a crash. */
    assert_true(db_prepare(f->db, &st, "SELEC 1") < 0);
    assert_true(db_step(&st) < 0);
    db_finalize(&st);
    assert_true(db_prepare(f->db, &st, "SELECT 1; SELECT 2") < 0);
    db_finalize(&st);
    assert_int_equal(db_prepare(f->db, &st, "SELECT :a"), 0);
    assert_true(db_bind_int64(&st, ":nope", 1) < 0);
    assert_true(db_step(&st) < 0); /* the bind error sticks */
    db_finalize(&st);
    assert_true(db_exec(f->db, "CREATE TABLE") < 0);
    assert_non_null(db_errmsg(f->db));
    log_set_level(LOG_INFO);

    /* A file that is not a database: a message for the user, without the path. */
    char path[160];
    snprintf(path, sizeof path, "%s/junk.db", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 100; i++)
        fputs("this is not a database file at all. ", fp);
    fclose(fp);
    struct db *db = NULL;
    char *err = NULL;
    log_set_level(LOG_ERROR + 1);
    assert_true(db_open(path, &db, &err) < 0);
    log_set_level(LOG_INFO);
    assert_null(db);
    assert_non_null(err);
    assert_null(strstr(err, f->dir));
    free(err);
}

/* The data version: unchanged while nothing is written (read twice: the second read is
 * answered from the WAL index header without PRAGMA data_version), moved by a write of this
 * process (local) and by a commit of another process (external). */
static void test_data_version(void **state)
{
    struct fixture *f = *state;
    struct db_version a, b, c;
    assert_int_equal(db_exec(f->db, "CREATE TABLE t (x)"), 0);
    assert_int_equal(db_version_read(f->db, &a), 0);
    assert_int_equal(db_version_read(f->db, &b), 0);
    assert_true(db_version_same(&a, &b));
    assert_int_equal(db_exec(f->db, "INSERT INTO t VALUES (1)"), 0);
    assert_int_equal(db_version_read(f->db, &b), 0);
    assert_false(db_version_same(&a, &b));
    assert_int_equal(db_version_read(f->db, &c), 0); /* and stays */
    assert_true(db_version_same(&b, &c));
    pid_t pid = fork();
    if (pid == 0) {
        struct db *other;
        int rc = db_open(f->path, &other, NULL) == 0 && db_exec(other, "INSERT INTO t VALUES (2)") == 0;
        _exit(rc ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(db_version_read(f->db, &c), 0);
    assert_int_equal(c.local, b.local);
    assert_int_not_equal(c.external, b.external);
    /* another connection of this process is another connection */
    struct db *other;
    assert_int_equal(db_open(f->path, &other, NULL), 0);
    assert_int_equal(db_version_read(other, &a), 0);
    assert_false(db_version_same(&a, &c));
    db_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connection_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chinese_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constraints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_version, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
