/* auth: passwords, sign-in, sessions, API tokens. Tokens are 256-bit random strings handed
 * to the client once and stored only as SHA-256 hashes. */
#ifndef DUIKOU_AUTH_H
#define DUIKOU_AUTH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

struct db_version;

/* Settings, from struct config at start-up; tests change them. */
struct auth_policy {
    int max_failures;          /* consecutive failed sign-ins before a lock (5) */
    int lock_seconds;          /* how long (900) */
    int idle_seconds;          /* a session unused this long ends (1800) */
    int absolute_seconds;      /* a session ends this long after sign-in anyway (43200) */
    bool composition;          /* 等级保护: require upper, lower, digit and symbol */
    /* `serve --mlps` (等级保护 level 3): composition on, idle 600 s unless set, and the
     * level-3 rules: a second factor for admins, coordinators and leaders, password expiry,
     * one session per account, the three separate administrators. */
    bool mlps;
    int password_max_days;     /* under mlps a password expires this many days after it was
                                  set (90); 0: never */
};
extern struct auth_policy auth_policy;

/* Checks a new password against the policy (length ≥ 8, not in the common list, composition
 * when required). SVC_OK or SVC_INVALID with c->code set (err_password_*). */
int auth_password_acceptable(struct ctx *c, const char *login, const char *password);
/* argon2id hash (libsodium crypto_pwhash_str) into an arena string. */
const char *auth_hash_password(struct ctx *c, const char *password);

struct session_info {
    const char *token;      /* raw token for the cookie (only after login) */
    const char *csrf_token;
    int64_t session_id;
    struct user user;
    /* The sign-in before this session's (NULL at: none) and the failed sign-ins between. */
    const char *last_login_at, *last_login_client;
    int failures_since;
    /* Under mlps, why the password must be changed before anything else (err_password_expired
     * or err_password_must_change), else NULL. */
    const char *password_change;
    /* After auth_login under mlps: the live session it ended (at NULL: none). */
    const char *ended_at, *ended_client;
};
/* Why a session ended when a sign-in of the same account elsewhere ended it (mlps). */
#define AUTH_ENDED_ELSEWHERE "signed in elsewhere"
/* The code auth_session fails with for such a session (SVC_UNAUTHORIZED). */
#define AUTH_ERR_ELSEWHERE "err_session_elsewhere"
/* Under mlps, the password-change reason for an account: err_password_must_change when
 * must_change, err_password_expired when pw_changed_at (clock_format form) is
 * password_max_days or more before now_ms (0 days: never), NULL otherwise or without mlps. */
const char *auth_password_change_reason(const char *pw_changed_at, bool must_change,
                                        int64_t now_ms);

/* Signs in: on success a new session (any token the client had is not reused: rotation).
 * Wrong login and wrong password fail alike (err_login_failed); every attempt, success or
 * failure, is written to the audit log with c->client. SVC_LOCKED when locked. */
int auth_login(struct ctx *c, const char *login, const char *password, struct session_info *out);
/* auth_login with the second factor (service/two_factor.h). For an account that has it on,
 * the password alone opens no session: without code it fails SVC_UNAUTHORIZED
 * err_two_factor_required and, when pending is not NULL, *pending receives a single-use
 * token (5 minutes) for auth_login_pending; a wrong or used code fails err_two_factor_wrong
 * and counts toward the locks as a wrong password does. auth_login is this with neither. */
int auth_login_code(struct ctx *c, const char *login, const char *password, const char *code,
                    const char **pending, struct session_info *out);
/* Checks a login and password for the command line: no session, no last sign-in, no count
 * toward the locks; one audit row (auth.login_check). SVC_LOCKED while locked, err_login_failed
 * as at sign-in, SVC_FORBIDDEN when the account may not sign in (user_may_sign_in). */
int auth_check_login(struct ctx *c, const char *login, const char *password, struct user *out);
/* The second step of a sign-in: the pending token (used up, whatever the outcome) and the
 * code. err_two_factor_expired when the token is unknown, used or past its 5 minutes. */
int auth_login_pending(struct ctx *c, const char *pending, const char *code,
                       struct session_info *out);
/* Validates a session token: unknown, revoked, idle or past its absolute end →
 * SVC_UNAUTHORIZED (c->code err_session_expired for an expired one). Touches last_seen. */
