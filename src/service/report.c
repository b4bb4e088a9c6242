/* report: progress reports (append-only) and their review. A submission and a review are
 * each one transaction with their audit row; the state they depend on (the item, its owner
 * unit and the caller's right to act for it, whether the item was removed, whether the report
 * is still pending, which report a new one supersedes) is read inside that transaction, which
 * db_begin opens with the write lock held. "Latest" is always per item and period: a new
 * report supersedes only the reports of its own period. */
#include "service/report.h"

#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "service/internal.h"
#include "service/notification.h"
#include "service/perm.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

static int store_failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "report", what);
}

/* ---- input checks --------------------------------------------------------------------- */

/* "2026-11" or "2026-Q4"; *year receives the year. */
static bool parse_period(const char *s, int *year)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        return false;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    *year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (s[5] == 'Q')
        return s[6] >= '1' && s[6] <= '4';
    if (s[5] < '0' || s[5] > '1' || s[6] < '0' || s[6] > '9')
        return false;
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    return m >= 1 && m <= 12;
}

bool report_period_ok(const char *s)
{
    int year;
    return parse_period(s, &year);
}

static const char *const statuses[] = {"not_started", "on_track", "at_risk", "delayed", "done"};

static bool known_status(const char *s)
{
    for (size_t i = 0; s && i < sizeof statuses / sizeof statuses[0]; i++)
        if (strcmp(s, statuses[i]) == 0)
            return true;
    return false;
}

/* ---- reading ---------------------------------------------------------------------------- */

#define REPORT_SQL(cond, order) REPORT_SQL_FROM("report r", cond, order)
/* The same, reading report r through `from` (which joins it): the review queue. */
#define REPORT_SQL_FROM(from, cond, order)                                                    \
    "SELECT r.id, r.work_item_id, r.unit_id, coalesce(r.supersedes_id, 0), r.submitted_by, "  \
    "i.title, u.name, su.login, r.period, r.status, r.narrative, r.at, r.percent, "           \
    "r.id = (SELECT max(m.id) FROM report m "                                                 \
    "WHERE m.work_item_id = r.work_item_id AND m.period = r.period), "                        \
    "v.decision, coalesce(v.reviewer_id, 0), vu.login, v.comment, v.at, w.pairing_id, "       \
    "su.name, vu.name "                                                                       \
    "FROM " from " JOIN work_item i ON i.id = r.work_item_id "                                \
    "JOIN work_plan w ON w.id = i.work_plan_id JOIN unit u ON u.id = r.unit_id "              \
    "JOIN users su ON su.id = r.submitted_by LEFT JOIN review v ON v.report_id = r.id "       \
    "LEFT JOIN users vu ON vu.id = v.reviewer_id WHERE " cond " ORDER BY " order             \
    " LIMIT :limit"

/* Reads a REPORT_SQL row; returns the pairing of the report's work plan. */
static int64_t read_report(struct ctx *c, struct stmt *st, struct report_view *v)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int64(st, 0);
    v->work_item_id = db_col_int64(st, 1);
    v->unit_id = db_col_int64(st, 2);
    v->supersedes_id = db_col_int64(st, 3);
    v->submitted_by = db_col_int64(st, 4);
    v->item_title = svc_col(c, st, 5);
    v->unit_name = svc_col(c, st, 6);
    v->submitted_by_login = svc_col(c, st, 7);
    v->period = svc_col(c, st, 8);
    v->status = svc_col(c, st, 9);
    v->narrative = svc_col(c, st, 10);
    v->at = svc_col(c, st, 11);
    v->percent = (int)db_col_int64(st, 12);
    v->latest = db_col_int64(st, 13) != 0;
    v->decision = svc_col(c, st, 14);
    v->reviewer_id = db_col_int64(st, 15);
    v->reviewer_login = svc_col(c, st, 16);
    v->comment = svc_col(c, st, 17);
    v->reviewed_at = svc_col(c, st, 18);
    v->submitted_by_name = svc_col(c, st, 20);
    v->reviewer_name = svc_col(c, st, 21);
    return db_col_int64(st, 19);
}

/* One small indexed query per report: lists are bounded by their page limit. */
static int read_figures(struct ctx *c, struct report_view *v)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT name, value, unit FROM report_figure WHERE report_id = :id ORDER BY name");
    db_bind_int64(&st, ":id", v->id);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct report_figure *f = ARRAY_PUSH(c->arena, v->figures, v->n_figures, cap);
        f->name = svc_col(c, &st, 0);
        f->value = db_col_int64(&st, 1);
        f->unit = svc_col(c, &st, 2);
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading figures") : SVC_OK;
}

/* A page of reports from a statement of REPORT_SQL with :limit bound to limit + 1: at most
 * limit rows into *items, *more when one was left over; the statement is finalized. The last
 * db_step result (negative: the store failed). */
