/* db_impl: what the files of store/ share about a connection and nobody else sees: the
 * SQLite handle, the statement cache, and the migration runner. Include only from store/. */
#ifndef DUIKOU_DB_IMPL_H
#define DUIKOU_DB_IMPL_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* One prepared statement. Cached entries live in the connection's table for its lifetime;
 * an `owned` entry was prepared outside the cache (its cached twin was in use) and is freed by
 * db_finalize. */
struct db_cached {
    const char *key;   /* the caller's SQL pointer: the cache key */
    char *sql;         /* a copy of the text, to catch a key whose text changed */
    sqlite3_stmt *s;
    bool busy;         /* handed out and not yet finalized */
    bool owned;
};

struct db {
    sqlite3 *h;
    struct db_cached **slots; /* open addressing, cap is a power of two, at most half full */
    size_t cap, n;
    uint64_t last_write; /* the write counter's value after this connection's last write */
    int fault;           /* DB_FAULT_* met since the last db_fault_take */
    uint64_t serial;     /* unique in the process: tells connections apart (db_version) */
    unsigned char wal_hdr[48]; /* the WAL index header when external was read (db_data_version) */
    int64_t external;          /* PRAGMA data_version then; valid while wal_hdr_ok */
    bool wal_hdr_ok;
    bool wal;                  /* journal_mode is wal (set_wal) */
    bool search;               /* the search index exists: each commit brings it up to date */
    bool read_only_tx;         /* a transaction of db_begin_read is open */
    /* db_scope_versions: what it last read, and at which data version (memo_local,
     * memo_external); memo_pairing[i]: a pairing asked for and its province's n. */
    bool memo_ok;
    uint64_t memo_local;
    int64_t memo_external, memo_total, memo_unscoped, memo_accounts, memo_notifications;
    struct {
        int64_t pairing, n, general;
        bool n_ok;
    } memo_pairing[16];
    struct {
        int64_t unit, n;
        bool n_ok;
    } memo_unit[16];
    unsigned memo_next, memo_unit_next;
};

/* Installs the fault-injecting VFS and allocator when this is a test build and DUIKOU_FAULTS
 * names a control file (fault_vfs.c); otherwise does nothing. Called once, before SQLite's
 * first use. */
void db_faults_init(void);
/* True when the test asks for the WAL's sync to fail ("ioerr-sync"); always false in a build
 * without fault injection. Under "powerloss" it first writes what it holds of the WAL at
 * path to the file (fault_vfs.c), and may simulate a power cut there. */
bool db_fault_sync(const char *path);

/* Brings the schema from its current version up to `target`. Returns 0 or a negative code;
 * on failure *errmsg (if not NULL) is set as for db_open. Defined in migrate.c. May leave
 * foreign keys off: the caller turns them on afterwards (outside any transaction). */
int db_migrate(struct db *db, int target, char **errmsg);

/* *errmsg = "msg: detail" (or just msg) in a fresh xmalloc'd string; nothing if errmsg is NULL.
 * For messages meant for users: no SQL text, no paths. */
void db_set_errmsg(char **errmsg, const char *msg, const char *detail);

#endif
