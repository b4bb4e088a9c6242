/* project: the rules of 合作项目 (service/project.h says who may do what). Each write reads
 * the project, checks permission and input, and writes it, its lists and its audit row in one
 * transaction; the UPDATE names the updated_at it read, so a change made in between is
 * refused, never overwritten from an older copy. */
#include "service/project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/credit_code.h"
#include "core/mem.h"
#include "core/money.h"
#include "core/text.h"
#include "service/industry.h"
#include "service/internal.h"
#include "service/notification.h"
#include "service/light.h"
#include "service/perm.h"
#include "service/region.h"
#include "store/audit.h"
#include "store/db.h"

static const char *const stage_names[STAGE_N] = {"negotiating", "signed", "started",
                                                 "operating", "stopped"};

const char *project_stage_name(enum project_stage s)
{
    return (unsigned)s < STAGE_N ? stage_names[s] : NULL;
}

enum project_stage project_stage_from(const char *name)
{
    for (int i = 0; name && i < STAGE_N; i++)
        if (strcmp(name, stage_names[i]) == 0)
            return (enum project_stage)i;
    return STAGE_N;
}

/* ---- reading ---------------------------------------------------------------------------- */

#define PROJECT_COLUMNS                                                                       \
    "SELECT p.id, p.pairing_id, p.side, coalesce(p.city_pairing_id, 0), pa.name_a, pa.name_b, " \
    "cp.name_a, cp.name_b, p.name, p.industry, r.code, r.name, p.description, p.stage, "     \
    "p.stage_on, p.signed_on, p.invest_planned, p.invest_contracted, p.invest_paid, "        \
    "coalesce(p.jobs, -1), p.major, p.public, u.login, p.created_at, p.updated_at, "         \
    "coalesce(p.platform_id, 0), pf.name, coalesce(p.origin_event_id, 0) "                    \
    "FROM project p JOIN pairing pa ON pa.id = p.pairing_id "                                 \
    "LEFT JOIN platform pf ON pf.id = p.platform_id "                                          \
    "LEFT JOIN pairing cp ON cp.id = p.city_pairing_id "                                      \
    "LEFT JOIN region r ON r.id = p.region_id LEFT JOIN users u ON u.id = p.created_by "

static void project_row(struct ctx *c, struct stmt *st, struct project_view *v)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int64(st, 0);
    v->pairing_id = db_col_int64(st, 1);
    v->side = (int)db_col_int64(st, 2);
    v->city_pairing_id = db_col_int64(st, 3);
    v->name_a = svc_col(c, st, 4);
    v->name_b = svc_col(c, st, 5);
    v->city_a = svc_col(c, st, 6);
    v->city_b = svc_col(c, st, 7);
    v->name = svc_col(c, st, 8);
    v->industry = svc_col(c, st, 9);
    const struct industry *ind = industry_find(v->industry);
    v->industry_name = ind ? ind->name : NULL;
    v->region_code = svc_col(c, st, 10);
    v->region_name = svc_col(c, st, 11);
    v->description = svc_col(c, st, 12);
    v->stage = svc_col(c, st, 13);
    v->stage_on = svc_col(c, st, 14);
    v->signed_on = svc_col(c, st, 15);
    v->invest_planned = db_col_int64(st, 16);
    v->invest_contracted = db_col_int64(st, 17);
    v->invest_paid = db_col_int64(st, 18);
    v->jobs = db_col_int64(st, 19);
    v->major = db_col_int64(st, 20) != 0;
    v->is_public = db_col_int64(st, 21) != 0;
    v->created_by = svc_col(c, st, 22);
    v->created_at = svc_col(c, st, 23);
    v->updated_at = svc_col(c, st, 24);
    v->platform_id = db_col_int64(st, 25);
    v->platform_name = svc_col(c, st, 26);
    v->origin_event_id = db_col_int64(st, 27);
}

/* Partners and tasks of v; with stages, the stage history too. */
static int read_lists(struct ctx *c, struct project_view *v, bool stages)
{
    struct stmt st;
    int s;
    size_t cap = 0;
    db_prepare(c->db, &st,
               "SELECT pp.side, coalesce(pp.unit_id, 0), pp.enterprise, pp.credit_code, n.name "
               "FROM project_partner pp LEFT JOIN unit n ON n.id = pp.unit_id "
               "WHERE pp.project_id = :id ORDER BY pp.ordinal");
    db_bind_int64(&st, ":id", v->id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct project_partner *pt = ARRAY_PUSH(c->arena, v->partners, v->n_partners, cap);
        pt->side = (int)db_col_int64(&st, 0);
        pt->unit_id = db_col_int64(&st, 1);
        pt->enterprise = svc_col(c, &st, 2);
        pt->credit_code = svc_col(c, &st, 3);
        pt->unit_name = svc_col(c, &st, 4);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "project", "reading the partners");
    cap = 0;
    size_t cap_n = 0, cap_t = 0, nn = 0, nt = 0;
    db_prepare(c->db, &st,
               "SELECT pt.task_id, t.number, t.title FROM project_task pt "
               "JOIN task t ON t.id = pt.task_id WHERE pt.project_id = :id ORDER BY pt.task_id");
    db_bind_int64(&st, ":id", v->id);
    while ((s = db_step(&st)) == DB_ROW) {
        *(int64_t *)ARRAY_PUSH(c->arena, v->task_ids, v->n_tasks, cap) = db_col_int64(&st, 0);
        *(int *)ARRAY_PUSH(c->arena, v->task_numbers, nn, cap_n) = (int)db_col_int64(&st, 1);
        *(const char **)ARRAY_PUSH(c->arena, v->task_titles, nt, cap_t) = svc_col(c, &st, 2);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "project", "reading the tasks");
    if (!stages)
        return SVC_OK;
    cap = 0;
    db_prepare(c->db, &st,
               "SELECT s.stage, s.on_date, s.reason, u.login, s.at FROM project_stage s "
               "LEFT JOIN users u ON u.id = s.user_id WHERE s.project_id = :id ORDER BY s.id");
    db_bind_int64(&st, ":id", v->id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct project_stage_change *h = ARRAY_PUSH(c->arena, v->stages, v->n_stages, cap);
        h->stage = svc_col(c, &st, 0);
        h->on_date = svc_col(c, &st, 1);
        h->reason = svc_col(c, &st, 2);
        h->by = svc_col(c, &st, 3);
        h->at = svc_col(c, &st, 4);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "project", "reading the stages");
    return SVC_OK;
}

