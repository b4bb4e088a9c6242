/* json: a streaming JSON writer into a string builder. Escaping happens here and only here,
 * so a response cannot carry an unescaped string. Commas and (optional) indentation are
 * tracked by the writer; callers just open, write and close. */
#ifndef DUIKOU_JSON_H
#define DUIKOU_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sb.h"

enum { JW_MAX_DEPTH = 64 };

struct jw {
    struct sb *out;
    int depth;
    bool pretty;
    bool after_key;
    unsigned char count[JW_MAX_DEPTH]; /* items written at each depth, saturating */
};

void jw_init(struct jw *w, struct sb *out, bool pretty);
void jw_obj(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);            /* NULL writes null */
void jw_strn(struct jw *w, const char *s, size_t n); /* invalid UTF-8 becomes U+FFFD */
void jw_int(struct jw *w, int64_t v);
void jw_double(struct jw *w, double v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
void jw_raw(struct jw *w, const char *json); /* already-valid JSON, e.g. a stored document */

/* key + value in one call */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, bool v);
void jw_knull(struct jw *w, const char *key);

/* Appends s as a quoted JSON string to out (no writer state). */
void json_quote(struct sb *out, const char *s, size_t n);

#endif
