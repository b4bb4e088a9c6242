/* ics: events as iCalendar (RFC 5545) for calendar applications.
 *   /events.ics             the public events, for anyone.
 *   /calendar/<token>.ics   a personal feed: the events one's unit takes part in, behind a
 *                           token that is the only key (service/calendar_feed.h); an unknown
 *                           or revoked token is a bare 404 that tells nothing about which.
 * The account page's section that makes and revokes feeds is here too.
 * The text follows RFC 5545: CRLF line ends, content lines folded at 75 octets (never inside
 * a UTF-8 character), TEXT values escaped (backslash, semicolon, comma, newline), times of
 * day in Asia/Shanghai with its VTIMEZONE (China has kept +08:00 without summer time since
 * 1991), DTSTAMP in UTC. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "service/calendar_feed.h"
#include "service/event.h"
#include "web/html.h"
#include "web/web.h"

enum { ICS_LINE_OCTETS = 75 };

/* Appends one content line (without its CRLF) to out, folded: after every 75 octets a CRLF
 * and a space, which counts toward the next line's 75, never splitting a UTF-8 sequence. */
static void ics_line(struct sb *out, const char *line) {
  size_t n = strlen(line), at = 0, room = ICS_LINE_OCTETS;
  while (n - at > room) {
    size_t cut = at + room;
    while (cut > at && ((unsigned char)line[cut] & 0xC0) == 0x80) /* a continuation byte */
      cut--;
    sb_appendn(out, line + at, cut - at);
    sb_append(out, "\r\n ");
    at = cut;
    room = ICS_LINE_OCTETS - 1;
  }
  sb_appendn(out, line + at, n - at);
  sb_append(out, "\r\n");
}

/* A TEXT value escaped into b: \\ \; \, and a line break as \n (CR dropped). */
static void ics_text(struct sb *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '\\':
      sb_append(b, "\\\\");
      break;
    case ';':
      sb_append(b, "\\;");
      break;
    case ',':
      sb_append(b, "\\,");
      break;
    case '\n':
      sb_append(b, "\\n");
      break;
    case '\r':
      break;
    default:
      sb_appendc(b, *s);
    }
  }
}

/* name:TEXT as one folded line. */
static void ics_prop_text(struct sb *out, const char *name, const char *value) {
  struct sb l = SB_INIT;
  sb_append(&l, name);
  sb_appendc(&l, ':');
  ics_text(&l, value);
  ics_line(out, sb_str(&l));
  sb_free(&l);
}

/* YYYY-MM-DDTHH:MM (China time as typed) as 20261215T090000; false when it is not one. */
static bool local_stamp(const char *t, char out[16]) {
  if (!t || strlen(t) < 16)
    return false;
  const int pos[] = {0, 1, 2, 3, 5, 6, 8, 9, -1, 11, 12, 14, 15};
  for (int i = 0; i < 13; i++) {
    if (pos[i] < 0) {
      out[i] = 'T';
      continue;
    }
    if (t[pos[i]] < '0' || t[pos[i]] > '9')
      return false;
    out[i] = t[pos[i]];
  }
  memcpy(out + 13, "00", 3);
  return true;
}

/* A stored instant (2026-12-07T03:16:04.123Z, UTC) as 20261207T031604Z. */
static bool utc_stamp(const char *t, char out[17]) {
  char local[16];
  if (!local_stamp(t, local) || strlen(t) < 19 || t[16] != ':' || t[17] < '0' || t[17] > '9' ||
      t[18] < '0' || t[18] > '9')
    return false;
  memcpy(out, local, 13);
  out[13] = t[17];
  out[14] = t[18];
  out[15] = 'Z';
  out[16] = '\0';
  return true;
}

/* The right-hand side of UIDs: the host the request named (without its port), so two
 * installations give different UIDs; "duikou" when there is none. */
static const char *uid_domain(struct req *r) {
  const char *host = req_header(r, "Host");
  if (!host || !*host || host[0] == '[')
    return "duikou";
  size_t n = strcspn(host, ":");
  for (size_t i = 0; i < n; i++) {
    char ch = host[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '.' || ch == '-'))
      return "duikou";
  }
  return arena_strndup(r->arena, host, n);
}

