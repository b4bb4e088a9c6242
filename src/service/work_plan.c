/* work_plan: 年度工作计划, its items and the dual sign-off. Every write runs in one
 * transaction: the state it depends on (status, revisions) is read inside it, and the change,
 * the revision bump, a possible reopening (approvals cleared) and the audit rows commit
 * together or not at all. */
#include "service/work_plan.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/sb.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/perm.h"
#include "service/notification.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

/* ---- scope: the rules are service/perm.c's; the messages say what was refused --------- */

/* A coordinator of either side of the pairing (its own side, that is), or an admin. */
static bool can_write_pairing(struct ctx *c, int64_t pairing_id)
{
    return perm_manage_side(c, pairing_id, c->user ? c->user->side : 0) == SVC_OK;
}

/* Admins manage both sides' items; a coordinator its own. Approvals need more than this:
 * see approve_body. */
static bool owns_side(const struct ctx *c, int side)
{
    return perm_is_admin_user(c) || c->user->side == side;
}

static int store_failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "work plan", what);
}

/* ---- input checks --------------------------------------------------------------------- */

/* ---- the plan row ----------------------------------------------------------------------- */

struct plan_row {
    int64_t id, pairing_id, revision;
    int year;
    const char *status;
};

static int load_plan(struct ctx *c, int64_t id, struct plan_row *p)
{
    memset(p, 0, sizeof *p);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT pairing_id, year, status, revision FROM work_plan WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        p->id = id;
        p->pairing_id = db_col_int64(&st, 0);
        p->year = (int)db_col_int64(&st, 1);
        p->status = arena_strdup(c->arena, db_col_text(&st, 2));
        p->revision = db_col_int64(&st, 3);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the work plan");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no work plan %lld",
                        (long long)id);
    return perm_see(c, p->pairing_id);
}

/* Loads a plan for a write by a coordinator of its pairing; what the refusal says may not be
 * done ("add items"). */
static int plan_for_write(struct ctx *c, int64_t id, struct plan_row *p, const char *what)
{
    int rc = load_plan(c, id, p);
    if (rc != SVC_OK)
        return rc;
    if (!can_write_pairing(c, p->pairing_id))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only a coordinator of this pairing may %s", what);
    return SVC_OK;
}

static int bump(struct ctx *c, int64_t plan_id, const char *now)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE work_plan SET revision = revision + 1, updated_at = :now WHERE id = :id");
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":id", plan_id);
    int rc = db_step(&st);
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "updating the work plan") : SVC_OK;
}

/* The sides with a standing approval, as a bit set (1: side 0, 2: side 1). */
static int approved_sides(struct ctx *c, int64_t plan_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT DISTINCT side FROM approval "
               "WHERE work_plan_id = :id AND cleared_at IS NULL");
    db_bind_int64(&st, ":id", plan_id);
    int bits = 0, rc;
    while ((rc = db_step(&st)) == DB_ROW)
        bits |= 1 << (int)db_col_int64(&st, 0);
    db_finalize(&st);
    return rc < 0 ? -1 : bits;
}

static void write_sides(struct jw *w, int bits)
{
    jw_key(w, "approved");
    jw_arr(w);
    for (int s = 0; s < 2; s++)
        if (bits & (1 << s))
            jw_int(w, s);
    jw_arr_end(w);
}

static const char *state_json(struct ctx *c, const char *status, int bits, int64_t revision,
                              const char *reason)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kstr(w, "status", status);
    write_sides(w, bits);
    jw_kint(w, "revision", revision);
    if (reason)
        jw_kstr(w, "reason", reason);
    return svc_json_end(c, &j);
}

/* An item changed in a plan that is not a draft: back to draft, standing approvals cleared
 * with the reason, and an audit row saying so. Called inside the caller's transaction. */
static int reopen(struct ctx *c, struct plan_row *p, const char *reason, const char *now)
{
    if (strcmp(p->status, "draft") == 0)
        return SVC_OK;
    int bits = approved_sides(c, p->id);
    if (bits < 0)
        return store_failed(c, "reading approvals");
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE approval SET cleared_at = :now, cleared_reason = :why "
               "WHERE work_plan_id = :id AND cleared_at IS NULL");
    db_bind_text(&st, ":now", now);
    db_bind_text(&st, ":why", reason);
    db_bind_int64(&st, ":id", p->id);
    int rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "clearing approvals");
    db_prepare(c->db, &st, "UPDATE work_plan SET status = 'draft' WHERE id = :id");
    db_bind_int64(&st, ":id", p->id);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reopening the work plan");
    if (audit_append(c->db, c->actor, "work_plan.reopen", "work_plan", p->id,
                     state_json(c, p->status, bits, p->revision, NULL),
                     state_json(c, "draft", 0, p->revision + 1, reason), c->client) < 0)
        return store_failed(c, "writing the audit log");
    if (notification_plan_reopened(c, p->id) < 0)
        return store_failed(c, "telling the coordinators");
    p->status = "draft";
    return SVC_OK;
}

/* ---- reading ---------------------------------------------------------------------------- */

/* The items query, for a whole plan, one item, a task or a unit: cond selects rows of
 * work_item x; order (with a LIMIT if wanted) sorts the rows of i. */
#define ITEM_SQL_ORDER(cond, order)                                                          \
    "SELECT i.id, i.work_plan_id, i.revision, coalesce(i.task_id, 0), coalesce(t.number, 0), " \
    "t.title, i.title, i.due, i.indicator, i.target_value, i.owner_unit_id, u.name, u.side, " \
    "i.created_at, i.updated_at, coalesce(r.id, 0), r.period, r.status, r.percent, r.at, "   \
    "v.decision, i.acc, " LIGHT_SQL("i.due", "i.acc") ", wp.year, wp.status, v.comment, "     \
    "wp.report_cycle, wp.report_due_day FROM "                                               \
    "(SELECT x.*, (SELECT max(m.id) FROM report m WHERE m.work_item_id = x.id) AS last_id, " \
    LIGHT_SQL_ACCEPTED("x.id") " AS acc FROM work_item x WHERE " cond ") i "                 \
    "JOIN work_plan wp ON wp.id = i.work_plan_id "                                           \
    "JOIN unit u ON u.id = i.owner_unit_id LEFT JOIN task t ON t.id = i.task_id "            \
    "LEFT JOIN report r ON r.id = i.last_id LEFT JOIN review v ON v.report_id = r.id "       \
    "ORDER BY " order
