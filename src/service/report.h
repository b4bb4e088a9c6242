/* report: 进展报告 and their review (审核 · 退回).
 *
 * Reports are append-only (the table refuses updates). A new report on an item for a period
 * that already has one supersedes the latest of them (supersedes_id is set by the service):
 * that is how a correction, or the answer to a returned report, is made. The history keeps
 * every report with its review.
 *
 * A report is pending while it has no review. Only the latest report of its item for its
 * period can be reviewed; an older one of the same period that was never reviewed is simply
 * overtaken by the correction (err_superseded). Reports of other periods do not overtake it:
 * November's report stays reviewable after December's arrives.
 *
 * Who may do what (c->user NULL is the command line):
 *   submit  a user whose unit is the item's owner unit — a member, or a coordinator when its
 *           own lead office owns the item — or an admin. A coordinator does NOT report on
 *           behalf of another unit of its side: a report is the owner unit's own account,
 *           and the coordinator is the one who checks it. Leaders never. Others get
 *           err_not_owner.
 *   review  a coordinator of the owner unit's side (its pairing and side), or an admin; never
 *           the user who submitted the report (err_own_report): whoever reports does not
 *           approve it.
 *   read    admin, or any user of the item's pairing.
 * Submitting and reviewing record a user id, so the command line (no user) gets
 * err_forbidden for them. */
#ifndef DUIKOU_SERVICE_REPORT_H
#define DUIKOU_SERVICE_REPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctx;

enum {
    REPORT_NARRATIVE_MAX = 20000, /* code points */
    REPORT_COMMENT_MAX = 2000,
    REPORT_MAX_FIGURES = 20,
    REPORT_FIGURE_NAME_MAX = 50,
    REPORT_FIGURE_UNIT_MAX = 20,
    REPORT_PAGE_MAX = 200,        /* list limit */
    REPORT_PAGE_DEFAULT = 50,
};

/* A named number: 签约金额 (in yuan, unit "元"), 参与企业数 (unit "家"). */
struct report_figure {
    const char *name; /* 1–50 code points, unique in the report */
    int64_t value;
    const char *unit; /* optional, ≤ 20 code points */
};

struct report_input {
    int64_t work_item_id;
    const char *period;    /* "2026-11" (month) or "2026-Q4" (quarter), year within the
                              work plan's year ±1 */
    const char *status;    /* not_started, on_track, at_risk, delayed, done */
    int percent;           /* 0–100 */
    const char *narrative; /* required, ≤ 20,000 code points */
    const struct report_figure *figures;
    size_t n_figures;      /* ≤ 20 */
    /* A report on a period whose latest report was accepted replaces an accepted account:
     * REPORT_CORRECTION_NO (the form's box left unticked) refuses it (SVC_CONFLICT
     * err_correction_unconfirmed, field correction); UNSTATED (0: the API without the flag,
     * the command line) and YES let it through as a correction. An import states it (NO
     * unless its commit was confirmed). */
    enum { REPORT_CORRECTION_UNSTATED, REPORT_CORRECTION_NO, REPORT_CORRECTION_YES } correction;
};

struct report_view {
    int64_t id, work_item_id, unit_id, supersedes_id, submitted_by;
    const char *item_title, *unit_name, *submitted_by_login;
    const char *submitted_by_name; /* the display name (the login when none was given) */
    const char *period, *status, *narrative, *at;
    int percent;
    struct report_figure *figures; /* by name */
    size_t n_figures;
    bool latest;              /* the latest report of its item for its period (not
                                 superseded by a correction) */
    /* The review, if any: */
    const char *decision;     /* "accepted", "returned", or NULL: pending */
    int64_t reviewer_id;
    const char *reviewer_login, *comment, *reviewed_at;
    const char *reviewer_name;
};

/* One entry of a coordinator's queue: a pending report and, beside it, the report before it
 * on the same item, of whatever period (NULL when it is the first). */
struct report_pending {
    struct report_view report;
    struct report_view *previous;
};

/* Keyset pages: pass after = 0 for the first page, then the next_after of the last page.
 * limit 0 means REPORT_PAGE_DEFAULT; more than REPORT_PAGE_MAX or negative is err_range. */
struct report_page {
    struct report_view *items;
    size_t n;
    bool more;          /* another page follows */
    int64_t next_after; /* the cursor for it */
};
struct report_pending_page {
    struct report_pending *items;
    size_t n;
    bool more;
    int64_t next_after;
};

/* Submits a report; *id (may be NULL) receives its id. Audited (report.submit, after: the
 * whole report). Validation failures are SVC_INVALID with c->field set: period
 * (err_period), status (err_status), percent (err_range), narrative (err_required,
 * err_too_long, err_invalid for bad UTF-8), figures (err_range when more than 20),
 * figures[i].name (err_required, err_too_long, err_invalid for a repeat), figures[i].unit
 * (err_too_long). An item removed from its plan is SVC_CONFLICT. The item, its owner unit and
 * its removal are read in the transaction that stores the report, so a report never lands on
 * an item that was meanwhile removed or moved to another unit. */
