/* pdf: a plan as a PDF, its text extracted by poppler (poppler-glib) page by page and cleaned
 * into the plan text the parser reads. What a PDF's text layer adds to the words is undone:
 * page numbers ("— 3 —", "- 3 -", "第3页") and running titles at the top and bottom of pages,
 * line breaks wherever the line was full (Chinese has no hyphen to tell a wrap, so a full line
 * is the sign), paragraphs cut by a page break, and the spaces set around digits and Latin
 * beside Chinese ("到 2020 年"). A PDF without any text is a scan: said so, not parsed. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "core/mem.h"
#include "core/sb.h"
#include "core/text.h"
#include "core/utf8.h"
#include "ingest/ingest.h"

enum {
    MAX_PAGES = 2000,
    EDGE = 2, /* lines looked at for headers and footers at each end of a page */
};

struct pline {
    const uint32_t *c; /* trimmed, original code points */
    size_t n;
    int page;
    bool drop;
};

static bool is_dash(uint32_t c)
{
    return c == '-' || c == 0x2012 || c == 0x2013 || c == 0x2014 || c == 0x2015 ||
           c == 0x2212 || c == 0xFF0D || c == 0x2500 || c == 0x2501 || c == 0xB7 ||
           c == 0x2022 || c == 0x30FC;
}

static int digit(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 0xFF10 && c <= 0xFF19)
        return (int)(c - 0xFF10);
    return -1;
}

/* "— 3 —", "- 3 -", "3", "第3页", "第 3 页 共 12 页", "3/12", "Page 3 of 12". */
static bool is_page_number(const struct pline *l)
{
    size_t digits = 0, dashes = 0, other = 0, page_words = 0, letters = 0;
    char word[16];
    size_t wn = 0;
    for (size_t i = 0; i < l->n; i++) {
        uint32_t c = l->c[i];
        if (cp_is_space(c))
            continue;
        if (digit(c) >= 0)
            digits++;
        else if (is_dash(c))
            dashes++;
        else if (c == 0x7B2C || c == 0x9875 || c == 0x9801 || c == 0x5171) /* 第 页 頁 共 */
            page_words++;
        else if (c == '/' || c == ',' || c == 0xFF0C || c == 0xFF0F)
            other++;
        else if (c < 128 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
            if (wn < sizeof word - 1)
                word[wn++] = (char)(c | 0x20);
            letters++;
        } else
            return false;
    }
    word[wn] = '\0';
    if (digits == 0 || digits > 8)
        return false;
    if (letters)
        return (strcmp(word, "page") == 0 || strcmp(word, "pageof") == 0) && !page_words;
    if (page_words)
        return true;
    return other <= 1;
}

/* The key under which a running title repeats: the line without digits and spaces. */
static char *edge_key(struct arena *a, const struct pline *l)
{
    struct sb b = SB_INIT;
    for (size_t i = 0; i < l->n; i++)
        if (!cp_is_space(l->c[i]) && digit(l->c[i]) < 0)
            sb_append_cp(&b, l->c[i]);
    char *k = arena_strndup(a, sb_str(&b), b.len);
    sb_free(&b);
    return k;
}

struct key_count {
    const char *key;
    int pages, last_page;
};

static int by_key(const void *x, const void *y)
{
    return strcmp(((const struct key_count *)x)->key, ((const struct key_count *)y)->key);
}

/* Marks page numbers and running titles at the top and bottom of each page. A running title
 * is a line found at an edge of at least half the pages (and of 3), digits aside; only one
 * such line is taken from each edge, so a plan's title that opens a page under a running
 * title of the same words is kept. */
static void drop_edges(struct arena *a, struct pline *ls, size_t n, size_t n_pages)
{
    size_t cap = 0, nk = 0;
    struct key_count *keys = NULL;
    const char **line_key = arena_alloc(a, (n + 1) * sizeof *line_key);
    for (size_t i = 0; i < n; i++) {
        size_t from = i, to = i;
        while (to < n && ls[to].page == ls[from].page)
            to++;
        for (size_t j = from; j < to; j++)
            if (j < from + EDGE || j + EDGE >= to) {
                line_key[j] = edge_key(a, &ls[j]);
                struct key_count *k = ARRAY_PUSH(a, keys, nk, cap);
                *k = (struct key_count){line_key[j], 1, ls[j].page};
            }
        i = to - 1;
    }
    if (nk)
        qsort(keys, nk, sizeof *keys, by_key);
    /* pages per key: each page once */
    size_t uniq = 0;
    for (size_t i = 0; i < nk; i++) {
        if (uniq && strcmp(keys[uniq - 1].key, keys[i].key) == 0) {
            if (keys[uniq - 1].last_page != keys[i].last_page) {
                keys[uniq - 1].pages++;
                keys[uniq - 1].last_page = keys[i].last_page;
            }
            continue;
        }
        keys[uniq++] = keys[i];
    }
    for (size_t i = 0; i < n; i++) {
        size_t from = i, to = i;
        while (to < n && ls[to].page == ls[from].page)
            to++;
        for (int side = 0; side < 2; side++) {
            bool title_taken = false;
            for (size_t s = 0; s < EDGE && s < to - from; s++) {
                size_t j = side == 0 ? from + s : to - 1 - s;
                if (ls[j].drop)
                    break;
                if (is_page_number(&ls[j])) {
                    ls[j].drop = true;
                    continue;
                }
                struct key_count q = {.key = line_key[j]}, *k;
                k = line_key[j] && *line_key[j] && uniq
                        ? bsearch(&q, keys, uniq, sizeof *keys, by_key)
                        : NULL;
                if (!title_taken && k && n_pages >= 3 && k->pages >= 3 &&
                    (size_t)k->pages * 2 >= n_pages) {
                    ls[j].drop = true;
                    title_taken = true;
                    continue;
                }
                break;
            }
        }
        i = to - 1;
    }
}

