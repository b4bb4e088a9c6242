/* reporting: the reporting calendar of a work plan (see reporting.h). The states are computed
 * here from the plan's items and their reports: each statement starts from the one work plan
 * of (pairing, year) or from one item, and reaches reports through an item's report_item
 * range, so the cost follows the plan's size, never the report table's. */
#include "service/reporting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/perm.h"
#include "service/service.h"
#include "service/work_plan.h"
#include "store/audit.h"
#include "store/db.h"

static const char *const state_names[RS_N] = {"none", "due", "submitted", "accepted",
                                              "returned", "missing"};

const char *reporting_state_name(enum report_state s)
{
    return s < RS_N ? state_names[s] : "none";
}

static int store_failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "reporting", what);
}

/* ---- the calendar ------------------------------------------------------------------------ */

static void date_of(int y, int m, int d, char out[11])
{
    clock_format_date(clock_days_from_civil(y, m, d), out);
}

/* The periods of year (all of them, 12 or 4) into out; their count. */
static size_t year_periods(int year, bool quarterly, int due_day,
                           struct reporting_period out[REPORTING_PERIODS_MAX])
{
    size_t n = quarterly ? 4 : 12;
    for (size_t i = 0; i < n; i++) {
        int first = quarterly ? (int)i * 3 + 1 : (int)i + 1, last = quarterly ? first + 2 : first;
        struct reporting_period *p = &out[i];
        unsigned y4 = (unsigned)year % 10000u, k = (unsigned)i % 12u + 1u;
        if (quarterly)
            snprintf(p->name, sizeof p->name, "%04u-Q%u", y4, k);
        else
            snprintf(p->name, sizeof p->name, "%04u-%02u", y4, k);
        date_of(year, first, 1, p->start);
        int ny = last == 12 ? year + 1 : year, nm = last == 12 ? 1 : last + 1;
        clock_format_date(clock_days_from_civil(ny, nm, 1) - 1, p->end);
        date_of(ny, nm, due_day, p->due);
    }
    return n;
}

bool reporting_covers(const char *report_period, const struct reporting_period *p, bool quarterly)
{
    if (strcmp(report_period, p->name) == 0)
        return true;
    if (!quarterly || strlen(report_period) != 7 || report_period[4] != '-' ||
        strncmp(report_period, p->name, 4) != 0 || report_period[5] == 'Q')
        return false;
    int month = atoi(report_period + 5), q = p->name[6] - '0';
    return month >= q * 3 - 2 && month <= q * 3;
}

void reporting_local_date(const char *utc, char out[11])
{
    int64_t ms;
    if (!clock_parse(utc, &ms)) {
        snprintf(out, 11, "%.10s", utc);
        return;
    }
    ms += (int64_t)light_policy.utc_offset_minutes * 60000;
    clock_format_date(ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000), out);
}

struct item_report {
    const char *period, *status, *decision; /* decision NULL: pending */
};

/* The reports of an item through st (REPORTS_SQL, prepared by the caller), into the arena;
 * *n how many; <0 when the store fails. */
#define REPORTS_SQL                                                                          \
    "SELECT r.period, r.status, v.decision FROM report r "                                   \
    "LEFT JOIN review v ON v.report_id = r.id WHERE r.work_item_id = :i ORDER BY r.id"

static int read_reports(struct ctx *c, struct stmt *st, int64_t item, struct item_report **out,
                        size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    db_reset(st);
    db_bind_int64(st, ":i", item);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct item_report *x = ARRAY_PUSH(c->arena, *out, *n, cap);
        x->period = svc_col(c, st, 0);
        x->status = svc_col(c, st, 1);
        x->decision = db_col_is_null(st, 2) ? NULL : svc_col(c, st, 2);
    }
    return rc < 0 ? rc : 0;
}

/* The states of one item over periods[0..n): created (China date) and its reports in id
 * order. */
static void item_states(const struct reporting_period *periods, size_t n, bool quarterly,
                        const char *created, const struct item_report *reps, size_t n_reps,
                        const char *today, enum report_state *out)
{
    bool finished = false;
    for (size_t k = 0; k < n; k++) {
        const struct reporting_period *p = &periods[k];
        out[k] = RS_NONE;
        if (finished || strcmp(p->end, created) < 0 || strcmp(p->start, today) > 0)
            continue;
        const struct item_report *latest = NULL;
        for (size_t i = 0; i < n_reps; i++)
            if (reporting_covers(reps[i].period, p, quarterly))
                latest = &reps[i]; /* id order: the last one wins */
        if (!latest)
            out[k] = strcmp(today, p->due) > 0 ? RS_MISSING : RS_DUE;
        else if (!latest->decision)
            out[k] = RS_SUBMITTED;
        else
            out[k] = strcmp(latest->decision, "accepted") == 0 ? RS_ACCEPTED : RS_RETURNED;
        /* Done (and not returned as such): nothing more is expected after this period. */
        if (latest && strcmp(latest->status, "done") == 0 && out[k] != RS_RETURNED)
            finished = true;
    }
}

