/* notification: the in-app inbox and the reminder pass (see notification.h). */
#include "service/notification.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "service/dashboard.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/perm.h"
#include "service/reporting.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

struct notification_policy notification_policy = {
    .remind_days = {7, 3, 1},
    .escalate_days = {3, 7},
    .review_wait_days = 3,
};

static int store_failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "notification", what);
}

static int need_user(struct ctx *c)
{
    if (!c->user || c->user->id <= 0)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "an inbox belongs to a user");
    return SVC_OK;
}

/* ---- the inbox ---------------------------------------------------------------------------- */

/* A user's notifications (only: that one), newest first, a keyset page. */
static int list_for(struct ctx *c, int64_t user_id, int64_t only, int64_t after, int limit,
                    struct notification_view **out, size_t *n, int64_t *next_after)
{
    int rc;
    /* The words' inputs, by kind: the item (and its unit) of a report kind, the report's
     * review comment, the plan's pairing and year. One row per notification by primary keys. */
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT n.id, n.kind, n.object_id, n.period, n.step, n.created_at, n.read_at, "
               " coalesce(i.id, ri.id, 0), coalesce(w.id, 0), coalesce(i.title, ri.title, "
               " g.name_a || '–' || g.name_b || ' ' || w.year, pj.name, "
               " eg.name_a || '–' || eg.name_b || ' ' || ev.year, et.title), "
               " coalesce(u.name, ru.name), "
               " v.comment, coalesce(wi.report_cycle, 'monthly'), coalesce(wi.report_due_day, 5), "
               " coalesce(eg.name_a, ''), coalesce(eg.name_b, '') "
               "FROM notification n "
               "LEFT JOIN work_item i ON n.kind IN ('report_due', 'report_missing', 'report_urged') "
               " AND i.id = n.object_id "
               "LEFT JOIN work_plan wi ON wi.id = i.work_plan_id "
               "LEFT JOIN unit u ON u.id = i.owner_unit_id "
               "LEFT JOIN report r ON n.kind = 'report_returned' AND r.id = n.object_id "
               "LEFT JOIN work_item ri ON ri.id = r.work_item_id "
               "LEFT JOIN unit ru ON ru.id = ri.owner_unit_id "
               "LEFT JOIN review v ON v.report_id = r.id "
               "LEFT JOIN work_plan w ON n.kind IN ('plan_submitted', 'plan_reopened') "
               " AND w.id = n.object_id "
               "LEFT JOIN pairing g ON g.id = w.pairing_id "
               "LEFT JOIN project pj ON n.kind = 'project_stage' AND pj.id = n.object_id "
               "LEFT JOIN evaluation ev ON n.kind = 'evaluation_step' AND ev.id = n.object_id "
               "LEFT JOIN pairing eg ON eg.id = ev.pairing_id "
               "LEFT JOIN registration rg ON n.kind = 'event_registration' AND rg.id = "
               " n.object_id LEFT JOIN event et ON et.id = rg.event_id "
               "WHERE n.user_id = :u AND (:after = 0 OR n.id < :after) "
               "AND (:only = 0 OR n.id = :only) ORDER BY n.id DESC LIMIT :limit");
    db_bind_int64(&st, ":u", user_id);
    db_bind_int64(&st, ":only", only);
    db_bind_int64(&st, ":after", after);
    db_bind_int64(&st, ":limit", limit + 1);
    size_t cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        if (*n == (size_t)limit) {
            *next_after = (*out)[*n - 1].id;
            break;
        }
        struct notification_view *v = ARRAY_PUSH(c->arena, *out, *n, cap);
        v->id = db_col_int64(&st, 0);
        v->kind = svc_col(c, &st, 1);
        v->object_id = db_col_int64(&st, 2);
        v->period = svc_col(c, &st, 3);
        v->step = (int)db_col_int64(&st, 4);
        v->created_at = svc_col(c, &st, 5);
        v->read_at = db_col_is_null(&st, 6) ? NULL : svc_col(c, &st, 6);
        v->work_item_id = db_col_int64(&st, 7);
        v->work_plan_id = db_col_int64(&st, 8);
        v->title = db_col_is_null(&st, 9) ? "" : svc_col(c, &st, 9);
        v->unit_name = db_col_is_null(&st, 10) ? NULL : svc_col(c, &st, 10);
        v->comment = db_col_is_null(&st, 11) ? NULL : svc_col(c, &st, 11);
        if (strcmp(v->kind, "evaluation_step") == 0) {
            /* period "action:side": the side's name for the words */
            const char *colon = strchr(v->period, ':');
            v->unit_name = svc_col(c, &st, colon && colon[1] == '1' ? 15 : 14);
        }
        if (v->period[0] && strncmp(v->kind, "report_", 7) == 0) {
            /* the due day of the period, by the plan's cycle as it is now */
            int y = 0, k = 0, day = (int)db_col_int64(&st, 13);
            char q = 0;
            if (sscanf(v->period, "%4d-%c%d", &y, &q, &k) == 3 && q == 'Q')
                k *= 3;
            else if (sscanf(v->period, "%4d-%2d", &y, &k) != 2)
                k = 0;
            if (k >= 1 && k <= 12) {
                char *due = arena_alloc(c->arena, 11);
                clock_format_date(clock_days_from_civil(k == 12 ? y + 1 : y, k == 12 ? 1 : k + 1,
                                                        day),
                                  due);
                v->due = due;
            }
        }
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the inbox") : SVC_OK;
}

