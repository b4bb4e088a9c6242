/* router: one pipeline for every request, in this order: find the route (404/405), find who
 * is asking (session cookie or bearer token), check the route's least role (401/403), rate
 * limits (429), same origin and CSRF token for writes (403), the body's type and parsing
 * (415/400), then the handler. The order matters: nothing costly or state-dependent happens
 * for a request that could not be allowed anyway. */
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "http/internal.h"
#include "service/audit_log.h"
#include "service/auth.h"
#include "service/perm.h"
#include "service/two_factor.h"
#include "service/user.h"
#include "store/db.h"
#include "web/html.h"
#include "web/web.h"

struct http_state http_state;

void http_state_init(const struct http_config *cfg)
{
    struct http_state *s = &http_state;
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    if (!s->cfg.listen || !*s->cfg.listen)
        s->cfg.listen = "127.0.0.1:8080";
    if (!s->cfg.max_connections)
        s->cfg.max_connections = HTTP_DEFAULT_MAX_CONNECTIONS;
    if (!s->cfg.max_per_address)
        s->cfg.max_per_address = HTTP_DEFAULT_MAX_PER_ADDRESS;
    if (!s->cfg.connection_timeout)
        s->cfg.connection_timeout = HTTP_DEFAULT_TIMEOUT;
    if (!s->cfg.max_body)
        s->cfg.max_body = HTTP_DEFAULT_MAX_BODY;
    if (!s->cfg.max_upload)
        s->cfg.max_upload = HTTP_DEFAULT_MAX_UPLOAD;
    if (!s->cfg.max_header)
        s->cfg.max_header = HTTP_DEFAULT_MAX_HEADER;
    if (s->cfg.login_per_minute == 0)
        s->cfg.login_per_minute = 10;
    if (s->cfg.writes_per_second == 0)
        s->cfg.writes_per_second = 20;
    if (s->cfg.login_per_minute > 0) {
        s->login_rl = ratelimit_new(s->cfg.login_per_minute / 60.0, s->cfg.login_per_minute,
                                    HTTP_RATELIMIT_KEYS);
        double per_address = (double)s->cfg.login_per_minute * HTTP_LOGIN_ADDRESS_FACTOR;
        s->login_addr_rl = ratelimit_new(per_address / 60.0, per_address, HTTP_RATELIMIT_KEYS);
    }
    if (s->cfg.writes_per_second > 0)
        s->write_rl = ratelimit_new(s->cfg.writes_per_second, 3.0 * s->cfg.writes_per_second,
                                    HTTP_RATELIMIT_KEYS);
    s->cookie_name = s->cfg.behind_tls ? "__Host-duikou_session" : "duikou_session";
    if (s->cfg.n_hosts == 0) { /* the listen address's host; localhost beside a loopback one */
        const char *colon = strrchr(s->cfg.listen, ':');
        const char *h = colon ? s->cfg.listen : "127.0.0.1"; /* a bare port: as parse_listen */
        size_t n = colon ? (size_t)(colon - s->cfg.listen) : strlen(h);
        if (n >= 2 && h[0] == '[' && h[n - 1] == ']')
            h++, n -= 2;
        snprintf(s->listen_host, sizeof s->listen_host, "%.*s", (int)n, h);
        bool any = !*s->listen_host || strcmp(s->listen_host, "0.0.0.0") == 0 ||
                   strcmp(s->listen_host, "::") == 0;
        if (!any) {
            s->cfg.hosts[s->cfg.n_hosts++] = s->listen_host;
            if (strncmp(s->listen_host, "127.", 4) == 0 || strcmp(s->listen_host, "::1") == 0 ||
                strcmp(s->listen_host, "localhost") == 0) {
                s->cfg.hosts[s->cfg.n_hosts++] = "localhost";
                s->cfg.hosts[s->cfg.n_hosts++] = "127.0.0.1";
                s->cfg.hosts[s->cfg.n_hosts++] = "::1";
            }
        }
    }
    s->routes = http_routes;
    s->n_routes = http_n_routes;
}

