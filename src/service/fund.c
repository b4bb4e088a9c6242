/* fund: the rules of 专项工作经费 and 产业投资基金 (service/fund.h). Each write checks, writes
 * and audits in one transaction; totals are checked inside it, so two allocations made at once
 * cannot together pass a budget. */
#include "service/fund.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/perm.h"
#include "store/audit.h"
#include "store/db.h"

#define YUAN_MAX INT64_C(1000000000000000)

static int store_failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "fund", what);
}

static int check_amount(struct ctx *c, int64_t v, const char *field)
{
    if (v < 0 || v > YUAN_MAX)
        return svc_fail(c, SVC_INVALID, "err_amount", field, "%s must be 0 to 10^15 yuan", field);
    return SVC_OK;
}

/* An optional one-line text (文号, managers): NULL when blank. */
static int check_line(struct ctx *c, const char *in, bool required, const char *field,
                      const char **out)
{
    int rc = svc_check_text(c, in, required, "err_required", FUND_TEXT_MAX, field, out);
    if (rc == SVC_OK && *out && strpbrk(*out, "\r\n\t"))
        return svc_fail(c, SVC_INVALID, "err_invalid", field, "one line");
    return rc;
}

static int audit(struct ctx *c, const char *action, const char *entity, int64_t id,
                 const char *before, const char *after)
{
    return audit_append(c->db, c->actor, action, entity, id, before, after, c->client) < 0 ? -1
                                                                                         : 0;
}

/* ---- reading a year ---------------------------------------------------------------------- */

static int read_allocations(struct ctx *c, struct work_fund *w)
{
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st,
               "SELECT a.id, coalesce(a.work_item_id, 0), coalesce(a.project_id, 0), a.amount, "
               "a.spent, coalesce(i.title, p.name), a.purpose, a.doc_no, a.updated_at FROM "
               "work_fund_allocation a LEFT JOIN work_item i ON i.id = a.work_item_id LEFT JOIN "
               "project p ON p.id = a.project_id WHERE a.fund_id = :f ORDER BY a.id");
    db_bind_int64(&st, ":f", w->id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct fund_allocation *a = ARRAY_PUSH(c->arena, w->allocations, w->n_allocations, cap);
        a->id = db_col_int64(&st, 0);
        a->work_item_id = db_col_int64(&st, 1);
        a->project_id = db_col_int64(&st, 2);
        a->amount = db_col_int64(&st, 3);
        a->spent = db_col_int64(&st, 4);
        a->target = svc_col(c, &st, 5);
        a->purpose = svc_col(c, &st, 6);
        a->doc_no = svc_col(c, &st, 7);
        a->updated_at = svc_col(c, &st, 8);
        w->allocated += a->amount;
        w->spent += a->spent;
    }
    db_finalize(&st);
    return s < 0 ? store_failed(c, "reading the allocations") : SVC_OK;
}

static int read_investments(struct ctx *c, struct industry_fund *f, int year)
{
    char y0[16], y1[16];
    snprintf(y0, sizeof y0, "%04u-01-01", (unsigned)year % 10000u);
    snprintf(y1, sizeof y1, "%04u-12-31", (unsigned)year % 10000u);
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st,
               "SELECT v.id, v.project_id, v.amount, p.name, v.on_date FROM fund_investment v "
               "JOIN project p ON p.id = v.project_id WHERE v.fund_id = :f "
               "ORDER BY v.on_date DESC, v.id DESC");
    db_bind_int64(&st, ":f", f->id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct fund_investment *v = ARRAY_PUSH(c->arena, f->investments, f->n_investments, cap);
        v->id = db_col_int64(&st, 0);
        v->project_id = db_col_int64(&st, 1);
        v->amount = db_col_int64(&st, 2);
        v->project = svc_col(c, &st, 3);
        v->on_date = svc_col(c, &st, 4);
        f->invested += v->amount;
        if (strcmp(v->on_date, y0) >= 0 && strcmp(v->on_date, y1) <= 0)
            f->invested_in_year += v->amount;
    }
    db_finalize(&st);
    return s < 0 ? store_failed(c, "reading the investments") : SVC_OK;
}

