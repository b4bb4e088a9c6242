/* audit: the append-only, hash-chained record of every change (who, when, what, before,
 * after). Services append in the same transaction as the change they record, so a change and
 * its audit row commit or vanish together. */
#ifndef DUIKOU_AUDIT_H
#define DUIKOU_AUDIT_H
#include <stdint.h>

struct db;

/* Appends one row. Must be called inside the caller's transaction (db_begin); outside one it
 * fails (and asserts in debug builds). entity_id 0 means "none" and is stored as NULL;
 * before_json, after_json and client may be NULL. The row's time is clock_now_ms().
 * Returns 0 or a negative DB_* code. */
int audit_append(struct db *db, const char *actor, const char *action, const char *entity,
                 int64_t entity_id, const char *before_json, const char *after_json,
                 const char *client);

/* Walks the whole log in id order and checks each row's hash, its link to the previous row,
 * and that no id is missing. Returns 0 when the chain is intact, 1 when it is broken, a
 * negative DB_* code when the log could not be read. Outputs (each may be NULL):
 * *first_bad_id the first row that fails (0 if none); *rows_checked the rows read, the bad
 * one included; *why a static English sentence saying what failed (NULL if nothing did).
 * A chain cannot show rows cut from its end: compare the last hash with one kept elsewhere
 * (a backup, a report) for that. */
int audit_verify(struct db *db, int64_t *first_bad_id, int64_t *rows_checked, const char **why);

#endif
