/* audit_archive: retention of the audit log (issue #10, 等保三级). Rows leave the live log only
 * through here: written with their hashes, MACs and anchors to a file that verifies on its
 * own, then removed in one audited transaction that the table's trigger (migration 26)
 * allows for rows six months old (at least 180 days) that a vouched-for archive record covers.
 *
 * The file (docs/audit-archive.md), JSON lines:
 *   {"format":"duikou-audit-archive","version":1,"chain":"duikou.audit.v1","mac":ALG|null,
 *    "key_from":N|null,"first_id":F,"last_id":L,"rows":N,"prev_hash":H,"prev_mac":M|null,
 *    "before":ISO,"created_at":ISO}
 *   one line per row: {"id":..,"at":..,"actor":..,"action":..,"entity":..,"entity_id":..,
 *    "before":..,"after":..,"client":..,"prev_hash":..,"hash":..,"mac":..}, each stored text
 *    as a JSON string so the bytes the hash covers come back exactly;
 *   after a row, the anchors that named it: {"anchor":ID,"hash":..,"mac":..,"at":..};
 *   the trailer: {"end":"duikou-audit-archive","rows":N,"anchors":K,"last_id":L,
 *    "last_hash":..,"last_mac":..|null,"file_mac":..|null} — a file cut short has none;
 *    file_mac (trailer_mac) keys both ends, which the row MACs alone do not. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/sb.h"
#include "store/audit_internal.h"
#include "store/db.h"

static _Thread_local char why_buf[640];

static int say(const char **why, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int say(const char **why, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why_buf, sizeof why_buf, fmt, ap);
    va_end(ap);
    *why = why_buf;
    return rc;
}

/* ---- writing ---------------------------------------------------------------------------- */

struct writer {
    FILE *f;
    struct sha256_ctx h;
    struct sb line;
    struct jw w;
    bool ok;
};

static void line_begin(struct writer *w)
{
    sb_reset(&w->line);
    jw_init(&w->w, &w->line, false);
    jw_obj(&w->w);
}

static void line_end(struct writer *w)
{
    jw_obj_end(&w->w);
    sb_appendc(&w->line, '\n');
    sha256_add(&w->h, w->line.buf, w->line.len);
    if (fwrite(w->line.buf, 1, w->line.len, w->f) != w->line.len)
        w->ok = false;
}

static void kstr_or_null(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    if (s && *s)
        jw_str(w, s);
    else
        jw_null(w);
}

struct anchor {
    int64_t id;
    char hash[80], mac[80], at[40];
};

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const struct anchor *)a)->id, y = ((const struct anchor *)b)->id;
    return x < y ? -1 : x > y;
}

/* The anchors file's lines that name rows first..last, in id order; caller frees *out. */
static size_t read_anchors(int64_t first, int64_t last, struct anchor **out)
{
    *out = NULL;
    const char *path = audit_anchors_path();
    FILE *f = path[0] ? fopen(path, "r") : NULL;
    if (!f)
        return 0;
    size_t n = 0, cap = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        struct anchor a;
        long long id;
        if (sscanf(line, "duikou-audit-anchor v1 %lld %79s %79s %39s", &id, a.hash, a.mac, a.at) !=
                4 ||
            id < first || id > last)
            continue;
        a.id = id;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[n++] = a;
    }
    fclose(f);
    if (n)
        qsort(*out, n, sizeof **out, by_id);
    return n;
}

/* Writes rows first..last of the log, their anchors and the trailer to w; false when a row
 * could not be read. */