int notification_list(struct ctx *c, int64_t after, int limit, struct notification_view **out,
                      size_t *n, int64_t *next_after)
{
    *out = NULL;
    *n = 0;
    *next_after = 0;
    int rc = need_user(c);
    if (rc != SVC_OK)
        return rc;
    if (limit < 1 || limit > NOTIFICATION_PAGE_MAX)
        limit = NOTIFICATION_PAGE_DEFAULT;
    return list_for(c, c->user->id, 0, after, limit, out, n, next_after);
}

int notification_of(struct ctx *c, int64_t user_id, int64_t id, struct notification_view *out)
{
    struct notification_view *v = NULL;
    size_t n = 0;
    int64_t next = 0;
    int rc = list_for(c, user_id, id, 0, 1, &v, &n, &next);
    if (rc != SVC_OK)
        return rc;
    if (n != 1)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no notification %lld",
                        (long long)id);
    *out = v[0];
    return SVC_OK;
}

int notification_unread(struct ctx *c, int64_t *n)
{
    *n = 0;
    int rc = need_user(c);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st, "SELECT count(*) FROM notification WHERE user_id = :u AND read_at IS NULL");
    db_bind_int64(&st, ":u", c->user->id);
    rc = db_step(&st);
    if (rc == DB_ROW)
        *n = db_col_int64(&st, 0);
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "counting the unread") : SVC_OK;
}

/* Unread counts by user: a direct-mapped table, each slot valid for one version. */
enum { UNREAD_SLOTS = 1024 };
static struct {
    pthread_mutex_t mu;
    struct {
        int64_t user, version, n;
        bool ok;
    } slot[UNREAD_SLOTS];
} unread_cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

int notification_unread_at(struct ctx *c, int64_t version, int64_t *n)
{
    int rc = need_user(c);
    if (rc != SVC_OK)
        return rc;
    size_t k = (size_t)((uint64_t)c->user->id * 11400714819323198485u >> 54) % UNREAD_SLOTS;
    pthread_mutex_lock(&unread_cache.mu);
    bool hit = unread_cache.slot[k].ok && unread_cache.slot[k].user == c->user->id &&
               unread_cache.slot[k].version == version;
    if (hit)
        *n = unread_cache.slot[k].n;
    pthread_mutex_unlock(&unread_cache.mu);
    if (hit)
        return SVC_OK;
    if ((rc = notification_unread(c, n)) != SVC_OK)
        return rc;
    pthread_mutex_lock(&unread_cache.mu);
    unread_cache.slot[k].user = c->user->id;
    unread_cache.slot[k].version = version;
    unread_cache.slot[k].n = *n;
    unread_cache.slot[k].ok = true;
    pthread_mutex_unlock(&unread_cache.mu);
    return SVC_OK;
}

