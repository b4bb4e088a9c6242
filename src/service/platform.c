/* platform: the rules of 合作平台 (service/platform.h). Each write reads, checks and writes
 * with its audit row in one transaction; the UPDATE names the updated_at it read. */
#include "service/platform.h"

#include <string.h>

#include "core/mem.h"
#include "core/money.h"
#include "core/text.h"
#include "service/internal.h"
#include "service/perm.h"
#include "service/region.h"
#include "store/audit.h"
#include "store/db.h"

static const char *const kinds[] = {"park", "innovation", "trading", "training", "other"};

bool platform_kind_valid(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return true;
    return false;
}

const char *platform_area_ha(struct ctx *c, int64_t area_m2)
{
    /* 1 ha = 10,000 m², as 1 万元 = 10,000 元: the same exact four-decimal text */
    return money_format_wan(c->arena, area_m2);
}

#define PLATFORM_COLUMNS                                                                     \
    "SELECT f.id, f.pairing_id, pa.name_a, pa.name_b, f.name, f.kind, r.code, r.name, "     \
    "f.description, coalesce(f.founded, 0), coalesce(f.area_m2, -1), f.created_at, "        \
    "f.updated_at FROM platform f JOIN pairing pa ON pa.id = f.pairing_id "                  \
    "LEFT JOIN region r ON r.id = f.region_id "

static void platform_row(struct ctx *c, struct stmt *st, struct platform_view *v)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int64(st, 0);
    v->pairing_id = db_col_int64(st, 1);
    v->name_a = svc_col(c, st, 2);
    v->name_b = svc_col(c, st, 3);
    v->name = svc_col(c, st, 4);
    v->kind = svc_col(c, st, 5);
    v->region_code = svc_col(c, st, 6);
    v->region_name = svc_col(c, st, 7);
    v->description = svc_col(c, st, 8);
    v->founded = (int)db_col_int64(st, 9);
    v->area_m2 = db_col_int64(st, 10);
    v->created_at = svc_col(c, st, 11);
    v->updated_at = svc_col(c, st, 12);
}

/* The running units and the rollups from the platform's projects. */
static int read_more(struct ctx *c, struct platform_view *v)
{
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st,
               "SELECT n.id, n.side, n.name FROM platform_unit pu JOIN unit n ON n.id = "
               "pu.unit_id WHERE pu.platform_id = :id ORDER BY n.side, n.id");
    db_bind_int64(&st, ":id", v->id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct platform_unit *u = ARRAY_PUSH(c->arena, v->units, v->n_units, cap);
        u->id = db_col_int64(&st, 0);
        u->side = (int)db_col_int64(&st, 1);
        u->name = svc_col(c, &st, 2);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "platform", "reading the units");
    db_prepare(c->db, &st,
               "SELECT stage, count(*), sum(invest_contracted), sum(invest_paid) FROM project "
               "WHERE platform_id = :id GROUP BY stage");
    db_bind_int64(&st, ":id", v->id);
    while ((s = db_step(&st)) == DB_ROW) {
        enum project_stage stage = project_stage_from(db_col_text(&st, 0));
        if (stage == STAGE_N)
            continue;
        v->by_stage[stage] = db_col_int64(&st, 1);
        v->projects += v->by_stage[stage];
        if (stage != STAGE_STOPPED) {
            v->contracted += db_col_int64(&st, 2);
            v->paid += db_col_int64(&st, 3);
        }
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "platform", "counting the projects");
    /* enterprises settled: the distinct enterprises among its live projects' partners */
    db_prepare(c->db, &st,
               "SELECT count(DISTINCT coalesce(pp.credit_code, pp.enterprise)) FROM project p "
               "JOIN project_partner pp ON pp.project_id = p.id WHERE p.platform_id = :id AND "
               "p.stage <> 'stopped' AND pp.enterprise IS NOT NULL");
    db_bind_int64(&st, ":id", v->id);
    s = db_step(&st);
    if (s == DB_ROW)
        v->enterprises = db_col_int64(&st, 0);
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "platform", "counting the enterprises") : SVC_OK;
}

static int platform_read(struct ctx *c, int64_t id, struct platform_view *out)
{
    struct stmt st;
    memset(out, 0, sizeof *out);
    db_prepare(c->db, &st, PLATFORM_COLUMNS "WHERE f.id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW)
        platform_row(c, &st, out);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "platform", "reading the platform");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no platform %lld",
                        (long long)id);
    return read_more(c, out);
}

bool platform_may_create(const struct ctx *c)
{
    return perm_is_admin_user(c) || c->user->role == ROLE_COORDINATOR;
}

bool platform_may_write(const struct ctx *c, const struct platform_view *v)
{
    return perm_is_admin_user(c) ||
           (c->user->role == ROLE_COORDINATOR && c->user->pairing_id == v->pairing_id);
}