int auth_session(struct ctx *c, const char *token, struct session_info *out);
/* As auth_session, answered from the process's cache of sessions (service/session_cache.c)
 * while the accounts version (store/db.h db_scope_versions) is still *accounts, which the
 * caller read before; accounts NULL: no cache. */
int auth_session_at(struct ctx *c, const char *token, const int64_t *accounts,
                    struct session_info *out);
int auth_logout(struct ctx *c, const char *token);
/* Ends every session of the user (sign out everywhere; also on password change/disable). */
int auth_revoke_all(struct ctx *c, int64_t user_id, const char *reason);
/* Bearer tokens for integrations: same permissions as the user. */
int auth_token_create(struct ctx *c, int64_t user_id, const char *name, const char **token);
int auth_token_user(struct ctx *c, const char *token, struct user *out);
/* Changes a password (the old one must match unless c->user is an admin acting on another
 * user, or the CLI); ends the user's other sessions. When the user changes their own, a wrong
 * old password counts toward the sign-in lock (policy) and is audited as auth.password_failed
 * with c->client (SVC_INVALID err_password_wrong); a locked account gets SVC_LOCKED
 * (err_locked) as at sign-in. */
int auth_change_password(struct ctx *c, int64_t user_id, const char *old_pw, const char *new_pw);

/* ---- additions to the interface above ------------------------------------------------- */

/* Limits on what a client may send: a longer password or token fails without any work. */
enum { AUTH_PASSWORD_MAX = 1024, AUTH_TOKEN_MAX = 128 };

/* As auth_change_password, but the session keep_session_id (the one the request came with;
 * 0: none) stays signed in while every other session of the user ends. */
int auth_change_password_keep(struct ctx *c, int64_t user_id, const char *old_pw,
                              const char *new_pw, int64_t keep_session_id);
/* True when password matches an argon2id hash from auth_hash_password. */
bool auth_verify_password(const char *hash, const char *password);
/* Ends the user's sessions except keep_session_id (0: all), inside the caller's transaction,
 * with one audit row when any ended; no permission check (user_set_disabled and password
 * changes call it). *n (may be NULL) receives how many ended. */
int auth_revoke_sessions(struct ctx *c, int64_t user_id, int64_t keep_session_id,
                         const char *reason, int *n);

/* For a change of one's own account that asks for the password or a code again (switching
 * two-factor off): SVC_LOCKED err_locked, audited as auth.password_locked, while the account
 * is locked; else SVC_OK. */
int auth_self_check_locked(struct ctx *c, int64_t user_id);
/* A wrong password (code false) or code (true) in such a change: a guess, so counted toward
 * the account's lock and the failures since the last sign-in and audited
 * (auth.password_failed / auth.two_factor_failed); SVC_INVALID err_password_wrong (field
 * password) or err_two_factor_wrong (field code). */
int auth_self_check_failed(struct ctx *c, int64_t user_id, bool code);

/* auth_token_create that also tells the new token's id (id may be NULL). The token is "dk_"
 * and 43 base64url characters (256 random bits); it is shown once, only its hash is kept. */
int auth_token_issue(struct ctx *c, int64_t user_id, const char *name, const char **token,
                     int64_t *id);
/* Revokes an API token: its owner or an admin (or the CLI). SVC_NOT_FOUND when none. */
int auth_token_revoke(struct ctx *c, int64_t token_id);
struct api_token_view {
    int64_t id, user_id;
    const char *login, *name, *created_at, *last_used_at, *revoked_at;
};
/* Tokens of a user (0: of everyone; admins and the CLI only), newest first. Never the token
 * itself: it is not stored. */
int auth_token_list(struct ctx *c, int64_t user_id, struct api_token_view **out, size_t *n);

/* The live sessions of a user (not ended, not expired, not idle past the policy), newest
 * first: the account itself or an admin (or the CLI). current_token (may be NULL) is the
 * session token of the request, to mark its session. Never a token: only hashes are kept. */
struct session_view {
    int64_t id;
    const char *created_at, *last_seen_at, *expires_at;
    const char *client; /* the address it signed in from, or NULL */
    bool current;
};
int auth_session_list(struct ctx *c, int64_t user_id, const char *current_token,
                      struct session_view **out, size_t *n);

#endif
