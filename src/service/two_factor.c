/* two_factor: TOTP enrolment, codes at sign-in, recovery codes, pending sign-ins
 * (two_factor.h says what and why).
 *
 * The replay rule is kept in the row: last_step only grows, by an UPDATE that names the step
 * it saw (WHERE last_step < :step), so two requests racing with one code cannot both win.
 * Recovery codes are 50 random bits each, not chosen by people, so one SHA-256 of the
 * account and the code keeps them as well as a slow hash would; a pending token is 256 bits
 * and kept as its SHA-256, as sessions are. */
#include "service/two_factor.h"

#include <ctype.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/seal.h"
#include "service/auth.h"
#include "service/internal.h"
#include "store/audit.h"
#include "store/db.h"

enum { RECOVERY_LEN = 10, /* base32 characters: 50 bits */
       CODE_MAX = 64 };

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static bool oath_ready;

static void oath_start(void)
{
    oath_ready = oath_init() == OATH_OK && sodium_init() >= 0;
    if (!oath_ready)
        log_error("two_factor: liboath or libsodium cannot be initialised");
}

int two_factor_totp_check(const unsigned char *secret, size_t n, int64_t now_s,
                          const char *code, int64_t last_step, int64_t *step)
{
    *step = 0;
    pthread_once(&oath_once, oath_start);
    if (!oath_ready || !code || strlen(code) != TWO_FACTOR_DIGITS)
        return TOTP_WRONG;
    for (const char *p = code; *p; p++)
        if (!isdigit((unsigned char)*p))
            return TOTP_WRONG;
    int pos = 0;
    uint64_t counter = 0;
    int rc = oath_totp_validate4((const char *)secret, n, (time_t)now_s, TWO_FACTOR_STEP, 0,
                                 TWO_FACTOR_WINDOW, &pos, &counter, 0, code);
    if (rc < 0)
        return TOTP_WRONG;
    if ((int64_t)counter <= last_step)
        return TOTP_REPLAY;
    *step = (int64_t)counter;
    return TOTP_OK;
}

bool two_factor_mandatory(const struct user *u)
{
    return auth_policy.mlps && u && u->role >= ROLE_COORDINATOR;
}

int two_factor_enabled(struct ctx *c, int64_t user_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT 1 FROM two_factor WHERE user_id = :u AND enabled_at IS NOT NULL");
    db_bind_int64(&st, ":u", user_id);
    int s = db_step(&st);
    db_finalize(&st);
    return s == DB_ROW ? 1 : s < 0 ? -1 : 0;
}

bool two_factor_must_enrol(struct ctx *c, const struct user *u)
{
    return two_factor_mandatory(u) && two_factor_enabled(c, u->id) != 1;
}

/* ---- codes ------------------------------------------------------------------------------ */

/* code without spaces and hyphens, lower-case; NULL when too long or empty. */
static char *code_clean(struct ctx *c, const char *code)
{
    if (!code || strlen(code) > CODE_MAX)
        return NULL;
    char *t = arena_alloc(c->arena, strlen(code) + 1), *o = t;
    for (const char *p = code; *p; p++)
        if (*p != ' ' && *p != '-')
            *o++ = (char)tolower((unsigned char)*p);
    return o > t ? t : NULL;
}

static void recovery_hash(int64_t user_id, const char *code, char out[SHA256_HEX_LEN + 1])
{
    char buf[CODE_MAX + 64];
    int n = snprintf(buf, sizeof buf, "duikou-recovery:%lld:%s", (long long)user_id, code);
    sha256_hex(buf, (size_t)n, out);
}

/* The raw secret of a base32 text (arena), *n its length; NULL when it is not one. */
static unsigned char *secret_raw(struct ctx *c, const char *b32, size_t *n)
{
    char *raw = NULL;
    size_t len = 0;
    if (oath_base32_decode(b32, strlen(b32), &raw, &len) != OATH_OK || !raw)
        return NULL;
    unsigned char *out = arena_alloc(c->arena, len ? len : 1);
    memcpy(out, raw, len);
    sodium_memzero(raw, len);
    free(raw);
    *n = len;
    return out;
}

/* The account's secret (base32, opened), whether it is on, and last_step. SVC_NOT_FOUND when
 * the account has none; SVC_CONFLICT err_data_key when it cannot be opened. */
