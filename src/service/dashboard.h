/* dashboard: what a leader reads first about a province pairing's year — the light counts
 * (service/light.h does those), and beside them the figures light_counts does not give: how
 * many items are overdue and which (with their owner units, most overdue first), how far the
 * year has got (the average percent of the items' latest accepted reports), and the latest
 * reports as they come in; and the reports missing for the latest period past its due day,
 * by unit (service/reporting.h's calendar).
 *
 * Every read is bounded by one work plan (the pairing's plan of that year, found by its
 * unique (pairing_id, year) key) and walks indexes from there: the items by work_item_plan,
 * each item's reports by report_item (work_item_id, id), a report's review by its unique
 * report_id. No statement reads the report table as a whole, and the lists carry LIMITs, so
 * the page costs the same with a million reports as with ten (docs in the statements).
 *
 * Who: admin, the command line, or any user (leader, coordinator, member) of that pairing;
 * anyone else gets SVC_FORBIDDEN. */
#ifndef DUIKOU_SERVICE_DASHBOARD_H
#define DUIKOU_SERVICE_DASHBOARD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/event.h"
#include "service/exchange.h"
#include "service/light.h"
#include "service/project.h"

struct ctx;

enum {
    DASHBOARD_OVERDUE_MAX = 50, /* the overdue list shows at most this many (the count is whole) */
    DASHBOARD_RECENT_MAX = 10,  /* the latest reports shown */
};

/* An overdue item: not done (by its latest accepted report) and due before today. */
struct dashboard_overdue {
    int64_t item_id, task_id; /* task_id 0: the item serves no task */
    int task_number;
    const char *title, *task_title, *due;
    int64_t owner_id;
    const char *owner_name;
    int days;                 /* days past due, at least 1 */
    /* The item's latest report of any review state, if any: */
    int64_t report_id;        /* 0: none yet */
    const char *report_status, *report_period, *review; /* review: pending/accepted/returned */
    int report_percent;
    const char *person;       /* whom to ask: who sent the latest report, else the owner
                                 unit's first active clerk or coordinator; NULL: nobody */
};

/* A report, newest first. */
struct dashboard_report {
    int64_t id, item_id, unit_id, task_id;
    int64_t owner_id;         /* the item's owner unit now (unit_id: the reporting unit) */
    int task_number, percent;
    const char *at, *period, *status, *unit_name, *item_title;
    const char *review;       /* pending, accepted, returned, or superseded (not reviewed, and
                                 a newer report of its item and period took its place: the
                                 task page's rule) */
};

/* A unit's missing reports (未报) of the dashboard's reporting period. */
struct dashboard_missing {
    int64_t unit_id;
    const char *name;
    int side;
    int64_t missing;
};

struct dashboard {
    int year;
    char today[11];           /* the date the lights were taken on (YYYY-MM-DD) */
    int64_t work_plan_id;     /* 0: the pairing has no work plan for that year */
    const char *plan_status;  /* draft, submitted, agreed; NULL without a plan */
    int *years;               /* the years with a work plan, newest first */
    size_t n_years;
    struct light_summary lights; /* by pairing, area, city pairing and unit */
    int64_t items;            /* the year's items (removed ones left out) */
    int64_t overdue;          /* of them, overdue: the whole count, not only the listed */
    int64_t accepted;         /* items with an accepted report */
    int percent;              /* progress of the year: the mean, over every item, of its
                               * latest accepted report's percent (0 without one), rounded */
    struct dashboard_overdue *overdue_items; /* most overdue first, ≤ DASHBOARD_OVERDUE_MAX */
    size_t n_overdue_items;
    struct dashboard_report *recent; /* ≤ DASHBOARD_RECENT_MAX, newest first */
    size_t n_recent;
    /* 本期报送: the latest period whose due day has passed (period "" when none has), its
     * missing reports in all and per unit (units without any left out), most first */
    char missing_period[16], missing_due[11];
    int64_t missing;
    struct dashboard_missing *missing_units;
    size_t n_missing_units;
    struct project_totals projects;  /* the projects block's figures (service/project.h) */
    bool have_projects;              /* false when they could not be read */
    /* events held and attended, people seconded and trained (service/event.h, exchange.h);
     * an event counts as held from the day after it ended (the reading is kept per day) */
    struct event_totals events;
    struct exchange_counts exchanges;
    bool have_events;                /* false when they could not be read */
};

/* The dashboard of a province pairing for year (2000–2100, else SVC_INVALID err_range with
 * field year). SVC_NOT_FOUND when pairing_id is not a province pairing. *out is valid until
 * c->arena is freed: it is either read into c->arena or a reading shared by every viewer of
 * the same data versions (dashboard.c), held until then; never write through it. */
int dashboard_get(struct ctx *c, int64_t pairing_id, int year, struct dashboard *out);
/* Drops the shared readings (tests; the process's end). */
void dashboard_forget(void);

/* The pairing whose dashboard a user sees first: its own; for an admin or the command line
 * the first province pairing (SVC_NOT_FOUND when there is none). */
int dashboard_home(struct ctx *c, int64_t *pairing_id);

/* Whole days from the date `from` to the date `to` (YYYY-MM-DD each); 0 when either is not
 * a date. */
int dashboard_days_between(const char *from, const char *to);

#endif
