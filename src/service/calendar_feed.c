/* calendar_feed: personal calendar addresses (service/calendar_feed.h). */
#include "service/calendar_feed.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"
#include "core/mem.h"
#include "service/internal.h"
#include "service/perm.h"
#include "service/user.h"
#include "store/audit.h"
#include "store/db.h"

enum { FEED_RANDOM_BYTES = 32 };

/* A new token: the prefix and 32 random bytes as unpadded base64url (URL-safe as it is). */
static const char *feed_token(struct ctx *c)
{
    unsigned char raw[FEED_RANDOM_BYTES];
    char b64[sodium_base64_ENCODED_LEN(FEED_RANDOM_BYTES,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    if (sodium_init() < 0) {
        log_error("calendar_feed: libsodium cannot be initialised");
        abort();
    }
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return arena_printf(c->arena, "%s%s", CALENDAR_TOKEN_PREFIX, b64);
}

static const char *feed_json(struct ctx *c, int64_t user_id, const char *revoked_at)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "user_id", user_id);
    if (revoked_at)
        jw_kstr(w, "revoked_at", revoked_at);
    else
        jw_knull(w, "revoked_at");
    return svc_json_end(c, &j);
}

int calendar_feed_create(struct ctx *c, const char **token, int64_t *id)
{
    *token = NULL;
    int rc = perm_role_at_least(c, ROLE_MEMBER);
    if (rc != SVC_OK)
        return rc;
    int64_t user_id = c->user->id;
    const char *t = feed_token(c);
    char hash[SHA256_HEX_LEN + 1];
    sha256_hex(t, strlen(t), hash);
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "calendar_feed", "starting the transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT count(*) FROM calendar_feed WHERE user_id = :u AND revoked_at IS NULL");
    db_bind_int64(&st, ":u", user_id);
    int s = db_step(&st);
    int64_t live = s == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    if (s < 0) {
        rc = svc_store_failed(c, "calendar_feed", "counting the feeds");
        goto done;
    }
    if (live >= CALENDAR_FEEDS_MAX) {
        rc = svc_fail(c, SVC_CONFLICT, "err_calendar_feeds_max", NULL,
                      "at most %d calendar feeds at once: revoke one first", CALENDAR_FEEDS_MAX);
        goto done;
    }
    db_prepare(c->db, &st,
               "INSERT INTO calendar_feed (user_id, token_hash, created_at) VALUES (:u, :h, :now)");
    db_bind_int64(&st, ":u", user_id);
    db_bind_text(&st, ":h", hash);
    db_bind_text(&st, ":now", svc_now(c));
    s = db_step(&st);
    db_finalize(&st);
    int64_t new_id = db_last_insert_id(c->db);
    if (s < 0 ||
        audit_append(c->db, c->actor, "calendar_feed.create", "calendar_feed", new_id, NULL,
                     feed_json(c, user_id, NULL), c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "calendar_feed", "storing the feed");
        goto done;
    }
    *token = t;
    if (id)
        *id = new_id;
    return SVC_OK;
done:
    db_rollback(c->db);
    return rc;
}

int calendar_feed_revoke(struct ctx *c, int64_t id)
{
    int rc = perm_role_at_least(c, ROLE_MEMBER);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "calendar_feed", "starting the transaction");
    struct stmt st;
    db_prepare(c->db, &st, "SELECT revoked_at FROM calendar_feed WHERE id = :id AND user_id = :u");
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":u", c->user->id);
    int s = db_step(&st);
    bool revoked = s == DB_ROW && !db_col_is_null(&st, 0);
    db_finalize(&st);
    if (s < 0) {
        rc = svc_store_failed(c, "calendar_feed", "reading the feed");
        goto done;
    }
    /* another's feed is not found either: its id tells nothing */
    if (s != DB_ROW) {
        rc = svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no calendar feed %lld of yours",
                      (long long)id);
        goto done;
    }
    if (revoked)
        goto done;
    const char *now = svc_now(c);
    db_prepare(c->db, &st, "UPDATE calendar_feed SET revoked_at = :now WHERE id = :id");
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":id", id);
    s = db_step(&st);
    db_finalize(&st);
    if (s < 0 ||
        audit_append(c->db, c->actor, "calendar_feed.revoke", "calendar_feed", id,
                     feed_json(c, c->user->id, NULL), feed_json(c, c->user->id, now),
                     c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = svc_store_failed(c, "calendar_feed", "revoking the feed");
done:
    db_rollback(c->db);
    return rc;
}

int calendar_feed_list(struct ctx *c, struct calendar_feed_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = perm_role_at_least(c, ROLE_MEMBER);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    int s;
    /* a user holds a handful: CALENDAR_FEEDS_MAX live and the revoked ones, bounded anyway */
    db_prepare(c->db, &st,
               "SELECT id, user_id, created_at, revoked_at FROM calendar_feed WHERE user_id = :u "
               "ORDER BY id DESC LIMIT 100");
    db_bind_int64(&st, ":u", c->user->id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct calendar_feed_view *v = ARRAY_PUSH(c->arena, *out, *n, cap);
        v->id = db_col_int64(&st, 0);
        v->user_id = db_col_int64(&st, 1);
        v->created_at = svc_col(c, &st, 2);
        v->revoked_at = svc_col(c, &st, 3);
    }
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "calendar_feed", "listing the feeds") : SVC_OK;
}

int calendar_feed_user(struct ctx *c, const char *token, struct user *out)
{
    memset(out, 0, sizeof *out);
    size_t len = token ? strlen(token) : 0;
    if (len == 0 || len > CALENDAR_TOKEN_MAX ||
        strncmp(token, CALENDAR_TOKEN_PREFIX, strlen(CALENDAR_TOKEN_PREFIX)) != 0)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "not a calendar token");
    char hash[SHA256_HEX_LEN + 1];
    sha256_hex(token, len, hash);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT f.user_id FROM calendar_feed f JOIN users u ON u.id = f.user_id "
               "WHERE f.token_hash = :h AND f.revoked_at IS NULL AND u.disabled = 0");
    db_bind_text(&st, ":h", hash);
    int s = db_step(&st);
    int64_t user_id = s == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "calendar_feed", "looking the feed up");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL,
                        "no live calendar feed has that token");
    return user_load(c, user_id, out);
}
