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
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/hash.h"
#include "core/log.h"
#include "store/db.h"

static const char ZERO_HASH[SHA256_HEX_LEN + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct audit_row {
    int64_t id;
    const char *at, *actor, *action, *entity;
    int64_t entity_id; /* 0: NULL */
    const char *before, *after, *client;
    const char *prev_hash;
};

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

static void row_hash(const struct audit_row *r, char out[SHA256_HEX_LEN + 1])
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

    memcpy(prev, ZERO_HASH, sizeof prev);
    rc = db_prepare(db, &st, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
    if (rc == 0)
        rc = db_step(&st);
    if (rc == DB_ROW) {
        const char *h = db_col_text(&st, 1);
        last_id = db_col_int64(&st, 0);
        if (!h || strlen(h) != SHA256_HEX_LEN) {
            log_error("audit: last row %" PRId64 " has no valid hash", last_id);
            rc = DB_ERROR;
        } else {
            memcpy(prev, h, sizeof prev);
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
    row_hash(&r, hash);

    rc = db_prepare(db, &st,
                    "INSERT INTO audit (id, at, actor, action, entity, entity_id, before, after,"
                    " client, prev_hash, hash) VALUES (:id, :at, :actor, :action, :entity,"
                    " :entity_id, :before, :after, :client, :prev_hash, :hash)");
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
    rc = db_step(&st);
    if (rc == DB_DONE)
        rc = 0;
    else if (rc >= 0)
        rc = DB_ERROR;
done:
    db_finalize(&st);
    return rc;
}

int audit_verify(struct db *db, int64_t *first_bad_id, int64_t *rows_checked, const char **why)
{
    struct stmt st;
    int rc;
    int64_t checked = 0, bad = 0, expect_id = 1;
    const char *reason = NULL;
    char prev[SHA256_HEX_LEN + 1], hash[SHA256_HEX_LEN + 1];

    memcpy(prev, ZERO_HASH, sizeof prev);
    /* One statement reads one consistent snapshot, even while others append. */
    rc = db_prepare(db, &st,
                    "SELECT id, at, actor, action, entity, entity_id, before, after, client,"
                    " prev_hash, hash FROM audit ORDER BY id");
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
            row_hash(&r, hash);
            if (!stored || strcmp(stored, hash) != 0)
                reason = "hash does not match the row's content";
        }
        if (reason) {
            bad = r.id;
            rc = 1;
            goto done;
        }
        memcpy(prev, stored, sizeof prev);
        expect_id++;
    }
    if (rc == DB_DONE)
        rc = 0;
done:
    db_finalize(&st);
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
