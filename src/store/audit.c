/* audit: appending to and verifying the hash chain of the audit table.
 *
 * Row hash = SHA-256, as lowercase hex, of
 *
 *     "duikou.audit.v1" 0x00
 *     field(prev_hash) field(id) field(at) field(actor) field(action) field(entity)
 *     field(entity_id) field(before) field(after) field(client)
 *
 * where field(NULL) is the byte 0x00 and field(s) is 0x01, the byte length of s as 8 bytes
 * big-endian, then the bytes of s; integers are first written in decimal. The length prefix
 * makes the encoding unambiguous: no choice of field contents can move a boundary between
 * fields, and NULL differs from "". The id is in the hash so a row is bound to its place.
 * The first row's prev_hash is 64 zeros. Changing this encoding means a new version tag and a
 * verifier that knows both. */
#include "store/audit.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/hash.h"
#include "core/log.h"
#include "store/audit_internal.h"
#include "store/db.h"

/* The process's key and anchors file (audit_use_key, audit_use_anchors). */
static struct audit_key use_key;
static bool have_key;
static char anchors_path[4096];

void audit_use_key(const struct audit_key *k)
{
    have_key = k != NULL;
    if (k)
        use_key = *k;
    else
        sodium_memzero(&use_key, sizeof use_key);
}

static int64_t anchored = -1; /* the last anchor's id this process wrote or found; -1 unread */

void audit_use_anchors(const char *path)
{
    snprintf(anchors_path, sizeof anchors_path, "%s", path ? path : "");
    anchored = -1;
}

/* A row's MAC: over its id, its hash (which covers it and the chain before it) and the
 * previous row's MAC ("" for the first keyed row). */
bool audit_row_mac(const struct audit_key *k, int64_t id, const char *hash, const char *prev,
                   char out[MAC_HEX_LEN + 1])
{
    char buf[256];
    int n = snprintf(buf, sizeof buf, "duikou.audit.mac.v1%c%" PRId64 "%c%s%c%s", 0, id, 0,
                     hash ? hash : "", 0, prev ? prev : "");
    return n > 0 && (size_t)n < sizeof buf && hmac_hex(k->alg, k->key, sizeof k->key, buf,
                                                      (size_t)n, out);
}

int64_t audit_retention_day(int64_t day)
{
    int y, m, d;
    clock_civil_from_days(day, &y, &m, &d);
    m -= AUDIT_RETENTION_MONTHS;
    if (m < 1) {
        m += 12;
        y--;
    }
    int64_t first = clock_days_from_civil(y, m, 1);
    int64_t next = m == 12 ? clock_days_from_civil(y + 1, 1, 1) : clock_days_from_civil(y, m + 1, 1);
    int64_t len = next - first;
    return first + (d < len ? d : len) - 1;
}

int64_t audit_retention_limit_ms(int64_t now_ms)
{
    int64_t day = now_ms / 86400000 - (now_ms % 86400000 < 0);
    return audit_retention_day(day) * 86400000 + (now_ms - day * 86400000);
}

