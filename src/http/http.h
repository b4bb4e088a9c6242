/* http: the server beside the domain layers. libmicrohttpd accepts and parses connections;
 * this layer turns each request into a struct req with its own arena, finds the route,
 * authenticates the session or bearer token, checks CSRF, calls the handler (web/ or api/),
 * and sends the struct resp with the security headers every response carries. It knows no
 * domain: it only calls service/auth for who is asking. */
#ifndef DUIKOU_HTTP_H
#define DUIKOU_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "core/sb.h"
#include "service/service.h"
#include "store/db.h"

struct json_t;
struct web_problem;
struct session_info;

struct param {
    const char *name, *value; /* decoded, NUL-terminated, valid UTF-8 */
};

/* A file part of a multipart/form-data body: its field, the file name and type the client
 * declared (either may be NULL), and its bytes (NUL-terminated, len without it). */
struct upload {
    const char *field, *filename, *content_type;
    char *data;
    size_t len;
};

enum { HTTP_MAX_IDS = 4, HTTP_MAX_HEADERS = 16 };

struct req {
    struct arena *arena;       /* freed after the response is queued */
    const char *method;        /* GET, POST, PUT, PATCH, DELETE, HEAD */
    const char *path;          /* without the query string */
    const char *client;        /* peer address, e.g. 127.0.0.1 */
    struct param *query;
    size_t n_query;
    struct param *form;        /* application/x-www-form-urlencoded body, or the text fields
                                  of a multipart/form-data one */
    size_t n_form;
    struct upload *uploads;    /* the file parts of a multipart/form-data body */
    size_t n_uploads;
    const char *body;          /* raw body (NUL-terminated), body_len bytes */
    size_t body_len;
    const char *content_type;
    struct json_t *json;       /* parsed application/json body, or NULL (jansson; decref'd
                                  with the arena) */
    int64_t ids[HTTP_MAX_IDS]; /* {id} captures of the route pattern, in order */
    int n_ids;
    enum lang lang;            /* ?lang=, the lang cookie, the user's setting, Accept-Language */
    const struct user *user;   /* NULL when not signed in */
    bool via_token;            /* authenticated by a bearer token: no cookie, no CSRF */
    const char *csrf_token;    /* the session's CSRF token (to put in forms), or NULL */
    struct ctx ctx;            /* service context: this thread's db, the arena, the user */
    void *conn;                /* struct MHD_Connection *, for header lookups */
    /* Added with the server: */
    const struct route *route; /* the matched route, NULL before routing or when none */
    const char *session_token; /* the raw session token when signed in by cookie, or NULL */
    /* the session's sign-in facts and, under --mlps, why its password must be changed first
     * (err_password_expired / err_password_must_change) or NULL (service/sign_in.c) */
    const struct session_info *session;
    struct param *cookies;     /* from the Cookie header, values as sent */
    size_t n_cookies;
    struct param *headers;     /* request headers when conn is NULL (tests build requests
                                  without a connection); unused otherwise */
    size_t n_headers;
    int login_retry_after;     /* a page route with ROUTE_LOGIN whose sign-in budget is spent:
                                  the seconds to wait; the handler answers 429 in its own
                                  form (API routes get the JSON 429 from the router) */
    struct scope_version scopes; /* the data versions read once, before anything else, by
                                    a request that has a database (http_request_scopes) */
    bool have_scopes;
    struct web_problem *problems; /* the page's form errors as web/ writes them, for the
                                     summary at the top of a refused form (web_end) */
    size_t n_problems, cap_problems;
};

struct header {
    const char *name, *value;
};

struct resp {
    int status;
    const char *content_type; /* default application/json; charset=utf-8 */
    struct sb body;
    struct header headers[HTTP_MAX_HEADERS];
    int n_headers;
    char nonce[24];           /* CSP script nonce for this response (base64) */
    size_t name_at, name_len; /* where the page header wrote the user's name (escaped), when
                                 name_len > 0: cache.c puts another user's name there */
    size_t unread_at, unread_len; /* and the unread count of the inbox, when unread_hole:
                                     cache.c puts the count of whoever the page is sent to */
    bool unread_hole;
    size_t title_at, main_at; /* where a page's <title> text and <main> content begin, for
                                 the error summary and the title's "错误：" (web_end) */
    /* A large download (an XLSX or CSV ledger) is not held in memory: the handler writes it
     * to an unlinked temporary file and the answer is sent from it (resp_file). -1: none. */
    int file_fd;
    uint64_t file_size;
};