static bool write_rows(struct db *db, struct writer *w, int64_t first, int64_t last, int64_t *rows,
                       int64_t *anchors, char last_hash[SHA256_HEX_LEN + 1],
                       char last_mac[MAC_HEX_LEN + 1])
{
    struct anchor *an = NULL;
    size_t n_an = read_anchors(first, last, &an), next = 0;
    struct stmt st;
    int rc = db_prepare(db, &st,
                        "SELECT id, at, actor, action, entity, entity_id, before, after, client,"
                        " prev_hash, hash, mac FROM audit WHERE id BETWEEN :f AND :l ORDER BY id");
    db_bind_int64(&st, ":f", first);
    db_bind_int64(&st, ":l", last);
    while (rc >= 0 && (rc = db_step(&st)) == DB_ROW) {
        int64_t id = db_col_int64(&st, 0);
        static const char *const cols[] = {"id",     "at",        "actor",  "action",
                                           "entity", "entity_id", "before", "after",
                                           "client", "prev_hash", "hash",   "mac"};
        line_begin(w);
        jw_kint(&w->w, "id", id);
        for (int i = 1; i < 12; i++) {
            jw_key(&w->w, cols[i]);
            if (db_col_is_null(&st, i))
                jw_null(&w->w);
            else if (i == 5)
                jw_int(&w->w, db_col_int64(&st, i));
            else
                jw_strn(&w->w, db_col_text(&st, i), db_col_bytes(&st, i));
        }
        line_end(w);
        (*rows)++;
        snprintf(last_hash, SHA256_HEX_LEN + 1, "%s", db_col_text(&st, 10));
        snprintf(last_mac, MAC_HEX_LEN + 1, "%s",
                 db_col_is_null(&st, 11) ? "" : db_col_text(&st, 11));
        for (; next < n_an && an[next].id <= id; next++) {
            if (an[next].id < id)
                continue; /* names a row that is not there: audit_verify reports it */
            line_begin(w);
            jw_kint(&w->w, "anchor", id);
            jw_kstr(&w->w, "hash", an[next].hash);
            jw_kstr(&w->w, "mac", an[next].mac);
            jw_kstr(&w->w, "at", an[next].at);
            line_end(w);
            (*anchors)++;
        }
    }
    db_finalize(&st);
    free(an);
    return rc == DB_DONE;
}

/* The trailer's MAC, under the log's key: over the SHA-256 of every line before the trailer
 * and the header's first_id, last_id and prev_hash, so that a file cut at either end and
 * made consistent again (header and trailer rewritten) no longer verifies. */
static bool trailer_mac(const struct audit_key *k, int64_t first, int64_t last,
                        const char *prev_hash, const char *sha, char out[MAC_HEX_LEN + 1])
{
    char buf[256];
    int n = snprintf(buf, sizeof buf, "duikou.audit.archive.v1%c%" PRId64 "%c%" PRId64 "%c%s%c%s",
                     0, first, 0, last, 0, prev_hash, 0, sha);
    return n > 0 && (size_t)n < sizeof buf && hmac_hex(k->alg, k->key, sizeof k->key, buf,
                                                      (size_t)n, out);
}

/* Publishes tmp as path only if path does not exist (link, not rename: no window between a
 * check and the move; renameat2 RENAME_NOREPLACE where the file system has no hard links),
 * then makes the directory entry durable. -1 with errno set. */
static int publish(const char *tmp, const char *path)
{
    int r = link(tmp, path);
    if (r != 0 && (errno == EPERM || errno == EOPNOTSUPP || errno == EMLINK || errno == ENOSYS))
        r = renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
    int saved = errno;
    unlink(tmp); /* after a rename: ENOENT, nothing left */
    errno = saved;
    if (r != 0)
        return -1;
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    r = fd >= 0 && fsync(fd) == 0 ? 0 : -1;
    if (fd >= 0)
        close(fd);
    return r;
}