const char AUDIT_ZERO_HASH[SHA256_HEX_LEN + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

bool audit_have_key(const struct audit_key **k)
{
    *k = have_key ? &use_key : NULL;
    return have_key;
}

const char *audit_anchors_path(void)
{
    return anchors_path;
}

int audit_boundary(struct db *db, struct audit_boundary *b)
{
    memset(b, 0, sizeof *b);
    struct stmt st;
    int rc = db_prepare(db, &st,
                        "SELECT last_id, last_hash, coalesce(last_mac, ''), file_sha256 FROM "
                        "audit_archive ORDER BY last_id DESC LIMIT 1");
    if (rc == 0)
        rc = db_step(&st);
    if (rc == DB_ROW) {
        b->last_id = db_col_int64(&st, 0);
        snprintf(b->hash, sizeof b->hash, "%s", db_col_text(&st, 1));
        snprintf(b->mac, sizeof b->mac, "%s", db_col_text(&st, 2));
        snprintf(b->sha256, sizeof b->sha256, "%s", db_col_text(&st, 3));
        rc = 0;
    } else if (rc == DB_DONE) {
        rc = 0;
    }
    db_finalize(&st);
    return rc;
}

int64_t audit_archived_through(struct db *db)
{
    struct audit_boundary b;
    int rc = audit_boundary(db, &b);
    return rc < 0 ? rc : b.last_id;
}

static void add_field(struct sha256_ctx *c, const char *s)
{
    if (!s) {
        unsigned char tag = 0;
        sha256_add(c, &tag, 1);
        return;
    }
    uint64_t n = strlen(s);
    unsigned char head[9];
    head[0] = 1;
    for (int i = 0; i < 8; i++)
        head[1 + i] = (unsigned char)(n >> (56 - 8 * i));
    sha256_add(c, head, sizeof head);
    sha256_add(c, s, (size_t)n);
}

static void add_int(struct sha256_ctx *c, int64_t v, bool is_null)
{
    char buf[24];
    if (is_null) {
        add_field(c, NULL);
        return;
    }
    snprintf(buf, sizeof buf, "%" PRId64, v);
    add_field(c, buf);
}

void audit_row_hash(const struct audit_row *r, char out[SHA256_HEX_LEN + 1])
{
    static const char tag[] = "duikou.audit.v1";
    struct sha256_ctx c;
    sha256_begin(&c);
    sha256_add(&c, tag, sizeof tag); /* with its NUL */
    add_field(&c, r->prev_hash);
    add_int(&c, r->id, false);
    add_field(&c, r->at);
    add_field(&c, r->actor);
    add_field(&c, r->action);
    add_field(&c, r->entity);
    add_int(&c, r->entity_id, r->entity_id == 0);
    add_field(&c, r->before);
    add_field(&c, r->after);
    add_field(&c, r->client);
    sha256_end_hex(&c, out);
}

int audit_append(struct db *db, const char *actor, const char *action, const char *entity,
                 int64_t entity_id, const char *before_json, const char *after_json,
                 const char *client)
{
    struct stmt st;
    int rc;
    char prev[SHA256_HEX_LEN + 1], hash[SHA256_HEX_LEN + 1], at[25];
    int64_t last_id = 0;

    assert(actor && action && entity);
    /* The row must commit with the change it records, and reading the last row then inserting
     * the next is only race-free under the write lock that db_begin takes. Refused in every
     * build, not asserted, so its test runs in the Debug build of make test too. */
    if (!db_in_transaction(db)) {
        log_error("audit: append outside a transaction");
        return DB_ERROR;
    }

    /* Before and after are JSON objects (the viewer and the API parse them). A writer that
     * built one wrongly fails here, before the hash chain makes the mistake permanent. */
    rc = db_prepare(db, &st,
                    "SELECT (CASE WHEN :b IS NULL THEN 1 WHEN json_valid(:b) "
                    "THEN json_type(:b) = 'object' ELSE 0 END) AND "
                    "(CASE WHEN :a IS NULL THEN 1 WHEN json_valid(:a) "
                    "THEN json_type(:a) = 'object' ELSE 0 END)");
    if (rc == 0) {
        db_bind_text(&st, ":b", before_json);
        db_bind_text(&st, ":a", after_json);
        rc = db_step(&st);
    }
    bool objects = rc == DB_ROW && db_col_int64(&st, 0) == 1;
    db_finalize(&st);
    if (rc < 0)
        return rc;
    if (!objects) {
        log_error("audit: %s on %s %" PRId64 ": before or after is not a JSON object", action,
                  entity, entity_id);
        return DB_ERROR;
    }

    memcpy(prev, AUDIT_ZERO_HASH, sizeof prev);
    char prev_mac[MAC_HEX_LEN + 1] = "", mac[MAC_HEX_LEN + 1] = "";
    rc = db_prepare(db, &st, "SELECT id, hash, mac FROM audit ORDER BY id DESC LIMIT 1");
    if (rc == 0)
        rc = db_step(&st);
    if (rc == DB_ROW) {
        const char *h = db_col_text(&st, 1), *m = db_col_text(&st, 2);
        last_id = db_col_int64(&st, 0);
        if (!h || strlen(h) != SHA256_HEX_LEN) {
            log_error("audit: last row %" PRId64 " has no valid hash", last_id);
            rc = DB_ERROR;
        } else if (m && !have_key) {
            /* a row without its MAC would break the keyed chain for good */
            log_error("audit: the log is keyed (row %" PRId64 " has a MAC) but this process "
                      "has no key (--audit-key)", last_id);
            rc = DB_ERROR;
        } else {
            memcpy(prev, h, sizeof prev);
            snprintf(prev_mac, sizeof prev_mac, "%s", m ? m : "");
            rc = 0;
        }
    }
    db_finalize(&st);
    if (rc < 0)
        return rc;

    clock_format(clock_now_ms(), at);
    struct audit_row r = {
        .id = last_id + 1,
        .at = at,
        .actor = actor,
        .action = action,
        .entity = entity,
        .entity_id = entity_id,
        .before = before_json,
        .after = after_json,
        .client = client,
        .prev_hash = prev,
    };
    audit_row_hash(&r, hash);
    if (have_key && !audit_row_mac(&use_key, r.id, hash, prev_mac, mac)) {
        log_error("audit: the MAC (%s) could not be computed", use_key.alg);
        return DB_ERROR;
    }

    rc = db_prepare(db, &st,
                    "INSERT INTO audit (id, at, actor, action, entity, entity_id, before, after,"
                    " client, prev_hash, hash, mac) VALUES (:id, :at, :actor, :action, :entity,"
                    " :entity_id, :before, :after, :client, :prev_hash, :hash, :mac)");
    if (rc < 0)
        goto done;
    db_bind_int64(&st, ":id", r.id);
    db_bind_text(&st, ":at", at);
    db_bind_text(&st, ":actor", actor);
    db_bind_text(&st, ":action", action);
    db_bind_text(&st, ":entity", entity);
    if (entity_id != 0)
        db_bind_int64(&st, ":entity_id", entity_id);
    else
        db_bind_null(&st, ":entity_id");
    db_bind_text(&st, ":before", before_json);
    db_bind_text(&st, ":after", after_json);
    db_bind_text(&st, ":client", client);
    db_bind_text(&st, ":prev_hash", prev);
    db_bind_text(&st, ":hash", hash);
    if (have_key)
        db_bind_text(&st, ":mac", mac);
    else
        db_bind_null(&st, ":mac");
    rc = db_step(&st);
    if (rc == DB_DONE)
        rc = 0;
    else if (rc >= 0)
        rc = DB_ERROR;
done:
    db_finalize(&st);
    return rc;
}

static _Thread_local char why_buf[512];

/* The anchors file against the log (after the chain verified): every anchored row must be
 * there with the anchored hash (and MAC). 0, or 1 with *bad and *reason. */
static int check_anchors(struct db *db, int64_t head, int64_t archived, int64_t *bad,
                         const char **reason)
{
    FILE *f = anchors_path[0] ? fopen(anchors_path, "r") : NULL;
    if (!f)
        return 0;
    char line[512], cut_at[40] = "";
    long long cut = 0; /* the furthest anchored row that is not there */
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        long long id;
        char hash[80], mac[80], at[40];
        if (sscanf(line, "duikou-audit-anchor v1 %lld %79s %79s %39s", &id, hash, mac, at) != 4 ||
            id <= archived) /* the archive file carries these (audit_verify_archive) */
            continue;
        struct stmt st;
        db_prepare(db, &st, "SELECT hash, coalesce(mac, '-') FROM audit WHERE id = :id");
        db_bind_int64(&st, ":id", id);
        int s = db_step(&st);
        if (s != DB_ROW) {
            if (id > cut) {
                cut = id;
                snprintf(cut_at, sizeof cut_at, "%s", at);
            }
        } else if (strcmp(db_col_text(&st, 0), hash) != 0 ||
                   strcmp(db_col_text(&st, 1), mac) != 0) {
            *bad = id;
            snprintf(why_buf, sizeof why_buf,
                     "the row differs from its anchor written at %s (the log was rewritten)", at);
            rc = 1;
        }
        db_finalize(&st);
    }
    fclose(f);
    if (!rc && cut) {
        *bad = head + 1;
        snprintf(why_buf, sizeof why_buf,
                 "the log was cut short: the anchor written at %s names row %lld, and the log "
                 "ends at row %" PRId64,
                 cut_at, cut, head);
        rc = 1;
    }
    if (rc)
        *reason = why_buf;
    return rc;
}