static int secret_read(struct ctx *c, int64_t user_id, const char **b32, bool *on,
                       int64_t *last_step)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT secret, enabled_at IS NOT NULL, last_step FROM two_factor "
               "WHERE user_id = :u");
    db_bind_int64(&st, ":u", user_id);
    int s = db_step(&st);
    const char *sealed = s == DB_ROW ? arena_strdup(c->arena, db_col_text(&st, 0)) : NULL;
    *on = s == DB_ROW && db_col_int64(&st, 1) != 0;
    *last_step = s == DB_ROW ? db_col_int64(&st, 2) : 0;
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "two_factor", "reading the second factor");
    if (!sealed)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no second factor");
    if (!(*b32 = seal_open(c->arena, sealed)))
        return svc_fail(c, SVC_CONFLICT, "err_data_key", NULL,
                        "the second factor's secret cannot be opened (data key)");
    return SVC_OK;
}

/* Takes a TOTP code of user_id (not for a recovery code): TOTP_* or <0 (c says why). */
static int totp_take(struct ctx *c, int64_t user_id, const char *code, bool want_on)
{
    const char *b32;
    bool on;
    int64_t last;
    int rc = secret_read(c, user_id, &b32, &on, &last);
    if (rc != SVC_OK)
        return rc == SVC_NOT_FOUND ? TOTP_WRONG : rc;
    if (on != want_on)
        return TOTP_WRONG;
    size_t n;
    unsigned char *raw = secret_raw(c, b32, &n);
    if (!raw)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "a stored secret is not base32");
    int64_t step;
    int t = two_factor_totp_check(raw, n, clock_now_ms() / 1000, code, last, &step);
    sodium_memzero(raw, n);
    if (t != TOTP_OK)
        return t;
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE two_factor SET last_step = :s WHERE user_id = :u AND last_step < :s");
    db_bind_int64(&st, ":s", step);
    db_bind_int64(&st, ":u", user_id);
    int s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "two_factor", "recording the code's step");
    return db_changes(c->db) == 1 ? TOTP_OK : TOTP_REPLAY; /* another request took it first */
}

static int audit_two_factor(struct ctx *c, const char *actor, const char *action,
                            int64_t user_id, const char *extra_key, int64_t extra)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "user_id", user_id);
    if (extra_key)
        jw_kint(w, extra_key, extra);
    return audit_append(c->db, actor, action, "users", user_id, NULL, svc_json_end(c, &j),
                        c->client);
}

static const char *actor_of(struct ctx *c)
{
    return c->actor ? c->actor : "anonymous";
}

/* Uses a recovery code of user_id, with its audit row: SVC_OK, or SVC_UNAUTHORIZED. */
static int recovery_take(struct ctx *c, int64_t user_id, const char *actor, const char *code)
{
    char h[SHA256_HEX_LEN + 1];
    recovery_hash(user_id, code, h);
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "two_factor", "using a recovery code");
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE two_factor_recovery SET used_at = :now WHERE user_id = :u "
               "AND code_hash = :h AND used_at IS NULL");
    db_bind_text(&st, ":now", svc_now(c));
    db_bind_int64(&st, ":u", user_id);
    db_bind_text(&st, ":h", h);
    int s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        goto fail;
    if (db_changes(c->db) == 0) {
        db_rollback(c->db);
        return svc_fail(c, SVC_UNAUTHORIZED, "err_two_factor_wrong", "code",
                        "not a recovery code of the account, or used already");
    }
    int left = 0;
    db_prepare(c->db, &st,
               "SELECT count(*) FROM two_factor_recovery WHERE user_id = :u AND used_at IS NULL");
    db_bind_int64(&st, ":u", user_id);
    if ((s = db_step(&st)) == DB_ROW)
        left = (int)db_col_int64(&st, 0);
    db_finalize(&st);
    if (s < 0 ||
        audit_two_factor(c, actor, "two_factor.recovery_used", user_id, "left", left) < 0 ||
        db_commit(c->db) < 0)
        goto fail;
    return SVC_OK;
fail:
    db_rollback(c->db);
    return svc_store_failed(c, "two_factor", "using a recovery code");
}

