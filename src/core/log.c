/* log: formats the whole line first so concurrent threads do not interleave. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/clock.h"

static enum log_level min_level = LOG_INFO;

void log_set_level(enum log_level l)
{
    min_level = l;
}

void log_msg(enum log_level l, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (l < min_level)
        return;
    char line[2048], ts[25];
    clock_format(clock_now_ms(), ts);
    int n = snprintf(line, sizeof line, "%s %s ", ts, names[l]);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof line)
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
}
