/* common: what every API handler needs: the JSON writer, integer query parameters, ETags. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/pairing.h"
#include "service/perm.h"

void api_begin(struct resp *p, struct jw *w)
{
    p->content_type = "application/json; charset=utf-8";
    jw_init(w, &p->body, false);
}

int64_t api_query_int(struct req *r, struct resp *p, const char *name, int64_t def, int64_t min,
                      int64_t max, int *status)
{
    const char *v = req_query(r, name);
    *status = 0;
    if (!v)
        return def;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || errno || x < min || x > max) {
        *status = http_error(r, p, 400, "err_range", name);
        return -1;
    }
    return x;
}

bool api_etag(struct req *r, struct resp *p, const char *etag)
{
    const char *inm = req_header(r, "If-None-Match");
    resp_header(r, p, "ETag", etag);
    if (inm && strcmp(inm, etag) == 0) {
        p->status = 304;
        return true;
    }
    return false;
}

int api_pairing_check(struct req *r, struct resp *p, int64_t id, const char *field,
                      bool province)
{
    /* Permission first: for anyone but an admin an unknown id is just another pairing
     * they may not read, so ids reveal nothing. */
    int rc = perm_read_pairing(&r->ctx, id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct pairing_view v;
    rc = pairing_get(&r->ctx, id, &v);
    if (rc == SVC_NOT_FOUND)
        return http_error(r, p, 404, "err_not_found", field);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (province && v.parent_id)
        return http_error(r, p, 422, "err_invalid", field);
    return 0;
}

int api_query_page(struct req *r, struct resp *p, int64_t *after, int *limit)
{
    int st;
    *after = api_query_int(r, p, "after", 0, 0, INT64_MAX, &st);
    if (st)
        return st;
    *limit = (int)api_query_int(r, p, "limit", API_PAGE_DEFAULT, 1, API_PAGE_MAX, &st);
    return st;
}

void api_next_after(struct jw *w, int64_t next)
{
    if (next)
        jw_kint(w, "next_after", next);
    else
        jw_knull(w, "next_after");
}
