/* test_audit_archive: audit retention (issue #10, 等保三级). Rows younger than six months (at
 * least 180 days) never leave the log, not even through the sqlite3 shell; older ones leave
 * only into an archive file that verifies on its own and joins the live chain, which then
 * verifies from the archive's boundary; a tampered or cut archive (at either end, too), and a
 * forged archive record, are named. */
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

#include "core/clock.h"
#include "store/audit.h"
#include "store/db.h"

#include "test_util.h"

static const int64_t DAY = 86400000;

struct fixture {
    char dir[64];
    char path[128];
    char file[160];
    struct db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (tu_db_setup(f->dir, f->path, "audit-archive", "test.db", &f->db) != 0)
        return -1;
    snprintf(f->file, sizeof f->file, "%s/archive.jsonl", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    clock_set_offset(0);
    audit_use_key(NULL);
    audit_use_anchors(NULL);
    tu_db_teardown(f->dir, f->db);
    free(f);
    return 0;
}

/* n rows written days_ago days ago (the program's clock moved back; SQLite's is not). */
static void rows_at(struct db *db, int n, int days_ago)
{
    clock_set_offset(-(int64_t)days_ago * DAY);
    for (int i = 0; i < n; i++) {
        char after[64];
        snprintf(after, sizeof after, "{\"n\":%d,\"name\":\"盘锦市\"}", i);
        assert_int_equal(db_begin(db), 0);
        assert_int_equal(audit_append(db, "admin", "update", "region", i % 3 ? i + 1 : 0,
                                      i % 2 ? "{\"old\":true}" : NULL, after,
                                      i % 4 ? "127.0.0.1" : NULL),
                         0);
        assert_int_equal(db_commit(db), 0);
    }
    clock_set_offset(0);
}

/* SQL through a second, raw connection, as the sqlite3 shell would run it: SQLITE_OK or not. */
static int raw_exec(const char *path, const char *sql, char *msg, size_t n)
{
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    char *err = NULL;
    int r = sqlite3_exec(raw, sql, NULL, NULL, &err);
    if (msg)
        snprintf(msg, n, "%s", err ? err : "");
    sqlite3_free(err);
    sqlite3_close(raw);
    return r;
}

static int64_t count(struct db *db, const char *sql)
{
    return tu_one_int(db, sql);
}

/* Keys the log the way init does: rows before the key, then the key's row (row 6). */
static void keyed(struct fixture *f, struct audit_key *k)
{
    char key[160], anchors[160];
    snprintf(key, sizeof key, "%s/audit-key", f->dir);
    snprintf(anchors, sizeof anchors, "%s/audit-anchors", f->dir);
    audit_use_anchors(anchors);
    rows_at(f->db, 5, 400);
    clock_set_offset(-400 * DAY);
    const char *why = NULL;
    if (audit_key_create(f->db, key, "hmac-sha256", "cli:test", k, &why) != 0)
        fail_msg("audit_key_create: %s", why);
    clock_set_offset(0);
}

/* Young rows, and old rows no archive covers, are refused by the table itself. */
static void test_delete_refused_unless_archived_and_old(void **state)
{
    struct fixture *f = *state;
    rows_at(f->db, 4, 300); /* 1-4: old */
    rows_at(f->db, 4, 10);  /* 5-8: young */
    char msg[256];
    assert_int_not_equal(raw_exec(f->path, "DELETE FROM audit WHERE id = 1", msg, sizeof msg),
                         SQLITE_OK);
    assert_non_null(strstr(msg, "only archived rows older than six months (at least 180 days)"));
    /* a record must be whole: its row count is its id range's */
    assert_int_not_equal(raw_exec(f->path,
                                  "INSERT INTO audit_archive (first_id, last_id, rows, last_hash,"
                                  " file_sha256, created_at) SELECT 1, 4, 9, hash, hash, at FROM"
                                  " audit WHERE id = 4",
                                  NULL, 0),
                         SQLITE_OK);
    /* a record forged in the shell, exactly as archive writes one, but that no audit.archive
     * row names: the old rows it covers stay, the young ones all the more */
    assert_int_equal(raw_exec(f->path,
                              "INSERT INTO audit_archive (first_id, last_id, rows, last_hash,"
                              " last_mac, file_sha256, created_at) SELECT 1, 4, 4, hash, mac,"
                              " hash, at FROM audit WHERE id = 4",
                              NULL, 0),
                     SQLITE_OK);
    assert_int_not_equal(raw_exec(f->path,
                                  "DELETE FROM audit_scope WHERE audit_id <= 4;"
                                  "DELETE FROM audit WHERE id <= 4",
                                  msg, sizeof msg),
                         SQLITE_OK);
    assert_non_null(strstr(msg, "append-only"));
    assert_int_not_equal(raw_exec(f->path, "DELETE FROM audit WHERE id = 6", NULL, 0), SQLITE_OK);
    assert_int_equal(count(f->db, "SELECT count(*) FROM audit"), 8);
    /* and the records themselves never change */
    assert_int_not_equal(raw_exec(f->path, "DELETE FROM audit_archive", NULL, 0), SQLITE_OK);
    assert_int_not_equal(raw_exec(f->path, "UPDATE audit_archive SET last_id = 2", NULL, 0),
                         SQLITE_OK);
    /* whoever can write the file can drop the trigger: the live chain then names the record */
    assert_int_equal(raw_exec(f->path,
                              "DROP TRIGGER audit_no_delete;"
                              "DELETE FROM audit_scope WHERE audit_id <= 4;"
                              "DELETE FROM audit WHERE id <= 4",
                              NULL, 0),
                     SQLITE_OK);
    int64_t bad = 0;
    const char *why = NULL;
    assert_int_equal(audit_verify(f->db, &bad, NULL, &why), 1);
    assert_int_equal(bad, 5);
    assert_non_null(strstr(why, "vouched for by no audit.archive row"));
    assert_non_null(strstr(why, "forged"));
}

/* Six calendar months, not 180 days: they differ by up to four days (here, 2027-08-31, six
 * months back is 2027-02-28, 180 days back 2027-03-04). */
static void test_retention_is_six_months(void **state)
{
    struct fixture *f = *state;
    int64_t aug31 = clock_days_from_civil(2027, 8, 31), noon = 4 * 3600000;
    assert_int_equal(audit_retention_day(aug31), clock_days_from_civil(2027, 2, 28));
    assert_int_equal(audit_retention_day(clock_days_from_civil(2028, 8, 30)),
                     clock_days_from_civil(2028, 2, 29));
    assert_int_equal(audit_retention_day(clock_days_from_civil(2027, 3, 31)),
                     clock_days_from_civil(2026, 9, 30));
    assert_int_equal(audit_retention_day(clock_days_from_civil(2027, 1, 15)),
                     clock_days_from_civil(2026, 7, 15));
    assert_int_equal(audit_retention_limit_ms(aug31 * DAY + noon),
                     clock_days_from_civil(2027, 2, 28) * DAY + noon);
    rows_at(f->db, 6, 400);
    clock_set_offset(aug31 * DAY + noon - clock_now_ms());
    struct audit_archive_info a;
    const char *why = NULL;
    assert_int_equal(audit_archive(f->db, (aug31 - 181) * DAY, f->file, "cli:test", &a, &why), -1);
    assert_non_null(strstr(why, "six months (at least 180 days)"));
    assert_non_null(strstr(why, "2027-02-28T04:00:00.000Z"));
    clock_set_offset(0);
    assert_int_equal(access(f->file, F_OK), -1);
    assert_int_equal(count(f->db, "SELECT count(*) FROM audit"), 6);
}

static void test_archive_refused_within_retention(void **state)
{
    struct fixture *f = *state;
    rows_at(f->db, 6, 200);
    struct audit_archive_info a;
    const char *why = NULL;
    assert_int_equal(
        audit_archive(f->db, clock_now_ms() - 179 * DAY, f->file, "cli:test", &a, &why), -1);
    assert_non_null(strstr(why, "six months (at least 180 days)"));
    assert_int_equal(access(f->file, F_OK), -1);
    assert_int_equal(count(f->db, "SELECT count(*) FROM audit"), 6);
    /* nothing older than the date given: nothing to archive, no file */
    assert_int_equal(
        audit_archive(f->db, clock_now_ms() - 250 * DAY, f->file, "cli:test", &a, &why), -1);
    assert_non_null(strstr(why, "left to archive"));
    assert_int_equal(access(f->file, F_OK), -1);
}

/* A keyed log: the key's own row goes into the archive, the chain and its MACs go on. */
static void test_archive_and_verify(void **state)
{
    struct fixture *f = *state;
    struct audit_key k;
    keyed(f, &k);            /* rows 1-6, 400 days ago */
    rows_at(f->db, 10, 300); /* 7-16 */
    clock_set_offset(-300 * DAY);
    assert_int_equal(audit_anchor(f->db), 0); /* an anchor on row 16 */
    clock_set_offset(0);
    rows_at(f->db, 5, 30); /* 17-21: young */
    assert_int_equal(audit_anchor(f->db), 0);

    struct audit_archive_info a;
    const char *why = NULL;
    if (audit_archive(f->db, clock_now_ms() - 200 * DAY, f->file, "cli:test", &a, &why) != 0)
        fail_msg("audit_archive: %s", why);
    assert_int_equal(a.first_id, 1);
    assert_int_equal(a.last_id, 16);
    assert_int_equal(a.rows, 16);
    assert_int_equal(a.anchors, 1);
    assert_int_equal(count(f->db, "SELECT min(id) FROM audit"), 17);
    assert_int_equal(count(f->db, "SELECT count(*) FROM audit_archive"), 1);
    assert_int_equal(count(f->db, "SELECT count(*) FROM audit WHERE action = 'audit.archive'"
                                  " AND json_extract(after, '$.rows') = 16"),
                     1);
    assert_int_equal(audit_archived_through(f->db), 16);

    /* the live log verifies from the boundary, anchors included; so does the file */
    int64_t bad = 0, rows = 0;
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 0);
    assert_int_equal(rows, 6); /* 17-21 and the archive's own row */
    struct audit_archive_info v;
    assert_int_equal(audit_verify_archive(f->file, f->db, &v, &bad, &why), 0);
    assert_true(v.joined);
    assert_string_equal(v.sha256, a.sha256);
    assert_int_equal(audit_verify_archive(f->file, NULL, &v, &bad, &why), 0);

