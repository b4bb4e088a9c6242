/* backup: a consistent copy of a live database, and the health check of one. */
#ifndef DUIKOU_BACKUP_H
#define DUIKOU_BACKUP_H

struct db;
struct sb;

enum { DB_BACKUP_OVERWRITE = 1 << 0 }; /* replace an existing dest_path */

/* Copies the database, as of one moment, into dest_path through SQLite's online backup API:
 * writers go on meanwhile. The copy is written to dest_path + ".tmp" and renamed into place,
 * so a failed backup leaves no partial file. An existing dest_path is refused unless flags
 * has DB_BACKUP_OVERWRITE; so is a destination that is the database itself. Must be called
 * outside a transaction. The copy is a single self-contained file (rollback-journal mode;
 * db_open switches it back to WAL). Returns 0 or a negative DB_* code; on failure *errmsg (if
 * errmsg is not NULL) is a message for the user, without paths, freed by the caller. */
int db_backup(struct db *db, const char *dest_path, unsigned flags, char **errmsg);

/* Runs PRAGMA integrity_check, PRAGMA foreign_key_check and audit_verify, and appends a
 * human-readable report of each to *report. Returns 0 when all pass, otherwise the number of
 * checks that found a problem (or a negative DB_* code if a check could not run at all, which
 * the report also says). */
int db_check(struct db *db, struct sb *report);

#endif
