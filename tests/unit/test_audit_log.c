/* test_audit_log: reading the audit log back — the times ?since= and ?until= accept, keyset
 * pages that together are the whole log once, action prefixes, actor shorthand, and who may
 * read it (admins everything with addresses; leaders their pairing without; others nothing),
 * kinds of action and sign-ins left out, a person by login with wildcards taken literally.
 * The API test (tests/api/accounts.test.mjs) covers the same over HTTP with real writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/mem.h"
#include "service/audit_log.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

#include "test_util.h"

struct fixture {
    char dir[64], path[128];
    struct db *db;
    struct arena arena;
    struct ctx ctx;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (tu_db_setup(f->dir, f->path, "auditlog", "test.db", &f->db) != 0)
        return -1;
    arena_init(&f->arena);
    f->ctx = (struct ctx){.db = f->db, .arena = &f->arena, .actor = "cli:test"};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tu_db_teardown(f->dir, f->db);
    arena_free(&f->arena);
    free(f);
    return 0;
}

static void test_times(void **state)
{
    struct fixture *f = *state;
    struct ctx *c = &f->ctx;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"2026-11-26", "2026-11-26T00:00:00.000Z"},
        {"2026-11-26T08:30", "2026-11-26T08:30:00.000Z"},
        {"2026-11-26T08:30:05Z", "2026-11-26T08:30:05.000Z"},
        {"2026-11-26T08:30:05.1Z", "2026-11-26T08:30:05.100Z"},
        {"2026-11-26T08:30:05.123456Z", "2026-11-26T08:30:05.123Z"},
        {"2026-11-26T08:30:05+08:00", "2026-11-26T00:30:05.000Z"},
        {"2026-11-26T01:00:00+08:00", "2026-11-25T17:00:00.000Z"},
        {"2026-11-26T20:00:00-05:30", "2026-11-27T01:30:00.000Z"},
        {"2024-02-29", "2024-02-29T00:00:00.000Z"},
        {"2026-11-26 08:30", "2026-11-26T08:30:00.000Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = audit_log_time(c, cases[i].in);
        assert_non_null(got);
        assert_string_equal(got, cases[i].out);
    }
    static const char *const bad[] = {
        "", "yesterday", "2026-2-3", "2026-02-30", "2025-02-29", "2026-13-01", "2026-11-26T24:00",
        "2026-11-26T08:60", "2026-11-26T08:30:61", "2026-11-26T08:30:05.", "2026-11-26T08",
        "2026-11-26Z", "2026-11-26T08:30+0800", "2026-11-26T08:30:05Zjunk", "1969-12-31",
        "2026-11-26T08:30:05.1234567890Z", "２０２６-11-26",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (audit_log_time(c, bad[i]))
            fail_msg("'%s' was taken as a time", bad[i]);
}

static void append(struct fixture *f, const char *actor, const char *action, int64_t entity_id)
{
    assert_true(db_begin(f->db) >= 0);
    assert_int_equal(audit_append(f->db, actor, action, "users", entity_id, NULL,
                                  "{\"n\":1}", "192.0.2.7"),
                     0);
    assert_true(db_commit(f->db) >= 0);
}

static void test_pages_and_filters(void **state)
{
    struct fixture *f = *state;
    struct ctx *c = &f->ctx;
    for (int i = 0; i < 23; i++)
        append(f, i % 2 ? "user:ln_coord" : "public", i % 3 ? "auth.login" : "user.update", i + 1);

    struct audit_filter flt = {.limit = 5};
    struct audit_entry *e;
    size_t n, total = 0;
    int64_t next, last = INT64_MAX;
    int pages = 0;
    do {
        assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
        pages++;
        for (size_t i = 0; i < n; i++) {
            assert_true(e[i].id < last);
            last = e[i].id;
            assert_string_equal(e[i].client, "192.0.2.7");
        }
        total += n;
        if (next)
            assert_int_equal(next, e[n - 1].id);
        flt.after = next;
    } while (next);
    assert_int_equal(total, 23);
    assert_int_equal(pages, 5);

    /* An exact page count has no empty page after it. */
    flt = (struct audit_filter){.limit = 23};
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 23);
    assert_int_equal(next, 0);

    flt = (struct audit_filter){.action = "auth."};
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 15);
    flt.action = "auth";
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 0); /* without the dot: exact */
    flt = (struct audit_filter){.actor = "ln_coord"};
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 11);
    flt.actor = "public";
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 12);
    flt = (struct audit_filter){.entity = "users", .entity_id = 4};
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].action, "user.update");
    assert_string_equal(e[0].after, "{\"n\":1}");
    flt = (struct audit_filter){.since = "2999-01-01T00:00:00.000Z"};
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 0);
    flt = (struct audit_filter){.until = "2999-01-01T00:00:00.000Z", .limit = 1000};
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 23); /* the limit is clamped to AUDIT_LIST_MAX, not refused */

    /* kinds of action as readers name them; sign-ins left out on request */
    flt = (struct audit_filter){.kind = "sign_in"};
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 15);
    flt.kind = "account";
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 8);
    flt = (struct audit_filter){.no_sign_ins = true};
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(e[i].action, "user.update");
    flt.kind = "sign_in";
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 0);
    assert_null(audit_log_kind("nope"));
    assert_non_null(audit_log_kind("work_plan"));
    /* a person by login (or part of a name: no account here has one); '%' is no wildcard */
    flt = (struct audit_filter){.person = "ln_coord"};
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 11);
    flt.person = "%";
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 0);
    flt = (struct audit_filter){.unit = "_"};
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 0);
}

static void test_who_reads(void **state)
{
    struct fixture *f = *state;
    struct ctx *c = &f->ctx;
    append(f, "user:someone", "user.update", 1);
    struct audit_filter flt = {0};
    struct audit_entry *e;
    size_t n;
    int64_t next;
    static const enum role refused[] = {ROLE_MEMBER, ROLE_COORDINATOR};
    for (size_t i = 0; i < 2; i++) {
        struct user u = {.id = 9, .role = refused[i], .unit_id = 1, .pairing_id = 1, .side = 0,
                         .login = "x"};
        c->user = &u;
        assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_FORBIDDEN);
        assert_null(e);
    }
    /* A leader of a pairing no row belongs to sees nothing, and never an address. */
    struct user leader = {.id = 9, .role = ROLE_LEADER, .unit_id = 1, .pairing_id = 77,
                          .side = 0, .login = "lead"};
    c->user = &leader;
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 0);
    struct user admin = {.id = 1, .role = ROLE_ADMIN, .side = -1, .login = "admin"};
    c->user = &admin;
    assert_int_equal(audit_log_list(c, &flt, &e, &n, &next), SVC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].client, "192.0.2.7");
    c->user = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pages_and_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who_reads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
