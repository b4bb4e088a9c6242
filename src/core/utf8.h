/* utf8: strict UTF-8 decoding and encoding (no overlongs, no surrogates, max U+10FFFF). */
#ifndef DUIKOU_UTF8_H
#define DUIKOU_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_INVALID 0xFFFFFFFFu

struct arena;

/* Decodes the code point at s[*i] (len bytes in all) and advances *i; on a bad sequence
 * returns UTF8_INVALID and advances *i by one byte. */
uint32_t utf8_decode(const char *s, size_t len, size_t *i);
size_t utf8_encode(uint32_t cp, char out[4]); /* bytes written, 1..4 */
/* True when s[0..len) is valid UTF-8; otherwise *bad (if given) is the first bad offset. */
bool utf8_valid(const char *s, size_t len, size_t *bad);
size_t utf8_count(const char *s, size_t len); /* code points; a bad byte counts as one */
/* Decodes into an arena array of code points (bad bytes become U+FFFD); *n is the count. */
uint32_t *utf8_to_cps(struct arena *a, const char *s, size_t len, size_t *n);
/* Encodes code points into a NUL-terminated arena string. */
char *utf8_from_cps(struct arena *a, const uint32_t *cps, size_t n);
bool cp_is_cjk(uint32_t cp); /* Han ideographs (incl. extensions and compatibility) */
bool cp_is_space(uint32_t cp);

#endif