    /* the key still fits (its row is archived) and the chain goes on */
    assert_int_equal(audit_key_fits(f->db, &k), 1);
    rows_at(f->db, 3, 0);
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 0);
    /* a second archive is refused while the rows left are young */
    char second[200];
    snprintf(second, sizeof second, "%s/second.jsonl", f->dir);
    assert_int_equal(audit_archive(f->db, clock_now_ms() - 200 * DAY, second, "cli:test", &v, &why),
                     -1);
    /* the same file is never overwritten */
    assert_int_equal(
        audit_archive(f->db, clock_now_ms() - 200 * DAY, f->file, "cli:test", &v, &why), -1);
    assert_non_null(strstr(why, "never overwritten"));

    /* without the key the file is checked as far as it can be */
    audit_use_key(NULL);
    assert_int_equal(audit_verify_archive(f->file, f->db, &v, &bad, &why), 0);
}

/* Rewrites line n (1-based) of path with the first occurrence of from replaced by to, or
 * drops it when to is NULL, into out. */
static void edit_line(const char *path, const char *out, int n, const char *from, const char *to)
{
    FILE *in = fopen(path, "r"), *o = fopen(out, "w");
    assert_non_null(in);
    assert_non_null(o);
    char line[8192];
    for (int i = 1; fgets(line, sizeof line, in); i++) {
        if (i != n) {
            fputs(line, o);
            continue;
        }
        if (!to)
            continue;
        char *p = strstr(line, from);
        assert_non_null(p);
        fwrite(line, 1, (size_t)(p - line), o);
        fputs(to, o);
        fputs(p + strlen(from), o);
    }
    fclose(in);
    fclose(o);
}

