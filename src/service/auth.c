/* auth: passwords, sign-in, sessions and API tokens.
 *
 * Passwords are hashed with argon2id through libsodium's crypto_pwhash_str at
 * OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE (t=2, 64 MiB, one lane). Measured on the
 * project machine (2 cores, 2026-11): one hash or one verification takes about 65 ms of one
 * core and 64 MiB of memory, so a sign-in costs ~65 ms and a server with N threads needs
 * N × 64 MiB at worst while everyone signs in at once. That is the point: an attacker who
 * copies the database pays the same per guess. The hash is computed outside any transaction,
 * so the write lock is never held while it runs.
 *
 * Sign-in never tells which of login and password was wrong (err_login_failed for both), nor
 * whether the account exists or is locked: an unknown, disabled or locked account is answered
 * exactly as a wrong password, with the same status and body, after the same argon2id work
 * (a dummy hash made at first use with the same parameters). Locks are per account AND
 * address: five consecutive failures (policy) from one address lock that address out of the
 * account for fifteen minutes (login_lock, schema 8), so a stranger cannot lock the owner out
 * from elsewhere — the denial the old per-account lock allowed. Failures from every address
 * together meet a slower lock of the account: after GLOBAL_FACTOR × max_failures (20) of
 * them without a success between, the account takes no password for lock_seconds / 15 (a
 * minute), each further failure starting that minute again, so guessing from many addresses
 * gets about one try a minute. A success resets its address's count and the account's.
 * Every attempt — success, failure, attempt while locked — is an audit row with the client
 * address. The row of a failure names the login only when it looks like a login (a password
 * typed into the login field must not end up in the log). A wrong current password given to change one's own
 * password is a guess too, by whoever holds the session: it counts toward the same lock and
 * is audited (auth.password_failed); while locked, a change is refused as a sign-in is
 * (err_locked, audited as auth.password_locked) without checking any password.
 *
 * Sessions and API tokens: 32 bytes from randombytes_buf, given to the client once as
 * base64url (API tokens behind a "dk_" prefix so secret scanners can spot them) and stored
 * only as the SHA-256 of that text. A session also has a CSRF token (32 random bytes, stored
 * as is: it is worthless without the session token). A session ends after idle_seconds
 * without use, absolute_seconds after sign-in, on sign-out, on a password change and when
 * the account is disabled. Signing in always makes a new session; other sessions of the same
 * account (another browser, another device) go on until they end by themselves — the web
 * layer ends the one the browser brought with it, so a token planted before sign-in
 * (session fixation) is never promoted.
 *
 * Bookkeeping writes are not audited: a session's last_seen_at and a token's last_used_at
 * are updated at most once a minute (TOUCH_MS), so a busy session costs one small write a
 * minute and not one per request; the idle timeout is therefore exact to within a minute.
 * In the server even that write leaves the request: the use is noted in memory and written
 * in a batch by its background thread (service/touch.c), so a GET never writes.
 */
#include "service/auth.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/embedded.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "service/internal.h"
#include "service/perm.h"
#include "service/session_cache.h"
#include "service/sign_in.h"
#include "service/touch.h"
#include "service/two_factor.h"
#include "service/user.h"
#include "store/audit.h"
#include "store/db.h"

struct auth_policy auth_policy = {
    .max_failures = 5,
    .lock_seconds = 900,
    .idle_seconds = 1800,
    .absolute_seconds = 43200,
    .composition = false,
    .mlps = false,
    .password_max_days = 90,
};

enum { TOUCH_MS = 60 * 1000, RANDOM_BYTES = 32, PASSWORD_MIN = 8,
       GLOBAL_FACTOR = 4, /* failures from all addresses before the account's slow lock */
       GLOBAL_LOCK_DIVISOR = 15 /* that lock lasts lock_seconds / 15 (a minute of 900 s) */ };
#define API_TOKEN_PREFIX "dk_"

static void sodium_ready(void)
{
    if (sodium_init() < 0) {
        log_error("auth: libsodium cannot be initialised");
        abort();
    }
}

static const char *actor_or_anonymous(struct ctx *c)
{
    return c->actor ? c->actor : "anonymous";
}

static const char *time_at(struct ctx *c, int64_t ms)
{
    char *ts = arena_alloc(c->arena, 25);
    clock_format(ms, ts);
    return ts;
}

/* 32 random bytes as unpadded base64url (43 characters) after prefix. */
static const char *random_token(struct ctx *c, const char *prefix)
{
    unsigned char raw[RANDOM_BYTES];
    char b64[sodium_base64_ENCODED_LEN(RANDOM_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_ready();
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return arena_printf(c->arena, "%s%s", prefix, b64);
}

static void token_hash(const char *token, char out[SHA256_HEX_LEN + 1])
{
    sha256_hex(token, strlen(token), out);
}

/* A new session or API token (arena) and, in hash, what the database keeps of it. */
static const char *token_new(struct ctx *c, const char *prefix, char hash[SHA256_HEX_LEN + 1])
{
    const char *t = random_token(c, prefix);
    token_hash(t, hash);
    return t;
}

/* Runs sql, an UPDATE binding :now and :id (a touch or a revocation of a session or token);
 * the db_step result. */
static int set_now(struct ctx *c, const char *sql, const char *now, int64_t id)
{
    struct stmt st;
    db_prepare(c->db, &st, sql);
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    db_finalize(&st);
    return s;
}

/* ---- the common-password list ----------------------------------------------------------- */

struct entry {
    const char *s;
    size_t n;
};
static struct entry *common;
static size_t n_common;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int d = memcmp(x->s, y->s, n);
    return d ? d : (x->n > y->n) - (x->n < y->n);
}

/* An index over the embedded file, built once: the file's lines are not copied. */
static void common_load(void)
{
    const struct embedded_file *f = embedded_find("common-passwords.txt");
    if (!f) {
        log_error("auth: common-passwords.txt is not compiled in");
        return;
    }
    size_t cap = 1;
    for (size_t i = 0; i < f->len; i++)
        cap += f->data[i] == '\n';
    common = xmalloc(cap * sizeof *common);
    const char *p = (const char *)f->data, *end = p + f->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        size_t n = (size_t)(e - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n && p[0] != '#')
            common[n_common++] = (struct entry){p, n};
        p = e + 1;
    }
    qsort(common, n_common, sizeof *common, entry_cmp);
}

static bool in_common_list(const char *lower)
{
    pthread_once(&common_once, common_load);
    struct entry key = {lower, strlen(lower)};
    return n_common && bsearch(&key, common, n_common, sizeof *common, entry_cmp) != NULL;
}

static char *ascii_lower(struct ctx *c, const char *s)
{
    char *t = arena_strdup(c->arena, s);
    for (char *p = t; *p; p++)
        if ((unsigned char)*p < 0x80)
            *p = (char)tolower((unsigned char)*p);
    return t;
}

