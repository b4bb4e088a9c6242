/* http_fuzz: a request without a socket, as the server starts one, for the HTTP fuzz targets
 * (fuzz_query, fuzz_form, fuzz_cookie, fuzz_json, fuzz_route). Each target feeds its bytes to
 * one parser of src/http and then reads the result the way handlers do, so a parser that
 * returns something inconsistent (unterminated, not UTF-8) fails under ASan/UBSan. */
#ifndef DUIKOU_HTTP_FUZZ_H
#define DUIKOU_HTTP_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
    struct arena arena;
    struct req r;
    struct resp p;
};

static inline void fz_start(struct fz *f, const char *method)
{
    memset(f, 0, sizeof *f);
    arena_init(&f->arena);
    req_init(&f->r, &f->arena, method, "127.0.0.1");
    sb_init(&f->p.body);
    resp_init(&f->p);
}

static inline void fz_end(struct fz *f)
{
    sb_free(&f->p.body);
    arena_free(&f->arena);
}

/* The bytes as a NUL-terminated arena string (a NUL inside ends it early, as a C header
 * value would). */
static inline char *fz_cstr(struct fz *f, const uint8_t *data, size_t size)
{
    return arena_strndup(&f->arena, (const char *)data, size);
}

/* Every decoded parameter must be valid UTF-8 without NUL: the parsers promise it. */
static inline void fz_check_params(const struct param *items, size_t n, bool utf8)
{
    size_t bad;
    for (size_t i = 0; i < n; i++) {
        if (!items[i].name || !items[i].value)
            abort();
        if (utf8 && (!utf8_valid(items[i].name, strlen(items[i].name), &bad) ||
                     !utf8_valid(items[i].value, strlen(items[i].value), &bad)))
            abort();
    }
}
#endif
