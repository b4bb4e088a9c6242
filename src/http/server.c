/* server: libmicrohttpd with epoll and its own thread pool. MHD accepts, parses and writes;
 * this file gives each request a context (arena, struct req, struct resp) from a per-thread
 * pool, collects the body within its limit, runs the router once the request is complete,
 * and queues the response with the headers every response carries.
 *
 * Threads: MHD's pool workers call everything here, and a connection stays on one worker,
 * so the per-thread state (a database connection, the pool of request contexts) needs no
 * lock. The main thread only starts the daemon, waits for SIGTERM/SIGINT and stops it.
 *
 * Keep-alive: a response queued on the first call of the access handler (before MHD has
 * read the body) makes MHD close the connection afterwards. So the first call only
 * prepares, and the answer comes on the last call, after the body. The one exception is a
 * body declared larger than the limit: that is answered at once, and closing is intended.
 *
 * Connection limit: MHD accepts CONN_MARGIN connections past --max-connections, so that a
 * client over the limit is told 503 err_busy (Retry-After, Connection: close) instead of
 * waiting unaccepted; the live count is ours (connection_cb). */
#include <arpa/inet.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "http/internal.h"
#include "service/mail.h"
#include "store/db.h"

enum {
    POOL_MAX = 64,                    /* idle request contexts kept per thread */
    KEEP_BODY_CAP = 256 * 1024,       /* a bigger response buffer is not kept for reuse */
    DRAIN_MS = 10000,                 /* how long a stop waits for requests in flight */
    CONN_MARGIN = 64,                 /* connections MHD accepts past --max-connections, to
                                         answer them 503 rather than leave them unaccepted */
};

struct reqctx;

/* One per MHD worker thread, made on its first request, freed after the daemon stops. */
struct worker {
    struct worker *next;
    struct db *db;
    struct reqctx *free;
    unsigned n_free;
};

/* One per request, from the URI callback to the completion callback. */
struct reqctx {
    struct reqctx *next; /* in the worker's free list */
    struct worker *worker;
    struct arena arena;
    struct req req;
    struct resp resp;     /* resp.body keeps its buffer across requests */
    const char *target;   /* the request target as sent: path?query, percent-encoded */
    char *body;
    size_t body_len, body_cap;
    uint64_t declared;    /* Content-Length, or UINT64_MAX */
    size_t limit;         /* the body's limit: max_body, or for a file upload max_upload */
    uint64_t discarded;   /* body bytes dropped after the limit was passed */
    int64_t t0_ns;
    int64_t us;           /* handling time, first byte to queued response */
    int early;            /* an error status found while parsing the head, answered last */
    int status;           /* queued status, 0 while none */
    bool started, too_large;
    bool awaiting, sync_failed; /* suspended until its write is on disk (durable.c) */
    int pending;                /* the handler's status, answered once it is */
    char client[INET6_ADDRSTRLEN];
};

/* One per connection (its MHD socket context), from the connection notifier's start to its
 * close. It holds the request begun on the connection and not yet completed: MHD calls the
 * completion callback only for requests it handed to the access handler, so one that MHD
 * itself gave up on (its memory pool exhausted by the head, a client gone before the head
 * ended) is released when the connection closes (connection_cb). Every request context is
 * freed by exactly one of completed_cb and that close. */
struct conn {
    struct reqctx *open;
    bool over_limit; /* accepted while --max-connections were live: answered 503 */
};

static pthread_mutex_t workers_mu = PTHREAD_MUTEX_INITIALIZER;
static struct worker *workers;
static _Thread_local struct worker *tl_worker;
static atomic_int in_flight;
static atomic_bool draining;
/* Live connections, counted by the connection notifier. A connection accepted while the
 * count already stood at --max-connections is marked (struct conn) and each of its requests
 * is answered 503 with Connection: close. */
static atomic_uint live_connections;
static atomic_uint abandoned; /* requests MHD dropped without completing (ctx_abandon) */

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct worker *this_worker(void)
{
    if (!tl_worker) {
        struct worker *w = xcalloc(1, sizeof *w);
        pthread_mutex_lock(&workers_mu);
        w->next = workers;
        workers = w;
        pthread_mutex_unlock(&workers_mu);
        tl_worker = w;
    }
    return tl_worker;
}

