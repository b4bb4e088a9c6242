/* notice: the rules of 通知公告 (service/notice.h says who may do what). Each write reads the
 * notice, checks permission and state, and writes it with its audit row in one transaction;
 * the UPDATE names the updated_at it read, so a change made in between is refused, never
 * overwritten from an older copy. */
#include "service/notice.h"

#include <stdbool.h>
#include <string.h>

#include "core/mem.h"
#include "service/internal.h"
#include "service/perm.h"
#include "store/audit.h"
#include "store/db.h"

#define NOTICE_COLUMNS                                                                        \
    "SELECT n.id, coalesce(n.pairing_id, 0), p.name_a, p.name_b, n.title, n.body, n.status, " \
    "n.published_at, u.login, n.created_at, n.updated_at "                                    \
    "FROM notice n LEFT JOIN pairing p ON p.id = n.pairing_id "                               \
    "LEFT JOIN users u ON u.id = n.created_by "

static void notice_row(struct ctx *c, struct stmt *st, struct notice_view *v)
{
    v->id = db_col_int64(st, 0);
    v->pairing_id = db_col_int64(st, 1);
    v->name_a = svc_col(c, st, 2);
    v->name_b = svc_col(c, st, 3);
    v->title = svc_col(c, st, 4);
    v->body = svc_col(c, st, 5);
    v->status = svc_col(c, st, 6);
    v->published_at = svc_col(c, st, 7);
    v->created_by = svc_col(c, st, 8);
    v->created_at = svc_col(c, st, 9);
    v->updated_at = svc_col(c, st, 10);
}

/* Reads a notice without a permission check: SVC_OK, SVC_NOT_FOUND or SVC_ERROR. */
static int notice_read(struct ctx *c, int64_t id, struct notice_view *out)
{
    struct stmt st;
    memset(out, 0, sizeof *out);
    db_prepare(c->db, &st, NOTICE_COLUMNS "WHERE n.id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW)
        notice_row(c, &st, out);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "notice", "reading the notice");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no notice %lld",
                        (long long)id);
    return SVC_OK;
}

bool notice_may_manage(const struct ctx *c)
{
    return perm_is_admin_user(c) || c->user->role == ROLE_COORDINATOR;
}

bool notice_may_write(struct ctx *c, const struct notice_view *v)
{
    if (perm_is_admin_user(c))
        return true;
    return c->user->role == ROLE_COORDINATOR && v->pairing_id > 0 &&
           v->pairing_id == c->user->pairing_id;
}

/* The audit row's JSON of a notice: what a reader of the log needs to see what changed. */
static const char *notice_json(struct ctx *c, const struct notice_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j); /* opens the object; svc_json_end closes it */
    if (v->pairing_id)
        jw_kint(w, "pairing_id", v->pairing_id);
    else
        jw_knull(w, "pairing_id");
    jw_kstr(w, "title", v->title);
    jw_kstr(w, "body", v->body);
    jw_kstr(w, "status", v->status);
    if (v->published_at)
        jw_kstr(w, "published_at", v->published_at);
    return svc_json_end(c, &j);
}

/* s with CR LF and lone CR as LF: a form sends CR LF, the API usually LF; stored alike, an
 * edit that changes nothing is seen as none. Arena string. */