#define ITEM_SQL(cond) ITEM_SQL_ORDER(cond, "i.id")

#define SUPPORT_SQL(cond)                                                                    \
    "SELECT s.work_item_id, u.id, u.name, u.side FROM work_item_support s "                  \
    "JOIN work_item x ON x.id = s.work_item_id JOIN unit u ON u.id = s.unit_id "             \
    "WHERE " cond " ORDER BY s.work_item_id, u.side, u.name, u.id"

static void read_item(struct ctx *c, struct stmt *st, struct work_item_view *v)
{
    v->id = db_col_int64(st, 0);
    v->work_plan_id = db_col_int64(st, 1);
    v->revision = db_col_int64(st, 2);
    v->task_id = db_col_int64(st, 3);
    v->task_number = (int)db_col_int64(st, 4);
    v->task_title = svc_col(c, st, 5);
    v->title = svc_col(c, st, 6);
    v->due = svc_col(c, st, 7);
    v->indicator = svc_col(c, st, 8);
    v->target_value = svc_col(c, st, 9);
    v->owner.id = db_col_int64(st, 10);
    v->owner.name = svc_col(c, st, 11);
    v->owner.side = (int)db_col_int64(st, 12);
    v->created_at = svc_col(c, st, 13);
    v->updated_at = svc_col(c, st, 14);
    v->report_id = db_col_int64(st, 15);
    v->report_period = svc_col(c, st, 16);
    v->report_status = svc_col(c, st, 17);
    v->report_percent = (int)db_col_int64(st, 18);
    v->report_at = svc_col(c, st, 19);
    v->review = v->report_id ? (db_col_is_null(st, 20) ? "pending" : svc_col(c, st, 20)) : NULL;
    v->accepted_status = svc_col(c, st, 21);
    v->light = (enum light)db_col_int64(st, 22);
    v->year = (int)db_col_int64(st, 23);
    v->plan_status = svc_col(c, st, 24);
    v->review_comment = svc_col(c, st, 25);
    v->report_quarterly = strcmp(db_col_text(st, 26), "quarterly") == 0;
    v->report_due_day = (int)db_col_int64(st, 27);
}

/* Attaches support units (rows sorted by item id) to items (sorted by id); finalizes st. */
static int read_support(struct ctx *c, struct stmt *st, struct work_item_view *items, size_t n)
{
    size_t k = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t item = db_col_int64(st, 0);
        while (k < n && items[k].id < item) {
            k++;
            cap = 0;
        }
        if (k >= n || items[k].id != item)
            continue;
        struct work_item_unit *u = ARRAY_PUSH(c->arena, items[k].support, items[k].n_support, cap);
        u->id = db_col_int64(st, 1);
        u->name = svc_col(c, st, 2);
        u->side = (int)db_col_int64(st, 3);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* One item without permission checks (also inside write transactions, for the audit). */
static int read_one_item(struct ctx *c, int64_t item_id, struct work_item_view *v)
{
    memset(v, 0, sizeof *v);
    struct stmt st;
    db_prepare(c->db, &st, ITEM_SQL("x.id = :id AND x.removed_at IS NULL"));
    db_bind_int64(&st, ":id", item_id);
    light_bind(&st);
    int rc = db_step(&st);
    if (rc == DB_ROW)
        read_item(c, &st, v);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the work item");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no work item %lld",
                        (long long)item_id);
    db_prepare(c->db, &st, SUPPORT_SQL("x.id = :id"));
    db_bind_int64(&st, ":id", item_id);
    if (read_support(c, &st, v, 1) < 0)
        return store_failed(c, "reading support units");
    return SVC_OK;
}

static const char *item_json(struct ctx *c, const struct work_item_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "id", v->id);
    jw_kint(w, "work_plan_id", v->work_plan_id);
    jw_kint(w, "revision", v->revision);
    if (v->task_id)
        jw_kint(w, "task_id", v->task_id);
    else
        jw_knull(w, "task_id");
    jw_kstr(w, "title", v->title);
    jw_kint(w, "owner_unit_id", v->owner.id);
    jw_key(w, "support");
    jw_arr(w);
    for (size_t i = 0; i < v->n_support; i++)
        jw_int(w, v->support[i].id);
    jw_arr_end(w);
    jw_kstr(w, "due", v->due);
    jw_kstr(w, "indicator", v->indicator);
    jw_kstr(w, "target_value", v->target_value);
    return svc_json_end(c, &j);
}

int work_plan_list(struct ctx *c, int64_t pairing_id, struct work_plan_summary **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!svc_can_read_pairing(c, pairing_id))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "pairing %lld is not yours",
                        (long long)pairing_id);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT w.id, w.year, w.status, w.revision, w.updated_at, "
               "(SELECT count(*) FROM work_item i WHERE i.work_plan_id = w.id "
               "AND i.removed_at IS NULL) FROM work_plan w WHERE w.pairing_id = :p "
               "ORDER BY w.year DESC");
    db_bind_int64(&st, ":p", pairing_id);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct work_plan_summary *s = ARRAY_PUSH(c->arena, *out, *n, cap);
        s->id = db_col_int64(&st, 0);
        s->year = (int)db_col_int64(&st, 1);
        s->status = svc_col(c, &st, 2);
        s->revision = db_col_int64(&st, 3);
        s->updated_at = svc_col(c, &st, 4);
        s->items = (int)db_col_int64(&st, 5);
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "listing work plans") : SVC_OK;
}

int work_plan_find(struct ctx *c, int64_t pairing_id, int year, int64_t *id)
{
    *id = 0;
    if (!svc_can_read_pairing(c, pairing_id))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "pairing %lld is not yours",
                        (long long)pairing_id);
    struct stmt st;
    db_prepare(c->db, &st, "SELECT id FROM work_plan WHERE pairing_id = :p AND year = :y");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", year);
    int rc = db_step(&st);
    if (rc == DB_ROW)
        *id = db_col_int64(&st, 0);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "finding the work plan");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL,
                        "pairing %lld has no work plan for %d", (long long)pairing_id, year);
    return SVC_OK;
}