/* This thread's database connection, opened on first use; NULL (logged) when it cannot be
 * opened, and tried again on the next request. */
static struct db *worker_db(struct worker *w)
{
    if (!w->db) {
        char *err = NULL;
        if (db_open(http_state.cfg.db_path, &w->db, &err) < 0) {
            log_error("http: cannot open the database: %s", err ? err : "unknown error");
            free(err);
            w->db = NULL;
        } else {
            if (db_group_commit(w->db) < 0) /* stays FULL: slower, as durable */
                log_warn("http: group commit is off for a worker");
            db_search_deferred(w->db); /* http/indexer.c indexes, in batches */
        }
    }
    return w->db;
}

static struct reqctx *ctx_get(struct worker *w)
{
    struct reqctx *x = w->free;
    struct sb body = SB_INIT;
    if (x) {
        w->free = x->next;
        w->n_free--;
        body = x->resp.body;
    } else {
        x = xmalloc(sizeof *x);
    }
    memset(x, 0, sizeof *x);
    x->resp.body = body;
    x->resp.file_fd = -1;
    sb_reset(&x->resp.body);
    x->worker = w;
    x->declared = UINT64_MAX;
    arena_init(&x->arena);
    return x;
}

static void ctx_put(struct reqctx *x)
{
    if (x->resp.file_fd >= 0) { /* a file answer that was never queued */
        close(x->resp.file_fd);
        x->resp.file_fd = -1;
    }
    arena_free(&x->arena);
    struct worker *w = tl_worker;
    if (w && w == x->worker && w->n_free < POOL_MAX && x->resp.body.cap <= KEEP_BODY_CAP) {
        x->next = w->free;
        w->free = x;
        w->n_free++;
        return;
    }
    sb_free(&x->resp.body);
    free(x);
}

/* ---- MHD callbacks ----------------------------------------------------------------------- */

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    log_warn("http: %s", line);
}

static void ctx_abandon(struct reqctx *x);

/* Counts connections as MHD accepts and closes them, marks the ones past the limit, and
 * releases a request MHD dropped without completing it. */
static void connection_cb(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    (void)conn;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        unsigned n = atomic_fetch_add(&live_connections, 1) + 1;
        struct conn *c = xcalloc(1, sizeof *c);
        c->over_limit = n > http_state.cfg.max_connections;
        *socket_context = c;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        atomic_fetch_sub(&live_connections, 1);
        struct conn *c = *socket_context;
        *socket_context = NULL;
        if (c && c->open)
            ctx_abandon(c->open);
        free(c);
    }
}

static struct conn *conn_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static bool connection_over_limit(struct MHD_Connection *conn)
{
    struct conn *c = conn_of(conn);
    return c && c->over_limit;
}

/* Called once per request with the raw target, before MHD decodes anything: the request
 * context starts here, so the router sees the target exactly as sent (a %00 in the path
 * would otherwise be cut off by MHD's own decoding). */
static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct reqctx *x = ctx_get(this_worker());
    x->t0_ns = mono_ns();
    x->target = arena_strdup(&x->arena, uri ? uri : "/");
    atomic_fetch_add(&in_flight, 1);
    struct conn *c = conn_of(conn);
    if (c)
        c->open = x;
    /* MHD 0.9 parses the query into the connection's memory pool right after this call, a
     * record per parameter: about 480 of them exhaust the pool, and MHD then neither answers
     * nor completes the request. The router reads only x->target (req_parse_target), never
     * MHD's parsed arguments, so MHD's copy of the query ends here: uri points into MHD's
     * own writable read buffer, which it parses next. req_parse_target bounds the count. */
    char *q = uri ? strchr((char *)(uintptr_t)uri, '?') : NULL;
    if (q)
        q[1] = '\0';
    return x;
}

/* A request MHD dropped without its completion callback: logged and released. */
static void ctx_abandon(struct reqctx *x)
{
    log_info("%s - cut off by the server after %" PRId64 " us (head too large or client gone)",
             x->req.method ? x->req.method : "-", (mono_ns() - x->t0_ns) / 1000);
    atomic_fetch_add(&abandoned, 1);
    ctx_put(x);
    atomic_fetch_sub(&in_flight, 1);
}

