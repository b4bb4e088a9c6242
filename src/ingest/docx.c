/* docx: a Word document (WordprocessingML) read into plan text. Paragraphs come in order with
 * their runs joined; a table row becomes one line of its cells; footnotes, comments, deleted
 * text, field codes and drawings are left out. Word's automatic list numbering is not in the
 * text: it is recomputed from word/numbering.xml (the list, level, format, level text, start
 * and restarts Word applies) so "1." and "（一）" come back as the parser expects them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "core/mem.h"
#include "core/ooxml.h"
#include "core/sb.h"
#include "core/utf8.h"
#include "ingest/ingest.h"

enum { LEVELS = 9, STYLE_DEPTH = 10 };

struct level {
    int start;
    const char *fmt;  /* w:numFmt: decimal, chineseCounting … */
    const char *text; /* w:lvlText: "%1." "（%1）" */
    int restart;      /* w:lvlRestart (1-based level, 0 never); -1: after any higher level */
    bool legal;       /* w:isLgl: references to higher levels shown as decimal */
};

struct abstract {
    int id;
    struct level lvl[LEVELS];
};

struct num {
    int id;
    const struct abstract *abs;
    struct level over[LEVELS]; /* a w:lvlOverride with its own w:lvl */
    bool has_over[LEVELS];
    int start_over[LEVELS];
    bool has_start_over[LEVELS];
    int count[LEVELS];
    bool started[LEVELS];
};

struct style {
    const char *id, *based_on;
    int num_id, ilvl; /* num_id -1: none given */
    size_t seq;       /* place in styles.xml: of two with one id, the first counts */
};

struct reader {
    struct arena *a;
    struct abstract *abs;
    size_t n_abs;
    struct num *nums;
    size_t n_nums;
    struct style *styles;
    size_t n_styles;
    struct sb out;
    int *place;
    size_t n_lines, cap_lines;
    int para; /* paragraphs seen so far */
    bool any_text;
};

static int attr_int(struct arena *a, const xmlNode *n, const char *name, int dflt)
{
    const char *v = ooxml_attr(a, n, name);
    if (!v || !*v)
        return dflt;
    char *end;
    long x = strtol(v, &end, 10);
    if (*end || x < -1000000 || x > 1000000)
        return dflt;
    return (int)x;
}

/* The w:val of the child element of that name, or NULL. */
static const char *child_val(struct arena *a, const xmlNode *n, const char *name)
{
    return ooxml_attr(a, ooxml_child(n, name), "val");
}

static int child_int(struct arena *a, const xmlNode *n, const char *name, int dflt)
{
    const xmlNode *c = ooxml_child(n, name);
    return c ? attr_int(a, c, "val", dflt) : dflt;
}

/* ---- numbering.xml and styles.xml ------------------------------------------------------ */

static void read_level(struct arena *a, const xmlNode *l, struct level *lv)
{
    lv->start = child_int(a, l, "start", 1);
    lv->fmt = child_val(a, l, "numFmt");
    lv->text = child_val(a, l, "lvlText");
    lv->restart = child_int(a, l, "lvlRestart", -1);
    const xmlNode *lg = ooxml_child(l, "isLgl");
    lv->legal = lg && !(ooxml_attr(a, lg, "val") && strcmp(ooxml_attr(a, lg, "val"), "0") == 0);
}

static int by_abs_id(const void *x, const void *y)
{
    int a = ((const struct abstract *)x)->id, b = ((const struct abstract *)y)->id;
    return (a > b) - (a < b);
}

static int by_num_id(const void *x, const void *y)
{
    int a = ((const struct num *)x)->id, b = ((const struct num *)y)->id;
    return (a > b) - (a < b);
}

