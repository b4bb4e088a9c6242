/* user: accounts over the API. Admins manage every account; a coordinator lists, reads,
 * creates and edits the member accounts of its own side's units (service/user.h has the
 * rules). Password hashes never leave the service; a password generated for a new account is
 * in the 201 answer once and nowhere else (not in the audit log, not in any later read). */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/auth.h"
#include "service/user.h"

static void user_view_json(struct jw *w, const struct user_view *u, const char *password)
{
    jw_obj(w);
    jw_kint(w, "id", u->id);
    jw_kstr(w, "login", u->login);
    jw_kstr(w, "name", u->name);
    jw_kstr(w, "role", u->role);
    jw_kstr(w, "admin_kind", u->admin_kind); /* 三员分立: system security audit, or null */
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
    jw_kstr(w, "email", u->email);
    jw_kbool(w, "disabled", u->disabled);
    jw_kbool(w, "locked", u->locked);
    jw_kstr(w, "locked_until", u->locked ? u->locked_until : NULL);
    jw_kint(w, "failed_logins", u->failed_logins);
    jw_kstr(w, "pw_changed_at", u->pw_changed_at);
    jw_kbool(w, "pw_must_change", u->pw_must_change);
    jw_kstr(w, "last_sign_in_at", u->last_login_at);
    jw_kstr(w, "created_at", u->created_at);
    jw_kstr(w, "updated_at", u->updated_at);
    if (password)
        jw_kstr(w, "password", password);
    jw_obj_end(w);
}

static const char *user_etag(struct req *r, const struct user_view *u)
{
    return arena_printf(r->arena, "\"user-%" PRId64 "-%s\"", u->id, u->updated_at);
}

/* The account as it is now, with its ETag (and after a create its Location and the generated
 * password, if any). */
static int user_answer(struct req *r, struct resp *p, int64_t id, int status,
                       const char *password)
{
    struct user_view u;
    int rc = user_get(&r->ctx, id, &u);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (api_etag(r, p, user_etag(r, &u)))
            return 304;
    } else {
        resp_header(r, p, "ETag", user_etag(r, &u));
    }
    if (status == 201)
        resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/users/%" PRId64, id));
    struct jw w;
    api_begin(p, &w);
    user_view_json(&w, &u, password);
    return status;
}

/* GET /api/v1/users?unit=&after=&limit= → {"users":[…],"next_after":id|null} by id: a
 * coordinator its side's accounts, an admin every account. */
int api_users(struct req *r, struct resp *p)
{
    int st;
    int64_t unit = api_query_int(r, p, "unit", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    int64_t after;
    int limit;
    if ((st = api_query_page(r, p, &after, &limit)))
        return st;
    struct user_view *v;
    size_t n;
    int64_t next;
    int rc = user_list_page(&r->ctx, unit, after, limit, &v, &n, &next);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "users");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        user_view_json(&w, &v[i], NULL);
    jw_arr_end(&w);
    api_next_after(&w, next);
    jw_obj_end(&w);
    return 200;
}

int api_user(struct req *r, struct resp *p)
{
    return user_answer(r, p, r->ids[0], 200, NULL);
}

/* POST /api/v1/users {"login","role","unit_id"?,"admin_kind"?,"name"?,"language"?,"email"?,
 * "password"?} → 201 with the account, plus "password" when none was given and one was
 * generated. Under --mlps admin accounts are made on the command line only (403). */
int api_user_create(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"login",    "name",  "role",     "unit_id",   "language",
                                         "email",    "password", "admin_kind", NULL};
    struct user_input in = {0};
    int st;
    if ((st = api_body_fields(r, p, fields)) || //
        (st = api_body_str(r, p, "login", true, &in.login)) ||
        (st = api_body_str(r, p, "name", false, &in.name)) ||
        (st = api_body_str(r, p, "role", true, &in.role)) ||
        (st = api_body_int(r, p, "unit_id", false, 1, INT64_MAX, &in.unit_id)) ||
        (st = api_body_str(r, p, "language", false, &in.language)) ||
        (st = api_body_str(r, p, "email", false, &in.email)) ||
        (st = api_body_str(r, p, "password", false, &in.password)) ||
        (st = api_body_str(r, p, "admin_kind", false, &in.admin_kind)))
        return st;
    const char *generated = NULL;
    if (!in.password)
        in.password = generated = user_generate_password(&r->ctx);
    int64_t id = 0;
    int rc = user_create(&r->ctx, &in, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return user_answer(r, p, id, 201, generated);
}

