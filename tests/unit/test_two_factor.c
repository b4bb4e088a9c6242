/* test_two_factor: TOTP through the code path the server uses (service/two_factor.c): the
 * RFC 6238 test vectors (SHA-1, as 6 digits), a clock skew of ±1 step taken and ±2 refused,
 * a code of the same or an earlier step refused; then on a database, with codes computed
 * here by OpenSSL's HMAC-SHA-1 from the enrolled secret: enrolment (sealed secret, nothing
 * of it in the audit), sign-in with the second factor (no session on the password alone, the
 * pending step single-use and five minutes long, replay refused, a recovery code once, wrong
 * codes counting toward the lock), and switching it off. The clock is stopped (clock_freeze)
 * to the middle of a 30-second step, never read from the machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <liboath/oath.h>
#include <openssl/hmac.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/seal.h"
#include "service/auth.h"
#include "service/service.h"
#include "service/session_cache.h"
#include "service/two_factor.h"
#include "service/user.h"
#include "store/db.h"

#include "test_util.h"

#define PW "correct horse battery"
#define CLIENT "203.0.113.7"

/* RFC 6238 appendix B: the SHA-1 seed, times and 8-digit values (the 6-digit code is the
 * value's last six digits: the same truncation modulo 10^6). */
static const char rfc_secret[] = "12345678901234567890";
static const struct {
    int64_t t;
    const char *totp8;
} rfc[] = {
    {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};

static int check(int64_t now, const char *code, int64_t last, int64_t *step)
{
    return two_factor_totp_check((const unsigned char *)rfc_secret, strlen(rfc_secret), now,
                                 code, last, step);
}

static void test_rfc6238_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rfc / sizeof *rfc; i++) {
        int64_t step = -1;
        assert_int_equal(check(rfc[i].t, rfc[i].totp8 + 2, 0, &step), TOTP_OK);
        assert_int_equal(step, rfc[i].t / 30);
    }
    int64_t step;
    /* one digit off, the 8-digit form, letters, empty: refused */
    assert_int_equal(check(59, "287083", 0, &step), TOTP_WRONG);
    assert_int_equal(check(59, "94287082", 0, &step), TOTP_WRONG);
    assert_int_equal(check(59, "28708a", 0, &step), TOTP_WRONG);
    assert_int_equal(check(59, "", 0, &step), TOTP_WRONG);
    assert_int_equal(check(59, NULL, 0, &step), TOTP_WRONG);
}

static void test_skew(void **state)
{
    (void)state;
    int64_t t = 1111111109, step; /* step 37037036; its code 081804 */
    const char *code = "081804";
    assert_int_equal(check(t + 30, code, 0, &step), TOTP_OK); /* the server a step ahead */
    assert_int_equal(step, t / 30);
    assert_int_equal(check(t - 30, code, 0, &step), TOTP_OK); /* a step behind */
    assert_int_equal(check(t + 60, code, 0, &step), TOTP_WRONG);
    assert_int_equal(check(t - 60, code, 0, &step), TOTP_WRONG);
}

static void test_replay(void **state)
{
    (void)state;
    int64_t t = 1111111109, s = t / 30, step;
    assert_int_equal(check(t, "081804", s - 1, &step), TOTP_OK);
    assert_int_equal(check(t, "081804", s, &step), TOTP_REPLAY);     /* the same step */
    assert_int_equal(check(t, "081804", s + 1, &step), TOTP_REPLAY); /* after a later one */
}

/* ---- on a database -------------------------------------------------------------------- */

struct fixture {
    char dir[64], path[128];
    struct db *db;
    struct arena arena;
    struct ctx ctx;
    struct user me;
    int64_t uid;
    int64_t base_ms; /* the instant the clock is set to: 15 s into a step */
};

static struct ctx *cli(struct fixture *f)
{
    f->ctx = (struct ctx){.db = f->db, .arena = &f->arena, .actor = "cli:test", .client = CLIENT};
    return &f->ctx;
}

static struct ctx *as_me(struct fixture *f)
{
    f->ctx = (struct ctx){.db = f->db, .arena = &f->arena, .actor = "user:alice",
                          .client = CLIENT, .user = &f->me};
    return &f->ctx;
}