static bool is_date(const char *s, size_t n)
{
    if (n != 8)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    int v[8];
    for (int i = 0; i < 8; i++)
        v[i] = s[i] - '0';
    int ymd_y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], ymd_m = v[4] * 10 + v[5],
        ymd_d = v[6] * 10 + v[7];
    int dmy_d = v[0] * 10 + v[1], dmy_m = v[2] * 10 + v[3],
        dmy_y = v[4] * 1000 + v[5] * 100 + v[6] * 10 + v[7];
    bool ymd = ymd_y >= 1900 && ymd_y <= 2099 && ymd_m >= 1 && ymd_m <= 12 && ymd_d >= 1 &&
               ymd_d <= 31;
    /* DDMMYYYY and MMDDYYYY */
    bool dmy = dmy_y >= 1900 && dmy_y <= 2099 &&
               ((dmy_m >= 1 && dmy_m <= 12 && dmy_d >= 1 && dmy_d <= 31) ||
                (dmy_d >= 1 && dmy_d <= 12 && dmy_m >= 1 && dmy_m <= 31));
    return ymd || dmy;
}

/* One character repeated, or a run up or down by one (12345678, abcdefgh, 87654321). */
static bool is_trivial(const uint32_t *cp, size_t n)
{
    bool same = true, up = true, down = true;
    for (size_t i = 1; i < n; i++) {
        same = same && cp[i] == cp[0];
        up = up && cp[i] == cp[i - 1] + 1;
        down = down && cp[i] + 1 == cp[i - 1];
    }
    return same || up || down;
}

int auth_password_acceptable(struct ctx *c, const char *login, const char *password)
{
    if (!password || !*password)
        return svc_fail(c, SVC_INVALID, "err_password_short", "password", "a password is required");
    size_t len = strlen(password);
    if (len > AUTH_PASSWORD_MAX)
        return svc_fail(c, SVC_INVALID, "err_too_long", "password",
                        "a password has at most %d bytes", AUTH_PASSWORD_MAX);
    if (!utf8_valid(password, len, NULL))
        return svc_fail(c, SVC_INVALID, "err_bad_utf8", "password",
                        "the password is not valid UTF-8");
    size_t n;
    uint32_t *cp = utf8_to_cps(c->arena, password, len, &n);
    for (size_t i = 0; i < n; i++)
        if (cp[i] < 0x20 || cp[i] == 0x7f)
            return svc_fail(c, SVC_INVALID, "err_invalid", "password",
                            "the password holds a control character");
    if (n < PASSWORD_MIN)
        return svc_fail(c, SVC_INVALID, "err_password_short", "password",
                        "a password needs at least %d characters", PASSWORD_MIN);
    const char *lower = ascii_lower(c, password);
    if (in_common_list(lower) || is_trivial(cp, n) || is_date(password, len))
        return svc_fail(c, SVC_INVALID, "err_password_common", "password",
                        "the password is too common or too simple");
    if (login && strlen(login) >= 3) {
        const char *lg = ascii_lower(c, login);
        if (strstr(lower, lg))
            return svc_fail(c, SVC_INVALID, "err_password_login", "password",
                            "the password contains the login");
        size_t ln = strlen(lg);
        char *rev = arena_alloc(c->arena, ln + 1);
        for (size_t i = 0; i < ln; i++)
            rev[i] = lg[ln - 1 - i];
        if (strstr(lower, rev))
            return svc_fail(c, SVC_INVALID, "err_password_login", "password",
                            "the password contains the login backwards");
    }
    if (auth_policy.composition) {
        bool upper = false, low = false, digit = false, symbol = false;
        for (size_t i = 0; i < n; i++) {
            if (cp[i] >= 'A' && cp[i] <= 'Z')
                upper = true;
            else if (cp[i] >= 'a' && cp[i] <= 'z')
                low = true;
            else if (cp[i] >= '0' && cp[i] <= '9')
                digit = true;
            else
                symbol = true; /* punctuation, spaces, and any non-ASCII character */
        }
        if (!(upper && low && digit && symbol))
            return svc_fail(c, SVC_INVALID, "err_password_weak", "password",
                            "the password must mix upper-case, lower-case, digits and symbols");
    }
    return SVC_OK;
}

/* ---- hashing ---------------------------------------------------------------------------- */

const char *auth_hash_password(struct ctx *c, const char *password)
{
    char *out = arena_alloc(c->arena, crypto_pwhash_STRBYTES);
    sodium_ready();
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        log_error("auth: argon2id hashing failed (out of memory?)");
        return NULL;
    }
    return out;
}

bool auth_verify_password(const char *hash, const char *password)
{
    if (!hash || !password)
        return false;
    sodium_ready();
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* A hash with today's parameters of a password nobody knows, so that checking a password for
 * an unknown login costs what checking a real one does. Made at first use, once. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
    unsigned char raw[RANDOM_BYTES];
    char pw[2 * RANDOM_BYTES + 1];
    sodium_ready();
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(pw, sizeof pw, raw, sizeof raw);
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = 0;
}

static void verify_dummy(const char *password)
{
    pthread_once(&dummy_once, dummy_make);
    if (dummy_hash[0])
        (void)auth_verify_password(dummy_hash, password);
}

/* ---- sign-in ---------------------------------------------------------------------------- */

struct account {
    int64_t id;
    const char *login, *pw_hash;
    const char *locked_until;         /* the account's own lock (all addresses) */
    const char *address_locked_until; /* the lock of this address out of it */
    bool disabled;
};

/* The address a sign-in comes from, as the locks name it. */
static const char *client_of(const struct ctx *c)
{
    return c->client && *c->client ? c->client : "unknown";
}

/* 1 found, 0 not found, <0 store error. */
static int account_by_login(struct ctx *c, const char *login, struct account *a)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT u.id, u.login, u.pw_hash, u.locked_until, u.disabled, l.locked_until "
               "FROM users u LEFT JOIN login_lock l ON l.user_id = u.id AND l.client = :client "
               "WHERE u.login = :l");
    db_bind_text(&st, ":l", login);
    db_bind_text(&st, ":client", client_of(c));
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        a->id = db_col_int64(&st, 0);
        a->login = arena_strdup(c->arena, db_col_text(&st, 1));
        a->pw_hash = arena_strdup(c->arena, db_col_text(&st, 2));
        a->locked_until =
            db_col_is_null(&st, 3) ? NULL : arena_strdup(c->arena, db_col_text(&st, 3));
        a->disabled = db_col_int64(&st, 4) != 0;
        a->address_locked_until =
            db_col_is_null(&st, 5) ? NULL : arena_strdup(c->arena, db_col_text(&st, 5));
        rc = 1;
    }
    db_finalize(&st);
    return rc;
}

/* The audit row of a sign-in attempt. */
static int audit_attempt(struct ctx *c, const char *action, const char *actor, int64_t user_id,
                         const char *login, const char *reason, int failures,
                         const char *locked_until, int64_t session_id)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kstr(w, "login", login);
    if (user_id)
        jw_kint(w, "user_id", user_id);
    if (reason)
        jw_kstr(w, "reason", reason);
    if (failures)
        jw_kint(w, "failures", failures);
    if (locked_until)
        jw_kstr(w, "locked_until", locked_until);
    if (session_id)
        jw_kint(w, "session_id", session_id);
    return audit_append(c->db, actor, action, "users", user_id, NULL, svc_json_end(c, &j),
                        c->client);
}