static void client_address(struct MHD_Connection *conn, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, n, "unknown");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)n);
}

/* Whether addr (as inet_ntop writes it) is one of the trusted proxies: compared as addresses,
 * so ::1 and 0:0:0:0:0:0:0:1 are the same. */
static bool trusted_proxy(const char *addr)
{
    unsigned char a[16], b[16];
    int fa = strchr(addr, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(fa, addr, a) != 1)
        return false;
    for (int i = 0; i < http_state.cfg.n_trusted_proxies; i++) {
        const char *p = http_state.cfg.trusted_proxies[i];
        int fb = strchr(p, ':') ? AF_INET6 : AF_INET;
        if (fa == fb && inet_pton(fb, p, b) == 1 &&
            memcmp(a, b, fa == AF_INET ? 4 : 16) == 0)
            return true;
    }
    return false;
}

/* The client behind a trusted proxy: X-Forwarded-For read from the right (each proxy
 * appends the address it was reached from), the first address that is not a trusted proxy;
 * anything not an address there leaves the peer's own (out) as it is. */
static void forwarded_client(struct MHD_Connection *conn, char *out, size_t n)
{
    if (!http_state.cfg.n_trusted_proxies || !trusted_proxy(out))
        return;
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff)
        return;
    size_t len = strlen(xff);
    while (len > 0) {
        size_t end = len, start = len;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        len = start ? start - 1 : 0;
        while (start < end && (xff[start] == ' ' || xff[start] == '\t'))
            start++;
        while (end > start && (xff[end - 1] == ' ' || xff[end - 1] == '\t'))
            end--;
        char addr[INET6_ADDRSTRLEN];
        unsigned char bin[16];
        if (end - start >= sizeof addr)
            return;
        memcpy(addr, xff + start, end - start);
        addr[end - start] = 0;
        if (inet_pton(strchr(addr, ':') ? AF_INET6 : AF_INET, addr, bin) != 1)
            return; /* not an address: believe nothing further left */
        if (!trusted_proxy(addr)) {
            snprintf(out, n, "%s", addr);
            return;
        }
    }
}

static bool header_is(const struct header *h, const char *name)
{
    return strcasecmp(h->name, name) == 0;
}

/* Queues x->resp with status st: the security headers, Cache-Control, the handler's own
 * headers. The body stays in x->resp.body until the completion callback. */
static enum MHD_Result respond(struct MHD_Connection *conn, struct reqctx *x, int st)
{
    struct req *r = &x->req;
    struct resp *p = &x->resp;
    if (st < 100 || st > 599) {
        log_error("http: %s %s: handler returned status %d", r->method, r->path, st);
        st = http_error(r, p, 500, "err_internal", NULL);
    }
    bool bodiless = st == 204 || st == 304 || st < 200;
    if (bodiless)
        sb_reset(&p->body);
    struct MHD_Response *mr;
    if (p->file_fd >= 0 && st == 200) { /* a ledger: sent from its file, which MHD closes */
        mr = MHD_create_response_from_fd64(p->file_size, p->file_fd);
        if (mr)
            p->file_fd = -1;
    } else {
        if (p->file_fd >= 0) { /* the answer became another one after the handler */
            close(p->file_fd);
            p->file_fd = -1;
            p->file_size = 0;
        }
        mr = MHD_create_response_from_buffer(p->body.len, p->body.buf ? p->body.buf : (void *)"",
                                             MHD_RESPMEM_PERSISTENT);
    }
    if (!mr)
        return MHD_NO;