/* PATCH /api/v1/users/{id} {"name"?,"role"?,"unit_id"?,"language"?,"email"?,"disabled"?} with
 * If-Match (the account's ETag; 428 without, 412 stale, each after 404/403) → 200.
 * The fields and the disabled flag are written in one transaction with one audit row, so a
 * refusal of either (permission, disabling oneself, a stale If-Match) leaves the account as
 * it was. */
int api_user_update(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"name",     "role",  "unit_id", "language",
                                         "disabled", "login", "email",   NULL};
    struct user_input in = {0};
    int disabled;
    int st;
    if ((st = api_body_fields(r, p, fields)) || //
        (st = api_body_str(r, p, "login", false, &in.login)) ||
        (st = api_body_str(r, p, "name", false, &in.name)) ||
        (st = api_body_str(r, p, "role", false, &in.role)) ||
        (st = api_body_int(r, p, "unit_id", false, 1, INT64_MAX, &in.unit_id)) ||
        (st = api_body_str(r, p, "language", false, &in.language)) ||
        (st = api_body_str(r, p, "email", false, &in.email)) ||
        (st = api_body_bool(r, p, "disabled", &disabled)))
        return st;
    int64_t id = r->ids[0];
    /* Without If-Match the service is asked for a version no account has: its refusals
     * (404, 403) come first, and its err_stale then means 428. */
    const char *seen = api_if_match(r, "user", id);
    in.if_updated_at = seen ? seen : "";
    in.disable = disabled < 0 ? 0 : disabled ? 1 : -1;
    /* One transaction (user_update): also with nothing to change, so that a PATCH without
     * If-Match is always 428. */
    int rc = user_update(&r->ctx, id, &in);
    if (rc == SVC_STALE && !seen)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return user_answer(r, p, id, 200, NULL);
}

/* ---- the security administrator's care of an account (三员分立, service/user.h) ----------- */

/* POST /api/v1/users/{id}/unlock → 200 {"cleared": whether a lock or failures were}: the
 * account's lock and every per-address lock end. */
int api_user_unlock(struct req *r, struct resp *p)
{
    static const char *const fields[] = {NULL};
    int st;
    if (r->json && (st = api_body_fields(r, p, fields)))
        return st;
    bool cleared;
    int rc = user_unlock(&r->ctx, r->ids[0], &cleared);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kbool(&w, "cleared", cleared);
    jw_obj_end(&w);
    return 200;
}

/* GET /api/v1/users/{id}/sessions → {"sessions":[{"id","created_at","last_seen_at",
 * "expires_at","client"}]}, newest first. */
int api_user_sessions(struct req *r, struct resp *p)
{
    struct session_view *v;
    size_t n;
    int rc = user_sessions(&r->ctx, r->ids[0], &v, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return api_sessions_json(p, v, n, false);
}

/* POST /api/v1/users/{id}/sessions/revoke {"session_id"?} → 200 {"ended": n}: that session
 * (404 when it is not one of the account's live ones), or without it all of them. */
int api_user_sessions_revoke(struct req *r, struct resp *p)
{
    static const char *const fields[] = {"session_id", NULL};
    int64_t session_id = 0;
    int st;
    if (r->json && ((st = api_body_fields(r, p, fields)) ||
                    (st = api_body_int(r, p, "session_id", false, 1, INT64_MAX, &session_id))))
        return st;
    int ended;
    int rc = user_end_sessions(&r->ctx, r->ids[0], session_id, &ended);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "ended", ended);
    jw_obj_end(&w);
    return 200;
}