int fund_year_get(struct ctx *c, int64_t pairing_id, int year, struct fund_year *out)
{
    memset(out, 0, sizeof *out);
    /* the money is the lead offices' and leaders' business: a member would see there the
     * names of projects it may not open */
    int rc = perm_role_at_least(c, ROLE_COORDINATOR);
    if (rc != SVC_OK)
        return rc;
    if (!pairing_id && !perm_is_admin_user(c))
        pairing_id = c->user->pairing_id;
    rc = perm_read_pairing(c, pairing_id);
    if (rc != SVC_OK)
        return rc;
    if (year < 2000 || year > 2100)
        return svc_fail(c, SVC_INVALID, "err_range", "year", "a year 2000–2100");
    out->pairing_id = pairing_id;
    out->year = year;
    struct stmt st;
    db_prepare(c->db, &st, "SELECT name_a, name_b FROM pairing WHERE id = :p");
    db_bind_int64(&st, ":p", pairing_id);
    if (db_step(&st) == DB_ROW) {
        out->name_a = svc_col(c, &st, 0);
        out->name_b = svc_col(c, &st, 1);
    }
    db_finalize(&st);
    out->sides[0].side = 0;
    out->sides[1].side = 1;
    db_prepare(c->db, &st,
               "SELECT id, side, budget, doc_no, updated_at FROM work_fund "
               "WHERE pairing_id = :p AND year = :y");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", year);
    int s;
    while ((s = db_step(&st)) == DB_ROW) {
        struct work_fund *w = &out->sides[db_col_int64(&st, 1) == 1];
        w->id = db_col_int64(&st, 0);
        w->budget = db_col_int64(&st, 2);
        w->doc_no = svc_col(c, &st, 3);
        w->updated_at = svc_col(c, &st, 4);
    }
    db_finalize(&st);
    if (s < 0)
        return store_failed(c, "reading the work funds");
    for (int k = 0; k < 2; k++)
        if (out->sides[k].id && (rc = read_allocations(c, &out->sides[k])) != SVC_OK)
            return rc;
    size_t cap = 0;
    db_prepare(c->db, &st,
               "SELECT id, name, size, managers, updated_at FROM industry_fund "
               "WHERE pairing_id = :p ORDER BY name_key, id");
    db_bind_int64(&st, ":p", pairing_id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct industry_fund *f = ARRAY_PUSH(c->arena, out->funds, out->n_funds, cap);
        f->id = db_col_int64(&st, 0);
        f->name = svc_col(c, &st, 1);
        f->size = db_col_int64(&st, 2);
        f->managers = svc_col(c, &st, 3);
        f->updated_at = svc_col(c, &st, 4);
    }
    db_finalize(&st);
    if (s < 0)
        return store_failed(c, "reading the industry funds");
    for (size_t i = 0; i < out->n_funds; i++) {
        if ((rc = read_investments(c, &out->funds[i], year)) != SVC_OK)
            return rc;
        out->invested_in_year += out->funds[i].invested_in_year;
    }
    return SVC_OK;
}

/* ---- work funds -------------------------------------------------------------------------- */