    char csp[320];
    snprintf(csp, sizeof csp,
             "default-src 'self'; script-src 'self' 'nonce-%s'; style-src 'self'; "
             "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
             "form-action 'self'",
             p->nonce);
    MHD_add_response_header(mr, "Content-Security-Policy", csp);
    MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(mr, "X-Frame-Options", "DENY");
    MHD_add_response_header(mr, "Referrer-Policy", "same-origin");
    if (http_state.cfg.behind_tls) /* browsers keep to https for this name from now on */
        MHD_add_response_header(mr, "Strict-Transport-Security", "max-age=31536000");
    if (!bodiless)
        MHD_add_response_header(mr, "Content-Type",
                                p->content_type ? p->content_type
                                                : "application/json; charset=utf-8");
    /* A public route's response that declares itself public (a fingerprinted asset) stays
     * cacheable for signed-in users too; anything else they get is private. */
    bool declared_public = false;
    for (int i = 0; i < p->n_headers; i++)
        declared_public |= header_is(&p->headers[i], "Cache-Control") && p->headers[i].value &&
                           strncmp(p->headers[i].value, "public", 6) == 0;
    bool private = (r->user && !declared_public) || (r->route && r->route->least > ROLE_PUBLIC);
    for (int i = 0; i < p->n_headers && !private; i++)
        private = header_is(&p->headers[i], "Set-Cookie");
    if (private)
        MHD_add_response_header(mr, "Cache-Control", "no-store");
    for (int i = 0; i < p->n_headers; i++) {
        const struct header *h = &p->headers[i];
        if ((private && header_is(h, "Cache-Control")) || !h->name || !h->value)
            continue;
        if (MHD_add_response_header(mr, h->name, h->value) != MHD_YES)
            log_error("http: %s %s: header %s refused (bad characters?)", r->method, r->path,
                      h->name);
    }
    if (atomic_load(&draining))
        MHD_add_response_header(mr, "Connection", "close");

    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)st, mr);
    MHD_destroy_response(mr);
    x->status = st;
    x->us = (mono_ns() - x->t0_ns) / 1000;
    return ret;
}

/* A head refused whatever the route, answered at once and the connection closed (its body, if
 * any, unread): 0 when the head is acceptable.
 *  - Content-Length together with Transfer-Encoding: which one frames the body is ambiguous,
 *    and a proxy trusting the other would pass a second request hidden in this one
 *    (request smuggling, RFC 9112 §6.1);
 *  - no Host, or a Host that is none of the server's names (DNS rebinding: a page of another
 *    site whose name now points here); 421 for the latter.
 * (A NUL byte inside a header value never reaches us: libmicrohttpd 0.9.75 hands the value
 * over cut at it, so the rest of the value is simply not seen.) */
static int refuse_head(struct MHD_Connection *conn, struct reqctx *x)
{
    struct req *r = &x->req;
    const char *why = NULL;
    int status = 400;
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
    if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length") &&
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding"))
        why = "err_length_ambiguous";
    else if (!host || !*host)
        why = "err_bad_host";
    else if (!http_host_allowed(host))
        why = "err_bad_host", status = 421;
    if (!why)
        return 0;
    resp_header(r, &x->resp, "Connection", "close");
    return http_refuse(r, &x->resp, status, why);
}

/* Starts the request on the first call: who, what, cookies, the decoded target. False when
 * it must be answered now, before any of its body is read. */
