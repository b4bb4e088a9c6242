/* dashboard: the overdue list, the latest reports and the year's progress of a pairing, next
 * to light_counts. Each statement starts from the one work plan of (pairing, year) and reaches
 * reports only through an item's index range (report_item), so its cost follows the size of
 * that plan, never the size of the report table. EXPLAIN QUERY PLAN of each is in the
 * comment above it (a database of 50,000 items and 1,000,000 reports). */
#include "service/dashboard.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/perm.h"
#include "service/reporting.h"
#include "service/service.h"
#include "store/db.h"

static int store_failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "dashboard", what);
}

/* The id of the item's latest accepted report (the one its light reads), as a correlated
 * subquery: report_item walked backwards from the item's newest report, each checked against
 * review's unique report_id index, stopping at the first accepted one. */
#define ACCEPTED_ID(item)                                                                    \
    "(SELECT lr.id FROM report lr JOIN review lv ON lv.report_id = lr.id "                   \
    "WHERE lr.work_item_id = " item " AND lv.decision = 'accepted' "                         \
    "ORDER BY lr.id DESC LIMIT 1)"

/* ---- days --------------------------------------------------------------------------------- */

int dashboard_days_between(const char *from, const char *to)
{
    int64_t a, b;
    if (!clock_parse_date(from, &a, NULL) || !clock_parse_date(to, &b, NULL))
        return 0;
    return (int)(b - a);
}

/* ---- the parts ---------------------------------------------------------------------------- */

/* The plan of the year, and the years that have one (work_plan's unique (pairing_id, year)
 * index: SEARCH work_plan USING INDEX sqlite_autoindex_work_plan_1 (pairing_id=?)). */
static int read_plans(struct ctx *c, int64_t pairing_id, struct dashboard *d)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT id, year, status FROM work_plan WHERE pairing_id = :p ORDER BY year DESC");
    db_bind_int64(&st, ":p", pairing_id);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        int year = (int)db_col_int64(&st, 1);
        *(int *)ARRAY_PUSH(c->arena, d->years, d->n_years, cap) = year;
        if (year == d->year) {
            d->work_plan_id = db_col_int64(&st, 0);
            d->plan_status = svc_col(c, &st, 2);
        }
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the work plans") : SVC_OK;
}

/* Items, overdue items, items with an accepted report and the sum of their percents.
 *   SEARCH x USING INDEX work_item_plan (work_plan_id=?)
 *   SEARCH a USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN
 *   CORRELATED SCALAR SUBQUERY: SEARCH lr USING COVERING INDEX report_item (work_item_id=?),
 *                               SEARCH lv USING INDEX sqlite_autoindex_review_1 (report_id=?) */
static int read_stats(struct ctx *c, struct dashboard *d)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT count(*), coalesce(sum(CASE WHEN i.due < :today AND "
               " coalesce(a.status, '') <> 'done' THEN 1 ELSE 0 END), 0), "
               " count(a.id), coalesce(sum(a.percent), 0) "
               "FROM (SELECT x.id, x.due, " ACCEPTED_ID("x.id") " AS acc_id FROM work_item x "
               " WHERE x.work_plan_id = :wp AND x.removed_at IS NULL) i "
               "LEFT JOIN report a ON a.id = i.acc_id");
    db_bind_int64(&st, ":wp", d->work_plan_id);
    db_bind_text(&st, ":today", d->today);
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        d->items = db_col_int64(&st, 0);
        d->overdue = db_col_int64(&st, 1);
        d->accepted = db_col_int64(&st, 2);
        int64_t sum = db_col_int64(&st, 3);
        d->percent = d->items ? (int)((sum * 2 + d->items) / (d->items * 2)) : 0;
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "counting the year's items") : SVC_OK;
}

/* Whom a leader calls about an overdue item nobody has reported on: the owner unit's first
 * active clerk or coordinator (by id: the account the unit was set up with). One indexed read
 * per unit of the list, not per item. */