static int login_store_error(struct ctx *c)
{
    db_rollback(c->db);
    return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the sign-in could not be recorded");
}

/* One failure more on a counter, inside the caller's transaction: inc (binding :id, and
 * :client when it names it) adds one and returns the count; once the count reaches threshold
 * (0: never), lock (binding :until, :id, :client) sets a lock until seconds from now. *count:
 * the count now; *until: set when this failure locked, else left alone. what words the lock
 * for the log. <0 when the store fails. */
static int count_toward(struct ctx *c, const char *inc, const char *lock, int64_t id,
                        int threshold, int seconds, const char *login, const char *what,
                        int *count, const char **until)
{
    struct stmt st;
    db_prepare(c->db, &st, inc);
    db_bind_int64(&st, ":id", id);
    if (strstr(inc, ":client"))
        db_bind_text(&st, ":client", client_of(c));
    int s = db_step(&st);
    if (s == DB_ROW)
        *count = (int)db_col_int64(&st, 0);
    db_finalize(&st);
    if (s < 0)
        return -1;
    if (threshold <= 0 || *count < threshold)
        return 0;
    *until = time_at(c, clock_now_ms() + (int64_t)seconds * 1000);
    db_prepare(c->db, &st, lock);
    db_bind_text(&st, ":until", *until);
    db_bind_int64(&st, ":id", id);
    if (strstr(lock, ":client"))
        db_bind_text(&st, ":client", client_of(c));
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return -1;
    log_warn("auth: %s locked until %s after %d failures (%s)", login, *until, *count, what);
    return 0;
}

/* Counts a wrong current password given to change one's own password toward the lock of
 * the account, inside the caller's transaction (*failures, *locked_until: count_toward). */
static int count_failure(struct ctx *c, int64_t id, const char *login, int *failures,
                         const char **locked_until)
{
    return count_toward(c,
                        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = :id "
                        "RETURNING failed_logins",
                        "UPDATE users SET failed_logins = 0, locked_until = :until WHERE id = :id",
                        id, auth_policy.max_failures, auth_policy.lock_seconds, login,
                        "wrong current passwords", failures, locked_until);
}

/* Counts a wrong password at sign-in, inside the caller's transaction: toward the lock of
 * this address out of the account (*failures, *locked_until) and toward the account's slow
 * lock over every address (each failure past the threshold starts its minute again). */
static int count_login_failure(struct ctx *c, int64_t id, const char *login, int *failures,
                               const char **locked_until)
{
    int all = 0, slow = auth_policy.lock_seconds / GLOBAL_LOCK_DIVISOR;
    const char *until = NULL;
    if (count_toward(c,
                     "INSERT INTO login_lock (user_id, client, failures) VALUES (:id, :client, 1) "
                     "ON CONFLICT (user_id, client) DO UPDATE SET failures = login_lock.failures "
                     "+ 1 RETURNING failures",
                     "UPDATE login_lock SET failures = 0, locked_until = :until "
                     "WHERE user_id = :id AND client = :client",
                     id, auth_policy.max_failures, auth_policy.lock_seconds, login,
                     "sign-ins from one address", failures, locked_until) < 0)
        return -1;
    return count_toward(c,
                        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = :id "
                        "RETURNING failed_logins",
                        "UPDATE users SET locked_until = :until WHERE id = :id "
                        "AND (locked_until IS NULL OR locked_until < :until)",
                        id, GLOBAL_FACTOR * auth_policy.max_failures, slow > 0 ? slow : 1, login,
                        "sign-ins from anywhere", &all, &until);
}

static int login_failed(struct ctx *c, const char *shown_login, const struct account *a,
                        bool found)
{
    int failures = 0;
    const char *locked_until = NULL, *reason = !found ? "unknown" : a->disabled ? "disabled"
                                                                                : "password";
    if (db_begin(c->db) < 0)
        return login_store_error(c);
    if (found && !a->disabled &&
        (count_login_failure(c, a->id, a->login, &failures, &locked_until) < 0 ||
         sign_in_failed(c, a->id) < 0))
        return login_store_error(c);
    if (audit_attempt(c, "auth.login_failed", actor_or_anonymous(c), found ? a->id : 0,
                      shown_login, reason, failures, locked_until, 0) < 0 ||
        db_commit(c->db) < 0)
        return login_store_error(c);
    /* The same code and text whatever the reason; the reason is in the audit row only. */
    return svc_fail(c, SVC_UNAUTHORIZED, "err_login_failed", NULL,
                    "the login or the password is not correct");
}

/* An attempt while this address, or the account, is locked: no password is taken, but the
 * same argon2id work is done and the same answer given as for a wrong one, so the lock tells
 * a guesser nothing. until: the lock that holds. */
static int login_locked(struct ctx *c, const struct account *a, const char *password,
                        const char *until)
{
    verify_dummy(password);
    if (db_begin(c->db) < 0)
        return login_store_error(c);
    if (sign_in_failed(c, a->id) < 0 ||
        audit_attempt(c, "auth.login_locked", actor_or_anonymous(c), a->id, a->login, "locked",
                      0, until, 0) < 0 ||
        db_commit(c->db) < 0)
        return login_store_error(c);
    return svc_fail(c, SVC_UNAUTHORIZED, "err_login_failed", NULL,
                    "%s is locked for %s until %s", a->login, client_of(c), until);
}

/* The later of two stored instants that are after now, or NULL when neither is. */
static const char *lock_in_force(const char *a, const char *b, const char *now)
{
    bool ha = a && strcmp(a, now) > 0, hb = b && strcmp(b, now) > 0;
    if (ha && hb)
        return strcmp(a, b) >= 0 ? a : b;
    return ha ? a : hb ? b : NULL;
}

static int login_second(struct ctx *c, const struct account *a, const char *password,
                        const char *code, const char **pending, struct session_info *out);

int auth_login(struct ctx *c, const char *login, const char *password, struct session_info *out)
{
    return auth_login_code(c, login, password, NULL, NULL, out);
}

int auth_login_code(struct ctx *c, const char *login, const char *password, const char *code,
                    const char **pending, struct session_info *out)
{
    memset(out, 0, sizeof *out);
    if (pending)
        *pending = NULL;
    if (!password)
        password = "";
    const char *norm = login ? user_login_normalize(c, login) : NULL;
    struct account a = {0};
    int found = 0;
    if (norm) {
        found = account_by_login(c, norm, &a);
        if (found < 0)
            return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the account failed");
    }
    /* What the audit row may name: a stored login, or input shaped like one. */
    const char *shown = norm ? norm : "(not a login)";
    const char *now = svc_now(c);
    const char *lock = found && !a.disabled
                           ? lock_in_force(a.locked_until, a.address_locked_until, now)
                           : NULL;
    if (lock)
        return login_locked(c, &a, password, lock);

    bool ok;
    if (found && strlen(password) <= AUTH_PASSWORD_MAX) {
        ok = auth_verify_password(a.pw_hash, password);
    } else {
        verify_dummy(password);
        ok = false;
    }
    if (!ok || a.disabled)
        return login_failed(c, shown, &a, found);
    int rc = user_may_sign_in(c, a.id); /* 三员分立: an admin of no kind under --mlps */
    if (rc != SVC_OK) /* SVC_FORBIDDEN, or a store failure as it is */
        return rc;
    return login_second(c, &a, password, code, pending, out);
}

