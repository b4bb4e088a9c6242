/* region: keeps the region table in step with the gazetteer. Rows are only ever added: a
 * region that pairings point at must not vanish when the data package drops it. */
#include "service/region.h"

#include "core/mem.h"
#include "ingest/gazetteer.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

int64_t region_id(struct ctx *c, const char *code)
{
    struct stmt st;
    int64_t id = 0;
    db_prepare(c->db, &st, "SELECT id FROM region WHERE code = :code");
    db_bind_text(&st, ":code", code);
    if (db_step(&st) == DB_ROW)
        id = db_col_int64(&st, 0);
    db_finalize(&st);
    return id;
}

static int64_t region_count(struct ctx *c)
{
    struct stmt st;
    int64_t n = -1;
    db_prepare(c->db, &st, "SELECT count(*) FROM region");
    if (db_step(&st) == DB_ROW)
        n = db_col_int64(&st, 0);
    db_finalize(&st);
    return n;
}

int region_sync(struct ctx *c, int64_t *added)
{
    const struct gazetteer *g = gazetteer_get();
    size_t n = gazetteer_count(g);
    int64_t have = region_count(c), count = 0;
    int rc = SVC_OK;
    if (added)
        *added = 0;
    if (have < 0)
        return SVC_ERROR;
    if ((size_t)have >= n)
        return SVC_OK; /* rows are never removed, so equal counts mean nothing is missing */
    if (db_begin(c->db) < 0)
        return SVC_ERROR;
    /* Parents first: levels in order, and zones in file order (a zone's parent zone comes
     * before it in zones.csv). */
    for (int level = REGION_PROVINCE; level <= REGION_ZONE; level++) {
        for (size_t i = 0; i < n; i++) {
            const struct region *r = gazetteer_at(g, i);
            if ((int)r->level != level)
                continue;
            struct stmt st;
            db_prepare(c->db, &st,
                       "INSERT INTO region (code, name, short_name, level, parent_id) "
                       "SELECT :code, :name, :short, :level, "
                       "(SELECT id FROM region WHERE code = :parent) "
                       "WHERE NOT EXISTS (SELECT 1 FROM region WHERE code = :code)");
            db_bind_text(&st, ":code", r->code);
            db_bind_text(&st, ":name", r->name);
            db_bind_text(&st, ":short", r->short_name);
            db_bind_text(&st, ":level", region_level_name(r->level));
            db_bind_text(&st, ":parent", r->parent ? r->parent->code : NULL);
            int s = db_step(&st);
            db_finalize(&st);
            if (s < 0) {
                rc = SVC_ERROR;
                goto done;
            }
            count += db_changes(c->db);
        }
    }
    if (audit_append(c->db, c->actor, "region.sync", "region", 0, NULL,
                     arena_printf(c->arena, "{\"added\":%lld,\"total\":%zu}", (long long)count, n),
                     c->client) < 0) {
        rc = SVC_ERROR;
        goto done;
    }
    if (db_commit(c->db) < 0)
        rc = SVC_ERROR;
    else if (added)
        *added = count;
done:
    if (rc != SVC_OK)
        db_rollback(c->db);
    return rc;
}