int work_plan_open(struct ctx *c, int64_t pairing_id, int year, int64_t *id)
{
    *id = 0;
    if (!can_write_pairing(c, pairing_id))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only a coordinator of pairing %lld may open its work plans",
                        (long long)pairing_id);
    if (year < 2000 || year > 2100)
        return svc_fail(c, SVC_INVALID, "err_range", "year", "year %d is not within 2000–2100",
                        year);
    struct stmt st;
    db_prepare(c->db, &st, "SELECT parent_id IS NULL FROM pairing WHERE id = :p");
    db_bind_int64(&st, ":p", pairing_id);
    int rc = db_step(&st);
    bool top = rc == DB_ROW && db_col_int64(&st, 0);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the pairing");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "pairing_id",
                        "there is no pairing %lld", (long long)pairing_id);
    if (!top)
        return svc_fail(c, SVC_INVALID, "err_invalid", "pairing_id",
                        "work plans belong to province pairings; %lld is a city pairing",
                        (long long)pairing_id);

    if (db_begin(c->db) < 0)
        return store_failed(c, "starting a transaction");
    db_prepare(c->db, &st, "SELECT id FROM work_plan WHERE pairing_id = :p AND year = :y");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", year);
    rc = db_step(&st);
    if (rc == DB_ROW)
        *id = db_col_int64(&st, 0);
    db_finalize(&st);
    if (rc < 0)
        goto fail;
    if (*id) {
        db_rollback(c->db);
        return SVC_OK;
    }
    const char *now = svc_now(c);
    db_prepare(c->db, &st,
               "INSERT INTO work_plan (pairing_id, year, status, revision, created_at, updated_at) "
               "VALUES (:p, :y, 'draft', 1, :now, :now)");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", year);
    db_bind_text(&st, ":now", now);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        goto fail;
    *id = db_last_insert_id(c->db);
    if (audit_append(c->db, c->actor, "work_plan.create", "work_plan", *id, NULL,
                     arena_printf(c->arena,
                                  "{\"pairing_id\":%lld,\"year\":%d,\"status\":\"draft\","
                                  "\"revision\":1}",
                                  (long long)pairing_id, year),
                     c->client) < 0 ||
        db_commit(c->db) < 0)
        goto fail;
    return SVC_OK;
fail:
    *id = 0;
    rc = store_failed(c, "creating the work plan");
    db_rollback(c->db);
    return rc;
}

/* A plan's items (not removed), by id, with their support units. */
static int read_plan_items(struct ctx *c, int64_t id, struct work_item_view **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    struct stmt st;
    db_prepare(c->db, &st, ITEM_SQL("x.work_plan_id = :id AND x.removed_at IS NULL"));
    db_bind_int64(&st, ":id", id);
    light_bind(&st);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW)
        read_item(c, &st, ARRAY_PUSH(c->arena, *items, *n, cap));
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading work items");
    db_prepare(c->db, &st, SUPPORT_SQL("x.work_plan_id = :id AND x.removed_at IS NULL"));
    db_bind_int64(&st, ":id", id);
    if (read_support(c, &st, *items, *n) < 0)
        return store_failed(c, "reading support units");
    return SVC_OK;
}

int work_plan_get(struct ctx *c, int64_t id, struct work_plan_view *v)
{
    memset(v, 0, sizeof *v);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT w.pairing_id, w.year, w.status, w.revision, w.created_at, w.updated_at, "
               "g.name_a, g.name_b, w.report_cycle, w.report_due_day "
               "FROM work_plan w JOIN pairing g ON g.id = w.pairing_id WHERE w.id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        v->id = id;
        v->pairing_id = db_col_int64(&st, 0);
        v->year = (int)db_col_int64(&st, 1);
        v->status = svc_col(c, &st, 2);
        v->revision = db_col_int64(&st, 3);
        v->created_at = svc_col(c, &st, 4);
        v->updated_at = svc_col(c, &st, 5);
        v->name_a = svc_col(c, &st, 6);
        v->name_b = svc_col(c, &st, 7);
        v->report_quarterly = strcmp(db_col_text(&st, 8), "quarterly") == 0;
        v->report_due_day = (int)db_col_int64(&st, 9);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the work plan");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no work plan %lld",
                        (long long)id);
    int seen = perm_read_pairing(c, v->pairing_id); /* another's: as a missing one */
    if (seen != SVC_OK)
        return seen;

    db_prepare(c->db, &st,
               "SELECT a.id, a.side, a.user_id, u.login, a.at, a.cleared_at, a.cleared_reason, "
               "u.name, n.name "
               "FROM approval a JOIN users u ON u.id = a.user_id "
               "LEFT JOIN unit n ON n.id = u.unit_id WHERE a.work_plan_id = :id "
               "ORDER BY a.id");
    db_bind_int64(&st, ":id", id);
    size_t cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct work_plan_approval *a = ARRAY_PUSH(c->arena, v->approvals, v->n_approvals, cap);
        a->id = db_col_int64(&st, 0);
        a->side = (int)db_col_int64(&st, 1);
        a->user_id = db_col_int64(&st, 2);
        a->user_login = svc_col(c, &st, 3);
        a->at = svc_col(c, &st, 4);
        a->cleared_at = svc_col(c, &st, 5);
        a->cleared_reason = svc_col(c, &st, 6);
        a->user_name = svc_col(c, &st, 7);
        a->unit_name = svc_col(c, &st, 8);
        if (!a->cleared_at && (a->side == 0 || a->side == 1))
            v->approved[a->side] = true;
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading approvals");

    return read_plan_items(c, id, &v->items, &v->n_items);
}

int work_plan_item_get(struct ctx *c, int64_t item_id, struct work_item_view *out)
{
    memset(out, 0, sizeof *out);
    int64_t pairing = svc_item_pairing(c, item_id, true);
    if (pairing < 0)
        return store_failed(c, "reading the work item");
    int rc = svc_item_readable(c, item_id, pairing != 0, pairing);
    return rc != SVC_OK ? rc : read_one_item(c, item_id, out);
}

int work_plan_task_items(struct ctx *c, int64_t task_id, struct work_item_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t pairing = svc_task_pairing(c, task_id);
    if (pairing < 0)
        return store_failed(c, "reading the task");
    if (!pairing)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "task_id", "there is no task %lld",
                        (long long)task_id);
    int seen = perm_read_pairing(c, pairing);
    if (seen == SVC_NOT_FOUND) /* another pairing's: as a missing one */
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "task_id",
                        "task %lld is another pairing's", (long long)task_id);
    if (seen != SVC_OK)
        return seen;
    struct stmt st;
    db_prepare(c->db, &st,
               ITEM_SQL_ORDER("x.task_id = :t AND x.removed_at IS NULL", "wp.year, i.id"));
    db_bind_int64(&st, ":t", task_id);
    light_bind(&st);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW)
        read_item(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading work items");
    /* A task has a handful of items a year: one small indexed query each. */
    for (size_t i = 0; i < *n; i++) {
        db_prepare(c->db, &st, SUPPORT_SQL("x.id = :id"));
        db_bind_int64(&st, ":id", (*out)[i].id);
        if (read_support(c, &st, &(*out)[i], 1) < 0)
            return store_failed(c, "reading support units");
    }
    return SVC_OK;
}