/* The clock stopped at base + seconds: a loaded machine cannot carry a test across a step. */
static void at(struct fixture *f, int64_t seconds)
{
    clock_freeze(f->base_ms + seconds * 1000);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (tu_db_setup(f->dir, f->path, "two_factor", "test.db", &f->db) != 0)
        return -1;
    arena_init(&f->arena);
    struct seal_key k;
    memset(k.key, 7, sizeof k.key);
    seal_use_key(&k);
    f->base_ms = (int64_t)1798761600 * 1000 + 15000; /* 2027-01-01T00:00:15Z */
    at(f, 0);
    auth_policy = (struct auth_policy){.max_failures = 5, .lock_seconds = 900, .idle_seconds = 1800,
                                       .absolute_seconds = 43200, .password_max_days = 90};
    int64_t pairing = tu_insert_pairing(f->db, 0, "上海市", "大连市"), unit;
    struct unit_input u = {.pairing_id = pairing, .side = 1, .name = "大连市发展和改革委员会",
                           .kind = "department", .tier = "coordination"};
    if (unit_create(cli(f), &u, &unit) != SVC_OK)
        return -1;
    struct user_input in = {.login = "alice", .role = "coordinator", .unit_id = unit,
                            .password = PW};
    if (user_create(cli(f), &in, &f->uid) != SVC_OK || user_load(cli(f), f->uid, &f->me))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    clock_freeze(0);
    seal_use_key(NULL);
    session_cache_clear();
    arena_free(&f->arena);
    tu_db_teardown(f->dir, f->db);
    free(f);
    return 0;
}

/* The code of base32 secret b32 at step: RFC 4226 with OpenSSL's HMAC-SHA-1, written here
 * apart from the code under test. */
static const char *code_at(struct fixture *f, const char *b32, int64_t step)
{
    char *raw = NULL;
    size_t n = 0;
    assert_int_equal(oath_base32_decode(b32, strlen(b32), &raw, &n), OATH_OK);
    unsigned char msg[8], mac[20];
    for (int i = 7; i >= 0; i--, step >>= 8)
        msg[i] = (unsigned char)(step & 0xff);
    unsigned len = 0;
    HMAC(EVP_sha1(), raw, (int)n, msg, sizeof msg, mac, &len);
    free(raw);
    int o = mac[19] & 0x0f;
    uint32_t v = ((uint32_t)(mac[o] & 0x7f) << 24) | ((uint32_t)mac[o + 1] << 16) |
                 ((uint32_t)mac[o + 2] << 8) | mac[o + 3];
    return arena_printf(&f->arena, "%06u", v % 1000000);
}

static int64_t now_step(void)
{
    return clock_now_ms() / 1000 / 30;
}

/* Enrols alice: the secret (base32) and the recovery codes. */
static const char *enrol(struct fixture *f, const char **codes)
{
    struct two_factor_enrolment e;
    assert_int_equal(two_factor_begin(as_me(f), &e), SVC_OK);
    assert_non_null(strstr(e.uri, "otpauth://totp/Duikou:alice?secret="));
    assert_non_null(strstr(e.uri, "&issuer=Duikou"));
    assert_int_equal(strlen(e.secret), 32);
    assert_int_equal(two_factor_enabled(cli(f), f->uid), 0); /* not before the first code */
    assert_int_equal(two_factor_confirm(as_me(f), "000000x", codes, 0), SVC_INVALID);
    assert_int_equal(two_factor_confirm(as_me(f), code_at(f, e.secret, now_step()), codes, 0),
                     SVC_OK);
    assert_int_equal(two_factor_enabled(cli(f), f->uid), 1);
    return e.secret;
}

