/* test_auth: passwords (hash, policy), sign-in (lockout, one error for every failure, audit
 * rows), sessions (idle and absolute expiry on a moved clock, rotation, logout, revocation on
 * password change and disable), API tokens, and that no raw token is ever stored. Sessions are
 * validated through the per-thread session cache, as the server does, and the cache's own
 * tests check that a cached session still sees every write and the clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/sb.h"
#include "core/text.h"
#include "service/auth.h"
#include "service/perm.h"
#include "service/session_cache.h"
#include "service/touch.h"
#include "service/service.h"
#include "service/user.h"
#include "store/audit.h"
#include "store/db.h"

#include "test_util.h"

#define PW "correct horse battery"
#define PW2 "staple on the hinge 42"
#define CLIENT "203.0.113.7"
enum { MINUTE = 60 * 1000, HOUR = 60 * MINUTE };

struct fixture {
    char dir[64];
    char path[128];
    struct db *db;
    struct arena arena;
    struct ctx ctx;     /* the command line: every right */
    int64_t pairing, unit, uid;
};

/* A fresh context over the fixture's connection: the CLI, or a signed-in user. */
static struct ctx *cli(struct fixture *f)
{
    f->ctx = (struct ctx){.db = f->db, .arena = &f->arena, .actor = "cli:test", .client = CLIENT};
    return &f->ctx;
}

static int64_t add_user(struct fixture *f, const char *login, const char *role, int64_t unit,
                        const char *pw)
{
    struct user_input in = {.login = login, .role = role, .unit_id = unit, .password = pw};
    int64_t id = 0;
    int rc = user_create(cli(f), &in, &id);
    if (rc != SVC_OK)
        fail_msg("user_create %s: %s", login, f->ctx.error);
    return id;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (tu_db_setup(f->dir, f->path, "auth", "test.db", &f->db) != 0)
        return -1;
    arena_init(&f->arena);
    clock_set_offset(0);
    auth_policy = (struct auth_policy){5, 900, 1800, 43200, false, false, 90};
    f->pairing = tu_insert_pairing(f->db, 0, "上海市", "大连市");
    struct unit_input u = {.pairing_id = f->pairing, .side = 1, .name = "大连市发展和改革委员会",
                           .kind = "department", .tier = "coordination"};
    if (unit_create(cli(f), &u, &f->unit) != SVC_OK)
        return -1;
    f->uid = add_user(f, "alice", "coordinator", f->unit, PW);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    clock_set_offset(0);
    touch_set_deferred(false);
    touch_reset();
    session_cache_clear(); /* each test's database starts its versions again */
    arena_free(&f->arena);
    tu_db_teardown(f->dir, f->db);
    free(f);
    return 0;
}

