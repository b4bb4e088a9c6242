/* health: GET /healthz for load balancers and the start-up check of the tests: {"ok":true}
 * with the day the server counts as today (the plans' time zone, as the lights use it), so a
 * test or a monitor can see which calendar the server is on. */
#include "core/json.h"
#include "http/internal.h"
#include "service/light.h"

int http_health(struct req *r, struct resp *p)
{
    (void)r;
    struct jw w;
    char today[11], soon[11];
    light_today(today, soon);
    p->content_type = "application/json; charset=utf-8";
    jw_init(&w, &p->body, false);
    jw_obj(&w);
    jw_kbool(&w, "ok", true);
    jw_kstr(&w, "today", today);
    jw_kint(&w, "utc_offset_minutes", light_policy.utc_offset_minutes);
    jw_obj_end(&w);
    return 200;
}