/* Display width in half-ems: Chinese characters and full-width punctuation 2, the rest 1. */
static size_t width(const struct pline *l)
{
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        uint32_t c = l->c[i];
        bool wide = cp_is_cjk(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF60) ||
                    (c >= 0x2018 && c <= 0x201F) || c == 0x2014 || c == 0x2026 ||
                    (c >= 0x2460 && c <= 0x24FF);
        w += wide ? 2 : 1;
    }
    return w;
}

static int cmp_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return (a > b) - (a < b);
}

static int cn_digit(uint32_t c)
{
    static const uint32_t d[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341}; /* 〇一…九十 */
    for (int i = 0; i < 11; i++)
        if (d[i] == c)
            return i;
    return -1;
}

/* The length of the numbered heading or item marker a line starts with (一、 （一） (1) 1.
 * 1、 ——), or 0. */
static size_t item_marker(const struct pline *l)
{
    size_t n = l->n < 8 ? l->n : 8, i = 0;
    uint32_t k[8];
    for (size_t j = 0; j < n; j++)
        k[j] = text_fold_cp(l->c[j]);
    if (n >= 2 && k[0] == 0x2014 && k[1] == 0x2014)
        return 2;
    if (n >= 3 && k[0] == '(') {
        for (i = 1; i < n && (cn_digit(k[i]) >= 0 || digit(k[i]) >= 0); i++)
            ;
        return i > 1 && i < n && k[i] == ')' ? i + 1 : 0;
    }
    for (i = 0; i < n && cn_digit(k[i]) >= 0; i++)
        ;
    if (i > 0 && i < n && k[i] == 0x3001)
        return i + 1;
    for (i = 0; i < n && digit(k[i]) >= 0; i++)
        ;
    /* k holds at most 8: the code point after a point in the 8th place is read from the line. */
    if (i > 0 && i < n && (k[i] == '.' || k[i] == 0x3001) &&
        (i + 1 == l->n || digit(text_fold_cp(l->c[i + 1])) < 0))
        return i + 1;
    return 0;
}

static bool starts_item(const struct pline *l) { return item_marker(l) > 0; }

/* A list number set apart from its text (Word's number and tab): poppler gives it a line. */
static bool marker_only(const struct pline *l) { return item_marker(l) == l->n; }

static bool ends_sentence(const struct pline *l)
{
    size_t n = l->n;
    while (n > 0 && (l->c[n - 1] == 0x201D || l->c[n - 1] == 0x300D || l->c[n - 1] == ')' ||
                     l->c[n - 1] == 0xFF09))
        n--;
    if (n == 0)
        return false;
    uint32_t c = text_fold_cp(l->c[n - 1]);
    return c == 0x3002 || c == ';' || c == ':' || c == '!' || c == '?' || c == 0x2026;
}

/* Chinese, or punctuation set with it: a space beside one is the PDF's, not the text's. */
static bool cjkish(uint32_t c)
{
    return cp_is_cjk(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x2018 && c <= 0x201F) || c == 0x2014 || c == 0x2026 || c == 0xFFFD ||
           (c >= 0x2460 && c <= 0x24FF);
}

static bool latin_letter(uint32_t c) { return c < 128 && (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* Appends one paragraph's code points, dropping spaces next to Chinese. */
static void emit(struct sb *out, const uint32_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cp_is_space(c[i])) {
            size_t j = i;
            while (j < n && cp_is_space(c[j]))
                j++;
            bool drop = i == 0 || j == n || cjkish(c[i - 1]) || cjkish(c[j]);
            if (!drop)
                sb_appendc(out, ' ');
            i = j - 1;
            continue;
        }
        sb_append_cp(out, c[i]);
    }
}

