/* plan_upload: upload, preview, confirm or cancel a plan file (see plan_upload.h). The file is
 * kept as base64 text until its admin confirms it. The import is run dry once, on the upload,
 * and what it said is kept with the file (column preview, JSON): showing the preview again is
 * a read, never a write. The confirmation runs the import for real against the data as it is
 * then (another import meanwhile makes "new" "unchanged" or "revised"). */
#include "service/plan_upload.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/clock.h"
#include "core/hash.h"
#include "core/mem.h"
#include "core/text.h"
#include "service/internal.h"
#include "service/perm.h"
#include "service/service.h"
#include "store/db.h"

static int own_admin(struct ctx *c)
{
    int rc = perm_is_admin(c);
    if (rc != SVC_OK)
        return rc;
    if (!c->user) /* the command line imports files directly (duikou import) */
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "uploads are for signed-in admins");
    return SVC_OK;
}

static bool same_text(struct ctx *c, const char *x, const char *y)
{
    if (!x || !y)
        return x == y;
    return strcmp(x, y) == 0 || strcmp(text_key(c->arena, x), text_key(c->arena, y)) == 0;
}

static void push_change(struct ctx *c, struct plan_upload_view *v, size_t *cap,
                        struct plan_upload_change ch)
{
    *(struct plan_upload_change *)ARRAY_PUSH(c->arena, v->changes, v->n_changes, *cap) = ch;
}

/* The tasks of revised plans set against the version they replace, by number. */
static int diff_revised(struct ctx *c, struct plan_upload_view *v)
{
    size_t cap = 0;
    for (size_t i = 0; i < v->n_results; i++) {
        if (!v->results[i].previous_id)
            continue;
        const struct plan_doc *d = &v->parsed.plans[i];
        struct plan_view old;
        int rc = plan_get(c, v->results[i].previous_id, &old);
        if (rc != SVC_OK)
            return rc;
        bool *seen = arena_alloc(c->arena, d->n_tasks + 1);
        for (size_t k = 0; k < old.n_tasks; k++) {
            const struct plan_task_view *o = &old.tasks[k];
            const struct plan_task *t = NULL;
            for (size_t j = 0; j < d->n_tasks && !t; j++)
                if (d->tasks[j].number == o->number) {
                    t = &d->tasks[j];
                    seen[j] = true;
                }
            if (!t)
                push_change(c, v, &cap,
                            (struct plan_upload_change){i, o->number, "removed", o->title,
                                                        o->body, NULL, NULL});
            else if (!same_text(c, o->title, t->title) || !same_text(c, o->body, t->body))
                push_change(c, v, &cap,
                            (struct plan_upload_change){i, o->number, "reworded", o->title,
                                                        o->body, t->title, t->body});
        }
        for (size_t j = 0; j < d->n_tasks; j++)
            if (!seen[j])
                push_change(c, v, &cap,
                            (struct plan_upload_change){i, d->tasks[j].number, "added", NULL,
                                                        NULL, d->tasks[j].title,
                                                        d->tasks[j].body});
    }
    return SVC_OK;
}

/* Parses the file and, when it could be imported, runs the import dry. */
static int preview(struct ctx *c, const void *data, size_t len, struct plan_upload_view *v)
{
    ingest_parse(c->arena, data, len, &v->parsed);
    if (!v->parsed.ok)
        return svc_fail(c, SVC_INVALID,
                        arena_printf(c->arena, "err_plan_file_%s",
                                     v->parsed.error_code ? v->parsed.error_code : "unreadable"),
                        "file", "%s", v->parsed.error ? v->parsed.error : "not a plan");
    if (ingest_has_errors(&v->parsed))
        return SVC_OK; /* the page lists the errors with their places; no confirmation */
    struct plan_import_options opt = {.dry_run = true};
    int rc = plan_import(c, &v->parsed, &opt, &v->results, &v->n_results);
    if (rc == SVC_INVALID) {
        /* The import's own refusals (an unknown region, a number twice) are in English. */
        v->refusal_code = "err_plan_upload_refused";
        v->refusal = c->error;
        v->results = NULL;
        v->n_results = 0;
        c->code = c->field = c->error = NULL;
        return SVC_OK;
    }
    if (rc != SVC_OK)
        return rc;
    return diff_revised(c, v);
}

