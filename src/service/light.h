/* light: the 红黄绿灯 of work items, and their counts by pairing, key area, city pairing and
 * owner unit.
 *
 * The rule (one place: LIGHT_SQL below; everything that shows a light uses it):
 *   done    the latest ACCEPTED report of the item says done. Shown green with a tick by the
 *           pages; kept apart so counts can say how much is finished, not only "not late".
 *   red     not done, and overdue (due is before today), or the latest accepted report says
 *           delayed.
 *   yellow  not done and not red, and due within light_policy.soon_days days (today counts),
 *           or the latest accepted report says at_risk.
 *   green   everything else (on track, not started with time left, no report yet).
 * Only accepted reports move a light: a pending or returned report is an unchecked claim.
 * "Today" is the date in the plan's time zone (light_policy.utc_offset_minutes, China
 * Standard Time by default) on the clock of core/clock.h, so tests move it. */
#ifndef DUIKOU_SERVICE_LIGHT_H
#define DUIKOU_SERVICE_LIGHT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctx;
struct stmt;

/* Values match LIGHT_SQL's results. */
enum light { LIGHT_GREEN = 0, LIGHT_YELLOW = 1, LIGHT_RED = 2, LIGHT_DONE = 3, LIGHT_N = 4 };

/* Settings, from struct config at start-up; tests change them. */
struct light_policy {
    int soon_days;          /* yellow when due within this many days (7) */
    int utc_offset_minutes; /* the plans' local time, for "today" (480: UTC+8) */
};
extern struct light_policy light_policy;

/* "green", "yellow", "red", "done" (stable API and CSS names). */
const char *light_name(enum light l);

/* Today and today + soon_days as YYYY-MM-DD by light_policy and the clock, into out[11]. */
void light_today(char today[11], char soon[11]);
/* This year in the plans' time zone (the year of light_today's today). */
int light_this_year(void);

/* For services that read work items in SQL: the light (0–3) of a row from its due date and
 * the status of its latest accepted report (both SQL expressions, the latter NULL when there
 * is none). It uses the parameters :light_today and :light_soon; bind them with light_bind.
 * LIGHT_SQL_ACCEPTED(item) is that status for the work item whose id is the expression item. */
#define LIGHT_SQL(due, accepted)                                                             \
    "(CASE WHEN " accepted " = 'done' THEN 3 WHEN " due " < :light_today OR " accepted       \
    " = 'delayed' THEN 2 WHEN " due " <= :light_soon OR " accepted                           \
    " = 'at_risk' THEN 1 ELSE 0 END)"
#define LIGHT_SQL_ACCEPTED(item)                                                             \
    "(SELECT lr.status FROM report lr JOIN review lv ON lv.report_id = lr.id "               \
    "WHERE lr.work_item_id = " item " AND lv.decision = 'accepted' "                         \
    "ORDER BY lr.id DESC LIMIT 1)"
void light_bind(struct stmt *st);

/* The light of one work item (not removed). Who: admin, the CLI, or any user of the item's
 * pairing. SVC_NOT_FOUND when there is no such item. */
int light_item(struct ctx *c, int64_t work_item_id, enum light *out);

/* One row of counts: what it counts (a pairing, an area, a city pairing or a unit) and how
 * many items are in each light. */
struct light_group {
    int64_t id;               /* pairing, plan_section (area), child pairing, or unit id */
    const char *name;         /* pairing: "A–B"; area: its title; unit: its name */
    int side;                 /* unit rows: the unit's side; -1 elsewhere */
    int64_t count[LIGHT_N];   /* indexed by enum light */
    int64_t total;
};

struct light_summary {
    struct light_group pairing;  /* every item counted */
    struct light_group *areas;   /* by key area (task.area_id), in section order */
    size_t n_areas;
    struct light_group *cities;  /* by city/zone pairing, by pairing id */
    size_t n_cities;
    struct light_group *units;   /* by owner unit, by side then name */
    size_t n_units;
};

/* Counts the lights of the work items (removed ones left out) of the province pairing's work
 * plans of one year (year 0: of every year), whatever the plan's status. Who: admin, the CLI,
 * or any user of that pairing. Everything is in c->arena. Groups with no items are left out.
 *   area: the key area of the item's task (items without a task are in no area);
 *   city pairing: an item belongs to a child pairing of the province pairing when its task
 *     has the number the child was named under (pairing.task_number) in the same plan —
 *     the same plan lineage, so items on tasks of a revised plan version still count. A task
 *     that names two pairings (e.g. task 22 of 辽宁–江苏) counts for both; items on tasks that
 *     name none are in no city pairing;
 *   unit: the owner unit (support units are not counted).
 * The counts of all four groupings come from one SQL statement (GROUP BY, no query per
 * item); besides it only the pairing's own row is read. */
int light_counts(struct ctx *c, int64_t pairing_id, int year, struct light_summary *out);

/* Which items light_items returns: every field 0 (light -1) leaves that filter out. */
struct light_filter {
    int light;               /* enum light, or -1 for any */
    int64_t area_id;         /* the key area (plan_section) of the item's task */
    int64_t city_id;         /* a city pairing, as light_counts assigns items to one */
    int64_t unit_id;         /* the owner unit */
    bool overdue;            /* due before today and not done */
};

/* An item behind a count. */
struct light_item {
    int64_t id, task_id, owner_id;
    int task_number;         /* 0: the item serves no task */
    const char *title, *due, *owner_name;
    enum light light;
};

enum { LIGHT_ITEMS_MAX = 500 };

/* The items behind light_counts' numbers (the same items, grouped the same way, with the same
 * rule), filtered, worst first (red, yellow, green, done), then soonest due: what a count on
 * the dashboard links to. At most LIGHT_ITEMS_MAX; *more says whether there were more. Who:
 * as light_counts. Everything is in c->arena. */
int light_items(struct ctx *c, int64_t pairing_id, int year, const struct light_filter *f,
                struct light_item **out, size_t *n, bool *more);

#endif
