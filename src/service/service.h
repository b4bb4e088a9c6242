/* service: the domain rules, shared by the CLI, the web pages and the API. Every call takes
 * a context saying who acts, from where, on which connection, with which arena. Permission
 * checks live in the services (never only in a route table), and writes run in one
 * transaction together with their audit rows. */
#ifndef DUIKOU_SERVICE_H
#define DUIKOU_SERVICE_H
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* Ordered by reach, so a route table can name the least role that may call a route; the
 * services still check scope (pairing, side, unit) on every call. */
enum role { ROLE_PUBLIC = 0, ROLE_MEMBER, ROLE_COORDINATOR, ROLE_LEADER, ROLE_ADMIN };

/* 三员分立: which of the three administrators an admin account is (users.admin_kind). Under
 * `serve --mlps` each admin holds exactly one and may do only that kind's part (perm.h);
 * without it an admin does everything, whatever its kind. */
enum admin_kind { ADMIN_KIND_NONE = 0, ADMIN_SYSTEM, ADMIN_SECURITY, ADMIN_AUDIT };

/* The person acting. A leader, coordinator or member works in one province pairing on one
 * side (0 = the pairing's region_a, 1 = region_b) through their unit. */
struct user {
    int64_t id;
    int64_t unit_id;    /* 0 for an admin */
    int64_t pairing_id; /* the unit's province pairing; 0 for an admin */
    int side;           /* the unit's side; -1 for an admin */
    enum role role;
    enum admin_kind admin_kind; /* an admin's kind; ADMIN_KIND_NONE for everyone else */
    const char *login, *name, *unit_name;
    const char *language; /* zh-Hans, zh-Hant or en */
};

/* The caller of a request without a session: role public, no unit, no pairing, id 0, so
 * every check that needs a role or a scope refuses it. An explicit actor rather than NULL,
 * which is the command line's: a missing role on a route then fails closed. */
extern const struct user svc_public;

struct ctx {
    struct db *db;
    struct arena *arena;  /* owns everything a service returns */
    const char *actor;    /* audit "who": cli:<user>, or user:<login> */
    const char *client;   /* audit "from where": an address, or NULL for the CLI */
    const struct user *user; /* NULL: the command line, which may do everything; a request
                                nobody signed in to acts as &svc_public, never as NULL */
    /* Set on failure: */
    const char *code;   /* a message id of core/i18n (err_forbidden, err_invalid …) */
    const char *field;  /* the input field at fault, or NULL */
    const char *error;  /* English detail for logs and the CLI */
};

enum {
    SVC_OK = 0,
    SVC_ERROR = -1,        /* internal: the store failed (details are in the log) */
    SVC_INVALID = -10,     /* 422: the input is not acceptable; ctx says which field */
    SVC_NOT_FOUND = -11,   /* 404 */
    SVC_CONFLICT = -12,    /* 409: the state does not allow it (e.g. editing an agreed plan) */
    SVC_FORBIDDEN = -13,   /* 403 */
    SVC_UNAUTHORIZED = -14, /* 401: no valid session or token */
    SVC_STALE = -15,       /* 412: If-Match names an older revision */
    SVC_LOCKED = -16,      /* 423/429: the account is locked for a while */
};

/* Records a failure in c and returns status: svc_fail(c, SVC_INVALID, "err_percent",
 * "percent", "percent %d is not within 0–100", p). */
int svc_fail(struct ctx *c, int status, const char *code, const char *field, const char *fmt,
             ...) __attribute__((format(printf, 5, 6)));

/* Time now as stored: ISO 8601 UTC with milliseconds (arena string). */
const char *svc_now(struct ctx *c);
/* The new updated_at of a row whose updated_at (the version an If-Match names) is prev: now,
 * or 1 ms after prev when the clock has not moved past it, so two writes in one millisecond
 * still give two versions and a stale If-Match is always refused. Arena string. */
const char *svc_now_after(struct ctx *c, const char *prev);

#endif
