/* test_html: the escaping formatter of the web pages (web/html.c), and a small
 * code check in the manner of Fossil's codecheck1: in src/web, html_printf's
 * format is a string literal and every %s in it meets a string literal (or a
 * choice between two), never a value. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sb.h"
#include "core/text.h"
#include "http/internal.h"
#include "web/html.h"
#include "web/web.h"

static char *fmt(const char *f, ...) {
  static char out[1024];
  struct sb b = SB_INIT;
  va_list ap;
  va_start(ap, f);
  html_vprintf(&b, f, ap);
  va_end(ap);
  snprintf(out, sizeof out, "%s", sb_str(&b));
  sb_free(&b);
  return out;
}

static void test_escape_each(void **state) {
  assert_string_equal(fmt("%h", "&"), "&amp;");
  assert_string_equal(fmt("%h", "<"), "&lt;");
  assert_string_equal(fmt("%h", ">"), "&gt;");
  assert_string_equal(fmt("%h", "\""), "&quot;");
  assert_string_equal(fmt("%h", "'"), "&#39;");
  assert_string_equal(
      fmt("<p title=\"%h\">%h</p>", "a\"b", "<script>x</script>"),
      "<p title=\"a&quot;b\">&lt;script&gt;x&lt;/script&gt;</p>");
  assert_string_equal(fmt("%h", "遼寧省與江蘇省"), "遼寧省與江蘇省");
  assert_string_equal(fmt("[%h]", (const char *)NULL), "[]");
}

static void test_no_double_escaping(void **state) {
  /* An entity typed by someone is text, shown as typed: its & is escaped once.
   */
  assert_string_equal(fmt("%h", "&amp;"), "&amp;amp;");
  assert_string_equal(fmt("%h", "&lt;b&gt;"), "&amp;lt;b&amp;gt;");
  /* The format itself is never escaped; literals pass through %s unchanged. */
  assert_string_equal(fmt("<b>%s</b>&amp;", "<i>"), "<b><i></b>&amp;");
}

/* Data in the interface's script, form values as stored (web/script.c). */
static void test_script(void **state) {
  (void)state;
  const char *f = "<p>%h</p><input name=\"t\" value=\"%h\"><textarea>%h</textarea>";
  html_set_script(HTML_SIMPLIFIED);
  assert_string_equal(fmt(f, "遼寧省商務廳", "遼寧省商務廳", "遼寧"),
                      "<p>辽宁省商务厅</p><input name=\"t\" value=\"遼寧省商務廳\"><textarea>遼寧</textarea>");
  assert_string_equal(fmt("%h", "辽宁 <b>"), "辽宁 &lt;b&gt;");
  html_set_script(HTML_TRADITIONAL);
  assert_string_equal(fmt(f, "辽宁省商务厅", "辽宁", "辽宁"),
                      "<p>遼寧省商務廳</p><input name=\"t\" value=\"辽宁\"><textarea>辽宁</textarea>");
  html_set_script(HTML_AS_STORED);
  assert_string_equal(fmt("%h", "遼寧与辽宁"), "遼寧与辽宁");
  text_shutdown();
}