/* The current period among periods[0..n) (begun, due day not passed), n when none. */
static size_t current_period(const struct reporting_period *periods, size_t n, const char *today)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(periods[k].start, today) <= 0 && strcmp(today, periods[k].due) <= 0)
            return k;
    return n;
}

/* ---- the grid ---------------------------------------------------------------------------- */

struct plan_row {
    int64_t id;
    bool quarterly;
    int due_day;
};

static int load_plan(struct ctx *c, int64_t pairing_id, int year, struct plan_row *out)
{
    memset(out, 0, sizeof *out);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT id, report_cycle, report_due_day FROM work_plan "
               "WHERE pairing_id = :p AND year = :y");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", year);
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        out->id = db_col_int64(&st, 0);
        out->quarterly = strcmp(db_col_text(&st, 1), "quarterly") == 0;
        out->due_day = (int)db_col_int64(&st, 2);
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the work plan") : SVC_OK;
}

/* The grid as a reader wants it: periods before any item was expected to report are left
 * out (a plan made in June has no January column), and units with the most missing reports
 * come first, their items following them in the same order. */
static void trim_and_sort(struct ctx *c, struct reporting_grid *g)
{
    size_t first = g->n_periods;
    for (size_t i = 0; i < g->n_items; i++)
        for (size_t k = 0; k < first; k++)
            if (g->items[i].states[k] != RS_NONE) {
                first = k;
                break;
            }
    if (first == g->n_periods && g->n_periods) /* nothing expected yet: keep the last one */
        first = g->n_periods - 1;
    g->periods += first;
    g->n_periods -= first;
    g->current = g->current >= first ? g->current - first : g->n_periods;
    for (size_t u = 0; u < g->n_units; u++)
        g->units[u].cells += first;
    for (size_t i = 0; i < g->n_items; i++)
        g->items[i].states += first;
    /* Most missing first; a stable insertion sort keeps the read order (side, name) among
     * equals (a pairing has tens of units). */
    for (size_t i = 1; i < g->n_units; i++) {
        struct reporting_unit_row row = g->units[i];
        size_t j = i;
        for (; j > 0 && g->units[j - 1].missing < row.missing; j--)
            g->units[j] = g->units[j - 1];
        g->units[j] = row;
    }
    struct reporting_item_row *items = arena_alloc(c->arena, (g->n_items + 1) * sizeof *items);
    size_t n = 0;
    for (size_t u = 0; u < g->n_units; u++)
        for (size_t i = 0; i < g->n_items; i++)
            if (g->items[i].unit_id == g->units[u].unit_id)
                items[n++] = g->items[i];
    g->items = items;
}

int reporting_grid(struct ctx *c, int64_t pairing_id, int year, int side, int64_t unit_id,
                   struct reporting_grid *out)
{
    memset(out, 0, sizeof *out);
    if (year < 2000 || year > 2100)
        return svc_fail(c, SVC_INVALID, "err_range", "year", "year %d is not within 2000–2100",
                        year);
    if (side < -1 || side > 1)
        return svc_fail(c, SVC_INVALID, "err_invalid", "side", "side is 0, 1 or absent");
    int rc = perm_read_pairing(c, pairing_id);
    if (rc != SVC_OK)
        return rc;
    if (c->user && c->user->role == ROLE_MEMBER)
        unit_id = c->user->unit_id; /* a member sees its own unit's rows */
    out->year = year;
    char soon[11];
    light_today(out->today, soon);
    struct plan_row plan;
    if ((rc = load_plan(c, pairing_id, year, &plan)) != SVC_OK || !plan.id)
        return rc;
    out->work_plan_id = plan.id;
    out->quarterly = plan.quarterly;
    out->due_day = plan.due_day;
    struct reporting_period all[REPORTING_PERIODS_MAX];
    size_t n_all = year_periods(year, plan.quarterly, plan.due_day, all);
    while (out->n_periods < n_all && strcmp(all[out->n_periods].start, out->today) <= 0)
        out->n_periods++;
    out->periods = arena_alloc(c->arena, (out->n_periods + 1) * sizeof *out->periods);
    memcpy(out->periods, all, out->n_periods * sizeof *all);
    out->current = current_period(out->periods, out->n_periods, out->today);

