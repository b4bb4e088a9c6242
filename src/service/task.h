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
    const char *plan_title, *plan_status; /* plan_status: current or superseded */
    int plan_version;
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

#endif
