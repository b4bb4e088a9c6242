/* test_audit: the audit log is append-only and its hash chain catches edits and deletions
 * made behind the program's back; and what the plain chain cannot catch — someone with the
 * file who rewrites a row and recomputes every hash after it, or cuts the tail — the keyed
 * chain (HMAC-SHA256 or HMAC-SM3 under a key kept outside the file) and the anchors do. */
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

#include <sys/stat.h>

#include "core/hash.h"
#include "core/log.h"
#include "core/sb.h"
#include "store/audit.h"
#include "store/backup.h"
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
    if (tu_db_setup(f->dir, f->path, "audit", "test.db", &f->db) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    audit_use_key(NULL);
    audit_use_anchors(NULL);
    tu_db_teardown(f->dir, f->db);
    free(f);
    return 0;
}

/* Appends n rows, one transaction each, with a mix of NULL and non-NULL fields. */
static void append_rows(struct db *db, int n)
{
    for (int i = 0; i < n; i++) {
        char after[64];
        snprintf(after, sizeof after, "{\"name\":\"盘锦市\",\"n\":%d}", i);
        assert_int_equal(db_begin(db), 0);
        assert_int_equal(audit_append(db, "admin", i % 2 ? "update" : "create", "region",
                                      i % 3 ? i + 1 : 0, i % 2 ? "{\"old\":true}" : NULL, after,
                                      i % 4 ? "127.0.0.1" : NULL),
                         0);
        assert_int_equal(db_commit(db), 0);
    }
}

/* Runs SQL on a second, raw connection, as someone with the file and the sqlite3 shell would. */
static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    char *err = NULL;
    int r = sqlite3_exec(raw, sql, NULL, NULL, &err);
    if (r != SQLITE_OK)
        fprintf(stderr, "raw_exec: %s\n", err ? err : "?");
    sqlite3_free(err);
    sqlite3_close(raw);
    assert_int_equal(r, SQLITE_OK);
}

static void test_append_and_verify(void **state)
{
    struct fixture *f = *state;
    int64_t bad = -1, rows = -1;
    const char *why = "x";

    /* An empty log is intact. */
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 0);
    assert_int_equal(bad, 0);
    assert_int_equal(rows, 0);
    assert_null(why);

    append_rows(f->db, 10);
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 0);
    assert_int_equal(bad, 0);
    assert_int_equal(rows, 10);
    assert_null(why);

    /* The chain starts at 64 zeros and each row links to the one before it. */
    struct stmt st;
    assert_int_equal(db_prepare(f->db, &st,
                                "SELECT a.id, a.prev_hash, a.entity_id, a.before, a.client,"
                                " (SELECT b.hash FROM audit b WHERE b.id = a.id - 1)"
                                " FROM audit a ORDER BY a.id"),
                     0);
    int64_t expect = 1;
    while (db_step(&st) == DB_ROW) {
        assert_int_equal(db_col_int64(&st, 0), expect);
        if (expect == 1)
            assert_string_equal(db_col_text(&st, 1), "000000000000000000000000000000000000000"
                                                     "0000000000000000000000000");
        else
            assert_string_equal(db_col_text(&st, 1), db_col_text(&st, 5));
        int i = (int)expect - 1;
        assert_int_equal(db_col_is_null(&st, 2), i % 3 == 0); /* entity_id 0 stored as NULL */
        assert_int_equal(db_col_is_null(&st, 3), i % 2 == 0);
        assert_int_equal(db_col_is_null(&st, 4), i % 4 == 0);
        expect++;
    }
    db_finalize(&st);
    assert_int_equal(expect, 11);

    /* NULL outputs are allowed. */
    assert_int_equal(audit_verify(f->db, NULL, NULL, NULL), 0);
}

static void test_append_needs_transaction(void **state)
{
    struct fixture *f = *state;
    int64_t before = 0, after = 0;
    struct stmt st;
    assert_int_equal(db_prepare(f->db, &st, "SELECT count(*) FROM audit"), 0);
    assert_int_equal(db_step(&st), DB_ROW);
    before = db_col_int64(&st, 0);
    db_finalize(&st);
    assert_true(audit_append(f->db, "admin", "create", "region", 1, NULL, "{}", NULL) < 0);
    assert_int_equal(db_prepare(f->db, &st, "SELECT count(*) FROM audit"), 0);
    assert_int_equal(db_step(&st), DB_ROW);
    after = db_col_int64(&st, 0);
    db_finalize(&st);
    assert_int_equal(after, before); /* nothing written outside a transaction */
}

/* Before and after must be JSON objects: a doubled brace (once written by notice.c) or an
 * array is refused before it enters the chain. */
