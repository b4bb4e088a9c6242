/* internal: the helpers of service/internal.h. */
#include "service/internal.h"

#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/utf8.h"
#include "service/perm.h"
#include "service/service.h"
#include "store/db.h"

const char *svc_col(struct ctx *c, struct stmt *st, int i)
{
    return db_col_is_null(st, i) ? NULL : arena_strdup(c->arena, db_col_text(st, i));
}

void svc_bind_opt_id(struct stmt *st, const char *name, int64_t id)
{
    if (id)
        db_bind_int64(st, name, id);
    else
        db_bind_null(st, name);
}

int svc_cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

bool svc_can_read_pairing(struct ctx *c, int64_t pairing_id)
{
    return perm_read_pairing(c, pairing_id) == SVC_OK;
}

int svc_store_failed(struct ctx *c, const char *module, const char *what)
{
    log_error("%s: %s: %s", module, what, db_errmsg(c->db));
    return svc_fail(c, SVC_ERROR, "err_internal", NULL, "%s failed", what);
}

static bool is_trim_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000;
}

int svc_check_text(struct ctx *c, const char *in, bool required, const char *blank_code,
                   size_t max, const char *field, const char **out)
{
    *out = NULL;
    size_t len = in ? strlen(in) : 0;
    if (in && !utf8_valid(in, len, NULL))
        return svc_fail(c, SVC_INVALID, "err_invalid", field, "%s is not valid UTF-8", field);
    const char *s = len ? text_nfc(c->arena, in, len) : "";
    len = strlen(s);
    size_t i = 0, start = 0, end = 0;
    while (i < len) {
        size_t at = i;
        uint32_t cp = utf8_decode(s, len, &i);
        if (cp < 0x20 && !is_trim_space(cp))
            return svc_fail(c, SVC_INVALID, "err_invalid", field,
                            "%s holds a control character", field);
        if (!is_trim_space(cp)) {
            if (!end)
                start = at;
            end = i;
        }
    }
    if (!end) {
        if (required)
            return svc_fail(c, SVC_INVALID, blank_code, field, "%s is required", field);
        return SVC_OK;
    }
    if (utf8_count(s + start, end - start) > max)
        return svc_fail(c, SVC_INVALID, "err_too_long", field,
                        "%s is longer than %zu characters", field, max);
    *out = arena_strndup(c->arena, s + start, end - start);
    return SVC_OK;
}

int svc_check_limit(struct ctx *c, int *limit, int def, int max)
{
    if (*limit == 0)
        *limit = def;
    if (*limit < 0 || *limit > max)
        return svc_fail(c, SVC_INVALID, "err_range", "limit", "limit must be within 1–%d", max);
    return SVC_OK;
}

int64_t svc_item_pairing(struct ctx *c, int64_t item_id, bool live)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT w.pairing_id FROM work_item i JOIN work_plan w ON w.id = i.work_plan_id "
               "WHERE i.id = :id AND (:live = 0 OR i.removed_at IS NULL)");
    db_bind_int64(&st, ":id", item_id);
    db_bind_int64(&st, ":live", live);
    int rc = db_step(&st);
    int64_t p = rc == DB_ROW ? db_col_int64(&st, 0) : rc < 0 ? -1 : 0;
    db_finalize(&st);
    return p;
}

int64_t svc_task_pairing(struct ctx *c, int64_t task_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT p.pairing_id FROM task t JOIN plan p ON p.id = t.plan_id WHERE t.id = :id");
    db_bind_int64(&st, ":id", task_id);
    int rc = db_step(&st);
    int64_t pairing = rc == DB_ROW ? db_col_int64(&st, 0) : rc < 0 ? -1 : 0;
    db_finalize(&st);
    return pairing;
}

int svc_item_readable(struct ctx *c, int64_t item_id, bool found, int64_t pairing)
{
    if (!found)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no work item %lld",
                        (long long)item_id);
    return perm_read_pairing(c, pairing); /* another pairing's: as a missing one */
}

struct jw *svc_json_begin(struct svc_json *j)
{
    j->b = (struct sb)SB_INIT;
    jw_init(&j->w, &j->b, false);
    jw_obj(&j->w);
    return &j->w;
}

const char *svc_json_end(struct ctx *c, struct svc_json *j)
{
    jw_obj_end(&j->w);
    const char *json = arena_strdup(c->arena, sb_str(&j->b));
    sb_free(&j->b);
    return json;
}

bool svc_of_pairing(struct ctx *c, const char *sql_exists, int64_t id, int64_t pairing)
{
    struct stmt st;
    db_prepare(c->db, &st, sql_exists);
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":p", pairing);
    bool ok = db_step(&st) == DB_ROW;
    db_finalize(&st);
    return ok;
}

int svc_check_units(struct ctx *c, int64_t pairing, const int64_t *unit_ids, size_t n,
                    int64_t *ids, int *sides, size_t *k)
{
    *k = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t of = 0;
        int side = 0;
        int rc = perm_unit_scope(c, unit_ids[i], &of, &side);
        if (rc == SVC_NOT_FOUND || (rc == SVC_OK && of != pairing))
            return svc_fail(c, SVC_INVALID, "err_unit_unknown", "unit_ids",
                            "unit %lld is not a unit of this pairing", (long long)unit_ids[i]);
        if (rc != SVC_OK)
            return rc;
        bool dup = false;
        for (size_t m = 0; m < *k; m++)
            dup = dup || ids[m] == unit_ids[i];
        if (!dup) {
            ids[*k] = unit_ids[i];
            sides[(*k)++] = side;
        }
    }
    return SVC_OK;
}