static int read_reports(struct ctx *c, struct stmt *st, int limit, struct report_view **items,
                        size_t *n, bool *more)
{
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == (size_t)limit) {
            *more = true;
            break;
        }
        read_report(c, st, ARRAY_PUSH(c->arena, *items, *n, cap));
    }
    db_finalize(st);
    return rc;
}

int report_get(struct ctx *c, int64_t id, struct report_view *out)
{
    struct stmt st;
    db_prepare(c->db, &st, REPORT_SQL("r.id = :id", "r.id"));
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":limit", 1);
    int rc = db_step(&st);
    int64_t pairing = 0;
    if (rc == DB_ROW)
        pairing = read_report(c, &st, out);
    else
        memset(out, 0, sizeof *out);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the report");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no report %lld",
                        (long long)id);
    if ((rc = perm_read_pairing(c, pairing)) != SVC_OK) { /* another's: as a missing one */
        memset(out, 0, sizeof *out);
        return rc;
    }
    return read_figures(c, out);
}

int report_progress(struct ctx *c, int64_t work_item_id, struct report_point **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT w.pairing_id FROM work_item i JOIN work_plan w ON w.id = i.work_plan_id "
               "WHERE i.id = :id AND i.removed_at IS NULL");
    db_bind_int64(&st, ":id", work_item_id);
    int rc = db_step(&st);
    int64_t pairing = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the work item");
    if ((rc = svc_item_readable(c, work_item_id, rc == DB_ROW, pairing)) != SVC_OK)
        return rc;
    /* The item's reports walk report_item; a period's latest is the one no later report of
     * the same period follows. Newest periods first for the LIMIT, turned round below. */
    db_prepare(c->db, &st,
               "SELECT r.period, r.status, r.percent, coalesce(v.decision, 'pending') "
               "FROM report r LEFT JOIN review v ON v.report_id = r.id "
               "WHERE r.work_item_id = :id AND NOT EXISTS (SELECT 1 FROM report n "
               " WHERE n.work_item_id = r.work_item_id AND n.period = r.period AND n.id > r.id) "
               "ORDER BY r.period DESC LIMIT :limit");
    db_bind_int64(&st, ":id", work_item_id);
    db_bind_int64(&st, ":limit", REPORT_PROGRESS_MAX);
    struct report_point *pts = arena_alloc(c->arena, REPORT_PROGRESS_MAX * sizeof *pts);
    size_t k = 0;
    while ((rc = db_step(&st)) == DB_ROW && k < REPORT_PROGRESS_MAX) {
        pts[k].period = svc_col(c, &st, 0);
        pts[k].status = svc_col(c, &st, 1);
        pts[k].percent = (int)db_col_int64(&st, 2);
        pts[k].review = svc_col(c, &st, 3);
        k++;
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the item's progress");
    for (size_t i = 0; i < k / 2; i++) { /* oldest first */
        struct report_point t = pts[i];
        pts[i] = pts[k - 1 - i];
        pts[k - 1 - i] = t;
    }
    *out = pts;
    *n = k;
    return SVC_OK;
}

int report_history(struct ctx *c, int64_t work_item_id, int64_t after, int limit,
                   struct report_page *out)
{
    memset(out, 0, sizeof *out);
    int rc = svc_check_limit(c, &limit, REPORT_PAGE_DEFAULT, REPORT_PAGE_MAX);
    if (rc != SVC_OK)
        return rc;
    /* A removed item keeps its history: it is found whether removed or not. */
    int64_t pairing = svc_item_pairing(c, work_item_id, false);
    if (pairing < 0)
        return store_failed(c, "reading the work item");
    if ((rc = svc_item_readable(c, work_item_id, pairing != 0, pairing)) != SVC_OK)
        return rc;

    struct stmt st;
    db_prepare(c->db, &st,
               REPORT_SQL("r.work_item_id = :item AND (:after = 0 OR r.id < :after)", "r.id DESC"));
    db_bind_int64(&st, ":item", work_item_id);
    db_bind_int64(&st, ":after", after);
    db_bind_int64(&st, ":limit", limit + 1);
    rc = read_reports(c, &st, limit, &out->items, &out->n, &out->more);
    if (rc < 0)
        return store_failed(c, "reading reports");
    for (size_t i = 0; i < out->n; i++)
        if ((rc = read_figures(c, &out->items[i])) != SVC_OK)
            return rc;
    out->next_after = out->more ? out->items[out->n - 1].id : 0;
    return SVC_OK;
}

/* The caller's window on the queue: everything (admin, command line), a pairing (leader),
 * one side of it (coordinator) or one unit (member). */
struct window {
    bool all;
    int64_t pairing, unit;
    int side;
};

