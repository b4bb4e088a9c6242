/* import: a ledger read back from a spreadsheet, previewed then committed (import.h). The
 * reading of cells is core/xlsx_read's; the rules are the services' (reports: report_check
 * for the preview, report_submit_in for the commit; work items and projects: their check and
 * put_in entries), so a row passes here exactly when the form would take it. This file only
 * finds the columns, turns cells into a service's input (the words of the pages, units and
 * regions by name, periods and dates however a spreadsheet program stored them) and keeps the
 * preview; reading the file, storing the preview and the commit's frame are shared. */
#include "service/import.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/hash.h"
#include "core/i18n.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/xlsx_read.h"
#include "service/internal.h"
#include "service/report.h"
#include "service/industry.h"
#include "service/perm.h"
#include "service/project.h"
#include "service/service.h"
#include "service/work_plan.h"
#include "store/audit.h"
#include "store/db.h"

static int store_failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "import", what);
}

/* ---- columns ---------------------------------------------------------------------------- */

enum col { C_ITEM, C_PERIOD, C_STATUS, C_PERCENT, C_NARRATIVE, N_COLS };
static const char *const col_key[N_COLS] = {"item_id", "period", "status", "percent", "narrative"};
static const char *const col_head[N_COLS] = {"ui_lg_h_item_id", "ui_lg_h_period", "ui_lg_h_status",
                                             "ui_lg_h_percent", "ui_lg_h_narrative"};
/* Other headers of the ledgers: columns the import reads past, never figures. */
static const char *const other_heads[] = {
    "ui_lg_h_item",   "ui_lg_h_task",     "ui_lg_h_owner",     "ui_lg_h_support",
    "ui_lg_h_indicator", "ui_lg_h_target", "ui_lg_h_due",      "ui_lg_h_light",
    "ui_lg_h_review", "ui_lg_h_comment",  "ui_lg_h_reviewer",  "ui_lg_h_reviewed_at",
    "ui_lg_h_report_id", "ui_lg_h_unit",  "ui_lg_h_submitted_by", "ui_lg_h_submitted_at",
    "ui_lg_h_figures", "ui_lg_h_reported_at"};

/* Whether the cell's text, as a key (遼/辽, full-width folded), is message id's text in one
 * of the three languages. */
static bool is_head(struct arena *a, const char *key, const char *id)
{
    for (int l = 0; l < LANG_N; l++)
        if (strcmp(key, text_key(a, i18n((enum lang)l, id))) == 0)
            return true;
    return false;
}

struct layout {
    int head_row;      /* index in sheet->rows */
    int col[N_COLS];   /* -1: not found */
    size_t n_fig;
    struct {
        int col;
        const char *head, *name, *unit;
    } fig[REPORT_MAX_FIGURES + 1];
};

static bool cell_int(struct arena *a, const struct xlsx_cell *cell, bool pct, int64_t *v);

/* "签约金额（元）" → name 签约金额, unit 元 (the export's header of a figure). */
static void figure_head(struct arena *a, const char *head, const char **name, const char **unit)
{
    *name = head;
    *unit = NULL;
    size_t n = strlen(head);
    const char *open = NULL;
    if (n > 3 && strcmp(head + n - 3, "）") == 0)
        open = strstr(head, "（");
    else if (n > 1 && head[n - 1] == ')')
        open = strrchr(head, '(');
    if (!open || open == head)
        return;
    size_t close = head[n - 1] == ')' ? 1 : 3, op = *open == '(' ? 1 : 3;
    *name = arena_strndup(a, head, (size_t)(open - head));
    *unit = arena_strndup(a, open + op, n - close - (size_t)(open - head) - op);
}

/* The header: by the defined names the export gives its header cells, else by words. */
static bool find_layout(struct arena *a, const struct xlsx_sheet *s, struct layout *L)
{
    memset(L, 0, sizeof *L);
    for (int k = 0; k < N_COLS; k++)
        L->col[k] = -1;
    int name_row = 0;
    for (size_t i = 0; i < s->n_names; i++)
        for (int k = 0; k < N_COLS; k++)
            if (strcmp(s->names[i].name, arena_printf(a, "duikou_%s", col_key[k])) == 0) {
                L->col[k] = s->names[i].col;
                name_row = s->names[i].row;
            }
    bool named = name_row > 0;
    for (int k = 0; k < N_COLS; k++)
        named = named && L->col[k] >= 0;
    L->head_row = -1;
    for (size_t r = 0; r < s->n_rows && r < IMPORT_HEADER_ROWS && L->head_row < 0; r++) {
        const struct xlsx_row *row = &s->rows[r];
        if (named) {
            if (row->number == name_row)
                L->head_row = (int)r;
            continue;
        }
        int found[N_COLS];
        int n = 0;
        for (int k = 0; k < N_COLS; k++)
            found[k] = -1;
        for (size_t c = 0; c < row->n; c++) {
            if (row->cells[c].type != XLSX_TEXT)
                continue;
            const char *key = text_key(a, row->cells[c].text);
            for (int k = 0; k < N_COLS; k++)
                if (found[k] < 0 && is_head(a, key, col_head[k])) {
                    found[k] = (int)c;
                    n++;
                    break;
                }
        }
        if (n == N_COLS) {
            memcpy(L->col, found, sizeof found);
            L->head_row = (int)r;
        }
    }
    if (L->head_row < 0)
        return false;
    /* Figures: the columns the export named duikou_figure_N; without names, every other
     * column with a header that is not one of the ledgers' own. */
    const struct xlsx_row *head = &s->rows[L->head_row];
    for (size_t c = 0; c < head->n && L->n_fig < REPORT_MAX_FIGURES + 1; c++) {
        const char *h = head->cells[c].text;
        if (head->cells[c].type == XLSX_EMPTY || !*h)
            continue;
        bool fixed = false;
        for (int k = 0; k < N_COLS; k++)
            fixed = fixed || L->col[k] == (int)c;
        if (fixed)
            continue;
        bool figure;
        if (named) {
            figure = false;
            for (size_t i = 0; i < s->n_names; i++)
                if (s->names[i].col == (int)c && s->names[i].row == head->number &&
                    strncmp(s->names[i].name, "duikou_figure_", 14) == 0)
                    figure = true;
        } else {
            /* Not a ledger's own column, and either headed "名称（单位）" as the export
             * heads a figure or holding numbers only: a column of notes a clerk added (备注)
             * is read past. */
            const char *key = text_key(a, h);
            figure = true;
            for (size_t i = 0; i < sizeof other_heads / sizeof *other_heads && figure; i++)
                figure = !is_head(a, key, other_heads[i]);
            const char *name, *unit;
            figure_head(a, h, &name, &unit);
            for (size_t r = (size_t)L->head_row + 1; figure && !unit && r < s->n_rows; r++) {
                const struct xlsx_cell *cell = xlsx_cell(&s->rows[r], c);
                int64_t v;
                figure = cell->type == XLSX_EMPTY || cell_int(a, cell, false, &v);
            }
        }
        if (!figure)
            continue;
        L->fig[L->n_fig].col = (int)c;
        L->fig[L->n_fig].head = h;
        figure_head(a, h, &L->fig[L->n_fig].name, &L->fig[L->n_fig].unit);
        L->n_fig++;
    }
    return true;
}

/* ---- cells ------------------------------------------------------------------------------ */

/* A whole number from a number cell or digits in text (full-width folded, "60%" allowed when
 * pct). */
static bool cell_int(struct arena *a, const struct xlsx_cell *cell, bool pct, int64_t *v)
{
    if (cell->type != XLSX_NUMBER && cell->type != XLSX_TEXT)
        return false;
    const char *s = text_key(a, cell->text);
    char *end;
    double d = strtod(s, &end);
    if (end == s)
        return false;
    while (*end == ' ')
        end++;
    if (pct && *end == '%')
        end++;
    if (*end || !isfinite(d) || d > 9e15 || d < -9e15 || d != (double)(int64_t)d)
        return false;
    *v = (int64_t)d;
    return true;
}

/* The words of the status (the pages' words in any language, either script, or the code). */
static const char *const statuses[][2] = {
    {"not_started", "ui_st_not_started"}, {"on_track", "ui_st_on_track"},
    {"at_risk", "ui_st_at_risk"},         {"delayed", "ui_st_delayed"},
    {"done", "ui_st_done"}};

