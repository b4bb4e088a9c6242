/* credit_code: GB 32100-2015 §5 and appendix — C18 = 31 - MOD(Σ Ci×Wi, 31) with 31 written
 * as 0, Wi = 3^(i-1) mod 31. Checked against the standard's worked example and codes
 * printed on real business licences (tests/unit/test_credit_code.c). */
#include "core/credit_code.h"

#include <string.h>

#include "core/text.h"
#include "core/utf8.h"

/* The position of a character in this string is its value Ci; I, O, Z, S and V are left
 * out because they are too easily read as 1, 0, 2, 5 and U. */
static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const int weights[CREDIT_CODE_LEN - 1] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                 29, 25, 13, 8,  24, 10, 30, 28};

static int value_of(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

bool credit_code_normalise(const char *in, char out[CREDIT_CODE_LEN + 1])
{
    /* Built aside and copied at the end, so in and out may be the same buffer. */
    char buf[CREDIT_CODE_LEN + 1];
    size_t len = in ? strlen(in) : 0, i = 0, n = 0;
    bool trailing = false; /* a space after the code has begun: only spaces may follow */
    while (i < len) {
        /* Folding first means an ideographic space (U+3000) is trimmed like an ASCII one,
         * and ＡＢ１ typed with a full-width IME reads as AB1. */
        uint32_t cp = text_fold_cp(utf8_decode(in, len, &i));
        if (cp_is_space(cp)) {
            trailing = n > 0;
            continue;
        }
        if (trailing || n == CREDIT_CODE_LEN)
            goto fail;
        if (cp >= 'a' && cp <= 'z')
            cp -= 'a' - 'A';
        if (cp > 0x7F || value_of((char)cp) < 0)
            goto fail;
        buf[n++] = (char)cp;
    }
    if (n != CREDIT_CODE_LEN)
        goto fail;
    buf[n] = '\0';
    memcpy(out, buf, sizeof buf);
    return true;
fail:
    out[0] = '\0';
    return false;
}

char credit_code_check_char(const char *first17)
{
    int sum = 0;
    if (!first17)
        return '\0';
    for (int i = 0; i < CREDIT_CODE_LEN - 1; i++) {
        int v = value_of(first17[i]); /* stops at a short string's NUL */
        if (v < 0)
            return '\0';
        sum += v * weights[i];
    }
    return alphabet[(31 - sum % 31) % 31];
}

bool credit_code_valid(const char *code18)
{
    if (!code18 || strlen(code18) != CREDIT_CODE_LEN || value_of(code18[17]) < 0)
        return false;
    char check = credit_code_check_char(code18);
    return check != '\0' && check == code18[17];
}
