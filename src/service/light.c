/* light: 红黄绿灯 of work items and their counts. The rule itself is the SQL expression
 * LIGHT_SQL in light.h, so a single item, a work plan's items and the counts can never
 * disagree; this file supplies "today" to it and runs the counting query. */
#include "service/light.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "service/internal.h"
#include "service/perm.h"
#include "service/service.h"
#include "store/db.h"

struct light_policy light_policy = {.soon_days = 7, .utc_offset_minutes = 480};

static const char *const names[LIGHT_N] = {"green", "yellow", "red", "done"};

const char *light_name(enum light l)
{
    return (unsigned)l < LIGHT_N ? names[l] : "green";
}

void light_today(char today[11], char soon[11])
{
    int64_t ms = clock_now_ms() + (int64_t)light_policy.utc_offset_minutes * 60000;
    int64_t day = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    int soon_days = light_policy.soon_days > 0 ? light_policy.soon_days : 0;
    clock_format_date(day, today);
    clock_format_date(day + soon_days, soon);
}

int light_this_year(void)
{
    char today[11], soon[11];
    light_today(today, soon);
    return atoi(today);
}

void light_bind(struct stmt *st)
{
    char today[11], soon[11];
    light_today(today, soon);
    db_bind_text(st, ":light_today", today);
    db_bind_text(st, ":light_soon", soon);
}

int light_item(struct ctx *c, int64_t work_item_id, enum light *out)
{
    struct stmt st;
    *out = LIGHT_GREEN;
    db_prepare(c->db, &st,
               "SELECT w.pairing_id, " LIGHT_SQL("i.due", "i.acc") " FROM "
               "(SELECT x.*, " LIGHT_SQL_ACCEPTED("x.id") " AS acc FROM work_item x "
               "WHERE x.id = :id AND x.removed_at IS NULL) i "
               "JOIN work_plan w ON w.id = i.work_plan_id");
    db_bind_int64(&st, ":id", work_item_id);
    light_bind(&st);
    int rc = db_step(&st);
    int64_t pairing = 0;
    int light = 0;
    if (rc == DB_ROW) {
        pairing = db_col_int64(&st, 0);
        light = (int)db_col_int64(&st, 1);
    }
    db_finalize(&st);
    if (rc < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading a light failed");
    if ((rc = svc_item_readable(c, work_item_id, rc == DB_ROW, pairing)) != SVC_OK)
        return rc;
    *out = (enum light)light;
    return SVC_OK;
}

/* The items of a province pairing's work plans of :year (0: every year), not removed, with
 * their light and what they are grouped by: the table `it` that light_counts counts and
 * light_items lists, one text so the two can never disagree. */
#define ITEMS_WITH_LIGHT                                                                     \
    "WITH it AS ("                                                                           \
    " SELECT i.id, i.title, i.due, i.owner_unit_id, i.task_id, i.acc, t.area_id, "           \
    " t.number AS task_number, tp.lineage, " LIGHT_SQL("i.due", "i.acc") " AS light"         \
    " FROM (SELECT x.*, " LIGHT_SQL_ACCEPTED("x.id") " AS acc"                               \
    "  FROM work_item x JOIN work_plan w ON w.id = x.work_plan_id"                           \
    "  WHERE w.pairing_id = :p AND (:year = 0 OR w.year = :year)"                            \
    "  AND x.removed_at IS NULL) i"                                                          \
    " LEFT JOIN task t ON t.id = i.task_id"                                                  \
    " LEFT JOIN plan tp ON tp.id = t.plan_id) "

/* Finds or appends the group with that id in a small arena array (groups arrive sorted by
 * group then id, so the match, when there is one, is the last element). */
static struct light_group *group_for(struct ctx *c, struct light_group **items, size_t *n,
                                     size_t *cap, int64_t id, const char *name, int side)
{
    if (*n && (*items)[*n - 1].id == id)
        return &(*items)[*n - 1];
    struct light_group *g = ARRAY_PUSH(c->arena, *items, *n, *cap);
    g->id = id;
    g->name = arena_strdup(c->arena, name ? name : "");
    g->side = side;
    return g;
}

int light_counts(struct ctx *c, int64_t pairing_id, int year, struct light_summary *out)
{
    memset(out, 0, sizeof *out);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT name_a, name_b FROM pairing WHERE id = :p AND parent_id IS NULL");
    db_bind_int64(&st, ":p", pairing_id);
    int rc = db_step(&st);
    if (rc == DB_ROW)
        out->pairing.name = arena_printf(c->arena, "%s–%s", db_col_text(&st, 0),
                                         db_col_text(&st, 1));
    db_finalize(&st);
    if (rc < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the pairing failed");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "pairing_id",
                        "there is no province pairing %lld", (long long)pairing_id);
    int seen = perm_read_pairing(c, pairing_id);
    if (seen == SVC_NOT_FOUND) /* another pairing: as a missing one */
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "pairing_id",
                        "pairing %lld is another's", (long long)pairing_id);
    if (seen != SVC_OK)
        return seen;
    out->pairing.id = pairing_id;
    out->pairing.side = -1;

    /* One statement: the items with their light (it), then the four groupings stacked. The
     * sort key (grp, ord, id) keeps each group's rows together in display order. */
    db_prepare(c->db, &st,
               ITEMS_WITH_LIGHT
               "SELECT 0 AS grp, 0 AS ord, 0 AS id, NULL AS name, NULL AS name_b, -1 AS side, "
               " light, count(*) FROM it GROUP BY light "
               "UNION ALL "
               "SELECT 1, s.ordinal, s.id, s.title, NULL, -1, it.light, count(*) "
               " FROM it JOIN plan_section s ON s.id = it.area_id "
               " GROUP BY s.ordinal, s.id, s.title, it.light "
               "UNION ALL "
               "SELECT 2, g.id, g.id, g.name_a, g.name_b, -1, it.light, count(*) "
               " FROM pairing g JOIN plan gp ON gp.id = g.plan_id "
               " JOIN it ON it.lineage = gp.lineage AND it.task_number = g.task_number "
               " WHERE g.parent_id = :p "
               " GROUP BY g.id, g.name_a, g.name_b, it.light "
               "UNION ALL "
               "SELECT 3, u.side, u.id, u.name, NULL, u.side, it.light, count(*) "
               " FROM it JOIN unit u ON u.id = it.owner_unit_id "
               " GROUP BY u.side, u.id, u.name, it.light "
               "ORDER BY 1, 2, 4, 3, 7");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":year", year);
    light_bind(&st);
    size_t cap_a = 0, cap_c = 0, cap_u = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        int grp = (int)db_col_int64(&st, 0);
        int64_t id = db_col_int64(&st, 2);
        const char *name = db_col_text(&st, 3);
        int side = (int)db_col_int64(&st, 5);
        int light = (int)db_col_int64(&st, 6);
        int64_t count = db_col_int64(&st, 7);
        struct light_group *g;
        switch (grp) {
        case 0:
            g = &out->pairing;
            break;
        case 1:
            g = group_for(c, &out->areas, &out->n_areas, &cap_a, id, name, -1);
            break;
        case 2:
            g = group_for(c, &out->cities, &out->n_cities, &cap_c, id, NULL, -1);
            if (!g->name[0])
                g->name = arena_printf(c->arena, "%s–%s", name, db_col_text(&st, 4));
            break;
        default:
            g = group_for(c, &out->units, &out->n_units, &cap_u, id, name, side);
            break;
        }
        if (light >= 0 && light < LIGHT_N) {
            g->count[light] += count;
            g->total += count;
        }
    }
    db_finalize(&st);
    if (rc < 0) {
        log_error("light counts: %s", db_errmsg(c->db));
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "counting lights failed");
    }
    return SVC_OK;
}