int audit_archive(struct db *db, int64_t before_ms, const char *path, const char *actor,
                  struct audit_archive_info *out, const char **why)
{
    memset(out, 0, sizeof *out);
    char limit[25];
    clock_format(audit_retention_limit_ms(clock_now_ms()), limit);
    if (before_ms > audit_retention_limit_ms(clock_now_ms()))
        return say(why, -1,
                   "the rows of the last six months (at least 180 days) are kept: archive only "
                   "before %s (UTC) at the latest",
                   limit);
    int64_t bad = 0;
    const char *broken = NULL;
    int v = audit_verify(db, &bad, NULL, &broken);
    if (v != 0)
        return v < 0 ? say(why, -1, "the audit log could not be read")
                     : say(why, -1,
                           "the audit log does not verify (row %" PRId64 ": %s): an "
                           "archive would carry a broken chain",
                           bad, broken ? broken : "");
    struct stat sb;
    if (lstat(path, &sb) == 0)
        return say(why, -1, "%s exists: an archive is never overwritten", path);

    struct audit_boundary b;
    if (audit_boundary(db, &b) < 0)
        return say(why, -1, "the audit log could not be read");
    char cut[25], now[25];
    clock_format(before_ms, cut);
    clock_format(clock_now_ms(), now);
    int64_t first = b.last_id + 1, last = 0;
    struct stmt st;
    db_prepare(db, &st,
               "SELECT coalesce((SELECT min(id) FROM audit WHERE at >= :cut),"
               " (SELECT max(id) + 1 FROM audit), :first) - 1");
    db_bind_text(&st, ":cut", cut);
    db_bind_int64(&st, ":first", first);
    if (db_step(&st) == DB_ROW)
        last = db_col_int64(&st, 0);
    db_finalize(&st);
    if (last < first)
        return say(why, -1, "no rows of the audit log before %s (UTC) are left to archive", cut);