int notification_read(struct ctx *c, int64_t id)
{
    int rc = need_user(c);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE notification SET read_at = :now WHERE user_id = :u "
               "AND (:id = 0 OR id = :id) AND read_at IS NULL");
    db_bind_text(&st, ":now", svc_now(c));
    db_bind_int64(&st, ":u", c->user->id);
    db_bind_int64(&st, ":id", id);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "marking read");
    if (!id)
        return SVC_OK;
    /* Nothing changed: already read, or not the caller's (the same answer for both kinds of
     * "not yours", so ids of others' notifications are not probed). */
    db_prepare(c->db, &st, "SELECT 1 FROM notification WHERE id = :id AND user_id = :u");
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":u", c->user->id);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading a notification");
    return rc == DB_ROW ? SVC_OK
                        : svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL,
                                   "no notification %lld of yours", (long long)id);
}

/* ---- told by the writes themselves -------------------------------------------------------- */

/* Inserts one notification unless it exists; the number inserted (0 or 1), <0 on failure. */
static int insert(struct ctx *c, int64_t user_id, const char *kind, int64_t object_id,
                  const char *period, int step, const char *now)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO notification (user_id, kind, object_id, period, step, created_at) "
               "VALUES (:u, :k, :o, :p, :s, :now) "
               "ON CONFLICT (user_id, kind, object_id, period, step) DO NOTHING");
    db_bind_int64(&st, ":u", user_id);
    db_bind_text(&st, ":k", kind);
    db_bind_int64(&st, ":o", object_id);
    db_bind_text(&st, ":p", period ? period : "");
    db_bind_int64(&st, ":s", step);
    db_bind_text(&st, ":now", now);
    int rc = db_step(&st);
    db_finalize(&st);
    return rc < 0 ? rc : db_changes(c->db);
}

int notification_report_returned(struct ctx *c, int64_t report_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT r.submitted_by FROM report r JOIN users u ON u.id = r.submitted_by "
               "WHERE r.id = :r AND u.disabled = 0");
    db_bind_int64(&st, ":r", report_id);
    int rc = db_step(&st);
    int64_t author = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    if (rc < 0)
        return rc;
    return author ? insert(c, author, "report_returned", report_id, "", 0, svc_now(c)) : 0;
}

int notification_plan_submitted(struct ctx *c, int64_t work_plan_id, int submitter_side)
{
    char revision[24];
    struct stmt st;
    db_prepare(c->db, &st, "SELECT pairing_id, revision FROM work_plan WHERE id = :w");
    db_bind_int64(&st, ":w", work_plan_id);
    int rc = db_step(&st);
    int64_t pairing = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    snprintf(revision, sizeof revision, "%lld", rc == DB_ROW ? (long long)db_col_int64(&st, 1) : 0LL);
    db_finalize(&st);
    if (rc != DB_ROW)
        return rc < 0 ? rc : 0;
    /* The coordinators of the side that must approve next (both sides when an admin or the
     * command line submitted). */
    db_prepare(c->db, &st,
               "SELECT u.id FROM users u JOIN unit n ON n.id = u.unit_id "
               "WHERE n.pairing_id = :p AND u.role = 'coordinator' AND u.disabled = 0 "
               "AND (:side < 0 OR n.side <> :side) ORDER BY u.id");
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":side", submitter_side);
    const char *now = svc_now(c);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    while ((rc = db_step(&st)) == DB_ROW)
        *(int64_t *)ARRAY_PUSH(c->arena, ids, n, cap) = db_col_int64(&st, 0);
    db_finalize(&st);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = insert(c, ids[i], "plan_submitted", work_plan_id, revision, 0, now)) < 0)
            return rc;
    return 0;
}

