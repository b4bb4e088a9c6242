/* money: a hand-written scanner rather than strtod/strtoll, because the rules are about the
 * text (grouping, number of decimals, full-width digits) and the value must be exact. */
#include "core/money.h"

#include <stdbool.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "core/utf8.h"

#define YUAN_PER_WAN 10000
#define MAX_WAN (MONEY_MAX_YUAN / YUAN_PER_WAN)

/* Code points one at a time, full-width folded; 0 at the end (strlen already stopped at any
 * NUL, so 0 cannot come from the text). */
struct scan {
    const char *s;
    size_t len, i;
};

static uint32_t next(struct scan *sc)
{
    return sc->i < sc->len ? text_fold_cp(utf8_decode(sc->s, sc->len, &sc->i)) : 0;
}

static bool is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

enum money_err money_parse_wan(const char *s, int64_t *yuan)
{
    struct scan sc = {s, s ? strlen(s) : 0, 0};
    int64_t wan = 0, frac = 0;
    int digits = 0, group = 0, decimals = 0;
    bool negative = false, grouped = false, too_large = false;

    uint32_t cp = next(&sc);
    while (cp_is_space(cp))
        cp = next(&sc);
    if (cp == 0)
        return MONEY_EMPTY;
    if (cp == '-') {
        negative = true;
        cp = next(&sc);
    }

    /* Integer part. The value stops growing once past the limit, so a string of any length
     * cannot overflow, but scanning goes on: "1…1x" is still not a number. */
    for (;; cp = next(&sc)) {
        if (is_digit(cp)) {
            if (!too_large) {
                wan = wan * 10 + (cp - '0');
                too_large = wan > MAX_WAN;
            }
            digits++;
            group++;
        } else if (cp == ',') {
            /* The first group has 1-3 digits, every later one exactly 3: "1,23" is more
             * likely a mistyped decimal point than 123. */
            if (group == 0 || (grouped ? group != 3 : group > 3))
                return MONEY_NOT_NUMBER;
            grouped = true;
            group = 0;
        } else {
            break;
        }
    }
    if (digits == 0 || (grouped && group != 3))
        return MONEY_NOT_NUMBER;

    if (cp == '.') {
        for (cp = next(&sc); is_digit(cp); cp = next(&sc)) {
            if (decimals < 4)
                frac = frac * 10 + (cp - '0');
            decimals++;
        }
        if (decimals == 0)
            return MONEY_NOT_NUMBER;
    }
    while (cp_is_space(cp))
        cp = next(&sc);
    if (cp != 0)
        return MONEY_NOT_NUMBER;

    if (negative)
        return MONEY_NEGATIVE;
    if (decimals > 4)
        return MONEY_TOO_PRECISE;
    for (int k = decimals; k < 4; k++)
        frac *= 10;
    if (too_large || wan * YUAN_PER_WAN + frac > MONEY_MAX_YUAN)
        return MONEY_TOO_LARGE;
    *yuan = wan * YUAN_PER_WAN + frac;
    return MONEY_OK;
}

static char *format(struct arena *a, int64_t yuan, bool grouped)
{
    /* Unsigned, so that even INT64_MIN has a magnitude. */
    uint64_t mag = yuan < 0 ? 0 - (uint64_t)yuan : (uint64_t)yuan;
    uint64_t wan = mag / YUAN_PER_WAN;
    unsigned frac = (unsigned)(mag % YUAN_PER_WAN);
    char digits[24], out[48]; /* 20 digits at most; with sign, 6 commas, ".dddd": < 48 */
    size_t n = 0, nd = 0;

    do
        digits[nd++] = (char)('0' + wan % 10);
    while ((wan /= 10) > 0);
    if (yuan < 0)
        out[n++] = '-';
    while (nd > 0) {
        out[n++] = digits[--nd];
        if (grouped && nd > 0 && nd % 3 == 0)
            out[n++] = ',';
    }
    if (frac) {
        int places = 4;
        while (frac % 10 == 0) { /* no trailing zeros: 1.5, not 1.5000 */
            frac /= 10;
            places--;
        }
        out[n++] = '.';
        for (int k = places - 1; k >= 0; k--, frac /= 10)
            out[n + k] = (char)('0' + frac % 10);
        n += places;
    }
    return arena_strndup(a, out, n);
}

char *money_format_wan(struct arena *a, int64_t yuan)
{
    return format(a, yuan, false);
}

char *money_format_wan_grouped(struct arena *a, int64_t yuan)
{
    return format(a, yuan, true);
}
