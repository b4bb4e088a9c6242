/* project_update: 项目进展, the progress updates on a project and their review (the rules are
 * in service/project.h). An update is written once and never changed; its review is a row of
 * its own, written once. Each write and its audit rows are one transaction. */
#include <string.h>

#include "core/mem.h"
#include "service/internal.h"
#include "service/perm.h"
#include "service/project.h"
#include "store/audit.h"
#include "store/db.h"

#define UPDATE_COLUMNS                                                                        \
    "SELECT u.id, u.project_id, coalesce(u.invest_paid, -1), coalesce(u.jobs, -1), n.name, "  \
    "a.login, u.body, u.created_at, coalesce(r.decision, 'pending'), r.comment, ra.login, "   \
    "r.at FROM project_update u LEFT JOIN unit n ON n.id = u.unit_id "                        \
    "LEFT JOIN users a ON a.id = u.user_id "                                                  \
    "LEFT JOIN project_update_review r ON r.update_id = u.id "                                \
    "LEFT JOIN users ra ON ra.id = r.user_id "

static void update_row(struct ctx *c, struct stmt *st, struct project_update_view *v)
{
    v->id = db_col_int64(st, 0);
    v->project_id = db_col_int64(st, 1);
    v->invest_paid = db_col_int64(st, 2);
    v->jobs = db_col_int64(st, 3);
    v->unit_name = svc_col(c, st, 4);
    v->author = svc_col(c, st, 5);
    v->body = svc_col(c, st, 6);
    v->created_at = svc_col(c, st, 7);
    v->state = svc_col(c, st, 8);
    v->comment = svc_col(c, st, 9);
    v->reviewer = svc_col(c, st, 10);
    v->reviewed_at = svc_col(c, st, 11);
}

bool project_may_post_update(struct ctx *c, const struct project_view *v)
{
    if (project_may_write(c, v))
        return true;
    if (!c->user || c->user->role == ROLE_LEADER || c->user->pairing_id != v->pairing_id)
        return false; /* leaders read; they do not report */
    for (size_t i = 0; i < v->n_partners; i++)
        if (v->partners[i].unit_id && v->partners[i].unit_id == c->user->unit_id)
            return true;
    return false;
}

static const char *update_json(struct ctx *c, const struct project_update_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "project_id", v->project_id);
    jw_kstr(w, "body", v->body);
    if (v->invest_paid >= 0)
        jw_kint(w, "invest_paid_yuan", v->invest_paid);
    if (v->jobs >= 0)
        jw_kint(w, "jobs", v->jobs);
    return svc_json_end(c, &j);
}

int project_update_add(struct ctx *c, int64_t project_id, const struct project_update_input *in,
                       int64_t *id)
{
    struct project_view p;
    int rc = project_get(c, project_id, &p);
    if (rc != SVC_OK)
        return rc;
    if (!project_may_post_update(c, &p))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only who takes part in a project reports on it");
    struct project_update_view v = {.project_id = project_id, .invest_paid = -1, .jobs = -1};
    if ((rc = svc_check_text(c, in->body, true, "err_required", PROJECT_UPDATE_MAX, "body",
                             &v.body)) != SVC_OK)
        return rc;
    if (in->invest_paid != -1 && (in->invest_paid < 0 || in->invest_paid > PROJECT_YUAN_MAX))
        return svc_fail(c, SVC_INVALID, "err_amount", "invest_paid_yuan",
                        "the paid-in investment must be 0 to 10^15 yuan");
    if (in->jobs != -1 && (in->jobs < 0 || in->jobs > 100000000))
        return svc_fail(c, SVC_INVALID, "err_range", "jobs", "jobs must be 0 or more");
    v.invest_paid = in->invest_paid;
    v.jobs = in->jobs;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "project", "starting the transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO project_update (project_id, unit_id, user_id, body, invest_paid, jobs, "
               "created_at) VALUES (:p, :unit, :user, :body, :paid, :jobs, :now)");
    db_bind_int64(&st, ":p", project_id);
    svc_bind_opt_id(&st, ":unit", c->user ? c->user->unit_id : 0);
    svc_bind_opt_id(&st, ":user", c->user ? c->user->id : 0);
    db_bind_text(&st, ":body", v.body);
    if (v.invest_paid >= 0)
        db_bind_int64(&st, ":paid", v.invest_paid);
    else
        db_bind_null(&st, ":paid");
    if (v.jobs >= 0)
        db_bind_int64(&st, ":jobs", v.jobs);
    else
        db_bind_null(&st, ":jobs");
    db_bind_text(&st, ":now", svc_now(c));
    int s = db_step(&st);
    db_finalize(&st);
    int64_t new_id = db_last_insert_id(c->db);
    if (s < 0 ||
        audit_append(c->db, c->actor, "project_update.create", "project_update", new_id, NULL,
                     update_json(c, &v), c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "project", "storing the update");
        db_rollback(c->db);
        return rc;
    }
    if (id)
        *id = new_id;
    return SVC_OK;
}

