/* enterprise: the rules of 企业库 (service/enterprise.h). Each write reads, checks and writes
 * with its audit rows in one transaction; an UPDATE names the updated_at it read. The
 * contact is read with every row and blanked here, before anything leaves, for who may not
 * see it. */
#include "service/enterprise.h"

#include <string.h>

#include "core/credit_code.h"
#include "core/mem.h"
#include "core/text.h"
#include "service/industry.h"
#include "service/internal.h"
#include "service/perm.h"
#include "service/region.h"
#include "store/audit.h"
#include "store/db.h"

static const char *const sizes[] = {"large", "medium", "small", "micro"};

bool enterprise_size_valid(const char *size)
{
    for (size_t i = 0; size && i < sizeof sizes / sizeof *sizes; i++)
        if (strcmp(size, sizes[i]) == 0)
            return true;
    return false;
}

/* The last column says whether the caller's unit (:unit, 0 for none) organises an event the
 * enterprise is registered for (not withdrawn) and registered it there itself: "the event
 * organisers who registered it". Registering and withdrawing opens nothing, and a
 * registration that stands is in everyone's sight. One query decides a whole page. */
#define ENTERPRISE_COLUMNS                                                                    \
    "SELECT e.id, e.pairing_id, pa.name_a, pa.name_b, e.side, e.name, e.credit_code, r.code, " \
    "r.name, e.industry, e.size, e.contact_name, e.contact_phone, coalesce(e.merged_into, 0), " \
    "m.name, u.login, e.created_at, e.updated_at, EXISTS (SELECT 1 FROM registration g JOIN " \
    "event_unit eu ON eu.event_id = g.event_id JOIN users gu ON gu.id = g.registered_by "      \
    "WHERE g.enterprise_id = e.id AND g.status <> 'withdrawn' AND eu.unit_id = :unit AND "      \
    "gu.unit_id = :unit) "                                                                     \
    "FROM enterprise e JOIN pairing pa ON pa.id = e.pairing_id "                                \
    "LEFT JOIN region r ON r.id = e.region_id LEFT JOIN enterprise m ON m.id = e.merged_into " \
    "LEFT JOIN users u ON u.id = e.created_by "

static int64_t caller_unit(const struct ctx *c)
{
    return c->user ? c->user->unit_id : 0;
}

/* Reads a row with its contact, whoever asks; *organiser: the caller's unit organises an
 * event it registered for. */
static void enterprise_row(struct ctx *c, struct stmt *st, struct enterprise_view *v,
                           bool *organiser)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int64(st, 0);
    v->pairing_id = db_col_int64(st, 1);
    v->name_a = svc_col(c, st, 2);
    v->name_b = svc_col(c, st, 3);
    v->side = (int)db_col_int64(st, 4);
    v->name = svc_col(c, st, 5);
    v->credit_code = svc_col(c, st, 6);
    v->region_code = svc_col(c, st, 7);
    v->region_name = svc_col(c, st, 8);
    v->industry = svc_col(c, st, 9);
    const struct industry *ind = industry_find(v->industry);
    v->industry_name = ind ? ind->name : NULL;
    v->size = svc_col(c, st, 10);
    v->contact_name = svc_col(c, st, 11);
    v->contact_phone = svc_col(c, st, 12);
    v->has_contact = v->contact_name || v->contact_phone;
    v->merged_into = db_col_int64(st, 13);
    v->merged_into_name = svc_col(c, st, 14);
    v->created_by = svc_col(c, st, 15);
    v->created_at = svc_col(c, st, 16);
    v->updated_at = svc_col(c, st, 17);
    *organiser = db_col_int64(st, 18) != 0;
}

/* Who sees the contact: an admin, the coordinators of the enterprise's side, the organisers
 * it registered with. Blanks it for the others. */
static void apply_contact_rule(const struct ctx *c, struct enterprise_view *v, bool organiser)
{
    v->contact_visible =
        perm_is_admin_user(c) || organiser ||
        (c->user->role == ROLE_COORDINATOR && c->user->pairing_id == v->pairing_id &&
         c->user->side == v->side);
    if (!v->contact_visible)
        v->contact_name = v->contact_phone = NULL;
}

