/* attachment: the rules of 附件 (service/attachment.h). The bytes are stored (and synced)
 * before the row naming them is committed, so a committed row always has its file. */
#include "service/attachment.h"

#include <strings.h>
#include <string.h>

#include "core/filetype.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "service/evaluation.h"
#include "service/event.h"
#include "service/internal.h"
#include "service/perm.h"
#include "service/project.h"
#include "service/report.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/files.h"

struct attachment_policy attachment_policy;

enum { FILENAME_MAX_BYTES = 200 };

static const char *const accepted[] = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/tiff",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
};

static bool type_accepted(const char *type)
{
    for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++)
        if (strcmp(type, accepted[i]) == 0)
            return true;
    return attachment_policy.allow_zip && strcmp(type, "application/zip") == 0;
}

/* The declared type without parameters, lower case, with the common aliases folded. */
static const char *declared(struct ctx *c, const char *t)
{
    if (!t)
        return NULL;
    size_t n = strcspn(t, "; \t");
    char *s = arena_strndup(c->arena, t, n);
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    if (!*s || strcmp(s, "application/octet-stream") == 0)
        return NULL; /* a client that does not know says nothing */
    if (strcmp(s, "image/jpg") == 0 || strcmp(s, "image/pjpeg") == 0)
        return "image/jpeg";
    if (strcmp(s, "application/x-pdf") == 0)
        return "application/pdf";
    if (strcmp(s, "application/x-zip-compressed") == 0)
        return "application/zip";
    return s;
}

/* The base name as typed, without a path, control characters or more than 200 bytes. */
static const char *clean_name(struct ctx *c, const char *name)
{
    if (!name || !*name || !utf8_valid(name, strlen(name), NULL))
        return "file";
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    struct sb b = SB_INIT;
    for (const char *p = base; *p && b.len < FILENAME_MAX_BYTES; p++)
        if ((unsigned char)*p >= 0x20 && *p != 0x7f && *p != '"')
            sb_appendc(&b, *p);
    /* do not cut a character in half */
    size_t len = b.len;
    while (len && !utf8_valid(sb_str(&b), len, NULL))
        len--;
    const char *out = len ? arena_strndup(c->arena, sb_str(&b), len) : "file";
    sb_free(&b);
    return out;
}

/* Whether c may add files to (write) or read the object; its pairing into *pairing. */
static int object_access(struct ctx *c, const char *object, int64_t id, bool write,
                         int64_t *pairing)
{
    int rc;
    if (strcmp(object, "project") == 0 || strcmp(object, "project_update") == 0) {
        int64_t project = id;
        struct project_update_view u = {0};
        bool update = strcmp(object, "project_update") == 0;
        if (update) {
            if ((rc = project_update_get(c, id, &u)) != SVC_OK)
                return rc;
            project = u.project_id;
        }
        struct project_view p;
        if ((rc = project_get(c, project, &p)) != SVC_OK)
            return rc;
        *pairing = p.pairing_id;
        if (write && !project_may_post_update(c, &p))
            return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                            "only who takes part in a project adds its files");
        /* an update's files are its author's, and only while it awaits review: a reviewed
         * update does not change */
        if (write && update && !perm_is_admin_user(c) &&
            !(u.author && strcmp(u.author, c->user->login) == 0))
            return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                            "files go with one's own update");
        if (write && update && strcmp(u.state, "pending") != 0)
            return svc_fail(c, SVC_CONFLICT, "err_not_pending", NULL,
                            "the update was reviewed");
        return SVC_OK;
    }
    if (strcmp(object, "report") == 0) {
        struct report_view r;
        if ((rc = report_get(c, id, &r)) != SVC_OK)
            return rc;
        int64_t p = svc_item_pairing(c, r.work_item_id, false);
        if (p <= 0)
            return svc_store_failed(c, "attachment", "reading the report's pairing");
        *pairing = p;
        if (write && (rc = perm_member_of(c, r.unit_id)) != SVC_OK)
            return rc;
        /* a report's files go with it while it awaits review (a correction is a new report) */
        if (write && (r.decision || !r.latest))
            return svc_fail(c, SVC_CONFLICT, "err_not_pending", NULL,
                            "the report was reviewed or superseded");
        return SVC_OK;
    }
    if (strcmp(object, "evaluation_side") == 0) /* a self-evaluation's evidence */
        return evaluation_side_access(c, id, write, pairing);
    if (strcmp(object, "event") == 0) /* an event's minutes, signed lists, photos */
        return event_access(c, id, write, pairing);
    return svc_fail(c, SVC_INVALID, "err_attachment_object", "object",
                    "files belong to a project, a project_update, a report, an "
                    "evaluation_side or an event");
}