static bool start(struct MHD_Connection *conn, struct reqctx *x, const char *method)
{
    struct req *r = &x->req;
    client_address(conn, x->client, sizeof x->client);
    forwarded_client(conn, x->client, sizeof x->client);
    req_init(r, &x->arena, arena_strdup(&x->arena, method), x->client);
    r->conn = conn;
    resp_init(&x->resp);
    req_parse_cookies(r, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie"));
    r->content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    x->early = req_parse_target(r, &x->resp, x->target); /* 414 past HTTP_MAX_PARAMS */
    /* A route that takes files has their own, larger limit, for a multipart/form-data body
     * only: any other route reads no more than max_body, whatever the body claims to be. */
    x->limit = http_state.cfg.max_body;
    bool credentials = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie") ||
                       MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (!x->early && credentials && /* nobody signed in is read 20 MiB of */
        http_content_type_is(r->content_type, "multipart/form-data")) {
        int64_t ids[HTTP_MAX_IDS];
        int n_ids;
        bool other;
        const struct route *rt = http_match(http_state.routes, http_state.n_routes, r->method,
                                            r->path, ids, &n_ids, &other);
        if (rt && (rt->flags & ROUTE_UPLOAD))
            x->limit = http_state.cfg.max_upload + HTTP_UPLOAD_OVERHEAD;
    }
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (cl) {
        char *end;
        unsigned long long v = strtoull(cl, &end, 10);
        if (end != cl && !*end)
            x->declared = v;
    }
    if (x->declared == UINT64_MAX || x->declared <= x->limit)
        return true;
    x->too_large = true;
    /* Over the limit. A client that waits for "100 Continue" is answered 413 now and sends
     * nothing more. One already sending a body a few times the limit is read and dropped,
     * then answered: closing on unread data would reset the connection, and many clients
     * (fetch among them) then lose the 413 and see only a failed send. */
    const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
    return !(expect && !strcasecmp(expect, "100-continue")) &&
           x->declared <= 4 * (uint64_t)x->limit;
}

static void take_body(struct reqctx *x, const char *data, size_t n)
{
    size_t max = x->limit;
    if (x->too_large || x->body_len + n > max) {
        x->too_large = true;
        x->discarded += n;
        return;
    }
    if (x->body_len + n + 1 > x->body_cap) {
        size_t want = x->declared != UINT64_MAX && x->declared <= max ? (size_t)x->declared + 1
                                                                      : x->body_cap * 2;
        if (want < x->body_len + n + 1)
            want = x->body_len + n + 1;
        if (want < 4096)
            want = 4096;
        if (want > max + 1)
            want = max + 1;
        x->body = arena_grow(&x->arena, x->body, x->body_len, want);
        x->body_cap = want;
    }
    memcpy(x->body + x->body_len, data, n);
    x->body_len += n;
    x->body[x->body_len] = '\0';
}

/* After a storage failure (disk full, I/O error, no memory), the answer says so (503), and a
 * connection that met an I/O error or an allocation failure is closed: the next request on
 * this thread opens a fresh one, so no statement, page cache or lock state of doubtful health
 * outlives the failure. A full disk leaves the connection sound; it is kept. */
static int storage_fault(struct reqctx *x, int st)
{
    struct worker *w = x->worker;
    int fault = db_fault_take(w->db);
    if (fault == DB_FAULT_NONE)
        return st;
    st = http_storage_fault(&x->req, &x->resp, st, fault);
    if (fault == DB_FAULT_IO) {
        db_close(w->db);
        w->db = NULL;
        x->req.ctx.db = NULL;
        http_cache_clear(); /* the next connection's data version starts again */
    }
    return st;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size,
                                 void **con_cls)
{
    struct reqctx *x = *con_cls;
    if (!x) /* no URI callback ran (cannot happen with our options); start one here */
        *con_cls = x = uri_cb(NULL, url, conn);
    if (x->awaiting) { /* resumed: the write is on disk (or the sync failed) */
        x->awaiting = false;
        if (!x->sync_failed)
            return respond(conn, x, x->pending);
        x->resp.n_headers = 0;
        sb_reset(&x->resp.body);
        /* 503 err_storage, as a page for the pages */
        return respond(conn, x, http_storage_fault(&x->req, &x->resp, 500, DB_FAULT_IO));
    }
    if (x->status) /* answered already (413 at the head); drop whatever still comes */
        return *upload_data_size = 0, MHD_YES;
    if (!x->started) {
        x->started = true;
        bool fits = start(conn, x, method);
        if (connection_over_limit(conn)) {
            /* Answered at once, body unread: the connection closes after it. */
            resp_header(&x->req, &x->resp, "Retry-After", "1");
            resp_header(&x->req, &x->resp, "Connection", "close");
            return respond(conn, x, http_error(&x->req, &x->resp, 503, "err_busy", NULL));
        }
        int refused = refuse_head(conn, x);
        if (refused)
            return respond(conn, x, refused);
        if (!fits) /* too large to read: answered at once, and the connection closed */
            return respond(conn, x, http_refuse(&x->req, &x->resp, 413, "err_too_large"));
        return MHD_YES;
    }
    if (*upload_data_size) {
        take_body(x, upload_data, *upload_data_size);
        *upload_data_size = 0;
        /* A chunked body far past the limit: stop reading it at all. */
        return x->discarded > 4 * (uint64_t)x->limit ? MHD_NO : MHD_YES;
    }

    struct req *r = &x->req;
    struct resp *p = &x->resp;
    int st;
    if (x->too_large) {
        st = http_refuse(r, p, 413, "err_too_large");
    } else if (x->early) {
        st = x->early;
    } else {
        r->body = x->body ? x->body : "";
        r->body_len = x->body_len;
        r->ctx.db = worker_db(x->worker);
        if (!r->ctx.db) {
            st = http_error(r, p, 503, "err_storage", NULL);
        } else {
            uint64_t wrote = db_last_write(r->ctx.db);
            st = http_dispatch(r, p);
            uint64_t now = db_last_write(r->ctx.db);
            st = storage_fault(x, st); /* may close the connection after an I/O fault */
            /* A request that wrote is answered once its write is on disk (durable.c). */
            if (now != wrote) {
                http_indexer_nudge();
                http_mailer_nudge();
                x->pending = st;
                x->awaiting = true;
                if (http_durable_wait(conn, now, &x->sync_failed))
                    return MHD_YES;
                x->awaiting = false;
                if (x->sync_failed) {
                    p->n_headers = 0;
                    sb_reset(&p->body);
                    st = http_storage_fault(r, p, 500, DB_FAULT_IO);
                }
            }
        }
    }
    return respond(conn, x, st);
}

/* The access log: one line per request, after it is done. The path is logged as sent
 * (still percent-encoded, without the query), with control bytes masked. */
static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct reqctx *x = *con_cls;
    if (!x)
        return;
    *con_cls = NULL;
    struct conn *c = conn_of(conn);
    if (c && c->open == x)
        c->open = NULL;
    char path[201];
    size_t n = 0;
    for (const char *s = x->target; *s && *s != '?' && n < sizeof path - 1; s++)
        path[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    path[n] = '\0';
    /* a calendar feed's path is its only key: the log says which route, never the token */
    if (strncmp(path, "/calendar/", 10) == 0)
        strcpy(path + 10, "…");
    log_info("%s %s %d %zu bytes %" PRId64 " us user %" PRId64 "%s",
             x->req.method ? x->req.method : "-", path, x->status,
             x->status ? x->resp.body.len + (size_t)x->resp.file_size : 0,
             x->status ? x->us : (mono_ns() - x->t0_ns) / 1000,
             x->req.user ? x->req.user->id : 0,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    ctx_put(x);
    atomic_fetch_sub(&in_flight, 1);
}

/* ---- start and stop ---------------------------------------------------------------------- */

/* host:port, [v6]:port, :port (all addresses) or a bare port. */
static bool parse_listen(const char *listen, char *host, size_t hn, char *port, size_t pn)
{
    const char *colon = strrchr(listen, ':');
    const char *h = listen;
    size_t hl;
    if (!colon) {
        snprintf(host, hn, "127.0.0.1");
        snprintf(port, pn, "%s", listen);
        return *listen != '\0';
    }
    hl = (size_t)(colon - listen);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']')
        h++, hl -= 2;
    if (hl == 0)
        h = "0.0.0.0", hl = 7;
    if (hl >= hn || strlen(colon + 1) >= pn || !colon[1])
        return false;
    memcpy(host, h, hl);
    host[hl] = '\0';
    snprintf(port, pn, "%s", colon + 1);
    return true;
}

static void close_workers(void)
{
    pthread_mutex_lock(&workers_mu);
    struct worker *w = workers;
    workers = NULL;
    pthread_mutex_unlock(&workers_mu);
    while (w) {
        struct worker *next = w->next;
        db_close(w->db);
        for (struct reqctx *x = w->free; x;) {
            struct reqctx *xn = x->next;
            sb_free(&x->resp.body);
            free(x);
            x = xn;
        }
        free(w);
        w = next;
    }
    tl_worker = NULL;
}

int http_serve(const struct http_config *cfg)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    /* Blocked here, before any thread starts, so MHD's threads inherit the mask and the
     * signals wait for sigwait below. */
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (sodium_init() < 0) {
        log_error("http: libsodium failed to initialise");
        return 1;
    }
    http_state_init(cfg);
    struct http_config *c = &http_state.cfg;
    if (!c->db_path || !*c->db_path)
        c->db_path = "duikou.db";
    if (!c->threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        c->threads = n > 0 ? (unsigned)n : 1;
    }
    atomic_store(&draining, false);
    atomic_store(&live_connections, 0);
    atomic_store(&abandoned, 0);
    int rc = 1;
    struct MHD_Daemon *d = NULL;

    /* Open (and migrate) once before accepting, so a bad path fails at start. */
    char *err = NULL;
    struct db *db = NULL;
    if (db_open(c->db_path, &db, &err) < 0) {
        log_error("http: %s: %s", c->db_path, err ? err : "cannot open the database");
        free(err);
        goto done;
    }
    db_close(db);

    char host[256], port[16];
    if (!parse_listen(c->listen, host, sizeof host, port, sizeof port)) {
        log_error("http: --listen %s: expected HOST:PORT", c->listen);
        goto done;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV},
                    *ai = NULL;
    int gai = getaddrinfo(host, port, &hints, &ai);
    if (gai != 0 || !ai) {
        log_error("http: --listen %s: %s", c->listen, gai_strerror(gai));
        goto done;
    }
    struct sockaddr_storage addr;
    memcpy(&addr, ai->ai_addr, ai->ai_addrlen);
    bool v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME |
                     (v6 ? MHD_USE_IPv6 : 0);
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL},
        {MHD_OPTION_SOCK_ADDR, 0, &addr},
        {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)c->max_connections + CONN_MARGIN, NULL},
        /* One address may hold only so many: a slowloris from one machine cannot fill the
         * server (MHD closes the connection past it at once). 0 is MHD's "no limit". */
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, c->max_per_address > 0 ? c->max_per_address : 0,
         NULL},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)connection_cb, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, c->connection_timeout, NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)c->max_header, NULL},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)uri_cb, NULL},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed_cb, NULL},
        {c->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, c->threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    if (http_durable_start(c->db_path) < 0 || http_indexer_start(c->db_path) < 0)
        goto done;
    d = MHD_start_daemon(flags | MHD_USE_EPOLL, 0, NULL, NULL, access_cb, NULL,
                         MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!d) /* no epoll here: let MHD pick what the system has */
        d = MHD_start_daemon(flags | MHD_USE_AUTO, 0, NULL, NULL, access_cb, NULL,
                             MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!d) {
        log_error("http: cannot listen on %s (in use, or not an address of this machine?)",
                  c->listen);
        goto done;
    }
    if (c->on_listening && c->on_listening() != 0) {
        log_error("http: not serving: recording the start in the database failed");
        MHD_stop_daemon(d);
        goto done;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info ? info->port : 0;
    log_info("http: %u threads, at most %u connections, database %s", c->threads,
             c->max_connections, c->db_path);
    printf("listening on http://%s%s%s:%u\n", v6 ? "[" : "", host, v6 ? "]" : "", bound);
    fflush(stdout);
    if (c->mail) { /* the mails' links: --public-url, else where it listens */
        static char own_url[300];
        if (!c->mail->public_url) {
            snprintf(own_url, sizeof own_url, "http://%s%s%s:%u", v6 ? "[" : "", host,
                     v6 ? "]" : "", bound);
            c->mail->public_url = own_url;
        }
        if (http_mailer_start(c->db_path, c->mail) < 0)
            log_error("mail: not sent by this server (the outbox keeps it)");
    }

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    log_info("http: %s: no new connections; finishing the requests in flight",
             sig == SIGINT ? "SIGINT" : "SIGTERM");
    atomic_store(&draining, true);
    MHD_socket ls = MHD_quiesce_daemon(d);
    for (int waited = 0; atomic_load(&in_flight) > 0 && waited < DRAIN_MS; waited += 10)
        usleep(10000);
    http_durable_stop(); /* syncs, and resumes whoever still waits, before MHD stops */
    http_indexer_stop(); /* the last writes are indexed before the process ends */
    http_mailer_stop();
    MHD_stop_daemon(d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    if (atomic_load(&in_flight) != 0)
        log_warn("http: %d requests were cut off at the stop", atomic_load(&in_flight));
    if (atomic_load(&abandoned) != 0)
        log_info("http: %u requests were dropped by libmicrohttpd before our handler ran "
                 "(heads too large, clients gone) and released", atomic_load(&abandoned));
    rc = 0;
    log_info("http: stopped");

done:
    http_durable_stop();
    http_indexer_stop();
    http_mailer_stop();
    close_workers();
    http_state_free();
    pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
    return rc;
}
