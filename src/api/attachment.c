/* attachment: evidence files over the API (the rules are service/attachment.h's). An upload
 * is multipart/form-data with the file in the field "file" and the object it belongs to in
 * "object" and "object_id"; a refused type is 415, a file too large 413, other refusals 422
 * naming the field. The bytes are downloaded at /attachments/{id}. */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "service/attachment.h"

void api_attachment_json(struct jw *w, const struct attachment_view *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kstr(w, "object", v->object);
    jw_kint(w, "object_id", v->object_id);
    jw_kstr(w, "sha256", v->sha256);
    jw_kint(w, "size", v->size);
    jw_kstr(w, "type", v->type);
    jw_kstr(w, "filename", v->filename);
    jw_kstr(w, "uploaded_by", v->uploaded_by);
    jw_kstr(w, "created_at", v->created_at);
    jw_obj_end(w);
}

/* The status of a refused upload: the type 415, the size 413, the rest as the service says. */
int api_attachment_refused(struct req *r, struct resp *p, int rc)
{
    const char *code = r->ctx.code ? r->ctx.code : "";
    if (rc == SVC_INVALID && strcmp(code, "err_attachment_type") == 0)
        return http_error(r, p, 415, code, "file");
    if (rc == SVC_INVALID && strcmp(code, "err_attachment_size") == 0)
        return http_error(r, p, 413, code, "file");
    return http_from_service(r, p, rc);
}

/* POST /api/v1/attachments (multipart: file, object, object_id) → 201. */
int api_attachment_upload(struct req *r, struct resp *p)
{
    const char *object = req_form(r, "object"), *oid = req_form(r, "object_id");
    if (!object || !*object)
        return http_error(r, p, 422, "err_required", "object");
    char *end = NULL;
    long long id = oid ? strtoll(oid, &end, 10) : 0;
    if (!oid || !*oid || *end || id < 1)
        return http_error(r, p, 422, "err_required", "object_id");
    const struct upload *u = req_upload(r, "file");
    /* without a file, as an empty one: the permission is still decided first */
    struct attachment_view v;
    int rc = attachment_add(&r->ctx, object, id, u ? u->filename : NULL,
                            u ? u->content_type : NULL, u ? u->data : "", u ? u->len : 0, &v);
    if (rc != SVC_OK)
        return api_attachment_refused(r, p, rc);
    resp_header(r, p, "Location", arena_printf(r->arena, "/attachments/%" PRId64, v.id));
    struct jw w;
    api_begin(p, &w);
    api_attachment_json(&w, &v);
    return 201;
}

/* GET /api/v1/attachments?object=&object_id= → {"attachments":[…]}. */
int api_attachments(struct req *r, struct resp *p)
{
    int st;
    const char *object = req_query(r, "object");
    int64_t id = api_query_int(r, p, "object_id", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    if (!object || !*object)
        return http_error(r, p, 400, "err_required", "object");
    if (!id)
        return http_error(r, p, 400, "err_required", "object_id");
    struct attachment_view *v;
    size_t n;
    int rc = attachment_list(&r->ctx, object, id, &v, &n);
    if (rc == SVC_INVALID)
        return http_error(r, p, 400, r->ctx.code, r->ctx.field);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "attachments");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        api_attachment_json(&w, &v[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}
