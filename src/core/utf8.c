/* utf8: decoding follows the Unicode "maximal subpart" rules closely enough that one bad
 * byte never swallows the valid text after it. */
#include "core/utf8.h"

#include "core/mem.h"

uint32_t utf8_decode(const char *str, size_t len, size_t *i)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t p = *i;
    unsigned char c = s[p];
    uint32_t cp;
    size_t need;
    if (c < 0x80) {
        *i = p + 1;
        return c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        cp = c & 0x1F;
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        cp = c & 0x0F;
        need = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
        cp = c & 0x07;
        need = 3;
    } else {
        *i = p + 1;
        return UTF8_INVALID;
    }
    if (len - p <= need) {
        *i = p + 1;
        return UTF8_INVALID;
    }
    for (size_t k = 1; k <= need; k++) {
        unsigned char d = s[p + k];
        if ((d & 0xC0) != 0x80) {
            *i = p + 1;
            return UTF8_INVALID;
        }
        cp = (cp << 6) | (d & 0x3F);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        *i = p + 1;
        return UTF8_INVALID;
    }
    *i = p + need + 1;
    return cp;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool utf8_valid(const char *s, size_t len, size_t *bad)
{
    size_t i = 0;
    while (i < len) {
        size_t at = i;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        if (utf8_decode(s, len, &i) == UTF8_INVALID) {
            if (bad)
                *bad = at;
            return false;
        }
    }
    return true;
}

size_t utf8_count(const char *s, size_t len)
{
    size_t i = 0, n = 0;
    while (i < len) {
        utf8_decode(s, len, &i);
        n++;
    }
    return n;
}

uint32_t *utf8_to_cps(struct arena *a, const char *s, size_t len, size_t *n)
{
    uint32_t *out = arena_alloc(a, (len + 1) * sizeof *out);
    size_t i = 0, k = 0;
    while (i < len) {
        uint32_t cp = utf8_decode(s, len, &i);
        out[k++] = cp == UTF8_INVALID ? 0xFFFD : cp;
    }
    *n = k;
    return out;
}

char *utf8_from_cps(struct arena *a, const uint32_t *cps, size_t n)
{
    char *out = arena_alloc(a, n * 4 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += utf8_encode(cps[i], out + k);
    out[k] = '\0';
    return out;
}

bool cp_is_cjk(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x3134F) || (cp >= 0xF900 && cp <= 0xFAFF);
}

bool cp_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\f' || cp == '\v' ||
           cp == 0xA0 || cp == 0x3000 || cp == 0xFEFF || (cp >= 0x2000 && cp <= 0x200B);
}
