/* http/internal.h: what the files of http/ share and handlers never need: the process-wide
 * server state, request parsing from raw text, the routing pipeline. Unit tests use it to
 * drive requests without a socket. */
#ifndef DUIKOU_HTTP_INTERNAL_H
#define DUIKOU_HTTP_INTERNAL_H
#include "http/http.h"

enum {
    HTTP_DEFAULT_MAX_BODY = 1024 * 1024,
    HTTP_DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024, /* one attachment (multipart/form-data) */
    HTTP_UPLOAD_OVERHEAD = 64 * 1024,           /* the other fields and part headers */
    /* 32 KiB, libmicrohttpd's own default: it zeroes the whole per-connection pool after
     * every request, so 64 KiB cost a 64 KiB memset per request (5-7 % of a cached GET's
     * time in perf, docs/performance.md) for headers no browser sends. */
    HTTP_DEFAULT_MAX_HEADER = 32 * 1024,
    HTTP_DEFAULT_MAX_CONNECTIONS = 1024,
    HTTP_DEFAULT_MAX_PER_ADDRESS = 64, /* connections from one client address */
    HTTP_DEFAULT_TIMEOUT = 30,
    HTTP_MAX_JSON_DEPTH = 32,
    HTTP_MAX_PARAMS = 1000, /* query or form parameters in one request */
    HTTP_RATELIMIT_KEYS = 65536,
    HTTP_LOGIN_ADDRESS_FACTOR = 6, /* sign-ins per address over all accounts: 6 × the per-account rate */
};

/* Set once before the server starts (http_state_init) and read-only afterwards. */
struct http_state {
    struct http_config cfg;       /* with the defaults filled in */
    struct ratelimit *login_rl;   /* per (client address, login); NULL: no limit */
    struct ratelimit *login_addr_rl; /* per client address, HTTP_LOGIN_ADDRESS_FACTOR times as
                                        many: an office behind one address signs in many
                                        people, a sprayer across accounts is still held */
    struct ratelimit *write_rl;   /* per user id; NULL: no limit */
    const char *cookie_name;
    const struct route *routes;   /* http_routes; tests put in a table of their own */
    size_t n_routes;
    char listen_host[256];        /* the listen address's host (a default Host name) */
};
extern struct http_state http_state;

/* Copies cfg with defaults applied and creates the limiters; http_state_free undoes it.
 * Tests call these around requests built with req_init. */
void http_state_init(const struct http_config *cfg);
void http_state_free(void);

/* request.c */
/* Starts a request in arena a: method, no connection (r->conn may be set afterwards), the
 * service context's arena and client. */
void req_init(struct req *r, struct arena *a, const char *method, const char *client);
/* Parses the raw request target (path?query, still percent-encoded): decodes the path and
 * the query parameters, refusing NUL and invalid UTF-8, then picks r->lang from ?lang= and
 * Accept-Language (cookies and headers must be in place). 0, or an error status written into
 * p. */
int req_parse_target(struct req *r, struct resp *p, const char *target);
/* The language the request chose itself: a supported ?lang=, else a supported `lang` cookie
 * (set by the web pages' language switcher); NULL when neither. It outranks the signed-in
 * user's setting, which outranks Accept-Language. */
const char *req_lang_choice(const struct req *r);
/* Splits a Cookie header into r->cookies. */
void req_parse_cookies(struct req *r, const char *header);
/* application/x-www-form-urlencoded into r->form; 0 or an error status (400) written into
 * p. */
int req_parse_form(struct req *r, struct resp *p, const char *s, size_t n);
/* multipart/form-data (with libmicrohttpd's post processor) into r->form (text fields) and
 * r->uploads (file parts): at most 200 fields and 5 files; text fields valid UTF-8 without
 * NUL (400 err_bad_form), 64 KiB of them at most (413). 0 or the status written into p. */
int req_parse_multipart(struct req *r, struct resp *p);
/* The JSON body into r->json (decref'd with the arena): duplicate keys, nesting deeper than
 * HTTP_MAX_JSON_DEPTH, invalid UTF-8 and anything else jansson refuses → 400 err_bad_json.
 * 0 or the status. */