void http_state_free(void)
{
    ratelimit_free(http_state.login_rl);
    ratelimit_free(http_state.login_addr_rl);
    ratelimit_free(http_state.write_rl);
    memset(&http_state, 0, sizeof http_state);
}

/* ---- matching ---------------------------------------------------------------------------- */

/* A positive int64 in decimal, no sign, no leading zero. */
static bool parse_id(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 19 || s[0] == '0')
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > INT64_MAX)
        return false;
    *out = (int64_t)v;
    return true;
}

static bool match_pattern(const char *pat, const char *path, int64_t ids[HTTP_MAX_IDS],
                          int *n_ids)
{
    int n = 0;
    while (*pat && *path) {
        if (*pat != '{') { /* a literal character: most routes fail at the first few */
            if (*pat != *path)
                return false;
            pat++;
            path++;
        } else if (strncmp(pat, "{file}", 6) == 0) {
            /* A file name (one segment, no capture: the handler reads r->path). */
            size_t seg = strcspn(path, "/");
            if (seg == 0)
                return false;
            pat += 6;
            path += seg;
        } else {
            const char *close = strchr(pat, '}');
            size_t seg = strcspn(path, "/");
            if (!close || n >= HTTP_MAX_IDS || !parse_id(path, seg, &ids[n]))
                return false;
            n++;
            pat = close + 1;
            path += seg;
        }
    }
    if (*pat || *path)
        return false;
    *n_ids = n;
    return true;
}

const struct route *http_match(const struct route *routes, size_t n, const char *method,
                               const char *path, int64_t ids[HTTP_MAX_IDS], int *n_ids,
                               bool *path_matched)
{
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    int64_t tmp[HTTP_MAX_IDS];
    int nt = 0;
    *path_matched = false;
    for (size_t i = 0; i < n; i++) {
        if (!match_pattern(routes[i].pattern, path, tmp, &nt))
            continue;
        if (strcmp(routes[i].method, m) == 0) {
            memcpy(ids, tmp, sizeof tmp);
            *n_ids = nt;
            return &routes[i];
        }
        *path_matched = true;
    }
    return NULL;
}

/* The Allow header for a path some routes match: their methods, GET adding HEAD. */
static const char *allow_header(struct req *r)
{
    struct sb out = SB_INIT;
    int64_t ids[HTTP_MAX_IDS];
    int n_ids;
    const struct route *routes = http_state.routes;
    for (size_t i = 0; i < http_state.n_routes; i++) {
        const struct route *rt = &routes[i];
        if (!match_pattern(rt->pattern, r->path, ids, &n_ids))
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(routes[j].method, rt->method) == 0 &&
                   match_pattern(routes[j].pattern, r->path, ids, &n_ids);
        if (seen)
            continue;
        sb_appendf(&out, "%s%s", out.len ? ", " : "", rt->method);
        if (strcmp(rt->method, "GET") == 0)
            sb_append(&out, ", HEAD");
    }
    const char *s = arena_strdup(r->arena, sb_str(&out));
    sb_free(&out);
    return s;
}