    const struct audit_key *k;
    audit_have_key(&k);
    struct sb tmp_name = SB_INIT;
    struct writer w = {.ok = true};
    sb_init(&w.line);
    sha256_begin(&w.h);
    /* A name of its own (mkostemp: O_EXCL, 0600) beside path: two archives, or a file or
     * link left there, are never truncated. */
    sb_appendf(&tmp_name, "%s.tmp.XXXXXX", path);
    char *tmp = tmp_name.buf;
    int fd = mkostemp(tmp, O_CLOEXEC);
    w.f = fd >= 0 ? fdopen(fd, "w") : NULL;
    int rc = -1;
    if (!w.f) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        say(why, -1, "%s cannot be written: %s", tmp, strerror(e));
        goto done;
    }
    line_begin(&w);
    jw_kstr(&w.w, "format", "duikou-audit-archive");
    jw_kint(&w.w, "version", 1);
    jw_kstr(&w.w, "chain", "duikou.audit.v1");
    kstr_or_null(&w.w, "mac", k ? k->alg : NULL);
    jw_key(&w.w, "key_from");
    if (k)
        jw_int(&w.w, k->from);
    else
        jw_null(&w.w);
    jw_kint(&w.w, "first_id", first);
    jw_kint(&w.w, "last_id", last);
    jw_kint(&w.w, "rows", last - first + 1);
    jw_kstr(&w.w, "prev_hash", b.last_id ? b.hash : AUDIT_ZERO_HASH);
    kstr_or_null(&w.w, "prev_mac", b.mac);
    jw_kstr(&w.w, "before", cut);
    jw_kstr(&w.w, "created_at", now);
    line_end(&w);
    char last_hash[SHA256_HEX_LEN + 1] = "", last_mac[MAC_HEX_LEN + 1] = "";
    int64_t rows = 0, anchors = 0;
    bool read = write_rows(db, &w, first, last, &rows, &anchors, last_hash, last_mac);
    char body_sha[SHA256_HEX_LEN + 1], fmac[MAC_HEX_LEN + 1] = "";
    struct sha256_ctx body = w.h;
    sha256_end_hex(&body, body_sha);
    if (k && !trailer_mac(k, first, last, b.last_id ? b.hash : AUDIT_ZERO_HASH, body_sha, fmac))
        w.ok = false;
    line_begin(&w);
    jw_kstr(&w.w, "end", "duikou-audit-archive");
    jw_kint(&w.w, "rows", rows);
    jw_kint(&w.w, "anchors", anchors);
    jw_kint(&w.w, "last_id", last);
    jw_kstr(&w.w, "last_hash", last_hash);
    kstr_or_null(&w.w, "last_mac", last_mac);
    kstr_or_null(&w.w, "file_mac", fmac);
    line_end(&w);
    w.ok = w.ok && fflush(w.f) == 0 && fsync(fileno(w.f)) == 0;
    w.ok = fclose(w.f) == 0 && w.ok;
    if (!read || rows != last - first + 1) {
        unlink(tmp);
        say(why, -1, "the rows %" PRId64 " to %" PRId64 " could not be read", first, last);
        goto done;
    }
    if (!w.ok || publish(tmp, path) < 0) {
        int e = errno; /* before unlink() changes it */
        unlink(tmp);
        say(why, -1, "%s cannot be written: %s", path,
            !w.ok ? "writing it failed" : e == EEXIST ? "it exists" : strerror(e));
        goto done;
    }
    char sha[SHA256_HEX_LEN + 1];
    sha256_end_hex(&w.h, sha);

    /* The file must stand on its own before a row leaves the database. */
    struct audit_archive_info chk;
    const char *reason = NULL;
    if (audit_verify_archive(path, db, &chk, &bad, &reason) != 0 || strcmp(chk.sha256, sha) != 0 ||
        chk.rows != rows) {
        unlink(path);
        say(why, -1, "the archive written does not verify (%s); nothing was removed",
            reason ? reason : "its SHA-256 changed");
        goto done;
    }

    if (db_begin(db) < 0) {
        say(why, -1, "the database is busy; %s is written, nothing was removed", path);
        goto done;
    }
    struct audit_boundary again;
    if (audit_boundary(db, &again) < 0 || again.last_id != b.last_id) {
        db_rollback(db);
        say(why, -1, "another archive ran meanwhile; %s is written, nothing was removed", path);
        goto done;
    }
    db_prepare(db, &st,
               "INSERT INTO audit_archive (first_id, last_id, rows, last_hash, last_mac,"
               " file_sha256, created_at) VALUES (:f, :l, :n, :h, :m, :s, :at)");
    db_bind_int64(&st, ":f", first);
    db_bind_int64(&st, ":l", last);
    db_bind_int64(&st, ":n", rows);
    db_bind_text(&st, ":h", last_hash);
    db_bind_text(&st, ":m", last_mac[0] ? last_mac : NULL);
    db_bind_text(&st, ":s", sha);
    db_bind_text(&st, ":at", now);
    int s = db_step(&st);
    db_finalize(&st);
    struct sb after = SB_INIT;
    struct jw j;
    jw_init(&j, &after, false);
    jw_obj(&j);
    jw_kint(&j, "first_id", first);
    jw_kint(&j, "last_id", last);
    jw_kint(&j, "rows", rows);
    jw_kstr(&j, "last_hash", last_hash);
    kstr_or_null(&j, "last_mac", last_mac);
    jw_kstr(&j, "sha256", sha);
    jw_kstr(&j, "file", path);
    jw_kstr(&j, "before", cut);
    jw_obj_end(&j);
    if (s == DB_DONE)
        s = audit_append(db, actor, "audit.archive", "audit", 0, NULL, sb_str(&after), NULL);
    sb_free(&after);
    /* audit_scope is derived from the rows (migration 7): it goes with them */
    if (s == 0) {
        db_prepare(db, &st, "DELETE FROM audit_scope WHERE audit_id BETWEEN :f AND :l");
        db_bind_int64(&st, ":f", first);
        db_bind_int64(&st, ":l", last);
        s = db_step(&st);
        db_finalize(&st);
    }
    if (s == DB_DONE) {
        db_prepare(db, &st, "DELETE FROM audit WHERE id BETWEEN :f AND :l");
        db_bind_int64(&st, ":f", first);
        db_bind_int64(&st, ":l", last);
        s = db_step(&st);
        db_finalize(&st);
        if (s == DB_DONE && db_changes(db) != rows)
            s = DB_ERROR;
    }
    if (s != DB_DONE || db_commit(db) < 0) {
        say(why, -1, "the rows could not be removed (%s); %s is written, nothing was removed",
            db_errmsg(db), path);
        db_rollback(db);
        goto done;
    }
    out->first_id = first;
    out->last_id = last;
    out->rows = rows;
    out->anchors = anchors;
    snprintf(out->last_hash, sizeof out->last_hash, "%s", last_hash);
    snprintf(out->sha256, sizeof out->sha256, "%s", sha);
    rc = 0;