int light_items(struct ctx *c, int64_t pairing_id, int year, const struct light_filter *f,
                struct light_item **out, size_t *n, bool *more)
{
    *out = NULL;
    *n = 0;
    *more = false;
    if (!svc_can_read_pairing(c, pairing_id))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "pairing %lld is not yours", (long long)pairing_id);
    /* The items with their light as light_counts has them (it), then the filters; a city
     * pairing takes the items of the task it was named under, in the plan's lineage. */
    struct stmt st;
    db_prepare(c->db, &st,
               ITEMS_WITH_LIGHT
               "SELECT it.id, it.title, it.due, coalesce(it.task_id, 0), "
               " coalesce(it.task_number, 0), u.id, u.name, it.light "
               "FROM it JOIN unit u ON u.id = it.owner_unit_id "
               "WHERE (:light < 0 OR it.light = :light) "
               " AND (:area = 0 OR it.area_id = :area) "
               " AND (:unit = 0 OR it.owner_unit_id = :unit) "
               " AND (:overdue = 0 OR (it.due < :light_today AND coalesce(it.acc, '') <> 'done')) "
               " AND (:city = 0 OR EXISTS (SELECT 1 FROM pairing g JOIN plan gp ON gp.id = g.plan_id"
               "  WHERE g.id = :city AND g.parent_id = :p AND gp.lineage = it.lineage"
               "  AND g.task_number = it.task_number)) "
               "ORDER BY CASE it.light WHEN 2 THEN 0 WHEN 1 THEN 1 WHEN 0 THEN 2 ELSE 3 END, "
               " it.due, it.id LIMIT :limit");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":year", year);
    db_bind_int64(&st, ":light", f->light);
    db_bind_int64(&st, ":area", f->area_id);
    db_bind_int64(&st, ":unit", f->unit_id);
    db_bind_int64(&st, ":city", f->city_id);
    db_bind_int64(&st, ":overdue", f->overdue ? 1 : 0);
    db_bind_int64(&st, ":limit", LIGHT_ITEMS_MAX + 1);
    light_bind(&st);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        if (*n == LIGHT_ITEMS_MAX) {
            *more = true;
            break;
        }
        struct light_item *it = ARRAY_PUSH(c->arena, *out, *n, cap);
        it->id = db_col_int64(&st, 0);
        it->title = svc_col(c, &st, 1);
        it->due = svc_col(c, &st, 2);
        it->task_id = db_col_int64(&st, 3);
        it->task_number = (int)db_col_int64(&st, 4);
        it->owner_id = db_col_int64(&st, 5);
        it->owner_name = svc_col(c, &st, 6);
        int light = (int)db_col_int64(&st, 7);
        it->light = light >= 0 && light < LIGHT_N ? (enum light)light : LIGHT_GREEN;
    }
    db_finalize(&st);
    if (rc < 0) {
        log_error("light items: %s", db_errmsg(c->db));
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the items failed");
    }
    return SVC_OK;
}
