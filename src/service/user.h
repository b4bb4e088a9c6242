/* user: units (单位) and the accounts of the people in them.
 *
 * A unit works on one side of a province pairing; its name is unique on that side once
 * both spellings are in one script (遼寧省發改委 = 辽宁省发改委). An account has a login, a
 * role and (unless it is an admin) a unit; its password is set here or by auth.
 *
 * Who may do what (perm.h):
 *   units   an admin creates and edits any; a coordinator those of its own pairing side.
 *           Anyone who may read the pairing may list and read its units.
 *   users   an admin creates and edits any; a coordinator creates and edits member accounts
 *           of units on its own side (never a coordinator, leader or admin, and never moves
 *           a member off its side). Everyone may read their own account and change its
 *           name, language and e-mail address. A coordinator lists and reads its side's accounts.
 *           Under --mlps (三员分立, perm.h) the system administrator does the above but for
 *           disabling and enabling, which is the security administrator's (who also lists and
 *           reads accounts, and changes nothing else); admin accounts are made and changed
 *           only on the command line (err_admin_cli), each with exactly one kind.
 * Every write is one transaction with its audit row, before and after as JSON; password
 * hashes never appear in the audit log. An update reads the row, decides the permission and
 * writes inside that one transaction, and its UPDATE is guarded by the updated_at it read,
 * so it never writes back fields someone else changed meanwhile. Strings returned live in
 * c->arena. */
#ifndef DUIKOU_SERVICE_USER_H
#define DUIKOU_SERVICE_USER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

/* Limits, in characters (code points). */
enum { UNIT_NAME_MAX = 100, USER_NAME_MAX = 64, LOGIN_MIN = 3, LOGIN_MAX = 64 };
/* The most rows of one keyset page (unit_list_page, user_list_page). */
enum { USER_PAGE_MAX = 200 };

/* ---- units ---------------------------------------------------------------------------- */

struct unit_input {
    int64_t pairing_id; /* a province pairing (create only; a unit never changes pairing) */
    int side;           /* 0 or 1 (create only) */
    int64_t region_id;  /* optional: 0 none (create) / unchanged (update) */
    const char *name;   /* required on create; NULL: unchanged on update */
    const char *kind;   /* government department city enterprise university institute
                           association park other; NULL: unchanged on update */
    const char *tier;   /* decision coordination execution; NULL: unchanged on update */
    const char *if_updated_at; /* update only: SVC_STALE (err_stale) unless the unit's
                                  updated_at still is this (If-Match; checked after the
                                  permission, in the write's transaction); NULL: no check */
};

struct unit_view {
    int64_t id, pairing_id, region_id;
    int side;
    const char *name, *kind, *tier, *created_at, *updated_at;
    const char *pairing_a, *pairing_b; /* the pairing's two names */
    int users;                         /* accounts in the unit, disabled ones included */
};

int unit_create(struct ctx *c, const struct unit_input *in, int64_t *id);
int unit_update(struct ctx *c, int64_t id, const struct unit_input *in);
int unit_get(struct ctx *c, int64_t id, struct unit_view *out);
/* Units by pairing (0: every pairing c->user may read; a city pairing: its province
 * pairing's) and side (-1: both), by pairing, side, id. */
int unit_list(struct ctx *c, int64_t pairing_id, int side, struct unit_view **out, size_t *n);
/* unit_list one keyset page at a time, by id: the units with id > after, at most limit
 * (1–USER_PAGE_MAX, else SVC_INVALID err_range); *next_after is the id to pass as after for
 * the next page, 0 on the last. An unknown pairing is SVC_NOT_FOUND for an admin, as for
 * unit_list (others: SVC_FORBIDDEN). */
int unit_list_page(struct ctx *c, int64_t pairing_id, int side, int64_t after, int limit,
                   struct unit_view **out, size_t *n, int64_t *next_after);/* A unit by id ("12") or by exact name in either script. SVC_NOT_FOUND when none matches,
 * SVC_CONFLICT (err_unit_ambiguous) when several sides hold that name. */
int unit_find(struct ctx *c, const char *id_or_name, int64_t *id);

bool unit_kind_valid(const char *kind);
bool unit_tier_valid(const char *tier);

/* ---- users ---------------------------------------------------------------------------- */

struct user_input {
    const char *login;    /* create only: 3–64 of a-z 0-9 . _ - @, folded to lower case */
    const char *name;     /* display name; NULL: the login (create) / unchanged (update) */
    const char *role;     /* admin leader coordinator member; NULL: unchanged on update */
    const char *admin_kind; /* create only, an admin's: system security audit (三员分立);
                               NULL: none, refused under --mlps. Later: user_set_admin_kind */
    int64_t unit_id;      /* required unless admin; 0: unchanged on update (a change of role
                             to admin clears it) */
    const char *language; /* zh-Hans zh-Hant en; NULL: zh-Hans (create) / unchanged */
    const char *email;    /* an address for notifications (service/mail.h); NULL: none
                             (create) / unchanged; "": removed. Everyone may set their own */
    const char *password; /* create only, required: checked by auth_password_acceptable */
    const char *if_updated_at; /* update only: SVC_STALE (err_stale) unless the account's
                                  updated_at still is this (If-Match; checked after the
                                  permission, in the write's transaction); NULL: no check */
    int disable;          /* update only: 1 disable (ending its sessions), -1 enable, 0 as is;
                             written with the other fields in one transaction */
};