bool http_method_writes(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* ---- who is asking ----------------------------------------------------------------------- */

const char *http_session_cookie_name(void)
{
    return http_state.cookie_name ? http_state.cookie_name : "duikou_session";
}

const char *http_session_token(const struct req *r)
{
    return r->session_token;
}

static void set_cookie(struct req *r, struct resp *p, const char *value, bool clear)
{
    resp_header(r, p, "Set-Cookie",
                arena_printf(r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
                             http_session_cookie_name(), value,
                             http_state.cfg.behind_tls ? "; Secure" : "",
                             clear ? "; Max-Age=0" : ""));
}

void http_set_session_cookie(struct req *r, struct resp *p, const char *token)
{
    /* Tokens are base64url; anything else must not reach a header. */
    for (const char *c = token; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_' || *c == '.')) {
            log_error("http: refusing a session token with a '%c' in it", *c);
            return;
        }
    set_cookie(r, p, token, false);
}

void http_clear_session_cookie(struct req *r, struct resp *p)
{
    set_cookie(r, p, "", true);
}

static void set_user(struct req *r, const struct user *u)
{
    struct user *copy = arena_alloc(r->arena, sizeof *copy);
    *copy = *u;
    r->user = copy;
    r->ctx.user = copy;
    r->ctx.actor = arena_printf(r->arena, "user:%s", u->login ? u->login : "?");
    /* The user's language unless the request names one (?lang= or the lang cookie). */
    if (u->language && !req_lang_choice(r))
        r->lang = i18n_parse(u->language);
}

/* The request as one without a session (a session that must enrol first, on a public
 * route): it reads what anyone reads. */
static void as_anonymous(struct req *r)
{
    r->user = NULL;
    r->ctx.user = NULL;
    r->ctx.actor = "public";
    r->session = NULL;
    r->session_token = NULL;
    r->csrf_token = NULL;
}

/* Fills r->user from a bearer token or the session cookie. A bad bearer token is an error
 * (the client asked to be someone); a bad cookie leaves the request anonymous, and
 * *cookie_code says why (err_session_expired) for a 401 later. 0 or an error status. */
static int authenticate(struct req *r, struct resp *p, const char **cookie_code)
{
    const char *authz = req_header(r, "Authorization");
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        const char *tok = authz + 7;
        while (*tok == ' ')
            tok++;
        struct user u;
        int rc = strlen(tok) > AUTH_TOKEN_MAX || !*tok ? SVC_UNAUTHORIZED
                                                       : auth_token_user(&r->ctx, tok, &u);
        if (rc == SVC_OK) {
            r->via_token = true;
            set_user(r, &u);
            return 0;
        }
        if (rc == SVC_UNAUTHORIZED) {
            resp_header(r, p, "WWW-Authenticate", "Bearer");
            return http_error(r, p, 401, "err_unauthorized", NULL);
        }
        return http_from_service(r, p, rc);
    }
    const char *tok = req_cookie(r, http_session_cookie_name());
    if (!tok || !*tok || strlen(tok) > AUTH_TOKEN_MAX)
        return 0;
    struct session_info si;
    const struct scope_version *v = http_request_scopes(r);
    int rc = auth_session_at(&r->ctx, tok, v ? &v->accounts : NULL, &si);
    if (rc == SVC_OK) {
        struct session_info *kept = arena_alloc(r->arena, sizeof *kept);
        *kept = si;
        r->session = kept;
        r->session_token = tok;
        r->csrf_token = si.csrf_token;
        set_user(r, &si.user);
        return 0;
    }
    if (rc != SVC_UNAUTHORIZED)
        return http_from_service(r, p, rc);
    *cookie_code = r->ctx.code && i18n_known(r->ctx.code) ? r->ctx.code : "err_unauthorized";
    r->ctx.code = r->ctx.field = r->ctx.error = NULL;
    return 0;
}

/* ---- origin and CSRF --------------------------------------------------------------------- */

/* Splits host[:port] (IPv6 in brackets) into a host span and a port; def when absent. */
static bool split_hostport(const char *s, size_t n, const char **host, size_t *host_n,
                           unsigned *port, unsigned def)
{
    const char *colon = NULL;
    if (n && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (!close)
            return false;
        if ((size_t)(close - s) + 1 < n) {
            if (close[1] != ':')
                return false;
            colon = close + 1;
        }
    } else {
        colon = memchr(s, ':', n);
    }
    *host = s;
    *host_n = colon ? (size_t)(colon - s) : n;
    *port = def;
    if (colon) {
        const char *d = colon + 1, *end = s + n;
        if (d == end || end - d > 5)
            return false;
        unsigned v = 0;
        for (; d < end; d++) {
            if (*d < '0' || *d > '9')
                return false;
            v = v * 10 + (unsigned)(*d - '0');
        }
        if (v == 0 || v > 65535)
            return false;
        *port = v;
    }
    return *host_n > 0;
}