/* One enterprise, contact included (the writes compare it), no permission checked. */
static int enterprise_read(struct ctx *c, int64_t id, struct enterprise_view *out,
                           bool *organiser)
{
    struct stmt st;
    memset(out, 0, sizeof *out);
    db_prepare(c->db, &st, ENTERPRISE_COLUMNS "WHERE e.id = :id");
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":unit", caller_unit(c));
    int s = db_step(&st);
    if (s == DB_ROW)
        enterprise_row(c, &st, out, organiser);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "enterprise", "reading the enterprise");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no enterprise %lld",
                        (long long)id);
    return SVC_OK;
}

bool enterprise_may_create(const struct ctx *c)
{
    return perm_is_admin_user(c) || c->user->role == ROLE_COORDINATOR ||
           c->user->role == ROLE_MEMBER;
}

bool enterprise_may_write(const struct ctx *c, const struct enterprise_view *v, bool merge)
{
    if (perm_is_admin_user(c))
        return true;
    bool role = c->user->role == ROLE_COORDINATOR || (!merge && c->user->role == ROLE_MEMBER);
    return role && c->user->pairing_id == v->pairing_id && c->user->side == v->side;
}

int enterprise_get(struct ctx *c, int64_t id, struct enterprise_view *out)
{
    bool organiser = false;
    int rc = enterprise_read(c, id, out, &organiser);
    if (rc == SVC_OK)
        rc = perm_read_pairing(c, out->pairing_id);
    if (rc == SVC_OK)
        apply_contact_rule(c, out, organiser);
    else
        memset(out, 0, sizeof *out);
    return rc;
}

/* ---- lists ------------------------------------------------------------------------------ */

/* A LIKE pattern finding s anywhere, its own % _ and \ taken literally (ESCAPE '\'). */
static const char *like_anywhere(struct ctx *c, const char *s)
{
    struct sb b = SB_INIT;
    sb_appendc(&b, '%');
    for (const char *p = s; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            sb_appendc(&b, '\\');
        sb_appendc(&b, *p);
    }
    sb_appendc(&b, '%');
    const char *out = arena_strdup(c->arena, sb_str(&b));
    sb_free(&b);
    return out;
}

