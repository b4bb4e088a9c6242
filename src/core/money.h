/* money: amounts of money. They are stored as whole yuan (int64_t) and entered and shown in
 * 万元 (units of 10,000 yuan) with at most 4 decimals, so 1 yuan is "0.0001" 万元 and every
 * stored amount has exactly one text. Conversion is integer arithmetic only: no binary
 * floating point ever rounds an amount. */
#ifndef DUIKOU_MONEY_H
#define DUIKOU_MONEY_H
#include <stdint.h>

struct arena;

/* The largest amount accepted: 10^11 万元 = 10^15 yuan, far above any budget yet small
 * enough that sums of many amounts stay well inside int64_t. */
#define MONEY_MAX_YUAN INT64_C(1000000000000000)

enum money_err {
    MONEY_OK,
    MONEY_EMPTY,       /* nothing but spaces */
    MONEY_NOT_NUMBER,  /* not digits[,ddd...][.d{1,4}], e.g. "abc", "1e5", "1.", ".5", "+1" */
    MONEY_NEGATIVE,    /* a well-formed number with a leading "-" */
    MONEY_TOO_PRECISE, /* more than 4 decimals (even "1.00000": finer than a yuan) */
    MONEY_TOO_LARGE,   /* above MONEY_MAX_YUAN */
};

/* Parses a UTF-8 amount in 万元 as typed: surrounding spaces (ASCII, ideographic) trimmed,
 * full-width ASCII (０-９, ．, ，) folded, "," allowed only between groups of three digits
 * in the integer part. Sets *yuan only on MONEY_OK. A NULL s is MONEY_EMPTY. */
enum money_err money_parse_wan(const char *s, int64_t *yuan);

/* The amount in 万元 without trailing zeros or separators ("12345.6789", "1.5", "0"): the
 * form for inputs and exports, which money_parse_wan() reads back. Arena string. */
char *money_format_wan(struct arena *a, int64_t yuan);

/* The same with "," between groups of three integer digits ("12,345.6789"), for pages.
 * Also read back by money_parse_wan(). Arena string. */
char *money_format_wan_grouped(struct arena *a, int64_t yuan);

#endif
