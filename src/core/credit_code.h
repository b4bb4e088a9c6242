/* credit_code: the 统一社会信用代码 (unified social credit code, GB 32100-2015) of a legal
 * person or other organisation — 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY", the
 * last a mod-31 check character over the first 17. Input is normalised as people type and
 * paste it; validity here means the check character matches, nothing about registration. */
#ifndef DUIKOU_CREDIT_CODE_H
#define DUIKOU_CREDIT_CODE_H
#include <stdbool.h>

#define CREDIT_CODE_LEN 18

/* Writes the canonical form of a typed code (UTF-8) to out: surrounding spaces trimmed,
 * full-width ASCII folded, letters upper-cased. Returns false, with out set to "", unless
 * that gives exactly 18 characters of the code's alphabet. The check character is not
 * looked at: see credit_code_valid(). */
bool credit_code_normalise(const char *in, char out[CREDIT_CODE_LEN + 1]);

/* True when code18 is 18 characters of the alphabet (canonical form: no spaces, upper case)
 * and its last character is the check character of the first 17. NULL is not valid. */
bool credit_code_valid(const char *code18);

/* The check character for the first 17 characters of first17 (anything after them is
 * ignored); '\0' when those are not 17 characters of the alphabet. */
char credit_code_check_char(const char *first17);

#endif
