/* libFuzzer target for the .docx reader (ingest/docx.c over core/ooxml.c): any bytes in, never
 * a crash, a hang or a leak. An input starting "PK" is read as a package; any other is split at
 * its first NUL into word/document.xml and word/numbering.xml and zipped here, so the fuzzer
 * works on the XML and the list numbering rather than on ZIP headers. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zip.h>

#include "core/mem.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_docx(const void *buf, size_t len)
{
    struct arena a;
    arena_init(&a);
    struct ingest_doc_text t;
    if (ingest_docx_text(&a, buf, len, &t)) {
        struct ingest_result r;
        ingest_parse(&a, buf, len, &r);
    }
    arena_free(&a);
}

/* A source that zip_file_add refuses stays the caller's to free. */
static void add_entry(zip_t *z, const char *name, const void *buf, size_t len)
{
    zip_source_t *src = zip_source_buffer(z, buf, len, 0);
    if (src && zip_file_add(z, name, src, 0) < 0)
        zip_source_free(src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && memcmp(data, "PK", 2) == 0) {
        read_docx(data, size);
        return 0;
    }
    const uint8_t *nul = memchr(data, 0, size);
    size_t doc_len = nul ? (size_t)(nul - data) : size;
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *dst = zip_source_buffer_create(NULL, 0, 0, &err);
    if (!dst) {
        zip_error_fini(&err);
        return 0;
    }
    zip_source_keep(dst);
    zip_t *z = zip_open_from_source(dst, ZIP_TRUNCATE, &err);
    bool closed = false;
    if (z) {
        add_entry(z, "word/document.xml", data, doc_len);
        if (nul)
            add_entry(z, "word/numbering.xml", nul + 1, size - doc_len - 1);
        /* zip_close frees z only when it succeeds; otherwise z is still ours to discard. */
        closed = zip_close(z) == 0;
        if (!closed)
            zip_discard(z);
    }
    if (closed && zip_source_open(dst) == 0) {
        zip_source_seek(dst, 0, SEEK_END);
        zip_int64_t len = zip_source_tell(dst);
        zip_source_seek(dst, 0, SEEK_SET);
        if (len > 0) {
            struct arena a;
            arena_init(&a);
            char *buf = arena_alloc(&a, (size_t)len + 1);
            if (zip_source_read(dst, buf, (zip_uint64_t)len) == len)
                read_docx(buf, (size_t)len);
            arena_free(&a);
        }
        zip_source_close(dst);
    }
    zip_source_free(dst);
    zip_error_fini(&err);
    return 0;
}