#define ATTACHMENT_COLUMNS                                                                   \
    "SELECT a.id, a.object_id, a.pairing_id, a.size, a.object, a.sha256, a.type, a.filename, " \
    "u.login, a.created_at FROM attachment a LEFT JOIN users u ON u.id = a.user_id "

static void row(struct ctx *c, struct stmt *st, struct attachment_view *v)
{
    v->id = db_col_int64(st, 0);
    v->object_id = db_col_int64(st, 1);
    v->pairing_id = db_col_int64(st, 2);
    v->size = db_col_int64(st, 3);
    v->object = svc_col(c, st, 4);
    v->sha256 = svc_col(c, st, 5);
    v->type = svc_col(c, st, 6);
    v->filename = svc_col(c, st, 7);
    v->uploaded_by = svc_col(c, st, 8);
    v->created_at = svc_col(c, st, 9);
}

static int read_one(struct ctx *c, int64_t id, struct attachment_view *out)
{
    struct stmt st;
    memset(out, 0, sizeof *out);
    db_prepare(c->db, &st, ATTACHMENT_COLUMNS "WHERE a.id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW)
        row(c, &st, out);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "attachment", "reading the attachment");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no file %lld",
                        (long long)id);
    return SVC_OK;
}

static const char *view_json(struct ctx *c, const struct attachment_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kstr(w, "object", v->object);
    jw_kint(w, "object_id", v->object_id);
    jw_kstr(w, "sha256", v->sha256);
    jw_kint(w, "size", v->size);
    jw_kstr(w, "type", v->type);
    jw_kstr(w, "filename", v->filename);
    return svc_json_end(c, &j);
}

int attachment_check(struct ctx *c, const char *declared_type, const void *data, size_t len,
                     const char **type_out)
{
    size_t max = attachment_policy.max_bytes ? attachment_policy.max_bytes : 20u << 20;
    if (len == 0)
        return svc_fail(c, SVC_INVALID, "err_attachment_empty", "file", "the file is empty");
    if (len > max)
        return svc_fail(c, SVC_INVALID, "err_attachment_size", "file",
                        "the file is larger than %zu bytes", max);
    const char *type = filetype_of(c->arena, data, len);
    if (!type)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "libmagic is not available");
    if (!type_accepted(type))
        return svc_fail(c, SVC_INVALID, "err_attachment_type", "file",
                        "files of type %s are not accepted", type);
    const char *said = declared(c, declared_type);
    if (said && strcmp(said, type) != 0)
        return svc_fail(c, SVC_INVALID, "err_attachment_mismatch", "file",
                        "declared as %s, but the content is %s", said, type);
    if (type_out)
        *type_out = type;
    return SVC_OK;
}

int attachment_add(struct ctx *c, const char *object, int64_t object_id, const char *filename,
                   const char *declared_type, const void *data, size_t len,
                   struct attachment_view *out)
{
    int64_t pairing = 0;
    const char *type = NULL;
    int rc = object_access(c, object ? object : "", object_id, true, &pairing);
    if (rc != SVC_OK || (rc = attachment_check(c, declared_type, data, len, &type)) != SVC_OK)
        return rc;
    struct attachment_view v = {.object = object, .object_id = object_id, .pairing_id = pairing,
                                .size = (int64_t)len, .type = type,
                                .filename = clean_name(c, filename)};
    char hex[65];
    files_sha256(data, len, hex);
    v.sha256 = arena_strdup(c->arena, hex);
    /* the bytes first, synced: a row is never committed without its file */
    if (files_put(files_dir(c->db, c->arena), data, len, hex) != 0)
        return svc_fail(c, SVC_ERROR, "err_storage", NULL, "the file could not be stored");
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "attachment", "starting the transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO attachment (object, object_id, pairing_id, sha256, size, type, "
               "filename, user_id, created_at) VALUES (:o, :oid, :p, :sha, :size, :type, :name, "
               ":user, :now)");
    db_bind_text(&st, ":o", v.object);
    db_bind_int64(&st, ":oid", object_id);
    db_bind_int64(&st, ":p", pairing);
    db_bind_text(&st, ":sha", hex);
    db_bind_int64(&st, ":size", v.size);
    db_bind_text(&st, ":type", type);
    db_bind_text(&st, ":name", v.filename);
    svc_bind_opt_id(&st, ":user", c->user ? c->user->id : 0);
    db_bind_text(&st, ":now", svc_now(c));
    int s = db_step(&st);
    db_finalize(&st);
    v.id = db_last_insert_id(c->db);
    if (s < 0 ||
        audit_append(c->db, c->actor, "attachment.create", "attachment", v.id, NULL,
                     view_json(c, &v), c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "attachment", "storing the attachment");
        db_rollback(c->db);
        return rc;
    }
    if (out)
        return read_one(c, v.id, out);
    return SVC_OK;
}

