/* perm: the scope rules every service applies before it reads or writes. One place, so the
 * web pages, the API and the CLI share each rule, and one test file can prove each denial.
 *
 * Who is acting is c->user; c->user == NULL is the command line, run by whoever holds the
 * database file, and is allowed everything. An admin is allowed everything too. A request
 * without a session acts as &svc_public (role public, no pairing): refused all below. Everyone
 * else works inside one province pairing, on one side (0 = the pairing's region_a, 1 =
 * region_b), through their unit:
 *
 *   read a pairing      leader, coordinator, member of that province pairing; a city pairing
 *                       belongs to its province pairing (its parent)
 *   manage a side       a coordinator (lead office) of that pairing and side: its units, its
 *                       member users, its assignments and work plan, reviews of its reports
 *   act for a unit      anyone whose own unit it is (member, coordinator or leader of that
 *                       unit): report on the unit's work items. A coordinator does not report
 *                       for the other units of its side (it reviews their reports; a
 *                       reviewer that could also write the report would review itself)
 *
 * Each check returns SVC_OK, or SVC_FORBIDDEN with c->code = err_forbidden (SVC_NOT_FOUND /
 * SVC_ERROR where the thing looked up does not exist or the store fails). Another province
 * pairing is not forbidden but not there: SVC_NOT_FOUND with err_not_found and no field, the
 * answer of an id that does not exist, checked before the role, so ids of other pairings
 * cannot be enumerated (issue #10); a service whose unknown ids answer another code or
 * field turns this SVC_NOT_FOUND into its own unknown-id answer. */
#ifndef DUIKOU_SERVICE_PERM_H
#define DUIKOU_SERVICE_PERM_H
#include <stdbool.h>
#include <stdint.h>

#include "service/service.h"

/* The command line or an admin (under --mlps: the system administrator, see below). */
bool perm_is_admin_user(const struct ctx *c);

/* 三员分立 under `serve --mlps` (auth_policy.mlps). Each admin account holds one kind:
 *   system    units, accounts, plans and everything else an admin does, except the two below
 *   security  reads accounts and disables or enables them (which resets failed sign-ins)
 *   audit     reads the audit log, every row of it; nothing else
 * Administrator accounts themselves are managed only from the command line, so no
 * administrator can make itself a second kind. An admin with no kind cannot sign in. Without
 * --mlps an admin is all three, whatever its kind, as before. */
bool perm_admin_acts_as(const struct ctx *c, enum admin_kind kind);
/* What a route is for, as the router asks perm_admin_route. */
enum { PERM_ROUTE_OWN = 1,      /* signing in and out, one's own account: every kind */
       PERM_ROUTE_SECURITY = 2, /* the security administrator's (the system's too) */
       PERM_ROUTE_AUDIT = 4 };  /* the audit administrator's, and no other administrator's */
/* SVC_OK when c->user may call a route of these areas (0: any other route, the system
 * administrator's); SVC_FORBIDDEN (err_admin_kind) for an administrator of another kind,
 * (err_admin_kind_missing) for one of none. Everyone but an admin under --mlps: SVC_OK. */
int perm_admin_route(struct ctx *c, unsigned areas);
/* SVC_OK for the command line or an admin, else SVC_FORBIDDEN. */
int perm_is_admin(struct ctx *c);
/* The least role: SVC_OK when c->user's role is at least `least` (command line: always). */
int perm_role_at_least(struct ctx *c, enum role least);

/* The province pairing a pairing belongs to: itself at the top level, else its ancestor.
 * 0 when there is no such pairing. */
int64_t perm_pairing_root(struct ctx *c, int64_t pairing_id);
/* The province pairing and side of a unit. SVC_NOT_FOUND (err_unit_unknown) when there is
 * no such unit. Either output may be NULL. */
int perm_unit_scope(struct ctx *c, int64_t unit_id, int64_t *pairing_id, int *side);
/* perm_unit_scope for a unit c->user names: another pairing's unit is unknown too
 * (SVC_NOT_FOUND err_unit_unknown, field unit_id). */
int perm_unit_seen(struct ctx *c, int64_t unit_id, int64_t *pairing_id, int *side);

/* Whether an object under pairing_id exists for c->user at all: SVC_OK for the command line,
 * an admin and the users of its province pairing; the not-found answer above for the users
 * of another; SVC_FORBIDDEN for a user of no pairing (the public). A service calls it right
 * after reading an object by id, before its own role and side rules. */
int perm_see(struct ctx *c, int64_t pairing_id);
/* Reads of anything under a pairing (plans, tasks, work plans, reports, units). */
int perm_read_pairing(struct ctx *c, int64_t pairing_id);
/* Writes that belong to one side of a pairing: the coordinator of that side, or an admin. */
int perm_manage_side(struct ctx *c, int64_t pairing_id, int side);
/* perm_manage_side for the pairing and side a unit belongs to. */
int perm_manage_unit(struct ctx *c, int64_t unit_id);
/* Acting as the unit itself (reporting on its work items): a user of that unit, or an admin. */
int perm_member_of(struct ctx *c, int64_t unit_id);

#endif