bool http_host_allowed(const char *host)
{
    const struct http_config *cfg = &http_state.cfg;
    if (!host)
        return false;
    if (cfg->n_hosts == 0) /* listening on every address, no --host: any name */
        return *host != '\0';
    const char *h;
    size_t hn;
    unsigned port;
    if (!split_hostport(host, strlen(host), &h, &hn, &port, 80))
        return false;
    if (hn >= 2 && h[0] == '[') /* [::1] names ::1 */
        h++, hn -= 2;
    for (int i = 0; i < cfg->n_hosts; i++)
        if (strlen(cfg->hosts[i]) == hn && strncasecmp(cfg->hosts[i], h, hn) == 0)
            return true;
    return false;
}

bool http_same_origin(const char *origin, const char *host, bool behind_tls)
{
    if (!origin || !host)
        return false;
    unsigned def;
    const char *rest;
    /* The scheme the browser used: https only behind TLS, plain http only without. */
    if (strncasecmp(origin, "https://", 8) == 0 && behind_tls)
        def = 443, rest = origin + 8;
    else if (strncasecmp(origin, "http://", 7) == 0 && !behind_tls)
        def = 80, rest = origin + 7;
    else
        return false; /* "null", another scheme, or the scheme this server is not reached by */
    size_t rn = strlen(rest);
    if (rn && rest[rn - 1] == '/')
        rn--;
    const char *oh, *hh;
    size_t ohn, hhn;
    unsigned op, hp;
    if (!split_hostport(rest, rn, &oh, &ohn, &op, def) ||
        !split_hostport(host, strlen(host), &hh, &hhn, &hp, def))
        return false;
    return ohn == hhn && strncasecmp(oh, hh, ohn) == 0 && op == hp;
}

static bool csrf_token_ok(struct req *r)
{
    const char *sent = req_header(r, "X-CSRF-Token");
    if (!sent)
        sent = req_form(r, "csrf_token");
    if (!sent || !r->csrf_token)
        return false;
    size_t n = strlen(r->csrf_token);
    return n > 0 && strlen(sent) == n && sodium_memcmp(sent, r->csrf_token, n) == 0;
}

/* ---- pages ------------------------------------------------------------------------------ */

bool http_route_is_page(const struct route *rt)
{
    return strncmp(rt->pattern, "/api/", 5) != 0 && strcmp(rt->pattern, "/healthz") != 0;
}

/* Whether pattern is prefix itself or below it. */
static bool under(const char *pattern, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(pattern, prefix, n) == 0 && (pattern[n] == 0 || pattern[n] == '/');
}

/* What a route is for, to perm_admin_route (三员分立): the routes of signing in and out and of
 * one's own account are known by their paths, so one added there later is every
 * administrator's without a flag. */
static unsigned admin_areas(const struct route *rt)
{
    const char *pt = rt->pattern;
    bool own = strcmp(pt, "/") == 0 || under(pt, "/healthz") || under(pt, "/assets") ||
               under(pt, "/login") || under(pt, "/logout") || under(pt, "/account") ||
               under(pt, "/api/v1/session") || under(pt, "/api/v1/me") ||
               (rt->flags & ROUTE_ENROL);
    return (own ? PERM_ROUTE_OWN : 0) |
           (rt->flags & ROUTE_ADMIN_SECURITY ? PERM_ROUTE_SECURITY : 0) |
           (rt->flags & ROUTE_ADMIN_AUDIT ? PERM_ROUTE_AUDIT : 0);
}

/* 303 to the sign-in page. A GET names the page to come back to (percent-encoded, path
 * only); after a write there is nothing to come back to. A session ended by a sign-in
 * elsewhere (code AUTH_ERR_ELSEWHERE) is told so there (?why=elsewhere). */
