/* libFuzzer target for plans as PDFs (ingest/pdf.c): an input starting "%PDF" goes to poppler
 * and the cleaning after it; any other is taken as the text of pages (split at form feeds) and
 * only cleaned, where the page-number, running-title and line-joining rules are. Never a
 * crash, a hang or a leak. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/mem.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct ingest_doc_text t;
    if (size >= 4 && memcmp(data, "%PDF", 4) == 0) {
        struct ingest_result r;
        ingest_parse(&a, (const char *)data, size, &r);
    } else {
        char *text = arena_strndup(&a, (const char *)data, size);
        size_t n = 0, cap = 0;
        const char **pages = NULL;
        for (char *p = text;;) {
            char *ff = strchr(p, '\f');
            *(const char **)ARRAY_PUSH(&a, pages, n, cap) = p;
            if (!ff)
                break;
            *ff = '\0';
            p = ff + 1;
        }
        ingest_pdf_clean(&a, pages, n, &t);
    }
    arena_free(&a);
    return 0;
}