int two_factor_verify(struct ctx *c, int64_t user_id, const char *actor, const char *code)
{
    char *k = code_clean(c, code);
    if (k && strlen(k) == RECOVERY_LEN)
        return recovery_take(c, user_id, actor, k);
    int t = k ? totp_take(c, user_id, k, true) : TOTP_WRONG;
    if (t < 0)
        return t;
    if (t != TOTP_OK)
        return svc_fail(c, SVC_UNAUTHORIZED, "err_two_factor_wrong", "code",
                        t == TOTP_REPLAY ? "the code was used already" : "the code is wrong");
    return SVC_OK;
}

/* ---- enrolment -------------------------------------------------------------------------- */

static int need_self(struct ctx *c)
{
    if (!c->user || !c->user->id)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "two-factor sign-in is set up by the account itself");
    return SVC_OK;
}

/* The otpauth URI of a secret for c->user (the login percent-encoded). */
static void enrolment_of(struct ctx *c, const char *b32, struct two_factor_enrolment *out)
{
    struct sb u;
    sb_init(&u);
    for (const unsigned char *p = (const unsigned char *)c->user->login; p && *p; p++) {
        if (isalnum(*p) || *p == '.' || *p == '_' || *p == '-')
            sb_appendc(&u, (char)*p);
        else
            sb_appendf(&u, "%%%02X", *p);
    }
    out->secret = b32;
    out->uri = arena_printf(c->arena,
                            "otpauth://totp/Duikou:%s?secret=%s&issuer=Duikou&algorithm=SHA1"
                            "&digits=%d&period=%d",
                            u.buf, b32, TWO_FACTOR_DIGITS, TWO_FACTOR_STEP);
    sb_free(&u);
}

int two_factor_begin(struct ctx *c, struct two_factor_enrolment *out)
{
    memset(out, 0, sizeof *out);
    int rc = need_self(c);
    if (rc != SVC_OK)
        return rc;
    int on = two_factor_enabled(c, c->user->id);
    if (on < 0)
        return svc_store_failed(c, "two_factor", "reading the second factor");
    if (on)
        return svc_fail(c, SVC_CONFLICT, "err_two_factor_on", NULL,
                        "two-factor sign-in is on already");
    pthread_once(&oath_once, oath_start);
    if (!oath_ready)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "liboath is not available");
    unsigned char raw[TWO_FACTOR_SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    char *enc = NULL;
    size_t enc_len = 0;
    int e = oath_base32_encode((const char *)raw, sizeof raw, &enc, &enc_len);
    sodium_memzero(raw, sizeof raw);
    if (e != OATH_OK || !enc)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "base32 encoding failed");
    const char *b32 = arena_strdup(c->arena, enc); /* 160 bits: 32 characters, no padding */
    sodium_memzero(enc, enc_len);
    free(enc);
    const char *sealed = seal_text(c->arena, b32);
    if (!sealed)
        return svc_fail(c, SVC_CONFLICT, "err_data_key", NULL,
                        "the data key is not loaded: no secret can be stored");
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "two_factor", "storing the secret");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO two_factor (user_id, secret, created_at) VALUES (:u, :s, :now) "
               "ON CONFLICT (user_id) DO UPDATE SET secret = :s, created_at = :now, "
               "last_step = 0 WHERE two_factor.enabled_at IS NULL");
    db_bind_int64(&st, ":u", c->user->id);
    db_bind_text(&st, ":s", sealed);
    db_bind_text(&st, ":now", svc_now(c));
    int s = db_step(&st);
    db_finalize(&st);
    if (s < 0 || db_changes(c->db) != 1 ||
        audit_two_factor(c, actor_of(c), "two_factor.enrolment_started", c->user->id, NULL, 0) <
            0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return svc_store_failed(c, "two_factor", "storing the secret");
    }
    enrolment_of(c, b32, out);
    return SVC_OK;
}

int two_factor_waiting(struct ctx *c, struct two_factor_enrolment *out)
{
    memset(out, 0, sizeof *out);
    int rc = need_self(c);
    if (rc != SVC_OK)
        return rc;
    const char *b32;
    bool on;
    int64_t last;
    if ((rc = secret_read(c, c->user->id, &b32, &on, &last)) != SVC_OK)
        return rc;
    if (on)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no enrolment waits");
    enrolment_of(c, b32, out);
    return SVC_OK;
}

