/* common: what every API handler needs: the JSON writer, integer query parameters, ETags. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"

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
