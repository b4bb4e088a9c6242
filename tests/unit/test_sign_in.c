/* test_sign_in: the facts a sign-in records (the last sign-in and the failures since) and the
 * `serve --mlps` rules around it (service/sign_in.c): a password set by someone else or older
 * than password_max_days must be changed first, one session per account (the older one is
 * told it signed in elsewhere, also through the session cache), the 10-minute idle limit.
 * The clock is moved with clock_set_offset; sessions are read through the cache as the server
 * reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/mem.h"
#include "service/auth.h"
#include "service/session_cache.h"
#include "service/touch.h"
#include "service/service.h"
#include "service/user.h"
#include "store/db.h"

#include "test_util.h"

#define PW "correct horse battery"
#define PW2 "Staple-on-the-hinge-42"
#define PW3 "Another-good-one-77"
#define CLIENT "203.0.113.7"
#define MINUTE (60 * 1000LL)
#define DAY (24 * 60 * MINUTE)

struct fixture {
    char dir[64];
    char path[128];
    struct db *db;
    struct arena arena;
    struct ctx ctx;
    int64_t unit, uid;
};

static struct ctx *as_client(struct fixture *f, const char *client)
{
    f->ctx = (struct ctx){.db = f->db, .arena = &f->arena, .actor = "cli:test", .client = client};
    return &f->ctx;
}

static struct ctx *cli(struct fixture *f)
{
    return as_client(f, CLIENT);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (tu_db_setup(f->dir, f->path, "sign_in", "test.db", &f->db) != 0)
        return -1;
    arena_init(&f->arena);
    clock_set_offset(0);
    auth_policy = (struct auth_policy){.max_failures = 5, .lock_seconds = 900,
                                       .idle_seconds = 1800, .absolute_seconds = 43200,
                                       .password_max_days = 90};
    int64_t pairing = tu_insert_pairing(f->db, 0, "上海市", "大连市");
    struct unit_input u = {.pairing_id = pairing, .side = 1, .name = "大连市人民政府",
                           .kind = "city", .tier = "execution"};
    if (unit_create(cli(f), &u, &f->unit) != SVC_OK)
        return -1;
    /* a member: the level-3 second factor is asked of admins, coordinators and leaders */
    struct user_input in = {.login = "bob", .role = "member", .unit_id = f->unit, .password = PW};
    if (user_create(cli(f), &in, &f->uid) != SVC_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    clock_set_offset(0);
    auth_policy = (struct auth_policy){5, 900, 1800, 43200, false, false, 90};
    touch_reset();
    session_cache_clear();
    arena_free(&f->arena);
    tu_db_teardown(f->dir, f->db);
    free(f);
    return 0;
}

static int login_from(struct fixture *f, const char *client, const char *pw, struct session_info *s)
{
    return auth_login(as_client(f, client), "bob", pw, s);
}

/* auth_session through the cache, as the server asks. */
static int session(struct fixture *f, const char *token, struct session_info *s)
{
    struct scope_version v;
    assert_int_equal(db_scope_versions(f->db, 0, &v), 0);
    return auth_session_at(cli(f), token, &v.accounts, s);
}

static void mlps(void)
{
    auth_policy.mlps = true;
    auth_policy.composition = true;
    auth_policy.idle_seconds = 600;
}

/* The pure rule: must-change first, then the age, and nothing without mlps. */
static void test_change_reason(void **state)
{
    (void)state;
    char at[25];
    clock_format(clock_now_ms() - 90LL * DAY, at);
    assert_null(auth_password_change_reason(at, true, clock_now_ms())); /* not mlps */
    mlps();
    assert_string_equal(auth_password_change_reason(at, true, clock_now_ms()),
                        "err_password_must_change");
    assert_string_equal(auth_password_change_reason(at, false, clock_now_ms()),
                        "err_password_expired");
    assert_null(auth_password_change_reason(at, false, clock_now_ms() - MINUTE)); /* 89.99 d */
    auth_policy.password_max_days = 0; /* never */
    assert_null(auth_password_change_reason(at, false, clock_now_ms()));
    auth_policy = (struct auth_policy){5, 900, 1800, 43200, false, false, 90};
}

