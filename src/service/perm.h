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
 * SVC_ERROR where the thing looked up does not exist or the store fails). */
#ifndef DUIKOU_SERVICE_PERM_H
#define DUIKOU_SERVICE_PERM_H
#include <stdbool.h>
#include <stdint.h>

#include "service/service.h"

/* The command line or an admin. */
bool perm_is_admin_user(const struct ctx *c);
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

/* Reads of anything under a pairing (plans, tasks, work plans, reports, units). */
int perm_read_pairing(struct ctx *c, int64_t pairing_id);
/* Writes that belong to one side of a pairing: the coordinator of that side, or an admin. */
int perm_manage_side(struct ctx *c, int64_t pairing_id, int side);
/* perm_manage_side for the pairing and side a unit belongs to. */
int perm_manage_unit(struct ctx *c, int64_t unit_id);
/* Acting as the unit itself (reporting on its work items): a user of that unit, or an admin. */
int perm_member_of(struct ctx *c, int64_t unit_id);

#endif