int notification_plan_reopened(struct ctx *c, int64_t work_plan_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT u.id, w.revision FROM work_plan w JOIN unit n ON n.pairing_id = w.pairing_id "
               "JOIN users u ON u.unit_id = n.id WHERE w.id = :w AND u.role = 'coordinator' "
               "AND u.disabled = 0 AND u.id <> :me ORDER BY u.id");
    db_bind_int64(&st, ":w", work_plan_id);
    db_bind_int64(&st, ":me", c->user ? c->user->id : 0);
    const char *now = svc_now(c);
    struct told {
        int64_t user, revision;
    } *who = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct told *t = ARRAY_PUSH(c->arena, who, n, cap);
        t->user = db_col_int64(&st, 0);
        t->revision = db_col_int64(&st, 1);
    }
    db_finalize(&st);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        char revision[24];
        snprintf(revision, sizeof revision, "%lld", (long long)who[i].revision);
        if ((rc = insert(c, who[i].user, "plan_reopened", work_plan_id, revision, 0, now)) < 0)
            return rc;
    }
    return 0;
}

/* The users a prepared query gives, but the caller: each told kind about object with period
 * and step. <0 when the store fails. */
static int tell_users(struct ctx *c, struct stmt *st, const char *kind, int64_t object,
                      const char *period, int step)
{
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;
    int64_t me = c->user ? c->user->id : 0;
    while ((rc = db_step(st)) == DB_ROW)
        if (db_col_int64(st, 0) != me)
            *(int64_t *)ARRAY_PUSH(c->arena, ids, n, cap) = db_col_int64(st, 0);
    db_finalize(st);
    if (rc < 0)
        return rc;
    const char *now = svc_now(c);
    for (size_t i = 0; i < n; i++)
        if ((rc = insert(c, ids[i], kind, object, period, step, now)) < 0)
            return rc;
    return 0;
}

int notification_project_stage(struct ctx *c, int64_t project_id, const char *stage,
                               int64_t change_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT DISTINCT u.id FROM project_partner pp JOIN users u ON u.unit_id = "
               "pp.unit_id WHERE pp.project_id = :a AND u.disabled = 0 ORDER BY u.id");
    db_bind_int64(&st, ":a", project_id);
    return tell_users(c, &st, "project_stage", project_id, stage, (int)change_id);
}

int notification_event_registration(struct ctx *c, int64_t registration_id, int64_t event_id,
                                    const char *status)
{
    /* who registered it, and for a unit's registration the unit's people */
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT u.id FROM registration g JOIN users u ON u.id = g.registered_by OR "
               "u.unit_id = g.unit_id WHERE g.id = :a AND u.disabled = 0 ORDER BY u.id");
    db_bind_int64(&st, ":a", registration_id);
    return tell_users(c, &st, "event_registration", registration_id, status, (int)event_id);
}

int notification_evaluation_step(struct ctx *c, int64_t evaluation_id, const char *action,
                                 int side, int64_t step_id)
{
    /* who acts next: the other side's coordinators on a self-evaluation; the side's own on an
     * opinion or a return; the leaders of both sides when both sides are final; everyone of
     * the pairing's lead offices and leaderships when it closes */
    const char *role1 = "coordinator", *role2 = "coordinator";
    int whose = side; /* -1: both sides */
    if (strcmp(action, "self") == 0)
        whose = 1 - side;
    else if (strcmp(action, "final") == 0)
        role1 = role2 = "leader", whose = -1;
    else if (strcmp(action, "closed") == 0)
        role2 = "leader", whose = -1;
    else if (strcmp(action, "opinion") != 0 && strcmp(action, "return") != 0)
        return 0;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT u.id FROM evaluation e JOIN unit n ON n.pairing_id = e.pairing_id "
               "JOIN users u ON u.unit_id = n.id WHERE e.id = :a AND (:b < 0 OR n.side = :b) "
               "AND u.role IN (:r1, :r2) AND u.disabled = 0 ORDER BY u.id");
    db_bind_int64(&st, ":a", evaluation_id);
    db_bind_int64(&st, ":b", whose);
    db_bind_text(&st, ":r1", role1);
    db_bind_text(&st, ":r2", role2);
    return tell_users(c, &st, "evaluation_step", evaluation_id,
                      arena_printf(c->arena, "%s:%d", action, side < 0 ? 0 : side),
                      (int)step_id);
}