static const char *cell_status(struct arena *a, const struct xlsx_cell *cell)
{
    const char *key = text_key(a, cell->text);
    if (strcmp(key, "未开始") == 0) /* the and many offices' word for 未启动 */
        return "not_started";
    for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
        if (strcmp(key, statuses[i][0]) == 0 || is_head(a, key, statuses[i][1]))
            return statuses[i][0];
    return NULL;
}

/* A period as report.h takes it: 2026-11 or 2026-Q4 as text (also 2026/11, 2026年11月,
 * 2026年第4季度), or a date (serial or text), which a spreadsheet program makes of a typed
 * "2026-11": its month. NULL when it is none of these. */
static const char *cell_period(struct arena *a, const struct xlsx_cell *cell, bool date1904)
{
    char day[11];
    if (xlsx_date(cell, date1904, day))
        return arena_strndup(a, day, 7);
    if (cell->type != XLSX_TEXT)
        return NULL;
    const char *s = text_key(a, cell->text);
    int y = 0, m = 0, used = 0;
    if ((sscanf(s, "%4d-%2d%n", &y, &m, &used) == 2 || sscanf(s, "%4d/%2d%n", &y, &m, &used) == 2 ||
         sscanf(s, "%4d.%2d%n", &y, &m, &used) == 2) &&
        !s[used] && m >= 1 && m <= 12)
        return arena_printf(a, "%04d-%02d", y, m);
    if (sscanf(s, "%4d年%2d月%n", &y, &m, &used) == 2 && !s[used] && m >= 1 && m <= 12)
        return arena_printf(a, "%04d-%02d", y, m);
    if (sscanf(s, "%4d-q%1d%n", &y, &m, &used) == 2 && !s[used] && m >= 1 && m <= 4)
        return arena_printf(a, "%04d-Q%d", y, m);
    /* 2026年第四季度, 2026年第4季度 */
    if (sscanf(s, "%4d年第%n", &y, &used) == 1) {
        static const char *const q[] = {"1", "2", "3", "4", "一", "二", "三", "四"};
        for (int k = 0; k < 8; k++)
            if (strncmp(s + used, q[k], strlen(q[k])) == 0 &&
                strcmp(s + used + strlen(q[k]), "季度") == 0)
                return arena_printf(a, "%04d-Q%d", y, k % 4 + 1);
    }
    return NULL;
}

/* ---- preview ---------------------------------------------------------------------------- */

struct errs {
    struct import_error *items;
    size_t n, cap;
};

static void add_error(struct ctx *c, struct errs *e, int row, const char *column,
                      const char *code, int arg)
{
    struct import_error *x = ARRAY_PUSH(c->arena, e->items, e->n, e->cap);
    x->row = row;
    x->column = column;
    x->code = code;
    x->arg = arg;
}

static int file_refused(struct ctx *c, const char *code, const char *why)
{
    return svc_fail(c, SVC_INVALID, code, "file", "%s", why);
}

/* The column a service field names (report.h's fields) in the file's header; figures[i] is
 * the row's i-th figure, whose column r keeps (cells left empty have none). */
static const char *field_column(const struct layout *L, const struct xlsx_row *head,
                                const struct import_report_row *r, const char *field)
{
    if (!field)
        return NULL;
    static const char *const fields[N_COLS] = {"work_item_id", "period", "status", "percent",
                                               "narrative"};
    for (int k = 0; k < N_COLS; k++)
        if (strcmp(field, fields[k]) == 0)
            return xlsx_cell(head, (size_t)L->col[k])->text;
    size_t i;
    if (sscanf(field, "figures[%zu]", &i) == 1 && i < r->n_figures && r->figures[i].col < L->n_fig)
        return L->fig[r->figures[i].col].head;
    return NULL;
}

static const char *rows_json(struct ctx *c, const struct import_report_row *rows, size_t n)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_key(w, "rows");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const struct import_report_row *r = &rows[i];
        jw_obj(w);
        jw_kint(w, "row", r->row);
        jw_kint(w, "work_item_id", r->work_item_id);
        jw_kstr(w, "period", r->period);
        jw_kstr(w, "status", r->status);
        jw_kint(w, "percent", r->percent);
        jw_kstr(w, "narrative", r->narrative);
        if (r->correction)
            jw_kbool(w, "correction", true);
        jw_key(w, "figures");
        jw_arr(w);
        for (size_t k = 0; k < r->n_figures; k++) {
            jw_obj(w);
            jw_kstr(w, "name", r->figures[k].name);
            jw_kint(w, "value", r->figures[k].value);
            jw_kstr(w, "unit", r->figures[k].unit);
            jw_kint(w, "col", (int64_t)r->figures[k].col);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    return svc_json_end(c, &j);
}

static const char *errors_json(struct ctx *c, const struct errs *e)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_key(w, "errors");
    jw_arr(w);
    for (size_t i = 0; i < e->n; i++) {
        jw_obj(w);
        jw_kint(w, "row", e->items[i].row);
        jw_kstr(w, "column", e->items[i].column);
        jw_kstr(w, "code", e->items[i].code);
        jw_kint(w, "arg", e->items[i].arg);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    return svc_json_end(c, &j);
}

static bool known_kind(const char *kind)
{
    return kind && (strcmp(kind, "reports") == 0 || strcmp(kind, "work_items") == 0 ||
                    strcmp(kind, "projects") == 0);
}

/* A row's report input from its cells; errors of cells that cannot be read are added. */
static bool read_row(struct ctx *c, const struct xlsx_sheet *s, const struct layout *L,
                     const struct xlsx_row *row, struct import_report_row *out, struct errs *e)
{
    const struct xlsx_row *head = &s->rows[L->head_row];
    const char *col[N_COLS];
    for (int k = 0; k < N_COLS; k++)
        col[k] = xlsx_cell(head, (size_t)L->col[k])->text;
    memset(out, 0, sizeof *out);
    out->row = row->number;
    size_t before = e->n;
    int64_t v;
    const struct xlsx_cell *cell = xlsx_cell(row, (size_t)L->col[C_ITEM]);
    if (cell->type == XLSX_EMPTY)
        add_error(c, e, row->number, col[C_ITEM], "err_required", 0);
    else if (!cell_int(c->arena, cell, false, &v) || v < 1)
        add_error(c, e, row->number, col[C_ITEM], "err_import_item_id", 0);
    else
        out->work_item_id = v;
    cell = xlsx_cell(row, (size_t)L->col[C_PERIOD]);
    if (cell->type == XLSX_EMPTY)
        add_error(c, e, row->number, col[C_PERIOD], "err_required", 0);
    else if (!(out->period = cell_period(c->arena, cell, s->date1904)))
        add_error(c, e, row->number, col[C_PERIOD], "err_period", 0);
    cell = xlsx_cell(row, (size_t)L->col[C_STATUS]);
    if (cell->type == XLSX_EMPTY)
        add_error(c, e, row->number, col[C_STATUS], "err_required", 0);
    else if (!(out->status = cell_status(c->arena, cell)))
        add_error(c, e, row->number, col[C_STATUS], "err_import_status", 0);
    cell = xlsx_cell(row, (size_t)L->col[C_PERCENT]);
    if (cell->type == XLSX_EMPTY)
        add_error(c, e, row->number, col[C_PERCENT], "err_required", 0);
    else if (!cell_int(c->arena, cell, true, &v))
        add_error(c, e, row->number, col[C_PERCENT], "err_import_number", 0);
    else if (v < 0 || v > 100)
        add_error(c, e, row->number, col[C_PERCENT], "err_import_percent", 0);
    else
        out->percent = (int)v;
    out->narrative = xlsx_cell(row, (size_t)L->col[C_NARRATIVE])->text;
    out->figures = arena_alloc(c->arena, (L->n_fig + 1) * sizeof *out->figures);
    for (size_t i = 0; i < L->n_fig; i++) {
        cell = xlsx_cell(row, (size_t)L->fig[i].col);
        if (cell->type == XLSX_EMPTY)
            continue;
        if (!cell_int(c->arena, cell, false, &v)) {
            add_error(c, e, row->number, L->fig[i].head, "err_import_number", 0);
            continue;
        }
        struct import_figure *f = &out->figures[out->n_figures++];
        f->name = L->fig[i].name;
        f->unit = L->fig[i].unit;
        f->value = v;
        f->col = i;
    }
    return e->n == before;
}

