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
    int seen = perm_read_pairing(c, pairing);
    if (seen != SVC_OK) /* another pairing's: as a missing one (perm.h) */
        return seen == SVC_NOT_FOUND ? no_task(c, task_id, 0) : seen;
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
    if (rc != DB_ROW || up != pairing) /* another pairing's unit: as a missing one */
        return svc_fail(c, SVC_INVALID, "err_unit_unknown", field, "there is no unit %lld",
                        (long long)unit);
    if (us != side)
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

/* The checks of one side's new set before anything is written: side, permission, sizes,
 * units. want receives the set with its supports sorted (in c's arena). */
static int check_set(struct ctx *c, int64_t task_id, int side, int64_t lead_unit,
                     const int64_t *support, size_t n_support, struct side_set *want)
{
    if (side != 0 && side != 1)
        return svc_fail(c, SVC_INVALID, "err_range", "side", "side must be 0 or 1");
    int64_t pairing = svc_task_pairing(c, task_id);
    if (pairing <= 0 || perm_see(c, pairing) == SVC_NOT_FOUND) /* another's: as a missing one */
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

    *want = (struct side_set){.lead = lead_unit, .n_support = n_support};
    want->support = arena_alloc(c->arena, (n_support + 1) * sizeof *want->support);
    if (n_support)
        memcpy(want->support, support, n_support * sizeof *support);
    qsort(want->support, n_support, sizeof *want->support, svc_cmp_id);
    for (size_t i = 0; i < n_support; i++)
        if (want->support[i] == lead_unit || (i && want->support[i] == want->support[i - 1]))
            return svc_fail(c, SVC_INVALID, "err_invalid", "support",
                            "unit %lld is named twice", (long long)want->support[i]);
    int rc;
    if (lead_unit && (rc = check_unit(c, lead_unit, pairing, side, "lead_unit_id")) != SVC_OK)
        return rc;
    for (size_t i = 0; i < n_support; i++)
        if ((rc = check_unit(c, want->support[i], pairing, side, "support")) != SVC_OK)
            return rc;
    return SVC_OK;
}

/* In the caller's transaction: 1 when the task's assignments still have the digest expect
 * (or expect is NULL), 0 when they moved on, -1 when the store fails. */
static int still_at(struct ctx *c, int64_t task_id, const char *expect)
{
    if (!expect)
        return 1;
    char now[ASSIGNMENT_DIGEST_LEN + 1];
    if (current_digest(c, task_id, now) < 0)
        return -1;
    return strcmp(now, expect) == 0;
}

/* In the caller's transaction: replaces side's set of the task with want and writes the
 * audit row; a set equal to the stored one writes nothing (*changed false). -1 when the
 * store fails (the caller rolls back). */
static int write_set(struct ctx *c, int64_t task_id, int side, const struct side_set *want,
                     bool *changed)
{
    struct side_set have;
    *changed = false;
    if (read_side(c, task_id, side, &have) < 0)
        return -1;
    if (same_set(&have, want))
        return 0;
    struct stmt st;
    db_prepare(c->db, &st,
               "DELETE FROM assignment WHERE task_id = :t "
               "AND unit_id IN (SELECT id FROM unit WHERE side = :side)");
    db_bind_int64(&st, ":t", task_id);
    db_bind_int64(&st, ":side", side);
    int rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return -1;
    const char *now = svc_now(c);
    if (want->lead && insert_assignment(c, task_id, want->lead, "lead", now) < 0)
        return -1;
    for (size_t i = 0; i < want->n_support; i++)
        if (insert_assignment(c, task_id, want->support[i], "support", now) < 0)
            return -1;
    if (audit_append(c->db, c->actor, "assignment.set", "task", task_id,
                     side_json(c, side, &have), side_json(c, side, want), c->client) < 0)
        return -1;
    *changed = true;
    return 0;
}

