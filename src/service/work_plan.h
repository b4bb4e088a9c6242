/* work_plan: 年度工作计划 — a province pairing's plan for one year, its items (计划事项) and
 * its dual sign-off, as the lead offices of both sides agree it at a joint meeting.
 *
 *   draft ──submit──▶ submitted ──approve side 0 + approve side 1──▶ agreed
 *     ▲                    │                                           │
 *     └──── any item added, edited or removed (approvals cleared) ─────┘
 *
 * An item edit after submission or approval is allowed, but it returns the plan to draft:
 * the active approvals get cleared_at and cleared_reason (kept for the record), and the
 * reopening is audited (work_plan.reopen) in the same transaction as the edit.
 *
 * Revisions: work_plan.revision grows by one on every call that changes the plan or any of
 * its items (the plan's ETag); work_item.revision on every change of that item. Item edits
 * and removals name the item revision they were made against; submit and approve name the
 * plan revision (0 skips the check, for the command line). A mismatch is SVC_STALE
 * (err_stale), so two coordinators never overwrite each other silently.
 *
 * Who may do what (c->user NULL is the command line, allowed all; admin likewise):
 *   read     any user of the pairing (leader, coordinator, member);
 *   open     (get-or-create) a coordinator of the pairing, either side;
 *   items    a coordinator of the pairing, for items whose owner unit is on its own side
 *            (before and after an edit; err_other_side otherwise). Support units may be of
 *            either side of the pairing;
 *   submit   a coordinator of either side;
 *   approve  a coordinator, for its own side; an admin for either side, but never for both:
 *            the two approvals of a plan always come from two people (err_same_approver).
 * Leaders and members never write. Approvals record a user, so the command line (no user)
 * cannot approve: it gets err_forbidden. */
#ifndef DUIKOU_SERVICE_WORK_PLAN_H
#define DUIKOU_SERVICE_WORK_PLAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/light.h"

struct ctx;

enum {
    WORK_ITEM_TITLE_MAX = 200,  /* code points */
    WORK_ITEM_TEXT_MAX = 500,   /* indicator, target value */
    WORK_ITEM_MAX_SUPPORT = 50,
};

struct work_plan_approval {
    int64_t id, user_id;
    int side;
    const char *user_login, *at;
    const char *cleared_at, *cleared_reason; /* NULL while the approval stands */
    const char *user_name, *unit_name;       /* the approver's name and unit (unit NULL
                                                for an admin) */
};

struct work_item_unit {
    int64_t id;
    const char *name;
    int side;
};

struct work_item_view {
    int64_t id, work_plan_id, revision;
    int year;                 /* the work plan's year */
    const char *plan_status;  /* the work plan's status: draft, submitted, agreed */
    int64_t task_id;          /* 0 when the item serves no task */
    int task_number;          /* 0 likewise */
    const char *task_title;
    const char *title, *due, *indicator, *target_value; /* indicator, target may be NULL */
    struct work_item_unit owner;
    struct work_item_unit *support;
    size_t n_support;
    const char *created_at, *updated_at;
    /* The latest report (by id), if any: */
    int64_t report_id;        /* 0: no report yet */
    const char *report_period, *report_status, *report_at;
    int report_percent;
    const char *review;       /* "pending", "accepted", "returned"; NULL without a report */
    const char *review_comment; /* the reviewer's comment on the latest report, or NULL */
    const char *accepted_status; /* status of the latest accepted report, or NULL */
    enum light light;
    bool report_quarterly;    /* the plan's reporting calendar (service/reporting.h) */
    int report_due_day;
};

struct work_plan_view {
    int64_t id, pairing_id, revision;
    int year;
    const char *status;       /* draft, submitted, agreed */
    const char *name_a, *name_b; /* the pairing's sides */
    const char *created_at, *updated_at;
    bool report_quarterly;    /* the reporting calendar (service/reporting.h): quarterly, */
    int report_due_day;       /* each period due on this day of the month after it */
    bool approved[2];         /* a standing approval of side 0 / side 1 */
    struct work_plan_approval *approvals; /* all, cleared ones too, by id */
    size_t n_approvals;
    struct work_item_view *items; /* not removed, by id */
    size_t n_items;
};

struct work_plan_summary {
    int64_t id, revision;
    int year, items;
    const char *status, *updated_at;
};

/* The input of an item, for add and edit (an edit replaces every field). */
struct work_item_input {
    int64_t task_id;          /* 0: none; else a task of a plan of the work plan's pairing */
    const char *title;        /* required, 1–200 code points after trimming */
    int64_t owner_unit_id;    /* required: a unit of the pairing */
    const int64_t *support;   /* units of the pairing, not the owner, no repeats */
    size_t n_support;
    const char *due;          /* YYYY-MM-DD, a real date in the plan's year ±1 */
    const char *indicator, *target_value; /* optional, ≤ 500 code points */
};

/* The work plans of a province pairing, newest year first. Read permission. */
int work_plan_list(struct ctx *c, int64_t pairing_id, struct work_plan_summary **out, size_t *n);

/* The id of the pairing's plan for year: SVC_NOT_FOUND when there is none. Read permission. */
int work_plan_find(struct ctx *c, int64_t pairing_id, int year, int64_t *id);

/* Get-or-create: the id of the plan of (pairing, year), created as an empty draft (audited,
 * work_plan.create) when there is none. pairing_id must be a province pairing (a city
 * pairing is err_invalid); year 2000–2100 (err_range). Open permission. */
int work_plan_open(struct ctx *c, int64_t pairing_id, int year, int64_t *id);

/* The plan with its approvals and items, each item with its owner and support units, task,
 * latest report, review state and light. Everything is in c->arena. Read permission. */
int work_plan_get(struct ctx *c, int64_t id, struct work_plan_view *out);

