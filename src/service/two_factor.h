/* two_factor: the second factor of a sign-in (等级保护 level 3, 身份鉴别): TOTP codes
 * (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps) from an authenticator app, checked with
 * Debian's liboath, and ten single-use recovery codes for a lost phone.
 *
 * An account enrols on its own account page: a new random secret (160 bits) is kept sealed
 * with the data key (core/seal.h) and shown once as a QR code and base32 text; it is switched
 * on only by a current code, and then the recovery codes are shown once (only their SHA-256
 * is kept). A code is taken within ±1 step of the server's clock (core/clock.h) and only at
 * a later step than the last code taken for the account, so a code seen over a shoulder or
 * in a log cannot be used again. The secret never enters the audit log.
 *
 * Under `serve --mlps` admins, coordinators and leaders must have it: until they enrol, the
 * router lets their sessions reach only the enrolment pages and sign-out
 * (two_factor_must_enrol). Members may enrol. API bearer tokens are not affected. */
#ifndef DUIKOU_TWO_FACTOR_H
#define DUIKOU_TWO_FACTOR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

enum {
    TWO_FACTOR_DIGITS = 6,
    TWO_FACTOR_STEP = 30,            /* seconds */
    TWO_FACTOR_WINDOW = 1,           /* steps either side of now that are accepted */
    TWO_FACTOR_SECRET_BYTES = 20,    /* 160 bits, RFC 4226's recommendation */
    TWO_FACTOR_RECOVERY = 10,        /* recovery codes made at enrolment */
    TWO_FACTOR_PENDING_SECONDS = 300 /* password right, code still to come */
};

/* The outcome of two_factor_totp_check. */
enum { TOTP_OK = 0, TOTP_WRONG = 1, TOTP_REPLAY = 2 };

/* The pure check: is code (6 digits) the TOTP of the raw secret (n bytes) at a step within
 * ±TWO_FACTOR_WINDOW of now_s (Unix seconds)? TOTP_REPLAY when it is, but at a step not
 * after last_step (0: none yet). On TOTP_OK *step is the step it matched. */
int two_factor_totp_check(const unsigned char *secret, size_t n, int64_t now_s,
                          const char *code, int64_t last_step, int64_t *step);

/* Whether a second factor is mandatory for u: under auth_policy.mlps, for admins,
 * coordinators and leaders. */
bool two_factor_mandatory(const struct user *u);
/* Whether user_id has two-factor sign-in switched on: 1 yes, 0 no, <0 the store failed. */
int two_factor_enabled(struct ctx *c, int64_t user_id);
/* Whether u must enrol before anything else (mandatory and not on). A store failure
 * answers true: the gate fails closed. */
bool two_factor_must_enrol(struct ctx *c, const struct user *u);

/* Enrolment, always of c->user's own account. */
struct two_factor_enrolment {
    const char *secret; /* base32, for typing into the app */
    const char *uri;    /* otpauth://totp/Duikou:<login>?secret=…&issuer=Duikou, for the QR */
};
/* A new secret waiting for its first code (replacing one that waited). SVC_CONFLICT
 * (err_two_factor_on) when two-factor sign-in is already on; err_data_key without a key. */
int two_factor_begin(struct ctx *c, struct two_factor_enrolment *out);
/* The secret waiting for its first code again; SVC_NOT_FOUND when none waits. */
int two_factor_waiting(struct ctx *c, struct two_factor_enrolment *out);
/* Switches it on with a current code of the waiting secret; codes[TWO_FACTOR_RECOVERY]
 * receives the recovery codes (arena), to show once. SVC_INVALID err_two_factor_wrong. The
 * account's sessions but keep_session_id (the request's; 0: none) end. */
int two_factor_confirm(struct ctx *c, const char *code, const char **codes,
                       int64_t keep_session_id);
/* Switches it off: the account's password and a code (or a recovery code) are needed.
 * SVC_INVALID err_password_wrong or err_two_factor_wrong, each counted toward the sign-in
 * lock and audited (auth_self_check_failed); SVC_LOCKED err_locked while locked. The
 * account's sessions but keep_session_id end. */
int two_factor_disable(struct ctx *c, const char *password, const char *code,
                       int64_t keep_session_id);
/* Removes the second factor of user_id (a lost phone and lost recovery codes): the command
 * line only (c->user NULL), audited as two_factor.reset; every session of the account ends.
 * SVC_NOT_FOUND when it has none. */
int two_factor_reset(struct ctx *c, int64_t user_id);
/* The recovery codes not used yet, of c->user (for the page). */
int two_factor_recovery_left(struct ctx *c, int *n);

/* Sign-in (service/auth.c). A code of user_id: 6 digits of TOTP, or a recovery code (spaces
 * and hyphens ignored). SVC_OK taken (and never again), SVC_UNAUTHORIZED wrong or already
 * used (c->code err_two_factor_wrong), SVC_ERROR. actor: who the audit row names. */
int two_factor_verify(struct ctx *c, int64_t user_id, const char *actor, const char *code);
/* A pending sign-in of user_id: a single-use token (arena) valid TWO_FACTOR_PENDING_SECONDS. */
int two_factor_pending_new(struct ctx *c, int64_t user_id, const char **token);
/* Takes (and so ends) a pending sign-in: *user_id. SVC_UNAUTHORIZED err_two_factor_expired
 * when the token is unknown, used or expired. */
int two_factor_pending_take(struct ctx *c, const char *token, int64_t *user_id);

#endif