int platform_get(struct ctx *c, int64_t id, struct platform_view *out)
{
    int rc = platform_read(c, id, out);
    if (rc == SVC_OK)
        rc = perm_read_pairing(c, out->pairing_id);
    return rc;
}

int platform_list(struct ctx *c, int64_t pairing_id, struct platform_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = perm_role_at_least(c, ROLE_MEMBER);
    if (rc != SVC_OK)
        return rc;
    if (!pairing_id && !perm_is_admin_user(c))
        pairing_id = c->user->pairing_id;
    rc = pairing_id ? perm_read_pairing(c, pairing_id) : SVC_OK;
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st,
               PLATFORM_COLUMNS "WHERE (:p = 0 OR f.pairing_id = :p) ORDER BY f.pairing_id, "
                                "f.name_key, f.id LIMIT :lim");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":lim", PLATFORM_LIST_MAX);
    while ((s = db_step(&st)) == DB_ROW)
        platform_row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "platform", "listing platforms");
    for (size_t i = 0; i < *n; i++)
        if ((rc = read_more(c, &(*out)[i])) != SVC_OK)
            return rc;
    return SVC_OK;
}

static const char *platform_json(struct ctx *c, const struct platform_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kstr(w, "name", v->name);
    jw_kstr(w, "kind", v->kind);
    jw_kstr(w, "region_code", v->region_code);
    if (v->founded)
        jw_kint(w, "founded", v->founded);
    if (v->area_m2 >= 0)
        jw_kint(w, "area_m2", v->area_m2);
    jw_kstr(w, "description", v->description);
    jw_key(w, "unit_ids");
    jw_arr(w);
    for (size_t i = 0; i < v->n_units; i++)
        jw_int(w, v->units[i].id);
    jw_arr_end(w);
    return svc_json_end(c, &j);
}

/* Applies in to v, checking every field. */
static int check_input(struct ctx *c, const struct platform_input *in, bool create,
                       struct platform_view *v)
{
    int rc;
    if (create || in->name) {
        if ((rc = svc_check_text(c, in->name, true, "err_required", PLATFORM_NAME_MAX, "name",
                                 &v->name)) != SVC_OK)
            return rc;
        if (strpbrk(v->name, "\r\n\t"))
            return svc_fail(c, SVC_INVALID, "err_invalid", "name", "a name is one line");
    }
    if (create || in->kind) {
        if (!platform_kind_valid(in->kind))
            return svc_fail(c, SVC_INVALID, "err_platform_kind", "kind", "unknown platform kind");
        v->kind = in->kind;
    }
    if (in->region_code) {
        v->region_code = NULL;
        if (in->region_code[0] && !region_id(c, in->region_code))
            return svc_fail(c, SVC_INVALID, "err_region_unknown", "region_code",
                            "there is no region %s", in->region_code);
        if (in->region_code[0])
            v->region_code = in->region_code;
    }
    if (in->area_ha) {
        int64_t m2 = -1;
        if (in->area_ha[0] && money_parse_wan(in->area_ha, &m2) != MONEY_OK)
            return svc_fail(c, SVC_INVALID, "err_area", "area_ha",
                            "the area is hectares with at most 4 decimals");
        v->area_m2 = m2;
    }
    if (in->description &&
        (rc = svc_check_text(c, in->description, false, "err_required", PLATFORM_DESCRIPTION_MAX,
                             "description", &v->description)) != SVC_OK)
        return rc;
    if (in->founded == 0)
        v->founded = 0;
    else if (in->founded != -1) {
        if (in->founded < 1949 || in->founded > 2100)
            return svc_fail(c, SVC_INVALID, "err_range", "founded", "a year 1949–2100");
        v->founded = in->founded;
    }
    if (create || in->set_units) {
        if (in->n_units > PLATFORM_UNITS_MAX)
            return svc_fail(c, SVC_INVALID, "err_range", "unit_ids", "at most %d units",
                            PLATFORM_UNITS_MAX);
        struct platform_unit *u = arena_alloc(c->arena, (in->n_units + 1) * sizeof *u);
        int *sides = arena_alloc(c->arena, (in->n_units + 1) * sizeof *sides);
        int64_t *ids = arena_alloc(c->arena, (in->n_units + 1) * sizeof *ids);
        size_t k;
        if ((rc = svc_check_units(c, v->pairing_id, in->unit_ids, in->n_units, ids, sides, &k)) !=
            SVC_OK)
            return rc;
        for (size_t i = 0; i < k; i++)
            u[i] = (struct platform_unit){.id = ids[i], .side = sides[i]};
        v->units = u;
        v->n_units = k;
    }
    return SVC_OK;
}