    /* The items, by unit (side, then name) and id; the units' rows as they come. */
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT i.id, i.title, i.due, i.created_at, u.id, u.name, u.side "
               "FROM work_item i JOIN unit u ON u.id = i.owner_unit_id "
               "WHERE i.work_plan_id = :wp AND i.removed_at IS NULL "
               "AND (:side < 0 OR u.side = :side) AND (:unit = 0 OR u.id = :unit) "
               "ORDER BY u.side, u.name, u.id, i.id");
    db_bind_int64(&st, ":wp", plan.id);
    db_bind_int64(&st, ":side", side);
    db_bind_int64(&st, ":unit", unit_id);
    size_t cap_items = 0, cap_units = 0;
    const char **created = NULL;
    size_t cap_created = 0, n_created = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct reporting_item_row *it = ARRAY_PUSH(c->arena, out->items, out->n_items, cap_items);
        it->item_id = db_col_int64(&st, 0);
        it->title = svc_col(c, &st, 1);
        it->due = svc_col(c, &st, 2);
        char day[11];
        reporting_local_date(db_col_text(&st, 3), day);
        *(const char **)ARRAY_PUSH(c->arena, created, n_created, cap_created) =
            arena_strdup(c->arena, day);
        it->unit_id = db_col_int64(&st, 4);
        if (!out->n_units || out->units[out->n_units - 1].unit_id != it->unit_id) {
            struct reporting_unit_row *u = ARRAY_PUSH(c->arena, out->units, out->n_units, cap_units);
            u->unit_id = it->unit_id;
            u->name = svc_col(c, &st, 5);
            u->side = (int)db_col_int64(&st, 6);
        }
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the items");
    for (size_t u = 0; u < out->n_units; u++)
        out->units[u].cells =
            arena_alloc(c->arena, (out->n_periods + 1) * sizeof *out->units[u].cells);

    /* Each item's reports through its report_item range, then its states. */
    struct item_report *reps;
    size_t n_reps, unit = 0;
    rc = 0;
    db_prepare(c->db, &st, REPORTS_SQL);
    for (size_t k = 0; k < out->n_items; k++) {
        struct reporting_item_row *it = &out->items[k];
        if ((rc = read_reports(c, &st, it->item_id, &reps, &n_reps)) < 0)
            break;
        it->states = arena_alloc(c->arena, (out->n_periods + 1) * sizeof *it->states);
        item_states(out->periods, out->n_periods, plan.quarterly, created[k], reps, n_reps,
                    out->today, it->states);
        while (out->units[unit].unit_id != it->unit_id)
            unit++;
        struct reporting_unit_row *u = &out->units[unit];
        for (size_t p = 0; p < out->n_periods; p++) {
            u->cells[p].count[it->states[p]]++;
            u->missing += it->states[p] == RS_MISSING;
        }
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the reports");
    /* 催办 sent by hand (service/notification.c), counted in days per unit */
    db_prepare(c->db, &st,
               "SELECT i.owner_unit_id, count(DISTINCT n.step) FROM work_item i "
               "CROSS JOIN notification n ON n.kind = 'report_urged' AND n.object_id = i.id "
               "WHERE i.work_plan_id = :wp GROUP BY i.owner_unit_id");
    db_bind_int64(&st, ":wp", plan.id);
    while ((rc = db_step(&st)) == DB_ROW)
        for (size_t u = 0; u < out->n_units; u++)
            if (out->units[u].unit_id == db_col_int64(&st, 0))
                out->units[u].urged = db_col_int64(&st, 1);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "counting the 催办");
    trim_and_sort(c, out);
    return SVC_OK;
}

int reporting_grid_all(struct ctx *c, int64_t pairing_id, int year, struct reporting_grid *out)
{
    memset(out, 0, sizeof *out);
    int rc = perm_read_pairing(c, pairing_id);
    if (rc != SVC_OK)
        return rc;
    /* checked: read as the command line reads it, so a member's own-unit rule does not apply */
    struct ctx all = *c;
    all.user = NULL;
    rc = reporting_grid(&all, pairing_id, year, -1, 0, out);
    c->code = all.code;
    c->field = all.field;
    c->error = all.error;
    return rc;
}

/* ---- one item now ------------------------------------------------------------------------ */

