/* cache: rendered answers of the GET routes marked ROUTE_CACHE*, kept for the whole process
 * and keyed by everything an answer can depend on, so a hit is byte for byte what the handler
 * would write now (DUIKOU_CACHE_VERIFY=1 makes every hit prove it; see below):
 *   - the data versions (store/db.h db_scope_versions), read once per request before
 *     authentication and before the handler, and moved by every audited write in its own
 *     transaction, by any process sharing the database:
 *       ROUTE_CACHE: the sum of all versions — any audited write renders the answer again;
 *       ROUTE_CACHE_PAIRING: the version of the (province) pairing named by the path's {id}
 *         and of the writes tied to no pairing — a report in Dalian does not re-render the
 *         dashboard of Liaoning–Jiangsu;
 *       ROUTE_CACHE_MINE: the same for the caller's own pairing (the review queue);
 *       ROUTE_CACHE_UNIT: the caller's unit's version and its pairing's without reports
 *         (/my): a report re-renders the pages of the unit that owns its item only;
 *     writes that change nothing a page shows (a session's last use, the search index) move
 *     no version;
 *   - the route's path and query, the method;
 *   - who asks: the user, or with ROUTE_SHARED only what the answer depends on — role, unit,
 *     side and pairing — so the thirty members of a unit share one rendering; and whether the
 *     session has a CSRF token; and the language of the answer;
 *   - today's date in China (lights and "overdue" depend on the day).
 * A page's personal parts are filled in when it is sent: the session's CSRF token (every form
 * carries it: a random 43-character token, so each occurrence of the rendering session's
 * token, found once when the answer is filed, is the caller's token's place) and the user's
 * name in the page header (at the offset the layout recorded, resp.name_at), and the unread
 * count of the inbox beside it (resp.unread_at: read again for each answer sent). Nothing else
 * of the user may reach a ROUTE_SHARED answer.
 *
 * Never kept: an answer other than 200, one that sets a cookie, one that carries this
 * response's CSP nonce, one larger than CACHE_MAX_BODY; a request with If-None-Match goes to
 * the handler (it answers 304 itself). At most CACHE_ENTRIES answers and CACHE_MAX_BYTES of
 * them are kept, the least recently used going first. One mutex guards the table: a hit
 * holds it for a compare of keys and a copy of the body.
 *
 * DUIKOU_CACHE_VERIFY=1 (the API and browser tests set it): every hit is rendered again by
 * the handler and compared with what the cache would send; a difference is a key that misses
 * something the answer depends on (or a write that is not audited), and aborts the server
 * with the route and the first differing bytes — a test cannot pass over it. A hit then
 * carries "X-Duikou-Cache: hit", so a test can also see what a write did not re-render. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "http/internal.h"
#include "service/light.h"
#include "service/notification.h"
#include "store/db.h"
#include "web/html.h"
#include "web/web.h"

enum {
    CACHE_ENTRIES = 1024,
    CACHE_MAX_BODY = 512 * 1024,
    CACHE_MAX_BYTES = 48 * 1024 * 1024,
};

struct entry {
    uint64_t hash, used; /* hash 0: empty */
    char *key;
    int status, n_headers;
    char *content_type;
    char *names[HTTP_MAX_HEADERS], *values[HTTP_MAX_HEADERS];
    char *body;
    size_t len, bytes;
    /* The personal parts of body, in order: where the rendering session's CSRF token and
     * the user's name are (found once, when the answer is filed). */
    struct hole {
        size_t at, len;
        enum { HOLE_CSRF, HOLE_NAME, HOLE_UNREAD } kind;
    } *holes;
    size_t n_holes;
};

static struct {
    pthread_mutex_t mu;
    struct entry e[CACHE_ENTRIES];
    uint64_t tick;
    size_t bytes;
    int verify; /* -1: not read yet */
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER, .verify = -1};