static struct report_input report_in(const struct import_report_row *r,
                                     struct report_figure *figs)
{
    for (size_t k = 0; k < r->n_figures; k++)
        figs[k] = (struct report_figure){r->figures[k].name, r->figures[k].value,
                                         r->figures[k].unit};
    return (struct report_input){.work_item_id = r->work_item_id, .period = r->period,
                                 .status = r->status, .percent = r->percent,
                                 .narrative = r->narrative, .figures = figs,
                                 .n_figures = r->n_figures};
}

/* A set of keys, each with a number (a row's index): open addressing in the arena, so the
 * rows of a 20,000-row file are matched in linear time, not by comparing every pair. */
struct keymap {
    const char **keys;
    size_t *vals, cap;
};

static void keymap_init(struct arena *a, struct keymap *m, size_t n)
{
    m->cap = 16;
    while (m->cap < 2 * n + 2)
        m->cap *= 2;
    m->keys = arena_alloc(a, m->cap * sizeof *m->keys);
    m->vals = arena_alloc(a, m->cap * sizeof *m->vals);
    memset(m->keys, 0, m->cap * sizeof *m->keys);
}

/* The slot of key: where it is, or the empty one where it goes. */
static size_t keymap_slot(const struct keymap *m, const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    size_t i = (size_t)h & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* The number of key (true), or puts key with val (false). At most cap / 2 keys. */
static bool keymap_get_or_put(struct keymap *m, const char *key, size_t val, size_t *found)
{
    size_t i = keymap_slot(m, key);
    if (m->keys[i]) {
        *found = m->vals[i];
        return true;
    }
    m->keys[i] = key;
    m->vals[i] = val;
    return false;
}

/* ---- kinds read from a table of columns (work_items) ------------------------------------
 * A kind is its columns (the export's keys and headers, the service field each feeds), an
 * open (may the caller import into the scope, and what rows are matched against), a check
 * (a row's cells → the service's input, checked by the service's own check entry) and a
 * write (the same input through the service, inside the commit's transaction). The rows are
 * kept as the cells' texts (dates as YYYY-MM-DD), so the commit reads them again exactly as
 * the preview did, against the data as it is then. */

struct kind_col {
    const char *key;   /* the export's column key: its header cell is named duikou_<key> */
    const char *head;  /* message id of the header */
    const char *field; /* the service input it feeds: an error there is this column's */
    bool needed;       /* the header row must have it */
    bool date;         /* a date: a serial number is read as YYYY-MM-DD */
};

struct kind_ctx {
    int64_t scope;              /* work_items: the work plan */
    struct work_plan_view plan; /* work_items: its items, to match rows without an id, */
    struct keymap by_id;        /* its items by "#id" and by "owner|title key" (made once) */
};

/* The result of a row's check: which object it writes (0: a new one) and how. */
struct kind_row {
    int64_t id, revision; /* revision: work_items, the item's as checked */
    const char *match; /* a key of the object for duplicate rows ("owner|title") */
    const char *action;
};

struct import_kind {
    const char *name, *no_header;
    const struct kind_col *cols;
    size_t n_cols;
    int (*open)(struct ctx *, struct kind_ctx *);
    /* SVC_OK, or the service's refusal (c->field names the input); SVC_ERROR stops. */
    int (*check)(struct ctx *, struct kind_ctx *, const struct import_row *, struct kind_row *);
    int (*write)(struct ctx *, struct kind_ctx *, const struct import_row *, bool *changed);
};

static const char *cell_of(const struct import_row *r, int k)
{
    return r->cells[k] && *r->cells[k] ? r->cells[k] : NULL;
}

/* A unit of the pairing by its name as typed (either script, full-width folded); the
 * caller's own side first when both sides have one so named. 0: none. */
static int unit_by_name(struct ctx *c, int64_t pairing, const char *name, int64_t *id,
                        int *side)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT id, side FROM unit WHERE pairing_id = :p AND name_key = :k "
               "ORDER BY CASE WHEN side = :s THEN 0 ELSE 1 END, id");
    db_bind_int64(&st, ":p", pairing);
    db_bind_text(&st, ":k", text_key(c->arena, name));
    db_bind_int64(&st, ":s", c->user ? c->user->side : 0);
    int rc = db_step(&st);
    *id = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    if (side)
        *side = rc == DB_ROW ? (int)db_col_int64(&st, 1) : -1;
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading units") : SVC_OK;
}

/* -- work_items: the columns of the work plan's ledger (web/work_plan.c, docs/ledgers.md) -- */

enum { W_ID, W_TASK, W_TITLE, W_OWNER, W_SUPPORT, W_INDICATOR, W_TARGET, W_DUE, W_N };
static const struct kind_col wi_cols[W_N] = {
    {"item_id", "ui_lg_h_item_id", "item_id", false, false},
    {"task", "ui_lg_h_task", "task_id", false, false},
    {"item", "ui_lg_h_item", "title", true, false},
    {"owner", "ui_lg_h_owner", "owner_unit_id", true, false},
    {"support", "ui_lg_h_support", "support", false, false},
    {"indicator", "ui_lg_h_indicator", "indicator", false, false},
    {"target", "ui_lg_h_target", "target_value", false, false},
    {"due", "ui_lg_h_due", "due", true, true},
};

static int wi_open(struct ctx *c, struct kind_ctx *k)
{
    if (!k->scope)
        return svc_fail(c, SVC_INVALID, "err_required", "work_plan_id",
                        "work items are imported into a work plan: name it");
    int rc = work_plan_import_target(c, k->scope);
    if (rc == SVC_OK)
        rc = work_plan_get(c, k->scope, &k->plan);
    if (rc != SVC_OK)
        return rc;
    keymap_init(c->arena, &k->by_id, 2 * k->plan.n_items);
    size_t had;
    for (size_t i = 0; i < k->plan.n_items; i++) {
        const struct work_item_view *it = &k->plan.items[i];
        keymap_get_or_put(&k->by_id, arena_printf(c->arena, "#%lld", (long long)it->id), i, &had);
        /* the first item of an owner and title, as the scan in item order found it */
        keymap_get_or_put(&k->by_id,
                          arena_printf(c->arena, "%lld|%s", (long long)it->owner.id,
                                       text_key(c->arena, it->title)),
                          i, &had);
    }
    return SVC_OK;
}

/* The row's input; a cell naming what does not exist fails with field set to its column's
 * field, as the service would. *id: the item the row names or matches (0: a new one). */
