/* circular: 通报 (see circular.h). */
#include "service/circular.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/sb.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/perm.h"
#include "service/reporting.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

static int store_failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "circular", what);
}

/* The rows' figures in struct order (circular.h), by where they are in a row. */
static const size_t figure_at[CIRCULAR_FIGURES] = {
    offsetof(struct circular_row, items),    offsetof(struct circular_row, done),
    offsetof(struct circular_row, overdue),  offsetof(struct circular_row, expected),
    offsetof(struct circular_row, reported), offsetof(struct circular_row, accepted),
    offsetof(struct circular_row, returned), offsetof(struct circular_row, missing),
    offsetof(struct circular_row, urged)};

static int64_t *field(struct circular_row *r, int k)
{
    return (int64_t *)((char *)r + figure_at[k]);
}

const char *const circular_figure_names[CIRCULAR_FIGURES] = {
    "items", "done", "overdue", "expected", "reported", "accepted", "returned", "missing",
    "urged"};

int64_t circular_figure(const struct circular_row *r, int k)
{
    return *(const int64_t *)((const char *)r + figure_at[k]);
}

/* Worst first: missing reports, then overdue items, then returned reports; then by name. */
static int worse_first(const void *a, const void *b)
{
    const struct circular_row *x = a, *y = b;
    if (x->missing != y->missing)
        return x->missing > y->missing ? -1 : 1;
    if (x->overdue != y->overdue)
        return x->overdue > y->overdue ? -1 : 1;
    if (x->returned != y->returned)
        return x->returned > y->returned ? -1 : 1;
    if (x->accepted != y->accepted)
        return x->accepted < y->accepted ? -1 : 1;
    return strcmp(x->name, y->name);
}

static const char *period_label(struct ctx *c, enum lang l, int year, const char *period)
{
    int y, k;
    char q;
    if (!period || !*period)
        return arena_printf(c->arena, i18n(l, "cc_period_year"), year);
    if (sscanf(period, "%4d-%c%d", &y, &q, &k) == 3 && q == 'Q')
        return arena_printf(c->arena, i18n(l, "cc_period_quarter"), y, k);
    if (sscanf(period, "%4d-%2d", &y, &k) == 2)
        return arena_printf(c->arena, i18n(l, "cc_period_month"), y, k);
    return period;
}

/* The default title and wording, from the figures. */
static void words(struct ctx *c, enum lang l, struct circular_view *v)
{
    const char *when = period_label(c, l, v->year, v->period);
    v->title = arena_printf(c->arena, i18n(l, "cc_title"), v->side_name, when);
    struct sb b = SB_INIT;
    const int64_t *t = v->total;
    sb_appendf(&b, i18n(l, "cc_summary"), when, v->side_name, (long long)v->n_rows,
               (long long)t[0], (long long)t[1], (long long)t[2], (long long)t[3],
               (long long)t[4], (long long)t[5], (long long)t[6], (long long)t[7],
               (long long)t[8]);
    sb_appendf(&b, "\n\n%s\n", i18n(l, "cc_commended_head"));
    size_t named = 0;
    for (size_t i = v->n_rows; i-- > 0;)
        if (v->rows[i].commended)
            sb_appendf(&b, "%s%s", named++ ? i18n(l, "cc_list_sep") : "", v->rows[i].name);
    sb_append(&b, named ? i18n(l, "cc_commended_tail") : i18n(l, "cc_none"));
    sb_appendf(&b, "\n\n%s\n", i18n(l, "cc_improve_head"));
    size_t told = 0;
    for (size_t i = 0; i < v->n_rows; i++) {
        const struct circular_row *r = &v->rows[i];
        if (!r->missing && !r->overdue && !r->returned)
            continue;
        sb_appendf(&b, i18n(l, "cc_improve_line"), r->name, (long long)r->missing,
                   (long long)r->overdue, (long long)r->returned);
        sb_append(&b, "\n");
        told++;
    }
    if (!told)
        sb_appendf(&b, "%s\n", i18n(l, "cc_none"));
    sb_appendf(&b, "\n%s\n%s", i18n(l, "cc_next_head"), i18n(l, "cc_next_body"));
    v->body = arena_strdup(c->arena, sb_str(&b));
    sb_free(&b);
}

