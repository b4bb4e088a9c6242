/* task: a task with its targets, pairings, assignments and work items. Reads only; the
 * assignments and items come from their own services, so their rules (order, lights) are
 * written once. */
#include "service/task.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "service/internal.h"
#include "service/perm.h"
#include "service/service.h"
#include "store/db.h"

static const char *col(struct ctx *c, struct stmt *st, int i)
{
    return db_col_is_null(st, i) ? NULL : arena_strdup(c->arena, db_col_text(st, i));
}

static int store_failed(struct ctx *c, const char *what)
{
    log_error("task: %s: %s", what, db_errmsg(c->db));
    return svc_fail(c, SVC_ERROR, "err_internal", NULL, "%s failed", what);
}

int task_get(struct ctx *c, int64_t id, struct task_view *v)
{
    memset(v, 0, sizeof *v);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT t.plan_id, p.pairing_id, t.number, t.title, t.body, p.title, p.status, "
               "p.version, coalesce(t.area_id, 0), s.marker, s.title, g.name_a, g.name_b, "
               "t.damaged "
               "FROM task t JOIN plan p ON p.id = t.plan_id JOIN pairing g ON g.id = p.pairing_id "
               "LEFT JOIN plan_section s ON s.id = t.area_id WHERE t.id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        v->id = id;
        v->plan_id = db_col_int64(&st, 0);
        v->pairing_id = db_col_int64(&st, 1);
        v->number = (int)db_col_int64(&st, 2);
        v->title = col(c, &st, 3);
        v->body = col(c, &st, 4);
        v->plan_title = col(c, &st, 5);
        v->plan_status = col(c, &st, 6);
        v->plan_version = (int)db_col_int64(&st, 7);
        v->area_id = db_col_int64(&st, 8);
        v->area_marker = col(c, &st, 9);
        v->area_title = col(c, &st, 10);
        v->side_name[0] = col(c, &st, 11);
        v->side_name[1] = col(c, &st, 12);
        v->damaged = db_col_int64(&st, 13) != 0;
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the task");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no task %lld",
                        (long long)id);
    if ((rc = perm_read_pairing(c, v->pairing_id)) != SVC_OK) { /* another's: not found */
        memset(v, 0, sizeof *v);
        return rc;
    }

    db_prepare(c->db, &st,
               "SELECT text, min, max, unit, object, per, coalesce(year, 0) FROM target "
               "WHERE task_id = :id ORDER BY id");
    db_bind_int64(&st, ":id", id);
    size_t cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct task_target *t = ARRAY_PUSH(c->arena, v->targets, v->n_targets, cap);
        t->text = col(c, &st, 0);
        t->has_min = !db_col_is_null(&st, 1);
        t->min = db_col_int64(&st, 1);
        t->has_max = !db_col_is_null(&st, 2);
        t->max = db_col_int64(&st, 2);
        t->unit = col(c, &st, 3);
        t->object = col(c, &st, 4);
        t->per = col(c, &st, 5);
        t->year = (int)db_col_int64(&st, 6);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading targets");

    /* Child pairings named under this task's number in any version of the same plan (the
     * lineage), as light_counts groups them. */
    db_prepare(c->db, &st,
               "SELECT g.id, g.kind, g.name_a, g.name_b, g.theme FROM pairing g "
               "JOIN plan gp ON gp.id = g.plan_id JOIN plan tp ON tp.lineage = gp.lineage "
               "WHERE tp.id = :plan AND g.parent_id = :p AND g.task_number = :n "
               "ORDER BY g.id");
    db_bind_int64(&st, ":plan", v->plan_id);
    db_bind_int64(&st, ":p", v->pairing_id);
    db_bind_int64(&st, ":n", v->number);
    cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct task_pairing *g = ARRAY_PUSH(c->arena, v->pairings, v->n_pairings, cap);
        g->id = db_col_int64(&st, 0);
        g->kind = col(c, &st, 1);
        g->a = col(c, &st, 2);
        g->b = col(c, &st, 3);
        g->theme = col(c, &st, 4);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading pairings");

    if ((rc = assignment_list(c, id, &v->assignments, &v->n_assignments)) != SVC_OK)
        return rc;
    return work_plan_task_items(c, id, &v->items, &v->n_items);
}

/* ---- the timeline ---------------------------------------------------------------------- */

static int cmp_id_desc(const void *a, const void *b)
{
    return -svc_cmp_id(a, b);
}

/* The ids of the reports with id < before on the task's live items, newest first: at most
 * limit + 1 from each item through report_item (work_item_id, id), merged. *ids is an arena
 * array. -1 when the store fails. */
