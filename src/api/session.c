/* session: sign in and out over the API, and who am I. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/auth.h"

/* POST /api/v1/session {"login":…,"password":…} → 201, the session cookie, and the CSRF
 * token every later write must carry. A session the browser brought with it ends once the
 * new one exists, so a browser holds one session, and one signed in before (perhaps by
 * someone else, on a shared computer) does not live on behind the new cookie. */
int api_session_create(struct req *r, struct resp *p)
{
    json_t *login = json_object_get(r->json, "login"), *pw = json_object_get(r->json, "password");
    if (!json_is_string(login))
        return http_error(r, p, 422, login ? "err_type" : "err_required", "login");
    if (!json_is_string(pw))
        return http_error(r, p, 422, pw ? "err_type" : "err_required", "password");
    struct session_info s;
    int rc = auth_login(&r->ctx, json_string_value(login), json_string_value(pw), &s);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (r->session_token && (rc = auth_logout(&r->ctx, r->session_token)) != SVC_OK) {
        /* The new session's token is never handed out, so it goes unused. */
        return http_from_service(r, p, rc);
    }
    http_set_session_cookie(r, p, s.token);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "user");
    api_me_json(&w, &s.user);
    jw_kstr(&w, "csrf_token", s.csrf_token);
    jw_obj_end(&w);
    return 201;
}

/* DELETE /api/v1/session → 204; the session token stops working at once. */
int api_session_delete(struct req *r, struct resp *p)
{
    const char *token = http_session_token(r);
    if (token) {
        int rc = auth_logout(&r->ctx, token);
        if (rc != SVC_OK)
            return http_from_service(r, p, rc);
    }
    http_clear_session_cookie(r, p);
    return 204;
}

int api_me(struct req *r, struct resp *p)
{
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "user");
    api_me_json(&w, r->user);
    if (r->csrf_token)
        jw_kstr(&w, "csrf_token", r->csrf_token);
    jw_obj_end(&w);
    return 200;
}