static int wi_input(struct ctx *c, struct kind_ctx *k, const struct import_row *r,
                    struct work_item_input *in, int64_t *id)
{
    memset(in, 0, sizeof *in);
    *id = 0;
    const struct work_item_view *have = NULL;
    const char *s;
    if ((s = cell_of(r, W_ID))) {
        char *end;
        long long v = strtoll(text_key(c->arena, s), &end, 10);
        if (*end || v < 1)
            return svc_fail(c, SVC_INVALID, "err_import_item_id", "item_id", "not an id: %s", s);
        *id = v;
        size_t i = keymap_slot(&k->by_id, arena_printf(c->arena, "#%lld", v));
        if (k->by_id.keys[i])
            have = &k->plan.items[k->by_id.vals[i]];
        if (!have)
            return svc_fail(c, SVC_INVALID, "err_import_item_plan", "item_id",
                            "item %lld is not an item of work plan %lld", v,
                            (long long)k->scope);
    }
    in->title = cell_of(r, W_TITLE);
    in->due = cell_of(r, W_DUE);
    in->indicator = cell_of(r, W_INDICATOR);
    in->target_value = cell_of(r, W_TARGET);
    int64_t pairing = k->plan.pairing_id;
    int rc;
    if ((s = cell_of(r, W_OWNER))) {
        if ((rc = unit_by_name(c, pairing, s, &in->owner_unit_id, NULL)) != SVC_OK)
            return rc;
        if (!in->owner_unit_id)
            return svc_fail(c, SVC_INVALID, "err_import_unit_unknown", "owner_unit_id",
                            "no unit of the pairing is named %s", s);
    }
    if ((s = cell_of(r, W_SUPPORT))) {
        /* the export joins names with 、; people also type , ， ; ； or a line break */
        char *list = arena_strdup(c->arena, s);
        int64_t *ids = arena_alloc(c->arena, (strlen(s) + 1) * sizeof *ids);
        size_t n = 0;
        static const char *const seps[] = {"、", "，", "；", ",", ";", "\n"};
        for (size_t i = 0; i < sizeof seps / sizeof *seps; i++)
            for (char *p = list; (p = strstr(p, seps[i])); p += strlen(seps[i]))
                memset(p, '\t', strlen(seps[i]));
        for (char *save, *name = strtok_r(list, "\t", &save); name;
             name = strtok_r(NULL, "\t", &save)) {
            while (*name == ' ')
                name++;
            if (!*name)
                continue;
            if (n == IMPORT_MAX_NAMES)
                return svc_fail(c, SVC_INVALID, "err_import_too_many_names", "support",
                                "more than %d names in one cell", IMPORT_MAX_NAMES);
            if ((rc = unit_by_name(c, pairing, name, &ids[n], NULL)) != SVC_OK)
                return rc;
            if (!ids[n])
                return svc_fail(c, SVC_INVALID, "err_import_unit_unknown", "support",
                                "no unit of the pairing is named %s", name);
            n++;
        }
        in->support = ids;
        in->n_support = n;
    }
    if ((s = cell_of(r, W_TASK))) {
        /* "3 深化改革扩大开放" as the export writes it, or the number alone */
        int number = atoi(text_key(c->arena, s));
        if (number < 1)
            return svc_fail(c, SVC_INVALID, "err_task_unknown", "task_id", "no task number: %s", s);
        if (have && have->task_number == number) {
            in->task_id = have->task_id; /* its task, even of an older version of the plan */
        } else {
            struct stmt st;
            db_prepare(c->db, &st,
                       "SELECT t.id FROM task t JOIN plan pl ON pl.id = t.plan_id "
                       "WHERE pl.pairing_id = :p AND t.number = :n "
                       "ORDER BY CASE WHEN pl.status = 'current' THEN 0 ELSE 1 END, pl.id DESC");
            db_bind_int64(&st, ":p", pairing);
            db_bind_int64(&st, ":n", number);
            rc = db_step(&st);
            in->task_id = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
            db_finalize(&st);
            if (rc < 0)
                return store_failed(c, "reading tasks");
            if (!in->task_id)
                return svc_fail(c, SVC_INVALID, "err_task_unknown", "task_id",
                                "the pairing's plans have no task %d", number);
        }
    }
    if (!*id && in->owner_unit_id && in->title) {
        /* A row without an id that names an item of the plan by owner and title is that
         * item: importing a file with new rows twice adds them once. */
        size_t i = keymap_slot(&k->by_id, arena_printf(c->arena, "%lld|%s",
                                                       (long long)in->owner_unit_id,
                                                       text_key(c->arena, in->title)));
        if (k->by_id.keys[i])
            *id = k->plan.items[k->by_id.vals[i]].id;
    }
    return SVC_OK;
}

static int wi_check(struct ctx *c, struct kind_ctx *k, const struct import_row *r,
                    struct kind_row *out)
{
    struct work_item_input in;
    int rc = wi_input(c, k, r, &in, &out->id);
    if (rc != SVC_OK)
        return rc;
    bool same = false;
    if ((rc = work_plan_item_check(c, k->scope, out->id, &in, &same, &out->revision)) != SVC_OK)
        return rc;
    out->match = out->id ? arena_printf(c->arena, "#%lld", (long long)out->id)
                         : arena_printf(c->arena, "%lld|%s", (long long)in.owner_unit_id,
                                        text_key(c->arena, in.title));
    out->action = !out->id ? "new" : same ? "unchanged" : "update";
    return SVC_OK;
}

static int wi_write(struct ctx *c, struct kind_ctx *k, const struct import_row *r, bool *changed)
{
    struct work_item_input in;
    int64_t id;
    int rc = wi_input(c, k, r, &in, &id);
    if (rc != SVC_OK)
        return rc;
    /* The row writes the item the preview saw, as it saw it: an item edited (or, for a row
     * without an id, added) since is someone else's change, not overwritten. */
    if (id != r->id)
        return svc_fail(c, SVC_STALE, "err_stale", "item_id",
                        "row %d: the plan's items changed since the preview", r->row);
    int64_t written; /* two rows of one item were refused by the preview */
    return work_plan_item_put_in(c, k->scope, id, r->revision, &in, &written, changed);
}

/* -- projects: the columns of the projects ledger (web/project.c, docs/ledgers.md) -- */

enum { P_ID, P_NAME, P_PAIRING, P_CITY, P_PARTNERS, P_INDUSTRY, P_REGION, P_STAGE, P_SIGNED,
       P_PLANNED, P_CONTRACTED, P_PAID, P_JOBS, P_MAJOR, P_N };
static const struct kind_col pj_cols[P_N] = {
    {"project_id", "ui_lg_h_project_id", "project_id", false, false},
    {"name", "ui_prj_name", "name", true, false},
    {"pairing", "ui_prj_pairing", "pairing_id", false, false},
    {"city_pairing", "ui_prj_city_pairing", "city_pairing_id", false, false},
    {"partners", "ui_prj_partners", "partners", false, false},
    {"industry", "ui_prj_industry", "industry", false, false},
    {"region", "ui_prj_region", "region_code", false, false},
    {"stage", "ui_prj_stage", "stage", false, false},
    {"signed_on", "ui_prj_signed_on", "stage_on", false, true},
    {"planned", "ui_prj_planned_wan", "invest_planned_yuan", false, false},
    {"contracted", "ui_prj_contracted_wan", "invest_contracted_yuan", false, false},
    {"paid", "ui_prj_paid_wan", "invest_paid_yuan", false, false},
    {"jobs", "ui_prj_jobs", "jobs", false, false},
    {"major", "ui_prj_major", "major", false, false},
};

static int pj_open(struct ctx *c, struct kind_ctx *k)
{
    (void)k;
    if (!project_may_create(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "only a lead office imports projects");
    return SVC_OK;
}

/* The key of a text for comparing names: text_key without dashes and spaces (the export
 * writes 盘锦市—无锡市; people type 盘锦-无锡). */
static const char *loose_key(struct arena *a, const char *s)
{
    char *k = text_key(a, s), *o = k;
    static const char *const drop[] = {"—", "–", "－", "-", " "};
    for (const char *p = k; *p;) {
        size_t n = 0;
        for (size_t i = 0; i < sizeof drop / sizeof *drop && !n; i++)
            if (strncmp(p, drop[i], strlen(drop[i])) == 0)
                n = strlen(drop[i]);
        if (n) {
            p += n;
            continue;
        }
        *o++ = *p++;
    }
    *o = 0;
    return k;
}

/* An amount in 万元 from the cell: a number as a spreadsheet stores it (1234.5678 may come
 * back as 1234.5677999999999), or text as typed (project_parse_wan's rules). */
static int cell_wan(struct ctx *c, const char *s, const char *field, int64_t *yuan)
{
    char *end;
    double d = strtod(s, &end);
    if (end != s && !*end && isfinite(d) && d >= 0 && d < 1e11) {
        *yuan = (int64_t)(d * 10000 + 0.5); /* to the yuan: 4 decimals of 万元 */
        return SVC_OK;
    }
    return project_parse_wan(c, s, field, yuan);
}

/* The names of a list cell (、 ， ； , ; or line breaks between them), as an arena array; more
 * than IMPORT_MAX_NAMES stops counting at IMPORT_MAX_NAMES + 1. */
static size_t split_names(struct arena *a, const char *s, char ***out)
{
    char *list = arena_strdup(a, s);
    static const char *const seps[] = {"、", "，", "；", ",", ";", "\n"};
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++)
        for (char *p = list; (p = strstr(p, seps[i])); p += strlen(seps[i]))
            memset(p, '\t', strlen(seps[i]));
    size_t n = 0;
    *out = arena_alloc(a, (strlen(s) / 2 + 2) * sizeof **out);
    for (char *save, *name = strtok_r(list, "\t", &save); name; name = strtok_r(NULL, "\t", &save)) {
        while (*name == ' ')
            name++;
        size_t len = strlen(name);
        while (len && name[len - 1] == ' ')
            name[--len] = 0;
        if (*name && n <= IMPORT_MAX_NAMES)
            (*out)[n++] = name;
    }
    return n;
}

/* The row's input and the project it updates (*id, 0: a new one). *old is read for an
 * update. */