static void test_enrol_sealed_not_audited(void **state)
{
    struct fixture *f = *state;
    const char *codes[TWO_FACTOR_RECOVERY];
    const char *secret = enrol(f, codes);
    for (int i = 0; i < TWO_FACTOR_RECOVERY; i++)
        assert_int_equal(strlen(codes[i]), 11); /* xxxxx-xxxxx */
    /* at rest: sealed, and neither the secret nor a recovery code in any audit row */
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM two_factor WHERE secret LIKE 'v1:%'",
                              NULL), 1);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM two_factor WHERE instr(secret, :t)",
                              secret), 0);
    assert_int_equal(tu_count(f->db,
                              "SELECT count(*) FROM audit WHERE instr(coalesce(after, '') || "
                              "coalesce(before, ''), :t)", secret), 0);
    assert_int_equal(tu_count(f->db,
                              "SELECT count(*) FROM two_factor_recovery WHERE code_hash = :t",
                              codes[0]), 0);
    assert_int_equal(tu_count(f->db,
                              "SELECT count(*) FROM audit WHERE action = 'two_factor.enabled'",
                              NULL), 1);
    /* a second enrolment while on is refused */
    struct two_factor_enrolment e;
    assert_int_equal(two_factor_begin(as_me(f), &e), SVC_CONFLICT);
}

