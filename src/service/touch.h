/* touch: the last use of sessions and API tokens, noted in memory and written in batches
 * (see touch.c). */
#ifndef DUIKOU_TOUCH_H
#define DUIKOU_TOUCH_H
#include <stdbool.h>
#include <stdint.h>

struct db;

enum touch_kind { TOUCH_SESSION, TOUCH_API_TOKEN, TOUCH_KINDS };

/* On in the server, whose background thread calls touch_flush; off (the default): auth.c
 * writes each use at once, as the command line and the unit tests expect. */
void touch_set_deferred(bool on);
bool touch_deferred(void);
/* Notes that the session or token id was used at at_ms (the later of two notes is kept). */
void touch_note(enum touch_kind kind, int64_t id, int64_t at_ms);
/* The last use noted and not yet written; 0 when none. */
int64_t touch_noted(enum touch_kind kind, int64_t id);
/* Writes every noted use in one transaction on db and forgets what it wrote. The number of
 * uses written, or <0 when the store failed (they stay noted and are tried again). */
int touch_flush(struct db *db);
/* Forgets everything noted (tests). */
void touch_reset(void);

#endif
