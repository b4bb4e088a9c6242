/* xlsx_read: a worksheet's cells from an .xlsx package (see xlsx_read.h). Producers differ
 * in what they write — Excel and WPS shared strings with rich-text runs, LibreOffice and
 * libxlsxwriter sometimes inline strings, absolute or relative relationship targets, rows and
 * cells with or without references — and all of it is read the same way here. */
#include "core/xlsx_read.h"

#include <math.h> /* isfinite: a macro, no libm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/sb.h"

/* An attribute's value without copying (the text node libxml2 holds), or NULL. */
static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0)
            return a->children && a->children->content ? (const char *)a->children->content
                                                       : "";
    return NULL;
}

/* The text directly inside an element (its text and CDATA children), appended to b. Excel
 * writes characters XML cannot carry as _xHHHH_ (ST_Xstring): decoded here. */
static void append_text(struct sb *b, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content)
            continue;
        const char *s = (const char *)c->content;
        while (*s) {
            unsigned v;
            int used = 0;
            if (s[0] == '_' && s[1] == 'x' && sscanf(s + 2, "%4x%n", &v, &used) == 1 &&
                used == 4 && s[6] == '_') {
                sb_append_cp(b, v);
                s += 7;
            } else {
                sb_appendc(b, *s++);
            }
        }
    }
}

/* The text of a string item (<si>, <is>): plain <t>, or the <t> of each rich-text run <r>;
 * phonetic guides (<rPh>) are not part of the text. */
static void string_item(struct sb *b, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (ooxml_is(c, "t"))
            append_text(b, c);
        else if (ooxml_is(c, "r"))
            string_item(b, c);
    }
}

/* A part name from a relationship target: absolute (/xl/worksheets/sheet1.xml) or relative
 * to the folder of the part whose relationships name it (base "xl/"). */
static const char *resolve(struct arena *a, const char *base, const char *target)
{
    if (target[0] == '/')
        return arena_strdup(a, target + 1);
    struct sb b = SB_INIT;
    sb_append(&b, base);
    while (strncmp(target, "../", 3) == 0) {
        target += 3;
        /* drop the last folder of b ("xl/" → "") */
        if (b.len)
            b.len--;
        while (b.len && b.buf[b.len - 1] != '/')
            b.len--;
        b.buf[b.len] = '\0';
    }
    while (strncmp(target, "./", 2) == 0)
        target += 2;
    sb_append(&b, target);
    char *s = arena_strdup(a, sb_str(&b));
    sb_free(&b);
    return s;
}

/* The relationships of a part (its _rels/<name>.rels): the target of the first whose Id is id,
 * or (id NULL) whose Type ends with type_suffix. */
static const char *rel_target(struct ooxml *z, struct arena *a, const char *rels,
                              const char *id, const char *type_suffix)
{
    xmlDocPtr doc;
    if (ooxml_xml(z, rels, &doc) != OOXML_OK)
        return NULL;
    for (xmlNode *r = xmlDocGetRootElement(doc)->children; r; r = r->next) {
        if (!ooxml_is(r, "Relationship"))
            continue;
        const char *rid = attr(r, "Id"), *type = attr(r, "Type"), *target = attr(r, "Target");
        if (!target)
            continue;
        if (id ? rid && strcmp(rid, id) == 0
               : type && strlen(type) >= strlen(type_suffix) &&
                     strcmp(type + strlen(type) - strlen(type_suffix), type_suffix) == 0)
            return arena_strdup(a, target);
    }
    return NULL;
}

int xlsx_ref_col(const char *ref, int *row)
{
    int col = 0, letters = 0;
    const char *s = ref;
    if (*s == '$')
        s++;
    for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
        if (++letters > 3)
            return -1;
        col = col * 26 + ((*s | 0x20) - 'a' + 1);
    }
    if (!letters)
        return -1;
    if (*s == '$')
        s++;
    int r = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        if ((r = r * 10 + (*s - '0')) > 10000000)
            return -1;
    if (*s)
        return -1;
    if (row)
        *row = r;
    return col - 1;
}