int work_plan_unit_items(struct ctx *c, int64_t unit_id, int year, bool open_only,
                         int64_t after, int limit, struct work_item_page *out)
{
    memset(out, 0, sizeof *out);
    int rc = svc_check_limit(c, &limit, WORK_ITEM_PAGE_DEFAULT, WORK_ITEM_PAGE_MAX);
    if (rc != SVC_OK)
        return rc;
    if (after < 0)
        return svc_fail(c, SVC_INVALID, "err_range", "after", "after must be an item id");
    int64_t pairing = 0;
    if ((rc = perm_unit_scope(c, unit_id, &pairing, NULL)) != SVC_OK)
        return rc;
    if (!svc_can_read_pairing(c, pairing))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "unit %lld is not of your pairing", (long long)unit_id);
    /* The cursor is the last item shown; the next page starts after its (due, id). */
    const char *after_due = "";
    struct stmt st;
    if (after) {
        db_prepare(c->db, &st,
                   "SELECT due FROM work_item WHERE id = :id AND owner_unit_id = :u");
        db_bind_int64(&st, ":id", after);
        db_bind_int64(&st, ":u", unit_id);
        rc = db_step(&st);
        if (rc == DB_ROW)
            after_due = arena_strdup(c->arena, db_col_text(&st, 0));
        db_finalize(&st);
        if (rc < 0)
            return store_failed(c, "reading the cursor");
        if (rc != DB_ROW)
            return svc_fail(c, SVC_INVALID, "err_range", "after",
                            "%lld is not an item of unit %lld", (long long)after,
                            (long long)unit_id);
    }
    db_prepare(c->db, &st,
               ITEM_SQL_ORDER("x.owner_unit_id = :u AND x.removed_at IS NULL "
                              "AND (:year = 0 OR x.work_plan_id IN "
                              "(SELECT y.id FROM work_plan y WHERE y.year = :year)) "
                              "AND (:open = 0 OR coalesce(" LIGHT_SQL_ACCEPTED("x.id")
                              ", '') != 'done') "
                              "AND (:after = 0 OR x.due > :adue "
                              "OR (x.due = :adue AND x.id > :after))",
                              "i.due, i.id LIMIT :limit"));
    db_bind_int64(&st, ":u", unit_id);
    db_bind_int64(&st, ":year", year);
    db_bind_int64(&st, ":open", open_only);
    db_bind_int64(&st, ":after", after);
    db_bind_text(&st, ":adue", after_due);
    db_bind_int64(&st, ":limit", limit + 1);
    light_bind(&st);
    size_t cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        if (out->n == (size_t)limit) {
            out->more = true;
            break;
        }
        read_item(c, &st, ARRAY_PUSH(c->arena, out->items, out->n, cap));
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading work items");
    /* Bounded by the page limit: one small indexed query per item. */
    for (size_t i = 0; i < out->n; i++) {
        db_prepare(c->db, &st, SUPPORT_SQL("x.id = :id"));
        db_bind_int64(&st, ":id", out->items[i].id);
        if (read_support(c, &st, &out->items[i], 1) < 0)
            return store_failed(c, "reading support units");
    }
    out->next_after = out->more ? out->items[out->n - 1].id : 0;
    return SVC_OK;
}

/* ---- writing items ---------------------------------------------------------------------- */

struct clean_item {
    int64_t task_id, owner;
    int owner_side;
    const char *title, *due, *indicator, *target_value;
    int64_t *support; /* sorted */
    size_t n_support;
};

/* The side of a unit of the pairing; -1 when there is no such unit in it, -2 on error. */
static int unit_side(struct ctx *c, int64_t unit, int64_t pairing)
{
    struct stmt st;
    db_prepare(c->db, &st, "SELECT side FROM unit WHERE id = :id AND pairing_id = :p");
    db_bind_int64(&st, ":id", unit);
    db_bind_int64(&st, ":p", pairing);
    int rc = db_step(&st);
    int side = rc == DB_ROW ? (int)db_col_int64(&st, 0) : rc < 0 ? -2 : -1;
    db_finalize(&st);
    return side;
}

/* Validates an item's input against its plan; the caller checks the owner's side. */
static int clean_input(struct ctx *c, const struct plan_row *p, const struct work_item_input *in,
                       struct clean_item *out)
{
    memset(out, 0, sizeof *out);
    int rc = svc_check_text(c, in->title, true, "err_required", WORK_ITEM_TITLE_MAX, "title", &out->title);
    if (rc != SVC_OK)
        return rc;
    int year = 0;
    if (!in->due || !in->due[0])
        return svc_fail(c, SVC_INVALID, "err_required", "due", "due is required");
    if (!clock_parse_date(in->due, NULL, &year))
        return svc_fail(c, SVC_INVALID, "err_date", "due", "due \"%s\" is not a date YYYY-MM-DD",
                        in->due);
    if (year < p->year - 1 || year > p->year + 1)
        return svc_fail(c, SVC_INVALID, "err_range", "due",
                        "due %s is not within a year of the plan's year %d", in->due, p->year);
    out->due = arena_strdup(c->arena, in->due);
    if ((rc = svc_check_text(c, in->indicator, false, "err_required", WORK_ITEM_TEXT_MAX, "indicator",
                         &out->indicator)) != SVC_OK ||
        (rc = svc_check_text(c, in->target_value, false, "err_required", WORK_ITEM_TEXT_MAX, "target_value",
                         &out->target_value)) != SVC_OK)
        return rc;

    if (!in->owner_unit_id)
        return svc_fail(c, SVC_INVALID, "err_required", "owner_unit_id",
                        "owner_unit_id is required");
    out->owner = in->owner_unit_id;
    out->owner_side = unit_side(c, out->owner, p->pairing_id);
    if (out->owner_side == -2)
        return store_failed(c, "reading a unit");
    if (out->owner_side < 0)
        return svc_fail(c, SVC_INVALID, "err_unit_unknown", "owner_unit_id",
                        "unit %lld is not a unit of this pairing", (long long)out->owner);