int auth_check_login(struct ctx *c, const char *login, const char *password, struct user *out)
{
    memset(out, 0, sizeof *out);
    const char *norm = login ? user_login_normalize(c, login) : NULL;
    struct account a = {0};
    int found = norm ? account_by_login(c, norm, &a) : 0;
    if (found < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the account failed");
    const char *lock = found && !a.disabled
                           ? lock_in_force(a.locked_until, a.address_locked_until, svc_now(c))
                           : NULL;
    bool ok = found && !a.disabled && !lock && password &&
              strlen(password) <= AUTH_PASSWORD_MAX && auth_verify_password(a.pw_hash, password);
    const char *reason = !found ? "unknown" : a.disabled ? "disabled" : lock ? "locked"
                                                         : ok ? NULL : "password";
    if (db_begin(c->db) < 0 ||
        audit_attempt(c, "auth.login_check", actor_or_anonymous(c), found ? a.id : 0,
                      norm ? norm : "(not a login)", reason, 0, lock, 0) < 0 ||
        db_commit(c->db) < 0)
        return login_store_error(c);
    if (lock)
        return svc_fail(c, SVC_LOCKED, "err_locked", NULL, "%s is locked until %s", a.login,
                        lock);
    if (!ok)
        return svc_fail(c, SVC_UNAUTHORIZED, "err_login_failed", NULL,
                        "the login or the password is not correct");
    int rc = user_may_sign_in(c, a.id);
    if (rc != SVC_OK)
        return rc;
    return user_load(c, a.id, out);
}

/* Opens a session of a, whose password (NULL: checked at an earlier step) and second factor
 * (when it has one) are right. */
static int login_open(struct ctx *c, struct account a, const char *password,
                      struct session_info *out)
{
    const char *now = svc_now(c);
    /* A stored hash made with weaker parameters than today's is replaced while the password
     * is at hand (before the transaction: hashing takes a while). */
    const char *rehash = NULL;
    if (password &&
        crypto_pwhash_str_needs_rehash(a.pw_hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        rehash = auth_hash_password(c, password);

    char hash[SHA256_HEX_LEN + 1];
    const char *token = token_new(c, "", hash), *csrf = random_token(c, "");
    int64_t now_ms = clock_now_ms();
    const char *expires = time_at(c, now_ms + (int64_t)auth_policy.absolute_seconds * 1000);
    struct stmt st;
    int s;
    if (db_begin(c->db) < 0)
        return login_store_error(c);
    /* The lock may have been set by a concurrent failure since it was read above. */
    db_prepare(c->db, &st,
               "UPDATE users SET failed_logins = 0, locked_until = NULL, "
               "pw_hash = coalesce(:rehash, pw_hash) "
               "WHERE id = :id AND disabled = 0 AND (locked_until IS NULL OR locked_until <= :now)");
    db_bind_text(&st, ":rehash", rehash);
    db_bind_int64(&st, ":id", a.id);
    db_bind_text(&st, ":now", now);
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return login_store_error(c);
    if (db_changes(c->db) == 0) { /* answered as a lock is: as a wrong password */
        db_rollback(c->db);
        return svc_fail(c, SVC_UNAUTHORIZED, "err_login_failed", NULL,
                        "%s was locked meanwhile", a.login);
    }
    /* This address's count starts again (another address's lock stays: it may be a guesser's). */
    db_prepare(c->db, &st, "DELETE FROM login_lock WHERE user_id = :u AND client = :client");
    db_bind_int64(&st, ":u", a.id);
    db_bind_text(&st, ":client", client_of(c));
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return login_store_error(c);
    db_prepare(c->db, &st,
               "INSERT INTO session (user_id, token_hash, csrf_token, client, created_at, "
               "last_seen_at, expires_at) VALUES (:u, :h, :csrf, :client, :now, :now, :exp)");
    db_bind_int64(&st, ":u", a.id);
    db_bind_text(&st, ":h", hash);
    db_bind_text(&st, ":csrf", csrf);
    db_bind_text(&st, ":client", c->client);
    db_bind_text(&st, ":now", now);
    db_bind_text(&st, ":exp", expires);
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return login_store_error(c);
    int64_t session_id = db_last_insert_id(c->db);
    const char *actor = arena_printf(c->arena, "user:%s", a.login), *was = c->actor;
    c->actor = actor; /* who ends the account's other sessions (mlps) */
    s = sign_in_record(c, a.id, session_id, out);
    c->actor = was;
    if (s < 0)
        return login_store_error(c);
    if (audit_attempt(c, "auth.login", actor, a.id, a.login, NULL, 0, NULL, session_id) < 0 ||
        db_commit(c->db) < 0)
        return login_store_error(c);

    int rc = user_load(c, a.id, &out->user);
    if (rc != SVC_OK)
        return rc;
    out->token = token;
    out->csrf_token = csrf;
    out->session_id = session_id;
    return SVC_OK;
}

/* ---- the second factor (service/two_factor.h) ------------------------------------------- */

/* A wrong or used code after a right password: a guess like a wrong password, counted toward
 * the same locks and audited (auth.two_factor_failed). */
static int code_failed(struct ctx *c, const struct account *a)
{
    int failures = 0;
    const char *locked_until = NULL;
    if (db_begin(c->db) < 0 ||
        count_login_failure(c, a->id, a->login, &failures, &locked_until) < 0 ||
        sign_in_failed(c, a->id) < 0 ||
        audit_attempt(c, "auth.two_factor_failed", actor_or_anonymous(c), a->id, a->login,
                      "code", failures, locked_until, 0) < 0 ||
        db_commit(c->db) < 0)
        return login_store_error(c);
    return svc_fail(c, SVC_UNAUTHORIZED, "err_two_factor_wrong", "code",
                    "the code is wrong or was used already");
}

/* After a right password: the session when the account has no second factor or code is
 * right; else err_two_factor_required (with a pending sign-in when pending is not NULL). */
static int login_second(struct ctx *c, const struct account *a, const char *password,
                        const char *code, const char **pending, struct session_info *out)
{
    int on = two_factor_enabled(c, a->id);
    if (on < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the second factor failed");
    if (!on && !password) /* switched off since the first step: that step proved nothing */
        return svc_fail(c, SVC_UNAUTHORIZED, "err_two_factor_expired", NULL,
                        "two-factor sign-in was switched off meanwhile");
    if (!on)
        return login_open(c, *a, password, out);
    const char *actor = arena_printf(c->arena, "user:%s", a->login);
    if (!code || !*code) {
        if (pending) {
            if (two_factor_pending_new(c, a->id, pending) != SVC_OK)
                return SVC_ERROR;
            if (db_begin(c->db) < 0 ||
                audit_attempt(c, "auth.two_factor_pending", actor, a->id, a->login, NULL, 0,
                              NULL, 0) < 0 ||
                db_commit(c->db) < 0)
                return login_store_error(c);
        }
        return svc_fail(c, SVC_UNAUTHORIZED, "err_two_factor_required", "code",
                        "the account signs in with a code as well");
    }
    int rc = two_factor_verify(c, a->id, actor, code);
    if (rc == SVC_UNAUTHORIZED)
        return code_failed(c, a);
    if (rc != SVC_OK)
        return rc;
    return login_open(c, *a, password, out);
}

int auth_login_pending(struct ctx *c, const char *pending, const char *code,
                       struct session_info *out)
{
    memset(out, 0, sizeof *out);
    int64_t uid;
    int rc = two_factor_pending_take(c, pending, &uid);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st, "SELECT login FROM users WHERE id = :u");
    db_bind_int64(&st, ":u", uid);
    int s = db_step(&st);
    const char *login = s == DB_ROW ? arena_strdup(c->arena, db_col_text(&st, 0)) : NULL;
    db_finalize(&st);
    struct account a = {0};
    if (s < 0 || (login && account_by_login(c, login, &a) < 0))
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the account failed");
    if (!login || !a.id)
        return svc_fail(c, SVC_UNAUTHORIZED, "err_two_factor_expired", NULL, "the account is gone");
    /* The locks hold at this step too: a wrong code counts as a wrong password does. */
    const char *lock = a.disabled ? NULL
                                  : lock_in_force(a.locked_until, a.address_locked_until,
                                                  svc_now(c));
    if (lock)
        return login_locked(c, &a, "", lock);
    if (a.disabled)
        return login_failed(c, a.login, &a, true);
    rc = user_may_sign_in(c, a.id); /* as at the first step: it may have changed */
    if (rc != SVC_OK)
        return rc;
    if (!code || !*code)
        return code_failed(c, &a);
    return login_second(c, &a, NULL, code, NULL, out);
}

/* ---- sessions --------------------------------------------------------------------------- */

static bool token_shape_ok(const char *token)
{
    return token && *token && strlen(token) <= AUTH_TOKEN_MAX;
}

/* Looks a session or an API token up by the hash of its token (token_row hashes it): sql
 * selects by :h. On SVC_OK, st is on the row and the caller finalizes it; otherwise it is
 * finalized and c says why: the store failed ("reading <what> failed") or no row matched
 * (unauthorized, unknown). */
static int token_row_hashed(struct ctx *c, const char *hash, const char *sql, const char *what,
                            const char *unknown, struct stmt *st)
{
    db_prepare(c->db, st, sql);
    db_bind_text(st, ":h", hash);
    int s = db_step(st);
    if (s == DB_ROW)
        return SVC_OK;
    db_finalize(st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading %s failed", what);
    return svc_fail(c, SVC_UNAUTHORIZED, "err_unauthorized", NULL, "%s", unknown);
}

static int token_row(struct ctx *c, const char *token, const char *sql, const char *what,
                     const char *unknown, struct stmt *st)
{
    char hash[SHA256_HEX_LEN + 1];
    token_hash(token, hash);
    return token_row_hashed(c, hash, sql, what, unknown, st);
}

/* Records that a session or token (what, for the log) was used at now_ms, when it was last
 * recorded (last; NULL: never) over a minute before. sql sets the time to :now for :id.
 * A busy database should not sign anyone out: a failed touch is logged and tried next time. */
static void token_touch(struct ctx *c, const char *sql, const char *what, int64_t id,
                        const char *last, int64_t now_ms)
{
    enum touch_kind kind = strcmp(what, "session") == 0 ? TOUCH_SESSION : TOUCH_API_TOKEN;
    int64_t last_ms = 0;
    if (last && !clock_parse(last, &last_ms))
        last_ms = 0;
    int64_t noted = touch_noted(kind, id);
    if (noted > last_ms)
        last_ms = noted;
    if (last_ms && last_ms > now_ms - TOUCH_MS)
        return;
    if (touch_deferred()) /* the server writes it in a batch (touch.c) */
        touch_note(kind, id, now_ms);
    else if (set_now(c, sql, time_at(c, now_ms), id) < 0)
        log_warn("auth: could not touch %s %lld", what, (long long)id);
}

/* The account of a valid session or token; gone words its absence (unauthorized). */
static int token_holder(struct ctx *c, int64_t user_id, struct user *out, const char *gone)
{
    int rc = user_load(c, user_id, out);
    if (rc == SVC_NOT_FOUND)
        return svc_fail(c, SVC_UNAUTHORIZED, "err_unauthorized", NULL, "%s", gone);
    return rc;
}

/* Revokes a session or token (sql sets revoked_at to :now for :id) with its audit row, in one
 * transaction. <0 when the store fails (rolled back). */
static int token_revoke_row(struct ctx *c, const char *sql, int64_t id, const char *now,
                            const char *actor, const char *action, const char *entity,
                            const char *before, const char *after)
{
    if (db_begin(c->db) < 0 || set_now(c, sql, now, id) < 0 ||
        audit_append(c->db, actor, action, entity, id, before, after, c->client) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return -1;
    }
    return 0;
}

/* auth_session for the hash of a token, at now_ms; on SVC_OK, *valid_until_ms: until when
 * the same call would answer the same and write nothing (the session's absolute end, and one
 * minute after its recorded last use), or 0 when that cannot be said. */
static int session_read(struct ctx *c, const char *hash, int64_t now_ms,
                        struct session_info *out, int64_t *valid_until_ms)
{
    *valid_until_ms = 0;
    struct stmt st;
    int rc = token_row_hashed(c, hash,
                              "SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at, "
                              "s.expires_at, s.revoked_at IS NOT NULL, u.disabled "
                              "FROM session s JOIN users u ON u.id = s.user_id "
                              "WHERE s.token_hash = :h",
                              "the session", "unknown session", &st);
    if (rc != SVC_OK)
        return rc;
    int64_t id = db_col_int64(&st, 0), user_id = db_col_int64(&st, 1);
    const char *csrf = arena_strdup(c->arena, db_col_text(&st, 2));
    const char *last_seen = arena_strdup(c->arena, db_col_text(&st, 3));
    const char *expires = arena_strdup(c->arena, db_col_text(&st, 4));
    bool revoked = db_col_int64(&st, 5) != 0, disabled = db_col_int64(&st, 6) != 0;
    db_finalize(&st);
    if (revoked && !disabled && sign_in_ended_elsewhere(c, id))
        return svc_fail(c, SVC_UNAUTHORIZED, AUTH_ERR_ELSEWHERE, NULL,
                        "session %lld was ended by a sign-in elsewhere", (long long)id);
    if (revoked || disabled)
        return svc_fail(c, SVC_UNAUTHORIZED, "err_unauthorized", NULL,
                        "session %lld has been ended", (long long)id);
    /* The last use is the later of the stored one and one noted but not yet written. */
    int64_t last_ms, expires_ms;
    if (!clock_parse(last_seen, &last_ms) || !clock_parse(expires, &expires_ms))
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "session %lld: unreadable times",
                        (long long)id);
    int64_t noted = touch_noted(TOUCH_SESSION, id);
    if (noted > last_ms)
        last_ms = noted;
    if (expires_ms <= now_ms || last_ms <= now_ms - (int64_t)auth_policy.idle_seconds * 1000)
        return svc_fail(c, SVC_UNAUTHORIZED, "err_session_expired", NULL,
                        "session %lld has expired", (long long)id);
    token_touch(c, "UPDATE session SET last_seen_at = :now WHERE id = :id", "session", id,
                last_seen, now_ms);
    if (last_ms <= now_ms - TOUCH_MS) /* recorded (or noted) just now */
        last_ms = now_ms;
    if ((rc = token_holder(c, user_id, &out->user, "the session's user is gone")) != SVC_OK ||
        (rc = sign_in_session_facts(c, id, out)) != SVC_OK)
        return rc;
    out->csrf_token = csrf;
    out->session_id = id;
    if (TOUCH_MS < (int64_t)auth_policy.idle_seconds * 1000)
        *valid_until_ms = last_ms + TOUCH_MS < expires_ms ? last_ms + TOUCH_MS : expires_ms;
    return SVC_OK;
}

int auth_session_at(struct ctx *c, const char *token, const int64_t *accounts,
                    struct session_info *out)
{
    memset(out, 0, sizeof *out);
    if (!token_shape_ok(token))
        return svc_fail(c, SVC_UNAUTHORIZED, "err_unauthorized", NULL, "no session token");
    char hash[SHA256_HEX_LEN + 1];
    token_hash(token, hash);
    int64_t now_ms = clock_now_ms(), until;
    if (accounts && session_cache_get(hash, *accounts, now_ms, c->arena, out))
        return SVC_OK;
    int rc = session_read(c, hash, now_ms, out, &until);
    if (rc == SVC_OK && accounts && until > now_ms)
        session_cache_put(hash, *accounts, until, out);
    return rc;
}

int auth_session(struct ctx *c, const char *token, struct session_info *out)
{
    return auth_session_at(c, token, NULL, out);
}

int auth_logout(struct ctx *c, const char *token)
{
    if (!token_shape_ok(token))
        return svc_fail(c, SVC_UNAUTHORIZED, "err_unauthorized", NULL, "no session token");
    struct stmt st;
    int rc = token_row(c, token,
                       "SELECT s.id, s.revoked_at IS NOT NULL, u.login FROM session s "
                       "JOIN users u ON u.id = s.user_id WHERE s.token_hash = :h",
                       "the session", "unknown session", &st);
    if (rc != SVC_OK)
        return rc;
    int64_t id = db_col_int64(&st, 0);
    bool revoked = db_col_int64(&st, 1) != 0;
    const char *login = arena_strdup(c->arena, db_col_text(&st, 2));
    db_finalize(&st);
    if (revoked)
        return SVC_OK; /* signing out twice is not an error */
    const char *now = svc_now(c);
    const char *actor = c->actor ? c->actor : arena_printf(c->arena, "user:%s", login);
    if (token_revoke_row(c, "UPDATE session SET revoked_at = :now WHERE id = :id", id, now,
                         actor, "auth.logout", "session", NULL,
                         arena_printf(c->arena, "{\"revoked_at\":\"%s\"}", now)) < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "signing out failed");
    return SVC_OK;
}

int auth_revoke_sessions(struct ctx *c, int64_t user_id, int64_t keep_session_id,
                         const char *reason, int *n)
{
    struct stmt st;
    const char *now = svc_now(c);
    if (n)
        *n = 0;
    db_prepare(c->db, &st,
               "UPDATE session SET revoked_at = :now, end_reason = :reason WHERE user_id = :u "
               "AND revoked_at IS NULL AND id <> :keep");
    db_bind_text(&st, ":now", now);
    db_bind_text(&st, ":reason", reason);
    db_bind_int64(&st, ":u", user_id);
    db_bind_int64(&st, ":keep", keep_session_id);
    int s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return SVC_ERROR;
    int changed = db_changes(c->db);
    if (n)
        *n = changed;
    if (changed == 0)
        return SVC_OK;
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "sessions_ended", changed);
    if (keep_session_id)
        jw_kint(w, "kept_session_id", keep_session_id);
    jw_kstr(w, "reason", reason);
    s = audit_append(c->db, actor_or_anonymous(c), "auth.revoke_sessions", "users", user_id, NULL,
                     svc_json_end(c, &j), c->client);
    return s < 0 ? SVC_ERROR : SVC_OK;
}

static int self_or_admin(struct ctx *c, int64_t user_id)
{
    if (perm_is_admin_user(c) || c->user->id == user_id)
        return SVC_OK;
    return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                    "only the account itself or an admin may do this");
}

int auth_revoke_all(struct ctx *c, int64_t user_id, const char *reason)
{
    int rc = self_or_admin(c, user_id);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the database is busy");
    rc = auth_revoke_sessions(c, user_id, 0, reason ? reason : "sign out everywhere", NULL);
    if (rc == SVC_OK && db_commit(c->db) < 0)
        rc = SVC_ERROR;
    if (rc != SVC_OK) {
        db_rollback(c->db);
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "ending the sessions failed");
    }
    return SVC_OK;
}