/* With or without mlps: each sign-in tells the one before and the failures between. */
static void test_last_sign_in_and_failures(void **state)
{
    struct fixture *f = *state;
    struct session_info s, again;
    assert_int_equal(login_from(f, "198.51.100.1", PW, &s), SVC_OK);
    assert_null(s.last_login_at); /* the first */
    assert_null(s.password_change); /* not mlps: the must-change flag is not enforced */
    char t1[25];
    clock_format(clock_now_ms(), t1);
    clock_set_offset(5 * MINUTE);
    assert_int_equal(login_from(f, "198.51.100.9", "wrong password 1", &again), SVC_UNAUTHORIZED);
    assert_int_equal(login_from(f, "198.51.100.9", "wrong password 2", &again), SVC_UNAUTHORIZED);
    assert_int_equal(login_from(f, "198.51.100.2", PW, &again), SVC_OK);
    assert_non_null(again.last_login_at);
    assert_memory_equal(again.last_login_at, t1, 16); /* to the minute */
    assert_string_equal(again.last_login_client, "198.51.100.1");
    assert_int_equal(again.failures_since, 2);
    /* the session carries them on every request, cached or read */
    struct session_info got;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(session(f, again.token, &got), SVC_OK);
        assert_string_equal(got.last_login_client, "198.51.100.1");
        assert_int_equal(got.failures_since, 2);
    }
    /* the next sign-in starts counting again */
    assert_int_equal(login_from(f, "198.51.100.3", PW, &again), SVC_OK);
    assert_string_equal(again.last_login_client, "198.51.100.2");
    assert_int_equal(again.failures_since, 0);
    /* without mlps the first session lives on beside the others */
    assert_int_equal(session(f, s.token, &got), SVC_OK);
}

/* mlps: a password set by another must be changed first; the change clears it and is
 * audited; an admin's reset sets it again. */
static void test_must_change(void **state)
{
    struct fixture *f = *state;
    mlps();
    struct session_info s, got;
    assert_int_equal(login_from(f, CLIENT, PW, &s), SVC_OK);
    assert_string_equal(s.password_change, "err_password_must_change");
    assert_int_equal(session(f, s.token, &got), SVC_OK);
    assert_string_equal(got.password_change, "err_password_must_change");
    struct ctx *c = cli(f);
    c->user = &got.user;
    assert_int_equal(auth_change_password_keep(c, f->uid, PW, PW2, s.session_id), SVC_OK);
    assert_int_equal(session(f, s.token, &got), SVC_OK); /* the cache saw the change */
    assert_null(got.password_change);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = 'user.password' "
                                     "AND after LIKE :t", "%\"must_change\":false%"), 1);
    /* the command line (an administrator) resets it: to change again */
    assert_int_equal(auth_change_password(cli(f), f->uid, NULL, PW3), SVC_OK);
    assert_int_equal(login_from(f, CLIENT, PW3, &s), SVC_OK);
    assert_string_equal(s.password_change, "err_password_must_change");
}

/* mlps: a password older than password_max_days must be changed first. */
static void test_expiry(void **state)
{
    struct fixture *f = *state;
    struct session_info s, got;
    assert_int_equal(login_from(f, CLIENT, PW, &s), SVC_OK);
    struct ctx *c = cli(f);
    c->user = &s.user;
    assert_int_equal(auth_change_password(c, f->uid, PW, PW2), SVC_OK); /* one's own */
    mlps();
    auth_policy.password_max_days = 30;
    clock_set_offset(29 * DAY);
    assert_int_equal(login_from(f, CLIENT, PW2, &s), SVC_OK);
    assert_null(s.password_change);
    clock_set_offset(30 * DAY + MINUTE);
    assert_int_equal(login_from(f, CLIENT, PW2, &s), SVC_OK);
    assert_string_equal(s.password_change, "err_password_expired");
    assert_int_equal(session(f, s.token, &got), SVC_OK);
    assert_string_equal(got.password_change, "err_password_expired");
    /* "changed" to itself: refused, and it stays expired */
    c = cli(f);
    c->user = &got.user;
    assert_int_equal(auth_change_password_keep(c, f->uid, PW2, PW2, s.session_id), SVC_INVALID);
    assert_string_equal(f->ctx.code, "err_password_same");
    session_cache_clear();
    assert_int_equal(session(f, s.token, &got), SVC_OK);
    assert_string_equal(got.password_change, "err_password_expired");
    auth_policy.password_max_days = 0; /* never */
    session_cache_clear();
    assert_int_equal(session(f, s.token, &got), SVC_OK);
    assert_null(got.password_change);
}

