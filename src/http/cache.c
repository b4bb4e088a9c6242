/* cache: rendered answers of the GET routes marked ROUTE_CACHE, kept per worker thread and
 * keyed by everything an answer can depend on, so a hit is byte for byte what the handler
 * would write now:
 *   - the data version (store/db.h db_version_read, read once per request by
 *     http_request_version, before authentication): every write of this process moves it,
 *     and so does a commit by another process, so no answer outlives a change of the data;
 *   - the route's path and query, the method;
 *   - who asks: the user id and the session's CSRF token (pages put it in their forms), and
 *     the language of the answer;
 *   - today's date (lights and "overdue" depend on the day).
 * Rendering the work plan (50 items with lights and latest reports) or a plan page costs
 * milliseconds of queries and formatting; a hit is a hash, a few compares and a copy (the
 * bench: docs/performance.md). Only 200 answers are kept, never one that sets a cookie or
 * carries this response's CSP nonce, and a request with If-None-Match goes to the handler
 * (it answers 304 itself). Each thread keeps CACHE_ENTRIES answers (least recently used
 * goes), so memory is bounded: CACHE_ENTRIES × CACHE_MAX_BODY per thread at most. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "http/internal.h"
#include "service/light.h"
#include "store/db.h"

enum { CACHE_ENTRIES = 32, CACHE_MAX_BODY = 256 * 1024 };

struct entry {
    uint64_t hash, used;
    char *key;
    int status, n_headers;
    char *content_type;
    char *names[HTTP_MAX_HEADERS], *values[HTTP_MAX_HEADERS];
    char *body;
    size_t len;
};

struct cache {
    struct entry e[CACHE_ENTRIES];
    uint64_t tick;
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void entry_clear(struct entry *e)
{
    free(e->key);
    free(e->content_type);
    for (int i = 0; i < e->n_headers; i++) {
        free(e->names[i]);
        free(e->values[i]);
    }
    free(e->body);
    memset(e, 0, sizeof *e);
}

static void cache_free(void *p)
{
    struct cache *c = p;
    for (int i = 0; i < CACHE_ENTRIES; i++)
        entry_clear(&c->e[i]);
    free(c);
}

static void cache_init_key(void)
{
    pthread_key_create(&cache_key, cache_free);
}

static struct cache *thread_cache(void)
{
    pthread_once(&cache_once, cache_init_key);
    struct cache *c = pthread_getspecific(cache_key);
    if (!c) {
        c = xcalloc(1, sizeof *c);
        pthread_setspecific(cache_key, c);
    }
    return c;
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
    pthread_once(&cache_once, cache_init_key);
    struct cache *c = pthread_getspecific(cache_key);
    if (c)
        for (int i = 0; i < CACHE_ENTRIES; i++)
            entry_clear(&c->e[i]);
}

const struct db_version *http_request_version(struct req *r)
{
    if (!r->have_version && r->ctx.db && db_version_read(r->ctx.db, &r->version) == 0)
        r->have_version = true;
    return r->have_version ? &r->version : NULL;
}

const char *http_cache_key(struct req *r)
{
    if (!r->route || !(r->route->flags & ROUTE_CACHE) || strcmp(r->method, "GET") != 0 ||
        !r->ctx.db || req_header(r, "If-None-Match"))
        return NULL;
    const struct db_version *v = http_request_version(r);
    if (!v)
        return NULL;
    /* "Today" as the lights count it (China Standard Time), not the UTC date. */
    char today[11], soon[11];
    light_today(today, soon);
    struct sb k = SB_INIT;
    sb_appendf(&k, "%llu.%llu.%lld %s %d %lld %s ", (unsigned long long)v->conn,
               (unsigned long long)v->local, (long long)v->external, today, (int)r->lang,
               (long long)(r->user ? r->user->id : 0), r->csrf_token ? r->csrf_token : "-");
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

bool http_cache_get(const char *key, struct req *r, struct resp *p, int *status)
{
    struct cache *c = thread_cache();
    uint64_t h = fnv(key);
    for (int i = 0; i < CACHE_ENTRIES; i++) {
        struct entry *e = &c->e[i];
        if (e->hash != h || strcmp(e->key, key) != 0)
            continue;
        e->used = ++c->tick;
        p->content_type = e->content_type ? arena_strdup(r->arena, e->content_type) : NULL;
        for (int j = 0; j < e->n_headers; j++)
            resp_header(r, p, arena_strdup(r->arena, e->names[j]),
                        arena_strdup(r->arena, e->values[j]));
        sb_reset(&p->body);
        sb_appendn(&p->body, e->body, e->len);
        *status = e->status;
        return true;
    }
    return false;
}

void http_cache_put(const char *key, struct req *r, const struct resp *p, int status)
{
    (void)r;
    if (status != 200 || p->body.len > CACHE_MAX_BODY)
        return;
    for (int i = 0; i < p->n_headers; i++)
        if (p->headers[i].name && strcasecmp(p->headers[i].name, "Set-Cookie") == 0)
            return;
    const char *body = p->body.buf ? p->body.buf : "";
    if (p->body.len && memmem(body, p->body.len, p->nonce, strlen(p->nonce)))
        return; /* the page carries this response's nonce: it must not be served twice */
    struct cache *c = thread_cache();
    struct entry *e = &c->e[0];
    for (int i = 1; i < CACHE_ENTRIES && e->key; i++)
        if (!c->e[i].key || c->e[i].used < e->used)
            e = &c->e[i];
    entry_clear(e);
    e->key = xstrdup(key);
    e->hash = fnv(key);
    e->used = ++c->tick;
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
}