/* The live chain's audit.archive row that names the boundary record (after the chain
 * verified, so the row is the key's). */
static bool archive_vouched(struct db *db, const struct audit_boundary *b)
{
    struct stmt st;
    db_prepare(db, &st,
               "SELECT 1 FROM audit WHERE id > :l AND action = 'audit.archive' AND "
               "json_extract(after, '$.last_id') = :l AND json_extract(after, '$.last_hash') = :h "
               "AND coalesce(json_extract(after, '$.last_mac'), '') = :m AND "
               "json_extract(after, '$.sha256') = :s LIMIT 1");
    db_bind_int64(&st, ":l", b->last_id);
    db_bind_text(&st, ":h", b->hash);
    db_bind_text(&st, ":m", b->mac);
    db_bind_text(&st, ":s", b->sha256);
    bool ok = db_step(&st) == DB_ROW;
    db_finalize(&st);
    return ok;
}

int audit_verify(struct db *db, int64_t *first_bad_id, int64_t *rows_checked, const char **why)
{
    struct stmt st = {0};
    int rc;
    int64_t checked = 0, bad = 0, expect_id = 1;
    const char *reason = NULL;
    char prev[SHA256_HEX_LEN + 1], hash[SHA256_HEX_LEN + 1];
    char prev_mac[MAC_HEX_LEN + 1] = "", mac[MAC_HEX_LEN + 1];

    memcpy(prev, AUDIT_ZERO_HASH, sizeof prev);
    /* One read transaction: the archive boundary and the rows after it from one snapshot,
     * even while others append or archive. */
    struct audit_boundary b;
    bool reading = db_begin_read(db) == 0;
    rc = audit_boundary(db, &b);
    if (rc < 0)
        goto done;
    if (b.last_id > 0) {
        expect_id = b.last_id + 1;
        memcpy(prev, b.hash, sizeof prev);
        snprintf(prev_mac, sizeof prev_mac, "%s", b.mac);
    }
    rc = db_prepare(db, &st,
                    "SELECT id, at, actor, action, entity, entity_id, before, after, client,"
                    " prev_hash, hash, mac FROM audit ORDER BY id");
    if (rc < 0)
        goto done;
    while ((rc = db_step(&st)) == DB_ROW) {
        checked++;
        struct audit_row r = {
            .id = db_col_int64(&st, 0),
            .at = db_col_text(&st, 1),
            .actor = db_col_text(&st, 2),
            .action = db_col_text(&st, 3),
            .entity = db_col_text(&st, 4),
            .entity_id = db_col_is_null(&st, 5) ? 0 : db_col_int64(&st, 5),
            .before = db_col_text(&st, 6),
            .after = db_col_text(&st, 7),
            .client = db_col_text(&st, 8),
            .prev_hash = db_col_text(&st, 9),
        };
        const char *stored = db_col_text(&st, 10);
        if (r.id != expect_id) {
            reason = r.id > expect_id ? "rows are missing before this one (gap in ids)"
                                      : "unexpected row id";
        } else if (!r.prev_hash || strcmp(r.prev_hash, prev) != 0) {
            reason = "prev_hash does not match the previous row's hash";
        } else {
            audit_row_hash(&r, hash);
            if (!stored || strcmp(stored, hash) != 0)
                reason = "hash does not match the row's content";
        }
        const char *stored_mac = db_col_text(&st, 11);
        if (!reason && have_key && r.id >= use_key.from) {
            if (!stored_mac)
                reason = "the row has no MAC: it was written without the key, or forged";
            else if (!audit_row_mac(&use_key, r.id, stored,
                                    r.id == use_key.from ? "" : prev_mac, mac) ||
                     strcmp(mac, stored_mac) != 0)
                reason = "the MAC does not match: the row, or the chain before it, was changed "
                         "by someone without the key";
        }
        if (reason) {
            bad = r.id;
            rc = 1;
            goto done;
        }
        memcpy(prev, stored, sizeof prev);
        snprintf(prev_mac, sizeof prev_mac, "%s", stored_mac ? stored_mac : "");
        expect_id++;
    }
    if (rc == DB_DONE)
        rc = 0;
    if (rc == 0 && have_key && expect_id <= use_key.from) {
        bad = use_key.from;
        reason = "the row that installed the key is missing: the log was cut short";
        rc = 1;
    }
    if (rc == 0 && b.last_id > 0 && !archive_vouched(db, &b)) {
        bad = b.last_id + 1;
        reason = "the archive record (rows up to the boundary removed) is vouched for by no "
                 "audit.archive row of the log: it was forged (restore the database from a "
                 "backup, see docs/audit-archive.md)";
        rc = 1;
    }
    if (rc == 0)
        rc = check_anchors(db, expect_id - 1, b.last_id, &bad, &reason);
done:
    db_finalize(&st);
    if (reading)
        db_end_read(db);
    if (rc < 0)
        reason = "the audit log could not be read";
    if (first_bad_id)
        *first_bad_id = bad;
    if (rows_checked)
        *rows_checked = checked;
    if (why)
        *why = reason;
    return rc;
}