static int timeline_ids(struct ctx *c, int64_t task_id, int64_t before, int limit,
                        int64_t **ids, size_t *n)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT id FROM work_item WHERE task_id = :t AND removed_at IS NULL ORDER BY id");
    db_bind_int64(&st, ":t", task_id);
    int64_t *items = NULL;
    size_t n_items = 0, cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW)
        *(int64_t *)ARRAY_PUSH(c->arena, items, n_items, cap) = db_col_int64(&st, 0);
    db_finalize(&st);
    if (rc < 0)
        return -1;
    *ids = NULL;
    *n = 0;
    cap = 0;
    db_prepare(c->db, &st,
               "SELECT id FROM report WHERE work_item_id = :i AND id < :before "
               "ORDER BY id DESC LIMIT :n");
    for (size_t k = 0; k < n_items && rc >= 0; k++) {
        db_reset(&st);
        db_bind_int64(&st, ":i", items[k]);
        db_bind_int64(&st, ":before", before);
        db_bind_int64(&st, ":n", limit + 1);
        while ((rc = db_step(&st)) == DB_ROW)
            *(int64_t *)ARRAY_PUSH(c->arena, *ids, *n, cap) = db_col_int64(&st, 0);
    }
    db_finalize(&st);
    if (rc < 0)
        return -1;
    if (*n)
        qsort(*ids, *n, sizeof **ids, cmp_id_desc);
    return 0;
}

/* Fills e from report id with its item, unit, author and review. -1 when the store fails. */
static int timeline_entry(struct ctx *c, int64_t id, struct task_event *e)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT r.work_item_id, r.unit_id, wp.year, i.title, u.name, su.login, r.period, "
               "r.status, r.at, r.percent, substr(r.narrative, 1, :n), "
               "length(r.narrative) > :n, v.decision, ru.login, v.comment, v.at, "
               "EXISTS (SELECT 1 FROM report n WHERE n.work_item_id = r.work_item_id "
               "AND n.id > r.id AND n.period = r.period), su.name, ru.name "
               "FROM report r JOIN work_item i ON i.id = r.work_item_id "
               "JOIN work_plan wp ON wp.id = i.work_plan_id JOIN unit u ON u.id = r.unit_id "
               "JOIN users su ON su.id = r.submitted_by "
               "LEFT JOIN review v ON v.report_id = r.id "
               "LEFT JOIN users ru ON ru.id = v.reviewer_id WHERE r.id = :id");
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":n", TASK_EXCERPT_CHARS);
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        e->report_id = id;
        e->work_item_id = db_col_int64(&st, 0);
        e->unit_id = db_col_int64(&st, 1);
        e->year = (int)db_col_int64(&st, 2);
        e->item_title = col(c, &st, 3);
        e->unit_name = col(c, &st, 4);
        e->submitted_by_login = col(c, &st, 5);
        e->period = col(c, &st, 6);
        e->status = col(c, &st, 7);
        e->at = col(c, &st, 8);
        e->percent = (int)db_col_int64(&st, 9);
        e->excerpt = col(c, &st, 10);
        e->cut = db_col_int64(&st, 11) != 0;
        e->decision = col(c, &st, 12);
        e->reviewer_login = col(c, &st, 13);
        e->comment = col(c, &st, 14);
        e->reviewed_at = col(c, &st, 15);
        e->superseded = db_col_int64(&st, 16) != 0;
        e->submitted_by_name = col(c, &st, 17);
        e->reviewer_name = col(c, &st, 18);
    }
    db_finalize(&st);
    return rc == DB_ROW ? 0 : -1;
}

int task_timeline(struct ctx *c, int64_t task_id, int64_t before, int limit,
                  struct task_timeline *out)
{
    memset(out, 0, sizeof *out);
    int64_t pairing = svc_task_pairing(c, task_id);
    if (pairing < 0)
        return store_failed(c, "reading the task");
    if (pairing == 0)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no task %lld",
                        (long long)task_id);
    int rc = perm_read_pairing(c, pairing); /* another pairing's: as a missing one */
    if (rc != SVC_OK || (rc = svc_check_limit(c, &limit, TASK_TIMELINE_DEFAULT,
                                              TASK_TIMELINE_MAX)) != SVC_OK)
        return rc;
    if (before < 0)
        return svc_fail(c, SVC_INVALID, "err_range", "before", "before must be a report id");
    int64_t *ids;
    size_t n;
    if (timeline_ids(c, task_id, before ? before : INT64_MAX, limit, &ids, &n) < 0)
        return store_failed(c, "reading the timeline");
    out->more = n > (size_t)limit;
    out->n = out->more ? (size_t)limit : n;
    out->events = arena_alloc(c->arena, (out->n + 1) * sizeof *out->events);
    memset(out->events, 0, (out->n + 1) * sizeof *out->events);
    for (size_t i = 0; i < out->n; i++)
        if (timeline_entry(c, ids[i], &out->events[i]) < 0)
            return store_failed(c, "reading a report");
    out->next_before = out->more ? out->events[out->n - 1].report_id : 0;
    return SVC_OK;
}