static int pj_input(struct ctx *c, const struct import_row *r, struct project_input *in,
                    int64_t *id, struct project_view *old)
{
    memset(in, 0, sizeof *in);
    in->side = -1;
    in->platform_id = -1;
    in->is_public = -1;
    in->major = -1;
    *id = 0;
    const char *s;
    int rc;
    int64_t pairing = c->user->pairing_id;
    int side = c->user->side;
    in->name = cell_of(r, P_NAME);
    if ((s = cell_of(r, P_ID))) {
        char *end;
        long long v = strtoll(text_key(c->arena, s), &end, 10);
        if (*end || v < 1)
            return svc_fail(c, SVC_INVALID, "err_import_item_id", "project_id", "not an id: %s", s);
        *id = v;
    } else if (in->name && !perm_is_admin_user(c)) {
        /* A row without a number that names a project of the caller's side by its name is
         * that project: importing new rows twice records them once. */
        struct stmt st;
        db_prepare(c->db, &st,
                   "SELECT id FROM project WHERE pairing_id = :p AND side = :s AND name_key = :k "
                   "ORDER BY id");
        db_bind_int64(&st, ":p", pairing);
        db_bind_int64(&st, ":s", side);
        db_bind_text(&st, ":k", text_key(c->arena, in->name));
        rc = db_step(&st);
        *id = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
        db_finalize(&st);
        if (rc < 0)
            return store_failed(c, "reading projects");
    }
    if (*id) {
        if ((rc = project_get(c, *id, old)) != SVC_OK) {
            c->field = "project_id";
            return rc;
        }
        pairing = old->pairing_id;
        side = old->side;
    } else if (perm_is_admin_user(c)) {
        return svc_fail(c, SVC_INVALID, "err_import_admin_create", "project_id",
                        "an admin records a new project on its form, naming its side");
    }
    /* the city pairing, "盘锦市—无锡市" as the export writes it */
    in->city_pairing_id = 0;
    if ((s = cell_of(r, P_CITY))) {
        const char *want = loose_key(c->arena, s);
        struct stmt st;
        db_prepare(c->db, &st, "SELECT id, name_a, name_b FROM pairing WHERE parent_id = :p ORDER BY id");
        db_bind_int64(&st, ":p", pairing);
        while ((rc = db_step(&st)) == DB_ROW && !in->city_pairing_id)
            if (strcmp(loose_key(c->arena, arena_printf(c->arena, "%s%s", db_col_text(&st, 1),
                                                        db_col_text(&st, 2))),
                       want) == 0)
                in->city_pairing_id = db_col_int64(&st, 0);
        db_finalize(&st);
        if (rc < 0)
            return store_failed(c, "reading pairings");
        if (!in->city_pairing_id)
            return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "city_pairing_id",
                            "no city pairing of the pairing is %s", s);
    }
    if ((s = cell_of(r, P_INDUSTRY))) {
        const char *key = text_key(c->arena, s);
        in->industry = industry_find(s) ? s : NULL;
        for (size_t i = 0; !in->industry && i < industry_count(); i++)
            if (strcmp(text_key(c->arena, industry_at(i)->name), key) == 0)
                in->industry = industry_at(i)->code;
        if (!in->industry)
            return svc_fail(c, SVC_INVALID, "err_industry_unknown", "industry",
                            "%s is not a GB/T 4754-2017 section or division", s);
    } else {
        in->industry = "";
    }
    in->region_code = "";
    if ((s = cell_of(r, P_REGION))) {
        if (*id && old->region_name && strcmp(old->region_name, s) == 0) {
            in->region_code = old->region_code;
        } else {
            struct stmt st;
            db_prepare(c->db, &st, "SELECT code FROM region WHERE code = :n OR name = :n "
                                   "OR name = :k ORDER BY id");
            db_bind_text(&st, ":n", s);
            db_bind_text(&st, ":k", text_key(c->arena, s));
            int found = 0;
            while ((rc = db_step(&st)) == DB_ROW)
                if (found++ == 0)
                    in->region_code = svc_col(c, &st, 0);
            db_finalize(&st);
            if (rc < 0)
                return store_failed(c, "reading regions");
            if (found != 1)
                return svc_fail(c, SVC_INVALID,
                                found ? "err_import_region_ambiguous" : "err_region_unknown",
                                "region_code", "%s names %d regions", s, found);
        }
    }
    if ((s = cell_of(r, P_STAGE))) {
        const char *key = text_key(c->arena, s);
        for (int k = 0; k < STAGE_N && !in->stage; k++) {
            const char *name = project_stage_name((enum project_stage)k);
            if (strcmp(key, name) == 0 ||
                is_head(c->arena, key, arena_printf(c->arena, "ui_prj_stage_%s", name)))
                in->stage = name;
        }
        if (!in->stage)
            return svc_fail(c, SVC_INVALID, "err_project_stage", "stage", "unknown stage %s", s);
        if (*id && strcmp(in->stage, old->stage) != 0)
            return svc_fail(c, SVC_INVALID, "err_import_stage", "stage",
                            "a stage changes on the project's page, with its date");
        if (*id)
            in->stage = NULL;
    }
    if (!*id && in->stage && strcmp(in->stage, "negotiating") != 0)
        in->stage_on = cell_of(r, P_SIGNED); /* the stage's date: the signing's at the latest */
    static const struct {
        int col;
        const char *field;
    } amounts[] = {{P_PLANNED, "invest_planned_yuan"},
                   {P_CONTRACTED, "invest_contracted_yuan"},
                   {P_PAID, "invest_paid_yuan"}};
    int64_t *yuan[] = {&in->invest_planned, &in->invest_contracted, &in->invest_paid};
    for (size_t i = 0; i < 3; i++) {
        *yuan[i] = 0;
        if ((s = cell_of(r, amounts[i].col)) &&
            (rc = cell_wan(c, s, amounts[i].field, yuan[i])) != SVC_OK)
            return rc;
    }
    in->jobs = *id ? -2 : -1;
    if ((s = cell_of(r, P_JOBS))) {
        char *end;
        const char *t = text_key(c->arena, s);
        double d = strtod(t, &end);
        /* cell_int's guards: a value past int64_t (1e300) is not cast */
        if (end == t || *end || !isfinite(d) || d > 9e15 || d < -9e15 || d != (double)(int64_t)d)
            return svc_fail(c, SVC_INVALID, "err_import_number", "jobs", "not a number: %s", s);
        in->jobs = d < 0 ? -3 : (int64_t)d; /* -1, -2 mean keep, clear: -3 is refused */
    }
    in->major = 0;
    if ((s = cell_of(r, P_MAJOR))) {
        const char *key = text_key(c->arena, s);
        in->major = !(strcmp(key, "否") == 0 || strcmp(key, "no") == 0 || strcmp(key, "0") == 0 ||
                      strcmp(key, "false") == 0);
    }
    /* Partners by name: a partner the project has keeps what it is (its side, its credit
     * code); another name is a unit of the pairing, else an enterprise of the owning side. */
    char **names;
    size_t n = (s = cell_of(r, P_PARTNERS)) ? split_names(c->arena, s, &names) : 0;
    if (n > IMPORT_MAX_NAMES)
        return svc_fail(c, SVC_INVALID, "err_import_too_many_names", "partners",
                        "more than %d names in one cell", IMPORT_MAX_NAMES);
    bool same = *id && n == old->n_partners;
    for (size_t i = 0; same && i < n; i++) {
        const struct project_partner *p = &old->partners[i];
        same = strcmp(text_key(c->arena, names[i]),
                      text_key(c->arena, p->unit_id ? p->unit_name : p->enterprise)) == 0;
    }
    in->set_partners = !*id || !same;
    if (in->set_partners) {
        struct project_partner *ps = arena_alloc(c->arena, (n + 1) * sizeof *ps);
        for (size_t i = 0; i < n; i++) {
            const char *key = text_key(c->arena, names[i]);
            const struct project_partner *had = NULL;
            for (size_t j = 0; *id && j < old->n_partners && !had; j++) {
                const struct project_partner *p = &old->partners[j];
                if (strcmp(key, text_key(c->arena, p->unit_id ? p->unit_name : p->enterprise)) == 0)
                    had = p;
            }
            if (had) {
                ps[i] = *had;
                continue;
            }
            int unit_side = -1;
            int64_t unit = 0;
            if ((rc = unit_by_name(c, pairing, names[i], &unit, &unit_side)) != SVC_OK)
                return rc;
            ps[i] = unit ? (struct project_partner){.side = unit_side, .unit_id = unit}
                         : (struct project_partner){.side = side, .enterprise = names[i]};
        }
        in->partners = ps;
        in->n_partners = n;
    }
    return SVC_OK;
}