int work_fund_set(struct ctx *c, int64_t pairing_id, int side, int year, int64_t budget,
                  const char *doc_no, int64_t *id)
{
    if (!perm_is_admin_user(c)) {
        if (!pairing_id)
            pairing_id = c->user->pairing_id;
        if (side < 0)
            side = c->user->side;
    }
    if (side != 0 && side != 1)
        return svc_fail(c, SVC_INVALID, "err_side", "side", "side is 0 or 1");
    if (!pairing_id || perm_pairing_root(c, pairing_id) != pairing_id)
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing_id",
                        "not a province pairing");
    int rc = perm_manage_side(c, pairing_id, side);
    if (rc != SVC_OK)
        return rc;
    if (year < 2000 || year > 2100)
        return svc_fail(c, SVC_INVALID, "err_range", "year", "a year 2000–2100");
    const char *doc = NULL;
    if ((rc = check_amount(c, budget, "budget_yuan")) != SVC_OK ||
        (rc = check_line(c, doc_no, false, "doc_no", &doc)) != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the transaction");
    struct stmt st;
    int64_t fid = 0, old_budget = -1, allocated = 0;
    const char *old_doc = NULL;
    db_prepare(c->db, &st,
               "SELECT f.id, f.budget, f.doc_no, (SELECT coalesce(sum(a.amount), 0) FROM "
               "work_fund_allocation a WHERE a.fund_id = f.id) FROM work_fund f WHERE "
               "f.pairing_id = :p AND f.year = :y AND f.side = :s");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", year);
    db_bind_int64(&st, ":s", side);
    if (db_step(&st) == DB_ROW) {
        fid = db_col_int64(&st, 0);
        old_budget = db_col_int64(&st, 1);
        old_doc = svc_col(c, &st, 2);
        allocated = db_col_int64(&st, 3);
    }
    db_finalize(&st);
    if (budget < allocated) {
        db_rollback(c->db);
        return svc_fail(c, SVC_INVALID, "err_fund_over_budget", "budget_yuan",
                        "the budget is below what is allocated already");
    }
    const char *now = svc_now(c);
    struct svc_json jb, ja;
    struct jw *wa = svc_json_begin(&ja);
    jw_kint(wa, "pairing_id", pairing_id);
    jw_kint(wa, "side", side);
    jw_kint(wa, "year", year);
    jw_kint(wa, "budget_yuan", budget);
    jw_kstr(wa, "doc_no", doc);
    const char *after = svc_json_end(c, &ja);
    const char *before = NULL;
    if (fid) {
        struct jw *wb = svc_json_begin(&jb);
        jw_kint(wb, "pairing_id", pairing_id);
        jw_kint(wb, "side", side);
        jw_kint(wb, "year", year);
        jw_kint(wb, "budget_yuan", old_budget);
        jw_kstr(wb, "doc_no", old_doc);
        before = svc_json_end(c, &jb);
        if (strcmp(before, after) == 0) {
            db_rollback(c->db);
            if (id)
                *id = fid;
            return SVC_OK;
        }
        db_prepare(c->db, &st,
                   "UPDATE work_fund SET budget = :b, doc_no = :doc, updated_at = :now "
                   "WHERE id = :id");
        db_bind_int64(&st, ":id", fid);
    } else {
        db_prepare(c->db, &st,
                   "INSERT INTO work_fund (pairing_id, side, year, budget, doc_no, created_at, "
                   "updated_at) VALUES (:p, :s, :y, :b, :doc, :now, :now)");
        db_bind_int64(&st, ":p", pairing_id);
        db_bind_int64(&st, ":s", side);
        db_bind_int64(&st, ":y", year);
    }
    db_bind_int64(&st, ":b", budget);
    db_bind_text(&st, ":doc", doc);
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    if (!fid)
        fid = db_last_insert_id(c->db);
    if (s < 0 ||
        audit(c, before ? "work_fund.update" : "work_fund.create", "work_fund", fid, before,
              after) < 0 ||
        db_commit(c->db) < 0) {
        rc = store_failed(c, "storing the budget");
        db_rollback(c->db);
        return rc;
    }
    if (id)
        *id = fid;
    return SVC_OK;
}

/* The work fund's pairing, side, budget and allocated total; SVC_NOT_FOUND when none. */
static int read_fund(struct ctx *c, int64_t fund_id, int64_t *pairing, int *side, int64_t *budget,
                     int64_t *allocated)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT f.pairing_id, f.side, f.budget, (SELECT coalesce(sum(a.amount), 0) FROM "
               "work_fund_allocation a WHERE a.fund_id = f.id) FROM work_fund f WHERE f.id = :f");
    db_bind_int64(&st, ":f", fund_id);
    int s = db_step(&st);
    if (s == DB_ROW) {
        *pairing = db_col_int64(&st, 0);
        *side = (int)db_col_int64(&st, 1);
        *budget = db_col_int64(&st, 2);
        *allocated = db_col_int64(&st, 3);
    }
    db_finalize(&st);
    if (s < 0)
        return store_failed(c, "reading the work fund");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no work fund %lld",
                        (long long)fund_id);
    return SVC_OK;
}

static const char *allocation_json(struct ctx *c, int64_t fund_id,
                                   const struct fund_allocation *a)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "fund_id", fund_id);
    if (a->work_item_id)
        jw_kint(w, "work_item_id", a->work_item_id);
    if (a->project_id)
        jw_kint(w, "project_id", a->project_id);
    if (a->purpose)
        jw_kstr(w, "purpose", a->purpose);
    jw_kint(w, "amount_yuan", a->amount);
    jw_kint(w, "spent_yuan", a->spent);
    jw_kstr(w, "doc_no", a->doc_no);
    return svc_json_end(c, &j);
}