static int pending_window(struct ctx *c, struct window *w)
{
    w->all = perm_is_admin_user(c);
    w->pairing = w->all ? 0 : c->user->pairing_id;
    w->unit = 0;
    w->side = -1;
    if (!w->all) {
        if (c->user->role == ROLE_COORDINATOR)
            w->side = c->user->side;
        else if (c->user->role == ROLE_MEMBER)
            w->unit = c->user->unit_id;
        else if (c->user->role != ROLE_LEADER)
            return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "sign in first");
    }
    return SVC_OK;
}

/* A statement over the queue prepared per window, with :p, :side or :unit bound. */
#define WINDOW_PREPARE(c, st, w, SQL)                                                        \
    do {                                                                                     \
        if ((w).all)                                                                         \
            db_prepare((c)->db, (st), SQL("1 = 1"));                                         \
        else if ((w).unit)                                                                   \
            db_prepare((c)->db, (st), SQL("q.unit_id = :unit"));                             \
        else if ((w).side >= 0)                                                              \
            db_prepare((c)->db, (st), SQL("q.pairing_id = :p AND q.side = :side"));          \
        else                                                                                 \
            db_prepare((c)->db, (st), SQL("q.pairing_id = :p"));                             \
        if ((w).unit)                                                                        \
            db_bind_int64((st), ":unit", (w).unit);                                          \
        else if (!(w).all)                                                                   \
            db_bind_int64((st), ":p", (w).pairing);                                          \
        if (!(w).all && !(w).unit && (w).side >= 0)                                          \
            db_bind_int64((st), ":side", (w).side);                                          \
    } while (0)

int report_pending(struct ctx *c, int64_t after, int limit, struct report_pending_page *out)
{
    return report_pending_filtered(c, NULL, after, limit, out);
}

int report_pending_filtered(struct ctx *c, const struct report_filter *f, int64_t after,
                            int limit, struct report_pending_page *out)
{
    memset(out, 0, sizeof *out);
    int rc = svc_check_limit(c, &limit, REPORT_PAGE_DEFAULT, REPORT_PAGE_MAX);
    if (rc != SVC_OK)
        return rc;
    struct window w;
    if ((rc = pending_window(c, &w)) != SVC_OK)
        return rc;
    /* The queue (review_queue, kept by triggers: migration 7) holds exactly the reports
     * awaiting review, indexed by each window, so a page reads what it shows: a member with
     * nothing to review reads nothing. The filters narrow the rows the window's index
     * yields; written as "0 OR …" they never take the index away from it. */
#define QUEUE "review_queue q JOIN report r ON r.id = q.report_id"
#define PENDING(window) REPORT_SQL_FROM(QUEUE, window " AND q.report_id > :after AND "      \
                                               "v.id IS NULL AND i.removed_at IS NULL "   \
                                               "AND (:fu = 0 OR r.unit_id = :fu) "        \
                                               "AND (:ft = 0 OR i.task_id = :ft) "        \
                                               "AND (:fp = '' OR r.period = :fp)",        \
                                        "q.report_id")
    struct stmt st;
    WINDOW_PREPARE(c, &st, w, PENDING);
#undef PENDING
#undef QUEUE
    db_bind_int64(&st, ":after", after);
    db_bind_int64(&st, ":fu", f ? f->unit_id : 0);
    db_bind_int64(&st, ":ft", f ? f->task_id : 0);
    db_bind_text(&st, ":fp", f && f->period ? f->period : "");
    db_bind_int64(&st, ":limit", limit + 1);
    size_t cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        if (out->n == (size_t)limit) {
            out->more = true;
            break;
        }
        read_report(c, &st, &((struct report_pending *)ARRAY_PUSH(c->arena, out->items, out->n,
                                                                   cap))->report);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading pending reports");
    for (size_t i = 0; i < out->n; i++) {
        struct report_pending *p = &out->items[i];
        if ((rc = read_figures(c, &p->report)) != SVC_OK)
            return rc;
        db_prepare(c->db, &st,
                   REPORT_SQL("r.work_item_id = :item AND r.id < :id", "r.id DESC"));
        db_bind_int64(&st, ":item", p->report.work_item_id);
        db_bind_int64(&st, ":id", p->report.id);
        db_bind_int64(&st, ":limit", 1);
        rc = db_step(&st);
        if (rc == DB_ROW) {
            p->previous = arena_alloc(c->arena, sizeof *p->previous);
            read_report(c, &st, p->previous);
        }
        db_finalize(&st);
        if (rc < 0)
            return store_failed(c, "reading the previous report");
        if (p->previous && (rc = read_figures(c, p->previous)) != SVC_OK)
            return rc;
    }
    out->next_after = out->more ? out->items[out->n - 1].report.id : 0;
    return SVC_OK;
}