/* ---- API tokens ------------------------------------------------------------------------- */

int auth_token_issue(struct ctx *c, int64_t user_id, const char *name, const char **token,
                     int64_t *id)
{
    *token = NULL;
    int rc = self_or_admin(c, user_id);
    if (rc != SVC_OK)
        return rc;
    if (name && !*name)
        name = NULL;
    if (name && (!utf8_valid(name, strlen(name), NULL) || utf8_count(name, strlen(name)) > 100))
        return svc_fail(c, SVC_INVALID, "err_too_long", "name",
                        "a token name is valid UTF-8 of at most 100 characters");
    struct stmt st;
    db_prepare(c->db, &st, "SELECT login, disabled FROM users WHERE id = :id");
    db_bind_int64(&st, ":id", user_id);
    int s = db_step(&st);
    const char *login = s == DB_ROW ? arena_strdup(c->arena, db_col_text(&st, 0)) : NULL;
    bool disabled = s == DB_ROW && db_col_int64(&st, 1) != 0;
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the account failed");
    if (!login)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "user_id", "there is no user %lld",
                        (long long)user_id);
    if (disabled)
        return svc_fail(c, SVC_CONFLICT, "err_user_disabled", "user_id", "%s is disabled", login);

    char hash[SHA256_HEX_LEN + 1];
    const char *t = token_new(c, API_TOKEN_PREFIX, hash);
    if (db_begin(c->db) < 0)
        goto fail;
    db_prepare(c->db, &st,
               "INSERT INTO api_token (user_id, token_hash, name, created_at) "
               "VALUES (:u, :h, :name, :now)");
    db_bind_int64(&st, ":u", user_id);
    db_bind_text(&st, ":h", hash);
    db_bind_text(&st, ":name", name);
    db_bind_text(&st, ":now", svc_now(c));
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        goto fail;
    int64_t tid = db_last_insert_id(c->db);
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "user_id", user_id);
    jw_kstr(w, "login", login);
    jw_kstr(w, "name", name);
    s = audit_append(c->db, actor_or_anonymous(c), "token.create", "api_token", tid, NULL,
                     svc_json_end(c, &j), c->client);
    if (s < 0 || db_commit(c->db) < 0)
        goto fail;
    *token = t;
    if (id)
        *id = tid;
    return SVC_OK;