/* The project, checked only for its pairing (another pairing's is not found, perm.h):
 * SVC_OK, SVC_NOT_FOUND or SVC_ERROR. */
static int project_read(struct ctx *c, int64_t id, struct project_view *out, bool stages)
{
    struct stmt st;
    memset(out, 0, sizeof *out);
    db_prepare(c->db, &st, PROJECT_COLUMNS "WHERE p.id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW)
        project_row(c, &st, out);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "project", "reading the project");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no project %lld",
                        (long long)id);
    int rc = perm_see(c, out->pairing_id);
    return rc != SVC_OK ? rc : read_lists(c, out, stages);
}

static bool may_read(struct ctx *c, const struct project_view *v)
{
    if (perm_is_admin_user(c))
        return true;
    if (!c->user || c->user->pairing_id != v->pairing_id)
        return false;
    if (c->user->role >= ROLE_COORDINATOR)
        return true;
    for (size_t i = 0; i < v->n_partners; i++)
        if (v->partners[i].unit_id && v->partners[i].unit_id == c->user->unit_id)
            return true;
    return false;
}

bool project_may_create(const struct ctx *c)
{
    return perm_is_admin_user(c) || c->user->role == ROLE_COORDINATOR;
}

bool project_may_write(struct ctx *c, const struct project_view *v)
{
    if (perm_is_admin_user(c))
        return true;
    return c->user->role == ROLE_COORDINATOR && c->user->pairing_id == v->pairing_id &&
           c->user->side == v->side;
}

int project_get(struct ctx *c, int64_t id, struct project_view *out)
{
    int rc = project_read(c, id, out, true);
    if (rc == SVC_OK && !may_read(c, out))
        /* Another pairing's project, or one a member takes no part in: refused as every
         * object of another scope is (perm.h). */
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "project %lld is not yours to read",
                      (long long)id);
    return rc;
}

/* ---- the audit row ---------------------------------------------------------------------- */

static void json_opt_str(struct jw *w, const char *k, const char *v)
{
    if (v)
        jw_kstr(w, k, v);
    else
        jw_knull(w, k);
}

static const char *project_json(struct ctx *c, const struct project_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kint(w, "side", v->side);
    if (v->city_pairing_id)
        jw_kint(w, "city_pairing_id", v->city_pairing_id);
    else
        jw_knull(w, "city_pairing_id");
    jw_kstr(w, "name", v->name);
    if (v->platform_id)
        jw_kint(w, "platform_id", v->platform_id);
    json_opt_str(w, "industry", v->industry);
    json_opt_str(w, "region_code", v->region_code);
    jw_kstr(w, "stage", v->stage);
    jw_kstr(w, "stage_on", v->stage_on);
    json_opt_str(w, "signed_on", v->signed_on);
    jw_kint(w, "invest_planned_yuan", v->invest_planned);
    jw_kint(w, "invest_contracted_yuan", v->invest_contracted);
    jw_kint(w, "invest_paid_yuan", v->invest_paid);
    if (v->jobs >= 0)
        jw_kint(w, "jobs", v->jobs);
    else
        jw_knull(w, "jobs");
    json_opt_str(w, "description", v->description);
    jw_kbool(w, "major", v->major);
    jw_kbool(w, "public", v->is_public);
    if (v->origin_event_id)
        jw_kint(w, "origin_event_id", v->origin_event_id);
    jw_key(w, "partners");
    jw_arr(w);
    for (size_t i = 0; i < v->n_partners; i++) {
        const struct project_partner *pt = &v->partners[i];
        jw_obj(w);
        jw_kint(w, "side", pt->side);
        if (pt->unit_id)
            jw_kint(w, "unit_id", pt->unit_id);
        else
            jw_kstr(w, "enterprise", pt->enterprise);
        if (pt->credit_code)
            jw_kstr(w, "credit_code", pt->credit_code);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "task_ids");
    jw_arr(w);
    for (size_t i = 0; i < v->n_tasks; i++)
        jw_int(w, v->task_ids[i]);
    jw_arr_end(w);
    return svc_json_end(c, &j);
}

/* ---- checking input --------------------------------------------------------------------- */

static void today(char out[11])
{
    char soon[11];
    light_today(out, soon);
}

int project_parse_wan(struct ctx *c, const char *text, const char *field, int64_t *yuan)
{
    switch (money_parse_wan(text ? text : "", yuan)) {
    case MONEY_OK:
        return SVC_OK;
    case MONEY_EMPTY:
        *yuan = 0;
        return SVC_OK;
    case MONEY_NEGATIVE:
        return svc_fail(c, SVC_INVALID, "err_amount_negative", field, "%s is negative", field);
    case MONEY_TOO_PRECISE:
        return svc_fail(c, SVC_INVALID, "err_amount_decimals", field,
                        "%s has more than 4 decimals in 万元", field);
    case MONEY_TOO_LARGE:
        return svc_fail(c, SVC_INVALID, "err_amount", field, "%s is beyond 10^11 万元", field);
    default:
        return svc_fail(c, SVC_INVALID, "err_amount_number", field, "%s is not a number",
                        field);
    }
}

static int check_amount(struct ctx *c, int64_t in, const char *field, int64_t *out)
{
    if (in == -1)
        return SVC_OK;
    if (in < 0 || in > PROJECT_YUAN_MAX)
        return svc_fail(c, SVC_INVALID, "err_amount", field,
                        "%s must be 0 to 10^15 yuan", field);
    *out = in;
    return SVC_OK;
}

