/* clock: the time every part of the program asks for. Tests move it with clock_set_offset()
 * (sessions and lockouts expire by it), so nothing calls time() directly. */
#ifndef DUIKOU_CLOCK_H
#define DUIKOU_CLOCK_H
#include <stdbool.h>
#include <stdint.h>

int64_t clock_now_ms(void); /* UTC milliseconds since the epoch */
void clock_set_offset(int64_t ms);
/* ISO 8601 UTC with milliseconds, e.g. 2026-11-26T03:16:04.123Z, into out[25]. */
void clock_format(int64_t ms, char out[25]);
/* The inverse of clock_format: *ms from exactly that form. false for anything else. */
bool clock_parse(const char *s, int64_t *ms);

#endif