static int pj_check(struct ctx *c, struct kind_ctx *k, const struct import_row *r,
                    struct kind_row *out)
{
    (void)k;
    struct project_input in;
    struct project_view old;
    int rc = pj_input(c, r, &in, &out->id, &old);
    if (rc != SVC_OK)
        return rc;
    bool changed = false;
    if ((rc = project_check(c, out->id, &in, &changed)) != SVC_OK)
        return rc;
    out->match = out->id ? arena_printf(c->arena, "#%lld", (long long)out->id)
                         : text_key(c->arena, in.name);
    out->action = !out->id ? "new" : changed ? "update" : "unchanged";
    return SVC_OK;
}

static int pj_write(struct ctx *c, struct kind_ctx *k, const struct import_row *r, bool *changed)
{
    (void)k;
    struct project_input in;
    struct project_view old;
    int64_t id, written;
    int rc = pj_input(c, r, &in, &id, &old);
    if (rc != SVC_OK)
        return rc;
    return project_put_in(c, id, &in, &written, changed);
}

static const struct import_kind kinds[] = {
    {"work_items", "err_import_no_header_items", wi_cols, W_N, wi_open, wi_check, wi_write},
    {"projects", "err_import_no_header_projects", pj_cols, P_N, pj_open, pj_check, pj_write},
};

static const struct import_kind *find_kind(const char *name)
{
    for (size_t i = 0; name && i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

/* The header of a kind's sheet: by the defined names, else the first row with the needed
 * headers' words. col[k] -1 for a column the file does not have. */
static int kind_layout(struct arena *a, const struct import_kind *k, const struct xlsx_sheet *s,
                       int *col)
{
    int name_row = 0;
    for (size_t j = 0; j < k->n_cols; j++)
        col[j] = -1;
    for (size_t i = 0; i < s->n_names; i++)
        for (size_t j = 0; j < k->n_cols; j++)
            if (strcmp(s->names[i].name, arena_printf(a, "duikou_%s", k->cols[j].key)) == 0) {
                col[j] = s->names[i].col;
                name_row = s->names[i].row;
            }
    bool named = name_row > 0;
    for (size_t j = 0; j < k->n_cols; j++)
        named = named && (col[j] >= 0 || !k->cols[j].needed);
    for (size_t r = 0; r < s->n_rows && r < IMPORT_HEADER_ROWS; r++) {
        const struct xlsx_row *row = &s->rows[r];
        if (named) {
            if (row->number == name_row)
                return (int)r;
            continue;
        }
        for (size_t j = 0; j < k->n_cols; j++)
            col[j] = -1;
        for (size_t ci = 0; ci < row->n; ci++) {
            if (row->cells[ci].type != XLSX_TEXT)
                continue;
            const char *key = text_key(a, row->cells[ci].text);
            for (size_t j = 0; j < k->n_cols; j++)
                if (col[j] < 0 && is_head(a, key, k->cols[j].head)) {
                    col[j] = (int)ci;
                    break;
                }
        }
        bool all = true;
        for (size_t j = 0; j < k->n_cols; j++)
            all = all && (col[j] >= 0 || !k->cols[j].needed);
        if (all)
            return (int)r;
    }
    return -1;
}

static const char *kind_rows_json(struct ctx *c, const struct import_kind *k, int64_t scope,
                                  const struct import_row *rows, size_t n)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "scope_id", scope);
    jw_key(w, "rows");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kint(w, "row", rows[i].row);
        jw_kint(w, "id", rows[i].id);
        if (rows[i].revision)
            jw_kint(w, "revision", rows[i].revision);
        jw_kstr(w, "action", rows[i].action);
        jw_key(w, "cells");
        jw_arr(w);
        for (size_t x = 0; x < k->n_cols; x++)
            jw_str(w, rows[i].cells[x] ? rows[i].cells[x] : "");
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    return svc_json_end(c, &j);
}

static void count_action(struct import_view *v, const char *action)
{
    if (!action)
        return;
    if (strcmp(action, "new") == 0)
        v->n_new++;
    else if (strcmp(action, "update") == 0)
        v->n_update++;
    else
        v->n_unchanged++;
}

static void kind_columns(struct ctx *c, const struct import_kind *k, struct import_view *out)
{
    out->n_cols = k->n_cols;
    out->cols = arena_alloc(c->arena, k->n_cols * sizeof *out->cols);
    for (size_t j = 0; j < k->n_cols; j++)
        out->cols[j] = (struct import_column){k->cols[j].key, k->cols[j].head};
}

static int store_preview(struct ctx *c, const char *kind, const char *filename, const void *data,
                         size_t len, const char *rows, const struct errs *e,
                         struct import_view *out);

static int preview_kind(struct ctx *c, const struct import_kind *k, struct kind_ctx *kc,
                        const char *filename, const void *data, size_t len,
                        const struct xlsx_sheet *s, struct import_view *out)
{
    int *col = arena_alloc(c->arena, k->n_cols * sizeof *col);
    int head_row = kind_layout(c->arena, k, s, col);
    if (head_row < 0)
        return file_refused(c, k->no_header, "no row has the headers of the export");
    if (s->n_rows - (size_t)head_row - 1 > IMPORT_MAX_ROWS)
        return file_refused(c, "err_import_too_many_rows", "more rows than an import takes");
    const struct xlsx_row *head = &s->rows[head_row];
    kind_columns(c, k, out);
    struct errs e = {0};
    size_t cap = 0;
    struct keymap seen; /* each row's object, for duplicates: its first row's index */
    keymap_init(c->arena, &seen, s->n_rows);
    for (size_t i = (size_t)head_row + 1; i < s->n_rows; i++) {
        const struct xlsx_row *row = &s->rows[i];
        struct import_row r = {.row = row->number};
        r.cells = arena_alloc(c->arena, k->n_cols * sizeof *r.cells);
        bool any = false;
        for (size_t j = 0; j < k->n_cols; j++) {
            const struct xlsx_cell *cell = col[j] >= 0 ? xlsx_cell(row, (size_t)col[j]) : NULL;
            char day[11];
            if (!cell || cell->type == XLSX_EMPTY)
                r.cells[j] = "";
            else if (k->cols[j].date && xlsx_date(cell, s->date1904, day))
                r.cells[j] = arena_strdup(c->arena, day);
            else
                r.cells[j] = cell->text;
            any = any || *r.cells[j];
        }
        if (!any) /* a note under the table, an empty row */
            continue;
        struct import_row *slot = ARRAY_PUSH(c->arena, out->items, out->n_rows, cap);
        struct kind_row kr = {0};
        int rc = k->check(c, kc, &r, &kr);
        if (rc == SVC_ERROR)
            return rc;
        if (rc != SVC_OK) {
            const char *column = NULL;
            for (size_t j = 0; j < k->n_cols && c->field && !column; j++) {
                /* the field itself, or an element of it ("partners[0].enterprise") */
                size_t n = strlen(k->cols[j].field);
                if (strncmp(c->field, k->cols[j].field, n) == 0 &&
                    (c->field[n] == '\0' || c->field[n] == '['))
                    column = col[j] >= 0 ? xlsx_cell(head, (size_t)col[j])->text : NULL;
            }
            add_error(c, &e, r.row, column, c->code, 0);
        } else {
            r.id = kr.id;
            r.revision = kr.revision;
            r.action = kr.action;
            size_t first;
            if (keymap_get_or_put(&seen, kr.match, out->n_rows - 1, &first)) {
                add_error(c, &e, r.row, NULL, "err_import_duplicate_row", out->items[first].row);
                r.action = NULL;
            }
        }
        *slot = r;
        if (e.n > IMPORT_MAX_ERRORS)
            return file_refused(c, "err_import_too_many_errors", "too many errors to list");
    }
    c->code = c->field = c->error = NULL;
    if (out->n_rows == 0)
        return file_refused(c, "err_import_no_rows", "the file has no rows under its header");
    for (size_t i = 0; i < out->n_rows; i++)
        count_action(out, out->items[i].action);
    return store_preview(c, k->name, filename, data, len,
                         kind_rows_json(c, k, kc->scope, out->items, out->n_rows), &e, out);
}

static enum ooxml_status read_sheet(struct ctx *c, const void *data, size_t len,
                                    struct xlsx_sheet *s, int *rc)
{
    enum ooxml_status st = xlsx_read(c->arena, data, len, NULL, s);
    switch (st) {
    case OOXML_OK: *rc = SVC_OK; break;
    case OOXML_NOT_ZIP:
    case OOXML_MISSING: *rc = file_refused(c, "err_import_not_xlsx", ooxml_status_message(st)); break;
    case OOXML_LEGACY: *rc = file_refused(c, "err_import_legacy_format", ooxml_status_message(st)); break;
    case OOXML_ENCRYPTED: *rc = file_refused(c, "err_import_encrypted", ooxml_status_message(st)); break;
    case OOXML_TOO_LARGE: *rc = file_refused(c, "err_import_too_large", ooxml_status_message(st)); break;
    case OOXML_BAD_XML: *rc = file_refused(c, "err_import_bad_xml", ooxml_status_message(st)); break;
    }
    return st;
}