/* Adds n to the count named by id (and name) in *list, keeping the order of first sight. */
static void count_add(struct ctx *c, struct report_pending_count **list, size_t *n, size_t *cap,
                      int64_t id, int number, const char *name, int64_t k)
{
    for (size_t i = 0; i < *n; i++)
        if ((*list)[i].id == id && (id || strcmp((*list)[i].name, name) == 0)) {
            (*list)[i].pending += k;
            return;
        }
    struct report_pending_count *e = ARRAY_PUSH(c->arena, *list, *n, *cap);
    *e = (struct report_pending_count){.id = id, .number = number, .name = name, .pending = k};
}

int report_pending_counts(struct ctx *c, struct report_pending_counts *out)
{
    memset(out, 0, sizeof *out);
    struct window w;
    int rc = pending_window(c, &w);
    if (rc != SVC_OK)
        return rc;
    /* One row per unit, task and period of the window's queue (through its index), summed
     * three ways here: the queue is what waits, never the whole report table. */
#define COUNTS(window)                                                                       \
    "SELECT r.unit_id, u.name, coalesce(i.task_id, 0), coalesce(t.number, 0), t.title, "     \
    "r.period, count(*) FROM review_queue q JOIN report r ON r.id = q.report_id "            \
    "JOIN work_item i ON i.id = r.work_item_id JOIN unit u ON u.id = r.unit_id "             \
    "LEFT JOIN task t ON t.id = i.task_id LEFT JOIN review v ON v.report_id = r.id "         \
    "WHERE " window " AND v.id IS NULL AND i.removed_at IS NULL "                            \
    "GROUP BY r.unit_id, u.name, i.task_id, t.number, t.title, r.period "                    \
    "ORDER BY u.name, r.unit_id, t.number, r.period"
    struct stmt st;
    WINDOW_PREPARE(c, &st, w, COUNTS);
#undef COUNTS
    size_t cu = 0, ct = 0, cp = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        int64_t k = db_col_int64(&st, 6);
        out->total += k;
        count_add(c, &out->units, &out->n_units, &cu, db_col_int64(&st, 0), 0,
                  svc_col(c, &st, 1), k);
        const char *title = svc_col(c, &st, 4);
        count_add(c, &out->tasks, &out->n_tasks, &ct, db_col_int64(&st, 2),
                  (int)db_col_int64(&st, 3), title ? title : "", k);
        count_add(c, &out->periods, &out->n_periods, &cp, 0, 0, svc_col(c, &st, 5), k);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "counting pending reports");
    /* tasks by number (no task last), periods oldest first: a few dozen entries at most */
    for (size_t i = 1; i < out->n_tasks; i++)
        for (size_t j = i; j > 0; j--) {
            struct report_pending_count *a = &out->tasks[j - 1], *b = &out->tasks[j];
            if ((a->id == 0 ? 1 : 0) < (b->id == 0 ? 1 : 0) ||
                ((a->id == 0) == (b->id == 0) && a->number <= b->number))
                break;
            struct report_pending_count t = *a;
            *a = *b;
            *b = t;
        }
    for (size_t i = 1; i < out->n_periods; i++)
        for (size_t j = i; j > 0 && strcmp(out->periods[j - 1].name, out->periods[j].name) > 0;
             j--) {
            struct report_pending_count t = out->periods[j - 1];
            out->periods[j - 1] = out->periods[j];
            out->periods[j] = t;
        }
    return SVC_OK;
}

/* ---- submitting ------------------------------------------------------------------------- */

struct item_row {
    int64_t id, owner, pairing;
    int year;
    bool removed;
};

static int load_item(struct ctx *c, int64_t id, struct item_row *it)
{
    memset(it, 0, sizeof *it);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT i.owner_unit_id, w.pairing_id, w.year, i.removed_at IS NOT NULL "
               "FROM work_item i JOIN work_plan w ON w.id = i.work_plan_id WHERE i.id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        it->id = id;
        it->owner = db_col_int64(&st, 0);
        it->pairing = db_col_int64(&st, 1);
        it->year = (int)db_col_int64(&st, 2);
        it->removed = db_col_int64(&st, 3) != 0;
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the work item");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "work_item_id",
                        "there is no work item %lld", (long long)id);
    return SVC_OK;
}

struct clean_report {
    const char *period, *status, *narrative;
    int percent;
    struct report_figure *figures;
    size_t n_figures;
};

/* The two ends of the scale name the status: a dashboard must not count "done" at 10%. */
bool report_percent_fits(const char *status, int percent)
{
    return !((strcmp(status, "done") == 0 && percent != 100) ||
             (strcmp(status, "not_started") == 0 && percent != 0));
}