static int64_t major_threshold(struct ctx *c, int64_t pairing_id)
{
    struct stmt st;
    db_prepare(c->db, &st, "SELECT major_project_yuan FROM pairing WHERE id = :p");
    db_bind_int64(&st, ":p", pairing_id);
    int64_t t = db_step(&st) == DB_ROW ? db_col_int64(&st, 0) : 100000000;
    db_finalize(&st);
    return t;
}

int project_major_threshold(struct ctx *c, int64_t pairing_id, int64_t *yuan)
{
    int rc = perm_read_pairing(c, pairing_id);
    if (rc == SVC_OK)
        *yuan = major_threshold(c, pairing_id);
    return rc;
}

int project_set_major_threshold(struct ctx *c, int64_t pairing_id, int64_t yuan)
{
    int rc = perm_is_admin(c);
    if (rc != SVC_OK)
        return rc;
    if (!pairing_id || perm_pairing_root(c, pairing_id) != pairing_id)
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing_id",
                        "pairing %lld is not a province pairing", (long long)pairing_id);
    if ((rc = check_amount(c, yuan, "major_project_yuan", &yuan)) != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "project", "starting the transaction");
    int64_t old = major_threshold(c, pairing_id);
    struct stmt st;
    db_prepare(c->db, &st, "UPDATE pairing SET major_project_yuan = :y WHERE id = :p");
    db_bind_int64(&st, ":y", yuan);
    db_bind_int64(&st, ":p", pairing_id);
    int s = db_step(&st);
    db_finalize(&st);
    const char *before = arena_printf(c->arena, "{\"major_project_yuan\":%lld}", (long long)old);
    const char *after = arena_printf(c->arena, "{\"major_project_yuan\":%lld}", (long long)yuan);
    if (s < 0 ||
        audit_append(c->db, c->actor, "pairing.major_threshold", "pairing", pairing_id, before,
                     after, c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "project", "setting the threshold");
        db_rollback(c->db);
    }
    return rc;
}

static int check_partners(struct ctx *c, const struct project_input *in, struct project_view *v)
{
    if (in->n_partners > PROJECT_PARTNERS_MAX)
        return svc_fail(c, SVC_INVALID, "err_range", "partners", "at most %d partners",
                        PROJECT_PARTNERS_MAX);
    struct project_partner *out = in->n_partners
                                      ? arena_alloc(c->arena, in->n_partners * sizeof *out)
                                      : NULL;
    for (size_t i = 0; i < in->n_partners; i++) {
        const struct project_partner *p = &in->partners[i];
        struct project_partner *o = &out[i];
        memset(o, 0, sizeof *o);
        const char *field = arena_printf(c->arena, "partners[%zu]", i);
        if (p->side != 0 && p->side != 1)
            return svc_fail(c, SVC_INVALID, "err_side", field, "a partner's side is 0 or 1");
        o->side = p->side;
        if (p->unit_id) {
            int64_t pairing = 0;
            int side = -1;
            if (p->enterprise)
                return svc_fail(c, SVC_INVALID, "err_invalid", field,
                                "a partner is a unit or an enterprise, not both");
            int rc = perm_unit_scope(c, p->unit_id, &pairing, &side);
            if (rc == SVC_NOT_FOUND || (rc == SVC_OK && (pairing != v->pairing_id ||
                                                         side != p->side)))
                return svc_fail(c, SVC_INVALID, "err_unit_unknown",
                                arena_printf(c->arena, "partners[%zu].unit_id", i),
                                "unit %lld is not a unit of that side of the pairing",
                                (long long)p->unit_id);
            if (rc != SVC_OK)
                return rc;
            o->unit_id = p->unit_id;
            continue;
        }
        int rc = svc_check_text(c, p->enterprise, true, "err_required", PROJECT_NAME_MAX,
                                arena_printf(c->arena, "partners[%zu].enterprise", i),
                                &o->enterprise);
        if (rc != SVC_OK)
            return rc;
        if (p->credit_code && p->credit_code[0]) {
            char code[19];
            if (!credit_code_normalise(p->credit_code, code) || !credit_code_valid(code))
                return svc_fail(c, SVC_INVALID, "err_credit_code",
                                arena_printf(c->arena, "partners[%zu].credit_code", i),
                                "%s is not a valid unified social credit code",
                                p->credit_code);
            o->credit_code = arena_strdup(c->arena, code);
        }
    }
    v->partners = out;
    v->n_partners = in->n_partners;
    return SVC_OK;
}

static int check_tasks(struct ctx *c, const struct project_input *in, struct project_view *v)
{
    if (in->n_tasks > PROJECT_TASKS_MAX)
        return svc_fail(c, SVC_INVALID, "err_range", "task_ids", "at most %d tasks",
                        PROJECT_TASKS_MAX);
    int64_t *ids = in->n_tasks ? arena_alloc(c->arena, in->n_tasks * sizeof *ids) : NULL;
    size_t n = 0;
    for (size_t i = 0; i < in->n_tasks; i++) {
        int64_t pairing = svc_task_pairing(c, in->task_ids[i]);
        if (pairing < 0)
            return svc_store_failed(c, "project", "reading a task");
        if (pairing != v->pairing_id)
            return svc_fail(c, SVC_INVALID, "err_task_unknown", "task_ids",
                            "task %lld is not a task of the pairing's plans",
                            (long long)in->task_ids[i]);
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup = dup || ids[k] == in->task_ids[i];
        if (!dup)
            ids[n++] = in->task_ids[i];
    }
    if (n > 1)
        qsort(ids, n, sizeof *ids, svc_cmp_id);
    v->task_ids = ids;
    v->n_tasks = n;
    return SVC_OK;
}

