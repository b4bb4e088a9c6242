/* plan_upload: a plan file (text, .docx, .pdf) uploaded in the browser, previewed, then
 * confirmed or cancelled. Until the confirmation only the file waits (table plan_upload, for
 * PLAN_UPLOAD_TTL_MINUTES) with its preview: on the upload the import is run and rolled back,
 * so the preview says what a confirmation would do at that moment (new, unchanged or revised,
 * the tasks added, removed and reworded); it is kept and shown again without writing. The
 * confirmation imports against the data of then. Admins only, each their own uploads. */
#ifndef DUIKOU_SERVICE_PLAN_UPLOAD_H
#define DUIKOU_SERVICE_PLAN_UPLOAD_H
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"
#include "service/plan.h"

struct ctx;

enum { PLAN_UPLOAD_TTL_MINUTES = 30 };

/* A task of a revised plan that differs from the current version's. */
struct plan_upload_change {
    size_t plan;      /* index into parsed.plans */
    int number;
    const char *kind; /* "added", "removed" or "reworded" */
    const char *old_title, *old_body; /* NULL when added */
    const char *new_title, *new_body; /* NULL when removed */
};

struct plan_upload_view {
    int64_t id;
    const char *filename, *sha256, *created_at, *expires_at;
    struct ingest_result parsed;
    /* When parsed has no errors: what confirming would do, one result per plan; else NULL.
     * refusal_code/refusal: why the import would be refused (an unknown region …), or NULL. */
    struct plan_import_result *results;
    size_t n_results;
    const char *refusal_code, *refusal;
    struct plan_upload_change *changes;
    size_t n_changes;
};

/* Reads the file; a file that is not a plan (not text, a scan, no plan in it …) is refused with
 * SVC_INVALID and a message id (err_plan_file_<ingest error code>), nothing stored. Else the
 * file waits for confirmation and *out is its preview. Expired uploads are removed. */
int plan_upload_preview(struct ctx *c, const char *filename, const void *data, size_t len,
                        struct plan_upload_view *out);
/* The preview of one's own waiting upload id, as computed on the upload (a read only: the file
 * is parsed again, the import not run); SVC_NOT_FOUND (err_plan_upload_gone) when there is
 * none: confirmed, cancelled, expired, or another's. */
int plan_upload_get(struct ctx *c, int64_t id, struct plan_upload_view *out);
/* Imports the upload (plan_import, which checks again against the current plans: the preview
 * may be out of date) and deletes it. SVC_INVALID when the file has errors or the import
 * refuses it. */
int plan_upload_confirm(struct ctx *c, int64_t id, struct plan_import_result **results,
                        size_t *n);
/* Deletes one's own waiting upload. */
int plan_upload_cancel(struct ctx *c, int64_t id);

#endif