static void test_before_after_are_objects(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_begin(f->db), 0);
    assert_true(audit_append(f->db, "admin", "create", "notice", 1, NULL, "{{\"a\":1}}", NULL) < 0);
    assert_true(audit_append(f->db, "admin", "update", "notice", 1, "[1]", "{}", NULL) < 0);
    assert_true(audit_append(f->db, "admin", "update", "notice", 1, "{}", "\"x\"", NULL) < 0);
    assert_int_equal(audit_append(f->db, "admin", "update", "notice", 1, "{\"a\":1}",
                                  "{\"a\":2}", NULL), 0);
    assert_int_equal(db_commit(f->db), 0);
    int64_t rows = 0;
    assert_int_equal(audit_verify(f->db, NULL, &rows, NULL), 0);
    assert_int_equal(rows, 1);
}

static void test_rollback_drops_row(void **state)
{
    struct fixture *f = *state;
    append_rows(f->db, 2);
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(audit_append(f->db, "admin", "delete", "plan", 7, "{}", NULL, NULL), 0);
    assert_int_equal(db_rollback(f->db), 0);
    append_rows(f->db, 1);
    int64_t rows = 0;
    assert_int_equal(audit_verify(f->db, NULL, &rows, NULL), 0);
    assert_int_equal(rows, 3);
}

static void test_update_and_delete_refused(void **state)
{
    struct fixture *f = *state;
    append_rows(f->db, 3);
    log_set_level(LOG_ERROR + 1);
    assert_int_equal(db_exec(f->db, "UPDATE audit SET actor = 'mallory' WHERE id = 2"),
                     DB_CONSTRAINT);
    assert_non_null(strstr(db_errmsg(f->db), "append-only"));
    assert_int_equal(db_exec(f->db, "DELETE FROM audit WHERE id = 2"), DB_CONSTRAINT);
    assert_int_equal(db_exec(f->db, "DELETE FROM audit"), DB_CONSTRAINT);
    log_set_level(LOG_INFO);

    struct stmt st;
    assert_int_equal(db_prepare(f->db, &st, "UPDATE audit SET after = :a WHERE id = :id"), 0);
    db_bind_text(&st, ":a", "{}");
    db_bind_int64(&st, ":id", 3);
    assert_int_equal(db_step(&st), DB_CONSTRAINT);
    db_finalize(&st);

    assert_int_equal(audit_verify(f->db, NULL, NULL, NULL), 0);
}

static void test_tampered_row_named(void **state)
{
    struct fixture *f = *state;
    append_rows(f->db, 6);
    db_close(f->db);
    f->db = NULL;
    raw_exec(f->path, "DROP TRIGGER audit_no_update;"
                      "UPDATE audit SET after = '{\"name\":\"forged\"}' WHERE id = 4;");
    assert_int_equal(db_open(f->path, &f->db, NULL), 0);

    int64_t bad = 0, rows = 0;
    const char *why = NULL;
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 1);
    assert_int_equal(bad, 4);
    assert_int_equal(rows, 4);
    assert_non_null(why);
    assert_non_null(strstr(why, "hash"));

    /* Recomputing that row's hash by hand is not enough: the next row's link breaks. */
    raw_exec(f->path, "UPDATE audit SET hash = '"
                      "1111111111111111111111111111111111111111111111111111111111111111'"
                      " WHERE id = 4;");
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 1);
    assert_int_equal(bad, 4);

    /* The check command reports it. */
    struct sb report = SB_INIT;
    assert_true(db_check(f->db, &report) > 0);
    assert_non_null(strstr(sb_str(&report), "audit log: FAILED at row 4"));
    assert_non_null(strstr(sb_str(&report), "integrity: ok"));
    sb_free(&report);
}

static void test_field_boundaries_matter(void **state)
{
    struct fixture *f = *state;
    /* Moving text from one field to the next keeps the concatenation the same; the hash must
     * still change. */
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(audit_append(f->db, "ad", "mincreate", "region", 1, NULL, NULL, NULL), 0);
    assert_int_equal(db_commit(f->db), 0);
    db_close(f->db);
    f->db = NULL;
    raw_exec(f->path, "DROP TRIGGER audit_no_update;"
                      "UPDATE audit SET actor = 'admin', action = 'create' WHERE id = 1;");
    assert_int_equal(db_open(f->path, &f->db, NULL), 0);
    int64_t bad = 0;
    assert_int_equal(audit_verify(f->db, &bad, NULL, NULL), 1);
    assert_int_equal(bad, 1);

    /* NULL and "" differ too. */
    raw_exec(f->path, "UPDATE audit SET actor = 'ad', action = 'mincreate', before = ''"
                      " WHERE id = 1;");
    assert_int_equal(audit_verify(f->db, &bad, NULL, NULL), 1);
    raw_exec(f->path, "UPDATE audit SET before = NULL WHERE id = 1;");
    assert_int_equal(audit_verify(f->db, &bad, NULL, NULL), 0);
}

