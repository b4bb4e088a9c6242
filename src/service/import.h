/* import: 台账导入 — a spreadsheet (.xlsx from Excel, WPS or LibreOffice) read back into
 * Duikou, previewed first and committed all at once. The file's columns are those /my
 * exports (docs/imports.md): 事项编号, 报告期, 状态, 完成比例, 进展情况 and one column per
 * figure, found by the defined names the export gives its header cells (duikou_<key>) or,
 * when a program dropped them, by the header's words in any of the three languages.
 *
 *   preview  reads the file and checks every row with the rules of the form (report_check:
 *            the same service), lists each error by row and column; stores the rows as a
 *            pending import (the file's SHA-256, who, kind, expiry) and nothing else.
 *   commit   the preview's rows in one transaction, all or nothing, each row through
 *            report_submit_in; a row saying what the latest report of its item and period
 *            says is unchanged, so importing a file again changes nothing; a row replacing
 *            an accepted report (marked correction by the preview) needs the caller's
 *            confirmation, as the form's box. Audited
 *            (import.commit, with the file's SHA-256), each report too (report.submit).
 *
 * Who: the user who reports (service/report.h: the owner unit's member or coordinator, an
 * admin); a pending import is its user's alone (another user gets SVC_NOT_FOUND). The command
 * line acts as a user (--as).
 *
 * The other kinds are each a table of columns (the export's) with a check and a write
 * function over their service (import.c, "kinds"); their rows are kept as the cells' texts
 * and read again at the commit:
 *   work_items  rows of a draft work plan (scope: its id): checked by work_plan_item_check,
 *               written by work_plan_item_put_in; a coordinator who may edit the plan.
 *               A row with 事项编号 updates that item; one without adds an item, unless an
 *               item of the plan has its owner and title (then it is that item).
 *   projects    checked by project_check, written by project_put_in; a coordinator (an admin
 *               updates only). A row with 项目编号 updates that project (not its stage); one
 *               without records a project of the caller's side, unless one has its name.
 * Each row's preview says what the commit does with it: new, update or unchanged. */
#ifndef DUIKOU_SERVICE_IMPORT_H
#define DUIKOU_SERVICE_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctx;

enum {
    IMPORT_MAX_ROWS = 20000,     /* data rows of one file */
    IMPORT_MAX_ERRORS = 1000,    /* listed; a file with more is refused as a whole */
    IMPORT_TTL_HOURS = 24,       /* a preview expires after */
    IMPORT_HEADER_ROWS = 20,     /* the header is looked for in the first rows (titles above) */
    IMPORT_MAX_NAMES = 50,       /* names in one list cell (配合单位, 合作方) */
};

/* An error of one cell (column the header's text as the file has it; NULL for the row as a
 * whole). code is a message id; arg, when not 0, a row number the message refers to (the
 * first of two duplicate rows). */
struct import_error {
    int row;
    const char *column, *code;
    int arg;
};

/* A row of a reports import as read (values the file could not give are 0 / NULL). */
struct import_report_row {
    int row;
    int64_t work_item_id;
    const char *period, *status, *narrative;
    int percent;
    bool correction; /* replaces a report that was accepted (更正): the commit asks */
    size_t n_figures;
    struct import_figure {
        const char *name, *unit;
        int64_t value;
        size_t col; /* its column among the file's figure columns (errors name it) */
    } *figures;
};

/* A column of a kind read from a table (work_items): the export's key, its header's message. */
struct import_column {
    const char *key, *head;
};

/* A row of such a kind: its cells' texts as read, per column ("" empty; dates YYYY-MM-DD),
 * what the commit would do with it, and the object it updates. */
struct import_row {
    int row;
    int64_t id;         /* the object the row updates; 0: a new one */
    int64_t revision;   /* work_items: the item's revision the preview saw (the commit's
                           expected revision: an item edited since fails the commit) */
    const char *action; /* "new", "update", "unchanged"; NULL when the row has an error */
    const char **cells;
};

struct import_view {
    int64_t id, user_id;
    int64_t scope_id;   /* work_items: the work plan the rows go into; else 0 */
    const char *kind, *sha256, *filename, *created_at, *expires_at, *committed_at;
    size_t n_rows;
    struct import_report_row *rows;  /* kind reports */
    struct import_column *cols;      /* other kinds: their columns, */
    size_t n_cols;
    struct import_row *items;        /* their rows */
    int n_new, n_update, n_unchanged; /* their rows by action */
    int n_corrections;               /* reports: rows that replace an accepted report */
    struct import_error *errors;
    size_t n_errors;
};

/* Reads, checks and stores a preview of data[0..len) (filename may be NULL; scope the work
 * plan of work_items, else 0). The scope is checked first (SVC_FORBIDDEN, SVC_NOT_FOUND,
 * SVC_CONFLICT err_import_not_draft). A file that
 * cannot be read at all is SVC_INVALID with field "file" and code err_import_<why>
 * (not_xlsx, legacy_format, encrypted, too_large, bad_xml, no_header, no_rows, too_many_rows)
 * and nothing stored; row errors are in out->errors of a stored preview (SVC_OK). */
int import_preview(struct ctx *c, const char *kind, int64_t scope, const char *filename,
                   const void *data, size_t len, struct import_view *out);

/* The caller's pending (or committed) import. */
int import_get(struct ctx *c, int64_t id, struct import_view *out);

/* Commits a preview (*updated: the rows of work_items and projects that changed what was
 * stored; 0 for reports): SVC_INVALID err_import_has_errors when it listed errors, SVC_CONFLICT
 * err_import_committed / err_import_expired. A row that fails now (the item was meanwhile
 * moved) fails the whole commit: c->code and c->error say why, *failed_row (may be NULL)
 * which row. A work item edited since the preview is SVC_CONFLICT err_stale. A reports row
 * that replaces an accepted report (a correction, as the form's box) goes through only when
 * corrections is true: else SVC_CONFLICT err_correction_unconfirmed, nothing written. */
int import_commit(struct ctx *c, int64_t id, bool corrections, int *created, int *updated,
                  int *unchanged, int *failed_row);

struct arena;
/* text with {name} replaced by value (the messages' one placeholder form). Arena string. */
const char *import_fill(struct arena *a, const char *text, const char *name, long long value);
/* The error as a sentence in language lang (enum lang of core/i18n.h). Arena string. */
const char *import_error_message(struct arena *a, int lang, const struct import_error *e);

#endif