int attachment_list(struct ctx *c, const char *object, int64_t object_id,
                    struct attachment_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t pairing;
    int rc = object_access(c, object ? object : "", object_id, false, &pairing);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st, ATTACHMENT_COLUMNS "WHERE a.object = :o AND a.object_id = :id "
                                              "ORDER BY a.id");
    db_bind_text(&st, ":o", object);
    db_bind_int64(&st, ":id", object_id);
    while ((s = db_step(&st)) == DB_ROW)
        row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "attachment", "listing attachments") : SVC_OK;
}

int attachment_download(struct ctx *c, int64_t id, struct attachment_view *out, char **data,
                        size_t *len)
{
    int64_t pairing;
    int rc = read_one(c, id, out);
    if (rc == SVC_OK)
        rc = object_access(c, out->object, out->object_id, false, &pairing);
    if (rc != SVC_OK)
        return rc;
    if (files_get(files_dir(c->db, c->arena), out->sha256, c->arena, data, len) != 0)
        return svc_fail(c, SVC_ERROR, "err_storage", NULL, "the file %s is missing",
                        out->sha256);
    /* who read which file: every download of a file that is not public is in the log */
    if (db_begin(c->db) < 0 ||
        audit_append(c->db, c->actor, "attachment.download", "attachment", id, NULL,
                     view_json(c, out), c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "attachment", "auditing the download");
        db_rollback(c->db);
    }
    return rc;
}

int attachment_copy(struct ctx *c, const char *object, int64_t from_id, int64_t to_id,
                    size_t *copied)
{
    int64_t pairing;
    int rc = object_access(c, object ? object : "", to_id, true, &pairing);
    struct attachment_view *v;
    size_t n = 0;
    if (rc == SVC_OK)
        rc = attachment_list(c, object, from_id, &v, &n);
    if (rc != SVC_OK || n == 0) {
        if (copied)
            *copied = 0;
        return rc;
    }
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "attachment", "starting the transaction");
    for (size_t i = 0; i < n && rc == SVC_OK; i++) {
        struct stmt st;
        db_prepare(c->db, &st,
                   "INSERT INTO attachment (object, object_id, pairing_id, sha256, size, type, "
                   "filename, user_id, created_at) SELECT object, :to, pairing_id, sha256, size, "
                   "type, filename, :user, :now FROM attachment WHERE id = :id");
        db_bind_int64(&st, ":to", to_id);
        svc_bind_opt_id(&st, ":user", c->user ? c->user->id : 0);
        db_bind_text(&st, ":now", svc_now(c));
        db_bind_int64(&st, ":id", v[i].id);
        int s = db_step(&st);
        db_finalize(&st);
        struct attachment_view copy = v[i];
        copy.object_id = to_id;
        if (s < 0 || audit_append(c->db, c->actor, "attachment.create", "attachment",
                                  db_last_insert_id(c->db), NULL, view_json(c, &copy),
                                  c->client) < 0)
            rc = svc_store_failed(c, "attachment", "keeping the files");
    }
    if (rc == SVC_OK && db_commit(c->db) < 0)
        rc = svc_store_failed(c, "attachment", "keeping the files");
    db_rollback(c->db);
    if (copied)
        *copied = rc == SVC_OK ? n : 0;
    return rc;
}