/* mlps: a second sign-in ends the first at once, cached or not, and says so on both sides. */
static void test_one_session(void **state)
{
    struct fixture *f = *state;
    mlps();
    struct session_info a, b, got;
    assert_int_equal(login_from(f, "198.51.100.1", PW, &a), SVC_OK);
    assert_null(a.ended_at);
    assert_int_equal(session(f, a.token, &got), SVC_OK);
    assert_int_equal(session(f, a.token, &got), SVC_OK); /* now in the cache */
    clock_set_offset(2 * MINUTE);
    assert_int_equal(login_from(f, "198.51.100.2", PW, &b), SVC_OK);
    assert_non_null(b.ended_at);
    assert_string_equal(b.ended_client, "198.51.100.1");
    assert_int_equal(session(f, a.token, &got), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, AUTH_ERR_ELSEWHERE);
    assert_int_equal(session(f, b.token, &got), SVC_OK);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'auth.revoke_sessions' AND after LIKE :t",
                              "%signed in elsewhere%"), 1);
    /* a sign-out is not "elsewhere"; an idle session is not named as ended */
    assert_int_equal(auth_logout(cli(f), b.token), SVC_OK);
    assert_int_equal(session(f, b.token, &got), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_unauthorized");
    assert_int_equal(login_from(f, "198.51.100.3", PW, &a), SVC_OK);
    clock_set_offset(2 * MINUTE + 11 * MINUTE);
    assert_int_equal(login_from(f, "198.51.100.4", PW, &b), SVC_OK);
    assert_null(b.ended_at);
}

/* mlps: the idle limit is 10 minutes. */
static void test_idle_ten_minutes(void **state)
{
    struct fixture *f = *state;
    mlps();
    struct session_info s, got;
    assert_int_equal(login_from(f, CLIENT, PW, &s), SVC_OK);
    clock_set_offset(9 * MINUTE);
    assert_int_equal(session(f, s.token, &got), SVC_OK);
    clock_set_offset(18 * MINUTE);
    assert_int_equal(session(f, s.token, &got), SVC_OK);
    clock_set_offset(28 * MINUTE + 1000);
    assert_int_equal(session(f, s.token, &got), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_session_expired");
}

/* The command line's password check (user check-login): under mlps it neither opens a
 * session (which would end the web one) nor moves the last sign-in; a wrong password is
 * refused without counting toward the lock. */
static void test_check_login(void **state)
{
    struct fixture *f = *state;
    mlps();
    struct session_info s, got;
    assert_int_equal(login_from(f, "198.51.100.1", PW, &s), SVC_OK);
    int64_t sessions = tu_count(f->db, "SELECT count(*) FROM session", NULL);
    struct user u;
    struct ctx *c = cli(f);
    c->client = "cli";
    assert_int_equal(auth_check_login(c, "bob", PW, &u), SVC_OK);
    assert_string_equal(u.login, "bob");
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM session", NULL), sessions);
    assert_int_equal(session(f, s.token, &got), SVC_OK); /* the web session lives on */
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM users WHERE login = 'bob' AND "
                                     "last_login_client = '198.51.100.1'", NULL), 1);
    assert_int_equal(auth_check_login(cli(f), "bob", "wrong password", &u), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_login_failed");
    assert_int_equal(tu_count(f->db, "SELECT failed_logins FROM users WHERE login = 'bob'", NULL),
                     0);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'auth.login_check'", NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_change_reason),
        cmocka_unit_test_setup_teardown(test_last_sign_in_and_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_must_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_ten_minutes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_login, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
