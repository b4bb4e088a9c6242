/* notification: the in-app inbox (消息) — who is told what, and the reminder pass that tells
 * a unit its report is due and, once it is late, its members, then its coordinator, then its
 * side's leader (催办).
 *
 * Events that notify:
 *   report_due       a period's report not yet submitted, remind_days[] days before its due
 *                    day (7, 3 and 1) — to the owner unit's members;
 *   report_missing   nothing reported after the due day (service/reporting.h's 未报) — to the
 *                    unit's members at once, to the coordinators of its side escalate_days[0]
 *                    days later (3), to the leaders of its side escalate_days[1] days later (7);
 *   report_urged     a 催办 sent by hand by a coordinator for a unit's missing reports — to
 *                    the unit's members;
 *   report_returned  a report returned by its reviewer — to its author, in the review's own
 *                    transaction;
 *   plan_submitted   a work plan submitted for approval — to the other side's coordinators, in
 *                    the submission's transaction (again after each new submission);
 *   plan_reopened    a submitted or agreed work plan back to draft after an item's change —
 *                    to the pairing's coordinators but the one who changed it;
 *   review_waiting   reports waiting for review review_wait_days (3) after they were
 *                    submitted — to the coordinators of their side (who review them), once a
 *                    day while there are any: object = the pairing, period = the day, step =
 *                    how many;
 *   project_stage    a project's stage changed — to the people of its partner units but the
 *                    one who changed it (period = the new stage, step = the change's id);
 *   event_registration  an event registration that concerns one's unit changed: moved up from
 *                    the waiting list to a seat (period "registered"), a unit registered by
 *                    someone else (its status: "registered" or "waiting"), withdrawn by
 *                    someone else ("withdrawn") — to who registered it and, for a unit's, the
 *                    unit's people, but the one who acted (step: the event's id);
 *   evaluation_step  a step of a yearly evaluation that waits for someone (period
 *                    "action:side", step = the step's id): a self-evaluation submitted — to the
 *                    other side's coordinators, who give their opinion; an opinion given or a
 *                    return — to the side's coordinators; both sides final — to the leaders,
 *                    who confirm; closed — to the coordinators and leaders of both sides.
 * Each is stored once per (user, kind, object, period, step), so the reminder pass may run as
 * often as it likes (the server: every hour; `duikou remind`): nothing is told twice. The
 * words are made when the inbox is read, in the reader's language. A pass that tells anyone is
 * audited (notification.remind, with the count); reading one's own inbox is bookkeeping, like
 * a session's last use, and is not. */
#ifndef DUIKOU_SERVICE_NOTIFICATION_H
#define DUIKOU_SERVICE_NOTIFICATION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctx;

enum { NOTIFICATION_PAGE_DEFAULT = 50, NOTIFICATION_PAGE_MAX = 200 };

struct notification_policy {
    int remind_days[3];   /* days before the due day; 0 ends the list */
    int escalate_days[2]; /* days after the due day: to the coordinators, to the leaders */
    int review_wait_days; /* a report pending review this long: its side's coordinators */
};
extern struct notification_policy notification_policy;

struct notification_view {
    int64_t id;
    const char *kind;       /* report_due, report_missing, report_urged, report_returned,
                               plan_submitted, plan_reopened, review_waiting, project_stage,
                               evaluation_step, event_registration */
    int64_t object_id;
    const char *period;     /* "" when the kind has none */
    int step;
    const char *created_at, *read_at; /* read_at NULL: unread */
    /* What the words need, read with it: */
    int64_t work_item_id;   /* the item (report_due, _missing, _returned), else 0 */
    int64_t work_plan_id;   /* the plan (plan_submitted), else 0 */
    const char *title;      /* the item's title, the plan's or evaluation's pairing and
                               year, the project's name */
    const char *unit_name;  /* the owner unit (report kinds); the side (evaluation_step) */
    const char *due;        /* the period's due day (report_due, report_missing) */
    const char *comment;    /* the reviewer's comment (report_returned) */
};

/* The caller's notifications, newest first, keyset pages (after: an id, 0 from the start). */
int notification_list(struct ctx *c, int64_t after, int limit, struct notification_view **out,
                      size_t *n, int64_t *next_after);
/* One notification of user_id, whoever asks (for the mail that tells it: service/mail.c). */
int notification_of(struct ctx *c, int64_t user_id, int64_t id, struct notification_view *out);
/* The caller's unread count. */
int notification_unread(struct ctx *c, int64_t *n);
/* The same, kept for the process per user while the notifications' data version (store/db.h
 * db_scope_versions, read by the caller before) is still `version`. */
int notification_unread_at(struct ctx *c, int64_t version, int64_t *n);
/* Marks one of the caller's notifications read (SVC_NOT_FOUND for another's), or all of them
 * (id 0). */
int notification_read(struct ctx *c, int64_t id);

/* Inside the writing transaction of a review that returned report_id / a submission of a
 * work plan: tells those concerned. <0 when the store fails (the caller rolls back). */
int notification_report_returned(struct ctx *c, int64_t report_id);
int notification_plan_submitted(struct ctx *c, int64_t work_plan_id, int submitter_side);
/* Inside the transaction of an item's change that took a submitted or agreed plan back to
 * draft: tells the pairing's coordinators (but the one who made the change) that it must be
 * submitted and approved again. */
int notification_plan_reopened(struct ctx *c, int64_t work_plan_id);
/* Inside the transaction of a project's stage change (change_id: its project_stage row) / of
 * an evaluation's step (action self, opinion, return; "final" when both sides became final,
 * "closed" when it closed; side the side it concerns). */
int notification_project_stage(struct ctx *c, int64_t project_id, const char *stage,
                               int64_t change_id);
int notification_evaluation_step(struct ctx *c, int64_t evaluation_id, const char *action,
                                 int side, int64_t step_id);
/* Inside the transaction that changed registration_id of event_id to status. */
int notification_event_registration(struct ctx *c, int64_t registration_id, int64_t event_id,
                                    const char *status);

/* 催办 by hand: tells the members of unit_id that each of its reports missing in the
 * pairing's work plan of year is awaited (kind report_urged, at most once a day per item and
 * period). A coordinator of the unit's side, or an admin; audited (notification.urge, on the
 * unit). *made: how many notifications; SVC_CONFLICT err_nothing_missing when the unit has no
 * missing report. */
int notification_urge(struct ctx *c, int64_t pairing_id, int year, int64_t unit_id,
                      int64_t *made);

/* The reminder pass as of today (YYYY-MM-DD in China; NULL: today): what is due in
 * remind_days, what is missing and how late. dry_run: nothing is stored, and only what is not
 * stored yet is counted. each (may be NULL) is called once per notification it makes (or would
 * make). *made: how many. */
int notification_remind(struct ctx *c, const char *today, bool dry_run,
                        void (*each)(void *arg, const char *login, const char *kind,
                                     const char *item_title, const char *period, int step),
                        void *arg, int64_t *made);

#endif
