/* plan_upload: a plan file uploaded, previewed, confirmed or cancelled through the API (the
 * rules are service/plan_upload.h's; the pages are web/plan_import.c).
 *   POST /api/v1/plan-uploads (multipart: file)  → 200 the preview; 422 when not a plan
 *   GET /api/v1/plan-uploads/{id}                → 200 the preview; 404 when gone
 *   POST /api/v1/plan-uploads/{id}/confirm       → 200 {"plans":[…]} as imported
 *   DELETE /api/v1/plan-uploads/{id}             → 204 */
#include "api/api.h"
#include "core/json.h"
#include "service/plan_upload.h"

static void results_json(struct jw *w, const struct plan_import_result *x, size_t n)
{
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "title", x[i].title);
        jw_kstr(w, "status", x[i].status);
        jw_kint(w, "version", x[i].version);
        if (x[i].previous_id)
            jw_kint(w, "previous_id", x[i].previous_id);
        jw_kint(w, "areas", x[i].areas);
        jw_kint(w, "tasks", x[i].tasks);
        jw_kint(w, "targets", x[i].targets);
        jw_kint(w, "pairings", x[i].pairings);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* {"id","filename","sha256","expires_at","format","errors","refusal","document":{parse --json},
 *  "results":[…] | null,"changes":[…]} */
static int preview_json(struct resp *p, const struct plan_upload_view *v)
{
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "id", v->id);
    jw_kstr(&w, "filename", v->filename);
    jw_kstr(&w, "sha256", v->sha256);
    jw_kstr(&w, "expires_at", v->expires_at);
    jw_kstr(&w, "format", v->parsed.format);
    jw_kbool(&w, "errors", ingest_has_errors(&v->parsed));
    jw_kstr(&w, "refusal", v->refusal);
    jw_key(&w, "document");
    ingest_write_json(&v->parsed, &w);
    jw_key(&w, "results");
    if (v->results)
        results_json(&w, v->results, v->n_results);
    else
        jw_null(&w);
    jw_key(&w, "changes");
    jw_arr(&w);
    for (size_t i = 0; i < v->n_changes; i++) {
        const struct plan_upload_change *c = &v->changes[i];
        jw_obj(&w);
        jw_kint(&w, "plan", (int64_t)c->plan);
        jw_kint(&w, "number", c->number);
        jw_kstr(&w, "kind", c->kind);
        jw_kstr(&w, "old_title", c->old_title);
        jw_kstr(&w, "old_body", c->old_body);
        jw_kstr(&w, "new_title", c->new_title);
        jw_kstr(&w, "new_body", c->new_body);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

int api_plan_upload_create(struct req *r, struct resp *p)
{
    const struct upload *u = req_upload(r, "file");
    struct plan_upload_view v;
    /* without a file, as an empty one: the permission is still decided first */
    int rc = plan_upload_preview(&r->ctx, u ? u->filename : NULL, u ? u->data : "",
                                 u ? u->len : 0, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return preview_json(p, &v);
}

int api_plan_upload(struct req *r, struct resp *p)
{
    struct plan_upload_view v;
    int rc = plan_upload_get(&r->ctx, r->ids[0], &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return preview_json(p, &v);
}

int api_plan_upload_confirm(struct req *r, struct resp *p)
{
    struct plan_import_result *res;
    size_t n;
    int rc = plan_upload_confirm(&r->ctx, r->ids[0], &res, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "plans");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", res[i].plan_id);
        jw_kstr(&w, "title", res[i].title);
        jw_kstr(&w, "status", res[i].status);
        jw_kint(&w, "version", res[i].version);
        jw_kint(&w, "tasks", res[i].tasks);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

int api_plan_upload_delete(struct req *r, struct resp *p)
{
    int rc = plan_upload_cancel(&r->ctx, r->ids[0]);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    (void)p;
    return 204;
}