int enterprise_list(struct ctx *c, const struct enterprise_filter *f, int64_t after, int limit,
                    struct enterprise_view **out, size_t *n, int64_t *next_after)
{
    int rc;
    *out = NULL;
    *n = 0;
    *next_after = 0;
    if ((rc = svc_check_limit(c, &limit, ENTERPRISE_PAGE_DEFAULT, ENTERPRISE_PAGE_MAX)) != SVC_OK)
        return rc;
    if ((rc = perm_role_at_least(c, ROLE_MEMBER)) != SVC_OK)
        return rc;
    int64_t pairing = f->pairing_id;
    if (!pairing && !perm_is_admin_user(c))
        pairing = c->user->pairing_id;
    if (pairing && (rc = perm_read_pairing(c, pairing)) != SVC_OK)
        return rc;
    if (f->side < -1 || f->side > 1)
        return svc_fail(c, SVC_INVALID, "err_side", "side", "a side is 0 or 1");
    if (f->industry && !industry_find(f->industry))
        return svc_fail(c, SVC_INVALID, "err_industry_unknown", "industry",
                        "%s is not a GB/T 4754-2017 section or division", f->industry);
    const char *key = NULL, *code = NULL;
    if (f->q && f->q[0]) {
        key = text_key(c->arena, f->q);
        /* a credit code is searched as typed, upper-cased: 9132 finds 91320200… */
        struct sb b = SB_INIT;
        for (const char *p = f->q; *p; p++)
            if (*p != ' ')
                sb_appendc(&b, (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p);
        code = like_anywhere(c, sb_str(&b));
        sb_free(&b);
        key = key && key[0] ? like_anywhere(c, key) : NULL;
    }
    /* The cursor's name key, of an enterprise in the list's own scope only. */
    const char *after_key = "";
    if (after) {
        struct stmt a;
        db_prepare(c->db, &a, "SELECT name_key FROM enterprise WHERE id = :id "
                              "AND (:p = 0 OR pairing_id = :p)");
        db_bind_int64(&a, ":id", after);
        db_bind_int64(&a, ":p", pairing);
        int s = db_step(&a);
        if (s == DB_ROW)
            after_key = svc_col(c, &a, 0);
        db_finalize(&a);
        if (s < 0)
            return svc_store_failed(c, "enterprise", "reading the cursor");
        if (s != DB_ROW)
            after = 0; /* an enterprise not in the list: from the start */
    }
    /* The pairing is an equality of its own where there is one, so that the index
     * enterprise_pairing serves the list whatever the table's size. */
#define ENTERPRISE_FILTERS                                                                    \
    "AND (:side < 0 OR e.side = :side) AND (:merged = 1 OR e.merged_into IS NULL) "          \
    "AND (:ind IS NULL OR e.industry = :ind OR e.industry_section = :ind) "                  \
    "AND (:key IS NULL OR e.name_key LIKE :key ESCAPE '\\' OR e.credit_code LIKE :code "     \
    "ESCAPE '\\') AND (:after = 0 OR e.name_key > :akey OR (e.name_key = :akey AND "         \
    "e.id > :after)) ORDER BY e.name_key, e.id LIMIT :lim"
    static const char *const sql[2] = {
        ENTERPRISE_COLUMNS "WHERE :p = 0 " ENTERPRISE_FILTERS,
        ENTERPRISE_COLUMNS "WHERE e.pairing_id = :p " ENTERPRISE_FILTERS,
    };
    struct stmt st;
    db_prepare(c->db, &st, sql[pairing != 0]);
    db_bind_int64(&st, ":unit", caller_unit(c));
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":side", f->side);
    db_bind_int64(&st, ":merged", f->merged ? 1 : 0);
    db_bind_text(&st, ":ind", f->industry);
    db_bind_text(&st, ":key", key);
    db_bind_text(&st, ":code", code);
    db_bind_int64(&st, ":after", after);
    db_bind_text(&st, ":akey", after_key);
    db_bind_int64(&st, ":lim", limit + 1);
    struct enterprise_view *v = arena_alloc(c->arena, (size_t)(limit + 1) * sizeof *v);
    size_t k = 0;
    int s;
    while ((s = db_step(&st)) == DB_ROW && k < (size_t)limit + 1) {
        bool organiser = false;
        enterprise_row(c, &st, &v[k], &organiser);
        apply_contact_rule(c, &v[k++], organiser);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "enterprise", "listing enterprises");
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next_after = v[k - 1].id;
    }
    *out = v;
    *n = k;
    return SVC_OK;
}

int enterprise_names(struct ctx *c, int64_t pairing_id, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = perm_read_pairing(c, pairing_id);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st,
               "SELECT DISTINCT name, name_key FROM enterprise WHERE pairing_id = :p AND "
               "merged_into IS NULL ORDER BY name_key LIMIT :lim");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":lim", ENTERPRISE_NAMES_MAX);
    while ((s = db_step(&st)) == DB_ROW)
        *(const char **)ARRAY_PUSH(c->arena, *out, *n, cap) = svc_col(c, &st, 0);
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "enterprise", "listing names") : SVC_OK;
}

int enterprise_events(struct ctx *c, int64_t id, struct enterprise_event **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct enterprise_view v;
    int rc = enterprise_get(c, id, &v);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st,
               "SELECT ev.id, g.id, g.number, ev.kind, ev.title, ev.starts, ev.ends, g.status, "
               "g.checked_in_at FROM registration g JOIN event ev ON ev.id = g.event_id "
               "WHERE g.enterprise_id = :id ORDER BY ev.starts DESC, ev.id DESC LIMIT :lim");
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":lim", ENTERPRISE_EVENTS_MAX);
    while ((s = db_step(&st)) == DB_ROW) {
        struct enterprise_event *e = ARRAY_PUSH(c->arena, *out, *n, cap);
        e->event_id = db_col_int64(&st, 0);
        e->registration_id = db_col_int64(&st, 1);
        e->number = db_col_int64(&st, 2);
        e->kind = svc_col(c, &st, 3);
        e->title = svc_col(c, &st, 4);
        e->starts = svc_col(c, &st, 5);
        e->ends = svc_col(c, &st, 6);
        e->status = svc_col(c, &st, 7);
        e->checked_in_at = svc_col(c, &st, 8);
    }
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "enterprise", "listing its events") : SVC_OK;
}

/* ---- writing ---------------------------------------------------------------------------- */

