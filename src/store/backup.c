/* backup: online backup of a live database into a new file, and the integrity check that
 * `duikou check` and tests run. A backup is made with SQLite's backup API, never by copying
 * the file: a copy taken while the WAL holds committed pages is not a database. */
#include "store/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/sb.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/db_impl.h"
#include "store/files.h"

/* Is p (if it exists) the database file itself, or one of its companions? Overwriting or
 * deleting any of them would destroy the live database. */
static bool is_database_file(const char *db_path, const char *p)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    struct stat ps, ds;
    bool same = false;
    if (!db_path || !*db_path || stat(p, &ps) != 0)
        return false;
    struct sb name = SB_INIT;
    for (size_t i = 0; !same && i < sizeof suffixes / sizeof suffixes[0]; i++) {
        sb_reset(&name);
        sb_append(&name, db_path);
        sb_append(&name, suffixes[i]);
        same = stat(sb_str(&name), &ds) == 0 && ds.st_dev == ps.st_dev && ds.st_ino == ps.st_ino;
    }
    sb_free(&name);
    return same;
}

/* Removes a temporary database and whatever journal SQLite may have left beside it. */
static void remove_db_files(const char *path)
{
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    struct sb name = SB_INIT;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        sb_reset(&name);
        sb_append(&name, path);
        sb_append(&name, suffixes[i]);
        if (unlink(sb_str(&name)) != 0 && errno != ENOENT)
            log_warn("backup: cannot remove %s: %s", sb_str(&name), strerror(errno));
    }
    sb_free(&name);
}

static int fsync_path(const char *path, int oflags)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | oflags);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

/* The directory entry made by rename/link is only durable once the directory is synced. */
static int fsync_parent(const char *path)
{
    char *copy = xstrdup(path);
    int r = fsync_path(dirname(copy), O_DIRECTORY);
    free(copy);
    return r;
}

/* Moves tmp to dest. Without overwrite, link(2) publishes the file only if dest does not exist
 * (no window between a check and a rename); file systems without hard links fall back to a
 * check then rename. */
static int publish(const char *tmp, const char *dest, bool overwrite, char **errmsg)
{
    if (overwrite) {
        if (rename(tmp, dest) != 0)
            goto fail;
        return 0;
    }
    if (link(tmp, dest) == 0) {
        unlink(tmp);
        return 0;
    }
    if (errno == EEXIST) {
        db_set_errmsg(errmsg, "the backup file already exists", NULL);
        return DB_ERROR;
    }
    struct stat st;
    if (lstat(dest, &st) == 0) {
        db_set_errmsg(errmsg, "the backup file already exists", NULL);
        return DB_ERROR;
    }
    if (rename(tmp, dest) != 0)
        goto fail;
    return 0;
fail:
    log_error("backup: cannot move %s to %s: %s", tmp, dest, strerror(errno));
    db_set_errmsg(errmsg, "cannot put the backup file in place", strerror(errno));
    return DB_ERROR;
}