static void read_numbering(struct reader *r, xmlDocPtr doc)
{
    size_t cap_abs = 0, cap_nums = 0;
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *n = root->children; n; n = n->next) {
        if (!ooxml_is(n, "abstractNum"))
            continue;
        struct abstract *ab = ARRAY_PUSH(r->a, r->abs, r->n_abs, cap_abs);
        ab->id = attr_int(r->a, n, "abstractNumId", -1);
        for (int i = 0; i < LEVELS; i++)
            ab->lvl[i] = (struct level){.start = 1, .restart = -1};
        for (xmlNode *l = n->children; l; l = l->next) {
            int il = ooxml_is(l, "lvl") ? attr_int(r->a, l, "ilvl", -1) : -1;
            if (il >= 0 && il < LEVELS)
                read_level(r->a, l, &ab->lvl[il]);
        }
    }
    if (r->n_abs)
        qsort(r->abs, r->n_abs, sizeof *r->abs, by_abs_id);
    for (xmlNode *n = root->children; n; n = n->next) {
        if (!ooxml_is(n, "num"))
            continue;
        struct abstract key = {.id = child_int(r->a, n, "abstractNumId", -1)};
        const struct abstract *ab =
            r->n_abs ? bsearch(&key, r->abs, r->n_abs, sizeof *r->abs, by_abs_id) : NULL;
        if (!ab)
            continue;
        struct num *nu = ARRAY_PUSH(r->a, r->nums, r->n_nums, cap_nums);
        nu->id = attr_int(r->a, n, "numId", -1);
        nu->abs = ab;
        for (xmlNode *o = n->children; o; o = o->next) {
            int il = ooxml_is(o, "lvlOverride") ? attr_int(r->a, o, "ilvl", -1) : -1;
            if (il < 0 || il >= LEVELS)
                continue;
            const xmlNode *so = ooxml_child(o, "startOverride");
            if (so) {
                nu->has_start_over[il] = true;
                nu->start_over[il] = attr_int(r->a, so, "val", 1);
            }
            const xmlNode *l = ooxml_child(o, "lvl");
            if (l) {
                nu->over[il] = ab->lvl[il];
                read_level(r->a, l, &nu->over[il]);
                nu->has_over[il] = true;
            }
        }
    }
    if (r->n_nums)
        qsort(r->nums, r->n_nums, sizeof *r->nums, by_num_id);
}