done:
    sb_free(&tmp_name);
    sb_free(&w.line);
    return rc;
}

/* ---- reading ---------------------------------------------------------------------------- */

/* One line's top-level fields, read with SQLite's JSON functions on a private in-memory
 * connection (the archive is checked without the database, too). */
enum { MAX_FIELDS = 16 };
struct line {
    int n;
    struct {
        const char *key, *type, *text; /* type: SQLite's json_each type; text NULL for null */
    } f[MAX_FIELDS];
};

static bool parse_line(sqlite3_stmt *ps, struct arena *a, const char *text, size_t len,
                       struct line *l)
{
    l->n = 0;
    sqlite3_reset(ps);
    sqlite3_bind_text(ps, 1, text, (int)len, SQLITE_STATIC);
    int r;
    bool object = false;
    while ((r = sqlite3_step(ps)) == SQLITE_ROW) {
        if (sqlite3_column_type(ps, 0) == SQLITE_INTEGER) {
            object = sqlite3_column_int(ps, 0) == 1;
            continue;
        }
        if (l->n == MAX_FIELDS)
            return false;
        l->f[l->n].key = arena_strdup(a, (const char *)sqlite3_column_text(ps, 1));
        l->f[l->n].type = arena_strdup(a, (const char *)sqlite3_column_text(ps, 2));
        const unsigned char *v = sqlite3_column_text(ps, 3);
        l->f[l->n].text =
            v ? arena_strndup(a, (const char *)v, (size_t)sqlite3_column_bytes(ps, 3)) : NULL;
        l->n++;
    }
    return r == SQLITE_DONE && object;
}

/* The field's text when it is a JSON string (or, with num, an integer's digits); NULL when it
 * is missing or of another type. *present says whether the key is there at all. */
static const char *get(const struct line *l, const char *key, bool num, bool *present)
{
    if (present)
        *present = false;
    for (int i = 0; i < l->n; i++) {
        if (strcmp(l->f[i].key, key) != 0)
            continue;
        if (present)
            *present = true;
        if (strcmp(l->f[i].type, num ? "integer" : "text") == 0)
            return l->f[i].text;
        return NULL;
    }
    return NULL;
}

static bool get_int(const struct line *l, const char *key, int64_t *v)
{
    const char *s = get(l, key, true, NULL);
    if (!s)
        return false;
    *v = strtoll(s, NULL, 10);
    return true;
}

/* A nullable string field: true when present as a string or null (*out NULL). */
static bool get_opt(const struct line *l, const char *key, const char **out)
{
    bool present;
    *out = get(l, key, false, &present);
    if (*out || !present)
        return present;
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->f[i].key, key) == 0)
            return strcmp(l->f[i].type, "null") == 0;
    return false;
}

static bool is_hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

/* The archive against the database: joined when the row after it links to its last hash, or
 * its rows are still there, or the database's archive record names it. */