static int pairing_names(struct ctx *c, int64_t pairing_id, int side, struct circular_view *v)
{
    struct stmt st;
    db_prepare(c->db, &st, "SELECT name_a, name_b FROM pairing WHERE id = :p");
    db_bind_int64(&st, ":p", pairing_id);
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        v->name_a = svc_col(c, &st, 0);
        v->name_b = svc_col(c, &st, 1);
        v->side_name = side ? v->name_b : v->name_a;
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the pairing");
    return rc == DB_ROW ? SVC_OK
                        : svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no pairing %lld",
                                   (long long)pairing_id);
}

int circular_compute(struct ctx *c, int64_t pairing_id, int side, int year, const char *period,
                     enum lang l, struct circular_view *out)
{
    memset(out, 0, sizeof *out);
    if (side != 0 && side != 1)
        return svc_fail(c, SVC_INVALID, "err_invalid", "side", "the side is 0 or 1");
    int64_t root = perm_pairing_root(c, pairing_id);
    int rc = root ? perm_manage_side(c, root, side)
                  : svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no pairing %lld",
                             (long long)pairing_id);
    if (rc != SVC_OK || (rc = pairing_names(c, root, side, out)) != SVC_OK)
        return rc;
    struct reporting_grid g;
    if ((rc = reporting_grid(c, root, year, side, 0, &g)) != SVC_OK)
        return rc;
    if (!g.work_plan_id)
        return svc_fail(c, SVC_CONFLICT, "err_no_work_plan", "year",
                        "pairing %lld has no work plan for %d", (long long)root, year);
    /* The periods counted: all, the one named, or for a quarter of a monthly plan its
     * months begun so far. */
    bool *counted = arena_alloc(c->arena, (g.n_periods + 1) * sizeof *counted);
    size_t n_counted = 0;
    int py = 0, pq = 0;
    char q = 0;
    bool quarter = period && sscanf(period, "%4d-%c%d", &py, &q, &pq) == 3 && q == 'Q' &&
                   pq >= 1 && pq <= 4;
    for (size_t k = 0; k < g.n_periods; k++) {
        int y = 0, m = 0;
        const char *name = g.periods[k].name;
        counted[k] = !period || !*period || strcmp(name, period) == 0 ||
                     (quarter && !g.quarterly && sscanf(name, "%4d-%2d", &y, &m) == 2 &&
                      y == py && (m + 2) / 3 == pq);
        n_counted += counted[k];
    }
    if (period && *period && !n_counted)
        return svc_fail(c, SVC_INVALID, "err_period", "period",
                        "%s is not a period of the %d work plan begun by %s", period, year,
                        g.today);
    out->pairing_id = root;
    out->side = side;
    out->year = year;
    out->period = period && *period ? arena_strdup(c->arena, period) : "";
    out->as_of = arena_strdup(c->arena, g.today);
    out->status = "draft";
    out->n_rows = g.n_units;
    out->rows = arena_alloc(c->arena, (g.n_units + 1) * sizeof *out->rows);
    for (size_t i = 0; i < g.n_units; i++) {
        struct circular_row *r = &out->rows[i];
        const struct reporting_unit_row *u = &g.units[i];
        r->unit_id = u->unit_id;
        r->name = u->name;
        r->urged = u->urged;
        for (size_t k = 0; k < g.n_periods; k++) {
            if (!counted[k])
                continue;
            const int64_t *n = u->cells[k].count;
            r->expected += n[RS_DUE] + n[RS_SUBMITTED] + n[RS_ACCEPTED] + n[RS_RETURNED] +
                           n[RS_MISSING];
            r->reported += n[RS_SUBMITTED] + n[RS_ACCEPTED] + n[RS_RETURNED];
            r->accepted += n[RS_ACCEPTED];
            r->returned += n[RS_RETURNED];
            r->missing += n[RS_MISSING];
        }
    }
    /* The units' items: how many, done (an accepted report says so), overdue (not done, due
     * before today) — the lights' rule (service/light.h). */
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT owner_unit_id, count(*), "
               "sum(CASE WHEN acc = 'done' THEN 1 ELSE 0 END), "
               "sum(CASE WHEN coalesce(acc, '') <> 'done' AND due < :today THEN 1 ELSE 0 END) "
               "FROM (SELECT x.owner_unit_id, x.due, " LIGHT_SQL_ACCEPTED("x.id") " AS acc "
               "FROM work_item x WHERE x.work_plan_id = :w AND x.removed_at IS NULL) "
               "GROUP BY owner_unit_id");
    db_bind_int64(&st, ":w", g.work_plan_id);
    db_bind_text(&st, ":today", g.today);
    while ((rc = db_step(&st)) == DB_ROW) {
        int64_t unit = db_col_int64(&st, 0);
        for (size_t i = 0; i < out->n_rows; i++)
            if (out->rows[i].unit_id == unit) {
                out->rows[i].items = db_col_int64(&st, 1);
                out->rows[i].done = db_col_int64(&st, 2);
                out->rows[i].overdue = db_col_int64(&st, 3);
            }
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "counting the items");
    qsort(out->rows, out->n_rows, sizeof *out->rows, worse_first);
    /* 通报表扬: from the best end, units that reported everything expected of them (at least
     * one report), none returned or missing, and no item overdue. */
    int commended = 0;
    for (size_t i = out->n_rows; i-- > 0 && commended < CIRCULAR_COMMENDED_MAX;) {
        struct circular_row *r = &out->rows[i];
        if (r->expected > 0 && !r->missing && !r->returned && !r->overdue &&
            r->reported == r->expected) {
            r->commended = true;
            commended++;
        }
    }
    for (size_t i = 0; i < out->n_rows; i++)
        for (int k = 0; k < CIRCULAR_FIGURES; k++)
            out->total[k] += *field(&out->rows[i], k);
    words(c, l, out);
    return SVC_OK;
}

