/* decode: bytes to UTF-8 text. Plans arrive as UTF-8 (with or without BOM), UTF-16 with a
 * BOM, or GB18030/GBK from older Windows tools; anything else is refused with a reason
 * rather than imported as garbage. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "core/sb.h"
#include "core/utf8.h"
#include "ingest/ingest.h"

static void warn(struct arena *a, struct ingest_warning **w, size_t *n, int line,
                 enum ingest_severity sev, const char *code, const char *msg)
{
    struct ingest_warning *nw = arena_alloc(a, (*n + 1) * sizeof *nw);
    if (*n)
        memcpy(nw, *w, *n * sizeof *nw);
    nw[*n] = (struct ingest_warning){line, sev, code, msg, 0};
    *w = nw;
    (*n)++;
}

/* Converts with iconv; returns NULL when the input is not valid in that encoding.
 * *bad_at receives the byte offset of the first invalid or incomplete sequence. */
static char *convert(struct arena *a, const char *from, const char *buf, size_t len,
                     size_t *out_len, size_t *bad_at, bool *incomplete)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 16; /* UTF-16 and GB18030 never grow by more than 2x into UTF-8 */
    char *out = arena_alloc(a, cap + 1);
    char *in = (char *)buf, *o = out;
    size_t inleft = len, outleft = cap;
    size_t r = iconv(cd, &in, &inleft, &o, &outleft);
    int err = errno;
    iconv_close(cd);
    if (r == (size_t)-1) {
        *bad_at = (size_t)(in - buf);
        *incomplete = err == EINVAL;
        if (err != EINVAL)
            return NULL;
    }
    *o = '\0';
    *out_len = (size_t)(o - out);
    return out;
}

static int line_of(const char *buf, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at; i++)
        line += buf[i] == '\n';
    return line;
}

/* Removes C0 controls other than tab/newline/CR (stray bytes from copy-paste or damage). */
static char *strip_controls(struct arena *a, char *s, size_t *len, struct ingest_warning **w,
                            size_t *nw)
{
    size_t j = 0, removed = 0;
    int first_line = 0, line = 1;
    for (size_t i = 0; i < *len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            line++;
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
            if (!removed)
                first_line = line;
            removed++;
            continue;
        }
        s[j++] = s[i];
    }
    s[j] = '\0';
    *len = j;
    if (removed)
        warn(a, w, nw, first_line, SEV_WARNING, "stray_characters",
             arena_printf(a, "removed %zu stray control character%s (first on line %d)",
                          removed, removed == 1 ? "" : "s", first_line));
    return s;
}

char *ingest_decode(struct arena *a, const char *buf, size_t len, size_t *out_len,
                    const char **encoding, const char **error, const char **code,
                    struct ingest_warning **warnings, size_t *n_warnings)
{
    const unsigned char *u = (const unsigned char *)buf;
    char *text = NULL;
    size_t tlen = 0, bad = 0;
    bool incomplete = false;
    *error = NULL;
    *code = NULL;

    if (len == 0) {
        *error = "the file is empty";
        *code = "empty";
        return NULL;
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        const char *enc = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        *encoding = u[0] == 0xFF ? "utf-16le" : "utf-16be";
        text = convert(a, enc, buf + 2, len - 2, &tlen, &bad, &incomplete);
        if (!text) {
            *error = arena_printf(a, "the file says it is UTF-16 but byte %zu is not valid UTF-16",
                                  bad + 2);
            *code = "bad_encoding";
            return NULL;
        }
        if (incomplete)
            warn(a, warnings, n_warnings, 0, SEV_ERROR, "truncated",
                 "the file ends in the middle of a character: it looks cut off");
    } else {
        size_t start = 0;
        *encoding = "utf-8";
        if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
            start = 3;
            *encoding = "utf-8-bom";
        }
        if (memchr(buf + start, '\0', len - start)) {
            *error = "this is not a text file (it contains NUL bytes); save the plan as text "
                     "(UTF-8 or GB18030) and try again";
            *code = "binary";
            return NULL;
        }
        size_t body = len - start;
        if (utf8_valid(buf + start, body, &bad)) {
            text = arena_strndup(a, buf + start, body);
            tlen = body;
        } else if (body - bad < 4 && body - bad > 0 &&
                   utf8_valid(buf + start, bad, NULL) &&
                   (u[start + bad] & 0xC0) == 0xC0) {
            /* Only the last character is incomplete: a cut-off file, not another encoding. */
            text = arena_strndup(a, buf + start, bad);
            tlen = bad;
            warn(a, warnings, n_warnings, line_of(buf, start + bad), SEV_ERROR, "truncated",
                 "the file ends in the middle of a character: it looks cut off");
        } else {
            size_t utf8_bad = bad;
            text = convert(a, "GB18030", buf + start, body, &tlen, &bad, &incomplete);
            if (text && !incomplete) {
                *encoding = "gb18030";
            } else if (text && incomplete) {
                *encoding = "gb18030";
                warn(a, warnings, n_warnings, line_of(buf, start + bad), SEV_ERROR, "truncated",
                     "the file ends in the middle of a character: it looks cut off");
            } else {
                *error = arena_printf(a,
                                      "the file is neither UTF-8 nor GB18030 (line %d has bytes "
                                      "that are not text in either)",
                                      line_of(buf, start + utf8_bad));
                *code = "bad_encoding";
                return NULL;
            }
        }
    }
    text = strip_controls(a, text, &tlen, warnings, n_warnings);
    /* Mostly control bytes or nothing left: not a plan text. */
    if (tlen == 0) {
        *error = "the file holds no text";
        *code = "empty";
        return NULL;
    }
    *out_len = tlen;
    return text;
}
