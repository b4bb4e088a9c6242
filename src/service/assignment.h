/* assignment: 分解任务、落实责任 — which units lead (牵头) and support (配合) a task of a
 * plan. Each side of the province pairing assigns its own units: a task may have a lead unit
 * on each side, and each side's set is replaced as a whole by assignment_set.
 *
 * Who may do what (every function checks; c->user NULL is the command line, allowed all):
 *   read   admin, or any user (leader, coordinator, member) of the task's province pairing;
 *   write  admin, or a coordinator of that pairing for its own side only. Leaders and members
 *          never write. */
#ifndef DUIKOU_SERVICE_ASSIGNMENT_H
#define DUIKOU_SERVICE_ASSIGNMENT_H
#include <stddef.h>
#include <stdint.h>

struct ctx;

enum { ASSIGNMENT_MAX_SUPPORT = 50 }; /* support units per side and task */

struct assignment_view {
    int64_t id, task_id, unit_id;
    const char *unit_name;
    int side;             /* the unit's side: 0 = pairing.region_a, 1 = region_b */
    const char *role;     /* "lead" or "support" */
    const char *created_at;
    int64_t created_by;   /* user id, 0 when made from the command line */
};

/* The assignments of a task, side 0 first, the lead before its supports, then by unit name.
 * *out is an arena array (NULL when there are none). SVC_NOT_FOUND when there is no task. */
int assignment_list(struct ctx *c, int64_t task_id, struct assignment_view **out, size_t *n);

/* Replaces the assignments of one side (0 or 1) of the task with lead_unit as lead and
 * support[0..n_support) as supports, in one audited transaction (action assignment.set,
 * entity task, before/after: {"side":…,"lead":id|null,"support":[ids]}). lead_unit 0 with
 * no supports clears the side; supports need a lead. Every unit must exist
 * (err_unit_unknown, SVC_INVALID) and be of the task's pairing and of that side
 * (err_other_side, SVC_FORBIDDEN); a unit may not appear twice (err_invalid). A coordinator
 * asking for the other side gets err_forbidden. Setting the same set again changes nothing
 * and writes no audit row. */
int assignment_set(struct ctx *c, int64_t task_id, int side, int64_t lead_unit,
                   const int64_t *support, size_t n_support);

/* The version of a task's assignments (both sides), for ETag and If-Match: the first
 * ASSIGNMENT_DIGEST_LEN hex digits of a SHA-256 over every row (id, unit, role, created_at,
 * created_by), taken in id order whatever order a holds them in, so any set or removal
 * changes it. a is what assignment_list gave (n may be 0). */
enum { ASSIGNMENT_DIGEST_LEN = 16 };
void assignment_digest(const struct assignment_view *a, size_t n,
                       char out[ASSIGNMENT_DIGEST_LEN + 1]);

/* assignment_set made against a version the caller read: with expect not NULL, SVC_STALE
 * (err_stale) and no change unless the task's assignments still have the digest expect —
 * compared inside the write's transaction, after the permission and input checks (so an
 * expect that matches nothing, "", still lets 404, 403 and 422 come first). NULL skips the
 * comparison: that is assignment_set, for the command line and the demo. */
int assignment_set_if(struct ctx *c, int64_t task_id, int side, int64_t lead_unit,
                      const int64_t *support, size_t n_support, const char *expect);

/* Removes one unit's assignment to a task (the side's remaining set stays as it is, even
 * without a lead). Same permission as assignment_set for the unit's side; audited as
 * assignment.remove with the side's set before and after. SVC_NOT_FOUND when the unit has
 * no assignment on that task. */
int assignment_remove(struct ctx *c, int64_t task_id, int64_t unit_id);

/* ---- many tasks at once: the assignment page saves every changed task of a plan together */

enum { ASSIGNMENT_BATCH_MAX = 1000 }; /* changes per call */

/* One task's side set to lead_unit and support (as assignment_set_if takes them). status,
 * code and field are outputs: SVC_OK, or why this change was refused. */
struct assignment_change {
    int64_t task_id;
    int side;
    int64_t lead_unit;
    const int64_t *support;
    size_t n_support;
    const char *expect; /* the digest the change was made against; NULL: no comparison */
    int status;         /* out: SVC_OK, SVC_INVALID, SVC_FORBIDDEN, SVC_NOT_FOUND, SVC_STALE */
    const char *code, *field; /* out: the refusal's message id and input, as c would hold */
};

/* assignment_set_if for ch[0..n) in ONE transaction: all are written (each audited as
 * assignment.set; an unchanged set writes nothing) or none. First every change is checked
 * as assignment_set_if checks it, and each refusal is recorded in its change; then, under
 * the write lock, every expect is compared and every stale change marked SVC_STALE
 * (err_stale). When any change was refused nothing is written and the first refusal is
 * returned (and put in c); SVC_ERROR when the store fails. More than ASSIGNMENT_BATCH_MAX
 * changes is SVC_INVALID err_range. */
int assignment_set_many(struct ctx *c, struct assignment_change *ch, size_t n);

#endif