static void test_invalid_utf8(void **state) {
  /* A stray continuation byte, a truncated sequence, an overlong '<': each bad
   * byte becomes U+FFFD, and an overlong encoding cannot smuggle a '<' past the
   * escaper. */
  assert_string_equal(fmt("%h", "a\x80z"), "a\xEF\xBF\xBDz");
  assert_string_equal(fmt("%h", "\xE8\xBE"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  assert_string_equal(fmt("%h", "\xC0\xBC"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  assert_string_equal(fmt("%h", "\xE8\xBE\xBD<"), "\xE8\xBE\xBD&lt;");
}

static void test_url(void **state) {
  assert_string_equal(fmt("/x?q=%u", "a b&c=d/é"),
                      "/x?q=a%20b%26c%3Dd%2F%C3%A9");
  assert_string_equal(fmt("%u", "AZaz09-._~"), "AZaz09-._~");
  assert_string_equal(fmt("%u", "<\"'>"), "%3C%22%27%3E");
  assert_string_equal(fmt("%u", "辽"), "%E8%BE%BD");
}

static void test_numbers(void **state) {
  assert_string_equal(fmt("%d|%lld|%%|%d", -7, 9007199254740993LL, 0),
                      "-7|9007199254740993|%|0");
}

/* ---- the code check
 * ---------------------------------------------------------------------- */

/* Skips a string or character literal starting at s[i] (the quote); returns the
 * index after it. */
static size_t skip_literal(const char *s, size_t i, size_t n) {
  char q = s[i++];
  while (i < n && s[i] != q)
    i += s[i] == '\\' ? 2 : 1;
  return i + 1;
}

/* True when s[0..n) is one or more adjacent string literals and nothing else.
 */
static int all_literal(const char *s, size_t n) {
  size_t i = 0;
  int any = 0;
  while (i < n) {
    if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t') {
      i++;
    } else if (s[i] == '"') {
      i = skip_literal(s, i, n);
      any = 1;
    } else {
      return 0;
    }
  }
  return any;
}

/* A %s argument is safe when it is literal, or `cond ? "lit" : "lit"`. */
static int safe_s_arg(const char *s, size_t n) {
  if (all_literal(s, n))
    return 1;
  size_t q = 0, colon = 0;
  int depth = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"' || s[i] == '\'') {
      i = skip_literal(s, i, n) - 1;
    } else if (s[i] == '(') {
      depth++;
    } else if (s[i] == ')') {
      depth--;
    } else if (!depth && s[i] == '?' && !q) {
      q = i;
    } else if (!depth && s[i] == ':' && q && !colon) {
      colon = i;
    }
  }
  return q && colon && all_literal(s + q + 1, colon - q - 1) &&
         all_literal(s + colon + 1, n - colon - 1);
}

/* The html_printf calls in the C text s: a count of calls whose format is not a
 * literal or whose %s meets a value; each is described in why (appended). */
static int check_source(const char *name, const char *s, struct sb *why) {
  size_t n = strlen(s);
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"' || s[i] == '\'') {
      i = skip_literal(s, i, n) - 1;
      continue;
    }
    if (s[i] == '/' && s[i + 1] == '*') {
      const char *e = strstr(s + i + 2, "*/");
      i = e ? (size_t)(e - s) + 1 : n;
      continue;
    }
    if (s[i] == '/' && s[i + 1] == '/') {
      while (i < n && s[i] != '\n')
        i++;
      continue;
    }
    if (strncmp(s + i, "html_printf", 11) != 0 ||
        (i && (s[i - 1] == '_' || (s[i - 1] >= 'a' && s[i - 1] <= 'z'))))
      continue;
    size_t j = i + 11;
    while (s[j] == ' ')
      j++;
    if (s[j] != '(')
      continue;
    /* The arguments, split at top-level commas. */
    size_t start[32], end[32];
    int nargs = 0, depth = 0;
    size_t a = j + 1;
    for (j = j + 1; j < n; j++) {
      if (s[j] == '"' || s[j] == '\'') {
        j = skip_literal(s, j, n) - 1;
      } else if (s[j] == '(' || s[j] == '[' || s[j] == '{') {
        depth++;
      } else if ((s[j] == ')' || s[j] == ']' || s[j] == '}') && depth) {
        depth--;
      } else if ((s[j] == ',' && !depth) || s[j] == ')') {
        if (nargs < 32)
          start[nargs] = a, end[nargs++] = j;
        a = j + 1;
        if (s[j] == ')')
          break;
      }
    }
    int line = 1;
    for (size_t k = 0; k < i; k++)
      line += s[k] == '\n';
    i = j;
    if (nargs < 2 || !all_literal(s + start[1], end[1] - start[1])) {
      sb_appendf(why,
                 "%s:%d: the format of html_printf is not a string literal\n",
                 name, line);
      bad++;
      continue;
    }
    /* Walk the format's conversions (they never straddle adjacent literals
     * here). */
    int arg = 2;
    for (size_t k = start[1]; k < end[1]; k++) {
      if (s[k] == '\\') {
        k++;
        continue;
      }
      if (s[k] != '%')
        continue;
      char c = s[++k];
      if (c == '%')
        continue;
      if (c == 's' && (arg >= nargs ||
                       !safe_s_arg(s + start[arg], end[arg] - start[arg]))) {
        sb_appendf(why,
                   "%s:%d: %%s meets a value, not a string literal (use %%h)\n",
                   name, line);
        bad++;
      }
      if (c == 'l')
        k += 2;
      arg++;
    }
  }
  return bad;
}