/* Applies in to v (create: v holds the defaults), checking every field. */
static int check_input(struct ctx *c, const struct project_input *in, bool create,
                       struct project_view *v)
{
    int rc;
    if (create || in->name) {
        if ((rc = svc_check_text(c, in->name, true, "err_required", PROJECT_NAME_MAX, "name",
                                 &v->name)) != SVC_OK)
            return rc;
        if (strpbrk(v->name, "\r\n\t"))
            return svc_fail(c, SVC_INVALID, "err_invalid", "name", "a name is one line");
    }
    if (in->industry) {
        const struct industry *ind = NULL;
        if (in->industry[0] && !(ind = industry_find(in->industry)))
            return svc_fail(c, SVC_INVALID, "err_industry_unknown", "industry",
                            "%s is not a GB/T 4754-2017 section or division", in->industry);
        v->industry = ind ? ind->code : NULL;
        v->industry_name = ind ? ind->name : NULL;
    }
    if (in->region_code) {
        v->region_code = NULL;
        if (in->region_code[0]) {
            if (!region_id(c, in->region_code))
                return svc_fail(c, SVC_INVALID, "err_region_unknown", "region_code",
                                "there is no region %s", in->region_code);
            v->region_code = arena_strdup(c->arena, in->region_code);
        }
    }
    if (in->city_pairing_id > 0 && !svc_of_pairing(c, SVC_OF_PAIRING("pairing", "parent_id"),
                                                   in->city_pairing_id, v->pairing_id))
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "city_pairing_id",
                        "pairing %lld is not a city pairing of this pairing",
                        (long long)in->city_pairing_id);
    if (in->city_pairing_id >= 0)
        v->city_pairing_id = in->city_pairing_id;
    if (in->platform_id > 0 && !svc_of_pairing(c, SVC_OF_PAIRING("platform", "pairing_id"),
                                               in->platform_id, v->pairing_id))
        return svc_fail(c, SVC_INVALID, "err_platform_unknown", "platform_id",
                        "platform %lld is not a platform of this pairing",
                        (long long)in->platform_id);
    if (in->platform_id >= 0)
        v->platform_id = in->platform_id;
    if (in->description) {
        if ((rc = svc_check_text(c, in->description, false, "err_required",
                                 PROJECT_DESCRIPTION_MAX, "description", &v->description)) !=
            SVC_OK)
            return rc;
    }
    if ((rc = check_amount(c, in->invest_planned, "invest_planned_yuan", &v->invest_planned)) ||
        (rc = check_amount(c, in->invest_contracted, "invest_contracted_yuan",
                           &v->invest_contracted)) ||
        (rc = check_amount(c, in->invest_paid, "invest_paid_yuan", &v->invest_paid)))
        return rc;
    if (in->jobs == -2)
        v->jobs = -1;
    else if (in->jobs != -1) {
        if (in->jobs < 0 || in->jobs > 100000000)
            return svc_fail(c, SVC_INVALID, "err_range", "jobs", "jobs must be 0 or more");
        v->jobs = in->jobs;
    }
    if (in->is_public == 0 || in->is_public == 1)
        v->is_public = in->is_public;
    if (in->major == 0 || in->major == 1)
        v->major = in->major;
    if ((create || in->set_partners) && (rc = check_partners(c, in, v)) != SVC_OK)
        return rc;
    if ((create || in->set_tasks) && (rc = check_tasks(c, in, v)) != SVC_OK)
        return rc;
    /* A project is major by a coordinator's word, and only at the pairing's threshold. */
    if (v->major && v->invest_contracted < major_threshold(c, v->pairing_id))
        return svc_fail(c, SVC_INVALID, "err_project_major", "major",
                        "a major project's contracted investment reaches the threshold");
    return SVC_OK;
}

/* ---- writing ---------------------------------------------------------------------------- */

static void bind_fields(struct ctx *c, struct stmt *st, const struct project_view *v)
{
    db_bind_text(st, ":name", v->name);
    db_bind_text(st, ":key", text_key(c->arena, v->name));
    db_bind_text(st, ":ind", v->industry);
    const struct industry *ind = industry_find(v->industry);
    db_bind_text(st, ":sec", ind ? ind->section : NULL);
    svc_bind_opt_id(st, ":city", v->city_pairing_id);
    svc_bind_opt_id(st, ":platform", v->platform_id);
    svc_bind_opt_id(st, ":region", v->region_code ? region_id(c, v->region_code) : 0);
    db_bind_text(st, ":descr", v->description);
    db_bind_int64(st, ":planned", v->invest_planned);
    db_bind_int64(st, ":contracted", v->invest_contracted);
    db_bind_int64(st, ":paid", v->invest_paid);
    if (v->jobs >= 0)
        db_bind_int64(st, ":jobs", v->jobs);
    else
        db_bind_null(st, ":jobs");
    db_bind_int64(st, ":major", v->major);
    db_bind_int64(st, ":public", v->is_public);
}

static int write_lists(struct ctx *c, const struct project_view *v)
{
    struct stmt st;
    int s = 0;
    db_prepare(c->db, &st, "DELETE FROM project_partner WHERE project_id = :id");
    db_bind_int64(&st, ":id", v->id);
    s = db_step(&st);
    db_finalize(&st);
    for (size_t i = 0; s >= 0 && i < v->n_partners; i++) {
        const struct project_partner *p = &v->partners[i];
        db_prepare(c->db, &st,
                   "INSERT INTO project_partner (project_id, ordinal, side, unit_id, "
                   "enterprise, credit_code) VALUES (:id, :o, :side, :unit, :ent, :code)");
        db_bind_int64(&st, ":id", v->id);
        db_bind_int64(&st, ":o", (int64_t)i + 1);
        db_bind_int64(&st, ":side", p->side);
        svc_bind_opt_id(&st, ":unit", p->unit_id);
        db_bind_text(&st, ":ent", p->unit_id ? NULL : p->enterprise);
        db_bind_text(&st, ":code", p->unit_id ? NULL : p->credit_code);
        s = db_step(&st);
        db_finalize(&st);
    }
    if (s >= 0) {
        db_prepare(c->db, &st, "DELETE FROM project_task WHERE project_id = :id");
        db_bind_int64(&st, ":id", v->id);
        s = db_step(&st);
        db_finalize(&st);
    }
    for (size_t i = 0; s >= 0 && i < v->n_tasks; i++) {
        db_prepare(c->db, &st, "INSERT INTO project_task (project_id, task_id) VALUES (:id, :t)");
        db_bind_int64(&st, ":id", v->id);
        db_bind_int64(&st, ":t", v->task_ids[i]);
        s = db_step(&st);
        db_finalize(&st);
    }
    return s < 0 ? -1 : 0;
}