int work_fund_allocate(struct ctx *c, int64_t fund_id, const struct fund_allocation_input *in,
                       int64_t *id)
{
    int64_t pairing = 0, budget = 0, allocated = 0;
    int side = 0;
    struct fund_allocation a = {.work_item_id = in->work_item_id, .project_id = in->project_id,
                                .amount = in->amount, .spent = in->spent < 0 ? 0 : in->spent};
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the transaction");
    int rc = read_fund(c, fund_id, &pairing, &side, &budget, &allocated);
    if (rc == SVC_OK)
        rc = perm_manage_side(c, pairing, side);
    if (rc == SVC_OK && in->work_item_id && in->project_id)
        rc = svc_fail(c, SVC_INVALID, "err_invalid", "project_id",
                      "an allocation goes to a work item or a project, not both");
    if (rc == SVC_OK && in->work_item_id && svc_item_pairing(c, in->work_item_id, true) != pairing)
        rc = svc_fail(c, SVC_INVALID, "err_item_unknown", "work_item_id",
                      "not a work item of this pairing");
    if (rc == SVC_OK && in->project_id &&
        !svc_of_pairing(c, SVC_OF_PAIRING("project", "pairing_id"), in->project_id, pairing))
        rc = svc_fail(c, SVC_INVALID, "err_project_unknown", "project_id",
                      "not a project of this pairing");
    if (rc == SVC_OK)
        rc = check_line(c, in->purpose, !in->work_item_id && !in->project_id, "purpose",
                        &a.purpose);
    if (rc == SVC_OK)
        rc = check_line(c, in->doc_no, true, "doc_no", &a.doc_no);
    if (rc == SVC_OK && (rc = check_amount(c, a.amount, "amount_yuan")) == SVC_OK)
        rc = check_amount(c, a.spent, "spent_yuan");
    if (rc == SVC_OK && allocated + a.amount > budget)
        rc = svc_fail(c, SVC_INVALID, "err_fund_over_budget", "amount_yuan",
                      "the allocations would pass the budget");
    if (rc == SVC_OK && a.spent > a.amount)
        rc = svc_fail(c, SVC_INVALID, "err_fund_overspent", "spent_yuan",
                      "more spent than allocated");
    if (rc != SVC_OK)
        goto done;
    const char *now = svc_now(c);
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO work_fund_allocation (fund_id, work_item_id, project_id, purpose, "
               "amount, spent, doc_no, created_at, updated_at) VALUES (:f, :item, :project, "
               ":purpose, :amount, :spent, :doc, :now, :now)");
    db_bind_int64(&st, ":f", fund_id);
    svc_bind_opt_id(&st, ":item", a.work_item_id);
    svc_bind_opt_id(&st, ":project", a.project_id);
    db_bind_text(&st, ":purpose", a.purpose);
    db_bind_int64(&st, ":amount", a.amount);
    db_bind_int64(&st, ":spent", a.spent);
    db_bind_text(&st, ":doc", a.doc_no);
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    int64_t new_id = db_last_insert_id(c->db);
    if (s < 0 ||
        audit(c, "work_fund_allocation.create", "work_fund_allocation", new_id, NULL,
              allocation_json(c, fund_id, &a)) < 0 ||
        db_commit(c->db) < 0) {
        rc = store_failed(c, "storing the allocation");
        goto done;
    }
    if (id)
        *id = new_id;
done:
    db_rollback(c->db);
    return rc;
}