int project_update_list(struct ctx *c, int64_t project_id, struct project_update_view **out,
                        size_t *n)
{
    *out = NULL;
    *n = 0;
    struct project_view p;
    int rc = project_get(c, project_id, &p);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st, UPDATE_COLUMNS "WHERE u.project_id = :p ORDER BY u.id DESC");
    db_bind_int64(&st, ":p", project_id);
    while ((s = db_step(&st)) == DB_ROW)
        update_row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "project", "reading the updates");
    return SVC_OK;
}

/* The update without a permission check. */
static int update_read(struct ctx *c, int64_t id, struct project_update_view *out)
{
    struct stmt st;
    memset(out, 0, sizeof *out);
    db_prepare(c->db, &st, UPDATE_COLUMNS "WHERE u.id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW)
        update_row(c, &st, out);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "project", "reading the update");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no update %lld",
                        (long long)id);
    return SVC_OK;
}

int project_update_get(struct ctx *c, int64_t id, struct project_update_view *out)
{
    int rc = update_read(c, id, out);
    struct project_view p;
    if (rc == SVC_OK)
        rc = project_get(c, out->project_id, &p); /* the project's readers read its updates */
    return rc;
}

int project_update_review(struct ctx *c, int64_t id, bool accept, const char *comment)
{
    struct project_update_view u;
    struct project_view p;
    const char *why = NULL;
    int rc = svc_check_text(c, comment, !accept, "err_comment_required", PROJECT_REASON_MAX,
                            "comment", &why);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "project", "starting the transaction");
    if ((rc = update_read(c, id, &u)) != SVC_OK || (rc = project_get(c, u.project_id, &p)) != SVC_OK)
        goto done;
    if (!project_may_write(c, &p)) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                      "the owning side's lead office reviews a project's updates");
        goto done;
    }
    if (strcmp(u.state, "pending") != 0) {
        rc = svc_fail(c, SVC_CONFLICT, "err_not_pending", NULL, "update %lld was reviewed",
                      (long long)id);
        goto done;
    }
    if (c->user && u.author && strcmp(u.author, c->user->login) == 0) {
        rc = svc_fail(c, SVC_CONFLICT, "err_review_own", NULL,
                      "nobody reviews their own update");
        goto done;
    }
    const char *now = svc_now(c);
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO project_update_review (update_id, decision, comment, user_id, at) "
               "VALUES (:id, :d, :comment, :user, :now)");
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":d", accept ? "accepted" : "returned");
    db_bind_text(&st, ":comment", why);
    svc_bind_opt_id(&st, ":user", c->user ? c->user->id : 0);
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kstr(w, "decision", accept ? "accepted" : "returned");
    if (why)
        jw_kstr(w, "comment", why);
    const char *after = svc_json_end(c, &j);
    if (s < 0 || audit_append(c->db, c->actor, "project_update.review", "project_update", id,
                              NULL, after, c->client) < 0) {
        rc = svc_store_failed(c, "project", "storing the review");
        goto done;
    }
    /* An accepted update's figures become the project's (the stage is changed apart). */
    if (accept && (u.invest_paid >= 0 || u.jobs >= 0)) {
        db_prepare(c->db, &st,
                   "UPDATE project SET invest_paid = coalesce(:paid, invest_paid), jobs = "
                   "coalesce(:jobs, jobs), updated_at = :now WHERE id = :id");
        if (u.invest_paid >= 0)
            db_bind_int64(&st, ":paid", u.invest_paid);
        else
            db_bind_null(&st, ":paid");
        if (u.jobs >= 0)
            db_bind_int64(&st, ":jobs", u.jobs);
        else
            db_bind_null(&st, ":jobs");
        db_bind_text(&st, ":now", svc_now_after(c, p.updated_at));
        db_bind_int64(&st, ":id", p.id);
        s = db_step(&st);
        db_finalize(&st);
        struct svc_json jb, ja;
        struct jw *wb = svc_json_begin(&jb), *wa = svc_json_begin(&ja);
        jw_kint(wb, "invest_paid_yuan", p.invest_paid);
        jw_kint(wa, "invest_paid_yuan", u.invest_paid >= 0 ? u.invest_paid : p.invest_paid);
        if (p.jobs >= 0)
            jw_kint(wb, "jobs", p.jobs);
        if (u.jobs >= 0 || p.jobs >= 0)
            jw_kint(wa, "jobs", u.jobs >= 0 ? u.jobs : p.jobs);
        jw_kint(wa, "from_update", id);
        const char *b = svc_json_end(c, &jb), *a = svc_json_end(c, &ja);
        if (s < 0 || audit_append(c->db, c->actor, "project.update", "project", p.id, b, a,
                                  c->client) < 0) {
            rc = svc_store_failed(c, "project", "applying the update");
            goto done;
        }
    }
    if (db_commit(c->db) < 0)
        rc = svc_store_failed(c, "project", "storing the review");
done:
    db_rollback(c->db);
    return rc;
}