static const char *figures_json(struct ctx *c, const struct circular_view *v)
{
    struct sb s = SB_INIT;
    struct jw w;
    jw_init(&w, &s, false);
    jw_arr(&w);
    for (size_t i = 0; i < v->n_rows; i++) {
        struct circular_row r = v->rows[i];
        jw_obj(&w);
        jw_kint(&w, "unit_id", r.unit_id);
        jw_kstr(&w, "name", r.name);
        for (int k = 0; k < CIRCULAR_FIGURES; k++)
            jw_kint(&w, circular_figure_names[k], *field(&r, k));
        jw_kbool(&w, "commended", r.commended);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    const char *out = arena_strdup(c->arena, sb_str(&s));
    sb_free(&s);
    return out;
}

static void audit_json(struct svc_json *j, const struct circular_view *v)
{
    struct jw *w = svc_json_begin(j);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kint(w, "side", v->side);
    jw_kint(w, "year", v->year);
    jw_kstr(w, "period", v->period);
    jw_kstr(w, "title", v->title);
    jw_kstr(w, "body", v->body);
    jw_kstr(w, "status", v->status);
}

static int check_texts(struct ctx *c, const char *title, const char *body, const char **t,
                       const char **b)
{
    int rc = SVC_OK;
    if (title)
        rc = svc_check_text(c, title, true, "err_required", CIRCULAR_TITLE_MAX, "title", t);
    if (rc == SVC_OK && body)
        rc = svc_check_text(c, body, true, "err_required", CIRCULAR_BODY_MAX, "body", b);
    return rc;
}

int circular_create(struct ctx *c, int64_t pairing_id, int side, int year, const char *period,
                    enum lang l, const char *title, const char *body, int64_t *id)
{
    struct circular_view v;
    int rc = circular_compute(c, pairing_id, side, year, period, l, &v);
    if (rc != SVC_OK || (rc = check_texts(c, title, body, &v.title, &v.body)) != SVC_OK)
        return rc;
    const char *now = svc_now(c);
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the circular");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO circular (pairing_id, side, year, period, title, body, figures, "
               "as_of, created_by, created_at, updated_at) VALUES (:p, :side, :year, :period, "
               ":title, :body, :figures, :as_of, :by, :now, :now)");
    db_bind_int64(&st, ":p", v.pairing_id);
    db_bind_int64(&st, ":side", side);
    db_bind_int64(&st, ":year", year);
    db_bind_text(&st, ":period", v.period);
    db_bind_text(&st, ":title", v.title);
    db_bind_text(&st, ":body", v.body);
    db_bind_text(&st, ":figures", figures_json(c, &v));
    db_bind_text(&st, ":as_of", v.as_of);
    if (c->user && c->user->id > 0)
        db_bind_int64(&st, ":by", c->user->id);
    else
        db_bind_null(&st, ":by");
    db_bind_text(&st, ":now", now);
    rc = db_step(&st);
    db_finalize(&st);
    int64_t new_id = db_last_insert_id(c->db);
    struct svc_json j;
    audit_json(&j, &v);
    if (rc < 0 ||
        audit_append(c->db, c->actor, "circular.create", "circular", new_id, NULL,
                     svc_json_end(c, &j), c->client) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return store_failed(c, "storing the circular");
    }
    if (id)
        *id = new_id;
    return SVC_OK;
}

