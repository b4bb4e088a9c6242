/* common: the small pieces every page with forms shares — the CSRF field, 303
 * answers, turning a service failure into a page or a message next to a field,
 * and the way dates, periods, statuses and lights are written for a reader. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service/dashboard.h"
#include "web/html.h"
#include "web/web.h"

int web_redirect(struct req *r, struct resp *p, const char *to) {
  resp_header(r, p, "Location", to);
  return p->status = 303;
}

void web_csrf_field(struct req *r, struct sb *b) {
  if (r->csrf_token)
    html_printf(b, "<input type=\"hidden\" name=\"csrf_token\" value=\"%h\">\n",
                r->csrf_token);
}

const char *web_take_code(struct req *r, const char *fallback) {
  const char *code =
      r->ctx.code && i18n_known(r->ctx.code) ? r->ctx.code : fallback;
  r->ctx.code = r->ctx.field = r->ctx.error = NULL;
  return code;
}

int web_service_page(struct req *r, struct resp *p, int rc) {
  const char *code = web_take_code(r, NULL);
  if (rc == SVC_NOT_FOUND)
    return web_error(r, p, 404, "ui_not_found_title", "err_not_found");
  if (rc == SVC_FORBIDDEN || rc == SVC_UNAUTHORIZED)
    return web_error(r, p, 403, "ui_forbidden_title",
                     code ? code : "err_forbidden");
  if (rc == SVC_CONFLICT)
    return web_error(r, p, 409, "ui_error_title", code ? code : "err_conflict");
  if (rc == SVC_INVALID)
    return web_error(r, p, 422, "ui_error_title", code ? code : "err_invalid");
  if (rc == SVC_STALE) /* a page's form carried an older revision */
    return web_error(r, p, 409, "ui_error_title", code ? code : "err_stale");
  if (rc == SVC_LOCKED)
    return web_error(r, p, 429, "ui_error_title", code ? code : "err_locked");
  return web_error(r, p, 500, "ui_error_title", "err_internal");
}

bool web_query_id(struct req *r, const char *name, int64_t *out) {
  const char *s = req_query(r, name);
  long long v = 0;
  *out = 0;
  if (!s || !*s)
    return true;
  if (!web_parse_int(s, &v) || v <= 0)
    return false;
  *out = v;
  return true;
}

bool web_query_year(struct req *r, int *year) {
  const char *q = req_query(r, "year");
  long long y;
  *year = web_this_year();
  if (!q || !*q)
    return true;
  if (!web_parse_int(q, &y) || y < 2000 || y > 2100)
    return false;
  *year = (int)y;
  return true;
}

/* Remembers a message of the page for the summary web_end puts at its top. */
static void problem(struct req *r, const char *field, const char *id) {
  struct web_problem *pr = ARRAY_PUSH(r->arena, r->problems, r->n_problems, r->cap_problems);
  pr->field = field ? arena_strdup(r->arena, field) : NULL;
  pr->message = id;
}

void web_field_error(struct req *r, struct sb *b, const char *id,
                     const char *for_id) {
  if (!id)
    return;
  html_printf(b, "<span class=\"field-error\" id=\"%h-error\">%h</span>\n",
              for_id, web_t(r, id));
  problem(r, for_id, id);
}

void web_form_error(struct req *r, struct sb *b, const char *id) {
  if (!id)
    return;
  html_printf(b, "<p class=\"form-error\" role=\"alert\">%h</p>\n",
              web_t(r, id));
  problem(r, NULL, id);
}

/* A stored instant (UTC, 2026-11-26T03:16:04.123Z) moved to the plans' time
 * zone (light_policy, as "today" is; China Standard Time by default), into *c;
 * false when at is not one (a plain date is not moved). */
