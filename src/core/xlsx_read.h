/* xlsx_read: one worksheet of an .xlsx workbook that came from outside (Excel, WPS,
 * LibreOffice, libxlsxwriter), as rows of cells, on top of core/ooxml (bounded ZIP, safe XML).
 *
 * The sheet is found through the workbook and its relationships, whatever it was renamed to
 * or wherever its part lies; cells are placed by their references (a missing cell stays
 * empty), shared strings (rich-text runs joined, phonetic runs left out) and inline strings
 * read as text, numbers keep the text the file wrote. Rows with no value are left out, so
 * trailing empty rows cost nothing. Dates are left as the file has them: a serial number or
 * text; xlsx_date() turns either into YYYY-MM-DD (1900 or 1904 date system). */
#ifndef DUIKOU_CORE_XLSX_READ_H
#define DUIKOU_CORE_XLSX_READ_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ooxml.h"

struct arena;

enum {
    XLSX_MAX_ROWS = 100000,  /* rows with a value */
    XLSX_MAX_COLS = 256,     /* columns A..IV: what a ledger needs, and a bound */
    XLSX_MAX_CELL = 65536,   /* bytes of one cell's text (Excel's own limit is 32,767 chars) */
    XLSX_MAX_TEXT = 16 << 20, /* bytes of all cells' text together: a shared string used by
                                 every cell counts each time, so a small file cannot make a
                                 reader of its rows walk gigabytes */
};

enum xlsx_type { XLSX_EMPTY = 0, XLSX_TEXT, XLSX_NUMBER, XLSX_BOOL, XLSX_ERROR };

struct xlsx_cell {
    enum xlsx_type type;
    const char *text; /* as written: the string, the number's digits ("60", "46357"), "TRUE" /
                         "FALSE", the error ("#N/A"); "" when empty */
};

struct xlsx_row {
    int number;              /* the sheet's row number, 1-based */
    size_t n;                /* cells[0..n): column A is 0; trailing empty cells cut */
    struct xlsx_cell *cells;
};

/* A defined name that points at one cell of the sheet ("duikou_period" → $C$2). */
struct xlsx_name {
    const char *name;
    int row, col; /* 1-based row, 0-based column */
};

struct xlsx_sheet {
    const char *name;        /* as the workbook names it */
    bool date1904;           /* the workbook counts serial dates from 1904 */
    struct xlsx_row *rows;   /* rows with at least one value, in order */
    size_t n_rows;
    struct xlsx_name *names; /* defined names pointing at single cells of this sheet */
    size_t n_names;
};

/* Reads the sheet named sheet (NULL: the first) of the workbook in data[0..len). Everything
 * is in the arena. OOXML_MISSING when the package is not a workbook or has no such sheet,
 * OOXML_TOO_LARGE over the bounds above (or ooxml's), the other statuses as ooxml_open. */
enum ooxml_status xlsx_read(struct arena *a, const void *data, size_t len, const char *sheet,
                            struct xlsx_sheet *out);

/* The cell at column col of row, or an empty cell. */
const struct xlsx_cell *xlsx_cell(const struct xlsx_row *row, size_t col);

/* The cell as a date YYYY-MM-DD in out: a serial number (whole days; the time of day is
 * dropped) or text 2026-11-30, 2026/11/30, 2026.11.30, 2026年11月30日. */
bool xlsx_date(const struct xlsx_cell *c, bool date1904, char out[11]);

/* A serial day number as YYYY-MM-DD (1900 system with its 29 Feb 1900, or 1904). */
bool xlsx_serial_date(double serial, bool date1904, char out[11]);

/* The column of a reference ("AB12" → 27; -1 when it is not one); *row (may be NULL) gets
 * its row (0 when absent). */
int xlsx_ref_col(const char *ref, int *row);

#endif