static int read_people(struct ctx *c, struct dashboard *d)
{
    for (size_t i = 0; i < d->n_overdue_items; i++) {
        struct dashboard_overdue *o = &d->overdue_items[i];
        if (o->person)
            continue;
        for (size_t k = 0; k < i && !o->person; k++)
            if (d->overdue_items[k].owner_id == o->owner_id && !d->overdue_items[k].report_id)
                o->person = d->overdue_items[k].person;
        if (o->person)
            continue;
        struct stmt st;
        db_prepare(c->db, &st,
                   "SELECT coalesce(nullif(name, ''), login) FROM users WHERE unit_id = :u "
                   "AND disabled = 0 AND role IN ('member', 'coordinator') ORDER BY id LIMIT 1");
        db_bind_int64(&st, ":u", o->owner_id);
        int rc = db_step(&st);
        if (rc == DB_ROW)
            o->person = svc_col(c, &st, 0);
        db_finalize(&st);
        if (rc < 0)
            return store_failed(c, "reading the owner units' people");
    }
    return SVC_OK;
}

/* The overdue items, most overdue first, with the latest report of each.
 *   SEARCH x USING INDEX work_item_plan (work_plan_id=?)
 *   CORRELATED SCALAR SUBQUERY (accepted status): report_item + review autoindex, as above
 *   SEARCH u, t, r USING INTEGER PRIMARY KEY; SEARCH v USING INDEX sqlite_autoindex_review_1
 *   CORRELATED SCALAR SUBQUERY (latest report): SEARCH m USING COVERING INDEX report_item
 *   USE TEMP B-TREE FOR ORDER BY (the plan's overdue items only, cut by LIMIT)
 * An index work_item (work_plan_id, due) would let it stop early instead of sorting. */
static int read_overdue(struct ctx *c, struct dashboard *d)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT i.id, i.title, i.due, coalesce(i.task_id, 0), coalesce(t.number, 0), "
               " t.title, u.id, u.name, coalesce(r.id, 0), r.status, r.period, "
               " coalesce(r.percent, 0), CASE WHEN r.id IS NULL THEN NULL "
               " ELSE coalesce(v.decision, 'pending') END, "
               " (SELECT coalesce(nullif(s.name, ''), s.login) FROM users s "
               "  WHERE s.id = r.submitted_by) "
               "FROM (SELECT x.id, x.title, x.due, x.task_id, x.owner_unit_id, "
               "  " LIGHT_SQL_ACCEPTED("x.id") " AS acc, "
               "  (SELECT max(m.id) FROM report m WHERE m.work_item_id = x.id) AS last_id "
               " FROM work_item x WHERE x.work_plan_id = :wp AND x.removed_at IS NULL "
               " AND x.due < :today) i "
               "JOIN unit u ON u.id = i.owner_unit_id LEFT JOIN task t ON t.id = i.task_id "
               "LEFT JOIN report r ON r.id = i.last_id LEFT JOIN review v ON v.report_id = r.id "
               "WHERE coalesce(i.acc, '') <> 'done' "
               "ORDER BY i.due, i.id LIMIT :limit");
    db_bind_int64(&st, ":wp", d->work_plan_id);
    db_bind_text(&st, ":today", d->today);
    db_bind_int64(&st, ":limit", DASHBOARD_OVERDUE_MAX);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct dashboard_overdue *o =
            ARRAY_PUSH(c->arena, d->overdue_items, d->n_overdue_items, cap);
        o->item_id = db_col_int64(&st, 0);
        o->title = svc_col(c, &st, 1);
        o->due = svc_col(c, &st, 2);
        o->task_id = db_col_int64(&st, 3);
        o->task_number = (int)db_col_int64(&st, 4);
        o->task_title = svc_col(c, &st, 5);
        o->owner_id = db_col_int64(&st, 6);
        o->owner_name = svc_col(c, &st, 7);
        o->report_id = db_col_int64(&st, 8);
        o->report_status = svc_col(c, &st, 9);
        o->report_period = svc_col(c, &st, 10);
        o->report_percent = (int)db_col_int64(&st, 11);
        o->review = svc_col(c, &st, 12);
        o->person = svc_col(c, &st, 13);
        o->days = dashboard_days_between(o->due, d->today);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the overdue items");
    return read_people(c, d);
}