struct user_view {
    int64_t id, unit_id, pairing_id;
    int side;
    const char *login, *name, *role, *language, *unit_name;
    bool disabled;
    bool locked; /* locked now after failed sign-ins */
    int failed_logins;
    const char *locked_until, *pw_changed_at, *created_at, *updated_at;
    const char *email; /* NULL: none */
    const char *admin_kind; /* an admin's kind (system security audit), NULL: none */
    bool pw_must_change;    /* set by another: to be changed at the next sign-in (--mlps) */
    const char *last_login_at; /* the last successful sign-in, NULL: none */
};

int user_create(struct ctx *c, const struct user_input *in, int64_t *id);
int user_update(struct ctx *c, int64_t id, const struct user_input *in);
/* Disabling ends every session of the account (same transaction). Nobody disables their own
 * account (SVC_CONFLICT, field "disabled"), so an admin cannot lock everyone out by mistake.
 * user_set_disabled is user_update with only .disable set. */
int user_set_disabled(struct ctx *c, int64_t id, bool disabled);
int user_get(struct ctx *c, int64_t id, struct user_view *out);
/* The id of a login (case-insensitive), or SVC_NOT_FOUND. No permission check: for the
 * CLI and for services that then check the user they found. */
int user_id_by_login(struct ctx *c, const char *login, int64_t *id);
/* SVC_OK when c->user may edit account id (admin, the CLI, or a coordinator for a member
 * account of its own side); SVC_FORBIDDEN otherwise, SVC_NOT_FOUND when there is none. */
int user_may_manage(struct ctx *c, int64_t id);
/* Accounts of a unit (0: all that c->user may see), by login. */
int user_list(struct ctx *c, int64_t unit_id, struct user_view **out, size_t *n);
/* user_list one keyset page at a time, by id (as unit_list_page). */
int user_list_page(struct ctx *c, int64_t unit_id, int64_t after, int limit,
                   struct user_view **out, size_t *n, int64_t *next_after);
/* The acting-person form of an account, as auth puts it into ctx->user: role, unit, and the
 * unit's pairing and side; strings in c->arena. SVC_NOT_FOUND when there is no such user. No
 * permission check (auth calls it after verifying a password or token). */
int user_load(struct ctx *c, int64_t id, struct user *out);

/* A random password: four groups of five characters joined by '-' (116 random bits), with
 * upper- and lower-case letters, digits and a symbol, so it passes the composition rule;
 * no look-alike characters (0 O 1 I l). */
const char *user_generate_password(struct ctx *c);
/* Login as stored: lower case; NULL when it breaks the rule above. */
const char *user_login_normalize(struct ctx *c, const char *login);

/* Gives admin account id its kind (三员分立), ending its sessions. Under --mlps
 * (auth_policy.mlps) only the command line may (err_admin_cli), and an account that holds a
 * kind never takes another (SVC_CONFLICT err_admin_kind_second): make a new account. Not an
 * admin: SVC_INVALID err_admin_kind_role. Audited as user.admin_kind. */
int user_set_admin_kind(struct ctx *c, int64_t id, const char *kind);
/* SVC_OK unless account id may not sign in for what it is: under --mlps, an admin of no kind
 * (SVC_FORBIDDEN err_admin_kind_missing, naming the command that gives it one). Auth asks
 * after the password proved right; a refusal is audited (auth.login_refused). */
int user_may_sign_in(struct ctx *c, int64_t id);
/* The security administrator's care of an account (三员分立; without --mlps any admin, and
 * the CLI): SVC_FORBIDDEN err_admin_kind for another administrator under --mlps, err_admin_cli
 * for an administrator account under --mlps (the command line's), err_forbidden for anyone
 * else; SVC_NOT_FOUND when there is no such account. Key rotation stays on the CLI.
 * user_unlock clears account id's lock: the failed sign-ins and lock of the account as a
 * whole and every per-address lock (login_lock), audited as user.unlock with what was cleared
 * (nothing locked: nothing written). *cleared (may be NULL): whether anything was. */
int user_unlock(struct ctx *c, int64_t id, bool *cleared);
/* The live sessions of account id, newest first (struct session_view of service/auth.h, in
 * c->arena). */
struct session_view;
int user_sessions(struct ctx *c, int64_t id, struct session_view **out, size_t *n);
/* Ends session session_id of account id (SVC_NOT_FOUND err_not_found when it is not one of
 * its live ones), or with session_id 0 all of them; audited (auth.revoke_session,
 * auth.revoke_sessions). *ended (may be NULL): how many ended. */
int user_end_sessions(struct ctx *c, int64_t id, int64_t session_id, int *ended);

/* "system" "security" "audit" and back; ADMIN_KIND_NONE / NULL for anything else. */
enum admin_kind user_admin_kind_parse(const char *name);
const char *user_admin_kind_name(enum admin_kind k);

enum role user_role_parse(const char *name); /* ROLE_PUBLIC for anything else */
const char *user_role_name(enum role r);     /* "admin" …; "public" for ROLE_PUBLIC */

#endif
