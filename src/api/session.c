/* session: sign in and out over the API, and who am I. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/auth.h"

/* What a session knows of its sign-in (service/sign_in.c): "last_sign_in" (the one before:
 * at and client, null when none, and the failures since), "password_change" (mlps: the code
 * of why the password must be changed first, or null) and, right after a sign-in that ended
 * another session (mlps), "ended_session". */
static void sign_in_json(struct jw *w, const struct session_info *s)
{
    jw_key(w, "last_sign_in");
    jw_obj(w);
    jw_kstr(w, "at", s->last_login_at);
    jw_kstr(w, "client", s->last_login_client);
    jw_kint(w, "failures_since", s->failures_since);
    jw_obj_end(w);
    jw_kstr(w, "password_change", s->password_change);
    if (s->ended_at) {
        jw_key(w, "ended_session");
        jw_obj(w);
        jw_kstr(w, "signed_in_at", s->ended_at);
        jw_kstr(w, "client", s->ended_client);
        jw_obj_end(w);
    }
}

/* POST /api/v1/session {"login":…,"password":…[,"code":…]} → 201, the session cookie, and the CSRF
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
    /* An account with two-factor sign-in needs the code in the same request: 401
     * err_two_factor_required without it, err_two_factor_wrong when wrong or used. */
    json_t *code = json_object_get(r->json, "code");
    if (code && !json_is_string(code) && !json_is_null(code))
        return http_error(r, p, 422, "err_type", "code");
    struct session_info s;
    int rc = auth_login_code(&r->ctx, json_string_value(login), json_string_value(pw),
                             json_is_string(code) ? json_string_value(code) : NULL, NULL, &s);
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
    sign_in_json(&w, &s);
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
    if (r->session)
        sign_in_json(&w, r->session);
    jw_obj_end(&w);
    return 200;
}