static int clean_report(struct ctx *c, const struct item_row *it, const struct report_input *in,
                        struct clean_report *out)
{
    memset(out, 0, sizeof *out);
    int year = 0;
    if (!in->period || !in->period[0])
        return svc_fail(c, SVC_INVALID, "err_required", "period", "period is required");
    if (!parse_period(in->period, &year))
        return svc_fail(c, SVC_INVALID, "err_period", "period",
                        "period \"%s\" is neither YYYY-MM nor YYYY-Qn", in->period);
    if (year < it->year - 1 || year > it->year + 1)
        return svc_fail(c, SVC_INVALID, "err_period", "period",
                        "period %s is not within a year of the plan's year %d", in->period,
                        it->year);
    out->period = arena_strdup(c->arena, in->period);
    if (!known_status(in->status))
        return svc_fail(c, SVC_INVALID, "err_status", "status", "status \"%s\" is not one of "
                        "not_started, on_track, at_risk, delayed, done",
                        in->status ? in->status : "");
    out->status = arena_strdup(c->arena, in->status);
    if (in->percent < 0 || in->percent > 100)
        return svc_fail(c, SVC_INVALID, "err_range", "percent",
                        "percent %d is not within 0–100", in->percent);
    if (!report_percent_fits(in->status, in->percent))
        return svc_fail(c, SVC_INVALID, "err_percent_status", "percent",
                        "status %s with percent %d: done is 100, not started is 0", in->status,
                        in->percent);
    out->percent = in->percent;
    int rc = svc_check_text(c, in->narrative, true, "err_required", REPORT_NARRATIVE_MAX, "narrative",
                        &out->narrative);
    if (rc != SVC_OK)
        return rc;
    if (in->n_figures > REPORT_MAX_FIGURES)
        return svc_fail(c, SVC_INVALID, "err_range", "figures", "at most %d figures",
                        REPORT_MAX_FIGURES);
    out->n_figures = in->n_figures;
    out->figures = arena_alloc(c->arena, (in->n_figures + 1) * sizeof *out->figures);
    for (size_t i = 0; i < in->n_figures; i++) {
        struct report_figure *f = &out->figures[i];
        const char *field = arena_printf(c->arena, "figures[%zu].name", i);
        if ((rc = svc_check_text(c, in->figures[i].name, true, "err_required",
                             REPORT_FIGURE_NAME_MAX, field, &f->name)) != SVC_OK)
            return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(out->figures[k].name, f->name) == 0)
                return svc_fail(c, SVC_INVALID, "err_invalid", field,
                                "figure \"%s\" is named twice", f->name);
        field = arena_printf(c->arena, "figures[%zu].unit", i);
        if ((rc = svc_check_text(c, in->figures[i].unit, false, "err_required",
                             REPORT_FIGURE_UNIT_MAX, field, &f->unit)) != SVC_OK)
            return rc;
        f->value = in->figures[i].value;
    }
    return SVC_OK;
}

static const char *report_json(struct ctx *c, int64_t item, int64_t unit, int64_t supersedes,
                               const struct clean_report *r)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "work_item_id", item);
    jw_kint(w, "unit_id", unit);
    jw_kstr(w, "period", r->period);
    jw_kstr(w, "status", r->status);
    jw_kint(w, "percent", r->percent);
    jw_kstr(w, "narrative", r->narrative);
    jw_key(w, "figures");
    jw_arr(w);
    for (size_t i = 0; i < r->n_figures; i++) {
        jw_obj(w);
        jw_kstr(w, "name", r->figures[i].name);
        jw_kint(w, "value", r->figures[i].value);
        if (r->figures[i].unit)
            jw_kstr(w, "unit", r->figures[i].unit);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    if (supersedes)
        jw_kint(w, "supersedes_id", supersedes);
    else
        jw_knull(w, "supersedes_id");
    return svc_json_end(c, &j);
}

/* The checks of a submission: the caller's right to report on the item, the item still in
 * its plan, the input (clean_report). Inside report_submit's transaction, or alone for an
 * import's preview (report_check). */
static int check_submit(struct ctx *c, const struct report_input *in, struct item_row *it,
                        struct clean_report *r)
{
    if (!c->user)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "a report records who submitted it: act as a user");
    int rc = load_item(c, in->work_item_id, it);
    if (rc != SVC_OK)
        return rc;
    if ((rc = perm_see(c, it->pairing)) == SVC_NOT_FOUND) /* another pairing's: as missing */
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "work_item_id",
                        "work item %lld is another pairing's", (long long)it->id);
    if (rc != SVC_OK)
        return rc;
    /* Leaders never write, not even for their own unit (perm_member_of would let them). */
    if (c->user->role == ROLE_LEADER || c->user->role == ROLE_PUBLIC)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "leaders do not report");
    if (perm_member_of(c, it->owner) != SVC_OK)
        return svc_fail(c, SVC_FORBIDDEN, "err_not_owner", "work_item_id",
                        "only the owner unit %lld reports on item %lld", (long long)it->owner,
                        (long long)it->id);
    if (it->removed)
        return svc_fail(c, SVC_CONFLICT, "err_conflict", "work_item_id",
                        "item %lld was removed from its plan", (long long)it->id);
    return clean_report(c, it, in, r);
}