/* The latest reports on the plan's items. The inner query picks the ids alone: CROSS JOIN
 * keeps the items outside (standard SQL; SQLite does not reorder it), so the reports are
 * reached through each item's report_item range and the top ten kept by a LIMITed sort of
 * ids from the covering index. Reading report by id backwards instead would, for an older
 * year, wade through every newer report of every pairing first.
 *   MATERIALIZE k: SEARCH i USING INDEX work_item_plan (work_plan_id=?)
 *                  SEARCH r USING COVERING INDEX report_item (work_item_id=?)
 *                  USE TEMP B-TREE FOR ORDER BY
 *   SCAN k (10 rows); SEARCH r, i, u, t USING INTEGER PRIMARY KEY;
 *   SEARCH v USING INDEX sqlite_autoindex_review_1 (report_id=?) */
static int read_recent(struct ctx *c, struct dashboard *d)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT r.id, r.at, r.period, r.status, r.percent, u.id, u.name, i.id, i.title, "
               " coalesce(i.task_id, 0), coalesce(t.number, 0), coalesce(v.decision, "
               " CASE WHEN EXISTS (SELECT 1 FROM report n WHERE n.work_item_id = r.work_item_id "
               "  AND n.id > r.id AND n.period = r.period) THEN 'superseded' ELSE 'pending' END), "
               " i.owner_unit_id "
               "FROM (SELECT rr.id AS rid FROM work_item ii CROSS JOIN report rr "
               "  WHERE ii.work_plan_id = :wp AND ii.removed_at IS NULL "
               "  AND rr.work_item_id = ii.id ORDER BY rr.id DESC LIMIT :limit) k "
               "JOIN report r ON r.id = k.rid JOIN work_item i ON i.id = r.work_item_id "
               "JOIN unit u ON u.id = r.unit_id LEFT JOIN task t ON t.id = i.task_id "
               "LEFT JOIN review v ON v.report_id = r.id "
               "ORDER BY r.id DESC");
    db_bind_int64(&st, ":wp", d->work_plan_id);
    db_bind_int64(&st, ":limit", DASHBOARD_RECENT_MAX);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct dashboard_report *x = ARRAY_PUSH(c->arena, d->recent, d->n_recent, cap);
        x->id = db_col_int64(&st, 0);
        x->at = svc_col(c, &st, 1);
        x->period = svc_col(c, &st, 2);
        x->status = svc_col(c, &st, 3);
        x->percent = (int)db_col_int64(&st, 4);
        x->unit_id = db_col_int64(&st, 5);
        x->unit_name = svc_col(c, &st, 6);
        x->item_id = db_col_int64(&st, 7);
        x->item_title = svc_col(c, &st, 8);
        x->task_id = db_col_int64(&st, 9);
        x->task_number = (int)db_col_int64(&st, 10);
        x->review = svc_col(c, &st, 11);
        x->owner_id = db_col_int64(&st, 12);
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the latest reports") : SVC_OK;
}

/* ---- the calls ---------------------------------------------------------------------------- */

/* What dashboard_get reads, into c->arena. */
/* 本期报送: the missing reports of the latest period whose due day has passed, per unit, the
 * most missing first — from the reporting calendar, the same figures as /reporting. */
