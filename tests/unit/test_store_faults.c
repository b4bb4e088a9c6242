/* test_store_faults: what the store does when its storage fails, through the fault-injecting
 * VFS (store/fault_vfs.c): a full disk and an I/O error fail the statement with DB_FULL or
 * DB_IOERR, the connection remembers the fault once (db_fault_take), the transaction is rolled
 * back, and the same cached statements work again once the fault is gone; and under a
 * simulated power loss ("powerloss"), what a sync wrote survives a cut and what it did not
 * is gone, and an audit anchor never outlives the row it names. Skipped in a build without
 * fault injection. */
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

#include "store/audit.h"
#include "store/db.h"

#include "test_util.h"

#ifdef DUIKOU_FAULT_INJECTION
struct fixture {
    char dir[64];
    char path[128];
    struct db *db;
};

/* The control file: read from DUIKOU_FAULTS once per process, at the first db_open, so one
 * for the whole group. */
static char ctl_dir[64];
static char ctl[128];

static void inject(struct fixture *f, const char *what)
{
    (void)f;
    FILE *fp = fopen(ctl, "w");
    assert_non_null(fp);
    fprintf(fp, "%s\n", what);
    fclose(fp);
}

static int group_setup(void **state)
{
    snprintf(ctl_dir, sizeof ctl_dir, "/tmp/duikou-faultctl-XXXXXX");
    if (!mkdtemp(ctl_dir))
        return -1;
    snprintf(ctl, sizeof ctl, "%s/control", ctl_dir);
    inject(NULL, "none");
    setenv("DUIKOU_FAULTS", ctl, 1);
    return 0;
}