int assignment_set_if(struct ctx *c, int64_t task_id, int side, int64_t lead_unit,
                      const int64_t *support, size_t n_support, const char *expect)
{
    struct side_set want;
    int rc = check_set(c, task_id, side, lead_unit, support, n_support, &want);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the database is busy");
    /* Under the write lock: what is compared is what is replaced. */
    int at = still_at(c, task_id, expect);
    if (at < 0)
        goto fail;
    if (at == 0) {
        db_rollback(c->db);
        return svc_fail(c, SVC_STALE, "err_stale", NULL,
                        "the assignments of task %lld changed meanwhile", (long long)task_id);
    }
    bool changed;
    if (write_set(c, task_id, side, &want, &changed) < 0)
        goto fail;
    if (!changed) {
        db_rollback(c->db);
        return SVC_OK;
    }
    if (db_commit(c->db) < 0)
        goto fail;
    return SVC_OK;
fail:
    log_error("assignment set: %s", db_errmsg(c->db));
    db_rollback(c->db);
    return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the database refused the assignment");
}

/* ---- many tasks at once ---------------------------------------------------------------- */

/* Records c's failure in ch and clears it from c, so the next change is checked afresh. */
static void note_failure(struct ctx *c, struct assignment_change *ch, int status)
{
    ch->status = status;
    ch->code = c->code;
    ch->field = c->field;
    c->code = c->field = c->error = NULL;
}

/* Fails c with the first failed change's status, code and field. */
static int first_failure(struct ctx *c, const struct assignment_change *ch, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ch[i].status != SVC_OK)
            return svc_fail(c, ch[i].status, ch[i].code, ch[i].field,
                            "task %lld: the assignments were not saved",
                            (long long)ch[i].task_id);
    return SVC_OK;
}

int assignment_set_many(struct ctx *c, struct assignment_change *ch, size_t n)
{
    if (n > ASSIGNMENT_BATCH_MAX)
        return svc_fail(c, SVC_INVALID, "err_range", NULL, "at most %d tasks at once",
                        ASSIGNMENT_BATCH_MAX);
    struct side_set *want = arena_alloc(c->arena, (n + 1) * sizeof *want);
    bool bad = false;
    for (size_t i = 0; i < n; i++) {
        ch[i].status = SVC_OK;
        ch[i].code = ch[i].field = NULL;
        int rc = check_set(c, ch[i].task_id, ch[i].side, ch[i].lead_unit, ch[i].support,
                           ch[i].n_support, &want[i]);
        if (rc != SVC_OK) {
            note_failure(c, &ch[i], rc);
            bad = true;
        }
    }
    if (bad)
        return first_failure(c, ch, n);
    if (db_begin(c->db) < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the database is busy");
    /* Every version is compared before anything is written, so two changes of one task
     * (its two sides, by an admin) compare against what was read, not against each other. */
    for (size_t i = 0; i < n; i++) {
        int at = still_at(c, ch[i].task_id, ch[i].expect);
        if (at < 0)
            goto fail;
        if (at == 0) {
            svc_fail(c, SVC_STALE, "err_stale", NULL, "task %lld changed meanwhile",
                     (long long)ch[i].task_id);
            note_failure(c, &ch[i], SVC_STALE);
            bad = true;
        }
    }
    if (bad) {
        db_rollback(c->db);
        return first_failure(c, ch, n);
    }
    for (size_t i = 0; i < n; i++) {
        bool changed;
        if (write_set(c, ch[i].task_id, ch[i].side, &want[i], &changed) < 0)
            goto fail;
    }
    if (db_commit(c->db) < 0)
        goto fail;
    return SVC_OK;
fail:
    log_error("assignment set many: %s", db_errmsg(c->db));
    db_rollback(c->db);
    return svc_fail(c, SVC_ERROR, "err_internal", NULL, "the database refused the assignments");
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
        int seen = perm_read_pairing(c, pairing);
        if (seen != SVC_OK)
            return seen == SVC_NOT_FOUND ? no_task(c, task_id, 0) : seen;
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