#define CIRCULAR_COLUMNS                                                                      \
    "SELECT o.id, o.pairing_id, o.side, o.year, o.period, o.title, o.body, o.figures, "       \
    "o.as_of, o.status, u.login, o.created_at, o.updated_at, o.published_at, p.name_a, "      \
    "p.name_b FROM circular o JOIN pairing p ON p.id = o.pairing_id "                         \
    "LEFT JOIN users u ON u.id = o.created_by "

static void read_row(struct ctx *c, struct stmt *st, struct circular_view *v, bool figures)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int64(st, 0);
    v->pairing_id = db_col_int64(st, 1);
    v->side = (int)db_col_int64(st, 2);
    v->year = (int)db_col_int64(st, 3);
    v->period = svc_col(c, st, 4);
    v->title = svc_col(c, st, 5);
    v->body = svc_col(c, st, 6);
    v->as_of = svc_col(c, st, 8);
    v->status = svc_col(c, st, 9);
    v->created_by = db_col_is_null(st, 10) ? NULL : svc_col(c, st, 10);
    v->created_at = svc_col(c, st, 11);
    v->updated_at = svc_col(c, st, 12);
    v->published_at = db_col_is_null(st, 13) ? NULL : svc_col(c, st, 13);
    v->name_a = svc_col(c, st, 14);
    v->name_b = svc_col(c, st, 15);
    v->side_name = v->side ? v->name_b : v->name_a;
    if (!figures)
        return;
    json_t *a = json_loads(db_col_text(st, 7), 0, NULL);
    size_t n = json_is_array(a) ? json_array_size(a) : 0;
    v->rows = arena_alloc(c->arena, (n + 1) * sizeof *v->rows);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(a, i);
        struct circular_row *r = &v->rows[v->n_rows++];
        r->unit_id = json_integer_value(json_object_get(o, "unit_id"));
        r->name = arena_strdup(c->arena, json_string_value(json_object_get(o, "name"))
                                             ? json_string_value(json_object_get(o, "name"))
                                             : "");
        for (int k = 0; k < CIRCULAR_FIGURES; k++) {
            *field(r, k) = json_integer_value(json_object_get(o, circular_figure_names[k]));
            v->total[k] += *field(r, k);
        }
        r->commended = json_is_true(json_object_get(o, "commended"));
    }
    json_decref(a);
}

/* May c draw up (and so edit, and read as a draft) v? */
static bool may_write(struct ctx *c, const struct circular_view *v)
{
    bool ok = perm_manage_side(c, v->pairing_id, v->side) == SVC_OK;
    c->code = c->field = c->error = NULL;
    return ok;
}

