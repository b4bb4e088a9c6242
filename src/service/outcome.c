/* outcome: what an event produced — 意向 and 签约 between its registered parties — and the
 * step from an outcome to a project (service/event.h). */
#include "service/event.h"

#include <string.h>

#include "core/mem.h"
#include "service/industry.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/perm.h"
#include "service/project.h"
#include "store/audit.h"
#include "store/db.h"

#define OUTCOME_COLUMNS                                                                      \
    "SELECT o.id, o.event_id, o.amount_yuan, coalesce(o.project_id, 0), o.kind, o.title, "  \
    "o.industry, o.description, p.name, p.stage, coalesce(p.invest_contracted, 0), "        \
    "coalesce(p.invest_paid, 0), o.created_at, o.updated_at FROM event_outcome o "          \
    "LEFT JOIN project p ON p.id = o.project_id "

static void row(struct ctx *c, struct stmt *st, struct outcome_view *v)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int64(st, 0);
    v->event_id = db_col_int64(st, 1);
    v->amount_yuan = db_col_int64(st, 2);
    v->project_id = db_col_int64(st, 3);
    v->kind = svc_col(c, st, 4);
    v->title = svc_col(c, st, 5);
    v->industry = svc_col(c, st, 6);
    const struct industry *ind = industry_find(v->industry);
    v->industry_name = ind ? ind->name : NULL;
    v->description = svc_col(c, st, 7);
    v->project_name = svc_col(c, st, 8);
    v->project_stage = svc_col(c, st, 9);
    v->project_contracted = db_col_int64(st, 10);
    v->project_paid = db_col_int64(st, 11);
    v->created_at = svc_col(c, st, 12);
    v->updated_at = svc_col(c, st, 13);
}

static int read_parties(struct ctx *c, struct outcome_view *v)
{
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st,
               "SELECT g.id, g.side, coalesce(g.enterprise_id, 0), coalesce(g.unit_id, 0), "
               "coalesce(en.name, n.name), en.credit_code FROM event_outcome_party op JOIN "
               "registration g ON g.id = op.registration_id LEFT JOIN enterprise en ON en.id = "
               "g.enterprise_id LEFT JOIN unit n ON n.id = g.unit_id WHERE op.outcome_id = :id "
               "ORDER BY op.ordinal");
    db_bind_int64(&st, ":id", v->id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct outcome_party *p = ARRAY_PUSH(c->arena, v->parties, v->n_parties, cap);
        p->registration_id = db_col_int64(&st, 0);
        p->side = (int)db_col_int64(&st, 1);
        p->enterprise_id = db_col_int64(&st, 2);
        p->unit_id = db_col_int64(&st, 3);
        p->name = svc_col(c, &st, 4);
        p->credit_code = svc_col(c, &st, 5);
    }
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "outcome", "reading the parties") : SVC_OK;
}

int outcome_get(struct ctx *c, int64_t id, struct outcome_view *out)
{
    struct stmt st;
    db_prepare(c->db, &st, OUTCOME_COLUMNS "WHERE o.id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW)
        row(c, &st, out);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "outcome", "reading the outcome");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no outcome %lld",
                        (long long)id);
    struct event_view e;
    int rc = event_get(c, out->event_id, &e);
    return rc == SVC_OK ? read_parties(c, out) : rc;
}

int outcome_list(struct ctx *c, int64_t event_id, struct outcome_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct event_view e;
    int rc = event_get(c, event_id, &e);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st, OUTCOME_COLUMNS "WHERE o.event_id = :e ORDER BY o.id");
    db_bind_int64(&st, ":e", event_id);
    while ((s = db_step(&st)) == DB_ROW)
        row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "outcome", "listing outcomes");
    for (size_t i = 0; i < *n; i++)
        if ((rc = read_parties(c, &(*out)[i])) != SVC_OK)
            return rc;
    return SVC_OK;
}