/* ---- keys and anchors ------------------------------------------------------------------- */

int audit_key_read(const char *path, struct audit_key *out, const char **why)
{
    memset(out, 0, sizeof *out);
    struct stat sb;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        *why = "the key file cannot be read";
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (sb.st_mode & 077) {
        close(fd);
        *why = "the key file may be read by others than its owner (chmod 600 it)";
        return -1;
    }
    char text[256];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    char alg[16], hex[80];
    long long from;
    if (n <= 0 || (text[n] = 0, sscanf(text, "duikou-audit-key v1 %15s %lld %79s", alg, &from,
                                       hex) != 3) ||
        !hmac_known(alg) || from < 1 || strlen(hex) != 2 * sizeof out->key ||
        sodium_hex2bin(out->key, sizeof out->key, hex, strlen(hex), NULL, NULL, NULL) != 0) {
        sodium_memzero(text, sizeof text);
        *why = "this is not a Duikou audit key file";
        return -1;
    }
    sodium_memzero(text, sizeof text);
    sodium_memzero(hex, sizeof hex);
    snprintf(out->alg, sizeof out->alg, "%s", alg);
    out->from = from;
    return 0;
}

int audit_key_fits(struct db *db, const struct audit_key *k)
{
    struct stmt st;
    int rc = db_prepare(db, &st, "SELECT mac FROM audit WHERE id = :id");
    if (rc == 0) {
        db_bind_int64(&st, ":id", k->from);
        rc = db_step(&st);
    }
    int fits = rc == DB_ROW ? !db_col_is_null(&st, 0) : rc == DB_DONE ? 0 : rc;
    db_finalize(&st);
    struct audit_boundary b;
    if (fits != 0 || audit_boundary(db, &b) < 0 || k->from > b.last_id || !b.mac[0])
        return fits;
    /* its row was archived: the key must MAC the first live row after the boundary */
    db_prepare(db, &st, "SELECT id, hash, mac FROM audit WHERE id = :id");
    db_bind_int64(&st, ":id", b.last_id + 1);
    char mac[MAC_HEX_LEN + 1];
    if (db_step(&st) == DB_ROW && !db_col_is_null(&st, 2) &&
        audit_row_mac(k, db_col_int64(&st, 0), db_col_text(&st, 1), b.mac, mac))
        fits = strcmp(mac, db_col_text(&st, 2)) == 0;
    db_finalize(&st);
    return fits;
}

