/* reporting: the reporting calendar (报送日历) of a work plan — which report is due when, and
 * for every item and period whether it was reported.
 *
 * A work plan reports monthly (the default) or quarterly; a period's report is due on a day
 * of the month after the period (report_due_day, 1–28, default 5). For an item and a period
 * that has begun, the state is
 *   due        应报   not reported yet, the due day not passed;
 *   submitted  已报   the period's latest report waits for review;
 *   accepted   已通过 it was accepted;
 *   returned   已退回 it was returned (a new report answers it);
 *   missing    未报   nothing reported and the due day passed.
 * A report covers its own period; for a quarterly plan a monthly report inside the quarter
 * covers the quarter too. An item is expected to report from the period it was created in
 * until the period of a report that says it is done. "Today" is the date in China
 * (light_today), as the lights count it.
 *
 * Who reads: anyone of the pairing — a member only its own unit's rows. Who sets the cycle:
 * a coordinator of the pairing, either side (an admin; the command line). */
#ifndef DUIKOU_SERVICE_REPORTING_H
#define DUIKOU_SERVICE_REPORTING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctx;

enum report_state {
    RS_NONE, /* not expected (before the item existed, after it was done, not begun) */
    RS_DUE,
    RS_SUBMITTED,
    RS_ACCEPTED,
    RS_RETURNED,
    RS_MISSING,
    RS_N
};

enum { REPORTING_DUE_DAY_DEFAULT = 5, REPORTING_DUE_DAY_MAX = 28, REPORTING_PERIODS_MAX = 12 };

/* Whether a report's period (2026-11, 2026-Q4) covers the calendar period p (of a plan
 * that reports quarterly or not). */
struct reporting_period;
bool reporting_covers(const char *report_period, const struct reporting_period *p,
                      bool quarterly);
/* The date in the plans' time zone (light_policy) of a stored UTC time
 * (2026-11-20T17:00:00.000Z → 2026-11-21). */
void reporting_local_date(const char *utc, char out[11]);

/* due, submitted, accepted, returned, missing; "none" for RS_NONE. */
const char *reporting_state_name(enum report_state s);

struct reporting_period {
    char name[16];                   /* 2026-11 or 2026-Q4 */
    char start[11], end[11], due[11]; /* YYYY-MM-DD */
};

/* Counts of the states of a unit's items in one period (index RS_NONE unused). */
struct reporting_cell {
    int64_t count[RS_N];
};

struct reporting_unit_row {
    int64_t unit_id;
    const char *name;
    int side;
    struct reporting_cell *cells; /* one per period of the grid */
    int64_t missing;              /* missing reports over all the periods */
    int64_t urged;                /* days a 催办 was sent by hand for its items this year */
};

struct reporting_item_row {
    int64_t item_id, unit_id;
    const char *title, *due;
    enum report_state *states; /* one per period of the grid */
};

struct reporting_grid {
    int64_t work_plan_id; /* 0: the pairing has no work plan that year (nothing else set) */
    int year;
    bool quarterly;
    int due_day;
    char today[11];
    struct reporting_period *periods; /* the periods begun by today, in order */
    size_t n_periods;
    size_t current; /* the period being reported now (begun, due day not passed); n_periods:
                       none (a past or future year) */
    struct reporting_unit_row *units; /* owners of items, by side then name */
    size_t n_units;
    struct reporting_item_row *items; /* every item of the rows, by unit then id */
    size_t n_items;
};

/* The grid of the pairing's work plan of year: side 0 or 1 (-1: both), unit_id (0: every
 * unit; a member always gets its own unit only). Everything in c->arena. */
int reporting_grid(struct ctx *c, int64_t pairing_id, int year, int side, int64_t unit_id,
                   struct reporting_grid *out);

/* The whole grid (every unit, both sides) for anyone who may read the pairing — a member
 * too: for readings that are the same for every reader (the dashboard's 本期报送, an
 * evaluation's figures and its report). */
int reporting_grid_all(struct ctx *c, int64_t pairing_id, int year, struct reporting_grid *out);

/* What an item must report now: the first period of its plan being reported now (begun, due
 * day not passed) that is expected of the item, its due day and state; and how many periods
 * are missing. period is "" when there is none (a past year's plan, an item done). */
struct reporting_now {
    char period[16], due[11];
    enum report_state state;
    int missing;
};
/* For each of the n items (ids, any plans the caller may read), into out[0..n). */
int reporting_items_now(struct ctx *c, const int64_t *item_ids, size_t n,
                        struct reporting_now *out);

/* The same for items already read (and so already allowed): no query but their reports. */
struct work_item_view;
int reporting_views_now(struct ctx *c, const struct work_item_view *items, size_t n,
                        struct reporting_now *out);

/* One item and period as the reminder pass sees it (reporting_each). */
struct reporting_item_period {
    int64_t work_item_id, unit_id, pairing_id;
    int side;
    const char *title, *period, *due;
    enum report_state state;
};
/* Calls each for every item of every work plan of the years around today (YYYY-MM-DD) and
 * every period of it begun by today and expected of it, in plan, item and period order; stops
 * when each returns non-zero (and returns that). Everyone's items: for the command line and the
 * server's own passes (c->user NULL). */
int reporting_each(struct ctx *c, const char *today,
                   int (*each)(void *arg, const struct reporting_item_period *x), void *arg);

/* Sets the reporting cycle of a work plan: cycle "monthly" or "quarterly" (NULL: unchanged),
 * due_day 1–28 (0: unchanged); audited (work_plan.reporting, its revision moves). err_invalid
 * on field cycle, err_range on due_day for anything else. The settings now into *quarterly
 * and *day. */
int reporting_set(struct ctx *c, int64_t work_plan_id, const char *cycle, int due_day,
                  bool *quarterly, int *day);

#endif
