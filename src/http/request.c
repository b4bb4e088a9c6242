/* request: turns what arrived into a struct req (decoded path and parameters, cookies, form
 * or JSON body, language) and writes error bodies. Everything lives in the request arena;
 * text handed to handlers is valid UTF-8 without NUL bytes, so no handler has to check. */
#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/json.h"
#include "core/log.h"
#include "core/utf8.h"
#include "http/internal.h"
#include "service/auth.h"

void req_init(struct req *r, struct arena *a, const char *method, const char *client)
{
    memset(r, 0, sizeof *r);
    r->arena = a;
    r->method = method;
    r->path = "/";
    r->client = client;
    r->lang = LANG_HANS;
    r->ctx.arena = a;
    r->ctx.client = client;
    r->ctx.actor = "public";
    r->ctx.user = &svc_public; /* set_user (router.c) replaces it after a sign-in */
}

void resp_init(struct resp *p)
{
    unsigned char raw[16];
    p->status = 200;
    p->content_type = NULL;
    p->n_headers = 0;
    p->name_at = p->name_len = p->unread_at = p->unread_len = 0;
    p->unread_hole = false;
    p->file_fd = -1;
    p->file_size = 0;
    randombytes_buf(raw, sizeof raw);
    /* 16 bytes are 22 characters unpadded: fits nonce[24] with its NUL. */
    sodium_bin2base64(p->nonce, sizeof p->nonce, raw, sizeof raw,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

/* ---- decoding ---------------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *http_decode(struct arena *a, const char *s, size_t n, bool plus)
{
    char *out = arena_alloc(a, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int hi, lo;
        if (c == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
            (lo = hexval(s[i + 2])) >= 0) {
            c = (char)(hi << 4 | lo);
            i += 2;
        } else if (c == '+' && plus) {
            c = ' ';
        }
        if (c == '\0')
            return NULL;
        out[j++] = c;
    }
    out[j] = '\0';
    return utf8_valid(out, j, NULL) ? out : NULL;
}

/* Splits a&b=c into params (empty pieces skipped, a bare name has the value ""). NULL, or
 * the message id of the failure. */
static const char *parse_params(struct arena *a, const char *s, size_t n, struct param **out,
                                size_t *n_out)
{
    struct param *items = NULL;
    size_t count = 0, cap = 0;
    const char *end = s + n;
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        const char *stop = amp ? amp : end;
        if (stop > s) {
            if (count >= HTTP_MAX_PARAMS)
                return "err_too_many_params";
            const char *eq = memchr(s, '=', (size_t)(stop - s));
            const char *name_end = eq ? eq : stop;
            char *name = http_decode(a, s, (size_t)(name_end - s), true);
            char *value = eq ? http_decode(a, eq + 1, (size_t)(stop - eq - 1), true)
                             : arena_strdup(a, "");
            if (!name || !value)
                return "err_bad_utf8";
            struct param *q = ARRAY_PUSH(a, items, count, cap);
            q->name = name;
            q->value = value;
        }
        s = stop + 1;
    }
    *out = items;
    *n_out = count;
    return NULL;
}

const char *req_lang_choice(const struct req *r)
{
    const char *q = req_query(r, "lang");
    if (i18n_tag(q) >= 0)
        return q;
    const char *c = req_cookie(r, "lang");
    return i18n_tag(c) >= 0 ? c : NULL;
}

int req_parse_target(struct req *r, struct resp *p, const char *target)
{
    size_t plen = strcspn(target, "?#");
    const char *err = NULL;
    const char *path = http_decode(r->arena, target, plen, false);
    bool decoded = path != NULL;
    if (!path) {
        err = "err_bad_utf8";
    } else {
        r->path = path;
        if (target[plen] == '?') {
            const char *q = target + plen + 1;
            err = parse_params(r->arena, q, strcspn(q, "#"), &r->query, &r->n_query);
        }
    }
    /* Every error body wants the language, so it is picked even after a failure. */
    const char *chosen = req_lang_choice(r);
    r->lang = chosen ? (enum lang)i18n_tag(chosen) : i18n_pick(NULL, req_header(r, "Accept-Language"));
    if (!err)
        return 0;
    int status = strcmp(err, "err_too_many_params") == 0 ? 414 : 400;
    /* A page's refusal is a page; without a decoded path there is no telling. */
    return decoded ? http_refuse(r, p, status, err) : http_error(r, p, status, err, NULL);
}

void req_parse_cookies(struct req *r, const char *h)
{
    struct param *items = NULL;
    size_t count = 0, cap = 0;
    while (h && *h) {
        while (*h == ' ' || *h == '\t' || *h == ';')
            h++;
        size_t n = strcspn(h, ";");
        const char *eq = memchr(h, '=', n);
        if (eq && eq > h && count < 64) {
            const char *ne = eq, *v = eq + 1, *ve = h + n;
            while (ne > h && (ne[-1] == ' ' || ne[-1] == '\t'))
                ne--;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            if (ve - v >= 2 && *v == '"' && ve[-1] == '"') {
                v++;
                ve--;
            }
            struct param *c = ARRAY_PUSH(r->arena, items, count, cap);
            c->name = arena_strndup(r->arena, h, (size_t)(ne - h));
            c->value = arena_strndup(r->arena, v, (size_t)(ve - v));
        }
        h += n;
    }
    r->cookies = items;
    r->n_cookies = count;
}

int req_parse_form(struct req *r, struct resp *p, const char *s, size_t n)
{
    const char *err = parse_params(r->arena, s, n, &r->form, &r->n_form);
    return err ? http_error(r, p, 400, err, NULL) : 0;
}

bool http_content_type_is(const char *ct, const char *type)
{
    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    size_t n = strlen(type);
    if (strncasecmp(ct, type, n) != 0)
        return false;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t';
}

bool json_depth_ok(const char *s, size_t n, int max)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return false;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return true;
}