/* One item as in work_plan_get (a removed item is SVC_NOT_FOUND). Read permission. */
int work_plan_item_get(struct ctx *c, int64_t item_id, struct work_item_view *out);

/* The items (not removed) serving a task, in the work plans of every year, by year then id,
 * each as in work_plan_get. *out is an arena array. Read permission on the task's pairing;
 * SVC_NOT_FOUND (field task_id) when there is no such task. */
int work_plan_task_items(struct ctx *c, int64_t task_id, struct work_item_view **out, size_t *n);

enum { WORK_ITEM_PAGE_MAX = 200, WORK_ITEM_PAGE_DEFAULT = 50 };

/* A keyset page of items: pass after = 0 for the first page, then next_after. */
struct work_item_page {
    struct work_item_view *items;
    size_t n;
    bool more;          /* another page follows */
    int64_t next_after; /* the cursor for it: the id of the last item of this page */
};

/* The items (not removed) a unit owns, soonest due first, then by id — what its clerk reports
 * on. year 0: the plans of every year, else that year's. open_only leaves out the items whose
 * latest accepted report says done (their light is "done"). after is the id of the last item of
 * the previous page: an id that is not an item of this unit is SVC_INVALID err_range (field
 * after). limit 0 means WORK_ITEM_PAGE_DEFAULT; negative or above WORK_ITEM_PAGE_MAX is
 * err_range (field limit). Read permission on the unit's pairing; SVC_NOT_FOUND
 * (err_unit_unknown) when there is no such unit. */
int work_plan_unit_items(struct ctx *c, int64_t unit_id, int year, bool open_only,
                         int64_t after, int limit, struct work_item_page *out);

/* Adds an item; *item_id (may be NULL) receives its id. Validation failures are SVC_INVALID
 * with c->field naming the input: title (err_required, err_too_long), due (err_required,
 * err_date, err_range), owner_unit_id and support (err_unit_unknown, err_invalid), task_id
 * (err_task_unknown), indicator and target_value (err_too_long). */
int work_plan_item_add(struct ctx *c, int64_t plan_id, const struct work_item_input *in,
                       int64_t *item_id);

/* For an import into a plan (service/import.h). work_plan_import_target: the caller may edit
 * the plan's items (SVC_FORBIDDEN, SVC_NOT_FOUND) and the plan is a draft (SVC_CONFLICT
 * err_import_not_draft). work_plan_item_check: the checks of work_plan_item_add (item_id 0)
 * or of work_plan_item_edit of item_id (which must be in plan_id: err_import_item_plan, field
 * item_id), nothing written; *same (may be NULL) says an edit would change nothing,
 * *revision (may be NULL) the item's revision checked against.
 * work_plan_item_put_in: adds or edits inside the caller's transaction (the plan still a
 * draft); an edit is made against expected (the revision the preview saw: SVC_STALE
 * err_stale when the item moved on since); *id the item, *changed whether anything was
 * written. */
int work_plan_import_target(struct ctx *c, int64_t plan_id);
int work_plan_item_check(struct ctx *c, int64_t plan_id, int64_t item_id,
                         const struct work_item_input *in, bool *same, int64_t *revision);
int work_plan_item_put_in(struct ctx *c, int64_t plan_id, int64_t item_id, int64_t expected,
                          const struct work_item_input *in, int64_t *id, bool *changed);

/* Replaces an item's fields. expected_revision is the item revision the edit was made
 * against (SVC_STALE when it moved on). An edit that changes nothing is SVC_OK and writes
 * nothing. */
int work_plan_item_edit(struct ctx *c, int64_t item_id, int64_t expected_revision,
                        const struct work_item_input *in);

/* Removes an item (kept in the table with removed_at, since reports point at it). */
int work_plan_item_remove(struct ctx *c, int64_t item_id, int64_t expected_revision);

/* draft → submitted. A plan without items cannot be submitted (err_plan_empty); a plan not
 * in draft is SVC_CONFLICT err_plan_not_draft. */
int work_plan_submit(struct ctx *c, int64_t plan_id, int64_t expected_revision);

/* Records side's approval (a coordinator passes its own side; an admin either). The plan
 * must be submitted (err_plan_not_submitted) and the side not already approved
 * (err_already_approved), and the caller must not hold a standing approval of the other side
 * (err_same_approver: dual sign-off needs two people), all SVC_CONFLICT. With both sides
 * approved the plan is agreed; *agreed (may be NULL) says so. */
int work_plan_approve(struct ctx *c, int64_t plan_id, int side, int64_t expected_revision,
                      bool *agreed);

/* ---- what changed since a side last approved (re-approval shows it) ---------------------- */

struct work_plan_field_change {
    const char *field;          /* title, task, owner, support, indicator, target_value, due */
    const char *before, *after; /* as shown: unit names (support joined by 、), a task's
                                   number, a date; "" for none */
};

struct work_plan_item_change {
    int64_t item_id;
    const char *kind;           /* added, removed, changed */
    const char *title;          /* the title now (as approved for a removed item) */
    struct work_plan_field_change *fields; /* changed: what changed, in the order above */
    size_t n_fields;
};

struct work_plan_changes {
    const char *since;          /* when that side last approved; NULL: it never has (or
                                   approved before approvals kept their items) */
    struct work_plan_item_change *items; /* in the order of the plan's items, removed last */
    size_t n_items;
};

/* What changed in v (as work_plan_get read it) since side's latest approval, cleared or
 * standing: items added, removed, and each changed field before → after. The approval keeps
 * the items as approved (schema 21). Read permission as work_plan_get's, which v had. */
int work_plan_changes(struct ctx *c, const struct work_plan_view *v, int side,
                      struct work_plan_changes *out);

#endif