static const char *outcome_json(struct ctx *c, const struct outcome_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "event_id", v->event_id);
    jw_kstr(w, "kind", v->kind);
    jw_kstr(w, "title", v->title);
    jw_kint(w, "amount_yuan", v->amount_yuan);
    jw_kstr(w, "industry", v->industry);
    jw_kstr(w, "description", v->description);
    jw_key(w, "registration_ids");
    jw_arr(w);
    for (size_t i = 0; i < v->n_parties; i++)
        jw_int(w, v->parties[i].registration_id);
    jw_arr_end(w);
    return svc_json_end(c, &j);
}

/* Whether registration id is of the event and holds a seat (registered, or came). */
static int party_ok(struct ctx *c, int64_t event_id, int64_t id, bool *ok)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT 1 FROM registration WHERE id = :id AND event_id = :e AND status = "
               "'registered'");
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":e", event_id);
    int s = db_step(&st);
    db_finalize(&st);
    *ok = s == DB_ROW;
    return s < 0 ? svc_store_failed(c, "outcome", "reading a party") : SVC_OK;
}

int outcome_add(struct ctx *c, int64_t event_id, const struct outcome_input *in, int64_t *id)
{
    struct event_view e;
    struct outcome_view v;
    int rc;
    memset(&v, 0, sizeof v);
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "outcome", "starting the transaction");
    if ((rc = event_get(c, event_id, &e)) != SVC_OK)
        goto done;
    if (!event_may_organise(c, &e)) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "the organisers record outcomes");
        goto done;
    }
    v.event_id = event_id;
    if (!in->kind || (strcmp(in->kind, "intention") != 0 && strcmp(in->kind, "signed") != 0)) {
        rc = svc_fail(c, SVC_INVALID, "err_outcome_kind", "kind", "intention or signed");
        goto done;
    }
    v.kind = in->kind;
    if ((rc = svc_check_text(c, in->title, true, "err_required", OUTCOME_TITLE_MAX, "title",
                             &v.title)) != SVC_OK)
        goto done;
    if (strpbrk(v.title, "\r\n\t")) {
        rc = svc_fail(c, SVC_INVALID, "err_invalid", "title", "a title is one line");
        goto done;
    }
    if ((rc = project_parse_wan(c, in->amount_wan ? in->amount_wan : "", "amount_wan",
                                &v.amount_yuan)) != SVC_OK)
        goto done;
    if (in->industry && in->industry[0]) {
        const struct industry *ind = industry_find(in->industry);
        if (!ind) {
            rc = svc_fail(c, SVC_INVALID, "err_industry_unknown", "industry",
                          "%s is not a GB/T 4754-2017 section or division", in->industry);
            goto done;
        }
        v.industry = ind->code;
    }
    if (in->description &&
        (rc = svc_check_text(c, in->description, false, "err_required", PROJECT_DESCRIPTION_MAX,
                             "description", &v.description)) != SVC_OK)
        goto done;
    if (in->n_parties == 0 || in->n_parties > OUTCOME_PARTIES_MAX) {
        rc = svc_fail(c, SVC_INVALID, "err_outcome_party", "registration_ids",
                      "name 1–%d registered parties", OUTCOME_PARTIES_MAX);
        goto done;
    }
    v.parties = arena_alloc(c->arena, in->n_parties * sizeof *v.parties);
    for (size_t i = 0; i < in->n_parties; i++) {
        bool ok = false, dup = false;
        if ((rc = party_ok(c, event_id, in->registration_ids[i], &ok)) != SVC_OK)
            goto done;
        if (!ok) {
            rc = svc_fail(c, SVC_INVALID, "err_outcome_party", "registration_ids",
                          "registration %lld is not registered at this event",
                          (long long)in->registration_ids[i]);
            goto done;
        }
        for (size_t m = 0; m < v.n_parties; m++)
            dup = dup || v.parties[m].registration_id == in->registration_ids[i];
        if (!dup)
            v.parties[v.n_parties++].registration_id = in->registration_ids[i];
    }
    const char *now = svc_now(c);
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO event_outcome (event_id, kind, title, amount_yuan, industry, "
               "description, created_by, created_at, updated_at) VALUES (:e, :kind, :title, "
               ":amount, :ind, :descr, :by, :now, :now)");
    db_bind_int64(&st, ":e", event_id);
    db_bind_text(&st, ":kind", v.kind);
    db_bind_text(&st, ":title", v.title);
    db_bind_int64(&st, ":amount", v.amount_yuan);
    db_bind_text(&st, ":ind", v.industry);
    db_bind_text(&st, ":descr", v.description);
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    v.id = db_last_insert_id(c->db);
    for (size_t i = 0; s >= 0 && i < v.n_parties; i++) {
        db_prepare(c->db, &st,
                   "INSERT INTO event_outcome_party (outcome_id, ordinal, registration_id) "
                   "VALUES (:o, :i, :g)");
        db_bind_int64(&st, ":o", v.id);
        db_bind_int64(&st, ":i", (int64_t)i);
        db_bind_int64(&st, ":g", v.parties[i].registration_id);
        s = db_step(&st);
        db_finalize(&st);
    }
    if (s < 0 ||
        audit_append(c->db, c->actor, "event_outcome.create", "event_outcome", v.id, NULL,
                     outcome_json(c, &v), c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "outcome", "storing the outcome");
        goto done;
    }
    if (id)
        *id = v.id;
    rc = SVC_OK;