static int to_login_because(struct req *r, struct resp *p, const char *code)
{
    struct sb loc = SB_INIT;
    sb_append(&loc, "/login");
    bool elsewhere = code && strcmp(code, AUTH_ERR_ELSEWHERE) == 0;
    if (elsewhere)
        sb_append(&loc, "?why=elsewhere");
    if (!http_method_writes(r->method)) {
        sb_append(&loc, elsewhere ? "&next=" : "?next=");
        for (const unsigned char *c = (const unsigned char *)r->path; *c; c++) {
            if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
                *c == '-' || *c == '.' || *c == '_' || *c == '~')
                sb_appendf(&loc, "%c", *c);
            else
                sb_appendf(&loc, "%%%02X", *c);
        }
    }
    resp_header(r, p, "Location", arena_strdup(r->arena, sb_str(&loc)));
    sb_free(&loc);
    return p->status = 303;
}

static int to_login(struct req *r, struct resp *p)
{
    return to_login_because(r, p, NULL);
}

/* What a session whose password must be changed first (mlps) may still reach: the change
 * itself, the pages it needs, sign-in and sign-out. */
static bool password_change_allows(const struct route *rt)
{
    static const char *const allowed[][2] = {
        {"GET", "/healthz"},       {"GET", "/assets/{file}"},
        {"GET", "/login"},         {"POST", "/login"},
        {"POST", "/logout"},       {"GET", "/account"},
        {"POST", "/account/password"}, {"POST", "/account/sessions/revoke"},
        {"POST", "/api/v1/session"},   {"DELETE", "/api/v1/session"},
        {"GET", "/api/v1/me"},     {"POST", "/api/v1/me/password"},
        {"POST", "/api/v1/me/sessions/revoke"},
    };
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (strcmp(rt->method, allowed[i][0]) == 0 && strcmp(rt->pattern, allowed[i][1]) == 0)
            return true;
    return false;
}

/* A form sent after its session ended (idle, or signed out elsewhere) is not dropped: when it
 * comes from this site — a browser names the Origin of every form it posts — the sign-in page
 * carries what was typed, and after signing in the user confirms it (web/account.c
 * web_login_again). Anything else goes to the sign-in page as before. */
static int login_again(struct req *r, struct resp *p, const struct route *rt)
{
    const char *origin = req_header(r, "Origin");
    if (!origin || !http_same_origin(origin, req_header(r, "Host"), http_state.cfg.behind_tls))
        return to_login(r, p);
    int st = 0;
    if (http_content_type_is(r->content_type, "application/x-www-form-urlencoded"))
        st = r->body_len ? req_parse_form(r, p, r->body, r->body_len) : 0;
    else if (http_content_type_is(r->content_type, "multipart/form-data") &&
             (rt->flags & ROUTE_UPLOAD))
        st = req_parse_multipart(r, p);
    else
        return to_login(r, p);
    return st ? st : web_login_again(r, p);
}

/* The seconds a sign-in must wait, 0 when it may go on: the account's budget at this address
 * (its login as sent, in the form or the JSON body, case folded as accounts are), then the
 * address's. */
static int login_wait(struct req *r)
{
    const char *login = req_form(r, "login");
    if (!login && r->json) {
        json_t *v = json_object_get(r->json, "login");
        login = json_is_string(v) ? json_string_value(v) : NULL;
    }
    const char *client = r->client ? r->client : "";
    /* the account as auth_login will look it up (spaces trimmed, case folded), so " admin"
     * draws on admin's budget */
    const char *account = login ? user_login_normalize(&r->ctx, login) : NULL;
    char key[160];
    snprintf(key, sizeof key, "%s\n%.100s", client, account ? account : "");
    int wait = ratelimit_take(http_state.login_rl, key);
    if (wait > 0)
        return wait;
    return http_state.login_addr_rl ? ratelimit_take(http_state.login_addr_rl, client) : 0;
}

