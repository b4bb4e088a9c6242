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
    if (!svc_can_read_pairing(c, pairing)) {
        memset(out, 0, sizeof *out);
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "report %lld is not of your pairing", (long long)id);
    }
    return read_figures(c, out);
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
    size_t cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        if (out->n == (size_t)limit) {
            out->more = true;
            break;
        }
        read_report(c, &st, ARRAY_PUSH(c->arena, out->items, out->n, cap));
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading reports");
    for (size_t i = 0; i < out->n; i++)
        if ((rc = read_figures(c, &out->items[i])) != SVC_OK)
            return rc;
    out->next_after = out->more ? out->items[out->n - 1].id : 0;
    return SVC_OK;
}

int report_pending(struct ctx *c, int64_t after, int limit, struct report_pending_page *out)
{
    memset(out, 0, sizeof *out);
    int rc = svc_check_limit(c, &limit, REPORT_PAGE_DEFAULT, REPORT_PAGE_MAX);
    if (rc != SVC_OK)
        return rc;
    /* The caller's window: everything, a pairing, one side of it, or one unit. */
    bool all = perm_is_admin_user(c);
    int64_t pairing = all ? 0 : c->user->pairing_id, unit = 0;
    int side = -1;
    if (!all) {
        if (c->user->role == ROLE_COORDINATOR)
            side = c->user->side;
        else if (c->user->role == ROLE_MEMBER)
            unit = c->user->unit_id;
        else if (c->user->role != ROLE_LEADER)
            return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "sign in first");
    }
    /* The queue (review_queue, kept by triggers: migration 7) holds exactly the reports
     * awaiting review, indexed by each window, so a page reads what it shows: a member with
     * nothing to review reads nothing. */
#define QUEUE "review_queue q JOIN report r ON r.id = q.report_id"
#define PENDING(window) REPORT_SQL_FROM(QUEUE, window " AND q.report_id > :after AND "      \
                                               "v.id IS NULL AND i.removed_at IS NULL",   \
                                        "q.report_id")
    struct stmt st;
    if (all)
        db_prepare(c->db, &st, PENDING("1 = 1"));
    else if (unit)
        db_prepare(c->db, &st, PENDING("q.unit_id = :unit"));
    else if (side >= 0)
        db_prepare(c->db, &st, PENDING("q.pairing_id = :p AND q.side = :side"));
    else
        db_prepare(c->db, &st, PENDING("q.pairing_id = :p"));
#undef PENDING
#undef QUEUE
    db_bind_int64(&st, ":after", after);
    if (unit)
        db_bind_int64(&st, ":unit", unit);
    else if (!all)
        db_bind_int64(&st, ":p", pairing);
    if (!all && !unit && side >= 0)
        db_bind_int64(&st, ":side", side);
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
    /* The two ends of the scale name the status: a dashboard must not count "done" at 10%. */
    if ((strcmp(in->status, "done") == 0 && in->percent != 100) ||
        (strcmp(in->status, "not_started") == 0 && in->percent != 0))
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

int report_submit(struct ctx *c, const struct report_input *in, int64_t *id)
{
    if (id)
        *id = 0;
    if (!c->user)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "a report records who submitted it: act as a user");
    /* Everything the report depends on — the item, its owner unit (the caller's right to
     * report), whether it was removed, its plan's year — is read under the write lock, so a
     * concurrent move or removal of the item cannot slip in between the check and the
     * insert. */
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting a transaction");
    struct item_row it;
    int rc = load_item(c, in->work_item_id, &it);
    if (rc != SVC_OK)
        goto done;
    /* Leaders never write, not even for their own unit (perm_member_of would let them). */
    if (c->user->role == ROLE_LEADER || c->user->role == ROLE_PUBLIC) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "leaders do not report");
        goto done;
    }
    if (perm_member_of(c, it.owner) != SVC_OK) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_not_owner", "work_item_id",
                      "only the owner unit %lld reports on item %lld", (long long)it.owner,
                      (long long)it.id);
        goto done;
    }
    if (it.removed) {
        rc = svc_fail(c, SVC_CONFLICT, "err_conflict", "work_item_id",
                      "item %lld was removed from its plan", (long long)it.id);
        goto done;
    }
    struct clean_report r;
    if ((rc = clean_report(c, &it, in, &r)) != SVC_OK)
        goto done;

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
                     report_json(c, it.id, it.owner, supersedes, &r), c->client) < 0 ||
        db_commit(c->db) < 0)
        goto fail;
    if (id)
        *id = report;
    rc = SVC_OK;
    goto done;
fail:
    rc = store_failed(c, "storing the report");
done:
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