static bool cst_instant(const char *at, struct tm *c) {
  struct tm tm = {0};
  int y, mo, d, h, mi, s;
  if (!at || strlen(at) < 19 || at[10] != 'T' ||
      sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return false;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  time_t t = timegm(&tm) + (time_t)light_policy.utc_offset_minutes * 60;
  return gmtime_r(&t, c) != NULL;
}

const char *web_time(struct req *r, const char *at) {
  struct tm c;
  if (!cst_instant(at, &c))
    return at ? at : "";
  const char *day = web_date(r, arena_printf(r->arena, "%04d-%02d-%02d",
                                             c.tm_year + 1900, c.tm_mon + 1,
                                             c.tm_mday));
  return arena_printf(r->arena, "%s %02d:%02d:%02d", day, c.tm_hour, c.tm_min,
                      c.tm_sec);
}

const char *web_date(struct req *r, const char *iso) {
  int y, m, d;
  struct tm c;
  if (!iso)
    return "";
  if (cst_instant(iso, &c)) /* an instant: its day in China, not in UTC */
    iso = arena_printf(r->arena, "%04d-%02d-%02d", c.tm_year + 1900,
                       c.tm_mon + 1, c.tm_mday);
  if (r->lang == LANG_EN || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return arena_strndup(r->arena, iso, strlen(iso) < 10 ? strlen(iso) : 10);
  return arena_printf(r->arena, "%d%s%d%s%d%s", y, web_t(r, "ui_year_suffix"),
                      m, web_t(r, "ui_month_suffix"), d,
                      web_t(r, "ui_day_suffix"));
}

const char *web_period(struct req *r, const char *period) {
  int y, n;
  char q;
  if (!period)
    return "";
  if (sscanf(period, "%4d-%c%d", &y, &q, &n) == 3 && q == 'Q') {
    if (r->lang == LANG_EN)
      return arena_printf(r->arena, "%d Q%d", y, n);
    return arena_printf(r->arena, "%d%s%s%d%s", y, web_t(r, "ui_year_suffix"),
                        web_t(r, "ui_quarter_prefix"), n,
                        web_t(r, "ui_quarter_suffix"));
  }
  if (r->lang != LANG_EN && sscanf(period, "%4d-%2d", &y, &n) == 2)
    return arena_printf(r->arena, "%d%s%d%s", y, web_t(r, "ui_year_suffix"), n,
                        web_t(r, "ui_month_suffix"));
  return period;
}

const struct web_status web_statuses[] = {
    {"not_started", "ui_st_not_started"},
    {"on_track", "ui_st_on_track"},
    {"at_risk", "ui_st_at_risk"},
    {"delayed", "ui_st_delayed"},
    {"done", "ui_st_done"},
};
const size_t web_n_statuses = sizeof web_statuses / sizeof *web_statuses;

const char *web_status_label(struct req *r, const char *status) {
  for (size_t i = 0; i < web_n_statuses; i++)
    if (status && strcmp(status, web_statuses[i].value) == 0)
      return web_t(r, web_statuses[i].label);
  return status ? status : "";
}

const char *web_review_label(const char *review) {
  if (!review || strcmp(review, "pending") == 0)
    return "ui_review_pending";
  if (strcmp(review, "superseded") == 0)
    return "ui_review_superseded";
  return strcmp(review, "accepted") == 0 ? "ui_review_accepted"
                                         : "ui_review_returned";
}

const char *web_light_label(enum light l) {
  switch (l) {
  case LIGHT_RED:
    return "ui_light_red";
  case LIGHT_YELLOW:
    return "ui_light_yellow";
  case LIGHT_DONE:
    return "ui_light_done";
  default:
    return "ui_light_green";
  }
}

void web_light_badge(struct req *r, struct sb *b, enum light l) {
  html_printf(b, "<span class=\"badge light-%h\">%h</span>", light_name(l),
              web_t(r, web_light_label(l)));
}

bool web_parse_int(const char *s, long long *out) {
  if (!s || !*s)
    return false;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || *end)
    return false;
  *out = v;
  return true;
}

void web_query_add(struct sb *q, const char *name, const char *value) {
  sb_append(q, strchr(sb_str(q), '?') ? "&" : "?");
  html_urlencode(q, name, strlen(name));
  sb_append(q, "=");
  html_urlencode(q, value, strlen(value));
}

int web_bad_query(struct req *r, struct resp *p) {
  return web_error(r, p, 400, "ui_error_title", "err_bad_query");
}

int64_t web_page_after(struct req *r) {
  long long after = 0;
  const char *s = req_query(r, "after");
  if (s && (!web_parse_int(s, &after) || after < 0))
    return -1;
  return after;
}

void web_pager(struct req *r, struct sb *b, const char *path, int64_t after,
               bool more, int64_t next_after) {
  if (!more && after == 0)
    return;
  html_printf(b, "<nav class=\"pager\" aria-label=\"%h\"><ul>\n",
              web_t(r, "ui_pages"));
  if (after > 0)
    html_printf(b, "<li><a href=\"%h\">%h</a></li>\n", path,
                web_t(r, "ui_page_first"));
  if (more)
    html_printf(b, "<li><a href=\"%h%safter=%lld\" rel=\"next\">%h</a></li>\n",
                path, strchr(path, '?') ? "&amp;" : "?", (long long)next_after,
                web_t(r, "ui_page_next"));
  html_printf(b, "</ul></nav>\n");
}

/* n with a comma every three digits. Arena string. */
static const char *grouped(struct req *r, unsigned long long n) {
  char digits[32], out[48];
  int len = snprintf(digits, sizeof digits, "%llu", n), o = 0;
  for (int i = 0; i < len; i++) {
    if (i && (len - i) % 3 == 0)
      out[o++] = ',';
    out[o++] = digits[i];
  }
  out[o] = '\0';
  return arena_strdup(r->arena, out);
}

const char *web_figure(struct req *r, int64_t value, const char *unit) {
  unsigned long long mag = value < 0 ? 0ULL - (unsigned long long)value
                                     : (unsigned long long)value;
  const char *sign = value < 0 ? "-" : "";
  bool yuan = unit && (strcmp(unit, "元") == 0 || strcmp(unit, "人民币元") == 0);
  if (yuan && r->lang != LANG_EN && mag >= 10000) {
    /* Chinese reports give money in 万元: 120000000 元 is 12,000 万元, 123456 元 is
     * 12.3456 万元 (exact: four decimals are whole yuan). */
    unsigned long long wan = mag / 10000, rest = mag % 10000;
    char frac[8] = "";
    if (rest) {
      snprintf(frac, sizeof frac, ".%04llu", rest);
      for (size_t k = strlen(frac); k > 1 && frac[k - 1] == '0'; k--)
        frac[k - 1] = '\0'; /* ".0100" → ".01"; rest > 0, so a digit stays */
    }
    return arena_printf(r->arena, "%s%s%s %s", sign, grouped(r, wan), frac,
                        web_t(r, "ui_wan_yuan"));
  }
  return arena_printf(r->arena, "%s%s%s%s", sign, grouped(r, mag),
                      unit && *unit ? " " : "", unit ? unit : "");
}

void web_describe(struct sb *b, const char *id, const char *err) {
  if (err)
    html_printf(b, " aria-invalid=\"true\" aria-describedby=\"%h-error\"", id);
}

int web_this_year(void) { return light_this_year(); }

/* A text as paragraphs: each run of non-blank lines one <p>, its line breaks kept (notices,
 * circulars). */
void web_paragraphs(struct req *r, struct sb *b, const char *body) {
  const char *s = body;
  while (*s) {
    while (*s == '\n' || *s == '\r')
      s++;
    if (!*s)
      break;
    const char *end = strstr(s, "\n\n");
    const char *crlf = strstr(s, "\r\n\r\n");
    if (crlf && (!end || crlf < end))
      end = crlf;
    size_t len = end ? (size_t)(end - s) : strlen(s);
    html_printf(b, "<p class=\"section-body\">%h</p>\n", arena_strndup(r->arena, s, len));
    s += len;
  }
}

/* The pairing a list is of: ?pairing=, else the caller's, else (an admin) the first; -1 when
 * ?pairing= is not a number. */
int64_t web_asked_pairing(struct req *r) {
  const char *s = req_query(r, "pairing");
  long long v;
  if (s)
    return web_parse_int(s, &v) && v > 0 ? v : -1;
  if (r->user->pairing_id)
    return r->user->pairing_id;
  int64_t first = 0;
  if (dashboard_home(&r->ctx, &first) != SVC_OK)
    web_take_code(r, NULL);
  return first;
}