static int add_stage_row(struct ctx *c, int64_t id, const char *stage, const char *on_date,
                         const char *reason, const char *now)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO project_stage (project_id, stage, on_date, reason, user_id, at) "
               "VALUES (:id, :stage, :on, :reason, :by, :now)");
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":stage", stage);
    db_bind_text(&st, ":on", on_date);
    db_bind_text(&st, ":reason", reason);
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    return s < 0 ? -1 : 0;
}

/* A stage date: YYYY-MM-DD, not after today; NULL or "" is today. Into out[11]. */
static int check_stage_date(struct ctx *c, const char *in, char out[11])
{
    char now[11];
    today(now);
    if (!in || !in[0]) {
        memcpy(out, now, 11);
        return SVC_OK;
    }
    if (!clock_parse_date(in, NULL, NULL))
        return svc_fail(c, SVC_INVALID, "err_date", "on_date", "\"%s\" is not a date YYYY-MM-DD",
                        in);
    if (strcmp(in, now) > 0)
        return svc_fail(c, SVC_INVALID, "err_date_future", "on_date",
                        "%s is after today (%s)", in, now);
    memcpy(out, in, 11);
    return SVC_OK;
}

/* The checks of project_create, nothing written: *v the project as it would be. */
static int create_check(struct ctx *c, const struct project_input *in, struct project_view *v)
{
    memset(v, 0, sizeof *v);
    v->jobs = -1;
    if (!project_may_create(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only a lead office records projects");
    v->pairing_id = in->pairing_id;
    v->side = in->side;
    if (!perm_is_admin_user(c)) {
        if (!v->pairing_id)
            v->pairing_id = c->user->pairing_id;
        if (v->side < 0)
            v->side = c->user->side;
    }
    if (v->side != 0 && v->side != 1)
        return svc_fail(c, SVC_INVALID, "err_side", "side", "side is 0 or 1");
    if (!v->pairing_id || perm_pairing_root(c, v->pairing_id) != v->pairing_id)
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing_id",
                        "pairing %lld is not a province pairing", (long long)v->pairing_id);
    int rc = perm_manage_side(c, v->pairing_id, v->side);
    if (rc != SVC_OK)
        return rc;
    enum project_stage stage = in->stage && in->stage[0] ? project_stage_from(in->stage)
                                                         : STAGE_NEGOTIATING;
    if (stage == STAGE_N || stage == STAGE_STOPPED)
        return svc_fail(c, SVC_INVALID, "err_project_stage", "stage",
                        "a new project is negotiating, signed, started or operating");
    char on[11];
    if ((rc = check_stage_date(c, in->stage_on, on)) != SVC_OK) {
        c->field = "stage_on";
        return rc;
    }
    if ((rc = check_input(c, in, true, v)) != SVC_OK)
        return rc;
    v->stage = project_stage_name(stage);
    v->stage_on = arena_strdup(c->arena, on);
    v->signed_on = stage >= STAGE_SIGNED ? v->stage_on : NULL;
    v->origin_event_id = in->origin_event_id;
    return SVC_OK;
}

/* Stores the checked project v inside the caller's transaction. */
static int create_write(struct ctx *c, const struct project_input *in, struct project_view *v)
{
    const char *now = svc_now(c);
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO project (pairing_id, side, city_pairing_id, platform_id, name, name_key, "
               "industry, industry_section, region_id, stage, stage_on, signed_on, "
               "invest_planned, invest_contracted, invest_paid, jobs, description, major, "
               "public, created_by, created_at, updated_at, origin_event_id) VALUES (:p, :side, "
               ":city, :platform, :name, :key, :ind, :sec, :region, :stage, :on, :signed, "
               ":planned, :contracted, :paid, :jobs, :descr, :major, :public, :by, :now, :now, "
               ":origin)");
    db_bind_int64(&st, ":p", v->pairing_id);
    db_bind_int64(&st, ":side", v->side);
    bind_fields(c, &st, v);
    db_bind_text(&st, ":stage", v->stage);
    db_bind_text(&st, ":on", v->stage_on);
    db_bind_text(&st, ":signed", v->signed_on);
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    db_bind_text(&st, ":now", now);
    svc_bind_opt_id(&st, ":origin", in->origin_event_id);
    int s = db_step(&st);
    db_finalize(&st);
    v->id = db_last_insert_id(c->db);
    if (s >= 0 && in->origin_outcome_id) {
        /* the outcome takes this project only if it has none: two clicks make one project */
        db_prepare(c->db, &st,
                   "UPDATE event_outcome SET project_id = :id, updated_at = :now WHERE id = :o "
                   "AND project_id IS NULL");
        db_bind_int64(&st, ":id", v->id);
        db_bind_text(&st, ":now", now);
        db_bind_int64(&st, ":o", in->origin_outcome_id);
        s = db_step(&st);
        db_finalize(&st);
        if (s >= 0 && db_changes(c->db) != 1)
            return svc_fail(c, SVC_CONFLICT, "err_outcome_project", NULL,
                            "outcome %lld has a project already",
                            (long long)in->origin_outcome_id);
        if (s >= 0 && audit_append(c->db, c->actor, "event_outcome.project", "event_outcome",
                                   in->origin_outcome_id, "{\"project_id\":null}",
                                   arena_printf(c->arena, "{\"project_id\":%lld}",
                                                (long long)v->id),
                                   c->client) < 0)
            s = -1;
    }
    if (s < 0 || write_lists(c, v) < 0 ||
        add_stage_row(c, v->id, v->stage, v->stage_on, NULL, now) < 0 ||
        audit_append(c->db, c->actor, "project.create", "project", v->id, NULL,
                     project_json(c, v), c->client) < 0)
        return svc_store_failed(c, "project", "storing the project");
    return SVC_OK;
}

int project_create(struct ctx *c, const struct project_input *in, int64_t *id)
{
    struct project_view v;
    int rc = create_check(c, in, &v);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "project", "starting the transaction");
    if ((rc = create_write(c, in, &v)) == SVC_OK && db_commit(c->db) < 0)
        rc = svc_store_failed(c, "project", "storing the project");
    db_rollback(c->db); /* a no-op after the commit */
    if (rc == SVC_OK && id)
        *id = v.id;
    return rc;
}