/* What the dry run said (results, refusal, changes) as JSON, kept with the upload. */
static const char *preview_json(struct ctx *c, const struct plan_upload_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kstr(w, "refusal_code", v->refusal_code);
    jw_kstr(w, "refusal", v->refusal);
    jw_key(w, "results");
    if (v->results) {
        jw_arr(w);
        for (size_t i = 0; i < v->n_results; i++) {
            const struct plan_import_result *x = &v->results[i];
            jw_obj(w);
            jw_kstr(w, "title", x->title);
            jw_kstr(w, "status", x->status);
            jw_kint(w, "version", x->version);
            jw_kint(w, "previous_id", x->previous_id);
            jw_kint(w, "areas", x->areas);
            jw_kint(w, "tasks", x->tasks);
            jw_kint(w, "targets", x->targets);
            jw_kint(w, "pairings", x->pairings);
            jw_kint(w, "pairings_added", x->pairings_added);
            jw_kint(w, "assignments_carried", x->assignments_carried);
            jw_key(w, "changes");
            jw_arr(w);
            for (size_t k = 0; k < x->n_changes; k++)
                jw_str(w, x->changes[k]);
            jw_arr_end(w);
            jw_obj_end(w);
        }
        jw_arr_end(w);
    } else {
        jw_null(w);
    }
    jw_key(w, "changes");
    jw_arr(w);
    for (size_t i = 0; i < v->n_changes; i++) {
        const struct plan_upload_change *ch = &v->changes[i];
        jw_obj(w);
        jw_kint(w, "plan", (int64_t)ch->plan);
        jw_kint(w, "number", ch->number);
        jw_kstr(w, "kind", ch->kind);
        jw_kstr(w, "old_title", ch->old_title);
        jw_kstr(w, "old_body", ch->old_body);
        jw_kstr(w, "new_title", ch->new_title);
        jw_kstr(w, "new_body", ch->new_body);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    return svc_json_end(c, &j);
}

static const char *jstr(struct ctx *c, json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? arena_strdup(c->arena, s) : NULL;
}

static int jint(json_t *o, const char *key)
{
    return (int)json_integer_value(json_object_get(o, key));
}

/* The stored dry run back into v; an index past the parsed plans is a damaged row. */
static int read_preview(struct ctx *c, const char *text, struct plan_upload_view *v)
{
    json_t *root = json_loads(text, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "stored preview unreadable");
    }
    v->refusal_code = jstr(c, root, "refusal_code");
    v->refusal = jstr(c, root, "refusal");
    json_t *rs = json_object_get(root, "results"), *chs = json_object_get(root, "changes");
    bool ok = true;
    if (json_is_array(rs)) {
        v->n_results = json_array_size(rs);
        ok = v->n_results == v->parsed.n_plans;
        v->results = arena_alloc(c->arena, (v->n_results + 1) * sizeof *v->results);
        for (size_t i = 0; i < v->n_results; i++) {
            json_t *o = json_array_get(rs, i), *cl = json_object_get(o, "changes");
            struct plan_import_result *x = &v->results[i];
            x->title = jstr(c, o, "title");
            x->status = jstr(c, o, "status");
            x->version = jint(o, "version");
            x->previous_id = json_integer_value(json_object_get(o, "previous_id"));
            x->areas = jint(o, "areas");
            x->tasks = jint(o, "tasks");
            x->targets = jint(o, "targets");
            x->pairings = jint(o, "pairings");
            x->pairings_added = jint(o, "pairings_added");
            x->assignments_carried = jint(o, "assignments_carried");
            x->n_changes = json_array_size(cl);
            x->changes = arena_alloc(c->arena, (x->n_changes + 1) * sizeof *x->changes);
            for (size_t k = 0; k < x->n_changes; k++) {
                const char *t = json_string_value(json_array_get(cl, k));
                x->changes[k] = arena_strdup(c->arena, t ? t : "");
            }
            ok = ok && x->title && x->status;
        }
    }
    v->n_changes = json_array_size(chs);
    v->changes = arena_alloc(c->arena, (v->n_changes + 1) * sizeof *v->changes);
    for (size_t i = 0; i < v->n_changes; i++) {
        json_t *o = json_array_get(chs, i);
        struct plan_upload_change *ch = &v->changes[i];
        json_int_t plan = json_integer_value(json_object_get(o, "plan"));
        ch->plan = (size_t)plan;
        ch->number = jint(o, "number");
        ch->kind = jstr(c, o, "kind");
        ch->old_title = jstr(c, o, "old_title");
        ch->old_body = jstr(c, o, "old_body");
        ch->new_title = jstr(c, o, "new_title");
        ch->new_body = jstr(c, o, "new_body");
        ok = ok && plan >= 0 && (size_t)plan < v->parsed.n_plans && ch->kind;
    }
    json_decref(root);
    if (!ok)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "stored preview does not fit its file");
    return SVC_OK;
}