int audit_is_keyed(struct db *db)
{
    struct stmt st;
    int rc = db_prepare(db, &st, "SELECT mac FROM audit ORDER BY id DESC LIMIT 1");
    if (rc == 0)
        rc = db_step(&st);
    int keyed = rc == DB_ROW ? !db_col_is_null(&st, 0) : rc == DB_DONE ? 0 : rc;
    db_finalize(&st);
    return keyed;
}

int audit_key_create(struct db *db, const char *path, const char *alg, const char *actor,
                     struct audit_key *out, const char **why)
{
    memset(out, 0, sizeof *out);
    if (!hmac_known(alg)) {
        *why = "the algorithm is hmac-sha256 or hmac-sm3";
        return -1;
    }
    const char *broken = NULL;
    if (audit_verify(db, NULL, NULL, &broken) != 0) {
        *why = "the audit log does not verify: a key would vouch for a broken chain";
        return -1;
    }
    if (audit_is_keyed(db) != 0) {
        *why = "the audit log is keyed already";
        return -1;
    }
    if (db_begin(db) < 0) {
        *why = "the database is busy";
        return -1;
    }
    struct stmt st;
    db_prepare(db, &st, "SELECT coalesce(max(id), 0) FROM audit");
    int64_t from = db_step(&st) == DB_ROW ? db_col_int64(&st, 0) + 1 : 0;
    db_finalize(&st);
    snprintf(out->alg, sizeof out->alg, "%s", alg);
    out->from = from;
    randombytes_buf(out->key, sizeof out->key);
    char hex[2 * sizeof out->key + 1], text[256];
    sodium_bin2hex(hex, sizeof hex, out->key, sizeof out->key);
    int n = snprintf(text, sizeof text, "duikou-audit-key v1 %s %" PRId64 " %s\n", alg, from, hex);
    sodium_memzero(hex, sizeof hex);
    int fd = from ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
    bool written = fd >= 0 && write(fd, text, (size_t)n) == n && fsync(fd) == 0;
    sodium_memzero(text, sizeof text);
    if (fd >= 0)
        close(fd);
    if (!written) {
        db_rollback(db);
        *why = fd < 0 && errno == EEXIST ? "a key file is there already (never overwritten)"
                                         : "the key file cannot be written";
        if (fd >= 0)
            unlink(path);
        return -1;
    }
    struct audit_key saved = use_key;
    bool had = have_key;
    audit_use_key(out);
    char after[96];
    snprintf(after, sizeof after, "{\"alg\":\"%s\",\"from\":%" PRId64 "}", alg, from);
    if (audit_append(db, actor, "audit.key", "audit", 0, NULL, after, NULL) < 0 ||
        db_commit(db) < 0) {
        db_rollback(db);
        unlink(path);
        audit_use_key(had ? &saved : NULL);
        *why = "the key's row could not be stored";
        return -1;
    }
    return 0;
}

