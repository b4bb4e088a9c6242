/* text: OpenCC converters are costly to open (they load dictionaries), so each is opened
 * once per process and shared; OpenCC's converter is not documented as thread-safe, so a
 * mutex serialises calls. */
#include "core/text.h"

#include <opencc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/mem.h"
#include "core/sb.h"
#include "core/utf8.h"

uint32_t text_fold_cp(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFF01 + 0x21;
    if (cp == 0x3000)
        return ' ';
    return cp;
}

char *text_nfc(struct arena *a, const char *s, size_t n)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (r < 0) {
        free(out);
        return arena_strndup(a, s, n);
    }
    char *copy = arena_strndup(a, (const char *)out, (size_t)r);
    free(out);
    return copy;
}

enum { CONV_T2S, CONV_S2T, CONV_N };
static const char *conv_files[CONV_N] = {"t2s.json", "s2t.json"};
static opencc_t convs[CONV_N];
static bool conv_tried[CONV_N];
static pthread_mutex_t conv_lock = PTHREAD_MUTEX_INITIALIZER;

static char *convert(int which, struct arena *a, const char *s, size_t n, bool *ok)
{
    char *res = NULL;
    pthread_mutex_lock(&conv_lock);
    if (!conv_tried[which]) {
        conv_tried[which] = true;
        opencc_t c = opencc_open(conv_files[which]);
        convs[which] = c == (opencc_t)-1 ? NULL : c;
    }
    if (convs[which] && n > 0) {
        char *out = opencc_convert_utf8(convs[which], s, n);
        if (out) {
            res = arena_strdup(a, out);
            opencc_convert_utf8_free(out);
        }
    }
    pthread_mutex_unlock(&conv_lock);
    if (ok)
        *ok = res != NULL || n == 0;
    return res ? res : arena_strndup(a, s, n);
}

char *text_t2s(struct arena *a, const char *s, size_t n, bool *ok)
{
    return convert(CONV_T2S, a, s, n, ok);
}

char *text_s2t(struct arena *a, const char *s, size_t n, bool *ok)
{
    return convert(CONV_S2T, a, s, n, ok);
}

/* The character tables cover the CJK blocks where Traditional forms live (Extension A and
 * the Unified Ideographs); other code points map to themselves. */
enum { TABLE_FIRST = 0x3400, TABLE_END = 0xA000 };
static uint32_t *tables[CONV_N];
static bool tables_ok[CONV_N];
static pthread_once_t table_once[CONV_N] = {PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT};

static void build_table(int which)
{
    size_t n = TABLE_END - TABLE_FIRST;
    uint32_t *t = xmalloc(n * sizeof *t);
    for (size_t i = 0; i < n; i++)
        t[i] = (uint32_t)(TABLE_FIRST + i);
    /* One OpenCC call over every character, one per line, so each converts on its own. */
    struct sb in = SB_INIT;
    for (size_t i = 0; i < n; i++) {
        sb_append_cp(&in, (uint32_t)(TABLE_FIRST + i));
        sb_appendc(&in, '\n');
    }
    struct arena a;
    arena_init(&a);
    bool ok = false;
    char *out = convert(which, &a, in.buf, in.len, &ok);
    size_t len = strlen(out), i = 0, k = 0;
    while (ok && i < len && k < n) {
        size_t start = i;
        uint32_t cp = utf8_decode(out, len, &i);
        if (i < len && out[i] == '\n' && cp != UTF8_INVALID) {
            t[k] = cp; /* exactly one character came out */
            i++;
        } else {
            i = start;
            while (i < len && out[i] != '\n')
                i++;
            i++;
        }
        k++;
    }
    tables[which] = t;
    tables_ok[which] = ok && k == n;
    arena_free(&a);
    sb_free(&in);
}

static void build_t2s(void) { build_table(CONV_T2S); }
static void build_s2t(void) { build_table(CONV_S2T); }

static uint32_t table_cp(int which, uint32_t cp)
{
    if (cp < TABLE_FIRST || cp >= TABLE_END)
        return cp;
    pthread_once(&table_once[which], which == CONV_T2S ? build_t2s : build_s2t);
    return tables[which][cp - TABLE_FIRST];
}

uint32_t text_t2s_cp(uint32_t cp)
{
    return table_cp(CONV_T2S, cp);
}

bool text_t2s_available(void)
{
    pthread_once(&table_once[CONV_T2S], build_t2s);
    return tables_ok[CONV_T2S];
}

bool text_needs_conversion(bool to_traditional, const char *s, size_t n)
{
    int which = to_traditional ? CONV_S2T : CONV_T2S;
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp = utf8_decode(s, n, &i);
        if (cp != UTF8_INVALID && table_cp(which, cp) != cp)
            return true;
    }
    return false;
}

char *text_key(struct arena *a, const char *s)
{
    size_t n = strlen(s);
    char *nfc = text_nfc(a, s, n);
    size_t len = strlen(nfc), i = 0;
    struct sb b = SB_INIT;
    bool space = false;
    while (i < len) {
        uint32_t cp = utf8_decode(nfc, len, &i);
        if (cp == UTF8_INVALID)
            cp = 0xFFFD;
        cp = text_fold_cp(cp);
        if (cp_is_space(cp)) {
            space = b.len > 0;
            continue;
        }
        if (space)
            sb_appendc(&b, ' ');
        space = false;
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        sb_append_cp(&b, text_t2s_cp(cp));
    }
    char *key = arena_strndup(a, sb_str(&b), b.len);
    sb_free(&b);
    return key;
}

void text_shutdown(void)
{
    /* The character tables stay: pthread_once cannot be re-armed, and it is one allocation
     * that LeakSanitizer sees as reachable. */
    pthread_mutex_lock(&conv_lock);
    for (int i = 0; i < CONV_N; i++) {
        if (convs[i])
            opencc_close(convs[i]);
        convs[i] = NULL;
        conv_tried[i] = false;
    }
    pthread_mutex_unlock(&conv_lock);
}