static void test_sign_in(void **state)
{
    struct fixture *f = *state;
    const char *codes[TWO_FACTOR_RECOVERY];
    const char *secret = enrol(f, codes);
    int64_t s0 = now_step(); /* taken by the confirmation */
    struct session_info si;
    const char *pending = NULL;
    /* the password alone: no session, a pending step */
    assert_int_equal(auth_login_code(cli(f), "alice", PW, NULL, &pending, &si),
                     SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_two_factor_required");
    assert_non_null(pending);
    assert_null(si.token);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM session", NULL), 0);
    assert_int_equal(auth_login(cli(f), "alice", PW, &si), SVC_UNAUTHORIZED);
    /* the code already taken by the confirmation: a replay */
    assert_int_equal(auth_login_pending(cli(f), pending, code_at(f, secret, s0), &si),
                     SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_two_factor_wrong");
    /* the pending step was used up by that attempt */
    assert_int_equal(auth_login_pending(cli(f), pending, code_at(f, secret, s0 + 1), &si),
                     SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_two_factor_expired");
    /* the next step (the phone's clock ahead by one): a session */
    assert_int_equal(auth_login_code(cli(f), "alice", PW, NULL, &pending, &si), SVC_UNAUTHORIZED);
    assert_int_equal(auth_login_pending(cli(f), pending, code_at(f, secret, s0 + 1), &si), SVC_OK);
    assert_non_null(si.token);
    /* the same code again, in one request: refused */
    assert_int_equal(auth_login_code(cli(f), "alice", PW, code_at(f, secret, s0 + 1), NULL, &si),
                     SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_two_factor_wrong");
    /* a pending step lives five minutes */
    assert_int_equal(auth_login_code(cli(f), "alice", PW, NULL, &pending, &si), SVC_UNAUTHORIZED);
    at(f, TWO_FACTOR_PENDING_SECONDS + 10); /* the test itself took a moment since at(0) */
    int64_t s1 = now_step();
    assert_int_equal(auth_login_pending(cli(f), pending, code_at(f, secret, s1), &si),
                     SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_two_factor_expired");
    /* a recovery code, once (spaces and capitals as typed from paper) */
    char typed[16];
    snprintf(typed, sizeof typed, " %s", codes[3]);
    typed[1] = (char)(typed[1] >= 'a' && typed[1] <= 'z' ? typed[1] - 32 : typed[1]);
    assert_int_equal(auth_login_code(cli(f), "alice", PW, typed, NULL, &si), SVC_OK);
    assert_int_equal(auth_login_code(cli(f), "alice", PW, codes[3], NULL, &si), SVC_UNAUTHORIZED);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'two_factor.recovery_used'", NULL), 1);
    /* a fresh code of now */
    assert_int_equal(auth_login_code(cli(f), "alice", PW, code_at(f, secret, s1), NULL, &si),
                     SVC_OK);
}

static void test_wrong_codes_lock(void **state)
{
    struct fixture *f = *state;
    const char *codes[TWO_FACTOR_RECOVERY];
    const char *secret = enrol(f, codes);
    /* a real code, but of the step the confirmation took: each try is a replay, refused by
     * the step check (not by the digit filter) and counted as a guess */
    const char *used = code_at(f, secret, now_step());
    struct session_info si;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(auth_login_code(cli(f), "alice", PW, used, NULL, &si),
                         SVC_UNAUTHORIZED);
        assert_string_equal(f->ctx.code, "err_two_factor_wrong");
    }
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'auth.two_factor_failed'", NULL), 5);
    /* each counts in the "failures since the last sign-in" the next session shows */
    assert_int_equal(tu_count(f->db, "SELECT login_failures FROM users WHERE login = 'alice'",
                              NULL), 5);
    /* locked from this address: right password and code answer as a wrong password */
    assert_int_equal(auth_login_code(cli(f), "alice", PW, code_at(f, secret, now_step() + 1),
                                     NULL, &si),
                     SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_login_failed");
}

static void test_disable(void **state)
{
    struct fixture *f = *state;
    const char *codes[TWO_FACTOR_RECOVERY];
    const char *secret = enrol(f, codes);
    int64_t s = now_step();
    assert_int_equal(two_factor_disable(as_me(f), "wrong password", code_at(f, secret, s + 1), 0),
                     SVC_INVALID);
    assert_string_equal(f->ctx.code, "err_password_wrong");
    assert_int_equal(two_factor_disable(as_me(f), PW, code_at(f, secret, s), 0), SVC_INVALID);
    assert_string_equal(f->ctx.code, "err_two_factor_wrong");
    /* both were guesses: counted toward the lock and audited as at sign-in */
    assert_int_equal(tu_count(f->db, "SELECT failed_logins FROM users WHERE login = 'alice'",
                              NULL), 2);
    assert_int_equal(tu_count(f->db, "SELECT login_failures FROM users WHERE login = 'alice'",
                              NULL), 2);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'auth.password_failed' AND actor = 'user:alice'", NULL), 1);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'auth.two_factor_failed' AND actor = 'user:alice'", NULL), 1);
    assert_int_equal(two_factor_disable(as_me(f), PW, code_at(f, secret, s + 1), 0), SVC_OK);
    assert_int_equal(two_factor_enabled(cli(f), f->uid), 0);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM two_factor_recovery", NULL), 0);
    struct session_info si;
    assert_int_equal(auth_login(cli(f), "alice", PW, &si), SVC_OK);
}

/* Five wrong tries at switching it off lock the account: then even the right password and
 * code are refused (SVC_LOCKED), audited as auth.password_locked, and it stays on. */
static void test_disable_locks(void **state)
{
    struct fixture *f = *state;
    const char *codes[TWO_FACTOR_RECOVERY];
    const char *secret = enrol(f, codes);
    int64_t s = now_step();
    for (int i = 0; i < 5; i++)
        assert_int_equal(two_factor_disable(as_me(f), i % 2 ? PW : "wrong password",
                                            i % 2 ? code_at(f, secret, s) : "", 0),
                         SVC_INVALID);
    assert_int_equal(two_factor_disable(as_me(f), PW, code_at(f, secret, s + 1), 0), SVC_LOCKED);
    assert_string_equal(f->ctx.code, "err_locked");
    assert_int_equal(two_factor_enabled(cli(f), f->uid), 1);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'auth.password_locked'", NULL), 1);
    at(f, 901); /* the lock's 15 minutes are over */
    assert_int_equal(two_factor_disable(as_me(f), PW, code_at(f, secret, now_step()), 0), SVC_OK);
}

static int64_t live_sessions(struct fixture *f)
{
    return tu_count(f->db, "SELECT count(*) FROM session WHERE revoked_at IS NULL", NULL);
}

static int64_t live(struct fixture *f, int64_t id)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM session WHERE id = %lld AND revoked_at IS NULL",
             (long long)id);
    return tu_count(f->db, sql, NULL);
}

/* ASVS V7: switching it on or off ends the account's other sessions (the request's stays);
 * the command line's reset ends them all. */
static void test_sessions_end(void **state)
{
    struct fixture *f = *state;
    struct session_info a, b;
    assert_int_equal(auth_login(cli(f), "alice", PW, &a), SVC_OK);
    assert_int_equal(auth_login(cli(f), "alice", PW, &b), SVC_OK);
    struct two_factor_enrolment e;
    const char *codes[TWO_FACTOR_RECOVERY];
    assert_int_equal(two_factor_begin(as_me(f), &e), SVC_OK);
    assert_int_equal(two_factor_confirm(as_me(f), code_at(f, e.secret, now_step()), codes,
                                        a.session_id),
                     SVC_OK);
    assert_int_equal(live(f, a.session_id), 1);
    assert_int_equal(live(f, b.session_id), 0);
    assert_int_equal(live_sessions(f), 1);
    struct session_info c;
    assert_int_equal(auth_login_code(cli(f), "alice", PW, code_at(f, e.secret, now_step() + 1),
                                     NULL, &c),
                     SVC_OK);
    assert_int_equal(two_factor_disable(as_me(f), PW, codes[0], c.session_id), SVC_OK);
    assert_int_equal(live(f, c.session_id), 1);
    assert_int_equal(live_sessions(f), 1);
    assert_int_equal(tu_count(f->db, "SELECT count(*) FROM audit WHERE action = "
                                     "'auth.revoke_sessions'", NULL), 2);
    /* on again, then reset from the command line: no session left */
    assert_int_equal(two_factor_begin(as_me(f), &e), SVC_OK);
    assert_int_equal(two_factor_confirm(as_me(f), code_at(f, e.secret, now_step()), codes,
                                        c.session_id),
                     SVC_OK);
    assert_int_equal(live_sessions(f), 1);
    assert_int_equal(two_factor_reset(cli(f), f->uid), SVC_OK);
    assert_int_equal(live_sessions(f), 0);
}

/* The second step checks again what the first did: two-factor switched off in between opens
 * no session on any code, and an account that may no longer sign in (三员分立) is refused. */
static void test_pending_rechecks(void **state)
{
    struct fixture *f = *state;
    const char *codes[TWO_FACTOR_RECOVERY];
    enrol(f, codes);
    struct session_info si;
    const char *pending = NULL;
    assert_int_equal(auth_login_code(cli(f), "alice", PW, NULL, &pending, &si), SVC_UNAUTHORIZED);
    assert_int_equal(two_factor_disable(as_me(f), PW, codes[1], 0), SVC_OK);
    assert_int_equal(auth_login_pending(cli(f), pending, "000000", &si), SVC_UNAUTHORIZED);
    assert_string_equal(f->ctx.code, "err_two_factor_expired");
    assert_null(si.token);
    assert_int_equal(live_sessions(f), 0);

    enrol(f, codes);
    assert_int_equal(auth_login_code(cli(f), "alice", PW, NULL, &pending, &si), SVC_UNAUTHORIZED);
    auth_policy.mlps = true;
    assert_int_equal(db_exec(f->db, "UPDATE users SET role = 'admin', admin_kind = NULL "
                                    "WHERE login = 'alice'"), 0);
    assert_int_equal(auth_login_pending(cli(f), pending, codes[2], &si), SVC_FORBIDDEN);
    assert_string_equal(f->ctx.code, "err_admin_kind_missing");
    assert_int_equal(live_sessions(f), 0);
    auth_policy.mlps = false;
}

static void test_mandatory(void **state)
{
    struct fixture *f = *state;
    struct user member = f->me;
    member.role = ROLE_MEMBER;
    assert_false(two_factor_must_enrol(cli(f), &f->me)); /* not without --mlps */
    auth_policy.mlps = true;
    assert_true(two_factor_must_enrol(cli(f), &f->me));
    assert_false(two_factor_must_enrol(cli(f), &member));
    const char *codes[TWO_FACTOR_RECOVERY];
    enrol(f, codes);
    assert_false(two_factor_must_enrol(cli(f), &f->me));
    auth_policy.mlps = false;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6238_vectors),
        cmocka_unit_test(test_skew),
        cmocka_unit_test(test_replay),
        cmocka_unit_test_setup_teardown(test_enrol_sealed_not_audited, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_codes_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disable_locks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_rechecks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mandatory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