static int read_missing(struct ctx *c, int64_t pairing_id, struct dashboard *out)
{
    /* the reading is shared by every viewer: counted for all units, whoever asks first */
    struct reporting_grid g;
    int rc = reporting_grid_all(c, pairing_id, out->year, &g);
    if (rc != SVC_OK)
        return rc;
    size_t k = g.n_periods;
    while (k > 0 && strcmp(g.periods[k - 1].due, g.today) >= 0)
        k--;
    if (k == 0)
        return SVC_OK; /* no period past its due day yet */
    k--;
    snprintf(out->missing_period, sizeof out->missing_period, "%s", g.periods[k].name);
    memcpy(out->missing_due, g.periods[k].due, sizeof out->missing_due);
    size_t cap = 0;
    for (size_t u = 0; u < g.n_units; u++) { /* the grid has them most missing first */
        int64_t n = g.units[u].cells[k].count[RS_MISSING];
        if (!n)
            continue;
        struct dashboard_missing *m =
            ARRAY_PUSH(c->arena, out->missing_units, out->n_missing_units, cap);
        *m = (struct dashboard_missing){g.units[u].unit_id, g.units[u].name, g.units[u].side,
                                        n};
        out->missing += n;
    }
    /* most missing in this period first (the grid sorts by the whole year's) */
    for (size_t i = 1; i < out->n_missing_units; i++) {
        struct dashboard_missing m = out->missing_units[i];
        size_t j = i;
        for (; j > 0 && out->missing_units[j - 1].missing < m.missing; j--)
            out->missing_units[j] = out->missing_units[j - 1];
        out->missing_units[j] = m;
    }
    return SVC_OK;
}

static int dashboard_read(struct ctx *c, int64_t pairing_id, int year, struct dashboard *out)
{
    memset(out, 0, sizeof *out);
    if (year < 2000 || year > 2100)
        return svc_fail(c, SVC_INVALID, "err_range", "year", "year %d is not within 2000–2100",
                        year);
    out->year = year;
    char soon[11];
    light_today(out->today, soon);
    /* light_counts checks that the pairing exists and that the caller may read it. */
    int rc = light_counts(c, pairing_id, year, &out->lights);
    if (rc != SVC_OK)
        return rc;
    if ((rc = read_plans(c, pairing_id, out)) != SVC_OK)
        return rc;
    /* The projects block's figures are the same for every viewer too: read with the rest. */
    out->have_projects = project_totals(c, pairing_id, year, &out->projects) == SVC_OK;
    if (!out->have_projects)
        c->code = c->field = c->error = NULL;
    out->have_events = event_totals(c, pairing_id, year, &out->events) == SVC_OK &&
                       exchange_counts(c, pairing_id, year, &out->exchanges) == SVC_OK;
    if (!out->have_events)
        c->code = c->field = c->error = NULL;
    if (!out->work_plan_id)
        return SVC_OK;
    if ((rc = read_stats(c, out)) != SVC_OK || (rc = read_overdue(c, out)) != SVC_OK ||
        (rc = read_recent(c, out)) != SVC_OK)
        return rc;
    return read_missing(c, pairing_id, out);
}

/* ---- one reading for every viewer ------------------------------------------------------- */

/* A pairing's dashboard is the same data for everyone who may read it (what differs by
 * viewer — which items link to a report form — is the page's business), and it costs a dozen
 * statements over the year's 50 items and their reports: the dearest part of the pages a
 * pairing's people open every day (docs/performance.md, the mixed run). So the last readings
 * are kept for the process, each in its own arena, keyed by (pairing, year, today) and the
 * data versions of the pairing and of unscoped writes (store/db.h db_scope_versions: read
 * before the data, moved by every audited write of any process), so a reading is never older
 * than the data. A request that uses one holds a reference until its own arena is freed. */
enum { SHARED_MAX = 16 };

struct shared {
    int64_t pairing_id, v_pairing, v_unscoped;
    int year;
    char today[11];
    int refs; /* one for the table while listed, one per request using it */
    uint64_t used;
    struct arena arena;
    struct dashboard d;
};

static struct {
    pthread_mutex_t mu;
    struct shared *e[SHARED_MAX];
    uint64_t tick;
} shared = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void unref_locked(struct shared *s)
{
    if (--s->refs == 0) {
        arena_free(&s->arena);
        free(s);
    }
}