static const char *kind_label(const char *kind) {
  static const char *const labels[EVENT_KIND_N] = {
      "ui_evt_kind_consultation", "ui_evt_kind_joint_meeting", "ui_evt_kind_docking",
      "ui_evt_kind_forum",        "ui_evt_kind_exhibition",    "ui_evt_kind_training"};
  enum event_kind k = event_kind_from(kind);
  return k < EVENT_KIND_N ? labels[k] : "ui_evt_kind_forum";
}

/* The whole calendar of events v[0..n) into p, as text/calendar. */
static int ics_answer(struct req *r, struct resp *p, const char *name,
                      const struct event_view *v, size_t n) {
  struct sb *b = &p->body;
  ics_line(b, "BEGIN:VCALENDAR");
  ics_line(b, "VERSION:2.0");
  ics_line(b, "PRODID:-//Duikou//Counterpart cooperation events//ZH");
  ics_line(b, "CALSCALE:GREGORIAN");
  ics_line(b, "METHOD:PUBLISH");
  ics_prop_text(b, "X-WR-CALNAME", name);
  ics_line(b, "X-WR-TIMEZONE:Asia/Shanghai");
  ics_line(b, "BEGIN:VTIMEZONE");
  ics_line(b, "TZID:Asia/Shanghai");
  ics_line(b, "BEGIN:STANDARD");
  ics_line(b, "DTSTART:19700101T000000");
  ics_line(b, "TZOFFSETFROM:+0800");
  ics_line(b, "TZOFFSETTO:+0800");
  ics_line(b, "TZNAME:CST");
  ics_line(b, "END:STANDARD");
  ics_line(b, "END:VTIMEZONE");
  const char *domain = uid_domain(r);
  for (size_t i = 0; i < n; i++) {
    const struct event_view *e = &v[i];
    char start[16], end[16], stamp[17];
    if (!local_stamp(e->starts, start) || !local_stamp(e->ends, end))
      continue;
    if (!utc_stamp(e->updated_at, stamp))
      memcpy(stamp, "19700101T000000Z", 17);
    ics_line(b, "BEGIN:VEVENT");
    ics_line(b, arena_printf(r->arena, "UID:event-%lld@%s", (long long)e->id, domain));
    ics_line(b, arena_printf(r->arena, "DTSTAMP:%s", stamp));
    ics_line(b, arena_printf(r->arena, "DTSTART;TZID=Asia/Shanghai:%s", start));
    ics_line(b, arena_printf(r->arena, "DTEND;TZID=Asia/Shanghai:%s", end));
    ics_prop_text(b, "SUMMARY", e->title);
    if (e->place)
      ics_prop_text(b, "LOCATION", e->place);
    const char *host = e->host_region_name
                           ? arena_printf(r->arena, "%s · %s",
                                          e->host_side ? e->name_b : e->name_a,
                                          e->host_region_name)
                           : (e->host_side ? e->name_b : e->name_a);
    ics_prop_text(b, "DESCRIPTION",
                  arena_printf(r->arena, "%s\n%s%s%s\n%s — %s", web_t(r, kind_label(e->kind)),
                               web_t(r, "ui_evt_host"), web_t(r, "ui_colon"), host ? host : "",
                               e->name_a ? e->name_a : "", e->name_b ? e->name_b : ""));
    ics_prop_text(b, "CATEGORIES", web_t(r, kind_label(e->kind)));
    if (e->state && strcmp(e->state, "cancelled") == 0)
      ics_line(b, "STATUS:CANCELLED");
    else
      ics_line(b, "STATUS:CONFIRMED");
    ics_line(b, "END:VEVENT");
  }
  ics_line(b, "END:VCALENDAR");
  p->content_type = "text/calendar; charset=utf-8";
  return p->status = 200;
}

