/* html: HTML output where escaping is the default, in the spirit of Fossil's
 * printf. Every page is written through html_printf, so a value from the
 * database or the request cannot reach the page unescaped by accident. */
#ifndef DUIKOU_WEB_HTML_H
#define DUIKOU_WEB_HTML_H
#include <stdarg.h>
#include <stddef.h>

struct sb;

/* Appends fmt to out with these conversions:
 *   %h   const char *: escaped for HTML text and attribute values (& < > " '
 * become entities); NULL prints nothing; invalid UTF-8 becomes U+FFFD. Anything
 * from the database, the request or the message catalog goes through %h. %u
 * const char *: percent-encoded for a URL component (all but A-Z a-z 0-9 - . _
 * ~). %d   int;  %lld  long long (int64_t values are cast). %s   const char *,
 * written as is: ONLY for string literals of the code (class names, fixed
 * markup). tests/unit/test_html.c reads every .c file of src/web/ and fails
 * when a %s meets an argument that is not a string literal.
 *   %%   a percent sign.
 * Any other conversion is a programming error (assert; printed as is in release
 * builds). */
void html_printf(struct sb *out, const char *fmt, ...);
void html_vprintf(struct sb *out, const char *fmt, va_list ap);

/* The script %h shows text in on this thread: as stored (the default), or converted to
 * Simplified or Traditional with OpenCC, so data typed in either script reads in the
 * interface's. Form field values (a %h right after value=" or right before </textarea)
 * always stay as stored: saving a form must not rewrite the data. The router sets it back
 * to HTML_AS_STORED after every handler. */
enum html_script { HTML_AS_STORED, HTML_SIMPLIFIED, HTML_TRADITIONAL };
void html_set_script(enum html_script s);
enum html_script html_script(void);

/* The escapers on their own: s[0..n) appended to out. */
void html_escape(struct sb *out, const char *s, size_t n);
void html_urlencode(struct sb *out, const char *s, size_t n);

#endif