static void release(void *p)
{
    pthread_mutex_lock(&shared.mu);
    unref_locked(p);
    pthread_mutex_unlock(&shared.mu);
}

/* The listed reading for the key, referenced for c's request; NULL when there is none. */
static struct shared *find_shared(int64_t pairing_id, int year, const char *today,
                                  const struct scope_version *v)
{
    struct shared *hit = NULL;
    pthread_mutex_lock(&shared.mu);
    for (int i = 0; i < SHARED_MAX && !hit; i++) {
        struct shared *s = shared.e[i];
        if (s && s->pairing_id == pairing_id && s->year == year && s->v_pairing == v->pairing &&
            s->v_unscoped == v->unscoped && strcmp(s->today, today) == 0)
            hit = s;
    }
    if (hit) {
        hit->refs++;
        hit->used = ++shared.tick;
    }
    pthread_mutex_unlock(&shared.mu);
    return hit;
}

/* Lists s (referenced once for the table and once for the caller), dropping the least
 * recently used reading when the table is full. */
static void list_shared(struct shared *s)
{
    pthread_mutex_lock(&shared.mu);
    int slot = 0;
    for (int i = 0; i < SHARED_MAX; i++) {
        if (!shared.e[i]) {
            slot = i;
            break;
        }
        if (shared.e[i]->used < shared.e[slot]->used)
            slot = i;
    }
    if (shared.e[slot])
        unref_locked(shared.e[slot]);
    s->refs = 2;
    s->used = ++shared.tick;
    shared.e[slot] = s;
    pthread_mutex_unlock(&shared.mu);
}

int dashboard_get(struct ctx *c, int64_t pairing_id, int year, struct dashboard *out)
{
    struct scope_version v;
    char today[11], soon[11];
    light_today(today, soon);
    if (year < 2000 || year > 2100 || db_in_transaction(c->db) ||
        db_scope_versions(c->db, pairing_id, &v) != 0 || v.pairing < 0 ||
        !svc_can_read_pairing(c, pairing_id))
        return dashboard_read(c, pairing_id, year, out); /* and its refusal, if any */
    struct shared *s = find_shared(pairing_id, year, today, &v);
    if (!s) {
        s = xcalloc(1, sizeof *s);
        arena_init(&s->arena);
        struct ctx own = *c;
        own.arena = &s->arena;
        if (dashboard_read(&own, pairing_id, year, &s->d) != SVC_OK ||
            strcmp(s->d.today, today) != 0) { /* midnight passed meanwhile: not kept */
            arena_free(&s->arena);
            free(s);
            return dashboard_read(c, pairing_id, year, out);
        }
        s->pairing_id = pairing_id;
        s->year = year;
        s->v_pairing = v.pairing;
        s->v_unscoped = v.unscoped;
        memcpy(s->today, today, sizeof s->today);
        list_shared(s);
    }
    arena_defer(c->arena, release, s);
    *out = s->d;
    return SVC_OK;
}

void dashboard_forget(void)
{
    pthread_mutex_lock(&shared.mu);
    for (int i = 0; i < SHARED_MAX; i++)
        if (shared.e[i]) {
            unref_locked(shared.e[i]);
            shared.e[i] = NULL;
        }
    pthread_mutex_unlock(&shared.mu);
}

int dashboard_home(struct ctx *c, int64_t *pairing_id)
{
    *pairing_id = 0;
    if (c->user && c->user->role != ROLE_ADMIN && c->user->pairing_id) {
        *pairing_id = c->user->pairing_id;
        return SVC_OK;
    }
    if (!perm_is_admin_user(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "no pairing of yours");
    struct stmt st;
    db_prepare(c->db, &st, "SELECT id FROM pairing WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    int rc = db_step(&st);
    if (rc == DB_ROW)
        *pairing_id = db_col_int64(&st, 0);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the pairings");
    if (!*pairing_id)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no pairing yet");
    return SVC_OK;
}