/* GET /events.ics: the public events, latest first. */
int web_events_ics(struct req *r, struct resp *p) {
  struct event_view *v;
  size_t n;
  int rc = event_list_public(&r->ctx, false, 0, &v, &n);
  if (rc != SVC_OK)
    return http_from_service(r, p, rc);
  return ics_answer(r, p, web_t(r, "ui_cal_public_name"), v, n);
}

/* GET /calendar/{file}: /calendar/<token>.ics, a personal feed. Every refusal is the same
 * bare 404, so a probe learns nothing of which tokens were ever real. */
int web_calendar_feed(struct req *r, struct resp *p) {
  const char *file = r->path + strlen("/calendar/");
  size_t n = strlen(file);
  struct user u;
  if (n <= 4 || strcmp(file + n - 4, ".ics") != 0 ||
      calendar_feed_user(&r->ctx, arena_strndup(r->arena, file, n - 4), &u) != SVC_OK) {
    web_take_code(r, NULL);
    p->content_type = "text/plain; charset=utf-8";
    sb_append(&p->body, "Not Found\n");
    return p->status = 404;
  }
  struct event_view *v;
  size_t nv;
  int rc = event_list_for_user(&r->ctx, &u, &v, &nv);
  if (rc != SVC_OK)
    return http_from_service(r, p, rc);
  resp_header(r, p, "Cache-Control", "private, no-cache");
  return ics_answer(r, p, web_t(r, "ui_cal_personal_name"), v, nv);
}

/* ---- the account page's section --------------------------------------------------------- */

/* The scheme and host of this request (as web/event.c takes them for QR codes). */
static const char *origin_of(struct req *r) {
  const char *host = req_header(r, "Host");
  const char *scheme =
      strncmp(http_session_cookie_name(), "__Host-", 7) == 0 ? "https" : "http";
  return arena_printf(r->arena, "%s://%s", scheme, host ? host : "localhost");
}

void web_calendar_section(struct req *r, struct sb *b, const char *new_token, const char *err) {
  struct calendar_feed_view *v;
  size_t n = 0;
  if (calendar_feed_list(&r->ctx, &v, &n) != SVC_OK)
    n = 0;
  web_take_code(r, NULL);
  html_printf(b, "<section id=\"calendar\" aria-labelledby=\"calendar-heading\">\n"
                 "<h2 id=\"calendar-heading\">%h</h2>\n<p class=\"meta\">%h</p>\n",
              web_t(r, "ui_cal_title"), web_t(r, "ui_cal_intro"));
  web_form_error(r, b, err);
  if (new_token) {
    const char *url = arena_printf(r->arena, "%s/calendar/%s.ics", origin_of(r), new_token);
    html_printf(b, "<div class=\"notice\" role=\"status\">\n<p>%h</p>\n<p><label for=\"cal-url\">%h"
                   "</label>\n<input id=\"cal-url\" type=\"text\" readonly value=\"%h\"></p>\n"
                   "<p><a href=\"%h\">%h</a></p>\n</div>\n",
                web_t(r, "ui_cal_shown_once"), web_t(r, "ui_cal_url"), url, url,
                web_t(r, "ui_cal_open"));
  }
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    if (v[i].revoked_at)
      continue;
    if (!any)
      html_printf(b, "<ul class=\"feeds\">\n");
    any = true;
    html_printf(b, "<li>%h%h%h\n<form method=\"post\" action=\"/account/calendar/%lld/revoke\" "
                   "class=\"inline\">\n",
                web_t(r, "ui_cal_created"), web_t(r, "ui_colon"), web_time(r, v[i].created_at),
                (long long)v[i].id);
    web_csrf_field(r, b);
    html_printf(b, "<button type=\"submit\" class=\"secondary\">%h</button></form></li>\n",
                web_t(r, "ui_cal_revoke"));
  }
  if (any)
    html_printf(b, "</ul>\n");
  else
    html_printf(b, "<p>%h</p>\n", web_t(r, "ui_cal_none"));
  html_printf(b, "<form method=\"post\" action=\"/account/calendar\">\n");
  web_csrf_field(r, b);
  html_printf(b, "<p><button type=\"submit\">%h</button></p>\n</form>\n</section>\n",
              web_t(r, "ui_cal_create"));
}
