/* document: a plan arrives as plain text, a Word .docx or a PDF, told apart by content (a
 * renamed file is read for what it is). A document is read into the plan text the parser
 * reads, one line per paragraph, and each line remembers its paragraph or page, so warnings
 * can point into the document rather than into text the user never saw. */
#include <string.h>

#include "core/hash.h"
#include "core/mem.h"
#include "ingest/ingest.h"
#include "ingest/internal.h"

enum kind { KIND_TEXT, KIND_DOCX, KIND_PDF };

static enum kind kind_of(const char *buf, size_t len)
{
    static const unsigned char ole[4] = {0xD0, 0xCF, 0x11, 0xE0};
    if (len >= 5 && memcmp(buf, "%PDF-", 5) == 0)
        return KIND_PDF;
    /* A ZIP (local header or an empty archive's end record) or an OLE container: the docx
     * reader names what it is (a .docx, a spreadsheet, an old .doc, a password-protected
     * file). */
    if (len >= 4 && (memcmp(buf, "PK\3\4", 4) == 0 || memcmp(buf, "PK\5\6", 4) == 0 ||
                     memcmp(buf, ole, 4) == 0))
        return KIND_DOCX;
    return KIND_TEXT;
}

int ingest_place(const struct ingest_result *r, int line)
{
    if (!r->line_place || line < 1 || (size_t)line > r->n_line_place)
        return 0;
    return r->line_place[line - 1];
}

const char *ingest_where(struct arena *a, const struct ingest_result *r, int line)
{
    if (line <= 0)
        return NULL;
    int place = ingest_place(r, line);
    if (r->place_kind && place)
        return arena_printf(a, "%s %d", r->place_kind, place);
    return arena_printf(a, "line %d", line);
}

static void set_places(const struct ingest_result *r, struct ingest_warning *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        w[i].place = ingest_place(r, w[i].line);
}

void ingest_parse(struct arena *a, const char *buf, size_t len, struct ingest_result *r)
{
    enum kind k = kind_of(buf, len);
    if (k == KIND_TEXT) {
        ingest_parse_text(a, buf, len, r);
        return;
    }
    const char *format = k == KIND_PDF ? "pdf" : "docx";
    memset(r, 0, sizeof *r);
    r->format = format;
    r->bytes = len;
    if (len > INGEST_MAX_BYTES) {
        r->error = arena_printf(a, "the file is too large (%zu MB; at most %d MB)", len >> 20,
                                INGEST_MAX_BYTES >> 20);
        r->error_code = "too_large";
        return;
    }
    struct ingest_doc_text d;
    bool ok = k == KIND_PDF ? ingest_pdf_text(a, buf, len, &d) : ingest_docx_text(a, buf, len, &d);
    if (ok) {
        ingest_parse_text(a, d.text, d.len, r);
        r->place_kind = k == KIND_PDF ? "page" : "paragraph";
        r->line_place = d.place;
        r->n_line_place = d.n_lines;
        set_places(r, r->warnings, r->n_warnings);
        for (size_t p = 0; p < r->n_plans; p++)
            set_places(r, r->plans[p].warnings, r->plans[p].n_warnings);
    } else {
        memset(r, 0, sizeof *r);
        r->error = d.error;
        r->error_code = d.error_code;
    }
    r->format = format;
    r->bytes = len;
    sha256_hex(buf, len, r->sha256); /* of the file as it came, as for text */
}