static int join_db(struct db *db, const struct audit_archive_info *a, const char *prev_hash,
                   bool *joined, int64_t *bad, const char **why)
{
    struct stmt st;
    int found = 0, rc = 0;
    db_prepare(db, &st, "SELECT hash FROM audit WHERE id = :id");
    db_bind_int64(&st, ":id", a->last_id);
    if (db_step(&st) == DB_ROW && ++found && strcmp(db_col_text(&st, 0), a->last_hash) != 0) {
        *bad = a->last_id;
        rc = say(why, 1, "row %" PRId64 " of the database differs from the archive's", a->last_id);
    }
    db_finalize(&st);
    if (rc == 0) {
        db_prepare(db, &st, "SELECT prev_hash FROM audit WHERE id = :id");
        db_bind_int64(&st, ":id", a->last_id + 1);
        if (db_step(&st) == DB_ROW && ++found && strcmp(db_col_text(&st, 0), a->last_hash) != 0) {
            *bad = a->last_id + 1;
            rc = say(why, 1,
                     "the archive does not join the live chain: row %" PRId64
                     " links to another hash than the archive's last",
                     a->last_id + 1);
        }
        db_finalize(&st);
    }
    if (rc == 0) {
        db_prepare(db, &st, "SELECT last_hash, file_sha256 FROM audit_archive WHERE last_id = :id");
        db_bind_int64(&st, ":id", a->last_id);
        if (db_step(&st) == DB_ROW && ++found &&
            (strcmp(db_col_text(&st, 0), a->last_hash) != 0 ||
             strcmp(db_col_text(&st, 1), a->sha256) != 0))
            rc = say(why, 1,
                     "the database's archive record of the rows up to %" PRId64
                     " names another file (SHA-256 %s)",
                     a->last_id, db_col_text(&st, 1));
        db_finalize(&st);
    }
    if (rc == 0 && a->first_id > 1) {
        /* the row before the archive, live or archived earlier */
        db_prepare(db, &st,
                   "SELECT hash FROM audit WHERE id = :id UNION ALL "
                   "SELECT last_hash FROM audit_archive WHERE last_id = :id LIMIT 1");
        db_bind_int64(&st, ":id", a->first_id - 1);
        if (db_step(&st) == DB_ROW && strcmp(db_col_text(&st, 0), prev_hash) != 0) {
            *bad = a->first_id;
            rc = say(why, 1, "the archive's previous hash is not that of row %" PRId64,
                     a->first_id - 1);
        }
        db_finalize(&st);
    }
    if (rc == 0 && !found)
        rc = say(why, 1,
                 "the database knows neither row %" PRId64 ", nor row %" PRId64
                 ", nor an archive of rows up to %" PRId64 ": the archive is not of this log",
                 a->last_id, a->last_id + 1, a->last_id);
    *joined = rc == 0;
    return rc;
}