/* What one item must report now (see reporting_items_now), its reports read through st. */
static int item_now(struct ctx *c, struct stmt *st, int64_t item, int year, bool quarterly,
                    int due_day, const char *created_utc, const char *today,
                    struct reporting_now *out)
{
    memset(out, 0, sizeof *out);
    char created[11];
    reporting_local_date(created_utc, created);
    struct reporting_period periods[REPORTING_PERIODS_MAX];
    size_t np = year_periods(year, quarterly, due_day, periods);
    struct item_report *reps;
    size_t n_reps;
    if (read_reports(c, st, item, &reps, &n_reps) < 0)
        return store_failed(c, "reading the reports");
    enum report_state states[REPORTING_PERIODS_MAX];
    item_states(periods, np, quarterly, created, reps, n_reps, today, states);
    /* The item's own current period: being reported now and expected of it (an item added on
     * 3 December reports December, not November, which is still open). */
    size_t cur = np;
    for (size_t p = 0; p < np && cur == np; p++)
        if (states[p] != RS_NONE && strcmp(periods[p].start, today) <= 0 &&
            strcmp(today, periods[p].due) <= 0)
            cur = p;
    for (size_t p = 0; p < np; p++)
        out->missing += states[p] == RS_MISSING;
    if (cur < np) {
        memcpy(out->period, periods[cur].name, sizeof out->period);
        memcpy(out->due, periods[cur].due, sizeof out->due);
        out->state = states[cur];
    }
    return SVC_OK;
}

int reporting_items_now(struct ctx *c, const int64_t *item_ids, size_t n,
                        struct reporting_now *out)
{
    char today[11], soon[11];
    light_today(today, soon);
    struct stmt item, reports;
    db_prepare(c->db, &item,
               "SELECT w.pairing_id, w.year, w.report_cycle, w.report_due_day, i.created_at "
               "FROM work_item i JOIN work_plan w ON w.id = i.work_plan_id WHERE i.id = :i");
    db_prepare(c->db, &reports, REPORTS_SQL);
    int rc = SVC_OK;
    for (size_t k = 0; k < n && rc == SVC_OK; k++) {
        db_reset(&item);
        db_bind_int64(&item, ":i", item_ids[k]);
        int s = db_step(&item);
        if (s != DB_ROW) {
            rc = s < 0 ? store_failed(c, "reading an item")
                       : svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no item %lld",
                                  (long long)item_ids[k]);
            break;
        }
        if ((rc = perm_read_pairing(c, db_col_int64(&item, 0))) != SVC_OK)
            break;
        rc = item_now(c, &reports, item_ids[k], (int)db_col_int64(&item, 1),
                      strcmp(db_col_text(&item, 2), "quarterly") == 0,
                      (int)db_col_int64(&item, 3), db_col_text(&item, 4), today, &out[k]);
    }
    db_finalize(&item);
    db_finalize(&reports);
    return rc;
}

int reporting_views_now(struct ctx *c, const struct work_item_view *items, size_t n,
                        struct reporting_now *out)
{
    char today[11], soon[11];
    light_today(today, soon);
    struct stmt reports;
    db_prepare(c->db, &reports, REPORTS_SQL);
    int rc = SVC_OK;
    for (size_t k = 0; k < n && rc == SVC_OK; k++)
        rc = item_now(c, &reports, items[k].id, items[k].year, items[k].report_quarterly,
                      items[k].report_due_day, items[k].created_at, today, &out[k]);
    db_finalize(&reports);
    return rc;
}

/* ---- every item, for the reminder pass ---------------------------------------------------- */

