/* sign_in: the facts and rules around a sign-in that are not the password check itself
 * (service/auth.c does that), kept apart so the level-3 rules read in one place.
 *
 * The last sign-in: the account row keeps when and from where it last signed in and how many
 * sign-ins failed since (login_failures: wrong passwords and attempts while locked, counted in
 * the failure's own transaction). A successful sign-in copies those into its session row
 * (prev_*) before moving them on, so every request of the session reads them with the
 * session, at no cost beyond it: the page after sign-in, the account page and the API's
 * session answer show them. Shown with and without --mlps: they only tell the account's owner
 * about the account.
 *
 * Under --mlps (auth_policy.mlps):
 *   - one session per account: a sign-in ends the account's other sessions (end_reason
 *     AUTH_ENDED_ELSEWHERE, one auth.revoke_sessions audit row) in its own transaction; the
 *     audited write moves the accounts version, so the process's session cache drops them at
 *     once, and the ended session's next request is told it signed in elsewhere
 *     (AUTH_ERR_ELSEWHERE), not that it expired. API tokens are not sessions: untouched.
 *   - a password set by someone else (user add, an admin's or the command line's reset:
 *     users.pw_must_change) or older than password_max_days must be changed before anything
 *     else: the session carries the reason (session_info.password_change) and the router lets
 *     it reach only the password change and sign-out (http/router.c). */
#include "service/sign_in.h"

#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "service/internal.h"
#include "store/db.h"

enum { DAY_MS = 86400000 };

const char *auth_password_change_reason(const char *pw_changed_at, bool must_change,
                                        int64_t now_ms)
{
    if (!auth_policy.mlps)
        return NULL;
    if (must_change)
        return "err_password_must_change";
    int64_t set_ms;
    if (auth_policy.password_max_days > 0 && pw_changed_at &&
        clock_parse(pw_changed_at, &set_ms) &&
        now_ms - set_ms >= (int64_t)auth_policy.password_max_days * DAY_MS)
        return "err_password_expired";
    return NULL;
}

static const char *at_ms(struct ctx *c, int64_t ms)
{
    char *ts = arena_alloc(c->arena, 25);
    clock_format(ms, ts);
    return ts;
}

/* Ends the account's sessions but keep (mlps): the latest live one into out->ended_*. */
static int end_others(struct ctx *c, int64_t user_id, int64_t keep, int64_t now_ms,
                      struct session_info *out)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT created_at, client FROM session WHERE user_id = :u AND id <> :keep "
               "AND revoked_at IS NULL AND expires_at > :now AND last_seen_at > :idle "
               "ORDER BY id DESC LIMIT 1");
    db_bind_int64(&st, ":u", user_id);
    db_bind_int64(&st, ":keep", keep);
    db_bind_text(&st, ":now", at_ms(c, now_ms));
    db_bind_text(&st, ":idle", at_ms(c, now_ms - (int64_t)auth_policy.idle_seconds * 1000));
    int s = db_step(&st);
    if (s == DB_ROW) {
        out->ended_at = svc_col(c, &st, 0);
        out->ended_client = svc_col(c, &st, 1);
        if (!out->ended_client)
            out->ended_client = "";
    }
    db_finalize(&st);
    if (s < 0)
        return -1;
    return auth_revoke_sessions(c, user_id, keep, AUTH_ENDED_ELSEWHERE, NULL) == SVC_OK ? 0 : -1;
}

int sign_in_record(struct ctx *c, int64_t user_id, int64_t session_id, struct session_info *out)
{
    int64_t now_ms = clock_now_ms();
    const char *now = at_ms(c, now_ms), *pw_changed_at = NULL;
    bool must = false;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT last_login_at, last_login_client, login_failures, pw_changed_at, "
               "pw_must_change FROM users WHERE id = :u");
    db_bind_int64(&st, ":u", user_id);
    int s = db_step(&st);
    if (s == DB_ROW) {
        out->last_login_at = svc_col(c, &st, 0);
        out->last_login_client = svc_col(c, &st, 1);
        out->failures_since = (int)db_col_int64(&st, 2);
        pw_changed_at = svc_col(c, &st, 3);
        must = db_col_int64(&st, 4) != 0;
    }
    db_finalize(&st);
    if (s != DB_ROW)
        return -1;
    db_prepare(c->db, &st,
               "UPDATE users SET last_login_at = :now, last_login_client = :client, "
               "login_failures = 0 WHERE id = :u");
    db_bind_text(&st, ":now", now);
    db_bind_text(&st, ":client", c->client);
    db_bind_int64(&st, ":u", user_id);
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return -1;
    db_prepare(c->db, &st,
               "UPDATE session SET prev_login_at = :at, prev_login_client = :client, "
               "prev_failures = :n WHERE id = :id");
    db_bind_text(&st, ":at", out->last_login_at);
    db_bind_text(&st, ":client", out->last_login_client);
    db_bind_int64(&st, ":n", out->failures_since);
    db_bind_int64(&st, ":id", session_id);
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return -1;
    if (!auth_policy.mlps)
        return 0;
    out->password_change = auth_password_change_reason(pw_changed_at, must, now_ms);
    return end_others(c, user_id, session_id, now_ms, out);
}

int sign_in_failed(struct ctx *c, int64_t user_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE users SET login_failures = login_failures + 1 WHERE id = :u");
    db_bind_int64(&st, ":u", user_id);
    int s = db_step(&st);
    db_finalize(&st);
    return s < 0 ? -1 : 0;
}

int sign_in_session_facts(struct ctx *c, int64_t session_id, struct session_info *out)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT s.prev_login_at, s.prev_login_client, s.prev_failures, u.pw_changed_at, "
               "u.pw_must_change FROM session s JOIN users u ON u.id = s.user_id "
               "WHERE s.id = :id");
    db_bind_int64(&st, ":id", session_id);
    int s = db_step(&st);
    if (s == DB_ROW) {
        out->last_login_at = svc_col(c, &st, 0);
        out->last_login_client = svc_col(c, &st, 1);
        out->failures_since = (int)db_col_int64(&st, 2);
        out->password_change = auth_password_change_reason(svc_col(c, &st, 3),
                                                           db_col_int64(&st, 4) != 0,
                                                           clock_now_ms());
    }
    db_finalize(&st);
    if (s != DB_ROW)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading session %lld failed",
                        (long long)session_id);
    return SVC_OK;
}

bool sign_in_ended_elsewhere(struct ctx *c, int64_t session_id)
{
    struct stmt st;
    db_prepare(c->db, &st, "SELECT end_reason FROM session WHERE id = :id");
    db_bind_int64(&st, ":id", session_id);
    bool elsewhere = db_step(&st) == DB_ROW && !db_col_is_null(&st, 0) &&
                     strcmp(db_col_text(&st, 0), AUTH_ENDED_ELSEWHERE) == 0;
    db_finalize(&st);
    return elsewhere;
}
