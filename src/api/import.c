/* import: spreadsheet imports over the API (the rules are service/import.h's).
 *   POST /api/v1/imports               multipart: kind, file (work_items: work_plan_id)
 *                                      → 200 the preview
 *   POST /api/v1/imports/{id}/commit   corrections=1 confirms the rows that replace accepted
 *                                      reports → 200 {"created","unchanged"} (work_items also
 *                                      "updated"), 422 when the preview listed errors; a
 *                                      row that fails names itself in the error ("row")
 * A file that cannot be read at all is 422 with the error's code and field "file"; nothing
 * is stored then. Messages are in the request's language. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/sb.h"
#include "service/import.h"

int api_import_preview(struct req *r, struct resp *p)
{
    const char *kind = req_form(r, "kind");
    if (!kind || !*kind)
        return http_error(r, p, 422, "err_required", "kind");
    const struct upload *u = req_upload(r, "file");
    if (!u)
        return http_error(r, p, 422, "err_required", "file");
    /* work_items: the work plan the rows go into */
    const char *plan = req_form(r, "work_plan_id");
    char *end = NULL;
    long long scope = plan && *plan ? strtoll(plan, &end, 10) : 0;
    if (plan && *plan && (*end || scope < 1))
        return http_error(r, p, 422, "err_invalid", "work_plan_id");
    struct import_view v;
    int rc = import_preview(&r->ctx, kind, (int64_t)scope, u->filename, u->data, u->len, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "id", v.id);
    jw_kstr(&w, "kind", v.kind);
    jw_kstr(&w, "sha256", v.sha256);
    jw_kint(&w, "rows", (int64_t)v.n_rows);
    if (v.cols) { /* the kinds that update what exists: what the commit would do */
        if (v.scope_id)
            jw_kint(&w, "work_plan_id", v.scope_id);
        jw_kint(&w, "new", v.n_new);
        jw_kint(&w, "updated", v.n_update);
        jw_kint(&w, "unchanged", v.n_unchanged);
    } else { /* reports: the rows that replace an accepted report (更正), confirmed at commit */
        jw_key(&w, "corrections");
        jw_arr(&w);
        for (size_t i = 0; i < v.n_rows; i++)
            if (v.rows[i].correction)
                jw_int(&w, v.rows[i].row);
        jw_arr_end(&w);
    }
    jw_kstr(&w, "expires_at", v.expires_at);
    jw_key(&w, "errors");
    jw_arr(&w);
    for (size_t i = 0; i < v.n_errors; i++) {
        const struct import_error *e = &v.errors[i];
        jw_obj(&w);
        jw_kint(&w, "row", e->row);
        jw_kstr(&w, "column", e->column);
        jw_kstr(&w, "code", e->code);
        jw_kstr(&w, "message", import_error_message(r->arena, r->lang, e));
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

int api_import_commit(struct req *r, struct resp *p)
{
    int created, updated, unchanged, row = 0;
    const char *corr = req_form(r, "corrections");
    if (!corr)
        corr = req_query(r, "corrections");
    bool corrections = corr && (strcmp(corr, "1") == 0 || strcmp(corr, "true") == 0);
    struct import_view v;
    int rc = import_get(&r->ctx, r->ids[0], &v);
    if (rc == SVC_OK)
        rc = import_commit(&r->ctx, r->ids[0], corrections, &created, &updated, &unchanged,
                           &row);
    if (rc != SVC_OK) {
        int status = http_from_service(r, p, rc);
        if (row && status != 500) { /* the error again, with the row that made it */
            const char *code = r->ctx.code && i18n_known(r->ctx.code) ? r->ctx.code
                                                                       : "err_conflict";
            struct jw w;
            sb_reset(&p->body);
            jw_init(&w, &p->body, false);
            jw_obj(&w);
            jw_key(&w, "error");
            jw_obj(&w);
            jw_kstr(&w, "code", code);
            jw_kstr(&w, "message", i18n(r->lang, code));
            jw_kstr(&w, "field", r->ctx.field);
            jw_kint(&w, "row", row);
            jw_obj_end(&w);
            jw_obj_end(&w);
        }
        return status;
    }
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "created", created);
    if (v.cols)
        jw_kint(&w, "updated", updated);
    jw_kint(&w, "unchanged", unchanged);
    jw_obj_end(&w);
    return 200;
}