/* ---- the pipeline ------------------------------------------------------------------------ */

/* (internal.h) */
int http_refuse(struct req *r, struct resp *p, int status, const char *code)
{
    bool page = r->route ? http_route_is_page(r->route)
                         : strncmp(r->path, "/api/", 5) != 0 && strcmp(r->path, "/api") != 0 &&
                               strcmp(r->path, "/healthz") != 0;
    if (!page)
        return http_error(r, p, status, code, NULL);
    const char *title = status == 404   ? "ui_not_found_title"
                        : status == 403 ? "ui_forbidden_title"
                                        : "ui_error_title";
    return web_error(r, p, status, title, code);
}

static int too_many(struct req *r, struct resp *p, int retry_after)
{
    resp_header(r, p, "Retry-After", arena_printf(r->arena, "%d", retry_after));
    return http_refuse(r, p, 429, "err_rate_limited");
}

int http_dispatch(struct req *r, struct resp *p)
{
    bool path_matched;
    const struct route *rt =
        http_match(http_state.routes, http_state.n_routes, r->method, r->path, r->ids,
                   &r->n_ids, &path_matched);
    if (!rt) {
        if (!path_matched)
            return http_refuse(r, p, 404, "err_route_not_found");
        resp_header(r, p, "Allow", allow_header(r));
        return http_refuse(r, p, 405, "err_method");
    }
    r->route = rt;

    const char *cookie_code = NULL;
    int st = authenticate(r, p, &cookie_code);
    if (st)
        return st;
    if (rt->least > ROLE_PUBLIC && !r->user && http_route_is_page(rt))
        return http_method_writes(r->method) ? login_again(r, p, rt)
                                              : to_login_because(r, p, cookie_code);
    if (rt->least > ROLE_PUBLIC && !r->user)
        return http_error(r, p, 401, cookie_code ? cookie_code : "err_unauthorized", NULL);
    if (r->session && r->session->password_change && !password_change_allows(rt)) {
        if (http_route_is_page(rt)) /* the account page says why, above its password form */
            return web_redirect(r, p, "/account");
        return http_error(r, p, 403, r->session->password_change, NULL);
    }
    if (r->user && r->user->role < rt->least)
        return http_refuse(r, p, 403, "err_forbidden");
    if (r->user && perm_admin_route(&r->ctx, admin_areas(rt)) != SVC_OK) {
        /* only under --mlps: audited, as a refused sign-in is (a failure to write is 500) */
        if (audit_log_record_denied(&r->ctx, r->method, r->path, r->ctx.code) != SVC_OK)
            return http_refuse(r, p, 500, "err_internal");
        return http_refuse(r, p, 403, r->ctx.code);
    }
    /* --mlps: an admin, coordinator or leader without a second factor may only enrol one
     * (or sign out); checked on every request from the account's state, so nothing is left
     * to remember and it ends the moment enrolment does. Bearer tokens are not affected.
     * A password to change comes first (the gate above), then this one. */
    if (r->user && !r->via_token && rt->least > ROLE_PUBLIC && !(rt->flags & ROUTE_ENROL) &&
        !(r->session && r->session->password_change) && two_factor_must_enrol(&r->ctx, r->user)) {
        if (!http_route_is_page(rt))
            return http_refuse(r, p, 403, "err_two_factor_enrol");
        resp_header(r, p, "Location", "/account/two-factor");
        return p->status = 303;
    }
    /* Public routes answer more for a signed-in user (drafts, the signed-in pages): before
     * enrolling, such a session reads them as anyone does. Sign-in stays as it is. */
    if (r->user && !r->via_token && rt->least == ROLE_PUBLIC &&
        !(rt->flags & (ROUTE_ENROL | ROUTE_LOGIN)) &&
        !(r->session && r->session->password_change) && two_factor_must_enrol(&r->ctx, r->user))
        as_anonymous(r);

    bool writes = http_method_writes(r->method);
    int wait;
    if (writes && r->user && http_state.write_rl) {
        char key[32];
        snprintf(key, sizeof key, "u%" PRId64, r->user->id);
        if ((wait = ratelimit_take(http_state.write_rl, key)) > 0)
            return too_many(r, p, wait);
    }

    bool form = http_content_type_is(r->content_type, "application/x-www-form-urlencoded");
    bool json = http_content_type_is(r->content_type, "application/json");
    if (form && r->body_len && (st = req_parse_form(r, p, r->body, r->body_len)))
        return st;
    /* Browsers send Origin on every cross-site write; a foreign one is refused even without
     * a session (sign-in included), and before a multipart body is even parsed. Non-browser
     * clients may leave it out. */
    const char *origin = req_header(r, "Origin");
    if (writes && !r->via_token && origin &&
        !http_same_origin(origin, req_header(r, "Host"), http_state.cfg.behind_tls))
        return http_refuse(r, p, 403, "err_csrf");
    if (http_content_type_is(r->content_type, "multipart/form-data")) {
        if (!(rt->flags & ROUTE_UPLOAD)) /* files only where a route takes them */
            return http_error(r, p, 415, "err_media_type", NULL);
        if ((st = req_parse_multipart(r, p))) /* its csrf_token is a text field */
            return st;
        for (size_t i = 0; i < r->n_uploads; i++)
            if (r->uploads[i].len > http_state.cfg.max_upload)
                return http_error(r, p, 413, "err_too_large", "file");
    }
    if (writes && !r->via_token) {
        if (r->session_token && !(rt->flags & ROUTE_NO_CSRF) && !csrf_token_ok(r))
            return http_refuse(r, p, 403, "err_csrf");
    }
    if ((rt->flags & ROUTE_JSON) && strcmp(r->method, "GET") != 0 &&
        strcmp(r->method, "HEAD") != 0 && !json)
        return http_error(r, p, 415, "err_media_type", NULL);
    if (json && (r->body_len || ((rt->flags & ROUTE_JSON) && writes)) &&
        (st = req_parse_json(r, p)))
        return st;

    /* Sign-in attempts, once the body says which account: per address and account, and a
     * wider budget per address over every account. */
    if (writes && (rt->flags & ROUTE_LOGIN) && http_state.login_rl &&
        (wait = login_wait(r)) > 0) {
        if (!http_route_is_page(rt))
            return too_many(r, p, wait);
        r->login_retry_after = wait;
    }

    /* A page's script (web/script.c) ends with it, a checked cache hit's too. */
    const char *cache_key = http_cache_key(r);
    bool hit = cache_key && http_cache_get(cache_key, r, p, &st);
    html_set_script(HTML_AS_STORED);
    if (hit)
        return st;
    st = rt->handler(r, p);
    html_set_script(HTML_AS_STORED);
    if (r->ctx.db && db_in_transaction(r->ctx.db)) {
        log_error("%s %s: the handler left a transaction open; rolled back", r->method,
                  rt->pattern);
        db_rollback(r->ctx.db);
        return st; /* what it rendered may show rolled-back data: never cache it */
    }
    if (cache_key)
        http_cache_put(cache_key, r, p, st);
    return st;
}

/* ---- storage faults ---------------------------------------------------------------------- */

int http_storage_fault(struct req *r, struct resp *p, int st, int fault)
{
    if (fault == DB_FAULT_NONE || st < 400)
        return st;
    const char *code = fault == DB_FAULT_FULL ? "err_disk_full" : "err_storage";
    log_error("%s %s: answered %d, then 503 %s: %s", r->method, r->path, st, code,
              r->ctx.error ? r->ctx.error : "store failure");
    if (fault != DB_FAULT_FULL)
        resp_header(r, p, "Retry-After", "1");
    if (r->route && http_route_is_page(r->route))
        return web_error(r, p, 503, "ui_error_title", code);
    return http_error(r, p, 503, code, NULL);
}
