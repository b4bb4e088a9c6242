/* health: GET /healthz for load balancers and the start-up check of the tests. */
#include "core/json.h"
#include "http/internal.h"

int http_health(struct req *r, struct resp *p)
{
    struct jw w;
    p->content_type = "application/json; charset=utf-8";
    jw_init(&w, &p->body, false);
    jw_obj(&w);
    jw_kbool(&w, "ok", true);
    jw_obj_end(&w);
    return 200;
}
