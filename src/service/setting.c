/* setting: named values recorded for the command line (see setting.h). */
#include "service/setting.h"

#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/sb.h"
#include "store/audit.h"
#include "store/db.h"

int setting_get(struct ctx *c, const char *name, const char **value)
{
    struct stmt st;
    *value = NULL;
    db_prepare(c->db, &st, "SELECT value FROM setting WHERE name = :n");
    db_bind_text(&st, ":n", name);
    int s = db_step(&st);
    if (s == DB_ROW)
        *value = arena_strdup(c->arena, db_col_text(&st, 0));
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading setting %s failed", name);
    return SVC_OK;
}

/* {"name": value} as the audit row's before or after; NULL for none. */
static const char *setting_json(struct ctx *c, const char *name, const char *value)
{
    if (!value)
        return NULL;
    struct sb b = SB_INIT;
    struct jw w;
    jw_init(&w, &b, false);
    jw_obj(&w);
    jw_kstr(&w, name, value);
    jw_obj_end(&w);
    const char *out = arena_strdup(c->arena, sb_str(&b));
    sb_free(&b);
    return out;
}

int setting_put(struct ctx *c, const char *name, const char *value)
{
    const char *old = NULL;
    struct stmt st;
    if (db_begin(c->db) < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "starting the transaction failed");
    int rc = setting_get(c, name, &old);
    if (rc != SVC_OK || (old && strcmp(old, value) == 0)) {
        db_rollback(c->db);
        return rc;
    }
    db_prepare(c->db, &st,
               "INSERT INTO setting (name, value, updated_at) VALUES (:n, :v, :now) "
               "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
               "updated_at = excluded.updated_at");
    db_bind_text(&st, ":n", name);
    db_bind_text(&st, ":v", value);
    db_bind_text(&st, ":now", svc_now(c));
    int s = db_step(&st);
    db_finalize(&st);
    if (s < 0 ||
        audit_append(c->db, c->actor, "setting.update", "setting", 0,
                     setting_json(c, name, old), setting_json(c, name, value), c->client) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "recording setting %s failed",
                        name);
    }
    return SVC_OK;
}

bool setting_mlps(struct ctx *c)
{
    const char *v = NULL;
    return setting_get(c, "mlps", &v) == SVC_OK && v && strcmp(v, "1") == 0;
}
