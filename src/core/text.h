/* text: the one normalisation every matcher uses. Text is kept as typed for display; a
 * "key" copy is NFC, has full-width ASCII folded to ASCII, and is converted to Simplified
 * Chinese with OpenCC, so 遼寧 and 辽宁, （一） and (一), １ and 1 all compare equal. */
#ifndef DUIKOU_TEXT_H
#define DUIKOU_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

uint32_t text_fold_cp(uint32_t cp); /* full-width ASCII and ideographic space to ASCII */
/* NFC; returns an arena copy (the input itself when it is not valid UTF-8). */
char *text_nfc(struct arena *a, const char *s, size_t n);
/* Traditional -> Simplified (OpenCC t2s). Returns an arena string. If OpenCC's data cannot
 * be loaded, returns a copy and sets *ok=false (ok may be NULL). Thread-safe. */
char *text_t2s(struct arena *a, const char *s, size_t n, bool *ok);
/* Simplified -> Traditional (OpenCC s2t), same contract. */
char *text_s2t(struct arena *a, const char *s, size_t n, bool *ok);
/* One code point Traditional -> Simplified, from a table made once from OpenCC's character
 * dictionary (phrase rules do not apply to single characters, so keys never change length).
 * Identity when OpenCC's data is missing; text_t2s_available() tells. Thread-safe. */
uint32_t text_t2s_cp(uint32_t cp);
bool text_t2s_available(void);
/* Whether some character of s[0..n) changes under s2t (to_traditional) or t2s, by a table
 * like text_t2s_cp's: text already in the target script skips the costly OpenCC call. */
bool text_needs_conversion(bool to_traditional, const char *s, size_t n);
/* The matching key of s: NFC, folded, Simplified by character (text_t2s_cp), ASCII
 * lower-cased, spaces collapsed. */
char *text_key(struct arena *a, const char *s);
/* Frees OpenCC converters (for leak-clean exits). */
void text_shutdown(void);

#endif
