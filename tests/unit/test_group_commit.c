/* test_group_commit: the store's side of group commit and of the response cache — the write
 * counter moves after every commit and every write outside a transaction, never after a read;
 * a connection in group-commit mode runs synchronous=NORMAL and db_sync_wal syncs its WAL;
 * db_data_version sees this process's writes and another connection's commits. */
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
    if (tu_db_setup(f->dir, f->path, "gc", "test.db", &f->db) != 0)
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

static int insert_region(struct db *db, const char *code)
{
    struct stmt st;
    db_prepare(db, &st, "INSERT INTO region (code, name, level) VALUES (:c, :c, 'province')");
    db_bind_text(&st, ":c", code);
    int rc = db_step(&st);
    db_finalize(&st);
    return rc;
}

static void test_counter_moves_on_writes_only(void **state)
{
    struct fixture *f = *state;
    uint64_t c0 = db_write_count();
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM region"), 0);
    assert_int_equal(db_write_count(), c0); /* a read is no write */

    assert_int_equal(insert_region(f->db, "X1"), DB_DONE); /* outside a transaction */
    uint64_t c1 = db_last_write(f->db);
    assert_true(c1 > c0);
    assert_true(db_write_count() >= c1);

    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(insert_region(f->db, "X2"), DB_DONE);
    assert_int_equal(db_last_write(f->db), c1); /* not before the commit */
    assert_int_equal(db_commit(f->db), 0);
    assert_true(db_last_write(f->db) > c1);

    uint64_t c2 = db_last_write(f->db);
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(insert_region(f->db, "X3"), DB_DONE);
    assert_int_equal(db_rollback(f->db), 0);
    assert_int_equal(db_last_write(f->db), c2); /* a rollback wrote nothing */
}

static void test_group_commit_mode_and_sync(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_group_commit(f->db), 0);
    assert_int_equal(tu_one_int(f->db, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(insert_region(f->db, "Y1"), DB_DONE);
    assert_int_equal(db_sync_wal(f->path), 0);
    /* A WAL that is not there after a counted write is a failure, never "nothing to sync"
     * (the server keeps it open while it runs). */
    char missing[160];
    snprintf(missing, sizeof missing, "%s/none.db", f->dir);
    assert_int_equal(db_sync_wal(missing), DB_IOERR);
    /* A symbolic link to the database: SQLite writes the WAL beside the real file, and that
     * is the one synced. */
    char link[160];
    snprintf(link, sizeof link, "%s/link.db", f->dir);
    assert_int_equal(symlink(f->path, link), 0);
    assert_int_equal(db_sync_wal(link), 0);
    unlink(link);
}

/* The heal after a failed sync (http/durable.c): the WAL's frames go into the database file
 * and the WAL is emptied; another connection's open read keeps it from finishing. */
static void test_checkpoint(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_group_commit(f->db), 0);
    for (int i = 0; i < 20; i++) {
        char name[16];
        snprintf(name, sizeof name, "C%d", i);
        assert_int_equal(insert_region(f->db, name), DB_DONE);
    }
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    struct stat st;
    assert_int_equal(stat(wal, &st), 0);
    assert_true(st.st_size > 0);

    struct db *reader;
    assert_int_equal(db_open(f->path, &reader, NULL), 0);
    assert_int_equal(db_exec(reader, "BEGIN"), 0);
    assert_int_equal(tu_one_int(reader, "SELECT count(*) FROM region WHERE code LIKE 'C%'"), 20);
    assert_int_equal(insert_region(f->db, "C20"), DB_DONE); /* the reader's snapshot is old */
    assert_int_equal(db_exec(f->db, "PRAGMA busy_timeout = 50"), 0);
    assert_int_equal(db_checkpoint(f->db), DB_BUSY);
    assert_int_equal(db_exec(reader, "COMMIT"), 0);
    db_close(reader);

    assert_int_equal(db_checkpoint(f->db), 0);
    assert_int_equal(stat(wal, &st), 0);
    assert_int_equal(st.st_size, 0);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM region WHERE code LIKE 'C%'"), 21);
}

static void test_data_version(void **state)
{
    struct fixture *f = *state;
    uint64_t l0, l1;
    int64_t e0, e1;
    assert_int_equal(db_data_version(f->db, &l0, &e0), 0);
    assert_int_equal(db_data_version(f->db, &l1, &e1), 0);
    assert_true(l1 == l0 && e1 == e0); /* asking is no write */

    assert_int_equal(insert_region(f->db, "Z1"), DB_DONE);
    assert_int_equal(db_data_version(f->db, &l1, &e1), 0);
    assert_true(l1 > l0);

    /* Another connection's commit shows in PRAGMA data_version of this one. */
    struct db *other;
    assert_int_equal(db_open(f->path, &other, NULL), 0);
    assert_int_equal(db_data_version(f->db, &l0, &e0), 0);
    assert_int_equal(insert_region(other, "Z2"), DB_DONE);
    assert_int_equal(db_data_version(f->db, &l1, &e1), 0);
    assert_true(e1 != e0);
    db_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counter_moves_on_writes_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit_mode_and_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_version, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
