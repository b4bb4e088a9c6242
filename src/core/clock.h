/* clock: the time every part of the program asks for. Tests move it with clock_set_offset()
 * (sessions and lockouts expire by it), so nothing calls time() directly. */
#ifndef DUIKOU_CLOCK_H
#define DUIKOU_CLOCK_H
#include <stdbool.h>
#include <stdint.h>

int64_t clock_now_ms(void); /* UTC milliseconds since the epoch */
void clock_set_offset(int64_t ms);
int64_t clock_offset(void); /* what clock_set_offset set */
/* Stops the clock at ms (0: runs again). For tests whose steps must not cross a boundary of
 * the clock, whatever the machine's load: a TOTP code's 30-second step. */
void clock_freeze(int64_t ms);
/* ISO 8601 UTC with milliseconds, e.g. 2026-11-26T03:16:04.123Z, into out[25]. */
void clock_format(int64_t ms, char out[25]);
/* The inverse of clock_format: *ms from exactly that form. false for anything else. */
bool clock_parse(const char *s, int64_t *ms);

/* The calendar: civil dates (proleptic Gregorian) as day numbers since 1970-01-01, the one
 * date arithmetic every part uses. */
int64_t clock_days_from_civil(int64_t y, int64_t m, int64_t d);
void clock_civil_from_days(int64_t days, int *y, int *m, int *d);
/* A real date written exactly YYYY-MM-DD (2026-02-30 is not one): its day number into *days
 * and its year into *year (either may be NULL). */
bool clock_parse_date(const char *s, int64_t *days, int *year);
/* The day number as YYYY-MM-DD into out[11]. */
void clock_format_date(int64_t days, char out[11]);

#endif