/* ---- 催办 by hand -------------------------------------------------------------------------- */

int notification_urge(struct ctx *c, int64_t pairing_id, int year, int64_t unit_id,
                      int64_t *made)
{
    *made = 0;
    int64_t unit_pairing = 0;
    int side = 0;
    int rc = perm_unit_seen(c, unit_id, &unit_pairing, &side);
    if (rc != SVC_OK)
        return rc;
    if ((rc = perm_manage_side(c, unit_pairing, side)) != SVC_OK)
        return rc; /* first: a stranger learns nothing of the unit */
    if (unit_pairing != pairing_id)
        return svc_fail(c, SVC_INVALID, "err_invalid", "unit_id",
                        "unit %lld is not of pairing %lld", (long long)unit_id,
                        (long long)pairing_id);
    struct reporting_grid g;
    if ((rc = reporting_grid(c, pairing_id, year, side, unit_id, &g)) != SVC_OK)
        return rc;
    int64_t day = 0;
    clock_parse_date(g.today, &day, NULL);
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the 催办");
    struct stmt people;
    db_prepare(c->db, &people,
               "SELECT id FROM users WHERE unit_id = :unit AND role = 'member' AND disabled = 0");
    db_bind_int64(&people, ":unit", unit_id);
    int64_t *who = NULL;
    size_t n_who = 0, cap = 0;
    while ((rc = db_step(&people)) == DB_ROW)
        *(int64_t *)ARRAY_PUSH(c->arena, who, n_who, cap) = db_col_int64(&people, 0);
    db_finalize(&people);
    int64_t items = 0;
    const char *now = svc_now(c);
    for (size_t i = 0; i < g.n_items && rc >= 0; i++)
        for (size_t k = 0; k < g.n_periods && rc >= 0; k++) {
            if (g.items[i].states[k] != RS_MISSING)
                continue;
            items++;
            for (size_t u = 0; u < n_who && rc >= 0; u++)
                if ((rc = insert(c, who[u], "report_urged", g.items[i].item_id,
                                 g.periods[k].name, (int)day, now)) > 0)
                    *made += rc;
        }
    if (rc < 0) {
        db_rollback(c->db);
        return store_failed(c, "storing the 催办");
    }
    if (!items) {
        db_rollback(c->db);
        return svc_fail(c, SVC_CONFLICT, "err_nothing_missing", NULL,
                        "unit %lld has no missing report in %d", (long long)unit_id, year);
    }
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "year", year);
    jw_kint(w, "missing", items);
    jw_kint(w, "told", *made);
    if (audit_append(c->db, c->actor, "notification.urge", "unit", unit_id, NULL,
                     svc_json_end(c, &j), c->client) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return store_failed(c, "storing the 催办");
    }
    return SVC_OK;
}

/* ---- the reminder pass -------------------------------------------------------------------- */

struct pass {
    struct ctx *c;
    const char *today, *now;
    bool dry_run;
    int64_t made;
    void (*each)(void *, const char *, const char *, const char *, const char *, int);
    void *arg;
    struct stmt people, exists;
};

/* What one notification of the pass is about. */
struct about {
    int64_t pairing_id, unit_id, object_id; /* unit_id 0: the whole side */
    int side;
    const char *title, *period;
};

/* review_waiting counts change from one pass to the next: -1 when the user was told of
 * a's object today already (whatever the count), else 0. Other kinds: 0 (their unique key
 * decides). */