/* The audit row's picture of v: never the contact itself (the audit log outlives any
 * right to it and its readers are not the contact's), only whether there is one. */
static const char *enterprise_json(struct ctx *c, const struct enterprise_view *v,
                                   bool contact_changed)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kint(w, "side", v->side);
    jw_kstr(w, "name", v->name);
    jw_kstr(w, "credit_code", v->credit_code);
    jw_kstr(w, "region_code", v->region_code);
    jw_kstr(w, "industry", v->industry);
    jw_kstr(w, "size", v->size);
    jw_kbool(w, "contact", v->contact_name || v->contact_phone);
    if (contact_changed)
        jw_kbool(w, "contact_changed", true);
    if (v->merged_into)
        jw_kint(w, "merged_into", v->merged_into);
    return svc_json_end(c, &j);
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A phone number as people write one: digits with + - ( ) and spaces, at least 3 digits. */
static bool phone_ok(const char *s)
{
    int digits = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (!strchr("+-() ", *s))
            return false;
    }
    return digits >= 3;
}

/* Applies in to v, checking every field (NULL keeps, "" clears an optional one). */
static int check_input(struct ctx *c, const struct enterprise_input *in, bool create,
                       struct enterprise_view *v)
{
    int rc;
    if (create || in->name) {
        if ((rc = svc_check_text(c, in->name, true, "err_required", ENTERPRISE_NAME_MAX, "name",
                                 &v->name)) != SVC_OK)
            return rc;
        if (strpbrk(v->name, "\r\n\t"))
            return svc_fail(c, SVC_INVALID, "err_invalid", "name", "a name is one line");
    }
    if (in->credit_code) {
        char code[CREDIT_CODE_LEN + 1];
        v->credit_code = NULL;
        bool blank = strspn(in->credit_code, " ") == strlen(in->credit_code);
        if (!blank && (!credit_code_normalise(in->credit_code, code) || !credit_code_valid(code)))
            return svc_fail(c, SVC_INVALID, "err_credit_code", "credit_code",
                            "%s is not a valid unified social credit code", in->credit_code);
        if (!blank)
            v->credit_code = arena_strdup(c->arena, code);
    }
    if (in->region_code) {
        v->region_code = v->region_name = NULL;
        if (in->region_code[0] && !region_id(c, in->region_code))
            return svc_fail(c, SVC_INVALID, "err_region_unknown", "region_code",
                            "there is no region %s", in->region_code);
        if (in->region_code[0])
            v->region_code = in->region_code;
    }
    if (in->industry) {
        const struct industry *ind = NULL;
        if (in->industry[0] && !(ind = industry_find(in->industry)))
            return svc_fail(c, SVC_INVALID, "err_industry_unknown", "industry",
                            "%s is not a GB/T 4754-2017 section or division", in->industry);
        v->industry = ind ? ind->code : NULL;
        v->industry_name = ind ? ind->name : NULL;
    }
    if (in->size) {
        if (in->size[0] && !enterprise_size_valid(in->size))
            return svc_fail(c, SVC_INVALID, "err_ent_size", "size", "unknown size %s", in->size);
        v->size = in->size[0] ? in->size : NULL;
    }
    if (in->contact_name &&
        ((rc = svc_check_text(c, in->contact_name, false, "err_required", ENTERPRISE_CONTACT_MAX,
                              "contact_name", &v->contact_name)) != SVC_OK))
        return rc;
    if (v->contact_name && strpbrk(v->contact_name, "\r\n\t"))
        return svc_fail(c, SVC_INVALID, "err_invalid", "contact_name", "a name is one line");
    if (in->contact_phone) {
        if ((rc = svc_check_text(c, in->contact_phone, false, "err_required",
                                 ENTERPRISE_PHONE_MAX, "contact_phone", &v->contact_phone)) !=
            SVC_OK)
            return rc;
        if (v->contact_phone && !phone_ok(v->contact_phone))
            return svc_fail(c, SVC_INVALID, "err_ent_phone", "contact_phone",
                            "a phone number is digits with + - ( ) and spaces");
    }
    return SVC_OK;
}