    if (in->n_support > WORK_ITEM_MAX_SUPPORT)
        return svc_fail(c, SVC_INVALID, "err_range", "support", "at most %d support units",
                        WORK_ITEM_MAX_SUPPORT);
    out->n_support = in->n_support;
    out->support = arena_alloc(c->arena, (in->n_support + 1) * sizeof *out->support);
    if (in->n_support)
        memcpy(out->support, in->support, in->n_support * sizeof *in->support);
    qsort(out->support, out->n_support, sizeof *out->support, svc_cmp_id);
    for (size_t i = 0; i < out->n_support; i++) {
        if (out->support[i] == out->owner || (i && out->support[i] == out->support[i - 1]))
            return svc_fail(c, SVC_INVALID, "err_invalid", "support",
                            "unit %lld is named twice", (long long)out->support[i]);
        int side = unit_side(c, out->support[i], p->pairing_id);
        if (side == -2)
            return store_failed(c, "reading a unit");
        if (side < 0)
            return svc_fail(c, SVC_INVALID, "err_unit_unknown", "support",
                            "unit %lld is not a unit of this pairing", (long long)out->support[i]);
    }

    out->task_id = in->task_id;
    if (in->task_id) {
        struct stmt st;
        db_prepare(c->db, &st,
                   "SELECT 1 FROM task t JOIN plan pl ON pl.id = t.plan_id "
                   "WHERE t.id = :t AND pl.pairing_id = :p");
        db_bind_int64(&st, ":t", in->task_id);
        db_bind_int64(&st, ":p", p->pairing_id);
        rc = db_step(&st);
        db_finalize(&st);
        if (rc < 0)
            return store_failed(c, "reading the task");
        if (rc != DB_ROW)
            return svc_fail(c, SVC_INVALID, "err_task_unknown", "task_id",
                            "task %lld is not a task of this pairing's plans",
                            (long long)in->task_id);
    }
    return SVC_OK;
}

static int other_side(struct ctx *c, int side)
{
    return svc_fail(c, SVC_FORBIDDEN, "err_other_side", "owner_unit_id",
                    "the owner unit is on side %d; you manage side %d's items", side,
                    c->user ? c->user->side : -1);
}

static int write_support(struct ctx *c, int64_t item, const struct clean_item *ci)
{
    struct stmt st;
    db_prepare(c->db, &st, "DELETE FROM work_item_support WHERE work_item_id = :i");
    db_bind_int64(&st, ":i", item);
    int rc = db_step(&st);
    db_finalize(&st);
    for (size_t i = 0; rc >= 0 && i < ci->n_support; i++) {
        db_prepare(c->db, &st,
                   "INSERT INTO work_item_support (work_item_id, unit_id) VALUES (:i, :u)");
        db_bind_int64(&st, ":i", item);
        db_bind_int64(&st, ":u", ci->support[i]);
        rc = db_step(&st);
        db_finalize(&st);
    }
    return rc < 0 ? store_failed(c, "writing support units") : SVC_OK;
}

/* Validates an item's input (clean_input) and that the caller manages its owner's side: the
 * same checks for an added and an edited item. */
static int clean_owned_input(struct ctx *c, const struct plan_row *p,
                             const struct work_item_input *in, struct clean_item *out)
{
    int rc = clean_input(c, p, in, out);
    if (rc != SVC_OK)
        return rc;
    return owns_side(c, out->owner_side) ? SVC_OK : other_side(c, out->owner_side);
}

/* Binds the columns an added or edited item writes, named alike in both statements. */
static void bind_item(struct stmt *st, const struct clean_item *ci, const char *now)
{
    svc_bind_opt_id(st, ":t", ci->task_id);
    db_bind_text(st, ":title", ci->title);
    db_bind_int64(st, ":owner", ci->owner);
    db_bind_text(st, ":due", ci->due);
    db_bind_text(st, ":ind", ci->indicator);
    db_bind_text(st, ":tv", ci->target_value);
    db_bind_text(st, ":now", now);
}

/* What follows every write of an item's row: its support units (unless ci is NULL: a
 * removal), the plan reopened with "item <id> <done>", its revision bumped, and the audit row
 * of action with before (NULL for an addition) and after (NULL: the item as it now reads). */
static int item_written(struct ctx *c, struct plan_row *p, int64_t item,
                        const struct clean_item *ci, const char *done, const char *now,
                        const char *action, const char *before, const char *after)
{
    int rc;
    if ((ci && (rc = write_support(c, item, ci)) != SVC_OK) ||
        (rc = reopen(c, p, arena_printf(c->arena, "item %lld %s", (long long)item, done),
                     now)) != SVC_OK ||
        (rc = bump(c, p->id, now)) != SVC_OK)
        return rc;
    if (!after) {
        struct work_item_view v;
        if ((rc = read_one_item(c, item, &v)) != SVC_OK)
            return rc;
        after = item_json(c, &v);
    }
    if (audit_append(c->db, c->actor, action, "work_item", item, before, after, c->client) < 0)
        return store_failed(c, "writing the audit log");
    return SVC_OK;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool unchanged(struct ctx *c, const struct work_item_view *v, const struct clean_item *ci)
{
    if (v->task_id != ci->task_id || v->owner.id != ci->owner || !same_str(v->title, ci->title) ||
        !same_str(v->due, ci->due) || !same_str(v->indicator, ci->indicator) ||
        !same_str(v->target_value, ci->target_value) || v->n_support != ci->n_support)
        return false;
    int64_t *have = arena_alloc(c->arena, (v->n_support + 1) * sizeof *have);
    for (size_t i = 0; i < v->n_support; i++)
        have[i] = v->support[i].id;
    qsort(have, v->n_support, sizeof *have, svc_cmp_id);
    return v->n_support == 0 || memcmp(have, ci->support, v->n_support * sizeof *have) == 0;
}

/* The bodies below run inside a transaction opened by run(); they return an SVC code, and
 * run() commits on SVC_OK, rolls back otherwise. */
struct item_op {
    int64_t plan_id, item_id, expected;
    const struct work_item_input *in;
    int64_t *out_id;
    int side;
    bool *agreed;
};

static int run(struct ctx *c, int (*body)(struct ctx *, struct item_op *), struct item_op *op)
{
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting a transaction");
    int rc = body(c, op);
    if (rc == SVC_OK && db_in_transaction(c->db) && db_commit(c->db) < 0)
        rc = store_failed(c, "committing");
    db_rollback(c->db);
    return rc;
}

static int add_body(struct ctx *c, struct item_op *op)
{
    struct plan_row p;
    int rc = plan_for_write(c, op->plan_id, &p, "add items");
    if (rc != SVC_OK)
        return rc;
    struct clean_item ci;
    if ((rc = clean_owned_input(c, &p, op->in, &ci)) != SVC_OK)
        return rc;
    const char *now = svc_now(c);
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO work_item (work_plan_id, task_id, title, owner_unit_id, due, "
               "indicator, target_value, revision, created_at, updated_at) "
               "VALUES (:w, :t, :title, :owner, :due, :ind, :tv, 1, :now, :now)");
    db_bind_int64(&st, ":w", p.id);
    bind_item(&st, &ci, now);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "adding the work item");
    int64_t item = db_last_insert_id(c->db);
    if ((rc = item_written(c, &p, item, &ci, "added", now, "work_item.add", NULL, NULL)) !=
        SVC_OK)
        return rc;
    if (op->out_id)
        *op->out_id = item;
    return SVC_OK;
}

