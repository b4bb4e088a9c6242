/* sb: a string builder. Passed by pointer so the handle never moves (Redis sds shows the trap
 * of `s = sdscat(s, ...)`). The buffer is always NUL-terminated; sb_free() releases it. */
#ifndef DUIKOU_SB_H
#define DUIKOU_SB_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct sb {
    char *buf;
    size_t len, cap;
};

#define SB_INIT {NULL, 0, 0}

void sb_init(struct sb *s);
void sb_free(struct sb *s);
void sb_reset(struct sb *s); /* keeps capacity */
void sb_reserve(struct sb *s, size_t extra);
void sb_append(struct sb *s, const char *str);
void sb_appendn(struct sb *s, const char *str, size_t n);
void sb_appendc(struct sb *s, char c);
void sb_insert(struct sb *s, size_t at, const char *str, size_t n); /* n bytes before at */
void sb_appendf(struct sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vappendf(struct sb *s, const char *fmt, va_list ap);
void sb_append_cp(struct sb *s, uint32_t cp); /* one code point as UTF-8 */
const char *sb_str(struct sb *s);             /* never NULL */
char *sb_steal(struct sb *s);                 /* caller frees; s is left empty */

#endif