fail:
    db_rollback(c->db);
    return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the token could not be stored");
}

int auth_token_create(struct ctx *c, int64_t user_id, const char *name, const char **token)
{
    return auth_token_issue(c, user_id, name, token, NULL);
}

int auth_token_user(struct ctx *c, const char *token, struct user *out)
{
    memset(out, 0, sizeof *out);
    if (!token_shape_ok(token) || strncmp(token, API_TOKEN_PREFIX, strlen(API_TOKEN_PREFIX)) != 0)
        return svc_fail(c, SVC_UNAUTHORIZED, "err_unauthorized", NULL, "not an API token");
    struct stmt st;
    int rc = token_row(c, token,
                       "SELECT t.id, t.user_id, t.revoked_at IS NOT NULL, u.disabled, "
                       "t.last_used_at FROM api_token t JOIN users u ON u.id = t.user_id "
                       "WHERE t.token_hash = :h",
                       "the token", "unknown API token", &st);
    if (rc != SVC_OK)
        return rc;
    int64_t id = db_col_int64(&st, 0), user_id = db_col_int64(&st, 1);
    bool revoked = db_col_int64(&st, 2) != 0, disabled = db_col_int64(&st, 3) != 0;
    const char *last = db_col_is_null(&st, 4) ? NULL : arena_strdup(c->arena, db_col_text(&st, 4));
    db_finalize(&st);
    if (revoked || disabled)
        return svc_fail(c, SVC_UNAUTHORIZED, "err_unauthorized", NULL,
                        "API token %lld is revoked or its account disabled", (long long)id);
    token_touch(c, "UPDATE api_token SET last_used_at = :now WHERE id = :id", "API token", id,
                last, clock_now_ms());
    return token_holder(c, user_id, out, "the token's user is gone");
}