done:
    db_rollback(c->db);
    return rc;
}

int outcome_to_project(struct ctx *c, int64_t id, int64_t *project_id)
{
    struct outcome_view o;
    struct event_view e;
    int rc;
    if ((rc = outcome_get(c, id, &o)) != SVC_OK || (rc = event_get(c, o.event_id, &e)) != SVC_OK)
        return rc;
    if (!event_may_organise(c, &e) || !project_may_create(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "a lead office makes projects of an event's outcomes");
    if (o.project_id)
        return svc_fail(c, SVC_CONFLICT, "err_outcome_project", NULL,
                        "outcome %lld is project %lld already", (long long)id,
                        (long long)o.project_id);
    bool is_signed = strcmp(o.kind, "signed") == 0;
    struct project_partner *pp = arena_alloc(c->arena, (o.n_parties + 1) * sizeof *pp);
    for (size_t i = 0; i < o.n_parties; i++) {
        const struct outcome_party *p = &o.parties[i];
        pp[i] = (struct project_partner){.side = p->side, .unit_id = p->unit_id};
        if (!p->unit_id) {
            pp[i].enterprise = p->name;
            pp[i].credit_code = p->credit_code;
        }
    }
    /* dated the event's first day, or today when the event is still ahead (a stage is never
     * dated in the future) */
    char today[11], soon[11], on[11];
    light_today(today, soon);
    memcpy(on, e.starts, 10);
    on[10] = '\0';
    if (strcmp(on, today) > 0)
        memcpy(on, today, 11);
    struct project_input in = {
        .pairing_id = e.pairing_id,
        .side = perm_is_admin_user(c) ? e.host_side : c->user->side,
        .city_pairing_id = e.n_cities ? e.cities[0].id : 0,
        .platform_id = 0,
        .name = o.title,
        .industry = o.industry ? o.industry : "",
        .description = o.description ? o.description : "",
        .region_code = e.host_region_code ? e.host_region_code : "",
        .invest_planned = is_signed ? 0 : o.amount_yuan,
        .invest_contracted = is_signed ? o.amount_yuan : 0,
        .invest_paid = 0,
        .jobs = -1,
        .major = -1,
        .is_public = -1,
        .stage = is_signed ? "signed" : "negotiating",
        .stage_on = on,
        .set_partners = true,
        .partners = pp,
        .n_partners = o.n_parties,
        .set_tasks = e.task_id != 0,
        .task_ids = &e.task_id,
        .n_tasks = e.task_id ? 1 : 0,
        .origin_event_id = e.id,
        .origin_outcome_id = o.id,
    };
    return project_create(c, &in, project_id);
}