int two_factor_confirm(struct ctx *c, const char *code, const char **codes,
                       int64_t keep_session_id)
{
    int rc = need_self(c);
    if (rc != SVC_OK)
        return rc;
    int64_t uid = c->user->id;
    char *k = code_clean(c, code);
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "two_factor", "switching it on");
    int t = k ? totp_take(c, uid, k, false) : TOTP_WRONG;
    if (t != TOTP_OK) {
        db_rollback(c->db);
        if (t < 0)
            return t;
        return svc_fail(c, SVC_INVALID, "err_two_factor_wrong", "code",
                        "the code does not match the new secret");
    }
    struct stmt st;
    const char *now = svc_now(c);
    db_prepare(c->db, &st, "UPDATE two_factor SET enabled_at = :now WHERE user_id = :u");
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":u", uid);
    int s = db_step(&st);
    db_finalize(&st);
    db_prepare(c->db, &st, "DELETE FROM two_factor_recovery WHERE user_id = :u");
    db_bind_int64(&st, ":u", uid);
    if (s >= 0)
        s = db_step(&st);
    db_finalize(&st);
    static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
    for (int i = 0; s >= 0 && i < TWO_FACTOR_RECOVERY; i++) {
        char plain[RECOVERY_LEN + 1];
        for (int j = 0; j < RECOVERY_LEN; j++)
            plain[j] = b32[randombytes_uniform(32)];
        plain[RECOVERY_LEN] = 0;
        char h[SHA256_HEX_LEN + 1];
        recovery_hash(uid, plain, h);
        codes[i] = arena_printf(c->arena, "%.5s-%.5s", plain, plain + 5);
        db_prepare(c->db, &st,
                   "INSERT INTO two_factor_recovery (user_id, code_hash) VALUES (:u, :h)");
        db_bind_int64(&st, ":u", uid);
        db_bind_text(&st, ":h", h);
        s = db_step(&st);
        db_finalize(&st);
    }
    /* ASVS V7: a session opened before the factor (perhaps a thief's) does not outlive it. */
    if (s < 0 ||
        auth_revoke_sessions(c, uid, keep_session_id, "two-factor on", NULL) != SVC_OK ||
        audit_two_factor(c, actor_of(c), "two_factor.enabled", uid, "recovery_codes",
                         TWO_FACTOR_RECOVERY) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return svc_store_failed(c, "two_factor", "switching it on");
    }
    return SVC_OK;
}

int two_factor_disable(struct ctx *c, const char *password, const char *code,
                       int64_t keep_session_id)
{
    int rc = need_self(c);
    if (rc != SVC_OK)
        return rc;
    int64_t uid = c->user->id;
    /* The password and the code are guessed here as at sign-in: the same locks hold. */
    if ((rc = auth_self_check_locked(c, uid)) != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st, "SELECT pw_hash FROM users WHERE id = :u");
    db_bind_int64(&st, ":u", uid);
    int s = db_step(&st);
    const char *hash = s == DB_ROW ? arena_strdup(c->arena, db_col_text(&st, 0)) : NULL;
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "two_factor", "reading the account");
    if (!password || strlen(password) > AUTH_PASSWORD_MAX || !auth_verify_password(hash, password))
        return auth_self_check_failed(c, uid, false);
    if (two_factor_enabled(c, uid) != 1)
        return svc_fail(c, SVC_CONFLICT, "err_two_factor_off", NULL, "two-factor sign-in is off");
    if ((rc = two_factor_verify(c, uid, actor_of(c), code)) != SVC_OK)
        return rc == SVC_UNAUTHORIZED ? auth_self_check_failed(c, uid, true) : rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "two_factor", "switching it off");
    db_prepare(c->db, &st, "DELETE FROM two_factor WHERE user_id = :u");
    db_bind_int64(&st, ":u", uid);
    s = db_step(&st);
    db_finalize(&st);
    db_prepare(c->db, &st, "DELETE FROM two_factor_recovery WHERE user_id = :u");
    db_bind_int64(&st, ":u", uid);
    if (s >= 0)
        s = db_step(&st);
    db_finalize(&st);
    if (s < 0 || auth_revoke_sessions(c, uid, keep_session_id, "two-factor off", NULL) != SVC_OK ||
        audit_two_factor(c, actor_of(c), "two_factor.disabled", uid, NULL, 0) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return svc_store_failed(c, "two_factor", "switching it off");
    }
    return SVC_OK;
}

