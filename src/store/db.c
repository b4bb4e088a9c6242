/* db: one SQLite connection, its settings, its cache of prepared statements, and the small
 * statement and transaction API every other layer uses to reach the database. */
#include "store/db.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"
#include "store/db_impl.h"
#include "store/search.h"

/* Writes committed by any connection of this process (see db_data_version). */
static _Atomic uint64_t local_writes;
/* Connections opened so far: each gets the next number (db_version's conn). */
static _Atomic uint64_t connections;

enum { BUSY_TIMEOUT_MS = 5000 };

/* Maps SQLite's result code to ours, and remembers a storage fault on the connection (the
 * worse of two: an I/O fault asks for a new connection, a full disk does not). */
static int map_rc(struct db *db, int rc)
{
    int fault = DB_FAULT_NONE, code = DB_ERROR;
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_BUSY;
    case SQLITE_FULL:
        fault = DB_FAULT_FULL, code = DB_FULL;
        break;
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
        fault = DB_FAULT_IO, code = DB_IOERR;
        break;
    default:
        break;
    }
    if (db && fault > db->fault)
        db->fault = fault;
    return code;
}

enum db_fault db_fault_take(struct db *db)
{
    int f = db->fault;
    db->fault = DB_FAULT_NONE;
    return (enum db_fault)f;
}

void db_set_errmsg(char **errmsg, const char *msg, const char *detail)
{
    if (!errmsg)
        return;
    size_t n = strlen(msg) + (detail ? strlen(detail) + 2 : 0) + 1;
    char *m = xmalloc(n);
    snprintf(m, n, "%s%s%s", msg, detail ? ": " : "", detail ? detail : "");
    *errmsg = m;
}

/* ---- statement cache ------------------------------------------------------------------ */

static size_t ptr_hash(const char *p)
{
    /* Fibonacci hashing spreads the low bits of aligned addresses over the whole word. */
    uint64_t k = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(k >> 32);
}

static struct db_cached **slot_for(struct db *db, const char *key)
{
    size_t mask = db->cap - 1;
    size_t i = ptr_hash(key) & mask;
    while (db->slots[i] && db->slots[i]->key != key)
        i = (i + 1) & mask;
    return &db->slots[i];
}

static void cache_grow(struct db *db)
{
    struct db_cached **old = db->slots;
    size_t old_cap = db->cap;
    db->cap = old_cap ? old_cap * 2 : 64;
    db->slots = xcalloc(db->cap, sizeof *db->slots);
    for (size_t i = 0; i < old_cap; i++)
        if (old[i])
            *slot_for(db, old[i]->key) = old[i];
    free(old);
}

/* Prepares exactly one statement. A second statement in the text would be silently ignored by
 * SQLite, so it is refused here instead. */
/* The statement log (db_log_statements): a file every prepared statement is appended to. */
static atomic_int sql_log_fd = -1;

int db_log_statements(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return DB_ERROR;
    int old = atomic_exchange(&sql_log_fd, fd);
    if (old >= 0)
        close(old);
    return 0;
}

/* One write() per statement on an O_APPEND file: the records of threads and processes sharing
 * the file do not interleave. */
static void log_statement(const char *sql)
{
    int fd = atomic_load(&sql_log_fd);
    if (fd < 0)
        return;
    size_t n = strlen(sql);
    char *rec = xmalloc(n + 4);
    memcpy(rec, sql, n);
    memcpy(rec + n, "\n;;\n", 4);
    if (write(fd, rec, n + 4) != (ssize_t)(n + 4))
        log_warn("db: the statement log lost a statement");
    free(rec);
}

static int prepare_raw(struct db *db, const char *sql, unsigned flags, sqlite3_stmt **out)
{
    log_statement(sql);
    const char *tail = NULL;
    *out = NULL;
    int r = sqlite3_prepare_v3(db->h, sql, -1, flags, out, &tail);
    if (r != SQLITE_OK) {
        log_error("db: cannot prepare: %s; sql: %s", sqlite3_errmsg(db->h), sql);
        map_rc(db, r);
        return DB_ERROR;
    }
    if (!*out) {
        log_error("db: empty statement");
        return DB_ERROR;
    }
    for (; tail && *tail; tail++)
        if (!isspace((unsigned char)*tail) && *tail != ';') {
            log_error("db: more than one statement in db_prepare; sql: %s", sql);
            sqlite3_finalize(*out);
            *out = NULL;
            return DB_ERROR;
        }
    return 0;
}

