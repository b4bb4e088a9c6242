/* industry: GB/T 4754-2017 sections and divisions from the embedded data/industry.csv.
 *
 * The file is parsed once (pthread_once) into a private arena that is never freed: the table
 * is small (117 rows), read-only after load and wanted until exit, so it needs no shutdown.
 * Each row carries the text_key() of its code and name, made at load, so that matching a
 * query costs two strstr() calls and no allocation. Codes are looked up through two small
 * direct indexes, one by letter and one by number.
 *
 * The file has no quoting layer: no field holds a comma or a double quote (Chinese names
 * use 、 and ，). A row that does not fit — wrong field count, a bad code, a division whose
 * section has not been listed before it, a code seen twice — is logged and skipped. */
#include "service/industry.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/embedded.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"

/* A row plus its keys; the public struct comes first so that a const struct industry *
 * handed out can be turned back into its row. */
struct row {
    struct industry ind;
    const char *code_key;
    const char *name_key;
};

static struct {
    struct arena arena;
    struct row *rows;
    size_t n;
    int16_t by_letter[26]; /* row index + 1; 0 is none */
    int16_t by_number[100];
} T;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static bool is_section_code(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] == '\0';
}

static bool is_division_code(const char *s)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '\0';
}

/* The index slot of a code, or NULL when it is neither a section nor a division code. */
static int16_t *slot_of(const char *code)
{
    if (is_section_code(code))
        return &T.by_letter[code[0] - 'A'];
    if (is_division_code(code))
        return &T.by_number[(code[0] - '0') * 10 + (code[1] - '0')];
    return NULL;
}

/* Splits the next line of *p into at most max comma-separated fields, in place. Returns the
 * field count (1 for a blank line), 0 at the end. */
static int csv_next(char **p, char **fields, int max)
{
    char *s = *p;
    if (!*s)
        return 0;
    char *eol = strchr(s, '\n');
    *p = eol ? eol + 1 : s + strlen(s);
    if (eol) {
        *eol = '\0';
        if (eol > s && eol[-1] == '\r')
            eol[-1] = '\0';
    }
    int n = 0;
    fields[n++] = s;
    for (char *c = s; *c; c++)
        if (*c == ',') {
            *c = '\0';
            if (n == max)
                return max + 1; /* too many fields */
            fields[n++] = c + 1;
        }
    return n;
}

static bool row_ok(char **f, int n)
{
    if (n != 3 || !*f[2] || strchr(f[2], '"'))
        return false;
    int16_t *slot = slot_of(f[0]);
    if (!slot || *slot || !is_section_code(f[1]))
        return false;
    if (is_section_code(f[0]))
        return strcmp(f[0], f[1]) == 0;
    return T.by_letter[f[1][0] - 'A'] != 0; /* its section came first */
}

static void load(void)
{
    arena_init(&T.arena);
    const struct embedded_file *file = embedded_find("industry.csv");
    if (!file) {
        log_error("industry: industry.csv is not compiled in");
        return;
    }
    char *p = arena_strndup(&T.arena, (const char *)file->data, file->len), *f[4];
    size_t cap = 0;
    int line = 0, n;
    while ((n = csv_next(&p, f, 3)) > 0) {
        if (line++ == 0 || (n == 1 && !*f[0]))
            continue; /* header, blank line */
        if (!row_ok(f, n)) {
            log_warn("industry: industry.csv:%d: bad row skipped", line);
            continue;
        }
        struct row *r = ARRAY_PUSH(&T.arena, T.rows, T.n, cap);
        r->ind = (struct industry){.code = f[0], .section = f[1], .name = f[2]};
        r->code_key = text_key(&T.arena, f[0]);
        r->name_key = text_key(&T.arena, f[2]);
        *slot_of(f[0]) = (int16_t)T.n;
    }
}

static void ensure_loaded(void)
{
    pthread_once(&once, load);
}

const struct industry *industry_find(const char *code)
{
    if (!code)
        return NULL;
    ensure_loaded();
    int16_t *slot = slot_of(code);
    return slot && *slot ? &T.rows[*slot - 1].ind : NULL;
}

size_t industry_count(void)
{
    ensure_loaded();
    return T.n;
}

const struct industry *industry_at(size_t i)
{
    ensure_loaded();
    return i < T.n ? &T.rows[i].ind : NULL;
}

bool industry_matches(struct arena *a, const struct industry *ind, const char *query_key)
{
    (void)a;
    assert(ind);
    if (!query_key || !*query_key)
        return true;
    const struct row *r = (const struct row *)ind;
    assert((uintptr_t)r >= (uintptr_t)T.rows && (uintptr_t)r < (uintptr_t)(T.rows + T.n));
    return strstr(r->code_key, query_key) || strstr(r->name_key, query_key);
}