/* Reads the project for a write in the open transaction: not found for who may not read it,
 * forbidden for a reader who may not write it, stale when it changed since if_updated_at. */
static int read_for_write(struct ctx *c, int64_t id, const char *if_updated_at,
                          struct project_view *old)
{
    int rc = project_read(c, id, old, false);
    if (rc != SVC_OK)
        return rc;
    if (!project_may_write(c, old))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only the owning side's lead office edits a project");
    if (if_updated_at && strcmp(if_updated_at, old->updated_at) != 0)
        return svc_fail(c, SVC_STALE, "err_stale", NULL, "project %lld changed meanwhile",
                        (long long)id);
    return SVC_OK;
}

/* An edit inside the caller's transaction (with write false: its checks only). *changed
 * says whether the project would change (an edit that changes nothing writes nothing). */
static int edit_in(struct ctx *c, int64_t id, const struct project_input *in, bool write,
                   bool *changed)
{
    struct project_view old, v;
    int rc;
    *changed = false;
    if ((rc = read_for_write(c, id, in->if_updated_at, &old)) != SVC_OK)
        return rc;
    v = old;
    if ((rc = check_input(c, in, false, &v)) != SVC_OK)
        return rc;
    const char *before = project_json(c, &old), *after = project_json(c, &v);
    if (strcmp(before, after) == 0)
        return SVC_OK; /* nothing changes: no write, no audit row */
    *changed = true;
    if (!write)
        return SVC_OK;
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE project SET name = :name, name_key = :key, industry = :ind, "
               "industry_section = :sec, city_pairing_id = :city, platform_id = :platform, "
               "region_id = :region, "
               "description = :descr, invest_planned = :planned, invest_contracted = "
               ":contracted, invest_paid = :paid, jobs = :jobs, major = :major, public = "
               ":public, updated_at = :now WHERE id = :id AND updated_at = :seen");
    bind_fields(c, &st, &v);
    db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", old.updated_at);
    int s = db_step(&st);
    db_finalize(&st);
    if (s >= 0 && db_changes(c->db) == 0)
        return svc_fail(c, SVC_STALE, "err_stale", NULL, "project %lld changed meanwhile",
                        (long long)id);
    if (s < 0 || ((in->set_partners || in->set_tasks) && write_lists(c, &v) < 0) ||
        audit_append(c->db, c->actor, "project.update", "project", id, before, after,
                     c->client) < 0)
        return svc_store_failed(c, "project", "updating the project");
    return SVC_OK;
}

int project_edit(struct ctx *c, int64_t id, const struct project_input *in)
{
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "project", "starting the transaction");
    bool changed;
    int rc = edit_in(c, id, in, true, &changed);
    if (rc == SVC_OK && changed && db_commit(c->db) < 0)
        rc = svc_store_failed(c, "project", "updating the project");
    db_rollback(c->db); /* a no-op after the commit */
    return rc;
}

int project_check(struct ctx *c, int64_t id, const struct project_input *in, bool *changed)
{
    if (!id) {
        struct project_view v;
        *changed = true;
        return create_check(c, in, &v);
    }
    return edit_in(c, id, in, false, changed);
}

int project_put_in(struct ctx *c, int64_t id, const struct project_input *in, int64_t *out_id,
                   bool *changed)
{
    *out_id = id;
    if (id)
        return edit_in(c, id, in, true, changed);
    struct project_view v;
    *changed = true;
    int rc = create_check(c, in, &v);
    if (rc == SVC_OK && (rc = create_write(c, in, &v)) == SVC_OK)
        *out_id = v.id;
    return rc;
}