int req_parse_json(struct req *r, struct resp *p);
/* True when the content type (parameters ignored, case-insensitive) is `type`. */
bool http_content_type_is(const char *content_type, const char *type);
/* True when the JSON text nests no deeper than max (strings are skipped correctly). */
bool json_depth_ok(const char *s, size_t n, int max);
/* Percent-decodes s[0..n) into an arena string ('+' is a space when plus is set). NULL when
 * the result holds a NUL byte or is not valid UTF-8. Malformed escapes stay as typed. */
char *http_decode(struct arena *a, const char *s, size_t n, bool plus);

/* A fresh response: status 200, no headers, a random CSP nonce. body must be initialised
 * (or emptied) by the caller, so a pooled buffer keeps its capacity. */
void resp_init(struct resp *p);

/* router.c */
/* The route for method and path in routes[0..n): fills ids/n_ids. NULL when none; then
 * *path_matched tells whether another method would have matched (405 rather than 404). HEAD
 * matches GET routes. */
const struct route *http_match(const struct route *routes, size_t n, const char *method,
                               const char *path, int64_t ids[HTTP_MAX_IDS], int *n_ids,
                               bool *path_matched);
/* The whole pipeline for a parsed request: route, authenticate, authorise, rate limits,
 * CSRF, body parsing, the handler. Returns the status; the body and headers are in p. The
 * request's ctx.db must be open. */
int http_dispatch(struct req *r, struct resp *p);
/* The answer to a request that met a storage fault (db_fault_take: DB_FAULT_FULL, _IO) and
 * failed (st ≥ 400, whatever the handler made of the failure): 503 err_disk_full or
 * err_storage, a page for page routes, JSON otherwise. Returns st unchanged when there was no
 * fault or the request succeeded anyway. */
int http_storage_fault(struct req *r, struct resp *p, int st, int fault);
/* A refusal in the form the caller reads: a page in the user's language for the pages (and
 * for paths outside /api/ that match no route), the JSON error otherwise. */
int http_refuse(struct req *r, struct resp *p, int status, const char *code);
/* True for the methods that may change state (everything but GET, HEAD and OPTIONS). */
bool http_method_writes(const char *method);
/* Whether the Origin header value names the same host:port as the Host header (scheme's
 * default port when absent; https only when behind TLS). */
bool http_same_origin(const char *origin, const char *host, bool behind_tls);

/* cache.c: rendered answers of ROUTE_CACHE* routes (see cache.c). The key of the request, or
 * NULL when it is not to be cached; a hit fills p and *status; put files a handler's answer. */
/* The data versions of this request, read on its first call (NULL without a database or when
 * they cannot be read): authentication reads them before the session, the answer cache before
 * the handler, so both key what they keep by versions read before the data. */
const struct scope_version *http_request_scopes(struct req *r);
const char *http_cache_key(struct req *r);
bool http_cache_get(const char *key, struct req *r, struct resp *p, int *status);
void http_cache_put(const char *key, struct req *r, const struct resp *p, int status);
/* Forgets every answer (a server starting again in the same process; a connection replaced
 * after an I/O error, out of caution). */
void http_cache_clear(void);

/* durable.c: group commit (see durable.c). wait suspends conn until the writes up to seq are
 * on disk and returns true (the answer is queued when MHD calls back), or returns false when
 * they are already (answer now). *failed is set when the sync failed. */
struct MHD_Connection;
int http_durable_start(const char *db_path);
/* indexer.c: the search index kept up to date by a thread of its own (see indexer.c). */
int http_indexer_start(const char *db_path);
void http_indexer_stop(void);
void http_indexer_nudge(void); /* after a request that wrote */
/* mailer.c: the e-mail outbox delivered by a thread of its own when the server has --smtp. */
struct mail_settings;
int http_mailer_start(const char *db_path, const struct mail_settings *s); /* NULL: none */
void http_mailer_stop(void);
void http_mailer_nudge(void); /* after a request that wrote */
void http_durable_stop(void);
bool http_durable_wait(struct MHD_Connection *conn, uint64_t seq, bool *failed);

/* health.c */
int http_health(struct req *r, struct resp *p);

#endif
