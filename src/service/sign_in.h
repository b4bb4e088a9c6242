/* sign_in: what a sign-in records beside its session, and the level-3 (`serve --mlps`) rules
 * around it: the last sign-in and the failures since, one session per account, password
 * expiry and the change an admin's password calls for. Only service/auth.c calls these. */
#ifndef DUIKOU_SIGN_IN_H
#define DUIKOU_SIGN_IN_H
#include <stdbool.h>
#include <stdint.h>

#include "service/auth.h"

/* Inside auth_login's transaction, once the new session's row exists: the account's last
 * sign-in becomes this one, the one before is kept in the session's row (prev_*) and told in
 * out->last_login_*, out->failures_since; under mlps the account's other sessions end
 * (AUTH_ENDED_ELSEWHERE, one audit row), the latest live one named in out->ended_*, and
 * out->password_change is set. <0 when the store fails. */
int sign_in_record(struct ctx *c, int64_t user_id, int64_t session_id, struct session_info *out);
/* A failed sign-in of an existing account (wrong password, or tried while locked), inside the
 * caller's transaction: one more for the next sign-in to show. <0 when the store fails. */
int sign_in_failed(struct ctx *c, int64_t user_id);
/* What a valid session's row adds (last sign-in, failures since, password change) into out.
 * SVC_OK or SVC_ERROR. */
int sign_in_session_facts(struct ctx *c, int64_t session_id, struct session_info *out);
/* Whether a revoked session was ended by a sign-in elsewhere. */
bool sign_in_ended_elsewhere(struct ctx *c, int64_t session_id);

#endif