static void entry_clear(struct entry *e)
{
    free(e->key);
    free(e->content_type);
    for (int i = 0; i < e->n_headers; i++) {
        free(e->names[i]);
        free(e->values[i]);
    }
    free(e->body);
    free(e->holes);
    cache.bytes -= e->bytes;
    memset(e, 0, sizeof *e);
}

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h ? h : 1;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void escape(struct sb *k, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
            *c == '-' || *c == '.' || *c == '_' || *c == '~' || *c == '/')
            sb_appendf(k, "%c", *c);
        else
            sb_appendf(k, "%%%02X", *c);
    }
}

void http_cache_clear(void)
{
    pthread_mutex_lock(&cache.mu);
    for (int i = 0; i < CACHE_ENTRIES; i++)
        entry_clear(&cache.e[i]);
    pthread_mutex_unlock(&cache.mu);
}

const struct scope_version *http_request_scopes(struct req *r)
{
    if (!r->have_scopes && r->ctx.db && db_scope_versions(r->ctx.db, 0, &r->scopes) == 0)
        r->have_scopes = true;
    return r->have_scopes ? &r->scopes : NULL;
}

/* The versions part of the key: "" when the answer is not to be kept. */
static bool key_versions(struct req *r, struct sb *k)
{
    const struct scope_version *v = http_request_scopes(r);
    if (!v)
        return false;
    unsigned f = r->route->flags;
    int64_t pairing = 0;
    if (f & ROUTE_CACHE_PAIRING)
        pairing = r->n_ids ? r->ids[0] : 0;
    else if ((f & (ROUTE_CACHE_MINE | ROUTE_CACHE_UNIT)) && r->user)
        pairing = r->user->pairing_id;
    if (!pairing) { /* ROUTE_CACHE, or an admin's own pages: any write */
        sb_appendf(k, "all:%lld", (long long)v->total);
        return true;
    }
    struct scope_version p;
    if (db_scope_versions(r->ctx.db, pairing, &p) != 0 || p.pairing < 0)
        return false; /* no such pairing: the handler answers 404, which is not kept */
    int64_t unit = (f & ROUTE_CACHE_UNIT) && r->user ? r->user->unit_id : 0, un = 0;
    if (unit) {
        if (db_unit_version(r->ctx.db, unit, &un) != 0)
            return false;
        sb_appendf(k, "p%lld:g%lld n%lld:%lld u:%lld", (long long)pairing, (long long)p.general,
                   (long long)unit, (long long)un, (long long)p.unscoped);
        return true;
    }
    /* The pairing's version is read after the request's first read: it can only be newer,
     * which files newer data under it, never older. */
    sb_appendf(k, "p%lld:%lld u:%lld", (long long)pairing, (long long)p.pairing,
               (long long)p.unscoped);
    return true;
}

const char *http_cache_key(struct req *r)
{
    unsigned any = ROUTE_CACHE | ROUTE_CACHE_PAIRING | ROUTE_CACHE_MINE | ROUTE_CACHE_UNIT;
    if (!r->route || !(r->route->flags & any) || strcmp(r->method, "GET") != 0 || !r->ctx.db ||
        req_header(r, "If-None-Match"))
        return NULL;
    struct sb k = SB_INIT;
    if (!key_versions(r, &k)) {
        sb_free(&k);
        return NULL;
    }
    /* "Today" as the lights count it (China Standard Time), not the UTC date. */
    char today[11], soon[11];
    light_today(today, soon);
    sb_appendf(&k, " %s %d %s ", today, (int)r->lang, r->csrf_token ? "csrf" : "-");
    const struct user *u = r->user;
    if (!u)
        sb_append(&k, "public ");
    else if (r->route->flags & ROUTE_SHARED)
        sb_appendf(&k, "role %d unit %lld side %d pairing %lld ", (int)u->role,
                   (long long)u->unit_id, u->side, (long long)u->pairing_id);
    else
        sb_appendf(&k, "user %lld ", (long long)u->id);
    /* The decoded path and parameters, percent-encoded again, so that ?q=a%26b and
     * ?q=a&b= are two keys. */
    escape(&k, r->path);
    for (size_t i = 0; i < r->n_query; i++) {
        sb_append(&k, i ? "&" : "?");
        escape(&k, r->query[i].name);
        sb_append(&k, "=");
        escape(&k, r->query[i].value);
    }
    const char *key = arena_strndup(r->arena, k.buf ? k.buf : "", k.len);
    sb_free(&k);
    return key;
}

