/* service: what every service shares. */
#include "service/service.h"

#include <stdarg.h>

#include "core/clock.h"
#include "core/mem.h"

int svc_fail(struct ctx *c, int status, const char *code, const char *field, const char *fmt,
             ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->error = arena_vprintf(c->arena, fmt, ap);
    va_end(ap);
    c->code = code;
    c->field = field;
    return status;
}

const struct user svc_public = {
    .role = ROLE_PUBLIC, .side = -1, .login = "public", .name = "public", .unit_name = "",
    .language = "zh-Hans"};

const char *svc_now_after(struct ctx *c, const char *prev)
{
    int64_t now = clock_now_ms(), before;
    if (prev && clock_parse(prev, &before) && now <= before)
        now = before + 1;
    char *ts = arena_alloc(c->arena, 25);
    clock_format(now, ts);
    return ts;
}

const char *svc_now(struct ctx *c)
{
    char *ts = arena_alloc(c->arena, 25);
    clock_format(clock_now_ms(), ts);
    return ts;
}