int reporting_each(struct ctx *c, const char *today,
                   int (*each)(void *arg, const struct reporting_item_period *x), void *arg)
{
    int year = atoi(today);
    struct stmt items, reports;
    /* Last year's December (or fourth quarter) is due in January: both years. CROSS JOIN
     * keeps the plans outside, so items are reached through work_item_plan, plan by plan. */
    db_prepare(c->db, &items,
               "SELECT i.id, i.title, i.created_at, u.id, u.side, w.pairing_id, w.year, "
               "w.report_cycle, w.report_due_day FROM work_plan w "
               "CROSS JOIN work_item i ON i.work_plan_id = w.id "
               "JOIN unit u ON u.id = i.owner_unit_id "
               "WHERE w.year BETWEEN :y0 AND :y1 AND i.removed_at IS NULL ORDER BY w.id, i.id");
    db_bind_int64(&items, ":y0", year - 1);
    db_bind_int64(&items, ":y1", year);
    db_prepare(c->db, &reports, REPORTS_SQL);
    int rc = 0, s = DB_DONE;
    while (rc == 0 && (s = db_step(&items)) == DB_ROW) {
        struct reporting_item_period x = {
            .work_item_id = db_col_int64(&items, 0),
            .title = svc_col(c, &items, 1),
            .unit_id = db_col_int64(&items, 3),
            .side = (int)db_col_int64(&items, 4),
            .pairing_id = db_col_int64(&items, 5),
        };
        char created[11];
        reporting_local_date(db_col_text(&items, 2), created);
        int plan_year = (int)db_col_int64(&items, 6);
        bool quarterly = strcmp(db_col_text(&items, 7), "quarterly") == 0;
        int due_day = (int)db_col_int64(&items, 8);
        struct reporting_period periods[REPORTING_PERIODS_MAX];
        size_t np = year_periods(plan_year, quarterly, due_day, periods);
        struct item_report *reps;
        size_t n_reps;
        if (read_reports(c, &reports, x.work_item_id, &reps, &n_reps) < 0) {
            rc = store_failed(c, "reading the reports");
            break;
        }
        enum report_state states[REPORTING_PERIODS_MAX];
        item_states(periods, np, quarterly, created, reps, n_reps, today, states);
        for (size_t k = 0; k < np && rc == 0; k++) {
            if (states[k] == RS_NONE)
                continue;
            x.period = periods[k].name;
            x.due = periods[k].due;
            x.state = states[k];
            rc = each(arg, &x);
        }
    }
    if (rc == 0 && s < 0)
        rc = store_failed(c, "reading the items");
    db_finalize(&items);
    db_finalize(&reports);
    return rc;
}

/* ---- the setting ------------------------------------------------------------------------- */

int reporting_set(struct ctx *c, int64_t work_plan_id, const char *cycle, int due_day,
                  bool *quarterly, int *day)
{
    if (cycle && strcmp(cycle, "monthly") != 0 && strcmp(cycle, "quarterly") != 0)
        return svc_fail(c, SVC_INVALID, "err_invalid", "cycle",
                        "the cycle is monthly or quarterly, not %s", cycle);
    if (due_day < 0 || due_day > REPORTING_DUE_DAY_MAX)
        return svc_fail(c, SVC_INVALID, "err_range", "due_day",
                        "the due day is 1–%d, not %d", REPORTING_DUE_DAY_MAX, due_day);
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting a transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT pairing_id, report_cycle, report_due_day FROM work_plan WHERE id = :w");
    db_bind_int64(&st, ":w", work_plan_id);
    int rc = db_step(&st);
    int64_t pairing_id = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    const char *old_cycle = rc == DB_ROW ? svc_col(c, &st, 1) : NULL;
    int old_day = rc == DB_ROW ? (int)db_col_int64(&st, 2) : 0;
    db_finalize(&st);
    if (rc != DB_ROW) {
        db_rollback(c->db);
        return rc < 0 ? store_failed(c, "reading the work plan")
                      : svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no work plan %lld",
                                 (long long)work_plan_id);
    }
    /* A coordinator of either side (its own side of this pairing), an admin, the CLI. */
    if ((rc = perm_manage_side(c, pairing_id, c->user ? c->user->side : 0)) != SVC_OK) {
        db_rollback(c->db);
        return rc;
    }
    const char *new_cycle = cycle ? cycle : old_cycle;
    int new_day = due_day ? due_day : old_day;
    const char *now = svc_now(c);
    db_prepare(c->db, &st,
               "UPDATE work_plan SET report_cycle = :c, report_due_day = :d, "
               "revision = revision + 1, updated_at = :now WHERE id = :w");
    db_bind_text(&st, ":c", new_cycle);
    db_bind_int64(&st, ":d", new_day);
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":w", work_plan_id);
    rc = db_step(&st);
    db_finalize(&st);
    struct svc_json jb, ja;
    struct jw *w = svc_json_begin(&jb);
    jw_kstr(w, "report_cycle", old_cycle);
    jw_kint(w, "report_due_day", old_day);
    const char *before = svc_json_end(c, &jb);
    w = svc_json_begin(&ja);
    jw_kstr(w, "report_cycle", new_cycle);
    jw_kint(w, "report_due_day", new_day);
    const char *after = svc_json_end(c, &ja);
    if (rc < 0 ||
        audit_append(c->db, c->actor, "work_plan.reporting", "work_plan", work_plan_id, before,
                     after, c->client) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return store_failed(c, "storing the reporting cycle");
    }
    *quarterly = strcmp(new_cycle, "quarterly") == 0;
    *day = new_day;
    return SVC_OK;
}