static int group_teardown(void **state)
{
    unlink(ctl);
    rmdir(ctl_dir);
    return 0;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/duikou-faults-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    inject(f, "none");
    snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
    if (db_open(f->path, &f->db, NULL) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    inject(f, "none");
    tu_db_teardown(f->dir, f->db);
    free(f);
    return 0;
}

static const char *const insert_sql = "INSERT INTO notes (body) VALUES (:b)";
static const char *const count_sql = "SELECT count(*) FROM notes";

/* One insert in its own transaction, through the cached statement. */
static int insert(struct db *db, const char *body)
{
    struct stmt st;
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    rc = db_prepare(db, &st, insert_sql);
    if (rc == 0) {
        db_bind_text(&st, ":b", body);
        rc = db_step(&st);
    }
    db_finalize(&st);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

static void test_full_disk(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"), 0);
    assert_int_equal(insert(f->db, "before"), 0);
    assert_int_equal(db_fault_take(f->db), DB_FAULT_NONE);

    inject(f, "full");
    assert_int_equal(insert(f->db, "lost"), DB_FULL);
    assert_false(db_in_transaction(f->db));
    assert_int_equal(db_fault_take(f->db), DB_FAULT_FULL);
    assert_int_equal(db_fault_take(f->db), DB_FAULT_NONE); /* reported once */
    /* Reads still work on the same connection and see only what was committed. */
    assert_int_equal(tu_one_int(f->db, count_sql), 1);

    inject(f, "none");
    assert_int_equal(insert(f->db, "after"), 0);
    assert_int_equal(tu_one_int(f->db, count_sql), 2);
    assert_int_equal(db_fault_take(f->db), DB_FAULT_NONE);
    struct stmt st;
    assert_int_equal(db_prepare(f->db, &st, "PRAGMA integrity_check"), 0);
    assert_int_equal(db_step(&st), DB_ROW);
    assert_string_equal(db_col_text(&st, 0), "ok");
    db_finalize(&st);
}

static void test_io_error(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"), 0);
    assert_int_equal(insert(f->db, "before"), 0);
    inject(f, "ioerr-write");
    assert_int_equal(insert(f->db, "lost"), DB_IOERR);
    assert_false(db_in_transaction(f->db));
    assert_int_equal(db_fault_take(f->db), DB_FAULT_IO);
    inject(f, "none");
    /* The server reopens after an I/O fault; the store must also survive without that. */
    assert_int_equal(insert(f->db, "after"), 0);
    assert_int_equal(tu_one_int(f->db, count_sql), 2);
}

/* Runs child() in a forked process that the power cut ends; returns its exit status (86 for
 * a cut: fault_vfs.c PL_EXIT). The parent has no connection open across the fork. */
static int in_child(struct fixture *f, void (*child)(struct fixture *))
{
    db_close(f->db);
    f->db = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        child(f);
        _exit(1); /* no cut came */
    }
    int status = 0;
    waitpid(pid, &status, 0);
    inject(f, "none");
    assert_int_equal(db_open(f->path, &f->db, NULL), 0); /* the normal path: WAL recovery */
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Commits "synced" and syncs it, commits "held" without a sync (group commit), reads both
 * back (reads see what is held), then cuts at the next sync. */
static void synced_then_held(struct fixture *f)
{
    struct db *db;
    inject(f, "powerloss");
    struct stmt st;
    if (db_open(f->path, &db, NULL) != 0 || db_group_commit(db) != 0 ||
        insert(db, "synced") != 0 || db_sync_wal(f->path) != 0 || insert(db, "held") != 0 ||
        db_prepare(db, &st, count_sql) != 0 || db_step(&st) != DB_ROW || db_col_int64(&st, 0) != 2)
        _exit(2); /* no cmocka assert in the child: its failure would run the rest here */
    db_finalize(&st);
    inject(f, "powerloss sync 1 7"); /* seed 7: the cut loses all that is held */
    db_sync_wal(f->path);
}

static void test_power_cut(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"), 0);
    assert_int_equal(in_child(f, synced_then_held), 86);
    assert_int_equal(tu_one_int(f->db, count_sql), 1);
    assert_int_equal(tu_one_int(f->db, "SELECT count(*) FROM notes WHERE body = 'synced'"), 1);
    struct stmt st;
    assert_int_equal(db_prepare(f->db, &st, "PRAGMA integrity_check"), 0);
    assert_int_equal(db_step(&st), DB_ROW);
    assert_string_equal(db_col_text(&st, 0), "ok");
    db_finalize(&st);
}

/* A keyed log's row committed by a group-commit connection, not yet synced, then anchored;
 * the power goes at the next sync. */
static void anchor_then_cut(struct fixture *f)
{
    struct db *db;
    inject(f, "powerloss");
    if (db_open(f->path, &db, NULL) != 0 || db_group_commit(db) != 0 || db_begin(db) != 0 ||
        audit_append(db, "test", "create", "region", 1, NULL, "{}", NULL) != 0 ||
        db_commit(db) != 0)
        _exit(2);
    inject(f, "powerloss sync 1 7 lie");
    audit_anchor(db);
    db_sync_wal(f->path);
}

static void test_anchor_outlives_no_row(void **state)
{
    struct fixture *f = *state;
    char key[160], anchors[160];
    snprintf(key, sizeof key, "%s/audit-key", f->dir);
    snprintf(anchors, sizeof anchors, "%s/anchors", f->dir);
    struct audit_key k;
    const char *why = NULL;
    assert_int_equal(audit_key_create(f->db, key, "hmac-sha256", "test", &k, &why), 0);
    audit_use_anchors(anchors);
    assert_int_equal(in_child(f, anchor_then_cut), 86);
    int64_t bad = 0;
    const char *reason = NULL;
    int rc = audit_verify(f->db, &bad, NULL, &reason);
    audit_use_anchors(NULL);
    audit_use_key(NULL);
    unlink(key);
    unlink(anchors);
    assert_int_equal(rc, 0); /* not "the log was cut short" */
}

#endif

int main(void)
{
#ifndef DUIKOU_FAULT_INJECTION
    printf("test_store_faults: skipped, no fault injection in this build\n");
    return 0;
#else
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_io_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_power_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchor_outlives_no_row, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
#endif
}