int report_check(struct ctx *c, const struct report_input *in)
{
    struct item_row it;
    struct clean_report r;
    return check_submit(c, in, &it, &r);
}

static int same_report(struct ctx *c, int64_t id, const struct clean_report *r, bool *same);

/* The latest report of the item and period (*id, 0: none) and whether it was accepted. */
static int latest_report(struct ctx *c, int64_t item, const char *period, int64_t *id,
                         bool *accepted)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT max(id) FROM report WHERE work_item_id = :item AND period = :period");
    db_bind_int64(&st, ":item", item);
    db_bind_text(&st, ":period", period);
    int rc = db_step(&st);
    *id = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    *accepted = false;
    if (rc >= 0 && *id) {
        db_prepare(c->db, &st,
                   "SELECT count(*) FROM review WHERE report_id = :r AND decision = 'accepted'");
        db_bind_int64(&st, ":r", *id);
        rc = db_step(&st);
        *accepted = rc == DB_ROW && db_col_int64(&st, 0) > 0;
        db_finalize(&st);
    }
    return rc < 0 ? store_failed(c, "reading the latest report") : SVC_OK;
}

int report_check_correction(struct ctx *c, const struct report_input *in, bool *correction)
{
    *correction = false;
    struct item_row it;
    struct clean_report r;
    int64_t latest;
    bool accepted, same = false;
    int rc = check_submit(c, in, &it, &r);
    if (rc == SVC_OK)
        rc = latest_report(c, it.id, r.period, &latest, &accepted);
    if (rc == SVC_OK && accepted)
        rc = same_report(c, latest, &r, &same);
    *correction = rc == SVC_OK && accepted && !same;
    return rc;
}

/* Whether report id says what r says (status, percent, narrative, figures in any order). */
static int same_report(struct ctx *c, int64_t id, const struct clean_report *r, bool *same)
{
    *same = false;
    struct stmt st;
    db_prepare(c->db, &st, "SELECT status, percent, narrative FROM report WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    bool head = rc == DB_ROW && strcmp(svc_col(c, &st, 0), r->status) == 0 &&
                db_col_int64(&st, 1) == r->percent &&
                strcmp(svc_col(c, &st, 2), r->narrative) == 0;
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the latest report");
    if (!head)
        return SVC_OK;
    struct report_view v = {.id = id};
    if ((rc = read_figures(c, &v)) != SVC_OK)
        return rc;
    if (v.n_figures != r->n_figures)
        return SVC_OK;
    for (size_t i = 0; i < r->n_figures; i++) {
        bool found = false;
        for (size_t k = 0; k < v.n_figures && !found; k++)
            found = strcmp(v.figures[k].name, r->figures[i].name) == 0 &&
                    v.figures[k].value == r->figures[i].value &&
                    strcmp(v.figures[k].unit ? v.figures[k].unit : "",
                           r->figures[i].unit ? r->figures[i].unit : "") == 0;
        if (!found)
            return SVC_OK;
    }
    *same = true;
    return SVC_OK;
}

int report_submit_in(struct ctx *c, const struct report_input *in, bool skip_same, int64_t *id)
{
    *id = 0;
    /* Everything the report depends on — the item, its owner unit (the caller's right to
     * report), whether it was removed, its plan's year — is read under the write lock the
     * caller holds, so a concurrent move or removal of the item cannot slip in between the
     * check and the insert. */
    struct item_row it;
    struct clean_report r;
    int rc = check_submit(c, in, &it, &r);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT max(id) FROM report WHERE work_item_id = :item AND period = :period");
    db_bind_int64(&st, ":item", it.id);
    db_bind_text(&st, ":period", r.period);
    rc = db_step(&st);
    int64_t supersedes = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    if (rc < 0)
        goto fail;
    /* A row of an import saying what the latest report says replaces nothing. */
    if (skip_same && supersedes) {
        bool same;
        if ((rc = same_report(c, supersedes, &r, &same)) != SVC_OK)
            return rc;
        if (same)
            return SVC_OK;
    }
    /* An accepted account is replaced only on purpose: the form asks whether this corrects it. */
    if (supersedes && in->correction == REPORT_CORRECTION_NO) {
        db_prepare(c->db, &st,
                   "SELECT count(*) FROM review WHERE report_id = :r AND decision = 'accepted'");
        db_bind_int64(&st, ":r", supersedes);
        rc = db_step(&st);
        bool accepted = rc == DB_ROW && db_col_int64(&st, 0) > 0;
        db_finalize(&st);
        if (rc < 0)
            goto fail;
        if (accepted)
            return svc_fail(c, SVC_CONFLICT, "err_correction_unconfirmed", "correction",
                            "the report of %s on item %lld was accepted: confirm that this one "
                            "corrects it",
                            r.period, (long long)it.id);
    }
    db_prepare(c->db, &st,
               "INSERT INTO report (work_item_id, unit_id, period, status, percent, narrative, "
               "supersedes_id, submitted_by, at) VALUES (:item, :unit, :period, :status, "
               ":percent, :narrative, :sup, :by, :at)");
    db_bind_int64(&st, ":item", it.id);
    db_bind_int64(&st, ":unit", it.owner);
    db_bind_text(&st, ":period", r.period);
    db_bind_text(&st, ":status", r.status);
    db_bind_int64(&st, ":percent", r.percent);
    db_bind_text(&st, ":narrative", r.narrative);
    if (supersedes)
        db_bind_int64(&st, ":sup", supersedes);
    else
        db_bind_null(&st, ":sup");
    db_bind_int64(&st, ":by", c->user->id);
    db_bind_text(&st, ":at", svc_now(c));
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        goto fail;
    int64_t report = db_last_insert_id(c->db);
    for (size_t i = 0; i < r.n_figures; i++) {
        db_prepare(c->db, &st,
                   "INSERT INTO report_figure (report_id, name, value, unit) "
                   "VALUES (:r, :name, :value, :unit)");
        db_bind_int64(&st, ":r", report);
        db_bind_text(&st, ":name", r.figures[i].name);
        db_bind_int64(&st, ":value", r.figures[i].value);
        db_bind_text(&st, ":unit", r.figures[i].unit);
        rc = db_step(&st);
        db_finalize(&st);
        if (rc < 0)
            goto fail;
    }
    const char *before = supersedes ? arena_printf(c->arena, "{\"superseded_report_id\":%lld}",
                                                   (long long)supersedes)
                                    : NULL;
    if (audit_append(c->db, c->actor, "report.submit", "report", report, before,
                     report_json(c, it.id, it.owner, supersedes, &r), c->client) < 0)
        goto fail;
    *id = report;
    return SVC_OK;
fail:
    return store_failed(c, "storing the report");
}

int report_submit(struct ctx *c, const struct report_input *in, int64_t *id)
{
    if (id)
        *id = 0;
    if (!c->user)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "a report records who submitted it: act as a user");
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting a transaction");
    int64_t report;
    int rc = report_submit_in(c, in, false, &report);
    if (rc == SVC_OK && db_commit(c->db) < 0)
        rc = store_failed(c, "storing the report");
    if (rc == SVC_OK && id)
        *id = report;
    db_rollback(c->db); /* no-op after a commit */
    return rc;
}