static void bind_fields(struct ctx *c, struct stmt *st, const struct enterprise_view *v)
{
    db_bind_text(st, ":name", v->name);
    db_bind_text(st, ":key", text_key(c->arena, v->name));
    db_bind_text(st, ":code", v->credit_code);
    svc_bind_opt_id(st, ":region", v->region_code ? region_id(c, v->region_code) : 0);
    db_bind_text(st, ":ind", v->industry);
    const struct industry *ind = industry_find(v->industry);
    db_bind_text(st, ":sec", ind ? ind->section : NULL);
    db_bind_text(st, ":size", v->size);
    db_bind_text(st, ":cname", v->contact_name);
    db_bind_text(st, ":cphone", v->contact_phone);
}

static int code_taken(struct ctx *c, const struct enterprise_view *v)
{
    return svc_fail(c, SVC_CONFLICT, "err_exists", "credit_code",
                    "credit code %s is in the directory already", v->credit_code);
}

int enterprise_create(struct ctx *c, const struct enterprise_input *in, int64_t *id)
{
    struct enterprise_view v;
    memset(&v, 0, sizeof v);
    if (!enterprise_may_create(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "coordinators and member units record enterprises");
    bool admin = perm_is_admin_user(c);
    v.pairing_id = in->pairing_id;
    if (!v.pairing_id && !admin)
        v.pairing_id = c->user->pairing_id;
    if (!v.pairing_id || perm_pairing_root(c, v.pairing_id) != v.pairing_id)
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing_id",
                        "pairing %lld is not a province pairing", (long long)v.pairing_id);
    if (!admin && c->user->pairing_id != v.pairing_id)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "another pairing");
    v.side = in->side;
    if (v.side == -1 && !admin)
        v.side = c->user->side;
    if (v.side != 0 && v.side != 1)
        return svc_fail(c, SVC_INVALID, "err_side", "side", "a side is 0 or 1");
    if (!admin && v.side != c->user->side)
        return svc_fail(c, SVC_FORBIDDEN, "err_other_side", "side",
                        "one records the enterprises of one's own side");
    int rc = check_input(c, in, true, &v);
    if (rc != SVC_OK)
        return rc;
    const char *now = svc_now(c);
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "enterprise", "starting the transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO enterprise (pairing_id, side, name, name_key, credit_code, region_id, "
               "industry, industry_section, size, contact_name, contact_phone, created_by, "
               "created_at, updated_at) VALUES (:p, :side, :name, :key, :code, :region, :ind, "
               ":sec, :size, :cname, :cphone, :by, :now, :now)");
    db_bind_int64(&st, ":p", v.pairing_id);
    db_bind_int64(&st, ":side", v.side);
    bind_fields(c, &st, &v);
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    if (s == DB_CONSTRAINT) {
        db_rollback(c->db);
        return code_taken(c, &v);
    }
    v.id = db_last_insert_id(c->db);
    if (s < 0 ||
        audit_append(c->db, c->actor, "enterprise.create", "enterprise", v.id, NULL,
                     enterprise_json(c, &v, false), c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "enterprise", "storing the enterprise");
        db_rollback(c->db);
        return rc;
    }
    if (id)
        *id = v.id;
    return SVC_OK;
}

/* Reads id for a write by c (edit, or merging it away): exists, c may read and write it,
 * not merged, and at if_updated_at when that is given. */
static int read_for_write(struct ctx *c, int64_t id, bool merge, const char *if_updated_at,
                          struct enterprise_view *out)
{
    bool organiser;
    int rc = enterprise_read(c, id, out, &organiser);
    if (rc == SVC_OK)
        rc = perm_read_pairing(c, out->pairing_id);
    if (rc != SVC_OK)
        return rc;
    if (!enterprise_may_write(c, out, merge))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        merge ? "the side's coordinators merge enterprises"
                              : "the side's coordinators and member units edit enterprises");
    if (if_updated_at && strcmp(if_updated_at, out->updated_at) != 0)
        return svc_fail(c, SVC_STALE, "err_stale", NULL, "enterprise %lld changed meanwhile",
                        (long long)id);
    if (out->merged_into)
        return svc_fail(c, SVC_CONFLICT, "err_ent_merged", NULL,
                        "enterprise %lld was merged into %lld", (long long)id,
                        (long long)out->merged_into);
    return SVC_OK;
}

