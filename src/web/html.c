/* html: the escaping formatter every page is written with (see html.h). */
#include "web/html.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/mem.h"
#include "core/sb.h"
#include "core/text.h"
#include "core/utf8.h"

static _Thread_local enum html_script shown = HTML_AS_STORED;

void html_set_script(enum html_script s) { shown = s; }

enum html_script html_script(void) { return shown; }

/* Whether the %h at pct in fmt fills a form field's value (value="%h" or
 * >%h</textarea>), which must stay as stored. */
static bool field_value(const char *fmt, const char *pct) {
  return ((size_t)(pct - fmt) >= 7 && memcmp(pct - 7, "value=\"", 7) == 0) ||
         strncmp(pct + 2, "</textarea", 10) == 0;
}

/* v escaped, in the thread's script; only text with a character to change meets OpenCC. */
static void escape_shown(struct sb *out, const char *v) {
  size_t n = strlen(v);
  bool trad = shown == HTML_TRADITIONAL;
  if (!text_needs_conversion(trad, v, n)) {
    html_escape(out, v, n);
    return;
  }
  struct arena a;
  arena_init(&a);
  const char *c = trad ? text_s2t(&a, v, n, NULL) : text_t2s(&a, v, n, NULL);
  html_escape(out, c, strlen(c));
  arena_free(&a);
}

void html_escape(struct sb *out, const char *s, size_t n) {
  size_t i = 0, run = 0; /* run: start of the bytes not yet written */
  while (i < n) {
    const char *ent = NULL;
    size_t at = i;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      switch (c) {
      case '&':
        ent = "&amp;";
        break;
      case '<':
        ent = "&lt;";
        break;
      case '>':
        ent = "&gt;";
        break;
      case '"':
        ent = "&quot;";
        break;
      case '\'':
        ent = "&#39;";
        break;
      default:
        break;
      }
      i++;
    } else if (utf8_decode(s, n, &i) == UTF8_INVALID) {
      ent = "\xEF\xBF\xBD"; /* U+FFFD for the bad byte */
    }
    if (ent) {
      sb_appendn(out, s + run, at - run);
      sb_append(out, ent);
      run = i;
    }
  }
  sb_appendn(out, s + run, n - run);
}

void html_urlencode(struct sb *out, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      sb_appendc(out, (char)c);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      sb_appendn(out, e, 3);
    }
  }
}

void html_vprintf(struct sb *out, const char *fmt, va_list ap) {
  const char *p = fmt;
  while (*p) {
    const char *pct = strchr(p, '%');
    if (!pct) {
      sb_append(out, p);
      return;
    }
    sb_appendn(out, p, (size_t)(pct - p));
    p = pct + 1;
    if (*p == 'h' || *p == 'u' || *p == 's') {
      const char *v = va_arg(ap, const char *);
      if (v && *p == 'h' && shown != HTML_AS_STORED && !field_value(fmt, pct))
        escape_shown(out, v);
      else if (v && *p == 'h')
        html_escape(out, v, strlen(v));
      else if (v && *p == 'u')
        html_urlencode(out, v, strlen(v));
      else if (v)
        sb_append(out, v);
      p++;
    } else if (*p == 'd') {
      sb_appendf(out, "%d", va_arg(ap, int));
      p++;
    } else if (strncmp(p, "lld", 3) == 0) {
      sb_appendf(out, "%lld", va_arg(ap, long long));
      p += 3;
    } else if (*p == '%') {
      sb_appendc(out, '%');
      p++;
    } else {
      assert(!"html_printf: unknown conversion");
      sb_appendc(out, '%');
    }
  }
}

void html_printf(struct sb *out, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  html_vprintf(out, fmt, ap);
  va_end(ap);
}
