/* pairing: reads the pairing tree in two queries (tops, then all children) rather than a
 * query per pairing. */
#include "service/pairing.h"

#include <string.h>

#include "core/mem.h"
#include "service/service.h"
#include "store/db.h"

static const char *col(struct ctx *c, struct stmt *st, int i)
{
    return db_col_is_null(st, i) ? NULL : arena_strdup(c->arena, db_col_text(st, i));
}

static void read_row(struct ctx *c, struct stmt *st, struct pairing_view *p)
{
    p->id = db_col_int64(st, 0);
    p->parent_id = db_col_int64(st, 1);
    p->kind = col(c, st, 2);
    p->name_a = col(c, st, 3);
    p->name_b = col(c, st, 4);
    p->code_a = col(c, st, 5);
    p->code_b = col(c, st, 6);
    p->theme = col(c, st, 7);
    p->task = (int)db_col_int64(st, 8);
    p->plan_id = db_col_int64(st, 9);
    p->plan_title = col(c, st, 10);
}

#define PAIRING_COLUMNS                                                                      \
    "SELECT k.id, coalesce(k.parent_id, 0), k.kind, k.name_a, k.name_b, ra.code, rb.code, "  \
    "k.theme, coalesce(k.task_number, 0), coalesce(p.id, 0), p.title FROM pairing k "         \
    "LEFT JOIN region ra ON ra.id = k.region_a LEFT JOIN region rb ON rb.id = k.region_b "    \
    "LEFT JOIN plan p ON p.id = (SELECT min(id) FROM plan WHERE pairing_id = k.id "           \
    "AND status = 'current') "

/* Children of tops[0..n) in one query, attached in order. One top (a pairing's page) reads
 * its own children only, not every city pairing of every pairing. */
static int attach_children(struct ctx *c, struct pairing_view *tops, size_t n)
{
    struct stmt st;
    int rc;
    size_t *caps = arena_alloc(c->arena, (n + 1) * sizeof *caps);
    if (n == 1) {
        db_prepare(c->db, &st, PAIRING_COLUMNS "WHERE k.parent_id = :p "
                                               "ORDER BY k.task_number, k.id");
        db_bind_int64(&st, ":p", tops[0].id);
    } else {
        db_prepare(c->db, &st, PAIRING_COLUMNS "WHERE k.parent_id IS NOT NULL "
                                               "ORDER BY k.parent_id, k.task_number, k.id");
    }
    while ((rc = db_step(&st)) == DB_ROW) {
        int64_t parent = db_col_int64(&st, 1);
        for (size_t i = 0; i < n; i++)
            if (tops[i].id == parent) {
                read_row(c, &st, ARRAY_PUSH(c->arena, tops[i].children, tops[i].n_children,
                                            caps[i]));
                break;
            }
    }
    db_finalize(&st);
    return rc < 0 ? SVC_ERROR : SVC_OK;
}

int pairing_tree(struct ctx *c, struct pairing_view **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    struct stmt st;
    int rc;
    db_prepare(c->db, &st, PAIRING_COLUMNS "WHERE k.parent_id IS NULL ORDER BY k.id");
    while ((rc = db_step(&st)) == DB_ROW)
        read_row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    if (rc < 0)
        return SVC_ERROR;
    return attach_children(c, *out, *n);
}

int pairing_get(struct ctx *c, int64_t id, struct pairing_view *out)
{
    memset(out, 0, sizeof *out);
    struct stmt st;
    db_prepare(c->db, &st, PAIRING_COLUMNS "WHERE k.id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    if (rc == DB_ROW)
        read_row(c, &st, out);
    db_finalize(&st);
    if (rc < 0)
        return SVC_ERROR;
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no pairing %lld",
                        (long long)id);
    return out->parent_id ? SVC_OK : attach_children(c, out, 1);
}