static void test_deleted_middle_row_is_a_gap(void **state)
{
    struct fixture *f = *state;
    append_rows(f->db, 5);
    db_close(f->db);
    f->db = NULL;
    raw_exec(f->path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 3;");
    assert_int_equal(db_open(f->path, &f->db, NULL), 0);

    int64_t bad = 0, rows = 0;
    const char *why = NULL;
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 1);
    assert_int_equal(bad, 4); /* the first row after the hole */
    assert_int_equal(rows, 3);
    assert_non_null(strstr(why, "gap"));
}

static void test_deleted_first_row(void **state)
{
    struct fixture *f = *state;
    append_rows(f->db, 3);
    db_close(f->db);
    f->db = NULL;
    raw_exec(f->path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 1;");
    assert_int_equal(db_open(f->path, &f->db, NULL), 0);
    int64_t bad = 0;
    assert_int_equal(audit_verify(f->db, &bad, NULL, NULL), 1);
    assert_int_equal(bad, 2);
}

static void test_renumbered_rows(void **state)
{
    struct fixture *f = *state;
    append_rows(f->db, 4);
    db_close(f->db);
    f->db = NULL;
    /* Deleting row 2 and shifting the rest down hides the gap, not the broken link. */
    raw_exec(f->path, "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_no_update;"
                      "DELETE FROM audit WHERE id = 2;"
                      "UPDATE audit SET id = id - 1 WHERE id > 2;");
    assert_int_equal(db_open(f->path, &f->db, NULL), 0);
    int64_t bad = 0;
    const char *why = NULL;
    assert_int_equal(audit_verify(f->db, &bad, NULL, &why), 1);
    assert_int_equal(bad, 2);
    assert_non_null(strstr(why, "prev_hash"));
}

/* ---- the keyed chain ---------------------------------------------------------------------- */

/* What an attacker with the file and the published encoding does (audit.c's header): row id
 * gets new content, and every hash from it on is recomputed, so the plain chain holds. */
static void field(struct sha256_ctx *c, const unsigned char *s)
{
    if (!s) {
        unsigned char z = 0;
        sha256_add(c, &z, 1);
        return;
    }
    uint64_t n = strlen((const char *)s);
    unsigned char head[9] = {1};
    for (int i = 0; i < 8; i++)
        head[1 + i] = (unsigned char)(n >> (56 - 8 * i));
    sha256_add(c, head, sizeof head);
    sha256_add(c, s, (size_t)n);
}

static void rewrite_and_rehash(const char *path, int64_t id, const char *new_after)
{
    raw_exec(path, "DROP TRIGGER audit_no_update");
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    sqlite3_stmt *up;
    sqlite3_prepare_v2(raw, "UPDATE audit SET after = ?1 WHERE id = ?2", -1, &up, NULL);
    sqlite3_bind_text(up, 1, new_after, -1, SQLITE_STATIC);
    sqlite3_bind_int64(up, 2, id);
    assert_int_equal(sqlite3_step(up), SQLITE_DONE);
    sqlite3_finalize(up);
    sqlite3_stmt *rd, *wr;
    sqlite3_prepare_v2(raw,
                       "SELECT id, at, actor, action, entity, entity_id, before, after, client "
                       "FROM audit WHERE id >= ?1 ORDER BY id",
                       -1, &rd, NULL);
    sqlite3_prepare_v2(raw, "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE id = ?3", -1, &wr,
                       NULL);
    sqlite3_bind_int64(rd, 1, id);
    char prev[SHA256_HEX_LEN + 1], hash[SHA256_HEX_LEN + 1];
    {
        sqlite3_stmt *p;
        sqlite3_prepare_v2(raw, "SELECT hash FROM audit WHERE id = ?1", -1, &p, NULL);
        sqlite3_bind_int64(p, 1, id - 1);
        assert_int_equal(sqlite3_step(p), SQLITE_ROW);
        snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(p, 0));
        sqlite3_finalize(p);
    }
    while (sqlite3_step(rd) == SQLITE_ROW) {
        static const char tag[] = "duikou.audit.v1";
        struct sha256_ctx c;
        sha256_begin(&c);
        sha256_add(&c, tag, sizeof tag);
        field(&c, (const unsigned char *)prev);
        field(&c, sqlite3_column_text(rd, 0)); /* the id, in decimal */
        for (int k = 1; k <= 8; k++)
            field(&c, sqlite3_column_type(rd, k) == SQLITE_NULL ? NULL
                                                                : sqlite3_column_text(rd, k));
        sha256_end_hex(&c, hash);
        sqlite3_bind_text(wr, 1, prev, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(wr, 2, hash, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(wr, 3, sqlite3_column_int64(rd, 0));
        assert_int_equal(sqlite3_step(wr), SQLITE_DONE);
        sqlite3_reset(wr);
        memcpy(prev, hash, sizeof prev);
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
    sqlite3_close(raw);
}

static void keyed_log(struct fixture *f, const char *alg, struct audit_key *k)
{
    char key[160], anchors[160];
    snprintf(key, sizeof key, "%s/audit-key", f->dir);
    snprintf(anchors, sizeof anchors, "%s/audit-anchors", f->dir);
    append_rows(f->db, 3); /* rows before the key: covered by the first MAC */
    audit_use_anchors(anchors);
    const char *why = NULL;
    if (audit_key_create(f->db, key, alg, "cli:test", k, &why) != 0)
        fail_msg("audit_key_create: %s", why);
    assert_int_equal(k->from, 4);
    struct stat sb;
    assert_int_equal(stat(key, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(audit_is_keyed(f->db), 1);
}

static void rewritten_row_found_by_mac(struct fixture *f, const char *alg)
{
    struct audit_key k;
    keyed_log(f, alg, &k);
    append_rows(f->db, 400);
    int64_t bad = 0, rows = 0;
    const char *why = NULL;
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 0);
    rewrite_and_rehash(f->path, 350, "{\"name\":\"伪造\"}");
    /* without the key the recomputed chain holds: what the security test found */
    audit_use_key(NULL);
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 0);
    /* with it, the row is named */
    audit_use_key(&k);
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 1);
    assert_int_equal(bad, 350);
    assert_non_null(strstr(why, "MAC does not match"));
}

static void test_keyed_sha256_finds_a_rewritten_row(void **state)
{
    rewritten_row_found_by_mac(*state, "hmac-sha256");
}

static void test_keyed_sm3_finds_a_rewritten_row(void **state)
{
    rewritten_row_found_by_mac(*state, "hmac-sm3");
}

/* The last 20 rows deleted: the chain that is left is whole, but the anchor names what was
 * there. */
static void test_anchors_find_a_cut_tail(void **state)
{
    struct fixture *f = *state;
    struct audit_key k;
    keyed_log(f, "hmac-sha256", &k);
    append_rows(f->db, 100);
    assert_int_equal(audit_anchor(f->db), 0);
    assert_int_equal(audit_anchor(f->db), 0); /* the head has not moved: no second line */
    int64_t bad = 0, rows = 0;
    const char *why = NULL;
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 0);
    raw_exec(f->path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id > 84");
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 1);
    assert_non_null(strstr(why, "names row 104"));
    assert_non_null(strstr(why, "ends at row 84"));
    /* found with the anchors alone, too */
    audit_use_key(NULL);
    assert_int_equal(audit_verify(f->db, &bad, &rows, &why), 1);
    assert_non_null(strstr(why, "cut short"));
}

/* A keyed log refuses a row without its MAC; its key file is its owner's only; a second key,
 * or a key for a broken chain, is refused. */
static void test_key_rules(void **state)
{
    struct fixture *f = *state;
    struct audit_key k, again;
    keyed_log(f, "hmac-sm3", &k);
    char path[160];
    snprintf(path, sizeof path, "%s/audit-key", f->dir);
    const char *why = NULL;
    assert_int_equal(audit_key_read(path, &again, &why), 0);
    assert_string_equal(again.alg, "hmac-sm3");
    assert_int_equal(again.from, 4);
    assert_memory_equal(again.key, k.key, sizeof k.key);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(audit_key_read(path, &again, &why), -1);
    assert_non_null(strstr(why, "others"));
    assert_int_equal(audit_key_create(f->db, path, "hmac-sha256", "cli:test", &again, &why), -1);
    audit_use_key(NULL);
    assert_int_equal(db_begin(f->db), 0);
    assert_true(audit_append(f->db, "admin", "create", "region", 1, NULL, "{}", NULL) < 0);
    db_rollback(f->db);
    char other[160];
    snprintf(other, sizeof other, "%s/other-key", f->dir);
    assert_int_equal(audit_key_create(f->db, other, "hmac-md5", "cli:test", &again, &why), -1);
    assert_int_equal(access(other, F_OK), -1); /* nothing left behind */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append_and_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_needs_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_before_after_are_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_drops_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_and_delete_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_row_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_boundaries_matter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_middle_row_is_a_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_first_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_renumbered_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyed_sha256_finds_a_rewritten_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyed_sm3_finds_a_rewritten_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchors_find_a_cut_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_rules, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