/* ---- reviewing -------------------------------------------------------------------------- */

int report_review(struct ctx *c, int64_t report_id, bool accept, const char *comment)
{
    if (!c->user)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "a review records who made it: act as a user");
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting a transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT u.pairing_id, u.side, r.submitted_by, "
               "(SELECT count(*) FROM review v WHERE v.report_id = r.id), "
               "r.id = (SELECT max(m.id) FROM report m "
               "WHERE m.work_item_id = r.work_item_id AND m.period = r.period) "
               "FROM report r JOIN unit u ON u.id = r.unit_id WHERE r.id = :id");
    db_bind_int64(&st, ":id", report_id);
    int rc = db_step(&st);
    int64_t pairing = 0, submitter = 0;
    int side = -1;
    bool reviewed = false, latest = false;
    if (rc == DB_ROW) {
        pairing = db_col_int64(&st, 0);
        side = (int)db_col_int64(&st, 1);
        submitter = db_col_int64(&st, 2);
        reviewed = db_col_int64(&st, 3) != 0;
        latest = db_col_int64(&st, 4) != 0;
    }
    db_finalize(&st);
    const char *clean = NULL;
    if (rc < 0) {
        rc = store_failed(c, "reading the report");
        goto done;
    }
    if (rc != DB_ROW) {
        rc = svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no report %lld",
                      (long long)report_id);
        goto done;
    }
    if ((rc = perm_see(c, pairing)) != SVC_OK) /* another pairing's report is not found */
        goto done;
    if (perm_manage_side(c, pairing, side) != SVC_OK) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                      "only a coordinator of side %d of this pairing reviews this report", side);
        goto done;
    }
    if (submitter == c->user->id) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_own_report", NULL,
                      "report %lld was submitted by you", (long long)report_id);
        goto done;
    }
    if (reviewed || !latest) {
        rc = svc_fail(c, SVC_CONFLICT, reviewed ? "err_not_pending" : "err_superseded", NULL,
                      reviewed ? "report %lld has been reviewed"
                               : "report %lld has been superseded by a newer report of its period",
                      (long long)report_id);
        goto done;
    }
    if ((rc = svc_check_text(c, comment, !accept, "err_comment_required", REPORT_COMMENT_MAX,
                         "comment", &clean)) != SVC_OK)
        goto done;
    const char *decision = accept ? "accepted" : "returned";
    const char *now = svc_now(c);
    db_prepare(c->db, &st,
               "INSERT INTO review (report_id, decision, reviewer_id, comment, at) "
               "VALUES (:r, :d, :u, :comment, :at)");
    db_bind_int64(&st, ":r", report_id);
    db_bind_text(&st, ":d", decision);
    db_bind_int64(&st, ":u", c->user->id);
    db_bind_text(&st, ":comment", clean);
    db_bind_text(&st, ":at", now);
    rc = db_step(&st);
    db_finalize(&st);
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kstr(w, "decision", decision);
    jw_kint(w, "reviewer_id", c->user->id);
    jw_kstr(w, "comment", clean);
    jw_kstr(w, "at", now);
    const char *after = svc_json_end(c, &j);
    if (rc >= 0 && !accept) /* its author is told (service/notification.h) */
        rc = notification_report_returned(c, report_id);
    if (rc >= 0)
        rc = audit_append(c->db, c->actor, "report.review", "report", report_id,
                          "{\"review\":null}", after, c->client);
    if (rc < 0 || db_commit(c->db) < 0) {
        rc = store_failed(c, "storing the review");
        goto done;
    }
    rc = SVC_OK;