/* The defined names of the workbook that point at one cell of sheet ("'报告'!$C$2"). */
static void defined_names(struct arena *a, const xmlNode *wb, const char *sheet,
                          struct xlsx_sheet *out)
{
    size_t cap = 0;
    for (const xmlNode *d = ooxml_child(ooxml_child(wb, "definedNames"), "definedName"); d;
         d = d->next) {
        const char *name = ooxml_is(d, "definedName") ? attr(d, "name") : NULL;
        struct sb v = SB_INIT;
        append_text(&v, d);
        const char *ref = sb_str(&v);
        if (*ref == '=')
            ref++;
        const char *bang = strrchr(ref, '!');
        if (name && bang && !strchr(bang, ':')) {
            /* The sheet part, unquoted ('' inside quotes is one '). */
            struct sb s = SB_INIT;
            const char *p = ref;
            if (*p == '\'') {
                for (p++; p < bang; p++) {
                    if (*p == '\'' && p[1] == '\'')
                        p++;
                    else if (*p == '\'')
                        break;
                    sb_appendc(&s, *p);
                }
            } else {
                sb_appendn(&s, ref, (size_t)(bang - ref));
            }
            int row = 0, col = xlsx_ref_col(bang + 1, &row);
            if (strcmp(sb_str(&s), sheet) == 0 && col >= 0 && row > 0) {
                struct xlsx_name *n = ARRAY_PUSH(a, out->names, out->n_names, cap);
                n->name = arena_strdup(a, name);
                n->row = row;
                n->col = col;
            }
            sb_free(&s);
        }
        sb_free(&v);
    }
}

static bool truthy(const char *s)
{
    return s && (strcmp(s, "1") == 0 || strcmp(s, "true") == 0);
}

enum ooxml_status xlsx_read(struct arena *a, const void *data, size_t len, const char *sheet,
                            struct xlsx_sheet *out)
{
    memset(out, 0, sizeof *out);
    struct ooxml *z;
    enum ooxml_status rc = ooxml_open(a, data, len, &z);
    if (rc != OOXML_OK)
        return rc;

    /* The workbook: where the package's relationships say, else where everyone puts it. */
    const char *wb_name = rel_target(z, a, "_rels/.rels", NULL, "/officeDocument");
    wb_name = wb_name ? resolve(a, "", wb_name) : "xl/workbook.xml";
    if (!ooxml_has(z, wb_name))
        return OOXML_MISSING;
    xmlDocPtr doc;
    if ((rc = ooxml_xml(z, wb_name, &doc)) != OOXML_OK)
        return rc;
    xmlNode *wb = xmlDocGetRootElement(doc);
    if (!ooxml_is(wb, "workbook"))
        return OOXML_MISSING;
    out->date1904 = truthy(attr(ooxml_child(wb, "workbookPr") ? ooxml_child(wb, "workbookPr")
                                                                : wb,
                                "date1904"));
    const char *base = "";
    const char *slash = strrchr(wb_name, '/');
    if (slash)
        base = arena_strndup(a, wb_name, (size_t)(slash - wb_name + 1));
    const char *rels = arena_printf(a, "%s_rels/%s.rels", base, slash ? slash + 1 : wb_name);

    /* The sheet by name, or the first; its part through the workbook's relationships. */
    const char *rid = NULL;
    for (xmlNode *s = ooxml_child(ooxml_child(wb, "sheets"), "sheet"); s; s = s->next) {
        if (!ooxml_is(s, "sheet"))
            continue;
        const char *name = attr(s, "name");
        if (sheet && (!name || strcmp(name, sheet) != 0))
            continue;
        out->name = arena_strdup(a, name ? name : "");
        rid = attr(s, "id"); /* r:id */
        break;
    }
    if (!rid)
        return OOXML_MISSING;
    const char *target = rel_target(z, a, rels, rid, NULL);
    if (!target)
        return OOXML_MISSING;
    const char *sheet_part = resolve(a, base, target);
    defined_names(a, wb, out->name, out);