int db_backup(struct db *db, const char *dest_path, unsigned flags, char **errmsg)
{
    int rc = DB_ERROR, r;
    sqlite3 *dst = NULL;
    sqlite3_backup *b = NULL;
    struct sb tmp = SB_INIT;
    bool tmp_made = false;
    bool overwrite = flags & DB_BACKUP_OVERWRITE;
    const char *src_path = sqlite3_db_filename(db->h, "main");
    struct stat st;

    if (errmsg)
        *errmsg = NULL;
    sb_append(&tmp, dest_path);
    sb_append(&tmp, ".tmp");
    if (db_in_transaction(db)) {
        /* The copy would include this connection's uncommitted changes. */
        log_error("backup: called inside a transaction");
        db_set_errmsg(errmsg, "cannot back up inside a transaction", NULL);
        goto done;
    }
    if (is_database_file(src_path, dest_path) || is_database_file(src_path, sb_str(&tmp))) {
        db_set_errmsg(errmsg, "the backup file would replace the database itself", NULL);
        goto done;
    }
    if (!overwrite && lstat(dest_path, &st) == 0) {
        db_set_errmsg(errmsg, "the backup file already exists", NULL);
        goto done;
    }

    /* A .tmp left by a backup that crashed is garbage; one backup runs per destination. */
    remove_db_files(sb_str(&tmp));
    tmp_made = true;
    r = sqlite3_open_v2(sb_str(&tmp), &dst,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (r != SQLITE_OK) {
        const char *why = dst ? sqlite3_errmsg(dst) : sqlite3_errstr(r);
        log_error("backup: cannot create %s: %s", sb_str(&tmp), why);
        db_set_errmsg(errmsg, "cannot create the backup file", why);
        goto done;
    }
    if (sqlite3_exec(dst, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
        goto step_failed;
    b = sqlite3_backup_init(dst, "main", db->h, "main");
    if (!b)
        goto step_failed;
    /* All pages in one step: in WAL mode the source's readers and writers are not blocked, and
     * a single step copies one snapshot. A busy destination lock cannot last (nobody else knows
     * the .tmp), but retry a little in case. */
    for (int tries = 0;; tries++) {
        r = sqlite3_backup_step(b, -1);
        if (r == SQLITE_DONE)
            break;
        if ((r == SQLITE_BUSY || r == SQLITE_LOCKED) && tries < 50) {
            sqlite3_sleep(100);
            continue;
        }
        log_error("backup: step: %s", sqlite3_errstr(r));
        db_set_errmsg(errmsg, "the backup failed", sqlite3_errstr(r));
        goto done;
    }
    r = sqlite3_backup_finish(b);
    b = NULL;
    if (r != SQLITE_OK)
        goto step_failed;
    /* The copied header says WAL; a rollback-journal file is self-contained and can be read
     * from read-only media without a -shm beside it. */
    if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
        goto step_failed;
    r = sqlite3_close(dst);
    dst = NULL;
    if (r != SQLITE_OK) {
        db_set_errmsg(errmsg, "the backup failed", sqlite3_errstr(r));
        goto done;
    }
    if (fsync_path(sb_str(&tmp), 0) != 0) {
        log_error("backup: fsync %s: %s", sb_str(&tmp), strerror(errno));
        db_set_errmsg(errmsg, "cannot write the backup file to disk", strerror(errno));
        goto done;
    }
    if (publish(sb_str(&tmp), dest_path, overwrite, errmsg) < 0)
        goto done;
    tmp_made = false;
    if (fsync_parent(dest_path) != 0)
        log_warn("backup: cannot sync the directory of %s: %s", dest_path, strerror(errno));
    /* the attachments' bytes go with the database that names them */
    if (files_backup(db, dest_path) != 0) {
        db_set_errmsg(errmsg, "the attachment files could not be copied", NULL);
        goto done;
    }
    log_info("backup: written to %s (attachments in %s.files)", dest_path, dest_path);
    rc = 0;
    goto done;

step_failed:
    log_error("backup: %s", dst ? sqlite3_errmsg(dst) : "?");
    db_set_errmsg(errmsg, "the backup failed", dst ? sqlite3_errmsg(dst) : NULL);
done:
    if (b)
        sqlite3_backup_finish(b);
    if (dst)
        sqlite3_close(dst);
    if (tmp_made)
        remove_db_files(sb_str(&tmp));
    sb_free(&tmp);
    return rc;
}

/* ---- check ------------------------------------------------------------------------------ */

enum { MAX_REPORTED = 100 }; /* lines per check; the count is still exact */

static int check_integrity(struct db *db, struct sb *report)
{
    struct stmt st;
    int rc, lines = 0;
    bool ok = false;
    struct sb detail = SB_INIT;

    rc = db_prepare(db, &st, "PRAGMA integrity_check");
    if (rc < 0)
        goto done;
    while ((rc = db_step(&st)) == DB_ROW) {
        const char *line = db_col_text(&st, 0);
        if (lines == 0 && line && strcmp(line, "ok") == 0)
            ok = true;
        else
            sb_appendf(&detail, "  %s\n", line ? line : "?");
        lines++;
    }
done:
    db_finalize(&st);
    if (rc < 0) {
        sb_append(report, "integrity: could not run the check (the file may be damaged)\n");
    } else if (ok && detail.len == 0) {
        sb_append(report, "integrity: ok\n");
        rc = 0;
    } else {
        sb_append(report, "integrity: FAILED\n");
        sb_append(report, sb_str(&detail));
        rc = 1;
    }
    sb_free(&detail);
    return rc;
}

static int check_foreign_keys(struct db *db, struct sb *report)
{
    struct stmt st;
    int rc;
    int64_t n = 0;
    struct sb detail = SB_INIT;

    rc = db_prepare(db, &st, "PRAGMA foreign_key_check");
    if (rc < 0)
        goto done;
    while ((rc = db_step(&st)) == DB_ROW) {
        if (n++ < MAX_REPORTED)
            sb_appendf(&detail, "  %s row %" PRId64 " refers to a missing row of %s\n",
                       db_col_text(&st, 0), db_col_int64(&st, 1), db_col_text(&st, 2));
    }
done:
    db_finalize(&st);
    if (rc < 0) {
        sb_append(report, "foreign keys: could not run the check\n");
    } else if (n == 0) {
        sb_append(report, "foreign keys: ok\n");
        rc = 0;
    } else {
        sb_appendf(report, "foreign keys: FAILED, %" PRId64 " broken reference%s\n", n,
                   n == 1 ? "" : "s");
        sb_append(report, sb_str(&detail));
        if (n > MAX_REPORTED)
            sb_appendf(report, "  ... and %" PRId64 " more\n", n - MAX_REPORTED);
        rc = 1;
    }
    sb_free(&detail);
    return rc;
}

static int check_audit(struct db *db, struct sb *report)
{
    int64_t bad = 0, rows = 0;
    const char *why = NULL;
    int rc = audit_verify(db, &bad, &rows, &why);
    if (rc < 0)
        sb_append(report, "audit log: could not run the check\n");
    else if (rc == 0)
        sb_appendf(report, "audit log: ok, %" PRId64 " row%s, chain intact\n", rows,
                   rows == 1 ? "" : "s");
    else
        sb_appendf(report, "audit log: FAILED at row %" PRId64 ": %s\n", bad, why);
    return rc;
}

int db_check(struct db *db, struct sb *report)
{
    int (*const checks[])(struct db *, struct sb *) = {
        check_integrity,
        check_foreign_keys,
        check_audit,
        files_check, /* every attachment's bytes against its hash */
    };
    int problems = 0;
    bool could_not_run = false;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        int rc = checks[i](db, report);
        if (rc < 0)
            could_not_run = true;
        else if (rc > 0)
            problems++;
    }
    return could_not_run ? DB_ERROR : problems;
}
