/* libFuzzer target for the worksheet reader (core/xlsx_read.c over core/ooxml.c) and the
 * cell readings an import makes (dates, references): any bytes in, never a crash, a hang or a
 * leak. An input starting "PK" is read as a package; any other is split at its first NUL into
 * xl/worksheets/sheet1.xml and xl/sharedStrings.xml and zipped here beside a fixed workbook,
 * so the fuzzer works on the sheet's XML rather than on ZIP headers. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zip.h>

#include "core/mem.h"
#include "core/xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char WORKBOOK[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<workbookPr date1904=\"0\"/><sheets><sheet name=\"台账\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
    "<definedNames><definedName name=\"duikou_item_id\">'台账'!$A$2</definedName></definedNames>"
    "</workbook>";
static const char RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

static void read_xlsx(const void *buf, size_t len)
{
    struct arena a;
    arena_init(&a);
    struct xlsx_sheet s;
    if (xlsx_read(&a, buf, len, NULL, &s) == OOXML_OK)
        for (size_t i = 0; i < s.n_rows; i++)
            for (size_t k = 0; k < s.rows[i].n; k++) {
                char day[11];
                (void)xlsx_date(xlsx_cell(&s.rows[i], k), s.date1904, day);
                (void)xlsx_ref_col(s.rows[i].cells[k].text, NULL);
            }
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && memcmp(data, "PK", 2) == 0) {
        read_xlsx(data, size);
        return 0;
    }
    const uint8_t *nul = memchr(data, 0, size);
    size_t sheet_len = nul ? (size_t)(nul - data) : size;
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *dst = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_source_keep(dst);
    zip_t *z = zip_open_from_source(dst, ZIP_TRUNCATE, &err);
    zip_file_add(z, "xl/workbook.xml", zip_source_buffer(z, WORKBOOK, sizeof WORKBOOK - 1, 0), 0);
    zip_file_add(z, "xl/_rels/workbook.xml.rels", zip_source_buffer(z, RELS, sizeof RELS - 1, 0),
                 0);
    zip_file_add(z, "xl/worksheets/sheet1.xml", zip_source_buffer(z, data, sheet_len, 0), 0);
    if (nul)
        zip_file_add(z, "xl/sharedStrings.xml",
                     zip_source_buffer(z, nul + 1, size - sheet_len - 1, 0), 0);
    if (zip_close(z) == 0 && zip_source_open(dst) == 0) {
        zip_source_seek(dst, 0, SEEK_END);
        zip_int64_t len = zip_source_tell(dst);
        zip_source_seek(dst, 0, SEEK_SET);
        struct arena a;
        arena_init(&a);
        char *buf = arena_alloc(&a, (size_t)len + 1);
        if (zip_source_read(dst, buf, (zip_uint64_t)len) == len)
            read_xlsx(buf, (size_t)len);
        arena_free(&a);
        zip_source_close(dst);
    } else if (z) {
        zip_discard(z);
    }
    zip_source_free(dst);
    zip_error_fini(&err);
    return 0;
}