/* The cached body as this caller's: its CSRF token and its name in the holes. */
static void fill_body(const struct entry *e, struct req *r, struct sb *out)
{
    size_t done = 0;
    for (size_t i = 0; i < e->n_holes; i++) {
        const struct hole *h = &e->holes[i];
        sb_appendn(out, e->body + done, h->at - done);
        if (h->kind == HOLE_NAME) {
            const char *name = web_user_display_name(r->user);
            html_escape(out, name, strlen(name));
        } else if (h->kind == HOLE_UNREAD) {
            int64_t unread = 0;
            if (web_unread(r, &unread) != SVC_OK)
                r->ctx.code = r->ctx.field = r->ctx.error = NULL; /* shown as none */
            web_unread_count(out, unread);
        } else {
            sb_append(out, r->csrf_token);
        }
        done = h->at + h->len;
    }
    sb_appendn(out, e->body + done, e->len - done);
}

static int hole_order(const void *a, const void *b)
{
    const struct hole *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* The holes of a body rendered for r (xmalloc'd, in order; *n how many). */
static struct hole *find_holes(struct req *r, const struct resp *p, size_t *n)
{
    size_t cap = 8;
    struct hole *h = xmalloc(cap * sizeof *h);
    *n = 0;
    if (r->user && p->name_len)
        h[(*n)++] = (struct hole){.at = p->name_at, .len = p->name_len, .kind = HOLE_NAME};
    if (r->user && p->unread_hole)
        h[(*n)++] = (struct hole){.at = p->unread_at, .len = p->unread_len, .kind = HOLE_UNREAD};
    size_t tl = r->csrf_token ? strlen(r->csrf_token) : 0;
    const char *body = p->body.buf ? p->body.buf : "";
    for (size_t at = 0; tl && at + tl <= p->body.len;) {
        const char *hit = memmem(body + at, p->body.len - at, r->csrf_token, tl);
        if (!hit)
            break;
        if (*n == cap)
            h = xrealloc(h, (cap *= 2) * sizeof *h);
        h[(*n)++] = (struct hole){.at = (size_t)(hit - body), .len = tl, .kind = HOLE_CSRF};
        at = (size_t)(hit - body) + tl;
    }
    qsort(h, *n, sizeof *h, hole_order);
    return h;
}

static bool verify_on(void)
{
    if (cache.verify < 0) {
        const char *v = getenv("DUIKOU_CACHE_VERIFY");
        cache.verify = v && strcmp(v, "1") == 0;
    }
    return cache.verify == 1;
}

/* DUIKOU_CACHE_VERIFY: the handler's own answer must be what the cache sent. */
static void verify_hit(struct req *r, const struct resp *sent, int status)
{
    struct resp fresh = {0};
    resp_init(&fresh);
    int st = r->route->handler(r, &fresh);
    const char *a = sent->body.buf ? sent->body.buf : "", *b = fresh.body.buf ? fresh.body.buf : "";
    size_t i = 0;
    while (i < sent->body.len && i < fresh.body.len && a[i] == b[i])
        i++;
    if (st != status || sent->body.len != fresh.body.len || i < sent->body.len) {
        size_t from = i > 80 ? i - 80 : 0;
        log_error("cache: a hit of GET %s (key %s) differs from a fresh rendering "
                  "(status %d, fresh %d; %zu and %zu bytes; first difference at %zu):\n"
                  "  cached: %.*s\n  fresh:  %.*s",
                  r->path, http_cache_key(r), status, st, sent->body.len, fresh.body.len, i,
                  (int)(i + 160 < sent->body.len ? 240 : sent->body.len - from), a + from,
                  (int)(i + 160 < fresh.body.len ? 240 : fresh.body.len - from), b + from);
        abort();
    }
    sb_free(&fresh.body);
}

bool http_cache_get(const char *key, struct req *r, struct resp *p, int *status)
{
    uint64_t h = fnv(key);
    pthread_mutex_lock(&cache.mu);
    struct entry *e = NULL;
    for (int i = 0; i < CACHE_ENTRIES && !e; i++)
        if (cache.e[i].hash == h && strcmp(cache.e[i].key, key) == 0)
            e = &cache.e[i];
    if (!e) {
        pthread_mutex_unlock(&cache.mu);
        return false;
    }
    e->used = ++cache.tick;
    p->content_type = e->content_type ? arena_strdup(r->arena, e->content_type) : NULL;
    for (int j = 0; j < e->n_headers; j++)
        resp_header(r, p, arena_strdup(r->arena, e->names[j]), arena_strdup(r->arena, e->values[j]));
    sb_reset(&p->body);
    fill_body(e, r, &p->body);
    *status = e->status;
    pthread_mutex_unlock(&cache.mu);
    if (verify_on()) {
        verify_hit(r, p, *status);
        /* Only where hits are checked: lets a test see that a write left a page alone. */
        resp_header(r, p, "X-Duikou-Cache", "hit");
    }
    return true;
}

void http_cache_put(const char *key, struct req *r, const struct resp *p, int status)
{
    if (status != 200 || p->body.len > CACHE_MAX_BODY || p->file_fd >= 0) /* a file: too big */
        return;
    for (int i = 0; i < p->n_headers; i++)
        if (p->headers[i].name && strcasecmp(p->headers[i].name, "Set-Cookie") == 0)
            return;
    const char *body = p->body.buf ? p->body.buf : "";
    if (p->body.len && memmem(body, p->body.len, p->nonce, strlen(p->nonce)))
        return; /* the page carries this response's nonce: it must not be served twice */
    if (p->name_len && p->name_at + p->name_len > p->body.len)
        return;
    size_t n_holes;
    struct hole *holes = find_holes(r, p, &n_holes);
    size_t bytes = p->body.len + strlen(key) + sizeof(struct entry) + n_holes * sizeof *holes;
    uint64_t h = fnv(key);
    pthread_mutex_lock(&cache.mu);
    struct entry *e = NULL;
    for (int i = 0; i < CACHE_ENTRIES && !e; i++) /* another thread may have filed it */
        if (cache.e[i].hash == h && strcmp(cache.e[i].key, key) == 0)
            e = &cache.e[i];
    if (e)
        entry_clear(e);
    /* Room: an empty entry, else the least recently used, and more while over the budget. */
    for (;;) {
        struct entry *lru = NULL;
        for (int i = 0; i < CACHE_ENTRIES; i++) {
            struct entry *x = &cache.e[i];
            if (!x->hash) {
                if (!e)
                    e = x;
            } else if (!lru || x->used < lru->used) {
                lru = x;
            }
        }
        if (e && cache.bytes + bytes <= CACHE_MAX_BYTES)
            break;
        if (!lru)
            break;
        entry_clear(lru);
        if (!e)
            e = lru;
    }
    e->key = xstrdup(key);
    e->hash = h;
    e->used = ++cache.tick;
    e->status = status;
    e->content_type = dup_or_null(p->content_type);
    for (int i = 0; i < p->n_headers; i++) {
        if (!p->headers[i].name || !p->headers[i].value)
            continue;
        e->names[e->n_headers] = xstrdup(p->headers[i].name);
        e->values[e->n_headers++] = xstrdup(p->headers[i].value);
    }
    e->body = xmalloc(p->body.len + 1);
    memcpy(e->body, body, p->body.len);
    e->len = p->body.len;
    e->holes = holes;
    e->n_holes = n_holes;
    e->bytes = bytes;
    cache.bytes += bytes;
    pthread_mutex_unlock(&cache.mu);
}