    /* Shared strings, when there are any. */
    const char **strings = NULL;
    size_t n_strings = 0, cap = 0;
    const char *sst = rel_target(z, a, rels, NULL, "/sharedStrings");
    sst = sst ? resolve(a, base, sst) : arena_printf(a, "%ssharedStrings.xml", base);
    if (ooxml_has(z, sst)) {
        if ((rc = ooxml_xml(z, sst, &doc)) != OOXML_OK)
            return rc;
        struct sb b = SB_INIT;
        for (xmlNode *si = xmlDocGetRootElement(doc)->children; si; si = si->next) {
            if (!ooxml_is(si, "si"))
                continue;
            sb_reset(&b);
            string_item(&b, si);
            if (b.len > XLSX_MAX_CELL) {
                sb_free(&b);
                return OOXML_TOO_LARGE;
            }
            *(const char **)ARRAY_PUSH(a, strings, n_strings, cap) = arena_strdup(a, sb_str(&b));
        }
        sb_free(&b);
    }

    if ((rc = ooxml_xml(z, sheet_part, &doc)) != OOXML_OK)
        return rc;
    xmlNode *data_node = ooxml_child(xmlDocGetRootElement(doc), "sheetData");
    size_t row_cap = 0;
    int last_row = 0;
    struct sb b = SB_INIT;
    size_t text_total = 0; /* bytes of every cell's text so far (XLSX_MAX_TEXT) */
    struct xlsx_cell *cells = xcalloc(XLSX_MAX_COLS, sizeof *cells);
    for (xmlNode *rn = data_node ? data_node->children : NULL; rn; rn = rn->next) {
        if (!ooxml_is(rn, "row"))
            continue;
        const char *rs = attr(rn, "r");
        int number = rs ? atoi(rs) : last_row + 1;
        if (number <= last_row || number > 10000000)
            number = last_row + 1; /* out of order or absurd: take it as the next row */
        last_row = number;
        size_t n = 0;
        int next_col = 0;
        for (xmlNode *cn = rn->children; cn; cn = cn->next) {
            if (!ooxml_is(cn, "c"))
                continue;
            const char *ref = attr(cn, "r");
            int col = ref ? xlsx_ref_col(ref, NULL) : next_col;
            if (col < 0)
                col = next_col;
            next_col = col + 1;
            if (col >= XLSX_MAX_COLS)
                continue; /* far to the right: no ledger column is there */
            const char *t = attr(cn, "t");
            xmlNode *v = ooxml_child(cn, "v");
            sb_reset(&b);
            enum xlsx_type type = XLSX_TEXT;
            if (t && strcmp(t, "inlineStr") == 0) {
                xmlNode *is = ooxml_child(cn, "is");
                if (is)
                    string_item(&b, is);
            } else if (!v) {
                continue; /* a formatted cell without a value */
            } else if (t && strcmp(t, "s") == 0) {
                struct sb idx = SB_INIT;
                append_text(&idx, v);
                char *end;
                unsigned long i = strtoul(sb_str(&idx), &end, 10);
                bool ok = idx.len && !*end && i < n_strings;
                sb_free(&idx);
                if (ok && *strings[i]) { /* shared: the cell points at it, no copy */
                    if ((text_total += strlen(strings[i])) > XLSX_MAX_TEXT) {
                        rc = OOXML_TOO_LARGE;
                        goto done;
                    }
                    cells[col].type = XLSX_TEXT;
                    cells[col].text = strings[i];
                    if ((size_t)col + 1 > n)
                        n = (size_t)col + 1;
                }
                continue;
            } else {
                append_text(&b, v);
                if (t && strcmp(t, "b") == 0) {
                    type = XLSX_BOOL;
                    const char *s = sb_str(&b);
                    bool yes = strcmp(s, "1") == 0 || strcmp(s, "true") == 0;
                    sb_reset(&b);
                    sb_append(&b, yes ? "TRUE" : "FALSE");
                } else if (t && strcmp(t, "e") == 0) {
                    type = XLSX_ERROR;
                } else if (!t || strcmp(t, "n") == 0) {
                    type = XLSX_NUMBER;
                }
            }
            if (b.len > XLSX_MAX_CELL || (text_total += b.len) > XLSX_MAX_TEXT) {
                rc = OOXML_TOO_LARGE;
                goto done;
            }
            if (b.len == 0)
                continue;
            cells[col].type = type;
            cells[col].text = arena_strndup(a, b.buf, b.len);
            if ((size_t)col + 1 > n)
                n = (size_t)col + 1;
        }
        if (n == 0)
            continue; /* an empty row (formatting only, or trailing) */
        if (out->n_rows == XLSX_MAX_ROWS) {
            rc = OOXML_TOO_LARGE;
            goto done;
        }
        struct xlsx_row *row = ARRAY_PUSH(a, out->rows, out->n_rows, row_cap);
        row->number = number;
        row->n = n;
        row->cells = arena_alloc(a, n * sizeof *row->cells);
        for (size_t i = 0; i < n; i++) {
            row->cells[i] = cells[i];
            if (!row->cells[i].text)
                row->cells[i].text = "";
        }
        memset(cells, 0, n * sizeof *cells);
    }
    rc = OOXML_OK;
done:
    free(cells);
    sb_free(&b);
    return rc;
}