done:
    db_rollback(c->db);
    return rc;
}

int report_ledger(struct ctx *c, int64_t pairing_id, int year, int64_t after_item,
                  int64_t after_report, int limit, bool figures, struct report_ledger_page *out)
{
    memset(out, 0, sizeof *out);
    int rc = svc_check_limit(c, &limit, REPORT_PAGE_DEFAULT, REPORT_LEDGER_PAGE_MAX);
    if (rc != SVC_OK)
        return rc;
    if ((rc = perm_read_pairing(c, pairing_id)) != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st, "SELECT id FROM work_plan WHERE pairing_id = :p AND year = :y");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", year);
    rc = db_step(&st);
    if (rc == DB_ROW)
        out->work_plan_id = db_col_int64(&st, 0);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the work plan");
    if (!out->work_plan_id)
        return SVC_OK;
    int64_t unit = c->user && c->user->role == ROLE_MEMBER ? c->user->unit_id : 0;
    /* One snapshot and one lock for the page and its rows' figures (a ledger reads a million
     * rows: a lock per statement was a quarter of its time). */
    db_begin_read(c->db);
    /* Items of the plan in id order (work_item_plan), each item's reports in id order
     * (report_item): a page reads what it returns. */
    db_prepare(c->db, &st,
               "SELECT r.id, r.work_item_id, r.unit_id, coalesce(r.supersedes_id, 0), "
               "r.submitted_by, i.title, u.name, su.login, r.period, r.status, r.narrative, r.at, "
               "r.percent, 0, v.decision, coalesce(v.reviewer_id, 0), vu.login, v.comment, v.at, "
               "w.pairing_id, su.name, vu.name "
               "FROM work_item i JOIN work_plan w ON w.id = i.work_plan_id "
               "JOIN report r ON r.work_item_id = i.id JOIN unit u ON u.id = r.unit_id "
               "JOIN users su ON su.id = r.submitted_by LEFT JOIN review v ON v.report_id = r.id "
               "LEFT JOIN users vu ON vu.id = v.reviewer_id "
               "WHERE i.work_plan_id = :wp AND i.removed_at IS NULL AND i.id >= :ai "
               "AND (i.id > :ai OR r.id > :ar) AND (:unit = 0 OR r.unit_id = :unit) "
               "ORDER BY i.id, r.id LIMIT :limit");
    db_bind_int64(&st, ":wp", out->work_plan_id);
    db_bind_int64(&st, ":ai", after_item);
    db_bind_int64(&st, ":ar", after_report);
    db_bind_int64(&st, ":unit", unit);
    db_bind_int64(&st, ":limit", limit + 1);
    rc = read_reports(c, &st, limit, &out->items, &out->n, &out->more);
    if (rc < 0) {
        db_end_read(c->db);
        return store_failed(c, "reading the reports ledger");
    }
    for (size_t i = 0; figures && i < out->n; i++)
        if ((rc = read_figures(c, &out->items[i])) != SVC_OK) {
            db_end_read(c->db);
            return rc;
        }
    db_end_read(c->db);
    if (out->more) {
        out->next_item = out->items[out->n - 1].work_item_id;
        out->next_report = out->items[out->n - 1].id;
    }
    return SVC_OK;
}