int enterprise_edit(struct ctx *c, int64_t id, const struct enterprise_input *in)
{
    struct enterprise_view old, v;
    int rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "enterprise", "starting the transaction");
    if ((rc = read_for_write(c, id, false, in->if_updated_at, &old)) != SVC_OK)
        goto done;
    if (in->pairing_id && in->pairing_id != old.pairing_id) {
        rc = svc_fail(c, SVC_INVALID, "err_fixed", "pairing_id",
                      "an enterprise stays in its pairing");
        goto done;
    }
    if (in->side != -1 && in->side != old.side) {
        rc = svc_fail(c, SVC_INVALID, "err_fixed", "side", "an enterprise stays on its side");
        goto done;
    }
    v = old;
    if ((rc = check_input(c, in, false, &v)) != SVC_OK)
        goto done;
    bool contact_changed =
        !same(old.contact_name, v.contact_name) || !same(old.contact_phone, v.contact_phone);
    const char *before = enterprise_json(c, &old, false);
    const char *after = enterprise_json(c, &v, contact_changed);
    if (strcmp(before, after) == 0)
        goto done;
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE enterprise SET name = :name, name_key = :key, credit_code = :code, "
               "region_id = :region, industry = :ind, industry_section = :sec, size = :size, "
               "contact_name = :cname, contact_phone = :cphone, updated_at = :now "
               "WHERE id = :id AND updated_at = :seen");
    bind_fields(c, &st, &v);
    db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", old.updated_at);
    int s = db_step(&st);
    db_finalize(&st);
    if (s == DB_CONSTRAINT) {
        rc = code_taken(c, &v);
        goto done;
    }
    if (s < 0 ||
        audit_append(c->db, c->actor, "enterprise.update", "enterprise", id, before, after,
                     c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = svc_store_failed(c, "enterprise", "updating the enterprise");
done:
    db_rollback(c->db); /* a no-op after the commit */
    return rc;
}

/* ---- merging ---------------------------------------------------------------------------- */

struct reg {
    int64_t id, event_id;
    const char *status, *queued_at, *checked_in_at;
    int64_t checked_in_by;
};

/* Where a registration stands: checked in > a seat > the waiting list > withdrawn. */
static int standing(const struct reg *g)
{
    int rank = strcmp(g->status, "registered") == 0 ? 2 : strcmp(g->status, "waiting") == 0;
    return rank + (g->checked_in_at != NULL);
}

static void reg_row(struct ctx *c, struct stmt *st, struct reg *g)
{
    g->id = db_col_int64(st, 0);
    g->event_id = db_col_int64(st, 1);
    g->status = svc_col(c, st, 2);
    g->queued_at = svc_col(c, st, 3);
    g->checked_in_at = svc_col(c, st, 4);
    g->checked_in_by = db_col_int64(st, 5);
}

#define REG_COLUMNS                                                                           \
    "SELECT id, event_id, status, queued_at, checked_in_at, coalesce(checked_in_by, 0) "      \
    "FROM registration "

static const char *reg_json(struct ctx *c, int64_t enterprise, const char *status,
                            const char *checked_in_at)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "enterprise_id", enterprise);
    jw_kstr(w, "status", status);
    if (checked_in_at)
        jw_kstr(w, "checked_in_at", checked_in_at);
    return svc_json_end(c, &j);
}

static int audit_reg(struct ctx *c, int64_t id, const char *before, const char *after)
{
    return audit_append(c->db, c->actor, "registration.merge", "registration", id, before, after,
                        c->client);
}

/* Moves one registration g of from to into (none of into's at that event), or, with mine
 * (into's at the same event), keeps mine with the better standing of the two and withdraws
 * g. <0 when the store fails. */