int audit_anchor(struct db *db)
{
    if (!have_key || !anchors_path[0])
        return 0;
    if (anchored < 0) {
        anchored = 0;
        FILE *f = fopen(anchors_path, "r");
        char line[512];
        long long id;
        while (f && fgets(line, sizeof line, f))
            if (sscanf(line, "duikou-audit-anchor v1 %lld", &id) == 1)
                anchored = id;
        if (f)
            fclose(f);
    }
    struct stmt st;
    int rc = db_prepare(db, &st,
                        "SELECT id, hash, coalesce(mac, '-') FROM audit ORDER BY id DESC LIMIT 1");
    if (rc == 0)
        rc = db_step(&st);
    char line[256];
    int64_t id = 0;
    if (rc == DB_ROW) {
        id = db_col_int64(&st, 0);
        char at[25];
        clock_format(clock_now_ms(), at);
        snprintf(line, sizeof line, "duikou-audit-anchor v1 %" PRId64 " %s %s %s\n", id,
                 db_col_text(&st, 1), db_col_text(&st, 2), at);
    }
    db_finalize(&st);
    if (rc != DB_ROW || id == anchored)
        return rc < 0 && rc != DB_DONE ? -1 : 0;
    /* The head may be committed and not yet synced (group commit): an anchor that outlived
     * its row in a power loss would read as a log cut short. */
    if (db_sync(db) < 0) {
        log_error("audit: no anchor: the log's head could not be synced");
        return -1;
    }
    int fd = open(anchors_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    size_t len = strlen(line);
    bool ok = fd >= 0 && write(fd, line, len) == (ssize_t)len && fsync(fd) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok) {
        log_error("audit: the anchor could not be written to %s", anchors_path);
        return -1;
    }
    anchored = id;
    return 0;
}
