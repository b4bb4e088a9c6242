/* assignment: lead and support units of a task, set side by side. Each write is one
 * transaction holding the change and its audit row; the side's whole set is written to the
 * audit log before and after, so the log reads as "side 1 of task 7 was {…}, is now {…}". */
#include "service/assignment.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/sb.h"
#include "service/internal.h"
#include "service/perm.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

/* ---- scope: the rules are service/perm.c's; the messages say what was refused --------- */

static bool can_manage_side(struct ctx *c, int64_t pairing_id, int side)
{
    return perm_manage_side(c, pairing_id, side) == SVC_OK;
}

/* ---- reading ---------------------------------------------------------------------------- */

static int no_task(struct ctx *c, int64_t task_id, int64_t pairing)
{
    if (pairing < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the task failed");
    return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "task_id", "there is no task %lld",
                    (long long)task_id);
}

int assignment_list(struct ctx *c, int64_t task_id, struct assignment_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t pairing = svc_task_pairing(c, task_id);
    if (pairing <= 0)
        return no_task(c, task_id, pairing);
    if (!svc_can_read_pairing(c, pairing))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "task %lld is not of your pairing", (long long)task_id);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT a.id, a.unit_id, u.name, u.side, a.role, a.created_at, "
               "coalesce(a.created_by, 0) FROM assignment a JOIN unit u ON u.id = a.unit_id "
               "WHERE a.task_id = :t ORDER BY u.side, a.role, u.name, u.id");
    db_bind_int64(&st, ":t", task_id);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct assignment_view *a = ARRAY_PUSH(c->arena, *out, *n, cap);
        a->id = db_col_int64(&st, 0);
        a->task_id = task_id;
        a->unit_id = db_col_int64(&st, 1);
        a->unit_name = arena_strdup(c->arena, db_col_text(&st, 2));
        a->side = (int)db_col_int64(&st, 3);
        a->role = arena_strdup(c->arena, db_col_text(&st, 4));
        a->created_at = arena_strdup(c->arena, db_col_text(&st, 5));
        a->created_by = db_col_int64(&st, 6);
    }
    db_finalize(&st);
    return rc < 0 ? svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading assignments failed")
                  : SVC_OK;
}

/* ---- one side's set ------------------------------------------------------------------- */

struct side_set {
    int64_t lead;
    int64_t *support;
    size_t n_support, cap;
};

static int read_side(struct ctx *c, int64_t task_id, int side, struct side_set *s)
{
    memset(s, 0, sizeof *s);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT a.unit_id, a.role FROM assignment a JOIN unit u ON u.id = a.unit_id "
               "WHERE a.task_id = :t AND u.side = :side ORDER BY a.unit_id");
    db_bind_int64(&st, ":t", task_id);
    db_bind_int64(&st, ":side", side);
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        if (strcmp(db_col_text(&st, 1), "lead") == 0)
            s->lead = db_col_int64(&st, 0);
        else
            *(int64_t *)ARRAY_PUSH(c->arena, s->support, s->n_support, s->cap) =
                db_col_int64(&st, 0);
    }
    db_finalize(&st);
    return rc < 0 ? -1 : 0;
}

static const char *side_json(struct ctx *c, int side, const struct side_set *s)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "side", side);
    if (s->lead)
        jw_kint(w, "lead", s->lead);
    else
        jw_knull(w, "lead");
    jw_key(w, "support");
    jw_arr(w);
    for (size_t i = 0; i < s->n_support; i++)
        jw_int(w, s->support[i]);
    jw_arr_end(w);
    return svc_json_end(c, &j);
}

static bool same_set(const struct side_set *a, const struct side_set *b)
{
    if (a->lead != b->lead || a->n_support != b->n_support)
        return false;
    for (size_t i = 0; i < a->n_support; i++)
        if (a->support[i] != b->support[i])
            return false;
    return true;
}

/* Checks that unit is of (pairing, side). field names the input for the error. */
static int check_unit(struct ctx *c, int64_t unit, int64_t pairing, int side, const char *field)
{
    struct stmt st;
    db_prepare(c->db, &st, "SELECT pairing_id, side FROM unit WHERE id = :id");
    db_bind_int64(&st, ":id", unit);
    int rc = db_step(&st);
    int64_t up = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    int us = rc == DB_ROW ? (int)db_col_int64(&st, 1) : -1;
    db_finalize(&st);
    if (rc < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading a unit failed");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_INVALID, "err_unit_unknown", field, "there is no unit %lld",
                        (long long)unit);
    if (up != pairing || us != side)
        return svc_fail(c, SVC_FORBIDDEN, "err_other_side", field,
                        "unit %lld is not a unit of side %d of this pairing", (long long)unit,
                        side);
    return SVC_OK;
}