void ingest_pdf_clean(struct arena *a, const char *const *pages, size_t n_pages,
                      struct ingest_doc_text *out)
{
    memset(out, 0, sizeof *out);
    size_t n = 0, cap = 0;
    struct pline *ls = NULL;
    for (size_t p = 0; p < n_pages; p++) {
        const char *s = pages[p] ? pages[p] : "";
        while (*s) {
            const char *e = strpbrk(s, "\n\f");
            size_t len = e ? (size_t)(e - s) : strlen(s);
            size_t cn;
            uint32_t *c = utf8_to_cps(a, s, len, &cn);
            size_t from = 0, to = cn;
            while (from < to && cp_is_space(c[from]))
                from++;
            while (to > from && cp_is_space(c[to - 1]))
                to--;
            if (to > from)
                *(struct pline *)ARRAY_PUSH(a, ls, n, cap) =
                    (struct pline){c + from, to - from, (int)p + 1, false};
            if (!e)
                break;
            s = e + 1;
        }
    }
    drop_edges(a, ls, n, n_pages);

    /* The width of a full line: the 90th percentile, so a few over-long lines do not count. */
    size_t *ws = arena_alloc(a, (n + 1) * sizeof *ws), nw = 0;
    for (size_t i = 0; i < n; i++)
        if (!ls[i].drop)
            ws[nw++] = width(&ls[i]);
    if (nw)
        qsort(ws, nw, sizeof *ws, cmp_size);
    size_t full = nw ? ws[nw * 9 / 10 < nw ? nw * 9 / 10 : nw - 1] : 0;
    size_t threshold = full * 88 / 100;

    struct sb b = SB_INIT;
    size_t lines_cap = 0;
    struct pline *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        struct pline *l = &ls[i];
        if (l->drop)
            continue;
        bool join = prev && marker_only(prev);
        if (!join && prev && full >= 20 && width(prev) >= threshold && !starts_item(l)) {
            /* A full line runs on, unless a sentence ended there and a short line without an
             * ending follows: a heading or a title, not the rest of a paragraph. */
            join = !(ends_sentence(prev) && width(l) < threshold && !ends_sentence(l));
        }
        if (join) {
            uint32_t last = prev->c[prev->n - 1], first = l->c[0];
            if (latin_letter(last) && latin_letter(first) && !marker_only(prev))
                sb_appendc(&b, ' ');
        } else {
            if (prev)
                sb_appendc(&b, '\n');
            *(int *)ARRAY_PUSH(a, out->place, out->n_lines, lines_cap) = l->page;
        }
        emit(&b, l->c, l->n);
        prev = l;
    }
    if (prev)
        sb_appendc(&b, '\n');
    out->len = b.len;
    out->text = arena_strndup(a, sb_str(&b), b.len);
    sb_free(&b);
}

/* poppler's global state is set up on first use without a lock: one document at a time. */
static pthread_mutex_t poppler_lock = PTHREAD_MUTEX_INITIALIZER;

static bool fail(struct ingest_doc_text *out, const char *code, const char *msg)
{
    memset(out, 0, sizeof *out);
    out->error_code = code;
    out->error = msg;
    return false;
}

bool ingest_pdf_text(struct arena *a, const char *buf, size_t len, struct ingest_doc_text *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&poppler_lock);
    GBytes *bytes = g_bytes_new_static(buf, len);
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    const char *code = NULL, *msg = NULL;
    char **pages = NULL;
    int n = 0;
    bool any = false;
    if (!doc) {
        if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED) {
            code = "encrypted";
            msg = "the PDF is protected by a password; save it again without one";
        } else {
            code = "bad_pdf";
            msg = "the file is not a readable PDF (damaged, or not a PDF)";
        }
        goto done;
    }
    n = poppler_document_get_n_pages(doc);
    if (n > MAX_PAGES) {
        code = "too_large";
        msg = arena_printf(a, "the PDF has %d pages; at most %d are read", n, MAX_PAGES);
        goto done;
    }
    pages = arena_alloc(a, ((size_t)(n > 0 ? n : 0) + 1) * sizeof *pages);
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page)
            continue;
        char *t = poppler_page_get_text(page);
        g_object_unref(page);
        if (!t)
            continue;
        size_t tl = strlen(t);
        total += tl;
        pages[i] = arena_strndup(a, t, tl);
        for (size_t k = 0; k < tl && !any; k++)
            any = !cp_is_space((unsigned char)t[k]);
        g_free(t);
        if (total > INGEST_MAX_BYTES) {
            code = "too_large";
            msg = "the PDF holds more text than a plan can have";
            goto done;
        }
    }
done:
    if (doc)
        g_object_unref(doc);
    if (err)
        g_error_free(err);
    g_bytes_unref(bytes);
    pthread_mutex_unlock(&poppler_lock);
    if (code)
        return fail(out, code, msg);
    if (!any)
        return fail(out, "scanned_pdf", "this PDF has no text; it was probably scanned");
    ingest_pdf_clean(a, (const char *const *)pages, (size_t)n, out);
    if (out->n_lines == 0)
        return fail(out, "scanned_pdf", "this PDF has no text; it was probably scanned");
    return true;
}