int db_prepare(struct db *db, struct stmt *st, const char *sql)
{
    assert(db && st && sql);
    memset(st, 0, sizeof *st);
    st->db = db;
    if ((db->n + 1) * 2 > db->cap)
        cache_grow(db);
    struct db_cached **slot = slot_for(db, sql);
    struct db_cached *c = *slot;

    if (c && !c->busy && strcmp(c->sql, sql) != 0) {
        /* Same address, new text: the SQL came from a buffer, not a literal. Stay correct by
         * re-preparing; the cache simply does not help such a caller. */
        sqlite3_stmt *s;
        if (prepare_raw(db, sql, SQLITE_PREPARE_PERSISTENT, &s) < 0)
            return DB_ERROR;
        sqlite3_finalize(c->s);
        free(c->sql);
        c->s = s;
        c->sql = xstrdup(sql);
    }
    if (c && !c->busy) {
        c->busy = true;
        st->c = c;
        return 0;
    }
    sqlite3_stmt *s;
    if (c) {
        /* The cached statement is in use further up the stack (a walk over a tree runs the
         * same query inside itself): give this caller a private one. */
        if (prepare_raw(db, sql, 0, &s) < 0)
            return DB_ERROR;
        c = xcalloc(1, sizeof *c);
        c->key = sql;
        c->s = s;
        c->busy = true;
        c->owned = true;
        st->c = c;
        return 0;
    }
    if (prepare_raw(db, sql, SQLITE_PREPARE_PERSISTENT, &s) < 0)
        return DB_ERROR;
    c = xcalloc(1, sizeof *c);
    c->key = sql;
    c->sql = xstrdup(sql);
    c->s = s;
    c->busy = true;
    *slot = c;
    db->n++;
    st->c = c;
    return 0;
}

void db_finalize(struct stmt *st)
{
    if (!st || !st->c)
        return;
    struct db_cached *c = st->c;
    if (c->owned) {
        sqlite3_finalize(c->s);
        free(c);
    } else {
        /* reset returns the last step's error again; it was reported then. */
        sqlite3_reset(c->s);
        sqlite3_clear_bindings(c->s);
        c->busy = false;
    }
    memset(st, 0, sizeof *st);
}

void db_reset(struct stmt *st)
{
    if (st && st->c)
        sqlite3_reset(st->c->s);
}

/* ---- binding and stepping ---------------------------------------------------------------- */

static int param_index(struct stmt *st, const char *name)
{
    if (!st->c) {
        st->err = DB_ERROR;
        return 0;
    }
    int i = sqlite3_bind_parameter_index(st->c->s, name);
    if (i == 0) {
        log_error("db: no parameter %s in: %s", name, sqlite3_sql(st->c->s));
        st->err = DB_ERROR;
    }
    return i;
}

static int bind_result(struct stmt *st, int r)
{
    if (r == SQLITE_OK)
        return 0;
    log_error("db: bind failed: %s", sqlite3_errstr(r));
    st->err = map_rc(st->db, r);
    return st->err;
}