static int told_today(struct pass *ps, int64_t user, const char *kind, const struct about *a)
{
    if (strcmp(kind, "review_waiting") != 0)
        return 0;
    struct stmt st;
    db_prepare(ps->c->db, &st,
               "SELECT 1 FROM notification WHERE user_id = :u AND kind = :k AND object_id = :o "
               "AND period = :p");
    db_bind_int64(&st, ":u", user);
    db_bind_text(&st, ":k", kind);
    db_bind_int64(&st, ":o", a->object_id);
    db_bind_text(&st, ":p", a->period);
    int rc = db_step(&st);
    db_finalize(&st);
    return rc == DB_ROW ? -1 : 0;
}

/* Tells the users of (unit | the side's role) about a; SVC_OK or the failure. */
static int tell_about(struct pass *ps, const struct about *a, const char *kind, int step,
                      const char *role)
{
    struct ctx *c = ps->c;
    struct stmt *st = &ps->people;
    db_reset(st);
    db_bind_text(st, ":role", role);
    db_bind_int64(st, ":unit", a->unit_id);
    db_bind_int64(st, ":p", a->pairing_id);
    db_bind_int64(st, ":side", a->side);
    struct who {
        int64_t id;
        const char *login;
    } *who = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct who *w = ARRAY_PUSH(c->arena, who, n, cap);
        w->id = db_col_int64(st, 0);
        w->login = svc_col(c, st, 1);
    }
    if (rc < 0)
        return store_failed(c, "reading whom to tell");
    for (size_t i = 0; i < n; i++) {
        int made;
        if (ps->dry_run) {
            db_reset(&ps->exists);
            db_bind_int64(&ps->exists, ":u", who[i].id);
            db_bind_text(&ps->exists, ":k", kind);
            db_bind_int64(&ps->exists, ":o", a->object_id);
            db_bind_text(&ps->exists, ":p", a->period);
            db_bind_int64(&ps->exists, ":s", step);
            if ((rc = db_step(&ps->exists)) < 0)
                return store_failed(c, "reading the inbox");
            made = rc != DB_ROW && told_today(ps, who[i].id, kind, a) == 0;
        } else if ((made = told_today(ps, who[i].id, kind, a)) == 0 &&
                   (made = insert(c, who[i].id, kind, a->object_id, a->period, step,
                                  ps->now)) < 0) {
            return store_failed(c, "storing a notification");
        } else if (made < 0) {
            made = 0; /* told already today (review_waiting), whatever the count */
        }
        if (made) {
            ps->made++;
            if (ps->each)
                ps->each(ps->arg, who[i].login, kind, a->title, a->period, step);
        }
    }
    return 0;
}

/* The same for an item's period: its unit, or (whole_side) the role's users of its side. */
static int tell(struct pass *ps, const struct reporting_item_period *x, const char *kind,
                int step, const char *role, bool whole_side)
{
    struct about a = {.pairing_id = x->pairing_id, .unit_id = whole_side ? 0 : x->unit_id,
                      .object_id = x->work_item_id, .side = x->side, .title = x->title,
                      .period = x->period};
    return tell_about(ps, &a, kind, step, role);
}

/* Reports waiting for review longer than review_wait_days: once a day while there are any,
 * the coordinators of their side are told how many (one notification, not one per report: a
 * backlog of thousands is one line a day, not thousands). object = the pairing, period = the
 * day, step = the count; told at most once a day whatever the count. */
static int review_waits(struct pass *ps)
{
    struct ctx *c = ps->c;
    /* submitted before the start of the day review_wait_days before today, in China */
    int64_t day = 0;
    clock_parse_date(ps->today, &day, NULL);
    char cutoff[25];
    clock_format((day - notification_policy.review_wait_days) * 86400000LL - 8 * 3600000LL,
                 cutoff);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT q.pairing_id, q.side, count(*) FROM review_queue q "
               "JOIN report r ON r.id = q.report_id WHERE r.at < :cutoff "
               "GROUP BY q.pairing_id, q.side ORDER BY q.pairing_id, q.side");
    db_bind_text(&st, ":cutoff", cutoff);
    struct wait {
        struct about a;
        int64_t n;
    } *w = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct wait *x = ARRAY_PUSH(c->arena, w, n, cap);
        x->a.pairing_id = x->a.object_id = db_col_int64(&st, 0);
        x->a.side = (int)db_col_int64(&st, 1);
        x->a.period = ps->today;
        x->a.title = "";
        x->n = db_col_int64(&st, 2);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the review queue");
    for (size_t i = 0; i < n; i++)
        if ((rc = tell_about(ps, &w[i].a, "review_waiting", (int)w[i].n, "coordinator")) != 0)
            return rc;
    return 0;
}

