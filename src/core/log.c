/* log: formats the whole line first and writes it with one write(2), so concurrent threads do
 * not interleave and take no lock (the server logs a line per request: stdio's stderr lock
 * and its formatting through a temporary buffer were measurable under load). */
#include "core/log.h"

#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
    if (n < 0)
        line[0] = 0;
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof line)
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    size_t len = strnlen(line, sizeof line - 1);
    line[len++] = '\n';
    for (const char *p = line; len > 0;) {
        ssize_t w = write(STDERR_FILENO, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        len -= (size_t)w;
    }
}