static int read_one(struct ctx *c, int64_t id, struct circular_view *out)
{
    struct stmt st;
    db_prepare(c->db, &st, CIRCULAR_COLUMNS "WHERE o.id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    if (rc == DB_ROW)
        read_row(c, &st, out, true);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the circular");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no circular %lld",
                        (long long)id);
    return SVC_OK;
}

int circular_get(struct ctx *c, int64_t id, struct circular_view *out)
{
    int rc = read_one(c, id, out);
    if (rc != SVC_OK)
        return rc;
    if (strcmp(out->status, "published") == 0) {
        if ((rc = perm_read_pairing(c, out->pairing_id)) != SVC_OK)
            memset(out, 0, sizeof *out);
        return rc;
    }
    if (may_write(c, out))
        return SVC_OK;
    /* a draft, to anyone who may not write it: as if there were none */
    memset(out, 0, sizeof *out);
    c->code = c->field = c->error = NULL;
    return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no circular %lld", (long long)id);
}

/* Reads, checks and writes one circular in one transaction: the new title/body and/or the
 * published state. */
static int change(struct ctx *c, int64_t id, const char *title, const char *body, bool publish,
                  const char *if_updated_at)
{
    const char *t = NULL, *b = NULL;
    int rc = check_texts(c, title, body, &t, &b);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the change");
    struct circular_view old, v;
    if ((rc = circular_get(c, id, &old)) != SVC_OK)
        goto done;
    if (!may_write(c, &old)) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "may not change circular %lld",
                      (long long)id);
        goto done;
    }
    if (if_updated_at && strcmp(if_updated_at, old.updated_at) != 0) {
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "circular %lld changed meanwhile",
                      (long long)id);
        goto done;
    }
    if (strcmp(old.status, "draft") != 0) {
        rc = svc_fail(c, SVC_CONFLICT, "err_circular_state", NULL,
                      "circular %lld is published: it no longer changes", (long long)id);
        goto done;
    }
    v = old;
    if (t)
        v.title = t;
    if (b)
        v.body = b;
    if (publish)
        v.status = "published";
    const char *now = svc_now_after(c, old.updated_at);
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE circular SET title = :title, body = :body, status = :status, "
               "updated_at = :now, published_at = CASE WHEN :status = 'published' THEN :now "
               "END WHERE id = :id AND updated_at = :seen");
    db_bind_text(&st, ":title", v.title);
    db_bind_text(&st, ":body", v.body);
    db_bind_text(&st, ":status", v.status);
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", old.updated_at);
    int s = db_step(&st);
    db_finalize(&st);
    struct svc_json jb, ja;
    audit_json(&jb, &old);
    const char *before = svc_json_end(c, &jb);
    audit_json(&ja, &v);
    if (s < 0 || db_changes(c->db) != 1 ||
        audit_append(c->db, c->actor, publish ? "circular.publish" : "circular.edit",
                     "circular", id, before, svc_json_end(c, &ja), c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = store_failed(c, "storing the circular");
done:
    db_rollback(c->db); /* a no-op after the commit */
    return rc;
}

int circular_edit(struct ctx *c, int64_t id, const char *title, const char *body,
                  const char *if_updated_at)
{
    return change(c, id, title, body, false, if_updated_at);
}

int circular_publish(struct ctx *c, int64_t id, const char *if_updated_at)
{
    return change(c, id, NULL, NULL, true, if_updated_at);
}

int circular_list(struct ctx *c, int64_t pairing_id, struct circular_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t root = perm_pairing_root(c, pairing_id);
    int rc = root ? perm_read_pairing(c, root)
                  : svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no pairing %lld",
                             (long long)pairing_id);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st, CIRCULAR_COLUMNS "WHERE o.pairing_id = :p ORDER BY o.id DESC");
    db_bind_int64(&st, ":p", root);
    size_t cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct circular_view v;
        read_row(c, &st, &v, false);
        if (strcmp(v.status, "published") == 0 || may_write(c, &v))
            *(struct circular_view *)ARRAY_PUSH(c->arena, *out, *n, cap) = v;
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "listing the circulars") : SVC_OK;
}