int db_bind_textn(struct stmt *st, const char *name, const char *s, size_t n)
{
    int i = param_index(st, name);
    if (i == 0)
        return DB_ERROR;
    if (!s)
        return bind_result(st, sqlite3_bind_null(st->c->s, i));
    /* Copied (SQLITE_TRANSIENT): the caller's buffer may change before the step. */
    return bind_result(st, sqlite3_bind_text64(st->c->s, i, s, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

int db_bind_text(struct stmt *st, const char *name, const char *s)
{
    return db_bind_textn(st, name, s, s ? strlen(s) : 0);
}

int db_bind_int64(struct stmt *st, const char *name, int64_t v)
{
    int i = param_index(st, name);
    if (i == 0)
        return DB_ERROR;
    return bind_result(st, sqlite3_bind_int64(st->c->s, i, v));
}

int db_bind_null(struct stmt *st, const char *name)
{
    int i = param_index(st, name);
    if (i == 0)
        return DB_ERROR;
    return bind_result(st, sqlite3_bind_null(st->c->s, i));
}

int db_step(struct stmt *st)
{
    if (!st->c)
        return DB_ERROR;
    if (st->err)
        return st->err;
    int r = sqlite3_step(st->c->s);
    if (r == SQLITE_ROW)
        return DB_ROW;
    if (r == SQLITE_DONE) {
        /* A write outside a transaction is committed now (COMMIT itself counts in db_commit;
         * transaction control statements are "read-only" to SQLite). */
        if (!sqlite3_stmt_readonly(st->c->s) && sqlite3_get_autocommit(st->db->h))
            st->db->last_write = atomic_fetch_add(&local_writes, 1) + 1;
        return DB_DONE;
    }
    int code = map_rc(st->db, r);
    /* A constraint failure is often an expected answer ("already exists"); the caller decides
     * whether it is an error worth a log line. */
    log_msg(code == DB_CONSTRAINT ? LOG_DEBUG : LOG_ERROR, "db: step failed: %s; sql: %s",
            sqlite3_errmsg(st->db->h), sqlite3_sql(st->c->s));
    return code;
}

const char *db_col_text(struct stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st->c->s, i);
}

size_t db_col_bytes(struct stmt *st, int i)
{
    return (size_t)sqlite3_column_bytes(st->c->s, i);
}

int64_t db_col_int64(struct stmt *st, int i)
{
    return sqlite3_column_int64(st->c->s, i);
}

bool db_col_is_null(struct stmt *st, int i)
{
    return sqlite3_column_type(st->c->s, i) == SQLITE_NULL;
}

int db_col_count(struct stmt *st)
{
    return st->c ? sqlite3_column_count(st->c->s) : 0;
}

int db_exec(struct db *db, const char *sql)
{
    int r = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    db->last_write = atomic_fetch_add(&local_writes, 1) + 1; /* may have written: count it */
    if (r == SQLITE_OK)
        return 0;
    int code = map_rc(db, r);
    log_msg(code == DB_CONSTRAINT ? LOG_DEBUG : LOG_ERROR, "db: exec failed: %s; sql: %s",
            sqlite3_errmsg(db->h), sql);
    return code;
}

/* Runs one cached parameterless statement to completion. */
static int run(struct db *db, const char *sql)
{
    struct stmt st;
    int rc = db_prepare(db, &st, sql);
    if (rc == 0)
        rc = db_step(&st);
    db_finalize(&st);
    return rc == DB_ROW ? 0 : rc;
}

/* ---- transactions ------------------------------------------------------------------------ */

bool db_in_transaction(struct db *db)
{
    return !sqlite3_get_autocommit(db->h);
}

int db_begin(struct db *db)
{
    assert(!db_in_transaction(db) && "transactions do not nest");
    if (db_in_transaction(db))
        return DB_ERROR;
    return run(db, "BEGIN IMMEDIATE");
}

int db_begin_read(struct db *db)
{
    if (db_in_transaction(db))
        return 0; /* inside the caller's transaction already */
    int rc = run(db, "BEGIN");
    db->read_only_tx = rc == 0;
    return rc;
}

void db_end_read(struct db *db)
{
    if (!db->read_only_tx)
        return;
    db->read_only_tx = false;
    if (run(db, "COMMIT") < 0) /* a read holds nothing to keep: give up the snapshot */
        run(db, "ROLLBACK");
}

void db_search_deferred(struct db *db)
{
    db->search = false;
}

int db_commit(struct db *db)
{
    /* The search index is brought up to date in the transaction that changed what it
     * indexes (unless this connection leaves it to an indexer: db_search_deferred), so a
     * search never writes. A failure there fails the commit: nothing is acknowledged that
     * the index could not take. */
    int rc = db->search ? search_flush(db) : 0;
    if (rc == 0)
        rc = run(db, "COMMIT");
    if (rc < 0)
        db_rollback(db);
    else
        db->last_write = atomic_fetch_add(&local_writes, 1) + 1; /* after: see db_data_version */
    return rc;
}

/* ---- group commit ------------------------------------------------------------------------ */

uint64_t db_last_write(struct db *db)
{
    return db->last_write;
}

uint64_t db_write_count(void)
{
    return atomic_load(&local_writes);
}

/* The WAL's size in pages after the last commit of a group-commit connection (wal_hook). */
static atomic_int wal_pages;

static int wal_hook(void *arg, sqlite3 *h, const char *name, int pages)
{
    (void)arg;
    (void)h;
    (void)name;
    atomic_store(&wal_pages, pages);
    return SQLITE_OK;
}

int db_group_commit(struct db *db)
{
    /* Checkpoints leave the requests too: SQLite's automatic one runs in the thread whose
     * commit crossed 1,000 pages of WAL, copying and syncing while its requests wait (5 % of
     * the durable-post run's time, and its p99). The server's background thread runs them
     * instead, at the same size (db_wal_pages, http/indexer.c): not more often, since the
     * commit that starts a checkpointed WAL again syncs its header. */
    int rc = run(db, "PRAGMA synchronous = NORMAL");
    if (rc == 0)
        rc = run(db, "PRAGMA wal_autocheckpoint = 0");
    if (rc == 0)
        sqlite3_wal_hook(db->h, wal_hook, NULL);
    return rc;
}

int db_bulk(struct db *db)
{
    return run(db, "PRAGMA synchronous = NORMAL");
}

int db_wal_pages(void)
{
    return atomic_load(&wal_pages);
}

int db_checkpoint_passive(struct db *db)
{
    struct stmt st;
    if (db_prepare(db, &st, "PRAGMA wal_checkpoint(PASSIVE)") < 0)
        return DB_ERROR;
    int s = db_step(&st);
    db_finalize(&st);
    return s < 0 ? s : 0;
}

/* A new WAL file's name is durable only once its directory is synced: SQLite does that at its
 * own first sync of the file, which with synchronous=NORMAL waits for a checkpoint. So the
 * directory is synced here whenever the WAL is a file not seen before. */
static int sync_new_wal_dir(const char *db_path, ino_t ino)
{
    static _Atomic ino_t synced;
    if (atomic_load(&synced) == ino)
        return 0;
    char *dir = xstrdup(db_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0';
    int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd >= 0 && fsync(fd) == 0 ? 0 : DB_IOERR;
    if (fd >= 0)
        close(fd);
    free(dir);
    if (rc == 0)
        atomic_store(&synced, ino);
    return rc;
}

int db_checkpoint(struct db *db)
{
    struct stmt st;
    if (db_prepare(db, &st, "PRAGMA wal_checkpoint(TRUNCATE)") < 0)
        return DB_ERROR;
    int s = db_step(&st);
    /* One row: busy (1 when it could not finish), frames in the WAL, frames checkpointed. */
    bool done = s == DB_ROW && db_col_int64(&st, 0) == 0;
    db_finalize(&st);
    if (s < 0)
        return s;
    return done ? 0 : DB_BUSY;
}

int db_sync_wal(const char *db_path)
{
    /* SQLite puts the WAL beside the real file when the path is a symbolic link. */
    char *real = realpath(db_path, NULL);
    const char *base = real ? real : db_path;
    size_t n = strlen(base);
    char *wal = xmalloc(n + 5);
    memcpy(wal, base, n);
    memcpy(wal + n, "-wal", 5);
    int rc = 0;
    if (db_fault_sync(wal)) {
        rc = DB_IOERR;
        errno = EIO;
    } else {
        /* The server's connections keep the WAL open while it runs, so a missing WAL after a
         * counted write is an error, never "nothing to sync". */
        int fd = open(wal, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || fdatasync(fd) != 0)
            rc = DB_IOERR;
        else
            rc = sync_new_wal_dir(base, st.st_ino);
        if (fd >= 0)
            close(fd);
    }
    if (rc < 0)
        log_error("db: cannot sync %s: %s", wal, strerror(errno));
    free(wal);
    free(real);
    return rc;
}

int db_sync(struct db *db)
{
    const char *path = sqlite3_db_filename(db->h, "main");
    return db->wal && path && *path ? db_sync_wal(path) : 0;
}

/* The WAL index header (the first of its two copies; https://sqlite.org/walformat.html), read
 * without a lock the way SQLite itself checks it: both copies, and false while they differ (a
 * writer is between its two copies) or when the shared memory is not mapped. A commit by any
 * connection changes it (its change counter, frame count or salts) before the commit returns.
 * Only in WAL mode (else mapping would make a -shm file); no other process can leave WAL mode
 * while this connection is open (that takes an exclusive lock on the database file, and a
 * connection in WAL mode keeps a shared one). */
static bool wal_header(struct db *db, unsigned char out[48])
{
    sqlite3_file *f = NULL;
    if (!db->wal || sqlite3_file_control(db->h, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap)
        return false;
    void volatile *p = NULL;
    if (f->pMethods->xShmMap(f, 0, 32 * 1024, 0, &p) != SQLITE_OK || !p)
        return false;
    const volatile unsigned char *h = p;
    unsigned char second[48];
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    for (int i = 0; i < 48; i++)
        out[i] = h[i];
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    for (int i = 0; i < 48; i++)
        second[i] = h[48 + i];
    return memcmp(out, second, 48) == 0;
}

/* The counter moves only after a write is visible, so a reader that reads the version first
 * and renders second can at worst file newer data under an older version (never requested
 * again), never older data under the current one. PRAGMA data_version needs a read
 * transaction (the WAL index's fcntl locks: 13 % of a cached GET in perf), so while the WAL
 * index header is the one seen when it was last read, the last value is still the answer:
 * no connection has committed since. The header is read BEFORE the pragma, so a commit in
 * between only makes the next call read the pragma again. */
int db_data_version(struct db *db, uint64_t *local, int64_t *external)
{
    *local = atomic_load(&local_writes);
    unsigned char hdr[48];
    bool have_hdr = wal_header(db, hdr);
    if (have_hdr && db->wal_hdr_ok && memcmp(hdr, db->wal_hdr, sizeof hdr) == 0) {
        *external = db->external;
        return 0;
    }
    struct stmt st;
    int rc = db_prepare(db, &st, "PRAGMA data_version");
    if (rc == 0)
        rc = db_step(&st);
    *external = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    db->wal_hdr_ok = have_hdr && rc == DB_ROW;
    if (db->wal_hdr_ok) {
        memcpy(db->wal_hdr, hdr, sizeof hdr);
        db->external = *external;
    }
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : DB_ERROR);
}

int db_version_read(struct db *db, struct db_version *v)
{
    v->conn = db->serial;
    return db_data_version(db, &v->local, &v->external);
}

/* The counters every request needs: all but the notifications' summed, scopes 0, -1, -2. */
static int read_totals(struct db *db)
{
    struct stmt st;
    int rc = db_prepare(db, &st,
                        "SELECT sum(CASE WHEN scope <> -2 THEN n ELSE 0 END), "
                        "sum(CASE WHEN scope = 0 THEN n ELSE 0 END), "
                        "sum(CASE WHEN scope = -1 THEN n ELSE 0 END), "
                        "sum(CASE WHEN scope = -2 THEN n ELSE 0 END) FROM data_version");
    if (rc == 0)
        rc = db_step(&st);
    if (rc == DB_ROW) {
        db->memo_total = db_col_int64(&st, 0);
        db->memo_unscoped = db_col_int64(&st, 1);
        db->memo_accounts = db_col_int64(&st, 2);
        db->memo_notifications = db_col_int64(&st, 3);
    }
    db_finalize(&st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : DB_ERROR);
}

int db_scope_versions(struct db *db, int64_t pairing_id, struct scope_version *out)
{
    out->pairing = out->general = -1;
    out->total = out->unscoped = out->accounts = out->notifications = 0;
    uint64_t local;
    int64_t external;
    int rc = db_data_version(db, &local, &external);
    if (rc < 0)
        return rc;
    if (!db->memo_ok || db->memo_local != local || db->memo_external != external) {
        db->memo_ok = false;
        if ((rc = read_totals(db)) < 0)
            return rc;
        for (size_t i = 0; i < sizeof db->memo_pairing / sizeof *db->memo_pairing; i++)
            db->memo_pairing[i].n_ok = false;
        for (size_t i = 0; i < sizeof db->memo_unit / sizeof *db->memo_unit; i++)
            db->memo_unit[i].n_ok = false;
        db->memo_local = local;
        db->memo_external = external;
        db->memo_ok = true;
    }
    out->total = db->memo_total;
    out->unscoped = db->memo_unscoped;
    out->accounts = db->memo_accounts;
    out->notifications = db->memo_notifications;
    if (pairing_id <= 0)
        return 0;
    size_t n_memo = sizeof db->memo_pairing / sizeof *db->memo_pairing, k = n_memo;
    for (size_t i = 0; i < n_memo; i++)
        if (db->memo_pairing[i].pairing == pairing_id)
            k = i;
    if (k < n_memo && db->memo_pairing[k].n_ok) {
        out->pairing = db->memo_pairing[k].n;
        out->general = db->memo_pairing[k].general;
        return 0;
    }
    struct stmt st;
    rc = db_prepare(db, &st,
                    "SELECT d.n, d.general FROM pairing p JOIN data_version d "
                    "ON d.scope = coalesce(p.parent_id, p.id) WHERE p.id = :p");
    db_bind_int64(&st, ":p", pairing_id);
    if (rc == 0)
        rc = db_step(&st);
    if (rc == DB_ROW) {
        if (k == n_memo)
            k = db->memo_next++ % n_memo;
        db->memo_pairing[k].pairing = pairing_id;
        db->memo_pairing[k].n = out->pairing = db_col_int64(&st, 0);
        db->memo_pairing[k].general = out->general = db_col_int64(&st, 1);
        db->memo_pairing[k].n_ok = true;
    }
    db_finalize(&st);
    return rc == DB_ROW || rc == DB_DONE ? 0 : (rc < 0 ? rc : DB_ERROR);
}

int db_unit_version(struct db *db, int64_t unit_id, int64_t *n)
{
    *n = 0;
    struct scope_version v; /* brings the memo up to the data version */
    int rc = db_scope_versions(db, 0, &v);
    if (rc < 0)
        return rc;
    size_t n_memo = sizeof db->memo_unit / sizeof *db->memo_unit, k = n_memo;
    for (size_t i = 0; i < n_memo; i++)
        if (db->memo_unit[i].unit == unit_id)
            k = i;
    if (k < n_memo && db->memo_unit[k].n_ok) {
        *n = db->memo_unit[k].n;
        return 0;
    }
    struct stmt st;
    /* A unit none of whose items was reported on has no row yet: 0. */
    rc = db_prepare(db, &st,
                    "SELECT coalesce((SELECT n FROM unit_version WHERE unit_id = :u), 0)");
    db_bind_int64(&st, ":u", unit_id);
    if (rc == 0)
        rc = db_step(&st);
    if (rc == DB_ROW) {
        if (k == n_memo)
            k = db->memo_unit_next++ % n_memo;
        db->memo_unit[k].unit = unit_id;
        db->memo_unit[k].n = *n = db_col_int64(&st, 0);
        db->memo_unit[k].n_ok = true;
    }
    db_finalize(&st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : DB_ERROR);
}

bool db_version_same(const struct db_version *a, const struct db_version *b)
{
    return a->conn == b->conn && a->local == b->local && a->external == b->external;
}

int db_rollback(struct db *db)
{
    if (!db_in_transaction(db))
        return 0;
    return run(db, "ROLLBACK");
}

const char *db_errmsg(struct db *db)
{
    return sqlite3_errmsg(db->h);
}

int64_t db_last_insert_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

int db_changes(struct db *db)
{
    return sqlite3_changes(db->h);
}

/* ---- open and close ---------------------------------------------------------------------- */

/* Connection-level hardening: defensive mode forbids writable_schema and other ways to corrupt
 * the file through SQL; no double-quoted string literals (a portability trap: PostgreSQL reads
 * "x" as a column); schema code (triggers, views) may not call functions with side effects. */
static int harden(sqlite3 *h)
{
    int r = sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    if (r == SQLITE_OK)
        r = sqlite3_db_config(h, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
    if (r == SQLITE_OK)
        r = sqlite3_db_config(h, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
    if (r == SQLITE_OK)
        r = sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    return r == SQLITE_OK ? 0 : DB_ERROR;
}

static int set_wal(struct db *db)
{
    struct stmt st;
    int rc = db_prepare(db, &st, "PRAGMA journal_mode = WAL");
    if (rc < 0)
        goto done;
    rc = db_step(&st);
    if (rc != DB_ROW) {
        rc = rc < 0 ? rc : DB_ERROR;
        goto done;
    }
    const char *mode = db_col_text(&st, 0);
    /* An in-memory database reports "memory" and cannot use WAL; a file system without
     * shared memory support keeps the old mode. Both still work, so warn rather than fail. */
    db->wal = mode && strcmp(mode, "wal") == 0;
    if (!mode || (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0))
        log_warn("db: journal_mode is %s, not wal", mode ? mode : "(none)");
    rc = 0;
done:
    db_finalize(&st);
    return rc;
}

static pthread_once_t faults_once = PTHREAD_ONCE_INIT;

static int open_at(const char *path, int version, struct db **out, char **errmsg)
{
    pthread_once(&faults_once, db_faults_init);
    int rc = DB_ERROR;
    struct db *db = xcalloc(1, sizeof *db);
    db->serial = atomic_fetch_add(&connections, 1) + 1;
    assert(path && out);
    *out = NULL;
    if (errmsg)
        *errmsg = NULL;

    int r = sqlite3_open_v2(path, &db->h,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                                SQLITE_OPEN_EXRESCODE,
                            NULL);
    if (r != SQLITE_OK) {
        const char *why = db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(r);
        log_error("db: cannot open %s: %s", path, why);
        db_set_errmsg(errmsg, "cannot open the database", why);
        goto done;
    }
    sqlite3_extended_result_codes(db->h, 1);
    /* search_text() before the migrations: migration 4 builds the search index with it. */
    if (harden(db->h) < 0 || sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS) != SQLITE_OK ||
        search_register(db) < 0) {
        log_error("db: cannot configure the connection: %s", sqlite3_errmsg(db->h));
        db_set_errmsg(errmsg, "cannot configure the database connection", NULL);
        goto done;
    }
    /* Reading the header is the first real I/O: a file that is not a database fails here. */
    if (set_wal(db) < 0 || db_exec(db, "PRAGMA synchronous = FULL") < 0) {
        db_set_errmsg(errmsg, "cannot use the database", sqlite3_errmsg(db->h));
        goto done;
    }
    rc = db_migrate(db, version, errmsg);
    if (rc < 0)
        goto done;
    /* After the migrations, which run with foreign keys off (see migrate.c). */
    rc = db_exec(db, "PRAGMA foreign_keys = ON");
    if (rc < 0) {
        db_set_errmsg(errmsg, "cannot enable foreign keys", NULL);
        goto done;
    }
    db->search = version >= SEARCH_SCHEMA_VERSION;
    /* Rows noted before commits indexed them (a database written by an older Duikou, whose
     * searches did it) are indexed once, here, rather than inside some later request. */
    if (db->search && search_sync(db) < 0)
        log_warn("db: %s: the search index is behind; the next write brings it up to date",
                 path);
    *out = db;
    db = NULL;
    rc = 0;
done:
    db_close(db);
    return rc;
}

int db_open(const char *path, struct db **out, char **errmsg)
{
    return open_at(path, db_schema_version(), out, errmsg);
}

int db_open_at_version(const char *path, int version, struct db **out)
{
    assert(version >= 0 && version <= db_schema_version());
    char *errmsg = NULL;
    int rc = open_at(path, version, out, &errmsg);
    if (rc < 0)
        log_error("db: open at version %d failed: %s", version, errmsg ? errmsg : "?");
    free(errmsg);
    return rc;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < db->cap; i++) {
        struct db_cached *c = db->slots[i];
        if (!c)
            continue;
        if (c->busy)
            log_error("db: statement not finalized at close: %s", c->sql);
        sqlite3_finalize(c->s);
        free(c->sql);
        free(c);
    }
    free(db->slots);
    if (db->h && sqlite3_close(db->h) != SQLITE_OK) {
        /* Only a statement prepared outside the cache and never finalized can cause this. */
        log_error("db: close: %s", sqlite3_errmsg(db->h));
        sqlite3_close_v2(db->h);
    }
    free(db);
}