int two_factor_reset(struct ctx *c, int64_t user_id)
{
    if (c->user)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "another account's second factor is reset from the command line");
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "two_factor", "resetting it");
    struct stmt st;
    db_prepare(c->db, &st, "DELETE FROM two_factor WHERE user_id = :u");
    db_bind_int64(&st, ":u", user_id);
    int s = db_step(&st);
    db_finalize(&st);
    int gone = s >= 0 ? db_changes(c->db) : 0;
    db_prepare(c->db, &st, "DELETE FROM two_factor_recovery WHERE user_id = :u");
    db_bind_int64(&st, ":u", user_id);
    if (s >= 0)
        s = db_step(&st);
    db_finalize(&st);
    if (s >= 0 && !gone) {
        db_rollback(c->db);
        return svc_fail(c, SVC_NOT_FOUND, "err_two_factor_off", NULL,
                        "the account has no second factor");
    }
    if (s < 0 || auth_revoke_sessions(c, user_id, 0, "two-factor reset", NULL) != SVC_OK ||
        audit_two_factor(c, actor_of(c), "two_factor.reset", user_id, NULL, 0) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return svc_store_failed(c, "two_factor", "resetting it");
    }
    return SVC_OK;
}

int two_factor_recovery_left(struct ctx *c, int *n)
{
    *n = 0;
    int rc = need_self(c);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT count(*) FROM two_factor_recovery WHERE user_id = :u AND used_at IS NULL");
    db_bind_int64(&st, ":u", c->user->id);
    int s = db_step(&st);
    if (s == DB_ROW)
        *n = (int)db_col_int64(&st, 0);
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "two_factor", "counting recovery codes") : SVC_OK;
}

/* ---- pending sign-ins ------------------------------------------------------------------- */

int two_factor_pending_new(struct ctx *c, int64_t user_id, const char **token)
{
    *token = NULL;
    pthread_once(&oath_once, oath_start);
    unsigned char raw[32];
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    char h[SHA256_HEX_LEN + 1];
    sha256_hex(b64, strlen(b64), h);
    char exp[25], now[25];
    int64_t now_ms = clock_now_ms();
    clock_format(now_ms, now);
    clock_format(now_ms + (int64_t)TWO_FACTOR_PENDING_SECONDS * 1000, exp);
    struct stmt st;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "two_factor", "starting the sign-in");
    /* The expired ones go as new ones come: the table stays small without a sweeper. */
    db_prepare(c->db, &st, "DELETE FROM two_factor_pending WHERE expires_at <= :now");
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    db_prepare(c->db, &st,
               "INSERT INTO two_factor_pending (user_id, token_hash, expires_at) "
               "VALUES (:u, :h, :exp)");
    db_bind_int64(&st, ":u", user_id);
    db_bind_text(&st, ":h", h);
    db_bind_text(&st, ":exp", exp);
    if (s >= 0)
        s = db_step(&st);
    db_finalize(&st);
    if (s < 0 || db_commit(c->db) < 0) {
        db_rollback(c->db);
        return svc_store_failed(c, "two_factor", "starting the sign-in");
    }
    *token = arena_strdup(c->arena, b64);
    return SVC_OK;
}

int two_factor_pending_take(struct ctx *c, const char *token, int64_t *user_id)
{
    *user_id = 0;
    if (!token || !*token || strlen(token) > AUTH_TOKEN_MAX)
        return svc_fail(c, SVC_UNAUTHORIZED, "err_two_factor_expired", NULL, "no pending sign-in");
    char h[SHA256_HEX_LEN + 1], now[25];
    sha256_hex(token, strlen(token), h);
    clock_format(clock_now_ms(), now);
    struct stmt st;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "two_factor", "reading the pending sign-in");
    db_prepare(c->db, &st,
               "DELETE FROM two_factor_pending WHERE token_hash = :h "
               "RETURNING user_id, expires_at > :now");
    db_bind_text(&st, ":h", h);
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    int64_t uid = s == DB_ROW ? db_col_int64(&st, 0) : 0;
    bool live = s == DB_ROW && db_col_int64(&st, 1) != 0;
    db_finalize(&st);
    if (s < 0 || db_commit(c->db) < 0) {
        db_rollback(c->db);
        return svc_store_failed(c, "two_factor", "reading the pending sign-in");
    }
    if (!uid || !live)
        return svc_fail(c, SVC_UNAUTHORIZED, "err_two_factor_expired", NULL,
                        "the pending sign-in is unknown, used or expired");
    *user_id = uid;
    return SVC_OK;
}