static int by_style(const void *x, const void *y)
{
    const struct style *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

static void read_styles(struct reader *r, xmlDocPtr doc)
{
    size_t cap = 0;
    for (xmlNode *n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (!ooxml_is(n, "style"))
            continue;
        const char *id = ooxml_attr(r->a, n, "styleId");
        if (!id)
            continue;
        struct style *s = ARRAY_PUSH(r->a, r->styles, r->n_styles, cap);
        s->id = id;
        s->seq = r->n_styles - 1;
        s->based_on = child_val(r->a, n, "basedOn");
        s->num_id = -1;
        const xmlNode *np = ooxml_child(ooxml_child(n, "pPr"), "numPr");
        if (np) {
            s->num_id = child_int(r->a, np, "numId", -1);
            s->ilvl = child_int(r->a, np, "ilvl", 0);
        }
    }
    /* Looked up for every paragraph and each style it is based on: sorted once, searched. */
    if (r->n_styles > 1)
        qsort(r->styles, r->n_styles, sizeof *r->styles, by_style);
}

static int style_key(const void *key, const void *x)
{
    return strcmp(key, ((const struct style *)x)->id);
}

static const struct style *style_of(const struct reader *r, const char *id)
{
    if (!id || !r->n_styles)
        return NULL;
    const struct style *s = bsearch(id, r->styles, r->n_styles, sizeof *r->styles, style_key);
    while (s && s > r->styles && strcmp(s[-1].id, id) == 0)
        s--;
    return s;
}

/* ---- number formats -------------------------------------------------------------------- */

static const char *const CN_DIGITS[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* 1–9999 in Chinese counting: 十一, 二十, 一百零五, 两 is never used in list numbers. */
static void chinese(struct sb *b, int v, const char *const *digits, const char *const *units)
{
    if (v <= 0 || v > 9999) {
        sb_appendf(b, "%d", v);
        return;
    }
    if (v < 20 && v >= 10) { /* 十, 十一 … 十九 */
        sb_append(b, units[0]);
        if (v > 10)
            sb_append(b, digits[v - 10]);
        return;
    }
    int div[] = {1000, 100, 10, 1};
    bool zero = false, any = false;
    for (int i = 0; i < 4; i++) {
        int d = v / div[i] % 10;
        if (d == 0) {
            zero = any;
            continue;
        }
        if (zero)
            sb_append(b, digits[0]);
        zero = false;
        sb_append(b, digits[d]);
        if (i < 3)
            sb_append(b, units[2 - i]);
        any = true;
    }
}

static void format_number(struct sb *b, const char *fmt, int v)
{
    static const char *const UNITS[] = {"十", "百", "千"};
    static const char *const LEGAL[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
    static const char *const LEGAL_UNITS[] = {"拾", "佰", "仟"};
    static const char *const STEMS[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};
    static const char *const BRANCHES[] = {"子", "丑", "寅", "卯", "辰", "巳",
                                           "午", "未", "申", "酉", "戌", "亥"};
    if (!fmt || strcmp(fmt, "decimal") == 0 || strcmp(fmt, "decimalHalfWidth") == 0) {
        sb_appendf(b, "%d", v);
    } else if (strcmp(fmt, "none") == 0 || strcmp(fmt, "bullet") == 0) {
        /* no number */
    } else if (strcmp(fmt, "decimalZero") == 0) {
        sb_appendf(b, "%02d", v);
    } else if (strncmp(fmt, "chineseCounting", 15) == 0 ||
               strncmp(fmt, "taiwaneseCounting", 17) == 0 ||
               strncmp(fmt, "japaneseCounting", 16) == 0) {
        chinese(b, v, CN_DIGITS, UNITS);
    } else if (strcmp(fmt, "chineseLegalSimplified") == 0) {
        chinese(b, v, LEGAL, LEGAL_UNITS);
    } else if (strcmp(fmt, "ideographDigital") == 0 || strcmp(fmt, "taiwaneseDigital") == 0) {
        char d[16];
        snprintf(d, sizeof d, "%d", v < 0 ? -v : v);
        for (char *p = d; *p; p++)
            sb_append(b, CN_DIGITS[*p - '0']);
    } else if (strcmp(fmt, "ideographTraditional") == 0) {
        if (v >= 1)
            sb_append(b, STEMS[(v - 1) % 10]);
    } else if (strcmp(fmt, "ideographZodiac") == 0) {
        if (v >= 1)
            sb_append(b, BRANCHES[(v - 1) % 12]);
    } else if (strncmp(fmt, "decimalFullWidth", 16) == 0) {
        char d[16];
        snprintf(d, sizeof d, "%d", v);
        for (char *p = d; *p; p++)
            sb_append_cp(b, *p == '-' ? 0xFF0D : 0xFF10 + (uint32_t)(*p - '0'));
    } else if (strncmp(fmt, "decimalEnclosedCircle", 21) == 0 && v >= 1 && v <= 20) {
        sb_append_cp(b, 0x2460 + (uint32_t)(v - 1));
    } else if (strcmp(fmt, "decimalEnclosedParen") == 0 && v >= 1 && v <= 20) {
        sb_append_cp(b, 0x2474 + (uint32_t)(v - 1));
    } else if (strcmp(fmt, "decimalEnclosedFullstop") == 0 && v >= 1 && v <= 20) {
        sb_append_cp(b, 0x2488 + (uint32_t)(v - 1));
    } else if ((strcmp(fmt, "upperLetter") == 0 || strcmp(fmt, "lowerLetter") == 0) && v >= 1) {
        char c = (char)((fmt[0] == 'u' ? 'A' : 'a') + (v - 1) % 26);
        for (int i = 0; i <= (v - 1) / 26 && i < 100; i++)
            sb_appendc(b, c);
    } else if ((strcmp(fmt, "upperRoman") == 0 || strcmp(fmt, "lowerRoman") == 0) && v >= 1 &&
               v < 4000) {
        static const int vals[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
        static const char *const up[] = {"M",  "CM", "D",  "CD", "C",  "XC", "L",
                                         "XL", "X",  "IX", "V",  "IV", "I"};
        static const char *const lo[] = {"m",  "cm", "d",  "cd", "c",  "xc", "l",
                                         "xl", "x",  "ix", "v",  "iv", "i"};
        for (int i = 0; i < 13; i++)
            for (; v >= vals[i]; v -= vals[i])
                sb_append(b, fmt[0] == 'u' ? up[i] : lo[i]);
    } else {
        sb_appendf(b, "%d", v);
    }
}

/* ---- list numbers ---------------------------------------------------------------------- */

static const struct level *level_of(const struct num *nu, int il)
{
    return nu->has_over[il] ? &nu->over[il] : &nu->abs->lvl[il];
}

static int start_of(const struct num *nu, int il)
{
    return nu->has_start_over[il] ? nu->start_over[il] : level_of(nu, il)->start;
}

/* The paragraph's list: its own w:numPr, else its style's (following w:basedOn). */
static void numbering_of(struct reader *r, const xmlNode *ppr, int *num_id, int *ilvl)
{
    *num_id = -1;
    *ilvl = 0;
    const xmlNode *np = ooxml_child(ppr, "numPr");
    int own_lvl = np ? child_int(r->a, np, "ilvl", -1) : -1;
    if (np && ooxml_child(np, "numId")) {
        *num_id = child_int(r->a, np, "numId", -1);
        *ilvl = own_lvl < 0 ? 0 : own_lvl;
        return;
    }
    const struct style *s = style_of(r, child_val(r->a, ppr, "pStyle"));
    for (int depth = 0; s && depth < STYLE_DEPTH; depth++) {
        if (s->num_id >= 0) {
            *num_id = s->num_id;
            *ilvl = own_lvl >= 0 ? own_lvl : s->ilvl;
            return;
        }
        s = style_of(r, s->based_on);
    }
}

/* Advances the list's counter and appends the number as Word shows it ("1." "（一）"). */
static void list_number(struct reader *r, const xmlNode *ppr)
{
    int id, il;
    numbering_of(r, ppr, &id, &il);
    if (id <= 0 || il < 0 || il >= LEVELS || !r->n_nums)
        return; /* numId 0 takes a style's numbering away */
    struct num key = {.id = id};
    struct num *nu = bsearch(&key, r->nums, r->n_nums, sizeof *r->nums, by_num_id);
    if (!nu)
        return;
    nu->count[il] = nu->started[il] ? nu->count[il] + 1 : start_of(nu, il);
    nu->started[il] = true;
    for (int d = il + 1; d < LEVELS; d++) {
        int rs = level_of(nu, d)->restart;
        if (rs < 0 || (rs > 0 && il + 1 <= rs))
            nu->started[d] = false;
    }
    const struct level *lv = level_of(nu, il);
    const char *t = lv->text;
    if (!t || (lv->fmt && strcmp(lv->fmt, "bullet") == 0))
        return; /* a bullet is a glyph, not a number */
    size_t before = r->out.len;
    for (; *t; t++) {
        if (t[0] == '%' && t[1] >= '1' && t[1] <= '9') {
            int ref = t[1] - '1';
            int v = ref == il || nu->started[ref] ? nu->count[ref] : start_of(nu, ref);
            const char *fmt = level_of(nu, ref)->fmt;
            format_number(&r->out, lv->legal && ref != il ? "decimal" : fmt, v);
            t++;
        } else {
            sb_appendc(&r->out, *t);
        }
    }
    /* The tab or space after the number is layout: left out, so "1." meets its text as in a
     * typed plan; only a number ending in a letter or digit keeps a space. */
    if (r->out.len > before) {
        char last = r->out.buf[r->out.len - 1];
        if ((last >= '0' && last <= '9') || (last >= 'A' && last <= 'z'))
            sb_appendc(&r->out, ' ');
    }
}

/* ---- text ------------------------------------------------------------------------------ */

static void new_line(struct reader *r, int place)
{
    sb_appendc(&r->out, '\n');
    *(int *)ARRAY_PUSH(r->a, r->place, r->n_lines, r->cap_lines) = place;
}

/* The visible text under n, in order: runs, hyperlinks, inserted and moved-to text, fields'
 * shown results, content controls. */
static void runs_text(struct reader *r, const xmlNode *n, bool in_cell)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (ooxml_is(c, "t")) {
            xmlChar *s = xmlNodeGetContent(c);
            if (s) {
                for (const xmlChar *p = s; *p; p++)
                    if (*p != '\n' && *p != '\r' && !(*p == ' ' || *p == '\t'))
                        r->any_text = true;
                /* a newline inside w:t is not Word's; a cell's lines stay on its row */
                for (xmlChar *p = s; *p; p++)
                    if (*p == '\n' || *p == '\r')
                        *p = ' ';
                sb_append(&r->out, (const char *)s);
                xmlFree(s);
            }
        } else if (ooxml_is(c, "tab") || ooxml_is(c, "ptab")) {
            sb_appendc(&r->out, '\t');
        } else if (ooxml_is(c, "br") || ooxml_is(c, "cr")) {
            if (in_cell)
                sb_appendc(&r->out, ' ');
            else
                new_line(r, r->para);
        } else if (ooxml_is(c, "noBreakHyphen")) {
            sb_appendc(&r->out, '-');
        } else if (ooxml_is(c, "r") || ooxml_is(c, "hyperlink") || ooxml_is(c, "ins") ||
                   ooxml_is(c, "moveTo") || ooxml_is(c, "fldSimple") || ooxml_is(c, "smartTag") ||
                   ooxml_is(c, "customXml") || ooxml_is(c, "sdt") || ooxml_is(c, "sdtContent") ||
                   ooxml_is(c, "bdo") || ooxml_is(c, "dir")) {
            runs_text(r, c, in_cell);
        }
        /* Everything else is not text of the body: w:del, w:moveFrom, w:instrText, footnote
         * and comment references, drawings and text boxes, properties. */
    }
}

static void paragraph(struct reader *r, const xmlNode *p, bool in_cell)
{
    r->para++;
    list_number(r, ooxml_child(p, "pPr"));
    runs_text(r, p, in_cell);
}

/* A cell's paragraphs (and nested tables) on one line, separated by spaces. */
static void cell(struct reader *r, const xmlNode *tc)
{
    bool first = true;
    for (const xmlNode *c = tc->children; c; c = c->next) {
        if (ooxml_is(c, "p")) {
            if (!first)
                sb_appendc(&r->out, ' ');
            paragraph(r, c, true);
            first = false;
        } else if (ooxml_is(c, "tbl")) {
            /* nested: its rows run on within this cell */
            for (const xmlNode *tr = c->children; tr; tr = tr->next)
                if (ooxml_is(tr, "tr"))
                    for (const xmlNode *d = tr->children; d; d = d->next)
                        if (ooxml_is(d, "tc")) {
                            sb_appendc(&r->out, ' ');
                            cell(r, d);
                        }
        } else if (ooxml_is(c, "sdt")) {
            const xmlNode *sc = ooxml_child(c, "sdtContent");
            if (sc)
                cell(r, sc);
        }
    }
}

static void table(struct reader *r, const xmlNode *tbl)
{
    for (const xmlNode *tr = tbl->children; tr; tr = tr->next) {
        if (!ooxml_is(tr, "tr"))
            continue;
        int first_para = r->para + 1;
        bool first = true;
        for (const xmlNode *c = tr->children; c; c = c->next) {
            /* a cell may sit in a content control (w:sdt/w:sdtContent/w:tc) */
            const xmlNode *tc =
                ooxml_is(c, "sdt") ? ooxml_child(ooxml_child(c, "sdtContent"), "tc") : c;
            if (!ooxml_is(tc, "tc"))
                continue;
            if (!first)
                sb_appendc(&r->out, '\t');
            cell(r, tc);
            first = false;
        }
        new_line(r, first_para);
    }
}

static void block(struct reader *r, const xmlNode *parent)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (ooxml_is(c, "p")) {
            paragraph(r, c, false);
            new_line(r, r->para);
        } else if (ooxml_is(c, "tbl")) {
            table(r, c);
        } else if (ooxml_is(c, "sdt")) {
            const xmlNode *sc = ooxml_child(c, "sdtContent");
            if (sc)
                block(r, sc);
        } else if (ooxml_is(c, "customXml")) {
            block(r, c);
        }
    }
}