static int remove_expired(struct ctx *c)
{
    struct stmt st;
    db_prepare(c->db, &st, "DELETE FROM plan_upload WHERE expires_at <= :now");
    db_bind_text(&st, ":now", svc_now(c));
    int rc = db_step(&st);
    db_finalize(&st);
    return rc < 0 ? SVC_ERROR : SVC_OK;
}

int plan_upload_preview(struct ctx *c, const char *filename, const void *data, size_t len,
                        struct plan_upload_view *out)
{
    memset(out, 0, sizeof *out);
    int rc = own_admin(c);
    if (rc != SVC_OK)
        return rc;
    rc = preview(c, data, len, out);
    if (rc != SVC_OK)
        return rc;
    size_t b64_len = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = arena_alloc(c->arena, b64_len);
    sodium_bin2base64(b64, b64_len, data, len, sodium_base64_VARIANT_ORIGINAL);
    char expires[25];
    clock_format(clock_now_ms() + (int64_t)PLAN_UPLOAD_TTL_MINUTES * 60000, expires);
    out->filename = filename && *filename ? arena_strdup(c->arena, filename) : NULL;
    out->sha256 = out->parsed.sha256;
    out->created_at = svc_now(c);
    out->expires_at = arena_strdup(c->arena, expires);
    if (db_begin(c->db) < 0)
        return SVC_ERROR;
    rc = remove_expired(c);
    struct stmt st;
    if (rc == SVC_OK) {
        db_prepare(c->db, &st,
                   "INSERT INTO plan_upload (user_id, filename, sha256, content, preview, "
                   "created_at, expires_at) VALUES (:user, :name, :sha, :content, :preview, :at, "
                   ":expires)");
        db_bind_int64(&st, ":user", c->user->id);
        db_bind_text(&st, ":name", out->filename);
        db_bind_text(&st, ":sha", out->sha256);
        db_bind_text(&st, ":content", b64);
        db_bind_text(&st, ":preview", ingest_has_errors(&out->parsed) ? NULL : preview_json(c, out));
        db_bind_text(&st, ":at", out->created_at);
        db_bind_text(&st, ":expires", out->expires_at);
        rc = db_step(&st) < 0 ? SVC_ERROR : SVC_OK;
        db_finalize(&st);
    }
    if (rc != SVC_OK || db_commit(c->db) < 0) {
        db_rollback(c->db);
        return SVC_ERROR;
    }
    out->id = db_last_insert_id(c->db);
    return SVC_OK;
}