int report_submit(struct ctx *c, const struct report_input *in, int64_t *id);

/* The checks of report_submit (permission, the item, every rule on the input) without
 * storing anything: an import's preview (service/import.h). Same failures. */
int report_check(struct ctx *c, const struct report_input *in);
/* report_check, and *correction: the report would replace the period's latest report, which
 * was accepted, saying something else (an import's rows marked 更正). */
int report_check_correction(struct ctx *c, const struct report_input *in, bool *correction);

/* report_submit inside the caller's transaction (an import commits many at once). With
 * skip_same, a report saying what the latest report of its item and period says (status,
 * percent, narrative, figures) stores nothing and *id is 0: importing a file twice changes
 * nothing. */
int report_submit_in(struct ctx *c, const struct report_input *in, bool skip_same, int64_t *id);
/* Whether percent fits status at the two ends of the scale (done is 100, not started 0),
 * the rule report_submit applies, for a form that names every mistake at once. */
bool report_percent_fits(const char *status, int percent);

/* Reviews a pending report: accept (comment optional) or return (comment required,
 * err_comment_required); comment ≤ 2,000 code points. A report already reviewed is
 * SVC_CONFLICT err_not_pending; one that is not the latest of its item for its period,
 * err_superseded. Audited
 * (report.review). */
int report_review(struct ctx *c, int64_t report_id, bool accept, const char *comment);

/* One report with its figures and review. Read permission. */
int report_get(struct ctx *c, int64_t id, struct report_view *out);

/* An item's progress across its periods: for each period (oldest first) the latest report
 * of that period — its status, percent and review (accepted, returned, or pending). At most
 * REPORT_PROGRESS_MAX periods, the latest ones. Read permission on the item's pairing. */
enum { REPORT_PROGRESS_MAX = 36 };
struct report_point {
    const char *period, *status, *review;
    int percent;
};
int report_progress(struct ctx *c, int64_t work_item_id, struct report_point **out, size_t *n);

/* Every report of an item with its review, newest first (after: ids below it). */
int report_history(struct ctx *c, int64_t work_item_id, int64_t after, int limit,
                   struct report_page *out);

/* The pending reports (latest of their item and period, no review) the caller can see,
 * oldest first (after: ids above it), each with the previous report of its item:
 *   coordinator: its pairing and side — its review queue;
 *   leader:      its pairing, both sides;
 *   member:      its own unit's;
 *   admin / CLI: all.
 * Only items not removed from their plan are listed. */
int report_pending(struct ctx *c, int64_t after, int limit, struct report_pending_page *out);

/* The queue narrowed (each 0 / NULL or "": any): the reports of one unit, of the items of
 * one task, of one period ("2026-11"). Same window, order and paging as report_pending. */
struct report_filter {
    int64_t unit_id, task_id;
    const char *period;
};
int report_pending_filtered(struct ctx *c, const struct report_filter *f, int64_t after,
                            int limit, struct report_pending_page *out);
/* Whether s is a period as reports name it: "2026-11" or "2026-Q4" (a filter's check). */
bool report_period_ok(const char *s);

/* How many reports wait in the caller's window (report_pending's, unfiltered), in all and by
 * unit (by name), by task (by number; id 0: items serving no task) and by period (oldest
 * first; id 0, name the period): the queue's counts and the choices of its filters. */
struct report_pending_count {
    int64_t id;
    int number;       /* a task's number */
    const char *name; /* a unit's name, a task's title, a period */
    int64_t pending;
};
struct report_pending_counts {
    int64_t total;
    struct report_pending_count *units, *tasks, *periods;
    size_t n_units, n_tasks, n_periods;
};
int report_pending_counts(struct ctx *c, struct report_pending_counts *out);

/* 进展报告台账: the reports on the items (not removed) of the pairing's work plan of year, each
 * with its figures (when figures is set) and review, by item then report. A keyset page: pass
 * 0, 0 first, then next_item, next_report; limit up to REPORT_LEDGER_PAGE_MAX. A member reads
 * its own unit's reports only, everyone else of the pairing all of them. No work plan that
 * year: an empty page. Read permission on the pairing. */
enum { REPORT_LEDGER_PAGE_MAX = 1000 };
struct report_ledger_page {
    int64_t work_plan_id; /* 0: the pairing has no work plan that year */
    struct report_view *items;
    size_t n;
    bool more;
    int64_t next_item, next_report;
};
int report_ledger(struct ctx *c, int64_t pairing_id, int year, int64_t after_item,
                  int64_t after_report, int limit, bool figures, struct report_ledger_page *out);

#endif
