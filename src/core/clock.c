/* clock: real time plus an offset that only tests set. */
#include "core/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t offset_ms;
static _Atomic int64_t frozen_ms; /* 0: the clock runs */

int64_t clock_now_ms(void)
{
    int64_t frozen = atomic_load(&frozen_ms);
    if (frozen)
        return frozen;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + atomic_load(&offset_ms);
}

int64_t clock_offset(void)
{
    return atomic_load(&offset_ms);
}

void clock_set_offset(int64_t ms)
{
    atomic_store(&offset_ms, ms);
}

void clock_freeze(int64_t ms)
{
    atomic_store(&frozen_ms, ms);
}

void clock_format(int64_t ms, char out[25])
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    /* Clamp the fields so the compiler can see the output fits in 25 bytes. */
    unsigned year = (unsigned)(tm.tm_year + 1900) % 10000u;
    snprintf(out, 25, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", year, (unsigned)(tm.tm_mon + 1) % 100u,
             (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
             (unsigned)tm.tm_sec % 100u, (unsigned)(ms % 1000) % 1000u);
}

/* Digits s[0..n) as a number; -1 when one is not a digit. */
static int64_t digits(const char *s, int n)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
int64_t clock_days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool clock_parse(const char *s, int64_t *ms)
{
    if (!s || strlen(s) != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':' || s[19] != '.' || s[23] != 'Z')
        return false;
    int64_t y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2),
            mi = digits(s + 14, 2), sec = digits(s + 17, 2), milli = digits(s + 20, 3);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        sec < 0 || sec > 60 || milli < 0)
        return false;
    *ms = ((clock_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + sec * 1000 + milli;
    return true;
}

/* The inverse (Hinnant's civil_from_days), without the C library's time zone machinery. */
void clock_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool clock_parse_date(const char *s, int64_t *days, int *year)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int64_t y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > month_days[m - 1] + (m == 2 && leap))
        return false;
    if (days)
        *days = clock_days_from_civil(y, m, d);
    if (year)
        *year = (int)y;
    return true;
}

void clock_format_date(int64_t days, char out[11])
{
    int y, m, d;
    clock_civil_from_days(days, &y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}