int project_set_stage(struct ctx *c, int64_t id, const char *stage, const char *on_date,
                      const char *reason, const char *if_updated_at)
{
    struct project_view old, v;
    int rc;
    enum project_stage to = project_stage_from(stage);
    if (!stage || !stage[0])
        return svc_fail(c, SVC_INVALID, "err_required", "stage", "stage is required");
    if (to == STAGE_N)
        return svc_fail(c, SVC_INVALID, "err_project_stage", "stage", "unknown stage %s",
                        stage);
    char on[11];
    if ((rc = check_stage_date(c, on_date, on)) != SVC_OK)
        return rc;
    const char *why = NULL;
    if ((rc = svc_check_text(c, reason, false, "err_required", PROJECT_REASON_MAX, "reason",
                             &why)) != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "project", "starting the transaction");
    if ((rc = read_for_write(c, id, if_updated_at, &old)) != SVC_OK)
        goto done;
    enum project_stage from = project_stage_from(old.stage);
    if (to == from) {
        rc = svc_fail(c, SVC_CONFLICT, "err_project_stage_same", "stage",
                      "the project is already at stage %s", stage);
        goto done;
    }
    if (from != STAGE_STOPPED && to != STAGE_STOPPED && to < from) {
        rc = svc_fail(c, SVC_CONFLICT, "err_project_stage_back", "stage",
                      "a project's stage does not go back (%s to %s)", old.stage, stage);
        goto done;
    }
    if ((from == STAGE_STOPPED || to == STAGE_STOPPED) && !why) {
        rc = svc_fail(c, SVC_INVALID, "err_project_reason", "reason",
                      "stopping a project, or resuming it, needs a reason");
        goto done;
    }
    if (strcmp(on, old.stage_on) < 0) {
        rc = svc_fail(c, SVC_INVALID, "err_project_date_order", "on_date",
                      "%s is before the current stage's date %s", on, old.stage_on);
        goto done;
    }
    v = old;
    v.stage = project_stage_name(to);
    v.stage_on = on;
    if (!v.signed_on && to >= STAGE_SIGNED && to != STAGE_STOPPED)
        v.signed_on = on;
    const char *now = svc_now_after(c, old.updated_at);
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE project SET stage = :stage, stage_on = :on, signed_on = :signed, "
               "updated_at = :now WHERE id = :id AND updated_at = :seen");
    db_bind_text(&st, ":stage", v.stage);
    db_bind_text(&st, ":on", v.stage_on);
    db_bind_text(&st, ":signed", v.signed_on);
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", old.updated_at);
    int s = db_step(&st);
    db_finalize(&st);
    if (s >= 0 && db_changes(c->db) == 0) {
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "project %lld changed meanwhile",
                      (long long)id);
        goto done;
    }
    if (s < 0 || add_stage_row(c, id, v.stage, v.stage_on, why, now) < 0 ||
        notification_project_stage(c, id, v.stage, db_last_insert_id(c->db)) < 0 ||
        audit_append(c->db, c->actor, "project.stage", "project", id, project_json(c, &old),
                     project_json(c, &v), c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = svc_store_failed(c, "project", "changing the stage");
done:
    db_rollback(c->db);
    return rc;
}

/* ---- lists ------------------------------------------------------------------------------ */

/* Reads the rows of a prepared list statement (limit + 1 asked for), with their lists. */
static int read_page(struct ctx *c, struct stmt *st, int limit, bool lists,
                     struct project_view **out, size_t *n, int64_t *next_after)
{
    struct project_view *v = arena_alloc(c->arena, (size_t)(limit + 1) * sizeof *v);
    size_t k = 0;
    int s;
    while ((s = db_step(st)) == DB_ROW && k < (size_t)limit + 1)
        project_row(c, st, &v[k++]);
    db_finalize(st);
    if (s < 0)
        return svc_store_failed(c, "project", "listing projects");
    *next_after = 0;
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next_after = v[k - 1].id;
    }
    for (size_t i = 0; lists && i < k; i++)
        if (read_lists(c, &v[i], false) != SVC_OK)
            return SVC_ERROR;
    *out = v;
    *n = k;
    return SVC_OK;
}

int project_list(struct ctx *c, const struct project_filter *f, int64_t after, int limit,
                 struct project_view **out, size_t *n, int64_t *next_after)
{
    int rc;
    *out = NULL;
    *n = 0;
    *next_after = 0;
    if ((rc = svc_check_limit(c, &limit, PROJECT_PAGE_DEFAULT, PROJECT_PAGE_MAX)) != SVC_OK)
        return rc;
    /* the lists are for the signed in (the public one is project_list_public) */
    if ((rc = perm_role_at_least(c, ROLE_MEMBER)) != SVC_OK)
        return rc;
    int64_t pairing = f->pairing_id;
    if (!pairing && !perm_is_admin_user(c))
        pairing = c->user->pairing_id;
    if (pairing && (rc = perm_read_pairing(c, pairing)) != SVC_OK)
        return rc;
    if (f->stage && project_stage_from(f->stage) == STAGE_N)
        return svc_fail(c, SVC_INVALID, "err_project_stage", "stage", "unknown stage %s",
                        f->stage);
    if (f->industry && !industry_find(f->industry))
        return svc_fail(c, SVC_INVALID, "err_industry_unknown", "industry",
                        "%s is not a GB/T 4754-2017 section or division", f->industry);
    /* A member sees the projects its unit takes part in. */
    int64_t unit = (!perm_is_admin_user(c) && c->user->role < ROLE_COORDINATOR)
                       ? c->user->unit_id
                       : 0;
    int64_t after_invest = 0;
    if (after && f->by_investment) {
        struct stmt a;
        /* the cursor's amount, of a project in the list's own scope only */
        db_prepare(c->db, &a, "SELECT invest_contracted FROM project WHERE id = :id "
                              "AND (:p = 0 OR pairing_id = :p)");
        db_bind_int64(&a, ":id", after);
        db_bind_int64(&a, ":p", pairing);
        if (db_step(&a) == DB_ROW)
            after_invest = db_col_int64(&a, 0);
        db_finalize(&a);
    }
    char y0[11] = "", y1[11] = "";
    if (f->year) {
        snprintf(y0, sizeof y0, "%04u-01-01", (unsigned)f->year % 10000u);
        snprintf(y1, sizeof y1, "%04u-12-31", (unsigned)f->year % 10000u);
    }
    /* The pairing is an equality of its own (not ":p = 0 OR …", which no index serves): the
     * list reads its pairing's rows through project_pairing, whatever the table's size. */
#define PROJECT_FILTERS                                                                       \
    "AND (:city = 0 OR p.city_pairing_id = :city) AND (:side < 0 OR p.side = :side) "        \
    "AND (:stage IS NULL OR p.stage = :stage) AND (:ind IS NULL OR p.industry = :ind OR "    \
    "p.industry_section = :ind) AND (:y0 IS NULL OR (p.signed_on >= :y0 AND p.signed_on <= " \
    ":y1)) AND (:major < 0 OR p.major = :major) AND (:pf = 0 OR p.platform_id = :pf) "       \
    "AND (:task = 0 OR EXISTS (SELECT 1 FROM project_task pt WHERE pt.project_id = p.id AND " \
    "pt.task_id = :task)) AND (:unit = 0 OR EXISTS (SELECT 1 FROM project_partner pp WHERE " \
    "pp.project_id = p.id AND pp.unit_id = :unit)) "
#define PROJECT_BY_INVESTMENT                                                                 \
    "AND (:after = 0 OR p.invest_contracted < :ainv OR (p.invest_contracted = :ainv AND "    \
    "p.id < :after)) ORDER BY p.invest_contracted DESC, p.id DESC LIMIT :lim"
#define PROJECT_NEWEST "AND (:after = 0 OR p.id < :after) ORDER BY p.id DESC LIMIT :lim"
    static const char *const sql[2][2] = {
        /* every pairing (an admin's list) */
        {PROJECT_COLUMNS "WHERE :p = 0 " PROJECT_FILTERS PROJECT_NEWEST,
         PROJECT_COLUMNS "WHERE :p = 0 " PROJECT_FILTERS PROJECT_BY_INVESTMENT},
        /* one pairing */
        {PROJECT_COLUMNS "WHERE p.pairing_id = :p " PROJECT_FILTERS PROJECT_NEWEST,
         PROJECT_COLUMNS "WHERE p.pairing_id = :p " PROJECT_FILTERS PROJECT_BY_INVESTMENT},
    };
    struct stmt st;
    db_prepare(c->db, &st, sql[pairing != 0][f->by_investment]);
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":city", f->city_pairing_id);
    db_bind_int64(&st, ":side", f->side);
    db_bind_text(&st, ":stage", f->stage);
    db_bind_text(&st, ":ind", f->industry);
    db_bind_text(&st, ":y0", f->year ? y0 : NULL);
    db_bind_text(&st, ":y1", f->year ? y1 : NULL);
    db_bind_int64(&st, ":major", f->major);
    db_bind_int64(&st, ":task", f->task_id);
    db_bind_int64(&st, ":pf", f->platform_id);
    db_bind_int64(&st, ":unit", unit);
    db_bind_int64(&st, ":after", after);
    if (f->by_investment)
        db_bind_int64(&st, ":ainv", after_invest);
    db_bind_int64(&st, ":lim", limit + 1);
    return read_page(c, &st, limit, true, out, n, next_after);
}

