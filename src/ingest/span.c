/* span: helpers over the paired original/key code point arrays. */
#include <stdarg.h>
#include <string.h>

#include "core/mem.h"
#include "core/utf8.h"
#include "ingest/internal.h"

char *span_text(struct arena *a, struct span s, size_t from, size_t to)
{
    if (to > s.n)
        to = s.n;
    if (from > to)
        from = to;
    return utf8_from_cps(a, s.o + from, to - from);
}

/* Decodes a short UTF-8 literal into cps; returns the count (at most cap). */
static size_t lit_cps(const char *lit, uint32_t *cps, size_t cap)
{
    size_t len = strlen(lit), i = 0, n = 0;
    while (i < len && n < cap)
        cps[n++] = utf8_decode(lit, len, &i);
    return n;
}

bool span_has_prefix(struct span s, size_t at, const char *lit)
{
    uint32_t cps[32];
    size_t m = lit_cps(lit, cps, 32);
    if (at > s.n || s.n - at < m)
        return false;
    return memcmp(s.k + at, cps, m * sizeof *cps) == 0;
}

size_t span_find(struct span s, size_t from, const char *lit)
{
    uint32_t cps[32];
    size_t m = lit_cps(lit, cps, 32);
    if (m == 0)
        return from;
    for (size_t i = from; i + m <= s.n; i++)
        if (s.k[i] == cps[0] && memcmp(s.k + i, cps, m * sizeof *cps) == 0)
            return i;
    return (size_t)-1;
}

void doc_warn(struct arena *a, struct plan_doc *d, int line, enum ingest_severity sev,
              const char *code, const char *fmt, ...)
{
    /* A damaged file can hold thousands of problems; past the cap one line says so. Errors
     * are always kept, since they decide whether the plan may be imported. */
    enum { MAX_WARNINGS = 100 };
    if (d->n_warnings > MAX_WARNINGS && sev != SEV_ERROR)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(a, fmt, ap);
    va_end(ap);
    if (d->n_warnings == MAX_WARNINGS && sev != SEV_ERROR) {
        code = "too_many_warnings";
        msg = "more warnings follow; showing the first 100";
    }
    struct ingest_warning *w = ARRAY_PUSH(a, d->warnings, d->n_warnings, d->cap_warnings);
    *w = (struct ingest_warning){line, sev, code, msg, 0};
}
