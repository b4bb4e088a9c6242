/* task: one task (重点任务) of a plan as the people who carry it out see it: its text and key
 * area, the targets and city pairings the plan names under it, the units assigned to it on
 * both sides, and the work items that serve it in the work plans of every year.
 *
 * Who: admin, the command line, or any user (leader, coordinator, member) of the task's
 * province pairing. The plan text itself is public; what is done about it is not. */
#ifndef DUIKOU_SERVICE_TASK_H
#define DUIKOU_SERVICE_TASK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/assignment.h"
#include "service/work_plan.h"

struct ctx;

struct task_target {
    const char *text, *unit, *object, *per;
    bool has_min, has_max;
    int64_t min, max;
    int year; /* 0: none */
};

/* A city or zone pairing the plan names under this task (e.g. 盘锦–无锡 under task 7). */
struct task_pairing {
    int64_t id;
    const char *kind, *a, *b, *theme;
};

struct task_view {
    int64_t id, plan_id, pairing_id; /* pairing_id: the plan's province pairing */
    int number;
    const char *title, *body;
    bool damaged;                         /* the source text had characters lost */
    const char *plan_title, *plan_status; /* plan_status: current or superseded */
    int plan_version;
    const char *side_name[2];             /* the province pairing's two sides (name_a, name_b) */
    int64_t area_id;                      /* 0 when the task is in no key area */
    const char *area_marker, *area_title;
    struct task_target *targets;
    size_t n_targets;
    struct task_pairing *pairings;
    size_t n_pairings;
    struct assignment_view *assignments;  /* as assignment_list gives them */
    size_t n_assignments;
    struct work_item_view *items;         /* as work_plan_task_items gives them */
    size_t n_items;
};

/* Reads task id with everything above into c->arena. SVC_NOT_FOUND when there is no such
 * task, SVC_FORBIDDEN when it is not of the caller's pairing. */
int task_get(struct ctx *c, int64_t id, struct task_view *out);

/* ---- the timeline of a task: the reports on its work items and their reviews ----------- */

enum {
    TASK_TIMELINE_MAX = 200,    /* entries per page */
    TASK_TIMELINE_DEFAULT = 30,
    TASK_EXCERPT_CHARS = 140,   /* code points of a narrative shown in an entry */
};

/* One report on a work item of the task, with its review when it has one. */
struct task_event {
    int64_t report_id, work_item_id, unit_id;
    int year;                     /* the item's work plan year */
    const char *item_title, *unit_name, *submitted_by_login;
    const char *period, *status, *at;
    int percent;
    const char *excerpt;          /* the narrative's first TASK_EXCERPT_CHARS code points */
    bool cut;                     /* the narrative is longer than the excerpt */
    const char *decision;         /* "accepted", "returned", or NULL: pending */
    const char *reviewer_login, *comment, *reviewed_at;
    const char *submitted_by_name, *reviewer_name; /* display names (NULL: none) */
    bool superseded;              /* a newer report of the same item and period replaced it
                                     (then it is never reviewed) */
};

struct task_timeline {
    struct task_event *events;    /* newest report first (by report id, which grows with
                                     time: reports are append-only) */
    size_t n;
    bool more;                    /* older reports follow */
    int64_t next_before;          /* the cursor for them: the id of the last entry */
};

/* A keyset page of the reports on the task's work items (not removed), newest first, each
 * with its review: the reports with id < before (0: from the newest), at most limit
 * (0: TASK_TIMELINE_DEFAULT; outside 1..TASK_TIMELINE_MAX: SVC_INVALID err_range, field
 * limit). Each item is read through its (work_item_id, id) index, at most limit + 1 rows,
 * so the cost follows the number of items and limit, not the number of reports stored.
 * Read permission as task_get; SVC_NOT_FOUND when there is no such task. */
int task_timeline(struct ctx *c, int64_t task_id, int64_t before, int limit,
                  struct task_timeline *out);

#endif