static int remind_one(void *arg, const struct reporting_item_period *x)
{
    struct pass *ps = arg;
    int days = dashboard_days_between(ps->today, x->due); /* due − today */
    if (x->state == RS_DUE) {
        for (int k = 0; k < 3 && notification_policy.remind_days[k] > 0; k++)
            if (days == notification_policy.remind_days[k])
                return tell(ps, x, "report_due", days, "member", false);
        return 0;
    }
    if (x->state != RS_MISSING)
        return 0;
    int late = -days, rc = tell(ps, x, "report_missing", 0, "member", false);
    if (rc == 0 && late >= notification_policy.escalate_days[0])
        rc = tell(ps, x, "report_missing", 1, "coordinator", true);
    if (rc == 0 && late >= notification_policy.escalate_days[1])
        rc = tell(ps, x, "report_missing", 2, "leader", true);
    return rc;
}

int notification_remind(struct ctx *c, const char *today, bool dry_run,
                        void (*each)(void *arg, const char *login, const char *kind,
                                     const char *item_title, const char *period, int step),
                        void *arg, int64_t *made)
{
    *made = 0;
    char day[11], soon[11];
    if (!today) {
        light_today(day, soon);
        today = day;
    } else if (!clock_parse_date(today, NULL, NULL)) {
        return svc_fail(c, SVC_INVALID, "err_invalid", "at", "not a date: %s", today);
    }
    struct pass ps = {.c = c, .today = today, .now = svc_now(c), .dry_run = dry_run,
                      .each = each, .arg = arg};
    /* Members of the unit, or the role's users of the unit's side (unit 0). */
    db_prepare(c->db, &ps.people,
               "SELECT u.id, u.login FROM users u JOIN unit n ON n.id = u.unit_id "
               "WHERE u.role = :role AND u.disabled = 0 AND n.pairing_id = :p "
               "AND ((:unit <> 0 AND n.id = :unit) OR (:unit = 0 AND n.side = :side)) "
               "ORDER BY u.id");
    db_prepare(c->db, &ps.exists,
               "SELECT 1 FROM notification WHERE user_id = :u AND kind = :k AND object_id = :o "
               "AND period = :p AND step = :s");
    if (!dry_run && db_begin(c->db) < 0) {
        db_finalize(&ps.people);
        db_finalize(&ps.exists);
        return store_failed(c, "starting the reminder pass");
    }
    int rc = reporting_each(c, today, remind_one, &ps);
    if (rc == SVC_OK && notification_policy.review_wait_days > 0)
        rc = review_waits(&ps);
    db_finalize(&ps.people);
    db_finalize(&ps.exists);
    if (rc == SVC_OK && !dry_run && ps.made) {
        struct svc_json j;
        struct jw *w = svc_json_begin(&j);
        jw_kstr(w, "at", today);
        jw_kint(w, "created", ps.made);
        if (audit_append(c->db, c->actor, "notification.remind", "notification", 0, NULL,
                         svc_json_end(c, &j), c->client) < 0)
            rc = store_failed(c, "auditing the reminder pass");
    }
    if (rc == SVC_OK && !dry_run && db_commit(c->db) < 0)
        rc = store_failed(c, "committing the reminder pass");
    if (rc != SVC_OK) {
        db_rollback(c->db);
        return rc;
    }
    *made = ps.made;
    return SVC_OK;
}