static const char *one_newline(struct ctx *c, const char *s)
{
    if (!strchr(s, '\r'))
        return s;
    char *out = arena_strdup(c->arena, s), *o = out;
    for (const char *p = s; *p; p++) {
        if (*p == '\r') {
            *o++ = '\n';
            if (p[1] == '\n')
                p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* Title and body checked and normalised into v (NULL inputs keep v's, unless required). */
static int check_input(struct ctx *c, const struct notice_input *in, bool required,
                       struct notice_view *v)
{
    const char *s;
    int rc;
    if (required || in->title) {
        rc = svc_check_text(c, in->title, true, "err_required", NOTICE_TITLE_MAX, "title", &s);
        if (rc != SVC_OK)
            return rc;
        if (strpbrk(s, "\r\n\t"))
            return svc_fail(c, SVC_INVALID, "err_invalid", "title",
                            "a title is one line");
        v->title = s;
    }
    if (required || in->body) {
        rc = svc_check_text(c, in->body, true, "err_required", NOTICE_BODY_MAX, "body", &s);
        if (rc != SVC_OK)
            return rc;
        v->body = one_newline(c, s);
    }
    return SVC_OK;
}

/* The pairing a new notice is for: *out 0 for every pairing (admins only). */
static int create_pairing(struct ctx *c, int64_t asked, int64_t *out)
{
    *out = 0;
    if (!notice_may_manage(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only coordinators and admins write notices");
    if (asked < 0)
        return svc_fail(c, SVC_INVALID, "err_range", "pairing_id", "pairing_id is positive");
    if (asked == 0) {
        *out = perm_is_admin_user(c) ? 0 : c->user->pairing_id;
        return SVC_OK;
    }
    int64_t root = perm_pairing_root(c, asked);
    if (!perm_is_admin_user(c) && root != c->user->pairing_id)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", "pairing_id",
                        "notices of another pairing");
    if (!root)
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing_id",
                        "there is no pairing %lld", (long long)asked);
    *out = root;
    return SVC_OK;
}

int notice_create(struct ctx *c, const struct notice_input *in, int64_t *id)
{
    struct notice_view v = {.status = "draft"};
    int rc = create_pairing(c, in->pairing_id, &v.pairing_id);
    if (rc != SVC_OK || (rc = check_input(c, in, true, &v)) != SVC_OK)
        return rc;
    const char *now = svc_now(c);
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "notice", "starting the transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO notice (pairing_id, title, body, status, created_by, created_at, "
               "updated_at) VALUES (:p, :title, :body, 'draft', :by, :now, :now)");
    svc_bind_opt_id(&st, ":p", v.pairing_id);
    db_bind_text(&st, ":title", v.title);
    db_bind_text(&st, ":body", v.body);
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    int64_t new_id = db_last_insert_id(c->db);
    if (s < 0 ||
        audit_append(c->db, c->actor, "notice.create", "notice", new_id, NULL,
                     notice_json(c, &v), c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "notice", "storing the notice");
        db_rollback(c->db);
        return rc;
    }
    if (id)
        *id = new_id;
    return SVC_OK;
}

/* Opens the transaction of a write on notice id and reads it into *old, checking that c may
 * write it and that it is the version the writer saw. On failure the transaction is rolled
 * back. A notice c may not even read answers SVC_NOT_FOUND (drafts leak nothing); one it
 * may read but not write, SVC_FORBIDDEN. */
static int write_begin(struct ctx *c, int64_t id, const char *if_updated_at,
                       struct notice_view *old)
{
    if (!notice_may_manage(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only coordinators and admins write notices");
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "notice", "starting the transaction");
    int rc = notice_read(c, id, old);
    if (rc == SVC_OK && !notice_may_write(c, old))
        rc = strcmp(old->status, "published") == 0
                 ? svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "another pairing's notice")
                 : svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no notice %lld",
                            (long long)id);
    if (rc == SVC_OK && if_updated_at && strcmp(if_updated_at, old->updated_at) != 0)
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "notice %lld changed meanwhile",
                      (long long)id);
    if (rc != SVC_OK)
        db_rollback(c->db);
    return rc;
}

/* Writes v over the stored row old (guarded by old's updated_at) with its audit row, and
 * commits. The transaction is open (write_begin). */
static int write_end(struct ctx *c, const char *action, const struct notice_view *old,
                     struct notice_view *v)
{
    v->updated_at = svc_now_after(c, old->updated_at);
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE notice SET title = :title, body = :body, status = :status, "
               "published_at = :pub, updated_at = :now WHERE id = :id AND updated_at = :seen");
    db_bind_text(&st, ":title", v->title);
    db_bind_text(&st, ":body", v->body);
    db_bind_text(&st, ":status", v->status);
    db_bind_text(&st, ":pub", v->published_at);
    db_bind_text(&st, ":now", v->updated_at);
    db_bind_int64(&st, ":id", old->id);
    db_bind_text(&st, ":seen", old->updated_at);
    int s = db_step(&st);
    db_finalize(&st);
    int rc = SVC_OK;
    if (s >= 0 && db_changes(c->db) == 0) /* cannot happen under the write lock; if it did */
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "notice %lld changed meanwhile",
                      (long long)old->id);
    else if (s < 0 ||
             audit_append(c->db, c->actor, action, "notice", old->id, notice_json(c, old),
                          notice_json(c, v), c->client) < 0 ||
             db_commit(c->db) < 0)
        rc = svc_store_failed(c, "notice", "updating the notice");
    db_rollback(c->db); /* a no-op after the commit */
    return rc;
}

int notice_edit(struct ctx *c, int64_t id, const struct notice_input *in)
{
    struct notice_view old, v;
    int rc = write_begin(c, id, in->if_updated_at, &old);
    if (rc != SVC_OK)
        return rc;
    v = old;
    if ((rc = check_input(c, in, false, &v)) != SVC_OK) {
        db_rollback(c->db);
        return rc;
    }
    if (strcmp(v.title, old.title) == 0 && strcmp(v.body, old.body) == 0) {
        db_rollback(c->db); /* nothing changes: no write, no audit row */
        return SVC_OK;
    }
    return write_end(c, "notice.update", &old, &v);
}