static int write_units(struct ctx *c, const struct platform_view *v)
{
    struct stmt st;
    db_prepare(c->db, &st, "DELETE FROM platform_unit WHERE platform_id = :id");
    db_bind_int64(&st, ":id", v->id);
    int s = db_step(&st);
    db_finalize(&st);
    for (size_t i = 0; s >= 0 && i < v->n_units; i++) {
        db_prepare(c->db, &st,
                   "INSERT INTO platform_unit (platform_id, unit_id) VALUES (:id, :u)");
        db_bind_int64(&st, ":id", v->id);
        db_bind_int64(&st, ":u", v->units[i].id);
        s = db_step(&st);
        db_finalize(&st);
    }
    return s < 0 ? -1 : 0;
}

static void bind_fields(struct ctx *c, struct stmt *st, const struct platform_view *v)
{
    db_bind_text(st, ":name", v->name);
    db_bind_text(st, ":key", text_key(c->arena, v->name));
    db_bind_text(st, ":kind", v->kind);
    svc_bind_opt_id(st, ":region", v->region_code ? region_id(c, v->region_code) : 0);
    if (v->founded)
        db_bind_int64(st, ":founded", v->founded);
    else
        db_bind_null(st, ":founded");
    if (v->area_m2 >= 0)
        db_bind_int64(st, ":area", v->area_m2);
    else
        db_bind_null(st, ":area");
    db_bind_text(st, ":descr", v->description);
}

int platform_create(struct ctx *c, const struct platform_input *in, int64_t *id)
{
    struct platform_view v = {.area_m2 = -1};
    if (!platform_may_create(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "the lead offices record platforms");
    v.pairing_id = in->pairing_id;
    if (!v.pairing_id && !perm_is_admin_user(c))
        v.pairing_id = c->user->pairing_id;
    if (!v.pairing_id || perm_pairing_root(c, v.pairing_id) != v.pairing_id)
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing_id",
                        "pairing %lld is not a province pairing", (long long)v.pairing_id);
    if (!perm_is_admin_user(c) && c->user->pairing_id != v.pairing_id)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "another pairing");
    int rc = check_input(c, in, true, &v);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "platform", "starting the transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO platform (pairing_id, name, name_key, kind, region_id, founded, "
               "area_m2, description, created_at, updated_at) VALUES (:p, :name, :key, :kind, "
               ":region, :founded, :area, :descr, :now, :now)");
    db_bind_int64(&st, ":p", v.pairing_id);
    bind_fields(c, &st, &v);
    db_bind_text(&st, ":now", svc_now(c));
    int s = db_step(&st);
    db_finalize(&st);
    if (s == DB_CONSTRAINT) {
        db_rollback(c->db);
        return svc_fail(c, SVC_CONFLICT, "err_exists", "name", "a platform of that name exists");
    }
    v.id = db_last_insert_id(c->db);
    if (s < 0 || write_units(c, &v) < 0 ||
        audit_append(c->db, c->actor, "platform.create", "platform", v.id, NULL,
                     platform_json(c, &v), c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "platform", "storing the platform");
        db_rollback(c->db);
        return rc;
    }
    if (id)
        *id = v.id;
    return SVC_OK;
}

int platform_edit(struct ctx *c, int64_t id, const struct platform_input *in)
{
    struct platform_view old, v;
    int rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "platform", "starting the transaction");
    if ((rc = platform_get(c, id, &old)) != SVC_OK)
        goto done;
    if (!platform_may_write(c, &old)) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "the lead offices edit platforms");
        goto done;
    }
    if (in->if_updated_at && strcmp(in->if_updated_at, old.updated_at) != 0) {
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "platform %lld changed meanwhile",
                      (long long)id);
        goto done;
    }
    v = old;
    if ((rc = check_input(c, in, false, &v)) != SVC_OK)
        goto done;
    const char *before = platform_json(c, &old), *after = platform_json(c, &v);
    if (strcmp(before, after) == 0)
        goto done;
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE platform SET name = :name, name_key = :key, kind = :kind, region_id = "
               ":region, founded = :founded, area_m2 = :area, description = :descr, updated_at = "
               ":now WHERE id = :id AND updated_at = :seen");
    bind_fields(c, &st, &v);
    db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", old.updated_at);
    int s = db_step(&st);
    db_finalize(&st);
    if (s == DB_CONSTRAINT) {
        rc = svc_fail(c, SVC_CONFLICT, "err_exists", "name", "a platform of that name exists");
        goto done;
    }
    if (s < 0 || (in->set_units && write_units(c, &v) < 0) ||
        audit_append(c->db, c->actor, "platform.update", "platform", id, before, after,
                     c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = svc_store_failed(c, "platform", "updating the platform");
done:
    db_rollback(c->db);
    return rc;
}