static int merge_registration(struct ctx *c, int64_t from, int64_t into, const struct reg *g,
                              const struct reg *mine, const char *now)
{
    struct stmt st;
    int s;
    if (!mine) {
        db_prepare(c->db, &st,
                   "UPDATE registration SET enterprise_id = :into, updated_at = :now "
                   "WHERE id = :id");
        db_bind_int64(&st, ":into", into);
        db_bind_text(&st, ":now", now);
        db_bind_int64(&st, ":id", g->id);
        s = db_step(&st);
        db_finalize(&st);
        if (s < 0)
            return -1;
        return audit_reg(c, g->id, reg_json(c, from, g->status, g->checked_in_at),
                         reg_json(c, into, g->status, g->checked_in_at));
    }
    bool both_seated = standing(mine) >= 2 && standing(g) >= 2;
    if (standing(g) > standing(mine)) {
        db_prepare(c->db, &st,
                   "UPDATE registration SET status = :st, queued_at = :q, checked_in_at = :ci, "
                   "checked_in_by = :cb, updated_at = :now WHERE id = :id");
        db_bind_text(&st, ":st", g->status);
        db_bind_text(&st, ":q", g->queued_at);
        db_bind_text(&st, ":ci", g->checked_in_at);
        svc_bind_opt_id(&st, ":cb", g->checked_in_by);
        db_bind_text(&st, ":now", now);
        db_bind_int64(&st, ":id", mine->id);
        s = db_step(&st);
        db_finalize(&st);
        if (s < 0 || audit_reg(c, mine->id, reg_json(c, into, mine->status, mine->checked_in_at),
                               reg_json(c, into, g->status, g->checked_in_at)) < 0)
            return -1;
    }
    db_prepare(c->db, &st,
               "UPDATE registration SET status = 'withdrawn', checked_in_at = NULL, "
               "checked_in_by = NULL, updated_at = :now WHERE id = :id");
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":id", g->id);
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0 || audit_reg(c, g->id, reg_json(c, from, g->status, g->checked_in_at),
                           reg_json(c, from, "withdrawn", NULL)) < 0)
        return -1;
    /* The outcomes naming g name mine instead (once: an outcome naming both keeps mine). */
    db_prepare(c->db, &st,
               "DELETE FROM event_outcome_party WHERE registration_id = :g AND outcome_id IN "
               "(SELECT outcome_id FROM event_outcome_party WHERE registration_id = :m)");
    db_bind_int64(&st, ":g", g->id);
    db_bind_int64(&st, ":m", mine->id);
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return -1;
    db_prepare(c->db, &st,
               "UPDATE event_outcome_party SET registration_id = :m WHERE registration_id = :g");
    db_bind_int64(&st, ":g", g->id);
    db_bind_int64(&st, ":m", mine->id);
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return -1;
    if (!both_seated)
        return 0;
    /* one seat fewer taken: the waiting list moves up */
    db_prepare(c->db, &st, "SELECT coalesce(capacity, 0) FROM event WHERE id = :e");
    db_bind_int64(&st, ":e", g->event_id);
    s = db_step(&st);
    int64_t capacity = s == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    int64_t first = 0;
    return s < 0 ? -1 : event_fill_seats(c, g->event_id, capacity, &first);
}

/* Moves every registration of from to into; *moved counts them. <0 when the store fails. */
static int merge_registrations(struct ctx *c, int64_t from, int64_t into, const char *now,
                               int64_t *moved)
{
    struct stmt st;
    struct reg *regs = NULL;
    size_t n = 0, cap = 0;
    int s;
    db_prepare(c->db, &st, REG_COLUMNS "WHERE enterprise_id = :e ORDER BY id");
    db_bind_int64(&st, ":e", from);
    while ((s = db_step(&st)) == DB_ROW)
        reg_row(c, &st, ARRAY_PUSH(c->arena, regs, n, cap));
    db_finalize(&st);
    if (s < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct reg mine;
        db_prepare(c->db, &st, REG_COLUMNS "WHERE event_id = :ev AND enterprise_id = :e");
        db_bind_int64(&st, ":ev", regs[i].event_id);
        db_bind_int64(&st, ":e", into);
        s = db_step(&st);
        if (s == DB_ROW)
            reg_row(c, &st, &mine);
        db_finalize(&st);
        if (s < 0 || merge_registration(c, from, into, &regs[i], s == DB_ROW ? &mine : NULL,
                                        now) < 0)
            return -1;
    }
    *moved = (int64_t)n;
    return 0;
}