int work_fund_allocation_edit(struct ctx *c, int64_t id, const struct fund_allocation_input *in)
{
    struct fund_allocation a = {0};
    int64_t fund_id = 0, pairing = 0, budget = 0, allocated = 0;
    int side = 0, rc;
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT fund_id, coalesce(work_item_id, 0), coalesce(project_id, 0), purpose, "
               "amount, spent, doc_no, updated_at FROM work_fund_allocation WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW) {
        fund_id = db_col_int64(&st, 0);
        a.work_item_id = db_col_int64(&st, 1);
        a.project_id = db_col_int64(&st, 2);
        a.purpose = svc_col(c, &st, 3);
        a.amount = db_col_int64(&st, 4);
        a.spent = db_col_int64(&st, 5);
        a.doc_no = svc_col(c, &st, 6);
        a.updated_at = svc_col(c, &st, 7);
    }
    db_finalize(&st);
    rc = s < 0 ? store_failed(c, "reading the allocation")
         : s != DB_ROW ? svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no allocation %lld",
                                  (long long)id)
                       : read_fund(c, fund_id, &pairing, &side, &budget, &allocated);
    if (rc == SVC_OK)
        rc = perm_manage_side(c, pairing, side);
    if (rc == SVC_OK && in->if_updated_at && strcmp(in->if_updated_at, a.updated_at) != 0)
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "the allocation changed meanwhile");
    if (rc != SVC_OK)
        goto done;
    struct fund_allocation b = a;
    if (in->amount >= 0)
        b.amount = in->amount;
    if (in->spent >= 0)
        b.spent = in->spent;
    if (in->doc_no && (rc = check_line(c, in->doc_no, true, "doc_no", &b.doc_no)) != SVC_OK)
        goto done;
    if ((rc = check_amount(c, b.amount, "amount_yuan")) != SVC_OK ||
        (rc = check_amount(c, b.spent, "spent_yuan")) != SVC_OK)
        goto done;
    if (allocated - a.amount + b.amount > budget) {
        rc = svc_fail(c, SVC_INVALID, "err_fund_over_budget", "amount_yuan",
                      "the allocations would pass the budget");
        goto done;
    }
    if (b.spent > b.amount) {
        rc = svc_fail(c, SVC_INVALID, "err_fund_overspent", "spent_yuan",
                      "more spent than allocated");
        goto done;
    }
    const char *before = allocation_json(c, fund_id, &a), *after = allocation_json(c, fund_id, &b);
    if (strcmp(before, after) == 0)
        goto done;
    db_prepare(c->db, &st,
               "UPDATE work_fund_allocation SET amount = :amount, spent = :spent, doc_no = :doc, "
               "updated_at = :now WHERE id = :id AND updated_at = :seen");
    db_bind_int64(&st, ":amount", b.amount);
    db_bind_int64(&st, ":spent", b.spent);
    db_bind_text(&st, ":doc", b.doc_no);
    db_bind_text(&st, ":now", svc_now_after(c, a.updated_at));
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", a.updated_at);
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0 ||
        audit(c, "work_fund_allocation.update", "work_fund_allocation", id, before, after) < 0 ||
        db_commit(c->db) < 0)
        rc = store_failed(c, "updating the allocation");
done:
    db_rollback(c->db);
    return rc;
}

/* ---- industry funds ---------------------------------------------------------------------- */

static int may_write_pairing(struct ctx *c, int64_t pairing)
{
    int rc = perm_see(c, pairing); /* another pairing's fund is not found */
    if (rc != SVC_OK || perm_is_admin_user(c))
        return rc;
    if (c->user->role == ROLE_COORDINATOR)
        return SVC_OK;
    return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "the lead offices record funds");
}

int industry_fund_create(struct ctx *c, int64_t pairing_id, const char *name, int64_t size,
                         const char *managers, int64_t *id)
{
    if (!pairing_id && !perm_is_admin_user(c))
        pairing_id = c->user->pairing_id;
    if (!pairing_id || perm_pairing_root(c, pairing_id) != pairing_id)
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing_id",
                        "not a province pairing");
    int rc = may_write_pairing(c, pairing_id);
    const char *n = NULL, *m = NULL;
    if (rc != SVC_OK || (rc = check_line(c, name, true, "name", &n)) != SVC_OK ||
        (rc = check_line(c, managers, false, "managers", &m)) != SVC_OK ||
        (rc = check_amount(c, size, "size_yuan")) != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO industry_fund (pairing_id, name, name_key, size, managers, "
               "created_at, updated_at) VALUES (:p, :n, :k, :size, :m, :now, :now)");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_text(&st, ":n", n);
    db_bind_text(&st, ":k", text_key(c->arena, n));
    db_bind_int64(&st, ":size", size);
    db_bind_text(&st, ":m", m);
    db_bind_text(&st, ":now", svc_now(c));
    int s = db_step(&st);
    db_finalize(&st);
    if (s == DB_CONSTRAINT) {
        db_rollback(c->db);
        return svc_fail(c, SVC_CONFLICT, "err_exists", "name", "a fund of that name exists");
    }
    int64_t new_id = db_last_insert_id(c->db);
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "pairing_id", pairing_id);
    jw_kstr(w, "name", n);
    jw_kint(w, "size_yuan", size);
    jw_kstr(w, "managers", m);
    const char *after = svc_json_end(c, &j); /* ended whatever follows: it owns a buffer */
    if (s < 0 || audit(c, "industry_fund.create", "industry_fund", new_id, NULL, after) < 0 ||
        db_commit(c->db) < 0) {
        rc = store_failed(c, "storing the fund");
        db_rollback(c->db);
        return rc;
    }
    if (id)
        *id = new_id;
    return SVC_OK;
}