/* Loads an item for a write: its plan, permission on its owner's side, the revision. */
static int item_for_write(struct ctx *c, struct item_op *op, struct plan_row *p,
                          struct work_item_view *v)
{
    int rc = read_one_item(c, op->item_id, v);
    if (rc != SVC_OK)
        return rc;
    if ((rc = load_plan(c, v->work_plan_id, p)) != SVC_OK)
        return rc;
    if (!can_write_pairing(c, p->pairing_id))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only a coordinator of this pairing may change its items");
    if (!owns_side(c, v->owner.side))
        return other_side(c, v->owner.side);
    if (op->expected != v->revision)
        return svc_fail(c, SVC_STALE, "err_stale", "revision",
                        "work item %lld is at revision %lld, not %lld", (long long)v->id,
                        (long long)v->revision, (long long)op->expected);
    return SVC_OK;
}

static int edit_body(struct ctx *c, struct item_op *op)
{
    struct plan_row p;
    struct work_item_view before;
    int rc = item_for_write(c, op, &p, &before);
    if (rc != SVC_OK)
        return rc;
    struct clean_item ci;
    if ((rc = clean_owned_input(c, &p, op->in, &ci)) != SVC_OK)
        return rc;
    if (unchanged(c, &before, &ci))
        return SVC_OK;
    const char *now = svc_now(c);
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE work_item SET task_id = :t, title = :title, owner_unit_id = :owner, "
               "due = :due, indicator = :ind, target_value = :tv, revision = revision + 1, "
               "updated_at = :now WHERE id = :id");
    bind_item(&st, &ci, now);
    db_bind_int64(&st, ":id", before.id);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "editing the work item");
    return item_written(c, &p, before.id, &ci, "edited", now, "work_item.edit",
                        item_json(c, &before), NULL);
}

static int remove_body(struct ctx *c, struct item_op *op)
{
    struct plan_row p;
    struct work_item_view before;
    int rc = item_for_write(c, op, &p, &before);
    if (rc != SVC_OK)
        return rc;
    const char *now = svc_now(c);
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE work_item SET removed_at = :now, revision = revision + 1, "
               "updated_at = :now WHERE id = :id");
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":id", before.id);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "removing the work item");
    return item_written(c, &p, before.id, NULL, "removed", now, "work_item.remove",
                        item_json(c, &before),
                        arena_printf(c->arena, "{\"removed_at\":\"%s\",\"revision\":%lld}",
                                     now, (long long)before.revision + 1));
}

/* ---- for an import (service/import.h): the same checks, and the writes inside its transaction */

int work_plan_import_target(struct ctx *c, int64_t plan_id)
{
    struct plan_row p;
    int rc = plan_for_write(c, plan_id, &p, "import items");
    if (rc != SVC_OK)
        return rc;
    if (strcmp(p.status, "draft") != 0)
        return svc_fail(c, SVC_CONFLICT, "err_import_not_draft", "work_plan_id",
                        "work plan %lld is %s: items are imported into a draft only",
                        (long long)plan_id, p.status);
    return SVC_OK;
}

/* The checks of add_body (item_id 0) or of edit_body, nothing written; the revision is
 * op->expected when set (the commit of an import: what its preview saw), else the item's. */
static int check_body(struct ctx *c, struct item_op *op, struct plan_row *p,
                      struct work_item_view *before, struct clean_item *ci)
{
    int rc;
    if (!op->item_id) {
        if ((rc = plan_for_write(c, op->plan_id, p, "add items")) != SVC_OK)
            return rc;
    } else {
        if ((rc = read_one_item(c, op->item_id, before)) != SVC_OK)
            return rc;
        if (before->work_plan_id != op->plan_id)
            return svc_fail(c, SVC_INVALID, "err_import_item_plan", "item_id",
                            "item %lld is not an item of work plan %lld",
                            (long long)op->item_id, (long long)op->plan_id);
        if (!op->expected)
            op->expected = before->revision;
        if ((rc = item_for_write(c, op, p, before)) != SVC_OK)
            return rc;
    }
    return clean_owned_input(c, p, op->in, ci);
}

int work_plan_item_check(struct ctx *c, int64_t plan_id, int64_t item_id,
                         const struct work_item_input *in, bool *same, int64_t *revision)
{
    struct item_op op = {.plan_id = plan_id, .item_id = item_id, .in = in};
    struct plan_row p;
    struct work_item_view before;
    struct clean_item ci;
    if (same)
        *same = false;
    int rc = check_body(c, &op, &p, &before, &ci);
    if (rc == SVC_OK && item_id && same)
        *same = unchanged(c, &before, &ci);
    if (revision)
        *revision = rc == SVC_OK && item_id ? before.revision : 0;
    return rc;
}

int work_plan_item_put_in(struct ctx *c, int64_t plan_id, int64_t item_id, int64_t expected,
                          const struct work_item_input *in, int64_t *id, bool *changed)
{
    assert(db_in_transaction(c->db));
    *changed = false;
    *id = item_id;
    int rc = work_plan_import_target(c, plan_id);
    if (rc != SVC_OK)
        return rc;
    struct item_op op = {.plan_id = plan_id, .item_id = item_id, .expected = expected, .in = in,
                         .out_id = id};
    if (!item_id) {
        *changed = true;
        return add_body(c, &op);
    }
    struct plan_row p;
    struct work_item_view before;
    struct clean_item ci;
    if ((rc = check_body(c, &op, &p, &before, &ci)) != SVC_OK)
        return rc;
    if (unchanged(c, &before, &ci))
        return SVC_OK;
    *changed = true;
    return edit_body(c, &op);
}