const struct xlsx_cell *xlsx_cell(const struct xlsx_row *row, size_t col)
{
    static const struct xlsx_cell empty = {XLSX_EMPTY, ""};
    return row && col < row->n ? &row->cells[col] : &empty;
}

/* ---- dates ------------------------------------------------------------------------------ */

/* Days since 1970-01-01 → civil date (H. Hinnant's algorithm). */
static void civil(long long days, int *y, int *m, int *d)
{
    days += 719468;
    long long era = (days >= 0 ? days : days - 146096) / 146097;
    long long doe = days - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool real_date(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

static void put_date(char out[11], int y, int m, int d)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

bool xlsx_serial_date(double serial, bool date1904, char out[11])
{
    if (!isfinite(serial) || serial < 1 || serial > 2958465) /* 9999-12-31 */
        return false;
    long long n = (long long)serial; /* serial >= 1: truncation is floor */
    long long days; /* since 1970-01-01 */
    if (date1904)
        days = n - 24107; /* 1904-01-01 is day -24107 */
    else if (n == 60)
        return false; /* 1900-02-29, which Excel counts and the calendar does not */
    else
        days = n - (n > 60 ? 25569 : 25568); /* 1899-12-30, or -31 before the false leap day */
    int y, m, d;
    civil(days, &y, &m, &d);
    put_date(out, y, m, d);
    return true;
}

/* Digits at *s (at most max): the number, *s moved past them; -1 when none. */
static int digits(const char **s, int max)
{
    int v = 0, k = 0;
    while (k < max && **s >= '0' && **s <= '9') {
        v = v * 10 + (**s - '0');
        (*s)++;
        k++;
    }
    return k ? v : -1;
}

/* A separator of a text date: - / . or the Chinese unit word given. */
static bool sep(const char **s, const char *word)
{
    if (**s == '-' || **s == '/' || **s == '.') {
        (*s)++;
        return true;
    }
    if (strncmp(*s, word, strlen(word)) == 0) {
        *s += strlen(word);
        return true;
    }
    return false;
}

bool xlsx_date(const struct xlsx_cell *c, bool date1904, char out[11])
{
    if (c->type == XLSX_NUMBER) {
        char *end;
        double v = strtod(c->text, &end);
        return !*end && xlsx_serial_date(v, date1904, out);
    }
    if (c->type != XLSX_TEXT)
        return false;
    const char *s = c->text;
    while (*s == ' ')
        s++;
    int y = digits(&s, 4);
    if (y < 0 || !sep(&s, "年"))
        return false;
    int m = digits(&s, 2);
    if (m < 0 || !sep(&s, "月"))
        return false;
    int d = digits(&s, 2);
    if (strncmp(s, "日", strlen("日")) == 0)
        s += strlen("日");
    /* A time after the day (LibreOffice's text of a date-time) is dropped. */
    if (*s == ' ' || *s == 'T')
        s += strspn(s, " T0123456789:.");
    if (*s || !real_date(y, m, d))
        return false;
    put_date(out, y, m, d);
    return true;
}