static bool fail(struct ingest_doc_text *out, const char *code, const char *msg)
{
    out->error_code = code;
    out->error = msg;
    return false;
}

bool ingest_docx_text(struct arena *a, const char *buf, size_t len, struct ingest_doc_text *out)
{
    memset(out, 0, sizeof *out);
    struct ooxml *z;
    enum ooxml_status st = ooxml_open(a, buf, len, &z);
    if (st != OOXML_OK)
        return fail(out, ooxml_status_code(st), ooxml_status_message(st));
    if (!ooxml_has(z, "word/document.xml")) {
        if (ooxml_has(z, "xl/workbook.xml"))
            return fail(out, "not_docx",
                        "the file is a spreadsheet (.xlsx), not a plan document (.docx or .pdf)");
        return fail(out, "not_docx", "the file is a ZIP archive but not a Word document (.docx)");
    }
    struct reader r = {.a = a};
    xmlDocPtr doc;
    /* Lists and styles are optional parts; damaged ones are refused like a damaged body. */
    if (ooxml_has(z, "word/numbering.xml")) {
        st = ooxml_xml(z, "word/numbering.xml", &doc);
        if (st != OOXML_OK)
            return fail(out, ooxml_status_code(st), ooxml_status_message(st));
        read_numbering(&r, doc);
    }
    if (ooxml_has(z, "word/styles.xml")) {
        st = ooxml_xml(z, "word/styles.xml", &doc);
        if (st != OOXML_OK)
            return fail(out, ooxml_status_code(st), ooxml_status_message(st));
        read_styles(&r, doc);
    }
    st = ooxml_xml(z, "word/document.xml", &doc);
    if (st != OOXML_OK)
        return fail(out, ooxml_status_code(st), ooxml_status_message(st));
    const xmlNode *body = ooxml_child(xmlDocGetRootElement(doc), "body");
    sb_init(&r.out);
    if (body)
        block(&r, body);
    out->len = r.out.len;
    out->text = arena_strndup(a, sb_str(&r.out), r.out.len);
    sb_free(&r.out);
    if (!r.any_text)
        return fail(out, "no_text", "the document has no text");
    out->place = r.place;
    out->n_lines = r.n_lines;
    return true;
}