/* Lookups; NULL when absent. Header names are case-insensitive. */
const char *req_query(const struct req *r, const char *name);
const char *req_form(const struct req *r, const char *name);
/* The file part of a multipart body sent in field name, when it holds bytes; else NULL. */
const struct upload *req_upload(const struct req *r, const char *name);
const char *req_header(const struct req *r, const char *name);
const char *req_cookie(const struct req *r, const char *name);

/* Adds a response header (name and value are copied into the request arena by the caller or
 * are literals). */
void resp_header(struct req *r, struct resp *p, const char *name, const char *value);
/* Makes the file open at fd (size bytes, read from offset 0) the body of a 200 answer; the
 * response owns fd from now on and closes it once sent, or at once when the answer ends up
 * being another one (an error after the handler). The content type is the handler's. */
void resp_file(struct resp *p, int fd, uint64_t size);

/* Writes {"error":{"code":…,"message":…,"field":…}} with the message in the request's
 * language and returns status, so a handler can `return http_error(r, p, 404, "err_not_found",
 * NULL);`. */
int http_error(struct req *r, struct resp *p, int status, const char *code, const char *field);
/* The HTTP status for a service result (SVC_INVALID → 422 …), and the error body from
 * r->ctx.code / r->ctx.field. */
int http_from_service(struct req *r, struct resp *p, int svc_status);

/* The session cookie: `duikou_session`, or `__Host-duikou_session` with Secure when the
 * server runs behind TLS; always HttpOnly, SameSite=Lax, Path=/. Set it after a sign-in
 * (token as auth_login returned it), clear it on sign-out. */
void http_set_session_cookie(struct req *r, struct resp *p, const char *token);
void http_clear_session_cookie(struct req *r, struct resp *p);
/* The session token this request came with (cookie), or NULL (none, or a bearer token). */
const char *http_session_token(const struct req *r);
const char *http_session_cookie_name(void);

typedef int (*http_handler)(struct req *, struct resp *);

enum route_flags {
    ROUTE_JSON = 1 << 0,     /* the body must be JSON (415 otherwise); parsed into r->json */
    ROUTE_NO_CSRF = 1 << 1,  /* a state-changing route that takes no session yet (login) */
    ROUTE_LOGIN = 1 << 2,    /* sign-in: each write counts against the per-address budget */
    ROUTE_CACHE = 1 << 3,    /* GET: the rendered answer is kept per data version (cache.c),
                                any audited write anywhere renders it again */
    ROUTE_UPLOAD = 1 << 4,   /* takes a multipart/form-data body with files (up to
                                max_upload each); other routes refuse one (415) */
    ROUTE_CACHE_PAIRING = 1 << 5, /* GET: kept per version of the pairing in its path ({id}):
                                     only a write in that (province) pairing renders it again */
    ROUTE_CACHE_MINE = 1 << 6,    /* GET: kept per version of the caller's own pairing */
    ROUTE_CACHE_UNIT = 1 << 8,    /* GET: kept per version of the caller's unit and of the
                                     rest of its pairing: the answer reads only the unit's own
                                     items of all the pairing's reports (/my) */
    ROUTE_SHARED = 1 << 7,   /* with a ROUTE_CACHE*: one answer for every caller of the same
                                role, unit, side and pairing (not one per user); the page's
                                only personal parts, the user's name and the session's CSRF
                                token, are filled in when it is sent (cache.c) */
    ROUTE_ENROL = 1 << 9,    /* open to a session that must enrol a second factor first
                                (service/two_factor.h: --mlps): enrolment and sign-out */
    /* 三员分立 under --mlps (service/perm.h): besides signing in and out and one's own
     * account (open to every administrator), a route is the system administrator's unless: */
    ROUTE_ADMIN_SECURITY = 1 << 10, /* the security administrator's too (accounts) */
    ROUTE_ADMIN_AUDIT = 1 << 11,    /* the audit administrator's, and no other administrator's */
};