int work_plan_item_add(struct ctx *c, int64_t plan_id, const struct work_item_input *in,
                       int64_t *item_id)
{
    if (item_id)
        *item_id = 0;
    struct item_op op = {.plan_id = plan_id, .in = in, .out_id = item_id};
    return run(c, add_body, &op);
}

int work_plan_item_edit(struct ctx *c, int64_t item_id, int64_t expected_revision,
                        const struct work_item_input *in)
{
    struct item_op op = {.item_id = item_id, .expected = expected_revision, .in = in};
    return run(c, edit_body, &op);
}

int work_plan_item_remove(struct ctx *c, int64_t item_id, int64_t expected_revision)
{
    struct item_op op = {.item_id = item_id, .expected = expected_revision};
    return run(c, remove_body, &op);
}

/* ---- submit and approve ------------------------------------------------------------------ */

static int check_revision(struct ctx *c, const struct plan_row *p, int64_t expected)
{
    if (expected && expected != p->revision)
        return svc_fail(c, SVC_STALE, "err_stale", "revision",
                        "work plan %lld is at revision %lld, not %lld", (long long)p->id,
                        (long long)p->revision, (long long)expected);
    return SVC_OK;
}

static int submit_body(struct ctx *c, struct item_op *op)
{
    struct plan_row p;
    int rc = plan_for_write(c, op->plan_id, &p, "submit its work plan");
    if (rc != SVC_OK)
        return rc;
    if ((rc = check_revision(c, &p, op->expected)) != SVC_OK)
        return rc;
    if (strcmp(p.status, "draft") != 0)
        return svc_fail(c, SVC_CONFLICT, "err_plan_not_draft", "status",
                        "work plan %lld is %s, not a draft", (long long)p.id, p.status);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT count(*) FROM work_item WHERE work_plan_id = :id AND removed_at IS NULL");
    db_bind_int64(&st, ":id", p.id);
    rc = db_step(&st);
    int64_t items = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "counting items");
    if (!items)
        return svc_fail(c, SVC_CONFLICT, "err_plan_empty", NULL, "work plan %lld has no items",
                        (long long)p.id);
    const char *now = svc_now(c);
    db_prepare(c->db, &st, "UPDATE work_plan SET status = 'submitted' WHERE id = :id");
    db_bind_int64(&st, ":id", p.id);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "submitting the work plan");
    if ((rc = bump(c, p.id, now)) != SVC_OK)
        return rc;
    if (audit_append(c->db, c->actor, "work_plan.submit", "work_plan", p.id,
                     state_json(c, "draft", 0, p.revision, NULL),
                     state_json(c, "submitted", 0, p.revision + 1, NULL), c->client) < 0)
        return store_failed(c, "writing the audit log");
    /* The other side is told its approval is awaited (both sides after an admin's submit). */
    int side = c->user && c->user->role == ROLE_COORDINATOR ? c->user->side : -1;
    if (notification_plan_submitted(c, p.id, side) < 0)
        return store_failed(c, "telling the other side");
    return SVC_OK;
}

int work_plan_submit(struct ctx *c, int64_t plan_id, int64_t expected_revision)
{
    struct item_op op = {.plan_id = plan_id, .expected = expected_revision};
    return run(c, submit_body, &op);
}

static int approve_body(struct ctx *c, struct item_op *op)
{
    struct plan_row p;
    int rc = load_plan(c, op->plan_id, &p);
    if (rc != SVC_OK)
        return rc;
    if (!c->user)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "an approval records who gave it: act as a user");
    if (!can_write_pairing(c, p.pairing_id) || !owns_side(c, op->side))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only a coordinator of side %d of this pairing may approve for it",
                        op->side);
    if ((rc = check_revision(c, &p, op->expected)) != SVC_OK)
        return rc;
    int bits = approved_sides(c, p.id);
    if (bits < 0)
        return store_failed(c, "reading approvals");
    if (bits & (1 << op->side))
        return svc_fail(c, SVC_CONFLICT, "err_already_approved", NULL,
                        "side %d has approved work plan %lld already", op->side, (long long)p.id);
    if (strcmp(p.status, "submitted") != 0)
        return svc_fail(c, SVC_CONFLICT, "err_plan_not_submitted", "status",
                        "work plan %lld is %s, not submitted", (long long)p.id, p.status);
    /* Dual sign-off takes two people. A coordinator can only approve its own side, but an
     * admin may approve either, so without this one account could agree a plan alone. */
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT count(*) FROM approval WHERE work_plan_id = :w AND side <> :s "
               "AND user_id = :u AND cleared_at IS NULL");
    db_bind_int64(&st, ":w", p.id);
    db_bind_int64(&st, ":s", op->side);
    db_bind_int64(&st, ":u", c->user->id);
    rc = db_step(&st);
    bool other_side_mine = rc == DB_ROW && db_col_int64(&st, 0) > 0;
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading approvals");
    if (other_side_mine)
        return svc_fail(c, SVC_CONFLICT, "err_same_approver", NULL,
                        "you approved the other side of work plan %lld: side %d needs another "
                        "person's approval",
                        (long long)p.id, op->side);
    const char *now = svc_now(c);
    /* the items as approved, for work_plan_changes */
    struct work_item_view *items;
    size_t n_items;
    if ((rc = read_plan_items(c, p.id, &items, &n_items)) != SVC_OK)
        return rc;
    struct sb snap = SB_INIT;
    sb_append(&snap, "[");
    for (size_t i = 0; i < n_items; i++)
        sb_appendf(&snap, "%s%s", i ? "," : "", item_json(c, &items[i]));
    sb_append(&snap, "]");
    db_prepare(c->db, &st,
               "INSERT INTO approval (work_plan_id, side, user_id, at, items) "
               "VALUES (:w, :s, :u, :at, :items)");
    db_bind_int64(&st, ":w", p.id);
    db_bind_int64(&st, ":s", op->side);
    db_bind_int64(&st, ":u", c->user->id);
    db_bind_text(&st, ":at", now);
    db_bind_text(&st, ":items", sb_str(&snap));
    rc = db_step(&st);
    db_finalize(&st);
    sb_free(&snap);
    if (rc < 0)
        return store_failed(c, "recording the approval");
    int now_bits = bits | (1 << op->side);
    const char *status = now_bits == 3 ? "agreed" : "submitted";
    if (now_bits == 3) {
        db_prepare(c->db, &st, "UPDATE work_plan SET status = 'agreed' WHERE id = :id");
        db_bind_int64(&st, ":id", p.id);
        rc = db_step(&st);
        db_finalize(&st);
        if (rc < 0)
            return store_failed(c, "agreeing the work plan");
    }
    if ((rc = bump(c, p.id, now)) != SVC_OK)
        return rc;
    if (audit_append(c->db, c->actor, "work_plan.approve", "work_plan", p.id,
                     state_json(c, p.status, bits, p.revision, NULL),
                     state_json(c, status, now_bits, p.revision + 1, NULL), c->client) < 0)
        return store_failed(c, "writing the audit log");
    if (op->agreed)
        *op->agreed = now_bits == 3;
    return SVC_OK;
}