static int64_t count(struct fixture *f, const char *sql, const char *text)
{
    return tu_count(f->db, sql, text);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* ---- passwords ------------------------------------------------------------------------ */

static void test_hash_verify(void **state)
{
    struct fixture *f = *state;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char *h1 = auth_hash_password(cli(f), PW);
    double ms = ms_since(&t0);
    const char *h2 = auth_hash_password(cli(f), PW);
    assert_non_null(h1);
    assert_non_null(h2);
    print_message("one argon2id hash (t=2, 64 MiB): %.0f ms\n", ms);
    assert_memory_equal(h1, "$argon2id$", 10);
    assert_string_not_equal(h1, h2); /* salted */
    assert_true(auth_verify_password(h1, PW));
    assert_true(auth_verify_password(h2, PW));
    assert_false(auth_verify_password(h1, PW2));
    assert_false(auth_verify_password(h1, ""));
    assert_false(auth_verify_password("not a hash", PW));
    assert_false(auth_verify_password(NULL, PW));
}

static void expect_refused(struct fixture *f, const char *login, const char *pw, const char *code)
{
    struct ctx *c = cli(f);
    int rc = auth_password_acceptable(c, login, pw);
    if (rc != SVC_INVALID || strcmp(c->code, code) != 0)
        fail_msg("'%s': expected %s, got %d %s", pw, code, rc, c->code ? c->code : "-");
    assert_string_equal(c->field, "password");
}

static void expect_accepted(struct fixture *f, const char *login, const char *pw)
{
    struct ctx *c = cli(f);
    if (auth_password_acceptable(c, login, pw) != SVC_OK)
        fail_msg("'%s' refused: %s", pw, c->error);
}

static void test_policy(void **state)
{
    struct fixture *f = *state;
    expect_refused(f, "bob", NULL, "err_password_short");
    expect_refused(f, "bob", "", "err_password_short");
    expect_refused(f, "bob", "Xy7#kQ2", "err_password_short");     /* 7 characters */
    expect_accepted(f, "bob", "江山如画一时多少豪杰"); /* characters, not bytes, count */
    expect_refused(f, "bob", "江山如画一时多", "err_password_short");
    /* the list, case-insensitively, and the structural rules */
    static const char *const common[] = {"password",   "Password123", "P@ssw0rd",  "Admin@123",
                                         "1qaz@WSX",   "qwertyuiop",  "woaini1314", "88888888",
                                         "12345678",   "87654321",    "abcdefgh",   "19880101",
                                         "01011990",   "zhang123456", "5201314520", "aaaaaaaaaa",
                                         "Qwer@1234",  "huawei@123",  "iloveyou1",  "dalian@2024"};
    for (size_t i = 0; i < sizeof common / sizeof *common; i++)
        expect_refused(f, "bob", common[i], "err_password_common");
    expect_refused(f, "zhangwei", "zhangwei!2026xyz", "err_password_login");
    expect_refused(f, "zhangwei", "xyz-iewgnahz-9", "err_password_login");
    expect_refused(f, "bob", "tab\there!!", "err_invalid");
    char *long_pw = arena_alloc(&f->arena, AUTH_PASSWORD_MAX + 2);
    memset(long_pw, 'x', AUTH_PASSWORD_MAX + 1);
    expect_refused(f, "bob", long_pw, "err_too_long");
    expect_refused(f, "bob", "\xff\xfe not utf-8", "err_bad_utf8");
    expect_accepted(f, "bob", PW);
    expect_accepted(f, "bob", "Tr0ub4dor&3x");

    auth_policy.composition = true;
    expect_refused(f, "bob", PW, "err_password_weak");
    expect_refused(f, "bob", "NoDigitsHere!", "err_password_weak");
    expect_refused(f, "bob", "nouppercase1!", "err_password_weak");
    expect_refused(f, "bob", "P@ssw0rd", "err_password_common"); /* complex-looking, common */
    expect_accepted(f, "bob", "Tr0ub4dor&3x");
    expect_accepted(f, "bob", "Horse-Battery-9");
    const char *gen = user_generate_password(cli(f));
    assert_int_equal(strlen(gen), 23);
    expect_accepted(f, "bob", gen);
    assert_string_not_equal(gen, user_generate_password(cli(f)));
    auth_policy.composition = false;

    /* user_create applies the same policy */
    struct user_input in = {.login = "weak", .role = "member", .unit_id = f->unit,
                            .password = "qwerty123"};
    struct ctx *c = cli(f);
    assert_int_equal(user_create(c, &in, NULL), SVC_INVALID);
    assert_string_equal(c->code, "err_password_common");
}

/* ---- sign-in -------------------------------------------------------------------------- */

static int login(struct fixture *f, const char *l, const char *pw, struct session_info *s)
{
    return auth_login(cli(f), l, pw, s);
}

static void test_login_ok_fills_user(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    assert_int_equal(login(f, "Alice", PW, &s), SVC_OK); /* logins are case-insensitive */
    assert_non_null(s.token);
    assert_int_equal(strlen(s.token), 43); /* 32 bytes, base64url */
    assert_non_null(s.csrf_token);
    assert_string_not_equal(s.token, s.csrf_token);
    assert_true(s.session_id > 0);
    assert_int_equal(s.user.id, f->uid);
    assert_int_equal(s.user.unit_id, f->unit);
    assert_int_equal(s.user.pairing_id, f->pairing);
    assert_int_equal(s.user.side, 1);
    assert_int_equal(s.user.role, ROLE_COORDINATOR);
    assert_string_equal(s.user.login, "alice");
    assert_string_equal(s.user.name, "alice");
    assert_string_equal(s.user.unit_name, "大连市发展和改革委员会");
    assert_string_equal(s.user.language, "zh-Hans");

    struct session_info again;
    assert_int_equal(auth_session(cli(f), s.token, &again), SVC_OK);
    assert_null(again.token);
    assert_string_equal(again.csrf_token, s.csrf_token);
    assert_int_equal(again.session_id, s.session_id);
    assert_int_equal(again.user.id, f->uid);
    assert_string_equal(again.user.unit_name, "大连市发展和改革委员会");

    /* an admin has no unit */
    add_user(f, "root", "admin", 0, PW2);
    assert_int_equal(login(f, "root", PW2, &s), SVC_OK);
    assert_int_equal(s.user.role, ROLE_ADMIN);
    assert_int_equal(s.user.unit_id, 0);
    assert_int_equal(s.user.side, -1);
    assert_null(s.user.unit_name);
}

/* auth_login from another address than CLIENT. */
static int login_from(struct fixture *f, const char *client, const char *l, const char *pw,
                      struct session_info *s)
{
    struct ctx *c = cli(f);
    c->client = client;
    return auth_login(c, l, pw, s);
}

static void test_lockout(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    /* a success resets the count: 4 failures, a success, 4 failures → not locked */
    for (int i = 0; i < 4; i++)
        assert_int_equal(login(f, "alice", "wrong password", &s), SVC_UNAUTHORIZED);
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(login(f, "alice", "wrong password", &s), SVC_UNAUTHORIZED);
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);

    for (int i = 0; i < 5; i++) {
        assert_int_equal(login(f, "alice", "wrong password", &s), SVC_UNAUTHORIZED);
        assert_string_equal(f->ctx.code, "err_login_failed");
    }
    /* now even the right password is refused from this address, answered exactly as a
     * wrong one: the lock tells a guesser nothing */
    assert_int_equal(login(f, "alice", PW, &s), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_login_failed");
    assert_null(s.token);
    /* the owner, from another address, is not locked out */
    assert_int_equal(login_from(f, "198.51.100.9", "alice", PW, &s), SVC_OK);
    assert_non_null(s.token);
    clock_set_offset(14 * MINUTE);
    assert_int_equal(login(f, "alice", PW, &s), SVC_UNAUTHORIZED);
    clock_set_offset(15 * MINUTE + 1000);
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    struct user_view v;
    assert_int_equal(user_get(cli(f), f->uid, &v), SVC_OK);
    assert_false(v.locked);
    assert_int_equal(v.failed_logins, 0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'auth.login_locked'",
                           NULL),
                     2);
    assert_int_equal(count(f, "SELECT count(*) FROM login_lock WHERE client = '" CLIENT "'",
                           NULL),
                     0); /* its success ended this address's lock and count */

    /* Guessing from many addresses: four tries from each of five addresses (no address
     * locked) meet the account's slow lock — a minute without any password taken, from
     * anywhere; the right password is then answered as a wrong one, and works after it. */
    char addr[5][32];
    for (int a = 0; a < 5; a++) {
        snprintf(addr[a], sizeof addr[a], "192.0.2.%d", a + 1);
        for (int i = 0; i < 4; i++)
            assert_int_equal(login_from(f, addr[a], "alice", "wrong password", &s),
                             SVC_UNAUTHORIZED);
    }
    assert_int_equal(login_from(f, "198.51.100.9", "alice", PW, &s), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_login_failed");
    assert_int_equal(user_get(cli(f), f->uid, &v), SVC_OK);
    assert_true(v.locked);
    clock_set_offset(16 * MINUTE + 2000);
    assert_int_equal(login_from(f, "198.51.100.9", "alice", PW, &s), SVC_OK);

    /* the policy is a setting */
    auth_policy.max_failures = 2;
    auth_policy.lock_seconds = 60;
    for (int i = 0; i < 2; i++)
        assert_int_equal(login(f, "alice", "wrong password", &s), SVC_UNAUTHORIZED);
    assert_int_equal(login(f, "alice", PW, &s), SVC_UNAUTHORIZED);
    clock_set_offset(17 * MINUTE + 3000);
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
}

static void test_same_error_unknown_login(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    struct timespec t0;

    login(f, "nobody", PW, &s); /* makes the dummy hash once, outside the timing */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc_wrong = login(f, "alice", "wrong password", &s);
    double ms_wrong = ms_since(&t0);
    struct ctx wrong = f->ctx;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc_unknown = login(f, "nobody", PW, &s);
    double ms_unknown = ms_since(&t0);
    struct ctx unknown = f->ctx;

    assert_int_equal(rc_wrong, SVC_UNAUTHORIZED);
    assert_int_equal(rc_unknown, rc_wrong);
    assert_string_equal(unknown.code, wrong.code);
    assert_string_equal(unknown.code, "err_login_failed");
    assert_null(unknown.field);
    assert_null(wrong.field);
    assert_string_equal(unknown.error, wrong.error);
    /* Both check one argon2id hash: the same cost within a wide margin. */
    print_message("failed sign-in: wrong password %.0f ms, unknown login %.0f ms\n", ms_wrong,
                  ms_unknown);
    assert_true(ms_unknown > ms_wrong / 3 && ms_unknown < ms_wrong * 3);

    /* a disabled account fails the same way, even with its right password */
    assert_int_equal(user_set_disabled(cli(f), f->uid, true), SVC_OK);
    assert_int_equal(login(f, "alice", PW, &s), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_login_failed");
    assert_string_equal(f->ctx.error, wrong.error);
    /* and so does input that is not even a login */
    assert_int_equal(login(f, "", PW, &s), SVC_UNAUTHORIZED);
    assert_int_equal(login(f, NULL, NULL, &s), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_login_failed");
}

static void test_audit_rows(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    int64_t before = count(f, "SELECT count(*) FROM audit", NULL);
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    assert_int_equal(login(f, "alice", "wrong password", &s), SVC_UNAUTHORIZED);
    assert_int_equal(login(f, "nobody", "wrong password", &s), SVC_UNAUTHORIZED);
    /* a password typed into the login field is not written to the log */
    assert_int_equal(login(f, "My S3cret! pass", "x", &s), SVC_UNAUTHORIZED);
    assert_int_equal(count(f, "SELECT count(*) FROM audit", NULL), before + 4);

    assert_int_equal(count(f,
                           "SELECT count(*) FROM audit WHERE action = 'auth.login' AND "
                           "client = '" CLIENT "' AND actor = 'user:alice' AND entity = 'users' "
                           "AND after LIKE '%\"login\":\"alice\"%' AND after LIKE '%session_id%'",
                           NULL),
                     1);
    assert_int_equal(count(f,
                           "SELECT count(*) FROM audit WHERE action = 'auth.login_failed' AND "
                           "client = '" CLIENT "' AND entity_id = (SELECT id FROM users WHERE "
                           "login = 'alice') AND after LIKE '%\"reason\":\"password\"%'",
                           NULL),
                     1);
    assert_int_equal(count(f,
                           "SELECT count(*) FROM audit WHERE action = 'auth.login_failed' AND "
                           "client = '" CLIENT "' AND entity_id IS NULL AND "
                           "after LIKE '%\"login\":\"nobody\"%'",
                           NULL),
                     1);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE after LIKE '%S3cret%'", NULL),
                     0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE after LIKE :t", "%not a login%"),
                     1);
    /* never a password, a hash or a token in the log */
    assert_int_equal(count(f,
                           "SELECT count(*) FROM audit WHERE coalesce(before, '') || "
                           "coalesce(after, '') LIKE '%argon2%' OR after LIKE '%wrong password%'",
                           NULL),
                     0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE after LIKE :t",
                           arena_printf(&f->arena, "%%%s%%", s.token ? s.token : "x")),
                     0);
    int64_t bad = 0;
    assert_int_equal(audit_verify(f->db, &bad, NULL, NULL), 0);
}

/* ---- sessions ------------------------------------------------------------------------- */

/* Validates token as the server does: through the session cache, at the accounts version
 * read first (so every session test here also tests the cache: service/session_cache.c must
 * answer exactly what a read of the database would). */
static int session_info(struct fixture *f, const char *token, struct session_info *s)
{
    struct scope_version v;
    assert_int_equal(db_scope_versions(f->db, 0, &v), 0);
    return auth_session_at(cli(f), token, &v.accounts, s);
}

static int session(struct fixture *f, const char *token)
{
    struct session_info s;
    return session_info(f, token, &s);
}

static void test_session_idle_expiry(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    const char *t = s.token;
    /* used every 29 minutes, it stays alive past the idle limit's span */
    clock_set_offset(29 * MINUTE);
    assert_int_equal(session(f, t), SVC_OK);
    clock_set_offset(58 * MINUTE);
    assert_int_equal(session(f, t), SVC_OK);
    /* then 31 minutes of silence end it */
    clock_set_offset(89 * MINUTE);
    assert_int_equal(session(f, t), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_session_expired");
    /* and it does not come back */
    clock_set_offset(89 * MINUTE);
    assert_int_equal(session(f, t), SVC_UNAUTHORIZED);

    /* 30 minutes exactly is the limit */
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    clock_set_offset(89 * MINUTE + 30 * MINUTE - 1000);
    assert_int_equal(session(f, s.token), SVC_OK);
    clock_set_offset(89 * MINUTE + 60 * MINUTE);
    assert_int_equal(session(f, s.token), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_session_expired");
}

static void test_session_absolute_expiry(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    /* busy all day: used every 20 minutes up to 11 h 40 */
    for (int64_t t = 20 * MINUTE; t <= 11 * HOUR + 40 * MINUTE; t += 20 * MINUTE) {
        clock_set_offset(t);
        assert_int_equal(session(f, s.token), SVC_OK);
    }
    clock_set_offset(12 * HOUR - MINUTE);
    assert_int_equal(session(f, s.token), SVC_OK);
    clock_set_offset(12 * HOUR + MINUTE);
    assert_int_equal(session(f, s.token), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_session_expired");
}

/* Rotation: every sign-in makes a new session with a new token and a new CSRF token. The
 * sessions of other sign-ins (another browser, another device) keep working until they end;
 * the web layer ends the session the browser came with when it signs in again. */
static void test_rotation(void **state)
{
    struct fixture *f = *state;
    struct session_info a, b;
    assert_int_equal(login(f, "alice", PW, &a), SVC_OK);
    assert_int_equal(login(f, "alice", PW, &b), SVC_OK);
    assert_string_not_equal(a.token, b.token);
    assert_string_not_equal(a.csrf_token, b.csrf_token);
    assert_int_not_equal(a.session_id, b.session_id);
    assert_int_equal(session(f, a.token), SVC_OK);
    assert_int_equal(session(f, b.token), SVC_OK);
    /* unknown and malformed tokens */
    assert_int_equal(session(f, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_unauthorized");
    assert_int_equal(session(f, ""), SVC_UNAUTHORIZED);
    assert_int_equal(session(f, NULL), SVC_UNAUTHORIZED);
    char *huge = arena_alloc(&f->arena, 4096);
    memset(huge, 'A', 4095);
    assert_int_equal(session(f, huge), SVC_UNAUTHORIZED);
}

static void test_logout(void **state)
{
    struct fixture *f = *state;
    struct session_info a, b;
    assert_int_equal(login(f, "alice", PW, &a), SVC_OK);
    assert_int_equal(login(f, "alice", PW, &b), SVC_OK);
    assert_int_equal(auth_logout(cli(f), a.token), SVC_OK);
    assert_int_equal(session(f, a.token), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_unauthorized");
    assert_int_equal(session(f, b.token), SVC_OK); /* only that session ended */
    assert_int_equal(auth_logout(cli(f), a.token), SVC_OK); /* twice is fine */
    assert_int_equal(auth_logout(cli(f), "no-such-token"), SVC_UNAUTHORIZED);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'auth.logout'", NULL), 1);

    /* sign out everywhere */
    assert_int_equal(auth_revoke_all(cli(f), f->uid, "test"), SVC_OK);
    assert_int_equal(session(f, b.token), SVC_UNAUTHORIZED);
}

static void test_password_change_revokes(void **state)
{
    struct fixture *f = *state;
    struct session_info a, b;
    assert_int_equal(login(f, "alice", PW, &a), SVC_OK);
    assert_int_equal(login(f, "alice", PW, &b), SVC_OK);
    /* alice, signed in as session a, changes her own password: the old one is required */
    struct ctx *c = cli(f);
    c->user = &a.user;
    assert_int_equal(auth_change_password_keep(c, f->uid, "not it", PW2, a.session_id),
                     SVC_INVALID);
    assert_string_equal(c->code, "err_password_wrong");
    assert_string_equal(c->field, "old_password");
    c = cli(f);
    c->user = &a.user;
    assert_int_equal(auth_change_password_keep(c, f->uid, PW, "12345678", a.session_id),
                     SVC_INVALID);
    assert_string_equal(c->code, "err_password_common");
    c = cli(f);
    c->user = &a.user;
    assert_int_equal(auth_change_password_keep(c, f->uid, PW, PW2, a.session_id), SVC_OK);
    assert_int_equal(session(f, a.token), SVC_OK);          /* the session she used */
    assert_int_equal(session(f, b.token), SVC_UNAUTHORIZED); /* every other one */
    assert_int_equal(login(f, "alice", PW, &b), SVC_UNAUTHORIZED);
    assert_int_equal(login(f, "alice", PW2, &b), SVC_OK);

    /* someone else may not change it; the CLI may, without the old one, and ends all */
    add_user(f, "bob", "member", f->unit, PW);
    struct session_info bob;
    assert_int_equal(login(f, "bob", PW, &bob), SVC_OK);
    c = cli(f);
    c->user = &bob.user;
    assert_int_equal(auth_change_password(c, f->uid, PW2, PW), SVC_FORBIDDEN);
    assert_int_equal(auth_change_password(cli(f), f->uid, NULL, PW), SVC_OK);
    assert_int_equal(session(f, a.token), SVC_UNAUTHORIZED);
    assert_int_equal(session(f, b.token), SVC_UNAUTHORIZED);
    /* a coordinator may reset a member of its side without the old password */
    assert_int_equal(login(f, "alice", PW, &a), SVC_OK);
    c = cli(f);
    c->user = &a.user;
    assert_int_equal(auth_change_password(c, bob.user.id, NULL, PW2), SVC_OK);
    assert_int_equal(session(f, bob.token), SVC_UNAUTHORIZED);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'user.password'", NULL),
                     3);
}

/* Changes alice's password as alice, signed in as session a. */
static int change_own(struct fixture *f, const struct session_info *a, const char *old_pw,
                      const char *new_pw)
{
    struct ctx *c = cli(f);
    c->user = &a->user;
    c->actor = "user:alice";
    return auth_change_password_keep(c, a->user.id, old_pw, new_pw, a->session_id);
}

/* Whoever holds a session could otherwise guess the password through the change form, with
 * no limit and no trace: wrong old passwords count toward the sign-in lock and are audited. */
static void test_password_change_guesses_lock(void **state)
{
    struct fixture *f = *state;
    struct session_info a, s;
    assert_int_equal(login(f, "alice", PW, &a), SVC_OK);
    /* failures of both kinds add up */
    assert_int_equal(login(f, "alice", "wrong password", &s), SVC_UNAUTHORIZED);
    assert_int_equal(login(f, "alice", "wrong password", &s), SVC_UNAUTHORIZED);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(change_own(f, &a, "guess one", PW2), SVC_INVALID);
        assert_string_equal(f->ctx.code, "err_password_wrong");
        assert_string_equal(f->ctx.field, "old_password");
    }
    struct user_view v;
    assert_int_equal(user_get(cli(f), f->uid, &v), SVC_OK);
    assert_int_equal(v.failed_logins, 4);
    assert_false(v.locked);
    assert_int_equal(count(f,
                           "SELECT count(*) FROM audit WHERE action = 'auth.password_failed' "
                           "AND actor = 'user:alice' AND client = '" CLIENT "' AND entity = "
                           "'users' AND after LIKE '%\"failures\":4%'",
                           NULL),
                     1);
    /* the fifth locks, as a fifth failed sign-in would */
    assert_int_equal(change_own(f, &a, "guess five", PW2), SVC_INVALID);
    assert_int_equal(user_get(cli(f), f->uid, &v), SVC_OK);
    assert_true(v.locked);
    assert_int_equal(count(f,
                           "SELECT count(*) FROM audit WHERE action = 'auth.password_failed' "
                           "AND after LIKE '%locked_until%'",
                           NULL),
                     1);
    /* locked: the right old password is refused, and signing in is too (answered as a
     * wrong password: a sign-in tells no one of a lock) — whoever holds the session guessed */
    assert_int_equal(change_own(f, &a, PW, PW2), SVC_LOCKED);
    assert_string_equal(f->ctx.code, "err_locked");
    assert_int_equal(login(f, "alice", PW, &s), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_login_failed");
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'auth.password_locked' "
                              "AND client = '" CLIENT "'",
                           NULL),
                     1);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE after LIKE '%guess%'", NULL), 0);
    /* once the lock ends, the change goes through and the count starts again */
    clock_set_offset(15 * MINUTE + 1000);
    assert_int_equal(change_own(f, &a, PW, PW2), SVC_OK);
    assert_int_equal(user_get(cli(f), f->uid, &v), SVC_OK);
    assert_int_equal(v.failed_logins, 0);
    assert_int_equal(login(f, "alice", PW2, &s), SVC_OK);
    int64_t bad = 0;
    assert_int_equal(audit_verify(f->db, &bad, NULL, NULL), 0);
}

static void test_disable_revokes(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    assert_int_equal(user_set_disabled(cli(f), f->uid, true), SVC_OK);
    assert_int_equal(session(f, s.token), SVC_UNAUTHORIZED);
    assert_int_equal(count(f, "SELECT count(*) FROM session WHERE revoked_at IS NULL", NULL), 0);
    assert_int_equal(user_set_disabled(cli(f), f->uid, false), SVC_OK);
    assert_int_equal(session(f, s.token), SVC_UNAUTHORIZED); /* enabling does not revive it */
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    assert_int_equal(session(f, s.token), SVC_OK);
}

/* ---- the session cache (service/session_cache.c) --------------------------------------- */

static const char *last_seen(struct fixture *f, int64_t session_id)
{
    struct stmt st;
    db_prepare(f->db, &st, "SELECT last_seen_at FROM session WHERE id = :id");
    db_bind_int64(&st, ":id", session_id);
    const char *v = db_step(&st) == DB_ROW ? arena_strdup(&f->arena, db_col_text(&st, 0)) : "";
    db_finalize(&st);
    return v;
}

/* A cached session still records its use once a minute, and the idle limit still counts. */
static void test_cache_touch_and_idle(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    const char *at_login = last_seen(f, s.session_id);
    for (int i = 0; i < 3; i++) /* the first reads and keeps it, the others are hits */
        assert_int_equal(session(f, s.token), SVC_OK);
    assert_string_equal(last_seen(f, s.session_id), at_login); /* no write per request */
    clock_set_offset(2 * MINUTE);
    assert_int_equal(session(f, s.token), SVC_OK);
    char want[25];
    clock_format(clock_now_ms(), want);
    assert_memory_equal(last_seen(f, s.session_id), want, 16); /* touched, to the minute */
    /* kept again, then 31 minutes of silence: refused although it was cached */
    assert_int_equal(session(f, s.token), SVC_OK);
    assert_int_equal(session(f, s.token), SVC_OK);
    clock_set_offset(2 * MINUTE + 31 * MINUTE);
    assert_int_equal(session(f, s.token), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_session_expired");
}

/* Every write that ends a session or changes its user reaches a cached session at once. */
static void test_cache_sees_writes(void **state)
{
    struct fixture *f = *state;
    struct session_info a, b, got;
    assert_int_equal(login(f, "alice", PW, &a), SVC_OK);
    assert_int_equal(login(f, "alice", PW, &b), SVC_OK);
    assert_int_equal(session(f, a.token), SVC_OK);
    assert_int_equal(session(f, b.token), SVC_OK);
    /* sign-out of a */
    assert_int_equal(auth_logout(cli(f), a.token), SVC_OK);
    assert_int_equal(session(f, a.token), SVC_UNAUTHORIZED);
    assert_int_equal(session(f, b.token), SVC_OK);
    /* a change of role is seen on the next request */
    assert_int_equal(session_info(f, b.token, &got), SVC_OK);
    assert_int_equal(got.user.role, ROLE_COORDINATOR);
    struct user_input in = {.role = "leader"};
    assert_int_equal(user_update(cli(f), f->uid, &in), SVC_OK);
    assert_int_equal(session_info(f, b.token, &got), SVC_OK);
    assert_int_equal(got.user.role, ROLE_LEADER);
    /* disabling the account */
    assert_int_equal(session(f, b.token), SVC_OK);
    assert_int_equal(user_set_disabled(cli(f), f->uid, true), SVC_OK);
    assert_int_equal(session(f, b.token), SVC_UNAUTHORIZED);
    assert_int_equal(user_set_disabled(cli(f), f->uid, false), SVC_OK);
    /* a password change */
    struct session_info c;
    assert_int_equal(login(f, "alice", PW, &c), SVC_OK);
    assert_int_equal(session(f, c.token), SVC_OK);
    assert_int_equal(session(f, c.token), SVC_OK);
    assert_int_equal(auth_change_password(cli(f), f->uid, NULL, PW2), SVC_OK);
    assert_int_equal(session(f, c.token), SVC_UNAUTHORIZED);
}

/* A write by another connection (another process: the command line) is seen too. */
static void test_cache_sees_other_connection(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    assert_int_equal(session(f, s.token), SVC_OK);
    assert_int_equal(session(f, s.token), SVC_OK);
    struct db *other;
    assert_int_equal(db_open(f->path, &other, NULL), 0);
    struct ctx oc = {.db = other, .arena = &f->arena, .actor = "cli:other", .client = CLIENT};
    assert_int_equal(user_set_disabled(&oc, f->uid, true), SVC_OK); /* audited: moves accounts */
    db_close(other);
    assert_int_equal(session(f, s.token), SVC_UNAUTHORIZED);
}

/* A report (or anything else outside accounts) leaves the cached session alone: the cache
 * is keyed by the accounts version, not by every write. */
static void test_cache_outlives_other_writes(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    struct scope_version a, b;
    assert_int_equal(db_scope_versions(f->db, f->pairing, &a), 0);
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(audit_append(f->db, "cli:test", "test.other", "pairing", f->pairing, NULL,
                                  "{}", CLIENT),
                     0);
    assert_int_equal(db_commit(f->db), 0);
    assert_int_equal(session(f, s.token), SVC_OK);
    assert_int_equal(db_scope_versions(f->db, f->pairing, &b), 0);
    assert_true(b.total > a.total);
    assert_true(b.pairing > a.pairing);
    assert_int_equal(b.accounts, a.accounts);
}

/* In the server a session's use is noted, not written, by the request (service/touch.c): the
 * idle limit counts the noted use, and a flush writes it. */
static void test_touch_deferred(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    const char *at_login = last_seen(f, s.session_id);
    touch_set_deferred(true);
    clock_set_offset(20 * MINUTE);
    assert_int_equal(session(f, s.token), SVC_OK);
    assert_string_equal(last_seen(f, s.session_id), at_login); /* noted, not written */
    assert_true(touch_noted(TOUCH_SESSION, s.session_id) > 0);
    /* 20 + 20 minutes after sign-in: only the noted use keeps it inside the 30-minute limit */
    clock_set_offset(40 * MINUTE);
    assert_int_equal(session(f, s.token), SVC_OK);
    assert_int_equal(touch_flush(f->db), 1);
    char want[25];
    clock_format(clock_now_ms(), want);
    assert_memory_equal(last_seen(f, s.session_id), want, 16); /* written, to the minute */
    assert_int_equal(touch_noted(TOUCH_SESSION, s.session_id), 0);
    assert_int_equal(touch_flush(f->db), 0); /* nothing left */
    touch_set_deferred(false);
    /* and silence past the limit still ends it */
    clock_set_offset(40 * MINUTE + 31 * MINUTE);
    assert_int_equal(session(f, s.token), SVC_UNAUTHORIZED);
}

/* ---- API tokens ----------------------------------------------------------------------- */

static void test_api_tokens(void **state)
{
    struct fixture *f = *state;
    const char *t1, *t2;
    int64_t id1 = 0;
    assert_int_equal(auth_token_issue(cli(f), f->uid, "reporting job", &t1, &id1), SVC_OK);
    assert_int_equal(auth_token_create(cli(f), f->uid, NULL, &t2), SVC_OK);
    assert_memory_equal(t1, "dk_", 3);
    assert_int_equal(strlen(t1), 46);
    assert_string_not_equal(t1, t2);
    struct user u;
    assert_int_equal(auth_token_user(cli(f), t1, &u), SVC_OK);
    assert_int_equal(u.id, f->uid);
    assert_int_equal(u.role, ROLE_COORDINATOR);
    assert_int_equal(u.pairing_id, f->pairing);
    assert_string_equal(u.unit_name, "大连市发展和改革委员会");
    assert_int_equal(count(f, "SELECT count(*) FROM api_token WHERE last_used_at IS NOT NULL",
                           NULL),
                     1);
    /* unknown, malformed, a session token as a bearer token */
    assert_int_equal(auth_token_user(cli(f), "dk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &u),
                     SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_unauthorized");
    assert_int_equal(auth_token_user(cli(f), "", &u), SVC_UNAUTHORIZED);
    struct session_info s;
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    assert_int_equal(auth_token_user(cli(f), s.token, &u), SVC_UNAUTHORIZED);

    /* revoked */
    assert_int_equal(auth_token_revoke(cli(f), id1), SVC_OK);
    assert_int_equal(auth_token_user(cli(f), t1, &u), SVC_UNAUTHORIZED);
    assert_int_equal(auth_token_user(cli(f), t2, &u), SVC_OK);
    struct api_token_view *list;
    size_t n;
    assert_int_equal(auth_token_list(cli(f), f->uid, &list, &n), SVC_OK);
    assert_int_equal(n, 2);
    assert_non_null(list[1].revoked_at);
    assert_string_equal(list[1].name, "reporting job");

    /* a disabled account's tokens stop working */
    assert_int_equal(user_set_disabled(cli(f), f->uid, true), SVC_OK);
    assert_int_equal(auth_token_user(cli(f), t2, &u), SVC_UNAUTHORIZED);
    struct ctx *c = cli(f);
    assert_int_equal(auth_token_create(c, f->uid, NULL, &t1), SVC_CONFLICT);
    assert_int_equal(user_set_disabled(cli(f), f->uid, false), SVC_OK);

    /* only the account itself or an admin makes or revokes its tokens */
    int64_t bob = add_user(f, "bob", "member", f->unit, PW2);
    struct session_info bs;
    assert_int_equal(login(f, "bob", PW2, &bs), SVC_OK);
    c = cli(f);
    c->user = &bs.user;
    assert_int_equal(auth_token_create(c, f->uid, NULL, &t1), SVC_FORBIDDEN);
    assert_null(t1);
    c = cli(f);
    c->user = &bs.user;
    assert_int_equal(auth_token_revoke(c, id1 + 1), SVC_NOT_FOUND);
    c = cli(f);
    c->user = &bs.user;
    assert_int_equal(auth_token_create(c, bob, "mine", &t1), SVC_OK);
    assert_int_equal(auth_token_user(cli(f), t1, &u), SVC_OK);
    assert_int_equal(u.id, bob);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'token.create'", NULL), 3);
}

/* The raw tokens exist only in the client's hands: scan every byte of the database files. */
static bool file_contains(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    struct sb buf = SB_INIT;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
        sb_appendn(&buf, chunk, got);
    fclose(fp);
    bool found = memmem(buf.buf, buf.len, needle, strlen(needle)) != NULL;
    sb_free(&buf);
    return found;
}

static void test_tokens_stored_hashed(void **state)
{
    struct fixture *f = *state;
    struct session_info s;
    const char *api;
    assert_int_equal(login(f, "alice", PW, &s), SVC_OK);
    assert_int_equal(auth_token_create(cli(f), f->uid, "ci", &api), SVC_OK);
    const char *session_token = arena_strdup(&f->arena, s.token);
    char hash[SHA256_HEX_LEN + 1];
    sha256_hex(session_token, strlen(session_token), hash);
    assert_int_equal(count(f, "SELECT count(*) FROM session WHERE token_hash = :t", hash), 1);
    sha256_hex(api, strlen(api), hash);
    assert_int_equal(count(f, "SELECT count(*) FROM api_token WHERE token_hash = :t", hash), 1);
    /* the database and its write-ahead log, byte for byte */
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    const char *raw[] = {session_token, api, api + 3, PW};
    for (size_t i = 0; i < sizeof raw / sizeof *raw; i++) {
        assert_false(file_contains(f->path, raw[i]));
        assert_false(file_contains(wal, raw[i]));
    }
    /* a sanity check that the scan does see stored text */
    assert_true(file_contains(f->path, "alice") || file_contains(wal, "alice"));
}

int main(void)
{
    log_set_level(LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hash_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_ok_fills_user, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_error_unknown_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_idle_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_absolute_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_change_revokes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_change_guesses_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disable_revokes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_touch_and_idle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_sees_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_sees_other_connection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_outlives_other_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_touch_deferred, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens_stored_hashed, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    text_shutdown();
    return failed;
}
