/* account: what a signed-in person does to their own account: name and language, password,
 * the list of their sessions, and signing out everywhere. Each acts on r->user only, so no
 * route here takes an account id. */
#include <inttypes.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/auth.h"
#include "service/user.h"

/* The shape GET /api/v1/me answers with (and the sign-in, and PATCH /me): as a user of
 * /api/v1/users, the unit fields are null for an admin, who has no unit. */
void api_me_json(struct jw *w, const struct user *u)
{
    jw_obj(w);
    jw_kint(w, "id", u->id);
    jw_kstr(w, "login", u->login);
    jw_kstr(w, "name", u->name);
    jw_kstr(w, "role", user_role_name(u->role));
    jw_kstr(w, "admin_kind", user_admin_kind_name(u->admin_kind)); /* 三员分立, or null */
    if (u->unit_id) {
        jw_kint(w, "unit_id", u->unit_id);
        jw_kstr(w, "unit", u->unit_name);
        jw_kint(w, "pairing_id", u->pairing_id);
        jw_kint(w, "side", u->side);
    } else {
        jw_knull(w, "unit_id");
        jw_knull(w, "unit");
        jw_knull(w, "pairing_id");
        jw_knull(w, "side");
    }
    jw_kstr(w, "language", u->language);
    jw_obj_end(w);
}

/* PATCH /api/v1/me {"name"?,"language"?} → 200 {"user":…} as GET /api/v1/me. */
int api_me_update(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"name", "language", NULL};
    struct user_input in = {0};
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_str(r, p, "name", false, &in.name)) ||
        (st = api_body_str(r, p, "language", false, &in.language)))
        return st;
    int rc = user_update(&r->ctx, r->user->id, &in);
    struct user u;
    if (rc != SVC_OK || (rc = user_load(&r->ctx, r->user->id, &u)) != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "user");
    api_me_json(&w, &u);
    if (r->csrf_token)
        jw_kstr(&w, "csrf_token", r->csrf_token);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/me/password {"old_password","new_password"} → 204. Every other session of the
 * account ends; the one this request came with stays (signed in by a bearer token: every
 * session ends; API tokens are not sessions and stay). */
int api_me_password(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"old_password", "new_password", NULL};
    const char *old_pw, *new_pw;
    int st;
    if ((st = api_body_fields(r, p, fields)) ||
        (st = api_body_str(r, p, "old_password", true, &old_pw)) ||
        (st = api_body_str(r, p, "new_password", true, &new_pw)))
        return st;
    int64_t keep = 0;
    const char *token = http_session_token(r);
    if (token) {
        struct session_info si;
        int rc = auth_session(&r->ctx, token, &si);
        if (rc != SVC_OK)
            return http_from_service(r, p, rc);
        keep = si.session_id;
    }
    int rc = auth_change_password_keep(&r->ctx, r->user->id, old_pw, new_pw, keep);
    if (rc != SVC_OK) {
        /* The service names the new password "password"; this route calls it new_password. */
        if (r->ctx.field && strcmp(r->ctx.field, "password") == 0)
            r->ctx.field = "new_password";
        return http_from_service(r, p, rc);
    }
    return 204;
}

/* GET /api/v1/me/sessions → {"sessions":[{"id","created_at","last_seen_at","expires_at",
 * "client","current"}]}, newest first. last_seen_at is updated about once a minute. */
int api_me_sessions(struct req *r, struct resp *p)
{
    struct session_view *v;
    size_t n;
    int rc = auth_session_list(&r->ctx, r->user->id, http_session_token(r), &v, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return api_sessions_json(p, v, n, true);
}

int api_sessions_json(struct resp *p, const struct session_view *v, size_t n, bool current)
{
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "sessions");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", v[i].id);
        jw_kstr(&w, "created_at", v[i].created_at);
        jw_kstr(&w, "last_seen_at", v[i].last_seen_at);
        jw_kstr(&w, "expires_at", v[i].expires_at);
        jw_kstr(&w, "client", v[i].client);
        if (current)
            jw_kbool(&w, "current", v[i].current);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/me/sessions/revoke → 204: every session of the account ends, this one too
 * (its cookie is cleared). API tokens are revoked one by one (duikou token revoke). */
int api_me_sessions_revoke(struct req *r, struct resp *p)
{
    int rc = auth_revoke_all(&r->ctx, r->user->id, "sign out everywhere");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (http_session_token(r))
        http_clear_session_cookie(r, p);
    return 204;
}
