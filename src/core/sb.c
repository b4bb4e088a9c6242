/* sb: string builder over a heap buffer that doubles as it grows. */
#include "core/sb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/utf8.h"

void sb_init(struct sb *s)
{
    s->buf = NULL;
    s->len = s->cap = 0;
}

void sb_free(struct sb *s)
{
    free(s->buf);
    sb_init(s);
}

void sb_reset(struct sb *s)
{
    s->len = 0;
    if (s->buf)
        s->buf[0] = '\0';
}

void sb_reserve(struct sb *s, size_t extra)
{
    if (s->len + extra + 1 <= s->cap)
        return;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < s->len + extra + 1)
        cap *= 2;
    s->buf = xrealloc(s->buf, cap);
    s->cap = cap;
}

void sb_appendn(struct sb *s, const char *str, size_t n)
{
    sb_reserve(s, n);
    memcpy(s->buf + s->len, str, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

void sb_insert(struct sb *s, size_t at, const char *str, size_t n)
{
    if (at >= s->len) {
        sb_appendn(s, str, n);
        return;
    }
    sb_reserve(s, n);
    memmove(s->buf + at + n, s->buf + at, s->len - at + 1); /* with the NUL */
    memcpy(s->buf + at, str, n);
    s->len += n;
}

void sb_append(struct sb *s, const char *str)
{
    sb_appendn(s, str, strlen(str));
}

void sb_appendc(struct sb *s, char c)
{
    sb_reserve(s, 1);
    s->buf[s->len++] = c;
    s->buf[s->len] = '\0';
}

void sb_vappendf(struct sb *s, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0)
        return;
    sb_reserve(s, (size_t)n);
    vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
    s->len += (size_t)n;
}

void sb_appendf(struct sb *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vappendf(s, fmt, ap);
    va_end(ap);
}

void sb_append_cp(struct sb *s, uint32_t cp)
{
    char tmp[4];
    size_t n = utf8_encode(cp, tmp);
    sb_appendn(s, tmp, n);
}

const char *sb_str(struct sb *s)
{
    return s->buf ? s->buf : "";
}

char *sb_steal(struct sb *s)
{
    char *p = s->buf ? s->buf : xstrdup("");
    sb_init(s);
    return p;
}