/* A change of state: from from1 (or from2, when not NULL) to `to`. */
static int change_state(struct ctx *c, int64_t id, const char *if_updated_at, const char *from1,
                        const char *from2, const char *to, const char *action)
{
    struct notice_view old, v;
    int rc = write_begin(c, id, if_updated_at, &old);
    if (rc != SVC_OK)
        return rc;
    if (strcmp(old.status, from1) != 0 && (!from2 || strcmp(old.status, from2) != 0)) {
        db_rollback(c->db);
        return svc_fail(c, SVC_CONFLICT, "err_notice_state", NULL, "notice %lld is %s",
                        (long long)id, old.status);
    }
    v = old;
    v.status = to;
    if (strcmp(to, "published") == 0)
        v.published_at = svc_now(c);
    return write_end(c, action, &old, &v);
}

int notice_publish(struct ctx *c, int64_t id, const char *if_updated_at)
{
    return change_state(c, id, if_updated_at, "draft", "withdrawn", "published",
                        "notice.publish");
}

int notice_withdraw(struct ctx *c, int64_t id, const char *if_updated_at)
{
    return change_state(c, id, if_updated_at, "published", NULL, "withdrawn", "notice.withdraw");
}

int notice_get(struct ctx *c, int64_t id, struct notice_view *out)
{
    int rc = notice_read(c, id, out);
    if (rc != SVC_OK)
        return rc;
    if (strcmp(out->status, "published") == 0 || notice_may_write(c, out))
        return SVC_OK;
    return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no notice %lld",
                    (long long)id);
}

int notice_get_published(struct ctx *c, int64_t id, struct notice_view *out)
{
    int rc = notice_read(c, id, out);
    if (rc != SVC_OK || strcmp(out->status, "published") == 0)
        return rc;
    return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no notice %lld",
                    (long long)id);
}

/* Runs a prepared list query (bound but for :limit) into an arena array of at most limit
 * rows, with the keyset cursor of the next page. */
static int list_rows(struct ctx *c, struct stmt *st, int limit, struct notice_view **out,
                     size_t *n, int64_t *next_after)
{
    db_bind_int64(st, ":limit", limit + 1);
    struct notice_view *v = arena_alloc(c->arena, sizeof *v * (size_t)(limit + 1));
    size_t k = 0;
    int s;
    while ((s = db_step(st)) == DB_ROW && k < (size_t)limit + 1)
        notice_row(c, st, &v[k++]);
    db_finalize(st);
    if (s < 0)
        return svc_store_failed(c, "notice", "listing the notices");
    *next_after = k > (size_t)limit ? v[limit - 1].id : 0;
    *n = k > (size_t)limit ? (size_t)limit : k;
    *out = v;
    return SVC_OK;
}

int notice_list_published(struct ctx *c, int64_t after, int limit, struct notice_view **out,
                          size_t *n, int64_t *next_after)
{
    int rc = svc_check_limit(c, &limit, NOTICE_PAGE_DEFAULT, NOTICE_PAGE_MAX);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    /* The cursor is the last notice shown; the page goes on below its (published_at, id). A
     * cursor that is no longer published still marks a place in that order. */
    db_prepare(c->db, &st,
               NOTICE_COLUMNS
               "WHERE n.status = 'published' AND (:after = 0 OR n.published_at < "
               "(SELECT published_at FROM notice WHERE id = :after) OR (n.published_at = "
               "(SELECT published_at FROM notice WHERE id = :after) AND n.id < :after)) "
               "ORDER BY n.published_at DESC, n.id DESC LIMIT :limit");
    db_bind_int64(&st, ":after", after);
    return list_rows(c, &st, limit, out, n, next_after);
}

int notice_list_managed(struct ctx *c, int64_t after, int limit, struct notice_view **out,
                        size_t *n, int64_t *next_after)
{
    if (!notice_may_manage(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only coordinators and admins manage notices");
    int rc = svc_check_limit(c, &limit, NOTICE_PAGE_DEFAULT, NOTICE_PAGE_MAX);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st,
               NOTICE_COLUMNS "WHERE (:all = 1 OR n.pairing_id = :p) AND (:after = 0 OR n.id < "
                              ":after) ORDER BY n.id DESC LIMIT :limit");
    db_bind_int64(&st, ":all", perm_is_admin_user(c));
    db_bind_int64(&st, ":p", c->user ? c->user->pairing_id : 0);
    db_bind_int64(&st, ":after", after);
    return list_rows(c, &st, limit, out, n, next_after);
}