/* A token's audit state: its owner, its name and when it was revoked (NULL: not yet). */
static const char *token_state_json(struct ctx *c, int64_t user_id, const char *name,
                                    const char *revoked_at)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "user_id", user_id);
    jw_kstr(w, "name", name);
    if (revoked_at)
        jw_kstr(w, "revoked_at", revoked_at);
    else
        jw_knull(w, "revoked_at");
    return svc_json_end(c, &j);
}

int auth_token_revoke(struct ctx *c, int64_t token_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT user_id, revoked_at IS NOT NULL, name FROM api_token WHERE id = :id");
    db_bind_int64(&st, ":id", token_id);
    int s = db_step(&st);
    int64_t user_id = s == DB_ROW ? db_col_int64(&st, 0) : 0;
    bool revoked = s == DB_ROW && db_col_int64(&st, 1) != 0;
    const char *name = s == DB_ROW ? arena_strdup(c->arena, db_col_text(&st, 2)) : NULL;
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the token failed");
    /* Someone else's token id answers as absent, so ids reveal nothing. */
    if (!user_id || (!perm_is_admin_user(c) && c->user->id != user_id))
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "token_id", "there is no token %lld",
                        (long long)token_id);
    if (revoked)
        return SVC_OK;
    const char *now = svc_now(c);
    if (token_revoke_row(c, "UPDATE api_token SET revoked_at = :now WHERE id = :id", token_id,
                         now, actor_or_anonymous(c), "token.revoke", "api_token",
                         token_state_json(c, user_id, name, NULL),
                         token_state_json(c, user_id, name, now)) < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the token could not be revoked");
    return SVC_OK;
}

int auth_token_list(struct ctx *c, int64_t user_id, struct api_token_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = user_id ? self_or_admin(c, user_id) : perm_is_admin(c);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    db_prepare(c->db, &st,
               "SELECT t.id, t.user_id, u.login, t.name, t.created_at, t.last_used_at, "
               "t.revoked_at FROM api_token t JOIN users u ON u.id = t.user_id "
               "WHERE :u = 0 OR t.user_id = :u ORDER BY t.id DESC");
    db_bind_int64(&st, ":u", user_id);
    int s;
    while ((s = db_step(&st)) == DB_ROW) {
        struct api_token_view *v = ARRAY_PUSH(c->arena, *out, *n, cap);
        v->id = db_col_int64(&st, 0);
        v->user_id = db_col_int64(&st, 1);
        v->login = arena_strdup(c->arena, db_col_text(&st, 2));
        v->name = db_col_is_null(&st, 3) ? NULL : arena_strdup(c->arena, db_col_text(&st, 3));
        v->created_at = arena_strdup(c->arena, db_col_text(&st, 4));
        v->last_used_at =
            db_col_is_null(&st, 5) ? NULL : arena_strdup(c->arena, db_col_text(&st, 5));
        v->revoked_at = db_col_is_null(&st, 6) ? NULL : arena_strdup(c->arena, db_col_text(&st, 6));
    }
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the tokens failed");
    return SVC_OK;
}

/* ---- password change -------------------------------------------------------------------- */

/* A wrong old password when changing one's own: the same kind of guess as a wrong sign-in,
 * so it counts toward the same lock and is audited (auth.password_failed) with the address. */
static int guess_failed(struct ctx *c, int64_t user_id, const char *login, bool code,
                        const char *field, bool since)
{
    int failures = 0;
    const char *locked_until = NULL;
    if (db_begin(c->db) < 0 || count_failure(c, user_id, login, &failures, &locked_until) < 0 ||
        (since && sign_in_failed(c, user_id) < 0) ||
        audit_attempt(c, code ? "auth.two_factor_failed" : "auth.password_failed",
                      actor_or_anonymous(c), user_id, login, code ? "code" : "password",
                      failures, locked_until, 0) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return svc_fail(c, SVC_ERROR, "err_internal", NULL,
                        "the failed check could not be recorded");
    }
    if (code)
        return svc_fail(c, SVC_INVALID, "err_two_factor_wrong", field,
                        "the code is wrong or was used already");
    return svc_fail(c, SVC_INVALID, "err_password_wrong", field,
                    "the current password does not match");
}

static int password_failed(struct ctx *c, int64_t user_id, const char *login)
{
    return guess_failed(c, user_id, login, false, "old_password", false);
}

/* A password change of a locked account: answered as a sign-in would be, no password checked. */
static int password_locked(struct ctx *c, int64_t user_id, const char *login,
                           const char *locked_until)
{
    if (db_begin(c->db) < 0 ||
        audit_attempt(c, "auth.password_locked", actor_or_anonymous(c), user_id, login,
                      "locked", 0, locked_until, 0) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the attempt could not be recorded");
    }
    return svc_fail(c, SVC_LOCKED, "err_locked", NULL, "%s is locked until %s", login,
                    locked_until);
}