static void decref(void *j)
{
    json_decref(j);
}

int req_parse_json(struct req *r, struct resp *p)
{
    if (!r->body || r->body_len == 0 || !json_depth_ok(r->body, r->body_len, HTTP_MAX_JSON_DEPTH))
        return http_error(r, p, 400, "err_bad_json", NULL);
    json_error_t err;
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!j)
        return http_error(r, p, 400, "err_bad_json", NULL);
    arena_defer(r->arena, decref, j);
    r->json = j;
    return 0;
}

/* ---- lookups ----------------------------------------------------------------------------- */

static const char *find(const struct param *items, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].name, name) == 0)
            return items[i].value;
    return NULL;
}

const char *req_query(const struct req *r, const char *name)
{
    return find(r->query, r->n_query, name);
}

const char *req_form(const struct req *r, const char *name)
{
    return find(r->form, r->n_form, name);
}

const char *req_cookie(const struct req *r, const char *name)
{
    return find(r->cookies, r->n_cookies, name);
}

const char *req_header(const struct req *r, const char *name)
{
    if (r->conn)
        return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
    for (size_t i = 0; i < r->n_headers; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

/* ---- responses --------------------------------------------------------------------------- */

void resp_header(struct req *r, struct resp *p, const char *name, const char *value)
{
    if (p->n_headers >= HTTP_MAX_HEADERS) {
        log_error("http: too many response headers on %s %s; %s dropped", r->method, r->path,
                  name);
        return;
    }
    p->headers[p->n_headers].name = name;
    p->headers[p->n_headers].value = value;
    p->n_headers++;
}

void resp_file(struct resp *p, int fd, uint64_t size)
{
    if (p->file_fd >= 0)
        close(p->file_fd);
    p->file_fd = fd;
    p->file_size = size;
}

int http_error(struct req *r, struct resp *p, int status, const char *code, const char *field)
{
    struct jw w;
    p->status = status;
    p->content_type = "application/json; charset=utf-8";
    sb_reset(&p->body);
    jw_init(&w, &p->body, false);
    jw_obj(&w);
    jw_key(&w, "error");
    jw_obj(&w);
    jw_kstr(&w, "code", code);
    jw_kstr(&w, "message", i18n(r->lang, code));
    if (field)
        jw_kstr(&w, "field", field);
    else
        jw_knull(&w, "field");
    jw_obj_end(&w);
    jw_obj_end(&w);
    return status;
}

int http_from_service(struct req *r, struct resp *p, int svc)
{
    int status;
    const char *code;
    switch (svc) {
    case SVC_OK:
        return 200;
    case SVC_INVALID:
        status = 422, code = "err_invalid";
        break;
    case SVC_NOT_FOUND:
        status = 404, code = "err_not_found";
        break;
    case SVC_CONFLICT:
        status = 409, code = "err_conflict";
        break;
    case SVC_FORBIDDEN:
        status = 403, code = "err_forbidden";
        break;
    case SVC_UNAUTHORIZED:
        status = 401, code = "err_unauthorized";
        break;
    case SVC_STALE:
        status = 412, code = "err_stale";
        break;
    case SVC_LOCKED:
        status = 429, code = "err_locked";
        break;
    default:
        status = 500, code = "err_internal";
        break;
    }
    if (status == 500) {
        /* The detail (maybe SQL, maybe a path) goes to the log only. */
        log_error("%s %s: %s", r->method, r->path, r->ctx.error ? r->ctx.error : "service error");
        return http_error(r, p, 500, code, NULL);
    }
    if (r->ctx.code && i18n_known(r->ctx.code))
        code = r->ctx.code;
    if (status == 429) {
        int secs = auth_policy.lock_seconds > 0 ? auth_policy.lock_seconds : 900;
        resp_header(r, p, "Retry-After", arena_printf(r->arena, "%d", secs));
    }
    return http_error(r, p, status, code, r->ctx.field);
}

/* ---- multipart/form-data, read by libmicrohttpd's post processor ------------------------- */

enum { MULTIPART_MAX_FIELDS = 200, MULTIPART_MAX_FILES = 5 };

struct multipart {
    struct req *r;
    size_t cap_form, cap_files, text_bytes;
    size_t file_cap, text_cap; /* the capacity of the part being read */
    const char *error;         /* a message id once the body is refused */
};

/* Appends n bytes to a growing arena buffer of *len bytes and capacity *cap (NUL kept at the
 * end). The capacity doubles: an arena never frees, so growing by each chunk would keep
 * every copy (a 20 MiB file in 64 KiB chunks: gigabytes). */
static char *append(struct arena *a, char *buf, size_t *len, size_t *cap, const char *data,
                    size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t want = *cap ? *cap * 2 : 256;
        while (want < *len + n + 1)
            want *= 2;
        buf = arena_grow(a, buf, *len ? *len + 1 : 0, want);
        *cap = want;
    }
    memcpy(buf + *len, data, n);
    *len += n;
    buf[*len] = '\0';
    return buf;
}

static enum MHD_Result multipart_part(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *filename, const char *content_type,
                                      const char *transfer_encoding, const char *data,
                                      uint64_t off, size_t size)
{
    struct multipart *m = cls;
    struct req *r = m->r;
    if (!key)
        return MHD_YES;
    if (filename) {
        /* a new part starts at offset 0; later chunks continue the last one */
        if (off == 0) {
            if (r->n_uploads >= MULTIPART_MAX_FILES) {
                m->error = "err_too_many_params";
                return MHD_NO;
            }
            struct upload *u = ARRAY_PUSH(r->arena, r->uploads, r->n_uploads, m->cap_files);
            u->field = arena_strdup(r->arena, key);
            u->filename = arena_strdup(r->arena, filename);
            u->content_type = content_type ? arena_strdup(r->arena, content_type) : NULL;
            u->data = arena_alloc(r->arena, 1);
            m->file_cap = 1;
        }
        if (!r->n_uploads)
            return MHD_YES;
        struct upload *u = &r->uploads[r->n_uploads - 1];
        if (size)
            u->data = append(r->arena, u->data, &u->len, &m->file_cap, data, size);
        return MHD_YES;
    }
    if (off == 0) {
        if (r->n_form >= MULTIPART_MAX_FIELDS) {
            m->error = "err_too_many_params";
            return MHD_NO;
        }
        struct param *f = ARRAY_PUSH(r->arena, r->form, r->n_form, m->cap_form);
        f->name = arena_strdup(r->arena, key);
        f->value = arena_strdup(r->arena, "");
        m->text_cap = 1;
    }
    if (!r->n_form)
        return MHD_YES;
    struct param *f = &r->form[r->n_form - 1];
    size_t len = strlen(f->value);
    if (size && memchr(data, 0, size)) {
        m->error = "err_bad_form";
        return MHD_NO;
    }
    m->text_bytes += size;
    if (m->text_bytes > HTTP_UPLOAD_OVERHEAD) {
        m->error = "err_too_large";
        return MHD_NO;
    }
    if (size)
        f->value = append(r->arena, (char *)f->value, &len, &m->text_cap, data, size);
    return MHD_YES;
}

int req_parse_multipart(struct req *r, struct resp *p)
{
    if (!r->conn)
        return http_error(r, p, 415, "err_media_type", NULL);
    struct multipart m = {.r = r};
    struct MHD_PostProcessor *pp = MHD_create_post_processor(r->conn, 64 * 1024,
                                                             multipart_part, &m);
    if (!pp) /* no usable boundary in the Content-Type */
        return http_error(r, p, 400, "err_bad_form", NULL);
    enum MHD_Result ok = MHD_post_process(pp, r->body, r->body_len);
    enum MHD_Result done = MHD_destroy_post_processor(pp);
    if (m.error)
        return http_error(r, p, strcmp(m.error, "err_too_large") == 0 ? 413 : 400, m.error, NULL);
    if (ok != MHD_YES || done != MHD_YES)
        return http_error(r, p, 400, "err_bad_form", NULL);
    for (size_t i = 0; i < r->n_form; i++)
        if (!utf8_valid(r->form[i].value, strlen(r->form[i].value), NULL))
            return http_error(r, p, 400, "err_bad_form", NULL);
    for (size_t i = 0; i < r->n_uploads; i++)
        if (!utf8_valid(r->uploads[i].filename, strlen(r->uploads[i].filename), NULL))
            r->uploads[i].filename = "file"; /* a name we cannot show is no name */
    return 0;
}

const struct upload *req_upload(const struct req *r, const char *name)
{
    const struct upload *found = NULL;
    for (size_t i = 0; i < r->n_uploads; i++)
        if (strcmp(r->uploads[i].field, name) == 0 && r->uploads[i].len)
            found = &r->uploads[i];
    return found;
}