/* One's own waiting upload: its row and file, and the stored dry run (*stored; NULL when the
 * file has errors). */
static int load(struct ctx *c, int64_t id, struct plan_upload_view *v, char **data, size_t *len,
                const char **stored)
{
    memset(v, 0, sizeof *v);
    int rc = own_admin(c);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT filename, sha256, content, created_at, expires_at, preview FROM plan_upload "
               "WHERE id = :id AND user_id = :user AND expires_at > :now");
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":user", c->user->id);
    db_bind_text(&st, ":now", svc_now(c));
    rc = db_step(&st);
    if (rc == DB_ROW) {
        v->id = id;
        v->filename = db_col_is_null(&st, 0) ? NULL : arena_strdup(c->arena, db_col_text(&st, 0));
        v->sha256 = arena_strdup(c->arena, db_col_text(&st, 1));
        const char *b64 = db_col_text(&st, 2);
        size_t n = strlen(b64);
        *data = arena_alloc(c->arena, n + 1);
        if (sodium_base642bin((unsigned char *)*data, n, b64, n, NULL, len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0)
            rc = DB_ERROR;
        v->created_at = arena_strdup(c->arena, db_col_text(&st, 3));
        v->expires_at = arena_strdup(c->arena, db_col_text(&st, 4));
        *stored = db_col_is_null(&st, 5) ? NULL : arena_strdup(c->arena, db_col_text(&st, 5));
    }
    db_finalize(&st);
    if (rc < 0)
        return SVC_ERROR;
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_plan_upload_gone", NULL,
                        "no such upload waiting: confirmed, cancelled, expired or not yours");
    return SVC_OK;
}

int plan_upload_get(struct ctx *c, int64_t id, struct plan_upload_view *out)
{
    char *data;
    size_t len;
    const char *stored;
    int rc = load(c, id, out, &data, &len, &stored);
    if (rc != SVC_OK)
        return rc;
    /* Reading the file again is no write; the import's dry run is not done again here. */
    ingest_parse(c->arena, data, len, &out->parsed);
    if (!out->parsed.ok || ingest_has_errors(&out->parsed) || !stored)
        return SVC_OK;
    return read_preview(c, stored, out);
}

static int delete_upload(struct ctx *c, int64_t id)
{
    struct stmt st;
    db_prepare(c->db, &st, "DELETE FROM plan_upload WHERE id = :id AND user_id = :user");
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":user", c->user->id);
    int rc = db_step(&st);
    db_finalize(&st);
    return rc < 0 ? SVC_ERROR : SVC_OK;
}

int plan_upload_confirm(struct ctx *c, int64_t id, struct plan_import_result **results,
                        size_t *n)
{
    *results = NULL;
    *n = 0;
    struct plan_upload_view v;
    char *data;
    size_t len;
    const char *stored;
    int rc = load(c, id, &v, &data, &len, &stored);
    if (rc != SVC_OK)
        return rc;
    /* The stored preview may be out of date: the import decides against the data of now. */
    ingest_parse(c->arena, data, len, &v.parsed);
    if (ingest_has_errors(&v.parsed))
        return svc_fail(c, SVC_INVALID, "err_plan_upload_errors", "file",
                        "the file has errors (see the preview); nothing was imported");
    rc = plan_import(c, &v.parsed, NULL, results, n);
    if (rc == SVC_INVALID && !c->code)
        c->code = "err_plan_upload_refused";
    if (rc != SVC_OK)
        return rc;
    /* Imported: the upload has done its work. Were this delete lost, confirming again would
     * find the plans unchanged and store nothing. */
    return delete_upload(c, id);
}

int plan_upload_cancel(struct ctx *c, int64_t id)
{
    struct plan_upload_view v;
    char *data;
    size_t len;
    const char *stored;
    int rc = load(c, id, &v, &data, &len, &stored);
    if (rc != SVC_OK)
        return rc;
    return delete_upload(c, id);
}