struct route {
    const char *method;
    const char *pattern;   /* /api/v1/tasks/{id}/assignments; {id} is a positive integer,
                              {file} any one path segment (not captured) */
    http_handler handler;
    enum role least;       /* the least role that may call it; ROLE_PUBLIC: no sign-in */
    unsigned flags;
    const char *summary;   /* one line, also the OpenAPI summary */
};

/* True for the routes of HTML pages (every pattern outside /api/): a page that needs sign-in
 * answers an anonymous request with 303 to /login?next=… instead of the JSON 401. */
bool http_route_is_page(const struct route *rt);

/* The routing table (http/routes.c): read it top to bottom to know every URL. */
extern const struct route http_routes[];
extern const size_t http_n_routes;

enum { HTTP_MAX_HOSTS = 16 };

struct mail_settings;
struct http_config {
    const char *listen;      /* host:port, default 127.0.0.1:8080 */
    const char *db_path;
    unsigned threads;        /* default: the number of cores */
    bool behind_tls;         /* Secure + __Host- cookies */
    unsigned max_connections;
    int max_per_address;     /* connections from one address (64); more are closed at once.
                                Negative: no limit (behind a reverse proxy, which is one address) */
    unsigned connection_timeout; /* seconds */
    /* Added with the server; 0 means the default everywhere. */
    size_t max_body;             /* request body bytes (1 MiB); more → 413 */
    size_t max_upload;           /* a file in a multipart/form-data body (20 MiB); more → 413 */
    bool allow_zip;              /* attachments may be ZIP archives (refused by default) */
    size_t max_header;           /* per-connection memory for request line and headers (32 KiB;
                                    MHD_OPTION_CONNECTION_MEMORY_LIMIT); more → 431 */
    int login_per_minute;        /* sign-in attempts per client address and account (10,
                                    burst 10), and HTTP_LOGIN_ADDRESS_FACTOR times that per
                                    address over all accounts; negative: no limit */
    int writes_per_second;       /* writes per signed-in user (20, burst 3x); negative: none */
    /* Host names a request may name in its Host header (--host, repeatable); none given:
     * the listen address's host, and for a loopback one localhost too; a server listening
     * on every address then accepts any (it cannot know its names). Against DNS rebinding. */
    const char *hosts[HTTP_MAX_HOSTS];
    int n_hosts;
    /* Reverse proxies whose X-Forwarded-For is believed (--trusted-proxy, repeatable): a
     * request from one of them is from the address the header names last that is not itself a
     * trusted proxy — for the rate limits, the sign-in locks and the audit log. From anyone
     * else, or with none configured, the header is ignored (anyone can write it). */
    const char *trusted_proxies[HTTP_MAX_HOSTS];
    int n_trusted_proxies;
    struct mail_settings *mail; /* --smtp: notifications by e-mail (service/mail.h) */
    /* Called once the server listens, before it says so; non-zero stops it (http_serve
     * returns 1): what only a server that really started may record (serve --mlps). */
    int (*on_listening)(void);
};

/* Whether host (a Host header: name, [v6] or name:port) names one of the server's names. */
bool http_host_allowed(const char *host);

/* Rate limits (http/ratelimit.c): token buckets keyed by a string (a client address, a user
 * id), thread-safe and sharded, on clock_now_ms() so tests can move time. At most about
 * max_keys keys are kept; buckets that refilled completely are dropped first, then the
 * least recently used. */
struct ratelimit;
struct ratelimit *ratelimit_new(double per_second, double burst, size_t max_keys);
void ratelimit_free(struct ratelimit *rl);
/* Takes one token for key: 0 when allowed, otherwise the whole seconds (≥ 1) until a token
 * is back, for Retry-After. */
int ratelimit_take(struct ratelimit *rl, const char *key);
size_t ratelimit_keys(struct ratelimit *rl); /* keys held now (for tests) */

/* Runs the server until SIGTERM or SIGINT: stops accepting, lets requests in flight finish,
 * closes the databases. Prints "listening on http://HOST:PORT" on stdout once it accepts
 * (with the real port when cfg->listen asks for port 0). Returns 0 on a clean stop, 1 when
 * it could not start (the reason is logged). */
int http_serve(const struct http_config *cfg);

#endif
