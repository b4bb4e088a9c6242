/* db: the store's connection, statement and transaction API (SQLite now; PostgreSQL is meant
 * to follow behind the same small interface, so nothing here exposes a sqlite3 type).
 *
 * One `struct db` is one connection, used by one thread at a time. Statements are prepared
 * once per connection and cached, keyed by the address of the SQL text: SQL is always a string
 * literal, and values only ever travel as bound parameters (Fossil's db_prepare/db_bind_text).
 *
 *     struct stmt st;
 *     db_prepare(db, &st, "SELECT id, name FROM region WHERE code = :code");
 *     db_bind_text(&st, ":code", code);
 *     while ((rc = db_step(&st)) == DB_ROW)
 *         use(db_col_int64(&st, 0), db_col_text(&st, 1));
 *     db_finalize(&st);              (always, also after an error; rc < 0 means failure)
 *
 * Errors: every function that can fail returns 0 (or DB_ROW/DB_DONE) on success and a
 * negative code on failure. Test `rc < 0`, never `rc == DB_ERROR`: a constraint violation is
 * DB_CONSTRAINT so services can answer "already exists" without parsing messages. Details
 * (SQL text, SQLite's message) go to the log, never into anything shown to end users. */
#ifndef DUIKOU_DB_H
#define DUIKOU_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    DB_ROW = 1,         /* db_step: a row is ready */
    DB_DONE = 0,        /* db_step: finished; elsewhere 0 is "ok" */
    DB_ERROR = -1,      /* any failure not listed below */
    DB_CONSTRAINT = -2, /* UNIQUE, NOT NULL, CHECK, FOREIGN KEY, or a trigger's RAISE */
    DB_BUSY = -3,       /* the database stayed locked past the busy timeout */
    DB_FULL = -4,       /* the disk (or a quota) is full */
    DB_IOERR = -5,      /* an I/O error, no memory, or a damaged file */
};

/* Failures of the storage rather than of the request: the same request may pass later. A
 * connection remembers the worst one it met until db_fault_take, so the layer that answers
 * (the HTTP server) can say "disk full" or "storage failed" whatever the service made of it. */
enum db_fault {
    DB_FAULT_NONE = 0,
    DB_FAULT_FULL = 1, /* SQLITE_FULL: nothing new could be written; the connection is fine */
    DB_FAULT_IO = 2,   /* SQLITE_IOERR, SQLITE_NOMEM, SQLITE_CORRUPT, …: reopen the connection */
};

struct db;
struct db_cached; /* a prepared statement owned by the connection's cache */

/* A statement in use. Lives on the caller's stack; db_finalize() hands the prepared
 * statement back to the cache. A bind error is remembered and returned by db_step(), so a
 * run of binds need not be checked one by one. */
struct stmt {
    struct db *db;
    struct db_cached *c;
    int err;
};

/* Opens (creating if absent) the database at path, sets WAL, foreign_keys, synchronous=FULL
 * and the busy timeout, and migrates the schema to db_schema_version(). On failure returns a
 * negative code, *out is NULL, and *errmsg (if errmsg is not NULL) is a message fit for the
 * user, without the path, which the caller frees with free(). */
int db_open(const char *path, struct db **out, char **errmsg);

/* From now on, every statement any connection of this process prepares is appended to the
 * file at path, each followed by a line ";;" (`duikou serve` with DUIKOU_SQL_LOG set; the
 * EXPLAIN test in tests/explain reads it). */
int db_log_statements(const char *path);

/* This connection's commits leave the search index to a background indexer (search_sync on
 * another connection) instead of indexing in the writing transaction (the server's workers:
 * http/indexer.c). */
void db_search_deferred(struct db *db);

/* As db_open, but migrates only up to `version` (0 = empty). For tests of migrations. */
int db_open_at_version(const char *path, int version, struct db **out);

/* Closes the connection and every cached statement. NULL is fine. All statements must have
 * been finalized. */
void db_close(struct db *db);

/* The schema version this program builds (the number of migrations). */
int db_schema_version(void);

/* Statements. sql must be a string literal holding exactly one statement. After a failed
 * db_prepare the statement is empty: binds and steps fail, db_finalize is a no-op. */
int db_prepare(struct db *db, struct stmt *st, const char *sql);
int db_bind_text(struct stmt *st, const char *name, const char *s); /* s NULL binds NULL */
int db_bind_textn(struct stmt *st, const char *name, const char *s, size_t n);
int db_bind_int64(struct stmt *st, const char *name, int64_t v);
int db_bind_null(struct stmt *st, const char *name);
int db_step(struct stmt *st); /* DB_ROW, DB_DONE, or negative */
/* Rewinds a statement to run it again, keeping its bindings (rebind what changes). */
void db_reset(struct stmt *st);
void db_finalize(struct stmt *st);

/* Columns of the current row, counted from 0. Text is UTF-8 owned by the statement, valid
 * until the next db_step/db_reset/db_finalize; NULL for SQL NULL. */
const char *db_col_text(struct stmt *st, int i);
size_t db_col_bytes(struct stmt *st, int i);
int64_t db_col_int64(struct stmt *st, int i);
bool db_col_is_null(struct stmt *st, int i);
int db_col_count(struct stmt *st);