static void test_checker_itself(void **state) {
  struct sb why = SB_INIT;
  assert_int_equal(
      check_source("ok.c",
                   "html_printf(b, \"<a%s>%h</a>\", x ? \" y\" : \"\", t);"
                   "html_printf(b, \"%s %d\", \"lit\" \"eral\", 3);",
                   &why),
      0);
  assert_int_equal(check_source("bad.c",
                                "html_printf(b, \"<p>%d %s</p>\", 1, title);",
                                &why),
                   1);
  assert_int_equal(check_source("bad.c", "html_printf(b, fmt, x);", &why), 1);
  assert_int_equal(
      check_source("bad.c", "html_printf(b, \"%h%s\", a, f(\"x\"));", &why), 1);
  /* Comments and strings that mention it are no calls. */
  assert_int_equal(
      check_source("ok.c", "/* html_printf(b, f) */ x(\"html_printf(b, f)\");",
                   &why),
      0);
  sb_free(&why);
}

static void test_web_sources(void **state) {
  const char *src = getenv("DUIKOU_SOURCE_DIR");
  char dir[1024], path[1024 + 260];
  snprintf(dir, sizeof dir, "%s/src/web", src ? src : "..");
  DIR *d = opendir(dir);
  assert_non_null(d);
  struct sb why = SB_INIT;
  int bad = 0, files = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);
    /* html.c defines the formatter; every other file only calls it. */
    if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0 ||
        strcmp(e->d_name, "html.c") == 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct sb text = SB_INIT;
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
      sb_appendn(&text, buf, got);
    fclose(f);
    bad += check_source(e->d_name, sb_str(&text), &why);
    sb_free(&text);
    files++;
  }
  closedir(d);
  if (bad)
    fprintf(stderr, "%s", sb_str(&why));
  sb_free(&why);
  assert_true(files >= 2);
  assert_int_equal(bad, 0);
}

/* Figures as a reader expects them: 万元 for yuan on Chinese pages, digits grouped. */
static void test_figures(void **state) {
  (void)state;
  struct arena a;
  arena_init(&a);
  struct req r;
  req_init(&r, &a, "GET", "127.0.0.1");
  r.lang = LANG_HANS;
  assert_string_equal(web_figure(&r, 120000000, "元"), "12,000 万元");
  assert_string_equal(web_figure(&r, 123456, "元"), "12.3456 万元");
  assert_string_equal(web_figure(&r, 10000, "元"), "1 万元");
  assert_string_equal(web_figure(&r, 10500, "元"), "1.05 万元");
  assert_string_equal(web_figure(&r, -250000, "元"), "-25 万元");
  assert_string_equal(web_figure(&r, 9999, "元"), "9,999 元");
  assert_string_equal(web_figure(&r, 1234567, "家"), "1,234,567 家");
  assert_string_equal(web_figure(&r, 12, NULL), "12");
  assert_string_equal(web_figure(&r, INT64_MIN, NULL), "-9,223,372,036,854,775,808");
  r.lang = LANG_HANT;
  assert_string_equal(web_figure(&r, 120000000, "元"), "12,000 萬元");
  r.lang = LANG_EN;
  assert_string_equal(web_figure(&r, 120000000, "元"), "120,000,000 元");
  arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_escape_each),
      cmocka_unit_test(test_no_double_escaping),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_script),
      cmocka_unit_test(test_url),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_checker_itself),
      cmocka_unit_test(test_web_sources),
      cmocka_unit_test(test_figures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