int project_list_public(struct ctx *c, int64_t after, int limit, struct project_view **out,
                        size_t *n, int64_t *next_after)
{
    int rc;
    *out = NULL;
    *n = 0;
    *next_after = 0;
    if ((rc = svc_check_limit(c, &limit, PROJECT_PAGE_DEFAULT, PROJECT_PAGE_MAX)) != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st,
               PROJECT_COLUMNS "WHERE p.public = 1 AND (:after = 0 OR p.id < :after) "
                               "ORDER BY p.id DESC LIMIT :lim");
    db_bind_int64(&st, ":after", after);
    db_bind_int64(&st, ":lim", limit + 1);
    if ((rc = read_page(c, &st, limit, true, out, n, next_after)) != SVC_OK)
        return rc;
    /* Only what the portal shows leaves here: name, partners, industry, stage, investment. */
    for (size_t i = 0; i < *n; i++) {
        struct project_view *v = &(*out)[i];
        v->description = NULL;
        v->created_by = NULL;
        v->jobs = -1;
        v->n_tasks = 0;
        v->region_code = v->region_name = NULL;
        v->platform_id = 0;
        v->platform_name = NULL;
        v->origin_event_id = 0;
        v->city_pairing_id = 0;
        v->city_a = v->city_b = NULL;
        v->signed_on = NULL;
        v->major = false;
        for (size_t k = 0; k < v->n_partners; k++)
            v->partners[k].credit_code = NULL;
    }
    return SVC_OK;
}

int project_totals(struct ctx *c, int64_t pairing_id, int year, struct project_totals *out)
{
    memset(out, 0, sizeof *out);
    int rc = perm_read_pairing(c, pairing_id);
    if (rc != SVC_OK)
        return rc;
    char y0[11], y1[11];
    snprintf(y0, sizeof y0, "%04u-01-01", (unsigned)year % 10000u);
    snprintf(y1, sizeof y1, "%04u-12-31", (unsigned)year % 10000u);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT stage, side, count(*), sum(invest_contracted), sum(invest_paid), "
               "sum(major), sum(CASE WHEN signed_on >= :y0 AND signed_on <= :y1 THEN 1 ELSE 0 "
               "END), sum(CASE WHEN signed_on >= :y0 AND signed_on <= :y1 THEN "
               "invest_contracted ELSE 0 END) FROM project WHERE pairing_id = :p "
               "GROUP BY stage, side");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_text(&st, ":y0", y0);
    db_bind_text(&st, ":y1", y1);
    int s;
    while ((s = db_step(&st)) == DB_ROW) {
        enum project_stage stage = project_stage_from(db_col_text(&st, 0));
        int side = (int)db_col_int64(&st, 1) == 1;
        if (stage == STAGE_N)
            continue;
        out->by_stage[stage] += db_col_int64(&st, 2);
        if (stage != STAGE_STOPPED) {
            out->projects[side] += db_col_int64(&st, 2);
            out->contracted[side] += db_col_int64(&st, 3);
            out->paid[side] += db_col_int64(&st, 4);
            out->major += db_col_int64(&st, 5);
        }
        out->signed_in_year += db_col_int64(&st, 6);
        out->contracted_in_year += db_col_int64(&st, 7);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "project", "counting projects");
    /* per city pairing, the ones without projects too (a leader asks where nothing moves) */
    size_t cap = 0;
    db_prepare(c->db, &st,
               "SELECT cp.id, cp.name_a, cp.name_b, count(p.id), coalesce(sum(p.invest_contracted), "
               "0), coalesce(sum(p.invest_paid), 0) FROM pairing cp LEFT JOIN project p ON "
               "p.city_pairing_id = cp.id AND p.stage <> 'stopped' WHERE cp.parent_id = :p "
               "GROUP BY cp.id, cp.name_a, cp.name_b "
               "ORDER BY coalesce(sum(p.invest_contracted), 0) DESC, cp.id");
    db_bind_int64(&st, ":p", pairing_id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct project_city_total *t = ARRAY_PUSH(c->arena, out->cities, out->n_cities, cap);
        t->city_pairing_id = db_col_int64(&st, 0);
        t->name_a = svc_col(c, &st, 1);
        t->name_b = svc_col(c, &st, 2);
        t->projects = db_col_int64(&st, 3);
        t->contracted = db_col_int64(&st, 4);
        t->paid = db_col_int64(&st, 5);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "project", "counting projects by city pairing");
    return SVC_OK;
}