/* Stores a checked preview (rows: its rows as JSON) and fills out's common fields. */
static int store_preview(struct ctx *c, const char *kind, const char *filename, const void *data,
                         size_t len, const char *rows, const struct errs *e,
                         struct import_view *out)
{
    char sha[SHA256_HEX_LEN + 1];
    sha256_hex(data, len, sha);
    int64_t now = clock_now_ms();
    char created[25], expires[25];
    clock_format(now, created);
    clock_format(now + (int64_t)IMPORT_TTL_HOURS * 3600 * 1000, expires);
    const char *errors = errors_json(c, e);
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting a transaction");
    struct stmt q;
    /* The user's expired previews go when a new one comes: they were never data. */
    db_prepare(c->db, &q, "DELETE FROM import WHERE user_id = :u AND committed_at IS NULL "
                          "AND expires_at < :now");
    db_bind_int64(&q, ":u", c->user->id);
    db_bind_text(&q, ":now", created);
    int rc = db_step(&q);
    db_finalize(&q);
    if (rc >= 0) {
        db_prepare(c->db, &q,
                   "INSERT INTO import (kind, user_id, sha256, filename, n_rows, n_errors, rows, "
                   "errors, created_at, expires_at) VALUES (:k, :u, :sha, :f, :n, :ne, :rows, "
                   ":errors, :at, :exp)");
        db_bind_text(&q, ":k", kind);
        db_bind_int64(&q, ":u", c->user->id);
        db_bind_text(&q, ":sha", sha);
        db_bind_text(&q, ":f", filename);
        db_bind_int64(&q, ":n", (int64_t)out->n_rows);
        db_bind_int64(&q, ":ne", (int64_t)e->n);
        db_bind_text(&q, ":rows", rows);
        db_bind_text(&q, ":errors", errors);
        db_bind_text(&q, ":at", created);
        db_bind_text(&q, ":exp", expires);
        rc = db_step(&q);
        db_finalize(&q);
    }
    int64_t id = rc >= 0 ? db_last_insert_id(c->db) : 0;
    if (rc >= 0) {
        struct svc_json j;
        struct jw *w = svc_json_begin(&j);
        jw_kstr(w, "kind", kind);
        jw_kstr(w, "sha256", sha);
        jw_kstr(w, "filename", filename);
        if (out->scope_id)
            jw_kint(w, "scope_id", out->scope_id);
        jw_kint(w, "rows", (int64_t)out->n_rows);
        jw_kint(w, "errors", (int64_t)e->n);
        rc = audit_append(c->db, c->actor, "import.preview", "import", id, NULL,
                          svc_json_end(c, &j), c->client);
    }
    if (rc < 0 || db_commit(c->db) < 0) {
        db_rollback(c->db);
        return store_failed(c, "storing the preview");
    }
    out->id = id;
    out->user_id = c->user->id;
    out->kind = arena_strdup(c->arena, kind);
    out->sha256 = arena_strdup(c->arena, sha);
    out->filename = filename ? arena_strdup(c->arena, filename) : NULL;
    out->created_at = arena_strdup(c->arena, created);
    out->expires_at = arena_strdup(c->arena, expires);
    out->errors = e->items;
    out->n_errors = e->n;
    return SVC_OK;
}

static int preview_reports(struct ctx *c, const char *filename, const void *data, size_t len,
                           const struct xlsx_sheet *sheet, struct import_view *out)
{
    if (c->user->role == ROLE_LEADER || c->user->role == ROLE_PUBLIC)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "leaders do not report");
    const struct xlsx_sheet s = *sheet;
    struct layout L;
    if (!find_layout(c->arena, &s, &L))
        return file_refused(c, "err_import_no_header",
                            "no row has the headers 事项编号, 报告期, 状态, 完成比例, 进展情况");
    if (s.n_rows - (size_t)L.head_row - 1 > IMPORT_MAX_ROWS)
        return file_refused(c, "err_import_too_many_rows", "more rows than an import takes");

    struct errs e = {0};
    size_t cap = 0;
    const struct xlsx_row *head = &s.rows[L.head_row];
    struct keymap seen; /* item|period of the rows read: a repeat is an error */
    keymap_init(c->arena, &seen, s.n_rows);
    struct report_figure figs[REPORT_MAX_FIGURES + 2];
    for (size_t i = (size_t)L.head_row + 1; i < s.n_rows; i++) {
        const struct xlsx_row *row = &s.rows[i];
        /* A row with none of the report's cells (a note under the table) is not a report. */
        bool any = false;
        for (int k = 0; k < N_COLS && !any; k++)
            any = xlsx_cell(row, (size_t)L.col[k])->type != XLSX_EMPTY;
        if (!any)
            continue;
        struct import_report_row *r = ARRAY_PUSH(c->arena, out->rows, out->n_rows, cap);
        bool ok = read_row(c, &s, &L, row, r, &e);
        size_t first; /* a row with errors still counts as the first of its item and period */
        bool dup = r->period && keymap_get_or_put(&seen, arena_printf(c->arena, "%lld|%s",
                                                  (long long)r->work_item_id, r->period),
                                                  out->n_rows - 1, &first);
        if (!ok)
            goto next;
        if (dup) {
            add_error(c, &e, r->row, NULL, "err_import_duplicate", out->rows[first].row);
            goto next;
        }
        struct report_input in = report_in(r, figs);
        int rc = report_check_correction(c, &in, &r->correction);
        if (rc == SVC_ERROR)
            return rc;
        if (rc != SVC_OK)
            add_error(c, &e, r->row, field_column(&L, head, r, c->field), c->code, 0);
        else if (r->correction)
            out->n_corrections++;
    next:
        if (e.n > IMPORT_MAX_ERRORS)
            return file_refused(c, "err_import_too_many_errors", "too many errors to list");
    }
    c->code = c->field = c->error = NULL;
    if (out->n_rows == 0)
        return file_refused(c, "err_import_no_rows", "the file has no rows under its header");
    return store_preview(c, "reports", filename, data, len, rows_json(c, out->rows, out->n_rows),
                         &e, out);
}

int import_preview(struct ctx *c, const char *kind, int64_t scope, const char *filename,
                   const void *data, size_t len, struct import_view *out)
{
    memset(out, 0, sizeof *out);
    if (!c->user)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "an import records who made it: act as a user");
    if (!known_kind(kind))
        return svc_fail(c, SVC_INVALID, "err_import_kind", "kind",
                        "kind is reports, work_items or projects");
    const struct import_kind *k = find_kind(kind); /* NULL: reports */
    struct xlsx_sheet s;
    struct kind_ctx kc = {.scope = scope};
    int rc;
    /* The scope is checked before the file is read: a refusal costs nothing. */
    if (k && (rc = k->open(c, &kc)) != SVC_OK)
        return rc;
    out->scope_id = k ? scope : 0;
    if (read_sheet(c, data, len, &s, &rc) != OOXML_OK)
        return rc;
    return k ? preview_kind(c, k, &kc, filename, data, len, &s, out)
             : preview_reports(c, filename, data, len, &s, out);
}

/* ---- reading and committing ------------------------------------------------------------- */

static const char *jstr(struct ctx *c, json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? arena_strdup(c->arena, s) : NULL;
}

