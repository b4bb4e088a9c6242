/* task: a task with its targets, pairings, assignments and work items. Reads only; the
 * assignments and items come from their own services, so their rules (order, lights) are
 * written once. */
#include "service/task.h"

#include <string.h>

#include "core/log.h"
#include "core/mem.h"
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
               "p.version, coalesce(t.area_id, 0), s.marker, s.title "
               "FROM task t JOIN plan p ON p.id = t.plan_id "
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
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the task");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no task %lld",
                        (long long)id);
    if (perm_read_pairing(c, v->pairing_id) != SVC_OK) {
        int64_t pairing = v->pairing_id;
        memset(v, 0, sizeof *v);
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "task %lld is of pairing %lld, not yours", (long long)id,
                        (long long)pairing);
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