int audit_verify_archive(const char *path, struct db *db, struct audit_archive_info *out,
                         int64_t *bad, const char **why)
{
    memset(out, 0, sizeof *out);
    *bad = 0;
    *why = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return say(why, -1, "%s cannot be read: %s", path, strerror(errno));
    sqlite3 *mem = NULL;
    sqlite3_stmt *ps = NULL;
    if (sqlite3_open(":memory:", &mem) != SQLITE_OK ||
        sqlite3_prepare_v2(
            mem,
            "SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'object' ELSE 0 END,"
            " NULL, NULL, NULL UNION ALL SELECT NULL, key, type, CASE WHEN type "
            "IN ('object', 'array') THEN value ELSE atom END FROM json_each(CASE "
            "WHEN NOT json_valid(?1) THEN '{}' WHEN json_type(?1) = 'object' "
            "THEN ?1 ELSE '{}' END)",
            -1, &ps, NULL) != SQLITE_OK) {
        sqlite3_close(mem);
        fclose(f);
        return say(why, -1, "the archive cannot be parsed (SQLite's JSON functions)");
    }
    const struct audit_key *k;
    audit_have_key(&k);
    struct sha256_ctx h;
    sha256_begin(&h);
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    int64_t lineno = 0, expect = 0, rows = 0, anchors = 0, hdr_rows = 0, from = 0;
    char prev[SHA256_HEX_LEN + 1] = "", prev_mac[MAC_HEX_LEN + 1] = "",
                               first_prev[SHA256_HEX_LEN + 1] = "";
    char hash[SHA256_HEX_LEN + 1], mac[MAC_HEX_LEN + 1];
    bool ended = false;
    int rc = 0;
    while (rc == 0 && (len = getline(&buf, &cap, f)) >= 0) {
        struct sha256_ctx before_line = h; /* the trailer's MAC covers the lines before it */
        sha256_add(&h, buf, (size_t)len);
        lineno++;
        if (len > 0 && buf[len - 1] == '\n')
            len--;
        struct arena a;
        arena_init(&a);
        struct line l;
        int64_t id = 0;
        const char *s;
        if (!parse_line(ps, &a, buf, (size_t)len, &l)) {
            *bad = expect;
            rc = say(why, 1, "line %" PRId64 " is not a JSON object", lineno);
        } else if (ended) {
            rc = say(why, 1, "line %" PRId64 " follows the trailer", lineno);
        } else if (lineno == 1) {
            const char *alg = NULL, *pm = NULL;
            int64_t ver = 0, last = 0;
            s = get(&l, "format", false, NULL);
            if (!s || strcmp(s, "duikou-audit-archive") != 0 || !get_int(&l, "version", &ver) ||
                ver != 1 || !get_int(&l, "first_id", &out->first_id) ||
                !get_int(&l, "last_id", &last) || !get_int(&l, "rows", &hdr_rows) ||
                !is_hex64(get(&l, "prev_hash", false, NULL)) || !get_opt(&l, "prev_mac", &pm) ||
                !get_opt(&l, "mac", &alg) || out->first_id < 1 || last < out->first_id ||
                hdr_rows != last - out->first_id + 1) {
                rc = say(why, 1, "this is not a Duikou audit archive (its header)");
            } else if (k && alg && strcmp(alg, k->alg) != 0) {
                rc = say(why, 1, "the archive's MACs are %s, the key's %s: not this log's key", alg,
                         k->alg);
            } else {
                out->last_id = last;
                expect = out->first_id;
                snprintf(prev, sizeof prev, "%s", get(&l, "prev_hash", false, NULL));
                snprintf(first_prev, sizeof first_prev, "%s", prev);
                snprintf(prev_mac, sizeof prev_mac, "%s", pm ? pm : "");
                if (expect == 1 && strcmp(prev, AUDIT_ZERO_HASH) != 0)
                    rc = say(why, 1,
                             "the archive starts at row 1 but its previous hash is not zeros");
                from = k ? k->from : 0;
            }
        } else if (get_int(&l, "id", &id)) {
            struct audit_row r = {.id = id};
            const char *stored = get(&l, "hash", false, NULL), *m = NULL;
            int64_t eid = 0;
            bool eid_null = get_opt(&l, "entity_id", &s) && !s;
            r.at = get(&l, "at", false, NULL);
            r.actor = get(&l, "actor", false, NULL);
            r.action = get(&l, "action", false, NULL);
            r.entity = get(&l, "entity", false, NULL);
            r.prev_hash = get(&l, "prev_hash", false, NULL);
            *bad = id;
            if (!r.at || !r.actor || !r.action || !r.entity || !stored || !r.prev_hash ||
                (!eid_null && !get_int(&l, "entity_id", &eid)) ||
                !get_opt(&l, "before", &r.before) || !get_opt(&l, "after", &r.after) ||
                !get_opt(&l, "client", &r.client) || !get_opt(&l, "mac", &m)) {
                rc = say(why, 1, "line %" PRId64 " is not a whole audit row", lineno);
            } else if (id != expect) {
                rc = say(why, 1,
                         id > expect ? "rows are missing before this one (gap in ids)"
                                     : "unexpected row id");
            } else if (strcmp(r.prev_hash, prev) != 0) {
                rc = say(why, 1, "prev_hash does not match the previous row's hash");
            } else {
                r.entity_id = eid_null ? 0 : eid;
                audit_row_hash(&r, hash);
                if (strcmp(hash, stored) != 0)
                    rc = say(why, 1, "hash does not match the row's content");
                else if (k && id >= from) {
                    if (!m)
                        rc = say(why, 1,
                                 "the row has no MAC: it was written without the key, "
                                 "or forged");
                    else if (!audit_row_mac(k, id, stored, id == from ? "" : prev_mac, mac) ||
                             strcmp(mac, m) != 0)
                        rc = say(why, 1,
                                 "the MAC does not match: the row, or the chain before "
                                 "it, was changed by someone without the key");
                }
            }
            if (rc == 0) {
                *bad = 0;
                snprintf(prev, sizeof prev, "%s", stored);
                snprintf(prev_mac, sizeof prev_mac, "%s", m ? m : "");
                expect++;
                rows++;
            }
        } else if (get_int(&l, "anchor", &id)) {
            const char *ah = get(&l, "hash", false, NULL), *am = get(&l, "mac", false, NULL);
            if (!ah || !am || id != expect - 1 || rows == 0 || strcmp(ah, prev) != 0 ||
                strcmp(am, prev_mac[0] ? prev_mac : "-") != 0) {
                *bad = id;
                rc = say(why, 1,
                         "the row differs from its anchor written at %s (the log was "
                         "rewritten before it was archived)",
                         (s = get(&l, "at", false, NULL)) ? s : "?");
            } else {
                anchors++;
            }
        } else if ((s = get(&l, "end", false, NULL)) && strcmp(s, "duikou-audit-archive") == 0) {
            int64_t n = -1, last = -1, na = -1;
            const char *lh = get(&l, "last_hash", false, NULL), *lm = NULL;
            get_int(&l, "rows", &n);
            get_int(&l, "last_id", &last);
            get_int(&l, "anchors", &na);
            if (n != rows || n != hdr_rows || last != out->last_id || expect != last + 1 ||
                na != anchors || !lh || strcmp(lh, prev) != 0 || !get_opt(&l, "last_mac", &lm) ||
                strcmp(lm ? lm : "", prev_mac) != 0)
                rc = say(why, 1,
                         "the trailer does not match the rows before it (rows were "
                         "removed or added)");
            const char *fm = NULL;
            char body_sha[SHA256_HEX_LEN + 1], want[MAC_HEX_LEN + 1];
            sha256_end_hex(&before_line, body_sha);
            if (rc == 0 && k && out->last_id >= from && (!get_opt(&l, "file_mac", &fm) || !fm))
                rc = say(why, 1,
                         "the trailer has no MAC: the file was written without the key, or its "
                         "ends were rewritten");
            else if (rc == 0 && k && fm &&
                     (!trailer_mac(k, out->first_id, out->last_id, first_prev, body_sha, want) ||
                      strcmp(want, fm) != 0))
                rc = say(why, 1,
                         "the trailer's MAC does not match: rows were cut from either end, or "
                         "the file was changed, by someone without the key");
            ended = true;
        } else {
            rc =
                say(why, 1, "line %" PRId64 " is neither a row, an anchor nor the trailer", lineno);
        }
        arena_free(&a);
    }
    if (rc == 0 && lineno == 0)
        rc = say(why, 1, "the archive is empty");
    else if (rc == 0 && !ended) {
        *bad = expect;
        rc = say(why, 1, "the archive ends before its trailer: it was cut short after row %" PRId64,
                 expect - 1);
    }
    if (rc == 0 && ferror(f))
        rc = say(why, -1, "%s cannot be read", path);
    free(buf);
    fclose(f);
    sqlite3_finalize(ps);
    sqlite3_close(mem);
    sha256_end_hex(&h, out->sha256);
    out->rows = rows;
    out->anchors = anchors;
    snprintf(out->last_hash, sizeof out->last_hash, "%s", prev);
    if (rc == 0 && db)
        rc = join_db(db, out, first_prev, &out->joined, bad, why);
    return rc;
}
