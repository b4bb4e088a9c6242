/* json: streaming writer. '<', '>' and '&' are escaped too, so JSON can be embedded in an
 * HTML page without a second escaping step. */
#include "core/json.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

void jw_init(struct jw *w, struct sb *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
}

static void newline(struct jw *w)
{
    if (!w->pretty)
        return;
    sb_appendc(w->out, '\n');
    for (int i = 0; i < w->depth; i++)
        sb_append(w->out, "  ");
}

/* Called before every value or key: writes the separator the position needs. */
static void before_value(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (w->count[w->depth])
            sb_appendc(w->out, ',');
        newline(w);
        if (w->count[w->depth] < 255)
            w->count[w->depth]++;
    }
}

static void open(struct jw *w, char c)
{
    before_value(w);
    sb_appendc(w->out, c);
    assert(w->depth + 1 < JW_MAX_DEPTH);
    w->depth++;
    w->count[w->depth] = 0;
}

static void close_(struct jw *w, char c)
{
    assert(w->depth > 0);
    bool had = w->count[w->depth] > 0;
    w->depth--;
    if (had)
        newline(w);
    sb_appendc(w->out, c);
}

void jw_obj(struct jw *w) { open(w, '{'); }
void jw_obj_end(struct jw *w) { close_(w, '}'); }
void jw_arr(struct jw *w) { open(w, '['); }
void jw_arr_end(struct jw *w) { close_(w, ']'); }

void jw_key(struct jw *w, const char *key)
{
    before_value(w);
    json_quote(w->out, key, strlen(key));
    sb_append(w->out, w->pretty ? ": " : ":");
    w->after_key = true;
}

void json_quote(struct sb *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    sb_reserve(out, n + 2);
    sb_appendc(out, '"');
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t start = i;
            uint32_t cp = utf8_decode(s, n, &i);
            if (cp == UTF8_INVALID)
                sb_append(out, "\\ufffd");
            else if (cp == 0x2028 || cp == 0x2029)
                sb_appendf(out, "\\u%04x", cp);
            else
                sb_appendn(out, s + start, i - start);
            continue;
        }
        i++;
        switch (c) {
        case '"': sb_append(out, "\\\""); break;
        case '\\': sb_append(out, "\\\\"); break;
        case '\n': sb_append(out, "\\n"); break;
        case '\r': sb_append(out, "\\r"); break;
        case '\t': sb_append(out, "\\t"); break;
        case '<': case '>': case '&':
        default:
            if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
                sb_append(out, esc);
            } else {
                sb_appendc(out, (char)c);
            }
        }
    }
    sb_appendc(out, '"');
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
    before_value(w);
    json_quote(w->out, s, n);
}

void jw_str(struct jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, int64_t v)
{
    before_value(w);
    sb_appendf(w->out, "%" PRId64, v);
}

void jw_double(struct jw *w, double v)
{
    before_value(w);
    if (!isfinite(v))
        sb_append(w->out, "null");
    else
        sb_appendf(w->out, "%.17g", v);
}

void jw_bool(struct jw *w, bool v)
{
    before_value(w);
    sb_append(w->out, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
    before_value(w);
    sb_append(w->out, "null");
}

void jw_raw(struct jw *w, const char *json)
{
    before_value(w);
    sb_append(w->out, json);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

void jw_knull(struct jw *w, const char *key)
{
    jw_key(w, key);
    jw_null(w);
}