static void test_tampered_archive_named(void **state)
{
    struct fixture *f = *state;
    struct audit_key k;
    keyed(f, &k);
    rows_at(f->db, 6, 300); /* 7-12 */
    rows_at(f->db, 2, 1);
    struct audit_archive_info a, v;
    const char *why = NULL;
    int64_t bad = 0;
    if (audit_archive(f->db, clock_now_ms() - 200 * DAY, f->file, "cli:test", &a, &why) != 0)
        fail_msg("audit_archive: %s", why);
    char t[200];
    snprintf(t, sizeof t, "%s/t.jsonl", f->dir);

    /* a row's content changed (line 1 is the header, row n is line n + 1 before the anchors) */
    edit_line(f->file, t, 5, "\"actor\":\"admin\"", "\"actor\":\"eve\"");
    assert_int_equal(audit_verify_archive(t, NULL, &v, &bad, &why), 1);
    assert_int_equal(bad, 4);
    assert_non_null(strstr(why, "hash does not match"));
    /* a row left out */
    edit_line(f->file, t, 9, "", NULL);
    assert_int_equal(audit_verify_archive(t, NULL, &v, &bad, &why), 1);
    assert_int_equal(bad, 9);
    assert_non_null(strstr(why, "gap"));
    /* cut short: no trailer */
    edit_line(f->file, t, 14, "", NULL);
    assert_int_equal(audit_verify_archive(t, NULL, &v, &bad, &why), 1);
    assert_non_null(strstr(why, "cut short"));
    /* the trailer's MAC changed, or dropped: found with the key */
    edit_line(f->file, t, 14, "\"file_mac\":\"", "\"file_mac\":\"0");
    assert_int_equal(audit_verify_archive(t, NULL, &v, &bad, &why), 1);
    assert_non_null(strstr(why, "trailer's MAC does not match"));
    edit_line(f->file, t, 14, "\"file_mac\":\"", "\"file_mac\":null,\"was\":\"");
    assert_int_equal(audit_verify_archive(t, NULL, &v, &bad, &why), 1);
    assert_non_null(strstr(why, "trailer has no MAC"));
    /* a MAC changed: found with the key only */
    edit_line(f->file, t, 9, "\"mac\":\"", "\"mac\":\"0");
    assert_int_equal(audit_verify_archive(t, NULL, &v, &bad, &why), 1);
    assert_int_equal(bad, 8);
    assert_non_null(strstr(why, "MAC does not match"));
    audit_use_key(NULL);
    assert_int_equal(audit_verify_archive(t, NULL, &v, &bad, &why), 0);
    audit_use_key(&k);
    /* not an archive at all */
    edit_line(f->file, t, 1, "duikou-audit-archive", "something-else");
    assert_int_equal(audit_verify_archive(t, NULL, &v, &bad, &why), 1);
    assert_non_null(strstr(why, "not a Duikou audit archive"));
    /* the whole file intact, and an archive of another log does not join this one */
    assert_int_equal(audit_verify_archive(f->file, f->db, &v, &bad, &why), 0);
    struct db *other = NULL;
    char other_path[200];
    snprintf(other_path, sizeof other_path, "%s/other.db", f->dir);
    assert_int_equal(db_open(other_path, &other, NULL), 0);
    audit_use_key(NULL);
    rows_at(other, 20, 1);
    assert_int_equal(audit_verify_archive(f->file, other, &v, &bad, &why), 1);
    assert_non_null(strstr(why, "differs from the archive's"));
    db_close(other);
}

/* A log made before keys: the archive has no MACs, and the chain goes on from it. */
static void test_unkeyed_archive(void **state)
{
    struct fixture *f = *state;
    rows_at(f->db, 7, 365);
    rows_at(f->db, 2, 5);
    struct audit_archive_info a, v;
    const char *why = NULL;
    int64_t bad = 0, rows = 0;
    if (audit_archive(f->db, clock_now_ms() - 200 * DAY, f->file, "cli:test", &a, &why) != 0)
        fail_msg("audit_archive: %s", why);
    assert_int_equal(a.last_id, 7);
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 0);
    assert_int_equal(rows, 3);
    assert_int_equal(audit_verify_archive(f->file, f->db, &v, &bad, &why), 0);
    /* a hand-made DELETE of a young row after the boundary is still refused */
    assert_int_not_equal(raw_exec(f->path, "DELETE FROM audit WHERE id = 8", NULL, 0), SQLITE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_delete_refused_unless_archived_and_old, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_retention_is_six_months, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archive_refused_within_retention, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archive_and_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_archive_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unkeyed_archive, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