/* login and lock of an account (arena); <0 store error, 0 none, 1 found. */
static int account_lock(struct ctx *c, int64_t user_id, const char **login,
                        const char **locked_until)
{
    struct stmt st;
    db_prepare(c->db, &st, "SELECT login, locked_until FROM users WHERE id = :id");
    db_bind_int64(&st, ":id", user_id);
    int s = db_step(&st);
    *login = s == DB_ROW ? svc_col(c, &st, 0) : NULL;
    *locked_until = s == DB_ROW ? svc_col(c, &st, 1) : NULL;
    db_finalize(&st);
    return s < 0 ? -1 : s == DB_ROW;
}

int auth_self_check_locked(struct ctx *c, int64_t user_id)
{
    const char *login, *until;
    int s = account_lock(c, user_id, &login, &until);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the account failed");
    if (s == 1 && until && strcmp(until, svc_now(c)) > 0)
        return password_locked(c, user_id, login, until);
    return SVC_OK;
}

int auth_self_check_failed(struct ctx *c, int64_t user_id, bool code)
{
    const char *login, *until;
    if (account_lock(c, user_id, &login, &until) != 1)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the account failed");
    return guess_failed(c, user_id, login, code, code ? "code" : "password", true);
}

int auth_change_password_keep(struct ctx *c, int64_t user_id, const char *old_pw,
                              const char *new_pw, int64_t keep_session_id)
{
    struct stmt st;
    db_prepare(c->db, &st, "SELECT login, pw_hash, locked_until FROM users WHERE id = :id");
    db_bind_int64(&st, ":id", user_id);
    int s = db_step(&st);
    const char *login = s == DB_ROW ? arena_strdup(c->arena, db_col_text(&st, 0)) : NULL;
    const char *stored = s == DB_ROW ? arena_strdup(c->arena, db_col_text(&st, 1)) : NULL;
    const char *locked_until = s == DB_ROW && !db_col_is_null(&st, 2)
                                   ? arena_strdup(c->arena, db_col_text(&st, 2))
                                   : NULL;
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the account failed");

    bool self = c->user && c->user->id == user_id;
    if (!c->user) {
        /* the command line: no old password */
    } else if (self) {
        /* checked below, once the account is known to exist */
    } else {
        int rc = login ? user_may_manage(c, user_id) : SVC_OK;
        if (rc != SVC_OK)
            return rc;
    }
    if (!login)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "user_id", "there is no user %lld",
                        (long long)user_id);
    if (self) {
        const char *now = svc_now(c);
        if (locked_until && strcmp(locked_until, now) > 0)
            return password_locked(c, user_id, login, locked_until);
        if (!old_pw || strlen(old_pw) > AUTH_PASSWORD_MAX || !auth_verify_password(stored, old_pw))
            return password_failed(c, user_id, login);
    }
    int rc = auth_password_acceptable(c, login, new_pw);
    if (rc != SVC_OK)
        return rc;
    /* A forced or expired password "changed" to itself would defeat the change (mlps). */
    if (self && auth_verify_password(stored, new_pw))
        return svc_fail(c, SVC_INVALID, "err_password_same", "password",
                        "the new password is the current one");
    const char *hash = auth_hash_password(c, new_pw);
    if (!hash)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "hashing the password failed");
    const char *now = svc_now(c);
    int ended = 0;
    if (db_begin(c->db) < 0)
        goto fail;
    /* One's own change does not go through a lock set meanwhile (by failures elsewhere);
     * a manager's or the command line's reset lifts it. */
    db_prepare(c->db, &st,
               "UPDATE users SET pw_hash = :h, pw_changed_at = :now, updated_at = :now, "
               "pw_must_change = :must, "
               "failed_logins = 0, locked_until = NULL WHERE id = :id "
               "AND (:self = 0 OR locked_until IS NULL OR locked_until <= :now)");
    db_bind_text(&st, ":h", hash);
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":id", user_id);
    db_bind_int64(&st, ":self", self);
    db_bind_int64(&st, ":must", !self); /* set by another: changed at next sign-in (mlps) */
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        goto fail;
    if (db_changes(c->db) == 0) {
        db_rollback(c->db);
        return svc_fail(c, SVC_LOCKED, "err_locked", NULL, "%s was locked meanwhile", login);
    }
    if (auth_revoke_sessions(c, user_id, keep_session_id, "password changed", &ended) != SVC_OK)
        goto fail;
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kstr(w, "login", login);
    jw_kstr(w, "pw_changed_at", now);
    jw_kstr(w, "by", self ? "self" : c->user ? "manager" : "cli");
    jw_kint(w, "sessions_ended", ended);
    jw_kbool(w, "must_change", !self);
    s = audit_append(c->db, actor_or_anonymous(c), "user.password", "users", user_id, NULL,
                     svc_json_end(c, &j), c->client);
    if (s < 0 || db_commit(c->db) < 0)
        goto fail;
    return SVC_OK;
fail:
    db_rollback(c->db);
    return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the password could not be changed");
}

int auth_change_password(struct ctx *c, int64_t user_id, const char *old_pw, const char *new_pw)
{
    return auth_change_password_keep(c, user_id, old_pw, new_pw, 0);
}

/* ---- the sessions of an account --------------------------------------------------------- */

int auth_session_list(struct ctx *c, int64_t user_id, const char *current_token,
                      struct session_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = self_or_admin(c, user_id);
    if (rc != SVC_OK)
        return rc;
    char hash[SHA256_HEX_LEN + 1] = "";
    if (token_shape_ok(current_token))
        token_hash(current_token, hash);
    int64_t now_ms = clock_now_ms();
    struct stmt st;
    size_t cap = 0;
    /* The same tests auth_session applies, so a session listed here is one that works. */
    db_prepare(c->db, &st,
               "SELECT id, created_at, last_seen_at, expires_at, client, token_hash = :h "
               "FROM session WHERE user_id = :u AND revoked_at IS NULL AND expires_at > :now "
               "AND last_seen_at > :idle ORDER BY id DESC");
    db_bind_text(&st, ":h", hash);
    db_bind_int64(&st, ":u", user_id);
    db_bind_text(&st, ":now", time_at(c, now_ms));
    db_bind_text(&st, ":idle", time_at(c, now_ms - (int64_t)auth_policy.idle_seconds * 1000));
    int s;
    while ((s = db_step(&st)) == DB_ROW) {
        struct session_view *v = ARRAY_PUSH(c->arena, *out, *n, cap);
        v->id = db_col_int64(&st, 0);
        v->created_at = arena_strdup(c->arena, db_col_text(&st, 1));
        v->last_seen_at = arena_strdup(c->arena, db_col_text(&st, 2));
        int64_t noted = touch_noted(TOUCH_SESSION, v->id), stored;
        if (noted && clock_parse(v->last_seen_at, &stored) && noted > stored)
            v->last_seen_at = time_at(c, noted); /* a use not yet written (touch.c) */
        v->expires_at = arena_strdup(c->arena, db_col_text(&st, 3));
        v->client = db_col_is_null(&st, 4) ? NULL : arena_strdup(c->arena, db_col_text(&st, 4));
        v->current = hash[0] && db_col_int64(&st, 5) != 0;
    }
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the sessions failed");
    return SVC_OK;
}