int work_plan_approve(struct ctx *c, int64_t plan_id, int side, int64_t expected_revision,
                      bool *agreed)
{
    if (agreed)
        *agreed = false;
    if (side != 0 && side != 1)
        return svc_fail(c, SVC_INVALID, "err_range", "side", "side must be 0 or 1");
    struct item_op op = {.plan_id = plan_id, .expected = expected_revision, .side = side,
                         .agreed = agreed};
    return run(c, approve_body, &op);
}

/* ---- what changed since a side last approved ------------------------------------------- */

static void decref(void *j) { json_decref(j); }

/* A unit's name ("" when unknown), for the values of a snapshot, which keeps ids. */
static const char *unit_name_of(struct ctx *c, int64_t id)
{
    struct stmt st;
    db_prepare(c->db, &st, "SELECT name FROM unit WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    const char *name = db_step(&st) == DB_ROW ? svc_col(c, &st, 0) : "";
    db_finalize(&st);
    return name;
}

static const char *task_number_of(struct ctx *c, int64_t id)
{
    if (!id)
        return "";
    struct stmt st;
    db_prepare(c->db, &st, "SELECT number FROM task WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    const char *n = db_step(&st) == DB_ROW
                        ? arena_printf(c->arena, "%lld", (long long)db_col_int64(&st, 0))
                        : "";
    db_finalize(&st);
    return n;
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static void field_change(struct ctx *c, struct work_plan_item_change *ch, size_t *cap,
                         const char *field, const char *before, const char *after)
{
    if (strcmp(before ? before : "", after ? after : "") == 0)
        return;
    struct work_plan_field_change *f = ARRAY_PUSH(c->arena, ch->fields, ch->n_fields, *cap);
    f->field = field;
    f->before = arena_strdup(c->arena, before ? before : "");
    f->after = arena_strdup(c->arena, after ? after : "");
}

int work_plan_changes(struct ctx *c, const struct work_plan_view *v, int side,
                      struct work_plan_changes *out)
{
    memset(out, 0, sizeof *out);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT at, items FROM approval WHERE work_plan_id = :w AND side = :s "
               "AND items IS NOT NULL ORDER BY id DESC LIMIT 1");
    db_bind_int64(&st, ":w", v->id);
    db_bind_int64(&st, ":s", side);
    int rc = db_step(&st);
    const char *at = NULL, *items = NULL;
    if (rc == DB_ROW) {
        at = svc_col(c, &st, 0);
        items = svc_col(c, &st, 1);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading approvals");
    if (!at)
        return SVC_OK;
    json_t *snap = json_loads(items, 0, NULL);
    if (!json_is_array(snap)) {
        json_decref(snap);
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "approval snapshot is not JSON");
    }
    arena_defer(c->arena, decref, snap);
    out->since = at;
    size_t cap = 0, n_snap = json_array_size(snap);
    bool *seen = arena_alloc(c->arena, n_snap + 1);
    for (size_t i = 0; i < v->n_items; i++) {
        const struct work_item_view *it = &v->items[i];
        json_t *was = NULL;
        for (size_t k = 0; k < n_snap && !was; k++) {
            json_t *o = json_array_get(snap, k);
            if (json_integer_value(json_object_get(o, "id")) == it->id) {
                was = o;
                seen[k] = true;
            }
        }
        struct work_plan_item_change ch = {.item_id = it->id, .title = it->title};
        if (!was) {
            ch.kind = "added";
            *(struct work_plan_item_change *)ARRAY_PUSH(c->arena, out->items, out->n_items,
                                                         cap) = ch;
            continue;
        }
        ch.kind = "changed";
        size_t fcap = 0;
        field_change(c, &ch, &fcap, "title", jstr(was, "title"), it->title);
        field_change(c, &ch, &fcap, "task",
                     task_number_of(c, json_integer_value(json_object_get(was, "task_id"))),
                     it->task_id ? arena_printf(c->arena, "%d", it->task_number) : "");
        int64_t owner = json_integer_value(json_object_get(was, "owner_unit_id"));
        if (owner != it->owner.id)
            field_change(c, &ch, &fcap, "owner", unit_name_of(c, owner), it->owner.name);
        struct sb before = SB_INIT, after = SB_INIT;
        json_t *sup = json_object_get(was, "support");
        for (size_t k = 0; k < json_array_size(sup); k++)
            sb_appendf(&before, "%s%s", k ? "、" : "",
                       unit_name_of(c, json_integer_value(json_array_get(sup, k))));
        for (size_t k = 0; k < it->n_support; k++)
            sb_appendf(&after, "%s%s", k ? "、" : "", it->support[k].name);
        field_change(c, &ch, &fcap, "support", sb_str(&before), sb_str(&after));
        sb_free(&before);
        sb_free(&after);
        field_change(c, &ch, &fcap, "indicator", jstr(was, "indicator"), it->indicator);
        field_change(c, &ch, &fcap, "target_value", jstr(was, "target_value"),
                     it->target_value);
        field_change(c, &ch, &fcap, "due", jstr(was, "due"), it->due);
        if (ch.n_fields)
            *(struct work_plan_item_change *)ARRAY_PUSH(c->arena, out->items, out->n_items,
                                                         cap) = ch;
    }
    for (size_t k = 0; k < n_snap; k++) {
        if (seen[k])
            continue;
        json_t *o = json_array_get(snap, k);
        struct work_plan_item_change *ch = ARRAY_PUSH(c->arena, out->items, out->n_items, cap);
        ch->item_id = json_integer_value(json_object_get(o, "id"));
        ch->kind = "removed";
        ch->title = arena_strdup(c->arena, jstr(o, "title"));
    }
    return SVC_OK;
}