/* Runs parameterless SQL (a literal; may hold several statements, rows are ignored). */
int db_exec(struct db *db, const char *sql);

/* Transactions. db_begin takes the write lock at once (BEGIN IMMEDIATE), so a transaction
 * never fails half-way for lack of it. No nesting. After db_commit returns, no transaction is
 * open: if COMMIT fails the transaction is rolled back. db_rollback without a transaction is a
 * no-op, so cleanup paths may call it unconditionally. */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
bool db_in_transaction(struct db *db);
/* A read transaction (BEGIN, deferred): the statements of a long read — a page of a ledger
 * and each of its rows' figures — share one snapshot and one lock instead of taking the lock
 * once each. Nothing is written, so ending it is no write (db_last_write is untouched). Inside
 * a transaction already, both do nothing. */
int db_begin_read(struct db *db);
void db_end_read(struct db *db);

/* The data version, for caches of rendered answers: *local changes after every write
 * committed by any connection of this process (a transaction, or a write outside one), and
 * *external after every commit by another process (SQLite's PRAGMA data_version of this
 * connection). Read it BEFORE reading the data it versions. 0 or a negative code. */
int db_data_version(struct db *db, uint64_t *local, int64_t *external);
/* The same with the connection it was read on: PRAGMA data_version counts per connection, so
 * a version read on one connection says nothing about another (a reopened connection may
 * start at the same number). Equal versions: no data changed in between. */
struct db_version {
    uint64_t conn, local;
    int64_t external;
};
int db_version_read(struct db *db, struct db_version *v);
bool db_version_same(const struct db_version *a, const struct db_version *b);

/* The data versions of schema 10 (migrate.c: table data_version, moved by every audited
 * write in its own transaction, so every process and connection sees the same numbers):
 *   pairing: of the province pairing of the pairing asked for (itself or its parent; -1 when
 *            no pairing was asked for, 0 asked or not, or there is no such pairing);
 *   general: the same without its writes of reports (schema 13: those move the version of
 *            the unit that owns the item instead, db_unit_version);
 *   unscoped: of the writes that name no pairing;
 *   accounts: of users, units, sessions and API tokens;
 *   notifications: of the inbox (schema 12: made or read);
 *   total: all but notifications summed, which every audited write moves.
 * Answered from what this connection read last while nothing was committed since (the data
 * version above), so a request pays a query only after a write. */
struct scope_version {
    int64_t pairing, general, unscoped, accounts, notifications, total;
};
int db_scope_versions(struct db *db, int64_t pairing_id, struct scope_version *out);
/* The version of a unit (schema 13): moved by every audited write of a report on an item the
 * unit owns. With the unit's pairing's general version it keys what a unit sees of its own
 * items; memoised like the above. */
int db_unit_version(struct db *db, int64_t unit_id, int64_t *n);

/* Group commit (the server's durable writes, http/durable.c). A connection in group-commit
 * mode commits without waiting for the disk (synchronous=NORMAL: the WAL is written, not
 * synced); db_sync_wal() then syncs the WAL once for every commit made before it started,
 * of any connection. A commit is durable once a db_sync_wal() that started after it has
 * returned 0, exactly what synchronous=FULL gives, shared. So: note db_last_write() after
 * the write, read db_write_count() before a sync; the writes up to that count are on disk
 * when it returns 0. The write counter counts commits and writes outside transactions. */
int db_group_commit(struct db *db);
/* A load that can be redone from scratch (the demo data): its commits stop waiting for the
 * disk (synchronous=NORMAL; WAL keeps the file whole after a crash, only the last commits
 * may be lost); db_sync_wal() at its end makes all of it durable. */
int db_bulk(struct db *db);
/* Copies what the WAL holds into the database file as far as no reader needs it (SQLite's
 * PASSIVE checkpoint). Group-commit connections do not checkpoint by themselves. */
int db_checkpoint_passive(struct db *db);
/* The WAL's size in pages after the last commit of any group-commit connection. */
int db_wal_pages(void);
uint64_t db_last_write(struct db *db); /* 0: this connection never wrote */
uint64_t db_write_count(void);
int db_sync_wal(const char *db_path);
/* db_sync_wal for this connection's file (0 at once outside WAL mode, where each commit
 * syncs): for what leaves the database on the strength of a commit, such as an audit
 * anchor, which must not outlive its row in a power loss. */
int db_sync(struct db *db);
/* Copies every frame of the WAL into the database file, syncs that file and empties the WAL
 * (PRAGMA wal_checkpoint(TRUNCATE)). 0 when all of it was done; negative when a reader or
 * writer kept it from finishing (after the busy timeout) or the disk failed. */
int db_checkpoint(struct db *db);

/* SQLite's message for the last failure on this connection: for logs, not for end users. */
const char *db_errmsg(struct db *db);
int64_t db_last_insert_id(struct db *db);
int db_changes(struct db *db); /* rows changed by the last INSERT/UPDATE/DELETE */

/* The storage fault met on this connection since the last call (DB_FAULT_NONE if none), and
 * forgets it. After DB_FAULT_IO the connection may be left in a bad state (SQLite's own
 * advice after an I/O error or an allocation failure): close it and open a new one. */
enum db_fault db_fault_take(struct db *db);

#endif