int import_get(struct ctx *c, int64_t id, struct import_view *out)
{
    memset(out, 0, sizeof *out);
    if (!c->user || c->user->role == ROLE_LEADER || c->user->role == ROLE_PUBLIC)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "imports are made by users who report: act as one");
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT kind, user_id, sha256, filename, created_at, expires_at, committed_at, "
               "rows, errors FROM import WHERE id = :id AND user_id = :u");
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":u", c->user->id);
    int rc = db_step(&st);
    const char *rows = NULL, *errors = NULL;
    if (rc == DB_ROW) {
        out->id = id;
        out->kind = svc_col(c, &st, 0);
        out->user_id = db_col_int64(&st, 1);
        out->sha256 = svc_col(c, &st, 2);
        out->filename = svc_col(c, &st, 3);
        out->created_at = svc_col(c, &st, 4);
        out->expires_at = svc_col(c, &st, 5);
        out->committed_at = svc_col(c, &st, 6);
        rows = svc_col(c, &st, 7);
        errors = svc_col(c, &st, 8);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the import");
    if (rc != DB_ROW) /* another user's import is not there for the caller */
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no import %lld",
                        (long long)id);
    json_t *rj = json_loads(rows, 0, NULL), *ej = json_loads(errors, 0, NULL);
    json_t *ra = json_object_get(rj, "rows"), *ea = json_object_get(ej, "errors");
    out->n_rows = json_array_size(ra);
    const struct import_kind *k = find_kind(out->kind);
    if (k) {
        kind_columns(c, k, out);
        out->scope_id = json_integer_value(json_object_get(rj, "scope_id"));
        out->items = arena_alloc(c->arena, (out->n_rows + 1) * sizeof *out->items);
        for (size_t i = 0; i < out->n_rows; i++) {
            json_t *o = json_array_get(ra, i), *cells = json_object_get(o, "cells");
            struct import_row *r = &out->items[i];
            r->row = (int)json_integer_value(json_object_get(o, "row"));
            r->id = json_integer_value(json_object_get(o, "id"));
            r->revision = json_integer_value(json_object_get(o, "revision"));
            r->action = jstr(c, o, "action");
            r->cells = arena_alloc(c->arena, k->n_cols * sizeof *r->cells);
            for (size_t x = 0; x < k->n_cols; x++) {
                const char *t = json_string_value(json_array_get(cells, x));
                r->cells[x] = arena_strdup(c->arena, t ? t : "");
            }
            count_action(out, r->action);
        }
    }
    if (!k)
        out->rows = arena_alloc(c->arena, (out->n_rows + 1) * sizeof *out->rows);
    for (size_t i = 0; i < (k ? 0 : out->n_rows); i++) {
        json_t *o = json_array_get(ra, i);
        struct import_report_row *r = &out->rows[i];
        r->row = (int)json_integer_value(json_object_get(o, "row"));
        r->work_item_id = json_integer_value(json_object_get(o, "work_item_id"));
        r->period = jstr(c, o, "period");
        r->status = jstr(c, o, "status");
        r->percent = (int)json_integer_value(json_object_get(o, "percent"));
        r->narrative = jstr(c, o, "narrative");
        r->correction = json_is_true(json_object_get(o, "correction"));
        out->n_corrections += r->correction;
        json_t *fa = json_object_get(o, "figures");
        r->n_figures = json_array_size(fa);
        r->figures = arena_alloc(c->arena, (r->n_figures + 1) * sizeof *r->figures);
        for (size_t x = 0; x < r->n_figures; x++) {
            json_t *f = json_array_get(fa, x);
            r->figures[x].name = jstr(c, f, "name");
            r->figures[x].unit = jstr(c, f, "unit");
            r->figures[x].value = json_integer_value(json_object_get(f, "value"));
            r->figures[x].col = (size_t)json_integer_value(json_object_get(f, "col"));
        }
    }
    out->n_errors = json_array_size(ea);
    out->errors = arena_alloc(c->arena, (out->n_errors + 1) * sizeof *out->errors);
    for (size_t i = 0; i < out->n_errors; i++) {
        json_t *o = json_array_get(ea, i);
        out->errors[i].row = (int)json_integer_value(json_object_get(o, "row"));
        out->errors[i].column = jstr(c, o, "column");
        out->errors[i].code = jstr(c, o, "code");
        out->errors[i].arg = (int)json_integer_value(json_object_get(o, "arg"));
    }
    json_decref(rj);
    json_decref(ej);
    return SVC_OK;
}

/* The rows of a reports import, inside the commit's transaction. */
static int commit_reports(struct ctx *c, const struct import_view *v, bool corrections,
                          int *created, int *unchanged, int *failed_row)
{
    struct report_figure figs[REPORT_MAX_FIGURES + 2];
    for (size_t i = 0; i < v->n_rows; i++) {
        struct report_input in = report_in(&v->rows[i], figs);
        /* as the form's box: an accepted report is replaced only when the caller confirmed */
        in.correction = corrections ? REPORT_CORRECTION_YES : REPORT_CORRECTION_NO;
        int64_t report;
        int rc = report_submit_in(c, &in, true, &report);
        if (rc != SVC_OK) {
            *failed_row = v->rows[i].row;
            return rc;
        }
        if (report)
            ++*created;
        else
            ++*unchanged;
    }
    return SVC_OK;
}

/* The rows of another kind, inside the commit's transaction: the scope opened again (the
 * caller's right, the plan still a draft) and every row read and written again. */
static int commit_kind(struct ctx *c, const struct import_kind *k, const struct import_view *v,
                       int *created, int *updated, int *unchanged, int *failed_row)
{
    struct kind_ctx kc = {.scope = v->scope_id};
    int rc = k->open(c, &kc);
    for (size_t i = 0; rc == SVC_OK && i < v->n_rows; i++) {
        bool changed = false;
        if ((rc = k->write(c, &kc, &v->items[i], &changed)) != SVC_OK) {
            *failed_row = v->items[i].row;
            if (rc == SVC_STALE) /* edited since the preview: a conflict, as the form's */
                rc = SVC_CONFLICT;
            break;
        }
        if (!changed)
            ++*unchanged;
        else if (v->items[i].id)
            ++*updated;
        else
            ++*created;
    }
    return rc;
}

int import_commit(struct ctx *c, int64_t id, bool corrections, int *created, int *updated,
                  int *unchanged, int *failed_row)
{
    *created = *updated = *unchanged = 0;
    int row = 0;
    if (failed_row)
        *failed_row = 0;
    struct import_view v;
    int rc = import_get(c, id, &v);
    if (rc != SVC_OK)
        return rc;
    if (v.committed_at)
        return svc_fail(c, SVC_CONFLICT, "err_import_committed", NULL,
                        "import %lld was committed at %s", (long long)id, v.committed_at);
    char now[25];
    clock_format(clock_now_ms(), now);
    if (strcmp(v.expires_at, now) < 0)
        return svc_fail(c, SVC_CONFLICT, "err_import_expired", NULL,
                        "import %lld expired at %s: upload the file again", (long long)id,
                        v.expires_at);
    if (v.n_errors)
        return svc_fail(c, SVC_INVALID, "err_import_has_errors", NULL,
                        "import %lld has %zu errors: correct the file and upload it again",
                        (long long)id, v.n_errors);
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting a transaction");
    /* Committed by a concurrent request meanwhile? Checked under the write lock. */
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE import SET committed_at = :now WHERE id = :id AND committed_at IS NULL");
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":id", id);
    rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0 || db_changes(c->db) != 1) {
        db_rollback(c->db);
        return rc < 0 ? store_failed(c, "marking the import")
                      : svc_fail(c, SVC_CONFLICT, "err_import_committed", NULL,
                                 "import %lld was committed meanwhile", (long long)id);
    }
    const struct import_kind *k = find_kind(v.kind);
    rc = k ? commit_kind(c, k, &v, created, updated, unchanged, &row)
           : commit_reports(c, &v, corrections, created, unchanged, &row);
    if (rc != SVC_OK) {
        if (failed_row)
            *failed_row = row;
        db_rollback(c->db);
        *created = *updated = *unchanged = 0;
        return rc;
    }
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kstr(w, "kind", v.kind);
    jw_kstr(w, "sha256", v.sha256);
    jw_kstr(w, "filename", v.filename);
    if (v.scope_id)
        jw_kint(w, "scope_id", v.scope_id);
    jw_kint(w, "created", *created);
    if (k)
        jw_kint(w, "updated", *updated);
    jw_kint(w, "unchanged", *unchanged);
    const char *after = svc_json_end(c, &j);
    if (audit_append(c->db, c->actor, "import.commit", "import", id, NULL, after, c->client) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        *created = *updated = *unchanged = 0;
        return store_failed(c, "committing the import");
    }
    return SVC_OK;
}

const char *import_fill(struct arena *a, const char *text, const char *name, long long value)
{
    const char *key = arena_printf(a, "{%s}", name), *at = strstr(text, key);
    if (!at)
        return text;
    return arena_printf(a, "%.*s%lld%s", (int)(at - text), text, value, at + strlen(key));
}

const char *import_error_message(struct arena *a, int lang, const struct import_error *e)
{
    return import_fill(a, i18n((enum lang)lang, e->code), "row", e->arg);
}