int industry_fund_invest(struct ctx *c, int64_t fund_id, int64_t project_id, int64_t amount,
                         const char *on_date, int64_t *id)
{
    struct stmt st;
    int64_t pairing = 0;
    db_prepare(c->db, &st, "SELECT pairing_id FROM industry_fund WHERE id = :f");
    db_bind_int64(&st, ":f", fund_id);
    if (db_step(&st) == DB_ROW)
        pairing = db_col_int64(&st, 0);
    db_finalize(&st);
    if (!pairing)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no fund %lld",
                        (long long)fund_id);
    int rc = may_write_pairing(c, pairing);
    if (rc != SVC_OK)
        return rc;
    if (!project_id ||
        !svc_of_pairing(c, SVC_OF_PAIRING("project", "pairing_id"), project_id, pairing))
        return svc_fail(c, SVC_INVALID, "err_project_unknown", "project_id",
                        "not a project of this pairing");
    if (amount < 1 || amount > YUAN_MAX)
        return svc_fail(c, SVC_INVALID, "err_amount", "amount_yuan", "1 yuan to 10^15 yuan");
    char today[11], soon[11];
    light_today(today, soon);
    const char *on = on_date && *on_date ? on_date : today;
    if (!clock_parse_date(on, NULL, NULL))
        return svc_fail(c, SVC_INVALID, "err_date", "on_date", "a date YYYY-MM-DD");
    if (strcmp(on, today) > 0)
        return svc_fail(c, SVC_INVALID, "err_date_future", "on_date", "not after today");
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the transaction");
    /* a fund invests no more than its size: checked under the write lock */
    db_prepare(c->db, &st,
               "SELECT f.size - (SELECT coalesce(sum(v.amount), 0) FROM fund_investment v "
               "WHERE v.fund_id = f.id) FROM industry_fund f WHERE f.id = :f");
    db_bind_int64(&st, ":f", fund_id);
    int64_t left = db_step(&st) == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    if (amount > left) {
        db_rollback(c->db);
        return svc_fail(c, SVC_INVALID, "err_fund_over_size", "amount_yuan",
                        "the fund's investments would pass its size");
    }
    db_prepare(c->db, &st,
               "INSERT INTO fund_investment (fund_id, project_id, amount, on_date, created_at) "
               "VALUES (:f, :p, :a, :on, :now)");
    db_bind_int64(&st, ":f", fund_id);
    db_bind_int64(&st, ":p", project_id);
    db_bind_int64(&st, ":a", amount);
    db_bind_text(&st, ":on", on);
    db_bind_text(&st, ":now", svc_now(c));
    int s = db_step(&st);
    db_finalize(&st);
    int64_t new_id = db_last_insert_id(c->db);
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "fund_id", fund_id);
    jw_kint(w, "project_id", project_id);
    jw_kint(w, "amount_yuan", amount);
    jw_kstr(w, "on_date", on);
    const char *after = svc_json_end(c, &j);
    if (s < 0 || audit(c, "fund_investment.create", "fund_investment", new_id, NULL, after) < 0 ||
        db_commit(c->db) < 0) {
        rc = store_failed(c, "storing the investment");
        db_rollback(c->db);
        return rc;
    }
    if (id)
        *id = new_id;
    return SVC_OK;
}