static int insert_assignment(struct ctx *c, int64_t task_id, int64_t unit, const char *role,
                             const char *now)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO assignment (task_id, unit_id, role, created_at, created_by) "
               "VALUES (:t, :u, :role, :at, :by)");
    db_bind_int64(&st, ":t", task_id);
    db_bind_int64(&st, ":u", unit);
    db_bind_text(&st, ":role", role);
    db_bind_text(&st, ":at", now);
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    int rc = db_step(&st);
    db_finalize(&st);
    return rc < 0 ? -1 : 0;
}

/* ---- the version of a task's assignments ---------------------------------------------- */

static int cmp_view_id(const void *a, const void *b)
{
    const struct assignment_view *const *x = a, *const *y = b;
    return ((*x)->id > (*y)->id) - ((*x)->id < (*y)->id);
}

void assignment_digest(const struct assignment_view *a, size_t n,
                       char out[ASSIGNMENT_DIGEST_LEN + 1])
{
    const struct assignment_view **by_id = xmalloc((n + 1) * sizeof *by_id);
    for (size_t i = 0; i < n; i++)
        by_id[i] = &a[i];
    qsort(by_id, n, sizeof *by_id, cmp_view_id);
    struct sha256_ctx h;
    sha256_begin(&h);
    for (size_t i = 0; i < n; i++) {
        const struct assignment_view *v = by_id[i];
        char row[160];
        int len = snprintf(row, sizeof row, "%lld %lld %s %s %lld\n", (long long)v->id,
                           (long long)v->unit_id, v->role ? v->role : "",
                           v->created_at ? v->created_at : "", (long long)v->created_by);
        assert(len > 0 && (size_t)len < sizeof row);
        sha256_add(&h, row, (size_t)len);
    }
    free(by_id);
    char hex[SHA256_HEX_LEN + 1];
    sha256_end_hex(&h, hex);
    memcpy(out, hex, ASSIGNMENT_DIGEST_LEN);
    out[ASSIGNMENT_DIGEST_LEN] = '\0';
}

/* The digest of the task's assignment rows as stored now (in the caller's transaction).
 * -1 when the store fails. */
static int current_digest(struct ctx *c, int64_t task_id, char out[ASSIGNMENT_DIGEST_LEN + 1])
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT id, unit_id, role, created_at, coalesce(created_by, 0) FROM assignment "
               "WHERE task_id = :t ORDER BY id");
    db_bind_int64(&st, ":t", task_id);
    struct assignment_view *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct assignment_view *v = ARRAY_PUSH(c->arena, rows, n, cap);
        memset(v, 0, sizeof *v);
        v->id = db_col_int64(&st, 0);
        v->unit_id = db_col_int64(&st, 1);
        v->role = arena_strdup(c->arena, db_col_text(&st, 2));
        v->created_at = arena_strdup(c->arena, db_col_text(&st, 3));
        v->created_by = db_col_int64(&st, 4);
    }
    db_finalize(&st);
    if (rc < 0)
        return -1;
    assignment_digest(rows, n, out);
    return 0;
}

int assignment_set(struct ctx *c, int64_t task_id, int side, int64_t lead_unit,
                   const int64_t *support, size_t n_support)
{
    return assignment_set_if(c, task_id, side, lead_unit, support, n_support, NULL);
}