int enterprise_merge(struct ctx *c, int64_t from_id, int64_t into_id, const char *if_updated_at)
{
    struct enterprise_view from, into;
    int rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "enterprise", "starting the transaction");
    if ((rc = read_for_write(c, from_id, true, if_updated_at, &from)) != SVC_OK)
        goto done;
    if (into_id == from_id) {
        rc = svc_fail(c, SVC_INVALID, "err_ent_merge_self", "into",
                      "an enterprise is not merged into itself");
        goto done;
    }
    bool organiser;
    rc = into_id > 0 ? enterprise_read(c, into_id, &into, &organiser) : SVC_NOT_FOUND;
    if (rc == SVC_OK && (into.pairing_id != from.pairing_id || into.side != from.side))
        rc = SVC_NOT_FOUND; /* no existence oracle for other pairings */
    if (rc == SVC_NOT_FOUND) {
        rc = svc_fail(c, SVC_INVALID, "err_ent_merge_into", "into",
                      "enterprise %lld is not of the same pairing and side", (long long)into_id);
        goto done;
    }
    if (rc != SVC_OK)
        goto done;
    if (into.merged_into) {
        rc = svc_fail(c, SVC_CONFLICT, "err_ent_merged", "into",
                      "enterprise %lld was merged into %lld", (long long)into_id,
                      (long long)into.merged_into);
        goto done;
    }
    const char *now = svc_now(c);
    /* into keeps what it has and takes what only from has; a credit code moves (it is
     * unique in the pairing, so from gives it up first). */
    struct enterprise_view gone = from, kept = into;
    gone.merged_into = into_id;
    bool take_code = !into.credit_code && from.credit_code;
    if (take_code) {
        kept.credit_code = from.credit_code;
        gone.credit_code = NULL;
    }
    if (!kept.region_code)
        kept.region_code = from.region_code;
    if (!kept.industry)
        kept.industry = from.industry;
    if (!kept.size)
        kept.size = from.size;
    bool contact_taken = !into.contact_name && !into.contact_phone &&
                         (from.contact_name || from.contact_phone);
    if (contact_taken) {
        kept.contact_name = from.contact_name;
        kept.contact_phone = from.contact_phone;
    }
    int64_t moved = 0;
    struct stmt st;
    int s;
    db_prepare(c->db, &st,
               "UPDATE enterprise SET merged_into = :into, credit_code = :code, updated_at = "
               ":now WHERE id = :id AND updated_at = :seen");
    db_bind_int64(&st, ":into", into_id);
    db_bind_text(&st, ":code", gone.credit_code);
    db_bind_text(&st, ":now", svc_now_after(c, from.updated_at));
    db_bind_int64(&st, ":id", from_id);
    db_bind_text(&st, ":seen", from.updated_at);
    s = db_step(&st);
    db_finalize(&st);
    if (s >= 0) {
        db_prepare(c->db, &st,
                   "UPDATE enterprise SET name = :name, name_key = :key, credit_code = :code, "
                   "region_id = :region, industry = :ind, industry_section = :sec, size = :size, "
                   "contact_name = :cname, contact_phone = :cphone, updated_at = :now "
                   "WHERE id = :id");
        bind_fields(c, &st, &kept);
        db_bind_text(&st, ":now", svc_now_after(c, into.updated_at));
        db_bind_int64(&st, ":id", into_id);
        s = db_step(&st);
        db_finalize(&st);
    }
    if (s >= 0) { /* what was merged into from is merged into into: no chains */
        db_prepare(c->db, &st,
                   "UPDATE enterprise SET merged_into = :into WHERE merged_into = :from");
        db_bind_int64(&st, ":into", into_id);
        db_bind_int64(&st, ":from", from_id);
        s = db_step(&st);
        db_finalize(&st);
    }
    if (s >= 0)
        s = merge_registrations(c, from_id, into_id, now, &moved);
    const char *into_after = NULL;
    if (s >= 0) {
        struct svc_json j;
        struct jw *w = svc_json_begin(&j);
        jw_kint(w, "merged", from_id);
        jw_kint(w, "registrations_moved", moved);
        jw_key(w, "now");
        jw_raw(w, enterprise_json(c, &kept, contact_taken));
        into_after = svc_json_end(c, &j);
    }
    if (s < 0 ||
        audit_append(c->db, c->actor, "enterprise.merge", "enterprise", from_id,
                     enterprise_json(c, &from, false), enterprise_json(c, &gone, false),
                     c->client) < 0 ||
        audit_append(c->db, c->actor, "enterprise.merge_in", "enterprise", into_id,
                     enterprise_json(c, &into, false), into_after, c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = svc_store_failed(c, "enterprise", "merging the enterprises");
done:
    db_rollback(c->db);
    return rc;
}
