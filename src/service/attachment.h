/* attachment: 证据材料 / 附件, the files kept with a project, a progress update or a report —
 * contracts, photos, signed-project lists.
 *
 * Who does what:
 *   upload     on a project or its update: who may report progress on the project (its
 *              partner units' users, the owning side's coordinator, an admin); on a report:
 *              the users of the report's unit (who wrote it); on an evaluation side (the
 *              evidence of a self-evaluation, evaluation.h): its lead office while it writes;
 *              on an event (its minutes and signed lists, event.h): its organisers.
 *   read       who may read the object the file belongs to; every download is audited.
 * A file is accepted by what its bytes are (core/filetype.h), never by its name: PDF, images
 * (PNG, JPEG, GIF, WebP, TIFF) and Office documents (Word, Excel, PowerPoint, OpenDocument);
 * ZIP archives only when attachment_policy.allow_zip. At most attachment_policy.max_bytes
 * (20 MiB unless set). A declared type that is not what the bytes are is refused, as is an
 * empty file. The bytes are stored once per content (store/files.h). */
#ifndef DUIKOU_SERVICE_ATTACHMENT_H
#define DUIKOU_SERVICE_ATTACHMENT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

struct attachment_policy {
    size_t max_bytes; /* 0: 20 MiB */
    bool allow_zip;
};
extern struct attachment_policy attachment_policy;

struct attachment_view {
    int64_t id, object_id, pairing_id, size;
    const char *object; /* project, project_update, report, evaluation_side, event */
    const char *sha256, *type, *filename, *uploaded_by, *created_at;
};

/* Stores a file on an object. declared_type: the type the client named (NULL or
 * application/octet-stream: none). Refusals: SVC_INVALID err_attachment_empty,
 * err_attachment_type (a type not accepted: the API answers 415), err_attachment_mismatch,
 * err_attachment_size (the API answers 413); err_attachment_object for an unknown object
 * kind. */
int attachment_add(struct ctx *c, const char *object, int64_t object_id, const char *filename,
                   const char *declared_type, const void *data, size_t len,
                   struct attachment_view *out);
/* The checks of attachment_add on the bytes alone (size, type, declared type), before the
 * object exists (a report and its file submitted together); *type_out the type found. */
int attachment_check(struct ctx *c, const char *declared_type, const void *data, size_t len,
                     const char **type_out);
/* The files of object from_id kept on object to_id too (a returned report's new version
 * keeping its files): the same bytes, new rows, audited. *copied (may be NULL) how many. */
int attachment_copy(struct ctx *c, const char *object, int64_t from_id, int64_t to_id,
                    size_t *copied);
/* The files of an object, oldest first, for who may read the object. */
int attachment_list(struct ctx *c, const char *object, int64_t object_id,
                    struct attachment_view **out, size_t *n);
/* One file's facts and bytes, for who may read its object; the download is audited. */
int attachment_download(struct ctx *c, int64_t id, struct attachment_view *out, char **data,
                        size_t *len);

#endif