int assignment_set_if(struct ctx *c, int64_t task_id, int side, int64_t lead_unit,
                      const int64_t *support, size_t n_support, const char *expect)
{
    if (side != 0 && side != 1)
        return svc_fail(c, SVC_INVALID, "err_range", "side", "side must be 0 or 1");
    int64_t pairing = svc_task_pairing(c, task_id);
    if (pairing <= 0)
        return no_task(c, task_id, pairing);
    if (!can_manage_side(c, pairing, side))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only a coordinator of side %d of this pairing may assign its units",
                        side);
    if (n_support > ASSIGNMENT_MAX_SUPPORT)
        return svc_fail(c, SVC_INVALID, "err_range", "support",
                        "at most %d support units per side", ASSIGNMENT_MAX_SUPPORT);
    if (!lead_unit && n_support)
        return svc_fail(c, SVC_INVALID, "err_required", "lead_unit_id",
                        "support units need a lead unit");

    struct side_set want = {.lead = lead_unit, .n_support = n_support};
    want.support = arena_alloc(c->arena, (n_support + 1) * sizeof *want.support);
    if (n_support)
        memcpy(want.support, support, n_support * sizeof *support);
    qsort(want.support, n_support, sizeof *want.support, svc_cmp_id);
    for (size_t i = 0; i < n_support; i++)
        if (want.support[i] == lead_unit || (i && want.support[i] == want.support[i - 1]))
            return svc_fail(c, SVC_INVALID, "err_invalid", "support",
                            "unit %lld is named twice", (long long)want.support[i]);
    int rc;
    if (lead_unit && (rc = check_unit(c, lead_unit, pairing, side, "lead_unit_id")) != SVC_OK)
        return rc;
    for (size_t i = 0; i < n_support; i++)
        if ((rc = check_unit(c, want.support[i], pairing, side, "support")) != SVC_OK)
            return rc;

    if (db_begin(c->db) < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the database is busy");
    if (expect) {
        /* Under the write lock: what is compared is what is replaced. */
        char now[ASSIGNMENT_DIGEST_LEN + 1];
        if (current_digest(c, task_id, now) < 0)
            goto fail;
        if (strcmp(now, expect) != 0) {
            db_rollback(c->db);
            return svc_fail(c, SVC_STALE, "err_stale", NULL,
                            "the assignments of task %lld changed meanwhile",
                            (long long)task_id);
        }
    }
    struct side_set have;
    if (read_side(c, task_id, side, &have) < 0)
        goto fail;
    if (same_set(&have, &want)) {
        db_rollback(c->db);
        return SVC_OK;
    }
    struct stmt st;
    db_prepare(c->db, &st,
               "DELETE FROM assignment WHERE task_id = :t "
               "AND unit_id IN (SELECT id FROM unit WHERE side = :side)");
    db_bind_int64(&st, ":t", task_id);
    db_bind_int64(&st, ":side", side);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        goto fail;
    const char *now = svc_now(c);
    if (lead_unit && insert_assignment(c, task_id, lead_unit, "lead", now) < 0)
        goto fail;
    for (size_t i = 0; i < n_support; i++)
        if (insert_assignment(c, task_id, want.support[i], "support", now) < 0)
            goto fail;
    if (audit_append(c->db, c->actor, "assignment.set", "task", task_id,
                     side_json(c, side, &have), side_json(c, side, &want), c->client) < 0)
        goto fail;
    if (db_commit(c->db) < 0)
        goto fail;
    return SVC_OK;
fail:
    log_error("assignment set: %s", db_errmsg(c->db));
    db_rollback(c->db);
    return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the database refused the assignment");
}

int assignment_remove(struct ctx *c, int64_t task_id, int64_t unit_id)
{
    int64_t pairing = svc_task_pairing(c, task_id);
    if (pairing <= 0)
        return no_task(c, task_id, pairing);
    if (db_begin(c->db) < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the database is busy");
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT u.side FROM assignment a JOIN unit u ON u.id = a.unit_id "
               "WHERE a.task_id = :t AND a.unit_id = :u");
    db_bind_int64(&st, ":t", task_id);
    db_bind_int64(&st, ":u", unit_id);
    int rc = db_step(&st);
    int side = rc == DB_ROW ? (int)db_col_int64(&st, 0) : -1;
    db_finalize(&st);
    if (rc < 0)
        goto fail;
    if (rc != DB_ROW) {
        db_rollback(c->db);
        /* Do not tell a stranger to the pairing whether the assignment exists. */
        if (!svc_can_read_pairing(c, pairing))
            return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                            "task %lld is not of your pairing", (long long)task_id);
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "unit_id",
                        "unit %lld has no assignment on task %lld", (long long)unit_id,
                        (long long)task_id);
    }
    if (!can_manage_side(c, pairing, side)) {
        db_rollback(c->db);
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only a coordinator of side %d of this pairing may change its units",
                        side);
    }
    struct side_set before, after;
    if (read_side(c, task_id, side, &before) < 0)
        goto fail;
    db_prepare(c->db, &st, "DELETE FROM assignment WHERE task_id = :t AND unit_id = :u");
    db_bind_int64(&st, ":t", task_id);
    db_bind_int64(&st, ":u", unit_id);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0 || read_side(c, task_id, side, &after) < 0)
        goto fail;
    if (audit_append(c->db, c->actor, "assignment.remove", "task", task_id,
                     side_json(c, side, &before), side_json(c, side, &after), c->client) < 0)
        goto fail;
    if (db_commit(c->db) < 0)
        goto fail;
    return SVC_OK;
fail:
    log_error("assignment remove: %s", db_errmsg(c->db));
    db_rollback(c->db);
    return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the database refused the change");
}
